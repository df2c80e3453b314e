//! Capability of non-normal data by the ISO 22514-2 percentile method, with
//! the distribution fitted by maximum likelihood or taken from the sample's
//! empirical percentiles.
//!
//! # Formulas (ISO 22514-2:2017 §6 / ISO 21747; Minitab "ISO method")
//! With X_p the p-quantile of the fitted distribution, Pp = (USL − LSL)/(X₀.₉₉₈₆₅ − X₀.₀₀₁₃₅),
//! Ppl = (X₀.₅ − LSL)/(X₀.₅ − X₀.₀₀₁₃₅), Ppu = (USL − X₀.₅)/(X₀.₉₉₈₆₅ − X₀.₅),
//! Ppk = min(Ppl, Ppu). Nonparametric: the same with Hyndman–Fan type 6
//! sample percentiles (Minitab's nonparametric capability, McCormack et al. 2000).

use super::normality::{ad_normal_p_value, ad_statistic};
use super::study::{Ppm, Spec};
use crate::error::{Error, Result};
use crate::numerics::roots::find_root;
use crate::numerics::summary::mean;
use crate::numerics::{normal, special};
use crate::options::named_options;

/// Lower and upper percentile of the percentile method: Φ(∓3).
pub const P_LOW: f64 = 0.001_349_898_031_630_094_5;
/// Upper percentile Φ(3).
pub const P_HIGH: f64 = 1.0 - P_LOW;

named_options! {
    /// A distribution model for the percentile method.
    pub enum Distribution for "distribution" {
        /// Normal (μ, σ).
        Normal = "normal",
        /// Lognormal: ln X ~ N(μ, σ).
        Lognormal = "lognormal",
        /// Weibull (shape k, scale λ): F(x) = 1 − exp(−(x/λ)ᵏ).
        Weibull = "weibull",
        /// Gamma (shape a, scale θ).
        Gamma = "gamma",
        /// The model above with the smallest Anderson–Darling statistic.
        Auto = "auto",
        /// Empirical percentiles (no model).
        Nonparametric = "nonparametric" | "empirical",
    }
}

/// A fitted two-parameter model.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Fit {
    /// The model.
    pub distribution: Distribution,
    /// (μ, σ) for normal and lognormal, (shape, scale) for Weibull and gamma.
    pub params: [f64; 2],
    /// Anderson–Darling statistic of the data against the fitted model.
    pub ad_statistic: f64,
}

impl Fit {
    /// The fitted cdf at x.
    pub fn cdf(&self, x: f64) -> f64 {
        let [a, b] = self.params;
        match self.distribution {
            Distribution::Lognormal if x <= 0.0 => 0.0,
            Distribution::Lognormal => normal::cdf((x.ln() - a) / b),
            Distribution::Weibull if x <= 0.0 => 0.0,
            Distribution::Weibull => -(-(x / b).powf(a)).exp_m1(),
            Distribution::Gamma if x <= 0.0 => 0.0,
            Distribution::Gamma => special::gamma_p(a, x / b),
            _ => normal::cdf((x - a) / b),
        }
    }

    /// The fitted survival function 1 − F(x).
    pub fn sf(&self, x: f64) -> f64 {
        let [a, b] = self.params;
        match self.distribution {
            Distribution::Lognormal if x <= 0.0 => 1.0,
            Distribution::Lognormal => normal::sf((x.ln() - a) / b),
            Distribution::Weibull if x <= 0.0 => 1.0,
            Distribution::Weibull => (-(x / b).powf(a)).exp(),
            Distribution::Gamma if x <= 0.0 => 1.0,
            Distribution::Gamma => special::gamma_q(a, x / b),
            _ => normal::sf((x - a) / b),
        }
    }

    /// The fitted p-quantile.
    pub fn quantile(&self, p: f64) -> f64 {
        let [a, b] = self.params;
        match self.distribution {
            Distribution::Lognormal => (a + b * normal::quantile(p)).exp(),
            Distribution::Weibull => b * (-(-p).ln_1p()).powf(1.0 / a),
            Distribution::Gamma => b * special::gamma_p_inv(a, p),
            _ => a + b * normal::quantile(p),
        }
    }
}

/// Maximum-likelihood (μ, σ) of a normal sample (divisor N).
fn normal_ml(x: &[f64]) -> [f64; 2] {
    let m = mean(x);
    [
        m,
        (x.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / x.len() as f64).sqrt(),
    ]
}

/// Weibull ML: the shape k solves Σxᵏ ln x / Σxᵏ − 1/k − mean(ln x) = 0
/// (monotone in k), the scale is (Σxᵏ/N)^(1/k). Data are scaled by their
/// maximum first to keep xᵏ in range.
fn weibull_ml(x: &[f64]) -> Option<[f64; 2]> {
    let top = x.iter().fold(0.0f64, |a, &b| a.max(b));
    let logs: Vec<f64> = x.iter().map(|v| (v / top).ln()).collect();
    let mean_log = mean(&logs);
    let g = |k: f64| {
        let (mut s0, mut s1) = (0.0, 0.0);
        for &l in &logs {
            let w = (k * l).exp();
            s0 += w;
            s1 += w * l;
        }
        s1 / s0 - 1.0 / k - mean_log
    };
    let mut hi = 1.0;
    while g(hi) < 0.0 && hi < 1e6 {
        hi *= 2.0;
    }
    let mut lo = 1.0;
    while g(lo) > 0.0 && lo > 1e-6 {
        lo *= 0.5;
    }
    let k = find_root(g, lo, hi, 1e-14)?;
    let s0: f64 = logs.iter().map(|l| (k * l).exp()).sum();
    Some([k, top * (s0 / x.len() as f64).powf(1.0 / k)])
}

/// Gamma ML: the shape a solves ln a − ψ(a) = ln x̄ − mean(ln x), the
/// scale is x̄/a.
fn gamma_ml(x: &[f64]) -> Option<[f64; 2]> {
    let m = mean(x);
    let s = m.ln() - x.iter().map(|v| v.ln()).sum::<f64>() / x.len() as f64;
    if s.is_nan() || s <= 0.0 {
        return None;
    }
    let f = |a: f64| a.ln() - statrs::function::gamma::digamma(a) - s;
    // ln a − ψ(a) decreases from +∞ to 0; bracket around the approximation
    // a ≈ (3 − s + √((s − 3)² + 24 s)) / (12 s) (Minka 2002).
    let a0 = (3.0 - s + ((s - 3.0).powi(2) + 24.0 * s).sqrt()) / (12.0 * s);
    let a = find_root(f, a0 * 0.5, a0 * 2.0, 1e-14).or_else(|| find_root(f, 1e-8, 1e8, 1e-14))?;
    Some([a, m / a])
}

/// Fits `distribution` (not Auto/Nonparametric) to `sorted` data by ML.
///
/// # Errors
/// [`Error::InvalidArgument`] for non-positive data with lognormal, Weibull
/// or gamma; [`Error::NoSolution`] if the likelihood equation has no root.
pub fn fit(sorted: &[f64], distribution: Distribution) -> Result<Fit> {
    let positive_only = matches!(
        distribution,
        Distribution::Lognormal | Distribution::Weibull | Distribution::Gamma
    );
    if positive_only {
        if let Some(i) = sorted.iter().position(|&v| v <= 0.0) {
            return Err(Error::invalid(
                "data",
                format!("a value of {}", sorted[i]),
                format!(
                    "positive values for the {} distribution",
                    distribution.name()
                ),
            ));
        }
    }
    let params = match distribution {
        Distribution::Normal => Some(normal_ml(sorted)),
        Distribution::Lognormal => {
            let logs: Vec<f64> = sorted.iter().map(|v| v.ln()).collect();
            Some(normal_ml(&logs))
        }
        Distribution::Weibull => weibull_ml(sorted),
        Distribution::Gamma => gamma_ml(sorted),
        Distribution::Auto | Distribution::Nonparametric => {
            return Err(Error::invalid(
                "distribution",
                distribution.name(),
                "a parametric model",
            ))
        }
    }
    .filter(|p| {
        // μ of the normal and lognormal may be any real; every other
        // parameter must be positive.
        let location_free = matches!(distribution, Distribution::Normal | Distribution::Lognormal);
        p.iter().all(|v| v.is_finite()) && p[1] > 0.0 && (location_free || p[0] > 0.0)
    })
    .ok_or_else(|| {
        Error::NoSolution(format!(
            "the {} likelihood has no maximum for these data",
            distribution.name()
        ))
    })?;
    let mut f = Fit {
        distribution,
        params,
        ad_statistic: 0.0,
    };
    // A² = −N − (1/N) Σ (2i − 1)[ln F(x₍ᵢ₎) + ln(1 − F(x₍N+1−i₎))].
    let n = sorted.len() as f64;
    let s: f64 = sorted
        .iter()
        .zip(sorted.iter().rev())
        .enumerate()
        .map(|(i, (&lo, &hi))| (2.0 * i as f64 + 1.0) * (f.cdf(lo).ln() + f.sf(hi).ln()))
        .sum();
    f.ad_statistic = -n - s / n;
    Ok(f)
}

/// Hyndman–Fan type 6 sample quantile of sorted data: w = p(N + 1),
/// X₍⌊w⌋₎ + (w − ⌊w⌋)(X₍⌊w⌋+1₎ − X₍⌊w⌋₎), clamped to the sample range.
pub fn quantile_type6(sorted: &[f64], p: f64) -> f64 {
    let n = sorted.len();
    let w = p * (n as f64 + 1.0);
    if w <= 1.0 {
        return sorted[0];
    }
    if w >= n as f64 {
        return sorted[n - 1];
    }
    let y = w.floor() as usize; // 1 ≤ y < n
    sorted[y - 1] + (w - y as f64) * (sorted[y] - sorted[y - 1])
}

/// The result of a percentile-method capability study.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PercentileCapability {
    /// Number of values.
    pub n: usize,
    /// The model used (Auto resolved).
    pub distribution: Distribution,
    /// The fitted model (None for Nonparametric).
    pub fit: Option<Fit>,
    /// Every candidate fitted for Auto (model and A²).
    pub candidates: Vec<Fit>,
    /// X₀.₀₀₁₃₅.
    pub p_low: f64,
    /// X₀.₅.
    pub median: f64,
    /// X₀.₉₉₈₆₅.
    pub p_high: f64,
    /// (USL − LSL)/(X₀.₉₉₈₆₅ − X₀.₀₀₁₃₅).
    pub pp: Option<f64>,
    /// (X₀.₅ − LSL)/(X₀.₅ − X₀.₀₀₁₃₅).
    pub ppl: Option<f64>,
    /// (USL − X₀.₅)/(X₀.₉₉₈₆₅ − X₀.₅).
    pub ppu: Option<f64>,
    /// min(Ppl, Ppu).
    pub ppk: Option<f64>,
    /// Expected PPM under the fitted model (None for Nonparametric).
    pub ppm_expected: Option<Ppm>,
    /// Anderson–Darling normality test of the data (statistic, p-value).
    pub normality: (f64, f64),
    /// The specification.
    pub spec: Spec,
}

/// The data sorted, after checking there are at least 3 values, all finite.
fn sorted_sample(data: &[f64]) -> Result<Vec<f64>> {
    if data.len() < 3 {
        return Err(Error::invalid(
            "data",
            format!("{} values", data.len()),
            "at least 3 values",
        ));
    }
    if let Some(i) = data.iter().position(|v| !v.is_finite()) {
        return Err(Error::invalid(
            format!("data[{i}]"),
            data[i],
            "a finite number",
        ));
    }
    let mut sorted = data.to_vec();
    sorted.sort_by(f64::total_cmp);
    Ok(sorted)
}

/// The fitted model (None for Nonparametric) and, for Auto, every candidate
/// fitted (the positive models only for positive data).
fn choose_fit(sorted: &[f64], distribution: Distribution) -> Result<(Option<Fit>, Vec<Fit>)> {
    Ok(match distribution {
        Distribution::Nonparametric => (None, Vec::new()),
        Distribution::Auto => {
            let models: &[Distribution] = if sorted.first().is_some_and(|&v| v > 0.0) {
                &[
                    Distribution::Normal,
                    Distribution::Lognormal,
                    Distribution::Weibull,
                    Distribution::Gamma,
                ]
            } else {
                &[Distribution::Normal]
            };
            let fits: Vec<Fit> = models.iter().filter_map(|&d| fit(sorted, d).ok()).collect();
            let best = fits
                .iter()
                .copied()
                .min_by(|a, b| a.ad_statistic.total_cmp(&b.ad_statistic));
            (best, fits)
        }
        d => (Some(fit(sorted, d)?), Vec::new()),
    })
}

/// [Pp, Ppl, Ppu, Ppk] from the percentiles (see the module formulas).
fn percentile_indices(spec: &Spec, p_low: f64, median: f64, p_high: f64) -> [Option<f64>; 4] {
    let pp = match (spec.lsl, spec.usl) {
        (Some(l), Some(u)) => Some((u - l) / (p_high - p_low)),
        _ => None,
    };
    let ppl = spec.lsl.map(|l| (median - l) / (median - p_low));
    let ppu = spec.usl.map(|u| (u - median) / (p_high - median));
    let ppk = match (ppl, ppu) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    [pp, ppl, ppu, ppk]
}

/// Capability of `data` by the ISO 22514-2 percentile method.
///
/// # Examples
/// ```
/// use qualstat::capability::{percentile_capability, Distribution, Spec};
/// let x = [1.2, 0.8, 2.5, 1.1, 0.6, 1.9, 3.2, 0.9, 1.4, 1.0, 2.2, 0.7];
/// let spec = Spec { lsl: None, usl: Some(8.0), target: None };
/// let r = percentile_capability(&x, &spec, Distribution::Lognormal).unwrap();
/// assert!(r.ppu.unwrap() > 0.5 && r.pp.is_none());
/// ```
///
/// # Errors
/// [`Error::InvalidArgument`] for fewer than 3 values, non-finite values, zero
/// spread, an invalid specification or non-positive data with a positive
/// model; [`Error::NoSolution`] if a fit fails.
pub fn percentile_capability(
    data: &[f64],
    spec: &Spec,
    distribution: Distribution,
) -> Result<PercentileCapability> {
    spec.validate()?;
    let sorted = sorted_sample(data)?;
    let [m, s] = normal_ml(&sorted);
    if s <= 0.0 {
        return Err(Error::invalid(
            "data",
            format!("{} equal values", data.len()),
            "measurements with a non-zero spread",
        ));
    }
    let sd = s * (sorted.len() as f64 / (sorted.len() as f64 - 1.0)).sqrt();
    let ad = ad_statistic(&sorted, m, sd);
    let normality = (ad, ad_normal_p_value(ad, sorted.len()));
    let (fitted, candidates) = choose_fit(&sorted, distribution)?;
    let (p_low, median, p_high) = match &fitted {
        Some(f) => (f.quantile(P_LOW), f.quantile(0.5), f.quantile(P_HIGH)),
        None => (
            quantile_type6(&sorted, P_LOW),
            quantile_type6(&sorted, 0.5),
            quantile_type6(&sorted, P_HIGH),
        ),
    };
    let [pp, ppl, ppu, ppk] = percentile_indices(spec, p_low, median, p_high);
    let ppm_expected = fitted.map(|f| {
        let below = spec.lsl.map(|l| 1e6 * f.cdf(l));
        let above = spec.usl.map(|u| 1e6 * f.sf(u));
        Ppm {
            below,
            above,
            total: below.unwrap_or(0.0) + above.unwrap_or(0.0),
        }
    });
    Ok(PercentileCapability {
        n: sorted.len(),
        distribution: fitted.map_or(Distribution::Nonparametric, |f| f.distribution),
        fit: fitted,
        candidates,
        p_low,
        median,
        p_high,
        pp,
        ppl,
        ppu,
        ppk,
        ppm_expected,
        normality,
        spec: *spec,
    })
}
