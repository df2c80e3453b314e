//! Exact interval for the pass rate of a finite lot, from a sample drawn
//! without replacement (hypergeometric inversion).

use super::batch::{count_at, fill_pairs, Count};
use super::{check_counts, Bound, Interval};
use crate::error::{check_confidence, check_same_len, Error, Result};
use crate::numerics::{hypergeometric, search};

/// The lot pass rate D/N limits for `x` passes in a sample of `n` from a lot
/// of `population` items, with `alpha` in each computed tail.
///
/// The lot holds D passing items, x <= D <= N − (n − x). The lower limit is
/// the smallest D with P(X ≥ x | D) > α and the upper limit the largest D with
/// P(X ≤ x | D) > α (the Clopper-Pearson construction with the hypergeometric
/// distribution; e.g. Wright 1991; Buonaccorsi 1987). Both tails are monotone
/// in D, so each limit is found by binary search over whole numbers. The
/// limits are multiples of 1/N.
fn limits(x: u64, n: u64, population: u64, alpha: f64) -> (f64, f64) {
    let d_min = x;
    let d_max = population - (n - x);
    // Lower: smallest D in [d_min, d_max] with P(X >= x | D) > alpha.
    let upper_tail = |d: u64| {
        if x == 0 {
            1.0
        } else {
            hypergeometric::sf(x - 1, population, d, n)
        }
    };
    let d_lower = search::partition_point(d_min, d_max, |d| upper_tail(d) > alpha);
    // Upper: largest D with P(X <= x | D) > alpha.
    let d_upper = search::last_true(d_min, d_max, |d| {
        hypergeometric::cdf(x, population, d, n) > alpha
    });
    let nf = population as f64;
    (d_lower as f64 / nf, d_upper as f64 / nf)
}

pub(super) fn check_population(n: u64, population: u64, name: impl Fn() -> String) -> Result<()> {
    const MAX: u64 = 1 << 53;
    if population < n || population > MAX {
        return Err(Error::invalid(
            name(),
            population,
            format!("a whole number >= the sample size {n} (and at most 2^53)"),
        ));
    }
    Ok(())
}

/// Exact confidence interval for the pass rate D/N of a lot of `population`
/// items, when `x` of a sample of `n` drawn without replacement passed.
///
/// # Errors
/// `n == 0`, `x > n`, `population < n`, or `confidence` outside (0, 1).
///
/// # Example
/// ```
/// use qualstat::proportion::{proportion_ci_finite, Bound};
/// // All 20 sampled items of a lot of 50 passed: at least 45 of the 50 pass (95 %).
/// let ci = proportion_ci_finite(20, 20, 50, 0.95, Bound::Lower).unwrap();
/// assert_eq!(ci.upper, 1.0);
/// assert!(ci.lower > 0.85);
/// ```
pub fn proportion_ci_finite(
    x: u64,
    n: u64,
    population: u64,
    confidence: f64,
    bound: Bound,
) -> Result<Interval> {
    check_confidence(confidence)?;
    check_counts(x, n, || ("successes".into(), "trials".into()))?;
    check_population(n, population, || "population".into())?;
    let (lo, hi) = limits(x, n, population, bound.tail(confidence));
    Ok(bound.select(lo, hi))
}

/// [`proportion_ci_finite`] over arrays, in parallel.
///
/// # Errors
/// As [`proportion_ci_finite`], with the failing element named
/// (`population[i]`), and mismatched lengths.
pub fn proportion_ci_finite_batch<X: Count, N: Count, P: Count>(
    x: &[X],
    n: &[N],
    population: &[P],
    confidence: f64,
    bound: Bound,
    lower: &mut [f64],
    upper: &mut [f64],
) -> Result<()> {
    check_confidence(confidence)?;
    check_same_len("successes", x.len(), "trials", n.len())?;
    check_same_len("population", population.len(), "trials", n.len())?;
    check_same_len("lower", lower.len(), "successes", x.len())?;
    let alpha = bound.tail(confidence);
    fill_pairs(lower, upper, |i| {
        let xi = count_at(x, i, "successes")?;
        let ni = count_at(n, i, "trials")?;
        let pi = count_at(population, i, "population")?;
        check_counts(xi, ni, || {
            (format!("successes[{i}]"), format!("trials[{i}]"))
        })?;
        check_population(ni, pi, || format!("population[{i}]"))?;
        let (lo, hi) = limits(xi, ni, pi, alpha);
        let ci = bound.select(lo, hi);
        Ok((ci.lower, ci.upper))
    })
}
