//! Equal inputs computed once.
//!
//! Batch functions are often called on counts that repeat: 10⁶ units with 1
//! to 500 trials each share a few tens of thousands of distinct
//! (successes, trials) pairs. Where the work per element is costly (tail
//! probabilities, beta quantiles), [`map_distinct`] does it once per distinct
//! input and copies the result to every element with that input. When the
//! first keys hardly repeat, it evaluates every element directly.

use crate::parallel;
use rayon::prelude::*;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};

/// Elements per parallel task when the results are copied out.
const CHUNK: usize = 4096;

/// A fast hasher for the small integer-like keys used here: each word is
/// mixed into the state with the splitmix64 finaliser (Steele, Lea & Flood
/// 2014), so keys whose low bits are all zero (the bits of whole-number
/// `f64`s) still spread over the table. Not for untrusted keys that could be
/// chosen to collide: the cost would be time, never a wrong result.
#[derive(Default)]
struct Mix(u64);

impl Mix {
    fn mix(mut z: u64) -> u64 {
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

impl Hasher for Mix {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u64(&mut self, word: u64) {
        self.0 = Mix::mix(self.0.rotate_left(17) ^ word.wrapping_add(0x9e37_79b9_7f4a_7c15));
    }

    fn write_usize(&mut self, word: usize) {
        self.write_u64(word as u64);
    }
}

/// The distinct values of `keys`, in order of first appearance, and for each
/// element the position of its value among them (one pass, hashed).
pub(crate) fn distinct<K: Hash + Eq + Copy>(keys: &[K]) -> (Vec<K>, Vec<usize>) {
    let mut seen: HashMap<K, usize, BuildHasherDefault<Mix>> = HashMap::default();
    let mut values: Vec<K> = Vec::new();
    let position = keys
        .iter()
        .map(|&key| {
            *seen.entry(key).or_insert_with(|| {
                values.push(key);
                values.len() - 1
            })
        })
        .collect();
    (values, position)
}

/// Keys looked at before deciding whether equal keys are worth grouping.
const PROBE: usize = 1 << 14;

/// [`distinct`] of `keys` when equal keys are worth grouping, `None` when
/// more than 90 % of the first [`PROBE`] keys are distinct (grouping would
/// only add its hash-map pass; a sample of keys that do repeat overall still
/// looks 60 to 70 % distinct, so the bar is high).
pub(crate) fn grouped<K: Hash + Eq + Copy>(keys: &[K]) -> Option<(Vec<K>, Vec<usize>)> {
    let probe = keys.get(..PROBE).unwrap_or(keys);
    if distinct(probe).0.len() * 10 > probe.len() * 9 {
        return None;
    }
    Some(distinct(keys))
}

/// `f(keys[i])` for every element, in input order, with `f` evaluated once
/// per distinct key (in parallel), or for every element directly when the
/// keys hardly repeat (see [`grouped`]); the result is the same either way.
pub(crate) fn map_distinct<K, T>(keys: &[K], f: impl Fn(K) -> T + Sync) -> Vec<T>
where
    K: Hash + Eq + Copy + Send + Sync,
    T: Copy + Send + Sync,
{
    let Some((values, position)) = grouped(keys) else {
        return parallel::install(|| keys.par_iter().with_min_len(64).map(|&k| f(k)).collect());
    };
    parallel::install(|| {
        let computed: Vec<T> = values.par_iter().with_min_len(64).map(|&k| f(k)).collect();
        // Every position is below `computed.len()`: `distinct` built them so.
        position
            .par_iter()
            .with_min_len(CHUNK)
            .map(|&j| computed[j])
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distinct_values_and_positions() {
        let (values, position) = distinct(&[(3, 1), (1, 2), (3, 1), (0, 0), (1, 2)]);
        assert_eq!(values, vec![(3, 1), (1, 2), (0, 0)]);
        assert_eq!(position, vec![0, 1, 0, 2, 1]);
        let (values, position) = distinct::<u8>(&[]);
        assert!(values.is_empty() && position.is_empty());
    }

    #[test]
    fn map_distinct_equals_the_map_and_calls_once_per_value() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let keys: Vec<u64> = (0..100_000u64).map(|i| (i * 7919) % 1000).collect();
        let calls = AtomicUsize::new(0);
        let out = map_distinct(&keys, |k| {
            calls.fetch_add(1, Ordering::Relaxed);
            (k as f64).sqrt()
        });
        let want: Vec<f64> = keys.iter().map(|&k| (k as f64).sqrt()).collect();
        assert_eq!(out, want);
        assert_eq!(calls.load(Ordering::Relaxed), 1000);
        // Distinct keys: evaluated directly, same result.
        let keys: Vec<u64> = (0..50_000u64).rev().collect();
        calls.store(0, Ordering::Relaxed);
        let out = map_distinct(&keys, |k| {
            calls.fetch_add(1, Ordering::Relaxed);
            k * 2
        });
        assert_eq!(out, keys.iter().map(|&k| k * 2).collect::<Vec<_>>());
        assert_eq!(calls.load(Ordering::Relaxed), 50_000);
    }
}
