//! Confidence intervals for the difference p₁ − p₂ of two independent
//! proportions (e.g. the pass rates of two regions or periods).

use super::batch::{count_at, fill_pairs, Count};
use super::{check_counts, closed, Interval};
use crate::error::{check_confidence, check_same_len, Result};
use crate::numerics::{normal, roots};
use crate::options::named_options;

named_options! {
    /// Interval methods for p₁ − p₂.
    pub enum DiffMethod for "method" {
        /// Newcombe (1998, *Statist. Med.* 17:873, method 10): hybrid score
        /// interval from the two Wilson intervals.
        Newcombe = "newcombe",
        /// Miettinen & Nurminen (1985, *Statist. Med.* 4:213): inversion of the
        /// score test with the restricted maximum-likelihood variance and the
        /// N/(N − 1) correction.
        MiettinenNurminen = "miettinen_nurminen",
        /// Agresti & Caffo (2000): Wald after adding one success and one failure
        /// to each sample; clipped to [−1, 1].
        AgrestiCaffo = "agresti_caffo",
        /// Wald: d ± z√(p̂₁q̂₁/n₁ + p̂₂q̂₂/n₂), clipped to [−1, 1].
        Wald = "wald",
    }
}

fn clip(v: f64) -> f64 {
    v.clamp(-1.0, 1.0)
}

/// Newcombe's hybrid score interval:
/// L = d − √((p̂₁ − l₁)² + (u₂ − p̂₂)²), U = d + √((u₁ − p̂₁)² + (p̂₂ − l₂)²),
/// with (lᵢ, uᵢ) the Wilson limits.
fn newcombe(x1: u64, n1: u64, x2: u64, n2: u64, z: f64) -> (f64, f64) {
    let (p1, p2) = (x1 as f64 / n1 as f64, x2 as f64 / n2 as f64);
    let (l1, u1) = closed::wilson(x1, n1, z);
    let (l2, u2) = closed::wilson(x2, n2, z);
    let d = p1 - p2;
    let lo = d - ((p1 - l1).powi(2) + (u2 - p2).powi(2)).sqrt();
    let hi = d + ((u1 - p1).powi(2) + (p2 - l2).powi(2)).sqrt();
    (clip(lo), clip(hi))
}

fn wald(x1: u64, n1: u64, x2: u64, n2: u64, z: f64) -> (f64, f64) {
    let (n1, n2) = (n1 as f64, n2 as f64);
    let (p1, p2) = (x1 as f64 / n1, x2 as f64 / n2);
    let h = z * (p1 * (1.0 - p1) / n1 + p2 * (1.0 - p2) / n2).sqrt();
    (clip(p1 - p2 - h), clip(p1 - p2 + h))
}

fn agresti_caffo(x1: u64, n1: u64, x2: u64, n2: u64, z: f64) -> (f64, f64) {
    let (m1, m2) = (n1 as f64 + 2.0, n2 as f64 + 2.0);
    let (p1, p2) = ((x1 as f64 + 1.0) / m1, (x2 as f64 + 1.0) / m2);
    let h = z * (p1 * (1.0 - p1) / m1 + p2 * (1.0 - p2) / m2).sqrt();
    (clip(p1 - p2 - h), clip(p1 - p2 + h))
}

/// Restricted maximum-likelihood estimates (p̃₁, p̃₂) under p₁ − p₂ = δ: the
/// root in [max(0, δ), min(1, 1 + δ)] of the cubic of Miettinen & Nurminen
/// (1985, appendix), solved in trigonometric form (Farrington & Manning 1990).
fn restricted_mle(p1: f64, n1: f64, p2: f64, n2: f64, delta: f64) -> (f64, f64) {
    let theta = n2 / n1;
    let a = 1.0 + theta;
    let b = -(1.0 + theta + p1 + theta * p2 + delta * (theta + 2.0));
    let c = delta * delta + delta * (2.0 * p1 + theta + 1.0) + p1 + theta * p2;
    let d = -p1 * delta * (1.0 + delta);
    let v = b.powi(3) / (27.0 * a.powi(3)) - b * c / (6.0 * a * a) + d / (2.0 * a);
    let u2 = (b * b / (9.0 * a * a) - c / (3.0 * a)).max(0.0);
    let u = u2.sqrt().copysign(v);
    let ratio = if u == 0.0 {
        0.0
    } else {
        (v / (u * u2)).clamp(-1.0, 1.0)
    };
    let w = (std::f64::consts::PI + ratio.acos()) / 3.0;
    let lo = delta.max(0.0);
    let hi = (1.0 + delta).min(1.0);
    let t1 = (2.0 * u * w.cos() - b / (3.0 * a)).clamp(lo, hi);
    (t1, (t1 - delta).clamp(0.0, 1.0))
}

/// Miettinen-Nurminen: {δ : (d − δ)² ≤ z² V(δ)}, V(δ) = (p̃₁q̃₁/n₁ + p̃₂q̃₂/n₂)·N/(N − 1).
///
/// The set is an interval containing d; at δ = ±1 the inequality fails
/// unless d = ±1. Each limit is therefore found by bisection on the
/// predicate "the inequality holds" between d and ±1. Bisection on the
/// predicate (rather than a root of the difference) also handles zero cells,
/// where the difference touches 0 at δ = d itself; it never starts from the
/// Wald interval.
fn miettinen_nurminen(x1: u64, n1: u64, x2: u64, n2: u64, z: f64) -> (f64, f64) {
    let (nf1, nf2) = (n1 as f64, n2 as f64);
    let (p1, p2) = (x1 as f64 / nf1, x2 as f64 / nf2);
    let d = p1 - p2;
    let big_n = nf1 + nf2;
    let z2 = z * z;
    let g = |delta: f64| {
        let (t1, t2) = restricted_mle(p1, nf1, p2, nf2, delta);
        let var = (t1 * (1.0 - t1) / nf1 + t2 * (1.0 - t2) / nf2) * big_n / (big_n - 1.0);
        (d - delta).powi(2) - z2 * var
    };
    let inside = |delta: f64| g(delta) <= 0.0;
    let lower = if d <= -1.0 {
        -1.0
    } else {
        roots::bisect_flip(-1.0, d, 1e-15, inside)
    };
    let upper = if d >= 1.0 {
        1.0
    } else {
        roots::bisect_flip(1.0, d, 1e-15, inside)
    };
    (clip(lower), clip(upper))
}

fn limits(x1: u64, n1: u64, x2: u64, n2: u64, method: DiffMethod, z: f64) -> (f64, f64) {
    match method {
        DiffMethod::Newcombe => newcombe(x1, n1, x2, n2, z),
        DiffMethod::MiettinenNurminen => miettinen_nurminen(x1, n1, x2, n2, z),
        DiffMethod::AgrestiCaffo => agresti_caffo(x1, n1, x2, n2, z),
        DiffMethod::Wald => wald(x1, n1, x2, n2, z),
    }
}

/// Two-sided confidence interval for p₁ − p₂ from `x1` of `n1` and `x2` of `n2`.
///
/// # Errors
/// A count pair with n = 0 or x > n, or `confidence` outside (0, 1).
///
/// # Example
/// ```
/// use qualstat::proportion::{proportion_diff_ci, DiffMethod};
/// // Newcombe (1998), example (a): 56/70 − 48/80 = 0.2, interval 0.0524 to 0.3339.
/// let ci = proportion_diff_ci(56, 70, 48, 80, 0.95, DiffMethod::Newcombe).unwrap();
/// assert!((ci.lower - 0.0524).abs() < 5e-5 && (ci.upper - 0.3339).abs() < 5e-5);
/// ```
pub fn proportion_diff_ci(
    x1: u64,
    n1: u64,
    x2: u64,
    n2: u64,
    confidence: f64,
    method: DiffMethod,
) -> Result<Interval> {
    check_confidence(confidence)?;
    check_counts(x1, n1, || ("x1".into(), "n1".into()))?;
    check_counts(x2, n2, || ("x2".into(), "n2".into()))?;
    let z = normal::isf(0.5 * (1.0 - confidence));
    let (lower, upper) = limits(x1, n1, x2, n2, method, z);
    Ok(Interval { lower, upper })
}

/// The four count arrays of a batch of two-sample comparisons.
#[derive(Debug, Clone, Copy)]
pub struct TwoSamples<'a, A, B, C, D> {
    /// Successes in sample 1.
    pub x1: &'a [A],
    /// Size of sample 1.
    pub n1: &'a [B],
    /// Successes in sample 2.
    pub x2: &'a [C],
    /// Size of sample 2.
    pub n2: &'a [D],
}

/// [`proportion_diff_ci`] over arrays, in parallel.
///
/// # Errors
/// As [`proportion_diff_ci`], with the failing element named, and mismatched lengths.
pub fn proportion_diff_ci_batch<A: Count, B: Count, C: Count, D: Count>(
    samples: TwoSamples<'_, A, B, C, D>,
    confidence: f64,
    method: DiffMethod,
    lower: &mut [f64],
    upper: &mut [f64],
) -> Result<()> {
    check_confidence(confidence)?;
    let TwoSamples { x1, n1, x2, n2 } = samples;
    check_same_len("x1", x1.len(), "n1", n1.len())?;
    check_same_len("x2", x2.len(), "n1", n1.len())?;
    check_same_len("n2", n2.len(), "n1", n1.len())?;
    check_same_len("lower", lower.len(), "n1", n1.len())?;
    let z = normal::isf(0.5 * (1.0 - confidence));
    fill_pairs(lower, upper, |i| {
        let (a, b) = (count_at(x1, i, "x1")?, count_at(n1, i, "n1")?);
        let (c, d) = (count_at(x2, i, "x2")?, count_at(n2, i, "n2")?);
        check_counts(a, b, || (format!("x1[{i}]"), format!("n1[{i}]")))?;
        check_counts(c, d, || (format!("x2[{i}]"), format!("n2[{i}]")))?;
        Ok(limits(a, b, c, d, method, z))
    })
}
