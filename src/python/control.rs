//! Bindings of `crate::control` (Python package `qualstat.control`).
//!
//! The Python layer assembles charts (phases, stages, frames, plots) from
//! these pieces: limits, σ estimates, OC curves and the runs rules, every
//! computation with the GIL released (arguments are read and results
//! converted with it held; `_control_rule_list` only parses the rule names).

use super::parse;
use crate::control::attributes::{self, Attribute, Axis};
use crate::control::rules::{self, RuleItem, RulesArg, Zones};
use crate::control::sigma::{self, Constants, SigmaMethod};
use crate::control::{cusum, ewma, oc, variables, Limits};
use crate::error::{count_from_f64, Error};
use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};

type F64s<'py> = Bound<'py, PyArray1<f64>>;
type LimitsOut<'py> = (F64s<'py>, F64s<'py>, F64s<'py>, F64s<'py>);

fn limits_out(py: Python<'_>, l: Limits) -> LimitsOut<'_> {
    (
        PyArray1::from_vec(py, l.center),
        PyArray1::from_vec(py, l.sigma),
        PyArray1::from_vec(py, l.lcl),
        PyArray1::from_vec(py, l.ucl),
    )
}

fn sizes(n: &PyReadonlyArray1<'_, i64>) -> PyResult<Vec<usize>> {
    Ok(n.as_slice()?
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            usize::try_from(v).map_err(|_| Error::invalid(format!("sizes[{i}]"), v, "a size >= 1"))
        })
        .collect::<Result<_, Error>>()?)
}

const RULES_FORMS: &str =
    "\"we\", \"nelson\", or a list of (set, number) pairs such as [(\"we\", 1), (\"we\", 4)] \
     (a third item, a dict such as {\"count\": 7}, edits the rule's thresholds)";

pub(crate) fn rules_arg(rules: &Bound<'_, PyAny>) -> PyResult<RulesArg> {
    if rules.is_none() {
        return Ok(RulesArg::Default);
    }
    if let Ok(s) = rules.cast::<PyString>() {
        return Ok(RulesArg::Named(s.to_str()?.to_owned()));
    }
    let bad = || Error::invalid("rules", rules.to_string(), RULES_FORMS);
    let mut items = Vec::new();
    for item in rules.try_iter().map_err(|_| bad())? {
        let item = item?;
        let t = item.cast::<PyTuple>().map_err(|_| bad())?;
        if !(2..=3).contains(&t.len()) {
            return Err(bad().into());
        }
        let set: String = t.get_item(0)?.extract().map_err(|_| bad())?;
        let number: i64 = t.get_item(1)?.extract().map_err(|_| bad())?;
        let mut thresholds = Vec::new();
        if t.len() == 3 {
            let d = t.get_item(2)?;
            let d = d.cast::<PyDict>().map_err(|_| bad())?;
            for (k, v) in d.iter() {
                let k: String = k.extract().map_err(|_| bad())?;
                let v: f64 = v.extract().map_err(|_| bad())?;
                thresholds.push((k, v));
            }
        }
        items.push(RuleItem {
            set,
            number,
            thresholds,
        });
    }
    Ok(RulesArg::Items(items))
}

/// The resolved rules as (set, number, description) tuples.
#[pyfunction]
fn _control_rule_list<'py>(
    py: Python<'py>,
    rules: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyList>> {
    let list = rules_arg(rules)?.resolve()?;
    let out: Vec<(String, u8, String)> = list
        .iter()
        .map(|r| (r.set.name().to_owned(), r.number, r.describe()))
        .collect();
    PyList::new(py, out)
}

/// Flags of every rule at every point: bit j of flags[i] = rules[j] at point i.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn _control_rules<'py>(
    py: Python<'py>,
    value: PyReadonlyArray1<'py, f64>,
    center: PyReadonlyArray1<'py, f64>,
    sigma: PyReadonlyArray1<'py, f64>,
    lcl: PyReadonlyArray1<'py, f64>,
    ucl: PyReadonlyArray1<'py, f64>,
    floor: f64,
    ceiling: f64,
    rules: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyArray1<u32>>> {
    let list = rules_arg(rules)?.resolve()?;
    let z = Zones {
        value: value.as_slice()?,
        center: center.as_slice()?,
        sigma: sigma.as_slice()?,
        lcl: lcl.as_slice()?,
        ucl: ucl.as_slice()?,
        floor,
        ceiling,
    };
    let flags = py.detach(|| rules::evaluate(&list, &z))?;
    Ok(PyArray1::from_vec(py, flags))
}

/// Mean, range and standard deviation of each subgroup.
#[pyfunction]
fn _control_summaries<'py>(
    py: Python<'py>,
    values: PyReadonlyArray1<'py, f64>,
    n: PyReadonlyArray1<'py, i64>,
) -> PyResult<(F64s<'py>, F64s<'py>, F64s<'py>)> {
    let n = sizes(&n)?;
    let v = values.as_slice()?;
    let total: usize = n.iter().sum();
    crate::error::check_same_len("data", v.len(), "sum of subgroup sizes", total)?;
    let (m, r, s) = py.detach(|| sigma::summaries(v, &n));
    Ok((
        PyArray1::from_vec(py, m),
        PyArray1::from_vec(py, r),
        PyArray1::from_vec(py, s),
    ))
}

#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn _control_subgroup_sigma(
    py: Python<'_>,
    method: &str,
    n: PyReadonlyArray1<'_, i64>,
    ranges: PyReadonlyArray1<'_, f64>,
    sds: PyReadonlyArray1<'_, f64>,
    used: PyReadonlyArray1<'_, bool>,
    constants: &str,
) -> PyResult<f64> {
    let (method, constants) = (
        parse::<SigmaMethod>(method)?,
        parse::<Constants>(constants)?,
    );
    let n = sizes(&n)?;
    let (ranges, sds, used) = (ranges.as_slice()?, sds.as_slice()?, used.as_slice()?);
    Ok(py.detach(|| sigma::subgroup_sigma(method, &n, ranges, sds, used, constants))?)
}

#[pyfunction]
fn _control_individuals_sigma(
    py: Python<'_>,
    method: &str,
    values: PyReadonlyArray1<'_, f64>,
    span: usize,
    constants: &str,
) -> PyResult<f64> {
    let (method, constants) = (
        parse::<SigmaMethod>(method)?,
        parse::<Constants>(constants)?,
    );
    let values = values.as_slice()?;
    Ok(py.detach(|| sigma::individuals_sigma(method, values, span, constants))?)
}

#[pyfunction]
fn _control_xbar_limits<'py>(
    py: Python<'py>,
    center: f64,
    sigma: f64,
    n: PyReadonlyArray1<'py, i64>,
    l: f64,
) -> PyResult<LimitsOut<'py>> {
    let n = sizes(&n)?;
    let lim = py.detach(|| variables::xbar_limits(center, sigma, &n, l))?;
    Ok(limits_out(py, lim))
}

#[pyfunction]
fn _control_range_limits<'py>(
    py: Python<'py>,
    sigma: f64,
    n: PyReadonlyArray1<'py, i64>,
    l: f64,
    constants: &str,
) -> PyResult<LimitsOut<'py>> {
    let constants = parse::<Constants>(constants)?;
    let n = sizes(&n)?;
    let lim = py.detach(|| variables::range_limits(sigma, &n, l, constants))?;
    Ok(limits_out(py, lim))
}

#[pyfunction]
fn _control_sd_limits<'py>(
    py: Python<'py>,
    sigma: f64,
    n: PyReadonlyArray1<'py, i64>,
    l: f64,
) -> PyResult<LimitsOut<'py>> {
    let n = sizes(&n)?;
    let lim = py.detach(|| variables::sd_limits(sigma, &n, l))?;
    Ok(limits_out(py, lim))
}

#[pyfunction]
#[pyo3(signature = (chart, center, n, l, scale, confidence=None))]
fn _control_attribute_limits<'py>(
    py: Python<'py>,
    chart: &str,
    center: f64,
    n: PyReadonlyArray1<'py, f64>,
    l: f64,
    scale: f64,
    confidence: Option<f64>,
) -> PyResult<LimitsOut<'py>> {
    let chart = parse::<Attribute>(chart)?;
    let n = n.as_slice()?;
    let lim = py.detach(|| attributes::attribute_limits(chart, center, n, l, scale, confidence))?;
    Ok(limits_out(py, lim))
}

#[pyfunction]
fn _control_laney_sigma_z(
    py: Python<'_>,
    values: PyReadonlyArray1<'_, f64>,
    center: PyReadonlyArray1<'_, f64>,
    se: PyReadonlyArray1<'_, f64>,
    axis: &str,
    d2: f64,
) -> PyResult<f64> {
    let axis = parse::<Axis>(axis)?;
    let (values, center, se) = (values.as_slice()?, center.as_slice()?, se.as_slice()?);
    Ok(py.detach(|| attributes::laney_sigma_z(values, center, se, axis, d2))?)
}

#[pyfunction]
fn _control_cusum<'py>(
    py: Python<'py>,
    z: PyReadonlyArray1<'py, f64>,
    k: f64,
    h: f64,
    head_start: f64,
) -> PyResult<(F64s<'py>, F64s<'py>)> {
    let z = z.as_slice()?;
    let (u, l) = py.detach(|| cusum::cusum(z, k, h, head_start))?;
    Ok((PyArray1::from_vec(py, u), PyArray1::from_vec(py, l)))
}

#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn _control_ewma<'py>(
    py: Python<'py>,
    x: PyReadonlyArray1<'py, f64>,
    n: PyReadonlyArray1<'py, i64>,
    target: f64,
    sigma: f64,
    lam: f64,
    l: f64,
    exact: bool,
) -> PyResult<(F64s<'py>, LimitsOut<'py>)> {
    let n = sizes(&n)?;
    let x = x.as_slice()?;
    let (z, lim) = py.detach(|| ewma::ewma(x, &n, target, sigma, lam, l, exact))?;
    Ok((PyArray1::from_vec(py, z), limits_out(py, lim)))
}

/// β at `x` for a chart family: "normal" (x shifts, standardized limits,
/// size n), "binomial" (fractions, limits as counts, n trials), "poisson"
/// (means, limits as counts), "sd" (sigma ratios; n, sigma, limits in data units).
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn _control_oc<'py>(
    py: Python<'py>,
    family: &str,
    x: PyReadonlyArray1<'py, f64>,
    lcl: f64,
    ucl: f64,
    n: f64,
    sigma: f64,
) -> PyResult<F64s<'py>> {
    let x = x.as_slice()?;
    let beta = match family {
        "normal" => Ok(py.detach(|| oc::oc_normal(x, lcl, ucl, n))),
        "binomial" => {
            let trials = count_from_f64("n", n)?;
            py.detach(|| oc::oc_binomial(x, trials, lcl, ucl))
        }
        "poisson" => py.detach(|| oc::oc_poisson(x, lcl, ucl)),
        "sd" => {
            let size = count_from_f64("n", n)?;
            py.detach(|| oc::oc_sd(x, size, sigma, lcl, ucl))
        }
        _ => Err(Error::invalid(
            "family",
            family,
            "\"normal\", \"binomial\", \"poisson\" or \"sd\"",
        )),
    }?;
    Ok(PyArray1::from_vec(py, beta))
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_control_rule_list, m)?)?;
    m.add_function(wrap_pyfunction!(_control_rules, m)?)?;
    m.add_function(wrap_pyfunction!(_control_summaries, m)?)?;
    m.add_function(wrap_pyfunction!(_control_subgroup_sigma, m)?)?;
    m.add_function(wrap_pyfunction!(_control_individuals_sigma, m)?)?;
    m.add_function(wrap_pyfunction!(_control_xbar_limits, m)?)?;
    m.add_function(wrap_pyfunction!(_control_range_limits, m)?)?;
    m.add_function(wrap_pyfunction!(_control_sd_limits, m)?)?;
    m.add_function(wrap_pyfunction!(_control_attribute_limits, m)?)?;
    m.add_function(wrap_pyfunction!(_control_laney_sigma_z, m)?)?;
    m.add_function(wrap_pyfunction!(_control_cusum, m)?)?;
    m.add_function(wrap_pyfunction!(_control_ewma, m)?)?;
    m.add_function(wrap_pyfunction!(_control_oc, m)?)?;
    Ok(())
}
