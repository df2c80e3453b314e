//! Bindings of `crate::control::arl` (Python module `qualstat.control._arl`).
//!
//! The Python layer checks types and shapes and passes float64 arrays of
//! shifts; these functions run the batch core with the GIL released.

use super::control::rules_arg;
use super::parse;
use crate::control::arl::{
    self, AttributeChart, Counts, Cusum, Ewma, RunLength, Shewhart, Sides, State,
};
use crate::error::{count_from_f64, Error};
use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;

type F64s<'py> = Bound<'py, PyArray1<f64>>;
type RunLengthOut<'py> = (f64, f64, F64s<'py>);

fn shewhart(rules: &Bound<'_, PyAny>, l: f64, subgroup_size: u64) -> PyResult<Shewhart> {
    let rules = rules_arg(rules)?.resolve()?;
    Ok(Shewhart::new(&rules, l, subgroup_size)?)
}

fn run_length_out(py: Python<'_>, r: RunLength) -> RunLengthOut<'_> {
    (r.arl, r.sdrl, PyArray1::from_vec(py, r.survival))
}

/// A bound on the survival iteration's work (steps × states²).
fn steps(states: usize, t_max: usize) -> usize {
    t_max
        .min((4e9 / (states * states).max(1) as f64) as usize)
        .max(1)
}

#[pyfunction]
#[pyo3(name = "_arl_shewhart")]
fn arl_shewhart<'py>(
    py: Python<'py>,
    shifts: PyReadonlyArray1<'py, f64>,
    l: f64,
    rules: &Bound<'py, PyAny>,
    subgroup_size: u64,
    state: &str,
) -> PyResult<F64s<'py>> {
    let state = parse::<State>(state)?;
    let chart = shewhart(rules, l, subgroup_size)?;
    let shifts = shifts.as_slice()?;
    let out = py.detach(|| arl::shewhart::batch_arl(&chart, shifts, state))?;
    Ok(PyArray1::from_vec(py, out))
}

/// An attribute chart with rule 1: `family` "binomial" (fractions, n
/// trials) or "poisson" (means per unit, n units), limits on the count scale.
fn attribute_chart(family: &str, lcl: f64, ucl: f64, n: f64) -> PyResult<AttributeChart> {
    let counts = match family {
        "binomial" => Counts::Binomial {
            trials: count_from_f64("n", n)?,
        },
        "poisson" => Counts::Poisson { units: n },
        _ => return Err(Error::invalid("family", family, "\"binomial\" or \"poisson\"").into()),
    };
    Ok(AttributeChart::new(counts, lcl, ucl)?)
}

/// ARL of an attribute chart (see [`attribute_chart`]) at qualities `x`.
#[pyfunction]
#[pyo3(name = "_arl_attribute")]
fn arl_attribute<'py>(
    py: Python<'py>,
    family: &str,
    x: PyReadonlyArray1<'py, f64>,
    lcl: f64,
    ucl: f64,
    n: f64,
) -> PyResult<F64s<'py>> {
    let chart = attribute_chart(family, lcl, ucl, n)?;
    let x = x.as_slice()?;
    let out = py.detach(|| chart.arl(x))?;
    Ok(PyArray1::from_vec(py, out))
}

/// ARL, SDRL and survival of an attribute chart (see [`attribute_chart`])
/// at quality `x`.
#[pyfunction]
#[pyo3(name = "_run_length_attribute")]
#[allow(clippy::too_many_arguments)]
fn run_length_attribute<'py>(
    py: Python<'py>,
    family: &str,
    x: f64,
    lcl: f64,
    ucl: f64,
    n: f64,
    tail: f64,
    t_max: usize,
) -> PyResult<RunLengthOut<'py>> {
    let chart = attribute_chart(family, lcl, ucl, n)?;
    let r = py.detach(|| chart.run_length(x, tail, t_max))?;
    Ok(run_length_out(py, r))
}

#[pyfunction]
#[pyo3(name = "_arl_cusum")]
fn arl_cusum<'py>(
    py: Python<'py>,
    shifts: PyReadonlyArray1<'py, f64>,
    k: f64,
    h: f64,
    head_start: f64,
    sides: i64,
    state: &str,
) -> PyResult<F64s<'py>> {
    let state = parse::<State>(state)?;
    let sides = Sides::from_count(sides)?;
    let shifts = shifts.as_slice()?;
    let out = py.detach(|| arl::cusum_arl(shifts, k, h, head_start, sides, state))?;
    Ok(PyArray1::from_vec(py, out))
}

#[pyfunction]
#[pyo3(name = "_arl_ewma")]
fn arl_ewma<'py>(
    py: Python<'py>,
    shifts: PyReadonlyArray1<'py, f64>,
    lam: f64,
    l: f64,
    state: &str,
) -> PyResult<F64s<'py>> {
    let state = parse::<State>(state)?;
    let shifts = shifts.as_slice()?;
    let out = py.detach(|| arl::ewma_arl(shifts, lam, l, state))?;
    Ok(PyArray1::from_vec(py, out))
}

#[pyfunction]
#[pyo3(name = "_cusum_arl_markov")]
fn cusum_arl_markov(
    py: Python<'_>,
    shift: f64,
    k: f64,
    h: f64,
    head_start: f64,
    states: usize,
) -> PyResult<f64> {
    Ok(py.detach(|| arl::cusum_arl_markov(shift, k, h, head_start, states))?)
}

#[pyfunction]
#[pyo3(name = "_cusum_h")]
fn cusum_h(
    py: Python<'_>,
    k: f64,
    arl0: f64,
    sides: i64,
    head_start_fraction: f64,
) -> PyResult<f64> {
    let sides = Sides::from_count(sides)?;
    Ok(py.detach(|| arl::cusum_h(k, arl0, sides, head_start_fraction))?)
}

#[pyfunction]
#[pyo3(name = "_ewma_L")]
fn ewma_l(py: Python<'_>, lam: f64, arl0: f64) -> PyResult<f64> {
    Ok(py.detach(|| arl::ewma_l(lam, arl0))?)
}

#[pyfunction]
#[pyo3(name = "_ewma_optimal")]
fn ewma_optimal(py: Python<'_>, shift: f64, arl0: f64) -> PyResult<(f64, f64, f64)> {
    let d = py.detach(|| arl::ewma_optimal(shift, arl0))?;
    Ok((d.lam, d.l, d.arl1))
}

#[pyfunction]
#[pyo3(name = "_run_length_shewhart")]
#[allow(clippy::too_many_arguments)]
fn run_length_shewhart<'py>(
    py: Python<'py>,
    shift: f64,
    l: f64,
    rules: &Bound<'py, PyAny>,
    subgroup_size: u64,
    state: &str,
    tail: f64,
    t_max: usize,
) -> PyResult<RunLengthOut<'py>> {
    let state = parse::<State>(state)?;
    let chart = shewhart(rules, l, subgroup_size)?;
    let t_max = steps(chart.states(), t_max);
    let r = py.detach(|| chart.run_length(shift, state, tail, t_max))?;
    Ok(run_length_out(py, r))
}

#[pyfunction]
#[pyo3(name = "_run_length_cusum")]
#[allow(clippy::too_many_arguments)]
fn run_length_cusum<'py>(
    py: Python<'py>,
    shift: f64,
    k: f64,
    h: f64,
    head_start: f64,
    sides: i64,
    state: &str,
    tail: f64,
    t_max: usize,
) -> PyResult<RunLengthOut<'py>> {
    let state = parse::<State>(state)?;
    let chart = Cusum::new(k, h, head_start, Sides::from_count(sides)?)?;
    let t_max = steps(arl::cusum::nodes(h) + 1, t_max);
    let r = py.detach(|| chart.run_length(shift, state, tail, t_max))?;
    Ok(run_length_out(py, r))
}

#[pyfunction]
#[pyo3(name = "_run_length_ewma")]
fn run_length_ewma<'py>(
    py: Python<'py>,
    shift: f64,
    lam: f64,
    l: f64,
    state: &str,
    tail: f64,
    t_max: usize,
) -> PyResult<RunLengthOut<'py>> {
    let state = parse::<State>(state)?;
    let chart = Ewma::new(lam, l)?;
    let t_max = steps(arl::ewma::nodes(lam, chart.half_width()), t_max);
    let r = py.detach(|| chart.run_length(shift, state, tail, t_max))?;
    Ok(run_length_out(py, r))
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(arl_shewhart, m)?)?;
    m.add_function(wrap_pyfunction!(arl_attribute, m)?)?;
    m.add_function(wrap_pyfunction!(run_length_attribute, m)?)?;
    m.add_function(wrap_pyfunction!(arl_cusum, m)?)?;
    m.add_function(wrap_pyfunction!(arl_ewma, m)?)?;
    m.add_function(wrap_pyfunction!(cusum_arl_markov, m)?)?;
    m.add_function(wrap_pyfunction!(cusum_h, m)?)?;
    m.add_function(wrap_pyfunction!(ewma_l, m)?)?;
    m.add_function(wrap_pyfunction!(ewma_optimal, m)?)?;
    m.add_function(wrap_pyfunction!(run_length_shewhart, m)?)?;
    m.add_function(wrap_pyfunction!(run_length_cusum, m)?)?;
    m.add_function(wrap_pyfunction!(run_length_ewma, m)?)?;
    Ok(())
}
