//! Loader's building blocks for accurate log-densities: the Stirling-series
//! error δ(z) and the deviance term bd0(x, m).
//!
//! Source: C. Loader (2000), "Fast and accurate computation of binomial
//! probabilities". Writing every Γ-ratio as a product of Stirling's formula,
//! its error δ and a deviance `bd0` avoids the cancellation of differences of
//! ln Γ (at n = 1e9, ln Γ(n) ≈ 2e10 and its rounding alone is 4e-6).

use std::f64::consts::PI;

/// ln(2π).
pub(crate) const LN_2PI: f64 = 1.837_877_066_409_345_5;

/// δ(z) at z = 0, 0.5, 1, …, 15, computed with mpmath at 40 digits.
const STIRLERR_HALVES: [f64; 31] = [
    0.0,
    0.15342640972002736,
    0.08106146679532726,
    0.05481412105191765,
    0.0413406959554093,
    0.033162873519936284,
    0.02767792568499834,
    0.023746163656297496,
    0.020790672103765093,
    0.018488450532673183,
    0.016644691189821193,
    0.01513497322191738,
    0.013876128823070748,
    0.012810465242920227,
    0.01189670994589177,
    0.011104559758206917,
    0.010411265261972096,
    0.009799416126158802,
    0.009255462182712733,
    0.008768700134139384,
    0.00833056343336287,
    0.00793411456431402,
    0.007573675487951841,
    0.007244554301320383,
    0.00694284010720953,
    0.006665247032707682,
    0.006408994188004207,
    0.006171712263039458,
    0.005951370112758848,
    0.005746216513010116,
    0.005554733551962801,
];

/// Stirling-series error δ(z) = ln Γ(z + 1) − (z + ½) ln z + z − ½ ln(2π), z > 0.
///
/// Half-integers up to 15: the table above. Other z ≤ 15: the definition, with
/// statrs' ln Γ (there ln Γ(z + 1) ≤ 28; measured error up to ~6e-14
/// absolute near z = 15, which bounds this branch; half-integers avoid it). z > 15: the asymptotic series
/// δ(z) ≈ 1/(12z) − 1/(360z³) + 1/(1260z⁵) − 1/(1680z⁷) + 1/(1188z⁹) − 691/(360360z¹¹),
/// truncation error below 2e-17 (Abramowitz & Stegun 6.1.41).
pub(crate) fn stirlerr(z: f64) -> f64 {
    if z > 15.0 {
        return stirlerr_series(z, 1.0 / z);
    }
    let twice = 2.0 * z;
    if twice == twice.floor() {
        // 0 <= 2z <= 30 here, so the cast is exact.
        return STIRLERR_HALVES[twice as usize];
    }
    statrs::function::gamma::ln_gamma(z + 1.0) - (z + 0.5) * z.ln() + z - 0.5 * LN_2PI
}

/// δ(z) for z > 15 by the asymptotic series of [`stirlerr`] (the last term
/// only up to z = 35, where it falls below the rounding level), given
/// `inv` ≈ 1/z (callers that sum several δ form the reciprocals from one
/// division). Branch-free apart from that choice, so that the lanes of
/// [`super::beta`]'s batch inversion evaluate it side by side.
#[inline(always)]
pub(crate) fn stirlerr_series(z: f64, inv: f64) -> f64 {
    const S0: f64 = 1.0 / 12.0;
    const S1: f64 = 1.0 / 360.0;
    const S2: f64 = 1.0 / 1260.0;
    const S3: f64 = 1.0 / 1680.0;
    const S4: f64 = 1.0 / 1188.0;
    const S5: f64 = 691.0 / 360_360.0;
    let z2 = inv * inv;
    let tail = if z > 35.0 { S4 } else { S4 - S5 * z2 };
    (S0 - (S1 - (S2 - (S3 - tail * z2) * z2) * z2) * z2) * inv
}

/// Deviance term bd0(x, m) = x ln(x/m) + m − x ≥ 0, for x ≥ 0 and m > 0.
///
/// Near x = m the direct formula cancels; there Loader's series in
/// v = (x − m)/(x + m) is used: bd0 = (x − m) v + 2x Σ_{j≥1} v^{2j+1}/(2j + 1).
pub(crate) fn bd0(x: f64, m: f64) -> f64 {
    bd0_with(x, m, f64::ln)
}

/// [`bd0`] with ln(x/m) computed by `ln` (the batch beta inversion's lanes
/// and the scalar solves that must match them bit for bit use
/// [`super::elementary::ln`]).
#[inline(always)]
pub(crate) fn bd0_with(x: f64, m: f64, ln: impl Fn(f64) -> f64) -> f64 {
    if x == 0.0 {
        return m;
    }
    if bd0_near(x, m) {
        return bd0_series(x, m);
    }
    let ratio = x / m;
    let ln_ratio = if ratio.is_finite() && ratio > 0.0 {
        ln(ratio)
    } else {
        x.ln() - m.ln()
    };
    bd0_direct(x, m, ln_ratio)
}

/// Whether [`bd0`] takes Loader's series: |x − m| < 0.1 (x + m).
#[inline(always)]
pub(crate) fn bd0_near(x: f64, m: f64) -> bool {
    (x - m).abs() < 0.1 * (x + m)
}

/// [`bd0`] by Loader's series in v = (x − m)/(x + m), for [`bd0_near`] x, m.
#[inline(always)]
pub(crate) fn bd0_series(x: f64, m: f64) -> f64 {
    let d = x - m;
    let v = d / (x + m);
    let v2 = v * v;
    // Σ_{j≥1} v^{2j}/(2j + 1) = v²·Σ_{j=0..8} v^{2j}/(2j + 3) + R with
    // v² < 0.01, so R < 0.01¹⁰/21: below the rounding level of the sum
    // (≈ v²/3). The degree-8 polynomial is evaluated by Estrin's scheme.
    let v4 = v2 * v2;
    let v8 = v4 * v4;
    const C: [f64; 9] = [
        1.0 / 3.0,
        1.0 / 5.0,
        1.0 / 7.0,
        1.0 / 9.0,
        1.0 / 11.0,
        1.0 / 13.0,
        1.0 / 15.0,
        1.0 / 17.0,
        1.0 / 19.0,
    ];
    let low = (C[0] + C[1] * v2) + (C[2] + C[3] * v2) * v4;
    let high = (C[4] + C[5] * v2) + (C[6] + C[7] * v2) * v4;
    let series = v2 * (low + (high + C[8] * v8) * v8);
    d * v + 2.0 * x * v * series
}

/// [`bd0`] by its definition x ln(x/m) + m − x, given ln(x/m).
#[inline(always)]
pub(crate) fn bd0_direct(x: f64, m: f64, ln_ratio: f64) -> f64 {
    x * ln_ratio + m - x
}

/// ln of the binomial "density" Γ(n+1)/(Γ(x+1) Γ(y+1)) pˣ qʸ with n = x + y,
/// for real x, y ≥ 0 and p, q > 0 with p + q = 1 (Loader's `dbinom_raw`):
///
/// ln f = δ(n) − δ(x) − δ(y) − bd0(x, np) − bd0(y, nq) − ½ ln(2π x y / n).
pub(crate) fn ln_binom_raw(x: f64, y: f64, p: f64, q: f64) -> f64 {
    let n = x + y;
    if x == 0.0 {
        return if y == 0.0 {
            0.0
        } else if p < 0.1 {
            -bd0(n, n * q) - n * p
        } else {
            n * q.ln()
        };
    }
    if y == 0.0 {
        return if q < 0.1 {
            -bd0(n, n * p) - n * q
        } else {
            n * p.ln()
        };
    }
    let lc = stirlerr(n) - stirlerr(x) - stirlerr(y) - bd0(x, n * p) - bd0(y, n * q);
    lc - 0.5 * (LN_2PI + x.ln() + y.ln() - n.ln())
}

/// ln of the Poisson "density" λˣ e^{−λ}/Γ(x + 1) for real x ≥ 0, λ > 0
/// (Loader's `dpois_raw`): −δ(x) − bd0(x, λ) − ½ ln(2π x).
pub(crate) fn ln_poisson_raw(x: f64, lambda: f64) -> f64 {
    if x == 0.0 {
        return -lambda;
    }
    -stirlerr(x) - bd0(x, lambda) - 0.5 * (2.0 * PI * x).ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stirlerr_branches_agree_at_15() {
        // Table value at 15 vs the series just above and the definition just
        // below, after the first-order change δ'(z) ≈ −1/(12z²) + 1/(120z⁴).
        let table = stirlerr(15.0);
        let slope = -1.0 / (12.0 * 225.0) + 1.0 / (120.0 * 225.0 * 225.0);
        let h = 1e-6;
        assert!((stirlerr(15.0 + h) - (table + slope * h)).abs() < 1e-15);
        let below = (stirlerr(15.0 - h) - (table - slope * h)).abs();
        // statrs' ln Γ(16) is off by ~5e-14 absolute (2e-15 relative), which
        // bounds the definition branch; see the doc of `stirlerr`.
        assert!(below < 1e-13, "{below:e}");
    }

    #[test]
    fn bd0_branches_agree() {
        // 0.1 (x + m) boundary: x = 11, m = 9 sits exactly on it.
        let direct = 11.0 * (11.0_f64 / 9.0).ln() + 9.0 - 11.0;
        assert!((bd0(11.0, 9.0) - direct).abs() < 1e-15);
        assert_eq!(bd0(0.0, 2.5), 2.5);
        assert_eq!(bd0(7.0, 7.0), 0.0);
    }
}
