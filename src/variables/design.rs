//! Design of a variables plan from two risk points.

use super::oc::{increasing_root, pa_raw};
use super::{Method, VariablesPlan, MAX_SAMPLE_SIZE};
use crate::error::{check_open_unit, Error, Result};
use crate::numerics::{normal, search};

/// Wallis's normal approximation of the design (for comparison with textbooks).
///
/// `k = (z_{p2}·z_α + z_{p1}·z_β)/(z_α + z_β)`,
/// `n_σ = ((z_α + z_β)/(z_{p1} − z_{p2}))²` and `n_s = n_σ·(1 + k²/2)`, with
/// `z_q = Φ⁻¹(1 − q)` (Wallis 1947; Schilling & Neubauer 2009, §9.4; Dodge
/// `VSPDesign`). The sample sizes are not rounded.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct WallisApproximation {
    /// Acceptability constant.
    pub k: f64,
    /// Sample size for the σ-method (unrounded).
    pub n_sigma: f64,
    /// Sample size for the s-method (unrounded).
    pub n_s: f64,
}

/// A designed plan with the range of `k` that meets both risk points.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct VariablesDesign {
    /// The plan: the smallest `n`, and the largest `k` meeting the producer's
    /// point (so `P_a(aql) = 1 − α` exactly, the convention of R
    /// AcceptanceSampling `find.plan`).
    pub plan: VariablesPlan,
    /// The smallest `k` meeting the consumer's point at this `n`
    /// (`P_a(lq) = β`); every `k` in `[k_min, plan.k()]` meets both.
    pub k_min: f64,
    /// `P_a(aql)` of the plan.
    pub pa_aql: f64,
    /// `P_a(lq)` of the plan.
    pub pa_lq: f64,
    /// The normal approximation, for comparison.
    pub approximation: WallisApproximation,
}

/// Smallest producer's and consumer's risk a design accepts: below it
/// `1 − α` is 1 to within a few units of double precision, so the producer's
/// point cannot be solved for.
pub const MIN_RISK: f64 = 1e-10;

/// Largest s-method sample size a design searches: the exact (noncentral t)
/// OC costs grow with `n`, and the search stays within seconds up to here.
pub const MAX_DESIGN_SAMPLE_SIZE_S: u64 = 10_000;

fn check_risk(name: &str, value: f64) -> Result<()> {
    if (MIN_RISK..1.0).contains(&value) {
        Ok(())
    } else {
        // A tiny risk in exponent form (Display writes every zero of 1e-300).
        let shown = if value != 0.0 && value.abs() < 1e-4 {
            format!("{value:e}")
        } else {
            value.to_string()
        };
        Err(Error::invalid(
            name,
            shown,
            format!(
                "a risk in [{MIN_RISK:e}, 1) (smaller risks cannot be met in double precision)"
            ),
        ))
    }
}

/// Solves `pa(k) = target` for k (pa decreasing in k).
fn solve_k(n: u64, method: Method, p: f64, target: f64) -> f64 {
    increasing_root(normal::isf(p), |k| target - pa_raw(n, k, method, p))
}

struct Spec {
    aql: f64,
    lq: f64,
    alpha: f64,
    beta: f64,
    method: Method,
}

impl Spec {
    /// The largest k meeting the producer's point at `n`.
    fn k_max(&self, n: u64) -> f64 {
        match self.method {
            Method::Sigma => normal::isf(self.aql) - normal::isf(self.alpha) / (n as f64).sqrt(),
            Method::S => solve_k(n, Method::S, self.aql, 1.0 - self.alpha),
        }
    }

    /// The smallest k meeting the consumer's point at `n`.
    fn k_min(&self, n: u64) -> f64 {
        match self.method {
            Method::Sigma => normal::isf(self.lq) + normal::isf(self.beta) / (n as f64).sqrt(),
            Method::S => solve_k(n, Method::S, self.lq, self.beta),
        }
    }

    fn feasible(&self, n: u64) -> bool {
        match self.method {
            Method::Sigma => self.k_min(n) <= self.k_max(n),
            Method::S => pa_raw(n, self.k_max(n), Method::S, self.lq) <= self.beta,
        }
    }
}

fn wallis(aql: f64, lq: f64, alpha: f64, beta: f64) -> WallisApproximation {
    let (z1, z2) = (normal::isf(aql), normal::isf(lq));
    let (za, zb) = (normal::isf(alpha), normal::isf(beta));
    let k = (z2 * za + z1 * zb) / (za + zb);
    let n_sigma = ((za + zb) / (z1 - z2)).powi(2);
    WallisApproximation {
        k,
        n_sigma,
        n_s: n_sigma * (1.0 + k * k / 2.0),
    }
}

/// The variables plan with the smallest `n` for which some `k` gives
/// `P_a(aql) >= 1 − α` and `P_a(lq) <= β` (one specification limit), with
/// the OC computed exactly (normal for the σ-method, noncentral t for the
/// s-method); `k` is the largest such value (`P_a(aql) = 1 − α`).
///
/// # Examples
/// ```
/// use qualstat::variables::{design_variables_plan, Method};
/// let d = design_variables_plan(0.01, 0.10, 0.05, 0.10, Method::Sigma).unwrap();
/// assert_eq!(d.plan.n(), 8);
/// ```
///
/// # Errors
/// [`Error::InvalidArgument`] for `aql`, `lq` outside (0, 1), `alpha`, `beta`
/// outside [[`MIN_RISK`], 1), `aql >= lq` or `alpha + beta >= 1`;
/// [`Error::NoSolution`] when the plan would need `k <= 0` (an AQL of 50 % or
/// more), more than [`MAX_SAMPLE_SIZE`] items, or (s-method) more than
/// [`MAX_DESIGN_SAMPLE_SIZE_S`] items.
pub fn design_variables_plan(
    aql: f64,
    lq: f64,
    alpha: f64,
    beta: f64,
    method: Method,
) -> Result<VariablesDesign> {
    check_open_unit("aql", aql)?;
    check_open_unit("lq", lq)?;
    check_risk("alpha", alpha)?;
    check_risk("beta", beta)?;
    if aql >= lq {
        return Err(Error::invalid(
            "aql",
            aql,
            format!("a quality level below lq = {lq}"),
        ));
    }
    if alpha + beta >= 1.0 {
        return Err(Error::invalid(
            "alpha + beta",
            alpha + beta,
            "less than 1 (the producer's acceptance probability 1 - alpha must exceed beta)",
        ));
    }
    let spec = Spec {
        aql,
        lq,
        alpha,
        beta,
        method,
    };
    let approximation = wallis(aql, lq, alpha, beta);
    let n = smallest_feasible(&spec, &approximation)?;
    let k = spec.k_max(n);
    if k.is_nan() || k <= 0.0 {
        return Err(Error::NoSolution(format!(
            "the plan meeting aql = {aql} and lq = {lq} needs k = {k} <= 0 (acceptance with the mean beyond the limit); variables plans here need k > 0"
        )));
    }
    let plan = VariablesPlan::new(n, k, method, None)?;
    Ok(VariablesDesign {
        plan,
        k_min: spec.k_min(n),
        pa_aql: pa_raw(n, k, method, aql),
        pa_lq: pa_raw(n, k, method, lq),
        approximation,
    })
}

/// Smallest feasible n (feasibility is monotone in n): gallop from the
/// Wallis estimate to a bracket, then bisect.
fn smallest_feasible(spec: &Spec, approx: &WallisApproximation) -> Result<u64> {
    let min_n = spec.method.min_sample_size();
    let (guess, max_n) = match spec.method {
        Method::Sigma => (approx.n_sigma, MAX_SAMPLE_SIZE),
        Method::S => (approx.n_s, MAX_DESIGN_SAMPLE_SIZE_S),
    };
    let too_large = || {
        Error::NoSolution(format!(
            "no variables plan with at most {max_n} items meets aql = {} and lq = {} with the {}-method (Wallis's approximation needs about {guess:.0}); widen the gap between aql and lq{}",
            spec.aql,
            spec.lq,
            spec.method.name(),
            if spec.method == Method::S { " or design with the sigma-method" } else { "" }
        ))
    };
    if guess.is_nan() || guess > 2.0 * max_n as f64 {
        return Err(too_large());
    }
    let start = if guess.is_finite() {
        (guess.ceil() as u64).clamp(min_n, max_n)
    } else {
        min_n
    };
    // lo infeasible (or min_n - 1), hi feasible.
    let (lo, hi) = if spec.feasible(start) {
        search::gallop_down(start, 1, min_n - 1, |n| spec.feasible(n))
    } else {
        search::gallop_up(start, 1, max_n, |n| spec.feasible(n)).ok_or_else(too_large)?
    };
    Ok(search::bisect(lo, hi, |n| spec.feasible(n)))
}
