//! Numerics: special functions and the discrete and continuous distributions
//! the rest of the crate is built on.
//!
//! Functions here are low-level: they document their domain and return NaN
//! outside it (as `libm` does). The public statistical API validates its
//! arguments before calling them.

pub mod binomial;
pub mod hypergeometric;
pub mod normal;
pub mod poisson;
pub mod special;
