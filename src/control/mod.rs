//! Statistical process control: control charts with runs rules and phases
//! (`charts`, `rules`) and run-length theory for chart design (`arl`).
//! Conventions and sources: `reference/spc_notes.md`.
pub mod arl;
