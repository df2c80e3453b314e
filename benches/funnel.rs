//! Criterion benches of `qualstat::supervision::funnel_limits`: the four PHE
//! limits (score) and the exact limits for 10^6 unit sizes.

use criterion::{criterion_group, criterion_main, Criterion};
use qualstat::supervision::{funnel_limits, FunnelLimits};
use rand::{Rng, SeedableRng};

fn bench(c: &mut Criterion) {
    let mut rng = rand::rngs::StdRng::seed_from_u64(1);
    let n: Vec<f64> = (0..1_000_000)
        .map(|_| rng.random_range(5..500) as f64)
        .collect();
    let mut group = c.benchmark_group("funnel");
    group.sample_size(10);
    for (name, method) in [
        ("score_4_limits_1e6", FunnelLimits::Score),
        ("exact_4_limits_1e6", FunnelLimits::Exact),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                for p in [0.001, 0.025, 0.975, 0.999] {
                    funnel_limits(&n, 0.9, p, method, 1.0, 0.0).unwrap();
                }
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
