//! Python bindings (the only place pyo3 appears). Thin wrappers: validation
//! and computation live in the core modules; heavy calls release the GIL and
//! run on qualstat's thread pool.

mod arrays;
mod capability;
mod conformity;
mod control;
mod control_arl;
mod dql;
mod iso2859_1;
mod iso2859_2;
mod iso3951;
mod iso3951_4;
mod msa;
mod multitest;
mod net_content;
mod plan;
mod proportion;
mod spc;
mod summary;
mod supervision;
mod variables;

use crate::error::Error;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

/// The one mapping of core errors to Python exceptions: every [`Error`] is a
/// bad argument (or an argument for which no answer exists) and becomes a
/// `ValueError` carrying the core message, which names the argument, its
/// value and the allowed range.
impl From<Error> for PyErr {
    fn from(e: Error) -> PyErr {
        PyValueError::new_err(e.to_string())
    }
}

/// Parses a string option into a core enum.
pub(crate) fn parse<T: std::str::FromStr<Err = Error>>(s: &str) -> PyResult<T> {
    Ok(s.parse::<T>()?)
}

/// Sets the number of worker threads of qualstat's batch functions (1 to
/// `parallel::MAX_THREADS`; the Python wrapper checks the argument's type).
#[pyfunction]
fn set_num_threads(threads: i64) -> PyResult<()> {
    let t = crate::parallel::check_threads(threads)?;
    Ok(crate::parallel::set_num_threads(t)?)
}

/// The problem with `QUALSTAT_NUM_THREADS`, if it is set to something other
/// than an allowed pool size (the pool then has its default size), else None.
#[pyfunction]
fn _num_threads_env_problem() -> Option<String> {
    crate::parallel::env_threads().err().map(|e| e.to_string())
}

/// The number of worker threads qualstat's batch functions use.
#[pyfunction]
fn get_num_threads() -> usize {
    crate::parallel::num_threads()
}

/// Drops the inherited thread pool in a forked child (registered with
/// `os.register_at_fork` by the Python package).
#[pyfunction]
fn _after_fork_in_child() {
    crate::parallel::reset_after_fork();
}

#[pymodule]
fn _qualstat(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(set_num_threads, m)?)?;
    m.add_function(wrap_pyfunction!(get_num_threads, m)?)?;
    m.add("_MAX_THREADS", crate::parallel::MAX_THREADS)?;
    m.add_function(wrap_pyfunction!(_num_threads_env_problem, m)?)?;
    m.add_function(wrap_pyfunction!(_after_fork_in_child, m)?)?;
    proportion::register(m)?;
    capability::register(m)?;
    summary::register(m)?;
    spc::register(m)?;
    plan::register(m)?;
    iso2859_1::register(m)?;
    variables::register(m)?;
    iso3951::register(m)?;
    dql::register(m)?;
    iso2859_2::register(m)?;
    iso3951_4::register(m)?;
    multitest::register(m)?;
    net_content::register(m)?;
    supervision::register(m)?;
    conformity::register(m)?;
    control::register(m)?;
    msa::register(m)?;
    control_arl::register(m)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_become_value_errors_with_the_core_message() {
        Python::initialize();
        Python::attach(|py| {
            let err: PyErr = Error::invalid("confidence", 2.0, "a number in (0, 1)").into();
            assert!(err.is_instance_of::<PyValueError>(py));
            assert_eq!(
                err.value(py).to_string(),
                "confidence = 2 is invalid: expected a number in (0, 1)"
            );
            let err: PyErr = Error::absent("lot_size", "a lot size").into();
            assert!(err.is_instance_of::<PyValueError>(py));
            assert_eq!(
                err.value(py).to_string(),
                "lot_size is not given: expected a lot size"
            );
            let err: PyErr = Error::NoSolution("no plan".into()).into();
            assert!(err.is_instance_of::<PyValueError>(py));
        });
    }
}
