//! Lot decisions from the counts found stage by stage.

use super::AttributePlan;
use crate::error::{Error, Result};
use crate::options::named_options;
use rayon::prelude::*;

named_options! {
    /// The outcome of a lot decision (attribute and variables plans).
    pub enum Outcome for "outcome" {
        /// Accept the lot.
        Accept = "accept",
        /// Reject (do not accept) the lot.
        Reject = "reject",
        /// Draw the next sample.
        Continue = "continue",
    }
}

/// A lot decision after the stages inspected so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Decision {
    /// Accept, reject, or continue to the next stage.
    pub outcome: Outcome,
    /// The stage (1-based) at which the decision was reached, or the number
    /// of stages inspected so far (0 when none) for `Continue`.
    pub stage: usize,
    /// The cumulative count of nonconforming items.
    pub cumulative: u64,
    /// The size of the next sample to draw (for `Continue`).
    pub next_sample_size: Option<u64>,
    /// True when the lot is accepted with `ac < d < re` at the last stage of a
    /// plan with a final gap (Z1.4 reduced inspection: reinstate normal).
    pub reinstate_normal: bool,
}

impl Decision {
    /// True when the lot is accepted.
    pub fn accepted(&self) -> bool {
        self.outcome == Outcome::Accept
    }
}

impl AttributePlan {
    /// The decision after inspecting the stages whose counts are given
    /// (one count of nonconforming items per stage, not cumulative).
    ///
    /// # Examples
    /// ```
    /// use qualstat::plan::{AttributePlan, Outcome};
    /// let plan = AttributePlan::double(8, 0, 2, 8, 1).unwrap();
    /// let d = plan.decide(&[1]).unwrap();
    /// assert_eq!(d.outcome, Outcome::Continue);
    /// assert_eq!(d.next_sample_size, Some(8));
    /// assert_eq!(plan.decide(&[1, 0]).unwrap().outcome, Outcome::Accept);
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] when more counts are given than the plan has
    /// stages, a count exceeds its stage's sample size, or counts follow a
    /// stage at which the lot was already decided.
    pub fn decide(&self, counts: &[u64]) -> Result<Decision> {
        if counts.len() > self.stages() {
            return Err(Error::invalid(
                "counts",
                format!("{counts:?}"),
                format!(
                    "at most {} stage counts (the plan has {} stages)",
                    self.stages(),
                    self.stages()
                ),
            ));
        }
        let mut cumulative = 0u64;
        for (j, &x) in counts.iter().enumerate() {
            if x > self.n[j] {
                return Err(Error::invalid(
                    format!("counts[{j}]"),
                    x,
                    format!(
                        "a count of nonconforming items in 0..={} (the stage's sample size)",
                        self.n[j]
                    ),
                ));
            }
            cumulative += x;
            let limit = self.accept_limit(j);
            let outcome = if limit.is_some_and(|a| cumulative <= a) {
                Outcome::Accept
            } else if cumulative >= self.re[j] {
                Outcome::Reject
            } else {
                Outcome::Continue
            };
            if outcome != Outcome::Continue {
                if j + 1 < counts.len() {
                    return Err(Error::invalid(
                        "counts",
                        format!("{counts:?}"),
                        format!(
                            "no counts after stage {}, where the lot was decided ({})",
                            j + 1,
                            outcome.name()
                        ),
                    ));
                }
                let reinstate_normal = outcome == Outcome::Accept && cumulative as i64 > self.ac[j];
                return Ok(Decision {
                    outcome,
                    stage: j + 1,
                    cumulative,
                    next_sample_size: None,
                    reinstate_normal,
                });
            }
        }
        Ok(Decision {
            outcome: Outcome::Continue,
            stage: counts.len(),
            cumulative,
            next_sample_size: self.n.get(counts.len()).copied(),
            reinstate_normal: false,
        })
    }

    /// [`AttributePlan::decide`] for many lots given as flat arrays, in
    /// parallel: lot `i` has the per-stage counts
    /// `counts[offsets[i]..offsets[i + 1]]` (so `offsets` has one more entry
    /// than there are lots, starts at 0 and ends at `counts.len()`). One
    /// allocation for the result, none per lot: the layout of a frame grouped
    /// by lot and stage.
    ///
    /// # Examples
    /// ```
    /// use qualstat::plan::{AttributePlan, Outcome};
    /// let plan = AttributePlan::double(8, 0, 2, 8, 1).unwrap();
    /// // Lot 0: [1] (continue), lot 1: [1, 0] (accept), lot 2: [2] (reject).
    /// let d = plan.decide_lots(&[1, 1, 0, 2], &[0, 1, 3, 4]).unwrap();
    /// let outcomes: Vec<Outcome> = d.iter().map(|d| d.outcome).collect();
    /// assert_eq!(outcomes, [Outcome::Continue, Outcome::Accept, Outcome::Reject]);
    /// ```
    ///
    /// # Errors
    /// As [`AttributePlan::decide`] for the first invalid lot, its index in
    /// front of the message (`lot 3: counts[1] = ...`);
    /// [`Error::InvalidArgument`] for offsets that do not ascend from 0 to
    /// `counts.len()`.
    pub fn decide_lots(&self, counts: &[u64], offsets: &[usize]) -> Result<Vec<Decision>> {
        crate::error::check_offsets("offsets", offsets, counts.len())?;
        let lots = offsets.len() - 1;
        crate::parallel::install(|| {
            (0..lots)
                .into_par_iter()
                .with_min_len(1024)
                .map(|i| {
                    self.decide(&counts[offsets[i]..offsets[i + 1]])
                        .map_err(|e| e.renamed(|name| format!("lot {i}: {name}")))
                })
                .collect()
        })
    }

    /// [`AttributePlan::decide`] for many lots, in parallel.
    ///
    /// # Errors
    /// The first lot whose counts are invalid, named `lots[i]`.
    pub fn decide_many(&self, lots: &[Vec<u64>]) -> Result<Vec<Decision>> {
        crate::parallel::install(|| {
            lots.par_iter()
                .enumerate()
                .map(|(i, c)| {
                    self.decide(c)
                        .map_err(|e| e.renamed(|name| format!("lots[{i}].{name}")))
                })
                .collect()
        })
    }
}
