//! I_x(m, b) for a small whole number m by the negative binomial sum.
//!
//! For a whole number m ≥ 1, any b > 0 and y = 1 − x,
//! 1 − I_x(m, b) = yᵇ Σ_{j=0}^{m−1} (b)ⱼ/j! · xʲ and
//! I_x(m, b) = yᵇ Σ_{j≥m} (b)ⱼ/j! · xʲ ((b)ⱼ the rising factorial): the first
//! is I_x(1, b) = 1 − yᵇ with the recurrence I_x(j + 1, b) = I_x(j, b) −
//! xʲ yᵇ/(j B(j, b)) (DLMF 8.17.20), xʲ yᵇ/(j B(j, b)) = (b)ⱼ/j! · xʲ yᵇ,
//! and the second follows from Σ_{j≥0} (b)ⱼ/j! · xʲ = y⁻ᵇ (the binomial
//! series, DLMF 15.4.6). This is the negative binomial distribution
//! function (Johnson, Kemp & Kotz 2005, *Univariate Discrete
//! Distributions*, 3rd ed., §5.6): for Clopper-Pearson limits with few
//! failures or few successes (a whole beta parameter below 30) the tail
//! the inversion matches is a sum of a few positive terms, each the last
//! times uⱼ₊₁/uⱼ = (b + j)x/(j + 1): one logarithm for the leading power
//! yᵇ and one for the sum, instead of the continued fraction and the
//! log-prefactor's deviances and Stirling corrections.
//!
//! The lower sum (for 1 − I) has m terms; the upper one (for I) is summed
//! only where its ratios, which fall with j for b ≥ 1, are at most
//! [`UPPER_RATIO`] from j = m on (a geometric tail, so it stops after a few
//! dozen terms at the limits' usual levels). Both are sums of positive
//! terms, so they keep full relative accuracy in either tail; the prefactor
//! is xᵐ yᵇ / B(m, b) = m·yᵇ·(b)ₘ/m!·xᵐ, the sum's next term times m.

/// Largest whole m summed (the parameters of the continued fraction's
/// one-by-one band below the lanes).
const LARGEST: f64 = 29.0;
/// Largest ratio (b + m)x/(m + 1) of the upper sum's second term to its
/// first for which that sum is used (then at most about 140 terms).
const UPPER_RATIO: f64 = 0.75;
/// A term below this fraction of the upper sum ends it (the rest, at most
/// three times the term, is then below the rounding of the sum).
const UPPER_DONE: f64 = 1e-17;

/// (ln T, xᵐ yᵇ/(B(m, b)·T)) for the tail T of I_x(m, b) matched (I itself
/// if `lower`, else 1 − I) when `m` is a whole number from 1 to 29, b ≥ 1
/// and 0 < x ≤ ½, by the sums above; `None` where they do not apply (the
/// upper sum too slow, or a term out of the normal range).
#[inline]
pub(super) fn matched_tail(m: f64, b: f64, x: f64, lower: bool) -> Option<(f64, f64)> {
    // (A cast, not `floor`, which is a call to the C library without SSE4.1.)
    let applies = (1.0..=LARGEST).contains(&m) && m == f64::from(m as u8) && b >= 1.0;
    if !(applies && x > 0.0 && x <= 0.5) || (lower && (b + m) * x > UPPER_RATIO * (m + 1.0)) {
        return None;
    }
    let ln_lead = b * (-x).ln_1p();
    // u_j = (b)ⱼ/j! · xʲ for j < m, summed.
    let (mut u, mut sum, mut j) = (1.0, 1.0, 1.0);
    while j < m {
        u *= (b + (j - 1.0)) * x / j;
        sum += u;
        j += 1.0;
    }
    // u_m (u_{m−1}·(b + m − 1)x/m).
    let u_m = u * ((b + (m - 1.0)) * x / m);
    if lower {
        // Σ_{j≥m} u_j = u_m·Σ v_k, v₀ = 1, v_{k+1} = v_k·(b + m + k)x/(m + k + 1).
        let (mut v, mut rest, mut k) = (1.0, 1.0, m);
        for _ in 0..200 {
            v *= (b + k) * x / (k + 1.0);
            rest += v;
            if v <= UPPER_DONE * rest {
                break;
            }
            k += 1.0;
        }
        let tail = u_m * rest;
        (u_m.is_normal() && tail.is_normal()).then(|| (ln_lead + tail.ln(), m / rest))
    } else {
        let ratio = m * u_m / sum;
        (sum.is_finite() && ratio.is_normal()).then(|| (ln_lead + sum.ln(), ratio))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sums against the continued fraction and Loader's log-prefactor
    /// (an independent method: [`super::super::matched_tail`]) for both
    /// tails, on a grid of whole m, b from 1 to 1e7 and x from 1e-12 to ½
    /// wherever the sums apply: ln T and the prefactor ratio (the slope)
    /// within 2e-14 relative to max(1, |ln T|) and max(1, |ln ratio|) (the
    /// reference forms both from logarithms).
    #[test]
    fn sums_match_continued_fraction() {
        let sizes = [1.0, 1.5, 2.0, 7.0, 30.0, 999.0, 1e4 + 0.5, 1e6, 1e7];
        let (mut worst_ln, mut worst_ratio, mut used): (f64, f64, u32) = (0.0, 0.0, 0);
        for m in 1..=29 {
            let m = f64::from(m);
            for &b in &sizes {
                for step in 0..=240 {
                    let x = 0.5 * 10f64.powf(-f64::from(step) / 20.0);
                    for lower in [false, true] {
                        let Some((ln_t, ratio)) = matched_tail(m, b, x, lower) else {
                            continue;
                        };
                        used += 1;
                        let (ln_ref, ratio_ref) =
                            super::super::matched_tail(m, b, x, 1.0 - x, lower);
                        let e_ln = (ln_t - ln_ref).abs() / ln_ref.abs().max(1.0);
                        // The reference's ratio is an exponential of a
                        // difference of logarithms: relative to max(1, |ln ratio|).
                        let e_ratio =
                            ((ratio - ratio_ref) / ratio_ref).abs() / ratio.ln().abs().max(1.0);
                        assert!(e_ln < 2e-14, "{m} {b} {x} {lower}: ln {e_ln:e}");
                        assert!(e_ratio < 2e-14, "{m} {b} {x} {lower}: ratio {e_ratio:e}");
                        worst_ln = worst_ln.max(e_ln);
                        worst_ratio = worst_ratio.max(e_ratio);
                    }
                }
            }
        }
        assert!(used > 40_000, "{used}");
        println!("worst ln T {worst_ln:e}, ratio {worst_ratio:e} over {used}");
    }

    /// Outside its domain (m not whole, not in 1..=29, b < 1, x outside
    /// (0, ½], or an upper sum that would fall too slowly) no sum is used.
    #[test]
    fn declines_outside_its_domain() {
        assert!(matched_tail(2.5, 100.0, 0.01, false).is_none());
        assert!(matched_tail(30.0, 100.0, 0.01, false).is_none());
        assert!(matched_tail(0.0, 100.0, 0.01, false).is_none());
        assert!(matched_tail(3.0, 0.5, 0.01, false).is_none());
        assert!(matched_tail(3.0, 100.0, 0.0, false).is_none());
        assert!(matched_tail(3.0, 100.0, 0.6, false).is_none());
        assert!(matched_tail(3.0, 100.0, 0.05, true).is_none());
        assert!(matched_tail(3.0, 100.0, 0.005, true).is_some());
    }
}
