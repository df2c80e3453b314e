//! Attribute (count) sampling plans: operating characteristic, ASN, AOQ, ATI,
//! AOQL, risk points, design from two risk points, and lot decisions.
//!
//! A plan has one or more stages. Stage `j` draws `n[j]` items (not
//! cumulative); `ac[j]` and `re[j]` are cumulative acceptance and rejection
//! numbers: after stage `j` the lot is accepted when the cumulative count
//! `d <= ac[j]`, rejected when `d >= re[j]`, and otherwise the next stage is
//! drawn. `ac[j] = -1` means "acceptance not permitted at this stage" (the `#`
//! of the ISO 2859-1 multiple plans).
//!
//! Formulas (single, double and multiple plans under the binomial, Poisson
//! and hypergeometric models): Schilling & Neubauer, *Acceptance Sampling in
//! Quality Control* (2nd ed., 2009), ch. 4-6; SAS/QC PROBACC2, ASN2, AOQ2,
//! ATI2 documentation; Hald & Møller (1976) for curtailed inspection.

mod batch;
mod decide;
mod design;
mod lots;
mod measures;
mod model;
mod oc;

pub use batch::{evaluate_grid, prob_accept_grid};
pub use decide::{Decision, Outcome};
pub use design::{
    design_double_plan, design_plan, design_plan_grid, zero_acceptance_plan, DoubleFamily,
    RiskPoints, MAX_DESIGN_AC, MAX_DESIGN_SAMPLE, MAX_DOUBLE_DESIGN_AC,
};
#[cfg(feature = "python")]
pub(crate) use lots::count_rows;
pub use lots::{counts_by_lot_and_stage, LotStageCounts};
pub use measures::Curtailment;
pub use model::Model;
pub use oc::OcPoint;

use crate::error::{Error, Result};

/// Largest sample size accepted for one stage (keeps every cumulative count
/// exactly representable and the evaluation bounded).
pub const MAX_STAGE_SIZE: u64 = 1 << 32;

/// Largest rejection number accepted (bounds the memory of an evaluation).
pub const MAX_REJECTION_NUMBER: u64 = 10_000_000;

/// An attribute sampling plan with one or more stages.
///
/// # Examples
/// ```
/// use qualstat::plan::{AttributePlan, Model};
/// // Double plan n1 = n2 = 8, (Ac1, Re1) = (0, 2), (Ac2, Re2) = (1, 2).
/// let plan = AttributePlan::double(8, 0, 2, 8, 1).unwrap();
/// let pa = plan.prob_accept(0.05, Model::Binomial, None).unwrap();
/// assert!(pa > 0.0 && pa < 1.0);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "PlanParts", into = "PlanParts")
)]
pub struct AttributePlan {
    n: Vec<u64>,
    ac: Vec<i64>,
    re: Vec<u64>,
    cum_n: Vec<u64>,
}

/// The serialized form of an [`AttributePlan`]: `{"n": [..], "ac": [..],
/// "re": [..]}`, checked on the way in as [`AttributePlan::with_final_gap`]
/// checks it (a plan read from a file is as valid as one built in code).
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
struct PlanParts {
    n: Vec<u64>,
    ac: Vec<i64>,
    re: Vec<u64>,
}

#[cfg(feature = "serde")]
impl TryFrom<PlanParts> for AttributePlan {
    type Error = Error;
    fn try_from(p: PlanParts) -> Result<Self> {
        AttributePlan::with_final_gap(&p.n, &p.ac, &p.re)
    }
}

#[cfg(feature = "serde")]
impl From<AttributePlan> for PlanParts {
    fn from(p: AttributePlan) -> Self {
        PlanParts {
            n: p.n,
            ac: p.ac,
            re: p.re,
        }
    }
}

impl AttributePlan {
    /// A plan from per-stage sample sizes and cumulative acceptance and
    /// rejection numbers.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] when the lists are empty or of different
    /// lengths, a sample size is 0 or above [`MAX_STAGE_SIZE`], an `ac` is
    /// below -1, `ac >= re` at some stage, the numbers decrease from one stage
    /// to the next, an intermediate stage leaves no count to continue with,
    /// the last stage does not have `re = ac + 1` (a last stage must decide), or
    /// a rejection number exceeds [`MAX_REJECTION_NUMBER`].
    pub fn new(n: &[u64], ac: &[i64], re: &[u64]) -> Result<Self> {
        Self::build(n, ac, re, false)
    }

    /// Like [`AttributePlan::new`], but the last stage may leave a gap
    /// `ac < d < re`: the lot is then accepted but, in the MIL-STD-105E /
    /// ANSI Z1.4 reduced inspection, normal inspection is reinstated. For the
    /// lot decision (and so the OC curve) the lot is accepted when `d < re`.
    ///
    /// # Errors
    /// As [`AttributePlan::new`], except that `re > ac + 1` is allowed at the
    /// last stage.
    pub fn with_final_gap(n: &[u64], ac: &[i64], re: &[u64]) -> Result<Self> {
        Self::build(n, ac, re, true)
    }

    /// The single plan (n, Ac), Re = Ac + 1.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] when `n` is 0 or too large.
    pub fn single(n: u64, ac: u64) -> Result<Self> {
        let ac = i64::try_from(ac).map_err(|_| Error::invalid("ac", ac, "at most 2^63 - 1"))?;
        Self::new(&[n], &[ac], &[ac.unsigned_abs() + 1])
    }

    /// The double plan (n1, Ac1, Re1; n2, Ac2, Re2 = Ac2 + 1), cumulative numbers.
    ///
    /// # Errors
    /// As [`AttributePlan::new`].
    pub fn double(n1: u64, ac1: i64, re1: u64, n2: u64, ac2: u64) -> Result<Self> {
        let ac2 = i64::try_from(ac2).map_err(|_| Error::invalid("ac2", ac2, "at most 2^63 - 1"))?;
        Self::new(&[n1, n2], &[ac1, ac2], &[re1, ac2.unsigned_abs() + 1])
    }

    fn build(n: &[u64], ac: &[i64], re: &[u64], allow_gap: bool) -> Result<Self> {
        if n.is_empty() {
            return Err(Error::invalid("n", "[]", "at least one stage"));
        }
        crate::error::check_same_len("n", n.len(), "ac", ac.len())?;
        crate::error::check_same_len("n", n.len(), "re", re.len())?;
        let last = n.len() - 1;
        let mut cum_n = Vec::with_capacity(n.len());
        let mut total = 0u64;
        for j in 0..n.len() {
            let (nj, aj, rj) = (n[j], ac[j], re[j]);
            if nj == 0 || nj > MAX_STAGE_SIZE {
                return Err(Error::invalid(
                    format!("n[{j}]"),
                    nj,
                    format!("a sample size in 1..={MAX_STAGE_SIZE}"),
                ));
            }
            total += nj;
            cum_n.push(total);
            if aj < -1 {
                return Err(Error::invalid(
                    format!("ac[{j}]"),
                    aj,
                    "an acceptance number >= 0, or -1 for 'acceptance not permitted'",
                ));
            }
            if aj >= 0 && aj.unsigned_abs() >= rj {
                return Err(Error::invalid(
                    format!("ac[{j}]"),
                    aj,
                    format!("an acceptance number below re[{j}] = {rj}"),
                ));
            }
            if rj == 0 || rj > MAX_REJECTION_NUMBER {
                return Err(Error::invalid(
                    format!("re[{j}]"),
                    rj,
                    format!("a rejection number in 1..={MAX_REJECTION_NUMBER}"),
                ));
            }
            if j > 0 && (aj < ac[j - 1] || rj < re[j - 1]) {
                return Err(Error::invalid(
                    format!("stage {}", j + 1),
                    format!("ac = {aj}, re = {rj}"),
                    format!(
                        "cumulative numbers not below those of stage {j} (ac = {}, re = {})",
                        ac[j - 1],
                        re[j - 1]
                    ),
                ));
            }
            if j < last && (aj + 2) > rj as i64 {
                return Err(Error::invalid(
                    format!("stage {}", j + 1),
                    format!("ac = {aj}, re = {rj}"),
                    "re >= ac + 2 on every stage but the last (otherwise later stages are never drawn)",
                ));
            }
        }
        let (a_last, r_last) = (ac[last], re[last]);
        let decides = if allow_gap {
            a_last >= 0
        } else {
            a_last >= 0 && a_last.unsigned_abs() + 1 == r_last
        };
        if !decides {
            return Err(Error::invalid(
                format!("stage {}", last + 1),
                format!("ac = {a_last}, re = {r_last}"),
                if allow_gap {
                    "ac >= 0 on the last stage"
                } else {
                    "re = ac + 1 with ac >= 0 on the last stage (the last stage must decide)"
                },
            ));
        }
        Ok(AttributePlan {
            n: n.to_vec(),
            ac: ac.to_vec(),
            re: re.to_vec(),
            cum_n,
        })
    }

    /// Per-stage sample sizes (not cumulative).
    pub fn n(&self) -> &[u64] {
        &self.n
    }

    /// Cumulative acceptance numbers (-1: acceptance not permitted at that stage).
    pub fn ac(&self) -> &[i64] {
        &self.ac
    }

    /// Cumulative rejection numbers.
    pub fn re(&self) -> &[u64] {
        &self.re
    }

    /// Cumulative sample sizes.
    pub fn cumulative_n(&self) -> &[u64] {
        &self.cum_n
    }

    /// Number of stages.
    pub fn stages(&self) -> usize {
        self.n.len()
    }

    /// The largest total sample (all stages drawn).
    pub fn max_sample_size(&self) -> u64 {
        self.cum_n.last().copied().unwrap_or(0)
    }

    /// Whether the last stage has a gap `ac < d < re` (Z1.4 reduced plans).
    pub fn has_final_gap(&self) -> bool {
        let last = self.n.len() - 1;
        self.ac[last] + 1 < self.re[last] as i64
    }

    /// The largest cumulative count that accepts the lot at stage `j`
    /// (`re - 1` at the last stage, so a final gap accepts), or `None` when
    /// acceptance is not permitted there.
    pub(crate) fn accept_limit(&self, j: usize) -> Option<u64> {
        if j + 1 == self.n.len() {
            Some(self.re[j] - 1)
        } else {
            u64::try_from(self.ac[j]).ok()
        }
    }
}

impl std::fmt::Display for AttributePlan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for j in 0..self.n.len() {
            if j > 0 {
                write!(f, "; ")?;
            }
            let ac = if self.ac[j] < 0 {
                "#".to_string()
            } else {
                self.ac[j].to_string()
            };
            write!(f, "n{}={} Ac={} Re={}", j + 1, self.n[j], ac, self.re[j])?;
        }
        Ok(())
    }
}
