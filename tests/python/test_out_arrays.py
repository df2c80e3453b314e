"""``out=`` on the batch interval functions: the same numbers, written in place."""

from __future__ import annotations

import numpy as np
import pytest

import qualstat as qs

RNG = np.random.default_rng(4)
N = RNG.integers(1, 500, 1000)
X = RNG.binomial(N, 0.9)


@pytest.mark.parametrize("method", ["wilson", "exact", "jeffreys"])
def test_proportion_ci_out_is_filled_in_place_with_the_same_numbers(method):
    lower, upper = np.full(X.shape, np.nan), np.full(X.shape, np.nan)
    ci = qs.proportion_ci(X, N, method=method, out=(lower, upper))
    assert ci.lower is lower or np.shares_memory(ci.lower, lower)
    ref = qs.proportion_ci(X, N, method=method)
    np.testing.assert_array_equal(lower, ref.lower)
    np.testing.assert_array_equal(upper, ref.upper)
    # Reused: a second call overwrites.
    qs.proportion_ci(X // 2, N, method=method, out=(lower, upper))
    np.testing.assert_array_equal(lower, qs.proportion_ci(X // 2, N, method=method).lower)


def test_two_dimensional_and_finite_population_and_scalar_out():
    x, n = X[:12].reshape(3, 4), N[:12].reshape(3, 4)
    lo, hi = np.empty((3, 4)), np.empty((3, 4))
    qs.proportion_ci(x, n, out=(lo, hi))
    np.testing.assert_array_equal(lo, qs.proportion_ci(x, n).lower)
    lo1, hi1 = np.empty(12), np.empty(12)
    qs.proportion_ci(X[:12], N[:12], population=N[:12] + 50, out=(lo1, hi1))
    np.testing.assert_array_equal(
        hi1, qs.proportion_ci(X[:12], N[:12], population=N[:12] + 50).upper
    )
    lo0, hi0 = np.empty(()), np.empty(())
    qs.proportion_ci(57, 60, out=(lo0, hi0))
    assert float(lo0) == qs.proportion_ci(57, 60).lower


def test_rate_ci_and_diff_ci_out():
    lo, hi = np.empty(1000), np.empty(1000)
    qs.rate_ci(X, N.astype(float), out=(lo, hi))
    np.testing.assert_array_equal(hi, qs.rate_ci(X, N.astype(float)).upper)
    qs.proportion_diff_ci(X, N, X[::-1], N[::-1], out=(lo, hi))
    ref = qs.proportion_diff_ci(X, N, X[::-1], N[::-1])
    np.testing.assert_array_equal(lo, ref.lower)
    lo0, hi0 = np.empty(()), np.empty(())
    qs.proportion_diff_ci(56, 70, 48, 80, out=(lo0, hi0))
    assert float(lo0) == qs.proportion_diff_ci(56, 70, 48, 80).lower


@pytest.mark.parametrize(
    "out, words",
    [
        ((np.empty(999), np.empty(1000)), "shape"),
        ((np.empty(1000, dtype=np.float32), np.empty(1000)), "float64"),
        ((np.empty(2000)[::2], np.empty(1000)), "contiguous"),
        (np.empty(1000), "pair"),
        (([0.0] * 1000, np.empty(1000)), "numpy array"),
    ],
)
def test_bad_out_is_a_clear_error(out, words):
    with pytest.raises((ValueError, TypeError), match=words):
        qs.proportion_ci(X, N, out=out)


def test_out_may_not_alias_itself_or_an_input():
    a = np.empty(1000)
    with pytest.raises(ValueError, match="share memory"):
        qs.proportion_ci(X, N, out=(a, a))
    xf, nf = X.astype(float), N.astype(float)
    with pytest.raises(ValueError, match="shares memory with an input"):
        qs.proportion_ci(xf, nf, out=(xf, np.empty(1000)))
    ro = np.empty(1000)
    ro.flags.writeable = False
    with pytest.raises(ValueError, match="writeable"):
        qs.proportion_ci(X, N, out=(ro, np.empty(1000)))
