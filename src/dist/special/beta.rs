//! The regularized incomplete beta function I_x(a, b) and its inverse.
//!
//! Evaluation (all in log-space, so tails down to 1e-308 and below keep full
//! relative accuracy):
//! * the prefactor xᵃ yᵇ / B(a, b), y = 1 − x, as (ab/(a+b)) · Loader's
//!   binomial density at (a, a + b, x) — Stirling errors and deviance terms
//!   instead of differences of ln Γ, so a, b up to 1e9 lose nothing;
//! * the continued fraction "BFRAC" of DiDonato & Morris (1992, ACM TOMS
//!   708) for the tail on the near side of the mean (x ≤ a/(a+b) for I_x,
//!   otherwise I_y(b, a) for the complement).
//!
//! Inversion: a starting value from Majumder & Bhattacharjee (1973, AS 64/109)
//! — the normal-based approximation of Abramowitz & Stegun 26.5.22 for
//! a, b > 1, the power-series start x ≈ (p a B(a, b))^{1/a} in the tails —
//! then Halley's method on ln I_x (or ln(1 − I_x)) in ln x with a bracket
//! ([`super::root`]).

use super::basym;
use super::root::{self, Eval};
use super::stirling;
use statrs::function::erf::erfc_inv;
use std::f64::consts::SQRT_2;

/// Smallest min(a, b) for which [`basym`] replaces the continued fraction.
/// Its coefficients cost O(N³) for N ≈ 10–20 terms, so it only beats the
/// continued fraction (about √min(a, b) terms, 0.15 µs at min(a, b) = 100,
/// 0.5 µs at 1e4 near the 2.5% point) from about 1e5 on (measured).
const ASYMPTOTIC_MIN: f64 = 1e5;
/// Largest deviance f (≈ z²/2 at z standard deviations from the mean, so
/// 4 standard deviations) for which [`basym`] is used; beyond it the
/// expansion needs too many terms.
const ASYMPTOTIC_MAX_DEVIANCE: f64 = 8.0;

/// Both tails of the incomplete beta at one point, as logarithms, with the
/// log-prefactor ln(xᵃ yᵇ / B(a, b)).
#[derive(Clone, Copy, Debug)]
pub(crate) struct BetaTails {
    /// ln I_x(a, b).
    pub ln_lower: f64,
    /// ln(1 − I_x(a, b)).
    pub ln_upper: f64,
    /// ln(xᵃ yᵇ / B(a, b)); x·y times the density.
    pub ln_front: f64,
}

/// ln(1 − eˡ) for l ≤ 0, without cancellation (Mächler 2012).
pub(crate) fn ln_one_minus_exp(l: f64) -> f64 {
    if l > -std::f64::consts::LN_2 {
        (-l.exp_m1()).ln()
    } else {
        (-l.exp()).ln_1p()
    }
}

/// The continued fraction of DiDonato & Morris (1992, ACM TOMS 708,
/// "BFRAC"; Tretter & Walster 1979):
/// I_x(a, b) = xᵃ yᵇ / B(a, b) · 1/(β₀ + α₁/(β₁ + α₂/(β₂ + …))),
/// with λ = a − (a + b)x ≥ 0 passed in (computed without cancellation by the
/// caller), β₀ = (1 + λ)/(1 + 1/a) and, for n ≥ 1, with s = a + 2n − 1,
/// w = n(b − n)x, p = 1 + (n − 1)/a:
/// α_n = p (p + b/a) (a/s)² w x,
/// β_n = n + w/s + (1 + n/a)/(1 + 1/a + 2n/a) · (1 + λ + n(1 + y)).
/// Unlike A&S 26.5.8 it involves x near 1 only through λ and y, so it keeps
/// full accuracy there. Evaluated forward (Wallis recurrences), rescaled every
/// step.
fn continued_fraction(a: f64, b: f64, x: f64, y: f64, lambda: f64) -> f64 {
    const EPS: f64 = 2.0 * f64::EPSILON;
    let c = 1.0 + lambda;
    let c0 = b / a;
    let c1 = 1.0 + 1.0 / a;
    let yp1 = y + 1.0;
    let (mut a_prev, mut a_cur) = (0.0, 1.0);
    let (mut b_prev, mut b_cur) = (1.0, c / c1);
    let mut r = c1 / c;
    let mut p = 1.0;
    let mut s = a + 1.0;
    let mut n = 1.0;
    // Converges in O(sqrt(min(a, b))) steps near the mean; the cap only
    // guards against NaN input.
    // Two divisions per term: 1/s and 1/(c1 + 2t) from one reciprocal, and
    // the rescaling 1/b_next, which also gives the convergent.
    let inv_a = 1.0 / a;
    while n < 1e7 {
        let t = n * inv_a;
        let w = n * (b - n) * x;
        let q = c1 + t + t;
        let inv_sq = 1.0 / (s * q);
        let inv_s = q * inv_sq;
        let e = a * inv_s;
        let alpha = p * (p + c0) * e * e * (w * x);
        let beta = n + w * inv_s + (1.0 + t) * (s * inv_sq) * (c + n * yp1);
        p = 1.0 + t;
        s += 2.0;
        let a_next = alpha * a_prev + beta * a_cur;
        let b_next = alpha * b_prev + beta * b_cur;
        let scale = 1.0 / b_next;
        let r_prev = r;
        r = a_next * scale;
        if (r - r_prev).abs() <= EPS * r {
            break;
        }
        a_prev = a_cur * scale;
        b_prev = b_cur * scale;
        a_cur = r;
        b_cur = 1.0;
        n += 1.0;
    }
    r
}

/// Both tails of I_x(a, b) for a, b > 0, x in [0, 1], y = 1 − x (passed
/// separately so callers can supply it without rounding).
pub(crate) fn beta_tails(a: f64, b: f64, x: f64, y: f64) -> BetaTails {
    beta_tails_cached(a, b, x, y, &mut None)
}

/// [`beta_tails`], keeping the coefficients of the asymptotic expansion in
/// `cache` for further calls with the same a, b (as in an inversion).
fn beta_tails_cached(
    a: f64,
    b: f64,
    x: f64,
    y: f64,
    cache: &mut Option<basym::Expansion>,
) -> BetaTails {
    if x <= 0.0 {
        return BetaTails {
            ln_lower: f64::NEG_INFINITY,
            ln_upper: 0.0,
            ln_front: f64::NEG_INFINITY,
        };
    }
    if y <= 0.0 {
        return BetaTails {
            ln_lower: 0.0,
            ln_upper: f64::NEG_INFINITY,
            ln_front: f64::NEG_INFINITY,
        };
    }
    let n = a + b;
    // λ = a − (a + b)x = (a + b)y − b, in the form that does not cancel.
    let lambda = if a > b { n * y - b } else { a - n * x };
    let deviance = stirling::bd0(a, n * x) + stirling::bd0(b, n * y);
    let bcorr = stirling::stirlerr(a) + stirling::stirlerr(b) - stirling::stirlerr(n);
    // ln(xᵃ yᵇ / B(a, b)) = ln(ab/n) + Loader's binomial log-density at (a, n, x).
    let ln_front = 0.5 * (a.ln() + b.ln() - n.ln() - stirling::LN_2PI) - bcorr - deviance;
    let asymptotic = a.min(b) >= ASYMPTOTIC_MIN && deviance <= ASYMPTOTIC_MAX_DEVIANCE;
    if lambda >= 0.0 {
        let ln_lower = asymptotic
            .then(|| expansion(cache, a, b).ln_lower(deviance, bcorr))
            .flatten()
            .unwrap_or_else(|| ln_front + continued_fraction(a, b, x, y, lambda).ln());
        BetaTails {
            ln_lower,
            ln_upper: ln_one_minus_exp(ln_lower),
            ln_front,
        }
    } else {
        let ln_upper = asymptotic
            .then(|| expansion(cache, b, a).ln_lower(deviance, bcorr))
            .flatten()
            .unwrap_or_else(|| ln_front + continued_fraction(b, a, y, x, -lambda).ln());
        BetaTails {
            ln_lower: ln_one_minus_exp(ln_upper),
            ln_upper,
            ln_front,
        }
    }
}

/// The cached expansion for (a, b), replacing one for other parameters.
fn expansion(cache: &mut Option<basym::Expansion>, a: f64, b: f64) -> &mut basym::Expansion {
    if !cache.as_ref().is_some_and(|e| e.is_for(a, b)) {
        *cache = Some(basym::Expansion::new(a, b));
    }
    cache.get_or_insert_with(|| basym::Expansion::new(a, b))
}

fn valid(a: f64, b: f64, x: f64) -> bool {
    a > 0.0 && b > 0.0 && a.is_finite() && b.is_finite() && (0.0..=1.0).contains(&x)
}

/// Regularized incomplete beta function I_x(a, b) = ∫₀ˣ t^{a−1}(1−t)^{b−1} dt / B(a, b),
/// for a, b > 0 (finite) and x in [0, 1]; NaN otherwise.
pub fn beta_inc(a: f64, b: f64, x: f64) -> f64 {
    if !valid(a, b, x) {
        return f64::NAN;
    }
    beta_tails(a, b, x, 1.0 - x).ln_lower.exp()
}

/// Complement 1 − I_x(a, b), computed directly (no cancellation in the upper tail).
pub fn beta_inc_upper(a: f64, b: f64, x: f64) -> f64 {
    if !valid(a, b, x) {
        return f64::NAN;
    }
    beta_tails(a, b, x, 1.0 - x).ln_upper.exp()
}

/// Inverse of the regularized incomplete beta: the x in [0, 1] with I_x(a, b) = p.
pub fn beta_inc_inv(a: f64, b: f64, p: f64) -> f64 {
    if !valid(a, b, p) {
        return f64::NAN;
    }
    beta_inc_inv_pair(a, b, p, 1.0 - p).0
}

/// Upper-tail inverse: the x in [0, 1] with 1 − I_x(a, b) = q.
pub fn beta_inc_inv_upper(a: f64, b: f64, q: f64) -> f64 {
    if !valid(a, b, q) {
        return f64::NAN;
    }
    beta_inc_inv_pair(a, b, 1.0 - q, q).0
}

/// The root (x, 1 − x) of I_x(a, b) = p, 1 − I_x(a, b) = q, with p + q = 1.
/// Whichever of p, q is smaller is the one matched (to full relative
/// accuracy), and both x and 1 − x are returned so callers can use the
/// smaller one without cancellation.
pub(crate) fn beta_inc_inv_pair(a: f64, b: f64, p: f64, q: f64) -> (f64, f64) {
    if p <= 0.0 {
        return (0.0, 1.0);
    }
    if q <= 0.0 {
        return (1.0, 0.0);
    }
    let (x0, y0) = start(a, b, p, q);
    if x0 <= 0.5 {
        let x = solve_lower(a, b, p, q, x0);
        (x, 1.0 - x)
    } else {
        let y = solve_lower(b, a, q, p, y0);
        (1.0 - y, y)
    }
}

/// Halley iteration for x (expected ≤ ½) with I_x(a, b) = p, 1 − I_x = q.
fn solve_lower(a: f64, b: f64, p: f64, q: f64, x0: f64) -> f64 {
    let lower = p <= q;
    let ln_target = if lower { p.ln() } else { q.ln() };
    let mut cache = None;
    let eval = |x: f64| {
        let y = 1.0 - x;
        let t = beta_tails_cached(a, b, x, y, &mut cache);
        // F = ln I − ln p (lower) or ln q − ln(1 − I) (upper): increasing in ln x.
        let (f, ln_t) = if lower {
            (t.ln_lower - ln_target, t.ln_lower)
        } else {
            (ln_target - t.ln_upper, t.ln_upper)
        };
        let g = (t.ln_front - y.ln() - ln_t).exp();
        let curve = a - (b - 1.0) * x / y;
        let d2f = if lower {
            g * (curve - g)
        } else {
            g * (curve + g)
        };
        Eval { f, df: g, d2f }
    };
    root::halley_log(eval, x0, f64::from_bits(1), 1.0)
}

/// Starting value (x₀, 1 − x₀) for the inversion (AS 109's choices).
fn start(a: f64, b: f64, p: f64, q: f64) -> (f64, f64) {
    let ln_b = super::ln_beta(a, b);
    // Power-series starts: I_x ≈ xᵃ/(a B) near 0 and 1 − I_x ≈ yᵇ/(b B) near 1.
    let x_series = ((p * a).ln() + ln_b) / a;
    let y_series = ((q * b).ln() + ln_b) / b;
    let x_series = x_series.exp();
    let y_series = y_series.exp();
    if p <= q && x_series * (b + 1.0) < 0.2 {
        return (x_series, 1.0 - x_series);
    }
    if q < p && y_series * (a + 1.0) < 0.2 {
        return (1.0 - y_series, y_series);
    }
    // Upper normal quantile z with P(Z > z) = p, from a rational
    // approximation (statrs' erfc_inv); a starting value needs no polishing.
    let z = if p <= q {
        SQRT_2 * erfc_inv(2.0 * p)
    } else {
        -SQRT_2 * erfc_inv(2.0 * q)
    };
    let x = if a > 1.0 && b > 1.0 {
        // Abramowitz & Stegun 26.5.22.
        let r = (z * z - 3.0) / 6.0;
        let s = 1.0 / (2.0 * a - 1.0);
        let t = 1.0 / (2.0 * b - 1.0);
        let h = 2.0 / (s + t);
        let w = z * (h + r).sqrt() / h - (t - s) * (r + 5.0 / 6.0 - 2.0 / (3.0 * h));
        a / (a + b * (2.0 * w).exp())
    } else {
        // Wilson–Hilferty chi-square approximation (AS 109).
        let r = 2.0 * b;
        let t = 1.0 / (9.0 * b);
        let t = r * (1.0 - t + z * t.sqrt()).powi(3);
        if t <= 0.0 {
            return (1.0 - y_series, y_series);
        }
        let t = (4.0 * a + r - 2.0) / t;
        if t <= 1.0 {
            x_series
        } else {
            1.0 - 2.0 / (t + 1.0)
        }
    };
    if x > 0.0 && x < 1.0 {
        (x, 1.0 - x)
    } else {
        (0.5, 0.5)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The asymptotic expansion against the continued fraction (an
    /// independent method) on both sides of the mean, up to the largest
    /// deviance where it is used, for min(a, b) from 100 to 1e5 (it is used
    /// from 1e5 on; further up the continued fraction's own rounding reaches
    /// 1e-13, and the mpmath values of tests/dist_reference.rs at 1e6–1e9
    /// check it instead).
    #[test]
    fn asymptotic_expansion_matches_continued_fraction() {
        let sizes: [f64; 8] = [100.0, 101.5, 150.0, 400.0, 1e3, 5e3, 1e4, 1e5];
        let mut worst: f64 = 0.0;
        for &a in &sizes {
            for &b in &sizes {
                let n = a + b;
                let mean = a / n;
                let sd = (a * b / (n * n * (n + 1.0))).sqrt();
                for k in -50..=50 {
                    let x = mean + 0.1 * k as f64 * sd;
                    let y = 1.0 - x;
                    let lambda = if a > b { n * y - b } else { a - n * x };
                    let deviance = stirling::bd0(a, n * x) + stirling::bd0(b, n * y);
                    if deviance > ASYMPTOTIC_MAX_DEVIANCE {
                        continue;
                    }
                    let bcorr =
                        stirling::stirlerr(a) + stirling::stirlerr(b) - stirling::stirlerr(n);
                    let ln_front =
                        0.5 * (a.ln() + b.ln() - n.ln() - stirling::LN_2PI) - bcorr - deviance;
                    let (fast, cf) = if lambda >= 0.0 {
                        (
                            basym::Expansion::new(a, b).ln_lower(deviance, bcorr),
                            ln_front + continued_fraction(a, b, x, y, lambda).ln(),
                        )
                    } else {
                        (
                            basym::Expansion::new(b, a).ln_lower(deviance, bcorr),
                            ln_front + continued_fraction(b, a, y, x, -lambda).ln(),
                        )
                    };
                    let Some(fast) = fast else {
                        panic!("no convergence at a = {a}, b = {b}, f = {deviance}");
                    };
                    worst = worst.max((fast - cf).abs());
                }
            }
        }
        // ln I differences of 2e-14 = relative differences of I.
        assert!(worst < 2e-14, "{worst:e}");
    }
}
