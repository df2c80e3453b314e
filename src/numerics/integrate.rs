//! Numerical integration: globally adaptive Gauss–Kronrod (7, 15)
//! quadrature (Piessens, de Doncker-Kapenga, Überhuber & Kahaner 1983,
//! *QUADPACK*, routines `qk15` and `qag`).
//!
//! Used by the SPC constants d2, d3 and d4 (moments of the range of normal
//! samples) and the global risks of conformity decisions.

/// Abscissae of the 15-point Kronrod rule on [-1, 1] (non-negative half,
/// descending), QUADPACK `qk15` (Piessens et al. 1983).
const XGK: [f64; 8] = [
    0.991_455_371_120_812_6,
    0.949_107_912_342_758_5,
    0.864_864_423_359_769_1,
    0.741_531_185_599_394_4,
    0.586_087_235_467_691_1,
    0.405_845_151_377_397_2,
    0.207_784_955_007_898_5,
    0.0,
];
/// Kronrod weights matching [`XGK`].
const WGK: [f64; 8] = [
    0.022_935_322_010_529_22,
    0.063_092_092_629_978_55,
    0.104_790_010_322_250_18,
    0.140_653_259_715_525_92,
    0.169_004_726_639_267_9,
    0.190_350_578_064_785_4,
    0.204_432_940_075_298_9,
    0.209_482_141_084_727_83,
];
/// Weights of the embedded 7-point Gauss rule (at XGK[1], XGK[3], XGK[5], XGK[7]).
const WG: [f64; 4] = [
    0.129_484_966_168_869_7,
    0.279_705_391_489_276_7,
    0.381_830_050_505_118_9,
    0.417_959_183_673_469_4,
];

/// One Gauss–Kronrod (7, 15) panel: (Kronrod estimate, |Kronrod − Gauss|).
fn gk15(f: &impl Fn(f64) -> f64, a: f64, b: f64) -> (f64, f64) {
    let c = 0.5 * (a + b);
    let h = 0.5 * (b - a);
    let fc = f(c);
    let mut k = WGK[7] * fc;
    let mut g = WG[3] * fc;
    for j in 0..7 {
        let x = h * XGK[j];
        let s = f(c - x) + f(c + x);
        k += WGK[j] * s;
        if j % 2 == 1 {
            g += WG[j / 2] * s;
        }
    }
    (k * h, ((k - g) * h).abs())
}

/// ∫ₐᵇ f(x) dx by globally adaptive Gauss–Kronrod (7, 15) quadrature: the
/// panel with the largest error estimate is bisected until the summed error
/// estimate is below `abs_tol` (or 2000 panels are used).
pub fn integrate(f: impl Fn(f64) -> f64, a: f64, b: f64, abs_tol: f64) -> f64 {
    Quadrature::default().integrate(f, &[a, b], abs_tol, 0.0, 2000)
}

/// One panel of the adaptive rule: its ends, Kronrod estimate and error estimate.
#[derive(Debug, Clone, Copy)]
struct Panel {
    lo: f64,
    hi: f64,
    value: f64,
    error: f64,
}

/// Reusable storage for adaptive quadrature with break points (QUADPACK
/// `qagp`'s idea on the `qk15` rule): a batch keeps one per thread, so the
/// integrals of a batch allocate nothing after the first.
#[derive(Debug, Default, Clone)]
pub struct Quadrature {
    panels: Vec<Panel>,
}

impl Quadrature {
    /// ∫ f from the first to the last of `points` by globally adaptive Gauss–Kronrod
    /// (7, 15) quadrature, starting from one panel between each pair of
    /// consecutive `points` (ascending; put them where f changes scale, so
    /// the first rules see every feature). The panel with the largest error
    /// estimate is bisected until the summed estimate is at most
    /// max(`abs_tol`, `rel_tol`·|integral|) or `max_panels` are used.
    /// Fewer than two points give 0.
    pub fn integrate(
        &mut self,
        f: impl Fn(f64) -> f64,
        points: &[f64],
        abs_tol: f64,
        rel_tol: f64,
        max_panels: usize,
    ) -> f64 {
        self.panels.clear();
        let (mut total, mut err) = (0.0, 0.0);
        for w in points.windows(2) {
            let (value, error) = gk15(&f, w[0], w[1]);
            self.panels.push(Panel {
                lo: w[0],
                hi: w[1],
                value,
                error,
            });
            total += value;
            err += error;
        }
        while err > abs_tol.max(rel_tol * total.abs()) && self.panels.len() < max_panels {
            let worst = self
                .panels
                .iter()
                .enumerate()
                .max_by(|x, y| x.1.error.total_cmp(&y.1.error))
                .map_or(0, |(i, _)| i);
            let p = self.panels.swap_remove(worst);
            let mid = 0.5 * (p.lo + p.hi);
            let (v1, e1) = gk15(&f, p.lo, mid);
            let (v2, e2) = gk15(&f, mid, p.hi);
            err += e1 + e2 - p.error;
            total += v1 + v2 - p.value;
            self.panels.push(Panel {
                lo: p.lo,
                hi: mid,
                value: v1,
                error: e1,
            });
            self.panels.push(Panel {
                lo: mid,
                hi: p.hi,
                value: v2,
                error: e2,
            });
        }
        self.panels.iter().map(|p| p.value).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quadrature_is_exact_on_polynomials_and_accurate_on_gaussians() {
        // The 15-point Kronrod rule integrates degree-22 polynomials exactly.
        let v = integrate(|x| x.powi(10) - 3.0 * x.powi(3) + 1.0, -1.0, 2.0, 1e-13);
        let exact = (2f64.powi(11) + 1.0) / 11.0 - 0.75 * (16.0 - 1.0) + 3.0;
        assert!((v - exact).abs() < 1e-12 * exact.abs());
        let g = integrate(|x| (-0.5 * x * x).exp(), -12.0, 12.0, 1e-15);
        assert!((g - (2.0 * std::f64::consts::PI).sqrt()).abs() < 1e-13);
    }

    #[test]
    fn adaptive_panels_resolve_a_peak() {
        // A narrow peak the first panel misses almost entirely.
        let w = 1e-3;
        let v = integrate(|x| w / (x * x + w * w), -1.0, 1.0, 1e-12);
        let exact = 2.0 * (1.0 / w).atan();
        assert!((v - exact).abs() < 1e-10, "{v} {exact}");
    }

    #[test]
    fn break_points_and_relative_tolerance() {
        // A step of width 1e-6 at 0.3 that one panel over [0, 1] would miss:
        // a break point there lets the rule see it.
        let w = 1e-6;
        let f = |x: f64| 1.0 / (1.0 + ((x - 0.3) / w).exp());
        let mut q = Quadrature::default();
        let v = q.integrate(
            f,
            &[0.0, 0.3 - 10.0 * w, 0.3, 0.3 + 10.0 * w, 1.0],
            0.0,
            1e-13,
            500,
        );
        assert!((v - 0.3).abs() < 1e-14, "{v}");
        // A tiny integral to full relative precision: ∫₀¹ 1e-200 x² dx.
        let v = q.integrate(|x| 1e-200 * x * x, &[0.0, 1.0], 0.0, 1e-14, 500);
        assert!((v / (1e-200 / 3.0) - 1.0).abs() < 1e-14, "{v:e}");
        assert_eq!(q.integrate(|x| x, &[1.0], 0.0, 1e-14, 500), 0.0);
    }
}
