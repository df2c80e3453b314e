//! The tabular CUSUM chart (Page 1954; Montgomery, Introduction to SQC,
//! §9.1; qcc 3.0 `cusum`, `reference/spc_notes.md` §2).
//!
//! On standardized points zₜ = (x̄ₜ − target)/(σ/√nₜ):
//! C⁺ₜ = max(0, C⁺ₜ₋₁ + zₜ − k), C⁻ₜ = min(0, C⁻ₜ₋₁ + zₜ + k), both
//! starting at ±`head_start` (the fast initial response of Lucas & Crosier
//! 1982); a signal when C⁺ₜ > h or C⁻ₜ < −h (strict, as qcc).

use crate::error::{Error, Result};

/// Checks k, h and the head start: 0 <= k <= 10, 0 < h <= 100,
/// 0 <= head_start < h.
///
/// # Errors
/// [`Error::InvalidArgument`] naming the argument.
pub fn check_design(k: f64, h: f64, head_start: f64) -> Result<()> {
    if !(0.0..=10.0).contains(&k) {
        return Err(Error::invalid("k", k, "a number in [0, 10] (sigma units)"));
    }
    if !(h > 0.0 && h <= 100.0) {
        return Err(Error::invalid("h", h, "a number in (0, 100] (sigma units)"));
    }
    if !(0.0..h).contains(&head_start) {
        return Err(Error::invalid(
            "head_start",
            head_start,
            format!("a number in [0, h) = [0, {h})"),
        ));
    }
    Ok(())
}

/// The upper and lower cumulative sums of the standardized points `z`.
///
/// # Errors
/// Those of [`check_design`]; a non-finite point.
pub fn cusum(z: &[f64], k: f64, h: f64, head_start: f64) -> Result<(Vec<f64>, Vec<f64>)> {
    check_design(k, h, head_start)?;
    if let Some(i) = z.iter().position(|v| !v.is_finite()) {
        return Err(Error::invalid(
            format!("data[{i}]"),
            z[i],
            "a finite number",
        ));
    }
    let (mut up, mut down) = (head_start, -head_start);
    let mut upper = Vec::with_capacity(z.len());
    let mut lower = Vec::with_capacity(z.len());
    for &v in z {
        up = (up + v - k).max(0.0);
        down = (down + v + k).min(0.0);
        upper.push(up);
        lower.push(down);
    }
    Ok((upper, lower))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_and_head_start() {
        let (u, l) = cusum(&[1.0, 1.0, -3.0], 0.5, 5.0, 0.0).unwrap();
        assert_eq!(u, vec![0.5, 1.0, 0.0]);
        assert_eq!(l, vec![0.0, 0.0, -2.5]);
        let (u, _) = cusum(&[0.0], 0.5, 5.0, 2.5).unwrap();
        assert_eq!(u, vec![2.0]);
        assert!(cusum(&[0.0], 0.5, 5.0, 5.0).is_err());
        assert!(cusum(&[0.0], -0.5, 5.0, 0.0).is_err());
        assert!(cusum(&[f64::NAN], 0.5, 5.0, 0.0).is_err());
    }
}
