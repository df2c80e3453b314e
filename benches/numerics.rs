//! Criterion benches for src/numerics: the incomplete beta inverse on a batch
//! typical of Clopper–Pearson bounds (x up to n, n up to 1e4), next to
//! statrs' Beta::inverse_cdf on the same inputs, the binomial cdf, and the
//! symmetric incomplete beta I_x(ν/2, ν/2) of the s-method's p̂ by its finite
//! sums (`SymmetricBeta`) next to the general `beta_inc`, per ν (how
//! `SYMMETRIC_BETA_MAX_DF` was chosen).

use criterion::{criterion_group, criterion_main, Criterion};
use qualstat::numerics::{binomial, special};
use rand::{Rng, SeedableRng};
use statrs::distribution::{Beta, ContinuousCDF};
use std::hint::black_box;

/// 1e5 (a, b, p) triples: a Clopper–Pearson lower bound Beta(x, n − x + 1)
/// at α/2 = 0.025 or an upper bound Beta(x + 1, n − x) at 0.975.
fn clopper_pearson_inputs() -> Vec<(f64, f64, f64)> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    (0..100_000)
        .map(|i| {
            let n: u64 = rng.random_range(1..=10_000);
            let x: u64 = rng.random_range(0..n);
            if i % 2 == 0 && x > 0 {
                (x as f64, (n - x + 1) as f64, 0.025)
            } else {
                ((x + 1) as f64, (n - x) as f64, 0.975)
            }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let inputs = clopper_pearson_inputs();
    let mut group = c.benchmark_group("beta_inc_inv_1e5");
    group.sample_size(10);
    group.bench_function("qualstat", |bch| {
        bch.iter(|| {
            inputs
                .iter()
                .map(|&(a, b, p)| special::beta_inc_inv(a, b, p))
                .sum::<f64>()
        })
    });
    group.bench_function("statrs", |bch| {
        bch.iter(|| {
            inputs
                .iter()
                .map(|&(a, b, p)| {
                    Beta::new(a, b)
                        .map(|d| d.inverse_cdf(p))
                        .unwrap_or(f64::NAN)
                })
                .sum::<f64>()
        })
    });
    group.finish();

    let cdf_inputs: Vec<(u64, u64, f64)> = inputs
        .iter()
        .map(|&(a, b, p)| ((a as u64).saturating_sub(1), (a + b) as u64 - 1, p.min(0.5)))
        .collect();
    let mut group = c.benchmark_group("binomial_cdf_1e5");
    group.sample_size(10);
    group.bench_function("qualstat", |bch| {
        bch.iter(|| {
            cdf_inputs
                .iter()
                .map(|&(k, n, p)| binomial::cdf(black_box(k), n, p))
                .sum::<f64>()
        })
    });
    group.finish();

    // 1,000 x per ν with I_x log-uniform in [1e-10, 0.5] (p̂ of real lots),
    // half of them mirrored above ½.
    let mut group = c.benchmark_group("symmetric_beta_1e3");
    group.sample_size(20);
    for df in [1u64, 4, 5, 34, 33, 100, 101, 200, 201, 400, 401] {
        let a = df as f64 / 2.0;
        let xs: Vec<f64> = (0..1000)
            .map(|i| {
                let p = 10f64.powf(-10.0 + 9.7 * (i as f64 + 0.5) / 1000.0);
                let x = special::beta_inc_inv(a, a, p);
                if i % 2 == 0 {
                    x
                } else {
                    1.0 - x
                }
            })
            .collect();
        let sums = special::SymmetricBeta::new(df);
        group.bench_function(format!("sums df {df}"), |bch| {
            bch.iter(|| xs.iter().map(|&x| sums.lower(black_box(x))).sum::<f64>())
        });
        group.bench_function(format!("beta_inc df {df}"), |bch| {
            bch.iter(|| {
                xs.iter()
                    .map(|&x| special::beta_inc(a, a, black_box(x)))
                    .sum::<f64>()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
