//! Benches of the DQL verification design and its OC batch.

use criterion::{criterion_group, criterion_main, Criterion};
use qualstat::dql::{design, Design, SampleSizes};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    c.bench_function("dql design L=2, any sample size", |b| {
        b.iter(|| {
            design(black_box(&Design {
                limiting_number: Some(2),
                sample_sizes: SampleSizes::Any,
                ..Design::new(0.0065)
            }))
        })
    });
    c.bench_function("dql design lqr=1.5 (smallest L), preferred sizes", |b| {
        b.iter(|| {
            design(black_box(&Design {
                lqr: Some(1.5),
                ..Design::new(0.0065)
            }))
        })
    });
    let plan = design(&Design {
        limiting_number: Some(6),
        ..Design::new(0.0065)
    })
    .unwrap();
    let ratios: Vec<f64> = (0..1_000_000).map(|i| i as f64 * 1e-4).collect();
    c.bench_function("dql prob_contradict_many 10^6 ratios", |b| {
        b.iter(|| plan.prob_contradict_many(black_box(&ratios)))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench
}
criterion_main!(benches);
