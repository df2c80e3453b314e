"""Attribute sampling plans: OC, ASN, AOQ, ATI, AOQL, risk points, design and lot decisions.

Units: every quality level is a fraction (0.01 = 1 % nonconforming; under
``model="poisson"`` nonconformities per unit), and a scalar quality may be
written as a percent string, ``"1%"``. Probabilities are fractions. A plan
that knows its AQL or LQ (from the standards' tables or :func:`design_plan`)
defaults its risk methods to them and refuses them written in percent.

``model`` is ``"binomial"`` (a continuing process), ``"poisson"``,
``"hypergeometric"`` (an isolated lot of ``lot_size`` items; later stages
drawn from the lot depleted by earlier samples) or
``"hypergeometric_original_lot"`` (every stage evaluated on the original lot,
as SAS/QC does).
"""

from __future__ import annotations

import functools
import html
import itertools
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
import polars as pl

from . import _qualstat
from ._coerce import as_array, broadcast, integer, is_scalar, option, real, show
from ._lot_counts import LotCounts, decision_columns
from ._plots import quality_plot
from ._units import PlanLevels, fraction, limiting_quality, own_or_given, quality
from .pass_rates import to_polars

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


def _ints(value: Any, name: str, *, minimum: int | None = None) -> list[int]:
    """A whole number, or a sequence of them (not a string or bytes), as a list."""
    if isinstance(value, str | bytes | bytearray):
        raise TypeError(
            f"{name} = {show(value)} is invalid: expected a whole number or a sequence of them"
        )
    if isinstance(value, Sequence | np.ndarray | pl.Series):
        return [integer(v, f"{name}[{i}]", minimum=minimum) for i, v in enumerate(value)]
    return [integer(value, name, minimum=minimum)]


def _lot(lot_size: Any) -> int | None:
    """``None`` or a lot size (a whole number of at least 1 item)."""
    return None if lot_size is None else integer(lot_size, "lot_size", minimum=1)


def _risk_points(aql: Any, lq: Any, alpha: Any, beta: Any) -> tuple[float, float, float, float]:
    if lq is None:
        raise ValueError(
            "lq is required: the limiting quality, a fraction (also accepted as rql= or ltpd=)"
        )
    return fraction(aql, "aql"), fraction(lq, "lq"), real(alpha, "alpha"), real(beta, "beta")


class Decision(NamedTuple):
    """A lot decision after the stages inspected so far.

    Attributes
    ----------
    outcome : str
        ``"accept"``, ``"reject"`` or ``"continue"`` (draw the next sample).
    stage : int
        The stage (1-based) at which the lot was decided, or the number of
        stages inspected so far for ``"continue"``.
    cumulative : int
        The cumulative count of nonconforming items.
    next_sample_size : int or None
        The size of the next sample to draw (``"continue"`` only).
    reinstate_normal : bool
        Accepted with Ac < d < Re on a Z1.4 reduced plan: return to normal inspection.

    Examples
    --------
    >>> import qualstat as qs
    >>> d = qs.AttributePlan.single(50, 1).decide(1)
    >>> d.outcome, d.accepted
    ('accept', True)
    """

    outcome: str
    stage: int
    cumulative: int
    next_sample_size: int | None
    reinstate_normal: bool

    @property
    def accepted(self) -> bool:
        """True when the lot is accepted.

        >>> import qualstat as qs
        >>> qs.AttributePlan.single(50, 1).decide([2]).accepted
        False
        """
        return self.outcome == "accept"


class AOQL(NamedTuple):
    """The average outgoing quality limit and the quality at which it occurs (fractions).

    Examples
    --------
    >>> import qualstat as qs
    >>> limit = qs.AttributePlan.single(50, 1).aoql()
    >>> round(limit.aoql, 5), round(limit.p, 4)
    (0.0167, 0.0318)
    """

    aoql: float
    p: float


def table_note_html(m: dict[str, Any], detail: str = "") -> str:
    """The HTML line describing where a plan of a standard's tables came from.

    ``m`` holds the look-up metadata (code letter, AQL, inspection, table,
    100 % inspection flag, note); ``detail`` (already HTML) is appended after
    the table name.

    >>> from qualstat import iso2859_1
    >>> table_note_html(iso2859_1.plan(aql=1.0, lot_size=1000).metadata)[:40]
    '<p>Code letter J, AQL 1.0 %, normal insp'
    """
    if m.get("code_letter") is None:  # an LQ-indexed table (ISO 2859-2)
        head = f"<p>LQ {html.escape(str(m['lq']))} %, lot size {m['lot_size']}, "
    else:
        head = (
            f"<p>Code letter {html.escape(str(m['code_letter']))}, "
            f"AQL {html.escape(str(m['aql']))} %, "
            f"{html.escape(m['inspection'])} inspection, "
        )
    return (
        head
        + f"{html.escape(m['table'])}{detail}"
        + (", <b>100 % inspection</b>" if m["full_inspection"] else "")
        + (f"<br><i>{html.escape(m['note'])}</i>" if m["note"] else "")
        + "</p>"
    )


class AttributePlan(PlanLevels):
    """An attribute sampling plan with one or more stages.

    Quality levels are fractions (0.01 = 1 % nonconforming; under
    ``model="poisson"`` nonconformities per unit); a scalar quality may also be
    written as a percent string, ``"1%"``. Probabilities are fractions.

    Parameters
    ----------
    n : int or sequence of int
        Sample size of each stage (not cumulative).
    ac, re : int or sequence of int
        Cumulative acceptance and rejection numbers per stage; ``ac = -1`` means
        acceptance is not permitted at that stage. The last stage must decide
        (``re = ac + 1``) and must be able to reject (``ac`` below the total
        sample size).
    aql, lq : float or str, optional
        The plan's acceptable and limiting quality (fractions, or ``"0.65%"``).
        The risk methods default to them, and a scalar quality equal to one of
        them written in percent (``0.65`` for AQL 0.65 %) raises ``ValueError``.
        ``rql`` and ``ltpd`` are accepted for ``lq``.

    Examples
    --------
    >>> import qualstat as qs
    >>> plan = qs.AttributePlan.double(8, 0, 2, 8, 1)
    >>> round(plan.prob_accept(0.05), 6)
    0.848737
    >>> plan.decide([1]).outcome
    'continue'
    >>> qs.AttributePlan.single(80, 2, aql="1%")
    AttributePlan(n=80, ac=2, re=3; AQL 1 % (p = 0.01))
    """

    __slots__ = ()
    _per_unit = True

    def __init__(
        self,
        n: Any,
        ac: Any,
        re: Any,
        *,
        aql: Any = None,
        lq: Any = None,
        rql: Any = None,
        ltpd: Any = None,
    ) -> None:
        sizes = _ints(n, "n", minimum=1)
        accept = _ints(ac, "ac", minimum=-1)
        self._native = _qualstat._AttributePlan(sizes, accept, _ints(re, "re", minimum=1))
        if accept[-1] >= sum(sizes):
            raise ValueError(
                f"ac = {show(ac)} is invalid: expected an acceptance number below the total "
                f"sample size {sum(sizes)} (a plan with ac >= n accepts every lot)"
            )
        self._meta: dict[str, Any] | None = None
        self._set_levels(aql, limiting_quality(lq, rql, ltpd))

    def _native_state(self) -> tuple[Any, ...]:
        return (list(self.n), list(self.ac), list(self.re), bool(self._native.final_gap))

    @classmethod
    def _native_from(cls, state: tuple[Any, ...]) -> Any:
        return _qualstat._AttributePlan(*state)

    @classmethod
    def single(
        cls, n: int, ac: int, *, aql: Any = None, lq: Any = None, rql: Any = None, ltpd: Any = None
    ) -> AttributePlan:
        """The single plan (n, Ac), Re = Ac + 1; ``aql``/``lq`` as in the class.

        >>> import qualstat as qs
        >>> qs.AttributePlan.single(50, 1).re
        (2,)
        """
        c = integer(ac, "ac", minimum=0)
        return cls(integer(n, "n"), c, c + 1, aql=aql, lq=lq, rql=rql, ltpd=ltpd)

    @classmethod
    def double(
        cls,
        n1: int,
        ac1: int,
        re1: int,
        n2: int,
        ac2: int,
        *,
        aql: Any = None,
        lq: Any = None,
        rql: Any = None,
        ltpd: Any = None,
    ) -> AttributePlan:
        """The double plan (n1, Ac1, Re1; n2, Ac2, Re2 = Ac2 + 1), cumulative numbers.

        >>> import qualstat as qs
        >>> qs.AttributePlan.double(8, 0, 2, 8, 1).re
        (2, 2)
        """
        c2 = integer(ac2, "ac2", minimum=0)
        return cls(
            [integer(n1, "n1"), integer(n2, "n2")],
            [integer(ac1, "ac1"), c2],
            [integer(re1, "re1"), c2 + 1],
            aql=aql,
            lq=lq,
            rql=rql,
            ltpd=ltpd,
        )

    # -- attributes ---------------------------------------------------------
    @property
    def n(self) -> tuple[int, ...]:
        """Sample size of each stage.

        >>> import qualstat as qs
        >>> qs.AttributePlan.double(8, 0, 2, 8, 1).n
        (8, 8)
        """
        return tuple(self._native.n)

    @property
    def ac(self) -> tuple[int, ...]:
        """Cumulative acceptance numbers (-1: acceptance not permitted).

        >>> import qualstat as qs
        >>> qs.AttributePlan([2, 2], [-1, 1], [2, 2]).ac
        (-1, 1)
        """
        return tuple(self._native.ac)

    @property
    def re(self) -> tuple[int, ...]:
        """Cumulative rejection numbers.

        >>> import qualstat as qs
        >>> qs.AttributePlan.double(8, 0, 2, 8, 1).re
        (2, 2)
        """
        return tuple(self._native.re)

    @property
    def stages(self) -> int:
        """Number of stages.

        >>> import qualstat as qs
        >>> qs.AttributePlan.double(8, 0, 2, 8, 1).stages
        2
        """
        return len(self.n)

    @property
    def code_letter(self) -> str | None:
        """The code letter (plans from a standard's tables).

        >>> from qualstat import iso2859_1
        >>> iso2859_1.plan(aql=1.0, lot_size=1000).code_letter
        'J'
        """
        return None if self._meta is None else self._meta["code_letter"]

    @property
    def source_table(self) -> str | None:
        """The table the plan was read from (plans from a standard's tables).

        >>> from qualstat import iso2859_1
        >>> iso2859_1.plan(aql=1.0, lot_size=1000).source_table
        'ANSI Z1.4 Table II-A'
        """
        return None if self._meta is None else self._meta["table"]

    @property
    def full_inspection(self) -> bool:
        """True when the sample is at least the lot: inspect 100 %.

        >>> from qualstat import iso2859_1
        >>> iso2859_1.plan(aql=1.0, lot_size=5).full_inspection
        True
        """
        return bool(self._meta and self._meta["full_inspection"])

    # -- quality arguments --------------------------------------------------
    def _evaluate(self, p: Any, lot_size: Any, model: Any, name: str = "p") -> tuple[Any, ...]:
        if is_scalar(p) or isinstance(p, str):
            return self._evaluate_one(quality(p, name, self._known()), lot_size, model, name)
        model, lot = option(model, "model"), _lot(lot_size)
        arr = as_array(p, name)
        flat = np.ascontiguousarray(arr, dtype=np.float64).reshape(-1)
        out = self._native.evaluate(flat, model, lot)
        return (False, *(None if a is None else a.reshape(arr.shape) for a in out))

    def _evaluate_one(self, x: float, lot_size: Any, model: Any, name: str) -> tuple[Any, ...]:
        """:meth:`_evaluate` at one quality ``x`` already read as a fraction."""
        model, lot = option(model, "model"), _lot(lot_size)
        return (True, *self._native.evaluate_one(x, model, lot, name))

    # -- evaluation ---------------------------------------------------------
    def prob_accept(
        self, p: Any, *, lot_size: int | None = None, model: str = "binomial"
    ) -> FloatOrArray:
        """Probability of accepting a lot of quality ``p``.

        Parameters
        ----------
        p : float, str or array-like
            Fraction nonconforming (nonconformities per unit under Poisson);
            a scalar may be a percent string such as ``"1%"``.
        lot_size : int, optional
            Lot size (the hypergeometric models need one).
        model : str
            ``"binomial"``, ``"poisson"``, ``"hypergeometric"`` or
            ``"hypergeometric_original_lot"``.

        Returns
        -------
        float or numpy.ndarray
            A fraction in [0, 1], the shape of ``p``.

        Examples
        --------
        >>> import qualstat as qs
        >>> round(qs.AttributePlan.single(50, 1).prob_accept("2%"), 4)
        0.7358
        """
        return self._evaluate(p, lot_size, model)[1]

    def asn(self, p: Any, *, lot_size: int | None = None, model: str = "binomial") -> FloatOrArray:
        """Average sample number at quality ``p`` (a fraction; every stage drawn fully inspected).

        >>> import qualstat as qs
        >>> round(qs.AttributePlan.double(8, 0, 2, 8, 1).asn(0.05), 3)
        10.235
        """
        return self._evaluate(p, lot_size, model)[2]

    def aoq(self, p: Any, *, lot_size: int | None = None, model: str = "binomial") -> FloatOrArray:
        """Average outgoing quality (a fraction) under rectifying inspection at quality ``p``.

        Without a lot size the infinite-lot limit p·Pa.

        >>> import qualstat as qs
        >>> round(qs.AttributePlan.single(50, 1).aoq(0.02), 5)
        0.01472
        """
        return self._evaluate(p, lot_size, model)[3]

    def ati(self, p: Any, *, lot_size: int, model: str = "binomial") -> FloatOrArray:
        """Average total inspection per lot of ``lot_size`` items at quality ``p`` (a fraction).

        >>> import qualstat as qs
        >>> round(qs.AttributePlan.single(50, 1).ati(0.02, lot_size=1000), 1)
        301.0
        """
        if lot_size is None:
            raise ValueError("lot_size is required: the ATI is per lot of lot_size items")
        return self._evaluate(p, lot_size, model)[4]

    def asn_curtailed(self, p: Any, *, mode: str = "full") -> float:
        """ASN of a curtailed single plan at quality ``p`` (a fraction; binomial model).

        ``mode`` is ``"full"`` (stop once the decision is certain) or ``"semi"``
        (stop at rejection only).

        >>> import qualstat as qs
        >>> round(qs.AttributePlan.single(50, 1).asn_curtailed(0.05), 2)
        32.79
        """
        return float(
            self._native.asn_curtailed(quality(p, "p", self._known()), option(mode, "mode"))
        )

    def aoql(self, *, lot_size: int | None = None, model: str = "binomial") -> AOQL:
        """The AOQL and the quality at which it occurs (both fractions).

        >>> import qualstat as qs
        >>> round(qs.AttributePlan.single(50, 1).aoql(lot_size=1000).aoql, 5)
        0.01586
        """
        v, p = self._native.aoql(option(model, "model"), _lot(lot_size))
        return AOQL(v, p)

    def quality_at(
        self, pa: float, *, lot_size: int | None = None, model: str = "binomial"
    ) -> float:
        """The quality (a fraction) at which the probability of acceptance equals ``pa``.

        >>> import qualstat as qs
        >>> round(qs.AttributePlan.single(50, 1).quality_at(0.10), 4)
        0.0756
        """
        return float(
            self._native.quality_at(real(pa, "pa"), option(model, "model"), _lot(lot_size))
        )

    def producer_risk(
        self, aql: Any = None, *, lot_size: int | None = None, model: str = "binomial"
    ) -> float:
        """The producer's risk 1 - Pa at the acceptable quality ``aql``.

        ``aql`` is a fraction (or ``"0.65%"``); by default the plan's own AQL
        (plans from the standards' tables and from :func:`design_plan` know it).

        >>> from qualstat import iso2859_1
        >>> plan = iso2859_1.plan(aql=0.65, lot_size=1000)
        >>> round(plan.producer_risk(), 4), round(plan.producer_risk("0.65%"), 4)
        (0.0958, 0.0958)
        """
        own = own_or_given(aql, self._aql, "aql", "acceptable quality level (AQL)", self._known())
        return 1.0 - float(self._evaluate_one(own, lot_size, model, "aql")[1])

    def consumer_risk(
        self,
        lq: Any = None,
        *,
        rql: Any = None,
        ltpd: Any = None,
        lot_size: int | None = None,
        model: str = "binomial",
    ) -> float:
        """The consumer's risk Pa at the limiting quality ``lq`` (``rql``, ``ltpd`` alike).

        ``lq`` is a fraction (or ``"5%"``); by default the plan's own LQ (plans
        from :func:`design_plan` know it; ISO 2859-1 gives none per plan).

        >>> import qualstat as qs
        >>> plan = qs.design_plan(0.01, 0.05)
        >>> round(plan.consumer_risk(), 4), round(plan.consumer_risk(rql=0.05), 4)
        (0.0992, 0.0992)
        """
        lq = limiting_quality(lq, rql, ltpd)
        own = own_or_given(lq, self._lq, "lq", "limiting quality (LQ)", self._known())
        return float(self._evaluate_one(own, lot_size, model, "lq")[1])

    def risk_points(
        self,
        *,
        aql: Any = None,
        lq: Any = None,
        rql: Any = None,
        ltpd: Any = None,
        lot_size: int | None = None,
        model: str = "binomial",
    ) -> dict[str, float]:
        """The qualities p95, p50 and p10 (Pa = 0.95, 0.50, 0.10), as fractions.

        With an AQL (given, or the plan's own) the dict also holds
        ``producer_risk``; with an LQ (``lq``, ``rql`` or ``ltpd``, or the
        plan's own) ``consumer_risk``.

        >>> import qualstat as qs
        >>> rp = qs.design_plan(0.01, 0.05).risk_points()
        >>> sorted(rp), round(rp["p10"], 4)
        (['consumer_risk', 'p10', 'p50', 'p95', 'producer_risk'], 0.0499)
        """
        return self._points_and_risks(
            functools.partial(self.quality_at, lot_size=lot_size, model=model),
            aql,
            limiting_quality(lq, rql, ltpd),
            functools.partial(self.producer_risk, lot_size=lot_size, model=model),
            functools.partial(self.consumer_risk, lot_size=lot_size, model=model),
        )

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
        """OC, ASN, AOQ and ATI on a grid of qualities (fractions), as a polars DataFrame.

        Columns ``p, prob_accept, asn, aoq, ati`` (``ati`` is null without a lot size).
        Without ``p``, 101 points from 0 to just beyond the quality where Pa = 0.005.

        >>> import qualstat as qs
        >>> qs.AttributePlan.single(50, 1).curves(lot_size=1000).columns
        ['p', 'prob_accept', 'asn', 'aoq', 'ati']
        """
        model = option(model, "model")
        if p is None:
            grid = self._default_p(_lot(lot_size), model)
        else:
            grid = np.ascontiguousarray(as_array(p, "p"), dtype=np.float64).reshape(-1)
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
        >>> d.outcome, d.stage, d.cumulative, d.accepted
        ('accept', 2, 1, True)
        """
        return Decision(*self._native.decide(_ints(nonconforming, "nonconforming", minimum=0)))

    def decide_many(self, lots: Any) -> pl.DataFrame:
        """Decisions for many lots, in parallel.

        ``lots`` is a sequence of per-stage count lists (or of single counts).
        Returns a DataFrame with columns ``outcome, stage, cumulative, next_sample_size``.
        For lots in a frame (one row per item, or counts per lot and stage), see
        :meth:`decide_lots`.

        >>> import qualstat as qs
        >>> qs.AttributePlan.single(50, 1).decide_many([0, 2])["outcome"].to_list()
        ['accept', 'reject']
        """
        if isinstance(lots, str | bytes) or not isinstance(lots, Sequence | np.ndarray | pl.Series):
            raise TypeError(
                f"lots = {show(lots)} is invalid: expected a sequence of per-stage counts"
            )
        rows = [_ints(c, f"lots[{i}]", minimum=0) for i, c in enumerate(lots)]
        offsets = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum([len(r) for r in rows], out=offsets[1:])
        flat = np.fromiter(itertools.chain.from_iterable(rows), np.uint64, count=int(offsets[-1]))
        try:
            outcome, stage, cumulative, following, _ = self._native.decide_lots(flat, offsets)
        except ValueError as e:
            head, sep, rest = str(e).partition(": ")
            if sep and head.startswith("lot ") and head[4:].isdigit():
                raise ValueError(f"lots[{head[4:]}]: {rest}") from None
            raise
        columns = decision_columns(outcome, stage, cumulative, following)
        return pl.DataFrame([columns[i] for i in (1, 2, 0, 3)])

    def decide_lots(
        self,
        frame: Any,
        *,
        lot: str | Sequence[str],
        nonconforming: str | Sequence[str] | None = None,
        passed: str | Sequence[str] | None = None,
        inspected: str | None = None,
        stage: str | None = None,
    ) -> pl.DataFrame:
        """Decides every lot of a frame of inspection records, in parallel.

        The frame (a polars DataFrame or LazyFrame, or a pandas DataFrame) comes
        in one of three layouts:

        - **one row per item inspected**: ``nonconforming`` is a 0/1 or boolean
          column (1 or True = nonconforming), or ``passed`` one with 1 or True =
          passed (as :func:`qualstat.pass_rates` takes it);
        - **rows of counts**: with ``inspected=`` (the column of items inspected
          in each row), ``nonconforming`` (or ``passed``) counts those items;
          a lot's rows of one stage add up (boxes, shifts, inspectors);
        - **one row per lot, a count column per stage**: ``nonconforming`` (or
          ``passed``) is a list of columns, the first for stage 1, ...; each
          count is of the stage's whole sample, and a null (or NaN) count
          means the stage was not drawn (no ``inspected`` or ``stage`` then;
          a row without any count is a lot not yet inspected: it comes out as
          ``"continue"`` at stage 0 with the first sample size, as
          ``decide([])``).

        In the first two layouts a plan of more than one stage needs
        ``stage=``, the column with each row's stage (1, 2, ...); a single plan
        takes every row as stage 1. The rule for each lot: the stages present
        must be 1, 2, ... without a gap, each with exactly its sample size
        ``n[j]`` of items, and the lot is decided as :meth:`decide` decides the
        per-stage counts. A lot whose stages so far leave it undecided comes out
        as ``"continue"`` with the next sample size; rows of a stage after the
        one that decided the lot are an error, as are a stage with more or
        fewer items than its sample size, a stage out of range, null lot keys
        and counts that are not 0/1 (items) or whole numbers in [0, inspected].

        Parameters
        ----------
        frame : polars.DataFrame, polars.LazyFrame or pandas.DataFrame
            The inspection records (only the columns named are read).
        lot : str or list of str
            The column(s) naming each row's lot.
        nonconforming, passed : str or list of str
            Exactly one: the column of nonconforming items, or of items that
            passed (a list of columns: one per stage, in order).
        inspected : str, optional
            The column of items inspected in each row (rows of counts).
        stage : str, optional
            The column of each row's stage, 1-based (plans of several stages).

        Returns
        -------
        polars.DataFrame
            One row per lot, in order of first appearance: the lot column(s),
            then ``inspected`` (items inspected in all stages drawn),
            ``cumulative`` (nonconforming items in them), ``outcome``
            (``"accept"``, ``"reject"`` or ``"continue"``), ``stage``,
            ``next_sample_size`` (null unless ``"continue"``) and
            ``reinstate_normal``: the fields of :class:`Decision`.

        Examples
        --------
        One row per item of a double plan (n1 = n2 = 3):

        >>> import polars as pl
        >>> import qualstat as qs
        >>> plan = qs.AttributePlan.double(3, 0, 2, 3, 1)
        >>> items = pl.DataFrame({
        ...     "lot": ["A"] * 3 + ["B"] * 6 + ["C"] * 3,
        ...     "stage": [1, 1, 1, 1, 1, 1, 2, 2, 2, 1, 1, 1],
        ...     "bad": [0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0],
        ... })
        >>> out = plan.decide_lots(items, lot="lot", nonconforming="bad", stage="stage")
        >>> out.select("lot", "outcome", "stage", "next_sample_size").rows()
        [('A', 'accept', 1, None), ('B', 'accept', 2, None), ('C', 'continue', 1, 3)]

        One row per lot with a count column per stage:

        >>> lots = pl.DataFrame({"lot": [1, 2, 3], "d1": [0, 2, 1], "d2": [None, None, 1]})
        >>> plan.decide_lots(lots, lot="lot", nonconforming=["d1", "d2"])["outcome"].to_list()
        ['accept', 'reject', 'reject']
        """
        job = LotCounts(self, lot, nonconforming, passed, inspected, stage)
        return job.finish(job.counts(to_polars(frame, job.columns)), one_frame=True)

    # -- display ------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The plan, its AQL/LQ (fractions, when known) and its table metadata, as a dict.

        >>> import qualstat as qs
        >>> qs.AttributePlan.single(50, 1, aql=0.01).to_dict()
        {'n': (50,), 'ac': (1,), 're': (2,), 'aql': 0.01}
        """
        d: dict[str, Any] = {"n": self.n, "ac": self.ac, "re": self.re}
        if self._aql is not None:
            d["aql"] = self._aql
        if self._lq is not None:
            d["lq"] = self._lq
        if self._meta is not None:
            d.update({f"table_{k}" if k == "aql" else k: v for k, v in self._meta.items()})
        return d

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, AttributePlan):
            return NotImplemented
        return (self.n, self.ac, self.re) == (other.n, other.ac, other.re)

    def __hash__(self) -> int:
        return hash((self.n, self.ac, self.re))

    def _describe(self) -> list[str]:
        """The units line of the reprs: 'AQL 0.65 % (p = 0.0065)', code letter, table."""
        parts = [
            f"{label} {printed} % (p = {level:.6g})"
            for label, (level, printed) in self._known().items()
        ]
        if self._meta is not None:
            if self._meta.get("code_letter") is not None:
                parts.append(f"code {self._meta['code_letter']}")
            parts.append(str(self._meta["table"]))
        return parts

    def __repr__(self) -> str:
        if self.stages == 1:
            body = f"n={self.n[0]}, ac={self.ac[0]}, re={self.re[0]}"
        else:
            body = f"n={self.n}, ac={self.ac}, re={self.re}"
        parts = self._describe()
        return f"AttributePlan({body}{'; ' + ', '.join(parts) if parts else ''})"

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
        levels = ", ".join(
            f"{label} {printed} % (p = {level:.6g})"
            for label, (level, printed) in self._known().items()
        )
        meta = table_note_html(self._meta) if self._meta is not None else ""
        return (
            f"<div><b>AttributePlan</b> ({self.stages} stage{'s' if self.stages > 1 else ''})"
            f"{'<p>' + html.escape(levels) + '</p>' if levels else ''}{meta}"
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
        percent: bool = False,
    ) -> Any:
        """Draws the OC curve (``what="oc"``), or the AOQ, ASN or ATI curve; returns the Axes.

        The legend names the plan; the plan's AQL and LQ (when known) are marked.
        ``percent=True`` labels the quality axis in percent. The ATI needs a
        ``lot_size``.

        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import qualstat as qs
        >>> ax = qs.design_plan(0.01, 0.05).plot(percent=True)
        >>> ax.get_ylabel()
        'probability of acceptance'
        """
        columns = {"oc": "prob_accept", "aoq": "aoq", "asn": "asn", "ati": "ati"}
        what = option(what, "what", tuple(columns))
        if what == "ati" and lot_size is None:
            raise ValueError(
                'lot_size is required for what="ati": the ATI is per lot of lot_size items'
            )
        model = option(model, "model")
        frame = self.curves(p, lot_size=lot_size, model=model)
        return quality_plot(
            ax,
            frame["p"].to_numpy(),
            [(repr(self), frame[columns[what]].to_numpy())],
            ylabel={"oc": "probability of acceptance", "aoq": "AOQ", "asn": "ASN", "ati": "ATI"}[
                what
            ],
            xlabel="nonconformities per unit" if model == "poisson" else "fraction nonconforming p",
            percent=percent,
            aql=self._aql,
            lq=self._lq,
        )


def design_plan(
    aql: Any,
    lq: Any = None,
    *,
    rql: Any = None,
    ltpd: Any = None,
    alpha: float = 0.05,
    beta: float = 0.10,
    model: str = "binomial",
    lot_size: int | None = None,
) -> AttributePlan:
    """The single plan with the smallest n, then the smallest Ac, meeting two risk points.

    P(accept | aql) >= 1 - alpha and P(accept | lq) <= beta. Exact for every
    model (a search, not an approximation), fast even when n runs into the
    tens of thousands; the search stops at Ac = 100,000 (risk points closer
    than that allows raise ``ValueError``).

    Parameters
    ----------
    aql, lq : float or str
        Acceptable and limiting quality, fractions (0.01 = 1 %) or percent
        strings (``"1%"``); ``rql`` and ``ltpd`` are accepted for ``lq``.
    alpha, beta : float
        Producer's and consumer's risk (fractions).
    model : str
        ``"binomial"`` (a continuing process), ``"poisson"``, or
        ``"hypergeometric"`` / ``"hypergeometric_original_lot"`` for an
        isolated lot of ``lot_size`` items.
    lot_size : int, optional
        Only with the hypergeometric models (with the binomial or Poisson
        model a lot size raises ``ValueError`` instead of being ignored).

    Returns
    -------
    AttributePlan
        The plan, which remembers ``aql`` and ``lq`` (its risk methods default to them).

    Examples
    --------
    >>> import qualstat as qs
    >>> qs.design_plan(0.01, 0.05)
    AttributePlan(n=132, ac=3, re=4; AQL 1 % (p = 0.01), LQ 5 % (p = 0.05))
    >>> qs.design_plan("1%", rql="5%", model="hypergeometric", lot_size=500).n
    (123,)
    """
    a, q, al, be = _risk_points(aql, limiting_quality(lq, rql, ltpd), alpha, beta)
    n, c = _qualstat._design_plan(a, q, al, be, option(model, "model"), _lot(lot_size))
    return AttributePlan.single(n, c, aql=a, lq=q)


def design_double_plan(
    aql: Any,
    lq: Any = None,
    *,
    rql: Any = None,
    ltpd: Any = None,
    alpha: float = 0.05,
    beta: float = 0.10,
    n2: str = "equal",
    model: str = "binomial",
    lot_size: int | None = None,
) -> AttributePlan:
    """The double plan meeting both risk points with the smallest ASN at the AQL.

    ``n2="equal"`` searches n2 = n1, ``"twice"`` n2 = 2 n1. ``aql`` and ``lq``
    (``rql``, ``ltpd``) are fractions or percent strings, as in :func:`design_plan`.

    >>> import qualstat as qs
    >>> plan = qs.design_double_plan(0.02, 0.12)
    >>> plan.stages, plan.prob_accept(0.02) >= 0.95
    (2, True)
    """
    a, q, al, be = _risk_points(aql, limiting_quality(lq, rql, ltpd), alpha, beta)
    native = _qualstat._design_double_plan(
        a, q, al, be, option(n2, "n2"), option(model, "model"), _lot(lot_size)
    )
    return AttributePlan._wrap(native, aql=a, lq=q)


def zero_acceptance_plan(
    lq: Any = None,
    *,
    rql: Any = None,
    ltpd: Any = None,
    beta: float = 0.10,
    model: str = "binomial",
    lot_size: int | None = None,
) -> AttributePlan:
    """The c = 0 plan with the smallest n such that P(accept | lq) <= beta.

    ``lq`` (``rql``, ``ltpd``) is a fraction or a percent string.

    >>> import qualstat as qs
    >>> qs.zero_acceptance_plan(0.05).n
    (45,)
    """
    level = limiting_quality(lq, rql, ltpd)
    if level is None:
        raise ValueError("lq is required: the limiting quality, a fraction")
    q = fraction(level, "lq")
    n = _qualstat._zero_acceptance_plan(
        q, real(beta, "beta"), option(model, "model"), _lot(lot_size)
    )
    return AttributePlan.single(n, 0, lq=q)


def design_plan_grid(
    aql: Any,
    lq: Any = None,
    *,
    rql: Any = None,
    ltpd: Any = None,
    alpha: Any = 0.05,
    beta: Any = 0.10,
    model: str = "binomial",
    lot_size: int | None = None,
) -> pl.DataFrame:
    """:func:`design_plan` for many risk-point pairs at once (broadcast), in parallel.

    ``aql``, ``lq`` (``rql``, ``ltpd``), ``alpha`` and ``beta`` are fractions
    (scalars or array-likes). Returns a DataFrame with columns
    ``aql, lq, alpha, beta, n, ac`` (n and ac null where no plan exists).

    >>> import qualstat as qs
    >>> qs.design_plan_grid([0.01, 0.02], 0.05)["n"].to_list()
    [132, 306]
    """
    lq = limiting_quality(lq, rql, ltpd)
    if lq is None:
        raise ValueError("lq is required: the limiting quality, a fraction")
    arrays = [
        as_array(v, name)
        for v, name in [(aql, "aql"), (lq, "lq"), (alpha, "alpha"), (beta, "beta")]
    ]
    shaped = broadcast(("aql", "lq", "alpha", "beta"), arrays)
    flat = [np.ascontiguousarray(a, dtype=np.float64).reshape(-1) for a in shaped]
    n, c = _qualstat._design_plan_grid(
        flat[0], flat[1], flat[2], flat[3], option(model, "model"), _lot(lot_size)
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
    """Pa of every plan at every quality (fractions), in parallel: shape (len(plans), len(p)).

    >>> import qualstat as qs
    >>> plans = [qs.AttributePlan.single(50, 1), qs.AttributePlan.double(8, 0, 2, 8, 1)]
    >>> qs.prob_accept_grid(plans, [0.01, 0.05]).shape
    (2, 2)
    """
    natives = []
    for i, plan in enumerate(plans):
        if not isinstance(plan, AttributePlan):
            raise TypeError(f"plans[{i}] = {show(plan)} is invalid: expected an AttributePlan")
        natives.append(plan._native)
    flat = np.ascontiguousarray(as_array(p, "p"), dtype=np.float64).reshape(-1)
    return _qualstat._prob_accept_grid(natives, flat, option(model, "model"), _lot(lot_size))
