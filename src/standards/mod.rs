//! Tables and rules of sampling standards.

pub mod iso2859_1;
pub mod iso3951;
mod switching;

use crate::error::{Error, Result};

/// The index of `aql` (percent) in a table's AQL columns `aqls`, matching to
/// a relative 1e-9; `aql_text` (the printed AQLs) and `which` (e.g. "the 26
/// preferred AQLs") make the error message. An `aql` that matches only when
/// multiplied by 100 (a fraction where the table wants percent) gets a hint.
///
/// # Errors
/// [`Error::InvalidArgument`] listing the printed AQLs.
fn aql_index(aql: f64, aqls: &[f64], aql_text: &[&str], which: &str) -> Result<usize> {
    let find = |x: f64| aqls.iter().position(|&a| (x - a).abs() <= 1e-9 * a);
    find(aql).ok_or_else(|| match find(100.0 * aql) {
        Some(i) => Error::invalid(
            "aql",
            aql,
            format!(
                "an AQL in percent as the tables print it (AQL is in percent here: {}; the fraction {aql} is {} %)",
                aql_text[i], aql_text[i]
            ),
        ),
        None => Error::invalid(
            "aql",
            aql,
            format!("one of {which} in percent: {}", aql_text.join(", ")),
        ),
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
/// `code_letter` finds for the lot size. When both are given they must agree
/// (a lot size is then only used for the 100 % inspection flag).
///
/// # Errors
/// [`Error::InvalidArgument`] when neither is given, when the code letter
/// differs from the one of the lot size, and those of `code_letter`.
fn requested_code(
    code: Option<char>,
    lot_size: Option<u64>,
    code_letter: impl FnOnce(u64) -> Result<char>,
) -> Result<char> {
    match (code, lot_size) {
        (Some(code), None) => Ok(code),
        (Some(code), Some(lot)) => {
            let of_lot = code_letter(lot)?;
            if of_lot == code.to_ascii_uppercase() {
                Ok(code)
            } else {
                Err(Error::invalid(
                    "code",
                    code,
                    format!(
                        "the code letter of the lot size, {of_lot} (lot size {lot} at this inspection level), or only one of the two"
                    ),
                ))
            }
        }
        (None, Some(lot)) => code_letter(lot),
        (None, None) => Err(Error::invalid(
            "code",
            "none",
            "a code letter, or a lot size to find it from (give lot_size or code)",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fraction_aql_gets_a_percent_hint() {
        let e = aql_index(0.0065, &[0.65, 1.0], &["0.65", "1.0"], "two AQLs")
            .unwrap_err()
            .to_string();
        assert!(e.contains("AQL is in percent here: 0.65"), "{e}");
        let e = aql_index(0.3, &[0.65, 1.0], &["0.65", "1.0"], "two AQLs")
            .unwrap_err()
            .to_string();
        assert!(e.contains("one of two AQLs in percent: 0.65, 1.0"), "{e}");
    }

    #[test]
    fn code_and_lot_size_must_agree() {
        let of_lot = |_| Ok('J');
        assert_eq!(requested_code(Some('j'), Some(1000), of_lot), Ok('j'));
        let e = requested_code(Some('K'), Some(1000), of_lot).unwrap_err();
        assert!(e.to_string().starts_with("code = K is invalid"), "{e}");
        assert!(requested_code(None, None, of_lot).is_err());
    }
}
