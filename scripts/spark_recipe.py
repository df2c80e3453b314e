"""PySpark recipe: qualstat's pass rates and capability studies on a Spark DataFrame.

Run with ``make spark-recipe`` (it installs pyspark into the virtual
environment; a Java runtime must be installed). The recipe, documented in
ARCHITECTURE.md ("Scale-out"):

1. Pass rates by group. Counts add: ``mapInArrow`` sums each partition's
   records per group with polars (Arrow batches in, Arrow batches out), Spark
   adds the partial counts per group, and :func:`qualstat.pass_rates`
   finishes the small table of counts on the driver (a row of counts is a
   record of ``inspected`` items, so the result is that of the in-memory
   call on the raw records).
2. Capability by group, every option: Spark shuffles the rows on the group
   key and ``groupBy().applyInPandas`` calls :func:`qualstat.capability_by`
   on each group's rows (kept in frame order by an order column).
3. Lot decisions of a variables plan: Spark repartitions the rows on the lot
   key (every lot in one partition, rows kept in frame order by
   ``sortWithinPartitions``) and ``mapInArrow`` calls
   :meth:`qualstat.VariablesPlan.decide_lots` once per partition (one call
   per partition, not per lot: ``applyInPandas`` per lot costs a Python call
   per group and is far slower for many small lots).

Each result is compared with the in-memory call on the same data; the script
exits with status 1 if any differs.
"""

from __future__ import annotations

import os
import sys
import time
import warnings

import numpy as np
import pandas as pd
import polars as pl

import qualstat as qs

RTOL = 1e-9


def synthetic(rows: int, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    groups = rows // 200
    g = rng.integers(0, groups, rows)
    n = rng.integers(1, 30, rows)
    return pd.DataFrame(
        {
            "order": np.arange(rows, dtype=np.int64),
            "region": np.array([f"r{i:03d}" for i in g % 50]),
            "machine": np.array([f"m{i:04d}" for i in g]),
            "ok": rng.binomial(n, 0.93),
            "n": n,
            "x": rng.normal(10.0 + 0.001 * g, 0.1),
        }
    )


def same(label: str, got: pl.DataFrame, want: pl.DataFrame) -> bool:
    ok = got.columns == want.columns and got.height == want.height
    for name in want.columns if ok else []:
        g, w = got[name], want[name]
        if w.dtype.is_float():
            a, b = g.fill_null(np.nan).to_numpy(), w.fill_null(np.nan).to_numpy()
            ok &= bool(np.allclose(a, b, rtol=RTOL, atol=0, equal_nan=True))
        else:
            ok &= g.to_list() == w.to_list()
    print(f"  {label:52s} {'equal to the in-memory call' if ok else 'DIFFERENT'}")
    return ok


def main() -> int:
    warnings.filterwarnings("ignore", category=FutureWarning, module="pyspark")
    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F

    rows = int(os.environ.get("RECIPE_ROWS", "200000"))
    # Spark's Python workers must run this interpreter (it has qualstat and polars).
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("qualstat recipe")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    pdf = synthetic(rows)
    sdf = spark.createDataFrame(pdf).repartition(6)
    print(
        f"PySpark {spark.version} (local[2]), {rows:,} rows, "
        f"{sdf.rdd.getNumPartitions()} partitions"
    )
    ok = True

    # 1. Pass rates: partial counts per partition (mapInArrow + polars), added
    # by Spark, finished by qualstat.
    def partial_counts(batches):  # type: ignore[no-untyped-def]
        import pyarrow as pa

        frames = [f for f in map(pl.from_arrow, batches) if isinstance(f, pl.DataFrame)]
        if not frames:
            return
        part = pl.concat(frames)
        sums = part.group_by("region").agg(
            pl.col("ok").cast(pl.Int64).sum().alias("passed"),
            pl.col("n").cast(pl.Int64).sum().alias("inspected"),
        )
        yield from pa.Table.from_pandas(sums.to_pandas(), preserve_index=False).to_batches()

    t0 = time.perf_counter()
    counts = (
        sdf.select("region", "ok", "n")
        .mapInArrow(partial_counts, "region string, passed long, inspected long")
        .groupBy("region")
        .agg(F.sum("passed").alias("passed"), F.sum("inspected").alias("inspected"))
        .toPandas()
    )
    rates = qs.pass_rates(counts, passed="passed", inspected="inspected", by="region",
                          target="92%")  # fmt: skip
    t1 = time.perf_counter()
    want = qs.pass_rates(pdf, passed="ok", inspected="n", by="region", target="92%")
    ok &= same(f"pass rates by region ({t1 - t0:.1f} s)", rates, want)

    # 2. Capability by machine: Spark shuffles the rows, qualstat studies each group.
    options = {"lsl": 9.5, "usl": 10.6, "subgroup_size": 5}
    main_columns = ["machine", *qs.capability_by(pdf.head(10), value="x", by="machine",
                                                 **options).columns[1:]]  # fmt: skip

    def study(group: pd.DataFrame) -> pd.DataFrame:
        group = group.sort_values("order")
        out = qs.capability_by(group, value="x", by="machine", **options)
        return out.to_pandas()

    schema = ", ".join(
        f"{c} {'string' if c in ('machine', 'error') else 'long' if c == 'n' else 'double'}"
        for c in main_columns
    )
    t0 = time.perf_counter()
    studies = sdf.groupBy("machine").applyInPandas(study, schema=schema).toPandas()
    t1 = time.perf_counter()
    got = pl.from_pandas(studies).sort("machine")
    want = qs.capability_by(pdf, value="x", by="machine", **options)
    ok &= same(f"capability by machine, subgroups of 5 ({t1 - t0:.1f} s)", got, want)

    # 3. Lot decisions: the lots' rows grouped by Spark, decided by qualstat.
    plan = qs.VariablesPlan(5, 1.2)
    lots = pdf.assign(lot=pdf["order"] // 5)

    def decide(batches):  # type: ignore[no-untyped-def]
        import pyarrow as pa

        frames = [f for f in map(pl.from_arrow, batches) if isinstance(f, pl.DataFrame)]
        part = pl.concat(frames) if frames else pl.DataFrame()
        if part.height:
            out = plan.decide_lots(part, value="x", lot="lot", lsl=9.6, usl=10.4)
            yield from pa.Table.from_pandas(out.to_pandas(), preserve_index=False).to_batches()

    lot_schema = (
        "lot long, outcome string, n long, mean double, sd double, q_lower double, "
        "q_upper double, p_lower double, p_upper double, p_hat double"
    )
    t0 = time.perf_counter()
    decided = (
        spark.createDataFrame(lots[["order", "lot", "x"]])
        .repartition(8, "lot")
        .sortWithinPartitions("order")
        .mapInArrow(decide, lot_schema)
        .toPandas()
    )
    t1 = time.perf_counter()
    got = pl.from_pandas(decided).sort("lot")
    want = plan.decide_lots(lots, value="x", lot="lot", lsl=9.6, usl=10.4).sort("lot")
    ok &= same(f"variables-plan decisions of {len(want):,} lots ({t1 - t0:.1f} s)", got, want)
    spark.stop()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
