//! The keyed moments of keys too wide for a table addressed by the key
//! (lot numbers with gaps, codes with a date in them): running sums held
//! in an open-addressing hash table, one look-up a row.
//!
//! The table is [`GroupSums`]: linear probing from a multiplicative
//! (Fibonacci) hash of the key (Knuth, *The Art of Computer Programming*
//! vol. 3, §6.4), at most 7/8 full (2.6 probes a hit at 3/4, most in one
//! cache line), each entry the key and the group's [`ShiftedSums`] inline,
//! so that a row costs one probe sequence and no second look-up. Many rows are cut into the parts
//! of [`super::parts`], a table each, summed in parallel and merged as
//! [`super::tabled`] merges its tables.

use super::{parts, pooled, KeyedMoments, ShiftedSums};
use rayon::prelude::*;

/// One entry of [`GroupSums`] (40 bytes): free while `sums.n` is 0.
#[derive(Debug, Clone, Copy)]
struct Entry {
    key: i64,
    sums: ShiftedSums,
}

const FREE: Entry = Entry {
    key: 0,
    sums: ShiftedSums::new(0.0),
};

/// The running sums of the groups of some rows, by key (see the module
/// docs), with the groups' entries in order of first appearance.
struct GroupSums {
    entries: Vec<Entry>,
    /// The groups' entry indices and first rows, in order of first appearance.
    order: Vec<(usize, usize)>,
    /// 64 − log₂(capacity): the hash's top bits index the table.
    shift: u32,
}

/// The multiplier of the hash: 2⁶⁴ divided by the golden ratio, odd.
const GOLDEN: u64 = 0x9e37_79b9_7f4a_7c15;

impl GroupSums {
    /// An empty table of `capacity` entries (a power of two, at least 2).
    fn new(capacity: usize) -> GroupSums {
        GroupSums {
            entries: vec![FREE; capacity],
            order: Vec::new(),
            shift: 64 - capacity.trailing_zeros(),
        }
    }

    /// The index of `key`'s entry, or of the free entry where it would go.
    #[inline]
    fn find(&self, key: i64) -> usize {
        let mask = self.entries.len() - 1;
        let mut i = ((key as u64).wrapping_mul(GOLDEN) >> self.shift) as usize;
        loop {
            let e = &self.entries[i];
            if e.sums.n == 0 || e.key == key {
                return i;
            }
            i = (i + 1) & mask;
        }
    }

    /// The sums of `key`'s group (`None` when it has no row here).
    fn get(&self, key: i64) -> Option<&ShiftedSums> {
        let e = &self.entries[self.find(key)];
        (e.sums.n > 0).then_some(&e.sums)
    }

    /// Adds the value `v` of row `row` to the group `key`.
    #[inline]
    fn push(&mut self, key: i64, row: usize, v: f64) {
        let i = self.find(key);
        let e = &mut self.entries[i];
        if e.sums.n > 0 {
            e.sums.push(v);
            return;
        }
        *e = Entry {
            key,
            sums: ShiftedSums::new(v).add(v),
        };
        self.order.push((i, row));
        if self.order.len() > self.entries.len() / 8 * 7 {
            self.grow();
        }
    }

    /// The table at twice the capacity, the order kept.
    fn grow(&mut self) {
        let mut bigger = GroupSums::new(2 * self.entries.len());
        for &(i, first) in &self.order {
            let e = self.entries[i];
            let j = bigger.find(e.key);
            bigger.entries[j] = e;
            bigger.order.push((j, first));
        }
        *self = bigger;
    }

    /// The sums of the rows `keys`, `values` (row `base + i` the `i`th): a
    /// pass over the rows, then, if any group's shift cancels, a second
    /// over the rows of those groups about their mean (see
    /// [`super::part_sums`]), the others skipped after one test of a
    /// 4,096-bit filter of the keys summed again.
    fn of_rows(keys: &[i64], values: &[f64], base: usize, capacity: usize) -> GroupSums {
        let mut table = GroupSums::new(capacity);
        super::each_row(keys, values, |row, k, v| {
            table.push(k, base + row, v);
            Some(())
        });
        let capacity = table.entries.len();
        let mut again: Vec<bool> = Vec::new();
        let mut filter = [0u64; 64];
        for &(i, _) in &table.order {
            let e = &mut table.entries[i];
            if e.sums.recentre_if_cancelled() {
                again.resize(capacity, false);
                again[i] = true;
                let bit = filter_bit(e.key);
                filter[bit / 64] |= 1 << (bit % 64);
            }
        }
        if !again.is_empty() {
            for (&k, &v) in keys.iter().zip(values) {
                let bit = filter_bit(k);
                if filter[bit / 64] >> (bit % 64) & 1 == 1 {
                    let i = table.find(k);
                    if again[i] {
                        table.entries[i].sums.push(v);
                    }
                }
            }
        }
        table
    }
}

/// The bit of a key in the 4,096-bit filter of [`GroupSums::of_rows`]:
/// twelve middle bits of the hash (its low bits depend on the key's low
/// bits only, and keys that are multiples of 4,096 would share them).
fn filter_bit(key: i64) -> usize {
    ((key as u64).wrapping_mul(GOLDEN) >> 32) as usize & 4095
}

/// The keyed moments of `values` by the keys `keys` (any `i64`), in order of
/// first appearance: a [`GroupSums`] for each of the parts of the rows
/// ([`parts`]), in parallel; a group with rows in one part has the moments
/// of [`super::Moments::shifted`] on its values, others the parts' moments
/// merged in order ([`pooled`]).
pub(super) fn hashed(values: &[f64], keys: &[i64]) -> KeyedMoments {
    // Wide keys: at most one group a row, so the rows alone set the parts.
    let per = keys.len().div_ceil(parts(keys.len(), 0)).max(1);
    let capacity = starting_capacity(keys, per);
    let tables: Vec<GroupSums> = crate::parallel::install(|| {
        keys.par_chunks(per)
            .zip(values.par_chunks(per))
            .enumerate()
            .map(|(part, (keys, values))| GroupSums::of_rows(keys, values, part * per, capacity))
            .collect()
    });
    let (groups, moments) = crate::parallel::install(|| {
        // Each part's groups (key, first row) in the order it met them.
        let met: Vec<Vec<(i64, usize)>> = tables
            .par_iter()
            .map(|t| {
                t.order
                    .iter()
                    .map(|&(i, r)| (t.entries[i].key, r))
                    .collect()
            })
            .collect();
        let met: Vec<&[(i64, usize)]> = met.iter().map(Vec::as_slice).collect();
        let groups = super::first_appearances(
            &met,
            |part, &(k, _)| tables[..part].iter().all(|t| t.get(k).is_none()),
            usize::MAX,
        );
        let moments: Vec<_> = groups
            .par_iter()
            .with_min_len(4096)
            .map(|&(k, _)| pooled(tables.iter().filter_map(|t| t.get(k))))
            .collect();
        (groups, moments)
    });
    KeyedMoments {
        keys: groups.iter().map(|g| g.0).collect(),
        first_rows: groups.iter().map(|g| g.1).collect(),
        moments,
    }
}

/// Rows read by [`starting_capacity`], evenly spaced.
const SAMPLE: usize = 8192;

/// The capacity each part's [`GroupSums`] starts at (parts of `per` rows):
/// room for the groups a sample of [`SAMPLE`] evenly spaced rows suggests,
/// so that a table of many groups is not grown (and its entries moved) a
/// dozen times on the way (A/B of `moments_by_key` on the 3.5M rows and
/// 100,000 wide keys of `benches/compare_peers_variables.py`: 0.89x with
/// the rows in the caches, 0.95x after they are evicted; same bits).
///
/// Of `G` groups equally likely, `s` rows sampled meet on average
/// d(G) = G (1 − (1 − 1/G)^s) distinct keys, increasing in G: the estimate
/// is the G with d(G) the number met (bisection), at most the rows of a
/// part. Unequal groups meet fewer keys, so their estimate is low, and the
/// table grows as before. The table starts at most half full: keys that
/// look random (hashes of text) meet long probe sequences at 3/4 (44 ms
/// against 27 ms for 100,000 random keys of 3.5M rows, while keys in an
/// arithmetic progression, which the Fibonacci hash spreads evenly, take
/// 19 ms either way). Few rows, or few groups, start at 1,024 entries;
/// none at more than 2¹⁹ (21 MB): rows in a regular order (lots in turn,
/// a row each) can show the sample only distinct keys whatever their
/// number, and past that size a table grows only a few times.
fn starting_capacity(keys: &[i64], per: usize) -> usize {
    const LEAST: usize = 1024;
    const MOST: usize = 1 << 19;
    if keys.len() < 4 * SAMPLE {
        return LEAST;
    }
    let mut sample: Vec<i64> = keys.iter().step_by(keys.len() / SAMPLE).copied().collect();
    sample.sort_unstable();
    let met = 1 + sample.windows(2).filter(|w| w[0] != w[1]).count();
    let s = sample.len() as f64;
    let distinct = |g: f64| g * -(s * (-1.0 / g).ln_1p()).exp_m1();
    let (mut lo, mut hi) = (met as f64, per as f64);
    if distinct(hi) <= met as f64 {
        lo = hi;
    }
    for _ in 0..64 {
        let mid = 0.5 * (lo + hi);
        if distinct(mid) < met as f64 {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    // At most half full. (Of 100,000 groups, the sample meets about 335
    // pairs of rows of one group: the estimate is within 5.5 %, one
    // standard deviation.)
    let entries = (lo.min(per as f64) * 2.0) as usize;
    entries
        .next_power_of_two()
        .clamp(LEAST, per.next_power_of_two().clamp(LEAST, MOST))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `rows` keys, each of one of `groups` groups at random (SplitMix64 of
    /// the row), the keys far apart.
    fn scrambled(rows: usize, groups: usize) -> Vec<i64> {
        (0..rows as u64)
            .map(|i| {
                let mut z = i.wrapping_add(1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
                z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
                z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
                let g = (z ^ (z >> 31)) % groups as u64;
                1_000_003 * g as i64 + 240_000_000_000
            })
            .collect()
    }

    #[test]
    fn tables_start_with_room_for_the_groups_a_sample_meets() {
        let rows = 1 << 20;
        let per = rows / 2;
        // 100,000 groups need 200,000 entries at half full: 2^18.
        assert_eq!(starting_capacity(&scrambled(rows, 100_000), per), 1 << 18);
        assert_eq!(starting_capacity(&scrambled(rows, 30_000), per), 1 << 16);
        // Few groups, or few rows, start small; a group a row, at a part's
        // rows up to 2^19 entries.
        assert_eq!(starting_capacity(&scrambled(rows, 10), per), 1024);
        assert_eq!(starting_capacity(&scrambled(10_000, 5_000), 5_000), 1024);
        assert_eq!(starting_capacity(&scrambled(rows, rows), per), 1 << 19);
        assert_eq!(starting_capacity(&scrambled(rows, rows), 1 << 17), 1 << 17);
        // Lots in turn, a row each: the sample meets only distinct keys.
        let in_turn: Vec<i64> = (0..rows as i64).map(|i| 1_000_003 * (i % 10_007)).collect();
        assert_eq!(starting_capacity(&in_turn, 1 << 20), 1 << 19);
    }
}
