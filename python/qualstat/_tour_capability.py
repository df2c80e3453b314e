"""Quick-tour section: process capability (piston rings, and by group).

``run()`` prints the section; the package tour calls it.
"""

from __future__ import annotations

import numpy as np
import polars as pl

import qualstat as qs

from ._tour_common import dataset, title


def run() -> None:
    title("Process capability: piston rings (Montgomery), and by production line")
    rings = dataset("pistonrings")
    x = rings.filter(pl.col("trial"))["diameter"].to_numpy()
    res = qs.capability(x, 73.95, 74.05, target=74.0, subgroup_size=5)
    print(res)
    ci = res.interval("cpk")
    print(
        f"Cpk {res.cpk:.3f}, 95% interval [{ci.lower:.3f}, {ci.upper:.3f}] (Bissell); "
        f"within sigma {res.sigma_within:.6f} (pooled SD / c4), "
        f"Anderson-Darling p = {res.ad_p_value:.2f}"
    )
    rbar = qs.capability(x, 73.95, 74.05, subgroup_size=5, within="rbar")
    print(f"Cp with R-bar/d2 sigma (the qcc convention): {rbar.cp:.4f}")
    rng = np.random.default_rng(7)
    frame = pl.DataFrame(
        {
            "line": np.repeat(["L1", "L2", "L3"], 100),
            "x": np.concatenate([rng.normal(10, s, 100) for s in (0.5, 0.8, 1.2)]),
        }
    )
    by = qs.capability_by(frame, value="x", by="line", lsl=7.0, usl=13.0, subgroup_size=5)
    print(by.select("line", "n", "cpk", "cpk_lower", "cpk_upper", "ppk", "ppm_overall"))


if __name__ == "__main__":
    run()
