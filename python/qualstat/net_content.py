"""Net content of prepackages: tolerable negative error, sampling plans and lot decisions.

Regimes (``regime=``): ``"eu"`` (Directive 76/211/EEC Annex II reference test,
the "e-mark"; its single non-destructive plan is the one UK SI 2006/659 adds),
``"uk_2006"`` (the same, plus the UK rule for lots under 100: at most 5 % of N
defective), ``"oiml_r87_2004"`` (OIML R 87:2004 as copied by national
regulations; lots of 100 and more) and ``"china_2005"`` (China's 2005 Measures,
annex tables 3 and 4, with the rows for lots under 100).

A lot passes when (``reference/lab_notes.md`` A.1)

1. the **mean test** holds: x̄ ≥ Qn − λ·s over the first ``mean_n`` packages of
   stage 1 (s with divisor n − 1; ``mean_rule="gt"`` asks x̄ > Qn − λ·s);
2. the **T1 count** (packages short by more than T, i.e. below Qn − T; T2
   errors included) is within the plan's acceptance number (for a double plan:
   stage 2 only when Ac1 < d1 < Re1, cumulative counts);
3. the **T2 policy** (packages short by more than 2T, i.e. below Qn − 2T) is met:
   ``"none"`` (EU default: not part of Annex II), ``"any"`` (R 87 and China
   default: none allowed) or ``"two_or_more"`` (Canada: reject on two or more).

A package exactly at Qn − T is not a T1 error; one exactly at Qn − 2T is a T1
error but not a T2 error. Limits and ties are decided in exact decimal
arithmetic on the shortest decimal of each measurement (``499.9`` is exactly
499.9). Quantities (``nominal``, measurements, ``tare``, T) are in ``unit``.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from . import _qualstat
from ._coerce import as_array, free_name, integer, is_scalar, key_text, option, real, show
from ._lot_counts import lot_named
from .pass_rates import _keys

__all__ = [
    "NetContentDecision",
    "NetContentPlan",
    "decide",
    "decide_lots",
    "plan",
    "tne",
]


def _flag(value: Any, name: str) -> bool:
    if not isinstance(value, bool | np.bool_):
        raise TypeError(f"{name} = {show(value)} is invalid: expected True or False")
    return bool(value)


def _opt(value: Any, name: str) -> str | None:
    return None if value is None else option(value, name)


def _fmt(x: float | None, digits: int = 6) -> str:
    return "-" if x is None else f"{x:.{digits}g}"


def tne(
    nominal: Any, unit: str = "g", regime: str | None = None, rounding: str | None = None
) -> float:
    """The tolerable negative error T, in the unit of ``nominal``.

    Mass and volume use the band table (9 % of Qn up to 50 g or mL, then 4.5,
    4.5 %, 9, 3 %, 15, 1.5 %, 150 g or mL, 1 %); a percentage-derived T is
    rounded in g or mL by ``rounding``, by default the regime's rule:
    ``"up_0.1"`` (EU: up to the next 0.1 g), ``"up_0.1_then_1"`` (R 87:2004:
    up to 0.1 g up to 1 kg, to the whole gram above), ``"half_even_0.1_then_1"``
    (China: rounded, ties to even) or ``"none"``. Length (R 87, China): T = 0
    up to 5 m, else 2 %; area: 3 %; count: 0 up to 50 items, else 1 % rounded up.
    Units: ``"g"``, ``"kg"``, ``"mL"``, ``"cL"``, ``"L"``, ``"mm"``, ``"cm"``,
    ``"m"``, ``"mm2"``, ``"cm2"``, ``"m2"``, ``"count"``. A nominal quantity
    outside the regime's table (EU: 5 g to 10 kg; R 87, China: up to 50 kg) is
    an error, not an extrapolation. ``regime`` must be given.

    >>> from qualstat import net_content as nc
    >>> nc.tne(150, regime="eu")  # 4.5 % of 150 g = 6.75 g, rounded up
    6.8
    >>> nc.tne(1.1, "kg", regime="oiml_r87_2004"), nc.tne(1.1, "kg", regime="china_2005")
    (0.017, 0.016)
    """
    q = real(nominal, "nominal")
    if regime is None:
        raise ValueError(
            "regime is not given: expected 'eu', 'uk_2006', 'oiml_r87_2004' or 'china_2005' "
            "(the rounding of T and the scope differ by regime)"
        )
    value, _ = _qualstat._nc_tne(
        q, option(unit, "unit"), option(regime, "regime"), _opt(rounding, "rounding")
    )
    return float(value)


@dataclass(frozen=True, repr=False)
class NetContentPlan:
    """A net-content sampling plan for one lot (see :func:`plan`).

    ``n`` holds the sample size of each stage (not cumulative); ``ac`` and ``re``
    the cumulative acceptance and rejection numbers of the T1 count (``None``
    where the regime has none: EU lots under 100). ``mean_n`` packages (the
    first of stage 1) enter the mean test with factor ``lam`` (the printed
    constant, or t(0.995, n - 1)/sqrt(n) with ``lam="exact"``; 0 when the whole
    lot is inspected, i.e. x̄ >= Qn); ``mean_n`` is ``None`` without a mean test
    (China, lots of 1 to 10). None of these regimes uses a finite-lot correction.
    """

    regime: str
    lot_size: int
    destructive: bool
    kind: str
    full_inspection: bool
    n: tuple[int, ...]
    ac: tuple[int, ...] | None
    re: tuple[int, ...] | None
    mean_n: int | None
    lam: float | None
    lam_choice: str
    lam_printed: float | None
    lam_exact: float | None
    t2_policy: str
    source: str

    @property
    def t1_plan(self) -> Any:
        """The T1 count as a :class:`qualstat.AttributePlan` (``None`` without one)."""
        from .plan import AttributePlan

        if self.ac is None or self.re is None:
            return None
        return AttributePlan(list(self.n), list(self.ac), list(self.re))

    def prob_pass_t1(self, p: Any, *, model: str = "binomial") -> Any:
        """Probability that the T1 count accepts: a fraction ``p`` of packages short by more than T.

        Exact: binomial, or hypergeometric on this lot (``model="hypergeometric"``,
        p·N whole), as :meth:`qualstat.AttributePlan.prob_accept`.

        >>> from qualstat import net_content as nc
        >>> round(nc.plan("oiml_r87_2004", 1000).prob_pass_t1(0.025), 4)
        0.9848
        """
        return self._vector(
            p,
            "p",
            lambda a: _qualstat._nc_prob_pass_t1(
                a,
                self.regime,
                self.lot_size,
                self.destructive,
                self.kind,
                option(model, "model"),
            ),
        )

    def prob_pass_mean(self, delta: Any, *, method: str = "noncentral_t") -> Any:
        """Probability that the mean test passes for a normal process of mean Qn + delta·sigma.

        ``delta`` = (mu - Qn)/sigma (a number or an array). ``method="noncentral_t"``
        (exact): sqrt(n)(x̄ - Qn)/s is noncentral t with n - 1 degrees of freedom and
        noncentrality sqrt(n)·delta, P = P(T >= -lam·sqrt(n)); ``method="normal"``: s
        replaced by sigma, P = Phi(sqrt(n)(delta + lam)).

        >>> from qualstat import net_content as nc
        >>> round(nc.plan("eu", 1000, lam="exact").prob_pass_mean(0.0), 6)
        0.995
        """
        if self.mean_n is None or self.lam is None:
            raise ValueError(
                f"this plan has no mean test ({self.regime}, lot_size = {self.lot_size})"
            )
        n, lam = self.mean_n, self.lam
        return self._vector(
            delta,
            "delta",
            lambda a: _qualstat._nc_prob_pass_mean(a, n, lam, option(method, "method")),
        )

    @staticmethod
    def _vector(x: Any, name: str, f: Any) -> Any:
        scalar = is_scalar(x)
        arr = np.asarray(as_array(x, name), dtype=np.float64)
        out = f(np.ascontiguousarray(arr.reshape(-1)))
        return float(out[0]) if scalar else out.reshape(arr.shape)

    def decide(self, measurements: Any, nominal: Any, **options: Any) -> NetContentDecision:
        """The decision for this plan's lot (see :func:`decide`; same options).

        >>> from qualstat import net_content as nc
        >>> p = nc.plan("eu", 300)
        >>> p.decide([500.0 + i % 4 for i in range(30)], 500).verdict
        'accept'
        """
        return decide(
            measurements,
            nominal,
            regime=self.regime,
            lot_size=self.lot_size,
            destructive=self.destructive,
            kind=options.pop("kind", self.kind),
            lam=options.pop("lam", self.lam_choice),
            **options,
        )

    def plot(self, *, ax: Any = None) -> Any:
        """The two operating characteristics (T1 count and mean test) in one figure.

        The T1 curve is drawn against the fraction of packages short by more than T,
        the mean-test curve (noncentral t) against delta = (mu - Qn)/sigma on a twin
        x axis. Returns the matplotlib Axes of the T1 curve.
        """
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(6, 4))
        if self.ac is not None:
            p = np.linspace(0.0, 0.3, 121)
            ax.plot(100 * p, self.prob_pass_t1(p), color="C0", label="T1 count")
            ax.set_xlabel("packages short by more than T (%)", color="C0")
        ax.set_ylabel("probability of passing")
        ax.set_ylim(0, 1.02)
        if self.mean_n is not None and self.mean_n > 1:
            twin = ax.twiny()
            d = np.linspace(-1.5, 0.5, 121)
            twin.plot(d, self.prob_pass_mean(d), color="C1", label="mean test")
            twin.set_xlabel("(process mean - Qn) / sigma", color="C1")
        ax.set_title(f"{self.regime}, lot of {self.lot_size}: {self._plan_text()}")
        return ax

    def _plan_text(self) -> str:
        if self.full_inspection:
            return "every package"
        return f"{self.kind} plan, n = {' + '.join(map(str, self.n))}"

    def _rows(self) -> list[tuple[str, str]]:
        rows = [("plan", self._plan_text())]
        if self.ac is not None and self.re is not None:
            stages = "; ".join(
                f"stage {j + 1}: n {n}, Ac {a}, Re {r}"
                for j, (n, a, r) in enumerate(zip(self.n, self.ac, self.re, strict=True))
            )
            rows.append(("T1 count (cumulative)", stages))
        else:
            rows.append(("T1 count", "not a criterion"))
        if self.mean_n is not None:
            rows.append(
                (
                    "mean test",
                    f"first {self.mean_n} packages: mean >= Qn - {_fmt(self.lam, 4)} s "
                    f"(lam {self.lam_choice}; printed {_fmt(self.lam_printed, 4)}, "
                    f"exact {_fmt(self.lam_exact, 5)})",
                )
            )
        else:
            rows.append(("mean test", "none"))
        rows.append(("T2 policy", self.t2_policy))
        rows.append(("source", self.source))
        return rows

    def __repr__(self) -> str:
        head = (
            f"NetContentPlan({self.regime}, lot of {self.lot_size}, "
            f"{'destructive' if self.destructive else 'non-destructive'})"
        )
        return "\n".join([head] + [f"  {k}: {v}" for k, v in self._rows()])

    def _repr_html_(self) -> str:
        """An HTML table of the plan (Jupyter).

        >>> from qualstat import net_content as nc
        >>> page = nc.plan("eu", 300)._repr_html_()
        >>> "<td>stage 1: n 30, Ac 1, Re 3; stage 2: n 30, Ac 4, Re 5</td>" in page
        True
        """
        body = "".join(
            f"<tr><td>{html.escape(k)}</td><td>{html.escape(v)}</td></tr>" for k, v in self._rows()
        )
        return (
            f"<div><b>NetContentPlan</b> {html.escape(self.regime)}, lot of {self.lot_size}"
            f"<table>{body}</table></div>"
        )

    def to_dict(self) -> dict[str, Any]:
        """The plan as a dict.

        >>> from qualstat import net_content as nc
        >>> d = nc.plan("china_2005", 60).to_dict()
        >>> d["n"], d["ac"], d["mean_n"], d["lam"]
        ((13,), (1,), 13, 0.848)
        """
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def plan(
    regime: str,
    lot_size: Any,
    *,
    destructive: bool = False,
    kind: str | None = None,
    lam: str = "printed",
) -> NetContentPlan:
    """The sampling plan of ``regime`` for a lot of ``lot_size`` packages.

    EU / UK: non-destructive lots of 100 or more use the double plan (default
    ``kind``) or, with ``kind="single"``, the single plan of UK SI 2006/659;
    destructive tests use the single plan of 20 (lots of 100 or more); lots
    under 100 (non-destructive) are inspected completely and the mean test is
    x̄ >= Qn. R 87 / China: single plans only; no destructive plan; lots under
    100 only under ``"china_2005"`` (lots of 1 to 10 judged package by package).

    >>> from qualstat import net_content as nc
    >>> p = nc.plan("eu", 1000)
    >>> p.n, p.ac, p.re, p.mean_n, p.lam
    ((50, 50), (2, 6), (5, 7), 50, 0.379)
    >>> round(nc.plan("eu", 300, lam="exact").lam, 4)  # printed 0.503
    0.5032
    """
    lam = option(lam, "lam", ("printed", "exact"))
    d = _qualstat._nc_plan(
        option(regime, "regime"),
        integer(lot_size, "lot_size", minimum=1),
        _flag(destructive, "destructive"),
        _opt(kind, "kind"),
    )
    tup = {k: (None if d[k] is None else tuple(d[k])) for k in ("n", "ac", "re")}
    return NetContentPlan(
        regime=d["regime"],
        lot_size=d["lot_size"],
        destructive=d["destructive"],
        kind=d["kind"],
        full_inspection=d["full_inspection"],
        n=tup["n"] or (),
        ac=tup["ac"],
        re=tup["re"],
        mean_n=d["mean_n"],
        lam=d["lam_printed"] if lam == "printed" else d["lam_exact"],
        lam_choice=lam,
        lam_printed=d["lam_printed"],
        lam_exact=d["lam_exact"],
        t2_policy=d["t2_policy"],
        source=d["source"],
    )


@dataclass(frozen=True, repr=False)
class NetContentDecision:
    """A lot decision with every criterion shown (see :func:`decide`).

    ``verdict`` is "accept", "reject" or "continue" (draw stage 2 of
    ``next_sample_size`` packages); ``failed`` names the criteria that failed
    ("mean", "T1", "T2"). ``mean_ok``, ``t1_ok``, ``t2_ok`` are ``None`` where a
    criterion does not apply or is not decided yet (T1 between Ac1 and Re1).
    """

    verdict: str
    stage: int
    n: int
    regime: str
    lot_size: int
    nominal: float
    unit: str
    tne: float
    t1_limit: float
    t2_limit: float
    mean_n: int | None
    mean: float | None
    sd: float | None
    lam: float | None
    mean_limit: float | None
    mean_rule: str
    mean_ok: bool | None
    t1: int
    t2: int
    ac: int | None
    re: int | None
    t1_ok: bool | None
    t2_policy: str
    t2_ok: bool | None
    failed: tuple[str, ...]
    next_sample_size: int | None

    @property
    def accepted(self) -> bool:
        """True when the lot is accepted."""
        return self.verdict == "accept"

    def _rows(self) -> list[tuple[str, str, str, str]]:
        u = self.unit
        ok = {True: "pass", False: "FAIL", None: "not checked"}
        rows = []
        if self.mean_n is not None:
            op = ">=" if self.mean_rule == "ge" else ">"
            rows.append(
                (
                    "mean test",
                    f"mean {_fmt(self.mean, 7)} {u} of the first {self.mean_n} "
                    f"(s = {_fmt(self.sd, 4)} {u})",
                    f"{op} Qn - {_fmt(self.lam, 4)} s = {_fmt(self.mean_limit, 7)} {u}",
                    ok[self.mean_ok],
                )
            )
        limit = "not a criterion" if self.ac is None else f"Ac {self.ac}, Re {self.re}"
        t1_state = "continue" if self.t1_ok is None and self.ac is not None else ok[self.t1_ok]
        rows.append(
            (
                "T1",
                f"{self.t1} of {self.n} packages below Qn - T = {_fmt(self.t1_limit, 7)} {u}",
                limit,
                t1_state,
            )
        )
        rows.append(
            (
                "T2",
                f"{self.t2} below Qn - 2T = {_fmt(self.t2_limit, 7)} {u}",
                f"policy {self.t2_policy}",
                ok[self.t2_ok],
            )
        )
        return rows

    def __repr__(self) -> str:
        head = (
            f"NetContentDecision: {self.verdict} at stage {self.stage} "
            f"({self.regime}, lot of {self.lot_size}, Qn {self.nominal:g} {self.unit}, "
            f"T = {self.tne:g} {self.unit})"
        )
        lines = [head] + [f"  {c}: {v}; {lim}: {res}" for c, v, lim, res in self._rows()]
        if self.failed:
            lines.append(f"  failed: {', '.join(self.failed)}")
        if self.next_sample_size is not None:
            lines.append(f"  next: stage {self.stage + 1} of {self.next_sample_size} packages")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        """An HTML table of the criteria (Jupyter).

        >>> from qualstat import net_content as nc
        >>> d = nc.decide([500.0] * 30, 500, regime="eu", lot_size=300)
        >>> "<td>pass</td>" in d._repr_html_()
        True
        """
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
            for row in self._rows()
        )
        return (
            f"<div><b>{html.escape(self.verdict)}</b> at stage {self.stage} "
            f"({html.escape(self.regime)}, lot of {self.lot_size}, Qn {self.nominal:g} "
            f"{html.escape(self.unit)}, T = {self.tne:g})<table><tr><th>criterion</th>"
            f"<th>found</th><th>limit</th><th>result</th></tr>{body}</table></div>"
        )

    def to_dict(self) -> dict[str, Any]:
        """The decision as a dict.

        >>> from qualstat import net_content as nc
        >>> nc.decide([500.0] * 30, 500, regime="eu", lot_size=300).to_dict()["verdict"]
        'accept'
        """
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def _stages(measurements: Any, name: str) -> list[npt.NDArray[np.float64]]:
    """Per-stage float arrays: a list of array-likes, or one array-like (one stage)."""
    if (
        isinstance(measurements, Sequence)
        and not isinstance(measurements, str | bytes)
        and len(measurements) > 0
        and not is_scalar(measurements[0])
    ):
        stages = [
            np.asarray(as_array(s, f"{name}[{j}]"), dtype=np.float64).reshape(-1)
            for j, s in enumerate(measurements)
        ]
    else:
        arr = np.asarray(as_array(measurements, name), dtype=np.float64)
        if arr.ndim != 1:
            raise ValueError(f"{name} has shape {arr.shape}: expected one array per stage")
        stages = [arr]
    return stages


def _settings(
    regime: Any,
    destructive: Any,
    kind: Any,
    unit: Any,
    rounding: Any,
    mean_rule: Any,
    lam: Any,
    t2_policy: Any,
) -> dict[str, Any]:
    return {
        "regime": option(regime, "regime"),
        "destructive": _flag(destructive, "destructive"),
        "kind": _opt(kind, "kind"),
        "unit": option(unit, "unit"),
        "rounding": _opt(rounding, "rounding"),
        "mean_rule": option(mean_rule, "mean_rule"),
        "lam": option(lam, "lam"),
        "t2_policy": _opt(t2_policy, "t2_policy"),
    }


def decide(
    measurements: Any,
    nominal: Any,
    *,
    regime: str,
    lot_size: Any,
    unit: str = "g",
    destructive: bool = False,
    kind: str | None = None,
    tare: Any = None,
    mean_rule: str = "ge",
    lam: str = "printed",
    t2_policy: str | None = None,
    rounding: str | None = None,
) -> NetContentDecision:
    """Decides one lot from the packages inspected so far.

    ``measurements`` is one array (stage 1) or a list of per-stage arrays given
    as they come (stage 2 only when stage 1 said "continue"), each of the plan's
    stage size, in the order drawn: the mean test uses the first ``mean_n``
    packages of stage 1 (the Directive's random subset). ``tare`` (optional) is
    one value for every package or one per package (same shape as
    ``measurements``); the measurements are then gross quantities. Options:
    ``mean_rule`` "ge" (x̄ >= limit, the tables) or "gt"; ``lam`` "printed" or
    "exact"; ``t2_policy`` "none", "any" or "two_or_more" (default: the
    regime's); ``kind``, ``destructive`` choose the plan (:func:`plan`);
    ``rounding`` the TNE rule (:func:`tne`).

    >>> from qualstat import net_content as nc
    >>> x = [500.0 + (i % 7) - 3 for i in range(50)]
    >>> d = nc.decide(x, 500, regime="eu", lot_size=1000)
    >>> d.verdict, d.mean_ok, d.t1, d.t2
    ('accept', True, 0, 0)
    >>> short = [484.9] * 3 + x[3:]  # three packages below Qn - T = 485 g
    >>> d = nc.decide(short, 500, regime="eu", lot_size=1000)
    >>> d.verdict, d.t1, d.next_sample_size
    ('continue', 3, 50)
    >>> nc.decide([short, x], 500, regime="eu", lot_size=1000).verdict
    'accept'
    """
    settings = _settings(regime, destructive, kind, unit, rounding, mean_rule, lam, t2_policy)
    q = real(nominal, "nominal")
    n_lot = integer(lot_size, "lot_size", minimum=1)
    stages = _stages(measurements, "measurements")
    values = np.ascontiguousarray(np.concatenate(stages))
    sizes = [s.size for s in stages]
    tare_each: float | None = None
    tare_arr = None
    if tare is not None:
        if is_scalar(tare):
            tare_each = real(tare, "tare")
        else:
            t = np.ascontiguousarray(np.concatenate(_stages(tare, "tare")))
            if t.size != values.size:
                raise ValueError(
                    f"tare has {t.size} values but measurements has {values.size}: "
                    "expected one tare per package (or one for all)"
                )
            tare_arr = t
    out = _qualstat._nc_decide(values, sizes, q, n_lot, tare_each, tare_arr, settings)
    p = _qualstat._nc_plan(settings["regime"], n_lot, settings["destructive"], settings["kind"])
    j = max(out["stage"], 1) - 1
    return NetContentDecision(
        verdict=out["verdict"],
        stage=out["stage"],
        n=out["n"],
        regime=out["regime"],
        lot_size=n_lot,
        nominal=q,
        unit=out["unit"],
        tne=out["tne"],
        t1_limit=out["t1_limit"],
        t2_limit=out["t2_limit"],
        mean_n=out["mean_n"],
        mean=out["mean"],
        sd=out["sd"],
        lam=out["lam"],
        mean_limit=out["mean_limit"],
        mean_rule=out["mean_rule"],
        mean_ok=out["mean_ok"],
        t1=out["t1"],
        ac=None if p["ac"] is None else p["ac"][j],
        re=None if p["re"] is None else p["re"][j],
        t1_ok=out["t1_ok"],
        t2=out["t2"],
        t2_policy=out["t2_policy"],
        t2_ok=out["t2_ok"],
        failed=tuple(out["failed"]),
        next_sample_size=out["next_sample_size"],
    )


def _key_lots(
    frame: pl.DataFrame, lot: str, columns: list[str]
) -> tuple[pl.Series, npt.NDArray[np.uint64], pl.DataFrame]:
    """Lot keys (first appearance), lot boundaries, and ``columns`` with each lot's rows together.

    A frame whose lots are already contiguous (the usual layout) is keyed by polars'
    run-length encoding and used as it is; otherwise polars' group-by gives each
    lot's row indices and the columns are gathered once.
    """
    keys = frame.get_column(lot)
    runs = keys.rle()
    run_keys = runs.struct.field("value")
    if run_keys.n_unique() == run_keys.len():
        lengths = runs.struct.field("len").to_numpy()
        ordered = frame.select(columns)
        lot_keys = run_keys.alias(lot)
    else:
        row = free_name("_row", [lot])
        groups = (
            frame.select(lot)
            .with_row_index(row)
            .group_by(lot, maintain_order=True)
            .agg(pl.col(row))
        )
        lengths = groups[row].list.len().to_numpy()
        ordered = frame.select(columns)[groups[row].explode()]
        lot_keys = groups[lot]
    offsets = np.zeros(len(lengths) + 1, dtype=np.uint64)
    np.cumsum(lengths, out=offsets[1:])
    return lot_keys, offsets, ordered


def _per_lot(
    ordered: pl.DataFrame,
    offsets: npt.NDArray[np.uint64],
    keys: pl.Series,
    value: Any,
    name: str,
    integral: bool,
) -> npt.NDArray[Any]:
    """A per-lot value: a number for every lot, or a column constant within each lot."""
    lots = len(offsets) - 1
    if not isinstance(value, str):
        if integral:
            return np.full(lots, integer(value, name, minimum=1), dtype=np.uint64)
        return np.full(lots, real(value, name), dtype=np.float64)
    col = ordered.get_column(value)
    if col.null_count():
        raise ValueError(f"{name} column {value!r} has {col.null_count()} null values")
    if not col.dtype.is_numeric():
        raise TypeError(f"{name} column {value!r} must hold numbers, got {col.dtype}")
    arr = col.cast(pl.Float64).to_numpy()
    starts = offsets[:-1].astype(np.intp)
    lo, hi = np.minimum.reduceat(arr, starts), np.maximum.reduceat(arr, starts)
    differs = np.flatnonzero(~(lo == hi))
    if differs.size:
        lot = key_text(keys[int(differs[0])])
        raise ValueError(f"{name} column {value!r} differs within lot {lot}")
    if integral:
        bad = np.flatnonzero(~((lo >= 1) & (lo == np.floor(lo)) & (lo <= 2.0**53)))
        if bad.size:
            raise ValueError(
                f"{name} column {value!r}: lot {key_text(keys[int(bad[0])])} has "
                f"{name} = {lo[bad[0]]!r}: "
                "expected a whole number at least 1"
            )
        return lo.astype(np.uint64)
    return np.ascontiguousarray(lo)


#: The columns of :func:`decide_lots`' result after the lot (and its working columns).
_LOT_RESULT = (
    *("verdict", "stage", "n", "tne", "mean", "sd", "lam", "mean_limit", "mean_ok"),
    *("t1", "t2", "t1_ok", "t2_ok", "failed", "_mean_ok", "_t1_ok", "_t2_ok"),
)


def decide_lots(
    frame: Any,
    *,
    value: str,
    lot: str,
    nominal: Any,
    regime: str,
    lot_size: Any,
    unit: str = "g",
    destructive: bool = False,
    kind: str | None = None,
    tare: Any = None,
    mean_rule: str = "ge",
    lam: str = "printed",
    t2_policy: str | None = None,
    rounding: str | None = None,
) -> pl.DataFrame:
    """Decides every lot of a frame (one row per package), in parallel in Rust.

    ``frame`` (polars or pandas) has a measurement column ``value`` and a lot
    column ``lot``; the rows of a lot are its packages in the order drawn (stage
    1, then stage 2 when a double plan continued: the number of rows tells how
    many stages were inspected). ``nominal`` and ``lot_size`` are numbers or
    column names (constant within a lot); ``tare`` is ``None``, a number or a
    column name. Lots are keyed with polars' group-by (order of first
    appearance). Returns one row per lot: ``lot, verdict, stage, n, tne, mean,
    sd, lam, mean_limit, mean_ok, t1, t2, t1_ok, t2_ok, failed`` (failed
    criteria joined by ", "). Other options as :func:`decide`.

    >>> import polars as pl
    >>> from qualstat import net_content as nc
    >>> x = [500.0 + (i % 7) - 3 for i in range(30)]
    >>> frame = pl.DataFrame({"lot": ["a"] * 30 + ["b"] * 30, "g": x + [497.0] * 30})
    >>> out = nc.decide_lots(frame, value="g", lot="lot", nominal=500, regime="eu", lot_size=300)
    >>> out["verdict"].to_list(), out["failed"].to_list()
    (['accept', 'reject'], ['', 'mean'])
    """
    settings = _settings(regime, destructive, kind, unit, rounding, mean_rule, lam, t2_policy)
    value = option(value, "value")
    lot = _keys(option(lot, "lot"), _LOT_RESULT, "lot", "lot")[0]  # the result keeps its name
    if not isinstance(frame, pl.DataFrame):
        if hasattr(frame, "columns"):
            frame = pl.DataFrame({str(c): np.asarray(frame[c]) for c in frame.columns})
        else:
            raise TypeError(f"frame = {show(frame)} is invalid: expected a polars or pandas frame")
    for col, name in ((value, "value"), (lot, "lot")):
        if col not in frame.columns:
            raise ValueError(f"{name} = {col!r}: expected a column of the frame {frame.columns}")
        if frame[col].null_count():
            first = int(frame[col].is_null().arg_true()[0])
            raise ValueError(
                f"{name} column {col!r} has {frame[col].null_count()} null values "
                f"(missing values; the first in row {first})"
            )
    if not frame[value].dtype.is_numeric():
        raise TypeError(f"value column {value!r} must hold numbers, got {frame[value].dtype}")
    columns = [value]
    for arg, name in ((nominal, "nominal"), (lot_size, "lot_size"), (tare, "tare")):
        if isinstance(arg, str):
            if arg not in frame.columns:
                raise ValueError(f"{name} = {arg!r}: expected a number or a column of the frame")
            columns.append(arg)
    keys, offsets, ordered = _key_lots(frame, lot, list(dict.fromkeys(columns)))
    values = np.ascontiguousarray(ordered.get_column(value).cast(pl.Float64).to_numpy())
    tare_values = None
    if isinstance(tare, str):
        t = ordered.get_column(tare)
        if t.null_count():
            raise ValueError(f"tare column {tare!r} has {t.null_count()} null values")
        tare_values = np.ascontiguousarray(t.cast(pl.Float64).to_numpy())
    elif tare is not None:
        tare_values = np.full(values.size, real(tare, "tare"))
    qn = _per_lot(ordered, offsets, keys, nominal, "nominal", integral=False)
    sizes = _per_lot(ordered, offsets, keys, lot_size, "lot_size", integral=True)
    try:
        floats, flags, counts = _qualstat._nc_decide_lots(
            values, offsets, qn, sizes, tare_values, settings
        )
    except ValueError as e:  # the native error names the lot by its index
        raise ValueError(lot_named(str(e), keys.to_frame())) from None
    verdict_names = pl.Series(flags[0]).replace_strict(
        {0: "accept", 1: "reject", 2: "continue"}, return_dtype=pl.String
    )

    out = pl.DataFrame(
        {
            lot: keys,
            "verdict": verdict_names,
            "stage": counts[0],
            "n": counts[1],
            "tne": floats[0],
            "mean": floats[1],
            "sd": floats[2],
            "lam": floats[3],
            "mean_limit": floats[4],
            "_mean_ok": flags[1],
            "t1": counts[2],
            "t2": counts[3],
            "_t1_ok": flags[2],
            "_t2_ok": flags[3],
        }
    )
    oks = {
        name: pl.when(pl.col(f"_{name}") == -1).then(None).otherwise(pl.col(f"_{name}") == 1)
        for name in ("mean_ok", "t1_ok", "t2_ok")
    }
    out = out.with_columns(
        *[e.alias(k) for k, e in oks.items()],
        *[pl.col(c).fill_nan(None) for c in ("mean", "sd", "lam", "mean_limit")],
    )
    failed = pl.concat_str(
        [
            pl.when(pl.col("mean_ok").not_()).then(pl.lit("mean")),
            pl.when(pl.col("t1_ok").not_()).then(pl.lit("T1")),
            pl.when(pl.col("t2_ok").not_()).then(pl.lit("T2")),
        ],
        separator=", ",
        ignore_nulls=True,
    )
    return out.with_columns(failed.alias("failed")).select(
        lot,
        "verdict",
        "stage",
        "n",
        "tne",
        "mean",
        "sd",
        "lam",
        "mean_limit",
        "mean_ok",
        "t1",
        "t2",
        "t1_ok",
        "t2_ok",
        "failed",
    )
