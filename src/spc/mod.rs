//! Statistical process control constants, computed from their definitions.
//!
//! * [`c4`]: E(s)/σ (closed form through ln Γ);
//! * [`d2`], [`d3`], [`d4`]: mean, standard deviation and median of the range
//!   of n standard normals, by numerical integration (accuracy bounded by
//!   that of `numerics::normal`);
//! * [`chart_factors`]: A, A2, A3, B3..B6, D1..D4 and E2.
//!
//! The values are checked in the tests against the published tables collected
//! in `reference/tables/spc_constants.csv` (Minitab, Montgomery, ASTM),
//! whose known misprints are marked there.

mod c4;
mod factors;
mod range;

pub use c4::c4;
pub use factors::{chart_factors, ChartFactors};
pub use range::{d2, d3, d4, CACHE_MAX};
