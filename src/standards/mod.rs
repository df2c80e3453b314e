//! Tables and rules of sampling standards.
//!
//! The types both AQL-indexed standards use live here: the inspection
//! [`Level`], the severity of [`Inspection`], the [`State`] of a switching
//! scheme, the table [`Lookup`] (with the code-letter rules), and the
//! switching rules themselves (`switching`, described once there). `iso2859_1` (attributes) and `iso3951` (variables) import them from
//! here; neither imports the other.
//!
//! # Units
//! The table look-ups take the AQL as the tables print it, in percent
//! (`aql = 0.65` is AQL 0.65 %). An AQL that is a preferred value only when
//! read as a fraction (`0.0065`) is refused with a hint naming the percent.

pub mod iso2859_1;
pub mod iso2859_2;
pub mod iso3951;
pub mod iso3951_4;
mod switching;

use crate::error::{Error, Result};
use crate::options::named_options;

named_options! {
    /// Inspection level (ISO 2859-1 Table I; Z1.9 Table A-2 has S-3 to III).
    pub enum Level for "level" {
        /// Special level S-1.
        S1 = "S-1" | "S1",
        /// Special level S-2.
        S2 = "S-2" | "S2",
        /// Special level S-3.
        S3 = "S-3" | "S3",
        /// Special level S-4.
        S4 = "S-4" | "S4",
        /// General level I.
        I = "I",
        /// General level II (the default).
        II = "II",
        /// General level III.
        III = "III",
    }
}

named_options! {
    /// Severity of inspection.
    pub enum Inspection for "inspection" {
        /// Normal inspection (ISO 2859-1 Tables II-A, III-A, IV-A / 2-A).
        Normal = "normal",
        /// Tightened inspection (Tables II-B, III-B, IV-B / 2-B).
        Tightened = "tightened",
        /// Reduced inspection (Tables II-C, III-C, IV-C / 2-C).
        Reduced = "reduced",
    }
}

named_options! {
    /// State of a switching scheme (the rules are in the `switching` module).
    pub enum State for "state" {
        /// Normal inspection.
        Normal = "normal",
        /// Tightened inspection.
        Tightened = "tightened",
        /// Reduced inspection.
        Reduced = "reduced",
        /// Inspection discontinued (5 lots not accepted on tightened inspection).
        Discontinued = "discontinued",
    }
}

impl State {
    /// The severity a lot is inspected with in this state, or `None` when
    /// inspection is discontinued.
    pub fn inspection(self) -> Option<Inspection> {
        match self {
            State::Normal => Some(Inspection::Normal),
            State::Tightened => Some(Inspection::Tightened),
            State::Reduced => Some(Inspection::Reduced),
            State::Discontinued => None,
        }
    }
}

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

/// What to look up in a standard's tables: the AQL (percent), the lot size or
/// code letter, the inspection level and severity, and `tables`, the choice
/// that is the standard's own ([`iso2859_1::Tables`]: kind of plan and
/// edition; for [`iso3951`] the [`Method`](crate::variables::Method)). Build
/// with [`Lookup::new`] and the setters (or set the public fields); each
/// standard names its look-up `Lookup`.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Lookup<T> {
    /// AQL in percent, one of the AQLs of the tables.
    pub aql: f64,
    /// Lot size (gives the code letter when `code` is `None`, and the 100% flag).
    pub lot_size: Option<u64>,
    /// Code letter (takes precedence over the lot size for the look-up).
    pub code: Option<char>,
    /// Inspection level (for the code letter from the lot size).
    pub level: Level,
    /// Severity.
    pub inspection: Inspection,
    /// The standard's own choice of table.
    pub tables: T,
}

impl<T: Default> Lookup<T> {
    /// A look-up for `aql` (percent): level II, normal inspection, the
    /// default tables of the standard.
    pub fn new(aql: f64) -> Self {
        Lookup {
            aql,
            lot_size: None,
            code: None,
            level: Level::II,
            inspection: Inspection::Normal,
            tables: T::default(),
        }
    }
}

impl<T> Lookup<T> {
    /// Sets the lot size.
    pub fn lot_size(mut self, lot_size: u64) -> Self {
        self.lot_size = Some(lot_size);
        self
    }

    /// Sets the code letter.
    pub fn code(mut self, code: char) -> Self {
        self.code = Some(code);
        self
    }

    /// Sets the inspection level.
    pub fn level(mut self, level: Level) -> Self {
        self.level = level;
        self
    }

    /// Sets the severity.
    pub fn inspection(mut self, inspection: Inspection) -> Self {
        self.inspection = inspection;
        self
    }

    /// The code letter the look-up asks for: `code` when given, else the
    /// letter `code_letter` finds for the lot size and level. When both are
    /// given they must agree (a lot size is then only used for the 100 %
    /// inspection flag).
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for a lot of fewer than 2 items, when
    /// neither is given, when the code letter differs from the one of the lot
    /// size, and those of `code_letter`.
    fn requested_code(&self, code_letter: impl FnOnce(u64, Level) -> Result<char>) -> Result<char> {
        if let Some(lot) = self.lot_size {
            if lot < 2 {
                return Err(Error::invalid("lot_size", lot, "a lot size of at least 2"));
            }
        }
        match (self.code, self.lot_size) {
            (Some(code), None) => Ok(code),
            (Some(code), Some(lot)) => {
                let of_lot = code_letter(lot, self.level)?;
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
            (None, Some(lot)) => code_letter(lot, self.level),
            (None, None) => Err(Error::absent(
                "code",
                "a code letter, or a lot size to find it from (give lot_size or code)",
            )),
        }
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
        let of_lot = |_, _| Ok('J');
        let look = Lookup::<()>::new(1.0);
        let requested_code = |code: Option<char>, lot_size: Option<u64>| {
            Lookup {
                code,
                lot_size,
                ..look
            }
            .requested_code(of_lot)
        };
        assert_eq!(requested_code(Some('j'), Some(1000)), Ok('j'));
        let e = requested_code(Some('K'), Some(1000)).unwrap_err();
        assert!(e.to_string().starts_with("code = K is invalid"), "{e}");
        assert_eq!(
            requested_code(None, None).unwrap_err(),
            Error::absent(
                "code",
                "a code letter, or a lot size to find it from (give lot_size or code)"
            )
        );
    }
}
