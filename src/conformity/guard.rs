//! Guard bands, acceptance limits and ILAC-G8 decision statements.
//!
//! The guard band w is the distance from a tolerance limit to the
//! acceptance limit inside it (ILAC-G8:09/2019 §4.2.2; JCGM 106:2012 §8):
//! A_L = T_L + w, A_U = T_U − w, none on an open side.
//!
//! * `simple`: w = 0 (ILAC-G8 §4.2.1, simple acceptance; the specific risk
//!   at a limit is up to 50 %);
//! * `w=U`: w = k·u, the expanded uncertainty (ILAC-G8 §4.2.2 with w = U);
//!   at the acceptance limit of a one-sided tolerance the specific risk is
//!   1 − Φ(k), 2.275 % for k = 2;
//! * `specific_risk`: the smallest w for which the specific consumer's risk
//!   1 − p_c at the acceptance limits equals `risk` (w = z₁₋risk·u for one
//!   limit; for two limits the other tail counts too and w is a root).
//!
//! Statements (ILAC-G8 §4.2.3, `reference/lab_notes.md` C.2): binary
//! "pass" inside the acceptance interval, else "fail"; non-binary: "pass"
//! inside the acceptance interval, "conditional pass" inside the tolerance
//! interval but in a guard band, "conditional fail" outside the tolerance
//! interval by at most w, "fail" beyond. Boundaries belong to the better
//! statement (a value at a limit is inside it).

use super::batch::{items, Column};
use super::limits::{check_df, check_finite, check_positive, Limits};
use super::specific::prob_outside;
use crate::error::{Error, Result};
use crate::numerics::{normal, roots, student_t};
use crate::options::named_options;
use crate::parallel;
use rayon::prelude::*;

named_options! {
    /// How the guard band w is chosen.
    pub enum GuardRule for "rule" {
        /// w = 0: simple acceptance.
        Simple = "simple",
        /// w = k·u, the expanded uncertainty U.
        ExpandedUncertainty = "w=U",
        /// w such that the specific risk at the acceptance limit is `risk`.
        SpecificRisk = "specific_risk",
    }
}

named_options! {
    /// The form of the statement of conformity (ILAC-G8 §4.2).
    pub enum Statement for "statement" {
        /// "pass" or "fail".
        Binary = "binary",
        /// "pass", "conditional pass", "conditional fail" or "fail".
        NonBinary = "non-binary",
    }
}

/// A statement of conformity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Verdict {
    /// In the acceptance interval.
    Pass,
    /// In the tolerance interval, in a guard band (non-binary only).
    ConditionalPass,
    /// Outside the tolerance interval by at most the guard band (non-binary only).
    ConditionalFail,
    /// Otherwise.
    Fail,
}

impl Verdict {
    /// Every verdict, in the order of their codes (0 to 3).
    pub const ALL: [Verdict; 4] = [
        Verdict::Pass,
        Verdict::ConditionalPass,
        Verdict::ConditionalFail,
        Verdict::Fail,
    ];

    /// The statement as ILAC-G8 words it, in lower case.
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::ConditionalPass => "conditional pass",
            Verdict::ConditionalFail => "conditional fail",
            Verdict::Fail => "fail",
        }
    }

    /// The verdict's position in [`Verdict::ALL`].
    pub fn code(self) -> u8 {
        self as u8
    }
}

/// Parameters of a guard-band rule, checked.
#[derive(Debug, Clone, Copy)]
struct Rule {
    rule: GuardRule,
    risk: f64,
    k: f64,
}

impl Rule {
    fn new(rule: GuardRule, risk: f64, k: f64) -> Result<Self> {
        if rule == GuardRule::SpecificRisk && !(risk > 0.0 && risk < 0.5) {
            return Err(Error::invalid(
                "risk",
                risk,
                "a probability in the open interval (0, 0.5)",
            ));
        }
        if rule == GuardRule::ExpandedUncertainty && !(k.is_finite() && k >= 0.0) {
            return Err(Error::invalid(
                "k",
                k,
                "a finite coverage factor at least 0",
            ));
        }
        Ok(Rule { rule, risk, k })
    }

    /// The guard band for standard uncertainty u (validated).
    fn width(&self, u: f64, tolerance: Limits, df: f64) -> Result<f64> {
        match self.rule {
            GuardRule::Simple => Ok(0.0),
            GuardRule::ExpandedUncertainty => Ok(self.k * u),
            GuardRule::SpecificRisk => specific_risk_width(u, tolerance, df, self.risk),
        }
    }
}

/// The upper tail quantile of the standardised measurement PDF.
fn isf(q: f64, df: f64) -> f64 {
    if df.is_infinite() {
        normal::isf(q)
    } else {
        student_t::isf(q, df)
    }
}

/// The w at which 1 − p_c at T_U − w (and at T_L + w) equals `risk`.
fn specific_risk_width(u: f64, tolerance: Limits, df: f64, risk: f64) -> Result<f64> {
    let one_sided = isf(risk, df);
    if !tolerance.two_sided() {
        return Ok(one_sided * u);
    }
    // In units of u: G(v) = F(−v) + F(−(2h − v)) − risk, decreasing on
    // [0, h] (h the half-width), G(v₁) > 0 at the one-sided v₁.
    let h = 0.5 * (tolerance.upper - tolerance.lower) / u;
    let g = |v: f64| prob_outside(-v, 2.0 * h - v, df) - risk;
    let at_middle = g(h) + risk;
    if at_middle >= risk {
        return Err(Error::NoSolution(format!(
            "no acceptance interval has a specific risk of {risk}: even at the middle of the \
             tolerance interval the risk is {at_middle:.4} (the tolerance is only {:.4} \
             standard uncertainties wide)",
            2.0 * h
        )));
    }
    let v = roots::brent(one_sided, h, 1e-15 * h, g);
    Ok(v * u)
}

/// The acceptance limits the rule implies for one item (validated inputs).
fn limits_for(u: f64, tolerance: Limits, rule: Rule, df: f64) -> Result<Limits> {
    let w = rule.width(u, tolerance, df)?;
    let acceptance = Limits {
        lower: tolerance.lower + w,
        upper: tolerance.upper - w,
    };
    if acceptance.lower >= acceptance.upper {
        return Err(Error::NoSolution(format!(
            "the guard bands w = {w:.6} leave no acceptance interval: the tolerance interval \
             [{}, {}] is not wider than 2w (a smaller uncertainty or coverage factor is needed)",
            tolerance.lower, tolerance.upper
        )));
    }
    Ok(acceptance)
}

/// The acceptance interval implied by a guard-band rule for a measurement
/// with standard uncertainty `u` (normal PDF when `df` is +∞, else t_df).
///
/// ```
/// use qualstat::conformity::{acceptance_limits, GuardRule, Limits};
/// let t = Limits::tolerance(9.0, 11.0).unwrap();
/// let a = acceptance_limits(0.1, t, GuardRule::ExpandedUncertainty, 0.025, 2.0, f64::INFINITY)
///     .unwrap();
/// assert!((a.lower - 9.2).abs() < 1e-12 && (a.upper - 10.8).abs() < 1e-12);
/// ```
///
/// # Errors
/// [`Error::InvalidArgument`] for `u` or `df` not above 0, `risk` outside
/// (0, 0.5) (`specific_risk`), `k` negative (`w=U`); [`Error::NoSolution`]
/// when the guard bands leave no acceptance interval.
pub fn acceptance_limits(
    u: f64,
    tolerance: Limits,
    rule: GuardRule,
    risk: f64,
    k: f64,
    df: f64,
) -> Result<Limits> {
    let rule = Rule::new(rule, risk, k)?;
    check_positive("u", u)?;
    check_df(df)?;
    limits_for(u, tolerance, rule, df)
}

/// [`acceptance_limits`] for each item of `[u, lower, upper, df]`.
///
/// # Errors
/// As [`acceptance_limits`], naming the item.
pub fn acceptance_limits_batch(
    [u, lower, upper, df]: [Column<'_>; 4],
    rule: GuardRule,
    risk: f64,
    k: f64,
) -> Result<Vec<Limits>> {
    let rule = Rule::new(rule, risk, k)?;
    let n = items(&[u, lower, upper, df])?;
    (0..n)
        .map(|i| {
            let tol = lower.checked(i, |l| Limits::tolerance(l, upper.at(i)))?;
            let (u_i, df_i) = (
                u.checked(i, |v| check_positive("u", v))?,
                df.checked(i, check_df)?,
            );
            u.checked(i, |_| limits_for(u_i, tol, rule, df_i))
        })
        .collect()
}

/// A decision on one item.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Decision {
    /// The statement.
    pub verdict: Verdict,
    /// The acceptance interval used.
    pub acceptance: Limits,
    /// The conformance probability p_c of the item.
    pub conformance: f64,
}

fn verdict(y: f64, tolerance: Limits, acceptance: Limits, statement: Statement) -> Verdict {
    if acceptance.contains(y) {
        return Verdict::Pass;
    }
    if statement == Statement::Binary {
        return Verdict::Fail;
    }
    if tolerance.contains(y) {
        return Verdict::ConditionalPass;
    }
    let widened = Limits {
        lower: tolerance.lower - (acceptance.lower - tolerance.lower),
        upper: tolerance.upper + (tolerance.upper - acceptance.upper),
    };
    if widened.contains(y) {
        Verdict::ConditionalFail
    } else {
        Verdict::Fail
    }
}

fn decide_checked(
    y: f64,
    u: f64,
    tolerance: Limits,
    rule: Rule,
    statement: Statement,
    df: f64,
) -> Result<Decision> {
    let acceptance = limits_for(u, tolerance, rule, df)?;
    let (a, b) = ((tolerance.lower - y) / u, (tolerance.upper - y) / u);
    Ok(Decision {
        verdict: verdict(y, tolerance, acceptance, statement),
        acceptance,
        conformance: super::specific::prob_within(a, b, df),
    })
}

/// The statement of conformity for an item measured at `y` with standard
/// uncertainty `u`, under a guard-band rule (see the module docs).
///
/// ```
/// use qualstat::conformity::{decide, GuardRule, Limits, Statement, Verdict};
/// let t = Limits::tolerance(f64::NEG_INFINITY, 10.0).unwrap();
/// let rule = GuardRule::ExpandedUncertainty;
/// let d = decide(9.9, 0.1, t, rule, Statement::NonBinary, 0.025, 2.0, f64::INFINITY).unwrap();
/// assert_eq!(d.verdict, Verdict::ConditionalPass);
/// ```
///
/// # Errors
/// As [`acceptance_limits`]; a non-finite `y`.
#[allow(clippy::too_many_arguments)]
pub fn decide(
    y: f64,
    u: f64,
    tolerance: Limits,
    rule: GuardRule,
    statement: Statement,
    risk: f64,
    k: f64,
    df: f64,
) -> Result<Decision> {
    let rule = Rule::new(rule, risk, k)?;
    check_finite("y", y)?;
    check_positive("u", u)?;
    check_df(df)?;
    decide_checked(y, u, tolerance, rule, statement, df)
}

/// [`decide`] for each item of `[y, u, lower, upper, df]`, in parallel.
///
/// # Errors
/// As [`decide`], naming the item.
pub fn decide_batch(
    [y, u, lower, upper, df]: [Column<'_>; 5],
    rule: GuardRule,
    statement: Statement,
    risk: f64,
    k: f64,
) -> Result<Vec<Decision>> {
    let rule = Rule::new(rule, risk, k)?;
    let n = items(&[y, u, lower, upper, df])?;
    for i in 0..n {
        y.checked(i, |v| check_finite("y", v))?;
        u.checked(i, |v| check_positive("u", v))?;
        df.checked(i, check_df)?;
        lower.checked(i, |l| Limits::tolerance(l, upper.at(i)))?;
    }
    parallel::install(|| {
        (0..n)
            .into_par_iter()
            .map(|i| {
                let tol = Limits {
                    lower: lower.at(i),
                    upper: upper.at(i),
                };
                u.checked(i, |u_i| {
                    decide_checked(y.at(i), u_i, tol, rule, statement, df.at(i))
                })
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conformity::nonconformance_probability;

    const INF: f64 = f64::INFINITY;

    #[test]
    fn w_equals_u_gives_one_minus_phi_k_at_the_limit() {
        let t = Limits::tolerance(-INF, 10.0).unwrap();
        let rule = GuardRule::ExpandedUncertainty;
        let a = acceptance_limits(0.1, t, rule, 0.025, 2.0, INF).unwrap();
        assert_eq!(a.lower, -INF);
        let risk = nonconformance_probability(a.upper, 0.1, t, INF).unwrap();
        assert!((risk - normal::sf(2.0)).abs() < 1e-15, "{risk}");
    }

    #[test]
    fn specific_risk_rule_hits_the_target() {
        for (lo, up, u, df) in [
            (-INF, 10.0, 0.1, INF),
            (9.0, 11.0, 0.1, INF),
            (9.0, 11.0, 0.38, INF),
            (9.0, 11.0, 0.25, 7.0),
            (10.0, INF, 0.3, 4.5),
        ] {
            let t = Limits::tolerance(lo, up).unwrap();
            let a = acceptance_limits(u, t, GuardRule::SpecificRisk, 0.01, 2.0, df).unwrap();
            for edge in [a.lower, a.upper].into_iter().filter(|e| e.is_finite()) {
                let risk = nonconformance_probability(edge, u, t, df).unwrap();
                assert!((risk - 0.01).abs() < 1e-13, "{lo} {up} {u} {df}: {risk}");
            }
        }
        // Too narrow a tolerance: no acceptance interval reaches the target.
        let t = Limits::tolerance(9.9, 10.1).unwrap();
        let e = acceptance_limits(0.1, t, GuardRule::SpecificRisk, 0.01, 2.0, INF).unwrap_err();
        assert!(e.to_string().contains("even at the middle"), "{e}");
        let e = acceptance_limits(0.1, t, GuardRule::SpecificRisk, 0.5, 2.0, INF).unwrap_err();
        assert!(e.to_string().starts_with("risk = 0.5 is invalid"), "{e}");
        let e = acceptance_limits(0.1, t, GuardRule::ExpandedUncertainty, 0.1, 2.0, INF);
        assert!(e
            .unwrap_err()
            .to_string()
            .contains("leave no acceptance interval"));
    }

    #[test]
    fn non_binary_zones_and_edges() {
        let t = Limits::tolerance(9.0, 11.0).unwrap();
        let rule = GuardRule::ExpandedUncertainty;
        let call = |y: f64, s| decide(y, 0.1, t, rule, s, 0.025, 2.0, INF).unwrap().verdict;
        let nb = Statement::NonBinary;
        // A = [9.2, 10.8]; conditional fail up to 11.2 and down to 8.8.
        for (y, v) in [
            (10.0, Verdict::Pass),
            (10.8, Verdict::Pass),
            (10.9, Verdict::ConditionalPass),
            (11.0, Verdict::ConditionalPass),
            (11.1, Verdict::ConditionalFail),
            (11.2, Verdict::ConditionalFail),
            (11.3, Verdict::Fail),
            (8.9, Verdict::ConditionalFail),
            (8.7, Verdict::Fail),
        ] {
            assert_eq!(call(y, nb), v, "y = {y}");
        }
        assert_eq!(call(10.9, Statement::Binary), Verdict::Fail);
        let simple = decide(11.0, 0.1, t, GuardRule::Simple, nb, 0.025, 2.0, INF).unwrap();
        assert_eq!(simple.verdict, Verdict::Pass);
        assert!((simple.conformance - normal::interval(-20.0, 0.0)).abs() < 1e-15);
        let names: Vec<_> = Verdict::ALL.iter().map(|v| v.name()).collect();
        assert_eq!(
            names,
            ["pass", "conditional pass", "conditional fail", "fail"]
        );
        assert_eq!(Verdict::Fail.code(), 3);
    }

    #[test]
    fn options_parse() {
        assert_eq!(
            "W=u".parse::<GuardRule>(),
            Ok(GuardRule::ExpandedUncertainty)
        );
        assert_eq!(
            "specific_risk".parse::<GuardRule>(),
            Ok(GuardRule::SpecificRisk)
        );
        assert_eq!("non_binary".parse::<Statement>(), Ok(Statement::NonBinary));
        let e = "wide".parse::<GuardRule>().unwrap_err().to_string();
        assert!(e.starts_with("rule = \"wide\" is not recognised"), "{e}");
    }
}
