//! The Anderson–Darling test of normality (mean and variance estimated).
//!
//! Source: D'Agostino & Stephens (1986), *Goodness-of-Fit Techniques*,
//! §4.8 and Table 4.9 (the modified statistic A*² and its p-value
//! approximations), as used by Minitab's normality test.

use crate::numerics::normal;

/// Result of the Anderson–Darling normality test.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AndersonDarling {
    /// The statistic A² = −N − (1/N) Σ (2i − 1)[ln Φ(zᵢ) + ln(1 − Φ(z₍N+1−i₎))].
    pub statistic: f64,
    /// The p-value from A*² = A²(1 + 0.75/N + 2.25/N²).
    pub p_value: f64,
}

/// A² of `sorted` (ascending) against a normal with the given mean and sd.
pub(crate) fn ad_statistic(sorted: &[f64], mean: f64, sd: f64) -> f64 {
    let n = sorted.len();
    let nf = n as f64;
    let mut s = 0.0;
    for (i, (&lo, &hi)) in sorted.iter().zip(sorted.iter().rev()).enumerate() {
        let zl = (lo - mean) / sd;
        let zh = (hi - mean) / sd;
        s += (2.0 * i as f64 + 1.0) * (normal::cdf(zl).ln() + normal::sf(zh).ln());
    }
    -nf - s / nf
}

/// The p-value of A² for the normal with estimated mean and variance.
pub(crate) fn ad_normal_p_value(a2: f64, n: usize) -> f64 {
    let nf = n as f64;
    let a = a2 * (1.0 + 0.75 / nf + 2.25 / (nf * nf));
    let p = if a >= 0.6 {
        (1.2937 - 5.709 * a + 0.0186 * a * a).exp()
    } else if a >= 0.34 {
        (0.9177 - 4.279 * a - 1.38 * a * a).exp()
    } else if a >= 0.2 {
        1.0 - (-8.318 + 42.796 * a - 59.938 * a * a).exp()
    } else {
        1.0 - (-13.436 + 101.14 * a - 223.73 * a * a).exp()
    };
    p.clamp(0.0, 1.0)
}

/// Anderson–Darling normality test of `sorted` (ascending, at least 2 values,
/// positive sd) with the sample mean and standard deviation.
pub(crate) fn anderson_darling(sorted: &[f64], mean: f64, sd: f64) -> AndersonDarling {
    let statistic = ad_statistic(sorted, mean, sd);
    AndersonDarling {
        statistic,
        p_value: ad_normal_p_value(statistic, sorted.len()),
    }
}
