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
    let applies = (1.0..=LARGEST).contains(&m) && m == m.floor() && b >= 1.0;
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
