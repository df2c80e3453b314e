//! Specific (single-item) risks: the conformance probability of a measured
//! item, and the measurement capability index.
//!
//! With the measurement PDF of the true value η given the measured value y
//! a normal N(y, u²) (or y + u·t_ν for a Student t with ν effective degrees
//! of freedom), the conformance probability is
//! p_c = F((T_U − y)/u) − F((T_L − y)/u), a term dropped for an open side
//! (JCGM 106:2012 §7.3; `reference/lab_notes.md` C.1). The specific
//! consumer's risk of accepting the item is 1 − p_c, its producer's risk of
//! rejecting it is p_c.

use super::batch::{items, Column};
use super::limits::{check_df, check_finite, check_positive, Limits};
use crate::error::{Error, Result};
use crate::numerics::{normal, student_t};
use crate::parallel;
use rayon::prelude::*;

/// F(b) − F(a) for the standard normal (df = ∞) or Student t(df) cdf F,
/// without cancellation in either tail.
pub(super) fn prob_within(a: f64, b: f64, df: f64) -> f64 {
    if df.is_infinite() {
        return normal::interval(a, b);
    }
    if a >= b {
        0.0
    } else if a > 0.0 {
        t_sf(a, df) - t_sf(b, df)
    } else if b < 0.0 {
        t_cdf(b, df) - t_cdf(a, df)
    } else {
        1.0 - t_cdf(a, df) - t_sf(b, df)
    }
}

/// F(a) + 1 − F(b): the probability outside [a, b], from the two tails.
pub(super) fn prob_outside(a: f64, b: f64, df: f64) -> f64 {
    if df.is_infinite() {
        normal::cdf(a) + normal::sf(b)
    } else {
        t_cdf(a, df) + t_sf(b, df)
    }
}

fn t_cdf(t: f64, df: f64) -> f64 {
    match t {
        f64::NEG_INFINITY => 0.0,
        f64::INFINITY => 1.0,
        _ => student_t::cdf(t, df),
    }
}

fn t_sf(t: f64, df: f64) -> f64 {
    t_cdf(-t, df)
}

/// The standardised distances (T_L − y)/u and (T_U − y)/u.
fn standardised(y: f64, u: f64, tolerance: Limits) -> (f64, f64) {
    ((tolerance.lower - y) / u, (tolerance.upper - y) / u)
}

fn checked(y: f64, u: f64, df: f64) -> Result<()> {
    check_finite("y", y)?;
    check_positive("u", u)?;
    check_df(df)?;
    Ok(())
}

/// The probability that an item measured at `y` with standard uncertainty
/// `u` conforms to `tolerance`: normal measurement PDF when `df` is +∞, else
/// y + u·t_df.
///
/// ```
/// use qualstat::conformity::{conformance_probability, Limits};
/// // One upper limit, measured two standard uncertainties below it: Φ(2).
/// let t = Limits::tolerance(f64::NEG_INFINITY, 10.0).unwrap();
/// let p = conformance_probability(9.8, 0.1, t, f64::INFINITY).unwrap();
/// assert!((p - 0.977_249_868_051_820_8).abs() < 1e-15);
/// ```
///
/// # Errors
/// [`Error::InvalidArgument`] for a non-finite `y`, `u` not above 0, `df`
/// not above 0.
pub fn conformance_probability(y: f64, u: f64, tolerance: Limits, df: f64) -> Result<f64> {
    checked(y, u, df)?;
    let (a, b) = standardised(y, u, tolerance);
    Ok(prob_within(a, b, df))
}

/// 1 − p_c, the probability that the item does not conform (the specific
/// consumer's risk if it is accepted), from the tails without cancellation.
///
/// # Errors
/// As [`conformance_probability`].
pub fn nonconformance_probability(y: f64, u: f64, tolerance: Limits, df: f64) -> Result<f64> {
    checked(y, u, df)?;
    let (a, b) = standardised(y, u, tolerance);
    Ok(prob_outside(a, b, df))
}

/// [`conformance_probability`] (or, with `complement`,
/// [`nonconformance_probability`]) for each item, in parallel.
///
/// # Errors
/// As [`conformance_probability`] and [`Limits::tolerance`], naming the
/// item (`y[3]`); [`Error::LengthMismatch`] for columns of different lengths.
pub fn conformance_probability_batch(
    [y, u, lower, upper, df]: [Column<'_>; 5],
    complement: bool,
) -> Result<Vec<f64>> {
    let n = items(&[y, u, lower, upper, df])?;
    for i in 0..n {
        y.checked(i, |v| check_finite("y", v))?;
        u.checked(i, |v| check_positive("u", v))?;
        df.checked(i, check_df)?;
        lower.checked(i, |l| Limits::tolerance(l, upper.at(i)))?;
    }
    Ok(parallel::install(|| {
        (0..n)
            .into_par_iter()
            .map(|i| {
                let tol = Limits {
                    lower: lower.at(i),
                    upper: upper.at(i),
                };
                let (a, b) = standardised(y.at(i), u.at(i), tol);
                if complement {
                    prob_outside(a, b, df.at(i))
                } else {
                    prob_within(a, b, df.at(i))
                }
            })
            .collect()
    }))
}

/// The measurement capability index C_m = (T_U − T_L)/(4u) (JCGM 106:2012
/// §3.3.17 and §7.6, `reference/lab_notes.md` C.2): the tolerance width in
/// units of the expanded uncertainty 2u, halved. Some notes write
/// (T_U − T_L)/(2U), equal only when U = 2u.
///
/// # Errors
/// [`Error::InvalidArgument`] for `u` not above 0; [`Error::Absent`] for a
/// one-sided tolerance.
pub fn measurement_capability_index(u: f64, tolerance: Limits) -> Result<f64> {
    check_positive("u", u)?;
    if !tolerance.two_sided() {
        let open = if tolerance.lower.is_finite() {
            "upper"
        } else {
            "lower"
        };
        return Err(Error::absent(
            open,
            "both tolerance limits (C_m is defined for a two-sided tolerance)",
        ));
    }
    Ok((tolerance.upper - tolerance.lower) / (4.0 * u))
}

/// [`measurement_capability_index`] for each item.
///
/// # Errors
/// As [`measurement_capability_index`], naming the item.
pub fn measurement_capability_index_batch([u, lower, upper]: [Column<'_>; 3]) -> Result<Vec<f64>> {
    let n = items(&[u, lower, upper])?;
    (0..n)
        .map(|i| {
            let tol = lower.checked(i, |l| Limits::tolerance(l, upper.at(i)))?;
            u.checked(i, |v| measurement_capability_index(v, tol))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const INF: f64 = f64::INFINITY;

    #[test]
    fn one_sided_is_phi_and_t() {
        let t = Limits::tolerance(-INF, 10.0).unwrap();
        let p = conformance_probability(9.8, 0.1, t, INF).unwrap();
        assert!((p - normal::cdf(2.0)).abs() < 1e-15);
        // (10 − 9.75)/0.125 = 2 exactly.
        let q = nonconformance_probability(9.75, 0.125, t, INF).unwrap();
        assert_eq!(q, normal::sf(2.0));
        let p = conformance_probability(9.8, 0.1, t, 5.0).unwrap();
        assert!((p - student_t::cdf(2.0, 5.0)).abs() < 1e-15);
        let lower = Limits::tolerance(10.0, INF).unwrap();
        let p = conformance_probability(10.3, 0.1, lower, 5.0).unwrap();
        assert!((p - student_t::cdf(3.0, 5.0)).abs() < 1e-15);
    }

    #[test]
    fn far_outside_keeps_relative_precision() {
        // 20 u inside the limit: the risk is Φ(−20) ≈ 2.75e-89, not 0.
        let t = Limits::tolerance(-INF, 0.0).unwrap();
        let q = nonconformance_probability(-20.0, 1.0, t, INF).unwrap();
        assert!((q / normal::cdf(-20.0) - 1.0).abs() < 1e-15);
    }

    #[test]
    fn capability_index() {
        let t = Limits::tolerance(9.0, 11.0).unwrap();
        assert_eq!(measurement_capability_index(0.125, t), Ok(4.0));
        let one = Limits::tolerance(9.0, INF).unwrap();
        let e = measurement_capability_index(0.1, one).unwrap_err();
        assert!(e.to_string().starts_with("upper is not given"));
        let (u, lo, up) = ([0.1, 0.2], [9.0], [11.0]);
        let cols = [
            Column::new("u", &u),
            Column::new("lower", &lo),
            Column::new("upper", &up),
        ];
        let v = measurement_capability_index_batch(cols).unwrap();
        assert!((v[0] - 5.0).abs() < 1e-15 && (v[1] - 2.5).abs() < 1e-15);
    }

    #[test]
    fn batch_names_the_item() {
        let (y, u, lo, up, df) = ([1.0, f64::NAN], [0.1], [0.0], [2.0], [INF]);
        let cols = [
            Column::new("y", &y),
            Column::new("u", &u),
            Column::new("lower", &lo),
            Column::new("upper", &up),
            Column::new("df", &df),
        ];
        let e = conformance_probability_batch(cols, false).unwrap_err();
        assert!(e.to_string().starts_with("y[1] = NaN is invalid"), "{e}");
    }
}
