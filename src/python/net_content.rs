//! Bindings of `crate::net_content` (Python module `qualstat.net_content`).
//!
//! The Python layer checks types and turns results into objects and frames;
//! options arrive as strings and are parsed here by the core enums.

use super::arrays::optional;
use super::parse;
use crate::net_content::{
    self as core, Kind, Lambda, LotDecision, MeanOc, MeanRule, Regime, Rounding, Settings,
    T2Policy, Tare, Unit,
};
use crate::plan::{Model, Outcome};
use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// An option that may be absent, parsed when given.
fn parse_optional<T: std::str::FromStr<Err = crate::Error>>(
    s: Option<&str>,
) -> PyResult<Option<T>> {
    s.map(parse::<T>).transpose()
}

/// The decision settings as the Python layer passes them (a dict); the
/// option names are parsed by the core enums.
#[derive(FromPyObject)]
#[pyo3(from_item_all)]
struct SettingsArgs {
    regime: String,
    destructive: bool,
    kind: Option<String>,
    unit: String,
    rounding: Option<String>,
    mean_rule: String,
    lam: String,
    t2_policy: Option<String>,
}

impl SettingsArgs {
    fn settings(&self) -> PyResult<Settings> {
        Ok(Settings {
            regime: parse::<Regime>(&self.regime)?,
            destructive: self.destructive,
            kind: parse_optional::<Kind>(self.kind.as_deref())?,
            unit: parse::<Unit>(&self.unit)?,
            rounding: parse_optional::<Rounding>(self.rounding.as_deref())?,
            mean_rule: parse::<MeanRule>(&self.mean_rule)?,
            lam: parse::<Lambda>(&self.lam)?,
            t2_policy: parse_optional::<T2Policy>(self.t2_policy.as_deref())?,
        })
    }
}

/// (T in the unit of `nominal`, percent of Qn or None).
#[pyfunction]
#[pyo3(signature = (nominal, unit, regime, rounding=None))]
fn _nc_tne(
    nominal: f64,
    unit: &str,
    regime: &str,
    rounding: Option<&str>,
) -> PyResult<(f64, Option<f64>)> {
    let t = core::tne(
        nominal,
        parse::<Unit>(unit)?,
        parse::<Regime>(regime)?,
        parse_optional::<Rounding>(rounding)?,
    )?;
    Ok((t.value, t.percent))
}

/// The plan's fields as a dict.
#[pyfunction]
#[pyo3(signature = (regime, lot_size, destructive, kind=None))]
fn _nc_plan<'py>(
    py: Python<'py>,
    regime: &str,
    lot_size: u64,
    destructive: bool,
    kind: Option<&str>,
) -> PyResult<Bound<'py, PyDict>> {
    let p = core::plan(
        parse::<Regime>(regime)?,
        lot_size,
        destructive,
        parse_optional::<Kind>(kind)?,
    )?;
    let d = PyDict::new(py);
    d.set_item("regime", p.regime.name())?;
    d.set_item("lot_size", p.lot_size)?;
    d.set_item("destructive", p.destructive)?;
    d.set_item("kind", p.kind.name())?;
    d.set_item("full_inspection", p.full_inspection)?;
    d.set_item("n", p.n.clone())?;
    d.set_item("ac", p.ac.clone())?;
    d.set_item("re", p.re.clone())?;
    d.set_item("mean_n", p.mean_n)?;
    d.set_item("lam_printed", p.lam_printed)?;
    d.set_item("lam_exact", p.lam_exact)?;
    d.set_item("t2_policy", p.t2_policy.name())?;
    d.set_item("source", p.source)?;
    Ok(d)
}

/// Probability that the mean test passes at each δ = (μ − Qn)/σ.
#[pyfunction]
fn _nc_prob_pass_mean<'py>(
    py: Python<'py>,
    delta: PyReadonlyArray1<'py, f64>,
    n: u64,
    lam: f64,
    method: &str,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let method = parse::<MeanOc>(method)?;
    let delta = delta.as_slice()?;
    let out: Result<Vec<f64>, crate::Error> = py.detach(|| {
        delta
            .iter()
            .map(|&d| core::prob_pass_mean(d, n, lam, method))
            .collect()
    });
    Ok(out?.into_pyarray(py))
}

/// Probability that the T1 count accepts at each fraction `p` of T1 errors.
#[pyfunction]
#[pyo3(signature = (p, regime, lot_size, destructive, kind, model))]
fn _nc_prob_pass_t1<'py>(
    py: Python<'py>,
    p: PyReadonlyArray1<'py, f64>,
    regime: &str,
    lot_size: u64,
    destructive: bool,
    kind: Option<&str>,
    model: &str,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let plan = core::plan(
        parse::<Regime>(regime)?,
        lot_size,
        destructive,
        parse_optional::<Kind>(kind)?,
    )?;
    let model = parse::<Model>(model)?;
    let p = p.as_slice()?;
    let out: Result<Vec<f64>, crate::Error> =
        py.detach(|| p.iter().map(|&q| plan.prob_pass_t1(q, model)).collect());
    Ok(out?.into_pyarray(py))
}

fn decision_dict<'py>(py: Python<'py>, d: &LotDecision) -> PyResult<Bound<'py, PyDict>> {
    let out = PyDict::new(py);
    out.set_item("verdict", d.verdict.name())?;
    out.set_item("stage", d.stage)?;
    out.set_item("n", d.n)?;
    out.set_item("tne", d.tne)?;
    out.set_item("t1_limit", d.t1_limit)?;
    out.set_item("t2_limit", d.t2_limit)?;
    out.set_item("mean_n", d.mean_n)?;
    out.set_item("mean", d.mean)?;
    out.set_item("sd", d.sd)?;
    out.set_item("lam", d.lam)?;
    out.set_item("mean_limit", d.mean_limit)?;
    out.set_item("mean_ok", d.mean_ok)?;
    out.set_item("t1", d.t1)?;
    out.set_item("t2", d.t2)?;
    out.set_item("t1_ok", d.t1_ok)?;
    out.set_item("t2_ok", d.t2_ok)?;
    out.set_item("next_sample_size", d.next_sample_size)?;
    let failed: Vec<&str> = d.failed().iter().map(|c| c.name()).collect();
    out.set_item("failed", failed)?;
    Ok(out)
}

/// One lot: `values` holds the stages one after the other, `stage_sizes`
/// their sizes; `tare` is one value for all packages or one per value;
/// `settings` the dict of [`SettingsArgs`].
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn _nc_decide<'py>(
    py: Python<'py>,
    values: PyReadonlyArray1<'py, f64>,
    stage_sizes: Vec<usize>,
    nominal: f64,
    lot_size: u64,
    tare_each: Option<f64>,
    tare: Option<PyReadonlyArray1<'py, f64>>,
    settings: SettingsArgs,
) -> PyResult<Bound<'py, PyDict>> {
    let s = settings.settings()?;
    let x = values.as_slice()?;
    let total: usize = stage_sizes.iter().sum();
    crate::error::check_same_len("measurements", x.len(), "stage sizes", total)?;
    let mut stages = Vec::with_capacity(stage_sizes.len());
    let mut start = 0;
    for &k in &stage_sizes {
        stages.push(&x[start..start + k]);
        start += k;
    }
    let t = match (tare_each, optional(&tare)?) {
        (_, Some(t)) => Tare::Packages(t),
        (Some(e), None) => Tare::Each(e),
        (None, None) => Tare::None,
    };
    let d = core::decide(&stages, nominal, lot_size, t, &s)?;
    let out = decision_dict(py, &d)?;
    // The options by their canonical names (aliases given are not echoed).
    out.set_item("regime", s.regime.name())?;
    out.set_item("unit", s.unit.name())?;
    out.set_item("mean_rule", s.mean_rule.name())?;
    let policy = s.t2_policy.unwrap_or_else(|| s.regime.t2_policy());
    out.set_item("t2_policy", policy.name())?;
    Ok(out)
}

type Col<'py, T> = Bound<'py, PyArray1<T>>;
/// (float columns, flag columns, count columns) of the result frame.
type LotColumns<'py> = (Vec<Col<'py, f64>>, Vec<Col<'py, i8>>, Vec<Col<'py, u64>>);

/// Many lots (see `core::decide_lots`); returns the columns of the result
/// frame: verdict code (0 accept, 1 reject, 2 continue), stage, n, tne,
/// mean, sd, lam, mean_limit (NaN when absent), mean_ok, t1_ok, t2_ok
/// (-1 when absent, else 0/1), t1, t2.
#[pyfunction]
fn _nc_decide_lots<'py>(
    py: Python<'py>,
    values: PyReadonlyArray1<'py, f64>,
    offsets: PyReadonlyArray1<'py, u64>,
    nominal: PyReadonlyArray1<'py, f64>,
    lot_size: PyReadonlyArray1<'py, u64>,
    tare: Option<PyReadonlyArray1<'py, f64>>,
    settings: SettingsArgs,
) -> PyResult<LotColumns<'py>> {
    let s = settings.settings()?;
    let (x, nominal, lot_size) = (
        values.as_slice()?,
        nominal.as_slice()?,
        lot_size.as_slice()?,
    );
    let offsets: Vec<usize> = offsets.as_slice()?.iter().map(|&o| o as usize).collect();
    let tare = optional(&tare)?;
    let out = py.detach(|| core::decide_lots(x, &offsets, nominal, lot_size, tare, &s))?;
    let nan = f64::NAN;
    let f = |g: &dyn Fn(&LotDecision) -> f64| -> Vec<f64> { out.iter().map(g).collect() };
    let b = |g: &dyn Fn(&LotDecision) -> Option<bool>| -> Vec<i8> {
        out.iter().map(|d| g(d).map_or(-1, i8::from)).collect()
    };
    let u = |g: &dyn Fn(&LotDecision) -> u64| -> Vec<u64> { out.iter().map(g).collect() };
    let floats = vec![
        f(&|d| d.tne).into_pyarray(py),
        f(&|d| d.mean.unwrap_or(nan)).into_pyarray(py),
        f(&|d| d.sd.unwrap_or(nan)).into_pyarray(py),
        f(&|d| d.lam.unwrap_or(nan)).into_pyarray(py),
        f(&|d| d.mean_limit.unwrap_or(nan)).into_pyarray(py),
    ];
    let verdict: Vec<i8> = out
        .iter()
        .map(|d| match d.verdict {
            Outcome::Accept => 0,
            Outcome::Reject => 1,
            Outcome::Continue => 2,
        })
        .collect();
    let flags = vec![
        verdict.into_pyarray(py),
        b(&|d| d.mean_ok).into_pyarray(py),
        b(&|d| d.t1_ok).into_pyarray(py),
        b(&|d| d.t2_ok).into_pyarray(py),
    ];
    let counts = vec![
        u(&|d| d.stage as u64).into_pyarray(py),
        u(&|d| d.n).into_pyarray(py),
        u(&|d| d.t1).into_pyarray(py),
        u(&|d| d.t2).into_pyarray(py),
    ];
    Ok((floats, flags, counts))
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_nc_tne, m)?)?;
    m.add_function(wrap_pyfunction!(_nc_plan, m)?)?;
    m.add_function(wrap_pyfunction!(_nc_prob_pass_mean, m)?)?;
    m.add_function(wrap_pyfunction!(_nc_prob_pass_t1, m)?)?;
    m.add_function(wrap_pyfunction!(_nc_decide, m)?)?;
    m.add_function(wrap_pyfunction!(_nc_decide_lots, m)?)?;
    Ok(())
}
