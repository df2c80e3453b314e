"""Process capability: indices, confidence intervals, non-normal data, by group.

Conventions follow Minitab's "Normal Capability Analysis": within sigma by the
pooled standard deviation / c4(d+1) for subgroups and the average moving range
/ d2(2) for individuals; overall sigma the sample standard deviation; Cp and Pp
intervals by chi-square (with the degrees of freedom of the sigma method),
Cpk and Ppk by Bissell, Cpm by Boyles. Non-normal data: the ISO 22514-2
percentile method with a fitted distribution or empirical percentiles, or a
Box-Cox transformation.
"""

from __future__ import annotations

import html
import math
import numbers
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from . import _qualstat
from .pass_rates import to_polars
from .proportion import Interval

__all__ = ["Capability", "capability", "capability_by"]

_INDICES = ("cp", "cpk", "pp", "ppk", "cpm")
_DISTRIBUTIONS = ("normal", "lognormal", "weibull", "gamma", "auto", "nonparametric")


@dataclass(frozen=True)
class Capability:
    """The result of :func:`capability`: indices, sigmas, PPM and intervals.

    ``data`` holds the measurements used (after NaN omission and any
    transformation), for :meth:`plot`.

    Indices that the specification does not define (Cp and Pp with one limit,
    Cpm without a target, the within indices of a percentile study) are
    ``None``. With ``boxcox=...`` every number is in the transformed units
    (``lambda_`` says which power); ``lsl``, ``usl`` and ``target`` are the
    transformed limits.
    """

    n: int
    mean: float
    sigma_within: float | None
    sigma_overall: float
    cp: float | None
    cpl: float | None
    cpu: float | None
    cpk: float | None
    pp: float | None
    ppl: float | None
    ppu: float | None
    ppk: float | None
    cpm: float | None
    z_bench_within: float | None
    z_bench_overall: float | None
    ppm_observed: float | None
    ppm_within: float | None
    ppm_overall: float | None
    lsl: float | None
    usl: float | None
    target: float | None
    confidence: float
    bound: str
    within: str | None
    method: str
    ad_statistic: float
    ad_p_value: float
    distribution: str = "normal"
    params: tuple[float, float] | None = None
    percentiles: tuple[float, float, float] | None = None
    lambda_: float | None = None
    intervals: dict[str, tuple[float, float]] = field(default_factory=dict)
    data: npt.NDArray[np.float64] = field(
        default_factory=lambda: np.empty(0), repr=False, compare=False
    )

    def interval(self, name: str) -> Interval:
        """The confidence interval of ``name`` ("cp", "cpk", "pp", "ppk" or "cpm").

        Raises
        ------
        ValueError
            For another name, or an index not defined for this study.
        """
        if name not in _INDICES:
            raise ValueError(f"name = {name!r} is not recognised: expected one of {_INDICES}")
        if name not in self.intervals:
            raise ValueError(f"{name} has no interval in this study (the index is not defined)")
        lo, hi = self.intervals[name]
        return Interval(lo, hi)

    def to_dict(self) -> dict[str, Any]:
        """Every attribute but ``data`` as a dict (intervals as ``{name: (lower, upper)}``)."""
        out = asdict(self)
        del out["data"]
        return out

    def __repr__(self) -> str:
        def f(v: float | None) -> str:
            return "None" if v is None else f"{v:.4g}"

        return (
            f"Capability(n={self.n}, mean={self.mean:.6g}, cp={f(self.cp)}, cpk={f(self.cpk)}, "
            f"pp={f(self.pp)}, ppk={f(self.ppk)}, cpm={f(self.cpm)}, method={self.method!r})"
        )

    def _rows(self) -> list[tuple[str, float | None, tuple[float, float] | None]]:
        names = ("cp", "cpl", "cpu", "cpk", "pp", "ppl", "ppu", "ppk", "cpm")
        return [(n, getattr(self, n), self.intervals.get(n)) for n in names]

    def _repr_html_(self) -> str:
        def f(v: float | None) -> str:
            return "" if v is None else f"{v:.4f}"

        pct = round(100 * self.confidence, 6)
        rows = "".join(
            f"<tr><td>{html.escape(n.capitalize())}</td><td>{f(v)}</td>"
            f"<td>{f(i[0]) if i else ''}</td><td>{f(i[1]) if i else ''}</td></tr>"
            for n, v, i in self._rows()
            if v is not None
        )
        sw = "" if self.sigma_within is None else f", σ within {self.sigma_within:.5g}"
        return (
            f"<table><caption>Capability ({html.escape(self.method)}): n = {self.n}, "
            f"mean {self.mean:.6g}{sw}, σ overall {self.sigma_overall:.5g}; "
            f"Anderson–Darling p = {self.ad_p_value:.3g}</caption>"
            f"<tr><th>index</th><th>value</th><th colspan=2>{pct:g}% interval</th></tr>"
            f"{rows}<tr><td>PPM within / overall</td><td colspan=3>"
            f"{f(self.ppm_within)} / {f(self.ppm_overall)}</td></tr></table>"
        )

    def plot(self, ax: Any = None) -> Any:
        """Histogram with the fitted density, spec limits, target and the indices.

        Returns the matplotlib Axes (matplotlib is imported here, not at import time).
        """
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots()
        data = self.data
        ax.hist(data, bins="auto", density=True, alpha=0.5, color="C0")
        lo = min([data.min(), *(v for v in (self.lsl, self.usl) if v is not None)])
        hi = max([data.max(), *(v for v in (self.lsl, self.usl) if v is not None)])
        pad = 0.1 * (hi - lo)
        x = np.linspace(lo - pad, hi + pad, 400)
        ax.plot(x, _density(self, x, overall=True), color="C1", label="overall")
        if self.sigma_within is not None and self.distribution == "normal":
            ax.plot(x, _density(self, x, overall=False), "--", color="C2", label="within")
        for v, name in ((self.lsl, "LSL"), (self.usl, "USL")):
            if v is not None:
                ax.axvline(v, color="C3")
                ax.annotate(name, (v, 1), xycoords=("data", "axes fraction"), va="bottom")
        if self.target is not None:
            ax.axvline(self.target, color="k", linestyle=":")
        text = "\n".join(f"{n.capitalize()} {v:.3f}" for n, v, _ in self._rows() if v is not None)
        ax.text(0.99, 0.97, text, transform=ax.transAxes, ha="right", va="top", fontsize=8)
        ax.legend(loc="upper left", fontsize=8)
        return ax


def _density(res: Capability, x: npt.NDArray[np.float64], overall: bool) -> Any:
    if res.distribution in ("normal", "nonparametric") or res.params is None:
        s = res.sigma_overall if overall or res.sigma_within is None else res.sigma_within
        return np.exp(-0.5 * ((x - res.mean) / s) ** 2) / (s * math.sqrt(2 * math.pi))
    a, b = res.params
    with np.errstate(divide="ignore", invalid="ignore"):
        xp = np.where(x > 0, x, np.nan)
        if res.distribution == "lognormal":
            y = np.exp(-0.5 * ((np.log(xp) - a) / b) ** 2) / (xp * b * math.sqrt(2 * math.pi))
        elif res.distribution == "weibull":
            y = (a / b) * (xp / b) ** (a - 1) * np.exp(-((xp / b) ** a))
        else:
            y = np.exp((a - 1) * np.log(xp) - xp / b - math.lgamma(a) - a * math.log(b))
    return np.nan_to_num(y)


def _number(value: Any, name: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number or None, got {value!r}")
    return float(value)


def _data(data: Any) -> npt.NDArray[np.float64]:
    if hasattr(data, "to_numpy") and not isinstance(data, np.ndarray):
        data = data.to_numpy()
    arr = np.asarray(data)
    if arr.dtype == object or arr.dtype.kind not in "iuf":
        raise TypeError(f"data must hold numbers, got an array of dtype {arr.dtype}")
    if arr.ndim != 1:
        raise ValueError(f"data must be one-dimensional, got shape {arr.shape}")
    return np.ascontiguousarray(arr, dtype=np.float64)


def _subgroup_order(labels: Any, n: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Order putting equal labels together (in order of first appearance) and the sizes."""
    if hasattr(labels, "to_numpy") and not isinstance(labels, np.ndarray):
        labels = labels.to_numpy()
    lab = np.asarray(labels)
    if lab.ndim != 1 or len(lab) != n:
        raise ValueError(f"subgroups has length {len(lab)} but data has length {n}")
    _, first, inverse = np.unique(lab, return_index=True, return_inverse=True)
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first)] = np.arange(len(first))
    codes = rank[inverse.reshape(-1)]
    return np.argsort(codes, kind="stable"), np.bincount(codes).astype(np.int64)


def _option(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, got {value!r}")
    return value


def _nanfloat(v: Any) -> float | None:
    return None if v is None else float(v)


def capability(
    data: Any,
    *,
    lsl: float | None = None,
    usl: float | None = None,
    target: float | None = None,
    subgroup_size: int | None = None,
    subgroups: Any = None,
    within: str = "auto",
    confidence: float = 0.95,
    bound: str = "two-sided",
    nan_policy: str = "raise",
    distribution: str = "normal",
    boxcox: str | float | None = None,
    method: str = "classic",
    bootstrap: str = "bca",
    resamples: int = 10_000,
    seed: int = 0,
) -> Capability:
    """A process capability study.

    Parameters
    ----------
    data : array-like of float
        The measurements, in time order.
    lsl, usl, target : float, optional
        Specification limits (at least one) and target (needed for Cpm).
    subgroup_size : int, optional
        Consecutive subgroups of this size (it must divide the number of values).
    subgroups : array-like, optional
        A subgroup label per value (unequal sizes allowed).
    within : str
        Within-sigma estimator: "auto" (pooled SD for subgroups, average moving
        range for individuals), "pooled", "rbar", "sbar", "mr", "median_mr".
    confidence : float
        Confidence level of the intervals.
    bound : str
        "two-sided" intervals or "lower" confidence bounds (upper = inf).
    nan_policy : str
        "raise" (NaN is an error) or "omit" (NaN values are dropped).
    distribution : str
        "normal" (the classical study), or the ISO 22514-2 percentile method
        with "lognormal", "weibull", "gamma", "normal" fitted by maximum
        likelihood ("auto": the one with the smallest Anderson-Darling
        statistic) or "nonparametric" (empirical type-6 percentiles). The
        percentile method gives overall indices only (Pp, Ppl, Ppu, Ppk),
        without intervals.
    boxcox : "ml", "rounded" or float, optional
        Box-Cox transform the data (and limits) first: lambda by maximum
        likelihood, rounded to a multiple of 0.5 (Minitab's default), or given.
    method : str
        "classic" intervals (chi-square, Bissell, Boyles) or "bootstrap".
    bootstrap : str
        "bca" or "percentile" (with ``method="bootstrap"``).
    resamples, seed : int
        Bootstrap resamples and seed (results are reproducible for a seed).

    Returns
    -------
    Capability

    Examples
    --------
    >>> import numpy as np
    >>> import qualstat as qs
    >>> x = np.array([74.03, 74.002, 74.019, 73.992, 74.008, 73.995, 73.992, 74.001,
    ...               74.011, 74.004, 73.988, 74.024, 74.021, 74.005, 74.002])
    >>> res = qs.capability(x, lsl=73.95, usl=74.05, subgroup_size=5)
    >>> round(res.cp, 3), res.interval("cpk").lower < res.cpk
    (1.275, True)
    """
    x = _data(data)
    spec = (_number(lsl, "lsl"), _number(usl, "usl"), _number(target, "target"))
    for v, name in ((within, "within"), (bound, "bound"), (nan_policy, "nan_policy")):
        _option(v, name)
    _option(distribution, "distribution")
    if isinstance(confidence, bool) or not isinstance(confidence, numbers.Real):
        raise TypeError(f"confidence must be a number in (0, 1), got {confidence!r}")
    if subgroup_size is not None and subgroups is not None:
        raise ValueError("give subgroup_size or subgroups, not both")
    if subgroup_size is not None and (
        isinstance(subgroup_size, bool) or not isinstance(subgroup_size, numbers.Integral)
    ):
        raise TypeError(f"subgroup_size must be an integer, got {subgroup_size!r}")
    sizes = None
    if subgroups is not None:
        order, sizes = _subgroup_order(subgroups, len(x))
        x = np.ascontiguousarray(x[order])
    size = None if subgroup_size is None else int(subgroup_size)
    common = (x, size, sizes, *spec, within, float(confidence), bound, nan_policy)

    if distribution not in _DISTRIBUTIONS:
        raise ValueError(
            f"distribution = {distribution!r} is not recognised: expected one of {_DISTRIBUTIONS}"
        )
    if method not in ("classic", "bootstrap"):
        raise ValueError(f"method = {method!r} is not recognised: expected 'classic', 'bootstrap'")
    if distribution != "normal" and boxcox is not None:
        raise ValueError("boxcox applies to the normal study: use distribution='normal'")
    if method == "bootstrap" and (distribution != "normal" or boxcox is not None):
        raise ValueError("method='bootstrap' is available for the normal study without boxcox")

    if distribution != "normal":
        clean = x[~np.isnan(x)] if nan_policy == "omit" else x
        d = _qualstat._percentile_capability(np.ascontiguousarray(clean), *spec, distribution)
        s = float(np.std(clean, ddof=1)) if len(clean) > 1 else float("nan")
        ppm = d["ppm_expected"]
        res = Capability(
            n=int(d["n"]),  # type: ignore[call-overload]
            mean=float(np.mean(clean)),
            sigma_within=None,
            sigma_overall=s,
            cp=None,
            cpl=None,
            cpu=None,
            cpk=None,
            pp=_nanfloat(d["pp"]),
            ppl=_nanfloat(d["ppl"]),
            ppu=_nanfloat(d["ppu"]),
            ppk=_nanfloat(d["ppk"]),
            cpm=None,
            z_bench_within=None,
            z_bench_overall=None,
            ppm_observed=_observed_ppm(clean, spec[0], spec[1]),
            ppm_within=None,
            ppm_overall=_nanfloat(ppm),
            lsl=spec[0],
            usl=spec[1],
            target=spec[2],
            confidence=float(confidence),
            bound=bound,
            within=None,
            method=f"percentile ({d['distribution']})",
            ad_statistic=float(d["ad_statistic"]),  # type: ignore[arg-type]
            ad_p_value=float(d["ad_p_value"]),  # type: ignore[arg-type]
            distribution=str(d["distribution"]),
            params=d["params"],  # type: ignore[arg-type]
            percentiles=(d["p_low"], d["median"], d["p_high"]),  # type: ignore[arg-type]
            data=clean,
        )
        return res

    if boxcox is None:
        d = _qualstat._capability(*common)
        shown = x
    else:
        if isinstance(boxcox, str):
            mode, value = boxcox, None
        elif isinstance(boxcox, numbers.Real) and not isinstance(boxcox, bool):
            mode, value = "fixed", float(boxcox)
        else:
            raise TypeError(f"boxcox must be 'ml', 'rounded' or a number, got {boxcox!r}")
        d = _qualstat._boxcox_capability(*common, mode, value)
        lam = float(d["lambda"])  # type: ignore[arg-type]
        with np.errstate(all="ignore"):
            shown = np.log(x) if lam == 0 else x**lam
    intervals = {
        k: tuple(d[f"{k}_interval"])  # type: ignore[arg-type]
        for k in _INDICES
        if d[f"{k}_interval"] is not None
    }
    if method == "bootstrap":
        intervals = {}
        for k in _INDICES:
            if d[k] is None:
                continue
            _, lo, hi, _ = _qualstat._bootstrap_interval(
                *common, k, int(resamples), int(seed), _option(bootstrap, "bootstrap")
            )
            intervals[k] = (lo, hi)
    res = Capability(
        **{k: d[k] for k in ("cp", "cpl", "cpu", "cpk", "pp", "ppl", "ppu", "ppk", "cpm")},  # type: ignore[arg-type]
        n=int(d["n"]),  # type: ignore[call-overload]
        mean=float(d["mean"]),  # type: ignore[arg-type]
        sigma_within=float(d["sigma_within"]),  # type: ignore[arg-type]
        sigma_overall=float(d["sigma_overall"]),  # type: ignore[arg-type]
        z_bench_within=float(d["z_bench_within"]),  # type: ignore[arg-type]
        z_bench_overall=float(d["z_bench_overall"]),  # type: ignore[arg-type]
        ppm_observed=float(d["ppm_observed"]),  # type: ignore[arg-type]
        ppm_within=float(d["ppm_within"]),  # type: ignore[arg-type]
        ppm_overall=float(d["ppm_overall"]),  # type: ignore[arg-type]
        lsl=_nanfloat(d["lsl"]),
        usl=_nanfloat(d["usl"]),
        target=_nanfloat(d["target"]),
        confidence=float(confidence),
        bound=bound,
        within=str(d["within"]),
        method="bootstrap " + bootstrap if method == "bootstrap" else "normal",
        ad_statistic=float(d["ad_statistic"]),  # type: ignore[arg-type]
        ad_p_value=float(d["ad_p_value"]),  # type: ignore[arg-type]
        lambda_=None if boxcox is None else float(d["lambda"]),  # type: ignore[arg-type]
        intervals=intervals,  # type: ignore[arg-type]
        data=shown[~np.isnan(shown)],
    )
    return res


def _observed_ppm(x: npt.NDArray[np.float64], lsl: float | None, usl: float | None) -> float:
    out = 0
    if lsl is not None:
        out += int(np.sum(x < lsl))
    if usl is not None:
        out += int(np.sum(x > usl))
    return 1e6 * out / len(x)


def _spec_column(
    arg: Any, name: str, grouped: pl.DataFrame, groups: int
) -> npt.NDArray[np.float64]:
    if arg is None:
        return np.full(groups, np.nan)
    if isinstance(arg, str):
        return grouped[f"_{name}"].cast(pl.Float64).fill_null(np.nan).to_numpy()
    value = _number(arg, name)
    return np.full(groups, np.nan if value is None else value)


def capability_by(
    frame: Any,
    *,
    value: str,
    by: str | Sequence[str],
    lsl: float | str | None = None,
    usl: float | str | None = None,
    target: float | str | None = None,
    subgroup: str | None = None,
    subgroup_size: int | None = None,
    within: str = "auto",
    confidence: float = 0.95,
    bound: str = "two-sided",
    nan_policy: str = "raise",
) -> pl.DataFrame:
    """Capability studies per group, computed in parallel in Rust.

    Parameters
    ----------
    frame : pandas.DataFrame or polars.DataFrame
        One row per measurement.
    value : str
        The measurement column.
    by : str or list of str
        Grouping columns (machine, line, product, period, ...).
    lsl, usl, target : float or str, optional
        A number for all groups, or a column holding each group's
        specification (constant within a group).
    subgroup : str, optional
        Column of subgroup labels within each group; or ``subgroup_size`` for
        consecutive equal subgroups (in frame order within each group).
    within, confidence, bound, nan_policy
        As in :func:`capability`.

    Returns
    -------
    polars.DataFrame
        One row per group (sorted by the keys): the keys, ``n``, ``mean``,
        ``sigma_within``, ``sigma_overall``, every index and its interval
        (``cp_lower``, ``cp_upper``, ...), Z.bench, PPM, the Anderson-Darling
        statistic and p-value, and ``error`` (the message for a group whose
        study failed, whose numbers are then null).

    Examples
    --------
    >>> import polars as pl
    >>> import qualstat as qs
    >>> df = pl.DataFrame({"m": ["a"] * 6 + ["b"] * 6,
    ...                    "x": [1.0, 1.2, 0.9, 1.1, 1.0, 0.8, 2.0, 2.2, 1.9, 2.1, 2.4, 1.8]})
    >>> out = qs.capability_by(df, value="x", by="m", lsl=0.0, usl=3.0)
    >>> out["m"].to_list(), out["n"].to_list()
    (['a', 'b'], [6, 6])
    """
    keys = [by] if isinstance(by, str) else list(by)
    if not keys:
        raise ValueError("by must name at least one column")
    spec_cols = {
        n: a for n, a in (("lsl", lsl), ("usl", usl), ("target", target)) if isinstance(a, str)
    }
    extra = [subgroup] if subgroup is not None else []
    cols = list(dict.fromkeys([*keys, value, *extra, *spec_cols.values()]))
    df = to_polars(frame, cols)
    if subgroup_size is not None and subgroup is not None:
        raise ValueError("give subgroup or subgroup_size, not both")
    df = df.with_row_index("_row").sort([*keys, *extra, "_row"])
    aggs = [pl.len().alias("_n")]
    for name, col in spec_cols.items():
        aggs += [pl.col(col).first().alias(f"_{name}"), pl.col(col).n_unique().alias(f"_{name}_k")]
    grouped = df.group_by(keys, maintain_order=True).agg(aggs)
    for name, col in spec_cols.items():
        if (grouped[f"_{name}_k"] > 1).any():
            raise ValueError(f"{name} column {col!r} must be constant within each group")
    groups = grouped.height
    offsets = np.zeros(groups + 1, dtype=np.int64)
    np.cumsum(grouped["_n"].to_numpy(), out=offsets[1:])
    sub_offsets = None
    if subgroup is not None:
        sub_n = df.group_by([*keys, subgroup], maintain_order=True).agg(pl.len())["len"]
        sub_offsets = np.zeros(len(sub_n) + 1, dtype=np.int64)
        np.cumsum(sub_n.to_numpy(), out=sub_offsets[1:])
    values = df[value].cast(pl.Float64).to_numpy()
    columns, errors = _qualstat._capability_by(
        np.ascontiguousarray(values),
        offsets,
        None if subgroup_size is None else int(subgroup_size),
        sub_offsets,
        _spec_column(lsl, "lsl", grouped, groups),
        _spec_column(usl, "usl", grouped, groups),
        _spec_column(target, "target", grouped, groups),
        _option(within, "within"),
        float(confidence),
        _option(bound, "bound"),
        _option(nan_policy, "nan_policy"),
    )
    out = grouped.select(keys).with_columns(
        [pl.Series(k, v).fill_nan(None) for k, v in columns.items()]
    )
    return out.with_columns(pl.col("n").cast(pl.Int64), pl.Series("error", errors, dtype=pl.String))
