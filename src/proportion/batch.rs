//! Batch evaluation over slices, in parallel on qualstat's pool.

use super::{check_counts, closed, exact, Bound, Method, Setup};
use crate::error::{check_same_len, count_from_f64, Error, Result};
use crate::parallel;
use rayon::prelude::*;

/// An element type that can hold a count (numbers of items, successes, ...).
///
/// Implemented for the integer types and for `f64` (which must then hold a
/// non-negative whole number), so that batch functions read numpy's int64 and
/// float64 arrays without a conversion copy.
pub trait Count: Copy + Send + Sync {
    /// The count as `u64`, or an error naming `name` if it is not a
    /// non-negative whole number.
    fn to_count(self, name: &dyn Fn() -> String) -> Result<u64>;
}

fn negative(name: &dyn Fn() -> String, v: impl std::fmt::Display) -> Error {
    Error::invalid(name(), v, "a non-negative whole number (at most 2^53)")
}

impl Count for f64 {
    #[inline]
    fn to_count(self, name: &dyn Fn() -> String) -> Result<u64> {
        count_from_f64("", self).map_err(|_| negative(name, self))
    }
}

impl Count for u64 {
    #[inline]
    fn to_count(self, _name: &dyn Fn() -> String) -> Result<u64> {
        Ok(self)
    }
}

impl Count for u32 {
    #[inline]
    fn to_count(self, _name: &dyn Fn() -> String) -> Result<u64> {
        Ok(u64::from(self))
    }
}

impl Count for i64 {
    #[inline]
    fn to_count(self, name: &dyn Fn() -> String) -> Result<u64> {
        u64::try_from(self).map_err(|_| negative(name, self))
    }
}

impl Count for i32 {
    #[inline]
    fn to_count(self, name: &dyn Fn() -> String) -> Result<u64> {
        u64::try_from(self).map_err(|_| negative(name, self))
    }
}

/// Reads element `i` of `values` as a count; the error names `name[i]`.
#[inline]
pub(crate) fn count_at<C: Count>(values: &[C], i: usize, name: &str) -> Result<u64> {
    match values.get(i) {
        Some(v) => v.to_count(&|| format!("{name}[{i}]")),
        None => Err(Error::invalid(
            format!("{name}[{i}]"),
            "missing",
            "an element",
        )),
    }
}

/// Elements per parallel task: large enough to amortise scheduling.
const CHUNK: usize = 2048;

/// Fills `lower[i], upper[i] = f(i)` for every i, in parallel.
///
/// # Errors
/// The error of one failing element (if several fail, any one of them), or a
/// length mismatch between `lower` and `upper`.
pub(crate) fn fill_pairs(
    lower: &mut [f64],
    upper: &mut [f64],
    f: impl Fn(usize) -> Result<(f64, f64)> + Sync,
) -> Result<()> {
    fill_chunks(lower, upper, |start, lo, hi| {
        for (j, (l, u)) in lo.iter_mut().zip(hi.iter_mut()).enumerate() {
            (*l, *u) = f(start + j)?;
        }
        Ok(())
    })
}

/// Runs `fill(start, lower_chunk, upper_chunk)` on chunks of `CHUNK`
/// elements in parallel (`start` is the index of the chunk's first element).
fn fill_chunks(
    lower: &mut [f64],
    upper: &mut [f64],
    fill: impl Fn(usize, &mut [f64], &mut [f64]) -> Result<()> + Sync,
) -> Result<()> {
    check_same_len("lower", lower.len(), "upper", upper.len())?;
    parallel::install(|| {
        lower
            .par_chunks_mut(CHUNK)
            .zip(upper.par_chunks_mut(CHUNK))
            .enumerate()
            .try_for_each(|(c, (lo, hi))| fill(c * CHUNK, lo, hi))
    })
}

/// [`super::proportion_ci`] over arrays: `lower[i], upper[i]` receive the
/// interval for `x[i]` successes in `n[i]` trials. Runs in parallel.
///
/// # Errors
/// Mismatched lengths (of the inputs or the outputs), an invalid confidence,
/// or an invalid element (named as `successes[i]` or `trials[i]`).
///
/// # Example
/// ```
/// use qualstat::proportion::{proportion_ci_batch, Bound, Method};
/// let x = [0i64, 5, 10];
/// let n = [10i64, 10, 10];
/// let (mut lo, mut hi) = (vec![0.0; 3], vec![0.0; 3]);
/// proportion_ci_batch(&x, &n, 0.95, Method::Wilson, Bound::TwoSided, &mut lo, &mut hi).unwrap();
/// assert_eq!(lo[0], 0.0);
/// assert_eq!(hi[2], 1.0);
/// ```
pub fn proportion_ci_batch<X: Count, N: Count>(
    x: &[X],
    n: &[N],
    confidence: f64,
    method: Method,
    bound: Bound,
    lower: &mut [f64],
    upper: &mut [f64],
) -> Result<()> {
    let setup = Setup::new(confidence, method, bound)?;
    let z = setup.z;
    // The closed forms cost a few nanoseconds, so their loops (and those of
    // the two beta-quantile methods) are monomorphised: no per-element
    // dispatch on the method.
    match method {
        Method::Wilson => fill_intervals(x, n, lower, upper, bound, |xi, ni| {
            closed::wilson(xi, ni, z)
        }),
        Method::Wald => fill_intervals(x, n, lower, upper, bound, |xi, ni| closed::wald(xi, ni, z)),
        Method::AgrestiCoull => fill_intervals(x, n, lower, upper, bound, |xi, ni| {
            closed::agresti_coull(xi, ni, z)
        }),
        Method::ClopperPearson => fill_exact(
            (x, n),
            lower,
            upper,
            bound,
            &setup.beta,
            exact::clopper_pearson_params,
        ),
        Method::Jeffreys => fill_exact(
            (x, n),
            lower,
            upper,
            bound,
            &setup.beta,
            exact::jeffreys_params,
        ),
        _ => fill_intervals(x, n, lower, upper, bound, |xi, ni| setup.limits(xi, ni)),
    }
}

/// The counts (x[i], n[i]) at index `i` of the batch, validated; errors
/// name `successes[i]` or `trials[i]`.
fn counts_at<X: Count, N: Count>(xv: X, nv: N, i: usize) -> Result<(u64, u64)> {
    let xi = xv.to_count(&|| format!("successes[{i}]"))?;
    let ni = nv.to_count(&|| format!("trials[{i}]"))?;
    check_counts(xi, ni, || {
        (format!("successes[{i}]"), format!("trials[{i}]"))
    })?;
    Ok((xi, ni))
}

/// The chunk of `x` and `n` that starts at `start` and is `len` long.
fn chunk_of<'a, X, N>(
    x: &'a [X],
    n: &'a [N],
    start: usize,
    len: usize,
) -> Result<(&'a [X], &'a [N])> {
    match (x.get(start..start + len), n.get(start..start + len)) {
        (Some(xs), Some(ns)) => Ok((xs, ns)),
        _ => Err(Error::invalid(
            "successes",
            "too short",
            "one count per interval",
        )),
    }
}

/// [`fill_intervals`] for the exact beta-quantile intervals: each chunk's
/// pairs are validated, then their limits are solved by
/// [`exact::BetaLimits::solve_all`] (several side by side, each equal bit
/// for bit to the scalar limit).
fn fill_exact<X: Count, N: Count>(
    (x, n): (&[X], &[N]),
    lower: &mut [f64],
    upper: &mut [f64],
    bound: Bound,
    limits: &exact::BetaLimits,
    params: impl Fn(u64, u64) -> ((f64, f64), (f64, f64)) + Sync + Copy,
) -> Result<()> {
    check_same_len("successes", x.len(), "trials", n.len())?;
    check_same_len("lower", lower.len(), "successes", x.len())?;
    fill_chunks(lower, upper, |start, lo, hi| {
        let (xs, ns) = chunk_of(x, n, start, lo.len())?;
        let pairs = xs
            .iter()
            .zip(ns)
            .enumerate()
            .map(|(j, (&xv, &nv))| counts_at(xv, nv, start + j))
            .collect::<Result<Vec<_>>>()?;
        limits.solve_all(&pairs, params, lo, hi);
        for (l, u) in lo.iter_mut().zip(hi.iter_mut()) {
            let ci = bound.select(*l, *u);
            (*l, *u) = (ci.lower, ci.upper);
        }
        Ok(())
    })
}

/// Fills `lower[i], upper[i]` with the limits `f(x[i], n[i])` kept by
/// `bound`, after validating each pair (errors name `successes[i]` or
/// `trials[i]`), in parallel; the slices are walked in step, without
/// per-element indexing.
fn fill_intervals<X: Count, N: Count>(
    x: &[X],
    n: &[N],
    lower: &mut [f64],
    upper: &mut [f64],
    bound: Bound,
    f: impl Fn(u64, u64) -> (f64, f64) + Sync,
) -> Result<()> {
    check_same_len("successes", x.len(), "trials", n.len())?;
    check_same_len("lower", lower.len(), "successes", x.len())?;
    fill_chunks(lower, upper, |start, lo, hi| {
        let (xs, ns) = chunk_of(x, n, start, lo.len())?;
        let outputs = lo.iter_mut().zip(hi.iter_mut());
        for (j, ((l, u), (&xv, &nv))) in outputs.zip(xs.iter().zip(ns)).enumerate() {
            let (xi, ni) = counts_at(xv, nv, start + j)?;
            let (a, b) = f(xi, ni);
            let ci = bound.select(a, b);
            (*l, *u) = (ci.lower, ci.upper);
        }
        Ok(())
    })
}
