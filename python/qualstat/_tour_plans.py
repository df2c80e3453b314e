"""The sampling-plan section of the quick tour (``python -m qualstat.tour``)."""

from __future__ import annotations

import time

import numpy as np
import polars as pl

import qualstat as qs

from ._tour_common import title


def plans_section() -> None:
    """Design a plan, read one from ISO 2859-1, show its OC points, run the switching rules."""
    title("Sampling plans: design, ISO 2859-1 and switching")
    plan = qs.design_plan(0.01, 0.05, alpha=0.05, beta=0.10)
    print("Risk points AQL 1 % (Pa >= 95 %) and LQ 5 % (Pa <= 10 %):")
    print(f"  design_plan -> {plan}")
    lot = qs.design_plan(0.01, 0.05, model="hypergeometric", lot_size=500)
    print(f"  for an isolated lot of 500 (hypergeometric): {lot}")
    iso = qs.iso2859_1.plan(aql=1.0, lot_size=2000)
    print(f"ISO 2859-1, lot of 2000, level II: {iso}")
    print(
        f"  producer's risk at its AQL: {iso.producer_risk():.2%}; "
        f"consumer's risk at LQ 5 %: {iso.consumer_risk('5%'):.2%}"
    )
    rp = iso.risk_points()
    aoql = iso.aoql(lot_size=2000)
    print(
        f"  p95 = {rp['p95']:.3%}, p50 = {rp['p50']:.3%}, p10 = {rp['p10']:.3%}; "
        f"AOQL {aoql.aoql:.3%} at p = {aoql.p:.3%}"
    )
    double = qs.iso2859_1.plan(aql=1.0, lot_size=2000, kind="double")
    frame = pl.DataFrame({"p": [0.005, 0.01, 0.02, 0.04]})
    frame = frame.with_columns(
        pl.Series("single Pa", np.asarray(iso.prob_accept(frame["p"]))),
        pl.Series("double Pa", np.asarray(double.prob_accept(frame["p"]))),
        pl.Series("double ASN", np.asarray(double.asn(frame["p"]))),
    )
    with pl.Config(float_precision=4):
        print(frame)
    d = double.decide([2])
    print(
        f"  double plan, 2 nonconforming in the first {double.n[0]}: {d.outcome}, "
        f"draw {d.next_sample_size} more"
    )

    rng = np.random.default_rng(11)
    quality = np.r_[np.full(6, 0.004), np.full(6, 0.03), np.full(8, 0.004)]
    counts = np.asarray(rng.binomial(iso.n[0], quality))
    scheme = qs.iso2859_1.Scheme(1.0, edition="iso1999")
    history = scheme.run(lot_size=np.full(len(counts), 2000), nonconforming=counts)
    print("Switching history (quality worsens for lots 6-11):")
    with pl.Config(tbl_rows=20):
        print(
            history.select(
                "lot", "state", "n", "ac", "nonconforming", "decision", "switching_score"
            )
        )

    t0 = time.perf_counter()
    rng = np.random.default_rng(5)
    aql = rng.uniform(0.001, 0.05, 10_000)
    grid = qs.design_plan_grid(aql, aql * rng.uniform(2, 10, 10_000))
    dt = time.perf_counter() - t0
    print(f"10,000 plans designed in {dt:.2f} s (largest n {grid['n'].max()!s}).")
