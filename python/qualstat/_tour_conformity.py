"""The conformity section of the quick tour: a guarded decision and its risks."""

from __future__ import annotations

import numpy as np

import qualstat as qs

from ._tour_common import title


def conformity_section() -> None:
    """A lab decides on items measured near an upper limit, then weighs the process risks."""
    title("Lab: a guarded decision with measurement uncertainty")
    cf = qs.conformity
    u, lower, upper = 0.05, 9.0, 10.0
    print(f"Tolerance [{lower}, {upper}], standard uncertainty u = {u} (U = 2u), C_m = ", end="")
    print(f"{cf.cm(u, lower, upper):.1f}")
    a = cf.guard_band(u, lower, upper, rule="w=U")
    print(f"Guard band w = U: accept in [{a.lower:.2f}, {a.upper:.2f}]")
    y = np.array([9.80, 9.93, 9.98, 10.04, 10.12])
    d = cf.decide(y, u, lower, upper, rule="w=U", statement="non-binary")
    for yi, v, p in zip(y, d.verdict, d.conformance_probability, strict=True):
        print(f"  y = {yi:.2f}: {v:<16} (conformance probability {p:.3f})")
    simple = cf.global_risk(9.6, 0.15, u, lower, upper)
    guarded = cf.global_risk(9.6, 0.15, u, lower, upper, acceptance=a)
    print(
        f"Process N(9.6, 0.15^2): consumer's risk {simple.consumer:.2e} -> {guarded.consumer:.2e}"
        f" with the guard band, producer's risk {simple.producer:.4f} -> {guarded.producer:.4f}"
    )
