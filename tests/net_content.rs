//! Net content: batch decisions equal one-by-one decisions, exact ties, and
//! the monotonicity of the decision in the package contents (proptest).

use proptest::prelude::*;
use qualstat::net_content::{decide, decide_lots, plan, Kind, MeanRule, Regime, Settings, Tare};
use qualstat::plan::Outcome;

/// 20 packages whose mean 496.8 g is exactly Qn − 0.64·s with s = 5 g (the
/// EU destructive plan); checked in rational arithmetic in the Python tests.
const TIE_20: [f64; 20] = [
    490.9, 493.3, 500.6, 501.9, 502.3, 496.7, 498.2, 494.3, 498.9, 495.9, 502.3, 492.6, 491.1,
    492.0, 492.3, 497.2, 495.8, 500.0, 509.6, 490.1,
];

#[test]
fn mean_tie_is_exact_under_ge_and_gt() {
    let mut s = Settings::new(Regime::Eu);
    s.destructive = true;
    let ge = decide(&[&TIE_20], 500.0, 500, Tare::None, &s).unwrap();
    assert_eq!((ge.mean_ok, ge.verdict), (Some(true), Outcome::Accept));
    s.mean_rule = MeanRule::Gt;
    let gt = decide(&[&TIE_20], 500.0, 500, Tare::None, &s).unwrap();
    assert_eq!((gt.mean_ok, gt.verdict), (Some(false), Outcome::Reject));
}

#[test]
fn plans_of_the_eu_table() {
    let p = plan(Regime::Eu, 300, false, Some(Kind::Single)).unwrap();
    assert_eq!((p.n, p.ac, p.re), (vec![50], Some(vec![3]), Some(vec![4])));
    let p = plan(Regime::Eu, 99, false, None).unwrap();
    assert!(p.full_inspection && p.ac.is_none());
    assert!(plan(Regime::Eu, 99, true, None).is_err());
    assert!(plan(Regime::OimlR87_2004, 99, false, None).is_err());
    assert!(plan(Regime::China2005, 99, false, None).is_ok());
}

fn lot(values: &[i32]) -> Vec<f64> {
    values
        .iter()
        .map(|&v| 500.0 + f64::from(v) / 10.0)
        .collect()
}

proptest! {
    #[test]
    fn batch_equals_one_by_one(devs in prop::collection::vec(-300i32..200, 30 * 6)) {
        let s = Settings::new(Regime::China2005);
        let values = lot(&devs);
        // six lots: of 30 packages (n = 10) and of 300 (n = 50)
        let sizes = [30u64, 300, 30, 30, 300, 30];
        let per = [10usize, 50, 10, 10, 50, 10];
        let mut offsets = vec![0usize];
        for k in per { offsets.push(offsets.last().unwrap() + k); }
        let values = &values[..*offsets.last().unwrap()];
        let nominal = vec![500.0; 6];
        let batch = decide_lots(values, &offsets, &nominal, &sizes, None, &s).unwrap();
        for i in 0..6 {
            let one = decide(&[&values[offsets[i]..offsets[i + 1]]], 500.0, sizes[i], Tare::None, &s).unwrap();
            prop_assert_eq!(&batch[i], &one);
        }
    }

    #[test]
    fn heavier_packages_never_hurt(devs in prop::collection::vec(-300i32..200, 50), shift in 1i32..40) {
        let s = Settings::new(Regime::OimlR87_2004);
        let x = lot(&devs);
        let heavier: Vec<f64> = x.iter().map(|v| v + f64::from(shift) / 10.0).collect();
        let a = decide(&[&x], 500.0, 300, Tare::None, &s).unwrap();
        let b = decide(&[&heavier], 500.0, 300, Tare::None, &s).unwrap();
        prop_assert!(b.t1 <= a.t1 && b.t2 <= a.t2);
        prop_assert!(!(a.verdict == Outcome::Accept && b.verdict != Outcome::Accept));
    }
}

#[cfg(feature = "serde")]
#[test]
fn plans_and_decisions_round_trip_through_json() {
    let p = plan(Regime::Eu, 1000, false, None).unwrap();
    let json = serde_json::to_string(&p).unwrap();
    assert_eq!(
        json,
        r#"{"regime":"eu","lot_size":1000,"destructive":false,"kind":"double"}"#
    );
    let back: qualstat::net_content::NetContentPlan = serde_json::from_str(&json).unwrap();
    assert_eq!(back, p);
    // a plan the tables do not have is refused on the way in
    let bad = r#"{"regime":"china_2005","lot_size":1000,"destructive":false,"kind":"double"}"#;
    let err = serde_json::from_str::<qualstat::net_content::NetContentPlan>(bad).unwrap_err();
    assert!(err.to_string().contains("kind"), "{err}");
    let s = Settings::new(Regime::Eu);
    let d = decide(&[&TIE_20[..]], 500.0, 50, Tare::None, &s);
    assert!(d.is_err()); // a lot of 50 is inspected completely: 50 packages needed
    let x = [500.0; 30];
    let d = decide(&[&x[..]], 500.0, 300, Tare::None, &s).unwrap();
    let back: qualstat::net_content::LotDecision =
        serde_json::from_str(&serde_json::to_string(&d).unwrap()).unwrap();
    assert_eq!(back, d);
}
