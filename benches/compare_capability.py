"""capability_by vs a pandas groupby with numpy per group; bootstrap timing.

Run: python benches/compare_capability.py (after `make develop`).
Prints wall times and the speed ratio (the target is at least 20x), and the
time of a 10,000-resample BCa bootstrap of 1,000 values (target < 1 s).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import special

import qualstat as qs

from _timing import timed

GROUPS, SIZE, SUB = 100_000, 50, 5
LSL, USL = 6.0, 14.0


def c4(n: float) -> float:
    return math.sqrt(2 / (n - 1)) * math.exp(special.gammaln(n / 2) - special.gammaln((n - 1) / 2))


C4 = c4(SIZE - SIZE // SUB + 1)  # c4(d + 1), d = pooled degrees of freedom


def per_group(x: pd.Series) -> pd.Series:
    v = x.to_numpy()
    g = v.reshape(-1, SUB)
    sigma = math.sqrt(((g - g.mean(1, keepdims=True)) ** 2).sum() / (len(v) - len(g))) / C4
    m, s = v.mean(), v.std(ddof=1)
    return pd.Series(
        {
            "cp": (USL - LSL) / (6 * sigma),
            "cpk": min(m - LSL, USL - m) / (3 * sigma),
            "pp": (USL - LSL) / (6 * s),
            "ppk": min(m - LSL, USL - m) / (3 * s),
        }
    )


def main() -> None:
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {"group": np.repeat(np.arange(GROUPS), SIZE), "x": rng.normal(10, 1, GROUPS * SIZE)}
    )
    t_ours, ours = timed(
        lambda: qs.capability_by(frame, value="x", by="group", lsl=LSL, usl=USL, subgroup_size=SUB)
    )
    t_peer, peer = timed(lambda: frame.groupby("group")["x"].apply(per_group).unstack())
    assert np.allclose(ours["cpk"].to_numpy(), peer["cpk"].to_numpy(), rtol=1e-12)
    print(
        f"capability_by, {GROUPS} groups x {SIZE}: qualstat {t_ours:.2f} s (with every "
        f"interval and the normality test), pandas+numpy {t_peer:.2f} s (4 indices): "
        f"{t_peer / t_ours:.0f}x"
    )
    x = rng.normal(10, 1, 1000)
    t_boot, _ = timed(
        lambda: qs.capability(x, lsl=LSL, usl=USL, method="bootstrap", resamples=10_000, seed=1)
    )
    print(
        f"bootstrap (BCa, 10,000 resamples of 1,000 values, the 5 intervals from one set "
        f"of resamples): {t_boot:.2f} s, {qs.get_num_threads()} threads"
    )


if __name__ == "__main__":
    main()
