//! Run length of a Shewhart attribute chart (p, np, c, u) with rule 1 alone
//! (`reference/spc_notes.md` §2 and §5).
//!
//! The plotted count X is Binomial(n, p) (p and np charts; `x` = p, the
//! fraction nonconforming) or Poisson(n u) (c charts with n = 1, u charts
//! with n inspection units; `x` = u, the mean count per unit). The chart
//! signals when a count is strictly beyond a limit on the count scale, so
//! with the in-control counts ⌈LCL⌉..⌊UCL⌋ (as [`crate::control::oc`])
//!
//! P(signal) = P(X > ⌊UCL⌋) + P(X < ⌈LCL⌉) = 1 − β,
//!
//! each tail from its own function (not 1 − β, which cancels when β is near
//! 1). Points are independent, so the run length is geometric:
//! ARL = 1/P, SDRL = √(1 − P)/P (Montgomery, *Introduction to Statistical
//! Quality Control*, §6.2.6 and §7.2; the same for the zero and the steady
//! state). An LCL at or below 0 has no lower signal (P(X < 0) = 0). The ARL
//! is 1/P as computed, infinite only where no signal is possible (P = 0);
//! there is no chain to solve, so large ARLs keep full precision.

use super::RunLength;
use crate::control::oc::in_control_counts;
use crate::error::{Error, Result};
use crate::numerics::{binomial, poisson};
use crate::parallel;
use rayon::prelude::*;

/// The distribution of an attribute chart's plotted count.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Counts {
    /// Binomial(`trials`, x): p and np charts, x the fraction nonconforming.
    Binomial {
        /// Subgroup size n (at least 1).
        trials: u64,
    },
    /// Poisson(`units` · x): c (1 unit) and u charts, x the mean count per
    /// unit.
    Poisson {
        /// Inspection units per subgroup (positive, need not be whole).
        units: f64,
    },
}

/// Qualities per parallel task.
const MIN_LEN: usize = 256;

/// An attribute chart with rule 1: its count distribution and its limits on
/// the count scale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AttributeChart {
    counts: Counts,
    /// The largest count below the limits (`None`: no lower signal).
    below: Option<u64>,
    /// ⌊UCL⌋, or `None` when UCL < 0 (every count signals).
    top: Option<u64>,
}

impl AttributeChart {
    /// The chart with limits `lcl` ≤ `ucl` on the count scale (np: counts;
    /// p: n·limit; c: counts; u: n·limit).
    ///
    /// # Errors
    /// Limits not finite or `lcl` > `ucl`; `trials` of 0; `units` not
    /// positive and finite.
    pub fn new(counts: Counts, lcl: f64, ucl: f64) -> Result<AttributeChart> {
        if !lcl.is_finite() {
            return Err(Error::invalid("lcl", lcl, "a finite number (count scale)"));
        }
        if !(ucl.is_finite() && ucl >= lcl) {
            return Err(Error::invalid(
                "ucl",
                ucl,
                format!("a finite number >= lcl = {lcl}"),
            ));
        }
        match counts {
            Counts::Binomial { trials: 0 } => {
                return Err(Error::invalid("n", 0, "a whole number >= 1"))
            }
            Counts::Poisson { units } if !(units.is_finite() && units > 0.0) => {
                return Err(Error::invalid("n", units, "a finite number of units > 0"))
            }
            _ => {}
        }
        let (below, top) = in_control_counts(lcl, ucl);
        Ok(AttributeChart {
            counts,
            below,
            top: (ucl >= 0.0).then_some(top),
        })
    }

    /// Checks a quality: a fraction in [0, 1] (binomial), a mean count per
    /// unit ≥ 0 and finite (Poisson); named `name` in the error.
    fn check(&self, name: &str, x: f64) -> Result<()> {
        match self.counts {
            Counts::Binomial { .. } => crate::error::check_unit(name, x),
            Counts::Poisson { .. } if x >= 0.0 && x.is_finite() => Ok(()),
            Counts::Poisson { .. } => Err(Error::invalid(name, x, "a mean count per unit >= 0")),
        }
    }

    /// P(signal) at quality `x` (checked).
    fn signal(&self, x: f64) -> f64 {
        let Some(top) = self.top else {
            return 1.0;
        };
        if self.below.is_some_and(|b| b >= top) {
            return 1.0; // no count is in control
        }
        match self.counts {
            Counts::Binomial { trials } => {
                if self.below.is_some_and(|b| b >= trials) {
                    return 1.0;
                }
                let upper = if top >= trials {
                    0.0
                } else {
                    binomial::sf(top, trials, x)
                };
                upper + self.below.map_or(0.0, |b| binomial::cdf(b, trials, x))
            }
            Counts::Poisson { units } => {
                let mean = x * units;
                poisson::sf(top, mean) + self.below.map_or(0.0, |b| poisson::cdf(b, mean))
            }
        }
    }

    /// The run length at quality `x`: ARL 1/P, SDRL √(1 − P)/P and the
    /// geometric survival P(RL > t) = (1 − P)^t, computed as
    /// exp(t · ln(1 − P)) (`ln_1p`, no rounding carried from t − 1), for
    /// t = 0, 1, ... up to the first t with P(RL > t) ≤ `tail` or t = `t_max`
    /// (as the chains' [`RunLength`]s).
    ///
    /// # Errors
    /// A quality outside its range (see [`Counts`]), named `x`.
    pub fn run_length(&self, x: f64, tail: f64, t_max: usize) -> Result<RunLength> {
        self.check("x", x)?;
        let p = self.signal(x);
        let log_q = (-p).ln_1p();
        let mut survival = vec![1.0];
        for t in 1..=t_max {
            let s = (t as f64 * log_q).exp();
            survival.push(s);
            if s <= tail {
                break;
            }
        }
        Ok(RunLength {
            arl: 1.0 / p,
            sdrl: (1.0 - p).sqrt() / p,
            survival,
        })
    }

    /// The ARL at each quality in `x`, in parallel on qualstat's pool; each
    /// element the same bits as [`AttributeChart::run_length`]'s ARL.
    ///
    /// # Errors
    /// The first quality outside its range, named `x[i]`.
    pub fn arl(&self, x: &[f64]) -> Result<Vec<f64>> {
        // The index is spelled out only for the error (no string per quality).
        if let Some(i) = x.iter().position(|&v| self.check("x", v).is_err()) {
            self.check(&format!("x[{i}]"), x[i])?;
        }
        Ok(parallel::install(|| {
            x.par_iter()
                .with_min_len(MIN_LEN)
                .map(|&v| 1.0 / self.signal(v))
                .collect()
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_limit_and_whole_limits() {
        // c chart, LCL 1.5: counts 0 and 1 signal; UCL 6: 7 and above.
        let c = AttributeChart::new(Counts::Poisson { units: 1.0 }, 1.5, 6.0).unwrap();
        let p = poisson::sf(6, 2.0) + poisson::cdf(1, 2.0);
        assert_eq!(c.arl(&[2.0]).unwrap(), vec![1.0 / p]);
        // LCL below 0: no lower signal; in control everything: ARL infinite.
        let c = AttributeChart::new(Counts::Binomial { trials: 5 }, -1.0, 5.0).unwrap();
        assert_eq!(c.arl(&[0.3]).unwrap(), vec![f64::INFINITY]);
        // UCL below 0 or an empty in-control set: every point signals.
        let c = AttributeChart::new(Counts::Binomial { trials: 5 }, -2.0, -1.0).unwrap();
        let every = c.run_length(0.3, 1e-4, 100).unwrap();
        assert_eq!(
            (every.arl, every.sdrl, every.survival),
            (1.0, 0.0, vec![1.0, 0.0])
        );
        let c = AttributeChart::new(Counts::Poisson { units: 2.0 }, 2.2, 2.8).unwrap();
        let every = c.run_length(1.0, 1e-4, 100).unwrap();
        assert_eq!((every.arl, every.sdrl), (1.0, 0.0));
    }

    #[test]
    fn batch_equals_scalar_and_sdrl_is_geometric() {
        let p = AttributeChart::new(Counts::Binomial { trials: 200 }, 1.2, 19.6).unwrap();
        let u = AttributeChart::new(Counts::Poisson { units: 12.5 }, 3.1, 22.4).unwrap();
        let xs: Vec<f64> = (0..=2000).map(|i| f64::from(i) / 2000.0).collect();
        for chart in [p, u] {
            let batch = chart.arl(&xs).unwrap();
            for (&x, &a) in xs.iter().zip(&batch) {
                let RunLength { arl, sdrl, .. } = chart.run_length(x, 0.5, 1).unwrap();
                assert_eq!(arl.to_bits(), a.to_bits(), "x = {x}");
                // Geometric: Var = (1 − P)/P² = ARL² − ARL (to rounding of ARL²).
                if arl.is_finite() {
                    let var = arl * (arl - 1.0);
                    assert!((sdrl * sdrl - var).abs() <= 1e-12 * arl * arl, "x = {x}");
                }
            }
        }
    }

    #[test]
    fn survival_is_geometric_up_to_the_tail() {
        // c chart, LCL 1.5, UCL 6 at a mean of 2: P = P(X > 6) + P(X <= 1).
        let c = AttributeChart::new(Counts::Poisson { units: 1.0 }, 1.5, 6.0).unwrap();
        let p = poisson::sf(6, 2.0) + poisson::cdf(1, 2.0);
        let rl = c.run_length(2.0, 1e-3, 1_000_000).unwrap();
        let end = rl.survival.len() - 1;
        assert!(rl.survival[end] <= 1e-3 && rl.survival[end - 1] > 1e-3);
        for (t, &s) in rl.survival.iter().enumerate() {
            let want = (1.0 - p).powi(i32::try_from(t).unwrap());
            assert!((s - want).abs() <= 1e-12 * want, "t = {t}");
        }
        // The median: the smallest t with 1 - (1 - P)^t >= 1/2.
        let median = (0.5f64.ln() / (1.0 - p).ln()).ceil() as usize;
        assert_eq!(rl.quantile(0.5), Some(median));
        // Cut at t_max when the tail is not reached (P = 0: no count signals).
        let never = AttributeChart::new(Counts::Binomial { trials: 5 }, -1.0, 5.0).unwrap();
        let rl = never.run_length(0.3, 1e-4, 50).unwrap();
        assert_eq!((rl.arl, rl.survival.len()), (f64::INFINITY, 51));
    }

    #[test]
    fn bad_arguments_are_named() {
        let msg = |e: Error| e.to_string();
        let b = Counts::Binomial { trials: 10 };
        assert!(msg(AttributeChart::new(b, f64::NAN, 1.0).unwrap_err()).contains("lcl"));
        assert!(msg(AttributeChart::new(b, 2.0, 1.0).unwrap_err()).contains("ucl"));
        let zero = Counts::Binomial { trials: 0 };
        assert!(msg(AttributeChart::new(zero, 0.0, 1.0).unwrap_err()).contains('n'));
        let c = AttributeChart::new(b, 0.0, 3.0).unwrap();
        assert!(msg(c.arl(&[0.1, 1.5]).unwrap_err()).contains("x[1]"));
        let u = AttributeChart::new(Counts::Poisson { units: 2.0 }, 0.0, 3.0).unwrap();
        assert!(msg(u.run_length(-1.0, 1e-4, 10).unwrap_err()).contains("x"));
    }
}
