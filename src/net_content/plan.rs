//! The sampling plans of each regime (`reference/lab_notes.md` A.2, A.3) and
//! their operating characteristics.

use super::decimal::Dec;
use super::tables::{EU_DEFECTIVES, EU_FULL_INSPECTION_MAX, EU_MEAN, R87, UK_SMALL_LOT_PERCENT};
use super::{Kind, Lambda, MeanOc, Regime, T2Policy};
use crate::error::{Error, Result};
use crate::numerics::{noncentral_t, normal, student_t};
use crate::plan::{AttributePlan, Model};

/// A net-content sampling plan for one lot.
///
/// `n` holds the sample size of each stage (not cumulative), `ac` and `re`
/// the cumulative acceptance and rejection numbers for packages short by
/// more than T (None where the regime has no such criterion: EU lots under
/// 100). `mean_n` packages (the first ones of stage 1, which the Directive
/// requires to be a random subset of it: Annex II 2.1.4) enter the mean test
/// x̄ ≥ Qn − λ·s; None when the regime has no mean test (China, lots of 1 to
/// 10). None of these regimes applies a finite-lot correction to λ.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize), serde(into = "PlanKey"))]
pub struct NetContentPlan {
    /// The regime whose table gave the plan.
    pub regime: Regime,
    /// The lot size N.
    pub lot_size: u64,
    /// Whether the test destroys the packages.
    pub destructive: bool,
    /// Single or double.
    pub kind: Kind,
    /// Whether every package of the lot is inspected (small lots).
    pub full_inspection: bool,
    /// Sample size per stage.
    pub n: Vec<u64>,
    /// Cumulative acceptance numbers for T1 errors.
    pub ac: Option<Vec<u64>>,
    /// Cumulative rejection numbers for T1 errors.
    pub re: Option<Vec<u64>>,
    /// Sample size of the mean test.
    pub mean_n: Option<u64>,
    /// λ as printed.
    pub lam_printed: Option<f64>,
    /// λ = t(0.995, n − 1)/√n (0 when the whole lot is inspected: x̄ ≥ Qn).
    pub lam_exact: Option<f64>,
    /// The regime's T2 policy.
    pub t2_policy: T2Policy,
    /// Where the numbers come from.
    pub source: &'static str,
    pub(crate) lam_dec: Option<Dec>,
}

/// What identifies a plan in the tables (its serialized form: a plan read
/// back is looked up again, so it is always one the tables contain).
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
struct PlanKey {
    regime: Regime,
    lot_size: u64,
    destructive: bool,
    kind: Kind,
}

#[cfg(feature = "serde")]
impl From<NetContentPlan> for PlanKey {
    fn from(p: NetContentPlan) -> Self {
        PlanKey {
            regime: p.regime,
            lot_size: p.lot_size,
            destructive: p.destructive,
            kind: p.kind,
        }
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for NetContentPlan {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let k = <PlanKey as serde::Deserialize>::deserialize(d)?;
        plan(k.regime, k.lot_size, k.destructive, Some(k.kind)).map_err(serde::de::Error::custom)
    }
}

const EU_SOURCE: &str = "EU Directive 76/211/EEC Annex II 2.2-2.3";
const UK_SINGLE_SOURCE: &str =
    "UK SI 2006/659 Sch 2 para 3 (single plan; mean check: EU 76/211 Annex II 2.3)";
const EU_SMALL_SOURCE: &str = "EU 76/211 Annex II 2.1.3 (lots under 100 inspected completely; mean >= Qn, UK SI 2006/659 Sch 2 para 4.7)";
const UK_SMALL_SOURCE: &str = "UK SI 2006/659 Sch 2 para 3.6 and 4.7 (lots under 100: at most 5 % of N defective; mean >= Qn)";
const CN_SOURCE: &str = "China 2005 Measures annex table 4 (rows below 100 seen only there)";
const R87_SOURCE: &str =
    "OIML R 87:2004 lineage (China 2005 annex table 4, Australia NTMR 2009 reg 4.34)";

/// λ = t(0.995, n − 1)/√n, the one-sided 99.5 % factor (lab_notes A.5).
pub(crate) fn exact_lambda(n: u64) -> f64 {
    let n = n as f64;
    student_t::quantile(0.995, n - 1.0) / n.sqrt()
}

/// The plan of `regime` for a lot of `lot_size` packages.
///
/// EU / UK: non-destructive lots of 100 or more use the double plan (default)
/// or, with `kind = Single`, the single plan UK SI 2006/659 adds; destructive
/// tests use the single plan of 20 (lots of 100 or more only); non-destructive
/// lots under 100 are inspected completely with the mean test x̄ ≥ Qn, and no
/// defectives criterion (EU) or at most 5 % of N defective (UK). R 87 / China:
/// single plans; lots under 100 only under China's copy, lots of 1 to 10
/// judged package by package with no mean test.
///
/// ```
/// use qualstat::net_content::{plan, Regime};
/// let p = plan(Regime::Eu, 1000, false, None).unwrap();
/// assert_eq!((p.n.clone(), p.ac.clone().unwrap(), p.re.clone().unwrap()), (vec![50, 50], vec![2, 6], vec![5, 7]));
/// assert_eq!((p.mean_n, p.lam_printed), (Some(50), Some(0.379)));
/// ```
///
/// # Errors
/// [`Error::InvalidArgument`] for a lot size of 0, a lot size the regime's
/// table does not cover (destructive EU lots under 100, R 87 lots under 100),
/// a destructive test under the R 87 lineage (its tables have no separate
/// destructive plan), or a double plan where the regime has none.
pub fn plan(
    regime: Regime,
    lot_size: u64,
    destructive: bool,
    kind: Option<Kind>,
) -> Result<NetContentPlan> {
    if lot_size == 0 {
        return Err(Error::invalid("lot_size", 0, "a lot of at least 1 package"));
    }
    match regime {
        Regime::Eu | Regime::Uk2006 => eu_plan(regime, lot_size, destructive, kind),
        Regime::OimlR87_2004 | Regime::China2005 => r87_plan(regime, lot_size, destructive, kind),
    }
}

fn eu_plan(
    regime: Regime,
    lot_size: u64,
    destructive: bool,
    kind: Option<Kind>,
) -> Result<NetContentPlan> {
    let base = |kind, full, n: Vec<u64>, ac, re, mean_n, lam: Dec, source| NetContentPlan {
        regime,
        lot_size,
        destructive,
        kind,
        full_inspection: full,
        n,
        ac,
        re,
        mean_n: Some(mean_n),
        lam_printed: Some(lam.to_f64()),
        lam_exact: Some(if full { 0.0 } else { exact_lambda(mean_n) }),
        t2_policy: regime.t2_policy(),
        source,
        lam_dec: Some(lam),
    };
    if lot_size <= EU_FULL_INSPECTION_MAX {
        if destructive {
            return Err(Error::invalid(
                "lot_size",
                lot_size,
                "at least 100 for a destructive test (the EU reference test has no destructive plan for smaller lots)",
            ));
        }
        let (ac, re, source) = if regime == Regime::Uk2006 {
            let ac = lot_size * UK_SMALL_LOT_PERCENT / 100;
            (Some(vec![ac]), Some(vec![ac + 1]), UK_SMALL_SOURCE)
        } else {
            (None, None, EU_SMALL_SOURCE)
        };
        return Ok(base(
            Kind::Single,
            true,
            vec![lot_size],
            ac,
            re,
            lot_size,
            Dec::ZERO,
            source,
        ));
    }
    let kind = match (destructive, kind) {
        (true, Some(Kind::Double)) => {
            return Err(Error::invalid(
                "kind",
                "double",
                "single (the EU destructive test has a single plan only)",
            ))
        }
        (true, _) => Kind::Single,
        (false, k) => k.unwrap_or(Kind::Double),
    };
    let double = kind == Kind::Double;
    let uk_single = !destructive && !double;
    let stages: Vec<_> = EU_DEFECTIVES
        .iter()
        .filter(|r| r.0 == destructive && r.1 == double && r.2 == uk_single)
        .filter(|r| r.3 <= lot_size && lot_size <= r.4)
        .collect();
    let (mean_n, lam) = EU_MEAN
        .iter()
        .find(|m| m.0 == destructive && m.1 <= lot_size && lot_size <= m.2)
        .map(|m| (m.3, m.4))
        .ok_or_else(|| Error::NoSolution(format!("no mean plan for lot_size = {lot_size}")))?;
    if stages.is_empty() {
        return Err(Error::NoSolution(format!(
            "no plan for lot_size = {lot_size}"
        )));
    }
    let source = if uk_single {
        UK_SINGLE_SOURCE
    } else {
        EU_SOURCE
    };
    Ok(base(
        kind,
        false,
        stages.iter().map(|r| r.6).collect(),
        Some(stages.iter().map(|r| r.7).collect()),
        Some(stages.iter().map(|r| r.8).collect()),
        mean_n,
        lam,
        source,
    ))
}

fn r87_plan(
    regime: Regime,
    lot_size: u64,
    destructive: bool,
    kind: Option<Kind>,
) -> Result<NetContentPlan> {
    if destructive {
        return Err(Error::invalid(
            "destructive",
            "true",
            format!(
                "false ({} tables have no separate destructive plan)",
                regime.name()
            ),
        ));
    }
    if kind == Some(Kind::Double) {
        return Err(Error::invalid(
            "kind",
            "double",
            format!("single ({} has single plans only)", regime.name()),
        ));
    }
    let row = R87
        .iter()
        .find(|r| r.0 <= lot_size && lot_size <= r.1)
        .ok_or_else(|| Error::NoSolution(format!("no plan for lot_size = {lot_size}")))?;
    if row.6 && regime == Regime::OimlR87_2004 {
        return Err(Error::invalid(
            "lot_size",
            lot_size,
            "at least 100 (rows for smaller lots are known only from China's copy: regime china_2005)",
        ));
    }
    let full = row.2.is_none();
    let n = row.2.unwrap_or(lot_size);
    let mean_n = row.3.map(|_| n);
    Ok(NetContentPlan {
        regime,
        lot_size,
        destructive,
        kind: Kind::Single,
        full_inspection: full,
        n: vec![n],
        ac: Some(vec![row.4]),
        re: Some(vec![row.4 + 1]),
        mean_n,
        lam_printed: row.3.map(Dec::to_f64),
        lam_exact: mean_n.map(exact_lambda),
        t2_policy: regime.t2_policy(),
        source: if row.6 { CN_SOURCE } else { R87_SOURCE },
        lam_dec: row.3,
    })
}

impl NetContentPlan {
    /// λ of the mean test by `choice` (None without a mean test).
    pub fn lam(&self, choice: Lambda) -> Option<f64> {
        match choice {
            Lambda::Printed => self.lam_printed,
            Lambda::Exact => self.lam_exact,
        }
    }

    /// The attribute plan of the T1 count (None without a T1 criterion).
    pub fn t1_plan(&self) -> Option<AttributePlan> {
        let (ac, re) = (self.ac.as_ref()?, self.re.as_ref()?);
        let ac: Vec<i64> = ac.iter().map(|&a| a as i64).collect();
        AttributePlan::new(&self.n, &ac, re).ok()
    }

    /// Probability that the T1 count accepts a lot in which a fraction `p`
    /// of packages is short by more than T (binomial, or hypergeometric on
    /// this plan's lot with `p·N` whole), exactly as [`AttributePlan::prob_accept`].
    ///
    /// # Errors
    /// [`Error::NotAvailable`] without a T1 criterion; as
    /// [`AttributePlan::prob_accept`] for `p`.
    pub fn prob_pass_t1(&self, p: f64, model: Model) -> Result<f64> {
        let t1 = self.t1_plan().ok_or_else(|| {
            Error::NotAvailable(format!(
                "this plan has no T1 criterion ({}, lot_size = {})",
                self.regime, self.lot_size
            ))
        })?;
        let lot = model.is_hypergeometric().then_some(self.lot_size);
        t1.prob_accept(p, model, lot)
    }

    /// Probability that the mean test passes for a normal packing process
    /// whose mean lies `delta` standard deviations from Qn (δ = (μ − Qn)/σ);
    /// see [`prob_pass_mean`].
    ///
    /// # Errors
    /// [`Error::NotAvailable`] without a mean test; as [`prob_pass_mean`].
    pub fn prob_pass_mean(&self, delta: f64, lam: Lambda, method: MeanOc) -> Result<f64> {
        match (self.mean_n, self.lam(lam)) {
            (Some(n), Some(l)) => prob_pass_mean(delta, n, l, method),
            _ => Err(Error::NotAvailable(format!(
                "this plan has no mean test ({}, lot_size = {})",
                self.regime, self.lot_size
            ))),
        }
    }
}

/// Probability that x̄ ≥ Qn − λ·s for n packages from N(μ, σ²), δ = (μ − Qn)/σ.
///
/// `NoncentralT`: √n(x̄ − Qn)/s follows the noncentral t with n − 1 degrees of
/// freedom and noncentrality √n·δ, so P = P(T' ≥ −λ√n) (exact; n ≥ 2).
/// `Normal`: s replaced by σ, P = Φ(√n (δ + λ)) (also for n = 1).
///
/// ```
/// use qualstat::net_content::{prob_pass_mean, MeanOc};
/// // At μ = Qn the exact test passes with probability 0.995 by construction.
/// let lam = qualstat::numerics::student_t::quantile(0.995, 29.0) / 30f64.sqrt();
/// let p = prob_pass_mean(0.0, 30, lam, MeanOc::NoncentralT).unwrap();
/// assert!((p - 0.995).abs() < 1e-10);
/// ```
///
/// # Errors
/// [`Error::InvalidArgument`] for a non-finite `delta`, `n` of 0 (or 1 with
/// the noncentral t), or `lam` negative or not finite.
pub fn prob_pass_mean(delta: f64, n: u64, lam: f64, method: MeanOc) -> Result<f64> {
    if !delta.is_finite() {
        return Err(Error::invalid("delta", delta, "a finite number"));
    }
    if !(lam.is_finite() && lam >= 0.0) {
        return Err(Error::invalid("lam", lam, "a finite number at least 0"));
    }
    let min = if method == MeanOc::NoncentralT { 2 } else { 1 };
    if n < min {
        return Err(Error::invalid(
            "n",
            n,
            format!("at least {min} packages for the {method} method"),
        ));
    }
    let root = (n as f64).sqrt();
    Ok(match method {
        MeanOc::NoncentralT => noncentral_t::sf(-lam * root, (n - 1) as f64, root * delta),
        MeanOc::Normal => normal::cdf(root * (delta + lam)),
    })
}
