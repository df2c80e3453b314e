"""The run-length design lines of the quick tour (``python -m qualstat.tour``)."""

from __future__ import annotations

import qualstat as qs

from ._tour_common import title


def arl_section() -> None:
    """Design a CUSUM and an EWMA for one false alarm in 370 points; compare them."""
    title("Chart design by run lengths: CUSUM and EWMA for ARL0 = 370")
    h = qs.control.cusum_h(0.5, 370.0)
    e = qs.control.ewma_design(1.0, 370.0)
    shifts = [0.5, 1.0, 2.0]
    cu = qs.control.arl_cusum(shifts, k=0.5, h=h)
    ew = qs.control.arl_ewma(shifts, lam=e.lam, L=e.L)
    sh = qs.control.arl_shewhart([0.0, *shifts], rules="we")
    print(f"CUSUM k = 0.5, h = {h:.3f}; {e!r}")
    print(f"Shewhart with Western Electric rules 1-4: ARL0 only {sh[0]:.1f}.")
    for d, a, b, c in zip(shifts, cu, ew, sh[1:], strict=True):
        print(f"  shift {d} sigma: ARL CUSUM {a:6.2f}, EWMA {b:6.2f}, Shewhart+WE {c:6.2f}")
