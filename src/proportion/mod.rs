//! Confidence intervals for pass rates (binomial proportions), for finite
//! lots, for Poisson rates and for differences of two proportions, and the
//! sample size of a success-run demonstration.
//!
//! Conventions shared by every method:
//!
//! * `confidence` is in (0, 1). A two-sided interval puts (1 − confidence)/2
//!   in each tail; [`Bound::Lower`] returns the one-sided lower bound `L` at the
//!   stated confidence as `(L, 1)`, [`Bound::Upper`] returns `(0, U)`.
//! * Wald, Agresti-Coull, Wilson (and Wilson with continuity correction),
//!   arcsine and logit limits are clipped to [0, 1].
//! * The exact methods (Clopper-Pearson, mid-p, Blaker) and the likelihood
//!   ratio interval return exactly 0 as the lower limit at x = 0 and exactly 1
//!   as the upper limit at x = n; so does Jeffreys (the boundary rule of Brown,
//!   Cai & DasGupta 2001, §4.1.1).
//!
//! # Example
//! ```
//! use qualstat::proportion::{proportion_ci, Bound, Method};
//! // 57 of 60 spot-checked items passed.
//! let ci = proportion_ci(57, 60, 0.95, Method::ClopperPearson, Bound::Lower).unwrap();
//! // With 95 % confidence the pass rate is at least 87.58 %.
//! assert!((ci.lower - 0.8758).abs() < 1e-4 && ci.upper == 1.0);
//! ```

mod batch;
mod blaker;
mod closed;
mod diff;
mod exact;
mod finite;
mod one_sample;
mod rate;
mod sample_size;

pub use batch::{proportion_ci_batch, Count};
pub use diff::{
    proportion_diff_ci, proportion_diff_ci_batch, proportion_diff_test, proportion_diff_test_batch,
    Alternative, DiffMethod, DiffTest, DiffTestMethod, TwoSamples,
};
pub use finite::{proportion_ci_finite, proportion_ci_finite_batch};
pub use one_sample::{
    proportion_test, proportion_test_batch, proportion_test_finite, proportion_test_finite_batch,
    OneSampleTest, TestMethod, TWO_SIDED_TOLERANCE,
};
pub use rate::{rate_ci, rate_ci_batch, RateMethod};
pub use sample_size::demonstration_sample_size;

use crate::error::{check_confidence, Error, Result};
use crate::numerics::normal;
use crate::options::named_options;

/// A confidence interval `[lower, upper]`.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Interval {
    /// Lower confidence limit.
    pub lower: f64,
    /// Upper confidence limit.
    pub upper: f64,
}

named_options! {
    /// Interval methods for one binomial proportion.
    pub enum Method for "method" {
        /// Normal approximation p̂ ± z·√(p̂(1 − p̂)/n), clipped to [0, 1].
        Wald = "wald",
        /// Wilson (1927) score interval.
        Wilson = "wilson",
        /// Wilson score interval with continuity correction (Newcombe 1998, method 4).
        WilsonCc = "wilson_cc",
        /// Agresti & Coull (1998): Wald on x + z²/2 successes and n + z² trials.
        AgrestiCoull = "agresti_coull",
        /// Jeffreys: equal-tailed Beta(x + ½, n − x + ½) quantiles (Brown, Cai & DasGupta 2001).
        Jeffreys = "jeffreys",
        /// Clopper & Pearson (1934) exact interval (alias "exact").
        ClopperPearson = "clopper_pearson" | "exact",
        /// Mid-p exact interval (inversion of the mid-p binomial test).
        MidP = "mid_p",
        /// Likelihood-ratio interval (inversion of the binomial likelihood-ratio test).
        LikelihoodRatio = "likelihood_ratio",
        /// Variance-stabilising arcsine interval: sin²(asin√p̂ ± z/(2√n)).
        Arcsine = "arcsine",
        /// Logit (Wald interval on the log-odds, back-transformed).
        Logit = "logit",
        /// Blaker (2000) exact interval (inversion of the exact test with
        /// acceptability function), contained in the Clopper-Pearson interval.
        Blaker = "blaker",
    }
}

named_options! {
    /// Which confidence bound(s) to compute.
    pub enum Bound for "bound" {
        /// Both limits, (1 − confidence)/2 in each tail.
        TwoSided = "two-sided",
        /// One-sided lower bound at the stated confidence; returned as `(L, 1)`.
        Lower = "lower",
        /// One-sided upper bound at the stated confidence; returned as `(0, U)`.
        Upper = "upper",
    }
}

impl Bound {
    /// The probability in each computed tail for `confidence`.
    pub(crate) fn tail(self, confidence: f64) -> f64 {
        match self {
            Bound::TwoSided => 0.5 * (1.0 - confidence),
            Bound::Lower | Bound::Upper => 1.0 - confidence,
        }
    }

    /// The normal quantile z = Φ⁻¹(1 − tail) of the computed tail(s).
    ///
    /// For a one-sided bound at confidence ≤ ½ the tail 1 − confidence is at
    /// least ½ and, below confidence ≈ 1e-16, rounds to 1 (which would give
    /// z = −∞ and NaN limits); there z = Φ⁻¹(confidence) is computed from the
    /// confidence itself, finite for every confidence in (0, 1). Elsewhere
    /// z = Φ⁻¹(1 − tail) as the upper-tail quantile of the tail.
    pub(crate) fn z(self, confidence: f64) -> f64 {
        let tail = self.tail(confidence);
        if tail > 0.5 {
            normal::quantile(confidence)
        } else {
            normal::isf(tail)
        }
    }

    /// Keeps the limits this bound asks for, for an estimate in [0, 1].
    pub(crate) fn select(self, lower: f64, upper: f64) -> Interval {
        self.select_within(lower, upper, (0.0, 1.0))
    }

    /// Keeps the limits this bound asks for; a limit it does not ask for is
    /// the end of `range` (the range of the estimate: [0, 1] for a
    /// proportion, [−1, 1] for a difference, [0, ∞) for a rate).
    pub(crate) fn select_within(self, lower: f64, upper: f64, range: (f64, f64)) -> Interval {
        match self {
            Bound::TwoSided => Interval { lower, upper },
            Bound::Lower => Interval {
                lower,
                upper: range.1,
            },
            Bound::Upper => Interval {
                lower: range.0,
                upper,
            },
        }
    }
}

/// Everything about a call that does not depend on the data, computed once per batch.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Setup {
    pub method: Method,
    pub bound: Bound,
    /// Probability in each computed tail.
    pub alpha: f64,
    /// z = Φ⁻¹(1 − alpha).
    pub z: f64,
    /// The beta quantile levels of the exact methods.
    pub beta: exact::BetaLimits,
}

impl Setup {
    pub(crate) fn new(confidence: f64, method: Method, bound: Bound) -> Result<Self> {
        check_confidence(confidence)?;
        let alpha = bound.tail(confidence);
        Ok(Setup {
            method,
            bound,
            alpha,
            z: bound.z(confidence),
            beta: exact::BetaLimits::new(alpha, bound),
        })
    }

    /// The interval for validated counts `x <= n`, `n >= 1`.
    pub(crate) fn interval(&self, x: u64, n: u64) -> Interval {
        let (lo, hi) = self.limits(x, n);
        self.bound.select(lo, hi)
    }

    /// Both limits of the method for validated counts (before the bound
    /// keeps one or both).
    pub(crate) fn limits(&self, x: u64, n: u64) -> (f64, f64) {
        match self.method {
            Method::Wald => closed::wald(x, n, self.z),
            Method::Wilson => closed::wilson(x, n, self.z),
            Method::WilsonCc => closed::wilson_cc(x, n, self.z),
            Method::AgrestiCoull => closed::agresti_coull(x, n, self.z),
            Method::Arcsine => closed::arcsine(x, n, self.z),
            Method::Logit => match closed::logit(x, n, self.z) {
                Some(ci) => ci,
                None => exact::clopper_pearson(x, n, &self.beta),
            },
            Method::Jeffreys => exact::jeffreys(x, n, &self.beta),
            Method::ClopperPearson => exact::clopper_pearson(x, n, &self.beta),
            Method::MidP => exact::mid_p(x, n, self.alpha),
            Method::LikelihoodRatio => exact::likelihood_ratio(x, n, self.z),
            Method::Blaker => match self.bound {
                Bound::TwoSided => blaker::blaker(x, n, 2.0 * self.alpha),
                Bound::Lower | Bound::Upper => exact::clopper_pearson(x, n, &self.beta),
            },
        }
    }
}

/// Validates one (successes, trials) pair; `names` gives the two argument
/// names and is only called on the error path (no allocation otherwise).
#[inline]
pub(crate) fn check_counts(x: u64, n: u64, names: impl Fn() -> (String, String)) -> Result<()> {
    if n == 0 {
        return Err(Error::invalid(names().1, n, "a whole number >= 1"));
    }
    if x > n {
        let (x_name, n_name) = names();
        return Err(Error::invalid(
            x_name,
            x,
            format!("a whole number in [0, {n}] ({n_name} = {n})"),
        ));
    }
    Ok(())
}

/// Confidence interval for a pass rate: `x` successes in `n` trials.
///
/// The methods and conventions are listed on [`Method`] and in the module
/// documentation. With [`Method::Logit`] the limits at x = 0 and x = n (where
/// the log-odds are infinite) are the Clopper-Pearson ones. With
/// [`Method::Blaker`] and a one-sided bound the result is the one-sided
/// Clopper-Pearson bound, to which Blaker's acceptability function reduces
/// when only one tail is tested.
///
/// # Errors
/// [`Error::InvalidArgument`] if `n == 0`, `x > n`, or `confidence` is not in (0, 1).
///
/// # Example
/// ```
/// use qualstat::proportion::{proportion_ci, Bound, Method};
/// let ci = proportion_ci(81, 263, 0.95, Method::Wilson, Bound::TwoSided).unwrap();
/// assert!((ci.lower - 0.2553).abs() < 5e-5 && (ci.upper - 0.3662).abs() < 5e-5);
/// ```
pub fn proportion_ci(
    x: u64,
    n: u64,
    confidence: f64,
    method: Method,
    bound: Bound,
) -> Result<Interval> {
    let setup = Setup::new(confidence, method, bound)?;
    check_counts(x, n, || ("successes".into(), "trials".into()))?;
    Ok(setup.interval(x, n))
}
