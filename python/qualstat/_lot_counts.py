"""Attribute-lot decisions from a frame: the items inspected and found
nonconforming in each lot and stage, their merge over the parts of a larger
frame, and the decisions from them in one native batch call.

Used by :meth:`qualstat.AttributePlan.decide_lots` (one frame) and
:func:`qualstat.dask.decide_lots` (the counts of each partition, added up):
both finish with :meth:`LotCounts.finish`, so the two cannot drift.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import polars as pl

from ._coerce import show
from .pass_rates import _check_records, _column_name, _numeric

__all__ = ["RESULT_COLUMNS", "LotCounts", "decision_columns", "lot_named"]

#: The columns of the result after the lot keys (the names of ``Decision``).
RESULT_COLUMNS = (
    "inspected",
    "cumulative",
    "outcome",
    "stage",
    "next_sample_size",
    "reinstate_normal",
)

# The native outcome codes.
_OUTCOMES = {0: "accept", 1: "reject", 2: "continue"}

# Row r of partition p of a larger frame is ordered as p * _PART + r.
_PART = 2**40


def lot_label(key: tuple[Any, ...]) -> str:
    """A lot's key as error messages show it: the value, or the tuple of values."""
    return str(key[0]) if len(key) == 1 else str(key)


def lot_named(message: str, keys: pl.DataFrame) -> str:
    """A native error naming a lot by its index (``lot 3: ...``), renamed by its
    key (row 3 of ``keys``)."""
    head, sep, rest = message.partition(": ")
    if sep and head.startswith("lot ") and head[4:].isdigit():
        return f"lot {lot_label(keys.row(int(head[4:])))}: {rest}"
    return message


def _lot_keys(lot: Any) -> list[str]:
    if isinstance(lot, str):
        keys = [lot]
    elif isinstance(lot, Sequence) and lot:
        keys = [_column_name(k, "lot") for k in lot]
    else:
        raise TypeError(f"lot = {show(lot)} is invalid: expected a column name or a list of them")
    clash = sorted(set(keys) & {*RESULT_COLUMNS, "nonconforming"})
    if clash or len(set(keys)) < len(keys):
        raise ValueError(
            f"lot = {show(lot)} is invalid: expected distinct columns not named "
            f"{clash or keys} (the result has its own columns {list(RESULT_COLUMNS)})"
        )
    return keys


class LotCounts:
    """A ``decide_lots`` call on an attribute plan with its arguments checked.

    Three layouts of the frame (documented in
    :meth:`qualstat.AttributePlan.decide_lots`): one row per item (a 0/1 or
    boolean ``nonconforming`` or ``passed`` column), rows of counts (with
    ``inspected``), or one row per lot with a count column per stage (a list
    of columns). Each is reduced to one row per lot and stage: ``_first``
    (the order of the lot's first row), ``_stage``, ``_inspected`` and
    ``_nonconforming``.
    """

    def __init__(
        self, plan: Any, lot: Any, nonconforming: Any, passed: Any, inspected: Any, stage: Any
    ) -> None:
        self.plan = plan
        self.n = np.asarray(plan.n, dtype=np.int64)
        self.keys = _lot_keys(lot)
        if (nonconforming is None) == (passed is None):
            if nonconforming is None:
                raise ValueError(
                    "nonconforming is not given: expected the column of nonconforming items "
                    "(or passed=, the column of items that passed)"
                )
            raise ValueError("give nonconforming= or passed=, not both")
        self.nonconforming = nonconforming is not None
        self.argument = "nonconforming" if self.nonconforming else "passed"
        given = nonconforming if self.nonconforming else passed
        stages = len(self.n)
        self.wide = not isinstance(given, str)
        if self.wide:
            if not isinstance(given, Sequence) or not 1 <= len(given) <= stages:
                raise TypeError(
                    f"{self.argument} = {show(given)} is invalid: expected a column name, or "
                    f"a list of 1 to {stages} columns (one count per stage)"
                )
            self.counted = [_column_name(c, self.argument) for c in given]
            for name, value in (("inspected", inspected), ("stage", stage)):
                if value is not None:
                    raise ValueError(
                        f"{name} = {show(value)} is invalid with a column per stage "
                        f"({self.argument} = {show(given)}): each count is of the stage's "
                        "whole sample; leave it out"
                    )
            self.inspected, self.stage = None, None
        else:
            self.counted = [given]
            self.inspected = None if inspected is None else _column_name(inspected, "inspected")
            if stage is None and stages > 1:
                raise ValueError(
                    f"stage is not given: expected the column with each row's stage (1 to "
                    f"{stages}), which a {stages}-stage plan needs (or {self.argument}= as a "
                    "list of columns, one count per stage)"
                )
            self.stage = None if stage is None else _column_name(stage, "stage")
            if self.inspected is not None and self.inspected == given:
                raise ValueError(
                    f"inspected = {self.inspected!r} is the {self.argument} column itself"
                )
        extra = [c for c in (self.inspected, self.stage) if c is not None]
        overlap = sorted(set(self.keys) & {*self.counted, *extra})
        if overlap:
            raise ValueError(f"lot = {show(lot)} is invalid: {overlap} is also a count column")
        self.columns = [*self.keys, *self.counted, *extra]

    # -- one frame (or partition) -> counts per lot and stage -------------------

    def counts(self, df: pl.DataFrame, part: int | None = None) -> pl.DataFrame:
        """One row per lot and stage of ``df`` (in partition ``part`` of a larger
        frame): the keys, ``_stage``, ``_first``, ``_inspected``, ``_nonconforming``."""
        where = "" if part is None else f"partition {part}: "
        for k in self.keys:
            nulls = df[k].null_count()
            if nulls:
                raise ValueError(f"{where}lot column {k!r} has {nulls} null values")
        rows = df.with_row_index("_first").with_columns(
            pl.col("_first").cast(pl.Int64) + (part or 0) * _PART
        )
        long = self._wide_rows(rows, where) if self.wide else self._long_rows(rows, where)
        return long.group_by([*self.keys, "_stage"]).agg(
            pl.col("_first").min(),
            pl.col("_inspected").sum(),
            pl.col("_nonconforming").sum(),
        )

    def _long_rows(self, rows: pl.DataFrame, where: str) -> pl.DataFrame:
        """Rows of items or of counts, each with its stage."""
        column = self.counted[0]
        _check_records(rows, self.keys, column, self.inspected, where, self.argument)
        if self.stage is None:
            stage = pl.lit(1, pl.Int64)
        else:
            self._check_stages(rows, where)
            stage = pl.col(self.stage).cast(pl.Int64)
        found = pl.col(column).cast(pl.Int64)
        items = pl.lit(1, pl.Int64) if self.inspected is None else pl.col(self.inspected)
        items = items.cast(pl.Int64)
        return rows.select(
            *self.keys,
            "_first",
            stage.alias("_stage"),
            items.alias("_inspected"),
            (found if self.nonconforming else items - found).alias("_nonconforming"),
        )

    def _check_stages(self, rows: pl.DataFrame, where: str) -> None:
        name, stages = self.stage, len(self.n)
        assert name is not None
        dtype = rows.schema[name]
        if not dtype.is_numeric():
            raise TypeError(
                f"stage = {name!r} is invalid: the column must hold stage numbers, "
                f"it has dtype {dtype}"
            )
        s = pl.col(name).cast(pl.Float64)
        ok = s.is_finite() & (s == s.floor()) & (s >= 1) & (s <= stages)
        bad = rows.filter(~ok.fill_null(False)).head(1)
        if bad.height:
            row = bad.row(0, named=True)
            raise ValueError(
                f"{where}row {row['_first'] % _PART} (lot "
                f"{lot_label(tuple(row[k] for k in self.keys))}): stage column {name!r} = "
                f"{show(row[name])} is invalid: expected a stage in 1..{stages} "
                f"(the plan has {stages} stage{'s' if stages > 1 else ''})"
            )

    def _wide_rows(self, rows: pl.DataFrame, where: str) -> pl.DataFrame:
        """One row per lot with a count per stage -> one row per lot and stage drawn
        (a null or NaN count: the stage was not drawn)."""
        pieces = []
        for j, column in enumerate(self.counted):
            n = int(self.n[j])
            v = _numeric(rows, column, self.argument)
            drawn = v.is_not_null() & ~v.is_nan()  # pandas writes "not drawn" as NaN
            ok = ~drawn | (v.is_finite() & (v == v.floor()) & (v >= 0) & (v <= n))
            bad = rows.filter(~ok).head(1)
            if bad.height:
                row = bad.row(0, named=True)
                raise ValueError(
                    f"{where}row {row['_first'] % _PART} (lot "
                    f"{lot_label(tuple(row[k] for k in self.keys))}): {self.argument} column "
                    f"{column!r} = {show(row[column])} is invalid: expected a whole number in "
                    f"[0, {n}] (stage {j + 1} draws n{j + 1} = {n} items), or null or NaN "
                    "(not drawn)"
                )
            found = pl.col(column).cast(pl.Int64)
            pieces.append(
                rows.filter(drawn).select(
                    *self.keys,
                    "_first",
                    pl.lit(j + 1, pl.Int64).alias("_stage"),
                    pl.lit(n, pl.Int64).alias("_inspected"),
                    (found if self.nonconforming else n - found).alias("_nonconforming"),
                )
            )
        return pl.concat(pieces)

    # -- merge and finish -----------------------------------------------------------

    def merge(self, parts: list[pl.DataFrame]) -> pl.DataFrame:
        """The counts per lot and stage of a frame from those of its parts."""
        return (
            pl.concat(parts)
            .group_by([*self.keys, "_stage"])
            .agg(
                pl.col("_first").min(),
                pl.col("_inspected").sum(),
                pl.col("_nonconforming").sum(),
            )
        )

    def finish(self, counts: pl.DataFrame) -> pl.DataFrame:
        """The decisions, one row per lot in order of first appearance."""
        t = counts.with_columns(pl.col("_first").min().over(self.keys).alias("_lot")).sort(
            "_lot", "_stage"
        )
        lot_first = t["_lot"].to_numpy()
        stage = t["_stage"].to_numpy()
        inspected = t["_inspected"].to_numpy()
        starts = np.flatnonzero(np.r_[len(t) > 0, lot_first[1:] != lot_first[:-1]])
        offsets = np.r_[starts, len(t)].astype(np.int64)
        keys = t.select(self.keys)
        # Stage j must hold the stage's whole sample, and stages come in order from 1.
        expected = self.n[stage - 1] if len(t) else np.zeros(0, np.int64)
        wrong = np.flatnonzero(inspected != expected)
        if wrong.size:
            i = int(wrong[0])
            j = int(stage[i])
            raise ValueError(
                f"lot {lot_label(keys.row(i))}, stage {j}: {inspected[i]} items inspected, "
                f"expected the stage's sample size n{j} = {self.n[j - 1]}"
            )
        position = np.arange(len(t)) - np.repeat(starts, np.diff(offsets))
        gap = np.flatnonzero(stage != position + 1)
        if gap.size:
            i = int(gap[0])
            raise ValueError(
                f"lot {lot_label(keys.row(i))} has stage {stage[i]} without stage "
                f"{position[i] + 1}: expected the stages drawn in order from 1"
            )
        found = np.ascontiguousarray(t["_nonconforming"].to_numpy(), dtype=np.uint64)
        try:
            outcome, stage_out, cumulative, following, reinstate = self.plan._native.decide_lots(
                found, offsets
            )
        except ValueError as e:
            raise ValueError(lot_named(str(e), keys.gather(starts))) from None
        total = np.add.reduceat(inspected, starts) if len(t) else np.zeros(0, np.int64)
        return keys.gather(starts).with_columns(
            pl.Series("inspected", total, dtype=pl.Int64),
            *decision_columns(outcome, stage_out, cumulative, following, reinstate),
        )


def decision_columns(
    outcome: Any, stage: Any, cumulative: Any, following: Any, reinstate: Any = None
) -> list[pl.Series]:
    """The columns ``cumulative, outcome, stage, next_sample_size`` (and
    ``reinstate_normal``) from the native batch decision's arrays."""
    nxt = pl.Series("next_sample_size", following, dtype=pl.Int64)
    columns = [
        pl.Series("cumulative", cumulative, dtype=pl.Int64),
        pl.Series("outcome", outcome).replace_strict(_OUTCOMES, return_dtype=pl.String),
        pl.Series("stage", stage, dtype=pl.Int64),
        nxt.set(nxt < 0, None),
    ]
    if reinstate is not None:
        columns.append(pl.Series("reinstate_normal", reinstate, dtype=pl.Boolean))
    return columns
