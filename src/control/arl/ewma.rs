//! EWMA run lengths with fixed asymptotic limits: zₜ = (1 − λ)zₜ₋₁ + λxₜ,
//! z₀ = 0, signal when |zₜ| > c = L·√(λ/(2 − λ)), x ~ N(δ, 1), δ in sigma
//! units of the plotted statistic (`reference/spc_notes.md` §5). The limits
//! are the asymptotic ones of the classical tables (Crowder 1987; Lucas &
//! Saccucci 1990; spc `xewma.arl` with `limits = "fix"`), not the
//! time-varying limits the chart draws for its first points.
//!
//! **Engine.** L(u) = 1 + ∫₋꜀ᶜ L(y) λ⁻¹ φ((y − (1 − λ)u)/λ − δ) dy by the
//! Nyström method with n Gauss–Legendre nodes on [−c, c] (Crowder 1987;
//! Knoth, spc). The kernel has width λ, so n = [`nodes`]`(λ, c)` grows with
//! 2c/λ; with it the ARL agrees with a 700-node numpy solution within
//! max(1e-9, ARL·1e-13) relative for λ ∈ [0.01, 1], L ≤ 4, |δ| ≤ 4 (spot checks
//! down to λ = 0.002)
//! (`tests/python/test_arl.py`; the second term is rounding, as for the CUSUM).

use super::chain::{in_state, Chain};
use super::{check_arl0, RunLength, State};
use crate::error::{Error, Result};
use crate::numerics::{gauss_legendre, normal, optimize, roots};

/// Smallest smoothing constant accepted.
pub const MIN_LAMBDA: f64 = 0.001;
/// Largest limit multiplier L accepted.
pub const MAX_L: f64 = 8.0;

/// Number of Gauss–Legendre nodes for half-width `c` and smoothing `lam`.
pub fn nodes(lam: f64, c: f64) -> usize {
    ((5.0 * 2.0 * c / lam).ceil() as usize + 40).min(1200)
}

/// A checked EWMA design with fixed asymptotic limits.
#[derive(Debug, Clone, Copy)]
pub struct Ewma {
    lam: f64,
    c: f64,
}

impl Ewma {
    /// Checks λ (in [0.001, 1]) and L (in (0, 8]).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] naming `lam` or `L` and the range.
    pub fn new(lam: f64, l: f64) -> Result<Ewma> {
        if !(MIN_LAMBDA..=1.0).contains(&lam) {
            return Err(Error::invalid(
                "lam",
                lam,
                "a smoothing constant in [0.001, 1]",
            ));
        }
        if !(l > 0.0 && l <= MAX_L) {
            return Err(Error::invalid(
                "L",
                l,
                "a limit multiplier in (0, 8] (in sigma units of the EWMA)",
            ));
        }
        Ok(Ewma {
            lam,
            c: l * (lam / (2.0 - lam)).sqrt(),
        })
    }

    /// The half-width c of the limits in sigma units of the observations.
    pub fn half_width(&self) -> f64 {
        self.c
    }

    fn chain(&self, shift: f64) -> Chain {
        let (lam, c) = (self.lam, self.c);
        let n = nodes(lam, c);
        let (y, w) = gauss_legendre::nodes_weights(n, -c, c);
        let row = |u: f64| -> Vec<f64> {
            let centre = (1.0 - lam) * u;
            y.iter()
                .zip(&w)
                .map(|(yj, wj)| wj / lam * normal::pdf((yj - centre) / lam - shift))
                .collect()
        };
        let mut q = Vec::with_capacity(n * n);
        for yi in &y {
            q.extend(row(*yi));
        }
        Chain {
            n,
            q,
            start: row(0.0),
        }
    }

    fn chain_in(&self, shift: f64, state: State) -> Result<Chain> {
        in_state(|d| self.chain(d), shift, state)
    }

    /// The ARL at shift δ, zero-state or conditional steady-state.
    ///
    /// # Errors
    /// A non-finite shift.
    pub fn arl(&self, shift: f64, state: State) -> Result<f64> {
        Ok(self.chain_in(shift, state)?.arl())
    }

    /// ARL, SDRL and survival P(RL > t) up to P(RL > t) <= `tail` (at most
    /// `t_max` points).
    ///
    /// # Errors
    /// A non-finite shift.
    pub fn run_length(
        &self,
        shift: f64,
        state: State,
        tail: f64,
        t_max: usize,
    ) -> Result<RunLength> {
        Ok(RunLength::from_chain(
            &self.chain_in(shift, state)?,
            tail,
            t_max,
        ))
    }
}

/// The ARL of an EWMA chart with fixed asymptotic limits at each shift, in
/// parallel.
///
/// # Errors
/// As [`Ewma::new`] and [`Ewma::arl`].
pub fn ewma_arl(shifts: &[f64], lam: f64, l: f64, state: State) -> Result<Vec<f64>> {
    let e = Ewma::new(lam, l)?;
    super::batch(shifts, |d| e.arl(d, state))
}

/// The limit multiplier L of an EWMA with smoothing `lam` whose in-control
/// zero-state ARL is `arl0` (spc `xewma.crit`; Crowder 1989): the root of
/// the increasing function L ↦ ARL₀(L), by Brent's method to 1e-10.
///
/// # Errors
/// `lam` out of range; `arl0` not in (1, 1e12]; no L up to 8 reaches it.
pub fn ewma_l(lam: f64, arl0: f64) -> Result<f64> {
    Ewma::new(lam, 1.0)?;
    check_arl0(arl0, 1.0)?;
    let log_arl = |l: f64| {
        Ewma::new(lam, l)
            .and_then(|e| e.arl(0.0, State::Zero))
            .map_or(f64::NAN, |a| a.ln().min(40.0))
    };
    let target = arl0.ln();
    if log_arl(MAX_L) < target {
        return Err(Error::NoSolution(format!(
            "no limit multiplier L up to 8 gives an in-control ARL of {arl0} with lam = {lam}"
        )));
    }
    roots::find_root(|l| log_arl(l) - target, 1e-6, MAX_L, 1e-10).ok_or_else(|| {
        Error::NoSolution(format!(
            "no limit multiplier L gives an in-control ARL of {arl0}"
        ))
    })
}

/// An EWMA design: λ, L and its ARLs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EwmaDesign {
    /// Smoothing constant λ.
    pub lam: f64,
    /// Limit multiplier L.
    pub l: f64,
    /// In-control zero-state ARL (the target).
    pub arl0: f64,
    /// Zero-state ARL at the design shift.
    pub arl1: f64,
}

/// The EWMA (λ, L) with in-control ARL `arl0` that minimises the zero-state
/// ARL at `shift` (Lucas & Saccucci 1990, Fig. 3; Crowder 1989): golden-section
/// search over ln λ in [ln 0.005, 0] (to 1e-3 in ln λ, i.e. 0.1 % in λ; the
/// ARL is flat near the optimum), with L = [`ewma_l`](λ, arl0) at each λ.
///
/// # Errors
/// `shift` not finite and non-zero; `arl0` as [`ewma_l`].
pub fn ewma_optimal(shift: f64, arl0: f64) -> Result<EwmaDesign> {
    if !(shift.is_finite() && shift != 0.0) {
        return Err(Error::invalid(
            "shift",
            shift,
            "a finite non-zero shift (sigma units)",
        ));
    }
    check_arl0(arl0, 1.0)?;
    let delta = shift.abs();
    let arl_at = |lam: f64| -> f64 {
        ewma_l(lam, arl0)
            .and_then(|l| Ewma::new(lam, l)?.arl(delta, State::Zero))
            .unwrap_or(f64::INFINITY)
    };
    let x = optimize::minimize(|x| arl_at(x.exp()), 0.005f64.ln(), 0.0, 1e-3);
    let lam = x.exp().min(1.0);
    let l = ewma_l(lam, arl0)?;
    let arl1 = Ewma::new(lam, l)?.arl(delta, State::Zero)?;
    Ok(EwmaDesign { lam, l, arl0, arl1 })
}
