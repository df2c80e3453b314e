//! ISO 2859-2 Procedure A Table A: every printed cell read from the reference
//! file (parsed here, independently of the generated table) and served.

use qualstat::standards::iso2859_2::{cells, plan};

fn reference() -> Vec<(u64, Option<u64>, String, u64, u64)> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/reference/tables/iso2859_2_procA_tableA.csv"
    ))
    .unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (
                f[0].parse().unwrap(),
                (!f[1].is_empty()).then(|| f[1].parse().unwrap()),
                f[2].to_string(),
                f[3].parse().unwrap(),
                f[4].parse().unwrap(),
            )
        })
        .collect()
}

#[test]
fn every_printed_cell() {
    let rows = reference();
    assert_eq!(rows.len(), 119);
    assert_eq!(cells().len(), 119);
    for (lo, hi, lq, n, ac) in rows {
        let lot = hi.unwrap_or(10 * lo);
        let p = plan(lq.parse().unwrap(), lot).unwrap();
        assert_eq!(p.printed_n, n, "{lo} {lq}");
        assert_eq!(p.plan_lq_label, lq.as_str());
        if n >= lot {
            assert!(p.full_inspection && p.n == lot && p.ac == 0);
        } else {
            assert_eq!((p.n, p.ac), (n, ac), "{lo} {lq}");
        }
        assert_eq!(p.plan.n(), &[p.n]);
    }
}

#[test]
fn arrows_and_labels() {
    // Lot 91-150 has no LQ 0.5 plan: the arrow leads to LQ 0.8 (n = 150: 100 %).
    let p = plan(0.5, 100).unwrap();
    assert_eq!(p.plan_lq_label, "0.8");
    assert!(p.full_inspection && p.n == 100);
    assert_eq!(plan(31.5, 1000).unwrap().n, plan(32.0, 1000).unwrap().n);
    assert!(plan(0.05, 1000)
        .unwrap_err()
        .to_string()
        .contains("LQ is in percent here"));
    assert!(plan(5.0, 15).is_err());
    assert!(plan(f64::NAN, 100).is_err());
}
