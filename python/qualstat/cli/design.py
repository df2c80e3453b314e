"""``qualstat design``: the plan that meets two risk points (AQL and LQ)."""

from __future__ import annotations

import argparse
from typing import Any

import qualstat as qs

from ._base import (
    Report,
    ValueProblem,
    call_api,
    check_fraction,
    number,
    number_or_percent,
    whole,
)
from ._plans import describe, plan_text, stages_table

NAME = "design"
SUMMARY = "design a plan from two risk points (AQL, alpha; LQ, beta)"
DESCRIPTION = """\
Finds the single sampling plan with the smallest sample size that accepts a
lot at the acceptable quality --aql with probability at least 1 - alpha and
at the limiting quality --lq with probability at most beta
(qualstat.design_plan); --double searches double plans
(qualstat.design_double_plan) and --variables variables plans
(qualstat.design_variables_plan).

Here --aql and --lq are fractions (0.01) or percent strings ('1%'), as
everywhere outside the standards' tables. Prints the plan, the risks it
achieves and its OC points.
"""
EXAMPLES = """\
  qualstat design --aql 1% --lq 5%
  qualstat design --aql 0.01 --lq 0.05 --alpha 0.05 --beta 0.10 --format json
  qualstat design --aql 1% --lq 5% --model hypergeometric --lot-size 500
  qualstat design --aql 2% --lq 12% --double --n2 twice
  qualstat design --aql 1% --lq 10% --variables --method sigma
  qualstat design --aql 0.5% --lq 4% --plot oc.svg
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("risk points")
    group.add_argument(
        "--aql",
        type=number_or_percent,
        required=True,
        help="acceptable quality: a fraction (0.01) or '1%%'",
    )
    group.add_argument(
        "--lq",
        type=number_or_percent,
        required=True,
        help="limiting quality: a fraction (0.05) or '5%%'",
    )
    group.add_argument(
        "--alpha", type=number, default=0.05, help="producer's risk at the AQL (default 0.05)"
    )
    group.add_argument(
        "--beta", type=number, default=0.10, help="consumer's risk at the LQ (default 0.10)"
    )
    group = parser.add_argument_group("kind of plan")
    group.add_argument(
        "--model",
        help="binomial (default), poisson, hypergeometric, "
        "hypergeometric_original_lot (attribute plans)",
    )
    group.add_argument("--lot-size", type=whole, help="lot size (hypergeometric models only)")
    group.add_argument("--double", action="store_true", help="a double sampling plan")
    group.add_argument("--n2", help="double plans: equal (n2 = n1, default) or twice (n2 = 2 n1)")
    group.add_argument("--variables", action="store_true", help="a variables plan (n, k)")
    group.add_argument("--method", help="variables plans: s (default) or sigma")
    parser.add_argument("--plot", metavar="FILE", help="draw the OC curve into FILE (.png, ...)")


def _design(args: argparse.Namespace) -> Any:
    check_fraction(args.aql, "--aql")
    check_fraction(args.lq, "--lq")
    try:
        return _call_design(args)
    except ValueProblem as exc:
        if isinstance(args.aql, float) and args.aql >= 0.1 and "aql" in str(exc):
            # `plan --aql 1.0` is AQL 1 %, `design --aql 1.0` 100 %
            raise ValueProblem(
                f"{exc} (--aql {args.aql:g} is a fraction here, {100 * args.aql:g} %, "
                f"unlike plan --aql: write --aql {args.aql:g}% for an AQL of {args.aql:g} %)"
            ) from exc
        raise


def _call_design(args: argparse.Namespace) -> Any:
    risks = {"alpha": args.alpha, "beta": args.beta}
    if args.variables:
        for flag in ("double", "model", "lot_size", "n2"):
            if getattr(args, flag) not in (None, False):
                raise ValueProblem(
                    f"--{flag.replace('_', '-')} is for attribute plans, not --variables"
                )
        method = {} if args.method is None else {"method": args.method}
        return call_api(lambda: qs.design_variables_plan(args.aql, args.lq, **risks, **method))
    if args.method is not None:
        raise ValueProblem("--method is for --variables plans")
    model = {k: v for k, v in (("model", args.model), ("lot_size", args.lot_size)) if v is not None}
    if args.double:
        n2 = {} if args.n2 is None else {"n2": args.n2}
        return call_api(lambda: qs.design_double_plan(args.aql, args.lq, **risks, **model, **n2))
    if args.n2 is not None:
        raise ValueProblem("--n2 is for --double plans")
    return call_api(lambda: qs.design_plan(args.aql, args.lq, **risks, **model))


def run(args: argparse.Namespace) -> Report:
    plan = _design(args)
    kind = "variables" if args.variables else "double" if args.double else "single"
    extra = {
        "alpha": args.alpha,
        "beta": args.beta,
        "kind": kind,
        "model": None if args.variables else args.model or "binomial",
        "lot_size": args.lot_size,
    }
    model = {k: v for k, v in (("model", args.model), ("lot_size", args.lot_size)) if v is not None}
    data = describe(plan, standard="risk-point design", extra=extra, model=model)
    heading = (
        f"The {kind} plan meeting both risk points: Pa >= {1 - args.alpha:.4g} at the AQL, "
        f"Pa <= {args.beta:.4g} at the LQ"
    )
    if extra["model"] is not None:  # attribute plans only: a variables plan has no model
        heading += f" ({extra['model']} model)"
    return Report(
        text=plan_text(plan, data, heading=heading),
        data=data,
        table=stages_table(plan, data),
        draw=lambda: plan.plot(percent=True, **model) if model else plan.plot(percent=True),
    )
