//! Benches of the variables batch functions: deciding 100,000 lots of 35
//! measurements (pre-grouped with two limits and one, and from their
//! moments by the s- and sigma-methods, as decisions or into columns), the s-method's p̂ of those lots alone (one by one and side by
//! side), their moments keyed from
//! one frame (rows shuffled or sorted),
//! an s-method OC curve of 1,000 points, and designs.

use criterion::{criterion_group, criterion_main, Criterion};
use qualstat::numerics::special::SymmetricBeta;
use qualstat::numerics::summary::{moments_by_key, Moments};
use qualstat::variables::{design_variables_plan, Control, DecisionColumns, Method, VariablesPlan};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let lots = 100_000usize;
    let n = 35usize;
    // Deterministic pseudo-measurements (a linear congruential sequence).
    let mut state = 12345u64;
    let values: Vec<f64> = (0..lots * n)
        .map(|_| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            10.0 + (state >> 11) as f64 / (1u64 << 53) as f64
        })
        .collect();
    let plan = VariablesPlan::new(35, 2.03, Method::S, None).unwrap();
    let mut g = c.benchmark_group("variables");
    g.sample_size(10);
    let offsets: Vec<usize> = (0..=lots).map(|i| i * n).collect();
    g.bench_function("decide 100k lots of 35 (grouped)", |b| {
        b.iter(|| {
            plan.decide_lots(
                black_box(&values),
                &offsets,
                Some(9.5),
                Some(11.5),
                Control::Combined,
            )
            .unwrap()
        })
    });
    g.bench_function("decide 100k lots of 35 (grouped), upper limit", |b| {
        b.iter(|| {
            plan.decide_lots(
                black_box(&values),
                &offsets,
                None,
                Some(11.5),
                Control::Combined,
            )
            .unwrap()
        })
    });
    let moments: Vec<Moments> = offsets
        .windows(2)
        .map(|w| Moments::of(&values[w[0]..w[1]]))
        .collect();
    g.bench_function("decide 100k lots from moments", |b| {
        b.iter(|| {
            plan.decide_moments(
                black_box(&moments),
                Some(9.5),
                Some(11.5),
                Control::Combined,
            )
            .unwrap()
        })
    });
    let sigma_plan = VariablesPlan::new(35, 2.03, Method::Sigma, Some(0.3)).unwrap();
    g.bench_function("decide 100k lots from moments, sigma-method", |b| {
        b.iter(|| {
            sigma_plan
                .decide_moments(
                    black_box(&moments),
                    Some(9.5),
                    Some(11.5),
                    Control::Combined,
                )
                .unwrap()
        })
    });
    let (n_col, mean_col, m2_col): (Vec<u64>, Vec<f64>, Vec<f64>) = (
        moments.iter().map(|m| m.n).collect(),
        moments.iter().map(|m| m.mean).collect(),
        moments.iter().map(|m| m.m2).collect(),
    );
    let mut accept = vec![false; lots];
    let mut stats = vec![0.0; 6 * lots];
    g.bench_function("decide 100k lots from moment columns, into columns", |b| {
        b.iter(|| {
            let out = DecisionColumns::from_rows(&mut accept, &mut stats).unwrap();
            plan.decide_moment_columns(
                black_box(&n_col),
                &mean_col,
                &m2_col,
                Some(9.5),
                Some(11.5),
                Control::Combined,
                out,
            )
            .unwrap()
        })
    });
    // The s-method's p̂ alone, I_x(33/2, 33/2), at both limits' x of the
    // same lots (x = ½ − ½·q·√n/(n − 1), as the decisions compute it).
    let p_hat = SymmetricBeta::new(n as u64 - 2);
    let root_n = (n as f64).sqrt();
    let xs: Vec<f64> = moments
        .iter()
        .flat_map(|m| {
            let sd = (m.m2 / (m.n - 1) as f64).sqrt();
            [(11.5 - m.mean) / sd, (m.mean - 9.5) / sd]
        })
        .map(|q| (0.5 - 0.5 * q * root_n / (n as f64 - 1.0)).clamp(0.0, 1.0))
        .collect();
    g.bench_function("p-hat s-method, both limits of 100k lots of 35", |b| {
        b.iter(|| xs.iter().map(|&x| p_hat.lower(black_box(x))).sum::<f64>())
    });
    let mut each = xs.clone();
    g.bench_function(
        "p-hat s-method, both limits of 100k lots of 35, lower_each",
        |b| {
            b.iter(|| {
                each.copy_from_slice(black_box(&xs));
                p_hat.lower_each(&mut each);
                each.iter().sum::<f64>()
            })
        },
    );
    // The lots' moments keyed from one frame (lot numbers as keys), rows
    // shuffled (a fixed permutation by a multiplicative step) and sorted.
    let sorted_keys: Vec<i64> = (0..lots * n).map(|i| (i / n) as i64).collect();
    let step = 1_000_003; // coprime with 3.5 million
    let shuffled: Vec<usize> = (0..lots * n).map(|i| i * step % (lots * n)).collect();
    let shuffled_keys: Vec<i64> = shuffled.iter().map(|&i| sorted_keys[i]).collect();
    let shuffled_values: Vec<f64> = shuffled.iter().map(|&i| values[i]).collect();
    g.bench_function("moments of 100k lots keyed, shuffled rows", |b| {
        b.iter(|| moments_by_key(black_box(&shuffled_values), &shuffled_keys).unwrap())
    });
    g.bench_function("moments of 100k lots keyed, sorted rows", |b| {
        b.iter(|| moments_by_key(black_box(&values), &sorted_keys).unwrap())
    });
    let p: Vec<f64> = (1..=1000).map(|i| i as f64 / 1000.0 * 0.2).collect();
    g.bench_function("s-method OC, 1000 points", |b| {
        b.iter(|| plan.prob_accept_many(black_box(&p)).unwrap())
    });
    g.bench_function("design s-method (0.01, 0.06)", |b| {
        b.iter(|| design_variables_plan(black_box(0.01), 0.06, 0.05, 0.10, Method::S).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
