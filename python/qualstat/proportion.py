"""Confidence intervals for pass rates, rates and differences of pass rates."""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from . import _qualstat
from ._coerce import as_array, check_scalar_count, count_arrays, is_scalar

__all__ = [
    "Interval",
    "proportion_ci",
    "proportion_diff_ci",
    "rate_ci",
    "demonstration_sample_size",
]


_EXACT = 2**53  # integers up to this magnitude are exact as float64


class Interval(NamedTuple):
    """A confidence interval: floats for scalar input, numpy float64 arrays for array input."""

    lower: Any
    upper: Any

    def to_dict(self) -> dict[str, Any]:
        """The limits as a dict."""
        return {"lower": self.lower, "upper": self.upper}


def _outputs(size: int) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """The two output arrays of a batch call, which the native code fills.

    ``np.empty`` reuses freed blocks: no zeroing and no page faults, which at a
    million pairs cost as much as the closed-form intervals themselves.
    """
    return np.empty(size), np.empty(size)


def _scalar(value: Any, name: str) -> float:
    if isinstance(value, np.ndarray):
        value = value.item()
    return check_scalar_count(value, name)


def _confidence(confidence: Any) -> float:
    if isinstance(confidence, bool) or not isinstance(confidence, int | float | np.floating):
        raise TypeError(f"confidence must be a number in (0, 1), got {confidence!r}")
    return float(confidence)


def _option(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, got {value!r}")
    return value


def proportion_ci(
    successes: Any,
    trials: Any,
    *,
    confidence: float = 0.95,
    method: str = "wilson",
    bound: str = "two-sided",
    population: Any = None,
) -> Interval:
    """Confidence interval for a pass rate (binomial proportion).

    Parameters
    ----------
    successes, trials : int or array-like of int
        Number of passing items and number inspected. Scalars give an
        ``Interval`` of floats; array-likes (lists, numpy arrays, pandas or
        polars Series, broadcast together) give an ``Interval`` of numpy arrays
        of the broadcast shape, computed in parallel with the GIL released.
    confidence : float
        Confidence level in (0, 1), as a fraction (0.95 = 95 %).
    method : str
        ``"wilson"`` (default), ``"wald"``, ``"wilson_cc"`` (Newcombe's method 4),
        ``"agresti_coull"`` (adds z²/2 successes and failures), ``"jeffreys"``,
        ``"clopper_pearson"`` (alias ``"exact"``), ``"mid_p"``,
        ``"likelihood_ratio"``, ``"arcsine"``, ``"logit"`` or ``"blaker"``.
        Wald, Agresti-Coull, Wilson, arcsine and logit limits are clipped to
        [0, 1]; the exact, likelihood-ratio and Jeffreys intervals (Brown-Cai-
        DasGupta boundary rule) have lower limit exactly 0 at x = 0 and upper
        limit exactly 1 at x = n. Logit uses the Clopper-Pearson limits at
        x = 0 and x = n. Mid-p and Blaker are exact-test inversions solved to
        about 1e-15 relative.
    bound : str
        ``"two-sided"`` (default); ``"lower"`` returns ``(L, 1.0)`` with L the
        one-sided lower confidence bound at ``confidence`` ("with 95 %
        confidence the pass rate is at least L"); ``"upper"`` returns
        ``(0.0, U)``. Blaker's one-sided bounds are the Clopper-Pearson ones.
    population : int or array-like, optional
        Lot size N when the sample was drawn without replacement from a finite
        lot: the exact (hypergeometric) interval for the lot's pass rate, whose
        limits are multiples of 1/N. Only ``method="wilson"`` (the default,
        then replaced by the exact method), ``"exact"`` or
        ``"clopper_pearson"`` are accepted with it.

    Returns
    -------
    Interval
        Named tuple ``(lower, upper)``.

    Raises
    ------
    ValueError
        Negative or non-integer counts, ``successes > trials``, ``trials == 0``,
        NaN, confidence outside (0, 1), unknown method or bound, arrays that do
        not broadcast, ``population < trials``.

    Examples
    --------
    >>> import qualstat as qs
    >>> ci = qs.proportion_ci(57, 60, method="exact", bound="lower")
    >>> round(ci.lower, 4), ci.upper
    (0.876, 1.0)
    >>> lo, hi = qs.proportion_ci([0, 5, 10], [10, 10, 10])
    >>> [round(float(v), 4) for v in hi]
    [0.2775, 0.7634, 1.0]
    """
    if (
        population is None
        and type(successes) is int
        and type(trials) is int
        and type(confidence) is float
        and type(method) is str
        and type(bound) is str
        and -_EXACT <= successes <= _EXACT
        and -_EXACT <= trials <= _EXACT
    ):
        # Fast path for the common scalar call (the core validates everything).
        return Interval(*_qualstat._proportion_ci(successes, trials, confidence, method, bound))
    conf = _confidence(confidence)
    method = _option(method, "method")
    bound = _option(bound, "bound")
    if population is not None:
        if method not in ("wilson", "exact", "clopper_pearson"):
            raise ValueError(
                f"method = {method!r} is not available with population: the finite-lot "
                "interval is the exact (hypergeometric) one; use method='exact'"
            )
        if all(is_scalar(v) for v in (successes, trials, population)):
            lo, hi = _qualstat._proportion_ci_finite(
                _scalar(successes, "successes"),
                _scalar(trials, "trials"),
                _scalar(population, "population"),
                conf,
                bound,
            )
            return Interval(lo, hi)
        shape, (x, n, pop) = count_arrays(
            ("successes", "trials", "population"), (successes, trials, population)
        )
        lo_a, hi_a = _outputs(x.size)
        _qualstat._proportion_ci_finite_batch(x, n, pop, conf, bound, lo_a, hi_a)
        return Interval(lo_a.reshape(shape), hi_a.reshape(shape))
    if is_scalar(successes) and is_scalar(trials):
        lo, hi = _qualstat._proportion_ci(
            _scalar(successes, "successes"), _scalar(trials, "trials"), conf, method, bound
        )
        return Interval(lo, hi)
    shape, (x, n) = count_arrays(("successes", "trials"), (successes, trials))
    lo_a, hi_a = _outputs(x.size)
    _qualstat._proportion_ci_batch(x, n, conf, method, bound, lo_a, hi_a)
    return Interval(lo_a.reshape(shape), hi_a.reshape(shape))


def proportion_diff_ci(
    x1: Any,
    n1: Any,
    x2: Any,
    n2: Any,
    *,
    confidence: float = 0.95,
    method: str = "newcombe",
) -> Interval:
    """Two-sided confidence interval for the difference of two pass rates p1 - p2.

    Parameters
    ----------
    x1, n1, x2, n2 : int or array-like of int
        Passing and inspected counts of the two independent samples (broadcast
        together when array-like).
    confidence : float
        Confidence level in (0, 1).
    method : str
        ``"newcombe"`` (default; Newcombe 1998 hybrid score, method 10),
        ``"miettinen_nurminen"`` (score interval with the N/(N-1) variance
        correction), ``"agresti_caffo"`` (add one success and one failure to
        each sample) or ``"wald"``. Limits are clipped to [-1, 1]; zero cells
        are handled by bracketing, never by starting from the Wald interval.

    Returns
    -------
    Interval
        ``(lower, upper)`` of p1 - p2.

    Examples
    --------
    >>> import qualstat as qs
    >>> ci = qs.proportion_diff_ci(56, 70, 48, 80)
    >>> round(ci.lower, 4), round(ci.upper, 4)
    (0.0524, 0.3339)
    """
    conf = _confidence(confidence)
    method = _option(method, "method")
    names = ("x1", "n1", "x2", "n2")
    values = (x1, n1, x2, n2)
    if all(is_scalar(v) for v in values):
        a, b, c, d = (_scalar(v, k) for k, v in zip(names, values, strict=True))
        lo, hi = _qualstat._proportion_diff_ci(a, b, c, d, conf, method)
        return Interval(lo, hi)
    shape, (a_, b_, c_, d_) = count_arrays(names, values)
    lo_a, hi_a = _outputs(a_.size)
    _qualstat._proportion_diff_ci_batch(a_, b_, c_, d_, conf, method, lo_a, hi_a)
    return Interval(lo_a.reshape(shape), hi_a.reshape(shape))


def rate_ci(
    count: Any,
    exposure: Any,
    *,
    confidence: float = 0.95,
    method: str = "exact",
) -> Interval:
    """Two-sided confidence interval for a rate: nonconformities per unit (Poisson).

    Parameters
    ----------
    count : int or array-like of int
        Number of nonconformities (events) observed.
    exposure : float or array-like
        Number of units (or area, length, time) inspected; > 0.
    confidence : float
        Confidence level in (0, 1).
    method : str
        ``"exact"`` (Garwood; chi-square limits), ``"wald"``, ``"score"`` or
        ``"jeffreys"``.

    Examples
    --------
    >>> import qualstat as qs
    >>> ci = qs.rate_ci(0, 100)
    >>> ci.lower, round(ci.upper, 5)
    (0.0, 0.03689)
    """
    conf = _confidence(confidence)
    method = _option(method, "method")
    if is_scalar(count) and is_scalar(exposure):
        t = exposure.item() if isinstance(exposure, np.ndarray) else exposure
        if isinstance(t, bool) or not isinstance(t, int | float | np.number):
            raise TypeError(f"exposure must be a number, got {exposure!r}")
        lo, hi = _qualstat._rate_ci(_scalar(count, "count"), float(t), conf, method)
        return Interval(lo, hi)
    k = as_array(count, "count")
    t_arr = as_array(exposure, "exposure")
    try:
        k, t_arr = np.broadcast_arrays(k, t_arr)
    except ValueError:
        raise ValueError(
            f"count {k.shape} and exposure {t_arr.shape} have incompatible shapes"
        ) from None
    shape = k.shape
    k_flat: np.ndarray = (
        np.ascontiguousarray(k, dtype=np.int64)
        if k.dtype.kind in "iu"
        else np.ascontiguousarray(k, dtype=np.float64)
    ).reshape(-1)
    t_flat = np.ascontiguousarray(t_arr, dtype=np.float64).reshape(-1)
    lo_a, hi_a = _outputs(k_flat.size)
    _qualstat._rate_ci_batch(k_flat, t_flat, conf, method, lo_a, hi_a)
    return Interval(lo_a.reshape(shape), hi_a.reshape(shape))


def demonstration_sample_size(pass_rate: float, confidence: float, *, failures: int = 0) -> int:
    """Smallest sample that demonstrates a pass rate at a confidence level.

    The smallest n such that finding at most ``failures`` failures in n items
    shows, with the given confidence, that the pass rate is at least
    ``pass_rate`` (binomial; for ``failures=0`` the success-run formula
    n = ceil(ln(1 - C) / ln(R))).

    Examples
    --------
    >>> import qualstat as qs
    >>> qs.demonstration_sample_size(0.95, 0.95)
    59
    >>> qs.demonstration_sample_size(0.95, 0.95, failures=1)
    93
    """
    if isinstance(failures, bool) or not isinstance(failures, int | np.integer):
        raise TypeError(f"failures must be a whole number, got {failures!r}")
    return int(
        _qualstat._demonstration_sample_size(
            float(pass_rate), _confidence(confidence), float(failures)
        )
    )
