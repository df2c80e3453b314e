//! Bindings of `crate::spc`.

use crate::error::Error;
use crate::spc;
use pyo3::prelude::*;
use pyo3::types::PyDict;

fn size(n: i64) -> PyResult<u64> {
    Ok(u64::try_from(n).map_err(|_| Error::invalid("n", n, "a subgroup size of at least 2"))?)
}

#[pyfunction]
fn _c4(n: i64) -> PyResult<f64> {
    Ok(spc::c4(size(n)?)?)
}

#[pyfunction]
fn _d2(py: Python<'_>, n: i64) -> PyResult<f64> {
    let n = size(n)?;
    Ok(py.detach(|| spc::d2(n))?)
}

#[pyfunction]
fn _d3(py: Python<'_>, n: i64) -> PyResult<f64> {
    let n = size(n)?;
    Ok(py.detach(|| spc::d3(n))?)
}

#[pyfunction]
fn _d4(py: Python<'_>, n: i64) -> PyResult<f64> {
    let n = size(n)?;
    Ok(py.detach(|| spc::d4(n))?)
}

#[pyfunction]
fn _chart_factors(py: Python<'_>, n: i64) -> PyResult<Bound<'_, PyDict>> {
    let n = size(n)?;
    let f = py.detach(|| spc::chart_factors(n))?;
    let d = PyDict::new(py);
    for (k, v) in [
        ("A", f.A),
        ("A2", f.A2),
        ("A3", f.A3),
        ("B3", f.B3),
        ("B4", f.B4),
        ("B5", f.B5),
        ("B6", f.B6),
        ("D1", f.D1),
        ("D2", f.D2),
        ("D3", f.D3),
        ("D4", f.D4),
        ("E2", f.E2),
    ] {
        d.set_item(k, v)?;
    }
    Ok(d)
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_c4, m)?)?;
    m.add_function(wrap_pyfunction!(_d2, m)?)?;
    m.add_function(wrap_pyfunction!(_d3, m)?)?;
    m.add_function(wrap_pyfunction!(_d4, m)?)?;
    m.add_function(wrap_pyfunction!(_chart_factors, m)?)?;
    Ok(())
}
