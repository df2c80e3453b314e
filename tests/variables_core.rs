//! Variables plans: estimates, OC, decisions and design against values
//! computed outside the crate (scipy) and published worked examples.

use proptest::prelude::*;
use qualstat::numerics::summary::Moments;
use qualstat::plan::Outcome;
use qualstat::variables::{
    design_variables_plan, p_hat_s, p_hat_sigma, wallis_prob_accept, Acceptance, Control,
    DecisionColumns, Method, VariablesDecision, VariablesPlan,
};
use qualstat::Error;

fn close(got: f64, want: f64, rel: f64) -> bool {
    (got - want).abs() <= rel * want.abs().max(1e-300)
}

// (n, k, p, s-method P_a, sigma-method P_a).
// s: scipy.stats.nct(n-1, norm.isf(p)*sqrt(n)).sf(k*sqrt(n));
// sigma: norm.cdf(sqrt(n)*(norm.isf(p)-k)); /work/main/.venv/bin/python, scipy 1.x.
const OC_REF: &[(u64, f64, f64, f64, f64)] = &[
    (
        5,
        1.53,
        0.01,
        0.898_317_047_416_735_8,
        0.962_518_281_071_933_8,
    ),
    (
        10,
        1.72,
        0.02,
        0.774_930_907_867_967_7,
        0.854_380_325_557_800_6,
    ),
    (
        35,
        2.03,
        0.005,
        0.968_185_142_713_033_9,
        0.999_379_249_011_027_6,
    ),
    (3, 1.12, 0.1, 0.655_620_587_782_471, 0.610_190_477_872_989_7),
    (
        200,
        2.18,
        0.0065,
        0.990_208_219_770_138_3,
        0.999_991_302_524_995_4,
    ),
    (
        50,
        2.22,
        0.001,
        0.999_399_750_129_784_2,
        0.999_999_999_620_975_3,
    ),
    (
        7,
        0.955,
        0.3,
        0.200_183_937_428_601_85,
        0.127_297_538_884_708_96,
    ),
];

#[test]
fn oc_matches_scipy_noncentral_t_and_normal() {
    for &(n, k, p, s_ref, sigma_ref) in OC_REF {
        let s = VariablesPlan::new(n, k, Method::S, None).unwrap();
        let sig = VariablesPlan::new(n, k, Method::Sigma, None).unwrap();
        let got_s = s.prob_accept(p).unwrap();
        let got_sig = sig.prob_accept(p).unwrap();
        assert!(
            close(got_s, s_ref, 1e-11),
            "s {n} {k} {p}: {got_s} vs {s_ref}"
        );
        assert!(
            close(got_sig, sigma_ref, 1e-12),
            "sigma {n} {k} {p}: {got_sig} vs {sigma_ref}"
        );
        assert_eq!(s.asn(), n);
    }
    let s = VariablesPlan::new(10, 1.72, Method::S, None).unwrap();
    assert_eq!(s.prob_accept(0.0).unwrap(), 1.0);
    assert_eq!(s.prob_accept(1.0).unwrap(), 0.0);
    let many = s.prob_accept_many(&[0.0, 0.02, 1.0]).unwrap();
    assert!(close(many[1], OC_REF[1].3, 1e-9));
    for bad in [f64::NAN, -0.1, 1.1] {
        assert!(s.prob_accept(bad).is_err());
        assert!(s.prob_accept_many(&[0.1, bad]).is_err());
    }
}

#[test]
fn wallis_approximation_is_close_to_exact_for_large_n() {
    let plan = VariablesPlan::new(100, 2.0, Method::S, None).unwrap();
    let exact = plan.prob_accept(0.01).unwrap();
    let approx = wallis_prob_accept(&plan, 0.01).unwrap();
    assert!((exact - approx).abs() < 0.01, "{exact} {approx}");
    // scipy: norm.cdf(10*(norm.isf(0.01)-2)/sqrt(3)).
    assert!(close(approx, 0.970_229_030_212_761_1, 1e-9), "{approx}");
}

// (q, n, s-method p̂, sigma-method p̂): scipy.special.betainc(n/2-1, n/2-1,
// clip(0.5-0.5*q*sqrt(n)/(n-1), 0, 1)) and norm.cdf(-q*sqrt(n/(n-1))).
const PHAT_REF: &[(f64, u64, f64, f64)] = &[
    (
        1.59,
        5,
        0.021_870_903_529_378_892,
        0.037_728_702_680_067_075,
    ),
    (0.5, 10, 0.313_669_318_467_793_8, 0.299_080_726_341_764_1),
    (
        2.5,
        35,
        0.004_506_636_171_183_929,
        0.005_598_364_622_082_306,
    ),
    (-0.3, 7, 0.611_309_227_437_048_6, 0.627_045_002_097_311_3),
    (1.0, 200, 0.158_657_541_414_052_5, 0.158_048_811_014_456_28),
    (3.0, 3, 0.0, 0.000_119_281_727_014_354_94),
];

#[test]
fn estimates_match_scipy() {
    for &(q, n, s_ref, sig_ref) in PHAT_REF {
        let s = p_hat_s(q, n).unwrap();
        let g = p_hat_sigma(q, n).unwrap();
        assert!(
            close(s, s_ref, 1e-11) || (s_ref == 0.0 && s == 0.0),
            "{q} {n}: {s} vs {s_ref}"
        );
        assert!(close(g, sig_ref, 1e-12), "{q} {n}: {g} vs {sig_ref}");
    }
    assert!(p_hat_s(f64::NAN, 5).is_err());
    assert!(p_hat_s(1.0, 2).is_err());
    assert!(p_hat_sigma(1.0, 1).is_err());
}

/// ANSI/ASQ Z1.9 (and MIL-STD-414) worked example, form 2, upper limit:
/// maximum temperature 209 °F, code D (n = 5), AQL 1 %, readings 197, 188,
/// 184, 205, 201: x̄ = 195, s = 8.80, Q_U = 1.59, p̂_U = 2.19 % (from the
/// rounded Q_U), M = 3.33 % (Table B-3): accept. Form 1 with k = 1.53: accept.
#[test]
fn z19_worked_example() {
    let x = [197.0, 188.0, 184.0, 205.0, 201.0];
    let plan = VariablesPlan::with_k_and_m(5, 1.53, 0.0333, Method::S, None).unwrap();
    let d = plan
        .decide(&x, None, Some(209.0), Control::Combined)
        .unwrap();
    assert_eq!(d.outcome, Outcome::Accept);
    assert_eq!(d.mean, 195.0);
    assert!((d.sd - 8.80).abs() < 0.005);
    assert!((d.q_upper.unwrap() - 1.59).abs() < 0.005);
    // p̂ at the printed Q_U = 1.59 is 2.19 % at printed precision.
    assert!((p_hat_s(1.59, 5).unwrap() - 0.0219).abs() < 0.00005);
    assert!(d.p_upper.unwrap() < 0.0333);
    assert_eq!(d.q_lower, None);
    assert_eq!(d.p_hat, d.p_upper.unwrap());
}

#[test]
fn m_and_k_are_inverse_maps() {
    for method in [Method::S, Method::Sigma] {
        for &(n, k) in &[(3u64, 1.12), (5, 1.53), (35, 2.03), (200, 2.5), (4, 0.3)] {
            let p = VariablesPlan::new(n, k, method, None).unwrap();
            let back = VariablesPlan::m_form(n, p.m(), method, None).unwrap();
            assert!(close(back.k(), k, 1e-9), "{method:?} {n} {k}: {}", back.k());
        }
    }
    // M from k for n = 5, k = 1.53: scipy
    // betainc(1.5, 1.5, 0.5 - 0.5*1.53*sqrt(5)/4) = 0.032312166363425474.
    let p = VariablesPlan::new(5, 1.53, Method::S, None).unwrap();
    assert!(close(p.m(), 0.032_312_166_363_425_474, 1e-11), "{}", p.m());
}

#[test]
fn two_limits_combined_and_separate() {
    let x = [9.8, 10.1, 10.0, 10.3, 9.9, 10.2, 10.0];
    let plan = VariablesPlan::new(7, 1.33, Method::S, None).unwrap();
    let c = plan
        .decide(&x, Some(9.5), Some(10.5), Control::Combined)
        .unwrap();
    let pl = c.p_lower.unwrap();
    let pu = c.p_upper.unwrap();
    assert!(close(c.p_hat, pl + pu, 1e-15));
    assert_eq!(c.outcome == Outcome::Accept, pl + pu <= plan.m());
    let s = plan
        .decide(&x, Some(9.5), Some(10.5), Acceptance::separate(1.0, 5.0))
        .unwrap();
    assert_eq!(s.outcome, Outcome::Reject); // Q_U = (10.5 - 10.043)/0.171 < 5
    let s = plan
        .decide(&x, Some(9.5), Some(10.5), Acceptance::separate(1.0, 1.0))
        .unwrap();
    assert_eq!(s.outcome, Outcome::Accept);
    // sigma-method uses sigma, not s.
    let sp = VariablesPlan::new(7, 1.33, Method::Sigma, Some(0.5)).unwrap();
    let d = sp.decide(&x, None, Some(10.5), Control::Combined).unwrap();
    assert_eq!(d.sigma_used, 0.5);
    assert!(close(d.q_upper.unwrap(), (10.5 - d.mean) / 0.5, 1e-14));
    assert_eq!(d.outcome, Outcome::Reject);
}

#[test]
fn bad_input_gives_clear_errors() {
    let s = VariablesPlan::new(5, 1.53, Method::S, None).unwrap();
    let x = [1.0, 2.0, 3.0, 4.0, 5.0];
    let msg = |e: Error| e.to_string();
    assert!(msg(s
        .decide(&[1.0], None, Some(3.0), Control::Combined)
        .unwrap_err())
    .contains("at least 2 measurements"));
    assert!(msg(s
        .decide(&x[..4], None, Some(3.0), Control::Combined)
        .unwrap_err())
    .contains("exactly n = 5"));
    let mut nan = x;
    nan[2] = f64::NAN;
    assert!(msg(s
        .decide(&nan, None, Some(9.0), Control::Combined)
        .unwrap_err())
    .contains("measurements[2]"));
    assert!(msg(s
        .decide(&x, Some(5.0), Some(5.0), Control::Combined)
        .unwrap_err())
    .contains("lsl"));
    assert!(s
        .decide(&x, Some(6.0), Some(5.0), Control::Combined)
        .is_err());
    assert_eq!(
        msg(s.decide(&x, None, None, Control::Combined).unwrap_err()),
        "lsl, usl = neither given is invalid: expected at least one specification limit"
    );
    assert!(s
        .decide(&x, Some(f64::NAN), None, Control::Combined)
        .is_err());
    assert!(s
        .decide(&x, Some(0.0), Some(9.0), Acceptance::separate(0.0, 1.0))
        .is_err());
    for bad_sigma in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        assert!(VariablesPlan::new(5, 1.5, Method::Sigma, Some(bad_sigma)).is_err());
    }
    let no_sigma = VariablesPlan::new(5, 1.5, Method::Sigma, None).unwrap();
    assert_eq!(
        msg(no_sigma
            .decide(&x, None, Some(9.0), Control::Combined)
            .unwrap_err()),
        "sigma is not given: expected the known process standard deviation (a finite positive number) for the sigma-method"
    );
    for bad_k in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        assert!(VariablesPlan::new(5, bad_k, Method::S, None).is_err());
    }
    assert!(VariablesPlan::new(2, 1.0, Method::S, None).is_err());
    assert!(VariablesPlan::new(1, 1.0, Method::Sigma, None).is_err());
    for bad_m in [0.0, 0.5, -0.1, f64::NAN] {
        assert!(VariablesPlan::m_form(5, bad_m, Method::S, None).is_err());
    }
}

#[test]
fn zero_spread_is_decided_without_nan() {
    let s = VariablesPlan::new(3, 1.0, Method::S, None).unwrap();
    let d = s
        .decide(&[2.0, 2.0, 2.0], None, Some(3.0), Control::Combined)
        .unwrap();
    assert_eq!(d.outcome, Outcome::Accept);
    assert_eq!(d.p_hat, 0.0);
    let d = s
        .decide(&[4.0, 4.0, 4.0], None, Some(3.0), Control::Combined)
        .unwrap();
    assert_eq!(d.outcome, Outcome::Reject);
    assert_eq!(d.p_hat, 1.0);
}

#[test]
fn batch_decisions_equal_one_by_one() {
    let plan = VariablesPlan::new(4, 1.2, Method::S, None).unwrap();
    let sorted = [1.0, 1.2, 0.9, 1.1, 2.0, 2.5, 2.1, 2.2, 0.0, 0.1, 0.2, 5.0];
    let offsets = [0, 4, 8, 12];
    let all = plan
        .decide_lots(&sorted, &offsets, None, Some(3.0), Control::Combined)
        .unwrap();
    // The same decisions from moments, whole or merged from two parts of each lot.
    let moments: Vec<Moments> = offsets
        .windows(2)
        .map(|w| Moments::shifted(&sorted[w[0]..w[1]]))
        .collect();
    let merged: Vec<Moments> = offsets
        .windows(2)
        .map(|w| Moments::of(&sorted[w[0]..w[0] + 1]).merge(Moments::of(&sorted[w[0] + 1..w[1]])))
        .collect();
    let from_moments = plan
        .decide_moments(&moments, None, Some(3.0), Control::Combined)
        .unwrap();
    assert_eq!(from_moments, all);
    let from_merged = plan
        .decide_moments(&merged, None, Some(3.0), Control::Combined)
        .unwrap();
    for (a, b) in from_merged.iter().zip(&all) {
        assert_eq!(a.outcome, b.outcome);
        assert!((a.mean - b.mean).abs() <= 1e-15 * b.mean.abs());
        assert!((a.sd - b.sd).abs() <= 1e-13 * b.sd, "{a:?} {b:?}");
        assert!((a.p_hat - b.p_hat).abs() <= 1e-12, "{a:?} {b:?}");
    }
    for (i, d) in all.iter().enumerate() {
        let one = plan
            .decide(
                &sorted[offsets[i]..offsets[i + 1]],
                None,
                Some(3.0),
                Control::Combined,
            )
            .unwrap();
        assert_eq!(*d, one);
    }
    // Bad input.
    assert!(plan
        .decide_lots(&sorted, &[0, 4, 8], None, Some(3.0), Control::Combined)
        .is_err());
    assert!(plan
        .decide_lots(&sorted, &[0, 8, 4, 12], None, Some(3.0), Control::Combined)
        .is_err());
    let e = plan
        .decide_lots(&sorted, &[0, 4, 7, 12], None, Some(3.0), Control::Combined)
        .unwrap_err();
    assert!(e.to_string().contains("lot 1"), "{e}");
    let short = Moments::of(&sorted[..3]);
    let e = plan
        .decide_moments(&[moments[0], short], None, Some(3.0), Control::Combined)
        .unwrap_err();
    assert!(
        e.to_string().starts_with("lot 1: measurements = 3 values"),
        "{e}"
    );
    let nan = Moments {
        mean: f64::NAN,
        ..moments[0]
    };
    let e = plan
        .decide_moments(&[nan], None, Some(3.0), Control::Combined)
        .unwrap_err();
    assert!(e.to_string().starts_with("lot 0: measurements"), "{e}");
    assert!(plan
        .decide_moments(&[], None, Some(3.0), Control::Combined)
        .unwrap()
        .is_empty());
}

/// The lots as one buffer of values and the offsets of `decide_lots`.
fn flat(lots: &[Vec<f64>]) -> (Vec<f64>, Vec<usize>) {
    let offsets = std::iter::once(0)
        .chain(lots.iter().scan(0, |end, x| {
            *end += x.len();
            Some(*end)
        }))
        .collect();
    (lots.concat(), offsets)
}

/// The decisions of `lots` written as columns by `decide_moment_columns`.
type Columns = (Vec<bool>, [Vec<f64>; 6]);

/// Pseudo-random numbers in [0, 1) (a 64-bit LCG's top 53 bits) from `seed`.
fn uniforms(mut state: u64) -> impl FnMut() -> f64 {
    move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn decide_columns(
    plan: &VariablesPlan,
    moments: &[Moments],
    lsl: Option<f64>,
    usl: Option<f64>,
    rule: impl Into<Acceptance>,
) -> Result<Columns, Error> {
    let lots = moments.len();
    let n: Vec<u64> = moments.iter().map(|m| m.n).collect();
    let mean: Vec<f64> = moments.iter().map(|m| m.mean).collect();
    let m2: Vec<f64> = moments.iter().map(|m| m.m2).collect();
    let mut accept = vec![false; lots];
    let mut rows = vec![0.0; 6 * lots];
    let out = DecisionColumns::from_rows(&mut accept, &mut rows)?;
    plan.decide_moment_columns(&n, &mean, &m2, lsl, usl, rule, out)?;
    let stats = std::array::from_fn(|k| rows[k * lots..(k + 1) * lots].to_vec());
    Ok((accept, stats))
}

/// Every field of two decisions, bit for bit.
fn same_bits(a: &VariablesDecision, b: &VariablesDecision) -> bool {
    let bits = |d: &VariablesDecision| {
        let opt = |v: Option<f64>| v.map(f64::to_bits);
        (
            (d.outcome, d.n),
            [d.mean, d.sd, d.sigma_used, d.p_hat].map(f64::to_bits),
            [d.q_lower, d.q_upper, d.p_lower, d.p_upper].map(opt),
        )
    };
    bits(a) == bits(b)
}

#[test]
fn batch_decisions_equal_decide_in_every_sum() {
    // Lots whose p̂ fall in every sum of the s-method (the series of the
    // far tails, the angle form up to ½, the upper halves 1 − I, the
    // general incomplete beta above ν = 300, ν even and odd) and zero
    // spreads (Q = ±∞): the decisions of `decide_lots` and `decide_moments`
    // and the columns of `decide_moment_columns` hold the bits of `decide`
    // on each lot's measurements, on 1 to 3 threads.
    let mut next = uniforms(7);
    let plans = [
        VariablesPlan::new(3, 0.8, Method::S, None).unwrap(),
        VariablesPlan::new(6, 1.5, Method::S, None).unwrap(),
        VariablesPlan::new(35, 2.03, Method::S, None).unwrap(),
        VariablesPlan::new(36, 2.03, Method::S, None).unwrap(),
        VariablesPlan::new(305, 2.5, Method::S, None).unwrap(),
        VariablesPlan::new(35, 2.0, Method::Sigma, Some(0.4)).unwrap(),
    ];
    let lower_only = Acceptance {
        k_lower: Some(1.1),
        ..Control::Separate.into()
    };
    let cases: [(Option<f64>, Option<f64>, Acceptance); 4] = [
        (Some(9.5), Some(11.5), Control::Combined.into()),
        (None, Some(11.5), Control::Combined.into()),
        (Some(9.5), Some(11.5), Acceptance::separate(1.2, 1.8)),
        (Some(9.5), None, lower_only),
    ];
    for plan in &plans {
        let lots: Vec<Vec<f64>> = (0..2500)
            .map(|i| {
                let centre = 9.0 + 3.0 * next();
                let spread = 0.1 + next();
                (0..plan.n())
                    .map(|_| centre + if i % 97 == 0 { 0.0 } else { spread * next() })
                    .collect()
            })
            .collect();
        let moments: Vec<Moments> = lots.iter().map(|x| Moments::shifted(x)).collect();
        let (values, offsets) = flat(&lots);
        for (lsl, usl, rule) in cases {
            for threads in 1..=3 {
                qualstat::parallel::set_num_threads(threads).unwrap();
                let (accept, [sd, q_lower, q_upper, p_lower, p_upper, p_hat]) =
                    decide_columns(plan, &moments, lsl, usl, rule).unwrap();
                let grouped = plan.decide_lots(&values, &offsets, lsl, usl, rule).unwrap();
                let from_moments = plan.decide_moments(&moments, lsl, usl, rule).unwrap();
                assert_eq!(
                    (grouped.len(), from_moments.len()),
                    (lots.len(), lots.len())
                );
                let bits = |v: Option<f64>| v.unwrap_or(f64::NAN).to_bits();
                for (i, x) in lots.iter().enumerate() {
                    let d = plan.decide(x, lsl, usl, rule).unwrap();
                    assert!(
                        same_bits(&grouped[i], &d),
                        "lot {i}: {:?} {d:?}",
                        grouped[i]
                    );
                    assert!(same_bits(&from_moments[i], &d), "lot {i}");
                    assert_eq!(accept[i], d.outcome == Outcome::Accept, "lot {i}");
                    assert_eq!(sd[i].to_bits(), d.sd.to_bits());
                    assert_eq!(q_lower[i].to_bits(), bits(d.q_lower));
                    assert_eq!(q_upper[i].to_bits(), bits(d.q_upper));
                    assert_eq!(p_lower[i].to_bits(), bits(d.p_lower), "lot {i}");
                    assert_eq!(p_upper[i].to_bits(), bits(d.p_upper), "lot {i}");
                    assert_eq!(p_hat[i].to_bits(), d.p_hat.to_bits());
                }
                // Every range of p̂ occurs: far tails (beyond n = 3, whose
                // tails are far only within 1e-4 of x = 0), up to ½, above ½
                // (at the upper limit, else the lower).
                let p = if usl.is_some() { &p_upper } else { &p_lower };
                assert!(
                    plan.n() == 3 || p.iter().any(|&p| p > 0.0 && p < 0.01),
                    "{}",
                    plan.n()
                );
                assert!(p.iter().any(|&p| p > 0.1 && p < 0.5));
                assert!(p.iter().any(|&p| p > 0.5 && p < 1.0));
            }
        }
    }
}

#[test]
fn decision_columns_hold_the_bits_of_the_decisions() {
    // Many lots (several parallel tasks), both limits, one limit, separate
    // control: each column entry is the statistic of decide_moments.
    let plan = VariablesPlan::new(6, 1.5, Method::S, None).unwrap();
    let mut next = uniforms(99);
    let moments: Vec<Moments> = (0..10_007)
        .map(|i| {
            let x: Vec<f64> = (0..6)
                .map(|_| 10.0 + 0.3 * next() + (i % 7) as f64 * 0.05)
                .collect();
            Moments::of(&x)
        })
        .collect();
    let cases: [(Option<f64>, Option<f64>, Acceptance); 3] = [
        (Some(9.95), Some(10.55), Control::Combined.into()),
        (None, Some(10.55), Control::Combined.into()),
        (Some(9.95), Some(10.55), Acceptance::separate(1.2, 1.8)),
    ];
    for (lsl, usl, rule) in cases {
        let want = plan.decide_moments(&moments, lsl, usl, rule).unwrap();
        let (accept, [sd, q_lower, q_upper, p_lower, p_upper, p_hat]) =
            decide_columns(&plan, &moments, lsl, usl, rule).unwrap();
        let bits = |v: Option<f64>| v.unwrap_or(f64::NAN).to_bits();
        for (i, d) in want.iter().enumerate() {
            assert_eq!(accept[i], d.outcome == Outcome::Accept, "lot {i}");
            assert_eq!(sd[i].to_bits(), d.sd.to_bits());
            assert_eq!(q_lower[i].to_bits(), bits(d.q_lower));
            assert_eq!(q_upper[i].to_bits(), bits(d.q_upper));
            assert_eq!(p_lower[i].to_bits(), bits(d.p_lower));
            assert_eq!(p_upper[i].to_bits(), bits(d.p_upper));
            assert_eq!(p_hat[i].to_bits(), d.p_hat.to_bits());
        }
        assert!(accept.iter().any(|&a| a) && !accept.iter().all(|&a| a));
    }
    // The error of the lowest bad lot, whichever task meets it first.
    let mut bad = moments.clone();
    bad[9000].n = 5;
    bad[3001].mean = f64::NAN;
    let e = decide_columns(&plan, &bad, None, Some(10.55), Control::Combined).unwrap_err();
    assert!(e.to_string().starts_with("lot 3001: measurements"), "{e}");
    // Columns of another length than the moments are refused by name.
    let mut accept = vec![false; 2];
    let mut stats: [Vec<f64>; 6] = std::array::from_fn(|_| vec![0.0; 2]);
    let [sd, q_lower, q_upper, p_lower, p_upper, p_hat] = &mut stats;
    let short = &mut p_hat[..1];
    let out = DecisionColumns {
        accept: &mut accept,
        sd,
        q_lower,
        q_upper,
        p_lower,
        p_upper,
        p_hat: short,
    };
    let e = plan
        .decide_moment_columns(
            &[6, 6],
            &[1.0, 1.0],
            &[1.0, 1.0],
            None,
            Some(3.0),
            Control::Combined,
            out,
        )
        .unwrap_err();
    assert!(e.to_string().contains("p_hat"), "{e}");
    // A rows buffer of another length than six per lot is refused by name.
    let e = DecisionColumns::from_rows(&mut accept, &mut [0.0; 11]).unwrap_err();
    assert!(e.to_string().contains("stats"), "{e}");
    assert!(
        decide_columns(&plan, &[], None, Some(3.0), Control::Combined)
            .unwrap()
            .0
            .is_empty()
    );
}

#[test]
fn batch_errors_are_those_of_decide_on_the_lowest_bad_lot() {
    // Bad lots (a count other than n, a NaN or infinite value at some
    // position, finite values too far apart to summarise) at the edges and
    // inside the blocks of lots decided together, alone and with a later
    // bad lot of a kind found earlier: `decide_lots` gives the error of
    // `decide` on the lowest bad lot, named by its index, on 1 to 3
    // threads; `decide_moments` on the lots' moments gives the same error,
    // except that a non-finite value shows as a non-finite mean (the
    // moments do not hold the values).
    #[derive(Clone, Copy, Debug)]
    enum Bad {
        Short,
        Long,
        Nan(usize),
        Inf(usize),
        Overflow,
    }
    let mut next = uniforms(2026);
    for plan in [
        VariablesPlan::new(6, 1.5, Method::S, None).unwrap(),
        VariablesPlan::new(35, 2.0, Method::Sigma, Some(0.4)).unwrap(),
    ] {
        let n = plan.n() as usize;
        let good: Vec<Vec<f64>> = (0..1300)
            .map(|_| (0..n).map(|_| 10.0 + next()).collect())
            .collect();
        let scenarios: &[&[(usize, Bad)]] = &[
            &[(0, Bad::Short)],
            &[(255, Bad::Nan(0))],
            &[(256, Bad::Inf(n - 1))],
            &[(1299, Bad::Overflow)],
            &[(777, Bad::Long)],
            // An overflow (found from the moments) before a bad value
            // (found from the values), in one block and in two.
            &[(10, Bad::Overflow), (20, Bad::Nan(2))],
            &[(300, Bad::Overflow), (700, Bad::Inf(1))],
            &[(10, Bad::Nan(3)), (20, Bad::Overflow)],
            &[(511, Bad::Overflow), (512, Bad::Short)],
            &[(3, Bad::Short), (2, Bad::Overflow), (1000, Bad::Nan(0))],
        ];
        for &scenario in scenarios {
            let mut lots = good.clone();
            for &(i, bad) in scenario {
                let x = &mut lots[i];
                match bad {
                    Bad::Short => x.truncate(n - 1),
                    Bad::Long => x.push(10.0),
                    Bad::Nan(j) => x[j] = f64::NAN,
                    Bad::Inf(j) => x[j] = f64::NEG_INFINITY,
                    Bad::Overflow => (x[0], x[1]) = (1e308, -1e308),
                }
            }
            // The definition: the first lot that `decide` refuses.
            let (first, want) = lots
                .iter()
                .enumerate()
                .find_map(|(i, x)| {
                    let e = plan.decide(x, None, Some(11.5), Control::Combined).err()?;
                    Some((i, format!("lot {i}: {e}")))
                })
                .unwrap();
            assert_eq!(first, scenario.iter().map(|&(i, _)| i).min().unwrap());
            let (values, offsets) = flat(&lots);
            let moments: Vec<Moments> = lots.iter().map(|x| Moments::shifted(x)).collect();
            for threads in 1..=3 {
                qualstat::parallel::set_num_threads(threads).unwrap();
                let e = plan
                    .decide_lots(&values, &offsets, None, Some(11.5), Control::Combined)
                    .unwrap_err();
                assert_eq!(e.to_string(), want, "{scenario:?}");
                let e = plan
                    .decide_moments(&moments, None, Some(11.5), Control::Combined)
                    .unwrap_err()
                    .to_string();
                let by_value = want.starts_with(&format!("lot {first}: measurements["));
                if by_value {
                    let prefix = format!("lot {first}: measurements = {n} values with mean ");
                    assert!(e.starts_with(&prefix), "{e} {scenario:?}");
                } else {
                    assert_eq!(e, want, "{scenario:?}");
                }
            }
        }
    }
}

// Designs from an independent re-implementation of R AcceptanceSampling's
// find.plan(type = "normal") in Python (scipy nct / norm; the s-method search
// starts at n = 2 and none of these designs is below 3):
// (aql, alpha, lq, beta, sigma n, sigma k, s n, s k).
type DesignRow = (f64, f64, f64, f64, u64, f64, u64, f64);
const DESIGN_REF: &[DesignRow] = &[
    (
        0.01,
        0.05,
        0.10,
        0.10,
        8,
        1.744_804_297_202_503_7,
        21,
        1.760_783_442_705_949,
    ),
    (
        0.05,
        0.05,
        0.20,
        0.10,
        14,
        1.205_248_003_848_266_7,
        24,
        1.209_822_410_345_371_9,
    ),
    (
        0.01,
        0.05,
        0.06,
        0.10,
        15,
        1.901_648_493_765_379_3,
        42,
        1.905_285_051_640_102_6,
    ),
    (
        0.005,
        0.05,
        0.02,
        0.10,
        32,
        2.285_057_515_129_732_3,
        115,
        2.286_486_965_059_976_4,
    ),
    (
        0.001,
        0.05,
        0.01,
        0.05,
        19,
        2.712_877_004_231_086,
        88,
        2.713_818_290_572_578,
    ),
];

#[test]
fn design_matches_find_plan() {
    for &(aql, alpha, lq, beta, n_sig, k_sig, n_s, k_s) in DESIGN_REF {
        let d = design_variables_plan(aql, lq, alpha, beta, Method::Sigma).unwrap();
        assert_eq!(d.plan.n(), n_sig, "sigma {aql} {lq}");
        assert!(close(d.plan.k(), k_sig, 1e-12), "{} vs {k_sig}", d.plan.k());
        assert!(d.pa_lq <= beta && close(d.pa_aql, 1.0 - alpha, 1e-9));
        let d = design_variables_plan(aql, lq, alpha, beta, Method::S).unwrap();
        assert_eq!(d.plan.n(), n_s, "s {aql} {lq}");
        assert!(close(d.plan.k(), k_s, 1e-8), "{} vs {k_s}", d.plan.k());
        assert!(d.k_min <= d.plan.k());
        assert!(d.pa_lq <= beta && close(d.pa_aql, 1.0 - alpha, 1e-9));
        // One item fewer cannot meet both points.
        assert!(n_s > 3);
    }
}

/// Montgomery, *Introduction to Statistical Quality Control*, the variables
/// nomograph example (p1 = 0.01, 1 − α = 0.95, p2 = 0.06, β = 0.10): σ known
/// n = 15; σ unknown n = 40, k = 1.9 (the nomograph is Wallis's
/// approximation; the exact noncentral-t design needs n = 42).
#[test]
fn wallis_design_matches_textbook() {
    let d = design_variables_plan(0.01, 0.06, 0.05, 0.10, Method::S).unwrap();
    let w = d.approximation;
    assert_eq!(w.n_sigma.ceil() as u64, 15);
    assert_eq!(w.n_s.round() as u64, 40);
    assert!((w.k - 1.9).abs() < 0.01, "{}", w.k);
}

#[test]
fn design_rejects_bad_input() {
    assert!(design_variables_plan(0.1, 0.05, 0.05, 0.1, Method::S).is_err());
    assert!(design_variables_plan(0.0, 0.05, 0.05, 0.1, Method::S).is_err());
    assert!(design_variables_plan(0.01, 0.05, 0.6, 0.5, Method::S).is_err());
    assert!(design_variables_plan(f64::NAN, 0.05, 0.05, 0.1, Method::S).is_err());
    assert!(matches!(
        design_variables_plan(0.6, 0.9, 0.05, 0.1, Method::Sigma),
        Err(Error::NoSolution(_))
    ));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]
    #[test]
    fn oc_is_non_increasing_in_p(n in 3u64..60, k in 0.2f64..3.0, a in 0.001f64..0.5, b in 0.001f64..0.5) {
        let (lo, hi) = if a < b { (a, b) } else { (b, a) };
        for m in [Method::S, Method::Sigma] {
            let p = VariablesPlan::new(n, k, m, None).unwrap();
            prop_assert!(p.prob_accept(lo).unwrap() >= p.prob_accept(hi).unwrap() - 1e-12);
        }
    }

    #[test]
    fn sigma_method_needs_fewer_items(aql in 0.001f64..0.05, ratio in 2.0f64..10.0) {
        let lq = (aql * ratio).min(0.45);
        let s = design_variables_plan(aql, lq, 0.05, 0.10, Method::S).unwrap();
        let g = design_variables_plan(aql, lq, 0.05, 0.10, Method::Sigma).unwrap();
        prop_assert!(g.plan.n() <= s.plan.n());
    }

    #[test]
    fn designed_plans_meet_both_points_and_are_smallest(aql in 0.002f64..0.05, ratio in 2.0f64..8.0) {
        let lq = (aql * ratio).min(0.45);
        for m in [Method::S, Method::Sigma] {
            let d = design_variables_plan(aql, lq, 0.05, 0.10, m).unwrap();
            prop_assert!(d.pa_aql >= 0.95 - 1e-9 && d.pa_lq <= 0.10 + 1e-12);
            let n = d.plan.n();
            if n > m.min_sample_size() {
                // At n - 1 the largest k meeting the producer's point (found
                // here by bisection on the public OC) fails the consumer's.
                let pa = |k: f64, p: f64| VariablesPlan::new(n - 1, k, m, None).unwrap().prob_accept(p).unwrap();
                let (mut lo, mut hi) = (1e-6, 10.0);
                for _ in 0..60 {
                    let mid = 0.5 * (lo + hi);
                    if pa(mid, aql) >= 0.95 { lo = mid } else { hi = mid }
                }
                prop_assert!(pa(lo, lq) > 0.10 - 1e-9);
            }
        }
    }
}

// Issue 9 fuzz reproducer: VariablesPlan(441, 1e-171).prob_accept(1e-6) was
// 0.50 (k√n so small that t²/ν underflowed inside the noncentral t). The OC
// must be a non-increasing function of p in [0, 1], and of k, for every k.
#[test]
fn oc_is_monotone_for_extreme_k() {
    let plan = VariablesPlan::new(441, 1e-171, Method::S, None).unwrap();
    assert!(plan.prob_accept(1e-6).unwrap() > 1.0 - 1e-12);
    let mut ps: Vec<f64> = [20, 16, 12, 8, 5, 3].map(|i| 10f64.powi(-i)).to_vec();
    ps.extend((1..100).map(|i| f64::from(i) / 100.0));
    ps.sort_by(f64::total_cmp);
    let ks = [
        1e-300, 1e-171, 1e-155, 1e-150, 1e-20, 1e-3, 0.5, 2.0, 10.0, 1e3, 1e100, 1e300,
    ];
    for n in [3, 5, 441] {
        for method in [Method::S, Method::Sigma] {
            let mut previous: Option<Vec<f64>> = None;
            for &k in &ks {
                let pa = VariablesPlan::new(n, k, method, None)
                    .unwrap()
                    .prob_accept_many(&ps)
                    .unwrap();
                assert!(pa.iter().all(|v| (0.0..=1.0).contains(v)), "{n} {k}");
                for (w, p) in pa.windows(2).zip(&ps) {
                    assert!(w[1] <= w[0] + 1e-12, "n {n} k {k} {method:?} p {p}: {w:?}");
                }
                if let Some(prev) = &previous {
                    for ((a, b), p) in prev.iter().zip(&pa).zip(&ps) {
                        assert!(
                            b <= &(a + 1e-12),
                            "n {n} k {k} {method:?} p {p}: {a} -> {b}"
                        );
                    }
                }
                previous = Some(pa);
            }
        }
    }
}

// Issue 9 fuzz reproducer: a lot whose standard deviation overflows (finite
// values too far apart) was still decided.
#[test]
fn overflowing_statistics_are_refused_naming_measurements() {
    let plan = VariablesPlan::new(3, 1.0, Method::S, None).unwrap();
    // Sums about the first value: equal huge values have a finite mean and
    // sd 0 (Σx overflowed before), values 2e308 apart do not.
    let huge = plan
        .decide(&[1.7e308; 3], None, Some(1.0), Control::Combined)
        .unwrap();
    assert_eq!(
        (huge.mean, huge.sd, huge.outcome),
        (1.7e308, 0.0, Outcome::Reject)
    );
    for x in [[1e308, -1e308, 0.0], [-1.7e308, 1.7e308, 1.7e308]] {
        let e = plan
            .decide(&x, None, Some(1.0), Control::Combined)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("measurements = 3 values"), "{e}");
        let e = plan
            .decide_lots(&x, &[0, 3], None, Some(1.0), Control::Combined)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("lot 0: measurements"), "{e}");
        let e = plan
            .decide_moments(&[Moments::of(&x)], None, Some(1.0), Control::Combined)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("lot 0: measurements"), "{e}");
    }
    let inf = [1.0, f64::INFINITY, 2.0];
    let e = plan
        .decide(&inf, None, Some(1.0), Control::Combined)
        .unwrap_err();
    assert!(e.to_string().starts_with("measurements[1] = inf"), "{e}");
}

// Issue 9 fuzz reproducer: k_lower / k_upper were ignored unless control was
// separate; the control is a named option.
#[test]
fn constants_per_limit_need_separate_control() {
    let x = [9.8, 10.1, 10.0, 10.3, 9.9, 10.2, 10.0];
    let plan = VariablesPlan::new(7, 1.33, Method::S, None).unwrap();
    let combined_with_k = Acceptance {
        k_upper: Some(5.0),
        ..Acceptance::from(Control::Combined)
    };
    let e = plan
        .decide(&x, Some(9.5), Some(10.5), combined_with_k)
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("k_upper = 5 is invalid"), "{e}");
    let e = plan
        .decide(&x, None, Some(10.5), Acceptance::separate(1.0, 2.0))
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("k_lower = 1 is invalid"), "{e}");
    // One limit under separate control: that limit's constant decides.
    let upper_only = Acceptance {
        k_upper: Some(5.0),
        ..Acceptance::from(Control::Separate)
    };
    let d = plan.decide(&x, None, Some(10.5), upper_only).unwrap();
    assert_eq!(d.outcome, Outcome::Reject);
    let d = plan
        .decide(&x, None, Some(10.5), Control::Separate)
        .unwrap();
    assert_eq!(d.outcome, Outcome::Accept);
    assert_eq!("SEPARATE".parse::<Control>(), Ok(Control::Separate));
    let e = "both".parse::<Control>().unwrap_err().to_string();
    assert!(e.contains("\"combined\", \"separate\""), "{e}");
}

// Issue 9 fuzz reproducer: design_variables_plan(0.01, 0.10, alpha=1e-300)
// ran past 60 s. Risks below MIN_RISK and s-method designs beyond
// MAX_DESIGN_SAMPLE_SIZE_S are refused at once; the extremes allowed finish.
#[test]
fn design_refuses_what_cannot_finish() {
    use qualstat::variables::{MAX_DESIGN_SAMPLE_SIZE_S, MIN_RISK};
    for method in [Method::S, Method::Sigma] {
        let e = design_variables_plan(0.01, 0.10, 1e-300, 0.10, method)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("alpha = 1e-300 is invalid"), "{e}");
        assert!(e.contains("[1e-10, 1)"), "{e}");
        let e = design_variables_plan(0.01, 0.10, 0.05, 1e-11, method).unwrap_err();
        assert!(e.to_string().starts_with("beta = "), "{e}");
        let d = design_variables_plan(0.01, 0.10, MIN_RISK, MIN_RISK, method).unwrap();
        assert!(d.pa_aql >= 1.0 - 1.01 * MIN_RISK && d.pa_lq <= 1.01 * MIN_RISK);
    }
    let e = design_variables_plan(0.01, 0.0107, 0.05, 0.10, Method::S)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains(&format!("at most {MAX_DESIGN_SAMPLE_SIZE_S} items")),
        "{e}"
    );
    assert!(e.contains("sigma-method"), "{e}");
    let e = design_variables_plan(1e-300, 1.0001e-300, 0.05, 0.10, Method::S).unwrap_err();
    assert!(matches!(e, Error::NoSolution(_)), "{e}");
    let sigma = design_variables_plan(0.01, 0.0107, 0.05, 0.10, Method::Sigma).unwrap();
    assert_eq!(sigma.plan.n(), 13_175);
}

// The s-method OC at the largest sample sizes finishes quickly and stays
// accurate (the noncentral t series once ran on subnormal Poisson weights for
// seconds per point at n = 10⁴ and p = 1e-300); larger plans are refused.
#[test]
fn s_method_oc_is_fast_and_accurate_up_to_its_largest_sample_size() {
    use qualstat::variables::MAX_SAMPLE_SIZE_S;
    for n in [10_000, MAX_SAMPLE_SIZE_S] {
        let plan = VariablesPlan::new(n, 2.0, Method::S, None).unwrap();
        for p in [1e-300, 1e-10, 0.01] {
            let pa = plan.prob_accept(p).unwrap();
            assert!(pa > 1.0 - 1e-11, "n {n} p {p}: {pa}");
        }
    }
    let e = VariablesPlan::new(MAX_SAMPLE_SIZE_S + 1, 2.0, Method::S, None).unwrap_err();
    assert!(
        e.to_string().contains("3..=10000000 for the s-method"),
        "{e}"
    );
    assert!(VariablesPlan::new(MAX_SAMPLE_SIZE_S + 1, 2.0, Method::Sigma, None).is_ok());
}
