//! Intervals that invert a binomial test: Clopper-Pearson, Jeffreys (a
//! Bayesian interval with the same beta-quantile form), mid-p and likelihood
//! ratio. Each takes validated counts `x <= n`, `n >= 1` and the probability
//! `alpha` in each tail (or z for the likelihood ratio).

use crate::dist::{binomial, special};
use crate::roots;

/// Clopper & Pearson (1934): L = B⁻¹(α; x, n − x + 1), U = B⁻¹(1 − α; x + 1, n − x),
/// with L = 0 at x = 0 and U = 1 at x = n. The upper limit is computed as the
/// upper-tail inverse so that it keeps full relative accuracy of 1 − U.
pub(crate) fn clopper_pearson(x: u64, n: u64, alpha: f64) -> (f64, f64) {
    let (xf, nf) = (x as f64, n as f64);
    let lower = if x == 0 {
        0.0
    } else {
        special::beta_inc_inv(xf, nf - xf + 1.0, alpha)
    };
    let upper = if x == n {
        1.0
    } else {
        special::beta_inc_inv_upper(xf + 1.0, nf - xf, alpha)
    };
    (lower, upper)
}

/// Jeffreys: the α and 1 − α quantiles of Beta(x + ½, n − x + ½), with the
/// boundary rule of Brown, Cai & DasGupta (2001, *Statist. Sci.* 16:101,
/// §4.1.1): L = 0 at x = 0 and U = 1 at x = n.
pub(crate) fn jeffreys(x: u64, n: u64, alpha: f64) -> (f64, f64) {
    let a = x as f64 + 0.5;
    let b = (n - x) as f64 + 0.5;
    let lower = if x == 0 {
        0.0
    } else {
        special::beta_inc_inv(a, b, alpha)
    };
    let upper = if x == n {
        1.0
    } else {
        special::beta_inc_inv_upper(a, b, alpha)
    };
    (lower, upper)
}

/// Mid-p interval: L solves P(X > x) + ½P(X = x) = α and U solves
/// P(X < x) + ½P(X = x) = α (Lancaster 1961; Berry & Armitage 1995).
///
/// Each mid-p tail is the average of the two Clopper-Pearson tails, so the
/// lower limit lies between the Clopper-Pearson lower limits for x and x + 1
/// (and likewise for the upper), which gives a guaranteed bracket.
pub(crate) fn mid_p(x: u64, n: u64, alpha: f64) -> (f64, f64) {
    let (xf, nf) = (x as f64, n as f64);
    let lower = if x == 0 {
        0.0
    } else {
        // f(p) = ½(P(X ≥ x) + P(X > x)) − α, increasing in p.
        let lo = special::beta_inc_inv(xf, nf - xf + 1.0, alpha);
        let hi = if x == n {
            1.0
        } else {
            special::beta_inc_inv(xf + 1.0, nf - xf, alpha)
        };
        roots::brent(lo, hi, 0.0, |p| {
            0.5 * (binomial::sf(x - 1, n, p) + binomial::sf(x, n, p)) - alpha
        })
    };
    let upper = if x == n {
        1.0
    } else {
        // g(p) = ½(P(X ≤ x) + P(X < x)) − α, decreasing in p.
        let hi = special::beta_inc_inv_upper(xf + 1.0, nf - xf, alpha);
        let lo = if x == 0 {
            0.0
        } else {
            special::beta_inc_inv_upper(xf, nf - xf + 1.0, alpha)
        };
        roots::brent(lo, hi, 0.0, |p| {
            let below = if x == 0 {
                0.0
            } else {
                binomial::cdf(x - 1, n, p)
            };
            0.5 * (binomial::cdf(x, n, p) + below) - alpha
        })
    };
    (lower.clamp(0.0, 1.0), upper.clamp(0.0, 1.0))
}

/// Likelihood-ratio interval: the p with
/// 2[x ln(p̂/p) + (n − x) ln((1 − p̂)/(1 − p))] = z², one on each side of p̂
/// (Brown, Cai & DasGupta 2001, §4.2.2). At x = 0 the upper limit is
/// 1 − exp(−z²/(2n)) (and symmetrically at x = n).
pub(crate) fn likelihood_ratio(x: u64, n: u64, z: f64) -> (f64, f64) {
    let half_z2 = 0.5 * z * z;
    let lower = if x == 0 {
        0.0
    } else {
        likelihood_ratio_lower(x, n, half_z2)
    };
    let upper = if x == n {
        1.0
    } else {
        // The upper limit for x is one minus the lower limit for n − x.
        1.0 - likelihood_ratio_lower(n - x, n, half_z2)
    };
    (lower, upper)
}

/// The LR limit below p̂ = x/n for x >= 1, solved for t = ln p so that
/// limits of any magnitude converge quickly.
fn likelihood_ratio_lower(x: u64, n: u64, half_z2: f64) -> f64 {
    let (xf, nf) = (x as f64, n as f64);
    if x == n {
        // n·ln(1/p) = z²/2.
        return (-half_z2 / nf).exp();
    }
    let yf = nf - xf;
    let phat = xf / nf;
    let qhat = yf / nf;
    // Half the deviance at p = e^t minus z²/2: decreasing from +∞ to −z²/2 on t < ln p̂.
    let g = |t: f64| {
        let p = t.exp();
        xf * (phat.ln() - t) + yf * (qhat.ln() - (-p).ln_1p()) - half_z2
    };
    let t = roots::brent(f64::MIN_POSITIVE.ln(), phat.ln(), 0.0, g);
    t.exp()
}
