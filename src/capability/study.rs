//! A normal capability study: validation, σ estimates, indices, expected
//! and observed PPM, Z.bench, confidence intervals and a normality test.
//!
//! Definitions follow Minitab's "Normal Capability Analysis" (Methods and
//! formulas): Cp = (USL − LSL)/(6σw), Cpl = (x̄ − LSL)/(3σw),
//! Cpu = (USL − x̄)/(3σw), Cpk = min(Cpl, Cpu) over the limits given; Pp, Ppl,
//! Ppu, Ppk the same with the overall sample SD s;
//! Cpm = min(T − LSL, USL − T)/(3τ) with τ = √(Σ(xᵢ − T)²/(N − 1)) (one-sided
//! specifications use the side given); expected PPM below LSL 1e6·Φ((LSL − x̄)/σ),
//! above USL 1e6·(1 − Φ((USL − x̄)/σ)); Z.bench = Φ⁻¹(1 − P(out of spec)).

use super::intervals::{bissell_interval, boyles_df, chi2_interval};
use super::normality::{anderson_darling, AndersonDarling};
use super::sigma::{
    from_individuals, from_moving_ranges, from_subgroup_stats, from_subgroups, SubgroupStats,
    WithinMethod, WithinSigma,
};
use crate::error::{check_confidence, Error, Result};
use crate::numerics::normal;
use crate::numerics::summary::Moments;
use crate::options::named_options;
use crate::proportion::{Bound, Interval};

/// How the measurements are arranged in rational subgroups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subgroups {
    /// Individual values in time order (subgroup size 1).
    Individuals,
    /// Consecutive subgroups of this size; it must divide the number of values.
    Size(usize),
    /// Consecutive subgroups of these sizes (summing to the number of values).
    Sizes(Vec<usize>),
}

named_options! {
    /// What to do with NaN measurements.
    pub enum NanPolicy for "nan_policy" {
        /// NaN is an error.
        Raise = "raise",
        /// NaN values are dropped (from their subgroup; moving ranges are taken
        /// over the remaining values in order).
        Omit = "omit",
    }
}

/// Specification limits and target; at least one limit is required.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Spec {
    /// Lower specification limit.
    pub lsl: Option<f64>,
    /// Upper specification limit.
    pub usl: Option<f64>,
    /// Target (needed for Cpm).
    pub target: Option<f64>,
}

impl Spec {
    /// The numbers of values below LSL and above USL (0 for a limit not given).
    pub(crate) fn outside(&self, values: &[f64]) -> (u64, u64) {
        let count = |limit: Option<f64>, out: fn(f64, f64) -> bool| {
            limit.map_or(0, |l| values.iter().filter(|&&x| out(x, l)).count() as u64)
        };
        (count(self.lsl, |x, l| x < l), count(self.usl, |x, u| x > u))
    }

    /// Checks that the limits are finite, LSL < USL, at least one limit is
    /// given and the target lies within the limits.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] naming the offending argument.
    pub fn validate(&self) -> Result<()> {
        for (name, v) in [
            ("lsl", self.lsl),
            ("usl", self.usl),
            ("target", self.target),
        ] {
            if let Some(x) = v {
                if !x.is_finite() {
                    return Err(Error::invalid(name, x, "a finite number"));
                }
            }
        }
        if self.lsl.is_none() && self.usl.is_none() {
            return Err(Error::invalid(
                "lsl, usl",
                "neither given",
                "at least one specification limit",
            ));
        }
        if let (Some(l), Some(u)) = (self.lsl, self.usl) {
            if l >= u {
                return Err(Error::invalid(
                    "lsl",
                    l,
                    format!("a number below the upper specification limit usl = {u}"),
                ));
            }
        }
        if let Some(t) = self.target {
            let above_lsl = self.lsl.is_none_or(|l| t >= l);
            let below_usl = self.usl.is_none_or(|u| t <= u);
            if !(above_lsl && below_usl) {
                let range = format!(
                    "a number within the specification limits [{}, {}]",
                    self.lsl.map_or("-inf".into(), |l| l.to_string()),
                    self.usl.map_or("inf".into(), |u| u.to_string())
                );
                return Err(Error::invalid("target", t, range));
            }
        }
        Ok(())
    }
}

/// Options of a capability study.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// Within-σ estimator.
    pub within: WithinMethod,
    /// Confidence level of the intervals, in (0, 1).
    pub confidence: f64,
    /// Two-sided intervals, or one-sided lower or upper confidence bounds.
    pub bound: Bound,
    /// Treatment of NaN measurements.
    pub nan_policy: NanPolicy,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            within: WithinMethod::Auto,
            confidence: 0.95,
            bound: Bound::TwoSided,
            nan_policy: NanPolicy::Raise,
        }
    }
}

/// Parts per million out of specification, by side.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Ppm {
    /// Below LSL (None without LSL).
    pub below: Option<f64>,
    /// Above USL (None without USL).
    pub above: Option<f64>,
    /// Total.
    pub total: f64,
}

/// The result of a normal capability study.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Capability {
    /// Number of measurements used.
    pub n: usize,
    /// Number of subgroups (n for individuals).
    pub subgroups: usize,
    /// Sample mean.
    pub mean: f64,
    /// Within-subgroup σ.
    pub sigma_within: f64,
    /// Overall σ: the sample standard deviation (divisor N − 1).
    pub sigma_overall: f64,
    /// The within-σ method used (Auto resolved).
    pub within: WithinMethod,
    /// Degrees of freedom of σ within (for the Cp interval).
    pub df_within: f64,
    /// The specification.
    pub spec: Spec,
    /// Potential capability (both limits).
    pub cp: Option<f64>,
    /// Lower capability (LSL).
    pub cpl: Option<f64>,
    /// Upper capability (USL).
    pub cpu: Option<f64>,
    /// min(Cpl, Cpu) over the limits given.
    pub cpk: Option<f64>,
    /// Overall performance (both limits).
    pub pp: Option<f64>,
    /// Lower performance.
    pub ppl: Option<f64>,
    /// Upper performance.
    pub ppu: Option<f64>,
    /// min(Ppl, Ppu).
    pub ppk: Option<f64>,
    /// Taguchi index (needs a target).
    pub cpm: Option<f64>,
    /// Z.bench with σ within.
    pub z_bench_within: f64,
    /// Z.bench with σ overall.
    pub z_bench_overall: f64,
    /// Observed PPM.
    pub ppm_observed: Ppm,
    /// Expected PPM with σ within.
    pub ppm_within: Ppm,
    /// Expected PPM with σ overall.
    pub ppm_overall: Ppm,
    /// Confidence level of the intervals.
    pub confidence: f64,
    /// Kind of intervals.
    pub bound: Bound,
    /// Interval for Cp.
    pub cp_interval: Option<Interval>,
    /// Interval for Cpk.
    pub cpk_interval: Option<Interval>,
    /// Interval for Pp.
    pub pp_interval: Option<Interval>,
    /// Interval for Ppk.
    pub ppk_interval: Option<Interval>,
    /// Interval for Cpm.
    pub cpm_interval: Option<Interval>,
    /// Anderson–Darling normality test.
    pub normality: AndersonDarling,
}

impl Capability {
    /// The index `index`; `None` when the specification does not define it.
    pub fn index(&self, index: Index) -> Option<f64> {
        match index {
            Index::Cp => self.cp,
            Index::Cpl => self.cpl,
            Index::Cpu => self.cpu,
            Index::Cpk => self.cpk,
            Index::Pp => self.pp,
            Index::Ppl => self.ppl,
            Index::Ppu => self.ppu,
            Index::Ppk => self.ppk,
            Index::Cpm => self.cpm,
        }
    }

    /// The interval of `index`; `None` when the index is not defined for this
    /// specification or has no interval (only [`Index::WITH_INTERVALS`] have one).
    pub fn interval(&self, index: Index) -> Option<Interval> {
        match index {
            Index::Cp => self.cp_interval,
            Index::Cpk => self.cpk_interval,
            Index::Pp => self.pp_interval,
            Index::Ppk => self.ppk_interval,
            Index::Cpm => self.cpm_interval,
            _ => None,
        }
    }
}

/// Clean data and subgroup sizes (`None` for individuals).
pub(crate) struct Prepared {
    pub values: Vec<f64>,
    pub sizes: Option<Vec<usize>>,
}

/// Validates the measurements and the subgroup layout, applying the NaN policy.
pub(crate) fn prepare(
    data: &[f64],
    subgroups: &Subgroups,
    nan_policy: NanPolicy,
) -> Result<Prepared> {
    for (i, &x) in data.iter().enumerate() {
        if x.is_infinite() || (x.is_nan() && nan_policy == NanPolicy::Raise) {
            return Err(refused_value(i, x));
        }
    }
    let sizes: Option<Vec<usize>> = match subgroups {
        Subgroups::Individuals => None,
        Subgroups::Size(k) => {
            check_size(*k, data.len())?;
            Some(vec![*k; data.len() / k])
        }
        Subgroups::Sizes(s) => {
            let total: usize = s.iter().sum();
            if total != data.len() {
                return Err(Error::length_mismatch(
                    "subgroups",
                    total,
                    "data",
                    data.len(),
                ));
            }
            if let Some(i) = s.iter().position(|&k| k == 0) {
                return Err(Error::invalid(
                    format!("subgroups[{i}]"),
                    0,
                    "a positive subgroup size",
                ));
            }
            Some(s.clone())
        }
    };
    let values: Vec<f64> = data.iter().copied().filter(|x| !x.is_nan()).collect();
    let sizes = sizes.map(|s| {
        let mut start = 0;
        s.iter()
            .map(|&k| {
                let kept = data[start..start + k]
                    .iter()
                    .filter(|x| !x.is_nan())
                    .count();
                start += k;
                kept
            })
            .filter(|&k| k > 0)
            .collect::<Vec<_>>()
    });
    // Subgroups of size 1 throughout are individuals.
    let sizes = sizes.filter(|s| s.iter().any(|&k| k > 1));
    check_usable(values.len())?;
    Ok(Prepared { values, sizes })
}

/// The error for a measurement a study refuses (infinite, or NaN under `Raise`).
fn refused_value(i: usize, x: f64) -> Error {
    Error::invalid(
        format!("data[{i}]"),
        x,
        "a finite number (NaN is allowed only when NaN values are omitted)",
    )
}

/// Checks that a subgroup size `k` divides the number of values `len`.
fn check_size(k: usize, len: usize) -> Result<()> {
    if k == 0 || !len.is_multiple_of(k) {
        return Err(Error::invalid(
            "subgroup_size",
            k,
            format!("a positive divisor of the number of values ({len})"),
        ));
    }
    Ok(())
}

fn check_usable(n: usize) -> Result<()> {
    if n < 2 {
        return Err(Error::invalid(
            "data",
            format!("{n} usable values"),
            "at least 2 values",
        ));
    }
    Ok(())
}

/// Resolves `Auto` and checks that the method fits the layout.
pub(crate) fn resolve_within<I: IntoIterator<Item = usize>>(
    method: WithinMethod,
    sizes: Option<I>,
) -> Result<WithinMethod> {
    let small = sizes.map(|s| s.into_iter().enumerate().find(|&(_, k)| k < 2));
    match (method, small) {
        (WithinMethod::Auto, Some(_)) => Ok(WithinMethod::Pooled),
        (WithinMethod::Auto, None) => Ok(WithinMethod::MovingRange),
        (m, None) if m.needs_subgroups() => Err(Error::invalid(
            "within",
            m.name(),
            "mr or median_mr for individual values (a subgroup method needs subgroup sizes)",
        )),
        (m, Some(small)) if m.needs_subgroups() => match small {
            Some((i, k)) => Err(Error::invalid(
                format!("subgroups[{i}]"),
                format!("size {k}"),
                format!(
                    "subgroups of at least 2 values for the {} within method",
                    m.name()
                ),
            )),
            None => Ok(m),
        },
        (m, Some(_)) => Err(Error::invalid(
            "within",
            m.name(),
            "pooled, rbar or sbar for subgrouped data (moving ranges need individual values)",
        )),
        (m, None) => Ok(m),
    }
}

/// Capability indices (Cp-type, lower, upper, k-type) for mean and σ.
fn indices(spec: &Spec, mean: f64, sigma: f64) -> [Option<f64>; 4] {
    let low = spec.lsl.map(|l| (mean - l) / (3.0 * sigma));
    let up = spec.usl.map(|u| (u - mean) / (3.0 * sigma));
    let both = match (spec.lsl, spec.usl) {
        (Some(l), Some(u)) => Some((u - l) / (6.0 * sigma)),
        _ => None,
    };
    let k = match (low, up) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    [both, low, up, k]
}

fn expected_ppm(spec: &Spec, mean: f64, sigma: f64) -> Ppm {
    let below = spec.lsl.map(|l| 1e6 * normal::cdf((l - mean) / sigma));
    let above = spec.usl.map(|u| 1e6 * normal::sf((u - mean) / sigma));
    Ppm {
        below,
        above,
        total: below.unwrap_or(0.0) + above.unwrap_or(0.0),
    }
}

pub(crate) fn observed_ppm(spec: &Spec, values: &[f64]) -> Ppm {
    let (below, above) = spec.outside(values);
    ppm_of_counts(spec, below, above, values.len())
}

/// Observed PPM from the numbers of values below LSL and above USL.
fn ppm_of_counts(spec: &Spec, below: u64, above: u64, n: usize) -> Ppm {
    let n = n as f64;
    let below = spec.lsl.map(|_| 1e6 * below as f64 / n);
    let above = spec.usl.map(|_| 1e6 * above as f64 / n);
    Ppm {
        below,
        above,
        total: below.unwrap_or(0.0) + above.unwrap_or(0.0),
    }
}

/// Z.bench = −Φ⁻¹(P), P the expected fraction out of specification
/// (Minitab's benchmark Z); see [`super::zbench`] for values beyond ±37.
fn z_bench(spec: &Spec, mean: f64, sigma: f64) -> f64 {
    let p = spec.lsl.map_or(0.0, |l| normal::cdf((l - mean) / sigma))
        + spec.usl.map_or(0.0, |u| normal::sf((u - mean) / sigma));
    let z = -normal::quantile(p);
    if z.is_finite() {
        return z;
    }
    super::zbench::z_bench_log(
        spec.lsl.map(|l| (mean - l) / sigma),
        spec.usl.map(|u| (u - mean) / sigma),
    )
}

/// Cpm with τ² = Σ(xᵢ − T)²/(N − 1) = (M2 + N(x̄ − T)²)/(N − 1).
fn cpm(spec: &Spec, m: &Moments) -> Option<f64> {
    let t = spec.target?;
    let n = m.n as f64;
    let tau = ((m.m2 + n * (m.mean - t) * (m.mean - t)) / (n - 1.0)).sqrt();
    let half = match (spec.lsl, spec.usl) {
        (Some(l), Some(u)) => (t - l).min(u - t),
        (Some(l), None) => t - l,
        (None, Some(u)) => u - t,
        (None, None) => return None,
    };
    Some(half / (3.0 * tau))
}

/// Runs a normal capability study on `data`.
///
/// # Examples
/// ```
/// use qualstat::capability::{capability, Options, Spec, Subgroups};
/// let data = [9.8, 10.1, 10.0, 9.9, 10.2, 10.0, 9.7, 10.3, 10.1, 9.9];
/// let spec = Spec { lsl: Some(9.0), usl: Some(11.0), target: Some(10.0) };
/// let res = capability(&data, &Subgroups::Size(2), &spec, &Options::default()).unwrap();
/// assert!(res.cp.unwrap() > 1.0 && res.cpk.unwrap() <= res.cp.unwrap());
/// ```
///
/// # Errors
/// [`Error::InvalidArgument`] for fewer than 2 values, NaN (unless
/// `nan_policy` is `Omit`) or infinite values, zero spread, invalid
/// specification (see [`Spec::validate`]), a subgroup size that does not
/// divide the data, a subgroup method with subgroups of size 1, or a
/// confidence outside (0, 1); [`Error::NoSolution`] if the within σ is 0.
pub fn capability(
    data: &[f64],
    subgroups: &Subgroups,
    spec: &Spec,
    options: &Options,
) -> Result<Capability> {
    check_confidence(options.confidence)?;
    spec.validate()?;
    let prepared = prepare(data, subgroups, options.nan_policy)?;
    normal_study(&prepared, spec, options)
}

/// The point estimates of a study (no intervals, no normality test).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Point {
    pub mean: f64,
    pub sd: f64,
    pub sigma: f64,
    pub df: f64,
    pub within_indices: [Option<f64>; 4],
    pub overall_indices: [Option<f64>; 4],
    pub cpm: Option<f64>,
}

impl Point {
    /// The value of `index` (`None` when the specification does not define it).
    pub fn index(&self, index: Index) -> Option<f64> {
        let [cp, cpl, cpu, cpk] = self.within_indices;
        let [pp, ppl, ppu, ppk] = self.overall_indices;
        match index {
            Index::Cp => cp,
            Index::Cpl => cpl,
            Index::Cpu => cpu,
            Index::Cpk => cpk,
            Index::Pp => pp,
            Index::Ppl => ppl,
            Index::Ppu => ppu,
            Index::Ppk => ppk,
            Index::Cpm => self.cpm,
        }
    }
}

named_options! {
    /// A capability (within σ) or performance (overall σ) index.
    pub enum Index for "index" {
        /// (USL − LSL)/(6σw).
        Cp = "cp",
        /// (x̄ − LSL)/(3σw).
        Cpl = "cpl",
        /// (USL − x̄)/(3σw).
        Cpu = "cpu",
        /// min(Cpl, Cpu).
        Cpk = "cpk",
        /// (USL − LSL)/(6s).
        Pp = "pp",
        /// (x̄ − LSL)/(3s).
        Ppl = "ppl",
        /// (USL − x̄)/(3s).
        Ppu = "ppu",
        /// min(Ppl, Ppu).
        Ppk = "ppk",
        /// min(T − LSL, USL − T)/(3τ), τ² = Σ(xᵢ − T)²/(N − 1).
        Cpm = "cpm",
    }
}

impl Index {
    /// The indices a study gives a confidence interval for.
    pub const WITH_INTERVALS: [Index; 5] =
        [Index::Cp, Index::Cpk, Index::Pp, Index::Ppk, Index::Cpm];

    /// The smallest value the index can take: 0 for Cp, Pp and Cpm (a width
    /// over a spread), −∞ for the others (the mean may lie outside the limits).
    /// A one-sided upper bound starts there.
    pub fn floor(self) -> f64 {
        match self {
            Index::Cp | Index::Pp | Index::Cpm => 0.0,
            _ => f64::NEG_INFINITY,
        }
    }
}

/// Point estimates for clean `values` with a resolved within method.
pub(crate) fn point(
    values: &[f64],
    sizes: Option<&[usize]>,
    spec: &Spec,
    within: WithinMethod,
) -> Result<Point> {
    let range = || {
        values
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
                (a.min(v), b.max(v))
            })
    };
    let sigma = || match sizes {
        Some(s) => from_subgroups(values, s, within),
        None => from_individuals(values, within),
    };
    point_from(&Moments::of(values), range, sigma, spec, within)
}

/// Point estimates from the moments of the data, their range (evaluated for
/// the error message of a sample without spread) and the within σ.
fn point_from(
    m: &Moments,
    range: impl FnOnce() -> (f64, f64),
    sigma: impl FnOnce() -> Result<WithinSigma>,
    spec: &Spec,
    within: WithinMethod,
) -> Result<Point> {
    let (mean, sd) = (m.mean, m.sd());
    if !(sd > 0.0 && sd.is_finite()) {
        let (lo, hi) = range();
        return Err(spread_error(m.n, mean, sd, lo, hi));
    }
    let WithinSigma { sigma, df } = sigma()?;
    if !(sigma > 0.0 && sigma.is_finite()) {
        return Err(Error::NoSolution(format!(
            "the within-subgroup standard deviation ({}) is {sigma}: every subgroup is constant, so Cp, Cpk and the other within indices are undefined",
            within.name()
        )));
    }
    let p = Point {
        mean,
        sd,
        sigma,
        df,
        within_indices: indices(spec, mean, sigma),
        overall_indices: indices(spec, mean, sd),
        cpm: cpm(spec, m),
    };
    let finite = |v: &Option<f64>| v.is_none_or(|x| x.is_finite());
    if p.within_indices
        .iter()
        .chain(&p.overall_indices)
        .all(finite)
        && finite(&p.cpm)
    {
        Ok(p)
    } else {
        Err(Error::NoSolution(format!(
            "the capability indices overflow: the specification is too wide for a spread this small (within sigma {sigma:e}, overall sigma {sd:e}); rescale the data and the limits"
        )))
    }
}

/// The error for a sample whose standard deviation is 0 or not representable.
fn spread_error(n: u64, mean: f64, sd: f64, lo: f64, hi: f64) -> Error {
    if lo == hi {
        Error::invalid(
            "data",
            format!("{n} values all equal to {mean:?}"),
            "measurements with a non-zero standard deviation",
        )
    } else {
        Error::invalid(
            "data",
            format!("{n} values from {lo:e} to {hi:e} (standard deviation {sd:e})"),
            "measurements whose variance is a finite positive number in double precision (rescale the data)",
        )
    }
}

/// The normal study of prepared data with classic intervals.
pub(crate) fn normal_study(
    prepared: &Prepared,
    spec: &Spec,
    options: &Options,
) -> Result<Capability> {
    let values = &prepared.values;
    let sizes = prepared.sizes.as_deref();
    let within = resolve_within(options.within, sizes.map(|s| s.iter().copied()))?;
    let p = point(values, sizes, spec, within)?;
    let mut sorted = values.clone();
    sorted.sort_by(f64::total_cmp);
    let layout = Layout {
        n: values.len(),
        subgroups: sizes.map_or(values.len(), <[usize]>::len),
        within,
    };
    let (below, above) = spec.outside(values);
    let normality = anderson_darling(&sorted, p.mean, p.sd);
    finish(p, layout, spec, options, (below, above), normality)
}

/// The number of values and of subgroups of a study, and its within method.
#[derive(Debug, Clone, Copy)]
struct Layout {
    n: usize,
    subgroups: usize,
    within: WithinMethod,
}

/// A normal study from its point estimates: intervals, Z.bench, PPM.
fn finish(
    p: Point,
    layout: Layout,
    spec: &Spec,
    options: &Options,
    (below, above): (u64, u64),
    normality: AndersonDarling,
) -> Result<Capability> {
    let Point {
        mean,
        sd,
        sigma,
        df,
        within_indices,
        overall_indices,
        cpm,
    } = p;
    let Layout {
        n,
        subgroups,
        within,
    } = layout;
    let [cp, cpl, cpu, cpk] = within_indices;
    let [pp, ppl, ppu, ppk] = overall_indices;
    let (conf, bound) = (options.confidence, options.bound);
    let overall_df = (n - 1) as f64;
    let cp_interval = cp.map(|c| chi2_interval(c, df, conf, bound)).transpose()?;
    let cpk_interval = cpk
        .map(|c| bissell_interval(c, n, df, conf, bound))
        .transpose()?;
    let pp_interval = pp
        .map(|c| chi2_interval(c, overall_df, conf, bound))
        .transpose()?;
    let ppk_interval = ppk
        .map(|c| bissell_interval(c, n, overall_df, conf, bound))
        .transpose()?;
    let cpm_interval = match (cpm, spec.target) {
        (Some(c), Some(t)) => Some(chi2_interval(c, boyles_df(n, mean, sd, t), conf, bound)?),
        _ => None,
    };
    Ok(Capability {
        n,
        subgroups,
        mean,
        sigma_within: sigma,
        sigma_overall: sd,
        within,
        df_within: df,
        spec: *spec,
        cp,
        cpl,
        cpu,
        cpk,
        pp,
        ppl,
        ppu,
        ppk,
        cpm,
        z_bench_within: z_bench(spec, mean, sigma),
        z_bench_overall: z_bench(spec, mean, sd),
        ppm_observed: ppm_of_counts(spec, below, above, n),
        ppm_within: expected_ppm(spec, mean, sigma),
        ppm_overall: expected_ppm(spec, mean, sd),
        confidence: conf,
        bound,
        cp_interval,
        cpk_interval,
        pp_interval,
        ppk_interval,
        cpm_interval,
        normality,
    })
}

/// What a normal study needs of one group's measurements, in a form that
/// summaries of parts of the group (partitions of a distributed frame) merge
/// into: counts add, [`Moments`] merge by Chan's formula, extremes by min and
/// max, and the subgroups' [`SubgroupStats`] are those of whole subgroups.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// Number of measurements, NaN included (for the subgroup-size check).
    pub rows: usize,
    /// Moments of the measurements used (NaN omitted).
    pub moments: Moments,
    /// Smallest measurement used.
    pub min: f64,
    /// Largest measurement used.
    pub max: f64,
    /// Number of measurements below LSL (0 without LSL).
    pub below: u64,
    /// Number of measurements above USL (0 without USL).
    pub above: u64,
    /// The first measurement a study refuses, if any: its position in the
    /// group and its value (infinite, or NaN when NaN is not omitted).
    pub refused: Option<(usize, f64)>,
    /// Σ|xᵢ₊₁ − xᵢ| over consecutive measurements used, in time order.
    pub moving_range_sum: f64,
    /// The number of those moving ranges (measurements used − 1).
    pub moving_ranges: usize,
}

/// A normal study with classic intervals from a group's [`Summary`] and the
/// statistics of its subgroups (`None` or an empty slice for individual
/// values; `size`: the common subgroup size to check, if one was given).
///
/// The same point estimates, within σ, intervals, Z.bench and PPM as
/// [`capability`] on the values; only the Anderson–Darling test needs every
/// value, so its statistic and p-value are NaN here.
///
/// # Examples
/// ```
/// use qualstat::capability::{capability, capability_from_summary, Options, Spec, Subgroups, Summary};
/// use qualstat::numerics::summary::Moments;
/// let x: [f64; 8] = [9.8, 10.1, 10.0, 9.9, 10.2, 10.0, 9.7, 10.3];
/// let spec = Spec { lsl: Some(9.0), usl: Some(11.0), target: None };
/// let mr: f64 = x.windows(2).map(|w| (w[1] - w[0]).abs()).sum();
/// let s = Summary { rows: 8, moments: Moments::of(&x), min: 9.7, max: 10.3, below: 0, above: 0,
///                   refused: None, moving_range_sum: mr, moving_ranges: 7 };
/// let from_summary = capability_from_summary(&s, None, None, &spec, &Options::default()).unwrap();
/// let direct = capability(&x, &Subgroups::Individuals, &spec, &Options::default()).unwrap();
/// assert_eq!(from_summary.cpk, direct.cpk);
/// assert!(from_summary.normality.statistic.is_nan());
/// ```
///
/// # Errors
/// Those of [`capability`] for the same data.
pub fn capability_from_summary(
    summary: &Summary,
    subgroups: Option<&[SubgroupStats]>,
    size: Option<usize>,
    spec: &Spec,
    options: &Options,
) -> Result<Capability> {
    check_confidence(options.confidence)?;
    spec.validate()?;
    if let Some((i, x)) = summary.refused {
        return Err(refused_value(i, x));
    }
    if let Some(k) = size {
        check_size(k, summary.rows)?;
    }
    let m = summary.moments;
    check_usable(m.n as usize)?;
    // Subgroups of size 1 throughout are individuals.
    let stats = subgroups.filter(|s| s.iter().any(|g| g.n > 1));
    let within = resolve_within(options.within, stats.map(|s| s.iter().map(|g| g.n)))?;
    let sigma = || match stats {
        Some(s) => from_subgroup_stats(s, within),
        None if within == WithinMethod::MedianMovingRange => Err(Error::NotAvailable(
            "the median moving range needs every value in order, not a summary: use within=\"mr\""
                .into(),
        )),
        None => from_moving_ranges(summary.moving_range_sum, summary.moving_ranges),
    };
    let p = point_from(&m, || (summary.min, summary.max), sigma, spec, within)?;
    let layout = Layout {
        n: m.n as usize,
        subgroups: stats.map_or(m.n as usize, <[SubgroupStats]>::len),
        within,
    };
    let normality = AndersonDarling {
        statistic: f64::NAN,
        p_value: f64::NAN,
    };
    finish(
        p,
        layout,
        spec,
        options,
        (summary.below, summary.above),
        normality,
    )
}
