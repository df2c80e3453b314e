//! Blaker's (2000) exact interval: the values of p whose acceptability
//! a(p, x) = P_p(γ(X) ≤ γ(x)), with γ(y) = min(P_p(X ≥ y), P_p(X ≤ y)),
//! exceeds α = 1 − confidence (Blaker, *Canad. J. Statist.* 28:783, 2000).
//! The interval is contained in the Clopper-Pearson interval at the same
//! level and is never longer.

use crate::numerics::{binomial, roots, search, special};

/// Blaker's acceptability a(p, x), for 0 < p < 1.
fn acceptability(x: u64, n: u64, p: f64) -> f64 {
    let upper_tail = if x == 0 {
        1.0
    } else {
        binomial::sf(x - 1, n, p)
    }; // P(X ≥ x)
    let lower_tail = binomial::cdf(x, n, p); // P(X ≤ x)
    if upper_tail <= lower_tail {
        // Add the largest lower tail P(X ≤ y) that does not exceed P(X ≥ x).
        upper_tail + largest_tail_below(n, p, upper_tail, x, false)
    } else {
        lower_tail + largest_tail_below(n, p, lower_tail, x, true)
    }
}

/// The largest P(X ≤ y) (y < x) or, with `upper`, the largest P(X ≥ y)
/// (y > x) that does not exceed `limit`; 0 if none does. Tails are monotone
/// in y, so a binary search over y finds it.
fn largest_tail_below(n: u64, p: f64, limit: f64, x: u64, upper: bool) -> f64 {
    let tail = |y: u64| {
        if upper {
            binomial::sf(y - 1, n, p) // P(X ≥ y), y >= 1
        } else {
            binomial::cdf(y, n, p)
        }
    };
    // Candidates: y in [0, x − 1] (lower tail, increasing in y) or
    // y in [x + 1, n] (upper tail, decreasing in y).
    let (lo, hi) = if upper {
        (x + 1, n)
    } else {
        (0, x.saturating_sub(1))
    };
    if (upper && x >= n) || (!upper && x == 0) {
        return 0.0;
    }
    let ok = |y: u64| tail(y) <= limit;
    // The best y is the one nearest x that still satisfies the limit.
    let nearest_ok = if upper {
        if !ok(hi) {
            return 0.0;
        }
        search::partition_point(lo, hi, ok)
    } else {
        if !ok(lo) {
            return 0.0;
        }
        search::last_true(lo, hi, ok)
    };
    tail(nearest_ok)
}

/// Lower Blaker limit for 0 < x: the infimum of {p : a(p, x) > α}.
///
/// On [CP_L(α/2), CP_L(α)] (two-sided and one-sided Clopper-Pearson lower
/// limits) the set is an interval ending at the right end, so bisection on the
/// predicate "a(p, x) > α" finds its start even though a is discontinuous.
fn lower_limit(x: u64, n: u64, alpha: f64) -> f64 {
    let (xf, nf) = (x as f64, n as f64);
    let lo = special::beta_inc_inv(xf, nf - xf + 1.0, 0.5 * alpha);
    let hi = special::beta_inc_inv(xf, nf - xf + 1.0, alpha);
    roots::bisect_flip(lo, hi, 1e-15, |p| acceptability(x, n, p) > alpha)
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
