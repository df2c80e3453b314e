"""ISO 2859-1 / GB/T 2828.1 / ANSI Z1.4 (MIL-STD-105E): sampling by attributes indexed by AQL.

Units: the look-ups (:func:`plan`, :class:`Scheme`) take the AQL in percent,
exactly as printed in the standard (``aql=1.0`` is AQL 1 %; ``"1%"`` is
accepted too), one of the 26 preferred values. The plans they return remember
their AQL as a fraction (``plan.aql == 0.01``) and everything else is a
fraction, as in the rest of qualstat: ``plan.producer_risk()`` is 1 - Pa at
the AQL, ``plan.prob_accept(0.01)`` is Pa at 1 %, and ``plan.prob_accept(1.0)``
(the AQL in percent) raises ``ValueError``. ISO 2859-1 gives no limiting
quality per plan, so ``plan.lq`` is ``None``.

Editions (``edition=``, one option for the look-ups and the switching scheme,
default ``"z14"``): ``"z14"`` (MIL-STD-105E / ANSI Z1.4 tables; reduced plans
with a gap Ac < d < Re, where the lot is accepted and normal inspection
reinstated; reduced inspection after 10 accepted lots) and ``"iso1999"``
(also ``"gb2828"``, ``"gbt2828.1"``, ``"iso2859_1_1999"``: ISO 2859-1:1999 /
GB/T 2828.1-2012: the same normal and tightened single plans except the
disputed cell tightened A @ 10, the 1999 reduced single plans without a gap,
and the switching score; its double and multiple tables are not available and
asking for them raises ``ValueError``).

Disputed cells and the choices made:

* tightened single A @ AQL 10: Z1.4 n=8, 1/2 (arrow to D); ISO/GB n=2, 0/1.
  Each edition serves its own.
* Z1.4 reduced single B @ 40 and 65 (2/4, 3/5, off 105E's reduced sequence):
  served as printed; the plan's ``metadata["note"]`` says so.
* Z1.4 normal double L..P @ 100: the reference file's Ac2 = Re2 = 26 is
  corrected to 26/27 (the up-arrow to code E's plan).
* The 1999 reduced single table has one source and awaits a check against the
  printed standard.
"""

from __future__ import annotations

import html
import warnings
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
import polars as pl

from . import _qualstat
from ._coerce import as_array, broadcast, integer, is_scalar, option, show
from ._standards import lookup_args, table_aql
from .plan import AttributePlan, _ints

__all__ = ["LotResult", "PREFERRED_AQLS", "Scheme", "code_letter", "plan", "scheme_oc"]

PREFERRED_AQLS = (
    0.010, 0.015, 0.025, 0.040, 0.065, 0.10, 0.15, 0.25, 0.40, 0.65, 1.0, 1.5, 2.5, 4.0, 6.5,
    10.0, 15.0, 25.0, 40.0, 65.0, 100.0, 150.0, 250.0, 400.0, 650.0, 1000.0,
)  # fmt: skip
"""The 26 preferred AQLs, in percent."""


def code_letter(lot_size: int, level: str = "II") -> str:
    """The sample-size code letter for a lot size and inspection level (Table I).

    ``level`` is one of "S-1", "S-2", "S-3", "S-4", "I", "II", "III".

    >>> from qualstat import iso2859_1
    >>> iso2859_1.code_letter(1000)
    'J'
    """
    return _qualstat._iso2859_1_code_letter(
        integer(lot_size, "lot_size", minimum=0), option(level, "level")
    )


def _from_dict(d: dict[str, Any]) -> AttributePlan:
    meta = {k: v for k, v in d.items() if k != "plan"}
    return AttributePlan._wrap(d["plan"], meta, aql=d["aql_fraction"])


def _edition(edition: Any, rule: Any) -> str:
    """The edition, given as ``edition`` or under its former name ``rule``."""
    if rule is not None and edition is not None:
        raise ValueError(
            f"edition = {show(edition)} and rule = {show(rule)} name the same option: "
            "give only edition (rule is its former name)"
        )
    chosen = rule if rule is not None else edition
    return "z14" if chosen is None else option(chosen, "edition" if rule is None else "rule")


def plan(
    *,
    aql: Any,
    lot_size: int | None = None,
    code: str | None = None,
    level: str = "II",
    inspection: str = "normal",
    kind: str = "single",
    edition: str = "z14",
) -> AttributePlan:
    """The plan of the tables for an AQL (in percent) and a lot size or code letter.

    Parameters
    ----------
    aql : float or str
        The AQL in percent as printed (``1.0`` is AQL 1 %), or ``"1%"``; one
        of :data:`PREFERRED_AQLS`. A fraction such as ``0.01`` is refused with
        a hint.
    lot_size : int, optional
        Gives the code letter (Table I) and the 100 % inspection flag.
    code : str, optional
        The code letter; when given with ``lot_size`` the two must agree.
    level, inspection, kind : str
        Inspection level ("S-1" to "S-4", "I", "II", "III"), severity
        ("normal", "tightened", "reduced"), "single", "double" or "multiple".
    edition : str
        ``"z14"`` (default) or ``"iso1999"`` (aliases ``"gb2828"``,
        ``"gbt2828.1"``, ``"iso2859_1_1999"``).

    Returns
    -------
    AttributePlan
        Arrows followed (the new row's sample size replaces the old one); the
        plan remembers its AQL as a fraction (``plan.aql``) and carries
        ``code_letter``, ``source_table``, ``full_inspection`` (sample size >=
        lot size: inspect 100 %) and ``metadata`` (arrow followed, the plan's own
        row, notes on disputed cells). A ``*`` cell of the double or multiple
        tables returns the single (or double) plan it points to.

    Examples
    --------
    >>> from qualstat import iso2859_1
    >>> p = iso2859_1.plan(aql=1.0, lot_size=1000)
    >>> p
    AttributePlan(n=80, ac=2, re=3; AQL 1.0 % (p = 0.01), code J, ANSI Z1.4 Table II-A)
    >>> p.aql, round(p.producer_risk(), 4)
    (0.01, 0.0466)
    """
    d = _qualstat._iso2859_1_plan(
        *lookup_args(aql, lot_size, code, level, inspection),
        option(kind, "kind"),
        option(edition, "edition"),
    )
    return _from_dict(d)


def scheme_oc(pa_normal: Any, pa_tightened: Any) -> float | npt.NDArray[np.float64]:
    """Long-run acceptance probability of the normal/tightened scheme (Stephens & Larson 1967).

    a = (2 - P_N^4)/((1 - P_N)(1 - P_N^4)), b = (1 - P_T^5)/((1 - P_T) P_T^5),
    Pa = (a P_N + b P_T)/(a + b); all probabilities are fractions.

    >>> from qualstat import iso2859_1
    >>> round(iso2859_1.scheme_oc(0.9, 0.7), 4)
    0.8406
    """
    scalar = is_scalar(pa_normal) and is_scalar(pa_tightened)
    n = np.ascontiguousarray(as_array(pa_normal, "pa_normal"), dtype=np.float64)
    t = np.ascontiguousarray(as_array(pa_tightened, "pa_tightened"), dtype=np.float64)
    n, t = broadcast(("pa_normal", "pa_tightened"), (n, t))
    out = _qualstat._iso2859_1_scheme_oc(
        np.ascontiguousarray(n).reshape(-1), np.ascontiguousarray(t).reshape(-1)
    )
    return float(out[0]) if scalar else out.reshape(n.shape)


class LotResult(NamedTuple):
    """One lot inspected under the switching scheme.

    ``decision`` is "accept" or "reject"; ``stage`` the stage that decided;
    ``nonconforming`` the cumulative count; ``state``/``state_after`` the state
    the lot was inspected under and the state after the switching rules.

    Examples
    --------
    >>> from qualstat import iso2859_1
    >>> r = iso2859_1.Scheme(1.0).inspect(1000, 2)
    >>> r.decision, r.stage, r.nonconforming, r.state, r.plan.n
    ('accept', 1, 2, 'normal', (80,))
    """

    lot: int
    lot_size: int
    state: str
    decision: str
    stage: int
    nonconforming: int
    reinstate_normal: bool
    state_after: str
    switching_score: int | None
    plan: AttributePlan

    @property
    def accepted(self) -> bool:
        """True when the lot was accepted.

        >>> from qualstat import iso2859_1
        >>> iso2859_1.Scheme(1.0).inspect(1000, 3).accepted
        False
        """
        return self.decision == "accept"


_HISTORY_SCHEMA = {
    "lot": pl.Int64,
    "lot_size": pl.Int64,
    "state": pl.String,
    "code_letter": pl.String,
    "n": pl.Int64,
    "ac": pl.Int64,
    "re": pl.Int64,
    "stage": pl.Int64,
    "nonconforming": pl.Int64,
    "decision": pl.String,
    "state_after": pl.String,
    "switching_score": pl.Int64,
}


def _lot_result(d: dict[str, Any]) -> LotResult:
    return LotResult(
        lot=d["lot"],
        lot_size=d["lot_size"],
        state=d["state"],
        decision=d["decision"],
        stage=d["stage"],
        nonconforming=d["nonconforming"],
        reinstate_normal=d["reinstate_normal"],
        state_after=d["state_after"],
        switching_score=d["switching_score"],
        plan=_from_dict(d["plan"]),
    )


def _history_row(r: LotResult) -> dict[str, Any]:
    return {
        "lot": r.lot,
        "lot_size": r.lot_size,
        "state": r.state,
        "code_letter": r.plan.code_letter,
        "n": r.plan.n[0],
        "ac": r.plan.ac[-1],
        "re": r.plan.re[-1],
        "stage": r.stage,
        "nonconforming": r.nonconforming,
        "decision": r.decision,
        "state_after": r.state_after,
        "switching_score": r.switching_score,
    }


def _per_lot(values: Any, name: str) -> list[Any]:
    """The entries of a per-lot column (list, tuple, numpy array, pandas or polars Series)."""
    if isinstance(values, pl.Series):
        return values.to_list()
    if hasattr(values, "to_numpy") and not isinstance(values, np.ndarray):
        values = values.to_numpy()
    if isinstance(values, np.ndarray):
        return values.tolist()
    if isinstance(values, str | bytes) or not isinstance(values, Sequence):
        raise TypeError(f"{name} = {show(values)} is invalid: expected one entry per lot")
    return list(values)


class Scheme:
    """The switching rules (normal, tightened, reduced, discontinued), one lot at a time.

    Parameters
    ----------
    aql : float or str
        AQL in percent as printed (``1.0`` is AQL 1 %), or ``"1%"``; one of
        the 26 preferred values. ``scheme.aql`` is the fraction.
    level : str
        Inspection level for the code letters ("II" by default).
    kind : str
        "single", "double" or "multiple" (double and multiple need ``edition="z14"``).
    edition : str
        The tables and switching rules, as for :func:`plan` (default ``"z14"``,
        so the plans a scheme applies are the plans :func:`plan` prints):
        ``"z14"``: 10 consecutive accepted lots for reduced inspection, Z1.4
        reduced plans (Ac < d < Re accepts the lot and reinstates normal);
        ``"iso1999"`` (``"gb2828"``, ``"gbt2828.1"``): switching score >= 30,
        the 1999 reduced plans. Both: 2 of 5 or fewer consecutive lots not
        accepted -> tightened; 5 consecutive accepted on tightened -> normal;
        5 lots not accepted on tightened -> discontinued. ``rule=`` is accepted
        as the former name of ``edition``.

    Examples
    --------
    >>> from qualstat import iso2859_1
    >>> s = iso2859_1.Scheme(1.0)
    >>> s.inspect(1000, 0).decision, s.state
    ('accept', 'normal')
    >>> s
    Scheme(AQL 1.0 % (p = 0.01), level='II', kind='single', edition='z14', state='normal', lots=1)
    """

    def __init__(
        self,
        aql: Any,
        *,
        level: str = "II",
        kind: str = "single",
        edition: str | None = None,
        rule: str | None = None,
    ) -> None:
        aql_percent = table_aql(aql)
        level, kind = option(level, "level"), option(kind, "kind")
        self._native = _qualstat._Iso2859Scheme(aql_percent, level, kind, _edition(edition, rule))
        reference = plan(aql=aql_percent, code="A", edition=self._native.edition)
        self._aql: float = reference.aql if reference.aql is not None else aql_percent / 100
        self._aql_text: str = reference._meta["aql"] if reference._meta else str(aql_percent)
        self._aql_percent = aql_percent
        self.level, self.kind = level, kind
        self._history: list[LotResult] = []

    @property
    def aql(self) -> float:
        """The AQL as a fraction (``Scheme(0.65).aql == 0.0065``).

        >>> from qualstat import iso2859_1
        >>> iso2859_1.Scheme(0.65).aql
        0.0065
        """
        return self._aql

    @property
    def edition(self) -> str:
        """ "z14" or "iso1999": the tables and switching rules applied.

        >>> from qualstat import iso2859_1
        >>> iso2859_1.Scheme(1.0).edition, iso2859_1.Scheme(1.0, edition="gb2828").edition
        ('z14', 'iso1999')
        """
        return str(self._native.edition)

    @property
    def state(self) -> str:
        """ "normal", "tightened", "reduced" or "discontinued".

        >>> from qualstat import iso2859_1
        >>> s = iso2859_1.Scheme(1.0)
        >>> s.state
        'normal'
        >>> _ = s.inspect(1000, 5), s.inspect(1000, 5)
        >>> s.state
        'tightened'
        """
        return str(self._native.state)

    @property
    def switching_score(self) -> int:
        """The ISO 1999 switching score.

        >>> from qualstat import iso2859_1
        >>> s = iso2859_1.Scheme(1.0, edition="iso1999")
        >>> _ = s.inspect(1000, 0)
        >>> s.switching_score
        3
        """
        return int(self._native.switching_score)

    @property
    def history(self) -> pl.DataFrame:
        """Every lot inspected so far (by :meth:`inspect` and :meth:`run`), as a DataFrame.

        >>> from qualstat import iso2859_1
        >>> s = iso2859_1.Scheme(1.0)
        >>> _ = s.inspect(1000, 0), s.inspect(1000, 4)
        >>> s.history["decision"].to_list()
        ['accept', 'reject']
        """
        return pl.DataFrame([_history_row(r) for r in self._history], schema=_HISTORY_SCHEMA)

    def current_plan(self, lot_size: int) -> AttributePlan:
        """The plan the next lot of ``lot_size`` items is inspected with.

        >>> from qualstat import iso2859_1
        >>> iso2859_1.Scheme(1.0).current_plan(1000).n
        (80,)
        """
        return _from_dict(self._native.current_plan(integer(lot_size, "lot_size", minimum=0)))

    def resume(self) -> None:
        """Restarts a discontinued scheme on tightened inspection (after corrective action).

        >>> from qualstat import iso2859_1
        >>> s = iso2859_1.Scheme(1.0)
        >>> _ = [s.inspect(1000, 9) for _ in range(7)]
        >>> s.state
        'discontinued'
        >>> s.resume()
        >>> s.state
        'tightened'
        """
        self._native.resume()

    def inspect(self, lot_size: int, nonconforming: Any) -> LotResult:
        """Inspects one lot; ``nonconforming`` is the count (or the counts per stage drawn).

        >>> from qualstat import iso2859_1
        >>> iso2859_1.Scheme(1.0).inspect(1000, 3).decision
        'reject'
        """
        d = self._native.inspect(
            integer(lot_size, "lot_size", minimum=0),
            _ints(nonconforming, "nonconforming", minimum=0),
        )
        result = _lot_result(d)
        self._history.append(result)
        return result

    def run(
        self, frame: Any = None, *, lot_size: Any = None, nonconforming: Any = None
    ) -> pl.DataFrame:
        """Inspects a sequence of lots and returns their history as a polars DataFrame.

        Give a DataFrame with columns ``lot_size`` and ``nonconforming``, or
        the two sequences as keywords. Each ``nonconforming`` entry is a count
        (single sampling) or the counts of the stages drawn (double and
        multiple sampling, e.g. a list column). When inspection becomes
        discontinued the run stops: the history ends with that lot
        (``state_after == "discontinued"``), a ``UserWarning`` says how many
        lots were not inspected, and :meth:`resume` restarts on tightened.

        >>> from qualstat import iso2859_1
        >>> s = iso2859_1.Scheme(1.0, kind="double")
        >>> s.run(lot_size=[1000, 1000], nonconforming=[[0], [1, 1]])["decision"].to_list()
        ['accept', 'accept']
        """
        if frame is not None:
            if not isinstance(frame, pl.DataFrame):
                frame = pl.DataFrame(frame)
            missing = {"lot_size", "nonconforming"} - set(frame.columns)
            if missing:
                raise ValueError(f"frame is missing the columns {sorted(missing)}")
            lot_size, nonconforming = frame["lot_size"], frame["nonconforming"]
        if lot_size is None or nonconforming is None:
            raise ValueError("give a frame, or both lot_size and nonconforming")
        sizes = [
            integer(n, f"lot_size[{i}]", minimum=0)
            for i, n in enumerate(_per_lot(lot_size, "lot_size"))
        ]
        counts = [
            _ints(c, f"nonconforming[{i}]", minimum=0)
            for i, c in enumerate(_per_lot(nonconforming, "nonconforming"))
        ]
        if len(sizes) != len(counts):
            raise ValueError(
                f"lot_size has length {len(sizes)} but nonconforming has length {len(counts)}: "
                "they must have the same length"
            )
        results = [_lot_result(d) for d in self._native.run(sizes, counts)]
        self._history.extend(results)
        if len(results) < len(sizes):
            warnings.warn(
                f"inspection discontinued at lot {results[-1].lot} (5 lots not accepted on "
                f"tightened inspection): the {len(sizes) - len(results)} later lots were not "
                "inspected; call resume() after corrective action",
                UserWarning,
                stacklevel=2,
            )
        return pl.DataFrame([_history_row(r) for r in results], schema=_HISTORY_SCHEMA)

    def curves(self, lot_size: int, p: Any = None, *, model: str = "binomial") -> pl.DataFrame:
        """OC of the normal and tightened plans for ``lot_size`` and of the scheme.

        The scheme OC is Stephens & Larson's; the result is a DataFrame
        ``p, pa_normal, pa_tightened, pa_scheme`` (all fractions).

        >>> from qualstat import iso2859_1
        >>> iso2859_1.Scheme(1.0).curves(1000).columns
        ['p', 'pa_normal', 'pa_tightened', 'pa_scheme']
        """
        lookups = {"level": self.level, "kind": self.kind, "edition": self.edition}
        normal = plan(aql=self._aql_percent, lot_size=lot_size, inspection="normal", **lookups)
        tightened = plan(
            aql=self._aql_percent, lot_size=lot_size, inspection="tightened", **lookups
        )
        frame = normal.curves(p, model=model)
        grid = frame["p"].to_numpy()
        pn = frame["prob_accept"].to_numpy()
        pt = np.asarray(tightened.prob_accept(grid, model=model))
        return pl.DataFrame(
            {"p": grid, "pa_normal": pn, "pa_tightened": pt, "pa_scheme": scheme_oc(pn, pt)}
        )

    def _aql_label(self) -> str:
        return f"AQL {self._aql_text} % (p = {self._aql:.6g})"

    def __repr__(self) -> str:
        return (
            f"Scheme({self._aql_label()}, level={self.level!r}, kind={self.kind!r}, "
            f"edition={self.edition!r}, state={self.state!r}, lots={len(self._history)})"
        )

    def _repr_html_(self) -> str:
        head = (
            f"<p><b>ISO 2859-1 switching scheme</b>: {html.escape(self._aql_label())}, "
            f"level {html.escape(self.level)}, {html.escape(self.kind)} sampling, "
            f"edition {html.escape(self.edition)}<br>state: <b>{html.escape(self.state)}</b>"
            + (f", switching score {self.switching_score}" if self.edition == "iso1999" else "")
            + f", {len(self._history)} lots inspected</p>"
        )
        shown = self._history[-20:]
        if not shown:
            return f"<div>{head}</div>"
        columns = list(_HISTORY_SCHEMA)
        rows = "".join(
            "<tr>"
            + "".join(
                f"<td>{'' if v is None else html.escape(str(v))}</td>"
                for v in _history_row(r).values()
            )
            + "</tr>"
            for r in shown
        )
        more = (
            f"<p>(the last {len(shown)} of {len(self._history)} lots)</p>"
            if len(self._history) > len(shown)
            else ""
        )
        return (
            f"<div>{head}<table><tr>"
            + "".join(f"<th>{c}</th>" for c in columns)
            + f"</tr>{rows}</table>{more}</div>"
        )
