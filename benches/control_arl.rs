//! Criterion benches of `qualstat::control::arl`: ARL curves at 100 shifts
//! (two-sided CUSUM, EWMA, Shewhart with WE rules 1-4), the design solvers,
//! and attribute charts' ARL curves at 10^5 qualities (a p chart with n = 200,
//! a u chart with 12.5 units).

use criterion::{criterion_group, criterion_main, Criterion};
use qualstat::control::arl::{
    cusum_arl, cusum_h, ewma_arl, ewma_l, shewhart_arl, AttributeChart, Counts, Sides, State,
};
use qualstat::control::rules::RuleSet;

fn bench(c: &mut Criterion) {
    let shifts: Vec<f64> = (0..100).map(|i| i as f64 * 0.03).collect();
    let we = RuleSet::WesternElectric.rules();
    let mut group = c.benchmark_group("control_arl");
    group.sample_size(10);
    group.bench_function("cusum_two_sided_100_shifts", |b| {
        b.iter(|| cusum_arl(&shifts, 0.5, 4.0, 0.0, Sides::Two, State::Zero).unwrap())
    });
    group.bench_function("cusum_fir_100_shifts", |b| {
        b.iter(|| cusum_arl(&shifts, 0.5, 4.0, 2.0, Sides::Two, State::Zero).unwrap())
    });
    group.bench_function("ewma_100_shifts", |b| {
        b.iter(|| ewma_arl(&shifts, 0.1, 2.814, State::Zero).unwrap())
    });
    group.bench_function("shewhart_we_1_4_100_shifts", |b| {
        b.iter(|| shewhart_arl(&shifts, &we, 3.0, 1, State::Zero).unwrap())
    });
    group.bench_function("cusum_h", |b| {
        b.iter(|| cusum_h(0.5, 370.0, Sides::Two, 0.0).unwrap())
    });
    group.bench_function("ewma_l", |b| b.iter(|| ewma_l(0.1, 500.0).unwrap()));
    let fractions: Vec<f64> = (0..100_000).map(|i| i as f64 * 2e-6).collect();
    let p = AttributeChart::new(Counts::Binomial { trials: 200 }, 1.2, 19.6).unwrap();
    group.bench_function("attribute_p_1e5_qualities", |b| {
        b.iter(|| p.arl(&fractions).unwrap())
    });
    let rates: Vec<f64> = (0..100_000).map(|i| i as f64 * 5e-5).collect();
    let u = AttributeChart::new(Counts::Poisson { units: 12.5 }, 3.1, 22.4).unwrap();
    group.bench_function("attribute_u_1e5_qualities", |b| {
        b.iter(|| u.arl(&rates).unwrap())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
