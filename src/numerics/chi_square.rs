//! The chi-square distribution with `df` > 0 degrees of freedom, through the
//! regularized incomplete gamma functions of [`super::special`]
//! (Abramowitz & Stegun 26.4.19): F(x; ν) = P(ν/2, x/2), 1 − F = Q(ν/2, x/2),
//! and the quantiles 2·P⁻¹(ν/2, p), 2·Q⁻¹(ν/2, q).
//!
//! Arguments in the order of the other distributions: the point (or
//! probability) first, then the parameter. NaN outside the domain. Checked
//! against mpmath in `tests/numerics_reference.rs`.

use super::special;

/// Cdf P(X ≤ x) = P(df/2, x/2), for `df` > 0 and x ≥ 0.
///
/// # Examples
/// ```
/// use qualstat::numerics::chi_square;
/// // 95th percentile of chi-square with 1 degree of freedom: 3.841...
/// assert!((chi_square::cdf(3.841_458_820_694_124, 1.0) - 0.95).abs() < 1e-15);
/// ```
pub fn cdf(x: f64, df: f64) -> f64 {
    special::gamma_p(df / 2.0, x / 2.0)
}

/// Survival function P(X > x) = Q(df/2, x/2), accurate in the upper tail.
pub fn sf(x: f64, df: f64) -> f64 {
    special::gamma_q(df / 2.0, x / 2.0)
}

/// Quantile: the x with P(X ≤ x) = p, 2 · P⁻¹(df/2, p), for p in [0, 1].
///
/// # Examples
/// ```
/// use qualstat::numerics::chi_square;
/// let x = chi_square::quantile(0.95, 1.0);
/// assert!((x - 3.841_458_820_694_124).abs() < 1e-13);
/// ```
pub fn quantile(p: f64, df: f64) -> f64 {
    2.0 * special::gamma_p_inv(df / 2.0, p)
}

/// Upper quantile: the x with P(X > x) = q, 2 · Q⁻¹(df/2, q), for q in [0, 1].
pub fn isf(q: f64, df: f64) -> f64 {
    2.0 * special::gamma_q_inv(df / 2.0, q)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_degrees_of_freedom_is_exponential() {
        // χ²(2) is exponential with mean 2: F(x) = 1 − e^{−x/2}.
        for x in [0.01, 0.5, 2.0, 10.0, 100.0] {
            assert!((cdf(x, 2.0) - (-(-x / 2.0).exp_m1())).abs() < 1e-15);
            assert!((sf(x, 2.0) / (-x / 2.0).exp() - 1.0).abs() < 1e-14);
            // The upper quantile is well conditioned everywhere; the lower
            // one only while p is not close to 1.
            assert!((isf(sf(x, 2.0), 2.0) / x - 1.0).abs() < 1e-13);
            if x <= 10.0 {
                assert!((quantile(cdf(x, 2.0), 2.0) / x - 1.0).abs() < 1e-13);
            }
        }
        assert!(cdf(1.0, -1.0).is_nan());
    }
}
