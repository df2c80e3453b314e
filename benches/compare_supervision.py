"""Supervision analytics: qualstat against scipy/statsmodels/numpy on the same data, in one run.

Issue 10's speed aims: funnel + target tests + shrinkage for 10^6 units (aim
>= 10x the same computed with vectorised scipy/statsmodels calls), and rank
intervals for 1,000 units x 10,000 draws (aim under 1 s on 2 cores). Prints
the time of each step, the ratio and the largest difference. The peer side:
the funnel in numpy (score limits from scipy.stats.norm.ppf, winsorised phi
and DerSimonian-Laird tau^2 from np.quantile, PHE classes); the exact one-sided
target tests from scipy.stats.binom.cdf with statsmodels' Holm adjustment;
the beta-binomial ML fit with scipy.optimize (L-BFGS-B on (ln alpha, ln beta),
log-likelihood from scipy.special.betaln, analytic gradient from digamma) and
credible limits from scipy.special.betaincinv; rank intervals from numpy beta
draws ranked with argsort.

Times are the best of 3 runs (the scipy shrinkage and the rank simulations: one run).
Run: ``make develop && .venv/bin/python benches/compare_supervision.py``.
"""

from __future__ import annotations

import numpy as np
from scipy import optimize, special, stats
from statsmodels.stats.multitest import multipletests

import qualstat as qs

from _timing import fastest, timed


def data(size: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    n = rng.integers(5, 500, size)
    x = rng.binomial(n, rng.beta(30.0, 3.0, size))
    return x, n


def numpy_funnel(x, n, levels=(0.95, 0.998), winsorize=0.1):
    """Score funnel around the pooled rate: z, limits at each level, PHE classes, phi, tau^2."""
    theta = x.sum() / n.sum()
    rate = x / n
    s = np.sqrt(theta * (1 - theta) / n)
    z = (rate - theta) / s
    classes = np.full(x.size, "Not significant", dtype=object)
    limits = {}
    for level in sorted(levels):
        q = stats.norm.ppf(1 - (1 - level) / 2)
        lo, up = np.clip(theta - q * s, 0, 1), np.clip(theta + q * s, 0, 1)
        tail = f"{(1 - level) / 2:.10g}"
        classes[rate < lo] = f"Low ({tail})"
        classes[rate > up] = f"High ({tail})"
        limits[level] = (lo, up)
    lo_q, hi_q = np.quantile(z, [winsorize, 1 - winsorize])
    phi = np.mean(np.clip(z, lo_q, hi_q) ** 2)
    w = 1 / s**2
    tau2 = max(0.0, (x.size * phi - (x.size - 1)) / (w.sum() - (w**2).sum() / w.sum()))
    return z, limits, classes, phi, tau2


def scipy_target_tests(x, n, target=0.95):
    p = stats.binom.cdf(x, n, target)
    return p, multipletests(p, method="holm")[1]


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


def rel_diff(a, b) -> float:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-300)))


def row(label: str, ours: float, peer: float, diff: str) -> None:
    print(f"{label:<44} {ours:8.3f} s {peer:9.3f} s {peer / ours:8.1f}x   {diff}")


def main() -> None:
    print(f"threads: {qs.get_num_threads()}; 10^6 units with 5 to 499 batches")
    print(f"{'':<44} {'qualstat':>10} {'peer':>11} {'ratio':>9}   agreement")
    x, n = data(1_000_000)
    tq_f, f = timed(lambda: qs.funnel(x, n), 3)
    tp_f, (z, limits, classes, phi, tau2) = timed(lambda: numpy_funnel(x, n), 3)
    same = np.array_equal(f.table["class"].to_numpy(), classes.astype(str))
    row(
        "funnel (score, 2 levels, phi, tau2; numpy)",
        tq_f,
        tp_f,
        f"z rel {rel_diff(f.table['z'], z):.0e}, phi rel {abs(f.phi / phi - 1):.0e}, "
        f"classes {'equal' if same else 'DIFFER'}",
    )

    def ours_tests():
        p = qs.proportion_test(x, n, 0.95, alternative="less").p_value
        return p, qs.adjust_p(p, "holm")

    tq_t, (p, adj) = timed(ours_tests, 3)
    tp_t, (p_ref, adj_ref) = timed(lambda: scipy_target_tests(x, n), 3)
    row(
        "target tests (exact less + Holm; scipy/sm)",
        tq_t,
        tp_t,
        f"p rel {rel_diff(p, p_ref):.0e}, adjusted rel {rel_diff(adj, adj_ref):.0e}",
    )
    # The same tests when no (successes, trials) pair repeats (trials up to 10^6): qualstat's
    # once-per-distinct-pair evaluation then only costs its sort.
    rng = np.random.default_rng(1)
    n_big = rng.permutation(np.arange(1, 1_000_001))
    x_big = rng.binomial(n_big, 0.95)
    tq_d, p_d = timed(lambda: qs.proportion_test(x_big, n_big, 0.95, alternative="less").p_value)
    tp_d, p_ref_d = timed(lambda: stats.binom.cdf(x_big, n_big, 0.95))
    row(
        "  (exact less, 10^6 distinct pairs; scipy)",
        tq_d,
        tp_d,
        f"p rel {rel_diff(p_d, p_ref_d):.0e}",
    )
    tq_s, s = timed(lambda: qs.shrink(x, n), 3)
    tp_s, (a, b, lo, hi) = timed(lambda: scipy_shrink(x, n))
    diff = max(abs(s.alpha / a - 1), abs(s.beta / b - 1))
    row(
        "shrink (MLE + 95 % limits; scipy)",
        tq_s,
        tp_s,
        f"alpha/beta rel {diff:.0e}, limits abs "
        f"{np.max(np.abs(s.table['lower'].to_numpy() - lo)):.0e}",
    )
    tq, tp = tq_f + tq_t + tq_s, tp_f + tp_t + tp_s
    row("funnel + target tests + shrinkage (aim >= 10x)", tq, tp, "")
    x, n = data(1_000, seed=1)
    tq, cpu, r = fastest(lambda: qs.rank_intervals(x, n, draws=10_000))
    prior = qs.shrink(x, n)
    tn, med = timed(lambda: numpy_ranks(x, n, 10_000, prior.alpha, prior.beta))
    row(
        "rank_intervals 1,000 x 10,000 (aim < 1 s)",
        tq,
        tn,
        f"median ranks max diff {np.max(np.abs(r['rank_median'].to_numpy() - med)):.0f}",
    )
    # On a shared machine the wall time includes waiting for a core; the CPU
    # time over the threads is what the run takes on idle cores.
    print(
        f"  rank_intervals CPU time {cpu:.2f} s on {qs.get_num_threads()} threads: "
        f"about {cpu / qs.get_num_threads():.2f} s on idle cores"
    )


if __name__ == "__main__":
    main()
