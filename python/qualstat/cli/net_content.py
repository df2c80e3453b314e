"""``qualstat net-content``: net-content lot decisions (EU e-mark, UK, OIML R 87, China)."""

from __future__ import annotations

import argparse
from typing import Any

import polars as pl

from qualstat import net_content as nc

from ._base import Report, call_api
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

NAME = "net-content"
SUMMARY = "net content of prepackages: decide every lot of a file (e-mark, OIML R 87, ...)"
DESCRIPTION = """\
Decides lots of prepackages on their net content (qualstat.net_content): the
mean test (mean >= Qn - lambda s), the count of packages short by more than
the tolerable negative error T (T1) against the plan's acceptance number, and
the regime's rule on packages short by more than 2T (T2).

The input has one row per package measured, in the order drawn: --value is
the measured quantity (the net content, or the gross one with --tare). With
--lot, every lot of the file is decided (in parallel): a double plan's second
sample follows the first in the rows of its lot, so the number of rows tells
how many stages were inspected. --nominal, --lot-size and --tare are a number
for every lot or a column (the same on every row of a lot). Without --lot the
whole file is one lot, and the output shows each criterion.

--regime: eu (Directive 76/211/EEC, the e-mark), uk_2006, oiml_r87_2004,
china_2005. --unit: g (default), kg, mL, cL, L, mm, cm, m, mm2, cm2, m2,
count. Verdicts: accept, reject, or continue (draw the second sample). The
exit code does not depend on the verdicts (as 'decide').
"""
EXAMPLES = """\
  qualstat net-content packs.csv --lot lot --value g --nominal 500 --regime eu --lot-size 1000
  qualstat net-content packs.csv --lot lot --value g --nominal qn --lot-size lot_size --regime eu
  qualstat net-content bottles.csv --lot batch --value ml --unit mL --nominal 750 --lot-size 1000 \
--regime oiml_r87_2004 --format csv --output verdicts.csv
  qualstat net-content lot7.csv --value gross --tare 12.5 --nominal 500 --regime eu --lot-size 300
"""

# The API arguments that come from options (an error naming one is exit code 4); the
# columns are checked before the call ("lot = 'n'": a lot column named like a result
# column), and an error naming a lot ("lot 'A': ...") is about the file's records
# (exit code 3).
_OPTIONS = {
    "lot": "--lot",
    "nominal": "--nominal",
    "regime": "--regime",
    "lot_size": "--lot-size",
    "unit": "--unit",
    "destructive": "--destructive",
    "kind": "--kind",
    "tare": "--tare",
    "mean_rule": "--mean-rule",
    "lam": "--lam",
    "t2_policy": "--t2-policy",
    "rounding": "--rounding",
}
# The options passed to the API as they are.
_SETTINGS = ("regime", "unit", "destructive", "kind", "mean_rule", "lam", "t2_policy", "rounding")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_input_arguments(parser, "with one row per package")
    group = parser.add_argument_group("columns")
    group.add_argument(
        "--value", required=True, metavar="COLUMN", help="the column of measured quantities"
    )
    group.add_argument("--lot", metavar="COLUMN", help="the column naming each package's lot")
    group = parser.add_argument_group("lots (a number, or a column constant within each lot)")
    group.add_argument(
        "--nominal", required=True, metavar="X|COLUMN", help="nominal quantity Qn, in --unit"
    )
    group.add_argument("--lot-size", required=True, metavar="COLUMN|N", help="packages in the lot")
    group.add_argument(
        "--tare", metavar="X|COLUMN", help="tare of each package: the measurements are gross"
    )
    group = parser.add_argument_group("regime and plan")
    group.add_argument("--regime", required=True, help="eu, uk_2006, oiml_r87_2004 or china_2005")
    group.add_argument("--unit", default="g", help="unit of the quantities (default g)")
    group.add_argument(
        "--destructive", action="store_true", help="destructive testing (EU, UK: single plan)"
    )
    group.add_argument("--kind", help="EU, UK non-destructive: double (default) or single")
    group.add_argument("--mean-rule", default="ge", help="mean test: ge (default, >=) or gt (>)")
    group.add_argument("--lam", default="printed", help="lambda: printed (default) or exact")
    group.add_argument("--t2-policy", help="none, any or two_or_more (default: the regime's rule)")
    group.add_argument("--rounding", help="rounding of T (default: the regime's rule)")


def run(args: argparse.Namespace) -> Report:
    frame = read_input(args)
    lots = args.lot is not None
    given = {
        "nominal": number_or_column(args.nominal, "--nominal", frame, column_ok=lots),
        "lot_size": number_or_column(
            args.lot_size, "--lot-size", frame, column_ok=lots, whole=True
        ),
        "tare": number_or_column(args.tare, "--tare", frame, column_ok=True),
    }
    wanted = {args.value: ("--value", NUMBER)}
    if lots:
        wanted[args.lot] = ("--lot", LABEL)
    wanted.update({v: (_OPTIONS[k], NUMBER) for k, v in given.items() if isinstance(v, str)})
    frame = columns(frame, wanted, args.input)
    settings = {k: getattr(args, k) for k in _SETTINGS}
    if isinstance(given["nominal"], float):  # a bad --nominal is an argument error, not a lot's
        call_api(
            lambda: nc.tne(given["nominal"], args.unit, args.regime, args.rounding),
            options=_OPTIONS,
            source=args.input,
        )
    if lots:
        return _lots(frame, args, given, settings)
    return _one_lot(frame, args, given, settings)


def _lots(
    frame: pl.DataFrame, args: argparse.Namespace, given: dict[str, Any], settings: dict[str, Any]
) -> Report:
    with Progress(f"net content of {frame.height} packages"):
        table = call_api(
            lambda: nc.decide_lots(frame, value=args.value, lot=args.lot, **given, **settings),
            options=_OPTIONS,
            source=args.input,
        )
    counts = {v: int((table["verdict"] == v).sum()) for v in ("accept", "reject", "continue")}
    head = (
        f"Net content ({args.regime}, unit {args.unit}): {table.height} lots, "
        f"{counts['accept']} accepted, {counts['reject']} rejected, "
        f"{counts['continue']} to continue with the second sample"
    )
    data = {**settings, "nominal": given["nominal"], "lot_size": given["lot_size"]}
    data.update(tare=given["tare"], verdicts=counts, lots=table)
    return Report(text=f"{head}\n\n{frame_text(table)}", data=data, table=table)


def _one_lot(
    frame: pl.DataFrame, args: argparse.Namespace, given: dict[str, Any], settings: dict[str, Any]
) -> Report:
    """The file is one lot: its packages split into the plan's stages as they were drawn."""
    values = frame[args.value].cast(pl.Float64).to_numpy()
    tare = given["tare"]
    if isinstance(tare, str):
        tare = frame[tare].cast(pl.Float64).to_numpy()
    plan = call_api(
        lambda: nc.plan(
            settings["regime"],
            given["lot_size"],
            destructive=settings["destructive"],
            kind=settings["kind"],
        ),
        options=_OPTIONS,
        source=args.input,
    )
    first = plan.n[0] if plan.n else values.size
    if len(plan.n) == 2 and values.size == sum(plan.n):  # both samples drawn
        values = [values[:first], values[first:]]
        if tare is not None and not isinstance(tare, float):
            tare = [tare[:first], tare[first:]]
    decision = call_api(
        lambda: nc.decide(
            values, given["nominal"], lot_size=given["lot_size"], tare=tare, **settings
        ),
        options=_OPTIONS,
        source=args.input,
    )
    fields = decision.to_dict()
    row = {**fields, "failed": ", ".join(decision.failed)}
    table = pl.DataFrame([row])
    return Report(text=repr(decision), data=fields, table=table)
