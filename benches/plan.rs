//! Benches of the batch plan functions: every ISO 2859-1 plan on 1,000
//! quality points, 100,000 lot decisions from flat counts, 2.1 million
//! inspection records of 20,000 lots counted by lot and stage, and many
//! `design_plan` calls.

use criterion::{criterion_group, criterion_main, Criterion};
use qualstat::plan::{
    counts_by_lot_and_stage, design_plan_grid, prob_accept_grid, AttributePlan, Model, RiskPoints,
};
use qualstat::standards::iso2859_1::{
    plan, Inspection, Kind, Lookup, CODE_LETTERS, PREFERRED_AQLS,
};
use std::hint::black_box;

fn iso_plans(kind: Kind) -> Vec<AttributePlan> {
    let mut out = vec![];
    for insp in Inspection::ALL {
        for &code in &CODE_LETTERS {
            for &aql in &PREFERRED_AQLS {
                let look = Lookup::new(aql).code(code).inspection(*insp).kind(kind);
                if let Ok(p) = plan(&look) {
                    out.push(p.plan);
                }
            }
        }
    }
    out
}

fn bench(c: &mut Criterion) {
    let p: Vec<f64> = (1..=1000).map(|i| i as f64 / 1000.0 * 0.3).collect();
    let mut g = c.benchmark_group("iso2859_1 plans x 1000 p");
    g.sample_size(10);
    for kind in [Kind::Single, Kind::Double, Kind::Multiple] {
        let plans = iso_plans(kind);
        g.bench_function(kind.name(), |b| {
            b.iter(|| prob_accept_grid(black_box(&plans), black_box(&p), Model::Binomial, None))
        });
    }
    g.finish();

    // 100,000 lots of a double plan, 1 or 2 stages each, as flat counts.
    let double = AttributePlan::double(50, 1, 4, 50, 4).unwrap();
    let mut counts = Vec::new();
    let mut offsets = vec![0];
    for i in 0..100_000u64 {
        counts.push(i % 4);
        if i % 4 == 2 || i % 4 == 3 {
            counts.push(i % 2);
        }
        offsets.push(counts.len());
    }
    let mut g = c.benchmark_group("decide_lots");
    g.sample_size(20);
    g.bench_function("100000 lots, double plan", |b| {
        b.iter(|| double.decide_lots(black_box(&counts), black_box(&offsets)))
    });
    g.finish();

    // The records of benches/compare_attribute_lots.py's size: one row per
    // item, lots in random order (a table per thread), two stages.
    let rows = 2_112_960;
    let mut state = 3_u64;
    let mut next = |m: u64| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % m
    };
    let keys: Vec<i64> = (0..rows).map(|_| next(20_000) as i64).collect();
    let stage: Vec<i64> = (0..rows).map(|_| 1 + next(2) as i64).collect();
    let bad: Vec<u64> = (0..rows).map(|_| u64::from(next(50) == 0)).collect();
    let mut g = c.benchmark_group("counts_by_lot_and_stage");
    g.sample_size(20);
    g.bench_function("2.1M records, 20000 lots, 2 stages", |b| {
        b.iter(|| counts_by_lot_and_stage(black_box(&keys), &stage, None, &bad, 2))
    });
    g.finish();

    let points: Vec<RiskPoints> = (0..1000)
        .map(|i| {
            let aql = 0.002 + 0.03 * (i % 37) as f64 / 37.0;
            let lq = aql * (2.0 + 8.0 * (i % 11) as f64 / 11.0);
            RiskPoints::new(aql, lq, 0.05, 0.10).unwrap()
        })
        .collect();
    let mut g = c.benchmark_group("design_plan");
    g.sample_size(10);
    g.bench_function("1000 risk-point pairs", |b| {
        b.iter(|| design_plan_grid(black_box(&points), Model::Binomial, None))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
