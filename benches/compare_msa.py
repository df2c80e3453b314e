"""Gauge R&R: qualstat against peer pipelines doing the same job, in one run.

Crossed studies with 10 operators x 5 replicates; both sides produce the ANOVA
table, the interaction test and pooling at p >= 0.05, and the variance
components.

* statsmodels: ``ols("y ~ C(part) * C(op)")`` + ``anova_lm`` (then an additive
  fit when pooling), what the issue names. statsmodels builds a dense design
  matrix with a column per cell, so it runs on 50 parts (2,500 rows).
* pandas + numpy + scipy: the sums of squares from ``groupby`` cell means and
  ``scipy.stats.f.sf`` (an expert's vectorised pipeline), on 2,000 parts
  (100,000 rows).

Prints the best of three times, the ratios and the largest relative difference of the
variance components.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl

import qualstat as qs

from _timing import timed


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

    pdf = pd.DataFrame({c: df[c].to_numpy() for c in df.columns})
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


def pandas_gauge_rr(df: pl.DataFrame) -> dict[str, float]:
    from scipy import stats

    pdf = pd.DataFrame({c: df[c].to_numpy() for c in df.columns})
    cells = pdf.groupby(["part", "op"])["y"].agg(["mean", "count"])
    r = int(cells["count"].iloc[0])
    m = cells["mean"].unstack().to_numpy()
    p, o = m.shape
    g = m.mean()
    pm, om = m.mean(axis=1), m.mean(axis=0)
    ss_p = o * r * ((pm - g) ** 2).sum()
    ss_o = p * r * ((om - g) ** 2).sum()
    ss_po = r * ((m - pm[:, None] - om[None, :] + g) ** 2).sum()
    cell_mean = pdf.groupby(["part", "op"])["y"].transform("mean").to_numpy()
    ss_e = ((pdf["y"].to_numpy() - cell_mean) ** 2).sum()
    df_p, df_o, df_po, df_e = p - 1, o - 1, (p - 1) * (o - 1), p * o * (r - 1)
    ms_po, ms_e = ss_po / df_po, ss_e / df_e
    if stats.f.sf(ms_po / ms_e, df_po, df_e) >= 0.05:
        e = (ss_po + ss_e) / (df_po + df_e)
        comps = {"repeatability": e, "operator": (ss_o / df_o - e) / (p * r),
                 "part": (ss_p / df_p - e) / (o * r)}  # fmt: skip
        stats.f.sf(ss_p / df_p / e, df_p, df_po + df_e)
    else:
        comps = {
            "repeatability": ms_e,
            "operator": (ss_o / df_o - ms_po) / (p * r),
            "operator_part": (ms_po - ms_e) / r,
            "part": (ss_p / df_p - ms_po) / (o * r),
        }
    comps = {k: max(0.0, v) for k, v in comps.items()}
    comps["total"] = sum(comps.values())
    return comps


def diff(g: qs.msa.GaugeRR, ref: dict[str, float]) -> float:
    return max(abs(g.component(k)["variance"] - v) / max(abs(v), 1e-300) for k, v in ref.items())


def main() -> None:
    kw = dict(part="part", operator="op", value="y")
    print(f"gauge_rr, crossed, 10 operators x 5 replicates ({qs.get_num_threads()} threads)")
    small = study(50)
    qs.msa.gauge_rr(small, **kw)  # warm-up
    t_qs, g = timed(lambda: qs.msa.gauge_rr(small, **kw), 3)
    t_sm, ref = timed(lambda: statsmodels_gauge_rr(small), 3)
    print(f"  50 parts (2,500 rows):       qualstat {t_qs * 1e3:8.2f} ms, statsmodels "
          f"ols+anova_lm {t_sm * 1e3:9.1f} ms, ratio {t_sm / t_qs:7.0f}x, "
          f"max rel diff {diff(g, ref):.1e}")  # fmt: skip
    full = study(2_000)
    t_qs, g = timed(lambda: qs.msa.gauge_rr(full, **kw), 3)
    t_pd, ref = timed(lambda: pandas_gauge_rr(full), 3)
    print(f"  2,000 parts (100,000 rows):  qualstat {t_qs * 1e3:8.2f} ms, pandas groupby "
          f"+ numpy {t_pd * 1e3:9.1f} ms, ratio {t_pd / t_qs:7.1f}x, "
          f"max rel diff {diff(g, ref):.1e}")  # fmt: skip


if __name__ == "__main__":
    main()
