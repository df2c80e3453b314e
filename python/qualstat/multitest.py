"""Adjusting p-values for multiple tests (many units judged against one target).

Units: p-values are fractions in [0, 1].
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from . import _qualstat
from ._coerce import as_array, option

__all__ = ["adjust_p"]


def adjust_p(p_values: Any, method: str = "holm") -> npt.NDArray[np.float64]:
    """P-values adjusted for multiple testing (family-wise error or false discovery rate).

    With m p-values sorted ascending, p(1) <= ... <= p(m), the adjusted values
    are (each capped at 1, returned in the input order):

    - ``"bonferroni"``: m p(i);
    - ``"holm"`` (default; Holm 1979, step-down): the running maximum of
      (m - j + 1) p(j) over j <= i;
    - ``"hochberg"`` (Hochberg 1988, step-up; alias ``"simes_hochberg"``):
      the running minimum of (m - j + 1) p(j) over j >= i;
    - ``"bh"`` (Benjamini & Hochberg 1995, false discovery rate; aliases
      ``"fdr_bh"``, ``"benjamini_hochberg"``): the running minimum of
      p(j) m / j over j >= i;
    - ``"by"`` (Benjamini & Yekutieli 2001, false discovery rate under any
      dependence; aliases ``"fdr_by"``, ``"benjamini_yekutieli"``): as
      ``"bh"`` times sum_{k=1..m} 1/k.

    These are the formulas of statsmodels' ``multipletests`` (methods
    ``bonferroni``, ``holm``, ``simes-hochberg``, ``fdr_bh``, ``fdr_by``) and
    of R's ``p.adjust``; tied p-values get the same adjusted value.

    Parameters
    ----------
    p_values : array-like
        The p-values of the family, fractions in [0, 1], of any shape (the
        family is every element). A scalar is a family of one.
    method : str
        ``"holm"`` (default), ``"bonferroni"``, ``"hochberg"``, ``"bh"`` or
        ``"by"`` (case-insensitive; ``-``, ``_`` and space alike).

    Returns
    -------
    numpy.ndarray
        The adjusted p-values (float64), of the input's shape.

    Raises
    ------
    ValueError
        An element that is NaN or outside [0, 1] (named by its flat index,
        ``p_values[3]``), or an unknown method.
    TypeError
        Strings, booleans or masked arrays as p-values; a method that is not a string.

    Examples
    --------
    >>> import qualstat as qs
    >>> qs.adjust_p([0.01, 0.04, 0.03, 0.005], method="holm")
    array([0.03, 0.06, 0.06, 0.02])
    >>> qs.adjust_p([0.01, 0.02, 0.03, 0.5], method="bh")
    array([0.04, 0.04, 0.04, 0.5 ])
    """
    method = option(method, "method")
    arr = as_array(p_values, "p_values")
    if arr.dtype.kind == "b":  # pragma: no cover - as_array refuses booleans
        raise TypeError("p_values must hold numbers, got booleans")
    flat = np.ascontiguousarray(arr, dtype=np.float64).reshape(-1)
    out = np.empty(flat.size)
    _qualstat._adjust_p(flat, method, out)
    return out.reshape(arr.shape)
