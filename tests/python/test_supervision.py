"""qs.shrink and qs.rank_intervals against independent references.

References: Gelman et al., BDA3 section 5.1 (rat tumours: the moment fit
(alpha, beta) = (1.4, 8.6) from the 70 historical rates with mean 0.136 and
SD 0.103, and the posterior Beta(5.4, 18.6) of the 71st experiment, 4/14,
with mean 0.223 and SD 0.083); an independent maximum-likelihood fit with
scipy.optimize on a log-likelihood built from scipy.special.betaln; Beta
quantiles from scipy.stats.beta.ppf; simulation with a known prior.
"""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize, special, stats

import qualstat as qs

# BDA3 Table 5.1 (rat tumours), in the order of the Aalto BDA course demo
# (demo 5.1); the 71st experiment (4 of 14) is last.
RAT_Y = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2,
         2, 1, 5, 2, 5, 3, 2, 7, 7, 3, 3, 2, 9, 10, 4, 4, 4, 4, 4, 4, 4, 10, 4, 4, 4, 5, 11, 12,
         5, 5, 6, 5, 6, 6, 6, 6, 16, 15, 15, 9, 4]  # fmt: skip
RAT_N = [20, 20, 20, 20, 20, 20, 20, 19, 19, 19, 19, 18, 18, 17, 20, 20, 20, 20, 19, 19, 18, 18,
         25, 24, 23, 20, 20, 20, 20, 20, 20, 10, 49, 19, 46, 27, 17, 49, 47, 20, 20, 13, 48, 50,
         20, 20, 20, 20, 20, 20, 20, 48, 19, 19, 19, 22, 46, 49, 20, 20, 23, 19, 22, 20, 20, 20,
         52, 46, 47, 24, 14]  # fmt: skip


def scipy_mle(x, n):
    """Independent beta-binomial ML fit: scipy.optimize on (ln alpha, ln beta)."""
    x = np.asarray(x, float)
    n = np.asarray(n, float)

    def nll(t):
        a, b = np.exp(t)
        return -np.sum(special.betaln(x + a, n - x + b) - special.betaln(a, b))

    m = x.sum() / n.sum()
    start = np.log([m * 10, (1 - m) * 10])
    r = optimize.minimize(
        nll, start, method="Nelder-Mead", options={"xatol": 1e-12, "fatol": 1e-14, "maxiter": 20000}
    )
    r = optimize.minimize(nll, r.x, method="BFGS", options={"gtol": 1e-10})
    return np.exp(r.x), nll


def test_moments_reproduce_bda3_rat_tumours():
    y, n = np.array(RAT_Y[:70]), np.array(RAT_N[:70])
    rates = y / n
    # The published summary of the 70 rates.
    assert round(rates.mean(), 3) == 0.136
    assert round(rates.std(ddof=1), 3) == 0.103
    s = qs.shrink(y, n, method="moments")
    assert (round(s.alpha, 1), round(s.beta, 1)) == (1.4, 8.6)
    # The published posterior of the 71st experiment: Beta(5.4, 18.6),
    # mean 0.223, sd 0.083.
    a, b = s.alpha + 4, s.beta + 10
    assert (round(a, 1), round(b, 1)) == (5.4, 18.6)
    assert round(a / (a + b), 3) == 0.223
    assert round(math.sqrt(a * b / ((a + b) ** 2 * (a + b + 1))), 3) == 0.083
    assert s.method == "moments"


def test_mle_matches_an_independent_scipy_fit():
    (a, b), nll = scipy_mle(RAT_Y, RAT_N)
    s = qs.shrink(RAT_Y, RAT_N)
    assert s.method == "mle"
    assert s.alpha == pytest.approx(a, rel=1e-5)
    assert s.beta == pytest.approx(b, rel=1e-5)
    # Ours is at least as good a maximum.
    assert nll(np.log([s.alpha, s.beta])) <= nll(np.log([a, b])) + 1e-9


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_mle_matches_scipy_on_simulated_units(seed):
    rng = np.random.default_rng(seed)
    k = 200
    n = rng.integers(3, 400, size=k)
    p = rng.beta(30.0, 3.0, size=k)
    x = rng.binomial(n, p)
    (a, b), _ = scipy_mle(x, n)
    s = qs.shrink(x, n)
    assert s.alpha == pytest.approx(a, rel=1e-5)
    assert s.beta == pytest.approx(b, rel=1e-5)


@pytest.mark.parametrize("method", ["mle", "moments"])
@pytest.mark.parametrize("confidence", [0.95, 0.8, "99%"])
def test_table_matches_scipy_beta(method, confidence):
    s = qs.shrink(
        RAT_Y, RAT_N, labels=[f"exp{i}" for i in range(71)], method=method, confidence=confidence
    )
    t = s.table
    assert t.columns == ["label", "successes", "trials", "rate", "posterior_mean", "lower", "upper"]
    assert t["label"].to_list()[:2] == ["exp0", "exp1"]
    conf = 0.99 if confidence == "99%" else confidence
    assert s.confidence == conf
    x, n = np.array(RAT_Y), np.array(RAT_N)
    a, b = s.alpha + x, s.beta + n - x
    np.testing.assert_allclose(t["posterior_mean"], a / (a + b), rtol=1e-14)
    np.testing.assert_allclose(t["lower"], stats.beta.ppf((1 - conf) / 2, a, b), rtol=1e-10)
    np.testing.assert_allclose(t["upper"], stats.beta.ppf((1 + conf) / 2, a, b), rtol=1e-10)
    np.testing.assert_array_equal(t["rate"], x / n)
    assert t["successes"].to_list() == RAT_Y


def test_repr_html_and_dict():
    s = qs.shrink(RAT_Y, RAT_N)
    r = repr(s)
    assert r.startswith("Shrinkage(method='mle', alpha=") and "71 units" in r
    assert "95 % credible" in r
    assert "<table" in s._repr_html_() and "posterior_mean" in s._repr_html_()
    assert set(s.to_dict()) == {"alpha", "beta", "method", "confidence", "table"}
    with pytest.raises(AttributeError):
        s.alpha = 1.0  # type: ignore[misc]


@given(
    st.lists(st.tuples(st.integers(1, 60), st.floats(0, 1)), min_size=3, max_size=30),
    st.sampled_from(["mle", "moments"]),
)
@settings(max_examples=60, deadline=None)
def test_posterior_mean_lies_between_rate_and_prior_mean(units, method):
    n = np.array([u[0] for u in units])
    x = np.array([round(u[0] * u[1]) for u in units])
    try:
        s = qs.shrink(x, n, method=method)
    except ValueError as e:
        assert any(
            words in str(e)
            for words in (
                "over-dispersion",
                "no beta distribution",
                "rate is 0 or 1",
                "every unit has rate",
            )
        ), str(e)
        return
    t = s.table
    m = s.prior_mean
    rate, post = t["rate"].to_numpy(), t["posterior_mean"].to_numpy()
    lo, hi = np.minimum(rate, m), np.maximum(rate, m)
    assert np.all(post >= lo - 1e-12) and np.all(post <= hi + 1e-12)
    # The equal-tailed interval holds the posterior median (scipy), not always the
    # mean: with a tiny alpha the mean of Beta(alpha, n + beta) lies above its
    # 97.5 % quantile (found by hypothesis: x = [0, 1, 1, 44], n = [1, 1, 5, 49]).
    from scipy.stats import beta as beta_dist

    x_arr, n_arr = t["successes"].to_numpy(), t["trials"].to_numpy()
    median = beta_dist.median(s.alpha + x_arr, s.beta + n_arr - x_arr)
    lower, upper = t["lower"].to_numpy(), t["upper"].to_numpy()
    assert np.all(lower <= median * (1 + 1e-9) + 1e-300)
    assert np.all(median <= upper * (1 + 1e-9) + 1e-300)


def test_credible_interval_coverage_with_a_known_prior():
    """Simulation: units drawn from Beta(8, 2); the EB 90 % intervals cover ~90 %."""
    rng = np.random.default_rng(11)
    hits = total = 0
    for _ in range(20):
        k = 300
        n = rng.integers(5, 80, size=k)
        p = rng.beta(8.0, 2.0, size=k)
        x = rng.binomial(n, p)
        t = qs.shrink(x, n, confidence=0.9).table
        hits += int(np.sum((t["lower"].to_numpy() <= p) & (p <= t["upper"].to_numpy())))
        total += k
    assert 0.88 <= hits / total <= 0.92, hits / total


# --- bad input --------------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "n", "words"),
    [
        ([3, 4, 5], [10, 0, 10], ["trials[1]", "unit 'B'", "at least 1"]),
        ([3, 11, 5], [10, 10, 10], ["successes[1]", "unit 'B'", "at most its trials"]),
        ([3, float("nan"), 5], [10, 10, 10], ["successes[1]", "unit 'B'", "nan"]),
        ([3, 4, 5], [10, -10, 10], ["trials[1]", "unit 'B'", "non-negative"]),
        ([3, 4.5, 5], [10, 10, 10], ["successes[1]", "unit 'B'", "whole number"]),
        ([3], [10], ["at least 2 units"]),
        ([3, 4], [10, 10, 10], ["same length"]),
    ],
)
@pytest.mark.parametrize("fn", [qs.shrink, qs.rank_intervals])
def test_bad_counts_name_the_unit_and_the_argument(fn, x, n, words):
    labels = list("ABC")[: len(x)]
    with pytest.raises(ValueError) as e:
        fn(x, n, labels=labels)
    for w in words:
        assert w in str(e.value), (w, str(e.value))


@pytest.mark.parametrize("method", ["mle", "moments"])
def test_no_overdispersion_is_a_clear_error(method):
    # All units at one rate: nothing to estimate.
    with pytest.raises(ValueError, match="no over-dispersion"):
        qs.shrink([5, 10, 50], [10, 20, 100], method=method)
    # Binomial scatter only, around one rate.
    n = np.full(30, 100)
    x = np.tile([89, 90, 91], 10)
    with pytest.raises(ValueError, match="over-dispersion"):
        qs.shrink(x, n, method=method)


@pytest.mark.parametrize(
    "x, n",
    [([0, 0, 2], [1, 45, 2]), ([0, 0, 2], [1, 1, 2]), ([0, 7, 3, 0], [5, 7, 3, 9])],
)
def test_all_or_nothing_units_have_no_mle_prior(x, n):
    # Every unit at rate 0 or 1: the likelihood grows as alpha, beta -> 0 at a fixed
    # mean (checked here with scipy), so there is no beta prior to report. These
    # were found by the property test below; before the fix the fit stopped at
    # alpha ~ 1e-17 and returned NaN credible limits.
    from scipy.special import betaln

    def loglik(a, b):
        return sum(betaln(xi + a, ni - xi + b) - betaln(a, b) for xi, ni in zip(x, n, strict=True))

    m = sum(x) / sum(n)
    lls = [loglik(m * s, (1 - m) * s) for s in (10.0, 1.0, 0.1, 1e-3, 1e-6)]
    assert all(b >= a - 1e-12 for a, b in zip(lls, lls[1:], strict=False))
    with pytest.raises(ValueError, match="rate is 0 or 1"):
        qs.shrink(x, n, method="mle")


def test_all_zero_rates_and_other_options():
    with pytest.raises(ValueError, match="rate"):
        qs.shrink([0, 0, 0], [10, 20, 5])
    with pytest.raises(ValueError, match="method"):
        qs.shrink(RAT_Y, RAT_N, method="bayes")
    with pytest.raises(ValueError, match="confidence"):
        qs.shrink(RAT_Y, RAT_N, confidence=1.5)
    with pytest.raises(ValueError, match="labels"):
        qs.shrink(RAT_Y, RAT_N, labels=["a"])
    with pytest.raises(TypeError, match="method"):
        qs.shrink(RAT_Y, RAT_N, method=1)
    with pytest.raises(ValueError, match="prior"):
        qs.rank_intervals(RAT_Y, RAT_N, prior="flat")
    with pytest.raises(ValueError, match="draws"):
        qs.rank_intervals(RAT_Y, RAT_N, draws=0)
    with pytest.raises(ValueError, match="seed"):
        qs.rank_intervals(RAT_Y, RAT_N, seed=-1)


# --- rank intervals ---------------------------------------------------------


def test_rank_intervals_are_identical_for_any_thread_count():
    rng = np.random.default_rng(3)
    n = rng.integers(10, 200, size=300)
    x = rng.binomial(n, rng.beta(20, 4, size=300))
    before = qs.get_num_threads()
    try:
        qs.set_num_threads(1)
        one = qs.rank_intervals(x, n, draws=3000, seed=42)
        qs.set_num_threads(2)
        two = qs.rank_intervals(x, n, draws=3000, seed=42)
    finally:
        qs.set_num_threads(before)
    assert one.equals(two)
    other = qs.rank_intervals(x, n, draws=3000, seed=43)
    assert not one.equals(other)


def test_rank_frame_shape_and_invariants():
    k = 21
    rng = np.random.default_rng(8)
    n = rng.integers(10, 100, size=k)
    x = rng.binomial(n, rng.beta(10, 3, size=k))
    r = qs.rank_intervals(
        x, n, labels=[f"u{i}" for i in range(k)], draws=4000, seed=1, prior="jeffreys"
    )
    assert r.columns == [
        "label",
        "rank_median",
        "rank_lower",
        "rank_upper",
        "p_top_quarter",
        "p_bottom_quarter",
        "p_upper_half",
    ]
    assert r["label"].to_list()[0] == "u0"
    assert (r["rank_lower"] <= r["rank_median"]).all()
    assert (r["rank_median"] <= r["rank_upper"]).all()
    assert r["rank_lower"].min() >= 1 and r["rank_upper"].max() <= k
    # Every draw puts exactly floor(K/4) units in the top quarter, as many in
    # the bottom quarter, and floor(K/2) in the better half.
    assert r["p_top_quarter"].sum() == pytest.approx(k // 4, abs=1e-9)
    assert r["p_bottom_quarter"].sum() == pytest.approx(k // 4, abs=1e-9)
    assert r["p_upper_half"].sum() == pytest.approx(k // 2, abs=1e-9)
    # The best raw rate with most data ranks better than the worst.
    best, worst = int(np.argmax(x / n)), int(np.argmin(x / n))
    assert r["rank_median"][best] < r["rank_median"][worst]


def test_a_clearly_better_unit_with_huge_n_ranks_first():
    rng = np.random.default_rng(4)
    n = np.append(rng.integers(20, 100, size=40), 1_000_000)
    x = np.append(rng.binomial(n[:40], rng.beta(15, 5, size=40)), 999_000)
    for prior in ("eb", "jeffreys"):
        r = qs.rank_intervals(x, n, draws=2000, prior=prior)
        last = r.row(40, named=True)
        assert (last["rank_median"], last["rank_lower"], last["rank_upper"]) == (1, 1, 1)
        assert last["p_top_quarter"] == 1.0 and last["p_upper_half"] == 1.0
        assert last["p_bottom_quarter"] == 0.0


def test_rank_interval_coverage_with_a_known_prior():
    """Simulation: the true ranks (from the true rates) fall in the 90 % EB rank
    intervals about 90 % of the time or more (rank intervals are conservative
    as whole numbers)."""
    rng = np.random.default_rng(12)
    hits = total = 0
    for _ in range(6):
        k = 60
        n = rng.integers(20, 200, size=k)
        p = rng.beta(12.0, 3.0, size=k)
        x = rng.binomial(n, p)
        true_rank = (-p).argsort().argsort() + 1
        r = qs.rank_intervals(x, n, confidence=0.9, draws=2000, seed=7)
        lo, hi = r["rank_lower"].to_numpy(), r["rank_upper"].to_numpy()
        hits += int(np.sum((lo <= true_rank) & (true_rank <= hi)))
        total += k
    assert 0.86 <= hits / total <= 0.99, hits / total


def test_jeffreys_ranks_match_an_independent_numpy_simulation():
    """The rank probabilities agree with a numpy Monte Carlo to sampling error."""
    x = np.array([45, 18, 90, 30, 8])
    n = np.array([50, 20, 100, 40, 10])
    r = qs.rank_intervals(x, n, draws=20000, seed=3, prior="jeffreys")
    rng = np.random.default_rng(0)
    draws = rng.beta(x + 0.5, n - x + 0.5, size=(20000, 5))
    ranks = (-draws).argsort(axis=1).argsort(axis=1) + 1
    p_half = (ranks <= 5 / 2).mean(axis=0)
    p_top = (ranks <= 5 / 4).mean(axis=0)
    np.testing.assert_allclose(r["p_upper_half"], p_half, atol=0.015)
    np.testing.assert_allclose(r["p_top_quarter"], p_top, atol=0.015)
    med = np.array([int(np.quantile(ranks[:, i], 0.5, method="inverted_cdf")) for i in range(5)])
    assert np.abs(r["rank_median"].to_numpy() - med).max() <= 1


def test_rank_intervals_accept_polars_and_pandas_inputs():
    df = pl.DataFrame({"u": ["a", "b", "c", "d"], "x": [9, 40, 70, 5], "n": [10, 50, 100, 10]})
    r = qs.rank_intervals(df["x"], df["n"], labels=df["u"], draws=500, prior="jeffreys")
    assert r["label"].to_list() == ["a", "b", "c", "d"]


def test_eb_ranks_without_over_dispersion_point_to_jeffreys():
    with pytest.raises(ValueError, match="jeffreys"):
        qs.rank_intervals([5, 10, 50], [10, 20, 100])
    r = qs.rank_intervals([5, 10, 50], [10, 20, 100], prior="jeffreys", draws=200)
    assert r.height == 3


def test_plot_draws_every_unit_the_prior_mean_and_labels(monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.container import ErrorbarContainer

    monkeypatch.setattr(plt, "show", lambda *a, **k: pytest.fail("show() was called"))
    x, n = [12, 45, 3, 97, 30], [20, 50, 3, 100, 50]
    s = qs.shrink(x, n, labels=list("ABCDE"))
    a, b = s.alpha, s.beta
    mean = (np.array(x) + a) / (np.array(n) + a + b)
    order = np.argsort(-mean, kind="stable")

    ax = s.plot()
    (bars,) = [c for c in ax.containers if isinstance(c, ErrorbarContainer)]
    ys = bars.lines[0].get_ydata()
    assert len(bars.lines[0].get_xdata()) == 5
    # Filled posterior means top to bottom, highest first.
    top_down = np.argsort(-np.asarray(ys))
    np.testing.assert_allclose(np.asarray(bars.lines[0].get_xdata())[top_down], mean[order])
    assert [t.get_text() for t in ax.get_yticklabels()] == [list("ABCDE")[i] for i in order]
    # Raw rates as open markers on the same rows.
    (raw,) = [ln for ln in ax.lines if ln.get_label() == "raw rate"]
    assert raw.get_markerfacecolor() == "none"
    np.testing.assert_allclose(raw.get_xdata(), (np.array(x) / np.array(n))[order])
    np.testing.assert_array_equal(raw.get_ydata(), ys)
    # The prior mean as a vertical line.
    (prior,) = [ln for ln in ax.lines if ln.get_label().startswith("prior mean")]
    assert list(prior.get_xdata()) == [pytest.approx(a / (a + b))] * 2
    assert ax.get_xlabel() == "pass rate (fraction)"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "posterior mean and 95 % credible interval" in legend and "raw rate" in legend

    _, given_ax = plt.subplots()
    assert s.plot(given_ax, sort=False) is given_ax
    assert [t.get_text() for t in given_ax.get_yticklabels()] == list("ABCDE")
    unlabelled = qs.shrink(x, n, confidence="90%").plot(sort=False)
    assert [t.get_text() for t in unlabelled.get_yticklabels()] == ["0", "1", "2", "3", "4"]
    assert "posterior mean and 90 % credible interval" in [
        t.get_text() for t in unlabelled.get_legend().get_texts()
    ]
    plt.close("all")
