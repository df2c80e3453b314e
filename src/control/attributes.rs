//! Limits of the attributes charts: p, np, c, u, Laney p′ and u′, g.
//!
//! With centre p̄ (fraction), c̄ or ū (count per unit), ḡ (mean count of
//! conforming units between events), sizes nᵢ and width L (Montgomery,
//! Introduction to SQC, ch. 7; qcc 3.0 `limits.p`, `limits.np`, `limits.c`,
//! `limits.u`, `limits.g`; `reference/spc_notes.md` §2):
//! * p: p̄ ± L√(p̄(1 − p̄)/nᵢ) clipped to [0, 1]; np: nᵢp̄ ± L√(nᵢp̄(1 − p̄))
//!   clipped to [0, nᵢ];
//! * c: c̄ ± L√c̄; u: ū ± L√(ū/nᵢ); floored at 0;
//! * Laney p′ / u′ (Laney 2002, Quality Engineering 14(4):531-537; Minitab
//!   "Laney P′ chart, methods and formulas"): the standard error above times
//!   σ_z, the spread of zᵢ = (yᵢ − centre)/seᵢ: MR̄(z)/d2(2) for points in
//!   time order, the standard deviation of z for a categorical axis (units
//!   compared cross-sectionally, `supervision_notes.md` §6.4);
//! * g (Kaminsky et al. 1992, geometric counts): ḡ ± L√(ḡ(ḡ + 1)), floored
//!   at 0;
//! * probability limits (`confidence` given): the (1 − confidence)/2 and
//!   1 − (1 − confidence)/2 quantiles of the count's distribution at the
//!   centre (binomial(nᵢ, p̄), Poisson(nᵢū), geometric with success
//!   probability 1/(ḡ + 1)), divided by nᵢ for p and u, as qcc's
//!   `confidence.level` (without its equal-size defect, notes §2).

use super::{check_width, Limits};
use crate::error::{check_confidence, Error, Result};
use crate::numerics::{binomial, poisson, search};
use crate::options::named_options;

named_options! {
    /// The kind of attributes chart.
    pub enum Attribute for "chart" {
        /// Fraction nonconforming.
        P = "p",
        /// Number nonconforming.
        Np = "np",
        /// Count of nonconformities.
        C = "c",
        /// Nonconformities per unit.
        U = "u",
        /// Conforming units between events.
        G = "g",
    }
}

named_options! {
    /// How the points of a Laney chart are ordered.
    pub enum Axis for "axis" {
        /// In time order: σ_z from the moving range of z.
        Time = "time",
        /// Categories (units, regions): σ_z from the standard deviation of z.
        Categorical = "categorical" | "cross_sectional",
    }
}

impl Attribute {
    /// The smallest and largest value a point of size `n` can take.
    pub fn range(self, n: f64) -> (f64, f64) {
        match self {
            Attribute::P => (0.0, 1.0),
            Attribute::Np => (0.0, n),
            _ => (0.0, f64::INFINITY),
        }
    }

    /// Centre and standard error of the statistic at a point of size `n`.
    fn moments(self, center: f64, n: f64) -> (f64, f64) {
        match self {
            Attribute::P => (center, (center * (1.0 - center) / n).sqrt()),
            Attribute::Np => (n * center, (n * center * (1.0 - center)).sqrt()),
            Attribute::C => (center, center.sqrt()),
            Attribute::U => (center, (center / n).sqrt()),
            Attribute::G => (center, (center * (center + 1.0)).sqrt()),
        }
    }

    fn check_center(self, center: f64) -> Result<()> {
        let ok = match self {
            Attribute::P | Attribute::Np => center > 0.0 && center < 1.0,
            _ => center > 0.0 && center.is_finite(),
        };
        if ok {
            Ok(())
        } else {
            let expected = match self {
                Attribute::P | Attribute::Np => {
                    "a fraction in (0, 1) (the phase-I data have no or only nonconforming items)"
                }
                _ => "a positive finite mean (the phase-I counts are all zero)",
            };
            Err(Error::invalid("center", center, expected))
        }
    }

    /// The in-control range of the count (or of g) at size `n`, from the
    /// quantiles `q` and `1 - q` of its distribution at the centre.
    fn quantile_limits(self, center: f64, n: f64, q: f64) -> Result<(f64, f64)> {
        let count_q = |cdf: &dyn Fn(u64) -> f64, cap: u64, p: f64| {
            search::first_true(0, cap, 8, |k| cdf(k) >= p).unwrap_or(cap) as f64
        };
        Ok(match self {
            Attribute::P | Attribute::Np => {
                let trials = crate::error::count_from_f64("sizes", n)?;
                let cdf = |k| binomial::cdf(k, trials, center);
                let (lo, hi) = (count_q(&cdf, trials, q), count_q(&cdf, trials, 1.0 - q));
                let scale = if self == Attribute::P { n } else { 1.0 };
                (lo / scale, hi / scale)
            }
            Attribute::C | Attribute::U => {
                let mean = center * n;
                let cap = (mean + 40.0 * mean.sqrt() + 100.0) as u64;
                let cdf = |k| poisson::cdf(k, mean);
                (count_q(&cdf, cap, q) / n, count_q(&cdf, cap, 1.0 - q) / n)
            }
            Attribute::G => {
                // P(G ≤ k) = 1 − (1 − p)^(k + 1), p = 1/(ḡ + 1).
                let ln_fail = (center / (center + 1.0)).ln();
                let quantile = |r: f64| ((1.0 - r).ln() / ln_fail - 1.0).ceil().max(0.0);
                (quantile(q), quantile(1.0 - q))
            }
        })
    }
}

/// Limits of an attributes chart at sizes `sizes` (for c and g every size is
/// 1), standard errors multiplied by `scale` (Laney's σ_z; 1 otherwise);
/// probability limits when `confidence` is given.
///
/// # Errors
/// Centre out of range, L or confidence out of range, sizes not positive
/// (not whole numbers for p and np), scale not positive.
pub fn attribute_limits(
    chart: Attribute,
    center: f64,
    sizes: &[f64],
    l: f64,
    scale: f64,
    confidence: Option<f64>,
) -> Result<Limits> {
    chart.check_center(center)?;
    check_width(l)?;
    if !(scale > 0.0 && scale.is_finite()) {
        return Err(Error::invalid("sigma_z", scale, "a positive finite number"));
    }
    for (i, &n) in sizes.iter().enumerate() {
        let whole = !matches!(chart, Attribute::P | Attribute::Np) || n.fract() == 0.0;
        if !(n > 0.0 && n.is_finite() && whole) {
            return Err(Error::invalid(
                format!("sizes[{i}]"),
                n,
                "a positive number (a whole number for p and np charts)",
            ));
        }
    }
    if let Some(c) = confidence {
        check_confidence(c)?;
        let q = (1.0 - c) / 2.0;
        let mut out = Limits::default();
        for &n in sizes {
            let (c, se) = chart.moments(center, n);
            let (lo, hi) = chart.quantile_limits(center, n, q)?;
            out.center.push(c);
            out.sigma.push(se * scale);
            out.lcl.push(lo);
            out.ucl.push(hi);
        }
        return Ok(out);
    }
    let mut out = Limits::default();
    for &n in sizes {
        let (c, se) = chart.moments(center, n);
        let (floor, ceiling) = chart.range(n);
        let one = Limits::sigma_limits(std::iter::once((c, se * scale)), l, floor, ceiling);
        out.center.extend(one.center);
        out.sigma.extend(one.sigma);
        out.lcl.extend(one.lcl);
        out.ucl.extend(one.ucl);
    }
    Ok(out)
}

/// Laney's σ_z of the points `values` with centres and standard errors
/// `center`, `se` (see the module docs); `d2` is d2(2) (exact, or 1.128 as
/// Minitab and qcc print it).
///
/// # Errors
/// Fewer than 2 points, mismatched lengths, a zero standard error, σ_z = 0.
pub fn laney_sigma_z(
    values: &[f64],
    center: &[f64],
    se: &[f64],
    axis: Axis,
    d2: f64,
) -> Result<f64> {
    crate::error::check_same_len("center", center.len(), "values", values.len())?;
    crate::error::check_same_len("se", se.len(), "values", values.len())?;
    if values.len() < 2 {
        return Err(Error::invalid(
            "values",
            format!("{} points", values.len()),
            "at least 2 phase-I points for Laney's sigma_z",
        ));
    }
    let z: Vec<f64> = values
        .iter()
        .zip(center)
        .zip(se)
        .map(|((v, c), s)| (v - c) / s)
        .collect();
    let sigma_z = match axis {
        Axis::Time => {
            let mr: f64 = z.windows(2).map(|w| (w[1] - w[0]).abs()).sum();
            mr / (z.len() - 1) as f64 / d2
        }
        Axis::Categorical => crate::numerics::summary::mean_sd(&z).1,
    };
    if sigma_z > 0.0 && sigma_z.is_finite() {
        Ok(sigma_z)
    } else {
        Err(Error::invalid(
            "sigma_z",
            sigma_z,
            "a positive spread of the standardized points",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p_limits_clip_and_step() {
        let l = attribute_limits(Attribute::P, 0.1, &[25.0, 100.0], 3.0, 1.0, None).unwrap();
        assert_eq!(l.lcl[0], 0.0);
        assert!((l.ucl[1] - (0.1 + 3.0 * (0.09f64 / 100.0).sqrt())).abs() < 1e-15);
        assert!(attribute_limits(Attribute::P, 0.0, &[25.0], 3.0, 1.0, None).is_err());
        assert!(attribute_limits(Attribute::P, 0.1, &[2.5], 3.0, 1.0, None).is_err());
    }

    #[test]
    fn probability_limits_are_quantiles() {
        let l = attribute_limits(Attribute::C, 4.0, &[1.0], 3.0, 1.0, Some(0.9973)).unwrap();
        // Poisson(4): P(X <= 0) = 0.0183 >= 0.00135 -> 0; P(X <= 11) = 0.99908 >= 0.99865.
        assert_eq!((l.lcl[0], l.ucl[0]), (0.0, 11.0));
        let g = attribute_limits(Attribute::G, 9.0, &[1.0], 3.0, 1.0, Some(0.9)).unwrap();
        // p = 0.1: P(G <= k) = 1 - 0.9^(k+1); 0.05 -> k = 0; 0.95 -> k = 28.
        assert_eq!((g.lcl[0], g.ucl[0]), (0.0, 28.0));
    }

    #[test]
    fn laney_axes() {
        let v = [1.0, -1.0, 1.0];
        let s = laney_sigma_z(&v, &[0.0; 3], &[1.0; 3], Axis::Time, 1.128).unwrap();
        assert!((s - 2.0 / 1.128).abs() < 1e-15);
        let s = laney_sigma_z(&v, &[0.0; 3], &[1.0; 3], Axis::Categorical, 1.128).unwrap();
        assert!((s - (4.0f64 / 3.0).sqrt()).abs() < 1e-12);
    }
}
