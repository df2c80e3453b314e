//! The lot decision: the mean test, the T1 count and the T2 policy, stage by
//! stage (`reference/lab_notes.md` A.1, A.2, A.6).

use super::decimal::Dec;
use super::plan::{plan, NetContentPlan};
use super::tne::{tne, Tne};
use super::{Kind, Lambda, MeanRule, Regime, Rounding, T2Policy, Unit};
use crate::error::{Error, Result};
use crate::options::named_options;
use crate::plan::Outcome;
use rayon::prelude::*;
use std::cmp::Ordering;

/// The options of a lot decision that do not change from lot to lot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Settings {
    /// The regime (tables and defaults).
    pub regime: Regime,
    /// Whether the test destroys the packages.
    pub destructive: bool,
    /// Single or double (None: the regime's default).
    pub kind: Option<Kind>,
    /// The unit of nominal quantity, measurements and tare.
    pub unit: Unit,
    /// TNE rounding (None: the regime's rule).
    pub rounding: Option<Rounding>,
    /// How a mean exactly at its limit is judged.
    pub mean_rule: MeanRule,
    /// Printed or exact λ.
    pub lam: Lambda,
    /// The T2 policy (None: the regime's).
    pub t2_policy: Option<T2Policy>,
}

impl Settings {
    /// The defaults of `regime`: printed λ, mean ≥ limit, the regime's
    /// rounding, T2 policy and plan kind, grams, non-destructive.
    pub fn new(regime: Regime) -> Self {
        Settings {
            regime,
            destructive: false,
            kind: None,
            unit: Unit::Gram,
            rounding: None,
            mean_rule: MeanRule::Ge,
            lam: Lambda::Printed,
            t2_policy: None,
        }
    }
}

named_options! {
    /// A criterion of the lot decision.
    pub enum Criterion for "criterion" {
        /// The mean test x̄ ≥ Qn − λ·s.
        Mean = "mean",
        /// The count of packages short by more than T.
        T1 = "T1",
        /// The packages short by more than 2T.
        T2 = "T2",
    }
}

/// A lot decision with every criterion shown.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LotDecision {
    /// Accept, reject, or continue to stage 2.
    pub verdict: Outcome,
    /// Stages inspected.
    pub stage: usize,
    /// Packages inspected (all stages).
    pub n: u64,
    /// The tolerable negative error T (unit of the nominal quantity).
    pub tne: f64,
    /// Qn − T: a package below it is a T1 error ("defective").
    pub t1_limit: f64,
    /// Qn − 2T: a package below it is a T2 error.
    pub t2_limit: f64,
    /// Packages in the mean test (None: no mean test).
    pub mean_n: Option<u64>,
    /// Their mean net content.
    pub mean: Option<f64>,
    /// Their standard deviation (divisor n − 1; None for one package).
    pub sd: Option<f64>,
    /// λ used.
    pub lam: Option<f64>,
    /// Qn − λ·s.
    pub mean_limit: Option<f64>,
    /// Whether the mean test passed.
    pub mean_ok: Option<bool>,
    /// Packages short by more than T (T2 errors included), all stages.
    pub t1: u64,
    /// Packages short by more than 2T, all stages.
    pub t2: u64,
    /// Whether the T1 count passed (None: no criterion, or not decided yet).
    pub t1_ok: Option<bool>,
    /// Whether the T2 policy passed (None: not a criterion).
    pub t2_ok: Option<bool>,
    /// The size of stage 2 (for "continue").
    pub next_sample_size: Option<u64>,
}

impl LotDecision {
    /// The criteria that failed, in the order mean, T1, T2.
    pub fn failed(&self) -> Vec<Criterion> {
        [
            (self.mean_ok, Criterion::Mean),
            (self.t1_ok, Criterion::T1),
            (self.t2_ok, Criterion::T2),
        ]
        .into_iter()
        .filter(|(ok, _)| *ok == Some(false))
        .map(|(_, c)| c)
        .collect()
    }
}

/// Everything fixed for one lot before its packages are looked at.
struct Lot {
    plan: NetContentPlan,
    qn: f64,
    qn_dec: Dec,
    tne: Tne,
    limits: [(f64, Option<Dec>); 2],
    lam: Option<(f64, Option<Dec>)>,
    settings: Settings,
}

impl Lot {
    fn new(nominal: f64, lot_size: u64, settings: &Settings) -> Result<Lot> {
        let plan = plan(
            settings.regime,
            lot_size,
            settings.destructive,
            settings.kind,
        )?;
        let tne = tne(nominal, settings.unit, settings.regime, settings.rounding)?;
        let qn_dec = Dec::from_f64(nominal)
            .ok_or_else(|| Error::invalid("nominal", nominal, "a finite quantity above 0"))?;
        let limit = |k: i128| {
            let exact = tne.exact.mul(Dec::new(k, 0)).and_then(|t| qn_dec.sub(t));
            let approx = exact.map_or(nominal - k as f64 * tne.value, Dec::to_f64);
            (approx, exact)
        };
        let lam = plan.lam(settings.lam).map(|l| {
            let exact = match settings.lam {
                Lambda::Printed => plan.lam_dec,
                Lambda::Exact => plan.full_inspection.then_some(Dec::ZERO),
            };
            (l, exact)
        });
        Ok(Lot {
            limits: [limit(1), limit(2)],
            qn: nominal,
            qn_dec,
            tne,
            lam,
            plan,
            settings: *settings,
        })
    }

    /// The decision on the packages `x` (stage 1, then stage 2), with
    /// `stages` stages given (their sizes already checked against the plan).
    fn decide(&self, x: &[f64], tare: Tare<'_>, stages: usize) -> Result<LotDecision> {
        if let Tare::Packages(t) = tare {
            crate::error::check_same_len("tare", t.len(), "measurements", x.len())?;
        }
        let plan = &self.plan;
        let m = plan.mean_n.map_or(0, |m| m as usize).min(x.len());
        // One pass: validity, the T1/T2 counts at each stage's end, and the
        // sum of deviations and the magnitude of the mean sample.
        let mut at_stage_end = [(0u64, 0u64); 2];
        let (mut t1, mut t2, mut stage, mut end) = (0u64, 0u64, 0usize, plan.n[0] as usize);
        let mut sum_e = 0.0;
        for (i, &gross) in x.iter().enumerate() {
            let t = tare.at(i);
            check_value(i, gross, t)?;
            let v = gross - t;
            if i < m {
                sum_e += v - self.qn;
            }
            // Qn − 2T < Qn − T: only a T1 error can be a T2 error.
            if self.below(v, gross, t, 0) {
                t1 += 1;
                t2 += u64::from(self.below(v, gross, t, 1));
            }
            if i + 1 == end && stage < at_stage_end.len() {
                at_stage_end[stage] = (t1, t2);
                stage += 1;
                end += plan.n.get(stage).map_or(0, |&n| n as usize);
            }
        }
        let mean = self
            .lam
            .filter(|_| m > 0)
            .map(|lam| self.mean_test(&x[..m], tare.head(m), lam, sum_e));
        let policy = self.settings.t2_policy.unwrap_or(plan.t2_policy);
        let mut out = LotDecision {
            verdict: Outcome::Continue,
            stage: 0,
            n: 0,
            tne: self.tne.value,
            t1_limit: self.limits[0].0,
            t2_limit: self.limits[1].0,
            mean_n: plan.mean_n,
            mean: mean.map(|m| m.0),
            sd: mean.and_then(|m| m.1),
            lam: self.lam.map(|l| l.0),
            mean_limit: mean.map(|m| m.2),
            mean_ok: mean.map(|m| m.3),
            t1: 0,
            t2: 0,
            t1_ok: None,
            t2_ok: None,
            next_sample_size: None,
        };
        let counts = plan.ac.as_ref().zip(plan.re.as_ref());
        for (j, &(t1, t2)) in at_stage_end.iter().enumerate().take(stages) {
            if out.verdict != Outcome::Continue {
                return Err(Error::invalid(
                    "measurements",
                    format!("{stages} stages"),
                    format!("{j} stage(s): the lot was decided at stage {j}"),
                ));
            }
            out.stage = j + 1;
            out.n = plan.n[..=j].iter().sum();
            out.t1 = t1;
            out.t2 = t2;
            out.t2_ok = match policy {
                T2Policy::NotChecked => None,
                T2Policy::Any => Some(t2 == 0),
                T2Policy::TwoOrMore => Some(t2 < 2),
            };
            out.t1_ok = counts.and_then(|(ac, re)| {
                if t1 <= ac[j] {
                    Some(true)
                } else if t1 >= re[j] {
                    Some(false)
                } else {
                    None
                }
            });
            let bad =
                out.mean_ok == Some(false) || out.t2_ok == Some(false) || out.t1_ok == Some(false);
            out.verdict = if bad {
                Outcome::Reject
            } else if counts.is_none() || out.t1_ok == Some(true) {
                Outcome::Accept
            } else {
                Outcome::Continue
            };
        }
        if out.verdict == Outcome::Continue {
            out.next_sample_size = plan.n.get(stages).copied();
        }
        Ok(out)
    }

    /// Whether net content `v` (= `gross` − `tare`) is below Qn − (k+1)·T,
    /// decided exactly on the decimals when floating point is too close.
    fn below(&self, v: f64, gross: f64, tare: f64, k: usize) -> bool {
        let (limit, exact) = self.limits[k];
        // Without a tare v is the measurement itself, and the float
        // comparison is exact unless v equals the rounded limit.
        let tol = if tare == 0.0 {
            0.0
        } else {
            4.0 * f64::EPSILON * (gross.abs() + tare.abs() + limit.abs())
        };
        if (v - limit).abs() > tol {
            return v < limit;
        }
        let net = Dec::from_f64(gross)
            .zip(Dec::from_f64(tare))
            .and_then(|(g, t)| g.sub(t));
        match net.zip(exact).and_then(|(n, l)| n.compare(l)) {
            Some(order) => order == Ordering::Less,
            None => v < limit,
        }
    }

    /// (mean, sd, limit, passed) of the mean test on `x`, given the sum of
    /// the net deviations from Qn.
    fn mean_test(
        &self,
        x: &[f64],
        tare: Tare<'_>,
        (lam, lam_dec): (f64, Option<Dec>),
        sum_e: f64,
    ) -> (f64, Option<f64>, f64, bool) {
        let n = x.len();
        let mean_e = sum_e / n as f64;
        let sd = (n > 1).then(|| {
            let ss: f64 = (0..n)
                .map(|i| (tare.net(x, i) - self.qn - mean_e).powi(2))
                .sum();
            (ss / (n - 1) as f64).sqrt()
        });
        let spread = sd.unwrap_or(0.0);
        let g = mean_e + lam * spread;
        // Every |x_i| is at most |Qn| + |mean_e| + s·√n (+ its tare): a bound
        // on the rounding error of g without another pass.
        let scale = self.qn.abs() + mean_e.abs() + spread * (n as f64).sqrt() + tare.max();
        let tol = 16.0 * n as f64 * f64::EPSILON * scale * (1.0 + lam);
        let strict = self.settings.mean_rule == MeanRule::Gt;
        let passed = if g.abs() > tol {
            g > 0.0
        } else {
            lam_dec
                .and_then(|l| self.exact_mean_test(x, tare, l, strict))
                .unwrap_or(if strict { g > 0.0 } else { g >= 0.0 })
        };
        (self.qn + mean_e, sd, self.qn - lam * spread, passed)
    }

    /// The mean test in exact arithmetic: with eᵢ the net deviations from
    /// Qn, D = Σeᵢ, S = Σeᵢ², the test D/n + λ·s ≥ 0 (> 0 under "gt") is,
    /// for D < 0, λ²·n·(nS − D²) ≥ (n − 1)·D² (both sides scaled to
    /// integers). None when the numbers do not fit.
    fn exact_mean_test(&self, x: &[f64], tare: Tare<'_>, lam: Dec, strict: bool) -> Option<bool> {
        let mut e = Vec::with_capacity(x.len());
        for (i, &xi) in x.iter().enumerate() {
            let net = Dec::from_f64(xi)?.sub(Dec::from_f64(tare.at(i))?)?;
            e.push(net.sub(self.qn_dec)?);
        }
        let s = e.iter().map(|d| d.scale()).max()?;
        let (mut d, mut sq) = (0i128, 0i128);
        for v in &e {
            let m = v.mantissa_at(s)?;
            d = d.checked_add(m)?;
            sq = sq.checked_add(m.checked_mul(m)?)?;
        }
        let n = x.len() as i128;
        let spread = n.checked_mul(sq)?.checked_sub(d.checked_mul(d)?)?; // n(n-1)s² scaled
        let lam_positive = !lam.is_negative() && lam != Dec::ZERO;
        Some(match d.cmp(&0) {
            Ordering::Greater => true,
            Ordering::Equal => !strict || (lam_positive && spread > 0 && n > 1),
            Ordering::Less if n < 2 => false,
            Ordering::Less => {
                let l = lam.mantissa_at(lam.scale())?;
                let lhs = l.checked_mul(l)?.checked_mul(n)?.checked_mul(spread)?;
                let pow = 10i128.checked_pow(2 * lam.scale())?;
                let rhs = (n - 1).checked_mul(d.checked_mul(d)?)?.checked_mul(pow)?;
                if strict {
                    lhs > rhs
                } else {
                    lhs >= rhs
                }
            }
        })
    }
}

/// The tare of the packages: none, one for all, or one per package.
#[derive(Debug, Clone, Copy)]
pub enum Tare<'a> {
    /// Measurements are net contents.
    None,
    /// One tare for every package (e.g. the average tare).
    Each(f64),
    /// One tare per package, in the order of the measurements.
    Packages(&'a [f64]),
}

impl<'a> Tare<'a> {
    fn at(&self, i: usize) -> f64 {
        match *self {
            Tare::None => 0.0,
            Tare::Each(t) => t,
            Tare::Packages(t) => t.get(i).copied().unwrap_or(f64::NAN),
        }
    }

    fn net(&self, x: &[f64], i: usize) -> f64 {
        x[i] - self.at(i)
    }

    fn max(&self) -> f64 {
        match *self {
            Tare::None => 0.0,
            Tare::Each(t) => t,
            Tare::Packages(t) => t.iter().copied().fold(0.0, f64::max),
        }
    }

    fn head(&self, m: usize) -> Tare<'a> {
        match *self {
            Tare::Packages(t) => Tare::Packages(&t[..m.min(t.len())]),
            other => other,
        }
    }
}

fn check_value(i: usize, gross: f64, tare: f64) -> Result<()> {
    if !(gross.is_finite() && gross >= 0.0) {
        return Err(Error::invalid(
            format!("measurements[{i}]"),
            gross,
            "a finite quantity at least 0",
        ));
    }
    if !(tare.is_finite() && tare >= 0.0) {
        return Err(Error::invalid(
            format!("tare[{i}]"),
            tare,
            "a finite quantity at least 0",
        ));
    }
    if tare > gross {
        return Err(Error::invalid(
            format!("tare[{i}]"),
            tare,
            format!("at most the gross measurement {gross}"),
        ));
    }
    Ok(())
}

/// Decides one lot of `lot_size` packages of nominal quantity `nominal` from
/// the packages inspected so far: `stages[j]` holds the measurements of stage
/// j + 1 in the order drawn (stage 2 only for a double plan that continued).
/// The mean test uses the first `mean_n` packages of stage 1. Measurements
/// and tare are in `settings.unit`; with a tare they are gross quantities.
///
/// ```
/// use qualstat::net_content::{decide, Settings, Regime};
/// use qualstat::net_content::Tare;
/// use qualstat::plan::Outcome;
/// let x: Vec<f64> = (0..50).map(|i| 500.0 + (i % 5) as f64).collect();
/// let d = decide(&[&x], 500.0, 1000, Tare::None, &Settings::new(Regime::Eu)).unwrap();
/// assert_eq!((d.verdict, d.mean_ok, d.t1), (Outcome::Accept, Some(true), 0));
/// ```
///
/// # Errors
/// [`Error::InvalidArgument`] for an invalid nominal quantity, lot size or
/// plan choice (see [`plan()`] and [`tne()`]), a stage
/// whose size is not the plan's, more stages than the plan has or than needed,
/// a measurement or tare that is not finite and at least 0, or a tare above
/// its measurement.
pub fn decide(
    stages: &[&[f64]],
    nominal: f64,
    lot_size: u64,
    tare: Tare<'_>,
    settings: &Settings,
) -> Result<LotDecision> {
    let lot = Lot::new(nominal, lot_size, settings)?;
    if stages.is_empty() || stages.len() > lot.plan.n.len() {
        return Err(Error::invalid(
            "measurements",
            format!("{} stages", stages.len()),
            format!("1 to {} stages of this plan", lot.plan.n.len()),
        ));
    }
    for (j, s) in stages.iter().enumerate() {
        if s.len() as u64 != lot.plan.n[j] {
            return Err(Error::invalid(
                format!("measurements (stage {})", j + 1),
                format!("{} packages", s.len()),
                format!("{} packages, the plan's sample size", lot.plan.n[j]),
            ));
        }
    }
    let x: Vec<f64> = stages.iter().flat_map(|s| s.iter().copied()).collect();
    lot.decide(&x, tare, stages.len())
}

/// Decides many lots in parallel: lot `i` holds the packages
/// `values[offsets[i]..offsets[i + 1]]` in the order drawn (stage 1, then
/// stage 2 when a double plan continued: the number of packages tells how
/// many stages were inspected), with nominal quantity `nominal[i]` and lot
/// size `lot_size[i]`; `tare`, when given, holds one tare per value.
///
/// # Errors
/// As [`decide`], with the lot index in the argument name; offsets that do
/// not start at 0, decrease or do not end at `values.len()`, or per-lot
/// arrays of the wrong length.
pub fn decide_lots(
    values: &[f64],
    offsets: &[usize],
    nominal: &[f64],
    lot_size: &[u64],
    tare: Option<&[f64]>,
    settings: &Settings,
) -> Result<Vec<LotDecision>> {
    let lots = offsets.len().saturating_sub(1);
    if offsets.first() != Some(&0)
        || offsets.last() != Some(&values.len())
        || offsets.windows(2).any(|w| w[1] < w[0])
    {
        return Err(Error::invalid(
            "offsets",
            format!("{} boundaries", offsets.len()),
            format!("non-decreasing lot boundaries from 0 to {}", values.len()),
        ));
    }
    crate::error::check_same_len("nominal", nominal.len(), "lots", lots)?;
    crate::error::check_same_len("lot_size", lot_size.len(), "lots", lots)?;
    if let Some(t) = tare {
        crate::error::check_same_len("tare", t.len(), "values", values.len())?;
    }
    crate::parallel::install(|| {
        (0..lots)
            .into_par_iter()
            .with_min_len(256)
            // Consecutive lots mostly share nominal and lot size: keep the
            // last lot's plan and limits.
            .map_init(
                || None::<(u64, u64, Lot)>,
                |cache, i| {
                    let (a, b) = (offsets[i], offsets[i + 1]);
                    let x = &values[a..b];
                    let t = tare.map_or(Tare::None, |t| Tare::Packages(&t[a..b]));
                    let key = (nominal[i].to_bits(), lot_size[i]);
                    let lot = match cache.take() {
                        Some((q, n, lot)) if (q, n) == key => Ok(lot),
                        _ => Lot::new(nominal[i], lot_size[i], settings),
                    };
                    let out = lot.and_then(|lot| {
                        let out = stages_in(&lot.plan, x.len()).and_then(|k| lot.decide(x, t, k));
                        *cache = Some((key.0, key.1, lot));
                        out
                    });
                    out.map_err(|e| e.renamed(|name| format!("lot {i}: {name}")))
                },
            )
            .collect()
    })
}

/// How many stages `count` packages make under `plan`.
fn stages_in(plan: &NetContentPlan, count: usize) -> Result<usize> {
    let mut total = 0u64;
    for (j, &n) in plan.n.iter().enumerate() {
        total += n;
        if total == count as u64 {
            return Ok(j + 1);
        }
    }
    let sizes: Vec<String> = plan
        .n
        .iter()
        .scan(0u64, |acc, &n| {
            *acc += n;
            Some(acc.to_string())
        })
        .collect();
    Err(Error::invalid(
        "packages",
        count,
        format!(
            "{} (the plan's cumulative sample sizes)",
            sizes.join(" or ")
        ),
    ))
}
