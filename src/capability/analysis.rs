//! The one entry point of a capability study: [`analyze`] runs a study with a
//! model (normal, Box–Cox transformed, or the ISO 22514-2 percentile method)
//! and intervals (classic or bootstrap, every index from the same resamples)
//! and returns a complete [`Study`]. The bindings and the Python layer only
//! translate its options and its result.

use super::bootstrap::{bootstrap_indices, Bootstrap, BootstrapMethod};
use super::boxcox::{transform, Lambda};
use super::nonnormal::{percentile_capability, Distribution, Fit};
use super::normality::AndersonDarling;
use super::sigma::WithinMethod;
use super::study::{
    normal_study, observed_ppm, prepare, Capability, Index, NanPolicy, Options, Ppm, Prepared,
    Spec, Subgroups,
};
use crate::error::{check_confidence, Error, Result};
use crate::numerics::summary::mean_sd;
use crate::options::named_options;
use crate::proportion::{Bound, Interval};

/// The model of the process distribution.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Model {
    /// The classical normal study (Minitab's "Normal Capability Analysis").
    Normal,
    /// A normal study of the Box–Cox transformed data and limits.
    BoxCox(Lambda),
    /// The ISO 22514-2 percentile method with a fitted or empirical distribution
    /// (overall indices only, without intervals).
    Percentile(Distribution),
}

named_options! {
    /// How the confidence intervals of the indices are computed.
    pub enum IntervalMethod for "method" {
        /// Chi-square (Cp, Pp), Bissell (Cpk, Ppk) and Boyles (Cpm).
        Classic = "classic",
        /// Bootstrap percentile or BCa intervals (normal model only).
        Bootstrap = "bootstrap",
    }
}

/// Every option of a study.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StudyOptions {
    /// The model of the process distribution.
    pub model: Model,
    /// Classic or bootstrap intervals.
    pub method: IntervalMethod,
    /// The bootstrap settings (used with [`IntervalMethod::Bootstrap`]).
    pub bootstrap: Bootstrap,
    /// Within-σ method, confidence, bound and NaN policy.
    pub options: Options,
}

impl Default for StudyOptions {
    fn default() -> Self {
        Self::from(Options::default())
    }
}

impl From<Options> for StudyOptions {
    /// The normal model with classic intervals (bootstrap settings: 10 000
    /// BCa resamples, seed 0).
    fn from(options: Options) -> Self {
        Self {
            model: Model::Normal,
            method: IntervalMethod::Classic,
            bootstrap: Bootstrap {
                resamples: 10_000,
                seed: 0,
                method: BootstrapMethod::Bca,
            },
            options,
        }
    }
}

/// What the model fitted, beyond the normal study's numbers.
#[derive(Debug, Clone, PartialEq)]
pub enum Fitted {
    /// The normal model: nothing more.
    Normal,
    /// The Box–Cox λ used and the maximum-likelihood λ (None for a fixed λ).
    BoxCox {
        /// The λ used.
        lambda: f64,
        /// The maximum-likelihood λ.
        lambda_ml: Option<f64>,
    },
    /// The percentile method.
    Percentile {
        /// The model used (Auto resolved; Nonparametric for empirical percentiles).
        distribution: Distribution,
        /// The fitted model (None for Nonparametric).
        fit: Option<Fit>,
        /// Every candidate fitted for Auto.
        candidates: Vec<Fit>,
        /// X₀.₀₀₁₃₅, X₀.₅ and X₀.₉₉₈₆₅.
        percentiles: [f64; 3],
    },
}

/// The complete result of [`analyze`]. Numbers are in the units of `values`
/// (the transformed units under Box–Cox, where `spec` holds the transformed
/// limits). Indices a specification or a model does not define are `None`.
#[derive(Debug, Clone, PartialEq)]
pub struct Study {
    /// Number of measurements used.
    pub n: usize,
    /// Number of subgroups (n for individuals).
    pub subgroups: usize,
    /// Sample mean.
    pub mean: f64,
    /// Overall σ: the sample standard deviation (divisor N − 1).
    pub sigma_overall: f64,
    /// Within-subgroup σ (None for the percentile method).
    pub sigma_within: Option<f64>,
    /// The within-σ method used (Auto resolved; None for the percentile method).
    pub within: Option<WithinMethod>,
    /// Degrees of freedom of σ within.
    pub df_within: Option<f64>,
    /// The specification the indices refer to.
    pub spec: Spec,
    /// The indices, in the order of [`Index::ALL`].
    pub indices: [Option<f64>; 9],
    /// The intervals, in the order of [`Index::ALL`] (only [`Index::WITH_INTERVALS`] have one).
    pub intervals: [Option<Interval>; 9],
    /// Z.bench with σ within.
    pub z_bench_within: Option<f64>,
    /// Z.bench with σ overall.
    pub z_bench_overall: Option<f64>,
    /// Observed PPM.
    pub ppm_observed: Ppm,
    /// Expected PPM with σ within.
    pub ppm_within: Option<Ppm>,
    /// Expected PPM with σ overall (the fitted model for the percentile method).
    pub ppm_overall: Option<Ppm>,
    /// Confidence level of the intervals.
    pub confidence: f64,
    /// Kind of intervals.
    pub bound: Bound,
    /// Classic or bootstrap intervals.
    pub method: IntervalMethod,
    /// The bootstrap settings used (None for classic intervals).
    pub bootstrap: Option<Bootstrap>,
    /// Anderson–Darling normality test of the data used.
    pub normality: AndersonDarling,
    /// What the model fitted.
    pub fitted: Fitted,
    /// The measurements used: NaN omitted, transformed under Box–Cox, in
    /// subgroup order.
    pub values: Vec<f64>,
}

/// `f` of every index, in the order of [`Index::ALL`].
fn per_index<T>(f: impl Fn(Index) -> T) -> [T; 9] {
    std::array::from_fn(|k| f(Index::ALL[k]))
}

impl Study {
    /// The value of `index` (None when not defined).
    pub fn index(&self, index: Index) -> Option<f64> {
        self.indices[index as usize]
    }

    /// The interval of `index` (None when the index has none).
    pub fn interval(&self, index: Index) -> Option<Interval> {
        self.intervals[index as usize]
    }
}

/// Runs a capability study of `data` with every option in one call.
///
/// # Examples
/// ```
/// use qualstat::capability::{analyze, Index, IntervalMethod, Spec, StudyOptions, Subgroups};
/// let data = [9.8, 10.1, 10.0, 9.9, 10.2, 10.0, 9.7, 10.3, 10.1, 9.9];
/// let spec = Spec { lsl: Some(9.0), usl: Some(11.0), target: None };
/// let mut options = StudyOptions::default();
/// let classic = analyze(&data, &Subgroups::Size(2), &spec, &options).unwrap();
/// options.method = IntervalMethod::Bootstrap;
/// options.bootstrap.resamples = 200;
/// let boot = analyze(&data, &Subgroups::Size(2), &spec, &options).unwrap();
/// assert_eq!(classic.index(Index::Cpk), boot.index(Index::Cpk));
/// assert!(boot.interval(Index::Cpk).unwrap().lower < boot.index(Index::Cpk).unwrap());
/// ```
///
/// # Errors
/// Those of [`super::capability`], [`super::boxcox_capability`],
/// [`super::percentile_capability`] and [`super::bootstrap_interval`];
/// [`Error::NotAvailable`] for bootstrap intervals with a model other than
/// the normal one.
pub fn analyze(
    data: &[f64],
    subgroups: &Subgroups,
    spec: &Spec,
    options: &StudyOptions,
) -> Result<Study> {
    check_confidence(options.options.confidence)?;
    spec.validate()?;
    if options.method == IntervalMethod::Bootstrap {
        options.bootstrap.validate()?;
        if options.model != Model::Normal {
            return Err(Error::NotAvailable(
                "bootstrap intervals are computed for the normal model only (not with a Box-Cox transformation or the percentile method): use classic intervals".into(),
            ));
        }
    }
    let nan_policy: NanPolicy = options.options.nan_policy;
    match options.model {
        Model::Normal => {
            let prepared = prepare(data, subgroups, nan_policy)?;
            normal(prepared, spec, options, Fitted::Normal)
        }
        Model::BoxCox(lambda) => {
            let t = transform(data, spec, lambda)?;
            let prepared = prepare(&t.data, subgroups, nan_policy)?;
            let fitted = Fitted::BoxCox {
                lambda: t.lambda,
                lambda_ml: t.lambda_ml,
            };
            normal(prepared, &t.spec, options, fitted)
        }
        Model::Percentile(distribution) => {
            let prepared = prepare(data, subgroups, nan_policy)?;
            percentile(prepared, spec, distribution, options)
        }
    }
}

/// The normal study of prepared data, with classic or bootstrap intervals.
fn normal(
    prepared: Prepared,
    spec: &Spec,
    options: &StudyOptions,
    fitted: Fitted,
) -> Result<Study> {
    let c = normal_study(&prepared, spec, &options.options)?;
    let intervals = match options.method {
        IntervalMethod::Classic => per_index(|i| c.interval(i)),
        IntervalMethod::Bootstrap => {
            let defined: Vec<Index> = Index::WITH_INTERVALS
                .into_iter()
                .filter(|&i| c.index(i).is_some())
                .collect();
            let boot = bootstrap_indices(
                &prepared,
                spec,
                c.within,
                &options.options,
                &defined,
                &options.bootstrap,
            )?;
            let mut out = [None; 9];
            for (i, b) in defined.into_iter().zip(boot) {
                out[i as usize] = Some(b.interval);
            }
            out
        }
    };
    Ok(from_normal(c, intervals, options, fitted, prepared.values))
}

pub(crate) fn from_normal(
    c: Capability,
    intervals: [Option<Interval>; 9],
    options: &StudyOptions,
    fitted: Fitted,
    values: Vec<f64>,
) -> Study {
    Study {
        n: c.n,
        subgroups: c.subgroups,
        mean: c.mean,
        sigma_overall: c.sigma_overall,
        sigma_within: Some(c.sigma_within),
        within: Some(c.within),
        df_within: Some(c.df_within),
        spec: c.spec,
        indices: per_index(|i| c.index(i)),
        intervals,
        z_bench_within: Some(c.z_bench_within),
        z_bench_overall: Some(c.z_bench_overall),
        ppm_observed: c.ppm_observed,
        ppm_within: Some(c.ppm_within),
        ppm_overall: Some(c.ppm_overall),
        confidence: c.confidence,
        bound: c.bound,
        method: options.method,
        bootstrap: (options.method == IntervalMethod::Bootstrap).then_some(options.bootstrap),
        normality: c.normality,
        fitted,
        values,
    }
}

/// The percentile method on prepared data (overall indices, no intervals).
fn percentile(
    prepared: Prepared,
    spec: &Spec,
    distribution: Distribution,
    options: &StudyOptions,
) -> Result<Study> {
    let values = prepared.values;
    let r = percentile_capability(&values, spec, distribution)?;
    let (mean, sd) = mean_sd(&values);
    let mut indices = [None; 9];
    for (i, v) in [
        (Index::Pp, r.pp),
        (Index::Ppl, r.ppl),
        (Index::Ppu, r.ppu),
        (Index::Ppk, r.ppk),
    ] {
        indices[i as usize] = v;
    }
    Ok(Study {
        n: r.n,
        subgroups: prepared.sizes.as_deref().map_or(r.n, <[usize]>::len),
        mean,
        sigma_overall: sd,
        sigma_within: None,
        within: None,
        df_within: None,
        spec: *spec,
        indices,
        intervals: [None; 9],
        z_bench_within: None,
        z_bench_overall: None,
        ppm_observed: observed_ppm(spec, &values),
        ppm_within: None,
        ppm_overall: r.ppm_expected,
        confidence: options.options.confidence,
        bound: options.options.bound,
        method: options.method,
        bootstrap: None,
        normality: AndersonDarling {
            statistic: r.normality.0,
            p_value: r.normality.1,
        },
        fitted: Fitted::Percentile {
            distribution: r.distribution,
            fit: r.fit,
            candidates: r.candidates,
            percentiles: [r.p_low, r.median, r.p_high],
        },
        values,
    })
}
