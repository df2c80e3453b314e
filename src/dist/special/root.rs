//! Safeguarded Halley iteration in log-space, shared by the inverses of the
//! incomplete beta and gamma functions.
//!
//! The unknown x > 0 is moved through u = ln x, which keeps it positive and
//! makes tail equations like ln I ≈ a ln x + c linear. The caller supplies
//! F(u) increasing in u (a difference of log-probabilities) with its first
//! two derivatives; a bracket [lo, hi] on u with F(lo) < 0 < F(hi) is kept,
//! and any step leaving it is replaced by bisection, so the iteration cannot
//! diverge.

/// Value and derivatives of the function whose root is sought, at u = ln x.
pub(crate) struct Eval {
    /// F(u); must be increasing in u.
    pub f: f64,
    /// dF/du > 0.
    pub df: f64,
    /// d²F/du².
    pub d2f: f64,
}

/// Relative step below which a Halley step is taken as converged: Halley's
/// error after a step of relative size s is O(s³), far below 1e-16 here.
const HALLEY_DONE: f64 = 1e-9;
/// Bound on the predicted error ((F''/F')² + F'²)·|du|³ of a Halley step
/// below which the step is taken as the final one.
const HALLEY_ERROR: f64 = 1e-18;
/// Relative step below which any step (Newton or bisection) is converged.
const STEP_DONE: f64 = 2e-16;

/// Finds the root of `eval`, starting at `x0` within the bracket
/// `lo <= x <= hi` (0 < lo < hi). `eval(x)` returns F and its derivatives in
/// u = ln x. Steps are multiplicative, x ← x·e^du, so x keeps full relative
/// precision down to the smallest normal numbers. Returns x, or NaN if `eval`
/// gives NaN.
pub(crate) fn halley_log(
    mut eval: impl FnMut(f64) -> Eval,
    x0: f64,
    mut lo: f64,
    mut hi: f64,
) -> f64 {
    let mut x = x0.clamp(lo, hi);
    for _ in 0..300 {
        let e = eval(x);
        if e.f.is_nan() {
            return f64::NAN;
        }
        if e.f == 0.0 {
            return x;
        }
        if e.f < 0.0 {
            lo = x;
        } else {
            hi = x;
        }
        let mut du = -e.f / e.df;
        let mut halley = false;
        if du.abs() < 0.1 {
            // Halley's correction, applied only while it is a modest change.
            let c = 1.0 - e.f * e.d2f / (2.0 * e.df * e.df);
            if (0.5..=1.5).contains(&c) {
                du /= c;
                halley = true;
            }
        } else if du > 0.0 {
            // An upward step as Newton in x itself (x(1 + du) < x e^du):
            // the conservative choice when F is linear in x, e.g. ln Q(a, x)
            // for large x.
            du = du.ln_1p();
        }
        if du.abs() <= STEP_DONE {
            // At the root to rounding level: the bracket test below would
            // reject a step this small and bisect instead.
            return x;
        }
        let scale = (e.d2f / e.df).powi(2) + e.df * e.df;
        if halley && scale * du.abs().powi(3) <= HALLEY_ERROR {
            // Halley's error after the step, (F''²/(4F'²) − F'''/(6F'))·du³,
            // is below the rounding level of x. The bound takes F'''/F' to be
            // at most a few times (F''/F')² or F'² (the scale of the log-tails
            // in u, which also covers an inflection point where F'' = 0).
            return x * du.exp();
        }
        let mut next = x * du.exp();
        if !(next > lo && next < hi) {
            halley = false;
            // Bisection, geometric while the bracket spans a wide range.
            next = if hi > 4.0 * lo {
                (0.5 * (lo.ln() + hi.ln())).exp()
            } else {
                0.5 * (lo + hi)
            };
            du = (next / x).ln();
        }
        x = next;
        let size = du.abs();
        if (halley && size < HALLEY_DONE) || size <= STEP_DONE || hi - lo <= STEP_DONE * x {
            break;
        }
    }
    x
}
