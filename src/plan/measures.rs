//! Derived measures: AOQL, quality at a given acceptance probability, and the
//! ASN of curtailed single sampling.

use super::model::{check_lot, required_lot, Quality};
use super::oc::{evaluate_raw, point, Workspace};
use super::{AttributePlan, Model};
use crate::error::{check_open_unit, Error, Result};
use crate::numerics::{binomial, optimize, roots, search};
use std::cmp::Ordering;

/// Curtailment of a single plan (inspection stops once the decision is certain).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Curtailment {
    /// Stop at the (c+1)-th nonconforming item (rejection) only.
    Semi,
    /// Stop at the (c+1)-th nonconforming item or at the (n−c)-th conforming one.
    Full,
}

/// Number of golden-section steps: the bracket shrinks by 0.618^100 ≈ 1e-21.
const GOLDEN_STEPS: usize = 100;
/// Grid points scanned before refining a maximum.
const SCAN_POINTS: usize = 256;

impl AttributePlan {
    /// ASN of a curtailed single plan under the binomial model.
    ///
    /// # Formula
    /// Hald & Møller (1976), with B(·; m, p) the binomial cdf and q = 1 − p:
    /// * full: ASN = (n − c)/q · B(c; n+1, p) + (c+1)/p · [1 − B(c+1; n+1, p)];
    /// * semi: ASN = n · B(c; n, p) + (c+1)/p · [1 − B(c+1; n+1, p)].
    ///
    /// # Errors
    /// [`Error::NotAvailable`] for multi-stage plans or a final gap;
    /// [`Error::InvalidArgument`] for `p` outside [0, 1].
    pub fn asn_curtailed(&self, p: f64, curtailment: Curtailment) -> Result<f64> {
        if self.stages() != 1 || self.has_final_gap() {
            return Err(Error::NotAvailable(
                "curtailed ASN is available for single plans (re = ac + 1) only".into(),
            ));
        }
        if !(0.0..=1.0).contains(&p) {
            return Err(Error::invalid("p", p, "a fraction nonconforming in [0, 1]"));
        }
        let n = self.n[0];
        let c = self.re[0] - 1;
        let reject_part = |p: f64| (c + 1) as f64 / p * binomial::sf(c + 1, n + 1, p);
        Ok(match curtailment {
            Curtailment::Full if p == 0.0 => (n - c) as f64,
            Curtailment::Full if p == 1.0 => (c + 1).min(n) as f64,
            Curtailment::Full => {
                (n - c) as f64 / (1.0 - p) * binomial::cdf(c, n + 1, p) + reject_part(p)
            }
            Curtailment::Semi if p == 0.0 => n as f64,
            Curtailment::Semi => n as f64 * binomial::cdf(c, n, p) + reject_part(p),
        })
    }

    /// The average outgoing quality limit, the maximum of AOQ over quality,
    /// and the quality at which it occurs: `(aoql, p)`.
    ///
    /// A scan of 256 points up to the quality where Pa falls to 1e-12, then a
    /// golden-section search around the best point (the AOQ curve of a
    /// single plan is unimodal); for the hypergeometric models the search runs
    /// over whole numbers of nonconforming items `D`, and `p = D / N`.
    ///
    /// # Errors
    /// As [`AttributePlan::evaluate`]; the hypergeometric models need a lot size.
    pub fn aoql(&self, model: Model, lot_size: Option<u64>) -> Result<(f64, f64)> {
        if let Some(lot) = lot_size {
            check_lot(lot, self.max_sample_size())?;
        }
        let mut ws = Workspace::default();
        if model.is_hypergeometric() {
            let lot = required_lot(lot_size)?;
            let mut aoq_at = |d: u64| {
                let q = Quality::hyper(model, lot, d);
                let p = d as f64 / lot as f64;
                point(p, evaluate_raw(self, q, &mut ws), lot_size).aoq
            };
            let (mut best_d, mut best) = (0u64, 0.0);
            let step = (lot / SCAN_POINTS as u64).max(1);
            let mut d = 0;
            while d <= lot {
                let v = aoq_at(d);
                if v > best {
                    (best_d, best) = (d, v);
                }
                d += step;
            }
            let (lo, hi) = (best_d.saturating_sub(step), (best_d + step).min(lot));
            for d in lo..=hi {
                let v = aoq_at(d);
                if v > best {
                    (best_d, best) = (d, v);
                }
            }
            return Ok((best, best_d as f64 / lot as f64));
        }
        // A plan that accepts even at p = 1 (ac >= total sample) has its
        // binomial AOQL at p = 1.
        let p_hi = match self.quality_at(1e-12, model, None) {
            Err(Error::NoSolution(_)) if model == Model::Binomial => 1.0,
            other => other?,
        };
        let mut aoq_at = |p: f64| {
            // Points beyond p = 1 (binomial) are not qualities: AOQ 0 there.
            Quality::resolve(p, model, None).map_or(0.0, |q| {
                point(p, evaluate_raw(self, q, &mut ws), lot_size).aoq
            })
        };
        let h = p_hi / SCAN_POINTS as f64;
        let (mut best_i, mut best) = (0usize, 0.0);
        for i in 1..=SCAN_POINTS {
            let v = aoq_at(h * i as f64);
            if v > best {
                (best_i, best) = (i, v);
            }
        }
        let (a, b) = (h * (best_i as f64 - 1.0), h * (best_i as f64 + 1.0));
        let (p, v) = optimize::maximize(aoq_at, a, b, GOLDEN_STEPS);
        Ok(if v >= best {
            (v, p)
        } else {
            (best, h * best_i as f64)
        })
    }

    /// The quality at which the probability of acceptance equals `pa`
    /// (e.g. 0.95: the producer's point "p95"; 0.50: the indifference
    /// quality; 0.10: the limiting quality "p10").
    ///
    /// Pa decreases in p; the root is bracketed and bisected to full double
    /// precision. For the hypergeometric models p = D/N is discrete: the result
    /// is the largest `D / N` with Pa(D) >= `pa`.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for `pa` outside (0, 1) and the errors of
    /// [`AttributePlan::evaluate`]; [`Error::NoSolution`] when the plan
    /// accepts with probability >= `pa` even at the worst quality.
    pub fn quality_at(&self, pa: f64, model: Model, lot_size: Option<u64>) -> Result<f64> {
        check_open_unit("pa", pa)?;
        if let Some(lot) = lot_size {
            check_lot(lot, self.max_sample_size())?;
        }
        let mut ws = Workspace::default();
        let no_solution = || {
            Error::NoSolution(format!(
                "the plan {self} accepts with probability >= {pa} at every quality level"
            ))
        };
        if model.is_hypergeometric() {
            let lot = required_lot(lot_size)?;
            let mut pa_at = |d: u64| {
                let q = Quality::hyper(model, lot, d);
                evaluate_raw(self, q, &mut ws).pa
            };
            if pa_at(lot) >= pa {
                return Err(no_solution());
            }
            // The first D in (0, lot] with Pa(D) < pa (or NaN), less one.
            let first_below = search::bisect(0, lot, |d| {
                pa_at(d).partial_cmp(&pa).is_none_or(Ordering::is_lt)
            });
            return Ok(first_below.saturating_sub(1) as f64 / lot as f64);
        }
        let mut pa_at = |p: f64| {
            let q = match model {
                Model::Poisson => Quality::Poisson(p),
                _ => Quality::Binomial(p),
            };
            evaluate_raw(self, q, &mut ws).pa
        };
        let hi = if model == Model::Poisson {
            let mut h = 1.0 / self.max_sample_size() as f64;
            while pa_at(h) >= pa {
                h *= 2.0;
                if h > 1e12 {
                    return Err(no_solution());
                }
            }
            h
        } else {
            if pa_at(1.0) >= pa {
                return Err(no_solution());
            }
            1.0
        };
        // Pa(p) < pa (or NaN) from the flip up.
        Ok(roots::bisect_flip(0.0, hi, 0.0, |p| {
            pa_at(p).partial_cmp(&pa).is_none_or(Ordering::is_lt)
        }))
    }
}
