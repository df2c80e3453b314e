//! Operating characteristic of a chart: β, the probability that the next
//! point falls between the control limits (does not signal).
//!
//! * Normal statistic with standardized limits l < u (limits minus centre,
//!   in standard errors of the in-control statistic) and a shift of δ process
//!   σ in the mean of subgroups of n: β(δ) = Φ(u − δ√n) − Φ(l − δ√n)
//!   (Montgomery §6.2.6; qcc `ocCurves.xbar`).
//! * Counts X (binomial(n, p) for p and np charts, Poisson(μ) for c and u)
//!   with limits on the count scale: the chart signals only strictly beyond
//!   a limit, so the in-control counts are ⌈LCL⌉..⌊UCL⌋,
//!   β = P(X ≤ ⌊UCL⌋) − P(X ≤ ⌈LCL⌉ − 1). qcc counts from ⌊LCL⌋ and
//!   overstates β when the lower limit is not a whole number
//!   (`reference/spc_notes.md` §2, trap 2).
//! * S chart with a change of σ to ρσ: (n − 1)S²/(ρσ)² is χ²(n − 1), so
//!   β = F((n − 1)(UCL/ρσ)²) − F((n − 1)(LCL/ρσ)²).

use crate::error::{Error, Result};
use crate::numerics::{binomial, chi_square, normal, poisson};

/// Tolerance when a limit on the count scale is a whole number up to rounding.
const WHOLE: f64 = 1e-9;

/// The in-control counts ⌈LCL⌉..⌊UCL⌋ of limits on the count scale (a limit
/// within 1e-9 relative of a whole number taken as that number): the largest
/// count below them (`None` when ⌈LCL⌉ ≤ 0) and ⌊UCL⌋.
pub(crate) fn in_control_counts(lcl: f64, ucl: f64) -> (Option<u64>, u64) {
    let lo = (lcl - WHOLE * lcl.abs().max(1.0)).ceil().max(0.0);
    let hi = (ucl + WHOLE * ucl.abs().max(1.0)).floor();
    let below = if lo >= 1.0 { Some(lo as u64 - 1) } else { None };
    (below, hi.max(-1.0) as u64)
}

/// β of a normal statistic at shifts `delta` (see the module docs).
pub fn oc_normal(delta: &[f64], lower: f64, upper: f64, n: f64) -> Vec<f64> {
    let rn = n.sqrt();
    delta
        .iter()
        .map(|d| normal::cdf(upper - d * rn) - normal::cdf(lower - d * rn))
        .collect()
}

/// β of a binomial count (n trials, limits on the count scale) at fractions `p`.
///
/// # Errors
/// A fraction outside [0, 1].
pub fn oc_binomial(p: &[f64], n: u64, lcl: f64, ucl: f64) -> Result<Vec<f64>> {
    let (below, hi) = in_control_counts(lcl, ucl);
    p.iter()
        .enumerate()
        .map(|(i, &p)| {
            crate::error::check_unit(&format!("x[{i}]"), p)?;
            if ucl < 0.0 || below.is_some_and(|b| b >= hi) {
                return Ok(0.0);
            }
            let upper = binomial::cdf(hi.min(n), n, p);
            Ok(upper - below.map_or(0.0, |b| binomial::cdf(b, n, p)))
        })
        .collect()
}

/// β of a Poisson count (limits on the count scale) at means `mean`.
///
/// # Errors
/// A mean that is negative or not finite.
pub fn oc_poisson(mean: &[f64], lcl: f64, ucl: f64) -> Result<Vec<f64>> {
    let (below, hi) = in_control_counts(lcl, ucl);
    mean.iter()
        .enumerate()
        .map(|(i, &m)| {
            if !(m >= 0.0 && m.is_finite()) {
                return Err(Error::invalid(format!("x[{i}]"), m, "a mean count >= 0"));
            }
            if ucl < 0.0 || below.is_some_and(|b| b >= hi) {
                return Ok(0.0);
            }
            Ok(poisson::cdf(hi, m) - below.map_or(0.0, |b| poisson::cdf(b, m)))
        })
        .collect()
}

/// β of the S chart (subgroups of n, limits in data units, in-control σ)
/// at ratios `rho` of the new to the in-control σ.
///
/// # Errors
/// A ratio that is not positive and finite.
pub fn oc_sd(rho: &[f64], n: u64, sigma: f64, lcl: f64, ucl: f64) -> Result<Vec<f64>> {
    let df = (n - 1) as f64;
    rho.iter()
        .enumerate()
        .map(|(i, &r)| {
            if !(r > 0.0 && r.is_finite()) {
                return Err(Error::invalid(
                    format!("x[{i}]"),
                    r,
                    "a positive ratio of sigmas",
                ));
            }
            let s = r * sigma;
            Ok(chi_square::cdf(df * (ucl / s).powi(2), df)
                - chi_square::cdf(df * (lcl / s).powi(2), df))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_limit_side() {
        // LCL = 1.5 on the count scale: 1 signals, 2 does not.
        let b = oc_poisson(&[2.0], 1.5, 6.0).unwrap()[0];
        let want = poisson::cdf(6, 2.0) - poisson::cdf(1, 2.0);
        assert!((b - want).abs() < 1e-15);
        // An exact whole-number limit is in control.
        let b = oc_poisson(&[2.0], 2.0 + 1e-12, 6.0).unwrap()[0];
        assert!((b - (poisson::cdf(6, 2.0) - poisson::cdf(1, 2.0))).abs() < 1e-15);
        let n = oc_normal(&[0.0], -3.0, 3.0, 5.0)[0];
        assert!((n - (1.0 - 2.0 * normal::cdf(-3.0))).abs() < 1e-15);
    }
}
