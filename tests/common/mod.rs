//! Helpers shared by the integration tests (`mod common;` in each test file).

use rand::{rngs::StdRng, Rng};

/// `n` standard normal draws by the Box–Muller transform.
pub fn normals(rng: &mut StdRng, n: usize) -> Vec<f64> {
    (0..n)
        .map(|_| {
            let u: f64 = rng.random::<f64>().max(f64::MIN_POSITIVE);
            let v: f64 = rng.random();
            (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
        })
        .collect()
}
