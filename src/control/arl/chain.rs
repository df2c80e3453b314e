//! The one engine behind every run-length result: an absorbing chain given
//! by its transient part.
//!
//! A Markov chain over the non-signalling states of a chart (Champ & Woodall
//! 1987; Brook & Evans 1972) and the Nyström discretisation of a run-length
//! integral equation (Crowder 1987; Knoth, R package spc) have the same form:
//! a sub-stochastic n×n matrix Q (row i: the probability, or quadrature
//! weight times kernel, of moving from state i to state j without a signal)
//! and a start row s (the same from the chart's starting point). Then
//!
//! * L = (I − Q)⁻¹·1 is the ARL from each state, counted from the next point,
//!   and ARL = 1 + s·L;
//! * M = (I − Q)⁻¹(2L − 1) is E(RL²) from each state (from T = 1 + T′:
//!   E(T²) = 1 + 2QL + QM and QL = L − 1), and E(RL²) = 1 + 2s·L + s·M;
//! * P(RL > t) = s·Qᵗ⁻¹·1 for t ≥ 1 (Waldmann 1986's survival iteration);
//! * the conditional steady state (the chain in control long enough without
//!   a signal) is the quasi-stationary distribution g, the normalised left
//!   eigenvector of the in-control Q for its largest eigenvalue (power
//!   method, as spc's `xewma.ad`, `xcusum.ad`); a shift that starts there has
//!   start row g·Q and ARL g·L.

use crate::error::{Error, Result};
use crate::numerics::linalg::Lu;

/// The transient part of an absorbing chain and its start row.
#[derive(Debug, Clone)]
pub(crate) struct Chain {
    /// Number of transient states.
    pub n: usize,
    /// Row-major n×n transitions between transient states.
    pub q: Vec<f64>,
    /// Transitions from the start to each transient state.
    pub start: Vec<f64>,
}

/// The first two moments of the run length.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Moments {
    /// Average run length E(RL).
    pub arl: f64,
    /// Standard deviation of the run length.
    pub sdrl: f64,
}

fn singular() -> Error {
    Error::NoSolution("the run-length equations have no solution (the chart never signals)".into())
}

/// The chain at shift δ started as `state` asks: the zero state as
/// `chain_at` builds it, or the conditional steady state of the in-control
/// chain `chain_at(0)` (Shewhart and EWMA share this).
///
/// # Errors
/// A non-finite shift; an in-control chain without a steady state.
pub(crate) fn in_state(
    chain_at: impl Fn(f64) -> Chain,
    shift: f64,
    state: super::State,
) -> Result<Chain> {
    super::check_shift(shift)?;
    let mut c = chain_at(shift);
    if state == super::State::Steady {
        let g = chain_at(0.0).quasi_stationary()?;
        c.start_from(&g);
    }
    Ok(c)
}

impl Chain {
    /// The factorisation of I − Q.
    fn lu(&self) -> Result<Lu> {
        let n = self.n;
        let mut a: Vec<f64> = self.q.iter().map(|v| -v).collect();
        for i in 0..n {
            a[i * n + i] += 1.0;
        }
        Lu::new(a, n).ok_or_else(singular)
    }

    /// L = (I − Q)⁻¹·1: the ARL from each transient state.
    pub fn arl_by_state(&self) -> Result<Vec<f64>> {
        self.lu()?.solve(&vec![1.0; self.n]).ok_or_else(singular)
    }

    /// ARL = 1 + s·L from the start row; infinity when it exceeds
    /// [`MAX_FINITE_ARL`] or I − Q is singular (see there).
    pub fn arl(&self) -> f64 {
        self.arl_by_state()
            .map_or(f64::INFINITY, |l| resolved(1.0 + dot(&self.start, &l)))
    }

    /// ARL and SDRL from the start row (both infinite with the ARL).
    pub fn moments(&self) -> Moments {
        let infinite = Moments {
            arl: f64::INFINITY,
            sdrl: f64::INFINITY,
        };
        let Ok(lu) = self.lu() else {
            return infinite;
        };
        let Some(l) = lu.solve(&vec![1.0; self.n]) else {
            return infinite;
        };
        let rhs: Vec<f64> = l.iter().map(|v| 2.0 * v - 1.0).collect();
        let Some(m) = lu.solve(&rhs) else {
            return infinite;
        };
        let sl = dot(&self.start, &l);
        let arl = resolved(1.0 + sl);
        if arl.is_infinite() {
            return infinite;
        }
        let second = 1.0 + 2.0 * sl + dot(&self.start, &m);
        let var = (second - arl * arl).max(0.0);
        Moments {
            arl,
            sdrl: var.sqrt(),
        }
    }

    /// Replaces the start row by g·Q for a distribution g over the states
    /// (the start of a shift that begins in the conditional steady state).
    pub fn start_from(&mut self, g: &[f64]) {
        let n = self.n;
        let mut s = vec![0.0; n];
        for (i, gi) in g.iter().enumerate() {
            if *gi != 0.0 {
                for (sj, qij) in s.iter_mut().zip(&self.q[i * n..(i + 1) * n]) {
                    *sj += gi * qij;
                }
            }
        }
        self.start = s;
    }

    /// The quasi-stationary distribution of the chain (normalised left
    /// eigenvector of Q for its largest eigenvalue), by the power method
    /// from the start row, to 1e-13 in the L1 norm (at most 200 000 steps).
    pub fn quasi_stationary(&self) -> Result<Vec<f64>> {
        let n = self.n;
        let mut g = normalised(self.start.clone()).ok_or_else(singular)?;
        let mut next = vec![0.0; n];
        for _ in 0..200_000 {
            next.iter_mut().for_each(|v| *v = 0.0);
            for (i, gi) in g.iter().enumerate() {
                if *gi != 0.0 {
                    for (nj, qij) in next.iter_mut().zip(&self.q[i * n..(i + 1) * n]) {
                        *nj += gi * qij;
                    }
                }
            }
            let Some(v) = normalised(next.clone()) else {
                return Err(singular());
            };
            let change: f64 = v.iter().zip(&g).map(|(a, b)| (a - b).abs()).sum();
            g = v;
            if change < 1e-13 {
                return Ok(g);
            }
        }
        Err(Error::NoSolution(
            "the steady state of the chart did not converge (the chain is periodic)".into(),
        ))
    }

    /// Survival P(RL > t) for t = 0, 1, ..., up to the first t with
    /// P(RL > t) <= `tail` or t = `t_max` (whichever comes first).
    pub fn survival(&self, tail: f64, t_max: usize) -> Vec<f64> {
        let n = self.n;
        let mut out = vec![1.0];
        let mut s = vec![1.0; n];
        let mut next = vec![0.0; n];
        for _ in 0..t_max {
            let p = dot(&self.start, &s);
            out.push(p);
            if p <= tail {
                break;
            }
            for (i, v) in next.iter_mut().enumerate() {
                *v = dot(&self.q[i * n..(i + 1) * n], &s);
            }
            std::mem::swap(&mut s, &mut next);
        }
        out
    }
}

impl super::RunLength {
    /// ARL, SDRL and survival of a chain (see [`Chain::survival`]).
    pub(crate) fn from_chain(chain: &Chain, tail: f64, t_max: usize) -> Self {
        let Moments { arl, sdrl } = chain.moments();
        Self {
            arl,
            sdrl,
            survival: chain.survival(tail, t_max),
        }
    }
}

/// The quantile of the run length at probability `p` from a survival curve
/// P(RL > t), t = 0, 1, ...: the smallest t with P(RL <= t) >= p, or `None`
/// when the curve ends first.
pub(crate) fn quantile(survival: &[f64], p: f64) -> Option<usize> {
    survival.iter().position(|s| 1.0 - s >= p)
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn normalised(mut v: Vec<f64>) -> Option<Vec<f64>> {
    let total: f64 = v.iter().sum();
    if !(total > 0.0 && total.is_finite()) {
        return None;
    }
    v.iter_mut().for_each(|x| *x /= total);
    Some(v)
}

/// The largest ARL reported as a number. The rounding error of the solution
/// grows with the ARL (about ARL·1e-16 relative, the conditioning of I − Q),
/// and beyond this value I − Q is singular to working precision: such ARLs
/// are reported as infinity (the chart practically never signals).
pub const MAX_FINITE_ARL: f64 = 1e15;

/// An ARL as computed, or infinity beyond [`MAX_FINITE_ARL`] (or when the
/// solution broke down: negative or not finite).
fn resolved(arl: f64) -> f64 {
    if (1.0 - 1e-9..=MAX_FINITE_ARL).contains(&arl) {
        arl.max(1.0)
    } else {
        f64::INFINITY
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A chain with one state that stays with probability p: the run length
    /// is geometric with mean 1/(1 − p) from the state.
    fn geometric(p: f64) -> Chain {
        Chain {
            n: 1,
            q: vec![p],
            start: vec![p],
        }
    }

    #[test]
    fn geometric_run_length_has_the_closed_form_moments() {
        let m = geometric(0.9).moments();
        assert!((m.arl - 10.0).abs() < 1e-12);
        // Var = p/(1 − p)^2 = 90.
        assert!((m.sdrl - 90f64.sqrt()).abs() < 1e-10, "{}", m.sdrl);
        let s = geometric(0.5).survival(1e-3, 100);
        assert!((s[3] - 0.125).abs() < 1e-15);
        assert_eq!(quantile(&s, 0.5), Some(1));
        assert_eq!(quantile(&s, 0.9), Some(4));
    }

    #[test]
    fn a_chain_that_never_signals_has_an_infinite_arl() {
        assert_eq!(geometric(1.0).arl(), f64::INFINITY);
        assert_eq!(geometric(1.0 - 1e-17).moments().sdrl, f64::INFINITY);
    }
}
