//! The regularized incomplete beta function I_x(a, b) and its inverse.
//!
//! Evaluation (all in log-space, so tails down to 1e-308 and below keep full
//! relative accuracy):
//! * the prefactor xᵃ yᵇ / B(a, b), y = 1 − x, as (ab/(a+b)) · Loader's
//!   binomial density at (a, a + b, x) — Stirling errors and deviance terms
//!   instead of differences of ln Γ, so a, b up to 1e9 lose nothing;
//! * the tail on the near side of the mean (x ≤ a/(a+b) for I_x, otherwise
//!   I_y(b, a) for the complement) by Temme's uniform asymptotic expansion
//!   ([`basym`], constant cost) when min(a, b) ≥ 30 and x is within about
//!   four standard deviations of the mean (fewer below min(a, b) = 45), else
//!   by the continued fraction
//!   "BFRAC" of DiDonato & Morris (1992, ACM TOMS 708).
//!
//! Inside the inversion, the tail matched at a point x ≤ ½ of I_x(a, b)
//! with a whole a from 1 to 29 (Clopper-Pearson limits with few failures or
//! few successes) is instead the negative binomial sum of [`small_sums`]: a
//! few positive terms, two logarithms, no continued fraction; with a
//! half-integer a from ½ to 29½ and b ≥ 30 (Jeffreys limits likewise) it is
//! the same recurrence from I_y(b, ½), an error function and a short
//! correction series (Watson's lemma).
//!
//! Inversion: a starting value from Majumder & Bhattacharjee (1973, AS 64/109)
//! — the normal-based approximation of Abramowitz & Stegun 26.5.22 for
//! a, b > 1, the power-series start x ≈ (p a B(a, b))^{1/a} in the tails —
//! then series-reversion steps of degree five on ln I_x (or ln(1 − I_x)) in
//! ln x with a bracket ([`super::tail_inversion`]); from the usual start one step, so
//! one evaluation of I_x, reaches full precision. That start needs about two
//! evaluations when one parameter is small (a half-integer up to 30) and the
//! other large; levels that opt in ([`BetaLevel::with_gamma_starts`], the
//! exact proportion intervals, scalar and batch alike) start there from
//! gamma quantiles instead ([`gamma_starts`]), which need one.

mod gamma_starts;

mod lanes;

mod small_sums;

#[cfg(test)]
thread_local! {
    /// Evaluations of I_x by [`BetaLevel::eval_at`] on this thread (for the
    /// tests that count them).
    static EVALS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

pub(crate) use lanes::{in_lanes, solve_lanes, LANES};

use super::basym;
use super::elementary;
use super::stirling;
use super::tail_inversion::{self, Eval};
use statrs::function::erf::erfc_inv;
use std::f64::consts::{FRAC_1_PI, SQRT_2};

/// Smallest min(a, b) for which [`basym`] replaces the continued fraction.
/// With its coefficients precomputed as polynomials it costs about the same
/// at any a, b (10–14 terms near the 2.5% point from min(a, b) = 100 on, up
/// to 20 at 30), while the continued fraction takes about √min(a, b) steps
/// and, unlike the sum, cannot run side by side in [`lanes`]: with the
/// threshold at 30 instead of 100 the batch exact limits with
/// 30 ≤ min(a, b) < 100 (a tenth of the roots of the Clopper-Pearson bench
/// at n < 5,000) cost half as much. Below 30 the sum has not reached the
/// rounding level by its last term at about 40% of the 2.5% points.
const ASYMPTOTIC_MIN: f64 = 30.0;
/// Largest deviance f (≈ z²/2 at z standard deviations from the mean, so
/// 4 standard deviations) for which [`basym`] is used; beyond it the
/// expansion needs too many terms.
const ASYMPTOTIC_MAX_DEVIANCE: f64 = 8.0;
/// Below min(a, b) ≈ 45 the largest deviance at which [`basym`] reaches the
/// rounding level by its last term falls: [`basym`] is tried only for
/// f ≤ ASYMPTOTIC_DEVIANCE_SLOPE · (min(a, b) − 16), just inside the
/// measured limit (f = 4.02 at min(a, b) = 30, 4.96 at 33, 5.83 at 36, 6.89
/// at 40), so that no evaluation computes a sum only to drop it.
const ASYMPTOTIC_DEVIANCE_SLOPE: f64 = 0.28;
/// 1/(2π).
const FRAC_1_2PI: f64 = 0.5 * FRAC_1_PI;

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
/// full accuracy there. Evaluated forward (Wallis recurrences) after the
/// equivalence transformation that multiplies level n by s(s + 2), which
/// clears every denominator:
/// α′_n = (a + n − 1)(a + b + n − 1) w x (s − 2)(s + 2) (with s − 2 read as
/// 1/s at n = 1), β′_n = (s + 2)(n s + w) + (a + n)(1 + λ + n(1 + y)) s.
/// The loop then has no division; convergence is tested by cross
/// multiplication and the recurrences are rescaled by 2⁻²⁵⁶ when they grow
/// large.
fn continued_fraction(a: f64, b: f64, x: f64, y: f64, lambda: f64) -> f64 {
    const EPS: f64 = 2.0 * f64::EPSILON;
    const BIG: f64 = 1.157_920_892_373_162e77; // 2^256
    const SMALL: f64 = 1.0 / BIG;
    let c = 1.0 + lambda;
    let yp1 = y + 1.0;
    let (mut a_prev, mut a_cur) = (0.0, 1.0);
    let (mut b_prev, mut b_cur) = (1.0, c / (1.0 + 1.0 / a));
    let mut r = a_cur / b_cur;
    let mut n = 1.0;
    let mut s = a + 1.0;
    let mut s_prev = 1.0 / s;
    let ab = a + b;
    while n < 1e7 {
        let s_next = s + 2.0;
        let w = n * (b - n) * x;
        let alpha = (a + n - 1.0) * (ab + n - 1.0) * (w * x) * (s_prev * s_next);
        let beta = s_next * (n * s + w) + (a + n) * (c + n * yp1) * s;
        let a_next = alpha * a_prev + beta * a_cur;
        let b_next = alpha * b_prev + beta * b_cur;
        let cross = a_next * b_cur;
        if (cross - a_cur * b_next).abs() <= EPS * cross.abs() {
            r = a_next / b_next;
            break;
        }
        a_prev = a_cur;
        b_prev = b_cur;
        a_cur = a_next;
        b_cur = b_next;
        if b_cur.abs() >= BIG {
            a_prev *= SMALL;
            b_prev *= SMALL;
            a_cur *= SMALL;
            b_cur *= SMALL;
        }
        s_prev = s;
        s = s_next;
        n += 1.0;
    }
    r
}

/// Both tails of I_x(a, b) for a, b > 0, x in [0, 1], y = 1 − x (passed
/// separately so callers can supply it without rounding).
pub(crate) fn beta_tails(a: f64, b: f64, x: f64, y: f64) -> BetaTails {
    let t = near_tail(a, b, x, y);
    BetaTails {
        ln_lower: t.ln_lower(),
        ln_upper: t.ln_upper(),
        ln_front: t.ln_front(),
    }
}

/// The tail of I_x(a, b) on the near side of the mean, the one computed
/// directly; the other is its complement.
struct NearTail {
    /// ln of the near tail.
    ln: f64,
    /// Whether the near tail is the lower one, I_x(a, b).
    lower: bool,
    /// xᵃ yᵇ / B(a, b) divided by the near tail (cheap to form from either
    /// method without an exponential).
    front_ratio: f64,
    /// The parts of ln(xᵃ yᵇ / B(a, b)), which only the complement needs.
    front: Front,
}

/// ln(xᵃ yᵇ / B(a, b)) = ½ ln(ab/(2πn)) − δ(a) − δ(b) + δ(n) − bd0(a, nx) − bd0(b, ny),
/// n = a + b: ln(ab/n) plus Loader's binomial log-density at (a, n, x).
#[derive(Clone, Copy)]
struct Front {
    a: f64,
    b: f64,
    /// ab/n.
    ab_n: f64,
    /// δ(a) + δ(b) − δ(n) + bd0(a, nx) + bd0(b, ny).
    rest: f64,
}

impl Front {
    fn ln(&self) -> f64 {
        let ln_ab_n = if self.ab_n.is_normal() {
            self.ab_n.ln()
        } else {
            self.a.ln() + self.b.ln() - (self.a + self.b).ln()
        };
        0.5 * (ln_ab_n - stirling::LN_2PI) - self.rest
    }
}

impl NearTail {
    fn ln_front(&self) -> f64 {
        self.front.ln()
    }

    fn ln_lower(&self) -> f64 {
        if self.lower {
            self.ln
        } else {
            ln_one_minus_exp(self.ln)
        }
    }

    fn ln_upper(&self) -> f64 {
        if self.lower {
            ln_one_minus_exp(self.ln)
        } else {
            self.ln
        }
    }
}

/// The near tail of I_x(a, b).
fn near_tail(a: f64, b: f64, x: f64, y: f64) -> NearTail {
    if x <= 0.0 || y <= 0.0 {
        return NearTail {
            ln: f64::NEG_INFINITY,
            lower: x <= 0.0,
            front_ratio: f64::NAN,
            front: Front {
                a,
                b,
                ab_n: 0.0,
                rest: f64::INFINITY,
            },
        };
    }
    let n = a + b;
    let lambda = lambda(a, b, n, x, y);
    // Its logarithms as the lanes take them (elementary's ln) where they may
    // compute this tail too, else by the C library (faster one at a time).
    let deviance = if in_lanes(a, b) {
        stirling::bd0_with(a, n * x, elementary::ln) + stirling::bd0_with(b, n * y, elementary::ln)
    } else {
        stirling::bd0(a, n * x) + stirling::bd0(b, n * y)
    };
    let bcorr = bcorr(a, b, n);
    let ab_n = (a / n) * b;
    let front = Front {
        a,
        b,
        ab_n,
        rest: bcorr + deviance,
    };
    let lower = lambda >= 0.0;
    let series = asymptotic(a, b, deviance)
        .then(|| expansion(a, b, lower).sum(deviance))
        .flatten();
    let (ln, front_ratio) = match series {
        Some(sum) => asymptotic_tail(deviance, bcorr, ab_n, sum, elementary::ln(sum)),
        None => {
            let cf = if lower {
                continued_fraction(a, b, x, y, lambda)
            } else {
                continued_fraction(b, a, y, x, -lambda)
            };
            (front.ln() + cf.ln(), 1.0 / cf)
        }
    };
    NearTail {
        ln,
        lower,
        front_ratio,
        front,
    }
}

/// λ = a − (a + b)x = (a + b)y − b (n = a + b), in the form that does not cancel.
#[inline(always)]
fn lambda(a: f64, b: f64, n: f64, x: f64, y: f64) -> f64 {
    if a > b {
        n * y - b
    } else {
        a - n * x
    }
}

/// δ(a) + δ(b) − δ(n), n = a + b: [`bcorr_asymptotic`] where it applies.
#[inline(always)]
fn bcorr(a: f64, b: f64, n: f64) -> f64 {
    if a.min(b) > 15.0 {
        if let Some(value) = bcorr_asymptotic(a, b, n) {
            return value;
        }
    }
    stirling::stirlerr(a) + stirling::stirlerr(b) - stirling::stirlerr(n)
}

/// δ(a) + δ(b) − δ(n) for a, b > 15 by the asymptotic series of
/// [`stirling::stirlerr`], with the three reciprocals from one division:
/// 1/a = b·(n/(abn)), 1/b = a·(n/(abn)), 1/n = a·(b/(abn)) (each within
/// about 2 ulp, and δ(z) ≈ 1/(12z) is a correction of order 10⁻²);
/// `None` where abn overflows.
#[inline(always)]
fn bcorr_asymptotic(a: f64, b: f64, n: f64) -> Option<f64> {
    let abn = a * b * n;
    let inv = 1.0 / abn;
    let (n_inv, b_inv) = (n * inv, b * inv);
    let value = stirling::stirlerr_series(a, b * n_inv) + stirling::stirlerr_series(b, a * n_inv)
        - stirling::stirlerr_series(n, a * b_inv);
    (abn < f64::INFINITY).then_some(value)
}

/// Whether [`basym`] computes the near tail at this deviance.
#[inline(always)]
fn asymptotic(a: f64, b: f64, deviance: f64) -> bool {
    let m = a.min(b);
    m >= ASYMPTOTIC_MIN
        && deviance <= ASYMPTOTIC_MAX_DEVIANCE
        && deviance <= ASYMPTOTIC_DEVIANCE_SLOPE * (m - 16.0)
}

/// Temme's expansion of the near tail (the lower one, I_x(a, b), if `lower`).
#[inline(always)]
fn expansion(a: f64, b: f64, lower: bool) -> basym::Expansion {
    // One set of divisions and a square root for either (where the lanes
    // would compute both).
    let forward = basym::Expansion::new(a, b);
    if lower {
        forward
    } else {
        forward.swapped()
    }
}

/// The near tail's (ln, front_ratio) from Temme's sum `sum` (and its
/// logarithm): I = (2/√π) e^{−f − bcorr} S, so front/I = √(ab/(2πn))/((2/√π) S).
#[inline(always)]
fn asymptotic_tail(deviance: f64, bcorr: f64, ab_n: f64, sum: f64, ln_sum: f64) -> (f64, f64) {
    (
        basym::LN_E0 - deviance - bcorr + ln_sum,
        (ab_n * FRAC_1_2PI).sqrt() / (basym::E0 * sum),
    )
}

/// 2w of Abramowitz & Stegun 26.5.22's start x = a/(a + b e^{2w}) for
/// a, b > 1 at the upper normal quantile z, with s = 1/(2a − 1),
/// t = 1/(2b − 1), h = 2/(s + t) and √(h + r)/h = √(1/h + r/h²), written
/// with one division.
#[inline(always)]
fn normal_start_exponent(a: f64, b: f64, z: f64) -> f64 {
    let (a2, b2) = (2.0 * a - 1.0, 2.0 * b - 1.0);
    let inv = 1.0 / (a2 * b2);
    let (s, t) = (b2 * inv, a2 * inv);
    let inv_h = 0.5 * (a2 + b2) * inv;
    let r = (z * z - 3.0) * (1.0 / 6.0);
    let w =
        z * (inv_h + r * inv_h * inv_h).sqrt() - (t - s) * (r + 5.0 / 6.0 - (2.0 / 3.0) * inv_h);
    2.0 * w
}

/// The start (x, 1 − x) = (a, b e^{2w})/(a + b e^{2w}) from `e2w` = e^{2w}.
#[inline(always)]
fn normal_start(a: f64, b: f64, e2w: f64) -> (f64, f64) {
    let be = b * e2w;
    let inv_sum = 1.0 / (a + be);
    (a * inv_sum, be * inv_sum)
}

/// Whether the normal start (x, y) is clear of both power-law tails (then
/// the series starts are not needed).
#[inline(always)]
fn clear_of_tails(a: f64, b: f64, (x, y): (f64, f64)) -> bool {
    x * (b + 1.0) >= 1.0 && y * (a + 1.0) >= 1.0
}

/// F and its derivatives in u = ln x for [`BetaLevel::eval_at`], from F =
/// `f` and `ratio` = xᵃ yᵇ / (B(a, b)·T) (T the tail matched), y = 1 − x,
/// for the oriented (a, b).
#[inline(always)]
fn tail_eval(f: f64, ratio: f64, x: f64, y: f64, (a, b): (f64, f64), lower: bool) -> Eval {
    // D = ln(x·density) = ln(front/y): D′ = a − (b − 1)x/y,
    // D″ = −(b − 1)x/y², D‴ = −(b − 1)x(1 + x)/y³,
    // D⁗ = −(b − 1)x(1 + 4x + x²)/y⁴ (derivatives in u = ln x).
    let inv_y = 1.0 / y;
    let g = ratio * inv_y;
    let bm1_x_y = (b - 1.0) * x * inv_y;
    let d2 = -bm1_x_y * inv_y;
    let d3 = d2 * (1.0 + x) * inv_y;
    let d4 = d2 * (1.0 + x * (4.0 + x)) * inv_y * inv_y;
    let d = [a - bm1_x_y, d2, d3, d4];
    Eval::tail(f, g, if lower { 1.0 } else { -1.0 }, d)
}

/// (ln T, xᵃ yᵇ/(B(a, b)·T)) for the tail T of I_x(a, b) matched (I itself
/// if `lower`, else 1 − I), from the near tail.
fn matched_tail(a: f64, b: f64, x: f64, y: f64, lower: bool) -> (f64, f64) {
    let t = near_tail(a, b, x, y);
    let ln_t = if lower { t.ln_lower() } else { t.ln_upper() };
    let ratio = if lower == t.lower {
        t.front_ratio
    } else {
        (t.ln_front() - ln_t).exp()
    };
    (ln_t, ratio)
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
    BetaLevel::new(p, q).solve(a, b)
}

/// Bracket of every root: the smallest positive number and 1.
const ROOT_LO: f64 = 5e-324;
const ROOT_HI: f64 = 1.0;

/// An inversion set up for the smaller of x and 1 − x (expected ≤ ½): the
/// root of I_x(a, b) = p, or with `swapped` of I_x(b, a) = q for 1 − x.
#[derive(Clone, Copy, Default)]
struct Oriented {
    a: f64,
    b: f64,
    swapped: bool,
    /// Whether the tail matched is I_x(a, b) itself (else its complement).
    lower: bool,
    /// The starting value.
    x0: f64,
}

impl Oriented {
    /// The problem for the smaller of x and 1 − x from the start (x₀, y₀),
    /// at a level that matches I_x(a, b) itself (`lower_tail`: p ≤ q) or
    /// its complement.
    #[inline(always)]
    fn new(lower_tail: bool, a: f64, b: f64, (x0, y0): (f64, f64)) -> Self {
        let (a, b, swapped, x0) = if x0 <= 0.5 {
            (a, b, false, x0)
        } else {
            (b, a, true, y0)
        };
        Oriented {
            a,
            b,
            swapped,
            // Whether the tail matched is I_x(a, b) itself or its complement.
            lower: lower_tail != swapped,
            x0: x0.clamp(ROOT_LO, ROOT_HI),
        }
    }

    /// (x, 1 − x) of the original problem from the root x of this one.
    #[inline(always)]
    fn unorient(&self, x: f64) -> (f64, f64) {
        if self.swapped {
            (1.0 - x, x)
        } else {
            (x, 1.0 - x)
        }
    }
}

/// A probability at which to invert I_x(a, b), prepared once for many
/// (a, b): the tail matched, its logarithm, and the normal quantile the
/// starting value needs.
#[derive(Clone, Copy, Debug)]
pub(crate) struct BetaLevel {
    p: f64,
    q: f64,
    /// ln min(p, q).
    ln_target: f64,
    /// The z with P(Z > z) = p.
    z: f64,
    /// The gamma quantiles for starts with one small parameter, when this
    /// level uses them.
    gamma: Option<gamma_starts::GammaStarts>,
}

impl BetaLevel {
    /// I_x(a, b) = p and 1 − I_x(a, b) = q, with p + q = 1 and both in [0, 1].
    pub(crate) fn new(p: f64, q: f64) -> Self {
        // Upper normal quantile from a rational approximation (statrs'
        // erfc_inv); a starting value needs no polishing.
        let (ln_target, z) = if p <= q {
            (p.ln(), SQRT_2 * erfc_inv(2.0 * p))
        } else {
            (q.ln(), -SQRT_2 * erfc_inv(2.0 * q))
        };
        BetaLevel {
            p,
            q,
            ln_target,
            z,
            gamma: None,
        }
    }

    /// This level with the starts of [`gamma_starts`] for one small
    /// parameter (one evaluation of I_x instead of about two there). The
    /// start, hence every bit of a root, depends only on (p, q, a, b): the
    /// quantiles come from a process-wide table or are computed on the spot,
    /// with the same bits either way.
    pub(crate) fn with_gamma_starts(self) -> Self {
        BetaLevel {
            gamma: gamma_starts::GammaStarts::new(self.p, self.q),
            ..self
        }
    }

    /// The level I_x(a, b) = p.
    pub(crate) fn lower(p: f64) -> Self {
        Self::new(p, 1.0 - p)
    }

    /// The level 1 − I_x(a, b) = q.
    pub(crate) fn upper(q: f64) -> Self {
        Self::new(1.0 - q, q)
    }

    /// The root (x, 1 − x) for a, b > 0 (see [`beta_inc_inv_pair`]).
    pub(crate) fn solve(&self, a: f64, b: f64) -> (f64, f64) {
        match self.orient(a, b) {
            Ok(problem) => {
                let first = self.eval_at(&problem, problem.x0);
                self.finish(&problem, first)
            }
            Err(root) => root,
        }
    }

    /// The roots for (a, b) at this level and (c, d) at `other`, as
    /// [`Self::solve`] gives them. The two starting points are evaluated back
    /// to back, so that the processor overlaps the two independent chains of
    /// arithmetic (one evaluation each is the usual whole cost).
    pub(crate) fn solve_pair(
        &self,
        (a, b): (f64, f64),
        other: &BetaLevel,
        (c, d): (f64, f64),
    ) -> ((f64, f64), (f64, f64)) {
        match (self.orient(a, b), other.orient(c, d)) {
            (Ok(first), Ok(second)) => {
                let e1 = self.eval_at(&first, first.x0);
                let e2 = other.eval_at(&second, second.x0);
                (self.finish(&first, e1), other.finish(&second, e2))
            }
            _ => (self.solve(a, b), other.solve(c, d)),
        }
    }

    /// The problem for the smaller of x and 1 − x with its starting value,
    /// or the root itself when p or q is 0.
    fn orient(&self, a: f64, b: f64) -> Result<Oriented, (f64, f64)> {
        if self.p <= 0.0 {
            return Err((0.0, 1.0));
        }
        if self.q <= 0.0 {
            return Err((1.0, 0.0));
        }
        Ok(self.oriented(a, b, self.start(a, b)))
    }

    /// The problem for the smaller of x and 1 − x from the start (x₀, y₀).
    #[inline(always)]
    fn oriented(&self, a: f64, b: f64, start: (f64, f64)) -> Oriented {
        Oriented::new(self.p <= self.q, a, b, start)
    }

    /// Root-finding from the evaluated start, mapped back to (x, 1 − x).
    fn finish(&self, problem: &Oriented, first: Eval) -> (f64, f64) {
        let eval = |x: f64| self.eval_at(problem, x);
        let x = tail_inversion::solve_log_from(eval, problem.x0, first, ROOT_LO, ROOT_HI);
        problem.unorient(x)
    }

    /// F and its derivatives in u = ln x at x for an oriented problem: F =
    /// ln I − ln p (lower) or ln q − ln(1 − I) (upper), increasing in ln x.
    fn eval_at(&self, problem: &Oriented, x: f64) -> Eval {
        #[cfg(test)]
        EVALS.with(|c| c.set(c.get() + 1));
        let (a, b, lower) = (problem.a, problem.b, problem.lower);
        let y = 1.0 - x;
        let (ln_t, ratio) = small_sums::matched_tail(a, b, x, lower)
            .unwrap_or_else(|| matched_tail(a, b, x, y, lower));
        let f = if lower {
            ln_t - self.ln_target
        } else {
            self.ln_target - ln_t
        };
        // F′ = x·density/T = (front/T)/y.
        tail_eval(f, ratio, x, y, (a, b), lower)
    }

    /// Starting value (x₀, 1 − x₀) for the inversion (AS 109's choices).
    fn start(&self, a: f64, b: f64) -> (f64, f64) {
        if let Some(start) = self.gamma.and_then(|g| g.start(a, b)) {
            return start;
        }
        let (p, q, z) = (self.p, self.q, self.z);
        let normal_start = (a > 1.0 && b > 1.0)
            .then(|| normal_start(a, b, elementary::exp(normal_start_exponent(a, b, z))));
        if let Some(xy) = normal_start {
            if clear_of_tails(a, b, xy) {
                return xy;
            }
        }
        let ln_b = super::ln_beta(a, b);
        // Power-series starts: I_x ≈ xᵃ/(a B) near 0 and 1 − I_x ≈ yᵇ/(b B) near 1.
        let x_series = (((p * a).ln() + ln_b) / a).exp();
        let y_series = (((q * b).ln() + ln_b) / b).exp();
        if p <= q && x_series * (b + 1.0) < 0.2 {
            return (x_series, 1.0 - x_series);
        }
        if q < p && y_series * (a + 1.0) < 0.2 {
            return (1.0 - y_series, y_series);
        }
        let (x, y) = match normal_start {
            Some(xy) => xy,
            None => {
                // Wilson–Hilferty chi-square approximation (AS 109).
                let r = 2.0 * b;
                let t = 1.0 / (9.0 * b);
                let t = r * (1.0 - t + z * t.sqrt()).powi(3);
                if t <= 0.0 {
                    return (1.0 - y_series, y_series);
                }
                let t = (4.0 * a + r - 2.0) / t;
                if t <= 1.0 {
                    (x_series, 1.0 - x_series)
                } else {
                    (1.0 - 2.0 / (t + 1.0), 2.0 / (t + 1.0))
                }
            }
        };
        if x > 0.0 && x < 1.0 {
            (x, y)
        } else {
            (0.5, 0.5)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Solving two inversions side by side changes only the order of the
    /// work: the roots are bit-for-bit those of two separate solves,
    /// including the boundary levels p = 0 and q = 0.
    #[test]
    fn paired_solves_equal_separate_solves() {
        let levels = [
            BetaLevel::lower(0.025),
            BetaLevel::upper(0.025),
            BetaLevel::new(0.5, 0.5),
            BetaLevel::lower(1e-300),
            BetaLevel::lower(0.0),
            BetaLevel::upper(0.0),
        ];
        let params = [
            (1.0, 1.0),
            (0.5, 3.5),
            (12.0, 9989.0),
            (5e3, 7.5),
            (1e6, 1e6 + 1.0),
        ];
        for l1 in &levels {
            for l2 in &levels {
                for &p1 in &params {
                    for &p2 in &params {
                        let pair = l1.solve_pair(p1, l2, p2);
                        assert_eq!(pair, (l1.solve(p1.0, p1.1), l2.solve(p2.0, p2.1)));
                    }
                }
            }
        }
    }

    /// Every inversion with 30 ≤ min(a, b) < 100 at the usual confidence
    /// levels takes one evaluation of I_x from the normal start (the band
    /// the expansion newly serves, so that the lanes' common path covers it).
    #[test]
    fn one_evaluation_from_min_30() {
        let levels = [
            BetaLevel::lower(0.025),
            BetaLevel::upper(0.025),
            BetaLevel::lower(0.005),
            BetaLevel::upper(0.05),
        ];
        for level in levels {
            for twice_m in 60..200 {
                let m = 0.5 * f64::from(twice_m);
                for big in [m, m + 0.5, 150.0, 1e3, 5e3, 2e4] {
                    for (a, b) in [(m, big), (big, m)] {
                        EVALS.with(|c| c.set(0));
                        let _ = level.solve(a, b);
                        let evals = EVALS.with(std::cell::Cell::get);
                        assert_eq!(evals, 1, "{a} {b} {level:?}");
                    }
                }
            }
        }
    }

    /// The asymptotic expansion against the continued fraction (an
    /// independent method) on both sides of the mean, wherever it is used
    /// (it must then converge), for min(a, b) from 30 (where it starts being
    /// used; up to 45 only to the deviance bound) to 1e5 (further up the
    /// continued fraction's own rounding reaches 1e-13, and the mpmath
    /// values of tests/numerics_reference.rs at 1e6–1e9 check it instead).
    #[test]
    fn asymptotic_expansion_matches_continued_fraction() {
        let sizes: [f64; 15] = [
            30.0, 30.5, 33.0, 36.0, 40.0, 44.5, 60.0, 99.5, 100.0, 150.0, 400.0, 1e3, 5e3, 1e4, 1e5,
        ];
        let mut worst: f64 = 0.0;
        let mut used = 0;
        for &a in &sizes {
            for &b in &sizes {
                let n = a + b;
                let mean = a / n;
                let sd = (a * b / (n * n * (n + 1.0))).sqrt();
                // Steps of 0.1 sd, finer where the deviance bound applies.
                let per_tenth = if a.min(b) < 45.0 { 4 } else { 1 };
                for k in -50 * per_tenth..=50 * per_tenth {
                    let x = mean + 0.1 * f64::from(k) / f64::from(per_tenth) * sd;
                    let y = 1.0 - x;
                    let lambda = if a > b { n * y - b } else { a - n * x };
                    let deviance = stirling::bd0(a, n * x) + stirling::bd0(b, n * y);
                    if !asymptotic(a, b, deviance) {
                        continue;
                    }
                    used += 1;
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
        assert!(used > 20_000, "{used}");
        // ln I differences of 2e-14 = relative differences of I.
        assert!(worst < 2e-14, "{worst:e}");
    }
}
