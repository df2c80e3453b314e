"""Global risks and conformance probabilities: qualstat against scipy, in one run.

Prints the time of each, the ratio and the largest relative difference.

* Global consumer's and producer's risks on a 100 x 100 grid of process means and
  measurement uncertainties (guarded acceptance) against scipy ``integrate.dblquad``
  of the joint density of (true value, measured value), three rectangles per grid
  point. dblquad takes tens of milliseconds per point, so it is timed on a random
  subsample of the grid (``--sample``, default 100 points) and its time scaled to
  the full grid (said in the output).
* Conformance probabilities of 10^6 items against scipy.stats.norm.cdf differences.

Run: ``.venv/bin/python benches/compare_conformity.py [--sample N]``.
"""

from __future__ import annotations

import argparse
import math

import numpy as np
from scipy import integrate, stats

import qualstat as qs

from _timing import timed

LOWER, UPPER, ACC = 9.0, 11.0, (9.1, 10.9)
SD = 0.3


def scipy_risks(mean: float, u: float) -> tuple[float, float]:
    """R_C and R_P of one grid point by dblquad (epsabs 1e-13, epsrel 1e-10)."""

    scale = 1.0 / (2.0 * math.pi * SD * u)

    def density(y, eta):  # plain math (scipy.stats' pdf would cost ~50 us a call)
        a, b = (eta - mean) / SD, (y - eta) / u
        return scale * math.exp(-0.5 * (a * a + b * b))

    lo_eta, hi_eta = mean - 12 * SD, mean + 12 * SD
    lo_y, hi_y = lo_eta - 12 * u, hi_eta + 12 * u
    opts = {"epsabs": 1e-13, "epsrel": 1e-10}
    consumer = integrate.dblquad(density, lo_eta, LOWER, ACC[0], ACC[1], **opts)[0]
    consumer += integrate.dblquad(density, UPPER, hi_eta, ACC[0], ACC[1], **opts)[0]
    producer = integrate.dblquad(density, LOWER, UPPER, lo_y, ACC[0], **opts)[0]
    producer += integrate.dblquad(density, LOWER, UPPER, ACC[1], hi_y, **opts)[0]
    return consumer, producer


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample", type=int, default=100)
    args = parser.parse_args()
    means = np.linspace(9.2, 10.8, 100)
    us = np.linspace(0.01, 0.2, 100)
    grid_m, grid_u = np.meshgrid(means, us, indexing="ij")

    qs.conformity.global_risk(10.0, SD, 0.1, LOWER, UPPER, acceptance=ACC)  # warm up
    t_qs, r = timed(lambda: qs.conformity.global_risk(grid_m, SD, grid_u, LOWER, UPPER, ACC))
    rng = np.random.default_rng(0)
    pick = rng.choice(grid_m.size, size=min(args.sample, grid_m.size), replace=False)
    flat_m, flat_u = grid_m.ravel()[pick], grid_u.ravel()[pick]
    t_sp, ref = timed(lambda: [scipy_risks(m, u) for m, u in zip(flat_m, flat_u, strict=True)])
    ref = np.array(ref)
    t_sp_full = t_sp * grid_m.size / pick.size
    got = np.stack([r.consumer.ravel()[pick], r.producer.ravel()[pick]], axis=1)
    # dblquad's absolute tolerance (1e-13) leaves risks below ~1e-9 inaccurate (at 1e-22
    # it is 40 % off, where qualstat agrees with a 40-digit mpmath quadrature to 3e-13;
    # tests/python/test_conformity.py): compare relative differences above 1e-9.
    sizable = ref > 1e-9
    rel = np.max(np.abs(got - ref)[sizable] / ref[sizable])
    tiny_abs = np.max(np.abs(got - ref)[~sizable], initial=0.0)
    print(f"global risks, 100 x 100 grid, {qs.get_num_threads()} threads")
    print(f"  qualstat global_risk (full grid):        {t_qs:9.3f} s")
    print(
        f"  scipy dblquad ({pick.size} points, scaled x{grid_m.size / pick.size:.0f}): "
        f"{t_sp_full:9.1f} s ({t_sp:.2f} s measured)"
    )
    print(f"  ratio {t_sp_full / t_qs:,.0f}x")
    print(
        f"  largest relative difference {rel:.1e} (risks above 1e-9); "
        f"largest absolute difference below 1e-9: {tiny_abs:.1e}"
    )

    y = np.linspace(8.5, 11.5, 1_000_000)
    t_qs2, p = timed(lambda: qs.conformity.conformance_probability(y, 0.1, LOWER, UPPER))
    t_sp2, q = timed(lambda: stats.norm.cdf((UPPER - y) / 0.1) - stats.norm.cdf((LOWER - y) / 0.1))
    print("conformance probability, 10^6 items")
    print(f"  qualstat {t_qs2:.4f} s, scipy.stats.norm {t_sp2:.4f} s, ratio {t_sp2 / t_qs2:.1f}x;")
    print(f"  largest absolute difference {np.max(np.abs(p - q)):.1e}")


if __name__ == "__main__":
    main()
