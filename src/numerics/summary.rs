//! Summary statistics of a sample: mean, sum of squared deviations and
//! standard deviation.
//!
//! Two passes (the mean first, then the squared deviations from it): exact
//! for data with a large common offset, where the one-pass formula
//! Σx² − n·x̄² cancels catastrophically (Chan, Golub & LeVeque 1983,
//! "Algorithms for computing the sample variance").
//!
//! [`Moments`] holds the count, the mean and M2 = Σ(x − x̄)² of a sample so
//! that summaries of parts of a sample (partitions of a distributed frame)
//! can be combined into the summary of the whole by the pairwise update of
//! Chan, Golub & LeVeque (1979), "Updating formulae and a pairwise algorithm
//! for computing sample variances" (Stanford CS tech. report STAN-CS-79-773).
//!
//! The moments of many groups of rows ([`moments_by_key`], one lot per
//! group) are taken in one pass over the rows by shifted sums
//! ([`Moments::shifted`]): a group's rows are read once in any layout, and
//! the few groups where the shift cancels are read again. Many interleaved
//! rows are cut into two halves whose moments are merged.

use crate::error::{check_offsets, check_same_len, Result};
use rayon::prelude::*;

mod hashed;

/// The arithmetic mean Σx / n (NaN for an empty sample).
pub fn mean(x: &[f64]) -> f64 {
    x.iter().sum::<f64>() / x.len() as f64
}

/// The sum of squared deviations from the mean, Σ(x − x̄)².
pub fn sum_sq_dev(x: &[f64]) -> f64 {
    let m = mean(x);
    x.iter().map(|v| (v - m) * (v - m)).sum()
}

/// The mean and the sample standard deviation s = √(Σ(x − x̄)² / (n − 1))
/// (s is NaN for fewer than two values).
pub fn mean_sd(x: &[f64]) -> (f64, f64) {
    let n = x.len() as f64;
    let mean = mean(x);
    let ss: f64 = x.iter().map(|v| (v - mean) * (v - mean)).sum();
    (mean, (ss / (n - 1.0)).sqrt())
}

/// Position h = (n − 1)p of the type-7 quantile among n ordered values, as
/// the index ⌊h⌋ and the weight h − ⌊h⌋ of the next value (p clamped to [0, 1]).
fn type7_position(len: usize, p: f64) -> (usize, f64) {
    let h = p.clamp(0.0, 1.0) * (len - 1) as f64;
    let lo = h.floor();
    (lo as usize, h - lo)
}

/// The linear-interpolation quantile of sorted values (Hyndman & Fan 1996,
/// "Sample quantiles in statistical packages", definition 7; R's default and
/// numpy's "linear"): with h = (n − 1)p, x₍⌊h⌋₎ + (h − ⌊h⌋)(x₍⌊h⌋+1₎ − x₍⌊h⌋₎)
/// (0-based order statistics). NaN for no values.
pub fn quantile_sorted(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let (lo, g) = type7_position(sorted.len(), p);
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + g * (sorted[hi] - sorted[lo])
}

/// [`quantile_sorted`] of unsorted values by selection in O(n) (`x` is
/// reordered; values compared by `total_cmp`). NaN for no values.
///
/// ```
/// use qualstat::numerics::summary::{quantile_select, quantile_sorted};
/// let mut x = [4.0, 1.0, 3.0, 2.0, 10.0];
/// assert_eq!(quantile_select(&mut x.clone(), 0.9), quantile_sorted(&[1.0, 2.0, 3.0, 4.0, 10.0], 0.9));
/// assert!((quantile_select(&mut x, 0.9) - 7.6).abs() < 1e-12);
/// ```
pub fn quantile_select(x: &mut [f64], p: f64) -> f64 {
    if x.is_empty() {
        return f64::NAN;
    }
    let (lo, g) = type7_position(x.len(), p);
    let (_, &mut below, above) = x.select_nth_unstable_by(lo, f64::total_cmp);
    let next = above
        .iter()
        .copied()
        .min_by(f64::total_cmp)
        .unwrap_or(below);
    below + g * (next - below)
}

/// The mergeable summary of a sample: count `n`, mean and M2 = Σ(x − x̄)².
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Moments {
    /// Number of values.
    pub n: u64,
    /// Their mean (NaN when `n` is 0).
    pub mean: f64,
    /// The sum of squared deviations from the mean.
    pub m2: f64,
}

impl Moments {
    /// The moments of `x`, in two passes (the mean, then the squared deviations).
    pub fn of(x: &[f64]) -> Moments {
        let mean = mean(x);
        Moments {
            n: x.len() as u64,
            mean,
            m2: x.iter().map(|v| (v - mean) * (v - mean)).sum(),
        }
    }

    /// The moments of `x` by shifted sums, in one pass over `x` (and a
    /// second only in the rare case below); the moments of the lots of
    /// [`VariablesPlan::decide`](crate::variables::VariablesPlan::decide)
    /// and of each group of [`moments_by_key`] (bit for bit, unless the
    /// group's rows are in both halves of a table cut into parts).
    ///
    /// # Formula
    /// With the shift c = x₁ (the first value), d = x − c, S₁ = Σd and
    /// S₂ = Σd² (in order): x̄ = c + S₁/n and M2 = S₂ − S₁²/n (the shifted
    /// data algorithm of Chan, Golub & LeVeque 1983, "Algorithms for
    /// computing the sample variance: analysis and recommendations",
    /// *The American Statistician* 37(3); exact differences d for data with
    /// a large common offset, where Σx² − n·x̄² cancels). The rounding errors
    /// of S₂ and S₁²/n are amplified by (S₂ + S₁²/n)/M2 = 1 + 2ρ with
    /// ρ = S₁²/(n·M2) = n(x̄ − c)²/M2: when ρ > [`SHIFT_GUARD`] (a first value
    /// more than 4 population standard deviations from the mean; for normal
    /// data ρ/(n − 1) ~ Beta(½, (n − 2)/2), about 5 lots in 10⁶ of 35 values,
    /// and ρ ≤ n − 1 always, so never for n ≤ 17), the sums are taken again
    /// with the shift c = x̄ and x̄ = c + S₁/n, M2 = S₂ − S₁²/n from them, S₁
    /// then being a rounding error (the corrected two-pass algorithm,
    /// *ibid.*). A sample of negative zeros has the mean −0.0 (the first
    /// value when S₁ = 0).
    ///
    /// # Examples
    /// ```
    /// use qualstat::numerics::summary::Moments;
    /// let m = Moments::shifted(&[1e9 + 4.0, 1e9 + 7.0, 1e9 + 13.0, 1e9 + 16.0]);
    /// assert_eq!((m.n, m.mean, m.m2), (4, 1e9 + 10.0, 90.0));
    /// ```
    pub fn shifted(x: &[f64]) -> Moments {
        let Some(&first) = x.first() else {
            return Moments::of(x);
        };
        x.iter()
            .copied()
            .fold(ShiftedSums::new(first), ShiftedSums::add)
            .finish(x)
    }

    /// The moments of the union of two samples (Chan, Golub & LeVeque 1979):
    /// with δ = x̄_b − x̄_a and n = n_a + n_b, x̄ = x̄_a + δ n_b / n and
    /// M2 = M2_a + M2_b + δ² n_a n_b / n. An empty side leaves the other as is.
    pub fn merge(self, other: Moments) -> Moments {
        if other.n == 0 {
            return self;
        }
        if self.n == 0 {
            return other;
        }
        let (na, nb) = (self.n as f64, other.n as f64);
        let n = na + nb;
        let delta = other.mean - self.mean;
        Moments {
            n: self.n + other.n,
            mean: self.mean + delta * (nb / n),
            m2: self.m2 + other.m2 + delta * delta * (na * nb / n),
        }
    }

    /// The sample standard deviation √(M2 / (n − 1)) (NaN for fewer than two values).
    pub fn sd(&self) -> f64 {
        (self.m2 / (self.n as f64 - 1.0)).sqrt()
    }
}

/// The largest ρ = S₁²/(n·M2) for which [`Moments::shifted`] keeps the
/// sums about the first value (relative error of M2 about (1 + 2ρ) times
/// that of the sums).
pub const SHIFT_GUARD: f64 = 16.0;

/// The running sums of [`Moments::shifted`]: the count, the shift c,
/// S₁ = Σ(x − c) and S₂ = Σ(x − c)².
#[derive(Debug, Clone, Copy, PartialEq)]
struct ShiftedSums {
    n: u64,
    shift: f64,
    s1: f64,
    s2: f64,
}

impl ShiftedSums {
    /// No values yet, about the shift `c`.
    const fn new(shift: f64) -> ShiftedSums {
        ShiftedSums {
            n: 0,
            shift,
            s1: 0.0,
            s2: 0.0,
        }
    }

    /// The sums with `x` added.
    #[inline]
    fn add(mut self, x: f64) -> ShiftedSums {
        self.push(x);
        self
    }

    #[inline]
    fn push(&mut self, x: f64) {
        let d = x - self.shift;
        self.n += 1;
        self.s1 += d;
        self.s2 += d * d;
    }

    /// x̄ = c + S₁/n (c itself when S₁ = 0, so that a lot of negative zeros
    /// keeps its sign) and M2 = S₂ − S₁²/n.
    fn unguarded(&self) -> Moments {
        let n = self.n as f64;
        let (shift, s1) = (self.shift, self.s1);
        Moments {
            n: self.n,
            mean: if s1 == 0.0 { shift } else { shift + s1 / n },
            m2: self.s2 - s1 * (s1 / n),
        }
    }

    /// The moments, or `None` when the shift is too far from the mean
    /// (ρ = S₁²/(n·M2) > [`SHIFT_GUARD`], or M2 < 0 from cancellation).
    fn moments(&self) -> Option<Moments> {
        let m = self.unguarded();
        let s1 = self.s1;
        (s1 * (s1 / self.n as f64) <= SHIFT_GUARD * m.m2 || m.m2.is_nan()).then_some(m)
    }

    /// Empty sums about the mean of these (for a second pass).
    fn recentred(&self) -> ShiftedSums {
        ShiftedSums::new(self.unguarded().mean)
    }

    /// Whether the shift of these sums (of some values) cancels: then they
    /// are replaced by [`ShiftedSums::recentred`], for a second pass over
    /// the same values.
    fn recentre_if_cancelled(&mut self) -> bool {
        let cancelled = self.n > 0 && self.moments().is_none();
        if cancelled {
            *self = self.recentred();
        }
        cancelled
    }

    /// The moments of `x` from these, its sums in order: guarded, or
    /// from a second pass about the mean (see [`Moments::shifted`]).
    fn finish(&self, x: &[f64]) -> Moments {
        self.moments().unwrap_or_else(|| {
            x.iter()
                .copied()
                .fold(self.recentred(), ShiftedSums::add)
                .unguarded()
        })
    }
}

/// Merges consecutive runs of partial moments: run `i` is
/// `parts[offsets[i]..offsets[i + 1]]`, merged in order.
///
/// # Errors
/// [`crate::error::Error::InvalidArgument`] for offsets that are not
/// ascending from 0 to `parts.len()`.
pub fn merge_runs(parts: &[Moments], offsets: &[usize]) -> Result<Vec<Moments>> {
    check_offsets("offsets", offsets, parts.len())?;
    Ok(offsets
        .windows(2)
        .map(|w| {
            parts[w[0]..w[1]]
                .iter()
                .fold(Moments::default(), |acc, &m| acc.merge(m))
        })
        .collect())
}

/// The moments of the groups of a keyed sample (see [`moments_by_key`]).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct KeyedMoments {
    /// The group keys, in order of first appearance.
    pub keys: Vec<i64>,
    /// The first row of each group.
    pub first_rows: Vec<usize>,
    /// The moments of each group's values.
    pub moments: Vec<Moments>,
}

/// The moments of the groups of `values`, value `i` in the group `keys[i]`
/// (rows of a group need not be contiguous). Groups come out in order of
/// first appearance.
///
/// A group's moments are those of [`Moments::shifted`] on its values in row
/// order, bit for bit, except in tables cut into parts (below): one pass
/// over the rows, and a second only for the rare groups whose first value
/// is too far from their mean (read in row order again). The bits depend on
/// the rows only, never on the number of threads. Three layouts, fastest
/// first:
///
/// - each group's rows contiguous (sorted or blocked frames): the groups are
///   the runs of equal keys, found in a parallel pass over the rows (which
///   gives up within a hundred rows or so a task when runs are short) that
///   sums each task's runs as soon as it has found them, eight side by
///   side, without any look-up (a run that goes on into the next task is
///   summed again whole; runs of fewer than four rows on average go to the
///   table);
/// - keys spanning at most the number of rows (lot numbers, category
///   codes): a table of running sums addressed by the key, first covering
///   the range of the keys that pass read (widened as keys outside arrive,
///   so the keys are read once more, not twice). From 2¹⁸ rows and 8 rows a
///   key on average in that range, the rows are cut into two halves summed
///   apart in parallel, and a group with rows in both has the moments of
///   each half merged (Chan, Golub & LeVeque 1979, the difference of means
///   from the shifts): as accurate, within a few ulps of the one pass;
/// - other keys (too wide for a table): an open-addressing hash table of
///   the running sums, one look-up a row, in parts as the table.
///
/// # Examples
/// ```
/// use qualstat::numerics::summary::{moments_by_key, Moments};
/// let g = moments_by_key(&[1.0, 5.0, 2.0, 6.0, 3.0], &[7, 9, 7, 9, 7]).unwrap();
/// assert_eq!(g.keys, vec![7, 9]);
/// assert_eq!(g.first_rows, vec![0, 1]);
/// assert_eq!(g.moments[0], Moments::shifted(&[1.0, 2.0, 3.0]));
/// ```
///
/// # Errors
/// [`crate::error::Error::LengthMismatch`] when `values` and `keys` differ in length.
pub fn moments_by_key(values: &[f64], keys: &[i64]) -> Result<KeyedMoments> {
    check_same_len("values", values.len(), "keys", keys.len())?;
    let KeyScan { lo, hi, runs } = crate::parallel::install(|| scan_keys(values, keys));
    let span = (i128::from(hi) - i128::from(lo) + 1).max(0) as u128;
    let limit = keys.len().max(1024);
    let dense = span <= limit as u128;
    // Contiguous when no run's key was met in an earlier run.
    let distinct = runs.filter(|runs| {
        if dense {
            let mut seen = vec![false; span as usize];
            runs.keys.iter().all(|&k| {
                let slot = k.wrapping_sub(lo) as u64 as usize;
                !std::mem::replace(&mut seen[slot], true)
            })
        } else {
            let mut seen = KeySet::default();
            runs.keys.iter().all(|&k| seen.insert(k))
        }
    });
    Ok(match distinct {
        Some(runs) => runs,
        None if dense => {
            tabled(values, keys, (lo, hi), limit).unwrap_or_else(|| hashed::hashed(values, keys))
        }
        None => hashed::hashed(values, keys),
    })
}

/// Running sums addressed by the key: `sums[k − lo]` for the keys `k` in
/// `lo..lo + sums.len()`, widened as keys outside arrive.
struct KeyTable {
    lo: i64,
    sums: Vec<ShiftedSums>,
}

impl KeyTable {
    /// A table of the keys `lo..=hi` (`lo <= hi`, at most `limit` of them)
    /// and up to 1/64 of their span more on each side (for keys a sample of
    /// the rows did not meet), at most `limit` keys in all.
    fn covering(lo: i64, hi: i64, limit: usize) -> KeyTable {
        let span = i128::from(hi) - i128::from(lo) + 1;
        let slack = (span / 64 + 16).min((limit as i128 - span) / 2).max(0);
        KeyTable::spanning(i128::from(lo) - slack, i128::from(hi) + slack, limit)
    }

    /// A table of the keys `lo..=hi` within the range of i64, cut to at
    /// most `limit` keys from the top.
    fn spanning(lo: i128, hi: i128, limit: usize) -> KeyTable {
        let lo = lo.max(i128::from(i64::MIN));
        let hi = hi.min(i128::from(i64::MAX)).min(lo + limit as i128 - 1);
        KeyTable {
            lo: lo as i64,
            sums: vec![ShiftedSums::new(0.0); (hi - lo + 1) as usize],
        }
    }

    /// The keys of the table, `lo..=hi`.
    fn range(&self) -> (i128, i128) {
        let lo = i128::from(self.lo);
        (lo, lo + self.sums.len() as i128 - 1)
    }

    /// The slot of key `k`, or an index beyond the table for keys outside.
    #[inline]
    fn slot(&self, k: i64) -> usize {
        k.wrapping_sub(self.lo) as u64 as usize
    }

    /// The running sums of key `k` (outside the table: `None`).
    fn get(&self, k: i64) -> Option<&ShiftedSums> {
        self.sums.get(self.slot(k))
    }

    /// The table widened to hold key `k` (outside it) as well: to twice
    /// its span or more, on the side of `k`, so that a table widened again
    /// and again costs few copies; where that would pass `limit` keys, to
    /// `limit` keys from the furthest key met on the other side. `None`
    /// when the table already holds `limit` keys or the keys met and `k`
    /// span more (so that no table moves more than once, whatever the
    /// order of the keys).
    fn widen(&mut self, k: i64, limit: usize) -> Option<()> {
        let ((lo, hi), k, limit) = (self.range(), i128::from(k), limit as i128);
        let len = hi - lo + 1;
        if len >= limit {
            return None;
        }
        let more = len.max(64);
        let (mut first, mut last) = if k < lo {
            (k - more, hi)
        } else {
            (lo, k + more)
        };
        if last - first + 1 > limit {
            let used = |s: &ShiftedSums| s.n > 0;
            let met = self
                .sums
                .iter()
                .position(used)
                .zip(self.sums.iter().rposition(used));
            let (a, b) = met.map_or((k, k), |(a, b)| {
                ((lo + a as i128).min(k), (lo + b as i128).max(k))
            });
            if b - a + 1 > limit {
                return None;
            }
            (first, last) = if k < lo {
                (b - limit + 1, b)
            } else {
                (a, a + limit - 1)
            };
        }
        let mut wider = KeyTable::spanning(first, last, limit as usize);
        // The old keys the new table holds (all the keys met so far).
        let (from, to) = (lo.max(i128::from(wider.lo)), hi.min(wider.range().1));
        if from <= to {
            let (src, dst) = ((from - lo) as usize, (from - i128::from(wider.lo)) as usize);
            let n = (to - from + 1) as usize;
            wider.sums[dst..dst + n].copy_from_slice(&self.sums[src..src + n]);
        }
        *self = wider;
        Some(())
    }
}

/// The sums of [`Moments::shifted`] of the groups of rows, row `i` in the
/// group of key `keys[i]`, in a [`KeyTable`] first covering `lo..=hi` and
/// widened as needed (`None` when the keys span more than `limit`), ready
/// for [`ShiftedSums::unguarded`], and each group's first row with its key,
/// in order of first appearance: the running sums of each group in one
/// pass over the rows (32 bytes a group; a group's first row sets its
/// shift), then, if any group's shift cancels, its rows are found in a
/// parallel pass and summed again about its mean, in row order.
fn part_sums(values: &[f64], keys: &[i64], (lo, hi): (i64, i64), limit: usize) -> Option<PartSums> {
    let mut table = KeyTable::covering(lo, hi, limit);
    let mut firsts = Vec::with_capacity(table.sums.len().min(values.len()));
    each_row(keys, values, |row, k, v| {
        if table.slot(k) >= table.sums.len() {
            table.widen(k, limit)?;
        }
        let slot = table.slot(k);
        let s = &mut table.sums[slot];
        if s.n == 0 {
            s.shift = v;
            firsts.push((row, k));
        }
        s.push(v);
        Some(())
    })?;
    let groups = table.sums.len();
    let mut again: Vec<bool> = Vec::new();
    for (slot, s) in table.sums.iter_mut().enumerate() {
        if s.recentre_if_cancelled() {
            again.resize(groups, false);
            again[slot] = true;
        }
    }
    if !again.is_empty() {
        let rows: Vec<Vec<(usize, usize)>> = crate::parallel::install(|| {
            keys.par_chunks(ROW_TASK)
                .enumerate()
                .map(|(task, keys)| {
                    let base = task * ROW_TASK;
                    keys.iter()
                        .enumerate()
                        .map(|(i, &k)| (base + i, table.slot(k)))
                        .filter(|&(_, slot)| again[slot])
                        .collect()
                })
                .collect()
        });
        for (row, slot) in rows.into_iter().flatten() {
            table.sums[slot].push(values[row]);
        }
    }
    Some((table, firsts))
}

/// Visits the rows in order, `visit(row, key, value)`, until it returns
/// `None` (then `None`), with the keys and values [`ROWS_AHEAD`] rows ahead
/// prefetched, a cache line of each every eight rows. For the passes of
/// random look-ups (a table or a hash table per row), whose misses leave
/// the hardware's stream prefetcher little room, and for the search for
/// runs, which reads the keys only but sums the values right after.
/// Measured on the 3.5 million rows of `benches/compare_peers_variables.py`
/// (A/B, same bits): 0.83–0.87x the time of shuffled rows' table pass
/// without it (128 or 512 rows ahead are slower), 0.93x wide keys' hash
/// table, and 0.76x sorted rows (the values prefetched, not the keys alone,
/// which is slower).
#[inline(always)]
fn each_row(
    keys: &[i64],
    values: &[f64],
    mut visit: impl FnMut(usize, i64, f64) -> Option<()>,
) -> Option<()> {
    each_block(keys, values, |start, keys8, values8| {
        for (i, (&k, &v)) in keys8.iter().zip(values8).enumerate() {
            visit(start + i, k, v)?;
        }
        Some(())
    })
}

/// Visits the rows eight at a time, `visit(first row, keys, values)`, as
/// [`each_row`] does one at a time.
#[inline(always)]
fn each_block(
    keys: &[i64],
    values: &[f64],
    mut visit: impl FnMut(usize, &[i64], &[f64]) -> Option<()>,
) -> Option<()> {
    for (block, (keys8, values8)) in keys.chunks(8).zip(values.chunks(8)).enumerate() {
        let start = block * 8;
        prefetch(keys.as_ptr().wrapping_add(start + ROWS_AHEAD));
        prefetch(values.as_ptr().wrapping_add(start + ROWS_AHEAD));
        visit(start, keys8, values8)?;
    }
    Some(())
}

/// How far ahead [`each_row`] prefetches the rows.
const ROWS_AHEAD: usize = 256;

/// A hint to bring the cache line at `p` into the caches (none off x86-64).
#[inline(always)]
fn prefetch<T>(p: *const T) {
    // SAFETY: PREFETCHT0 is a hint that never faults, whatever the address
    // (Intel SDM vol. 2, PREFETCHh), so addresses past the end of a slice
    // are harmless; nothing is read into the program.
    #[cfg(target_arch = "x86_64")]
    unsafe {
        core::arch::x86_64::_mm_prefetch::<{ core::arch::x86_64::_MM_HINT_T0 }>(p.cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

/// Rows per task of the parallel passes over rows.
const ROW_TASK: usize = 1 << 16;

/// What one pass over the rows finds: unless their runs of equal
/// consecutive keys are short, the runs (each a group, with its first row,
/// its key and the moments of its values) and the keys' smallest and
/// largest ((`i64::MAX`, `i64::MIN`) for none); else (`runs` `None`, the
/// pass given up early) the smallest and largest of the keys read, a
/// sample of a hundred rows or so in each task.
struct KeyScan {
    lo: i64,
    hi: i64,
    runs: Option<KeyedMoments>,
}

/// Runs shorter than this on average in the rows a task has read end its
/// search for runs (their groups are summed from the table instead, as
/// fast when the rows are sorted and few enough rows a group), beyond
/// [`SHORT_RUN_SLACK`] runs: a task of shuffled rows gives up within about
/// a hundred rows.
const SHORT_RUN: usize = 4;

/// The runs a task may find beyond one in [`SHORT_RUN`] rows read.
const SHORT_RUN_SLACK: usize = 64;

/// [`KeyScan`] of the rows (`values` keyed by `keys`), in parallel tasks
/// of [`ROW_TASK`] rows; a run that goes on past its task's rows is summed
/// again whole ([`Moments::shifted`]).
fn scan_keys(values: &[f64], keys: &[i64]) -> KeyScan {
    let parts: Vec<KeyScan> = keys
        .par_chunks(ROW_TASK)
        .zip(values.par_chunks(ROW_TASK))
        .enumerate()
        .map(|(task, (chunk, values))| {
            let base = task * ROW_TASK;
            scan_chunk(base.checked_sub(1).map(|r| keys[r]), base, chunk, values)
        })
        .collect();
    let (lo, hi) = parts.iter().fold((i64::MAX, i64::MIN), |(lo, hi), p| {
        (lo.min(p.lo), hi.max(p.hi))
    });
    let runs: Option<Vec<KeyedMoments>> = parts.into_iter().map(|p| p.runs).collect();
    KeyScan {
        lo,
        hi,
        runs: runs.map(|tasks| joined(tasks, values, keys)),
    }
}

/// The runs of consecutive tasks in one list: the runs that go on past
/// their task's last row (a task's last run, when the next task's first
/// key is the same) summed again over all their rows, once each.
fn joined(tasks: Vec<KeyedMoments>, values: &[f64], keys: &[i64]) -> KeyedMoments {
    let mut runs = KeyedMoments {
        keys: crate::parallel::concat(tasks.iter().map(|t| t.keys.as_slice())),
        first_rows: crate::parallel::concat(tasks.iter().map(|t| t.first_rows.as_slice())),
        moments: crate::parallel::concat(tasks.iter().map(|t| t.moments.as_slice())),
    };
    let mut cut: Option<usize> = None;
    let mut count = 0;
    for (task, part) in tasks.iter().enumerate() {
        count += part.keys.len();
        let end = (task + 1) * ROW_TASK;
        let last = count.checked_sub(1);
        if end < keys.len() && keys[end] == keys[end - 1] && last != cut {
            cut = last;
            if let Some(run) = last {
                let start = runs.first_rows[run];
                let end = runs
                    .first_rows
                    .get(run + 1)
                    .copied()
                    .unwrap_or(values.len());
                runs.moments[run] = Moments::shifted(&values[start..end]);
            }
        }
    }
    runs
}

/// [`KeyScan`] of the rows `base..` (`values` keyed by `chunk`), the key
/// before them being `before`: the runs that start in these rows, each
/// summed over its rows here ([`sum_runs`]; rows before the first run
/// belong to a run of earlier rows), while there are no more than one in
/// [`SHORT_RUN`] rows read (and [`SHORT_RUN_SLACK`]; the extremes from the
/// runs' keys), else the extremes of the rows read.
///
/// Every [`SIDE_BY_SIDE`] runs are summed as soon as they have ended,
/// their rows still in L1, so that the sums overlap the reading of the
/// rows that follow (summed after the search of the whole task, a frame
/// not in the caches took about the time of the search plus that of the
/// sums), and a block of eight keys within one run is passed by one test.
/// A/B of [`moments_by_key`] on the 3.5M sorted rows of
/// `benches/compare_peers_variables.py`, same bits: 0.80x after an 800 MB
/// pass evicts the caches, 0.87x with the rows in them.
fn scan_chunk(before: Option<i64>, base: usize, chunk: &[i64], values: &[f64]) -> KeyScan {
    let mut runs = KeyedMoments::default();
    let Some(&first) = chunk.first() else {
        return KeyScan {
            lo: i64::MAX,
            hi: i64::MIN,
            runs: Some(runs),
        };
    };
    let (mut lo, mut hi, mut key) = (first, first, first);
    if before != Some(first) {
        runs.first_rows.push(base);
        runs.keys.push(first);
    }
    let searched = each_block(chunk, values, |start, keys8, _| {
        // Most blocks lie within one run: one test of all eight keys.
        if keys8.iter().fold(0, |differ, &k| differ | (k ^ key)) == 0 {
            return Some(());
        }
        for (i, &k) in (start..).zip(keys8) {
            if k == key {
                continue;
            }
            (lo, hi, key) = (lo.min(k), hi.max(k), k);
            if runs.keys.len() > i / SHORT_RUN + SHORT_RUN_SLACK {
                return None;
            }
            runs.first_rows.push(base + i);
            runs.keys.push(k);
            // The runs before the one starting here have ended.
            let ended = runs.first_rows.len() - 1;
            if ended - runs.moments.len() == SIDE_BY_SIDE {
                sum_runs(values, base, &runs.first_rows, ended, &mut runs.moments);
            }
        }
        Some(())
    });
    if searched.is_none() {
        return KeyScan { lo, hi, runs: None };
    }
    sum_runs(
        values,
        base,
        &runs.first_rows,
        runs.first_rows.len(),
        &mut runs.moments,
    );
    KeyScan {
        lo,
        hi,
        runs: Some(runs),
    }
}

/// Appends to `moments` the [`Moments::shifted`] of the runs after those
/// it has, up to run `end`, of the rows `base..` (`values`), the runs
/// starting in rows `starts` (ascending, each run ending where the next
/// starts, the last at the end of `values`), [`SIDE_BY_SIDE`] at a time.
fn sum_runs(values: &[f64], base: usize, starts: &[usize], end: usize, moments: &mut Vec<Moments>) {
    let run = |j: usize| {
        let end = starts.get(j + 1).map_or(values.len(), |&r| r - base);
        &values[starts[j] - base..end]
    };
    while moments.len() + SIDE_BY_SIDE <= end {
        let first = moments.len();
        let mut out = [Moments::default(); SIDE_BY_SIDE];
        side_by_side(std::array::from_fn(|j| run(first + j)), &mut out);
        moments.extend_from_slice(&out);
    }
    while moments.len() < end {
        moments.push(Moments::shifted(run(moments.len())));
    }
}

/// Runs summed side by side by [`side_by_side`].
const SIDE_BY_SIDE: usize = 8;

/// [`Moments::shifted`] of [`SIDE_BY_SIDE`] runs (none empty) into `out`:
/// their sums advance together over the rows the runs have in common,
/// whose dependency chains then overlap, and each run's sums take its
/// values in order, so the bits are those of [`Moments::shifted`] on the run.
fn side_by_side(runs: [&[f64]; SIDE_BY_SIDE], out: &mut [Moments]) {
    let common = runs.iter().map(|r| r.len()).min().unwrap_or(0);
    let heads: [&[f64]; SIDE_BY_SIDE] = std::array::from_fn(|j| &runs[j][..common]);
    let shift: [f64; SIDE_BY_SIDE] =
        std::array::from_fn(|j| runs[j].first().copied().unwrap_or(0.0));
    let (mut s1, mut s2) = ([0.0; SIDE_BY_SIDE], [0.0; SIDE_BY_SIDE]);
    for i in 0..common {
        for (((a, b), head), c) in s1.iter_mut().zip(&mut s2).zip(&heads).zip(&shift) {
            let d = head[i] - c;
            *a += d;
            *b += d * d;
        }
    }
    for (j, (m, run)) in out.iter_mut().zip(runs).enumerate() {
        let mut sums = ShiftedSums {
            n: common as u64,
            shift: shift[j],
            s1: s1[j],
            s2: s2[j],
        };
        for &v in &run[common..] {
            sums.push(v);
        }
        *m = sums.finish(run);
    }
}

/// The smallest and the largest of `keys` ((`i64::MAX`, `i64::MIN`) for
/// none), in four running extremes (their compares overlap).
pub(crate) fn chunk_range(keys: &[i64]) -> (i64, i64) {
    let (mut lo, mut hi) = ([i64::MAX; 4], [i64::MIN; 4]);
    let lanes = keys.chunks_exact(4);
    let rest = lanes.remainder();
    for lane in lanes {
        for ((l, h), &k) in lo.iter_mut().zip(&mut hi).zip(lane) {
            *l = (*l).min(k);
            *h = (*h).max(k);
        }
    }
    let fold = |(a, b): (i64, i64), (c, d): (i64, i64)| (a.min(c), b.max(d));
    let ends = lo.into_iter().zip(hi).fold((i64::MAX, i64::MIN), fold);
    rest.iter().map(|&k| (k, k)).fold(ends, fold)
}

/// The first row of each run of equal consecutive keys.
fn run_starts(keys: &[i64]) -> impl Iterator<Item = usize> + '_ {
    (0..keys.len()).filter(move |&i| i == 0 || keys[i] != keys[i - 1])
}

/// The keyed moments of keys whose groups are not contiguous, if they span
/// at most `limit`: running sums addressed by the key ([`part_sums`], a
/// table first covering `lo..=hi`, the range of the keys or of a sample of
/// them), the groups in order of first appearance.
///
/// Many rows over few enough keys ([`parts`]) are cut into that many
/// consecutive parts, summed apart in parallel, and each group's moments
/// are those of its rows in each part ([`Moments::shifted`]) merged in
/// part order ([`pooled`]): a group within one part keeps the bits
/// of [`Moments::shifted`], others are within a few ulps of them. The parts
/// depend on the rows only, so the bits do not depend on the threads.
fn tabled(
    values: &[f64],
    keys: &[i64],
    (lo, hi): (i64, i64),
    limit: usize,
) -> Option<KeyedMoments> {
    let span = (i128::from(hi) - i128::from(lo) + 1) as usize;
    let per = keys.len().div_ceil(parts(keys.len(), span)).max(1);
    let sums: Vec<PartSums> = crate::parallel::install(|| {
        keys.par_chunks(per)
            .zip(values.par_chunks(per))
            .enumerate()
            .map(|(part, (keys, values))| {
                let (table, mut firsts) = part_sums(values, keys, (lo, hi), limit)?;
                firsts.iter_mut().for_each(|(row, _)| *row += part * per);
                Some((table, firsts))
            })
            .collect::<Option<_>>()
    })?;
    // The keys of all parts' tables: lo..lo + span.
    let lo = sums.iter().map(|(t, _)| t.lo).min()?;
    let end = sums
        .iter()
        .map(|(t, _)| i128::from(t.lo) + t.sums.len() as i128)
        .max()?;
    let span = (end - i128::from(lo)) as usize;
    Some(crate::parallel::install(|| {
        // Each key's moments, its parts' sums pooled (the tables read in
        // sequence).
        let by_slot: Vec<Moments> = (0..span)
            .into_par_iter()
            .with_min_len(4096)
            .map(|s| {
                let k = lo.wrapping_add(s as i64);
                pooled(sums.iter().filter_map(|(t, _)| t.get(k)))
            })
            .collect();
        let groups = by_slot.par_iter().filter(|m| m.n > 0).count();
        let firsts: Vec<&[(usize, i64)]> = sums.iter().map(|(_, f)| f.as_slice()).collect();
        let order = first_appearances(
            &firsts,
            |part, &(_, k)| {
                sums[..part]
                    .iter()
                    .all(|(t, _)| t.get(k).is_none_or(|s| s.n == 0))
            },
            groups,
        );
        KeyedMoments {
            keys: order.par_iter().map(|&(_, k)| k).collect(),
            first_rows: order.par_iter().map(|&(row, _)| row).collect(),
            moments: order
                .par_iter()
                .map(|&(_, k)| by_slot[k.wrapping_sub(lo) as u64 as usize])
                .collect(),
        }
    }))
}

/// The groups of consecutive parts of the rows in order of first
/// appearance, from each part's groups in the order that part met them
/// (`met[part]`): all of the first part's, then those of each later part
/// that no earlier part has (`new_in(part, group)`), filtered in parallel,
/// until `total` groups are kept (`usize::MAX` when not known). Called on
/// qualstat's pool ([`crate::parallel::install`]).
pub(crate) fn first_appearances<T: Copy + Send + Sync>(
    met: &[&[T]],
    new_in: impl Fn(usize, &T) -> bool + Sync,
    total: usize,
) -> Vec<T> {
    let mut order = Vec::with_capacity(total.min(met.iter().map(|m| m.len()).sum()));
    for (part, groups) in met.iter().enumerate() {
        if order.len() >= total {
            break;
        } else if part == 0 {
            order.extend_from_slice(groups);
        } else {
            order.par_extend(groups.par_iter().copied().filter(|g| new_in(part, g)));
        }
    }
    order
}

/// A part's table of [`tabled`] and its groups' first rows with their keys.
type PartSums = (KeyTable, Vec<(usize, i64)>);

/// The moments of a group from its sums in consecutive parts of the rows
/// (guarded each): those of the only part with rows, or the parts merged
/// in order by Chan, Golub & LeVeque's (1979) M2 = M2_a + M2_b + δ²n_a n_b/n
/// with the difference of means taken from the shifts and the shifted
/// means, δ = (c_b − c_a) + (S₁_b/n_b − u_a), u_a = x̄_a − c_a (not from
/// rounded means, whose rounding errors δ² would magnify), and
/// x̄ = c_a + u, u = u_a + δn_b/n (c_a itself when u = 0).
fn pooled<'a>(parts: impl Iterator<Item = &'a ShiftedSums>) -> Moments {
    let mut parts = parts.filter(|s| s.n > 0);
    let Some(first) = parts.next() else {
        return Moments::default();
    };
    let Some(second) = parts.next() else {
        return first.unguarded();
    };
    let start = (first.n, first.s1 / first.n as f64, first.unguarded().m2);
    let (n, offset, m2) = [second]
        .into_iter()
        .chain(parts)
        .fold(start, |(n, u, m2), s| {
            let (na, nb) = (n as f64, s.n as f64);
            let total = na + nb;
            let delta = (s.shift - first.shift) + (s.s1 / nb - u);
            (
                n + s.n,
                u + delta * (nb / total),
                m2 + s.unguarded().m2 + delta * delta * (na * nb / total),
            )
        });
    Moments {
        n,
        // As in `ShiftedSums::unguarded`: negative zeros keep their sign.
        mean: if offset == 0.0 {
            first.shift
        } else {
            first.shift + offset
        },
        m2,
    }
}

/// The number of parts [`tabled`] cuts `rows` rows into, for keys spanning
/// `span`: [`TABLE_PARTS`] for at least [`PARTED_ROWS`] rows and eight rows
/// a key or more on average (so that the parts' tables and their merge
/// cost little beside the rows), else one.
fn parts(rows: usize, span: usize) -> usize {
    if rows >= PARTED_ROWS && span <= rows / 8 {
        TABLE_PARTS
    } else {
        1
    }
}

/// Parts of the rows [`tabled`] sums apart (see [`parts`]).
const TABLE_PARTS: usize = 2;

/// The fewest rows [`tabled`] cuts into parts.
const PARTED_ROWS: usize = 1 << 18;

/// Multiplicative hashing of integer keys (keys are not attacker controlled
/// here; a fast hash matters for millions of rows).
#[derive(Default)]
struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn write_i64(&mut self, k: i64) {
        self.0 = (k as u64 ^ 0x9e37_79b9_7f4a_7c15).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        self.0 ^= self.0 >> 29;
    }
}

type KeyMap = std::collections::HashMap<i64, usize, std::hash::BuildHasherDefault<KeyHasher>>;
type KeySet = std::collections::HashSet<i64, std::hash::BuildHasherDefault<KeyHasher>>;

/// Group id of every row (groups numbered 0, 1, ... in order of first
/// appearance), with the keys and first rows of the groups. Keys
/// spanning at most four times the number of rows use a direct-address
/// table, others a hash map; a run of equal keys costs one look-up.
pub(crate) fn group_ids(keys: &[i64]) -> (Vec<usize>, Vec<i64>, Vec<usize>) {
    let mut group_keys = Vec::new();
    let mut first_rows = Vec::new();
    let mut group_of: Vec<usize> = Vec::with_capacity(keys.len());
    let mut assign = |id: &mut usize, key: i64, start: usize, len: usize| {
        if *id == usize::MAX {
            *id = group_keys.len();
            group_keys.push(key);
            first_rows.push(start);
        }
        group_of.extend(std::iter::repeat_n(*id, len));
    };
    let (lo, hi) = chunk_range(keys);
    let span = (i128::from(hi) - i128::from(lo) + 1).max(0) as u128;
    if span <= (keys.len() as u128).max(1024) * 4 {
        let mut id_of = vec![usize::MAX; span as usize];
        for_each_run(keys, |start, len, key| {
            let slot = &mut id_of[(i128::from(key) - i128::from(lo)) as usize];
            assign(slot, key, start, len)
        });
    } else {
        let mut index = KeyMap::default();
        for_each_run(keys, |start, len, key| {
            assign(index.entry(key).or_insert(usize::MAX), key, start, len)
        });
    }
    (group_of, group_keys, first_rows)
}

/// Calls `f(start, len, key)` for each run of equal consecutive keys.
fn for_each_run(keys: &[i64], mut f: impl FnMut(usize, usize, i64)) {
    let mut starts = run_starts(keys).peekable();
    while let Some(start) = starts.next() {
        let end = starts.peek().copied().unwrap_or(keys.len());
        f(start, end - start, keys[start]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merged_parts_equal_the_whole() {
        let x = [1e9 + 4.0, 1e9 + 7.0, 1e9 + 13.0, 1e9 + 16.0, 1e9 + 1.0];
        let whole = Moments::of(&x);
        for cut in 0..=x.len() {
            let m = Moments::of(&x[..cut]).merge(Moments::of(&x[cut..]));
            assert_eq!(m.n, whole.n);
            assert!((m.mean - whole.mean).abs() <= 1e-15 * whole.mean);
            assert!((m.m2 - whole.m2).abs() <= 1e-9 * whole.m2, "{cut}: {m:?}");
        }
        let parts = [Moments::of(&x[..2]), Moments::of(&x[2..]), Moments::of(&x)];
        let runs = merge_runs(&parts, &[0, 2, 3]).unwrap();
        assert!((runs[0].sd() - whole.sd()).abs() < 1e-12 * whole.sd());
        assert_eq!(runs[1], whole);
        assert!(merge_runs(&parts, &[0, 2]).is_err());
        assert!(merge_runs(&parts, &[1, 3]).is_err());
    }

    #[test]
    fn keyed_moments_equal_the_moments_of_each_group_in_row_order() {
        let values = [1.0, 2.0, 1.2, 2.5, 0.9, 2.1, 1.1, 2.2, 0.0, 0.1, 0.2, 5.0];
        let keys = [7, 3, 7, 3, 7, 3, 7, 3, 9, 9, 9, 9];
        let g = moments_by_key(&values, &keys).unwrap();
        assert_eq!(g.keys, vec![7, 3, 9]);
        assert_eq!(g.first_rows, vec![0, 1, 8]);
        assert_eq!(g.moments[0], Moments::shifted(&[1.0, 1.2, 0.9, 1.1]));
        assert_eq!(g.moments[1], Moments::shifted(&[2.0, 2.5, 2.1, 2.2]));
        assert_eq!(g.moments[2], Moments::shifted(&[0.0, 0.1, 0.2, 5.0]));
        // Sparse keys (the hash-map path) give the same groups.
        let sparse: Vec<i64> = keys
            .iter()
            .map(|&k| if k == 9 { i64::MIN } else { k << 50 })
            .collect();
        let s = moments_by_key(&values, &sparse).unwrap();
        assert_eq!(s.moments, g.moments);
        assert_eq!(s.keys, vec![7 << 50, 3 << 50, i64::MIN]);
        assert!(moments_by_key(&values, &keys[..11]).is_err());
        // Contiguous groups (the runs, summarised in parallel) and a key that
        // comes back after another (not contiguous: the keyed passes).
        let runs = moments_by_key(&values[..6], &[5, 5, 3, 3, 3, 9]).unwrap();
        assert_eq!((runs.keys, runs.first_rows), (vec![5, 3, 9], vec![0, 2, 5]));
        assert_eq!(runs.moments[1], Moments::shifted(&values[2..5]));
        let back = moments_by_key(&values[..4], &[5, 3, 3, 5]).unwrap();
        assert_eq!(back.keys, vec![5, 3]);
        assert_eq!(back.moments[0], Moments::shifted(&[1.0, 2.5]));
        assert_eq!(moments_by_key(&[], &[]).unwrap(), KeyedMoments::default());
    }

    /// The keyed moments by the definition: each group's values gathered in
    /// row order, then [`Moments::shifted`].
    fn reference(values: &[f64], keys: &[i64]) -> KeyedMoments {
        let mut out = KeyedMoments::default();
        let mut rows_of: std::collections::HashMap<i64, Vec<f64>> = Default::default();
        for (row, (&k, &v)) in keys.iter().zip(values).enumerate() {
            let entry = rows_of.entry(k).or_default();
            if entry.is_empty() {
                out.keys.push(k);
                out.first_rows.push(row);
            }
            entry.push(v);
        }
        out.moments = out
            .keys
            .iter()
            .map(|k| Moments::shifted(&rows_of[k]))
            .collect();
        out
    }

    /// `rows` pseudo-random (key, value) pairs: keys `lo + (0..span)`, values
    /// with a large offset (the last bits of the sums depend on the order).
    fn random_rows(rows: usize, lo: i64, span: u64, seed: u64) -> (Vec<i64>, Vec<f64>) {
        let mut state = seed;
        let mut next = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            state >> 33
        };
        let keys = (0..rows)
            .map(|_| lo.wrapping_add((next() % span) as i64))
            .collect();
        let values = (0..rows).map(|_| 1e6 + next() as f64 / 1e3).collect();
        (keys, values)
    }

    #[test]
    fn many_keyed_rows_keep_each_groups_rows_in_order() {
        // Below the rows of a table cut in parts (tests/keyed_moments.rs).
        let (keys, values) = random_rows(PARTED_ROWS - 1, -700, 5000, 7);
        assert_eq!(parts(keys.len(), 5000), 1);
        assert_eq!(
            moments_by_key(&values, &keys).unwrap(),
            reference(&values, &keys)
        );
    }

    #[test]
    fn tabled_keys_give_the_bits_of_each_group_in_row_order() {
        // Many lots, few lots, one lot; keys at both ends of i64.
        let cases = [
            (20_011, -3, 4000),
            (5_003, 0, 3),
            (999, 41, 1),
            (4_001, i64::MAX - 99, 100),
            (4_001, i64::MIN, 100),
            (777, i64::MIN, 1),
        ];
        for (rows, lo, span) in cases {
            let (keys, values) = random_rows(rows, lo, span, rows as u64);
            let want = reference(&values, &keys);
            let lo = *keys.iter().min().unwrap();
            let hi = *keys.iter().max().unwrap();
            // The table first covering the keys' range, or only the first
            // key, the smallest, the largest (widened below, above or both
            // ways, by one key or many times).
            let at = |i: usize| keys[i.min(rows - 1)];
            for first in [(lo, hi), (at(0), at(0)), (lo, lo), (hi, hi), (at(7), at(9))] {
                let first = (first.0.min(first.1), first.0.max(first.1));
                let got = tabled(&values, &keys, first, rows.max(1024));
                assert_eq!(got.as_ref(), Some(&want), "rows {rows}, {first:?}");
            }
            assert_eq!(moments_by_key(&values, &keys).unwrap(), want);
        }
        // Keys met alternately below and above all keys before (one row
        // each, spanning exactly the rows): the table widens a few times
        // (given room), or gives way to the hash table.
        let keys: Vec<i64> = (0..50_001i64)
            .map(|r| if r % 2 == 0 { r / 2 } else { -(r + 1) / 2 })
            .collect();
        let values: Vec<f64> = keys.iter().map(|&k| 1e6 + k as f64 / 8.0).collect();
        let want = reference(&values, &keys);
        assert_eq!(moments_by_key(&values, &keys).unwrap(), want);
        let got = tabled(&values, &keys, (0, 0), 4 * keys.len());
        assert!(got.as_ref() == Some(&want), "alternating keys");
        // Keys spanning more than the limit: no table, however it starts.
        let keys = [0, 5, 1 << 20, 7, -(1 << 20)];
        let values = [1.0; 5];
        for (first, limit) in [((0, 0), 1 << 20), ((0, 7), 1 << 20), ((0, 0), 6)] {
            assert_eq!(tabled(&values, &keys, first, limit), None);
        }
        assert!(tabled(&values, &keys, (0, 0), (1 << 21) + 1).is_some());
        // A group of negative zeros keeps its sign, as `Iterator::sum` does.
        let g = tabled(&[-0.0, 1.0, -0.0], &[4, 5, 4], (4, 5), 1024).unwrap();
        assert_eq!(
            g.moments[0].mean.to_bits(),
            Moments::shifted(&[-0.0, -0.0]).mean.to_bits()
        );
    }

    #[test]
    fn every_layout_gives_the_bits_of_the_definition() {
        // Shuffled rows (the table, in one part), the same rows sorted (the
        // runs), lots of one row each (alone and before long runs), and keys
        // wider than the rows' number (the hash map, negative zeros
        // included); each layout also with the first value of every third
        // lot an outlier (those lots' sums are taken twice). Thread counts
        // and tables cut in parts: tests/keyed_moments.rs.
        let (keys, values) = random_rows(3 * ROW_TASK + 5, -20, 6_000, 3);
        let mut met = std::collections::HashSet::new();
        let outlying: Vec<f64> = keys
            .iter()
            .zip(&values)
            .map(|(&k, &v)| {
                if met.insert(k) && k % 3 == 0 {
                    v + 1e9
                } else {
                    v
                }
            })
            .collect();
        let mut sorted: Vec<(i64, f64, f64)> = (0..keys.len())
            .map(|i| (keys[i], values[i], outlying[i]))
            .collect();
        sorted.sort_by_key(|&(k, _, _)| k);
        let sorted_keys: Vec<i64> = sorted.iter().map(|r| r.0).collect();
        let sorted_values: Vec<f64> = sorted.iter().map(|r| r.1).collect();
        let sorted_outlying: Vec<f64> = sorted.iter().map(|r| r.2).collect();
        let single: Vec<i64> = (0..ROW_TASK as i64 + 9).rev().collect();
        let single_values: Vec<f64> = single.iter().map(|&k| k as f64).collect();
        // One-row lots in the first task's rows, long runs after them (the
        // search for runs ends in one task only).
        let mixed: Vec<i64> = single
            .iter()
            .map(|&k| -k - 100)
            .chain(sorted_keys.iter().copied())
            .collect();
        let mixed_values: Vec<f64> = single_values
            .iter()
            .chain(&sorted_outlying)
            .copied()
            .collect();
        let wide: Vec<i64> = keys.iter().map(|&k| k.wrapping_mul(1 << 40)).collect();
        let zeros = vec![-0.0; values.len()];
        // Runs cut by the tasks' rows: one through more than two tasks,
        // one ending at a task's last row, one starting at a task's first,
        // and lots far out again (summed twice whole).
        let long: Vec<i64> = (0..4 * ROW_TASK + 7)
            .map(|i| match i {
                0..100 => 1,
                100..=200_000 => 2,
                _ if i < 3 * ROW_TASK => 3 + (i as i64 - 200_001) / 40,
                _ => 5_000 + (i - 3 * ROW_TASK) as i64 / 33,
            })
            .collect();
        let long_values: Vec<f64> = long
            .iter()
            .enumerate()
            .map(|(i, &k)| {
                if i > 0 && long[i - 1] != k && k % 2 == 0 {
                    1e9
                } else {
                    (i % 97) as f64
                }
            })
            .collect();
        assert!(
            scan_keys(&long_values, &long).runs.is_some(),
            "long runs are runs"
        );
        assert!(scan_keys(&sorted_values, &sorted_keys).runs.is_some());
        let cases = [
            (&values, &keys),
            (&sorted_values, &sorted_keys),
            (&values, &wide),
            (&zeros, &wide),
            (&single_values, &single),
            (&mixed_values, &mixed),
            (&outlying, &keys),
            (&sorted_outlying, &sorted_keys),
            (&outlying, &wide),
            (&long_values, &long),
        ];
        let lot = |k: i64| -> Vec<f64> {
            (0..keys.len())
                .filter(|&i| keys[i] == k)
                .map(|i| outlying[i])
                .collect()
        };
        let first_pass = |x: &[f64]| {
            x.iter()
                .copied()
                .fold(ShiftedSums::new(x[0]), ShiftedSums::add)
        };
        assert!(
            first_pass(&lot(3)).moments().is_none(),
            "an outlier is taken twice"
        );
        assert!(first_pass(&lot(4)).moments().is_some());
        for (values, keys) in cases {
            assert_eq!(
                moments_by_key(values, keys).unwrap(),
                reference(values, keys)
            );
        }
        // Dense bounds: a span of 1024 keys over a few rows is tabled, one
        // more is hashed, both with the bits of the definition.
        for hi in [1023, 1024, i64::MAX] {
            let (keys, values) = ([hi, 0, hi, 0], [1.0, 2.0, 3.0, 5.0]);
            assert_eq!(
                moments_by_key(&values, &keys).unwrap(),
                reference(&values, &keys)
            );
        }
    }

    /// Mean and M2 of integers by the definition in exact integer
    /// arithmetic: Σx/n and (nΣx² − (Σx)²)/n, exactly representable for n
    /// a power of two and numerators below 2⁵³.
    fn exact(x: &[i64]) -> (f64, f64) {
        let n = x.len() as i128;
        let sum: i128 = x.iter().map(|&v| i128::from(v)).sum();
        let squares: i128 = x.iter().map(|&v| i128::from(v) * i128::from(v)).sum();
        let m2 = n * squares - sum * sum;
        assert!(n.count_ones() == 1 && sum.abs() < 1 << 53 && m2 < 1 << 53);
        (sum as f64 / n as f64, m2 as f64 / n as f64)
    }

    #[test]
    fn shifted_moments_are_exact_where_the_definition_is_representable() {
        // A first value 10⁶ away from 31 small ones (ρ = 31: the sums are
        // taken again about the mean), a common offset of 2⁴⁰, one and two
        // values, a constant lot.
        let outlier: Vec<i64> = [1_000_000].into_iter().chain(1..32).collect();
        let offset: Vec<i64> = (0..32).map(|i| (1 << 40) + (i * 7) % 13).collect();
        let samples = [outlier, offset, vec![5], vec![3, 8], vec![-9; 16]];
        for x in &samples {
            let values: Vec<f64> = x.iter().map(|&v| v as f64).collect();
            let m = Moments::shifted(&values);
            assert_eq!(
                (m.n as usize, m.mean, m.m2),
                (x.len(), exact(x).0, exact(x).1),
                "{x:?}"
            );
        }
        let guarded = |x: &[f64]| {
            x.iter()
                .copied()
                .fold(ShiftedSums::new(x[0]), ShiftedSums::add)
                .moments()
        };
        let outlier: Vec<f64> = samples[0].iter().map(|&v| v as f64).collect();
        assert!(guarded(&outlier).is_none() && guarded(&outlier[1..]).is_some());
        // Negative zeros keep their sign; no values: NaN mean.
        assert_eq!(
            Moments::shifted(&[-0.0, -0.0]).mean.to_bits(),
            (-0.0f64).to_bits()
        );
        assert_eq!(Moments::shifted(&[-0.0, 0.0]).m2, 0.0);
        assert!(Moments::shifted(&[]).mean.is_nan());
        // A non-finite value spoils the moments rather than being guarded away.
        assert!(Moments::shifted(&[1.0, f64::NAN, 2.0]).mean.is_nan());
        assert!(Moments::shifted(&[1.0, f64::INFINITY]).m2.is_nan());
    }

    #[test]
    fn two_passes_survive_a_large_offset() {
        let x = [1e9 + 4.0, 1e9 + 7.0, 1e9 + 13.0, 1e9 + 16.0];
        let (m, s) = mean_sd(&x);
        assert_eq!(m, 1e9 + 10.0);
        assert_eq!(sum_sq_dev(&x), 90.0);
        assert!((s - 30f64.sqrt()).abs() < 1e-14);
        assert!(mean_sd(&[1.0]).1.is_nan());
        assert!(mean(&[]).is_nan());
    }
}
