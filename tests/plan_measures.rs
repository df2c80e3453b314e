//! Curtailed ASN, quality at a given Pa, AOQL, properties of the OC and bad input.
//!
//! Reference values: `scripts/gen_plan_reference.py` (scipy.stats and
//! scipy.optimize, /work/main/.venv/bin/python), independent of qualstat.

use proptest::prelude::*;
use qualstat::plan::{counts_by_lot_and_stage, evaluate_grid, AttributePlan, Curtailment, Model};
use qualstat::Error;

#[track_caller]
fn assert_close(a: f64, b: f64, rel: f64) {
    assert!((a - b).abs() <= rel * b.abs(), "got {a:e}, expected {b:e}");
}

/// (n, c, p, ASN full curtailment, ASN semi-curtailment) by summing over the
/// item at which inspection stops.
const CURTAILED: &[(u64, u64, f64, f64, f64)] = &[
    (50, 1, 0.01, 47.83180735631652, 48.442924595849405),
    (50, 1, 0.05, 32.79147073723417, 32.87246544805176),
    (50, 1, 0.2, 9.998947404826636, 9.998965245422795),
    (20, 0, 0.01, 18.20930624027691, 18.209306240276913),
    (20, 0, 0.05, 12.830281551829145, 12.830281551829152),
    (20, 0, 0.2, 4.94235392476966, 4.942353924769659),
    (125, 3, 0.01, 122.10743891058168, 123.92381358363934),
    (125, 3, 0.05, 76.22340114206384, 76.2884463871774),
    (125, 3, 0.2, 19.999999976263343, 19.999999976792303),
];

/// (n, c, Pa, p) with binom.cdf(c, n, p) = Pa (scipy brentq).
const QUALITY_AT: &[(u64, u64, f64, f64)] = &[
    (50, 1, 0.95, 0.0071537195312938095),
    (50, 1, 0.5, 0.0333402409241808),
    (50, 1, 0.1, 0.07558059884532796),
    (125, 3, 0.95, 0.011002904476335972),
    (125, 3, 0.5, 0.029297651497219936),
    (125, 3, 0.1, 0.052663189730876074),
    (1250, 21, 0.95, 0.011944277893762323),
    (1250, 21, 0.5, 0.01732943563932307),
    (1250, 21, 0.1, 0.022482497476338566),
];

/// (n, c, N, AOQL, p at the AOQL), scipy minimize_scalar of p Pa (N - n)/N.
const AOQL: &[(u64, u64, u64, f64, f64)] = &[
    (50, 1, 1000, 0.015862588883259737, 0.0317937900744824),
    (125, 3, 5000, 0.015154676049143083, 0.02343325206417168),
    (13, 0, 100, 0.02371320922240594, 0.07142857246911427),
];

#[test]
fn curtailed_asn_matches_enumeration() {
    for &(n, c, p, full, semi) in CURTAILED {
        let plan = AttributePlan::single(n, c).unwrap();
        assert_close(
            plan.asn_curtailed(p, Curtailment::Full).unwrap(),
            full,
            1e-10,
        );
        assert_close(
            plan.asn_curtailed(p, Curtailment::Semi).unwrap(),
            semi,
            1e-10,
        );
    }
    let plan = AttributePlan::single(50, 1).unwrap();
    assert_eq!(plan.asn_curtailed(0.0, Curtailment::Full).unwrap(), 49.0);
    assert_eq!(plan.asn_curtailed(1.0, Curtailment::Full).unwrap(), 2.0);
    assert_eq!(plan.asn_curtailed(0.0, Curtailment::Semi).unwrap(), 50.0);
    let double = AttributePlan::double(8, 0, 2, 8, 1).unwrap();
    assert!(matches!(
        double.asn_curtailed(0.1, Curtailment::Full),
        Err(Error::NotAvailable(_))
    ));
}

#[test]
fn quality_at_matches_root_finding() {
    for &(n, c, pa, p) in QUALITY_AT {
        let plan = AttributePlan::single(n, c).unwrap();
        assert_close(
            plan.quality_at(pa, Model::Binomial, None).unwrap(),
            p,
            1e-10,
        );
    }
    // Poisson: Pa = e^{-n p} for c = 0, so p10 = ln(10) / n.
    let plan = AttributePlan::single(20, 0).unwrap();
    assert_close(
        plan.quality_at(0.1, Model::Poisson, None).unwrap(),
        10f64.ln() / 20.0,
        1e-12,
    );
    // Hypergeometric: the largest D / N with Pa >= target.
    let plan = AttributePlan::single(50, 2).unwrap();
    let p = plan
        .quality_at(0.5, Model::Hypergeometric, Some(500))
        .unwrap();
    let d = (p * 500.0).round();
    assert!(
        plan.prob_accept(d / 500.0, Model::Hypergeometric, Some(500))
            .unwrap()
            >= 0.5
    );
    assert!(
        plan.prob_accept((d + 1.0) / 500.0, Model::Hypergeometric, Some(500))
            .unwrap()
            < 0.5
    );
}

#[test]
fn aoql_matches_numerical_maximum() {
    for &(n, c, lot, aoql, p) in AOQL {
        let plan = AttributePlan::single(n, c).unwrap();
        let (v, at) = plan.aoql(Model::Binomial, Some(lot)).unwrap();
        assert_close(v, aoql, 1e-9);
        assert_close(at, p, 1e-5);
    }
    // Hypergeometric AOQL: a maximum over whole D, checked by scanning every D.
    let plan = AttributePlan::single(20, 1).unwrap();
    let (v, at) = plan.aoql(Model::Hypergeometric, Some(200)).unwrap();
    let best = (0..=200)
        .map(|d| {
            plan.aoq(d as f64 / 200.0, Model::Hypergeometric, Some(200))
                .unwrap()
        })
        .fold(0.0, f64::max);
    assert_eq!(v, best);
    assert_eq!(
        plan.aoq(at, Model::Hypergeometric, Some(200)).unwrap(),
        best
    );
}

#[test]
fn hypergeometric_tends_to_binomial() {
    let plan = AttributePlan::double(20, 0, 3, 40, 3).unwrap();
    let bin = plan.prob_accept(0.05, Model::Binomial, None).unwrap();
    let mut last = f64::INFINITY;
    for lot in [100u64, 1_000, 10_000, 100_000, 1_000_000] {
        let hyp = plan
            .prob_accept(0.05, Model::Hypergeometric, Some(lot))
            .unwrap();
        let err = (hyp - bin).abs();
        assert!(err < last, "{lot}: {err} >= {last}");
        last = err;
    }
    assert!(last < 1e-4, "{last}");
}

#[test]
fn bad_input_is_a_clear_error() {
    let plan = AttributePlan::single(50, 1).unwrap();
    for p in [-0.1, 1.5, f64::NAN, f64::INFINITY] {
        let e = plan.prob_accept(p, Model::Binomial, None).unwrap_err();
        assert!(e.to_string().contains("p = "), "{e}");
    }
    assert!(plan.prob_accept(-1.0, Model::Poisson, None).is_err());
    assert!(plan.prob_accept(2.0, Model::Poisson, None).is_ok());
    assert!(plan.prob_accept(1e308, Model::Poisson, None).is_err());
    assert!(evaluate_grid(std::slice::from_ref(&plan), &[1e308], Model::Poisson, None).is_err());
    // Lot smaller than the sample; hypergeometric without a lot; p N not whole.
    let e = plan
        .prob_accept(0.1, Model::Binomial, Some(40))
        .unwrap_err();
    assert!(e.to_string().contains("lot_size = 40"), "{e}");
    assert!(plan.prob_accept(0.1, Model::Hypergeometric, None).is_err());
    let e = plan
        .prob_accept(0.0101, Model::Hypergeometric, Some(100))
        .unwrap_err();
    assert!(e.to_string().contains("whole number"), "{e}");
    // Ac >= Re, Re != Ac + 1 at the last stage, empty and mismatched stages, n = 0.
    assert!(AttributePlan::new(&[10], &[2], &[2]).is_err());
    assert!(AttributePlan::new(&[10], &[1], &[3]).is_err());
    assert!(AttributePlan::with_final_gap(&[10], &[1], &[3]).is_ok());
    assert!(AttributePlan::new(&[], &[], &[]).is_err());
    assert!(AttributePlan::new(&[10, 10], &[0], &[2]).is_err());
    assert!(AttributePlan::new(&[0], &[0], &[1]).is_err());
    assert!(AttributePlan::new(&[10, 10], &[0, 1], &[1, 2]).is_err());
    assert!(AttributePlan::new(&[10, 10], &[1, 0], &[3, 1]).is_err());
    assert!(AttributePlan::new(&[10], &[-2], &[1]).is_err());
    // Huge acceptance numbers: rejected above the limit, cheap below it
    // (the counts tracked are clipped at what can occur).
    assert!(AttributePlan::single(10, 20_000_000).is_err());
    let big = AttributePlan::single(10, 9_000_000).unwrap();
    assert_eq!(big.prob_accept(0.5, Model::Binomial, None).unwrap(), 1.0);
    assert_eq!(big.prob_accept(0.5, Model::Poisson, None).unwrap(), 1.0);
    let pois = AttributePlan::single(10, 30).unwrap();
    // Poisson(1000): P(X <= 30) underflows to 0 and the tracking stays bounded.
    assert!(pois.prob_accept(100.0, Model::Poisson, None).unwrap() < 1e-300);
    let e = AttributePlan::new(&[10], &[3], &[2]).unwrap_err();
    assert!(e.to_string().contains("ac[0] = 3"), "{e}");
    assert!(plan.quality_at(1.0, Model::Binomial, None).is_err());
    assert!(plan.quality_at(f64::NAN, Model::Binomial, None).is_err());
    assert!(evaluate_grid(&[plan], &[0.1, 2.0], Model::Binomial, None)
        .unwrap_err()
        .to_string()
        .contains("p[1]"));
}

/// A random valid multi-stage plan: 1 to 4 stages, cumulative numbers
/// non-decreasing, the last stage deciding.
fn plan_strategy() -> impl Strategy<Value = AttributePlan> {
    prop::collection::vec((1u64..30, 0i64..3, 0u64..3), 1..5).prop_map(|spec| {
        let (mut n, mut ac, mut re) = (vec![], vec![], vec![]);
        let (mut a, mut r) = (-1i64, 0u64);
        let k = spec.len();
        for (j, (nj, da, dr)) in spec.into_iter().enumerate() {
            n.push(nj);
            if j + 1 < k {
                a += da;
                r = r.max((a + 2) as u64 + dr);
            } else {
                a = a.max(r as i64 - 1).max(0) + da;
                r = a as u64 + 1;
            }
            ac.push(a);
            re.push(r);
        }
        AttributePlan::new(&n, &ac, &re).unwrap()
    })
}

proptest! {
    #[test]
    fn oc_is_non_increasing_and_asn_bounded(plan in plan_strategy(), lot_extra in 0u64..200) {
        let p: Vec<f64> = (0..=40).map(|i| i as f64 / 40.0).collect();
        let lot = plan.max_sample_size() + lot_extra;
        let pts = evaluate_grid(std::slice::from_ref(&plan), &p, Model::Binomial, Some(lot)).unwrap();
        let (aoql, _) = plan.aoql(Model::Binomial, Some(lot)).unwrap();
        for w in pts.windows(2) {
            prop_assert!(w[1].prob_accept <= w[0].prob_accept + 1e-12);
        }
        for pt in &pts {
            prop_assert!(pt.asn >= plan.n()[0] as f64 - 1e-9);
            prop_assert!(pt.asn <= plan.max_sample_size() as f64 + 1e-9);
            prop_assert!(pt.aoq <= aoql * (1.0 + 1e-9) + 1e-15);
            prop_assert!((0.0..=1.0).contains(&pt.prob_accept));
        }
    }

    #[test]
    fn decisions_follow_the_numbers(plan in plan_strategy(), seed in prop::collection::vec(0u64..4, 4)) {
        let mut counts = vec![];
        for (j, &x) in seed.iter().enumerate().take(plan.stages()) {
            counts.push(x.min(plan.n()[j]));
            let d = plan.decide(&counts).unwrap();
            let cum: u64 = counts.iter().sum();
            prop_assert_eq!(d.cumulative, cum);
            if d.outcome != qualstat::plan::Outcome::Continue {
                prop_assert_eq!(d.stage, j + 1);
                prop_assert!(plan.decide(&[counts.clone(), vec![0]].concat()).is_err());
                break;
            }
            prop_assert_eq!(d.next_sample_size, plan.n().get(j + 1).copied());
        }
    }
}

#[test]
fn decide_many_matches_decide_and_names_the_lot() {
    let plan = AttributePlan::new(&[20, 20, 20], &[-1, 1, 3], &[3, 4, 4]).unwrap();
    let lots: Vec<Vec<u64>> = (0..500u64)
        .map(|i| (0..=(i % 3)).map(|j| (i * 7 + j) % 3).collect())
        .collect();
    let valid: Vec<Vec<u64>> = lots
        .into_iter()
        .filter(|c| plan.decide(c).is_ok())
        .collect();
    assert!(valid.len() > 100);
    let many = plan.decide_many(&valid).unwrap();
    for (c, d) in valid.iter().zip(&many) {
        assert_eq!(*d, plan.decide(c).unwrap());
    }
    let e = plan
        .decide_many(&[vec![0], vec![21]])
        .unwrap_err()
        .to_string();
    assert!(e.contains("lots[1]"), "{e}");
}

#[test]
fn decide_lots_over_flat_counts_matches_decide_and_names_the_lot() {
    let plan = AttributePlan::new(&[20, 20, 20], &[-1, 1, 3], &[3, 4, 4]).unwrap();
    let valid: Vec<Vec<u64>> = (0..5000u64)
        .map(|i| (0..=(i % 3)).map(|j| (i * 7 + j * 5) % 4).collect())
        .filter(|c: &Vec<u64>| plan.decide(c).is_ok())
        .collect();
    assert!(valid.len() > 1000);
    let mut offsets = vec![0];
    let mut counts = vec![];
    for c in &valid {
        counts.extend_from_slice(c);
        offsets.push(counts.len());
    }
    let flat = plan.decide_lots(&counts, &offsets).unwrap();
    assert_eq!(flat.len(), valid.len());
    for (c, d) in valid.iter().zip(&flat) {
        assert_eq!(*d, plan.decide(c).unwrap());
    }
    assert!(plan.decide_lots(&[], &[0]).unwrap().is_empty());
    let e = plan
        .decide_lots(&[0, 21], &[0, 1, 2])
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("lot 1: counts[0] = 21 is invalid"), "{e}");
    let e = plan
        .decide_lots(&[0, 0], &[0, 2, 1])
        .unwrap_err()
        .to_string();
    assert!(e.contains("offsets"), "{e}");
    for offsets in [&[][..], &[1, 2][..], &[0, 1][..]] {
        assert!(plan.decide_lots(&[0, 0], offsets).is_err());
    }
}

#[test]
fn counts_by_lot_and_stage_add_up_rows_and_refuse_bad_ones() {
    // Keys spanning far more than the rows go through the hash map.
    let keys = [5_i64 << 40, 9, 5 << 40, 9, 5 << 40, -1];
    let stage = [1, 1, 2, 1, 2, 2];
    let items = [3, 2, 4, 1, 1, 7];
    let found = [1, 0, 2, 1, 0, 7];
    let c = counts_by_lot_and_stage(&keys, &stage, Some(&items), &found, 2).unwrap();
    assert_eq!(c.first_rows, [0, 0, 1, 5]);
    assert_eq!(c.stage, [1, 2, 1, 2]);
    assert_eq!(c.inspected, [3, 5, 3, 7]);
    assert_eq!(c.nonconforming, [1, 2, 1, 7]);
    let e = |r: qualstat::Result<_>| r.unwrap_err().to_string();
    assert!(e(counts_by_lot_and_stage(
        &keys,
        &stage,
        Some(&items),
        &found,
        1
    ))
    .contains("stage[2]"));
    let zero = [0, 1, 1, 1, 1, 1];
    assert!(e(counts_by_lot_and_stage(&keys, &zero, None, &[0; 6], 2)).starts_with("stage[0] = 0"));
    assert!(e(counts_by_lot_and_stage(&keys, &stage, None, &found, 2)).contains("nonconforming[2]"));
    assert!(e(counts_by_lot_and_stage(&keys, &stage[..5], None, &found, 2)).contains("length"));
    let huge = [1, 1, u64::MAX, 1, 1, 1];
    assert!(e(counts_by_lot_and_stage(
        &keys,
        &stage,
        Some(&huge),
        &[0; 6],
        2
    ))
    .contains("2^64"));
    let none = counts_by_lot_and_stage(&[], &[], None, &[], 3).unwrap();
    assert!(none.first_rows.is_empty());
}

#[test]
fn curtailed_asn_at_subnormal_p_is_finite() {
    let plan = AttributePlan::single(50, 1).unwrap();
    for p in [1e-320, f64::MIN_POSITIVE, 1e-300] {
        let full = plan.asn_curtailed(p, Curtailment::Full).unwrap();
        let semi = plan.asn_curtailed(p, Curtailment::Semi).unwrap();
        // At p -> 0 nothing is found: full stops at n - c = 49, semi at n = 50.
        assert_close(full, 49.0, 1e-12);
        assert_close(semi, 50.0, 1e-12);
    }
    assert_eq!(
        "Fully-Curtailed".parse::<Curtailment>(),
        Ok(Curtailment::Full)
    );
}

#[test]
fn huge_single_plans_evaluate_fast_from_the_cdf() {
    use qualstat::numerics::binomial;
    // Above 4096 trackable counts a single plan's Pa comes from the cdf: it
    // agrees with the pmf summed term by term.
    let plan = AttributePlan::single(100_000, 5_000).unwrap();
    for p in [0.045, 0.05, 0.052] {
        let direct = plan.prob_accept(p, Model::Binomial, None).unwrap();
        let summed: f64 = (0..=5_000).map(|k| binomial::pmf(k, 100_000, p)).sum();
        assert_close(direct, summed, 1e-10);
    }
    // The fuzz reproducer: n = 10^9, Ac = 10^6 (took minutes; speed is benched, not asserted).
    let big = AttributePlan::single(1_000_000_000, 1_000_000).unwrap();
    let (aoql, at) = big.aoql(Model::Binomial, Some(2_000_000_000)).unwrap();
    let pa = big.prob_accept(at, Model::Binomial, None).unwrap();
    assert_close(aoql, at * pa * 0.5, 1e-9);
    assert!(at > 0.99e-3 && at < 1.01e-3, "{at}");
    let (_, at_inf) = big.aoql(Model::Binomial, None).unwrap();
    assert!(at_inf > 0.99e-3 && at_inf < 1.01e-3, "{at_inf}");
}

/// The counts of each lot and stage by their definition: the rows of each
/// key, in order of first appearance, added up stage by stage.
fn counts_by_definition(
    keys: &[i64],
    stage: &[i64],
    items: Option<&[u64]>,
    found: &[u64],
    stages: usize,
) -> qualstat::plan::LotStageCounts {
    let mut first: Vec<(i64, usize)> = Vec::new();
    let mut cells = std::collections::HashMap::new();
    for i in 0..keys.len() {
        if !first.iter().any(|&(k, _)| k == keys[i]) {
            first.push((keys[i], i));
        }
        let cell: &mut (u64, u64) = cells.entry((keys[i], stage[i])).or_default();
        cell.0 += items.map_or(1, |items| items[i]);
        cell.1 += found[i];
    }
    let mut out = qualstat::plan::LotStageCounts::default();
    for (k, row) in first {
        for j in 1..=stages {
            if let Some(&(n, d)) = cells.get(&(k, j as i64)) {
                out.first_rows.push(row);
                out.stage.push(j);
                out.inspected.push(n);
                out.nonconforming.push(d);
            }
        }
    }
    out
}

#[test]
fn many_rows_are_counted_in_parts_as_by_the_definition() {
    // 300,007 rows of 3,050 lots met in random order (a table per part),
    // some lots only in the later rows, with and without item counts.
    let rows = 300_007;
    let mut state = 7_u64;
    let mut next = |m: u64| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % m
    };
    let keys: Vec<i64> = (0..rows)
        .map(|i| {
            if i < rows / 2 {
                next(2_000) as i64 - 50
            } else {
                next(3_050) as i64 - 50
            }
        })
        .collect();
    let stage: Vec<i64> = (0..rows).map(|_| 1 + next(3) as i64).collect();
    let items: Vec<u64> = (0..rows).map(|_| 1 + next(5)).collect();
    let found: Vec<u64> = items.iter().map(|&n| next(n + 1)).collect();
    let bits: Vec<u64> = found.iter().map(|&d| d.min(1)).collect();
    let got = counts_by_lot_and_stage(&keys, &stage, Some(&items), &found, 3).unwrap();
    assert_eq!(
        got,
        counts_by_definition(&keys, &stage, Some(&items), &found, 3)
    );
    assert_eq!(got.first_rows.len(), 3 * 3_050);
    let got = counts_by_lot_and_stage(&keys, &stage, None, &bits, 3).unwrap();
    assert_eq!(got, counts_by_definition(&keys, &stage, None, &bits, 3));
    // The first invalid row is named, wherever the parts are cut.
    let e = |r: qualstat::Result<_>| r.unwrap_err().to_string();
    let mut bad_stage = stage.clone();
    bad_stage[250_000] = 4;
    let mut bad_found = found.clone();
    bad_found[200_000] = 9;
    let first_error = |found: &[u64]| {
        e(counts_by_lot_and_stage(
            &keys,
            &bad_stage,
            Some(&items),
            found,
            3,
        ))
    };
    assert!(first_error(&bad_found).starts_with("nonconforming[200000]"));
    bad_found[200_000] = 0;
    assert!(first_error(&bad_found).starts_with("stage[250000] = 4"));
    // Sums past 2^64 across the parts: the row where the sum passes it.
    let mut huge = items.clone();
    let cell = |i: usize| (keys[i], stage[i]);
    let twin = (1..rows).rev().find(|&i| cell(i) == cell(0)).unwrap();
    assert!(twin > rows / 2);
    (huge[0], huge[twin]) = (u64::MAX / 2 + 1, u64::MAX / 2 + 1);
    let message = e(counts_by_lot_and_stage(
        &keys,
        &stage,
        Some(&huge),
        &found,
        3,
    ));
    assert!(message.starts_with(&format!("items[{twin}]")), "{message}");
}
