//! `qualstat::supervision`: shrinkage and rank intervals from Rust.
//!
//! References: Gelman et al., BDA3 §5.1 (rat tumours, moment fit (1.4, 8.6)
//! from the 70 historical experiments); invariants of ranks; error paths.

use qualstat::parallel;
use qualstat::supervision::{fit_prior, rank_intervals, shrink, RankPrior, ShrinkMethod};
use qualstat::Error;

const RAT_Y: [u32; 70] = [
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1,
    5, 2, 5, 3, 2, 7, 7, 3, 3, 2, 9, 10, 4, 4, 4, 4, 4, 4, 4, 10, 4, 4, 4, 5, 11, 12, 5, 5, 6, 5,
    6, 6, 6, 6, 16, 15, 15, 9,
];
const RAT_N: [u32; 70] = [
    20, 20, 20, 20, 20, 20, 20, 19, 19, 19, 19, 18, 18, 17, 20, 20, 20, 20, 19, 19, 18, 18, 25, 24,
    23, 20, 20, 20, 20, 20, 20, 10, 49, 19, 46, 27, 17, 49, 47, 20, 20, 13, 48, 50, 20, 20, 20, 20,
    20, 20, 20, 48, 19, 19, 19, 22, 46, 49, 20, 20, 23, 19, 22, 20, 20, 20, 52, 46, 47, 24,
];

#[test]
fn moments_reproduce_bda3() {
    let p = fit_prior(&RAT_Y, &RAT_N, ShrinkMethod::Moments).unwrap();
    assert_eq!((p.alpha * 10.0).round() / 10.0, 1.4);
    assert_eq!((p.beta * 10.0).round() / 10.0, 8.6);
    // The MLE is a better (larger) likelihood fit than the moments.
    let m = fit_prior(&RAT_Y, &RAT_N, ShrinkMethod::Mle).unwrap();
    assert!(m.alpha > 0.0 && m.beta > m.alpha);
}

#[test]
fn shrink_orders_and_bounds() {
    let s = shrink(&RAT_Y, &RAT_N, ShrinkMethod::Mle, 0.9).unwrap();
    assert_eq!(s.posterior_mean.len(), 70);
    for i in 0..70 {
        assert!(s.lower[i] < s.posterior_mean[i] && s.posterior_mean[i] < s.upper[i]);
    }
}

#[test]
fn errors_name_the_argument() {
    let e = shrink(&[1.0, 2.0], &[3.0, 0.0], ShrinkMethod::Mle, 0.95).unwrap_err();
    assert!(e.to_string().contains("trials[1]"), "{e}");
    let e = shrink(&[1.0, 4.0], &[3.0, 3.0], ShrinkMethod::Mle, 0.95).unwrap_err();
    assert!(e.to_string().contains("successes[1]"), "{e}");
    let e = shrink(&[1.0, f64::NAN], &[3.0, 3.0], ShrinkMethod::Mle, 0.95).unwrap_err();
    assert!(e.to_string().contains("successes[1]"), "{e}");
    let e = shrink(&[1.0], &[3.0], ShrinkMethod::Mle, 0.95).unwrap_err();
    assert!(e.to_string().contains("at least 2 units"), "{e}");
    for method in ShrinkMethod::ALL {
        let e = shrink(&[5u32, 10, 50], &[10, 20, 100], *method, 0.95).unwrap_err();
        assert!(matches!(e, Error::NoSolution(_)), "{e}");
    }
    assert!("flat".parse::<RankPrior>().is_err());
    let e = rank_intervals(&RAT_Y, &RAT_N, 0.95, 0, 0, RankPrior::Jeffreys).unwrap_err();
    assert!(e.to_string().contains("draws"), "{e}");
}

#[test]
fn ranks_do_not_depend_on_the_thread_count() {
    let before = parallel::num_threads();
    parallel::set_num_threads(1).unwrap();
    let one = rank_intervals(&RAT_Y, &RAT_N, 0.95, 2000, 9, RankPrior::Eb).unwrap();
    parallel::set_num_threads(2).unwrap();
    let two = rank_intervals(&RAT_Y, &RAT_N, 0.95, 2000, 9, RankPrior::Eb).unwrap();
    parallel::set_num_threads(before).unwrap();
    assert_eq!(one, two);
    let k = RAT_Y.len();
    let top: f64 = one.p_top_quarter.iter().sum();
    let half: f64 = one.p_upper_half.iter().sum();
    assert!((top - (k / 4) as f64).abs() < 1e-9);
    assert!((half - (k / 2) as f64).abs() < 1e-9);
}
