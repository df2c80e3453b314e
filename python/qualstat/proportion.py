"""Confidence intervals for pass rates, rates and differences of pass rates, and tests of
differences.

Units: every pass rate, probability and confidence is a fraction in [0, 1]
(0.95 = 95 %). Where a scalar pass rate is an argument (``pass_rate`` of
:func:`demonstration_sample_size`) a percent string such as ``"95%"`` is
accepted too.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import numpy.typing as npt

from . import _qualstat
from ._coerce import (
    as_array,
    broadcast,
    check_scalar_count,
    count_arrays,
    integer,
    is_scalar,
    option,
    real,
    reject_masked,
)
from ._coerce import show as _show
from ._units import fraction

if TYPE_CHECKING:
    import polars as pl

__all__ = [
    "Interval",
    "DiffTest",
    "ProportionTest",
    "proportion_ci",
    "proportion_diff_ci",
    "proportion_diff_test",
    "proportion_test",
    "rate_ci",
    "demonstration_sample_size",
]


_EXACT = 2**53  # integers up to this magnitude are exact as float64


def _number_text(value: float) -> str:
    """A float rounded for a repr: 4 significant digits, more when 4 would show a
    value near 0 or 1 as exactly 0 or 1."""
    if not math.isfinite(value) or value == math.floor(value):
        return repr(float(value))
    for digits in range(4, 18):
        text = f"{value:.{digits}g}"
        if float(text) not in (0.0, 1.0, -1.0):
            return text
    return repr(float(value))


def _limits_text(value: Any) -> str:
    if isinstance(value, np.ndarray):
        with np.printoptions(precision=4, threshold=8, edgeitems=3):
            return repr(value)
    if isinstance(value, float | int | np.floating | np.integer):
        return _number_text(float(value))
    return repr(value)


class _Limits(NamedTuple):
    lower: Any
    upper: Any


class Interval(_Limits):
    """A confidence interval: floats for scalar input, numpy float64 arrays for array input.

    A tuple ``(lower, upper)`` (so ``lower, upper = qs.proportion_ci(...)``
    works) that also records how it was computed: ``method``, ``confidence``
    (a fraction) and ``bound`` (``"two-sided"``, ``"lower"`` or ``"upper"``);
    these are ``None`` when not known. Intervals are immutable, and two
    compare equal when their limits are equal.

    Examples
    --------
    >>> import qualstat as qs
    >>> ci = qs.proportion_ci(57, 60, method="exact", bound="lower")
    >>> ci
    Interval(lower=0.8758, upper=1.0, method='exact', confidence=0.95, bound='lower')
    >>> lower, upper = ci
    >>> ci.to_dict()["bound"]
    'lower'
    """

    # The description lives on the class, not the instance: an interval with
    # one is an instance of a cached subclass holding it (_described), so
    # that an interval stays a plain 2-tuple, as cheap to build as one.
    __slots__ = ()
    method: str | None = None
    confidence: float | None = None
    bound: str | None = None

    def __new__(
        cls,
        lower: Any,
        upper: Any,
        *,
        method: str | None = None,
        confidence: float | None = None,
        bound: str | None = None,
    ) -> Interval:
        if method is None and confidence is None and bound is None:
            return _tuple_new(cls, (lower, upper))
        return _described(method, confidence, bound)(lower, upper)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_restore, (self.lower, self.upper, self.method, self.confidence, self.bound))

    def __repr__(self) -> str:
        parts = [f"lower={_limits_text(self.lower)}", f"upper={_limits_text(self.upper)}"]
        if self.method is not None:
            parts.append(f"method={self.method!r}")
        if self.confidence is not None:
            parts.append(f"confidence={_number_text(self.confidence)}")
        if self.bound is not None:
            parts.append(f"bound={self.bound!r}")
        return f"Interval({', '.join(parts)})"

    def to_dict(self) -> dict[str, Any]:
        """The limits, and the method, confidence and bound when known, as a dict.

        Examples
        --------
        >>> import qualstat as qs
        >>> qs.Interval(0.1, 0.3).to_dict()
        {'lower': 0.1, 'upper': 0.3}
        """
        out: dict[str, Any] = {"lower": self.lower, "upper": self.upper}
        for name in ("method", "confidence", "bound"):
            if getattr(self, name) is not None:
                out[name] = getattr(self, name)
        return out

    def to_frame(self) -> pl.DataFrame:
        """The interval as a polars DataFrame: one row per interval (arrays are flattened),
        columns ``lower``, ``upper`` and, when known, ``method``, ``confidence``, ``bound``.

        Examples
        --------
        >>> import qualstat as qs
        >>> qs.proportion_ci([0, 5], [10, 10], method="exact").to_frame().columns
        ['lower', 'upper', 'method', 'confidence', 'bound']
        """
        import polars as pl

        frame = pl.DataFrame(
            {
                "lower": np.ravel(np.asarray(self.lower, dtype=np.float64)),
                "upper": np.ravel(np.asarray(self.upper, dtype=np.float64)),
            }
        )
        extra = {k: v for k, v in self.to_dict().items() if k not in ("lower", "upper")}
        return frame.with_columns(pl.lit(v).alias(k) for k, v in extra.items())


_tuple_new = tuple.__new__


@functools.lru_cache(maxsize=256)
def _described(method: str | None, confidence: float | None, bound: str | None) -> type[Interval]:
    """The subclass of ``Interval`` whose instances have this description."""
    attributes = {
        "__slots__": (),
        "__module__": Interval.__module__,
        "__qualname__": Interval.__qualname__,
        "__doc__": Interval.__doc__,
        "__new__": lambda cls, lower, upper: _tuple_new(cls, (lower, upper)),
        "method": method,
        "confidence": confidence,
        "bound": bound,
    }
    return type("Interval", (Interval,), attributes)


def _interval(lower: Any, upper: Any, method: str, confidence: float, bound: str) -> Interval:
    """An interval with its description (the positional form used internally)."""
    return _tuple_new(_described(method, confidence, bound), (lower, upper))


def _restore(
    lower: Any, upper: Any, method: str | None, confidence: float | None, bound: str | None
) -> Interval:
    """Rebuilds a pickled interval."""
    return Interval(lower, upper, method=method, confidence=confidence, bound=bound)


def _outputs(size: int) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """The two output arrays of a batch call, which the native code fills.

    ``np.empty`` reuses freed blocks: no zeroing and no page faults, which at a
    million pairs cost as much as the closed-form intervals themselves.
    """
    return np.empty(size), np.empty(size)


def _out_arrays(
    out: Any, shape: tuple[int, ...], inputs: tuple[Any, ...]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """The caller's ``out=(lower, upper)`` as flat views the native code fills,
    or two new arrays when ``out`` is None.

    Each must be a writeable, C-contiguous float64 numpy array of the broadcast
    shape of the inputs, and the two must not share memory with each other or
    with an input (the native code reads the inputs while it writes).
    """
    size = int(np.prod(shape, dtype=np.int64))
    if out is None:
        return _outputs(size)
    if not isinstance(out, tuple | list) or len(out) != 2:
        raise TypeError(f"out = {_show(out)} is invalid: expected a pair (lower, upper) of arrays")
    flat = []
    for name, arr in zip(("out[0] (lower)", "out[1] (upper)"), out, strict=True):
        if not isinstance(arr, np.ndarray):
            raise TypeError(f"{name} = {_show(arr)} is invalid: expected a numpy array")
        if arr.dtype != np.float64 or not arr.flags.c_contiguous or not arr.flags.writeable:
            raise ValueError(
                f"{name} is invalid: expected a writeable C-contiguous float64 array "
                f"(got dtype {arr.dtype}, contiguous={arr.flags.c_contiguous}, "
                f"writeable={arr.flags.writeable})"
            )
        if arr.shape != shape:
            raise ValueError(
                f"{name} has shape {arr.shape}: expected {shape}, the shape of the inputs"
            )
        for other in inputs:
            if isinstance(other, np.ndarray) and np.shares_memory(arr, other):
                raise ValueError(f"{name} shares memory with an input: give a separate array")
        flat.append(arr.reshape(-1))
    if np.shares_memory(flat[0], flat[1]):
        raise ValueError("out[0] and out[1] share memory: give two separate arrays")
    return flat[0], flat[1]


def _scalar(value: Any, name: str) -> float:
    reject_masked(value, name)
    if isinstance(value, np.ndarray):
        value = value.item()
    return check_scalar_count(value, name)


def _aliased(name: str, value: Any, alias: str, alias_value: Any) -> Any:
    """The value of an argument that may also be given under an alias."""
    if alias_value is None:
        if value is None:
            raise TypeError(f"{name} is required (or its alias {alias})")
        return value
    if value is not None and not _same(value, alias_value):
        raise ValueError(
            f"{name} = {_show(value)} and {alias} = {_show(alias_value)} are two names for "
            "one argument and differ: give one of them"
        )
    return alias_value


def _same(a: Any, b: Any) -> bool:
    if a is b:
        return True
    try:
        return bool(np.array_equal(np.asarray(a), np.asarray(b)))
    except (TypeError, ValueError):
        return False


def proportion_ci(
    successes: Any,
    trials: Any,
    *,
    confidence: float = 0.95,
    method: str = "wilson",
    bound: str = "two-sided",
    population: Any = None,
    lot_size: Any = None,
    out: Any = None,
) -> Interval:
    """Confidence interval for a pass rate (binomial proportion).

    Parameters
    ----------
    successes, trials : int or array-like of int
        Number of passing items and number inspected. Scalars give an
        ``Interval`` of floats; array-likes (lists, numpy arrays, pandas or
        polars Series, broadcast together) give an ``Interval`` of numpy arrays
        of the broadcast shape, computed in parallel with the GIL released.
        Masked arrays are refused (drop or fill the masked entries first).
    confidence : float
        Confidence level in (0, 1), as a fraction (0.95 = 95 %).
    method : str
        ``"wilson"`` (default), ``"wald"``, ``"wilson_cc"`` (Newcombe's method 4),
        ``"agresti_coull"`` (adds z²/2 successes and failures), ``"jeffreys"``,
        ``"clopper_pearson"`` (alias ``"exact"``), ``"mid_p"``,
        ``"likelihood_ratio"``, ``"arcsine"``, ``"logit"`` or ``"blaker"``
        (case-insensitive; ``-``, ``_`` and space alike).
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
    lot_size : int or array-like, optional
        Another name for ``population`` (the name the sampling plans use);
        giving both with different values is an error.
    out : pair of numpy arrays, optional
        ``(lower, upper)`` to fill in place instead of allocating new arrays:
        float64, C-contiguous, writeable, of the broadcast shape of the inputs,
        sharing no memory with each other or with an input. The returned
        ``Interval`` holds them, so repeated calls reuse the same memory.

    Returns
    -------
    Interval
        Named tuple ``(lower, upper)`` that also records ``method``,
        ``confidence`` and ``bound``.

    Raises
    ------
    ValueError
        Negative or non-integer counts, ``successes > trials``, ``trials == 0``,
        NaN, confidence outside (0, 1), unknown method or bound, arrays that do
        not broadcast, ``population < trials``.
    TypeError
        Strings, booleans or masked arrays as counts; options that are not strings.

    Examples
    --------
    >>> import qualstat as qs
    >>> ci = qs.proportion_ci(57, 60, method="exact", bound="lower")
    >>> round(ci.lower, 4), ci.upper
    (0.876, 1.0)
    >>> lo, hi = qs.proportion_ci([0, 5, 10], [10, 10, 10])
    >>> [round(float(v), 4) for v in hi]
    [0.2775, 0.7634, 1.0]
    >>> qs.proportion_ci(20, 20, lot_size=50, bound="lower")
    Interval(lower=0.9, upper=1.0, method='exact', confidence=0.95, bound='lower')
    """
    if (
        out is None
        and population is None
        and lot_size is None
        and type(successes) is int
        and type(trials) is int
        and type(confidence) is float
        and type(method) is str
        and type(bound) is str
        and -_EXACT <= successes <= _EXACT
        and -_EXACT <= trials <= _EXACT
    ):
        # Fast path for the common scalar call (the core validates everything).
        lo, hi = _qualstat._proportion_ci(successes, trials, confidence, method, bound)
        return _interval(lo, hi, method, confidence, bound)
    conf = real(confidence, "confidence")
    method = option(method, "method")
    bound = option(bound, "bound")
    if lot_size is not None:
        population = _aliased("population", population, "lot_size", lot_size)
    if population is not None:
        try:
            option(method, "method", ("wilson", "exact", "clopper_pearson"))
        except ValueError:
            raise ValueError(
                f"method = {method!r} is not available with population: the finite-lot "
                "interval is the exact (hypergeometric) one; use method='exact'"
            ) from None
        if out is None and all(is_scalar(v) for v in (successes, trials, population)):
            lo, hi = _qualstat._proportion_ci_finite(
                _scalar(successes, "successes"),
                _scalar(trials, "trials"),
                _scalar(population, "population"),
                conf,
                bound,
            )
            return _interval(lo, hi, "exact", conf, bound)
        shape, (x, n, pop) = count_arrays(
            ("successes", "trials", "population"), (successes, trials, population)
        )
        lo_a, hi_a = _out_arrays(out, shape, (x, n, pop))
        _qualstat._proportion_ci_finite_batch(x, n, pop, conf, bound, lo_a, hi_a)
        return _interval(lo_a.reshape(shape), hi_a.reshape(shape), "exact", conf, bound)
    if out is None and is_scalar(successes) and is_scalar(trials):
        lo, hi = _qualstat._proportion_ci(
            _scalar(successes, "successes"), _scalar(trials, "trials"), conf, method, bound
        )
        return _interval(lo, hi, method, conf, bound)
    shape, (x, n) = count_arrays(("successes", "trials"), (successes, trials))
    lo_a, hi_a = _out_arrays(out, shape, (successes, trials, x, n))
    _qualstat._proportion_ci_batch(x, n, conf, method, bound, lo_a, hi_a)
    return _interval(lo_a.reshape(shape), hi_a.reshape(shape), method, conf, bound)


_TWO_SAMPLE = ("successes1", "trials1", "successes2", "trials2")
_TWO_SAMPLE_ALIASES = ("x1", "n1", "x2", "n2")


_Four = tuple[Any, Any, Any, Any]


def _two_samples(values: _Four, aliases: _Four) -> tuple[bool, _Four, tuple[int, ...]]:
    """The four counts of a two-sample call (main names or the ``x1, n1, x2, n2``
    aliases): ``(scalar, counts, shape)``, the counts as floats for scalars or as
    flattened arrays of one dtype."""
    a, b, c, d = (
        _aliased(name, v, alias, av)
        for name, v, alias, av in zip(
            _TWO_SAMPLE, values, _TWO_SAMPLE_ALIASES, aliases, strict=True
        )
    )
    if all(is_scalar(v) for v in (a, b, c, d)):
        names = _TWO_SAMPLE
        scalars = (_scalar(a, names[0]), _scalar(b, names[1]), _scalar(c, names[2]))
        return True, (*scalars, _scalar(d, names[3])), ()
    shape, (a_, b_, c_, d_) = count_arrays(_TWO_SAMPLE, (a, b, c, d))
    return False, (a_, b_, c_, d_), shape


def proportion_diff_ci(
    successes1: Any = None,
    trials1: Any = None,
    successes2: Any = None,
    trials2: Any = None,
    *,
    confidence: float = 0.95,
    method: str = "newcombe",
    bound: str = "two-sided",
    x1: Any = None,
    n1: Any = None,
    x2: Any = None,
    n2: Any = None,
    out: Any = None,
) -> Interval:
    """Confidence interval for the difference of two pass rates p1 - p2.

    Parameters
    ----------
    successes1, trials1, successes2, trials2 : int or array-like of int
        Passing and inspected counts of the two independent samples (broadcast
        together when array-like). ``x1, n1, x2, n2`` are accepted as keyword
        aliases.
    confidence : float
        Confidence level in (0, 1), as a fraction.
    method : str
        ``"newcombe"`` (default; Newcombe 1998 hybrid score, method 10),
        ``"miettinen_nurminen"`` (score interval with the N/(N-1) variance
        correction), ``"agresti_caffo"`` (add one success and one failure to
        each sample) or ``"wald"``. Limits are clipped to [-1, 1]; zero cells
        are handled by bracketing, never by starting from the Wald interval.
    bound : str
        ``"two-sided"`` (default); ``"lower"`` returns ``(L, 1.0)`` with L the
        one-sided lower bound at ``confidence`` ("p1 exceeds p2 by at least
        L"); ``"upper"`` returns ``(-1.0, U)``.
    out : pair of numpy arrays, optional
        ``(lower, upper)`` to fill in place instead of allocating new arrays:
        float64, C-contiguous, writeable, of the broadcast shape of the inputs,
        sharing no memory with each other or with an input. The returned
        ``Interval`` holds them, so repeated calls reuse the same memory.

    Returns
    -------
    Interval
        ``(lower, upper)`` of p1 - p2, with ``method``, ``confidence`` and ``bound``.

    See Also
    --------
    proportion_diff_test : p-values for the difference.

    Examples
    --------
    >>> import qualstat as qs
    >>> ci = qs.proportion_diff_ci(56, 70, 48, 80)
    >>> round(ci.lower, 4), round(ci.upper, 4)
    (0.0524, 0.3339)
    >>> qs.proportion_diff_ci(x1=56, n1=70, x2=48, n2=80, bound="lower")
    Interval(lower=0.07656, upper=1.0, method='newcombe', confidence=0.95, bound='lower')
    """
    conf = real(confidence, "confidence")
    method = option(method, "method")
    bound = option(bound, "bound")
    scalar, counts, shape = _two_samples(
        (successes1, trials1, successes2, trials2), (x1, n1, x2, n2)
    )
    if scalar and out is None:
        lo, hi = _qualstat._proportion_diff_ci(*counts, conf, method, bound)
        return _interval(lo, hi, method, conf, bound)
    if scalar:
        a, b, c, d = (np.asarray([v], dtype=np.float64) for v in counts)
        counts = (a, b, c, d)
    raw = (successes1, trials1, successes2, trials2, x1, n1, x2, n2)
    lo_a, hi_a = _out_arrays(out, shape, (*raw, *counts))
    _qualstat._proportion_diff_ci_batch(*counts, conf, method, bound, lo_a, hi_a)
    return _interval(lo_a.reshape(shape), hi_a.reshape(shape), method, conf, bound)


@dataclass(frozen=True, repr=False)
class DiffTest:
    """The result of a test of p1 - p2 = delta: floats for scalar input, numpy arrays for
    array input.

    Attributes
    ----------
    statistic : float or numpy.ndarray
        The standardised difference z (0 when neither sample varies and the
        difference equals ``delta``; +-inf when neither varies and it differs).
    p_value : float or numpy.ndarray
        The p-value under ``alternative``, from the standard normal.
    method, alternative : str
        As given to :func:`proportion_diff_test`.
    delta : float
        The difference p1 - p2 under the null hypothesis.

    Examples
    --------
    >>> import qualstat as qs
    >>> qs.proportion_diff_test(56, 70, 48, 80)
    DiffTest(statistic=2.641, p_value=0.008258, method='score', alternative='two-sided', delta=0.0)
    """

    statistic: Any
    p_value: Any
    method: str
    alternative: str
    delta: float

    def __repr__(self) -> str:
        return (
            f"DiffTest(statistic={_limits_text(self.statistic)}, "
            f"p_value={_limits_text(self.p_value)}, method={self.method!r}, "
            f"alternative={self.alternative!r}, delta={self.delta!r})"
        )

    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict.

        Examples
        --------
        >>> import qualstat as qs
        >>> sorted(qs.proportion_diff_test(5, 10, 2, 10).to_dict())
        ['alternative', 'delta', 'method', 'p_value', 'statistic']
        """
        return {
            "statistic": self.statistic,
            "p_value": self.p_value,
            "method": self.method,
            "alternative": self.alternative,
            "delta": self.delta,
        }


def proportion_diff_test(
    successes1: Any = None,
    trials1: Any = None,
    successes2: Any = None,
    trials2: Any = None,
    *,
    delta: float = 0.0,
    method: str = "score",
    alternative: str = "two-sided",
    x1: Any = None,
    n1: Any = None,
    x2: Any = None,
    n2: Any = None,
) -> DiffTest:
    """Test of the difference of two pass rates, H0: p1 - p2 = delta (large-sample z test).

    Parameters
    ----------
    successes1, trials1, successes2, trials2 : int or array-like of int
        Passing and inspected counts of the two independent samples (broadcast
        together when array-like); ``x1, n1, x2, n2`` are keyword aliases.
    delta : float
        The difference under the null hypothesis, in (-1, 1); 0 (default)
        tests equal pass rates.
    method : str
        ``"score"`` (default; alias ``"miettinen_nurminen"``): the score test
        of Miettinen & Nurminen (1985), z = (d - delta) / sqrt(V(delta)) with
        V the variance at the maximum-likelihood estimates restricted to
        p1 - p2 = delta, times N/(N-1); it is the test whose inversion gives
        ``proportion_diff_ci(method="miettinen_nurminen")``. At delta = 0 it
        equals statsmodels' ``test_proportions_2indep(method="score",
        correction=True)``; at delta != 0 statsmodels' restricted estimates
        do not maximise the likelihood, and ours (checked against a direct
        maximisation) differ from it. ``"wald"``: z = (d - delta) /
        sqrt(p1 q1/n1 + p2 q2/n2) (dual to the Wald interval). ``"agresti_caffo"``: the Wald
        test after adding one success and one failure to each sample (dual to
        the Agresti-Caffo interval).
    alternative : str
        ``"two-sided"`` (default; p = 2 (1 - Phi(|z|))), ``"greater"``
        (H1: p1 - p2 > delta; p = 1 - Phi(z); alias ``"larger"``) or
        ``"less"`` (H1: p1 - p2 < delta; p = Phi(z); alias ``"smaller"``).
        A two-sided test rejects at level 1 - c exactly when delta lies
        outside the dual two-sided interval at confidence c; ``"greater"``
        corresponds to ``bound="lower"``, ``"less"`` to ``bound="upper"``.

    Returns
    -------
    DiffTest
        ``statistic`` and ``p_value`` (floats, or arrays for array input),
        with ``method``, ``alternative`` and ``delta``.

    References
    ----------
    Miettinen O. & Nurminen M. (1985), Comparative analysis of two rates.
    Statistics in Medicine 4:213-226. Agresti A. & Caffo B. (2000), Simple and
    effective confidence intervals for proportions and differences of
    proportions result from adding two successes and two failures. The
    American Statistician 54:280-288.

    Examples
    --------
    >>> import qualstat as qs
    >>> t = qs.proportion_diff_test(56, 70, 48, 80)
    >>> round(t.p_value, 4)
    0.0083
    >>> round(qs.proportion_diff_test(56, 70, 48, 80, alternative="greater").p_value, 4)
    0.0041
    """
    d = real(delta, "delta")
    method = option(method, "method")
    alternative = option(alternative, "alternative")
    scalar, counts, shape = _two_samples(
        (successes1, trials1, successes2, trials2), (x1, n1, x2, n2)
    )
    if scalar:
        z, p = _qualstat._proportion_diff_test(*counts, d, method, alternative)
        return DiffTest(z, p, method=method, alternative=alternative, delta=d)
    z_a, p_a = _outputs(counts[0].size)
    _qualstat._proportion_diff_test_batch(*counts, d, method, alternative, z_a, p_a)
    return DiffTest(
        z_a.reshape(shape), p_a.reshape(shape), method=method, alternative=alternative, delta=d
    )


def rate_ci(
    count: Any,
    exposure: Any,
    *,
    confidence: float = 0.95,
    method: str = "exact",
    bound: str = "two-sided",
    out: Any = None,
) -> Interval:
    """Confidence interval for a rate: nonconformities (events) per unit (Poisson).

    Parameters
    ----------
    count : int or array-like of int
        Number of nonconformities (events) observed.
    exposure : float or array-like
        Number of units (or area, length, time) inspected; > 0. An exposure
        so small that a limit count/exposure overflows is an error (express
        it in larger units).
    confidence : float
        Confidence level in (0, 1), as a fraction.
    method : str
        ``"exact"`` (Garwood; chi-square limits; alias ``"garwood"``),
        ``"wald"``, ``"score"`` or ``"jeffreys"``.
    bound : str
        ``"two-sided"`` (default); ``"lower"`` returns ``(L, inf)`` with L the
        one-sided lower bound at ``confidence``; ``"upper"`` returns
        ``(0.0, U)`` ("with 95 % confidence at most U nonconformities per unit").
    out : pair of numpy arrays, optional
        ``(lower, upper)`` to fill in place instead of allocating new arrays:
        float64, C-contiguous, writeable, of the broadcast shape of the inputs,
        sharing no memory with each other or with an input. The returned
        ``Interval`` holds them, so repeated calls reuse the same memory.

    Returns
    -------
    Interval
        ``(lower, upper)`` of the rate per unit of exposure.

    Examples
    --------
    >>> import qualstat as qs
    >>> ci = qs.rate_ci(0, 100)
    >>> ci.lower, round(ci.upper, 5)
    (0.0, 0.03689)
    >>> round(qs.rate_ci(0, 100, bound="upper").upper, 5)
    0.02996
    """
    conf = real(confidence, "confidence")
    method = option(method, "method")
    bound = option(bound, "bound")
    if out is None and is_scalar(count) and is_scalar(exposure):
        reject_masked(exposure, "exposure")
        t = exposure.item() if isinstance(exposure, np.ndarray) else exposure
        t_value = real(t, "exposure")
        lo, hi = _qualstat._rate_ci(_scalar(count, "count"), t_value, conf, method, bound)
        return _interval(lo, hi, method, conf, bound)
    k, t_arr = broadcast(
        ("count", "exposure"), (as_array(count, "count"), as_array(exposure, "exposure"))
    )
    shape = k.shape
    k_flat: np.ndarray = (
        np.ascontiguousarray(k, dtype=np.int64)
        if k.dtype.kind in "iu"
        else np.ascontiguousarray(k, dtype=np.float64)
    ).reshape(-1)
    t_flat = np.ascontiguousarray(t_arr, dtype=np.float64).reshape(-1)
    lo_a, hi_a = _out_arrays(out, shape, (count, exposure, k_flat, t_flat))
    _qualstat._rate_ci_batch(k_flat, t_flat, conf, method, bound, lo_a, hi_a)
    return _interval(lo_a.reshape(shape), hi_a.reshape(shape), method, conf, bound)


def _pass_rate(value: Any, name: str) -> float:
    """A scalar pass rate: a number (fraction) or a percent string such as ``"95%"``."""
    if isinstance(value, str) and not value.strip().endswith("%"):
        raise TypeError(
            f"{name} = {_show(value)} is invalid: expected a number (a fraction such as "
            '0.95) or a percent string such as "95%"'
        )
    return fraction(value, name)


def demonstration_sample_size(
    pass_rate: float | str, confidence: float, *, failures: int = 0
) -> int:
    """Smallest sample that demonstrates a pass rate at a confidence level.

    The smallest n such that finding at most ``failures`` failures in n items
    shows, with the given confidence, that the pass rate is at least
    ``pass_rate`` (binomial; the one-sided Clopper-Pearson bound; for
    ``failures=0`` the success-run formula n = ceil(ln(1 - C) / ln(R))).

    Parameters
    ----------
    pass_rate : float or str
        The pass rate R to demonstrate, a fraction in (0, 1) (0.95 = 95 %), or
        a percent string such as ``"95%"``.
    confidence : float
        Confidence level C in (0, 1), as a fraction.
    failures : int
        Number of failures allowed in the sample (default 0).

    Returns
    -------
    int
        The sample size n.

    Raises
    ------
    TypeError
        A pass rate or confidence that is not a number (a string without a
        percent sign, a boolean), or a non-integer ``failures``.
    ValueError
        Values outside their ranges.

    Examples
    --------
    >>> import qualstat as qs
    >>> qs.demonstration_sample_size(0.95, 0.95)
    59
    >>> qs.demonstration_sample_size("95%", 0.95, failures=1)
    93
    """
    rate = _pass_rate(pass_rate, "pass_rate")
    conf = real(confidence, "confidence")
    f = integer(failures, "failures", minimum=0, maximum=_EXACT)
    return int(_qualstat._demonstration_sample_size(rate, conf, float(f)))


@dataclass(frozen=True, repr=False)
class ProportionTest:
    """The result of a test of one pass rate, H0: p = p0: floats for scalar input, numpy
    arrays for array input.

    Attributes
    ----------
    p_value : float or numpy.ndarray
        The p-value under ``alternative``.
    statistic : float or numpy.ndarray
        The score statistic z for ``method="score"``; the number of successes
        for the exact and mid-p tests (whose test statistic it is, as in R's
        ``binom.test``).
    estimate : float or numpy.ndarray
        The observed pass rate successes / trials.
    p0 : float or numpy.ndarray
        The pass rate under the null hypothesis (a fraction).
    method, alternative : str
        As given to :func:`proportion_test`.
    population : int, numpy.ndarray or None
        The lot size of a finite-lot (hypergeometric) test, else ``None``.

    Examples
    --------
    >>> import qualstat as qs
    >>> qs.proportion_test(52, 60, 0.95, alternative="less")
    ProportionTest(p_value=0.009789, statistic=52.0, estimate=0.8667, p0=0.95, method='exact', \
alternative='less')
    """

    p_value: Any
    statistic: Any
    estimate: Any
    p0: Any
    method: str
    alternative: str
    population: Any = None

    def __repr__(self) -> str:
        parts = [
            f"p_value={_limits_text(self.p_value)}",
            f"statistic={_limits_text(self.statistic)}",
            f"estimate={_limits_text(self.estimate)}",
            f"p0={_limits_text(self.p0)}",
            f"method={self.method!r}",
            f"alternative={self.alternative!r}",
        ]
        if isinstance(self.population, int):
            parts.append(f"population={self.population}")
        elif self.population is not None:
            parts.append(f"population={_limits_text(self.population)}")
        return f"ProportionTest({', '.join(parts)})"

    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict (``population`` only for a finite-lot test).

        Examples
        --------
        >>> import qualstat as qs
        >>> sorted(qs.proportion_test(5, 10, 0.8).to_dict())
        ['alternative', 'estimate', 'method', 'p0', 'p_value', 'statistic']
        """
        out = {
            "p_value": self.p_value,
            "statistic": self.statistic,
            "estimate": self.estimate,
            "p0": self.p0,
            "method": self.method,
            "alternative": self.alternative,
        }
        if self.population is not None:
            out["population"] = self.population
        return out


def _p0_value(p0: Any) -> Any:
    """p0 as a float (a number or a percent string) or as a float64 array."""
    if isinstance(p0, str) or is_scalar(p0):
        if isinstance(p0, np.ndarray):
            p0 = p0.item()
        return _pass_rate(p0, "p0")
    arr = as_array(p0, "p0")
    return arr.astype(np.float64, copy=False)


def proportion_test(
    successes: Any,
    trials: Any,
    p0: Any,
    *,
    alternative: str = "two-sided",
    method: str = "exact",
    population: Any = None,
    lot_size: Any = None,
) -> ProportionTest:
    """Test of one pass rate against a value, H0: p = p0 (exact binomial, mid-p or score).

    Parameters
    ----------
    successes, trials : int or array-like of int
        Number of passing items and number inspected. Scalars give a result of
        floats; array-likes (broadcast together with ``p0`` and
        ``population``) give numpy arrays of the broadcast shape, computed in
        parallel with the GIL released.
    p0 : float, str or array-like
        The pass rate under the null hypothesis, a fraction in (0, 1)
        (0.95 = 95 %); a scalar may be a percent string such as ``"95%"``.
    alternative : str
        ``"two-sided"`` (default; H1: p != p0), ``"less"`` (H1: p < p0: is the
        pass rate below p0?; alias ``"smaller"``) or ``"greater"`` (H1:
        p > p0; alias ``"larger"``).
    method : str
        ``"exact"`` (default): the exact binomial test, P(X <= x) for
        ``"less"``, P(X >= x) for ``"greater"``; two-sided, the sum of the
        probabilities of every outcome no more likely than the one observed,
        P(X = j) <= P(X = x) * (1 + 1e-7) — the method and the relative
        tolerance of ``scipy.stats.binomtest`` and R's ``binom.test`` (the
        tolerance keeps outcomes that are equally likely in exact arithmetic
        together); 1 when x equals the null mean n p0. ``"mid_p"``: the
        one-sided exact p-values less half the probability of the outcome
        observed, P(X < x) + P(X = x)/2 and P(X > x) + P(X = x)/2; two-sided,
        twice the smaller (at most 1), the test dual to the mid-p interval of
        :func:`proportion_ci`. ``"score"``: z = (x - n p0) / sqrt(n p0 (1 -
        p0)) with the variance under the null and normal p-values; the
        two-sided test rejects at level 1 - c exactly when p0 is outside the
        Wilson interval at confidence c.
    population : int or array-like, optional
        Lot size N when the sample was drawn without replacement from a
        finite lot: X is then hypergeometric (n items from N of which
        K = p0 N pass), and p0 N must be a whole number of passing items from
        1 to N - 1 (rounded when within 1e-9 of one; otherwise
        ``ValueError``). The score test then uses the null variance times
        the finite-population correction (N - n) / (N - 1) (a sample of the
        whole lot gives z = 0 when x = n p0 and +-inf otherwise).
    lot_size : int or array-like, optional
        Another name for ``population``; giving both with different values
        is an error.

    Returns
    -------
    ProportionTest
        ``p_value``, ``statistic`` (z for the score test, the number of
        successes for the exact and mid-p tests), ``estimate`` (x / n),
        ``p0``, ``method``, ``alternative`` and ``population``.

    Raises
    ------
    ValueError
        Negative or non-integer counts, ``successes > trials``, ``trials ==
        0``, NaN, p0 outside (0, 1), ``population < trials``, p0 N not a whole
        number, unknown method or alternative, arrays that do not broadcast.
        Array elements are named by their flat index (``successes[3]``).
    TypeError
        Strings (other than a percent p0), booleans or masked arrays as
        numbers; options that are not strings.

    See Also
    --------
    adjust_p : adjusting the p-values of many units for multiple testing.
    pass_rates : pass rates by group, with ``target=`` tests and verdicts.

    Examples
    --------
    52 of 60 checked batches passed: is the pass rate credibly below 95 %?

    >>> import qualstat as qs
    >>> round(qs.proportion_test(52, 60, 0.95, alternative="less").p_value, 5)
    0.00979
    >>> round(qs.proportion_test(52, 60, "95%", method="score").statistic, 4)
    -2.9617

    Many units at once, and a finite lot of 50 (H0: 48 of the 50 pass):

    >>> qs.proportion_test([52, 57, 60], [60, 60, 60], 0.95, alternative="less").p_value.round(4)
    array([0.0098, 0.5826, 1.    ])
    >>> round(qs.proportion_test(18, 20, 0.96, population=50, alternative="less").p_value, 4)
    0.1551
    """
    method = option(method, "method")
    alternative = option(alternative, "alternative")
    if lot_size is not None:
        population = _aliased("population", population, "lot_size", lot_size)
    p = _p0_value(p0)
    scalar_p0 = isinstance(p, float)
    names: tuple[str, ...] = ("successes", "trials")
    values: tuple[Any, ...] = (successes, trials)
    if population is not None:
        names, values = (*names, "population"), (*values, population)
    if scalar_p0 and all(is_scalar(v) for v in values):
        x, n = _scalar(successes, "successes"), _scalar(trials, "trials")
        if population is None:
            z, pv = _qualstat._proportion_test(x, n, p, method, alternative)
        else:
            pop = _scalar(population, "population")
            z, pv = _qualstat._proportion_test_finite(x, n, pop, p, method, alternative)
            population = int(pop)
        return ProportionTest(
            pv, z, x / n, p, method=method, alternative=alternative, population=population
        )
    arrays = [as_array(v, name) for name, v in zip(names, values, strict=True)]
    if scalar_p0:
        shaped = broadcast(names, arrays)
        p0_flat = np.array([p])
        p0_out: Any = p
    else:
        shaped = broadcast((*names, "p0"), [*arrays, p])
        p0_full = shaped.pop()
        p0_flat = np.ascontiguousarray(p0_full, dtype=np.float64).reshape(-1)
        p0_out = p0_flat.reshape(p0_full.shape).copy()
    shape, counts = count_arrays(names, tuple(shaped))
    z_a, p_a = _outputs(counts[0].size)
    if population is None:
        xa, na = counts
        _qualstat._proportion_test_batch(xa, na, p0_flat, method, alternative, z_a, p_a)
    else:
        xa, na, pa = counts
        _qualstat._proportion_test_finite_batch(xa, na, pa, p0_flat, method, alternative, z_a, p_a)
        population = pa.reshape(shape).astype(np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        estimate = (xa.astype(np.float64) / na).reshape(shape)
    return ProportionTest(
        p_a.reshape(shape),
        z_a.reshape(shape),
        estimate,
        p0_out,
        method=method,
        alternative=alternative,
        population=population,
    )
