//! Bindings of `crate::standards::iso2859_2` (ISO 2859-2 Procedure A).

use super::plan::{count, PyAttributePlan};
use crate::standards::iso2859_2 as iso;
use pyo3::prelude::*;
use pyo3::types::PyDict;

#[pyfunction]
fn _iso2859_2_plan<'py>(py: Python<'py>, lq: f64, lot_size: i64) -> PyResult<Bound<'py, PyDict>> {
    let p = iso::plan(lq, count("lot_size", lot_size)?)?;
    let d = PyDict::new(py);
    d.set_item("lq", p.lq_label)?;
    d.set_item("lq_fraction", p.lq_fraction)?;
    d.set_item("lot_size", p.lot_size)?;
    let hi = (p.lot_class.1 != u64::MAX).then_some(p.lot_class.1);
    d.set_item("lot_class", (p.lot_class.0, hi))?;
    d.set_item("plan_lq", p.plan_lq_label)?;
    d.set_item("printed_n", p.printed_n)?;
    d.set_item("full_inspection", p.full_inspection)?;
    d.set_item("consumer_risk", p.consumer_risk)?;
    d.set_item("binomial_pa_at_lq", p.binomial_pa_at_lq)?;
    d.set_item("table", iso::TABLE)?;
    d.set_item("note", p.note)?;
    d.set_item("plan", Py::new(py, PyAttributePlan { inner: p.plan })?)?;
    Ok(d)
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_iso2859_2_plan, m)?)?;
    Ok(())
}
