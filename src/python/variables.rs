//! Bindings of `crate::variables`.

use super::parse;
use crate::error::Error;
use crate::variables::{
    design_variables_plan, wallis_prob_accept, Acceptance, Control, DecisionColumns, Method,
    VariablesDecision, VariablesPlan,
};
use numpy::{
    IntoPyArray, PyArray1, PyArray2, PyArrayMethods, PyReadonlyArray1, PyUntypedArrayMethods,
};
use pyo3::exceptions::PyValueError;
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

    /// Decides lots given by the moments of their measurements (count, mean,
    /// M2, one entry per lot) into the caller's arrays (allocated by numpy
    /// with `np.empty`), with the GIL released: `accept` (bool, one entry per
    /// lot) and `stats` (float64, C-contiguous, shape (6, lots): the rows sd,
    /// q_lower, q_upper, p_lower, p_upper, p_hat; NaN for a limit not given).
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (n, mean, m2, accept, stats, lsl, usl, control_name, k_lower=None, k_upper=None))]
    fn decide_moments_into<'py>(
        &self,
        py: Python<'py>,
        n: PyReadonlyArray1<'py, u64>,
        mean: PyReadonlyArray1<'py, f64>,
        m2: PyReadonlyArray1<'py, f64>,
        accept: Bound<'py, PyArray1<bool>>,
        stats: Bound<'py, PyArray2<f64>>,
        lsl: Option<f64>,
        usl: Option<f64>,
        control_name: &str,
        k_lower: Option<f64>,
        k_upper: Option<f64>,
    ) -> PyResult<()> {
        let c = acceptance(control_name, k_lower, k_upper)?;
        let (n, mean, m2) = (n.as_slice()?, mean.as_slice()?, m2.as_slice()?);
        let mut accept = accept
            .try_readwrite()
            .map_err(|e| PyValueError::new_err(format!("accept must be a writeable array: {e}")))?;
        let mut stats = stats
            .try_readwrite()
            .map_err(|e| PyValueError::new_err(format!("stats must be a writeable array: {e}")))?;
        let lots = n.len();
        if stats.shape() != [6, lots] {
            return Err(Error::invalid(
                "stats",
                format!("shape {:?}", stats.shape()),
                format!("shape [6, {lots}] (six statistics of each lot)"),
            )
            .into());
        }
        let out = DecisionColumns::from_rows(accept.as_slice_mut()?, stats.as_slice_mut()?)?;
        py.detach(|| {
            self.inner
                .decide_moment_columns(n, mean, m2, lsl, usl, c, out)
        })?;
        Ok(())
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
