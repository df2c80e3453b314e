"""The control-chart section of the quick tour: piston rings and a p' chart of pass rates."""

from __future__ import annotations

import numpy as np

import qualstat as qs

from ._tour_common import dataset, title


def control_section() -> None:
    """Charts the piston rings (phase I, then phase II) and monthly pass rates (Laney p')."""
    title("Control charts: piston rings and pass rates over periods")
    rings = dataset("pistonrings")
    x = rings["diameter"].to_numpy().reshape(-1, 5)
    trial = rings["trial"].to_numpy().reshape(-1, 5)[:, 0]
    phase1 = qs.control.xbar_r(x[trial], rules="we")
    print(phase1)
    watched = phase1.monitor(x[~trial])
    v = watched.xbar.violations
    print(
        f"Phase II, {int((~trial).sum())} new subgroups against the frozen limits: "
        f"flagged subgroups {v['point'].to_list()} (rules {v['rule'].to_list()})"
    )

    rng = np.random.default_rng(7)
    months = 24
    inspected = rng.integers(800, 1200, months)
    rate = np.clip(0.965 + rng.normal(0, 0.006, months), 0, 1)
    rate[20:] -= 0.02  # a drop in the last four months
    passed = rng.binomial(inspected, rate)
    chart = qs.control.p_prime(passed, inspected, rules="we", phase1=np.arange(months) < 18)
    low = chart.violations["point"].to_list()
    print(
        f"Laney p' chart of monthly pass rates: centre {chart.center[0]:.3f}, "
        f"sigma_z = {chart.sigma:.2f} (over-dispersion); months flagged {low}; "
        f"lowest lower limit {chart.lcl.min():.3f}"
    )
