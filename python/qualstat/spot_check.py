"""The spot-check report: judge, compare and rank units' pass rates in one call.

:func:`spot_check_report` aggregates inspection records by unit (region,
product, enterprise) and puts together what the supervision functions give
one at a time: the pass rates with their intervals and target verdicts
(:func:`qualstat.pass_rates`), the funnel classes (:func:`qualstat.funnel`),
the shrunk (empirical-Bayes) rates (:func:`qualstat.shrink`) and the rank
intervals (:func:`qualstat.rank_intervals`), with a forest plot, a funnel
plot, the trend over periods, a plain-language summary and a self-contained
HTML file. Every number in the report is the number the standalone function
gives on the same counts. Formulas and sources: ``reference/supervision_notes.md``
section 6.
"""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from . import _report_html
from ._coerce import free_name, integer, key_text, option, show
from ._unit_counts import open_fraction
from ._units import percent_text
from .funnel import Funnel, funnel
from .pass_rates import (
    ABOVE,
    BELOW,
    _check_records,
    _column_name,
    _keys,
    _TargetTests,
    pass_rates,
    to_polars,
)
from .supervision import Shrinkage, rank_intervals, shrink

__all__ = ["SpotCheckReport", "spot_check_report"]

# Columns of the report's tables; a grouping column may not take one of these names.
_RESERVED = (
    "label",
    "passed",
    "inspected",
    "rate",
    "lower",
    "upper",
    "p_value",
    "p_adjusted",
    "verdict",
    "successes",
    "trials",
    "z",
    "class",
    "posterior_mean",
    "credible_lower",
    "credible_upper",
    "rank_median",
    "rank_lower",
    "rank_upper",
    "p_top_quarter",
    "p_bottom_quarter",
    "p_upper_half",
)
# Canonical names of the target-test options (aliases as in the native module).
_ADJUST_NAMES = {
    "holm": "holm",
    "bonferroni": "bonferroni",
    "hochberg": "hochberg",
    "simes_hochberg": "hochberg",
    "bh": "bh",
    "fdr_bh": "bh",
    "benjamini_hochberg": "bh",
    "by": "by",
    "fdr_by": "by",
    "benjamini_yekutieli": "by",
}
_TEST_NAMES = {"exact": "exact", "mid_p": "mid_p", "score": "score"}
_TEST_WORDS = {"exact": "exact binomial", "mid_p": "mid-p", "score": "score"}
_SIDE_WORDS = {"less": "one-sided", "greater": "one-sided", "two-sided": "two-sided"}
_ADJUST_WORDS = {
    "holm": "Holm-adjusted",
    "bonferroni": "Bonferroni-adjusted",
    "hochberg": "Hochberg-adjusted",
    "bh": "Benjamini-Hochberg-adjusted",
    "by": "Benjamini-Yekutieli-adjusted",
}
# How many units the summary names in a list, and at the top and bottom of the ranking.
_NAMED = 8
_ENDS = 3


def _names(frame: pl.DataFrame, detail: bool = True) -> str:
    """Units named in a sentence: 'P03 (80.0 %, 12 of 15), ...', at most _NAMED of them."""
    items = []
    for row in frame.head(_NAMED).iter_rows(named=True):
        text = str(row["label"])
        if detail:
            rate = _report_html.percent(row["rate"])
            text += f" ({rate}, {row['passed']:,} of {row['inspected']:,})"
        items.append(text)
    more = frame.height - len(items)
    return ", ".join(items) + (f" and {more} more" if more > 0 else "")


@dataclass(frozen=True, repr=False)
class SpotCheckReport:
    """Units' spot-check pass rates judged, compared and ranked (see :func:`spot_check_report`).

    Attributes
    ----------
    by : tuple of str
        The grouping columns: one unit per combination of their values.
    period, latest : str or None, and the latest period's value
        The period column and the period the unit analyses are for (``None``
        without ``period=``).
    target, confidence : float
        The target pass rate (``None`` when not given) and the confidence
        level, as fractions.
    alternative, adjust, test : str
        The target tests' options (``adjust`` ``None`` when unadjusted).
    method : str
        The confidence interval method of the pass rates.
    rank_prior : str
        The prior of the rank draws: ``"eb"`` or ``"jeffreys"`` (also after
        the fallback from ``"eb"``).
    units : polars.DataFrame
        One row per unit (sorted by the ``by`` columns): the keys, ``label``,
        ``passed``, ``inspected``, ``rate``, ``lower``, ``upper`` (confidence
        interval), ``p_value``, ``p_adjusted``, ``verdict`` (with a target),
        ``z``, ``class`` (funnel), ``posterior_mean``, ``credible_lower``,
        ``credible_upper`` (shrinkage), ``rank_median``, ``rank_lower``,
        ``rank_upper``, ``p_upper_half`` (ranks). A column a fallback left
        empty holds nulls.
    rates : polars.DataFrame
        :func:`qualstat.pass_rates` of the (latest period's) records by unit.
    funnel : Funnel or None
        :func:`qualstat.funnel` of the units; its table starts with the keys.
        ``None`` when every unit passed every check (or failed every one).
    shrinkage : Shrinkage or None
        :func:`qualstat.shrink` (method "mle") of the units; its table starts
        with the keys. ``None`` when no beta prior can be fitted (see Notes
        of :func:`spot_check_report`).
    ranks : polars.DataFrame
        :func:`qualstat.rank_intervals` of the units, keys first.
    trend : polars.DataFrame or None
        With ``period=``: :func:`qualstat.pass_rates` per unit and period
        (target tests adjusted within each period), sorted by keys and period.
    notes : tuple of str
        The fallbacks taken, in words.
    """

    by: tuple[str, ...]
    period: str | None
    latest: Any
    target: float | None
    confidence: float
    alternative: str
    adjust: str | None
    test: str
    method: str
    rank_prior: str
    units: pl.DataFrame
    rates: pl.DataFrame
    funnel: Funnel | None
    shrinkage: Shrinkage | None
    ranks: pl.DataFrame
    trend: pl.DataFrame | None
    notes: tuple[str, ...]

    # -- words -------------------------------------------------------------

    def _title(self) -> str:
        where = f", period {self.latest}" if self.period is not None else ""
        return f"Spot-check report by {', '.join(self.by)}{where}"

    def _test_words(self) -> str:
        adjusted = (
            "unadjusted" if self.adjust is None else _ADJUST_WORDS.get(self.adjust, self.adjust)
        )
        return (
            f"{_TEST_WORDS[self.test]} {_SIDE_WORDS[self.alternative]} tests, {adjusted}, "
            f"at the {percent_text(1.0 - self.confidence)} level"
        )

    @property
    def summary(self) -> list[str]:
        """The findings in plain words, one sentence per item.

        How many units are credibly below (or above) the target, the funnel
        outliers, the highest and lowest ranked units with their rank
        intervals, and what the shrinkage did.
        """
        u = self.units
        k = u.height
        x, n = int(u["passed"].sum()), int(u["inspected"].sum())
        lines = [
            f"{k:,} units: {x:,} of {n:,} checks passed ({_report_html.percent(x / n)} overall)."
        ]
        if self.target is not None:
            t = percent_text(self.target)
            below = u.filter(pl.col("verdict") == BELOW).sort("rate")
            text = f"{below.height} of {k} units credibly below the {t} target"
            if below.height:
                text += f": {_names(below)}"
            lines.append(f"{text} ({self._test_words()}).")
            if self.alternative != "less":
                above = u.filter(pl.col("verdict") == ABOVE).sort("rate", descending=True)
                text = f"{above.height} of {k} units credibly above the target"
                lines.append(f"{text}: {_names(above)}." if above.height else f"{text}.")
        if self.funnel is not None:
            f = self.funnel
            widest = max(f.levels)
            tail = f"{(1.0 - widest) / 2.0:.10g}"
            low = u.filter(pl.col("class") == f"Low ({tail})").sort("rate")
            high = u.filter(pl.col("class") == f"High ({tail})").sort("rate", descending=True)
            limits = f"the {percent_text(widest)} limits"
            if low.height + high.height == 0:
                found = f"no unit outside {limits}"
            else:
                below_names = "none" if low.height == 0 else _names(low, detail=False)
                above_names = "none" if high.height == 0 else _names(high, detail=False)
                found = f"below {limits}: {below_names}; above them: {above_names}"
            lines.append(
                f"Funnel ({f.limits_method} limits around the pooled rate "
                f"{_report_html.percent(f.target)}): {found}"
                + (f" (over-dispersion phi = {f.phi:.3g})." if np.isfinite(f.phi) else ".")
            )
        order = u.sort(["rank_median", "rank_lower", "label"])
        level = percent_text(self.confidence)

        def ranked(rows: pl.DataFrame) -> str:
            return ", ".join(
                f"{r['label']} (rank {r['rank_median']}, {level} interval "
                f"{r['rank_lower']}-{r['rank_upper']})"
                for r in rows.iter_rows(named=True)
            )

        ends = min(_ENDS, k // 2)
        lines.append(f"Highest pass rates (rank 1 = highest): {ranked(order.head(ends))}.")
        lines.append(f"Lowest: {ranked(order.tail(ends).reverse())}.")
        if self.shrinkage is not None:
            s = self.shrinkage
            d = free_name("_d", u.columns)
            moved = u.with_columns((pl.col("posterior_mean") - pl.col("rate")).abs().alias(d))
            r = moved.sort(d, descending=True).row(0, named=True)
            lines.append(
                f"Shrunk rates: units are pulled towards {_report_html.percent(s.prior_mean)} "
                f"(beta prior alpha = {s.alpha:.3g}, beta = {s.beta:.3g}), the fewer checks "
                f"the more; most: {r['label']}, from {_report_html.percent(r['rate'])} "
                f"({r['passed']:,} of {r['inspected']:,}) to "
                f"{_report_html.percent(r['posterior_mean'])}."
            )
        lines.extend(self.notes)
        return lines

    def __repr__(self) -> str:
        target = "no target" if self.target is None else (f"target {percent_text(self.target)}")
        head = f"SpotCheckReport({self._title()[len('Spot-check report ') :]}; {target})"
        return "\n".join([head, *(f"- {line}" for line in self.summary)])

    # -- figures -------------------------------------------------------------

    def plot(self, ax: Any = None) -> Any:
        """The forest plot (:meth:`forest_plot`); returns the Axes."""
        return self.forest_plot(ax)

    def forest_plot(self, ax: Any = None) -> Any:
        """Each unit's pass rate with its confidence interval, best at the top; returns the Axes.

        Open markers are the shrunk rates (posterior means) when there are
        any; the target is a dashed line; units credibly below the target
        have red labels.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import polars as pl
        >>> import qualstat as qs
        >>> df = pl.DataFrame({"unit": list("ABCD"), "ok": [19, 58, 90, 30],
        ...                    "n": [20, 60, 100, 40]})
        >>> ax = qs.spot_check_report(df, passed="ok", inspected="n", by="unit",
        ...                           draws=500).forest_plot()
        >>> [t.get_text() for t in ax.get_yticklabels()]
        ['B', 'A', 'C', 'D']
        """
        from ._plots import forest_plot

        key = "rate" if self.shrinkage is None else "posterior_mean"
        u = self.units.sort(key, descending=True, maintain_order=True)
        points = [] if self.shrinkage is None else [("shrunk rate", u["posterior_mean"])]
        line = None
        if self.target is not None:
            line = (self.target, f"target {percent_text(self.target)}")
        level = percent_text(self.confidence)
        ax = forest_plot(
            ax,
            [str(v) for v in u["label"].to_list()],
            u["rate"].to_numpy(),
            u["lower"].to_numpy(),
            u["upper"].to_numpy(),
            label=f"pass rate and {level} interval",
            xlabel="pass rate (fraction)",
            points=points,
            line=line,
        )
        if self.target is not None:
            flagged = (u["verdict"] == BELOW).to_list()
            for tick, below in zip(ax.get_yticklabels(), flagged, strict=True):
                if below:
                    tick.set_color("tab:red")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=3, fontsize=8)
        ax.set_title("Pass rates" + ("" if self.target is None else " (red: below target)"))
        return ax

    def funnel_plot(self, ax: Any = None) -> Any:
        """The funnel plot (:meth:`qualstat.Funnel.plot`) around the pooled rate, with the target.

        The target is a red dashed line.

        Returns the Axes; a ``ValueError`` when there is no funnel (every
        unit passed every check).
        """
        if self.funnel is None:
            raise ValueError(
                "this report has no funnel: every unit has the same extreme rate (see notes)"
            )
        ax = self.funnel.plot(ax)
        ax.set_xlabel("checks (trials)")
        ax.set_ylabel("pass rate (fraction)")
        centre = f"target {self.funnel.target:.4g}"  # Funnel.plot's name of its centre line
        for line in ax.get_lines():
            if line.get_label() == centre:
                line.set_label(f"pooled rate {_report_html.percent(self.funnel.target)}")
        if self.target is not None:
            label = f"target {percent_text(self.target)}"
            ax.axhline(self.target, color="tab:red", lw=1, ls="--", label=label)
        ax.legend(fontsize=8)
        ax.set_title("Funnel plot: pass rate against checks")
        return ax

    def trend_plot(self, *, max_units: int = 24, figure: Any = None) -> Any:
        """Small multiples: each unit's pass rate and interval over the periods; returns the Figure.

        With more than ``max_units`` units, the ``max_units`` with the lowest
        latest rate (shrunk when there is a shrinkage) are drawn, lowest
        first. Points credibly below the target (that period's tests) are red.
        """
        if self.trend is None or self.period is None:
            raise ValueError("this report has no trend: give period= (a column of periods)")
        limit = integer(max_units, "max_units", minimum=1)
        key = "rate" if self.shrinkage is None else "posterior_mean"
        chosen = self.units
        if chosen.height > limit:
            chosen = chosen.sort(key, maintain_order=True).head(limit)
        periods = self.trend.select(self.period).unique().sort(self.period)[self.period]
        position = {p: i for i, p in enumerate(periods.to_list())}
        if figure is None:
            import matplotlib.pyplot as plt

            figure = plt.figure()
        columns = min(4, chosen.height)
        rows = -(-chosen.height // columns)
        figure.set_size_inches(3.0 * columns, 2.2 * rows + 0.6)
        axes = figure.subplots(rows, columns, sharex=True, sharey=True, squeeze=False)
        trend = self.trend.join(chosen.select([*self.by, "label"]), on=list(self.by))
        for ax, label in zip(axes.flat, chosen["label"].to_list(), strict=False):
            t = trend.filter(pl.col("label") == label)
            xs = np.array([position[p] for p in t[self.period].to_list()], dtype=float)
            rate = t["rate"].to_numpy()
            err = np.vstack([rate - t["lower"].to_numpy(), t["upper"].to_numpy() - rate])
            ax.errorbar(xs, rate, yerr=err, fmt="o-", ms=3, lw=1, capsize=2, color="tab:blue")
            if self.target is not None:
                ax.axhline(self.target, color="tab:red", lw=0.8, ls="--")
                below = (t["verdict"] == BELOW).to_numpy()
                ax.plot(xs[below], rate[below], "o", color="tab:red", ms=5, zorder=3)
            ax.set_title(str(label), fontsize=9)
            ax.grid(True, alpha=0.3)
        for ax in axes.flat[chosen.height :]:
            ax.set_visible(False)
        labels = [str(p) for p in periods.to_list()]
        for ax in axes[-1]:
            ax.set_xticks(range(len(labels)), labels, rotation=45, ha="right", fontsize=7)
        shown = (
            ""
            if chosen.height == self.units.height
            else f" ({chosen.height} of {self.units.height} units: lowest latest pass rates)"
        )
        figure.suptitle(f"Pass rate by {self.period}{shown}", fontsize=10)
        figure.tight_layout()
        return figure

    # -- HTML ----------------------------------------------------------------

    def _figures(self) -> list[tuple[str, str]]:
        """(heading, <img>) of each figure, drawn off-screen (no pyplot state)."""
        from matplotlib.figure import Figure

        out = []
        k = self.units.height
        fig = Figure(figsize=(7.5, 1.2 + (0.3 if k <= 60 else 0.16) * k))
        self.forest_plot(fig.add_subplot())
        out.append(("Pass rates and shrunk rates", _report_html.figure_img(fig, "forest plot")))
        if self.funnel is not None:
            fig = Figure(figsize=(7.5, 4.8))
            self.funnel_plot(fig.add_subplot())
            out.append(("Funnel plot", _report_html.figure_img(fig, "funnel plot")))
        if self.trend is not None:
            fig = self.trend_plot(figure=Figure())
            out.append((f"Trend by {self.period}", _report_html.figure_img(fig, "trend plot")))
        return out

    def _body(self) -> str:
        meta = [f"{self.units.height:,} units"]
        if self.target is not None:
            meta.append(f"target {percent_text(self.target)}")
        meta.append(f"confidence {percent_text(self.confidence)}")
        parts = [
            f"<h1>{html.escape(self._title())}</h1>",
            f'<p class="meta">{html.escape(" · ".join(meta))}</p>',
            "<h2>Summary</h2>",
            '<ul class="summary">'
            + "".join(f"<li>{html.escape(line)}</li>" for line in self.summary)
            + "</ul>",
        ]
        for heading, img in self._figures():
            parts += [f"<h2>{html.escape(heading)}</h2>", img]
        flag = None if self.target is None else (self.units["verdict"] == BELOW).to_list()
        parts += [
            "<h2>Units</h2>",
            '<p class="note">Highlighted: credibly below target. CI: confidence interval of '
            "the pass rate; p adjusted: the target test's adjusted p-value; funnel: the PHE "
            "class; credible: the shrunk rate's credible interval; ranks: the rank interval "
            "(rank 1 = the highest pass rate); P(upper half): the probability of a rank in "
            "the better half. Every number is in <code>report.units</code> (a polars table) "
            "at full precision.</p>",
            _report_html.table(
                self._display_units(), text=[*self.by, "verdict", "funnel"], flag=flag
            ),
        ]
        if self.trend is not None and self.period is not None:
            parts += [
                f"<h2>Pass rate by {html.escape(self.period)}</h2>",
                '<p class="note">* credibly below target in that period.</p>'
                if self.target is not None
                else "",
                _report_html.table(self._display_trend(), text=self.by),
            ]
        parts += ["<h2>Methods</h2>", f'<p class="note">{html.escape(self._methods())}</p>']
        return "\n".join(parts)

    def _display_units(self) -> pl.DataFrame:
        """The units table in words and rounded numbers, for the HTML page."""
        pct = _report_html.percent
        level = percent_text(self.confidence)
        u = self.units
        rows = u.iter_rows(named=True)
        shown: dict[str, list[Any]] = {k: u[k].to_list() for k in self.by}
        shown |= {"checks": u["inspected"].to_list(), "passed": u["passed"].to_list()}
        cells: dict[str, list[str]] = {
            "pass rate": [],
            f"{level} CI": [],
            "p adjusted": [],
            "verdict": [],
            "funnel": [],
            "z": [],
            "shrunk rate": [],
            f"{level} credible": [],
            "rank": [],
            f"{level} ranks": [],
            "P(upper half)": [],
        }
        for r in rows:
            values = [
                pct(r["rate"]),
                _report_html.interval(r["lower"], r["upper"]),
                f"{r['p_adjusted']:.3g}" if self.target is not None else "",
                r["verdict"] if self.target is not None else "",
                r["class"] or "",
                "" if r["z"] is None else f"{r['z']:.2f}",
                pct(r["posterior_mean"]),
                _report_html.interval(r["credible_lower"], r["credible_upper"]),
                str(r["rank_median"]),
                f"{r['rank_lower']}\u2013{r['rank_upper']}",
                f"{r['p_upper_half']:.2f}",
            ]
            for column, value in zip(cells, values, strict=True):
                cells[column].append(value)
        if self.target is None:
            del cells["p adjusted"], cells["verdict"]
        if self.funnel is None:
            del cells["funnel"], cells["z"]
        if self.shrinkage is None:
            del cells["shrunk rate"], cells[f"{level} credible"]
        return pl.DataFrame({**shown, **cells})

    def _display_trend(self) -> pl.DataFrame:
        """Units by period: the pass rate in percent, starred when below target."""
        assert self.trend is not None and self.period is not None
        star = (
            pl.when(pl.col("verdict") == BELOW).then(pl.lit(" *")).otherwise(pl.lit(""))
            if self.target is not None
            else pl.lit("")
        )
        cell = free_name("_shown", self.trend.columns)
        shown = self.trend.with_columns(
            pl.col(self.period).cast(pl.String),
            pl.concat_str(
                pl.col("rate").map_elements(_report_html.percent, return_dtype=pl.String), star
            ).alias(cell),
        )
        return shown.pivot(on=self.period, index=list(self.by), values=cell)

    def _methods(self) -> str:
        level = percent_text(self.confidence)
        text = f"Confidence intervals: {self.method!r} method, {level}."
        if self.target is not None:
            text += f" Target verdicts: {self._test_words()} (qualstat.pass_rates)."
        if self.funnel is not None:
            text += (
                f" Funnel: {self.funnel.limits_method} limits at "
                f"{', '.join(percent_text(v) for v in self.funnel.levels)} around the "
                "pooled rate, PHE classes (qualstat.funnel)."
            )
        if self.shrinkage is not None:
            text += (
                " Shrunk rates: beta-binomial empirical Bayes, maximum likelihood prior, "
                f"{level} equal-tailed credible intervals (qualstat.shrink)."
            )
        text += (
            f" Ranks: {level} intervals from posterior draws, "
            f"{'Jeffreys' if self.rank_prior == 'jeffreys' else 'empirical-Bayes'} prior "
            "(qualstat.rank_intervals)."
        )
        return text

    def _repr_html_(self) -> str:
        return _report_html.fragment(self._body())

    def to_html(self, path: str | Path | None = None) -> str:
        """The report as one self-contained HTML document, written to ``path`` when given.

        Figures are inline PNG images (``data:`` URIs) and the style sheet is
        inline: the file needs nothing else to be shown. Returns the document.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import polars as pl
        >>> import qualstat as qs
        >>> df = pl.DataFrame({"unit": list("ABCD"), "ok": [19, 58, 90, 30],
        ...                    "n": [20, 60, 100, 40]})
        >>> page = qs.spot_check_report(df, passed="ok", inspected="n", by="unit",
        ...                             draws=500).to_html()
        >>> page.startswith("<!DOCTYPE html>"), "http" in page
        (True, False)
        """
        text = _report_html.document(self._title(), self._body())
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text

    def to_dict(self) -> dict[str, Any]:
        """The report's fields, its tables (polars) and its summary lines as a dict."""
        out: dict[str, Any] = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        out["funnel"] = None if self.funnel is None else self.funnel.table
        out["shrinkage"] = None if self.shrinkage is None else self.shrinkage.table
        out["phi"] = None if self.funnel is None else self.funnel.phi
        out["tau2"] = None if self.funnel is None else self.funnel.tau2
        out["alpha"] = None if self.shrinkage is None else self.shrinkage.alpha
        out["beta"] = None if self.shrinkage is None else self.shrinkage.beta
        out["summary"] = self.summary
        return out


def _canonical(name: str | None, names: dict[str, str]) -> str | None:
    """The canonical spelling of an option already accepted by the native module."""
    if name is None:
        return None
    folded = name.strip().lower().replace("-", "_").replace(" ", "_")
    return names.get(folded, folded)


def _unit_labels(keys_frame: pl.DataFrame) -> list[str]:
    """One label per unit: the key value, or the key values joined by ", "."""
    return [", ".join(str(v) for v in row) for row in keys_frame.iter_rows()]


def _with_keys(keys_frame: pl.DataFrame, table: pl.DataFrame) -> pl.DataFrame:
    """``table`` (one row per unit, same order) with the key columns in front."""
    return keys_frame.hstack(table.get_columns())


def spot_check_report(
    frame: Any,
    *,
    passed: str,
    inspected: str | None = None,
    by: str | Sequence[str],
    period: str | None = None,
    target: Any = 0.95,
    confidence: Any = 0.95,
    method: str = "wilson",
    alternative: str = "less",
    adjust: str | None = "holm",
    test: str = "exact",
    limits: str = "score",
    levels: Any = (0.95, 0.998),
    overdispersion: str | None = None,
    winsorize: Any = 0.1,
    prior: str = "eb",
    draws: int = 10_000,
    seed: int = 0,
) -> SpotCheckReport:
    """Judge, compare and rank units' spot-check pass rates: one report.

    The records are summed by unit (the ``by`` columns) and each unit gets:
    its pass rate and confidence interval and a verdict against the target
    (:func:`qualstat.pass_rates`), its funnel class around the pooled rate
    (:func:`qualstat.funnel`), a shrunk rate and credible interval
    (:func:`qualstat.shrink`, method "mle") and its rank interval
    (:func:`qualstat.rank_intervals`); each table is the one the standalone
    function returns on the units' counts, with the ``by`` columns in front
    (so the tables join on them).

    Parameters
    ----------
    frame : polars.DataFrame, polars.LazyFrame or pandas.DataFrame
        Inspection records: one row per item, or per batch or check.
    passed, inspected : str
        As in :func:`qualstat.pass_rates`: the column of items passed per
        row, and of items inspected (leave it out for a 0/1 or boolean
        column with one item per row).
    by : str or list of str
        The columns naming a unit (region, product, enterprise, ...). At
        least 2 units are needed.
    period : str, optional
        A column of periods (month, quarter, year; anything that sorts).
        The units are then analysed on the latest period's records, and
        ``trend`` holds every unit's pass rate per period.
    target : float, str or None
        Target pass rate in (0, 1), a fraction (0.95) or a percent string
        (``"95%"``); ``None`` for no target tests.
    confidence : float
        Confidence level of the intervals, the credible intervals and the
        rank intervals; the verdicts are at the level 1 - confidence.
    method : str
        Interval method of the pass rates (default ``"wilson"``).
    alternative, adjust, test : str
        The target tests of :func:`qualstat.pass_rates` (default: exact
        one-sided tests for a shortfall, Holm-adjusted).
    limits, levels, overdispersion, winsorize
        The funnel options of :func:`qualstat.funnel` (default score limits at
        95 % and 99.8 %, as the PHE funnel).
    prior : str
        Prior of the rank draws: ``"eb"`` (the shrinkage's prior; default)
        or ``"jeffreys"``.
    draws, seed : int
        Posterior draws of the rank intervals and their seed.

    Returns
    -------
    SpotCheckReport
        ``units`` (one row per unit, everything), ``rates``, ``funnel``,
        ``shrinkage``, ``ranks``, ``trend``, ``summary`` (plain-language
        findings), ``forest_plot()``, ``funnel_plot()``, ``trend_plot()``,
        ``to_html(path)`` (one self-contained file), ``to_dict()``.

    Raises
    ------
    ValueError
        Bad records (naming the row and its unit, as :func:`qualstat.pass_rates`),
        fewer than 2 units (naming the unit), a target outside (0, 1),
        unknown option names, a ``by`` or ``period`` column named like a
        report column, missing periods.
    TypeError
        Column names that are not strings, options that are not strings.

    Notes
    -----
    Fallbacks, each stated in ``notes`` and in the summary: when every unit
    passed every check (or failed every one) there is no funnel (its limits
    around a pooled rate of 100 % are degenerate): ``funnel`` is ``None``.
    When no beta prior can be fitted (the units show no over-dispersion
    beyond chance, or every unit's rate is 0 or 1), ``shrinkage`` is
    ``None`` and, with ``prior="eb"``, the ranks use Jeffreys priors
    (no pooling), as :func:`qualstat.shrink` advises.

    Examples
    --------
    >>> import polars as pl
    >>> import qualstat as qs
    >>> checks = pl.DataFrame({
    ...     "region": ["N", "N", "S", "S", "E", "W", "W"],
    ...     "passed": [48, 50, 30, 25, 58, 97, 95],
    ...     "batches": [50, 50, 40, 30, 60, 100, 100],
    ... })
    >>> report = qs.spot_check_report(checks, passed="passed", inspected="batches",
    ...                               by="region", target="95%", draws=2000)
    >>> report.units.select("region", "rate", "verdict", "class").rows()
    [('E', 0.9666666666666667, 'consistent with target', 'Not significant'),
     ('N', 0.98, 'consistent with target', 'Not significant'),
     ('S', 0.7857142857142857, 'below target', 'Low (0.001)'),
     ('W', 0.96, 'consistent with target', 'Not significant')]
    >>> print(report.summary[1])
    1 of 4 units credibly below the 95 % target: S (78.6 %, 55 of 70) (exact binomial
    one-sided tests, Holm-adjusted, at the 5 % level).
    """
    passed = _column_name(passed, "passed")
    if inspected is not None:
        inspected = _column_name(inspected, "inspected")
    if by is None:
        raise ValueError(
            "by is not given: expected the column (or list of columns) naming a unit, "
            "such as by='region'"
        )
    keys = _keys(by, _RESERVED)
    if not keys:
        raise ValueError(f"by = {show(by)} is invalid: expected at least one column name")
    conf = open_fraction(confidence, "confidence")
    rank_prior = option(prior, "prior", ("eb", "jeffreys"))
    draws = integer(draws, "draws", minimum=1)
    seed = integer(seed, "seed", minimum=0, maximum=2**64 - 1)
    funnel_options = {
        "limits": limits,
        "levels": levels,
        "overdispersion": overdispersion,
        "winsorize": winsorize,
    }
    funnel([1, 1], [2, 4], **funnel_options)  # the options fail here, before any data work
    test_options = {
        "confidence": conf,
        "method": method,
        "target": target,
        "alternative": alternative,
        "adjust": adjust,
        "test": test,
    }
    judge = None if target is None else _TargetTests(target, alternative, adjust, test, conf)
    counts = [passed] if inspected is None else [passed, inspected]
    columns = [*keys, *counts]
    latest = None
    if period is not None:
        period = _column_name(period, "period")
        if period in columns or period in _RESERVED:
            raise ValueError(
                f"period = {period!r} is invalid: it is also a unit or count column, "
                "or a report column; give a separate column of periods"
            )
        columns.append(period)
    records = to_polars(frame, columns)
    if period is not None:
        _check_records(records, [*keys, period], passed, inspected)
        missing = records[period].is_null()
        if missing.any():
            row = int(missing.arg_true()[0])
            raise ValueError(
                f"row {row}: period column {period!r} is missing: expected a period for "
                "every record"
            )
        latest = records[period].max()
        trend = pl.concat(
            [
                pass_rates(
                    part, passed=passed, inspected=inspected, by=keys, **test_options
                ).with_columns(pl.lit(part[period][0], dtype=records.schema[period]).alias(period))
                for part in records.partition_by(period, maintain_order=True)
            ]
        ).select([*keys, period, pl.exclude([*keys, period])])
        trend = trend.sort([*keys, period])
        records = records.filter(pl.col(period) == latest)
    else:
        trend = None
    rates = pass_rates(records, passed=passed, inspected=inspected, by=keys, **test_options)
    if rates.height < 2:
        where = "" if period is None else f" in the latest period {key_text(latest)}"
        found = "no unit (the frame has no records)"
        if rates.height == 1:
            found = f"1 unit{where} (unit {_unit_labels(rates.select(keys))[0]!r})"
        raise ValueError(
            f"by = {show(by)} gives {found}: expected at least 2 units (the report compares units)"
        )
    keys_frame = rates.select(keys)
    labels = _unit_labels(keys_frame)
    x = rates["passed"].to_numpy()
    n = rates["inspected"].to_numpy()
    notes: list[str] = []
    fun: Funnel | None = None
    if 0 < x.sum() < n.sum():
        fun = funnel(x, n, labels=labels, **funnel_options)
        fun = dataclasses.replace(fun, table=_with_keys(keys_frame, fun.table))
    else:
        notes.append(
            f"No funnel: every unit's pass rate is {_report_html.percent(x.sum() / n.sum())}, "
            "so there are no limits around the pooled rate."
        )
    shrunk: Shrinkage | None = None
    try:
        shrunk = shrink(x, n, labels=labels, confidence=conf)
    except ValueError as e:
        notes.append(f"No shrunk rates: {e}.")
        if rank_prior == "eb":
            rank_prior = "jeffreys"
            notes.append("Ranks use Jeffreys priors (no pooling) instead of the shrinkage prior.")
    if shrunk is not None:
        shrunk = dataclasses.replace(shrunk, table=_with_keys(keys_frame, shrunk.table))
    ranks = rank_intervals(
        x, n, labels=labels, confidence=conf, draws=draws, seed=seed, prior=rank_prior
    )
    ranks = _with_keys(keys_frame, ranks)
    units = rates.with_columns(pl.Series("label", labels)).select(
        [*keys, "label", pl.exclude([*keys, "label"])]
    )
    f_cols = (
        fun.table.select("z", "class")
        if fun is not None
        else pl.DataFrame(
            {"z": [None] * x.size, "class": [None] * x.size},
            schema={"z": pl.Float64, "class": pl.String},
        )
    )
    s_cols = (
        shrunk.table.select(
            "posterior_mean",
            pl.col("lower").alias("credible_lower"),
            pl.col("upper").alias("credible_upper"),
        )
        if shrunk is not None
        else pl.DataFrame(
            schema={
                "posterior_mean": pl.Float64,
                "credible_lower": pl.Float64,
                "credible_upper": pl.Float64,
            }
        ).clear(x.size)
    )
    units = units.hstack(
        [
            *f_cols.get_columns(),
            *s_cols.get_columns(),
            *ranks.select("rank_median", "rank_lower", "rank_upper", "p_upper_half").get_columns(),
        ]
    )
    return SpotCheckReport(
        by=tuple(keys),
        period=period,
        latest=latest,
        target=None if judge is None else judge.target,
        confidence=conf,
        alternative="less" if judge is None else judge.alternative,
        adjust=None if judge is None else _canonical(judge.adjust, _ADJUST_NAMES),
        test="exact" if judge is None else str(_canonical(judge.test, _TEST_NAMES)),
        method=option(method, "method"),
        rank_prior=rank_prior,
        units=units,
        rates=rates,
        funnel=fun,
        shrinkage=shrunk,
        ranks=ranks,
        trend=trend,
        notes=tuple(notes),
    )
