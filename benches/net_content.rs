//! Criterion bench of `qualstat::net_content::decide_lots`: 100,000 EU lots
//! of 1000 packages (stage 1 of the double plan: 50 packages each).

use criterion::{criterion_group, criterion_main, Criterion};
use qualstat::net_content::{decide_lots, Regime, Settings};
use rand::{Rng, SeedableRng};

fn bench(c: &mut Criterion) {
    let mut rng = rand::rngs::StdRng::seed_from_u64(12);
    let lots = 100_000;
    let per_lot = 50;
    let values: Vec<f64> = (0..lots * per_lot)
        .map(|_| {
            let u: f64 = (0..12).map(|_| rng.random::<f64>()).sum::<f64>() - 6.0;
            ((502.0 + 4.0 * u) * 10.0).round() / 10.0
        })
        .collect();
    let offsets: Vec<usize> = (0..=lots).map(|i| i * per_lot).collect();
    let nominal = vec![500.0; lots];
    let lot_size = vec![1000u64; lots];
    let settings = Settings::new(Regime::Eu);
    let mut group = c.benchmark_group("net_content");
    group.sample_size(10);
    group.bench_function("decide_lots_1e5_lots_of_50", |b| {
        b.iter(|| decide_lots(&values, &offsets, &nominal, &lot_size, None, &settings).unwrap())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
