//! Many plans on many quality levels at once, in parallel. This module uses
//! the one-point evaluation of `oc`; `oc` does not use it.

use super::model::{check_lot, Quality};
use super::oc::{evaluate_raw, point, OcPoint, Raw, Workspace};
use super::{AttributePlan, Model};
use crate::error::{Error, Result};
use ndarray::Array2;
use rayon::prelude::*;

fn resolve_all(
    plans: &[AttributePlan],
    p: &[f64],
    model: Model,
    lot_size: Option<u64>,
) -> Result<Vec<Quality>> {
    if let Some(lot) = lot_size {
        for plan in plans {
            check_lot(lot, plan.max_sample_size())?;
        }
    }
    let max_sample = plans.iter().map(|p| p.max_sample_size()).max().unwrap_or(0);
    p.iter()
        .enumerate()
        .map(|(i, &x)| {
            let q = Quality::resolve(x, model, lot_size).and_then(|q| {
                if model == Model::Poisson && !(x * max_sample as f64).is_finite() {
                    Err(Error::invalid(
                        "p",
                        x,
                        "nonconformities per unit small enough that n * p is finite",
                    ))
                } else {
                    Ok(q)
                }
            });
            q.map_err(|e| match e {
                Error::InvalidArgument {
                    name,
                    value,
                    expected,
                } if name == "p" => Error::InvalidArgument {
                    name: format!("p[{i}]"),
                    value,
                    expected,
                },
                other => other,
            })
        })
        .collect()
}

fn raw_grid(plans: &[AttributePlan], qualities: &[Quality]) -> Vec<Raw> {
    let m = qualities.len();
    crate::parallel::install(|| {
        (0..plans.len() * m)
            .into_par_iter()
            .with_min_len(32)
            .map_init(Workspace::default, |ws, i| {
                evaluate_raw(&plans[i / m], qualities[i % m], ws)
            })
            .collect()
    })
}

/// OC, ASN, AOQ and ATI of every plan at every quality level, plan-major
/// (`result[i * p.len() + j]` is plan `i` at `p[j]`), computed in parallel.
///
/// # Errors
/// As [`AttributePlan::evaluate`]; an invalid quality is named `p[j]`.
pub fn evaluate_grid(
    plans: &[AttributePlan],
    p: &[f64],
    model: Model,
    lot_size: Option<u64>,
) -> Result<Vec<OcPoint>> {
    let qualities = resolve_all(plans, p, model, lot_size)?;
    let raw = raw_grid(plans, &qualities);
    Ok(raw
        .into_iter()
        .enumerate()
        .map(|(i, r)| point(p[i % p.len()], r, lot_size))
        .collect())
}

/// Probability of acceptance of every plan at every quality level, computed
/// in parallel: row `i` is plan `i`, column `j` the quality `p[j]`.
///
/// # Examples
/// ```
/// use qualstat::plan::{prob_accept_grid, AttributePlan, Model};
/// let plans = [AttributePlan::single(50, 1).unwrap(), AttributePlan::single(80, 2).unwrap()];
/// let pa = prob_accept_grid(&plans, &[0.01, 0.05, 0.1], Model::Binomial, None).unwrap();
/// assert_eq!(pa.dim(), (2, 3));
/// assert!(pa[[0, 0]] > pa[[0, 2]]);
/// ```
///
/// # Errors
/// As [`evaluate_grid`].
pub fn prob_accept_grid(
    plans: &[AttributePlan],
    p: &[f64],
    model: Model,
    lot_size: Option<u64>,
) -> Result<Array2<f64>> {
    let qualities = resolve_all(plans, p, model, lot_size)?;
    let pa: Vec<f64> = raw_grid(plans, &qualities)
        .into_iter()
        .map(|r| r.pa)
        .collect();
    Array2::from_shape_vec((plans.len(), p.len()), pa)
        .map_err(|e| Error::NotAvailable(format!("plan-by-quality grid: {e}")))
}

impl AttributePlan {
    /// [`AttributePlan::evaluate`] at every point of `p`, in parallel.
    ///
    /// # Errors
    /// The first invalid point, named `p[i]`.
    pub fn evaluate_many(
        &self,
        p: &[f64],
        model: Model,
        lot_size: Option<u64>,
    ) -> Result<Vec<OcPoint>> {
        evaluate_grid(std::slice::from_ref(self), p, model, lot_size)
    }
}
