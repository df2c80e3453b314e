//! Bindings of `crate::supervision` (Python module `qualstat.supervision`).
//!
//! The Python layer checks the units (naming their labels) and passes
//! float64 arrays; these functions return plain vectors it turns into frames.

use super::parse;
use crate::supervision::{self as core, RankPrior, ShrinkMethod};
use numpy::PyReadonlyArray1;
use pyo3::prelude::*;

type ShrinkOut = (f64, f64, Vec<f64>, Vec<f64>, Vec<f64>);

#[pyfunction]
fn _shrink(
    py: Python<'_>,
    successes: PyReadonlyArray1<'_, f64>,
    trials: PyReadonlyArray1<'_, f64>,
    method: &str,
    confidence: f64,
) -> PyResult<ShrinkOut> {
    let method = parse::<ShrinkMethod>(method)?;
    let (x, n) = (successes.as_slice()?, trials.as_slice()?);
    let s = py.detach(|| core::shrink(x, n, method, confidence))?;
    Ok((s.alpha, s.beta, s.posterior_mean, s.lower, s.upper))
}

type RankOut = (
    (f64, f64),
    Vec<u32>,
    Vec<u32>,
    Vec<u32>,
    Vec<f64>,
    Vec<f64>,
    Vec<f64>,
);

#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn _rank_intervals(
    py: Python<'_>,
    successes: PyReadonlyArray1<'_, f64>,
    trials: PyReadonlyArray1<'_, f64>,
    confidence: f64,
    draws: usize,
    seed: u64,
    prior: &str,
) -> PyResult<RankOut> {
    let prior = parse::<RankPrior>(prior)?;
    let (x, n) = (successes.as_slice()?, trials.as_slice()?);
    let r = py.detach(|| core::rank_intervals(x, n, confidence, draws, seed, prior))?;
    Ok((
        r.prior,
        r.rank_median,
        r.rank_lower,
        r.rank_upper,
        r.p_top_quarter,
        r.p_bottom_quarter,
        r.p_upper_half,
    ))
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_shrink, m)?)?;
    m.add_function(wrap_pyfunction!(_rank_intervals, m)?)?;
    Ok(())
}
