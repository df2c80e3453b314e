//! Confidence intervals and tests for the difference p₁ − p₂ of two
//! independent proportions (e.g. the pass rates of two regions or periods).
//!
//! The counts are `successes1` of `trials1` and `successes2` of `trials2`.

use super::batch::{count_at, fill_pairs, Count};
use super::{check_counts, closed, Bound, Interval};
use crate::error::{check_confidence, check_same_len, Error, Result};
use crate::numerics::{normal, roots};
use crate::options::named_options;

named_options! {
    /// Interval methods for p₁ − p₂.
    pub enum DiffMethod for "method" {
        /// Newcombe (1998, *Statist. Med.* 17:873, method 10): hybrid score
        /// interval from the two Wilson intervals.
        Newcombe = "newcombe",
        /// Miettinen & Nurminen (1985, *Statist. Med.* 4:213): inversion of the
        /// score test with the restricted maximum-likelihood variance and the
        /// N/(N − 1) correction.
        MiettinenNurminen = "miettinen_nurminen",
        /// Agresti & Caffo (2000): Wald after adding one success and one failure
        /// to each sample; clipped to [−1, 1].
        AgrestiCaffo = "agresti_caffo",
        /// Wald: d ± z√(p̂₁q̂₁/n₁ + p̂₂q̂₂/n₂), clipped to [−1, 1].
        Wald = "wald",
    }
}

fn clip(v: f64) -> f64 {
    v.clamp(-1.0, 1.0)
}

/// Newcombe's hybrid score interval:
/// L = d − √((p̂₁ − l₁)² + (u₂ − p̂₂)²), U = d + √((u₁ − p̂₁)² + (p̂₂ − l₂)²),
/// with (lᵢ, uᵢ) the Wilson limits.
fn newcombe(x1: u64, n1: u64, x2: u64, n2: u64, z: f64) -> (f64, f64) {
    let (p1, p2) = (x1 as f64 / n1 as f64, x2 as f64 / n2 as f64);
    let (l1, u1) = closed::wilson(x1, n1, z);
    let (l2, u2) = closed::wilson(x2, n2, z);
    let d = p1 - p2;
    let lo = d - ((p1 - l1).powi(2) + (u2 - p2).powi(2)).sqrt();
    let hi = d + ((u1 - p1).powi(2) + (p2 - l2).powi(2)).sqrt();
    (clip(lo), clip(hi))
}

fn wald(x1: u64, n1: u64, x2: u64, n2: u64, z: f64) -> (f64, f64) {
    let (n1, n2) = (n1 as f64, n2 as f64);
    let (p1, p2) = (x1 as f64 / n1, x2 as f64 / n2);
    let h = z * (p1 * (1.0 - p1) / n1 + p2 * (1.0 - p2) / n2).sqrt();
    (clip(p1 - p2 - h), clip(p1 - p2 + h))
}

fn agresti_caffo(x1: u64, n1: u64, x2: u64, n2: u64, z: f64) -> (f64, f64) {
    let (m1, m2) = (n1 as f64 + 2.0, n2 as f64 + 2.0);
    let (p1, p2) = ((x1 as f64 + 1.0) / m1, (x2 as f64 + 1.0) / m2);
    let h = z * (p1 * (1.0 - p1) / m1 + p2 * (1.0 - p2) / m2).sqrt();
    (clip(p1 - p2 - h), clip(p1 - p2 + h))
}

/// The variance of d = p̂₁ − p̂₂ under p₁ − p₂ = δ used by the score method
/// of Miettinen & Nurminen (1985): (p̃₁q̃₁/n₁ + p̃₂q̃₂/n₂)·N/(N − 1), with
/// (p̃₁, p̃₂) the restricted maximum-likelihood estimates and N = n₁ + n₂.
fn score_variance(p1: f64, n1: f64, p2: f64, n2: f64, delta: f64) -> f64 {
    let (t1, t2) = restricted_mle(p1, n1, p2, n2, delta);
    let big_n = n1 + n2;
    (t1 * (1.0 - t1) / n1 + t2 * (1.0 - t2) / n2) * big_n / (big_n - 1.0)
}

/// Restricted maximum-likelihood estimates (p̃₁, p̃₂) under p₁ − p₂ = δ: the
/// root in [max(0, δ), min(1, 1 + δ)] of the cubic of Miettinen & Nurminen
/// (1985, appendix), solved in trigonometric form (Farrington & Manning 1990).
fn restricted_mle(p1: f64, n1: f64, p2: f64, n2: f64, delta: f64) -> (f64, f64) {
    let theta = n2 / n1;
    let a = 1.0 + theta;
    let b = -(1.0 + theta + p1 + theta * p2 + delta * (theta + 2.0));
    let c = delta * delta + delta * (2.0 * p1 + theta + 1.0) + p1 + theta * p2;
    let d = -p1 * delta * (1.0 + delta);
    let v = b.powi(3) / (27.0 * a.powi(3)) - b * c / (6.0 * a * a) + d / (2.0 * a);
    let u2 = (b * b / (9.0 * a * a) - c / (3.0 * a)).max(0.0);
    let u = u2.sqrt().copysign(v);
    let ratio = if u == 0.0 {
        0.0
    } else {
        (v / (u * u2)).clamp(-1.0, 1.0)
    };
    let w = (std::f64::consts::PI + ratio.acos()) / 3.0;
    let lo = delta.max(0.0);
    let hi = (1.0 + delta).min(1.0);
    let t1 = (2.0 * u * w.cos() - b / (3.0 * a)).clamp(lo, hi);
    (t1, (t1 - delta).clamp(0.0, 1.0))
}

/// Miettinen-Nurminen: {δ : (d − δ)² ≤ z² V(δ)}, V(δ) = (p̃₁q̃₁/n₁ + p̃₂q̃₂/n₂)·N/(N − 1).
///
/// The set is an interval containing d; at δ = ±1 the inequality fails
/// unless d = ±1. Each limit is therefore found by bisection on the
/// predicate "the inequality holds" between d and ±1. Bisection on the
/// predicate (rather than a root of the difference) also handles zero cells,
/// where the difference touches 0 at δ = d itself; it never starts from the
/// Wald interval.
fn miettinen_nurminen(x1: u64, n1: u64, x2: u64, n2: u64, z: f64) -> (f64, f64) {
    let (nf1, nf2) = (n1 as f64, n2 as f64);
    let (p1, p2) = (x1 as f64 / nf1, x2 as f64 / nf2);
    let d = p1 - p2;
    let z2 = z * z;
    let g = |delta: f64| (d - delta).powi(2) - z2 * score_variance(p1, nf1, p2, nf2, delta);
    let inside = |delta: f64| g(delta) <= 0.0;
    let lower = if d <= -1.0 {
        -1.0
    } else {
        roots::bisect_flip(-1.0, d, 1e-15, inside)
    };
    let upper = if d >= 1.0 {
        1.0
    } else {
        roots::bisect_flip(1.0, d, 1e-15, inside)
    };
    (clip(lower), clip(upper))
}

/// One pair of samples: `successes1` of `trials1` and `successes2` of `trials2`.
#[derive(Debug, Clone, Copy)]
struct Counts {
    x1: u64,
    n1: u64,
    x2: u64,
    n2: u64,
}

impl Counts {
    /// Validated counts; errors name the arguments `successes1`, ... with
    /// `suffix` (an element index such as `"[3]"`, or nothing).
    fn checked(x1: u64, n1: u64, x2: u64, n2: u64, suffix: &dyn Fn() -> String) -> Result<Self> {
        check_counts(x1, n1, || {
            (
                format!("successes1{}", suffix()),
                format!("trials1{}", suffix()),
            )
        })?;
        check_counts(x2, n2, || {
            (
                format!("successes2{}", suffix()),
                format!("trials2{}", suffix()),
            )
        })?;
        Ok(Counts { x1, n1, x2, n2 })
    }

    /// The estimates (p̂₁, n₁, p̂₂, n₂) as floats.
    fn rates(self) -> (f64, f64, f64, f64) {
        let (n1, n2) = (self.n1 as f64, self.n2 as f64);
        (self.x1 as f64 / n1, n1, self.x2 as f64 / n2, n2)
    }

    fn limits(self, method: DiffMethod, z: f64) -> (f64, f64) {
        let Counts { x1, n1, x2, n2 } = self;
        match method {
            DiffMethod::Newcombe => newcombe(x1, n1, x2, n2, z),
            DiffMethod::MiettinenNurminen => miettinen_nurminen(x1, n1, x2, n2, z),
            DiffMethod::AgrestiCaffo => agresti_caffo(x1, n1, x2, n2, z),
            DiffMethod::Wald => wald(x1, n1, x2, n2, z),
        }
    }

    fn interval(self, method: DiffMethod, bound: Bound, z: f64) -> (f64, f64) {
        let (lo, hi) = self.limits(method, z);
        let ci = bound.select_within(lo, hi, (-1.0, 1.0));
        (ci.lower, ci.upper)
    }
}

/// Confidence interval for p₁ − p₂ from `successes1` of `trials1` and
/// `successes2` of `trials2`.
///
/// A two-sided interval puts (1 − confidence)/2 in each tail;
/// [`Bound::Lower`] returns the one-sided lower bound at `confidence` as
/// `(L, 1)` and [`Bound::Upper`] returns `(−1, U)` (each is the limit of the
/// two-sided interval at confidence 2·confidence − 1).
///
/// # Errors
/// A count pair with trials = 0 or successes > trials, or `confidence`
/// outside (0, 1).
///
/// # Example
/// ```
/// use qualstat::proportion::{proportion_diff_ci, Bound, DiffMethod};
/// // Newcombe (1998), example (a): 56/70 − 48/80 = 0.2, interval 0.0524 to 0.3339.
/// let ci = proportion_diff_ci(56, 70, 48, 80, 0.95, DiffMethod::Newcombe, Bound::TwoSided)
///     .unwrap();
/// assert!((ci.lower - 0.0524).abs() < 5e-5 && (ci.upper - 0.3339).abs() < 5e-5);
/// ```
pub fn proportion_diff_ci(
    successes1: u64,
    trials1: u64,
    successes2: u64,
    trials2: u64,
    confidence: f64,
    method: DiffMethod,
    bound: Bound,
) -> Result<Interval> {
    check_confidence(confidence)?;
    let counts = Counts::checked(successes1, trials1, successes2, trials2, &String::new)?;
    let (lower, upper) = counts.interval(method, bound, bound.z(confidence));
    Ok(Interval { lower, upper })
}

/// The four count arrays of a batch of two-sample comparisons.
#[derive(Debug, Clone, Copy)]
pub struct TwoSamples<'a, A, B, C, D> {
    /// Successes in sample 1.
    pub successes1: &'a [A],
    /// Size of sample 1.
    pub trials1: &'a [B],
    /// Successes in sample 2.
    pub successes2: &'a [C],
    /// Size of sample 2.
    pub trials2: &'a [D],
}

impl<A: Count, B: Count, C: Count, D: Count> TwoSamples<'_, A, B, C, D> {
    /// Checks that the four arrays and the output `output` have one length.
    fn check_lengths(&self, output: &str, outputs: usize) -> Result<()> {
        let n = self.trials1.len();
        check_same_len("successes1", self.successes1.len(), "trials1", n)?;
        check_same_len("successes2", self.successes2.len(), "trials1", n)?;
        check_same_len("trials2", self.trials2.len(), "trials1", n)?;
        check_same_len(output, outputs, "trials1", n)
    }

    /// The validated counts of element `i` (errors name `successes1[i]`, ...).
    fn at(&self, i: usize) -> Result<Counts> {
        Counts::checked(
            count_at(self.successes1, i, "successes1")?,
            count_at(self.trials1, i, "trials1")?,
            count_at(self.successes2, i, "successes2")?,
            count_at(self.trials2, i, "trials2")?,
            &|| format!("[{i}]"),
        )
    }
}

/// [`proportion_diff_ci`] over arrays, in parallel.
///
/// # Errors
/// As [`proportion_diff_ci`], with the failing element named, and mismatched lengths.
pub fn proportion_diff_ci_batch<A: Count, B: Count, C: Count, D: Count>(
    samples: TwoSamples<'_, A, B, C, D>,
    confidence: f64,
    method: DiffMethod,
    bound: Bound,
    lower: &mut [f64],
    upper: &mut [f64],
) -> Result<()> {
    check_confidence(confidence)?;
    samples.check_lengths("lower", lower.len())?;
    let z = bound.z(confidence);
    fill_pairs(lower, upper, |i| {
        Ok(samples.at(i)?.interval(method, bound, z))
    })
}

named_options! {
    /// Tests of H₀: p₁ − p₂ = δ₀ against an [`Alternative`].
    pub enum DiffTestMethod for "method" {
        /// Score test of Miettinen & Nurminen (1985, *Statist. Med.* 4:213):
        /// z = (d − δ₀)/√V(δ₀), with V the variance at the restricted
        /// maximum-likelihood estimates times N/(N − 1). The two-sided test
        /// rejects at level 1 − c exactly when δ₀ is outside the
        /// Miettinen-Nurminen interval at confidence c. Alias "miettinen_nurminen".
        Score = "score" | "miettinen_nurminen",
        /// Wald test: z = (d − δ₀)/√(p̂₁q̂₁/n₁ + p̂₂q̂₂/n₂); dual to the Wald interval.
        Wald = "wald",
        /// Agresti & Caffo (2000): the Wald test after adding one success and
        /// one failure to each sample; dual to the Agresti-Caffo interval.
        AgrestiCaffo = "agresti_caffo",
    }
}

named_options! {
    /// The alternative hypothesis of a test of p₁ − p₂ = δ₀.
    pub enum Alternative for "alternative" {
        /// p₁ − p₂ ≠ δ₀: p = 2·(1 − Φ(|z|)).
        TwoSided = "two-sided",
        /// p₁ − p₂ > δ₀: p = 1 − Φ(z) (dual to the one-sided lower bound).
        Greater = "greater" | "larger",
        /// p₁ − p₂ < δ₀: p = Φ(z) (dual to the one-sided upper bound).
        Less = "less" | "smaller",
    }
}

/// The result of a test of p₁ − p₂ = δ₀.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DiffTest {
    /// The standardised statistic z (±∞ when the variance is 0 and d ≠ δ₀;
    /// 0 when the variance is 0 and d = δ₀).
    pub statistic: f64,
    /// The p-value under the alternative, from the standard normal.
    pub p_value: f64,
}

/// z = (d − δ₀)/√var, with the limits of a zero variance (no variation in
/// either sample): 0 when d = δ₀, else ±∞.
fn standardise(diff: f64, var: f64) -> f64 {
    if var > 0.0 {
        diff / var.sqrt()
    } else if diff == 0.0 {
        0.0
    } else {
        f64::INFINITY.copysign(diff)
    }
}

impl Counts {
    fn test(self, delta: f64, method: DiffTestMethod, alternative: Alternative) -> (f64, f64) {
        let (p1, n1, p2, n2) = self.rates();
        let z = match method {
            DiffTestMethod::Score => {
                standardise(p1 - p2 - delta, score_variance(p1, n1, p2, n2, delta))
            }
            DiffTestMethod::Wald => {
                let var = p1 * (1.0 - p1) / n1 + p2 * (1.0 - p2) / n2;
                standardise(p1 - p2 - delta, var)
            }
            DiffTestMethod::AgrestiCaffo => {
                let (m1, m2) = (n1 + 2.0, n2 + 2.0);
                let (a1, a2) = ((self.x1 as f64 + 1.0) / m1, (self.x2 as f64 + 1.0) / m2);
                let var = a1 * (1.0 - a1) / m1 + a2 * (1.0 - a2) / m2;
                standardise(a1 - a2 - delta, var)
            }
        };
        let p = match alternative {
            Alternative::TwoSided => (2.0 * normal::sf(z.abs())).min(1.0),
            Alternative::Greater => normal::sf(z),
            Alternative::Less => normal::cdf(z),
        };
        (z, p)
    }
}

fn check_delta(delta: f64) -> Result<()> {
    if delta > -1.0 && delta < 1.0 {
        Ok(())
    } else {
        Err(Error::invalid(
            "delta",
            delta,
            "a difference in the open interval (-1, 1)",
        ))
    }
}

/// Test of H₀: p₁ − p₂ = `delta` from `successes1` of `trials1` and
/// `successes2` of `trials2` (large-sample z tests; see [`DiffTestMethod`]).
///
/// # Errors
/// A count pair with trials = 0 or successes > trials, or `delta` outside (−1, 1).
///
/// # Example
/// ```
/// use qualstat::proportion::{proportion_diff_test, Alternative, DiffTestMethod};
/// let t = proportion_diff_test(56, 70, 48, 80, 0.0, DiffTestMethod::Score, Alternative::TwoSided)
///     .unwrap();
/// assert!(t.p_value < 0.01 && t.statistic > 2.5);
/// ```
pub fn proportion_diff_test(
    successes1: u64,
    trials1: u64,
    successes2: u64,
    trials2: u64,
    delta: f64,
    method: DiffTestMethod,
    alternative: Alternative,
) -> Result<DiffTest> {
    check_delta(delta)?;
    let counts = Counts::checked(successes1, trials1, successes2, trials2, &String::new)?;
    let (statistic, p_value) = counts.test(delta, method, alternative);
    Ok(DiffTest { statistic, p_value })
}

/// [`proportion_diff_test`] over arrays, in parallel: `statistic[i]` and
/// `p_value[i]` receive the result for element i.
///
/// # Errors
/// As [`proportion_diff_test`], with the failing element named, and mismatched lengths.
pub fn proportion_diff_test_batch<A: Count, B: Count, C: Count, D: Count>(
    samples: TwoSamples<'_, A, B, C, D>,
    delta: f64,
    method: DiffTestMethod,
    alternative: Alternative,
    statistic: &mut [f64],
    p_value: &mut [f64],
) -> Result<()> {
    check_delta(delta)?;
    samples.check_lengths("statistic", statistic.len())?;
    fill_pairs(statistic, p_value, |i| {
        Ok(samples.at(i)?.test(delta, method, alternative))
    })
}
