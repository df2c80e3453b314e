"""Choosing a sampling plan on the command line, and describing one (plan, design, oc, decide).

A plan comes from the tables (``--aql`` in percent as the tables print it,
with ``--lot-size`` or ``--code``: ISO 2859-1 by :func:`qualstat.iso2859_1.plan`,
or ISO 3951-1 with ``--variables`` by :func:`qualstat.iso3951.plan`) or is
given directly (``--n 80 --ac 2``; ``--n 50,50 --ac 1,4 --re 4,5`` for two
stages; ``--n 10 --k 1.72`` for a variables plan).
"""

from __future__ import annotations

import argparse
import functools
from typing import Any

import polars as pl

import qualstat as qs

from ._base import ValueProblem, call_api, number, number_or_percent, whole, whole_list
from ._io import frame_text

#: The probabilities of acceptance at which the OC points are printed, as in the
#: OC tables of ISO 2859-1 (Table X: p at Pa = 99, 95, 90, 75, 50, 25, 10, 5, 1 %).
OC_PA = (0.99, 0.95, 0.90, 0.75, 0.50, 0.25, 0.10, 0.05, 0.01)

Plan = qs.AttributePlan | qs.VariablesPlan


def add_lookup_arguments(parser: argparse.ArgumentParser, *, required: bool = False) -> None:
    """The look-up arguments: --aql --lot-size --code --level --inspection --kind --edition
    --variables --method --sigma."""
    group = parser.add_argument_group("plan from the tables (ISO 2859-1, or ISO 3951-1)")
    group.add_argument(
        "--aql",
        type=number_or_percent,
        required=required,
        help="AQL in percent as the tables print it (1.0 is AQL 1 %%; '1%%' also works)",
    )
    group.add_argument("--lot-size", type=whole, help="lot size: gives the code letter")
    group.add_argument("--code", help="sample-size code letter (instead of, or with, --lot-size)")
    group.add_argument("--level", help="inspection level: S-1 .. S-4, I, II (default), III")
    group.add_argument("--inspection", help="normal (default), tightened or reduced")
    group.add_argument("--kind", help="single (default), double or multiple (ISO 2859-1)")
    group.add_argument(
        "--edition", help="z14 (default: ANSI Z1.4 / MIL-STD-105E) or iso1999 (GB/T 2828.1)"
    )
    group.add_argument(
        "--variables", action="store_true", help="ISO 3951-1 / ANSI Z1.9 variables plan"
    )
    group.add_argument("--method", help="variables plans: s (default, sigma unknown) or sigma")
    group.add_argument("--sigma", type=number, help="variables plans: the known process sigma")


def add_plan_arguments(parser: argparse.ArgumentParser) -> None:
    """The look-up arguments, and a plan given directly (--n --ac --re --k)."""
    add_lookup_arguments(parser)
    group = parser.add_argument_group("or a plan given directly")
    group.add_argument("--n", type=whole_list, help="sample size of each stage: 80 or 50,50")
    group.add_argument("--ac", type=whole_list, help="cumulative acceptance numbers: 2 or 1,4")
    group.add_argument("--re", type=whole_list, help="cumulative rejection numbers (default Ac+1)")
    group.add_argument("--k", type=number, help="acceptability constant of a variables plan")


def _given(args: argparse.Namespace, names: tuple[str, ...]) -> dict[str, Any]:
    return {n: getattr(args, n) for n in names if getattr(args, n, None) is not None}


def lookup(args: argparse.Namespace) -> Plan:
    """The plan of the tables for the look-up arguments (``--aql`` must be given)."""
    if args.aql is None:
        raise ValueProblem(
            "give --aql (with --lot-size or --code) for a plan from the tables, "
            "or --n with --ac (or --k) for a plan of your own"
        )
    common = _given(args, ("lot_size", "code", "level", "inspection"))
    if args.variables:
        wrong = sorted(_given(args, ("kind", "edition")))
        if wrong:
            raise ValueProblem(
                f"--{wrong[0]} is for ISO 2859-1 attribute plans, not --variables plans"
            )
        extra = _given(args, ("method", "sigma"))
        return call_api(lambda: qs.iso3951.plan(aql=args.aql, **common, **extra))
    wrong = sorted(_given(args, ("method", "sigma")))
    if wrong:
        raise ValueProblem(f"--{wrong[0]} is for --variables plans (ISO 3951-1)")
    extra = _given(args, ("kind", "edition"))
    return call_api(lambda: qs.iso2859_1.plan(aql=args.aql, **common, **extra))


def plan_from(args: argparse.Namespace) -> Plan:
    """The plan the arguments describe: from the tables, or given by --n/--ac/--re/--k."""
    direct = _given(args, ("n", "ac", "re", "k"))
    if not direct:
        return lookup(args)
    table_only = sorted(_given(args, ("aql", "code", "level", "inspection", "kind", "edition")))
    if table_only:
        raise ValueProblem(
            f"--{table_only[0]} chooses a plan from the tables: give it or --n/--ac/--k, not both"
        )
    if args.n is None:
        raise ValueProblem("--n is required for a plan given directly")
    if args.k is not None:
        if args.ac is not None or args.re is not None:
            raise ValueProblem("--k (a variables plan) does not go with --ac/--re")
        if len(args.n) != 1:
            raise ValueProblem(f"--n = {args.n} is invalid: a variables plan has one stage")
        extra = _given(args, ("method", "sigma"))
        return call_api(lambda: qs.VariablesPlan(args.n[0], args.k, **extra))
    if args.ac is None:
        raise ValueProblem("--ac is required with --n (or --k for a variables plan)")
    if len(args.ac) != len(args.n):
        raise ValueProblem(
            f"--n has {len(args.n)} stages but --ac has {len(args.ac)}: give one per stage"
        )
    re = args.re
    if re is None:
        if len(args.n) > 1:
            raise ValueProblem("--re is required for a plan of more than one stage")
        re = [args.ac[0] + 1]
    return call_api(lambda: qs.AttributePlan(args.n, args.ac, re))


def _model(plan: Plan, model: dict[str, Any]) -> dict[str, Any]:
    """The model arguments an attribute plan's evaluations take (variables plans take none)."""
    return model if isinstance(plan, qs.AttributePlan) else {}


def oc_points(plan: Plan, model: dict[str, Any]) -> pl.DataFrame:
    """The qualities p (fractions) at which the plan accepts with probability Pa (:data:`OC_PA`).

    ``model`` holds ``model=`` and ``lot_size=`` for an attribute plan (empty: binomial).
    """
    kw = _model(plan, model)
    return pl.DataFrame(
        {
            "prob_accept": list(OC_PA),
            "p": [call_api(functools.partial(plan.quality_at, pa, **kw)) for pa in OC_PA],
        }
    )


def _levels(plan: Plan) -> dict[str, Any]:
    meta = plan.metadata or {}
    out: dict[str, Any] = {}
    if plan.aql is not None:
        out["aql"] = plan.aql
    if meta.get("aql") is not None:
        out["aql_percent"] = meta["aql"]
    if plan.lq is not None:
        out["lq"] = plan.lq
    return out


def describe(
    plan: Plan,
    *,
    standard: str,
    extra: dict[str, Any] | None = None,
    model: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The plan as a JSON object: ``n``, ``ac``, ``re`` (lists, one entry per stage) or ``n``,
    ``k``, ``m``, ``method``; ``code``, ``source_table``, AQL/LQ, the table metadata, the
    producer's and consumer's risks (when the plan knows its AQL/LQ), and the OC points.

    ``model`` (``model=``, ``lot_size=``) is how an attribute plan's risks and OC
    points are evaluated (default: binomial)."""
    kw = _model(plan, model or {})
    meta = plan.metadata or {}
    data: dict[str, Any] = {"standard": standard}
    if isinstance(plan, qs.AttributePlan):
        data.update(
            n=list(plan.n),
            ac=list(plan.ac),
            re=list(plan.re),
            cumulative_n=[sum(plan.n[: j + 1]) for j in range(plan.stages)],
        )
    else:
        data.update(n=[plan.n], k=plan.k, m=plan.m, method=plan.method, sigma=plan.sigma)
    data["code"] = meta.get("code_letter")
    data["source_table"] = meta.get("table")
    data.update(_levels(plan))
    data["full_inspection"] = bool(meta.get("full_inspection", False))
    if plan.aql is not None:
        data["producer_risk"] = call_api(lambda: plan.producer_risk(**kw))
    if plan.lq is not None:
        data["consumer_risk"] = call_api(lambda: plan.consumer_risk(**kw))
    data.update(extra or {})
    data["oc"] = oc_points(plan, kw)
    data["metadata"] = {k: v for k, v in meta.items() if k not in ("code_letter", "table")}
    return data


def plan_text(plan: Plan, data: dict[str, Any], *, heading: str) -> str:
    """The readable description of a plan (for plan and design)."""
    lines = [heading, f"  {plan!r}", ""]
    if isinstance(plan, qs.AttributePlan):
        stages = pl.DataFrame(
            {
                "stage": list(range(1, plan.stages + 1)),
                "n": list(plan.n),
                "cumulative n": data["cumulative_n"],
                "Ac": ["#" if a < 0 else str(a) for a in plan.ac],
                "Re": list(plan.re),
            }
        )
        lines.append(frame_text(stages))
    else:
        sigma = f", sigma {plan.sigma}" if plan.sigma is not None else ""
        lines.append(
            f"  n = {plan.n}, k = {plan.k:.4g}, M = {plan.m:.4%} ({plan.method}-method{sigma})"
        )
    if data["full_inspection"]:
        lines.append("  The sample is at least the lot: inspect every item (100 %).")
    note = (plan.metadata or {}).get("note")
    if note:
        lines.append(f"  Note: {note}")
    lines.append("")
    if "producer_risk" in data:
        lines.append(f"  Producer's risk at the AQL: {_percent(data['producer_risk'])}")
    if "consumer_risk" in data:
        lines.append(f"  Consumer's risk at the LQ:  {_percent(data['consumer_risk'])}")
    lines.append("")
    oc = data["oc"]
    lines.append("OC points: the quality p (fraction nonconforming) accepted with probability Pa")
    shown = pl.DataFrame(
        {
            "Pa": [f"{pa:.0%}" for pa in oc["prob_accept"]],
            "p": [f"{p:.6f}" for p in oc["p"]],
            "p in percent": [f"{p * 100:.4f} %" for p in oc["p"]],
        }
    )
    lines.append(frame_text(shown))
    return "\n".join(lines)


def _percent(fraction: float) -> str:
    return f"{fraction * 100:.3g} % ({fraction:.4g})"


def stages_table(plan: Plan, data: dict[str, Any]) -> pl.DataFrame:
    """The CSV of a plan: one row per stage with the plan's code letter, AQL and table."""
    if isinstance(plan, qs.AttributePlan):
        frame = pl.DataFrame(
            {
                "stage": list(range(1, plan.stages + 1)),
                "n": list(plan.n),
                "cumulative_n": data["cumulative_n"],
                "ac": list(plan.ac),
                "re": list(plan.re),
            }
        )
    else:
        frame = pl.DataFrame({"n": [plan.n], "k": [plan.k], "m": [plan.m], "method": [plan.method]})
    return frame.with_columns(
        pl.lit(data["code"], dtype=pl.String).alias("code"),
        pl.lit(plan.aql, dtype=pl.Float64).alias("aql"),
        pl.lit(plan.lq, dtype=pl.Float64).alias("lq"),
        pl.lit(data["source_table"], dtype=pl.String).alias("source_table"),
    )
