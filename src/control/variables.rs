//! Limits of the variables charts: x̄ (and I), R (and MR), S.
//!
//! With process mean μ and σ (estimated in phase I or known), subgroup
//! size nᵢ and width L (Montgomery, Introduction to SQC, ch. 6; qcc 3.0
//! `limits.xbar`, `limits.R`, `limits.S`; `reference/spc_notes.md` §2):
//! * x̄: μ ± L σ/√nᵢ;
//! * R: d2(nᵢ)σ ± L d3(nᵢ)σ, the lower limit floored at 0 (for equal sizes
//!   and σ = R̄/d2 the centre is R̄, as the textbook's D3 R̄, D4 R̄);
//! * S: c4(nᵢ)σ ± L σ √(1 − c4(nᵢ)²), floored at 0;
//! * MR of span w: the R chart with n = w.
//!
//! Unequal sizes give step limits.

use super::sigma::Constants;
use super::{check_finite, check_sigma, check_width, Limits};
use crate::error::{Error, Result};
use crate::spc::c4;

/// `f(n)` at every size, computed once per run of equal sizes (charts mostly
/// have one size; the exact constants cost an integration each).
fn per_size<T: Copy>(
    sizes: &[usize],
    min: usize,
    mut f: impl FnMut(u64) -> Result<T>,
) -> Result<Vec<T>> {
    let mut out = Vec::with_capacity(sizes.len());
    let mut last: Option<(usize, T)> = None;
    for (i, &n) in sizes.iter().enumerate() {
        let v = match last {
            Some((m, v)) if m == n => v,
            _ => f(size(i, n, min)?)?,
        };
        last = Some((n, v));
        out.push(v);
    }
    Ok(out)
}

fn size(i: usize, n: usize, min: usize) -> Result<u64> {
    if n >= min {
        Ok(n as u64)
    } else {
        Err(Error::invalid(
            format!("subgroup {i} size"),
            n,
            format!("at least {min} values"),
        ))
    }
}

/// Limits of the x̄ chart (an I chart with every size 1).
///
/// # Errors
/// Non-finite centre, σ not positive, L out of range, a size of 0.
pub fn xbar_limits(center: f64, sigma: f64, sizes: &[usize], l: f64) -> Result<Limits> {
    check_finite("center", center)?;
    check_sigma(sigma)?;
    check_width(l)?;
    let se = per_size(sizes, 1, |n| Ok(sigma / (n as f64).sqrt()))?;
    Ok(Limits::sigma_limits(
        se.into_iter().map(|s| (center, s)),
        l,
        f64::NEG_INFINITY,
        f64::INFINITY,
    ))
}

/// Limits of the R chart (or of the MR chart, with every size the span).
///
/// # Errors
/// σ not positive, L out of range, a size below 2 (or above 25 with the
/// qcc table).
pub fn range_limits(sigma: f64, sizes: &[usize], l: f64, constants: Constants) -> Result<Limits> {
    check_sigma(sigma)?;
    check_width(l)?;
    let points = per_size(sizes, 2, |n| {
        Ok((constants.d2(n)? * sigma, constants.d3(n)? * sigma))
    })?;
    Ok(Limits::sigma_limits(
        points.into_iter(),
        l,
        0.0,
        f64::INFINITY,
    ))
}

/// Limits of the S chart.
///
/// # Errors
/// σ not positive, L out of range, a size below 2.
pub fn sd_limits(sigma: f64, sizes: &[usize], l: f64) -> Result<Limits> {
    check_sigma(sigma)?;
    check_width(l)?;
    let points = per_size(sizes, 2, |n| {
        let c = c4(n)?;
        Ok((c * sigma, sigma * (1.0 - c * c).sqrt()))
    })?;
    Ok(Limits::sigma_limits(
        points.into_iter(),
        l,
        0.0,
        f64::INFINITY,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn textbook_factors() {
        // D4 R̄ with R̄ = d2 σ: UCL = (d2 + 3 d3) σ; A2 R̄ = 3σ/√n.
        let r = range_limits(1.0, &[5], 3.0, Constants::Qcc).unwrap();
        assert!((r.ucl[0] - (2.326 + 3.0 * 0.8640855)).abs() < 1e-12);
        assert_eq!(r.lcl[0], 0.0);
        let x = xbar_limits(10.0, 2.0, &[4, 1], 3.0).unwrap();
        assert_eq!((x.lcl[0], x.ucl[0], x.ucl[1]), (7.0, 13.0, 16.0));
        assert!(sd_limits(1.0, &[1], 3.0).is_err());
        assert!(xbar_limits(0.0, 0.0, &[2], 3.0).is_err());
        assert!(xbar_limits(0.0, 1.0, &[2], f64::NAN).is_err());
    }
}
