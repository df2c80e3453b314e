//! Numerics: special functions, the discrete and continuous distributions
//! the rest of the crate is built on, and the general numerical tools (root
//! finding, searches over whole numbers, optimisation, quadrature and
//! Gauss–Legendre rules, small dense linear systems, summary statistics): one home for each method.
//!
//! Functions here are low-level: they document their domain and return NaN
//! outside it (as `libm` does). The public statistical API validates its
//! arguments before calling them. Accuracy is about 1e-14 relative across
//! the domain (tails below 1e-300, parameters up to 1e9), checked against
//! mpmath in `tests/numerics_reference.rs` (see `tests/data/make_reference.py`).

pub mod binomial;
pub mod chi_square;
pub mod fisher_f;
pub mod gauss_legendre;
pub mod hypergeometric;
pub mod integrate;
pub mod linalg;
pub mod noncentral_t;
pub mod normal;
pub mod optimize;
pub mod poisson;
pub mod roots;
pub mod search;
pub mod special;
pub mod student_t;
pub mod summary;
