//! Criterion benches of `qualstat::conformity`: global risks on a 100 x 100
//! grid of process means and measurement uncertainties (guarded acceptance),
//! conformance probabilities of 10^6 items, and the normal cdf.

use criterion::{criterion_group, criterion_main, Criterion};
use qualstat::conformity::{conformance_probability_batch, global_risk_batch, Column};
use qualstat::numerics::normal;
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("conformity");
    group.sample_size(10);
    // 100 x 100 grid, flattened: mean varies fastest.
    let means: Vec<f64> = (0..10_000)
        .map(|i| 9.5 + f64::from(i % 100) * 0.01)
        .collect();
    let us: Vec<f64> = (0..10_000)
        .map(|i| 0.01 + f64::from(i / 100) * 0.002)
        .collect();
    let (sd, lo, up, alo, aup) = ([0.3], [9.0], [11.0], [9.1], [10.9]);
    group.bench_function("global_risk_grid_100x100", |b| {
        b.iter(|| {
            global_risk_batch([
                Column::new("process_mean", &means),
                Column::new("process_sd", &sd),
                Column::new("u", &us),
                Column::new("lower", &lo),
                Column::new("upper", &up),
                Column::new("acceptance lower", &alo),
                Column::new("acceptance upper", &aup),
            ])
            .unwrap()
        })
    });
    let y: Vec<f64> = (0..1_000_000).map(|i| 8.5 + f64::from(i) * 3e-6).collect();
    let (u, df) = ([0.1], [f64::INFINITY]);
    group.bench_function("conformance_probability_1e6", |b| {
        b.iter(|| {
            conformance_probability_batch(
                [
                    Column::new("y", &y),
                    Column::new("u", &u),
                    Column::new("lower", &lo),
                    Column::new("upper", &up),
                    Column::new("df", &df),
                ],
                false,
            )
            .unwrap()
        })
    });
    group.bench_function("normal_cdf_1e6", |b| {
        b.iter(|| {
            let mut s = 0.0;
            for i in 0..1_000_000 {
                s += normal::cdf(black_box(-8.0 + f64::from(i) * 1.6e-5));
            }
            s
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
