//! Bindings of `crate::capability`: one call for a study ([`_capability`]) and
//! one for grouped studies ([`_capability_by`]), both taking the study options
//! as one dict and running [`core::analyze`]. Results cross as a dict of plain
//! values (a study) or of numpy columns (grouped studies); the Python layer
//! builds the result object and the DataFrame.

use super::arrays::optional;
use crate::capability::{
    self as core, Bootstrap, BootstrapMethod, Bound as Side, Distribution, Fitted, Index,
    IntervalMethod, Lambda, LambdaRule, Layout, Model, NanPolicy, Options, Spec, Study,
    StudyOptions, SubgroupStats, Subgroups, Summary, WithinMethod,
};
use crate::error::{check_same_len, Error};
use crate::numerics::summary::Moments;
use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::PyDict;

/// The options of a study as the Python layer passes them (a dict).
#[derive(FromPyObject)]
#[pyo3(from_item_all)]
struct Args {
    within: String,
    confidence: f64,
    bound: String,
    nan_policy: String,
    distribution: String,
    boxcox_rule: Option<String>,
    boxcox_lambda: Option<f64>,
    method: String,
    bootstrap: String,
    resamples: u64,
    seed: u64,
}

impl Args {
    /// The core options; the names are parsed by the core enums.
    fn options(&self) -> Result<StudyOptions, Error> {
        let lambda = match (&self.boxcox_rule, self.boxcox_lambda) {
            (Some(rule), _) => Some(Lambda::from(rule.parse::<LambdaRule>()?)),
            (None, Some(l)) => Some(Lambda::Fixed(l)),
            (None, None) => None,
        };
        let model = match (self.distribution.parse::<Distribution>()?, lambda) {
            (Distribution::Normal, None) => Model::Normal,
            (Distribution::Normal, Some(l)) => Model::BoxCox(l),
            (d, None) => Model::Percentile(d),
            (d, Some(_)) => {
                return Err(Error::invalid(
                    "boxcox",
                    self.boxcox_rule.clone().unwrap_or_else(|| {
                        self.boxcox_lambda.map_or(String::new(), |l| l.to_string())
                    }),
                    format!(
                        "no Box-Cox transformation with distribution=\"{d}\" (it applies to the normal study)"
                    ),
                ))
            }
        };
        Ok(StudyOptions {
            model,
            method: self.method.parse::<IntervalMethod>()?,
            bootstrap: Bootstrap {
                resamples: usize::try_from(self.resamples).unwrap_or(usize::MAX),
                seed: self.seed,
                method: self.bootstrap.parse::<BootstrapMethod>()?,
            },
            options: Options {
                within: self.within.parse::<WithinMethod>()?,
                confidence: self.confidence,
                bound: self.bound.parse::<Side>()?,
                nan_policy: self.nan_policy.parse::<NanPolicy>()?,
            },
        })
    }
}

/// The core error with the keyword the Python user types to avoid it.
fn with_hint(e: Error) -> Error {
    match e {
        Error::InvalidArgument {
            name,
            value,
            expected,
        } if value == "NaN" => Error::InvalidArgument {
            name,
            value,
            expected: format!("{expected}; pass nan_policy=\"omit\" to drop NaN values"),
        },
        other => other,
    }
}

fn usize_of(name: &str, v: i64) -> Result<usize, Error> {
    usize::try_from(v).map_err(|_| Error::invalid(name, v, "a non-negative integer"))
}

/// Sizes or offsets from numpy's int64, each non-negative.
fn offsets(name: &str, values: &[i64]) -> Result<Vec<usize>, Error> {
    values.iter().map(|&v| usize_of(name, v)).collect()
}

/// The subgroup layout of a single study: a common size, one size per
/// subgroup, or individual observations.
fn layout(subgroup_size: Option<i64>, sizes: Option<&[i64]>) -> Result<Subgroups, Error> {
    Ok(match (subgroup_size, sizes) {
        (Some(k), _) => Subgroups::Size(usize_of("subgroup_size", k)?),
        (None, Some(s)) => Subgroups::Sizes(offsets("subgroups", s)?),
        (None, None) => Subgroups::Individuals,
    })
}

fn model_name(f: &Fitted) -> &'static str {
    match f {
        Fitted::Normal => "normal",
        Fitted::BoxCox { .. } => "box-cox",
        Fitted::Percentile { .. } => "percentile",
    }
}

fn study_dict<'py>(py: Python<'py>, r: Study) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("n", r.n)?;
    d.set_item("subgroups", r.subgroups)?;
    d.set_item("mean", r.mean)?;
    d.set_item("sigma_within", r.sigma_within)?;
    d.set_item("sigma_overall", r.sigma_overall)?;
    d.set_item("within", r.within.map(WithinMethod::name))?;
    d.set_item("df_within", r.df_within)?;
    d.set_item("lsl", r.spec.lsl)?;
    d.set_item("usl", r.spec.usl)?;
    d.set_item("target", r.spec.target)?;
    let intervals = PyDict::new(py);
    for &i in Index::ALL {
        d.set_item(i.name(), r.index(i))?;
        if let Some(iv) = r.interval(i) {
            intervals.set_item(i.name(), (iv.lower, iv.upper))?;
        }
    }
    d.set_item("intervals", intervals)?;
    d.set_item("z_bench_within", r.z_bench_within)?;
    d.set_item("z_bench_overall", r.z_bench_overall)?;
    d.set_item("ppm_observed", r.ppm_observed.total)?;
    d.set_item("ppm_within", r.ppm_within.map(|p| p.total))?;
    d.set_item("ppm_overall", r.ppm_overall.map(|p| p.total))?;
    d.set_item("confidence", r.confidence)?;
    d.set_item("bound", r.bound.name())?;
    d.set_item("method", r.method.name())?;
    d.set_item("bootstrap", r.bootstrap.map(|b| b.method.name()))?;
    d.set_item("resamples", r.bootstrap.map(|b| b.resamples))?;
    d.set_item("seed", r.bootstrap.map(|b| b.seed))?;
    d.set_item("ad_statistic", r.normality.statistic)?;
    d.set_item("ad_p_value", r.normality.p_value)?;
    d.set_item("model", model_name(&r.fitted))?;
    let (mut distribution, mut params, mut percentiles, mut lambda) = ("normal", None, None, None);
    match &r.fitted {
        Fitted::Normal => {}
        Fitted::BoxCox { lambda: l, .. } => lambda = Some(*l),
        Fitted::Percentile {
            distribution: dist,
            fit,
            percentiles: p,
            ..
        } => {
            distribution = dist.name();
            params = fit.map(|f| (f.params[0], f.params[1]));
            percentiles = Some((p[0], p[1], p[2]));
        }
    }
    d.set_item("distribution", distribution)?;
    d.set_item("params", params)?;
    d.set_item("percentiles", percentiles)?;
    d.set_item("lambda_", lambda)?;
    d.set_item("data", PyArray1::from_vec(py, r.values))?;
    Ok(d)
}

/// One study with every option (`options`: the dict of [`Args`]).
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
    options: Args,
) -> PyResult<Bound<'py, PyDict>> {
    let o = options.options()?;
    let sizes = optional(&subgroup_sizes)?;
    let groups = layout(subgroup_size, sizes)?;
    let spec = Spec { lsl, usl, target };
    let x = data.as_slice()?;
    let r = py
        .detach(|| core::analyze(x, &groups, &spec, &o))
        .map_err(with_hint)?;
    study_dict(py, r)
}

/// Column names of the grouped result, in order (numeric columns).
const COLUMNS: [&str; 31] = [
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
    "ad_statistic",
    "ad_p_value",
    "lambda",
];

fn row(r: &Study) -> [f64; 31] {
    let o = |v: Option<f64>| v.unwrap_or(f64::NAN);
    let lo = |i: Index| r.interval(i).map_or(f64::NAN, |i| i.lower);
    let hi = |i: Index| r.interval(i).map_or(f64::NAN, |i| i.upper);
    let lambda = match r.fitted {
        Fitted::BoxCox { lambda, .. } => lambda,
        _ => f64::NAN,
    };
    [
        r.n as f64,
        r.mean,
        o(r.sigma_within),
        r.sigma_overall,
        o(r.index(Index::Cp)),
        o(r.index(Index::Cpl)),
        o(r.index(Index::Cpu)),
        o(r.index(Index::Cpk)),
        o(r.index(Index::Pp)),
        o(r.index(Index::Ppl)),
        o(r.index(Index::Ppu)),
        o(r.index(Index::Ppk)),
        o(r.index(Index::Cpm)),
        lo(Index::Cp),
        hi(Index::Cp),
        lo(Index::Cpk),
        hi(Index::Cpk),
        lo(Index::Pp),
        hi(Index::Pp),
        lo(Index::Ppk),
        hi(Index::Ppk),
        lo(Index::Cpm),
        hi(Index::Cpm),
        o(r.z_bench_within),
        o(r.z_bench_overall),
        r.ppm_observed.total,
        o(r.ppm_within.map(|p| p.total)),
        o(r.ppm_overall.map(|p| p.total)),
        r.normality.statistic,
        r.normality.p_value,
        lambda,
    ]
}

/// The grouped results as columns: numeric columns (NaN where an index is
/// undefined or the group failed), the distribution used per group, and the
/// per-group error messages (None for groups that succeeded).
type Columns = (
    Vec<Vec<f64>>,
    Vec<Option<&'static str>>,
    Vec<Option<String>>,
);

fn columns(results: &[Result<Study, Error>]) -> Columns {
    let mut columns: Vec<Vec<f64>> = vec![Vec::with_capacity(results.len()); COLUMNS.len()];
    let mut distributions = Vec::with_capacity(results.len());
    let mut errors = Vec::with_capacity(results.len());
    for r in results {
        let (vals, dist, err) = match r {
            Ok(s) => {
                let dist = match &s.fitted {
                    Fitted::Percentile { distribution, .. } => distribution.name(),
                    _ => "normal",
                };
                (row(s), Some(dist), None)
            }
            Err(e) => ([f64::NAN; 31], None, Some(with_hint(e.clone()).to_string())),
        };
        for (col, v) in columns.iter_mut().zip(vals) {
            col.push(v);
        }
        distributions.push(dist);
        errors.push(err);
    }
    (columns, distributions, errors)
}

/// The grouped result as Python receives it: numeric columns, the
/// distribution column and the per-group errors.
type Grouped<'py> = (
    Bound<'py, PyDict>,
    Vec<Option<&'static str>>,
    Vec<Option<String>>,
);

/// One [`Spec`] per group from the columns of limits and targets (NaN = absent).
fn specs(l: &[f64], u: &[f64], t: &[f64]) -> Vec<Spec> {
    let opt = |v: f64| (!v.is_nan()).then_some(v);
    l.iter()
        .zip(u)
        .zip(t)
        .map(|((&l, &u), &t)| Spec {
            lsl: opt(l),
            usl: opt(u),
            target: opt(t),
        })
        .collect()
}

/// The numeric columns of a grouped result as a dict of numpy arrays.
fn numeric_dict<'py>(py: Python<'py>, numeric: Vec<Vec<f64>>) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    for (name, col) in COLUMNS.iter().zip(numeric) {
        d.set_item(*name, PyArray1::from_vec(py, col))?;
    }
    Ok(d)
}

/// Grouped studies. `lsl`, `usl`, `target` hold one value per group (NaN =
/// absent; the Python layer rejects NaN given as a value). Returns the
/// numeric columns, the distribution column and the per-group errors.
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
    options: Args,
) -> PyResult<Grouped<'py>> {
    let o = options.options()?;
    let group_offsets = offsets("group_offsets", group_offsets.as_slice()?)?;
    let sub = optional(&subgroup_offsets)?
        .map(|s| offsets("subgroup_offsets", s))
        .transpose()?;
    let specs = specs(lsl.as_slice()?, usl.as_slice()?, target.as_slice()?);
    let lay = match (subgroup_size, &sub) {
        (Some(k), _) => Layout::Size(usize_of("subgroup_size", k)?),
        (None, Some(s)) => Layout::Offsets(s),
        (None, None) => Layout::Individuals,
    };
    let x = values.as_slice()?;
    let (numeric, distributions, errors) = py.detach(|| -> Result<Columns, Error> {
        let results = core::capability_by(x, &group_offsets, lay, &specs, &o)?;
        Ok(columns(&results))
    })?;
    Ok((numeric_dict(py, numeric)?, distributions, errors))
}

/// The columns of the groups' summaries (one entry per group; `refused_at`
/// is -1 when no value was refused) and of their subgroups' statistics.
#[derive(FromPyObject)]
#[pyo3(from_item_all)]
struct SummaryColumns<'py> {
    rows: PyReadonlyArray1<'py, u64>,
    n: PyReadonlyArray1<'py, u64>,
    mean: PyReadonlyArray1<'py, f64>,
    m2: PyReadonlyArray1<'py, f64>,
    min: PyReadonlyArray1<'py, f64>,
    max: PyReadonlyArray1<'py, f64>,
    below: PyReadonlyArray1<'py, u64>,
    above: PyReadonlyArray1<'py, u64>,
    refused_at: PyReadonlyArray1<'py, i64>,
    refused_value: PyReadonlyArray1<'py, f64>,
    mr_sum: PyReadonlyArray1<'py, f64>,
    mr_count: PyReadonlyArray1<'py, u64>,
    sub_n: PyReadonlyArray1<'py, u64>,
    sub_m2: PyReadonlyArray1<'py, f64>,
    sub_range: PyReadonlyArray1<'py, f64>,
}

impl SummaryColumns<'_> {
    fn summaries(&self) -> PyResult<Vec<Summary>> {
        let n = self.n.as_slice()?;
        let g = n.len();
        let cols: [(&str, usize); 11] = [
            ("rows", self.rows.as_slice()?.len()),
            ("mean", self.mean.as_slice()?.len()),
            ("m2", self.m2.as_slice()?.len()),
            ("min", self.min.as_slice()?.len()),
            ("max", self.max.as_slice()?.len()),
            ("below", self.below.as_slice()?.len()),
            ("above", self.above.as_slice()?.len()),
            ("refused_at", self.refused_at.as_slice()?.len()),
            ("refused_value", self.refused_value.as_slice()?.len()),
            ("mr_sum", self.mr_sum.as_slice()?.len()),
            ("mr_count", self.mr_count.as_slice()?.len()),
        ];
        for (name, len) in cols {
            check_same_len(name, len, "n", g)?;
        }
        let (rows, mean, m2) = (
            self.rows.as_slice()?,
            self.mean.as_slice()?,
            self.m2.as_slice()?,
        );
        let (min, max) = (self.min.as_slice()?, self.max.as_slice()?);
        let (below, above) = (self.below.as_slice()?, self.above.as_slice()?);
        let (at, value) = (self.refused_at.as_slice()?, self.refused_value.as_slice()?);
        let (mr_sum, mr_count) = (self.mr_sum.as_slice()?, self.mr_count.as_slice()?);
        Ok((0..g)
            .map(|i| Summary {
                rows: rows[i] as usize,
                moments: Moments {
                    n: n[i],
                    mean: mean[i],
                    m2: m2[i],
                },
                min: min[i],
                max: max[i],
                below: below[i],
                above: above[i],
                refused: usize::try_from(at[i]).ok().map(|p| (p, value[i])),
                moving_range_sum: mr_sum[i],
                moving_ranges: mr_count[i] as usize,
            })
            .collect())
    }

    fn subgroups(&self) -> PyResult<Vec<SubgroupStats>> {
        let (n, m2, range) = (
            self.sub_n.as_slice()?,
            self.sub_m2.as_slice()?,
            self.sub_range.as_slice()?,
        );
        check_same_len("sub_m2", m2.len(), "sub_n", n.len())?;
        check_same_len("sub_range", range.len(), "sub_n", n.len())?;
        Ok(n.iter()
            .zip(m2)
            .zip(range)
            .map(|((&n, &m2), &range)| SubgroupStats {
                n: n as usize,
                m2,
                range,
            })
            .collect())
    }
}

/// Grouped normal studies with classic intervals from the groups' summaries
/// (see [`core::capability_from_summaries`]); the result as [`_capability_by`]'s.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn _capability_summaries<'py>(
    py: Python<'py>,
    summaries: SummaryColumns<'py>,
    subgroup_offsets: Option<PyReadonlyArray1<'py, i64>>,
    subgroup_size: Option<i64>,
    lsl: PyReadonlyArray1<'py, f64>,
    usl: PyReadonlyArray1<'py, f64>,
    target: PyReadonlyArray1<'py, f64>,
    options: Args,
) -> PyResult<Grouped<'py>> {
    let o = options.options()?;
    let groups = summaries.summaries()?;
    let stats = summaries.subgroups()?;
    let offsets = optional(&subgroup_offsets)?
        .map(|s| offsets("subgroup_offsets", s))
        .transpose()?;
    let size = subgroup_size
        .map(|k| usize_of("subgroup_size", k))
        .transpose()?;
    let specs = specs(lsl.as_slice()?, usl.as_slice()?, target.as_slice()?);
    let (numeric, distributions, errors) = py.detach(|| -> Result<Columns, Error> {
        let results =
            core::capability_from_summaries(&groups, offsets.as_deref(), &stats, size, &specs, &o)?;
        Ok(columns(&results))
    })?;
    Ok((numeric_dict(py, numeric)?, distributions, errors))
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_capability, m)?)?;
    m.add_function(wrap_pyfunction!(_capability_by, m)?)?;
    m.add_function(wrap_pyfunction!(_capability_summaries, m)?)?;
    Ok(())
}
