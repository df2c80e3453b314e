//! Supervision analytics: fair (shrunk) estimates and ranks of unit pass rates.
//!
//! A unit (a region, a product, an enterprise) has `successes` batches passed
//! out of `trials` sampled. [`shrink`] fits a beta prior to all units by
//! empirical Bayes (beta-binomial marginal) and gives each unit its posterior
//! mean and an equal-tailed credible interval; [`rank_intervals`] gives each
//! unit's rank distribution (rank 1 = the highest pass rate) from posterior
//! draws. Formulas: `reference/supervision_notes.md` §6.5.
//!
//! ```
//! use qualstat::supervision::{shrink, ShrinkMethod};
//! let fit = shrink(&[1.0, 5.0, 9.0, 3.0], &[10.0, 10.0, 10.0, 10.0],
//!                  ShrinkMethod::Moments, 0.95).unwrap();
//! assert!(fit.alpha > 0.0 && fit.beta > 0.0);
//! ```

mod funnel;
mod ranks;
mod shrink;

pub use funnel::{
    dispersion, funnel, funnel_limits, funnel_units, Dispersion, FunnelBuffers, FunnelLimits,
    FunnelUnits, Overdispersion,
};
pub use ranks::{rank_intervals, RankIntervals, RankPrior, MAX_CELLS};
pub use shrink::{fit_prior, shrink, Prior, ShrinkMethod, Shrinkage};

use crate::error::{check_same_len, Error, Result};
use crate::proportion::Count;

/// Reads and checks the units' counts: whole numbers, `trials >= 1`,
/// `successes <= trials`; errors name `successes[i]` or `trials[i]`.
pub(crate) fn read_units<C: Count>(successes: &[C], trials: &[C]) -> Result<Vec<(f64, f64)>> {
    check_same_len("successes", successes.len(), "trials", trials.len())?;
    let mut out = Vec::with_capacity(successes.len());
    for (i, (&x, &n)) in successes.iter().zip(trials).enumerate() {
        let x = x.to_count(&|| format!("successes[{i}]"))?;
        let n = n.to_count(&|| format!("trials[{i}]"))?;
        if n == 0 {
            return Err(Error::invalid(
                format!("trials[{i}]"),
                n,
                "at least 1 (a unit with no trials has no rate)",
            ));
        }
        if x > n {
            return Err(Error::invalid(
                format!("successes[{i}]"),
                x,
                format!("at most trials[{i}] = {n}"),
            ));
        }
        out.push((x as f64, n as f64));
    }
    if out.len() < 2 {
        return Err(Error::invalid(
            "successes",
            format!("{} unit(s)", out.len()),
            "at least 2 units (a prior across units needs several)",
        ));
    }
    Ok(out)
}
