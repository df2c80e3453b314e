"""The chart object shared by every control chart: points, limits, rules, phases, stages.

A chart is built by a *recipe* (one per chart type, in ``_variables``,
``_attributes`` and ``_weighted``): ``recipe.build(data, phase1, params)``
estimates what ``params`` leaves open from the phase-I points and returns the
chart (or a pair of charts). ``monitor(new_data)`` rebuilds it on the data
with the new points appended as phase II and the parameters frozen;
``revise()`` re-estimates after removing the flagged phase-I points.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
import polars as pl

from .. import _qualstat
from .._coerce import as_array, is_scalar, option, real, show
from ._arl import RunLength

F64 = npt.NDArray[np.float64]
RuleInfo = tuple[str, int, str]


def width(value: Any) -> float:
    """The limits' width ``L`` in standard errors (0 < L <= 10)."""
    x = real(value, "L")
    if not 0.0 < x <= 10.0:
        raise ValueError(f"L = {show(value)} is invalid: expected a number in (0, 10]")
    return x


def optional_real(value: Any, name: str, *, positive: bool = False) -> float | None:
    """None, or a finite number (positive when asked)."""
    if value is None:
        return None
    x = real(value, name)
    if not np.isfinite(x) or (positive and x <= 0.0):
        kind = "a positive finite number" if positive else "a finite number"
        raise ValueError(f"{name} = {show(value)} is invalid: expected {kind}")
    return x


def finite_values(value: Any, name: str) -> F64:
    """A 1-D array of finite numbers (NaN and infinities are an error)."""
    arr = np.ascontiguousarray(as_array(value, name), dtype=np.float64)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} is empty: expected at least one value")
    bad = np.zeros(0) if np.isfinite(arr).all() else np.flatnonzero(~np.isfinite(arr))
    if bad.size:
        i = int(bad[0])
        raise ValueError(
            f"{name}[{i}] = {arr[i]} is invalid: expected a finite number "
            "(missing values are not skipped: drop them first)"
        )
    return arr


def mask(value: Any, n: int, name: str = "phase1") -> npt.NDArray[np.bool_]:
    """A boolean mask over ``n`` points; None means all True."""
    if value is None:
        return np.ones(n, dtype=bool)
    if hasattr(value, "to_numpy") and not isinstance(value, np.ndarray):
        value = value.to_numpy()
    arr = np.asarray(value)
    if arr.dtype != bool:
        raise TypeError(f"{name} must be a boolean mask, got an array of dtype {arr.dtype}")
    if arr.shape != (n,):
        raise ValueError(f"{name} has length {arr.size} but the chart has {n} points")
    if not arr.any():
        raise ValueError(f"{name} selects no point: expected at least one phase-I point")
    return arr.copy()


def rule_list(rules: Any) -> tuple[RuleInfo, ...]:
    """The rules a ``rules=`` argument stands for, as (set, number, description)."""
    if rules is not None and not isinstance(rules, str | list | tuple):
        raise TypeError(
            f"rules = {show(rules)} is invalid: expected 'we', 'nelson' or a list of "
            "(set, number) pairs"
        )
    if isinstance(rules, tuple):
        rules = list(rules)
    return tuple(_qualstat._control_rule_list(rules))


@dataclass(frozen=True, repr=False, eq=False)
class Chart:
    """One control chart: the plotted statistic, its centre line and limits at every point.

    Attributes
    ----------
    name : str
        The chart ("xbar", "R", "S", "I", "MR", "p", "np", "c", "u", "p'", "u'", "g",
        "EWMA", "CUSUM").
    statistic, center, lcl, ucl : numpy.ndarray
        One value per point (a constant limit repeated; step limits for unequal sizes).
    zone_sigma : numpy.ndarray
        The standard error of the plotted statistic at each point: the unit of the
        runs rules' zones.
    sigma : float or None
        The process sigma (variables charts, EWMA, CUSUM), Laney's sigma_z for p'/u'.
    sigma_method : str or None
        How ``sigma`` was obtained ("uwave-r", ..., "known").
    phase1 : numpy.ndarray of bool
        The points whose data estimated the limits.
    violations : polars.DataFrame
        One row per flagged point: ``point`` (0-based), ``rule`` (its number in its set),
        ``rule_set`` ("we", "nelson"; "cusum" for a CUSUM), ``rules`` (every rule broken
        there, e.g. ["nelson 5", "nelson 6"]). The rule reported is the lowest-numbered.
    table : polars.DataFrame
        ``subgroup``, ``stage`` (with stages), ``phase`` ("I"/"II"), ``n``,
        ``statistic``, ``center``, ``lcl``, ``ucl``, ``rule``, ``rule_set``. ``n`` is
        the count behind each point (Int64): the subgroup size (xbar, R, S, EWMA,
        CUSUM; 1 for I, the span for MR), the items inspected (p, np, p'), 1 (c, g);
        for u and u' it is the size in inspection units, Float64 (need not be whole).
    """

    name: str
    statistic: F64
    center: F64
    lcl: F64
    ucl: F64
    zone_sigma: F64
    sigma: float | None
    sigma_method: str | None
    phase1: npt.NDArray[np.bool_]
    sizes: npt.NDArray[Any]  # int64 counts (items, values, samples); float64 for u, u'
    labels: npt.NDArray[Any]
    rules: tuple[RuleInfo, ...]
    flags: npt.NDArray[np.uint32]
    limits: str = "sigma"
    L: float = 3.0
    stage: npt.NDArray[Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    _oc: Callable[[F64], F64] | None = None
    _owner: Any = None
    _arl: Callable[[Any, str], Any] | None = None
    _arl_x: Callable[[Any, Any, str], Any] | None = None
    _run_length: Callable[[Any, str, Any], RunLength] | None = None
    _run_length_x: Callable[[Any, Any, str, Any], RunLength] | None = None

    # -- results ---------------------------------------------------------------
    @property
    def violations(self) -> pl.DataFrame:
        idx = np.flatnonzero(self.flags)
        f = self.flags[idx]
        rule = np.zeros(idx.size, dtype=np.int64)
        rule_set = np.empty(idx.size, dtype=object)
        order = sorted(range(len(self.rules)), key=lambda j: (self.rules[j][1], j), reverse=True)
        for j in order:
            hit = (f >> np.uint32(j)) & np.uint32(1) == 1
            rule[hit] = self.rules[j][1]
            rule_set[hit] = self.rules[j][0]
        return pl.DataFrame(
            {
                "point": idx.astype(np.int64),
                "rule": rule,
                "rule_set": pl.Series(rule_set.tolist(), dtype=pl.String),
                "rules": self._rule_lists(f),
            }
        )

    def _rule_lists(self, flags: npt.NDArray[np.uint32]) -> pl.Series:
        """The names of every rule set in each flag word (in rule order), as lists.

        A chart always has at least one rule (``rule_list`` refuses none)."""
        hits = pl.DataFrame(
            {f"_{j}": (flags >> np.uint32(j)) & np.uint32(1) == 1 for j in range(len(self.rules))}
        )
        names = [
            pl.when(pl.col(f"_{j}")).then(pl.lit(f"{s} {k}"))
            for j, (s, k, _) in enumerate(self.rules)
        ]
        return hits.select(pl.concat_list(names).list.drop_nulls().alias("rules")).to_series()

    @property
    def table(self) -> pl.DataFrame:
        v = self.violations
        points, count = v["point"], len(self.statistic)
        rule = pl.repeat(None, count, dtype=pl.Int64, eager=True).scatter(points, v["rule"])
        rset = pl.repeat(None, count, dtype=pl.String, eager=True).scatter(points, v["rule_set"])
        cols: dict[str, Any] = {"subgroup": label_column("subgroup", self.labels)}
        if self.stage is not None:
            cols["stage"] = label_column("stage", self.stage)
        cols.update(
            {
                "phase": pl.Series(self.phase1).replace_strict({True: "I", False: "II"}),
                "n": self.sizes,
                "statistic": self.statistic,
                "center": self.center,
                "lcl": self.lcl,
                "ucl": self.ucl,
                "rule": rule,
                "rule_set": rset,
            }
        )
        return pl.DataFrame(cols)

    def to_dict(self) -> dict[str, Any]:
        """The chart's settings and estimates (the arrays are in ``table``).

        With stages they are the last stage's (the limits :meth:`monitor` extends), and
        ``stages`` lists every stage's: ``stage`` (as in ``table``), ``points``,
        ``phase1_points``, ``sigma`` and the stage's own estimates.
        """
        out = {
            "name": self.name,
            "sigma": self.sigma,
            "sigma_method": self.sigma_method,
            "limits": self.limits,
            "L": self.L,
            "points": len(self.statistic),
            "phase1_points": int(self.phase1.sum()),
            "rules": [f"{s} {k}" for s, k, _ in self.rules],
            "violations": self.violations.height,
            **self._scalars(),
        }
        if self.stage is not None:
            out["stages"] = self.extra["stages"]
        return out

    def _scalars(self) -> dict[str, Any]:
        """The settings and estimates among the extras (not the per-point arrays)."""
        return {k: v for k, v in self.extra.items() if np.isscalar(v) or v is None}

    # -- phases ----------------------------------------------------------------
    def monitor(self, new_data: Any) -> Any:
        """The chart with ``new_data`` appended as phase II, limits frozen.

        ``new_data`` has the form of the chart's data: subgroups as a 2-D array or a
        list (flat with the chart's ``subgroup_size``), individual values, counts for
        c and g charts, a ``(counts, sizes)`` pair for p, np, u, p' and u' charts. The
        new points are plotted against the phase-I limits (the last stage's, with
        stages); rules run over all points, as in qcc.
        """
        return self._owner.monitor(new_data)

    def revise(self) -> Any:
        """The chart re-estimated without the phase-I points flagged by a rule."""
        return self._owner.revise()

    # -- performance -----------------------------------------------------------
    def oc(self, x: Any) -> Any:
        """Beta: the probability that the next point does not signal (rule 1, the limits).

        ``x`` is the shift of the mean in process sigma units (xbar, I), the fraction
        nonconforming (p, np), the mean count per point (c) or per unit (u), or the
        ratio of the new to the in-control sigma (S). The limits are those of the last
        point. Counts signal only strictly beyond a limit, so the in-control counts are
        ceil(LCL)..floor(UCL) (qcc's ``ocCurves`` counts from floor(LCL): wrong side).
        """
        if self._oc is None:
            raise ValueError(
                f"oc is not available for the {self.name} chart "
                "(for EWMA and CUSUM use qs.control.arl_ewma / arl_cusum)"
            )
        scalar = is_scalar(x)
        arr = np.ascontiguousarray(np.atleast_1d(as_array(x, "x")), dtype=np.float64)
        if arr.ndim != 1:
            raise ValueError(f"x has shape {arr.shape}: expected a number or a 1-D array")
        beta = self._oc(arr)
        return float(beta[0]) if scalar else beta

    def arl(
        self, shift: Any = None, *, x: Any = None, size: Any = None, state: str = "zero"
    ) -> Any:
        """Average run length (points up to and including the first signal) of this
        chart's design, the parameters known: at a mean shift of ``shift`` process
        sigmas (xbar, I, CUSUM, EWMA; default 0), or at a process quality ``x`` (p, np,
        c, u; default the chart's centre).

        xbar and I charts: :func:`qualstat.control.arl_shewhart` with the chart's
        ``L``, ``rules`` and subgroup size (the mean moves by ``shift * sqrt(n)``
        standard errors; Champ & Woodall's Markov chain). CUSUM:
        :func:`qualstat.control.arl_cusum` with the chart's ``k``, ``h`` and head
        start, two-sided; EWMA: :func:`qualstat.control.arl_ewma` with its ``lam``
        and ``L`` and the fixed asymptotic limits of the classical tables (not the
        narrower limits of the first points); both at a shift of ``shift * sqrt(n)``
        in standard errors of the plotted mean. The chart's subgroups must all have
        one size. ``state`` is "zero" or "steady" (see ``arl_shewhart``).

        p, np, c and u charts: ``x`` is the true quality as :meth:`oc` takes it, the
        fraction nonconforming for p and np (a number or a percent string such as
        "2%"), the mean count per sample for c and per inspection unit for u; a
        number or an array. The count X of a point is Binomial(n, x) or Poisson(n x)
        (c: n = 1), the chart's own limits on the count scale (those of its last
        point) signal strictly beyond them, P = P(X > floor(UCL)) + P(X < ceil(LCL))
        (no lower signal when LCL <= 0), and points are independent: ARL = 1 / P,
        with standard deviation sqrt(1 - P) / P (:meth:`run_length` gives it and the
        distribution; Montgomery, Introduction to
        Statistical Quality Control, sections 6.2.6 and 7.2); the zero and the
        steady state are the same. ARLs are exact, infinite only where no count
        signals. Subgroups of several sizes have step limits: give ``size=`` (the
        ARL of points of that size, with the limits the chart draws for it).
        Supplementary run rules are refused for these charts (their zones at
        centre +/- k standard errors cut a discrete count's values, ties
        included, in a way the zone chain of ``arl_shewhart``, built for a
        continuous statistic, does not follow).

        R, S, MR, Laney p'/u' (their limits are widened beyond the binomial and
        Poisson models) and g charts have no ARL here.

        Examples
        --------
        >>> import qualstat as qs
        >>> ch = qs.control.imr([5.0, 5.2, 4.9, 5.1, 5.0, 5.3, 4.8])
        >>> round(ch.i.arl(), 2), round(ch.i.arl(1.0), 2)  # Montgomery: 370.4 and 43.9
        (370.4, 43.89)
        >>> pc = qs.control.p([12, 15, 8, 10, 4, 7, 16, 9], [50] * 8, center=0.2)
        >>> round(pc.arl(), 1), round(pc.arl(x="30%"), 2)  # 1 / P(signal)
        (369.8, 7.11)
        """
        if self._at_quality(shift, x, size, "ARL") and self._arl_x is not None:
            return self._arl_x(x, size, state)
        if self._arl is None:
            raise ValueError(
                f"arl is not available for the {self.name} chart: it is for xbar, I, CUSUM "
                "and EWMA charts (a shift of the mean) and p, np, c and u charts (a "
                "process quality)"
            )
        return self._arl(0.0 if shift is None else shift, state)

    def _at_quality(self, shift: Any, x: Any, size: Any, what: str) -> bool:
        """Whether the run length is at a process quality ``x`` (p, np, c and u charts)
        rather than at a mean shift; the other kind's arguments are refused."""
        if self._arl_x is not None:
            if shift is not None:
                raise ValueError(
                    f"shift = {show(shift)} is invalid for the {self.name} chart: its {what} "
                    "is at a process quality, not a mean shift; give x= (as oc(x) takes it)"
                )
            return True
        if x is not None or size is not None:
            given = "x=" if x is not None else "size="
            raise ValueError(
                f"{given} is for p, np, c and u charts: the {self.name} chart's {what} is at "
                "a mean shift, shift= in process sigmas"
            )
        return False

    def run_length(
        self,
        shift: Any = None,
        *,
        x: Any = None,
        size: Any = None,
        state: str = "zero",
        tail: Any = 1e-4,
    ) -> RunLength:
        """The run-length distribution of this chart's design at one mean shift or one
        process quality, as :meth:`arl` takes them, as a
        :class:`~qualstat.control.RunLength`: ``arl`` (the value of :meth:`arl`),
        ``sdrl`` (its standard deviation), the survival P(RL > t) until it falls to
        ``tail`` (default 1e-4) and its quantiles.

        xbar and I charts: :func:`qualstat.control.run_length` ("shewhart") with the
        chart's ``L``, ``rules`` and subgroup size; EWMA: ("ewma") with its ``lam``
        and ``L`` at ``shift * sqrt(n)`` standard errors of the plotted mean (the
        result's ``shift`` is in process sigmas, as given).

        p, np, c and u charts, at a quality ``x``: the run length is geometric
        (points are independent), with P the probability that a point signals as
        :meth:`arl` computes it: ARL = 1/P (:meth:`arl`'s value, bit for bit), SDRL =
        sqrt(1 - P)/P, P(RL > t) = (1 - P)^t (Montgomery, Introduction to Statistical
        Quality Control, sections 6.2.6 and 7.2).

        A CUSUM chart's ARL is two-sided, which :func:`qualstat.control.run_length`
        ("cusum", one side) does not give: refused, as for the charts without an ARL.

        Examples
        --------
        >>> import qualstat as qs
        >>> pc = qs.control.p([12, 15, 8, 10, 4, 7, 16, 9], [50] * 8, center=0.2)
        >>> rl = pc.run_length(x="30%")
        >>> round(rl.arl, 2), round(rl.sdrl, 2), rl.quantile(0.5)
        (7.11, 6.6, 5)
        >>> ch = qs.control.imr([5.0, 5.2, 4.9, 5.1, 5.0, 5.3, 4.8])
        >>> round(ch.i.run_length().sdrl, 1)  # sqrt(1 - P) / P, P = 2 Phi(-3)
        369.9
        """
        if self._at_quality(shift, x, size, "run length") and self._run_length_x is not None:
            return self._run_length_x(x, size, state, tail)
        if self._run_length is None:
            raise ValueError(
                f"run_length is not available for the {self.name} chart: it is for xbar, I "
                "and EWMA charts (a shift of the mean) and p, np, c and u charts (a process "
                "quality); a two-sided CUSUM's ARL: arl()"
            )
        at = self._run_length(0.0 if shift is None else shift, state, tail)
        return replace(at, chart=self.name)

    # -- display ---------------------------------------------------------------
    def _limits_text(self) -> str:
        def one(a: F64) -> str:
            lo, hi = float(a.min()), float(a.max())
            return f"{lo:.6g}" if np.isclose(lo, hi, rtol=1e-12, atol=0) else f"{lo:.4g}..{hi:.4g}"

        return f"center {one(self.center)}, LCL {one(self.lcl)}, UCL {one(self.ucl)}"

    def _summary(self) -> str:
        how = f"{self.L:g}-sigma" if self.limits == "sigma" else "probability"
        stages, last = "", ""
        if self.stage is not None:
            stages, last = f", {len(self.extra['stages'])} stages", "; last stage"
        sig = "" if self.sigma is None else f", sigma {self.sigma:.6g} ({self.sigma_method}{last})"
        return (
            f"{self.name} chart: {len(self.statistic)} points ({int(self.phase1.sum())} phase I"
            f"{stages}), {how} limits: {self._limits_text()}{sig}; "
            f"{self.violations.height} flagged by {', '.join(f'{s} {k}' for s, k, _ in self.rules)}"
        )

    def __repr__(self) -> str:
        return self._summary()

    def _repr_html_(self) -> str:
        v = self.violations
        shown = v.head(10)._repr_html_() if v.height else "<p>No point flagged.</p>"
        return f"<div><p>{html.escape(self._summary())}</p>{shown}</div>"

    def plot(self, ax: Any = None, *, lsl: Any = None, usl: Any = None) -> Any:
        """Draw the chart: points, centre line, (step) limits, flagged points in red
        with their rule number, stages separated, optional spec limits; returns the Axes.
        """
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(8, 3.5))
        x = np.arange(len(self.statistic))
        for key, part in _runs(self.stage, len(x)):
            s = slice(part[0], part[-1] + 1)
            kw = {"drawstyle": "steps-mid", "lw": 1}
            ax.plot(x[s], self.ucl[s], color="tab:red", ls="--", **kw)
            ax.plot(x[s], self.lcl[s], color="tab:red", ls="--", **kw)
            ax.plot(x[s], self.center[s], color="0.4", **kw)
            if key is not None and part[0] > 0:
                ax.axvline(part[0] - 0.5, color="0.2", ls=":", lw=1)
            if key is not None:
                ax.annotate(
                    str(key), (part[0], 1.0), xycoords=("data", "axes fraction"),
                    fontsize=8, va="top",
                )  # fmt: skip
        ax.plot(x, self.statistic, "-o", color="tab:blue", ms=3.5, lw=1)
        if not self.phase1.all():
            first2 = int(np.argmin(self.phase1)) if not self.phase1[0] else None
            ii = np.flatnonzero(~self.phase1)
            if first2 is None and ii.size:
                ax.axvline(ii[0] - 0.5, color="0.5", ls="-.", lw=1)
        v = self.violations
        if v.height:
            p = v["point"].to_numpy()
            ax.plot(p, self.statistic[p], "o", color="tab:red", ms=6, zorder=3)
            for pt, r in zip(p, v["rule"].to_list(), strict=True):
                ax.annotate(
                    str(r), (pt, self.statistic[pt]), fontsize=7, xytext=(3, 4),
                    textcoords="offset points", color="tab:red",
                )  # fmt: skip
        for val, lab in ((lsl, "LSL"), (usl, "USL")):
            y = optional_real(val, lab.lower())
            if y is not None:
                ax.axhline(y, color="tab:purple", lw=1, ls="-")
                ax.annotate(lab, (1.0, y), xycoords=("axes fraction", "data"), fontsize=7)
        ax.set_xlabel("point")
        ax.set_ylabel(self.name)
        ax.set_title(self._short_title(), fontsize=9)
        return ax

    def _short_title(self) -> str:
        return f"{self.name} chart ({self.violations.height} flagged)"


def _runs(stage: npt.NDArray[Any] | None, n: int) -> list[tuple[Any, npt.NDArray[np.int64]]]:
    """Consecutive runs of equal stage labels (one run of everything without stages)."""
    if stage is None:
        return [(None, np.arange(n))]
    out: list[tuple[Any, npt.NDArray[np.int64]]] = []
    start = 0
    for i in range(1, n + 1):
        if i == n or stage[i] != stage[start]:
            out.append((stage[start], np.arange(start, i)))
            start = i
    return out


def by_size(sizes: npt.NDArray[Any], compute: Callable[[Any], Any]) -> tuple[F64, ...]:
    """``compute(sizes)`` (arrays, one value per point); when every size is the same,
    computed once and broadcast (read-only views of one value)."""
    n = len(sizes)
    constant = sizes.ndim == 1 and sizes.strides == (0,)  # a broadcast size: no scan
    if n > 1 and (constant or bool((sizes == sizes[0]).all())):
        return tuple(np.broadcast_to(a, (n,)) for a in compute(np.ascontiguousarray(sizes[:1])))
    return tuple(compute(np.ascontiguousarray(sizes)))


def native(a: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """An array for the native module: a broadcast constant as one value, else contiguous."""
    if a.ndim == 1 and a.size > 1 and a.strides == (0,):
        return np.ascontiguousarray(a[:1])
    return np.ascontiguousarray(a)


def evaluate_rules(
    statistic: F64,
    center: F64,
    zone_sigma: F64,
    lcl: F64,
    ucl: F64,
    rules: Any,
    floor: float = -np.inf,
    ceiling: float = np.inf,
) -> npt.NDArray[np.uint32]:
    """Flags of every rule at every point (bit j for rule j) by the native engine."""
    c = native
    return _qualstat._control_rules(
        c(statistic), c(center), c(zone_sigma), c(lcl), c(ucl), floor, ceiling, rules
    )


def rules_arg(rules: Any) -> Any:
    """``rules=`` as the native module takes it (tuples made lists)."""
    return list(rules) if isinstance(rules, tuple) else rules


class Recipe(Protocol):
    """How one chart type is built (see the module docs)."""

    def build(self, data: Any, phase1: npt.NDArray[np.bool_], params: Any) -> Any: ...

    def append(self, data: Any, new_data: Any) -> Any: ...

    def length(self, data: Any) -> int: ...


@dataclass(frozen=True, repr=False, eq=False)
class Built:
    """A built chart or pair with what is needed to monitor or revise it."""

    recipe: Recipe
    data: Any
    phase1: npt.NDArray[np.bool_]
    params: Any
    stages: npt.NDArray[Any] | None

    def monitor(self, new_data: Any) -> Any:
        if self.stages is None:
            data = self.recipe.append(self.data, new_data)
            n_new = self.recipe.length(data) - self.recipe.length(self.data)
            phase1 = np.concatenate([self.phase1, np.zeros(n_new, dtype=bool)])
            return make(self.recipe, data, phase1, self.params, None)
        # Stages: the new points join the last stage, with its frozen limits.
        return _monitor_staged(self, new_data)

    def revise(self) -> Any:
        result = make(self.recipe, self.data, self.phase1, None, self.stages)
        keep = self.phase1 & ~flagged_points(result)
        if not keep.any():
            raise ValueError("every phase-I point is flagged: nothing is left to estimate from")
        return make(self.recipe, self.data, keep, None, self.stages)


def flagged_points(result: Any) -> npt.NDArray[np.bool_]:
    """Subgroups flagged by a chart, or by either chart of an xbar-R/S pair (an MR
    chart has fewer points than its I chart and is not used)."""
    charts = result.charts if isinstance(result, Pair) else (result,)
    out = np.zeros(len(charts[0].flags), dtype=bool)
    for c in charts:
        if len(c.flags) == len(out):
            out |= c.flags != 0
    return out


def make(
    recipe: Recipe,
    data: Any,
    phase1: npt.NDArray[np.bool_],
    params: Any,
    stages: npt.NDArray[Any] | None,
) -> Any:
    """Builds a chart (per stage when stages are given) and attaches its owner."""
    if stages is None:
        result, fitted = recipe.build(data, phase1, params)
        return _attach(result, Built(recipe, data, phase1, fitted, None))
    parts = []
    for key, idx in _runs(stages, len(stages)):
        sub = recipe.subset(data, idx)  # type: ignore[attr-defined]
        ph = phase1[idx]
        if not ph.any():
            raise ValueError(f"stage {key!r} has no phase-I point")
        result, fitted = recipe.build(sub, ph, params)
        parts.append((key, idx, result, fitted))
    combined = _concat([(k, idx, r) for k, idx, r, _ in parts])
    return _attach(combined, Built(recipe, data, phase1, parts[-1][3], stages))


def _monitor_staged(owner: Built, new_data: Any) -> Any:
    data = owner.recipe.append(owner.data, new_data)
    n_new = owner.recipe.length(data) - owner.recipe.length(owner.data)
    old = owner.stages if owner.stages is not None else np.zeros(0, dtype=object)
    stages = np.concatenate([old, np.repeat(old[-1:], n_new)])
    phase1 = np.concatenate([owner.phase1, np.zeros(n_new, dtype=bool)])
    runs = _runs(stages, len(stages))
    parts = []
    for j, (key, idx) in enumerate(runs):
        sub = owner.recipe.subset(data, idx)  # type: ignore[attr-defined]
        frozen = owner.params if j == len(runs) - 1 else None
        result, _ = owner.recipe.build(sub, phase1[idx], frozen)
        parts.append((key, idx, result))
    return _attach(_concat(parts), Built(owner.recipe, data, phase1, owner.params, stages))


def _concat_charts(charts: Sequence[Chart], keys: Sequence[Any]) -> Chart:
    stage = np.concatenate(
        [
            np.repeat(np.asarray([k], dtype=object), len(c.statistic))
            for k, c in zip(keys, charts, strict=True)
        ]
    )
    cat = np.concatenate
    first, last = charts[0], charts[-1]
    names = label_column("stage", np.asarray(keys, dtype=object)).to_list()
    stages = [
        {
            "stage": name,
            "points": len(c.statistic),
            "phase1_points": int(c.phase1.sum()),
            "sigma": c.sigma,
            **c._scalars(),
        }
        for name, c in zip(names, charts, strict=True)
    ]
    # Per-point arrays among the extras (a CUSUM's sums, an EWMA's means) join as
    # the points do; the settings and estimates are the last stage's, as sigma, OC
    # and ARL (the limits monitor() extends), each stage's in "stages".
    per_point = {
        key: cat([c.extra[key] for c in charts])
        for key, value in first.extra.items()
        if isinstance(value, np.ndarray)
        and all(
            isinstance(c.extra.get(key), np.ndarray) and c.extra[key].shape == (len(c.statistic),)
            for c in charts
        )
    }
    return replace(
        first,
        statistic=cat([c.statistic for c in charts]),
        center=cat([c.center for c in charts]),
        lcl=cat([c.lcl for c in charts]),
        ucl=cat([c.ucl for c in charts]),
        zone_sigma=cat([c.zone_sigma for c in charts]),
        phase1=cat([c.phase1 for c in charts]),
        sizes=cat([c.sizes for c in charts]),
        labels=cat([np.asarray(c.labels, dtype=object) for c in charts]),
        flags=cat([c.flags for c in charts]),
        stage=stage,
        sigma=last.sigma,
        extra={**first.extra, **last._scalars(), **per_point, "stages": stages},
        _oc=last._oc,
        _arl=last._arl,
        _arl_x=last._arl_x,
        _run_length=last._run_length,
        _run_length_x=last._run_length_x,
    )


def _concat(parts: Sequence[tuple[Any, npt.NDArray[np.int64], Any]]) -> Any:
    keys = [k for k, _, _ in parts]
    results = [r for _, _, r in parts]
    if isinstance(results[0], Chart):
        return _concat_charts(results, keys)
    pair = results[0]
    charts = tuple(
        _concat_charts([r.charts[j] for r in results], keys) for j in range(len(pair.charts))
    )
    return replace(pair, charts=charts)


def _attach(result: Any, owner: Built) -> Any:
    if isinstance(result, Chart):
        return replace(result, _owner=owner)
    charts = tuple(replace(c, _owner=owner) for c in result.charts)
    return replace(result, charts=charts, _owner=owner)


@dataclass(frozen=True, repr=False, eq=False)
class Pair:
    """Two charts of the same subgroups (xbar with R or S; I with MR).

    The charts are attributes named after them (``.xbar`` and ``.r``, ``.xbar`` and
    ``.s``, ``.i`` and ``.mr``); ``monitor``, ``revise``, ``plot`` act on both.
    """

    names: tuple[str, str]
    charts: tuple[Chart, Chart]
    _owner: Any = None

    def __getattr__(self, name: str) -> Chart:
        names = object.__getattribute__(self, "names")
        if name in names:
            return object.__getattribute__(self, "charts")[names.index(name)]
        raise AttributeError(name)

    @property
    def sigma(self) -> float | None:
        """The process sigma (the first chart's)."""
        return self.charts[0].sigma

    def monitor(self, new_data: Any) -> Pair:
        """Both charts with ``new_data`` appended as phase II, limits frozen."""
        return self._owner.monitor(new_data)  # type: ignore[no-any-return]

    def revise(self) -> Pair:
        """Both charts re-estimated without the phase-I subgroups either flags."""
        return self._owner.revise()  # type: ignore[no-any-return]

    def arl(self, shift: Any = 0.0, *, state: str = "zero") -> Any:
        """The average run length of the mean chart (xbar or I): see :meth:`Chart.arl`."""
        return self.charts[0].arl(shift, state=state)

    def run_length(self, shift: Any = 0.0, *, state: str = "zero", tail: Any = 1e-4) -> RunLength:
        """The run length of the mean chart (xbar or I): see :meth:`Chart.run_length`."""
        return self.charts[0].run_length(shift, state=state, tail=tail)

    def to_dict(self) -> dict[str, Any]:
        """Both charts' settings, by name."""
        return {n: c.to_dict() for n, c in zip(self.names, self.charts, strict=True)}

    def __repr__(self) -> str:
        return "\n".join(c._summary() for c in self.charts)

    def _repr_html_(self) -> str:
        return "".join(c._repr_html_() for c in self.charts)

    def plot(self, axes: Any = None, *, lsl: Any = None, usl: Any = None) -> Any:
        """Both charts, one above the other; returns the two Axes."""
        import matplotlib.pyplot as plt

        if axes is None:
            _, axes = plt.subplots(2, 1, figsize=(8, 6), sharex=False)
        self.charts[0].plot(axes[0], lsl=lsl, usl=usl)
        self.charts[1].plot(axes[1])
        return axes


def limits_option(limits: Any, confidence: Any, L: float) -> tuple[str, float | None]:
    """``limits=`` ("sigma"/"probability") and the confidence of probability limits."""
    kind = option(limits, "limits", ("sigma", "probability"))
    if confidence is not None and kind == "sigma":
        kind = "probability"
    if kind == "sigma":
        return kind, None
    if confidence is None:
        from math import erfc, sqrt

        return kind, 1.0 - erfc(L / sqrt(2.0))
    conf = real(confidence, "confidence")
    if not 0.0 < conf < 1.0:
        raise ValueError(f"confidence = {show(confidence)} is invalid: expected a number in (0, 1)")
    return kind, conf


def label_column(name: str, labels: npt.NDArray[Any]) -> pl.Series:
    """Subgroup or stage labels as a typed polars column (never ``Object``, which
    polars cannot write to CSV): whole numbers Int64, other numbers Float64,
    booleans Boolean, dates and times as polars reads them, strings String; labels
    of mixed kinds (1 and "a") are written as strings."""
    values = labels.tolist() if labels.dtype == object else labels
    try:
        column = pl.Series(name, values, strict=True)
    except (TypeError, ValueError, pl.exceptions.PolarsError):  # mixed kinds of labels
        column = None
    if column is None or column.dtype == pl.Object or column.dtype.is_nested():
        return pl.Series(name, [str(v) for v in labels.tolist()], dtype=pl.String)
    if column.dtype.is_integer() and column.dtype != pl.UInt64:
        return column.cast(pl.Int64)
    if column.dtype.is_float():
        return column.cast(pl.Float64)
    return column


def one_size(sizes: npt.NDArray[Any], chart: str) -> int:
    """The one subgroup size of a chart, which its run length needs."""
    low, high = float(np.min(sizes)), float(np.max(sizes))
    if low != high:
        raise ValueError(
            f"arl needs one subgroup size, but the {chart} chart's subgroups have {low:g} to "
            f"{high:g} values: give the size to qs.control.arl_shewhart/arl_cusum/arl_ewma"
        )
    return int(low)


def labels_or_index(labels: Any, n: int) -> npt.NDArray[Any]:
    """Subgroup labels for the table: the given ones or 0..n-1."""
    if labels is None:
        return np.arange(n)
    return np.asarray(labels)
