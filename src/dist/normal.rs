//! The standard normal and chi-square distributions.

use super::special;

/// Standard normal cdf Φ(x).
pub fn cdf(x: f64) -> f64 {
    0.5 * statrs::function::erf::erfc(-x / std::f64::consts::SQRT_2)
}

/// Standard normal survival function 1 − Φ(x), accurate in the upper tail.
pub fn sf(x: f64) -> f64 {
    cdf(-x)
}

/// Standard normal quantile Φ⁻¹(p) for p in (0, 1); ±∞ at 0 and 1.
pub fn quantile(p: f64) -> f64 {
    if !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    -std::f64::consts::SQRT_2 * statrs::function::erf::erfc_inv(2.0 * p)
}

/// Chi-square quantile with `df` degrees of freedom: 2 · P⁻¹(df/2, p).
pub fn chi2_quantile(df: f64, p: f64) -> f64 {
    2.0 * special::gamma_p_inv(df / 2.0, p)
}

/// Upper quantile: the x with 1 − Φ(x) = q.
pub fn isf(q: f64) -> f64 {
    -quantile(q)
}
