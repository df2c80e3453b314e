//! Sample size of a pass/fail demonstration test (success-run theorem).

use crate::error::{check_open_unit, Error, Result};
use crate::numerics::{binomial, search};

/// The smallest n such that observing at most `failures` failures in n trials
/// demonstrates, at the given confidence, that the pass rate is at least
/// `pass_rate`: the smallest n with P(X ≤ f | n, 1 − R) ≤ 1 − C, where X is
/// the number of failures (binomial; the one-sided Clopper-Pearson bound).
/// For f = 0 this is the success-run formula n = ⌈ln(1 − C)/ln R⌉
/// (0.95 pass rate at 95 % confidence: 59).
///
/// # Errors
/// `pass_rate` or `confidence` outside (0, 1), or a required n above 2^53.
///
/// # Example
/// ```
/// use qualstat::proportion::demonstration_sample_size;
/// assert_eq!(demonstration_sample_size(0.95, 0.95, 0).unwrap(), 59);
/// assert_eq!(demonstration_sample_size(0.90, 0.90, 0).unwrap(), 22);
/// ```
pub fn demonstration_sample_size(pass_rate: f64, confidence: f64, failures: u64) -> Result<u64> {
    check_open_unit("pass_rate", pass_rate)?;
    check_open_unit("confidence", confidence)?;
    const MAX: u64 = 1 << 53;
    if failures >= MAX {
        return Err(Error::invalid(
            "failures",
            failures,
            "a whole number below 2^53",
        ));
    }
    let q = 1.0 - pass_rate;
    let risk = 1.0 - confidence;
    let demonstrates = |n: u64| binomial::cdf(failures, n, q) <= risk;
    // Galloping search from f + 1 (n = f is never enough: cdf(f; f, q) = 1),
    // doubling n, then binary search (the cdf is non-increasing in n).
    let first = failures + 1;
    search::first_true(first, MAX, first, demonstrates).ok_or_else(|| {
        Error::NoSolution(format!(
            "demonstrating pass_rate {pass_rate} at confidence {confidence} with {failures} \
             failures needs more than 2^53 trials"
        ))
    })
}
