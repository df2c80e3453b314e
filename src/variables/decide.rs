//! Lot decisions from measurements: one limit (form k), two limits with
//! combined (form M) or separate (form k per limit) control.

use super::estimate::Estimator;
use super::{Method, VariablesPlan};
use crate::error::{check_same_len, Error, Result};
use crate::numerics::summary::Moments;
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

/// What every lot of one call shares: the checked rule, the σ of the
/// σ-method, and the estimator of p̂ for the plan's n.
#[derive(Debug, Clone)]
struct Setup {
    rule: Rule,
    sigma: Option<f64>,
    p_hat: Estimator,
}

/// The distance of x̄ inside a limit: x̄ − L for the lower, U − x̄ for the upper.
#[inline(always)]
fn distance(lower: bool, limit: f64, mean: f64) -> f64 {
    if lower {
        mean - limit
    } else {
        limit - mean
    }
}

/// Q with the conventions for a zero standard deviation: ±∞ off the limit,
/// 0 exactly on it (a select between values computed for every input, so
/// that the loops over many lots vectorise).
#[inline(always)]
fn quality(distance: f64, sd: f64) -> f64 {
    let off = if distance > 0.0 {
        f64::INFINITY
    } else if distance < 0.0 {
        f64::NEG_INFINITY
    } else {
        0.0
    };
    if sd > 0.0 {
        distance / sd
    } else {
        off
    }
}

impl VariablesPlan {
    /// Checks the number of measurements of a lot against the plan.
    #[inline]
    fn check_count(&self, count: u64) -> Result<()> {
        if self.method == Method::S && count < 2 {
            return Err(Error::invalid(
                "measurements",
                format!("{count} values"),
                "at least 2 measurements for the s-method (the sample standard deviation needs them)",
            ));
        }
        if count != self.n {
            return Err(Error::invalid(
                "measurements",
                format!("{count} values"),
                format!(
                    "exactly n = {} measurements (the plan's sample size)",
                    self.n
                ),
            ));
        }
        Ok(())
    }

    fn check_measurements(&self, x: &[f64]) -> Result<()> {
        self.check_count(x.len() as u64)?;
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

    /// The rule, σ and estimator of one call, checked.
    fn setup(&self, lsl: Option<f64>, usl: Option<f64>, rule: Acceptance) -> Result<Setup> {
        Ok(Setup {
            rule: Rule::new(lsl, usl, rule, self.k)?,
            sigma: self.sigma_for_method()?,
            p_hat: Estimator::new(self.method, self.n),
        })
    }

    /// The standard deviation used and the quality statistics `Q_L`, `Q_U`
    /// of a lot (`None` for a limit not given).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] naming `measurements` when the mean or the
    /// standard deviation overflowed (finite values too far apart, such as
    /// ±1e308): no quality statistic can be formed from them.
    fn qualities(
        n: usize,
        mean: f64,
        sd: f64,
        setup: &Setup,
    ) -> Result<(f64, Option<f64>, Option<f64>)> {
        if !(mean.is_finite() && sd.is_finite()) {
            return Err(Error::invalid(
                "measurements",
                format!("{n} values with mean {mean} and standard deviation {sd}"),
                "measurements whose mean and standard deviation are finite numbers (these values are too far apart to summarise)",
            ));
        }
        let used = setup.sigma.unwrap_or(sd);
        let q_lower = setup
            .rule
            .lsl
            .map(|l| quality(distance(true, l, mean), used));
        let q_upper = setup
            .rule
            .usl
            .map(|u| quality(distance(false, u, mean), used));
        Ok((used, q_lower, q_upper))
    }

    /// The decision from the sample statistics.
    ///
    /// # Errors
    /// As [`VariablesPlan::qualities`].
    fn decide_stats(
        &self,
        n: usize,
        mean: f64,
        sd: f64,
        setup: &Setup,
    ) -> Result<VariablesDecision> {
        let (used, q_lower, q_upper) = Self::qualities(n, mean, sd, setup)?;
        let p_lower = q_lower.map(|q| setup.p_hat.p_hat(q));
        let p_upper = q_upper.map(|q| setup.p_hat.p_hat(q));
        let (p_hat, accept) = self.verdict(&setup.rule, q_lower, q_upper, p_lower, p_upper);
        Ok(VariablesDecision {
            outcome: outcome(accept),
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

    /// p̂ = p̂_L + p̂_U and whether the lot is accepted, from its quality
    /// statistics and estimates (`None` for a limit not given).
    fn verdict(
        &self,
        rule: &Rule,
        q_lower: Option<f64>,
        q_upper: Option<f64>,
        p_lower: Option<f64>,
        p_upper: Option<f64>,
    ) -> (f64, bool) {
        let p_hat = p_lower.unwrap_or(0.0) + p_upper.unwrap_or(0.0);
        let accept = match (q_lower, q_upper, rule.control) {
            (Some(q), None, _) => q >= rule.k_lower,
            (None, Some(q), _) => q >= rule.k_upper,
            (Some(ql), Some(qu), Control::Separate) => ql >= rule.k_lower && qu >= rule.k_upper,
            (Some(_), Some(_), Control::Combined) => p_hat <= self.m,
            (None, None, _) => false,
        };
        (p_hat, accept)
    }

    /// Decides a lot from its `n` measurements.
    ///
    /// One limit: accept when `Q >= k` (form k; under separate control the
    /// limit's own constant). Two limits: the rule's control decides (see
    /// [`Control`], [`Acceptance`]). The estimates `p̂` are reported in every
    /// case (s-method: symmetric-beta MVUE; σ-method: normal). x̄ and
    /// s = √(M2 / (n − 1)) are those of [`Moments::shifted`] on the
    /// measurements in order: the bits that
    /// [`moments_by_key`](crate::numerics::summary::moments_by_key) gives the
    /// lot among others (`qualstat.VariablesPlan.decide_lots`), unless its
    /// rows lie in both halves of a large interleaved frame (within a few
    /// ulps then).
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
        let setup = self.setup(lsl, usl, rule.into())?;
        self.check_measurements(measurements)?;
        let m = Moments::shifted(measurements);
        self.decide_stats(measurements.len(), m.mean, m.sd(), &setup)
    }

    /// Decides many lots at once, in parallel: lot `i` is
    /// `values[offsets[i]..offsets[i + 1]]` (so `offsets` has one more entry
    /// than there are lots, starts at 0 and ends at `values.len()`). Each
    /// decision has the bits of [`VariablesPlan::decide`] on the lot's
    /// values: the lots' moments ([`Moments::shifted`]) are decided 256 at a
    /// time by the code of [`VariablesPlan::decide_moment_columns`] (the
    /// s-method's p̂ side by side).
    ///
    /// # Errors
    /// As [`VariablesPlan::decide`] on the lowest lot that has an error,
    /// with the lot index in the argument name; [`Error::InvalidArgument`]
    /// for offsets that do not start at 0, decrease, or do not end at
    /// `values.len()`.
    pub fn decide_lots(
        &self,
        values: &[f64],
        offsets: &[usize],
        lsl: Option<f64>,
        usl: Option<f64>,
        rule: impl Into<Acceptance>,
    ) -> Result<Vec<VariablesDecision>> {
        let setup = self.setup(lsl, usl, rule.into())?;
        check_offsets(offsets, values.len())?;
        let lots = offsets.len().saturating_sub(1);
        self.decide_each(lots, &setup, |i| {
            let x = &values[offsets[i]..offsets[i + 1]];
            self.check_measurements(x)?;
            Ok(Moments::shifted(x))
        })
    }
}

/// An error of lot `i`, its argument name prefixed with `lot {i}: `.
fn in_lot(i: usize, e: Error) -> Error {
    e.renamed(|name| format!("lot {i}: {name}"))
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

/// The moments of consecutive lots, the first of them lot `start`: the
/// inputs of [`VariablesPlan::fill_columns`] and its blocks.
#[derive(Debug, Clone, Copy)]
struct LotMoments<'a> {
    start: usize,
    n: &'a [u64],
    mean: &'a [f64],
    m2: &'a [f64],
}

impl<'a> LotMoments<'a> {
    /// The lots before `mid` (of these) and the rest.
    fn split_at(self, mid: usize) -> (LotMoments<'a>, LotMoments<'a>) {
        let (n, n_rest) = self.n.split_at(mid);
        let (mean, mean_rest) = self.mean.split_at(mid);
        let (m2, m2_rest) = self.m2.split_at(mid);
        (
            LotMoments {
                start: self.start,
                n,
                mean,
                m2,
            },
            LotMoments {
                start: self.start + mid,
                n: n_rest,
                mean: mean_rest,
                m2: m2_rest,
            },
        )
    }
}

/// The decisions of many lots as columns, entry `i` for lot `i` (see
/// [`VariablesPlan::decide_moment_columns`]): whether each lot is accepted,
/// and the statistics of [`VariablesDecision`] that vary between lots of one
/// call (`q_lower`, `q_upper`, `p_lower`, `p_upper` are NaN for a limit that
/// is not given). All columns have one length.
#[derive(Debug)]
pub struct DecisionColumns<'a> {
    /// Whether the lot is accepted.
    pub accept: &'a mut [bool],
    /// Sample standard deviation `s`.
    pub sd: &'a mut [f64],
    /// `Q_L` (NaN without a lower limit).
    pub q_lower: &'a mut [f64],
    /// `Q_U` (NaN without an upper limit).
    pub q_upper: &'a mut [f64],
    /// Estimated fraction below L (NaN without a lower limit).
    pub p_lower: &'a mut [f64],
    /// Estimated fraction above U (NaN without an upper limit).
    pub p_upper: &'a mut [f64],
    /// Total estimated fraction nonconforming.
    pub p_hat: &'a mut [f64],
}

impl<'a> DecisionColumns<'a> {
    /// The columns over one buffer of six rows of `accept.len()` entries
    /// (sd, q_lower, q_upper, p_lower, p_upper, p_hat, in this order), as
    /// a C-ordered 6 × lots array holds them.
    ///
    /// # Errors
    /// `stats` whose length is not six times that of `accept`.
    pub fn from_rows(accept: &'a mut [bool], stats: &'a mut [f64]) -> Result<Self> {
        let lots = accept.len();
        check_same_len("stats", stats.len(), "6 × lots", 6 * lots)?;
        let (sd, rest) = stats.split_at_mut(lots);
        let (q_lower, rest) = rest.split_at_mut(lots);
        let (q_upper, rest) = rest.split_at_mut(lots);
        let (p_lower, rest) = rest.split_at_mut(lots);
        let (p_upper, p_hat) = rest.split_at_mut(lots);
        Ok(DecisionColumns {
            accept,
            sd,
            q_lower,
            q_upper,
            p_lower,
            p_upper,
            p_hat,
        })
    }

    /// The columns' length, checked to be common to all.
    fn checked_len(&self) -> Result<usize> {
        let len = self.accept.len();
        for (name, column) in [
            ("sd", &self.sd),
            ("q_lower", &self.q_lower),
            ("q_upper", &self.q_upper),
            ("p_lower", &self.p_lower),
            ("p_upper", &self.p_upper),
            ("p_hat", &self.p_hat),
        ] {
            check_same_len(name, column.len(), "accept", len)?;
        }
        Ok(len)
    }

    /// The first `mid` entries of every column, and the rest.
    fn split_at(self, mid: usize) -> (DecisionColumns<'a>, DecisionColumns<'a>) {
        let (accept, accept_rest) = self.accept.split_at_mut(mid);
        let (sd, sd_rest) = self.sd.split_at_mut(mid);
        let (q_lower, q_lower_rest) = self.q_lower.split_at_mut(mid);
        let (q_upper, q_upper_rest) = self.q_upper.split_at_mut(mid);
        let (p_lower, p_lower_rest) = self.p_lower.split_at_mut(mid);
        let (p_upper, p_upper_rest) = self.p_upper.split_at_mut(mid);
        let (p_hat, p_hat_rest) = self.p_hat.split_at_mut(mid);
        (
            DecisionColumns {
                accept,
                sd,
                q_lower,
                q_upper,
                p_lower,
                p_upper,
                p_hat,
            },
            DecisionColumns {
                accept: accept_rest,
                sd: sd_rest,
                q_lower: q_lower_rest,
                q_upper: q_upper_rest,
                p_lower: p_lower_rest,
                p_upper: p_upper_rest,
                p_hat: p_hat_rest,
            },
        )
    }
}

/// Lots per task of [`VariablesPlan::decide_moment_columns`]: a decision
/// costs about 30 ns (s-method, the p̂ of a task's lots side by side) to
/// 0.5 µs, so a task of 2048 lots outweighs its scheduling.
const COLUMN_TASK: usize = 2048;

/// Lots per block of [`VariablesPlan::decide_lots`] and
/// [`VariablesPlan::decide_moments`]: their moments and decision columns
/// live on the stack (18 kB), and a block (8 µs and more) outweighs its
/// scheduling.
const BLOCK: usize = 256;

/// The entry of a decision before its lot is decided (every entry is
/// overwritten when the call succeeds).
const UNDECIDED: VariablesDecision = VariablesDecision {
    outcome: Outcome::Reject,
    n: 0,
    mean: f64::NAN,
    sd: f64::NAN,
    sigma_used: f64::NAN,
    q_lower: None,
    q_upper: None,
    p_lower: None,
    p_upper: None,
    p_hat: f64::NAN,
};

fn outcome(accept: bool) -> Outcome {
    if accept {
        Outcome::Accept
    } else {
        Outcome::Reject
    }
}

impl VariablesPlan {
    /// Decides many lots from the [`Moments`] of their measurements (count,
    /// mean, M2), in parallel: the decision of [`VariablesPlan::decide`] on
    /// the lot's measurements, with x̄ and s = √(M2 / (n − 1)) taken from the
    /// moments. The moments may come from one pass over a frame grouped by
    /// lot or be merged from partitions of it ([`Moments::merge`]). The
    /// lots are decided 256 at a time as by
    /// [`VariablesPlan::decide_moment_columns`].
    ///
    /// # Examples
    /// ```
    /// use qualstat::numerics::summary::Moments;
    /// use qualstat::variables::{Control, Method, VariablesPlan};
    /// let plan = VariablesPlan::new(5, 1.24, Method::S, None).unwrap();
    /// let x = [10.1, 10.3, 9.9, 10.0, 10.2];
    /// let parts = Moments::of(&x[..2]).merge(Moments::of(&x[2..]));
    /// let d = plan.decide_moments(&[parts], None, Some(10.6), Control::Combined).unwrap();
    /// let direct = plan.decide(&x, None, Some(10.6), Control::Combined).unwrap();
    /// assert_eq!(d[0].outcome, direct.outcome);
    /// assert!((d[0].sd - direct.sd).abs() < 1e-14);
    /// ```
    ///
    /// # Errors
    /// As [`VariablesPlan::decide`], the error of the lowest lot index (a
    /// lot's error names its index): a count other than `n`, or a mean or
    /// standard deviation that is not finite (NaN or infinite measurements,
    /// or values too far apart).
    pub fn decide_moments(
        &self,
        moments: &[Moments],
        lsl: Option<f64>,
        usl: Option<f64>,
        rule: impl Into<Acceptance>,
    ) -> Result<Vec<VariablesDecision>> {
        let setup = self.setup(lsl, usl, rule.into())?;
        self.decide_each(moments.len(), &setup, |i| Ok(moments[i]))
    }

    /// [`VariablesPlan::decide_moments`] for moments held in three columns
    /// (`n`, `mean`, `m2`: lot `i` has count `n[i]`, mean `mean[i]` and
    /// M2 `m2[i]`), written into `out`, in parallel: entry `i` of each
    /// column of `out` is the statistic of the decision of lot `i`, the
    /// same bits as [`VariablesPlan::decide_moments`] gives.
    ///
    /// # Examples
    /// ```
    /// use qualstat::numerics::summary::Moments;
    /// use qualstat::variables::{Control, DecisionColumns, Method, VariablesPlan};
    /// let plan = VariablesPlan::new(5, 1.24, Method::S, None).unwrap();
    /// let m = Moments::of(&[10.1, 10.3, 9.9, 10.0, 10.2]);
    /// let (mut accept, mut stats) = ([false], [[0.0]; 6]);
    /// let [sd, q_lower, q_upper, p_lower, p_upper, p_hat] = &mut stats;
    /// let out = DecisionColumns { accept: &mut accept, sd, q_lower, q_upper, p_lower, p_upper, p_hat };
    /// plan.decide_moment_columns(&[m.n], &[m.mean], &[m.m2], None, Some(10.6), Control::Combined, out)
    ///     .unwrap();
    /// assert!(accept[0] && stats[1][0].is_nan()); // no lower limit: no Q_L
    /// ```
    ///
    /// # Errors
    /// As [`VariablesPlan::decide_moments`] (the error of the lowest lot
    /// index); [`Error::LengthMismatch`] when the columns differ in length.
    #[allow(clippy::too_many_arguments)]
    pub fn decide_moment_columns(
        &self,
        n: &[u64],
        mean: &[f64],
        m2: &[f64],
        lsl: Option<f64>,
        usl: Option<f64>,
        rule: impl Into<Acceptance>,
        out: DecisionColumns<'_>,
    ) -> Result<()> {
        let setup = self.setup(lsl, usl, rule.into())?;
        check_same_len("mean", mean.len(), "n", n.len())?;
        check_same_len("m2", m2.len(), "n", n.len())?;
        check_same_len("accept", out.checked_len()?, "n", n.len())?;
        let lots = LotMoments {
            start: 0,
            n,
            mean,
            m2,
        };
        crate::parallel::install(|| self.fill_columns(lots, &setup, out))
    }

    /// Decides `lots` into `out` (halves in parallel down to
    /// [`COLUMN_TASK`] lots); the first error in lot order.
    fn fill_columns(
        &self,
        lots: LotMoments<'_>,
        setup: &Setup,
        out: DecisionColumns<'_>,
    ) -> Result<()> {
        if lots.n.len() > COLUMN_TASK {
            let mid = lots.n.len() / 2;
            let ((first, second), (left, right)) = (lots.split_at(mid), out.split_at(mid));
            let (a, b) = rayon::join(
                || self.fill_columns(first, setup, left),
                || self.fill_columns(second, setup, right),
            );
            return a.and(b);
        }
        self.fill_block(lots, setup, out)
    }

    /// Decides `lots` into `out` on this thread (the leaves of
    /// [`VariablesPlan::fill_columns`], the blocks of
    /// [`VariablesPlan::decide_block`]); the first error in lot order.
    fn fill_block(
        &self,
        lots: LotMoments<'_>,
        setup: &Setup,
        out: DecisionColumns<'_>,
    ) -> Result<()> {
        let LotMoments { start, n, mean, m2 } = lots;
        // The standard deviations and the quality statistics of every lot
        // (the first error in lot order, by the checks of `decide_stats`),
        // then the estimates of each limit side by side, then the verdicts:
        // the arithmetic of `decide_stats`, lot by lot.
        for ((sd, &count), (&mean, &m2)) in out.sd.iter_mut().zip(n).zip(mean.iter().zip(m2)) {
            *sd = Moments { n: count, mean, m2 }.sd();
        }
        let decidable = self.check_count(self.n).is_ok()
            && n.iter().all(|&count| count == self.n)
            && (mean.iter().zip(&*out.sd)).all(|(mean, sd)| mean.is_finite() & sd.is_finite());
        if !decidable {
            for (i, (&count, &mean)) in n.iter().zip(mean).enumerate() {
                self.check_count(count)
                    .and_then(|()| Self::qualities(count as usize, mean, out.sd[i], setup))
                    .map_err(|e| in_lot(start + i, e))?;
            }
        }
        for (limit, q, lower) in [
            (setup.rule.lsl, &mut *out.q_lower, true),
            (setup.rule.usl, &mut *out.q_upper, false),
        ] {
            match limit {
                Some(limit) => {
                    for ((q, &mean), &sd) in q.iter_mut().zip(mean).zip(&*out.sd) {
                        *q = quality(distance(lower, limit, mean), setup.sigma.unwrap_or(sd));
                    }
                }
                None => q.fill(f64::NAN),
            }
        }
        let rule = &setup.rule;
        for (given, q, p) in [
            (rule.lsl.is_some(), &*out.q_lower, &mut *out.p_lower),
            (rule.usl.is_some(), &*out.q_upper, &mut *out.p_upper),
        ] {
            if given {
                setup.p_hat.p_hat_each(q, p);
            } else {
                p.fill(f64::NAN);
            }
        }
        for i in 0..n.len() {
            let given = |limit: Option<f64>, v: &[f64]| limit.map(|_| v[i]);
            let (p_hat, accept) = self.verdict(
                rule,
                given(rule.lsl, out.q_lower),
                given(rule.usl, out.q_upper),
                given(rule.lsl, out.p_lower),
                given(rule.usl, out.p_upper),
            );
            out.p_hat[i] = p_hat;
            out.accept[i] = accept;
        }
        Ok(())
    }

    /// The decisions of lots `0..lots` from the moments `moments(i)` gives
    /// for lot `i` (or the lot's error), [`BLOCK`] lots at a time in
    /// parallel through [`VariablesPlan::fill_block`]: the error of the
    /// lowest lot index.
    fn decide_each(
        &self,
        lots: usize,
        setup: &Setup,
        moments: impl Fn(usize) -> Result<Moments> + Sync,
    ) -> Result<Vec<VariablesDecision>> {
        let mut out = Vec::new();
        let error = crate::parallel::install(|| {
            out.par_extend(rayon::iter::repeat_n(UNDECIDED, lots));
            out.par_chunks_mut(BLOCK)
                .enumerate()
                .find_map_first(|(b, block)| {
                    self.decide_block(b * BLOCK, block, setup, &moments).err()
                })
        });
        match error {
            Some(e) => Err(e),
            None => Ok(out),
        }
    }

    /// Decides lots `start..start + out.len()` (at most [`BLOCK`]) into
    /// `out`: their moments, the columns of [`VariablesPlan::fill_block`]
    /// on the stack, then the decisions from the columns.
    fn decide_block(
        &self,
        start: usize,
        out: &mut [VariablesDecision],
        setup: &Setup,
        moments: &impl Fn(usize) -> Result<Moments>,
    ) -> Result<()> {
        // The moments up to the first lot without them, whose error comes
        // after those of the lots before it.
        let (mut n, mut mean, mut m2) = ([0; BLOCK], [0.0; BLOCK], [0.0; BLOCK]);
        let mut failed = Ok(());
        let mut len = 0;
        for (i, ((n, mean), m2)) in (n.iter_mut().zip(&mut mean).zip(&mut m2))
            .take(out.len())
            .enumerate()
        {
            match moments(start + i) {
                Ok(m) => (*n, *mean, *m2, len) = (m.n, m.mean, m.m2, i + 1),
                Err(e) => {
                    failed = Err(in_lot(start + i, e));
                    break;
                }
            }
        }
        let mut accept = [false; BLOCK];
        let mut stats = [[0.0; BLOCK]; 6];
        let [sd, q_lower, q_upper, p_lower, p_upper, p_hat] = &mut stats;
        let columns = DecisionColumns {
            accept: &mut accept[..len],
            sd: &mut sd[..len],
            q_lower: &mut q_lower[..len],
            q_upper: &mut q_upper[..len],
            p_lower: &mut p_lower[..len],
            p_upper: &mut p_upper[..len],
            p_hat: &mut p_hat[..len],
        };
        let lots = LotMoments {
            start,
            n: &n[..len],
            mean: &mean[..len],
            m2: &m2[..len],
        };
        self.fill_block(lots, setup, columns)?;
        let [sd, q_lower, q_upper, p_lower, p_upper, p_hat] = &stats;
        let rule = &setup.rule;
        for (i, d) in out.iter_mut().take(len).enumerate() {
            let given = |limit: Option<f64>, column: &[f64; BLOCK]| limit.map(|_| column[i]);
            *d = VariablesDecision {
                outcome: outcome(accept[i]),
                n: n[i] as usize,
                mean: mean[i],
                sd: sd[i],
                sigma_used: setup.sigma.unwrap_or(sd[i]),
                q_lower: given(rule.lsl, q_lower),
                q_upper: given(rule.usl, q_upper),
                p_lower: given(rule.lsl, p_lower),
                p_upper: given(rule.usl, p_upper),
                p_hat: p_hat[i],
            };
        }
        failed
    }
}
