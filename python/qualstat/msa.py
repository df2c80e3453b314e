"""Measurement system analysis: gauge R&R studies and type-1 gauge studies.

``gauge_rr`` analyses a balanced study in which operators measure parts
repeatedly: crossed (every operator measures every part), nested (each part
measured by one operator, as in destructive tests) or with one operator. The
ANOVA method gives the ANOVA table, pools the part-by-operator interaction
into repeatability when its p-value is at least ``alpha_remove`` (Minitab's
rule) and estimates the variance components (a negative estimate is set to
zero and listed in ``clamped``); the Average & Range method follows AIAG
MSA-4. Both give %Contribution, %Study Var, %Tolerance and the number of
distinct categories. ``type1`` gives Cg, Cgk and the bias test of repeated
measurements of one reference part.

Formulas, the peers' conventions and their known bugs:
``reference/lab_notes.md`` part B. The sums of squares, components and
p-values are computed in Rust (``qualstat._qualstat``); this module reads the
frame, names the labels in error messages, builds the frames and draws.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from . import _qualstat
from ._coerce import as_array, option, real, show
from .pass_rates import to_polars

__all__ = ["GaugeRR", "Type1Study", "gauge_rr", "type1"]

_METHODS = ("anova", "xbar_r")
_DESIGNS = ("crossed", "nested")
_F_TESTS = ("minitab", "all_vs_error", "aiag")
_CONSTANTS = ("exact", "aiag")

# Minitab's names of the rows (Gage R&R Study (Crossed), session window).
_ANOVA_NAMES = {
    "part": "Part",
    "operator": "Operator",
    "part:operator": "Part * Operator",
    "repeatability": "Repeatability",
    "total": "Total",
}
_COMPONENT_NAMES = {
    "total_grr": "Total Gage R&R",
    "repeatability": "  Repeatability",
    "reproducibility": "  Reproducibility",
    "operator": "    Operator",
    "operator_part": "    Operator*Part",
    "part": "Part-To-Part",
    "total": "Total Variation",
}
_ANOVA_SCHEMA = {
    "source": pl.String,
    "df": pl.Float64,
    "ss": pl.Float64,
    "ms": pl.Float64,
    "f": pl.Float64,
    "p": pl.Float64,
}
_COMPONENT_COLUMNS = (
    "source",
    "variance",
    "pct_contribution",
    "sd",
    "study_var",
    "pct_study_var",
    "pct_tolerance",
)


def _anova_frame(rows: list[tuple[Any, ...]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=_ANOVA_SCHEMA, orient="row")


def _fmt(v: float | None, digits: int = 4) -> str:
    if v is None:
        return ""
    if math.isinf(v):
        return "inf"
    return f"{v:.{digits}g}" if abs(v) < 1e5 else f"{v:.4e}"


def _table_html(head: list[str], rows: list[list[str]], caption: str) -> str:
    th = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in rows
    )
    return f"<table><caption>{html.escape(caption)}</caption><tr>{th}</tr>{body}</table>"


@dataclass(frozen=True, repr=False)
class GaugeRR:
    """The results of a gauge R&R study (see :func:`gauge_rr`).

    ``anova`` holds the rows of the model used (``source`` among "part",
    "operator", "part:operator", "repeatability", "total"; columns ``df``,
    ``ss``, ``ms``, ``f``, ``p``); ``anova_full`` the full model before any
    pooling. ``components`` has ``source`` among "total_grr",
    "repeatability", "reproducibility", "operator", "operator_part", "part",
    "total" and columns ``variance``, ``pct_contribution``, ``sd``,
    ``study_var``, ``pct_study_var``, ``pct_tolerance`` (percentages in
    percent; ``pct_tolerance`` null without a tolerance).
    """

    method: str
    design: str
    f_test: str
    alpha_remove: float | None
    study_var: float
    tolerance: float | None
    constants: str | None
    parts: int
    operators: int
    replicates: int
    anova: pl.DataFrame
    anova_full: pl.DataFrame
    interaction_p: float | None
    interaction_pooled: bool
    model: str
    components: pl.DataFrame
    clamped: tuple[str, ...]
    ndc: int | None
    average_range: dict[str, float | None] | None
    data: pl.DataFrame = field(compare=False)

    def component(self, source: str) -> dict[str, Any]:
        """One row of ``components`` as a dict (``source`` as in the frame).

        >>> import polars as pl
        >>> import qualstat as qs
        >>> df = pl.DataFrame({"p": [1, 1, 2, 2, 3, 3] * 2, "o": ["A"] * 6 + ["B"] * 6,
        ...                    "y": [1.0, 1.1, 2.0, 2.2, 3.1, 3.0, 1.2, 1.1, 2.1, 2.2, 3.0, 3.2]})
        >>> g = qs.msa.gauge_rr(df, part="p", operator="o", value="y")
        >>> round(g.component("part")["pct_contribution"], 2)
        99.12
        """
        rows = self.components.filter(pl.col("source") == source)
        if rows.height == 0:
            have = self.components["source"].to_list()
            raise ValueError(f"source = {source!r} is not in this study's components: {have}")
        return rows.row(0, named=True)

    def to_dict(self) -> dict[str, Any]:
        """The results as plain Python values (frames as lists of row dicts)."""
        return {
            "method": self.method,
            "design": self.design,
            "f_test": self.f_test,
            "alpha_remove": self.alpha_remove,
            "study_var": self.study_var,
            "tolerance": self.tolerance,
            "constants": self.constants,
            "parts": self.parts,
            "operators": self.operators,
            "replicates": self.replicates,
            "anova": self.anova.to_dicts(),
            "anova_full": self.anova_full.to_dicts(),
            "interaction_p": self.interaction_p,
            "interaction_pooled": self.interaction_pooled,
            "model": self.model,
            "components": self.components.to_dicts(),
            "clamped": list(self.clamped),
            "ndc": self.ndc,
            "average_range": self.average_range,
        }

    def _headline(self) -> str:
        grr = self.component("total_grr")
        tol = (
            f", %Tolerance {grr['pct_tolerance']:.2f} %" if grr["pct_tolerance"] is not None else ""
        )
        ndc = "undefined (no gauge variation)" if self.ndc is None else str(self.ndc)
        return (
            f"Total gauge R&R: %Contribution {grr['pct_contribution']:.2f} %, "
            f"%Study Var {grr['pct_study_var']:.2f} %{tol}; distinct categories {ndc}"
        )

    def _what(self) -> str:
        method = "ANOVA" if self.method == "anova" else f"Average & Range ({self.constants})"
        if self.operators == 1:
            design = "one operator"
        else:
            design = f"{self.design}, {self.operators} operators"
        return f"{method}, {design}, {self.parts} parts, {self.replicates} replicates"

    def __repr__(self) -> str:
        clamped = f"; set to zero: {', '.join(self.clamped)}" if self.clamped else ""
        return f"GaugeRR({self._what()}; {self.model}; {self._headline()}{clamped})"

    def _repr_html_(self) -> str:
        parts = [f"<p><b>Gage R&amp;R Study - {html.escape(self._what())}</b></p>"]
        if self.method == "anova":
            two_way = self.operators > 1 and self.design == "crossed"
            tables = [(self.anova_full, "with interaction" if two_way else "")]
            if self.interaction_pooled:
                tables.append((self.anova, "without interaction"))
            for frame, which in tables:
                caption = ("Two-Way ANOVA Table " + which.title()) if two_way else "ANOVA Table"
                if self.design == "nested" and self.operators > 1:
                    caption = "Nested ANOVA Table"
                rows = [
                    [
                        self._anova_name(r["source"]),
                        f"{r['df']:.0f}",
                        _fmt(r["ss"], 6),
                        _fmt(r["ms"], 6),
                        _fmt(r["f"], 5),
                        "" if r["p"] is None else f"{r['p']:.3f}",
                    ]
                    for r in frame.iter_rows(named=True)
                ]
                parts.append(_table_html(["Source", "DF", "SS", "MS", "F", "P"], rows, caption))
            if self.alpha_remove is not None and two_way:
                parts.append(f"<p>&alpha; to remove interaction term = {self.alpha_remove:g}</p>")
        parts.append(f"<p>{html.escape(self.model)}</p>")
        head = ["Source", "VarComp", "%Contribution (of VarComp)", "StdDev (SD)"]
        head += [f"Study Var ({self.study_var:g} × SD)", "%Study Var (%SV)"]
        if self.tolerance is not None:
            head.append("%Tolerance (SV/Toler)")
        rows = []
        for r in self.components.iter_rows(named=True):
            row = [
                _COMPONENT_NAMES[r["source"]].strip(),
                f"{r['variance']:.7g}",
                f"{r['pct_contribution']:.2f}",
                f"{r['sd']:.7g}",
                f"{r['study_var']:.7g}",
                f"{r['pct_study_var']:.2f}",
            ]
            if self.tolerance is not None:
                row.append(f"{r['pct_tolerance']:.2f}")
            rows.append(row)
        parts.append(_table_html(head, rows, "Gage R&R"))
        if self.tolerance is not None:
            parts.append(f"<p>Process tolerance = {self.tolerance:g}</p>")
        ndc = "undefined (no gauge variation)" if self.ndc is None else str(self.ndc)
        parts.append(f"<p>Number of Distinct Categories = {ndc}</p>")
        if self.clamped:
            parts.append(
                "<p>Negative variance estimates set to zero: "
                f"{html.escape(', '.join(self.clamped))}</p>"
            )
        return "<div>" + "".join(parts) + "</div>"

    def _anova_name(self, source: str) -> str:
        if source == "part" and self.design == "nested" and self.operators > 1:
            return "Part (Operator)"
        return _ANOVA_NAMES[source]

    def plot(self, axes: Any = None) -> Any:
        """Draw the six usual panels; returns the array of six Axes.

        Components of variation (%Contribution, %Study Var, %Tolerance), R
        chart by operator, Xbar chart by operator, measurements by part,
        measurements by operator, and the operator * part interaction (cell
        means). ``axes``: six Axes to draw on (default: a new 2 x 3 figure).
        """
        import matplotlib.pyplot as plt

        from .spc import chart_factors

        if axes is None:
            _, grid = plt.subplots(2, 3, figsize=(13, 7.5))
            axes = grid.ravel()
        axes = np.asarray(axes, dtype=object).ravel()
        if axes.size != 6:
            raise ValueError(f"axes has {axes.size} Axes: expected 6")
        d = self.data
        cells = (
            d.group_by(["operator", "part"], maintain_order=True)
            .agg(
                pl.col("value").mean().alias("mean"),
                (pl.col("value").max() - pl.col("value").min()).alias("range"),
            )
            .sort(["operator", "part"])
        )
        operators = cells["operator"].unique(maintain_order=True).to_list()
        factors = chart_factors(self.replicates)
        r_bar = float(cells["range"].mean())  # type: ignore[arg-type]
        grand = float(cells["mean"].mean())  # type: ignore[arg-type]

        ax = axes[0]
        keep = [s for s in ("total_grr", "repeatability", "reproducibility", "part")]
        comp = self.components.filter(pl.col("source").is_in(keep))
        labels = ["Gage R&R", "Repeat", "Reprod", "Part-to-Part"]
        labels = [lab for lab, s in zip(labels, keep, strict=True) if s in comp["source"]]
        cols = [("pct_contribution", "% Contribution"), ("pct_study_var", "% Study Var")]
        if self.tolerance is not None:
            cols.append(("pct_tolerance", "% Tolerance"))
        x = np.arange(comp.height)
        width = 0.8 / len(cols)
        for k, (col, lab) in enumerate(cols):
            ax.bar(x + (k - (len(cols) - 1) / 2) * width, comp[col].to_numpy(), width, label=lab)
        ax.set_xticks(x, labels)
        ax.set_ylabel("Percent")
        ax.set_title("Components of Variation")
        ax.legend(fontsize=7)

        def by_operator(ax: Any, column: str, centre: float, lo: float, hi: float, title: str):
            start = 0
            for op in operators:
                y = cells.filter(pl.col("operator") == op)[column].to_numpy()
                ax.plot(np.arange(start, start + y.size), y, "o-", ms=3, label=str(op))
                start += y.size
            ax.axhline(centre, color="g", lw=1)
            for v in (lo, hi):
                ax.axhline(v, color="r", lw=1, ls="--")
            ax.set_title(title)
            ax.set_xlabel("cell (operator, part)")

        by_operator(
            axes[1], "range", r_bar, factors["D3"] * r_bar, factors["D4"] * r_bar,
            "R Chart by Operator",
        )  # fmt: skip
        a2 = factors["A2"] * r_bar
        by_operator(axes[2], "mean", grand, grand - a2, grand + a2, "Xbar Chart by Operator")
        axes[2].legend(fontsize=7, title="operator")

        ax = axes[3]
        part_labels = d["part"].unique(maintain_order=True).to_list()
        pos = {p: i for i, p in enumerate(part_labels)}
        ax.scatter([pos[p] for p in d["part"].to_list()], d["value"].to_numpy(), s=8, c="0.5")
        means = d.group_by("part", maintain_order=True).agg(pl.col("value").mean())
        ax.plot([pos[p] for p in means["part"].to_list()], means["value"].to_numpy(), "o-")
        ax.set_xticks(range(len(part_labels)), [str(p) for p in part_labels], fontsize=7)
        ax.set_title("Measurements by Part")

        ax = axes[4]
        groups = [d.filter(pl.col("operator") == op)["value"].to_numpy() for op in operators]
        ax.boxplot(groups)
        ax.set_xticks(range(1, len(operators) + 1), [str(o) for o in operators])
        ax.set_title("Measurements by Operator")

        ax = axes[5]
        for op in operators:
            c = cells.filter(pl.col("operator") == op)
            ax.plot(
                [str(p) for p in c["part"].to_list()], c["mean"].to_numpy(), "o-", label=str(op)
            )
        ax.tick_params(axis="x", labelsize=7)
        ax.set_title("Operator * Part Interaction")
        ax.legend(fontsize=7, title="operator")
        axes[0].figure.tight_layout()
        return axes


def _codes(labels: pl.Series, name: str) -> tuple[npt.NDArray[np.uint32], list[Any]]:
    """Codes 0, 1, ... of the labels in sorted order, and the sorted labels."""
    if labels.null_count():
        row = int(labels.is_null().arg_max())  # type: ignore[arg-type]
        raise ValueError(f"{name} column has a missing label (row {row})")
    if labels.dtype.is_integer() and labels.len():
        # Integer labels in a compact range: a presence table and its running count.
        v = labels.to_numpy()
        lo, hi = int(v.min()), int(v.max())
        if hi - lo < 4 * v.size + 1024:
            offset = v - lo
            present = np.zeros(hi - lo + 1, dtype=bool)
            present[offset] = True
            position = np.cumsum(present, dtype=np.uint32) - np.uint32(1)
            return position[offset], (np.flatnonzero(present) + lo).tolist()
    # A hash map from each sorted label to its position: 15x faster than a dense rank for
    # string labels, and the same codes (NaN sorts last in both).
    uniq = labels.unique().sort()
    positions = pl.int_range(uniq.len(), dtype=pl.UInt32, eager=True)
    codes = labels.replace_strict(uniq, positions, return_dtype=pl.UInt32)
    return np.ascontiguousarray(codes.to_numpy()), uniq.to_list()


def _check_balance(cell: npt.NDArray[np.int64], name_of: Any, cells: int, nested: bool) -> None:
    """A ValueError naming two cells (by their labels) whose counts differ."""
    counts = np.bincount(cell, minlength=cells)
    lo, hi = int(np.argmin(counts)), int(np.argmax(counts))
    if counts[lo] != counts[hi]:
        what = "parts" if nested else "cells (part, operator)"
        raise ValueError(
            f"the study is unbalanced: {name_of(hi)} has {counts[hi]} measurements but "
            f"{name_of(lo)} has {counts[lo]}; gauge_rr needs the same number of measurements "
            f"in every one of the {cells} {what} (unbalanced studies are not supported)"
        )


def _tolerance(tolerance: Any) -> float | None:
    if tolerance is None:
        return None
    if isinstance(tolerance, tuple | list):
        if len(tolerance) != 2:
            raise ValueError(
                f"tolerance = {show(tolerance)} is invalid: expected a width or (lsl, usl)"
            )
        lsl, usl = real(tolerance[0], "tolerance lsl"), real(tolerance[1], "tolerance usl")
        width = usl - lsl
    else:
        width = real(tolerance, "tolerance")
    if not (math.isfinite(width) and width > 0):
        raise ValueError(
            f"tolerance = {show(tolerance)} is invalid: expected a positive width USL - LSL "
            "(or a pair (lsl, usl) with lsl < usl)"
        )
    return width


def _model_text(
    method: str, operators: int, design: str, p: float | None, pooled: bool, alpha: float | None
) -> str:
    if method == "xbar_r":
        return "Average & Range method (no ANOVA model)"
    if operators == 1:
        return "one-way ANOVA (one operator)"
    if design == "nested":
        return "nested ANOVA: parts within operators (no interaction term)"
    if p is None:
        state = "pooled into repeatability" if pooled else "kept"
        return f"interaction {state}: it cannot be tested (no variation within the cells)"
    shown = f"{p:.4g}"
    if pooled:
        return (
            f"interaction pooled into repeatability: its p-value {shown} is at least "
            f"alpha_remove = {alpha:g}"
        )
    if alpha is None:
        return f"interaction kept (alpha_remove = None; its p-value is {shown})"
    return f"interaction kept: its p-value {shown} is below alpha_remove = {alpha:g}"


def gauge_rr(
    frame: Any,
    *,
    part: str,
    operator: str | None,
    value: str,
    method: str = "anova",
    tolerance: Any = None,
    study_var: Any = 6.0,
    alpha_remove: Any = 0.05,
    f_test: str = "minitab",
    design: str = "crossed",
    constants: str = "exact",
) -> GaugeRR:
    """A gauge repeatability and reproducibility study.

    Parameters
    ----------
    frame : polars.DataFrame or pandas.DataFrame
        One row per measurement.
    part, operator, value : str
        Column names of the part labels, the operator labels (``None`` for a
        one-operator study, Minitab's "type 3") and the measurements.
    method : {"anova", "xbar_r"}
        ANOVA and variance components, or the AIAG Average & Range method
        (crossed studies; ``"average_range"`` is accepted too).
    tolerance : float or (lsl, usl), optional
        The tolerance width USL - LSL (in the unit of the measurements) for
        the ``pct_tolerance`` column: 100 * study_var * SD / tolerance.
    study_var : float
        Standard deviations spanned by the study variation (6; 5.15 for the
        99 % convention of AIAG's 3rd edition). %Study Var does not depend on it.
    alpha_remove : float in (0, 1] or None
        The interaction is pooled into repeatability when its p-value is at
        least this (Minitab's default 0.05; qualityTools uses 0.25). ``None``
        always keeps it.
    f_test : {"minitab", "all_vs_error", "aiag"}
        Denominator of the F tests of part and operator in the full model:
        the interaction mean square ("minitab", the random-effects model's
        test; in a nested study operator is tested against part within
        operator) or repeatability ("all_vs_error", as R ``aov()`` and the
        AIAG MSA-4 worked table, hence its alias "aiag"). The interaction is
        always tested against repeatability, so the choice changes F and p of
        part and operator only, never the variance components. After pooling
        both are tested against the pooled error.
    design : {"crossed", "nested"}
        Crossed: every operator measures every part. Nested: each part is
        measured by one operator (part labels may repeat between operators:
        a part is the pair (operator, part)).
    constants : {"exact", "aiag"}
        K1, K2, K3 of the Average & Range method: exact (from d2 and d3) or
        rounded to the 4 decimals of the AIAG tables.

    Returns
    -------
    GaugeRR
        ``anova`` (model used), ``anova_full``, ``components``, ``ndc``
        (floor(1.41 * SD_part / SD_GRR), at least 1; None when SD_GRR = 0),
        ``interaction_pooled`` and ``model`` (which model and why), ``clamped``
        (components whose negative estimate was set to zero). Unbalanced
        studies are refused with an error naming two cells and their counts.

    Examples
    --------
    >>> import polars as pl
    >>> import qualstat as qs
    >>> df = pl.DataFrame({"p": [1, 1, 2, 2, 3, 3] * 2, "o": ["A"] * 6 + ["B"] * 6,
    ...                    "y": [1.0, 1.1, 2.0, 2.2, 3.1, 3.0, 1.2, 1.1, 2.1, 2.2, 3.0, 3.2]})
    >>> g = qs.msa.gauge_rr(df, part="p", operator="o", value="y", tolerance=4)
    >>> g.interaction_pooled, g.ndc
    (True, 14)
    >>> g.components["source"].to_list()
    ['total_grr', 'repeatability', 'reproducibility', 'operator', 'part', 'total']
    >>> g.anova["source"].to_list()
    ['part', 'operator', 'repeatability', 'total']
    """
    for name, col in (("part", part), ("value", value)):
        if not isinstance(col, str):
            raise TypeError(f"{name} = {show(col)} is invalid: expected a column name")
    if operator is not None and not isinstance(operator, str):
        raise TypeError(f"operator = {show(operator)} is invalid: expected a column name or None")
    meth = option(method, "method", (*_METHODS, "average_range"))
    meth = "xbar_r" if meth == "average_range" else meth
    des = option(design, "design", _DESIGNS)
    ft = option(f_test, "f_test", _F_TESTS)
    ft = "all_vs_error" if ft == "aiag" else ft
    const = option(constants, "constants", _CONSTANTS)
    sv = real(study_var, "study_var")
    if not (math.isfinite(sv) and sv > 0):
        raise ValueError(
            f"study_var = {show(study_var)} is invalid: expected a positive multiplier (6 or 5.15)"
        )
    alpha = None if alpha_remove is None else real(alpha_remove, "alpha_remove")
    if alpha is not None and not (0 < alpha <= 1):
        raise ValueError(
            f"alpha_remove = {show(alpha_remove)} is invalid: expected a significance level "
            "in (0, 1], or None to keep the interaction"
        )
    tol = _tolerance(tolerance)
    columns = [part, value] if operator is None else [part, operator, value]
    if len(set(columns)) != len(columns):
        raise ValueError(f"part, operator and value must be different columns, got {columns}")
    df = to_polars(frame, columns)
    if df.height == 0:
        raise ValueError("frame has no rows: expected one row per measurement")
    y_col = df[value]
    if not y_col.dtype.is_numeric():
        raise TypeError(f"value column {value!r} must hold numbers, got {y_col.dtype}")
    y = np.ascontiguousarray(y_col.cast(pl.Float64).fill_null(np.nan).to_numpy())
    bad = np.flatnonzero(~np.isfinite(y))
    if bad.size:
        raise ValueError(
            f"value column {value!r} has a missing or non-finite measurement at row {bad[0]} "
            f"({y[bad[0]]}): expected finite numbers"
        )
    parts, part_labels = _codes(df[part], "part")
    if operator is None:
        ops, op_labels = None, ["(one operator)"]
        op_series = pl.Series("operator", ["(one operator)"] * df.height)
    else:
        ops, op_labels = _codes(df[operator], "operator")
        op_series = df[operator].alias("operator")
    nested = des == "nested" and ops is not None
    if nested:
        assert ops is not None
        pairs = np.stack([ops.astype(np.int64), parts.astype(np.int64)], axis=1)
        uniq, inverse = np.unique(pairs, axis=0, return_inverse=True)
        parts = np.ascontiguousarray(inverse.reshape(-1), dtype=np.uint32)
        cell = parts.astype(np.int64)

        def name_of(c: int) -> str:
            return f"part {part_labels[uniq[c, 1]]!r} of operator {op_labels[uniq[c, 0]]!r}"

        n_cells = uniq.shape[0]
        per_op = np.bincount(uniq[:, 0], minlength=len(op_labels))
        lo, hi = int(np.argmin(per_op)), int(np.argmax(per_op))
        if per_op[lo] != per_op[hi]:
            raise ValueError(
                f"the nested study is unbalanced: operator {op_labels[hi]!r} measures "
                f"{per_op[hi]} parts but operator {op_labels[lo]!r} measures {per_op[lo]}; "
                "every operator must measure the same number of parts"
            )
    else:
        o = len(op_labels)
        cell = parts.astype(np.int64) * o + (0 if ops is None else ops.astype(np.int64))

        def name_of(c: int) -> str:
            if ops is None:
                return f"part {part_labels[c]!r}"
            return f"part {part_labels[c // o]!r} by operator {op_labels[c % o]!r}"

        n_cells = len(part_labels) * o
    if n_cells > df.height:
        raise ValueError(
            f"the study is unbalanced: {df.height} measurements for {n_cells} cells "
            f"({len(part_labels)} parts, {len(op_labels)} operator(s)), so some part is not "
            "measured by some operator; gauge_rr needs the same number of measurements "
            "(at least 2) of every part by every operator who measures it"
        )
    if len(part_labels) >= 2:
        _check_balance(cell, name_of, n_cells, nested)
    out = _qualstat._gauge_rr(
        y, parts, ops, meth, des, ft, alpha, sv, tol, const
    )  # fmt: skip
    components = pl.DataFrame(
        out["components"],
        schema={"source": pl.String} | dict.fromkeys(_COMPONENT_COLUMNS[1:], pl.Float64),
        orient="row",
    )
    data = pl.DataFrame({"part": df[part], "operator": op_series, "value": y})
    return GaugeRR(
        method=meth,
        design=des if ops is not None else "crossed",
        f_test=ft,
        alpha_remove=alpha,
        study_var=sv,
        tolerance=tol,
        constants=const if meth == "xbar_r" else None,
        parts=out["parts"],
        operators=out["operators"],
        replicates=out["replicates"],
        anova=_anova_frame(out["anova"]),
        anova_full=_anova_frame(out["anova_full"]),
        interaction_p=out["interaction_p"],
        interaction_pooled=out["interaction_pooled"],
        model=_model_text(
            meth, out["operators"], des, out["interaction_p"], out["interaction_pooled"], alpha
        ),
        components=components,
        clamped=tuple(out["clamped"]),
        ndc=out["ndc"],
        average_range=out["average_range"],
        data=data,
    )


@dataclass(frozen=True, repr=False)
class Type1Study:
    """The results of a type-1 gauge study (see :func:`type1`).

    Percentages (``pct_var_repeatability``, ``pct_var_repeatability_bias``)
    are in percent; ``bias_ci`` is the two-sided ``confidence`` interval of
    the bias; ``adequate`` is Minitab's rule Cg >= 1.33 and Cgk >= 1.33.
    """

    n: int
    mean: float
    sd: float
    reference: float
    tolerance: float
    k: float
    l: float  # noqa: E741 - the letter L of Minitab and VDA 5
    bias: float
    t: float
    df: float
    p_value: float
    confidence: float
    bias_ci: tuple[float, float]
    cg: float
    cgk: float
    pct_var_repeatability: float
    pct_var_repeatability_bias: float
    values: npt.NDArray[np.float64] = field(compare=False)

    @property
    def adequate(self) -> bool:
        """Minitab's and VDA 5's criterion: Cg and Cgk both at least 1.33."""
        return self.cg >= 1.33 and self.cgk >= 1.33

    def to_dict(self) -> dict[str, Any]:
        """The results as plain Python values (without the measurements)."""
        return {
            k: getattr(self, k)
            for k in (
                "n", "mean", "sd", "reference", "tolerance", "k", "l", "bias", "t", "df",
                "p_value", "confidence", "bias_ci", "cg", "cgk", "pct_var_repeatability",
                "pct_var_repeatability_bias", "adequate",
            )
        }  # fmt: skip

    def __repr__(self) -> str:
        return (
            f"Type1Study(n={self.n}, reference={self.reference:g}, tolerance={self.tolerance:g}, "
            f"K={self.k:g} %, L={self.l:g}; Cg={self.cg:.2f}, Cgk={self.cgk:.2f}, "
            f"%Var(repeatability)={self.pct_var_repeatability:.2f} %, "
            f"%Var(repeatability and bias)={self.pct_var_repeatability_bias:.2f} %; "
            f"bias={self.bias:.4g} (t={self.t:.3f}, p={self.p_value:.4f})"
            f"{'' if self.adequate else '; not adequate (Cg or Cgk < 1.33)'})"
        )

    def _repr_html_(self) -> str:
        stats = [
            ["Reference", f"{self.reference:g}"],
            ["Mean", f"{self.mean:.6g}"],
            ["StDev", f"{self.sd:.6g}"],
            [f"{self.l:g} * StDev (SV)", f"{self.l * self.sd:.6g}"],
            ["Tolerance (Tol)", f"{self.tolerance:g}"],
        ]
        bias = [
            ["Bias", f"{self.bias:.6g}"],
            ["T", f"{self.t:.4f}"],
            ["PValue (Test Bias = 0)", f"{self.p_value:.3f}"],
        ]
        cap = [
            ["Cg", f"{self.cg:.2f}"],
            ["Cgk", f"{self.cgk:.2f}"],
            ["%Var(Repeatability)", f"{self.pct_var_repeatability:.2f}%"],
            ["%Var(Repeatability and Bias)", f"{self.pct_var_repeatability_bias:.2f}%"],
        ]
        return (
            "<div><p><b>Type 1 Gage Study</b></p>"
            + _table_html(["", ""], stats, "Basic Statistics")
            + _table_html(["", ""], bias, "Bias")
            + _table_html(["", ""], cap, "Capability")
            + "</div>"
        )

    def plot(self, ax: Any = None) -> Any:
        """Run chart of the measurements with Ref, Ref +/- K/200 * Tol and the
        mean +/- L/2 * s; returns the Axes."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(7, 4))
        ax.plot(np.arange(1, self.n + 1), self.values, "o-", ms=3)
        ax.axhline(self.reference, color="g", label="Ref")
        half = self.k / 200 * self.tolerance
        for v in (self.reference - half, self.reference + half):
            ax.axhline(v, color="r", ls="--")
        ax.axhline(self.mean, color="0.3", lw=1, label="mean")
        for v in (self.mean - self.l / 2 * self.sd, self.mean + self.l / 2 * self.sd):
            ax.axhline(v, color="0.3", ls=":", lw=1)
        ax.set_xlabel("observation")
        ax.set_ylabel("measurement")
        ax.set_title(f"Type 1 gage study: Cg = {self.cg:.2f}, Cgk = {self.cgk:.2f}")
        ax.legend(fontsize=8)
        return ax


def type1(
    values: Any,
    *,
    reference: Any,
    tolerance: Any,
    k: Any = 20,
    l: Any = 6,  # noqa: E741 - the letter L of Minitab and VDA 5
    confidence: Any = 0.95,
) -> Type1Study:
    """A type-1 gauge study: repeated measurements of one reference part.

    Cg = (K/100 * Tol) / (L * s), Cgk = (K/200 * Tol - |mean - reference|) /
    (L/2 * s), %Var(repeatability) = K / Cg, %Var(repeatability and bias) =
    K / Cgk (infinite when Cgk <= 0), and the t-test of bias = 0 (Minitab,
    Type 1 Gage Study, Methods and formulas; VDA 5).

    Parameters
    ----------
    values : array-like
        The measurements (at least 2, in the order taken).
    reference : float
        The reference value of the part.
    tolerance : float or (lsl, usl)
        The tolerance width USL - LSL.
    k : float
        Percentage of the tolerance the gauge may use (20).
    l : float
        Standard deviations spanned by the gauge variation (6; 5.15 for 99 %).
        qualityTools' ``cg()`` uses ``2 * norm.ppf(0.9973)`` (about 5.564).
    confidence : float
        Level of the confidence interval of the bias (0.95).

    Examples
    --------
    >>> import qualstat as qs
    >>> s = qs.msa.type1([10.01, 9.99, 10.02, 10.00, 9.98, 10.01, 10.00, 10.02],
    ...                  reference=10.0, tolerance=0.5)
    >>> round(s.cg, 2), round(s.cgk, 2), s.adequate
    (1.18, 1.1, False)
    """
    arr = as_array(values, "values")
    if arr.ndim != 1:
        raise ValueError(f"values has shape {arr.shape}: expected a 1-D array of measurements")
    arr = np.ascontiguousarray(arr, dtype=np.float64)
    ref = real(reference, "reference")
    tol = _tolerance(tolerance)
    if tol is None:
        raise ValueError("tolerance is not given: expected a positive tolerance width USL - LSL")
    kk, ll, conf = real(k, "k"), real(l, "l"), real(confidence, "confidence")
    out = _qualstat._type1(arr, ref, tol, kk, ll, conf)
    return Type1Study(
        n=out["n"],
        mean=out["mean"],
        sd=out["sd"],
        reference=ref,
        tolerance=tol,
        k=kk,
        l=ll,
        bias=out["bias"],
        t=out["t"],
        df=out["df"],
        p_value=out["p_value"],
        confidence=conf,
        bias_ci=(out["bias_lower"], out["bias_upper"]),
        cg=out["cg"],
        cgk=out["cgk"],
        pct_var_repeatability=out["pct_var_repeatability"],
        pct_var_repeatability_bias=out["pct_var_repeatability_bias"],
        values=arr,
    )
