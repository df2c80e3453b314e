//! The noncentral t distribution T = (Z + δ)/√(V/ν), Z ~ N(0, 1), V ~ χ²(ν).
//!
//! Algorithm: the Poisson-weighted incomplete beta series of Lenth (1989,
//! Applied Statistics algorithm AS 243), for t ≥ 0 with x = t²/(t² + ν):
//!
//! P(T ≤ t) = Φ(−δ) + ½ Σ_j [p_j I_x(j + ½, ν/2) + q_j I_x(j + 1, ν/2)],
//! p_j = e^{−δ²/2} (δ²/2)^j / j!,  q_j = δ/√2 · e^{−δ²/2} (δ²/2)^j / Γ(j + 3/2).
//!
//! Because Σ p_j = 1 and Σ q_j = erf(δ/√2), the upper tail is the same series
//! on the complements, with no Φ term:
//!
//! P(T > t) = ½ Σ_j [p_j (1 − I_x(j + ½, ν/2)) + q_j (1 − I_x(j + 1, ν/2))],
//!
//! so for δ ≥ 0 both tails are sums of positive terms and each keeps full
//! relative accuracy however small it is (the s-method OC P(T ≥ k√n) with
//! δ = z_{1−p}√n needs exactly that). As in AS 243 the sum starts at the
//! Poisson mode j₀ = ⌊δ²/2⌋ with I_x and its complement evaluated there
//! directly, and runs both ways with the recurrences
//! I_x(a + 1, b) = I_x(a, b) − G_a, G_a = xᵃ yᵇ Γ(a + b)/(Γ(a + 1) Γ(b)),
//! G_{a+1} = G_a x (a + b)/(a + 1) (Abramowitz & Stegun 26.5.16), stopping
//! when a bound on the remaining Poisson mass is below 1e-17 of the sum, or
//! once the Poisson weights are below the normal range (a subnormal weight
//! times a ratio near 1 rounds back to itself and would never reach 0).
//! t < 0 uses P(T ≤ t; ν, δ) = P(T ≥ −t; ν, −δ). When t and δ have opposite
//! signs the q_j are negative and the series cancels: the error is then
//! ~1e-16 absolute rather than relative (the s-method never needs this).

use super::normal;
use super::special::{self, stirling};

/// ln(Γ(j + 1)/Γ(j + 3/2)), accurate for all j ≥ 0 (Stirling errors for j ≥ 15).
fn ln_gamma_ratio_half(j: f64) -> f64 {
    if j < 15.0 {
        return special::ln_gamma(j + 1.0) - special::ln_gamma(j + 1.5);
    }
    // With ln Γ(z + 1) = (z + ½) ln z − z + ½ ln 2π + δ(z), z = j and j + ½.
    -(j + 0.5) * (0.5 / j).ln_1p() - 0.5 * (j + 0.5).ln() + 0.5 + stirling::stirlerr(j)
        - stirling::stirlerr(j + 0.5)
}

/// Incomplete beta I_x(a, ν/2), its complement and G_a at one a, moved along a ± 1.
struct BetaLadder {
    a: f64,
    b: f64,
    x: f64,
    lower: f64,
    upper: f64,
    g: f64,
}

impl BetaLadder {
    fn new(a: f64, b: f64, x: f64, y: f64) -> Self {
        let t = special::beta_tails(a, b, x, y);
        BetaLadder {
            a,
            b,
            x,
            lower: t.ln_lower.exp(),
            upper: t.ln_upper.exp(),
            g: (t.ln_front - a.ln()).exp(),
        }
    }

    fn up(&mut self) {
        self.lower = (self.lower - self.g).max(0.0);
        self.upper = (self.upper + self.g).min(1.0);
        self.g *= self.x * (self.a + self.b) / (self.a + 1.0);
        self.a += 1.0;
    }

    fn down(&mut self) {
        self.g *= self.a / (self.x * (self.a - 1.0 + self.b));
        self.a -= 1.0;
        self.lower = (self.lower + self.g).min(1.0);
        self.upper = (self.upper - self.g).max(0.0);
    }
}

/// (P(T ≤ t), P(T > t)) for t ≥ 0.
fn tails_nonnegative(t: f64, df: f64, delta: f64) -> (f64, f64) {
    if t == 0.0 {
        return (normal::cdf(-delta), normal::sf(-delta));
    }
    if t == f64::INFINITY {
        return (1.0, 0.0);
    }
    let (x, y) = if t * t > df {
        let s = df / t / t;
        (1.0 / (1.0 + s), s / (1.0 + s))
    } else {
        let s = t * t / df;
        (s / (1.0 + s), 1.0 / (1.0 + s))
    };
    if x < f64::MIN_POSITIVE {
        // t²/ν below the normal range: every beta term is O(√x) relative to
        // its Poisson weight, below double precision, so the tails are those
        // at t = 0 (the ladder below cannot run on a subnormal or zero x).
        return (normal::cdf(-delta), normal::sf(-delta));
    }
    let b = 0.5 * df;
    let lambda = 0.5 * delta * delta;
    let j0 = lambda.floor();
    let p0 = stirling::ln_poisson_raw(j0, lambda).exp();
    let q0 = p0 * delta * std::f64::consts::FRAC_1_SQRT_2 * ln_gamma_ratio_half(j0).exp();
    let (mut sum_lower, mut sum_upper) = (0.0, 0.0);

    // Forward from the mode.
    let (mut half, mut one) = (
        BetaLadder::new(j0 + 0.5, b, x, y),
        BetaLadder::new(j0 + 1.0, b, x, y),
    );
    let (mut p, mut q, mut j) = (p0, q0, j0);
    loop {
        sum_lower += p * half.lower + q * one.lower;
        sum_upper += p * half.upper + q * one.upper;
        // Poisson ratio λ/(j+1) < 1 beyond the mode bounds the remaining mass.
        let ratio = lambda / (j + 1.0);
        let remaining = (p + q.abs()) * ratio / (1.0 - ratio).max(1e-300);
        if ratio < 1.0
            && (remaining <= 1e-17 * sum_upper.abs().min(sum_lower.abs()).max(f64::MIN_POSITIVE)
                || p + q.abs() < f64::MIN_POSITIVE)
        {
            break;
        }
        if j > j0 + 1e6 {
            break;
        }
        p *= ratio;
        q *= lambda / (j + 1.5);
        half.up();
        one.up();
        j += 1.0;
    }
    // Backward from the mode.
    let (mut half, mut one) = (
        BetaLadder::new(j0 + 0.5, b, x, y),
        BetaLadder::new(j0 + 1.0, b, x, y),
    );
    let (mut p, mut q, mut j) = (p0, q0, j0);
    while j >= 1.0 {
        p *= j / lambda;
        q *= (j + 0.5) / lambda;
        half.down();
        one.down();
        j -= 1.0;
        sum_lower += p * half.lower + q * one.lower;
        sum_upper += p * half.upper + q * one.upper;
        let ratio = j / lambda;
        let remaining = (p + q.abs()) * ratio / (1.0 - ratio);
        if remaining <= 1e-17 * sum_upper.abs().min(sum_lower.abs()).max(f64::MIN_POSITIVE)
            || p + q.abs() < f64::MIN_POSITIVE
        {
            break;
        }
    }
    let lower = normal::cdf(-delta) + 0.5 * sum_lower;
    let upper = 0.5 * sum_upper;
    (lower.clamp(0.0, 1.0), upper.clamp(0.0, 1.0))
}

fn valid(t: f64, df: f64, delta: f64) -> bool {
    !t.is_nan() && df > 0.0 && delta.is_finite()
}

/// (P(T ≤ t), P(T > t)) for any t.
fn tails(t: f64, df: f64, delta: f64) -> (f64, f64) {
    if t >= 0.0 {
        tails_nonnegative(t, df, delta)
    } else {
        let (lower, upper) = tails_nonnegative(-t, df, -delta);
        (upper, lower)
    }
}

/// P(T ≤ t) for the noncentral t with `df` > 0 degrees of freedom and
/// noncentrality `delta` (finite); NaN otherwise.
pub fn cdf(t: f64, df: f64, delta: f64) -> f64 {
    if !valid(t, df, delta) {
        return f64::NAN;
    }
    tails(t, df, delta).0
}

/// P(T > t) (equal to P(T ≥ t), the distribution being continuous).
pub fn sf(t: f64, df: f64, delta: f64) -> f64 {
    if !valid(t, df, delta) {
        return f64::NAN;
    }
    tails(t, df, delta).1
}
