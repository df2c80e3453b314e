//! The standard normal cdf against mpmath at 40 digits on a dense grid
//! (tests/data/normal_cdf.csv, made by tests/data/make_normal_cdf.py): 1e-15
//! relative wherever the value is a normal double, and the lower and upper
//! tails (sf) agree with it; `interval` has no cancellation in the tails.

use qualstat::numerics::normal;

fn reference() -> Vec<(f64, f64)> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/normal_cdf.csv");
    let text = std::fs::read_to_string(path).expect("tests/data/normal_cdf.csv is missing");
    text.lines()
        .skip(1)
        .map(|line| {
            let (x, p) = line.split_once(',').expect("two columns");
            (x.parse().expect("x"), p.parse().expect("cdf"))
        })
        .collect()
}

#[test]
fn cdf_matches_mpmath_to_1e15_relative() {
    let rows = reference();
    assert!(rows.len() > 3000);
    let mut worst = (0.0f64, 0.0f64);
    for (x, expected) in rows {
        let got = normal::cdf(x);
        if expected < f64::MIN_POSITIVE {
            // Subnormal: no relative precision, a few units of the smallest step.
            assert!(
                (got - expected).abs() <= 4e-323,
                "x = {x}: {got:e} vs {expected:e}"
            );
            continue;
        }
        let rel = ((got - expected) / expected).abs();
        if rel > worst.0 {
            worst = (rel, x);
        }
        assert!(
            rel <= 1e-15,
            "x = {x}: {got:e} vs {expected:e}, rel {rel:.2e}"
        );
        assert_eq!(normal::sf(-x), got, "sf(-x) = cdf(x) at {x}");
    }
    println!("worst relative error {:.2e} at x = {}", worst.0, worst.1);
}

#[test]
fn cdf_edges() {
    assert_eq!(normal::cdf(0.0), 0.5);
    assert_eq!(normal::cdf(f64::NEG_INFINITY), 0.0);
    assert_eq!(normal::cdf(f64::INFINITY), 1.0);
    assert_eq!(normal::cdf(-41.0), 0.0);
    assert!(normal::cdf(f64::NAN).is_nan());
    // Monotone across the switch points of the approximation.
    for edge in [
        0.468_75 * std::f64::consts::SQRT_2,
        4.0 * std::f64::consts::SQRT_2,
    ] {
        for sign in [-1.0, 1.0] {
            let x = sign * edge;
            let (below, above) = (x - 1e-12, x + 1e-12);
            assert!(normal::cdf(below) <= normal::cdf(x) && normal::cdf(x) <= normal::cdf(above));
        }
    }
}

#[test]
fn interval_keeps_tail_precision() {
    // Φ(−8) − Φ(−9) and Φ(9) − Φ(8): the same number, ~6.2e-16, which 1 − Φ
    // would lose entirely on the upper side.
    let lower = normal::interval(-9.0, -8.0);
    let upper = normal::interval(8.0, 9.0);
    let exact = 6.219_831_985_865_83e-16; // mpmath
    assert!(((lower - exact) / exact).abs() < 1e-14, "{lower:e}");
    assert!(((upper - exact) / exact).abs() < 1e-14, "{upper:e}");
    assert_eq!(normal::interval(1.0, 1.0), 0.0);
    assert_eq!(normal::interval(2.0, 1.0), 0.0);
    assert_eq!(normal::interval(f64::NEG_INFINITY, f64::INFINITY), 1.0);
    let mid = normal::interval(-1.0, 2.0);
    assert!((mid - 0.818_594_614_120_363_7).abs() < 2e-16, "{mid}"); // mpmath
}
