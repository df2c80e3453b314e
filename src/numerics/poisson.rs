//! The Poisson distribution with mean λ.
//!
//! pmf: Loader's form (C. Loader 2000) P(X = k) = exp(−δ(k) − bd0(k, λ)) / √(2πk),
//! accurate for k and λ up to 1e9 and beyond. cdf and sf: P(X ≤ k) = Q(k + 1, λ)
//! and P(X > k) = P(k + 1, λ) (Abramowitz & Stegun 26.4.21), each tail
//! computed directly.

use super::special::{self, stirling};

fn valid(lambda: f64) -> bool {
    lambda >= 0.0 && lambda.is_finite()
}

/// ln P(X = k) for X ~ Poisson(λ).
pub fn ln_pmf(k: u64, lambda: f64) -> f64 {
    if !valid(lambda) {
        return f64::NAN;
    }
    if lambda == 0.0 {
        return if k == 0 { 0.0 } else { f64::NEG_INFINITY };
    }
    stirling::ln_poisson_raw(k as f64, lambda)
}

/// P(X = k) for X ~ Poisson(λ); NaN unless λ ≥ 0 is finite.
pub fn pmf(k: u64, lambda: f64) -> f64 {
    ln_pmf(k, lambda).exp()
}

/// P(X ≤ k) = Q(k + 1, λ).
pub fn cdf(k: u64, lambda: f64) -> f64 {
    if !valid(lambda) {
        return f64::NAN;
    }
    if lambda == 0.0 {
        return 1.0;
    }
    special::gamma_tails(k as f64 + 1.0, lambda).ln_upper.exp()
}

/// P(X > k) = P(k + 1, λ).
pub fn sf(k: u64, lambda: f64) -> f64 {
    if !valid(lambda) {
        return f64::NAN;
    }
    if lambda == 0.0 {
        return 0.0;
    }
    special::gamma_tails(k as f64 + 1.0, lambda).ln_lower.exp()
}
