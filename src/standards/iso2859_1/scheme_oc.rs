//! Operating characteristic of the normal/tightened switching scheme.

use crate::error::{check_unit, Error, Result};
use crate::plan::{prob_accept_grid, AttributePlan, Model};

/// Long-run probability of acceptance of the normal/tightened scheme.
///
/// # Formula
/// Stephens & Larson (1967), with P_N and P_T the acceptance probabilities of
/// the normal and tightened plans:
/// a = (2 − P_N⁴)/((1 − P_N)(1 − P_N⁴)), b = (1 − P_T⁵)/((1 − P_T) P_T⁵),
/// Pa = (a P_N + b P_T)/(a + b). It is evaluated as
/// Pa = (A P_N + B P_T)/(A + B) with A = (2 − P_N⁴)(1 − P_T) P_T⁵ and
/// B = (1 − P_T⁵)(1 − P_N)(1 − P_N⁴) (a and b multiplied by the product of
/// their denominators), which has no division by zero at P_N = 1 or P_T = 0.
///
/// # Errors
/// [`Error::InvalidArgument`] for probabilities outside [0, 1];
/// [`Error::NoSolution`] when the formula is 0/0 (P_N = 1 with P_T = 0, or P_T = 1 with P_N ≠ 1).
pub fn scheme_oc(pa_normal: f64, pa_tightened: f64) -> Result<f64> {
    check_unit("pa_normal", pa_normal)?;
    check_unit("pa_tightened", pa_tightened)?;
    let (pn, pt) = (pa_normal, pa_tightened);
    let pn4 = pn.powi(4);
    let pt5 = pt.powi(5);
    let a = (2.0 - pn4) * (1.0 - pt) * pt5;
    let b = (1.0 - pt5) * (1.0 - pn) * (1.0 - pn4);
    if a + b == 0.0 {
        return if pn == pt {
            Ok(pn)
        } else {
            Err(Error::NoSolution(format!(
                "the scheme OC is undefined for pa_normal = {pn}, pa_tightened = {pt}"
            )))
        };
    }
    Ok((a * pn + b * pt) / (a + b))
}

/// The scheme OC of a normal and a tightened plan at each quality in `p`.
///
/// # Errors
/// As [`AttributePlan::evaluate`] for the qualities and [`scheme_oc`].
pub fn scheme_oc_curve(
    normal: &AttributePlan,
    tightened: &AttributePlan,
    p: &[f64],
    model: Model,
    lot_size: Option<u64>,
) -> Result<Vec<f64>> {
    let pa = prob_accept_grid(&[normal.clone(), tightened.clone()], p, model, lot_size)?;
    pa.row(0)
        .iter()
        .zip(pa.row(1))
        .map(|(&n, &t)| scheme_oc(n, t))
        .collect()
}
