//! Reading a gauge study: part and operator codes, the balance check, and the
//! per-cell summaries every method starts from (count, mean, range, and the
//! within-cell sum of squares), computed in parallel over the measurements.

use crate::error::{check_same_len, Error, Result};
use rayon::prelude::*;

/// Least measurements per parallel work item; a work item also covers at
/// least [`CELLS_PER_CHUNK`] times as many measurements as there are cells,
/// so that its cell arrays (allocated, zeroed and merged once per item) cost
/// little next to the data.
const CHUNK: usize = 1 << 15;
/// See [`CHUNK`].
const CELLS_PER_CHUNK: usize = 8;

/// How the parts relate to the operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layout {
    /// Every operator measures every part: one cell per (part, operator).
    Crossed,
    /// Each part is measured by one operator only: one cell per part.
    Nested,
}

/// The balanced study in cell form.
#[derive(Debug, Clone)]
pub(crate) struct Cells {
    /// Number of parts (in a nested study: all parts, over all operators).
    pub parts: usize,
    /// Number of operators (1 when no operator column is given).
    pub operators: usize,
    /// Replicates per cell.
    pub replicates: usize,
    /// Cell means: crossed, index `part * operators + operator`; nested,
    /// index `part`.
    pub mean: Vec<f64>,
    /// Cell ranges (max − min), same indexing.
    pub range: Vec<f64>,
    /// The operator of each part (nested layout only; empty otherwise).
    pub operator_of_part: Vec<usize>,
    /// Σ (y − cell mean)², the repeatability sum of squares.
    pub ss_within: f64,
}

#[derive(Clone)]
struct Acc {
    count: Vec<u64>,
    sum: Vec<f64>,
    min: Vec<f64>,
    max: Vec<f64>,
}

impl Acc {
    fn new(cells: usize) -> Self {
        Acc {
            count: vec![0; cells],
            sum: vec![0.0; cells],
            min: vec![f64::INFINITY; cells],
            max: vec![f64::NEG_INFINITY; cells],
        }
    }

    fn merge(mut self, other: Acc) -> Acc {
        for c in 0..self.count.len() {
            self.count[c] += other.count[c];
            self.sum[c] += other.sum[c];
            self.min[c] = self.min[c].min(other.min[c]);
            self.max[c] = self.max[c].max(other.max[c]);
        }
        self
    }
}

/// Number of levels of a code column (largest code + 1), 0 when empty.
fn levels(codes: &[u32]) -> usize {
    codes
        .par_iter()
        .copied()
        .max()
        .map_or(0, |m| m as usize + 1)
}

/// Checks the values are finite: the error names the first bad one.
fn check_finite(values: &[f64]) -> Result<()> {
    match values.par_iter().position_first(|v| !v.is_finite()) {
        None => Ok(()),
        Some(i) => Err(Error::invalid(
            format!("value[{i}]"),
            values[i],
            "a finite measurement",
        )),
    }
}

/// Builds the cells of a balanced study.
///
/// `parts` and `operators` hold codes 0, 1, ... (every code used); without
/// operators the study has one operator. Crossed: every (part, operator)
/// cell holds the same number r ≥ 2 of measurements. Nested: every part is
/// measured by one operator, every operator measures the same number of
/// parts, and every part has the same r ≥ 2 measurements.
///
/// # Errors
/// Mismatched lengths, non-finite values, fewer than 2 parts, an
/// unbalanced study (naming two cells with different counts), a part
/// measured by two operators in a nested study, fewer than 2 replicates.
pub(crate) fn cells(
    values: &[f64],
    parts: &[u32],
    operators: Option<&[u32]>,
    layout: Layout,
) -> Result<Cells> {
    check_same_len("value", values.len(), "part", parts.len())?;
    if let Some(ops) = operators {
        check_same_len("value", values.len(), "operator", ops.len())?;
    }
    check_finite(values)?;
    let p = levels(parts);
    let o = operators.map_or(1, levels);
    if p < 2 {
        return Err(Error::invalid(
            "part",
            format!("{p} part(s)"),
            "at least 2 parts (a gauge study compares parts)",
        ));
    }
    let n = values.len();
    let nested = layout == Layout::Nested && operators.is_some();
    let cell_count = if nested { p } else { p.saturating_mul(o) };
    // A balanced study with r >= 2 has n = 2 * cells at least: refuse before
    // allocating cell arrays for codes that cannot be a balanced study.
    if cell_count.saturating_mul(2) > n {
        return Err(Error::invalid(
            "value",
            format!("{n} measurements of {p} parts by {o} operator(s)"),
            "at least 2 measurements of every part by every operator who measures it",
        ));
    }
    let cell_of = |i: usize| -> usize {
        let part = parts[i] as usize;
        match operators {
            Some(ops) if !nested => part * o + ops[i] as usize,
            _ => part,
        }
    };
    let chunk = CHUNK.max(cell_count.saturating_mul(CELLS_PER_CHUNK));
    let acc = values
        .par_chunks(chunk)
        .enumerate()
        .map(|(k, slice)| {
            let mut acc = Acc::new(cell_count);
            for (i, &y) in (k * chunk..).zip(slice) {
                let c = cell_of(i);
                acc.count[c] += 1;
                acc.sum[c] += y;
                acc.min[c] = acc.min[c].min(y);
                acc.max[c] = acc.max[c].max(y);
            }
            acc
        })
        .reduce(|| Acc::new(cell_count), Acc::merge);
    let r = check_balance(&acc.count, layout, operators.is_some(), o)?;
    let operator_of_part = match operators {
        Some(ops) if nested => nested_operators(parts, ops, p, o)?,
        _ => Vec::new(),
    };
    let mean: Vec<f64> = acc.sum.iter().map(|s| s / r as f64).collect();
    let range = acc.max.iter().zip(&acc.min).map(|(a, b)| a - b).collect();
    let ss_within = (0..n)
        .into_par_iter()
        .with_min_len(CHUNK)
        .map(|i| {
            let d = values[i] - mean[cell_of(i)];
            d * d
        })
        .sum();
    Ok(Cells {
        parts: p,
        operators: o,
        replicates: r as usize,
        mean,
        range,
        operator_of_part,
        ss_within,
    })
}

/// The operator of each part of a nested study; errors when a part is
/// measured by two operators or the operators measure different numbers of
/// parts.
fn nested_operators(parts: &[u32], ops: &[u32], p: usize, o: usize) -> Result<Vec<usize>> {
    let mut of_part = vec![usize::MAX; p];
    for (&part, &op) in parts.iter().zip(ops) {
        let (part, op) = (part as usize, op as usize);
        if of_part[part] == usize::MAX {
            of_part[part] = op;
        } else if of_part[part] != op {
            return Err(Error::invalid(
                "part",
                format!(
                    "part {part} measured by operators {} and {op}",
                    of_part[part]
                ),
                "each part measured by one operator only (design nested); \
                 use design crossed when every operator measures every part",
            ));
        }
    }
    let mut per_op = vec![0usize; o];
    for &op in &of_part {
        if let Some(k) = per_op.get_mut(op) {
            *k += 1;
        }
    }
    let (lo, hi) = min_max_index(&per_op);
    if per_op[lo] != per_op[hi] {
        return Err(Error::NotAvailable(format!(
            "the nested study is unbalanced: operator {hi} measures {} parts but operator {lo} \
             measures {}; every operator must measure the same number of parts",
            per_op[hi], per_op[lo]
        )));
    }
    Ok(of_part)
}

/// Indices of the smallest and the largest entry (first of each).
fn min_max_index(x: &[usize]) -> (usize, usize) {
    let mut lo = 0;
    let mut hi = 0;
    for (i, &v) in x.iter().enumerate() {
        if v < x[lo] {
            lo = i;
        }
        if v > x[hi] {
            hi = i;
        }
    }
    (lo, hi)
}

/// The common cell count, or an error naming two cells that differ.
fn check_balance(count: &[u64], layout: Layout, has_operators: bool, o: usize) -> Result<u64> {
    let cell_name = |c: usize| {
        if has_operators && layout == Layout::Crossed {
            format!("part {}, operator {}", c / o, c % o)
        } else {
            format!("part {c}")
        }
    };
    let as_usize: Vec<usize> = count.iter().map(|&k| k as usize).collect();
    let (lo, hi) = min_max_index(&as_usize);
    if count[lo] != count[hi] {
        return Err(Error::NotAvailable(format!(
            "the study is unbalanced: cell ({}) has {} measurements but cell ({}) has {}; \
             a gauge study needs the same number of measurements in every cell \
             (unbalanced studies are not supported)",
            cell_name(hi),
            count[hi],
            cell_name(lo),
            count[lo]
        )));
    }
    // Equal counts and n >= 2 cells (checked before) give r >= 2.
    Ok(count[lo])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_of_a_small_crossed_study() {
        // 2 parts x 2 operators x 2 replicates.
        let y = [1.0, 2.0, 3.0, 5.0, 10.0, 11.0, 14.0, 12.0];
        let part = [0, 0, 0, 0, 1, 1, 1, 1];
        let op = [0, 0, 1, 1, 0, 0, 1, 1];
        let c = cells(&y, &part, Some(&op), Layout::Crossed).unwrap();
        assert_eq!((c.parts, c.operators, c.replicates), (2, 2, 2));
        assert_eq!(c.mean, vec![1.5, 4.0, 10.5, 13.0]);
        assert_eq!(c.range, vec![1.0, 2.0, 1.0, 2.0]);
        assert_eq!(c.ss_within, 0.5 + 2.0 + 0.5 + 2.0);
    }

    #[test]
    fn many_chunks_merge_to_the_sequential_sums() {
        // 3 parts x 2 operators x 20,000 replicates: several parallel work items.
        let reps = 20_000;
        let n = 3 * 2 * reps;
        assert!(n > 2 * CHUNK);
        let part: Vec<u32> = (0..n).map(|i| (i / (2 * reps)) as u32).collect();
        let op: Vec<u32> = (0..n).map(|i| ((i / reps) % 2) as u32).collect();
        let y: Vec<f64> = (0..n).map(|i| (i % 7) as f64 + part[i] as f64).collect();
        let c = cells(&y, &part, Some(&op), Layout::Crossed).unwrap();
        for cell in 0..6 {
            let vals: Vec<f64> = (0..n)
                .filter(|&i| (part[i] * 2 + op[i]) as usize == cell)
                .map(|i| y[i])
                .collect();
            let mean = vals.iter().sum::<f64>() / vals.len() as f64;
            assert!((c.mean[cell] - mean).abs() < 1e-12);
            assert_eq!(c.range[cell], 6.0);
        }
        assert_eq!(c.replicates, reps);
    }

    #[test]
    fn unbalanced_studies_name_two_cells() {
        let y = [1.0, 2.0, 2.5, 3.0, 5.0, 4.0, 10.0, 11.0, 10.5, 14.0, 12.0];
        let part = [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1];
        let op = [0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1];
        let e = cells(&y, &part, Some(&op), Layout::Crossed)
            .unwrap_err()
            .to_string();
        assert!(e.contains("unbalanced"), "{e}");
        assert!(e.contains("cell (part 1, operator 1) has 2"), "{e}");
        assert!(e.contains("cell (part 0, operator 0) has 3"), "{e}");
    }

    #[test]
    fn nested_parts_belong_to_one_operator() {
        let y = [1.0, 2.0, 3.0, 5.0, 10.0, 11.0, 14.0, 12.0];
        let part = [0, 0, 1, 1, 2, 2, 3, 3];
        let op = [0, 0, 0, 0, 1, 1, 1, 1];
        let c = cells(&y, &part, Some(&op), Layout::Nested).unwrap();
        assert_eq!(c.operator_of_part, vec![0, 0, 1, 1]);
        let bad = [0, 0, 0, 0, 1, 1, 1, 0];
        let e = cells(&y, &part, Some(&bad), Layout::Nested).unwrap_err();
        assert!(
            e.to_string()
                .contains("part 3 measured by operators 1 and 0"),
            "{e}"
        );
    }

    #[test]
    fn bad_input_is_an_error() {
        let part = [0, 0, 1, 1];
        assert!(cells(&[1.0, f64::NAN, 2.0, 3.0], &part, None, Layout::Crossed).is_err());
        assert!(cells(&[1.0, 2.0, 2.0], &part, None, Layout::Crossed).is_err());
        assert!(cells(&[1.0, 2.0], &[0, 0], None, Layout::Crossed).is_err());
        // One replicate per cell.
        assert!(cells(&[1.0, 2.0, 3.0, 4.0], &[0, 1, 2, 3], None, Layout::Crossed).is_err());
        // Huge codes are refused before any allocation.
        assert!(cells(&[1.0, 2.0], &[0, u32::MAX], None, Layout::Crossed).is_err());
    }
}
