//! Bootstrap confidence intervals for any capability index.
//!
//! Resampling units are the subgroups when the data are subgrouped (so the
//! within-subgroup structure is kept) and the individual values otherwise.
//! Percentile and BCa intervals follow Efron & Tibshirani (1993), *An
//! Introduction to the Bootstrap*, §13.3 and §14.3 (BCa acceleration from
//! the jackknife over the same units). Every requested index is computed on
//! each resample, so one pass gives all the intervals of a study.

use super::rng::Xoshiro256;
use super::sigma::WithinMethod;
use super::study::{point, prepare, resolve_within, Index, Options, Prepared, Spec, Subgroups};
use crate::error::{check_confidence, Error, Result};
use crate::numerics::normal;
use crate::numerics::summary::quantile_sorted;
use crate::options::named_options;
use crate::proportion::{Bound, Interval};
use rayon::prelude::*;

named_options! {
    /// How the bootstrap interval is formed.
    pub enum BootstrapMethod for "bootstrap" {
        /// Quantiles of the bootstrap distribution.
        Percentile = "percentile",
        /// Bias-corrected and accelerated quantiles.
        Bca = "bca",
    }
}

/// The largest number of resamples. Every resample keeps one value per
/// requested index (at most 9 × 8 bytes), so 10⁶ resamples need at most 72 MB.
pub const MAX_RESAMPLES: usize = 1_000_000;

/// Settings of a bootstrap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bootstrap {
    /// Number of resamples (100 to [`MAX_RESAMPLES`]).
    pub resamples: usize,
    /// Seed: equal seeds give equal intervals, whatever the number of threads.
    pub seed: u64,
    /// Percentile or BCa.
    pub method: BootstrapMethod,
}

impl Bootstrap {
    /// Checks the number of resamples.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] naming `resamples` outside 100..=[`MAX_RESAMPLES`].
    pub fn validate(&self) -> Result<()> {
        if (100..=MAX_RESAMPLES).contains(&self.resamples) {
            Ok(())
        } else {
            Err(Error::invalid(
                "resamples",
                self.resamples,
                format!("a number of bootstrap resamples from 100 to {MAX_RESAMPLES}"),
            ))
        }
    }
}

/// A bootstrap interval with the estimate it surrounds.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct BootstrapInterval {
    /// The index on the original data.
    pub estimate: f64,
    /// The interval.
    pub interval: Interval,
    /// Resamples that gave a finite index (resamples with zero spread are dropped).
    pub resamples_used: usize,
}

/// The values of up to nine indices on one resample (NaN where undefined).
type Row = [f64; 9];

/// Resampling units: start offset and length of each unit in `values`.
struct Units<'a> {
    values: &'a [f64],
    spans: Vec<(usize, usize)>,
    subgrouped: bool,
    spec: &'a Spec,
    within: WithinMethod,
    indices: &'a [Index],
}

impl<'a> Units<'a> {
    /// The subgroups (or single values) of `prepared` as resampling units.
    fn new(
        prepared: &'a Prepared,
        spec: &'a Spec,
        within: WithinMethod,
        indices: &'a [Index],
    ) -> Self {
        let spans = match prepared.sizes.as_deref() {
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
        Self {
            values: &prepared.values,
            spans,
            subgrouped: prepared.sizes.is_some(),
            spec,
            within,
            indices,
        }
    }

    fn buffer(&self) -> (Vec<f64>, Vec<usize>) {
        (
            Vec::with_capacity(self.values.len()),
            Vec::with_capacity(self.spans.len()),
        )
    }

    /// The indices of the resample built from the units chosen by `pick`
    /// (NaN where an index is undefined or not finite).
    fn eval(&self, pick: impl Iterator<Item = usize>, buf: &mut (Vec<f64>, Vec<usize>)) -> Row {
        let (vals, sizes) = buf;
        vals.clear();
        sizes.clear();
        for u in pick {
            let (s, k) = self.spans[u];
            vals.extend_from_slice(&self.values[s..s + k]);
            sizes.push(k);
        }
        let mut row = [f64::NAN; 9];
        let sizes = self.subgrouped.then_some(sizes.as_slice());
        if let Ok(p) = point(vals, sizes, self.spec, self.within) {
            for (slot, &index) in row.iter_mut().zip(self.indices) {
                *slot = p.index(index).filter(|v| v.is_finite()).unwrap_or(f64::NAN);
            }
        }
        row
    }

    /// The indices on each of `resamples` resamples (stream r of `seed` for resample r).
    fn resamples(&self, resamples: usize, seed: u64) -> Vec<Row> {
        let m = self.spans.len();
        crate::parallel::install(|| {
            (0..resamples)
                .into_par_iter()
                .map_init(
                    || self.buffer(),
                    |buf, r| {
                        let mut rng = Xoshiro256::new(seed, r as u64);
                        self.eval((0..m).map(|_| rng.below(m)), buf)
                    },
                )
                .collect()
        })
    }

    /// The indices with each unit left out in turn (the jackknife).
    fn jackknife(&self) -> Vec<Row> {
        let m = self.spans.len();
        crate::parallel::install(|| {
            (0..m)
                .into_par_iter()
                .map_init(
                    || self.buffer(),
                    |buf, j| self.eval((0..m).filter(|&u| u != j), buf),
                )
                .collect()
        })
    }
}

/// The finite values of column `j` of `rows`, in order.
fn column(rows: &[Row], j: usize) -> Vec<f64> {
    rows.iter()
        .map(|r| r[j])
        .filter(|v| v.is_finite())
        .collect()
}

/// The BCa adjustment p ↦ Φ(z₀ + (z₀ + z_p)/(1 − a(z₀ + z_p))) with the bias
/// correction z₀ = Φ⁻¹(#{θ* < θ̂} + ½ #{θ* = θ̂})/B) and the acceleration
/// a = Σ(θ̄ − θ₍ⱼ₎)³ / (6 (Σ(θ̄ − θ₍ⱼ₎)²)^{3/2}) of the jackknife values θ₍ⱼ₎.
fn bca_adjust(sorted: &[f64], estimate: f64, jack: &[f64]) -> impl Fn(f64) -> f64 {
    let below = sorted.iter().filter(|&&t| t < estimate).count() as f64;
    let ties = sorted.iter().filter(|&&t| t == estimate).count() as f64;
    let z0 =
        normal::quantile(((below + 0.5 * ties) / sorted.len() as f64).clamp(1e-10, 1.0 - 1e-10));
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
    move |p: f64| {
        if p >= 1.0 {
            return 1.0;
        }
        let z = normal::quantile(p);
        normal::cdf(z0 + (z0 + z) / (1.0 - a * (z0 + z)))
    }
}

/// The interval from the sorted bootstrap values of one index.
fn limits(
    sorted: &[f64],
    estimate: f64,
    jack: Option<&[f64]>,
    index: Index,
    options: &Options,
) -> Interval {
    let alpha = 1.0 - options.confidence;
    let (p_lo, p_hi) = match options.bound {
        Bound::TwoSided => (0.5 * alpha, 1.0 - 0.5 * alpha),
        Bound::Lower => (alpha, 1.0),
        Bound::Upper => (0.0, options.confidence),
    };
    let (q_lo, q_hi) = match jack {
        None => (p_lo, p_hi),
        Some(jack) => {
            let adjust = bca_adjust(sorted, estimate, jack);
            (adjust(p_lo), adjust(p_hi))
        }
    };
    Interval {
        lower: if options.bound == Bound::Upper {
            index.floor()
        } else {
            quantile_sorted(sorted, q_lo)
        },
        upper: if options.bound == Bound::Lower {
            f64::INFINITY
        } else {
            quantile_sorted(sorted, q_hi)
        },
    }
}

/// Bootstrap intervals of `indices` on prepared data with a resolved within
/// method, all from the same resamples.
pub(crate) fn bootstrap_indices(
    prepared: &Prepared,
    spec: &Spec,
    within: WithinMethod,
    options: &Options,
    indices: &[Index],
    boot: &Bootstrap,
) -> Result<Vec<BootstrapInterval>> {
    boot.validate()?;
    if indices.len() > Index::ALL.len() {
        return Err(Error::invalid(
            "indices",
            indices.len(),
            format!("at most {} indices", Index::ALL.len()),
        ));
    }
    let full = point(&prepared.values, prepared.sizes.as_deref(), spec, within)?;
    let estimates = indices
        .iter()
        .map(|&i| {
            full.index(i).ok_or_else(|| {
                Error::NotAvailable(format!("{i} is not defined for this specification"))
            })
        })
        .collect::<Result<Vec<f64>>>()?;
    let units = Units::new(prepared, spec, within, indices);
    let rows = units.resamples(boot.resamples, boot.seed);
    let jack = (boot.method == BootstrapMethod::Bca).then(|| units.jackknife());
    indices
        .iter()
        .zip(estimates)
        .enumerate()
        .map(|(j, (&index, estimate))| {
            let mut stats = column(&rows, j);
            if stats.len() * 2 < boot.resamples {
                return Err(Error::NoSolution(format!(
                    "only {} of {} bootstrap resamples gave a finite {index}",
                    stats.len(),
                    boot.resamples
                )));
            }
            stats.sort_by(f64::total_cmp);
            let jack = jack.as_ref().map(|rows| column(rows, j));
            Ok(BootstrapInterval {
                estimate,
                interval: limits(&stats, estimate, jack.as_deref(), index, options),
                resamples_used: stats.len(),
            })
        })
        .collect()
}

/// Bootstrap confidence interval of `index`, resamples computed in parallel
/// on qualstat's pool.
///
/// # Examples
/// ```
/// use qualstat::capability::{bootstrap_interval, Bootstrap, BootstrapMethod, Index, Options, Spec, Subgroups};
/// let x: Vec<f64> = (0..40).map(|i| 10.0 + ((i * 7) % 11) as f64 / 10.0).collect();
/// let spec = Spec { lsl: Some(9.0), usl: Some(12.0), target: None };
/// let boot = Bootstrap { resamples: 200, seed: 1, method: BootstrapMethod::Percentile };
/// let b = bootstrap_interval(&x, &Subgroups::Individuals, &spec, &Options::default(), Index::Ppk, &boot).unwrap();
/// assert!(b.interval.lower < b.estimate && b.estimate < b.interval.upper);
/// ```
///
/// # Errors
/// Those of [`super::capability`]; [`Error::InvalidArgument`] for a number of
/// resamples outside 100..=[`MAX_RESAMPLES`]; [`Error::NotAvailable`] if the
/// index is not defined for the specification; [`Error::NoSolution`] if fewer
/// than half the resamples give a finite index.
pub fn bootstrap_interval(
    data: &[f64],
    subgroups: &Subgroups,
    spec: &Spec,
    options: &Options,
    index: Index,
    boot: &Bootstrap,
) -> Result<BootstrapInterval> {
    check_confidence(options.confidence)?;
    spec.validate()?;
    boot.validate()?;
    let prepared = prepare(data, subgroups, options.nan_policy)?;
    let within = resolve_within(
        options.within,
        prepared.sizes.as_deref().map(|s| s.iter().copied()),
    )?;
    let mut one = bootstrap_indices(&prepared, spec, within, options, &[index], boot)?;
    one.pop()
        .ok_or_else(|| Error::NoSolution(format!("no bootstrap interval for {index}")))
}
