//! Many plans on many quality levels at once, in parallel. This module uses
//! the one-point evaluation of `oc`; `oc` does not use it.

use super::model::{check_lot, Quality};
use super::oc::{evaluate_raw, point, shared_single_cdf, single_pa, OcPoint, Raw, Workspace};
use super::{AttributePlan, Model};
use crate::error::{Error, Result};
use ndarray::Array2;
use rayon::prelude::*;
use std::collections::HashMap;

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

/// The distinct plans of a list (tables repeat plans: arrows lead many cells
/// to one plan) and, for each plan of the list, its row among them.
fn distinct(plans: &[AttributePlan]) -> (Vec<&AttributePlan>, Vec<usize>) {
    let mut seen: HashMap<&AttributePlan, usize> = HashMap::with_capacity(plans.len());
    let mut unique = Vec::new();
    let rows = plans
        .iter()
        .map(|plan| {
            *seen.entry(plan).or_insert_with(|| {
                unique.push(plan);
                unique.len() - 1
            })
        })
        .collect();
    (unique, rows)
}

/// Single plans of one sample size `n`: (row among the distinct plans,
/// acceptance limit), and the largest limit.
struct SameSize {
    n: u64,
    members: Vec<(usize, u64)>,
    largest: u64,
}

/// Groups the single plans by sample size; the other plans stay alone.
fn group_by_size(unique: &[&AttributePlan]) -> (Vec<SameSize>, Vec<usize>) {
    let mut by_n: HashMap<u64, SameSize> = HashMap::new();
    let mut alone = Vec::new();
    for (row, plan) in unique.iter().enumerate() {
        match (plan.stages(), plan.accept_limit(0)) {
            (1, Some(c)) => {
                let n = plan.n()[0];
                let g = by_n.entry(n).or_insert(SameSize {
                    n,
                    members: Vec::new(),
                    largest: 0,
                });
                g.members.push((row, c));
                g.largest = g.largest.max(c);
            }
            _ => alone.push(row),
        }
    }
    let mut groups: Vec<SameSize> = by_n.into_values().collect();
    groups.sort_unstable_by_key(|g| g.n);
    (groups, alone)
}

/// Pa of every distinct plan at one quality level: the single plans of one
/// sample size read one shared cdf (identical to evaluating each alone),
/// the others go through [`evaluate_raw`].
fn pa_column(
    unique: &[&AttributePlan],
    (groups, alone): &(Vec<SameSize>, Vec<usize>),
    q: Quality,
    ws: &mut Workspace,
) -> Vec<f64> {
    // NaN marks a plan still to evaluate (no Pa is NaN: p was validated).
    let mut col = vec![f64::NAN; unique.len()];
    for g in groups {
        if let Some(cdf) = shared_single_cdf(q, g.n, g.largest, ws) {
            for &(row, c) in &g.members {
                if let Some(pa) = single_pa(cdf, q, g.n, c) {
                    col[row] = pa;
                }
            }
        }
        for &(row, _) in &g.members {
            if col[row].is_nan() {
                col[row] = evaluate_raw(unique[row], q, ws).pa;
            }
        }
    }
    for &row in alone {
        col[row] = evaluate_raw(unique[row], q, ws).pa;
    }
    col
}

/// Probability of acceptance of every plan at every quality level, computed
/// in parallel: row `i` is plan `i`, column `j` the quality `p[j]`.
///
/// Repeated plans are evaluated once, and single plans of one sample size
/// share one pmf recurrence per quality level (the results are those of
/// evaluating each plan alone, bit for bit).
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
    if qualities.len() < 4 * crate::parallel::num_threads() {
        // Too few columns to share the work: one task per cell.
        let pa = raw_grid(plans, &qualities)
            .into_iter()
            .map(|r| r.pa)
            .collect();
        return Array2::from_shape_vec((plans.len(), p.len()), pa)
            .map_err(|e| Error::NotAvailable(format!("plan-by-quality grid: {e}")));
    }
    let (unique, rows) = distinct(plans);
    let grouped = group_by_size(&unique);
    let columns: Vec<Vec<f64>> = crate::parallel::install(|| {
        qualities
            .par_iter()
            .map_init(Workspace::default, |ws, &q| {
                pa_column(&unique, &grouped, q, ws)
            })
            .collect()
    });
    let m = p.len();
    let mut pa = vec![0.0; plans.len() * m];
    crate::parallel::install(|| {
        pa.par_chunks_mut(m).zip(&rows).for_each(|(out, &row)| {
            for (o, col) in out.iter_mut().zip(&columns) {
                *o = col[row];
            }
        });
    });
    Array2::from_shape_vec((plans.len(), m), pa)
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
