//! Moments and median of the range of `n` independent standard normal
//! variables: the unbiasing constants d2, d3 and d4.
//!
//! # Formulas
//! With Φ and φ the standard normal cdf and density (Montgomery,
//! *Introduction to Statistical Quality Control*, §6.2; Minitab Help,
//! "Unbiasing constants d2(), d3() and d4()"):
//!
//! * d2(n) = E[R] = ∫ [1 − Φ(x)ⁿ − (1 − Φ(x))ⁿ] dx,
//! * P(R > w) = n ∫ φ(x) [(1 − Φ(x))ⁿ⁻¹ − (Φ(x + w) − Φ(x))ⁿ⁻¹] dx,
//! * E[R²] = ∫₀^∞ 2w P(R > w) dw and d3(n) = √(E[R²] − d2²),
//! * d4(n) = the median of R: P(R > d4) = ½.
//!
//! The integrals are evaluated by adaptive Gauss–Kronrod quadrature to about
//! 1e-14 absolute, so the constants are as accurate as `numerics::normal`'s Φ
//! allows (about 1e-10 relative with today's statrs erfc; 1e-12 or better
//! with a 1e-14 Φ). Values for n ≤ [`CACHE_MAX`] are computed once and cached.

use crate::error::{Error, Result};
use crate::numerics::integrate::integrate;
use crate::numerics::normal;
use crate::numerics::roots::find_root;
use std::sync::OnceLock;

/// Subgroup sizes up to this value are cached after their first evaluation.
pub const CACHE_MAX: usize = 100;

type Cache = [OnceLock<f64>; CACHE_MAX + 1];
static D2: Cache = [const { OnceLock::new() }; CACHE_MAX + 1];
static D3: Cache = [const { OnceLock::new() }; CACHE_MAX + 1];
static D4: Cache = [const { OnceLock::new() }; CACHE_MAX + 1];

/// The largest subgroup size for d3 and d4: 100 000. Their nested quadrature
/// is checked against an independent evaluation (the minimum's distribution
/// by the substitution u = 1 − (1 − Φ(x))ⁿ, scipy quad) up to this size; for
/// much larger n the adaptive rule can miss the narrow peak of the minimum's
/// density and return wrong values (d3(10¹²) = 0), so larger sizes are refused.
/// d2 is a single integral of a smooth step and holds for every n.
pub const RANGE_N_MAX: u64 = 100_000;

/// Quadrature tolerance (absolute) for the range integrals.
const TOL: f64 = 1e-15;

fn check_n(n: u64) -> Result<()> {
    if n >= 2 {
        Ok(())
    } else {
        Err(Error::invalid("n", n, "a subgroup size of at least 2"))
    }
}

/// Refuses sizes above [`RANGE_N_MAX`] for d3 and d4.
fn check_range_n(n: u64) -> Result<()> {
    if n <= RANGE_N_MAX {
        return Ok(());
    }
    Err(Error::invalid(
        "n",
        n,
        format!(
            "a subgroup size from 2 to {RANGE_N_MAX} (d3 and d4 come from a quadrature verified up to that size)"
        ),
    ))
}

fn cached(cache: &'static Cache, n: u64, compute: fn(f64) -> f64) -> Result<f64> {
    check_n(n)?;
    match usize::try_from(n).ok().and_then(|i| cache.get(i)) {
        Some(cell) => Ok(*cell.get_or_init(|| compute(n as f64))),
        None => Ok(compute(n as f64)),
    }
}

/// A bound beyond which the largest of n standard normals practically never
/// falls: √(2 ln n) plus a margin where n·(1 − Φ) < 1e-20.
fn tail_limit(n: f64) -> f64 {
    (2.0 * n.ln()).sqrt() + 9.5
}

fn d2_exact(n: f64) -> f64 {
    // The integrand is even in x: 2 ∫₀^∞ [1 − Φⁿ − (1 − Φ)ⁿ] dx, with
    // 1 − Φⁿ = −expm1(n ln(1 − Q)) computed from the upper tail Q = 1 − Φ.
    let f = |x: f64| {
        let q = normal::sf(x);
        -(n * (-q).ln_1p()).exp_m1() - q.powf(n)
    };
    2.0 * integrate(f, 0.0, tail_limit(n), TOL)
}

/// P(R > w) for the range R of n standard normals, computed without
/// forming 1 − P(R ≤ w) (which would turn the cdf's rounding into an
/// absolute error that the long tail of E[R²] integrates up).
///
/// Conditioning on the minimum X₍₁₎ = x (density n φ(x) Q(x)ⁿ⁻¹ with
/// Q = 1 − Φ): P(R > w) = n ∫ φ(x) [Q(x)ⁿ⁻¹ − (Q(x) − Q(x + w))ⁿ⁻¹] dx
/// = n ∫ φ(x) Q(x)ⁿ⁻¹ [−expm1((n − 1) ln(1 − Q(x + w)/Q(x)))] dx.
fn range_sf(w: f64, n: f64) -> f64 {
    if w <= 0.0 {
        return 1.0;
    }
    let lim = tail_limit(n);
    let f = |x: f64| {
        let phi = (-0.5 * x * x).exp() / (2.0 * std::f64::consts::PI).sqrt();
        let (qa, qb) = (normal::sf(x), normal::sf(x + w));
        if qa <= 0.0 {
            return 0.0;
        }
        // ln Q(x) from ln(1 − Φ(x)) where Q is near 1: ln Q would lose the
        // digits that (n − 1) ln Q multiplies for large n.
        let ln_qa = if x < 0.0 {
            (-normal::cdf(x)).ln_1p()
        } else {
            qa.ln()
        };
        let m = n - 1.0;
        phi * (m * ln_qa).exp() * -(m * (-(qb / qa)).ln_1p()).exp_m1()
    };
    (n * integrate(f, -lim, lim, TOL)).clamp(0.0, 1.0)
}

fn d3_exact(n: f64) -> f64 {
    let upper = 2.0 * tail_limit(n);
    let second_moment = integrate(|w| 2.0 * w * range_sf(w, n), 0.0, upper, 1e-13);
    let d2 = d2_exact(n);
    (second_moment - d2 * d2).max(0.0).sqrt()
}

fn d4_exact(n: f64) -> f64 {
    let upper = 2.0 * tail_limit(n);
    // P(R > w) − ½ changes sign on (0, upper); the bracket is always valid.
    find_root(|w| range_sf(w, n) - 0.5, 0.0, upper, 1e-15).unwrap_or(f64::NAN)
}

/// d2(n) = E(R)/σ, the mean range of n standard normal observations.
///
/// # Examples
/// ```
/// let d2 = qualstat::spc::d2(5).unwrap();
/// assert!((d2 - 2.325_929).abs() < 1e-6);
/// ```
///
/// # Errors
/// [`Error::InvalidArgument`] if `n < 2`.
pub fn d2(n: u64) -> Result<f64> {
    cached(&D2, n, d2_exact)
}

/// d3(n) = sd(R)/σ, the standard deviation of the range of n standard normals.
///
/// # Examples
/// ```
/// let d3 = qualstat::spc::d3(2).unwrap();
/// assert!((d3 - (2.0 - 4.0 / std::f64::consts::PI).sqrt()).abs() < 1e-9);
/// ```
///
/// # Errors
/// [`Error::InvalidArgument`] if `n < 2` or `n >` [`RANGE_N_MAX`].
pub fn d3(n: u64) -> Result<f64> {
    check_range_n(n)?;
    cached(&D3, n, d3_exact)
}

/// d4(n) = median(R)/σ, the median range of n standard normals (Minitab's d4,
/// used by the median-moving-range estimate of σ).
///
/// # Examples
/// ```
/// let d4 = qualstat::spc::d4(2).unwrap();
/// assert!((d4 - 0.954).abs() < 5e-4);
/// ```
///
/// # Errors
/// [`Error::InvalidArgument`] if `n < 2` or `n >` [`RANGE_N_MAX`].
pub fn d4(n: u64) -> Result<f64> {
    check_range_n(n)?;
    cached(&D4, n, d4_exact)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closed_forms_for_two() {
        // R = |X1 − X2| with X1 − X2 ~ N(0, 2): E R = 2/√π, E R² = 2,
        // median = √2 Φ⁻¹(3/4).
        let pi = std::f64::consts::PI;
        // Tolerance 1e-9: limited today by numerics::normal (statrs erfc, ~1e-10
        // relative); the integration itself is good to ~1e-14.
        let tol = 1e-9;
        assert!((d2(2).unwrap() - 2.0 / pi.sqrt()).abs() < tol);
        assert!((d3(2).unwrap() - (2.0 - 4.0 / pi).sqrt()).abs() < tol);
        let median = 2f64.sqrt() * 0.674_489_750_196_081_7;
        assert!((d4(2).unwrap() - median).abs() < tol);
    }

    #[test]
    fn rejects_small_n() {
        assert!(d2(1).is_err() && d3(0).is_err() && d4(1).is_err());
    }
}
