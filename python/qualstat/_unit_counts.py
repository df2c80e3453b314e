"""Per-unit counts of the supervision functions (funnel, shrink, rank_intervals).

One check of ``successes``/``trials``/``labels`` for every function that compares
units, so that each error names the unit by its position and its label.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from ._coerce import as_array, show
from ._units import fraction


def label_text(names: list[Any] | None, i: int) -> str:
    """How an error names unit ``i``: by its label when there are labels."""
    return f"unit {i}" if names is None else f"unit {names[i]!r}"


def unit_counts(
    successes: Any,
    trials: Any,
    labels: Any,
    *,
    whole: bool,
    minimum_units: int = 1,
    why: str = "",
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], list[Any] | None]:
    """The counts as float64 arrays and the labels as a list (or None), checked.

    ``whole`` requires whole-number counts (binomial models); otherwise finite
    non-negative numbers are accepted (rates published with fractional
    numerators). ``minimum_units`` and ``why`` state how many units the caller
    needs and the reason.
    """
    x = as_array(successes, "successes")
    n = as_array(trials, "trials")
    for name, a in (("successes", x), ("trials", n)):
        if a.ndim != 1:
            raise ValueError(
                f"{name} has shape {a.shape}: expected a one-dimensional array (one count per unit)"
            )
    if x.size != n.size:
        raise ValueError(
            f"successes has length {x.size} but trials has length {n.size}: "
            "they must have the same length"
        )
    names: list[Any] | None = None
    if labels is not None:
        if isinstance(labels, str):
            raise TypeError(f"labels = {show(labels)} is invalid: expected one label per unit")
        names = labels.to_list() if hasattr(labels, "to_list") else list(labels)
        if len(names) != x.size:
            raise ValueError(
                f"labels has length {len(names)} but successes has length {x.size}: "
                "they must have the same length"
            )
    xf = np.ascontiguousarray(x, dtype=np.float64)
    nf = np.ascontiguousarray(n, dtype=np.float64)
    for name, a in (("successes", xf), ("trials", nf)):
        ok = np.isfinite(a) & (a >= 0)
        if whole:
            ok &= (a == np.floor(a)) & (a <= 2.0**53)
        bad = ~ok
        if bad.any():
            i = int(np.argmax(bad))
            expected = "a non-negative whole number" if whole else "a finite non-negative number"
            raise ValueError(
                f"{name}[{i}] ({label_text(names, i)}) = {show(a[i])} is invalid: "
                f"expected {expected}"
            )
    zero = nf == 0
    if zero.any():
        i = int(np.argmax(zero))
        raise ValueError(
            f"trials[{i}] ({label_text(names, i)}) = 0 is invalid: expected "
            f"{'at least 1' if whole else 'above 0'} "
            "(a unit with no trials has no rate; leave it out)"
        )
    over = xf > nf
    if over.any():
        i = int(np.argmax(over))
        raise ValueError(
            f"successes[{i}] ({label_text(names, i)}) = {show(xf[i])} is invalid: "
            f"expected at most its trials = {show(nf[i])}"
        )
    if xf.size == 0 and minimum_units == 1:
        raise ValueError("successes is empty: expected at least 1 unit")
    if xf.size < minimum_units:
        raise ValueError(
            f"successes has {xf.size} unit(s): expected at least {minimum_units} units ({why})"
        )
    return xf, nf, names


def open_fraction(value: Any, name: str) -> float:
    """A level strictly between 0 and 1 (a number or a percent string such as "95%")."""
    level = fraction(value, name)
    if not 0.0 < level < 1.0:
        raise ValueError(
            f"{name} = {show(value)} is invalid: expected a fraction in (0, 1) such as 0.95 "
            'or a percent string such as "95%"'
        )
    return level
