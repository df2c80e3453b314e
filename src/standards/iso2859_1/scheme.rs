//! The switching rules: a state machine fed one lot at a time.
//!
//! Rules (ISO 2859-1:1999 clause 9; ANSI Z1.4 / MIL-STD-105E §8):
//! * start on normal inspection;
//! * normal → tightened when 2 lots out of 5 or fewer consecutive lots on
//!   normal inspection are not accepted;
//! * tightened → normal after 5 consecutive accepted lots;
//! * tightened → discontinued when the number of lots not accepted while on
//!   tightened inspection reaches 5 ([`Scheme::resume`] restarts on tightened
//!   after corrective action);
//! * normal → reduced: [`Rule::Iso1999`] when the switching score reaches 30;
//!   [`Rule::Z14`] after 10 consecutive accepted lots on normal inspection.
//!   Both assume steady production and approval by the responsible
//!   authority; the optional Z1.4 limit numbers (Table VIII) are not applied;
//! * reduced → normal when a lot is not accepted; under [`Rule::Z14`] also when
//!   the lot is accepted with Ac < d < Re (the reduced plans' gap).
//!
//! Switching score (ISO 2859-1:1999 9.3.3, single sampling, normal inspection):
//! starts at 0 on normal inspection; a lot not accepted resets it to 0; with
//! Ac 0 or 1 an accepted lot adds 2; with Ac >= 2 an accepted lot adds 3 when it
//! would also have been accepted at the AQL one step tighter (the acceptance
//! number of the same code letter's normal single plan at the next smaller
//! preferred AQL), and otherwise resets the score to 0. The increments for
//! double and multiple sampling were not found in any source, and the 1999
//! double and multiple tables are not available: the ISO 1999 rule runs single
//! plans only (asking for others is [`Error::NotAvailable`]).

use super::{plan, Edition, Kind, Level, Lookup, StandardPlan};
use crate::error::{Error, Result};
use crate::options::named_options;
use crate::plan::{Decision, Outcome};
use crate::standards::switching::Switching;

named_options! {
    /// The switching rule set.
    pub enum Rule for "rule" {
        /// ISO 2859-1:1999 / GB/T 2828.1-2012: switching score, 1999 reduced plans.
        Iso1999 = "iso1999",
        /// ANSI Z1.4 / MIL-STD-105E: 10 accepted lots, reduced plans with a gap.
        Z14 = "z14",
    }
}

/// State of the scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum State {
    /// Normal inspection.
    Normal,
    /// Tightened inspection.
    Tightened,
    /// Reduced inspection.
    Reduced,
    /// Inspection discontinued (5 lots not accepted on tightened).
    Discontinued,
}

impl State {
    /// "normal", "tightened", "reduced" or "discontinued".
    pub fn name(self) -> &'static str {
        match self {
            State::Normal => "normal",
            State::Tightened => "tightened",
            State::Reduced => "reduced",
            State::Discontinued => "discontinued",
        }
    }
}

/// One inspected lot.
#[derive(Debug, Clone, PartialEq)]
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
    rule: Rule,
    switching: Switching,
    /// The switching score; 0 outside normal inspection.
    score: u32,
    lots: usize,
}

impl Scheme {
    /// A scheme starting on normal inspection.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for an AQL outside the preferred series;
    /// [`Error::NotAvailable`] for the ISO 1999 rule with double or multiple plans.
    pub fn new(aql: f64, level: Level, kind: Kind, rule: Rule) -> Result<Scheme> {
        super::aql_index(aql)?;
        if rule == Rule::Iso1999 && kind != Kind::Single {
            return Err(Error::NotAvailable(format!(
                "the ISO 2859-1:1999 switching scheme with {} sampling is not available (its {} tables and switching-score increments were not found); use rule=\"z14\" or kind=\"single\"",
                kind.name(),
                kind.name()
            )));
        }
        Ok(Scheme {
            aql,
            level,
            kind,
            rule,
            switching: Switching::new(),
            score: 0,
            lots: 0,
        })
    }

    /// The current state.
    pub fn state(&self) -> State {
        self.switching.state()
    }

    /// The switching score (ISO 1999 rule).
    pub fn switching_score(&self) -> u32 {
        self.score
    }

    fn edition(&self) -> Edition {
        match self.rule {
            Rule::Iso1999 => Edition::Iso1999,
            Rule::Z14 => Edition::Z14,
        }
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
        let score = self.apply(&used, &decision, accepted, lot_size)?;
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
        lot_size: u64,
    ) -> Result<Option<u32>> {
        let before = self.switching.state();
        let mut score = self.score;
        let mut reported = None;
        let (rule, aql) = (self.rule, self.aql);
        let reduce = |run: u32| -> Result<bool> {
            Ok(match rule {
                Rule::Iso1999 => {
                    score = next_score(aql, score, used, decision, accepted, lot_size)?;
                    reported = Some(score);
                    score >= 30
                }
                Rule::Z14 => run >= 10,
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

    /// Inspects a sequence of lots (single sampling: one count per lot).
    ///
    /// Stops at the first error (e.g. inspection discontinued) and returns it
    /// with the lot index; use [`Scheme::inspect`] to handle each lot.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] when the two slices differ in length, and the
    /// errors of [`Scheme::inspect`], named `lots[i]`.
    pub fn run(&mut self, lot_sizes: &[u64], nonconforming: &[u64]) -> Result<Vec<LotRecord>> {
        crate::error::check_same_len(
            "lot_sizes",
            lot_sizes.len(),
            "nonconforming",
            nonconforming.len(),
        )?;
        lot_sizes
            .iter()
            .zip(nonconforming)
            .enumerate()
            .map(|(i, (&lot, &d))| {
                self.inspect(lot, &[d]).map_err(|e| match e {
                    Error::NotAvailable(m) => Error::NotAvailable(format!("lot {i}: {m}")),
                    other => other.renamed(|name| format!("lots[{i}].{name}")),
                })
            })
            .collect()
    }
}

/// The ISO 1999 switching score after a lot on normal inspection.
fn next_score(
    aql: f64,
    score: u32,
    used: &StandardPlan,
    decision: &Decision,
    accepted: bool,
    lot_size: u64,
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
            .lot_size(lot_size)
            .edition(Edition::Iso1999),
    )?;
    let tighter_ac = tighter.plan.ac().last().copied().unwrap_or(-1);
    Ok(if (decision.cumulative as i64) <= tighter_ac {
        score + 3
    } else {
        0
    })
}
