//! The one entry point `analyze`: it gives exactly the numbers of the building
//! blocks it combines, every option works in grouped studies, and extreme or
//! bad input ends in a finite number or an error naming the argument.

use qualstat::capability::{
    analyze, bootstrap_interval, boxcox_capability, capability, capability_by,
    percentile_capability, Bootstrap, BootstrapMethod, Bound, Distribution, Fitted, Index,
    IntervalMethod, Lambda, Layout, Model, NanPolicy, Options, Spec, StudyOptions, Subgroups,
    WithinMethod, MAX_RESAMPLES,
};
use qualstat::Error;

/// 40 positive values with some skew (a deterministic pseudo-random walk).
fn data() -> Vec<f64> {
    (0..40u32)
        .map(|i| 5.0 + f64::from((i * 37 + 11) % 23) / 7.0 + f64::from(i % 5) * 0.3)
        .collect()
}

const SPEC: Spec = Spec {
    lsl: Some(3.0),
    usl: Some(12.0),
    target: Some(7.0),
};

fn boot(resamples: usize) -> Bootstrap {
    Bootstrap {
        resamples,
        seed: 7,
        method: BootstrapMethod::Bca,
    }
}

#[test]
fn normal_model_equals_capability_and_bootstrap_equals_bootstrap_interval() {
    let x = data();
    let o = Options::default();
    let c = capability(&x, &Subgroups::Size(4), &SPEC, &o).unwrap();
    let s = analyze(&x, &Subgroups::Size(4), &SPEC, &StudyOptions::from(o)).unwrap();
    for &i in Index::ALL {
        assert_eq!(s.index(i), c.index(i), "{i}");
        assert_eq!(s.interval(i), c.interval(i), "{i}");
    }
    assert_eq!(s.sigma_within, Some(c.sigma_within));
    assert_eq!(s.z_bench_overall, Some(c.z_bench_overall));
    assert_eq!(s.normality, c.normality);
    assert_eq!(s.values, x);
    // All indices from one set of resamples: the same numbers as one index at a time.
    let opts = StudyOptions {
        method: IntervalMethod::Bootstrap,
        bootstrap: boot(300),
        ..StudyOptions::from(o)
    };
    let b = analyze(&x, &Subgroups::Size(4), &SPEC, &opts).unwrap();
    for i in Index::WITH_INTERVALS {
        let one = bootstrap_interval(&x, &Subgroups::Size(4), &SPEC, &o, i, &boot(300)).unwrap();
        assert_eq!(b.interval(i), Some(one.interval), "{i}");
    }
    assert_eq!(b.index(Index::Cpk), c.cpk);
    assert_eq!(b.bootstrap, Some(boot(300)));
}

#[test]
fn boxcox_and_percentile_models_equal_their_building_blocks() {
    let x = data();
    let o = Options::default();
    let bc = boxcox_capability(&x, &Subgroups::Individuals, &SPEC, &o, Lambda::Rounded).unwrap();
    let opts = StudyOptions {
        model: Model::BoxCox(Lambda::Rounded),
        ..StudyOptions::from(o)
    };
    let s = analyze(&x, &Subgroups::Individuals, &SPEC, &opts).unwrap();
    assert_eq!(s.index(Index::Ppk), bc.study.ppk);
    assert_eq!(s.interval(Index::Cp), bc.study.cp_interval);
    assert_eq!(s.spec, bc.spec_transformed);
    assert_eq!(
        s.fitted,
        Fitted::BoxCox {
            lambda: bc.lambda,
            lambda_ml: bc.lambda_ml
        }
    );
    assert!((s.values[3] - x[3].powf(bc.lambda)).abs() < 1e-12 || bc.lambda == 0.0);
    let p = percentile_capability(&x, &SPEC, Distribution::Auto).unwrap();
    let opts = StudyOptions {
        model: Model::Percentile(Distribution::Auto),
        ..StudyOptions::from(o)
    };
    let s = analyze(&x, &Subgroups::Individuals, &SPEC, &opts).unwrap();
    assert_eq!(s.index(Index::Ppk), p.ppk);
    assert_eq!(s.index(Index::Cpk), None);
    assert_eq!(s.sigma_within, None);
    assert_eq!(s.ppm_overall, p.ppm_expected);
    assert!(Index::ALL.iter().all(|&i| s.interval(i).is_none()));
    // Bootstrap intervals need the normal model.
    let bad = StudyOptions {
        method: IntervalMethod::Bootstrap,
        ..opts
    };
    let e = analyze(&x, &Subgroups::Individuals, &SPEC, &bad).unwrap_err();
    assert!(matches!(e, Error::NotAvailable(_)), "{e}");
}

#[test]
fn grouped_studies_take_every_option() {
    let x = data();
    let offsets = [0, 20, 40];
    for opts in [
        StudyOptions {
            model: Model::BoxCox(Lambda::MaximumLikelihood),
            ..StudyOptions::default()
        },
        StudyOptions {
            model: Model::Percentile(Distribution::Gamma),
            ..StudyOptions::default()
        },
        StudyOptions {
            method: IntervalMethod::Bootstrap,
            bootstrap: boot(200),
            ..StudyOptions::default()
        },
    ] {
        let res = capability_by(&x, &offsets, Layout::Size(4), &[SPEC], &opts).unwrap();
        for g in 0..2 {
            let one = analyze(
                &x[offsets[g]..offsets[g + 1]],
                &Subgroups::Size(4),
                &SPEC,
                &opts,
            );
            assert_eq!(res[g], one);
        }
    }
}

#[test]
fn names_are_case_insensitive_and_upper_bounds_work() {
    assert_eq!("Cpk".parse::<Index>(), Ok(Index::Cpk));
    assert_eq!("Pooled".parse::<WithinMethod>(), Ok(WithinMethod::Pooled));
    assert_eq!("OMIT".parse::<NanPolicy>(), Ok(NanPolicy::Omit));
    assert_eq!("BCa".parse::<BootstrapMethod>(), Ok(BootstrapMethod::Bca));
    assert_eq!("Weibull".parse::<Distribution>(), Ok(Distribution::Weibull));
    assert_eq!(
        "Bootstrap".parse::<IntervalMethod>(),
        Ok(IntervalMethod::Bootstrap)
    );
    let x = data();
    let two = capability(&x, &Subgroups::Size(4), &SPEC, &Options::default()).unwrap();
    let upper = Options {
        bound: Bound::Upper,
        confidence: 0.975,
        ..Options::default()
    };
    let up = capability(&x, &Subgroups::Size(4), &SPEC, &upper).unwrap();
    // A 97.5 % upper bound is the upper end of the 95 % two-sided interval.
    for i in Index::WITH_INTERVALS {
        let (t, u) = (two.interval(i).unwrap(), up.interval(i).unwrap());
        assert!((t.upper - u.upper).abs() < 1e-12 * t.upper.abs(), "{i}");
        assert_eq!(u.lower, i.floor());
    }
}

#[test]
fn one_sided_bootstrap_bounds_leave_the_other_side_open() {
    let x = data();
    for (bound, open_lower) in [(Bound::Lower, false), (Bound::Upper, true)] {
        let opts = StudyOptions {
            method: IntervalMethod::Bootstrap,
            bootstrap: boot(300),
            options: Options {
                bound,
                ..Options::default()
            },
            ..StudyOptions::default()
        };
        let s = analyze(&x, &Subgroups::Size(4), &SPEC, &opts).unwrap();
        for i in Index::WITH_INTERVALS {
            let iv = s.interval(i).unwrap();
            let est = s.index(i).unwrap();
            if open_lower {
                assert!(iv.lower == i.floor() && iv.upper > est, "{i}");
            } else {
                assert!(iv.upper == f64::INFINITY && iv.lower < est, "{i}");
            }
        }
    }
}

#[test]
fn bootstrap_resamples_are_capped() {
    let x = data();
    let opts = StudyOptions {
        method: IntervalMethod::Bootstrap,
        bootstrap: boot(1_000_000_000_000),
        ..StudyOptions::default()
    };
    let e = analyze(&x, &Subgroups::Individuals, &SPEC, &opts).unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.starts_with("resamples = 1000000000000 is invalid") && msg.contains("1000000"),
        "{msg}"
    );
    assert_eq!(MAX_RESAMPLES, 1_000_000);
    let few = bootstrap_interval(
        &x,
        &Subgroups::Individuals,
        &SPEC,
        &Options::default(),
        Index::Cpk,
        &boot(99),
    );
    assert!(few.unwrap_err().to_string().starts_with("resamples = 99"));
}

#[test]
fn extreme_inputs_give_finite_z_bench_and_intervals() {
    let x = data();
    let o = Options::default();
    let spec = |lsl: Option<f64>, usl: Option<f64>| Spec {
        lsl,
        usl,
        target: None,
    };
    for s in [
        spec(Some(-1e6), Some(1e6)),
        spec(Some(1000.0), Some(1001.0)),
        spec(Some(-1000.0), Some(-999.0)),
        spec(None, Some(1e6)),
        spec(Some(-1e300), Some(1e300)),
    ] {
        let r = capability(&x, &Subgroups::Individuals, &s, &o).unwrap();
        assert!(
            r.z_bench_within.is_finite() && r.z_bench_overall.is_finite(),
            "{s:?}"
        );
        for i in Index::WITH_INTERVALS {
            if let Some(iv) = r.interval(i) {
                assert!(iv.lower.is_finite() && iv.upper.is_finite(), "{s:?} {i}");
            }
        }
    }
    // One limit: Z.bench is exactly 3 Ppu.
    let r = capability(&x, &Subgroups::Individuals, &spec(None, Some(1e6)), &o).unwrap();
    assert!((r.z_bench_overall - 3.0 * r.ppu.unwrap()).abs() < 1e-9 * r.z_bench_overall);
    // A mean far outside: Z.bench about 3 Ppk (negative), not −∞.
    let r = capability(
        &x,
        &Subgroups::Individuals,
        &spec(Some(1000.0), Some(1001.0)),
        &o,
    )
    .unwrap();
    assert!((r.z_bench_overall / (3.0 * r.ppk.unwrap()) - 1.0).abs() < 1e-6);
    // Limits whose distance overflows in standard deviations: a clear error.
    let e = capability(
        &x,
        &Subgroups::Individuals,
        &spec(Some(-1e308), Some(1e308)),
        &o,
    )
    .unwrap_err();
    assert!(e.to_string().contains("overflow"), "{e}");
    // A spread too small to represent.
    let tiny: Vec<f64> = x.iter().map(|v| v * 1e-300).collect();
    let e = capability(&tiny, &Subgroups::Individuals, &spec(None, Some(1.0)), &o).unwrap_err();
    assert!(e.to_string().contains("rescale the data"), "{e}");
}

#[test]
fn boxcox_overflow_names_the_value_that_overflows() {
    let x = data();
    let o = Options::default();
    // λ < 0 exchanges the limits; the message still names usl.
    let spec = Spec {
        lsl: None,
        usl: Some(1e-70),
        target: None,
    };
    let e =
        boxcox_capability(&x, &Subgroups::Individuals, &spec, &o, Lambda::Fixed(-5.0)).unwrap_err();
    assert!(e.to_string().starts_with("usl = 0.000"), "{e}");
    assert!(e.to_string().contains("lambda = -5"), "{e}");
    let mut big = x.clone();
    big[3] = 1e100;
    let e = boxcox_capability(&big, &Subgroups::Individuals, &SPEC, &o, Lambda::Fixed(4.0))
        .unwrap_err();
    assert!(e.to_string().starts_with("data[3] = 1000"), "{e}");
}

#[test]
fn core_messages_are_plain_words() {
    let o = Options::default();
    let e = capability(&[1.0, f64::NAN, 2.0], &Subgroups::Individuals, &SPEC, &o).unwrap_err();
    let nan = e.to_string();
    let none = capability(&[1.0, 2.0], &Subgroups::Individuals, &Spec::default(), &o)
        .unwrap_err()
        .to_string();
    for msg in [nan, none] {
        assert!(!msg.contains("None") && !msg.contains("=\""), "{msg}");
    }
}
