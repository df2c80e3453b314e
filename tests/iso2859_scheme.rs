//! Switching rules and the scheme OC of ISO 2859-1 / ANSI Z1.4.

use qualstat::plan::{AttributePlan, Model, Outcome};
use qualstat::standards::iso2859_1::{
    plan, scheme_oc, scheme_oc_curve, Edition, Inspection, Kind, Level, Lookup, Scheme, State,
};

const LOT: u64 = 1000; // code J at level II

/// A count that rejects under the current plan (its rejection number).
fn reject(s: &Scheme) -> u64 {
    s.current_plan(LOT).unwrap().plan.re()[0]
}

#[test]
fn two_of_five_not_accepted_tightens() {
    let mut s = Scheme::new(1.0, Level::II, Kind::Single, Edition::Iso1999).unwrap();
    // R A A A A R: the last five lots hold one rejection -> still normal.
    for d in [reject(&s), 0, 0, 0, 0] {
        s.inspect(LOT, &[d]).unwrap();
    }
    let r = s.inspect(LOT, &[reject(&s)]).unwrap();
    assert_eq!(r.decision.outcome, Outcome::Reject);
    assert_eq!(s.state(), State::Normal);
    // ... A A A R: two rejections within five lots -> tightened.
    for d in [0, 0, 0] {
        s.inspect(LOT, &[d]).unwrap();
    }
    let r = s.inspect(LOT, &[reject(&s)]).unwrap();
    assert_eq!((r.state, r.state_after), (State::Normal, State::Tightened));
    // Tightened J @ 1.0: Table II-B.
    let t = s.current_plan(LOT).unwrap();
    assert_eq!(t.table, "ISO 2859-1:1999 Table 2-B");
    assert_eq!(t.plan.n()[0], 80);
    // Five accepted lots -> back to normal.
    for i in 0..5 {
        let r = s.inspect(LOT, &[0]).unwrap();
        assert_eq!(
            r.state_after,
            if i < 4 {
                State::Tightened
            } else {
                State::Normal
            }
        );
    }
}

#[test]
fn five_not_accepted_on_tightened_discontinues() {
    let mut s = Scheme::new(1.0, Level::II, Kind::Single, Edition::Z14).unwrap();
    s.inspect(LOT, &[reject(&s)]).unwrap();
    s.inspect(LOT, &[reject(&s)]).unwrap();
    assert_eq!(s.state(), State::Tightened);
    // Accepted lots in between do not reset the count of rejections.
    for d in [reject(&s), 0, reject(&s), reject(&s), 0, reject(&s)] {
        s.inspect(LOT, &[d]).unwrap();
    }
    assert_eq!(s.state(), State::Tightened);
    let r = s.inspect(LOT, &[reject(&s)]).unwrap();
    assert_eq!(r.state_after, State::Discontinued);
    assert!(s.inspect(LOT, &[0]).is_err());
    s.resume();
    assert_eq!(s.state(), State::Tightened);
}

#[test]
fn z14_ten_accepted_lots_reduce_and_gap_reinstates_normal() {
    let mut s = Scheme::new(1.0, Level::II, Kind::Single, Edition::Z14).unwrap();
    for i in 0..10 {
        let r = s.inspect(LOT, &[1]).unwrap();
        assert_eq!(
            r.state_after,
            if i < 9 { State::Normal } else { State::Reduced }
        );
        assert_eq!(r.switching_score, None);
    }
    let red = s.current_plan(LOT).unwrap();
    assert_eq!(red.table, "ANSI Z1.4 Table II-C");
    let (ac, re) = (red.plan.ac()[0] as u64, red.plan.re()[0]);
    assert!(re > ac + 1, "Z1.4 reduced J@1.0 has a gap: {}", red.plan);
    // Ac < d < Re: accepted, normal reinstated.
    let r = s.inspect(LOT, &[ac + 1]).unwrap();
    assert_eq!(r.decision.outcome, Outcome::Accept);
    assert!(r.decision.reinstate_normal);
    assert_eq!(r.state_after, State::Normal);
}

#[test]
fn iso1999_switching_score() {
    // J @ 1.0 normal: n = 80, Ac 2. One step tighter (0.65): Ac 1.
    let mut s = Scheme::new(1.0, Level::II, Kind::Single, Edition::Iso1999).unwrap();
    let r = s.inspect(LOT, &[1]).unwrap();
    assert_eq!(r.switching_score, Some(3));
    // Accepted with d = 2 (> Ac at 0.65): score reset to 0.
    let r = s.inspect(LOT, &[2]).unwrap();
    assert_eq!(r.switching_score, Some(0));
    for i in 1..=10 {
        let r = s.inspect(LOT, &[0]).unwrap();
        assert_eq!(r.switching_score, Some(3 * i));
        assert_eq!(
            r.state_after,
            if i < 10 {
                State::Normal
            } else {
                State::Reduced
            }
        );
    }
    // ISO 1999 reduced plans: Table 2-C, no gap.
    let red = s.current_plan(LOT).unwrap();
    assert_eq!(red.table, "ISO 2859-1:1999 Table 2-C");
    assert!(!red.plan.has_final_gap());
    // A lot not accepted on reduced -> normal, score restarts at 0.
    s.inspect(LOT, &[red.plan.re()[0]]).unwrap();
    assert_eq!((s.state(), s.switching_score()), (State::Normal, 0));

    // Ac 0 or 1 (J @ 0.65: Ac 1): +2 per accepted lot, 15 lots to reduce.
    let mut s = Scheme::new(0.65, Level::II, Kind::Single, Edition::Iso1999).unwrap();
    for i in 1..=15 {
        let r = s.inspect(LOT, &[1]).unwrap();
        assert_eq!(r.switching_score, Some(2 * i));
    }
    assert_eq!(s.state(), State::Reduced);
}

#[test]
fn run_over_a_sequence_and_bad_input() {
    let mut s = Scheme::new(2.5, Level::II, Kind::Single, Edition::Z14).unwrap();
    let hist = s.run(&[500, 500, 800, 800], &[[0], [9], [9], [0]]).unwrap();
    assert_eq!(hist.len(), 4);
    assert_eq!(hist[0].plan.code_letter, 'H');
    assert_eq!(hist[2].state_after, State::Tightened);
    assert_eq!(hist[3].state, State::Tightened);
    assert!(s.run(&[500], &[[0], [1]]).is_err());
    assert!(s.run(&[1], &[[0]]).is_err());
    let e = s.run(&[500], &[[1000]]).unwrap_err().to_string();
    assert!(e.contains("lots[0]"), "{e}");
    assert!(Scheme::new(0.3, Level::II, Kind::Single, Edition::Z14).is_err());
    assert!(Scheme::new(1.0, Level::II, Kind::Double, Edition::Iso1999).is_err());
    assert!("mil".parse::<Edition>().is_err());
    // Double sampling under Z1.4: a lot needs the counts of every stage drawn.
    let mut s = Scheme::new(1.0, Level::II, Kind::Double, Edition::Z14).unwrap();
    let first = s.current_plan(LOT).unwrap();
    assert_eq!(first.kind, Kind::Double);
    let undecided = (first.plan.ac()[0] + 1) as u64;
    assert!(s.inspect(LOT, &[undecided]).is_err());
    assert!(s.inspect(LOT, &[undecided, 0]).is_ok());
}

/// Stephens & Larson (1967), written directly from the a, b formula.
fn stephens_larson(pn: f64, pt: f64) -> f64 {
    let a = (2.0 - pn.powi(4)) / ((1.0 - pn) * (1.0 - pn.powi(4)));
    let b = (1.0 - pt.powi(5)) / ((1.0 - pt) * pt.powi(5));
    (a * pn + b * pt) / (a + b)
}

#[test]
fn scheme_oc_formula() {
    for (pn, pt) in [
        (0.99, 0.95),
        (0.9, 0.7),
        (0.5, 0.2),
        (0.3, 0.3),
        (0.95, 0.6),
    ] {
        let v = scheme_oc(pn, pt).unwrap();
        let want = stephens_larson(pn, pt);
        assert!((v - want).abs() <= 1e-13 * want, "{pn} {pt}: {v} vs {want}");
        assert!(pt - 1e-15 <= v && v <= pn + 1e-15);
    }
    assert_eq!(scheme_oc(1.0, 0.9).unwrap(), 1.0);
    assert_eq!(scheme_oc(0.5, 0.0).unwrap(), 0.0);
    assert!(scheme_oc(1.0, 0.0).is_err());
    assert!(scheme_oc(1.2, 0.5).is_err());
    assert!(scheme_oc(f64::NAN, 0.5).is_err());

    let look = |i| {
        plan(&Lookup::new(1.0).code('J').inspection(i))
            .unwrap()
            .plan
    };
    let (n, t): (AttributePlan, AttributePlan) =
        (look(Inspection::Normal), look(Inspection::Tightened));
    let p = [0.005, 0.01, 0.03];
    let curve = scheme_oc_curve(&n, &t, &p, Model::Binomial, None).unwrap();
    for (i, &q) in p.iter().enumerate() {
        let pn = n.prob_accept(q, Model::Binomial, None).unwrap();
        let pt = t.prob_accept(q, Model::Binomial, None).unwrap();
        assert!((curve[i] - stephens_larson(pn, pt)).abs() < 1e-12);
    }
}

#[test]
fn run_returns_the_history_up_to_discontinued() {
    let mut s = Scheme::new(1.0, Level::II, Kind::Single, Edition::Z14).unwrap();
    let hist = s.run(&[LOT; 10], &[[9]; 10]).unwrap();
    // Two rejections tighten; five more on tightened discontinue (lot 7).
    assert_eq!(hist.len(), 7);
    assert_eq!(hist[6].state_after, State::Discontinued);
    assert!(hist[..6]
        .iter()
        .all(|r| r.state_after != State::Discontinued));
    assert_eq!(s.state(), State::Discontinued);
}

#[test]
fn run_takes_per_stage_counts_for_double_plans() {
    let mut s = Scheme::new(1.0, Level::II, Kind::Double, Edition::Z14).unwrap();
    // J @ 1.0 double: n = 50 + 50, (Ac1, Re1) = (0, 3), (Ac2, Re2) = (3, 4).
    let counts: [&[u64]; 3] = [&[0], &[1, 1], &[3]];
    let hist = s.run(&[LOT; 3], &counts).unwrap();
    let outcomes: Vec<_> = hist.iter().map(|r| r.decision.outcome).collect();
    assert_eq!(
        outcomes,
        [Outcome::Accept, Outcome::Accept, Outcome::Reject]
    );
    assert_eq!(hist[1].decision.stage, 2);
    let e = s.run(&[LOT], &[[1]]).unwrap_err().to_string();
    assert!(e.contains("lots[0].counts"), "{e}");
}

#[test]
fn one_edition_option_with_aliases() {
    for name in [
        "iso1999",
        "GB2828",
        "gbt2828.1",
        "ISO2859-1-1999",
        "GB/T 2828.1",
    ] {
        assert_eq!(name.parse::<Edition>(), Ok(Edition::Iso1999), "{name}");
    }
    assert_eq!("Z1.4".parse::<Edition>().ok(), None);
    assert_eq!("ANSI-Z1.4".parse::<Edition>(), Ok(Edition::Z14));
    // The lookup's default edition is the scheme's: the plan printed is the plan applied.
    let s = Scheme::new(1.0, Level::II, Kind::Single, Edition::Z14).unwrap();
    assert_eq!(s.edition(), Lookup::new(1.0).tables.edition);
}

#[test]
fn lookups_refuse_conflicts_and_fractions() {
    let e = plan(&Lookup::new(1.0).lot_size(1000).code('K'))
        .unwrap_err()
        .to_string();
    assert!(e.contains("code = K") && e.contains("J"), "{e}");
    assert!(plan(&Lookup::new(1.0).lot_size(1000).code('J')).is_ok());
    let e = plan(&Lookup::new(0.0065).code('J'))
        .unwrap_err()
        .to_string();
    assert!(e.contains("AQL is in percent here: 0.65"), "{e}");
    let p = plan(&Lookup::new(0.65).code('J')).unwrap();
    assert_eq!((p.aql, p.aql_fraction), ("0.65", 0.0065));
}
