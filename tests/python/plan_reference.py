"""Reference OC of attribute sampling plans with scipy.stats, independent of qualstat.

Shared by tests/python/test_plan.py and benches/compare_peers_plans.py.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import binom


def scipy_pa(n, ac, re, p):
    """Binomial Pa of a single or multi-stage plan, vectorised over p, by carrying
    the distribution of the cumulative count from stage to stage."""
    p = np.asarray(p, dtype=float)
    if len(n) == 1:
        return binom.cdf(re[0] - 1, n[0], p)
    states = {0: np.ones_like(p)}
    pa = np.zeros_like(p)
    for j, (nj, a, r) in enumerate(zip(n, ac, re, strict=True)):
        last = j == len(n) - 1
        lim = r - 1 if last else a
        new: dict[int, np.ndarray] = {}
        for k, w in states.items():
            if lim >= k:
                pa = pa + w * binom.cdf(lim - k, nj, p)
            if not last:
                for t in range(max(k, lim + 1), r):
                    new[t] = new.get(t, 0) + w * binom.pmf(t - k, nj, p)
        states = new
    return pa
