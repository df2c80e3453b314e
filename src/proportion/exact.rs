//! Intervals that invert a binomial test: Clopper-Pearson, Jeffreys (a
//! Bayesian interval with the same beta-quantile form), mid-p and likelihood
//! ratio. Each takes validated counts `x <= n`, `n >= 1` and the probability
//! `alpha` in each tail (or z for the likelihood ratio).

use super::Bound;
use crate::numerics::roots;
use crate::numerics::special::BetaLevel;
use crate::numerics::{binomial, special};

/// The beta quantile levels of an exact interval with `alpha` in each
/// computed tail, prepared once per batch; a limit the bound does not ask
/// for is not computed (it reads 0 for the lower, 1 for the upper limit).
#[derive(Debug, Clone, Copy)]
pub(crate) struct BetaLimits {
    lower: Option<BetaLevel>,
    upper: Option<BetaLevel>,
}

impl BetaLimits {
    pub(crate) fn new(alpha: f64, bound: Bound) -> Self {
        BetaLimits {
            lower: (bound != Bound::Upper).then(|| BetaLevel::lower(alpha).with_gamma_starts()),
            upper: (bound != Bound::Lower).then(|| BetaLevel::upper(alpha).with_gamma_starts()),
        }
    }

    /// (L, U) for x successes in n trials: L is the x with I_x(a, b) =
    /// alpha at (a, b) = `lo`, 0 at x = 0; U the x with 1 − I_x(a, b) = alpha
    /// at `hi`, 1 at x = n; a limit the bound does not ask for reads 0 or 1.
    /// When both are solved, they are solved side by side.
    fn solve(&self, x: u64, n: u64, lo: (f64, f64), hi: (f64, f64)) -> (f64, f64) {
        let lower = self.lower.filter(|_| x > 0);
        let upper = self.upper.filter(|_| x < n);
        match (lower, upper) {
            (Some(l), Some(u)) => {
                let (lower, upper) = l.solve_pair(lo, &u, hi);
                (lower.0, upper.0)
            }
            (l, u) => (
                l.map_or(0.0, |l| l.solve(lo.0, lo.1).0),
                u.map_or(1.0, |u| u.solve(hi.0, hi.1).0),
            ),
        }
    }
}

impl BetaLimits {
    /// [`Self::solve`] for every pair (x, n) of `pairs` with the beta
    /// parameters `params` (the (a, b) of the lower and of the upper limit's
    /// beta quantile for x successes in n trials; generic, so that it is
    /// inlined): `lower[j], upper[j]` receive the limits of
    /// `pairs[j]` (both slices as long as `pairs`). The limits to solve are
    /// queued and solved [`special::BETA_LANES`] at a time by
    /// [`special::solve_lanes`], which gives each the bits of the scalar
    /// solve.
    pub(crate) fn solve_all(
        &self,
        pairs: &[(u64, u64)],
        params: impl Fn(u64, u64) -> ((f64, f64), (f64, f64)),
        lower: &mut [f64],
        upper: &mut [f64],
    ) {
        lower.fill(0.0);
        upper.fill(1.0);
        let Some(level) = self.lower.as_ref().or(self.upper.as_ref()) else {
            return;
        };
        let mut queue = LaneQueue::new(level);
        for (j, &(x, n)) in pairs.iter().enumerate() {
            let (lo, hi) = params(x, n);
            let in_lanes = |(a, b): (f64, f64)| special::in_beta_lanes(a, b);
            let lower_level = self.lower.as_ref().filter(|_| x > 0);
            let upper_level = self.upper.as_ref().filter(|_| x < n);
            match (lower_level, upper_level) {
                // Neither limit for the lanes: the scalar pair of solves.
                (Some(l), Some(u)) if !in_lanes(lo) && !in_lanes(hi) => {
                    let (ll, uu) = l.solve_pair(lo, u, hi);
                    write((j, false), ll.0, lower, upper);
                    write((j, true), uu.0, lower, upper);
                }
                (l, u) => {
                    if let Some(level) = l {
                        queue.push(level, lo, (j, false), lower, upper);
                    }
                    if let Some(level) = u {
                        queue.push(level, hi, (j, true), lower, upper);
                    }
                }
            }
        }
        queue.flush(lower, upper);
    }
}

/// Limits waiting for [`special::solve_lanes`] (only those it may solve on
/// its common path; the others are solved at once, one by one): the level
/// (by reference: a copy per limit cost more than the copy saves), the
/// (a, b) and where the root goes (the pair's index, and whether it is the
/// upper limit).
struct LaneQueue<'a> {
    levels: [&'a BetaLevel; special::BETA_LANES],
    a: [f64; special::BETA_LANES],
    b: [f64; special::BETA_LANES],
    slots: [(usize, bool); special::BETA_LANES],
    len: usize,
}

impl<'a> LaneQueue<'a> {
    fn new(level: &'a BetaLevel) -> Self {
        LaneQueue {
            levels: [level; special::BETA_LANES],
            a: [0.0; special::BETA_LANES],
            b: [0.0; special::BETA_LANES],
            slots: [(0, false); special::BETA_LANES],
            len: 0,
        }
    }

    /// Queues a limit, and solves the queue when it is full.
    fn push(
        &mut self,
        level: &'a BetaLevel,
        (a, b): (f64, f64),
        slot: (usize, bool),
        lower: &mut [f64],
        upper: &mut [f64],
    ) {
        if !special::in_beta_lanes(a, b) {
            write(slot, level.solve(a, b).0, lower, upper);
            return;
        }
        let k = self.len;
        if let (Some(l), Some(ak), Some(bk), Some(s)) = (
            self.levels.get_mut(k),
            self.a.get_mut(k),
            self.b.get_mut(k),
            self.slots.get_mut(k),
        ) {
            (*l, *ak, *bk, *s) = (level, a, b, slot);
            self.len += 1;
        }
        if self.len == special::BETA_LANES {
            self.flush(lower, upper);
        }
    }

    /// Solves the queued limits (the free lanes repeat the first one) and
    /// writes them to their slots.
    fn flush(&mut self, lower: &mut [f64], upper: &mut [f64]) {
        if self.len == 0 {
            return;
        }
        for k in self.len..special::BETA_LANES {
            self.levels[k] = self.levels[0];
            self.a[k] = self.a[0];
            self.b[k] = self.b[0];
        }
        let roots = special::solve_lanes(&self.levels, self.a, self.b);
        for (&slot, &root) in self.slots.iter().zip(&roots).take(self.len) {
            write(slot, root, lower, upper);
        }
        self.len = 0;
    }
}

/// Writes a limit to its slot: `lower[j]`, or `upper[j]` for an upper limit.
fn write((j, is_upper): (usize, bool), root: f64, lower: &mut [f64], upper: &mut [f64]) {
    let out = if is_upper {
        upper.get_mut(j)
    } else {
        lower.get_mut(j)
    };
    if let Some(out) = out {
        *out = root;
    }
}

/// Clopper & Pearson (1934): L = B⁻¹(α; x, n − x + 1), U = B⁻¹(1 − α; x + 1, n − x),
/// with L = 0 at x = 0 and U = 1 at x = n. The upper limit is computed as the
/// upper-tail inverse so that it keeps full relative accuracy of 1 − U.
pub(crate) fn clopper_pearson(x: u64, n: u64, limits: &BetaLimits) -> (f64, f64) {
    let (lo, hi) = clopper_pearson_params(x, n);
    limits.solve(x, n, lo, hi)
}

/// The beta parameters of [`clopper_pearson`]: (x, n − x + 1) and (x + 1, n − x).
pub(crate) fn clopper_pearson_params(x: u64, n: u64) -> ((f64, f64), (f64, f64)) {
    let (xf, nf) = (x as f64, n as f64);
    ((xf, nf - xf + 1.0), (xf + 1.0, nf - xf))
}

/// Jeffreys: the α and 1 − α quantiles of Beta(x + ½, n − x + ½), with the
/// boundary rule of Brown, Cai & DasGupta (2001, *Statist. Sci.* 16:101,
/// §4.1.1): L = 0 at x = 0 and U = 1 at x = n.
pub(crate) fn jeffreys(x: u64, n: u64, limits: &BetaLimits) -> (f64, f64) {
    let (lo, hi) = jeffreys_params(x, n);
    limits.solve(x, n, lo, hi)
}

/// The beta parameters of [`jeffreys`]: (x + ½, n − x + ½) for both limits.
pub(crate) fn jeffreys_params(x: u64, n: u64) -> ((f64, f64), (f64, f64)) {
    let ab = (x as f64 + 0.5, n.saturating_sub(x) as f64 + 0.5);
    (ab, ab)
}

/// Mid-p interval: L solves P(X > x) + ½P(X = x) = α and U solves
/// P(X < x) + ½P(X = x) = α (Lancaster 1961; Berry & Armitage 1995).
///
/// Each mid-p tail is the average of the two Clopper-Pearson tails, so the
/// lower limit lies between the Clopper-Pearson lower limits for x and x + 1
/// (and likewise for the upper), which gives a guaranteed bracket.
pub(crate) fn mid_p(x: u64, n: u64, alpha: f64) -> (f64, f64) {
    let (xf, nf) = (x as f64, n as f64);
    let lower = if x == 0 {
        0.0
    } else {
        // f(p) = ½(P(X ≥ x) + P(X > x)) − α, increasing in p.
        let lo = special::beta_inc_inv(xf, nf - xf + 1.0, alpha);
        let hi = if x == n {
            1.0
        } else {
            special::beta_inc_inv(xf + 1.0, nf - xf, alpha)
        };
        roots::brent(lo, hi, 0.0, |p| {
            0.5 * (binomial::sf(x - 1, n, p) + binomial::sf(x, n, p)) - alpha
        })
    };
    let upper = if x == n {
        1.0
    } else {
        // g(p) = ½(P(X ≤ x) + P(X < x)) − α, decreasing in p.
        let hi = special::beta_inc_inv_upper(xf + 1.0, nf - xf, alpha);
        let lo = if x == 0 {
            0.0
        } else {
            special::beta_inc_inv_upper(xf, nf - xf + 1.0, alpha)
        };
        roots::brent(lo, hi, 0.0, |p| {
            let below = if x == 0 {
                0.0
            } else {
                binomial::cdf(x - 1, n, p)
            };
            0.5 * (binomial::cdf(x, n, p) + below) - alpha
        })
    };
    (lower.clamp(0.0, 1.0), upper.clamp(0.0, 1.0))
}

/// Likelihood-ratio interval: the p with
/// 2[x ln(p̂/p) + (n − x) ln((1 − p̂)/(1 − p))] = z², one on each side of p̂
/// (Brown, Cai & DasGupta 2001, §4.2.2). At x = 0 the upper limit is
/// 1 − exp(−z²/(2n)) and at x = n the lower limit is exp(−z²/(2n)).
///
/// Both limits are solved for t = ln p (Brent's method), with ln(1 − p)
/// computed without rounding 1 − p, so that limits of any magnitude,
/// including those within 1e-9 of 0 or 1, keep full precision.
pub(crate) fn likelihood_ratio(x: u64, n: u64, z: f64) -> (f64, f64) {
    let (xf, nf) = (x as f64, n as f64);
    let yf = nf - xf;
    let half_z2 = 0.5 * z * z;
    if x == 0 {
        return (0.0, -(-half_z2 / nf).exp_m1());
    }
    if x == n {
        return ((-half_z2 / nf).exp(), 1.0);
    }
    // ln p̂ and ln q̂ without rounding 1 − small (n·ln q̂ must be exact to ~1e-16·n).
    let (ln_phat, ln_qhat) = if x <= n - x {
        ((xf / nf).ln(), (-xf / nf).ln_1p())
    } else {
        ((-yf / nf).ln_1p(), (yf / nf).ln())
    };
    // Half the deviance at p = e^t, minus z²/2: decreasing on t < ln p̂,
    // increasing on t > ln p̂, −z²/2 at ln p̂ and +∞ at both ends.
    let g = |t: f64| xf * (ln_phat - t) + yf * (ln_qhat - special::ln_one_minus_exp(t)) - half_z2;
    let t_lower = roots::brent(f64::MIN_POSITIVE.ln(), ln_phat, 0.0, g);
    let t_upper = roots::brent(ln_phat, -f64::EPSILON / 4.0, 0.0, g);
    (t_lower.exp(), t_upper.exp())
}
