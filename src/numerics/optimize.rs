//! Golden-section search for the extremum of a unimodal function on an
//! interval (Kiefer 1953, "Sequential minimax search for a maximum"; Press et
//! al., *Numerical Recipes*, 3rd ed., § 10.2).
//!
//! The bracket [a, b] holds two interior points c = b − r(b − a) and
//! d = a + r(b − a), r = (√5 − 1)/2; each step keeps [a, d] or [c, b],
//! whichever holds the better point, and evaluates one new point, so the
//! bracket shrinks by r ≈ 0.618 per evaluation. Used by the Box-Cox fit
//! (minimum of the negative profile log-likelihood) and the AOQL (maximum of
//! the AOQ curve).

use std::cmp::Ordering;

/// Most steps [`minimize`] takes: enough to shrink any finite bracket to
/// adjacent doubles (log(2^2098) / log(1/r) ≈ 3020), so the cap only stops
/// a search whose tolerance is below the spacing of doubles at the minimum.
const MAX_STEPS: usize = 4000;

/// A golden-section bracket: ends `a`, `b`, interior points `c` < `d` and
/// their values.
struct Section {
    r: f64,
    a: f64,
    b: f64,
    c: f64,
    fc: f64,
    d: f64,
    fd: f64,
}

impl Section {
    /// The bracket [a, b] with its interior points evaluated (c first).
    fn new(f: &mut impl FnMut(f64) -> f64, a: f64, b: f64) -> Self {
        let r = 0.5 * (5f64.sqrt() - 1.0);
        let c = b - r * (b - a);
        let d = a + r * (b - a);
        let fc = f(c);
        let fd = f(d);
        Section {
            r,
            a,
            b,
            c,
            fc,
            d,
            fd,
        }
    }

    /// Keeps [a, d] (`lower`) or [c, b] and evaluates the new interior point.
    fn shrink(&mut self, f: &mut impl FnMut(f64) -> f64, lower: bool) {
        if lower {
            self.b = self.d;
            (self.d, self.fd) = (self.c, self.fc);
            self.c = self.b - self.r * (self.b - self.a);
            self.fc = f(self.c);
        } else {
            self.a = self.c;
            (self.c, self.fc) = (self.d, self.fd);
            self.d = self.a + self.r * (self.b - self.a);
            self.fd = f(self.d);
        }
    }
}

/// The minimiser of a unimodal `f` on [a, b] by golden-section search: the
/// midpoint of the bracket once it is no wider than `x_tol` (ties
/// f(c) = f(d) keep [c, b]; at most 4000 steps).
pub fn minimize(mut f: impl FnMut(f64) -> f64, a: f64, b: f64, x_tol: f64) -> f64 {
    let mut s = Section::new(&mut f, a, b);
    for _ in 0..MAX_STEPS {
        if (s.b - s.a).abs() > x_tol {
            let lower = s.fc < s.fd;
            s.shrink(&mut f, lower);
        } else {
            break;
        }
    }
    0.5 * (s.a + s.b)
}

/// The maximum of a unimodal `f` on [a, b] after `steps` golden-section
/// steps: `(x, f(x))` for the better of the two final interior points (ties
/// f(c) = f(d) keep [a, d] and return d). 100 steps shrink the bracket by
/// 0.618^100 ≈ 1e-21, below the spacing of doubles.
pub fn maximize(mut f: impl FnMut(f64) -> f64, a: f64, b: f64, steps: usize) -> (f64, f64) {
    let mut s = Section::new(&mut f, a, b);
    for _ in 0..steps {
        // Not f(c) < f(d) (NaN included): keep [a, d].
        let lower = s.fc.partial_cmp(&s.fd).is_none_or(Ordering::is_ge);
        s.shrink(&mut f, lower);
    }
    if s.fc > s.fd {
        (s.c, s.fc)
    } else {
        (s.d, s.fd)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimum_and_maximum_of_a_parabola() {
        let m = minimize(|x| (x - 0.3).powi(2), -1.0, 1.0, 1e-10);
        assert!((m - 0.3).abs() < 1e-8);
        let (x, v) = maximize(|x| 2.0 - (x - 0.7).powi(2), 0.0, 1.0, 100);
        // A flat maximum: x to about √ε.
        assert!((x - 0.7).abs() < 1e-7 && (v - 2.0).abs() < 1e-15, "{x} {v}");
    }

    #[test]
    fn each_step_costs_one_evaluation_and_impossible_tolerances_stop() {
        let mut calls = 0;
        let _ = maximize(
            |x| {
                calls += 1;
                -x * x
            },
            -1.0,
            1.0,
            10,
        );
        assert_eq!(calls, 12);
        // A tolerance below the spacing of doubles near 1e10 cannot be met.
        let m = minimize(|x| (x - 1e10).abs(), 0.0, 2e10, 1e-12);
        assert!((m / 1e10 - 1.0).abs() < 1e-15);
    }
}
