"""Gauge R&R: qualstat against a statsmodels ``ols`` + ``anova_lm`` pipeline, in one run.

A crossed study of 2,000 parts x 10 operators x 5 replicates (100,000
measurements). The peer side is what an analyst would write without qualstat:
the two-way ANOVA of ``statsmodels.formula.api.ols("y ~ C(part) * C(op)")``
with ``anova_lm``, the variance components from its mean squares, the
interaction pooled at p >= 0.05 (a second, additive fit) and the percentages.
statsmodels builds a dense design matrix with one column per cell, so the peer
runs on a smaller study (200 parts x 10 x 5) and its time is also shown scaled
to the full one by the cell count (its cost grows faster than linearly, so the
ratio on the full study is larger than printed). Prints the times, the ratio
and the largest difference of the variance components on the common study.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import polars as pl

import qualstat as qs


def timed(f):
    t0 = time.perf_counter()
    out = f()
    return time.perf_counter() - t0, out


def study(parts: int, operators: int = 10, replicates: int = 5, seed: int = 0) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    part = np.repeat(np.arange(parts), operators * replicates)
    op = np.tile(np.repeat(np.arange(operators), replicates), parts)
    y = (
        50
        + 2.0 * rng.standard_normal(parts)[part]
        + 0.3 * rng.standard_normal(operators)[op]
        + 0.1 * rng.standard_normal(parts * operators)[part * operators + op]
        + 0.4 * rng.standard_normal(part.size)
    )
    return pl.DataFrame({"part": part, "op": op, "y": y})


def statsmodels_gauge_rr(df: pl.DataFrame) -> dict[str, float]:
    from statsmodels.formula.api import ols
    from statsmodels.stats.anova import anova_lm

    pdf = df.to_pandas() if hasattr(df, "to_pandas") else pd.DataFrame(df)
    p, o = pdf["part"].nunique(), pdf["op"].nunique()
    r = len(pdf) // (p * o)
    t = anova_lm(ols("y ~ C(part) * C(op)", data=pdf).fit())
    ms = t["mean_sq"]
    if t.loc["C(part):C(op)", "PR(>F)"] >= 0.05:
        t = anova_lm(ols("y ~ C(part) + C(op)", data=pdf).fit())
        ms = t["mean_sq"]
        e = ms["Residual"]
        comps = {"repeatability": e, "operator": (ms["C(op)"] - e) / (p * r),
                 "part": (ms["C(part)"] - e) / (o * r)}  # fmt: skip
    else:
        e, i = ms["Residual"], ms["C(part):C(op)"]
        comps = {"repeatability": e, "operator": (ms["C(op)"] - i) / (p * r),
                 "operator_part": (i - e) / r, "part": (ms["C(part)"] - i) / (o * r)}  # fmt: skip
    comps = {k: max(0.0, v) for k, v in comps.items()}
    comps["total"] = sum(comps.values())
    return comps


def main() -> None:
    small = study(200)
    full = study(2_000)
    kw = dict(part="part", operator="op", value="y")
    qs.msa.gauge_rr(small, **kw)  # warm-up
    t_qs_small, g_small = timed(lambda: qs.msa.gauge_rr(small, **kw))
    t_qs, _ = timed(lambda: qs.msa.gauge_rr(full, **kw))
    t_sm, ref = timed(lambda: statsmodels_gauge_rr(small))
    diff = max(
        abs(g_small.component(k)["variance"] - v) / max(abs(v), 1e-300) for k, v in ref.items()
    )
    print(f"gauge_rr, crossed study, 10 operators x 5 replicates ({qs.get_num_threads()} threads)")
    print(f"  200 parts (10,000 rows):    qualstat {t_qs_small * 1e3:8.2f} ms, "
          f"statsmodels ols+anova_lm {t_sm * 1e3:9.1f} ms, ratio {t_sm / t_qs_small:7.0f}x, "
          f"max rel diff of components {diff:.1e}")  # fmt: skip
    scaled = t_sm * (full.height / small.height)
    print(
        f"  2,000 parts (100,000 rows): qualstat {t_qs * 1e3:8.2f} ms, "
        f"statsmodels scaled linearly {scaled * 1e3:9.1f} ms, ratio >= {scaled / t_qs:5.0f}x"
    )


if __name__ == "__main__":
    main()
