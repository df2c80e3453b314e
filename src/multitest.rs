//! Adjusting p-values for multiple tests: family-wise error (Bonferroni,
//! Holm, Hochberg) and false discovery rate (Benjamini-Hochberg,
//! Benjamini-Yekutieli).
//!
//! With m p-values sorted ascending, p₍₁₎ ≤ … ≤ p₍ₘ₎, the adjusted values are
//! (each capped at 1, returned in the input order):
//!
//! * Bonferroni: m·pᵢ.
//! * Holm (1979, step-down): max over j ≤ i of (m − j + 1)·p₍ⱼ₎.
//! * Hochberg (1988, step-up): min over j ≥ i of (m − j + 1)·p₍ⱼ₎.
//! * Benjamini & Hochberg (1995): min over j ≥ i of p₍ⱼ₎·m/j.
//! * Benjamini & Yekutieli (2001): as Benjamini-Hochberg times
//!   c(m) = Σ_{k=1..m} 1/k (valid under any dependence).
//!
//! These are the formulas (and the order of the floating-point operations)
//! of statsmodels' `multipletests` and R's `p.adjust`. Tied p-values get the
//! same adjusted value whatever their order.

use crate::error::{check_same_len, Error, Result};
use crate::options::named_options;
use crate::parallel;
use rayon::prelude::*;

named_options! {
    /// How to adjust p-values for multiple tests (see the module docs).
    pub enum AdjustMethod for "method" {
        /// Holm's step-down method (family-wise error).
        Holm = "holm",
        /// Bonferroni: each p-value times the number of tests (family-wise error).
        Bonferroni = "bonferroni",
        /// Hochberg's step-up method (family-wise error, independent or
        /// positively dependent tests).
        Hochberg = "hochberg" | "simes_hochberg",
        /// Benjamini & Hochberg false discovery rate.
        Bh = "bh" | "fdr_bh" | "benjamini_hochberg",
        /// Benjamini & Yekutieli false discovery rate (any dependence).
        By = "by" | "fdr_by" | "benjamini_yekutieli",
    }
}

/// Above this many p-values the sort runs in parallel.
const PARALLEL_SORT: usize = 1 << 15;

/// Adjusts `p_values` for multiple testing by `method` into `adjusted` (the
/// same length; the family is the whole slice).
///
/// # Errors
/// [`Error::InvalidArgument`] naming the first element (`p_values[i]`) that
/// is NaN or outside [0, 1]; a length mismatch between the slices.
///
/// # Example
/// ```
/// use qualstat::multitest::{adjust_p_into, AdjustMethod};
/// let p = [0.01, 0.04, 0.03];
/// let mut out = [0.0; 3];
/// adjust_p_into(&p, AdjustMethod::Holm, &mut out).unwrap();
/// assert_eq!(out, [0.03, 0.06, 0.06]);
/// ```
pub fn adjust_p_into(p_values: &[f64], method: AdjustMethod, adjusted: &mut [f64]) -> Result<()> {
    check_same_len("adjusted", adjusted.len(), "p_values", p_values.len())?;
    if let Some(i) = p_values.iter().position(|p| !(0.0..=1.0).contains(p)) {
        return Err(Error::invalid(
            format!("p_values[{i}]"),
            p_values[i],
            "a p-value in [0, 1]",
        ));
    }
    let m = p_values.len();
    let mf = m as f64;
    if method == AdjustMethod::Bonferroni {
        for (a, &p) in adjusted.iter_mut().zip(p_values) {
            *a = (p * mf).min(1.0);
        }
        return Ok(());
    }
    // The p-values in ascending order, ties in input order (so the result
    // does not depend on the sort's algorithm or thread count). A p-value in
    // [0, 1] orders as its bits (−0 taken as +0), so each is one u128 key
    // (bits, index): plain integer comparisons, no comparator.
    let mut keys: Vec<u128> = p_values
        .iter()
        .zip(0u128..)
        .map(|(&p, i)| {
            let bits = if p == 0.0 { 0 } else { p.to_bits() };
            (u128::from(bits) << 64) | i
        })
        .collect();
    if m > PARALLEL_SORT {
        parallel::install(|| keys.par_sort_unstable());
    } else {
        keys.sort_unstable();
    }
    // Bits and index back out of the key (both fit: a u64 each).
    let order: Vec<(f64, usize)> = keys
        .iter()
        .map(|&k| (f64::from_bits((k >> 64) as u64), (k as u64) as usize))
        .collect();
    // statsmodels' ecdf factor j/m, divided by c(m) for Benjamini-Yekutieli.
    let c = if method == AdjustMethod::By {
        harmonic(m)
    } else {
        1.0
    };
    // The raw adjusted value of the j-th smallest (j from 0).
    let raw = |j: usize, p: f64| -> f64 {
        match method {
            AdjustMethod::Holm | AdjustMethod::Hochberg | AdjustMethod::Bonferroni => {
                (mf - j as f64) * p
            }
            AdjustMethod::Bh => p / ((j + 1) as f64 / mf),
            AdjustMethod::By => p / ((j + 1) as f64 / mf / c),
        }
    };
    if method == AdjustMethod::Holm {
        // Step-down: a running maximum from the smallest p-value.
        let mut running = f64::NEG_INFINITY;
        for (j, &(p, i)) in order.iter().enumerate() {
            running = running.max(raw(j, p));
            adjusted[i] = running.min(1.0);
        }
    } else {
        // Step-up: a running minimum from the largest p-value.
        let mut running = f64::INFINITY;
        for (j, &(p, i)) in order.iter().enumerate().rev() {
            running = running.min(raw(j, p));
            adjusted[i] = running.min(1.0);
        }
    }
    Ok(())
}

/// [`adjust_p_into`] returning a new vector.
///
/// # Errors
/// As [`adjust_p_into`].
///
/// # Example
/// ```
/// use qualstat::multitest::{adjust_p, AdjustMethod};
/// let q = adjust_p(&[0.01, 0.02, 0.03, 0.5], AdjustMethod::Bh).unwrap();
/// assert_eq!(q, [0.04, 0.04, 0.04, 0.5]);
/// ```
pub fn adjust_p(p_values: &[f64], method: AdjustMethod) -> Result<Vec<f64>> {
    let mut out = vec![0.0; p_values.len()];
    adjust_p_into(p_values, method, &mut out)?;
    Ok(out)
}

/// c(m) = Σ_{k=1..m} 1/k.
fn harmonic(m: usize) -> f64 {
    (1..=m).map(|k| 1.0 / k as f64).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_computed_values() {
        let p = [0.01, 0.04, 0.03, 0.005];
        // Sorted: 0.005, 0.01, 0.03, 0.04 (m = 4).
        let holm = adjust_p(&p, AdjustMethod::Holm).unwrap();
        let expect = [0.03, 0.06, 0.06, 0.02];
        for (a, b) in holm.iter().zip(expect) {
            assert!((a - b).abs() < 1e-15, "{holm:?}");
        }
        let hoch = adjust_p(&p, AdjustMethod::Hochberg).unwrap();
        let expect = [0.03, 0.04, 0.04, 0.02];
        for (a, b) in hoch.iter().zip(expect) {
            assert!((a - b).abs() < 1e-15, "{hoch:?}");
        }
        assert_eq!(adjust_p(&[], AdjustMethod::By).unwrap(), Vec::<f64>::new());
        assert_eq!(adjust_p(&[0.3], AdjustMethod::By).unwrap(), [0.3]);
        // A negative zero is the smallest p-value, with +0 (input order).
        let holm = adjust_p(&[0.5, -0.0, 0.0, 0.2], AdjustMethod::Holm).unwrap();
        assert_eq!(holm, [0.5, 0.0, 0.0, 0.4]);
    }

    #[test]
    fn invalid_elements_are_named() {
        let e = adjust_p(&[0.1, f64::NAN], AdjustMethod::Holm).unwrap_err();
        assert_eq!(
            e.to_string(),
            "p_values[1] = NaN is invalid: expected a p-value in [0, 1]"
        );
        let e = adjust_p(&[1.5], AdjustMethod::Bonferroni).unwrap_err();
        assert!(e.to_string().starts_with("p_values[0] = 1.5"), "{e}");
    }
}
