//! The thread pool that runs qualstat's batch functions.
//!
//! Batch functions run inside [`install`], on a rayon pool owned by qualstat
//! (not rayon's global pool), so its size can be changed at any time with
//! [`set_num_threads`] and it can be rebuilt in a forked child with
//! [`reset_after_fork`]. The initial size comes from the environment variable
//! `QUALSTAT_NUM_THREADS` (a positive integer), else rayon's default (the
//! number of logical CPUs). `QUALSTAT_NUM_THREADS=1` runs batch work on one
//! worker thread.

use crate::error::{Error, Result};
use std::sync::{Arc, Mutex, MutexGuard};

/// Name of the environment variable that sets the initial pool size.
pub const NUM_THREADS_ENV: &str = "QUALSTAT_NUM_THREADS";

struct PoolState {
    pool: Option<Arc<rayon::ThreadPool>>,
    threads: Option<usize>,
}

static STATE: Mutex<PoolState> = Mutex::new(PoolState {
    pool: None,
    threads: None,
});

fn state() -> MutexGuard<'static, PoolState> {
    // A poisoned lock only means another thread panicked while holding it;
    // the state (an Option of an Arc) is still consistent.
    STATE.lock().unwrap_or_else(|e| e.into_inner())
}

fn env_threads() -> Option<usize> {
    std::env::var(NUM_THREADS_ENV)
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&n| n > 0)
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
        if st.threads.is_none() {
            st.threads = env_threads();
        }
        st.pool = build(st.threads);
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

/// Sets the number of worker threads used by batch functions.
///
/// # Errors
/// [`Error::InvalidArgument`] if `threads` is 0.
pub fn set_num_threads(threads: usize) -> Result<()> {
    if threads == 0 {
        return Err(Error::invalid("threads", threads, "a positive integer"));
    }
    let mut st = state();
    st.threads = Some(threads);
    st.pool = None;
    Ok(())
}

/// The number of worker threads batch functions use.
pub fn num_threads() -> usize {
    let st = state();
    match st.threads.or_else(env_threads) {
        Some(n) => n,
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    }
}

/// Forgets the pool without joining its threads; call in a forked child.
///
/// After `fork` only the forking thread exists in the child: the pool's
/// workers are gone and using the inherited pool would deadlock. This drops
/// the reference without running the pool's destructor (which would wait for
/// threads that do not exist); the next batch call builds a fresh pool.
pub fn reset_after_fork() {
    let mut st = state();
    if let Some(p) = st.pool.take() {
        std::mem::forget(p);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rayon::prelude::*;

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
        let s: u64 = install(|| (0..10u64).into_par_iter().sum());
        assert_eq!(s, 45);
    }
}
