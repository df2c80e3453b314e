"""The command line against the script a lab would otherwise run, in one run.

Both sides start a fresh Python process from a terminal and do the same job:
pass rates with Wilson intervals by region and product from a CSV of spot
checks (``qualstat rates``), and one Clopper-Pearson interval from counts
(``qualstat ci``). The peer is a pandas + statsmodels script
(``read_csv``, ``groupby().sum()``, ``proportion_confint``). Prints the wall
time of each (best of ``REPEATS``), the ratio, and the largest difference of
the interval limits.

Run: ``.venv/bin/python benches/compare_cli.py [rows]`` (default 1,000,000 rows).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl

REPEATS = 3
BIN = Path(sys.executable).parent

PEER_RATES = """
import sys
import pandas as pd
from statsmodels.stats.proportion import proportion_confint
df = pd.read_csv(sys.argv[1])
g = df.groupby(["region", "product"], sort=True)[["ok", "n"]].sum().reset_index()
g["rate"] = g["ok"] / g["n"]
g["lower"], g["upper"] = proportion_confint(g["ok"], g["n"], alpha=0.05, method="wilson")
g.to_csv(sys.stdout, index=False)
"""

PEER_CI = """
from statsmodels.stats.proportion import proportion_confint
print(proportion_confint(57, 60, alpha=0.05, method="beta"))
"""


def best(argv: list[str]) -> tuple[float, str]:
    """The best wall time of REPEATS runs of a command, and its output."""
    times, out = [], ""
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        done = subprocess.run(argv, capture_output=True, text=True, check=True)
        times.append(time.perf_counter() - t0)
        out = done.stdout
    return min(times), out


def checks(path: Path, rows: int) -> None:
    rng = np.random.default_rng(13)
    n = rng.integers(5, 60, rows)
    pl.DataFrame(
        {
            "region": rng.choice([f"R{i:02d}" for i in range(31)], rows),
            "product": rng.choice([f"P{i:02d}" for i in range(40)], rows),
            "ok": rng.binomial(n, 0.93),
            "n": n,
        }
    ).write_csv(path)


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "checks.csv"
        checks(path, rows)
        ours, out = best(
            [str(BIN / "qualstat"), "rates", str(path), "--passed", "ok", "--inspected", "n",
             "--by", "region", "product", "--format", "csv"]
        )  # fmt: skip
        peer, peer_out = best([sys.executable, "-c", PEER_RATES, str(path)])
        a, b = pl.read_csv(out.encode()), pl.read_csv(peer_out.encode())
        diff = max(
            float((a["lower"] - b["lower"]).abs().max()),
            float((a["upper"] - b["upper"]).abs().max()),
        )
        print(
            f"rates, {rows:,} rows, {a.height} groups: qualstat {ours:.2f} s, "
            f"pandas + statsmodels {peer:.2f} s, ratio {peer / ours:.1f}x, max |diff| {diff:.1e}"
        )
    ours, _ = best([str(BIN / "qualstat"), "ci", "57", "60", "--method", "exact"])
    peer, _ = best([sys.executable, "-c", PEER_CI])
    print(
        f"ci, one interval (start-up): qualstat {ours:.2f} s, statsmodels {peer:.2f} s, "
        f"ratio {peer / ours:.1f}x"
    )


if __name__ == "__main__":
    main()
