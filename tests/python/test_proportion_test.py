"""proportion_test against independent references: scipy.stats.binomtest (exact
binomial), scipy.stats.binom / hypergeom (mid-p and the finite-lot tests, summed here
from the probability mass functions), statsmodels' proportions_ztest (score test);
properties with hypothesis; bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import binom, binomtest, hypergeom, norm
from statsmodels.stats.proportion import proportions_ztest

import qualstat as qs

ALTERNATIVES = ("two-sided", "less", "greater")
RTOL = 1e-10
# Near the underflow threshold (values below ~1e-290) the last digits of both sides
# are subnormal noise; compare there in absolute terms.
ATOL = 1e-290


def _grid_counts(n: int) -> list[int]:
    xs = {0, 1, n // 3, n // 2, n - 1, n, *(int(v) for v in np.linspace(0, n, 13))}
    return sorted(v for v in xs if 0 <= v <= n)


P0_GRID = (1e-9, 1e-6, 1e-3, 0.01, 0.1, 1 / 3, 0.5, 0.7, 0.95, 0.999, 1 - 1e-6, 1 - 1e-9)
N_GRID = (1, 2, 3, 5, 10, 37, 100, 1000, 12_345, 100_000, 1_000_000)


@pytest.mark.parametrize("n", N_GRID)
def test_exact_matches_scipy_binomtest(n):
    """Every alternative, x from 0 to n, p0 near 0 and 1, n up to 10^6: 1e-10 relative."""
    x = np.array(_grid_counts(n))
    for p0 in P0_GRID:
        for alt in ALTERNATIVES:
            got = qs.proportion_test(x, n, p0, alternative=alt).p_value
            ref = np.array([binomtest(int(k), n, p0, alternative=alt).pvalue for k in x])
            np.testing.assert_allclose(got, ref, rtol=RTOL, atol=ATOL, err_msg=f"{n} {p0} {alt}")
            # The scalar path gives the same numbers.
            for k, g in zip(x[:3], got[:3], strict=False):
                t = qs.proportion_test(int(k), n, p0, alternative=alt)
                assert t.p_value == g
                assert t.statistic == k


def test_exact_two_sided_ties_use_scipys_relative_tolerance():
    """With p0 = 1/2 the two tails are equal in exact arithmetic; the 1e-7 relative
    tolerance keeps the mirror outcome in (scipy's rule), at any n."""
    for n in (10, 11, 1001, 100_000):
        for k in (0, 1, n // 4, n // 2 - 1):
            got = qs.proportion_test(k, n, 0.5).p_value
            assert got == pytest.approx(binomtest(k, n, 0.5).pvalue, rel=1e-12)
            assert got == pytest.approx(min(1.0, 2 * binom.cdf(k, n, 0.5)), rel=1e-12)


def _hyper_two_sided(xs, big_n, k, n):
    """Two-sided hypergeometric p-values by summing scipy's pmf over the support."""
    support = np.arange(max(0, n + k - big_n), min(n, k) + 1)
    pmf = hypergeom.pmf(support, big_n, k, n)
    out = []
    for x in xs:
        d = hypergeom.pmf(x, big_n, k, n)
        same = x * big_n == n * k
        out.append(1.0 if same else min(1.0, math.fsum(pmf[pmf <= d * (1 + 1e-7)])))
    return np.array(out)


def _binom_two_sided_mid(less, greater):
    return np.minimum(1.0, 2 * np.minimum(less, greater))


LOTS = (
    (10, 1, 1),
    (10, 5, 4),
    (50, 48, 20),
    (50, 25, 50),
    (200, 190, 80),
    (1000, 999, 300),
    (1000, 1, 999),
    (5000, 4750, 500),
    (100_000, 95_000, 2_000),
)


@pytest.mark.parametrize(("big_n", "k", "n"), LOTS)
def test_finite_lot_matches_scipy_hypergeom(big_n, k, n):
    p0 = k / big_n
    lo, hi = max(0, n + k - big_n), min(n, k)
    xs = sorted({lo, hi, (lo + hi) // 2, *(int(v) for v in np.linspace(lo, hi, 9))})
    x = np.array(xs)
    for alt in ALTERNATIVES:
        got = qs.proportion_test(x, n, p0, alternative=alt, population=big_n).p_value
        if alt == "less":
            ref = hypergeom.cdf(x, big_n, k, n)
        elif alt == "greater":
            ref = hypergeom.sf(x - 1, big_n, k, n)
        else:
            ref = _hyper_two_sided([int(v) for v in x], big_n, k, n)
        np.testing.assert_allclose(got, ref, rtol=RTOL, atol=ATOL, err_msg=f"{alt}")
        # Mid-p from the pmf.
        half = 0.5 * hypergeom.pmf(x, big_n, k, n)
        less = hypergeom.cdf(x - 1, big_n, k, n) + half
        greater = hypergeom.sf(x, big_n, k, n) + half
        mid = {"less": less, "greater": greater, "two-sided": _binom_two_sided_mid(less, greater)}
        got = qs.proportion_test(x, n, p0, alternative=alt, method="mid_p", lot_size=big_n)
        np.testing.assert_allclose(got.p_value, mid[alt], rtol=RTOL, atol=ATOL)
    # Score with the finite-population correction.
    with np.errstate(divide="ignore", invalid="ignore"):
        var = n * p0 * (1 - p0) * (big_n - n) / (big_n - 1)
        z = (x - n * p0) / np.sqrt(var)
    t = qs.proportion_test(x, n, p0, method="score", population=big_n, alternative="less")
    if n < big_n:
        np.testing.assert_allclose(t.statistic, z, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(t.p_value, norm.cdf(z), rtol=1e-9, atol=1e-300)


def test_finite_lot_of_the_whole_lot_is_certain():
    # Sampling the whole lot: x is n p0 with certainty.
    t = qs.proportion_test([25, 24], 50, 0.5, population=50)
    np.testing.assert_array_equal(t.p_value, [1.0, 0.0])
    s = qs.proportion_test([25, 24], 50, 0.5, population=50, method="score")
    np.testing.assert_array_equal(s.statistic, [0.0, -np.inf])
    np.testing.assert_array_equal(s.p_value, [1.0, 0.0])


@pytest.mark.parametrize("n", (1, 7, 60, 1000, 100_000))
def test_mid_p_matches_scipy_binom(n):
    x = np.array(_grid_counts(n))
    for p0 in (1e-6, 0.02, 0.5, 0.95, 1 - 1e-6):
        half = 0.5 * binom.pmf(x, n, p0)
        less = binom.cdf(x - 1, n, p0) + half
        greater = binom.sf(x, n, p0) + half
        refs = {"less": less, "greater": greater, "two-sided": _binom_two_sided_mid(less, greater)}
        for alt, ref in refs.items():
            got = qs.proportion_test(x, n, p0, method="mid_p", alternative=alt).p_value
            np.testing.assert_allclose(got, ref, rtol=RTOL, atol=ATOL, err_msg=f"{p0} {alt}")


@pytest.mark.parametrize("n", (1, 7, 60, 1000, 100_000))
def test_score_matches_statsmodels(n):
    x = np.array(_grid_counts(n))
    names = {"two-sided": "two-sided", "less": "smaller", "greater": "larger"}
    for p0 in (0.001, 0.3, 0.5, 0.95):
        for alt, sm_alt in names.items():
            t = qs.proportion_test(x, n, p0, method="score", alternative=alt)
            for k, z, p in zip(x, t.statistic, t.p_value, strict=True):
                z_ref, p_ref = proportions_ztest(
                    int(k), n, value=p0, alternative=sm_alt, prop_var=p0
                )
                assert z == pytest.approx(z_ref, rel=1e-12, abs=1e-12)
                assert p == pytest.approx(p_ref, rel=1e-9, abs=1e-300)


def test_score_is_dual_to_wilson_and_mid_p_to_the_mid_p_interval():
    for x, n in ((0, 10), (3, 10), (52, 60), (990, 1000)):
        for conf in (0.9, 0.95):
            lo, hi = qs.proportion_ci(x, n, method="wilson", confidence=conf)
            for limit in (lo, hi):
                if 0 < limit < 1:
                    p = qs.proportion_test(x, n, limit, method="score").p_value
                    assert p == pytest.approx(1 - conf, rel=1e-9)
            lo, hi = qs.proportion_ci(x, n, method="mid_p", confidence=conf)
            for limit in (lo, hi):
                if 0 < limit < 1:
                    p = qs.proportion_test(x, n, limit, method="mid_p").p_value
                    assert p == pytest.approx(1 - conf, rel=1e-8)


def test_published_example():
    """R's binom.test(682, 925, p = 0.75) (the classic Mendel example in R's help):
    two-sided p-value 0.3825."""
    t = qs.proportion_test(682, 925, 0.75)
    assert round(t.p_value, 4) == 0.3825
    assert t.statistic == 682


def test_vectorised_broadcasting_and_shapes():
    x = np.array([[3, 5], [7, 9]])
    t = qs.proportion_test(x, 10, [0.4, 0.6], alternative="greater")
    assert t.p_value.shape == (2, 2)
    for i in range(2):
        for j in range(2):
            s = qs.proportion_test(int(x[i, j]), 10, [0.4, 0.6][j], alternative="greater")
            assert t.p_value[i, j] == s.p_value
    np.testing.assert_array_equal(t.estimate, x / 10)
    np.testing.assert_array_equal(t.p0, [[0.4, 0.6], [0.4, 0.6]])
    # float64 counts, pandas and polars inputs, percent strings.
    import pandas as pd
    import polars as pl

    a = qs.proportion_test(pd.Series([3.0, 5.0]), pl.Series([10, 10]), "40%").p_value
    b = qs.proportion_test([3, 5], [10, 10], 0.4).p_value
    np.testing.assert_array_equal(a, b)
    empty = qs.proportion_test([], [], 0.5)
    assert empty.p_value.shape == (0,)


def test_thread_count_does_not_change_results():
    rng = np.random.default_rng(7)
    n = rng.integers(1, 5000, 20_000)
    x = rng.binomial(n, 0.9)
    before = qs.get_num_threads()
    try:
        qs.set_num_threads(1)
        one = qs.proportion_test(x, n, 0.92).p_value
        qs.set_num_threads(2)
        two = qs.proportion_test(x, n, 0.92).p_value
    finally:
        qs.set_num_threads(before)
    np.testing.assert_array_equal(one, two)


def test_repr_and_dict():
    t = qs.proportion_test(18, 20, 0.96, population=50, alternative="less")
    assert repr(t) == (
        "ProportionTest(p_value=0.1551, statistic=18.0, estimate=0.9, p0=0.96, "
        "method='exact', alternative='less', population=50)"
    )
    assert t.to_dict()["population"] == 50
    with pytest.raises(AttributeError):
        t.p_value = 0.5  # type: ignore[misc]


@settings(max_examples=200, deadline=None)
@given(
    n=st.integers(1, 3000),
    frac=st.floats(0, 1),
    p0=st.floats(1e-6, 1 - 1e-6),
    method=st.sampled_from(["exact", "mid_p", "score"]),
)
def test_properties(n, frac, p0, method):
    x = int(round(frac * n))
    p = {
        a: qs.proportion_test(x, n, p0, alternative=a, method=method).p_value for a in ALTERNATIVES
    }
    assert all(0.0 <= v <= 1.0 for v in p.values())
    if method == "exact":
        # Both one-sided tails include x.
        assert p["less"] + p["greater"] >= 1.0 - 1e-12
        # The two-sided p-value includes the tail on the observed side.
        assert p["two-sided"] >= min(p["less"], p["greater"]) * (1 - 1e-12)
    else:
        assert p["less"] + p["greater"] == pytest.approx(1.0, abs=1e-12)
        assert p["two-sided"] == pytest.approx(min(1.0, 2 * min(p["less"], p["greater"])))
    if x < n:
        # The less p-value grows with x.
        more = qs.proportion_test(x + 1, n, p0, alternative="less", method=method).p_value
        assert more >= p["less"] * (1 - 1e-12)


@pytest.mark.parametrize(
    ("kwargs", "error", "text"),
    [
        ({"successes": 5, "trials": 0, "p0": 0.5}, ValueError, "trials = 0 is invalid"),
        ({"successes": 6, "trials": 5, "p0": 0.5}, ValueError, "successes = 6 is invalid"),
        ({"successes": -1, "trials": 5, "p0": 0.5}, ValueError, "successes = -1"),
        ({"successes": 1.5, "trials": 5, "p0": 0.5}, ValueError, "successes = 1.5"),
        ({"successes": 1, "trials": 5, "p0": 0.0}, ValueError, "p0 = 0 is invalid"),
        ({"successes": 1, "trials": 5, "p0": 1.0}, ValueError, "p0 = 1 is invalid"),
        ({"successes": 1, "trials": 5, "p0": float("nan")}, ValueError, "p0 = NaN"),
        ({"successes": 1, "trials": 5, "p0": "95"}, TypeError, "p0 = '95' is invalid"),
        ({"successes": 1, "trials": 5, "p0": True}, TypeError, "p0"),
        ({"successes": 1, "trials": 5, "p0": 0.5, "method": "wilson"}, ValueError, "method ="),
        (
            {"successes": 1, "trials": 5, "p0": 0.5, "alternative": "up"},
            ValueError,
            "alternative =",
        ),
        ({"successes": 1, "trials": 5, "p0": 0.5, "method": 3}, TypeError, "method = 3"),
        (
            {"successes": 1, "trials": 5, "p0": 0.5, "population": 4},
            ValueError,
            "population = 4 is invalid",
        ),
        (
            {"successes": 1, "trials": 5, "p0": 0.55, "population": 10},
            ValueError,
            "p0 * population a whole number",
        ),
        (
            {"successes": 1, "trials": 5, "p0": 0.5, "population": 10, "lot_size": 12},
            ValueError,
            "two names for one argument",
        ),
        (
            {"successes": [1, 7], "trials": [5, 5], "p0": 0.5},
            ValueError,
            "successes[1] = 7 is invalid",
        ),
        (
            {"successes": [1, 2], "trials": [5, 5], "p0": [0.5, 1.5]},
            ValueError,
            "p0[1] = 1.5 is invalid",
        ),
        ({"successes": [1, 2], "trials": [5, 5, 5], "p0": 0.5}, ValueError, "incompatible shapes"),
        (
            {"successes": [1, 2], "trials": [5, 5], "p0": 0.33, "population": [10, 20]},
            ValueError,
            "p0[0] = 0.33 is invalid",
        ),
        (
            {"successes": np.ma.masked_array([1, 2], [0, 1]), "trials": 5, "p0": 0.5},
            TypeError,
            "masked",
        ),
    ],
)
def test_bad_input(kwargs, error, text):
    with pytest.raises(error) as info:
        qs.proportion_test(**kwargs)
    assert text in str(info.value)


def test_p0_within_1e_9_of_a_whole_count_is_rounded():
    a = qs.proportion_test(18, 20, 0.96 + 1e-12, population=50).p_value
    assert a == qs.proportion_test(18, 20, 0.96, population=50).p_value
