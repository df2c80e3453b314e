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

/// How λ is chosen.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Lambda {
    /// Maximum likelihood on [−5, 5].
    MaximumLikelihood,
    /// Maximum likelihood rounded to the nearest multiple of ½ (Minitab's default).
    Rounded,
    /// A given λ.
    Fixed(f64),
}

/// A capability study on Box–Cox transformed data.
#[derive(Debug, Clone, PartialEq)]
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

/// A normal capability study of `data` after a Box–Cox transformation.
///
/// # Errors
/// Those of [`capability`]; [`Error::InvalidArgument`] for non-positive data
/// or specification values, or a non-finite fixed λ.
pub fn boxcox_capability(
    data: &[f64],
    subgroups: &Subgroups,
    spec: &Spec,
    options: &Options,
    lambda: Lambda,
) -> Result<BoxCoxCapability> {
    spec.validate()?;
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
    let clean: Vec<f64> = data.iter().copied().filter(|v| !v.is_nan()).collect();
    let (lam, lambda_ml) = match lambda {
        Lambda::Fixed(l) if l.is_finite() => (l, None),
        Lambda::Fixed(l) => return Err(Error::invalid("lambda", l, "a finite number")),
        Lambda::MaximumLikelihood | Lambda::Rounded if clean.len() < 2 => {
            return Err(Error::invalid(
                "data",
                format!("{} values", clean.len()),
                "at least 2 values",
            ))
        }
        Lambda::MaximumLikelihood => {
            let l = boxcox_lambda(&clean);
            (l, Some(l))
        }
        Lambda::Rounded => {
            let l = boxcox_lambda(&clean);
            ((2.0 * l).round() / 2.0, Some(l))
        }
    };
    let transformed: Vec<f64> = data.iter().map(|&v| power(v, lam)).collect();
    let (lo, hi) = (
        spec.lsl.map(|v| power(v, lam)),
        spec.usl.map(|v| power(v, lam)),
    );
    let spec_transformed = Spec {
        lsl: if lam < 0.0 { hi } else { lo },
        usl: if lam < 0.0 { lo } else { hi },
        target: spec.target.map(|v| power(v, lam)),
    };
    let study = capability(&transformed, subgroups, &spec_transformed, options)?;
    Ok(BoxCoxCapability {
        lambda: lam,
        lambda_ml,
        spec_transformed,
        study,
    })
}
