//! Plan design from two risk points (AQL with producer's risk α, LQ with
//! consumer's risk β).
//!
//! # Method
//! For a fixed acceptance number c, Pa(p; n, c) decreases in n under all three
//! models (the count is stochastically increasing in n). So the consumer's
//! condition Pa(lq; n, c) <= β holds exactly for n >= n_min(c), and the
//! producer's condition Pa(aql; n, c) >= 1 − α exactly for n <= n_max(c). A
//! plan with acceptance number c exists iff Pa(aql; n_min(c), c) >= 1 − α, and
//! since n_min(c) does not decrease in c, the first feasible c gives both the
//! smallest n and, for it, the smallest c. n_min(c) is found by a galloping
//! search from n_min(c − 1) followed by bisection, so each c costs a few cdf
//! evaluations even when n runs into the tens of thousands. This is the same
//! criterion as R AcceptanceSampling `find.plan` (smallest n, then smallest c),
//! computed exactly rather than by a linear scan of n.

use super::model::defectives;
use super::model::Quality;
use super::oc::{evaluate_raw, Workspace};
use super::{AttributePlan, Model};
use crate::error::{check_open_unit, Error, Result};
use crate::numerics;
use crate::numerics::search::first_true;
use crate::options::named_options;
use rayon::prelude::*;

/// Largest sample size searched under the binomial and Poisson models.
pub const MAX_DESIGN_SAMPLE: u64 = 100_000_000;

/// Largest acceptance number searched by [`design_plan`]: each acceptance
/// number costs a few cdf evaluations, so risk points this close (e.g. AQL
/// 9.99 %, LQ 10 %, which need Ac in the millions) end in a clear error within
/// a second instead of a search of minutes.
pub const MAX_DESIGN_AC: u64 = 100_000;

/// Two risk points: Pa(aql) >= 1 − alpha and Pa(lq) <= beta.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RiskPoints {
    /// Acceptable quality level (fraction, or nonconformities per unit for Poisson).
    pub aql: f64,
    /// Limiting quality (> aql).
    pub lq: f64,
    /// Producer's risk, in (0, 1).
    pub alpha: f64,
    /// Consumer's risk, in (0, 1), with alpha + beta < 1.
    pub beta: f64,
}

impl RiskPoints {
    /// Validated risk points.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for qualities outside (0, 1) (binomial;
    /// Poisson allows any positive finite value, checked at design), `lq <= aql`,
    /// risks outside (0, 1) or `alpha + beta >= 1`.
    pub fn new(aql: f64, lq: f64, alpha: f64, beta: f64) -> Result<Self> {
        if !(aql > 0.0 && aql.is_finite()) {
            return Err(Error::invalid(
                "aql",
                aql,
                "a positive finite quality level",
            ));
        }
        if !(lq > aql && lq.is_finite()) {
            return Err(Error::invalid(
                "lq",
                lq,
                format!("a finite quality level above aql = {aql}"),
            ));
        }
        check_open_unit("alpha", alpha)?;
        check_open_unit("beta", beta)?;
        if alpha + beta >= 1.0 {
            return Err(Error::invalid(
                "beta",
                beta,
                format!("a consumer's risk below 1 - alpha = {}", 1.0 - alpha),
            ));
        }
        Ok(RiskPoints {
            aql,
            lq,
            alpha,
            beta,
        })
    }
}

/// Pa of the single plan (n, c) at a resolved quality, from the cdf directly.
fn pa_single(n: u64, c: u64, q: Quality) -> f64 {
    match q {
        Quality::Binomial(p) => numerics::binomial::cdf(c, n, p),
        Quality::Poisson(p) => numerics::poisson::cdf(c, n as f64 * p),
        Quality::Hyper { lot, defective, .. } => {
            numerics::hypergeometric::cdf(c, lot, defective, n)
        }
    }
}

/// Checks the lot size of a design: the hypergeometric models need one of at
/// least 1 item; the binomial and Poisson models (a continuing process) have
/// no lot, and a lot size given with them is refused rather than ignored.
///
/// # Errors
/// [`Error::InvalidArgument`] naming `lot_size`.
fn check_design_lot(model: Model, lot_size: Option<u64>) -> Result<()> {
    match lot_size {
        Some(0) => Err(Error::invalid("lot_size", 0, "a lot size of at least 1")),
        Some(lot) if !model.is_hypergeometric() => Err(Error::invalid(
            "lot_size",
            lot,
            format!(
                "no lot size with the {model} model, which describes a continuing process (the hypergeometric models design for an isolated lot of lot_size items)"
            ),
        )),
        _ => Ok(()),
    }
}

/// The two qualities resolved for `model` and the largest n searched.
fn resolve(
    points: &RiskPoints,
    model: Model,
    lot_size: Option<u64>,
) -> Result<(Quality, Quality, u64)> {
    check_design_lot(model, lot_size)?;
    let resolve_one = |name: &str, p: f64| -> Result<Quality> {
        Quality::resolve(p, model, lot_size).map_err(|e| match e {
            Error::InvalidArgument {
                value, expected, ..
            } => Error::InvalidArgument {
                name: name.to_string(),
                value,
                expected,
            },
            other => other,
        })
    };
    let (qa, ql) = (
        resolve_one("aql", points.aql)?,
        resolve_one("lq", points.lq)?,
    );
    let cap = match (model.is_hypergeometric(), lot_size) {
        (true, Some(lot)) => {
            if defectives(points.aql, lot)? >= defectives(points.lq, lot)? {
                return Err(Error::invalid(
                    "lq",
                    points.lq,
                    "more nonconforming items in the lot than at the aql",
                ));
            }
            lot
        }
        _ => MAX_DESIGN_SAMPLE,
    };
    Ok((qa, ql, cap))
}

/// The single plan with the smallest n, then the smallest Ac, such that
/// Pa(aql) >= 1 − α and Pa(lq) <= β (see the module docs for the method).
///
/// # Examples
/// ```
/// use qualstat::plan::{design_plan, Model, RiskPoints};
/// let pts = RiskPoints::new(0.01, 0.05, 0.05, 0.10).unwrap();
/// let plan = design_plan(&pts, Model::Binomial, None).unwrap();
/// assert_eq!((plan.n()[0], plan.ac()[0]), (132, 3));
/// ```
///
/// # Errors
/// [`Error::InvalidArgument`] for invalid qualities (hypergeometric: `p·N`
/// not whole, no lot size), a lot size of 0, or a lot size with the binomial
/// or Poisson model (which have no lot); [`Error::NoSolution`] when no plan
/// with n <= [`MAX_DESIGN_SAMPLE`] (or n <= N) and Ac <= [`MAX_DESIGN_AC`]
/// meets both points.
pub fn design_plan(
    points: &RiskPoints,
    model: Model,
    lot_size: Option<u64>,
) -> Result<AttributePlan> {
    let (qa, ql, cap) = resolve(points, model, lot_size)?;
    let (target_a, beta) = (1.0 - points.alpha, points.beta);
    let (mut prev_n, mut prev_inc) = (1u64, 1u64);
    for c in 0..=MAX_DESIGN_AC {
        let Some(n) = first_true(prev_n.max(c + 1), cap, prev_inc, |n| {
            pa_single(n, c, ql) <= beta
        }) else {
            return Err(Error::NoSolution(format!(
                "no single plan with n <= {cap} meets Pa({}) >= {target_a} and Pa({}) <= {beta}",
                points.aql, points.lq
            )));
        };
        if pa_single(n, c, qa) >= target_a {
            return AttributePlan::single(n, c);
        }
        prev_inc = (n - prev_n).max(1);
        prev_n = n;
    }
    Err(Error::NoSolution(format!(
        "no single plan with Ac <= {MAX_DESIGN_AC} (the search limit) meets Pa({}) >= {target_a} and Pa({}) <= {beta}: the risk points are too close (lq / aql = {:.4})",
        points.aql,
        points.lq,
        points.lq / points.aql
    )))
}

/// The zero-acceptance (c = 0) plan with the smallest n such that Pa(lq) <= β.
///
/// # Errors
/// As [`design_plan`]: invalid `lq`/`beta`, or no n within the search range.
pub fn zero_acceptance_plan(
    lq: f64,
    beta: f64,
    model: Model,
    lot_size: Option<u64>,
) -> Result<AttributePlan> {
    check_open_unit("beta", beta)?;
    check_design_lot(model, lot_size)?;
    if !(lq > 0.0 && lq.is_finite()) {
        return Err(Error::invalid("lq", lq, "a positive finite quality level"));
    }
    let ql = Quality::resolve(lq, model, lot_size).map_err(|e| match e {
        Error::InvalidArgument {
            value, expected, ..
        } => Error::InvalidArgument {
            name: "lq".into(),
            value,
            expected,
        },
        other => other,
    })?;
    let cap = if model.is_hypergeometric() {
        lot_size.unwrap_or(0)
    } else {
        MAX_DESIGN_SAMPLE
    };
    let n = first_true(1, cap, 1, |n| pa_single(n, 0, ql) <= beta).ok_or_else(|| {
        Error::NoSolution(format!(
            "no c = 0 plan with n <= {cap} has Pa({lq}) <= {beta}"
        ))
    })?;
    AttributePlan::single(n, 0)
}

/// [`design_plan`] for many risk-point pairs, in parallel: one result per pair.
///
/// # Errors
/// The lot size is checked once, for all pairs (as in [`design_plan`]).
pub fn design_plan_grid(
    points: &[RiskPoints],
    model: Model,
    lot_size: Option<u64>,
) -> Result<Vec<Result<AttributePlan>>> {
    check_design_lot(model, lot_size)?;
    Ok(crate::parallel::install(|| {
        points
            .par_iter()
            .with_min_len(4)
            .map(|pts| design_plan(pts, model, lot_size))
            .collect()
    }))
}

/// Largest acceptance number of the single plan for which [`design_double_plan`]
/// searches (its search grows like Ac⁴: about 0.3 s at Ac = 18, seconds at 40).
pub const MAX_DOUBLE_DESIGN_AC: u64 = 40;

named_options! {
    /// The second-sample size of a double plan relative to the first.
    pub enum DoubleFamily for "n2" {
        /// n2 = n1.
        Equal = "equal",
        /// n2 = 2 n1.
        Twice = "twice",
    }
}

/// The double plan (n1, Ac1, Re1; n2, Ac2, Re2 = Ac2 + 1) with n2 = n1 or
/// n2 = 2 n1 meeting both risk points with the smallest ASN at the AQL (ties:
/// the smaller largest sample).
///
/// # Method
/// For fixed acceptance and rejection numbers Pa decreases in n1, so the
/// feasible n1 form an interval found by bisection, and every n1 in it is
/// evaluated. The numbers searched are 0 <= Ac1 < Ac2 <= 2c + 3 and
/// Ac1 + 2 <= Re1 <= Ac2 + 1, where c is the acceptance number of the
/// single plan from [`design_plan`]; n1 is searched up to that plan's n.
///
/// # Errors
/// As [`design_plan`]; [`Error::NoSolution`] when no double plan in the
/// searched range meets both points; [`Error::NotAvailable`] when the single
/// plan's Ac exceeds `MAX_DOUBLE_DESIGN_AC` (40).
pub fn design_double_plan(
    points: &RiskPoints,
    family: DoubleFamily,
    model: Model,
    lot_size: Option<u64>,
) -> Result<AttributePlan> {
    let single = design_plan(points, model, lot_size)?;
    let (qa, ql, _) = resolve(points, model, lot_size)?;
    let n_single = single.n()[0];
    let c_single = single.re()[0] - 1;
    if c_single > MAX_DOUBLE_DESIGN_AC {
        return Err(Error::NotAvailable(format!(
            "double-plan design searches risk points whose single plan has Ac <= {MAX_DOUBLE_DESIGN_AC}; these need Ac = {c_single} (use design_plan)"
        )));
    }
    let k = match family {
        DoubleFamily::Equal => 1,
        DoubleFamily::Twice => 2,
    };
    let n1_cap = match lot_size {
        Some(lot) if model.is_hypergeometric() => n_single.min(lot / (1 + k)),
        _ => n_single,
    };
    let mut ws = Workspace::default();
    let mut best: Option<(f64, u64, AttributePlan)> = None;
    let (target_a, beta) = (1.0 - points.alpha, points.beta);
    for ac2 in 1..=(2 * c_single + 3) {
        for ac1 in 0..ac2 {
            for re1 in (ac1 + 2)..=(ac2 + 1) {
                let make = |n1: u64| AttributePlan::double(n1, ac1 as i64, re1, k * n1, ac2).ok();
                let mut pa =
                    |n1: u64, q: Quality| make(n1).map_or(1.0, |p| evaluate_raw(&p, q, &mut ws).pa);
                let Some(lo) = first_true(1, n1_cap, 1, |n1| pa(n1, ql) <= beta) else {
                    continue;
                };
                for n1 in lo..=n1_cap {
                    let Some(plan) = make(n1) else { continue };
                    let at_aql = evaluate_raw(&plan, qa, &mut ws);
                    if at_aql.pa < target_a {
                        break;
                    }
                    let key = (at_aql.asn, plan.max_sample_size());
                    if best.as_ref().is_none_or(|(a, m, _)| key < (*a, *m)) {
                        best = Some((key.0, key.1, plan));
                    }
                }
            }
        }
    }
    best.map(|(_, _, p)| p).ok_or_else(|| {
        Error::NoSolution(format!(
            "no double plan in the searched range meets Pa({}) >= {target_a} and Pa({}) <= {beta}",
            points.aql, points.lq
        ))
    })
}
