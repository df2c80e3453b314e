"""``qualstat oc``: the OC curve (and ASN, AOQ, ATI) of a plan as a table, CSV or picture."""

from __future__ import annotations

import argparse
import functools
from typing import Any

import numpy as np

import qualstat as qs
from qualstat._units import fraction

from ._base import Report, ValueProblem, call_api, check_fraction, quality_list
from ._io import frame_text
from ._plans import add_plan_arguments, plan_from

NAME = "oc"
SUMMARY = "OC curve of a plan: Pa (and ASN, AOQ, ATI) over quality; table, CSV or PNG"
DESCRIPTION = """\
Evaluates a sampling plan over a grid of qualities p (fractions
nonconforming): the probability of acceptance, and for attribute plans the
average sample number, the average outgoing quality and (with a lot size) the
average total inspection; variables plans give the exact OC and Wallis's
approximation. The plan comes from the tables (--aql with --lot-size or
--code, as in 'qualstat plan') or is given directly (--n/--ac/--re, or --n/--k).

Without --p the grid is 101 points from 0 to just beyond the quality where
Pa = 0.005 (AttributePlan.curves / VariablesPlan.curves). --plot draws the
OC curve (with the AQL marked) into a PNG, SVG or PDF file.
"""
EXAMPLES = """\
  qualstat oc --aql 1.0 --lot-size 2000
  qualstat oc --aql 1.0 --lot-size 2000 --format csv --output oc.csv
  qualstat oc --n 80 --ac 2 --p 0.005,0.01,0.02,0.05 --plot oc.png
  qualstat oc --n 50,50 --ac 1,4 --re 4,5 --model hypergeometric --lot-size 1000
  (--lot-size also gives the ATI column, and is the lot of the hypergeometric models)
  qualstat oc --aql 1.0 --lot-size 500 --variables --plot oc.svg
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_plan_arguments(parser)
    group = parser.add_argument_group("curve")
    group.add_argument(
        "--p",
        type=quality_list,
        help="qualities to evaluate: fractions or percents, e.g. 0.01,0.02 or 1%%,2%%",
    )
    group.add_argument(
        "--model",
        help="attribute plans: binomial (default), poisson, "
        "hypergeometric, hypergeometric_original_lot",
    )
    group.add_argument("--percent", action="store_true", help="--plot: quality axis in percent")
    parser.add_argument(
        "--plot", metavar="FILE", help="draw the OC curve into FILE (.png, .svg, .pdf)"
    )


def run(args: argparse.Namespace) -> Report:
    plan = plan_from(args)
    grid = None
    if args.p is not None:
        for i, v in enumerate(args.p):
            check_fraction(v, f"--p[{i}]")
        grid = np.array([call_api(functools.partial(fraction, v, "p")) for v in args.p])
    if isinstance(plan, qs.AttributePlan):
        kw: dict[str, Any] = {"model": args.model or "binomial"}
        if args.lot_size is not None:  # the ATI, and the hypergeometric models
            kw["lot_size"] = args.lot_size
        frame = call_api(lambda: plan.curves(grid, **kw))
        plot_kw: dict[str, Any] = kw
    else:
        if args.model is not None:
            raise ValueProblem("--model is for attribute plans")
        frame = call_api(lambda: plan.curves(grid))
        plot_kw = {}
    text = "\n".join(
        [
            f"OC of {plan!r}",
            "p is a fraction nonconforming (0.01 = 1 %)",
            "",
            frame_text(frame, decimals=6),
        ]
    )
    data = {"plan": plan.to_dict(), "curve": frame}

    def draw() -> Any:
        return plan.plot(p=frame["p"].to_numpy(), percent=args.percent, **plot_kw)

    return Report(text=text, data=data, table=frame, draw=draw)
