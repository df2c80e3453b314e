//! Run-length theory and design of control charts (`reference/spc_notes.md`
//! §5): average run length (zero-state and conditional steady-state), its
//! standard deviation and distribution, under a shift δ of the process mean
//! in sigma units, for
//!
//! * Shewhart charts with runs rules, exactly, by a Markov chain (Champ &
//!   Woodall 1987) — [`shewhart`];
//! * tabular CUSUM, one- or two-sided, with a head start, by the integral
//!   equation (Nyström / Gauss–Legendre; Brook–Evans Markov chain as a
//!   cross-check) — [`cusum`];
//! * EWMA with fixed asymptotic limits, by the integral equation — [`ewma`];
//! * Shewhart attribute charts (p, np, c, u) with rule 1 at a process
//!   quality, from binomial and Poisson tails (geometric run length) —
//!   [`attribute`];
//!
//! and design solvers (CUSUM h, EWMA L for a target in-control ARL; the EWMA
//! λ and L that minimise the ARL at a shift). Every engine but the attribute
//! charts' (a closed form) reduces to one absorbing chain (`chain.rs`). Batch
//! functions take a slice of shifts (of qualities) and run in parallel on
//! qualstat's pool.

pub mod attribute;
mod chain;
pub mod cusum;
pub mod ewma;
pub mod shewhart;

pub use attribute::{AttributeChart, Counts};
pub use chain::Moments;
pub use cusum::{cusum_arl, cusum_arl_markov, cusum_h, Cusum, Sides};
pub use ewma::{ewma_arl, ewma_l, ewma_optimal, Ewma, EwmaDesign};
pub use shewhart::{shewhart_arl, Shewhart};

use crate::error::{Error, Result};
use crate::options::named_options;
use crate::parallel;
use rayon::prelude::*;

named_options! {
    /// Where the chart is when the shift starts.
    pub enum State for "state" {
        /// At its starting point (zero-state ARL).
        Zero = "zero" | "zero_state",
        /// In the conditional steady state: in control long enough without
        /// a signal (the quasi-stationary distribution of the in-control
        /// chain, as spc's `xewma.ad`, `xcusum.ad`).
        Steady = "steady" | "steady_state",
    }
}

/// The run-length distribution at one shift.
#[derive(Debug, Clone, PartialEq)]
pub struct RunLength {
    /// Average run length.
    pub arl: f64,
    /// Standard deviation of the run length.
    pub sdrl: f64,
    /// P(RL > t) for t = 0, 1, 2, ... (P(RL > 0) = 1), up to the first t
    /// with P(RL > t) at most the requested tail, or the requested length.
    pub survival: Vec<f64>,
}

impl RunLength {
    /// The run-length quantile at probability `p`: the smallest t with
    /// P(RL <= t) >= p, or `None` when the survival curve ends before.
    pub fn quantile(&self, p: f64) -> Option<usize> {
        chain::quantile(&self.survival, p)
    }
}

/// Largest in-control ARL a design solver aims at.
pub const MAX_ARL0: f64 = 1e12;

fn check_shift(shift: f64) -> Result<()> {
    if shift.is_finite() {
        Ok(())
    } else {
        Err(Error::invalid(
            "shift",
            shift,
            "a finite number (sigma units)",
        ))
    }
}

fn check_arl0(arl0: f64, floor: f64) -> Result<()> {
    if arl0 > floor && arl0 <= MAX_ARL0 {
        Ok(())
    } else {
        Err(Error::invalid(
            "arl0",
            arl0,
            format!("an in-control ARL in ({floor}, 1e12] (the lower end: the smallest ARL of this chart)"),
        ))
    }
}

/// `f` at every shift, in parallel; a bad shift is named by its index.
fn batch(shifts: &[f64], f: impl Fn(f64) -> Result<f64> + Sync) -> Result<Vec<f64>> {
    if let Some(i) = shifts.iter().position(|d| !d.is_finite()) {
        return Err(Error::invalid(
            format!("shift[{i}]"),
            shifts[i],
            "a finite number (sigma units)",
        ));
    }
    parallel::install(|| shifts.par_iter().map(|&d| f(d)).collect())
}
