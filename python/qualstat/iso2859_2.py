"""ISO 2859-2 Procedure A: sampling plans indexed by limiting quality (LQ) for isolated lots.

:func:`plan` reads Table A (single sampling plans by LQ and lot size) as
printed in the identical adoption TCVN 7790-2:2015 (119 plan cells; the file is
``reference/tables/iso2859_2_procA_tableA.csv``). The LQ is given in percent as
the table prints it, like the AQL of :func:`qualstat.iso2859_1.plan`: one of
0.5, 0.8, 1.25, 2.0, 3.15, 5.0, 8.0, 12.5, 20 and 32 (or ``"5%"``).

Caveats of the table (see ``reference/supervision_notes.md`` section 3):

* **Column placement is inferred.** The source lists only the plans of each
  lot-size row; they are placed in the right-most LQ columns. The cells to
  their left are arrows (the LQ means fewer than one nonconforming item in the
  lot): the first plan to the right in the same row is served and
  ``metadata["plan_lq"]`` names its column.
* When the printed sample size reaches the lot size, every item is inspected
  with Ac = 0 (the table's footnote; ``plan.full_inspection``).
* The last column is printed **"32"** in the source; ISO 2859-2:1985 prints
  31.5. Both are accepted; the LQ keeps the value given.
* Lot 3 201–10 000 at LQ 1.25 % prints **n = 316**, probably a misprint for
  315. It is served as printed, with a note.
* The table is data, not a design rule: nothing is recomputed.

``metadata["consumer_risk"]`` is the probability of accepting the lot itself
when it holds ``ceil(LQ x N)`` nonconforming items (hypergeometric). ISO
2859-2 says it is "usually below 10 %, always below 13 %" (1985), but the
small-lot Ac = 0 plans can exceed 10 %, occasionally 13 %, through the rounding
of ``LQ x N``; ``metadata["binomial_pa_at_lq"]`` is the binomial value.
"""

from __future__ import annotations

from typing import Any

from . import _qualstat
from ._coerce import integer, real
from ._units import fraction
from .plan import AttributePlan

__all__ = ["LQS", "plan"]

LQS = (0.5, 0.8, 1.25, 2.0, 3.15, 5.0, 8.0, 12.5, 20.0, 32.0)
"""The LQ columns of Table A in percent, as printed (32 is ISO's 31.5)."""


def _table_lq(lq: Any) -> float:
    if isinstance(lq, str):
        return 100.0 * fraction(lq, "lq")
    return real(lq, "lq")


def plan(*, lq: Any, lot_size: int) -> AttributePlan:
    """The ISO 2859-2 Procedure A plan (Table A) for an LQ in percent and a lot size.

    Parameters
    ----------
    lq : float or str
        The limiting quality in percent as printed (``5.0`` is LQ 5 %), or
        ``"5%"``; one of :data:`LQS` (31.5 is accepted for 32).
    lot_size : int
        The size of the isolated lot, at least 16.

    Returns
    -------
    AttributePlan
        With ``.n``, ``.ac``, ``.lq`` (the LQ as a fraction),
        ``.full_inspection`` and ``.metadata`` (``lq``, ``plan_lq`` (the
        column served after an arrow), ``lot_class``, ``printed_n``,
        ``consumer_risk`` (hypergeometric Pa at the LQ), ``binomial_pa_at_lq``,
        ``table``, ``note``).

    Examples
    --------
    >>> from qualstat import iso2859_2
    >>> p = iso2859_2.plan(lq=5.0, lot_size=1000)
    >>> p.n, p.ac, p.lq
    ((80,), (1,), 0.05)
    >>> round(p.metadata["consumer_risk"], 4)
    0.0775
    >>> iso2859_2.plan(lq=0.5, lot_size=100).metadata["plan_lq"]  # an arrow
    '0.8'
    """
    d = _qualstat._iso2859_2_plan(_table_lq(lq), integer(lot_size, "lot_size", minimum=0))
    meta = {k: v for k, v in d.items() if k != "plan"}
    meta["code_letter"] = None
    return AttributePlan._wrap(d["plan"], meta, lq=d["lq_fraction"])
