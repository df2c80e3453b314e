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

from . import _qualstat
from ._coerce import key_text, show
from .pass_rates import _check_records, _column_name, _keys, _numeric

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

# The outcome of each native outcome code (gathered by the code).
_OUTCOMES = pl.Series("outcome", ["accept", "reject", "continue"])


def by_code(names: pl.Series, codes: Any) -> pl.Series:
    """``names`` gathered by the integer ``codes`` (an array): given as
    polars' index type, UInt32, which skips two conversions of the codes
    (0.25 against 0.43 ms for 100,000 codes in a byte each)."""
    return names.gather(pl.Series(np.asarray(codes).astype(np.uint32, copy=False)))


def partition_prefix(part: int | None) -> str:
    """The prefix of an error in partition ``part`` of a larger frame (none for
    a whole frame)."""
    return "" if part is None else f"partition {part}: "


#: Row r of partition p of a larger frame (a Dask partition) is ordered as
#: p * PARTITION_ROWS + r, so first appearances compare across partitions.
PARTITION_ROWS = 2**40

#: The working columns of the counts per lot and stage (a lot column may not have their names).
_WORKING = ("_stage", "_first", "_inspected", "_nonconforming", "_lot")


def lot_label(key: tuple[Any, ...]) -> str:
    """A lot's key as error messages show it: the value as :func:`key_text` shows it
    ('B-17', 3, None, True, 2024-01-05), or the tuple of values ``('B-17', 2024-01-05)``."""
    texts = [key_text(v) for v in key]
    return texts[0] if len(texts) == 1 else f"({', '.join(texts)})"


def lot_named(message: str, keys: pl.DataFrame) -> str:
    """A native error naming a lot by its index (``lot 3: ...``), renamed by its
    key (row 3 of ``keys``)."""
    head, sep, rest = message.partition(": ")
    if sep and head.startswith("lot ") and head[4:].isdigit():
        return f"lot {lot_label(keys.row(int(head[4:])))}: {rest}"
    return message


def _lot_keys(lot: Any) -> list[str]:
    keys = _keys(lot, (*RESULT_COLUMNS, *_WORKING), "lot", "lot")
    if not keys:
        raise TypeError(f"lot = {show(lot)} is invalid: expected a column name or a list of them")
    if len(set(keys)) < len(keys):
        raise ValueError(f"lot = {show(lot)} is invalid: expected distinct columns")
    return keys


def _unsigned(column: pl.Series, dtype: Any) -> Any:
    """A column checked to hold whole numbers that fit unsigned ``dtype``, as
    that, by numpy: a view of integers or booleans of the same width, else a
    conversion (exact for such numbers; polars' checked cast of 2.1M bytes
    took 3.7 ms)."""
    values = column.to_numpy()
    if values.dtype.kind in "iub" and values.dtype.itemsize == np.dtype(dtype).itemsize:
        return values.view(dtype)
    return values.astype(dtype)


def key_codes(s: pl.Series) -> pl.Series:
    """An Int64 code per value of a key column, equal for equal values and
    different otherwise: integers and booleans as they are (but UInt64, which
    may not fit), categoricals by their own codes and dates, times and
    durations by their integers (no text made: 8 against 230 ms for 3.5M rows
    of categorical lots), anything else by the codes of its text as a polars
    categorical."""
    if (s.dtype.is_integer() and s.dtype != pl.UInt64) or s.dtype == pl.Boolean:
        return s.cast(pl.Int64)
    if isinstance(s.dtype, pl.Categorical | pl.Enum) or s.dtype.is_temporal():
        return s.to_physical().cast(pl.Int64)
    return s.cast(pl.String).cast(pl.Categorical).to_physical().cast(pl.Int64)


def _codes(df: pl.DataFrame, keys: list[str]) -> Any:
    """An int64 code per row, equal for rows of one lot and different between
    lots (:func:`key_codes`); several key columns combined through dense group ids."""
    codes = None
    for k in keys:
        c = key_codes(df[k]).to_numpy()
        if codes is None:
            codes = c
        else:
            prior, _ = _qualstat._group_ids(np.ascontiguousarray(codes, dtype=np.int64))
            own, first = _qualstat._group_ids(np.ascontiguousarray(c, dtype=np.int64))
            codes = prior * len(first) + own
    return np.ascontiguousarray(codes, dtype=np.int64)


class LotCounts:
    """A ``decide_lots`` call on an attribute plan with its arguments checked.

    Three layouts of the frame (documented in
    :meth:`qualstat.AttributePlan.decide_lots`): one row per item (a 0/1 or
    boolean ``nonconforming`` or ``passed`` column), rows of counts (with
    ``inspected``), or one row per lot with a count column per stage (a list
    of columns). Each is reduced to one row per lot and stage: ``_first``
    (the order of the lot's first row), ``_stage``, ``_inspected`` and
    ``_nonconforming``. A lot with no stage drawn (every count column null) has
    one row of stage 0 and no items, so that it is decided as undrawn: "continue"
    at stage 0, the first sample next.
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
        frame): the keys, ``_stage``, ``_first`` (the lot's first row; in partition
        ``part``, ``part * 2**40`` plus the row), ``_inspected``, ``_nonconforming``.

        Rows are checked here, then added up per lot and stage in one pass in
        Rust (``counts_by_lot_and_stage``: keys by :func:`key_codes`).
        """
        where = partition_prefix(part)
        for k in self.keys:
            nulls = df[k].null_count()
            if nulls:
                raise ValueError(f"{where}lot column {k!r} has {nulls} null values")
        row, stage, items, found, undrawn = (
            self._wide(df, where) if self.wide else self._long(df, where)
        )
        codes = _codes(df, self.keys)
        if found.dtype != np.uint8:  # one byte a row stays as it is
            found = np.ascontiguousarray(found, dtype=np.uint64)
        try:
            first, stage, inspected, nonconforming = _qualstat._lot_stage_counts(
                codes if row is None else codes[row],
                np.ascontiguousarray(stage, dtype=np.int64),
                None if items is None else np.ascontiguousarray(items, dtype=np.uint64),
                found,
                len(self.n),
            )
        except ValueError as e:
            if self.stage is not None and str(e).startswith("stage["):
                self._stages(df, where, counted=False)  # names the row and its lot
            raise
        if row is not None:
            first = row[first]
        if undrawn is not None and undrawn.size:  # stage 0, no items: see the class docs
            none = np.zeros(undrawn.size, np.int64)
            first, stage = np.r_[first, undrawn], np.r_[stage, none]
            inspected, nonconforming = np.r_[inspected, none], np.r_[nonconforming, none]
        return df.select(self.keys)[first].with_columns(
            pl.Series("_stage", stage, dtype=pl.Int64),
            pl.Series("_first", first + (part or 0) * PARTITION_ROWS, dtype=pl.Int64),
            pl.Series("_inspected", inspected, dtype=pl.Int64),
            pl.Series("_nonconforming", nonconforming, dtype=pl.Int64),
        )

    def _long(self, df: pl.DataFrame, where: str) -> tuple[None, Any, Any, Any, None]:
        """Rows of items or of counts: (None, stage, items, nonconforming, None) per row."""
        column = self.counted[0]
        _check_records(df, self.keys, column, self.inspected, where, self.argument)
        stage = np.ones(df.height, np.int64) if self.stage is None else self._stages(df, where)
        # Checked above: whole numbers, 0 <= found <= items (items one by one: 0 or 1,
        # one byte a row).
        width = np.uint8 if self.inspected is None else np.uint64
        found = _unsigned(df[column], width)
        items = None if self.inspected is None else _unsigned(df[self.inspected], np.uint64)
        if not self.nonconforming:
            found = (np.uint8(1) if items is None else items) - found
        return None, stage, items, found, None

    def _stages(self, df: pl.DataFrame, where: str, counted: bool = True) -> Any:
        """The stage column as int64, checked to hold whole numbers in 1..stages
        (integers that fit int64 are checked row by row by the count, unless
        ``counted`` is false: the count's error is raised again from here,
        naming the row's lot)."""
        name, stages = self.stage, len(self.n)
        assert name is not None
        column = df[name]
        if not column.dtype.is_numeric():
            raise TypeError(
                f"stage = {name!r} is invalid: the column must hold stage numbers, "
                f"it has dtype {column.dtype}"
            )
        if column.dtype.is_integer() and column.dtype != pl.UInt64 and column.null_count() == 0:
            if counted:  # no pass for the extremes (2.9 ms for 2.1M rows)
                return column.cast(pl.Int64).to_numpy()
        v = column.cast(pl.Float64).to_numpy()  # nulls as NaN
        with np.errstate(invalid="ignore"):
            ok = (v >= 1) & (v <= stages) & (v == np.floor(v))
        if not ok.all():
            i, place = self._first_invalid(df, ok, where)
            raise ValueError(
                f"{place}: stage column {name!r} = "
                f"{show(column[i])} is invalid: expected a stage in 1..{stages} "
                f"(the plan has {stages} stage{'s' if stages > 1 else ''})"
            )
        return v.astype(np.int64)

    def _first_invalid(self, df: pl.DataFrame, ok: Any, where: str) -> tuple[int, str]:
        """The first row where ``ok`` is false, and where it is: "row i (lot ...)"."""
        i = int(np.argmin(ok))
        key = tuple(df[k][i] for k in self.keys)
        return i, f"{where}row {i} (lot {lot_label(key)})"

    def _wide(self, df: pl.DataFrame, where: str) -> tuple[Any, Any, Any, Any, Any]:
        """One row per lot with a count per stage (a null or NaN count: the stage was
        not drawn): (row, stage, items, nonconforming) per lot and stage drawn, and the
        rows with no stage drawn."""
        rows, stage, items, found = [], [], [], []
        any_drawn = np.zeros(df.height, dtype=bool)
        for j, column in enumerate(self.counted):
            n = int(self.n[j])
            _numeric(df, column, self.argument)
            v = df[column].cast(pl.Float64).to_numpy()  # nulls as NaN
            drawn = ~np.isnan(v)  # pandas writes "not drawn" as NaN
            ok = ~drawn | ((v >= 0) & (v <= n) & (v == np.floor(v)))
            if not ok.all():
                i, place = self._first_invalid(df, ok, where)
                raise ValueError(
                    f"{place}: {self.argument} column "
                    f"{column!r} = {show(df[column][i])} is invalid: expected a whole number in "
                    f"[0, {n}] (stage {j + 1} draws n{j + 1} = {n} items), or null or NaN "
                    "(not drawn)"
                )
            any_drawn |= drawn
            at = np.flatnonzero(drawn)
            count = v[at].astype(np.int64)
            rows.append(at)
            stage.append(np.full(len(at), j + 1, np.int64))
            items.append(np.full(len(at), n, np.int64))
            found.append(count if self.nonconforming else n - count)
        return (
            np.concatenate(rows),
            np.concatenate(stage),
            np.concatenate(items),
            np.concatenate(found),
            np.flatnonzero(~any_drawn),
        )

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

    def finish(self, counts: pl.DataFrame, one_frame: bool = False) -> pl.DataFrame:
        """The decisions, one row per lot in order of first appearance (a lot of
        stage-0 rows only: no stage drawn). ``one_frame``: the counts of one
        frame (:meth:`counts`, not merged), a lot's rows together with its first
        row in each and its stages in order, so that rows in order of ``_first``
        need no sort."""
        if one_frame and counts["_first"].is_sorted():
            t = counts.with_columns(pl.col("_first").alias("_lot"))
        else:
            t = counts.with_columns(pl.col("_first").min().over(self.keys).alias("_lot"))
            t = t.sort("_lot", "_stage")
        lot_first = t["_lot"].to_numpy()
        new_lot = np.r_[True, lot_first[1:] != lot_first[:-1]][: len(t)]
        lots = t.select(self.keys).filter(new_lot)
        lot_of = np.cumsum(new_lot) - 1
        drawn = t["_stage"].to_numpy() > 0
        t, lot_of = t.filter(drawn), lot_of[drawn]
        stage = t["_stage"].to_numpy()
        inspected = t["_inspected"].to_numpy()
        offsets = np.r_[0, np.cumsum(np.bincount(lot_of, minlength=lots.height))].astype(np.int64)
        starts = offsets[:-1]
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
            raise ValueError(lot_named(str(e), lots)) from None
        total = np.bincount(lot_of, weights=inspected, minlength=lots.height)  # exact < 2**53
        total = total.astype(np.int64)
        return lots.with_columns(
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
        by_code(_OUTCOMES, outcome),
        pl.Series("stage", stage, dtype=pl.Int64),
        nxt.set(nxt < 0, None),
    ]
    if reinstate is not None:
        columns.append(pl.Series("reinstate_normal", reinstate, dtype=pl.Boolean))
    return columns
