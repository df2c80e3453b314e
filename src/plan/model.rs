//! The probability models for the number of nonconforming items in a sample.

use crate::error::{Error, Result};
use crate::options::named_options;

named_options! {
    /// How the count of nonconforming items (or nonconformities) in a sample is distributed.
    pub enum Model for "model" {
        /// Type B sampling (a continuing process): each item is nonconforming with
        /// probability `p` independently; counts are Bin(n, p).
        Binomial = "binomial",
        /// Nonconformities per unit: counts are Poisson(n·p), `p` is the mean
        /// number of nonconformities per unit (may exceed 1).
        Poisson = "poisson",
        /// Type A sampling (an isolated lot of `N` items with `D = p·N`
        /// nonconforming): exact sequential model, each later stage is drawn from
        /// the lot depleted by the earlier samples, Hyp(N - n_1 - ..., D - d_1 - ..., n_j).
        Hypergeometric = "hypergeometric",
        /// Type A sampling with every stage evaluated on the original lot,
        /// Hyp(N, D, n_j), as SAS/QC (PROBACC2 with Type A) does. Identical to
        /// [`Model::Hypergeometric`] for single plans.
        HypergeometricOriginalLot = "hypergeometric_original_lot",
    }
}

impl Model {
    /// Whether the model describes an isolated finite lot.
    pub fn is_hypergeometric(self) -> bool {
        matches!(
            self,
            Model::Hypergeometric | Model::HypergeometricOriginalLot
        )
    }
}

/// A quality level resolved for one model, ready for evaluation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Quality {
    Binomial(f64),
    Poisson(f64),
    Hyper {
        lot: u64,
        defective: u64,
        sequential: bool,
    },
}

/// Checks a lot size against the largest sample of a plan.
pub(crate) fn check_lot(lot: u64, max_sample: u64) -> Result<()> {
    if lot < max_sample {
        Err(Error::invalid(
            "lot_size",
            lot,
            format!("a lot size of at least the largest total sample size {max_sample}"),
        ))
    } else {
        Ok(())
    }
}

/// The lot size, which the hypergeometric models need.
pub(crate) fn required_lot(lot: Option<u64>) -> Result<u64> {
    lot.ok_or_else(|| {
        Error::absent(
            "lot_size",
            "a lot size (the hypergeometric model needs one)",
        )
    })
}

/// The number of nonconforming items `D = p·N` of a lot, which must be a whole
/// number (rounded when within 1e-9 of one).
pub(crate) fn defectives(p: f64, lot: u64) -> Result<u64> {
    if !(0.0..=1.0).contains(&p) {
        return Err(Error::invalid("p", p, "a fraction nonconforming in [0, 1]"));
    }
    let d = p * lot as f64;
    let r = d.round();
    if (d - r).abs() > 1e-9 {
        return Err(Error::invalid(
            "p",
            p,
            format!("a fraction p with p * lot_size a whole number of nonconforming items (lot_size = {lot}, p * lot_size = {d})"),
        ));
    }
    Ok(r as u64)
}

impl Quality {
    /// Validates `p` for `model` and resolves it.
    pub(crate) fn resolve(p: f64, model: Model, lot: Option<u64>) -> Result<Quality> {
        match model {
            Model::Binomial => {
                if (0.0..=1.0).contains(&p) {
                    Ok(Quality::Binomial(p))
                } else {
                    Err(Error::invalid("p", p, "a fraction nonconforming in [0, 1]"))
                }
            }
            Model::Poisson => {
                if p >= 0.0 && p.is_finite() {
                    Ok(Quality::Poisson(p))
                } else {
                    Err(Error::invalid(
                        "p",
                        p,
                        "a finite number of nonconformities per unit >= 0",
                    ))
                }
            }
            Model::Hypergeometric | Model::HypergeometricOriginalLot => {
                let lot = required_lot(lot)?;
                Ok(Quality::hyper(model, lot, defectives(p, lot)?))
            }
        }
    }

    /// `defective` nonconforming items in a lot of `lot` under the
    /// hypergeometric `model` (sequential: each stage draws from what is left).
    pub(crate) fn hyper(model: Model, lot: u64, defective: u64) -> Quality {
        Quality::Hyper {
            lot,
            defective,
            sequential: model == Model::Hypergeometric,
        }
    }
}
