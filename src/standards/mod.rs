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

/// The index of the lot-size class `(smallest, largest)` of `classes` that
/// holds `lot_size` (the code-letter tables: ISO 2859-1 Table I, Z1.9 Table A-2).
///
/// # Errors
/// [`Error::InvalidArgument`] for a lot outside every class (fewer than 2 items).
fn lot_class(lot_size: u64, classes: &[(u64, u64)]) -> Result<usize> {
    classes
        .iter()
        .position(|&(lo, hi)| (lo..=hi).contains(&lot_size))
        .ok_or_else(|| Error::invalid("lot_size", lot_size, "a lot size of at least 2"))
}

/// The code letter a look-up asks for: `code` when given, else the letter
/// `code_letter` finds for the lot size.
///
/// # Errors
/// [`Error::InvalidArgument`] when neither is given; those of `code_letter`.
fn requested_code(
    code: Option<char>,
    lot_size: Option<u64>,
    code_letter: impl FnOnce(u64) -> Result<char>,
) -> Result<char> {
    match (code, lot_size) {
        (Some(code), _) => Ok(code),
        (None, Some(lot)) => code_letter(lot),
        (None, None) => Err(Error::invalid(
            "code",
            "None",
            "a code letter, or a lot size to find it from (give lot_size or code)",
        )),
    }
}
