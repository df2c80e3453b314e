"""Tests against a target: qualstat against scipy / statsmodels on the same data, in one run.

10^6 units with 1 to 500 batches and pass rates near 95 %: the one-sided exact
p-values (scipy's vectorised binom.cdf), the two-sided exact p-values (scipy's
binomtest is scalar only: timed on 2,000 units and scaled), the score test
(numpy with scipy's norm) and the Holm / Benjamini-Hochberg adjustments
(statsmodels' multipletests). Prints the times, the ratio and the largest
relative difference.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import binom, binomtest, norm
from statsmodels.stats.multitest import multipletests

import qualstat as qs

from _timing import timed

UNITS = 1_000_000


def rel_diff(a, b) -> float:
    a, b = np.asarray(a), np.asarray(b)
    scale = np.maximum(np.abs(b), 1e-300)
    return float(np.max(np.abs(a - b) / scale))


def row(label: str, ours: float, peer: float, diff: float) -> None:
    print(f"{label:<34} {ours:9.4f} s {peer:11.4f} s {peer / ours:9.1f}x   {diff:.1e}")


def main() -> None:
    rng = np.random.default_rng(10)
    n = rng.integers(1, 501, UNITS)
    x = rng.binomial(n, 0.95)
    print(f"{UNITS:,} units, {qs.get_num_threads()} threads; best of 3")
    print(f"{'':<34} {'qualstat':>11} {'peer':>13} {'ratio':>10}   max rel diff")
    t_q, ours = timed(lambda: qs.proportion_test(x, n, 0.95, alternative="less").p_value, 3)
    t_p, peer = timed(lambda: binom.cdf(x, n, 0.95), 3)
    row("exact less (scipy binom.cdf)", t_q, t_p, rel_diff(ours, peer))
    t_q, ours = timed(lambda: qs.proportion_test(x, n, 0.95).p_value, 3)
    k = 2_000
    t_p, peer = timed(
        lambda: [binomtest(int(a), int(b), 0.95).pvalue for a, b in zip(x[:k], n[:k], strict=True)]
    )
    t_p *= UNITS / k
    row("exact two-sided (binomtest, scaled)", t_q, t_p, rel_diff(ours[:k], peer))

    def score():
        z = (x - n * 0.95) / np.sqrt(n * 0.95 * 0.05)
        return 2 * norm.sf(np.abs(z))

    t_q, ours = timed(lambda: qs.proportion_test(x, n, 0.95, method="score").p_value, 3)
    t_p, peer = timed(score, 3)
    row("score two-sided (numpy + norm.sf)", t_q, t_p, rel_diff(ours, peer))
    p = qs.proportion_test(x, n, 0.95, alternative="less").p_value
    for ours_name, peer_name in (("holm", "holm"), ("bh", "fdr_bh")):
        t_q, ours = timed(lambda m=ours_name: qs.adjust_p(p, m), 3)
        t_p, peer = timed(lambda m=peer_name: multipletests(p, method=m)[1])
        row(f"adjust_p {ours_name} (multipletests)", t_q, t_p, rel_diff(ours, peer))


if __name__ == "__main__":
    main()
