"""The size of qualstat's thread pool, on which the batch functions run.

The pool has 1 to 1024 threads (``_qualstat._MAX_THREADS``): a fixed cap, the
same on every machine, far above any useful size for CPU-bound work and low
enough that a mistyped size cannot make the next batch call spend minutes
starting threads. The environment variable ``QUALSTAT_NUM_THREADS`` sets the
initial size; a value that is not a whole number from 1 to 1024 is ignored
(the default, one thread per logical CPU, is used) with a ``RuntimeWarning``
when qualstat is imported.
"""

from __future__ import annotations

import warnings
from typing import Any

from . import _coerce, _qualstat

MAX_THREADS: int = _qualstat._MAX_THREADS


def set_num_threads(threads: Any) -> None:
    """Set the number of worker threads of qualstat's batch functions.

    The pool is rebuilt with the new size at the next batch call.

    Parameters
    ----------
    threads : int
        A whole number from 1 to 1024.

    Raises
    ------
    TypeError
        For a value that is not a number (a string, a boolean).
    ValueError
        For a number that is not whole or is outside 1 to 1024.

    Examples
    --------
    >>> import qualstat as qs
    >>> before = qs.get_num_threads()
    >>> qs.set_num_threads(2)
    >>> qs.get_num_threads()
    2
    >>> qs.set_num_threads(2**53 + 1)
    Traceback (most recent call last):
    ...
    ValueError: threads = 9007199254740993 is invalid: expected a whole number at least 1 and ...
    >>> qs.set_num_threads(before)
    """
    count = _coerce.integer(threads, "threads", minimum=1, maximum=MAX_THREADS)
    _qualstat.set_num_threads(count)


def get_num_threads() -> int:
    """The number of worker threads qualstat's batch functions use.

    Returns
    -------
    int
        The size set with :func:`set_num_threads`, else the one
        ``QUALSTAT_NUM_THREADS`` gives, else the number of logical CPUs.

    Examples
    --------
    >>> import qualstat as qs
    >>> 1 <= qs.get_num_threads() <= 1024
    True
    """
    return _qualstat.get_num_threads()


def _warn_about_environment() -> None:
    """A ``RuntimeWarning`` when ``QUALSTAT_NUM_THREADS`` is set to a value the pool ignores."""
    problem = _qualstat._num_threads_env_problem()
    if problem is not None:
        warnings.warn(problem, RuntimeWarning, stacklevel=2)


_warn_about_environment()
