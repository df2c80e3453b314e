//! Criterion benches of `qualstat::control::rules::evaluate`: all eight
//! Nelson rules and the four Western Electric rules on 10^6 individual values.

use criterion::{criterion_group, criterion_main, Criterion};
use qualstat::control::rules::{evaluate, RuleSet, Zones};
use rand::{Rng, SeedableRng};

fn bench(c: &mut Criterion) {
    let n = 1_000_000;
    let mut rng = rand::rngs::StdRng::seed_from_u64(1);
    let x: Vec<f64> = (0..n).map(|_| rng.random_range(-3.5..3.5)).collect();
    let (center, sigma) = (vec![0.0; n], vec![1.0; n]);
    let (lcl, ucl) = (vec![-3.0; n], vec![3.0; n]);
    let zones = Zones {
        value: &x,
        center: &center,
        sigma: &sigma,
        lcl: &lcl,
        ucl: &ucl,
        floor: f64::NEG_INFINITY,
        ceiling: f64::INFINITY,
    };
    let mut group = c.benchmark_group("control");
    group.sample_size(10);
    for (name, set) in [
        ("nelson_8_rules_1e6", RuleSet::Nelson),
        ("we_4_rules_1e6", RuleSet::WesternElectric),
    ] {
        let rules = set.rules();
        group.bench_function(name, |b| b.iter(|| evaluate(&rules, &zones).unwrap()));
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
