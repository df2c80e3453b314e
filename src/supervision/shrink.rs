//! Beta-binomial empirical Bayes: fit a Beta(α, β) prior to the units' counts
//! and shrink each unit's rate towards it.
//!
//! * `Moments` (Gelman et al., BDA3 §5.1, the rat-tumour example): the mean m
//!   and the variance v (divisor K − 1) of the K raw unit rates are matched:
//!   α + β = m(1 − m)/v − 1, α = m(α + β). With the divisor K − 1 this gives
//!   BDA3's published (α, β) ≈ (1.4, 8.6).
//! * `Mle`: maximises the beta-binomial marginal log-likelihood
//!   Σ [ln B(xᵢ + α, nᵢ − xᵢ + β) − ln B(α, β)] by damped Newton steps on
//!   (ln α, ln β) with exact gradient and Hessian (digamma, trigamma),
//!   a backtracking line search, and gradient-ascent steps where the Hessian
//!   is not negative definite; started from the noise-corrected moment
//!   estimate.
//!
//! All-or-nothing units (every xᵢ = 0 or nᵢ) are an error for `Mle`: at a
//! fixed mean the likelihood then grows as α + β → 0 (each unit's chance of
//! x = 0 is Πⱼ (β + j)/(α + β + j), increasing towards 1 − m), so its supremum
//! is the two-point prior at 0 and 1, not a beta distribution.
//!
//! No over-dispersion is an error, not a fallback: for `Moments` when v is at
//! most the average binomial variance m(1 − m)/nᵢ, for `Mle` when the fitted
//! precision α + β diverges (exceeds 10⁶ × the largest `trials` and 10⁸) or
//! the maximised likelihood is no better than its limit as α + β → ∞ (the
//! binomial likelihood at the pooled rate).

use super::read_units;
use crate::error::{check_confidence, Error, Result};
use crate::numerics::special::{beta_inc_inv, beta_inc_inv_upper, ln_beta};
use crate::options::named_options;
use crate::parallel;
use crate::proportion::Count;
use rayon::prelude::*;

named_options! {
    /// How the beta prior is fitted.
    pub enum ShrinkMethod for "method" {
        /// Maximum likelihood of the beta-binomial marginal.
        Mle = "mle",
        /// Mean and variance (divisor K − 1) of the raw unit rates.
        Moments = "moments" | "mm",
    }
}

/// A fitted Beta(α, β) prior.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Prior {
    /// First shape parameter (prior "successes").
    pub alpha: f64,
    /// Second shape parameter (prior "failures").
    pub beta: f64,
}

/// The prior and, per unit (in input order), the posterior mean and the
/// equal-tailed credible interval of Beta(α + x, β + n − x).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Shrinkage {
    /// Fitted first shape parameter.
    pub alpha: f64,
    /// Fitted second shape parameter.
    pub beta: f64,
    /// (x + α)/(n + α + β) per unit.
    pub posterior_mean: Vec<f64>,
    /// Lower credible limit per unit.
    pub lower: Vec<f64>,
    /// Upper credible limit per unit.
    pub upper: Vec<f64>,
}

/// Units per parallel task; fixed so sums do not depend on the thread count.
const CHUNK: usize = 4096;

fn digamma(mut x: f64) -> f64 {
    let mut r = 0.0;
    while x < 10.0 {
        r -= 1.0 / x;
        x += 1.0;
    }
    let f = 1.0 / (x * x);
    r + x.ln()
        - 0.5 / x
        - f * (1.0 / 12.0 - f * (1.0 / 120.0 - f * (1.0 / 252.0 - f * (1.0 / 240.0 - f / 132.0))))
}

fn trigamma(mut x: f64) -> f64 {
    let mut r = 0.0;
    while x < 10.0 {
        r += 1.0 / (x * x);
        x += 1.0;
    }
    let f = 1.0 / (x * x);
    r + 1.0 / x + 0.5 * f + f / x * (1.0 / 6.0 - f * (1.0 / 30.0 - f * (1.0 / 42.0 - f / 30.0)))
}

/// Sums `f(unit)` component-wise over units in fixed chunks (deterministic).
fn chunked_sum<const M: usize>(
    units: &[(f64, f64)],
    f: impl Fn(f64, f64) -> [f64; M] + Sync,
) -> [f64; M] {
    let parts: Vec<[f64; M]> = parallel::install(|| {
        units
            .par_chunks(CHUNK)
            .map(|c| {
                let mut s = [0.0; M];
                for &(x, n) in c {
                    let v = f(x, n);
                    for k in 0..M {
                        s[k] += v[k];
                    }
                }
                s
            })
            .collect()
    });
    let mut s = [0.0; M];
    for p in parts {
        for k in 0..M {
            s[k] += p[k];
        }
    }
    s
}

fn log_lik(units: &[(f64, f64)], a: f64, b: f64) -> f64 {
    let k = units.len() as f64;
    chunked_sum(units, |x, n| [ln_beta(x + a, n - x + b)])[0] - k * ln_beta(a, b)
}

/// Gradient and Hessian of the log-likelihood in (α, β).
fn derivatives(units: &[(f64, f64)], a: f64, b: f64) -> ([f64; 2], [f64; 3]) {
    let s = chunked_sum(units, |x, n| {
        let (d_all, t_all) = (digamma(n + a + b), trigamma(n + a + b));
        [
            digamma(x + a) - d_all,
            digamma(n - x + b) - d_all,
            trigamma(x + a) - t_all,
            trigamma(n - x + b) - t_all,
            -t_all,
        ]
    });
    let k = units.len() as f64;
    let (dab, tab) = (digamma(a + b), trigamma(a + b));
    let g = [s[0] + k * (dab - digamma(a)), s[1] + k * (dab - digamma(b))];
    let h = [
        s[2] + k * (tab - trigamma(a)),
        s[3] + k * (tab - trigamma(b)),
        s[4] + k * tab,
    ];
    (g, h)
}

fn no_overdispersion(detail: &str) -> Error {
    Error::NoSolution(format!(
        "the units' rates show no over-dispersion ({detail}): the beta prior is degenerate \
         (all units share one rate); use the pooled rate, or rank_intervals(prior=\"jeffreys\")"
    ))
}

fn moments(units: &[(f64, f64)]) -> Result<Prior> {
    let k = units.len() as f64;
    let m = units.iter().map(|&(x, n)| x / n).sum::<f64>() / k;
    let v = units.iter().map(|&(x, n)| (x / n - m).powi(2)).sum::<f64>() / (k - 1.0);
    let binom = units.iter().map(|&(_, n)| m * (1.0 - m) / n).sum::<f64>() / k;
    if v <= binom {
        return Err(no_overdispersion(&format!(
            "variance of the unit rates {} is not above the binomial variance {}",
            crate::error::shorten(v),
            crate::error::shorten(binom)
        )));
    }
    if v >= m * (1.0 - m) {
        return Err(Error::NoSolution(format!(
            "the variance of the unit rates ({v}) is at least m(1 - m) = {} for their mean \
             m = {m}: no beta distribution has these moments; use method=\"mle\"",
            m * (1.0 - m)
        )));
    }
    let total = m * (1.0 - m) / v - 1.0;
    Ok(Prior {
        alpha: m * total,
        beta: (1.0 - m) * total,
    })
}

fn mle(units: &[(f64, f64)]) -> Result<Prior> {
    let (sx, sn) = units
        .iter()
        .fold((0.0, 0.0), |(a, b), &(x, n)| (a + x, b + n));
    let m = sx / sn;
    if sx == 0.0 || sx == sn {
        return Err(Error::NoSolution(format!(
            "every unit has rate {}: the beta-binomial likelihood has no maximum \
             (the prior would be a point mass at {m})",
            m
        )));
    }
    if units.iter().all(|&(x, n)| x == 0.0 || x == n) {
        return Err(Error::NoSolution(
            "every unit's rate is 0 or 1: the beta-binomial likelihood keeps growing as both \
             prior shape parameters tend to 0 (a prior with all its mass at 0 and 1), so no \
             beta prior maximises it; use the pooled rate, or rank_intervals(prior=\"jeffreys\")"
                .into(),
        ));
    }
    let max_n = units.iter().fold(0.0f64, |a, &(_, n)| a.max(n));
    let cap = (1e6 * max_n).max(1e8);
    // Start: noise-corrected moments, precision clamped to [1, 1e4].
    let k = units.len() as f64;
    let v = units.iter().map(|&(x, n)| (x / n - m).powi(2)).sum::<f64>() / (k - 1.0);
    let binom = units.iter().map(|&(_, n)| m * (1.0 - m) / n).sum::<f64>() / k;
    let kappa0 = if v > binom {
        (m * (1.0 - m) / (v - binom) - 1.0).clamp(1.0, 1e4)
    } else {
        1e4
    };
    let (mut u, mut w) = ((m * kappa0).ln(), ((1.0 - m) * kappa0).ln());
    let mut ll = log_lik(units, u.exp(), w.exp());
    for _ in 0..1000 {
        let (a, b) = (u.exp(), w.exp());
        let (g, h) = derivatives(units, a, b);
        // Gradient and Hessian in (ln α, ln β).
        let gu = [a * g[0], b * g[1]];
        let huu = a * a * h[0] + gu[0];
        let hww = b * b * h[1] + gu[1];
        let huw = a * b * h[2];
        let det = huu * hww - huw * huw;
        let newton = huu < 0.0 && det > 0.0;
        let mut d = if newton {
            [
                -(hww * gu[0] - huw * gu[1]) / det,
                -(-huw * gu[0] + huu * gu[1]) / det,
            ]
        } else {
            let norm = gu[0].hypot(gu[1]);
            if norm == 0.0 {
                break;
            }
            [gu[0] / norm, gu[1] / norm]
        };
        let len = d[0].hypot(d[1]);
        if len > 2.0 {
            d = [d[0] * 2.0 / len, d[1] * 2.0 / len];
        }
        if newton && len < 1e-10 {
            break;
        }
        let mut t = 1.0;
        let mut moved = false;
        for _ in 0..60 {
            let (nu, nw) = (u + t * d[0], w + t * d[1]);
            let l = log_lik(units, nu.exp(), nw.exp());
            if l.is_finite() && l >= ll - 1e-12 * ll.abs() {
                moved = l > ll || newton;
                u = nu;
                w = nw;
                ll = l;
                break;
            }
            t *= 0.5;
        }
        if !moved {
            break;
        }
        if u.exp() + w.exp() > cap {
            break;
        }
        if u < -40.0 || w < -40.0 {
            return Err(Error::NoSolution(
                "the beta-binomial likelihood has no interior maximum (a prior shape \
                 parameter tends to 0); use method=\"moments\""
                    .into(),
            ));
        }
    }
    let (alpha, beta) = (u.exp(), w.exp());
    // The limit alpha + beta -> infinity is the binomial likelihood at the
    // pooled rate: a fit no better than it means the maximum is at infinity.
    let (lm, l1m) = (m.ln(), (1.0 - m).ln());
    let binomial: f64 = units.iter().map(|&(x, n)| x * lm + (n - x) * l1m).sum();
    let tol = 1e-9 * (binomial.abs() + units.len() as f64);
    if alpha + beta > cap || !alpha.is_finite() || !beta.is_finite() || ll <= binomial + tol {
        return Err(no_overdispersion(
            "the maximum-likelihood precision alpha + beta diverges",
        ));
    }
    Ok(Prior { alpha, beta })
}

/// Fits the Beta(α, β) prior to the units (see the module docs).
///
/// # Errors
/// Bad counts (naming `successes[i]` / `trials[i]`), fewer than 2 units, or
/// [`Error::NoSolution`] when the data show no over-dispersion.
pub fn fit_prior<C: Count>(successes: &[C], trials: &[C], method: ShrinkMethod) -> Result<Prior> {
    let units = read_units(successes, trials)?;
    fit_units(&units, method)
}

pub(crate) fn fit_units(units: &[(f64, f64)], method: ShrinkMethod) -> Result<Prior> {
    match method {
        ShrinkMethod::Moments => moments(units),
        ShrinkMethod::Mle => mle(units),
    }
}

/// Fits the prior and shrinks every unit (in parallel).
///
/// # Errors
/// As [`fit_prior`], and `confidence` outside (0, 1).
pub fn shrink<C: Count>(
    successes: &[C],
    trials: &[C],
    method: ShrinkMethod,
    confidence: f64,
) -> Result<Shrinkage> {
    check_confidence(confidence)?;
    let units = read_units(successes, trials)?;
    let Prior { alpha, beta } = fit_units(&units, method)?;
    let tail = (1.0 - confidence) / 2.0;
    let rows: Vec<(f64, f64, f64)> = parallel::install(|| {
        units
            .par_iter()
            .with_min_len(256)
            .map(|&(x, n)| {
                let (a, b) = (alpha + x, beta + n - x);
                (
                    a / (a + b),
                    beta_inc_inv(a, b, tail),
                    beta_inc_inv_upper(a, b, tail),
                )
            })
            .collect()
    });
    let mut out = Shrinkage {
        alpha,
        beta,
        posterior_mean: Vec::with_capacity(rows.len()),
        lower: Vec::with_capacity(rows.len()),
        upper: Vec::with_capacity(rows.len()),
    };
    for (m, l, u) in rows {
        out.posterior_mean.push(m);
        out.lower.push(l);
        out.upper.push(u);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digamma_and_trigamma_match_known_values() {
        // ψ(1) = −γ, ψ'(1) = π²/6, ψ(0.5) = −γ − 2 ln 2.
        let gamma = 0.577_215_664_901_532_9;
        assert!((digamma(1.0) + gamma).abs() < 1e-12);
        assert!((digamma(0.5) + gamma + 2.0 * 2f64.ln()).abs() < 1e-12);
        assert!((trigamma(1.0) - std::f64::consts::PI.powi(2) / 6.0).abs() < 1e-12);
        assert!((trigamma(0.5) - std::f64::consts::PI.powi(2) / 2.0).abs() < 1e-12);
    }
}
