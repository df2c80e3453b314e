//! Bindings of `crate::dql` (declared quality level verification).

use super::parse;
use super::plan::{count, counts};
use crate::dql::{self, Design, DqlModel, DqlPlan, SampleSizes};
use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;

/// A DQL verification plan (the Python class `qualstat.dql.DqlPlan` wraps it).
#[pyclass(name = "_DqlPlan", frozen, module = "qualstat._qualstat")]
pub(crate) struct PyDqlPlan {
    inner: DqlPlan,
}

#[pymethods]
impl PyDqlPlan {
    #[getter]
    fn dql(&self) -> f64 {
        self.inner.dql
    }
    #[getter]
    fn n(&self) -> u64 {
        self.inner.n
    }
    #[getter]
    fn limiting_number(&self) -> u64 {
        self.inner.limiting_number
    }
    #[getter]
    fn alpha(&self) -> f64 {
        self.inner.alpha
    }
    #[getter]
    fn beta(&self) -> f64 {
        self.inner.beta
    }
    #[getter]
    fn lq(&self) -> f64 {
        self.inner.lq
    }
    #[getter]
    fn lqr(&self) -> f64 {
        self.inner.lqr
    }
    #[getter]
    fn model(&self) -> &'static str {
        if self.inner.population.is_some() {
            "hypergeometric"
        } else {
            self.inner.model.name()
        }
    }
    #[getter]
    fn population(&self) -> Option<u64> {
        self.inner.population
    }
    #[getter]
    fn full_inspection(&self) -> bool {
        self.inner.full_inspection
    }
    /// Whether `nonconforming` contradicts the DQL.
    fn contradicted(&self, nonconforming: i64) -> PyResult<bool> {
        Ok(self
            .inner
            .contradicted(count("nonconforming", nonconforming)?)?)
    }
    /// The probability of contradiction at each quality ratio, in parallel.
    fn prob_contradict<'py>(
        &self,
        py: Python<'py>,
        ratios: PyReadonlyArray1<'py, f64>,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let r = ratios.as_slice()?;
        let out = py.detach(|| self.inner.prob_contradict_many(r))?;
        Ok(out.into_pyarray(py))
    }
}

#[pyfunction]
#[pyo3(signature = (dql, limiting_number, lqr, alpha, beta, sample_sizes, model, population))]
#[allow(clippy::too_many_arguments)]
fn _dql_design(
    py: Python<'_>,
    dql: f64,
    limiting_number: Option<i64>,
    lqr: Option<f64>,
    alpha: f64,
    beta: f64,
    sample_sizes: &str,
    model: &str,
    population: Option<i64>,
) -> PyResult<PyDqlPlan> {
    let d = Design {
        dql,
        limiting_number: limiting_number
            .map(|l| count("limiting_number", l))
            .transpose()?,
        lqr,
        alpha,
        beta,
        sample_sizes: parse::<SampleSizes>(sample_sizes)?,
        model: parse::<DqlModel>(model)?,
        population: population.map(|p| count("population", p)).transpose()?,
    };
    let plan = py.detach(|| dql::design(&d))?;
    Ok(PyDqlPlan { inner: plan })
}

#[pyfunction]
fn _dql_allocate(n: i64, sizes: Vec<i64>) -> PyResult<Vec<u64>> {
    Ok(dql::allocate(count("n", n)?, &counts("strata", &sizes)?)?)
}

#[pyfunction]
fn _dql_allocate_equal(n: i64, strata: i64) -> PyResult<Vec<u64>> {
    Ok(dql::allocate_equal(
        count("n", n)?,
        count("strata", strata)?,
    )?)
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyDqlPlan>()?;
    m.add_function(wrap_pyfunction!(_dql_design, m)?)?;
    m.add_function(wrap_pyfunction!(_dql_allocate, m)?)?;
    m.add_function(wrap_pyfunction!(_dql_allocate_equal, m)?)?;
    Ok(())
}
