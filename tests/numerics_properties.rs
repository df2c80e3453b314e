//! Invariants of src/numerics checked on random inputs (proptest): round trips of
//! the inverses, monotonicity, and cdf + sf = 1.

use proptest::prelude::*;
use qualstat::numerics::{
    binomial, hypergeometric, noncentral_t, normal, poisson, special, student_t,
};

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * a.abs().max(b.abs()) + 1e-300
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn beta_inc_inv_round_trip(a in 0.5f64..1e5, b in 0.5f64..1e5, p in 1e-12f64..0.999_999) {
        let x = special::beta_inc_inv(a, b, p);
        prop_assert!((0.0..=1.0).contains(&x));
        // Backward error: I_x(a, b) reproduces p up to the rounding of x.
        let back = special::beta_inc(a, b, x);
        let slack = 1e-12 + 1e-14 * (a + b).sqrt();
        prop_assert!(close(back, p, slack), "a={a} b={b} p={p} x={x} back={back}");
    }

    #[test]
    fn beta_inc_upper_inverse_round_trip(a in 0.5f64..1e4, b in 0.5f64..1e4, q in 1e-300f64..0.5) {
        let x = special::beta_inc_inv_upper(a, b, q);
        let back = special::beta_inc_upper(a, b, x);
        prop_assert!(close(back, q, 1e-11), "a={a} b={b} q={q} x={x} back={back}");
    }

    #[test]
    fn beta_inc_is_monotone_and_complementary(a in 0.1f64..1e6, b in 0.1f64..1e6, x in 0.0f64..1.0, dx in 0.0f64..0.1) {
        let lo = special::beta_inc(a, b, x);
        let hi = special::beta_inc(a, b, (x + dx).min(1.0));
        prop_assert!(lo <= hi);
        prop_assert!(close(lo + special::beta_inc_upper(a, b, x), 1.0, 1e-14));
    }

    #[test]
    fn gamma_round_trip_and_complement(a in 0.05f64..1e5, p in 1e-200f64..0.999) {
        let x = special::gamma_p_inv(a, p);
        prop_assert!(close(special::gamma_p(a, x), p, 1e-11), "a={a} p={p} x={x}");
        prop_assert!(close(special::gamma_p(a, x) + special::gamma_q(a, x), 1.0, 1e-14));
    }

    #[test]
    fn normal_quantile_round_trip(p in 1e-300f64..1.0) {
        let z = normal::quantile(p);
        prop_assert!(close(normal::cdf(z), p, 1e-13), "p={p} z={z}");
        prop_assert!(close(normal::isf(p), -z, 1e-15));
    }

    #[test]
    fn student_t_round_trip(p in 1e-12f64..0.999_999, df in 0.5f64..1e4) {
        let t = student_t::quantile(p, df);
        prop_assert!(close(student_t::cdf(t, df), p, 1e-11), "p={p} df={df} t={t}");
        prop_assert!(close(student_t::cdf(t, df) + student_t::sf(t, df), 1.0, 1e-14));
    }

    #[test]
    fn binomial_cdf_sf_pmf_consistent(n in 1u64..2_000, k in 0u64..2_000, p in 0.0f64..1.0) {
        let k = k.min(n);
        let (c, s) = (binomial::cdf(k, n, p), binomial::sf(k, n, p));
        prop_assert!(close(c + s, 1.0, 1e-14));
        if k > 0 {
            let prev = binomial::cdf(k - 1, n, p);
            prop_assert!(prev <= c);
            prop_assert!(((c - prev) - binomial::pmf(k, n, p)).abs() < 1e-14);
        }
    }

    #[test]
    fn poisson_cdf_sf_consistent(k in 0u64..10_000, lambda in 0.0f64..1e4) {
        let (c, s) = (poisson::cdf(k, lambda), poisson::sf(k, lambda));
        prop_assert!(close(c + s, 1.0, 1e-14));
        prop_assert!(poisson::cdf(k + 1, lambda) >= c);
    }

    #[test]
    fn hypergeometric_sums_to_one(population in 1u64..400, s in 0u64..400, d in 0u64..400) {
        let (succ, draws) = (s.min(population), d.min(population));
        let (lo, hi) = hypergeometric::support(population, succ, draws);
        let total: f64 = (lo..=hi).map(|k| hypergeometric::pmf(k, population, succ, draws)).sum();
        prop_assert!(close(total, 1.0, 1e-12));
        for k in lo..=hi {
            let (c, sf) = (hypergeometric::cdf(k, population, succ, draws), hypergeometric::sf(k, population, succ, draws));
            prop_assert!(close(c + sf, 1.0, 1e-13));
        }
    }

    #[test]
    fn noncentral_t_complement_and_monotone(t in -10.0f64..60.0, df in 1.0f64..1000.0, delta in 0.0f64..40.0) {
        let (c, s) = (noncentral_t::cdf(t, df, delta), noncentral_t::sf(t, df, delta));
        prop_assert!(close(c + s, 1.0, 1e-12), "t={t} df={df} delta={delta} c={c} s={s}");
        prop_assert!(noncentral_t::cdf(t + 0.5, df, delta) >= c - 1e-15);
    }
}

#[test]
fn noncentral_t_reduces_to_student_t() {
    for &(t, df) in &[(0.3, 2.0), (2.0, 10.0), (-1.5, 7.5), (8.0, 300.0)] {
        let (a, b) = (noncentral_t::sf(t, df, 0.0), student_t::sf(t, df));
        assert!(close(a, b, 1e-13), "{t} {df}: {a} vs {b}");
    }
}

#[test]
fn outside_domain_is_nan() {
    assert!(special::beta_inc(-1.0, 2.0, 0.5).is_nan());
    assert!(special::beta_inc(1.0, 2.0, 1.5).is_nan());
    assert!(special::beta_inc(f64::NAN, 2.0, 0.5).is_nan());
    assert!(special::beta_inc_inv(1.0, 2.0, -0.1).is_nan());
    assert!(special::beta_inc_inv_upper(1.0, 0.0, 0.1).is_nan());
    assert!(special::gamma_p(0.0, 1.0).is_nan());
    assert!(special::gamma_q(1.0, -1.0).is_nan());
    assert!(special::gamma_p_inv(1.0, 2.0).is_nan());
    assert!(special::ln_gamma(-1.0).is_nan());
    assert!(normal::quantile(1.5).is_nan());
    assert!(normal::isf(f64::NAN).is_nan());
    assert!(normal::cdf(f64::NAN).is_nan());
    assert!(binomial::pmf(1, 10, 1.5).is_nan());
    assert!(binomial::cdf(1, 10, f64::NAN).is_nan());
    assert!(poisson::cdf(1, -1.0).is_nan());
    assert!(poisson::pmf(1, f64::INFINITY).is_nan());
    assert!(hypergeometric::pmf(1, 10, 11, 2).is_nan());
    assert!(student_t::cdf(1.0, 0.0).is_nan());
    assert!(noncentral_t::sf(1.0, -1.0, 0.0).is_nan());
    assert!(noncentral_t::cdf(1.0, 5.0, f64::NAN).is_nan());
}

#[test]
fn edges() {
    assert_eq!(special::beta_inc_inv(2.0, 3.0, 0.0), 0.0);
    assert_eq!(special::beta_inc_inv(2.0, 3.0, 1.0), 1.0);
    assert_eq!(special::beta_inc(2.0, 3.0, 0.0), 0.0);
    assert_eq!(special::beta_inc(2.0, 3.0, 1.0), 1.0);
    assert_eq!(special::gamma_p_inv(2.0, 1.0), f64::INFINITY);
    assert_eq!(normal::quantile(0.0), f64::NEG_INFINITY);
    assert_eq!(normal::isf(0.0), f64::INFINITY);
    assert_eq!(binomial::cdf(10, 10, 0.3), 1.0);
    assert_eq!(binomial::pmf(11, 10, 0.3), 0.0);
    assert_eq!(binomial::pmf(0, 10, 0.0), 1.0);
    assert_eq!(binomial::sf(3, 10, 1.0), 1.0);
    assert_eq!(poisson::cdf(0, 0.0), 1.0);
    assert_eq!(hypergeometric::cdf(5, 100, 5, 50), 1.0);
    assert_eq!(hypergeometric::pmf(3, 10, 3, 10), 1.0);
    assert_eq!(student_t::quantile(0.5, 3.0), 0.0);
}
