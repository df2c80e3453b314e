"""Attribute sampling plans: OC, ASN, AOQ, ATI, AOQL, risk points, design and lot decisions.

Quality levels are fractions (0.01 = 1 % nonconforming); under ``model="poisson"``
they are nonconformities per unit. ``model`` is ``"binomial"`` (a continuing
process), ``"poisson"``, ``"hypergeometric"`` (an isolated lot of ``lot_size``
items; later stages drawn from the lot depleted by earlier samples) or
``"hypergeometric_original_lot"`` (every stage evaluated on the original lot, as
SAS/QC does).
"""

from __future__ import annotations

import html
import numbers
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
import polars as pl

from . import _qualstat
from ._coerce import as_array, is_scalar

__all__ = [
    "AOQL",
    "AttributePlan",
    "Decision",
    "design_double_plan",
    "design_plan",
    "design_plan_grid",
    "prob_accept_grid",
    "zero_acceptance_plan",
]

FloatOrArray = float | npt.NDArray[np.float64]


def _int(value: Any, name: str) -> int:
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    return int(value)


def _ints(value: Any, name: str) -> list[int]:
    if isinstance(value, numbers.Integral) and not isinstance(value, bool | np.bool_):
        return [int(value)]
    if isinstance(value, str) or not isinstance(value, Sequence | np.ndarray):
        raise TypeError(f"{name} must be an integer or a sequence of integers, got {value!r}")
    return [_int(v, f"{name}[{i}]") for i, v in enumerate(value)]


def _lot(lot_size: Any) -> int | None:
    return None if lot_size is None else _int(lot_size, "lot_size")


def _str(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, got {value!r}")
    return value


def _real(value: Any, name: str) -> float:
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {value!r}")
    return float(value)


def _risk_points(aql: Any, lq: Any, alpha: Any, beta: Any) -> tuple[float, float, float, float]:
    return _real(aql, "aql"), _real(lq, "lq"), _real(alpha, "alpha"), _real(beta, "beta")


def _p(p: Any) -> tuple[bool, tuple[int, ...], npt.NDArray[np.float64]]:
    """(scalar?, shape, flat float64 array) of a quality argument."""
    if is_scalar(p):
        return True, (), np.array([_real(p, "p")], dtype=np.float64)
    arr = as_array(p, "p")
    return False, arr.shape, np.ascontiguousarray(arr, dtype=np.float64).reshape(-1)


class Decision(NamedTuple):
    """A lot decision: ``outcome`` is "accept", "reject" or "continue"."""

    outcome: str
    stage: int
    cumulative: int
    next_sample_size: int | None
    reinstate_normal: bool


class AOQL(NamedTuple):
    """The average outgoing quality limit and the quality at which it occurs."""

    aoql: float
    p: float


def table_note_html(m: dict[str, Any], detail: str = "") -> str:
    """The HTML line describing where a plan of a standard's tables came from.

    ``m`` holds the look-up metadata (code letter, AQL, inspection, table,
    100 % inspection flag, note); ``detail`` (already HTML) is appended after
    the table name.
    """
    return (
        f"<p>Code letter {html.escape(str(m['code_letter']))}, "
        f"AQL {html.escape(str(m['aql']))} %, "
        f"{html.escape(m['inspection'])} inspection, {html.escape(m['table'])}{detail}"
        + (", <b>100 % inspection</b>" if m["full_inspection"] else "")
        + (f"<br><i>{html.escape(m['note'])}</i>" if m["note"] else "")
        + "</p>"
    )


class AttributePlan:
    """An attribute sampling plan with one or more stages.

    Parameters
    ----------
    n : int or sequence of int
        Sample size of each stage (not cumulative).
    ac, re : int or sequence of int
        Cumulative acceptance and rejection numbers per stage; ``ac = -1`` means
        acceptance is not permitted at that stage. The last stage must decide
        (``re = ac + 1``).

    Examples
    --------
    >>> import qualstat as qs
    >>> plan = qs.AttributePlan.double(8, 0, 2, 8, 1)
    >>> round(plan.prob_accept(0.05), 6)
    0.848737
    >>> plan.decide([1]).outcome
    'continue'
    """

    __slots__ = ("_meta", "_native")

    def __init__(self, n: Any, ac: Any, re: Any) -> None:
        self._native = _qualstat._Plan(_ints(n, "n"), _ints(ac, "ac"), _ints(re, "re"))
        self._meta: dict[str, Any] | None = None

    @classmethod
    def _wrap(cls, native: Any, meta: dict[str, Any] | None = None) -> AttributePlan:
        obj = cls.__new__(cls)
        obj._native = native
        obj._meta = meta
        return obj

    @classmethod
    def single(cls, n: int, ac: int) -> AttributePlan:
        """The single plan (n, Ac), Re = Ac + 1."""
        return cls(_int(n, "n"), _int(ac, "ac"), _int(ac, "ac") + 1)

    @classmethod
    def double(cls, n1: int, ac1: int, re1: int, n2: int, ac2: int) -> AttributePlan:
        """The double plan (n1, Ac1, Re1; n2, Ac2, Re2 = Ac2 + 1), cumulative numbers."""
        return cls(
            [_int(n1, "n1"), _int(n2, "n2")],
            [_int(ac1, "ac1"), _int(ac2, "ac2")],
            [_int(re1, "re1"), _int(ac2, "ac2") + 1],
        )

    # -- attributes ---------------------------------------------------------
    @property
    def n(self) -> tuple[int, ...]:
        """Sample size of each stage."""
        return tuple(self._native.n)

    @property
    def ac(self) -> tuple[int, ...]:
        """Cumulative acceptance numbers (-1: acceptance not permitted)."""
        return tuple(self._native.ac)

    @property
    def re(self) -> tuple[int, ...]:
        """Cumulative rejection numbers."""
        return tuple(self._native.re)

    @property
    def stages(self) -> int:
        """Number of stages."""
        return len(self.n)

    @property
    def metadata(self) -> dict[str, Any] | None:
        """For plans from a standard's tables: code letter, source table, notes."""
        return None if self._meta is None else dict(self._meta)

    @property
    def code_letter(self) -> str | None:
        """The code letter (plans from a standard's tables)."""
        return None if self._meta is None else self._meta["code_letter"]

    @property
    def source_table(self) -> str | None:
        """The table the plan was read from (plans from a standard's tables)."""
        return None if self._meta is None else self._meta["table"]

    @property
    def full_inspection(self) -> bool:
        """True when the sample is at least the lot: inspect 100 %."""
        return bool(self._meta and self._meta["full_inspection"])

    # -- evaluation ---------------------------------------------------------
    def _evaluate(self, p: Any, lot_size: Any, model: str) -> tuple[Any, ...]:
        model, lot = _str(model, "model"), _lot(lot_size)
        if is_scalar(p):
            return (True, *self._native.evaluate_one(_real(p, "p"), model, lot))
        _, shape, flat = _p(p)
        out = self._native.evaluate(flat, model, lot)
        return (False, *(None if a is None else a.reshape(shape) for a in out))

    def prob_accept(
        self, p: Any, *, lot_size: int | None = None, model: str = "binomial"
    ) -> FloatOrArray:
        """Probability of accepting a lot of quality ``p`` (scalar or array-like)."""
        return self._evaluate(p, lot_size, model)[1]

    def asn(self, p: Any, *, lot_size: int | None = None, model: str = "binomial") -> FloatOrArray:
        """Average sample number (every stage drawn is fully inspected)."""
        return self._evaluate(p, lot_size, model)[2]

    def aoq(self, p: Any, *, lot_size: int | None = None, model: str = "binomial") -> FloatOrArray:
        """Average outgoing quality under rectifying inspection (p·Pa without a lot size)."""
        return self._evaluate(p, lot_size, model)[3]

    def ati(self, p: Any, *, lot_size: int, model: str = "binomial") -> FloatOrArray:
        """Average total inspection per lot of ``lot_size`` items under rectifying inspection."""
        if lot_size is None:
            raise ValueError("lot_size = None is invalid: expected a lot size (the ATI needs one)")
        return self._evaluate(p, lot_size, model)[4]

    def asn_curtailed(self, p: float, *, mode: str = "full") -> float:
        """ASN of a curtailed single plan (binomial; ``mode`` "full" or "semi")."""
        return float(self._native.asn_curtailed(_real(p, "p"), _str(mode, "mode")))

    def aoql(self, *, lot_size: int | None = None, model: str = "binomial") -> AOQL:
        """The AOQL and the quality at which it occurs."""
        v, p = self._native.aoql(_str(model, "model"), _lot(lot_size))
        return AOQL(v, p)

    def quality_at(
        self, pa: float, *, lot_size: int | None = None, model: str = "binomial"
    ) -> float:
        """The quality at which the acceptance probability equals ``pa`` (e.g. 0.95, 0.10)."""
        return float(self._native.quality_at(_real(pa, "pa"), _str(model, "model"), _lot(lot_size)))

    def risk_points(
        self, *, lot_size: int | None = None, model: str = "binomial"
    ) -> dict[str, float]:
        """The qualities p95, p50 and p10 (Pa = 0.95, 0.50, 0.10)."""
        return {
            name: self.quality_at(pa, lot_size=lot_size, model=model)
            for name, pa in [("p95", 0.95), ("p50", 0.50), ("p10", 0.10)]
        }

    def producer_risk(
        self, aql: float, *, lot_size: int | None = None, model: str = "binomial"
    ) -> float:
        """1 - Pa at the acceptable quality ``aql`` (a fraction)."""
        return 1.0 - float(self.prob_accept(_real(aql, "aql"), lot_size=lot_size, model=model))

    def consumer_risk(
        self, lq: float, *, lot_size: int | None = None, model: str = "binomial"
    ) -> float:
        """Pa at the limiting quality ``lq`` (a fraction)."""
        return float(self.prob_accept(_real(lq, "lq"), lot_size=lot_size, model=model))

    def _default_p(self, lot_size: int | None, model: str) -> npt.NDArray[np.float64]:
        hi = self.quality_at(0.005, lot_size=lot_size, model=model) * 1.1
        if model.startswith("hypergeometric") and lot_size:
            d = np.unique(np.linspace(0, min(hi, 1.0) * lot_size, 101).round())
            return d / lot_size
        if model == "binomial":
            hi = min(hi, 1.0)
        return np.linspace(0.0, hi, 101)

    def curves(
        self, p: Any = None, *, lot_size: int | None = None, model: str = "binomial"
    ) -> pl.DataFrame:
        """OC, ASN, AOQ and ATI on a grid of qualities, as a polars DataFrame.

        Columns ``p, prob_accept, asn, aoq, ati`` (``ati`` is null without a lot size).
        Without ``p``, 101 points from 0 to just beyond the quality where Pa = 0.005.
        """
        grid = self._default_p(_lot(lot_size), _str(model, "model")) if p is None else _p(p)[2]
        _, pa, asn, aoq, ati = self._evaluate(grid, lot_size, model)
        return pl.DataFrame(
            {
                "p": grid,
                "prob_accept": pa,
                "asn": asn,
                "aoq": aoq,
                "ati": pl.Series("ati", ati, dtype=pl.Float64)
                if ati is not None
                else [None] * len(grid),
            },
            schema={
                "p": pl.Float64,
                "prob_accept": pl.Float64,
                "asn": pl.Float64,
                "aoq": pl.Float64,
                "ati": pl.Float64,
            },
        )

    # -- decisions ----------------------------------------------------------
    def decide(self, nonconforming: Any) -> Decision:
        """The decision after the stages inspected so far (counts per stage, not cumulative).

        >>> import qualstat as qs
        >>> d = qs.AttributePlan.double(8, 0, 2, 8, 1).decide([1, 0])
        >>> d.outcome, d.stage, d.cumulative
        ('accept', 2, 1)
        """
        return Decision(*self._native.decide(_ints(nonconforming, "nonconforming")))

    def decide_many(self, lots: Any) -> pl.DataFrame:
        """Decisions for many lots, in parallel.

        ``lots`` is a sequence of per-stage count lists (or of single counts).
        Returns a DataFrame with columns ``outcome, stage, cumulative, next_sample_size``.
        """
        if isinstance(lots, str) or not isinstance(lots, Sequence | np.ndarray | pl.Series):
            raise TypeError(f"lots must be a sequence of per-stage counts, got {lots!r}")
        rows = [_ints(c, f"lots[{i}]") for i, c in enumerate(lots)]
        out = self._native.decide_many(rows)
        cols: list[tuple[Any, ...]] = list(zip(*out, strict=True)) if out else [()] * 5
        return pl.DataFrame(
            {
                "outcome": pl.Series(cols[0], dtype=pl.String),
                "stage": pl.Series(cols[1], dtype=pl.Int64),
                "cumulative": pl.Series(cols[2], dtype=pl.Int64),
                "next_sample_size": pl.Series(cols[3], dtype=pl.Int64),
            }
        )

    # -- display ------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The plan (and its table metadata, if any) as a dict."""
        d: dict[str, Any] = {"n": self.n, "ac": self.ac, "re": self.re}
        if self._meta is not None:
            d.update({k: v for k, v in self._meta.items() if k != "plan"})
        return d

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, AttributePlan):
            return NotImplemented
        return (self.n, self.ac, self.re) == (other.n, other.ac, other.re)

    def __hash__(self) -> int:
        return hash((self.n, self.ac, self.re))

    def __repr__(self) -> str:
        if self.stages == 1:
            body = f"n={self.n[0]}, ac={self.ac[0]}, re={self.re[0]}"
        else:
            body = f"n={self.n}, ac={self.ac}, re={self.re}"
        if self._meta is not None:
            body += f", code={self._meta['code_letter']!r}, table={self._meta['table']!r}"
        return f"AttributePlan({body})"

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{j + 1}</td><td>{n}</td><td>{sum(self.n[: j + 1])}</td>"
            f"<td>{'#' if a < 0 else a}</td><td>{r}</td></tr>"
            for j, (n, a, r) in enumerate(zip(self.n, self.ac, self.re, strict=True))
        )
        try:
            rp = self.risk_points()
            risk = (
                f"<p>Binomial OC: p95 = {rp['p95']:.4%}, p50 = {rp['p50']:.4%}, "
                f"p10 = {rp['p10']:.4%}</p>"
            )
        except ValueError:
            risk = ""
        meta = ""
        if self._meta is not None:
            meta = table_note_html(self._meta)
        return (
            f"<div><b>AttributePlan</b> ({self.stages} stage{'s' if self.stages > 1 else ''}){meta}"
            "<table><tr><th>stage</th><th>n</th><th>cumulative n</th><th>Ac</th><th>Re</th></tr>"
            f"{rows}</table>{risk}</div>"
        )

    def plot(
        self,
        ax: Any = None,
        *,
        what: str = "oc",
        p: Any = None,
        lot_size: int | None = None,
        model: str = "binomial",
    ) -> Any:
        """Draws the OC curve (``what="oc"``), or the AOQ or ASN curve; returns the Axes."""
        import matplotlib.pyplot as plt

        columns = {"oc": "prob_accept", "aoq": "aoq", "asn": "asn", "ati": "ati"}
        if what not in columns:
            raise ValueError(f"what = {what!r} is not recognised: expected one of {list(columns)}")
        frame = self.curves(p, lot_size=lot_size, model=model)
        if ax is None:
            _, ax = plt.subplots()
        ax.plot(frame["p"].to_numpy(), frame[columns[what]].to_numpy(), label=repr(self))
        ax.set_xlabel(
            "fraction nonconforming p" if model != "poisson" else "nonconformities per unit"
        )
        ax.set_ylabel(
            {"oc": "probability of acceptance", "aoq": "AOQ", "asn": "ASN", "ati": "ATI"}[what]
        )
        ax.grid(True, alpha=0.3)
        return ax


def design_plan(
    aql: float,
    lq: float,
    *,
    alpha: float = 0.05,
    beta: float = 0.10,
    model: str = "binomial",
    lot_size: int | None = None,
) -> AttributePlan:
    """The single plan with the smallest n, then the smallest Ac, meeting two risk points.

    P(accept | aql) >= 1 - alpha and P(accept | lq) <= beta; ``aql`` and ``lq``
    are fractions (0.01 = 1 %). Exact for every model (a search, not an
    approximation), fast even when n runs into the tens of thousands.

    >>> import qualstat as qs
    >>> qs.design_plan(0.01, 0.05)
    AttributePlan(n=132, ac=3, re=4)
    """
    n, c = _qualstat._design_plan(
        *_risk_points(aql, lq, alpha, beta),
        _str(model, "model"),
        _lot(lot_size),
    )
    return AttributePlan.single(n, c)


def design_double_plan(
    aql: float,
    lq: float,
    *,
    alpha: float = 0.05,
    beta: float = 0.10,
    n2: str = "equal",
    model: str = "binomial",
    lot_size: int | None = None,
) -> AttributePlan:
    """The double plan (n2 = n1 with ``n2="equal"``, n2 = 2 n1 with ``"twice"``) meeting
    both risk points with the smallest ASN at the AQL (fractions)."""
    native = _qualstat._design_double_plan(
        *_risk_points(aql, lq, alpha, beta),
        _str(n2, "n2"),
        _str(model, "model"),
        _lot(lot_size),
    )
    return AttributePlan._wrap(native)


def zero_acceptance_plan(
    lq: float, *, beta: float = 0.10, model: str = "binomial", lot_size: int | None = None
) -> AttributePlan:
    """The c = 0 plan with the smallest n such that P(accept | lq) <= beta."""
    n = _qualstat._zero_acceptance_plan(
        _real(lq, "lq"), _real(beta, "beta"), _str(model, "model"), _lot(lot_size)
    )
    return AttributePlan.single(n, 0)


def design_plan_grid(
    aql: Any,
    lq: Any,
    *,
    alpha: Any = 0.05,
    beta: Any = 0.10,
    model: str = "binomial",
    lot_size: int | None = None,
) -> pl.DataFrame:
    """:func:`design_plan` for many risk-point pairs at once (broadcast), in parallel.

    Returns a DataFrame with columns ``aql, lq, alpha, beta, n, ac`` (n and ac
    null where no plan exists).
    """
    arrays = [
        as_array(v, name)
        for v, name in [(aql, "aql"), (lq, "lq"), (alpha, "alpha"), (beta, "beta")]
    ]
    try:
        shaped = np.broadcast_arrays(*arrays)
    except ValueError:
        raise ValueError("aql, lq, alpha and beta have incompatible shapes") from None
    flat = [np.ascontiguousarray(a, dtype=np.float64).reshape(-1) for a in shaped]
    n, c = _qualstat._design_plan_grid(
        flat[0], flat[1], flat[2], flat[3], _str(model, "model"), _lot(lot_size)
    )
    none = n < 0
    return pl.DataFrame(
        {
            "aql": flat[0],
            "lq": flat[1],
            "alpha": flat[2],
            "beta": flat[3],
            "n": pl.Series("n", n).set(pl.Series(none), None) if none.any() else n,
            "ac": pl.Series("ac", c).set(pl.Series(none), None) if none.any() else c,
        }
    )


def prob_accept_grid(
    plans: Sequence[AttributePlan],
    p: Any,
    *,
    lot_size: int | None = None,
    model: str = "binomial",
) -> npt.NDArray[np.float64]:
    """Pa of every plan at every quality, computed in parallel: shape (len(plans), len(p)).

    >>> import qualstat as qs
    >>> plans = [qs.AttributePlan.single(50, 1), qs.AttributePlan.double(8, 0, 2, 8, 1)]
    >>> qs.prob_accept_grid(plans, [0.01, 0.05]).shape
    (2, 2)
    """
    natives = []
    for i, plan in enumerate(plans):
        if not isinstance(plan, AttributePlan):
            raise TypeError(f"plans[{i}] must be an AttributePlan, got {plan!r}")
        natives.append(plan._native)
    _, _, flat = _p(p)
    out = _qualstat._prob_accept_grid(natives, flat, _str(model, "model"), _lot(lot_size))
    return out.reshape(len(natives), flat.size)
