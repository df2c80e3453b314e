"""``qualstat decide``: decide one lot, stage by stage (attributes) or from its measurements."""

from __future__ import annotations

import argparse
from typing import Any

import numpy as np
import polars as pl

import qualstat as qs

from ._base import Report, ValueProblem, call_api, number, number_list, whole_list
from ._io import NUMBER, add_input_arguments, columns, frame_text, read_input
from ._plans import add_plan_arguments, plan_from

NAME = "decide"
SUMMARY = "decide one lot: accept, reject or draw the next sample, stage by stage"
DESCRIPTION = """\
Decides one lot with a sampling plan (from the tables, or given directly, as
in 'qualstat oc').

Attribute plans: --nonconforming gives the count of nonconforming items found
in each stage's sample (not cumulative): '2' for a single plan, '1,2' after
two stages of a double plan. The output traces each stage: the cumulative
count against Ac and Re, and the outcome (accept, reject, or continue with
the next sample). A lot accepted with Ac < d < Re on a Z1.4 reduced plan is
flagged: reinstate normal inspection.

Variables plans (--variables, or --n/--k): the sample's measurements, from
--values or from a column (--value) of a CSV, Parquet or Excel file, against
--lsl and/or --usl.
"""
EXAMPLES = """\
  qualstat decide --aql 1.0 --lot-size 2000 --nonconforming 3
  qualstat decide --aql 1.0 --lot-size 2000 --kind double --nonconforming 2,1
  qualstat decide --n 50,50 --ac 1,4 --re 4,5 --nonconforming 2 --format json
  qualstat decide --aql 1.0 --lot-size 40 --variables --usl 209 --values 197,188,184,205,201
  qualstat decide --n 10 --k 1.72 --lsl 9.5 --usl 10.5 sample.csv --value diameter
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_plan_arguments(parser)
    group = parser.add_argument_group("attribute plans")
    group.add_argument(
        "--nonconforming",
        type=whole_list,
        help="nonconforming items found in each stage's sample: 2, or 1,2",
    )
    add_input_arguments(parser, "with the measurements (variables plans)", optional=True)
    group = parser.add_argument_group("variables plans")
    group.add_argument(
        "--value", metavar="COLUMN", help="the column of measurements in the input file"
    )
    group.add_argument("--values", type=number_list, help="the measurements: 10.1,9.8,10.2")
    group.add_argument("--lsl", type=number, help="lower specification limit")
    group.add_argument("--usl", type=number, help="upper specification limit")
    group.add_argument("--control", help="two limits: combined (default) or separate")
    group.add_argument("--k-lower", type=number, help="separate control: k for the lower limit")
    group.add_argument("--k-upper", type=number, help="separate control: k for the upper limit")


_VARIABLE_ONLY = ("input", "value", "values", "lsl", "usl", "control", "k_lower", "k_upper")


def run(args: argparse.Namespace) -> Report:
    plan = plan_from(args)
    if isinstance(plan, qs.AttributePlan):
        given = [f for f in _VARIABLE_ONLY if getattr(args, f) is not None]
        if given:
            raise ValueProblem(
                f"--{given[0].replace('_', '-')} is for variables plans; "
                "an attribute plan takes --nonconforming"
            )
        return _attributes(plan, args)
    if args.nonconforming is not None:
        raise ValueProblem(
            "--nonconforming is for attribute plans; a variables plan takes "
            "the measurements (--values, or a file and --value)"
        )
    return _variables(plan, args)


def _attributes(plan: qs.AttributePlan, args: argparse.Namespace) -> Report:
    counts = args.nonconforming
    if counts is None:
        raise ValueProblem("--nonconforming is required: the count found in each stage's sample")
    final = call_api(lambda: plan.decide(counts))
    rows: list[dict[str, Any]] = []
    for j in range(final.stage):
        d = plan.decide(counts[: j + 1])
        rows.append(
            {
                "stage": j + 1,
                "n": plan.n[j],
                "nonconforming": counts[j],
                "cumulative": d.cumulative,
                "ac": plan.ac[j],
                "re": plan.re[j],
                "outcome": d.outcome,
            }
        )
    trace = pl.DataFrame(rows)
    verdict = {
        "accept": f"ACCEPT the lot (stage {final.stage})",
        "reject": f"REJECT the lot (stage {final.stage})",
        "continue": f"CONTINUE: draw the next sample of {final.next_sample_size} items",
    }[final.outcome]
    lines = [f"Lot decision with {plan!r}", "", frame_text(trace), "", verdict]
    if final.reinstate_normal:
        lines.append("Accepted with Ac < d < Re on a reduced plan: reinstate normal inspection.")
    data = {
        "outcome": final.outcome,
        "accepted": final.accepted,
        "stage": final.stage,
        "cumulative": final.cumulative,
        "next_sample_size": final.next_sample_size,
        "reinstate_normal": final.reinstate_normal,
        "stages": trace,
        "plan": plan.to_dict(),
    }
    return Report(text="\n".join(lines), data=data, table=trace)


def _measurements(args: argparse.Namespace) -> np.ndarray:
    if args.values is not None:
        if args.input is not None or args.value is not None:
            raise ValueProblem(
                "give the measurements by --values or by a file and --value, not both"
            )
        return np.array(args.values, dtype=np.float64)
    if args.input is None or args.value is None:
        raise ValueProblem(
            "the measurements are required: --values 10.1,9.8,... or a file and --value COLUMN"
        )
    frame = read_input(args)
    frame = columns(frame, {args.value: ("--value", NUMBER)}, args.input)
    return frame[args.value].cast(pl.Float64).to_numpy()


def _variables(plan: qs.VariablesPlan, args: argparse.Namespace) -> Report:
    x = _measurements(args)
    limits = {
        k: getattr(args, k)
        for k in ("lsl", "usl", "control", "k_lower", "k_upper")
        if getattr(args, k) is not None
    }
    flags = {k: f"--{k.replace('_', '-')}" for k in ("lsl", "usl", "control", "k_lower", "k_upper")}
    d = call_api(lambda: plan.decide(x, **limits), options=flags, source=args.input)
    fields = (
        "outcome",
        "n",
        "mean",
        "sd",
        "sigma_used",
        "q_lower",
        "q_upper",
        "p_lower",
        "p_upper",
        "p_hat",
    )
    values = {f: getattr(d, f) for f in fields}
    values["accepted"] = d.accepted
    table = pl.DataFrame([values])
    text = "\n".join(
        [
            f"Lot decision with {plan!r}",
            "",
            frame_text(table.drop("accepted"), decimals=6),
            "",
            "ACCEPT the lot" if d.accepted else "REJECT the lot",
        ]
    )
    return Report(text=text, data={**values, "plan": plan.to_dict()}, table=table)
