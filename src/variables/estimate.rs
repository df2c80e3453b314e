//! Estimated fraction nonconforming beyond one limit from its quality statistic.

use super::Method;
use crate::error::{Error, Result};
use crate::numerics::normal;
use crate::numerics::special::SymmetricBeta;

/// The estimate p̂ beyond one limit for one method and sample size, with the
/// constants of the s-method's incomplete beta computed once (for many lots).
#[derive(Debug, Clone)]
pub(super) struct Estimator {
    n: f64,
    /// √n, once (the same bits as taking it per lot).
    root_n: f64,
    /// `I_x(ν/2, ν/2)` with ν = n − 2 (s-method); `None` for the σ-method.
    s_method: Option<SymmetricBeta>,
}

impl Estimator {
    pub(super) fn new(method: Method, n: u64) -> Estimator {
        Estimator {
            n: n as f64,
            root_n: (n as f64).sqrt(),
            s_method: (method == Method::S).then(|| SymmetricBeta::new(n.saturating_sub(2))),
        }
    }

    /// p̂ from a quality statistic `q`, without validation: s-method
    /// `I_x(n/2 − 1, n/2 − 1)` with `x = ½ − ½·q·√n/(n − 1)` clamped to [0, 1];
    /// σ-method `Φ(−q·√(n/(n − 1)))`.
    pub(super) fn p_hat(&self, q: f64) -> f64 {
        match &self.s_method {
            Some(beta) => beta.lower(self.beta_x(q)),
            None => self.normal(q),
        }
    }

    /// [`Estimator::p_hat`] of each `q` into `p` (as long as `q`), the same
    /// bits, the s-method's incomplete betas evaluated side by side
    /// ([`SymmetricBeta::lower_each`]).
    pub(super) fn p_hat_each(&self, q: &[f64], p: &mut [f64]) {
        match &self.s_method {
            Some(beta) => {
                for (p, &q) in p.iter_mut().zip(q) {
                    *p = self.beta_x(q);
                }
                beta.lower_each(p);
            }
            None => {
                for (p, &q) in p.iter_mut().zip(q) {
                    *p = self.normal(q);
                }
            }
        }
    }

    /// The s-method's x = ½ − ½·q·√n/(n − 1), clamped to [0, 1].
    fn beta_x(&self, q: f64) -> f64 {
        (0.5 - 0.5 * q * self.root_n / (self.n - 1.0)).clamp(0.0, 1.0)
    }

    /// The σ-method's Φ(−q·√(n/(n − 1))).
    fn normal(&self, q: f64) -> f64 {
        normal::cdf(-q * (self.n / (self.n - 1.0)).sqrt())
    }
}

fn check(q: f64, n: u64, min_n: u64) -> Result<()> {
    if q.is_nan() {
        return Err(Error::invalid("q", q, "a quality statistic (not NaN)"));
    }
    if n < min_n {
        return Err(Error::invalid(
            "n",
            n,
            format!("a sample size of at least {min_n}"),
        ));
    }
    Ok(())
}

/// Minimum-variance unbiased estimate of the fraction beyond a limit, σ
/// unknown (s-method), from `q = Q_U = (U − x̄)/s` (or `Q_L`) and the sample size.
///
/// # Formula
/// `p̂ = I_x((n − 2)/2, (n − 2)/2)`, `x = max(0, ½ − ½·q·√n/(n − 1))`
/// (Lieberman & Resnikoff 1955, *JASA* 50; MIL-STD-414 §B-5; ISO 3951-1).
///
/// # Examples
/// ```
/// use qualstat::variables::p_hat_s;
/// // q = 0: half the estimated distribution lies beyond the limit.
/// assert!((p_hat_s(0.0, 10).unwrap() - 0.5).abs() < 1e-15);
/// ```
///
/// # Errors
/// [`Error::InvalidArgument`] for NaN `q` or `n < 3`.
pub fn p_hat_s(q: f64, n: u64) -> Result<f64> {
    check(q, n, 3)?;
    Ok(Estimator::new(Method::S, n).p_hat(q))
}

/// Minimum-variance unbiased estimate of the fraction beyond a limit, σ known,
/// from `q = (U − x̄)/σ` (or `(x̄ − L)/σ`).
///
/// # Formula
/// `p̂ = Φ(−q·√(n/(n − 1)))` (ISO 3951-1; MIL-STD-414 §D).
///
/// # Errors
/// [`Error::InvalidArgument`] for NaN `q` or `n < 2`.
pub fn p_hat_sigma(q: f64, n: u64) -> Result<f64> {
    check(q, n, 2)?;
    Ok(Estimator::new(Method::Sigma, n).p_hat(q))
}
