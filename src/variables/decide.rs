//! Lot decisions from measurements: one limit (form k), two limits with
//! combined (form M) or separate (form k per limit) control.

use super::estimate::{p_hat_s_raw, p_hat_sigma_raw};
use super::{Method, VariablesPlan};
use crate::error::{Error, Result};
use crate::numerics::summary::mean_sd;
use crate::options::named_options;
use crate::plan::Outcome;
use rayon::prelude::*;

named_options! {
    /// How two specification limits are controlled.
    pub enum Control for "control" {
        /// One AQL for both limits: accept when `p̂_L + p̂_U <= M` (form M).
        Combined = "combined",
        /// An acceptability constant for each limit: accept when
        /// `Q_L >= k_L` and `Q_U >= k_U` (form k per limit; with one limit,
        /// that limit's constant).
        Separate = "separate",
    }
}

/// The acceptance rule of a decision: how the limits are controlled and,
/// under separate control, the acceptability constant of each limit (`None`:
/// the plan's `k`).
///
/// A [`Control`] converts into the rule with the plan's `k` for both limits.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Acceptance {
    /// Combined or separate control.
    pub control: Control,
    /// Acceptability constant of the lower limit (separate control only).
    pub k_lower: Option<f64>,
    /// Acceptability constant of the upper limit (separate control only).
    pub k_upper: Option<f64>,
}

impl Acceptance {
    /// Separate control with the acceptability constant of each limit.
    pub fn separate(k_lower: f64, k_upper: f64) -> Acceptance {
        Acceptance {
            control: Control::Separate,
            k_lower: Some(k_lower),
            k_upper: Some(k_upper),
        }
    }
}

impl From<Control> for Acceptance {
    fn from(control: Control) -> Acceptance {
        Acceptance {
            control,
            k_lower: None,
            k_upper: None,
        }
    }
}

/// A lot decision with the statistics it rests on.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct VariablesDecision {
    /// Accept or reject.
    pub outcome: Outcome,
    /// Number of measurements.
    pub n: usize,
    /// Sample mean x̄.
    pub mean: f64,
    /// Sample standard deviation `s` (divisor n − 1).
    pub sd: f64,
    /// The standard deviation used in Q: `s` (s-method) or σ (σ-method).
    pub sigma_used: f64,
    /// `Q_L = (x̄ − L)/σ_used`, when a lower limit is given.
    pub q_lower: Option<f64>,
    /// `Q_U = (U − x̄)/σ_used`, when an upper limit is given.
    pub q_upper: Option<f64>,
    /// Estimated fraction below L.
    pub p_lower: Option<f64>,
    /// Estimated fraction above U.
    pub p_upper: Option<f64>,
    /// Total estimated fraction nonconforming `p̂_L + p̂_U`.
    pub p_hat: f64,
}

/// Limits checked once per call.
#[derive(Debug, Clone, Copy)]
struct Rule {
    lsl: Option<f64>,
    usl: Option<f64>,
    control: Control,
    k_lower: f64,
    k_upper: f64,
}

fn check_limit(name: &str, v: Option<f64>) -> Result<()> {
    match v {
        Some(x) if !x.is_finite() => Err(Error::invalid(name, x, "a finite specification limit")),
        _ => Ok(()),
    }
}

/// The acceptability constant of one limit: `given` (checked; separate
/// control only, and only for a limit that is given), else the plan's `k`.
fn limit_k(
    name: &str,
    given: Option<f64>,
    limit: Option<f64>,
    control: Control,
    plan_k: f64,
) -> Result<f64> {
    let Some(k) = given else {
        return Ok(plan_k);
    };
    if control != Control::Separate {
        return Err(Error::invalid(
            name,
            k,
            "no constant per limit under combined control (give separate control to use one)",
        ));
    }
    if limit.is_none() {
        return Err(Error::invalid(
            name,
            k,
            "no constant for a specification limit that is not given",
        ));
    }
    if k > 0.0 && k.is_finite() {
        Ok(k)
    } else {
        Err(Error::invalid(
            name,
            k,
            "a finite positive acceptability constant",
        ))
    }
}

impl Rule {
    fn new(lsl: Option<f64>, usl: Option<f64>, rule: Acceptance, plan_k: f64) -> Result<Rule> {
        check_limit("lsl", lsl)?;
        check_limit("usl", usl)?;
        match (lsl, usl) {
            (None, None) => {
                return Err(Error::invalid(
                    "lsl, usl",
                    "neither given",
                    "at least one specification limit",
                ))
            }
            (Some(l), Some(u)) if l >= u => {
                return Err(Error::invalid(
                    "lsl",
                    l,
                    format!("a lower specification limit below usl = {u}"),
                ))
            }
            _ => {}
        }
        Ok(Rule {
            lsl,
            usl,
            control: rule.control,
            k_lower: limit_k("k_lower", rule.k_lower, lsl, rule.control, plan_k)?,
            k_upper: limit_k("k_upper", rule.k_upper, usl, rule.control, plan_k)?,
        })
    }
}

/// Q with the conventions for a zero standard deviation: ±∞ off the limit,
/// 0 exactly on it.
fn quality(distance: f64, sd: f64) -> f64 {
    if sd > 0.0 {
        distance / sd
    } else if distance > 0.0 {
        f64::INFINITY
    } else if distance < 0.0 {
        f64::NEG_INFINITY
    } else {
        0.0
    }
}

impl VariablesPlan {
    fn check_measurements(&self, x: &[f64]) -> Result<()> {
        if self.method == Method::S && x.len() < 2 {
            return Err(Error::invalid(
                "measurements",
                format!("{} values", x.len()),
                "at least 2 measurements for the s-method (the sample standard deviation needs them)",
            ));
        }
        if x.len() as u64 != self.n {
            return Err(Error::invalid(
                "measurements",
                format!("{} values", x.len()),
                format!(
                    "exactly n = {} measurements (the plan's sample size)",
                    self.n
                ),
            ));
        }
        if let Some(i) = x.iter().position(|v| !v.is_finite()) {
            return Err(Error::invalid(
                format!("measurements[{i}]"),
                x[i],
                "a finite measurement",
            ));
        }
        Ok(())
    }

    fn sigma_for_method(&self) -> Result<Option<f64>> {
        match (self.method, self.sigma) {
            (Method::Sigma, None) => Err(Error::absent(
                "sigma",
                "the known process standard deviation (a finite positive number) for the sigma-method",
            )),
            (Method::Sigma, s) => Ok(s),
            (Method::S, _) => Ok(None),
        }
    }

    fn decide_checked(
        &self,
        x: &[f64],
        rule: &Rule,
        sigma: Option<f64>,
    ) -> Result<VariablesDecision> {
        let (mean, sd) = mean_sd(x);
        self.decide_stats(x.len(), mean, sd, rule, sigma)
    }

    /// The decision from the sample statistics.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] naming `measurements` when the mean or the
    /// standard deviation overflowed (finite values too far apart, such as
    /// ±1e308): no quality statistic can be formed from them.
    fn decide_stats(
        &self,
        n: usize,
        mean: f64,
        sd: f64,
        rule: &Rule,
        sigma: Option<f64>,
    ) -> Result<VariablesDecision> {
        if !(mean.is_finite() && sd.is_finite()) {
            return Err(Error::invalid(
                "measurements",
                format!("{n} values with mean {mean} and standard deviation {sd}"),
                "measurements whose mean and standard deviation are finite numbers (these values are too far apart to summarise)",
            ));
        }
        let used = sigma.unwrap_or(sd);
        let nf = n as f64;
        let p_of = |q: f64| match self.method {
            Method::S => p_hat_s_raw(q, nf),
            Method::Sigma => p_hat_sigma_raw(q, nf),
        };
        let q_lower = rule.lsl.map(|l| quality(mean - l, used));
        let q_upper = rule.usl.map(|u| quality(u - mean, used));
        let p_lower = q_lower.map(p_of);
        let p_upper = q_upper.map(p_of);
        let p_hat = p_lower.unwrap_or(0.0) + p_upper.unwrap_or(0.0);
        let accept = match (q_lower, q_upper, rule.control) {
            (Some(q), None, _) => q >= rule.k_lower,
            (None, Some(q), _) => q >= rule.k_upper,
            (Some(ql), Some(qu), Control::Separate) => ql >= rule.k_lower && qu >= rule.k_upper,
            (Some(_), Some(_), Control::Combined) => p_hat <= self.m,
            (None, None, _) => false,
        };
        Ok(VariablesDecision {
            outcome: if accept {
                Outcome::Accept
            } else {
                Outcome::Reject
            },
            n,
            mean,
            sd,
            sigma_used: used,
            q_lower,
            q_upper,
            p_lower,
            p_upper,
            p_hat,
        })
    }

    /// Decides a lot from its `n` measurements.
    ///
    /// One limit: accept when `Q >= k` (form k; under separate control the
    /// limit's own constant). Two limits: the rule's control decides (see
    /// [`Control`], [`Acceptance`]). The estimates `p̂` are reported in every
    /// case (s-method: symmetric-beta MVUE; σ-method: normal).
    ///
    /// # Examples
    /// ```
    /// use qualstat::variables::{Acceptance, Control, Method, VariablesPlan};
    /// use qualstat::plan::Outcome;
    /// let plan = VariablesPlan::new(5, 1.24, Method::S, None).unwrap();
    /// let x = [10.1, 10.3, 9.9, 10.0, 10.2];
    /// let d = plan.decide(&x, None, Some(10.6), Control::Combined).unwrap();
    /// assert_eq!(d.outcome, Outcome::Accept);
    /// let strict = Acceptance::separate(1.0, 3.5);
    /// let d = plan.decide(&x, Some(9.5), Some(10.6), strict).unwrap();
    /// assert_eq!(d.outcome, Outcome::Reject); // Q_U = 3.16 < 3.5
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for fewer than 2 measurements (s-method), a
    /// count other than `n`, a non-finite measurement, measurements whose
    /// mean or standard deviation overflows, no limit, a non-finite limit,
    /// `lsl >= usl`, a constant per limit under combined control or for a
    /// limit not given, a non-positive constant, or the σ-method without a
    /// known `sigma`.
    pub fn decide(
        &self,
        measurements: &[f64],
        lsl: Option<f64>,
        usl: Option<f64>,
        rule: impl Into<Acceptance>,
    ) -> Result<VariablesDecision> {
        let rule = Rule::new(lsl, usl, rule.into(), self.k)?;
        let sigma = self.sigma_for_method()?;
        self.check_measurements(measurements)?;
        self.decide_checked(measurements, &rule, sigma)
    }

    /// Decides many lots at once, in parallel: lot `i` is
    /// `values[offsets[i]..offsets[i + 1]]` (so `offsets` has one more entry
    /// than there are lots, starts at 0 and ends at `values.len()`).
    ///
    /// # Errors
    /// As [`VariablesPlan::decide`], with the lot index in the argument
    /// name; [`Error::InvalidArgument`] for offsets that do not start at 0,
    /// decrease, or do not end at `values.len()`.
    pub fn decide_lots(
        &self,
        values: &[f64],
        offsets: &[usize],
        lsl: Option<f64>,
        usl: Option<f64>,
        rule: impl Into<Acceptance>,
    ) -> Result<Vec<VariablesDecision>> {
        let rule = Rule::new(lsl, usl, rule.into(), self.k)?;
        let sigma = self.sigma_for_method()?;
        check_offsets(offsets, values.len())?;
        let lots = offsets.len().saturating_sub(1);
        crate::parallel::install(|| {
            (0..lots)
                .into_par_iter()
                .with_min_len(256)
                .map(|i| {
                    let x = &values[offsets[i]..offsets[i + 1]];
                    self.check_measurements(x)
                        .and_then(|()| self.decide_checked(x, &rule, sigma))
                        .map_err(|e| e.renamed(|name| format!("lot {i}: {name}")))
                })
                .collect()
        })
    }
}

fn check_offsets(offsets: &[usize], len: usize) -> Result<()> {
    if offsets.first() != Some(&0) {
        return Err(Error::invalid(
            "offsets",
            format!("{:?}", offsets.first()),
            "lot boundaries starting at 0",
        ));
    }
    if let Some(i) = offsets.windows(2).position(|w| w[1] < w[0]) {
        return Err(Error::invalid(
            format!("offsets[{}]", i + 1),
            offsets[i + 1],
            format!("a boundary not below the previous one ({})", offsets[i]),
        ));
    }
    if offsets.last() != Some(&len) {
        return Err(Error::invalid(
            "offsets",
            format!("{:?}", offsets.last()),
            format!("lot boundaries ending at the number of values ({len})"),
        ));
    }
    Ok(())
}

/// Multiplicative hashing of integer lot keys (keys are not attacker
/// controlled here; a fast hash matters for millions of rows).
#[derive(Default)]
struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn write_i64(&mut self, k: i64) {
        self.0 = (k as u64 ^ 0x9e37_79b9_7f4a_7c15).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        self.0 ^= self.0 >> 29;
    }
}

type KeyMap = std::collections::HashMap<i64, usize, std::hash::BuildHasherDefault<KeyHasher>>;

/// Decisions for lots identified by a key per row (see
/// [`VariablesPlan::decide_by_key`]).
#[derive(Debug, Clone, PartialEq)]
pub struct KeyedDecisions {
    /// The lot keys, in order of first appearance.
    pub keys: Vec<i64>,
    /// The first row of each lot.
    pub first_rows: Vec<usize>,
    /// The decision of each lot.
    pub decisions: Vec<VariablesDecision>,
}

/// Lot id of every row, with the keys, first rows and sizes of the lots.
///
/// Keys spanning a range of at most four times the number of rows (lot
/// numbers, category codes) are looked up in a direct-address table, other
/// keys in a hash map; a run of equal consecutive keys costs one look-up.
fn lot_ids(keys: &[i64]) -> (Vec<usize>, Vec<i64>, Vec<usize>, Vec<usize>) {
    let mut lot_keys = Vec::new();
    let mut first_rows = Vec::new();
    let mut counts: Vec<usize> = Vec::new();
    let mut lot_of: Vec<usize> = Vec::with_capacity(keys.len());
    let mut assign = |id: &mut usize, key: i64, start: usize, len: usize| {
        if *id == usize::MAX {
            *id = lot_keys.len();
            lot_keys.push(key);
            first_rows.push(start);
            counts.push(0);
        }
        counts[*id] += len;
        lot_of.extend(std::iter::repeat_n(*id, len));
    };
    let (lo, hi) = keys
        .iter()
        .fold((i64::MAX, i64::MIN), |(lo, hi), &k| (lo.min(k), hi.max(k)));
    let span = (i128::from(hi) - i128::from(lo) + 1).max(0) as u128;
    if span <= (keys.len() as u128).max(1024) * 4 {
        let mut id_of = vec![usize::MAX; span as usize];
        for_each_run(keys, |start, len, key| {
            let slot = &mut id_of[(i128::from(key) - i128::from(lo)) as usize];
            assign(slot, key, start, len)
        });
    } else {
        let mut index = KeyMap::default();
        for_each_run(keys, |start, len, key| {
            assign(index.entry(key).or_insert(usize::MAX), key, start, len)
        });
    }
    (lot_of, lot_keys, first_rows, counts)
}

impl VariablesPlan {
    /// Decides every lot of a frame of measurements, one row per item:
    /// `values[i]` belongs to the lot `keys[i]` (rows of a lot need not be
    /// contiguous). Lots come out in order of first appearance.
    ///
    /// The mean and the standard deviation of each lot are accumulated in two
    /// passes over the rows (sum, then squared deviations from the lot mean,
    /// in row order), exactly as [`VariablesPlan::decide`] computes them from
    /// the lot's measurements in row order; no sort is needed.
    ///
    /// # Errors
    /// As [`VariablesPlan::decide`] (a lot's error names its key), and
    /// [`Error::LengthMismatch`] when `values` and `keys` differ in length.
    pub fn decide_by_key(
        &self,
        values: &[f64],
        keys: &[i64],
        lsl: Option<f64>,
        usl: Option<f64>,
        rule: impl Into<Acceptance>,
    ) -> Result<KeyedDecisions> {
        let rule = Rule::new(lsl, usl, rule.into(), self.k)?;
        let sigma = self.sigma_for_method()?;
        crate::error::check_same_len("values", values.len(), "lots", keys.len())?;
        if let Some(i) = values.iter().position(|v| !v.is_finite()) {
            return Err(Error::invalid(
                format!("measurements[{i}]"),
                values[i],
                "a finite measurement",
            ));
        }
        let (lot_of, lot_keys, first_rows, counts) = lot_ids(keys);
        if let Some(i) = counts.iter().position(|&c| c as u64 != self.n) {
            let lot = lot_keys[i];
            return Err(Error::invalid(
                "measurements",
                format!("{} values", counts[i]),
                format!(
                    "exactly n = {} measurements (the plan's sample size)",
                    self.n
                ),
            )
            .renamed(|name| format!("lot {lot}: {name}")));
        }
        let mut sums = vec![0.0; counts.len()];
        for (&id, &v) in lot_of.iter().zip(values) {
            sums[id] += v;
        }
        let nf = self.n as f64;
        let means: Vec<f64> = sums.iter().map(|s| s / nf).collect();
        let mut ss = vec![0.0; counts.len()];
        for (&id, &v) in lot_of.iter().zip(values) {
            let d = v - means[id];
            ss[id] += d * d;
        }
        let n = self.n as usize;
        let decisions = crate::parallel::install(|| {
            means
                .par_iter()
                .zip(ss.par_iter())
                .zip(lot_keys.par_iter())
                .with_min_len(1024)
                .map(|((&mean, &ss), &lot)| {
                    self.decide_stats(n, mean, (ss / (nf - 1.0)).sqrt(), &rule, sigma)
                        .map_err(|e| e.renamed(|name| format!("lot {lot}: {name}")))
                })
                .collect::<Result<Vec<_>>>()
        })?;
        Ok(KeyedDecisions {
            keys: lot_keys,
            first_rows,
            decisions,
        })
    }
}

/// Calls `f(start, len, key)` for each run of equal consecutive keys.
fn for_each_run(keys: &[i64], mut f: impl FnMut(usize, usize, i64)) {
    let mut start = 0;
    while start < keys.len() {
        let key = keys[start];
        let len = keys[start..].iter().take_while(|&&k| k == key).count();
        f(start, len, key);
        start += len;
    }
}
