//! Reading count arrays from numpy without copying.

use crate::error::Error;
use numpy::{PyArray1, PyArrayMethods, PyReadonlyArray1, PyReadwriteArray1};
use pyo3::exceptions::PyValueError;
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

/// Fills the caller's two float64 output arrays (allocated by numpy with
/// `np.empty`, which reuses freed blocks and so costs neither zeroing nor page
/// faults, unlike fresh vectors) by `fill`, with the GIL released.
pub(crate) fn fill_outputs<'py>(
    py: Python<'py>,
    lower: Bound<'py, PyArray1<f64>>,
    upper: Bound<'py, PyArray1<f64>>,
    fill: impl FnOnce(&mut [f64], &mut [f64]) -> Result<(), Error> + Send,
) -> PyResult<()> {
    let (mut lo, mut hi) = (writable(&lower, "lower")?, writable(&upper, "upper")?);
    let (lo, hi) = (lo.as_slice_mut()?, hi.as_slice_mut()?);
    py.detach(|| fill(lo, hi))?;
    Ok(())
}

/// Borrows an output array for writing: a read-only or already borrowed
/// array is a ValueError here (the `PyReadwriteArray` extractor would panic).
fn writable<'py>(
    array: &Bound<'py, PyArray1<f64>>,
    name: &str,
) -> PyResult<PyReadwriteArray1<'py, f64>> {
    array
        .try_readwrite()
        .map_err(|e| PyValueError::new_err(format!("{name} must be a writeable array: {e}")))
}
