//! The AIAG Average & Range method (AIAG MSA-4, the form printed at
//! gagerandr.com "Variable R&R, Xbar & R"; `reference/lab_notes.md` B.3).
//!
//! R̿ is the mean within-cell range, X̄_DIFF the range of the operator
//! averages, R_p the range of the part averages (n parts, r trials):
//!
//! * EV = R̿·K1, K1 = 1/d2(r);
//! * AV = √((X̄_DIFF·K2)² − EV²/(n r)), zero when the radicand is negative,
//!   K2 = 1/d2*(operators, 1);
//! * PV = R_p·K3, K3 = 1/d2*(n, 1);
//!
//! with d2*(m, 1) = √(d2(m)² + d3(m)²), the factor from the range of one
//! sample of m to σ. [`Constants::Aiag`] rounds K1, K2, K3 to the four
//! decimals the AIAG tables print (K1 = 0.5908 for 3 trials, K2 = 0.5231 for
//! 3 appraisers, K3 = 0.3146 for 10 parts); [`Constants::Exact`] uses them
//! unrounded from `crate::spc`.

use super::layout::Cells;
use super::{ComponentSource, Constants};
use crate::error::Result;
use crate::spc::{d2, d3};

/// The quantities of the Average & Range method.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AverageRange {
    /// Mean within-cell range R̿.
    pub r_bar: f64,
    /// Range of the operator averages X̄_DIFF (0 with one operator).
    pub x_diff: f64,
    /// Range of the part averages R_p.
    pub r_part: f64,
    /// K1 = 1/d2(trials).
    pub k1: f64,
    /// K2 = 1/d2*(operators, 1) (None with one operator).
    pub k2: Option<f64>,
    /// K3 = 1/d2*(parts, 1).
    pub k3: f64,
}

/// 1/d2*(m, 1) = 1/√(d2(m)² + d3(m)²).
fn single_range_factor(m: u64) -> Result<f64> {
    let (a, b) = (d2(m)?, d3(m)?);
    Ok(1.0 / a.hypot(b))
}

fn constant(value: f64, constants: Constants) -> f64 {
    match constants {
        Constants::Exact => value,
        Constants::Aiag => (value * 1e4).round() / 1e4,
    }
}

/// The method's quantities and the components σ² (EV², AV², PV²; AV² is
/// negative when its radicand is, before clamping).
pub(crate) fn average_range(
    c: &Cells,
    constants: Constants,
) -> Result<(AverageRange, Vec<(ComponentSource, f64)>)> {
    let (p, o, r) = (c.parts, c.operators, c.replicates);
    let r_bar = c.range.iter().sum::<f64>() / c.range.len() as f64;
    let part_mean: Vec<f64> = (0..p)
        .map(|i| c.mean[i * o..(i + 1) * o].iter().sum::<f64>() / o as f64)
        .collect();
    let op_mean: Vec<f64> = (0..o)
        .map(|j| (0..p).map(|i| c.mean[i * o + j]).sum::<f64>() / p as f64)
        .collect();
    let spread = |x: &[f64]| {
        let hi = x.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let lo = x.iter().copied().fold(f64::INFINITY, f64::min);
        hi - lo
    };
    let k1 = constant(1.0 / d2(r as u64)?, constants);
    let k3 = constant(single_range_factor(p as u64)?, constants);
    let ev = r_bar * k1;
    let pv = spread(&part_mean) * k3;
    let mut raw = vec![(ComponentSource::Repeatability, ev * ev)];
    let (x_diff, k2) = if o > 1 {
        let k2 = constant(single_range_factor(o as u64)?, constants);
        let x_diff = spread(&op_mean);
        let av2 = (x_diff * k2).powi(2) - ev * ev / (p * r) as f64;
        raw.push((ComponentSource::Operator, av2));
        (x_diff, Some(k2))
    } else {
        (0.0, None)
    };
    raw.push((ComponentSource::Part, pv * pv));
    let ar = AverageRange {
        r_bar,
        x_diff,
        r_part: spread(&part_mean),
        k1,
        k2,
        k3,
    };
    Ok((ar, raw))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aiag_constants_as_printed() {
        // gagerandr.com / AIAG MSA-4: K1 (3 trials) 0.5908, K2 (3 appraisers)
        // 0.5231, K3 (10 parts) 0.3146; K2 = K3 = 1/sqrt(2) for m = 2.
        let k = |v: f64| constant(v, Constants::Aiag);
        assert_eq!(k(1.0 / d2(3).unwrap()), 0.5908);
        assert_eq!(k(single_range_factor(3).unwrap()), 0.5231);
        assert_eq!(k(single_range_factor(10).unwrap()), 0.3146);
        assert!((single_range_factor(2).unwrap() - std::f64::consts::FRAC_1_SQRT_2).abs() < 1e-9);
    }
}
