//! Bindings of `crate::supervision` (Python module `qualstat.supervision`).
//!
//! The Python layer checks the units (naming their labels) and passes
//! float64 arrays; these functions return numpy arrays it turns into frames.

use super::arrays::writable;
use super::parse;
use crate::supervision::{
    self as core, FunnelBuffers, FunnelLimits, Overdispersion, RankPrior, ShrinkMethod,
};
use numpy::{PyArray1, PyArray2, PyReadonlyArray1};
use pyo3::prelude::*;

type F64s<'py> = Bound<'py, PyArray1<f64>>;
type F64s2<'py> = Bound<'py, PyArray2<f64>>;
type U32s<'py> = Bound<'py, PyArray1<u32>>;
type ShrinkOut<'py> = (f64, f64, F64s<'py>, F64s<'py>, F64s<'py>);

#[pyfunction]
fn _shrink<'py>(
    py: Python<'py>,
    successes: PyReadonlyArray1<'py, f64>,
    trials: PyReadonlyArray1<'py, f64>,
    method: &str,
    confidence: f64,
) -> PyResult<ShrinkOut<'py>> {
    let method = parse::<ShrinkMethod>(method)?;
    let (x, n) = (successes.as_slice()?, trials.as_slice()?);
    let s = py.detach(|| core::shrink(x, n, method, confidence))?;
    Ok((
        s.alpha,
        s.beta,
        PyArray1::from_vec(py, s.posterior_mean),
        PyArray1::from_vec(py, s.lower),
        PyArray1::from_vec(py, s.upper),
    ))
}

type RankOut<'py> = (
    (f64, f64),
    U32s<'py>,
    U32s<'py>,
    U32s<'py>,
    F64s<'py>,
    F64s<'py>,
    F64s<'py>,
);

#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn _rank_intervals<'py>(
    py: Python<'py>,
    successes: PyReadonlyArray1<'py, f64>,
    trials: PyReadonlyArray1<'py, f64>,
    confidence: f64,
    draws: usize,
    seed: u64,
    prior: &str,
) -> PyResult<RankOut<'py>> {
    let prior = parse::<RankPrior>(prior)?;
    let (x, n) = (successes.as_slice()?, trials.as_slice()?);
    let r = py.detach(|| core::rank_intervals(x, n, confidence, draws, seed, prior))?;
    Ok((
        r.prior,
        PyArray1::from_vec(py, r.rank_median),
        PyArray1::from_vec(py, r.rank_lower),
        PyArray1::from_vec(py, r.rank_upper),
        PyArray1::from_vec(py, r.p_top_quarter),
        PyArray1::from_vec(py, r.p_bottom_quarter),
        PyArray1::from_vec(py, r.p_upper_half),
    ))
}

#[pyfunction]
fn _funnel_limits<'py>(
    py: Python<'py>,
    n: PyReadonlyArray1<'py, f64>,
    target: f64,
    prob: f64,
    limits: &str,
    phi: f64,
    tau2: f64,
) -> PyResult<F64s<'py>> {
    let method = parse::<FunnelLimits>(limits)?;
    let n = n.as_slice()?;
    let out = py.detach(|| core::funnel_limits(n, target, prob, method, phi, tau2))?;
    Ok(PyArray1::from_vec(py, out))
}

/// A whole funnel plot (see `core::funnel`) into arrays numpy allocated:
/// `z` and `class` one entry per unit, `lower` and `upper` levels × units;
/// returns (phi, tau2). The GIL is released while they are filled.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn _funnel<'py>(
    py: Python<'py>,
    successes: PyReadonlyArray1<'py, f64>,
    trials: PyReadonlyArray1<'py, f64>,
    target: f64,
    limits: &str,
    levels: Vec<f64>,
    overdispersion: Option<&str>,
    winsorize: f64,
    trim: bool,
    out: (F64s<'py>, F64s2<'py>, F64s2<'py>, Bound<'py, PyArray1<u8>>),
) -> PyResult<(f64, f64)> {
    let method = parse::<FunnelLimits>(limits)?;
    let overdispersion = overdispersion.map(parse::<Overdispersion>).transpose()?;
    let (x, n) = (successes.as_slice()?, trials.as_slice()?);
    let (mut z, mut lower) = (writable(&out.0, "z")?, writable(&out.1, "lower")?);
    let (mut upper, mut class) = (writable(&out.2, "upper")?, writable(&out.3, "class")?);
    let buffers = FunnelBuffers {
        z: z.as_slice_mut()?,
        lower: lower.as_slice_mut()?,
        upper: upper.as_slice_mut()?,
        class: class.as_slice_mut()?,
    };
    let d = py.detach(|| {
        core::funnel(
            x,
            n,
            target,
            method,
            &levels,
            overdispersion,
            winsorize,
            trim,
            buffers,
        )
    })?;
    Ok((d.phi, d.tau2))
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_funnel_limits, m)?)?;
    m.add_function(wrap_pyfunction!(_funnel, m)?)?;
    m.add_function(wrap_pyfunction!(_shrink, m)?)?;
    m.add_function(wrap_pyfunction!(_rank_intervals, m)?)?;
    Ok(())
}
