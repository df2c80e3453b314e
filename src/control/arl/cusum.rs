//! Tabular CUSUM run lengths: C⁺ₜ = max(0, C⁺ₜ₋₁ + zₜ − k), signal when
//! C⁺ₜ > h (and the mirror image C⁻ for the lower side), with z ~ N(δ, 1)
//! and k, h, the head start s and the shift δ in sigma units of the
//! plotted statistic (`reference/spc_notes.md` §5).
//!
//! **Engine.** The one-sided ARL L(z) from C⁺ = z solves
//! L(z) = 1 + L(0)·Φ(k − z − δ) + ∫₀ʰ L(y) φ(y + k − z − δ) dy, solved by
//! the Nyström method with an n-point Gauss–Legendre rule on [0, h] plus the
//! atom at 0 (Vance 1986; spc `xcusum.arl`, `method = "igl"`). The kernel is
//! analytic, so the error falls geometrically with n; with
//! n = [`nodes`]`(h)` (6 nodes per unit of h, at least 48) the ARL agrees
//! with a 500-node numpy solution within max(1e-9, ARL·1e-13) relative over
//! k ∈ [0, 2], h ≤ 20, δ ∈ [−1, 4] (the second term is rounding: I − Q is
//! nearly singular when the ARL is large); `tests/python/test_arl.py`.
//!
//! **Cross-check.** [`cusum_arl_markov`] is Brook & Evans's (1972) Markov
//! chain with m states of width w = 2h/(2m − 1) (state 0 = [0, w/2)); its
//! error falls like 1/m², hence it is a check, not the engine.
//!
//! **Two-sided.** 1/L = 1/L⁺ + 1/L⁻ from zero (Lucas & Crosier 1982), and
//! with head start s on both sides
//! L = (L⁺(s)L⁻(0) + L⁺(0)L⁻(s) − L⁺(0)L⁻(0)) / (L⁺(0) + L⁻(0))
//! (Lucas & Crosier 1982; spc `xc2_iglarl`), for s ≤ h/2 + k, where the
//! derivation holds; L⁻ at shift δ is L⁺ at −δ. The formulas treat the two
//! sides as never active at once; they are exact when h ≤ 2k and are the
//! published convention otherwise (the tests check them against seeded
//! simulations within the standard error).

use super::chain::Chain;
use super::{check_arl0, check_shift, RunLength, State};
use crate::error::{Error, Result};
use crate::numerics::{gauss_legendre, normal, roots};

/// Largest decision interval h accepted.
pub const MAX_H: f64 = 50.0;

/// Number of Gauss–Legendre nodes for a CUSUM with decision interval `h`.
pub fn nodes(h: f64) -> usize {
    ((6.0 * h).ceil() as usize + 24).max(48)
}

/// One or both sides of a CUSUM.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sides {
    /// The upper CUSUM C⁺ alone (detects increases).
    One,
    /// Upper and lower CUSUMs together.
    Two,
}

impl Sides {
    /// 1 or 2 as [`Sides`].
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for any other number.
    pub fn from_count(sides: i64) -> Result<Sides> {
        match sides {
            1 => Ok(Sides::One),
            2 => Ok(Sides::Two),
            _ => Err(Error::invalid("sides", sides, "1 or 2")),
        }
    }
}

/// A checked CUSUM design.
#[derive(Debug, Clone, Copy)]
pub struct Cusum {
    k: f64,
    h: f64,
    head_start: f64,
    sides: Sides,
}

impl Cusum {
    /// Checks k (finite, >= 0), h (in (0, 50]) and the head start (in
    /// [0, h); at most h/2 + k for two sides).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] naming the argument and its range.
    pub fn new(k: f64, h: f64, head_start: f64, sides: Sides) -> Result<Cusum> {
        if !(k.is_finite() && k >= 0.0) {
            return Err(Error::invalid(
                "k",
                k,
                "a finite number >= 0 (in sigma units)",
            ));
        }
        if !(h > 0.0 && h <= MAX_H) {
            return Err(Error::invalid(
                "h",
                h,
                "a number in (0, 50] (in sigma units)",
            ));
        }
        if !(head_start >= 0.0 && head_start < h) {
            return Err(Error::invalid(
                "head_start",
                head_start,
                format!("a number in [0, h) = [0, {h})"),
            ));
        }
        if sides == Sides::Two && head_start > h / 2.0 + k {
            return Err(Error::invalid(
                "head_start",
                head_start,
                format!(
                    "at most h/2 + k = {} for a two-sided CUSUM (where the two-sided formula holds)",
                    h / 2.0 + k
                ),
            ));
        }
        Ok(Cusum {
            k,
            h,
            head_start,
            sides,
        })
    }

    /// The Nyström chain of the upper CUSUM at shift δ started at `start`.
    fn chain(&self, shift: f64, start: f64) -> Chain {
        let (k, h) = (self.k, self.h);
        let m = nodes(h);
        let (y, w) = gauss_legendre::nodes_weights(m, 0.0, h);
        let row = |z: f64| -> Vec<f64> {
            let mut r = Vec::with_capacity(m + 1);
            r.push(normal::cdf(k - z - shift));
            r.extend(
                y.iter()
                    .zip(&w)
                    .map(|(yj, wj)| wj * normal::pdf(yj + k - z - shift)),
            );
            r
        };
        let n = m + 1;
        let mut q = Vec::with_capacity(n * n);
        q.extend(row(0.0));
        for yi in &y {
            q.extend(row(*yi));
        }
        Chain {
            n,
            q,
            start: row(start),
        }
    }

    /// One-sided (upper) ARL from `start` at shift δ.
    fn upper(&self, shift: f64, start: f64) -> f64 {
        self.chain(shift, start).arl()
    }

    /// The zero-state ARL at shift δ (sigma units).
    fn zero_state(&self, shift: f64) -> f64 {
        let s = self.head_start;
        match self.sides {
            Sides::One => self.upper(shift, s),
            Sides::Two => {
                let (up0, lo0) = (self.upper(shift, 0.0), self.upper(-shift, 0.0));
                if s == 0.0 {
                    1.0 / (1.0 / up0 + 1.0 / lo0)
                } else {
                    let (ups, los) = (self.upper(shift, s), self.upper(-shift, s));
                    two_sided_head_start(ups, up0, los, lo0)
                }
            }
        }
    }

    /// The ARL at shift δ, zero-state or steady-state.
    ///
    /// # Errors
    /// A non-finite shift; `State::Steady` for a two-sided CUSUM (its steady
    /// state needs the two-dimensional chain, which is not implemented).
    pub fn arl(&self, shift: f64, state: State) -> Result<f64> {
        check_shift(shift)?;
        match state {
            State::Zero => Ok(self.zero_state(shift)),
            State::Steady => Ok(self.steady_chain(shift)?.arl()),
        }
    }

    fn steady_chain(&self, shift: f64) -> Result<Chain> {
        if self.sides == Sides::Two {
            return Err(Error::NotAvailable(
                "the steady-state ARL of a two-sided CUSUM is not available \
                 (it needs a two-dimensional chain); use sides=1 or state=\"zero\""
                    .into(),
            ));
        }
        let g = self.chain(0.0, 0.0).quasi_stationary()?;
        let mut c = self.chain(shift, 0.0);
        c.start_from(&g);
        Ok(c)
    }

    /// Run-length distribution of the one-sided CUSUM: ARL, SDRL and the
    /// survival P(RL > t) up to P(RL > t) <= `tail` (at most `t_max` points).
    ///
    /// # Errors
    /// A non-finite shift; a two-sided CUSUM (its run length is not the
    /// combination of the two sides' distributions).
    pub fn run_length(
        &self,
        shift: f64,
        state: State,
        tail: f64,
        t_max: usize,
    ) -> Result<RunLength> {
        check_shift(shift)?;
        if self.sides == Sides::Two {
            return Err(Error::NotAvailable(
                "the run-length distribution of a two-sided CUSUM is not available; use sides=1"
                    .into(),
            ));
        }
        let chain = match state {
            State::Zero => self.chain(shift, self.head_start),
            State::Steady => self.steady_chain(shift)?,
        };
        Ok(RunLength::from_chain(&chain, tail, t_max))
    }
}

/// Lucas & Crosier's two-sided ARL with head start s from the one-sided
/// ARLs from s and from 0 of the upper (`up_s`, `up_0`) and lower sides;
/// an infinite side drops out (its limit as that side's ARL grows).
fn two_sided_head_start(up_s: f64, up_0: f64, lo_s: f64, lo_0: f64) -> f64 {
    match (up_0.is_finite(), lo_0.is_finite()) {
        (true, true) => (up_s * lo_0 + up_0 * lo_s - up_0 * lo_0) / (up_0 + lo_0),
        (true, false) => up_s,
        (false, true) => lo_s,
        (false, false) => f64::INFINITY,
    }
}

/// The ARL of a tabular CUSUM at each shift (sigma units), in parallel.
///
/// # Errors
/// As [`Cusum::new`] and [`Cusum::arl`]; `shifts[i]` names a bad shift.
pub fn cusum_arl(
    shifts: &[f64],
    k: f64,
    h: f64,
    head_start: f64,
    sides: Sides,
    state: State,
) -> Result<Vec<f64>> {
    let c = Cusum::new(k, h, head_start, sides)?;
    super::batch(shifts, |d| c.arl(d, state))
}

/// The one-sided CUSUM ARL by Brook & Evans's (1972) Markov chain with
/// `states` states (at least 2, at most 5000): a cross-check of the
/// integral-equation engine; its error falls like 1/states².
///
/// # Errors
/// As [`Cusum::new`]; `states` out of range; a non-finite shift.
pub fn cusum_arl_markov(shift: f64, k: f64, h: f64, head_start: f64, states: usize) -> Result<f64> {
    Cusum::new(k, h, head_start, Sides::One)?;
    check_shift(shift)?;
    if !(2..=5000).contains(&states) {
        return Err(Error::invalid(
            "states",
            states,
            "a whole number from 2 to 5000",
        ));
    }
    let m = states;
    let w = 2.0 * h / (2 * m - 1) as f64;
    let row = |z: f64| -> Vec<f64> {
        let mut r = Vec::with_capacity(m);
        r.push(normal::cdf(0.5 * w - z + k - shift));
        for j in 1..m {
            let hi = (j as f64 + 0.5) * w - z + k - shift;
            let lo = (j as f64 - 0.5) * w - z + k - shift;
            r.push(normal::cdf(hi) - normal::cdf(lo));
        }
        r
    };
    let mut q = Vec::with_capacity(m * m);
    for i in 0..m {
        q.extend(row(i as f64 * w));
    }
    // From the head start itself (not its cell's midpoint, which would add
    // an error of order w).
    let start = row(head_start);
    Ok(Chain { n: m, q, start }.arl())
}

/// The decision interval h of a CUSUM with reference value `k` whose
/// in-control (δ = 0) zero-state ARL is `arl0` (spc `xcusum.crit`): the root
/// of the increasing function h ↦ ARL₀(h), by Brent's method to 1e-10.
///
/// # Errors
/// `k` out of range; `arl0` not above the ARL at h → 0
/// (1/P(z > k) one-sided, half that two-sided) or beyond 1e12, or no h up
/// to 50 reaches it.
pub fn cusum_h(k: f64, arl0: f64, sides: Sides, head_start_fraction: f64) -> Result<f64> {
    Cusum::new(k, 1.0, 0.0, sides)?;
    if !(0.0..=0.5).contains(&head_start_fraction) {
        return Err(Error::invalid(
            "head_start_fraction",
            head_start_fraction,
            "a fraction of h in [0, 0.5]",
        ));
    }
    let floor = match sides {
        Sides::One => 1.0 / normal::sf(k),
        Sides::Two => 0.5 / normal::sf(k),
    };
    check_arl0(arl0, floor)?;
    let log_arl = |h: f64| -> f64 {
        // Capped (ARLs beyond 1e15 are infinite) so Brent sees finite values.
        Cusum::new(k, h, head_start_fraction * h, sides)
            .map_or(f64::NAN, |c| c.zero_state(0.0).ln().min(40.0))
    };
    let target = arl0.ln();
    let mut hi = 1.0;
    while log_arl(hi) < target {
        hi *= 2.0;
        if hi > MAX_H {
            return Err(Error::NoSolution(format!(
                "no decision interval h up to 50 gives an in-control ARL of {arl0} with k = {k}"
            )));
        }
    }
    roots::find_root(|h| log_arl(h) - target, 1e-9, hi, 1e-10).ok_or_else(|| {
        Error::NoSolution(format!(
            "no decision interval h gives an in-control ARL of {arl0}"
        ))
    })
}
