"""Attribute-plan lot decisions from a frame: qualstat vs pandas groupby + numpy.

Run: ``python benches/compare_attribute_lots.py`` (after ``make develop``).
Decides 20,000 lots of the ISO 2859-1 double plan for AQL 1.0 %, code letter K
(n1 = n2 = 80), from one frame with one row per inspected item (a lot column,
a stage column and a 0/1 nonconforming column; rows in arbitrary order,
about 2.4 million of them), prints both times and the speed ratio, and checks
that the decisions agree.

The peer: pandas ``groupby([lot, stage]).agg(size, sum)``, the counts pivoted
to one row per lot, and the cumulative Ac/Re rule applied stage by stage
with numpy (vectorised over lots).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl

import qualstat as qs

from _timing import alternating

LOTS = 20_000


def numpy_decide(plan: qs.AttributePlan, frame: pd.DataFrame) -> pd.DataFrame:
    g = frame.groupby(["lot", "stage"], sort=False)["bad"].agg(["size", "sum"])
    order = pd.unique(frame["lot"])
    wide = g["sum"].unstack("stage").reindex(index=order, columns=range(1, plan.stages + 1))
    items = g["size"].unstack("stage").reindex(index=order, columns=range(1, plan.stages + 1))
    drawn = wide.notna().to_numpy()
    if not (items.fillna(0).to_numpy() == np.where(drawn, plan.n, 0)).all():
        raise ValueError("a stage without its whole sample")
    cum = np.cumsum(wide.fillna(0).to_numpy(dtype=np.int64), axis=1)
    outcome = np.full(len(order), "continue", dtype=object)
    decided = np.zeros(len(order), dtype=bool)
    last = plan.stages - 1
    for j in range(plan.stages):
        limit = plan.re[j] - 1 if j == last else plan.ac[j]
        live = drawn[:, j] & ~decided
        accept = live & (cum[:, j] <= limit)
        reject = live & (cum[:, j] >= plan.re[j])
        outcome[accept] = "accept"
        outcome[reject] = "reject"
        decided |= accept | reject
    return pd.DataFrame({"lot": order, "outcome": outcome})


def main() -> None:
    plan = qs.iso2859_1.plan(aql=1.0, code="K", kind="double")
    n1, n2 = plan.n
    rng = np.random.default_rng(3)
    p = rng.uniform(0.0, 0.04, LOTS)
    lot1 = np.repeat(np.arange(LOTS), n1)
    bad1 = rng.random(len(lot1)) < p[lot1]
    first = np.bincount(lot1, weights=bad1, minlength=LOTS)
    # Lots undecided after stage 1 draw the second sample.
    lot2 = np.repeat(np.flatnonzero((first > plan.ac[0]) & (first < plan.re[0])), n2)
    bad2 = rng.random(len(lot2)) < p[lot2]
    lot = np.r_[lot1, lot2]
    stage = np.r_[np.ones(len(lot1), np.int64), np.full(len(lot2), 2, np.int64)]
    bad = np.r_[bad1, bad2].astype(np.int8)
    perm = rng.permutation(len(lot))
    plf = pl.DataFrame({"lot": lot[perm], "stage": stage[perm], "bad": bad[perm]})
    pdf = plf.to_pandas()

    (t_qs, _, ours), (t_pd, _, theirs) = alternating(
        [
            lambda: plan.decide_lots(plf, lot="lot", nonconforming="bad", stage="stage"),
            lambda: numpy_decide(plan, pdf),
        ]
    )

    assert ours["lot"].to_list() == theirs["lot"].tolist(), "lot order differs"
    assert ours["outcome"].to_list() == theirs["outcome"].tolist(), "decisions differ"
    print(
        f"Deciding {LOTS:,} lots of {plan!r} from {len(lot):,} item rows "
        "(lot, stage, 0/1 nonconforming; rows shuffled):"
    )
    print(f"  qualstat decide_lots            {t_qs:8.3f} s  ({qs.get_num_threads()} threads)")
    print(f"  pandas groupby + numpy          {t_pd:8.3f} s")
    print(f"  ratio (pandas / qualstat)       {t_pd / t_qs:8.1f}x   (decisions agree)")


if __name__ == "__main__":
    main()
