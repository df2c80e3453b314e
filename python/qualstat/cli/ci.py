"""``qualstat ci``: one confidence interval for a pass rate, from counts."""

from __future__ import annotations

import argparse

import polars as pl

import qualstat as qs

from ._base import Report, call_api, number, whole

NAME = "ci"
SUMMARY = "confidence interval for a pass rate from counts (57 of 60 passed)"
DESCRIPTION = """\
The confidence interval of a pass rate from the number of items that passed
and the number inspected (qualstat.proportion_ci). Methods: wilson (default),
clopper_pearson (alias exact), jeffreys, agresti_coull, wilson_cc, mid_p,
likelihood_ratio, arcsine, logit, blaker, wald. --bound lower gives the
one-sided lower bound (what a pass rate is at least); --population N the
exact interval for a finite lot of N items (hypergeometric). Rates and
limits are fractions (0.95 = 95 %).
"""
EXAMPLES = """\
  qualstat ci 57 60
  qualstat ci 57 60 --method exact --bound lower
  qualstat ci 20 20 --population 50 --bound lower --format json
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("successes", type=whole, help="items that passed")
    parser.add_argument("trials", type=whole, help="items inspected")
    parser.add_argument(
        "--confidence",
        type=number,
        default=0.95,
        help="confidence level, a fraction (default 0.95)",
    )
    parser.add_argument("--method", default="wilson", help="interval method (default wilson)")
    parser.add_argument("--bound", default="two-sided", help="two-sided (default), lower, upper")
    parser.add_argument(
        "--population",
        type=whole,
        help="size of the finite lot sampled (exact hypergeometric interval)",
    )


def run(args: argparse.Namespace) -> Report:
    ci = call_api(
        lambda: qs.proportion_ci(
            args.successes,
            args.trials,
            confidence=args.confidence,
            method=args.method,
            bound=args.bound,
            population=args.population,
        )
    )
    row = {
        "successes": args.successes,
        "trials": args.trials,
        "rate": args.successes / args.trials,
        "lower": ci.lower,
        "upper": ci.upper,
        "method": ci.method,
        "confidence": ci.confidence,
        "bound": ci.bound,
        "population": args.population,
    }
    side = {"lower": "lower bound", "upper": "upper bound"}.get(str(ci.bound), str(ci.bound))
    lot = f" from a lot of {args.population}" if args.population is not None else ""
    text = (
        f"{args.successes} of {args.trials} passed{lot}: pass rate {row['rate']:.4f}\n"
        f"{args.confidence * 100:.4g} % confidence interval ({ci.method}, {side}): "
        f"[{ci.lower:.4f}, {ci.upper:.4f}]"
    )
    table = pl.DataFrame([row], schema_overrides={"population": pl.Int64})
    return Report(text=text, data=row, table=table)
