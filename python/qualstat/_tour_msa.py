"""The gauge-study part of the quick tour's lab section (AIAG MSA-4 / Minitab Gageaiag data)."""

from __future__ import annotations

import numpy as np

import qualstat as qs

from ._tour_common import dataset, title


def run() -> None:
    """A crossed gauge R&R study and a type-1 study, in a few lines."""
    title("Lab: is the gauge good enough?")
    g = qs.msa.gauge_rr(
        dataset("gageaiag"), part="part", operator="operator", value="measurement", tolerance=8
    )
    grr = g.component("total_grr")
    print(f"AIAG example, {g.parts} parts x {g.operators} appraisers x {g.replicates} trials:")
    print(f"  {g.model}")
    print(
        f"  gauge R&R = {grr['pct_study_var']:.2f} % of study variation, "
        f"{grr['pct_tolerance']:.2f} % of tolerance; {g.ndc} distinct categories"
    )
    x = 10.0 + np.random.default_rng(5).normal(0.002, 0.004, 50)
    t1 = qs.msa.type1(x, reference=10.0, tolerance=0.2)
    print(
        f"Type-1 study, 50 repeats of a 10.000 mm master: Cg = {t1.cg:.2f}, "
        f"Cgk = {t1.cgk:.2f}, bias {t1.bias:+.4f} mm (p = {t1.p_value:.3f}) -> "
        f"{'adequate' if t1.adequate else 'not adequate'}"
    )
