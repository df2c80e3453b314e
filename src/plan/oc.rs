//! Operating characteristic, ASN, AOQ and ATI of single, double and multiple plans.
//!
//! # Formula
//! One pass over the stages carries the distribution of the cumulative count
//! `d` over the "continue" region `ac_j < d < re_j` (Schilling & Neubauer 2009,
//! ch. 5-6; the path enumeration of AcceptanceSampling `calc.OCbinomial.pdi`
//! written as a convolution):
//!
//! * P(accept at stage j) = Σ_k P(reach j, d = k) · F(lim_j − k | stage j),
//!   `lim_j = ac_j` (or `re_j − 1` at the last stage);
//! * P(reach j+1, d = t) = Σ_k P(reach j, d = k) · f(t − k | stage j), ac_j < t < re_j;
//! * Pa = Σ_j P(accept at j); ASN = Σ_j n_j · P(reach j);
//! * rectifying inspection of a lot of N items (rejected lots screened,
//!   nonconforming items replaced): AOQ = p · Σ_j P(accept at j)(N − N_j)/N and
//!   ATI = Σ_j N_j · P(accept at j) + N (1 − Pa), N_j the cumulative sample
//!   size (SAS/QC AOQ2 and ATI2; Dodge & Romig for single plans). Without a
//!   lot size AOQ is the infinite-lot limit p · Pa.
//!
//! The stage counts are Bin(n_j, p), Poisson(n_j p), Hyp(N − N_{j−1}, D − k, n_j)
//! (exact sequential model) or Hyp(N, D, n_j) (original-lot model).

use super::model::{check_lot, Quality};
use super::{AttributePlan, Model};
use crate::error::{Error, Result};
use crate::numerics;

/// OC, ASN, AOQ and ATI of a plan at one quality level.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct OcPoint {
    /// The quality level (fraction nonconforming, or nonconformities per unit for Poisson).
    pub p: f64,
    /// Probability of accepting the lot.
    pub prob_accept: f64,
    /// Average sample number (no curtailment).
    pub asn: f64,
    /// Average outgoing quality under rectifying inspection (p · Pa without a lot size).
    pub aoq: f64,
    /// Average total inspection per lot (needs a lot size).
    pub ati: Option<f64>,
}

/// Raw sums of one evaluation: Pa, ASN and Σ_j N_j P(accept at j).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Raw {
    pub pa: f64,
    pub asn: f64,
    pub accepted_sample: f64,
}

/// Reusable buffers for [`evaluate_raw`].
#[derive(Debug, Default)]
pub(crate) struct Workspace {
    cur: Vec<f64>,
    next: Vec<f64>,
    pmf: Vec<f64>,
    cdf: Vec<f64>,
}

/// Fills `out[0..=m]` with a unimodal pmf on the support `[lo, hi]`:
/// the value at the mode (clamped into `[lo, min(hi, m)]`) comes from `anchor`,
/// the others from the ratio `ratio(x) = f(x + 1) / f(x)`.
fn fill_unimodal(
    out: &mut Vec<f64>,
    m: usize,
    (lo, hi): (u64, u64),
    mode: u64,
    anchor: impl Fn(u64) -> f64,
    ratio: impl Fn(u64) -> f64,
) {
    out.clear();
    out.resize(m + 1, 0.0);
    let top = hi.min(m as u64);
    if lo > top {
        return;
    }
    let a = mode.clamp(lo, top);
    out[a as usize] = anchor(a);
    for x in a..top {
        out[x as usize + 1] = out[x as usize] * ratio(x);
    }
    for x in (lo + 1..=a).rev() {
        out[x as usize - 1] = out[x as usize] / ratio(x - 1);
    }
}

/// [`fill_unimodal`] anchored at x = 0 from `ln_f0 = ln f(0)` (no log-gamma)
/// unless f(0) would underflow; then at `mode` from `pmf`.
fn fill_from_zero(
    out: &mut Vec<f64>,
    m: usize,
    support: (u64, u64),
    ln_f0: f64,
    mode: u64,
    pmf: impl Fn(u64) -> f64,
    ratio: impl Fn(u64) -> f64,
) {
    let anchor = if ln_f0 > -700.0 { 0 } else { mode };
    fill_unimodal(
        out,
        m,
        support,
        anchor,
        |x| if x == 0 { ln_f0.exp() } else { pmf(x) },
        ratio,
    );
}

/// 1/k for k = 0..256 (entry 0 unused), so the pmf recurrences multiply
/// instead of dividing in the common range.
static RECIPROCALS: [f64; 256] = {
    let mut t = [0.0; 256];
    let mut k = 1;
    while k < 256 {
        t[k] = 1.0 / k as f64;
        k += 1;
    }
    t
};

/// 1/k for k >= 1.
#[inline]
fn recip(k: u64) -> f64 {
    match RECIPROCALS.get(k as usize) {
        Some(&r) if k > 0 => r,
        _ => 1.0 / k as f64,
    }
}

fn fill_binomial(out: &mut Vec<f64>, m: usize, n: u64, p: f64) {
    let support = if p == 0.0 {
        (0, 0)
    } else if p == 1.0 {
        (n, n)
    } else {
        (0, n)
    };
    let odds = p / (1.0 - p);
    fill_from_zero(
        out,
        m,
        support,
        // f(0) = q^n
        n as f64 * (-p).ln_1p(),
        ((n as f64 + 1.0) * p).floor() as u64,
        |x| numerics::binomial::pmf(x, n, p),
        |x| (n - x) as f64 * recip(x + 1) * odds,
    );
}

fn fill_poisson(out: &mut Vec<f64>, m: usize, lambda: f64) {
    let support = if lambda == 0.0 { (0, 0) } else { (0, u64::MAX) };
    fill_from_zero(
        out,
        m,
        support,
        // f(0) = e^-λ
        -lambda,
        lambda.floor() as u64,
        |x| numerics::poisson::pmf(x, lambda),
        |x| lambda * recip(x + 1),
    );
}

fn fill_hyper(out: &mut Vec<f64>, m: usize, lot: u64, defective: u64, draws: u64) {
    let support = numerics::hypergeometric::support(lot, defective, draws);
    let mode =
        ((draws as f64 + 1.0) * (defective as f64 + 1.0) / (lot as f64 + 2.0)).floor() as u64;
    let good = lot - defective;
    fill_unimodal(
        out,
        m,
        support,
        mode,
        |x| numerics::hypergeometric::pmf(x, lot, defective, draws),
        |x| {
            ((defective - x) as f64 * (draws - x) as f64)
                / ((x + 1) as f64 * (good + x + 1 - draws) as f64)
        },
    );
}

/// The largest cumulative count after drawing `cum_n` items that has a
/// probability worth tracking: the items drawn (binomial; hypergeometric also
/// at most D), or for Poisson(λ) λ + 40√λ + 800, beyond which the tail
/// probability is below exp(−t²/(2(λ + t/3))) < 1e-300 with t = 40√λ + 800
/// (Bernstein's inequality).
fn count_cap(q: Quality, cum_n: u64) -> u64 {
    match q {
        Quality::Binomial(_) => cum_n,
        Quality::Hyper { defective, .. } => cum_n.min(defective),
        Quality::Poisson(p) => {
            let lambda = p * cum_n as f64;
            // Saturating float-to-int conversion.
            (lambda + 40.0 * lambda.sqrt() + 800.0).ceil() as u64
        }
    }
}

/// Single plans that would track more counts than this are evaluated from
/// the distribution's cdf directly.
const DIRECT_SINGLE_FROM: u64 = 4096;

/// A single plan with a large acceptance limit `c` (beyond
/// [`DIRECT_SINGLE_FROM`] counts that can occur): Pa = F(c) from the
/// binomial, Poisson or hypergeometric cdf (incomplete beta or gamma, or the
/// hypergeometric tail sum), instead of filling c + 1 pmf terms per point;
/// ASN = n and Σ_j N_j P(accept at j) = n · Pa. `None` for other plans.
fn single_direct(plan: &AttributePlan, q: Quality) -> Option<Raw> {
    if plan.stages() != 1 {
        return None;
    }
    let (n, c) = (plan.n[0], plan.accept_limit(0)?);
    if c.min(count_cap(q, n)) < DIRECT_SINGLE_FROM {
        return None;
    }
    let pa = match q {
        Quality::Binomial(p) => numerics::binomial::cdf(c, n, p),
        Quality::Poisson(p) => numerics::poisson::cdf(c, n as f64 * p),
        Quality::Hyper { lot, defective, .. } => {
            numerics::hypergeometric::cdf(c, lot, defective, n)
        }
    }
    .clamp(0.0, 1.0);
    Some(Raw {
        pa,
        asn: n as f64,
        accepted_sample: pa * n as f64,
    })
}

/// `re_j` clipped at the largest count that can occur after stage `j`, plus one.
/// Counts above the cap of a stage have probability 0 (or below 1e-300), so
/// the ranges are clipped there; re and the caps are non-decreasing, so the
/// last stage's clipped re - 1 is the largest count needed.
fn clipped_re(plan: &AttributePlan, q: Quality, j: usize) -> usize {
    plan.re[j].min(count_cap(q, plan.cum_n[j]).saturating_add(1)) as usize
}

/// Fills `pmf` with the count distribution of a sample of `draws` items (up
/// to count `m`) and `cdf` with its running sums. `Hyper` fills it from a lot
/// of `lot` items holding `defective` nonconforming ones.
fn fill_stage(pmf: &mut Vec<f64>, cdf: &mut Vec<f64>, q: Quality, m: usize, draws: u64) {
    match q {
        Quality::Binomial(p) => fill_binomial(pmf, m, draws, p),
        Quality::Poisson(p) => fill_poisson(pmf, m, draws as f64 * p),
        Quality::Hyper { lot, defective, .. } => fill_hyper(pmf, m, lot, defective, draws),
    }
    cdf.clear();
    let mut acc = 0.0;
    cdf.extend(pmf.iter().map(|f| {
        acc += f;
        acc
    }));
}

/// One stage `j`: from the distribution `cur` of the cumulative count of the
/// lots that reach it, returns P(accept at j) and leaves in `next` the
/// distribution of the counts that continue to stage j + 1. `pmf`/`cdf` hold
/// the stage's count distribution unless the model is the sequential
/// hypergeometric one, whose distribution depends on the count so far and is
/// filled here for each count.
fn stage_step(
    plan: &AttributePlan,
    q: Quality,
    j: usize,
    cur: &[f64],
    next: &mut Vec<f64>,
    pmf: &mut Vec<f64>,
    cdf: &mut Vec<f64>,
) -> f64 {
    let nj = plan.n[j];
    let re = clipped_re(plan, q, j);
    let cap = count_cap(q, plan.cum_n[j]);
    let limit = plan.accept_limit(j).map(|a| a.min(cap));
    // Every count that can occur accepts: no summation round-off.
    let certain = limit == Some(cap);
    let last = j + 1 == plan.stages();
    // The first count that continues to stage j + 1.
    let cont_from = limit.map_or(0, |a| a as usize + 1);
    let m = re - 1;
    next.clear();
    if !last {
        next.resize(re, 0.0);
    }
    let drawn_before = plan.cum_n[j] - nj;
    let mut accepted = 0.0;
    for (k, &w) in cur.iter().enumerate() {
        if w == 0.0 {
            continue;
        }
        if let Quality::Hyper {
            lot,
            defective,
            sequential: true,
        } = q
        {
            let k64 = k as u64;
            let remaining = lot - drawn_before;
            if k64 > defective || defective - k64 > remaining {
                continue;
            }
            let left = Quality::Hyper {
                lot: remaining,
                defective: defective - k64,
                sequential: true,
            };
            fill_stage(pmf, cdf, left, m - k, nj);
        }
        // pmf and cdf are indexed by this stage's count x = t - k.
        if certain {
            accepted += w;
        } else if let Some(a) = limit {
            let a = a as usize;
            if a >= k {
                accepted += w * cdf[a - k].min(1.0);
            }
        }
        if !last {
            for t in cont_from.max(k)..re {
                next[t] += w * pmf[t - k];
            }
        }
    }
    accepted
}

/// One pass over the stages of `plan` at quality `q` (see the module docs).
pub(crate) fn evaluate_raw(plan: &AttributePlan, q: Quality, ws: &mut Workspace) -> Raw {
    if let Some(raw) = single_direct(plan, q) {
        return raw;
    }
    let Workspace {
        cur,
        next,
        pmf,
        cdf,
    } = ws;
    cur.clear();
    cur.push(1.0);
    let (mut pa, mut asn, mut accepted_sample) = (0.0, 0.0, 0.0);
    let stages = plan.stages();
    let m_all = clipped_re(plan, q, stages - 1) - 1;
    // Stage counts independent of the path share one pmf, filled up to the
    // largest count any stage needs and reused while n_j does not change.
    let shared = !matches!(
        q,
        Quality::Hyper {
            sequential: true,
            ..
        }
    );
    let mut filled_for: Option<u64> = None;
    for j in 0..stages {
        let reach: f64 = cur.iter().sum();
        if reach == 0.0 {
            break;
        }
        let nj = plan.n[j];
        asn += nj as f64 * reach;
        if shared && filled_for != Some(nj) {
            filled_for = Some(nj);
            fill_stage(pmf, cdf, q, m_all, nj);
        }
        let accepted = stage_step(plan, q, j, cur, next, pmf, cdf);
        pa += accepted;
        accepted_sample += accepted * plan.cum_n[j] as f64;
        std::mem::swap(cur, next);
    }
    Raw {
        pa: pa.clamp(0.0, 1.0),
        asn,
        accepted_sample,
    }
}

impl AttributePlan {
    /// Validates `p`, `model` and `lot_size` and resolves the quality level.
    pub(crate) fn quality(&self, p: f64, model: Model, lot_size: Option<u64>) -> Result<Quality> {
        if let Some(lot) = lot_size {
            check_lot(lot, self.max_sample_size())?;
        }
        let q = Quality::resolve(p, model, lot_size)?;
        if model == Model::Poisson && !(p * self.max_sample_size() as f64).is_finite() {
            return Err(Error::invalid(
                "p",
                p,
                "nonconformities per unit small enough that n * p is finite",
            ));
        }
        Ok(q)
    }

    /// OC, ASN, AOQ and ATI at quality `p` (see the module docs for the formulas).
    ///
    /// `lot_size` is required by the hypergeometric models and by the ATI;
    /// without it AOQ is the infinite-lot limit `p · Pa` and ATI is `None`.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for `p` outside [0, 1] (outside [0, ∞) for
    /// Poisson), a lot smaller than the largest sample, a hypergeometric model
    /// without a lot size or with `p · N` not a whole number.
    pub fn evaluate(&self, p: f64, model: Model, lot_size: Option<u64>) -> Result<OcPoint> {
        let q = self.quality(p, model, lot_size)?;
        let raw = evaluate_raw(self, q, &mut Workspace::default());
        Ok(point(p, raw, lot_size))
    }

    /// Probability of accepting a lot of quality `p`.
    ///
    /// # Errors
    /// As [`AttributePlan::evaluate`].
    pub fn prob_accept(&self, p: f64, model: Model, lot_size: Option<u64>) -> Result<f64> {
        Ok(self.evaluate(p, model, lot_size)?.prob_accept)
    }

    /// Average sample number (full inspection of every stage drawn).
    ///
    /// # Errors
    /// As [`AttributePlan::evaluate`].
    pub fn asn(&self, p: f64, model: Model, lot_size: Option<u64>) -> Result<f64> {
        Ok(self.evaluate(p, model, lot_size)?.asn)
    }

    /// Average outgoing quality under rectifying inspection.
    ///
    /// # Errors
    /// As [`AttributePlan::evaluate`].
    pub fn aoq(&self, p: f64, model: Model, lot_size: Option<u64>) -> Result<f64> {
        Ok(self.evaluate(p, model, lot_size)?.aoq)
    }

    /// Average total inspection per lot of `lot_size` items under rectifying inspection.
    ///
    /// # Errors
    /// As [`AttributePlan::evaluate`].
    pub fn ati(&self, p: f64, model: Model, lot_size: u64) -> Result<f64> {
        let pt = self.evaluate(p, model, Some(lot_size))?;
        pt.ati
            .ok_or_else(|| Error::invalid("lot_size", lot_size, "a lot size"))
    }

    /// Producer's risk `1 − Pa` at the acceptable quality `aql`.
    ///
    /// # Errors
    /// As [`AttributePlan::evaluate`].
    pub fn producer_risk(&self, aql: f64, model: Model, lot_size: Option<u64>) -> Result<f64> {
        Ok(1.0 - self.prob_accept(aql, model, lot_size)?)
    }

    /// Consumer's risk `Pa` at the limiting quality `lq`.
    ///
    /// # Errors
    /// As [`AttributePlan::evaluate`].
    pub fn consumer_risk(&self, lq: f64, model: Model, lot_size: Option<u64>) -> Result<f64> {
        self.prob_accept(lq, model, lot_size)
    }
}

pub(crate) fn point(p: f64, raw: Raw, lot_size: Option<u64>) -> OcPoint {
    let (aoq, ati) = match lot_size {
        Some(lot) => {
            let lot = lot as f64;
            (
                (p * (raw.pa - raw.accepted_sample / lot)).max(0.0),
                Some(raw.accepted_sample + lot * (1.0 - raw.pa)),
            )
        }
        None => (p * raw.pa, None),
    };
    OcPoint {
        p,
        prob_accept: raw.pa,
        asn: raw.asn,
        aoq,
        ati,
    }
}
