"""Argument checks shared by the AQL-indexed standards (iso2859_1, iso3951)."""

from __future__ import annotations

from typing import Any

from .plan import _lot, _real, _str


def lookup_args(
    aql: Any, lot_size: Any, code: Any, level: Any, inspection: Any
) -> tuple[float, int | None, str | None, str, str]:
    """The checked arguments of a table look-up, in the order the native functions take them.

    Raises ``TypeError`` naming the argument for a value of the wrong type.
    """
    return (
        _real(aql, "aql"),
        _lot(lot_size),
        None if code is None else _str(code, "code"),
        _str(level, "level"),
        _str(inspection, "inspection"),
    )
