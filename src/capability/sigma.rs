//! Estimates of the within-subgroup standard deviation and the degrees of
//! freedom Minitab attaches to each (for the chi-square interval of Cp).
//!
//! Source: Minitab Help, "Methods and formulas for Normal Capability
//! Analysis" (sigma estimation, confidence intervals); qcc's "MVLUE"
//! weighting for unequal subgroup sizes (Burr 1969).

use crate::error::{Error, Result};
use crate::numerics::summary::{mean, sum_sq_dev};
use crate::options::named_options;
use crate::spc::{c4, d2, d3, d4};

named_options! {
    /// How the within-subgroup σ is estimated.
    pub enum WithinMethod for "within" {
        /// Pooled SD for subgroups, average moving range for individuals.
        Auto = "auto",
        /// Pooled standard deviation Sp / c4(d + 1), d = Σ(nᵢ − 1).
        Pooled = "pooled",
        /// Average range R̄/d2 (unequal sizes: weights d2²/d3²).
        Rbar = "rbar",
        /// Average standard deviation S̄/c4 (unequal sizes: weights c4²/(1 − c4²)).
        Sbar = "sbar",
        /// Average moving range of span 2, MR̄/d2(2) (individuals).
        MovingRange = "mr" | "moving_range",
        /// Median moving range of span 2, MR̃/d4(2) (individuals).
        MedianMovingRange = "median_mr" | "median_moving_range",
    }
}

impl WithinMethod {
    /// Whether the method needs rational subgroups (of size ≥ 2).
    pub fn needs_subgroups(self) -> bool {
        matches!(self, Self::Pooled | Self::Rbar | Self::Sbar)
    }
}

/// A within-σ estimate and the degrees of freedom of its chi-square approximation.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct WithinSigma {
    /// The estimate of σ within.
    pub sigma: f64,
    /// Degrees of freedom ν for the Cp interval.
    pub df: f64,
}

/// Iterates over consecutive subgroups of `values` with the given sizes.
pub(crate) fn subgroups<'a>(
    values: &'a [f64],
    sizes: &'a [usize],
) -> impl Iterator<Item = &'a [f64]> + 'a {
    sizes.iter().scan(0usize, move |start, &k| {
        let g = values.get(*start..*start + k);
        *start += k;
        g
    })
}

/// Minitab's fraction f_n of k(n̄ − 1) used as the degrees of freedom of S̄.
fn sbar_df_factor(nbar: f64) -> f64 {
    match nbar.round() as u64 {
        0..=2 => 0.88,
        3 => 0.92,
        4 => 0.94,
        5 => 0.95,
        6 | 7 => 0.96,
        8 | 9 => 0.97,
        10..=17 => 0.98,
        18..=64 => 0.99,
        _ => 1.0,
    }
}

/// Within σ from subgroups (every size ≥ 2, checked by the caller).
///
/// # Formulas
/// * pooled: Sp = √(ΣΣ(xᵢⱼ − x̄ᵢ)²/d), σ = Sp/c4(d + 1), ν = d = Σ(nᵢ − 1);
/// * rbar: σ = Σ fᵢ rᵢ/d2(nᵢ) / Σ fᵢ with fᵢ = (d2(nᵢ)/d3(nᵢ))² (= R̄/d2 for
///   equal sizes), ν = 0.9 k (n̄ − 1);
/// * sbar: σ = Σ hᵢ sᵢ/c4(nᵢ) / Σ hᵢ with hᵢ = c4²/(1 − c4²) (= S̄/c4 for
///   equal sizes), ν = f_n k (n̄ − 1).
pub(crate) fn from_subgroups(
    values: &[f64],
    sizes: &[usize],
    method: WithinMethod,
) -> Result<WithinSigma> {
    let k = sizes.len() as f64;
    let nbar = values.len() as f64 / k;
    match method {
        WithinMethod::Rbar => {
            let (mut num, mut den) = (0.0, 0.0);
            for g in subgroups(values, sizes) {
                let n = g.len() as u64;
                let (d2, d3) = (d2(n)?, d3(n)?);
                let range = g.iter().fold(f64::NEG_INFINITY, |a, &b| a.max(b))
                    - g.iter().fold(f64::INFINITY, |a, &b| a.min(b));
                let w = (d2 / d3).powi(2);
                num += w * range / d2;
                den += w;
            }
            Ok(WithinSigma {
                sigma: num / den,
                df: 0.9 * k * (nbar - 1.0),
            })
        }
        WithinMethod::Sbar => {
            let (mut num, mut den) = (0.0, 0.0);
            for g in subgroups(values, sizes) {
                let c = c4(g.len() as u64)?;
                let s = (sum_sq_dev(g) / (g.len() as f64 - 1.0)).sqrt();
                let w = c * c / (1.0 - c * c);
                num += w * s / c;
                den += w;
            }
            Ok(WithinSigma {
                sigma: num / den,
                df: sbar_df_factor(nbar) * k * (nbar - 1.0),
            })
        }
        _ => {
            let ss: f64 = subgroups(values, sizes).map(sum_sq_dev).sum();
            let d = values.len() - sizes.len();
            let sp = (ss / d as f64).sqrt();
            Ok(WithinSigma {
                sigma: sp / c4(d as u64 + 1)?,
                df: d as f64,
            })
        }
    }
}

/// Within σ from individuals by moving ranges of span 2.
///
/// # Formulas
/// mr: σ = MR̄/d2(2); median_mr: σ = MR̃/d4(2); ν = N − 1 (the number of
/// moving ranges, Minitab's k − w + 1 with w = 2).
pub(crate) fn from_individuals(values: &[f64], method: WithinMethod) -> Result<WithinSigma> {
    let mut ranges: Vec<f64> = values.windows(2).map(|w| (w[1] - w[0]).abs()).collect();
    let df = ranges.len() as f64;
    if ranges.is_empty() {
        return Err(Error::invalid("data", values.len(), "at least 2 values"));
    }
    let sigma = if method == WithinMethod::MedianMovingRange {
        ranges.sort_by(f64::total_cmp);
        let m = ranges.len();
        let median = if m % 2 == 1 {
            ranges[m / 2]
        } else {
            0.5 * (ranges[m / 2 - 1] + ranges[m / 2])
        };
        median / d4(2)?
    } else {
        mean(&ranges) / d2(2)?
    };
    Ok(WithinSigma { sigma, df })
}
