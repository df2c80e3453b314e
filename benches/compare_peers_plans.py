"""Attribute sampling plans: qualstat vs a straightforward scipy.stats implementation.

Run: ``python benches/compare_peers_plans.py`` (after ``make develop``). Prints the
times and the speed ratios of

1. every ISO 2859-1 / Z1.4 plan (3 severities x 16 code letters x 26 AQLs, single,
   double and multiple) evaluated on 1,000 quality points;
2. 10,000 ``design_plan`` calls on random risk-point pairs;

and checks that the two implementations agree. The plan grids are timed as the
best of twenty qualstat calls and of three scipy loops (one for the slow
multiple plans): the first call also starts qualstat's thread pool, and the
first few fault in the pages of the 10 MB result (3.2-3.7 ms against 2.5 ms
from about the tenth call on, single plans), which scipy's calls, each one
thirty times longer, do not notice. The first call's time is printed too.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from scipy.stats import binom

import qualstat as qs
from qualstat import iso2859_1

from _timing import timed

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "python"))
from plan_reference import scipy_pa  # noqa: E402

SEVERITIES = ["normal", "tightened", "reduced"]
CODES = "ABCDEFGHJKLMNPQR"


def scipy_design(aql, lq, alpha=0.05, beta=0.10, chunk=2000, n_max=10**6):
    """Smallest n, then smallest c: for each n the smallest admissible c is
    binom.ppf(1 - alpha, n, aql); the first n where that c meets the LQ point wins."""
    start = 1
    while start <= n_max:
        ns = np.arange(start, start + chunk)
        c = binom.ppf(1 - alpha, ns, aql)
        # ppf is the smallest c with cdf >= 1 - alpha, up to floating-point ties.
        ok = binom.cdf(c, ns, lq) <= beta
        if ok.any():
            i = int(np.argmax(ok))
            return int(ns[i]), int(c[i])
        start += chunk
    return None


def iso_plans(kind):
    plans = []
    for sev in SEVERITIES:
        for code in CODES:
            for aql in iso2859_1.PREFERRED_AQLS:
                plans.append(iso2859_1.plan(aql=aql, code=code, inspection=sev, kind=kind))
    return plans


def compare_iso_plans():
    print("ISO 2859-1 plans (3 x 16 x 26) on 1,000 quality points, binomial OC (best times)")
    p = np.linspace(0.0, 0.3, 1000)
    for kind in ["single", "double", "multiple"]:
        plans = iso_plans(kind)
        t_first, _ = timed(lambda plans=plans: qs.prob_accept_grid(plans, p))
        t_ours, ours = timed(lambda plans=plans: qs.prob_accept_grid(plans, p), 20)
        t_ref, ref = timed(
            lambda plans=plans: np.array([scipy_pa(x.n, x.ac, x.re, p) for x in plans]),
            1 if kind == "multiple" else 3,
        )
        err = np.max(np.abs(ours - ref))
        print(
            f"  {kind:<8} {len(plans)} plans: qualstat {t_ours:7.3f} s, scipy {t_ref:7.3f} s, "
            f"ratio {t_ref / t_ours:6.1f}x, max |diff| {err:.1e} (first call {t_first:.3f} s)"
        )


def compare_design(calls=10_000, scipy_calls=1_000):
    print(f"design_plan on random risk points (alpha 0.05, beta 0.10), {calls:,} calls")
    rng = np.random.default_rng(2026)
    aql = rng.uniform(0.001, 0.05, calls)
    lq = aql * rng.uniform(2.0, 10.0, calls)
    t_grid, grid = timed(lambda: qs.design_plan_grid(aql, lq))
    t_loop, _ = timed(lambda: [qs.design_plan(a, b) for a, b in zip(aql, lq, strict=True)])
    sub = slice(0, scipy_calls)
    t_ref, ref = timed(lambda: [scipy_design(a, b) for a, b in zip(aql[sub], lq[sub], strict=True)])
    t_ref_all = t_ref * calls / scipy_calls
    n, c = grid["n"].to_numpy(), grid["ac"].to_numpy()
    agree = sum((int(n[i]), int(c[i])) == ref[i] for i in range(scipy_calls))
    print(
        f"  qualstat grid {t_grid:.3f} s, qualstat one call at a time {t_loop:.3f} s, "
        f"scipy {t_ref_all:.1f} s (timed on {scipy_calls:,} calls, scaled)"
    )
    print(
        f"  ratio grid {t_ref_all / t_grid:.0f}x, one at a time {t_ref_all / t_loop:.0f}x; "
        f"same plan in {agree} of {scipy_calls} compared calls"
    )


def main():
    print(f"qualstat {qs.__version__} on {qs.get_num_threads()} threads")
    compare_iso_plans()
    compare_design()


if __name__ == "__main__":
    main()
