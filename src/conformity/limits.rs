//! Tolerance and acceptance intervals, with open sides, and the checks of
//! the scalar arguments shared by the conformity functions.

use crate::error::{Error, Result};

/// An interval [lower, upper] of a measured quantity: tolerance limits
/// T_L, T_U or acceptance limits A_L, A_U. An open side is infinite
/// (−∞ for no lower limit, +∞ for no upper limit).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Lower limit (−∞ when there is none).
    pub lower: f64,
    /// Upper limit (+∞ when there is none).
    pub upper: f64,
}

impl Limits {
    /// Tolerance limits, checked: at least one finite, neither NaN, lower
    /// below upper.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] naming `lower` or `upper`, or
    /// [`Error::Absent`] when both are open.
    pub fn tolerance(lower: f64, upper: f64) -> Result<Self> {
        Self::checked(lower, upper, "lower", "upper")
    }

    /// Acceptance limits, checked like [`Limits::tolerance`] (names
    /// `acceptance lower`, `acceptance upper`).
    ///
    /// # Errors
    /// As [`Limits::tolerance`].
    pub fn acceptance(lower: f64, upper: f64) -> Result<Self> {
        Self::checked(lower, upper, "acceptance lower", "acceptance upper")
    }

    fn checked(lower: f64, upper: f64, lower_name: &str, upper_name: &str) -> Result<Self> {
        if lower.is_nan() || lower == f64::INFINITY {
            return Err(Error::invalid(
                lower_name,
                lower,
                "a finite number, or none for no lower limit",
            ));
        }
        if upper.is_nan() || upper == f64::NEG_INFINITY {
            return Err(Error::invalid(
                upper_name,
                upper,
                "a finite number, or none for no upper limit",
            ));
        }
        if lower.is_infinite() && upper.is_infinite() {
            return Err(Error::absent(
                upper_name,
                format!("at least one of {lower_name} and {upper_name}"),
            ));
        }
        if lower >= upper {
            return Err(Error::invalid(
                lower_name,
                lower,
                format!("a number below {upper_name} = {upper}"),
            ));
        }
        Ok(Limits { lower, upper })
    }

    /// True when both limits are finite.
    pub fn two_sided(&self) -> bool {
        self.lower.is_finite() && self.upper.is_finite()
    }

    /// True when `y` lies in the closed interval.
    pub fn contains(&self, y: f64) -> bool {
        self.lower <= y && y <= self.upper
    }
}

/// Checks a standard uncertainty (or standard deviation): finite and above 0.
///
/// # Errors
/// [`Error::InvalidArgument`] naming `name`.
pub(super) fn check_positive(name: &str, value: f64) -> Result<f64> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(Error::invalid(name, value, "a finite number above 0"))
    }
}

/// Checks a finite number (a measured value, a process mean).
///
/// # Errors
/// [`Error::InvalidArgument`] naming `name`.
pub(super) fn check_finite(name: &str, value: f64) -> Result<f64> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(Error::invalid(name, value, "a finite number"))
    }
}

/// Checks effective degrees of freedom: above 0; +∞ means the normal PDF.
///
/// # Errors
/// [`Error::InvalidArgument`] naming `df`.
pub(super) fn check_df(df: f64) -> Result<f64> {
    if df > 0.0 {
        Ok(df)
    } else {
        Err(Error::invalid(
            "df",
            df,
            "a number of degrees of freedom above 0 (or none for the normal distribution)",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_checked() {
        let t = Limits::tolerance(1.0, 2.0).unwrap();
        assert!(t.two_sided() && t.contains(1.0) && t.contains(2.0) && !t.contains(2.1));
        let one = Limits::tolerance(f64::NEG_INFINITY, 2.0).unwrap();
        assert!(!one.two_sided() && one.contains(-1e300));
        let e = Limits::tolerance(2.0, 1.0).unwrap_err().to_string();
        assert_eq!(e, "lower = 2 is invalid: expected a number below upper = 1");
        let e = Limits::tolerance(f64::NEG_INFINITY, f64::INFINITY).unwrap_err();
        assert_eq!(
            e.to_string(),
            "upper is not given: expected at least one of lower and upper"
        );
        assert!(Limits::tolerance(f64::NAN, 1.0).is_err());
        assert!(Limits::tolerance(0.0, f64::NAN).is_err());
        assert!(Limits::acceptance(f64::INFINITY, 1.0)
            .unwrap_err()
            .to_string()
            .starts_with("acceptance lower = inf"));
        assert!(check_positive("u", 0.0).is_err() && check_positive("u", f64::NAN).is_err());
        assert!(check_df(0.0).is_err() && check_df(f64::NAN).is_err());
        assert_eq!(check_df(f64::INFINITY), Ok(f64::INFINITY));
    }
}
