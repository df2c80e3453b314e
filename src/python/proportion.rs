//! Bindings of `crate::proportion` (Python module `qualstat.proportion`).
//!
//! Scalar functions return `(lower, upper)` (or `(statistic, p_value)`) pairs
//! that the Python layer wraps in its result classes; batch functions fill
//! two output arrays the Python layer allocates.

use super::arrays::{fill_from_counts, CountKernel, Counts};
use super::parse;
use crate::error::{count_from_f64, Error};
use crate::proportion::{
    self as core, Alternative, Bound as Side, Count, DiffMethod, DiffTestMethod, Method,
    RateMethod, TestMethod, TwoSamples,
};
use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;

type Out<'py> = Bound<'py, PyArray1<f64>>;

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

/// [`core::proportion_ci_batch`] with its options.
struct ProportionCi(f64, Method, Side);

impl CountKernel<2> for ProportionCi {
    fn fill<T: Count>(
        &self,
        [x, n]: [&[T]; 2],
        lo: &mut [f64],
        hi: &mut [f64],
    ) -> Result<(), Error> {
        core::proportion_ci_batch(x, n, self.0, self.1, self.2, lo, hi)
    }
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
    lower: Out<'py>,
    upper: Out<'py>,
) -> PyResult<()> {
    let kernel = ProportionCi(confidence, parse(method)?, parse(bound)?);
    let outputs = [("lower", lower), ("upper", upper)];
    fill_from_counts(py, [&successes, &trials], outputs, kernel)
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

/// [`core::proportion_ci_finite_batch`] with its options.
struct FiniteCi(f64, Side);

impl CountKernel<3> for FiniteCi {
    fn fill<T: Count>(
        &self,
        [x, n, pop]: [&[T]; 3],
        lo: &mut [f64],
        hi: &mut [f64],
    ) -> Result<(), Error> {
        core::proportion_ci_finite_batch(x, n, pop, self.0, self.1, lo, hi)
    }
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
    lower: Out<'py>,
    upper: Out<'py>,
) -> PyResult<()> {
    let kernel = FiniteCi(confidence, parse(bound)?);
    let outputs = [("lower", lower), ("upper", upper)];
    fill_from_counts(py, [&successes, &trials, &population], outputs, kernel)
}

/// The four scalar counts of a two-sample call, validated as whole numbers.
fn two_counts(counts: [f64; 4]) -> PyResult<[u64; 4]> {
    let names = ["successes1", "trials1", "successes2", "trials2"];
    let mut out = [0; 4];
    for ((o, v), name) in out.iter_mut().zip(counts).zip(names) {
        *o = count_from_f64(name, v)?;
    }
    Ok(out)
}

fn two_samples<T>(
    [successes1, trials1, successes2, trials2]: [&[T]; 4],
) -> TwoSamples<'_, T, T, T, T> {
    TwoSamples {
        successes1,
        trials1,
        successes2,
        trials2,
    }
}

#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn _proportion_diff_ci(
    successes1: f64,
    trials1: f64,
    successes2: f64,
    trials2: f64,
    confidence: f64,
    method: &str,
    bound: &str,
) -> PyResult<(f64, f64)> {
    let (method, bound) = (parse::<DiffMethod>(method)?, parse::<Side>(bound)?);
    let [x1, n1, x2, n2] = two_counts([successes1, trials1, successes2, trials2])?;
    let ci = core::proportion_diff_ci(x1, n1, x2, n2, confidence, method, bound)?;
    Ok((ci.lower, ci.upper))
}

/// A two-sample batch binding, with the Python signature as written: the four
/// count arrays, a number, two options (passed as names, parsed to the types
/// shown) and the two output arrays, which the core batch function `$core`
/// fills.
macro_rules! two_sample_batch {
    (
        fn $name:ident(
            successes1, trials1, successes2, trials2,
            $number:ident: f64, $opt1:ident: $T1:ty, $opt2:ident: $T2:ty,
            $out1:ident, $out2:ident $(,)?
        ) = $core:path;
    ) => {
        #[pyfunction]
        #[allow(clippy::too_many_arguments)]
        fn $name<'py>(
            py: Python<'py>,
            successes1: Counts<'py>,
            trials1: Counts<'py>,
            successes2: Counts<'py>,
            trials2: Counts<'py>,
            $number: f64,
            $opt1: &str,
            $opt2: &str,
            $out1: Out<'py>,
            $out2: Out<'py>,
        ) -> PyResult<()> {
            struct Kernel(f64, $T1, $T2);
            impl CountKernel<4> for Kernel {
                fn fill<T: Count>(
                    &self,
                    v: [&[T]; 4],
                    a: &mut [f64],
                    b: &mut [f64],
                ) -> Result<(), Error> {
                    $core(two_samples(v), self.0, self.1, self.2, a, b)
                }
            }
            let kernel = Kernel($number, parse($opt1)?, parse($opt2)?);
            let counts = [&successes1, &trials1, &successes2, &trials2];
            let outputs = [(stringify!($out1), $out1), (stringify!($out2), $out2)];
            fill_from_counts(py, counts, outputs, kernel)
        }
    };
}

two_sample_batch! {
    fn _proportion_diff_ci_batch(
        successes1, trials1, successes2, trials2,
        confidence: f64, method: DiffMethod, bound: Side,
        lower, upper,
    ) = core::proportion_diff_ci_batch;
}

#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn _proportion_diff_test(
    successes1: f64,
    trials1: f64,
    successes2: f64,
    trials2: f64,
    delta: f64,
    method: &str,
    alternative: &str,
) -> PyResult<(f64, f64)> {
    let method = parse::<DiffTestMethod>(method)?;
    let alternative = parse::<Alternative>(alternative)?;
    let [x1, n1, x2, n2] = two_counts([successes1, trials1, successes2, trials2])?;
    let t = core::proportion_diff_test(x1, n1, x2, n2, delta, method, alternative)?;
    Ok((t.statistic, t.p_value))
}

two_sample_batch! {
    fn _proportion_diff_test_batch(
        successes1, trials1, successes2, trials2,
        delta: f64, method: DiffTestMethod, alternative: Alternative,
        statistic, p_value,
    ) = core::proportion_diff_test_batch;
}

#[pyfunction]
fn _rate_ci(
    count: f64,
    exposure: f64,
    confidence: f64,
    method: &str,
    bound: &str,
) -> PyResult<(f64, f64)> {
    let (method, bound) = (parse::<RateMethod>(method)?, parse::<Side>(bound)?);
    let k = count_from_f64("count", count)?;
    let ci = core::rate_ci(k, exposure, confidence, method, bound)?;
    Ok((ci.lower, ci.upper))
}

/// [`core::rate_ci_batch`] with its exposure and options.
struct RateCi<'a>(&'a [f64], f64, RateMethod, Side);

impl CountKernel<1> for RateCi<'_> {
    fn fill<T: Count>(&self, [k]: [&[T]; 1], lo: &mut [f64], hi: &mut [f64]) -> Result<(), Error> {
        core::rate_ci_batch(k, self.0, self.1, self.2, self.3, lo, hi)
    }
}

#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn _rate_ci_batch<'py>(
    py: Python<'py>,
    count: Counts<'py>,
    exposure: PyReadonlyArray1<'py, f64>,
    confidence: f64,
    method: &str,
    bound: &str,
    lower: Out<'py>,
    upper: Out<'py>,
) -> PyResult<()> {
    let kernel = RateCi(
        exposure.as_slice()?,
        confidence,
        parse(method)?,
        parse(bound)?,
    );
    fill_from_counts(py, [&count], [("lower", lower), ("upper", upper)], kernel)
}

#[pyfunction]
fn _proportion_test(
    successes: f64,
    trials: f64,
    p0: f64,
    method: &str,
    alternative: &str,
) -> PyResult<(f64, f64)> {
    let method = parse::<TestMethod>(method)?;
    let alternative = parse::<Alternative>(alternative)?;
    let x = count_from_f64("successes", successes)?;
    let n = count_from_f64("trials", trials)?;
    let t = core::proportion_test(x, n, p0, method, alternative)?;
    Ok((t.statistic, t.p_value))
}

#[pyfunction]
fn _proportion_test_finite(
    successes: f64,
    trials: f64,
    population: f64,
    p0: f64,
    method: &str,
    alternative: &str,
) -> PyResult<(f64, f64)> {
    let method = parse::<TestMethod>(method)?;
    let alternative = parse::<Alternative>(alternative)?;
    let x = count_from_f64("successes", successes)?;
    let n = count_from_f64("trials", trials)?;
    let pop = count_from_f64("population", population)?;
    let t = core::proportion_test_finite(x, n, pop, p0, method, alternative)?;
    Ok((t.statistic, t.p_value))
}

/// [`core::proportion_test_batch`] with its p0 and options.
struct OneTest<'a>(&'a [f64], TestMethod, Alternative);

impl CountKernel<2> for OneTest<'_> {
    fn fill<T: Count>(&self, [x, n]: [&[T]; 2], z: &mut [f64], p: &mut [f64]) -> Result<(), Error> {
        core::proportion_test_batch(x, n, self.0, self.1, self.2, z, p)
    }
}

impl CountKernel<3> for OneTest<'_> {
    fn fill<T: Count>(
        &self,
        [x, n, pop]: [&[T]; 3],
        z: &mut [f64],
        p: &mut [f64],
    ) -> Result<(), Error> {
        core::proportion_test_finite_batch(x, n, pop, self.0, self.1, self.2, z, p)
    }
}

#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn _proportion_test_batch<'py>(
    py: Python<'py>,
    successes: Counts<'py>,
    trials: Counts<'py>,
    p0: PyReadonlyArray1<'py, f64>,
    method: &str,
    alternative: &str,
    statistic: Out<'py>,
    p_value: Out<'py>,
) -> PyResult<()> {
    let kernel = OneTest(p0.as_slice()?, parse(method)?, parse(alternative)?);
    let outputs = [("statistic", statistic), ("p_value", p_value)];
    fill_from_counts(py, [&successes, &trials], outputs, kernel)
}

#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn _proportion_test_finite_batch<'py>(
    py: Python<'py>,
    successes: Counts<'py>,
    trials: Counts<'py>,
    population: Counts<'py>,
    p0: PyReadonlyArray1<'py, f64>,
    method: &str,
    alternative: &str,
    statistic: Out<'py>,
    p_value: Out<'py>,
) -> PyResult<()> {
    let kernel = OneTest(p0.as_slice()?, parse(method)?, parse(alternative)?);
    let outputs = [("statistic", statistic), ("p_value", p_value)];
    fill_from_counts(py, [&successes, &trials, &population], outputs, kernel)
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
    m.add_function(wrap_pyfunction!(_proportion_diff_test, m)?)?;
    m.add_function(wrap_pyfunction!(_proportion_diff_test_batch, m)?)?;
    m.add_function(wrap_pyfunction!(_proportion_test, m)?)?;
    m.add_function(wrap_pyfunction!(_proportion_test_finite, m)?)?;
    m.add_function(wrap_pyfunction!(_proportion_test_batch, m)?)?;
    m.add_function(wrap_pyfunction!(_proportion_test_finite_batch, m)?)?;
    m.add_function(wrap_pyfunction!(_rate_ci, m)?)?;
    m.add_function(wrap_pyfunction!(_rate_ci_batch, m)?)?;
    m.add_function(wrap_pyfunction!(_demonstration_sample_size, m)?)?;
    Ok(())
}
