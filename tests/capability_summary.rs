//! Studies from mergeable summaries equal the studies of the values
//! (`capability_from_summary` / `capability_from_summaries` against
//! `capability` / `capability_by`), whatever the split into parts.

use proptest::prelude::*;
use qualstat::capability::{
    capability, capability_by, capability_from_summaries, capability_from_summary, Index, Layout,
    NanPolicy, Options, Spec, StudyOptions, SubgroupStats, Subgroups, Summary, WithinMethod,
};
use qualstat::numerics::summary::Moments;

/// The summary of a group's values, merged from the parts cut at `cuts`
/// (positions in the group), as a distributed frame's partitions would be.
fn summary(values: &[f64], cuts: &[usize], spec: &Spec) -> Summary {
    let mut bounds = vec![0];
    bounds.extend(cuts.iter().copied().filter(|&c| c > 0 && c < values.len()));
    bounds.push(values.len());
    bounds.sort_unstable();
    bounds.dedup();
    let mut moments = Moments::default();
    let mut mr = 0.0;
    let mut last: Option<f64> = None;
    for w in bounds.windows(2) {
        let part = &values[w[0]..w[1]];
        moments = moments.merge(Moments::of(part));
        mr += part.windows(2).map(|p| (p[1] - p[0]).abs()).sum::<f64>();
        if let (Some(l), Some(&f)) = (last, part.first()) {
            mr += (f - l).abs();
        }
        last = part.last().copied().or(last);
    }
    let (below, above) = (
        spec.lsl
            .map_or(0, |l| values.iter().filter(|&&x| x < l).count() as u64),
        spec.usl
            .map_or(0, |u| values.iter().filter(|&&x| x > u).count() as u64),
    );
    Summary {
        rows: values.len(),
        moments,
        min: values.iter().copied().fold(f64::INFINITY, f64::min),
        max: values.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        below,
        above,
        refused: None,
        moving_range_sum: mr,
        moving_ranges: values.len().saturating_sub(1),
    }
}

fn stats(values: &[f64], size: usize) -> Vec<SubgroupStats> {
    values
        .chunks(size)
        .map(|g| SubgroupStats {
            n: g.len(),
            m2: Moments::of(g).m2,
            range: g.iter().copied().fold(f64::NEG_INFINITY, f64::max)
                - g.iter().copied().fold(f64::INFINITY, f64::min),
        })
        .collect()
}

/// Equal within 1e-10 relative, or within `slack` absolute: the rounding
/// of a mean of data with a large common offset moves indices by about
/// ε·offset/σ, whichever way the mean is summed.
fn close_within(a: Option<f64>, b: Option<f64>, what: &str, slack: f64) {
    match (a, b) {
        (Some(x), Some(y)) => assert!(
            (x - y).abs() <= 1e-10 * y.abs() + slack || x == y,
            "{what}: {x} vs {y} (slack {slack})"
        ),
        (x, y) => assert_eq!(x.is_some(), y.is_some(), "{what}: {x:?} vs {y:?}"),
    }
}

fn close(a: Option<f64>, b: Option<f64>, what: &str) {
    close_within(a, b, what, 0.0);
}

fn assert_same(s: &qualstat::capability::Capability, d: &qualstat::capability::Capability) {
    let slack = 1e-13 * (1.0 + d.mean.abs()) / d.sigma_within.min(d.sigma_overall);
    let close = |a, b, what| close_within(a, b, what, slack);
    assert_eq!((s.n, s.subgroups, s.within), (d.n, d.subgroups, d.within));
    close(Some(s.mean), Some(d.mean), "mean");
    close(
        Some(s.sigma_overall),
        Some(d.sigma_overall),
        "sigma overall",
    );
    close(Some(s.sigma_within), Some(d.sigma_within), "sigma within");
    close(Some(s.df_within), Some(d.df_within), "df within");
    for &i in Index::ALL {
        close(s.index(i), d.index(i), i.name());
        close(
            s.interval(i).map(|v| v.lower),
            d.interval(i).map(|v| v.lower),
            i.name(),
        );
        close(
            s.interval(i).map(|v| v.upper),
            d.interval(i).map(|v| v.upper),
            i.name(),
        );
    }
    close_within(
        Some(s.z_bench_within),
        Some(d.z_bench_within),
        "z",
        3.0 * slack,
    );
    close(
        Some(s.ppm_observed.total),
        Some(d.ppm_observed.total),
        "ppm observed",
    );
    let (x, y) = (s.ppm_overall.total, d.ppm_overall.total);
    close_within(Some(x), Some(y), "ppm overall", 1e6 * slack);
    assert!(s.normality.statistic.is_nan() && s.normality.p_value.is_nan());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn summaries_of_parts_give_the_study_of_the_values(
        raw in prop::collection::vec(-3.0f64..3.0, 4..60),
        offset in prop_oneof![Just(0.0), Just(1e6)],
        cuts in prop::collection::vec(0usize..60, 0..4),
        size in 1usize..5,
        method in prop::sample::select(vec![
            WithinMethod::Auto, WithinMethod::Pooled, WithinMethod::Rbar,
            WithinMethod::Sbar, WithinMethod::MovingRange,
        ]),
    ) {
        let len = raw.len() - raw.len() % size;
        prop_assume!(len >= 4);
        let x: Vec<f64> = raw[..len].iter().map(|v| v + offset).collect();
        let spec = Spec { lsl: Some(offset - 2.0), usl: Some(offset + 2.5), target: Some(offset) };
        let options = Options { within: method, ..Options::default() };
        let layout = if size == 1 { Subgroups::Individuals } else { Subgroups::Size(size) };
        let direct = capability(&x, &layout, &spec, &options);
        let st = stats(&x, size);
        let sub = (size > 1).then_some(st.as_slice());
        let s = summary(&x, &cuts, &spec);
        let from = capability_from_summary(&s, sub, (size > 1).then_some(size), &spec, &options);
        match (from, direct) {
            (Ok(a), Ok(b)) => assert_same(&a, &b),
            (Err(a), Err(b)) => prop_assert_eq!(a.to_string(), b.to_string()),
            (a, b) => prop_assert!(false, "{:?} vs {:?}", a.map(|c| c.cpk), b.map(|c| c.cpk)),
        }
    }
}

#[test]
fn the_same_errors_as_the_values() {
    let spec = Spec {
        lsl: Some(0.0),
        usl: Some(10.0),
        target: None,
    };
    let o = Options::default();
    let x = [5.0, 5.0, 5.0, 5.0];
    let mut s = summary(&x, &[], &spec);
    let err = |s: &Summary, sub: Option<&[SubgroupStats]>, size: Option<usize>| {
        capability_from_summary(s, sub, size, &spec, &o)
            .unwrap_err()
            .to_string()
    };
    let direct = capability(&x, &Subgroups::Individuals, &spec, &o).unwrap_err();
    assert_eq!(err(&s, None, None), direct.to_string());
    let direct = capability(&x[..3], &Subgroups::Size(2), &spec, &o).unwrap_err();
    s.rows = 3;
    assert_eq!(err(&s, None, Some(2)), direct.to_string());
    let nan = [1.0, f64::NAN, 2.0];
    let direct = capability(&nan, &Subgroups::Individuals, &spec, &o).unwrap_err();
    s.refused = Some((1, f64::NAN));
    assert_eq!(err(&s, None, None), direct.to_string());
    let one = summary(&[1.0], &[], &spec);
    let direct = capability(
        &[1.0, f64::NAN],
        &Subgroups::Individuals,
        &spec,
        &Options {
            nan_policy: NanPolicy::Omit,
            ..o
        },
    )
    .unwrap_err();
    assert_eq!(err(&one, None, None), direct.to_string());
    let median = Options {
        within: WithinMethod::MedianMovingRange,
        ..o
    };
    let s = summary(&[1.0, 2.0, 4.0], &[], &spec);
    assert!(capability_from_summary(&s, None, None, &spec, &median).is_err());
}

#[test]
fn batch_of_summaries_equals_capability_by() {
    let x: Vec<f64> = (0..60)
        .map(|i| ((i * 37) % 11) as f64 * 0.1 + (i / 20) as f64)
        .collect();
    let spec = Spec {
        lsl: Some(-1.0),
        usl: Some(4.0),
        target: None,
    };
    let groups = [0usize, 20, 40, 60];
    let options = StudyOptions::default();
    let direct = capability_by(&x, &groups, Layout::Size(4), &[spec], &options).unwrap();
    let summaries: Vec<Summary> = groups
        .windows(2)
        .map(|w| summary(&x[w[0]..w[1]], &[7], &spec))
        .collect();
    let stats: Vec<SubgroupStats> = groups
        .windows(2)
        .flat_map(|w| stats(&x[w[0]..w[1]], 4))
        .collect();
    let offsets = [0, 5, 10, 15];
    let from = capability_from_summaries(
        &summaries,
        Some(&offsets),
        &stats,
        Some(4),
        &[spec],
        &options,
    )
    .unwrap();
    for (a, b) in from.iter().zip(&direct) {
        let (a, b) = (a.as_ref().unwrap(), b.as_ref().unwrap());
        for &i in Index::ALL {
            close(a.index(i), b.index(i), i.name());
        }
        assert!(a.values.is_empty() && a.normality.statistic.is_nan());
    }
    assert!(capability_from_summaries(
        &summaries,
        Some(&[0, 5, 15]),
        &stats,
        None,
        &[spec],
        &options
    )
    .is_err());
    assert!(capability_from_summaries(
        &summaries,
        Some(&[0, 5, 10, 14]),
        &stats,
        None,
        &[spec],
        &options
    )
    .is_err());
    assert!(
        capability_from_summaries(&summaries, None, &stats, None, &[spec, spec], &options).is_err()
    );
    let mut boot = options;
    boot.method = qualstat::capability::IntervalMethod::Bootstrap;
    assert!(capability_from_summaries(&summaries, None, &stats, None, &[spec], &boot).is_err());
}
