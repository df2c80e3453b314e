"""``qualstat rates``: pass rates with confidence intervals by group, from a file of checks."""

from __future__ import annotations

import argparse

import qualstat as qs
from qualstat._units import fraction

from ._base import Report, call_api, number, number_or_percent
from ._io import COUNT, LABEL, Progress, add_record_arguments, columns, frame_text, read_input

NAME = "rates"
SUMMARY = "pass rates with confidence intervals by group, from a file of checks"
DESCRIPTION = """\
Pass rates by group from inspection records (qualstat.pass_rates): one row
per check with the items passed and inspected (--passed, --inspected), or one
row per item with a pass/fail column (--passed alone: true/false or 1/0).
Groups by one or more columns (--by region product); without --by, one
overall rate. --target tests each group against a target pass rate (exact
one-sided tests, Holm-adjusted by default) and adds p_value, p_adjusted and
verdict. Rates and limits are fractions (0.95 = 95 %). --plot draws the
forest plot.
"""
EXAMPLES = """\
  qualstat rates checks.csv --passed ok --inspected n --by region
  qualstat rates checks.parquet --passed ok --inspected n --by region product --method jeffreys
  qualstat rates items.csv --passed ok --by line --format csv --output rates.csv
  qualstat rates checks.xlsx --passed ok --inspected n --by region --target 95% --plot forest.png
"""

# The API arguments that come from options (an error naming one is exit code 4).
_OPTIONS = {
    "passed": "--passed",
    "inspected": "--inspected",
    "by": "--by",
    "confidence": "--confidence",
    "method": "--method",
    "bound": "--bound",
    "target": "--target",
    "alternative": "--alternative",
    "adjust": "--adjust",
    "test": "--test",
}


# The options passed through to qs.pass_rates as they are.
_TEST_OPTIONS = ("confidence", "method", "bound", "target", "alternative", "adjust", "test")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_record_arguments(parser, by_required=False, by_help="grouping column(s)")
    group = parser.add_argument_group("intervals and tests")
    group.add_argument(
        "--confidence",
        type=number,
        default=0.95,
        help="confidence level, a fraction (default 0.95)",
    )
    group.add_argument("--method", default="wilson", help="interval method (default wilson)")
    group.add_argument("--bound", default="two-sided", help="two-sided (default), lower, upper")
    group.add_argument(
        "--target",
        type=number_or_percent,
        help="target pass rate: 0.95 or 95%%; adds p_value, p_adjusted, verdict",
    )
    group.add_argument(
        "--alternative", default="less", help="with --target: less (default), greater, two-sided"
    )
    group.add_argument(
        "--adjust",
        default="holm",
        help="with --target: holm (default), bonferroni, hochberg, bh, by, none",
    )
    group.add_argument(
        "--test", default="exact", help="with --target: exact (default), mid_p, score"
    )
    parser.add_argument("--plot", metavar="FILE", help="draw the forest plot into FILE (.png, ...)")


def run(args: argparse.Namespace) -> Report:
    frame = read_input(args)
    wanted = {args.passed: ("--passed", COUNT)}
    if args.inspected is not None:
        wanted[args.inspected] = ("--inspected", COUNT)
    wanted.update({c: ("--by", LABEL) for c in args.by or []})
    frame = columns(frame, wanted, args.input)
    options = {k: getattr(args, k) for k in _TEST_OPTIONS}
    with Progress(f"pass rates of {frame.height} records"):
        rates = call_api(
            lambda: qs.pass_rates(
                frame, passed=args.passed, inspected=args.inspected, by=args.by, **options
            ),
            options=_OPTIONS,
            source=args.input,
        )
    head = (
        f"Pass rates ({args.method}, {args.bound}, confidence {args.confidence:g}); "
        "rates and limits are fractions"
    )
    if args.target is not None:
        head += f"; target {args.target} ({args.alternative}, {args.adjust}-adjusted)"
    data = {
        "method": args.method,
        "confidence": args.confidence,
        "bound": args.bound,
        "target": None if args.target is None else fraction(args.target, "target"),
        "rows": rates,
    }

    def draw() -> object:
        return qs.plot_pass_rates(rates, target=args.target)

    return Report(text=f"{head}\n\n{frame_text(rates)}", data=data, table=rates, draw=draw)
