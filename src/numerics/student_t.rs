//! Student's t distribution with ν > 0 degrees of freedom.
//!
//! P(T > |t|) = ½ I_x(ν/2, ½) with x = ν/(ν + t²) (Abramowitz & Stegun
//! 26.7.1), evaluated with the incomplete beta of [`super::special`], passing
//! both x and 1 − x = t²/(ν + t²) without cancellation. The quantile inverts
//! the same relation with the incomplete beta inverse.

use super::special;

/// (x, 1 − x) = (ν/(ν + t²), t²/(ν + t²)) without overflow or cancellation.
fn beta_argument(t: f64, df: f64) -> (f64, f64) {
    let t = t.abs();
    if t * t > df {
        let s = df / t / t;
        (s / (1.0 + s), 1.0 / (1.0 + s))
    } else {
        let s = t * t / df;
        (1.0 / (1.0 + s), s / (1.0 + s))
    }
}

/// P(T > |t|), for df > 0.
fn two_sided_half(t: f64, df: f64) -> f64 {
    let (x, y) = beta_argument(t, df);
    0.5 * special::beta_tails(0.5 * df, 0.5, x, y).ln_lower.exp()
}

fn valid(t: f64, df: f64) -> bool {
    !t.is_nan() && df > 0.0
}

/// P(T ≤ t) for T ~ t(df); NaN unless df > 0 and t is not NaN.
pub fn cdf(t: f64, df: f64) -> f64 {
    if !valid(t, df) {
        return f64::NAN;
    }
    let tail = two_sided_half(t, df);
    if t < 0.0 {
        tail
    } else {
        1.0 - tail
    }
}

/// P(T > t) for T ~ t(df).
pub fn sf(t: f64, df: f64) -> f64 {
    cdf(-t, df)
}

/// The t with P(T ≤ t) = p, for p in [0, 1] (±∞ at 0 and 1) and df > 0.
pub fn quantile(p: f64, df: f64) -> f64 {
    if !((0.0..=1.0).contains(&p) && df > 0.0) {
        return f64::NAN;
    }
    let (tail, sign) = if p < 0.5 { (p, -1.0) } else { (1.0 - p, 1.0) };
    if tail == 0.0 {
        return sign * f64::INFINITY;
    }
    // ½ I_x(ν/2, ½) = tail, with 1 − I_x = 1 − 2 tail.
    let (x, y) = special::beta_inc_inv_pair(0.5 * df, 0.5, 2.0 * tail, 1.0 - 2.0 * tail);
    sign * (df * y / x).sqrt()
}

/// The t with P(T > t) = q.
pub fn isf(q: f64, df: f64) -> f64 {
    -quantile(q, df)
}
