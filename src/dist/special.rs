//! Special functions: log-gamma, regularized incomplete beta and gamma
//! functions and their inverses.

use statrs::distribution::{Beta, ContinuousCDF};

/// ln Γ(x) for x > 0.
pub fn ln_gamma(x: f64) -> f64 {
    statrs::function::gamma::ln_gamma(x)
}

/// ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b).
pub fn ln_beta(a: f64, b: f64) -> f64 {
    statrs::function::beta::ln_beta(a, b)
}

/// Regularized incomplete beta function I_x(a, b), for a, b > 0 and x in [0, 1].
pub fn beta_inc(a: f64, b: f64, x: f64) -> f64 {
    if !(a > 0.0 && b > 0.0 && (0.0..=1.0).contains(&x)) {
        return f64::NAN;
    }
    statrs::function::beta::beta_reg(a, b, x)
}

/// Complement 1 − I_x(a, b) = I_{1−x}(b, a), computed without cancellation.
pub fn beta_inc_upper(a: f64, b: f64, x: f64) -> f64 {
    beta_inc(b, a, 1.0 - x)
}

/// Inverse of the regularized incomplete beta: the x in [0, 1] with I_x(a, b) = p.
pub fn beta_inc_inv(a: f64, b: f64, p: f64) -> f64 {
    if !(a > 0.0 && b > 0.0 && (0.0..=1.0).contains(&p)) {
        return f64::NAN;
    }
    match Beta::new(a, b) {
        Ok(d) => d.inverse_cdf(p),
        Err(_) => f64::NAN,
    }
}

/// The x in [0, 1] with 1 − I_x(a, b) = q (the upper-tail inverse).
pub fn beta_inc_inv_upper(a: f64, b: f64, q: f64) -> f64 {
    let y = beta_inc_inv(b, a, q);
    1.0 - y
}

/// Regularized lower incomplete gamma P(a, x), for a > 0 and x >= 0.
pub fn gamma_p(a: f64, x: f64) -> f64 {
    if !(a > 0.0 && x >= 0.0) {
        return f64::NAN;
    }
    statrs::function::gamma::gamma_lr(a, x)
}

/// Regularized upper incomplete gamma Q(a, x) = 1 − P(a, x).
pub fn gamma_q(a: f64, x: f64) -> f64 {
    if !(a > 0.0 && x >= 0.0) {
        return f64::NAN;
    }
    statrs::function::gamma::gamma_ur(a, x)
}

/// Inverse of P(a, ·): the x >= 0 with P(a, x) = p.
pub fn gamma_p_inv(a: f64, p: f64) -> f64 {
    use statrs::distribution::Gamma;
    if !(a > 0.0 && (0.0..=1.0).contains(&p)) {
        return f64::NAN;
    }
    match Gamma::new(a, 1.0) {
        Ok(d) => d.inverse_cdf(p),
        Err(_) => f64::NAN,
    }
}

/// Inverse of Q(a, ·): the x >= 0 with Q(a, x) = q.
pub fn gamma_q_inv(a: f64, q: f64) -> f64 {
    gamma_p_inv(a, 1.0 - q)
}
