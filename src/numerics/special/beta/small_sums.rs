//! I_x(a, b) for one small parameter a, a whole number or a half-integer,
//! by sums of positive terms.
//!
//! Both rest on the recurrence I_x(a + 1, b) = I_x(a, b) − xᵃ yᵇ/(a B(a, b))
//! (DLMF 8.17.20), y = 1 − x, whose terms uⱼ = x^{φ+j} yᵇ/((φ + j) B(φ + j, b))
//! for a = φ + m (φ = 0 or ½) fall from one to the next by the factor
//! uⱼ₊₁/uⱼ = (b + φ + j)x/(φ + j + 1):
//! 1 − I_x(φ + m, b) = (1 − I_x(φ, b)) + Σ_{j=0}^{m−1} uⱼ, and, from the
//! hypergeometric form I_x(a, b) = xᵃ yᵇ/(a B(a, b)) · F(a + b, 1; a + 1; x)
//! (DLMF 8.17.8), I_x(a, b) = u_m Σ_{k≥0} vₖ with v₀ = 1 and
//! vₖ₊₁/vₖ = (b + a + k)x/(a + k + 1).
//!
//! * Whole a = m (Clopper-Pearson limits with few failures or few
//!   successes): 1 − I_x(0, b) = 0 and u₀ = yᵇ, so the complement is the
//!   negative binomial distribution function yᵇ Σ_{j<m} (b)ⱼ/j! · xʲ (Johnson,
//!   Kemp & Kotz 2005, *Univariate Discrete Distributions*, 3rd ed., §5.6):
//!   one logarithm for the leading power yᵇ and one for the sum.
//! * Half-integer a = m + ½ (Jeffreys limits with few failures or few
//!   successes), b ≥ [`HALF_MIN_B`]: u₀ = 2√x yᵇ R/√π with
//!   R = Γ(b + ½)/Γ(b), and the base 1 − I_x(½, b) = I_y(b, ½) by Watson's
//!   lemma (DLMF 2.3.ii) on its integral in s = −ln(1 − t): with T = b − ¼,
//!   I_y(b, ½) = (R/√π) ∫_{s₀}^∞ e^{−Ts} s^{−½} φ(s) ds,
//!   φ(s) = ((s/2)/sinh(s/2))^{½} = Σₖ dₖ s^{2k}, s₀ = −ln y, so
//!   I_y(b, ½) = (R/√π) Σₖ dₖ Γ(2k + ½, z)/T^{2k+½}, z = T s₀: the first
//!   term is the error function, (R/√T) erfc(√z); the others fall at least
//!   like (2k)!/(2πT)^{2k} (φ is analytic for |s| < 2π), so at b ≥ 30 ten
//!   terms reach the rounding level everywhere and one to three at the
//!   limits' usual roots. With everything scaled by R e^{−z}, ln R from
//!   its asymptotic series (DLMF 5.11.8 with B_n(½) = (2^{1−n} − 1)B_n,
//!   DLMF 24.4.27) and e^z Γ(a, z) from e^z Γ(½, z) = √π e^z erfc(√z) by
//!   e^z Γ(a + 1, z) = a e^z Γ(a, z) + zᵃ (DLMF 8.8.2), this needs one
//!   logarithm, ln(1 − x), one for the sum and no exponential.
//!
//! These replace the continued fraction and the log-prefactor's deviances
//! and Stirling corrections inside the inversion. The upper sum (for I) is
//! summed only where its ratios, which fall with k for b ≥ 1, are at most
//! [`UPPER_RATIO`] from k = 0 on (a geometric tail, so it stops after a few
//! dozen terms at the limits' usual levels). All terms but the dₖ are
//! positive and the dₖ terms are corrections of the leading error function,
//! so both tails keep full relative accuracy; the prefactor is
//! xᵃ yᵇ / B(a, b) = a·u_m.

use super::super::basym;
use crate::numerics::normal;

/// Largest whole m summed, and m of the largest half-integer m + ½ (the
/// parameters of the continued fraction's one-by-one band below the lanes).
const LARGEST: f64 = 29.0;
/// Smallest b for the half-integer sums (where ten terms of Watson's series
/// and five of ln R's reach the rounding level).
const HALF_MIN_B: f64 = 30.0;
/// Largest ratio (b + a)x/(a + 1) of the upper sum's second term to its
/// first for which that sum is used (then at most about 140 terms).
const UPPER_RATIO: f64 = 0.75;
/// A term below this fraction of a sum ends it (the rest of the upper sum,
/// at most three times the term, and of Watson's series, smaller than the
/// term, is then below the rounding of the sum).
const UPPER_DONE: f64 = 1e-17;
/// 2/√π.
const FRAC_2_SQRT_PI: f64 = std::f64::consts::FRAC_2_SQRT_PI;
/// 1/√π.
const FRAC_1_SQRT_PI: f64 = 0.5 * FRAC_2_SQRT_PI;

/// d₁, d₂, …: the coefficients of s^{2k} in ((s/2)/sinh(s/2))^{½} (exact
/// rationals, from the series of sinh: −1/48, 1/2560, −61/7741440, …).
#[allow(clippy::excessive_precision)] // the rationals to 20 digits
const WATSON: [f64; 12] = [
    -2.0833333333333333333e-2,
    3.90625e-4,
    -7.8796709656084656085e-6,
    1.6967665791721781305e-7,
    -3.8050641917219065657e-9,
    8.7483775963154073041e-11,
    -2.0445233594119738176e-12,
    4.8333517979677044083e-14,
    -1.1524341017673859239e-15,
    2.7660520435993700423e-17,
    -6.6742819508916599512e-19,
    1.6174550771815798882e-20,
];

/// (ln T, xᵃ yᵇ/(B(a, b)·T)) for the tail T of I_x(a, b) matched (I itself
/// if `lower`, else 1 − I) when `a` is a whole number from 1 to 29 and
/// b ≥ 1, or a half-integer from ½ to 29½ and b ≥ [`HALF_MIN_B`], and
/// 0 < x ≤ ½, by the sums above; `None` where they do not apply (the upper
/// sum too slow, or a term out of the normal range).
#[inline]
pub(super) fn matched_tail(a: f64, b: f64, x: f64, lower: bool) -> Option<(f64, f64)> {
    // (Casts, not `floor`, which is a call to the C library without SSE4.1.)
    let whole = (1.0..=LARGEST).contains(&a) && a == f64::from(a as u8) && b >= 1.0;
    let twice = 2.0 * a;
    let half = !whole
        && (1.0..=2.0 * LARGEST + 1.0).contains(&twice)
        && twice == f64::from(twice as u8)
        && b >= HALF_MIN_B;
    if !((whole || half) && x > 0.0 && x <= 0.5) || (lower && (b + a) * x > UPPER_RATIO * (a + 1.0))
    {
        return None;
    }
    if whole {
        whole_tail(a, b, x, lower)
    } else {
        half_tail(a, b, x, lower)
    }
}

/// [`matched_tail`] for a whole a = m: yᵇ times the sums of uⱼ/yᵇ.
#[inline(always)]
fn whole_tail(m: f64, b: f64, x: f64, lower: bool) -> Option<(f64, f64)> {
    let ln_lead = b * (-x).ln_1p();
    let (sum, u_m) = finite_sum(0.0, m, b, x);
    if lower {
        let rest = upper_sum(m, b, x);
        let tail = u_m * rest;
        (u_m.is_normal() && tail.is_normal()).then(|| (ln_lead + tail.ln(), m / rest))
    } else {
        let ratio = m * u_m / sum;
        (sum.is_finite() && ratio.is_normal()).then(|| (ln_lead + sum.ln(), ratio))
    }
}

/// [`matched_tail`] for a half-integer a = m + ½: R e^{−z} times the sums
/// of uⱼ/(R e^{−z}) and Watson's series for the base.
#[inline(always)]
fn half_tail(a: f64, b: f64, x: f64, lower: bool) -> Option<(f64, f64)> {
    let s0 = -(-x).ln_1p();
    let t = b - 0.25;
    let z = t * s0;
    // u₀/(R e^{−z}) = (2/√π) √x e^{−s₀/4} (yᵇ = e^{−z} e^{−s₀/4}).
    let lead = FRAC_2_SQRT_PI * x.sqrt() * (1.0 - x).sqrt().sqrt();
    let (sum, u_m) = finite_sum(0.5, a - 0.5, b, x);
    let u_m = lead * u_m;
    let (scaled, ratio) = if lower {
        let rest = upper_sum(a, b, x);
        (u_m * rest, a / rest)
    } else {
        let tail = lead * sum + half_base(t, z, s0, lead * sum)?;
        (tail, a * u_m / tail)
    };
    let ln_t = ln_gamma_ratio_rest(b) - z + (b.sqrt() * scaled).ln();
    (u_m.is_normal() && scaled.is_normal() && ratio.is_normal()).then_some((ln_t, ratio))
}

/// Σ_{j<m} uⱼ/u₀ and u_m/u₀ for the terms from index φ (uⱼ₊₁/uⱼ =
/// (b + φ + j)x/(φ + j + 1)).
#[inline(always)]
fn finite_sum(phi: f64, m: f64, b: f64, x: f64) -> (f64, f64) {
    let end = phi + m;
    let (mut u, mut sum, mut k) = (1.0, 0.0, phi);
    while k < end {
        sum += u;
        u *= (b + k) * x / (k + 1.0);
        k += 1.0;
    }
    (sum, u)
}

/// Σ_{k≥0} vₖ, v₀ = 1, vₖ₊₁/vₖ = (b + a + k)x/(a + k + 1): I_x(a, b)/u_m.
#[inline(always)]
fn upper_sum(a: f64, b: f64, x: f64) -> f64 {
    let (mut v, mut rest, mut k) = (1.0, 1.0, a);
    for _ in 0..200 {
        v *= (b + k) * x / (k + 1.0);
        rest += v;
        if v <= UPPER_DONE * rest {
            break;
        }
        k += 1.0;
    }
    rest
}

/// I_y(b, ½)/(R e^{−z}) = (1/√T)(e^z erfc(√z) + (1/√π) Σ_{k≥1} dₖ gₖ) with
/// gₖ = e^z Γ(2k + ½, z)/T^{2k}, T = b − ¼, z = T s₀, summed until a term is
/// below the rounding of the tail (`others` the rest of it, scaled alike);
/// `None` if the series has not reached it by its last coefficient.
#[inline(always)]
fn half_base(t: f64, z: f64, s0: f64, others: f64) -> Option<f64> {
    let root_z = z.sqrt();
    let erfcx = if root_z <= 4.0 {
        basym::erfcx(root_z)
    } else {
        normal::erfc_scaled(root_z)
    };
    let inv_t = 1.0 / t;
    let inv_t2 = inv_t * inv_t;
    let sqrt_t = t.sqrt();
    // g₀ = √π e^z erfc(√z); with pₖ = z^{2k+½}/T^{2k} = √z s₀^{2k},
    // gₖ₊₁ = ((a + 1)(a gₖ + pₖ))/T² + pₖ s₀/T at a = 2k + ½.
    let (mut g, mut p, mut a) = (erfcx / FRAC_1_SQRT_PI, root_z, 0.5);
    let mut series = erfcx;
    let done = UPPER_DONE * (erfcx + sqrt_t * others);
    for d in WATSON {
        g = (a + 1.0) * (a * g + p) * inv_t2 + p * s0 * inv_t;
        p *= s0 * s0;
        a += 2.0;
        let term = d * g * FRAC_1_SQRT_PI;
        series += term;
        if term.abs() <= done {
            return Some(series / sqrt_t);
        }
    }
    None
}

/// ln(Γ(b + ½)/Γ(b)) − ½ ln b = −1/(8b) + 1/(192b³) − 1/(640b⁵) +
/// 17/(14336b⁷) − 341/(202752b⁹) (DLMF 5.11.8; the next term is below
/// 2e-19 at b ≥ 30).
#[inline(always)]
fn ln_gamma_ratio_rest(b: f64) -> f64 {
    let inv = 1.0 / b;
    let inv2 = inv * inv;
    inv * (-1.0 / 8.0
        + inv2
            * (1.0 / 192.0
                + inv2 * (-1.0 / 640.0 + inv2 * (17.0 / 14336.0 - inv2 * (341.0 / 202752.0)))))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sums against the continued fraction and Loader's log-prefactor
    /// (an independent method: [`super::super::matched_tail`]) for both
    /// tails, on a grid of whole and half-integer a, b from 1 to 1e7 and x from 1e-12 to ½
    /// wherever the sums apply: ln T and the prefactor ratio (the slope)
    /// within 2e-14 relative to max(1, |ln T|) and max(1, |ln ratio|) (the
    /// reference forms both from logarithms).
    #[test]
    fn sums_match_continued_fraction() {
        let sizes = [
            1.0,
            1.5,
            2.0,
            7.0,
            30.0,
            30.5,
            31.0,
            45.5,
            999.0,
            1e4 + 0.5,
            1e6,
            1e7,
        ];
        let (mut worst_ln, mut worst_ratio, mut used): (f64, f64, u32) = (0.0, 0.0, 0);
        for twice in 1..=59 {
            let m = 0.5 * f64::from(twice);
            for &b in &sizes {
                for step in 0..=240 {
                    let x = 0.5 * 10f64.powf(-f64::from(step) / 20.0);
                    for lower in [false, true] {
                        let Some((ln_t, ratio)) = matched_tail(m, b, x, lower) else {
                            continue;
                        };
                        used += 1;
                        let (ln_ref, ratio_ref) =
                            super::super::matched_tail(m, b, x, 1.0 - x, lower);
                        let e_ln = (ln_t - ln_ref).abs() / ln_ref.abs().max(1.0);
                        // The reference's ratio is an exponential of a
                        // difference of logarithms: relative to max(1, |ln ratio|).
                        let e_ratio =
                            ((ratio - ratio_ref) / ratio_ref).abs() / ratio.ln().abs().max(1.0);
                        assert!(e_ln < 2e-14, "{m} {b} {x} {lower}: ln {e_ln:e}");
                        assert!(e_ratio < 2e-14, "{m} {b} {x} {lower}: ratio {e_ratio:e}");
                        worst_ln = worst_ln.max(e_ln);
                        worst_ratio = worst_ratio.max(e_ratio);
                    }
                }
            }
        }
        assert!(used > 40_000, "{used}");
        println!("worst ln T {worst_ln:e}, ratio {worst_ratio:e} over {used}");
    }

    /// Outside their domain (a neither whole nor a half-integer, not in
    /// ½..=29½ or a whole 0, b < 1, a half-integer with b < 30, x outside
    /// (0, ½], or an upper sum that would fall too slowly) no sum is used.
    #[test]
    fn declines_outside_its_domain() {
        assert!(matched_tail(2.25, 100.0, 0.01, false).is_none());
        assert!(matched_tail(2.5, 29.5, 0.01, false).is_none());
        assert!(matched_tail(30.5, 100.0, 0.01, false).is_none());
        assert!(matched_tail(2.5, 100.0, 0.6, false).is_none());
        assert!(matched_tail(2.5, 100.0, 0.05, true).is_none());
        assert!(matched_tail(2.5, 100.0, 0.005, true).is_some());
        assert!(matched_tail(2.5, 100.0, 0.01, false).is_some());
        assert!(matched_tail(30.0, 100.0, 0.01, false).is_none());
        assert!(matched_tail(0.0, 100.0, 0.01, false).is_none());
        assert!(matched_tail(3.0, 0.5, 0.01, false).is_none());
        assert!(matched_tail(3.0, 100.0, 0.0, false).is_none());
        assert!(matched_tail(3.0, 100.0, 0.6, false).is_none());
        assert!(matched_tail(3.0, 100.0, 0.05, true).is_none());
        assert!(matched_tail(3.0, 100.0, 0.005, true).is_some());
    }
}
