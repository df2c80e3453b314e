//! The binomial distribution Bin(n, p).
//!
//! pmf: Loader's saddle-point form (C. Loader 2000, "Fast and accurate
//! computation of binomial probabilities"):
//! P(X = k) = √(n / (2π k (n−k))) · exp(δ(n) − δ(k) − δ(n−k) − bd0(k, np) − bd0(n−k, nq)),
//! accurate to ~1e-15 relative for n up to 1e9 and beyond, unlike differences
//! of ln Γ. cdf and sf: P(X ≤ k) = 1 − I_p(k+1, n−k) (Abramowitz & Stegun
//! 26.5.24), with each tail computed directly from the incomplete beta.

use super::special::{self, stirling};

fn valid(p: f64) -> bool {
    (0.0..=1.0).contains(&p)
}

/// ln P(X = k) for X ~ Bin(n, p) (−∞ when k > n or the probability is 0).
pub fn ln_pmf(k: u64, n: u64, p: f64) -> f64 {
    if !valid(p) {
        return f64::NAN;
    }
    if k > n {
        return f64::NEG_INFINITY;
    }
    let q = 1.0 - p;
    if p == 0.0 || q == 0.0 {
        let certain = if p == 0.0 { k == 0 } else { k == n };
        return if certain { 0.0 } else { f64::NEG_INFINITY };
    }
    stirling::ln_binom_raw(k as f64, (n - k) as f64, p, q)
}

/// P(X = k) for X ~ Bin(n, p); NaN unless p is in [0, 1].
pub fn pmf(k: u64, n: u64, p: f64) -> f64 {
    ln_pmf(k, n, p).exp()
}

/// The two tails (ln P(X ≤ k), ln P(X > k)).
fn ln_tails(k: u64, n: u64, p: f64) -> (f64, f64) {
    if k >= n || p == 0.0 {
        return (0.0, f64::NEG_INFINITY);
    }
    if p == 1.0 {
        return (f64::NEG_INFINITY, 0.0);
    }
    // P(X > k) = I_p(k + 1, n − k).
    let t = special::beta_tails(k as f64 + 1.0, (n - k) as f64, p, 1.0 - p);
    (t.ln_upper, t.ln_lower)
}

/// P(X ≤ k) for X ~ Bin(n, p); NaN unless p is in [0, 1].
pub fn cdf(k: u64, n: u64, p: f64) -> f64 {
    if !valid(p) {
        return f64::NAN;
    }
    ln_tails(k, n, p).0.exp()
}

/// P(X > k) for X ~ Bin(n, p); NaN unless p is in [0, 1].
pub fn sf(k: u64, n: u64, p: f64) -> f64 {
    if !valid(p) {
        return f64::NAN;
    }
    ln_tails(k, n, p).1.exp()
}
