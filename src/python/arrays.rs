//! Reading arrays from numpy without copying: float64 arguments of one
//! value or one value per item as the core's batch [`Column`]s, optional
//! array arguments, and the one dispatch from numpy's count dtypes to the
//! generic batch functions of the core.

use crate::conformity::Column;
use crate::error::Error;
use crate::proportion::Count;
use numpy::ndarray::Dimension;
use numpy::{Element, PyArray, PyArray1, PyArrayMethods, PyReadonlyArray1, PyReadwriteArray};
use pyo3::exceptions::{PyTypeError, PyValueError};
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

/// Float64 arguments, each one value shared by every item or one value per
/// item, borrowed as the core's batch columns under the names their errors
/// use.
///
/// # Errors
/// `ValueError` for a non-contiguous array.
pub(crate) fn columns<'a, const K: usize>(
    named: [(&'static str, &'a PyReadonlyArray1<'_, f64>); K],
) -> PyResult<[Column<'a>; K]> {
    let mut out = [Column::new("", &[]); K];
    for (column, (name, array)) in out.iter_mut().zip(named) {
        *column = Column::new(name, array.as_slice()?);
    }
    Ok(out)
}

/// An optional array argument borrowed as an optional slice.
///
/// # Errors
/// `ValueError` for a non-contiguous array.
pub(crate) fn optional<'a, T: Element>(
    array: &'a Option<PyReadonlyArray1<'_, T>>,
) -> PyResult<Option<&'a [T]>> {
    array.as_ref().map(|a| Ok(a.as_slice()?)).transpose()
}

/// A batch computation over `K` count arrays of one element type that fills
/// two float64 outputs (lower and upper limits, or statistic and p-value).
/// Each batch binding implements it once, generically over the count type;
/// [`fill_from_counts`] chooses the type from the arrays' dtype.
pub(crate) trait CountKernel<const K: usize>: Sync {
    /// Runs the core batch function on `counts`, filling `first` and `second`.
    fn fill<T: Count>(
        &self,
        counts: [&[T]; K],
        first: &mut [f64],
        second: &mut [f64],
    ) -> Result<(), Error>;
}

/// One output array of a batch binding, with the argument name its errors use.
pub(crate) type Output<'py> = (&'static str, Bound<'py, PyArray1<f64>>);

/// Borrows `counts` as slices of one dtype and runs `kernel` on them with
/// the GIL released, filling the caller's two output arrays.
///
/// # Errors
/// `TypeError` when the arrays do not share one dtype; `ValueError` for a
/// non-contiguous or non-writeable array, or the kernel's error.
pub(crate) fn fill_from_counts<'py, const K: usize>(
    py: Python<'py>,
    counts: [&Counts<'py>; K],
    outputs: [Output<'py>; 2],
    kernel: impl CountKernel<K> + Send,
) -> PyResult<()> {
    if let Some(slices) = same_dtype(counts, |c| match c {
        Counts::I64(a) => Some(a),
        Counts::F64(_) => None,
    })? {
        return fill_outputs(py, outputs, |a, b| kernel.fill(slices, a, b));
    }
    if let Some(slices) = same_dtype(counts, |c| match c {
        Counts::F64(a) => Some(a),
        Counts::I64(_) => None,
    })? {
        return fill_outputs(py, outputs, |a, b| kernel.fill(slices, a, b));
    }
    Err(PyTypeError::new_err(
        "count arrays must share one dtype (int64 or float64)",
    ))
}

/// The arrays as contiguous slices when every one has the dtype `pick`
/// selects; `None` when one does not.
fn same_dtype<'a, 'py: 'a, T: numpy::Element + 'a, const K: usize>(
    counts: [&'a Counts<'py>; K],
    pick: impl Fn(&'a Counts<'py>) -> Option<&'a PyReadonlyArray1<'py, T>>,
) -> PyResult<Option<[&'a [T]; K]>> {
    let mut slices = Vec::with_capacity(K);
    for c in counts {
        match pick(c) {
            Some(a) => slices.push(a.as_slice()?),
            None => return Ok(None),
        }
    }
    Ok(slices.try_into().ok())
}

/// Fills the caller's two float64 output arrays (allocated by numpy with
/// `np.empty`, which reuses freed blocks and so costs neither zeroing nor page
/// faults, unlike fresh vectors) by `fill`, with the GIL released.
fn fill_outputs<'py>(
    py: Python<'py>,
    [(first_name, first), (second_name, second)]: [Output<'py>; 2],
    fill: impl FnOnce(&mut [f64], &mut [f64]) -> Result<(), Error> + Send,
) -> PyResult<()> {
    let mut a = writable(&first, first_name)?;
    let mut b = writable(&second, second_name)?;
    let (a, b) = (a.as_slice_mut()?, b.as_slice_mut()?);
    py.detach(|| fill(a, b))?;
    Ok(())
}

/// Borrows an output array for writing: a read-only or already borrowed
/// array is a ValueError here (the `PyReadwriteArray` extractor would panic).
pub(crate) fn writable<'py, T: Element, D: Dimension>(
    array: &Bound<'py, PyArray<T, D>>,
    name: &str,
) -> PyResult<PyReadwriteArray<'py, T, D>> {
    array
        .try_readwrite()
        .map_err(|e| PyValueError::new_err(format!("{name} must be a writeable array: {e}")))
}
