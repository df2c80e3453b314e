"""Pass-rate intervals: qualstat against statsmodels / scipy on the same data, in one run.

Prints, for each method, the time of each library, the ratio, and the largest
difference between the two results.
"""

from __future__ import annotations

import numpy as np
from scipy.special import betaincinv
from statsmodels.stats.proportion import proportion_confint

import qualstat as qs

from _timing import timed


def data(size: int, seed: int = 0, n_max: int = 10_000):
    rng = np.random.default_rng(seed)
    n = rng.integers(1, n_max, size)
    x = rng.binomial(n, rng.uniform(0.5, 1.0, size))
    return x, n


def few_failures(size: int, seed: int = 0):
    """High pass rates in large samples: 0 to 19 failures in 1,000 to 9,999
    trials (the exact limits then have one small beta parameter)."""
    rng = np.random.default_rng(seed)
    n = rng.integers(1_000, 10_000, size)
    return n - rng.integers(0, 20, size), n


def compare(size: int, *, repeats: int, few: bool = False, n_max: int = 10_000) -> None:
    x, n = few_failures(size) if few else data(size, n_max=n_max)
    kind = "0-19 failures, 1,000 <= n < 10,000" if few else f"n < {n_max:,}"
    print(
        f"\n{size:,} random (x, n) pairs, {kind}; {qs.get_num_threads()} threads; best of {repeats}"
    )
    print(f"{'method':<18}{'qualstat s':>12}{'peer s':>10}{'ratio':>9}{'max |diff|':>13}")
    pairs = [("wilson", "wilson"), ("clopper_pearson", "beta"), ("jeffreys", "jeffreys")]
    for ours, theirs in pairs:
        t_q, (lo, hi) = timed(lambda m=ours: qs.proportion_ci(x, n, method=m), repeats)
        t_p, (plo, phi) = timed(lambda m=theirs: proportion_confint(x, n, method=m), repeats)
        if theirs == "jeffreys":  # statsmodels has no boundary rule
            plo = np.where(x == 0, 0.0, plo)
            phi = np.where(x == n, 1.0, phi)
        diff = max(np.max(np.abs(lo - plo)), np.max(np.abs(hi - phi)))
        print(f"{ours:<18}{t_q:>12.3f}{t_p:>10.3f}{t_p / t_q:>9.1f}{diff:>13.2e}")
    # Accuracy of the exact limits against scipy.special.betaincinv directly.
    lo, hi = qs.proportion_ci(x, n, method="clopper_pearson")
    with np.errstate(all="ignore"):
        ref_lo = np.where(x == 0, 0.0, betaincinv(np.maximum(x, 1), n - x + 1, 0.025))
        ref_hi = np.where(x == n, 1.0, betaincinv(x + 1, np.maximum(n - x, 1), 0.975))
    err = max(np.max(np.abs(lo - ref_lo)), np.max(np.abs(hi - ref_hi)))
    print(f"clopper_pearson vs scipy.special.betaincinv: max |diff| = {err:.2e}")


def scalar_call() -> None:
    reps = 20_000
    per = timed(lambda: [qs.proportion_ci(57, 60, method="clopper_pearson") for _ in range(reps)])
    per_sm = timed(lambda: [proportion_confint(57, 60, method="beta") for _ in range(reps // 10)])
    per, per_sm = per[0] / reps, per_sm[0] / (reps // 10)
    print(
        f"\nscalar proportion_ci (exact): {per * 1e6:.2f} us per call; "
        f"statsmodels {per_sm * 1e6:.1f} us (ratio {per_sm / per:.0f})"
    )


def main() -> None:
    print("== Pass-rate intervals (statsmodels proportion_confint) ==")
    scalar_call()
    compare(1_000_000, repeats=3)
    compare(1_000_000, repeats=3, n_max=5_000)
    compare(1_000_000, repeats=3, few=True)
    compare(10_000_000, repeats=1)


if __name__ == "__main__":
    main()
