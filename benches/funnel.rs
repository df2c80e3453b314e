//! Criterion benches of `qualstat::supervision`'s funnel plots for 10^6
//! units: `funnel_limits` (the four PHE limits, score and exact), and the
//! full `funnel` call (z-scores, φ̂ and τ̂² with 10 % winsorising, then the
//! 95 % and 99.8 % limits widened by a multiplicative or an additive
//! over-dispersion adjustment, score and arcsine scales), as
//! `qs.funnel(..., overdispersion=...)` calls it.

use criterion::{criterion_group, criterion_main, Criterion};
use qualstat::supervision::{funnel, funnel_limits, FunnelBuffers, FunnelLimits, Overdispersion};
use rand::{Rng, SeedableRng};

const UNITS: usize = 1_000_000;

/// Unit sizes 5..500 and pass counts with rates spread over 0.8..0.99
/// (over-dispersed around the target 0.9, so φ̂ > 1 and τ̂² > 0).
fn units() -> (Vec<f64>, Vec<f64>) {
    let mut rng = rand::rngs::StdRng::seed_from_u64(1);
    let n: Vec<f64> = (0..UNITS)
        .map(|_| rng.random_range(5..500) as f64)
        .collect();
    let x = n
        .iter()
        .map(|&m| ((0.8 + 0.19 * rng.random::<f64>()) * m).round())
        .collect();
    (x, n)
}

fn bench(c: &mut Criterion) {
    let (x, n) = units();
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
    let levels = [0.95, 0.998];
    let (mut z, mut class) = (vec![0.0; UNITS], vec![0u8; UNITS]);
    let (mut lower, mut upper) = (vec![0.0; 2 * UNITS], vec![0.0; 2 * UNITS]);
    for (name, method, od) in [
        (
            "full_score_multiplicative_1e6",
            FunnelLimits::Score,
            Overdispersion::Multiplicative,
        ),
        (
            "full_score_additive_1e6",
            FunnelLimits::Score,
            Overdispersion::Additive,
        ),
        (
            "full_arcsine_additive_1e6",
            FunnelLimits::Arcsine,
            Overdispersion::Additive,
        ),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                let out = FunnelBuffers {
                    z: &mut z,
                    lower: &mut lower,
                    upper: &mut upper,
                    class: &mut class,
                };
                funnel(&x, &n, 0.9, method, &levels, Some(od), 0.1, false, out).unwrap()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
