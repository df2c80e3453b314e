//! Columns of a batch: one value shared by every item, or one value per item.

use crate::error::{Error, Result};

/// A named input of a batch function: a single value used for every item,
/// or one value per item (the Python layer passes scalars as one value, so
/// nothing is broadcast in memory).
#[derive(Debug, Clone, Copy)]
pub struct Column<'a> {
    name: &'static str,
    values: &'a [f64],
}

impl<'a> Column<'a> {
    /// A column named `name` (the name errors use, with the item's index).
    pub fn new(name: &'static str, values: &'a [f64]) -> Self {
        Column { name, values }
    }

    /// The value for item `i` (the single value when there is one).
    pub fn at(&self, i: usize) -> f64 {
        match self.values {
            [single] => *single,
            many => many.get(i).copied().unwrap_or(f64::NAN),
        }
    }

    /// Runs `check` on the value of item `i`, naming the item in its error
    /// (`y[3]`) when the column has one value per item.
    pub(super) fn checked<T>(&self, i: usize, check: impl FnOnce(f64) -> Result<T>) -> Result<T> {
        let shared = self.values.len() == 1;
        check(self.at(i)).map_err(|e| {
            if shared {
                e
            } else {
                e.renamed(|n| format!("{n}[{i}]"))
            }
        })
    }
}

/// The number of items: the length of the longest column. Every column
/// must have one value or that many.
///
/// # Errors
/// [`Error::LengthMismatch`] naming two columns of different lengths, or
/// [`Error::InvalidArgument`] for an empty column.
pub(super) fn items(columns: &[Column<'_>]) -> Result<usize> {
    let Some(longest) = columns.iter().max_by_key(|c| c.values.len()) else {
        return Ok(0);
    };
    for c in columns {
        if c.values.is_empty() {
            return Err(Error::invalid(
                c.name,
                "an empty array",
                "at least one value",
            ));
        }
        if c.values.len() != 1 && c.values.len() != longest.values.len() {
            return Err(Error::length_mismatch(
                c.name,
                c.values.len(),
                longest.name,
                longest.values.len(),
            ));
        }
    }
    Ok(longest.values.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_share_or_match_lengths() {
        let (a, b) = ([1.0], [1.0, 2.0, 3.0]);
        let cols = [Column::new("u", &a), Column::new("y", &b)];
        assert_eq!(items(&cols), Ok(3));
        assert_eq!(cols[0].at(2), 1.0);
        assert_eq!(cols[1].at(2), 3.0);
        let c = [1.0, 2.0];
        let e = items(&[Column::new("u", &c), Column::new("y", &b)]).unwrap_err();
        assert!(e.to_string().contains("u has length 2 but y has length 3"));
        let e = items(&[Column::new("u", &[]), Column::new("y", &b)]).unwrap_err();
        assert!(e.to_string().starts_with("u = an empty array is invalid"));
        let err = cols[1]
            .checked(1, |v| Err::<(), _>(Error::invalid("y", v, "x")))
            .unwrap_err();
        assert!(err.to_string().starts_with("y[1] = 2 is invalid"));
        let err = cols[0]
            .checked(1, |v| Err::<(), _>(Error::invalid("u", v, "x")))
            .unwrap_err();
        assert!(err.to_string().starts_with("u = 1 is invalid"));
    }
}
