"""CUSUM ARL curve at 100 shifts: qualstat against numpy Markov chains, in one run.

The job: the two-sided ARL of a tabular CUSUM (k = 0.5, h = 4) at 100 shifts in
[0, 3]. qualstat solves the integral equation by Gauss-Legendre Nystrom (about
1e-10 relative). The numpy peers:

* Brook & Evans's Markov chain (the classical method; 1/L = 1/L+ + 1/L-), with
  the number of states m chosen so that its largest relative error over the
  curve is at most 1e-6 (the accuracy the issue asks for): its error falls like
  1/m^2, so m is in the thousands;
* the same Nystrom method in numpy (numpy.linalg.solve per shift and side, the
  same 48 nodes + atom), for a like-for-like comparison.

Prints the time of each, the ratio and the largest relative difference.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import norm

import qualstat as qs

from _timing import timed

K, H = 0.5, 4.0
SHIFTS = np.linspace(0.0, 3.0, 100)


def brook_evans_one_sided(d, k, h, m):
    w = 2.0 * h / (2 * m - 1)
    z = np.arange(m) * w
    upper = (np.arange(m) + 0.5) * w
    cdf = norm.cdf(upper[None, :] - z[:, None] + k - d)
    q = np.diff(np.concatenate([np.zeros((m, 1)), cdf], axis=1), axis=1)
    arl = np.linalg.solve(np.eye(m) - q, np.ones(m))
    return arl[0]


def brook_evans_curve(m):
    out = np.empty(SHIFTS.size)
    for i, d in enumerate(SHIFTS):
        up, lo = brook_evans_one_sided(d, K, H, m), brook_evans_one_sided(-d, K, H, m)
        out[i] = 1.0 / (1.0 / up + 1.0 / lo)
    return out


def nystrom_one_sided(d, k, h, n=48):
    x, w = np.polynomial.legendre.leggauss(n)
    y, w = h / 2 * (x + 1), h / 2 * w
    z = np.concatenate([[0.0], y])
    q = np.empty((n + 1, n + 1))
    q[:, 0] = norm.cdf(k - z - d)
    q[:, 1:] = w[None, :] * norm.pdf(y[None, :] + k - z[:, None] - d)
    return np.linalg.solve(np.eye(n + 1) - q, np.ones(n + 1))[0]


def nystrom_curve():
    out = np.empty(SHIFTS.size)
    for i, d in enumerate(SHIFTS):
        up, lo = nystrom_one_sided(d, K, H), nystrom_one_sided(-d, K, H)
        out[i] = 1.0 / (1.0 / up + 1.0 / lo)
    return out


def main() -> None:
    print(f"threads: {qs.get_num_threads()}")
    qs.control.arl_cusum(SHIFTS, k=K, h=H)  # warm-up (thread pool)
    tq, arl = timed(lambda: qs.control.arl_cusum(SHIFTS, k=K, h=H))
    # The smallest m (on a doubling grid) with Brook-Evans within 1e-6 everywhere.
    m = 250
    while True:
        tb, be = timed(lambda m=m: brook_evans_curve(m))
        err = float(np.max(np.abs(be / arl - 1.0)))
        if err <= 1e-6 or m >= 8000:
            break
        m *= 2
    print(
        f"CUSUM ARL curve, 100 shifts: qualstat {tq * 1e3:.1f} ms; numpy Brook-Evans "
        f"(m = {m} states, max rel. error {err:.1e}) {tb * 1e3:.0f} ms; ratio {tb / tq:.0f}x"
    )
    tn, ny = timed(nystrom_curve)
    diff = float(np.max(np.abs(ny / arl - 1.0)))
    print(
        f"same method in numpy (Nystrom, 48 nodes): {tn * 1e3:.1f} ms; ratio {tn / tq:.1f}x; "
        f"max rel. difference {diff:.1e}"
    )


if __name__ == "__main__":
    main()
