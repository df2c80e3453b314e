//! Summary statistics of a sample: mean, sum of squared deviations and
//! standard deviation.
//!
//! Two passes (the mean first, then the squared deviations from it): exact
//! for data with a large common offset, where the one-pass formula
//! Σx² − n·x̄² cancels catastrophically (Chan, Golub & LeVeque 1983,
//! "Algorithms for computing the sample variance").

/// The arithmetic mean Σx / n (NaN for an empty sample).
pub fn mean(x: &[f64]) -> f64 {
    x.iter().sum::<f64>() / x.len() as f64
}

/// The sum of squared deviations from the mean, Σ(x − x̄)².
pub fn sum_sq_dev(x: &[f64]) -> f64 {
    let m = mean(x);
    x.iter().map(|v| (v - m) * (v - m)).sum()
}

/// The mean and the sample standard deviation s = √(Σ(x − x̄)² / (n − 1))
/// (s is NaN for fewer than two values).
pub fn mean_sd(x: &[f64]) -> (f64, f64) {
    let n = x.len() as f64;
    let mean = mean(x);
    let ss: f64 = x.iter().map(|v| (v - mean) * (v - mean)).sum();
    (mean, (ss / (n - 1.0)).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_passes_survive_a_large_offset() {
        let x = [1e9 + 4.0, 1e9 + 7.0, 1e9 + 13.0, 1e9 + 16.0];
        let (m, s) = mean_sd(&x);
        assert_eq!(m, 1e9 + 10.0);
        assert_eq!(sum_sq_dev(&x), 90.0);
        assert!((s - 30f64.sqrt()).abs() < 1e-14);
        assert!(mean_sd(&[1.0]).1.is_nan());
        assert!(mean(&[]).is_nan());
    }
}
