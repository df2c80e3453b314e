//! Tests of one pass rate against a value p₀ (H₀: p = p₀): the exact
//! binomial test, the mid-p test and the score (z) test, and their
//! finite-lot versions (the sample drawn without replacement from a lot of N
//! items of which p₀·N pass: hypergeometric).
//!
//! # p-values
//! X is the number of successes, with its null distribution (Bin(n, p₀), or
//! the hypergeometric distribution of a sample of n from N items of which
//! K = p₀·N pass).
//!
//! * Exact: "less" P(X ≤ x), "greater" P(X ≥ x); "two-sided" the sum of the
//!   probabilities of all outcomes no more likely than the one observed,
//!   Σ P(X = j) over P(X = j) ≤ P(X = x)·(1 + 10⁻⁷) — the method (and the
//!   relative tolerance 10⁻⁷) of `scipy.stats.binomtest` and R's
//!   `binom.test`; 1 when x equals the null mean. The outcomes are found by a
//!   binary search on the far side of the mode (the probabilities are
//!   monotone there), so a test costs O(log n) probabilities and two tails.
//! * Mid-p: each one-sided p-value less half the probability of the outcome
//!   observed, P(X < x) + ½P(X = x) and P(X > x) + ½P(X = x) (Lancaster 1961);
//!   two-sided: twice the smaller, at most 1 — the test whose inversion is
//!   the mid-p interval of [`super::proportion_ci`].
//! * Score: z = (x − n p₀)/√(n p₀ (1 − p₀)) with the variance under the null
//!   (times (N − n)/(N − 1) for a finite lot); "less" Φ(z), "greater"
//!   1 − Φ(z), "two-sided" 2(1 − Φ(|z|)). The two-sided test rejects at
//!   level 1 − c exactly when p₀ is outside the Wilson interval at
//!   confidence c. A zero variance (a sample of the whole lot) gives z = 0
//!   when x = n p₀ and ±∞ otherwise.
//!
//! The statistic reported is z for the score test and the number of
//! successes x for the exact and mid-p tests (the statistic of R's
//! `binom.test`).

use super::batch::{count_at, fill_pairs, Count};
use super::check_counts;
use super::diff::Alternative;
use super::finite::check_population;
use crate::distinct::map_distinct;
use crate::error::{check_same_len, Error, Result};
use crate::numerics::{binomial, hypergeometric, normal, search};
use crate::options::named_options;
use std::cmp::Ordering;

/// The relative tolerance of the two-sided exact test: outcomes with
/// probability up to P(X = x)·(1 + `TWO_SIDED_TOLERANCE`) count as no more
/// likely than the one observed (the value `scipy.stats.binomtest` and R's
/// `binom.test` use), so that outcomes equally likely in exact arithmetic
/// are not split by rounding.
pub const TWO_SIDED_TOLERANCE: f64 = 1e-7;

named_options! {
    /// Tests of one pass rate against a value p₀ (see the module docs).
    pub enum TestMethod for "method" {
        /// Exact binomial (hypergeometric for a finite lot) test.
        Exact = "exact",
        /// Mid-p exact test; dual to the mid-p interval.
        MidP = "mid_p",
        /// Score (z) test with the null variance; dual to the Wilson interval.
        Score = "score",
    }
}

/// The result of a test of one pass rate against p₀.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct OneSampleTest {
    /// z for the score test; the number of successes for the exact and mid-p tests.
    pub statistic: f64,
    /// The p-value under the alternative.
    pub p_value: f64,
}

/// The null distribution of the number of successes.
#[derive(Debug, Clone, Copy)]
enum Null {
    /// Bin(n, p).
    Binomial { n: u64, p: f64 },
    /// `draws` items from `population` of which `successes` pass.
    Hyper {
        population: u64,
        successes: u64,
        draws: u64,
    },
}

impl Null {
    fn support(self) -> (u64, u64) {
        match self {
            Null::Binomial { n, .. } => (0, n),
            Null::Hyper {
                population,
                successes,
                draws,
            } => hypergeometric::support(population, successes, draws),
        }
    }

    fn pmf(self, k: u64) -> f64 {
        match self {
            Null::Binomial { n, p } => binomial::pmf(k, n, p),
            Null::Hyper {
                population,
                successes,
                draws,
            } => hypergeometric::pmf(k, population, successes, draws),
        }
    }

    /// P(X ≤ k).
    fn cdf(self, k: u64) -> f64 {
        match self {
            Null::Binomial { n, p } => binomial::cdf(k, n, p),
            Null::Hyper {
                population,
                successes,
                draws,
            } => hypergeometric::cdf(k, population, successes, draws),
        }
    }

    /// P(X > k).
    fn sf(self, k: u64) -> f64 {
        match self {
            Null::Binomial { n, p } => binomial::sf(k, n, p),
            Null::Hyper {
                population,
                successes,
                draws,
            } => hypergeometric::sf(k, population, successes, draws),
        }
    }

    /// P(X < k).
    fn below(self, k: u64) -> f64 {
        if k == 0 {
            0.0
        } else {
            self.cdf(k - 1)
        }
    }

    /// P(X ≥ k).
    fn at_least(self, k: u64) -> f64 {
        if k == 0 {
            1.0
        } else {
            self.sf(k - 1)
        }
    }

    /// How `x` compares with the mean, and ⌊mean⌋, ⌈mean⌉. The binomial mean
    /// n·p is the floating-point product (as scipy computes it); the
    /// hypergeometric mean n·K/N is compared in exact integer arithmetic.
    fn around_mean(self, x: u64) -> (Ordering, u64, u64) {
        match self {
            Null::Binomial { n, p } => {
                let mean = p * n as f64;
                let order = (x as f64).partial_cmp(&mean).unwrap_or(Ordering::Equal);
                (order, mean.floor() as u64, mean.ceil() as u64)
            }
            Null::Hyper {
                population,
                successes,
                draws,
            } => {
                let num = u128::from(draws) * u128::from(successes);
                let den = u128::from(population);
                let floor = num / den;
                let ceil = floor + u128::from(num % den != 0);
                let order = (u128::from(x) * den).cmp(&num);
                // Both are at most `draws`, a u64.
                (
                    order,
                    u64::try_from(floor).unwrap_or(draws),
                    u64::try_from(ceil).unwrap_or(draws),
                )
            }
        }
    }

    /// The exact two-sided p-value (module docs). The mode lies in
    /// [⌊mean⌋, ⌈mean⌉] for both distributions, so the probabilities do not
    /// increase from ⌈mean⌉ up and do not decrease up to ⌊mean⌋.
    fn two_sided(self, x: u64) -> f64 {
        let (lo, hi) = self.support();
        let (order, floor, ceil) = self.around_mean(x);
        let cut = self.pmf(x) * (1.0 + TWO_SIDED_TOLERANCE);
        let p = match order {
            Ordering::Equal => return 1.0,
            Ordering::Less => {
                // The first j >= ceil(mean) with P(X = j) <= cut; the far
                // tail is P(X >= j).
                let start = ceil.max(lo);
                let j = search::partition_point(start, hi + 1, |j| self.pmf(j) <= cut);
                let far = if j > hi { 0.0 } else { self.at_least(j) };
                self.cdf(x) + far
            }
            Ordering::Greater => {
                // The first j <= floor(mean) with P(X = j) > cut; the far
                // tail is P(X < j).
                let end = floor.min(hi);
                let j = search::partition_point(lo, end + 1, |j| self.pmf(j) > cut);
                self.below(j) + self.at_least(x)
            }
        };
        p.min(1.0)
    }

    /// The null mean and variance of X.
    fn moments(self) -> (f64, f64) {
        match self {
            Null::Binomial { n, p } => {
                let nf = n as f64;
                (nf * p, nf * p * (1.0 - p))
            }
            Null::Hyper {
                population,
                successes,
                draws,
            } => {
                let (big_n, k, n) = (population as f64, successes as f64, draws as f64);
                let p = k / big_n;
                let fpc = if population > 1 {
                    (population - draws) as f64 / (big_n - 1.0)
                } else {
                    0.0
                };
                (n * p, n * p * (1.0 - p) * fpc)
            }
        }
    }

    fn test(self, x: u64, method: TestMethod, alternative: Alternative) -> OneSampleTest {
        let xf = x as f64;
        match method {
            TestMethod::Exact => {
                let p_value = match alternative {
                    Alternative::Less => self.cdf(x),
                    Alternative::Greater => self.at_least(x),
                    Alternative::TwoSided => self.two_sided(x),
                };
                OneSampleTest {
                    statistic: xf,
                    p_value,
                }
            }
            TestMethod::MidP => {
                let half = 0.5 * self.pmf(x);
                let less = || self.below(x) + half;
                let greater = || self.sf(x) + half;
                let p_value = match alternative {
                    Alternative::Less => less(),
                    Alternative::Greater => greater(),
                    Alternative::TwoSided => (2.0 * less().min(greater())).min(1.0),
                };
                OneSampleTest {
                    statistic: xf,
                    p_value,
                }
            }
            TestMethod::Score => {
                let (mean, var) = self.moments();
                let diff = xf - mean;
                let z = if var > 0.0 {
                    diff / var.sqrt()
                } else if diff == 0.0 {
                    0.0
                } else {
                    diff.signum() * f64::INFINITY
                };
                let p_value = match alternative {
                    Alternative::Less => normal::cdf(z),
                    Alternative::Greater => normal::sf(z),
                    Alternative::TwoSided => (2.0 * normal::sf(z.abs())).min(1.0),
                };
                OneSampleTest {
                    statistic: z,
                    p_value,
                }
            }
        }
    }
}

/// Checks p₀: a finite fraction in (0, 1).
fn check_p0(p0: f64, name: impl Fn() -> String) -> Result<()> {
    if p0 > 0.0 && p0 < 1.0 {
        Ok(())
    } else {
        Err(Error::invalid(
            name(),
            p0,
            "a pass rate in (0, 1), as a fraction",
        ))
    }
}

/// The number of passing items K = p₀·N of a lot under the null, which must
/// be a whole number from 1 to N − 1 (rounded when within 1e-9 of one).
fn lot_successes(p0: f64, population: u64, name: impl Fn() -> String) -> Result<u64> {
    let k = p0 * population as f64;
    let r = k.round();
    if (k - r).abs() > 1e-9 || r < 1.0 || r >= population as f64 {
        return Err(Error::invalid(
            name(),
            p0,
            format!(
                "a pass rate p0 with p0 * population a whole number of passing items from 1 \
                 to {} (population = {population}, p0 * population = {k})",
                population.saturating_sub(1)
            ),
        ));
    }
    Ok(r as u64)
}

/// Test of H₀: p = p₀ for `x` successes in `n` trials (binomial).
///
/// # Errors
/// [`Error::InvalidArgument`] if `n == 0`, `x > n` or `p0` is not in (0, 1).
///
/// # Example
/// ```
/// use qualstat::proportion::{proportion_test, Alternative, TestMethod};
/// // 52 of 60 checked batches passed: is the pass rate below 95 %?
/// let t = proportion_test(52, 60, 0.95, TestMethod::Exact, Alternative::Less).unwrap();
/// assert!((t.p_value - 0.0098).abs() < 1e-4);
/// ```
pub fn proportion_test(
    x: u64,
    n: u64,
    p0: f64,
    method: TestMethod,
    alternative: Alternative,
) -> Result<OneSampleTest> {
    check_counts(x, n, || ("successes".into(), "trials".into()))?;
    check_p0(p0, || "p0".into())?;
    Ok(Null::Binomial { n, p: p0 }.test(x, method, alternative))
}

/// Test of H₀: the lot's pass rate is p₀, for `x` successes in a sample of
/// `n` drawn without replacement from a lot of `population` items
/// (hypergeometric; p₀·N must be a whole number of passing items, from 1 to
/// N − 1, within 1e-9).
///
/// # Errors
/// [`Error::InvalidArgument`] if `n == 0`, `x > n`, `population < n`, or
/// `p0` is not such a fraction.
///
/// # Example
/// ```
/// use qualstat::proportion::{proportion_test_finite, Alternative, TestMethod};
/// // 18 of 20 sampled from a lot of 50 passed; H0: 48 of the 50 pass.
/// let t = proportion_test_finite(18, 20, 50, 0.96, TestMethod::Exact, Alternative::Less).unwrap();
/// assert!(t.p_value > 0.1 && t.p_value < 0.2);
/// ```
pub fn proportion_test_finite(
    x: u64,
    n: u64,
    population: u64,
    p0: f64,
    method: TestMethod,
    alternative: Alternative,
) -> Result<OneSampleTest> {
    check_counts(x, n, || ("successes".into(), "trials".into()))?;
    check_population(n, population, || "population".into())?;
    check_p0(p0, || "p0".into())?;
    let successes = lot_successes(p0, population, || "p0".into())?;
    let null = Null::Hyper {
        population,
        successes,
        draws: n,
    };
    Ok(null.test(x, method, alternative))
}

/// The element of `p0` for element `i` (a slice of one value applies to all).
#[inline]
fn p0_at(p0: &[f64], i: usize) -> Result<f64> {
    let j = if p0.len() == 1 { 0 } else { i };
    p0.get(j)
        .copied()
        .ok_or_else(|| Error::invalid(format!("p0[{i}]"), "missing", "an element"))
}

fn check_p0_len(p0: &[f64], len: usize) -> Result<()> {
    if p0.len() == 1 {
        Ok(())
    } else {
        check_same_len("p0", p0.len(), "successes", len)
    }
}

/// [`proportion_test`] over arrays, in parallel: `statistic[i]` and
/// `p_value[i]` for `x[i]` successes in `n[i]` trials against `p0[i]` (a
/// `p0` of length 1 applies to every element; each distinct
/// (successes, trials) pair is then tested once).
///
/// # Errors
/// Mismatched lengths, or an invalid element (named as `successes[i]`,
/// `trials[i]` or `p0[i]`).
///
/// # Example
/// ```
/// use qualstat::proportion::{proportion_test_batch, Alternative, TestMethod};
/// let (x, n) = ([52i64, 60], [60i64, 60]);
/// let (mut z, mut p) = (vec![0.0; 2], vec![0.0; 2]);
/// proportion_test_batch(&x, &n, &[0.95], TestMethod::Exact, Alternative::Less, &mut z, &mut p)
///     .unwrap();
/// assert_eq!(p[1], 1.0);
/// ```
pub fn proportion_test_batch<X: Count, N: Count>(
    x: &[X],
    n: &[N],
    p0: &[f64],
    method: TestMethod,
    alternative: Alternative,
    statistic: &mut [f64],
    p_value: &mut [f64],
) -> Result<()> {
    check_same_len("successes", x.len(), "trials", n.len())?;
    check_p0_len(p0, x.len())?;
    check_same_len("statistic", statistic.len(), "successes", x.len())?;
    check_same_len("p_value", p_value.len(), "successes", x.len())?;
    // Exact tests sum a pmf: with one p0, each distinct pair is tested once.
    // The score test costs less than the look-up, so it takes the plain path.
    if let (&[p], false) = (p0, method == TestMethod::Score) {
        check_p0(p, || "p0[0]".into())?;
        let pairs = x
            .iter()
            .zip(n)
            .enumerate()
            .map(|(i, (&xv, &nv))| {
                let xi = xv.to_count(&|| format!("successes[{i}]"))?;
                let ni = nv.to_count(&|| format!("trials[{i}]"))?;
                check_counts(xi, ni, || {
                    (format!("successes[{i}]"), format!("trials[{i}]"))
                })?;
                Ok((ni, xi))
            })
            .collect::<Result<Vec<(u64, u64)>>>()?;
        let tests = map_distinct(&pairs, |(ni, xi)| {
            Null::Binomial { n: ni, p }.test(xi, method, alternative)
        });
        for ((s, pv), t) in statistic.iter_mut().zip(p_value.iter_mut()).zip(tests) {
            (*s, *pv) = (t.statistic, t.p_value);
        }
        return Ok(());
    }
    fill_pairs(statistic, p_value, |i| {
        let xi = count_at(x, i, "successes")?;
        let ni = count_at(n, i, "trials")?;
        check_counts(xi, ni, || {
            (format!("successes[{i}]"), format!("trials[{i}]"))
        })?;
        let p = p0_at(p0, i)?;
        check_p0(p, || format!("p0[{i}]"))?;
        let t = Null::Binomial { n: ni, p }.test(xi, method, alternative);
        Ok((t.statistic, t.p_value))
    })
}

/// [`proportion_test_finite`] over arrays, in parallel (a `p0` of length 1
/// applies to every element).
///
/// # Errors
/// Mismatched lengths, or an invalid element (named as `successes[i]`,
/// `trials[i]`, `population[i]` or `p0[i]`).
#[allow(clippy::too_many_arguments)]
pub fn proportion_test_finite_batch<X: Count, N: Count, P: Count>(
    x: &[X],
    n: &[N],
    population: &[P],
    p0: &[f64],
    method: TestMethod,
    alternative: Alternative,
    statistic: &mut [f64],
    p_value: &mut [f64],
) -> Result<()> {
    check_same_len("successes", x.len(), "trials", n.len())?;
    check_same_len("population", population.len(), "trials", n.len())?;
    check_p0_len(p0, x.len())?;
    check_same_len("statistic", statistic.len(), "successes", x.len())?;
    fill_pairs(statistic, p_value, |i| {
        let xi = count_at(x, i, "successes")?;
        let ni = count_at(n, i, "trials")?;
        let pop = count_at(population, i, "population")?;
        check_counts(xi, ni, || {
            (format!("successes[{i}]"), format!("trials[{i}]"))
        })?;
        check_population(ni, pop, || format!("population[{i}]"))?;
        let p = p0_at(p0, i)?;
        check_p0(p, || format!("p0[{i}]"))?;
        let successes = lot_successes(p, pop, || format!("p0[{i}]"))?;
        let null = Null::Hyper {
            population: pop,
            successes,
            draws: ni,
        };
        let t = null.test(xi, method, alternative);
        Ok((t.statistic, t.p_value))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symmetric_two_sided_counts_both_tails() {
        // Bin(10, 1/2), x = 2: P(X <= 2) + P(X >= 8) = 2 * 56/1024.
        let t = proportion_test(2, 10, 0.5, TestMethod::Exact, Alternative::TwoSided).unwrap();
        assert!((t.p_value - 112.0 / 1024.0).abs() < 1e-15);
        let t = proportion_test(8, 10, 0.5, TestMethod::Exact, Alternative::TwoSided).unwrap();
        assert!((t.p_value - 112.0 / 1024.0).abs() < 1e-15);
        let t = proportion_test(5, 10, 0.5, TestMethod::Exact, Alternative::TwoSided).unwrap();
        assert_eq!(t.p_value, 1.0);
    }

    #[test]
    fn hypergeometric_mean_is_compared_exactly() {
        // N = 10, K = 5, n = 4: mean 2.
        let null = Null::Hyper {
            population: 10,
            successes: 5,
            draws: 4,
        };
        assert_eq!(null.around_mean(2), (Ordering::Equal, 2, 2));
        assert_eq!(null.two_sided(2), 1.0);
        // Symmetric: P(X <= 0) + P(X >= 4) = 2 * C(5,4)/C(10,4) = 10/210.
        assert!((null.two_sided(0) - 10.0 / 210.0).abs() < 1e-15);
    }

    #[test]
    fn bad_p0_and_lots_are_refused() {
        for p0 in [0.0, 1.0, -0.1, f64::NAN, f64::INFINITY] {
            let e = proportion_test(1, 2, p0, TestMethod::Exact, Alternative::Less).unwrap_err();
            assert!(e.to_string().starts_with("p0 = "), "{e}");
        }
        let e = proportion_test_finite(1, 2, 10, 0.55, TestMethod::Exact, Alternative::Less)
            .unwrap_err()
            .to_string();
        assert!(e.contains("whole number of passing items"), "{e}");
        let e = proportion_test_finite(1, 20, 10, 0.5, TestMethod::Exact, Alternative::Less)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("population = 10"), "{e}");
    }
}
