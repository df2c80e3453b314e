//! Plan design from two risk points, checked against brute-force searches.

use qualstat::numerics::{binomial, hypergeometric, poisson};
use qualstat::plan::{
    design_double_plan, design_plan, design_plan_grid, zero_acceptance_plan, AttributePlan,
    DoubleFamily, Model, RiskPoints,
};
use qualstat::Error;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Pa of the single plan (n, c), straight from the distribution functions.
fn pa(n: u64, c: u64, p: f64, model: Model, lot: u64) -> f64 {
    match model {
        Model::Binomial => binomial::cdf(c, n, p),
        Model::Poisson => poisson::cdf(c, n as f64 * p),
        _ => hypergeometric::cdf(c, lot, (p * lot as f64).round() as u64, n),
    }
}

/// The smallest n, then the smallest c, by scanning n = 1, 2, ... and, for
/// each n, c = 0, 1, ... (Pa increases in c, so the scan of c stops at the
/// first c meeting the producer's point).
fn brute(pts: &RiskPoints, model: Model, lot: u64, n_max: u64) -> Option<(u64, u64)> {
    for n in 1..=n_max {
        for c in 0..n {
            if pa(n, c, pts.aql, model, lot) >= 1.0 - pts.alpha {
                if pa(n, c, pts.lq, model, lot) <= pts.beta {
                    return Some((n, c));
                }
                break;
            }
        }
    }
    None
}

fn random_points(rng: &mut StdRng) -> RiskPoints {
    let aql = rng.random_range(0.005..0.08);
    let lq = aql * rng.random_range(2.5..12.0);
    RiskPoints::new(
        aql,
        lq.min(0.9),
        rng.random_range(0.01..0.15),
        rng.random_range(0.03..0.2),
    )
    .unwrap()
}

fn check_model(model: Model, points: usize, seed: u64) {
    let mut rng = StdRng::seed_from_u64(seed);
    for _ in 0..points {
        let pts = random_points(&mut rng);
        let expected = brute(&pts, model, 0, 2000);
        let got = design_plan(&pts, model, None)
            .ok()
            .map(|p| (p.n()[0], p.re()[0] - 1));
        assert_eq!(got, expected, "{pts:?}");
    }
}

#[test]
fn binomial_design_matches_brute_force() {
    check_model(Model::Binomial, 2000, 1);
}

#[test]
fn poisson_design_matches_brute_force() {
    check_model(Model::Poisson, 2000, 2);
}

#[test]
fn hypergeometric_design_matches_brute_force() {
    let mut rng = StdRng::seed_from_u64(3);
    for _ in 0..1000 {
        let lot = rng.random_range(20u64..400);
        let d1 = rng.random_range(0..lot / 10 + 1);
        let d2 = d1 + rng.random_range(1..lot / 4 + 2);
        let (aql, lq) = (d1 as f64 / lot as f64, d2 as f64 / lot as f64);
        if aql == 0.0 {
            // aql must be positive.
            assert!(RiskPoints::new(aql, lq, 0.05, 0.1).is_err());
            continue;
        }
        let pts = RiskPoints::new(
            aql,
            lq,
            rng.random_range(0.01..0.15),
            rng.random_range(0.03..0.2),
        )
        .unwrap();
        let expected = brute(&pts, Model::Hypergeometric, lot, lot);
        let got = match design_plan(&pts, Model::Hypergeometric, Some(lot)) {
            Ok(p) => Some((p.n()[0], p.re()[0] - 1)),
            Err(Error::NoSolution(_)) => None,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(got, expected, "{pts:?} lot {lot}");
    }
}

/// The smallest c with Pa(aql; n, c) >= 1 - alpha (bisection over c).
fn c_min(n: u64, pts: &RiskPoints) -> u64 {
    let (mut lo, mut hi) = (0u64, n);
    while lo < hi {
        let mid = (lo + hi) / 2;
        if binomial::cdf(mid, n, pts.aql) >= 1.0 - pts.alpha {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    lo
}

#[test]
fn close_risk_points_give_exact_large_plans() {
    let pts = RiskPoints::new(0.01, 0.011, 0.05, 0.10).unwrap();
    let plan = design_plan(&pts, Model::Binomial, None).unwrap();
    let (n, c) = (plan.n()[0], plan.re()[0] - 1);
    assert!(n > 50_000, "{n}");
    assert!(binomial::cdf(c, n, 0.01) >= 0.95);
    assert!(binomial::cdf(c, n, 0.011) <= 0.10);
    // No plan with n - 1 items: its smallest admissible c already fails the LQ point.
    let c1 = c_min(n - 1, &pts);
    assert!(binomial::cdf(c1, n - 1, 0.011) > 0.10);
    // And with n items no smaller c works.
    assert_eq!(c_min(n, &pts), c);
}

#[test]
fn zero_acceptance_plans() {
    for (lq, beta) in [(0.01, 0.1), (0.05, 0.05), (0.2, 0.1), (0.001, 0.01)] {
        let plan = zero_acceptance_plan(lq, beta, Model::Binomial, None).unwrap();
        // (1 - lq)^n <= beta  <=>  n >= ln(beta) / ln(1 - lq).
        let n = (f64::ln(beta) / f64::ln(1.0 - lq)).ceil() as u64;
        assert_eq!(plan.n()[0], n);
        assert_eq!(plan.ac()[0], 0);
    }
    // Poisson: e^{-n lq} <= beta.
    let plan = zero_acceptance_plan(0.01, 0.1, Model::Poisson, None).unwrap();
    assert_eq!(plan.n()[0], (10f64.ln() / 0.01).ceil() as u64);
    assert!(zero_acceptance_plan(0.0, 0.1, Model::Binomial, None).is_err());
    assert!(zero_acceptance_plan(0.1, 1.0, Model::Binomial, None).is_err());
}

#[test]
fn grid_matches_single_calls() {
    let mut rng = StdRng::seed_from_u64(4);
    let pts: Vec<RiskPoints> = (0..200).map(|_| random_points(&mut rng)).collect();
    let grid = design_plan_grid(&pts, Model::Binomial, None).unwrap();
    for (p, g) in pts.iter().zip(grid) {
        assert_eq!(g, design_plan(p, Model::Binomial, None));
    }
}

/// Brute force over the documented search space of double plans.
fn brute_double(pts: &RiskPoints, k: u64) -> f64 {
    let single = design_plan(pts, Model::Binomial, None).unwrap();
    let (ns, cs) = (single.n()[0], single.re()[0] - 1);
    let mut best = f64::INFINITY;
    for n1 in 1..=ns {
        for ac2 in 1..=(2 * cs + 3) {
            for ac1 in 0..ac2 {
                for re1 in ac1 + 2..=ac2 + 1 {
                    let Ok(plan) = AttributePlan::double(n1, ac1 as i64, re1, k * n1, ac2) else {
                        continue;
                    };
                    let a = plan.evaluate(pts.aql, Model::Binomial, None).unwrap();
                    let l = plan.prob_accept(pts.lq, Model::Binomial, None).unwrap();
                    if a.prob_accept >= 1.0 - pts.alpha && l <= pts.beta {
                        best = best.min(a.asn);
                    }
                }
            }
        }
    }
    best
}

#[test]
fn double_design_has_minimum_asn() {
    for (aql, lq) in [(0.02, 0.12), (0.05, 0.25), (0.01, 0.08)] {
        let pts = RiskPoints::new(aql, lq, 0.05, 0.10).unwrap();
        for (family, k) in [(DoubleFamily::Equal, 1), (DoubleFamily::Twice, 2)] {
            let plan = design_double_plan(&pts, family, Model::Binomial, None).unwrap();
            assert_eq!(plan.n()[1], k * plan.n()[0]);
            let a = plan.evaluate(aql, Model::Binomial, None).unwrap();
            assert!(a.prob_accept >= 0.95);
            assert!(plan.prob_accept(lq, Model::Binomial, None).unwrap() <= 0.10);
            assert_eq!(a.asn, brute_double(&pts, k), "{pts:?} {family:?}");
        }
    }
}

#[test]
fn double_design_refuses_very_large_searches() {
    let pts = RiskPoints::new(0.01, 0.012, 0.05, 0.10).unwrap();
    let e = design_double_plan(&pts, DoubleFamily::Equal, Model::Binomial, None).unwrap_err();
    assert!(matches!(e, Error::NotAvailable(_)), "{e}");
}

#[test]
fn bad_risk_points() {
    assert!(RiskPoints::new(0.05, 0.01, 0.05, 0.1).is_err());
    assert!(RiskPoints::new(f64::NAN, 0.1, 0.05, 0.1).is_err());
    assert!(RiskPoints::new(0.01, 0.1, 0.0, 0.1).is_err());
    assert!(RiskPoints::new(0.01, 0.1, 0.6, 0.5).is_err());
    assert!(RiskPoints::new(0.01, f64::INFINITY, 0.05, 0.1).is_err());
    let pts = RiskPoints::new(0.01, 1.5, 0.05, 0.1).unwrap();
    let e = design_plan(&pts, Model::Binomial, None).unwrap_err();
    assert!(e.to_string().contains("lq = 1.5"), "{e}");
    let pts = RiskPoints::new(0.0105, 0.1, 0.05, 0.1).unwrap();
    assert!(design_plan(&pts, Model::Hypergeometric, Some(100)).is_err());
    assert!(design_plan(&pts, Model::Hypergeometric, None).is_err());
}

#[test]
fn lot_sizes_only_with_the_hypergeometric_models() {
    let pts = RiskPoints::new(0.01, 0.05, 0.05, 0.10).unwrap();
    for model in [Model::Binomial, Model::Poisson] {
        let e = design_plan(&pts, model, Some(3000))
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("lot_size = 3000 is invalid"), "{e}");
        assert!(e.contains(model.name()), "{e}");
        assert!(zero_acceptance_plan(0.05, 0.1, model, Some(3000)).is_err());
    }
    let e = design_plan(&pts, Model::Hypergeometric, Some(0))
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("lot_size = 0 is invalid"), "{e}");
    assert!(design_plan(&pts, Model::Hypergeometric, Some(3000)).is_ok());
}

#[test]
fn risk_points_too_close_end_at_the_search_limit() {
    let pts = RiskPoints::new(0.0999, 0.1, 0.05, 0.10).unwrap();
    for model in [Model::Poisson, Model::Binomial] {
        match design_plan(&pts, model, None) {
            Err(Error::NoSolution(m)) => assert!(m.contains("Ac <= 100000"), "{m}"),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!("TWICE".parse::<DoubleFamily>(), Ok(DoubleFamily::Twice));
}
