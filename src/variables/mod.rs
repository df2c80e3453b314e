//! Variables sampling plans (ISO 3951-1 / ANSI/ASQ Z1.9 / MIL-STD-414):
//! k-form and M-form lot decisions, operating characteristic and design from
//! two risk points.
//!
//! A plan draws `n` items, measures a characteristic assumed normal, and
//! compares the quality statistics `Q_U = (U − x̄)/s` and `Q_L = (x̄ − L)/s`
//! (with the known process standard deviation σ in place of `s` for the
//! σ-method) with the acceptability constant `k` (form k, one limit), or the
//! estimated fraction nonconforming `p̂` with the maximum allowable `M`
//! (form M; two limits with combined control accept when `p̂_L + p̂_U <= M`).
//!
//! # Formulas
//! * s-method, minimum-variance unbiased estimate (Lieberman & Resnikoff
//!   1955; MIL-STD-414 §B; ISO 3951-1 Annex): `p̂_U = I_x(a, a)` with
//!   `a = n/2 − 1` and `x = max(0, ½ − ½·Q_U·√n/(n − 1))`, the regularized
//!   incomplete beta function (the symmetric beta distribution).
//! * σ-method: `p̂_U = Φ(−Q_U·√(n/(n − 1)))` with `Q_U = (U − x̄)/σ`.
//! * Maximum allowable `M` from `k` (the same maps with `Q = k`), and back.
//! * OC, one limit (Schilling & Neubauer 2009, ch. 9; AcceptanceSampling
//!   `OCvar`): σ known `P_a = Φ(√n·(z_{1−p} − k))`; s-method exactly
//!   `P_a = P(T' >= k√n)`, `T'` noncentral t with `n − 1` degrees of freedom
//!   and noncentrality `z_{1−p}·√n`.

mod decide;
mod design;
mod estimate;
mod oc;

pub use decide::{Acceptance, Control, DecisionColumns, VariablesDecision};
pub use design::{
    design_variables_plan, VariablesDesign, WallisApproximation, MAX_DESIGN_SAMPLE_SIZE_S, MIN_RISK,
};
pub use estimate::{p_hat_s, p_hat_sigma};
pub use oc::wallis_prob_accept;

use crate::error::{Error, Result};
use crate::numerics::{normal, special};
use crate::options::named_options;

/// Largest sample size accepted for a variables plan (σ-method).
pub const MAX_SAMPLE_SIZE: u64 = 1 << 31;

/// Largest sample size accepted for an s-method plan: beyond it the
/// noncentral t series of the OC (noncentrality `z_{1−p}·√n`) loses accuracy
/// (an error of 1e-12 at 3·10⁷ items, 1e-4 at 10⁸, for `p` down to 1e-300).
pub const MAX_SAMPLE_SIZE_S: u64 = 10_000_000;

named_options! {
    /// How the process standard deviation is obtained.
    pub enum Method for "method" {
        /// σ unknown: estimated by the sample standard deviation `s`.
        S = "s",
        /// σ known (the σ-method).
        Sigma = "sigma",
    }
}

impl Default for Method {
    /// The s-method (σ unknown), the method of a standard look-up unless set.
    fn default() -> Self {
        Method::S
    }
}

impl Method {
    /// The smallest sample size the method supports: 3 for the s-method (the
    /// beta estimate needs `a = n/2 − 1 > 0`), 2 for the σ-method (`n/(n − 1)`).
    pub fn min_sample_size(self) -> u64 {
        match self {
            Method::S => 3,
            Method::Sigma => 2,
        }
    }

    /// The largest sample size the method supports: [`MAX_SAMPLE_SIZE_S`]
    /// for the s-method, [`MAX_SAMPLE_SIZE`] for the σ-method.
    pub fn max_sample_size(self) -> u64 {
        match self {
            Method::S => MAX_SAMPLE_SIZE_S,
            Method::Sigma => MAX_SAMPLE_SIZE,
        }
    }
}

/// A variables sampling plan: sample size `n`, acceptability constant `k`
/// (form k) and maximum allowable fraction nonconforming `M` (form M).
///
/// # Examples
/// ```
/// use qualstat::variables::{Method, VariablesPlan};
/// // Z1.9 code F, AQL 1.0 % normal, s-method: n = 10, k = 1.72.
/// let plan = VariablesPlan::new(10, 1.72, Method::S, None).unwrap();
/// let pa = plan.prob_accept(0.01).unwrap();
/// assert!(pa > 0.8 && pa < 1.0); // most lots at the AQL are accepted
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "VariablesParts", into = "VariablesParts")
)]
pub struct VariablesPlan {
    n: u64,
    k: f64,
    m: f64,
    method: Method,
    sigma: Option<f64>,
}

/// The serialized form of a [`VariablesPlan`], checked on the way in as
/// [`VariablesPlan::with_k_and_m`] checks it.
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
struct VariablesParts {
    n: u64,
    k: f64,
    m: f64,
    method: Method,
    sigma: Option<f64>,
}

#[cfg(feature = "serde")]
impl TryFrom<VariablesParts> for VariablesPlan {
    type Error = Error;
    fn try_from(p: VariablesParts) -> Result<Self> {
        VariablesPlan::with_k_and_m(p.n, p.k, p.m, p.method, p.sigma)
    }
}

#[cfg(feature = "serde")]
impl From<VariablesPlan> for VariablesParts {
    fn from(p: VariablesPlan) -> Self {
        VariablesParts {
            n: p.n,
            k: p.k,
            m: p.m,
            method: p.method,
            sigma: p.sigma,
        }
    }
}

fn check_n(n: u64, method: Method) -> Result<()> {
    let (lo, hi) = (method.min_sample_size(), method.max_sample_size());
    if n < lo || n > hi {
        return Err(Error::invalid(
            "n",
            n,
            format!(
                "a sample size in {lo}..={hi} for the {}-method",
                method.name()
            ),
        ));
    }
    Ok(())
}

fn check_sigma(sigma: Option<f64>) -> Result<()> {
    match sigma {
        Some(s) if !(s > 0.0 && s.is_finite()) => Err(Error::invalid(
            "sigma",
            s,
            "a finite positive process standard deviation",
        )),
        _ => Ok(()),
    }
}

impl VariablesPlan {
    /// A form-k plan; `M` is derived from `k` (see the module docs).
    ///
    /// `sigma` is the known process standard deviation, needed by
    /// [`VariablesPlan::decide`] for the σ-method (not by the OC).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for `n` below [`Method::min_sample_size`] or
    /// above [`Method::max_sample_size`], `k` not finite and positive, `sigma` not
    /// finite and positive.
    pub fn new(n: u64, k: f64, method: Method, sigma: Option<f64>) -> Result<Self> {
        check_n(n, method)?;
        if !(k > 0.0 && k.is_finite()) {
            return Err(Error::invalid(
                "k",
                k,
                "a finite positive acceptability constant",
            ));
        }
        check_sigma(sigma)?;
        Ok(VariablesPlan {
            n,
            k,
            m: m_from_k(n, k, method),
            method,
            sigma,
        })
    }

    /// A form-M plan with maximum allowable fraction nonconforming `m`
    /// (a fraction, `0 < m < 0.5`); `k` is derived from `m`.
    ///
    /// # Errors
    /// As [`VariablesPlan::new`], and [`Error::InvalidArgument`] for `m`
    /// outside (0, 0.5).
    pub fn m_form(n: u64, m: f64, method: Method, sigma: Option<f64>) -> Result<Self> {
        check_n(n, method)?;
        if !(m > 0.0 && m < 0.5) {
            return Err(Error::invalid(
                "m",
                m,
                "a maximum allowable fraction nonconforming in (0, 0.5)",
            ));
        }
        check_sigma(sigma)?;
        Ok(VariablesPlan {
            n,
            k: k_from_m(n, m, method),
            m,
            method,
            sigma,
        })
    }

    /// A plan with both constants given, as printed in a standard's tables
    /// (printed `k` and `M` are rounded independently).
    ///
    /// # Errors
    /// As [`VariablesPlan::new`] and [`VariablesPlan::m_form`].
    pub fn with_k_and_m(
        n: u64,
        k: f64,
        m: f64,
        method: Method,
        sigma: Option<f64>,
    ) -> Result<Self> {
        let from_k = Self::new(n, k, method, sigma)?;
        Self::m_form(n, m, method, sigma)?;
        Ok(VariablesPlan { m, ..from_k })
    }

    /// The same plan with the known process standard deviation `sigma`.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for `sigma` not finite and positive.
    pub fn with_sigma(self, sigma: f64) -> Result<Self> {
        check_sigma(Some(sigma))?;
        Ok(VariablesPlan {
            sigma: Some(sigma),
            ..self
        })
    }

    /// Sample size.
    pub fn n(&self) -> u64 {
        self.n
    }

    /// Acceptability constant (form k).
    pub fn k(&self) -> f64 {
        self.k
    }

    /// Maximum allowable fraction nonconforming (form M), a fraction.
    pub fn m(&self) -> f64 {
        self.m
    }

    /// s- or σ-method.
    pub fn method(&self) -> Method {
        self.method
    }

    /// The known process standard deviation, if given.
    pub fn sigma(&self) -> Option<f64> {
        self.sigma
    }

    /// Average sample number: always `n`.
    pub fn asn(&self) -> u64 {
        self.n
    }
}

/// `M` from `k`: the estimate `p̂` at `Q = k` (module docs). For the s-method
/// `M = 0` when `k >= (n − 1)/√n`.
fn m_from_k(n: u64, k: f64, method: Method) -> f64 {
    estimate::Estimator::new(method, n).p_hat(k)
}

/// `k` from `M`, the inverse of [`m_from_k`] for `0 < M < ½`.
fn k_from_m(n: u64, m: f64, method: Method) -> f64 {
    let nf = n as f64;
    match method {
        Method::S => {
            let a = nf / 2.0 - 1.0;
            let x = special::beta_inc_inv(a, a, m);
            (1.0 - 2.0 * x) * (nf - 1.0) / nf.sqrt()
        }
        Method::Sigma => normal::isf(m) * ((nf - 1.0) / nf).sqrt(),
    }
}
