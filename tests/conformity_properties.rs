//! Invariants of `qualstat::conformity` under random inputs (proptest):
//! conformance probabilities are probabilities that sum with their
//! complement to one and are symmetric about the middle of the tolerance;
//! the guard bands meet their defining equations; global risks obey
//! R_C − R_P = P(accept) − P(conforming), stay within their bounds, and move
//! the right way when the guard band widens.

use proptest::prelude::*;
use qualstat::conformity::{
    acceptance_limits, conformance_probability, global_risk, nonconformance_probability, GuardRule,
    Limits,
};
use qualstat::numerics::normal;

const INF: f64 = f64::INFINITY;

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn conformance_is_a_probability(
        y in -20.0..20.0f64, u in 1e-3..5.0f64, lo in -20.0..20.0f64, width in 1e-2..20.0f64,
        df in prop_oneof![Just(INF), 1.0..50.0f64],
    ) {
        let t = Limits::tolerance(lo, lo + width).unwrap();
        let p = conformance_probability(y, u, t, df).unwrap();
        let q = nonconformance_probability(y, u, t, df).unwrap();
        prop_assert!((0.0..=1.0).contains(&p) && (0.0..=1.0).contains(&q));
        prop_assert!((p + q - 1.0).abs() < 1e-14, "{p} {q}");
        // Symmetric about the middle (up to the rounding of the mirrored y).
        let mirror = conformance_probability(2.0 * lo + width - y, u, t, df).unwrap();
        let slack = 1e-14 + 1e-15 * (lo.abs() + width + y.abs()) / u;
        prop_assert!((mirror - p).abs() <= slack, "{mirror} {p}");
    }

    #[test]
    fn guard_bands_meet_their_definitions(
        u in 1e-3..0.3f64, k in 0.0..3.0f64, risk in 1e-4..0.3f64,
    ) {
        let one = Limits::tolerance(-INF, 10.0).unwrap();
        let a = acceptance_limits(u, one, GuardRule::ExpandedUncertainty, 0.025, k, INF).unwrap();
        let at_limit = nonconformance_probability(a.upper, u, one, INF).unwrap();
        prop_assert!((at_limit / normal::sf(k) - 1.0).abs() < 1e-9, "{at_limit}");
        let two = Limits::tolerance(8.0, 10.0).unwrap();
        let result = acceptance_limits(u, two, GuardRule::SpecificRisk, risk, 2.0, INF);
        // No acceptance interval exists when even the middle of the tolerance
        // interval carries more than `risk` (a wide u): that must be an error.
        let at_middle = nonconformance_probability(9.0, u, two, INF).unwrap();
        if at_middle > risk {
            prop_assert!(result.is_err(), "{at_middle} {risk}");
            return Ok(());
        }
        let a = result.unwrap();
        for edge in [a.lower, a.upper] {
            let r = nonconformance_probability(edge, u, two, INF).unwrap();
            prop_assert!((r / risk - 1.0).abs() < 1e-10, "{r} {risk}");
        }
        prop_assert!((a.lower - 8.0 - (10.0 - a.upper)).abs() < 1e-12);
    }

    #[test]
    fn global_risk_identity_bounds_and_monotonicity(
        mean in -3.0..3.0f64, sd in 0.05..3.0f64, u in 1e-3..3.0f64, w in 0.0..0.9f64,
    ) {
        let c = Limits::tolerance(-2.0, 2.0).unwrap();
        let a = Limits::acceptance(-2.0 + w, 2.0 - w).unwrap();
        let r = global_risk(mean, sd, u, c, a).unwrap();
        let diff = r.prob_accept - r.prob_conforming;
        prop_assert!((r.consumer - r.producer - diff).abs() < 1e-12, "{r:?}");
        prop_assert!(r.consumer >= 0.0 && r.consumer <= 1.0 - r.prob_conforming + 1e-15);
        prop_assert!(r.producer >= 0.0 && r.producer <= r.prob_conforming + 1e-15);
        let narrower = Limits::acceptance(-1.9 + w, 1.9 - w).unwrap();
        let g = global_risk(mean, sd, u, c, narrower).unwrap();
        prop_assert!(g.consumer <= r.consumer + 1e-15 && g.producer >= r.producer - 1e-15);
    }
}
