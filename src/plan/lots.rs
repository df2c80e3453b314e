//! The items inspected and found nonconforming in each lot and stage, from
//! inspection records one row at a time (the layout of a frame of records):
//! the counts [`AttributePlan::decide_lots`](super::AttributePlan::decide_lots)
//! decides from.

use crate::error::{check_same_len, Error, Result};
use crate::numerics::summary::{chunk_range, first_appearances, group_ids};
use rayon::prelude::*;

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
    count_rows(keys, stage, items, nonconforming, stages)
}

/// [`counts_by_lot_and_stage`] of nonconforming counts of any unsigned
/// width (one byte a row for items one by one: no wide copy of the column).
pub(crate) fn count_rows<D: Copy + Into<u64> + Sync>(
    keys: &[i64],
    stage: &[i64],
    items: Option<&[u64]>,
    nonconforming: &[D],
    stages: usize,
) -> Result<LotStageCounts> {
    check_same_len("keys", keys.len(), "stage", stage.len())?;
    check_same_len("keys", keys.len(), "nonconforming", nonconforming.len())?;
    if let Some(items) = items {
        check_same_len("keys", keys.len(), "items", items.len())?;
    }
    let tabled = crate::parallel::install(|| tabled(keys, stage, items, nonconforming, stages));
    if let Some(counts) = tabled {
        return counts;
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
        let d: u64 = d.into();
        let j = stage_of(i, s, stages)?;
        let n = checked_items(i, items.map_or(1, |items| items[i]), d)?;
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

/// The stage of row `i`, `s`, checked to lie in 1..=`stages`.
#[inline]
fn stage_of(i: usize, s: i64, stages: usize) -> Result<usize> {
    match usize::try_from(s) {
        Ok(j) if (1..=stages).contains(&j) => Ok(j),
        _ => Err(bad_stage(i, s, stages)),
    }
}

#[cold]
fn bad_stage(i: usize, s: i64, stages: usize) -> Error {
    Error::invalid(format!("stage[{i}]"), s, format!("1..={stages}"))
}

/// The `n` items inspected in row `i`, checked to be at least its `d`
/// nonconforming items.
#[inline]
fn checked_items(i: usize, n: u64, d: u64) -> Result<u64> {
    if d > n {
        return Err(too_many(i, n, d));
    }
    Ok(n)
}

#[cold]
fn too_many(i: usize, n: u64, d: u64) -> Error {
    Error::invalid(
        format!("nonconforming[{i}]"),
        d,
        format!("at most the {n} items inspected"),
    )
}

/// The fewest rows [`tabled`] cuts into parts.
const TABLED_ROWS: usize = 1 << 16;

/// [`counts_by_lot_and_stage`] of many rows: cut into a part per thread,
/// added up in parallel, each part into a table of cells (key × stage)
/// addressed by the key, then the parts' tables added cell by cell (whole
/// numbers: the same counts in any order or number of parts). `None` for
/// fewer than [`TABLED_ROWS`] rows, keys spanning more cells than a part
/// has rows (its table would outgrow its rows), or a sum past 2^64 (the
/// one-pass path then names the row).
fn tabled<D: Copy + Into<u64> + Sync>(
    keys: &[i64],
    stage: &[i64],
    items: Option<&[u64]>,
    nonconforming: &[D],
    stages: usize,
) -> Option<Result<LotStageCounts>> {
    let parts = rayon::current_num_threads().min(keys.len() / TABLED_ROWS);
    if parts == 0 {
        return None;
    }
    let per = keys.len().div_ceil(parts);
    let (lo, hi) = keys
        .par_chunks(per)
        .map(chunk_range)
        .reduce(|| (i64::MAX, i64::MIN), |a, b| (a.0.min(b.0), a.1.max(b.1)));
    let span = usize::try_from(i128::from(hi) - i128::from(lo) + 1).ok()?;
    if span.checked_mul(stages)? > per {
        return None;
    }
    let counted: Vec<Result<Option<CellCounts>>> = (0..parts)
        .into_par_iter()
        .map(|part| {
            let rows = part * per..((part + 1) * per).min(keys.len());
            let items = items.map(|items| &items[rows.clone()]);
            let columns = (
                &keys[rows.clone()],
                &stage[rows.clone()],
                &nonconforming[rows.clone()],
            );
            CellCounts::of_rows(columns, items, rows.start, (lo, span), stages)
        })
        .collect();
    let mut tables = Vec::with_capacity(parts);
    for part in counted {
        match part {
            Err(e) => return Some(Err(e)),
            Ok(None) => return None,
            Ok(Some(table)) => tables.push(table),
        }
    }
    CellCounts::pooled(&tables, stages).map(Ok)
}

/// The counts of one part of the rows: the items inspected and
/// nonconforming of lot and stage in cell `slot × stages + stage − 1` (slot
/// = key − lo), each lot's first row (`usize::MAX` for none) and the slots
/// in order of first appearance. Whether a lot was met is a bit (a set of
/// 8 bytes a 64 lots stays in the fastest cache, so the test of each row
/// does not wait on its cell).
struct CellCounts {
    cells: Vec<[u64; 2]>,
    first: Vec<usize>,
    order: Vec<usize>,
}

impl CellCounts {
    /// The counts of rows `base..` (keys, stages and nonconforming items,
    /// the keys in `lo..lo + span`): the first invalid row's error, or
    /// `None` where a sum passes 2^64.
    fn of_rows<D: Copy + Into<u64>>(
        (keys, stage, nonconforming): (&[i64], &[i64], &[D]),
        items: Option<&[u64]>,
        base: usize,
        (lo, span): (i64, usize),
        stages: usize,
    ) -> Result<Option<CellCounts>> {
        let mut t = CellCounts {
            cells: vec![[0; 2]; span * stages],
            first: vec![usize::MAX; span],
            order: Vec::new(),
        };
        let mut met = vec![0u64; span.div_ceil(64)];
        for (i, ((&k, &s), &d)) in keys.iter().zip(stage).zip(nonconforming).enumerate() {
            let d: u64 = d.into();
            let j = stage_of(base + i, s, stages)?;
            let n = checked_items(base + i, items.map_or(1, |items| items[i]), d)?;
            let slot = k.wrapping_sub(lo) as u64 as usize;
            let bit = 1 << (slot % 64);
            if met[slot / 64] & bit == 0 {
                met[slot / 64] |= bit;
                t.first[slot] = base + i;
                t.order.push(slot);
            }
            let cell = &mut t.cells[slot * stages + j - 1];
            let Some(sum) = cell[0].checked_add(n) else {
                return Ok(None);
            };
            *cell = [sum, cell[1] + d]; // d <= n: no overflow once the items' sum did not
        }
        Ok(Some(t))
    }

    /// The counts of consecutive parts' tables: each lot and stage's sums
    /// (`None` past 2^64), the lots in order of first appearance (the first
    /// part's, then those first met in the next part, and so on), each
    /// lot's stages in order.
    fn pooled(parts: &[CellCounts], stages: usize) -> Option<LotStageCounts> {
        let len = parts.first()?.cells.len();
        let sums: Vec<[u64; 2]> = (0..len)
            .into_par_iter()
            .map(|c| {
                parts.iter().try_fold([0u64; 2], |[n, d], p| {
                    Some([n.checked_add(p.cells[c][0])?, d + p.cells[c][1]])
                })
            })
            .collect::<Option<_>>()?;
        let met: Vec<&[usize]> = parts.iter().map(|p| p.order.as_slice()).collect();
        let new_in =
            |part: usize, &slot: &usize| parts[..part].iter().all(|q| q.first[slot] == usize::MAX);
        let mut out = LotStageCounts::default();
        for slot in first_appearances(&met, new_in, usize::MAX) {
            let first = parts.iter().map(|p| p.first[slot]).min()?;
            let lot = &sums[slot * stages..(slot + 1) * stages];
            for (j, &[n, d]) in lot.iter().enumerate().filter(|(_, c)| c[0] > 0) {
                out.first_rows.push(first);
                out.stage.push(j + 1);
                out.inspected.push(n);
                out.nonconforming.push(d);
            }
        }
        Some(out)
    }
}
