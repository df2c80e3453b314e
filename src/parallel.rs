//! The thread pool that runs qualstat's batch functions.
//!
//! Batch functions run inside [`install`], on a rayon pool owned by qualstat
//! (not rayon's global pool), so its size can be changed at any time with
//! [`set_num_threads`] and it can be dropped in a forked child with
//! [`reset_after_fork`]. The initial size comes from the environment variable
//! `QUALSTAT_NUM_THREADS`, else rayon's default (the number of logical CPUs).
//! `QUALSTAT_NUM_THREADS=1` runs batch work on one worker thread.
//!
//! # Bounds
//! A pool has 1 to [`MAX_THREADS`] (1024) threads: a fixed cap, the same on
//! every machine, far above any useful size for CPU-bound work (a thread per
//! logical CPU is the optimum; the cap allows several times the largest
//! common servers) and low enough that a mistyped size cannot make the next
//! batch call spend minutes starting threads. [`set_num_threads`] refuses
//! other sizes with an error naming `threads` and the range. A
//! `QUALSTAT_NUM_THREADS` that is not a whole number from 1 to 1024 is
//! ignored (the default size is used) and [`env_threads`] reports it; the
//! Python package turns that report into a `RuntimeWarning` at import.
//!
//! # Fork safety
//! The pool and its lock live behind an atomic pointer. After `fork` the
//! child has only the forking thread: the pool's workers are gone, and the
//! lock may be held forever by a thread that no longer exists (one that was
//! resizing the pool or starting a batch at the moment of the fork).
//! [`reset_after_fork`] therefore takes no lock: it points the child at a
//! fresh, empty state and leaves the inherited one (pool, lock and all)
//! untouched, never dropped, so no destructor waits for threads that do not
//! exist. The next batch call in the child builds a new pool.

use crate::error::{Error, Result};
use rayon::prelude::*;
use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

/// Name of the environment variable that sets the initial pool size.
pub const NUM_THREADS_ENV: &str = "QUALSTAT_NUM_THREADS";

/// The largest pool size accepted (see the module docs for the choice).
pub const MAX_THREADS: usize = 1024;

/// The pool, built on first use and dropped when the size changes.
struct PoolState {
    pool: Option<Arc<rayon::ThreadPool>>,
}

/// The state of the process as started.
static INITIAL: Mutex<PoolState> = Mutex::new(PoolState { pool: None });

/// The current state: [`INITIAL`], or after a fork one leaked by
/// [`reset_after_fork`]. Every state it ever points to lives for the rest of
/// the process, so a reference obtained from it never dangles.
static STATE: AtomicPtr<Mutex<PoolState>> = AtomicPtr::new(std::ptr::addr_of!(INITIAL).cast_mut());

/// The size set with [`set_num_threads`]; 0 while none was set. An atomic
/// (not part of the locked state) so a forked child keeps it without taking
/// the lock.
static THREADS: AtomicUsize = AtomicUsize::new(0);

fn state() -> MutexGuard<'static, PoolState> {
    // SAFETY: STATE only ever holds the address of INITIAL or of a leaked
    // Box (see reset_after_fork); both live for the rest of the process and
    // are only accessed through shared references.
    let current: &'static Mutex<PoolState> = unsafe { &*STATE.load(Ordering::Acquire) };
    // A poisoned lock only means another thread panicked while holding it;
    // the state (an Option of an Arc) is still consistent.
    current.lock().unwrap_or_else(|e| e.into_inner())
}

/// The allowed sizes, in words.
fn allowed() -> String {
    format!("a whole number of threads from 1 to {MAX_THREADS}")
}

/// The pool size `QUALSTAT_NUM_THREADS` asks for: `Ok(None)` when it is not
/// set, `Ok(Some(n))` for a whole number from 1 to [`MAX_THREADS`].
///
/// # Errors
/// [`Error::InvalidArgument`] naming the variable when it is set to anything
/// else (or is not valid Unicode); the pool then has its default size.
pub fn env_threads() -> Result<Option<usize>> {
    let Some(raw) = std::env::var_os(NUM_THREADS_ENV) else {
        return Ok(None);
    };
    let text = raw.to_string_lossy();
    match text.trim().parse::<usize>() {
        Ok(n) if (1..=MAX_THREADS).contains(&n) => Ok(Some(n)),
        _ => Err(Error::invalid(
            NUM_THREADS_ENV,
            format!("{text:?}"),
            format!("{} (it is ignored: the default size is used)", allowed()),
        )),
    }
}

/// The size the pool is to have: as set, else from the environment, else
/// `None` (rayon's default).
fn configured_threads() -> Option<usize> {
    match THREADS.load(Ordering::Relaxed) {
        0 => env_threads().ok().flatten(),
        n => Some(n),
    }
}

fn build(threads: Option<usize>) -> Option<Arc<rayon::ThreadPool>> {
    let mut builder = rayon::ThreadPoolBuilder::new().thread_name(|i| format!("qualstat-{i}"));
    if let Some(n) = threads {
        builder = builder.num_threads(n);
    }
    // Building fails only if the OS refuses to spawn threads; then run serially.
    builder.build().ok().map(Arc::new)
}

fn pool() -> Option<Arc<rayon::ThreadPool>> {
    let mut st = state();
    if st.pool.is_none() {
        st.pool = build(configured_threads());
    }
    st.pool.clone()
}

/// Runs `f` on qualstat's pool: rayon parallel iterators inside `f` use it.
///
/// If no pool could be built (the OS refused to spawn threads) `f` runs on
/// the calling thread.
pub fn install<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    match pool() {
        Some(p) => p.install(f),
        None => f(),
    }
}

/// The concatenation of `parts` in order, the parts copied in parallel (on
/// the pool of the caller: qualstat's inside [`install`]).
pub(crate) fn concat<'a, T: Copy + Default + Send + Sync + 'a>(
    parts: impl Iterator<Item = &'a [T]>,
) -> Vec<T> {
    let parts: Vec<&[T]> = parts.collect();
    let mut out = vec![T::default(); parts.iter().map(|p| p.len()).sum()];
    let mut pieces = Vec::with_capacity(parts.len());
    let mut rest = out.as_mut_slice();
    for part in &parts {
        let (piece, after) = std::mem::take(&mut rest).split_at_mut(part.len());
        pieces.push(piece);
        rest = after;
    }
    pieces
        .into_par_iter()
        .zip(parts)
        .for_each(|(piece, part)| piece.copy_from_slice(part));
    out
}

/// Sets the number of worker threads used by batch functions (the pool is
/// rebuilt with that size at the next batch call).
///
/// # Errors
/// [`Error::InvalidArgument`] naming `threads` unless it is from 1 to
/// [`MAX_THREADS`].
pub fn set_num_threads(threads: usize) -> Result<()> {
    check_threads(threads)?;
    let mut st = state();
    THREADS.store(threads, Ordering::Relaxed);
    st.pool = None;
    Ok(())
}

/// Checks a pool size: a whole number from 1 to [`MAX_THREADS`], given as
/// any integer type (the bindings pass what the user typed).
///
/// # Errors
/// [`Error::InvalidArgument`] naming `threads` and the range.
pub fn check_threads<T: TryInto<usize> + std::fmt::Display + Copy>(threads: T) -> Result<usize> {
    match threads.try_into() {
        Ok(n) if (1..=MAX_THREADS).contains(&n) => Ok(n),
        _ => Err(Error::invalid("threads", threads, allowed())),
    }
}

/// The number of worker threads batch functions use.
pub fn num_threads() -> usize {
    match configured_threads() {
        Some(n) => n,
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    }
}

/// Forgets the pool without joining its threads and without taking any
/// lock; call in a forked child (see the module docs).
///
/// The child gets a fresh, empty state (the size set with
/// [`set_num_threads`] is kept); the inherited state is leaked, so neither
/// its pool's destructor (which would wait for threads that do not exist in
/// the child) nor its lock (which a vanished thread may hold) is ever used.
/// One small allocation per fork.
pub fn reset_after_fork() {
    let fresh: &'static Mutex<PoolState> =
        Box::leak(Box::new(Mutex::new(PoolState { pool: None })));
    STATE.store(std::ptr::from_ref(fresh).cast_mut(), Ordering::Release);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pool_can_be_resized_and_reset() {
        assert!(set_num_threads(0).is_err());
        set_num_threads(2).unwrap();
        assert_eq!(num_threads(), 2);
        let s: u64 = install(|| (0..1000u64).into_par_iter().sum());
        assert_eq!(s, 499_500);
        set_num_threads(1).unwrap();
        let s: u64 = install(|| (0..1000u64).into_par_iter().sum());
        assert_eq!(s, 499_500);
        reset_after_fork();
        assert_eq!(num_threads(), 1);
        let s: u64 = install(|| (0..10u64).into_par_iter().sum());
        assert_eq!(s, 45);
    }

    #[test]
    fn sizes_are_bounded() {
        for bad in [0usize, MAX_THREADS + 1, (1 << 53) + 1, usize::MAX] {
            let e = set_num_threads(bad).unwrap_err().to_string();
            assert!(e.starts_with(&format!("threads = {bad} is invalid")), "{e}");
            assert!(e.contains("from 1 to 1024"), "{e}");
        }
        assert_eq!(
            check_threads(-3i64).unwrap_err().to_string(),
            format!("threads = -3 is invalid: expected {}", allowed())
        );
        assert_eq!(check_threads(1024i64), Ok(1024));
    }

    #[test]
    fn a_reset_does_not_wait_for_a_held_lock() {
        // A thread that holds the lock forever stands for one that vanished
        // in a fork while holding it: the reset must not wait for it.
        let held = state();
        reset_after_fork();
        let s: u64 = install(|| (0..100u64).into_par_iter().sum());
        assert_eq!(s, 4950);
        drop(held);
    }
}
