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
from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from . import _qualstat

__all__ = ["c4", "chart_factors", "d2", "d3", "d4"]

IntOrArray = int | npt.ArrayLike


def _size(n: Any) -> int:
    if isinstance(n, bool | np.bool_) or not isinstance(n, numbers.Integral):
        raise TypeError(f"n must be an integer subgroup size, got {n!r}")
    return int(n)


def _apply(fn: Callable[[int], float], n: Any) -> Any:
    if isinstance(n, numbers.Number) or (isinstance(n, np.ndarray) and n.ndim == 0):
        return fn(_size(n.item() if isinstance(n, np.ndarray) else n))
    arr = np.asarray(n)
    if arr.dtype.kind not in "iu":
        raise TypeError(f"n must hold integer subgroup sizes, got dtype {arr.dtype}")
    return np.array([fn(int(v)) for v in arr.reshape(-1)], dtype=np.float64).reshape(arr.shape)


def c4(n: Any) -> Any:
    """c4(n) = E[s]/sigma for n normal observations: sqrt(2/(n-1)) G(n/2)/G((n-1)/2).

    Parameters
    ----------
    n : int or array-like of int
        Sample size, at least 2 (any size: computed through log-gamma).

    Returns
    -------
    float or numpy.ndarray

    Examples
    --------
    >>> import qualstat as qs
    >>> round(qs.spc.c4(5), 4)
    0.94
    """
    return _apply(_qualstat._c4, n)


def d2(n: Any) -> Any:
    """d2(n) = E[R]/sigma, the mean range of n standard normal values.

    Examples
    --------
    >>> import qualstat as qs
    >>> round(qs.spc.d2(2), 7)
    1.1283792
    """
    return _apply(_qualstat._d2, n)


def d3(n: Any) -> Any:
    """d3(n) = sd(R)/sigma, the standard deviation of the range of n standard normals.

    Examples
    --------
    >>> import qualstat as qs
    >>> round(qs.spc.d3(5), 4)
    0.8641
    """
    return _apply(_qualstat._d3, n)


def d4(n: Any) -> Any:
    """d4(n) = median(R)/sigma, Minitab's constant for the median moving range.

    Examples
    --------
    >>> import qualstat as qs
    >>> round(qs.spc.d4(2), 3)
    0.954
    """
    return _apply(_qualstat._d4, n)


def chart_factors(n: int) -> dict[str, float]:
    """Control-chart factors A, A2, A3, B3..B6, D1..D4 and E2 for subgroup size n.

    Examples
    --------
    >>> import qualstat as qs
    >>> f = qs.spc.chart_factors(5)
    >>> round(f["A2"], 3), round(f["D4"], 3)
    (0.577, 2.114)
    """
    return dict(_qualstat._chart_factors(_size(n)))
