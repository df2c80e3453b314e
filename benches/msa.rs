//! Criterion benches of `qualstat::msa::gauge_rr`: a crossed study of
//! 2,000 parts x 10 operators x 5 replicates (10^5 measurements) and of
//! 20,000 parts x 10 x 5 (10^6), by ANOVA and by Average & Range.

use criterion::{criterion_group, criterion_main, Criterion};
use qualstat::msa::{gauge_rr, GaugeMethod, GaugeOptions};
use rand::{Rng, SeedableRng};

fn study(parts: u32, operators: u32, replicates: u32) -> (Vec<f64>, Vec<u32>, Vec<u32>) {
    let mut rng = rand::rngs::StdRng::seed_from_u64(1);
    let part_effect: Vec<f64> = (0..parts).map(|_| rng.random_range(-3.0..3.0)).collect();
    let mut y = Vec::new();
    let mut p = Vec::new();
    let mut o = Vec::new();
    for i in 0..parts {
        for j in 0..operators {
            for _ in 0..replicates {
                y.push(
                    50.0 + part_effect[i as usize] + 0.1 * j as f64 + rng.random_range(-0.5..0.5),
                );
                p.push(i);
                o.push(j);
            }
        }
    }
    (y, p, o)
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("gauge_rr");
    group.sample_size(10);
    for (name, parts) in [("1e5", 2_000), ("1e6", 20_000)] {
        let (y, p, o) = study(parts, 10, 5);
        for (label, method) in [
            ("anova", GaugeMethod::Anova),
            ("xbar_r", GaugeMethod::XbarR),
        ] {
            let options = GaugeOptions {
                method,
                ..GaugeOptions::default()
            };
            group.bench_function(format!("{label}_{name}"), |b| {
                b.iter(|| gauge_rr(&y, &p, Some(&o), &options).unwrap())
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
