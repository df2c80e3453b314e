//! Switching rules for variables plans: a state machine fed one lot at a time.
//!
//! The rules are those of the `switching` module of [`crate::standards`]
//! (ISO 2859-1 / ANSI Z1.4, which ISO 3951-1 adopts), described there once,
//! with the Z1.4 condition for reduced inspection (10 consecutive accepted
//! lots on normal inspection). The ISO 3951-1:2013 switching score is not
//! applied (its increments for variables plans were not available).

use super::{plan, Level, Lookup, StandardVariablesPlan};
use crate::error::{Error, Result};
use crate::plan::Outcome;
use crate::standards::switching::Switching;
use crate::standards::State;
use crate::variables::{Control, Method, VariablesDecision};

/// One inspected lot.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct VariablesLotRecord {
    /// 0-based index of the lot in the scheme's history.
    pub lot: usize,
    /// Lot size.
    pub lot_size: u64,
    /// The state the lot was inspected under.
    pub state: State,
    /// The plan used.
    pub plan: StandardVariablesPlan,
    /// The lot decision.
    pub decision: VariablesDecision,
    /// The state after the switching rules were applied.
    pub state_after: State,
}

/// The switching-rule state machine for variables plans (module docs).
#[derive(Debug, Clone)]
pub struct Scheme {
    aql: f64,
    level: Level,
    method: Method,
    sigma: Option<f64>,
    switching: Switching,
    lots: usize,
}

impl Scheme {
    /// A scheme starting on normal inspection. `sigma` is the known process
    /// standard deviation (required for the σ-method).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for an AQL outside the tables, a level not
    /// in Z1.9, or the σ-method without a finite positive `sigma`.
    pub fn new(aql: f64, level: Level, method: Method, sigma: Option<f64>) -> Result<Scheme> {
        super::aql_index(aql)?;
        super::code_letter(2, level)?;
        if method == Method::Sigma && !sigma.is_some_and(|s| s > 0.0 && s.is_finite()) {
            return Err(Error::invalid(
                "sigma",
                format!("{sigma:?}"),
                "the known process standard deviation (finite, positive) for the sigma-method",
            ));
        }
        Ok(Scheme {
            aql,
            level,
            method,
            sigma,
            switching: Switching::new(),
            lots: 0,
        })
    }

    /// The current state.
    pub fn state(&self) -> State {
        self.switching.state()
    }

    /// The plan the next lot of `lot_size` items is inspected with.
    ///
    /// # Errors
    /// [`Error::NotAvailable`] when inspection is discontinued; as [`plan`].
    pub fn current_plan(&self, lot_size: u64) -> Result<StandardVariablesPlan> {
        let inspection = self.switching.inspection()?;
        let mut p = plan(&Lookup {
            lot_size: Some(lot_size),
            level: self.level,
            inspection,
            tables: self.method,
            ..Lookup::new(self.aql)
        })?;
        if let Some(s) = self.sigma {
            p.plan = p.plan.with_sigma(s)?;
        }
        Ok(p)
    }

    /// Restarts a discontinued scheme on tightened inspection.
    pub fn resume(&mut self) {
        self.switching.resume();
    }

    /// Inspects one lot from its measurements.
    ///
    /// # Errors
    /// As [`Scheme::current_plan`] and [`crate::variables::VariablesPlan::decide`].
    pub fn inspect(
        &mut self,
        lot_size: u64,
        measurements: &[f64],
        lsl: Option<f64>,
        usl: Option<f64>,
        control: Control,
    ) -> Result<VariablesLotRecord> {
        let used = self.current_plan(lot_size)?;
        let decision = used.plan.decide(measurements, lsl, usl, control)?;
        let state = self.switching.state();
        self.switching
            .apply(decision.outcome == Outcome::Accept, false, |run| {
                Ok(run >= 10)
            })?;
        let record = VariablesLotRecord {
            lot: self.lots,
            lot_size,
            state,
            plan: used,
            decision,
            state_after: self.switching.state(),
        };
        self.lots += 1;
        Ok(record)
    }
}
