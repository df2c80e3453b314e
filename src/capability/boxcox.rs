//! Box–Cox transformation before a normal capability study.
//!
//! λ maximises the normal profile log-likelihood of the transformed data
//! (Box & Cox 1964): ℓ(λ) = −(N/2) ln σ̂²(λ) + (λ − 1) Σ ln xᵢ, with σ̂² the
//! variance (divisor N) of (xᵏ − 1)/λ (ln x at λ = 0), searched on [−5, 5].
//! Minitab by default rounds λ to the nearest multiple of ½ ("use rounded
//! values"). The study then runs on W = X^λ (ln X at λ = 0) as in Minitab's
//! capability analysis, with the limits and the target transformed the same
//! way (and LSL and USL exchanged when λ < 0, where the power decreases).

use super::study::{capability, Capability, Options, Spec, Subgroups};
use crate::error::{Error, Result};
use crate::numerics::optimize::minimize;
use crate::options::named_options;

/// How λ is chosen.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Lambda {
    /// Maximum likelihood on [−5, 5].
    MaximumLikelihood,
    /// Maximum likelihood rounded to the nearest multiple of ½ (Minitab's default).
    Rounded,
    /// A given λ.
    Fixed(f64),
}

named_options! {
    /// The estimated choices of λ, by name (a fixed λ is a number).
    pub enum LambdaRule for "boxcox" {
        /// Maximum likelihood on [−5, 5].
        MaximumLikelihood = "ml" | "mle",
        /// Maximum likelihood rounded to the nearest multiple of ½.
        Rounded = "rounded",
    }
}

impl From<LambdaRule> for Lambda {
    fn from(rule: LambdaRule) -> Self {
        match rule {
            LambdaRule::MaximumLikelihood => Lambda::MaximumLikelihood,
            LambdaRule::Rounded => Lambda::Rounded,
        }
    }
}

/// A capability study on Box–Cox transformed data.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct BoxCoxCapability {
    /// The λ used.
    pub lambda: f64,
    /// The maximum-likelihood λ (None for a fixed λ).
    pub lambda_ml: Option<f64>,
    /// The transformed specification (LSL*, USL*, target*).
    pub spec_transformed: Spec,
    /// The normal study of the transformed data.
    pub study: Capability,
}

/// Data and specification after the transformation.
pub(crate) struct Transformed {
    /// W = X^λ (ln X at λ = 0); NaN stays NaN.
    pub data: Vec<f64>,
    /// The transformed limits (exchanged for λ < 0) and target.
    pub spec: Spec,
    /// The λ used.
    pub lambda: f64,
    /// The maximum-likelihood λ (None for a fixed λ).
    pub lambda_ml: Option<f64>,
}

fn power(x: f64, lambda: f64) -> f64 {
    if lambda == 0.0 {
        x.ln()
    } else {
        x.powf(lambda)
    }
}

/// The profile log-likelihood ℓ(λ) of positive data.
pub fn boxcox_llf(x: &[f64], lambda: f64) -> f64 {
    let n = x.len() as f64;
    let sum_log: f64 = x.iter().map(|v| v.ln()).sum();
    let y = |v: f64| {
        if lambda == 0.0 {
            v.ln()
        } else {
            (v.powf(lambda) - 1.0) / lambda
        }
    };
    let mean = x.iter().map(|&v| y(v)).sum::<f64>() / n;
    let var = x.iter().map(|&v| (y(v) - mean).powi(2)).sum::<f64>() / n;
    -0.5 * n * var.ln() + (lambda - 1.0) * sum_log
}

/// The maximum-likelihood λ of positive data on [−5, 5].
pub fn boxcox_lambda(x: &[f64]) -> f64 {
    minimize(|l| -boxcox_llf(x, l), -5.0, 5.0, 1e-10)
}

/// Checks that data and specification can be transformed.
fn check_positive(data: &[f64], spec: &Spec) -> Result<()> {
    if let Some(i) = data.iter().position(|&v| v <= 0.0 || v.is_infinite()) {
        return Err(Error::invalid(
            format!("data[{i}]"),
            data[i],
            "a positive finite value for the Box-Cox transformation",
        ));
    }
    for (name, v) in [
        ("lsl", spec.lsl),
        ("usl", spec.usl),
        ("target", spec.target),
    ] {
        if let Some(x) = v.filter(|&x| x <= 0.0) {
            return Err(Error::invalid(
                name,
                x,
                "a positive value for the Box-Cox transformation",
            ));
        }
    }
    Ok(())
}

/// λ from the rule: fixed, or estimated on the non-NaN data.
fn choose_lambda(data: &[f64], lambda: Lambda) -> Result<(f64, Option<f64>)> {
    let clean = || {
        data.iter()
            .copied()
            .filter(|v| !v.is_nan())
            .collect::<Vec<f64>>()
    };
    let estimate = |clean: &[f64]| {
        if clean.len() < 2 {
            Err(Error::invalid(
                "data",
                format!("{} values", clean.len()),
                "at least 2 values",
            ))
        } else {
            Ok(boxcox_lambda(clean))
        }
    };
    match lambda {
        Lambda::Fixed(l) if l.is_finite() => Ok((l, None)),
        Lambda::Fixed(l) => Err(Error::invalid("lambda", l, "a finite number")),
        Lambda::MaximumLikelihood => estimate(&clean()).map(|l| (l, Some(l))),
        Lambda::Rounded => estimate(&clean()).map(|l| ((2.0 * l).round() / 2.0, Some(l))),
    }
}

/// Transforms data, limits and target by W = X^λ (ln X at λ = 0), exchanging
/// the limits when λ < 0.
///
/// # Errors
/// [`Error::InvalidArgument`] for non-positive data or specification values,
/// a non-finite fixed λ, or a value whose power overflows (naming the value:
/// `data[i]`, `lsl`, `usl` or `target`, and λ).
pub(crate) fn transform(data: &[f64], spec: &Spec, lambda: Lambda) -> Result<Transformed> {
    spec.validate()?;
    check_positive(data, spec)?;
    let (lam, lambda_ml) = choose_lambda(data, lambda)?;
    let finite = |name: String, x: f64| -> Result<f64> {
        let w = power(x, lam);
        if w.is_finite() || x.is_nan() {
            Ok(w)
        } else {
            Err(Error::invalid(
                name,
                x,
                format!("a value whose Box-Cox power with lambda = {lam} is finite (it is {w})"),
            ))
        }
    };
    let data = data
        .iter()
        .enumerate()
        .map(|(i, &v)| finite(format!("data[{i}]"), v))
        .collect::<Result<Vec<f64>>>()?;
    let limit = |name: &str, v: Option<f64>| v.map(|x| finite(name.into(), x)).transpose();
    let (lo, hi, target) = (
        limit("lsl", spec.lsl)?,
        limit("usl", spec.usl)?,
        limit("target", spec.target)?,
    );
    Ok(Transformed {
        data,
        spec: Spec {
            lsl: if lam < 0.0 { hi } else { lo },
            usl: if lam < 0.0 { lo } else { hi },
            target,
        },
        lambda: lam,
        lambda_ml,
    })
}

/// A normal capability study of `data` after a Box–Cox transformation.
///
/// # Errors
/// Those of [`capability`] and of the transformation: [`Error::InvalidArgument`]
/// for non-positive data or specification values, a non-finite fixed λ, or a
/// value whose power overflows.
pub fn boxcox_capability(
    data: &[f64],
    subgroups: &Subgroups,
    spec: &Spec,
    options: &Options,
    lambda: Lambda,
) -> Result<BoxCoxCapability> {
    let t = transform(data, spec, lambda)?;
    let study = capability(&t.data, subgroups, &t.spec, options)?;
    Ok(BoxCoxCapability {
        lambda: t.lambda,
        lambda_ml: t.lambda_ml,
        spec_transformed: t.spec,
        study,
    })
}
