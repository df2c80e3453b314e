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

/// 10^5 pairs whose exact limits have min(a, b) in one band: below 30 (0
/// to 19 failures in 1,000 to 9,999 trials: continued fraction, gamma
/// starts), 30 to 100 (30 to 98 failures in 1,000 to 4,999 trials), 100 to
/// 1,000 and above 1,000.
fn banded_pairs(band: &str, size: usize) -> (Vec<i64>, Vec<i64>) {
    let mut rng = rand::rngs::StdRng::seed_from_u64(2);
    let pairs: Vec<(i64, i64)> = (0..size)
        .map(|_| match band {
            "min_ab_below_30" => {
                let n = rng.random_range(1_000..10_000);
                (n - rng.random_range(0..20), n)
            }
            "min_ab_30_to_100" => {
                let n = rng.random_range(1_000..5_000);
                (n - rng.random_range(30..99), n)
            }
            "min_ab_100_to_1000" => {
                let n = rng.random_range(202..2_000);
                (rng.random_range(101..n - 100), n)
            }
            _ => {
                let n = rng.random_range(2_002..20_000);
                (rng.random_range(1_001..n - 1_000), n)
            }
        })
        .collect();
    pairs.into_iter().unzip()
}

fn bench_exact_bands(c: &mut Criterion) {
    let size = 100_000;
    let (mut lo, mut hi) = (vec![0.0; size], vec![0.0; size]);
    let mut group = c.benchmark_group("exact_bands_1e5");
    group.sample_size(10);
    for band in [
        "min_ab_below_30",
        "min_ab_30_to_100",
        "min_ab_100_to_1000",
        "min_ab_above_1000",
    ] {
        let (x, n) = banded_pairs(band, size);
        for method in [Method::ClopperPearson, Method::Jeffreys] {
            group.bench_function(format!("{method:?}/{band}"), |b| {
                b.iter(|| {
                    proportion_ci_batch(&x, &n, 0.95, method, Bound::TwoSided, &mut lo, &mut hi)
                })
            });
        }
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

criterion_group!(benches, bench_methods, bench_exact_bands, bench_others);
criterion_main!(benches);
