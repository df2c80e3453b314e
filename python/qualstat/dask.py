"""Scale-out on Dask: pass rates, capability studies and lot decisions of a Dask DataFrame.

Install the extra ``qualstat[dask]`` (``dask[dataframe]`` and ``distributed``).
Each function takes a ``dask.dataframe.DataFrame`` and the arguments of its
in-memory namesake, and returns what the namesake returns for the same data
(a polars DataFrame): the same columns, the same rows in the same order, the
same numbers (to rounding: sums taken in another order differ in the last
bits).

How the work is split (exact, never approximate):

- Each partition is summarised on its worker into mergeable partial
  summaries per group: counts (pass rates, PPM observed), the moments n, mean
  and M2 = Σ(x - x̄)² (combined by Chan, Golub & LeVeque's pairwise formula,
  1979), minima and maxima, and per-subgroup moments and ranges (within
  sigma by pooled SD, R-bar or S-bar) or sums of moving ranges with the first
  and last value of each piece (within sigma by the average moving range);
  for attribute-plan lots, the items inspected and nonconforming per lot and
  stage (sums).
- The partial summaries are shuffled on the group key (hashed into as many
  buckets as there are partitions), merged bucket by bucket on the workers,
  and finished there by the same Rust code that finishes a study or a
  decision on one machine (``capability_from_summaries``,
  ``VariablesPlan::decide_moment_columns``, ``AttributePlan::decide_lots``).
- Studies that need every value of a group (the percentile method, Box-Cox,
  bootstrap intervals, the median moving range, the Anderson-Darling
  columns) shuffle the rows themselves on the group key, keep their order,
  and run :func:`qualstat.capability_by` on each bucket.

Results are computed with the current Dask scheduler (a
``distributed.Client`` if one is active).

Examples
--------
>>> import dask.dataframe as dd
>>> import pandas as pd
>>> import qualstat as qs
>>> from qualstat import dask as qsd
>>> pdf = pd.DataFrame({"region": ["N", "N", "S", "S"], "ok": [48, 50, 30, 36],
...                     "n": [50, 50, 40, 40]})
>>> ddf = dd.from_pandas(pdf, npartitions=2)
>>> out = qsd.pass_rates(ddf, passed="ok", inspected="n", by="region")
>>> out.equals(qs.pass_rates(pdf, passed="ok", inspected="n", by="region"))
True
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from . import _qualstat
from ._coerce import free_name
from ._lot_counts import PARTITION_ROWS, LotCounts
from .capability import _CapabilityBy, _options
from .pass_rates import _PassRates, to_polars
from .plan import AttributePlan
from .variables import VariablesPlan, _LotDecisions

__all__ = ["capability_by", "decide_lots", "pass_rates"]


# Columns only the percentile, Box-Cox or bootstrap studies (or every value) give.
_WHOLE_GROUP_COLUMNS = ("ad_statistic", "ad_p_value")


def _dask() -> Any:
    try:
        import dask
        import dask.dataframe
    except ImportError:  # pragma: no cover - the extra is installed in the tests
        raise ImportError("qualstat.dask needs Dask: pip install 'qualstat[dask]'") from None
    return dask


def _partitions(ddf: Any, columns: Sequence[str]) -> list[Any]:
    """The delayed partitions of ``ddf`` holding just ``columns`` (checked)."""
    dask = _dask()
    if not isinstance(ddf, dask.dataframe.DataFrame):
        raise TypeError(
            f"frame must be a dask DataFrame, got {type(ddf).__name__} "
            "(use the functions of qualstat itself for pandas and polars frames)"
        )
    missing = [c for c in columns if c not in ddf.columns]
    if missing:
        raise ValueError(f"columns {missing} are not in the frame (it has {list(ddf.columns)})")
    return list(ddf[list(columns)].to_delayed())


def _buckets(frame: pl.DataFrame, keys: list[str], count: int) -> list[pl.DataFrame]:
    """``frame`` split into ``count`` frames by a hash of the keys."""
    name = free_name("_bucket", frame.columns)
    bucket = (pl.struct(keys).hash(seed=0) % count).alias(name)
    split = frame.with_columns(bucket).partition_by(name, as_dict=True, include_key=False)
    empty = frame.clear()
    return [split.get((b,), empty) for b in range(count)]


def _shuffled(
    pieces: list[Any], keys: list[str], finish: Callable[[list[pl.DataFrame]], pl.DataFrame]
) -> list[pl.DataFrame]:
    """``finish`` of each bucket of the pieces hashed on ``keys`` (a shuffle on the
    group key), computed; an empty list of pieces gives no buckets."""
    dask = _dask()
    count = max(1, len(pieces))
    split = [dask.delayed(_buckets, nout=count)(p, keys, count) for p in pieces]
    done = [dask.delayed(finish)([s[b] for s in split]) for b in range(count)]
    return list(dask.compute(*done))


def _frame(part: Any, columns: Sequence[str]) -> pl.DataFrame:
    return to_polars(part, columns)


# -- pass rates ---------------------------------------------------------------


def _pass_counts(job: _PassRates, part: Any, index: int) -> pl.DataFrame:
    return job.counts(_frame(part, job.columns), f"partition {index}: ")


def _merge_counts(job: _PassRates, counts: list[pl.DataFrame]) -> pl.DataFrame:
    return job.merge(counts)


def pass_rates(
    frame: Any,
    *,
    passed: str,
    inspected: str | None = None,
    by: str | Sequence[str] | None = None,
    confidence: float = 0.95,
    method: str = "wilson",
    bound: str = "two-sided",
    target: float | str | None = None,
    alternative: str = "less",
    adjust: str | None = "holm",
    test: str = "exact",
) -> pl.DataFrame:
    """:func:`qualstat.pass_rates` of a Dask DataFrame.

    The counts of each partition are summed per group on the workers (the
    groups hashed into buckets), and the table is finished as in memory.
    Every argument and the result are those of :func:`qualstat.pass_rates`;
    an invalid record is reported with its partition and its row in it.

    Examples
    --------
    >>> import dask.dataframe as dd
    >>> import pandas as pd
    >>> from qualstat import dask as qsd
    >>> items = pd.DataFrame({"line": ["A", "A", "B", "B", "A"], "ok": [1, 0, 1, 1, 1]})
    >>> qsd.pass_rates(dd.from_pandas(items, npartitions=2), passed="ok", by="line").rows()[0][:3]
    ('A', 2, 3)
    """
    job = _PassRates(
        passed, inspected, by, confidence, method, bound, target, alternative, adjust, test
    )
    dask = _dask()
    parts = _partitions(frame, job.columns)
    counts = [dask.delayed(_pass_counts)(job, p, i) for i, p in enumerate(parts)]
    if job.keys:
        merged = pl.concat(_shuffled(counts, job.keys, partial(_merge_counts, job)))
    else:
        merged = job.merge(list(dask.compute(*counts)))
    return job.finish(merged)


# -- lot decisions ------------------------------------------------------------


def _lot_moments(job: _LotDecisions, part: Any, index: int) -> pl.DataFrame:
    return job.moments(_frame(part, job.columns), index)


def _merge_lots(job: _LotDecisions, parts: list[pl.DataFrame]) -> pl.DataFrame:
    return job.merge(parts)


def _lot_counts(job: LotCounts, part: Any, index: int) -> pl.DataFrame:
    return job.counts(_frame(part, job.columns), index)


def _merge_lot_counts(job: LotCounts, parts: list[pl.DataFrame]) -> pl.DataFrame:
    return job.merge(parts)


def decide_lots(
    frame: Any,
    plan: VariablesPlan | AttributePlan,
    *,
    lot: str | Sequence[str],
    value: str | None = None,
    lsl: float | None = None,
    usl: float | None = None,
    control: str | None = None,
    k_lower: float | None = None,
    k_upper: float | None = None,
    nonconforming: str | Sequence[str] | None = None,
    passed: str | Sequence[str] | None = None,
    inspected: str | None = None,
    stage: str | None = None,
) -> pl.DataFrame:
    """:meth:`qualstat.VariablesPlan.decide_lots` or
    :meth:`qualstat.AttributePlan.decide_lots` of a Dask DataFrame.

    A variables plan takes ``value``, ``lot`` and the limits: the moments
    (n, mean, M2) of each lot are taken per partition (by the one pass of
    shifted sums of the in-memory call), merged per lot by Chan's formula on
    the workers, and the lots decided from them by the same
    Rust code as in memory. An attribute plan takes ``lot``,
    ``nonconforming`` or ``passed``, and ``inspected`` and ``stage`` where
    the layout needs them: the items inspected and nonconforming per lot and
    stage are counted per partition, added up per lot on the workers, and the
    lots decided by the same code as in memory. Lots come out in order of
    first appearance, as in memory.

    Examples
    --------
    >>> import dask.dataframe as dd
    >>> import pandas as pd
    >>> import qualstat as qs
    >>> from qualstat import dask as qsd
    >>> pdf = pd.DataFrame({"lot": [1, 1, 1, 2, 2, 2], "x": [1.0, 1.1, 0.9, 1.0, 1.5, 2.1]})
    >>> plan = qs.VariablesPlan(3, 1.0)
    >>> out = qsd.decide_lots(dd.from_pandas(pdf, npartitions=2), plan, value="x", lot="lot",
    ...                       usl=2.0)
    >>> out["outcome"].to_list()
    ['accept', 'reject']
    >>> items = pd.DataFrame({"lot": [1, 1, 1, 2, 2, 2], "bad": [0, 0, 0, 0, 1, 1]})
    >>> out = qsd.decide_lots(dd.from_pandas(items, npartitions=2), qs.AttributePlan.single(3, 1),
    ...                       lot="lot", nonconforming="bad")
    >>> out["outcome"].to_list()
    ['accept', 'reject']
    """
    dask = _dask()
    attribute_args = {
        "nonconforming": nonconforming,
        "passed": passed,
        "inspected": inspected,
        "stage": stage,
    }
    variables_args = {
        "value": value,
        "lsl": lsl,
        "usl": usl,
        "control": control,
        "k_lower": k_lower,
        "k_upper": k_upper,
    }
    if isinstance(plan, AttributePlan):
        _refuse(variables_args, "an AttributePlan")
        counting = LotCounts(plan, lot, nonconforming, passed, inspected, stage)
        parts = _partitions(frame, counting.columns)
        counts = [dask.delayed(_lot_counts)(counting, p, i) for i, p in enumerate(parts)]
        merged = _shuffled(counts, counting.keys, partial(_merge_lot_counts, counting))
        return counting.finish(pl.concat(merged))
    if not isinstance(plan, VariablesPlan):
        raise TypeError(
            "plan must be a qualstat.VariablesPlan or qualstat.AttributePlan, "
            f"got {type(plan).__name__}"
        )
    _refuse(attribute_args, "a VariablesPlan")
    if value is None:
        raise ValueError("value is not given: expected the column of measurements")
    job = _LotDecisions(plan, value, lot, lsl, usl, control, k_lower, k_upper)
    parts = _partitions(frame, job.columns)
    moments = [dask.delayed(_lot_moments)(job, p, i) for i, p in enumerate(parts)]
    merged = _shuffled(moments, [job.lot], partial(_merge_lots, job))
    return job.finish(pl.concat(merged))


def _refuse(arguments: dict[str, Any], kind: str) -> None:
    """Arguments of the other kind of plan are an error, not ignored."""
    given = [name for name, v in arguments.items() if v is not None]
    if given:
        raise ValueError(
            f"{given[0]} = {arguments[given[0]]!r} is invalid: {kind} does not take {given[0]}"
        )


# -- capability ---------------------------------------------------------------


def _rows_of_groups(job: _CapabilityBy, part: Any, index: int) -> pl.DataFrame:
    """The number of rows of each group in one partition (for subgroup positions)."""
    df = _frame(part, job.keys)
    return (
        df.group_by(job.keys)
        .agg(pl.len().cast(pl.Int64).alias("_rows"))
        .with_columns(pl.lit(index, pl.Int64).alias("_part"))
    )


def _pieces(job: _CapabilityBy, part: Any, index: int, before: pl.DataFrame | None) -> pl.DataFrame:
    """The partial summaries of one partition: one row per piece (group, or
    group and subgroup, within the partition). ``before``: the rows of each
    group in earlier partitions (for subgroups of a given size)."""
    df = _frame(part, job.columns)
    keys, sub = job.keys, job.sub_col
    x = pl.col(job.value).cast(pl.Float64)
    if job.size is not None:
        position = pl.int_range(pl.len()).over(keys).cast(pl.Int64)
        if before is not None and before.height:
            df = df.join(before, on=keys, how="left", nulls_equal=True, maintain_order="left")
            position = position + pl.col("_before").fill_null(0)
        df = df.with_columns((position // job.size).alias("_sub"))
        sub = "_sub"
    piece = [*keys, sub] if sub is not None else keys
    # Each piece's rows together, in frame order.
    df = df.with_columns(x.alias("_x")).with_row_index("_row").sort([*piece, "_row"])
    finite = pl.col("_x").is_finite()
    omit = job.opts["nan_policy"].strip().lower() == "omit"
    refused = pl.col("_x").is_infinite() if omit else ~finite
    used = df.filter(finite)
    same_piece = pl.all_horizontal([pl.col(k).eq_missing(pl.col(k).shift(1)) for k in piece])
    step = (pl.col("_x") - pl.col("_x").shift(1)).abs()
    used = used.with_columns(pl.when(same_piece).then(step).otherwise(0.0).alias("_d"))
    outside = []
    for name, side in (("lsl", pl.col("_x").lt), ("usl", pl.col("_x").gt)):
        arg = job.specs[name]
        if arg is None:
            outside.append(pl.lit(0, pl.Int64).alias(f"_{name}_out"))
            continue
        limit = pl.col(arg).cast(pl.Float64) if isinstance(arg, str) else pl.lit(float(arg))
        outside.append(side(limit).fill_null(False).sum().cast(pl.Int64).alias(f"_{name}_out"))
    x_used = pl.col("_x")
    summary = used.group_by(piece).agg(
        pl.len().cast(pl.UInt64).alias("_n"),
        x_used.mean().alias("_mean"),
        (x_used.var(ddof=0) * pl.len()).alias("_m2"),
        x_used.min().alias("_min"),
        x_used.max().alias("_max"),
        pl.col("_d").sum().alias("_mr"),
        x_used.first().alias("_first_value"),
        x_used.last().alias("_last_value"),
        *outside,
    )
    # What needs every row: the row count, the first refused value, the specs.
    local = pl.int_range(pl.len()).cast(pl.Int64)
    every = [pl.len().cast(pl.Int64).alias("_rows")]
    if df.select(refused.any()).item():
        every += [
            local.filter(refused).first().alias("_refused_at"),
            pl.col("_x").filter(refused).first().alias("_refused_value"),
        ]
    for name, col in job.spec_cols.items():
        every += [
            pl.col(col).first().alias(f"_{name}"),
            pl.col(col).n_unique().alias(f"_{name}_k"),
        ]
    rows = df.group_by(piece).agg(every)
    if "_refused_at" not in rows.columns:
        rows = rows.with_columns(
            pl.lit(None, pl.Int64).alias("_refused_at"),
            pl.lit(None, pl.Float64).alias("_refused_value"),
        )
    out = rows.join(summary, on=piece, how="left", nulls_equal=True)
    return out.with_columns(
        pl.col("_n").fill_null(0),
        pl.col("_m2").fill_null(0.0),
        pl.col("_mr").fill_null(0.0),
        pl.col("_lsl_out").fill_null(0),
        pl.col("_usl_out").fill_null(0),
        pl.lit(index, pl.Int64).alias("_part"),
    )


def _merge_runs(frame: pl.DataFrame, run_keys: list[str]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Runs of equal ``run_keys`` in ``frame`` (sorted on them): one row per run with
    the moments merged (``_n``, ``_mean``, ``_m2``), and the run sizes."""
    runs = frame.group_by(run_keys, maintain_order=True).agg(pl.len().alias("_k"))
    offsets = np.zeros(runs.height + 1, dtype=np.int64)
    np.cumsum(runs["_k"].to_numpy(), out=offsets[1:])
    n, mean, m2 = _qualstat._merge_moments(
        offsets,
        np.ascontiguousarray(frame["_n"].to_numpy(), dtype=np.uint64),
        np.ascontiguousarray(frame["_mean"].fill_null(np.nan).to_numpy(), dtype=np.float64),
        np.ascontiguousarray(frame["_m2"].to_numpy(), dtype=np.float64),
    )
    merged = runs.select(run_keys).with_columns(
        pl.Series("_n", n), pl.Series("_mean", mean), pl.Series("_m2", m2)
    )
    return merged, runs


def _finish_summaries(job: _CapabilityBy, pieces: list[pl.DataFrame]) -> pl.DataFrame:
    """The studies of the groups of one bucket from their pieces."""
    keys = job.keys
    sub = "_sub" if job.size is not None else job.sub_col
    t = pl.concat(pieces)
    if t.height == 0:
        return pl.DataFrame()
    order = [*keys, sub, "_part"] if sub is not None else [*keys, "_part"]
    t = t.sort(order, nulls_last=False)
    # Position of each piece's first row in its group, in the in-memory order.
    start = pl.col("_rows").cum_sum().over(keys) - pl.col("_rows")
    t = t.with_columns((start + pl.col("_refused_at")).alias("_refused_at"))
    # Moving ranges across consecutive pieces that hold values.
    with_values = t.filter(pl.col("_n") > 0)
    gaps = with_values.group_by(keys, maintain_order=True).agg(
        (pl.col("_first_value") - pl.col("_last_value").shift(1)).abs().sum().alias("_gap")
    )
    aggs = [
        pl.col("_rows").sum(),
        pl.col("_min").min(),
        pl.col("_max").max(),
        pl.col("_mr").sum(),
        pl.col("_lsl_out").sum(),
        pl.col("_usl_out").sum(),
        pl.col("_refused_at").drop_nulls().first(),
        pl.col("_refused_value").filter(pl.col("_refused_at").is_not_null()).first(),
    ]
    for name in job.spec_cols:
        aggs += [
            pl.col(f"_{name}").first(),
            pl.max_horizontal(pl.col(f"_{name}_k").max(), pl.col(f"_{name}").n_unique()).alias(
                f"_{name}_k"
            ),
        ]
    groups = t.group_by(keys, maintain_order=True).agg(aggs)
    groups = groups.join(gaps, on=keys, how="left", nulls_equal=True, maintain_order="left")
    offsets = None
    sub_n = np.zeros(0, dtype=np.uint64)
    sub_m2 = np.zeros(0)
    sub_range = np.zeros(0)
    if sub is not None:
        s, _ = _merge_runs(t, [*keys, sub])
        extremes = t.group_by([*keys, sub], maintain_order=True).agg(
            (pl.col("_max").max() - pl.col("_min").min()).alias("_range")
        )
        s = s.with_columns(extremes["_range"]).filter(pl.col("_n") > 0)
        overall, _ = _merge_runs(s, keys)
        per_group = s.group_by(keys, maintain_order=True).agg(pl.len().alias("_k"))
        per_group = groups.select(keys).join(
            per_group, on=keys, how="left", nulls_equal=True, maintain_order="left"
        )
        offsets = np.zeros(groups.height + 1, dtype=np.int64)
        np.cumsum(per_group["_k"].fill_null(0).to_numpy(), out=offsets[1:])
        sub_n = np.ascontiguousarray(s["_n"].to_numpy(), dtype=np.uint64)
        sub_m2 = np.ascontiguousarray(s["_m2"].to_numpy(), dtype=np.float64)
        sub_range = np.ascontiguousarray(s["_range"].to_numpy(), dtype=np.float64)
    else:
        overall, _ = _merge_runs(t, keys)
    groups = groups.join(overall, on=keys, how="left", nulls_equal=True, maintain_order="left")
    for name, col in job.spec_cols.items():
        if (groups[f"_{name}_k"] > 1).any():
            raise ValueError(f"{name} column {col!r} must be constant within each group")

    def floats(name: str, fill: float = np.nan) -> npt.NDArray[np.float64]:
        return np.ascontiguousarray(groups[name].fill_null(fill).to_numpy(), dtype=np.float64)

    def counts(name: str) -> npt.NDArray[np.uint64]:
        return np.ascontiguousarray(groups[name].fill_null(0).to_numpy(), dtype=np.uint64)

    n = counts("_n")
    summaries = {
        "rows": counts("_rows"),
        "n": n,
        "mean": floats("_mean"),
        "m2": floats("_m2", 0.0),
        "min": floats("_min"),
        "max": floats("_max"),
        "below": counts("_lsl_out"),
        "above": counts("_usl_out"),
        "refused_at": np.ascontiguousarray(
            groups["_refused_at"].fill_null(-1).to_numpy(), dtype=np.int64
        ),
        "refused_value": floats("_refused_value"),
        "mr_sum": floats("_mr", 0.0) + floats("_gap", 0.0),
        "mr_count": np.where(n > 0, n - 1, 0).astype(np.uint64),
        "sub_n": sub_n,
        "sub_m2": sub_m2,
        "sub_range": sub_range,
    }
    native = _qualstat._capability_summaries(
        summaries, offsets, job.size, *job.spec_arrays(groups), job.opts
    )
    return job.table(groups.select(keys), *native)


def _tagged(job: _CapabilityBy, part: Any, index: int) -> pl.DataFrame:
    """The rows of one partition with their order in the whole frame."""
    df = _frame(part, job.columns)
    order = pl.int_range(pl.len(), dtype=pl.Int64) + index * PARTITION_ROWS
    return df.with_columns(order.alias("_order"))


def _run_whole_groups(job: _CapabilityBy, parts: list[pl.DataFrame]) -> pl.DataFrame:
    """The studies of the groups of one bucket from all their rows, in frame order."""
    df = pl.concat(parts)
    if df.height == 0:
        return pl.DataFrame()
    return job.run(df.sort("_order").drop("_order"))


def _needs_every_value(job: _CapabilityBy, distribution: str, boxcox: Any) -> bool:
    o = job.opts
    return (
        distribution.strip().lower() != "normal"
        or boxcox is not None
        or o["method"].strip().lower() != "classic"
        or o["within"].strip().lower().replace("-", "_") in ("median_mr", "median_moving_range")
        or any(c in _WHOLE_GROUP_COLUMNS for c in job.wanted)
    )


def capability_by(
    frame: Any,
    *,
    value: str,
    by: str | Sequence[str],
    lsl: float | str | None = None,
    usl: float | str | None = None,
    target: float | str | None = None,
    subgroups: str | None = None,
    subgroup: str | None = None,
    subgroup_size: int | None = None,
    within: str = "auto",
    confidence: float = 0.95,
    bound: str = "two-sided",
    nan_policy: str = "raise",
    distribution: str = "normal",
    boxcox: str | float | None = None,
    method: str = "classic",
    bootstrap: str = "bca",
    resamples: int = 10_000,
    seed: int = 0,
    columns: str | Sequence[str] = "main",
) -> pl.DataFrame:
    """:func:`qualstat.capability_by` of a Dask DataFrame.

    A normal study with classic intervals (the default) is computed from
    mergeable summaries of each partition (moments, extremes, counts beyond
    the limits, per-subgroup moments and ranges, moving ranges), merged per
    group on the workers and finished by the same Rust code as in memory
    (without the Anderson-Darling test, which needs every value). The
    percentile method, Box-Cox, bootstrap intervals, ``within="median_mr"``
    and the columns ``ad_statistic`` / ``ad_p_value`` shuffle the rows on
    the group key instead and run :func:`qualstat.capability_by` per bucket.

    ``subgroup_size`` forms consecutive subgroups in frame order within each
    group across partitions (the rows of each group in earlier partitions are
    counted first). Every argument and the result are those of
    :func:`qualstat.capability_by`.

    Examples
    --------
    >>> import dask.dataframe as dd
    >>> import pandas as pd
    >>> import qualstat as qs
    >>> from qualstat import dask as qsd
    >>> pdf = pd.DataFrame({"m": ["a"] * 6 + ["b"] * 6,
    ...                     "x": [1.0, 1.2, 0.9, 1.1, 1.0, 0.8, 2.0, 2.2, 1.9, 2.1, 2.4, 1.8]})
    >>> ddf = dd.from_pandas(pdf, npartitions=3)
    >>> out = qsd.capability_by(ddf, value="x", by="m", lsl=0.0, usl=3.0, subgroup_size=2)
    >>> mem = qs.capability_by(pdf, value="x", by="m", lsl=0.0, usl=3.0, subgroup_size=2)
    >>> [round(c, 10) for c in out["cpk"]] == [round(c, 10) for c in mem["cpk"]]
    True
    """
    opts = _options(
        within, confidence, bound, nan_policy, distribution, boxcox, method, bootstrap,
        resamples, seed,
    )  # fmt: skip
    job = _CapabilityBy(
        value, by, lsl, usl, target, subgroups, subgroup, subgroup_size, columns, opts, boxcox
    )
    dask = _dask()
    parts = _partitions(frame, job.columns)
    if _needs_every_value(job, opts["distribution"], boxcox):
        rows = [dask.delayed(_tagged)(job, p, i) for i, p in enumerate(parts)]
        done = _shuffled(rows, job.keys, partial(_run_whole_groups, job))
    else:
        before: list[pl.DataFrame | None] = [None] * len(parts)
        if job.size is not None:
            counted = dask.compute(
                *[dask.delayed(_rows_of_groups)(job, p, i) for i, p in enumerate(parts)]
            )
            rows = pl.concat(counted).sort([*job.keys, "_part"], nulls_last=False)
            rows = rows.with_columns(
                (pl.col("_rows").cum_sum().over(job.keys) - pl.col("_rows")).alias("_before")
            )
            split = rows.partition_by("_part", as_dict=True)
            before = [
                split[(i,)].select(*job.keys, "_before") if (i,) in split else None
                for i in range(len(parts))
            ]
        pieces = [dask.delayed(_pieces)(job, p, i, before[i]) for i, p in enumerate(parts)]
        done = _shuffled(pieces, job.keys, partial(_finish_summaries, job))
    done = [d for d in done if d.height]
    if not done:
        return job.run(to_polars(frame.head(0), job.columns))
    return pl.concat(done).sort(job.keys, nulls_last=False)
