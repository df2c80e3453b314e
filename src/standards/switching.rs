//! The switching rules, described once: ISO 2859-1:1999 clause 9 / ANSI Z1.4
//! §8 (MIL-STD-105E), which ISO 3951-1 / ANSI Z1.9 adopt. The attribute
//! scheme (`iso2859_1::Scheme`) and the variables scheme (`iso3951::Scheme`)
//! both run this state machine; they differ only in how a lot is decided and
//! in the condition for reduced inspection they pass in.
//! * start on normal inspection;
//! * normal → tightened when 2 lots out of 5 or fewer consecutive lots on
//!   normal inspection are not accepted;
//! * tightened → normal after 5 consecutive accepted lots;
//! * tightened → discontinued when 5 lots have not been accepted while on
//!   tightened inspection ([`Switching::resume`] restarts on tightened);
//! * normal → reduced when the caller's condition holds: 10 consecutive
//!   accepted lots on normal inspection (ANSI Z1.4, and the variables scheme),
//!   or the ISO 2859-1:1999 switching score reaching 30. Both assume steady
//!   production and approval by the responsible authority; the optional Z1.4
//!   limit numbers (Table VIII) are not applied;
//! * reduced → normal when a lot is not accepted or the caller asks for it
//!   (a Z1.4 reduced plan's gap: Ac < d < Re accepts the lot and reinstates
//!   normal inspection).

use super::{Inspection, State};
use crate::error::{Error, Result};

/// The state and the counters of the switching rules.
#[derive(Debug, Clone)]
pub(super) struct Switching {
    state: State,
    /// Outcomes (accepted?) of the last lots on normal inspection, newest last, at most 5.
    recent: Vec<bool>,
    /// Consecutive accepted lots in the current state.
    run: u32,
    /// Lots not accepted since entering tightened inspection.
    tightened_rejections: u32,
}

impl Switching {
    /// Normal inspection, no history.
    pub(super) fn new() -> Self {
        Switching {
            state: State::Normal,
            recent: Vec::with_capacity(5),
            run: 0,
            tightened_rejections: 0,
        }
    }

    /// The current state.
    pub(super) fn state(&self) -> State {
        self.state
    }

    /// The severity the next lot is inspected with.
    ///
    /// # Errors
    /// [`Error::NotAvailable`] when inspection is discontinued.
    pub(super) fn inspection(&self) -> Result<Inspection> {
        self.state.inspection().ok_or_else(|| {
            Error::NotAvailable(
                "inspection is discontinued (5 lots not accepted on tightened inspection): resume the scheme after corrective action".into(),
            )
        })
    }

    /// Restarts a discontinued scheme on tightened inspection.
    pub(super) fn resume(&mut self) {
        if self.state == State::Discontinued {
            self.enter(State::Tightened);
        }
    }

    fn enter(&mut self, state: State) {
        self.state = state;
        self.recent.clear();
        self.run = 0;
        self.tightened_rejections = 0;
    }

    /// Applies the rules after a lot. On normal inspection `reduce` is called
    /// (always, after the counters are updated) with the number of
    /// consecutive accepted lots and says whether the condition for reduced
    /// inspection holds; on reduced inspection `reinstate_normal` returns to
    /// normal inspection even for an accepted lot.
    ///
    /// # Errors
    /// Those of `reduce`.
    pub(super) fn apply(
        &mut self,
        accepted: bool,
        reinstate_normal: bool,
        reduce: impl FnOnce(u32) -> Result<bool>,
    ) -> Result<()> {
        match self.state {
            State::Normal => {
                if self.recent.len() == 5 {
                    self.recent.remove(0);
                }
                self.recent.push(accepted);
                self.run = if accepted { self.run + 1 } else { 0 };
                let reduced = reduce(self.run)?;
                if self.recent.iter().filter(|&&a| !a).count() >= 2 {
                    self.enter(State::Tightened);
                } else if reduced {
                    self.enter(State::Reduced);
                }
            }
            State::Tightened => {
                if accepted {
                    self.run += 1;
                    if self.run >= 5 {
                        self.enter(State::Normal);
                    }
                } else {
                    self.run = 0;
                    self.tightened_rejections += 1;
                    if self.tightened_rejections >= 5 {
                        self.enter(State::Discontinued);
                    }
                }
            }
            State::Reduced => {
                if !accepted || reinstate_normal {
                    self.enter(State::Normal);
                }
            }
            State::Discontinued => {}
        }
        Ok(())
    }
}
