//! The hypergeometric distribution: `draws` items taken without replacement
//! from a population of `population` items of which `successes` are marked.
//!
//! pmf: with p = n/N, the ratio of Loader binomial densities
//! P(X = k) = b(k; K, p) · b(n−k; N−K, p) / b(n; N, p)
//! (C. Loader 2000, §4; the form R's `dhyper` uses), accurate for populations
//! up to 1e9 and beyond — no ln Γ differences.
//! cdf and sf: the shorter tail (the one not containing the mode) is summed
//! outward from k with the term ratio
//! P(X = j−1)/P(X = j) = j (N−K−n+j) / ((K−j+1)(n−j+1)),
//! as Σ_j P(X=j)/P(X=k) times P(X = k) (so the sum cannot underflow); the
//! other tail is 1 − that sum, which is safe because it is at least ~½.

use super::special::stirling;

/// The support [max(0, n + K − N), min(n, K)].
pub fn support(population: u64, successes: u64, draws: u64) -> (u64, u64) {
    let lo = (draws + successes).saturating_sub(population);
    (lo, draws.min(successes))
}

fn valid(population: u64, successes: u64, draws: u64) -> bool {
    successes <= population && draws <= population
}

/// ln P(X = k); NaN when successes or draws exceed the population.
pub fn ln_pmf(k: u64, population: u64, successes: u64, draws: u64) -> f64 {
    if !valid(population, successes, draws) {
        return f64::NAN;
    }
    let (lo, hi) = support(population, successes, draws);
    if k < lo || k > hi {
        return f64::NEG_INFINITY;
    }
    let (n_pop, n_succ, n_draw) = (population as f64, successes as f64, draws as f64);
    let p = n_draw / n_pop;
    let q = (population - draws) as f64 / n_pop;
    let k_f = k as f64;
    stirling::ln_binom_raw(k_f, n_succ - k_f, p, q)
        + stirling::ln_binom_raw(
            (draws - k) as f64,
            (population - successes - (draws - k)) as f64,
            p,
            q,
        )
        - stirling::ln_binom_raw(n_draw, n_pop - n_draw, p, q)
}

/// P(X = k); NaN when successes or draws exceed the population.
pub fn pmf(k: u64, population: u64, successes: u64, draws: u64) -> f64 {
    ln_pmf(k, population, successes, draws).exp()
}

/// Σ_{j ≤ k} P(X = j)/P(X = k) (`down`) or Σ_{j ≥ k} P(X = j)/P(X = k) (up),
/// stopping when the terms no longer change the sum.
fn ratio_sum(k: u64, population: u64, successes: u64, draws: u64, down: bool) -> f64 {
    let (lo, hi) = support(population, successes, draws);
    let (big_n, big_k, n) = (population as f64, successes as f64, draws as f64);
    let mut sum = 1.0;
    let mut term = 1.0;
    let mut j = k;
    loop {
        if down {
            if j <= lo {
                break;
            }
            let jf = j as f64;
            term *= jf * (big_n - big_k - n + jf) / ((big_k - jf + 1.0) * (n - jf + 1.0));
            j -= 1;
        } else {
            if j >= hi {
                break;
            }
            let jf = j as f64;
            term *= (big_k - jf) * (n - jf) / ((jf + 1.0) * (big_n - big_k - n + jf + 1.0));
            j += 1;
        }
        let next = sum + term;
        if next == sum {
            break;
        }
        sum = next;
    }
    sum
}

/// (P(X ≤ k), P(X > k)), each from the shorter tail or its safe complement.
fn tails(k: u64, population: u64, successes: u64, draws: u64) -> (f64, f64) {
    let (lo, hi) = support(population, successes, draws);
    if k >= hi {
        return (1.0, 0.0);
    }
    if k < lo {
        return (0.0, 1.0);
    }
    // Mode ⌊(n+1)(K+1)/(N+2)⌋, in floating point (exact enough to pick a side).
    let mode = (draws as f64 + 1.0) * (successes as f64 + 1.0) / (population as f64 + 2.0);
    if (k as f64) < mode {
        let lower =
            pmf(k, population, successes, draws) * ratio_sum(k, population, successes, draws, true);
        (lower, 1.0 - lower)
    } else {
        let upper = pmf(k + 1, population, successes, draws)
            * ratio_sum(k + 1, population, successes, draws, false);
        (1.0 - upper, upper)
    }
}

/// P(X ≤ k); NaN when successes or draws exceed the population.
pub fn cdf(k: u64, population: u64, successes: u64, draws: u64) -> f64 {
    if !valid(population, successes, draws) {
        return f64::NAN;
    }
    tails(k, population, successes, draws).0
}

/// P(X > k); NaN when successes or draws exceed the population.
pub fn sf(k: u64, population: u64, successes: u64, draws: u64) -> f64 {
    if !valid(population, successes, draws) {
        return f64::NAN;
    }
    tails(k, population, successes, draws).1
}
