"""ISO 3951-4:2011: variables plans for the assessment of a declared quality level (DQL).

:func:`plan` reads the 43 plans (n, k) printed in the identical adoption TCVN
8243-4:2015 (``reference/tables/iso3951_4_plans.csv``), indexed by the DQL
in percent as the table prints it (like the AQL of
:func:`qualstat.iso2859_1.plan`: ``dql=0.65`` is 0.65 %, ``"0.65%"`` is
accepted), the level of discrimination ``"I"``, ``"II"`` or ``"III"`` and the
method (``"s"``: sigma estimated by the sample standard deviation; ``"sigma"``:
sigma known). The plans were designed to match the OC curves of the ISO
2859-4 attribute plans.

:func:`verify` applies a plan to the measurements of a sample: with the
quality statistic ``Q = (U - mean)/s`` (or ``(mean - L)/s``; the known sigma
for the sigma-method) the DQL is **contradicted** when ``Q < k`` and **not
contradicted** otherwise (never "accepted").

Caveats (``reference/supervision_notes.md`` section 4):

* **Level III caution.** Under the rule "contradict if Q < k" the level-III
  plans have a risk of contradicting a correct DQL far above the 1.4 %-8.2 %
  that the standard's abstract states, while levels I and II fall close to it.
  Either level III uses another rule or the source's columns are shifted: a
  level-III plan carries the caution in ``metadata["note"]`` and
  :func:`plan` warns (``UserWarning``) until the printed standard is checked.
* No level-II plan is printed at DQL 0.010 and 0.015 %, no level-III plan at
  DQL 0.025 % and below: asking for one raises ``ValueError``.
* DQL 0.025 % / level I prints k_s as "3016" (read as 3.016); DQL 0.40 % /
  level II prints k_sigma = 2.012, out of line with its neighbours (probably a
  misprint; served as printed, with a note).
"""

from __future__ import annotations

import warnings
from typing import Any, NamedTuple

from . import _qualstat
from ._coerce import option, real
from ._units import fraction
from .variables import VariablesDecision, VariablesPlan

__all__ = ["DQLS", "Verification", "plan", "verify"]

DQLS = (
    0.010,
    0.015,
    0.025,
    0.040,
    0.065,
    0.10,
    0.15,
    0.25,
    0.40,
    0.65,
    1.0,
    1.5,
    2.5,
    4.0,
    6.5,
    10.0,
)
"""The DQL rows of the table, in percent."""


def _table_dql(dql: Any) -> float:
    if isinstance(dql, str):
        return 100.0 * fraction(dql, "dql")
    return real(dql, "dql")


def plan(
    *, dql: Any, level: str = "I", method: str = "s", sigma: float | None = None
) -> VariablesPlan:
    """The ISO 3951-4 plan (n, k) for a DQL in percent, a level of discrimination and a method.

    Parameters
    ----------
    dql : float or str
        The declared quality level in percent as printed (``0.65`` is 0.65 %),
        or ``"0.65%"``; one of :data:`DQLS`.
    level : str
        ``"I"`` (default), ``"II"`` or ``"III"`` (see the level III caution in
        the module docs; a level-III plan warns).
    method : str
        ``"s"`` (default) or ``"sigma"``.
    sigma : float, optional
        The known process standard deviation (to verify with the sigma-method).

    Returns
    -------
    VariablesPlan
        With ``.n``, ``.k`` and ``.metadata`` (``dql``, ``dql_fraction``,
        ``level``, ``method``, ``p_star_percent`` (the printed 100 p* column),
        ``table``, ``note``).

    Examples
    --------
    >>> from qualstat import iso3951_4
    >>> p = iso3951_4.plan(dql=0.65, level="II")
    >>> p.n, p.k
    (48, 2.043)
    >>> iso3951_4.plan(dql="1%", level="I", method="sigma").n
    9
    """
    lv = option(level, "level", ("I", "II", "III"))
    d = _qualstat._iso3951_4_plan(_table_dql(dql), lv, option(method, "method", ("s", "sigma")))
    if d["level"] == "III":
        warnings.warn(f"ISO 3951-4 {d['note']}", UserWarning, stacklevel=2)
    meta = {k: v for k, v in d.items() if k != "plan"}
    native = d["plan"]
    if sigma is not None:
        native = _qualstat._VariablesPlan(
            native.n, native.k, native.m, native.method, real(sigma, "sigma")
        )
    return VariablesPlan._wrap(native, meta)


class Verification(NamedTuple):
    """The result of :func:`verify`.

    Attributes
    ----------
    verdict : str
        ``"contradicted"`` (some quality statistic below k) or ``"not contradicted"``.
    decision : VariablesDecision
        The statistics (mean, sd, Q_L, Q_U, ...) the verdict rests on.
    """

    verdict: str
    decision: VariablesDecision


def verify(
    plan: VariablesPlan,
    measurements: Any,
    *,
    lsl: float | None = None,
    usl: float | None = None,
) -> Verification:
    """Verifies a DQL from the ``n`` measurements of a sample with an ISO 3951-4 plan.

    Contradicted when the quality statistic ``Q_U = (usl - mean)/s`` (or
    ``Q_L = (mean - lsl)/s``; the plan's known sigma for the sigma-method)
    falls below ``k``; with both limits, when either does.

    >>> from qualstat import iso3951_4
    >>> p = iso3951_4.plan(dql=10.0, level="I")  # n = 3, k = 0.044
    >>> iso3951_4.verify(p, [9.0, 10.0, 11.0], usl=11.5).verdict
    'not contradicted'
    >>> iso3951_4.verify(p, [9.0, 10.0, 11.0], usl=9.9).verdict
    'contradicted'
    """
    if not isinstance(plan, VariablesPlan):
        raise TypeError("plan is invalid: expected a VariablesPlan (from qualstat.iso3951_4.plan)")
    both = lsl is not None and usl is not None
    d = plan.decide(measurements, lsl=lsl, usl=usl, control="separate" if both else None)
    return Verification("contradicted" if d.outcome == "reject" else "not contradicted", d)
