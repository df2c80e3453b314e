//! ISO 3951-4 plans: every printed cell read from the reference file (parsed
//! here, independently of the generated table) and served.

use qualstat::standards::iso3951_4::{plan, DqlLevel};
use qualstat::variables::Method;

#[test]
fn every_printed_plan() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/reference/tables/iso3951_4_plans.csv"
    ))
    .unwrap();
    let mut count = 0;
    for line in text.lines().filter(|l| !l.starts_with('#')).skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let dql: f64 = f[0].parse().unwrap();
        let level: DqlLevel = f[1].parse().unwrap();
        for (method, n, k) in [(Method::S, f[2], f[3]), (Method::Sigma, f[4], f[5])] {
            let p = plan(dql, level, method).unwrap();
            assert_eq!(p.plan.n(), n.parse::<u64>().unwrap(), "{line}");
            assert_eq!(p.plan.k(), k.parse::<f64>().unwrap(), "{line}");
            assert_eq!(p.p_star_percent, f[6].parse::<f64>().unwrap());
            assert_eq!(p.note.contains("level III"), level == DqlLevel::III);
        }
        count += 1;
    }
    assert_eq!(count, 43);
}

#[test]
fn missing_cells_and_bad_dql() {
    assert!(plan(0.01, DqlLevel::II, Method::S).is_err());
    assert!(plan(0.025, DqlLevel::III, Method::S).is_err());
    let e = plan(0.0065, DqlLevel::I, Method::S)
        .unwrap_err()
        .to_string();
    assert!(e.contains("DQL is in percent here"), "{e}");
    assert!(plan(f64::NAN, DqlLevel::I, Method::S).is_err());
}
