"""The command line against the script a lab would otherwise run, in one run.

Both sides start a fresh Python process from a terminal and do the same job:
pass rates with Wilson intervals by region and product from a CSV of spot
checks (``qualstat rates``), and one Clopper-Pearson interval from counts
(``qualstat ci``). The peer is a pandas + statsmodels script
(``read_csv``, ``groupby().sum()``, ``proportion_confint``). Also an I-MR chart
of a column (``qualstat chart --type imr``; peer: pandas + numpy, mean moving
range / d2(2), rule 1) and the EU net-content decision of lots of 50 packages
(``qualstat net-content``; peer: pandas group-by of the mean test and the T1
count of the first sample). Prints the wall time of each (best of
``REPEATS``), the ratio, and the largest difference of the results.

Run: ``.venv/bin/python benches/compare_cli.py [rows]`` (default 1,000,000 rows).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import polars as pl

from _timing import timed

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

PEER_CHART = """
import sys
import numpy as np
import pandas as pd
x = pd.read_csv(sys.argv[1])["x"].to_numpy()
sigma = np.abs(np.diff(x)).mean() / (2.0 / np.sqrt(np.pi))  # d2(2) = 2/sqrt(pi)
center = x.mean()
lcl, ucl = center - 3.0 * sigma, center + 3.0 * sigma
out = pd.DataFrame({"statistic": x, "center": center, "lcl": lcl, "ucl": ucl})
out["beyond"] = (x > ucl) | (x < lcl)
out.to_csv(sys.stdout, index=False)
"""

# EU (76/211/EEC) lots of 1,000 packages of 500 g: T = 15 g; first sample of the double
# plan n1 = 50, Ac1 = 2, Re1 = 5; mean test mean >= Qn - 0.379 s.
PEER_NET = """
import sys
import numpy as np
import pandas as pd
df = pd.read_csv(sys.argv[1])
g = df.groupby("lot", sort=False)["g"]
mean, sd = g.mean(), g.std()
short = (df["g"] < 485.0).groupby(df["lot"], sort=False).sum()
mean_ok = mean >= 500.0 - 0.379 * sd
verdict = np.where(
    ~mean_ok | (short >= 5), "reject", np.where(short <= 2, "accept", "continue")
)
pd.DataFrame({"lot": mean.index, "verdict": verdict}).to_csv(sys.stdout, index=False)
"""


def best(argv: list[str]) -> tuple[float, str]:
    """The best wall time of REPEATS runs of a command, and its output."""
    return timed(
        lambda: subprocess.run(argv, capture_output=True, text=True, check=True).stdout, REPEATS
    )


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
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "values.csv"
        rng = np.random.default_rng(7)
        pl.DataFrame({"x": np.round(rng.normal(10.0, 0.5, rows), 3)}).write_csv(path)
        ours, out = best(
            [str(BIN / "qualstat"), "chart", str(path), "--type", "imr", "--value", "x",
             "--format", "csv"]
        )  # fmt: skip
        peer, peer_out = best([sys.executable, "-c", PEER_CHART, str(path)])
        a = pl.read_csv(out.encode()).filter(pl.col("chart") == "I")
        b = pl.read_csv(peer_out.encode())
        diff = max(float((a[c] - b[c]).abs().max()) for c in ("center", "lcl", "ucl"))
        same = int(a["rule"].is_not_null().sum()) == int(b["beyond"].sum())
        print(
            f"chart imr, {rows:,} values: qualstat {ours:.2f} s, pandas + numpy {peer:.2f} s, "
            f"ratio {peer / ours:.1f}x, max |diff| of the limits {diff:.1e}, "
            f"same points beyond: {same}"
        )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "packs.csv"
        rng = np.random.default_rng(11)
        lots = rows // 50
        pl.DataFrame(
            {
                "lot": np.repeat(np.arange(lots), 50),
                "g": np.round(rng.normal(rng.normal(501.0, 1.5, lots).repeat(50), 6.0), 1),
            }
        ).write_csv(path)
        ours, out = best(
            [str(BIN / "qualstat"), "net-content", str(path), "--lot", "lot", "--value", "g",
             "--nominal", "500", "--lot-size", "1000", "--regime", "eu", "--format", "csv"]
        )  # fmt: skip
        peer, peer_out = best([sys.executable, "-c", PEER_NET, str(path)])
        a, b = pl.read_csv(out.encode()), pl.read_csv(peer_out.encode())
        differ = int((a["verdict"] != b["verdict"]).sum())
        counts = dict(a["verdict"].value_counts().iter_rows())
        print(
            f"net-content, {lots:,} lots of 50: qualstat {ours:.2f} s, pandas {peer:.2f} s, "
            f"ratio {peer / ours:.1f}x, verdicts {counts}, differing verdicts {differ}"
        )
    ours, _ = best([str(BIN / "qualstat"), "ci", "57", "60", "--method", "exact"])
    peer, _ = best([sys.executable, "-c", PEER_CI])
    print(
        f"ci, one interval (start-up): qualstat {ours:.2f} s, statsmodels {peer:.2f} s, "
        f"ratio {peer / ours:.1f}x"
    )


if __name__ == "__main__":
    main()
