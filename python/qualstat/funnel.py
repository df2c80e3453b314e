"""Comparing units' rates on a funnel plot, with over-dispersion adjustments.

Each unit (a region, an enterprise) has ``successes`` out of ``trials``; a
funnel plot draws each unit's rate against its size with control limits
around a target that narrow as the size grows. A unit outside the limits
differs from the target beyond chance. Formulas (``reference/supervision_notes.md``
section 6): score limits theta +/- z sqrt(theta (1 - theta) / n), as the UKHSA
(PHE) tools publish them; exact binomial limits with Spiegelhalter's
interpolation; arcsine limits as FunnelPlotR; winsorised z-scores, the
multiplicative factor phi and the additive between-unit variance tau^2
(DerSimonian-Laird style); the PHE five-class significance scheme.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from . import _qualstat
from ._coerce import as_array, is_scalar, option, show
from ._unit_counts import label_text, open_fraction, unit_counts
from ._units import fraction

__all__ = ["Funnel", "funnel"]

_LIMITS = ("score", "exact", "arcsine")
_OVERDISPERSION = ("multiplicative", "additive")


def _level_name(level: float) -> str:
    return f"{level:.10g}"


def _tail_name(level: float) -> str:
    return f"{(1.0 - level) / 2.0:.10g}"


@dataclass(frozen=True, repr=False)
class Funnel:
    """Units' rates against funnel limits around a target.

    ``table`` has one row per unit (input order): ``label``, ``successes``,
    ``trials``, ``rate``, ``z`` (on the limits' scale, before any
    over-dispersion adjustment), ``lower_<level>`` / ``upper_<level>`` at the
    unit's own size for each level, and ``class`` (the PHE scheme: "Low
    (0.001)", "Low (0.025)", "Not significant", "High (0.025)", "High
    (0.001)" for levels 0.998 and 0.95). ``phi`` and ``tau2`` are always
    estimated (NaN for a single unit); the limits use them only when
    ``overdispersion`` asks.

    >>> import qualstat as qs
    >>> f = qs.funnel([45, 90, 170, 20], [50, 100, 200, 40])
    >>> round(f.target, 4)
    0.8333
    >>> f.table["class"].to_list()
    ['Not significant', 'Not significant', 'Not significant', 'Low (0.001)']
    """

    target: float
    phi: float
    tau2: float
    limits_method: str
    levels: tuple[float, ...]
    overdispersion: str | None
    table: pl.DataFrame

    def limits(self, n: Any, level: Any = None) -> tuple[Any, Any]:
        """The (lower, upper) limits at size ``n`` (a number or an array).

        ``level`` defaults to the widest of ``levels``.

        >>> import qualstat as qs
        >>> f = qs.funnel([45, 90, 170, 20], [50, 100, 200, 40])
        >>> lo, up = f.limits(100, 0.95)
        >>> round(lo, 4), round(up, 4)
        (0.7603, 0.9064)
        """
        lev = max(self.levels) if level is None else open_fraction(level, "level")
        scalar = is_scalar(n)
        arr = np.atleast_1d(np.asarray(as_array(n, "n"), dtype=np.float64))
        if arr.ndim != 1:
            raise ValueError(f"n has shape {arr.shape}: expected a number or a 1-D array")
        lower, upper = self._curves(np.ascontiguousarray(arr), lev)
        if scalar:
            return float(lower[0]), float(upper[0])
        return lower, upper

    def _curves(
        self, n: npt.NDArray[np.float64], level: float
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        phi = self.phi if self.overdispersion == "multiplicative" else 1.0
        tau2 = self.tau2 if self.overdispersion == "additive" else 0.0
        tail = (1.0 - level) / 2.0
        lower = _qualstat._funnel_limits(n, self.target, tail, self.limits_method, phi, tau2)
        upper = _qualstat._funnel_limits(n, self.target, 1.0 - tail, self.limits_method, phi, tau2)
        return lower, upper

    def _summary(self) -> str:
        counts = self.table["class"].value_counts(sort=True)
        classes = ", ".join(f"{c}: {k}" for c, k in counts.iter_rows())
        od = "none" if self.overdispersion is None else self.overdispersion
        return (
            f"Funnel({self.table.height} units, target={self.target:.4g}, "
            f"limits={self.limits_method!r}, levels={tuple(round(v, 6) for v in self.levels)}, "
            f"phi={self.phi:.4g}, tau2={self.tau2:.4g}, overdispersion={od}; {classes})"
        )

    def __repr__(self) -> str:
        return self._summary()

    def _repr_html_(self) -> str:
        return f"<div><p>{html.escape(self._summary())}</p>{self.table._repr_html_()}</div>"

    def plot(self, ax: Any = None, *, label_outliers: bool = True) -> Any:
        """Draw the funnel (rates against trials, limit curves); returns the Axes.

        Units outside the widest limits are labelled.
        """
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(7, 4.5))
        t = self.table
        n = t["trials"].to_numpy()
        grid = np.linspace(max(1.0, float(n.min()) * 0.5), float(n.max()) * 1.05, 300)
        if self.limits_method == "exact":
            grid = np.unique(np.round(grid))
        styles = ["--", ":", "-."]
        for j, lev in enumerate(sorted(self.levels)):
            lo, up = self._curves(np.ascontiguousarray(grid), lev)
            style = styles[j % len(styles)]
            ax.plot(grid, lo, style, color="0.3", label=f"{lev:.4g} limits")
            ax.plot(grid, up, style, color="0.3")
        ax.axhline(self.target, color="0.5", lw=1, label=f"target {self.target:.4g}")
        cls = t["class"].to_list()
        colours = [
            "tab:red" if c.startswith("Low") else "tab:blue" if c.startswith("High") else "0.4"
            for c in cls
        ]
        ax.scatter(n, t["rate"].to_numpy(), c=colours, s=18, zorder=3)
        if label_outliers:
            widest = _tail_name(max(self.levels))
            for lab, x, y, c in zip(t["label"].to_list(), n, t["rate"].to_list(), cls, strict=True):
                if c.endswith(f"({widest})"):
                    ax.annotate(
                        str(lab), (x, y), fontsize=7, xytext=(3, 3), textcoords="offset points"
                    )
        ax.set_xlabel("trials")
        ax.set_ylabel("rate")
        ax.legend(fontsize=8)
        return ax


def funnel(
    successes: Any,
    trials: Any,
    *,
    labels: Any = None,
    target: Any = None,
    limits: str = "score",
    levels: Any = (0.95, 0.998),
    overdispersion: str | None = None,
    winsorize: Any = 0.1,
    trim: bool = False,
) -> Funnel:
    """Compare units' rates with funnel limits around a target.

    Parameters
    ----------
    successes, trials : array-like
        One count per unit (``trials > 0``, ``successes <= trials``; non-integer
        counts are accepted for the score and arcsine limits, as in PHE data).
    labels : sequence, optional
        One label per unit (default: the unit's position).
    target : float, optional
        The rate the limits surround, a fraction in (0, 1); default the pooled
        rate sum(successes) / sum(trials).
    limits : {"score", "exact", "arcsine"}
        "score": theta +/- z sqrt(theta (1 - theta) / n) clipped to [0, 1] (the
        UKHSA/PHE "Wilson" funnel); "exact": binomial quantiles with
        Spiegelhalter's interpolation (whole trials; no over-dispersion; where
        n theta (1 - theta) is below about 1 the interpolation, which moves
        within one count, can put a limit on the far side of the target);
        "arcsine": on the asin(sqrt(p)) scale, as FunnelPlotR (the angle is
        clipped to [0, pi/2]; FunnelPlotR's extra smoothing that forces the
        limits to be monotone at small n is not applied).
    levels : sequence of fractions
        Two-sided coverage of each pair of limits (default 95 % and 99.8 %).
    overdispersion : {None, "multiplicative", "additive"}
        Widen the limits by sqrt(phi) or by adding tau^2 to each unit's variance.
    winsorize : float
        Fraction of z-scores at each end set to the quantile (R type 7) before
        phi is estimated (default 0.1).
    trim : bool
        Drop those z-scores instead (the NHS SHMI variant).

    Returns
    -------
    Funnel

    Examples
    --------
    >>> import qualstat as qs
    >>> f = qs.funnel([45, 90, 170, 20], [50, 100, 200, 40], labels=list("ABCD"),
    ...               overdispersion="multiplicative")
    >>> round(f.phi, 3), f.table["class"].to_list()
    (4.719, ['Not significant', 'Not significant', 'Not significant', 'Low (0.025)'])
    """
    x, n, names = unit_counts(successes, trials, labels, whole=False)
    method = option(limits, "limits", _LIMITS)
    od = (
        None
        if overdispersion is None
        else option(overdispersion, "overdispersion", _OVERDISPERSION)
    )
    if od is not None and method == "exact":
        raise ValueError(
            f"overdispersion = {od!r} is invalid with limits = 'exact': expected None "
            "(use limits='score' or 'arcsine' for over-dispersion-adjusted limits)"
        )
    if od is not None and x.size < 2:
        raise ValueError(
            f"successes has 1 unit: overdispersion = {od!r} needs at least 2 units "
            "(phi and tau2 are estimated across units)"
        )
    if method == "exact":
        whole = n != np.floor(n)
        if whole.any():
            i = int(np.argmax(whole))
            raise ValueError(
                f"trials[{i}] ({label_text(names, i)}) = {show(n[i])} is invalid with "
                "limits='exact': expected a whole number"
            )
    if is_scalar(levels) or isinstance(levels, str):
        levels = (levels,)
    levs = tuple(open_fraction(v, "levels") for v in levels)
    if not levs:
        raise ValueError("levels is empty: expected at least one level such as 0.95")
    if len(set(levs)) != len(levs):
        raise ValueError(f"levels = {show(levels)} is invalid: expected distinct levels")
    if not isinstance(winsorize, (int, float, np.floating, np.integer)) or isinstance(
        winsorize, bool
    ):
        raise TypeError(
            f"winsorize = {show(winsorize)} is invalid: expected a fraction in [0, 0.5)"
        )
    wins = float(winsorize)
    if not 0.0 <= wins < 0.5:
        raise ValueError(
            f"winsorize = {show(winsorize)} is invalid: expected a fraction in [0, 0.5)"
        )
    if not isinstance(trim, (bool, np.bool_)):
        raise TypeError(f"trim = {show(trim)} is invalid: expected True or False")
    if target is None:
        theta = float(x.sum() / n.sum())
        if not 0.0 < theta < 1.0:
            raise ValueError(
                f"the pooled rate is {theta:g}: every unit has the same extreme rate, "
                "so there are no funnel limits; give target= in (0, 1)"
            )
    else:
        theta = fraction(target, "target")
        if not 0.0 < theta < 1.0:
            raise ValueError(
                f"target = {show(target)} is invalid: expected a fraction in (0, 1) such as 0.95 "
                'or a percent string such as "95%"'
            )
    rate = x / n
    # z, phi, tau2, the (adjusted) limits and the PHE classes of every unit in Rust,
    # into arrays allocated here (np.empty reuses freed blocks: no page faults)
    z, code = np.empty(x.size), np.empty(x.size, dtype=np.uint8)
    lowers, uppers = np.empty((len(levs), x.size)), np.empty((len(levs), x.size))
    phi, tau2 = _qualstat._funnel(
        x, n, theta, method, list(levs), od, wins, bool(trim), (z, lowers, uppers, code)
    )
    cols: dict[str, Any] = {
        "label": pl.Series("label", names) if names is not None else np.arange(x.size),
        "successes": x,
        "trials": n,
        "rate": rate,
        "z": z,
    }
    for lev, lo, up in zip(levs, lowers, uppers, strict=True):
        cols[f"lower_{_level_name(lev)}"] = lo
        cols[f"upper_{_level_name(lev)}"] = up
    names_cls = ["Not significant"]
    for lev in sorted(levs):  # class codes 2r + 1 (low), 2r + 2 (high), narrowest level r = 0
        tail = _tail_name(lev)
        names_cls += [f"Low ({tail})", f"High ({tail})"]
    cols["class"] = pl.Series("class", names_cls, dtype=pl.String).gather(code)
    table = pl.DataFrame(cols)
    return Funnel(theta, phi, tau2, method, levs, od, table)
