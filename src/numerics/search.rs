//! Searches over whole numbers for the point where a monotone predicate
//! flips: binary search on a bracket ([`bisect`], [`partition_point`],
//! [`last_true`]) and galloping (exponential) search for a bracket
//! ([`gallop_up`], [`gallop_down`]), combined in [`first_true`].
//!
//! Used by the plan designs (smallest sample size meeting both risk points),
//! the sample-size and finite-lot interval searches, Blaker's interval and
//! the quality at a given acceptance probability.
//!
//! Method: galloping search (Bentley & Yao 1976, "An almost optimal algorithm
//! for unbounded searching") finds a bracket in O(log d) evaluations, d the
//! distance from the start to the flip; bisection of the bracket then takes
//! O(log d) more. For a monotone predicate the result does not depend on the
//! order of the probes; the probe sequences here are fixed (documented per
//! function) so results are reproducible even where rounding makes a
//! computed predicate non-monotone at the flip.

/// Bisection of the candidates `l..=h`, where `h` is taken as the answer
/// if no probe is true. Each probe is at `l + (h − l − lower) / 2`: with
/// `lower` = 1 the midpoint of the exclusive bracket (l − 1, h] rounded down,
/// with `lower` = 0 that of `l..=h` rounded down.
fn narrow(mut l: u64, mut h: u64, lower: u64, mut pred: impl FnMut(u64) -> bool) -> u64 {
    while l < h {
        let mid = l + (h - l - lower) / 2;
        if pred(mid) {
            h = mid;
        } else {
            l = mid + 1;
        }
    }
    h
}

/// The smallest x in (`lo`, `hi`] with `pred(x)`, for a bracket with
/// `pred(lo)` false and `pred(hi)` true (neither is evaluated) and a predicate
/// that is false then true as x grows.
///
/// Bisection keeping that invariant: each probe is ⌊(lo + hi)/2⌋ of the
/// current bracket, until `hi − lo` = 1. Returns `hi` when `hi <= lo + 1`.
pub fn bisect(lo: u64, hi: u64, pred: impl FnMut(u64) -> bool) -> u64 {
    narrow(lo.saturating_add(1), hi, 1, pred)
}

/// The smallest x in `lo..hi` with `pred(x)`, or `hi` if there is none, for a
/// predicate that is false then true as x grows (as
/// [`slice::partition_point`] with the predicate negated).
///
/// Bisection of `lo..=hi` with `hi` taken as true: each probe is
/// `lo + (hi − lo)/2` (rounded down) of the current range.
pub fn partition_point(lo: u64, hi: u64, pred: impl FnMut(u64) -> bool) -> u64 {
    narrow(lo, hi, 0, pred)
}

/// The largest x in `lo..=hi` with `pred(x)`, or `lo` if there is none, for a
/// predicate that is true then false as x grows (`pred(lo)` is taken as true
/// and not evaluated).
///
/// Bisection: each probe is `lo + ⌈(hi − lo)/2⌉` of the current range (the
/// mirror image of [`partition_point`]).
pub fn last_true(lo: u64, hi: u64, mut pred: impl FnMut(u64) -> bool) -> u64 {
    if hi <= lo {
        return lo;
    }
    // In y = hi − x the answer is the first y in 0..=hi−lo with pred(hi − y).
    hi - partition_point(0, hi - lo, |y| pred(hi - y))
}

/// A bracket `(lo, hi)` of the flip of a predicate that is false then true,
/// found by galloping up from `start` (taken as false, not evaluated): the
/// probes are `start + step`, then each previous probe plus a step twice the
/// previous one, capped at `cap`. `pred(hi)` is true and `lo` is `start` or a
/// probe with `pred(lo)` false, so [`bisect`]`(lo, hi, pred)` finishes the
/// search. `None` when `pred(cap)` is false (or `start >= cap`).
///
/// A zero `step` is taken as 1.
pub fn gallop_up(
    start: u64,
    step: u64,
    cap: u64,
    mut pred: impl FnMut(u64) -> bool,
) -> Option<(u64, u64)> {
    let (mut lo, mut step) = (start, step.max(1));
    loop {
        if lo >= cap {
            return None;
        }
        let probe = lo.saturating_add(step).min(cap);
        if pred(probe) {
            return Some((lo, probe));
        }
        lo = probe;
        step = step.saturating_mul(2);
    }
}

/// A bracket `(lo, hi)` of the flip of a predicate that is false then true,
/// found by galloping down from `start` (taken as true, not evaluated): the
/// probes are `start − step`, then each previous probe minus a step twice the
/// previous one, never below `floor`, which is taken as false and not
/// evaluated. `pred(hi)` is true (or `hi` = `start`) and `lo` is `floor` or a
/// probe with `pred(lo)` false, so [`bisect`]`(lo, hi, pred)` finishes the
/// search.
///
/// A zero `step` is taken as 1.
pub fn gallop_down(
    start: u64,
    step: u64,
    floor: u64,
    mut pred: impl FnMut(u64) -> bool,
) -> (u64, u64) {
    let (mut hi, mut step) = (start, step.max(1));
    loop {
        let probe = hi.saturating_sub(step).max(floor);
        if probe == floor || !pred(probe) {
            return (probe.min(hi), hi);
        }
        hi = probe;
        step = step.saturating_mul(2);
    }
}

/// The smallest x in `start..=cap` with `pred(x)`, for a predicate that is
/// false then true as x grows, or `None` if `pred(cap)` is false: `pred(start)`,
/// then [`gallop_up`] from `start` with first step `step`, then [`bisect`].
///
/// A good `step` is the expected distance to the flip (e.g. the last
/// increment when solving a sequence of similar problems).
pub fn first_true(
    start: u64,
    cap: u64,
    step: u64,
    mut pred: impl FnMut(u64) -> bool,
) -> Option<u64> {
    if start > cap {
        return None;
    }
    if pred(start) {
        return Some(start);
    }
    let (lo, hi) = gallop_up(start, step, cap, &mut pred)?;
    Some(bisect(lo, hi, pred))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A deterministic, non-monotone predicate: with it the result depends on
    /// the exact probe sequence, which the reference loops below pin down.
    fn scrambled(seed: u64) -> impl Fn(u64) -> bool {
        move |x| {
            let h = (x ^ seed).wrapping_mul(0x9E37_79B9_7F4A_7C15);
            (h >> 61) & 1 == 1
        }
    }

    // Reference loops: the hand-written searches these functions replaced.
    fn bisect_ref(mut lo: u64, mut hi: u64, pred: impl Fn(u64) -> bool) -> u64 {
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if pred(mid) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        hi
    }
    fn partition_ref(mut lo: u64, mut hi: u64, pred: impl Fn(u64) -> bool) -> u64 {
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if pred(mid) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        lo
    }
    fn last_true_ref(mut lo: u64, mut hi: u64, pred: impl Fn(u64) -> bool) -> u64 {
        while lo < hi {
            let mid = lo + (hi - lo).div_ceil(2);
            if pred(mid) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        lo
    }

    #[test]
    fn probe_sequences_are_those_of_the_classic_loops() {
        for seed in 0..200u64 {
            let pred = scrambled(seed);
            for (lo, hi) in [
                (0u64, 1u64),
                (0, 2),
                (3, 17),
                (5, 1000),
                (1 << 40, (1 << 40) + 77),
            ] {
                assert_eq!(bisect(lo, hi, &pred), bisect_ref(lo, hi, &pred));
                assert_eq!(partition_point(lo, hi, &pred), partition_ref(lo, hi, &pred));
                assert_eq!(last_true(lo, hi, &pred), last_true_ref(lo, hi, &pred));
            }
        }
    }

    #[test]
    fn monotone_predicates() {
        for flip in 0..60u64 {
            let pred = |x: u64| x >= flip;
            assert_eq!(partition_point(0, 50, pred), flip.min(50));
            assert_eq!(last_true(0, 50, |x| x < flip.max(1)), flip.clamp(1, 51) - 1);
            if (1..=50).contains(&flip) {
                assert_eq!(bisect(0, 50, pred), flip);
            }
            assert_eq!(first_true(0, 50, 3, pred), (flip <= 50).then_some(flip));
            assert_eq!(
                first_true(7, 50, 1, pred),
                (flip <= 50).then_some(flip.max(7))
            );
        }
        assert_eq!(first_true(9, 8, 1, |_| true), None);
        assert_eq!(first_true(0, u64::MAX, 1, |x| x >= 1 << 62), Some(1 << 62));
    }

    #[test]
    fn galloping_brackets_the_flip() {
        // Up: probes 11, 13, 17, 25, 41, 73 (capped at 60).
        let mut probes = Vec::new();
        let b = gallop_up(10, 1, 60, |x| {
            probes.push(x);
            x >= 30
        });
        assert_eq!(b, Some((25, 41)));
        assert_eq!(probes, [11, 13, 17, 25, 41]);
        assert_eq!(gallop_up(10, 1, 60, |x| x >= 61), None);
        assert_eq!(gallop_up(10, 1, 60, |x| x >= 60), Some((41, 60)));
        // Down: probes 99, 97, 93, 85, then the floor.
        let mut probes = Vec::new();
        let b = gallop_down(100, 1, 80, |x| {
            probes.push(x);
            x >= 90
        });
        assert_eq!(b, (85, 93));
        assert_eq!(probes, [99, 97, 93, 85]);
        assert_eq!(gallop_down(100, 1, 95, |_| true), (95, 97));
        assert_eq!(gallop_down(100, 1, 100, |_| true), (100, 100));
    }
}
