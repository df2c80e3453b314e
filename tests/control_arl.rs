//! Run lengths of control charts (`qualstat::control::arl`) against the
//! published tables of `reference/tables/arl_published.csv`, closed-form
//! identities, Brook & Evans's Markov chain, and invariants (proptest).

mod common;

use proptest::prelude::*;
use qualstat::control::arl::*;
use qualstat::control::rules::{Rule, RuleSet};
use qualstat::numerics::normal;

fn we(numbers: &[i64]) -> Vec<Rule> {
    numbers
        .iter()
        .map(|&n| Rule::standard(RuleSet::WesternElectric, n).unwrap())
        .collect()
}

fn param(params: &str, name: &str) -> f64 {
    params
        .split(';')
        .find_map(|kv| kv.strip_prefix(&format!("{name}=")))
        .unwrap_or_else(|| panic!("{name} missing in {params}"))
        .parse()
        .unwrap()
}

fn within(got: f64, want: f64, tol: &str) -> bool {
    match tol.strip_prefix("rel ") {
        Some(rel) => (got / want - 1.0).abs() <= rel.parse::<f64>().unwrap(),
        None => (got - want).abs() <= tol.parse::<f64>().unwrap() + 1e-12,
    }
}

#[test]
fn published_tables_are_reproduced_at_their_printed_precision() {
    let rows = common::read_csv("arl_published.csv");
    assert_eq!(rows.len(), 187);
    let mut checked = 0;
    for r in &rows {
        let (params, tol) = (r["params"].as_str(), r["tol"].as_str());
        let want: f64 = r["value"].parse().unwrap();
        let state: State = r["state"].parse().unwrap();
        let shift = || r["shift"].parse::<f64>().unwrap();
        let got = match r["chart"].as_str() {
            "shewhart" => {
                let set = params
                    .split(';')
                    .next()
                    .unwrap()
                    .trim_start_matches("rules=we:");
                let numbers: Vec<i64> = set.split('+').map(|n| n.parse().unwrap()).collect();
                Shewhart::new(&we(&numbers), param(params, "L"), 1)
                    .unwrap()
                    .arl(shift(), state)
                    .unwrap()
            }
            "cusum" => {
                let sides = Sides::from_count(param(params, "sides") as i64).unwrap();
                Cusum::new(
                    param(params, "k"),
                    param(params, "h"),
                    param(params, "head_start"),
                    sides,
                )
                .unwrap()
                .arl(shift(), state)
                .unwrap()
            }
            "ewma" => Ewma::new(param(params, "lam"), param(params, "L"))
                .unwrap()
                .arl(shift(), state)
                .unwrap(),
            "ewma_L" => ewma_l(param(params, "lam"), param(params, "arl0")).unwrap(),
            other => panic!("unknown chart {other}"),
        };
        let ok = within(got, want, tol);
        if r["note"].contains("typo") {
            assert!(!ok, "the flagged typo now matches: {r:?} got {got}");
        } else {
            assert!(
                ok,
                "{} {params} shift {}: got {got}, printed {want} (tol {tol})",
                r["source"], r["shift"]
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 186);
}

#[test]
fn three_sigma_shewhart_in_control_arl_is_the_closed_form() {
    let s = Shewhart::new(&we(&[1]), 3.0, 1).unwrap();
    let want = 1.0 / (2.0 * normal::cdf(-3.0));
    let got = s.arl(0.0, State::Zero).unwrap();
    assert!((got / want - 1.0).abs() < 1e-12, "{got} {want}");
    // Any shift, subgroups of 4: 1/P(signal) with the mean at 2δ.
    let s4 = Shewhart::new(&we(&[1]), 2.5, 4).unwrap();
    let d = 0.7;
    let p = normal::cdf(-2.5 - 2.0 * d) + normal::sf(2.5 - 2.0 * d);
    let got = s4.arl(d, State::Zero).unwrap();
    assert!((got * p - 1.0).abs() < 1e-12, "{got} {}", 1.0 / p);
    // A memoryless chart: steady state = zero state.
    assert!((s4.arl(d, State::Steady).unwrap() * p - 1.0).abs() < 1e-11);
}

#[test]
fn a_run_of_k_on_one_side_alone_has_arl0_two_to_the_k_minus_one() {
    for k in [2usize, 5, 8, 9, 12] {
        let rule = Rule::standard(RuleSet::WesternElectric, 4)
            .unwrap()
            .with("count", k as f64)
            .unwrap();
        let got = Shewhart::new(&[rule], 3.0, 1)
            .unwrap()
            .arl(0.0, State::Zero)
            .unwrap();
        let want = 2f64.powi(k as i32) - 1.0;
        assert!((got / want - 1.0).abs() < 1e-12, "k {k}: {got} {want}");
    }
}

#[test]
fn a_run_of_k_inside_a_band_alone_has_the_band_identity() {
    // (1 − p^k)/((1 − p) p^k), p = P(|Z| <= a) (spc_notes.md §5).
    for (k, a) in [(15usize, 1.0), (6, 0.5), (20, 1.5)] {
        let rule = Rule::standard(RuleSet::Nelson, 7)
            .unwrap()
            .with("count", k as f64)
            .unwrap()
            .with("sigmas", a)
            .unwrap();
        let got = Shewhart::new(&[rule], 3.0, 1)
            .unwrap()
            .arl(0.0, State::Zero)
            .unwrap();
        let p = 1.0 - 2.0 * normal::cdf(-a);
        let pk = p.powi(k as i32);
        let want = (1.0 - pk) / ((1.0 - p) * pk);
        assert!(
            (got / want - 1.0).abs() < 1e-11,
            "k {k} a {a}: {got} {want}"
        );
    }
}

#[test]
fn trend_and_alternating_rules_are_refused_with_a_clear_error() {
    for n in [3, 4] {
        let r = vec![Rule::standard(RuleSet::Nelson, n).unwrap()];
        let e = Shewhart::new(&r, 3.0, 1).unwrap_err().to_string();
        assert!(e.contains("trend and alternating"), "{e}");
    }
}

#[test]
fn the_integral_equation_agrees_with_brook_and_evans_extrapolated() {
    // The Markov chain's error is c/m² + O(1/m⁴): Richardson on m, 2m.
    for (shift, k, h, s) in [
        (0.0, 0.5, 4.0, 0.0),
        (1.0, 0.5, 4.0, 2.0),
        (-0.5, 0.25, 5.0, 0.0),
    ] {
        let ie = Cusum::new(k, h, s, Sides::One)
            .unwrap()
            .arl(shift, State::Zero)
            .unwrap();
        let a = cusum_arl_markov(shift, k, h, s, 400).unwrap();
        let b = cusum_arl_markov(shift, k, h, s, 800).unwrap();
        let rich = (4.0 * b - a) / 3.0;
        assert!(
            (rich / ie - 1.0).abs() < 2e-5,
            "{shift} {k} {h}: ie {ie} mc {a} {b} rich {rich}"
        );
        assert!((b / ie - 1.0).abs() < (a / ie - 1.0).abs() + 1e-12);
    }
}

#[test]
fn design_solvers_invert_the_arl() {
    for (k, arl0, sides) in [
        (0.5, 370.0, Sides::Two),
        (0.25, 500.0, Sides::One),
        (1.0, 1e4, Sides::Two),
    ] {
        let h = cusum_h(k, arl0, sides, 0.0).unwrap();
        let got = Cusum::new(k, h, 0.0, sides)
            .unwrap()
            .arl(0.0, State::Zero)
            .unwrap();
        assert!(
            (got / arl0 - 1.0).abs() < 1e-8,
            "{k} {arl0}: h {h} arl {got}"
        );
    }
    for (lam, arl0) in [(0.1, 500.0), (0.05, 250.0), (1.0, 370.4)] {
        let l = ewma_l(lam, arl0).unwrap();
        let got = Ewma::new(lam, l).unwrap().arl(0.0, State::Zero).unwrap();
        assert!(
            (got / arl0 - 1.0).abs() < 1e-8,
            "{lam} {arl0}: L {l} arl {got}"
        );
    }
    // λ = 1 is the Shewhart chart: L with 1/(2Φ(−L)) = arl0.
    let l = ewma_l(1.0, 500.0).unwrap();
    assert!((l - normal::isf(1.0 / 1000.0)).abs() < 1e-8, "{l}");
}

#[test]
fn the_optimal_ewma_beats_its_neighbours() {
    let d = ewma_optimal(1.0, 500.0).unwrap();
    assert!(
        (Ewma::new(d.lam, d.l)
            .unwrap()
            .arl(0.0, State::Zero)
            .unwrap()
            / 500.0
            - 1.0)
            .abs()
            < 1e-8
    );
    for f in [0.7, 1.4] {
        let lam = d.lam * f;
        let l = ewma_l(lam, 500.0).unwrap();
        let other = Ewma::new(lam, l).unwrap().arl(1.0, State::Zero).unwrap();
        assert!(other > d.arl1, "lam {lam}: {other} <= {}", d.arl1);
    }
}

#[test]
fn run_length_distribution_is_consistent_with_the_arl() {
    let e = Ewma::new(0.2, 2.86).unwrap();
    let rl = e.run_length(0.5, State::Zero, 1e-13, 100_000).unwrap();
    // ARL = Σ_{t>=0} P(RL > t).
    let sum: f64 = rl.survival.iter().sum();
    assert!((sum / rl.arl - 1.0).abs() < 1e-9, "{sum} {}", rl.arl);
    // E[RL²] = Σ (2t + 1) P(RL > t).
    let m2: f64 = rl
        .survival
        .iter()
        .enumerate()
        .map(|(t, s)| (2 * t + 1) as f64 * s)
        .sum();
    let sd = (m2 - sum * sum).sqrt();
    assert!((sd / rl.sdrl - 1.0).abs() < 1e-7, "{sd} {}", rl.sdrl);
    let med = rl.quantile(0.5).unwrap();
    assert!(rl.survival[med] <= 0.5 && rl.survival[med - 1] > 0.5);
}

#[test]
fn bad_arguments_name_themselves() {
    let msg = |e: qualstat::Error| e.to_string();
    assert!(msg(Cusum::new(-0.1, 4.0, 0.0, Sides::Two).unwrap_err()).starts_with("k = -0.1"));
    assert!(msg(Cusum::new(0.5, 0.0, 0.0, Sides::Two).unwrap_err()).starts_with("h = 0"));
    assert!(msg(Cusum::new(0.5, f64::NAN, 0.0, Sides::Two).unwrap_err()).starts_with("h = NaN"));
    assert!(msg(Cusum::new(0.5, 4.0, 4.0, Sides::One).unwrap_err()).starts_with("head_start = 4"));
    assert!(msg(Cusum::new(0.5, 4.0, 3.0, Sides::Two).unwrap_err()).contains("h/2 + k"));
    assert!(msg(Sides::from_count(3).unwrap_err()).starts_with("sides = 3"));
    assert!(msg(Ewma::new(0.0, 3.0).unwrap_err()).starts_with("lam = 0"));
    assert!(msg(Ewma::new(0.2, -1.0).unwrap_err()).starts_with("L = -1"));
    assert!(
        msg(cusum_arl(&[0.0, f64::NAN], 0.5, 4.0, 0.0, Sides::Two, State::Zero).unwrap_err())
            .starts_with("shift[1] = NaN")
    );
    assert!(msg(cusum_h(0.5, 1.0, Sides::Two, 0.0).unwrap_err()).starts_with("arl0 = 1"));
    assert!(msg(ewma_l(0.2, f64::INFINITY).unwrap_err()).starts_with("arl0 = inf"));
    assert!(msg(ewma_optimal(0.0, 500.0).unwrap_err()).starts_with("shift = 0"));
    assert!(Shewhart::new(&[], 3.0, 1).is_err());
    assert!(Shewhart::new(&we(&[1]), 3.0, 0).is_err());
    assert!(Cusum::new(0.5, 4.0, 0.0, Sides::Two)
        .unwrap()
        .arl(0.0, State::Steady)
        .is_err());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn cusum_arl_falls_with_the_shift_and_rises_with_h(
        k in 0.0f64..1.5, h in 0.5f64..8.0, d in 0.0f64..3.0, dd in 0.05f64..1.0,
    ) {
        let c = Cusum::new(k, h, 0.0, Sides::One).unwrap();
        let a = c.arl(d, State::Zero).unwrap();
        prop_assert!(c.arl(d + dd, State::Zero).unwrap() < a);
        let c2 = Cusum::new(k, h * 1.1, 0.0, Sides::One).unwrap();
        prop_assert!(c2.arl(d, State::Zero).unwrap() > a);
        // Two-sided: symmetric in the shift.
        let t = Cusum::new(k, h, 0.0, Sides::Two).unwrap();
        let (p, m) = (t.arl(d, State::Zero).unwrap(), t.arl(-d, State::Zero).unwrap());
        prop_assert!((p / m - 1.0).abs() < 1e-12);
    }

    #[test]
    fn ewma_arl_is_symmetric_and_at_least_one(
        lam in 0.02f64..1.0, l in 1.0f64..3.5, d in 0.0f64..4.0,
    ) {
        let e = Ewma::new(lam, l).unwrap();
        let (p, m) = (e.arl(d, State::Zero).unwrap(), e.arl(-d, State::Zero).unwrap());
        prop_assert!((p / m - 1.0).abs() < 1e-10);
        prop_assert!(p >= 1.0);
        prop_assert!(e.arl(d, State::Steady).unwrap() >= 1.0);
    }
}
