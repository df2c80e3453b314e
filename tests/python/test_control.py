"""Control charts and runs rules (issue 11, "Charts").

References: the qcc 3.0 vignette numbers on Montgomery's data sets (printed digits,
``reference/spc_notes.md`` §2 and §7), the textbook formulas re-implemented here with
numpy/scipy, and a plain-Python transcription of the rule definitions of the notes §4
(hand-built sequences for every rule and edge case, and random series).
"""

from __future__ import annotations

import math
import sys
import threading
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from scipy.special import gammaln

import qualstat as qs

DATA = Path(__file__).resolve().parents[2] / "reference" / "datasets"
REL = 1e-10


def _read(name: str) -> pl.DataFrame:
    return pl.read_csv(DATA / name, comment_prefix="#")


def _c4(n: float) -> float:
    return math.sqrt(2.0 / (n - 1)) * math.exp(gammaln(n / 2) - gammaln((n - 1) / 2))


def _close(a, b, rel=REL):
    np.testing.assert_allclose(a, b, rtol=rel, atol=0)


def _printed(value, printed):
    """Agreement with a number printed to its significant digits (half a unit in the last)."""
    s = f"{printed:.10g}"
    digits = len(s.replace("-", "").replace(".", "").lstrip("0"))
    scale = 10 ** (math.floor(math.log10(abs(printed))) - digits + 1)
    assert abs(value - printed) <= 0.5 * scale + 1e-15, (value, printed)


# --------------------------------------------------------------------------
# A plain transcription of the rules (notes §4), point by point, for reference.


def _side(v, c, s, k):
    return 1 if v > c + k * s else -1 if v < c - k * s else 0


def reference_rules(x, c, s, lcl, ucl, rules):
    """Set of (point, set, number) where each rule signals; every rule by its words."""
    out = set()
    n = len(x)
    for name, num in rules:
        for i in range(n):
            hit = False
            if num == 1:
                hit = x[i] > ucl[i] or x[i] < lcl[i]
            elif (name, num) in (("we", 4), ("nelson", 2)):
                k = 8 if name == "we" else 9
                if i >= k - 1:
                    w = [np.sign(x[j] - c[j]) for j in range(i - k + 1, i + 1)]
                    hit = all(v == 1 for v in w) or all(v == -1 for v in w)
            elif (name, num) == ("nelson", 3):
                if i >= 5:
                    d = [x[j] - x[j - 1] for j in range(i - 4, i + 1)]
                    hit = all(v > 0 for v in d) or all(v < 0 for v in d)
            elif (name, num) == ("nelson", 4):
                if i >= 13:
                    d = [x[j] - x[j - 1] for j in range(i - 12, i + 1)]
                    hit = all(d[j] * d[j + 1] < 0 for j in range(12))
            elif (name, num) in (("we", 2), ("nelson", 5), ("we", 3), ("nelson", 6)):
                cnt, win, k = (2, 3, 2.0) if num in (2, 5) else (4, 5, 1.0)
                me = _side(x[i], c[i], s[i], k)
                if me != 0:
                    w = range(max(0, i - win + 1), i + 1)
                    hit = sum(_side(x[j], c[j], s[j], k) == me for j in w) >= cnt
            elif (name, num) == ("nelson", 7):
                if i >= 14:
                    hit = all(_side(x[j], c[j], s[j], 1.0) == 0 for j in range(i - 14, i + 1))
            elif (name, num) == ("nelson", 8):
                if i >= 7:
                    w = [_side(x[j], c[j], s[j], 1.0) for j in range(i - 7, i + 1)]
                    hit = all(v != 0 for v in w) and 1 in w and -1 in w
            if hit:
                out.add((i, name, num))
    return out


ALL_WE = [("we", k) for k in range(1, 5)]
ALL_NELSON = [("nelson", k) for k in range(1, 9)]


def _flags_of(chart):
    out = set()
    for (s, k, _), j in zip(chart.rules, range(len(chart.rules)), strict=True):
        for i in np.flatnonzero((chart.flags >> j) & 1):
            out.add((int(i), s, k))
    return out


def _individuals(x, rules):
    return qs.control.imr(x, sigma=1.0, center=0.0, rules=rules).i


# --------------------------------------------------------------------------
# Rules on hand-built sequences (every rule, every edge case of the notes §4)


def _flagged(x, rules):
    return _individuals(np.asarray(x, dtype=float), rules).violations


def test_rule1_is_strict_beyond_limits():
    v = _flagged([3.0, -3.0, 3.0001, 0.0, -3.5], [("we", 1)])
    assert v["point"].to_list() == [2, 4]
    assert set(v["rule_set"].to_list()) == {"we"}


@pytest.mark.parametrize(("rule", "k"), [(("we", 4), 8), (("nelson", 2), 9)])
def test_same_side_runs_count_points_and_ties_break(rule, k):
    x = [0.5] * (k - 1)
    assert _flagged(x, [rule]).height == 0
    v = _flagged([*x, 0.2, 0.3], [rule])
    assert v["point"].to_list() == [k - 1, k]  # completing point and the continuing one
    tie = [0.5] * (k // 2) + [0.0] + [0.5] * (k - 1)
    assert _flagged(tie, [rule]).height == 0  # a point on the centre line breaks the run
    assert _flagged([-0.1] * k, [rule])["rule"].to_list() == [rule[1]]


def test_trend_six_points_ties_break():
    up = [0.1 * i for i in range(6)]
    assert _flagged(up, [("nelson", 3)])["point"].to_list() == [5]
    assert _flagged(up[:5], [("nelson", 3)]).height == 0
    assert _flagged([0, 0.1, 0.2, 0.2, 0.3, 0.4, 0.5], [("nelson", 3)]).height == 0
    down = [-0.1 * i for i in range(7)]
    assert _flagged(down, [("nelson", 3)])["point"].to_list() == [5, 6]


def test_alternating_fourteen_points():
    x = [0.2 if i % 2 else -0.2 for i in range(14)]
    assert _flagged(x, [("nelson", 4)])["point"].to_list() == [13]
    assert _flagged(x[:13], [("nelson", 4)]).height == 0
    x[7] = x[6]  # a tie breaks the alternation
    assert _flagged(x, [("nelson", 4)]).height == 0


@pytest.mark.parametrize("rule", [("we", 2), ("nelson", 5)])
def test_two_of_three_beyond_two_sigma(rule):
    # The odd point may be anywhere, even beyond 2 sigma on the other side.
    assert _flagged([2.5, -2.5, 2.1], [rule])["point"].to_list() == [2]
    # Points beyond 3 sigma count as beyond 2 sigma.
    assert _flagged([3.5, 0.0, 2.5], [rule])["point"].to_list() == [2]
    # The current point must itself be beyond: the window ending at 2 does not flag.
    assert _flagged([2.5, 2.5, 0.0], [rule])["point"].to_list() == [1]
    # Opposite sides do not add up; exactly 2 sigma is not beyond.
    assert _flagged([2.5, -2.5, 0.0], [rule]).height == 0
    assert _flagged([2.0, 2.0, 2.0], [rule]).height == 0
    # The window is 3 points: 2 beyond, 2 apart by two inside points, do not flag.
    assert _flagged([2.5, 0.0, 0.0, 2.5], [rule]).height == 0


@pytest.mark.parametrize("rule", [("we", 3), ("nelson", 6)])
def test_four_of_five_beyond_one_sigma(rule):
    assert _flagged([1.5, 1.5, 0.0, 1.5, 1.5], [rule])["point"].to_list() == [4]
    assert _flagged([1.5, 1.5, 0.0, 0.0, 1.5, 1.5], [rule]).height == 0
    assert _flagged([1.5, -1.5, 1.5, 1.5, 1.5], [rule])["point"].to_list() == [4]
    assert _flagged([1.0, 1.5, 1.5, 1.5, 1.0], [rule]).height == 0  # 1 sigma is not beyond


def test_fifteen_within_one_sigma_inclusive():
    assert _flagged([1.0, -1.0] * 7 + [0.0], [("nelson", 7)])["point"].to_list() == [14]
    assert _flagged([0.5] * 14 + [1.01], [("nelson", 7)]).height == 0


def test_eight_beyond_one_sigma_needs_both_sides():
    assert _flagged([1.5] * 8, [("nelson", 8)]).height == 0
    x = [1.5, -1.5] * 4 + [2.0]
    assert _flagged(x, [("nelson", 8)])["point"].to_list() == [7, 8]
    x[3] = 1.0  # exactly 1 sigma is not beyond
    assert _flagged(x, [("nelson", 8)]).height == 0


def test_lowest_numbered_rule_reported_and_all_listed():
    x = [2.5, 2.5, 3.5]
    v = _flagged(x, "nelson")
    row = v.filter(pl.col("point") == 2)
    assert row["rule"].to_list() == [1]
    assert row["rules"].to_list() == [["nelson 1", "nelson 5"]]


def test_editable_thresholds_and_custom_sets():
    x = [0.5] * 7
    assert _flagged(x, [("nelson", 2, {"count": 7})])["point"].to_list() == [6]
    assert _flagged(x, [("we", 4, {"count": 7}), ("we", 1)])["rule"].to_list() == [4]
    v = _flagged([2.2, 0.0, 0.0], [("nelson", 5, {"count": 1, "sigmas": 2.0})])
    assert v["point"].to_list() == [0]
    v = _flagged([2.8, 0.0], [("we", 1, {"sigmas": 2.5})])
    assert v["point"].to_list() == [0]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from([-3.5, -2.5, -1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.5, 3.5, 0.25]),
        min_size=1,
        max_size=60,
    )
)
def test_engine_matches_the_transcription(values):
    x = np.asarray(values, dtype=float)
    ch = _individuals(x, ALL_NELSON + ALL_WE)
    n = x.size
    ref = reference_rules(x, np.zeros(n), np.ones(n), -3 * np.ones(n), 3 * np.ones(n),
                          ALL_NELSON + ALL_WE)  # fmt: skip
    assert _flags_of(ch) == ref


def test_engine_matches_transcription_with_step_limits():
    rng = np.random.default_rng(11)
    n = np.where(rng.random(200) < 0.5, 3, 7)
    pbar = 0.3
    d = rng.binomial(n, pbar)
    ch = qs.control.p(d, n, rules="nelson", center=pbar)
    se = np.sqrt(pbar * (1 - pbar) / n)
    x = d / n
    ref = reference_rules(x, np.full(200, pbar), se, ch.lcl, ch.ucl, ALL_NELSON)
    assert _flags_of(ch) == ref
    _close(ch.zone_sigma, se)


def test_rules_argument_errors():
    x = np.zeros(5)
    with pytest.raises(ValueError, match="rule_set"):
        qs.control.imr(x + np.arange(5), rules="westgard")
    with pytest.raises(ValueError, match="rule"):
        qs.control.imr(x + np.arange(5), rules=[("we", 5)])
    with pytest.raises(ValueError, match="rules"):
        qs.control.imr(x + np.arange(5), rules=[])
    with pytest.raises(ValueError, match="count"):
        qs.control.imr(x + np.arange(5), rules=[("nelson", 2, {"count": 0})])
    with pytest.raises(ValueError, match="threshold"):
        qs.control.imr(x + np.arange(5), rules=[("nelson", 2, {"window": 3})])
    with pytest.raises(TypeError, match="rules"):
        qs.control.imr(x + np.arange(5), rules=3)


# --------------------------------------------------------------------------
# Variables charts: qcc vignette numbers (pistonrings, viscosity) and formulas


def _pistonrings():
    df = _read("pistonrings.csv")
    x = df["diameter"].to_numpy().reshape(40, 5)
    trial = df["trial"].to_numpy().reshape(40, 5)[:, 0]
    return x, trial


def test_pistonrings_xbar_r_qcc_numbers():
    x, trial = _pistonrings()
    ch = qs.control.xbar_r(x[trial], constants="qcc")
    # qcc vignette: qcc(diameter[trial], type = "xbar") and type = "R".
    _printed(ch.xbar.center[0], 74.00118)
    _printed(ch.xbar.sigma, 0.009785039)
    _printed(ch.xbar.lcl[0], 73.98805)
    _printed(ch.xbar.ucl[0], 74.0143)  # R prints 74.01430 as 74.0143
    _printed(ch.r.center[0], 0.02276)
    _printed(ch.r.ucl[0], 0.04812533)
    assert ch.r.lcl[0] == 0.0
    assert ch.xbar.violations.height == 0
    assert ch.xbar.sigma_method == "uwave-r"


def test_pistonrings_exact_constants_and_textbook_formulas():
    x, trial = _pistonrings()
    ch = qs.control.xbar_r(x, phase1=trial)
    r = x.max(axis=1) - x.min(axis=1)
    rbar = r[trial].mean()
    d2 = 2.325929  # exact d2(5) to 7 digits (Harter 1960; capability notes)
    assert abs(ch.xbar.sigma - rbar / 2.3259289) < 1e-9
    _printed(ch.xbar.sigma, 0.009785338)  # capability_notes.md §: R̄/2.325929
    mean = x[trial].mean()
    _close(ch.xbar.center, np.full(40, mean))
    _close(ch.xbar.ucl, mean + 3 * ch.xbar.sigma / math.sqrt(5))
    assert abs(ch.r.center[0] / ch.xbar.sigma - d2) < 1e-6
    # Phase II: the limits are those of phase I; points 37-39 (1-based) are beyond.
    beyond = np.flatnonzero((x.mean(axis=1) > ch.xbar.ucl) | (x.mean(axis=1) < ch.xbar.lcl))
    assert ch.xbar.violations["point"].to_list() == beyond.tolist()
    assert beyond.tolist() == [36, 37, 38]
    # monitor() of the phase-I chart gives the same chart.
    mon = qs.control.xbar_r(x[trial]).monitor(x[~trial])
    _close(mon.xbar.ucl, ch.xbar.ucl)
    assert mon.xbar.violations.equals(ch.xbar.violations)
    assert mon.xbar.table["phase"].to_list() == ["I"] * 25 + ["II"] * 15


def test_xbar_s_formulas():
    x, trial = _pistonrings()
    ch = qs.control.xbar_s(x[trial], rules="we")
    s = x[trial].std(axis=1, ddof=1)
    c4 = _c4(5)
    sigma = (s / c4).mean()
    _close(ch.s.sigma, sigma)
    _close(ch.s.center, np.full(25, c4 * sigma))
    _close(ch.s.ucl, np.full(25, c4 * sigma + 3 * sigma * math.sqrt(1 - c4 * c4)))
    _close(ch.s.statistic, s)
    # S chart OC: chi-square with 4 df at a sigma ratio.
    rho = np.array([1.0, 1.5, 2.0])
    lo, hi = ch.s.lcl[-1], ch.s.ucl[-1]
    want = stats.chi2.cdf(4 * (hi / (rho * sigma)) ** 2, 4) - stats.chi2.cdf(
        4 * (lo / (rho * sigma)) ** 2, 4
    )
    _close(ch.s.oc(rho), want, 1e-9)


def test_unequal_sizes_sigma_methods_and_step_limits():
    rng = np.random.default_rng(5)
    sizes = [3, 5, 4, 6, 3, 5, 2, 7]
    groups = [rng.normal(10, 2, k) for k in sizes]
    n = np.asarray(sizes, dtype=float)
    r = np.array([g.max() - g.min() for g in groups])
    s = np.array([g.std(ddof=1) for g in groups])
    c4 = np.array([_c4(k) for k in sizes])
    d2 = np.array([qs.spc.d2(k) for k in sizes])
    d3 = np.array([qs.spc.d3(k) for k in sizes])
    want = {
        "uwave-r": np.mean(r / d2),
        "uwave-sd": np.mean(s / c4),
        "mvlue-r": np.sum((d2 / d3) ** 2 * r / d2) / np.sum((d2 / d3) ** 2),
        "mvlue-sd": np.sum(c4**2 / (1 - c4**2) * s / c4) / np.sum(c4**2 / (1 - c4**2)),
        "rmsdf": math.sqrt(np.sum((n - 1) * s**2) / np.sum(n - 1)) / _c4(np.sum(n - 1) + 1),
        "pooled_sd": math.sqrt(np.sum((n - 1) * s**2) / np.sum(n - 1)),
    }
    for method, sigma in want.items():
        ch = qs.control.xbar_r(groups, sigma_method=method)
        _close(ch.xbar.sigma, sigma, 1e-9)
        mean = np.concatenate(groups).mean()
        _close(ch.xbar.ucl, mean + 3 * sigma / np.sqrt(n), 1e-9)
        _close(ch.r.center, d2 * sigma, 1e-9)
        _close(ch.r.ucl, (d2 + 3 * d3) * sigma, 1e-9)
    flat = np.concatenate(groups)
    labels = np.repeat(np.arange(len(sizes)), sizes)
    by_label = qs.control.xbar_r(flat, subgroups=labels)
    _close(by_label.xbar.statistic, [g.mean() for g in groups])


def test_nan_padding_is_skipped_and_recorded():
    x = np.array([[1.0, 2.0, 3.0], [2.0, np.nan, 4.0], [1.5, 2.5, 2.0]])
    ch = qs.control.xbar_r(x)
    assert ch.xbar.table["n"].to_list() == [3.0, 2.0, 3.0]
    assert ch.xbar.to_dict()["skipped"] == 1
    _close(ch.xbar.statistic[1], 3.0)


def test_viscosity_individuals():
    df = _read("viscosity.csv")
    x = df["viscosity"].to_numpy()
    trial = df["trial"].to_numpy()
    ch = qs.control.imr(x, phase1=trial, constants="qcc")
    mr = np.abs(np.diff(x[trial]))
    sigma = mr.mean() / 1.128
    _close(ch.i.sigma, sigma)
    _close(ch.i.center, np.full(x.size, x[trial].mean()))
    _close(ch.i.ucl, x[trial].mean() + 3 * sigma)
    _close(ch.mr.statistic, np.abs(np.diff(x)))
    _close(ch.mr.ucl, np.full(x.size - 1, (1.128 + 3 * 0.8525033) * sigma))
    sd = qs.control.imr(x, sigma_method="sd", phase1=trial)
    _close(sd.i.sigma, x[trial].std(ddof=1) / _c4(trial.sum()))
    mssd = qs.control.imr(x, sigma_method="mssd", phase1=trial)
    _close(mssd.i.sigma, math.sqrt(np.sum(np.diff(x[trial]) ** 2) / (2 * (trial.sum() - 1))))
    w3 = qs.control.imr(x, span=3, phase1=trial)
    win = np.lib.stride_tricks.sliding_window_view(x[trial], 3)
    _close(w3.i.sigma, (win.max(1) - win.min(1)).mean() / qs.spc.d2(3))
    med = qs.control.imr(x, sigma_method="median_mr", phase1=trial)
    _close(med.i.sigma, np.median(mr) / qs.spc.d4(2))


def test_xbar_oc_is_normal_beta():
    x, trial = _pistonrings()
    ch = qs.control.xbar_r(x[trial])
    d = np.array([0.0, 0.5, 1.0, 2.0])
    want = stats.norm.cdf(3 - d * math.sqrt(5)) - stats.norm.cdf(-3 - d * math.sqrt(5))
    _close(ch.xbar.oc(d), want, 1e-9)
    assert isinstance(ch.xbar.oc(1.0), float)
    with pytest.raises(ValueError, match="oc"):
        ch.r.oc(1.0)


# --------------------------------------------------------------------------
# Attributes charts


def test_orangejuice_p_chart_qcc_numbers_and_revision():
    df = _read("orangejuice.csv")
    trial = df["trial"].to_numpy()
    d, n = df["D"].to_numpy()[trial], df["size"].to_numpy()[trial]
    ch = qs.control.p(d, n)
    _printed(ch.center[0], 0.2313333)
    _printed(ch.lcl[0], 0.05242755)
    _printed(ch.ucl[0], 0.4102391)
    assert ch.violations["point"].to_list() == [14, 22]  # samples 15 and 23
    rev = ch.revise()
    keep = np.ones(d.size, bool)
    keep[[14, 22]] = False
    _close(rev.center[0], d[keep].sum() / n[keep].sum())
    assert rev.phase1.tolist() == keep.tolist()
    _printed(rev.center[0], 0.215)
    _printed(rev.lcl[0], 0.04070284)
    _printed(rev.ucl[0], 0.3892972)


def test_orangejuice2_p_chart():
    df = _read("orangejuice2.csv")
    trial = df["trial"].to_numpy()
    ch = qs.control.p(df["D"].to_numpy(), df["size"].to_numpy(), phase1=trial)
    _printed(ch.center[0], 0.1108333)
    assert ch.lcl[0] == 0.0
    _printed(ch.ucl[0], 0.2440207)
    npc = qs.control.np(df["D"].to_numpy(), 50, phase1=trial)
    _close(npc.ucl, ch.ucl * 50)
    _close(npc.statistic, df["D"].to_numpy())


def test_circuit_c_chart():
    df = _read("circuit.csv")
    trial = df["trial"].to_numpy()
    x = df["x"].to_numpy()[trial]
    ch = qs.control.c(x)
    _printed(ch.center[0], 19.84615)
    _printed(ch.lcl[0], 6.481447)
    _printed(ch.ucl[0], 33.21086)
    assert ch.violations["point"].to_list() == [5, 19]  # samples 6 and 20
    rev = ch.revise()
    _printed(rev.center[0], 19.66667)
    _printed(rev.lcl[0], 6.362532)
    _printed(rev.ucl[0], 32.9708)


def test_pcmanufact_and_dyedcloth_u_charts():
    df = _read("pcmanufact.csv")
    ch = qs.control.u(df["x"].to_numpy(), df["size"].to_numpy())
    _printed(ch.center[0], 1.93)
    _printed(ch.lcl[0], 0.06613305)
    _printed(ch.ucl[0], 3.793867)
    dc = _read("dyedcloth.csv")
    x, n = dc["x"].to_numpy(), dc["size"].to_numpy()
    ch = qs.control.u(x, n)
    ubar = x.sum() / n.sum()
    _close(ch.center, np.full(x.size, ubar))
    _close(ch.ucl, ubar + 3 * np.sqrt(ubar / n))
    _close(ch.lcl, np.maximum(0, ubar - 3 * np.sqrt(ubar / n)))
    assert len(np.unique(ch.ucl)) > 1  # step limits


def test_probability_limits_are_quantiles_even_with_equal_sizes():
    df = _read("orangejuice.csv")
    trial = df["trial"].to_numpy()
    d, n = df["D"].to_numpy()[trial], df["size"].to_numpy()[trial]
    ch = qs.control.p(d, n, limits="probability", confidence=0.99)
    pbar = d.sum() / n.sum()
    _close(ch.lcl, stats.binom.ppf(0.005, n, pbar) / n)
    _close(ch.ucl, stats.binom.ppf(0.995, n, pbar) / n)
    c = qs.control.c([4, 7, 3, 6, 5], confidence=0.95)
    _close(c.ucl, stats.poisson.ppf(0.975, 5.0))
    u = qs.control.u([10, 12, 8, 9], [5, 6, 4, 5.5], limits="probability")
    ubar = 39 / 20.5
    conf = 1 - 2 * stats.norm.cdf(-3)
    _close(u.ucl, stats.poisson.ppf(1 - (1 - conf) / 2, ubar * np.array([5, 6, 4, 5.5]))
           / np.array([5, 6, 4, 5.5]))  # fmt: skip
    gg = qs.control.g([30, 12, 45, 8, 60, 22], limits="probability", confidence=0.9)
    gbar = np.mean([30, 12, 45, 8, 60, 22])
    _close(gg.ucl, stats.geom.ppf(0.95, 1 / (gbar + 1)) - 1)


def test_attribute_oc_counts_the_right_side_of_the_lower_limit():
    # c chart with cbar = 10: LCL = 10 - 3 sqrt(10) = 0.513, so a count of 0 signals.
    ch = qs.control.c([8, 12, 10, 9, 11])
    lam = np.array([1.0, 5.0, 10.0, 20.0])
    want = stats.poisson.cdf(np.floor(ch.ucl[0]), lam) - stats.poisson.cdf(0, lam)
    _close(ch.oc(lam), want, 1e-12)
    qcc_style = stats.poisson.cdf(np.floor(ch.ucl[0]), lam)  # counts 0 as in control
    assert (ch.oc(lam) < qcc_style).all()
    df = _read("orangejuice.csv")
    trial = df["trial"].to_numpy()
    p = qs.control.p(df["D"].to_numpy()[trial], df["size"].to_numpy()[trial])
    q = np.array([0.05, 0.2313, 0.4])
    lo, hi = math.ceil(p.lcl[-1] * 50), math.floor(p.ucl[-1] * 50)
    _close(p.oc(q), stats.binom.cdf(hi, 50, q) - stats.binom.cdf(lo - 1, 50, q), 1e-12)
    uc = qs.control.u([10, 12, 8, 9], [5, 5, 5, 5])
    lo, hi = math.ceil(uc.lcl[-1] * 5), math.floor(uc.ucl[-1] * 5)
    lam = np.array([1.0, 2.0, 3.0])
    _close(uc.oc(lam), stats.poisson.cdf(hi, lam * 5) - stats.poisson.cdf(lo - 1, lam * 5), 1e-12)


def test_laney_p_prime_time_and_categorical():
    df = _read("supervision_nhs_accidents.csv")
    r, n = df["r"].to_numpy(), df["n"].to_numpy()
    pbar = r.sum() / n.sum()
    sp = np.sqrt(pbar * (1 - pbar) / n)
    z = (r / n - pbar) / sp
    for axis, sz in (
        ("time", np.abs(np.diff(z)).mean() / 1.128),
        ("categorical", z.std(ddof=1)),
    ):
        ch = qs.control.p_prime(r, n, axis=axis, constants="qcc")
        _close(ch.sigma, sz)
        _close(ch.ucl, np.minimum(1, pbar + 3 * sp * sz))
        _close(ch.lcl, np.maximum(0, pbar - 3 * sp * sz))
        assert ch.name == "p'"
    exact = qs.control.p_prime(r, n)
    _close(exact.sigma, np.abs(np.diff(z)).mean() / qs.spc.d2(2))
    uu = qs.control.u_prime([120, 80, 150, 95, 60], [50, 40, 60, 45, 30])
    x, m = np.array([120, 80, 150, 95, 60.0]), np.array([50, 40, 60, 45, 30.0])
    ubar = x.sum() / m.sum()
    zu = (x / m - ubar) / np.sqrt(ubar / m)
    _close(uu.sigma, np.abs(np.diff(zu)).mean() / qs.spc.d2(2))


def test_g_chart_sigma_limits():
    counts = [30, 12, 45, 8, 60, 22]
    ch = qs.control.g(counts)
    gbar = np.mean(counts)
    _close(ch.ucl, gbar + 3 * math.sqrt(gbar * (gbar + 1)))
    assert ch.lcl[0] == 0.0


# --------------------------------------------------------------------------
# Time-weighted charts


def _cusum_loop(z, k, h0):
    up, lo, us, ls = h0, -h0, [], []
    for v in z:
        up = max(0.0, up + v - k)
        lo = min(0.0, lo + v + k)
        us.append(up)
        ls.append(lo)
    return np.array(us), np.array(ls)


def test_cusum_against_loop_and_head_start():
    x, trial = _pistonrings()
    ch = qs.control.cusum(x, phase1=trial, head_start=2.5)
    means = x.mean(axis=1)
    r = x.max(axis=1) - x.min(axis=1)
    sigma = r[trial].mean() / qs.spc.d2(5)
    z = (means - x[trial].mean()) / (sigma / math.sqrt(5))
    up, lo = _cusum_loop(z, 0.5, 2.5)
    _close(ch.upper, up, 1e-9)
    _close(ch.lower, lo, 1e-9)
    flagged = np.flatnonzero((up > 5) | (lo < -5))
    assert ch.violations["point"].to_list() == flagged.tolist()
    assert set(ch.violations["rule_set"].to_list()) <= {"cusum"}
    data_units = qs.control.cusum(x, phase1=trial, standardized=False)
    _close(data_units.upper, _cusum_loop(z, 0.5, 0.0)[0] * sigma / math.sqrt(5), 1e-9)


def test_ewma_exact_and_asymptotic_limits():
    df = _read("viscosity.csv")
    x = df["viscosity"].to_numpy()
    lam, sigma, target = 0.1, 1.0, 33.0
    ch = qs.control.ewma(x, lam=lam, L=2.7, target=target, sigma=sigma)
    z, prev = [], target
    for v in x:
        prev = lam * v + (1 - lam) * prev
        z.append(prev)
    _close(ch.statistic, z)
    t = np.arange(1, x.size + 1)
    se = sigma * np.sqrt(lam / (2 - lam) * (1 - (1 - lam) ** (2 * t)))
    _close(ch.ucl, target + 2.7 * se, 1e-12)
    asym = qs.control.ewma(x, lam=lam, L=2.7, target=target, sigma=sigma, limits="asymptotic")
    _close(asym.ucl, np.full(x.size, target + 2.7 * sigma * math.sqrt(lam / (2 - lam))))


# --------------------------------------------------------------------------
# Phases and stages


def test_stages_have_their_own_limits():
    rng = np.random.default_rng(3)
    a, b = rng.normal(10, 1, 30), rng.normal(13, 0.5, 25)
    x = np.concatenate([a, b])
    stages = ["before"] * 30 + ["after"] * 25
    ch = qs.control.imr(x, stages=stages, rules="we")
    one, two = qs.control.imr(a, rules="we"), qs.control.imr(b, rules="we")
    _close(ch.i.ucl, np.concatenate([one.i.ucl, two.i.ucl]))
    assert ch.i.table["stage"].to_list() == stages
    pts = one.i.violations["point"].to_list() + [p + 30 for p in two.i.violations["point"]]
    assert ch.i.violations["point"].to_list() == pts
    mon = ch.monitor([13.1, 12.9, 15.5])
    assert mon.i.table["stage"].to_list()[-3:] == ["after"] * 3
    _close(mon.i.ucl[-3:], np.full(3, two.i.ucl[0]))


def _staged_charts(stages):
    """Every chart type on 12 points (subgroups of 4 for xbar) with the given stage labels."""
    rng = np.random.default_rng(11)
    x = rng.normal(10.0, 1.0, 12)
    rows = rng.normal(10.0, 1.0, (12, 4))
    d, n = rng.integers(1, 9, 12), np.full(12, 60)
    cc = qs.control
    return {
        "xbar_r": cc.xbar_r(rows, stages=stages),
        "xbar_s": cc.xbar_s(rows, stages=stages),
        "imr": cc.imr(x, stages=stages),
        "p": cc.p(d, n, stages=stages),
        "np": cc.np(d, 60, stages=stages),
        "c": cc.c(d, stages=stages),
        "u": cc.u(d, n, stages=stages),
        "g": cc.g(d, stages=stages),
        "p_prime": cc.p_prime(d, n, stages=stages),
        "u_prime": cc.u_prime(d, n, stages=stages),
        "cusum": cc.cusum(x, stages=stages),
        "ewma": cc.ewma(x, stages=stages),
    }


def test_table_n_is_the_count_behind_each_point():
    """n of every chart type, one stage and monitored: the subgroup size, 1 for an individual
    value, the span of a moving range, the items inspected; Int64 (u, u': Float64 units)."""
    cc = qs.control
    x, rows = np.arange(12.0) % 5, np.arange(48.0).reshape(12, 4) % 7
    d, n = np.arange(12) % 4 + 1, np.arange(12) + 50
    u_sizes = np.linspace(1.0, 3.5, 12)
    cases = {
        "xbar_r": (cc.xbar_r(rows), [4] * 12),
        "xbar_s": (cc.xbar_s(list(rows[:11]) + [rows[11][:3]]), [4] * 11 + [3]),
        "imr": (cc.imr(x, span=3), [1] * 12),
        "p": (cc.p(d, n), list(n)),
        "np": (cc.np(d, 60), [60] * 12),
        "p_prime": (cc.p_prime(d, n), list(n)),
        "c": (cc.c(d), [1] * 12),
        "g": (cc.g(d), [1] * 12),
        "cusum": (cc.cusum(rows), [4] * 12),
        "ewma": (cc.ewma(x), [1] * 12),
        "u": (cc.u(d, u_sizes), list(u_sizes)),
        "u_prime": (cc.u_prime(d, u_sizes), list(u_sizes)),
    }
    for name, (result, sizes) in cases.items():
        whole = name not in ("u", "u_prime")
        first = result.charts[0] if isinstance(result, qs.control.Pair) else result
        assert first.table["n"].dtype == (pl.Int64 if whole else pl.Float64), name
        assert first.table["n"].to_list() == sizes, name
        if isinstance(result, qs.control.Pair):
            second = result.charts[1].table["n"]
            assert second.dtype == pl.Int64
            assert second.to_list() == ([3] * 10 if name == "imr" else sizes), name
    mon = cc.p(d, n).monitor(([1, 2], [40, 41]))
    assert mon.table["n"].dtype == pl.Int64 and mon.table["n"].to_list()[-2:] == [40, 41]
    with pytest.raises(ValueError, match=r"sizes\[2\] = 50.5 is invalid: expected a whole"):
        cc.p([1, 2, 3], [50, 50, 50.5])


@pytest.mark.parametrize(
    ("stages", "dtype", "written"),
    [
        (["before"] * 6 + ["after"] * 6, pl.String, ["before"] * 6 + ["after"] * 6),
        ([1] * 6 + [2] * 6, pl.Int64, [1] * 6 + [2] * 6),
        (np.repeat([2.5, 3.5], 6), pl.Float64, [2.5] * 6 + [3.5] * 6),
        ([1] * 6 + ["b"] * 6, pl.String, ["1"] * 6 + ["b"] * 6),  # mixed kinds: strings
    ],
)
def test_staged_tables_have_polars_dtypes_and_write_csv(tmp_path, stages, dtype, written):
    """Chart.table of every chart type with stages: no Object column, CSV round trip."""
    types = {
        "subgroup": pl.Int64, "stage": dtype, "phase": pl.String, "n": pl.Int64,
        "statistic": pl.Float64, "center": pl.Float64, "lcl": pl.Float64, "ucl": pl.Float64,
        "rule": pl.Int64, "rule_set": pl.String,
    }  # fmt: skip
    for name, result in _staged_charts(stages).items():
        for chart in result.charts if isinstance(result, qs.control.Pair) else (result,):
            table = chart.table
            # n counts items or values (Int64); u charts' inspection units need not be whole
            n_type = pl.Float64 if name in ("u", "u_prime") else pl.Int64
            expected = {c: n_type if c == "n" else types[c] for c in table.columns}
            assert dict(table.schema) == expected, (name, chart.name)
            assert chart.violations.schema["rules"] == pl.List(pl.String)
            path = tmp_path / f"{name}_{chart.name}.csv"
            table.write_csv(path)
            back = pl.read_csv(path, schema_overrides={"stage": dtype})
            assert back["stage"].to_list() == table["stage"].to_list()
            if chart.name != "MR":  # an MR chart has one point fewer in each stage
                assert table["stage"].to_list() == written, (name, chart.name)
            assert back["statistic"].to_list() == table["statistic"].to_list()
            assert back["n"].dtype == n_type and back["n"].to_list() == table["n"].to_list()
    cusum = _staged_charts(stages)["cusum"]
    assert cusum.upper.shape == cusum.lower.shape == cusum.statistic.shape
    # monitored points join the last stage, still typed
    mon = qs.control.imr(np.arange(12.0) % 5, stages=stages).monitor([1.0, 2.0])
    assert mon.i.table.schema["stage"] == dtype
    assert mon.i.table["stage"].to_list()[-2:] == written[-1:] * 2


def test_string_subgroup_labels_with_stages_are_strings():
    x = np.arange(24.0) % 7
    labels = np.repeat([f"s{i:02d}" for i in range(6)], 4)
    ch = qs.control.xbar_r(x, subgroups=labels, stages=["a"] * 3 + ["b"] * 3)
    table = ch.xbar.table
    assert table.schema["subgroup"] == pl.String and table.schema["stage"] == pl.String
    assert table["subgroup"].to_list() == [f"s{i:02d}" for i in range(6)]
    assert pl.read_csv(table.write_csv().encode()).height == 6


def test_phase1_mask_and_frozen_limits():
    df = _read("circuit.csv")
    trial = df["trial"].to_numpy()
    x = df["x"].to_numpy()
    ch = qs.control.c(x, phase1=trial)
    _close(ch.center, np.full(x.size, x[trial].mean()))
    assert ch.table["phase"].to_list() == ["I" if t else "II" for t in trial]
    mon = qs.control.c(x[trial]).monitor(x[~trial])
    _close(mon.ucl, ch.ucl)


# --------------------------------------------------------------------------
# Bad input (the Evidence list)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: qs.control.xbar_r([[1.0, 2.0], [3.0]]), "subgroup 1 has 1 value"),
        (lambda: qs.control.xbar_s(np.ones(6), subgroup_size=1), "subgroup 0 has 1 value"),
        (lambda: qs.control.imr([1.0, np.nan, 2.0]), r"values\[1\]"),
        (lambda: qs.control.imr([2.0, 2.0, 2.0]), "sigma"),
        (lambda: qs.control.xbar_r(np.ones((4, 3))), "sigma"),
        (lambda: qs.control.p([0, 0, 0], [10, 10, 10]), "center"),
        (lambda: qs.control.c([0, 0]), "center"),
        (lambda: qs.control.imr([1.0, 2.0, 3.0], sigma=0.0), "sigma"),
        (lambda: qs.control.imr([1.0, 2.0, 3.0], rules="westgard"), "rule_set"),
        (lambda: qs.control.cusum([1.0, 2.0, 3.0], k=-1), "k"),
        (lambda: qs.control.cusum([1.0, 2.0, 3.0], h=0), "h"),
        (lambda: qs.control.cusum([1.0, 2.0, 3.0], head_start=5.0), "head_start"),
        (lambda: qs.control.cusum([1.0, 2.0, 3.0], rules="we"), "rules"),
        (lambda: qs.control.ewma([1.0, 2.0, 3.0], lam=0.0), "lam"),
        (lambda: qs.control.ewma([1.0, 2.0, 3.0], lam=1.5), "lam"),
        (lambda: qs.control.ewma([1.0, 2.0, 3.0], L=-1), "L"),
        (lambda: qs.control.p([1, 2], [10, 1]), r"defectives\[1\]|counts\[1\]"),
        (lambda: qs.control.p([1, 2], [10, 10, 10]), "sizes"),
        (lambda: qs.control.u([1, 2], [10, 0]), r"sizes\[1\]"),
        (lambda: qs.control.c([1, -2]), r"counts\[1\]"),
        (lambda: qs.control.c([1, 2, 3], confidence=1.5), "confidence"),
        (lambda: qs.control.c([1, 2, 3], limits="exact"), "limits"),
        (lambda: qs.control.p_prime([1, 2, 3], [10, 10, 10], axis="space"), "axis"),
        (lambda: qs.control.imr([1.0, 2.0, 3.0], phase1=[False] * 3), "phase1"),
        (lambda: qs.control.imr([1.0, 2.0, 3.0], phase1=[True]), "phase1"),
        (lambda: qs.control.xbar_r(np.ones(7) + np.arange(7), subgroup_size=2), "divide"),
        (lambda: qs.control.xbar_r(np.ones(6) + np.arange(6)), "subgroup_size"),
        (lambda: qs.control.xbar_r(np.arange(60.0).reshape(2, 30), constants="qcc"), "qcc"),
        (lambda: qs.control.imr([1.0, 2.0, 3.0], sigma_method="uwave-r"), "sigma_method"),
        (
            lambda: qs.control.xbar_r(np.arange(6.0).reshape(3, 2), sigma_method="mr"),
            "sigma_method",
        ),
    ],
)
def test_bad_input(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()


# --------------------------------------------------------------------------
# Display


def test_reprs_tables_and_plots():
    import matplotlib

    matplotlib.use("Agg")
    x, trial = _pistonrings()
    ch = qs.control.xbar_r(x, phase1=trial, rules="nelson")
    text = repr(ch)
    assert "xbar chart: 40 points (25 phase I)" in text and "R chart" in text
    assert "<div>" in ch._repr_html_()
    t = ch.xbar.table
    assert t.columns == ["subgroup", "phase", "n", "statistic", "center", "lcl", "ucl",
                         "rule", "rule_set"]  # fmt: skip
    assert ch.xbar.violations.columns[:3] == ["point", "rule", "rule_set"]
    axes = ch.plot(lsl=73.95, usl=74.05)
    assert len(axes) == 2
    staged = qs.control.p([3, 5, 4, 9, 8, 10], [100] * 6, stages=[1, 1, 1, 2, 2, 2])
    assert staged.plot() is not None
    cs = qs.control.cusum(x, phase1=trial)
    assert cs.plot() is not None
    assert ch.to_dict()["xbar"]["points"] == 40


def test_attribute_monitor_takes_counts_and_sizes():
    df = _read("orangejuice.csv")
    trial = df["trial"].to_numpy()
    d, n = df["D"].to_numpy(), df["size"].to_numpy()
    whole = qs.control.p(d, n, phase1=trial)
    mon = qs.control.p(d[trial], n[trial]).monitor((d[~trial], n[~trial]))
    _close(mon.ucl, whole.ucl)
    assert mon.violations.equals(whole.violations)
    with pytest.raises(TypeError, match="new_data"):
        qs.control.p(d[trial], n[trial]).monitor(d[~trial])


def test_capability_meets_stability():
    import matplotlib

    matplotlib.use("Agg")
    x, _ = _pistonrings()
    res = qs.capability(x.reshape(-1), 73.95, 74.05, subgroup_size=5)
    check = res.stability()
    direct = qs.control.xbar_r(x, rules="we")
    _close(check.xbar.ucl, direct.xbar.ucl)
    assert check.xbar.violations.equals(direct.xbar.violations)
    assert check.xbar.violations.height > 0  # the phase-II shift of the piston rings
    single = qs.capability(x.reshape(-1)[:30], 73.95, 74.05).stability(rules="nelson")
    assert single.i.rules[0][0] == "nelson"
    fig = res.sixpack()
    assert len(fig.axes) == 6


def test_qcc_constants_match_the_reference_table():
    lines = (DATA.parent / "tables" / "spc_constants.csv").read_text().splitlines()
    rows = [line.split(",") for line in lines if not line.startswith("#")]
    table = {(int(r[0]), r[1]): float(r[2]) for r in rows if len(r) > 3 and r[3] == "QCC_CODE"}
    assert len(table) == 48
    sizes = list(range(2, 26))
    groups = [list(np.linspace(0.0, 1.0, n)) for n in sizes]
    ch = qs.control.xbar_r(groups, sigma=1.0, constants="qcc")
    for i, n in enumerate(sizes):
        assert ch.r.center[i] == table[(n, "d2")]
        assert ch.r.zone_sigma[i] == table[(n, "d3")]
    exact = qs.control.xbar_r(groups, sigma=1.0)
    _close(exact.r.center, [qs.spc.d2(n) for n in sizes], 1e-14)


def test_known_center_accepts_a_percent_for_fractions():
    a = qs.control.p([3, 5, 2], [100, 100, 100], center="4%")
    b = qs.control.p([3, 5, 2], [100, 100, 100], center=0.04)
    _close(a.ucl, b.ucl)
    _close(b.ucl, 0.04 + 3 * np.sqrt(0.04 * 0.96 / 100))
    with pytest.raises(ValueError, match="center"):
        qs.control.p([3, 5, 2], [100, 100, 100], center="4")
    with pytest.raises(TypeError, match="center"):
        qs.control.c([3, 5, 2], center="4%")


# --------------------------------------------------------------------------
# The native calls release the GIL


def _ran_beside(call, attempts=5):
    """Whether this thread ran while ``call`` was running in another thread (in any of
    ``attempts`` tries), and the call's last result. With a switch interval of 1000 s
    the GIL changes hands only when its holder lets it go: the worker that woke this
    thread keeps the GIL until the native call releases it (this thread then finds no
    result yet), or until it has finished (this thread then finds the result). On a
    loaded machine this thread may be woken only after a short call has ended, hence
    the tries; a call that holds the GIL is never seen beside, however many."""
    for _ in range(attempts):
        beside, value = _ran_beside_once(call)
        if beside:
            break
    return beside, value


def _ran_beside_once(call):
    started, result = threading.Event(), {}

    def work():
        started.set()
        result["value"] = call()

    before = sys.getswitchinterval()
    sys.setswitchinterval(1000.0)
    try:
        worker = threading.Thread(target=work)
        worker.start()
        started.wait()
        beside = "value" not in result
        worker.join()
    finally:
        sys.setswitchinterval(before)
    return beside, result["value"]


def test_native_control_calls_release_the_gil():
    from qualstat import _qualstat

    rng = np.random.default_rng(2)
    x = rng.normal(10.0, 1.0, 3_000_000)
    sizes = np.full(600_000, 5, dtype=np.int64)
    ranges, sds = rng.uniform(1.0, 3.0, sizes.size), rng.uniform(0.5, 1.5, sizes.size)
    used = np.ones(sizes.size, dtype=bool)
    means = np.linspace(0.0, 12.0, 2_000_000)
    calls = {
        "individuals_sigma": lambda: _qualstat._control_individuals_sigma(
            "median_mr", x, 2, "exact"
        ),
        "subgroup_sigma": lambda: _qualstat._control_subgroup_sigma(
            "mvlue-r", sizes, ranges, sds, used, "exact"
        ),
        "laney_sigma_z": lambda: _qualstat._control_laney_sigma_z(
            x, np.full(x.size, 10.0), np.ones(x.size), "categorical", 1.128
        ),
        "oc": lambda: _qualstat._control_oc("poisson", means, 2.0, 9.0, 1.0, 1.0),
    }
    for name, call in calls.items():
        alone = call()  # first: a first call may set things up (numpy's borrow tracking)
        beside, value = _ran_beside(call)
        assert beside, f"_control_{name} held the GIL"
        np.testing.assert_array_equal(value, alone)  # the same result as in one thread
    ch = qs.control.imr(x[:1000])
    assert ch.i.sigma == _qualstat._control_individuals_sigma("mr", x[:1000], 2, "exact")


@pytest.mark.parametrize("name", ["xbar_r", "imr", "p", "u", "cusum", "ewma"])
def test_staged_to_dict_lists_each_stage_as_a_chart_of_its_own_points(name):
    """to_dict of a staged chart: "stages" holds each stage's estimates, those of the chart
    of that stage's data alone; the chart's own are the last stage's (as its sigma: the
    limits monitor() extends)."""
    rng = np.random.default_rng(11)  # the data of _staged_charts
    x, rows = rng.normal(10.0, 1.0, 12), rng.normal(10.0, 1.0, (12, 4))
    d, n = rng.integers(1, 9, 12), np.full(12, 60)
    cc = qs.control
    build = {
        "xbar_r": lambda s: cc.xbar_r(rows[s]),
        "imr": lambda s: cc.imr(x[s]),
        "p": lambda s: cc.p(d[s], n[s]),
        "u": lambda s: cc.u(d[s], n[s]),
        "cusum": lambda s: cc.cusum(x[s]),
        "ewma": lambda s: cc.ewma(x[s]),
    }[name]

    def first(result):
        return result.charts[0] if isinstance(result, qs.control.Pair) else result

    staged = first(_staged_charts(["before"] * 6 + ["after"] * 6)[name]).to_dict()
    alone = [first(build(slice(0, 6))).to_dict(), first(build(slice(6, 12))).to_dict()]
    assert [s["stage"] for s in staged["stages"]] == ["before", "after"]
    for stage, own in zip(staged["stages"], alone, strict=True):
        assert stage == {"stage": stage["stage"], **{k: own[k] for k in stage if k != "stage"}}
        assert set(stage) >= {"points", "phase1_points", "sigma"}
    common = set(staged["stages"][-1]) - {"stage", "points", "phase1_points"}
    assert {k: staged[k] for k in common} == {k: alone[-1][k] for k in common}
    assert staged["points"] == 12 and "stages" not in alone[0]


@pytest.mark.parametrize(
    ("family", "n", "message"),
    [
        ("binomial", 2.5, r"n = 2\.5 is invalid: expected a non-negative whole number"),
        ("sd", -1.0, r"n = -1 is invalid: expected a non-negative whole number"),
        ("binomial", math.nan, r"n = NaN is invalid"),
        ("weibull", 5.0, r'family = weibull is invalid: expected "normal", "binomial"'),
    ],
)
def test_native_oc_refuses_a_count_that_is_not_whole_and_an_unknown_family(
    family: str, n: float, message: str
) -> None:
    from qualstat import _qualstat

    with pytest.raises(ValueError, match=message):
        _qualstat._control_oc(family, np.array([0.1]), 0.0, 5.0, n, 1.0)
