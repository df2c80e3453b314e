"""ISO 3951-1 / ANSI Z1.9 variables plans indexed by AQL (``aql`` in percent, as printed).

Code letters (Table A-2), sample sizes and maximum allowable percent nonconforming M for
the s- and sigma-methods, and the Form 1 acceptability constants k of Table B-1 where a
printed value is available (otherwise k is derived from M and n and the plan's metadata
says ``k_derived``).
"""

from __future__ import annotations

from typing import Any

from . import _qualstat
from ._standards import lookup_args
from .variables import VariablesPlan, _int, _real

__all__ = ["code_letter", "plan"]


def code_letter(lot_size: int, level: str = "II") -> str:
    """The Z1.9 sample-size code letter for a lot size and inspection level.

    >>> code_letter(40)
    'D'
    """
    return str(_qualstat._z19_code_letter(_int(lot_size, "lot_size"), level))


def plan(
    *,
    aql: float,
    lot_size: int | None = None,
    code: str | None = None,
    level: str = "II",
    inspection: str = "normal",
    method: str = "s",
    sigma: float | None = None,
) -> VariablesPlan:
    """The Z1.9 plan for an AQL (percent) and a lot size or code letter.

    ``plan.metadata`` holds the code letter, M as printed, whether k is printed or
    derived, the table, a 100 %-inspection flag (n >= lot size) and notes.

    >>> p = plan(aql=1.0, lot_size=40)
    >>> p.n, p.k, p.metadata["m_percent"]
    (5, 1.53, '3.33')
    """
    meta: dict[str, Any] = _qualstat._z19_plan(
        *lookup_args(aql, lot_size, code, level, inspection),
        method,
    )
    native = meta["plan"]
    if sigma is not None:
        native = _qualstat._VariablesPlan(
            native.n, native.k, native.m, native.method, _real(sigma, "sigma")
        )
    return VariablesPlan._wrap(native, meta)
