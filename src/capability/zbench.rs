//! Z.bench where the fraction out of specification (or inside it) is too
//! small for double precision.
//!
//! Z.bench = −Φ⁻¹(P) with P = Φ(−a) + Φ(−b), a = (x̄ − LSL)/σ and
//! b = (USL − x̄)/σ. P underflows to 0 beyond Z ≈ 37.5, and rounds to 1 (Z
//! below −8.3 where 1 − P is lost), so there the study evaluates Z.bench in
//! logarithms instead: ln Φ from the incomplete gamma function
//! (Φ(−|x|) = ½ Q(½, x²/2), Abramowitz & Stegun 26.2.30), then the z with
//! ln Φ(−z) = ln P (or ln(1 − P)) by Brent's method. With one limit Z.bench is
//! exactly a or b. The result stays finite for every finite a and b.

use crate::numerics::roots::find_root;
use crate::numerics::special::{gamma_tails, ln_one_minus_exp};
use std::f64::consts::LN_2;

/// ln(eˣ + eʸ) without overflow.
fn ln_add_exp(x: f64, y: f64) -> f64 {
    let (hi, lo) = if x >= y { (x, y) } else { (y, x) };
    if lo == f64::NEG_INFINITY {
        return hi;
    }
    hi + (lo - hi).exp().ln_1p()
}

/// ln(1 − Φ(z)) = ln Φ(−z) for any z.
fn ln_sf(z: f64) -> f64 {
    let t = gamma_tails(0.5, 0.5 * z * z);
    if z >= 0.0 {
        t.ln_upper - LN_2
    } else {
        // 1 − Φ(−|z|) = ½ + ½ P(½, z²/2).
        t.ln_lower.exp().ln_1p() - LN_2
    }
}

/// ln(Φ(|x|) − ½) = ln(½ P(½, x²/2)).
fn ln_half_width(x: f64) -> f64 {
    gamma_tails(0.5, 0.5 * x * x).ln_lower - LN_2
}

/// The z ≥ 0 with ln(1 − Φ(z)) = `ln_p` (ln_p ≤ ln ½), or `fallback` when
/// ln_p is −∞ (|z| beyond 1e154, where the dominant side is exact).
fn isf_log(ln_p: f64, fallback: f64) -> f64 {
    if ln_p == f64::NEG_INFINITY {
        return fallback;
    }
    // For z ≥ 1, 1 − Φ(z) < e^{−z²/2}, so the root lies below √(−2 ln p) + 1.
    let hi = (-2.0 * ln_p).sqrt() + 1.0;
    find_root(|z| ln_sf(z) - ln_p, 0.0, hi, 4.0 * f64::EPSILON * hi).unwrap_or(fallback)
}

/// Z.bench from the distances a = (x̄ − LSL)/σ and b = (USL − x̄)/σ (None
/// for a missing limit), evaluated in logarithms.
pub(crate) fn z_bench_log(a: Option<f64>, b: Option<f64>) -> f64 {
    let (a, b) = match (a, b) {
        (Some(a), Some(b)) => (a, b),
        (Some(z), None) | (None, Some(z)) => return z,
        (None, None) => return f64::NAN,
    };
    let ln_out = ln_add_exp(ln_sf(a), ln_sf(b));
    if ln_out <= -LN_2 {
        return isf_log(ln_out, a.min(b));
    }
    // More than half out of specification: Z.bench = Φ⁻¹(P_in) < 0 with
    // P_in = Φ(b) − Φ(−a), a sum or a difference of tails by the mean's position.
    // Where ln P_in underflows, the nearer limit's distance is exact.
    let (ln_in, nearest) = if a <= 0.0 {
        (ln_sf(-a) + ln_one_minus_exp(ln_sf(b) - ln_sf(-a)), -a)
    } else if b <= 0.0 {
        (ln_sf(-b) + ln_one_minus_exp(ln_sf(a) - ln_sf(-b)), -b)
    } else {
        (ln_add_exp(ln_half_width(a), ln_half_width(b)), 0.0)
    };
    -isf_log(ln_in, nearest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_direct_formula_where_both_work() {
        use crate::numerics::normal;
        for (a, b) in [
            (3.0, 4.0),
            (1.0, 2.5),
            (6.0, 30.0),
            (-1.0, 2.0),
            (-2.0, 3.0),
            (2.0, -1.5),
        ] {
            let direct = -normal::quantile(normal::sf(a) + normal::sf(b));
            let logs = z_bench_log(Some(a), Some(b));
            assert!(
                (direct - logs).abs() < 1e-12 * direct.abs().max(1.0),
                "{a} {b}: {direct} {logs}"
            );
        }
        assert_eq!(z_bench_log(Some(50.0), None), 50.0);
    }

    #[test]
    fn matches_mpmath_where_the_direct_formula_fails() {
        // mpmath at 50 digits: the z with ln Q(z) = ln P (or −z with ln P_in),
        // Q(z) = ncdf(−z), P = Q(a) + Q(b), P_in = Q(−a) − Q(b).
        for (a, b, want) in [
            (40.0, 40.0, 39.982_678_384_861_63),
            (38.0, 38.5, 37.999_999_999_871_66),
            (-40.0, 40.01, -40.027_698_723_887_73),
            (1e-17, 1e-17, -8.519_982_877_277_384),
            (50.0, -45.5, -45.5),
            (1e200, 1e201, 1e200),
        ] {
            let got = z_bench_log(Some(a), Some(b));
            assert!(
                (got - want).abs() <= 1e-13 * want.abs(),
                "{a} {b}: {got} vs {want}"
            );
        }
    }
}
