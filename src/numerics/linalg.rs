//! Small dense linear systems: LU factorisation with partial pivoting
//! (Golub & Van Loan, *Matrix Computations*, 4th ed., Algorithm 3.4.1) and
//! the triangular solves. Used by the run-length computations
//! (`control::arl`: Markov chains and Nyström systems of a few hundred
//! unknowns), where a factorisation is reused for several right-hand sides.

/// An LU factorisation P·A = L·U of a square matrix, stored row-major in one
/// buffer (unit lower triangle of L below the diagonal, U on and above it).
#[derive(Debug, Clone)]
pub struct Lu {
    n: usize,
    lu: Vec<f64>,
    perm: Vec<usize>,
}

impl Lu {
    /// Factorises the row-major n×n matrix `a` (consumed). Returns `None` when
    /// `a.len() != n·n` or a pivot is zero or not finite (singular matrix).
    pub fn new(mut a: Vec<f64>, n: usize) -> Option<Lu> {
        if a.len() != n * n {
            return None;
        }
        let mut perm: Vec<usize> = (0..n).collect();
        for col in 0..n {
            let (mut best, mut best_abs) = (col, 0.0);
            for row in col..n {
                let v = a[row * n + col].abs();
                if v > best_abs {
                    (best, best_abs) = (row, v);
                }
            }
            if !(best_abs > 0.0 && best_abs.is_finite()) {
                return None;
            }
            if best != col {
                for j in 0..n {
                    a.swap(col * n + j, best * n + j);
                }
                perm.swap(col, best);
            }
            let pivot = a[col * n + col];
            let (top, bottom) = a.split_at_mut((col + 1) * n);
            let pivot_row = &top[col * n..];
            for row in bottom.chunks_exact_mut(n) {
                let factor = row[col] / pivot;
                row[col] = factor;
                if factor != 0.0 {
                    for (r, p) in row[col + 1..].iter_mut().zip(&pivot_row[col + 1..]) {
                        *r -= factor * p;
                    }
                }
            }
        }
        Some(Lu { n, lu: a, perm })
    }

    /// The order n of the matrix.
    pub fn order(&self) -> usize {
        self.n
    }

    /// Solves A·x = b for x (b of length n; a shorter or longer b gives `None`).
    pub fn solve(&self, b: &[f64]) -> Option<Vec<f64>> {
        let n = self.n;
        if b.len() != n {
            return None;
        }
        let mut x: Vec<f64> = self.perm.iter().map(|&p| b[p]).collect();
        for i in 0..n {
            let row = &self.lu[i * n..i * n + i];
            let s: f64 = row.iter().zip(&x[..i]).map(|(a, x)| a * x).sum();
            x[i] -= s;
        }
        for i in (0..n).rev() {
            let row = &self.lu[i * n..(i + 1) * n];
            let s: f64 = row[i + 1..]
                .iter()
                .zip(&x[i + 1..])
                .map(|(a, x)| a * x)
                .sum();
            x[i] = (x[i] - s) / row[i];
        }
        Some(x)
    }
}

/// Solves the row-major n×n system A·x = b; `None` when A is singular or the
/// sizes do not fit.
pub fn solve(a: Vec<f64>, n: usize, b: &[f64]) -> Option<Vec<f64>> {
    Lu::new(a, n)?.solve(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solves_a_system_that_needs_pivoting() {
        // A x = b with x = (1, 2, 3); a zero leading entry forces a row swap.
        let a = vec![0.0, 2.0, 1.0, 1.0, 1.0, 1.0, 2.0, 1.0, -1.0];
        let b = [7.0, 6.0, 1.0];
        let x = solve(a, 3, &b).unwrap();
        for (got, want) in x.iter().zip([1.0, 2.0, 3.0]) {
            assert!((got - want).abs() < 1e-14, "{got}");
        }
    }

    #[test]
    fn reproduces_a_random_right_hand_side() {
        let n = 60;
        let mut seed = 12345u64;
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 11) as f64 / (1u64 << 53) as f64 - 0.5
        };
        let a: Vec<f64> = (0..n * n).map(|_| next()).collect();
        let x: Vec<f64> = (0..n).map(|_| next()).collect();
        let b: Vec<f64> = (0..n)
            .map(|i| (0..n).map(|j| a[i * n + j] * x[j]).sum())
            .collect();
        let got = Lu::new(a, n).unwrap().solve(&b).unwrap();
        for (g, w) in got.iter().zip(&x) {
            assert!((g - w).abs() < 1e-10, "{g} {w}");
        }
    }

    #[test]
    fn refuses_singular_and_misshapen_input() {
        assert!(Lu::new(vec![1.0, 2.0, 2.0, 4.0], 2).is_none());
        assert!(Lu::new(vec![1.0, 2.0, 3.0], 2).is_none());
        assert!(Lu::new(vec![f64::NAN, 0.0, 0.0, 1.0], 2).is_none());
        let lu = Lu::new(vec![1.0, 0.0, 0.0, 1.0], 2).unwrap();
        assert_eq!(lu.order(), 2);
        assert!(lu.solve(&[1.0]).is_none());
    }
}
