"""The net-content part of the quick tour: one e-mark lot, then a day's lots from a frame."""

from __future__ import annotations

import numpy as np
import polars as pl

from . import net_content as nc
from ._tour_common import title


def net_content_section() -> None:
    """Decides a lot of 500 g packs under the EU reference test, then 2,000 lots at once."""
    title("Lab: net content of prepackages")
    plan = nc.plan("eu", 1200)
    assert plan.ac is not None and plan.re is not None
    print(
        f"EU e-mark test, lot of 1200 packs of 500 g: T = {nc.tne(500, regime='eu'):g} g; "
        f"stage 1 n = {plan.n[0]}, Ac {plan.ac[0]}, Re {plan.re[0]}; mean test "
        f"x̄ >= Qn - {plan.lam} s"
    )
    rng = np.random.default_rng(76)
    stage1 = np.round(rng.normal(501.0, 5.5, plan.n[0]), 1)
    stage1[:3] = [483.9, 484.6, 481.0]
    first = nc.decide(stage1, 500, regime="eu", lot_size=1200)
    print(first)
    stage2 = np.round(rng.normal(501.0, 5.5, plan.n[1]), 1)
    print(nc.decide([stage1, stage2], 500, regime="eu", lot_size=1200))
    lots = 2000
    mu = rng.normal(501.0, 2.0, lots)
    frame = pl.DataFrame(
        {
            "lot": np.repeat(np.arange(lots), 80),
            "grams": np.round(rng.normal(np.repeat(mu, 80), 5.0), 1),
        }
    )
    out = nc.decide_lots(
        frame, value="grams", lot="lot", nominal=500, regime="china_2005", lot_size=1000
    )
    counts = dict(out["verdict"].value_counts(sort=True).iter_rows())
    failed = dict(out.filter(pl.col("failed") != "")["failed"].value_counts(sort=True).iter_rows())
    print(f"{lots} lots under China's 2005 rules (n = 80 each): {counts}; failed: {failed}")
