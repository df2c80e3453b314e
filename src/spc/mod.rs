//! Statistical process control constants, computed from their definitions.
//!
//! * [`c4`]: E(s)/σ (closed form through ln Γ);
//! * [`d2`], [`d3`], [`d4`]: mean, standard deviation and median of the range
//!   of n standard normals, by numerical integration (accuracy bounded by
//!   that of `numerics::normal`);
//! * [`chart_factors`]: A, A2, A3, B3..B6, D1..D4 and E2;
//! * [`constants`]: one constant for many subgroup sizes at once (each
//!   distinct size computed once, in parallel).
//!
//! The values are checked in the tests against the published tables collected
//! in `reference/tables/spc_constants.csv` (Minitab, Montgomery, ASTM),
//! whose known misprints are marked there.

mod c4;
mod factors;
mod range;

pub use c4::c4;
pub use factors::{chart_factors, ChartFactors};
pub use range::{d2, d3, d4, CACHE_MAX, RANGE_N_MAX};

use crate::error::Result;
use crate::options::named_options;
use rayon::prelude::*;

named_options! {
    /// An unbiasing constant, by name.
    pub enum Constant for "constant" {
        /// [`c4`].
        C4 = "c4",
        /// [`d2`].
        D2 = "d2",
        /// [`d3`].
        D3 = "d3",
        /// [`d4`].
        D4 = "d4",
    }
}

impl Constant {
    /// The constant for subgroup size `n`.
    ///
    /// # Errors
    /// Those of [`c4`], [`d2`], [`d3`] and [`d4`].
    pub fn at(self, n: u64) -> Result<f64> {
        match self {
            Constant::C4 => c4(n),
            Constant::D2 => d2(n),
            Constant::D3 => d3(n),
            Constant::D4 => d4(n),
        }
    }
}

/// `constant` at every size of `sizes`: each distinct size is computed once,
/// the distinct sizes in parallel on qualstat's pool (d3 and d4 beyond
/// [`CACHE_MAX`] take a fraction of a second each).
///
/// # Examples
/// ```
/// use qualstat::spc::{constants, Constant};
/// let v = constants(Constant::D2, &[2, 5, 2]).unwrap();
/// assert_eq!(v[0], v[2]);
/// assert!((v[1] - 2.325_929).abs() < 1e-6);
/// ```
///
/// # Errors
/// The error of the first invalid size, named `n[i]`.
pub fn constants(constant: Constant, sizes: &[u64]) -> Result<Vec<f64>> {
    let mut distinct = sizes.to_vec();
    distinct.sort_unstable();
    distinct.dedup();
    let values: Vec<Result<f64>> = crate::parallel::install(|| {
        distinct
            .par_iter()
            .map(|&n| constant.at(n))
            .collect::<Vec<_>>()
    });
    sizes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let k = distinct.binary_search(n).unwrap_or_default();
            match values.get(k) {
                Some(Ok(v)) => Ok(*v),
                Some(Err(e)) => Err(e.clone().renamed(|_| format!("n[{i}]"))),
                None => Err(crate::Error::invalid(
                    format!("n[{i}]"),
                    n,
                    "a subgroup size",
                )),
            }
        })
        .collect()
}
