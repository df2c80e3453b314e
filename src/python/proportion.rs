//! Bindings of `crate::proportion`.

use super::arrays::{count_slices, fill_outputs, CountSlices, Counts};
use super::parse;
use crate::error::{count_from_f64, Error};
use crate::proportion::{self as core, Bound as Side, DiffMethod, Method, RateMethod, TwoSamples};
use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;

#[pyfunction]
fn _proportion_ci(
    successes: f64,
    trials: f64,
    confidence: f64,
    method: &str,
    bound: &str,
) -> PyResult<(f64, f64)> {
    let (method, bound) = (parse::<Method>(method)?, parse::<Side>(bound)?);
    let x = count_from_f64("successes", successes)?;
    let n = count_from_f64("trials", trials)?;
    let ci = core::proportion_ci(x, n, confidence, method, bound)?;
    Ok((ci.lower, ci.upper))
}

#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn _proportion_ci_batch<'py>(
    py: Python<'py>,
    successes: Counts<'py>,
    trials: Counts<'py>,
    confidence: f64,
    method: &str,
    bound: &str,
    lower: Bound<'py, PyArray1<f64>>,
    upper: Bound<'py, PyArray1<f64>>,
) -> PyResult<()> {
    let (method, bound) = (parse::<Method>(method)?, parse::<Side>(bound)?);
    let arrays = [&successes, &trials];
    let slices = count_slices(&arrays)?;
    fn run<T: core::Count>(
        v: &[&[T]],
        (c, m, b): (f64, Method, Side),
        lo: &mut [f64],
        hi: &mut [f64],
    ) -> Result<(), Error> {
        let [x, n] = v else {
            return Err(Error::NoSolution("internal: expected two arrays".into()));
        };
        core::proportion_ci_batch(x, n, c, m, b, lo, hi)
    }
    let args = (confidence, method, bound);
    fill_outputs(py, lower, upper, |lo, hi| match &slices {
        CountSlices::I64(v) => run(v, args, lo, hi),
        CountSlices::F64(v) => run(v, args, lo, hi),
    })
}

#[pyfunction]
fn _proportion_ci_finite(
    successes: f64,
    trials: f64,
    population: f64,
    confidence: f64,
    bound: &str,
) -> PyResult<(f64, f64)> {
    let bound = parse::<Side>(bound)?;
    let x = count_from_f64("successes", successes)?;
    let n = count_from_f64("trials", trials)?;
    let pop = count_from_f64("population", population)?;
    let ci = core::proportion_ci_finite(x, n, pop, confidence, bound)?;
    Ok((ci.lower, ci.upper))
}

#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn _proportion_ci_finite_batch<'py>(
    py: Python<'py>,
    successes: Counts<'py>,
    trials: Counts<'py>,
    population: Counts<'py>,
    confidence: f64,
    bound: &str,
    lower: Bound<'py, PyArray1<f64>>,
    upper: Bound<'py, PyArray1<f64>>,
) -> PyResult<()> {
    let bound = parse::<Side>(bound)?;
    let arrays = [&successes, &trials, &population];
    let slices = count_slices(&arrays)?;
    fn run<T: core::Count>(
        v: &[&[T]],
        (c, b): (f64, Side),
        lo: &mut [f64],
        hi: &mut [f64],
    ) -> Result<(), Error> {
        let [x, n, p] = v else {
            return Err(Error::NoSolution("internal: expected three arrays".into()));
        };
        core::proportion_ci_finite_batch(x, n, p, c, b, lo, hi)
    }
    let args = (confidence, bound);
    fill_outputs(py, lower, upper, |lo, hi| match &slices {
        CountSlices::I64(v) => run(v, args, lo, hi),
        CountSlices::F64(v) => run(v, args, lo, hi),
    })
}

#[pyfunction]
fn _proportion_diff_ci(
    x1: f64,
    n1: f64,
    x2: f64,
    n2: f64,
    confidence: f64,
    method: &str,
) -> PyResult<(f64, f64)> {
    let method = parse::<DiffMethod>(method)?;
    let ci = core::proportion_diff_ci(
        count_from_f64("x1", x1)?,
        count_from_f64("n1", n1)?,
        count_from_f64("x2", x2)?,
        count_from_f64("n2", n2)?,
        confidence,
        method,
    )?;
    Ok((ci.lower, ci.upper))
}

#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn _proportion_diff_ci_batch<'py>(
    py: Python<'py>,
    x1: Counts<'py>,
    n1: Counts<'py>,
    x2: Counts<'py>,
    n2: Counts<'py>,
    confidence: f64,
    method: &str,
    lower: Bound<'py, PyArray1<f64>>,
    upper: Bound<'py, PyArray1<f64>>,
) -> PyResult<()> {
    let method = parse::<DiffMethod>(method)?;
    let arrays = [&x1, &n1, &x2, &n2];
    let slices = count_slices(&arrays)?;
    fn run<T: core::Count>(
        v: &[&[T]],
        (c, m): (f64, DiffMethod),
        lo: &mut [f64],
        hi: &mut [f64],
    ) -> Result<(), Error> {
        let [x1, n1, x2, n2] = v else {
            return Err(Error::NoSolution("internal: expected four arrays".into()));
        };
        core::proportion_diff_ci_batch(TwoSamples { x1, n1, x2, n2 }, c, m, lo, hi)
    }
    let args = (confidence, method);
    fill_outputs(py, lower, upper, |lo, hi| match &slices {
        CountSlices::I64(v) => run(v, args, lo, hi),
        CountSlices::F64(v) => run(v, args, lo, hi),
    })
}

#[pyfunction]
fn _rate_ci(count: f64, exposure: f64, confidence: f64, method: &str) -> PyResult<(f64, f64)> {
    let method = parse::<RateMethod>(method)?;
    let ci = core::rate_ci(
        count_from_f64("count", count)?,
        exposure,
        confidence,
        method,
    )?;
    Ok((ci.lower, ci.upper))
}

#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn _rate_ci_batch<'py>(
    py: Python<'py>,
    count: Counts<'py>,
    exposure: PyReadonlyArray1<'py, f64>,
    confidence: f64,
    method: &str,
    lower: Bound<'py, PyArray1<f64>>,
    upper: Bound<'py, PyArray1<f64>>,
) -> PyResult<()> {
    let method = parse::<RateMethod>(method)?;
    let t = exposure.as_slice()?;
    let arrays = [&count];
    let slices = count_slices(&arrays)?;
    fn run<T: core::Count>(
        v: &[&[T]],
        (t, c, m): (&[f64], f64, RateMethod),
        lo: &mut [f64],
        hi: &mut [f64],
    ) -> Result<(), Error> {
        let [k] = v else {
            return Err(Error::NoSolution("internal: expected one array".into()));
        };
        core::rate_ci_batch(k, t, c, m, lo, hi)
    }
    let args = (t, confidence, method);
    fill_outputs(py, lower, upper, |lo, hi| match &slices {
        CountSlices::I64(v) => run(v, args, lo, hi),
        CountSlices::F64(v) => run(v, args, lo, hi),
    })
}

#[pyfunction]
fn _demonstration_sample_size(pass_rate: f64, confidence: f64, failures: f64) -> PyResult<u64> {
    let f = count_from_f64("failures", failures)?;
    Ok(core::demonstration_sample_size(pass_rate, confidence, f)?)
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_proportion_ci, m)?)?;
    m.add_function(wrap_pyfunction!(_proportion_ci_batch, m)?)?;
    m.add_function(wrap_pyfunction!(_proportion_ci_finite, m)?)?;
    m.add_function(wrap_pyfunction!(_proportion_ci_finite_batch, m)?)?;
    m.add_function(wrap_pyfunction!(_proportion_diff_ci, m)?)?;
    m.add_function(wrap_pyfunction!(_proportion_diff_ci_batch, m)?)?;
    m.add_function(wrap_pyfunction!(_rate_ci, m)?)?;
    m.add_function(wrap_pyfunction!(_rate_ci_batch, m)?)?;
    m.add_function(wrap_pyfunction!(_demonstration_sample_size, m)?)?;
    Ok(())
}
