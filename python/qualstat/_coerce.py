"""Input coercion shared by the public functions: scalars vs array-likes, count dtypes."""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt


def is_scalar(value: Any) -> bool:
    """True for Python and numpy scalars (not for 0-d arrays of objects, lists, Series)."""
    return isinstance(value, numbers.Number) or (isinstance(value, np.ndarray) and value.ndim == 0)


def reject_masked(value: Any, name: str) -> None:
    """Refuses a numpy masked array (its mask would otherwise be silently dropped)."""
    if isinstance(value, np.ma.MaskedArray):
        raise TypeError(
            f"{name} is a masked array, whose mask would be ignored: drop the masked "
            "entries (e.g. values.compressed()) or fill them (values.filled(...)) first"
        )


def as_array(value: Any, name: str) -> npt.NDArray[Any]:
    """An array-like (list, tuple, numpy array, pandas or polars Series) as a numpy array.

    Masked arrays are refused (``TypeError``).
    """
    reject_masked(value, name)
    if hasattr(value, "to_numpy") and not isinstance(value, np.ndarray):
        value = value.to_numpy()
    try:
        arr = np.asarray(value)
    except ValueError:
        raise ValueError(
            f"{name} = {show(value)} is invalid: expected an array of numbers with rows "
            "of equal length"
        ) from None
    if arr.dtype == object and arr.size and all(isinstance(v, numbers.Integral) for v in arr.flat):
        raise ValueError(
            f"{name} holds integers beyond 64 bits: expected whole numbers at most 2^53"
        )
    if arr.dtype == object or arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold numbers, got an array of dtype {arr.dtype}")
    if arr.dtype.kind == "b":
        raise TypeError(f"{name} must hold counts, got booleans")
    return arr


def broadcast(names: Sequence[str], arrays: Sequence[npt.NDArray[Any]]) -> list[npt.NDArray[Any]]:
    """The arrays broadcast to one shape; a ``ValueError`` naming every shape if they cannot be.

    >>> import numpy as np
    >>> [a.shape for a in broadcast(["x", "y"], [np.zeros(3), np.zeros((2, 1))])]
    [(2, 3), (2, 3)]
    >>> broadcast(["x", "y"], [np.zeros(3), np.zeros(2)])
    Traceback (most recent call last):
    ...
    ValueError: x and y have incompatible shapes: x (3,), y (2,)
    """
    try:
        return list(np.broadcast_arrays(*arrays))
    except ValueError:
        listed = ", ".join(names[:-1]) + " and " + names[-1]
        shapes = ", ".join(f"{n} {a.shape}" for n, a in zip(names, arrays, strict=True))
        raise ValueError(f"{listed} have incompatible shapes: {shapes}") from None


def count_arrays(
    names: tuple[str, ...], values: tuple[Any, ...]
) -> tuple[tuple[int, ...], list[npt.NDArray[Any]]]:
    """Broadcasts count arguments to one shape and one dtype (int64 or float64).

    Returns the common shape and the flattened, contiguous arrays. Integer inputs
    stay int64 (no copy when they already are); anything else becomes float64,
    whose values the core checks are whole numbers.
    """
    arrays = [as_array(v, n) for n, v in zip(names, values, strict=True)]
    shaped = broadcast(names, arrays)
    shape = shaped[0].shape if shaped else ()
    all_int = all(a.dtype.kind in "iu" for a in arrays)
    if all_int and any(a.dtype.kind == "u" and a.dtype.itemsize == 8 for a in arrays):
        all_int = all(int(a.max(initial=0)) < 2**63 for a in arrays)
    dtype = np.int64 if all_int else np.float64
    flat = [np.ascontiguousarray(a, dtype=dtype).reshape(-1) for a in shaped]
    return shape, flat


def check_scalar_count(value: Any, name: str) -> float:
    """A scalar count as float (the core checks it is a whole number)."""
    if isinstance(value, bool | np.bool_):
        raise TypeError(f"{name} must be a count, got a boolean")
    if not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}")
    if isinstance(value, numbers.Integral) and abs(int(value)) > 2**53:
        raise ValueError(f"{name} = {value} is invalid: expected a whole number at most 2^53")
    return float(value)


# ---------------------------------------------------------------------------
# Argument checks with messages that name the argument, the value and what is
# allowed. Every public function checks its options and scalar arguments with
# these before calling the native module, so no raw int()/float()/numpy or
# pyo3 conversion message reaches the user.

_SHOW_LIMIT = 60


def show(value: Any) -> str:
    """A short ``repr`` of a value for an error message (at most about 60 characters)."""
    if isinstance(value, np.ndarray):
        text = f"array of shape {value.shape} and dtype {value.dtype}"
    else:
        try:
            text = repr(value)
        except Exception:  # noqa: BLE001 - a broken __repr__ must not hide the real error
            text = f"<{type(value).__name__}>"
    return text if len(text) <= _SHOW_LIMIT else text[:_SHOW_LIMIT] + " ..."


def key_text(value: Any) -> str:
    """A lot's or a group's key value as a record error names it: text quoted, anything
    else as written (a null as ``None``, a boolean as ``True``, a date as ISO text).

    >>> import datetime
    >>> [key_text(v) for v in ("B-17", 3, None, True, datetime.date(2024, 1, 5))]
    ["'B-17'", '3', 'None', 'True', '2024-01-05']
    """
    return repr(value) if isinstance(value, str | bytes) else str(value)


def option(value: Any, name: str, allowed: tuple[str, ...] | None = None) -> str:
    """A string option, checked to be a ``str`` (and, when ``allowed`` is given, one of them).

    Names are matched as the native module matches them: ASCII case ignored,
    ``-``, ``_`` and space alike. Returns the canonical spelling when
    ``allowed`` is given, else the string unchanged (the native module then
    checks it against its own list).
    """
    if not isinstance(value, str):
        expected = f"one of {', '.join(map(repr, allowed))}" if allowed else "a string"
        raise TypeError(f"{name} = {show(value)} is invalid: expected {expected}")
    if allowed is None:
        return value
    folded = _fold(value)
    for candidate in allowed:
        if _fold(candidate) == folded:
            return candidate
    raise ValueError(
        f"{name} = {value!r} is not recognised: expected one of {', '.join(map(repr, allowed))}"
    )


def _fold(name: str) -> str:
    return name.lower().replace("-", "_").replace(" ", "_")


def integer(value: Any, name: str, *, minimum: int | None = None, maximum: int = 2**63 - 1) -> int:
    """A whole number as ``int``: Python or numpy integers, or floats with an integral value.

    Booleans, strings, bytes and non-integral numbers raise ``TypeError`` or
    ``ValueError`` naming the argument; values outside ``[minimum, maximum]``
    raise ``ValueError`` stating the range (never an ``OverflowError``).
    """
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} = {show(value)} is invalid: expected a whole number")
    if not isinstance(value, numbers.Integral):
        as_float = float(value)
        if not (np.isfinite(as_float) and as_float == np.floor(as_float)):
            raise ValueError(f"{name} = {show(value)} is invalid: expected a whole number")
        value = int(as_float)
    result = int(value)
    low = "" if minimum is None else f"at least {minimum}"
    if (minimum is not None and result < minimum) or result > maximum:
        bounds = " and ".join(b for b in (low, f"at most {maximum}") if b)
        raise ValueError(f"{name} = {show(result)} is invalid: expected a whole number {bounds}")
    return result


def real(value: Any, name: str) -> float:
    """A real number as ``float`` (not a bool, str or bytes); the caller checks its range."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} = {show(value)} is invalid: expected a number")
    try:
        return float(value)
    except OverflowError:
        raise ValueError(
            f"{name} = {show(value)} is invalid: beyond the range of a float"
        ) from None


def free_name(base: str, taken: Sequence[str]) -> str:
    """A working column's name that is none of the user's columns (``taken``):
    ``base``, or ``base`` with underscores appended until it is free, so that a
    user column named like the working column (``_row``) is kept, not clobbered.

    >>> free_name("_row", ["lot", "g"])
    '_row'
    >>> free_name("_row", ["_row", "_row_"])
    '_row__'
    """
    name = base
    while name in taken:
        name += "_"
    return name
