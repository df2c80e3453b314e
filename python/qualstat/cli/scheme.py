"""``qualstat scheme``: a file of lots through the ISO 2859-1 switching rules."""

from __future__ import annotations

import argparse
import functools
import warnings
from typing import Any

import polars as pl

import qualstat as qs

from ._base import Report, call_api, number_or_percent
from ._io import (
    LABEL,
    NUMBER,
    Progress,
    add_input_arguments,
    chunks,
    columns,
    frame_text,
    number_or_column,
    read_input,
)

NAME = "scheme"
SUMMARY = "run a file of lots through the ISO 2859-1 switching rules"
DESCRIPTION = """\
Inspects a sequence of lots, in file order, under the switching rules of
ISO 2859-1 (normal, tightened, reduced, discontinued; qualstat.iso2859_1.Scheme):
each lot with the plan of the current state for its lot size, then the rules
decide the state of the next lot.

The input (CSV, Parquet or Excel) has one row per lot: its lot size (or
--lot-size N for lots all of one size) and the nonconforming count found.
For double or multiple sampling give one column per stage (--nonconforming
d1 d2); a stage not drawn is left empty. --lot COLUMN names each lot (as in
'net-content'): it is copied into the history as 'label', next to 'lot', the
lot's index in the sequence (from 0). The output is the history: state,
code letter, plan, decision and the state after each lot. When inspection
becomes discontinued (5 lots not accepted on tightened inspection) the run
stops there, with a warning.
"""
EXAMPLES = """\
  qualstat scheme lots.csv --aql 1.0
  qualstat scheme lots.xlsx --aql 0.65 --lot-size size --nonconforming defects
  qualstat scheme lots.csv --aql 2.5 --lot-size 500
  qualstat scheme lots.csv --aql 1.0 --kind double --nonconforming d1 d2 --format csv
  qualstat scheme lots.csv --aql 1.0 --edition iso1999 --lot lot_id --output history.csv
"""

_CHUNK = 2_000


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_input_arguments(parser, "with one row per lot")
    group = parser.add_argument_group("columns")
    group.add_argument(
        "--lot-size",
        "--lot-size-column",
        dest="lot_size",
        default="lot_size",
        metavar="COLUMN|N",
        help="column of lot sizes (default lot_size), or one number for every lot",
    )
    group.add_argument(
        "--nonconforming",
        nargs="+",
        default=["nonconforming"],
        metavar="COLUMN",
        help="column(s) of nonconforming counts, one per stage (default nonconforming)",
    )
    group.add_argument(
        "--lot",
        "--label",
        dest="lot",
        metavar="COLUMN",
        help="the column naming each lot, copied into the history as 'label'",
    )
    group = parser.add_argument_group("scheme")
    group.add_argument(
        "--aql",
        type=number_or_percent,
        required=True,
        help="AQL in percent as the tables print it (1.0 is AQL 1 %%)",
    )
    group.add_argument("--level", help="inspection level: S-1 .. S-4, I, II (default), III")
    group.add_argument("--kind", help="single (default), double or multiple")
    group.add_argument("--edition", help="z14 (default) or iso1999 (switching score)")


def _stage_counts(frame: pl.DataFrame, names: list[str]) -> list[Any]:
    """One entry per lot: the count (one column) or the counts of the stages drawn."""
    if len(names) == 1:
        return frame[names[0]].to_list()
    rows = frame.select(names).rows()
    out = []
    for row in rows:
        drawn = list(row)
        while drawn and drawn[-1] is None:
            drawn.pop()
        out.append(drawn)
    return out


def run(args: argparse.Namespace) -> Report:
    options = {k: getattr(args, k) for k in ("level", "kind", "edition") if getattr(args, k)}
    scheme = call_api(lambda: qs.iso2859_1.Scheme(args.aql, **options))
    frame = read_input(args)
    lot_size = number_or_column(args.lot_size, "--lot-size", frame, column_ok=True, whole=True)
    # The lot's names first: a column that is also the lot size or a count must hold numbers.
    wanted = {} if args.lot is None else {args.lot: ("--lot", LABEL)}
    if not isinstance(lot_size, int):
        wanted[lot_size] = ("--lot-size", NUMBER)
    wanted.update({c: ("--nonconforming", NUMBER) for c in args.nonconforming})
    frame = columns(frame, wanted, args.input)
    sizes = [lot_size] * frame.height if isinstance(lot_size, int) else frame[lot_size].to_list()
    counts = _stage_counts(frame, args.nonconforming)
    parts, stopped = [], False
    with Progress(f"inspecting {len(sizes)} lots", total=len(sizes)) as progress:
        for part in chunks(len(sizes), _CHUNK):
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                history = call_api(
                    functools.partial(
                        scheme.run,
                        lot_size=sizes[part.start : part.stop],
                        nonconforming=counts[part.start : part.stop],
                    ),
                    options={},
                    source=args.input,
                )
            parts.append(history)
            progress.advance(len(part))
            if caught or scheme.state == "discontinued":
                stopped = True
                break
    history = pl.concat(parts)
    notes: tuple[str, ...] = ()
    if stopped:
        skipped = len(sizes) - history.height
        notes = (
            f"inspection discontinued at lot {history['lot'][-1]} (5 lots not accepted on "
            "tightened inspection)"
            + (f": the {skipped} later lots were not inspected" if skipped else ""),
        )
    if args.lot is not None:
        history = history.insert_column(
            1, frame[args.lot].head(history.height).cast(pl.String).alias("label")
        )
    accepted = int((history["decision"] == "accept").sum())
    summary = (
        f"{history.height} lots inspected: {accepted} accepted, "
        f"{history.height - accepted} rejected; state now: {scheme.state}"
    )
    text = "\n".join([repr(scheme), "", frame_text(history), "", summary])
    data = {
        "aql": scheme.aql,
        "level": scheme.level,
        "kind": scheme.kind,
        "edition": scheme.edition,
        "state": scheme.state,
        "lots": history.height,
        "accepted": accepted,
        "discontinued": stopped,
        "history": history,
    }
    if scheme.edition == "iso1999":
        data["switching_score"] = scheme.switching_score
    return Report(text=text, data=data, table=history, notes=notes)
