//! `moments_by_key` on frames large enough that the table of an interleaved
//! frame is cut into parts (2¹⁸ rows or more, 8 rows a key or more on
//! average), with dense keys and with keys too wide for a table (hash
//! tables): against exact integer arithmetic, with the bits of
//! `Moments::shifted` for every group within one part and for every group of
//! the same rows sorted by key, and the same bits on 1 to 3 threads. (The
//! only test of this file changes the pool size, so no other test races it.)

use qualstat::numerics::summary::{moments_by_key, KeyedMoments, Moments};
use std::collections::HashMap;

/// Every value of the test lies in [2¹⁹, 2²⁰), so it is a whole multiple of
/// 2⁻³³ and `x · 2³³` is an exact integer below 2⁵³.
const SCALE: f64 = (1u64 << 33) as f64;

/// The mean and M2 of `x` from exact integer sums: ΣX/n and
/// (nΣX² − (ΣX)²)/n with X = x·2³³, each rounded to f64 once or twice.
fn exact(x: &[f64]) -> (f64, f64) {
    let n = x.len() as i128;
    let (mut sum, mut squares) = (0i128, 0i128);
    for &v in x {
        let scaled = v * SCALE;
        assert_eq!(scaled.fract(), 0.0, "{v} is not a multiple of 2^-33");
        let big = scaled as i128;
        sum += big;
        squares = squares.checked_add(big * big).unwrap();
    }
    let m2 = n.checked_mul(squares).unwrap() - sum * sum;
    (
        sum as f64 / n as f64 / SCALE,
        m2 as f64 / n as f64 / (SCALE * SCALE),
    )
}

/// The groups of `keys` in order of first appearance, with their first row
/// and their values in row order.
fn groups(values: &[f64], keys: &[i64]) -> Vec<(i64, usize, Vec<f64>)> {
    let mut index: HashMap<i64, usize> = HashMap::new();
    let mut out: Vec<(i64, usize, Vec<f64>)> = Vec::new();
    for (row, (&k, &v)) in keys.iter().zip(values).enumerate() {
        let g = *index.entry(k).or_insert_with(|| {
            out.push((k, row, Vec::new()));
            out.len() - 1
        });
        out[g].2.push(v);
    }
    out
}

/// Bounds on the relative errors of the means (3 ulps) and of M2 (n ε
/// times a few, for n up to 130 and ρ up to 16), which the sequential
/// definition `Moments::shifted` meets too.
const MEAN_BOUND: f64 = 3.0 * f64::EPSILON;
const M2_BOUND: f64 = 1e-14;

/// Relative difference of `got` from `want`.
fn rel(got: f64, want: f64) -> f64 {
    ((got - want) / want).abs()
}

#[test]
fn interleaved_rows_are_summed_in_parts_exactly_to_a_few_ulps_on_any_number_of_threads() {
    let rows = (1usize << 18) + 1001;
    let half = rows.div_ceil(2);
    let mut state = 29u64;
    let mut next = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        state >> 33
    };
    // 3,000 lots interleaved at random, and two lots within one half each.
    let mut keys: Vec<i64> = (0..rows).map(|_| (next() % 3000) as i64).collect();
    for row in (5..half).step_by(1009) {
        keys[row] = 5000;
    }
    for row in (half + 3..rows).step_by(1013) {
        keys[row] = 5001;
    }
    // Values 10⁶ + [0, 1024) in steps of 2⁻¹⁰: a spread of about 300 on a
    // large offset, where rounded means would spoil the merge.
    let mut values: Vec<f64> = (0..rows)
        .map(|_| 1e6 + (next() % (1 << 20)) as f64 / 1024.0)
        .collect();
    // The first value of every third lot lies far out, so those lots' sums
    // are taken again (in the first part, where their first row is).
    let mut seen = std::collections::HashSet::new();
    for (k, v) in keys.iter().zip(values.iter_mut()) {
        if seen.insert(*k) && k % 3 == 0 {
            *v += 5e3;
        }
    }
    // The same lots under keys too wide for a table (a hash table each part);
    // k·2⁴⁰ − 3 ≡ k (mod 3) keeps the far lots and the keys' order.
    let wide: Vec<i64> = keys.iter().map(|&k| (k << 40) - 3).collect();
    check(&values, &keys, half);
    check(&values, &wide, half);
}

/// The checks of the test above on one key column.
fn check(values: &[f64], keys: &[i64], half: usize) {
    let rows = keys.len();
    let want = groups(values, keys);
    let mut order: Vec<usize> = (0..rows).collect();
    order.sort_by_key(|&r| keys[r]);
    let sorted_keys: Vec<i64> = order.iter().map(|&r| keys[r]).collect();
    let sorted_values: Vec<f64> = order.iter().map(|&r| values[r]).collect();

    let before = qualstat::parallel::num_threads();
    let runs: Vec<(KeyedMoments, KeyedMoments)> = (1..=3)
        .map(|threads| {
            qualstat::parallel::set_num_threads(threads).unwrap();
            (
                moments_by_key(values, keys).unwrap(),
                moments_by_key(&sorted_values, &sorted_keys).unwrap(),
            )
        })
        .collect();
    qualstat::parallel::set_num_threads(before).unwrap();
    for run in &runs[1..] {
        assert_eq!(run, &runs[0], "the same bits on 1 to 3 threads");
    }
    let (got, sorted) = &runs[0];

    assert_eq!(got.keys, want.iter().map(|g| g.0).collect::<Vec<_>>());
    assert_eq!(got.first_rows, want.iter().map(|g| g.1).collect::<Vec<_>>());
    let (mut worst_mean, mut worst_m2) = (0.0f64, 0.0f64);
    for ((key, first, x), m) in want.iter().zip(&got.moments) {
        let (mean, m2) = exact(x);
        assert_eq!(m.n, x.len() as u64, "lot {key}");
        if key % 3 == 0 {
            // ρ = n(x̄ − c)²/M2 above the guard of 16: summed again.
            let rho = x.len() as f64 * (mean - x[0]).powi(2) / m2;
            assert!(rho > 16.0, "lot {key}: rho {rho}");
        }
        worst_mean = worst_mean.max(rel(m.mean, mean));
        worst_m2 = worst_m2.max(rel(m.m2, m2));
        // The sequential definition is held to the same bounds below.
        let shifted = Moments::shifted(x);
        assert!(rel(shifted.mean, mean) <= MEAN_BOUND && rel(shifted.m2, m2) <= M2_BOUND);
        let last = first + keys[*first..].iter().rposition(|k| k == key).unwrap();
        if last < half || *first >= half {
            assert_eq!(*m, shifted, "lot {key} lies within one part");
        }
        // Sorted rows are contiguous lots: the bits of the definition.
        let at = sorted.keys.binary_search(key).unwrap();
        assert_eq!(sorted.moments[at], shifted, "sorted lot {key}");
    }
    assert!(worst_mean <= MEAN_BOUND, "mean off by {worst_mean:e}");
    assert!(worst_m2 <= M2_BOUND, "M2 off by {worst_m2:e}");
}

#[test]
fn lots_of_negative_zeros_in_both_halves_keep_their_sign() {
    // Dense and wide keys, each lot's rows in both halves of the rows.
    let rows = (1usize << 18) + 17;
    let values = vec![-0.0; rows];
    for scale in [1, 1 << 40] {
        let keys: Vec<i64> = (0..rows as i64).map(|r| r % 1000 * scale).collect();
        let got = moments_by_key(&values, &keys).unwrap();
        assert_eq!(got.keys.len(), 1000);
        for m in &got.moments {
            assert!(
                m.mean == 0.0 && m.mean.is_sign_negative() && m.m2 == 0.0,
                "{m:?}"
            );
        }
    }
}
