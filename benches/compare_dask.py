"""qualstat.dask on a local cluster vs single-process polars + qualstat.

Run: ``make compare-dask`` (or ``python benches/compare_dask.py`` after ``make
develop``); ``ROWS=...`` sets the size (default 4,000,000).

The issue's bench is 10^8 rows, capability by 10^5 groups and pass rates by
10^6 groups. That does not fit this 2-core machine in a few minutes (nor its
memory as one pandas frame for the single-process side), so the bench keeps
the issue's proportions and scales the rows down: capability by ROWS / 1000
groups (1,000 measurements each, subgroups of 5) and pass rates by ROWS / 100
groups (100 records each). Both sides compute the same thing and the bench
checks that the results agree.

- single process: the rows as one polars DataFrame in this process;
  ``qs.capability_by`` and ``qs.pass_rates``.
- Dask: ``distributed.LocalCluster(n_workers=2, threads_per_worker=1,
  processes=True)``, the same rows generated on the workers in partitions of
  250,000 and persisted there; ``qualstat.dask.capability_by`` and
  ``qualstat.dask.pass_rates``.

Memory: the peak resident set size of this process (single process) and of
this process plus the cluster's processes (Dask), sampled every 50 ms, above
the level before the call. Times are the best of two runs.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import psutil

import qualstat as qs

from _timing import timed

ROWS = int(os.environ.get("ROWS", "4000000"))
PART = 250_000
CAP_GROUPS = max(1, ROWS // 1000)
RATE_GROUPS = max(1, ROWS // 100)


def make_part(i: int) -> pd.DataFrame:
    """Partition i of the synthetic rows (deterministic)."""
    rng = np.random.default_rng(i)
    rows = min(PART, ROWS - i * PART)
    start = i * PART
    index = np.arange(start, start + rows)
    cap = (index // 1000) % CAP_GROUPS  # runs of 1,000 rows: groups in frame order
    n = rng.integers(1, 20, rows)
    return pd.DataFrame(
        {
            "machine": cap.astype(np.int64),
            "x": rng.normal(10.0 + 0.0001 * cap, 0.1),
            "unit": rng.integers(0, RATE_GROUPS, rows),
            "ok": rng.binomial(n, 0.95),
            "n": n,
        }
    )


def partitions() -> int:
    return (ROWS + PART - 1) // PART


class PeakMemory:
    """Peak RSS (bytes) of this process and its children while in the block."""

    def __init__(self) -> None:
        self.proc = psutil.Process()
        self.peak = 0
        self.base = 0
        self._stop = threading.Event()

    def rss(self) -> int:
        total = self.proc.memory_info().rss
        for child in self.proc.children(recursive=True):
            try:
                total += child.memory_info().rss
            except psutil.Error:
                pass
        return total

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            self.peak = max(self.peak, self.rss())

    def __enter__(self) -> PeakMemory:
        self.base = self.peak = self.rss()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.rss())


def measured(f: Callable[[], Any]) -> tuple[float, int, Any]:
    """The best wall time of two calls, the peak memory over both (bytes above the
    memory before the first) and the result."""
    with PeakMemory() as m:
        best, out = timed(f, 2)
    return best, m.peak - m.base, out


def agree(a: pl.DataFrame, b: pl.DataFrame) -> bool:
    if a.columns != b.columns or a.height != b.height:
        return False
    for c in a.columns:
        if a[c].dtype.is_float():
            x, y = a[c].fill_null(np.nan).to_numpy(), b[c].fill_null(np.nan).to_numpy()
            if not np.allclose(x, y, rtol=1e-9, atol=0, equal_nan=True):
                return False
        elif a[c].to_list() != b[c].to_list():
            return False
    return True


def main() -> None:
    import dask
    import dask.dataframe as dd
    import distributed

    from qualstat import dask as qsd

    cap = {"value": "x", "by": "machine", "lsl": 9.5, "usl": 10.7, "subgroup_size": 5}
    rate = {"passed": "ok", "inspected": "n", "by": "unit"}
    print(
        f"{ROWS:,} rows ({partitions()} partitions of {PART:,}); capability by "
        f"{CAP_GROUPS:,} groups (subgroups of 5), pass rates by {RATE_GROUPS:,} groups"
    )
    with PeakMemory() as load:
        frame = pl.concat([pl.from_pandas(make_part(i)) for i in range(partitions())])
    size, loading = frame.estimated_size() / 2**20, (load.peak - load.base) / 2**20
    print(f"single-process frame: {size:,.0f} MiB (loading peaked {loading:,.0f} MiB above start)")
    t_cap, m_cap, single_cap = measured(partial(qs.capability_by, frame, **cap))
    t_rate, m_rate, single_rate = measured(partial(qs.pass_rates, frame, **rate))
    del frame

    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        meta = make_part(0).head(0)
        ddf = dd.from_delayed([dask.delayed(make_part)(i) for i in range(partitions())], meta=meta)
        ddf = ddf.persist()
        distributed.wait(ddf)
        held = sum(client.run(lambda: psutil.Process().memory_info().rss).values())
        d_cap, dm_cap, dask_cap = measured(lambda: qsd.capability_by(ddf, **cap))
        d_rate, dm_rate, dask_rate = measured(lambda: qsd.pass_rates(ddf, **rate))

    print(f"Dask workers hold the persisted rows: {held / 2**20:,.0f} MiB resident in total")
    rows = [
        ("capability_by", t_cap, m_cap, d_cap, dm_cap, agree(single_cap, dask_cap)),
        ("pass_rates", t_rate, m_rate, d_rate, dm_rate, agree(single_rate, dask_rate)),
    ]
    print(f"{'':15s} {'single (s)':>10s} {'peak MiB':>9s} {'Dask (s)':>9s} {'peak MiB':>9s} "
          f"{'single/Dask':>11s}  results")  # fmt: skip
    for name, ts, ms, td, md, same in rows:
        print(
            f"{name:15s} {ts:10.2f} {ms / 2**20:9.0f} {td:9.2f} {md / 2**20:9.0f} "
            f"{ts / td:10.2f}x  {'equal' if same else 'DIFFERENT'}"
        )
    scale = 1e8 / ROWS
    print(
        f"Extrapolated linearly to 10^8 rows (x{scale:.0f}): single process about "
        f"{t_cap * scale / 60:.1f} + {t_rate * scale / 60:.1f} min, Dask on these 2 cores about "
        f"{d_cap * scale / 60:.1f} + {d_rate * scale / 60:.1f} min; the single-process frame "
        f"alone would need about {ROWS and 40 * 1e8 / 2**30:.0f} GiB (5 columns of 8 bytes)."
    )


if __name__ == "__main__":
    main()
