"""``qualstat report``: the spot-check report of units' pass rates (and its HTML file)."""

from __future__ import annotations

import argparse
import importlib.util
from pathlib import Path
from typing import Any

import qualstat as qs

from ._base import (
    MissingDependency,
    Report,
    call_api,
    number,
    number_list,
    number_or_percent,
    whole,
)
from ._io import (
    COUNT,
    LABEL,
    Progress,
    add_record_arguments,
    check_output_path,
    columns,
    frame_text,
    read_input,
)

NAME = "report"
SUMMARY = "spot-check report: units' pass rates judged, compared and ranked (--html)"
DESCRIPTION = """\
The spot-check report of units (regions, products, enterprises) from a file of
inspection records (qualstat.spot_check_report): the records summed by unit
(--by), then each unit's pass rate with its confidence interval and a verdict
against the target (--target, default 95%; 'none' for no tests), its funnel
class around the pooled rate, its shrunk (empirical-Bayes) rate and its rank
interval. --period: the units are analysed on the latest period's records,
with every period's rates as the trend. The output is the summary in plain
words and the table of units (--format csv: the units table; json: every
table and field). --html writes the report as one self-contained HTML file
(figures inline); --plot draws the forest plot. Rates are fractions.
"""
EXAMPLES = """\
  qualstat report checks.csv --passed ok --inspected n --by region
  qualstat report checks.parquet --passed ok --inspected n --by region product --target 90%
  qualstat report checks.csv --passed ok --inspected n --by region --period month --html report.html
  qualstat report checks.csv --passed ok --inspected n --by region --format csv --output units.csv
"""

# The API arguments that come from options (an error naming one is exit code 4).
_OPTIONS = {
    "passed": "--passed",
    "inspected": "--inspected",
    "by": "--by",
    "period": "--period",
    "target": "--target",
    "confidence": "--confidence",
    "method": "--method",
    "alternative": "--alternative",
    "adjust": "--adjust",
    "test": "--test",
    "limits": "--limits",
    "levels": "--levels",
    "overdispersion": "--overdispersion",
    "winsorize": "--winsorize",
    "prior": "--prior",
    "draws": "--draws",
    "seed": "--seed",
}
# The options passed through to qs.spot_check_report as they are.
_PASSED_ON = (
    "confidence",
    "method",
    "alternative",
    "adjust",
    "test",
    "limits",
    "overdispersion",
    "winsorize",
    "prior",
    "draws",
    "seed",
)
# The columns of the units table the readable output shows.
_SHOWN = (
    "passed",
    "inspected",
    "rate",
    "lower",
    "upper",
    "p_adjusted",
    "verdict",
    "class",
    "posterior_mean",
    "rank_lower",
    "rank_upper",
)


def _target(text: str) -> float | str | None:
    """``--target``: a fraction, a percent string, or ``none`` (no target tests)."""
    return None if text.strip().lower() == "none" else number_or_percent(text)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = add_record_arguments(parser, by_required=True, by_help="the column(s) naming a unit")
    group.add_argument("--period", metavar="COLUMN", help="column of periods (month, quarter)")
    group = parser.add_argument_group("tests and intervals")
    group.add_argument(
        "--target",
        type=_target,
        default=0.95,
        help="target pass rate: 0.95 (default) or 95%%; none: no target tests",
    )
    group.add_argument(
        "--confidence", type=number, default=0.95, help="confidence level (default 0.95)"
    )
    group.add_argument("--method", default="wilson", help="interval method (default wilson)")
    group.add_argument(
        "--alternative", default="less", help="target tests: less (default), greater, two-sided"
    )
    group.add_argument(
        "--adjust", default="holm", help="holm (default), bonferroni, hochberg, bh, by, none"
    )
    group.add_argument("--test", default="exact", help="exact (default), mid_p, score")
    group = parser.add_argument_group("funnel, shrinkage and ranks")
    group.add_argument("--limits", default="score", help="funnel: score (default), exact, arcsine")
    group.add_argument(
        "--levels",
        type=number_list,
        default=[0.95, 0.998],
        help="funnel levels (default 0.95,0.998)",
    )
    group.add_argument("--overdispersion", help="funnel: multiplicative or additive")
    group.add_argument(
        "--winsorize", type=number, default=0.1, help="funnel over-dispersion (default 0.1)"
    )
    group.add_argument("--prior", default="eb", help="ranks: eb (default) or jeffreys")
    group.add_argument("--draws", type=whole, default=10_000, help="rank draws (default 10000)")
    group.add_argument("--seed", type=whole, default=0, help="seed of the rank draws (default 0)")
    group = parser.add_argument_group("files")
    group.add_argument("--html", metavar="FILE", help="write the report as one HTML file")
    parser.add_argument("--plot", metavar="FILE", help="draw the forest plot into FILE (.png, ...)")


def run(args: argparse.Namespace) -> Report:
    if args.html is not None:  # before any work, as --output and --plot
        check_output_path(args.html, "--html")
        if importlib.util.find_spec("matplotlib") is None:
            raise MissingDependency("--html needs matplotlib: pip install 'qualstat[plot]'")
    frame = read_input(args)
    wanted = {args.passed: ("--passed", COUNT)}
    if args.inspected is not None:
        wanted[args.inspected] = ("--inspected", COUNT)
    wanted.update({c: ("--by", LABEL) for c in args.by})
    if args.period is not None:
        wanted[args.period] = ("--period", LABEL)
    frame = columns(frame, wanted, args.input)
    options = {k: getattr(args, k) for k in _PASSED_ON}
    with Progress(f"spot-check report of {frame.height} records"):
        result = call_api(
            lambda: qs.spot_check_report(
                frame,
                passed=args.passed,
                inspected=args.inspected,
                by=args.by,
                period=args.period,
                target=args.target,
                levels=tuple(args.levels),
                **options,
            ),
            options=_OPTIONS,
            source=args.input,
        )
    files: tuple[Any, ...] = ()
    if args.html is not None:
        with Progress("drawing the HTML report"):
            page = result.to_html()
        files = ((args.html, lambda tmp: Path(tmp).write_text(page, encoding="utf-8")),)
    shown = result.units.select([*result.by, *(c for c in _SHOWN if c in result.units.columns)])
    text = (
        f"{result!r}\n\n{frame_text(shown)}\n"
        "(every column of the units table: --format csv; every table: --format json)"
    )
    return Report(
        text=text,
        data=result.to_dict(),
        table=result.units,
        draw=result.forest_plot,
        files=files,
    )
