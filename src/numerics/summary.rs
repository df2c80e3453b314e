//! Summary statistics of a sample: mean, sum of squared deviations and
//! standard deviation.
//!
//! Two passes (the mean first, then the squared deviations from it): exact
//! for data with a large common offset, where the one-pass formula
//! Σx² − n·x̄² cancels catastrophically (Chan, Golub & LeVeque 1983,
//! "Algorithms for computing the sample variance").
//!
//! [`Moments`] holds the count, the mean and M2 = Σ(x − x̄)² of a sample so
//! that summaries of parts of a sample (partitions of a distributed frame)
//! can be combined into the summary of the whole by the pairwise update of
//! Chan, Golub & LeVeque (1979), "Updating formulae and a pairwise algorithm
//! for computing sample variances" (Stanford CS tech. report STAN-CS-79-773).

use crate::error::{check_offsets, Result};

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

/// The mergeable summary of a sample: count `n`, mean and M2 = Σ(x − x̄)².
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Moments {
    /// Number of values.
    pub n: u64,
    /// Their mean (NaN when `n` is 0).
    pub mean: f64,
    /// The sum of squared deviations from the mean.
    pub m2: f64,
}

impl Moments {
    /// The moments of `x`, in two passes (the mean, then the squared deviations).
    pub fn of(x: &[f64]) -> Moments {
        let mean = mean(x);
        Moments {
            n: x.len() as u64,
            mean,
            m2: x.iter().map(|v| (v - mean) * (v - mean)).sum(),
        }
    }

    /// The moments of the union of two samples (Chan, Golub & LeVeque 1979):
    /// with δ = x̄_b − x̄_a and n = n_a + n_b, x̄ = x̄_a + δ n_b / n and
    /// M2 = M2_a + M2_b + δ² n_a n_b / n. An empty side leaves the other as is.
    pub fn merge(self, other: Moments) -> Moments {
        if other.n == 0 {
            return self;
        }
        if self.n == 0 {
            return other;
        }
        let (na, nb) = (self.n as f64, other.n as f64);
        let n = na + nb;
        let delta = other.mean - self.mean;
        Moments {
            n: self.n + other.n,
            mean: self.mean + delta * (nb / n),
            m2: self.m2 + other.m2 + delta * delta * (na * nb / n),
        }
    }

    /// The sample standard deviation √(M2 / (n − 1)) (NaN for fewer than two values).
    pub fn sd(&self) -> f64 {
        (self.m2 / (self.n as f64 - 1.0)).sqrt()
    }
}

/// Merges consecutive runs of partial moments: run `i` is
/// `parts[offsets[i]..offsets[i + 1]]`, merged in order.
///
/// # Errors
/// [`crate::error::Error::InvalidArgument`] for offsets that are not
/// ascending from 0 to `parts.len()`.
pub fn merge_runs(parts: &[Moments], offsets: &[usize]) -> Result<Vec<Moments>> {
    check_offsets("offsets", offsets, parts.len())?;
    Ok(offsets
        .windows(2)
        .map(|w| {
            parts[w[0]..w[1]]
                .iter()
                .fold(Moments::default(), |acc, &m| acc.merge(m))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merged_parts_equal_the_whole() {
        let x = [1e9 + 4.0, 1e9 + 7.0, 1e9 + 13.0, 1e9 + 16.0, 1e9 + 1.0];
        let whole = Moments::of(&x);
        for cut in 0..=x.len() {
            let m = Moments::of(&x[..cut]).merge(Moments::of(&x[cut..]));
            assert_eq!(m.n, whole.n);
            assert!((m.mean - whole.mean).abs() <= 1e-15 * whole.mean);
            assert!((m.m2 - whole.m2).abs() <= 1e-9 * whole.m2, "{cut}: {m:?}");
        }
        let parts = [Moments::of(&x[..2]), Moments::of(&x[2..]), Moments::of(&x)];
        let runs = merge_runs(&parts, &[0, 2, 3]).unwrap();
        assert!((runs[0].sd() - whole.sd()).abs() < 1e-12 * whole.sd());
        assert_eq!(runs[1], whole);
        assert!(merge_runs(&parts, &[0, 2]).is_err());
        assert!(merge_runs(&parts, &[1, 3]).is_err());
    }

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
