//! The one error type of the crate.
//!
//! Every public function validates its input at the boundary and returns
//! [`Error`] rather than panicking or returning a silent NaN. The messages name
//! the argument, the offending value and the allowed range, so they can be shown
//! to a user unchanged (the Python bindings raise them as `ValueError`).
//! Values are shown shortened to [`VALUE_LIMIT`] characters (a long array
//! must not turn into a message of megabytes), and messages use plain words:
//! no Python syntax (the bindings add keyword hints where they help).

use std::fmt::{self, Display, Write};

/// Most characters of a value shown in an error message; a longer value is
/// cut there and ends in `...`.
pub const VALUE_LIMIT: usize = 60;

/// `value` formatted for an error message: at most [`VALUE_LIMIT`]
/// characters, then `...` if it was longer. Formatting stops as soon as the
/// limit is passed, so a huge value costs no more than a short one.
///
/// # Examples
/// ```
/// use qualstat::error::shorten;
/// assert_eq!(shorten(0.25), "0.25");
/// let long = "0123456789".repeat(100);
/// assert_eq!(shorten(&long), format!("{}...", &long[..60]));
/// ```
pub fn shorten(value: impl Display) -> String {
    /// A writer that keeps the first `VALUE_LIMIT + 1` characters and then
    /// refuses more (which ends the formatting early).
    struct Capped {
        text: String,
        chars: usize,
    }
    impl Write for Capped {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            for c in s.chars() {
                if self.chars > VALUE_LIMIT {
                    return Err(fmt::Error);
                }
                self.text.push(c);
                self.chars += 1;
            }
            Ok(())
        }
    }
    let mut out = Capped {
        text: String::new(),
        chars: 0,
    };
    // An error here only means the value was cut (or its Display failed):
    // what was written so far is shown.
    let _ = write!(out, "{value}");
    if out.chars > VALUE_LIMIT {
        let cut = out
            .text
            .char_indices()
            .nth(VALUE_LIMIT)
            .map_or(out.text.len(), |(i, _)| i);
        out.text.truncate(cut);
        out.text.push_str("...");
    }
    out.text
}

/// Errors returned by qualstat.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// An argument is outside its allowed range (or not finite, or not a whole number).
    #[error("{name} = {value} is invalid: expected {expected}")]
    InvalidArgument {
        /// Name of the argument as the user spells it (`"confidence"`, `"trials[3]"`, ...).
        name: String,
        /// The value that was passed, formatted.
        value: String,
        /// The allowed range or form, in words (`"a number in (0, 1)"`).
        expected: String,
    },
    /// Two array arguments that must have the same length do not.
    #[error("{name} has length {len} but {other} has length {other_len}: they must have the same length")]
    LengthMismatch {
        /// The first argument.
        name: String,
        /// Its length.
        len: usize,
        /// The argument it is compared with.
        other: String,
        /// That argument's length.
        other_len: usize,
    },
    /// A string option is not one of the allowed names.
    #[error("{name} = {value:?} is not recognised: expected one of {allowed}")]
    UnknownOption {
        /// The option's name (`"method"`).
        name: String,
        /// The value passed.
        value: String,
        /// The allowed values, comma separated.
        allowed: String,
    },
    /// The arguments are individually valid but no result exists for them
    /// (no sampling plan meets the risk points, a table has no plan for a cell, ...).
    #[error("{0}")]
    NoSolution(String),
    /// The requested feature or table is not available, with the reason.
    #[error("{0}")]
    NotAvailable(String),
    /// A required argument (one that is optional in general but needed here)
    /// was not given.
    #[error("{name} is not given: expected {expected}")]
    Absent {
        /// Name of the argument as the user spells it (`"lot_size"`).
        name: String,
        /// What is needed, in words (`"a lot size (the hypergeometric model needs one)"`).
        expected: String,
    },
}

/// Result alias used throughout the crate.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// An [`Error::InvalidArgument`] for argument `name` with value `value`
    /// (shown [shortened](shorten)).
    pub fn invalid(
        name: impl Into<String>,
        value: impl Display,
        expected: impl Into<String>,
    ) -> Self {
        Error::InvalidArgument {
            name: name.into(),
            value: shorten(value),
            expected: expected.into(),
        }
    }

    /// An [`Error::Absent`]: argument `name` was not given but is needed, as
    /// `expected` says. The plain-words form of "`name` is None".
    ///
    /// # Examples
    /// ```
    /// use qualstat::Error;
    /// let e = Error::absent("lot_size", "a lot size (the hypergeometric model needs one)");
    /// assert_eq!(
    ///     e.to_string(),
    ///     "lot_size is not given: expected a lot size (the hypergeometric model needs one)"
    /// );
    /// ```
    pub fn absent(name: impl Into<String>, expected: impl Into<String>) -> Self {
        Error::Absent {
            name: name.into(),
            expected: expected.into(),
        }
    }

    /// An [`Error::UnknownOption`] listing the allowed names (the value
    /// shown [shortened](shorten)).
    pub fn unknown(name: impl Into<String>, value: impl Into<String>, allowed: &[&str]) -> Self {
        Error::UnknownOption {
            name: name.into(),
            value: shorten(value.into()),
            allowed: allowed
                .iter()
                .map(|a| format!("{a:?}"))
                .collect::<Vec<_>>()
                .join(", "),
        }
    }

    /// This error with the name of an invalid or absent argument rewritten
    /// by `rename` (other errors unchanged), e.g. to say which element or lot
    /// of a batch was invalid.
    pub fn renamed(self, rename: impl FnOnce(&str) -> String) -> Self {
        match self {
            Error::InvalidArgument {
                name,
                value,
                expected,
            } => Error::InvalidArgument {
                name: rename(&name),
                value,
                expected,
            },
            Error::Absent { name, expected } => Error::Absent {
                name: rename(&name),
                expected,
            },
            other => other,
        }
    }

    /// An [`Error::LengthMismatch`] between two named arrays.
    pub fn length_mismatch(name: &str, len: usize, other: &str, other_len: usize) -> Self {
        Error::LengthMismatch {
            name: name.into(),
            len,
            other: other.into(),
            other_len,
        }
    }
}

/// Checks that two arrays have the same length.
///
/// # Errors
/// [`Error::LengthMismatch`] naming both arguments.
pub fn check_same_len(name: &str, len: usize, other: &str, other_len: usize) -> Result<()> {
    if len == other_len {
        Ok(())
    } else {
        Err(Error::length_mismatch(name, len, other, other_len))
    }
}

/// Checks that a confidence level lies in the open interval (0, 1).
///
/// # Errors
/// [`Error::InvalidArgument`] for NaN, infinities and values outside (0, 1).
pub fn check_confidence(confidence: f64) -> Result<()> {
    check_open_unit("confidence", confidence)
}

/// Checks that `value` is a finite number in the open interval (0, 1).
///
/// # Errors
/// [`Error::InvalidArgument`] naming `name` otherwise.
pub fn check_open_unit(name: &str, value: f64) -> Result<()> {
    if value > 0.0 && value < 1.0 {
        Ok(())
    } else {
        Err(Error::invalid(
            name,
            value,
            "a number in the open interval (0, 1)",
        ))
    }
}

/// Checks that `value` is a finite number in the closed interval [0, 1].
///
/// # Errors
/// [`Error::InvalidArgument`] naming `name` otherwise.
pub fn check_unit(name: &str, value: f64) -> Result<()> {
    if (0.0..=1.0).contains(&value) {
        Ok(())
    } else {
        Err(Error::invalid(name, value, "a number in [0, 1]"))
    }
}

/// Converts a floating-point count to `u64`, rejecting NaN, infinities,
/// negative and non-integer values and values above 2^53.
///
/// # Errors
/// [`Error::InvalidArgument`] naming `name`.
pub fn count_from_f64(name: &str, value: f64) -> Result<u64> {
    const MAX_EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    if value.is_finite() && value >= 0.0 && value.fract() == 0.0 && value <= MAX_EXACT {
        // Exact: value is a whole number in [0, 2^53].
        Ok(value as u64)
    } else {
        Err(Error::invalid(
            name,
            value,
            "a non-negative whole number (at most 2^53)",
        ))
    }
}

/// Checks that `offsets` ascend from 0 to `len` (the boundaries of runs of `len` items).
///
/// # Errors
/// [`Error::InvalidArgument`] naming `name` (and the first offset out of order).
pub fn check_offsets(name: &str, offsets: &[usize], len: usize) -> Result<()> {
    if offsets.first() != Some(&0) || offsets.last() != Some(&len) {
        return Err(Error::invalid(
            name,
            format!("{:?}..{:?}", offsets.first(), offsets.last()),
            format!("ascending offsets from 0 to the number of values ({len})"),
        ));
    }
    if let Some(i) = offsets.windows(2).position(|w| w[0] > w[1]) {
        return Err(Error::invalid(
            format!("{name}[{}]", i + 1),
            offsets[i + 1],
            "ascending offsets",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_argument_value_and_range() {
        let e = Error::invalid("confidence", 1.5, "a number in the open interval (0, 1)");
        assert_eq!(
            e.to_string(),
            "confidence = 1.5 is invalid: expected a number in the open interval (0, 1)"
        );
        let e = Error::unknown("method", "foo", &["wilson", "wald"]);
        assert_eq!(
            e.to_string(),
            "method = \"foo\" is not recognised: expected one of \"wilson\", \"wald\""
        );
        let e = Error::length_mismatch("successes", 3, "trials", 2);
        assert!(e
            .to_string()
            .contains("successes has length 3 but trials has length 2"));
    }

    #[test]
    fn long_values_are_shortened() {
        let counts: Vec<u64> = (0..1_000_000).collect();
        let e = Error::invalid("counts", format!("{counts:?}"), "at most 2 stage counts");
        let text = e.to_string();
        assert!(text.len() < 200, "{} characters", text.len());
        assert!(text.starts_with("counts = [0, 1, 2, 3, "), "{text}");
        assert!(
            text.contains("... is invalid: expected at most 2 stage counts"),
            "{text}"
        );
        let Error::InvalidArgument { value, .. } = e else {
            panic!("not an invalid argument")
        };
        assert_eq!(value.chars().count(), VALUE_LIMIT + 3);
        // Exactly at the limit: unchanged; multi-byte characters are not split.
        let sixty = "x".repeat(VALUE_LIMIT);
        assert_eq!(shorten(&sixty), sixty);
        let greek = "λ".repeat(100);
        assert_eq!(shorten(&greek), format!("{}...", "λ".repeat(VALUE_LIMIT)));
        let e = Error::unknown("method", "w".repeat(500), &["wilson"]);
        assert!(e.to_string().len() < 120);
    }

    #[test]
    fn absent_arguments_are_named_in_plain_words() {
        let e = Error::absent("lot_size", "a lot size").renamed(|n| format!("{n}[2]"));
        assert_eq!(
            e.to_string(),
            "lot_size[2] is not given: expected a lot size"
        );
        assert!(!e.to_string().contains("None"));
    }

    #[test]
    fn counts_are_validated() {
        assert_eq!(count_from_f64("n", 5.0), Ok(5));
        for bad in [f64::NAN, f64::INFINITY, -1.0, 2.5, 1e300] {
            assert!(count_from_f64("n", bad).is_err(), "{bad}");
        }
        assert!(check_confidence(0.95).is_ok());
        for bad in [0.0, 1.0, f64::NAN, -0.1, f64::INFINITY] {
            assert!(check_confidence(bad).is_err(), "{bad}");
        }
    }
}
