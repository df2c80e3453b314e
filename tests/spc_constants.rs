//! SPC constants against the published tables in
//! `reference/tables/spc_constants.csv` (Minitab, Montgomery
//! Appendix VI, ASTM/Joglekar, AIAG, textbook Table A.22, RPubs, qcc).

use qualstat::spc::{c4, chart_factors, d2, d3, d4};
use std::path::PathBuf;

fn reference_file() -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("reference/tables/spc_constants.csv");
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reference table {} is required: {e}", path.display()))
}

struct Row {
    n: u64,
    constant: String,
    published: String,
    source: String,
    computed_by_scipy: f64,
    matches: bool,
}

fn rows() -> Vec<Row> {
    let text = reference_file();
    let mut out = Vec::new();
    for line in text.lines().filter(|l| !l.starts_with('#')).skip(1) {
        let f: Vec<&str> = line.splitn(8, ',').collect();
        assert!(f.len() >= 7, "malformed line {line:?}");
        out.push(Row {
            n: f[0].parse().unwrap(),
            constant: f[1].to_string(),
            published: f[2].to_string(),
            source: f[3].to_string(),
            computed_by_scipy: f[4].parse().unwrap(),
            matches: f[6] == "yes",
        });
    }
    out
}

fn ours(constant: &str, n: u64) -> f64 {
    let f = chart_factors(n).unwrap();
    match constant {
        "c4" => c4(n).unwrap(),
        "d2" => d2(n).unwrap(),
        "d3" => d3(n).unwrap(),
        "d4" => d4(n).unwrap(),
        "A" => f.A,
        "A2" => f.A2,
        "A3" => f.A3,
        "B3" => f.B3,
        "B4" => f.B4,
        "B5" => f.B5,
        "B6" => f.B6,
        "D1" => f.D1,
        "D2" => f.D2,
        "D3" => f.D3,
        "D4" => f.D4,
        "E2" => f.E2,
        other => panic!("unexpected constant {other}"),
    }
}

#[test]
fn published_values_match_at_printed_precision_and_misprints_do_not() {
    let rows = rows();
    assert!(rows.len() > 700, "only {} rows read", rows.len());
    let (mut matched, mut misprints) = (0, 0);
    for r in &rows {
        let value = ours(&r.constant, r.n);
        let decimals = r.published.split('.').nth(1).map_or(0, str::len) as i32;
        let half_ulp = 0.5 * 10f64.powi(-decimals) + 1e-9;
        let published: f64 = r.published.parse().unwrap();
        let close = (value - published).abs() <= half_ulp;
        assert_eq!(
            close, r.matches,
            "{}({}) from {}: published {}, ours {value}",
            r.constant, r.n, r.source, r.published
        );
        // The file's own high-precision evaluation (scipy quad, 7 decimals).
        assert!(
            (value - r.computed_by_scipy).abs() <= 5.1e-8,
            "{}({}): ours {value}, scipy {}",
            r.constant,
            r.n,
            r.computed_by_scipy
        );
        if r.matches {
            matched += 1;
        } else {
            misprints += 1;
        }
    }
    assert!(matched > 600 && misprints > 40, "{matched} {misprints}");
}

#[test]
fn closed_forms_for_subgroups_of_two() {
    let pi = std::f64::consts::PI;
    // c4(2) = √(2/π) exactly.
    assert!((c4(2).unwrap() - (2.0 / pi).sqrt()).abs() < 1e-15);
    // c4(3) = √π / 2.
    assert!((c4(3).unwrap() - pi.sqrt() / 2.0).abs() < 1e-14);
    let f = chart_factors(2).unwrap();
    assert!((f.E2 - 3.0 * pi.sqrt() / 2.0).abs() < 1e-13);
    assert!((f.A2 - 3.0 * pi.sqrt() / (2.0 * 2f64.sqrt())).abs() < 1e-13);
}

#[test]
fn large_subgroups_and_c4_at_pooled_degrees_of_freedom() {
    // c4(1001), c4(100001): mpmath at 30 digits,
    // sqrt(2/(n-1))*gamma(n/2)/gamma((n-1)/2).
    assert!((c4(1001).unwrap() - 0.999_750_031_289_052_2).abs() < 1e-12);
    assert!((c4(100_001).unwrap() - 0.999_997_500_003_125).abs() < 1e-11);
    // d2(50), d3(50): mpmath quad of the defining integrals at 20-30 digits
    // (d2 = quad(1 - Φ^n - (1 - Φ)^n); P(R > w) = 1 - n quad(φ(x)(Φ(x+w) - Φ(x))^(n-1));
    // E R^2 = quad(2 w P(R > w), 0, 12)): 4.49814725877970063, 0.652142588429878764.
    assert!((d2(50).unwrap() - 4.498_147_258_779_7).abs() < 1e-12);
    assert!((d3(50).unwrap() - 0.652_142_588_429_878_8).abs() < 1e-12);
    assert!(c4(1).is_err() && d2(0).is_err());
}

#[test]
fn c4_is_continuous_where_the_large_n_series_takes_over() {
    // c4(201), c4(202) straddle the switch (x = 100); mpmath, 30 digits.
    assert!((c4(201).unwrap() - 0.998_750_786_126_251_8).abs() < 1e-14);
    assert!((c4(202).unwrap() - 0.998_756_997_205_044_5).abs() < 1e-14);
}

#[test]
fn large_subgroups_match_an_independent_evaluation_and_beyond_the_limit_are_refused() {
    use qualstat::spc::{constants, Constant, RANGE_N_MAX};
    // Independent evaluation (scipy quad, double precision): the minimum's
    // distribution by u = 1 − (1 − Φ(x))ⁿ, so P(R > w) = ∫₀¹ [1 − (1 −
    // Q(x + w)/Q(x))ⁿ⁻¹] du with x = Φ⁻¹(−expm1(log1p(−u)/n)); d3² =
    // ∫₀^{d2} 2(d2 − w) P(R ≤ w) dw + ∫_{d2}^∞ 2(w − d2) P(R > w) dw (no
    // cancellation); d4 by brentq on P(R > w) = ½. Columns: n, d2, d3, d4.
    let reference = [
        (
            1_000u64,
            6.482_871_538_267_149,
            0.496_735_185_783_414_6,
            6.437_605_640_348_306,
        ),
        (
            10_000,
            7.703_231_634_133_76,
            0.430_127_775_849_662_1,
            7.660_647_589_286_44,
        ),
        (
            100_000,
            8.768_638_806_215_629,
            0.384_470_428_964_332,
            8.728_672_551_923_117,
        ),
    ];
    for (n, r2, r3, r4) in reference {
        assert!((d2(n).unwrap() - r2).abs() < 1e-12 * r2, "d2({n})");
        assert!((d3(n).unwrap() - r3).abs() < 1e-8 * r3, "d3({n})");
        assert!((d4(n).unwrap() - r4).abs() < 1e-11 * r4, "d4({n})");
    }
    // d2 holds for any n (the same evaluation: 14.224927369534946 at 10^12).
    assert!((d2(1_000_000_000_000).unwrap() - 14.224_927_369_534_946).abs() < 1e-11);
    // d3(10^12) was 0 and d4(2^53) 5e-16: refused above the verified range.
    for n in [RANGE_N_MAX + 1, 1_000_000_000_000, 1 << 53] {
        for e in [d3(n).unwrap_err(), d4(n).unwrap_err()] {
            let msg = e.to_string();
            assert!(
                msg.starts_with(&format!("n = {n} is invalid")) && msg.contains("100000"),
                "{msg}"
            );
        }
    }
    assert!(chart_factors(RANGE_N_MAX + 1).is_err());
    // The array form: each distinct size once, errors naming the element.
    let v = constants(Constant::D3, &[5, 2, 5]).unwrap();
    assert_eq!(v, vec![d3(5).unwrap(), d3(2).unwrap(), d3(5).unwrap()]);
    let e = constants(Constant::D2, &[5, 1]).unwrap_err();
    assert!(e.to_string().starts_with("n[1] = 1 is invalid"), "{e}");
}
