//! Reading count arrays from numpy without copying.

use crate::error::Error;
use numpy::{PyArray1, PyArrayMethods, PyReadonlyArray1};
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

impl CountSlices<'_> {
    /// Length of the first array (0 if there is none).
    pub(crate) fn len(&self) -> usize {
        match self {
            CountSlices::I64(v) => v.first().map_or(0, |s| s.len()),
            CountSlices::F64(v) => v.first().map_or(0, |s| s.len()),
        }
    }
}

/// Two float64 arrays, as a batch call returns them.
pub(crate) type Pair<'py> = (Bound<'py, PyArray1<f64>>, Bound<'py, PyArray1<f64>>);

/// Two numpy arrays of `len` float64, filled by `fill` with the GIL released.
///
/// numpy allocates them: it backs large arrays with transparent huge pages
/// and reuses freed blocks, so writing them costs a few page faults instead
/// of one per 4 KiB of fresh Rust vectors (about 2 ms per million pairs).
pub(crate) fn fill_pair<'py>(
    py: Python<'py>,
    len: usize,
    fill: impl FnOnce(&mut [f64], &mut [f64]) -> Result<(), Error> + Send,
) -> PyResult<Pair<'py>> {
    let lower = PyArray1::<f64>::zeros(py, len, false);
    let upper = PyArray1::<f64>::zeros(py, len, false);
    {
        let mut lo = lower.readwrite();
        let mut hi = upper.readwrite();
        let (lo, hi) = (lo.as_slice_mut()?, hi.as_slice_mut()?);
        py.detach(|| fill(lo, hi))?;
    }
    Ok((lower, upper))
}
