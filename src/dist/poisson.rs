//! The Poisson distribution with mean λ.

use super::special;

/// P(X = k) for X ~ Poisson(λ).
pub fn pmf(k: u64, lambda: f64) -> f64 {
    if !(lambda >= 0.0 && lambda.is_finite()) {
        return f64::NAN;
    }
    if lambda == 0.0 {
        return if k == 0 { 1.0 } else { 0.0 };
    }
    let k = k as f64;
    (k * lambda.ln() - lambda - special::ln_gamma(k + 1.0)).exp()
}

/// P(X <= k) for X ~ Poisson(λ) = Q(k + 1, λ).
pub fn cdf(k: u64, lambda: f64) -> f64 {
    if !(lambda >= 0.0 && lambda.is_finite()) {
        return f64::NAN;
    }
    if lambda == 0.0 {
        return 1.0;
    }
    special::gamma_q(k as f64 + 1.0, lambda)
}

/// P(X > k) for X ~ Poisson(λ) = P(k + 1, λ).
pub fn sf(k: u64, lambda: f64) -> f64 {
    if !(lambda >= 0.0 && lambda.is_finite()) {
        return f64::NAN;
    }
    if lambda == 0.0 {
        return 0.0;
    }
    special::gamma_p(k as f64 + 1.0, lambda)
}
