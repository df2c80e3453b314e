//! Many inversions of I_x(a, b) side by side, for the batch exact intervals.
//!
//! In a batch of Clopper-Pearson or Jeffreys limits nearly every limit with
//! min(a, b) ≥ 30 costs one evaluation: the normal start, Temme's
//! expansion of the near tail there, and one series-reversion step. This
//! module runs that common path for [`LANES`] inversions at once,
//! structure-of-arrays: each stage is a loop over the lanes with no
//! dependence between them, which the compiler vectorises (AVX-512F, all
//! eight lanes in one register, or AVX2 when the processor has it, chosen at
//! run time; SSE2 otherwise) and which keeps the
//! processor's pipelines full where it does not. The elementary functions
//! (ln, exp) are those of [`elementary`], which the scalar solve uses too:
//! plain arithmetic, so they vectorise with the rest.
//!
//! Bit for bit the same as [`BetaLevel::solve`]: every stage calls the very
//! functions the scalar inversion is made of, in the same order, and uses
//! only +, −, ×, ÷ and √ (correctly rounded in every instruction set; no
//! fused multiply-add), so neither the vector width nor the lanes beside it
//! change a lane's result. A lane that leaves the common path (min(a, b) <
//! 100, a start in a power-law tail, a far-tail deviance, the matched tail
//! not the near one, or more than one step) is solved again from the start
//! by [`BetaLevel::solve`].

use super::{
    asymptotic, asymptotic_tail, bcorr_asymptotic, clear_of_tails, expansion, gamma_starts, lambda,
    normal_start, normal_start_exponent, tail_eval, BetaLevel, Oriented, ASYMPTOTIC_MIN, ROOT_HI,
    ROOT_LO,
};
use crate::numerics::special::stirling::{bd0_direct, bd0_near, bd0_series};
use crate::numerics::special::tail_inversion::advance_final;
use crate::numerics::special::{basym, elementary};

/// Inversions solved side by side by [`solve_lanes`].
pub(crate) const LANES: usize = 8;

/// Whether an inversion at (a, b) may take the common path of
/// [`solve_lanes`] (the others would only be solved again one by one there):
/// min(a, b) above the range of the gamma starts (the lanes start from the
/// normal approximation only, so a level whose scalar solve starts from
/// gamma quantiles would end elsewhere), where the expansion is used.
pub(crate) fn in_lanes(a: f64, b: f64) -> bool {
    a.min(b) > gamma_starts::LARGEST_SMALL
}

// The expansion covers every min(a, b) of the lanes.
const _: () = assert!(ASYMPTOTIC_MIN <= gamma_starts::LARGEST_SMALL);

/// The first component of [`BetaLevel::solve`] (the root x of the level's
/// equation) for `levels[i]` at (`a[i]`, `b[i]`), in every lane i; equal bit
/// for bit to the scalar solves.
pub(crate) fn solve_lanes(
    levels: &[&BetaLevel; LANES],
    a: [f64; LANES],
    b: [f64; LANES],
) -> [f64; LANES] {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx512f") {
        // SAFETY: the processor has AVX-512F (checked just above).
        return unsafe { solve_lanes_avx512(levels, a, b) };
    }
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the processor has AVX2 (checked just above).
        return unsafe { solve_lanes_avx2(levels, a, b) };
    }
    lanes(levels, a, b)
}

/// [`lanes`] compiled for AVX-512F (all eight lanes per instruction).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
fn solve_lanes_avx512(
    levels: &[&BetaLevel; LANES],
    a: [f64; LANES],
    b: [f64; LANES],
) -> [f64; LANES] {
    lanes(levels, a, b)
}

/// [`lanes`] compiled for AVX2 (four lanes per instruction).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn solve_lanes_avx2(
    levels: &[&BetaLevel; LANES],
    a: [f64; LANES],
    b: [f64; LANES],
) -> [f64; LANES] {
    lanes(levels, a, b)
}

/// The common path in every lane, then the scalar solve in the lanes that
/// left it. Each stage is a loop over the lanes, on arrays of plain numbers
/// (structs or references in the arrays, or closures, would keep a loop
/// from being vectorised).
#[inline(always)]
fn lanes(levels: &[&BetaLevel; LANES], a_in: [f64; LANES], b_in: [f64; LANES]) -> [f64; LANES] {
    const L: usize = LANES;
    // The levels' fields, read through the references once.
    let (mut z, mut ln_target) = ([0.0; L], [0.0; L]);
    let (mut usable, mut lower_tail) = ([false; L], [false; L]);
    for i in 0..L {
        let level = levels[i];
        (z[i], ln_target[i]) = (level.z, level.ln_target);
        usable[i] = level.p > 0.0 && level.q > 0.0;
        lower_tail[i] = level.p <= level.q;
    }
    let mut ok = [false; L];
    let (mut a, mut b, mut e2w) = ([0.0; L], [0.0; L], [0.0; L]);
    for i in 0..L {
        ok[i] = usable[i] & in_lanes(a_in[i], b_in[i]);
        // Lanes off the common path compute on a harmless stand-in.
        a[i] = if ok[i] { a_in[i] } else { ASYMPTOTIC_MIN };
        b[i] = if ok[i] { b_in[i] } else { ASYMPTOTIC_MIN };
        e2w[i] = elementary::exp(normal_start_exponent(a[i], b[i], z[i]));
    }

    // The normal start (for a, b > 1), the problem for the smaller root,
    // and the near tail there: the deviance by Loader's bd0, whose two terms
    // need a logarithm only away from the mean.
    let (mut swapped, mut lower) = ([false; L], [false; L]);
    let (mut x, mut y, mut oa, mut ob, mut n) = ([0.0; L], [0.0; L], [0.0; L], [0.0; L], [0.0; L]);
    let (mut mx, mut my, mut ln_x, mut ln_y) = ([0.0; L], [0.0; L], [0.0; L], [0.0; L]);
    let (mut near_x, mut near_y) = ([false; L], [false; L]);
    for i in 0..L {
        let start = normal_start(a[i], b[i], e2w[i]);
        let clear = clear_of_tails(a[i], b[i], start);
        let problem = Oriented::new(lower_tail[i], a[i], b[i], start);
        (swapped[i], lower[i]) = (problem.swapped, problem.lower);
        (x[i], oa[i], ob[i]) = (problem.x0, problem.a, problem.b);
        y[i] = 1.0 - x[i];
        n[i] = oa[i] + ob[i];
        (mx[i], my[i]) = (n[i] * x[i], n[i] * y[i]);
        (near_x[i], near_y[i]) = (bd0_near(oa[i], mx[i]), bd0_near(ob[i], my[i]));
        ok[i] &= clear & (x[i] > 0.0) & (y[i] > 0.0);
    }
    // ln(a/m) where some lane takes bd0's direct form (rarely on the side
    // of the larger parameter), in every lane (branch-free), kept where bd0
    // uses it.
    direct_logs(&mut ln_x, &mut ok, &near_x, &oa, &mx);
    direct_logs(&mut ln_y, &mut ok, &near_y, &ob, &my);
    let (mut deviance, mut bcorr) = ([0.0; L], [0.0; L]);
    let mut expansions = [basym::Expansion::default(); L];
    for i in 0..L {
        let dx = if near_x[i] {
            bd0_series(oa[i], mx[i])
        } else {
            bd0_direct(oa[i], mx[i], ln_x[i])
        };
        let dy = if near_y[i] {
            bd0_series(ob[i], my[i])
        } else {
            bd0_direct(ob[i], my[i], ln_y[i])
        };
        deviance[i] = dx + dy;
        // min(a, b) ≥ 30 > 15, so δ is its asymptotic series at a, b and a + b
        // (the scalar `bcorr` takes it there too, unless abn overflows).
        let corr = bcorr_asymptotic(oa[i], ob[i], n[i]);
        ok[i] &= corr.is_some();
        bcorr[i] = corr.unwrap_or(0.0);
        let near_lower = lambda(oa[i], ob[i], n[i], x[i], y[i]) >= 0.0;
        // The tail matched must be the near one (else the scalar path takes
        // the complement and the log-prefactor).
        ok[i] &= asymptotic(oa[i], ob[i], deviance[i]) & (near_lower == lower[i]);
        expansions[i] = expansion(oa[i], ob[i], near_lower);
        if !ok[i] {
            deviance[i] = 0.0;
        }
    }
    let sums = basym::sum_lanes(&expansions, deviance);

    // F and its derivatives at the start, then one step.
    let mut roots = [0.0; L];
    for i in 0..L {
        ok[i] &= sums[i].is_some();
        let sum = sums[i].unwrap_or(1.0);
        let ab_n = (oa[i] / n[i]) * ob[i];
        let ln_sum = elementary::ln(sum);
        let (ln_t, ratio) = asymptotic_tail(deviance[i], bcorr[i], ab_n, sum, ln_sum);
        let f = if lower[i] {
            ln_t - ln_target[i]
        } else {
            ln_target[i] - ln_t
        };
        let eval = tail_eval(f, ratio, x[i], y[i], (oa[i], ob[i]), lower[i]);
        let (root, done) = advance_final(x[i], &eval, ROOT_LO, ROOT_HI);
        ok[i] &= done;
        let problem = Oriented {
            swapped: swapped[i],
            ..Oriented::default()
        };
        roots[i] = problem.unorient(root).0;
    }
    for i in 0..L {
        if !ok[i] {
            roots[i] = levels[i].solve(a_in[i], b_in[i]).0;
        }
    }
    roots
}

/// ln(a/m) in every lane into `ln_ratio` when some lane is off bd0's
/// series (`near`), leaving the lanes whose direct form would take the
/// logarithm of a ratio not finite and positive (where the scalar bd0 takes
/// ln a − ln m).
#[inline(always)]
fn direct_logs(
    ln_ratio: &mut [f64; LANES],
    ok: &mut [bool; LANES],
    near: &[bool; LANES],
    a: &[f64; LANES],
    m: &[f64; LANES],
) {
    if near.iter().all(|&n| n) {
        return;
    }
    for i in 0..LANES {
        let ratio = a[i] / m[i];
        ok[i] &= near[i] | (ratio.is_finite() & (ratio > 0.0));
        ln_ratio[i] = elementary::ln(ratio);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// (a, b) across the bands: either parameter below 30 (off the common
    /// path), both from 30 up (on it; below 45 the deviance bound of the
    /// expansion sends the far tails off it), whole or half-integers as in
    /// the Clopper-Pearson and Jeffreys limits.
    fn params() -> impl Strategy<Value = (f64, f64)> {
        let value = prop_oneof![
            1u32..30,
            Just(30u32),
            30u32..100,
            100u32..2_000,
            2_000u32..2_000_000
        ];
        (value.clone(), value, any::<bool>())
            .prop_map(|(a, b, half)| (f64::from(a) + f64::from(u8::from(half)) * 0.5, f64::from(b)))
    }

    fn level() -> impl Strategy<Value = BetaLevel> {
        let alpha = prop_oneof![
            Just(0.025),
            Just(0.005),
            Just(0.05),
            Just(1e-12),
            Just(0.5),
            Just(0.0),
            1e-6f64..0.999,
        ];
        (alpha, any::<bool>(), any::<bool>()).prop_map(|(alpha, lower, gamma)| {
            let level = if lower {
                BetaLevel::lower(alpha)
            } else {
                BetaLevel::upper(alpha)
            };
            if gamma {
                level.with_gamma_starts()
            } else {
                level
            }
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        /// Every lane equals the scalar solve bit for bit, whatever the
        /// other lanes hold, in the portable, the AVX2 and the AVX-512 build.
        #[test]
        fn lanes_equal_scalar_solves(
            jobs in proptest::collection::vec((level(), params()), LANES),
        ) {
            let levels: [&BetaLevel; LANES] = std::array::from_fn(|i| &jobs[i].0);
            let a: [f64; LANES] = std::array::from_fn(|i| jobs[i].1 .0);
            let b: [f64; LANES] = std::array::from_fn(|i| jobs[i].1 .1);
            let scalar: [u64; LANES] =
                std::array::from_fn(|i| levels[i].solve(a[i], b[i]).0.to_bits());
            prop_assert_eq!(solve_lanes(&levels, a, b).map(f64::to_bits), scalar);
            prop_assert_eq!(lanes(&levels, a, b).map(f64::to_bits), scalar);
            #[cfg(target_arch = "x86_64")]
            if std::arch::is_x86_feature_detected!("avx2") {
                // SAFETY: the processor has AVX2 (checked just above).
                let avx2 = unsafe { solve_lanes_avx2(&levels, a, b) };
                prop_assert_eq!(avx2.map(f64::to_bits), scalar);
            }
            #[cfg(target_arch = "x86_64")]
            if std::arch::is_x86_feature_detected!("avx512f") {
                // SAFETY: the processor has AVX-512F (checked just above).
                let avx512 = unsafe { solve_lanes_avx512(&levels, a, b) };
                prop_assert_eq!(avx512.map(f64::to_bits), scalar);
            }
        }
    }
}
