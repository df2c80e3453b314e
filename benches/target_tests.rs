//! Criterion benches of the tests against a target: one-sample p-values for
//! 10^6 units (exact one- and two-sided, score, finite lot) and the
//! multiplicity adjustment of 10^6 p-values.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use qualstat::multitest::{adjust_p_into, AdjustMethod};
use qualstat::proportion::{
    proportion_test_batch, proportion_test_finite_batch, Alternative, TestMethod,
};
use rand::{Rng, SeedableRng};

const UNITS: usize = 1_000_000;

/// Units with 1 to 500 batches each and pass rates near 95 %.
fn units(size: usize) -> (Vec<i64>, Vec<i64>) {
    let mut rng = rand::rngs::StdRng::seed_from_u64(10);
    let n: Vec<i64> = (0..size).map(|_| rng.random_range(1..=500)).collect();
    let x = n
        .iter()
        .map(|&m| {
            let fails = (0..m).filter(|_| rng.random::<f64>() < 0.05).count() as i64;
            m - fails
        })
        .collect();
    (x, n)
}

fn bench_tests(c: &mut Criterion) {
    let (x, n) = units(UNITS);
    let (mut z, mut p) = (vec![0.0; UNITS], vec![0.0; UNITS]);
    let mut group = c.benchmark_group("proportion_test_batch_1e6");
    group.sample_size(10);
    for (method, alternative) in [
        (TestMethod::Exact, Alternative::Less),
        (TestMethod::Exact, Alternative::TwoSided),
        (TestMethod::MidP, Alternative::TwoSided),
        (TestMethod::Score, Alternative::TwoSided),
    ] {
        let id = format!("{method}_{alternative}");
        group.bench_function(BenchmarkId::from_parameter(id), |b| {
            b.iter(|| proportion_test_batch(&x, &n, &[0.95], method, alternative, &mut z, &mut p))
        });
    }
    let pop: Vec<i64> = n.iter().map(|&m| m * 20).collect();
    group.bench_function("finite_exact_two-sided", |b| {
        b.iter(|| {
            proportion_test_finite_batch(
                &x,
                &n,
                &pop,
                &[0.95],
                TestMethod::Exact,
                Alternative::TwoSided,
                &mut z,
                &mut p,
            )
        })
    });
    group.finish();
}

fn bench_adjust(c: &mut Criterion) {
    let mut rng = rand::rngs::StdRng::seed_from_u64(11);
    let p: Vec<f64> = (0..UNITS).map(|_| rng.random::<f64>()).collect();
    let mut out = vec![0.0; UNITS];
    let mut group = c.benchmark_group("adjust_p_1e6");
    group.sample_size(10);
    for method in [AdjustMethod::Holm, AdjustMethod::Bh] {
        group.bench_function(BenchmarkId::from_parameter(method), |b| {
            b.iter(|| adjust_p_into(&p, method, &mut out))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_tests, bench_adjust);
criterion_main!(benches);
