"""Attributes charts: p, np, c, u, Laney p' and u', g."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from .. import _qualstat
from .._coerce import as_array, integer, is_scalar, option, real, show
from .._units import fraction
from ._arl import RUN_LENGTH_STEPS, RunLength, tail_probability
from ._chart import (
    F64,
    Chart,
    by_size,
    evaluate_rules,
    limits_option,
    make,
    mask,
    optional_real,
    rule_list,
    rules_arg,
    width,
)
from ._variables import _constants, _stages

_NAMES = {"p": "p", "np": "np", "c": "c", "u": "u", "g": "g"}


@dataclass(frozen=True)
class Counts:
    """Counts (defectives, nonconformities or conforming runs), sizes and labels."""

    counts: F64
    sizes: F64
    labels: npt.NDArray[Any]

    def subset(self, idx: npt.NDArray[np.int64]) -> Counts:
        return Counts(self.counts[idx], self.sizes[idx], self.labels[idx])


def _counts(counts: Any, sizes: Any, chart: str, name: str = "counts") -> Counts:
    x = np.ascontiguousarray(np.atleast_1d(as_array(counts, name)), dtype=np.float64)
    if x.ndim != 1 or x.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D array, got shape {x.shape}")
    if sizes is None:
        n = np.ones_like(x)
    else:
        n = np.ascontiguousarray(np.atleast_1d(as_array(sizes, "sizes")), dtype=np.float64)
        if n.size == 1:
            n = np.full_like(x, float(n[0]))
        if n.shape != x.shape:
            raise ValueError(f"sizes has length {n.size} but {name} has length {x.size}")
    for arr, nm in ((x, name), (n, "sizes")):
        bad = np.flatnonzero(~np.isfinite(arr) | (arr < 0))
        if bad.size:
            i = int(bad[0])
            raise ValueError(
                f"{nm}[{i}] = {arr[i]} is invalid: expected a finite number >= 0 "
                "(missing values are not skipped: drop them first)"
            )
    whole = chart in ("p", "np", "c", "g")
    if whole:
        frac = np.flatnonzero(x != np.floor(x))
        if frac.size:
            i = int(frac[0])
            raise ValueError(f"{name}[{i}] = {x[i]} is invalid: expected a whole number")
    if chart in ("p", "np"):  # sample sizes in items (u: in inspection units, any size)
        part = np.flatnonzero(n != np.floor(n))
        if part.size:
            i = int(part[0])
            raise ValueError(
                f"sizes[{i}] = {n[i]} is invalid: expected a whole number of items inspected"
            )
        over = np.flatnonzero(x > n)
        if over.size:
            i = int(over[0])
            raise ValueError(
                f"{name}[{i}] = {x[i]} is invalid: expected at most sizes[{i}] = {n[i]}"
            )
    zero = np.flatnonzero(n <= 0)
    if zero.size:
        i = int(zero[0])
        raise ValueError(f"sizes[{i}] = {n[i]} is invalid: expected a positive size")
    return Counts(x, n, np.arange(x.size))


@dataclass(frozen=True)
class AttributeRecipe:
    """One attributes chart type with its options."""

    chart: str
    center: float | None
    L: float
    limits: str
    confidence: float | None
    laney: str | None
    d2: float
    rules: Any
    size: Any = None

    def length(self, data: Counts) -> int:
        return len(data.counts)

    def subset(self, data: Counts, idx: npt.NDArray[np.int64]) -> Counts:
        return data.subset(idx)

    def append(self, data: Counts, new_data: Any) -> Counts:
        if self.chart in ("c", "g"):
            new = _counts(new_data, None, self.chart, "new_data")
        else:
            if not (isinstance(new_data, tuple) and len(new_data) == 2):
                raise TypeError(
                    "new_data must be a (counts, sizes) pair for a "
                    f"{self.chart} chart, got {show(new_data)}"
                )
            new = _counts(new_data[0], new_data[1], self.chart, "new_data")
        labels = np.concatenate(
            [data.labels, np.arange(len(data.labels), len(data.labels) + len(new.counts))]
        )
        return Counts(
            np.concatenate([data.counts, new.counts]),
            np.concatenate([data.sizes, new.sizes]),
            labels,
        )

    def _statistic(self, data: Counts) -> F64:
        if self.chart in ("p", "u"):
            return np.ascontiguousarray(data.counts / data.sizes)
        return data.counts

    def build(self, data: Counts, phase1: npt.NDArray[np.bool_], params: Any) -> Any:
        base = "p" if self.chart == "p" else "u" if self.chart == "u" else self.chart
        stat = self._statistic(data)
        if params is None:
            center = self.center
            if center is None:
                x, n = data.counts[phase1], data.sizes[phase1]
                center = float(x.sum() / n.sum()) if base in ("p", "np", "u") else float(x.mean())
            scale = 1.0
            if self.laney is not None:
                c0, se0, _, _ = _qualstat._control_attribute_limits(
                    base, center, data.sizes[phase1], self.L, 1.0, None
                )
                scale = _qualstat._control_laney_sigma_z(
                    np.ascontiguousarray(stat[phase1]), c0, se0, self.laney, self.d2
                )
            params = (center, scale)
        center, scale = params
        c, se, lo, hi = by_size(
            data.sizes,
            lambda n: _qualstat._control_attribute_limits(
                base, center, n, self.L, scale, self.confidence
            ),
        )
        rules = rule_list(self.rules)
        ceiling = 1.0 if base == "p" else np.inf
        flags = evaluate_rules(stat, c, se, lo, hi, rules_arg(self.rules), 0.0, ceiling)
        name = f"{base}'" if self.laney is not None else base
        extra: dict[str, Any] = {"center_estimate": center, "confidence": self.confidence}
        sigma = None
        method = None
        if self.laney is not None:
            extra["axis"] = self.laney
            sigma, method = scale, f"laney sigma_z ({self.laney})"
        # The table's n: items (p, np) or one sample (c, g) are counted; a u chart's
        # inspection units need not be whole.
        sizes = data.sizes if base == "u" else data.sizes.astype(np.int64)
        arl, run_length = self._run_lengths(data, center, lo, hi)
        chart = Chart(
            name, stat, c, lo, hi, se, sigma, method, phase1, sizes, data.labels, rules,
            flags, limits=self.limits, L=self.L, extra=extra, _oc=self._oc(data, lo, hi),
            _arl_x=arl, _run_length_x=run_length,
        )  # fmt: skip
        return chart, params

    def _oc(self, data: Counts, lo: F64, hi: F64) -> Any:
        if self.laney is not None or self.chart == "g":
            return None
        n = float(data.sizes[-1])
        scale = n if self.chart in ("p", "u") else 1.0
        lcl, ucl = float(lo[-1]) * scale, float(hi[-1]) * scale
        if self.chart in ("p", "np"):
            return lambda x: _qualstat._control_oc("binomial", x, lcl, ucl, n, 1.0)
        if self.chart == "u":
            return lambda x: _qualstat._control_oc(
                "poisson", np.ascontiguousarray(x * n), lcl, ucl, n, 1.0
            )
        return lambda x: _qualstat._control_oc("poisson", x, lcl, ucl, n, 1.0)

    def _run_lengths(self, data: Counts, center: float, lo: F64, hi: F64) -> tuple[Any, Any]:
        """``Chart.arl`` and ``Chart.run_length`` of a p, np, c or u chart (None for
        Laney's and g charts)."""
        if self.laney is not None or self.chart == "g":
            return None, None
        chart, recipe = self.chart, self

        def design(size: Any, state: str, what: str) -> tuple[str, float, float, float]:
            """The count family, the limits on the count scale and the size n."""
            option(state, "state", ("zero", "steady"))  # one geometric run length
            extra = [r for r in rule_list(recipe.rules) if r[2] != "beyond the control limits"]
            if extra:
                raise ValueError(
                    f"{what} of a {chart} chart is for rule 1 alone, but the chart also uses "
                    f"{extra[0][0]} {extra[0][1]} ({extra[0][2]}): the zone chain of "
                    "arl_shewhart is built for a continuous statistic, and a count's values "
                    "fall on zone "
                    "boundaries (ties) that it does not follow; build the chart without "
                    f"rules= for its {what}"
                )
            if size is None:
                low, high = float(np.min(data.sizes)), float(np.max(data.sizes))
                if low != high:
                    raise ValueError(
                        f"the {chart} chart's subgroups have {low:g} to {high:g} units, so "
                        f"its limits step with the size: give size= (the {what} of points of "
                        "that size)"
                    )
                n, lcl, ucl = float(data.sizes[-1]), float(lo[-1]), float(hi[-1])
            else:
                if chart == "c":
                    raise ValueError("size= is for p, np and u charts (a c chart has no sizes)")
                if chart in ("p", "np"):
                    n = float(integer(size, "size", minimum=1))
                else:
                    n = real(size, "size")
                    if not (math.isfinite(n) and n > 0.0):
                        raise ValueError(f"size = {n} is invalid: expected a positive size")
                _, _, lim_lo, lim_hi = _qualstat._control_attribute_limits(
                    chart, center, np.array([n]), recipe.L, 1.0, recipe.confidence
                )
                lcl, ucl = float(lim_lo[0]), float(lim_hi[0])
            scale = n if chart in ("p", "u") else 1.0
            family = "binomial" if chart in ("p", "np") else "poisson"
            return family, lcl * scale, ucl * scale, n

        def quality(x: Any, family: str) -> float:
            x = center if x is None else x
            return fraction(x, "x") if family == "binomial" else real(x, "x")

        def arl(x: Any, size: Any, state: str) -> Any:
            family, lcl, ucl, n = design(size, state, "arl")
            if x is None or is_scalar(x) or isinstance(x, str):
                one = np.array([quality(x, family)])
                return float(_qualstat._arl_attribute(family, one, lcl, ucl, n)[0])
            arr = np.asarray(as_array(x, "x"), dtype=np.float64)
            flat = np.ascontiguousarray(arr.reshape(-1))
            return _qualstat._arl_attribute(family, flat, lcl, ucl, n).reshape(arr.shape)

        def run_length(x: Any, size: Any, state: str, tail: Any) -> RunLength:
            family, lcl, ucl, n = design(size, state, "run_length")
            if not (x is None or is_scalar(x) or isinstance(x, str)):
                raise TypeError(f"x = {show(x)} is invalid: expected one quality for run_length")
            value, t = quality(x, family), tail_probability(tail)
            out = _qualstat._run_length_attribute(family, value, lcl, ucl, n, t, RUN_LENGTH_STEPS)
            arl_, sdrl, survival = out
            st = option(state, "state", ("zero", "steady"))
            return RunLength(chart, None, st, float(arl_), float(sdrl), survival, x=value)

        return arl, run_length


def _chart(
    chart: str, counts: Any, sizes: Any, *, center: Any, limits: Any, confidence: Any,
    rules: Any, phase1: Any, stages: Any, L: Any, axis: Any = None, constants: Any = "exact",
) -> Chart:  # fmt: skip
    width_ = width(L)
    kind, conf = limits_option(limits, confidence, width_)
    if chart in ("p", "np") and isinstance(center, str):
        center = fraction(center, "center")  # "95%" is accepted for a fraction
    cen = optional_real(center, "center", positive=True)
    laney = None if axis is None else option(axis, "axis", ("time", "categorical"))
    if laney is not None and kind == "probability":
        raise ValueError("Laney charts have sigma limits only: drop limits= and confidence=")
    d2 = 1.128 if _constants(constants) == "qcc" else float(_qualstat._spc_constant("d2", 2))
    rule_list(rules)
    data = _counts(counts, sizes, chart)
    recipe = AttributeRecipe(chart, cen, width_, kind, conf, laney, d2, rules)
    n = len(data.counts)
    return make(recipe, data, mask(phase1, n), None, _stages(stages, n))  # type: ignore[no-any-return]


_COMMON_DOC = """
    center : float or str, optional
        Known centre (fraction for p/np, or a percent string such as "2%"; mean count
        for c, per unit for u); estimated from phase I otherwise (pooled: total count /
        total size).
    limits : {"sigma", "probability"}
        Sigma limits centre +/- L standard errors (floored at 0, capped at 1 for p), or
        probability limits: the (1 - confidence)/2 and 1 - (1 - confidence)/2 quantiles
        of the count's binomial or Poisson distribution at the centre. Giving
        ``confidence`` selects probability limits (default confidence 1 - 2 Phi(-L)).
    rules, phase1, stages, L
        As :func:`qualstat.control.xbar_r`. Missing counts (NaN) are an error."""


def p(
    defectives: Any, sizes: Any, *, center: Any = None, limits: Any = "sigma",
    confidence: Any = None, rules: Any = None, phase1: Any = None, stages: Any = None,
    L: Any = 3.0,
) -> Chart:  # fmt: skip
    """p chart of the fraction nonconforming ``defectives / sizes`` (step limits for
    unequal sizes).

    Examples
    --------
    >>> import qualstat as qs
    >>> ch = qs.control.p([3, 5, 2, 8, 4], [100, 100, 100, 100, 100])
    >>> round(float(ch.center[0]), 3), round(float(ch.ucl[0]), 4)
    (0.044, 0.1055)
    """
    return _chart("p", defectives, sizes, center=center, limits=limits, confidence=confidence,
                  rules=rules, phase1=phase1, stages=stages, L=L)  # fmt: skip


def np_(
    defectives: Any, size: Any, *, center: Any = None, limits: Any = "sigma",
    confidence: Any = None, rules: Any = None, phase1: Any = None, stages: Any = None,
    L: Any = 3.0,
) -> Chart:  # fmt: skip
    """np chart of the number nonconforming in samples of ``size`` (a number or one per
    sample).

    Examples
    --------
    >>> import qualstat as qs
    >>> ch = qs.control.np([3, 5, 2, 8, 4], 100)
    >>> round(float(ch.center[0]), 2), round(float(ch.ucl[0]), 3)
    (4.4, 10.553)
    """
    return _chart("np", defectives, size, center=center, limits=limits, confidence=confidence,
                  rules=rules, phase1=phase1, stages=stages, L=L)  # fmt: skip


def c(
    counts: Any, *, center: Any = None, limits: Any = "sigma", confidence: Any = None,
    rules: Any = None, phase1: Any = None, stages: Any = None, L: Any = 3.0,
) -> Chart:  # fmt: skip
    """c chart of counts of nonconformities per sample (equal sample sizes).

    Examples
    --------
    >>> import qualstat as qs
    >>> ch = qs.control.c([4, 7, 3, 6, 5])
    >>> round(float(ch.ucl[0]), 3)
    11.708
    """
    return _chart("c", counts, None, center=center, limits=limits, confidence=confidence,
                  rules=rules, phase1=phase1, stages=stages, L=L)  # fmt: skip


def u(
    counts: Any, sizes: Any, *, center: Any = None, limits: Any = "sigma",
    confidence: Any = None, rules: Any = None, phase1: Any = None, stages: Any = None,
    L: Any = 3.0,
) -> Chart:  # fmt: skip
    """u chart of nonconformities per unit ``counts / sizes`` (sizes in inspection units,
    need not be whole; step limits).

    Examples
    --------
    >>> import qualstat as qs
    >>> ch = qs.control.u([10, 12, 8], [5, 5, 5])
    >>> float(ch.center[0])
    2.0
    """
    return _chart("u", counts, sizes, center=center, limits=limits, confidence=confidence,
                  rules=rules, phase1=phase1, stages=stages, L=L)  # fmt: skip


def p_prime(
    defectives: Any, sizes: Any, *, axis: Any = "time", center: Any = None,
    constants: Any = "exact", rules: Any = None, phase1: Any = None, stages: Any = None,
    L: Any = 3.0,
) -> Chart:  # fmt: skip
    """Laney p' chart: the p chart's standard errors times sigma_z, for over-dispersed
    pass rates or fraction nonconforming with large samples.

    z_i = (p_i - pbar)/sqrt(pbar(1 - pbar)/n_i) over the phase-I points; sigma_z is
    the mean moving range of z / d2(2) for points in time order (``axis="time"``,
    Laney 2002), or the standard deviation of z for a categorical axis
    (``axis="categorical"``: units, regions or products compared cross-sectionally,
    where the order of the points means nothing). The categorical form is the
    supervision issue's "Laney p' for units compared cross-sectionally": with it a
    p' chart of regions' spot-check pass rates flags the regions whose rate differs
    beyond the between-region variation. ``constants="qcc"`` uses d2(2) = 1.128 as
    Minitab prints it. The chart's ``sigma`` is sigma_z.

    Examples
    --------
    >>> import qualstat as qs
    >>> ch = qs.control.p_prime([950, 905, 980, 940, 960], [1000] * 5)
    >>> ch.name, round(ch.sigma, 3)
    ("p'", 5.629)
    """
    return _chart("p", defectives, sizes, center=center, limits="sigma", confidence=None,
                  rules=rules, phase1=phase1, stages=stages, L=L, axis=axis,
                  constants=constants)  # fmt: skip


def u_prime(
    counts: Any, sizes: Any, *, axis: Any = "time", center: Any = None,
    constants: Any = "exact", rules: Any = None, phase1: Any = None, stages: Any = None,
    L: Any = 3.0,
) -> Chart:  # fmt: skip
    """Laney u' chart: the u chart's standard errors times sigma_z (see :func:`p_prime`).

    Examples
    --------
    >>> import qualstat as qs
    >>> ch = qs.control.u_prime([120, 80, 150, 95], [50, 40, 60, 45])
    >>> ch.name
    "u'"
    """
    return _chart("u", counts, sizes, center=center, limits="sigma", confidence=None,
                  rules=rules, phase1=phase1, stages=stages, L=L, axis=axis,
                  constants=constants)  # fmt: skip


def g(
    counts: Any, *, center: Any = None, limits: Any = "sigma", confidence: Any = None,
    rules: Any = None, phase1: Any = None, stages: Any = None, L: Any = 3.0,
) -> Chart:  # fmt: skip
    """g chart of the number of conforming units (or days) between events.

    Centre gbar, sigma limits gbar +/- L sqrt(gbar (gbar + 1)) floored at 0
    (geometric counts, Kaminsky et al. 1992); probability limits are quantiles of the
    geometric distribution with success probability 1/(gbar + 1).

    Examples
    --------
    >>> import qualstat as qs
    >>> ch = qs.control.g([30, 12, 45, 8, 60, 22])
    >>> float(ch.center[0])
    29.5
    """
    return _chart("g", counts, None, center=center, limits=limits, confidence=confidence,
                  rules=rules, phase1=phase1, stages=stages, L=L)  # fmt: skip


for _f in (p, np_, c, u):
    _f.__doc__ = (_f.__doc__ or "").replace(
        "\n    Examples", "\n    Parameters\n    ----------" + _COMMON_DOC + "\n\n    Examples", 1
    )
