//! Bootstrap confidence intervals for any capability index.
//!
//! Resampling units are the subgroups when the data are subgrouped (so the
//! within-subgroup structure is kept) and the individual values otherwise.
//! Percentile and BCa intervals follow Efron & Tibshirani (1993), *An
//! Introduction to the Bootstrap*, §13.3 and §14.3 (BCa acceleration from
//! the jackknife over the same units).

use super::intervals::{Bound, Interval};
use super::rng::Xoshiro256;
use super::sigma::WithinMethod;
use super::study::{point, prepare, resolve_within, Options, Spec, Subgroups};
use crate::error::{check_confidence, Error, Result};
use crate::numerics::normal;
use rayon::prelude::*;

/// How the bootstrap interval is formed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BootstrapMethod {
    /// Quantiles of the bootstrap distribution.
    Percentile,
    /// Bias-corrected and accelerated quantiles.
    Bca,
}

/// Parses `"percentile"` or `"bca"`.
///
/// # Errors
/// [`Error::UnknownOption`] for any other name.
impl std::str::FromStr for BootstrapMethod {
    type Err = Error;

    fn from_str(name: &str) -> Result<Self> {
        match name {
            "percentile" => Ok(Self::Percentile),
            "bca" => Ok(Self::Bca),
            _ => Err(Error::unknown("bootstrap", name, &["percentile", "bca"])),
        }
    }
}

impl BootstrapMethod {}

/// Settings of a bootstrap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bootstrap {
    /// Number of resamples (at least 100).
    pub resamples: usize,
    /// Seed: equal seeds give equal intervals, whatever the number of threads.
    pub seed: u64,
    /// Percentile or BCa.
    pub method: BootstrapMethod,
}

/// A bootstrap interval with the estimate it surrounds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BootstrapInterval {
    /// The index on the original data.
    pub estimate: f64,
    /// The interval.
    pub interval: Interval,
    /// Resamples that gave a finite index (resamples with zero spread are dropped).
    pub resamples_used: usize,
}

/// Resampling units: start offset and length of each unit in `values`.
struct Units<'a> {
    values: &'a [f64],
    spans: Vec<(usize, usize)>,
    subgrouped: bool,
}

impl Units<'_> {
    /// Index of the resample built from the units chosen by `pick`.
    fn eval(
        &self,
        pick: impl Iterator<Item = usize>,
        buf: &mut (Vec<f64>, Vec<usize>),
        spec: &Spec,
        within: WithinMethod,
        name: &str,
    ) -> Option<f64> {
        let (vals, sizes) = buf;
        vals.clear();
        sizes.clear();
        for u in pick {
            let (s, k) = self.spans[u];
            vals.extend_from_slice(&self.values[s..s + k]);
            sizes.push(k);
        }
        let sizes = self.subgrouped.then_some(sizes.as_slice());
        let p = point(vals, sizes, spec, within).ok()?;
        p.index(name).ok().flatten().filter(|v| v.is_finite())
    }
}

/// Linear-interpolation quantile of sorted values (Hyndman–Fan type 7).
fn quantile_sorted(x: &[f64], p: f64) -> f64 {
    let h = p.clamp(0.0, 1.0) * (x.len() - 1) as f64;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(x.len() - 1);
    x[lo] + (h - lo as f64) * (x[hi] - x[lo])
}

/// Bootstrap confidence interval of the index `index` (`"cp"`, `"cpk"`,
/// `"cpl"`, `"cpu"`, `"pp"`, `"ppk"`, `"ppl"`, `"ppu"`, `"cpm"`), resamples
/// computed in parallel on qualstat's pool.
///
/// # Errors
/// Those of [`super::capability`]; [`Error::InvalidArgument`] for fewer than
/// 100 resamples; [`Error::UnknownOption`] for an unknown index;
/// [`Error::NotAvailable`] if the index is not defined for the specification;
/// [`Error::NoSolution`] if fewer than half the resamples give a finite index.
pub fn bootstrap_interval(
    data: &[f64],
    subgroups: &Subgroups,
    spec: &Spec,
    options: &Options,
    index: &str,
    boot: &Bootstrap,
) -> Result<BootstrapInterval> {
    check_confidence(options.confidence)?;
    spec.validate()?;
    if boot.resamples < 100 {
        return Err(Error::invalid("resamples", boot.resamples, "at least 100"));
    }
    let prepared = prepare(data, subgroups, options.nan_policy)?;
    let sizes = prepared.sizes.as_deref();
    let within = resolve_within(options.within, sizes)?;
    let estimate = point(&prepared.values, sizes, spec, within)?
        .index(index)?
        .ok_or_else(|| {
            Error::NotAvailable(format!("{index} is not defined for this specification"))
        })?;
    let spans: Vec<(usize, usize)> = match sizes {
        Some(s) => s
            .iter()
            .scan(0, |start, &k| {
                let span = (*start, k);
                *start += k;
                Some(span)
            })
            .collect(),
        None => (0..prepared.values.len()).map(|i| (i, 1)).collect(),
    };
    let units = Units {
        values: &prepared.values,
        spans,
        subgrouped: sizes.is_some(),
    };
    let m = units.spans.len();
    let new_buf = || {
        (
            Vec::with_capacity(prepared.values.len()),
            Vec::with_capacity(m),
        )
    };
    let mut stats: Vec<f64> = crate::parallel::install(|| {
        (0..boot.resamples)
            .into_par_iter()
            .map_init(new_buf, |buf, r| {
                let mut rng = Xoshiro256::new(boot.seed, r as u64);
                units.eval((0..m).map(|_| rng.below(m)), buf, spec, within, index)
            })
            .flatten()
            .collect()
    });
    if stats.len() * 2 < boot.resamples {
        return Err(Error::NoSolution(format!(
            "only {} of {} bootstrap resamples gave a finite {index}",
            stats.len(),
            boot.resamples
        )));
    }
    stats.sort_by(f64::total_cmp);
    let alpha = 1.0 - options.confidence;
    let (p_lo, p_hi) = match options.bound {
        Bound::TwoSided => (0.5 * alpha, 1.0 - 0.5 * alpha),
        Bound::Lower => (alpha, 1.0),
    };
    let (q_lo, q_hi) = match boot.method {
        BootstrapMethod::Percentile => (p_lo, p_hi),
        BootstrapMethod::Bca => {
            let below = stats.iter().filter(|&&t| t < estimate).count() as f64;
            let ties = stats.iter().filter(|&&t| t == estimate).count() as f64;
            let z0 = normal::quantile(
                ((below + 0.5 * ties) / stats.len() as f64).clamp(1e-10, 1.0 - 1e-10),
            );
            let jack: Vec<f64> = crate::parallel::install(|| {
                (0..m)
                    .into_par_iter()
                    .map_init(new_buf, |buf, j| {
                        units.eval((0..m).filter(|&u| u != j), buf, spec, within, index)
                    })
                    .flatten()
                    .collect()
            });
            let jm = jack.iter().sum::<f64>() / jack.len().max(1) as f64;
            let (s2, s3) = jack.iter().fold((0.0, 0.0), |(a, b), &t| {
                let d = jm - t;
                (a + d * d, b + d * d * d)
            });
            let a = if s2 > 0.0 {
                s3 / (6.0 * s2.powf(1.5))
            } else {
                0.0
            };
            let adjust = |p: f64| {
                if p >= 1.0 {
                    return 1.0;
                }
                let z = normal::quantile(p);
                normal::cdf(z0 + (z0 + z) / (1.0 - a * (z0 + z)))
            };
            (adjust(p_lo), adjust(p_hi))
        }
    };
    let upper = if options.bound == Bound::Lower {
        f64::INFINITY
    } else {
        quantile_sorted(&stats, q_hi)
    };
    Ok(BootstrapInterval {
        estimate,
        interval: Interval {
            lower: quantile_sorted(&stats, q_lo),
            upper,
        },
        resamples_used: stats.len(),
    })
}
