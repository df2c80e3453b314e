//! The hypergeometric distribution: `draws` items taken without replacement
//! from a population of `population` items of which `successes` are marked.

use super::special;

fn ln_choose(n: u64, k: u64) -> f64 {
    let (n, k) = (n as f64, k as f64);
    special::ln_gamma(n + 1.0) - special::ln_gamma(k + 1.0) - special::ln_gamma(n - k + 1.0)
}

/// The support [max(0, n + K − N), min(n, K)].
pub fn support(population: u64, successes: u64, draws: u64) -> (u64, u64) {
    let lo = (draws + successes).saturating_sub(population);
    (lo, draws.min(successes))
}

/// P(X = k).
pub fn pmf(k: u64, population: u64, successes: u64, draws: u64) -> f64 {
    if successes > population || draws > population {
        return f64::NAN;
    }
    let (lo, hi) = support(population, successes, draws);
    if k < lo || k > hi {
        return 0.0;
    }
    (ln_choose(successes, k) + ln_choose(population - successes, draws - k)
        - ln_choose(population, draws))
    .exp()
}

/// P(X <= k).
pub fn cdf(k: u64, population: u64, successes: u64, draws: u64) -> f64 {
    if successes > population || draws > population {
        return f64::NAN;
    }
    let (lo, hi) = support(population, successes, draws);
    if k >= hi {
        return 1.0;
    }
    if k < lo {
        return 0.0;
    }
    (lo..=k)
        .map(|j| pmf(j, population, successes, draws))
        .sum::<f64>()
        .min(1.0)
}

/// P(X > k).
pub fn sf(k: u64, population: u64, successes: u64, draws: u64) -> f64 {
    if successes > population || draws > population {
        return f64::NAN;
    }
    let (lo, hi) = support(population, successes, draws);
    if k >= hi {
        return 0.0;
    }
    if k < lo {
        return 1.0;
    }
    (k + 1..=hi)
        .map(|j| pmf(j, population, successes, draws))
        .sum::<f64>()
        .min(1.0)
}
