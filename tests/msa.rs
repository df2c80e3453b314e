//! `qualstat::msa` from Rust.
//!
//! References: Minitab's session output for the AIAG MSA-4 data
//! (`reference/datasets/msa_aiag_msa4_grr.csv` = Gageaiag.MTW; Minitab 19
//! "Example of Crossed Gage R&R Study"), at the printed precision; the F
//! distribution against scipy 1.x `stats.f.sf` values; properties with proptest.

use proptest::prelude::*;
use qualstat::msa::{gauge_rr, ComponentSource, GaugeOptions, Term};
use qualstat::numerics::fisher_f;

fn aiag() -> (Vec<f64>, Vec<u32>, Vec<u32>) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/reference/datasets/msa_aiag_msa4_grr.csv"
    );
    let text = std::fs::read_to_string(path).expect("AIAG data set");
    let (mut y, mut p, mut o) = (Vec::new(), Vec::new(), Vec::new());
    for line in text.lines().filter(|l| !l.starts_with('#')).skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        p.push(f[0].parse::<u32>().unwrap() - 1);
        o.push(u32::from(f[1].as_bytes()[0] - b'A'));
        y.push(f[3].parse().unwrap());
    }
    (y, p, o)
}

fn printed(value: f64, shown: f64, decimals: i32) {
    assert!(
        (value - shown).abs() <= 0.5 * 10f64.powi(-decimals) * (1.0 + 1e-9),
        "{value} is not {shown}"
    );
}

#[test]
fn aiag_example_as_minitab_prints_it() {
    let (y, p, o) = aiag();
    let opts = GaugeOptions {
        tolerance: Some(8.0),
        ..GaugeOptions::default()
    };
    let g = gauge_rr(&y, &p, Some(&o), &opts).unwrap();
    assert_eq!((g.parts, g.operators, g.replicates), (10, 3, 3));
    printed(g.interaction_p.unwrap(), 0.974, 3);
    assert!(g.interaction_pooled);
    let inter = g
        .anova_full
        .iter()
        .find(|r| r.source == Term::PartOperator)
        .unwrap();
    printed(inter.ss, 0.3590, 4);
    let get = |s| g.components.iter().find(|c| c.source == s).unwrap();
    printed(get(ComponentSource::TotalGrr).variance, 0.09143, 5);
    printed(get(ComponentSource::TotalGrr).pct_contribution, 7.76, 2);
    printed(get(ComponentSource::TotalGrr).pct_study_var, 27.86, 2);
    printed(get(ComponentSource::Part).pct_contribution, 92.24, 2);
    printed(get(ComponentSource::Total).pct_tolerance.unwrap(), 81.40, 2);
    assert_eq!(g.ndc, Some(4));
    assert!(g.clamped.is_empty());
}

#[test]
fn f_distribution_against_scipy() {
    // scipy.stats.f.sf(x, d1, d2), printed with repr().
    for &(x, d1, d2, want) in &[
        (0.434_f64, 18.0, 60.0, 0.974_020_802_889_007_8),
        (5.0, 3.0, 10.0, 0.022_613_922_751_096_284),
        (300.0, 9.0, 78.0, 1.076_121_785_547_514_7e-56),
    ] {
        let got = fisher_f::sf(x, d1, d2);
        assert!(
            (got - want).abs() <= 1e-9 * want,
            "{x} {d1} {d2}: {got} vs {want}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn components_ignore_a_shift_and_scale_with_its_square(
        shift in -1e3f64..1e3,
        scale in 0.1f64..10.0,
    ) {
        let (y, p, o) = aiag();
        let z: Vec<f64> = y.iter().map(|v| v * scale + shift).collect();
        let opts = GaugeOptions::default();
        let a = gauge_rr(&y, &p, Some(&o), &opts).unwrap();
        let b = gauge_rr(&z, &p, Some(&o), &opts).unwrap();
        prop_assert_eq!(a.interaction_pooled, b.interaction_pooled);
        for (ca, cb) in a.components.iter().zip(&b.components) {
            prop_assert!((cb.variance - ca.variance * scale * scale).abs()
                <= 1e-8 * ca.variance.max(1e-12) * scale * scale);
            prop_assert!((cb.pct_study_var - ca.pct_study_var).abs() <= 1e-7);
        }
    }
}

#[cfg(feature = "serde")]
#[test]
fn results_round_trip_through_json() {
    let (y, p, o) = aiag();
    let g = gauge_rr(&y, &p, Some(&o), &GaugeOptions::default()).unwrap();
    let text = serde_json::to_string(&g).unwrap();
    assert!(text.contains("\"total_grr\"") && text.contains("\"part:operator\""));
    let back: qualstat::msa::GaugeRR = serde_json::from_str(&text).unwrap();
    // serde_json parses floats to within an ulp or two (no float_roundtrip).
    assert_eq!(
        (back.ndc, back.interaction_pooled),
        (g.ndc, g.interaction_pooled)
    );
    for (a, b) in back.components.iter().zip(&g.components) {
        assert_eq!(a.source, b.source);
        assert!((a.variance - b.variance).abs() <= 1e-15 * b.variance);
    }
}
