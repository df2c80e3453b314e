"""Statistical process control constants, computed exactly for any subgroup size.

c4, d2, d3 and d4 come from their defining integrals (d2 and d3 by adaptive
Gauss-Kronrod quadrature of the range distribution of n standard normals, to
about 1e-12), not from a printed table; the tests check them against the
published tables (Minitab, Montgomery Appendix VI, ASTM), whose misprints are
marked in the reference data.

>>> import qualstat as qs
>>> round(qs.spc.d2(5), 6)
2.325929
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
import numpy.typing as npt

from . import _qualstat
from ._coerce import integer, show

__all__ = ["c4", "chart_factors", "d2", "d3", "d4"]

IntOrArray = int | npt.ArrayLike

#: The largest subgroup size of d3 and d4 (their quadrature is verified up to it).
RANGE_N_MAX = 100_000


def _size(n: Any) -> int:
    """A scalar subgroup size as ``int`` (TypeError for non-integers, ValueError out of range)."""
    if isinstance(n, bool | np.bool_) or not isinstance(n, numbers.Integral):
        raise TypeError(f"n = {show(n)} is invalid: expected an integer subgroup size")
    return integer(n, "n", minimum=-(2**63), maximum=2**63 - 1)


def _apply(constant: str, n: Any) -> Any:
    """``constant`` at a scalar size (a float) or at an array of sizes (same shape)."""
    if isinstance(n, numbers.Number) or (isinstance(n, np.ndarray) and n.ndim == 0):
        size = _size(n.item() if isinstance(n, np.ndarray) else n)
        return _qualstat._spc_constant(constant, size)
    if hasattr(n, "to_numpy") and not isinstance(n, np.ndarray):
        n = n.to_numpy()
    try:
        arr = np.asarray(n)
    except ValueError:
        raise ValueError(f"n = {show(n)} is invalid: expected integer subgroup sizes") from None
    if arr.dtype.kind not in "iu":
        raise TypeError(f"n must hold integer subgroup sizes, got dtype {arr.dtype}")
    if arr.dtype.kind == "u" and arr.size and int(arr.max()) > 2**63 - 1:
        raise ValueError(f"n = {show(arr)} is invalid: a size above 2^63 - 1")
    flat = np.ascontiguousarray(arr, dtype=np.int64).reshape(-1)
    return _qualstat._spc_constants(constant, flat).reshape(arr.shape)


def c4(n: Any) -> Any:
    """c4(n) = E[s]/sigma for n normal observations: sqrt(2/(n-1)) G(n/2)/G((n-1)/2).

    Parameters
    ----------
    n : int or array-like of int
        Sample size, at least 2 (any size: computed through log-gamma).

    Returns
    -------
    float or numpy.ndarray
        A float for a scalar, an array of the same shape for an array.

    Raises
    ------
    TypeError
        For a non-integer ``n``.
    ValueError
        For ``n`` below 2 (naming the element of an array).

    Examples
    --------
    >>> import qualstat as qs
    >>> round(qs.spc.c4(5), 4)
    0.94
    >>> qs.spc.c4([2, 10]).round(4).tolist()
    [0.7979, 0.9727]
    """
    return _apply("c4", n)


def d2(n: Any) -> Any:
    """d2(n) = E[R]/sigma, the mean range of n standard normal values.

    Parameters
    ----------
    n : int or array-like of int
        Subgroup size, at least 2 (any size).

    Returns
    -------
    float or numpy.ndarray
        A float for a scalar, an array of the same shape for an array (each
        distinct size computed once, in parallel).

    Raises
    ------
    TypeError
        For a non-integer ``n``.
    ValueError
        For ``n`` below 2.

    Examples
    --------
    >>> import qualstat as qs
    >>> round(qs.spc.d2(2), 7)
    1.1283792
    >>> round(qs.spc.d2(10**12), 4)
    14.2249
    """
    return _apply("d2", n)


def d3(n: Any) -> Any:
    """d3(n) = sd(R)/sigma, the standard deviation of the range of n standard normals.

    Parameters
    ----------
    n : int or array-like of int
        Subgroup size, from 2 to ``RANGE_N_MAX`` (100,000: the quadrature is
        verified against an independent evaluation up to that size).

    Returns
    -------
    float or numpy.ndarray
        A float for a scalar, an array of the same shape for an array (each
        distinct size computed once, in parallel; sizes up to 100 are cached).

    Raises
    ------
    TypeError
        For a non-integer ``n``.
    ValueError
        For ``n`` below 2 or above 100,000.

    Examples
    --------
    >>> import qualstat as qs
    >>> round(qs.spc.d3(5), 4)
    0.8641
    >>> qs.spc.d3([2, 5, 2]).round(4).tolist()
    [0.8525, 0.8641, 0.8525]
    """
    return _apply("d3", n)


def d4(n: Any) -> Any:
    """d4(n) = median(R)/sigma, Minitab's constant for the median moving range.

    Parameters
    ----------
    n : int or array-like of int
        Subgroup size, from 2 to ``RANGE_N_MAX`` (100,000).

    Returns
    -------
    float or numpy.ndarray
        As :func:`d3`: a float for a scalar, an array of the same shape for an array.

    Raises
    ------
    TypeError, ValueError
        As :func:`d3`: a non-integer ``n``; ``n`` below 2 or above 100,000.

    Examples
    --------
    >>> import qualstat as qs
    >>> round(qs.spc.d4(2), 3)
    0.954
    """
    return _apply("d4", n)


def chart_factors(n: int) -> dict[str, float]:
    """Control-chart factors A, A2, A3, B3..B6, D1..D4 and E2 for subgroup size n.

    Parameters
    ----------
    n : int
        Subgroup size, from 2 to 100,000.

    Returns
    -------
    dict of str to float
        The factors named as in Montgomery, Appendix VI.

    Examples
    --------
    >>> import qualstat as qs
    >>> f = qs.spc.chart_factors(5)
    >>> round(f["A2"], 3), round(f["D4"], 3)
    (0.577, 2.114)
    """
    return dict(_qualstat._chart_factors(_size(n)))
