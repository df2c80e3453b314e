//! Bindings of `crate::spc`.

use super::parse;
use crate::error::Error;
use crate::spc::{self, Constant};
use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::PyDict;

fn size(n: i64) -> PyResult<u64> {
    Ok(u64::try_from(n).map_err(|_| Error::invalid("n", n, "a subgroup size of at least 2"))?)
}

/// One constant at one subgroup size.
#[pyfunction]
fn _spc_constant(py: Python<'_>, constant: &str, n: i64) -> PyResult<f64> {
    let c = parse::<Constant>(constant)?;
    let n = size(n)?;
    Ok(py.detach(|| c.at(n))?)
}

/// One constant at many subgroup sizes (each distinct size once, in parallel).
#[pyfunction]
fn _spc_constants<'py>(
    py: Python<'py>,
    constant: &str,
    n: PyReadonlyArray1<'py, i64>,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let c = parse::<Constant>(constant)?;
    let sizes = n
        .as_slice()?
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            u64::try_from(v)
                .map_err(|_| Error::invalid(format!("n[{i}]"), v, "a subgroup size of at least 2"))
        })
        .collect::<Result<Vec<u64>, Error>>()?;
    let values = py.detach(|| spc::constants(c, &sizes))?;
    Ok(PyArray1::from_vec(py, values))
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
    m.add_function(wrap_pyfunction!(_chart_factors, m)?)?;
    m.add_function(wrap_pyfunction!(_spc_constant, m)?)?;
    m.add_function(wrap_pyfunction!(_spc_constants, m)?)?;
    Ok(())
}
