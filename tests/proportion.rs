//! Pass-rate intervals: published values, bad input and invariants.

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use qualstat::proportion::{
    demonstration_sample_size, proportion_ci, proportion_ci_batch, proportion_ci_finite,
    proportion_diff_ci, proportion_diff_test, proportion_diff_test_batch, rate_ci, Alternative,
    Bound, DiffMethod, DiffTestMethod, Method, RateMethod, TwoSamples,
};
use qualstat::Error;

const ALL: [Method; 11] = [
    Method::Wald,
    Method::Wilson,
    Method::WilsonCc,
    Method::AgrestiCoull,
    Method::Jeffreys,
    Method::ClopperPearson,
    Method::MidP,
    Method::LikelihoodRatio,
    Method::Arcsine,
    Method::Logit,
    Method::Blaker,
];

/// (successes, trials, printed lower, printed upper).
type Row = (u64, u64, f64, f64);

fn round4(v: f64) -> f64 {
    (v * 1e4).round() / 1e4
}

/// Newcombe (1998), Statistics in Medicine 17:857, Table II, 95 % intervals.
#[test]
fn newcombe_1998_single_proportion() {
    let table: [(Method, [Row; 4]); 4] = [
        (
            Method::Wilson,
            [
                (81, 263, 0.2553, 0.3662),
                (15, 148, 0.0624, 0.1605),
                (0, 20, 0.0, 0.1611),
                (1, 29, 0.0061, 0.1718),
            ],
        ),
        (
            Method::ClopperPearson,
            [
                (81, 263, 0.2527, 0.3676),
                (15, 148, 0.0578, 0.1617),
                (0, 20, 0.0, 0.1684),
                (1, 29, 0.0009, 0.1776),
            ],
        ),
        (
            Method::MidP,
            [
                (81, 263, 0.2544, 0.3658),
                (15, 148, 0.0601, 0.1581),
                (0, 20, 0.0, 0.1391),
                (1, 29, 0.0017, 0.1585),
            ],
        ),
        (
            Method::LikelihoodRatio,
            [
                (81, 263, 0.2542, 0.3655),
                (15, 148, 0.0596, 0.1567),
                (0, 20, 0.0, 0.0916),
                (1, 29, 0.0020, 0.1432),
            ],
        ),
    ];
    for (method, rows) in table {
        for (x, n, lo, hi) in rows {
            let ci = proportion_ci(x, n, 0.95, method, Bound::TwoSided).unwrap();
            assert_eq!(
                (round4(ci.lower), round4(ci.upper)),
                (lo, hi),
                "{method:?} {x}/{n}"
            );
        }
    }
}

/// Newcombe (1998), Statistics in Medicine 17:873, Table II, method 10.
#[test]
fn newcombe_1998_difference() {
    let rows = [
        ((56, 70, 48, 80), 0.0524, 0.3339),
        ((9, 10, 3, 10), 0.1705, 0.8090),
        ((6, 7, 2, 7), 0.0582, 0.8062),
        ((5, 56, 0, 29), -0.0381, 0.1926),
        ((0, 10, 0, 20), -0.1611, 0.2775),
        ((10, 10, 0, 20), 0.6791, 1.0),
    ];
    for ((a, b, c, d), lo, hi) in rows {
        let ci =
            proportion_diff_ci(a, b, c, d, 0.95, DiffMethod::Newcombe, Bound::TwoSided).unwrap();
        assert_eq!((round4(ci.lower), round4(ci.upper)), (lo, hi));
    }
}

#[test]
fn closed_form_special_cases() {
    // x = 1: the Clopper-Pearson lower limit is 1 − (1 − α)^(1/n).
    let ci = proportion_ci(
        1,
        1_000_000_000,
        0.95,
        Method::ClopperPearson,
        Bound::TwoSided,
    )
    .unwrap();
    let expected = -((1.0f64 - 0.025).ln() / 1e9).exp_m1();
    assert!(
        (ci.lower / expected - 1.0).abs() < 1e-13,
        "{} {}",
        ci.lower,
        expected
    );
    // x = 0: the upper limit is 1 − α^(1/n) (one-sided, α = 0.05).
    let ci = proportion_ci(0, 59, 0.95, Method::ClopperPearson, Bound::Upper).unwrap();
    let expected = -(0.05f64.ln() / 59.0).exp_m1();
    assert!((ci.upper / expected - 1.0).abs() < 1e-14);
    // Poisson exact with k = 0: −ln(α/2)/T.
    let r = rate_ci(0, 100.0, 0.95, RateMethod::Exact, Bound::TwoSided).unwrap();
    assert!((r.upper - (-(0.025f64).ln()) / 100.0).abs() < 1e-15);
    assert_eq!(demonstration_sample_size(0.95, 0.95, 0).unwrap(), 59);
}

#[test]
fn bad_input_is_an_error_naming_the_argument() {
    let e = proportion_ci(11, 10, 0.95, Method::Wilson, Bound::TwoSided).unwrap_err();
    assert!(
        e.to_string().starts_with("successes = 11 is invalid"),
        "{e}"
    );
    let e = proportion_ci(0, 0, 0.95, Method::Wilson, Bound::TwoSided).unwrap_err();
    assert!(e.to_string().starts_with("trials = 0"), "{e}");
    for c in [0.0, 1.0, f64::NAN, -0.5, 2.0] {
        assert!(proportion_ci(1, 10, c, Method::Wilson, Bound::TwoSided).is_err());
    }
    assert!(matches!(
        "nope".parse::<Method>(),
        Err(Error::UnknownOption { .. })
    ));
    assert!(proportion_ci_finite(1, 10, 5, 0.95, Bound::TwoSided).is_err());
    assert!(rate_ci(1, 0.0, 0.95, RateMethod::Exact, Bound::TwoSided).is_err());
    assert!(rate_ci(1, f64::INFINITY, 0.95, RateMethod::Exact, Bound::TwoSided).is_err());
    let (mut lo, mut hi) = (vec![0.0; 2], vec![0.0; 2]);
    let e = proportion_ci_batch(
        &[1.0, 2.5],
        &[3.0, 4.0],
        0.95,
        Method::Wilson,
        Bound::TwoSided,
        &mut lo,
        &mut hi,
    )
    .unwrap_err();
    assert!(e.to_string().starts_with("successes[1] = 2.5"), "{e}");
    let e = proportion_ci_batch(
        &[1i64],
        &[3i64, 4],
        0.95,
        Method::Wilson,
        Bound::TwoSided,
        &mut lo,
        &mut hi,
    )
    .unwrap_err();
    assert!(matches!(e, Error::LengthMismatch { .. }));
    let e = proportion_ci_batch(
        &[-1i64, 1],
        &[3i64, 4],
        0.95,
        Method::Wilson,
        Bound::TwoSided,
        &mut lo,
        &mut hi,
    )
    .unwrap_err();
    assert!(e.to_string().starts_with("successes[0] = -1"), "{e}");
}

/// Issue 9: Blaker intervals at confidence <= 0.1 came out inverted
/// (5 of 36 at 5 %: lower 0.236 > upper 0.075).
#[test]
fn blaker_at_low_confidence_contains_the_estimate_and_nests() {
    let ci = proportion_ci(5, 36, 0.05, Method::Blaker, Bound::TwoSided).unwrap();
    assert!(ci.lower <= 5.0 / 36.0 && 5.0 / 36.0 <= ci.upper, "{ci:?}");
    let confidences = [1e-9, 0.01, 0.05, 0.1, 0.3, 0.5, 0.8, 0.95];
    for n in [1u64, 2, 5, 17, 36, 100] {
        for x in 0..=n {
            let mut previous: Option<(f64, f64)> = None;
            for c in confidences {
                let ci = proportion_ci(x, n, c, Method::Blaker, Bound::TwoSided).unwrap();
                let p = x as f64 / n as f64;
                assert!(ci.lower <= p && p <= ci.upper, "{x}/{n} at {c}: {ci:?}");
                if let Some((lo, hi)) = previous {
                    assert!(
                        ci.lower <= lo + 1e-12 && hi <= ci.upper + 1e-12,
                        "{x}/{n} at {c}"
                    );
                }
                previous = Some((ci.lower, ci.upper));
            }
        }
    }
}

/// Issue 9: one-sided closed-form bounds were NaN at confidence <= 1e-17.
#[test]
fn one_sided_bounds_at_tiny_confidence_are_finite() {
    for method in ALL {
        for c in [5e-324, 1e-300, 1e-18, 1e-17] {
            for (x, n) in [(0u64, 10u64), (5, 36), (36, 36)] {
                let lo = proportion_ci(x, n, c, method, Bound::Lower).unwrap();
                let hi = proportion_ci(x, n, c, method, Bound::Upper).unwrap();
                assert!(
                    (0.0..=1.0).contains(&lo.lower),
                    "{method:?} {x}/{n} {c}: {lo:?}"
                );
                assert!(
                    (0.0..=1.0).contains(&hi.upper),
                    "{method:?} {x}/{n} {c}: {hi:?}"
                );
            }
        }
    }
    // Wald at confidence 1e-18: z = Φ⁻¹(1e-18) = −8.757290348782316 (scipy
    // norm.isf(1e-18)), so L = p̂ + 8.7573·se = 0.6436453036702572.
    let ci = proportion_ci(5, 36, 1e-18, Method::Wald, Bound::Lower).unwrap();
    assert!((ci.lower - 0.643_645_303_670_257_2).abs() < 1e-14, "{ci:?}");
}

/// Issue 9: `rate_ci(1, 1e-310)` was (inf, inf).
#[test]
fn rate_limits_that_overflow_are_an_error() {
    let e = rate_ci(1, 1e-310, 0.95, RateMethod::Exact, Bound::TwoSided).unwrap_err();
    assert!(
        e.to_string().starts_with("exposure = 1e-310 is invalid"),
        "{e}"
    );
    let lower = rate_ci(1, 1e-300, 0.95, RateMethod::Exact, Bound::Lower).unwrap();
    assert!(lower.lower.is_finite() && lower.upper == f64::INFINITY);
}

#[test]
fn one_sided_difference_and_rate_are_two_sided_limits_at_twice_the_tail() {
    for method in DiffMethod::ALL.iter().copied() {
        let two = proportion_diff_ci(56, 70, 48, 80, 0.90, method, Bound::TwoSided).unwrap();
        let lo = proportion_diff_ci(56, 70, 48, 80, 0.95, method, Bound::Lower).unwrap();
        let hi = proportion_diff_ci(56, 70, 48, 80, 0.95, method, Bound::Upper).unwrap();
        assert!(
            (lo.lower - two.lower).abs() < 1e-14 && lo.upper == 1.0,
            "{method:?}"
        );
        assert!(
            (hi.upper - two.upper).abs() < 1e-14 && hi.lower == -1.0,
            "{method:?}"
        );
    }
    for method in RateMethod::ALL.iter().copied() {
        let two = rate_ci(7, 20.0, 0.90, method, Bound::TwoSided).unwrap();
        let lo = rate_ci(7, 20.0, 0.95, method, Bound::Lower).unwrap();
        let hi = rate_ci(7, 20.0, 0.95, method, Bound::Upper).unwrap();
        assert!((lo.lower / two.lower - 1.0).abs() < 1e-14 && lo.upper == f64::INFINITY);
        assert!((hi.upper / two.upper - 1.0).abs() < 1e-14 && hi.lower == 0.0);
    }
}

#[test]
fn difference_tests() {
    // statsmodels test_proportions_2indep(56, 70, 48, 80, method="score",
    // correction=True): statistic 2.6413232722941253, p 0.008258287929380758.
    let t = proportion_diff_test(
        56,
        70,
        48,
        80,
        0.0,
        DiffTestMethod::Score,
        Alternative::TwoSided,
    )
    .unwrap();
    assert!(
        (t.statistic - 2.641_323_272_294_125_3).abs() < 1e-12,
        "{t:?}"
    );
    assert!(
        (t.p_value - 0.008_258_287_929_380_758).abs() < 1e-14,
        "{t:?}"
    );
    // Dual to the Miettinen-Nurminen interval: p = 1 − confidence at its limits.
    let ci = proportion_diff_ci(
        56,
        70,
        48,
        80,
        0.95,
        DiffMethod::MiettinenNurminen,
        Bound::TwoSided,
    )
    .unwrap();
    for delta in [ci.lower, ci.upper] {
        let t = proportion_diff_test(
            56,
            70,
            48,
            80,
            delta,
            DiffTestMethod::Score,
            Alternative::TwoSided,
        )
        .unwrap();
        assert!((t.p_value - 0.05).abs() < 1e-9, "{t:?}");
    }
    let e =
        proportion_diff_test(1, 2, 1, 2, 1.0, DiffTestMethod::Wald, Alternative::Less).unwrap_err();
    assert!(e.to_string().starts_with("delta = 1 is invalid"), "{e}");
    let (mut z, mut p) = (vec![0.0; 2], vec![0.0; 2]);
    let samples = TwoSamples {
        successes1: &[1i64, 3],
        trials1: &[2i64, 2],
        successes2: &[1i64, 1],
        trials2: &[2i64, 2],
    };
    let e = proportion_diff_test_batch(
        samples,
        0.0,
        DiffTestMethod::Wald,
        Alternative::Greater,
        &mut z,
        &mut p,
    )
    .unwrap_err();
    assert!(e.to_string().starts_with("successes1[1] = 3"), "{e}");
}

fn pair() -> impl Strategy<Value = (u64, u64)> {
    (1u64..2_000_000).prop_flat_map(|n| (0..=n, Just(n)))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn intervals_contain_the_estimate_and_nest((x, n) in pair(), conf in 0.5f64..0.999, m in 0usize..11) {
        let method = ALL[m];
        let ci = proportion_ci(x, n, conf, method, Bound::TwoSided).unwrap();
        let wide = proportion_ci(x, n, conf + (1.0 - conf) / 2.0, method, Bound::TwoSided).unwrap();
        let p = x as f64 / n as f64;
        prop_assert!(0.0 <= ci.lower && ci.lower <= ci.upper && ci.upper <= 1.0);
        if method != Method::Arcsine || (x > 0 && x < n) {
            prop_assert!(ci.lower <= p + 1e-12 && p - 1e-12 <= ci.upper, "{:?}", ci);
        }
        prop_assert!(wide.lower <= ci.lower + 1e-12 && ci.upper <= wide.upper + 1e-12);
    }

    #[test]
    fn batch_equals_scalar(pairs in proptest::collection::vec(pair(), 1..40), m in 0usize..11) {
        let method = ALL[m];
        let x: Vec<u64> = pairs.iter().map(|p| p.0).collect();
        let n: Vec<u64> = pairs.iter().map(|p| p.1).collect();
        let (mut lo, mut hi) = (vec![0.0; x.len()], vec![0.0; x.len()]);
        proportion_ci_batch(&x, &n, 0.9, method, Bound::Lower, &mut lo, &mut hi).unwrap();
        for (i, &(xi, ni)) in pairs.iter().enumerate() {
            let s = proportion_ci(xi, ni, 0.9, method, Bound::Lower).unwrap();
            prop_assert_eq!((s.lower, s.upper), (lo[i], hi[i]));
        }
    }

    #[test]
    fn finite_population_limits_are_multiples_of_one_over_n((x, n) in (1u64..200).prop_flat_map(|n| (0..=n, Just(n))), extra in 0u64..500) {
        let pop = n + extra;
        let ci = proportion_ci_finite(x, n, pop, 0.95, Bound::TwoSided).unwrap();
        let (dl, du) = (ci.lower * pop as f64, ci.upper * pop as f64);
        prop_assert!((dl - dl.round()).abs() < 1e-9 && (du - du.round()).abs() < 1e-9);
        prop_assert!(dl.round() as u64 >= x && du.round() as u64 <= pop - (n - x));
    }
}

/// (x, n) across the bands of min(a, b) of the exact limits: x or n − x
/// below 30 (continued fraction, power-law and gamma starts), from 30 up
/// (Temme's expansion, in lanes), the ends x = 0 and x = n, and n up to 10⁶.
fn banded_pair() -> impl Strategy<Value = (u64, u64)> {
    prop_oneof![
        (1u64..10_000).prop_flat_map(|n| (0..=n, Just(n))),
        (200u64..1_000_000).prop_flat_map(|n| (100..=n - 100, Just(n))),
        (1u64..20_000).prop_flat_map(|n| (0..=n.min(150), Just(n))),
        (1u64..20_000).prop_flat_map(|n| (n.saturating_sub(150)..=n, Just(n))),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    /// The exact intervals' batch (limits solved several side by side, the
    /// bands mixed within a batch) equals the scalar call bit for bit, at
    /// every batch length, bound and confidence.
    #[test]
    fn exact_batch_equals_scalar_bit_for_bit(
        pairs in proptest::collection::vec(banded_pair(), 1..10),
        conf in prop_oneof![Just(0.95), Just(0.9), 0.01f64..0.999_999],
        m in 0usize..2,
        b in 0usize..3,
    ) {
        let method = [Method::ClopperPearson, Method::Jeffreys][m];
        let bound = [Bound::TwoSided, Bound::Lower, Bound::Upper][b];
        let x: Vec<u64> = pairs.iter().map(|p| p.0).collect();
        let n: Vec<u64> = pairs.iter().map(|p| p.1).collect();
        let (mut lo, mut hi) = (vec![0.0; x.len()], vec![0.0; x.len()]);
        proportion_ci_batch(&x, &n, conf, method, bound, &mut lo, &mut hi).unwrap();
        for (i, &(xi, ni)) in pairs.iter().enumerate() {
            let s = proportion_ci(xi, ni, conf, method, bound).unwrap();
            prop_assert_eq!((s.lower.to_bits(), s.upper.to_bits()), (lo[i].to_bits(), hi[i].to_bits()));
        }
    }
}

/// A batch of 1,000 mixed pairs (longer than one chunk of lanes many times
/// over) equals the scalar calls bit for bit.
#[test]
fn exact_batch_of_1000_equals_scalar() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let pairs: Vec<(u64, u64)> = (0..1000)
        .map(|_| banded_pair().new_tree(&mut runner).unwrap().current())
        .collect();
    let x: Vec<u64> = pairs.iter().map(|p| p.0).collect();
    let n: Vec<u64> = pairs.iter().map(|p| p.1).collect();
    for method in [Method::ClopperPearson, Method::Jeffreys] {
        let (mut lo, mut hi) = (vec![0.0; x.len()], vec![0.0; x.len()]);
        proportion_ci_batch(&x, &n, 0.95, method, Bound::TwoSided, &mut lo, &mut hi).unwrap();
        for (i, &(xi, ni)) in pairs.iter().enumerate() {
            let s = proportion_ci(xi, ni, 0.95, method, Bound::TwoSided).unwrap();
            assert_eq!(
                (s.lower, s.upper),
                (lo[i], hi[i]),
                "{method:?} at ({xi}, {ni})"
            );
        }
    }
}

/// Limits with one small beta parameter (few failures or few successes in
/// large samples, where the inversions start from gamma quantiles kept in a
/// process-wide table) are the same bits from a scalar call made before any
/// batch at the level (which fills the table), from a large batch, and from
/// a scalar call after it; at twelve confidence levels, more than the table
/// holds, so some are served by the table and some computed on the spot.
#[test]
fn small_parameter_limits_do_not_depend_on_the_gamma_table() {
    let pairs: Vec<(u64, u64)> = (0..4_000u64)
        .map(|i| {
            let n = 30 + (i * 7_919) % 20_000;
            let k = (i / 2) % 31;
            (if i % 2 == 0 { k.min(n) } else { n - k.min(n) }, n)
        })
        .collect();
    let x: Vec<u64> = pairs.iter().map(|p| p.0).collect();
    let n: Vec<u64> = pairs.iter().map(|p| p.1).collect();
    let levels = [
        0.9111, 0.9513, 0.8123, 0.99137, 0.6661, 0.9771, 0.93, 0.9991, 0.7007, 0.8888, 0.9442, 0.97,
    ];
    for conf in levels {
        for method in [Method::ClopperPearson, Method::Jeffreys] {
            let scalar = |i: usize| proportion_ci(x[i], n[i], conf, method, Bound::TwoSided);
            let before: Vec<_> = (0..x.len()).map(|i| scalar(i).unwrap()).collect();
            let (mut lo, mut hi) = (vec![0.0; x.len()], vec![0.0; x.len()]);
            proportion_ci_batch(&x, &n, conf, method, Bound::TwoSided, &mut lo, &mut hi).unwrap();
            for (i, b) in before.iter().enumerate() {
                let after = scalar(i).unwrap();
                let bits = |l: f64, u: f64| (l.to_bits(), u.to_bits());
                let want = bits(b.lower, b.upper);
                let msg = format!("{method:?} {conf} at ({}, {})", x[i], n[i]);
                assert_eq!(want, bits(lo[i], hi[i]), "{msg}");
                assert_eq!(want, bits(after.lower, after.upper), "{msg}");
            }
        }
    }
}
