//! Shewhart charts with runs rules: the exact run length by a Markov chain
//! over the non-signalling histories (Champ & Woodall 1987,
//! `reference/spc_notes.md` §5).
//!
//! The plotted statistic is z ~ N(δ√n, 1) in sigma units of the statistic
//! (δ in process sigma units, n the subgroup size). The rules are those of
//! the charts (`control::rules`, the same definitions and thresholds); each
//! is compiled into a zone rule; the boundaries of all rules cut the line into zones,
//! and a point's zone is all any rule sees. The chain's state is what the
//! rules remember: per "m of n beyond a" rule the last n − 1 points beyond
//! +a and beyond −a (two bit masks), per run rule its current run. States are
//! generated from the empty history by following every zone; a transition
//! either signals or leads to a state. The automaton is then minimised
//! (Moore's partition refinement: two states are merged when every zone
//! leads them to merged states or to a signal), which does not change any
//! run-length probability, and the chain
//! Q(i, j) = Σ P(zone) over the zones leading from i to j is solved as in
//! `chain.rs`.
//!
//! Trend and alternating rules (Nelson 3 and 4) depend on the order of the
//! values, not on their zones; they are refused (a clear error), not
//! approximated.

use super::chain::{in_state, Chain};
use super::{RunLength, State};
use crate::control::rules::{Pattern, Rule};
use crate::error::{Error, Result};
use crate::numerics::normal;
use std::collections::HashMap;

/// A zone rule as the chain reads it: a [`Pattern`] with rule 1's limit
/// resolved (`Beyond { sigmas: None }` is beyond ±L).
#[derive(Debug, Clone, Copy, PartialEq)]
enum ZoneRule {
    Beyond { limit: f64 },
    OutOf { m: usize, n: usize, limit: f64 },
    SameSide { k: usize },
    Within { k: usize, limit: f64 },
    Outside { k: usize, limit: f64 },
}

/// Largest window or run length accepted (the chain's memory).
pub const MAX_RUN: usize = 30;

impl ZoneRule {
    /// The zone form of `p` with control limits at ±`limit`.
    fn from_pattern(p: &Pattern, limit: f64) -> Result<ZoneRule> {
        let bad = |what: &str| Error::invalid("rules", format!("{p:?}"), what.to_string());
        let sigma_ok = |a: f64| a.is_finite() && a > 0.0;
        let run_ok = |k: usize| (1..=MAX_RUN).contains(&k);
        let range = "thresholds > 0 and counts from 1 to 30";
        let rule = match *p {
            Pattern::Beyond { sigmas } => ZoneRule::Beyond {
                limit: sigmas.unwrap_or(limit),
            },
            Pattern::OutOf {
                count,
                window,
                sigmas,
            } => {
                if count > window {
                    return Err(bad("count <= window"));
                }
                ZoneRule::OutOf {
                    m: count,
                    n: window,
                    limit: sigmas,
                }
            }
            Pattern::SameSide { count } => ZoneRule::SameSide { k: count },
            Pattern::Within { count, sigmas } => ZoneRule::Within {
                k: count,
                limit: sigmas,
            },
            Pattern::Outside { count, sigmas } => ZoneRule::Outside {
                k: count,
                limit: sigmas,
            },
            Pattern::Trend { .. } | Pattern::Alternating { .. } => {
                return Err(Error::NotAvailable(
                    "the ARL of trend and alternating rules (Nelson 3 and 4) is not computed: \
                     they depend on the order of the values, not on their zones; \
                     leave them out of rules= (e.g. [(\"nelson\", 1), (\"nelson\", 2), \
                     (\"nelson\", 5), (\"nelson\", 6), (\"nelson\", 7), (\"nelson\", 8)])"
                        .into(),
                ))
            }
        };
        let ok = match rule {
            ZoneRule::Beyond { limit } => sigma_ok(limit),
            ZoneRule::OutOf { m, n, limit } => sigma_ok(limit) && m >= 1 && run_ok(n),
            ZoneRule::SameSide { k } => run_ok(k),
            ZoneRule::Within { k, limit } | ZoneRule::Outside { k, limit } => {
                sigma_ok(limit) && run_ok(k)
            }
        };
        if ok {
            Ok(rule)
        } else {
            Err(bad(range))
        }
    }
}

/// How many history slots (u32 words) a rule keeps in a state.
fn slots(rule: &ZoneRule) -> usize {
    match rule {
        ZoneRule::Beyond { .. } => 0,
        ZoneRule::OutOf { .. } | ZoneRule::Outside { .. } => 2,
        _ => 1,
    }
}

/// The compiled automaton: transitions per state and zone (`None` = signal).
#[derive(Debug, Clone)]
struct Automaton {
    /// Zone boundaries, increasing (the zones are the gaps between them and
    /// the two outer half-lines).
    bounds: Vec<f64>,
    /// `next[state * zones + zone]`.
    next: Vec<Option<usize>>,
    states: usize,
}

/// The largest number of raw states explored before giving up.
const MAX_STATES: usize = 400_000;

impl Automaton {
    fn build(rules: &[ZoneRule]) -> Result<Automaton> {
        let mut bounds: Vec<f64> = Vec::new();
        for r in rules {
            match *r {
                ZoneRule::Beyond { limit }
                | ZoneRule::OutOf { limit, .. }
                | ZoneRule::Within { limit, .. }
                | ZoneRule::Outside { limit, .. } => bounds.extend([-limit, limit]),
                ZoneRule::SameSide { .. } => bounds.push(0.0),
            }
        }
        bounds.sort_by(f64::total_cmp);
        bounds.dedup();
        let zones = bounds.len() + 1;
        // A representative point of each zone decides every rule's reaction.
        let mid: Vec<f64> = (0..zones)
            .map(
                |z| match (z.checked_sub(1).map(|i| bounds[i]), bounds.get(z)) {
                    (None, Some(b)) => b - 1.0,
                    (Some(a), None) => a + 1.0,
                    (Some(a), Some(b)) => 0.5 * (a + b),
                    (None, None) => 0.0,
                },
            )
            .collect();
        let width: usize = rules.iter().map(slots).sum();
        let mut index: HashMap<Vec<u32>, usize> = HashMap::new();
        let mut keys: Vec<Vec<u32>> = vec![vec![0; width]];
        index.insert(keys[0].clone(), 0);
        let mut next: Vec<Option<usize>> = Vec::new();
        let mut i = 0;
        while i < keys.len() {
            for &x in &mid {
                let t = step(rules, &keys[i], x).map(|key| {
                    let len = keys.len();
                    *index.entry(key.clone()).or_insert_with(|| {
                        keys.push(key);
                        len
                    })
                });
                next.push(t);
            }
            if keys.len() > MAX_STATES {
                return Err(Error::NotAvailable(
                    "these rules need too many chain states (more than 400000); use shorter runs"
                        .into(),
                ));
            }
            i += 1;
        }
        let auto = Automaton {
            bounds,
            next,
            states: keys.len(),
        };
        Ok(auto.minimised())
    }

    /// Moore's partition refinement: the coarsest partition in which states
    /// of one block go, zone by zone, to one block or all signal.
    fn minimised(self) -> Automaton {
        let zones = self.bounds.len() + 1;
        let n = self.states;
        let mut block = vec![0usize; n];
        let mut count = 1;
        loop {
            let mut sig: HashMap<Vec<usize>, usize> = HashMap::new();
            let mut new_block = vec![0usize; n];
            for s in 0..n {
                let mut key = Vec::with_capacity(zones + 1);
                key.push(block[s]);
                key.extend(
                    self.next[s * zones..(s + 1) * zones]
                        .iter()
                        .map(|t| t.map_or(usize::MAX, |t| block[t])),
                );
                let len = sig.len();
                new_block[s] = *sig.entry(key).or_insert(len);
            }
            let new_count = sig.len();
            block = new_block;
            if new_count == count {
                break;
            }
            count = new_count;
        }
        // Block of the start state (0) first, so it stays state 0.
        let mut order = vec![usize::MAX; count];
        let mut rep = Vec::with_capacity(count);
        let renum = |b: usize, s: usize, order: &mut Vec<usize>, rep: &mut Vec<usize>| {
            if order[b] == usize::MAX {
                order[b] = rep.len();
                rep.push(s);
            }
        };
        for (s, &b) in block.iter().enumerate() {
            renum(b, s, &mut order, &mut rep);
        }
        let mut next = Vec::with_capacity(count * zones);
        for &s in &rep {
            next.extend(
                self.next[s * zones..(s + 1) * zones]
                    .iter()
                    .map(|t| t.map(|t| order[block[t]])),
            );
        }
        Automaton {
            bounds: self.bounds,
            next,
            states: count,
        }
    }

    /// The chain at mean `mu` of the plotted statistic, started in state 0.
    fn chain(&self, mu: f64) -> Chain {
        let zones = self.bounds.len() + 1;
        let cdf: Vec<f64> = self.bounds.iter().map(|b| normal::cdf(b - mu)).collect();
        let sf: Vec<f64> = self.bounds.iter().map(|b| normal::sf(b - mu)).collect();
        // P(zone), from the nearer tail for accuracy.
        let p: Vec<f64> = (0..zones)
            .map(|z| {
                if z == 0 {
                    cdf[0]
                } else if z == zones - 1 {
                    sf[z - 1]
                } else if self.bounds[z] <= mu {
                    cdf[z] - cdf[z - 1]
                } else {
                    sf[z - 1] - sf[z]
                }
            })
            .collect();
        let n = self.states;
        let mut q = vec![0.0; n * n];
        for s in 0..n {
            for (z, t) in self.next[s * zones..(s + 1) * zones].iter().enumerate() {
                if let Some(t) = t {
                    q[s * n + t] += p[z];
                }
            }
        }
        let start = q[..n].to_vec();
        Chain { n, q, start }
    }
}

/// The state after a point at `x` (a zone's representative), or `None` when
/// a rule signals.
fn step(rules: &[ZoneRule], key: &[u32], x: f64) -> Option<Vec<u32>> {
    let mut out = Vec::with_capacity(key.len());
    let mut at = 0;
    for r in rules {
        match *r {
            ZoneRule::Beyond { limit } => {
                if x.abs() > limit {
                    return None;
                }
            }
            ZoneRule::OutOf { m, n, limit } => {
                let mask = (1u32 << (n - 1)) - 1;
                let (up, down) = (key[at], key[at + 1]);
                let (bu, bd) = (u32::from(x > limit), u32::from(x < -limit));
                if (up.count_ones() + bu) as usize >= m || (down.count_ones() + bd) as usize >= m {
                    return None;
                }
                out.push(((up << 1) | bu) & mask);
                out.push(((down << 1) | bd) & mask);
            }
            ZoneRule::SameSide { k } => {
                // The signed run, stored as its two's complement bits.
                let run = key[at] as i32;
                let run = if x > 0.0 {
                    run.max(0) + 1
                } else {
                    run.min(0) - 1
                };
                if run.unsigned_abs() as usize >= k {
                    return None;
                }
                out.push(run as u32);
            }
            ZoneRule::Within { k, limit } => {
                let run = if x.abs() <= limit { key[at] + 1 } else { 0 };
                if run as usize >= k {
                    return None;
                }
                out.push(run);
            }
            ZoneRule::Outside { k, limit } => {
                // Bits of the last k − 1 points: above +limit, below −limit.
                let mask = (1u32 << (k - 1)) - 1;
                let (up, down) = (key[at], key[at + 1]);
                let (bu, bd) = (u32::from(x > limit), u32::from(x < -limit));
                let all = (bu | bd) == 1 && (up | down) == mask;
                if all && (up | bu) != 0 && (down | bd) != 0 {
                    return None;
                }
                out.push(((up << 1) | bu) & mask);
                out.push(((down << 1) | bd) & mask);
            }
        }
        at += slots(r);
    }
    Some(out)
}

/// A compiled Shewhart chart with runs rules.
#[derive(Debug, Clone)]
pub struct Shewhart {
    auto: Automaton,
    root_n: f64,
}

impl Shewhart {
    /// Compiles `rules` with control limits at ±`limit` (rule
    /// 1's `Beyond { sigmas: None }`; the zone rules keep their own
    /// thresholds, in sigma units of the plotted statistic, as the charts
    /// do) for subgroups of `subgroup_size` (the shift is multiplied by its
    /// square root).
    ///
    /// # Errors
    /// An empty rule list; a rule out of range; trend or alternating rules;
    /// `limit` not in (0, 10]; `subgroup_size` of 0; rules whose chain would
    /// exceed 400 000 raw states.
    pub fn new(rules: &[Rule], limit: f64, subgroup_size: u64) -> Result<Shewhart> {
        if !(limit > 0.0 && limit <= 10.0) {
            return Err(Error::invalid(
                "L",
                limit,
                "a number in (0, 10] (sigma units)",
            ));
        }
        if rules.is_empty() {
            return Err(Error::invalid("rules", "[]", "at least one rule"));
        }
        if subgroup_size == 0 {
            return Err(Error::invalid("subgroup_size", 0, "a whole number >= 1"));
        }
        let zone_rules = rules
            .iter()
            .map(|r| ZoneRule::from_pattern(&r.pattern, limit))
            .collect::<Result<Vec<_>>>()?;
        Ok(Shewhart {
            auto: Automaton::build(&zone_rules)?,
            root_n: (subgroup_size as f64).sqrt(),
        })
    }

    /// Number of states of the minimised chain.
    pub fn states(&self) -> usize {
        self.auto.states
    }

    fn chain_in(&self, shift: f64, state: State) -> Result<Chain> {
        in_state(|d| self.auto.chain(d * self.root_n), shift, state)
    }

    /// The ARL at shift δ (process sigma units), zero- or steady-state.
    ///
    /// # Errors
    /// A non-finite shift.
    pub fn arl(&self, shift: f64, state: State) -> Result<f64> {
        Ok(self.chain_in(shift, state)?.arl())
    }

    /// ARL, SDRL and survival up to P(RL > t) <= `tail` (at most `t_max` points).
    ///
    /// # Errors
    /// A non-finite shift.
    pub fn run_length(
        &self,
        shift: f64,
        state: State,
        tail: f64,
        t_max: usize,
    ) -> Result<RunLength> {
        Ok(RunLength::from_chain(
            &self.chain_in(shift, state)?,
            tail,
            t_max,
        ))
    }
}

/// The ARL of a Shewhart chart with `rules` at each shift, in parallel.
///
/// # Errors
/// As [`Shewhart::new`] and [`Shewhart::arl`].
pub fn shewhart_arl(
    shifts: &[f64],
    rules: &[Rule],
    limit: f64,
    subgroup_size: u64,
    state: State,
) -> Result<Vec<f64>> {
    batch_arl(&Shewhart::new(rules, limit, subgroup_size)?, shifts, state)
}

/// The ARL of a compiled chart at each shift, in parallel.
///
/// # Errors
/// A non-finite shift (named by its index).
pub fn batch_arl(chart: &Shewhart, shifts: &[f64], state: State) -> Result<Vec<f64>> {
    super::batch(shifts, |d| chart.arl(d, state))
}
