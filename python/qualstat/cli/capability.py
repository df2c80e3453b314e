"""``qualstat capability``: a capability study of a column, overall or by group."""

from __future__ import annotations

import argparse
import functools
from typing import Any

import polars as pl

import qualstat as qs
from qualstat._coerce import free_name
from qualstat.capability import ALL_COLUMNS, INDICES

from ._base import Report, ValueProblem, call_api, number, whole
from ._io import (
    LABEL,
    NUMBER,
    Progress,
    add_input_arguments,
    columns,
    frame_text,
    number_or_column,
    read_input,
)

NAME = "capability"
SUMMARY = "process capability (Cp, Cpk, Pp, Ppk, Cpm, PPM) of a column, optional --by"
DESCRIPTION = """\
A process capability study of the measurements in one column
(qualstat.capability): Cp, Cpk, Pp, Ppk, Cpm with confidence intervals,
Z.bench and PPM (Minitab conventions; within sigma from subgroups or moving
ranges). With --by, one study per group in parallel (qualstat.capability_by),
where --lsl, --usl and --target may also name a column holding each group's
limit. Non-normal data: --distribution (ISO 22514-2 percentile method) or
--boxcox. Bootstrap intervals: --method bootstrap (a progress bar shows on a
terminal). --plot draws the histogram with the limits and fitted curves
(without --by). --format csv: one row per study (per group with --by) with
every number of the JSON output as a column, named as by capability_by
(intervals as cpk_lower, cpk_upper, ...).
"""
EXAMPLES = """\
  qualstat capability rings.csv --value diameter --lsl 73.95 --usl 74.05 --subgroup-size 5
  qualstat capability parts.xlsx --value x --usl 9.0 --distribution auto
  qualstat capability parts.csv --value x --by machine --lsl 7 --usl 13 --format csv
  qualstat capability parts.csv --value x --by machine --lsl lsl --usl usl --columns all
  qualstat capability rings.csv --value diameter --lsl 73.95 --usl 74.05 --plot hist.png
  qualstat capability rings.csv --value diameter --lsl 73.95 --usl 74.05 --method bootstrap
"""

# The API arguments that come from options (an error naming one is exit code 4).
_OPTIONS = {
    "value": "--value",
    "by": "--by",
    "subgroups": "--subgroups",
    "lsl": "--lsl",
    "usl": "--usl",
    "target": "--target",
    "subgroup_size": "--subgroup-size",
    "within": "--within",
    "confidence": "--confidence",
    "bound": "--bound",
    "nan_policy": "--nan-policy",
    "distribution": "--distribution",
    "boxcox": "--boxcox",
    "method": "--method",
    "bootstrap": "--bootstrap",
    "resamples": "--resamples",
    "seed": "--seed",
    "columns": "--columns",
}
_GROUP_CHUNK = 256


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_input_arguments(parser, "with one row per measurement")
    group = parser.add_argument_group("data")
    group.add_argument(
        "--value", required=True, metavar="COLUMN", help="the column of measurements"
    )
    group.add_argument(
        "--by",
        nargs="+",
        metavar="COLUMN",
        help="grouping column(s), not named like a result column (n, mean, cpk, ..., error)",
    )
    group.add_argument("--subgroup-size", type=whole, help="consecutive subgroups of this size")
    group.add_argument("--subgroups", metavar="COLUMN", help="column of subgroup labels")
    group = parser.add_argument_group("specification (a number; with --by also a column name)")
    group.add_argument("--lsl", help="lower specification limit")
    group.add_argument("--usl", help="upper specification limit")
    group.add_argument("--target", help="target (for Cpm)")
    group = parser.add_argument_group("study")
    group.add_argument(
        "--within",
        default="auto",
        help="within sigma: auto (default), pooled, rbar, sbar, mr, median_mr",
    )
    group.add_argument(
        "--confidence",
        type=number,
        default=0.95,
        help="confidence level of the intervals (default 0.95)",
    )
    group.add_argument("--bound", default="two-sided", help="two-sided (default), lower, upper")
    group.add_argument("--nan-policy", default="raise", help="raise (default) or omit")
    group.add_argument(
        "--distribution",
        default="normal",
        help="normal (default), lognormal, weibull, gamma, auto, nonparametric (percentile method)",
    )
    group.add_argument("--boxcox", help="Box-Cox first: ml, rounded, or a lambda")
    group.add_argument(
        "--method", default="classic", help="intervals: classic (default) or bootstrap"
    )
    group.add_argument("--bootstrap", default="bca", help="bca (default) or percentile")
    group.add_argument(
        "--resamples", type=whole, default=10_000, help="bootstrap resamples (default 10000)"
    )
    group.add_argument("--seed", type=whole, default=0, help="bootstrap seed (default 0)")
    group.add_argument(
        "--columns",
        nargs="+",
        default=["main"],
        help="with --by: main (default), all, or column names",
    )
    parser.add_argument(
        "--plot",
        metavar="FILE",
        help="draw the histogram and fitted curves into FILE (without --by)",
    )


def _boxcox(text: str | None) -> Any:
    if text is None:
        return None
    try:
        return float(text)
    except ValueError:
        return text


def _study_options(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "subgroup_size": args.subgroup_size,
        "within": args.within,
        "confidence": args.confidence,
        "bound": args.bound,
        "nan_policy": args.nan_policy,
        "distribution": args.distribution,
        "boxcox": _boxcox(args.boxcox),
        "method": args.method,
        "bootstrap": args.bootstrap,
        "resamples": args.resamples,
        "seed": args.seed,
    }


def run(args: argparse.Namespace) -> Report:
    grouped = args.by is not None
    if grouped and args.plot is not None:
        raise ValueProblem("--plot draws one study: give it without --by")
    frame = read_input(args)
    spec = {
        name: number_or_column(
            getattr(args, name), f"--{name}", frame, column_ok=grouped, only_with="--by"
        )
        for name in ("lsl", "usl", "target")
    }
    # The labels first: a column that is also the value or a limit must hold numbers.
    wanted = {c: ("--by", LABEL) for c in args.by or []}
    if args.subgroups is not None:
        if args.subgroup_size is not None:
            raise ValueProblem("give --subgroups or --subgroup-size, not both")
        wanted[args.subgroups] = ("--subgroups", LABEL)
    wanted[args.value] = ("--value", NUMBER)
    wanted.update({v: (f"--{k}", NUMBER) for k, v in spec.items() if isinstance(v, str)})
    frame = columns(frame, wanted, args.input)
    if grouped:
        return _by_group(frame, args, spec)
    if args.columns != ["main"]:
        raise ValueProblem("--columns is for --by studies")
    return _single(frame, args, spec)


def _single(frame: pl.DataFrame, args: argparse.Namespace, spec: dict[str, Any]) -> Report:
    opts = _study_options(args)
    subgroups = None if args.subgroups is None else frame[args.subgroups]
    data = frame[args.value].cast(pl.Float64).to_numpy()
    with Progress(f"capability study of {len(data)} values"):
        res = call_api(
            lambda: qs.capability(
                data, spec["lsl"], spec["usl"], target=spec["target"], subgroups=subgroups, **opts
            ),
            options=_OPTIONS,
            source=args.input,
        )
    rows = []
    for name in INDICES:
        value = getattr(res, name)
        if value is None:
            continue
        try:
            lower, upper = res.interval(name)
        except (ValueError, KeyError):
            lower = upper = None
        rows.append({"index": name, "value": value, "lower": lower, "upper": upper})
    table = pl.DataFrame(
        rows,
        schema={"index": pl.String, "value": pl.Float64, "lower": pl.Float64, "upper": pl.Float64},
    )
    text = "\n".join(
        [
            repr(res),
            "",
            frame_text(table),
            "",
            f"sigma: within {_g(res.sigma_within)}, overall {_g(res.sigma_overall)}",
            f"Z.bench: within {_g(res.z_bench_within)}, overall {_g(res.z_bench_overall)}",
            f"PPM: observed {_g(res.ppm_observed)}, expected within {_g(res.ppm_within)}, "
            f"expected overall {_g(res.ppm_overall)}",
        ]
    )
    return Report(text=text, data=res.to_dict(), table=_study_row(res), draw=res.plot)


def _study_row(res: qs.Capability) -> pl.DataFrame:
    """The study as one row (the CSV): the columns of ``--by ... --columns all`` in their
    order, then every other field of the JSON output; the fitted distribution's two
    parameters as ``param_1``, ``param_2`` and its percentiles as ``percentile_0.135``,
    ``percentile_50``, ``percentile_99.865``."""
    fields = res.to_dict()
    intervals = fields.pop("intervals")
    params = fields.pop("params") or (None, None)
    percentiles = fields.pop("percentiles") or (None, None, None)
    fields["lambda"] = fields.pop("lambda_")
    row: dict[str, Any] = {}
    for name in ALL_COLUMNS:
        index, _, side = name.rpartition("_")
        if side in ("lower", "upper") and index in INDICES:
            bounds = intervals.get(index)
            row[name] = None if bounds is None else bounds[0 if side == "lower" else 1]
        else:
            row[name] = fields.pop(name)
    row.update(fields)
    row.update(zip(("param_1", "param_2"), params, strict=True))
    levels = ("0.135", "50", "99.865")
    row.update((f"percentile_{p}", x) for p, x in zip(levels, percentiles, strict=True))
    return pl.DataFrame([row])


def _g(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.5g}"


def _parts(frame: pl.DataFrame, groups: pl.DataFrame, keys: list[str]) -> list[pl.DataFrame]:
    """The rows of consecutive runs of :data:`_GROUP_CHUNK` groups (in key order; ``groups``:
    each group's index, then its keys), rows kept in frame order: each group's study is
    independent (a bootstrap uses the same seed in every group), so studying the parts one
    by one gives the numbers of one call, and lets a progress bar move."""
    name = free_name("_part", frame.columns)
    part = (pl.col(groups.columns[0]) // _GROUP_CHUNK).alias(name)
    tagged = frame.join(
        groups.select(*keys, part), on=keys, how="left", maintain_order="left", nulls_equal=True
    )
    by_part = tagged.partition_by(name, as_dict=True, include_key=False)
    return [by_part[k] for k in sorted(by_part)]


def _by_group(frame: pl.DataFrame, args: argparse.Namespace, spec: dict[str, Any]) -> Report:
    opts = _study_options(args)
    cols: Any = args.columns[0] if args.columns in (["main"], ["all"]) else args.columns
    keys = args.by
    call = dict(
        value=args.value,
        by=keys,
        lsl=spec["lsl"],
        usl=spec["usl"],
        target=spec["target"],
        subgroups=args.subgroups,
        columns=cols,
        **opts,
    )
    groups = frame.select(keys).unique().sort(keys).with_row_index(free_name("_group", keys))
    slow = args.method.lower() == "bootstrap" and groups.height > _GROUP_CHUNK
    with Progress(
        f"capability studies of {groups.height} groups", total=groups.height if slow else None
    ) as progress:
        parts = []
        for rows in _parts(frame, groups, keys) if slow else [frame]:
            parts.append(
                call_api(
                    functools.partial(qs.capability_by, rows, **call),
                    options=_OPTIONS,
                    source=args.input,
                )
            )
            progress.advance(parts[-1].height)
    table = pl.concat(parts)
    failed = table.filter(pl.col("error").is_not_null()).height
    head = f"Capability by {', '.join(keys)}: {table.height} groups"
    if failed:
        head += f" ({failed} failed: see the error column)"
    data = {"value": args.value, "by": keys, **spec, **opts, "groups": table}
    return Report(text=f"{head}\n\n{frame_text(table)}", data=data, table=table)
