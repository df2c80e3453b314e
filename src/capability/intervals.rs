//! Confidence intervals for capability indices.
//!
//! Sources: Minitab Help, "Methods and formulas for Normal Capability
//! Analysis" (Cp and Pp by chi-square with the sigma method's degrees of
//! freedom; Cpk and Ppk by Bissell's normal approximation); Bissell (1990),
//! "How reliable is your capability index?", Applied Statistics 39(3);
//! Boyles (1991), "The Taguchi capability index", JQT 23(1).

//!
//! The bounds are those of [`crate::proportion::Bound`]: two-sided, or a
//! one-sided lower or upper confidence bound at the stated confidence. The
//! side a one-sided bound leaves open is the edge of the index's range: +∞
//! above a lower bound; below an upper bound 0 for the chi-square indices (Cp,
//! Pp, Cpm are positive) and −∞ for the Cpk type.

use crate::error::{check_confidence, Error, Result};
use crate::numerics::{chi_square, normal};
use crate::proportion::{Bound, Interval};

/// χ²_{p, ν} with a small per-thread memo: in a batch of equal-sized groups
/// the Cp and Pp intervals ask for the same few quantiles again and again,
/// and each one is an inverse incomplete gamma function.
fn chi2_quantile(df: f64, p: f64) -> f64 {
    use std::cell::RefCell;
    const SLOTS: usize = 8;
    /// Entries (ν bits, p bits, quantile) and the next slot to overwrite.
    type Memo = ([(u64, u64, f64); SLOTS], usize);
    thread_local! {
        static MEMO: RefCell<Memo> = const { RefCell::new(([(u64::MAX, u64::MAX, 0.0); SLOTS], 0)) };
    }
    let key = (df.to_bits(), p.to_bits());
    MEMO.with(|m| {
        let mut m = m.borrow_mut();
        if let Some(&(_, _, q)) = m.0.iter().find(|e| (e.0, e.1) == key) {
            return q;
        }
        let q = chi_square::quantile(p, df);
        let next = m.1;
        m.0[next] = (key.0, key.1, q);
        m.1 = (next + 1) % SLOTS;
        q
    })
}

/// Tail probabilities (lower, upper) of the interval's two ends (0 and 1
/// for an open side).
pub(crate) fn tails(confidence: f64, bound: Bound) -> (f64, f64) {
    match bound {
        Bound::TwoSided => (0.5 * (1.0 - confidence), 0.5 * (1.0 + confidence)),
        Bound::Lower => (1.0 - confidence, 1.0),
        Bound::Upper => (0.0, confidence),
    }
}

fn check_df(name: &str, df: f64) -> Result<()> {
    if df.is_finite() && df > 0.0 {
        Ok(())
    } else {
        Err(Error::invalid(
            name,
            df,
            "a positive number of degrees of freedom",
        ))
    }
}

/// Chi-square interval of an index proportional to 1/σ (Cp, Pp; Cpm with
/// Boyles' ν).
///
/// # Formula
/// [Ĉ √(χ²_{α/2, ν}/ν), Ĉ √(χ²_{1−α/2, ν}/ν)]; Ĉ √(χ²_{α, ν}/ν) as a lower
/// bound (upper +∞); Ĉ √(χ²_{1−α, ν}/ν) as an upper bound (lower 0).
///
/// # Errors
/// [`Error::InvalidArgument`] for a confidence outside (0, 1), a non-positive
/// `df` or a non-finite index.
pub fn chi2_interval(index: f64, df: f64, confidence: f64, bound: Bound) -> Result<Interval> {
    check_confidence(confidence)?;
    check_df("df", df)?;
    if !index.is_finite() {
        return Err(Error::invalid("index", index, "a finite number"));
    }
    let (lo, hi) = tails(confidence, bound);
    let scale = |p: f64| (chi2_quantile(df, p) / df).sqrt();
    Ok(Interval {
        lower: if bound == Bound::Upper {
            0.0
        } else {
            index * scale(lo)
        },
        upper: if bound == Bound::Lower {
            f64::INFINITY
        } else {
            index * scale(hi)
        },
    })
}

/// Bissell's interval for Cpk-type indices (Cpk, Ppk, Cpl, Cpu).
///
/// # Formula
/// Ĉpk ∓ z √(1/(9N) + Ĉpk²/(2ν)), with z the standard normal quantile of the
/// confidence, N the number of observations and ν the degrees of freedom of σ
/// (Minitab's form; ν = N − 1 gives Bissell's original). The square root is
/// taken as a hypotenuse when Ĉpk² would overflow. A one-sided bound uses
/// z = Φ⁻¹(confidence) and leaves the other side open (±∞).
///
/// # Errors
/// As [`chi2_interval`], and `n` must be at least 2.
pub fn bissell_interval(
    index: f64,
    n: usize,
    df: f64,
    confidence: f64,
    bound: Bound,
) -> Result<Interval> {
    check_confidence(confidence)?;
    check_df("df", df)?;
    if n < 2 {
        return Err(Error::invalid("n", n, "at least 2 observations"));
    }
    if !index.is_finite() {
        return Err(Error::invalid("index", index, "a finite number"));
    }
    let (_, hi) = tails(confidence, bound);
    let z = match bound {
        Bound::TwoSided => normal::quantile(hi),
        Bound::Lower | Bound::Upper => normal::quantile(confidence),
    };
    let mut half = z * (1.0 / (9.0 * n as f64) + index * index / (2.0 * df)).sqrt();
    if !half.is_finite() {
        half = z * (1.0 / (3.0 * (n as f64).sqrt())).hypot(index / (2.0 * df).sqrt());
    }
    Ok(Interval {
        lower: if bound == Bound::Upper {
            f64::NEG_INFINITY
        } else {
            index - half
        },
        upper: if bound == Bound::Lower {
            f64::INFINITY
        } else {
            index + half
        },
    })
}

/// Boyles' degrees of freedom for Cpm: ν = N (1 + a²)² / (1 + 2a²), a = (x̄ − T)/s.
pub fn boyles_df(n: usize, mean: f64, sd: f64, target: f64) -> f64 {
    let a = (mean - target) / sd;
    let a2 = a * a;
    n as f64 * (1.0 + a2).powi(2) / (1.0 + 2.0 * a2)
}
