//! Statistical process control: control charts with runs rules and phases
//! (`rules`, `sigma`, `variables`, `attributes`, `cusum`, `ewma`, `oc`) and
//! run-length theory for chart design (`arl`).
//! Conventions and sources: `reference/spc_notes.md`.
//!
//! A chart is its plotted statistic and, at every point, a centre line, the
//! standard error of the statistic (the zone unit of the runs rules) and the
//! control limits ([`Limits`]). The functions here compute limits from
//! phase-I estimates; the Python layer (`qualstat.control`) handles phases,
//! stages and monitoring of new data by calling them again with frozen
//! estimates.

pub mod arl;
pub mod attributes;
pub mod cusum;
pub mod ewma;
pub mod oc;
pub mod rules;
pub mod sigma;
pub mod variables;

use crate::error::{Error, Result};

/// Centre line, standard error of the plotted statistic and control limits
/// at every point of a chart.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Limits {
    /// Centre line.
    pub center: Vec<f64>,
    /// Standard error of the plotted statistic (zone unit).
    pub sigma: Vec<f64>,
    /// Lower control limit.
    pub lcl: Vec<f64>,
    /// Upper control limit.
    pub ucl: Vec<f64>,
}

impl Limits {
    /// Limits `center ± l·se` clipped to `[floor, ceiling]`, point by point.
    fn sigma_limits(
        points: impl Iterator<Item = (f64, f64)>,
        l: f64,
        floor: f64,
        ceiling: f64,
    ) -> Limits {
        let cap = points.size_hint().0;
        let mut out = Limits {
            center: Vec::with_capacity(cap),
            sigma: Vec::with_capacity(cap),
            lcl: Vec::with_capacity(cap),
            ucl: Vec::with_capacity(cap),
        };
        for (c, se) in points {
            out.center.push(c);
            out.sigma.push(se);
            out.lcl.push((c - l * se).max(floor));
            out.ucl.push((c + l * se).min(ceiling));
        }
        out
    }
}

/// Checks the width of the limits in standard errors (`L`, qcc's `nsigmas`).
///
/// # Errors
/// [`Error::InvalidArgument`] naming `L` unless 0 < L <= 10.
pub fn check_width(l: f64) -> Result<()> {
    if l > 0.0 && l <= 10.0 {
        Ok(())
    } else {
        Err(Error::invalid("L", l, "a number in (0, 10]"))
    }
}

/// Checks a known or estimated process σ.
///
/// # Errors
/// [`Error::InvalidArgument`] naming `sigma` unless finite and positive.
pub fn check_sigma(sigma: f64) -> Result<()> {
    if sigma > 0.0 && sigma.is_finite() {
        Ok(())
    } else {
        Err(Error::invalid("sigma", sigma, "a positive finite number"))
    }
}

/// Checks a known or estimated centre line (target).
///
/// # Errors
/// [`Error::InvalidArgument`] naming `name` unless finite.
pub fn check_finite(name: &str, value: f64) -> Result<()> {
    if value.is_finite() {
        Ok(())
    } else {
        Err(Error::invalid(name, value, "a finite number"))
    }
}
