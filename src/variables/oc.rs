//! Operating characteristic of a variables plan (one specification limit).

use super::{Method, VariablesPlan};
use crate::error::{check_open_unit, check_unit, Result};
use crate::numerics::noncentral_t;
use crate::numerics::normal;
use rayon::prelude::*;

/// `P_a` without validation (`p` in [0, 1]).
pub(super) fn pa_raw(n: u64, k: f64, method: Method, p: f64) -> f64 {
    if p <= 0.0 {
        return 1.0;
    }
    if p >= 1.0 {
        return 0.0;
    }
    let nf = n as f64;
    let z = normal::isf(p);
    match method {
        Method::Sigma => normal::cdf(nf.sqrt() * (z - k)),
        Method::S => noncentral_t::sf(k * nf.sqrt(), nf - 1.0, z * nf.sqrt()),
    }
}

/// Wallis's normal approximation of the s-method OC without validation.
fn wallis_raw(n: u64, k: f64, p: f64) -> f64 {
    if p <= 0.0 {
        return 1.0;
    }
    if p >= 1.0 {
        return 0.0;
    }
    let nf = n as f64;
    normal::cdf(nf.sqrt() * (normal::isf(p) - k) / (1.0 + k * k / 2.0).sqrt())
}

impl VariablesPlan {
    /// Probability of accepting a lot whose fraction beyond the (one)
    /// specification limit is `p`, under the form-k rule.
    ///
    /// # Formula
    /// σ-method: `P_a = Φ(√n·(z_{1−p} − k))`; s-method (exact):
    /// `P_a = P(T' >= k√n)`, `T' ~ t'(n − 1, δ = z_{1−p}·√n)` (noncentral t;
    /// Schilling & Neubauer 2009, ch. 9; R AcceptanceSampling `OCvar`).
    ///
    /// # Errors
    /// [`crate::Error::InvalidArgument`] for `p` outside [0, 1] or NaN.
    pub fn prob_accept(&self, p: f64) -> Result<f64> {
        check_unit("p", p)?;
        Ok(pa_raw(self.n, self.k, self.method, p))
    }

    /// [`VariablesPlan::prob_accept`] over many quality levels, in parallel.
    ///
    /// # Errors
    /// [`crate::Error::InvalidArgument`] naming the first bad `p[i]`.
    pub fn prob_accept_many(&self, p: &[f64]) -> Result<Vec<f64>> {
        for (i, &x) in p.iter().enumerate() {
            check_unit(&format!("p[{i}]"), x)?;
        }
        Ok(crate::parallel::install(|| {
            p.par_iter()
                .with_min_len(8)
                .map(|&x| pa_raw(self.n, self.k, self.method, x))
                .collect()
        }))
    }
}

/// The root of an increasing `f`, bracketed by stepping out from
/// `guess ± 1` with doubling steps (at most 60 each way), then Brent.
pub(super) fn increasing_root(guess: f64, f: impl Fn(f64) -> f64) -> f64 {
    let (mut lo, mut hi) = (guess - 1.0, guess + 1.0);
    for _ in 0..60 {
        if f(lo) < 0.0 {
            break;
        }
        lo -= (hi - lo).max(1.0);
    }
    for _ in 0..60 {
        if f(hi) > 0.0 {
            break;
        }
        hi += (hi - lo).max(1.0);
    }
    crate::numerics::roots::brent(lo, hi, 1e-13, f)
}

impl VariablesPlan {
    /// The quality `p` (a fraction) at which the probability of acceptance
    /// is `pa`, the inverse of [`VariablesPlan::prob_accept`].
    ///
    /// # Formula
    /// σ-method: `p = Φ(−z)`, `z = k + Φ⁻¹(P_a)/√n` (the OC solved for
    /// `z_{1−p}`); s-method: `p = Φ(−z)` with `z` the root of
    /// `P(T' >= k√n; n − 1, z√n) = P_a` (increasing in `z`; Brent from
    /// Wallis's approximation `z ≈ k + Φ⁻¹(P_a)·√(1 + k²/2)/√n`).
    ///
    /// # Examples
    /// ```
    /// use qualstat::variables::{Method, VariablesPlan};
    /// let plan = VariablesPlan::new(5, 1.53, Method::S, None).unwrap();
    /// let p10 = plan.quality_at(0.10).unwrap();
    /// assert!((plan.prob_accept(p10).unwrap() - 0.10).abs() < 1e-12);
    /// ```
    ///
    /// # Errors
    /// [`crate::Error::InvalidArgument`] for `pa` outside (0, 1).
    pub fn quality_at(&self, pa: f64) -> Result<f64> {
        check_open_unit("pa", pa)?;
        let root_n = (self.n as f64).sqrt();
        let z = match self.method {
            Method::Sigma => self.k + normal::quantile(pa) / root_n,
            Method::S => {
                let guess =
                    self.k + normal::quantile(pa) * (1.0 + self.k * self.k / 2.0).sqrt() / root_n;
                increasing_root(guess, |z| {
                    noncentral_t::sf(self.k * root_n, self.n as f64 - 1.0, z * root_n) - pa
                })
            }
        };
        Ok(normal::sf(z))
    }
}

/// Wallis's normal approximation of the s-method OC,
/// `P_a ≈ Φ(√n·(z_{1−p} − k)/√(1 + k²/2))` (Wallis 1947, in *Techniques of
/// Statistical Analysis*, ch. 1; Dodge `VSPUnknown`), for comparison with
/// textbooks.
///
/// # Errors
/// [`crate::Error::InvalidArgument`] for `p` outside [0, 1].
pub fn wallis_prob_accept(plan: &VariablesPlan, p: f64) -> Result<f64> {
    check_unit("p", p)?;
    Ok(wallis_raw(plan.n, plan.k, p))
}
