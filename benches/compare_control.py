"""Control charts with all Nelson rules: qualstat against numpy/pandas, in one run.

The same job on both sides: an individuals chart (mean moving range / d2(2)) of 10^6
values with the eight Nelson rules (definitions of reference/spc_notes.md §4). The
numpy/pandas side is a straightforward vectorised implementation: zone sides as
arrays, runs by pandas rolling windows over the indicator series. Prints the best of
three wall times of each, the ratio and whether the flagged points agree.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

import qualstat as qs

from _timing import timed

D2_2 = 2.0 / np.sqrt(np.pi)  # d2(2) = 2/sqrt(pi), exact


def all_rolling(ind: np.ndarray, k: int) -> np.ndarray:
    """True where the last k values of a boolean series are all true."""
    return pd.Series(ind.astype(np.int8)).rolling(k).sum().to_numpy() == k


def numpy_nelson(x: np.ndarray) -> np.ndarray:
    """Bit j set where Nelson rule j + 1 signals (individuals chart, estimated limits)."""
    center = x.mean()
    sigma = np.abs(np.diff(x)).mean() / D2_2
    z = (x - center) / sigma
    n = x.size
    flags = np.zeros(n, dtype=np.uint32)

    def put(j, hit):
        flags[hit] |= np.uint32(1 << j)

    put(0, np.abs(z) > 3)
    put(1, all_rolling(z > 0, 9) | all_rolling(z < 0, 9))
    d = np.diff(x, prepend=np.nan)
    put(2, all_rolling(d > 0, 5) | all_rolling(d < 0, 5))
    alt = np.zeros(n, dtype=bool)
    alt[2:] = d[2:] * d[1:-1] < 0
    put(3, all_rolling(alt, 12))
    for j, (cnt, win, k) in ((4, (2, 3, 2.0)), (5, (4, 5, 1.0))):
        up = pd.Series((z > k).astype(np.int8)).rolling(win, min_periods=1).sum().to_numpy()
        dn = pd.Series((z < -k).astype(np.int8)).rolling(win, min_periods=1).sum().to_numpy()
        put(j, ((z > k) & (up >= cnt)) | ((z < -k) & (dn >= cnt)))
    put(6, all_rolling(np.abs(z) <= 1, 15))
    outside = all_rolling(np.abs(z) > 1, 8)
    above = pd.Series((z > 1).astype(np.int8)).rolling(8).sum().to_numpy() > 0
    below = pd.Series((z < -1).astype(np.int8)).rolling(8).sum().to_numpy() > 0
    put(7, outside & above & below)
    return flags


def main() -> None:
    print(f"threads: {qs.get_num_threads()}")
    rng = np.random.default_rng(0)
    x = rng.normal(size=1_000_000)
    x[500_000:500_020] += 2.0
    tq, ch = timed(lambda: qs.control.imr(x, rules="nelson"), 3)
    tn, ref = timed(lambda: numpy_nelson(x), 3)
    same = np.array_equal(ch.i.flags, ref)
    print(
        f"imr chart + 8 Nelson rules, 10^6 values: qualstat {tq * 1e3:.1f} ms, "
        f"numpy/pandas {tn * 1e3:.1f} ms, ratio {tn / tq:.1f}x, "
        f"flags identical: {same} ({int((ref != 0).sum())} points flagged)"
    )
    zone = ch.i
    tr, _ = timed(lambda: qs.control._chart.evaluate_rules(
        zone.statistic, zone.center, zone.zone_sigma, zone.lcl, zone.ucl, "nelson"), 3)  # fmt: skip
    print(f"rules alone (native engine): {tr * 1e3:.1f} ms, ratio to numpy/pandas {tn / tr:.1f}x")


if __name__ == "__main__":
    main()
