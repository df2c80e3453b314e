//! Bindings of `crate::numerics::summary`: the moments of keyed groups, and
//! merging partial [`Moments`] (the summaries of partitions of a frame) by
//! Chan's formula.

use crate::error::{check_same_len, Error};
use crate::numerics::summary::{group_ids, merge_runs, moments_by_key, Moments};
use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use rayon::prelude::*;

/// The moments held in three columns (count, mean, M2).
pub(crate) fn moments(n: &[u64], mean: &[f64], m2: &[f64]) -> Result<Vec<Moments>, Error> {
    check_same_len("n", n.len(), "mean", mean.len())?;
    check_same_len("n", n.len(), "m2", m2.len())?;
    Ok(n.iter()
        .zip(mean)
        .zip(m2)
        .map(|((&n, &mean), &m2)| Moments { n, mean, m2 })
        .collect())
}

type MomentColumns<'py> = (
    Bound<'py, PyArray1<u64>>,
    Bound<'py, PyArray1<f64>>,
    Bound<'py, PyArray1<f64>>,
);

/// Merges runs of partial moments: run `i` is rows `offsets[i]..offsets[i + 1]`.
#[pyfunction]
fn _merge_moments<'py>(
    py: Python<'py>,
    offsets: PyReadonlyArray1<'py, i64>,
    n: PyReadonlyArray1<'py, u64>,
    mean: PyReadonlyArray1<'py, f64>,
    m2: PyReadonlyArray1<'py, f64>,
) -> PyResult<MomentColumns<'py>> {
    let offsets: Vec<usize> = offsets
        .as_slice()?
        .iter()
        .map(|&o| {
            usize::try_from(o).map_err(|_| Error::invalid("offsets", o, "non-negative offsets"))
        })
        .collect::<Result<_, _>>()?;
    let parts = moments(n.as_slice()?, mean.as_slice()?, m2.as_slice()?)?;
    let merged = py.detach(|| merge_runs(&parts, &offsets).map(|m| split(&m)))?;
    Ok(columns(py, merged))
}

/// The moments of the groups of `values` keyed by `keys`, groups in order of
/// first appearance: (key, first row, (n, mean, M2)) per group.
#[pyfunction]
fn _moments_by_key<'py>(
    py: Python<'py>,
    values: PyReadonlyArray1<'py, f64>,
    keys: PyReadonlyArray1<'py, i64>,
) -> PyResult<(I64Array<'py>, I64Array<'py>, MomentColumns<'py>)> {
    let (values, keys) = (values.as_slice()?, keys.as_slice()?);
    let (keys, first, moments) = py.detach(|| {
        let g = moments_by_key(values, keys)?;
        let first: Vec<i64> =
            crate::parallel::install(|| g.first_rows.par_iter().map(|&r| r as i64).collect());
        Ok::<_, Error>((g.keys, first, split(&g.moments)))
    })?;
    Ok((
        keys.into_pyarray(py),
        first.into_pyarray(py),
        columns(py, moments),
    ))
}

type I64Array<'py> = Bound<'py, PyArray1<i64>>;

/// Dense group ids of integer keys, groups numbered 0, 1, ... in order of
/// first appearance: (group of each row, first row of each group).
#[pyfunction]
fn _group_ids<'py>(
    py: Python<'py>,
    keys: PyReadonlyArray1<'py, i64>,
) -> PyResult<(I64Array<'py>, I64Array<'py>)> {
    let keys = keys.as_slice()?;
    let (group_of, first_rows) = py.detach(|| {
        let (group_of, _, first_rows) = group_ids(keys);
        let as_i64 = |v: Vec<usize>| v.into_iter().map(|g| g as i64).collect::<Vec<_>>();
        (as_i64(group_of), as_i64(first_rows))
    });
    Ok((group_of.into_pyarray(py), first_rows.into_pyarray(py)))
}

/// The moments in three columns (count, mean, M2), split in parallel.
fn split(m: &[Moments]) -> (Vec<u64>, Vec<f64>, Vec<f64>) {
    crate::parallel::install(|| {
        (
            m.par_iter().map(|m| m.n).collect(),
            m.par_iter().map(|m| m.mean).collect(),
            m.par_iter().map(|m| m.m2).collect(),
        )
    })
}

fn columns<'py>(
    py: Python<'py>,
    (n, mean, m2): (Vec<u64>, Vec<f64>, Vec<f64>),
) -> MomentColumns<'py> {
    (
        n.into_pyarray(py),
        mean.into_pyarray(py),
        m2.into_pyarray(py),
    )
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_merge_moments, m)?)?;
    m.add_function(wrap_pyfunction!(_moments_by_key, m)?)?;
    m.add_function(wrap_pyfunction!(_group_ids, m)?)?;
    Ok(())
}
