//! Rank intervals of units' pass rates from posterior draws.
//!
//! Draw d (of `draws`) samples every unit's rate from its posterior
//! Beta(a + x, b + n − x) on stream d of `seed` (xoshiro256++, the generator
//! of the bootstrap), ranks the units (rank 1 = the highest rate; ties, of
//! probability zero, by unit order) and stores the ranks. Every draw depends
//! only on its own stream, so the result is identical for any thread count.
//! Beta variates are X/(X + Y) with X, Y gamma variates (Marsaglia & Tsang
//! 2000; shape < 1 by the boost U^(1/a)), compared on the logit scale
//! ln X − ln Y so that no rate underflows.
//!
//! Per unit: the median rank and the rank interval are the inverse-CDF
//! (type 1) quantiles of its K rank draws at 0.5, (1 − c)/2 and (1 + c)/2;
//! `p_top_quarter` = P(rank ≤ K/4), `p_bottom_quarter` = P(K + 1 − rank ≤
//! K/4) (the mirror image), `p_upper_half` = P(rank ≤ K/2).

use super::read_units;
use super::shrink::{fit_units, ShrinkMethod};
use crate::capability::rng::Xoshiro256;
use crate::error::{check_confidence, Error, Result};
use crate::options::named_options;
use crate::parallel;
use crate::proportion::Count;
use rayon::prelude::*;

named_options! {
    /// The prior of each unit's rate in [`rank_intervals`].
    pub enum RankPrior for "prior" {
        /// The empirical-Bayes beta prior fitted by maximum likelihood (as `shrink`).
        Eb = "eb" | "empirical_bayes",
        /// Jeffreys' Beta(1/2, 1/2) for every unit (no pooling).
        Jeffreys = "jeffreys",
    }
}

/// Per unit (input order): rank summaries; rank 1 is the highest pass rate.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RankIntervals {
    /// The prior used: (α, β).
    pub prior: (f64, f64),
    /// Median rank.
    pub rank_median: Vec<u32>,
    /// Lower end (best rank) of the rank interval.
    pub rank_lower: Vec<u32>,
    /// Upper end (worst rank) of the rank interval.
    pub rank_upper: Vec<u32>,
    /// P(rank ≤ K/4).
    pub p_top_quarter: Vec<f64>,
    /// P(K + 1 − rank ≤ K/4).
    pub p_bottom_quarter: Vec<f64>,
    /// P(rank ≤ K/2): the share of draws in the better half.
    pub p_upper_half: Vec<f64>,
}

/// The largest draws × units accepted (the rank draws are kept in memory, 4 bytes each).
pub const MAX_CELLS: usize = 1 << 28;

struct Stream {
    rng: Xoshiro256,
    spare: Option<f64>,
}

impl Stream {
    /// Uniform in the open interval (0, 1).
    #[inline]
    fn uniform(&mut self) -> f64 {
        ((self.rng.next_u64() >> 11) as f64 + 0.5) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// Standard normal (Marsaglia's polar method, both values used).
    #[inline]
    fn normal(&mut self) -> f64 {
        if let Some(z) = self.spare.take() {
            return z;
        }
        loop {
            let u = 2.0 * self.uniform() - 1.0;
            let v = 2.0 * self.uniform() - 1.0;
            let s = u * u + v * v;
            if s < 1.0 && s > 0.0 {
                let f = (-2.0 * s.ln() / s).sqrt();
                self.spare = Some(v * f);
                return u * f;
            }
        }
    }

    /// The factor v of a Marsaglia–Tsang Gamma variate d·v³ (shape ≥ 1).
    #[inline]
    fn gamma_factor(&mut self, g: &GammaShape) -> f64 {
        loop {
            let z = self.normal();
            let v = 1.0 + g.c * z;
            if v <= 0.0 {
                continue;
            }
            let v3 = v * v * v;
            let u = self.uniform();
            let z2 = z * z;
            if u < 1.0 - 0.0331 * z2 * z2 || u.ln() < 0.5 * z2 + g.d * (1.0 - v3 + v3.ln()) {
                return v;
            }
        }
    }

    /// ln of a Gamma(shape, 1) variate (used by the tests).
    #[cfg(test)]
    fn ln_gamma_variate(&mut self, shape: f64) -> f64 {
        let g = GammaShape::new(shape);
        let v = self.gamma_factor(&g);
        g.d.ln() + 3.0 * v.ln() + self.boost(&g)
    }

    /// ln U / shape for shapes below 1 (Gamma(a) = Gamma(a + 1)·U^(1/a)), else 0.
    #[inline]
    fn boost(&mut self, g: &GammaShape) -> f64 {
        if g.inv_shape > 0.0 {
            self.uniform().ln() * g.inv_shape
        } else {
            0.0
        }
    }
}

/// The constants of a Marsaglia–Tsang gamma generator for one shape.
struct GammaShape {
    d: f64,
    c: f64,
    /// 1/shape when shape < 1 (boosted), else 0.
    inv_shape: f64,
}

impl GammaShape {
    fn new(shape: f64) -> Self {
        let (s, inv_shape) = if shape < 1.0 {
            (shape + 1.0, 1.0 / shape)
        } else {
            (shape, 0.0)
        };
        let d = s - 1.0 / 3.0;
        Self {
            d,
            c: 1.0 / (9.0 * d).sqrt(),
            inv_shape,
        }
    }
}

/// One unit's posterior Beta(a, b) as two gamma generators; the logit of a
/// draw is ln(d_a/d_b) + 3 ln(v_a/v_b) + boosts.
struct BetaShape {
    a: GammaShape,
    b: GammaShape,
    offset: f64,
}

/// A key whose unsigned order is the order of the finite f64 `v`.
#[inline]
fn order_key(v: f64) -> u64 {
    let b = v.to_bits();
    if b >> 63 == 1 {
        !b
    } else {
        b | (1 << 63)
    }
}

/// Each unit's rank distribution over `draws` posterior draws (see the module docs).
///
/// # Errors
/// Bad counts (naming `successes[i]` / `trials[i]`), fewer than 2 units,
/// `confidence` outside (0, 1), `draws` of 0 or draws × units above
/// [`MAX_CELLS`], and for `RankPrior::Eb` the errors of the prior fit.
pub fn rank_intervals<C: Count>(
    successes: &[C],
    trials: &[C],
    confidence: f64,
    draws: usize,
    seed: u64,
    prior: RankPrior,
) -> Result<RankIntervals> {
    check_confidence(confidence)?;
    let units = read_units(successes, trials)?;
    let k = units.len();
    if draws == 0 || draws.saturating_mul(k) > MAX_CELLS {
        return Err(Error::invalid(
            "draws",
            draws,
            format!(
                "from 1 to {} for {k} units (draws x units at most {MAX_CELLS})",
                MAX_CELLS / k
            ),
        ));
    }
    let (a0, b0) = match prior {
        RankPrior::Jeffreys => (0.5, 0.5),
        RankPrior::Eb => {
            let p = fit_units(&units, ShrinkMethod::Mle)?;
            (p.alpha, p.beta)
        }
    };
    let shapes: Vec<BetaShape> = units
        .iter()
        .map(|&(x, n)| {
            let (a, b) = (GammaShape::new(a0 + x), GammaShape::new(b0 + n - x));
            let offset = (a.d / b.d).ln();
            BetaShape { a, b, offset }
        })
        .collect();
    // Each sort key holds the rate's order (high bits) and the unit (low bits).
    let bits = usize::BITS - (k - 1).leading_zeros();
    let mask = (1u64 << bits) - 1;
    let mut ranks = vec![0u32; draws * k];
    parallel::install(|| {
        ranks.par_chunks_mut(k).enumerate().for_each_init(
            || Vec::<u64>::with_capacity(k),
            |keys, (d, row)| {
                let mut s = Stream {
                    rng: Xoshiro256::new(seed, d as u64),
                    spare: None,
                };
                keys.clear();
                for (i, g) in shapes.iter().enumerate() {
                    let va = s.gamma_factor(&g.a);
                    let vb = s.gamma_factor(&g.b);
                    let logit = g.offset + 3.0 * (va / vb).ln() + s.boost(&g.a) - s.boost(&g.b);
                    // Descending rate: complement the key; ties by unit order.
                    keys.push((!order_key(logit) & !mask) | i as u64);
                }
                keys.sort_unstable();
                for (r, &key) in keys.iter().enumerate() {
                    row[(key & mask) as usize] = r as u32 + 1;
                }
            },
        );
    });
    let tail = (1.0 - confidence) / 2.0;
    let kf = k as f64;
    let summaries: Vec<[f64; 6]> = parallel::install(|| {
        (0..k)
            .into_par_iter()
            .map_init(
                || vec![0u32; k + 1],
                |hist, i| {
                    hist.iter_mut().for_each(|h| *h = 0);
                    for d in 0..draws {
                        hist[ranks[d * k + i] as usize] += 1;
                    }
                    let quantile = |q: f64| -> f64 {
                        let need = (q * draws as f64).ceil().max(1.0) as u64;
                        let mut cum = 0u64;
                        for (r, &h) in hist.iter().enumerate().skip(1) {
                            cum += u64::from(h);
                            if cum >= need {
                                return r as f64;
                            }
                        }
                        kf
                    };
                    let share = |keep: &dyn Fn(f64) -> bool| -> f64 {
                        let c: u64 = (1..=k)
                            .filter(|&r| keep(r as f64))
                            .map(|r| u64::from(hist[r]))
                            .sum();
                        c as f64 / draws as f64
                    };
                    [
                        quantile(0.5),
                        quantile(tail),
                        quantile(1.0 - tail),
                        share(&|r| 4.0 * r <= kf),
                        share(&|r| 4.0 * (kf + 1.0 - r) <= kf),
                        share(&|r| 2.0 * r <= kf),
                    ]
                },
            )
            .collect()
    });
    let col = |j: usize| summaries.iter().map(|s| s[j]).collect::<Vec<f64>>();
    let int = |j: usize| summaries.iter().map(|s| s[j] as u32).collect::<Vec<u32>>();
    Ok(RankIntervals {
        prior: (a0, b0),
        rank_median: int(0),
        rank_lower: int(1),
        rank_upper: int(2),
        p_top_quarter: col(3),
        p_bottom_quarter: col(4),
        p_upper_half: col(5),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gamma_variates_have_the_right_mean() {
        for shape in [0.3, 1.0, 2.5, 50.0] {
            let mut s = Stream {
                rng: Xoshiro256::new(7, 0),
                spare: None,
            };
            let m = (0..200_000)
                .map(|_| s.ln_gamma_variate(shape).exp())
                .sum::<f64>()
                / 200_000.0;
            assert!((m / shape - 1.0).abs() < 0.02, "{shape}: {m}");
        }
    }

    #[test]
    fn beta_draws_have_the_right_mean() {
        for (a, b) in [(0.5, 0.5), (0.3, 7.0), (12.0, 2.0), (900.5, 100.5)] {
            let g = BetaShape {
                a: GammaShape::new(a),
                b: GammaShape::new(b),
                offset: (GammaShape::new(a).d / GammaShape::new(b).d).ln(),
            };
            let mut s = Stream {
                rng: Xoshiro256::new(3, 1),
                spare: None,
            };
            let m = (0..200_000)
                .map(|_| {
                    let (va, vb) = (s.gamma_factor(&g.a), s.gamma_factor(&g.b));
                    let l = g.offset + 3.0 * (va / vb).ln() + s.boost(&g.a) - s.boost(&g.b);
                    1.0 / (1.0 + (-l).exp())
                })
                .sum::<f64>()
                / 200_000.0;
            let mean = a / (a + b);
            let sd = (a * b / ((a + b).powi(2) * (a + b + 1.0))).sqrt();
            assert!(
                (m - mean).abs() < 5.0 * sd / 200_000f64.sqrt(),
                "{a} {b}: {m}"
            );
        }
    }
}
