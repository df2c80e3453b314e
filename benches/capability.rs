//! Benches of the capability batch functions.

use criterion::{criterion_group, criterion_main, Criterion};
use qualstat::capability::{
    analyze, bootstrap_interval, capability_by, Bootstrap, BootstrapMethod, Index, IntervalMethod,
    Layout, Options, Spec, StudyOptions, Subgroups,
};
use std::hint::black_box;

/// Deterministic pseudo-normal data (sum of uniforms from an LCG).
fn data(n: usize) -> Vec<f64> {
    let mut s: u64 = 42;
    let mut u = move || {
        s = s
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (s >> 11) as f64 / (1u64 << 53) as f64
    };
    (0..n)
        .map(|_| 10.0 + (0..4).map(|_| u()).sum::<f64>() - 2.0)
        .collect()
}

fn bench(c: &mut Criterion) {
    let groups = 10_000;
    let x = data(groups * 50);
    let offsets: Vec<usize> = (0..=groups).map(|g| g * 50).collect();
    let spec = [Spec {
        lsl: Some(8.5),
        usl: Some(11.5),
        target: Some(10.0),
    }];
    let o = Options::default();
    c.bench_function("capability_by 10k groups x 50, subgroups of 5", |b| {
        b.iter(|| {
            capability_by(
                black_box(&x),
                &offsets,
                Layout::Size(5),
                &spec,
                &StudyOptions::from(o),
            )
        })
    });
    let one = data(1000);
    let boot = Bootstrap {
        resamples: 10_000,
        seed: 1,
        method: BootstrapMethod::Bca,
    };
    c.bench_function("bootstrap BCa cpk, 10k resamples of 1000 values", |b| {
        b.iter(|| {
            bootstrap_interval(
                black_box(&one),
                &Subgroups::Individuals,
                &spec[0],
                &o,
                Index::Cpk,
                &boot,
            )
        })
    });
    let all = StudyOptions {
        method: IntervalMethod::Bootstrap,
        bootstrap: boot,
        ..StudyOptions::from(o)
    };
    c.bench_function(
        "bootstrap BCa, all 5 intervals, 10k resamples of 1000 values",
        |b| b.iter(|| analyze(black_box(&one), &Subgroups::Individuals, &spec[0], &all)),
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench
}
criterion_main!(benches);
