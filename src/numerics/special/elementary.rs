//! ln, exp and asin written with +, −, ×, ÷ and bit operations only, so that the
//! side-by-side loops of the batch beta inversion ([`super::beta`]'s lanes)
//! vectorise through them (a call to the C library's `log`/`exp` runs lane
//! by lane, and spills the lanes around it), while the scalar solve calls
//! the very same functions and so keeps the lanes' bits.
//!
//! All three are the algorithms of fdlibm (Sun Microsystems 1993, `e_log.c`,
//! `e_exp.c` and `e_asin.c`, as in musl), with their coefficients: error
//! below 1 ulp. No
//! fused multiply-add is used, so the result is the same in every
//! instruction set. The branches of fdlibm (subnormal input, the size of the
//! argument, special values) are selects between values computed for every
//! input, and the float ↔ integer conversions are done by adding 2⁵² (the
//! integer then sits in the low bits of the mantissa), which AVX2 has for
//! four lanes at once where it has no 64-bit conversion instruction.

/// ln 2 split so that k·LN2_HI is exact for |k| < 2¹¹ (fdlibm).
const LN2_HI: f64 = 0.6931471803691238;
const LN2_LO: f64 = 1.9082149292705877e-10;
/// 2⁵², whose mantissa's last bit is 1: v + 2⁵² holds the integer v in
/// its low mantissa bits for 0 ≤ v < 2⁵².
const TWO52: f64 = 4_503_599_627_370_496.0;
/// 1.5·2⁵²: x + 1.5·2⁵² − 1.5·2⁵² rounds x to the nearest integer for
/// |x| < 2⁵¹.
const ROUND: f64 = 6_755_399_441_055_744.0;
/// 2⁵⁴, which scales a subnormal into the normal range.
const TWO54: f64 = 18_014_398_509_481_984.0;

/// Natural logarithm, fdlibm's `__ieee754_log`: x = 2ᵏ(1 + f) with
/// √2/2 ≤ 1 + f < √2, s = f/(2 + f), ln(1 + f) = f − f²/2 + s(f²/2 + R(s²))
/// (R a minimax polynomial, error below 2⁻⁵⁸·⁴⁵), plus k·ln 2 in two parts.
/// ln 0 = −∞, ln ∞ = ∞, NaN for x < 0 or NaN; subnormal x are scaled by
/// 2⁵⁴ first.
#[inline(always)]
pub(crate) fn ln(x: f64) -> f64 {
    const LG1: f64 = 0.6666666666666735;
    const LG2: f64 = 0.3999999999940942;
    const LG3: f64 = 0.2857142874366239;
    const LG4: f64 = 0.22222198432149784;
    const LG5: f64 = 0.1818357216161805;
    const LG6: f64 = 0.15313837699209373;
    const LG7: f64 = 0.14798198605116586;
    /// The high word of √2/2's bits (0x3fe6a09e), in place.
    const SQRT_HALF_HIGH: u64 = 0x3fe6_a09e << 32;
    /// Added to the bits so that the exponent field steps up at √2/2
    /// (one minus √2/2's high word, in place).
    const OFFSET: u64 = (0x3ff0_0000 - 0x3fe6_a09e) << 32;
    const MANTISSA: u64 = (1 << 52) - 1;

    let tiny = x < f64::MIN_POSITIVE;
    let scaled = if tiny { x * TWO54 } else { x };
    let shifted = scaled.to_bits().wrapping_add(OFFSET);
    // The biased exponent of `shifted` (x > 0, so no sign bit), as a float:
    // 2⁵² + e − (2⁵² + 1023) = e − 1023.
    let biased = f64::from_bits(TWO52.to_bits() | (shifted >> 52));
    let k = (biased - (TWO52 + 1023.0)) - if tiny { 54.0 } else { 0.0 };
    let m = f64::from_bits((shifted & MANTISSA) + SQRT_HALF_HIGH);
    let f = m - 1.0;
    let hfsq = 0.5 * f * f;
    let s = f / (2.0 + f);
    let z = s * s;
    let w = z * z;
    let t1 = w * (LG2 + w * (LG4 + w * LG6));
    let t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
    let r = t2 + t1;
    let value = s * (hfsq + r) + k * LN2_LO - hfsq + f + k * LN2_HI;
    let special = if x == 0.0 {
        f64::NEG_INFINITY
    } else if x == f64::INFINITY {
        f64::INFINITY
    } else {
        f64::NAN
    };
    if x > 0.0 && x < f64::INFINITY {
        value
    } else {
        special
    }
}

/// Exponential, fdlibm's `__ieee754_exp`: x = k ln 2 + r with k the integer
/// nearest x/ln 2 (r = hi − lo in two parts, |r| ≤ ½ ln 2),
/// eʳ = 1 + r + r·c/(2 − c) with c = r − r²·P(r²) (P a minimax polynomial,
/// error below 2⁻⁵⁹), then eˣ = 2ᵏ eʳ as two exact powers of two so that
/// subnormal results round once. Overflows to ∞ above ln(2¹⁰²⁴), 0 below
/// about −745.13; NaN for NaN.
#[inline(always)]
pub(crate) fn exp(x: f64) -> f64 {
    const P1: f64 = 0.16666666666666602;
    const P2: f64 = -0.0027777777777015593;
    const P3: f64 = 6.613756321437934e-05;
    const P4: f64 = -1.6533902205465252e-06;
    const P5: f64 = 4.1381367970572385e-08;

    // Beyond these eˣ is 0 or ∞ (and k stays within [−1077, 1025]); NaN
    // is put back at the end.
    let clamped = x.clamp(-746.0, 710.0);
    let k = (clamped * std::f64::consts::LOG2_E + ROUND) - ROUND;
    let hi = clamped - k * LN2_HI;
    let lo = k * LN2_LO;
    let r = hi - lo;
    let rr = r * r;
    let c = r - rr * (P1 + rr * (P2 + rr * (P3 + rr * (P4 + rr * P5))));
    let y = 1.0 + (r * c / (2.0 - c) - lo + hi);
    // 2ᵏ = 2^k₁·2^k₂ with k₁ ≈ k/2: each factor is a normal number, so
    // y·2^k₁ is exact and only the last product rounds.
    let k1 = (0.5 * k + ROUND) - ROUND;
    let k2 = k - k1;
    let power = |j: f64| f64::from_bits((j + (TWO52 + 1023.0)).to_bits() << 52);
    let value = y * power(k1) * power(k2);
    if x.is_nan() {
        x
    } else {
        value
    }
}

/// Arc sine, fdlibm's `__ieee754_asin`, for the symmetric beta's angle
/// form in the lanes of [`super::symmetric_beta`]. With R(t) = t·P(t)/Q(t)
/// the rational minimax fit of (asin √t − √t)/√t on [0, ¼] (error below
/// 2⁻⁵⁸·⁷⁵):
/// - |x| < ½: asin x = x + x·R(x²);
/// - ½ ≤ |x| < 0.975: with t = (1 − |x|)/2, s = √t, f = s with its low 32
///   bits cleared and c = (t − f²)/(s + f) (so f + c = √t),
///   asin |x| = π/4 − ((2s·R(t) − (π/2_lo − 2c)) − (π/4 − 2f));
/// - |x| ≥ 0.975 (fdlibm's bound, 0.97499996…): asin |x| = π/2 − (2(s + s·R(t)) − π/2_lo);
///
/// and the sign of x. NaN for |x| > 1 or NaN; tiny x give x (x·R(x²) is
/// below half an ulp of x, or zero). The branches are selects between values
/// computed for every input.
#[inline(always)]
pub(crate) fn asin(x: f64) -> f64 {
    // fdlibm's constants, by their bits.
    const PIO2_HI: f64 = f64::from_bits(0x3FF9_21FB_5444_2D18);
    const PIO2_LO: f64 = f64::from_bits(0x3C91_A626_3314_5C07);
    const PIO4_HI: f64 = f64::from_bits(0x3FE9_21FB_5444_2D18);
    const PS0: f64 = f64::from_bits(0x3FC5_5555_5555_5555);
    const PS1: f64 = f64::from_bits(0xBFD4_D612_03EB_6F7D);
    const PS2: f64 = f64::from_bits(0x3FC9_C155_0E88_4455);
    const PS3: f64 = f64::from_bits(0xBFA4_8228_B568_8F3B);
    const PS4: f64 = f64::from_bits(0x3F49_EFE0_7501_B288);
    const PS5: f64 = f64::from_bits(0x3F02_3DE1_0DFD_F709);
    const QS1: f64 = f64::from_bits(0xC003_3A27_1C8A_2D4B);
    const QS2: f64 = f64::from_bits(0x4000_2AE5_9C59_8AC8);
    const QS3: f64 = f64::from_bits(0xBFE6_066C_1B8D_0159);
    const QS4: f64 = f64::from_bits(0x3FB3_B8C5_B12E_9282);
    const HIGH: u64 = 0xFFFF_FFFF_0000_0000;
    /// fdlibm's 0.975: the high word 0x3fef3333, low word 0.
    const NEAR_ONE: f64 = f64::from_bits(0x3FEF_3333_0000_0000);

    let ax = x.abs();
    let small = ax < 0.5;
    let t = if small { x * x } else { (1.0 - ax) * 0.5 };
    let p = t * (PS0 + t * (PS1 + t * (PS2 + t * (PS3 + t * (PS4 + t * PS5)))));
    let q = 1.0 + t * (QS1 + t * (QS2 + t * (QS3 + t * QS4)));
    let r = p / q;
    let s = t.sqrt();
    let near_one = PIO2_HI - (2.0 * (s + s * r) - PIO2_LO);
    let f = f64::from_bits(s.to_bits() & HIGH);
    let c = (t - f * f) / (s + f);
    let middle = PIO4_HI - ((2.0 * s * r - (PIO2_LO - 2.0 * c)) - (PIO4_HI - 2.0 * f));
    let large = if ax >= NEAR_ONE { near_one } else { middle };
    if small {
        x + x * r
    } else {
        large.copysign(x)
    }
}

#[cfg(test)]
mod tests {
    use super::{asin, exp, ln};
    use proptest::prelude::*;

    /// Distance in units in the last place between two finite values of the
    /// same sign (or both zero), by their ordered bit patterns.
    fn ulps(a: f64, b: f64) -> u64 {
        let key = |v: f64| {
            let bits = v.to_bits() as i64;
            if bits < 0 {
                i64::MIN - bits
            } else {
                bits
            }
        };
        key(a).abs_diff(key(b))
    }

    /// `f(x)` within one ulp of `want` for each (x, want) of `cases`.
    fn within_one_ulp(name: &str, f: fn(f64) -> f64, cases: impl IntoIterator<Item = (f64, f64)>) {
        for (x, want) in cases {
            let got = f(x);
            assert!(
                ulps(got, want) <= 1,
                "{name}({x:e}) = {got:e}, mpmath {want:e}"
            );
        }
    }

    /// Same value, or both NaN.
    fn same(a: f64, b: f64) -> bool {
        a == b || (a.is_nan() && b.is_nan())
    }

    /// mpmath 1.3 at 50 digits, rounded to the nearest f64 (printed with
    /// `repr(float(mp.log(mpf(x))))`, and likewise
    /// `mp.exp`), at points across the range and where
    /// fdlibm changes its reduction.
    #[test]
    fn ln_matches_mpmath() {
        let cases: [(f64, f64); 12] = [
            (5e-324, -744.440_071_921_381_2),
            (2.2250738585072014e-308, -708.396_418_532_264_1),
            (1e-300, -690.775_527_898_213_7),
            (0.001, -6.907_755_278_982_137),
            (0.707_106_781_186_547_5, -0.346_573_590_279_972_75),
            (0.999_999_999_999_999_9, -1.110_223_024_625_156_5e-16),
            (1.000_000_000_000_000_2, 2.220_446_049_250_312_8e-16),
            (std::f64::consts::SQRT_2, 0.346_573_590_279_972_7),
            (2.0, std::f64::consts::LN_2),
            (10.0, std::f64::consts::LN_10),
            (1e300, 690.775_527_898_213_7),
            (f64::MAX, 709.782_712_893_384),
        ];
        within_one_ulp("ln", ln, cases);
        assert_eq!(ln(1.0), 0.0);
    }

    #[test]
    fn exp_matches_mpmath() {
        let cases: [(f64, f64); 10] = [
            (-745.0, 5e-324),
            (-740.0, 4.2e-322),
            (-708.5, 2.006_132_305_331_306e-308),
            (-20.0, 2.061_153_622_438_558e-9),
            (-0.346, 0.707_512_487_106_501_7),
            (1e-10, 1.000_000_000_1),
            (0.5, 1.648_721_270_700_128_2),
            (1.0, std::f64::consts::E),
            (300.0, 1.942_426_395_241_255_8e130),
            (709.78, 1.792_822_794_394_515_5e308),
        ];
        within_one_ulp("exp", exp, cases);
        assert_eq!(exp(0.0), 1.0);
    }

    #[test]
    fn special_values_as_the_c_library() {
        for x in [
            0.0,
            -0.0,
            -1.0,
            -5e-324,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
        ] {
            assert!(same(ln(x), x.ln()), "ln({x})");
        }
        for x in [
            -746.0,
            -1e300,
            f64::NEG_INFINITY,
            709.8,
            710.0,
            1e300,
            f64::INFINITY,
            f64::NAN,
            -0.0,
            5e-324,
        ] {
            assert!(same(exp(x), x.exp()), "exp({x})");
        }
    }

    /// mpmath 1.3 at 50 digits (`float(mp.asin(mpf(x)))`), in each of
    /// fdlibm's ranges and at their bounds.
    #[test]
    fn asin_matches_mpmath() {
        let cases: [(f64, f64); 13] = [
            (1e-300, 1e-300),
            (1e-9, 1e-9),
            (0.1, 0.100_167_421_161_559_8),
            (0.3, 0.304_692_654_015_397_5),
            (0.499_999_999_999_999_94, 0.523_598_775_598_298_8),
            (0.5, std::f64::consts::FRAC_PI_6),
            (0.6, 0.643_501_108_793_284_4),
            (std::f64::consts::FRAC_1_SQRT_2, std::f64::consts::FRAC_PI_4),
            (0.9, 1.119_769_514_998_634_2),
            (0.975, 1.346_721_041_493_077_3),
            (0.99, 1.429_256_853_470_469_3),
            (0.999_999_999_999_999_9, 1.570_796_311_893_735_4),
            (1.0, std::f64::consts::FRAC_PI_2),
        ];
        within_one_ulp("asin", asin, cases);
        within_one_ulp("asin", asin, cases.map(|(x, want)| (-x, -want)));
        for x in [
            0.0,
            -0.0,
            5e-324,
            -5e-324,
            1.5,
            -1.000_000_000_000_000_2,
            f64::INFINITY,
            f64::NAN,
        ] {
            assert!(same(asin(x), x.asin()), "asin({x})");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]

        /// Within 1 ulp of the C library on [−1, 1], across fdlibm's ranges.
        #[test]
        fn asin_within_one_ulp_of_libm(x in -1.0f64..=1.0) {
            prop_assert!(ulps(asin(x), x.asin()) <= 1, "asin({:e}) = {:e}, libm {:e}", x, asin(x), x.asin());
        }

        /// At any double of magnitude up to 1 by its bits (tiny and
        /// subnormal arguments included).
        #[test]
        fn asin_within_one_ulp_by_bits(bits in 0u64..=0x3ff0_0000_0000_0000, negative in any::<bool>()) {
            let x = f64::from_bits(bits) * if negative { -1.0 } else { 1.0 };
            prop_assert!(ulps(asin(x), x.asin()) <= 1, "asin({:e})", x);
        }

        /// Within 1 ulp of the C library (itself within about ½ ulp) at any
        /// positive double, subnormals included.
        #[test]
        fn ln_within_one_ulp_of_libm(bits in 1u64..0x7ff0_0000_0000_0000) {
            let x = f64::from_bits(bits);
            prop_assert!(ulps(ln(x), x.ln()) <= 1, "ln({:e}) = {:e}, libm {:e}", x, ln(x), x.ln());
        }

        /// Near 1, where ln x is small and fdlibm's reduction is closest to
        /// its limits.
        #[test]
        fn ln_within_one_ulp_near_one(x in 0.5f64..2.0) {
            prop_assert!(ulps(ln(x), x.ln()) <= 1, "ln({:e})", x);
        }

        /// Within 1 ulp of the C library wherever eˣ is a finite non-zero
        /// double, subnormal results included.
        #[test]
        fn exp_within_one_ulp_of_libm(x in -745.1f64..709.78) {
            prop_assert!(ulps(exp(x), x.exp()) <= 1, "exp({:e}) = {:e}, libm {:e}", x, exp(x), x.exp());
        }

        #[test]
        fn exp_within_one_ulp_near_zero(x in -1e-3f64..1e-3) {
            prop_assert!(ulps(exp(x), x.exp()) <= 1, "exp({:e})", x);
        }
    }
}
