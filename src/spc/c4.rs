//! The unbiasing constant c4 of the sample standard deviation.

use crate::error::{Error, Result};
use crate::numerics::special::ln_gamma;

/// c4(n) = E(s)/σ for a sample of n normal observations (divisor n − 1).
///
/// # Formula
/// c4(n) = √(2/(n − 1)) · Γ(n/2) / Γ((n − 1)/2), evaluated through ln Γ so it
/// holds for any n (Minitab applies it at the pooled degrees of freedom plus
/// one, which can be in the thousands; Montgomery, *Introduction to SQC*, §6.3).
///
/// # Examples
/// ```
/// let c4 = qualstat::spc::c4(2).unwrap();
/// assert!((c4 - (2.0 / std::f64::consts::PI).sqrt()).abs() < 1e-15);
/// ```
///
/// # Errors
/// [`Error::InvalidArgument`] if `n < 2`.
pub fn c4(n: u64) -> Result<f64> {
    if n < 2 {
        return Err(Error::invalid("n", n, "a sample size of at least 2"));
    }
    Ok(c4_real(n as f64))
}

/// c4 at a real argument n ≥ 2 (no validation).
///
/// For large n the difference of two large ln Γ values would lose digits, so
/// with x = (n − 1)/2 ≥ 100 the asymptotic series of Γ(x + ½)/(Γ(x)√x)
/// is used: 1 − 1/(8x) + 1/(128x²) + 5/(1024x³) − 21/(32768x⁴)
/// − 399/(262144x⁵) + 869/(4194304x⁶) (coefficients checked against mpmath;
/// truncation error below 1e-17 for x ≥ 100).
fn c4_real(n: f64) -> f64 {
    let x = 0.5 * (n - 1.0);
    if x >= 100.0 {
        const COEF: [f64; 7] = [
            1.0,
            -1.0 / 8.0,
            1.0 / 128.0,
            5.0 / 1024.0,
            -21.0 / 32768.0,
            -399.0 / 262_144.0,
            869.0 / 4_194_304.0,
        ];
        let r = 1.0 / x;
        return COEF.iter().rev().fold(0.0, |acc, &c| acc * r + c);
    }
    (2.0 / (n - 1.0)).sqrt() * (ln_gamma(0.5 * n) - ln_gamma(0.5 * (n - 1.0))).exp()
}
