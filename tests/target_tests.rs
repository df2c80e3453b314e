//! Tests against a target (one-sample tests of a pass rate) and the
//! multiplicity adjustment: published and hand-computed values, batch
//! consistency, bad input and invariants. (The grids against scipy and
//! statsmodels are in tests/python/test_proportion_test.py and test_adjust_p.py.)

use proptest::prelude::*;
use qualstat::multitest::{adjust_p, AdjustMethod};
use qualstat::proportion::{
    proportion_test, proportion_test_batch, proportion_test_finite, proportion_test_finite_batch,
    Alternative, TestMethod,
};

const ALTERNATIVES: [Alternative; 3] = [
    Alternative::TwoSided,
    Alternative::Less,
    Alternative::Greater,
];

#[test]
fn r_binom_test_help_example() {
    // R: binom.test(c(682, 243), p = 3/4) -> p-value = 0.3825 (Mendel's peas).
    let t = proportion_test(682, 925, 0.75, TestMethod::Exact, Alternative::TwoSided).unwrap();
    assert!((t.p_value - 0.3825).abs() < 5e-5, "{}", t.p_value);
    assert_eq!(t.statistic, 682.0);
}

#[test]
fn hand_computed_binomial_and_hypergeometric_values() {
    // Bin(4, 1/2): P(X <= 1) = 5/16; mid-p 3/16; two-sided 10/16.
    let exact = proportion_test(1, 4, 0.5, TestMethod::Exact, Alternative::Less).unwrap();
    assert!((exact.p_value - 5.0 / 16.0).abs() < 1e-15);
    let mid = proportion_test(1, 4, 0.5, TestMethod::MidP, Alternative::Less).unwrap();
    assert!((mid.p_value - 3.0 / 16.0).abs() < 1e-15);
    let two = proportion_test(1, 4, 0.5, TestMethod::Exact, Alternative::TwoSided).unwrap();
    assert!((two.p_value - 10.0 / 16.0).abs() < 1e-15);
    // Score: z = (1 - 2)/1 = -1.
    let score = proportion_test(1, 4, 0.5, TestMethod::Score, Alternative::Less).unwrap();
    assert!((score.statistic + 1.0).abs() < 1e-15);
    assert!((score.p_value - 0.158_655_253_931_457_05).abs() < 1e-12);
    // Lot of 6 with 3 passing, sample of 3: P(X = 0) = 1/20.
    let lot = proportion_test_finite(0, 3, 6, 0.5, TestMethod::Exact, Alternative::Less).unwrap();
    assert!((lot.p_value - 0.05).abs() < 1e-15);
    let lot2 =
        proportion_test_finite(0, 3, 6, 0.5, TestMethod::Exact, Alternative::TwoSided).unwrap();
    assert!((lot2.p_value - 0.1).abs() < 1e-15);
}

#[test]
fn one_p0_batches_test_each_distinct_pair_once_and_agree_with_scalars() {
    // Repeated (successes, trials) pairs in any order, as f64 counts too.
    let x: Vec<i64> = (0..5000).map(|i| (i * 37) % 11).collect();
    let n: Vec<i64> = (0..5000).map(|i| 10 + (i * 37) % 3).collect();
    let xf: Vec<f64> = x.iter().map(|&v| v as f64).collect();
    let (mut z, mut p) = (vec![0.0; 5000], vec![0.0; 5000]);
    let (mut zf, mut pf) = (vec![0.0; 5000], vec![0.0; 5000]);
    for method in TestMethod::ALL {
        for alt in ALTERNATIVES {
            proportion_test_batch(&x, &n, &[0.8], *method, alt, &mut z, &mut p).unwrap();
            proportion_test_batch(&xf, &n, &[0.8], *method, alt, &mut zf, &mut pf).unwrap();
            for i in 0..5000 {
                let t = proportion_test(x[i] as u64, n[i] as u64, 0.8, *method, alt).unwrap();
                assert_eq!((z[i], p[i]), (t.statistic, t.p_value), "{method} {alt} {i}");
                assert_eq!((zf[i], pf[i]), (z[i], p[i]));
            }
        }
    }
    // The first bad element is named; a bad p0 is named p0[0].
    let bad = proportion_test_batch(
        &[1.0, 2.5, -1.0],
        &[10i64, 10, 10],
        &[0.5],
        TestMethod::Score,
        Alternative::Less,
        &mut z[..3],
        &mut p[..3],
    )
    .unwrap_err()
    .to_string();
    assert!(bad.starts_with("successes[1] = 2.5 is invalid"), "{bad}");
    let bad = proportion_test_batch(
        &[1i64],
        &[10i64],
        &[1.5],
        TestMethod::Score,
        Alternative::Less,
        &mut z[..1],
        &mut p[..1],
    )
    .unwrap_err()
    .to_string();
    assert!(bad.starts_with("p0[0] = 1.5 is invalid"), "{bad}");
}

#[test]
fn batches_agree_with_scalars_and_name_bad_elements() {
    let x = [0i64, 3, 7, 10];
    let n = [10i64, 10, 10, 10];
    let pop = [40i64, 40, 40, 40];
    let p0 = [0.25, 0.5, 0.75, 0.95];
    let (mut z, mut p) = (vec![0.0; 4], vec![0.0; 4]);
    for method in TestMethod::ALL {
        for alt in ALTERNATIVES {
            proportion_test_batch(&x, &n, &p0, *method, alt, &mut z, &mut p).unwrap();
            for i in 0..4 {
                let t = proportion_test(x[i] as u64, 10, p0[i], *method, alt).unwrap();
                assert_eq!((z[i], p[i]), (t.statistic, t.p_value));
            }
            let p0_lot = [0.25, 0.5, 0.75, 0.95];
            proportion_test_finite_batch(&x, &n, &pop, &p0_lot, *method, alt, &mut z, &mut p)
                .unwrap();
            for i in 0..4 {
                let t =
                    proportion_test_finite(x[i] as u64, 10, 40, p0_lot[i], *method, alt).unwrap();
                assert_eq!((z[i], p[i]), (t.statistic, t.p_value));
            }
        }
    }
    let bad = proportion_test_batch(
        &[1i64, 11],
        &[10i64, 10],
        &[0.5],
        TestMethod::Exact,
        Alternative::Less,
        &mut z[..2],
        &mut p[..2],
    )
    .unwrap_err()
    .to_string();
    assert!(bad.starts_with("successes[1] = 11 is invalid"), "{bad}");
    let bad = proportion_test_batch(
        &[1i64, 2],
        &[10i64, 10],
        &[0.5, 0.2, 0.1],
        TestMethod::Exact,
        Alternative::Less,
        &mut z[..2],
        &mut p[..2],
    )
    .unwrap_err()
    .to_string();
    assert!(bad.contains("p0 has length 3"), "{bad}");
    let bad = proportion_test_finite_batch(
        &[1i64, 2],
        &[10i64, 10],
        &[40i64, 40],
        &[0.5, 0.51],
        TestMethod::Exact,
        Alternative::Less,
        &mut z[..2],
        &mut p[..2],
    )
    .unwrap_err()
    .to_string();
    assert!(bad.starts_with("p0[1] = 0.51 is invalid"), "{bad}");
    let unknown = "wilson".parse::<TestMethod>().unwrap_err().to_string();
    assert!(
        unknown.starts_with("method = \"wilson\" is not recognised"),
        "{unknown}"
    );
}

#[test]
fn adjust_p_matches_r_p_adjust() {
    // R: p.adjust(c(0.01, 0.02, 0.03, 0.04, 0.05), method = ...).
    let p = [0.01, 0.02, 0.03, 0.04, 0.05];
    let close = |a: &[f64], b: &[f64]| a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-15);
    let holm = adjust_p(&p, AdjustMethod::Holm).unwrap();
    assert!(close(&holm, &[0.05, 0.08, 0.09, 0.09, 0.09]), "{holm:?}");
    let hoch = adjust_p(&p, AdjustMethod::Hochberg).unwrap();
    assert!(close(&hoch, &[0.05; 5]), "{hoch:?}");
    let bh = adjust_p(&p, AdjustMethod::Bh).unwrap();
    assert!(close(&bh, &[0.05; 5]), "{bh:?}");
    let by = adjust_p(&p, AdjustMethod::By).unwrap();
    let c = 1.0 + 0.5 + 1.0 / 3.0 + 0.25 + 0.2;
    assert!(by.iter().all(|v| (v - 0.05 * c).abs() < 1e-15), "{by:?}");
    let bonf = adjust_p(&p, AdjustMethod::Bonferroni).unwrap();
    assert!(close(&bonf, &[0.05, 0.1, 0.15, 0.2, 0.25]), "{bonf:?}");
}

proptest! {
    #[test]
    fn adjusted_p_values_are_ordered_and_bounded(p in prop::collection::vec(0.0f64..=1.0, 1..80)) {
        for method in AdjustMethod::ALL {
            let q = adjust_p(&p, *method).unwrap();
            for i in 0..p.len() {
                prop_assert!(q[i] >= p[i] && q[i] <= 1.0);
                for j in 0..p.len() {
                    if p[i] <= p[j] {
                        prop_assert!(q[i] <= q[j]);
                    }
                }
            }
        }
    }

    #[test]
    fn p_values_are_probabilities(n in 1u64..2000, frac in 0.0f64..=1.0, p0 in 1e-6f64..0.999_999) {
        let x = (frac * n as f64).round() as u64;
        for method in TestMethod::ALL {
            let mut both = 0.0;
            for alt in ALTERNATIVES {
                let t = proportion_test(x, n, p0, *method, alt).unwrap();
                prop_assert!((0.0..=1.0).contains(&t.p_value));
                if alt != Alternative::TwoSided {
                    both += t.p_value;
                }
            }
            // The one-sided p-values overlap at x (exact) or split it (mid-p, score).
            prop_assert!(both >= 1.0 - 1e-12);
        }
    }
}
