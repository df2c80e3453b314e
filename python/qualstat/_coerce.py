"""Input coercion shared by the public functions: scalars vs array-likes, count dtypes."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
import numpy.typing as npt


def is_scalar(value: Any) -> bool:
    """True for Python and numpy scalars (not for 0-d arrays of objects, lists, Series)."""
    return isinstance(value, numbers.Number) or (isinstance(value, np.ndarray) and value.ndim == 0)


def as_array(value: Any, name: str) -> npt.NDArray[Any]:
    """An array-like (list, tuple, numpy array, pandas or polars Series) as a numpy array."""
    if hasattr(value, "to_numpy") and not isinstance(value, np.ndarray):
        value = value.to_numpy()
    arr = np.asarray(value)
    if arr.dtype == object or arr.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold numbers, got an array of dtype {arr.dtype}")
    if arr.dtype.kind == "b":
        raise TypeError(f"{name} must hold counts, got booleans")
    return arr


def count_arrays(
    names: tuple[str, ...], values: tuple[Any, ...]
) -> tuple[tuple[int, ...], list[npt.NDArray[Any]]]:
    """Broadcasts count arguments to one shape and one dtype (int64 or float64).

    Returns the common shape and the flattened, contiguous arrays. Integer inputs
    stay int64 (no copy when they already are); anything else becomes float64,
    whose values the core checks are whole numbers.
    """
    arrays = [as_array(v, n) for n, v in zip(names, values, strict=True)]
    try:
        shaped = np.broadcast_arrays(*arrays)
    except ValueError:
        shapes = ", ".join(f"{n} {a.shape}" for n, a in zip(names, arrays, strict=True))
        raise ValueError(f"array arguments have incompatible shapes: {shapes}") from None
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
