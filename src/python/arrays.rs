//! Reading count arrays from numpy without copying.

use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;

/// A 1-D count array as numpy gives it: int64 or float64 (the Python layer
/// converts every other dtype to one of these two, the same for all the
/// count arguments of one call).
#[derive(FromPyObject)]
pub(crate) enum Counts<'py> {
    /// int64 counts.
    I64(PyReadonlyArray1<'py, i64>),
    /// float64 counts (must hold whole numbers).
    F64(PyReadonlyArray1<'py, f64>),
}

/// Borrowed slices of several count arrays of one dtype.
pub(crate) enum CountSlices<'a> {
    I64(Vec<&'a [i64]>),
    F64(Vec<&'a [f64]>),
}

/// Borrows the arrays as contiguous slices of one common dtype.
pub(crate) fn count_slices<'a>(arrays: &'a [&'a Counts<'_>]) -> PyResult<CountSlices<'a>> {
    let all_i64 = arrays.iter().all(|a| matches!(a, Counts::I64(_)));
    let all_f64 = arrays.iter().all(|a| matches!(a, Counts::F64(_)));
    let mixed = || {
        pyo3::exceptions::PyTypeError::new_err(
            "count arrays must share one dtype (int64 or float64)",
        )
    };
    if all_i64 {
        let mut v = Vec::with_capacity(arrays.len());
        for a in arrays {
            if let Counts::I64(x) = a {
                v.push(x.as_slice()?);
            }
        }
        Ok(CountSlices::I64(v))
    } else if all_f64 {
        let mut v = Vec::with_capacity(arrays.len());
        for a in arrays {
            if let Counts::F64(x) = a {
                v.push(x.as_slice()?);
            }
        }
        Ok(CountSlices::F64(v))
    } else {
        Err(mixed())
    }
}

/// Two fresh output vectors of length `len`.
pub(crate) fn outputs(len: usize) -> (Vec<f64>, Vec<f64>) {
    (vec![0.0; len], vec![0.0; len])
}

/// Hands two vectors to numpy without copying.
pub(crate) fn to_numpy<'py>(
    py: Python<'py>,
    (lower, upper): (Vec<f64>, Vec<f64>),
) -> (Bound<'py, PyArray1<f64>>, Bound<'py, PyArray1<f64>>) {
    (PyArray1::from_vec(py, lower), PyArray1::from_vec(py, upper))
}
