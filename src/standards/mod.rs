//! Tables and rules of sampling standards.

pub mod iso2859_1;
pub mod iso3951;
mod switching;

use crate::error::{Error, Result};

/// The index of `aql` (percent) in a table's AQL columns `aqls`, matching to
/// a relative 1e-9; `aql_text` (the printed AQLs) and `which` (e.g. "the 26
/// preferred AQLs") make the error message.
///
/// # Errors
/// [`Error::InvalidArgument`] listing the printed AQLs.
fn aql_index(aql: f64, aqls: &[f64], aql_text: &[&str], which: &str) -> Result<usize> {
    aqls.iter()
        .position(|&a| (aql - a).abs() <= 1e-9 * a)
        .ok_or_else(|| {
            Error::invalid(
                "aql",
                aql,
                format!("one of {which} in percent: {}", aql_text.join(", ")),
            )
        })
}

/// The index of a code letter (either case) in `letters`; `expected`
/// describes the allowed letters for the error message.
///
/// # Errors
/// [`Error::InvalidArgument`] for any other character.
fn code_index(code: char, letters: &[char], expected: &str) -> Result<usize> {
    letters
        .iter()
        .position(|&c| c == code.to_ascii_uppercase())
        .ok_or_else(|| Error::invalid("code", code, expected))
}
