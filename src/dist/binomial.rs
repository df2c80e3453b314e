//! The binomial distribution Bin(n, p).

use super::special;

/// P(X = k) for X ~ Bin(n, p).
pub fn pmf(k: u64, n: u64, p: f64) -> f64 {
    if k > n || !(0.0..=1.0).contains(&p) {
        return if k > n { 0.0 } else { f64::NAN };
    }
    if p == 0.0 {
        return if k == 0 { 1.0 } else { 0.0 };
    }
    if p == 1.0 {
        return if k == n { 1.0 } else { 0.0 };
    }
    let (k, n) = (k as f64, n as f64);
    let ln =
        special::ln_gamma(n + 1.0) - special::ln_gamma(k + 1.0) - special::ln_gamma(n - k + 1.0)
            + k * p.ln()
            + (n - k) * (-p).ln_1p();
    ln.exp()
}

/// P(X <= k) for X ~ Bin(n, p).
pub fn cdf(k: u64, n: u64, p: f64) -> f64 {
    if !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    if k >= n {
        return 1.0;
    }
    if p == 0.0 {
        return 1.0;
    }
    if p == 1.0 {
        return 0.0;
    }
    special::beta_inc_upper(k as f64 + 1.0, (n - k) as f64, p)
}

/// P(X > k) for X ~ Bin(n, p).
pub fn sf(k: u64, n: u64, p: f64) -> f64 {
    if !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    if k >= n {
        return 0.0;
    }
    if p == 0.0 {
        return 0.0;
    }
    if p == 1.0 {
        return 1.0;
    }
    special::beta_inc(k as f64 + 1.0, (n - k) as f64, p)
}
