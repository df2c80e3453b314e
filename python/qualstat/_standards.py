"""Argument checks shared by the AQL-indexed standards (iso2859_1, iso3951).

The look-ups take the AQL as the tables print it, in percent (``aql=0.65`` is
AQL 0.65 %); a percent string (``"0.65%"``) is accepted too.
"""

from __future__ import annotations

from typing import Any

from ._coerce import integer, option, real
from ._units import fraction


def table_aql(aql: Any) -> float:
    """The AQL of a look-up in percent: a number as printed, or a percent string ``"0.65%"``.

    >>> from qualstat._standards import table_aql
    >>> table_aql(0.65), round(table_aql("0.65%"), 12)
    (0.65, 0.65)
    """
    if isinstance(aql, str):
        return 100.0 * fraction(aql, "aql")
    return real(aql, "aql")


def lookup_args(
    aql: Any, lot_size: Any, code: Any, level: Any, inspection: Any
) -> tuple[float, int | None, str | None, str, str]:
    """The checked arguments of a table look-up, in the order the native functions take them.

    Raises ``TypeError`` or ``ValueError`` naming the argument for a value of
    the wrong type or range.

    >>> from qualstat._standards import lookup_args
    >>> lookup_args("1%", 1000, None, "II", "normal")
    (1.0, 1000, None, 'II', 'normal')
    """
    return (
        table_aql(aql),
        None if lot_size is None else integer(lot_size, "lot_size", minimum=0),
        None if code is None else option(code, "code"),
        option(level, "level"),
        option(inspection, "inspection"),
    )
