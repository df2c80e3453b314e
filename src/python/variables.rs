//! Bindings of `crate::variables`.

use super::parse;
use crate::error::Error;
use crate::variables::{
    design_variables_plan, wallis_prob_accept, Acceptance, Control, Method, VariablesDecision,
    VariablesPlan,
};
use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;

type F64Array<'py> = Bound<'py, PyArray1<f64>>;
type DecisionTuple = (
    &'static str,
    usize,
    f64,
    f64,
    f64,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    f64,
);

fn acceptance(control: &str, k_lower: Option<f64>, k_upper: Option<f64>) -> PyResult<Acceptance> {
    Ok(Acceptance {
        control: parse::<Control>(control)?,
        k_lower,
        k_upper,
    })
}

fn tuple(d: &VariablesDecision) -> DecisionTuple {
    (
        d.outcome.name(),
        d.n,
        d.mean,
        d.sd,
        d.sigma_used,
        d.q_lower,
        d.q_upper,
        d.p_lower,
        d.p_upper,
        d.p_hat,
    )
}

fn size(name: &str, v: i64) -> Result<u64, Error> {
    u64::try_from(v).map_err(|_| Error::invalid(name, v, "a positive whole number"))
}

/// A variables plan (wrapped by the Python class `qualstat.VariablesPlan`).
#[pyclass(frozen, name = "_VariablesPlan", module = "qualstat._qualstat")]
pub(crate) struct PyVariablesPlan {
    pub(crate) inner: VariablesPlan,
}

#[pymethods]
impl PyVariablesPlan {
    #[new]
    #[pyo3(signature = (n, k=None, m=None, method="s", sigma=None))]
    fn new(
        n: i64,
        k: Option<f64>,
        m: Option<f64>,
        method: &str,
        sigma: Option<f64>,
    ) -> PyResult<Self> {
        let n = size("n", n)?;
        let method = parse::<Method>(method)?;
        let inner = match (k, m) {
            (Some(k), None) => VariablesPlan::new(n, k, method, sigma)?,
            (None, Some(m)) => VariablesPlan::m_form(n, m, method, sigma)?,
            (Some(k), Some(m)) => VariablesPlan::with_k_and_m(n, k, m, method, sigma)?,
            (None, None) => {
                return Err(Error::invalid(
                    "k",
                    "None",
                    "an acceptability constant k or a maximum allowable m",
                )
                .into())
            }
        };
        Ok(PyVariablesPlan { inner })
    }

    #[getter]
    fn n(&self) -> u64 {
        self.inner.n()
    }

    #[getter]
    fn k(&self) -> f64 {
        self.inner.k()
    }

    #[getter]
    fn m(&self) -> f64 {
        self.inner.m()
    }

    #[getter]
    fn method(&self) -> &'static str {
        self.inner.method().name()
    }

    #[getter]
    fn sigma(&self) -> Option<f64> {
        self.inner.sigma()
    }

    fn prob_accept<'py>(
        &self,
        py: Python<'py>,
        p: PyReadonlyArray1<'py, f64>,
    ) -> PyResult<F64Array<'py>> {
        let p = p.as_slice()?;
        let out = py.detach(|| self.inner.prob_accept_many(p))?;
        Ok(out.into_pyarray(py))
    }

    /// `P_a` at one quality; an error names the argument as `name`.
    fn prob_accept_at(&self, p: f64, name: &str) -> PyResult<f64> {
        Ok(self
            .inner
            .prob_accept(p)
            .map_err(|e| e.renamed(|_| name.to_owned()))?)
    }

    fn quality_at(&self, pa: f64) -> PyResult<f64> {
        Ok(self.inner.quality_at(pa)?)
    }

    fn wallis<'py>(
        &self,
        py: Python<'py>,
        p: PyReadonlyArray1<'py, f64>,
    ) -> PyResult<F64Array<'py>> {
        let out: Result<Vec<f64>, Error> = p
            .as_slice()?
            .iter()
            .map(|&x| wallis_prob_accept(&self.inner, x))
            .collect();
        Ok(out?.into_pyarray(py))
    }

    #[pyo3(signature = (x, lsl, usl, control_name, k_lower=None, k_upper=None))]
    fn decide(
        &self,
        x: PyReadonlyArray1<'_, f64>,
        lsl: Option<f64>,
        usl: Option<f64>,
        control_name: &str,
        k_lower: Option<f64>,
        k_upper: Option<f64>,
    ) -> PyResult<DecisionTuple> {
        let c = acceptance(control_name, k_lower, k_upper)?;
        Ok(tuple(&self.inner.decide(x.as_slice()?, lsl, usl, c)?))
    }

    /// Decisions for lots given by the moments of their measurements (count,
    /// mean, M2, one entry per lot): whether each is accepted, and one
    /// column per statistic.
    #[allow(clippy::too_many_arguments, clippy::type_complexity)]
    #[pyo3(signature = (n, mean, m2, lsl, usl, control_name, k_lower=None, k_upper=None))]
    fn decide_moments<'py>(
        &self,
        py: Python<'py>,
        n: PyReadonlyArray1<'py, u64>,
        mean: PyReadonlyArray1<'py, f64>,
        m2: PyReadonlyArray1<'py, f64>,
        lsl: Option<f64>,
        usl: Option<f64>,
        control_name: &str,
        k_lower: Option<f64>,
        k_upper: Option<f64>,
    ) -> PyResult<(Bound<'py, PyArray1<bool>>, Vec<F64Array<'py>>)> {
        let c = acceptance(control_name, k_lower, k_upper)?;
        let lots = super::summary::moments(n.as_slice()?, mean.as_slice()?, m2.as_slice()?)?;
        let decisions = py.detach(|| self.inner.decide_moments(&lots, lsl, usl, c))?;
        let nan = f64::NAN;
        let col = |f: &dyn Fn(&VariablesDecision) -> f64| -> Vec<f64> {
            decisions.iter().map(f).collect()
        };
        let cols = vec![
            col(&|d| d.sd).into_pyarray(py),
            col(&|d| d.q_lower.unwrap_or(nan)).into_pyarray(py),
            col(&|d| d.q_upper.unwrap_or(nan)).into_pyarray(py),
            col(&|d| d.p_lower.unwrap_or(nan)).into_pyarray(py),
            col(&|d| d.p_upper.unwrap_or(nan)).into_pyarray(py),
            col(&|d| d.p_hat).into_pyarray(py),
        ];
        let accept: Vec<bool> = decisions
            .iter()
            .map(|d| d.outcome == crate::plan::Outcome::Accept)
            .collect();
        Ok((accept.into_pyarray(py), cols))
    }

    fn __repr__(&self) -> String {
        format!(
            "VariablesPlan(n={}, k={}, method={:?})",
            self.inner.n(),
            self.inner.k(),
            self.inner.method().name()
        )
    }
}

/// (plan, k_min, pa_aql, pa_lq, wallis k, wallis n_sigma, wallis n_s)
#[pyfunction]
fn _design_variables_plan(
    py: Python<'_>,
    aql: f64,
    lq: f64,
    alpha: f64,
    beta: f64,
    method: &str,
) -> PyResult<(PyVariablesPlan, f64, f64, f64, f64, f64, f64)> {
    let method = parse::<Method>(method)?;
    let d = py.detach(|| design_variables_plan(aql, lq, alpha, beta, method))?;
    let w = d.approximation;
    Ok((
        PyVariablesPlan { inner: d.plan },
        d.k_min,
        d.pa_aql,
        d.pa_lq,
        w.k,
        w.n_sigma,
        w.n_s,
    ))
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyVariablesPlan>()?;
    m.add_function(wrap_pyfunction!(_design_variables_plan, m)?)?;
    Ok(())
}
