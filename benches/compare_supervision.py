"""Shrinkage and rank intervals: qualstat against scipy/numpy on the same data, in one run.

Prints the time of each, the ratio and the largest difference. The scipy side:
beta-binomial ML fit with scipy.optimize (L-BFGS-B on (ln alpha, ln beta),
log-likelihood from scipy.special.betaln, analytic gradient from digamma) and
credible limits from scipy.special.betaincinv; rank intervals from numpy beta
draws ranked with argsort.
"""

from __future__ import annotations

import time

import numpy as np
from scipy import optimize, special

import qualstat as qs


def timed(f):
    t0 = time.perf_counter()
    out = f()
    return time.perf_counter() - t0, out


def data(size: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    n = rng.integers(5, 500, size)
    x = rng.binomial(n, rng.beta(30.0, 3.0, size))
    return x, n


def scipy_shrink(x, n, confidence=0.95):
    x = x.astype(float)
    n = n.astype(float)

    def nll(t):
        a, b = np.exp(t)
        ll = np.sum(special.betaln(x + a, n - x + b)) - x.size * special.betaln(a, b)
        dab = special.digamma(n + a + b)
        ga = np.sum(special.digamma(x + a) - dab) + x.size * (
            special.digamma(a + b) - special.digamma(a)
        )
        gb = np.sum(special.digamma(n - x + b) - dab) + x.size * (
            special.digamma(a + b) - special.digamma(b)
        )
        return -ll, -np.array([a * ga, b * gb])

    m = x.sum() / n.sum()
    r = optimize.minimize(
        nll,
        np.log([10 * m, 10 * (1 - m)]),
        jac=True,
        method="L-BFGS-B",
        options={"ftol": 1e-15, "gtol": 1e-9},
    )
    a, b = np.exp(r.x)
    tail = (1 - confidence) / 2
    lo = special.betaincinv(a + x, b + n - x, tail)
    hi = special.betaincinv(a + x, b + n - x, 1 - tail)
    return a, b, lo, hi


def numpy_ranks(x, n, draws, a, b, seed=0):
    rng = np.random.default_rng(seed)
    k = x.size
    ranks = np.empty((draws, k), dtype=np.int32)
    for d in range(draws):
        p = rng.beta(a + x, b + n - x)
        ranks[d, np.argsort(-p)] = np.arange(1, k + 1)
    return np.median(ranks, axis=0)


def main() -> None:
    print(f"threads: {qs.get_num_threads()}")
    x, n = data(1_000_000)
    tq, s = timed(lambda: qs.shrink(x, n))
    ts, (a, b, lo, hi) = timed(lambda: scipy_shrink(x, n))
    diff = max(abs(s.alpha / a - 1), abs(s.beta / b - 1))
    print(
        f"shrink (MLE + 95 % limits), 10^6 units: qualstat {tq:.2f} s, scipy {ts:.2f} s, "
        f"ratio {ts / tq:.1f}x; alpha/beta rel. diff {diff:.1e}, "
        f"limits max diff {np.max(np.abs(s.table['lower'].to_numpy() - lo)):.1e}"
    )
    x, n = data(1_000, seed=1)
    tq, r = timed(lambda: qs.rank_intervals(x, n, draws=10_000))
    prior = qs.shrink(x, n)
    tn, med = timed(lambda: numpy_ranks(x, n, 10_000, prior.alpha, prior.beta))
    print(
        f"rank_intervals, 1,000 units x 10,000 draws: qualstat {tq:.2f} s, "
        f"numpy {tn:.2f} s, ratio {tn / tq:.1f}x; "
        f"median ranks max diff {np.max(np.abs(r['rank_median'].to_numpy() - med)):.0f}"
    )


if __name__ == "__main__":
    main()
