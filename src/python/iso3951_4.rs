//! Bindings of `crate::standards::iso3951_4` (ISO 3951-4 DQL variables plans).

use super::parse;
use super::variables::PyVariablesPlan;
use crate::standards::iso3951_4::{self as iso, DqlLevel};
use crate::variables::Method;
use pyo3::prelude::*;
use pyo3::types::PyDict;

#[pyfunction]
fn _iso3951_4_plan<'py>(
    py: Python<'py>,
    dql: f64,
    level: &str,
    method: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let p = iso::plan(dql, parse::<DqlLevel>(level)?, parse::<Method>(method)?)?;
    let d = PyDict::new(py);
    d.set_item("dql", p.dql_label)?;
    d.set_item("dql_fraction", p.dql_fraction)?;
    d.set_item("level", p.level.name())?;
    d.set_item("method", p.method.name())?;
    d.set_item("p_star_percent", p.p_star_percent)?;
    d.set_item("table", iso::TABLE)?;
    d.set_item("full_inspection", false)?;
    d.set_item("note", p.note)?;
    d.set_item("plan", Py::new(py, PyVariablesPlan { inner: p.plan })?)?;
    Ok(d)
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_iso3951_4_plan, m)?)?;
    Ok(())
}
