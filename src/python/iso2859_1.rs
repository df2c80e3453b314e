//! Bindings of `crate::standards::iso2859_1`.

use super::parse;
use super::plan::{count, counts, PyAttributePlan};
use crate::error::Error;
use crate::standards::iso2859_1::{
    self as iso, Edition, Inspection, Kind, Level, Lookup, LotRecord, Scheme, StandardPlan,
};
use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::sync::Mutex;

/// The one character of a code-letter string; `expected` describes the
/// letters for the error message.
pub(super) fn code_char(code: &str, expected: &str) -> Result<char, Error> {
    let mut chars = code.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Ok(c),
        _ => Err(Error::invalid("code", format!("{code:?}"), expected)),
    }
}

const CODE_EXPECTED: &str = "a code letter A-H, J-N, P-R";

/// The plan and its metadata as a dict.
fn plan_dict<'py>(py: Python<'py>, p: StandardPlan) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("aql", p.aql)?;
    d.set_item("aql_fraction", p.aql_fraction)?;
    d.set_item("code_letter", p.code_letter.to_string())?;
    d.set_item("plan_code_letter", p.plan_code_letter)?;
    d.set_item("arrow", p.arrow.map(iso::Arrow::name))?;
    d.set_item("kind", p.kind.name())?;
    d.set_item("inspection", p.inspection.name())?;
    d.set_item("edition", p.edition.name())?;
    d.set_item("table", p.table)?;
    d.set_item("full_inspection", p.full_inspection)?;
    d.set_item("note", p.note)?;
    d.set_item("plan", Py::new(py, PyAttributePlan { inner: p.plan })?)?;
    Ok(d)
}

#[pyfunction]
fn _iso2859_1_code_letter(lot_size: i64, level: &str) -> PyResult<String> {
    let lot = count("lot_size", lot_size)?;
    Ok(iso::code_letter(lot, parse::<Level>(level)?)?.to_string())
}

#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn _iso2859_1_plan<'py>(
    py: Python<'py>,
    aql: f64,
    lot_size: Option<i64>,
    code: Option<&str>,
    level: &str,
    inspection: &str,
    kind: &str,
    edition: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let mut look = Lookup::new(aql)
        .level(parse::<Level>(level)?)
        .inspection(parse::<Inspection>(inspection)?)
        .kind(parse::<Kind>(kind)?)
        .edition(parse::<Edition>(edition)?);
    if let Some(lot) = lot_size {
        look = look.lot_size(count("lot_size", lot)?);
    }
    if let Some(code) = code {
        look = look.code(code_char(code, CODE_EXPECTED)?);
    }
    plan_dict(py, iso::plan(&look)?)
}

#[pyfunction]
fn _iso2859_1_scheme_oc<'py>(
    py: Python<'py>,
    pa_normal: PyReadonlyArray1<'py, f64>,
    pa_tightened: PyReadonlyArray1<'py, f64>,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let (n, t) = (pa_normal.as_slice()?, pa_tightened.as_slice()?);
    crate::error::check_same_len("pa_normal", n.len(), "pa_tightened", t.len())?;
    let out = n
        .iter()
        .zip(t)
        .map(|(&a, &b)| iso::scheme_oc(a, b))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(PyArray1::from_vec(py, out))
}

fn record_dict<'py>(py: Python<'py>, r: LotRecord) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("lot", r.lot)?;
    d.set_item("lot_size", r.lot_size)?;
    d.set_item("state", r.state.name())?;
    d.set_item("decision", r.decision.outcome.name())?;
    d.set_item("stage", r.decision.stage)?;
    d.set_item("nonconforming", r.decision.cumulative)?;
    d.set_item("reinstate_normal", r.decision.reinstate_normal)?;
    d.set_item("state_after", r.state_after.name())?;
    d.set_item("switching_score", r.switching_score)?;
    d.set_item("plan", plan_dict(py, r.plan)?)?;
    Ok(d)
}

/// The switching-rule state machine (wrapped by `qualstat.iso2859_1.Scheme`).
#[pyclass(name = "_Iso2859Scheme", module = "qualstat._qualstat")]
pub(crate) struct PyIso2859Scheme {
    inner: Mutex<Scheme>,
}

impl PyIso2859Scheme {
    fn with<T>(&self, f: impl FnOnce(&mut Scheme) -> T) -> T {
        let mut guard = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut guard)
    }
}

#[pymethods]
impl PyIso2859Scheme {
    #[new]
    fn new(aql: f64, level: &str, kind: &str, edition: &str) -> PyResult<Self> {
        let scheme = Scheme::new(
            aql,
            parse::<Level>(level)?,
            parse::<Kind>(kind)?,
            parse::<Edition>(edition)?,
        )?;
        Ok(PyIso2859Scheme {
            inner: Mutex::new(scheme),
        })
    }

    #[getter]
    fn edition(&self) -> &'static str {
        self.with(|s| s.edition().name())
    }

    #[getter]
    fn state(&self) -> &'static str {
        self.with(|s| s.state().name())
    }

    #[getter]
    fn switching_score(&self) -> u32 {
        self.with(|s| s.switching_score())
    }

    fn current_plan<'py>(&self, py: Python<'py>, lot_size: i64) -> PyResult<Bound<'py, PyDict>> {
        let lot = count("lot_size", lot_size)?;
        let p = self.with(|s| s.current_plan(lot))?;
        plan_dict(py, p)
    }

    fn inspect<'py>(
        &self,
        py: Python<'py>,
        lot_size: i64,
        counts_per_stage: Vec<i64>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let lot = count("lot_size", lot_size)?;
        let c = counts("nonconforming", &counts_per_stage)?;
        let r = self.with(|s| s.inspect(lot, &c))?;
        record_dict(py, r)
    }

    /// Inspects the lots in turn; stops after the lot that discontinues inspection.
    fn run<'py>(
        &self,
        py: Python<'py>,
        lot_sizes: Vec<i64>,
        counts_per_lot: Vec<Vec<i64>>,
    ) -> PyResult<Vec<Bound<'py, PyDict>>> {
        let lots = lot_sizes
            .iter()
            .enumerate()
            .map(|(i, &n)| count(&format!("lot_size[{i}]"), n))
            .collect::<Result<Vec<_>, _>>()?;
        let c = counts_per_lot
            .iter()
            .enumerate()
            .map(|(i, lot)| counts(&format!("nonconforming[{i}]"), lot))
            .collect::<Result<Vec<_>, _>>()?;
        let history = self.with(|s| s.run(&lots, &c))?;
        history.into_iter().map(|r| record_dict(py, r)).collect()
    }

    fn resume(&self) {
        self.with(|s| s.resume());
    }
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyIso2859Scheme>()?;
    m.add_function(wrap_pyfunction!(_iso2859_1_code_letter, m)?)?;
    m.add_function(wrap_pyfunction!(_iso2859_1_plan, m)?)?;
    m.add_function(wrap_pyfunction!(_iso2859_1_scheme_oc, m)?)?;
    Ok(())
}
