"""qs.funnel against the published PHE funnel and independent scipy/numpy computations."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import qualstat as qs

DATA = Path(__file__).resolve().parents[2] / "reference" / "datasets"


def _read(name: str) -> pl.DataFrame:
    return pl.read_csv(DATA / name, comment_prefix="#")


@pytest.fixture(scope="module")
def phe() -> qs.Funnel:
    inputs = _read("supervision_phe_funnel_prop_inputs.csv")
    return qs.funnel(
        inputs["numerator"], inputs["denominator"], labels=inputs["Area"], limits="score"
    )


def test_phe_classes_every_row(phe: qs.Funnel) -> None:
    inputs = _read("supervision_phe_funnel_prop_inputs.csv")
    assert phe.table["label"].to_list() == inputs["Area"].to_list()
    got = phe.table["class"].to_list()
    want = inputs["significance"].to_list()
    for area, g, w in zip(inputs["Area"].to_list(), got, want, strict=True):
        assert g == w, area
    assert len(got) == 303


def test_phe_published_limits_every_row(phe: qs.Funnel) -> None:
    out = _read("supervision_phe_funnel_prop_outputs.csv")
    assert abs(100 * phe.target - out["Baseline"][0]) < 1e-6
    for row in out.iter_rows(named=True):
        n = row["Population"]
        lo95, up95 = phe.limits(n, 0.95)
        lo998, up998 = phe.limits(n, "99.8%")
        assert abs(100 * lo95 - row["Lower2s0025limit"]) < 1e-6, n
        assert abs(100 * up95 - row["Upper2s0025limit"]) < 1e-6, n
        assert abs(100 * lo998 - row["Lower3s0001limit"]) < 1e-6, n
        assert abs(100 * up998 - row["Upper3s0001limit"]) < 1e-6, n
    # array n gives arrays, identical to the scalar calls
    lo, up = phe.limits(out["Population"].to_numpy(), 0.95)
    assert isinstance(lo, np.ndarray) and lo.shape == (out.height,)
    np.testing.assert_allclose(100 * lo, out["Lower2s0025limit"].to_numpy(), atol=1e-6)
    np.testing.assert_allclose(100 * up, out["Upper2s0025limit"].to_numpy(), atol=1e-6)


def _reference_dispersion(
    x: np.ndarray, n: np.ndarray, theta: float, arcsine: bool, wins: float, trim: bool
) -> tuple[np.ndarray, np.ndarray, float, float]:
    """From the notes section 6.3, written independently of the package."""
    p = x / n
    if arcsine:
        s = 1 / (2 * np.sqrt(n))
        z = (np.arcsin(np.sqrt(p)) - np.arcsin(np.sqrt(theta))) / s
    else:
        s = np.sqrt(theta * (1 - theta) / n)
        z = (p - theta) / s
    q_lo = np.percentile(z, 100 * wins, method="linear")
    q_hi = np.percentile(z, 100 * (1 - wins), method="linear")
    if trim:
        keep = (z >= q_lo) & (z <= q_hi)
        zz, ss = z[keep], s[keep]
    else:
        zz, ss = np.minimum(np.maximum(z, q_lo), q_hi), s
    k = len(zz)
    phi = float(np.sum(zz**2) / k)
    w = 1 / ss**2
    tau2 = max(0.0, (k * phi - (k - 1)) / (w.sum() - (w**2).sum() / w.sum()))
    return z, s, phi, tau2


@pytest.mark.parametrize("trim", [False, True])
def test_dispersion_of_many_units_against_numpy(trim: bool) -> None:
    """phi and tau2 (estimated in the native pass, over chunks of 4096 units in
    parallel) against numpy on 20,000 units."""
    rng = np.random.default_rng(17)
    n = rng.integers(5, 500, size=20_000).astype(float)
    x = rng.binomial(n.astype(int), rng.beta(30.0, 3.0, n.size)).astype(float)
    theta = x.sum() / n.sum()
    for limits in ("score", "arcsine", "exact"):
        z, s, phi, tau2 = _reference_dispersion(x, n, theta, limits == "arcsine", 0.1, trim)
        f = qs.funnel(x, n, limits=limits, trim=trim)
        assert math.isclose(f.phi, phi, rel_tol=1e-12) and math.isclose(f.tau2, tau2, rel_tol=1e-10)
        np.testing.assert_allclose(f.table["z"].to_numpy(), z, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("limits", ["score", "arcsine"])
@pytest.mark.parametrize("trim", [False, True])
@pytest.mark.parametrize("wins", [0.1, 0.05, 0.0])
def test_overdispersion_against_numpy(limits: str, trim: bool, wins: float) -> None:
    rng = np.random.default_rng(7)
    n = rng.integers(20, 2000, size=60).astype(float)
    p = np.clip(rng.normal(0.9, 0.04, size=60), 0.5, 0.999)
    x = rng.binomial(n.astype(int), p).astype(float)
    arcsine = limits == "arcsine"
    theta = x.sum() / n.sum()
    z, s, phi, tau2 = _reference_dispersion(x, n, theta, arcsine, wins, trim)
    assert phi > 1.5 and tau2 > 0
    for od in (None, "multiplicative", "additive"):
        f = qs.funnel(x, n, limits=limits, overdispersion=od, winsorize=wins, trim=trim)
        assert math.isclose(f.target, theta, rel_tol=1e-14)
        assert math.isclose(f.phi, phi, rel_tol=1e-10)
        assert math.isclose(f.tau2, tau2, rel_tol=1e-10)
        np.testing.assert_allclose(f.table["z"].to_numpy(), z, rtol=1e-10, atol=1e-12)
        for level in (0.95, 0.998):
            zq = stats.norm.ppf(1 - (1 - level) / 2)
            se = s * (math.sqrt(phi) if od == "multiplicative" else 1.0)
            if od == "additive":
                se = np.sqrt(s**2 + tau2)
            if arcsine:
                base = np.arcsin(np.sqrt(theta))
                lo = np.sin(np.clip(base - zq * se, 0, np.pi / 2)) ** 2
                up = np.sin(np.clip(base + zq * se, 0, np.pi / 2)) ** 2
            else:
                lo = np.clip(theta - zq * se, 0, 1)
                up = np.clip(theta + zq * se, 0, 1)
            np.testing.assert_allclose(f.table[f"lower_{level}"].to_numpy(), lo, atol=1e-12)
            np.testing.assert_allclose(f.table[f"upper_{level}"].to_numpy(), up, atol=1e-12)


def _spiegelhalter(n: int, theta: float, prob: float) -> float:
    """Spiegelhalter (2005) App. A.1.1 interpolated binomial quantile, via scipy."""
    r = int(stats.binom.ppf(prob, n, theta))
    while stats.binom.cdf(r, n, theta) < prob:  # guard against ppf rounding
        r += 1
    while r > 0 and stats.binom.cdf(r - 1, n, theta) >= prob:
        r -= 1
    f_r = stats.binom.cdf(r, n, theta)
    f_prev = stats.binom.cdf(r - 1, n, theta) if r > 0 else 0.0
    a = (f_r - prob) / (f_r - f_prev)
    return min(1.0, max(0.0, (r - a) / n))


@pytest.mark.parametrize("theta", [0.05, 0.3, 0.9, 0.97])
def test_exact_limits_against_scipy(theta: float) -> None:
    f = qs.funnel([1, 2], [10, 10], target=theta, limits="exact")
    ns = np.array([1, 2, 5, 17, 50, 123, 500, 2000, 10_000])
    for level in (0.95, 0.998):
        lo, up = f.limits(ns, level)
        tail = (1 - level) / 2
        for i, m in enumerate(ns):
            assert abs(lo[i] - _spiegelhalter(int(m), theta, tail)) < 1e-9, (m, level)
            assert abs(up[i] - _spiegelhalter(int(m), theta, 1 - tail)) < 1e-9, (m, level)


def test_exact_table_and_classes() -> None:
    x = [45, 90, 170, 20, 480]
    n = [50, 100, 200, 40, 500]
    f = qs.funnel(x, n, target=0.85, limits="exact", labels=list("ABCDE"))
    t = f.table
    for i in range(5):
        lo = _spiegelhalter(n[i], 0.85, 0.025)
        up = _spiegelhalter(n[i], 0.85, 0.975)
        assert abs(t["lower_0.95"][i] - lo) < 1e-9
        assert abs(t["upper_0.95"][i] - up) < 1e-9
    assert t["class"][3] == "Low (0.001)"
    assert t["class"][4] == "High (0.001)"


@settings(max_examples=60, deadline=None)
@given(
    theta=st.floats(0.01, 0.99),
    n=st.integers(1, 5000),
    limits=st.sampled_from(["score", "exact", "arcsine"]),
)
def test_limits_nest_around_target(theta: float, n: int, limits: str) -> None:
    f = qs.funnel([1, 2], [10, 10], target=theta, limits=limits)
    lo95, up95 = f.limits(n, 0.95)
    lo998, up998 = f.limits(n, 0.998)
    assert 0.0 <= lo998 <= lo95 + 1e-12
    assert up95 <= up998 + 2e-12 <= 1.0 + 2e-12
    if limits != "exact" or n * theta * (1 - theta) >= 1:
        assert lo95 <= theta + 1e-12 <= up95 + 2e-12


def test_exact_limits_at_tiny_expected_counts_follow_the_interpolation() -> None:
    # Found by the property test above: with n = 1 and a target of 0.984375 the
    # 97.5 % quantile of Bin(1, theta) is r = 1, and Spiegelhalter's interpolation
    # (r - a) / n with a = (F(r) - 0.975) / (F(r) - F(r - 1)) puts the upper 95 %
    # limit below the target. The method is kept as published (and documented).
    theta = 0.984375
    f = qs.funnel([1, 2], [10, 10], target=theta, limits="exact")
    _, up = f.limits(1, 0.95)
    f0 = 1 - theta  # F(0) for Bin(1, theta); F(1) = 1
    a = (1.0 - 0.975) / (1.0 - f0)
    assert abs(up - (1 - a)) < 1e-12
    assert up < theta


def test_plot_repr_html() -> None:
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    f = qs.funnel([45, 90, 170, 20], [50, 100, 200, 40], labels=list("ABCD"))
    ax = f.plot()
    texts = [t.get_text() for t in ax.texts]
    assert texts == ["D"]
    assert "Funnel(4 units" in repr(f)
    assert "<table" in f._repr_html_() or "<div" in f._repr_html_()
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"successes": [1, 2], "trials": [0, 3]}, ValueError, r"trials\[0\] \(unit 'A'\) = 0"),
        ({"successes": [4, 2], "trials": [3, 3]}, ValueError, r"successes\[0\] \(unit 'A'\)"),
        ({"successes": [-1, 2], "trials": [3, 3]}, ValueError, r"successes\[0\]"),
        ({"successes": [float("nan"), 2], "trials": [3, 3]}, ValueError, r"successes\[0\]"),
        ({"limits": "poisson"}, ValueError, "limits = 'poisson' is not recognised"),
        ({"overdispersion": "both"}, ValueError, "overdispersion = 'both'"),
        ({"target": 1.5}, ValueError, "target = 1.5 is invalid"),
        ({"target": 0}, ValueError, "target = 0 is invalid"),
        ({"levels": (0.95, 1.2)}, ValueError, "levels = 1.2"),
        ({"winsorize": 0.5}, ValueError, "winsorize = 0.5"),
        ({"limits": "exact", "overdispersion": "additive"}, ValueError, "limits = 'exact'"),
        ({"limits": "exact", "trials": [3.5, 3]}, ValueError, r"trials\[0\] \(unit 'A'\)"),
        ({"labels": ["A"]}, ValueError, "labels has length 1"),
    ],
)
def test_bad_input(kwargs: dict, exc: type, match: str) -> None:
    args = {"successes": [1, 2], "trials": [3, 3], "labels": ["A", "B"]}
    args.update(kwargs)
    with pytest.raises(exc, match=match):
        qs.funnel(args.pop("successes"), args.pop("trials"), **args)


def test_single_unit_and_identical_units() -> None:
    f = qs.funnel([5], [10])
    assert math.isnan(f.phi) and math.isnan(f.tau2)
    assert f.table["class"].to_list() == ["Not significant"]
    with pytest.raises(ValueError, match="needs at least 2 units"):
        qs.funnel([5], [10], overdispersion="multiplicative")
    with pytest.raises(ValueError, match="pooled rate is 1"):
        qs.funnel([10, 10], [10, 10])
    g = qs.funnel([5, 5, 5], [10, 10, 10])
    assert g.phi == 0.0 and g.tau2 == 0.0


def test_limits_bad_n() -> None:
    f = qs.funnel([1, 2], [10, 10], limits="exact")
    with pytest.raises(ValueError, match=r"n\[0\]"):
        f.limits(2.5)
    with pytest.raises(ValueError, match=r"n\[0\]"):
        qs.funnel([1, 2], [10, 10]).limits(-1.0)


@pytest.mark.parametrize("limits", ["score", "exact", "arcsine"])
def test_table_limits_equal_limits_method(limits: str) -> None:
    rng = np.random.default_rng(3)
    n = rng.integers(1, 40, size=200)
    x = rng.binomial(n, 0.7)
    f = qs.funnel(x, n, limits=limits)
    for level in (0.95, 0.998):
        lo, up = f.limits(n.astype(float), level)
        np.testing.assert_array_equal(f.table[f"lower_{level}"].to_numpy(), lo)
        np.testing.assert_array_equal(f.table[f"upper_{level}"].to_numpy(), up)


def _numpy_classes(
    x: np.ndarray, n: np.ndarray, theta: float, limits: str, levels: tuple[float, ...]
) -> np.ndarray:
    """The PHE five-class scheme from limits written independently (scipy quantiles)."""
    rate = x / n
    out = np.full(x.size, "Not significant", dtype=object)
    for level in sorted(levels):
        tail = (1 - level) / 2
        if limits == "exact":
            lo = np.array([_spiegelhalter(int(m), theta, tail) for m in n])
            up = np.array([_spiegelhalter(int(m), theta, 1 - tail) for m in n])
        else:
            zq = stats.norm.ppf(1 - tail)
            if limits == "arcsine":
                se, base = 1 / (2 * np.sqrt(n)), np.arcsin(np.sqrt(theta))
                lo = np.sin(np.clip(base - zq * se, 0, np.pi / 2)) ** 2
                up = np.sin(np.clip(base + zq * se, 0, np.pi / 2)) ** 2
            else:
                se = np.sqrt(theta * (1 - theta) / n)
                lo, up = np.clip(theta - zq * se, 0, 1), np.clip(theta + zq * se, 0, 1)
        name = f"{tail:.10g}"
        out[rate < lo] = f"Low ({name})"
        out[rate > up] = f"High ({name})"
    return out


@pytest.mark.parametrize("limits", ["score", "arcsine", "exact"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_classes_equal_numpy_on_random_units(limits: str, seed: int) -> None:
    # Small units around extreme targets: many limits are clipped to exactly 0 or 1,
    # so units with no (or every) success sit exactly on a limit (inside, not flagged).
    rng = np.random.default_rng(seed)
    k = 400 if limits == "exact" else 5000
    n = rng.integers(1, 60, size=k).astype(float)
    theta = [0.97, 0.03, 0.6][seed - 1]
    p = np.clip(rng.normal(theta, 0.2, size=k), 0, 1)
    x = rng.binomial(n.astype(int), p).astype(float)
    levels = (0.998, 0.8, 0.95)  # unsorted: classes follow the widest level broken
    f = qs.funnel(x, n, target=theta, limits=limits, levels=levels)
    t = f.table
    rate = x / n
    on_limit = np.zeros(k, dtype=bool)
    for level in levels:
        lo, up = t[f"lower_{level}"].to_numpy(), t[f"upper_{level}"].to_numpy()
        on_limit |= (rate == lo) | (rate == up)
    if limits != "exact":  # clipped limits: units exactly on them
        assert on_limit.sum() > 10
    want = _numpy_classes(x, n, theta, limits, levels)
    np.testing.assert_array_equal(t["class"].to_numpy(), want.astype(str))
    assert t["class"].n_unique() >= 4
    if limits != "exact":
        z_want = (
            (np.arcsin(np.sqrt(rate)) - np.arcsin(np.sqrt(theta))) * 2 * np.sqrt(n)
            if limits == "arcsine"
            else (rate - theta) / np.sqrt(theta * (1 - theta) / n)
        )
        np.testing.assert_allclose(t["z"].to_numpy(), z_want, rtol=1e-10, atol=1e-12)
