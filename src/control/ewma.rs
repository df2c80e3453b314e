//! The EWMA chart (Roberts 1959; Montgomery, Introduction to SQC, §9.2; qcc
//! 3.0 `ewma`, `reference/spc_notes.md` §2).
//!
//! zₜ = λx̄ₜ + (1 − λ)zₜ₋₁, z₀ = target. Exact time-varying limits
//! target ± L√Vₜ with Vₜ = λ²σ²/nₜ + (1 − λ)²Vₜ₋₁, V₀ = 0, the variance of
//! zₜ (for equal sizes Vₜ = σ²/n · λ/(2 − λ) · (1 − (1 − λ)^{2t}), the
//! textbook's formula); asymptotic limits target ± L σ/√nₜ √(λ/(2 − λ)).

use super::{check_finite, check_sigma, check_width, Limits};
use crate::error::{Error, Result};

/// Checks the smoothing constant: 0 < λ <= 1.
///
/// # Errors
/// [`Error::InvalidArgument`] naming `lam`.
pub fn check_lambda(lam: f64) -> Result<()> {
    if lam > 0.0 && lam <= 1.0 {
        Ok(())
    } else {
        Err(Error::invalid("lam", lam, "a number in (0, 1]"))
    }
}

/// The EWMA statistic of the subgroup means `x` (sizes `sizes`) and its
/// limits, exact time-varying or asymptotic.
///
/// # Errors
/// λ, L, σ or target out of range; a non-finite point; a size of 0;
/// mismatched lengths.
pub fn ewma(
    x: &[f64],
    sizes: &[usize],
    target: f64,
    sigma: f64,
    lam: f64,
    l: f64,
    exact: bool,
) -> Result<(Vec<f64>, Limits)> {
    check_lambda(lam)?;
    check_width(l)?;
    check_sigma(sigma)?;
    check_finite("target", target)?;
    crate::error::check_same_len("sizes", sizes.len(), "data", x.len())?;
    let (mut z, mut v) = (target, 0.0);
    let mut stat = Vec::with_capacity(x.len());
    let mut se = Vec::with_capacity(x.len());
    let q = (1.0 - lam) * (1.0 - lam);
    for (i, (&xi, &n)) in x.iter().zip(sizes).enumerate() {
        if !xi.is_finite() {
            return Err(Error::invalid(format!("data[{i}]"), xi, "a finite number"));
        }
        if n == 0 {
            return Err(Error::invalid(format!("sizes[{i}]"), n, "at least 1"));
        }
        let var_x = sigma * sigma / n as f64;
        z = lam * xi + (1.0 - lam) * z;
        v = if exact {
            lam * lam * var_x + q * v
        } else {
            var_x * lam / (2.0 - lam)
        };
        stat.push(z);
        se.push(v.sqrt());
    }
    let limits = Limits::sigma_limits(
        se.into_iter().map(|s| (target, s)),
        l,
        f64::NEG_INFINITY,
        f64::INFINITY,
    );
    Ok((stat, limits))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_variance_matches_closed_form() {
        let (lam, n) = (0.2, 4usize);
        let x = vec![1.0; 30];
        let (z, lim) = ewma(&x, &vec![n; 30], 0.0, 2.0, lam, 3.0, true).unwrap();
        for t in 1..=30 {
            let closed = (1.0 / n as f64 * lam / (2.0 - lam)
                * (1.0 - (1.0 - lam).powi(2 * t as i32)))
            .sqrt()
                * 2.0;
            assert!((lim.sigma[t - 1] - closed).abs() < 1e-14 * closed);
            assert!((z[t - 1] - (1.0 - (1.0 - lam).powi(t as i32))).abs() < 1e-14);
        }
        assert!(ewma(&x, &vec![n; 30], 0.0, 2.0, 0.0, 3.0, true).is_err());
    }
}
