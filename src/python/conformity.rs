//! Bindings of `crate::conformity` (Python module `qualstat.conformity`).
//!
//! The Python layer passes every numeric argument as a float64 array of
//! one value (shared by all items) or one value per item; open tolerance
//! sides as ∓∞ and the normal distribution as df = +∞.

use super::arrays::columns;
use super::parse;
use crate::conformity::{self as core, Column, GuardRule, Statement};
use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;

type F64s<'py> = Bound<'py, PyArray1<f64>>;
type In<'py> = PyReadonlyArray1<'py, f64>;

/// The columns of a measured value against its tolerance: y, u, lower,
/// upper, df.
fn measured<'a>(arrays: [&'a In<'_>; 5]) -> PyResult<[Column<'a>; 5]> {
    let [y, u, lower, upper, df] = arrays;
    columns([
        ("y", y),
        ("u", u),
        ("lower", lower),
        ("upper", upper),
        ("df", df),
    ])
}

#[pyfunction]
fn _conformance_probability<'py>(
    py: Python<'py>,
    y: In<'py>,
    u: In<'py>,
    lower: In<'py>,
    upper: In<'py>,
    df: In<'py>,
    complement: bool,
) -> PyResult<F64s<'py>> {
    let cols = measured([&y, &u, &lower, &upper, &df])?;
    let out = py.detach(|| core::conformance_probability_batch(cols, complement))?;
    Ok(PyArray1::from_vec(py, out))
}

#[pyfunction]
fn _measurement_capability_index<'py>(
    py: Python<'py>,
    u: In<'py>,
    lower: In<'py>,
    upper: In<'py>,
) -> PyResult<F64s<'py>> {
    let cols = columns([("u", &u), ("lower", &lower), ("upper", &upper)])?;
    let out = py.detach(|| core::measurement_capability_index_batch(cols))?;
    Ok(PyArray1::from_vec(py, out))
}

#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn _global_risk<'py>(
    py: Python<'py>,
    process_mean: In<'py>,
    process_sd: In<'py>,
    u: In<'py>,
    lower: In<'py>,
    upper: In<'py>,
    acceptance_lower: In<'py>,
    acceptance_upper: In<'py>,
) -> PyResult<(F64s<'py>, F64s<'py>, F64s<'py>, F64s<'py>)> {
    let cols = columns([
        ("process_mean", &process_mean),
        ("process_sd", &process_sd),
        ("u", &u),
        ("lower", &lower),
        ("upper", &upper),
        ("acceptance lower", &acceptance_lower),
        ("acceptance upper", &acceptance_upper),
    ])?;
    let risks = py.detach(|| core::global_risk_batch(cols))?;
    let column = |f: fn(&core::GlobalRisk) -> f64| PyArray1::from_iter(py, risks.iter().map(f));
    Ok((
        column(|r| r.consumer),
        column(|r| r.producer),
        column(|r| r.prob_accept),
        column(|r| r.prob_conforming),
    ))
}

#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn _guard_band<'py>(
    py: Python<'py>,
    u: In<'py>,
    lower: In<'py>,
    upper: In<'py>,
    df: In<'py>,
    rule: &str,
    risk: f64,
    k: f64,
) -> PyResult<(F64s<'py>, F64s<'py>)> {
    let rule = parse::<GuardRule>(rule)?;
    let cols = columns([("u", &u), ("lower", &lower), ("upper", &upper), ("df", &df)])?;
    let limits = py.detach(|| core::acceptance_limits_batch(cols, rule, risk, k))?;
    Ok((
        PyArray1::from_iter(py, limits.iter().map(|l| l.lower)),
        PyArray1::from_iter(py, limits.iter().map(|l| l.upper)),
    ))
}

type DecideOut<'py> = (Bound<'py, PyArray1<u8>>, F64s<'py>, F64s<'py>, F64s<'py>);

#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn _decide<'py>(
    py: Python<'py>,
    y: In<'py>,
    u: In<'py>,
    lower: In<'py>,
    upper: In<'py>,
    df: In<'py>,
    rule: &str,
    statement: &str,
    risk: f64,
    k: f64,
) -> PyResult<DecideOut<'py>> {
    let rule = parse::<GuardRule>(rule)?;
    let statement = parse::<Statement>(statement)?;
    let cols = measured([&y, &u, &lower, &upper, &df])?;
    let d = py.detach(|| core::decide_batch(cols, rule, statement, risk, k))?;
    Ok((
        PyArray1::from_iter(py, d.iter().map(|x| x.verdict.code())),
        PyArray1::from_iter(py, d.iter().map(|x| x.acceptance.lower)),
        PyArray1::from_iter(py, d.iter().map(|x| x.acceptance.upper)),
        PyArray1::from_iter(py, d.iter().map(|x| x.conformance)),
    ))
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_conformance_probability, m)?)?;
    m.add_function(wrap_pyfunction!(_measurement_capability_index, m)?)?;
    m.add_function(wrap_pyfunction!(_global_risk, m)?)?;
    m.add_function(wrap_pyfunction!(_guard_band, m)?)?;
    m.add_function(wrap_pyfunction!(_decide, m)?)?;
    m.add("_VERDICTS", core::Verdict::ALL.map(|v| v.name()).to_vec())?;
    Ok(())
}
