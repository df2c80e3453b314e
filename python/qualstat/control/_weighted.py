"""Time-weighted charts: tabular CUSUM and EWMA."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from .. import _qualstat
from .._coerce import as_array, is_scalar, option, real, show
from ._arl import RunLength, arl_cusum, arl_ewma, run_length
from ._chart import (
    F64,
    Chart,
    evaluate_rules,
    make,
    mask,
    one_size,
    optional_real,
    rule_list,
    rules_arg,
    width,
)
from ._variables import Subgroups, _append_subgroups, _constants, _stages
from ._variables import subgroups as _subgroups

_CUSUM_RULES = (("cusum", 1, "upper sum above h"), ("cusum", 2, "lower sum below -h"))


def _scaled(shift: Any, factor: float) -> Any:
    """A shift in process sigmas in standard errors of a mean of n (factor sqrt(n))."""
    if factor == 1.0:
        return shift
    if is_scalar(shift):
        return real(shift, "shift") * factor
    return np.asarray(as_array(shift, "shift"), dtype=np.float64) * factor


def _estimate(
    data: Subgroups, phase1: npt.NDArray[np.bool_], target: float | None,
    sigma: float | None, sigma_method: str | None, constants: str,
) -> tuple[float, float, str]:  # fmt: skip
    """Target (phase-I grand mean) and sigma: within subgroups ("uwave-r" by default),
    or the moving range of span 2 of individuals."""
    means, ranges, sds = _qualstat._control_summaries(data.values, data.sizes)
    n = data.sizes[phase1]
    t = float(np.sum(means[phase1] * n) / np.sum(n)) if target is None else target
    if sigma is not None:
        return t, sigma, "known"
    if (data.sizes == 1).all():
        method = sigma_method or "mr"
        s = _qualstat._control_individuals_sigma(
            method, np.ascontiguousarray(means[phase1]), 2, constants
        )
    else:
        method = sigma_method or "uwave-r"
        s = _qualstat._control_subgroup_sigma(method, data.sizes, ranges, sds, phase1, constants)
    return t, s, method


@dataclass(frozen=True)
class _Weighted:
    kind: str
    target: float | None
    sigma: float | None
    sigma_method: str | None
    constants: str
    subgroup_size: Any
    k: float = 0.5
    h: float = 5.0
    head_start: float = 0.0
    standardized: bool = True
    lam: float = 0.2
    L: float = 3.0
    exact: bool = True
    rules: Any = None

    def length(self, data: Subgroups) -> int:
        return len(data.sizes)

    def subset(self, data: Subgroups, idx: npt.NDArray[np.int64]) -> Subgroups:
        return data.subset(idx)

    def append(self, data: Subgroups, new_data: Any) -> Subgroups:
        return _append_subgroups(
            data, _subgroups(new_data, self.subgroup_size, None, name="new_data")
        )

    def build(self, data: Subgroups, phase1: npt.NDArray[np.bool_], params: Any) -> Any:
        if params is None:
            params = _estimate(
                data, phase1, self.target, self.sigma, self.sigma_method, self.constants
            )
        target, sigma, method = params
        means, _, _ = _qualstat._control_summaries(data.values, data.sizes)
        extra: dict[str, Any] = {"target": target, "skipped": data.skipped}
        if self.kind == "ewma":
            z, (c, se, lo, hi) = _qualstat._control_ewma(
                means, data.sizes, target, sigma, self.lam, self.L, self.exact
            )
            rules = rule_list(self.rules)
            flags = evaluate_rules(z, c, se, lo, hi, rules_arg(self.rules))
            extra.update(lam=self.lam, limits_kind="exact" if self.exact else "asymptotic")
            lam, L = self.lam, self.L

            def ewma_arl(shift: Any, state: str) -> Any:
                root_n = math.sqrt(one_size(data.sizes, "EWMA"))
                return arl_ewma(_scaled(shift, root_n), lam=lam, L=L, state=state)

            def ewma_run_length(shift: Any, state: str, tail: Any) -> RunLength:
                root_n = math.sqrt(one_size(data.sizes, "EWMA"))
                at = run_length("ewma", _scaled(shift, root_n), lam=lam, L=L, state=state,
                                tail=tail)  # fmt: skip
                return replace(at, shift=real(shift, "shift"))  # in process sigmas

            chart = Chart(
                "EWMA", z, c, lo, hi, se, sigma, method, phase1, data.sizes, data.labels, rules,
                flags, L=self.L, extra={**extra, "means": means}, _arl=ewma_arl,
                _run_length=ewma_run_length,
            )  # fmt: skip
            return chart, params
        se = sigma / np.sqrt(data.sizes)
        zs = np.ascontiguousarray((means - target) / se)
        upper, lower = _qualstat._control_cusum(zs, self.k, self.h, self.head_start)
        flags = (upper > self.h).astype(np.uint32) | (
            (lower < -self.h).astype(np.uint32) << np.uint32(1)
        )
        scale = np.ones_like(se) if self.standardized else se
        extra.update(k=self.k, h=self.h, head_start=self.head_start, standardized=self.standardized)
        k, h, head_start = self.k, self.h, self.head_start

        def cusum_arl(shift: Any, state: str) -> Any:
            root_n = math.sqrt(one_size(data.sizes, "CUSUM"))
            return arl_cusum(_scaled(shift, root_n), k=k, h=h, head_start=head_start, state=state)

        chart = CusumChart(
            "CUSUM", zs * scale, np.zeros_like(zs), -self.h * scale, self.h * scale, scale,
            sigma, method, phase1, data.sizes, data.labels, _CUSUM_RULES, flags.astype(np.uint32),
            L=self.h, extra={**extra, "upper": upper * scale, "lower": lower * scale},
            _arl=cusum_arl,
        )  # fmt: skip
        return chart, params


@dataclass(frozen=True, repr=False, eq=False)
class CusumChart(Chart):
    """A tabular CUSUM: ``.upper`` and ``.lower`` cumulative sums against +/- h.

    ``statistic`` is the standardized point (x̄ - target)/(sigma/sqrt(n)) (in data units
    when ``standardized=False``); a point is flagged (``rule_set`` "cusum") when the
    upper sum exceeds h (rule 1) or the lower sum falls below -h (rule 2).
    """

    @property
    def upper(self) -> F64:
        """The upper cumulative sum C+ at each point."""
        return self.extra["upper"]  # type: ignore[no-any-return]

    @property
    def lower(self) -> F64:
        """The lower cumulative sum C- (<= 0) at each point."""
        return self.extra["lower"]  # type: ignore[no-any-return]

    def plot(self, ax: Any = None, *, lsl: Any = None, usl: Any = None) -> Any:
        """Draw the upper and lower sums against the decision interval; returns the Axes."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(8, 3.5))
        x = np.arange(len(self.upper))
        ax.plot(x, self.upper, "-o", ms=3, color="tab:blue", label="C+")
        ax.plot(x, self.lower, "-o", ms=3, color="tab:green", label="C-")
        ax.plot(x, self.ucl, color="tab:red", ls="--", drawstyle="steps-mid", lw=1)
        ax.plot(x, self.lcl, color="tab:red", ls="--", drawstyle="steps-mid", lw=1)
        ax.axhline(0.0, color="0.5", lw=1)
        v = self.violations
        if v.height:
            pts = v["point"].to_numpy()
            up = np.where(v["rule"].to_numpy() == 1, self.upper[pts], self.lower[pts])
            ax.plot(pts, up, "o", color="tab:red", ms=6, zorder=3)
        ax.set_xlabel("point")
        ax.set_ylabel("cumulative sum")
        ax.legend(fontsize=8)
        ax.set_title(self._short_title(), fontsize=9)
        return ax


def _kw(target: Any, sigma: Any, sigma_method: Any, constants: Any) -> dict[str, Any]:
    return {
        "target": optional_real(target, "target"),
        "sigma": optional_real(sigma, "sigma", positive=True),
        "sigma_method": None if sigma_method is None else option(sigma_method, "sigma_method"),
        "constants": _constants(constants),
    }


def _number(value: Any, name: str, lo: float, hi: float, lo_open: bool) -> float:
    x = real(value, name)
    ok = (x > lo if lo_open else x >= lo) and x <= hi
    if not ok:
        bracket = "(" if lo_open else "["
        raise ValueError(
            f"{name} = {show(value)} is invalid: expected a number in {bracket}{lo:g}, {hi:g}]"
        )
    return x


def cusum(
    data: Any, *, target: Any = None, sigma: Any = None, k: Any = 0.5, h: Any = 5.0,
    head_start: Any = 0.0, standardized: bool = True, subgroup_size: Any = None,
    subgroups: Any = None, sigma_method: Any = None, constants: Any = "exact",
    rules: Any = None, phase1: Any = None, stages: Any = None,
) -> CusumChart:  # fmt: skip
    """Tabular CUSUM chart (Page 1954) of individuals or subgroup means.

    On z_t = (xbar_t - target)/(sigma/sqrt(n_t)): C+_t = max(0, C+_{t-1} + z_t - k),
    C-_t = min(0, C-_{t-1} + z_t + k), both starting at +/- ``head_start`` (fast
    initial response); a signal when C+ > h or C- < -h. ``k`` and ``h`` are in sigma
    units of the plotted mean (qcc's ``se.shift``/2 and ``decision.interval``).

    Parameters
    ----------
    data : array-like
        Individual values, or subgroups (as :func:`qualstat.control.xbar_r`).
    target, sigma : float, optional
        Known mean and process sigma; estimated from phase I otherwise (grand mean;
        "uwave-r" for subgroups, mean moving range / d2(2) for individuals).
    k : float
        Reference value, 0 <= k <= 10 (default 0.5: detects a 1-sigma shift).
    h : float
        Decision interval, 0 < h <= 100 (default 5).
    head_start : float
        Fast-initial-response start, 0 <= head_start < h (h/2 is usual).
    standardized : bool
        Sums in sigma units of the mean (default) or multiplied back to data units.
    rules : None
        A CUSUM signals by its decision interval only; ``rules`` must be None.

    Returns
    -------
    CusumChart
        ``.upper``, ``.lower``, ``.violations`` (rule_set "cusum", rule 1 upper, 2 lower),
        ``monitor``, ``plot``.

    Examples
    --------
    >>> import qualstat as qs
    >>> ch = qs.control.cusum([0.2, -0.4, 1.5, 1.8, 2.1, 2.4, 1.9], target=0.0, sigma=1.0)
    >>> ch.upper.round(2).tolist()
    [0.0, 0.0, 1.0, 2.3, 3.9, 5.8, 7.2]
    >>> ch.violations["point"].to_list()
    [5, 6]
    """
    if rules is not None:
        raise ValueError(
            f"rules = {show(rules)} is invalid for a CUSUM: it signals by its decision "
            "interval h only (expected None)"
        )
    kk = _number(k, "k", 0.0, 10.0, False)
    hh = _number(h, "h", 0.0, 100.0, True)
    hs = real(head_start, "head_start")
    if not 0.0 <= hs < hh:
        raise ValueError(
            f"head_start = {show(head_start)} is invalid: expected a number in [0, h) = [0, {hh:g})"
        )
    sub = _subgroups(data, subgroup_size, subgroups)
    recipe = _Weighted(
        "cusum", subgroup_size=subgroup_size, k=kk, h=hh, head_start=hs,
        standardized=bool(standardized), **_kw(target, sigma, sigma_method, constants),
    )  # fmt: skip
    n = len(sub.sizes)
    return make(recipe, sub, mask(phase1, n), None, _stages(stages, n))  # type: ignore[no-any-return]


def ewma(
    data: Any, *, lam: Any = 0.2, L: Any = 3.0, target: Any = None, sigma: Any = None,
    limits: Any = "exact", subgroup_size: Any = None, subgroups: Any = None,
    sigma_method: Any = None, constants: Any = "exact", rules: Any = None,
    phase1: Any = None, stages: Any = None,
) -> Chart:  # fmt: skip
    """EWMA chart (Roberts 1959) of individuals or subgroup means.

    z_t = lam xbar_t + (1 - lam) z_{t-1}, z_0 = target; exact time-varying limits
    target +/- L sqrt(V_t), V_t = lam^2 sigma^2/n_t + (1 - lam)^2 V_{t-1} (for equal
    sizes sigma/sqrt(n) sqrt(lam/(2 - lam) (1 - (1 - lam)^(2t)))), or the asymptotic
    limits (``limits="asymptotic"``) that ARL tables assume.

    Parameters
    ----------
    lam : float
        Smoothing constant, 0 < lam <= 1 (default 0.2).
    L : float
        Width of the limits (default 3).
    target, sigma, sigma_method, constants, subgroup_size, subgroups
        As :func:`cusum`.
    rules, phase1, stages
        As :func:`qualstat.control.xbar_r` (zones from the EWMA's own standard error).

    Examples
    --------
    >>> import qualstat as qs
    >>> ch = qs.control.ewma([0.0, 1.0, 2.0], lam=0.5, target=0.0, sigma=1.0)
    >>> ch.statistic.round(3).tolist(), round(float(ch.ucl[0]), 3)
    ([0.0, 0.5, 1.25], 1.5)
    """
    ll = _number(lam, "lam", 0.0, 1.0, True)
    width_ = width(L)
    kind = option(limits, "limits", ("exact", "asymptotic"))
    rule_list(rules)
    sub = _subgroups(data, subgroup_size, subgroups)
    recipe = _Weighted(
        "ewma", subgroup_size=subgroup_size, lam=ll, L=width_, exact=kind == "exact",
        rules=rules, **_kw(target, sigma, sigma_method, constants),
    )  # fmt: skip
    n = len(sub.sizes)
    return make(recipe, sub, mask(phase1, n), None, _stages(stages, n))  # type: ignore[no-any-return]
