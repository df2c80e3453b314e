//! Bindings of `crate::msa` (Python module `qualstat.msa`).
//!
//! The Python layer turns the part and operator labels into codes and builds
//! the frames; these functions return plain dicts of numbers.

use super::arrays::optional;
use super::parse;
use crate::msa::{self as core, AnovaRow, Constants, Design, FTest, GaugeMethod, GaugeOptions};
use numpy::PyReadonlyArray1;
use pyo3::prelude::*;
use pyo3::types::PyDict;

type Row = (String, f64, f64, Option<f64>, Option<f64>, Option<f64>);

fn rows(table: &[AnovaRow]) -> Vec<Row> {
    table
        .iter()
        .map(|r| (r.source.to_string(), r.df, r.ss, r.ms, r.f, r.p))
        .collect()
}

#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn _gauge_rr<'py>(
    py: Python<'py>,
    values: PyReadonlyArray1<'py, f64>,
    parts: PyReadonlyArray1<'py, u32>,
    operators: Option<PyReadonlyArray1<'py, u32>>,
    method: &str,
    design: &str,
    f_test: &str,
    alpha_remove: Option<f64>,
    study_var: f64,
    tolerance: Option<f64>,
    constants: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let options = GaugeOptions {
        method: parse::<GaugeMethod>(method)?,
        design: parse::<Design>(design)?,
        f_test: parse::<FTest>(f_test)?,
        alpha_remove,
        study_var,
        tolerance,
        constants: parse::<Constants>(constants)?,
    };
    let (y, p) = (values.as_slice()?, parts.as_slice()?);
    let o = optional(&operators)?;
    let g = py.detach(|| core::gauge_rr(y, p, o, &options))?;
    let d = PyDict::new(py);
    d.set_item("parts", g.parts)?;
    d.set_item("operators", g.operators)?;
    d.set_item("replicates", g.replicates)?;
    d.set_item("anova_full", rows(&g.anova_full))?;
    d.set_item("anova", rows(&g.anova))?;
    d.set_item("interaction_p", g.interaction_p)?;
    d.set_item("interaction_pooled", g.interaction_pooled)?;
    let comps: Vec<_> = g
        .components
        .iter()
        .map(|c| {
            (
                c.source.to_string(),
                c.variance,
                c.pct_contribution,
                c.sd,
                c.study_var,
                c.pct_study_var,
                c.pct_tolerance,
            )
        })
        .collect();
    d.set_item("components", comps)?;
    let clamped: Vec<String> = g.clamped.iter().map(|s| s.to_string()).collect();
    d.set_item("clamped", clamped)?;
    d.set_item("ndc", g.ndc)?;
    if let Some(a) = g.average_range {
        let ar = PyDict::new(py);
        ar.set_item("r_bar", a.r_bar)?;
        ar.set_item("x_diff", a.x_diff)?;
        ar.set_item("r_part", a.r_part)?;
        ar.set_item("k1", a.k1)?;
        ar.set_item("k2", a.k2)?;
        ar.set_item("k3", a.k3)?;
        d.set_item("average_range", ar)?;
    } else {
        d.set_item("average_range", py.None())?;
    }
    Ok(d)
}

#[pyfunction]
fn _type1<'py>(
    py: Python<'py>,
    values: PyReadonlyArray1<'py, f64>,
    reference: f64,
    tolerance: f64,
    k: f64,
    l: f64,
    confidence: f64,
) -> PyResult<Bound<'py, PyDict>> {
    let v = values.as_slice()?;
    let t = py.detach(|| core::type1(v, reference, tolerance, k, l, confidence))?;
    let d = PyDict::new(py);
    for (name, value) in [
        ("mean", t.mean),
        ("sd", t.sd),
        ("bias", t.bias),
        ("t", t.t),
        ("df", t.df),
        ("p_value", t.p_value),
        ("bias_lower", t.bias_lower),
        ("bias_upper", t.bias_upper),
        ("cg", t.cg),
        ("cgk", t.cgk),
        ("pct_var_repeatability", t.pct_var_repeatability),
        ("pct_var_repeatability_bias", t.pct_var_repeatability_bias),
    ] {
        d.set_item(name, value)?;
    }
    d.set_item("n", t.n)?;
    Ok(d)
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_gauge_rr, m)?)?;
    m.add_function(wrap_pyfunction!(_type1, m)?)?;
    Ok(())
}
