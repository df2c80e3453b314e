//! Runs rules (tests for special causes): Western Electric 1-4 and Nelson 1-8,
//! each threshold editable, evaluated on a chart's points with per-point zones.
//!
//! Definitions (Western Electric Handbook 1956; Nelson 1984, JQT 16(4):237-239;
//! Minitab's "tests for special causes" with editable K) and the operational
//! details are in `reference/spc_notes.md` §4:
//!
//! * zones are multiples of the standard error of the plotted statistic,
//!   recomputed at every point (step limits), clipped to the range the
//!   statistic can take (`floor`, `ceiling`: 0 for counts, 1 for fractions) as
//!   qcc clips its zone limits; each point is judged against its own zones
//!   (qcc compares every point of a window with the boundary at the window's
//!   last point: the same for constant limits, different under step limits);
//! * a point exactly on the centre line, or equal to the previous point, breaks
//!   a run (same side, trend, alternating);
//! * "k of k + 1 beyond" needs the current point beyond the boundary and k
//!   points of the window (at most k + 1 points ending at the current one,
//!   fewer at the start of the series) beyond it on the same side; points beyond
//!   3σ count as beyond 2σ; the odd point may be anywhere;
//! * "within 1σ" is inclusive (|z| ≤ 1); "beyond" is strict;
//! * Nelson 8 (k in a row beyond 1σ) needs both sides in the run (qcc 3.0);
//! * a point is flagged when it completes the pattern and while the pattern
//!   continues: every rule is a condition on the window of points ending at
//!   the point, so the flags of a point depend on at most [`Rule::lookback`]
//!   points.
//!
//! Rule 1 ("beyond the control limits") uses the chart's own limits unless a
//! number of sigmas is set, so probability limits and floored limits are
//! respected.

use crate::error::{check_same_len, Error, Result};
use crate::options::named_options;
use rayon::prelude::*;

named_options! {
    /// A named family of runs rules.
    pub enum RuleSet for "rule_set" {
        /// Western Electric rules 1-4 (rule 4: eight in a row on one side).
        WesternElectric = "we" | "western_electric",
        /// Nelson's eight tests (test 2: nine in a row on one side).
        Nelson = "nelson",
    }
}

/// The pattern a rule looks for, with its editable thresholds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Pattern {
    /// One point beyond `sigmas` from the centre line; `None`: beyond the
    /// chart's control limits (strictly).
    Beyond {
        /// Zone boundary in standard errors, or the chart's limits.
        sigmas: Option<f64>,
    },
    /// `count` points in a row strictly on the same side of the centre line.
    SameSide {
        /// Run length.
        count: usize,
    },
    /// `count` points in a row steadily increasing or decreasing
    /// (`count - 1` differences of one strict sign).
    Trend {
        /// Run length in points.
        count: usize,
    },
    /// `count` points in a row alternating up and down (`count - 1` nonzero
    /// differences, each of the opposite sign of the previous one).
    Alternating {
        /// Run length in points.
        count: usize,
    },
    /// `count` of `window` points in a row beyond `sigmas`, on the same side,
    /// the current point among them.
    OutOf {
        /// Points needed beyond the boundary.
        count: usize,
        /// Window length.
        window: usize,
        /// Zone boundary in standard errors.
        sigmas: f64,
    },
    /// `count` points in a row within `sigmas` of the centre line (inclusive).
    Within {
        /// Run length.
        count: usize,
        /// Zone boundary in standard errors.
        sigmas: f64,
    },
    /// `count` points in a row beyond `sigmas` on either side, with points on
    /// both sides.
    Outside {
        /// Run length.
        count: usize,
        /// Zone boundary in standard errors.
        sigmas: f64,
    },
}

/// One rule: its set, its number in that set and its pattern.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rule {
    /// The family the number refers to.
    pub set: RuleSet,
    /// The rule's number in its set (1-based).
    pub number: u8,
    /// What it detects, with its thresholds.
    pub pattern: Pattern,
}

impl RuleSet {
    /// The number of rules in the set (4 or 8).
    pub fn len(self) -> u8 {
        match self {
            RuleSet::WesternElectric => 4,
            RuleSet::Nelson => 8,
        }
    }

    /// Always false (every set has rules); present for clippy's `len` pairing.
    pub fn is_empty(self) -> bool {
        false
    }

    /// Every rule of the set with its standard thresholds.
    pub fn rules(self) -> Vec<Rule> {
        (1..=self.len())
            .filter_map(|k| Rule::standard(self, i64::from(k)).ok())
            .collect()
    }
}

impl Rule {
    /// Rule `number` of `set` with its standard thresholds.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] naming `rule` when the set has no such number.
    pub fn standard(set: RuleSet, number: i64) -> Result<Rule> {
        use Pattern::*;
        let pattern = match (set, number) {
            (_, 1) => Beyond { sigmas: None },
            (RuleSet::WesternElectric, 2) | (RuleSet::Nelson, 5) => OutOf {
                count: 2,
                window: 3,
                sigmas: 2.0,
            },
            (RuleSet::WesternElectric, 3) | (RuleSet::Nelson, 6) => OutOf {
                count: 4,
                window: 5,
                sigmas: 1.0,
            },
            (RuleSet::WesternElectric, 4) => SameSide { count: 8 },
            (RuleSet::Nelson, 2) => SameSide { count: 9 },
            (RuleSet::Nelson, 3) => Trend { count: 6 },
            (RuleSet::Nelson, 4) => Alternating { count: 14 },
            (RuleSet::Nelson, 7) => Within {
                count: 15,
                sigmas: 1.0,
            },
            (RuleSet::Nelson, 8) => Outside {
                count: 8,
                sigmas: 1.0,
            },
            _ => {
                return Err(Error::invalid(
                    "rule",
                    format!("({set}, {number})"),
                    format!("a rule number from 1 to {} for rule set {set}", set.len()),
                ))
            }
        };
        Ok(Rule {
            set,
            number: u8::try_from(number).unwrap_or(0),
            pattern,
        })
    }

    /// The names of the thresholds this rule's pattern has (for
    /// [`Rule::with`]): `sigmas`, `count`, `window`.
    pub fn threshold_names(&self) -> &'static [&'static str] {
        match self.pattern {
            Pattern::Beyond { .. } => &["sigmas"],
            Pattern::SameSide { .. } | Pattern::Trend { .. } | Pattern::Alternating { .. } => {
                &["count"]
            }
            Pattern::OutOf { .. } => &["count", "window", "sigmas"],
            Pattern::Within { .. } | Pattern::Outside { .. } => &["count", "sigmas"],
        }
    }

    /// This rule with threshold `name` set to `value` (names as
    /// [`Rule::threshold_names`]). Counts are whole numbers from 2 to 1000
    /// (`count` of [`Pattern::OutOf`] from 1 to `window`; `window` at most
    /// 1000); `sigmas` is a positive finite number.
    ///
    /// # Errors
    /// [`Error::UnknownOption`] for a name the pattern does not have;
    /// [`Error::InvalidArgument`] for a value out of range.
    pub fn with(mut self, name: &str, value: f64) -> Result<Rule> {
        let arg = format!("rule ({}, {}) {name}", self.set, self.number);
        let sigmas = || {
            if value.is_finite() && value > 0.0 {
                Ok(value)
            } else {
                Err(Error::invalid(&arg, value, "a positive finite number"))
            }
        };
        let whole = |lo: usize| {
            if value.is_finite() && value.fract() == 0.0 && value >= lo as f64 && value <= 1000.0 {
                Ok(value as usize)
            } else {
                Err(Error::invalid(
                    &arg,
                    value,
                    format!("a whole number from {lo} to 1000"),
                ))
            }
        };
        let names = self.threshold_names();
        let known = names.iter().find(|n| crate::options::same_name(name, n));
        let Some(&known) = known else {
            return Err(Error::unknown(format!("threshold of {arg}"), name, names));
        };
        self.pattern = match (self.pattern, known) {
            (Pattern::Beyond { .. }, _) => Pattern::Beyond {
                sigmas: Some(sigmas()?),
            },
            (Pattern::SameSide { .. }, _) => Pattern::SameSide { count: whole(2)? },
            (Pattern::Trend { .. }, _) => Pattern::Trend { count: whole(2)? },
            (Pattern::Alternating { .. }, _) => Pattern::Alternating { count: whole(3)? },
            (Pattern::Within { sigmas: s, .. }, "count") => Pattern::Within {
                count: whole(2)?,
                sigmas: s,
            },
            (Pattern::Within { count, .. }, _) => Pattern::Within {
                count,
                sigmas: sigmas()?,
            },
            (Pattern::Outside { sigmas: s, .. }, "count") => Pattern::Outside {
                count: whole(2)?,
                sigmas: s,
            },
            (Pattern::Outside { count, .. }, _) => Pattern::Outside {
                count,
                sigmas: sigmas()?,
            },
            (
                Pattern::OutOf {
                    window, sigmas: s, ..
                },
                "count",
            ) => {
                let count = whole(1)?;
                if count > window {
                    return Err(Error::invalid(
                        &arg,
                        value,
                        format!("at most the window ({window})"),
                    ));
                }
                Pattern::OutOf {
                    count,
                    window,
                    sigmas: s,
                }
            }
            (
                Pattern::OutOf {
                    count, sigmas: s, ..
                },
                "window",
            ) => {
                let window = whole(count.max(1))?;
                Pattern::OutOf {
                    count,
                    window,
                    sigmas: s,
                }
            }
            (Pattern::OutOf { count, window, .. }, _) => Pattern::OutOf {
                count,
                window,
                sigmas: sigmas()?,
            },
        };
        Ok(self)
    }

    /// The number of points (the current one included) the rule looks at.
    pub fn lookback(&self) -> usize {
        match self.pattern {
            Pattern::Beyond { .. } => 1,
            Pattern::SameSide { count }
            | Pattern::Trend { count }
            | Pattern::Alternating { count }
            | Pattern::Within { count, .. }
            | Pattern::Outside { count, .. } => count,
            Pattern::OutOf { window, .. } => window,
        }
    }

    /// A short description, e.g. "2 of 3 beyond 2 sigma, same side".
    pub fn describe(&self) -> String {
        match self.pattern {
            Pattern::Beyond { sigmas: None } => "beyond the control limits".into(),
            Pattern::Beyond { sigmas: Some(s) } => format!("beyond {s} sigma"),
            Pattern::SameSide { count } => format!("{count} in a row on one side"),
            Pattern::Trend { count } => format!("{count} in a row increasing or decreasing"),
            Pattern::Alternating { count } => format!("{count} in a row alternating"),
            Pattern::OutOf {
                count,
                window,
                sigmas,
            } => format!("{count} of {window} beyond {sigmas} sigma, same side"),
            Pattern::Within { count, sigmas } => format!("{count} in a row within {sigmas} sigma"),
            Pattern::Outside { count, sigmas } => {
                format!("{count} in a row beyond {sigmas} sigma, both sides")
            }
        }
    }
}

/// One item of a user's rule list: a set, a number and threshold overrides.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleItem {
    /// Name of the rule set (`"we"`, `"nelson"`).
    pub set: String,
    /// The rule's number in the set.
    pub number: i64,
    /// Thresholds to change, by name (see [`Rule::with`]).
    pub thresholds: Vec<(String, f64)>,
}

/// The forms of a `rules=` argument.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum RulesArg {
    /// Not given: rule 1 alone (one point beyond the control limits).
    #[default]
    Default,
    /// A whole set by name: `"we"` or `"nelson"`.
    Named(String),
    /// A list of rules.
    Items(Vec<RuleItem>),
}

impl RulesArg {
    /// The rules this argument stands for. Duplicates are kept once.
    ///
    /// # Examples
    /// ```
    /// use qualstat::control::rules::{RulesArg, RuleItem};
    /// assert_eq!(RulesArg::Named("Nelson".into()).resolve().unwrap().len(), 8);
    /// let one = RulesArg::Items(vec![RuleItem { set: "we".into(), number: 4,
    ///     thresholds: vec![("count".into(), 7.0)] }]).resolve().unwrap();
    /// assert_eq!(one[0].lookback(), 7);
    /// ```
    ///
    /// # Errors
    /// Unknown set names, rule numbers or thresholds, out-of-range thresholds,
    /// an empty list.
    pub fn resolve(&self) -> Result<Vec<Rule>> {
        match self {
            RulesArg::Default => Ok(vec![Rule::standard(RuleSet::WesternElectric, 1)?]),
            RulesArg::Named(name) => Ok(name.parse::<RuleSet>()?.rules()),
            RulesArg::Items(items) => {
                if items.is_empty() {
                    return Err(Error::invalid(
                        "rules",
                        "[]",
                        "\"we\", \"nelson\" or a non-empty list of (set, number) pairs",
                    ));
                }
                let mut out: Vec<Rule> = Vec::with_capacity(items.len());
                for item in items {
                    let mut rule = Rule::standard(item.set.parse()?, item.number)?;
                    for (name, value) in &item.thresholds {
                        rule = rule.with(name, *value)?;
                    }
                    if !out.contains(&rule) {
                        out.push(rule);
                    }
                }
                Ok(out)
            }
        }
    }
}

/// The points of a chart and their zones: the centre line, the standard
/// error of the plotted statistic and the control limits at every point
/// (or one value for all points: a slice of length 1), and the range the
/// statistic can take (zone boundaries are clipped to it).
#[derive(Debug, Clone, Copy)]
pub struct Zones<'a> {
    /// The plotted statistic.
    pub value: &'a [f64],
    /// Centre line at each point.
    pub center: &'a [f64],
    /// Standard error of the plotted statistic at each point (> 0).
    pub sigma: &'a [f64],
    /// Lower control limit at each point.
    pub lcl: &'a [f64],
    /// Upper control limit at each point.
    pub ucl: &'a [f64],
    /// Smallest value the statistic can take (`-inf` if none).
    pub floor: f64,
    /// Largest value the statistic can take (`inf` if none).
    pub ceiling: f64,
}

/// `s[i]`, or `s[0]` for a constant given once.
#[inline]
fn at(s: &[f64], i: usize) -> f64 {
    if s.len() == 1 {
        s[0]
    } else {
        s[i]
    }
}

/// Side of point `i` relative to the boundary `sigmas` standard errors from
/// the centre line (clipped to the statistic's range), or relative to the
/// control limits (`None`): +1 above, -1 below, 0 between (inclusive).
#[inline]
fn side(z: &Zones<'_>, i: usize, sigmas: Option<f64>) -> i8 {
    let v = z.value[i];
    let (lo, hi) = match sigmas {
        None => (at(z.lcl, i), at(z.ucl, i)),
        Some(k) => {
            let (c, s) = (at(z.center, i), at(z.sigma, i));
            ((c - k * s).max(z.floor), (c + k * s).min(z.ceiling))
        }
    };
    i8::from(v > hi) - i8::from(v < lo)
}

#[inline]
fn sign(x: f64) -> i8 {
    i8::from(x > 0.0) - i8::from(x < 0.0)
}

/// A set of the points of a chunk: bit `j % 64` of word `j / 64` is the
/// chunk's point `j`.
type Bits = Vec<u64>;

/// The points (local indices `0..len`) where `side` is positive and where
/// it is negative, as two bit sets.
fn pack(len: usize, side: impl Fn(usize) -> i8) -> [Bits; 2] {
    let words = len.div_ceil(64);
    let (mut up, mut down) = (vec![0u64; words], vec![0u64; words]);
    for (w, (u, d)) in up.iter_mut().zip(down.iter_mut()).enumerate() {
        // Built in registers, stored once per word.
        let first = 64 * w;
        let (mut above, mut below) = (0u64, 0u64);
        for bit in 0..(len - first).min(64) {
            let s = side(first + bit);
            above |= u64::from(s > 0) << bit;
            below |= u64::from(s < 0) << bit;
        }
        (*u, *d) = (above, below);
    }
    [up, down]
}

/// Replaces every bit `j` of `x` by `op(x[j], x[j - k])` (a bit before the
/// first point is 0), word by word from the last (each word reads only
/// words not yet replaced).
fn with_shifted(x: &mut [u64], k: usize, op: impl Fn(u64, u64) -> u64) {
    let (words, bits) = (k / 64, k % 64);
    for i in (0..x.len()).rev() {
        let word = |back: usize| i.checked_sub(back).and_then(|s| x.get(s)).map_or(0, |w| *w);
        let (near, far) = (word(words), word(words + 1));
        let shifted = if bits == 0 {
            near
        } else {
            (near << bits) | (far >> (64 - bits))
        };
        if let Some(w) = x.get_mut(i) {
            *w = op(*w, shifted);
        }
    }
}

/// Bit `j` set when `op` (AND: all, OR: any) holds over the bits of `x` at
/// `j - count + 1 ..= j` (points before the first count as 0), by doubling
/// the span covered: O(len/64 · log count).
fn over_last(x: &[u64], count: usize, op: fn(u64, u64) -> u64) -> Bits {
    let mut out = x.to_vec();
    let mut span = 1;
    while span < count {
        let step = span.min(count - span);
        with_shifted(&mut out, step, op);
        span += step;
    }
    out
}

/// Points ending a run of at least `count` set bits of `x` (every point
/// when `count` is 0).
fn runs_of(x: &[u64], count: usize) -> Bits {
    if count == 0 {
        return vec![u64::MAX; x.len()];
    }
    over_last(x, count, |a, b| a & b)
}

/// Number of set bits of `x` at the points `from..=to`.
fn count_between(x: &[u64], from: usize, to: usize) -> u32 {
    let (first, last) = (from / 64, to / 64);
    let mut total = 0;
    for (w, &word) in x.iter().enumerate().take(last + 1).skip(first) {
        let low = if w == first { from % 64 } else { 0 };
        let high = if w == last { to % 64 } else { 63 };
        let mask = (u64::MAX >> (63 - high)) & (u64::MAX << low);
        total += (word & mask).count_ones();
    }
    total
}

/// The classification of the points `from..end` every rule reads, as bit
/// sets: above and below the centre line, up and down from the previous
/// point (neither for the first point of the series), and above and below
/// each distinct boundary. 64 points per word: the rules combine whole
/// words (runs by shifted ANDs) instead of stepping point by point.
struct Classes {
    center: [Bits; 2],
    diff: [Bits; 2],
    bounds: Vec<(Option<f64>, [Bits; 2])>,
}

impl Classes {
    fn new(rules: &[Rule], z: &Zones<'_>, from: usize, end: usize) -> Classes {
        let needs = |f: fn(&Pattern) -> bool| rules.iter().any(|r| f(&r.pattern));
        let values = &z.value[from..end];
        let len = values.len();
        // Constant zones (one value for all points): fixed thresholds.
        let constant = [z.center, z.sigma, z.lcl, z.ucl]
            .iter()
            .all(|s| s.len() == 1);
        let mut bounds: Vec<(Option<f64>, [Bits; 2])> = Vec::new();
        for r in rules {
            if let Some(k) = r.boundary() {
                if !bounds.iter().any(|(b, _)| *b == k) {
                    let sides = if constant {
                        let (lo, hi) = match k {
                            None => (z.lcl[0], z.ucl[0]),
                            Some(k) => (
                                (z.center[0] - k * z.sigma[0]).max(z.floor),
                                (z.center[0] + k * z.sigma[0]).min(z.ceiling),
                            ),
                        };
                        pack(len, |j| i8::from(values[j] > hi) - i8::from(values[j] < lo))
                    } else {
                        pack(len, |j| side(z, from + j, k))
                    };
                    bounds.push((k, sides));
                }
            }
        }
        let center = if !needs(|p| matches!(p, Pattern::SameSide { .. })) {
            [Vec::new(), Vec::new()]
        } else {
            pack(len, |j| sign(values[j] - at(z.center, from + j)))
        };
        let diff = if needs(|p| matches!(p, Pattern::Trend { .. } | Pattern::Alternating { .. })) {
            // The first point of the series has no difference (0 breaks runs).
            let before = from
                .checked_sub(1)
                .map_or(values.first(), |i| z.value.get(i))
                .map_or(0.0, |v| *v);
            pack(len, |j| {
                let previous = j.checked_sub(1).map_or(before, |i| values[i]);
                sign(values[j] - previous)
            })
        } else {
            [Vec::new(), Vec::new()]
        };
        Classes {
            center,
            diff,
            bounds,
        }
    }

    /// Above and below the boundary `k` (empty sets if not classified).
    fn sides(&self, k: Option<f64>) -> (&[u64], &[u64]) {
        self.bounds
            .iter()
            .find(|(b, _)| *b == k)
            .map_or((&[], &[]), |(_, [up, down])| {
                (up.as_slice(), down.as_slice())
            })
    }
}

impl Rule {
    /// The zone boundary the rule reads, if any (`Some(None)`: the control limits).
    fn boundary(&self) -> Option<Option<f64>> {
        match self.pattern {
            Pattern::Beyond { sigmas } => Some(sigmas),
            Pattern::OutOf { sigmas, .. }
            | Pattern::Within { sigmas, .. }
            | Pattern::Outside { sigmas, .. } => Some(Some(sigmas)),
            _ => None,
        }
    }
}

/// Word-wise `f` of two bit sets of one length.
fn zip_with(a: &[u64], b: &[u64], f: impl Fn(u64, u64) -> u64) -> Bits {
    a.iter().zip(b).map(|(&x, &y)| f(x, y)).collect()
}

/// Points ending a run of at least `count` equal nonzero signs (`up`, `down`).
fn same_sign_runs([up, down]: &[Bits; 2], count: usize) -> Bits {
    zip_with(&runs_of(up, count), &runs_of(down, count), |a, b| a | b)
}

/// The points where `rule` signals, as local indices of the classified points.
fn hits(rule: &Rule, classes: &Classes) -> Bits {
    match rule.pattern {
        Pattern::Beyond { sigmas } => {
            let (up, down) = classes.sides(sigmas);
            zip_with(up, down, |a, b| a | b)
        }
        Pattern::SameSide { count } => same_sign_runs(&classes.center, count),
        // A run of `count` points rising (falling) is `count - 1` rises (falls).
        Pattern::Trend { count } => same_sign_runs(&classes.diff, count.saturating_sub(1)),
        Pattern::Alternating { count } => {
            // A change that reverses the previous one; `count` points
            // alternating: a change, then `count - 2` reversals in a row.
            let [up, down] = &classes.diff;
            let (mut up_before, mut down_before) = (up.clone(), down.clone());
            with_shifted(&mut up_before, 1, |_, b| b);
            with_shifted(&mut down_before, 1, |_, b| b);
            let reversal: Bits = (0..up.len())
                .map(|w| (up[w] & down_before[w]) | (down[w] & up_before[w]))
                .collect();
            let changed = zip_with(up, down, |a, b| a | b);
            match count.checked_sub(2) {
                None => vec![u64::MAX; up.len()],
                Some(0) => changed,
                Some(m) => zip_with(&changed, &runs_of(&reversal, m), |a, b| a & b),
            }
        }
        Pattern::OutOf {
            count,
            window,
            sigmas,
        } => {
            // A point beyond on one side with at least `count` of the last
            // `window` points (itself included) beyond on that side.
            let (up, down) = classes.sides(Some(sigmas));
            let mut out = vec![0u64; up.len()];
            for side in [up, down] {
                for (w, &word) in side.iter().enumerate() {
                    let mut rest = word;
                    while rest != 0 {
                        let j = 64 * w + rest.trailing_zeros() as usize;
                        rest &= rest - 1;
                        let from = (j + 1).saturating_sub(window);
                        if window > 0 && count_between(side, from, j) as usize >= count {
                            if let Some(o) = out.get_mut(w) {
                                *o |= 1 << (j % 64);
                            }
                        }
                    }
                }
            }
            out
        }
        Pattern::Within { count, sigmas } => {
            let (up, down) = classes.sides(Some(sigmas));
            runs_of(&zip_with(up, down, |a, b| !(a | b)), count)
        }
        Pattern::Outside { count, sigmas } => {
            // `count` in a row beyond, at least one of them above and one below.
            let (up, down) = classes.sides(Some(sigmas));
            if count == 0 {
                return vec![0; up.len()];
            }
            let beyond = runs_of(&zip_with(up, down, |a, b| a | b), count);
            let any_up = over_last(up, count, |a, b| a | b);
            let any_down = over_last(down, count, |a, b| a | b);
            (0..beyond.len())
                .map(|w| beyond[w] & any_up[w] & any_down[w])
                .collect()
        }
    }
}

/// Sets `bit` in `flags[j - skip]` for every local point `j >= skip` where
/// `rule` signals, reading the classes of the points from `skip` points
/// before the chunk (at least the rule's lookback, or the series start).
fn scan(rule: &Rule, classes: &Classes, skip: usize, bit: u32, flags: &mut [u32]) {
    for (w, &word) in hits(rule, classes).iter().enumerate() {
        let mut rest = word;
        while rest != 0 {
            let j = 64 * w + rest.trailing_zeros() as usize;
            rest &= rest - 1;
            if let Some(f) = j.checked_sub(skip).and_then(|k| flags.get_mut(k)) {
                *f |= bit;
            }
        }
    }
}

/// Flags of `rules` at the points `start..start + flags.len()`.
fn scan_chunk(rules: &[Rule], z: &Zones<'_>, start: usize, flags: &mut [u32]) {
    let lookback = rules.iter().map(Rule::lookback).max().unwrap_or(1);
    let from = start.saturating_sub(lookback - 1);
    let classes = Classes::new(rules, z, from, start + flags.len());
    for (j, rule) in rules.iter().enumerate() {
        scan(rule, &classes, start - from, 1 << j, flags);
    }
}

fn check_zones(z: &Zones<'_>) -> Result<()> {
    let n = z.value.len();
    for (name, v) in [
        ("center", z.center),
        ("sigma", z.sigma),
        ("lcl", z.lcl),
        ("ucl", z.ucl),
    ] {
        if v.len() != 1 {
            check_same_len(name, v.len(), "values", n)?;
        }
    }
    let bad = |name: &str, v: &[f64], ok: fn(f64) -> bool, expected: &str| match v
        .iter()
        .position(|&x| !ok(x))
    {
        Some(i) => Err(Error::invalid(format!("{name}[{i}]"), v[i], expected)),
        None => Ok(()),
    };
    bad("values", z.value, f64::is_finite, "a finite number")?;
    bad("center", z.center, f64::is_finite, "a finite number")?;
    bad(
        "sigma",
        z.sigma,
        |s| s.is_finite() && s >= 0.0,
        "a finite number >= 0",
    )?;
    bad("lcl", z.lcl, |x| !x.is_nan(), "a number")?;
    bad("ucl", z.ucl, |x| !x.is_nan(), "a number")?;
    if z.floor.is_nan() || z.ceiling.is_nan() || z.floor > z.ceiling {
        return Err(Error::invalid(
            "floor",
            z.floor,
            "a number not above the ceiling",
        ));
    }
    Ok(())
}

/// Points per parallel chunk of [`evaluate`].
const CHUNK: usize = 1 << 12;

/// Evaluates `rules` (at most 32) on the points of `zones`: bit `j` of
/// `result[i]` is set when `rules[j]` signals at point `i`. Chunks of the
/// series run in parallel on qualstat's pool.
///
/// # Examples
/// ```
/// use qualstat::control::rules::{evaluate, RuleSet, Zones};
/// let v = [0.0, 3.5, 0.0];
/// let (c, s) = ([0.0; 3], [1.0; 3]);
/// let (lcl, ucl) = ([-3.0; 3], [3.0; 3]);
/// let z = Zones { value: &v, center: &c, sigma: &s, lcl: &lcl, ucl: &ucl,
///                 floor: f64::NEG_INFINITY, ceiling: f64::INFINITY };
/// assert_eq!(evaluate(&RuleSet::Nelson.rules(), &z).unwrap(), vec![0, 1, 0]);
/// ```
///
/// # Errors
/// More than 32 rules, mismatched lengths, non-finite values, centres or
/// standard errors, negative standard errors, NaN limits.
pub fn evaluate(rules: &[Rule], zones: &Zones<'_>) -> Result<Vec<u32>> {
    if rules.len() > 32 {
        return Err(Error::invalid("rules", rules.len(), "at most 32 rules"));
    }
    check_zones(zones)?;
    let n = zones.value.len();
    let mut flags = vec![0u32; n];
    crate::parallel::install(|| {
        flags
            .par_chunks_mut(CHUNK)
            .enumerate()
            .for_each(|(c, chunk)| scan_chunk(rules, zones, c * CHUNK, chunk));
    });
    Ok(flags)
}

/// The index into `rules` of the rule reported for a point with flags
/// `mask`: the lowest rule number, then the earliest in `rules`.
pub fn reported(rules: &[Rule], mask: u32) -> Option<usize> {
    (0..rules.len())
        .filter(|&j| mask & (1 << j) != 0)
        .min_by_key(|&j| (rules[j].number, j))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags(rule: Rule, v: &[f64]) -> Vec<usize> {
        let n = v.len();
        let (c, s, lo, hi) = (vec![0.0; n], vec![1.0; n], vec![-3.0; n], vec![3.0; n]);
        let z = Zones {
            value: v,
            center: &c,
            sigma: &s,
            lcl: &lo,
            ucl: &hi,
            floor: f64::NEG_INFINITY,
            ceiling: f64::INFINITY,
        };
        let f = evaluate(&[rule], &z).unwrap();
        (0..n).filter(|&i| f[i] != 0).collect()
    }

    fn nelson(k: i64) -> Rule {
        Rule::standard(RuleSet::Nelson, k).unwrap()
    }

    #[test]
    fn beyond_is_strict() {
        assert_eq!(flags(nelson(1), &[3.0, -3.0, 3.01, -3.01]), vec![2, 3]);
    }

    #[test]
    fn same_side_run_and_ties() {
        let mut v = vec![1.0; 9];
        assert_eq!(flags(nelson(2), &v), vec![8]);
        v.push(0.5);
        assert_eq!(flags(nelson(2), &v), vec![8, 9]);
        v[4] = 0.0; // on the centre line: breaks the run
        assert!(flags(nelson(2), &v).is_empty());
        let we4 = Rule::standard(RuleSet::WesternElectric, 4).unwrap();
        assert_eq!(flags(we4, &[-1.0; 8]), vec![7]);
    }

    #[test]
    fn trend_counts_points_and_ties_break() {
        let v = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5];
        assert_eq!(flags(nelson(3), &v), vec![5]);
        assert!(flags(nelson(3), &v[..5]).is_empty());
        let tie = [0.0, 0.1, 0.2, 0.2, 0.3, 0.4, 0.5];
        assert!(flags(nelson(3), &tie).is_empty());
    }

    #[test]
    fn alternating_fourteen_points() {
        let v: Vec<f64> = (0..14)
            .map(|i| if i % 2 == 0 { 0.1 } else { -0.1 })
            .collect();
        assert_eq!(flags(nelson(4), &v), vec![13]);
        assert!(flags(nelson(4), &v[..13]).is_empty());
    }

    #[test]
    fn two_of_three_odd_point_anywhere_and_beyond_three_counts() {
        assert_eq!(flags(nelson(5), &[2.5, -2.9, 3.5]), vec![2]);
        // Current point not beyond: no flag at it.
        assert_eq!(flags(nelson(5), &[2.5, 2.5, 0.0]), vec![1]);
        // Opposite sides do not count together.
        assert!(flags(nelson(5), &[2.5, -2.5, 0.0]).is_empty());
    }

    #[test]
    fn within_inclusive_and_outside_both_sides() {
        assert_eq!(flags(nelson(7), &[1.0; 15]), vec![14]);
        assert!(flags(nelson(7), &[1.01; 15]).is_empty());
        assert!(flags(nelson(8), &[1.5; 8]).is_empty());
        let v = [1.5, -1.5, 1.5, -1.5, 1.5, -1.5, 1.5, -1.5, 1.5];
        assert_eq!(flags(nelson(8), &v), vec![7, 8]);
    }

    #[test]
    fn chunks_agree_with_one_scan() {
        let n = 3 * CHUNK + 17;
        let v: Vec<f64> = (0..n)
            .map(|i| (i as f64 * 0.7).sin() * 2.2 + ((i / 40) % 3) as f64 * 0.8)
            .collect();
        let rules = RuleSet::Nelson.rules();
        let (c, s, lo, hi) = (vec![0.0; n], vec![1.0; n], vec![-3.0; n], vec![3.0; n]);
        let z = Zones {
            value: &v,
            center: &c,
            sigma: &s,
            lcl: &lo,
            ucl: &hi,
            floor: f64::NEG_INFINITY,
            ceiling: f64::INFINITY,
        };
        let par = evaluate(&rules, &z).unwrap();
        let mut one = vec![0u32; n];
        scan_chunk(&rules, &z, 0, &mut one);
        assert_eq!(par, one);
        let constant = Zones {
            center: &[0.0],
            sigma: &[1.0],
            lcl: &[-3.0],
            ucl: &[3.0],
            ..z
        };
        assert_eq!(evaluate(&rules, &constant).unwrap(), par);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]
        /// Chunked parallel evaluation equals one scan of the whole series, for
        /// series crossing chunk boundaries, with step zones.
        #[test]
        fn chunking_never_changes_flags(
            codes in proptest::collection::vec(0u8..9, 1..(2 * CHUNK + 50)),
            wide in proptest::collection::vec(proptest::bool::ANY, 1..64),
        ) {
            let n = codes.len();
            let v: Vec<f64> = codes.iter().map(|&c| f64::from(c) * 0.8 - 3.2).collect();
            let s: Vec<f64> = (0..n).map(|i| if wide[i % wide.len()] { 1.2 } else { 1.0 }).collect();
            let c = vec![0.0; n];
            let lo: Vec<f64> = s.iter().map(|s| -3.0 * s).collect();
            let hi: Vec<f64> = s.iter().map(|s| 3.0 * s).collect();
            let z = Zones { value: &v, center: &c, sigma: &s, lcl: &lo, ucl: &hi,
                            floor: f64::NEG_INFINITY, ceiling: f64::INFINITY };
            let mut rules = RuleSet::Nelson.rules();
            rules.extend(RuleSet::WesternElectric.rules());
            let mut one = vec![0u32; n];
            scan_chunk(&rules, &z, 0, &mut one);
            proptest::prop_assert_eq!(evaluate(&rules, &z).unwrap(), one);
        }
    }

    /// Point `i` by the definitions of `reference/spc_notes.md` §4, one
    /// point at a time over the whole history (centre 0, sigma 1, limits
    /// ±3): the reference of the word-parallel engine.
    fn naive(rule: &Rule, v: &[f64], i: usize) -> bool {
        let side = |j: usize, k: f64| i8::from(v[j] > k) - i8::from(v[j] < -k);
        let diff = |j: usize| if j == 0 { 0 } else { sign(v[j] - v[j - 1]) };
        let last = |count: usize| (i + 1 >= count).then(|| i + 1 - count..=i);
        match rule.pattern {
            Pattern::Beyond { sigmas } => side(i, sigmas.unwrap_or(3.0)) != 0,
            Pattern::SameSide { count } => last(count).is_some_and(|mut w| {
                let first = sign(v[i]);
                first != 0 && w.all(|j| sign(v[j]) == first)
            }),
            Pattern::Trend { count } => last(count - 1).is_some_and(|mut w| {
                let first = diff(i);
                first != 0 && w.all(|j| diff(j) == first)
            }),
            Pattern::Alternating { count } => last(count - 1).is_some_and(|w| {
                w.clone().all(|j| diff(j) != 0) && w.skip(1).all(|j| diff(j) == -diff(j - 1))
            }),
            Pattern::OutOf {
                count,
                window,
                sigmas,
            } => {
                let me = side(i, sigmas);
                let from = (i + 1).saturating_sub(window);
                me != 0 && (from..=i).filter(|&j| side(j, sigmas) == me).count() >= count
            }
            Pattern::Within { count, sigmas } => {
                last(count).is_some_and(|mut w| w.all(|j| side(j, sigmas) == 0))
            }
            Pattern::Outside { count, sigmas } => last(count).is_some_and(|w| {
                let sides: Vec<i8> = w.map(|j| side(j, sigmas)).collect();
                sides.iter().all(|&s| s != 0) && sides.contains(&1) && sides.contains(&-1)
            }),
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(32))]
        /// Every rule, with counts and windows also beyond one 64-point word,
        /// flags exactly the points the one-point-at-a-time definitions flag.
        #[test]
        fn engine_matches_the_definitions_point_by_point(
            codes in proptest::collection::vec(0u8..9, 1..700),
            edits in proptest::collection::vec((2usize..140, 0usize..140, 1usize..4), 12),
        ) {
            let v: Vec<f64> = codes.iter().map(|&c| f64::from(c) * 0.8 - 3.2).collect();
            let mut rules = RuleSet::Nelson.rules();
            rules.extend(RuleSet::WesternElectric.rules());
            let edited: Vec<Rule> = rules
                .iter()
                .zip(&edits)
                .filter_map(|(r, &(count, extra, sigmas))| {
                    let r = match r.pattern {
                        Pattern::Beyond { .. } => (*r).with("sigmas", sigmas as f64 * 0.9),
                        Pattern::OutOf { .. } => (*r)
                            .with("window", (count + extra) as f64)
                            .and_then(|r| r.with("count", count as f64)),
                        Pattern::Alternating { .. } => (*r).with("count", (count + 1) as f64),
                        _ => (*r).with("count", count as f64),
                    };
                    r.ok()
                })
                .collect();
            rules.extend(edited);
            let z = Zones { value: &v, center: &[0.0], sigma: &[1.0], lcl: &[-3.0], ucl: &[3.0],
                            floor: f64::NEG_INFINITY, ceiling: f64::INFINITY };
            let flags = evaluate(&rules, &z).unwrap();
            for (b, rule) in rules.iter().enumerate() {
                for (i, f) in flags.iter().enumerate() {
                    proptest::prop_assert_eq!(
                        f >> b & 1 == 1, naive(rule, &v, i), "{:?} at {}", rule.pattern, i
                    );
                }
            }
        }
    }

    #[test]
    fn parse_forms_and_errors() {
        assert_eq!(RulesArg::Default.resolve().unwrap().len(), 1);
        assert_eq!(RulesArg::Named("WE".into()).resolve().unwrap().len(), 4);
        assert!(RulesArg::Named("westgard".into()).resolve().is_err());
        let item = |set: &str, number, t: Vec<(String, f64)>| RuleItem {
            set: set.into(),
            number,
            thresholds: t,
        };
        assert!(RulesArg::Items(vec![item("we", 5, vec![])])
            .resolve()
            .is_err());
        assert!(RulesArg::Items(vec![]).resolve().is_err());
        let bad = vec![("count".to_string(), 1.5)];
        assert!(RulesArg::Items(vec![item("nelson", 2, bad)])
            .resolve()
            .is_err());
        let unknown = vec![("window".to_string(), 3.0)];
        assert!(RulesArg::Items(vec![item("nelson", 2, unknown)])
            .resolve()
            .is_err());
        let r = RulesArg::Items(vec![item("nelson", 5, vec![("window".into(), 4.0)])])
            .resolve()
            .unwrap();
        assert_eq!(r[0].lookback(), 4);
    }

    #[test]
    fn lowest_number_reported() {
        let rules = [
            nelson(5),
            nelson(1),
            Rule::standard(RuleSet::WesternElectric, 1).unwrap(),
        ];
        assert_eq!(reported(&rules, 0b111), Some(1));
        assert_eq!(reported(&rules, 0b101), Some(2));
        assert_eq!(reported(&rules, 0), None);
    }
}
