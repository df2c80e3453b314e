//! Closed-form (approximate) intervals for one proportion. Each function
//! takes validated counts `x <= n`, `n >= 1` and z = Φ⁻¹(1 − tail) and returns
//! `(lower, upper)` clipped to [0, 1].

fn clip(v: f64) -> f64 {
    v.clamp(0.0, 1.0)
}

/// Wald: p̂ ± z·√(p̂ q̂ / n).
pub(crate) fn wald(x: u64, n: u64, z: f64) -> (f64, f64) {
    let nf = n as f64;
    let p = x as f64 / nf;
    let h = z * (p * (1.0 - p) / nf).sqrt();
    (clip(p - h), clip(p + h))
}

/// Wilson (1927) score interval, written without cancellation:
/// (2x + z² ∓ z·√(z² + 4x(n − x)/n)) / (2(n + z²)); the lower limit is
/// rationalised, (2x + z²)² − z²(z² + 4x(n − x)/n) = 4x²(1 + z²/n), so that
/// neither limit suffers cancellation when it is small.
///
/// The lower limit is exactly 0 at x = 0 and the upper exactly 1 at x = n.
pub(crate) fn wilson(x: u64, n: u64, z: f64) -> (f64, f64) {
    let (xf, nf) = (x as f64, n as f64);
    let z2 = z * z;
    let denom = 2.0 * (nf + z2);
    // One division gives both 1/n and 1/denom.
    let t = 1.0 / (nf * denom);
    let (inv_n, inv_denom) = (denom * t, nf * t);
    let root = z * (z2 + 4.0 * xf * ((nf - xf) * inv_n)).sqrt();
    let lower = if x == 0 {
        0.0
    } else {
        // (2x + z² − root) rationalised: (2x + z²)² − root² = 4x²(1 + z²/n).
        let s = 2.0 * xf + z2;
        let prod = 4.0 * xf * xf * (1.0 + z2 * inv_n);
        prod / ((s + root) * denom)
    };
    let upper = if x == n {
        1.0
    } else {
        (2.0 * xf + z2 + root) * inv_denom
    };
    (clip(lower), clip(upper))
}

/// Wilson score interval with continuity correction (Newcombe 1998,
/// *Statistics in Medicine* 17:857, method 4):
/// L = (2np̂ + z² − 1 − z√(z² − 2 − 1/n + 4p̂(nq̂ + 1))) / (2(n + z²)),
/// U = (2np̂ + z² + 1 + z√(z² + 2 − 1/n + 4p̂(nq̂ − 1))) / (2(n + z²));
/// L = 0 at x = 0 and U = 1 at x = n.
pub(crate) fn wilson_cc(x: u64, n: u64, z: f64) -> (f64, f64) {
    let (xf, nf) = (x as f64, n as f64);
    let p = xf / nf;
    let q = 1.0 - p;
    let z2 = z * z;
    let denom = 2.0 * (nf + z2);
    let lower = if x == 0 {
        0.0
    } else {
        let r = z2 - 2.0 - 1.0 / nf + 4.0 * p * (nf * q + 1.0);
        (2.0 * xf + z2 - 1.0 - z * r.max(0.0).sqrt()) / denom
    };
    let upper = if x == n {
        1.0
    } else {
        let r = z2 + 2.0 - 1.0 / nf + 4.0 * p * (nf * q - 1.0);
        (2.0 * xf + z2 + 1.0 + z * r.max(0.0).sqrt()) / denom
    };
    (clip(lower), clip(upper))
}

/// Agresti & Coull (1998): ñ = n + z², p̃ = (x + z²/2)/ñ, p̃ ± z√(p̃(1 − p̃)/ñ).
pub(crate) fn agresti_coull(x: u64, n: u64, z: f64) -> (f64, f64) {
    let z2 = z * z;
    let nt = n as f64 + z2;
    let pt = (x as f64 + 0.5 * z2) / nt;
    let h = z * (pt * (1.0 - pt) / nt).sqrt();
    (clip(pt - h), clip(pt + h))
}

/// Arcsine: sin²(asin√p̂ ∓ z/(2√n)), the angles clipped to [0, π/2]
/// (variance-stabilising transformation; Brown, Cai & DasGupta 2001, §4.2.3 use
/// the same form with p̂).
pub(crate) fn arcsine(x: u64, n: u64, z: f64) -> (f64, f64) {
    let nf = n as f64;
    let a = (x as f64 / nf).sqrt().asin();
    let h = z / (2.0 * nf.sqrt());
    // Both angles clipped to [0, π/2] on both sides: with z < 0 (a one-sided
    // bound at confidence below ½) a − h can pass π/2 and a + h fall below 0.
    let lo = (a - h).clamp(0.0, std::f64::consts::FRAC_PI_2);
    let hi = (a + h).clamp(0.0, std::f64::consts::FRAC_PI_2);
    (clip(lo.sin().powi(2)), clip(hi.sin().powi(2)))
}

/// Logit: λ̂ = ln(x/(n − x)) ± z·√(n/(x(n − x))), back-transformed by the
/// logistic function. `None` at x = 0 and x = n, where λ̂ is infinite.
pub(crate) fn logit(x: u64, n: u64, z: f64) -> Option<(f64, f64)> {
    if x == 0 || x == n {
        return None;
    }
    let (xf, nf) = (x as f64, n as f64);
    let y = nf - xf;
    let lam = (xf / y).ln();
    let se = (nf / (xf * y)).sqrt();
    let logistic = |t: f64| 1.0 / (1.0 + (-t).exp());
    Some((clip(logistic(lam - z * se)), clip(logistic(lam + z * se))))
}
