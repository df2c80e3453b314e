//! Starting values for inverting I_x(a, b) with one parameter small.
//!
//! With m = min(a, b) fixed and M = max(a, b) → ∞, T·(−ln X) → Gamma(m) in
//! distribution for X ~ Beta(M, m), with T = M + (m − 1)/2 (the variable of
//! Temme's large-a expansion; DiDonato & Morris 1992, ACM TOMS 708, BGRAT);
//! the relative error of the quantile is O(m³/M²), and zero at m = 1. So the
//! root of I_x(M, m) = p starts at x = exp(−g/T) with g = Q⁻¹(m, p), and that
//! of I_x(m, M) = p at 1 − x = exp(−g/T) with g = P⁻¹(m, p) (P, Q the
//! regularized incomplete gamma functions). Where it is used (m a
//! half-integer up to 30, M ≥ 30·m^{3/2}) the start is within about 1e-3 of
//! the root on the scale of ln I, so one evaluation of I_x finishes the
//! inversion, where the usual start needs about two.
//!
//! The gamma quantiles are costly (a few evaluations of P each), so they are
//! kept in a process-wide table, per smaller tail probability s = min(p, q)
//! (its f64 bits) for the first [`SLOTS`] distinct s seen, filled entry by
//! entry on first use; beyond that they are computed on each call. Each entry
//! is a function of (s, m) only, so a start — and so every bit of a root —
//! is the same whether the table held it, a batch filled it, or it was
//! computed on the spot, on any thread. The table is lock-free (atomics with
//! relaxed ordering suffice: an entry is written whole, and any thread
//! writing it writes the same bits).

use std::sync::atomic::{AtomicU64, Ordering};

/// Largest 2·min(a, b) with a gamma start.
const HALVES: usize = 60;
/// Largest min(a, b) with a gamma start.
pub(super) const LARGEST_SMALL: f64 = (HALVES / 2) as f64;
/// Distinct tail probabilities s the table holds (a process uses one or two
/// confidence levels as a rule).
const SLOTS: usize = 8;
/// An unused slot's key (s = 0 never uses the table) and an entry not yet
/// computed (a NaN no quantile is).
const EMPTY: u64 = 0;
const UNSET: u64 = u64::MAX;

/// The quantiles at one s: P⁻¹(k/2, s) at index k − 1 and Q⁻¹(k/2, s) at
/// index HALVES + k − 1, as f64 bits.
struct Slot {
    key: AtomicU64,
    quantiles: [AtomicU64; 2 * HALVES],
}

#[allow(clippy::declare_interior_mutable_const)] // only as array initialisers
const UNSET_ENTRY: AtomicU64 = AtomicU64::new(UNSET);
#[allow(clippy::declare_interior_mutable_const)]
const EMPTY_SLOT: Slot = Slot {
    key: AtomicU64::new(EMPTY),
    quantiles: [UNSET_ENTRY; 2 * HALVES],
};
static TABLE: [Slot; SLOTS] = [EMPTY_SLOT; SLOTS];

/// The slot of s, claimed if s has none and one is free.
fn slot_for(s: f64) -> Option<&'static Slot> {
    let key = s.to_bits();
    for slot in &TABLE {
        // Read first: a slot in use is only read, never written, here.
        let held = match slot.key.load(Ordering::Relaxed) {
            EMPTY => slot
                .key
                .compare_exchange(EMPTY, key, Ordering::Relaxed, Ordering::Relaxed)
                .map_or_else(|held| held, |_| key),
            held => held,
        };
        if held == key {
            return Some(slot);
        }
    }
    None
}

/// The gamma starts of one level (p, q), p + q = 1: its smaller tail
/// probability, which side it is on, and the table slot if it has one.
#[derive(Clone, Copy, Debug)]
pub(super) struct GammaStarts {
    s: f64,
    /// Whether s = p (the level matches I_x(a, b) itself).
    lower_tail: bool,
    slot: Option<&'static Slot>,
}

impl std::fmt::Debug for Slot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Slot")
    }
}

impl GammaStarts {
    /// The starts at the level (p, q); `None` when p or q is 0 (the roots
    /// are then 0 or 1 without a start) or not a probability.
    pub(super) fn new(p: f64, q: f64) -> Option<Self> {
        let usable = p > 0.0 && q > 0.0 && p <= 1.0 && q <= 1.0;
        usable.then(|| {
            let s = p.min(q);
            GammaStarts {
                s,
                lower_tail: p <= q,
                slot: slot_for(s),
            }
        })
    }

    /// P⁻¹(m, s) (`upper` false) or Q⁻¹(m, s), m = k/2 for index k − 1.
    fn quantile(&self, index: usize, upper: bool) -> f64 {
        let compute = || {
            let m = 0.5 * (index + 1) as f64;
            if upper {
                crate::numerics::special::gamma_q_inv(m, self.s)
            } else {
                crate::numerics::special::gamma_p_inv(m, self.s)
            }
        };
        let entry = self
            .slot
            .and_then(|slot| slot.quantiles.get(index + if upper { HALVES } else { 0 }));
        let Some(entry) = entry else {
            return compute();
        };
        match entry.load(Ordering::Relaxed) {
            UNSET => {
                let g = compute();
                entry.store(g.to_bits(), Ordering::Relaxed);
                g
            }
            bits => f64::from_bits(bits),
        }
    }

    /// The start (x, 1 − x) when min(a, b) is a half-integer up to 30 and
    /// max(a, b) ≥ 30·min(a, b)^{3/2}; `None` otherwise.
    pub(super) fn start(&self, a: f64, b: f64) -> Option<(f64, f64)> {
        let (m, big) = if a < b { (a, b) } else { (b, a) };
        let twice = 2.0 * m;
        if !((1.0..=HALVES as f64).contains(&twice) && twice == twice.floor())
            || big < 30.0 * m * m.sqrt()
        {
            return None;
        }
        // 1 ≤ 2m ≤ 60, an integer, so the cast is exact.
        let index = twice as usize - 1;
        let t = big + 0.5 * (m - 1.0);
        // The level's P⁻¹(m, p) (for a < b, the root's 1 − x) or Q⁻¹(m, p)
        // (for b ≤ a, its x), from the tail s is on: P⁻¹(m, p) = Q⁻¹(m, q).
        let want_upper = b <= a;
        let g = self.quantile(index, want_upper == self.lower_tail) / t;
        Some(if want_upper {
            ((-g).exp(), -(-g).exp_m1())
        } else {
            (-(-g).exp_m1(), (-g).exp())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::BetaLevel;
    use super::*;

    /// The gamma starts against the roots: within 1e-3 on the scale of ln I
    /// (m·|ln(x₀/x)| for the smaller of x, 1 − x, whose tail goes like its
    /// m-th power) wherever they are used, down to the smallest M they are
    /// used at, so one evaluation suffices; the roots solved from them are
    /// within rounding of those from the usual start; and a level whose
    /// quantiles are computed on the spot (no slot) gives the same bits as
    /// one served by the table.
    #[test]
    fn gamma_starts_are_close_and_give_the_same_roots() {
        let levels = [
            BetaLevel::lower(0.025),
            BetaLevel::upper(0.025),
            BetaLevel::lower(0.005),
            BetaLevel::upper(0.1),
            BetaLevel::lower(0.8),
        ];
        for level in levels {
            let tabled = level.with_gamma_starts();
            let Some(starts) = tabled.gamma else {
                panic!("no gamma starts at {level:?}");
            };
            let direct = GammaStarts {
                slot: None,
                ..starts
            };
            let mut used = 0;
            for k in 1..=HALVES {
                let m = 0.5 * k as f64;
                for big in [30.0 * m * m.sqrt(), 1.5e3, 1e4, 1e6] {
                    for (a, b) in [(m, big), (big, m)] {
                        let Some((x0, y0)) = starts.start(a, b) else {
                            continue;
                        };
                        assert_eq!(direct.start(a, b), Some((x0, y0)));
                        used += 1;
                        let (usual, fast) = (level.solve(a, b), tabled.solve(a, b));
                        let (root, root_fast, root0) = if usual.0 <= 0.5 {
                            (usual.0, fast.0, x0)
                        } else {
                            (usual.1, fast.1, y0)
                        };
                        let gap = m * (root0 / root).ln().abs();
                        assert!(gap < 1e-3, "{a} {b} {level:?}: {gap:e}");
                        let diff = ((root_fast - root) / root).abs();
                        assert!(diff < 3e-14, "{a} {b} {level:?}: {diff:e}");
                    }
                }
            }
            assert!(used >= 400, "{used}");
        }
    }
}
