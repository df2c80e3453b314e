"""The variables-plan section of the quick tour (``python -m qualstat.tour``)."""

from __future__ import annotations

import time

import numpy as np
import polars as pl

import qualstat as qs

from ._tour_common import title


def variables_section() -> None:
    """The same lot as the attribute plan, inspected by variables: a smaller sample."""
    title("Variables plans: ISO 3951-1 / Z1.9, decisions and design")
    attr = qs.iso2859_1.plan(aql=1.0, lot_size=2000)
    var = qs.iso3951.plan(aql=1.0, lot_size=2000)
    sig = qs.iso3951.plan(aql=1.0, lot_size=2000, method="sigma", sigma=0.05)
    m = var.metadata or {}
    print(
        f"Lot of 2000, AQL 1.0 %: by attributes n = {attr.n[0]} (Ac {attr.ac[0]}); "
        f"by variables (s-method) n = {var.n}, k = {var.k} "
        f"({'printed' if m.get('k_printed') else 'derived'}), M = {m.get('m_percent')} %; "
        f"sigma known: n = {sig.n}."
    )
    print(
        f"{var!r}: producer's risk at its own AQL {var.producer_risk():.2%}, "
        f"Pa = 10 % at p = {var.quality_at(0.10):.2%}."
    )
    p = [0.005, 0.01, 0.02, 0.04, 0.08]
    frame = pl.DataFrame(
        {
            "p": p,
            "attributes Pa": np.asarray(attr.prob_accept(p)),
            "s-method Pa": np.asarray(var.prob_accept(p)),
            "sigma-method Pa": np.asarray(sig.prob_accept(p)),
        }
    )
    with pl.Config(float_precision=4):
        print(frame)

    rng = np.random.default_rng(7)
    x = rng.normal(10.0, 0.05, var.n)
    d = var.decide(x, lsl=9.85, usl=10.15)
    print(
        f"One lot, limits 9.85-10.15: mean {d.mean:.4f}, s {d.sd:.4f}, Q_L {d.q_lower:.2f}, "
        f"Q_U {d.q_upper:.2f}, estimated nonconforming {d.p_hat:.3%} (M {var.m:.3%}): "
        f"{d.outcome}"
    )
    design = qs.design_variables_plan(0.01, 0.06)
    dm = design.metadata or {}
    print(
        f"Design for AQL 1 % / LQ 6 %: exact (noncentral t) n = {design.n}, k = {design.k:.4f}; "
        f"Wallis approximation n = {dm['wallis_n_s']:.1f}, k = {dm['wallis_k']:.3f}"
    )

    lots, n = 100_000, var.n
    means = rng.normal(10.0, 0.01, lots)
    frame = pl.DataFrame(
        {
            "lot": np.repeat(np.arange(lots), n),
            "x": rng.normal(np.repeat(means, n), 0.05),
        }
    )
    t0 = time.perf_counter()
    out = var.decide_lots(frame, value="x", lot="lot", lsl=9.85, usl=10.15)
    dt = time.perf_counter() - t0
    accepted = int((out["outcome"] == "accept").sum()) / out.height
    print(f"{lots:,} lots of {n} decided in {dt:.2f} s ({accepted:.1%} accepted).")
