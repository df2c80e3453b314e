//! The items inspected and found nonconforming in each lot and stage, from
//! inspection records one row at a time (the layout of a frame of records):
//! the counts [`AttributePlan::decide_lots`](super::AttributePlan::decide_lots)
//! decides from.

use crate::error::{check_same_len, Error, Result};
use crate::numerics::summary::group_ids;

/// The lots and stages of a frame of records, lot by lot in order of first
/// appearance and stage by stage within a lot (only the stages with records).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LotStageCounts {
    /// The first row of the cell's lot.
    pub first_rows: Vec<usize>,
    /// The stage (1-based).
    pub stage: Vec<usize>,
    /// Items inspected in the lot at that stage.
    pub inspected: Vec<u64>,
    /// Nonconforming items among them.
    pub nonconforming: Vec<u64>,
}

/// Adds up the records of each lot and stage: row `i` belongs to the lot
/// keyed `keys[i]` and to stage `stage[i]` (1 to `stages`), and holds
/// `items[i]` inspected items (one when `items` is `None`) of which
/// `nonconforming[i]` were nonconforming. Rows of one lot need not be
/// contiguous; lots come out in order of first appearance (keys are numbered
/// as in [`moments_by_key`](crate::numerics::summary::moments_by_key)).
///
/// # Examples
/// ```
/// use qualstat::plan::counts_by_lot_and_stage;
/// // Lot 7: stage 1 (two items, one nonconforming), stage 2 (one item); lot 3: stage 1.
/// let c = counts_by_lot_and_stage(&[7, 3, 7, 7], &[1, 1, 2, 1], None, &[1, 0, 0, 0], 2).unwrap();
/// assert_eq!(c.first_rows, [0, 0, 1]);
/// assert_eq!(c.stage, [1, 2, 1]);
/// assert_eq!(c.inspected, [2, 1, 1]);
/// assert_eq!(c.nonconforming, [1, 0, 0]);
/// ```
///
/// # Errors
/// [`Error::LengthMismatch`] for columns of different lengths;
/// [`Error::InvalidArgument`] for a stage outside 1..=`stages`, more
/// nonconforming items than inspected in a row, or sums beyond 2^64.
pub fn counts_by_lot_and_stage(
    keys: &[i64],
    stage: &[i64],
    items: Option<&[u64]>,
    nonconforming: &[u64],
    stages: usize,
) -> Result<LotStageCounts> {
    check_same_len("keys", keys.len(), "stage", stage.len())?;
    check_same_len("keys", keys.len(), "nonconforming", nonconforming.len())?;
    if let Some(items) = items {
        check_same_len("keys", keys.len(), "items", items.len())?;
    }
    let (group_of, _, first_rows) = group_ids(keys);
    let cells = first_rows.len() * stages;
    let mut inspected = vec![0u64; cells];
    let mut found = vec![0u64; cells];
    let overflow = |i: usize| Error::invalid(format!("items[{i}]"), "a sum", "sums below 2^64");
    for (i, (&g, (&s, &d))) in group_of
        .iter()
        .zip(stage.iter().zip(nonconforming))
        .enumerate()
    {
        let j = usize::try_from(s)
            .ok()
            .filter(|j| (1..=stages).contains(j))
            .ok_or_else(|| Error::invalid(format!("stage[{i}]"), s, format!("1..={stages}")))?;
        let n = items.map_or(1, |items| items[i]);
        if d > n {
            return Err(Error::invalid(
                format!("nonconforming[{i}]"),
                d,
                format!("at most the {n} items inspected"),
            ));
        }
        let cell = g * stages + j - 1;
        inspected[cell] = inspected[cell].checked_add(n).ok_or_else(|| overflow(i))?;
        found[cell] += d; // d <= n: no overflow once the items' sum did not
    }
    let mut out = LotStageCounts::default();
    for (cell, &n) in inspected.iter().enumerate().filter(|(_, &n)| n > 0) {
        out.first_rows.push(first_rows[cell / stages]);
        out.stage.push(cell % stages + 1);
        out.inspected.push(n);
        out.nonconforming.push(found[cell]);
    }
    Ok(out)
}
