//! The cell types of the generated tables.

use crate::options::named_options;

named_options! {
    /// How a single-sampling cell was obtained from the printed table.
    pub enum Arrow for "arrow" {
        /// The cell holds its own plan.
        None = "none",
        /// An arrow pointing down was followed (to the first plan below).
        Down = "down",
        /// An arrow pointing up was followed (to the first plan above).
        Up = "up",
        /// Codes A to C share n = 2 in the Z1.4 reduced table: the source does
        /// not say whether the plan is the row's own or reached by an arrow.
        Ambiguous = "ambiguous",
    }
}

/// A single-sampling cell, arrows followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Single {
    pub n: u32,
    pub ac: u32,
    pub re: u32,
    pub arrow: Arrow,
    /// The code letter(s) of the row the plan comes from.
    pub row: &'static str,
}

/// A double-sampling cell: n1 = n2 = `n`, cumulative numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Double {
    /// `*`: use the corresponding single plan.
    UseSingle,
    Plan {
        n: u32,
        ac1: u32,
        re1: u32,
        ac2: u32,
        re2: u32,
    },
}

/// A multiple-sampling cell: seven stages of `n` items, cumulative numbers,
/// `ac = -1` for `#` (acceptance not permitted).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Multiple {
    /// `*`: use the corresponding single plan.
    UseSingle,
    /// `++`: use the corresponding double plan.
    UseDouble,
    Plan {
        n: u32,
        ac: [i32; 7],
        re: [u32; 7],
    },
}
