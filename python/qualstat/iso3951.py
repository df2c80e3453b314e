"""ISO 3951-1 / ANSI Z1.9 variables plans indexed by AQL.

Units: the look-up takes ``aql`` as the tables print it, in percent
(``aql=1.0`` is AQL 1.0 %; ``"1%"`` is accepted too). The plan remembers its
AQL as a fraction (``plan.aql == 0.01``), shows it as ``AQL 1 % (p = 0.01)``,
and its risk methods default to it; every other quality level is a fraction.

Code letters (Table A-2), sample sizes and maximum allowable percent nonconforming M for
the s- and sigma-methods, and the Form 1 acceptability constants k of Table B-1 where a
printed value is available (otherwise k is derived from M and n and the plan's metadata
says ``k_derived``).
"""

from __future__ import annotations

from typing import Any

from . import _qualstat
from ._coerce import integer, option, real
from ._standards import lookup_args
from .variables import VariablesPlan

__all__ = ["code_letter", "plan"]


def code_letter(lot_size: int, level: str = "II") -> str:
    """The Z1.9 sample-size code letter for a lot size and inspection level (Table A-2).

    Parameters
    ----------
    lot_size : int
        Number of items in the lot (at least 2).
    level : str
        Inspection level: ``"S-3"``, ``"S-4"``, ``"I"``, ``"II"`` (default) or ``"III"``.

    Returns
    -------
    str
        The code letter, ``"B"`` to ``"P"``.

    Examples
    --------
    >>> from qualstat import iso3951
    >>> iso3951.code_letter(40), iso3951.code_letter(1000, "iii")
    ('D', 'K')
    """
    return str(
        _qualstat._iso3951_code_letter(
            integer(lot_size, "lot_size", minimum=0), option(level, "level")
        )
    )


def plan(
    *,
    aql: Any,
    lot_size: int | None = None,
    code: str | None = None,
    level: str = "II",
    inspection: str = "normal",
    method: str = "s",
    sigma: float | None = None,
) -> VariablesPlan:
    """The Z1.9 plan for an AQL (in percent, as printed) and a lot size or code letter.

    Parameters
    ----------
    aql : float or str
        The AQL in percent as the tables print it (``1.0`` is AQL 1.0 %), or a
        percent string ``"1%"``. A preferred AQL written as a fraction
        (``0.01``) is refused with a hint.
    lot_size : int, optional
        Lot size: gives the code letter, and flags 100 % inspection when n >= lot size.
    code : str, optional
        Code letter; when ``lot_size`` is given too they must agree.
    level : str
        Inspection level (``"S-3"``, ``"S-4"``, ``"I"``, ``"II"``, ``"III"``).
    inspection : str
        ``"normal"``, ``"tightened"`` or ``"reduced"``.
    method : str
        ``"s"`` (sigma unknown) or ``"sigma"`` (sigma known, Section D).
    sigma : float, optional
        The known process standard deviation (to decide lots with the sigma-method).

    Returns
    -------
    VariablesPlan
        With ``plan.aql`` the AQL as a fraction; ``plan.metadata`` holds the
        code letter, the AQL and M as printed, whether k is printed or derived,
        the table, a 100 %-inspection flag and notes.

    Examples
    --------
    >>> from qualstat import iso3951
    >>> p = iso3951.plan(aql=1.0, lot_size=40)
    >>> p.n, p.k, p.metadata["m_percent"], p.aql
    (5, 1.53, '3.33', 0.01)
    >>> p
    VariablesPlan(n=5, k=1.53, M 3.33 % (m = 0.0333), method='s', code='D'; AQL 1 % (p = 0.01))
    """
    meta: dict[str, Any] = _qualstat._iso3951_plan(
        *lookup_args(aql, lot_size, code, level, inspection),
        option(method, "method"),
    )
    native = meta.pop("plan")
    if sigma is not None:
        native = _qualstat._VariablesPlan(
            native.n, native.k, native.m, native.method, real(sigma, "sigma")
        )
    return VariablesPlan._wrap(native, meta, aql=meta["aql_fraction"])
