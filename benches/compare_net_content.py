"""Net-content lot decisions: qualstat against pandas groupby + numpy, in one run.

100,000 EU lots (Directive 76/211 reference test, lot size 1000: stage 1 of the
double plan, 50 packages of 500 g each; 5,000,000 rows) decided from one frame.
The pandas side keys the lots with ``groupby`` and computes the mean, the sample
SD and the T1/T2 counts with vectorised aggregations, then the verdicts with numpy
(floating-point limits; the data has no exact ties, so the verdicts must agree).
Prints both times (wall clock, and CPU time of the process: on a shared machine the
CPU ratio is the steadier one), the ratios and the number of differing verdicts; then the same
against the per-lot route a pandas user often writes (``groupby(...).apply`` with
a numpy function per lot).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl

import qualstat as qs

from _timing import fastest, timed

LOTS, PER_LOT, NOMINAL, LOT_SIZE = 100_000, 50, 500.0, 1000


def data(seed: int = 0) -> tuple[pl.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    mu = rng.normal(501.5, 1.5, LOTS)
    x = np.round(rng.normal(np.repeat(mu, PER_LOT), 5.0), 1)
    lots = np.repeat(np.arange(LOTS, dtype=np.int64), PER_LOT)
    return pl.DataFrame({"lot": lots, "x": x}), pd.DataFrame({"lot": lots, "x": x})


def pandas_decide(frame: pd.DataFrame) -> np.ndarray:
    plan = qs.net_content.plan("eu", LOT_SIZE)
    t = qs.net_content.tne(NOMINAL, regime="eu")
    lam, ac, re = plan.lam, plan.ac[0], plan.re[0]
    work = frame.assign(t1=frame["x"] < NOMINAL - t, t2=frame["x"] < NOMINAL - 2 * t)
    g = work.groupby("lot", sort=False).agg(
        mean=("x", "mean"), sd=("x", "std"), t1=("t1", "sum"), t2=("t2", "sum")
    )
    mean_ok = g["mean"].to_numpy() >= NOMINAL - lam * g["sd"].to_numpy()
    t1 = g["t1"].to_numpy()
    return np.where(~mean_ok | (t1 >= re), "reject", np.where(t1 <= ac, "accept", "continue"))


def pandas_apply(frame: pd.DataFrame) -> np.ndarray:
    plan = qs.net_content.plan("eu", LOT_SIZE)
    t = qs.net_content.tne(NOMINAL, regime="eu")
    lam, ac, re = plan.lam, plan.ac[0], plan.re[0]

    def one(x: pd.Series) -> str:
        v = x.to_numpy()
        t1 = int(np.sum(v < NOMINAL - t))
        if v.mean() < NOMINAL - lam * v.std(ddof=1) or t1 >= re:
            return "reject"
        return "accept" if t1 <= ac else "continue"

    return frame.groupby("lot", sort=False)["x"].apply(one).to_numpy()


def main() -> None:
    print(f"threads: {qs.get_num_threads()}")
    plf, pdf = data()
    pandas_decide(pdf.head(1000))  # warm up
    tq, cq, ours = fastest(
        lambda: qs.net_content.decide_lots(
            plf, value="x", lot="lot", nominal=NOMINAL, regime="eu", lot_size=LOT_SIZE
        ),
        3,
    )
    tp, cp, theirs = fastest(lambda: pandas_decide(pdf), 3)
    differ = int(np.sum(ours["verdict"].to_numpy() != theirs))
    counts = ours["verdict"].value_counts(sort=True)
    print(f"verdicts: {dict(counts.iter_rows())}")
    print(
        f"decide_lots, {LOTS:,} lots x {PER_LOT} packages: qualstat {tq:.3f} s, "
        f"pandas groupby + numpy {tp:.3f} s, ratio {tp / tq:.1f}x (CPU time: {cq:.3f} s vs "
        f"{cp:.3f} s, ratio {cp / cq:.1f}x); differing verdicts: {differ}"
    )
    ta, applied = timed(lambda: pandas_apply(pdf))
    differ = int(np.sum(ours["verdict"].to_numpy() != applied))
    print(
        f"  against pandas groupby().apply (numpy per lot): {ta:.3f} s, ratio {ta / tq:.1f}x; "
        f"differing verdicts: {differ}"
    )


if __name__ == "__main__":
    main()
