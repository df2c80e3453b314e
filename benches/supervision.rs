//! Criterion benches of `qualstat::supervision`: rank intervals for 1,000
//! units x 10,000 draws, and shrinkage (MLE fit + credible intervals) of 10^6 units.

use criterion::{criterion_group, criterion_main, Criterion};
use qualstat::supervision::{rank_intervals, shrink, RankPrior, ShrinkMethod};
use rand::{Rng, SeedableRng};

fn units(size: usize) -> (Vec<i64>, Vec<i64>) {
    let mut rng = rand::rngs::StdRng::seed_from_u64(1);
    let n: Vec<i64> = (0..size).map(|_| rng.random_range(5..500)).collect();
    let x = n
        .iter()
        .map(|&m| {
            // Unit rates spread around 0.9 (over-dispersed).
            let p: f64 = 0.8 + 0.19 * rng.random::<f64>();
            (p * m as f64).round() as i64
        })
        .collect();
    (x, n)
}

fn bench(c: &mut Criterion) {
    let (x, n) = units(1_000);
    let mut group = c.benchmark_group("supervision");
    group.sample_size(10);
    group.bench_function("rank_intervals_1000x10000_eb", |b| {
        b.iter(|| rank_intervals(&x, &n, 0.95, 10_000, 0, RankPrior::Eb).unwrap())
    });
    let (x, n) = units(1_000_000);
    group.bench_function("shrink_mle_1e6", |b| {
        b.iter(|| shrink(&x, &n, ShrinkMethod::Mle, 0.95).unwrap())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
