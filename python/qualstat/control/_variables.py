"""Variables charts: xbar with R or S, individuals with moving range."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from .. import _qualstat
from .._coerce import integer, option, show
from ..capability import _subgroup_order
from ._arl import RunLength, arl_shewhart, run_length
from ._chart import (
    F64,
    Chart,
    Pair,
    by_size,
    evaluate_rules,
    finite_values,
    make,
    mask,
    one_size,
    optional_real,
    rule_list,
    rules_arg,
    width,
)


@dataclass(frozen=True)
class Subgroups:
    """Subgroup data: the values in subgroup order, the sizes and the labels."""

    values: F64
    sizes: npt.NDArray[np.int64]
    labels: npt.NDArray[Any]
    skipped: int = 0

    def subset(self, idx: npt.NDArray[np.int64]) -> Subgroups:
        ends = np.cumsum(self.sizes)
        starts = ends - self.sizes
        vals = [self.values[starts[i] : ends[i]] for i in idx]
        return Subgroups(np.concatenate(vals), self.sizes[idx], self.labels[idx], self.skipped)


def subgroups(
    data: Any, subgroup_size: Any, groups: Any, *, name: str = "data", min_size: int = 1
) -> Subgroups:
    """Subgroup data from a 2-D array (rows; NaN padding skipped), a list of lists,
    or a flat array with ``subgroup_size`` or ``subgroups`` labels.

    NaN values are skipped (their count is recorded as ``skipped``); infinities are
    an error; a subgroup left empty is an error.
    """
    if subgroup_size is not None and groups is not None:
        raise ValueError("give subgroup_size or subgroups, not both")
    if hasattr(data, "to_numpy") and not isinstance(data, np.ndarray):
        data = data.to_numpy()
    ragged = (
        isinstance(data, list | tuple)
        and data
        and all(isinstance(r, list | tuple | np.ndarray) for r in data)
    )
    if ragged:
        rows = [np.asarray(r, dtype=np.float64).reshape(-1) for r in data]
        labels: npt.NDArray[Any] = np.arange(len(rows))
    else:
        try:
            arr = np.asarray(data, dtype=np.float64)
        except (TypeError, ValueError):
            raise TypeError(
                f"{name} = {show(data)} is invalid: expected numbers (a 1-D array, a 2-D "
                "array with one subgroup per row, or a list of subgroups)"
            ) from None
        if arr.ndim == 2:
            rows = list(arr)
            labels = np.arange(arr.shape[0])
        elif arr.ndim == 1:
            if subgroup_size is not None:
                k = integer(subgroup_size, "subgroup_size", minimum=1)
                if arr.size % k:
                    raise ValueError(
                        f"subgroup_size = {k} does not divide the {arr.size} values of {name}"
                    )
                rows = list(arr.reshape(-1, k))
                labels = np.arange(arr.size // k)
            elif groups is not None:
                order, sizes = _subgroup_order(groups, arr.size)
                lab = np.asarray(groups.to_numpy() if hasattr(groups, "to_numpy") else groups)
                arr = arr[order]
                ends = np.cumsum(sizes)
                rows = [arr[e - s : e] for s, e in zip(sizes, ends, strict=True)]
                labels = lab[order][ends - 1]
            elif min_size == 1:
                rows = [arr[i : i + 1] for i in range(arr.size)]
                labels = np.arange(arr.size)
            else:
                raise ValueError(
                    f"{name} is one-dimensional: give subgroup_size= or subgroups= "
                    "(or a 2-D array with one subgroup per row)"
                )
        else:
            raise ValueError(f"{name} has shape {arr.shape}: expected 1-D or 2-D data")
    if not rows:
        raise ValueError(f"{name} is empty: expected at least one subgroup")
    skipped = 0
    kept = []
    for i, r in enumerate(rows):
        if np.isinf(r).any():
            raise ValueError(f"{name}: subgroup {i} holds an infinite value")
        nan = np.isnan(r)
        skipped += int(nan.sum())
        r = r[~nan]
        if r.size == 0:
            raise ValueError(f"{name}: subgroup {i} has no value (all missing)")
        if r.size < min_size:
            raise ValueError(
                f"{name}: subgroup {i} has {r.size} value: R and S charts need at least "
                f"{min_size} values per subgroup (use imr for individual values)"
            )
        kept.append(r)
    sizes = np.asarray([r.size for r in kept], dtype=np.int64)
    return Subgroups(np.ascontiguousarray(np.concatenate(kept)), sizes, labels, skipped)


def _append_subgroups(data: Subgroups, new: Subgroups) -> Subgroups:
    if np.issubdtype(data.labels.dtype, np.integer) and np.issubdtype(new.labels.dtype, np.integer):
        labels = np.concatenate([data.labels, new.labels + len(data.labels)])
    else:
        labels = np.concatenate([data.labels.astype(object), new.labels.astype(object)])
    return Subgroups(
        np.concatenate([data.values, new.values]),
        np.concatenate([data.sizes, new.sizes]),
        labels,
        data.skipped + new.skipped,
    )


def normal_oc(chart_center: F64, se: F64, lcl: F64, ucl: F64, n: float) -> Any:
    """Beta of a normal statistic at mean shifts in process sigma (the last point's limits)."""
    lo = float((lcl[-1] - chart_center[-1]) / se[-1])
    hi = float((ucl[-1] - chart_center[-1]) / se[-1])
    return lambda x: _qualstat._control_oc("normal", x, lo, hi, n, 1.0)


def shewhart_run_lengths(
    L: float, rules: Any, sizes: npt.NDArray[Any], chart: str
) -> tuple[Any, Any]:
    """``Chart.arl`` and ``Chart.run_length`` of an xbar or I chart: ``arl_shewhart`` and
    ``run_length("shewhart", ...)`` with its L, rules and size."""

    def arl(shift: Any, state: str) -> Any:
        n = one_size(sizes, chart)
        return arl_shewhart(shift, L=L, rules=rules, subgroup_size=n, state=state)

    def distribution(shift: Any, state: str, tail: Any) -> RunLength:
        n = one_size(sizes, chart)
        return run_length(
            "shewhart", shift, L=L, rules=rules, subgroup_size=n, state=state, tail=tail
        )

    return arl, distribution


def _first_set(rules: tuple[tuple[str, int, str], ...]) -> str:
    return rules[0][0]


@dataclass(frozen=True)
class XbarRecipe:
    """xbar with R (``second="r"``) or S (``second="s"``)."""

    second: str
    sigma_method: str | None
    center: float | None
    sigma: float | None
    constants: str
    L: float
    rules: Any
    subgroup_size: Any = None

    def length(self, data: Subgroups) -> int:
        return len(data.sizes)

    def subset(self, data: Subgroups, idx: npt.NDArray[np.int64]) -> Subgroups:
        return data.subset(idx)

    def append(self, data: Subgroups, new_data: Any) -> Subgroups:
        new = subgroups(new_data, self.subgroup_size, None, name="new_data", min_size=2)
        return _append_subgroups(data, new)

    def build(self, data: Subgroups, phase1: npt.NDArray[np.bool_], params: Any) -> Any:
        means, ranges, sds = _qualstat._control_summaries(data.values, data.sizes)
        if params is None:
            n = data.sizes[phase1]
            center = self.center
            if center is None:
                center = float(np.sum(means[phase1] * n) / np.sum(n))
            method = self.sigma_method
            if self.sigma is not None:
                sigma, method = self.sigma, "known"
            else:
                if method is None:
                    big = bool((data.sizes > 25).any())
                    method = "rmsdf" if big else ("uwave-r" if self.second == "r" else "uwave-sd")
                sigma = _qualstat._control_subgroup_sigma(
                    method, data.sizes, ranges, sds, phase1, self.constants
                )
            params = (center, sigma, method)
        center, sigma, method = params
        c, se, lo, hi = by_size(
            data.sizes, lambda n: _qualstat._control_xbar_limits(center, sigma, n, self.L)
        )
        rules = rule_list(self.rules)
        flags = evaluate_rules(means, c, se, lo, hi, rules_arg(self.rules))
        extra = {"constants": self.constants, "skipped": data.skipped}
        arl, distribution = shewhart_run_lengths(self.L, self.rules, data.sizes, "xbar")
        xbar = Chart(
            "xbar", means, c, lo, hi, se, sigma, method, phase1, data.sizes, data.labels, rules,
            flags, L=self.L, extra=extra,
            _oc=normal_oc(c, se, lo, hi, float(data.sizes[-1])),
            _arl=arl, _run_length=distribution,
        )  # fmt: skip
        stat = ranges if self.second == "r" else sds
        if self.second == "r":
            c2, se2, lo2, hi2 = by_size(
                data.sizes,
                lambda n: _qualstat._control_range_limits(sigma, n, self.L, self.constants),
            )
            oc2 = None
        else:
            c2, se2, lo2, hi2 = by_size(
                data.sizes, lambda n: _qualstat._control_sd_limits(sigma, n, self.L)
            )
            n_last, s_lo, s_hi = float(data.sizes[-1]), float(lo2[-1]), float(hi2[-1])

            def oc2(x: F64) -> F64:
                return _qualstat._control_oc("sd", x, s_lo, s_hi, n_last, sigma)  # type: ignore[no-any-return]

        one = [(_first_set(rules), 1)]
        flags2 = evaluate_rules(stat, c2, se2, lo2, hi2, one, floor=0.0)
        second = Chart(
            self.second.upper(), stat, c2, lo2, hi2, se2, sigma, method, phase1, data.sizes,
            data.labels, rule_list(one), flags2, L=self.L, extra=extra, _oc=oc2,
        )  # fmt: skip
        return Pair(("xbar", self.second), (xbar, second)), params


def _constants(constants: Any) -> str:
    return option(constants, "constants", ("exact", "qcc"))


def _common(
    sigma_method: Any, sigma: Any, center: Any, L: Any
) -> tuple[str | None, float | None, float | None, float]:
    method = None if sigma_method is None else option(sigma_method, "sigma_method")
    return (
        method,
        optional_real(sigma, "sigma", positive=True),
        optional_real(center, "center"),
        width(L),
    )


def _xbar(
    second: str, data: Any, subgroup_size: Any, groups: Any, sigma_method: Any, sigma: Any,
    center: Any, constants: Any, rules: Any, phase1: Any, stages: Any, L: Any,
) -> Pair:  # fmt: skip
    method, sig, cen, width_ = _common(sigma_method, sigma, center, L)
    rule_list(rules)
    sub = subgroups(data, subgroup_size, groups, min_size=2)
    recipe = XbarRecipe(
        second, method, cen, sig, _constants(constants), width_, rules, subgroup_size
    )
    n = len(sub.sizes)
    return make(recipe, sub, mask(phase1, n), None, _stages(stages, n))  # type: ignore[no-any-return]


def _stages(stages: Any, n: int) -> npt.NDArray[Any] | None:
    if stages is None:
        return None
    if hasattr(stages, "to_numpy") and not isinstance(stages, np.ndarray):
        stages = stages.to_numpy()
    arr = np.asarray(stages, dtype=object)
    if arr.shape != (n,):
        raise ValueError(f"stages has length {arr.size} but the chart has {n} points")
    return arr


def xbar_r(
    data: Any,
    *,
    subgroup_size: Any = None,
    subgroups: Any = None,
    sigma_method: Any = None,
    sigma: Any = None,
    center: Any = None,
    constants: Any = "exact",
    rules: Any = None,
    phase1: Any = None,
    stages: Any = None,
    L: Any = 3.0,
) -> Pair:
    """Xbar and R charts of subgroup data.

    Parameters
    ----------
    data : array-like
        A 2-D array with one subgroup per row (NaN marks a missing value: skipped, the
        count kept in ``to_dict()["skipped"]``), a list of subgroups of any sizes, or a
        flat array with ``subgroup_size`` or ``subgroups`` (a label per value).
    sigma_method : str, optional
        "uwave-r" (default: mean of R_i/d2(n_i); "rmsdf" when a subgroup exceeds 25),
        "uwave-sd", "mvlue-r", "mvlue-sd", "rmsdf", "pooled_sd" (see
        ``reference/spc_notes.md``).
    sigma, center : float, optional
        Known (historical) process sigma and mean; estimated from phase I otherwise.
    constants : {"exact", "qcc"}
        d2 and d3 computed exactly, or qcc's tables (d2 to 3 decimals) to reproduce
        qcc's printed numbers.
    rules : str or list, optional
        Runs rules of the xbar chart: "we", "nelson", or a list of (set, number) pairs
        such as ``[("we", 1), ("we", 4)]``; a third item edits thresholds, e.g.
        ``("nelson", 2, {"count": 7})``. Default: rule 1 (a point beyond the limits).
        The R chart uses rule 1 only (zone rules on a range chart are not meaningful).
    phase1 : array of bool, optional
        The subgroups whose data estimate the limits (default: all).
    stages : array-like, optional
        A stage label per subgroup: each run of equal labels gets its own limits.
    L : float
        Width of the limits in standard errors (default 3).

    Returns
    -------
    Pair
        ``.xbar`` and ``.r`` charts (units of the data), ``.sigma``, ``monitor``,
        ``revise``, ``plot``. A subgroup of one value is an error (R needs two).

    Examples
    --------
    >>> import numpy as np, qualstat as qs
    >>> x = np.array([[74.030, 74.002, 74.019, 73.992, 74.008],
    ...               [73.995, 73.992, 74.001, 74.011, 74.004],
    ...               [73.988, 74.024, 74.021, 74.005, 74.002]])
    >>> ch = qs.control.xbar_r(x, constants="qcc")
    >>> round(float(ch.xbar.center[0]), 4), round(float(ch.r.center[0]), 4)
    (74.0063, 0.031)
    """
    return _xbar("r", data, subgroup_size, subgroups, sigma_method, sigma, center, constants,
                 rules, phase1, stages, L)  # fmt: skip


def xbar_s(
    data: Any,
    *,
    subgroup_size: Any = None,
    subgroups: Any = None,
    sigma_method: Any = None,
    sigma: Any = None,
    center: Any = None,
    constants: Any = "exact",
    rules: Any = None,
    phase1: Any = None,
    stages: Any = None,
    L: Any = 3.0,
) -> Pair:
    """Xbar and S charts of subgroup data (arguments as :func:`xbar_r`).

    The default sigma method is "uwave-sd" (mean of S_i/c4(n_i)); the S chart has
    centre c4(n) sigma and limits c4(n) sigma +/- L sigma sqrt(1 - c4(n)^2).

    Examples
    --------
    >>> import qualstat as qs
    >>> ch = qs.control.xbar_s([[1.0, 2.0, 3.0], [2.0, 4.0, 3.0], [1.0, 1.5, 2.5]])
    >>> ch.s.name, len(ch.s.statistic)
    ('S', 3)
    """
    return _xbar("s", data, subgroup_size, subgroups, sigma_method, sigma, center, constants,
                 rules, phase1, stages, L)  # fmt: skip


@dataclass(frozen=True)
class ImrRecipe:
    """Individuals and moving range of span ``span``."""

    sigma_method: str
    span: int
    center: float | None
    sigma: float | None
    constants: str
    L: float
    rules: Any

    def length(self, data: tuple[F64, npt.NDArray[Any]]) -> int:
        return len(data[0])

    def subset(self, data: tuple[F64, npt.NDArray[Any]], idx: npt.NDArray[np.int64]) -> Any:
        return data[0][idx], data[1][idx]

    def append(self, data: tuple[F64, npt.NDArray[Any]], new_data: Any) -> Any:
        new = finite_values(new_data, "new_data")
        labels = np.concatenate(
            [
                data[1].astype(object),
                np.arange(len(data[0]), len(data[0]) + new.size).astype(object),
            ]
        )
        return np.concatenate([data[0], new]), labels

    def build(
        self, data: tuple[F64, npt.NDArray[Any]], phase1: npt.NDArray[np.bool_], params: Any
    ) -> Any:
        x, labels = data
        if params is None:
            first = x if phase1.all() else x[phase1]
            center = self.center if self.center is not None else float(np.mean(first))
            if self.sigma is not None:
                sigma, method = self.sigma, "known"
            else:
                method = self.sigma_method
                sigma = _qualstat._control_individuals_sigma(
                    method, np.ascontiguousarray(first), self.span, self.constants
                )
            params = (center, sigma, method)
        center, sigma, method = params
        ones = np.broadcast_to(np.int64(1), (x.size,))
        c, se, lo, hi = by_size(
            ones, lambda n: _qualstat._control_xbar_limits(center, sigma, n, self.L)
        )
        rules = rule_list(self.rules)
        flags = evaluate_rules(x, c, se, lo, hi, rules_arg(self.rules))
        extra = {"span": self.span, "constants": self.constants}
        arl, distribution = shewhart_run_lengths(self.L, self.rules, ones, "I")
        i_chart = Chart(
            "I", x, c, lo, hi, se, sigma, method, phase1, ones, labels,
            rules, flags, L=self.L, extra=extra, _oc=normal_oc(c, se, lo, hi, 1.0),
            _arl=arl, _run_length=distribution,
        )  # fmt: skip
        w = self.span
        m = max(x.size - w + 1, 0)
        if m and w == 2:
            mr, ph2 = np.diff(x), phase1[1:] & phase1[:-1]
            np.abs(mr, out=mr)
        elif m:
            hi, lo, ph2 = x[w - 1 :].copy(), x[w - 1 :].copy(), phase1[w - 1 :].copy()
            for j in range(w - 1):  # shifted copies: O(n w) without a window view
                np.maximum(hi, x[j : j + m], out=hi)
                np.minimum(lo, x[j : j + m], out=lo)
                ph2 &= phase1[j : j + m]
            mr = hi - lo
        else:  # fewer values than the span (possible with a known sigma): no MR point
            mr, ph2 = np.zeros(0), np.zeros(0, dtype=bool)
        spans = np.broadcast_to(np.int64(w), (m,))
        c2, se2, lo2, hi2 = by_size(
            spans, lambda n: _qualstat._control_range_limits(sigma, n, self.L, self.constants)
        )
        one = [(rules[0][0], 1)]
        flags2 = evaluate_rules(mr, c2, se2, lo2, hi2, one, floor=0.0)
        mr_chart = Chart(
            "MR", mr, c2, lo2, hi2, se2, sigma, method, ph2, spans,
            labels[w - 1 :], rule_list(one), flags2, L=self.L, extra=extra,
        )  # fmt: skip
        return Pair(("i", "mr"), (i_chart, mr_chart)), params


def imr(
    values: Any,
    *,
    sigma_method: Any = "mr",
    sigma: Any = None,
    center: Any = None,
    span: Any = 2,
    constants: Any = "exact",
    rules: Any = None,
    phase1: Any = None,
    stages: Any = None,
    L: Any = 3.0,
) -> Pair:
    """Individuals (I) and moving-range (MR) charts.

    Parameters
    ----------
    values : array-like
        Individual values in time order (NaN is an error: drop missing values first).
    sigma_method : {"mr", "median_mr", "mssd", "sd"}
        Mean moving range of span ``span`` / d2(span) (default, as qcc and Minitab),
        median moving range / d4(span), sqrt(MSSD/2), or s/c4(N).
    sigma, center : float, optional
        Known process sigma and mean.
    span : int
        Span of the moving range (default 2).
    constants, rules, phase1, stages, L
        As :func:`xbar_r`; rules apply to the I chart, rule 1 to the MR chart.

    Returns
    -------
    Pair
        ``.i`` and ``.mr`` charts (the MR chart has ``len(values) - span + 1`` points,
        labelled by the last value of each window).

    Examples
    --------
    >>> import qualstat as qs
    >>> ch = qs.control.imr([10.0, 11.0, 9.5, 10.5, 12.0, 10.0], constants="qcc")
    >>> round(ch.i.sigma, 4)
    1.2411
    """
    method = option(sigma_method, "sigma_method", ("mr", "median_mr", "mssd", "sd"))
    sig, cen, width_ = (
        optional_real(sigma, "sigma", positive=True),
        optional_real(center, "center"),
        width(L),
    )
    w = integer(span, "span", minimum=2, maximum=1000)
    rule_list(rules)
    x = finite_values(values, "values")
    recipe = ImrRecipe(method, w, cen, sig, _constants(constants), width_, rules)
    data = (x, np.arange(x.size))
    return make(recipe, data, mask(phase1, x.size), None, _stages(stages, x.size))  # type: ignore[no-any-return]
