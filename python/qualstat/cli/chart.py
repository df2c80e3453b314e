"""``qualstat chart``: a control chart of a column: limits, and the points the rules flag."""

from __future__ import annotations

import argparse
import inspect
from collections.abc import Callable
from typing import Any

import polars as pl

import qualstat as qs
from qualstat._coerce import free_name, option

from ._base import InputError, Report, ValueProblem, call_api, number, number_or_percent, whole
from ._io import (
    COUNT,
    LABEL,
    NUMBER,
    Progress,
    add_input_arguments,
    columns,
    frame_text,
    read_input,
)

NAME = "chart"
SUMMARY = "a control chart (xbar-R, I-MR, p, c, u, Laney, g, CUSUM, EWMA) with runs rules"
DESCRIPTION = """\
A control chart of a file's values (qualstat.control): the plotted statistic
of every point with its centre line and limits, and the runs rules each point
broke. --type picks the chart:

  xbar_r, xbar_s  subgroup means with ranges or standard deviations: --value,
                  and --subgroups (a column of subgroup labels) or --subgroup-size
  imr             individual values and moving ranges: --value
  p, np, u        counts of nonconforming items (p, np) or nonconformities (u)
                  per row: --value, with the sample sizes --inspected (a column,
                  or one number for every sample)
  p_prime, u_prime  Laney's p' and u' (over-dispersed counts; --axis)
  c, g            counts per sample (c), conforming units between events (g)
  cusum, ewma     tabular CUSUM (--k, --h) and EWMA (--lam) of individuals or
                  subgroup means

The limits are estimated from the phase-I points: all of them by default;
--phase1 N takes the first N points, --phase1 COLUMN a column of true/false
per row (the same on every row of a subgroup); the later points are plotted
against those limits (phase II). --rules we (Western Electric 1-4), nelson
(Nelson 1-8), or single rules as SET:NUMBER (we:1 we:4); without --rules, or
with --rules none (the API's rules=None), rule 1 only (a point beyond the
limits; a CUSUM signals by its decision interval only). The options are those of the API function
of the chart, with - for _ (--sigma-method, --head-start); an option that
chart does not take is an error. The output is one row per point of each
chart (xbar and R, I and MR: both); 'rules' lists every rule broken at the
point. The exit code does not depend on the signals (as 'decide' does not on
the verdict): read them in the output ('signals' in --format json).
"""
EXAMPLES = """\
  qualstat chart rings.csv --type xbar_r --value diameter --subgroups sample --phase1 trial
  qualstat chart rings.csv --type xbar_s --value diameter --subgroup-size 5 --rules nelson
  qualstat chart viscosity.csv --type imr --value viscosity --phase1 20 --plot imr.png
  qualstat chart juice.csv --type p --value D --inspected size --phase1 trial --format csv
  qualstat chart juice.csv --type np --value D --inspected 50 --rules we:1 we:4
  qualstat chart regions.csv --type p_prime --value failed --inspected checked --axis categorical
  qualstat chart viscosity.csv --type cusum --value viscosity --k 0.5 --h 4 --format json
  qualstat chart viscosity.csv --type ewma --value viscosity --lam 0.2 --L 2.7 --revise
"""

#: The chart types and their API functions (whose keyword options the command takes).
TYPES: dict[str, Callable[..., Any]] = {
    "xbar_r": qs.control.xbar_r,
    "xbar_s": qs.control.xbar_s,
    "imr": qs.control.imr,
    "p": qs.control.p,
    "np": qs.control.np,
    "c": qs.control.c,
    "u": qs.control.u,
    "p_prime": qs.control.p_prime,
    "u_prime": qs.control.u_prime,
    "g": qs.control.g,
    "cusum": qs.control.cusum,
    "ewma": qs.control.ewma,
}
_WITH_SIZES = ("p", "np", "u", "p_prime", "u_prime")
_COUNTS = (*_WITH_SIZES, "c", "g")

# The keyword options of the charts, as CLI flags (dest -> flag); an error naming
# one of them (or the data's shape through --subgroups) is an invalid value (exit 4).
_FLAGS = {
    "subgroup_size": "--subgroup-size",
    "subgroups": "--subgroups",
    "sigma_method": "--sigma-method",
    "sigma": "--sigma",
    "center": "--center",
    "target": "--target",
    "constants": "--constants",
    "span": "--span",
    "limits": "--limits",
    "confidence": "--confidence",
    "axis": "--axis",
    "k": "--k",
    "h": "--h",
    "head_start": "--head-start",
    "standardized": "--standardized",
    "lam": "--lam",
    "L": "--L",
    "rules": "--rules",
    "phase1": "--phase1",
    "stages": "--stages",
}
_OPTIONS = {
    **_FLAGS,
    "type": "--type",
    "size": "--inspected",
    "sizes": "--inspected",
    "rule_set": "--rules",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_input_arguments(parser, "with one row per value (or per sample for counts)")
    group = parser.add_argument_group("chart and data")
    group.add_argument("--type", required=True, help=", ".join(TYPES))
    group.add_argument(
        "--value",
        required=True,
        metavar="COLUMN",
        help="the column of values (or counts, for attribute charts)",
    )
    group.add_argument(
        "--inspected",
        metavar="COLUMN|N",
        help="p, np, u, p', u': sample sizes, a column or one number for all samples",
    )
    group.add_argument("--subgroups", metavar="COLUMN", help="column of subgroup labels")
    group.add_argument("--subgroup-size", type=whole, help="consecutive subgroups of this size")
    group.add_argument(
        "--phase1",
        metavar="N|COLUMN",
        help="the points that estimate the limits: the first N, or a true/false column",
    )
    group.add_argument(
        "--stages", metavar="COLUMN", help="a stage label per row: each stage gets its own limits"
    )
    group.add_argument(
        "--rules",
        nargs="+",
        metavar="RULES",
        help="we, nelson, or single rules SET:NUMBER (we:1 we:4); default (none): rule 1",
    )
    group.add_argument(
        "--revise",
        action="store_true",
        help="estimate again without the phase-I points a rule flagged (once)",
    )
    group = parser.add_argument_group("limits (as the API of the chart type)")
    group.add_argument("--L", type=number, help="width of the limits in standard errors (3)")
    group.add_argument("--center", type=number_or_percent, help="known centre line")
    group.add_argument("--sigma", type=number, help="known process sigma")
    group.add_argument(
        "--sigma-method", help="xbar: uwave-r, uwave-sd, mvlue-r, ...; imr: mr, median_mr, ..."
    )
    group.add_argument("--constants", help="exact (default) or qcc (qcc's tables of d2, d3)")
    group.add_argument("--span", type=whole, help="imr: span of the moving range (2)")
    group.add_argument(
        "--limits", help="attribute charts: sigma or probability; ewma: exact or asymptotic"
    )
    group.add_argument("--confidence", type=number, help="confidence of probability limits")
    group.add_argument("--axis", help="p', u': time (default) or categorical")
    group.add_argument("--target", type=number, help="cusum, ewma: known mean")
    group.add_argument("--k", type=number, help="cusum: reference value (0.5)")
    group.add_argument("--h", type=number, help="cusum: decision interval (5)")
    group.add_argument("--head-start", type=number, help="cusum: fast initial response (0)")
    group.add_argument(
        "--standardized",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="cusum: sums in sigma units (default) or, --no-standardized, in data units",
    )
    group.add_argument("--lam", type=number, help="ewma: smoothing constant (0.2)")
    parser.add_argument("--plot", metavar="FILE", help="draw the chart(s) into FILE (.png, ...)")


def _rules(items: list[str]) -> Any:
    """``--rules`` as the API's ``rules=``: None, a set name, or (set, number) pairs."""
    if len(items) == 1 and items[0].strip().lower() == "none":
        return None
    if len(items) == 1 and ":" not in items[0]:
        return items[0]
    pairs = []
    for item in items:
        name, _, count = item.partition(":")
        try:
            pairs.append((name, int(count)))
        except ValueError:
            raise ValueProblem(
                f"--rules {item!r} is invalid: expected we, nelson, or rules as SET:NUMBER "
                "such as we:1 we:4"
            ) from None
    return pairs


def _point_index(frame: pl.DataFrame, args: argparse.Namespace) -> pl.Series:
    """The point each row belongs to (0-based): its subgroup, or its row."""
    rows = pl.int_range(frame.height, eager=True)
    if args.subgroups is not None:
        labels = frame[args.subgroups]
        first = labels.unique(maintain_order=True)
        return labels.replace_strict(first, pl.int_range(first.len(), eager=True))
    if args.subgroup_size is not None and args.subgroup_size > 0:
        return rows // args.subgroup_size
    return rows


def _per_point(frame: pl.DataFrame, column: str, flag: str, points: pl.Series, source: str) -> Any:
    """A per-row column as one value per point (a subgroup's rows must agree)."""
    point, index, first = (free_name(n, [column]) for n in ("_point", "_row", "_first"))
    rows = frame.select(pl.col(column), points.alias(point)).with_row_index(index)
    other = rows.with_columns(pl.col(index).first().over(point).alias(first)).filter(
        pl.col(column).ne_missing(pl.col(column).first().over(point))
    )
    if other.height:
        row, head = int(other[index][0]), int(other[first][0])
        raise InputError(
            f"{source}: {flag} {column!r} differs within a subgroup: {rows[column][row]!r} in "
            f"row {row}, {rows[column][head]!r} in row {head} (a subgroup's rows must agree)"
        )
    return rows.group_by(point, maintain_order=True).agg(pl.col(column).first())[column]


def _phase1(text: str, frame: pl.DataFrame, points: pl.Series, source: str) -> Any:
    """``--phase1`` as the API's mask over the points: the first N, or a column per row."""
    count = points.n_unique()  # the points are numbered 0 .. count - 1
    if text.strip().isdigit():
        first = int(text)
        if not 1 <= first <= count:
            raise ValueProblem(
                f"--phase1 = {first} is invalid: expected a number of points from 1 to {count}"
            )
        return (pl.int_range(count, eager=True) < first).to_numpy()
    if text not in frame.columns:
        raise ValueProblem(
            f"--phase1 = {text!r} is neither a whole number nor a column of the input"
        )
    column = columns(frame, {text: ("--phase1", COUNT)}, source)[text]
    if column.null_count():
        row = int(column.is_null().arg_true()[0])
        raise InputError(f"{source}: --phase1 {text!r} is missing in row {row}")
    if column.dtype != pl.Boolean:
        bad = ~column.cast(pl.Float64).is_in([0.0, 1.0])
        if bad.any():
            row = int(bad.arg_true()[0])
            raise InputError(
                f"{source}: --phase1 {text!r} must hold true/false or 1/0, "
                f"it holds {column[row]!r} in row {row}"
            )
        column = column.cast(pl.Boolean)
    return _per_point(frame.with_columns(column), text, "--phase1", points, source).to_numpy()


def _sizes(text: str | None, frame: pl.DataFrame, chart: str, source: str) -> Any:
    if text is None:
        raise ValueProblem(f"--inspected is required for a {chart} chart: the sample sizes")
    try:
        return float(text)
    except ValueError:
        pass
    if text not in frame.columns:
        raise ValueProblem(f"--inspected = {text!r} is neither a number nor a column of the input")
    return columns(frame, {text: ("--inspected", COUNT)}, source)[text].cast(pl.Float64).to_numpy()


def _given(args: argparse.Namespace, accepted: set[str], chart: str) -> dict[str, Any]:
    """The chart options given on the command line; one the chart does not take is an error."""
    given = {k: getattr(args, k) for k in _FLAGS if getattr(args, k) is not None}
    for name in given:
        if name not in accepted:
            takes = [t for t, f in TYPES.items() if name in inspect.signature(f).parameters]
            raise ValueProblem(
                f"{_FLAGS[name]} is not an option of a {chart} chart (it is for {', '.join(takes)})"
            )
    return given


def _build(frame: pl.DataFrame, args: argparse.Namespace, chart: str) -> Any:
    function = TYPES[chart]
    accepted = set(inspect.signature(function).parameters)
    if args.inspected is not None and chart not in _WITH_SIZES:
        raise ValueProblem(f"--inspected is for {', '.join(_WITH_SIZES)} charts, not {chart}")
    options = _given(args, accepted, chart)
    if chart in ("xbar_r", "xbar_s") and args.subgroups is None and args.subgroup_size is None:
        raise ValueProblem(f"a {chart} chart needs --subgroups COLUMN or --subgroup-size N")
    wanted = {args.value: ("--value", COUNT if chart in _COUNTS else NUMBER)}
    for name in ("subgroups", "stages"):
        if getattr(args, name) is not None:
            wanted[getattr(args, name)] = (_FLAGS[name], LABEL)
    frame = columns(frame, wanted, args.input)
    for name in ("subgroups", "stages"):
        col = getattr(args, name)
        if col is not None and frame[col].null_count():
            row = int(frame[col].is_null().arg_true()[0])
            raise InputError(f"{args.input}: {_FLAGS[name]} {col!r} is missing in row {row}")
    points = _point_index(frame, args)
    if args.rules is not None:
        options["rules"] = _rules(args.rules)  # None (--rules none) is the API's default
    if args.phase1 is not None:
        options["phase1"] = _phase1(args.phase1, frame, points, args.input)
    if args.stages is not None:
        options["stages"] = _per_point(frame, args.stages, "--stages", points, args.input)
    if args.subgroups is not None:
        options["subgroups"] = frame[args.subgroups]
    values = frame[args.value].cast(pl.Float64).to_numpy()
    data: tuple[Any, ...] = (values,)
    if chart in _WITH_SIZES:
        data = (values, _sizes(args.inspected, frame, chart, args.input))

    def make() -> Any:
        result = function(*data, **options)
        return result.revise() if args.revise else result

    with Progress(f"{chart} chart of {frame.height} rows"):
        return call_api(make, options=_OPTIONS, source=args.input)


def _points(chart: qs.control.Chart) -> pl.DataFrame:
    """The chart's table with every rule broken at each point (and a CUSUM's sums)."""
    table = chart.table
    broken = chart.violations.select(
        pl.col("point").cast(pl.UInt32), pl.col("rules").list.join(", ")
    )
    table = (
        table.with_row_index("_point")
        .join(broken, left_on="_point", right_on="point", how="left", maintain_order="left")
        .drop("_point")
    )
    if isinstance(chart, qs.control.CusumChart):
        table = table.with_columns(pl.Series("upper", chart.upper), pl.Series("lower", chart.lower))
    return table.select(pl.lit(chart.name).alias("chart"), pl.all())


def run(args: argparse.Namespace) -> Report:
    chart = call_api(
        lambda: option(args.type, "type", tuple(TYPES)), options=_OPTIONS, source=args.input
    )
    frame = read_input(args)
    result = _build(frame, args, chart)
    charts = result.charts if isinstance(result, qs.control.Pair) else (result,)
    tables = [_points(c) for c in charts]
    table = pl.concat(tables, how="diagonal_relaxed")
    signals = sum(c.violations.height for c in charts)
    summary = [c._summary() for c in charts]
    data = {
        "type": chart,
        "signals": signals,
        "charts": [{**c.to_dict(), "table": t} for c, t in zip(charts, tables, strict=True)],
    }
    text = "\n".join(
        [*summary, f"{signals} point(s) flagged in all", "", frame_text(table, decimals=6)]
    )

    def draw() -> Any:
        axes = result.plot()
        return axes[0] if isinstance(result, qs.control.Pair) else axes

    return Report(text=text, data=data, table=table, draw=draw)
