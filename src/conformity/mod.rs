//! Conformity decisions with measurement uncertainty (JCGM 106:2012,
//! ILAC-G8:09/2019; formulas and conventions in `reference/lab_notes.md`
//! part C).
//!
//! * [`conformance_probability`]: the probability p_c that an item measured
//!   at y with standard uncertainty u lies within its tolerance limits
//!   (normal measurement PDF, or a scaled and shifted Student t with
//!   effective degrees of freedom); the specific consumer's risk of
//!   accepting the item is 1 − p_c ([`nonconformance_probability`], computed
//!   without cancellation), the specific producer's risk of rejecting it p_c.
//! * [`acceptance_limits`]: the acceptance interval a guard-band rule
//!   implies (simple acceptance, w = k·u, or a target specific risk).
//! * [`decide`]: ILAC-G8 binary and non-binary statements.
//! * [`global_risk`]: global consumer's and producer's risks for a normal
//!   process measured with normal error.
//! * [`measurement_capability_index`]: C_m = (T_U − T_L)/(4u).
//!
//! Batch versions take [`Column`]s (one value for all items, or one per
//! item) and run on qualstat's pool.

mod batch;
mod global;
mod guard;
mod limits;
mod specific;

pub use batch::Column;
pub use global::{global_risk, global_risk_batch, GlobalRisk};
pub use guard::{
    acceptance_limits, acceptance_limits_batch, decide, decide_batch, Decision, GuardRule,
    Statement, Verdict,
};
pub use limits::Limits;
pub use specific::{
    conformance_probability, conformance_probability_batch, measurement_capability_index,
    measurement_capability_index_batch, nonconformance_probability,
};
