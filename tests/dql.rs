//! DQL verification plans (ISO 2859-4 risk criteria): the published cells and
//! the defining properties of the design.

use qualstat::dql::{
    allocate, allocate_equal, design, preferred_sizes, Design, DqlModel, SampleSizes,
};
use qualstat::Error;

#[test]
fn iso2859_4_2002_example_cell() {
    // ISO 2859-4:2002 clause 7.2 example: DQL 0.65 %, n = 125, L = 2.
    let p = design(&Design {
        limiting_number: Some(2),
        ..Design::new(0.0065)
    })
    .unwrap();
    assert_eq!((p.n, p.limiting_number), (125, 2));
    assert!(p.alpha < 0.05);
}

#[test]
fn iso2859_4_2020_example_is_just_above_five_percent() {
    // The 2020 example (n = 127, L = 2) is not reproduced: any-size search stops at 126.
    let p = design(&Design {
        limiting_number: Some(2),
        sample_sizes: SampleSizes::Any,
        ..Design::new(0.0065)
    })
    .unwrap();
    assert_eq!(p.n, 126);
}

#[test]
fn supervision_five_zero_plan() {
    // "(5; 0)": L = 0 at DQL 1 %: largest n = floor(ln 0.95 / ln 0.99) = 5.
    for sizes in [SampleSizes::Any, SampleSizes::Preferred] {
        let p = design(&Design {
            limiting_number: Some(0),
            sample_sizes: sizes,
            ..Design::new(0.01)
        })
        .unwrap();
        assert_eq!(p.n, 5);
    }
    // The closed form for L = 0 at other DQLs.
    for dql in [0.001, 0.0065, 0.025, 0.04] {
        let p = design(&Design {
            limiting_number: Some(0),
            sample_sizes: SampleSizes::Any,
            ..Design::new(dql)
        })
        .unwrap();
        let want = (0.95f64.ln() / (1.0 - dql).ln()).floor() as u64;
        assert_eq!(p.n, want, "dql {dql}");
    }
}

#[test]
fn largest_admissible_size_and_lqr_search() {
    for dql in [0.0001, 0.001, 0.0065, 0.04, 0.15] {
        for l in [0u64, 1, 2, 6] {
            let d = Design {
                limiting_number: Some(l),
                sample_sizes: SampleSizes::Any,
                ..Design::new(dql)
            };
            let Ok(p) = design(&d) else { continue };
            assert!(p.alpha <= 0.05);
            let next = qualstat::numerics::binomial::sf(l, p.n + 1, dql);
            assert!(next > 0.05, "dql {dql} L {l} n {}", p.n);
            assert!((p.lqr - p.lq / dql).abs() < 1e-12);
            let beta = qualstat::numerics::binomial::cdf(l, p.n, p.lq);
            assert!((beta - 0.10).abs() < 1e-9);
        }
        let p = design(&Design {
            lqr: Some(4.0),
            ..Design::new(dql)
        })
        .unwrap();
        assert!(p.lqr <= 4.0 && p.alpha <= 0.05);
        if p.limiting_number > 0 {
            let smaller = design(&Design {
                limiting_number: Some(p.limiting_number - 1),
                ..Design::new(dql)
            });
            if let Ok(s) = smaller {
                assert!(s.lqr > 4.0);
            }
        }
    }
}

#[test]
fn preferred_series() {
    let s = preferred_sizes(100_000);
    assert_eq!(&s[..4], &[2, 3, 5, 8]);
    assert!(s.contains(&3150) && s.contains(&5000) && s.contains(&8000) && s.contains(&80_000));
    assert!(s.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn population_design() {
    // N = 50, DQL 2 %: declared count 1, L = 1 never contradicts a conforming
    // population, so every item can be inspected.
    let p = design(&Design {
        limiting_number: Some(1),
        population: Some(50),
        ..Design::new(0.02)
    })
    .unwrap();
    assert!(p.full_inspection && p.n == 50 && p.alpha == 0.0);
    let p = design(&Design {
        limiting_number: Some(0),
        sample_sizes: SampleSizes::Any,
        population: Some(500),
        ..Design::new(0.02)
    })
    .unwrap();
    // Declared count 10: P(d > 0) = 1 - C(490, n)/C(500, n) <= 0.05.
    let a = |n: u64| qualstat::numerics::hypergeometric::sf(0, 500, 10, n);
    assert!(a(p.n) <= 0.05 && a(p.n + 1) > 0.05);
}

#[test]
fn poisson_model_and_oc() {
    let p = design(&Design {
        limiting_number: Some(2),
        model: DqlModel::Poisson,
        ..Design::new(0.0065)
    })
    .unwrap();
    assert_eq!(p.n, 125);
    assert!((p.prob_contradict(1.0).unwrap() - p.alpha).abs() < 1e-14);
    assert!((p.prob_contradict(p.lqr).unwrap() - 0.9).abs() < 1e-9);
    let oc = p.prob_contradict_many(&[0.0, 1.0, 2.0, 10.0]).unwrap();
    assert!(oc.windows(2).all(|w| w[0] <= w[1]) && oc[0] == 0.0);
}

#[test]
fn decisions() {
    let p = design(&Design {
        limiting_number: Some(2),
        ..Design::new(0.0065)
    })
    .unwrap();
    assert!(!p.contradicted(0).unwrap());
    assert!(!p.contradicted(2).unwrap());
    assert!(p.contradicted(3).unwrap());
    assert!(p.contradicted(126).is_err());
}

#[test]
fn allocation() {
    assert_eq!(allocate(2, &[1, 1, 1]).unwrap(), vec![1, 1, 0]);
    assert_eq!(allocate(7, &[10, 10, 10, 10]).unwrap(), vec![2, 2, 2, 1]);
    assert_eq!(allocate(5, &[3, 7]).unwrap(), vec![2, 3]);
    assert_eq!(allocate_equal(127, 5).unwrap(), vec![26, 26, 25, 25, 25]);
    assert!(allocate(5, &[]).is_err());
    assert!(allocate(5, &[1, 0]).is_err());
    assert!(allocate(11, &[5, 5]).is_err());
    assert!(allocate_equal(5, 0).is_err());
}

#[test]
fn bad_input() {
    let bad = |d: Design| design(&d).unwrap_err();
    assert!(matches!(bad(Design::new(0.01)), Error::Absent { .. }));
    for dql in [0.0, 1.0, -0.1, f64::NAN] {
        let e = bad(Design {
            limiting_number: Some(1),
            ..Design::new(dql)
        });
        assert!(e.to_string().starts_with("dql = "), "{e}");
    }
    let e = bad(Design {
        lqr: Some(1.0),
        ..Design::new(0.01)
    });
    assert!(e.to_string().starts_with("lqr = "));
    let e = bad(Design {
        limiting_number: Some(1),
        alpha: 1.5,
        ..Design::new(0.01)
    });
    assert!(e.to_string().starts_with("alpha = "));
    // Limiting number too small for any preferred size: n = 2 at DQL 50 %, L = 0.
    let e = bad(Design {
        limiting_number: Some(0),
        ..Design::new(0.5)
    });
    assert!(matches!(e, Error::NoSolution(_)));
    // Requirement that the fixed L cannot meet.
    let e = bad(Design {
        limiting_number: Some(0),
        lqr: Some(2.0),
        ..Design::new(0.01)
    });
    assert!(matches!(e, Error::NoSolution(_)));
}
