"""Process capability: indices, confidence intervals, non-normal data, by group.

Conventions follow Minitab's "Normal Capability Analysis": within sigma by the
pooled standard deviation / c4(d+1) for subgroups and the average moving range
/ d2(2) for individuals; overall sigma the sample standard deviation; Cp and Pp
intervals by chi-square (with the degrees of freedom of the sigma method),
Cpk and Ppk by Bissell, Cpm by Boyles. Non-normal data: the ISO 22514-2
percentile method with a fitted distribution or empirical percentiles, or a
Box-Cox transformation.

Every number comes from one native call (``qualstat._qualstat._capability``,
or ``_capability_by`` for groups); this module checks the arguments and builds
the result object or the DataFrame.

Extreme inputs: Z.bench is evaluated in logarithms where the fraction out of
(or inside) the specification underflows, so it stays finite; an interval is
infinite only on the open side of a one-sided bound (``bound="lower"``: upper
= inf; ``bound="upper"``: lower = 0 for Cp, Pp, Cpm and -inf for the Cpk type).
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import polars as pl

from . import _qualstat
from ._coerce import free_name, integer, option, real, show
from .pass_rates import to_polars
from .proportion import Interval

if TYPE_CHECKING:
    from ._qualstat import _StudyOptions

__all__ = ["Capability", "capability", "capability_by"]

#: The indices of a study, in order.
INDICES = ("cp", "cpl", "cpu", "cpk", "pp", "ppl", "ppu", "ppk", "cpm")

#: Every numeric column :func:`capability_by` can return, in order.
ALL_COLUMNS = (
    "n",
    "mean",
    "sigma_within",
    "sigma_overall",
    *INDICES,
    *(f"{k}_{side}" for k in ("cp", "cpk", "pp", "ppk", "cpm") for side in ("lower", "upper")),
    "z_bench_within",
    "z_bench_overall",
    "ppm_observed",
    "ppm_within",
    "ppm_overall",
    "ad_statistic",
    "ad_p_value",
    "lambda",
    "distribution",
)

#: The default columns of :func:`capability_by` (``columns="main"``).
MAIN_COLUMNS = (
    "n",
    "mean",
    "sigma_within",
    "sigma_overall",
    "cp",
    "cpk",
    "pp",
    "ppk",
    "cpm",
    "cpk_lower",
    "cpk_upper",
    "ppk_lower",
    "ppk_upper",
    "ppm_overall",
)


@dataclass(frozen=True)
class Capability:
    """The result of :func:`capability`: indices, sigmas, PPM and intervals.

    Indices that the specification or the model does not define (Cp and Pp
    with one limit, Cpm without a target, the within indices of a percentile
    study) are ``None``. With a Box-Cox transformation (``model ==
    "box-cox"``) every number is in the transformed units (``lambda_`` says
    which power); ``lsl``, ``usl`` and ``target`` are the transformed limits.
    ``data`` holds the measurements used (NaN omitted, transformed, in
    subgroup order), for :meth:`plot`.

    ``model`` is "normal", "box-cox" or "percentile"; ``distribution`` the
    distribution of the percentile method ("normal" otherwise); ``method``
    how the intervals were computed, "classic" or "bootstrap" (then
    ``bootstrap``, ``resamples`` and ``seed`` say how).

    Examples
    --------
    >>> import qualstat as qs
    >>> x = [10.1, 9.8, 10.3, 10.0, 9.7, 10.2, 9.9, 10.4, 10.0, 9.6]
    >>> res = qs.capability(x, 9.0, 11.0)
    >>> res.model, res.method, res.within
    ('normal', 'classic', 'mr')
    >>> round(res.interval("Cpk").lower, 3)
    0.475
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
    ppm_observed: float
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
    model: str = "normal"
    distribution: str = "normal"
    params: tuple[float, float] | None = None
    percentiles: tuple[float, float, float] | None = None
    lambda_: float | None = None
    bootstrap: str | None = None
    resamples: int | None = None
    seed: int | None = None
    subgroups: int | None = None
    intervals: dict[str, tuple[float, float]] = field(default_factory=dict)
    data: npt.NDArray[np.float64] = field(
        default_factory=lambda: np.empty(0), repr=False, compare=False
    )
    subgroup_sizes: npt.NDArray[np.int64] | None = field(default=None, repr=False, compare=False)

    def interval(self, name: str) -> Interval:
        """The confidence interval of the index ``name`` (case-insensitive).

        Parameters
        ----------
        name : str
            "cp", "cpk", "pp", "ppk" or "cpm" (the indices with an interval).

        Returns
        -------
        Interval
            ``(lower, upper)``; a one-sided bound leaves the other side open.

        Raises
        ------
        ValueError
            For another name, or an index without an interval in this study.

        Examples
        --------
        >>> import qualstat as qs
        >>> res = qs.capability([10.1, 9.8, 10.3, 10.0, 9.7, 10.2], 9.0, 11.0, bound="lower")
        >>> res.interval("CPK").upper
        inf
        """
        key = option(name, "name", INDICES)
        if key not in self.intervals:
            raise ValueError(
                f"{key} has no interval in this study (intervals are given for "
                f"{', '.join(sorted(self.intervals)) or 'no index'})"
            )
        lo, hi = self.intervals[key]
        return Interval(lo, hi)

    def to_dict(self) -> dict[str, Any]:
        """Every attribute but ``data`` and ``subgroup_sizes`` as a dict (intervals as
        ``{name: (lower, upper)}``).

        Examples
        --------
        >>> import qualstat as qs
        >>> d = qs.capability([10.1, 9.8, 10.3, 10.0, 9.7, 10.2], 9.0, 11.0).to_dict()
        >>> d["model"], "data" in d
        ('normal', False)
        """
        out = asdict(self)
        del out["data"], out["subgroup_sizes"]
        return out

    def _how(self) -> str:
        """The model and the intervals, in words (for the reprs)."""
        model = {
            "box-cox": f"Box-Cox model (lambda = {_num(self.lambda_)})",
            "percentile": f"percentile method ({self.distribution})",
        }.get(self.model, "normal model")
        if self.within is not None:
            model += f", within sigma by {self.within}"
        pct = f"{100 * self.confidence:.6g} %"
        if not self.intervals:
            return f"{model}; no intervals"
        if self.method == "bootstrap":
            how = (
                f"bootstrap {self.bootstrap} intervals "
                f"({self.resamples} resamples, seed {self.seed})"
            )
        else:
            how = "classic intervals"
        return f"{model}; {how}, {pct} {self.bound}"

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{k}={_num(getattr(self, k))}" for k in ("cp", "cpk", "pp", "ppk", "cpm")
        )
        return f"Capability(n={self.n}, mean={self.mean:.6g}, {shown}; {self._how()})"

    def _rows(self) -> list[tuple[str, float | None, tuple[float, float] | None]]:
        return [(n, getattr(self, n), self.intervals.get(n)) for n in INDICES]

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
            f"<table><caption>Capability ({html.escape(self._how())}): n = {self.n}, "
            f"mean {self.mean:.6g}{sw}, σ overall {self.sigma_overall:.5g}; "
            f"Anderson–Darling p = {self.ad_p_value:.3g}</caption>"
            f"<tr><th>index</th><th>value</th><th colspan=2>{pct:g}% interval</th></tr>"
            f"{rows}<tr><td>PPM within / overall</td><td colspan=3>"
            f"{f(self.ppm_within)} / {f(self.ppm_overall)}</td></tr></table>"
        )

    def stability(self, rules: Any = "we") -> Any:
        """The stability check the indices assume: the study's data on control charts.

        Subgroups give xbar and R charts (``qs.control.xbar_r``), individual values I
        and MR charts (``qs.control.imr``), with the runs rules ``rules`` (default the
        four Western Electric rules) on the xbar / I chart. Any flagged point says the
        process was not in statistical control, so the within indices do not predict
        its future output. With a Box-Cox model the charts are in transformed units.

        Examples
        --------
        >>> import qualstat as qs
        >>> x = [10.1, 9.8, 10.3, 10.0, 9.7, 10.2, 9.9, 10.4, 10.0, 9.6]
        >>> check = qs.capability(x, 9.0, 11.0).stability()
        >>> check.i.violations.height
        0
        """
        from . import control

        sizes = self.subgroup_sizes
        if sizes is None or bool((sizes == 1).all()):
            return control.imr(self.data, rules=rules)
        groups = np.split(self.data, np.cumsum(sizes)[:-1])
        return control.xbar_r([list(g) for g in groups], rules=rules)

    def sixpack(self, rules: Any = "we") -> Any:
        """A one-call "capability sixpack" figure; returns the matplotlib Figure.

        Panels: the xbar (or I) chart with ``rules``, the R (or MR) chart, the last 25
        subgroups, the histogram with the fitted densities and spec limits
        (:meth:`plot`), a normal probability plot, and the indices.
        """
        import statistics

        import matplotlib.pyplot as plt

        check = self.stability(rules)
        fig, axes = plt.subplots(3, 2, figsize=(11, 9))
        first, second = check.charts
        first.plot(axes[0, 0], lsl=self.lsl, usl=self.usl)
        second.plot(axes[1, 0])
        ax = axes[2, 0]
        sizes = self.subgroup_sizes
        if sizes is None or bool((sizes == 1).all()):
            values = self.data[-25:]
            ax.plot(np.arange(values.size), values, "o", ms=4)
        else:
            groups = np.split(self.data, np.cumsum(sizes)[:-1])[-25:]
            for i, g in enumerate(groups):
                ax.plot(np.full(g.size, i), g, "o", ms=3, color="C0")
        ax.set_title("last 25 subgroups", fontsize=9)
        self.plot(axes[0, 1])
        ax = axes[1, 1]
        x = np.sort(self.data)
        probs = (np.arange(1, x.size + 1) - 0.375) / (x.size + 0.25)  # Blom positions
        q = np.array([statistics.NormalDist().inv_cdf(p) for p in probs])
        ax.plot(q, x, "o", ms=3)
        ax.plot(q, self.mean + self.sigma_overall * q, color="C1")
        ax.set_xlabel("normal quantile")
        ax.set_title(f"normal probability plot (AD p = {self.ad_p_value:.3g})", fontsize=9)
        ax = axes[2, 1]
        ax.axis("off")
        text = "\n".join(f"{n}: {v:.3f}" for n, v, _ in self._rows() if v is not None)
        flagged = first.violations.height
        text += f"\n\nstability: {flagged} point(s) flagged on the {first.name} chart"
        ax.text(0.02, 0.98, text, va="top", family="monospace", fontsize=9)
        fig.tight_layout()
        return fig

    def plot(self, ax: Any = None) -> Any:
        """Histogram with the fitted density, spec limits, target and the indices.

        Parameters
        ----------
        ax : matplotlib Axes, optional
            Where to draw (a new figure when omitted).

        Returns
        -------
        matplotlib.axes.Axes
            matplotlib is imported here, not at import time; ``show()`` is not called.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import qualstat as qs
        >>> ax = qs.capability([10.1, 9.8, 10.3, 10.0, 9.7, 10.2], 9.0, 11.0).plot()
        >>> len(ax.get_lines()) > 0
        True
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


def _num(v: float | None) -> str:
    return "None" if v is None else f"{v:.4g}"


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


_FIELDS = tuple(f.name for f in fields(Capability) if f.name != "subgroup_sizes")


def _data(data: Any) -> npt.NDArray[np.float64]:
    if isinstance(data, np.ma.MaskedArray):
        raise TypeError(
            "data is a masked array: fill the masked values with NaN "
            "(data.filled(np.nan)) and pass nan_policy='omit'"
        )
    if hasattr(data, "to_numpy") and not isinstance(data, np.ndarray):
        data = data.to_numpy()
    try:
        arr = np.asarray(data)
    except ValueError:
        raise ValueError(
            f"data = {show(data)} is invalid: expected a flat sequence of numbers"
        ) from None
    if arr.dtype == object or arr.dtype.kind not in "iuf":
        raise TypeError(f"data must hold numbers, got an array of dtype {arr.dtype}")
    if arr.ndim != 1:
        raise ValueError(f"data must be one-dimensional, got shape {arr.shape}")
    return np.ascontiguousarray(arr, dtype=np.float64)


def _limit(value: Any, name: str) -> float | None:
    """A specification value: None, or a finite number (NaN is not "absent")."""
    if value is None:
        return None
    x = real(value, name)
    if not math.isfinite(x):
        raise ValueError(
            f"{name} = {x} is invalid: expected a finite number (omit {name} for no limit)"
        )
    return x


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


def _options(
    within: Any,
    confidence: Any,
    bound: Any,
    nan_policy: Any,
    distribution: Any,
    boxcox: Any,
    method: Any,
    bootstrap: Any,
    resamples: Any,
    seed: Any,
) -> _StudyOptions:
    """The study options as the native module takes them (names checked there)."""
    rule, lam = None, None
    if isinstance(boxcox, str):
        rule = boxcox
    elif boxcox is not None:
        try:
            lam = real(boxcox, "boxcox")
        except TypeError:
            raise TypeError(
                f"boxcox = {show(boxcox)} is invalid: expected 'ml', 'rounded' or a number"
            ) from None
    return {
        "within": option(within, "within"),
        "confidence": real(confidence, "confidence"),
        "bound": option(bound, "bound"),
        "nan_policy": option(nan_policy, "nan_policy"),
        "distribution": option(distribution, "distribution"),
        "boxcox_rule": rule,
        "boxcox_lambda": lam,
        "method": option(method, "method"),
        "bootstrap": option(bootstrap, "bootstrap"),
        "resamples": integer(resamples, "resamples", minimum=0),
        "seed": integer(seed, "seed", minimum=0, maximum=2**64 - 1),
    }


def capability(
    data: Any,
    lsl: float | None = None,
    usl: float | None = None,
    *,
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
    lsl, usl : float, optional
        Specification limits (at least one; positional after ``data``).
    target : float, optional
        Target (needed for Cpm).
    subgroup_size : int, optional
        Consecutive subgroups of this size (it must divide the number of values).
    subgroups : array-like, optional
        A subgroup label per value (unequal sizes allowed).
    within : str
        Within-sigma estimator: "auto" (pooled SD for subgroups, average moving
        range for individuals), "pooled", "rbar", "sbar", "mr", "median_mr".
    confidence : float
        Confidence level of the intervals, a fraction in (0, 1).
    bound : str
        "two-sided" intervals, or a one-sided "lower" bound (upper = inf) or
        "upper" bound (lower = 0 for Cp, Pp, Cpm; -inf for the Cpk type).
    nan_policy : str
        "raise" (NaN is an error) or "omit" (NaN values are dropped).
    distribution : str
        "normal" (the classical study), or the ISO 22514-2 percentile method
        with "lognormal", "weibull", "gamma" fitted by maximum likelihood
        ("auto": the one of these and the normal with the smallest
        Anderson-Darling statistic) or "nonparametric" (empirical type-6
        percentiles). The percentile method gives overall indices only (Pp,
        Ppl, Ppu, Ppk), without intervals.
    boxcox : "ml", "rounded" or float, optional
        Box-Cox transform the data (and limits) first: lambda by maximum
        likelihood, rounded to a multiple of 0.5 (Minitab's default), or given.
    method : str
        "classic" intervals (chi-square, Bissell, Boyles) or "bootstrap"
        (normal model only).
    bootstrap : str
        "bca" or "percentile" (with ``method="bootstrap"``).
    resamples : int
        Bootstrap resamples, 100 to 1,000,000 (every index comes from the
        same resamples).
    seed : int
        Bootstrap seed, a non-negative integer (results are reproducible for a
        seed, whatever the number of threads).

    Returns
    -------
    Capability

    Raises
    ------
    ValueError
        Naming the argument: too few values, zero spread, NaN (unless
        ``nan_policy="omit"``), no or crossed limits, an unknown option, ...
    TypeError
        For an argument of the wrong type (``within=5``, ``seed="5"``).

    Examples
    --------
    >>> import numpy as np
    >>> import qualstat as qs
    >>> x = np.array([74.03, 74.002, 74.019, 73.992, 74.008, 73.995, 73.992, 74.001,
    ...               74.011, 74.004, 73.988, 74.024, 74.021, 74.005, 74.002])
    >>> res = qs.capability(x, 73.95, 74.05, subgroup_size=5)
    >>> round(res.cp, 3), res.interval("cpk").lower < res.cpk
    (1.275, True)
    >>> boot = qs.capability(x, 73.95, 74.05, method="bootstrap", resamples=1000, seed=1)
    >>> boot.method, boot.bootstrap, boot.cpk == qs.capability(x, 73.95, 74.05).cpk
    ('bootstrap', 'bca', True)
    """
    x = _data(data)
    spec = (_limit(lsl, "lsl"), _limit(usl, "usl"), _limit(target, "target"))
    opts = _options(
        within, confidence, bound, nan_policy, distribution, boxcox, method, bootstrap,
        resamples, seed,
    )  # fmt: skip
    if subgroup_size is not None and subgroups is not None:
        raise ValueError("give subgroup_size or subgroups, not both")
    size = None if subgroup_size is None else integer(subgroup_size, "subgroup_size", minimum=1)
    sizes = None
    if subgroups is not None:
        order, sizes = _subgroup_order(subgroups, len(x))
        x = np.ascontiguousarray(x[order])
    d = _qualstat._capability(x, size, sizes, *spec, opts)
    res = Capability(**{k: d[k] for k in _FIELDS})  # type: ignore[arg-type]
    if size is not None:
        sizes = np.full(len(x) // size, size, dtype=np.int64)
    if sizes is not None and int(sizes.sum()) == len(res.data):
        res = replace(res, subgroup_sizes=sizes)
    return res


def _spec_column(
    arg: Any, name: str, grouped: pl.DataFrame, groups: int
) -> npt.NDArray[np.float64]:
    """One value per group (NaN = no limit) from a number or a column name."""
    if isinstance(arg, str):
        col = grouped[f"_{name}"].cast(pl.Float64)
        bad = col.is_nan() | col.is_infinite()
        if bad.any():
            g = int(bad.arg_true()[0])
            raise ValueError(
                f"{name} column {arg!r} is invalid in group {g}: value {col[g]}, expected a "
                "finite number (a null means no limit)"
            )
        return col.fill_null(np.nan).to_numpy()
    value = _limit(arg, name)
    return np.full(groups, np.nan if value is None else value)


def _columns(columns: Any, distribution: str, boxcox: Any) -> list[str]:
    """The output columns: "main", "all" or a list of names."""
    if isinstance(columns, str):
        key = option(columns, "columns", ("main", "all"))
        if key == "all":
            return list(ALL_COLUMNS)
        extra = [
            *(["distribution"] if distribution.lower() != "normal" else []),
            *(["lambda"] if boxcox is not None else []),
        ]
        return [*MAIN_COLUMNS, *extra]
    if not isinstance(columns, Sequence):
        raise TypeError(f"columns = {show(columns)} is invalid: expected 'main', 'all' or names")
    return [option(c, "columns", ALL_COLUMNS) for c in columns]


def _group_layout(
    df: pl.DataFrame, keys: list[str], subgroups: str | None
) -> tuple[pl.DataFrame, npt.NDArray[np.int64], npt.NDArray[np.int64] | None]:
    """Rows sorted by group (then subgroup), the group offsets and the subgroup offsets."""
    extra = [subgroups] if subgroups is not None else []
    row = free_name("_row", df.columns)
    df = df.with_row_index(row).sort([*keys, *extra, row])
    size = free_name("_len", df.columns)
    sizes = df.group_by(keys, maintain_order=True).agg(pl.len().alias(size))[size].to_numpy()
    offsets = np.zeros(len(sizes) + 1, dtype=np.int64)
    np.cumsum(sizes, out=offsets[1:])
    sub_offsets = None
    if subgroups is not None:
        sub = df.group_by([*keys, subgroups], maintain_order=True).agg(pl.len().alias(size))
        sub_n = sub[size]
        sub_offsets = np.zeros(len(sub_n) + 1, dtype=np.int64)
        np.cumsum(sub_n.to_numpy(), out=sub_offsets[1:])
    return df, offsets, sub_offsets


def capability_by(
    frame: Any,
    *,
    value: str,
    by: str | Sequence[str],
    lsl: float | str | None = None,
    usl: float | str | None = None,
    target: float | str | None = None,
    subgroups: str | None = None,
    subgroup: str | None = None,
    subgroup_size: int | None = None,
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
    columns: str | Sequence[str] = "main",
) -> pl.DataFrame:
    """Capability studies per group, computed in parallel in Rust.

    Each group's numbers are those of :func:`capability` on its rows with the
    same options (a bootstrap uses the same seed in every group).

    Parameters
    ----------
    frame : pandas.DataFrame, polars.DataFrame or polars.LazyFrame
        One row per measurement. (A Dask DataFrame:
        :func:`qualstat.dask.capability_by`.)
    value : str
        The measurement column.
    by : str or list of str
        Grouping columns (machine, line, product, period, ...). No column of
        the call (``by``, ``value``, ``subgroups``, a limit's column) may have a
        name starting with ``_``: those name the working columns; nor may a
        grouping column be named like a result column (of ``columns``, or
        ``error``).
    lsl, usl, target : float or str, optional
        A number for all groups, or a column holding each group's
        specification (constant within a group; a null means no limit).
    subgroups : str, optional
        Column of subgroup labels within each group (``subgroup`` is accepted
        too); or ``subgroup_size`` for consecutive equal subgroups (in frame
        order within each group).
    within, confidence, bound, nan_policy, distribution, boxcox, method, bootstrap, resamples, seed
        As in :func:`capability`.
    columns : "main", "all" or list of str
        The result columns besides the keys and ``error``: "main" (n, mean,
        the sigmas, Cp, Cpk, Pp, Ppk, Cpm, the Cpk and Ppk intervals and the
        expected overall PPM; plus ``distribution`` for a percentile study and
        ``lambda`` with Box-Cox), "all" (every index and interval, Z.bench,
        PPM observed, within and overall, the Anderson-Darling statistic and
        p-value, lambda and distribution), or a list of those names.

    Returns
    -------
    polars.DataFrame
        One row per group (sorted by the keys): the keys, the chosen columns
        and ``error`` (the message for a group whose study failed, whose
        numbers are then null).

    Examples
    --------
    >>> import polars as pl
    >>> import qualstat as qs
    >>> df = pl.DataFrame({"m": ["a"] * 6 + ["b"] * 6,
    ...                    "x": [1.0, 1.2, 0.9, 1.1, 1.0, 0.8, 2.0, 2.2, 1.9, 2.1, 2.4, 1.8]})
    >>> out = qs.capability_by(df, value="x", by="m", lsl=0.0, usl=3.0)
    >>> out["m"].to_list(), out["n"].to_list()
    (['a', 'b'], [6, 6])
    >>> qs.capability_by(df, value="x", by="m", lsl=0.0, usl=3.0, columns=["cpk"]).columns
    ['m', 'cpk', 'error']
    """
    job = _CapabilityBy(
        value, by, lsl, usl, target, subgroups, subgroup, subgroup_size, columns,
        _options(
            within, confidence, bound, nan_policy, distribution, boxcox, method, bootstrap,
            resamples, seed,
        ),
        boxcox,
    )  # fmt: skip
    return job.run(to_polars(frame, job.columns))


class _CapabilityBy:
    """A :func:`capability_by` call with its arguments checked: the frame
    columns it reads, the study of an in-memory frame (:meth:`run`) and the
    result table from the native columns (:meth:`table`)."""

    def __init__(
        self,
        value: Any,
        by: Any,
        lsl: Any,
        usl: Any,
        target: Any,
        subgroups: Any,
        subgroup: Any,
        subgroup_size: Any,
        columns: Any,
        opts: _StudyOptions,
        boxcox: Any,
    ) -> None:
        keys = [by] if isinstance(by, str) else list(by)
        if not keys or not all(isinstance(k, str) for k in keys):
            raise ValueError(
                f"by = {show(by)} is invalid: expected a column name or a list of them"
            )
        if not isinstance(value, str):
            raise TypeError(f"value = {show(value)} is invalid: expected a column name")
        if subgroups is not None and subgroup is not None and subgroups != subgroup:
            raise ValueError("give subgroups or its alias subgroup, not both")
        sub_col = subgroups if subgroups is not None else subgroup
        if sub_col is not None and not isinstance(sub_col, str):
            raise TypeError(f"subgroups = {show(sub_col)} is invalid: expected a column name")
        if subgroup_size is not None and sub_col is not None:
            raise ValueError("give subgroups or subgroup_size, not both")
        self.size = (
            None if subgroup_size is None else integer(subgroup_size, "subgroup_size", minimum=1)
        )
        self.keys, self.value, self.sub_col, self.opts = keys, value, sub_col, opts
        self.wanted = _columns(columns, opts["distribution"], boxcox)
        self.specs = {"lsl": lsl, "usl": usl, "target": target}
        for name, arg in self.specs.items():
            if not isinstance(arg, str):
                _limit(arg, name)
        self.spec_cols = {n: a for n, a in self.specs.items() if isinstance(a, str)}
        extra = [sub_col] if sub_col is not None else []
        self.columns = list(dict.fromkeys([*keys, value, *extra, *self.spec_cols.values()]))
        # The working columns (here and in qualstat.dask) are named "_..." after the
        # specification, so a column of the study may not be: refused, named.
        named = {"by": keys, "value": [value], "subgroups": extra, **self.spec_cols}
        for argument, used in named.items():
            for column in [used] if isinstance(used, str) else used:
                if column.startswith("_"):
                    raise ValueError(
                        f"{argument} = {column!r} is invalid: a column name starting with '_' "
                        "is kept for capability_by's working columns; rename the column"
                    )
        # The result holds the keys beside the chosen columns and ``error``: a key named
        # like one of those would be overwritten by it (the groups then unnamed), so refused.
        for key in keys:
            if key in self.wanted or key == "error":
                raise ValueError(
                    f"by = {key!r} is invalid: the result has a column {key!r} of its own "
                    "(the keys, then the chosen columns and 'error'); rename the group column"
                )

    def groups(self, df: pl.DataFrame) -> pl.DataFrame:
        """The keys of ``df`` (in the order of :func:`_group_layout`) with each
        group's specification columns, checked to be constant in the group."""
        aggs = [pl.len().alias("_n")]
        for name, col in self.spec_cols.items():
            aggs += [
                pl.col(col).first().alias(f"_{name}"),
                pl.col(col).n_unique().alias(f"_{name}_k"),
            ]
        grouped = df.group_by(self.keys, maintain_order=True).agg(aggs)
        for name, col in self.spec_cols.items():
            if (grouped[f"_{name}_k"] > 1).any():
                raise ValueError(f"{name} column {col!r} must be constant within each group")
        return grouped

    def spec_arrays(
        self, grouped: pl.DataFrame
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """LSL, USL and target per group (NaN = none)."""
        n = grouped.height
        lsl, usl, target = (_spec_column(self.specs[k], k, grouped, n) for k in self.specs)
        return lsl, usl, target

    def run(self, df: pl.DataFrame) -> pl.DataFrame:
        """The studies of the groups of an in-memory frame."""
        df, offsets, sub_offsets = _group_layout(df, self.keys, self.sub_col)
        grouped = self.groups(df)
        native = _qualstat._capability_by(
            np.ascontiguousarray(df[self.value].cast(pl.Float64).to_numpy()),
            offsets,
            self.size,
            sub_offsets,
            *self.spec_arrays(grouped),
            self.opts,
        )
        return self.table(grouped.select(self.keys), *native)

    def table(
        self,
        keys: pl.DataFrame,
        numeric: dict[str, npt.NDArray[np.float64]],
        distributions: list[str | None],
        errors: list[str | None],
    ) -> pl.DataFrame:
        """The result table: the keys, the chosen columns and ``error``."""
        out = []
        for name in self.wanted:
            if name == "distribution":
                out.append(pl.Series(name, distributions, dtype=pl.String))
            elif name == "n":
                out.append(pl.Series(name, numeric[name]).fill_nan(None).cast(pl.Int64))
            else:
                out.append(pl.Series(name, numeric[name]).fill_nan(None))
        return keys.with_columns(*out, pl.Series("error", errors, dtype=pl.String))
