//! The ISO 2859-1 switching scheme: a state machine fed one lot at a time.
//!
//! The rules are those of the `switching` module of [`crate::standards`]
//! (described there once). The [`Edition`] chooses the condition for reduced
//! inspection and the reduced plans:
//! * [`Edition::Z14`] (the default): 10 consecutive accepted lots on normal
//!   inspection; Z1.4 reduced plans, whose gap Ac < d < Re accepts the lot and
//!   reinstates normal inspection;
//! * [`Edition::Iso1999`]: the switching score reaching 30; the 1999 reduced
//!   plans (no gap).
//!
//! Switching score (ISO 2859-1:1999 9.3.3, single sampling, normal inspection):
//! starts at 0 on normal inspection; a lot not accepted resets it to 0; with
//! Ac 0 or 1 an accepted lot adds 2; with Ac >= 2 an accepted lot adds 3 when it
//! would also have been accepted at the AQL one step tighter (the acceptance
//! number of the same code letter's normal single plan at the next smaller
//! preferred AQL), and otherwise resets the score to 0. The increments for
//! double and multiple sampling were not found in any source, and the 1999
//! double and multiple tables are not available: the ISO 1999 scheme runs single
//! plans only (asking for others is [`Error::NotAvailable`]).

use super::{plan, Edition, Kind, Level, Lookup, StandardPlan, State};
use crate::error::{Error, Result};
use crate::plan::{Decision, Outcome};
use crate::standards::switching::Switching;

/// One inspected lot.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct LotRecord {
    /// 0-based index of the lot in the scheme's history.
    pub lot: usize,
    /// Lot size.
    pub lot_size: u64,
    /// The state the lot was inspected under.
    pub state: State,
    /// The plan used, with its code letter and table.
    pub plan: StandardPlan,
    /// The lot decision.
    pub decision: Decision,
    /// The state after the switching rules were applied.
    pub state_after: State,
    /// The switching score after the lot (ISO 1999 rule, on normal inspection).
    pub switching_score: Option<u32>,
}

/// The switching-rule state machine (see the module docs).
#[derive(Debug, Clone)]
pub struct Scheme {
    aql: f64,
    level: Level,
    kind: Kind,
    edition: Edition,
    switching: Switching,
    /// The switching score; 0 outside normal inspection.
    score: u32,
    lots: usize,
}

impl Scheme {
    /// A scheme starting on normal inspection; `aql` in percent, as the
    /// tables print it.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for an AQL outside the preferred series;
    /// [`Error::NotAvailable`] for the ISO 1999 edition with double or multiple plans.
    pub fn new(aql: f64, level: Level, kind: Kind, edition: Edition) -> Result<Scheme> {
        super::aql_index(aql)?;
        if edition == Edition::Iso1999 && kind != Kind::Single {
            return Err(Error::NotAvailable(format!(
                "the ISO 2859-1:1999 switching scheme with {kind} sampling is not available (its {kind} tables and switching-score increments were not found); use the z14 edition or single sampling"
            )));
        }
        Ok(Scheme {
            aql,
            level,
            kind,
            edition,
            switching: Switching::new(),
            score: 0,
            lots: 0,
        })
    }

    /// The current state.
    pub fn state(&self) -> State {
        self.switching.state()
    }

    /// The switching score (ISO 1999 edition).
    pub fn switching_score(&self) -> u32 {
        self.score
    }

    /// The edition whose tables and switching rules the scheme applies.
    pub fn edition(&self) -> Edition {
        self.edition
    }

    /// The plan the next lot of `lot_size` items is inspected with.
    ///
    /// # Errors
    /// [`Error::NotAvailable`] when inspection is discontinued; as
    /// [`super::plan`] for the lot size.
    pub fn current_plan(&self, lot_size: u64) -> Result<StandardPlan> {
        let inspection = self.switching.inspection()?;
        plan(
            &Lookup::new(self.aql)
                .lot_size(lot_size)
                .level(self.level)
                .inspection(inspection)
                .kind(self.kind)
                .edition(self.edition()),
        )
    }

    /// Restarts a discontinued scheme on tightened inspection.
    pub fn resume(&mut self) {
        self.switching.resume();
        self.score = 0;
    }

    /// Inspects one lot: `counts` are the nonconforming items found in each
    /// stage drawn (one count for single sampling), until the plan decides.
    ///
    /// # Errors
    /// As [`Scheme::current_plan`] and [`crate::plan::AttributePlan::decide`];
    /// [`Error::InvalidArgument`] when the counts leave the lot undecided.
    pub fn inspect(&mut self, lot_size: u64, counts: &[u64]) -> Result<LotRecord> {
        let used = self.current_plan(lot_size)?;
        let decision = used.plan.decide(counts)?;
        if decision.outcome == Outcome::Continue {
            return Err(Error::invalid(
                "counts",
                format!("{counts:?}"),
                format!(
                    "the counts of every stage drawn until the plan decides (next sample: {} items)",
                    decision.next_sample_size.unwrap_or(0)
                ),
            ));
        }
        let state = self.switching.state();
        let accepted = decision.outcome == Outcome::Accept;
        let score = self.apply(&used, &decision, accepted)?;
        let record = LotRecord {
            lot: self.lots,
            lot_size,
            state,
            plan: used,
            decision,
            state_after: self.switching.state(),
            switching_score: score,
        };
        self.lots += 1;
        Ok(record)
    }

    /// Updates the state after a lot; returns the switching score to report
    /// (ISO 1999 rule, lots on normal inspection). A change of state resets
    /// the score.
    fn apply(
        &mut self,
        used: &StandardPlan,
        decision: &Decision,
        accepted: bool,
    ) -> Result<Option<u32>> {
        let before = self.switching.state();
        let mut score = self.score;
        let mut reported = None;
        let (edition, aql) = (self.edition, self.aql);
        let reduce = |run: u32| -> Result<bool> {
            Ok(match edition {
                Edition::Iso1999 => {
                    score = next_score(aql, score, used, decision, accepted)?;
                    reported = Some(score);
                    score >= 30
                }
                Edition::Z14 => run >= 10,
            })
        };
        self.switching
            .apply(accepted, decision.reinstate_normal, reduce)?;
        self.score = if self.switching.state() == before {
            score
        } else {
            0
        };
        Ok(reported)
    }

    /// Inspects a sequence of lots: `counts[i]` are the nonconforming items
    /// found in each stage drawn from lot `i` (one count for single sampling).
    ///
    /// When inspection becomes discontinued the run stops there: the history
    /// returned ends with the lot whose `state_after` is
    /// [`State::Discontinued`], and the later lots are not inspected (resume
    /// the scheme after corrective action and run them again).
    ///
    /// # Examples
    /// ```
    /// use qualstat::standards::iso2859_1::{Edition, Kind, Level, Scheme, State};
    /// let mut s = Scheme::new(1.0, Level::II, Kind::Single, Edition::Z14).unwrap();
    /// let history = s.run(&[1000; 10], &[[9]; 10]).unwrap();
    /// assert_eq!(history.len(), 7);
    /// assert_eq!(history[6].state_after, State::Discontinued);
    /// ```
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] when the two slices differ in length, and the
    /// errors of [`Scheme::inspect`], named `lots[i]`.
    pub fn run<C: AsRef<[u64]>>(
        &mut self,
        lot_sizes: &[u64],
        counts: &[C],
    ) -> Result<Vec<LotRecord>> {
        crate::error::check_same_len("lot_sizes", lot_sizes.len(), "counts", counts.len())?;
        let mut history = Vec::with_capacity(lot_sizes.len());
        for (i, (&lot, c)) in lot_sizes.iter().zip(counts).enumerate() {
            let record = self.inspect(lot, c.as_ref()).map_err(|e| match e {
                Error::NotAvailable(m) => Error::NotAvailable(format!("lot {i}: {m}")),
                other => other.renamed(|name| format!("lots[{i}].{name}")),
            })?;
            let stop = record.state_after == State::Discontinued;
            history.push(record);
            if stop {
                break;
            }
        }
        Ok(history)
    }
}

/// The ISO 1999 switching score after a lot on normal inspection.
fn next_score(
    aql: f64,
    score: u32,
    used: &StandardPlan,
    decision: &Decision,
    accepted: bool,
) -> Result<u32> {
    if !accepted {
        return Ok(0);
    }
    let ac = used.plan.ac().last().copied().unwrap_or(0);
    if ac <= 1 {
        return Ok(score + 2);
    }
    let a = super::aql_index(aql)?;
    if a == 0 {
        return Ok(0);
    }
    let tighter = plan(
        &Lookup::new(super::PREFERRED_AQLS[a - 1])
            .code(used.code_letter)
            .edition(Edition::Iso1999),
    )?;
    let tighter_ac = tighter.plan.ac().last().copied().unwrap_or(-1);
    Ok(if (decision.cumulative as i64) <= tighter_ac {
        score + 3
    } else {
        0
    })
}
