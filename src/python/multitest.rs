//! Bindings of `crate::multitest`.

use super::parse;
use crate::multitest::{self, AdjustMethod};
use numpy::{PyArray1, PyArrayMethods, PyReadonlyArray1};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

/// Adjusts `p_values` into `adjusted` (a float64 array of the same length
/// that the Python layer allocates), with the GIL released.
#[pyfunction]
fn _adjust_p<'py>(
    py: Python<'py>,
    p_values: PyReadonlyArray1<'py, f64>,
    method: &str,
    adjusted: Bound<'py, PyArray1<f64>>,
) -> PyResult<()> {
    let method = parse::<AdjustMethod>(method)?;
    let p = p_values.as_slice()?;
    let mut out = adjusted
        .try_readwrite()
        .map_err(|e| PyValueError::new_err(format!("adjusted must be a writeable array: {e}")))?;
    let out = out.as_slice_mut()?;
    py.detach(|| multitest::adjust_p_into(p, method, out))?;
    Ok(())
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_adjust_p, m)?)?;
    Ok(())
}
