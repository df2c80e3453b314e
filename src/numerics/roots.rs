//! Root finding on a bracket: bisection on a predicate ([`bisect_flip`]) and
//! Brent's method on a continuous function ([`brent`], [`find_root`]).
//!
//! Used by the interval methods that invert a test, the variables-plan design
//! and the capability fits. (The inverses of the incomplete beta and gamma
//! functions use their own high-order solver, `special::tail_inversion`.)

/// Finds the point where a monotone predicate flips, by bisection.
///
/// `pred` must be false at `lo` side and true at `hi` side of the returned
/// point (for every argument in `[lo, hi]` the predicate is false below the
/// flip and true above it, or the reverse if `lo > hi`). Returns the midpoint
/// of the final bracket once it is narrower than `rel_tol` relative to its
/// ends (or after 2100 halvings, enough to resolve any pair of f64 values).
///
/// Bisection is used where the function is discontinuous (Blaker's
/// acceptability, hypergeometric tails); it needs no derivative and cannot
/// leave the bracket.
pub fn bisect_flip(
    mut lo: f64,
    mut hi: f64,
    rel_tol: f64,
    mut pred: impl FnMut(f64) -> bool,
) -> f64 {
    for _ in 0..2100 {
        let mid = 0.5 * (lo + hi);
        if mid == lo || mid == hi || (hi - lo).abs() <= rel_tol * lo.abs().max(hi.abs()) {
            return mid;
        }
        if pred(mid) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    0.5 * (lo + hi)
}

/// Finds a root of a continuous function with a sign change on `[a, b]`
/// (Brent's method: inverse quadratic interpolation, secant and bisection
/// steps; Brent 1973, *Algorithms for Minimization without Derivatives*, ch. 4).
///
/// Stops when the bracket is narrower than `2·eps·|x| + abs_tol` (at most 1100
/// steps, enough for bisection to resolve any root in [0, 1] to full relative
/// precision; for roots spanning many decades solve in log space). If `f(a)` and
/// `f(b)` do not have opposite signs, returns the end with the smaller |f|.
pub fn brent(mut a: f64, mut b: f64, abs_tol: f64, mut f: impl FnMut(f64) -> f64) -> f64 {
    let mut fa = f(a);
    let mut fb = f(b);
    if fa == 0.0 {
        return a;
    }
    if fb == 0.0 {
        return b;
    }
    if fa.signum() == fb.signum() || fa.is_nan() || fb.is_nan() {
        return if fa.abs() < fb.abs() { a } else { b };
    }
    let mut c = a;
    let mut fc = fa;
    let mut d = b - a;
    let mut e = d;
    for _ in 0..1100 {
        if fb.signum() == fc.signum() {
            c = a;
            fc = fa;
            d = b - a;
            e = d;
        }
        if fc.abs() < fb.abs() {
            a = b;
            b = c;
            c = a;
            fa = fb;
            fb = fc;
            fc = fa;
        }
        let tol = 2.0 * f64::EPSILON * b.abs() + 0.5 * abs_tol;
        let m = 0.5 * (c - b);
        if m.abs() <= tol || fb == 0.0 {
            return b;
        }
        if e.abs() < tol || fa.abs() <= fb.abs() {
            d = m;
            e = m;
        } else {
            let s = fb / fa;
            let (mut p, mut q);
            if a == c {
                p = 2.0 * m * s;
                q = 1.0 - s;
            } else {
                let qa = fa / fc;
                let r = fb / fc;
                p = s * (2.0 * m * qa * (qa - r) - (b - a) * (r - 1.0));
                q = (qa - 1.0) * (r - 1.0) * (s - 1.0);
            }
            if p > 0.0 {
                q = -q;
            } else {
                p = -p;
            }
            if 2.0 * p < (3.0 * m * q - (tol * q).abs()).min((e * q).abs()) {
                e = d;
                d = p / q;
            } else {
                d = m;
                e = m;
            }
        }
        a = b;
        fa = fb;
        b += if d.abs() > tol { d } else { tol.copysign(m) };
        fb = f(b);
    }
    b
}

/// A root of `f` in the bracket [a, b] by Brent's method ([`brent`] with
/// absolute tolerance `x_tol`), or `None` if f(a) and f(b) are not finite or
/// have the same sign.
pub fn find_root(mut f: impl FnMut(f64) -> f64, a: f64, b: f64, x_tol: f64) -> Option<f64> {
    let (fa, fb) = (f(a), f(b));
    if !(fa.is_finite() && fb.is_finite()) || fa * fb > 0.0 {
        return None;
    }
    Some(brent(a, b, x_tol, f))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brent_finds_roots_to_full_precision() {
        let r = brent(0.0, 2.0, 0.0, |x| x * x - 2.0);
        assert!((r - std::f64::consts::SQRT_2).abs() < 4e-16);
        let r = brent(0.0, 1.0, 0.0, |x| x.powi(10) - 1e-50);
        assert!((r / 1e-5 - 1.0).abs() < 1e-14, "{r}");
        // No sign change: the better end.
        assert_eq!(brent(1.0, 2.0, 0.0, |x| x), 1.0);
    }

    #[test]
    fn find_root_needs_a_sign_change() {
        let r = find_root(|x| x * x - 2.0, 0.0, 2.0, 1e-15).unwrap();
        assert!((r - 2f64.sqrt()).abs() < 1e-14);
        assert!(find_root(|x| x * x + 1.0, 0.0, 2.0, 1e-15).is_none());
        assert!(find_root(|x| 1.0 / x, 0.0, 2.0, 1e-15).is_none());
    }

    #[test]
    fn bisection_finds_the_flip() {
        let r = bisect_flip(0.0, 1.0, 1e-15, |x| x > 0.3);
        assert!((r - 0.3).abs() < 1e-15);
        let r = bisect_flip(1e-300, 1e-10, 1e-14, |x| x > 3e-200);
        assert!((r / 3e-200 - 1.0).abs() < 1e-13, "{r}");
    }
}
