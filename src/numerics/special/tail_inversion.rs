//! Tail inversion: the specialised solver behind the inverses of the
//! incomplete beta and gamma functions (safeguarded series-reversion steps in
//! log-space). General-purpose root finding is [`crate::numerics::roots`].
//!
//! The unknown x > 0 is moved through u = ln x, which keeps it positive and
//! makes tail equations like ln I ≈ a ln x + c linear. The caller supplies
//! F(u) increasing in u (a difference of log-probabilities) with its first
//! five derivatives; a bracket [lo, hi] on u with F(lo) < 0 < F(hi) is kept,
//! and any step leaving it is replaced by bisection, so the iteration cannot
//! diverge.
//!
//! Near the root the step is the inverse function's Taylor polynomial of
//! degree five (series reversion, Abramowitz & Stegun 3.6.25): from
//! F(u₀) = f, t = −f/F′ and bⱼ = F⁽ʲ⁾/(j!·F′),
//! Δu = t + A₂t² + A₃t³ + A₄t⁴ + A₅t⁵ with A₂ = −b₂, A₃ = 2b₂² − b₃,
//! A₄ = 5b₂b₃ − 5b₂³ − b₄, A₅ = 14b₂⁴ − 21b₂²b₃ + 6b₂b₄ + 3b₃² − b₅.
//! Its error is O(t⁶), so a start within about 1e-3 of the root in the scale
//! of F needs a single evaluation of F.

/// Value and derivatives of the function whose root is sought, at u = ln x.
#[derive(Clone, Copy, Default)]
pub(crate) struct Eval {
    /// F(u); must be increasing in u.
    pub f: f64,
    /// dF/du > 0.
    pub df: f64,
    /// d²F/du².
    pub d2f: f64,
    /// d³F/du³.
    pub d3f: f64,
    /// d⁴F/du⁴.
    pub d4f: f64,
    /// d⁵F/du⁵.
    pub d5f: f64,
}

impl Eval {
    /// F = ±(ln T − ln target) for a tail probability T of a distribution
    /// whose density g gives D(u) = ln(x·g(x)), u = ln x: `sign` = 1 for the
    /// lower tail T(x) = ∫₀ˣ g and −1 for the upper tail T(x) = 1 − ∫₀ˣ g (so
    /// that F increases in u either way). `df` = e^{D − ln T} = F′ and `d` =
    /// (D′, D″, D‴, D⁗). Then F″ = F′E with E = D′ − sign·F′, and Leibniz's
    /// rule gives the rest: F‴ = F″E + F′E′, F⁗ = F‴E + 2F″E′ + F′E″,
    /// F⁽⁵⁾ = F⁗E + 3F‴E′ + 3F″E″ + F′E‴, with E⁽ʲ⁾ = D⁽ʲ⁺¹⁾ − sign·F⁽ʲ⁺¹⁾.
    #[inline(always)]
    pub(crate) fn tail(f: f64, df: f64, sign: f64, d: [f64; 4]) -> Eval {
        let [d1, d2, d3, d4] = d;
        let e = d1 - sign * df;
        let d2f = df * e;
        let e1 = d2 - sign * d2f;
        let d3f = d2f * e + df * e1;
        let e2 = d3 - sign * d3f;
        let d4f = d3f * e + 2.0 * d2f * e1 + df * e2;
        let e3 = d4 - sign * d4f;
        let d5f = d4f * e + 3.0 * (d3f * e1 + d2f * e2) + df * e3;
        Eval {
            f,
            df,
            d2f,
            d3f,
            d4f,
            d5f,
        }
    }
}

/// Bound on the predicted error of a degree-five step below which the step
/// is the final one (relative, in x).
const FINAL_ERROR: f64 = 1e-17;
/// Largest t²κ² for which the series step is used at all.
const SERIES_RANGE: f64 = 0.01;
/// Relative step below which any step (Newton or bisection) is converged.
const STEP_DONE: f64 = 2e-16;

/// The degree-five step Δu and a bound on the square of its predicted error
/// for `e`, or `None` when the start is too far from the root for the series.
///
/// With κ² = k₂² + |k₃| + F′² (kⱼ = F⁽ʲ⁾/F′: the scales on which F bends;
/// log-tails bend on the scale 1/F′ where F′ is large), the terms of the
/// series fall by about |t|κ each, so the error is taken as
/// (|A₄t⁴|·|t|κ + |A₅t⁵|)·|t|κ: the next term estimated from both of the
/// last two (robust when one of A₄, A₅ happens to be small).
fn series_step(e: &Eval) -> Option<(f64, f64)> {
    let (du, error2, tk2) = series_terms(e);
    // (tk2 is NaN when F or its derivatives are.)
    (tk2 < SERIES_RANGE).then_some((du, error2))
}

/// [`series_step`]'s (Δu, error², t²κ²) whether or not t²κ² is in range,
/// without branches.
#[inline(always)]
fn series_terms(e: &Eval) -> (f64, f64, f64) {
    let inv = 1.0 / e.df;
    let t = -e.f * inv;
    let k2 = e.d2f * inv;
    let k3 = e.d3f * inv;
    let kappa2 = k2 * k2 + k3.abs() + e.df * e.df;
    let tk2 = t * t * kappa2;
    let b2 = 0.5 * k2;
    let b3 = k3 * (1.0 / 6.0);
    let b4 = e.d4f * inv * (1.0 / 24.0);
    let b5 = e.d5f * inv * (1.0 / 120.0);
    let b2_2 = b2 * b2;
    let a3 = 2.0 * b2_2 - b3;
    let a4 = 5.0 * b2 * (b3 - b2_2) - b4;
    let a5 = b2_2 * (14.0 * b2_2 - 21.0 * b3) + 6.0 * b2 * b4 + 3.0 * b3 * b3 - b5;
    // Estrin's scheme: short dependency chains (this step is on the
    // critical path of every inversion).
    let t2 = t * t;
    let du = t * ((1.0 - b2 * t) + t2 * ((a3 + a4 * t) + t2 * a5));
    // error² ≤ 2((A₄t⁴)²t²κ² + (A₅t⁵)²)·t²κ², without a square root.
    let t4 = t2 * t2;
    let (p4, p5) = (a4 * t4, a5 * t4 * t);
    let error2 = 2.0 * (p4 * p4 * tk2 + p5 * p5) * tk2;
    (du, error2, tk2)
}

/// Finds the root of `eval`, starting at `x0` within the bracket
/// `lo <= x <= hi` (0 < lo < hi). `eval(x)` returns F and its derivatives in
/// u = ln x. Steps are multiplicative, x ← x·e^du, so x keeps full relative
/// precision down to the smallest normal numbers. Returns x, or NaN if `eval`
/// gives NaN.
pub(crate) fn solve_log(mut eval: impl FnMut(f64) -> Eval, x0: f64, lo: f64, hi: f64) -> f64 {
    let x = x0.clamp(lo, hi);
    let first = eval(x);
    solve_log_from(eval, x, first, lo, hi)
}

/// [`solve_log`] from `x` (within the bracket) where `eval(x)` = `first` is
/// already known: callers that solve two problems evaluate both starting
/// points back to back, which lets the processor overlap the two
/// (independent) chains of dependent arithmetic.
pub(crate) fn solve_log_from(
    mut eval: impl FnMut(f64) -> Eval,
    mut x: f64,
    first: Eval,
    mut lo: f64,
    mut hi: f64,
) -> f64 {
    let mut e = first;
    for _ in 0..300 {
        let (next, du) = match advance(x, &e, &mut lo, &mut hi) {
            Advance::Root(root) => return root,
            Advance::Step { next, du } => (next, du),
        };
        x = next;
        if du.abs() <= STEP_DONE || hi - lo <= STEP_DONE * x {
            break;
        }
        e = eval(x);
    }
    x
}

/// The outcome of one iteration of [`solve_log_from`].
pub(crate) enum Advance {
    /// The root (NaN if F was NaN).
    Root(f64),
    /// The next point and the step `du` in ln x that reached it.
    Step { next: f64, du: f64 },
}

/// One iteration from x, where F is `e`, within the bracket (`lo`, `hi`),
/// which it narrows by the sign of F.
pub(crate) fn advance(x: f64, e: &Eval, lo: &mut f64, hi: &mut f64) -> Advance {
    if e.f.is_nan() {
        return Advance::Root(f64::NAN);
    }
    if e.f == 0.0 {
        return Advance::Root(x);
    }
    if e.f < 0.0 {
        *lo = x;
    } else {
        *hi = x;
    }
    let (mut du, error2) = match series_step(e) {
        Some(step) => step,
        None => (far_step(e), f64::INFINITY),
    };
    if du.abs() <= STEP_DONE {
        // At the root to rounding level: the bracket test below would
        // reject a step this small and bisect instead.
        return Advance::Root(x);
    }
    let mut next = x * exp_small(du);
    let inside = next > *lo && next < *hi;
    if inside && error2 <= FINAL_ERROR * FINAL_ERROR {
        return Advance::Root(next);
    }
    if !inside {
        // Bisection, geometric while the bracket spans a wide range.
        next = if *hi > 4.0 * *lo {
            (0.5 * (lo.ln() + hi.ln())).exp()
        } else {
            0.5 * (*lo + *hi)
        };
        du = (next / x).ln();
    }
    Advance::Step { next, du }
}

/// e^du, by its Taylor polynomial of degree five when |du| < 1e-3 (error
/// below du⁶/720 < 2e-21; Estrin's scheme), the usual case near the root.
fn exp_small(du: f64) -> f64 {
    if du.abs() < EXP_TAYLOR_MAX {
        exp_taylor(du)
    } else {
        du.exp()
    }
}

/// Largest |du| for which [`exp_small`] takes its Taylor polynomial.
const EXP_TAYLOR_MAX: f64 = 1e-3;

/// [`exp_small`]'s Taylor polynomial of degree five.
#[inline(always)]
fn exp_taylor(du: f64) -> f64 {
    let du2 = du * du;
    (1.0 + du) + du2 * ((0.5 + du * (1.0 / 6.0)) + du2 * (1.0 / 24.0 + du * (1.0 / 120.0)))
}

/// [`advance`] from x (bracket `lo`..`hi`) in the usual case where one
/// series step ends the search, without branches (for side-by-side solves):
/// the root x·e^Δu, and whether `advance` returns exactly it (else the
/// caller must run [`advance`]).
#[inline(always)]
pub(crate) fn advance_final(x: f64, e: &Eval, lo: f64, hi: f64) -> (f64, bool) {
    let (lo, hi) = if e.f < 0.0 { (x, hi) } else { (lo, x) };
    let (du, error2, tk2) = series_terms(e);
    let next = x * exp_taylor(du);
    let small = du.abs();
    let done = e.f != 0.0
        && tk2 < SERIES_RANGE
        && small > STEP_DONE
        && small < EXP_TAYLOR_MAX
        && next > lo
        && next < hi
        && error2 <= FINAL_ERROR * FINAL_ERROR;
    (next, done)
}

/// A step from far away: Halley's while it is a modest change of Newton's,
/// Newton's otherwise.
fn far_step(e: &Eval) -> f64 {
    let du = -e.f / e.df;
    if du.abs() < 0.1 {
        let c = 1.0 - e.f * e.d2f / (2.0 * e.df * e.df);
        if (0.5..=1.5).contains(&c) {
            return du / c;
        }
        du
    } else if du > 0.0 {
        // An upward step as Newton in x itself (x(1 + du) < x e^du): the
        // conservative choice when F is linear in x, e.g. ln Q(a, x) for
        // large x.
        du.ln_1p()
    } else {
        du
    }
}
