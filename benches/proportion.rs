//! Criterion benches of the batch pass-rate intervals (10^5 random pairs).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use qualstat::proportion::{
    proportion_ci_batch, proportion_ci_finite_batch, proportion_diff_ci_batch, rate_ci_batch,
    Bound, DiffMethod, Method, RateMethod, TwoSamples,
};
use rand::{Rng, SeedableRng};

fn pairs(size: usize) -> (Vec<i64>, Vec<i64>) {
    let mut rng = rand::rngs::StdRng::seed_from_u64(1);
    let n: Vec<i64> = (0..size).map(|_| rng.random_range(1..10_000)).collect();
    let x = n.iter().map(|&m| rng.random_range(0..=m)).collect();
    (x, n)
}

fn bench_methods(c: &mut Criterion) {
    let size = 100_000;
    let (x, n) = pairs(size);
    let (mut lo, mut hi) = (vec![0.0; size], vec![0.0; size]);
    let mut group = c.benchmark_group("proportion_ci_batch_1e5");
    group.sample_size(10);
    for method in [
        Method::Wald,
        Method::Wilson,
        Method::AgrestiCoull,
        Method::Jeffreys,
        Method::ClopperPearson,
        Method::MidP,
        Method::LikelihoodRatio,
    ] {
        group.bench_function(BenchmarkId::from_parameter(format!("{method:?}")), |b| {
            b.iter(|| proportion_ci_batch(&x, &n, 0.95, method, Bound::TwoSided, &mut lo, &mut hi))
        });
    }
    group.finish();
}

fn bench_others(c: &mut Criterion) {
    let size = 10_000;
    let (x, n) = pairs(size);
    let pop: Vec<i64> = n.iter().map(|&m| m * 3).collect();
    let exposure: Vec<f64> = n.iter().map(|&m| m as f64).collect();
    let (mut lo, mut hi) = (vec![0.0; size], vec![0.0; size]);
    let mut group = c.benchmark_group("other_batches_1e4");
    group.sample_size(10);
    group.bench_function("blaker", |b| {
        b.iter(|| {
            proportion_ci_batch(
                &x,
                &n,
                0.95,
                Method::Blaker,
                Bound::TwoSided,
                &mut lo,
                &mut hi,
            )
        })
    });
    group.bench_function("finite_population", |b| {
        b.iter(|| proportion_ci_finite_batch(&x, &n, &pop, 0.95, Bound::TwoSided, &mut lo, &mut hi))
    });
    let s = TwoSamples {
        successes1: &x,
        trials1: &n,
        successes2: &x,
        trials2: &n,
    };
    for (name, method) in [
        ("diff_newcombe", DiffMethod::Newcombe),
        ("diff_miettinen_nurminen", DiffMethod::MiettinenNurminen),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| proportion_diff_ci_batch(s, 0.95, method, Bound::TwoSided, &mut lo, &mut hi))
        });
    }
    group.bench_function("rate_exact", |b| {
        b.iter(|| {
            rate_ci_batch(
                &x,
                &exposure,
                0.95,
                RateMethod::Exact,
                Bound::TwoSided,
                &mut lo,
                &mut hi,
            )
        })
    });
    group.finish();
}

criterion_group!(benches, bench_methods, bench_others);
criterion_main!(benches);
