"""ISO 2859-1 / GB/T 2828.1 / ANSI Z1.4 (MIL-STD-105E): sampling by attributes indexed by AQL.

AQLs are in percent here, exactly as printed in the standard (``aql=1.0`` is 1 %),
and must be one of the 26 preferred values.

Editions: ``"z14"`` (MIL-STD-105E / ANSI Z1.4 tables; reduced plans with a gap
Ac < d < Re, where the lot is accepted and normal inspection reinstated) and
``"iso1999"`` (ISO 2859-1:1999 / GB/T 2828.1-2012: the same normal and tightened
single plans except the disputed cell tightened A @ 10, and the 1999 reduced
single plans without a gap; its double and multiple tables are not available
and asking for them raises ``ValueError``).

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

import numbers
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
import polars as pl

from . import _qualstat
from ._coerce import as_array, is_scalar
from ._standards import lookup_args
from .plan import AttributePlan, _int, _ints, _real, _str

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
    return _qualstat._iso_code_letter(_int(lot_size, "lot_size"), _str(level, "level"))


def _from_dict(d: dict[str, Any]) -> AttributePlan:
    meta = {k: v for k, v in d.items() if k != "plan"}
    return AttributePlan._wrap(d["plan"], meta)


def plan(
    *,
    aql: float,
    lot_size: int | None = None,
    code: str | None = None,
    level: str = "II",
    inspection: str = "normal",
    kind: str = "single",
    edition: str = "z14",
) -> AttributePlan:
    """The plan of the tables for an AQL (percent) and a lot size or code letter.

    Arrows are followed (the new row's sample size replaces the old one). The
    returned plan carries ``code_letter``, ``source_table``, ``full_inspection``
    (sample size >= lot size: inspect 100 %) and ``metadata`` (arrow followed,
    the plan's own row, notes on disputed cells). A ``*`` cell of the double or
    multiple tables returns the single (or double) plan it points to.

    >>> from qualstat import iso2859_1
    >>> p = iso2859_1.plan(aql=1.0, lot_size=1000)
    >>> p, p.code_letter
    (AttributePlan(n=80, ac=2, re=3, code='J', table='ANSI Z1.4 Table II-A'), 'J')
    """
    d = _qualstat._iso_plan(
        *lookup_args(aql, lot_size, code, level, inspection),
        _str(kind, "kind"),
        _str(edition, "edition"),
    )
    return _from_dict(d)


def scheme_oc(pa_normal: Any, pa_tightened: Any) -> float | npt.NDArray[np.float64]:
    """Long-run acceptance probability of the normal/tightened scheme (Stephens & Larson 1967).

    a = (2 - P_N^4)/((1 - P_N)(1 - P_N^4)), b = (1 - P_T^5)/((1 - P_T) P_T^5),
    Pa = (a P_N + b P_T)/(a + b).
    """
    scalar = is_scalar(pa_normal) and is_scalar(pa_tightened)
    n = np.ascontiguousarray(as_array(pa_normal, "pa_normal"), dtype=np.float64)
    t = np.ascontiguousarray(as_array(pa_tightened, "pa_tightened"), dtype=np.float64)
    n, t = np.broadcast_arrays(n, t)
    out = _qualstat._scheme_oc(
        np.ascontiguousarray(n).reshape(-1), np.ascontiguousarray(t).reshape(-1)
    )
    return float(out[0]) if scalar else out.reshape(n.shape)


class LotResult(NamedTuple):
    """One lot inspected under the switching scheme."""

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


class Scheme:
    """The switching rules (normal, tightened, reduced, discontinued), one lot at a time.

    Parameters
    ----------
    aql : float
        AQL in percent, one of the 26 preferred values.
    level : str
        Inspection level for the code letters ("II" by default).
    kind : str
        "single", "double" or "multiple" (double and multiple need ``rule="z14"``).
    rule : str
        "iso1999": switching score >= 30 for reduced inspection and the 1999
        reduced plans; "z14": 10 consecutive accepted lots, Z1.4 reduced plans
        (Ac < d < Re accepts the lot and reinstates normal). Both: 2 of 5 or
        fewer consecutive lots not accepted -> tightened; 5 consecutive accepted
        on tightened -> normal; 5 lots not accepted on tightened -> discontinued.

    Examples
    --------
    >>> from qualstat import iso2859_1
    >>> s = iso2859_1.Scheme(1.0)
    >>> s.inspect(1000, 0).decision, s.state
    ('accept', 'normal')
    """

    def __init__(
        self, aql: float, *, level: str = "II", kind: str = "single", rule: str = "iso1999"
    ) -> None:
        self._native = _qualstat._Scheme(
            _real(aql, "aql"), _str(level, "level"), _str(kind, "kind"), _str(rule, "rule")
        )
        self.aql = float(aql)
        self.level, self.kind, self.rule = level, kind, rule

    @property
    def state(self) -> str:
        """ "normal", "tightened", "reduced" or "discontinued"."""
        return str(self._native.state)

    @property
    def switching_score(self) -> int:
        """The ISO 1999 switching score."""
        return int(self._native.switching_score)

    def current_plan(self, lot_size: int) -> AttributePlan:
        """The plan the next lot of ``lot_size`` items is inspected with."""
        return _from_dict(self._native.current_plan(_int(lot_size, "lot_size")))

    def resume(self) -> None:
        """Restarts a discontinued scheme on tightened inspection (after corrective action)."""
        self._native.resume()

    def inspect(self, lot_size: int, nonconforming: Any) -> LotResult:
        """Inspects one lot; ``nonconforming`` is the count (or the counts per stage drawn)."""
        d = self._native.inspect(_int(lot_size, "lot_size"), _ints(nonconforming, "nonconforming"))
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

    def run(
        self, frame: Any = None, *, lot_size: Any = None, nonconforming: Any = None
    ) -> pl.DataFrame:
        """Inspects a sequence of lots and returns the history as a polars DataFrame.

        Give a DataFrame with columns ``lot_size`` and ``nonconforming`` (single
        sampling), or the two sequences as keywords.
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
        sizes = as_array(lot_size, "lot_size").reshape(-1)
        counts = as_array(nonconforming, "nonconforming").reshape(-1)
        if sizes.shape != counts.shape:
            raise ValueError(
                f"lot_size has length {sizes.size} but nonconforming has length {counts.size}: "
                "they must have the same length"
            )
        rows = []
        for i, (n, d) in enumerate(zip(sizes.tolist(), counts.tolist(), strict=True)):
            if not isinstance(n, numbers.Integral) or not isinstance(d, numbers.Integral):
                raise TypeError(
                    f"lot {i}: lot_size and nonconforming must be integers, got {n!r}, {d!r}"
                )
            r = self.inspect(int(n), int(d))
            rows.append(
                {
                    "lot": r.lot,
                    "lot_size": r.lot_size,
                    "state": r.state,
                    "code_letter": r.plan.code_letter,
                    "n": r.plan.n[0],
                    "ac": r.plan.ac[-1],
                    "re": r.plan.re[-1],
                    "nonconforming": r.nonconforming,
                    "decision": r.decision,
                    "state_after": r.state_after,
                    "switching_score": r.switching_score,
                }
            )
        schema = {
            "lot": pl.Int64,
            "lot_size": pl.Int64,
            "state": pl.String,
            "code_letter": pl.String,
            "n": pl.Int64,
            "ac": pl.Int64,
            "re": pl.Int64,
            "nonconforming": pl.Int64,
            "decision": pl.String,
            "state_after": pl.String,
            "switching_score": pl.Int64,
        }
        return pl.DataFrame(rows, schema=schema)

    def curves(self, lot_size: int, p: Any = None, *, model: str = "binomial") -> pl.DataFrame:
        """OC of the normal and tightened plans for ``lot_size`` and of the scheme
        (Stephens & Larson), as a DataFrame ``p, pa_normal, pa_tightened, pa_scheme``."""
        lookups = {
            "level": self.level,
            "kind": self.kind,
            "edition": "iso1999" if self.rule == "iso1999" else "z14",
        }
        normal = plan(aql=self.aql, lot_size=lot_size, inspection="normal", **lookups)
        tightened = plan(aql=self.aql, lot_size=lot_size, inspection="tightened", **lookups)
        frame = normal.curves(p, model=model)
        grid = frame["p"].to_numpy()
        pn = frame["prob_accept"].to_numpy()
        pt = np.asarray(tightened.prob_accept(grid, model=model))
        return pl.DataFrame(
            {"p": grid, "pa_normal": pn, "pa_tightened": pt, "pa_scheme": scheme_oc(pn, pt)}
        )

    def __repr__(self) -> str:
        return (
            f"Scheme(aql={self.aql}, level={self.level!r}, kind={self.kind!r}, "
            f"rule={self.rule!r}, state={self.state!r})"
        )
