//! Bindings of `crate::standards::iso3951`.

use super::iso2859_1::code_char;
use super::parse;
use super::plan::count;
use super::variables::PyVariablesPlan;
use crate::standards::iso3951::{self as iso, Inspection, Level, Lookup};
use crate::variables::Method;
use pyo3::prelude::*;
use pyo3::types::PyDict;

#[pyfunction]
fn _iso3951_code_letter(lot_size: i64, level: &str) -> PyResult<String> {
    Ok(iso::code_letter(count("lot_size", lot_size)?, parse::<Level>(level)?)?.to_string())
}

#[pyfunction]
#[pyo3(signature = (aql, lot_size, code, level, inspection, method))]
fn _iso3951_plan<'py>(
    py: Python<'py>,
    aql: f64,
    lot_size: Option<i64>,
    code: Option<&str>,
    level: &str,
    inspection: &str,
    method: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let code = code
        .map(|c| code_char(c, "a Z1.9 code letter B-N or P"))
        .transpose()?;
    let look = Lookup {
        lot_size: lot_size.map(|l| count("lot_size", l)).transpose()?,
        code,
        level: parse::<Level>(level)?,
        inspection: parse::<Inspection>(inspection)?,
        tables: parse::<Method>(method)?,
        ..Lookup::new(aql)
    };
    let p = iso::plan(&look)?;
    let d = PyDict::new(py);
    d.set_item("aql", p.aql)?;
    d.set_item("aql_fraction", p.aql_fraction)?;
    d.set_item("code_letter", p.code_letter.to_string())?;
    d.set_item("m_percent", p.m_percent)?;
    d.set_item("k_printed", p.k_printed)?;
    d.set_item("k_derived", p.k_derived)?;
    d.set_item("inspection", p.inspection.name())?;
    d.set_item("table", p.table)?;
    d.set_item("full_inspection", p.full_inspection)?;
    d.set_item("note", p.note)?;
    d.set_item("plan", Py::new(py, PyVariablesPlan { inner: p.plan })?)?;
    Ok(d)
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_iso3951_code_letter, m)?)?;
    m.add_function(wrap_pyfunction!(_iso3951_plan, m)?)?;
    Ok(())
}
