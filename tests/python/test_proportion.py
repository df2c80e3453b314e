"""proportion_ci and friends: published examples, input handling, bad input,
properties (hypothesis) and coverage by simulation."""

from __future__ import annotations

import math
import multiprocessing as mp

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import qualstat as qs

METHODS = [
    "wald",
    "wilson",
    "wilson_cc",
    "agresti_coull",
    "jeffreys",
    "clopper_pearson",
    "mid_p",
    "likelihood_ratio",
    "arcsine",
    "logit",
    "blaker",
]

# Newcombe R.G. (1998), Two-sided confidence intervals for the single proportion:
# comparison of seven methods. Statistics in Medicine 17:857-872, Table II
# (95 % intervals, printed to 4 decimals).
NEWCOMBE_1998_SINGLE = {
    "wilson": {
        (81, 263): (0.2553, 0.3662),
        (15, 148): (0.0624, 0.1605),
        (0, 20): (0.0, 0.1611),
        (1, 29): (0.0061, 0.1718),
    },
    "clopper_pearson": {
        (81, 263): (0.2527, 0.3676),
        (15, 148): (0.0578, 0.1617),
        (0, 20): (0.0, 0.1684),
        (1, 29): (0.0009, 0.1776),
    },
    "mid_p": {
        (81, 263): (0.2544, 0.3658),
        (15, 148): (0.0601, 0.1581),
        (0, 20): (0.0, 0.1391),
        (1, 29): (0.0017, 0.1585),
    },
    "likelihood_ratio": {
        (81, 263): (0.2542, 0.3655),
        (15, 148): (0.0596, 0.1567),
        (0, 20): (0.0, 0.0916),
        (1, 29): (0.0020, 0.1432),
    },
}


@pytest.mark.parametrize("method", list(NEWCOMBE_1998_SINGLE))
def test_newcombe_1998_single_proportion(method):
    for (x, n), (lo, hi) in NEWCOMBE_1998_SINGLE[method].items():
        ci = qs.proportion_ci(x, n, method=method)
        assert round(ci.lower, 4) == lo and round(ci.upper, 4) == hi, (method, x, n, ci)


# Newcombe R.G. (1998), Interval estimation for the difference between independent
# proportions: comparison of eleven methods. Statistics in Medicine 17:873-890,
# Table II, method 10 (hybrid score), 95 %.
NEWCOMBE_1998_DIFF = {
    (56, 70, 48, 80): (0.0524, 0.3339),
    (9, 10, 3, 10): (0.1705, 0.8090),
    (6, 7, 2, 7): (0.0582, 0.8062),
    (5, 56, 0, 29): (-0.0381, 0.1926),
    (0, 10, 0, 20): (-0.1611, 0.2775),
    (10, 10, 0, 20): (0.6791, 1.0000),
}


def test_newcombe_1998_difference_hybrid_score():
    for counts, (lo, hi) in NEWCOMBE_1998_DIFF.items():
        ci = qs.proportion_diff_ci(*counts)
        assert round(ci.lower, 4) == lo and round(ci.upper, 4) == hi, (counts, ci)
    # Same paper, method 6 (Miettinen-Nurminen), example (a).
    ci = qs.proportion_diff_ci(56, 70, 48, 80, method="miettinen_nurminen")
    assert (round(ci.lower, 4), round(ci.upper, 4)) == (0.0528, 0.3382)


def test_success_run_examples():
    assert qs.demonstration_sample_size(0.95, 0.95) == 59
    assert qs.demonstration_sample_size(0.90, 0.90) == 22
    assert qs.demonstration_sample_size(0.99, 0.95) == 299
    n = qs.demonstration_sample_size(0.999, 0.90)
    assert n == math.ceil(math.log(0.1) / math.log(0.999))


def test_array_likes_and_shapes():
    x = [[0, 5], [10, 3]]
    n = [[10, 10], [10, 7]]
    lo, hi = qs.proportion_ci(x, n)
    assert lo.shape == (2, 2) and hi.dtype == np.float64
    flat = qs.proportion_ci(np.ravel(x), np.ravel(n))
    assert np.array_equal(flat.lower, lo.ravel())
    # Broadcasting a scalar n; pandas and polars Series; float counts holding integers.
    b = qs.proportion_ci(np.array([0, 5, 10]), 10)
    s_pd = qs.proportion_ci(pd.Series([0, 5, 10]), pd.Series([10, 10, 10]))
    s_pl = qs.proportion_ci(pl.Series([0, 5, 10]), pl.Series([10, 10, 10]))
    s_f = qs.proportion_ci(np.array([0.0, 5.0, 10.0]), np.array([10.0, 10.0, 10.0]))
    s_i32 = qs.proportion_ci(np.array([0, 5, 10], np.int32), np.array([10, 10, 10], np.uint16))
    for other in (s_pd, s_pl, s_f, s_i32):
        assert np.array_equal(other.lower, b.lower) and np.array_equal(other.upper, b.upper)
    empty = qs.proportion_ci(np.array([], int), np.array([], int))
    assert empty.lower.shape == (0,)
    # numpy scalars are scalars.
    one = qs.proportion_ci(np.int64(5), np.int64(10))
    assert isinstance(one.lower, float)
    assert one == qs.proportion_ci(5, 10)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"successes": 11, "trials": 10}, r"successes = 11 is invalid.*\[0, 10\]"),
        ({"successes": -1, "trials": 10}, "successes = -1"),
        ({"successes": 1, "trials": 0}, "trials = 0"),
        ({"successes": 1.5, "trials": 10}, "successes = 1.5"),
        ({"successes": float("nan"), "trials": 10}, "successes = NaN"),
        ({"successes": 1, "trials": float("inf")}, "trials = inf"),
        ({"successes": 1, "trials": 10, "confidence": 1.0}, r"confidence = 1 .*\(0, 1\)"),
        ({"successes": 1, "trials": 10, "confidence": 0.0}, "confidence = 0"),
        ({"successes": 1, "trials": 10, "confidence": float("nan")}, "confidence = NaN"),
        ({"successes": 1, "trials": 10, "method": "foo"}, r'method = "foo".*"wilson"'),
        ({"successes": 1, "trials": 10, "bound": "left"}, r'bound = "left".*"lower"'),
        ({"successes": 1, "trials": 10, "population": 5}, "population = 5"),
        ({"successes": [1, 2], "trials": [3, 4, 5]}, "incompatible shapes"),
        ({"successes": [1, 20], "trials": [3, 4]}, r"successes\[1\] = 20"),
        ({"successes": [1, -2], "trials": [3, 4]}, r"successes\[1\] = -2"),
        ({"successes": [1.0, np.nan], "trials": [3, 4]}, r"successes\[1\] = NaN"),
        ({"successes": [1, 2], "trials": [3, 0]}, r"trials\[1\] = 0"),
        ({"successes": [1, 2], "trials": [3, 4], "population": [3, 3]}, r"population\[1\] = 3"),
        ({"successes": 1, "trials": 10, "population": 20, "method": "wald"}, "not available"),
    ],
)
def test_bad_input_raises_value_error_naming_the_argument(kwargs, match):
    with pytest.raises(ValueError, match=match):
        qs.proportion_ci(**kwargs)


def test_bad_input_types_raise_type_error():
    with pytest.raises(TypeError):
        qs.proportion_ci("5", 10)
    with pytest.raises(TypeError):
        qs.proportion_ci(True, 10)
    with pytest.raises(TypeError):
        qs.proportion_ci([1, 2], ["a", "b"])
    with pytest.raises(TypeError):
        qs.proportion_ci(1, 10, method=3)


def test_bad_input_other_functions():
    with pytest.raises(ValueError, match=r"successes1 = 5 is invalid"):
        qs.proportion_diff_ci(5, 4, 1, 2)
    with pytest.raises(ValueError, match=r"trials2 = 0"):
        qs.proportion_diff_ci(1, 4, 0, 0)
    with pytest.raises(ValueError, match="method"):
        qs.proportion_diff_ci(1, 4, 1, 2, method="score")
    with pytest.raises(ValueError, match=r"exposure = 0"):
        qs.rate_ci(1, 0)
    with pytest.raises(ValueError, match=r"exposure\[1\] = -1"):
        qs.rate_ci([1, 2], [1.0, -1.0])
    with pytest.raises(ValueError, match=r"count = -1"):
        qs.rate_ci(-1, 10)
    with pytest.raises(ValueError, match="pass_rate = 1"):
        qs.demonstration_sample_size(1.0, 0.9)
    with pytest.raises(ValueError, match="confidence = 1.5"):
        qs.demonstration_sample_size(0.9, 1.5)
    with pytest.raises(ValueError, match="failures = -1"):
        qs.demonstration_sample_size(0.9, 0.9, failures=-1)
    with pytest.raises(ValueError, match="threads = 0"):
        qs.set_num_threads(0)


def test_native_batch_checks_its_output_arrays():
    """The batch bindings fill arrays the Python layer allocates; a wrong
    length or a read-only array is an error, never a write out of bounds."""
    from qualstat import _qualstat

    x = np.array([1, 2, 3], dtype=np.int64)
    n = np.array([10, 10, 10], dtype=np.int64)
    lo, hi = np.empty(3), np.empty(3)
    _qualstat._proportion_ci_batch(x, n, 0.95, "clopper_pearson", "two-sided", lo, hi)
    # Against the scalar binding, which does not go through the output arrays.
    ref = [
        qs.proportion_ci(int(a), int(b), method="clopper_pearson")
        for a, b in zip(x, n, strict=True)
    ]
    assert lo.tolist() == [r.lower for r in ref] and hi.tolist() == [r.upper for r in ref]
    with pytest.raises(ValueError, match="lower"):
        _qualstat._proportion_ci_batch(x, n, 0.95, "wilson", "two-sided", np.empty(2), hi)
    with pytest.raises(ValueError, match="upper"):
        _qualstat._proportion_ci_batch(x, n, 0.95, "jeffreys", "two-sided", lo, np.empty(4))
    frozen = np.empty(3)
    frozen.flags.writeable = False
    with pytest.raises(Exception, match="(?i)writeable|readonly|borrow"):
        _qualstat._proportion_ci_batch(x, n, 0.95, "wilson", "two-sided", lo, frozen)


def test_boundary_conventions():
    for method in ["clopper_pearson", "mid_p", "likelihood_ratio", "jeffreys", "blaker", "wilson"]:
        assert qs.proportion_ci(0, 17, method=method).lower == 0.0
        assert qs.proportion_ci(17, 17, method=method).upper == 1.0
    assert qs.proportion_ci(3, 10, bound="lower").upper == 1.0
    assert qs.proportion_ci(3, 10, bound="upper").lower == 0.0
    # The one-sided bound at 95 % is the two-sided limit at 90 %.
    for method in ["wilson", "clopper_pearson", "jeffreys", "mid_p", "likelihood_ratio"]:
        one = qs.proportion_ci(3, 10, method=method, bound="lower")
        two = qs.proportion_ci(3, 10, method=method, confidence=0.90)
        assert one.lower == pytest.approx(two.lower, rel=1e-14)


counts = st.integers(min_value=1, max_value=10**6).flatmap(
    lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))
)
confidences = st.floats(min_value=0.5, max_value=0.9999)


@settings(max_examples=150, deadline=None)
@given(counts, confidences, st.sampled_from(METHODS))
def test_interval_contains_estimate_and_nests(xn, conf, method):
    x, n = xn
    ci = qs.proportion_ci(x, n, confidence=conf, method=method)
    wider = qs.proportion_ci(x, n, confidence=min(0.99999, conf + (1 - conf) / 2), method=method)
    assert 0.0 <= ci.lower <= ci.upper <= 1.0
    p = x / n
    if method != "arcsine" or 0 < x < n:
        assert ci.lower <= p + 1e-12 and p - 1e-12 <= ci.upper
    assert wider.lower <= ci.lower + 1e-12 and ci.upper <= wider.upper + 1e-12


@settings(max_examples=30, deadline=None)
@given(st.lists(counts, min_size=1, max_size=50), st.sampled_from(METHODS))
def test_batch_equals_scalar(pairs, method):
    x = np.array([p[0] for p in pairs])
    n = np.array([p[1] for p in pairs])
    lo, hi = qs.proportion_ci(x, n, method=method, bound="two-sided")
    for i, (xi, ni) in enumerate(pairs):
        s = qs.proportion_ci(xi, ni, method=method)
        assert (s.lower, s.upper) == (lo[i], hi[i])


@pytest.mark.parametrize("method", ["clopper_pearson", "blaker"])
@pytest.mark.parametrize("p", [0.02, 0.3, 0.9])
def test_exact_methods_cover_at_least_the_nominal_level(method, p):
    rng = np.random.default_rng(42)
    n = 40
    x = rng.binomial(n, p, 4000)
    lo, hi = qs.proportion_ci(x, np.full_like(x, n), method=method, confidence=0.9)
    coverage = np.mean((lo <= p) & (p <= hi))
    # Exact coverage is >= 0.90 for every p; 4000 draws: 3 standard errors ~ 0.014.
    assert coverage >= 0.90 - 0.014


def test_one_sided_exact_bound_covers():
    rng = np.random.default_rng(5)
    p, n = 0.93, 60
    x = rng.binomial(n, p, 4000)
    lo, _ = qs.proportion_ci(x, np.full_like(x, n), method="exact", bound="lower")
    assert np.mean(lo <= p) >= 0.95 - 0.011


def test_pass_rates_polars_and_pandas():
    data = {
        "region": ["N", "N", "S", "S", "S"],
        "product": ["a", "b", "a", "a", "b"],
        "ok": [48, 50, 30, 10, 0],
        "n": [50, 50, 40, 10, 5],
    }
    out = qs.pass_rates(pl.DataFrame(data), passed="ok", inspected="n", by="region")
    assert out.columns == ["region", "passed", "inspected", "rate", "lower", "upper"]
    assert out.rows()[1][:4] == ("S", 40, 55, 40 / 55)
    ci = qs.proportion_ci(40, 55)
    assert out["lower"][1] == ci.lower and out["upper"][1] == ci.upper
    out_pd = qs.pass_rates(pd.DataFrame(data), passed="ok", inspected="n", by=["region", "product"])
    assert out_pd.height == 4
    total = qs.pass_rates(pd.DataFrame(data), passed="ok", inspected="n", method="exact")
    assert total.rows()[0][:2] == (138, 155)
    with pytest.raises(ValueError, match="columns"):
        qs.pass_rates(pl.DataFrame(data), passed="passed", inspected="n")


def _child_interval(_):
    return float(qs.proportion_ci(np.array([5, 6]), np.array([10, 10])).lower[0])


def test_threads_and_fork():
    before = qs.get_num_threads()
    qs.set_num_threads(1)
    one = qs.proportion_ci(np.arange(100), np.full(100, 200), method="exact")
    qs.set_num_threads(2)
    two = qs.proportion_ci(np.arange(100), np.full(100, 200), method="exact")
    assert np.array_equal(one.lower, two.lower)
    qs.set_num_threads(before)
    # Use the pool in the parent, then in forked children.
    qs.proportion_ci(np.arange(10), np.full(10, 20))
    ctx = mp.get_context("fork")
    with ctx.Pool(2) as pool:
        out = pool.map(_child_interval, range(4))
    assert out == [qs.proportion_ci(5, 10).lower] * 4
