//! Invariants of capability studies (proptest).

use proptest::prelude::*;
use qualstat::capability::{capability, Options, Spec, Subgroups, WithinMethod};

fn rel_close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1e-12)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Indices are unchanged when data and specification are rescaled and
    /// shifted together (x → a x + b, a > 0), and Cpk ≤ Cp, Ppk ≤ Pp.
    #[test]
    fn affine_invariance_and_ordering(
        x in prop::collection::vec(-50.0f64..50.0, 20),
        a in 0.01f64..100.0,
        b in -1e3f64..1e3,
        within in prop::sample::select(vec!["pooled", "rbar", "sbar"]),
    ) {
        let spread = x.iter().cloned().fold(f64::NEG_INFINITY, f64::max)
            - x.iter().cloned().fold(f64::INFINITY, f64::min);
        prop_assume!(spread > 1e-6);
        let spec = Spec { lsl: Some(-80.0), usl: Some(90.0), target: Some(0.0) };
        let o = Options { within: within.parse::<WithinMethod>().unwrap(), ..Options::default() };
        let Ok(r) = capability(&x, &Subgroups::Size(4), &spec, &o) else {
            return Ok(()); // constant subgroups: a documented error
        };
        let y: Vec<f64> = x.iter().map(|v| a * v + b).collect();
        let t = |v: f64| a * v + b;
        let spec2 = Spec { lsl: Some(t(-80.0)), usl: Some(t(90.0)), target: Some(t(0.0)) };
        let r2 = capability(&y, &Subgroups::Size(4), &spec2, &o).unwrap();
        for (p, q) in [(r.cp, r2.cp), (r.cpk, r2.cpk), (r.ppk, r2.ppk), (r.cpm, r2.cpm)] {
            prop_assert!(rel_close(p.unwrap(), q.unwrap()), "{p:?} {q:?}");
        }
        prop_assert!(r.cpk.unwrap() <= r.cp.unwrap() + 1e-12);
        prop_assert!(r.ppk.unwrap() <= r.pp.unwrap() + 1e-12);
        let i = r.cpk_interval.unwrap();
        prop_assert!(i.lower <= r.cpk.unwrap() && r.cpk.unwrap() <= i.upper);
    }

    /// Reordering whole subgroups changes no subgroup-based result.
    #[test]
    fn subgroup_order_does_not_matter(x in prop::collection::vec(0.0f64..10.0, 24), rot in 1usize..6) {
        let spec = Spec { lsl: Some(-5.0), usl: Some(15.0), target: None };
        let o = Options::default();
        let Ok(r) = capability(&x, &Subgroups::Size(4), &spec, &o) else { return Ok(()); };
        let mut y = x.clone();
        y.rotate_left(4 * rot);
        let r2 = capability(&y, &Subgroups::Size(4), &spec, &o).unwrap();
        prop_assert!(rel_close(r.sigma_within, r2.sigma_within));
        prop_assert!(rel_close(r.sigma_overall, r2.sigma_overall));
    }
}
