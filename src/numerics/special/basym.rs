//! Temme's uniform asymptotic expansion of I_x(a, b) for large a and b,
//! in the form of DiDonato & Morris (1992, ACM TOMS 18:360, algorithm 708,
//! routine BASYM), after N. M. Temme (1987, SIAM J. Math. Anal. 18:1638,
//! "Incomplete Laplace integrals: uniform asymptotic expansion with
//! application to the incomplete beta function").
//!
//! For x below the mean a/(a + b), with the deviance
//! f = a·φ(−λ/a) + b·φ(λ/b), φ(t) = t − ln(1 + t), λ = a − (a + b)x
//! (equal to Loader's bd0(a, (a + b)x) + bd0(b, (a + b)y)),
//!
//! I_x(a, b) = (2/√π) e^{−f} e^{−(δ(a) + δ(b) − δ(a + b))} Σ_{n≥0} d_n w₀ⁿ J_n(√f),
//!
//! where δ is the Stirling error, w₀ = 1/√(b(1 + a/b)) for a ≥ b (roles swapped
//! otherwise), J₀ = (√π/4) e^{f} erfc(√f), J₁ = 2^{−3/2} and
//! J_n = 2^{−3/2} (√(2f))^{n−1} + (n − 1) J_{n−2}. The d_n depend only on
//! a and b (through h = min/max and (b − a)/max): they come from powers
//! and the reciprocal of a power series, as in TOMS 708. The terms fall like w₀ⁿ√fⁿ, so
//! the series is short when min(a, b) is large and x is within a few standard
//! deviations of the mean; the cost does not grow with a or b.

use super::basym_coefficients::POLY;
use super::erfcx_table::{STEPS, TAYLOR};

/// 2/√π.
pub(crate) const E0: f64 = std::f64::consts::FRAC_2_SQRT_PI;
/// ln(2/√π).
pub(crate) const LN_E0: f64 = 0.120_782_237_635_245_22;
/// 2^(−3/2).
const E1: f64 = 0.353_553_390_593_273_8;

/// The expansion for one (a, b). Its coefficients d_n are polynomials in
/// h = min(a, b)/max(a, b), and d_n w₀ⁿ = R_n(s)·((1 + h)/min(a, b))^k
/// (times r1·w₀ for odd n), k = ⌊n/2⌋, with R_n a polynomial of degree k in
/// s = h/(1 + h)² (generated exactly by scripts/gen_basym_coefficients.py
/// from the recurrences of TOMS 708), so each term costs a few multiply-adds.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Expansion {
    /// h/(1 + h)².
    s: f64,
    /// (b − a)/max(a, b), the factor of the odd d_n.
    r1: f64,
    /// 1/√(min(a, b)(1 + h)).
    w0: f64,
    /// (1 + h)/min(a, b) = (1 + h)² w₀².
    step: f64,
}

/// P(s) for coefficients in increasing powers, by Horner's rule.
#[inline(always)]
fn horner(poly: &[f64], s: f64) -> f64 {
    poly.iter().rev().fold(0.0, |acc, &c| acc * s + c)
}

impl Expansion {
    /// The expansion for I_x(a, b) with x at or below the mean.
    #[inline(always)]
    pub(crate) fn new(a: f64, b: f64) -> Self {
        let (small, large) = if a < b { (a, b) } else { (b, a) };
        let inv = 1.0 / large;
        let h = small * inv;
        let one_h = 1.0 + h;
        let w0 = 1.0 / (small * one_h).sqrt();
        // w₀²·min = 1/(1 + h).
        let inv_one_h = w0 * w0 * small;
        Expansion {
            s: h * inv_one_h * inv_one_h,
            r1: (b - a) * inv,
            w0,
            step: one_h * one_h * w0 * w0,
        }
    }

    /// The expansion for (b, a), the same as `Expansion::new(b, a)` bit for
    /// bit: min, max and w₀ are those of (a, b), and only r1 changes sign
    /// ((a − b)·inv = −((b − a)·inv) exactly; 0 − r1 keeps +0 at a = b).
    #[inline(always)]
    pub(crate) fn swapped(self) -> Self {
        Expansion {
            r1: 0.0 - self.r1,
            ..self
        }
    }

    /// ln I_x(a, b) for x at or below the mean, given the deviance `f` ≥ 0
    /// and `bcorr` = δ(a) + δ(b) − δ(a + b). `None` when the terms have not
    /// fallen below the rounding level of the sum by the last coefficient
    /// (the caller then uses the continued fraction).
    #[cfg(test)]
    pub(crate) fn ln_lower(&self, f: f64, bcorr: f64) -> Option<f64> {
        self.sum(f).map(|s| LN_E0 - f - bcorr + s.ln())
    }

    /// The sum S = Σ dₙ w₀ⁿ Jₙ(√f) in I_x(a, b) = (2/√π) e^{−f − bcorr} S,
    /// for x at or below the mean with deviance `f` ≥ 0; `None` when the
    /// terms have not fallen below its rounding level by the last
    /// coefficient.
    pub(crate) fn sum(&self, f: f64) -> Option<f64> {
        let [sum] = sum_lanes(&[*self], [f]);
        sum
    }
}

/// [f(0), f(1), …] over L lanes, by a plain loop (which inlines `f`, where
/// `std::array::from_fn` keeps it behind a call).
#[inline(always)]
fn each<T: Copy + Default, const L: usize>(f: impl Fn(usize) -> T) -> [T; L] {
    let mut out = [T::default(); L];
    for (i, v) in out.iter_mut().enumerate() {
        *v = f(i);
    }
    out
}

/// [`Expansion::sum`] of `expansions[i]` at `f[i]` in every lane i, side by
/// side: each lane does exactly the arithmetic of a lone sum (which is this
/// function with one lane), and keeps its sum from the term where it has
/// converged; the loop stops when every lane has.
#[inline(always)]
pub(crate) fn sum_lanes<const L: usize>(
    expansions: &[Expansion; L],
    f: [f64; L],
) -> [Option<f64>; L] {
    // The fields the terms use, as arrays (read as vectors by the loops).
    let s: [f64; L] = each(|i| expansions[i].s);
    let step: [f64; L] = each(|i| expansions[i].step);
    let z0: [f64; L] = each(|i| f[i].sqrt());
    // J₀ = (√π/4) e^f erfc(√f).
    let mut j0: [f64; L] = each(|i| (0.5 / E0) * erfcx(z0[i]));
    let mut j1 = [E1; L];
    let mut sum = [0.0; L];
    let mut r1_w0 = [0.0; L];
    for i in 0..L {
        let e = &expansions[i];
        let d1 = e.r1 * horner(POLY[0], s[i]);
        r1_w0[i] = e.r1 * e.w0;
        sum[i] = j0[i] + d1 * e.w0 * j1[i];
    }
    // 0.5·z0/E1 = √2·z0.
    let mut znm1: [f64; L] = each(|i| std::f64::consts::SQRT_2 * z0[i]);
    let z2: [f64; L] = each(|i| f[i] + f[i]);
    let mut zn = z2;
    // ((1 + h)/min(a, b))^k for the pair of terms n = 2k, 2k + 1.
    let mut scale = [1.0; L];
    let mut nf = 2.0;
    let mut done = [false; L];
    // Terms n (even, d_n w₀ⁿ = R_n(s)·scale) and n + 1 (odd,
    // r1·R_n(s)·scale·w₀). Unrolled by the macro so that every row of
    // POLY is a slice of known length and its Horner loop unrolls fully
    // (the rows are short: loop overhead dominated otherwise).
    macro_rules! pair {
        ($even:literal, $odd:literal) => {
            for i in 0..L {
                j0[i] = E1 * znm1[i] + (nf - 1.0) * j0[i];
                j1[i] = E1 * zn[i] + nf * j1[i];
                scale[i] *= step[i];
                let t0 = horner(POLY[$even], s[i]) * scale[i] * j0[i];
                let t1 = horner(POLY[$odd], s[i]) * scale[i] * r1_w0[i] * j1[i];
                let next = sum[i] + (t0 + t1);
                let converged = t0.abs() + t1.abs() <= 0.5 * f64::EPSILON * next;
                sum[i] = if done[i] { sum[i] } else { next };
                done[i] |= converged;
            }
            if done.iter().all(|&d| d) {
                return each(|i| Some(sum[i]));
            }
        };
        ($even:literal, $odd:literal, then advance) => {
            pair!($even, $odd);
            for i in 0..L {
                znm1[i] *= z2[i];
                zn[i] *= z2[i];
            }
            nf += 2.0;
        };
    }
    pair!(1, 2, then advance);
    pair!(3, 4, then advance);
    pair!(5, 6, then advance);
    pair!(7, 8, then advance);
    pair!(9, 10, then advance);
    pair!(11, 12, then advance);
    pair!(13, 14, then advance);
    pair!(15, 16, then advance);
    pair!(17, 18, then advance);
    pair!(19, 20);
    each(|i| done[i].then_some(sum[i]))
}

/// The scaled complementary error function y(z) = e^{z²} erfc(z) for
/// 0 ≤ z ≤ 4.15625 (NaN beyond): the degree-11 Taylor polynomial about the
/// nearest knot c = k/16, |z − c| ≤ 1/32, with coefficients y⁽ʲ⁾(c)/j! from
/// mpmath ([`super::erfcx_table`]; truncation error below 2e-17 relative,
/// checked by the generator). Evaluated by Estrin's scheme, whose short
/// dependency chains make it several times faster than Horner's rule here.
#[inline(always)]
pub(crate) fn erfcx(z: f64) -> f64 {
    // Nearest knot k = round(16z), without branches (so that the lanes of
    // `sum_lanes` run it side by side): adding 2⁵² rounds 16z ≥ 0 to an
    // integer, held in the low bits of the mantissa. The row is clamped
    // into the table; NaN where z is negative, NaN, or past the last knot.
    const TWO52: f64 = 4_503_599_627_370_496.0;
    let last = TAYLOR.len() - 1;
    let scaled = STEPS * z;
    let in_range = (z >= 0.0) & (scaled < last as f64 + 0.5);
    let biased = if in_range { scaled } else { 0.0 } + TWO52;
    // k ≤ 66 < 2⁸: the low byte of the bits (2⁵²'s mantissa is zero).
    let knot = (biased.to_bits() & 0xff) as usize;
    let t = &TAYLOR[knot.min(last)];
    let h = z - (biased - TWO52) * (1.0 / STEPS);
    let h2 = h * h;
    let h4 = h2 * h2;
    let h8 = h4 * h4;
    let pair = |j: usize| t[j] + t[j + 1] * h;
    let low = (pair(0) + pair(2) * h2) + (pair(4) + pair(6) * h2) * h4;
    let high = pair(8) + pair(10) * h2;
    if in_range {
        low + high * h8
    } else {
        f64::NAN
    }
}

#[cfg(test)]
mod tests {
    use super::{erfcx, Expansion};
    use proptest::prelude::*;

    #[test]
    fn erfcx_matches_mpmath() {
        // mpmath 1.3 at 40 digits: exp(z**2) * erfc(z).
        let cases = [
            (0.0, 1.0),
            (0.1, 0.896_456_979_969_126_6),
            (0.3, 0.734_599_334_567_655_1),
            (0.8, 0.489_100_589_223_114_7),
            (1.37, 0.344_219_718_838_585_7),
            (1.4, 0.338_743_540_679_734_6),
            (1.87, 0.270_021_274_809_783_7),
            (1.9, 0.266_509_373_661_672_65),
            (2.6, 0.203_613_247_356_709_2),
            (3.2, 0.168_728_096_811_884_3),
            (3.95, 0.138_637_509_000_625_88),
            (4.1, 0.133_834_116_418_651_98),
        ];
        for (z, want) in cases {
            let got = erfcx(z);
            assert!(
                ((got - want) / want).abs() < 4e-16,
                "{z}: {got:e} vs {want:e}"
            );
        }
        assert!(erfcx(4.2).is_nan() && erfcx(-0.2).is_nan());
    }

    proptest! {
        /// `swapped` is `new` with the parameters exchanged, bit for bit
        /// (equal parameters, whole and half-integers, and any reals).
        #[test]
        fn swapped_is_new_with_the_parameters_exchanged(
            (a, b) in prop_oneof![
                (15.0f64..1e7).prop_map(|a| (a, a)),
                (30u32..5_000, 30u32..5_000).prop_map(|(a, b)| (f64::from(a) + 0.5, f64::from(b))),
                (15.0f64..1e9, 15.0f64..1e9),
            ],
        ) {
            let (got, want) = (Expansion::new(a, b).swapped(), Expansion::new(b, a));
            prop_assert_eq!(format!("{got:?}"), format!("{want:?}"));
            for f in [0.0, 0.3, 2.0] {
                let (g, w) = (got.sum(f), want.sum(f));
                prop_assert_eq!(g.map(f64::to_bits), w.map(f64::to_bits));
            }
        }
    }
}
