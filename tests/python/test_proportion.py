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


# --- issue 9: reproducers from the fuzzing pass, vocabulary, results ---------


def test_blaker_low_confidence_is_not_inverted():
    """proportion_ci(5, 36, confidence=0.05, method="blaker") gave 0.236 > 0.075."""
    ci = qs.proportion_ci(5, 36, confidence=0.05, method="blaker")
    assert ci.lower <= 5 / 36 <= ci.upper
    confidences = [1e-12, 1e-6, 0.01, 0.05, 0.1, 0.25, 0.5, 0.7, 0.9, 0.95]
    for n in [1, 2, 3, 7, 20, 36, 61]:
        x = np.arange(n + 1)
        previous = None
        for conf in confidences:
            lo, hi = qs.proportion_ci(x, np.full_like(x, n), confidence=conf, method="blaker")
            assert np.all(lo <= x / n) and np.all(x / n <= hi), (n, conf)
            cp = qs.proportion_ci(x, np.full_like(x, n), confidence=conf, method="exact")
            assert np.all(cp.lower <= lo + 1e-15) and np.all(hi <= cp.upper + 1e-15)
            if previous is not None:  # nested: a higher confidence gives a wider interval
                assert np.all(lo <= previous[0] + 1e-12) and np.all(previous[1] <= hi + 1e-12)
            previous = (lo, hi)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=1, max_value=400).flatmap(
        lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))
    ),
    st.floats(min_value=1e-9, max_value=0.5),
)
def test_blaker_contains_estimate_and_nests_at_low_confidence(xn, conf):
    x, n = xn
    ci = qs.proportion_ci(x, n, confidence=conf, method="blaker")
    wider = qs.proportion_ci(x, n, confidence=conf + (1 - conf) / 2, method="blaker")
    assert 0.0 <= ci.lower <= x / n <= ci.upper <= 1.0
    assert wider.lower <= ci.lower + 1e-12 and ci.upper <= wider.upper + 1e-12


CLOSED = ["wilson", "wald", "agresti_coull", "arcsine", "wilson_cc", "logit"]


@pytest.mark.parametrize("method", CLOSED + ["jeffreys", "exact", "mid_p", "blaker"])
def test_one_sided_bounds_at_tiny_confidence_are_finite_and_monotone(method):
    """One-sided bounds were NaN at confidence <= 1e-17 (z = -inf). A lower bound
    at confidence c is non-increasing in c; as c -> 0 it moves up to the top of
    its range (and an upper bound down), never to NaN."""
    for x, n in [(0, 10), (5, 36), (36, 36), (1, 10**6)]:
        previous_lower, previous_upper = 1.0, 0.0
        for conf in [5e-324, 1e-300, 1e-18, 1e-17, 1e-10, 0.3, 0.5, 0.8, 0.95, 0.999]:
            lower = qs.proportion_ci(x, n, confidence=conf, method=method, bound="lower")
            upper = qs.proportion_ci(x, n, confidence=conf, method=method, bound="upper")
            assert 0.0 <= lower.lower <= 1.0 and lower.upper == 1.0, (x, n, conf, lower)
            assert 0.0 <= upper.upper <= 1.0 and upper.lower == 0.0, (x, n, conf, upper)
            assert lower.lower <= previous_lower + 1e-12, (x, n, conf)
            assert upper.upper >= previous_upper - 1e-12, (x, n, conf)
            previous_lower, previous_upper = lower.lower, upper.upper
    # Two-sided score and Wald intervals shrink to the estimate as the confidence goes to 0.
    if method in ("wilson", "wald", "agresti_coull"):
        ci = qs.proportion_ci(5, 36, confidence=1e-300, method=method)
        assert ci.lower == pytest.approx(5 / 36, rel=1e-12) == ci.upper


def test_rate_with_a_subnormal_exposure_is_an_error():
    """rate_ci(1, 1e-310) was (inf, inf)."""
    with pytest.raises(ValueError, match=r"exposure = 1e-310 is invalid: .*larger units"):
        qs.rate_ci(1, 1e-310)
    with pytest.raises(ValueError, match=r"exposure\[1\] = 1e-310"):
        qs.rate_ci([1, 1], [1.0, 1e-310])
    # The lower bound alone is still finite there.
    assert qs.rate_ci(1, 1e-300).upper < np.inf


def test_fuzz_reproducers_give_clear_errors():
    with pytest.raises(TypeError, match=r"pass_rate = '0.9' is invalid.*percent"):
        qs.demonstration_sample_size("0.9", 0.95)
    assert qs.demonstration_sample_size("95%", 0.95) == 59
    with pytest.raises(TypeError, match="confidence"):
        qs.demonstration_sample_size(0.9, "0.95")
    with pytest.raises(TypeError, match="masked"):
        qs.proportion_ci(np.ma.masked_array([1, 2], mask=[0, 1]), 10)
    with pytest.raises(TypeError, match="masked"):
        qs.proportion_ci(np.ma.masked, 10)
    with pytest.raises(TypeError, match="masked"):
        qs.rate_ci(1, np.ma.masked_array([1.0, 2.0], mask=[0, 1]))
    for kwargs in ({"method": 5}, {"bound": 5}, {"method": None}):
        with pytest.raises(TypeError, match=f"{next(iter(kwargs))} = "):
            qs.proportion_ci(1, 10, **kwargs)
    with pytest.raises(TypeError, match="method = 5"):
        qs.proportion_diff_ci(1, 10, 1, 10, method=5)
    with pytest.raises(TypeError, match="method = 5"):
        qs.rate_ci(1, 10, method=5)
    with pytest.raises(TypeError, match="alternative = 2"):
        qs.proportion_diff_test(1, 10, 1, 10, alternative=2)
    # Integers too large for C: ValueError naming the argument and the range.
    big = 10**30
    with pytest.raises(ValueError, match=r"successes = 1000000000000000000000000000000 .*2\^53"):
        qs.proportion_ci(big, 10**31)
    with pytest.raises(ValueError, match=r"successes holds integers beyond 64 bits.*2\^53"):
        qs.proportion_ci([big], [10])
    with pytest.raises(ValueError, match=r"population = .* 2\^53"):
        qs.proportion_ci(5, 10, population=big)
    with pytest.raises(ValueError, match=r"count = .* 2\^53"):
        qs.rate_ci(big, 1)
    with pytest.raises(ValueError, match=r"exposure = .* range of a float"):
        qs.rate_ci(1, 10**400)
    with pytest.raises(ValueError, match=r"failures = .* at most 9007199254740992"):
        qs.demonstration_sample_size(0.9, 0.9, failures=big)
    with pytest.raises(ValueError, match=r"trials2 = .* 2\^53"):
        qs.proportion_diff_ci(1, 1, 1, big)
    with pytest.raises(ValueError, match="rows of equal length"):
        qs.proportion_ci([[1, 2], [3]], 10)


def test_messages_stay_short_for_long_arrays():
    """A long count array once gave a 3.8 MB message."""
    long = list(range(10**6))
    calls = [
        lambda: qs.proportion_ci(long, 5),
        lambda: qs.proportion_ci(5, 10, confidence=long),
        lambda: qs.proportion_ci(5, 10, bound=long),
        lambda: qs.demonstration_sample_size(0.9, 0.9, failures=long),
        lambda: qs.demonstration_sample_size(long, 0.9),
        lambda: qs.rate_ci(long, long[:3]),
        lambda: qs.proportion_diff_ci(long, long, long, "x"),
        lambda: qs.proportion_ci(np.full(10**6, 1e300), 10),
    ]
    for call in calls:
        with pytest.raises((TypeError, ValueError)) as info:
            call()
        assert len(str(info.value)) < 400, str(info.value)[:400]


def test_two_sample_vocabulary_and_aliases():
    ref = qs.proportion_diff_ci(56, 70, 48, 80)
    named = qs.proportion_diff_ci(successes1=56, trials1=70, successes2=48, trials2=80)
    alias = qs.proportion_diff_ci(x1=56, n1=70, x2=48, n2=80)
    assert ref == named == alias
    assert qs.proportion_diff_ci(56, 70, 48, 80, x1=56) == ref  # the same value twice is fine
    with pytest.raises(ValueError, match="successes1 = 56 and x1 = 55 are two names"):
        qs.proportion_diff_ci(56, 70, 48, 80, x1=55)
    with pytest.raises(TypeError, match=r"trials2 is required \(or its alias n2\)"):
        qs.proportion_diff_ci(56, 70, 48)
    t = qs.proportion_diff_test(x1=[56, 9], n1=[70, 10], x2=[48, 3], n2=[80, 10])
    assert t.p_value.shape == (2,)
    assert t.p_value[0] == qs.proportion_diff_test(56, 70, 48, 80).p_value


def test_population_and_lot_size_are_one_argument():
    a = qs.proportion_ci(12, 20, population=50)
    b = qs.proportion_ci(12, 20, lot_size=50)
    assert a == b and b.method == "exact"
    assert qs.proportion_ci(12, 20, population=50, lot_size=50) == a
    arrays = qs.proportion_ci([12, 3], [20, 5], lot_size=[50, 9])
    assert arrays.lower[0] == a.lower
    with pytest.raises(ValueError, match="population = 50 and lot_size = 60"):
        qs.proportion_ci(12, 20, population=50, lot_size=60)


def test_interval_result():
    ci = qs.proportion_ci(57, 60, method="exact", bound="lower")
    assert repr(ci) == (
        "Interval(lower=0.8758, upper=1.0, method='exact', confidence=0.95, bound='lower')"
    )
    lower, upper = ci
    assert (lower, upper) == (ci.lower, ci.upper) == tuple(ci)
    assert ci.to_dict() == {
        "lower": ci.lower,
        "upper": 1.0,
        "method": "exact",
        "confidence": 0.95,
        "bound": "lower",
    }
    frame = ci.to_frame()
    assert frame.columns == ["lower", "upper", "method", "confidence", "bound"]
    assert frame.row(0) == (ci.lower, 1.0, "exact", 0.95, "lower")
    arrays = qs.proportion_ci([[1, 2], [3, 4]], 10)
    assert arrays.to_frame().height == 4
    assert "array(" in repr(arrays) and "method='wilson'" in repr(arrays)
    with pytest.raises(AttributeError):
        ci.lower = 0.5  # type: ignore[misc]
    with pytest.raises(AttributeError):
        ci.method = "wald"  # type: ignore[misc]
    # Limits near 1 keep enough digits not to print as 1.
    near = qs.proportion_ci(10**6 - 1, 10**6, bound="lower")
    assert "lower=0.99999" in repr(near)
    # A bare interval (as other modules build it) has no method.
    bare = qs.Interval(0.1, 0.2)
    assert repr(bare) == "Interval(lower=0.1, upper=0.2)" and bare.method is None
    assert bare.to_frame().columns == ["lower", "upper"]
    import pickle

    again = pickle.loads(pickle.dumps(ci))
    assert again == ci and again.method == "exact"


def test_one_sided_difference_and_rate():
    two = qs.proportion_diff_ci(56, 70, 48, 80, confidence=0.90)
    lower = qs.proportion_diff_ci(56, 70, 48, 80, bound="lower")
    upper = qs.proportion_diff_ci(56, 70, 48, 80, bound="upper")
    assert lower.lower == pytest.approx(two.lower, rel=1e-14) and lower.upper == 1.0
    assert upper.upper == pytest.approx(two.upper, rel=1e-14) and upper.lower == -1.0
    arrays = qs.proportion_diff_ci([56, 9], [70, 10], [48, 3], [80, 10], bound="lower")
    assert arrays.lower[0] == lower.lower and list(arrays.upper) == [1.0, 1.0]
    r_two = qs.rate_ci(7, 100.0, confidence=0.90)
    r_lower = qs.rate_ci(7, 100.0, bound="lower")
    r_upper = qs.rate_ci(7, 100.0, bound="upper")
    assert r_lower.lower == pytest.approx(r_two.lower, rel=1e-14) and r_lower.upper == np.inf
    assert r_upper.upper == pytest.approx(r_two.upper, rel=1e-14) and r_upper.lower == 0.0
    batch = qs.rate_ci([7, 0], [100.0, 5.0], bound="upper", method="score")
    assert batch.upper[0] == qs.rate_ci(7, 100.0, bound="upper", method="score").upper


def test_difference_test_properties():
    # Zero variance: equal estimates give p = 1, different ones p = 0.
    same = qs.proportion_diff_test(0, 10, 0, 20, method="wald")
    assert (same.statistic, same.p_value) == (0.0, 1.0)
    apart = qs.proportion_diff_test(0, 10, 10, 10, method="wald")
    assert apart.statistic == -np.inf and apart.p_value == 0.0
    # One-sided p-values add up with the two-sided one.
    g = qs.proportion_diff_test(30, 50, 20, 50, alternative="greater")
    s = qs.proportion_diff_test(30, 50, 20, 50, alternative="less")
    t = qs.proportion_diff_test(30, 50, 20, 50)
    assert g.p_value + s.p_value == pytest.approx(1.0, abs=1e-15)
    assert t.p_value == pytest.approx(2 * min(g.p_value, s.p_value), rel=1e-14)
    with pytest.raises(ValueError, match=r"delta = 1 is invalid.*\(-1, 1\)"):
        qs.proportion_diff_test(1, 2, 1, 2, delta=1.0)
    with pytest.raises(ValueError, match='method = "newcombe" is not recognised'):
        qs.proportion_diff_test(1, 2, 1, 2, method="newcombe")
    with pytest.raises(ValueError, match=r"successes2\[1\] = 5"):
        qs.proportion_diff_test([1, 1], [2, 2], [1, 5], [2, 2])
