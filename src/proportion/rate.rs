//! Confidence intervals for a Poisson rate: nonconformities per unit.

use super::batch::{count_at, fill_pairs, Count};
use super::{Bound, Interval};
use crate::error::{check_confidence, check_same_len, Error, Result};
use crate::numerics::special;
use crate::options::named_options;

named_options! {
    /// Interval methods for a Poisson rate λ = count / exposure.
    pub enum RateMethod for "method" {
        /// Garwood (1936) exact: L = P⁻¹(k, α/2)/T, U = P⁻¹(k + 1, 1 − α/2)/T
        /// (P the regularized lower incomplete gamma; equivalently χ²(2k)/2 and
        /// χ²(2k + 2)/2 quantiles). L = 0 at k = 0.
        Exact = "exact" | "garwood",
        /// k/T ± z√k/T, clipped at 0.
        Wald = "wald",
        /// Score (inversion of the score test): (k + z²/2 ± z√(k + z²/4))/T.
        Score = "score",
        /// Jeffreys: Gamma(k + ½) quantiles over T; L = 0 at k = 0.
        Jeffreys = "jeffreys",
    }
}

fn check_exposure(exposure: f64, name: &dyn Fn() -> String) -> Result<()> {
    if exposure > 0.0 && exposure.is_finite() {
        Ok(())
    } else {
        Err(Error::invalid(name(), exposure, "a finite number > 0"))
    }
}

/// Both limits of the rate, with `alpha` in each computed tail and
/// z = Φ⁻¹(1 − alpha), for a validated count and exposure.
fn limits(k: u64, exposure: f64, method: RateMethod, alpha: f64, z: f64) -> (f64, f64) {
    let kf = k as f64;
    let (lo, hi) = match method {
        RateMethod::Exact => {
            let lo = if k == 0 {
                0.0
            } else {
                special::gamma_p_inv(kf, alpha)
            };
            (lo, special::gamma_q_inv(kf + 1.0, alpha))
        }
        RateMethod::Wald => {
            let h = z * kf.sqrt();
            ((kf - h).max(0.0), kf + h)
        }
        RateMethod::Score => {
            let c = kf + 0.5 * z * z;
            let h = z * (kf + 0.25 * z * z).sqrt();
            // c − h rationalised: (c² − h²)/(c + h) = k²/(c + h).
            (kf * kf / (c + h), c + h)
        }
        RateMethod::Jeffreys => {
            let lo = if k == 0 {
                0.0
            } else {
                special::gamma_p_inv(kf + 0.5, alpha)
            };
            (lo, special::gamma_q_inv(kf + 0.5, alpha))
        }
    };
    (lo / exposure, hi / exposure)
}

/// Everything about a rate call that does not depend on the data.
#[derive(Debug, Clone, Copy)]
struct RateSetup {
    method: RateMethod,
    bound: Bound,
    alpha: f64,
    z: f64,
}

impl RateSetup {
    fn new(confidence: f64, method: RateMethod, bound: Bound) -> Result<Self> {
        check_confidence(confidence)?;
        Ok(RateSetup {
            method,
            bound,
            alpha: bound.tail(confidence),
            z: bound.z(confidence),
        })
    }

    /// The interval kept by the bound (a lower bound reads `(L, ∞)`, an
    /// upper bound `(0, U)`), for a valid count.
    ///
    /// # Errors
    /// The exposure (named by `name`) is not finite and > 0, or so small
    /// that a computed limit count/exposure overflows to infinity.
    fn interval(&self, k: u64, exposure: f64, name: &dyn Fn() -> String) -> Result<(f64, f64)> {
        check_exposure(exposure, name)?;
        let (lo, hi) = limits(k, exposure, self.method, self.alpha, self.z);
        let ci = self.bound.select_within(lo, hi, (0.0, f64::INFINITY));
        let overflows = match self.bound {
            Bound::TwoSided => !hi.is_finite(),
            Bound::Lower => !lo.is_finite(),
            Bound::Upper => !hi.is_finite(),
        };
        if overflows {
            return Err(Error::invalid(
                name(),
                format!("{exposure:e}"),
                "a number large enough that the rate limits (events per unit) are finite \
                 numbers; express the exposure in larger units",
            ));
        }
        Ok((ci.lower, ci.upper))
    }
}

/// Confidence interval for the rate of `count` events (nonconformities) in
/// `exposure` units.
///
/// A two-sided interval puts (1 − confidence)/2 in each tail;
/// [`Bound::Lower`] returns the one-sided lower bound as `(L, ∞)` and
/// [`Bound::Upper`] returns `(0, U)`.
///
/// # Errors
/// `exposure` not finite and > 0 (or so small that the limits overflow), or
/// `confidence` outside (0, 1).
///
/// # Example
/// ```
/// use qualstat::proportion::{rate_ci, Bound, RateMethod};
/// // No nonconformity in 100 units: at most 0.0369 per unit (exact, 95 %).
/// let ci = rate_ci(0, 100.0, 0.95, RateMethod::Exact, Bound::TwoSided).unwrap();
/// assert_eq!(ci.lower, 0.0);
/// assert!((ci.upper - 0.036889).abs() < 1e-6);
/// ```
pub fn rate_ci(
    count: u64,
    exposure: f64,
    confidence: f64,
    method: RateMethod,
    bound: Bound,
) -> Result<Interval> {
    let setup = RateSetup::new(confidence, method, bound)?;
    let (lower, upper) = setup.interval(count, exposure, &|| "exposure".into())?;
    Ok(Interval { lower, upper })
}

/// [`rate_ci`] over arrays, in parallel.
///
/// # Errors
/// As [`rate_ci`], with the failing element named, and mismatched lengths.
pub fn rate_ci_batch<K: Count>(
    count: &[K],
    exposure: &[f64],
    confidence: f64,
    method: RateMethod,
    bound: Bound,
    lower: &mut [f64],
    upper: &mut [f64],
) -> Result<()> {
    let setup = RateSetup::new(confidence, method, bound)?;
    check_same_len("count", count.len(), "exposure", exposure.len())?;
    check_same_len("lower", lower.len(), "count", count.len())?;
    fill_pairs(lower, upper, |i| {
        let k = count_at(count, i, "count")?;
        let t = exposure.get(i).copied().unwrap_or(f64::NAN);
        setup.interval(k, t, &|| format!("exposure[{i}]"))
    })
}
