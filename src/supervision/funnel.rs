//! Funnel-plot control limits for a proportion (`reference/supervision_notes.md`
//! §6.1, §6.3): score (normal, as public-health agencies publish them), exact
//! binomial with Spiegelhalter's interpolation, and arcsine (as FunnelPlotR),
//! with the multiplicative (φ) or additive (τ²) over-dispersion adjustments.

use crate::error::{Error, Result};
use crate::numerics::{binomial, normal};
use crate::options::named_options;
use crate::parallel;
use rayon::prelude::*;

named_options! {
    /// How [`funnel_limits`] draws the limits around the target.
    pub enum FunnelLimits for "limits" {
        /// θ + z_p √(φ θ(1 − θ)/n + τ²), clipped to [0, 1].
        Score = "score" | "wilson" | "normal",
        /// Exact binomial quantile with Spiegelhalter's interpolation.
        Exact = "exact" | "binomial",
        /// sin²(asin √θ + z_p √(φ/(4n) + τ²)), the angle clipped to [0, π/2].
        Arcsine = "arcsine",
    }
}

fn limit(n: f64, target: f64, prob: f64, z: f64, method: FunnelLimits, phi: f64, tau2: f64) -> f64 {
    match method {
        FunnelLimits::Score => {
            let s2 = phi * target * (1.0 - target) / n + tau2;
            (target + z * s2.sqrt()).clamp(0.0, 1.0)
        }
        FunnelLimits::Arcsine => {
            let s2 = phi / (4.0 * n) + tau2;
            let angle =
                (target.sqrt().asin() + z * s2.sqrt()).clamp(0.0, std::f64::consts::FRAC_PI_2);
            angle.sin().powi(2)
        }
        FunnelLimits::Exact => {
            let m = n as u64;
            // r_p = smallest r with F(r) >= p (F(n) = 1 >= p always).
            let (mut lo, mut hi) = (0u64, m);
            while lo < hi {
                let mid = lo + (hi - lo) / 2;
                if binomial::cdf(mid, m, target) >= prob {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            let r = lo;
            let f_r = binomial::cdf(r, m, target);
            let f_prev = if r == 0 {
                0.0
            } else {
                binomial::cdf(r - 1, m, target)
            };
            let denom = f_r - f_prev;
            let a = if denom > 0.0 {
                (f_r - prob) / denom
            } else {
                0.0
            };
            ((r as f64 - a) / n).clamp(0.0, 1.0)
        }
    }
}

/// The funnel limit at tail probability `prob` (e.g. 0.025 for the lower 95 %
/// limit, 0.975 for the upper) for each unit size in `n`, in parallel.
///
/// `phi` (≥ 0) multiplies the binomial variance, `tau2` (≥ 0) adds a
/// between-unit variance on the limits' scale; the exact limits take neither
/// (φ = 1, τ² = 0). Exact limits need whole `n`.
///
/// ```
/// use qualstat::supervision::{funnel_limits, FunnelLimits};
/// let up = funnel_limits(&[100.0], 0.5, 0.975, FunnelLimits::Score, 1.0, 0.0).unwrap();
/// assert!((up[0] - (0.5 + 1.959963984540054 * 0.05)).abs() < 1e-12);
/// ```
pub fn funnel_limits(
    n: &[f64],
    target: f64,
    prob: f64,
    method: FunnelLimits,
    phi: f64,
    tau2: f64,
) -> Result<Vec<f64>> {
    if !(target > 0.0 && target < 1.0) {
        return Err(Error::invalid("target", target, "strictly between 0 and 1"));
    }
    if !(prob > 0.0 && prob < 1.0) {
        return Err(Error::invalid("prob", prob, "strictly between 0 and 1"));
    }
    if !(phi.is_finite() && phi > 0.0) {
        return Err(Error::invalid("phi", phi, "a finite number above 0"));
    }
    if !(tau2.is_finite() && tau2 >= 0.0) {
        return Err(Error::invalid("tau2", tau2, "a finite number at least 0"));
    }
    if method == FunnelLimits::Exact && (phi != 1.0 || tau2 != 0.0) {
        return Err(Error::invalid(
            "overdispersion",
            "an adjustment",
            "none for exact limits (use limits=\"score\" or \"arcsine\")",
        ));
    }
    for (i, &m) in n.iter().enumerate() {
        let whole = method != FunnelLimits::Exact || (m.fract() == 0.0 && m < 9.0e15);
        if !(m.is_finite() && m > 0.0 && whole) {
            let allowed = if method == FunnelLimits::Exact {
                "a whole number at least 1 (exact limits)"
            } else {
                "a finite number above 0"
            };
            return Err(Error::invalid(format!("n[{i}]"), m, allowed));
        }
    }
    let z = normal::quantile(prob);
    Ok(parallel::install(|| {
        n.par_iter()
            .map(|&m| limit(m, target, prob, z, method, phi, tau2))
            .collect()
    }))
}
