//! Verification of a declared quality level (DQL): ISO 2859-4 / GB/T 2828.4,
//! and the small-population (hypergeometric) design of GB/T 2828.11.
//!
//! A sample of `n` items is drawn from an audit population; when the number of
//! nonconforming items `d` exceeds the *limiting number* `L` the declared
//! quality level is **contradicted**, otherwise it is **not contradicted**
//! (a sample never proves a quality level, so the vocabulary is never
//! "accept"). The plans are computed from the standard's risk criteria (the
//! printed tables were not available):
//!
//! * producer-side risk: `alpha(n, L) = P(d > L | p = DQL)` at most `alpha`
//!   (5 % by default);
//! * discrimination: the limiting quality `p_beta` where
//!   `P(d <= L | p_beta) = beta` (10 % by default), and the limiting quality
//!   ratio `LQR = p_beta / DQL`.
//!
//! For a given limiting number the plan takes the **largest** sample size
//! (from the ISO 2859-1 preferred series, or any size) whose producer-side
//! risk stays within `alpha`: the best discrimination the risk allows. This
//! reproduces the one published ISO 2859-4:2002 cell (DQL 0.65 %, n = 125,
//! L = 2); it is a plan *meeting the ISO 2859-4 risk criteria*, never "the
//! table of the standard".
//!
//! ```
//! use qualstat::dql::{design, Design};
//! let plan = design(&Design { limiting_number: Some(2), ..Design::new(0.0065) }).unwrap();
//! assert_eq!((plan.n, plan.limiting_number), (125, 2));
//! assert!(plan.alpha <= 0.05);
//! assert!(!plan.contradicted(2).unwrap() && plan.contradicted(3).unwrap());
//! ```

use crate::error::{Error, Result};
use crate::numerics::special::{beta_inc_inv, gamma_p_inv};
use crate::numerics::{binomial, hypergeometric, poisson};
use crate::options::named_options;
use crate::parallel;
use rayon::prelude::*;

named_options! {
    /// Which sample sizes the design may use.
    pub enum SampleSizes for "sample_sizes" {
        /// The ISO 2859-1 preferred sample sizes 2, 3, 5, 8, 13, 20, 32, 50,
        /// 80, 125, 200, 315, 500, 800, 1250, 2000, continued as 3150, 5000,
        /// 8000 and onwards by factors of ten.
        Preferred = "preferred",
        /// Any whole sample size of at least 1.
        Any = "any",
    }
}

named_options! {
    /// The model of the count in the sample (a population size switches to the
    /// hypergeometric model of GB/T 2828.11).
    pub enum DqlModel for "model" {
        /// Nonconforming items: d ~ Bin(n, p), the DQL a fraction in (0, 1).
        Binomial = "binomial",
        /// Nonconformities: d ~ Poisson(n·p), the DQL nonconformities per item
        /// (0.0065 is 0.65 per 100 items).
        Poisson = "poisson",
    }
}

/// The requirements of a DQL verification plan. Build with [`Design::new`]
/// and struct update syntax.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Design {
    /// The declared quality level (fraction nonconforming, or nonconformities per item).
    pub dql: f64,
    /// The limiting number `L`; `None` lets the design choose the smallest `L`
    /// meeting `lqr`.
    pub limiting_number: Option<u64>,
    /// The largest acceptable limiting quality ratio (> 1).
    pub lqr: Option<f64>,
    /// The largest producer-side risk at the DQL, in (0, 1).
    pub alpha: f64,
    /// The probability of not contradicting at the limiting quality, in (0, 1).
    pub beta: f64,
    /// Preferred or any sample sizes.
    pub sample_sizes: SampleSizes,
    /// Binomial or Poisson (ignored when `population` is given).
    pub model: DqlModel,
    /// The population size `N` (GB/T 2828.11, hypergeometric).
    pub population: Option<u64>,
}

impl Design {
    /// The defaults: alpha 0.05, beta 0.10, preferred sizes, binomial, no
    /// population, neither `limiting_number` nor `lqr` (one must be set).
    pub fn new(dql: f64) -> Self {
        Design {
            dql,
            limiting_number: None,
            lqr: None,
            alpha: 0.05,
            beta: 0.10,
            sample_sizes: SampleSizes::Preferred,
            model: DqlModel::Binomial,
            population: None,
        }
    }
}

/// A DQL verification plan with its risks.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DqlPlan {
    /// The declared quality level.
    pub dql: f64,
    /// Sample size.
    pub n: u64,
    /// Limiting number `L`: contradicted when d > L.
    pub limiting_number: u64,
    /// Producer-side risk: the probability of contradicting a correct DQL.
    pub alpha: f64,
    /// `beta` of the design: the probability of not contradicting at `lq`.
    pub beta: f64,
    /// Limiting quality: the quality not contradicted with probability `beta`.
    pub lq: f64,
    /// Limiting quality ratio `lq / dql`.
    pub lqr: f64,
    /// The model (binomial or Poisson; hypergeometric when `population` is set).
    pub model: DqlModel,
    /// The population size of a GB/T 2828.11 design.
    pub population: Option<u64>,
    /// Whether the sample is the whole population (n = N).
    pub full_inspection: bool,
}

/// The preferred sample sizes up to `cap` (inclusive), in increasing order.
pub fn preferred_sizes(cap: u64) -> Vec<u64> {
    const BASE: [u64; 16] = [
        2, 3, 5, 8, 13, 20, 32, 50, 80, 125, 200, 315, 500, 800, 1250, 2000,
    ];
    let mut out: Vec<u64> = BASE.iter().copied().filter(|&s| s <= cap).collect();
    let mut scale = 1u64;
    'outer: loop {
        for m in [315u64, 500, 800, 1250, 2000] {
            let Some(s) = m.checked_mul(10 * scale) else {
                break 'outer;
            };
            if s > cap {
                break 'outer;
            }
            out.push(s);
        }
        scale *= 10;
    }
    out
}

/// The largest sample size considered by the design.
const MAX_N: u64 = 1 << 40;

/// The declared count of a population of `population` items at quality `dql`:
/// the largest whole count not above `dql · N` (the worst conforming population).
fn declared_count(dql: f64, population: u64) -> u64 {
    let x = dql * population as f64;
    (x * (1.0 + 1e-12)).floor().min(population as f64) as u64
}

struct Risk {
    dql: f64,
    model: DqlModel,
    population: Option<u64>,
}

impl Risk {
    /// P(d > L) at the DQL for a sample of `n`.
    fn alpha(&self, n: u64, l: u64) -> f64 {
        match self.population {
            Some(pop) => hypergeometric::sf(l, pop, declared_count(self.dql, pop), n.min(pop)),
            None => match self.model {
                DqlModel::Binomial => binomial::sf(l, n, self.dql),
                DqlModel::Poisson => poisson::sf(l, n as f64 * self.dql),
            },
        }
    }

    /// The quality at which P(d <= L) = beta.
    fn lq(&self, n: u64, l: u64, beta: f64) -> f64 {
        match self.population {
            Some(pop) => {
                let n = n.min(pop);
                if l >= n {
                    return 1.0;
                }
                // Smallest count D with P(d <= L | N, D, n) <= beta.
                let d = crate::numerics::search::partition_point(l + 1, pop, |d| {
                    hypergeometric::cdf(l, pop, d, n) <= beta
                });
                d as f64 / pop as f64
            }
            None => match self.model {
                DqlModel::Binomial => {
                    if l >= n {
                        1.0
                    } else {
                        beta_inc_inv(l as f64 + 1.0, (n - l) as f64, 1.0 - beta)
                    }
                }
                DqlModel::Poisson => gamma_p_inv(l as f64 + 1.0, 1.0 - beta) / n as f64,
            },
        }
    }
}

fn check_fraction(name: &str, x: f64) -> Result<()> {
    if x.is_finite() && x > 0.0 && x < 1.0 {
        Ok(())
    } else {
        Err(Error::invalid(name, x, "a fraction in (0, 1)"))
    }
}

fn check_dql(dql: f64, model: DqlModel, population: Option<u64>) -> Result<()> {
    if population.is_some() || model == DqlModel::Binomial {
        check_fraction("dql", dql)
    } else if dql.is_finite() && dql > 0.0 {
        Ok(())
    } else {
        Err(Error::invalid(
            "dql",
            dql,
            "a positive number of nonconformities per item",
        ))
    }
}

/// The plan for sample size `n` and limiting number `l`, with its risks.
fn evaluate(risk: &Risk, n: u64, l: u64, beta: f64) -> DqlPlan {
    let n_eff = risk.population.map_or(n, |pop| n.min(pop));
    let lq = risk.lq(n_eff, l, beta);
    DqlPlan {
        dql: risk.dql,
        n: n_eff,
        limiting_number: l,
        alpha: risk.alpha(n_eff, l),
        beta,
        lq,
        lqr: lq / risk.dql,
        model: risk.model,
        population: risk.population,
        full_inspection: risk.population == Some(n_eff),
    }
}

/// The largest admissible sample size for limiting number `l` (None when even
/// the smallest size has too large a risk).
fn largest_n(risk: &Risk, l: u64, alpha: f64, sizes: SampleSizes) -> Option<u64> {
    let cap = risk.population.unwrap_or(MAX_N);
    let ok = |n: u64| risk.alpha(n, l) <= alpha;
    match sizes {
        SampleSizes::Any => {
            if !ok(1) {
                return None;
            }
            if ok(cap) {
                return Some(cap);
            }
            Some(crate::numerics::search::last_true(1, cap, ok))
        }
        SampleSizes::Preferred => {
            let mut cands = preferred_sizes(cap);
            if risk.population.is_some() && cands.last() != Some(&cap) {
                // A preferred size at or beyond N means inspecting all N items.
                cands.push(cap);
            }
            let first_bad = cands.partition_point(|&n| ok(n));
            (first_bad > 0).then(|| cands[first_bad - 1])
        }
    }
}

/// Designs a DQL verification plan (see the module docs for the rule).
///
/// # Errors
/// Invalid arguments (DQL outside (0, 1), or not positive for Poisson;
/// `alpha`/`beta` outside (0, 1); `lqr` not above 1; population 0), neither
/// `limiting_number` nor `lqr` given, or no plan meeting the criteria.
pub fn design(d: &Design) -> Result<DqlPlan> {
    check_dql(d.dql, d.model, d.population)?;
    check_fraction("alpha", d.alpha)?;
    check_fraction("beta", d.beta)?;
    if let Some(r) = d.lqr {
        if !(r.is_finite() && r > 1.0) {
            return Err(Error::invalid("lqr", r, "a finite number above 1"));
        }
    }
    if d.population == Some(0) {
        return Err(Error::invalid(
            "population",
            0,
            "a whole number of at least 1",
        ));
    }
    let risk = Risk {
        dql: d.dql,
        model: d.model,
        population: d.population,
    };
    let plan_for = |l: u64| -> Option<DqlPlan> {
        largest_n(&risk, l, d.alpha, d.sample_sizes).map(|n| evaluate(&risk, n, l, d.beta))
    };
    match (d.limiting_number, d.lqr) {
        (None, None) => Err(Error::absent(
            "limiting_number",
            "a limiting number or an lqr (the design needs one of them)",
        )),
        (Some(l), lqr) => {
            let plan = plan_for(l).ok_or_else(|| {
                Error::NoSolution(format!(
                    "no sample size keeps the risk of contradicting DQL {} at or below alpha = {} \
                     with limiting_number = {l}: raise the limiting number",
                    d.dql, d.alpha
                ))
            })?;
            if !plan.can_contradict() {
                return Err(Error::invalid(
                    "limiting_number",
                    l,
                    format!(
                        "a limiting number below the sample size (the largest admissible sample, \
                         n = {}, could never contradict the DQL)",
                        plan.n
                    ),
                ));
            }
            if let Some(r) = lqr {
                if plan.lqr > r {
                    return Err(Error::NoSolution(format!(
                        "with limiting_number = {l} the best plan (n = {}) has LQR {:.4}, above \
                         lqr = {r}: raise the limiting number or leave it to the design",
                        plan.n, plan.lqr
                    )));
                }
            }
            Ok(plan)
        }
        (None, Some(r)) => {
            let mut last_n = 0;
            for l in 0..=100_000u64 {
                if let Some(plan) = plan_for(l) {
                    if plan.lqr <= r && plan.can_contradict() {
                        return Ok(plan);
                    }
                    if plan.full_inspection || (plan.n == last_n && plan.n >= MAX_N) {
                        break;
                    }
                    last_n = plan.n;
                }
            }
            Err(Error::NoSolution(format!(
                "no plan verifies DQL {} with alpha = {} and an LQR of at most {r}",
                d.dql, d.alpha
            )))
        }
    }
}

impl DqlPlan {
    /// Whether some count in the sample contradicts the DQL: always for
    /// nonconformities (Poisson); for nonconforming items only when L < n.
    pub fn can_contradict(&self) -> bool {
        (self.model == DqlModel::Poisson && self.population.is_none())
            || self.limiting_number < self.n
    }

    /// Whether `nonconforming` items in the sample contradict the DQL (d > L).
    ///
    /// # Errors
    /// `nonconforming` above the sample size (binomial and hypergeometric plans).
    pub fn contradicted(&self, nonconforming: u64) -> Result<bool> {
        if self.model == DqlModel::Binomial && nonconforming > self.n {
            return Err(Error::invalid(
                "nonconforming",
                nonconforming,
                format!("a whole number from 0 to the sample size {}", self.n),
            ));
        }
        Ok(nonconforming > self.limiting_number)
    }

    /// The probability of contradicting the DQL when the actual quality is
    /// `ratio` times the DQL (the OC curve of the verification). For a
    /// population design the count of nonconforming items is
    /// `floor(ratio · dql · N)`, as for the declared count, so that the OC at
    /// ratio 1 is [`Self::alpha`].
    ///
    /// # Errors
    /// `ratio` negative or not finite, or an actual quality above 1 for the
    /// binomial and hypergeometric models.
    pub fn prob_contradict(&self, ratio: f64) -> Result<f64> {
        if !(ratio.is_finite() && ratio >= 0.0) {
            return Err(Error::invalid(
                "quality_ratio",
                ratio,
                "a finite number of at least 0",
            ));
        }
        let p = ratio * self.dql;
        let bounded = self.population.is_some() || self.model == DqlModel::Binomial;
        if bounded && p > 1.0 + 1e-12 {
            return Err(Error::invalid(
                "quality_ratio",
                ratio,
                format!(
                    "at most 1 / dql = {:.6} (the actual fraction nonconforming is at most 1)",
                    1.0 / self.dql
                ),
            ));
        }
        let l = self.limiting_number;
        Ok(match self.population {
            Some(pop) => hypergeometric::sf(l, pop, declared_count(p.min(1.0), pop), self.n),
            None => match self.model {
                DqlModel::Binomial => binomial::sf(l, self.n, p.min(1.0)),
                DqlModel::Poisson => poisson::sf(l, self.n as f64 * p),
            },
        })
    }

    /// [`Self::prob_contradict`] over many ratios, in parallel.
    ///
    /// # Errors
    /// The first invalid ratio, named by its index.
    pub fn prob_contradict_many(&self, ratios: &[f64]) -> Result<Vec<f64>> {
        parallel::install(|| {
            ratios
                .par_iter()
                .enumerate()
                .map(|(i, &r)| {
                    self.prob_contradict(r)
                        .map_err(|e| e.renamed(|name| format!("{name}[{i}]")))
                })
                .collect()
        })
    }
}

/// Spreads a sample of `n` over strata of the given sizes, proportionally to
/// size with the largest-remainder rule (ties to the earlier stratum).
///
/// # Errors
/// No strata, a stratum of size 0, or `n` above the total size.
///
/// ```
/// use qualstat::dql::{allocate, allocate_equal};
/// assert_eq!(allocate(10, &[100, 200, 700]).unwrap(), vec![1, 2, 7]);
/// assert_eq!(allocate_equal(127, 5).unwrap(), vec![26, 26, 25, 25, 25]);
/// ```
pub fn allocate(n: u64, sizes: &[u64]) -> Result<Vec<u64>> {
    if sizes.is_empty() {
        return Err(Error::invalid("strata", "[]", "at least one stratum"));
    }
    if let Some(i) = sizes.iter().position(|&s| s == 0) {
        return Err(Error::invalid(
            format!("strata[{i}]"),
            0,
            "a stratum size of at least 1",
        ));
    }
    let total: u128 = sizes.iter().map(|&s| s as u128).sum();
    if n as u128 > total {
        return Err(Error::invalid(
            "n",
            n,
            format!("at most the total size of the strata, {total}"),
        ));
    }
    let mut out = Vec::with_capacity(sizes.len());
    let mut rema = Vec::with_capacity(sizes.len());
    let mut given: u128 = 0;
    for &s in sizes {
        let q = n as u128 * s as u128;
        out.push((q / total) as u64);
        rema.push(q % total);
        given += q / total;
    }
    let mut order: Vec<usize> = (0..sizes.len()).collect();
    order.sort_by(|&a, &b| rema[b].cmp(&rema[a]).then(a.cmp(&b)));
    for &i in order.iter().take((n as u128 - given) as usize) {
        out[i] += 1;
    }
    Ok(out)
}

/// Spreads a sample of `n` over `strata` equal strata: each gets `n / strata`
/// and the first `n % strata` one more.
///
/// # Errors
/// `strata` = 0.
pub fn allocate_equal(n: u64, strata: u64) -> Result<Vec<u64>> {
    if strata == 0 {
        return Err(Error::invalid("strata", 0, "at least one stratum"));
    }
    let (q, r) = (n / strata, n % strata);
    Ok((0..strata).map(|i| q + u64::from(i < r)).collect())
}
