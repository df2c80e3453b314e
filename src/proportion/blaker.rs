//! Blaker's (2000) exact interval: the values of p whose acceptability
//! a(p, x) = P_p(γ(X) ≤ γ(x)), with γ(y) = min(P_p(X ≥ y), P_p(X ≤ y)),
//! exceeds α = 1 − confidence (Blaker, *Canad. J. Statist.* 28:783, 2000).
//! The interval is contained in the Clopper-Pearson interval at the same
//! level and is never longer.

use crate::numerics::{binomial, roots, search, special};
use std::cell::Cell;

/// Which of the smooth pieces of a(·, x) a p lies on: whether the observed
/// upper tail P(X ≥ x) is the smaller one (so a lower tail P(X ≤ y*), y* < x,
/// is added) and the y* of the added tail (`None` when none is added).
///
/// Both are monotone in p: P(X ≥ x) increases and P(X ≤ x) decreases with p
/// (one switch of `upper_observed`), and on either side y* is non-decreasing
/// (the tails compared move in opposite directions). So when two values of p
/// lie on the same piece, so does every p between them, and a(·, x) is
/// continuous there (a sum of two binomial tails of fixed index).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Piece {
    upper_observed: bool,
    added: Option<u64>,
}

/// Blaker's acceptability a(p, x), for 0 < p < 1, and the piece p lies on.
fn acceptability(x: u64, n: u64, p: f64) -> (f64, Piece) {
    let upper_tail = observed_tail(x, n, p, true); // P(X ≥ x)
    let lower_tail = observed_tail(x, n, p, false); // P(X ≤ x)
    let upper_observed = upper_tail <= lower_tail;
    let (observed, (added, y)) = if upper_observed {
        // Add the largest lower tail P(X ≤ y) that does not exceed P(X ≥ x).
        (upper_tail, largest_tail_below(n, p, upper_tail, x, false))
    } else {
        (lower_tail, largest_tail_below(n, p, lower_tail, x, true))
    };
    let piece = Piece {
        upper_observed,
        added: y,
    };
    (observed + added, piece)
}

/// The observed tail of a branch: P(X ≥ x) when `upper_observed`, else P(X ≤ x).
fn observed_tail(x: u64, n: u64, p: f64, upper_observed: bool) -> f64 {
    match (upper_observed, x) {
        (true, 0) => 1.0,
        (true, _) => binomial::sf(x - 1, n, p),
        (false, _) => binomial::cdf(x, n, p),
    }
}

/// The tail added for index y in a branch: P(X ≤ y) when `upper_observed`
/// (y < x), else P(X ≥ y) (y > x ≥ 0, so y ≥ 1).
fn added_tail(y: u64, n: u64, p: f64, upper_observed: bool) -> f64 {
    if upper_observed {
        binomial::cdf(y, n, p)
    } else {
        binomial::sf(y.saturating_sub(1), n, p)
    }
}

/// a(p, x) and its piece, for a p between two points whose pieces `lo` and
/// `hi` are known. The pieces are monotone in p, so on one piece a is the
/// observed tail plus the tail at its fixed y*, and between two adjacent
/// pieces only the acceptability of the one y that changes needs checking:
/// two or three tail evaluations instead of a search over y. The value is
/// the one [`acceptability`] computes, bit for bit (the same tails, added in
/// the same order).
fn acceptability_between(x: u64, n: u64, p: f64, lo: Piece, hi: Piece) -> (f64, Piece) {
    if lo == hi {
        let observed = observed_tail(x, n, p, lo.upper_observed);
        let added = lo
            .added
            .map_or(0.0, |y| added_tail(y, n, p, lo.upper_observed));
        return (observed + added, lo);
    }
    let Some(y) = changing_index(lo, hi, n) else {
        return acceptability(x, n, p);
    };
    let upper_observed = lo.upper_observed;
    let observed = observed_tail(x, n, p, upper_observed);
    let tail_y = added_tail(y, n, p, upper_observed);
    // With the upper tail observed, y becomes acceptable on the right piece;
    // otherwise it stops being acceptable there.
    let piece = if (tail_y <= observed) == upper_observed {
        hi
    } else {
        lo
    };
    let added = match piece.added {
        Some(other) if other == y => tail_y,
        Some(other) => added_tail(other, n, p, upper_observed),
        None => 0.0,
    };
    (observed + added, piece)
}

/// The y whose acceptability changes between two adjacent pieces (`lo`
/// left of `hi`, same observed tail), or `None` if they are not adjacent.
/// With the upper tail observed the acceptable y form [0, y*] and y* grows
/// with p: the y that becomes acceptable is the right piece's. Otherwise
/// they form [y*, n], which shrinks: the y that stops being acceptable is
/// the left piece's.
fn changing_index(lo: Piece, hi: Piece, n: u64) -> Option<u64> {
    if lo.upper_observed != hi.upper_observed {
        return None;
    }
    if lo.upper_observed {
        let y = hi.added?;
        (lo.added == y.checked_sub(1)).then_some(y)
    } else {
        let y = lo.added?;
        let next = (y < n).then_some(y + 1);
        (hi.added == next).then_some(y)
    }
}

/// The largest P(X ≤ y) (y < x) or, with `upper`, the largest P(X ≥ y)
/// (y > x) that does not exceed `limit`, and that y; (0, `None`) if none
/// does. Tails are monotone in y, so a binary search over y finds it.
fn largest_tail_below(n: u64, p: f64, limit: f64, x: u64, upper: bool) -> (f64, Option<u64>) {
    // P(X ≥ y) (y ≥ 1) with `upper`, else P(X ≤ y).
    let tail = |y: u64| added_tail(y, n, p, !upper);
    // Candidates: y in [0, x − 1] (lower tail, increasing in y) or
    // y in [x + 1, n] (upper tail, decreasing in y).
    let (lo, hi) = if upper {
        (x + 1, n)
    } else {
        (0, x.saturating_sub(1))
    };
    if (upper && x >= n) || (!upper && x == 0) {
        return (0.0, None);
    }
    let ok = |y: u64| tail(y) <= limit;
    // The best y is the one nearest x that still satisfies the limit.
    let nearest_ok = if upper {
        if !ok(hi) {
            return (0.0, None);
        }
        search::partition_point(lo, hi, ok)
    } else {
        if !ok(lo) {
            return (0.0, None);
        }
        search::last_true(lo, hi, ok)
    };
    (tail(nearest_ok), Some(nearest_ok))
}

/// Lower Blaker limit for 0 < x: where the predicate a(p, x) > α turns
/// true, found by bisection.
///
/// The search runs on [CP_L(α/2), min(CP_L(α), x/n)], with CP_L(β) the
/// Clopper-Pearson lower limit solving P_p(X ≥ x) = β:
/// * below CP_L(α/2) the predicate "a(p, x) > α" is false, because
///   a(p, x) ≤ 2·P_p(X ≥ x) there;
/// * at p̂ = x/n it is true: both tails at the observed x are at least ½
///   (x is a median of Bin(n, x/n)), so every y has γ(y) ≤ γ(x) and a = 1;
/// * for α < ½ it is true on [CP_L(α), p̂] (where P_p(X ≥ x) ≥ α and
///   P_p(X ≤ x) ≥ ½), and CP_L(α) < p̂.
///
/// Bisection on the predicate therefore finds a point where it turns true
/// even though a is discontinuous: the start of the set {p : a(p, x) > α}
/// when the set has no gap, as is usual. (a is not monotone even between
/// its jumps, so the set can have a gap just after a jump; 29 of 29 at 99 %
/// is an example, where bisection finds the lower limit 0.8400 and the
/// set also holds a sliver near 0.833. The limits are kept as bisection
/// defines them.) Capping the right end at p̂ matters for α ≥ ½
/// (confidence ≤ ½), where CP_L(α) lies above p̂ and the predicate may be
/// false there; without the cap the limits of low-confidence intervals came
/// out inverted.
///
/// The bisection tracks the [`Piece`] at each end of its bracket, so that
/// each step evaluates a with [`acceptability_between`] (two or three tail
/// evaluations) rather than with a search over y* (about log₂ n more); the
/// midpoints and the predicate values, hence the limit, are those of a
/// plain bisection. (A faster root finder would not do: a is not monotone
/// even on one piece, and the set {a > α} can have gaps, so only the
/// bisection's own choice of crossing is reproducible.)
fn lower_limit(x: u64, n: u64, alpha: f64) -> f64 {
    let (xf, nf) = (x as f64, n as f64);
    let lo = special::beta_inc_inv(xf, nf - xf + 1.0, 0.5 * alpha);
    let hi = special::beta_inc_inv(xf, nf - xf + 1.0, alpha).min(xf / nf);
    let ends = Cell::new((acceptability(x, n, lo).1, acceptability(x, n, hi).1));
    roots::bisect_flip(lo, hi, 1e-15, |p| {
        let (lo_piece, hi_piece) = ends.get();
        let (a, piece) = acceptability_between(x, n, p, lo_piece, hi_piece);
        let accepted = a > alpha;
        // bisect_flip moves the upper end to p when the predicate holds and
        // the lower end otherwise.
        ends.set(if accepted {
            (lo_piece, piece)
        } else {
            (piece, hi_piece)
        });
        accepted
    })
}

/// Blaker interval at total error `alpha` (two-sided confidence 1 − α).
pub(crate) fn blaker(x: u64, n: u64, alpha: f64) -> (f64, f64) {
    let lower = if x == 0 {
        0.0
    } else {
        lower_limit(x, n, alpha)
    };
    let upper = if x == n {
        1.0
    } else {
        1.0 - lower_limit(n - x, n, alpha)
    };
    (lower, upper)
}
