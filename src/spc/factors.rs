//! Shewhart control-chart factors, derived from c4, d2 and d3.

use super::{c4, d2, d3};
use crate::error::Result;

/// The control-chart factors for subgroup size n, named as in Montgomery,
/// *Introduction to Statistical Quality Control*, Appendix VI.
///
/// # Formulas
/// A = 3/√n, A2 = 3/(d2 √n), A3 = 3/(c4 √n),
/// B3 = max(0, 1 − 3√(1 − c4²)/c4), B4 = 1 + 3√(1 − c4²)/c4,
/// B5 = max(0, c4 − 3√(1 − c4²)), B6 = c4 + 3√(1 − c4²),
/// D1 = max(0, d2 − 3d3), D2 = d2 + 3d3, D3 = max(0, 1 − 3d3/d2),
/// D4 = 1 + 3d3/d2, E2 = 3/d2 (moving ranges of span n).
#[allow(non_snake_case)]
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ChartFactors {
    /// Subgroup size.
    pub n: u64,
    /// X̄ chart factor with known σ.
    pub A: f64,
    /// X̄ chart factor from R̄.
    pub A2: f64,
    /// X̄ chart factor from S̄.
    pub A3: f64,
    /// Lower S chart factor from S̄.
    pub B3: f64,
    /// Upper S chart factor from S̄.
    pub B4: f64,
    /// Lower S chart factor with known σ.
    pub B5: f64,
    /// Upper S chart factor with known σ.
    pub B6: f64,
    /// Lower R chart factor with known σ.
    pub D1: f64,
    /// Upper R chart factor with known σ.
    pub D2: f64,
    /// Lower R chart factor from R̄.
    pub D3: f64,
    /// Upper R chart factor from R̄.
    pub D4: f64,
    /// Individuals chart factor from the average moving range.
    pub E2: f64,
}

/// The control-chart factors for subgroup size `n` (see [`ChartFactors`]).
///
/// # Examples
/// ```
/// let f = qualstat::spc::chart_factors(5).unwrap();
/// assert!((f.A2 - 0.577).abs() < 5e-4 && (f.D4 - 2.114).abs() < 5e-4);
/// ```
///
/// # Errors
/// [`crate::Error::InvalidArgument`] if `n < 2`.
pub fn chart_factors(n: u64) -> Result<ChartFactors> {
    let (c4, d2, d3) = (c4(n)?, d2(n)?, d3(n)?);
    let rn = (n as f64).sqrt();
    let sc = (1.0 - c4 * c4).sqrt();
    Ok(ChartFactors {
        n,
        A: 3.0 / rn,
        A2: 3.0 / (d2 * rn),
        A3: 3.0 / (c4 * rn),
        B3: (1.0 - 3.0 * sc / c4).max(0.0),
        B4: 1.0 + 3.0 * sc / c4,
        B5: (c4 - 3.0 * sc).max(0.0),
        B6: c4 + 3.0 * sc,
        D1: (d2 - 3.0 * d3).max(0.0),
        D2: d2 + 3.0 * d3,
        D3: (1.0 - 3.0 * d3 / d2).max(0.0),
        D4: 1.0 + 3.0 * d3 / d2,
        E2: 3.0 / d2,
    })
}
