"""``qualstat plan``: look a plan up in ISO 2859-1 (attributes) or ISO 3951-1 (variables)."""

from __future__ import annotations

import argparse

import qualstat as qs

from ._base import Report
from ._plans import add_lookup_arguments, describe, lookup, plan_text, stages_table

NAME = "plan"
SUMMARY = "look up an ISO 2859-1 / ISO 3951-1 plan: code letter, plan, OC points"
DESCRIPTION = """\
Looks up the sampling plan of ISO 2859-1 / ANSI Z1.4 / GB/T 2828.1 (attributes)
or, with --variables, ISO 3951-1 / ANSI Z1.9 (variables) for an AQL and a lot
size (or a code letter), and prints the plan, its code letter and source
table, the producer's risk at the AQL and OC points: the quality p at which a
lot is accepted with probability Pa = 99, 95, 90, 75, 50, 25, 10, 5 and 1 %
(binomial model, the layout of the standard's OC tables).

--aql is in percent as the tables print it (1.0 is AQL 1 %); every quality in
the output is a fraction (p = 0.01 is 1 %), and 'aql_percent' repeats the AQL
as printed. --format json prints one object with n, ac, re (lists, one entry
per stage), code, source_table, aql, producer_risk and oc.
"""
EXAMPLES = """\
  qualstat plan --aql 1.0 --lot-size 2000
  qualstat plan --aql 0.65 --lot-size 500 --kind double --inspection tightened
  qualstat plan --aql 1.0 --code K --edition iso1999 --format json
  qualstat plan --aql 1.0 --lot-size 40 --variables --method sigma
  qualstat plan --aql 2.5 --lot-size 800 --plot oc.png
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_lookup_arguments(parser, required=True)
    parser.add_argument("--plot", metavar="FILE", help="draw the OC curve into FILE (.png, ...)")


def run(args: argparse.Namespace) -> Report:
    plan = lookup(args)
    standard = "ISO 3951-1" if args.variables else "ISO 2859-1"
    extra = {
        "lot_size": args.lot_size,
        "level": args.level or "II",
        "inspection": args.inspection or "normal",
    }
    if isinstance(plan, qs.AttributePlan):
        extra.update(kind=args.kind or "single", edition=args.edition or "z14")
    data = describe(plan, standard=standard, extra=extra)
    where = f"lot size {args.lot_size}, " if args.lot_size is not None else ""
    heading = (
        f"{standard} plan, code letter {data['code']} ({data['source_table']}): "
        f"{where}level {extra['level']}, {extra['inspection']} inspection"
    )
    return Report(
        text=plan_text(plan, data, heading=heading),
        data=data,
        table=stages_table(plan, data),
        draw=lambda: plan.plot(percent=True),
    )
