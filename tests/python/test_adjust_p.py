"""adjust_p against statsmodels' multipletests (to 1e-12), properties, bad input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.multitest import multipletests

import qualstat as qs

STATSMODELS = {
    "holm": "holm",
    "bonferroni": "bonferroni",
    "hochberg": "simes-hochberg",
    "bh": "fdr_bh",
    "by": "fdr_by",
}


def _reference(p, method):
    return multipletests(np.asarray(p, dtype=float), method=STATSMODELS[method])[1]


def _vectors():
    rng = np.random.default_rng(2026)
    yield np.array([0.3])
    yield np.array([0.0])
    yield np.array([1.0])
    yield np.array([0.0, 1.0, 0.5, 0.0, 1.0])
    yield np.array([0.01, 0.04, 0.03, 0.005])
    for size in (2, 3, 10, 57, 1000, 40_000, 100_000):
        yield rng.uniform(size=size)
        # Ties: rounded to two decimals, with many exact 0s and 1s.
        yield np.round(rng.uniform(size=size), 2)
        # Small p-values mixed with large ones, as when a few units are off target.
        yield np.concatenate([rng.uniform(0, 1e-4, size // 10 + 1), rng.uniform(size=size)])
        # Ties in the small p-values.
        yield np.repeat(rng.uniform(0, 0.05, size // 2 + 1), 2)[:size]


@pytest.mark.parametrize("method", sorted(STATSMODELS))
def test_matches_statsmodels_multipletests(method):
    for p in _vectors():
        got = qs.adjust_p(p, method=method)
        ref = _reference(p, method)
        np.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-15, err_msg=f"{p.size}")


def test_aliases_shapes_and_array_likes():
    p = np.array([[0.01, 0.2], [0.03, 0.04]])
    got = qs.adjust_p(p, method="fdr_bh")
    assert got.shape == (2, 2)
    np.testing.assert_allclose(got.ravel(), _reference(p.ravel(), "bh"), rtol=1e-12)
    for alias, method in (
        ("Benjamini-Hochberg", "bh"),
        ("FDR_BY", "by"),
        ("simes-hochberg", "hochberg"),
        ("HOLM", "holm"),
    ):
        np.testing.assert_array_equal(qs.adjust_p(p, alias), qs.adjust_p(p, method))
    import pandas as pd
    import polars as pl

    np.testing.assert_array_equal(
        qs.adjust_p(pd.Series([0.1, 0.2])), qs.adjust_p(pl.Series([0.1, 0.2]))
    )
    assert qs.adjust_p([]).shape == (0,)
    assert qs.adjust_p([0.2, 0.1], "holm").dtype == np.float64
    # The default is Holm.
    np.testing.assert_array_equal(qs.adjust_p([0.01, 0.02]), qs.adjust_p([0.01, 0.02], "holm"))


def test_thread_count_and_size_do_not_change_results():
    rng = np.random.default_rng(3)
    p = np.round(rng.uniform(size=200_000), 3)  # above the parallel-sort threshold, with ties
    before = qs.get_num_threads()
    try:
        qs.set_num_threads(1)
        one = qs.adjust_p(p, "bh")
        qs.set_num_threads(2)
        two = qs.adjust_p(p, "bh")
    finally:
        qs.set_num_threads(before)
    np.testing.assert_array_equal(one, two)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(st.floats(0, 1), st.sampled_from([0.0, 1.0, 0.05, 0.5])), min_size=1, max_size=60
    )
)
def test_properties(values):
    p = np.array(values)
    order = np.argsort(p, kind="stable")
    out = {m: qs.adjust_p(p, m) for m in STATSMODELS}
    for m, q in out.items():
        assert np.all(q >= p) and np.all(q <= 1.0), m
        # The adjustment keeps the order of the p-values; ties stay tied.
        assert np.all(np.diff(q[order]) >= 0), m
        for value in np.unique(p):
            assert np.unique(q[p == value]).size == 1, m
        if m != "holm":  # statsmodels' holm takes ~70 ms a call; the grid above covers it
            np.testing.assert_allclose(q, _reference(p, m), rtol=1e-12, atol=1e-15)
    assert np.all(out["hochberg"] <= out["holm"])
    assert np.all(out["holm"] <= out["bonferroni"])
    assert np.all(out["bh"] <= out["by"] * (1 + 1e-15))


@pytest.mark.parametrize(
    ("p", "error", "text"),
    [
        ([0.1, float("nan")], ValueError, "p_values[1] = NaN is invalid: expected a p-value in"),
        ([0.1, 0.2, 1.5], ValueError, "p_values[2] = 1.5 is invalid"),
        ([-0.0001], ValueError, "p_values[0] = -0.0001 is invalid"),
        ([float("inf")], ValueError, "p_values[0] = inf is invalid"),
        (["a"], TypeError, "p_values must hold numbers"),
        ([True, False], TypeError, "booleans"),
        (np.ma.masked_array([0.1, 0.2], [0, 1]), TypeError, "masked"),
    ],
)
def test_bad_input(p, error, text):
    with pytest.raises(error) as info:
        qs.adjust_p(p)
    assert text in str(info.value)


def test_bad_method():
    with pytest.raises(ValueError, match='method = "sidak" is not recognised: expected one of'):
        qs.adjust_p([0.1], "sidak")
    with pytest.raises(TypeError, match="method = 1 is invalid"):
        qs.adjust_p([0.1], 1)  # type: ignore[arg-type]
