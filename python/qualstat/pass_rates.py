"""Spot-check pass rates by group, from a frame of inspection records."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import polars as pl

from .proportion import proportion_ci

__all__ = ["pass_rates", "to_polars"]


def to_polars(frame: Any, columns: Sequence[str]) -> pl.DataFrame:
    """A pandas or polars frame as a polars DataFrame with just ``columns``.

    pandas frames are converted column by column through numpy, so pyarrow is
    not needed.
    """
    if isinstance(frame, pl.LazyFrame):
        frame = frame.collect()
    if isinstance(frame, pl.DataFrame):
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise ValueError(f"columns {missing} are not in the frame (it has {frame.columns})")
        return frame.select(list(columns))
    if hasattr(frame, "columns") and hasattr(frame, "__getitem__"):
        cols = list(frame.columns)
        missing = [c for c in columns if c not in cols]
        if missing:
            raise ValueError(f"columns {missing} are not in the frame (it has {cols})")
        data = {}
        for c in columns:
            values = np.asarray(frame[c].to_numpy())
            data[c] = values.astype(str) if values.dtype == object else values
        return pl.DataFrame(data)
    raise TypeError(f"frame must be a pandas or polars DataFrame, got {type(frame).__name__}")


def pass_rates(
    frame: Any,
    *,
    passed: str,
    inspected: str,
    by: str | Sequence[str] | None = None,
    confidence: float = 0.95,
    method: str = "wilson",
) -> pl.DataFrame:
    """Pass rates with confidence intervals, overall or by group.

    Parameters
    ----------
    frame : pandas.DataFrame or polars.DataFrame
        Inspection records: one row per batch, lot or check.
    passed, inspected : str
        Columns with the number of items that passed and the number inspected.
        Use the same column twice with a 0/1 pass column and ``inspected``
        set to a column of ones, or pass per-record counts.
    by : str or list of str, optional
        Grouping columns (region, product, period, ...). ``None`` gives one row.
    confidence, method
        As in :func:`qualstat.proportion_ci`.

    Returns
    -------
    polars.DataFrame
        Columns: the group keys, ``passed``, ``inspected``, ``rate``, ``lower``,
        ``upper``; sorted by the keys.

    Examples
    --------
    >>> import polars as pl
    >>> import qualstat as qs
    >>> df = pl.DataFrame({"region": ["N", "N", "S"], "ok": [48, 50, 30], "n": [50, 50, 40]})
    >>> out = qs.pass_rates(df, passed="ok", inspected="n", by="region")
    >>> out.select("region", "passed", "inspected", "rate").rows()
    [('N', 98, 100, 0.98), ('S', 30, 40, 0.75)]
    """
    keys: list[str] = [] if by is None else [by] if isinstance(by, str) else list(by)
    df = to_polars(frame, [*keys, passed, inspected])
    totals = [
        pl.col(passed).sum().alias("passed"),
        pl.col(inspected).sum().alias("inspected"),
    ]
    if keys:
        agg = df.group_by(keys, maintain_order=False).agg(totals).sort(keys)
    else:
        agg = df.select(totals)
    x = agg["passed"].to_numpy()
    n = agg["inspected"].to_numpy()
    lower, upper = proportion_ci(x, n, confidence=confidence, method=method)
    return agg.with_columns(
        (pl.col("passed") / pl.col("inspected")).alias("rate"),
        pl.Series("lower", lower),
        pl.Series("upper", upper),
    )
