//! Bindings of `crate::capability`. Results cross as dicts of plain values
//! (single studies) or of numpy columns (grouped studies); the Python layer
//! builds the result objects and DataFrames.

use super::parse;
use crate::capability::{
    self as core, Bootstrap, BootstrapMethod, Bound as Side, Capability, Distribution, Interval,
    Lambda, Layout, NanPolicy, Options, Ppm, Spec, Subgroups, WithinMethod,
};
use crate::error::Error;
use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::PyDict;

fn options(within: &str, confidence: f64, bound: &str, nan_policy: &str) -> PyResult<Options> {
    Ok(Options {
        within: parse::<WithinMethod>(within)?,
        confidence,
        bound: parse::<Side>(bound)?,
        nan_policy: parse::<NanPolicy>(nan_policy)?,
    })
}

fn usize_of(name: &str, v: i64) -> Result<usize, Error> {
    usize::try_from(v).map_err(|_| Error::invalid(name, v, "a non-negative integer"))
}

/// The subgroup layout of a single study: a common size, one size per
/// subgroup, or individual observations.
fn layout(
    subgroup_size: Option<i64>,
    subgroup_sizes: Option<&PyReadonlyArray1<'_, i64>>,
) -> PyResult<Subgroups> {
    let sizes = subgroup_sizes.map(|s| s.as_slice()).transpose()?;
    Ok(match (subgroup_size, sizes) {
        (Some(k), _) => Subgroups::Size(usize_of("subgroup_size", k)?),
        (None, Some(s)) => Subgroups::Sizes(
            s.iter()
                .map(|&k| usize_of("subgroups", k))
                .collect::<Result<_, _>>()?,
        ),
        (None, None) => Subgroups::Individuals,
    })
}

fn set_ppm(d: &Bound<'_, PyDict>, prefix: &str, p: &Ppm) -> PyResult<()> {
    d.set_item(format!("{prefix}_below"), p.below)?;
    d.set_item(format!("{prefix}_above"), p.above)?;
    d.set_item(prefix, p.total)?;
    Ok(())
}

fn set_interval(d: &Bound<'_, PyDict>, name: &str, i: Option<Interval>) -> PyResult<()> {
    d.set_item(format!("{name}_interval"), i.map(|i| (i.lower, i.upper)))
}

fn study_dict<'py>(py: Python<'py>, r: &Capability) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("n", r.n)?;
    d.set_item("subgroups", r.subgroups)?;
    d.set_item("mean", r.mean)?;
    d.set_item("sigma_within", r.sigma_within)?;
    d.set_item("sigma_overall", r.sigma_overall)?;
    d.set_item("within", r.within.name())?;
    d.set_item("df_within", r.df_within)?;
    d.set_item("lsl", r.spec.lsl)?;
    d.set_item("usl", r.spec.usl)?;
    d.set_item("target", r.spec.target)?;
    for (k, v) in [
        ("cp", r.cp),
        ("cpl", r.cpl),
        ("cpu", r.cpu),
        ("cpk", r.cpk),
        ("pp", r.pp),
        ("ppl", r.ppl),
        ("ppu", r.ppu),
        ("ppk", r.ppk),
        ("cpm", r.cpm),
    ] {
        d.set_item(k, v)?;
    }
    d.set_item("z_bench_within", r.z_bench_within)?;
    d.set_item("z_bench_overall", r.z_bench_overall)?;
    set_ppm(&d, "ppm_observed", &r.ppm_observed)?;
    set_ppm(&d, "ppm_within", &r.ppm_within)?;
    set_ppm(&d, "ppm_overall", &r.ppm_overall)?;
    d.set_item("confidence", r.confidence)?;
    d.set_item(
        "bound",
        if r.bound == Side::Lower {
            "lower"
        } else {
            "two-sided"
        },
    )?;
    set_interval(&d, "cp", r.cp_interval)?;
    set_interval(&d, "cpk", r.cpk_interval)?;
    set_interval(&d, "pp", r.pp_interval)?;
    set_interval(&d, "ppk", r.ppk_interval)?;
    set_interval(&d, "cpm", r.cpm_interval)?;
    d.set_item("ad_statistic", r.normality.statistic)?;
    d.set_item("ad_p_value", r.normality.p_value)?;
    Ok(d)
}

#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn _capability<'py>(
    py: Python<'py>,
    data: PyReadonlyArray1<'py, f64>,
    subgroup_size: Option<i64>,
    subgroup_sizes: Option<PyReadonlyArray1<'py, i64>>,
    lsl: Option<f64>,
    usl: Option<f64>,
    target: Option<f64>,
    within: &str,
    confidence: f64,
    bound: &str,
    nan_policy: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let o = options(within, confidence, bound, nan_policy)?;
    let groups = layout(subgroup_size, subgroup_sizes.as_ref())?;
    let spec = Spec { lsl, usl, target };
    let x = data.as_slice()?;
    let r = py.detach(|| core::capability(x, &groups, &spec, &o))?;
    study_dict(py, &r)
}

#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn _boxcox_capability<'py>(
    py: Python<'py>,
    data: PyReadonlyArray1<'py, f64>,
    subgroup_size: Option<i64>,
    subgroup_sizes: Option<PyReadonlyArray1<'py, i64>>,
    lsl: Option<f64>,
    usl: Option<f64>,
    target: Option<f64>,
    within: &str,
    confidence: f64,
    bound: &str,
    nan_policy: &str,
    lambda_mode: &str,
    lambda_value: Option<f64>,
) -> PyResult<Bound<'py, PyDict>> {
    let o = options(within, confidence, bound, nan_policy)?;
    let groups = layout(subgroup_size, subgroup_sizes.as_ref())?;
    let lambda = match (lambda_mode, lambda_value) {
        ("fixed", Some(l)) => Lambda::Fixed(l),
        ("ml", _) => Lambda::MaximumLikelihood,
        ("rounded", _) => Lambda::Rounded,
        (m, _) => return Err(Error::unknown("boxcox", m, &["ml", "rounded", "a number"]).into()),
    };
    let spec = Spec { lsl, usl, target };
    let x = data.as_slice()?;
    let r = py.detach(|| core::boxcox_capability(x, &groups, &spec, &o, lambda))?;
    let d = study_dict(py, &r.study)?;
    d.set_item("lambda", r.lambda)?;
    d.set_item("lambda_ml", r.lambda_ml)?;
    Ok(d)
}

#[pyfunction]
fn _percentile_capability<'py>(
    py: Python<'py>,
    data: PyReadonlyArray1<'py, f64>,
    lsl: Option<f64>,
    usl: Option<f64>,
    target: Option<f64>,
    distribution: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let dist = parse::<Distribution>(distribution)?;
    let spec = Spec { lsl, usl, target };
    let x = data.as_slice()?;
    let r = py.detach(|| core::percentile_capability(x, &spec, dist))?;
    let d = PyDict::new(py);
    d.set_item("n", r.n)?;
    d.set_item("distribution", r.distribution.name())?;
    d.set_item("params", r.fit.map(|f| (f.params[0], f.params[1])))?;
    d.set_item("fit_ad_statistic", r.fit.map(|f| f.ad_statistic))?;
    let cands: Vec<(&str, f64)> = r
        .candidates
        .iter()
        .map(|f| (f.distribution.name(), f.ad_statistic))
        .collect();
    d.set_item("candidates", cands)?;
    d.set_item("p_low", r.p_low)?;
    d.set_item("median", r.median)?;
    d.set_item("p_high", r.p_high)?;
    for (k, v) in [("pp", r.pp), ("ppl", r.ppl), ("ppu", r.ppu), ("ppk", r.ppk)] {
        d.set_item(k, v)?;
    }
    match r.ppm_expected {
        Some(p) => set_ppm(&d, "ppm_expected", &p)?,
        None => d.set_item("ppm_expected", None::<f64>)?,
    }
    d.set_item("ad_statistic", r.normality.0)?;
    d.set_item("ad_p_value", r.normality.1)?;
    d.set_item("lsl", lsl)?;
    d.set_item("usl", usl)?;
    d.set_item("target", target)?;
    Ok(d)
}

#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn _bootstrap_interval<'py>(
    py: Python<'py>,
    data: PyReadonlyArray1<'py, f64>,
    subgroup_size: Option<i64>,
    subgroup_sizes: Option<PyReadonlyArray1<'py, i64>>,
    lsl: Option<f64>,
    usl: Option<f64>,
    target: Option<f64>,
    within: &str,
    confidence: f64,
    bound: &str,
    nan_policy: &str,
    index: &str,
    resamples: i64,
    seed: u64,
    method: &str,
) -> PyResult<(f64, f64, f64, usize)> {
    let o = options(within, confidence, bound, nan_policy)?;
    let groups = layout(subgroup_size, subgroup_sizes.as_ref())?;
    let boot = Bootstrap {
        resamples: usize_of("resamples", resamples)?,
        seed,
        method: parse::<BootstrapMethod>(method)?,
    };
    let spec = Spec { lsl, usl, target };
    let x = data.as_slice()?;
    let r = py.detach(|| core::bootstrap_interval(x, &groups, &spec, &o, index, &boot))?;
    Ok((
        r.estimate,
        r.interval.lower,
        r.interval.upper,
        r.resamples_used,
    ))
}

/// Column names of the grouped result, in order (numeric columns).
const COLUMNS: [&str; 28] = [
    "n",
    "mean",
    "sigma_within",
    "sigma_overall",
    "cp",
    "cpl",
    "cpu",
    "cpk",
    "pp",
    "ppl",
    "ppu",
    "ppk",
    "cpm",
    "cp_lower",
    "cp_upper",
    "cpk_lower",
    "cpk_upper",
    "pp_lower",
    "pp_upper",
    "ppk_lower",
    "ppk_upper",
    "cpm_lower",
    "cpm_upper",
    "z_bench_within",
    "z_bench_overall",
    "ppm_observed",
    "ppm_within",
    "ppm_overall",
];

fn row(r: &Capability) -> [f64; 28] {
    let o = |v: Option<f64>| v.unwrap_or(f64::NAN);
    let lo = |i: Option<Interval>| i.map_or(f64::NAN, |i| i.lower);
    let hi = |i: Option<Interval>| i.map_or(f64::NAN, |i| i.upper);
    [
        r.n as f64,
        r.mean,
        r.sigma_within,
        r.sigma_overall,
        o(r.cp),
        o(r.cpl),
        o(r.cpu),
        o(r.cpk),
        o(r.pp),
        o(r.ppl),
        o(r.ppu),
        o(r.ppk),
        o(r.cpm),
        lo(r.cp_interval),
        hi(r.cp_interval),
        lo(r.cpk_interval),
        hi(r.cpk_interval),
        lo(r.pp_interval),
        hi(r.pp_interval),
        lo(r.ppk_interval),
        hi(r.ppk_interval),
        lo(r.cpm_interval),
        hi(r.cpm_interval),
        r.z_bench_within,
        r.z_bench_overall,
        r.ppm_observed.total,
        r.ppm_within.total,
        r.ppm_overall.total,
    ]
}

/// Grouped studies. `lsl`, `usl`, `target` hold one value per group (NaN =
/// absent). Returns numeric columns (NaN where an index is undefined or the
/// group failed), the Anderson–Darling columns and the per-group error
/// messages (None for groups that succeeded).
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn _capability_by<'py>(
    py: Python<'py>,
    values: PyReadonlyArray1<'py, f64>,
    group_offsets: PyReadonlyArray1<'py, i64>,
    subgroup_size: Option<i64>,
    subgroup_offsets: Option<PyReadonlyArray1<'py, i64>>,
    lsl: PyReadonlyArray1<'py, f64>,
    usl: PyReadonlyArray1<'py, f64>,
    target: PyReadonlyArray1<'py, f64>,
    within: &str,
    confidence: f64,
    bound: &str,
    nan_policy: &str,
) -> PyResult<(Bound<'py, PyDict>, Vec<Option<String>>)> {
    let o = options(within, confidence, bound, nan_policy)?;
    let to_usize = |name: &str, s: &[i64]| -> Result<Vec<usize>, Error> {
        s.iter().map(|&v| usize_of(name, v)).collect()
    };
    let offsets = to_usize("group_offsets", group_offsets.as_slice()?)?;
    let sub = match &subgroup_offsets {
        Some(s) => Some(to_usize("subgroup_offsets", s.as_slice()?)?),
        None => None,
    };
    let opt = |v: f64| (!v.is_nan()).then_some(v);
    let (l, u, t) = (lsl.as_slice()?, usl.as_slice()?, target.as_slice()?);
    let specs: Vec<Spec> = l
        .iter()
        .zip(u)
        .zip(t)
        .map(|((&l, &u), &t)| Spec {
            lsl: opt(l),
            usl: opt(u),
            target: opt(t),
        })
        .collect();
    let lay = match (subgroup_size, &sub) {
        (Some(k), _) => Layout::Size(usize_of("subgroup_size", k)?),
        (None, Some(s)) => Layout::Offsets(s),
        (None, None) => Layout::Individuals,
    };
    let x = values.as_slice()?;
    let (columns, ad, errors) = py.detach(|| -> Result<_, Error> {
        let results = core::capability_by(x, &offsets, lay, &specs, &o)?;
        let mut columns: Vec<Vec<f64>> = vec![Vec::with_capacity(results.len()); COLUMNS.len()];
        let mut ad = [
            Vec::with_capacity(results.len()),
            Vec::with_capacity(results.len()),
        ];
        let mut errors = Vec::with_capacity(results.len());
        for r in &results {
            let (vals, stat, p, err) = match r {
                Ok(c) => (row(c), c.normality.statistic, c.normality.p_value, None),
                Err(e) => ([f64::NAN; 28], f64::NAN, f64::NAN, Some(e.to_string())),
            };
            for (col, v) in columns.iter_mut().zip(vals) {
                col.push(v);
            }
            ad[0].push(stat);
            ad[1].push(p);
            errors.push(err);
        }
        Ok((columns, ad, errors))
    })?;
    let d = PyDict::new(py);
    for (name, col) in COLUMNS.iter().zip(columns) {
        d.set_item(*name, PyArray1::from_vec(py, col))?;
    }
    let [stat, p] = ad;
    d.set_item("ad_statistic", PyArray1::from_vec(py, stat))?;
    d.set_item("ad_p_value", PyArray1::from_vec(py, p))?;
    Ok((d, errors))
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_capability, m)?)?;
    m.add_function(wrap_pyfunction!(_boxcox_capability, m)?)?;
    m.add_function(wrap_pyfunction!(_percentile_capability, m)?)?;
    m.add_function(wrap_pyfunction!(_bootstrap_interval, m)?)?;
    m.add_function(wrap_pyfunction!(_capability_by, m)?)?;
    Ok(())
}
