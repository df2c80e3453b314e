//! Benches of the variables batch functions: deciding 100,000 lots of 35
//! measurements (by key, and pre-grouped), an s-method OC curve of 1,000
//! points, and designs.

use criterion::{criterion_group, criterion_main, Criterion};
use qualstat::variables::{design_variables_plan, Control, Method, VariablesPlan};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let lots = 100_000usize;
    let n = 35usize;
    // Deterministic pseudo-measurements (a linear congruential sequence).
    let mut state = 12345u64;
    let values: Vec<f64> = (0..lots * n)
        .map(|_| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            10.0 + (state >> 11) as f64 / (1u64 << 53) as f64
        })
        .collect();
    let interleaved: Vec<i64> = (0..lots * n).map(|i| (i % lots) as i64).collect();
    let sorted_keys: Vec<i64> = (0..lots * n).map(|i| (i / n) as i64).collect();
    let plan = VariablesPlan::new(35, 2.03, Method::S, None).unwrap();
    let mut g = c.benchmark_group("variables");
    g.sample_size(10);
    for (name, keys) in [("interleaved", &interleaved), ("sorted", &sorted_keys)] {
        g.bench_function(
            format!("decide 100k lots of 35 by key ({name} rows)"),
            |b| {
                b.iter(|| {
                    plan.decide_by_key(
                        black_box(&values),
                        keys,
                        Some(9.5),
                        Some(11.5),
                        Control::Combined,
                    )
                    .unwrap()
                })
            },
        );
    }
    let offsets: Vec<usize> = (0..=lots).map(|i| i * n).collect();
    g.bench_function("decide 100k lots of 35 (grouped)", |b| {
        b.iter(|| {
            plan.decide_lots(
                black_box(&values),
                &offsets,
                Some(9.5),
                Some(11.5),
                Control::Combined,
            )
            .unwrap()
        })
    });
    let p: Vec<f64> = (1..=1000).map(|i| i as f64 / 1000.0 * 0.2).collect();
    g.bench_function("s-method OC, 1000 points", |b| {
        b.iter(|| plan.prob_accept_many(black_box(&p)).unwrap())
    });
    g.bench_function("design s-method (0.01, 0.06)", |b| {
        b.iter(|| design_variables_plan(black_box(0.01), 0.06, 0.05, 0.10, Method::S).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
