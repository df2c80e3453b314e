"""Curves over quality (OC, AOQ, ASN, ATI) drawn one way for every kind of plan.

Attribute plans (:meth:`qualstat.AttributePlan.plot`) and variables plans call
:func:`quality_plot`; matplotlib is imported only when a plot is drawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from ._units import percent_text


def quality_plot(
    ax: Any,
    p: npt.ArrayLike,
    curves: Sequence[tuple[str, npt.ArrayLike]],
    *,
    ylabel: str,
    xlabel: str = "fraction nonconforming p",
    percent: bool = False,
    aql: float | None = None,
    lq: float | None = None,
) -> Any:
    """Draws curves over the quality ``p`` with a legend; returns the Axes.

    Parameters
    ----------
    ax : matplotlib Axes or None
        Where to draw; a new figure when ``None``.
    p : array-like
        The quality levels (fractions; nonconformities per unit under Poisson).
    curves : sequence of (label, values)
        One curve per pair, drawn against ``p`` and named in the legend.
    ylabel, xlabel : str
        Axis labels.
    percent : bool
        Show ``p`` in percent on the axis (``0.01`` is labelled ``1%``); the
        values stay fractions.
    aql, lq : float, optional
        Quality levels (fractions) to mark with a dashed vertical line,
        labelled "AQL 0.65 %" / "LQ 5 %" in the legend.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from qualstat._plots import quality_plot
    >>> ax = quality_plot(None, [0, 0.01, 0.02], [("plan", [1.0, 0.9, 0.5])],
    ...                   ylabel="probability of acceptance", percent=True, aql=0.01)
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['plan', 'AQL 1 %']
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import PercentFormatter

    if ax is None:
        _, ax = plt.subplots()
    x = np.asarray(p, dtype=np.float64)
    for label, values in curves:
        ax.plot(x, np.asarray(values, dtype=np.float64), label=label)
    for name, level, style in (("AQL", aql, "--"), ("LQ", lq, ":")):
        if level is not None:
            ax.axvline(level, color="grey", linestyle=style, label=f"{name} {percent_text(level)}")
    if percent:
        ax.xaxis.set_major_formatter(PercentFormatter(xmax=1.0))
    ax.set_xlabel(xlabel + (" (%)" if percent else ""))
    ax.set_ylabel(ylabel)
    ax.grid(True, alpha=0.3)
    ax.legend()
    return ax


def forest_plot(
    ax: Any,
    labels: Sequence[str],
    estimate: npt.ArrayLike,
    lower: npt.ArrayLike,
    upper: npt.ArrayLike,
    *,
    label: str,
    xlabel: str,
    points: Sequence[tuple[str, npt.ArrayLike]] = (),
    line: tuple[float, str] | None = None,
) -> Any:
    """Draws one row per unit, first at the top: an estimate with its interval; returns the Axes.

    Parameters
    ----------
    ax : matplotlib Axes or None
        Where to draw; a new figure sized to the number of rows when ``None``.
    labels : sequence of str
        The row labels (y tick labels), top to bottom.
    estimate, lower, upper : array-like
        Per row: the filled marker and its interval limits.
    label, xlabel : str
        The legend entry of the estimates and the x axis label.
    points : sequence of (label, values)
        Further per-row values drawn as open markers on the same rows.
    line : (x, label), optional
        A reference value drawn as a dashed vertical line.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from qualstat._plots import forest_plot
    >>> ax = forest_plot(None, ["A", "B"], [0.8, 0.9], [0.7, 0.85], [0.88, 0.95],
    ...                  label="mean", xlabel="rate", points=[("raw", [0.75, 1.0])],
    ...                  line=(0.85, "prior mean"))
    >>> [t.get_text() for t in ax.get_yticklabels()], [int(y) for y in ax.get_yticks()]
    (['A', 'B'], [1, 0])
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['raw', 'prior mean', 'mean']
    """
    import matplotlib.pyplot as plt

    est = np.asarray(estimate, dtype=np.float64)
    lo = np.asarray(lower, dtype=np.float64)
    hi = np.asarray(upper, dtype=np.float64)
    if ax is None:
        _, ax = plt.subplots(figsize=(6.0, 1.0 + 0.4 * max(est.size, 1)))
    y = np.arange(est.size)[::-1]
    ax.errorbar(
        est, y, xerr=np.vstack([est - lo, hi - est]), fmt="o", capsize=3, label=label, zorder=3
    )
    for name, values in points:
        ax.plot(
            np.asarray(values, dtype=np.float64),
            y,
            linestyle="none",
            marker="o",
            markerfacecolor="none",
            color="0.3",
            label=name,
        )
    ax.set_yticks(y, list(labels))
    ax.set_xlabel(xlabel)
    if line is not None:
        ax.axvline(line[0], linestyle="--", color="0.4", label=line[1])
    ax.legend(loc="best")
    return ax
