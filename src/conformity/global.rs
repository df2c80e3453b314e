//! Global (process) risks of a conformity decision rule.
//!
//! The true value η of an item drawn from the process is N(μ, σ²); it is
//! measured as y ~ N(η, u²) and accepted when y lies in the acceptance
//! interval A. With C the tolerance interval (JCGM 106:2012 §9.5,
//! `reference/lab_notes.md` C.3):
//!
//! * global consumer's risk R_C = P(η ∉ C, y ∈ A) (non-conforming, accepted);
//! * global producer's risk R_P = P(η ∈ C, y ∉ A) (conforming, rejected).
//!
//! The inner integral over y is a normal probability, which leaves one
//! integral over z = (η − μ)/σ:
//! R_C = ∫_{z ∉ C'} φ(z) B(z) dz and R_P = ∫_{z ∈ C'} φ(z) (1 − B(z)) dz with
//! B(z) = Φ((z_AU − z)/w) − Φ((z_AL − z)/w), w = u/σ and C', z_A the limits
//! in z units. It is done by adaptive Gauss–Kronrod quadrature
//! ([`crate::numerics::integrate::Quadrature`]) to 1e-12 relative, starting
//! from break points graded geometrically (factor 4) from width w around
//! each acceptance limit and from width 1 around the process mean, so the
//! first rules see the steps of B however narrow they are. P(accept) and
//! P(conforming) are closed forms, and R_C − R_P = P(accept) − P(conforming).

use super::batch::{items, Column};
use super::limits::{check_finite, check_positive, Limits};
use crate::error::Result;
use crate::numerics::integrate::Quadrature;
use crate::numerics::normal;
use crate::parallel;
use rayon::prelude::*;

/// Where φ(z) vanishes in double precision (φ(38.5) ≈ 4e-323).
const Z_MAX: f64 = 38.5;
/// Relative accuracy asked of each integral.
const REL_TOL: f64 = 1e-12;
/// Most panels of one integral.
const MAX_PANELS: usize = 600;

/// Global risks and the probabilities they combine.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GlobalRisk {
    /// Global consumer's risk: P(non-conforming and accepted).
    pub consumer: f64,
    /// Global producer's risk: P(conforming and rejected).
    pub producer: f64,
    /// P(accepted) = P(y ∈ A), y ~ N(μ, σ² + u²).
    pub prob_accept: f64,
    /// P(conforming) = P(η ∈ C), η ~ N(μ, σ²).
    pub prob_conforming: f64,
}

/// Per-thread storage: break points and the quadrature's panels.
#[derive(Default)]
struct Workspace {
    points: Vec<f64>,
    quadrature: Quadrature,
}

impl Workspace {
    /// ∫ over [lo, hi] ∩ [−Z_MAX, Z_MAX] of `f`, with break points graded
    /// around the acceptance limits (scale w) and around 0 (scale 1).
    fn integral(
        &mut self,
        f: impl Fn(f64) -> f64,
        (lo, hi): (f64, f64),
        steps: [f64; 2],
        w: f64,
    ) -> f64 {
        let (lo, hi) = (lo.max(-Z_MAX), hi.min(Z_MAX));
        if lo >= hi {
            return 0.0;
        }
        self.points.clear();
        self.points.extend([lo, hi]);
        graded(&mut self.points, 0.0, 1.0);
        for c in steps {
            if c.is_finite() {
                graded(&mut self.points, c, w);
            }
        }
        self.points.retain(|&p| lo <= p && p <= hi);
        self.points.sort_by(f64::total_cmp);
        self.points.dedup();
        self.quadrature
            .integrate(f, &self.points, 0.0, REL_TOL, MAX_PANELS)
    }
}

/// Pushes c and c ± w·4^k for k = 0, 1, ... while w·4^k ≤ 8.
fn graded(points: &mut Vec<f64>, c: f64, w: f64) {
    points.push(c);
    let mut d = w;
    while d <= 8.0 {
        points.extend([c - d, c + d]);
        d *= 4.0;
    }
}

/// The risks for validated inputs.
fn risks(
    ws: &mut Workspace,
    mean: f64,
    sd: f64,
    u: f64,
    tolerance: Limits,
    acceptance: Limits,
) -> GlobalRisk {
    let z = |x: f64| (x - mean) / sd;
    let (t_lo, t_up) = (z(tolerance.lower), z(tolerance.upper));
    let steps = [z(acceptance.lower), z(acceptance.upper)];
    let w = u / sd;
    let accepted =
        |x: f64| normal::pdf(x) * normal::interval((steps[0] - x) / w, (steps[1] - x) / w);
    let rejected = |x: f64| {
        normal::pdf(x) * (normal::cdf((steps[0] - x) / w) + normal::sf((steps[1] - x) / w))
    };
    let consumer = ws.integral(accepted, (f64::NEG_INFINITY, t_lo), steps, w)
        + ws.integral(accepted, (t_up, f64::INFINITY), steps, w);
    let producer = ws.integral(rejected, (t_lo, t_up), steps, w);
    let total = sd.hypot(u);
    GlobalRisk {
        consumer,
        producer,
        prob_accept: normal::interval(
            (acceptance.lower - mean) / total,
            (acceptance.upper - mean) / total,
        ),
        prob_conforming: normal::interval(t_lo, t_up),
    }
}

/// Global consumer's and producer's risks for a normal process N(`mean`,
/// `sd`²) measured with standard uncertainty `u` (normal error), tolerance
/// interval `tolerance` and acceptance interval `acceptance` (equal to the
/// tolerance for simple acceptance).
///
/// ```
/// use qualstat::conformity::{global_risk, Limits};
/// // Process centred on a single upper limit, simple acceptance: R_C =
/// // R_P = arccos(ρ)/(2π) = arctan(u/σ)/(2π), ρ = σ/√(σ² + u²)
/// // (Sheppard's orthant formula).
/// let c = Limits::tolerance(f64::NEG_INFINITY, 0.0).unwrap();
/// let r = global_risk(0.0, 1.0, 0.5, c, c).unwrap();
/// let exact = 0.5f64.atan() / (2.0 * std::f64::consts::PI);
/// assert!((r.consumer - exact).abs() < 1e-14 && (r.producer - exact).abs() < 1e-14);
/// ```
///
/// # Errors
/// [`crate::Error::InvalidArgument`] for a non-finite `mean`, `sd` or `u`
/// not above 0.
pub fn global_risk(
    mean: f64,
    sd: f64,
    u: f64,
    tolerance: Limits,
    acceptance: Limits,
) -> Result<GlobalRisk> {
    check_finite("process_mean", mean)?;
    check_positive("process_sd", sd)?;
    check_positive("u", u)?;
    Ok(risks(
        &mut Workspace::default(),
        mean,
        sd,
        u,
        tolerance,
        acceptance,
    ))
}

/// [`global_risk`] for each item of the columns `[process_mean,
/// process_sd, u, lower, upper, acceptance lower, acceptance upper]`, in
/// parallel (one workspace per thread).
///
/// # Errors
/// As [`global_risk`], [`Limits::tolerance`] and [`Limits::acceptance`],
/// naming the item; [`crate::Error::LengthMismatch`].
pub fn global_risk_batch(columns: [Column<'_>; 7]) -> Result<Vec<GlobalRisk>> {
    let [mean, sd, u, lower, upper, acc_lower, acc_upper] = columns;
    let n = items(&columns)?;
    for i in 0..n {
        mean.checked(i, |v| check_finite("process_mean", v))?;
        sd.checked(i, |v| check_positive("process_sd", v))?;
        u.checked(i, |v| check_positive("u", v))?;
        lower.checked(i, |l| Limits::tolerance(l, upper.at(i)))?;
        acc_lower.checked(i, |l| Limits::acceptance(l, acc_upper.at(i)))?;
    }
    let limits = |lo: Column<'_>, up: Column<'_>, i: usize| Limits {
        lower: lo.at(i),
        upper: up.at(i),
    };
    Ok(parallel::install(|| {
        (0..n)
            .into_par_iter()
            .map_init(Workspace::default, |ws, i| {
                risks(
                    ws,
                    mean.at(i),
                    sd.at(i),
                    u.at(i),
                    limits(lower, upper, i),
                    limits(acc_lower, acc_upper, i),
                )
            })
            .collect()
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::PI;

    const INF: f64 = f64::INFINITY;

    #[test]
    fn sheppard_closed_form_across_ratios() {
        // η and y centred on a single limit, A = C: R_C = R_P = acos(ρ)/(2π).
        let c = Limits::tolerance(-INF, 3.0).unwrap();
        for u in [1e-6, 1e-3, 0.05, 0.3, 1.0, 4.0, 100.0] {
            let r = global_risk(3.0, 1.0, u, c, c).unwrap();
            // acos(ρ) = atan(u/σ) with ρ = σ/√(σ² + u²), without cancellation.
            let exact = u.atan() / (2.0 * PI);
            assert!(
                ((r.consumer - exact) / exact).abs() < 1e-11,
                "{u}: {r:?} {exact}"
            );
            assert!(
                ((r.producer - exact) / exact).abs() < 1e-11,
                "{u}: {r:?} {exact}"
            );
        }
    }

    #[test]
    fn difference_identity_and_bounds() {
        let c = Limits::tolerance(9.0, 11.0).unwrap();
        let a = Limits::acceptance(9.2, 10.8).unwrap();
        for (mean, sd, u) in [(10.0, 0.5, 0.1), (10.6, 0.3, 0.02), (8.0, 2.0, 1.5)] {
            let r = global_risk(mean, sd, u, c, a).unwrap();
            let diff = r.prob_accept - r.prob_conforming;
            assert!((r.consumer - r.producer - diff).abs() < 1e-13, "{r:?}");
            assert!(r.consumer >= 0.0 && r.consumer <= 1.0 - r.prob_conforming);
            assert!(r.producer >= 0.0 && r.producer <= r.prob_conforming);
        }
    }

    #[test]
    fn batch_matches_scalar_and_checks() {
        let (m, s, u, lo, up) = ([9.5, 10.0, 10.5], [0.4], [0.05, 0.1, 0.2], [9.0], [11.0]);
        let (al, au) = ([9.1], [10.9]);
        let cols = [
            Column::new("process_mean", &m),
            Column::new("process_sd", &s),
            Column::new("u", &u),
            Column::new("lower", &lo),
            Column::new("upper", &up),
            Column::new("acceptance lower", &al),
            Column::new("acceptance upper", &au),
        ];
        let batch = global_risk_batch(cols).unwrap();
        let c = Limits::tolerance(9.0, 11.0).unwrap();
        let a = Limits::acceptance(9.1, 10.9).unwrap();
        for (r, (&mean, &ui)) in batch.iter().zip(m.iter().zip(&u)) {
            assert_eq!(*r, global_risk(mean, 0.4, ui, c, a).unwrap());
        }
        let bad = [0.1, -1.0, 0.2];
        let mut cols2 = cols;
        cols2[2] = Column::new("u", &bad);
        let e = global_risk_batch(cols2).unwrap_err().to_string();
        assert!(e.starts_with("u[1] = -1 is invalid"), "{e}");
    }
}
