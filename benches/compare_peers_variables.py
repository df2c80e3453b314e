"""Variables-plan lot decisions: qualstat vs pandas groupby + numpy/scipy.

Run: ``python benches/compare_peers_variables.py`` (after ``make develop``). Decides
100,000 lots of n = 35 measurements held in one frame (a lot column and a value
column, rows in arbitrary order) with the s-method, two limits, combined control
(p_hat_L + p_hat_U <= M, p_hat from the symmetric beta distribution), prints both
times and the speed ratio, and checks that the decisions agree.

Also timed: the same rows sorted by lot, and the same rows with lot numbers too
wide for a table addressed by the number (``240_000_000_000 + 1000 * lot``, a
hash table), and with lot names as text and as a categorical, each against
pandas on the same frame; and, for the choice of how
lots are keyed (issue 13), the lots' moments
from polars' own group-by (``group_by(lot).agg(len, mean, var)``) finished by
the same native decisions, against decide_lots (moments keyed in Rust).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
from scipy import special

import qualstat as qs
from qualstat.variables import _LotDecisions

from _timing import alternating

LOTS, N, LSL, USL = 100_000, 35, 9.85, 10.15


def pandas_decide(frame: pd.DataFrame, k: float, m: float) -> pd.DataFrame:
    g = frame.groupby("lot", sort=False)["x"].agg(["mean", "std", "size"])
    n = g["size"].to_numpy(dtype=float)
    mean, sd = g["mean"].to_numpy(), g["std"].to_numpy()
    a = n / 2 - 1

    def p_hat(q):
        x = np.clip(0.5 - 0.5 * q * np.sqrt(n) / (n - 1), 0.0, 1.0)
        return special.betainc(a, a, x)

    p = p_hat((mean - LSL) / sd) + p_hat((USL - mean) / sd)
    return pd.DataFrame({"lot": g.index, "accept": p <= m, "p_hat": p})


def main() -> None:
    rng = np.random.default_rng(1)
    means = rng.normal(10.0, 0.02, LOTS)
    lot = np.repeat(np.arange(LOTS), N)
    x = rng.normal(np.repeat(means, N), 0.05)
    perm = rng.permutation(LOTS * N)
    pdf = pd.DataFrame({"lot": lot[perm], "x": x[perm]})
    plf = pl.DataFrame({"lot": lot[perm], "x": x[perm]})
    plan = qs.iso3951.plan(aql=1.0, code="J")  # n = 35
    assert plan.n == N
    job = _LotDecisions(plan, "x", "lot", LSL, USL, None, None, None)

    order = np.argsort(lot[perm], kind="stable")
    plf_sorted, pdf_sorted = plf[order], pdf.iloc[order].reset_index(drop=True)
    wide = 240_000_000_000 + 1000 * lot[perm]
    plf_wide = plf.with_columns(lot=pl.Series(wide))
    pdf_wide = pdf.assign(lot=wide)
    names = pl.Series([f"L2024-{i:06d}" for i in range(LOTS)]).gather(lot[perm])
    plf_text = plf.with_columns(lot=names)
    plf_cat = plf.with_columns(lot=names.cast(pl.Categorical))
    pdf_text, pdf_cat = plf_text.to_pandas(), plf_cat.to_pandas()
    x = pl.col("x")

    def polars_decide() -> None:
        m = plf.group_by("lot").agg(
            pl.len().cast(pl.UInt64).alias("n"), x.mean().alias("mean"),
            (x.var(ddof=0) * pl.len()).alias("m2"),
        )  # fmt: skip
        job.decide(m["n"].to_numpy(), m["mean"].to_numpy(), m["m2"].to_numpy())

    runs = alternating(
        [
            polars_decide,
            lambda: plan.decide_lots(plf, value="x", lot="lot", lsl=LSL, usl=USL),
            lambda: pandas_decide(pdf, plan.k, plan.m),
            lambda: plan.decide_lots(plf_sorted, value="x", lot="lot", lsl=LSL, usl=USL),
            lambda: pandas_decide(pdf_sorted, plan.k, plan.m),
            lambda: plan.decide_lots(plf_wide, value="x", lot="lot", lsl=LSL, usl=USL),
            lambda: pandas_decide(pdf_wide, plan.k, plan.m),
            lambda: plan.decide_lots(plf_text, value="x", lot="lot", lsl=LSL, usl=USL),
            lambda: pandas_decide(pdf_text, plan.k, plan.m),
            lambda: plan.decide_lots(plf_cat, value="x", lot="lot", lsl=LSL, usl=USL),
            lambda: pandas_decide(pdf_cat, plan.k, plan.m),
        ],
        repeat=7,  # the fastest of 7 calls each: this 2-core machine is shared
    )
    t_pl, t_qs, t_pd, t_qs_s, t_pd_s, t_qs_w, t_pd_w, t_qs_t, t_pd_t, t_qs_c, t_pd_c = (
        run.wall for run in runs
    )
    ours, theirs = runs[1].result, runs[2].result

    ours = ours.sort("lot")
    theirs = theirs.sort_values("lot")
    np.testing.assert_allclose(ours["p_hat"].to_numpy(), theirs["p_hat"].to_numpy(), rtol=1e-9)
    agree = (ours["outcome"].to_numpy() == np.where(theirs["accept"], "accept", "reject")).all()
    assert agree, "decisions differ"
    print(f"Deciding {LOTS:,} lots of n = {N} from one frame (s-method, two limits, combined):")
    print(f"  qualstat decide_lots            {t_qs:8.3f} s  ({qs.get_num_threads()} threads)")
    print(f"  pandas groupby + numpy/scipy    {t_pd:8.3f} s")
    print(f"  polars group-by + same finish   {t_pl:8.3f} s  ({pl.thread_pool_size()} threads)")
    print(f"  ratio (pandas / qualstat)       {t_pd / t_qs:8.1f}x   (decisions agree)")
    print("Same rows, each lot's rows contiguous (sorted by lot):")
    print(f"  qualstat decide_lots            {t_qs_s:8.3f} s")
    print(f"  pandas groupby + numpy/scipy    {t_pd_s:8.3f} s")
    print(f"  ratio (pandas / qualstat)       {t_pd_s / t_qs_s:8.1f}x")
    print("Same rows, lot numbers 240_000_000_000 + 1000 * lot (a hash table, not a table):")
    print(f"  qualstat decide_lots            {t_qs_w:8.3f} s")
    print(f"  pandas groupby + numpy/scipy    {t_pd_w:8.3f} s")
    print(f"  ratio (pandas / qualstat)       {t_pd_w / t_qs_w:8.1f}x")
    for what, ours_t, theirs_t in (
        ("text (L2024-000001, ...; pandas: object strings)", t_qs_t, t_pd_t),
        ("categorical (pandas: category)", t_qs_c, t_pd_c),
    ):
        print(f"Same rows, lot names as {what}:")
        print(f"  qualstat decide_lots            {ours_t:8.3f} s")
        print(f"  pandas groupby + numpy/scipy    {theirs_t:8.3f} s")
        print(f"  ratio (pandas / qualstat)       {theirs_t / ours_t:8.1f}x")


if __name__ == "__main__":
    main()
