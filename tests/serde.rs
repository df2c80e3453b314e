//! The `serde` feature: plans and results round-trip through JSON, options
//! are written as their names, and a plan read from JSON is checked like one
//! built in code.
#![cfg(feature = "serde")]

use qualstat::plan::{AttributePlan, Model};
use qualstat::proportion::{proportion_ci, Bound, Method};
use qualstat::standards::iso2859_1::{plan, Inspection, Lookup};
use qualstat::variables::{Method as VMethod, VariablesPlan};

#[test]
fn attribute_plans_round_trip_and_are_checked_on_the_way_in() {
    let p = AttributePlan::double(80, 1, 4, 80, 4).unwrap();
    let json = serde_json::to_string(&p).unwrap();
    assert_eq!(json, r#"{"n":[80,80],"ac":[1,4],"re":[4,5]}"#);
    let back: AttributePlan = serde_json::from_str(&json).unwrap();
    assert_eq!(back, p);
    assert_eq!(
        back.prob_accept(0.02, Model::Binomial, None).unwrap(),
        p.prob_accept(0.02, Model::Binomial, None).unwrap()
    );
    // ac >= re is refused with the constructor's own message.
    let err = serde_json::from_str::<AttributePlan>(r#"{"n":[50],"ac":[3],"re":[2]}"#)
        .unwrap_err()
        .to_string();
    assert!(err.contains("re"), "{err}");
}

#[test]
fn variables_plans_round_trip_and_are_checked_on_the_way_in() {
    let p = VariablesPlan::new(10, 1.72, VMethod::S, None).unwrap();
    let json = serde_json::to_string(&p).unwrap();
    assert!(json.contains(r#""method":"s""#), "{json}");
    let back: VariablesPlan = serde_json::from_str(&json).unwrap();
    assert_eq!(back, p);
    let bad = json.replace(r#""n":10"#, r#""n":0"#);
    assert!(serde_json::from_str::<VariablesPlan>(&bad).is_err());
}

#[test]
fn options_are_written_as_names_and_read_in_any_case() {
    assert_eq!(
        serde_json::to_string(&Inspection::Tightened).unwrap(),
        r#""tightened""#
    );
    let i: Inspection = serde_json::from_str(r#""Tightened""#).unwrap();
    assert_eq!(i, Inspection::Tightened);
    let err = serde_json::from_str::<Inspection>(r#""loose""#)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("inspection") && err.contains("normal"),
        "{err}"
    );
}

#[test]
fn results_serialize_with_their_fields() {
    let ci = proportion_ci(57, 60, 0.95, Method::Wilson, Bound::TwoSided).unwrap();
    let v: serde_json::Value = serde_json::to_value(ci).unwrap();
    assert_eq!(v["lower"].as_f64().unwrap(), ci.lower);
    assert_eq!(v["upper"].as_f64().unwrap(), ci.upper);
    let looked_up = plan(&Lookup::new(1.0).lot_size(2000)).unwrap();
    let v = serde_json::to_value(&looked_up).unwrap();
    assert_eq!(v["code_letter"], "K");
    assert_eq!(v["plan"]["n"], serde_json::json!([125]));
    assert_eq!(v["table"], "ANSI Z1.4 Table II-A");
}
