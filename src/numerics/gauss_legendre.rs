//! Gauss–Legendre quadrature nodes and weights.
//!
//! The n nodes are the roots of the Legendre polynomial P_n, found by Newton's
//! method from the asymptotic guess cos(π(i − 1/4)/(n + 1/2)) with P_n and its
//! derivative from the three-term recurrence
//! (k + 1) P_{k+1}(x) = (2k + 1) x P_k(x) − k P_{k−1}(x); the weights are
//! w_i = 2 / ((1 − x_i²) P_n′(x_i)²) (Abramowitz & Stegun 1964, 25.4.29;
//! Press et al., *Numerical Recipes*, 3rd ed., §4.6.1). The rule integrates
//! polynomials of degree up to 2n − 1 exactly. Used by the Nyström solutions
//! of the run-length integral equations (`control::arl`).

/// Nodes and weights of the n-point Gauss–Legendre rule on [a, b], nodes in
/// increasing order. Accurate to a few units in the last place for n up to
/// several thousand. `n = 0` gives empty vectors.
pub fn nodes_weights(n: usize, a: f64, b: f64) -> (Vec<f64>, Vec<f64>) {
    let mut x = vec![0.0; n];
    let mut w = vec![0.0; n];
    let half = 0.5 * (b - a);
    let mid = 0.5 * (a + b);
    let nf = n as f64;
    for i in 0..n.div_ceil(2) {
        let mut z = (std::f64::consts::PI * (i as f64 + 0.75) / (nf + 0.5)).cos();
        let mut dp = 1.0;
        for _ in 0..100 {
            let (p, d) = legendre(n, z);
            dp = d;
            let step = p / d;
            z -= step;
            if step.abs() <= 1e-16 * z.abs().max(1e-300) {
                dp = legendre(n, z).1;
                break;
            }
        }
        let weight = 2.0 / ((1.0 - z * z) * dp * dp);
        // Root i counted from the right is z; its mirror is -z.
        x[i] = mid - half * z;
        x[n - 1 - i] = mid + half * z;
        w[i] = half * weight;
        w[n - 1 - i] = half * weight;
    }
    (x, w)
}

/// P_n(z) and P_n′(z) by the three-term recurrence.
fn legendre(n: usize, z: f64) -> (f64, f64) {
    let (mut p0, mut p1) = (1.0, z);
    if n == 0 {
        return (1.0, 0.0);
    }
    for k in 1..n {
        let kf = k as f64;
        let p2 = ((2.0 * kf + 1.0) * z * p1 - kf * p0) / (kf + 1.0);
        p0 = p1;
        p1 = p2;
    }
    let d = n as f64 * (z * p1 - p0) / (z * z - 1.0);
    (p1, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_point_rule_matches_the_closed_form() {
        // A&S Table 25.4: x = 0, ±sqrt(3/5); w = 8/9, 5/9.
        let (x, w) = nodes_weights(3, -1.0, 1.0);
        let r = (0.6f64).sqrt();
        for (got, want) in x.iter().zip([-r, 0.0, r]) {
            assert!((got - want).abs() < 1e-15, "{got} {want}");
        }
        for (got, want) in w.iter().zip([5.0 / 9.0, 8.0 / 9.0, 5.0 / 9.0]) {
            assert!((got - want).abs() < 1e-15, "{got} {want}");
        }
    }

    #[test]
    fn integrates_polynomials_of_degree_2n_minus_1_exactly() {
        for n in [1usize, 2, 5, 16, 64, 257] {
            let (x, w) = nodes_weights(n, 0.5, 3.0);
            let deg = 2 * n - 1;
            let got: f64 = x.iter().zip(&w).map(|(x, w)| w * x.powi(deg as i32)).sum();
            let d = (deg + 1) as f64;
            let want = (3.0f64.powf(d) - 0.5f64.powf(d)) / d;
            assert!(
                (got / want - 1.0).abs() < 1e-12 * (n as f64),
                "n {n}: {got} {want}"
            );
            let total: f64 = w.iter().sum();
            assert!((total - 2.5).abs() < 1e-13, "n {n}: {total}");
            assert!(x.windows(2).all(|p| p[0] < p[1]));
        }
    }

    #[test]
    fn integrates_a_gaussian_to_full_precision() {
        let (x, w) = nodes_weights(40, -8.0, 8.0);
        let got: f64 = x
            .iter()
            .zip(&w)
            .map(|(x, w)| w * (-x * x / 2.0).exp())
            .sum();
        let want =
            (2.0 * std::f64::consts::PI).sqrt() * (1.0 - 2.0 * crate::numerics::normal::sf(8.0));
        assert!((got / want - 1.0).abs() < 1e-14, "{got} {want}");
    }
}
