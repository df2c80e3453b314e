//! Bindings of `crate::plan`.

use super::parse;
use crate::error::Error;
use crate::plan::{
    count_rows, design_double_plan, design_plan, design_plan_grid, prob_accept_grid,
    zero_acceptance_plan, AttributePlan, Curtailment, Decision, DoubleFamily, Model, Outcome,
    RiskPoints,
};
use numpy::{IntoPyArray, PyArray1, PyArray2, PyReadonlyArray1};
use pyo3::prelude::*;

type F64Array<'py> = Bound<'py, PyArray1<f64>>;
type I64Array<'py> = Bound<'py, PyArray1<i64>>;
type U64Array<'py> = Bound<'py, PyArray1<u64>>;
type Curves<'py> = (
    F64Array<'py>,
    F64Array<'py>,
    F64Array<'py>,
    Option<F64Array<'py>>,
);
type DecisionTuple = (&'static str, usize, u64, Option<u64>, bool);
type DecisionColumns<'py> = (
    Bound<'py, PyArray1<u8>>,
    I64Array<'py>,
    U64Array<'py>,
    I64Array<'py>,
    Bound<'py, PyArray1<bool>>,
);

/// A whole number >= 0 from Python, named for the error message.
pub(crate) fn count(name: &str, value: i64) -> Result<u64, Error> {
    u64::try_from(value).map_err(|_| Error::invalid(name, value, "a non-negative whole number"))
}

/// Whole numbers >= 0 from Python, named `name[i]` in error messages.
pub(crate) fn counts(name: &str, values: &[i64]) -> Result<Vec<u64>, Error> {
    values
        .iter()
        .enumerate()
        .map(|(i, &v)| count(&format!("{name}[{i}]"), v))
        .collect()
}

fn lot(lot_size: Option<i64>) -> Result<Option<u64>, Error> {
    lot_size.map(|l| count("lot_size", l)).transpose()
}

fn decision_tuple(d: Decision) -> DecisionTuple {
    (
        d.outcome.name(),
        d.stage,
        d.cumulative,
        d.next_sample_size,
        d.reinstate_normal,
    )
}

/// An attribute sampling plan (the Python class `qualstat.AttributePlan` wraps it).
#[pyclass(frozen, name = "_AttributePlan", module = "qualstat._qualstat")]
pub(crate) struct PyAttributePlan {
    pub(crate) inner: AttributePlan,
}

#[pymethods]
impl PyAttributePlan {
    #[new]
    #[pyo3(signature = (n, ac, re, final_gap = false))]
    fn new(n: Vec<i64>, ac: Vec<i64>, re: Vec<i64>, final_gap: bool) -> PyResult<Self> {
        let (n, re) = (counts("n", &n)?, counts("re", &re)?);
        let inner = if final_gap {
            AttributePlan::with_final_gap(&n, &ac, &re)?
        } else {
            AttributePlan::new(&n, &ac, &re)?
        };
        Ok(PyAttributePlan { inner })
    }

    #[getter]
    fn n(&self) -> Vec<u64> {
        self.inner.n().to_vec()
    }

    #[getter]
    fn ac(&self) -> Vec<i64> {
        self.inner.ac().to_vec()
    }

    #[getter]
    fn re(&self) -> Vec<u64> {
        self.inner.re().to_vec()
    }

    #[getter]
    fn final_gap(&self) -> bool {
        self.inner.has_final_gap()
    }

    /// (Pa, ASN, AOQ, ATI or None) at each p, computed in parallel.
    fn evaluate<'py>(
        &self,
        py: Python<'py>,
        p: PyReadonlyArray1<'py, f64>,
        model: &str,
        lot_size: Option<i64>,
    ) -> PyResult<Curves<'py>> {
        let model = parse::<Model>(model)?;
        let lot = lot(lot_size)?;
        let p = p.as_slice()?;
        let pts = py.detach(|| self.inner.evaluate_many(p, model, lot))?;
        let pa = pts.iter().map(|x| x.prob_accept).collect();
        let asn = pts.iter().map(|x| x.asn).collect();
        let aoq = pts.iter().map(|x| x.aoq).collect();
        let ati: Option<Vec<f64>> = pts.iter().map(|x| x.ati).collect();
        Ok((
            PyArray1::from_vec(py, pa),
            PyArray1::from_vec(py, asn),
            PyArray1::from_vec(py, aoq),
            ati.map(|v| PyArray1::from_vec(py, v)),
        ))
    }

    /// (Pa, ASN, AOQ, ATI or None) at one quality; an invalid quality is
    /// reported under `name` (e.g. "aql" for the producer's risk).
    #[pyo3(signature = (p, model, lot_size, name = "p"))]
    fn evaluate_one(
        &self,
        p: f64,
        model: &str,
        lot_size: Option<i64>,
        name: &str,
    ) -> PyResult<(f64, f64, f64, Option<f64>)> {
        let pt = self
            .inner
            .evaluate(p, parse::<Model>(model)?, lot(lot_size)?)
            .map_err(|e| e.renamed(|n| if n == "p" { name.into() } else { n.into() }))?;
        Ok((pt.prob_accept, pt.asn, pt.aoq, pt.ati))
    }

    fn aoql(&self, model: &str, lot_size: Option<i64>) -> PyResult<(f64, f64)> {
        Ok(self.inner.aoql(parse::<Model>(model)?, lot(lot_size)?)?)
    }

    fn quality_at(&self, pa: f64, model: &str, lot_size: Option<i64>) -> PyResult<f64> {
        Ok(self
            .inner
            .quality_at(pa, parse::<Model>(model)?, lot(lot_size)?)?)
    }

    fn asn_curtailed(&self, p: f64, mode: &str) -> PyResult<f64> {
        Ok(self.inner.asn_curtailed(p, parse::<Curtailment>(mode)?)?)
    }

    fn decide(&self, counts_per_stage: Vec<i64>) -> PyResult<DecisionTuple> {
        let c = counts("nonconforming", &counts_per_stage)?;
        Ok(decision_tuple(self.inner.decide(&c)?))
    }

    /// Decisions for many lots from flat per-stage counts (lot `i` is
    /// `counts[offsets[i]..offsets[i + 1]]`), in parallel: columns outcome
    /// code (0 accept, 1 reject, 2 continue), stage, cumulative count, next
    /// sample size (-1 for none) and reinstate-normal flag.
    fn decide_lots<'py>(
        &self,
        py: Python<'py>,
        counts: PyReadonlyArray1<'py, u64>,
        offsets: PyReadonlyArray1<'py, i64>,
    ) -> PyResult<DecisionColumns<'py>> {
        let counts = counts.as_slice()?;
        let offsets = offsets
            .as_slice()?
            .iter()
            .map(|&o| usize::try_from(o).map_err(|_| Error::invalid("offsets", o, "offsets >= 0")))
            .collect::<Result<Vec<_>, _>>()?;
        let out = py.detach(|| self.inner.decide_lots(counts, &offsets))?;
        let code = |o: Outcome| match o {
            Outcome::Accept => 0u8,
            Outcome::Reject => 1,
            Outcome::Continue => 2,
        };
        Ok((
            out.iter()
                .map(|d| code(d.outcome))
                .collect::<Vec<_>>()
                .into_pyarray(py),
            out.iter()
                .map(|d| d.stage as i64)
                .collect::<Vec<_>>()
                .into_pyarray(py),
            out.iter()
                .map(|d| d.cumulative)
                .collect::<Vec<_>>()
                .into_pyarray(py),
            out.iter()
                .map(|d| d.next_sample_size.map_or(-1, |n| n as i64))
                .collect::<Vec<_>>()
                .into_pyarray(py),
            out.iter()
                .map(|d| d.reinstate_normal)
                .collect::<Vec<_>>()
                .into_pyarray(py),
        ))
    }

    fn __repr__(&self) -> String {
        format!("_AttributePlan({})", self.inner)
    }
}

/// Pa of every plan (rows) at every p (columns), in parallel.
#[pyfunction]
fn _prob_accept_grid<'py>(
    py: Python<'py>,
    plans: Vec<PyRef<'py, PyAttributePlan>>,
    p: PyReadonlyArray1<'py, f64>,
    model: &str,
    lot_size: Option<i64>,
) -> PyResult<Bound<'py, PyArray2<f64>>> {
    let model = parse::<Model>(model)?;
    let lot = lot(lot_size)?;
    let plans: Vec<AttributePlan> = plans.iter().map(|p| p.inner.clone()).collect();
    let p = p.as_slice()?;
    let out = py.detach(|| prob_accept_grid(&plans, p, model, lot))?;
    Ok(out.into_pyarray(py))
}

/// Items inspected and nonconforming per lot and stage of a frame's rows:
/// (first row of the lot, stage, inspected, nonconforming) per cell. The
/// nonconforming items of each row as uint8 (items one by one: no wide copy
/// of the column) or uint64.
#[pyfunction]
#[pyo3(signature = (keys, stage, items, nonconforming, stages))]
fn _lot_stage_counts<'py>(
    py: Python<'py>,
    keys: PyReadonlyArray1<'py, i64>,
    stage: PyReadonlyArray1<'py, i64>,
    items: Option<PyReadonlyArray1<'py, u64>>,
    nonconforming: RowCounts<'py>,
    stages: usize,
) -> PyResult<(I64Array<'py>, I64Array<'py>, U64Array<'py>, U64Array<'py>)> {
    let (keys, stage) = (keys.as_slice()?, stage.as_slice()?);
    let items = items.as_ref().map(|a| a.as_slice()).transpose()?;
    let c = match &nonconforming {
        RowCounts::Bytes(found) => {
            let found = found.as_slice()?;
            py.detach(|| count_rows(keys, stage, items, found, stages))
        }
        RowCounts::Words(found) => {
            let found = found.as_slice()?;
            py.detach(|| count_rows(keys, stage, items, found, stages))
        }
    }?;
    let ints = |v: Vec<usize>| v.into_iter().map(|x| x as i64).collect::<Vec<_>>();
    Ok((
        ints(c.first_rows).into_pyarray(py),
        ints(c.stage).into_pyarray(py),
        c.inspected.into_pyarray(py),
        c.nonconforming.into_pyarray(py),
    ))
}

/// A count a row, one byte or eight.
#[derive(FromPyObject)]
enum RowCounts<'py> {
    Bytes(PyReadonlyArray1<'py, u8>),
    Words(PyReadonlyArray1<'py, u64>),
}

#[pyfunction]
fn _design_plan(
    aql: f64,
    lq: f64,
    alpha: f64,
    beta: f64,
    model: &str,
    lot_size: Option<i64>,
) -> PyResult<(u64, u64)> {
    let pts = RiskPoints::new(aql, lq, alpha, beta)?;
    let plan = design_plan(&pts, parse::<Model>(model)?, lot(lot_size)?)?;
    Ok((plan.n()[0], plan.re()[0] - 1))
}

/// (n, c) per risk-point pair, -1 where no plan exists; invalid points raise.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn _design_plan_grid<'py>(
    py: Python<'py>,
    aql: PyReadonlyArray1<'py, f64>,
    lq: PyReadonlyArray1<'py, f64>,
    alpha: PyReadonlyArray1<'py, f64>,
    beta: PyReadonlyArray1<'py, f64>,
    model: &str,
    lot_size: Option<i64>,
) -> PyResult<(I64Array<'py>, I64Array<'py>)> {
    let model = parse::<Model>(model)?;
    let lot = lot(lot_size)?;
    let (aql, lq, alpha, beta) = (
        aql.as_slice()?,
        lq.as_slice()?,
        alpha.as_slice()?,
        beta.as_slice()?,
    );
    crate::error::check_same_len("aql", aql.len(), "lq", lq.len())?;
    crate::error::check_same_len("aql", aql.len(), "alpha", alpha.len())?;
    crate::error::check_same_len("aql", aql.len(), "beta", beta.len())?;
    let pts = (0..aql.len())
        .map(|i| {
            RiskPoints::new(aql[i], lq[i], alpha[i], beta[i])
                .map_err(|e| e.renamed(|name| format!("{name}[{i}]")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let out = py.detach(|| design_plan_grid(&pts, model, lot))?;
    let mut n = Vec::with_capacity(out.len());
    let mut c = Vec::with_capacity(out.len());
    for (i, r) in out.into_iter().enumerate() {
        match r {
            Ok(plan) => {
                n.push(plan.n()[0] as i64);
                c.push((plan.re()[0] - 1) as i64);
            }
            Err(Error::NoSolution(_)) => {
                n.push(-1);
                c.push(-1);
            }
            Err(e) => return Err(e.renamed(|name| format!("{name}[{i}]")).into()),
        }
    }
    Ok((PyArray1::from_vec(py, n), PyArray1::from_vec(py, c)))
}

#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn _design_double_plan(
    py: Python<'_>,
    aql: f64,
    lq: f64,
    alpha: f64,
    beta: f64,
    family: &str,
    model: &str,
    lot_size: Option<i64>,
) -> PyResult<PyAttributePlan> {
    let pts = RiskPoints::new(aql, lq, alpha, beta)?;
    let family = parse::<DoubleFamily>(family)?;
    let (model, lot) = (parse::<Model>(model)?, lot(lot_size)?);
    let inner = py.detach(|| design_double_plan(&pts, family, model, lot))?;
    Ok(PyAttributePlan { inner })
}

#[pyfunction]
fn _zero_acceptance_plan(lq: f64, beta: f64, model: &str, lot_size: Option<i64>) -> PyResult<u64> {
    let plan = zero_acceptance_plan(lq, beta, parse::<Model>(model)?, lot(lot_size)?)?;
    Ok(plan.n()[0])
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyAttributePlan>()?;
    m.add_function(wrap_pyfunction!(_prob_accept_grid, m)?)?;
    m.add_function(wrap_pyfunction!(_lot_stage_counts, m)?)?;
    m.add_function(wrap_pyfunction!(_design_plan, m)?)?;
    m.add_function(wrap_pyfunction!(_design_plan_grid, m)?)?;
    m.add_function(wrap_pyfunction!(_design_double_plan, m)?)?;
    m.add_function(wrap_pyfunction!(_zero_acceptance_plan, m)?)?;
    Ok(())
}
