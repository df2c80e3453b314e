//! # qualstat
//!
//! Quality statistics: confidence intervals for pass rates, attribute and
//! variables sampling plans, acceptance decisions and process capability.
//! Exact where the standards are exact, validated against published tables and
//! peer software, and parallel over batches (rayon).
//!
//! The crate has no Python dependency unless built with the `python` feature.
//!
//! ```
//! use qualstat::proportion::{proportion_ci, Method, Bound};
//! // 57 of 60 spot-checked items passed: 95 % Wilson interval of the pass rate.
//! let ci = proportion_ci(57, 60, 0.95, Method::Wilson, Bound::TwoSided).unwrap();
//! assert!(ci.lower < 0.95 && 0.95 < ci.upper);
//! ```
//!
//! Features: `python` (the pyo3 bindings of the Python package) and `serde`
//! (`Serialize`/`Deserialize` for plans, decisions and results; options are
//! written as their names, plans are checked on the way in). Examples of use
//! from a Rust service are in `examples/` (`cargo run --example lot_service`).
#![warn(missing_docs)]

pub mod capability;
pub mod control;
pub mod dql;
pub mod error;
pub mod multitest;
pub mod numerics;
pub(crate) mod options;
pub mod parallel;
pub mod plan;
pub mod proportion;
pub mod spc;
pub mod standards;
pub mod supervision;
pub mod variables;

#[cfg(feature = "python")]
mod python;

pub use error::{Error, Result};
