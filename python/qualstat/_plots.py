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
