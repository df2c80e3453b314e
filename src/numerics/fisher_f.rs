//! Fisher's F distribution with d1, d2 > 0 degrees of freedom.
//!
//! P(F > f) = I_y(d2/2, d1/2) with y = d2/(d2 + d1 f), and
//! P(F ≤ f) = I_x(d1/2, d2/2) with x = d1 f/(d1 f + d2) = 1 − y
//! (Abramowitz & Stegun 26.6.2), evaluated with the incomplete beta of
//! [`super::special`], passing x and y both computed without cancellation so
//! that tiny upper-tail probabilities (p-values near 1e-20) keep their
//! relative accuracy.

use super::special;

/// (x, y) = (d1 f/(d1 f + d2), d2/(d1 f + d2)) for f ≥ 0.
fn beta_arguments(f: f64, d1: f64, d2: f64) -> (f64, f64) {
    let a = d1 * f;
    if a > d2 {
        let s = d2 / a;
        (1.0 / (1.0 + s), s / (1.0 + s))
    } else {
        let s = a / d2;
        (s / (1.0 + s), 1.0 / (1.0 + s))
    }
}

fn valid(f: f64, d1: f64, d2: f64) -> bool {
    !f.is_nan() && d1 > 0.0 && d2 > 0.0
}

/// P(F ≤ f) for F ~ F(d1, d2); NaN unless d1, d2 > 0 and f is not NaN.
pub fn cdf(f: f64, d1: f64, d2: f64) -> f64 {
    if !valid(f, d1, d2) {
        return f64::NAN;
    }
    if f <= 0.0 {
        return 0.0;
    }
    if f == f64::INFINITY {
        return 1.0;
    }
    let (x, y) = beta_arguments(f, d1, d2);
    special::beta_tails(0.5 * d1, 0.5 * d2, x, y).ln_lower.exp()
}

/// P(F > f) for F ~ F(d1, d2) (the p-value of an F test); NaN unless
/// d1, d2 > 0 and f is not NaN.
pub fn sf(f: f64, d1: f64, d2: f64) -> f64 {
    if !valid(f, d1, d2) {
        return f64::NAN;
    }
    if f <= 0.0 {
        return 1.0;
    }
    if f == f64::INFINITY {
        return 0.0;
    }
    let (x, y) = beta_arguments(f, d1, d2);
    special::beta_tails(0.5 * d1, 0.5 * d2, x, y).ln_upper.exp()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a - b).abs() <= rel * b.abs()
    }

    #[test]
    fn closed_forms() {
        // F(2, d2): P(F > f) = (1 + 2f/d2)^(-d2/2).
        for &(f, d2) in &[(0.5f64, 3.0f64), (3.0, 10.0), (40.0, 7.0), (1e4, 30.0)] {
            let want = (1.0 + 2.0 * f / d2).powf(-d2 / 2.0);
            assert!(close(sf(f, 2.0, d2), want, 1e-13), "{f} {d2}");
            assert!(close(cdf(f, 2.0, d2), 1.0 - want, 1e-13), "{f} {d2}");
        }
        // F(1, d2) is t(d2)²: P(F > t²) = 2 P(T > t).
        let t = 2.3;
        let want = 2.0 * crate::numerics::student_t::sf(t, 9.0);
        assert!(close(sf(t * t, 1.0, 9.0), want, 1e-13));
    }

    #[test]
    fn edges() {
        assert_eq!(sf(0.0, 3.0, 4.0), 1.0);
        assert_eq!(sf(f64::INFINITY, 3.0, 4.0), 0.0);
        assert_eq!(cdf(-1.0, 3.0, 4.0), 0.0);
        assert!(sf(f64::NAN, 3.0, 4.0).is_nan());
        assert!(sf(1.0, 0.0, 4.0).is_nan());
        assert!(cdf(1.0, 3.0, -1.0).is_nan());
    }
}
