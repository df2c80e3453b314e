"""Run lengths and design of control charts (qs.control.arl_*, cusum_h, ewma_L,
ewma_design, run_length) against independent numpy/scipy re-implementations,
seeded Monte Carlo simulations (within 4 standard errors), and published values
(the Rust tests check the whole of reference/tables/arl_published.csv).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.sparse as sp
import scipy.sparse.linalg as spla
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize
from scipy.stats import norm

import qualstat as qs

# ---------------------------------------------------------------------------
# Independent references: Nystrom solutions with many more nodes than the
# engine (numpy's Gauss-Legendre), and a Markov chain for the WE rules built
# from explicit histories of zone labels (not from rule memories).


def np_cusum_one_sided(d, k, h, s=0.0, n=400):
    x, w = np.polynomial.legendre.leggauss(n)
    y, w = h / 2 * (x + 1), h / 2 * w
    z = np.concatenate([[0.0], y])
    q = np.empty((n + 1, n + 1))
    q[:, 0] = norm.cdf(k - z - d)
    q[:, 1:] = w[None, :] * norm.pdf(y[None, :] + k - z[:, None] - d)
    arl = np.linalg.solve(np.eye(n + 1) - q, np.ones(n + 1))
    row = np.concatenate([[norm.cdf(k - s - d)], w * norm.pdf(y + k - s - d)])
    return 1.0 + row @ arl


def np_cusum_two_sided(d, k, h, s=0.0, n=400):
    up0, lo0 = np_cusum_one_sided(d, k, h, 0, n), np_cusum_one_sided(-d, k, h, 0, n)
    if s == 0:
        return 1 / (1 / up0 + 1 / lo0)
    ups, los = np_cusum_one_sided(d, k, h, s, n), np_cusum_one_sided(-d, k, h, s, n)
    return (ups * lo0 + up0 * los - up0 * lo0) / (up0 + lo0)


def np_ewma(d, lam, L, n=1000):
    c = L * math.sqrt(lam / (2 - lam))
    x, w = np.polynomial.legendre.leggauss(n)
    y, w = c * x, c * w
    k = w[None, :] / lam * norm.pdf((y[None, :] - (1 - lam) * y[:, None]) / lam - d)
    arl = np.linalg.solve(np.eye(n) - k, np.ones(n))
    return 1.0 + (w / lam * norm.pdf(y / lam - d)) @ arl


# Zone edges of the WE rules with 3-sigma limits.
_EDGES = np.array([-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0])


def np_we_arl(shifts, rules):
    """ARLs of WE rules by a chain whose state is the last four zone labels
    and the signed run on one side of the centre line (capped at 7).

    Labels: -3 below -3, -2 in (-3,-2), -1 in (-2,-1), 0 in (-1,0), 1 in (0,1),
    2 in (1,2), 3 in (2,3), 4 above 3 (so "beyond 1 sigma up" is label >= 2).
    States are built by breadth-first search from the empty history; the rules
    are tested on the explicit history, not on per-rule memories.
    """
    labels = [-3, -2, -1, 0, 1, 2, 3, 4]

    def signal(hist, run):
        cur = hist[-1]
        if 1 in rules and cur in (-3, 4):
            return True
        if 2 in rules:
            w = hist[-3:]
            if cur >= 3 and sum(v >= 3 for v in w) >= 2:
                return True
            if cur <= -2 and sum(v <= -2 for v in w) >= 2:
                return True
        if 3 in rules:
            w = hist[-5:]
            if cur >= 2 and sum(v >= 2 for v in w) >= 4:
                return True
            if cur <= -1 and sum(v <= -1 for v in w) >= 4:
                return True
        return 4 in rules and abs(run) >= 8

    index = {((), 0): 0}
    order = [((), 0)]
    rows, cols, zone = [], [], []
    i = 0
    while i < len(order):
        hist, run = order[i]
        for z, lab in enumerate(labels):
            new = (*hist, lab)
            up = lab >= 1
            nrun = (max(run, 0) + 1) if up else (min(run, 0) - 1)
            if signal(new, nrun):
                continue
            key = (new[-4:], nrun if 4 in rules else 0)
            j = index.setdefault(key, len(order))
            if j == len(order):
                order.append(key)
            rows.append(i)
            cols.append(j)
            zone.append(z)
        i += 1
    n = len(order)
    out = []
    for d in shifts:
        cdf = norm.cdf(_EDGES - d)
        probs = np.diff(np.concatenate([[0.0], cdf, [1.0]]))
        q = sp.csr_matrix((probs[zone], (rows, cols)), shape=(n, n))
        arl = spla.spsolve((sp.identity(n) - q).tocsc(), np.ones(n))
        out.append(float(arl[0]))
    return out


# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("k", "h", "s", "d"),
    [
        (0.5, 4.0, 0.0, 0.0),
        (0.5, 4.0, 0.0, 1.0),
        (0.5, 5.0, 2.5, 0.5),
        (0.25, 8.0, 0.0, -0.75),
        (1.0, 2.5, 1.0, 2.0),
        (0.0, 10.0, 0.0, 0.25),
        (1.5, 15.0, 0.0, 3.0),
    ],
)
def test_cusum_matches_an_independent_nystrom_solution(k, h, s, d):
    want1 = np_cusum_one_sided(d, k, h, s)
    got1 = qs.control.arl_cusum(d, k=k, h=h, head_start=s, sides=1)
    # Rounding: I - Q is nearly singular for a large ARL (both solutions vary
    # by about ARL * 1e-14 with the node count), hence the scaled tolerance.
    assert got1 == pytest.approx(want1, rel=max(1e-9, 1e-13 * want1))
    if s <= h / 2 + k:
        want2 = np_cusum_two_sided(d, k, h, s)
        got2 = qs.control.arl_cusum(d, k=k, h=h, head_start=s)
        assert got2 == pytest.approx(want2, rel=1e-9)


@pytest.mark.parametrize(
    ("lam", "L", "d"),
    [
        (0.2, 2.86, 0.0),
        (0.1, 2.7, 0.5),
        (0.05, 2.6, 1.0),
        (0.5, 3.0, 2.0),
        (1.0, 3.0, 1.0),
        (0.01, 2.3, 0.25),
        (0.3, 3.5, 4.0),
    ],
)
def test_ewma_matches_an_independent_nystrom_solution(lam, L, d):
    want = np_ewma(d, lam, L, n=600)
    assert qs.control.arl_ewma(d, lam=lam, L=L) == pytest.approx(want, rel=1e-9)


@pytest.mark.parametrize("rules", [(1,), (1, 2), (1, 3), (1, 4), (1, 2, 3, 4)])
def test_western_electric_rules_match_a_history_chain(rules):
    shifts = np.array([0.0, 0.5, 1.0, 2.0])
    got = qs.control.arl_shewhart(shifts, rules=[("we", r) for r in rules])
    want = np_we_arl(shifts, rules)
    np.testing.assert_allclose(got, want, rtol=1e-9)


def test_arrays_keep_their_shape_and_scalars_stay_floats():
    d = np.array([[0.0, 0.5], [1.0, 2.0]])
    out = qs.control.arl_ewma(d, lam=0.2, L=2.86)
    assert out.shape == (2, 2)
    assert out[1, 0] == qs.control.arl_ewma(1.0, lam=0.2, L=2.86)
    assert isinstance(qs.control.arl_cusum(0.0, k=0.5, h=4.0), float)
    # subgroup size: the plotted mean shifts by shift * sqrt(n)
    assert qs.control.arl_shewhart(0.5, subgroup_size=4) == pytest.approx(
        qs.control.arl_shewhart(1.0), rel=1e-13
    )


def test_design_solvers_agree_with_scipy_root_finding():
    for k, arl0 in [(0.5, 370.0), (0.25, 1000.0), (1.0, 200.0)]:
        h = qs.control.cusum_h(k, arl0)
        ref = optimize.brentq(
            lambda h, k=k, a=arl0: np_cusum_two_sided(0.0, k, h, n=120) - a,
            0.5 * h,
            1.5 * h,
            xtol=1e-12,
        )
        assert h == pytest.approx(ref, rel=1e-8)
    for lam, arl0 in [(0.1, 500.0), (0.25, 370.0)]:
        L = qs.control.ewma_L(lam, arl0)
        ref = optimize.brentq(
            lambda L, lam=lam, a=arl0: np_ewma(0.0, lam, L, n=300) - a, 1.5, 4.0, xtol=1e-12
        )
        assert L == pytest.approx(ref, rel=1e-8)
    # head start: h for a FIR CUSUM with s = h/2
    h = qs.control.cusum_h(0.5, 500.0, head_start_fraction=0.5)
    assert qs.control.arl_cusum(0.0, k=0.5, h=h, head_start=h / 2) == pytest.approx(500.0, rel=1e-8)


def test_optimal_ewma_is_a_minimum_over_lambda():
    d = qs.control.ewma_design(0.5, 370.0)
    assert 0.02 < d.lam < 0.1
    assert qs.control.arl_ewma(0.0, lam=d.lam, L=d.L) == pytest.approx(370.0, rel=1e-8)
    for lam in (d.lam * 0.6, d.lam * 1.6):
        L = qs.control.ewma_L(lam, 370.0)
        assert qs.control.arl_ewma(0.5, lam=lam, L=L) > d.arl1
    assert "EwmaDesign(lam=" in repr(d) and d.to_dict()["arl0"] == 370.0


# ---------------------------------------------------------------------------
# Monte Carlo (seeded): the simulated mean run length within 4 standard errors.


def _mc(step, n_runs, seed, max_t=100_000):
    """Run lengths of n_runs charts; step(state, x) -> (state, signalled)."""
    rng = np.random.default_rng(seed)
    rl = np.zeros(n_runs, dtype=np.int64)
    alive = np.arange(n_runs)
    state = None
    t = 0
    while alive.size and t < max_t:
        t += 1
        state, sig = step(state, alive, rng)
        rl[alive[sig]] = t
        alive = alive[~sig]
    return rl


def _within(rl, value, z=4.0):
    se = rl.std(ddof=1) / math.sqrt(rl.size)
    assert abs(rl.mean() - value) < z * se, (rl.mean(), se, value)


def test_two_sided_cusum_with_head_start_matches_simulation():
    k, h, s, d, n = 0.5, 4.0, 2.0, 0.5, 200_000
    cp, cm = np.full(n, s), np.full(n, s)

    def step(_, alive, rng):
        x = rng.standard_normal(alive.size) + d
        cp[alive] = np.maximum(0.0, cp[alive] + x - k)
        cm[alive] = np.maximum(0.0, cm[alive] - x - k)
        return None, (cp[alive] > h) | (cm[alive] > h)

    _within(_mc(step, n, 11), qs.control.arl_cusum(d, k=k, h=h, head_start=s))


def test_two_sided_cusum_where_both_sides_can_be_active_matches_simulation():
    # h > 2k: the two sums can be positive at once; the 1/L+ + 1/L- formula
    # is then the published convention, checked here at a small ARL.
    k, h, d, n = 0.25, 3.0, 0.0, 200_000
    cp, cm = np.zeros(n), np.zeros(n)

    def step(_, alive, rng):
        x = rng.standard_normal(alive.size) + d
        cp[alive] = np.maximum(0.0, cp[alive] + x - k)
        cm[alive] = np.maximum(0.0, cm[alive] - x - k)
        return None, (cp[alive] > h) | (cm[alive] > h)

    _within(_mc(step, n, 12), qs.control.arl_cusum(d, k=k, h=h))


def test_ewma_zero_and_steady_state_match_simulation():
    lam, L, d, n = 0.2, 2.86, 0.75, 200_000
    c = L * math.sqrt(lam / (2 - lam))
    z = np.zeros(n)

    def step(_, alive, rng):
        z[alive] = (1 - lam) * z[alive] + lam * (rng.standard_normal(alive.size) + d)
        return None, np.abs(z[alive]) > c

    _within(_mc(step, n, 13), qs.control.arl_ewma(d, lam=lam, L=L))
    # Conditional steady state: 300 in-control points, keep the charts that
    # did not signal, then shift.
    rng = np.random.default_rng(14)
    z = np.zeros(3 * n)
    ok = np.ones(3 * n, dtype=bool)
    for _ in range(300):
        z = (1 - lam) * z + lam * rng.standard_normal(z.size)
        ok &= np.abs(z) <= c
    z = z[ok][:n]

    def shifted(_, alive, rng):
        z[alive] = (1 - lam) * z[alive] + lam * (rng.standard_normal(alive.size) + d)
        return None, np.abs(z[alive]) > c

    rl = _mc(shifted, z.size, 15)
    _within(rl, qs.control.arl_ewma(d, lam=lam, L=L, state="steady"))
    assert qs.control.arl_ewma(d, lam=lam, L=L, state="steady") < qs.control.arl_ewma(
        d, lam=lam, L=L
    )


def test_nelson_zone_rules_match_simulation():
    rules = [("nelson", r) for r in (1, 2, 5, 6, 7, 8)]
    for d, seed in ((0.0, 21), (1.0, 22)):
        n = 40_000
        rng = np.random.default_rng(seed)
        hist = np.zeros((0, n))
        rl = np.zeros(n, dtype=np.int64)
        alive = np.ones(n, dtype=bool)
        t = 0
        while alive.any():
            t += 1
            x = rng.standard_normal(n) + d
            hist = np.vstack([hist[-14:], x])
            w = hist
            sig = np.abs(x) > 3.0
            if w.shape[0] >= 9:
                sig |= np.all(w[-9:] > 0, axis=0) | np.all(w[-9:] < 0, axis=0)
            for m, k, a in ((2, 3, 2.0), (4, 5, 1.0)):
                ww = w[-k:]
                sig |= (x > a) & (np.sum(ww > a, axis=0) >= m)
                sig |= (x < -a) & (np.sum(ww < -a, axis=0) >= m)
            if w.shape[0] >= 15:
                sig |= np.all(np.abs(w[-15:]) <= 1.0, axis=0)
            if w.shape[0] >= 8:
                ww = w[-8:]
                sig |= (
                    np.all(np.abs(ww) > 1.0, axis=0)
                    & np.any(ww > 1.0, axis=0)
                    & np.any(ww < -1.0, axis=0)
                )
            new = sig & alive
            rl[new] = t
            alive &= ~sig
        _within(rl, qs.control.arl_shewhart(d, rules=rules))


def test_nelson_trend_rules_are_refused():
    with pytest.raises(ValueError, match="trend and alternating"):
        qs.control.arl_shewhart(0.0, rules="nelson")


# ---------------------------------------------------------------------------
# Run-length distribution


def test_run_length_distribution_matches_simulation_and_the_arl():
    lam, L, d = 0.1, 2.814, 1.0
    rl = qs.control.run_length("ewma", d, lam=lam, L=L, tail=1e-10)
    assert rl.arl == pytest.approx(qs.control.arl_ewma(d, lam=lam, L=L), rel=1e-12)
    assert rl.survival.sum() == pytest.approx(rl.arl, rel=1e-8)
    c = L * math.sqrt(lam / (2 - lam))
    n = 200_000
    z = np.zeros(n)

    def step(_, alive, rng):
        z[alive] = (1 - lam) * z[alive] + lam * (rng.standard_normal(alive.size) + d)
        return None, np.abs(z[alive]) > c

    sim = _mc(step, n, 31)
    assert sim.std(ddof=1) == pytest.approx(rl.sdrl, rel=0.02)
    for t in (5, 9, 15, 25):
        p = rl.survival[t]
        se = math.sqrt(p * (1 - p) / n)
        assert abs((sim > t).mean() - p) < 4 * se
    med = rl.quantile(0.5)
    assert rl.survival[med] <= 0.5 < rl.survival[med - 1]
    assert rl.table.columns == ["t", "survival", "cdf"]
    assert "median" in repr(rl) and rl.to_dict()["chart"] == "ewma"


def test_shewhart_run_length_is_geometric_without_runs_rules():
    rl = qs.control.run_length("shewhart", 1.0, L=3.0, tail=1e-8)
    p = norm.sf(2.0) + norm.cdf(-4.0)
    t = np.arange(rl.survival.size)
    np.testing.assert_allclose(rl.survival, (1 - p) ** t, rtol=1e-11)
    assert rl.sdrl == pytest.approx(math.sqrt(1 - p) / p, rel=1e-10)
    assert rl.quantile(0.5) == math.ceil(math.log(0.5) / math.log(1 - p))


def test_cusum_run_length_and_steady_state():
    rl = qs.control.run_length("cusum", 1.0, k=0.5, h=4.0)
    assert rl.arl == pytest.approx(qs.control.arl_cusum(1.0, k=0.5, h=4.0, sides=1), rel=1e-12)
    ss = qs.control.arl_cusum(1.0, k=0.5, h=4.0, sides=1, state="steady")
    assert 1.0 < ss < rl.arl  # starting above 0 on average
    with pytest.raises(ValueError, match="two-sided"):
        qs.control.arl_cusum(1.0, k=0.5, h=4.0, state="steady")


def test_a_huge_arl_is_infinite_not_nan():
    assert qs.control.arl_cusum(-3.0, k=1.5, h=8.0, sides=1) == math.inf
    # ... and drops out of the two-sided combination
    two = qs.control.arl_cusum(3.0, k=1.5, h=8.0)
    assert two == pytest.approx(qs.control.arl_cusum(3.0, k=1.5, h=8.0, sides=1), rel=1e-12)


def test_brook_evans_chain_converges_to_the_engine():
    exact = qs.control.arl_cusum(0.5, k=0.5, h=4.0, sides=1)
    errs = [
        abs(qs._qualstat._cusum_arl_markov(0.5, 0.5, 4.0, 0.0, m) / exact - 1)
        for m in (100, 200, 400)
    ]
    assert errs[0] > errs[1] > errs[2]
    assert errs[2] < 1e-4
    assert errs[1] / errs[2] == pytest.approx(4.0, rel=0.15)  # second order


@settings(max_examples=30, deadline=None)
@given(
    k=st.floats(0.0, 1.5),
    h=st.floats(0.5, 8.0),
    d=st.floats(-2.0, 3.0),
)
def test_cusum_one_side_beyond_the_other(k, h, d):
    one = qs.control.arl_cusum(d, k=k, h=h, sides=1)
    two = qs.control.arl_cusum(d, k=k, h=h)
    assert two <= one * (1 + 1e-12)
    assert two >= 1.0


# ---------------------------------------------------------------------------
# chart.arl(): the run length of a built chart's own design


def _published_rows(chart: str):
    from pathlib import Path

    import polars as pl

    path = Path(__file__).resolve().parents[2] / "reference" / "tables" / "arl_published.csv"
    table = pl.read_csv(path, infer_schema=False).filter(pl.col("chart") == chart)
    for row in table.iter_rows(named=True):
        params = dict(p.split("=") for p in row["params"].split(";"))
        tol = row["tol"]
        value = float(row["value"])
        atol = value * float(tol.split()[1]) if tol.startswith("rel") else float(tol)
        if "typo" not in (row["note"] or ""):  # a misprint (the Rust test checks it differs)
            yield params, float(row["shift"]), row["state"], value, atol


_INDIVIDUALS = np.random.default_rng(4).normal(10.0, 1.0, 40)


def test_chart_arl_reproduces_published_shewhart_tables():
    """Champ & Woodall 1987 Table 1 (WE rule sets, 3-sigma) from I charts built with
    those rules; equal to arl_shewhart called alone."""
    count = 0
    for params, shift, state, value, atol in _published_rows("shewhart"):
        rules = [("we", int(r)) for r in params["rules"].split(":")[1].split("+")]
        chart = qs.control.imr(_INDIVIDUALS, rules=rules, L=float(params["L"])).i
        got = chart.arl(shift, state=state)
        assert abs(got - value) <= atol, (params, shift)
        assert got == qs.control.arl_shewhart(shift, rules=rules, L=3.0, state=state)
        count += 1
    assert count == 64
    # Montgomery (Introduction to SQC, 3-sigma limits): ARL0 = 1/0.0027 = 370.4; a
    # one-sigma shift of an xbar chart of n = 5: 1 / (1 - beta), beta from the normal cdf
    xbar = qs.control.xbar_r(np.resize(_INDIVIDUALS, (8, 5))).xbar
    assert round(xbar.arl(), 1) == 370.4
    for d in (0.5, 1.0, 1.5, 2.0):
        beta = norm.cdf(3 - d * math.sqrt(5)) - norm.cdf(-3 - d * math.sqrt(5))
        assert math.isclose(xbar.arl(d), 1 / (1 - beta), rel_tol=1e-10)
    assert xbar.arl([0.0, 1.0]).shape == (2,)
    we = qs.control.xbar_s(np.resize(_INDIVIDUALS, (8, 5)), rules="we")
    assert round(we.arl(), 2) == 91.75  # Champ & Woodall 1987: WE rules 1-4 in control
    assert we.arl(0.4) == qs.control.arl_shewhart(0.4, rules="we", subgroup_size=5)


def test_chart_arl_of_cusum_and_ewma_equals_the_standalone_functions():
    """Lucas & Crosier 1982 (k = 0.5, h = 4, with and without the FIR head start) and
    the EWMA tables from charts of individuals; subgroup means of n scale the shift."""
    count = 0
    for params, shift, state, value, atol in _published_rows("cusum"):
        if params["sides"] != "2":
            continue
        k, h, s = float(params["k"]), float(params["h"]), float(params["head_start"])
        chart = qs.control.cusum(_INDIVIDUALS, k=k, h=h, head_start=s)
        got = chart.arl(shift, state=state)
        assert abs(got - value) <= atol, (params, shift)
        assert got == qs.control.arl_cusum(shift, k=k, h=h, head_start=s, state=state)
        count += 1
    assert count >= 22
    for params, shift, state, value, atol in _published_rows("ewma"):
        lam, L = float(params["lam"]), float(params["L"])
        chart = qs.control.ewma(_INDIVIDUALS, lam=lam, L=L)
        got = chart.arl(shift, state=state)
        assert abs(got - value) <= atol, (params, shift)
        assert got == qs.control.arl_ewma(shift, lam=lam, L=L, state=state)
    means = np.resize(_INDIVIDUALS, (8, 4))
    cusum = qs.control.cusum(means, k=0.5, h=5.0)
    assert cusum.arl(0.5) == qs.control.arl_cusum(1.0, k=0.5, h=5.0)  # 0.5 sigma * sqrt(4)
    ewma = qs.control.ewma(means, lam=0.1, L=2.7)
    np.testing.assert_array_equal(
        ewma.arl(np.array([0.25, 0.5])), qs.control.arl_ewma([0.5, 1.0], lam=0.1, L=2.7)
    )


def test_chart_arl_refuses_charts_without_a_mean_shift():
    pair = qs.control.imr(_INDIVIDUALS)
    assert pair.arl(1.0) == pair.i.arl(1.0)
    with pytest.raises(ValueError, match="arl is not available for the MR chart"):
        pair.mr.arl()
    with pytest.raises(ValueError, match="x= is for p, np, c and u charts"):
        pair.i.arl(x=0.1)
    with pytest.raises(ValueError, match="arl is not available for the p' chart"):
        qs.control.p_prime([950, 905, 980, 940, 960], [1000] * 5).arl()
    with pytest.raises(ValueError, match="arl needs one subgroup size.*2 to 3 values"):
        qs.control.xbar_r([[1.0, 2.0, 3.0], [2.0, 3.5], [1.0, 4.0, 5.0]]).arl()
    with pytest.raises(ValueError, match="state"):
        pair.arl(0.0, state="start")
    staged = qs.control.imr(_INDIVIDUALS, stages=[1] * 20 + [2] * 20, rules="we")
    assert staged.arl() == qs.control.arl_shewhart(0.0, rules="we")


# ---------------------------------------------------------------------------
# chart.arl(x=...) of attribute charts: geometric run length, P(signal) from
# scipy's binomial and Poisson tails at limits worked out here from the formulas.


def _signal(dist, lcl: float, ucl: float) -> float:
    """P(X > floor(UCL)) + P(X < ceil(LCL)) on the count scale (scipy)."""
    lo, hi = math.ceil(lcl - 1e-9), math.floor(ucl + 1e-9)
    return float(dist.sf(hi) + (dist.cdf(lo - 1) if lo >= 1 else 0.0))


def test_attribute_chart_arl_against_scipy_tails():
    from scipy.stats import binom, poisson

    # p chart, n = 50, known centre 0.2 (Montgomery's orange-juice design): sigma
    # limits 0.2 +/- 3 sqrt(0.2 * 0.8 / 50) on the fraction scale.
    n, p0 = 50, 0.2
    half = 3 * math.sqrt(p0 * (1 - p0) / n)
    pc = qs.control.p([12, 15, 8, 10, 4, 7, 16, 9], [n] * 8, center=p0)
    for x in (0.0, 0.05, 0.2, 0.3, 0.5, 1.0):
        pr = _signal(binom(n, x), n * (p0 - half), n * (p0 + half))
        want = math.inf if pr == 0 else 1 / pr
        got = pc.arl(x=x)
        assert math.isclose(got, want, rel_tol=1e-12), x
    assert pc.arl() == pc.arl(x=0.2) == pc.arl(x="20%")
    # Montgomery's OC of this design (Introduction to SQC, the p chart chapter, n = 50,
    # LCL 0.0303, UCL 0.3697): beta(0.3) = 0.8594, ARL about 7.1 [recall: not checked
    # against the book; scipy above is the reference].
    assert round(1 - 1 / pc.arl(x=0.3), 4) == 0.8594
    # np chart with the same design: the same counts, the same ARLs.
    npc = qs.control.np([12, 15, 8, 10, 4, 7, 16, 9], n, center="20%")
    np.testing.assert_array_equal(npc.arl(x=[0.1, 0.3]), pc.arl(x=[0.1, 0.3]))
    # LCL <= 0 (no lower signal): n = 20, p = 0.05, only X > floor(UCL) signals.
    low = qs.control.p([1, 0, 2, 1], [20] * 4, center=0.05)
    ucl = 20 * (0.05 + 3 * math.sqrt(0.05 * 0.95 / 20))
    for x in (0.0, 0.01, 0.05, 0.2):
        want = 1 / float(binom(20, x).sf(math.floor(ucl))) if x > 0 else math.inf
        assert math.isclose(low.arl(x=x), want, rel_tol=1e-12), x
    # c chart, centre 4: limits 4 +/- 6 -> LCL < 0, UCL 10.
    cc = qs.control.c([4, 7, 3, 6, 5], center=4.0)
    for x in (1.0, 4.0, 9.0):
        assert math.isclose(cc.arl(x=x), 1 / float(poisson(x).sf(10)), rel_tol=1e-12), x
    # c chart with a lower limit: centre 20, limits 20 +/- 3 sqrt(20).
    c20 = qs.control.c([18, 22, 25, 17], center=20.0)
    lcl, ucl = 20 - 3 * math.sqrt(20), 20 + 3 * math.sqrt(20)
    for x in (8.0, 20.0, 35.0):
        assert math.isclose(c20.arl(x=x), 1 / _signal(poisson(x), lcl, ucl), rel_tol=1e-12)
    # u chart, 2.5 units per sample, centre 3 per unit: Poisson(2.5 u).
    uc = qs.control.u([7, 9, 6, 8], [2.5] * 4, center=3.0)
    se = math.sqrt(3.0 / 2.5)
    lcl, ucl = 2.5 * (3.0 - 3 * se), 2.5 * (3.0 + 3 * se)
    for x in (0.5, 3.0, 6.0):
        assert math.isclose(uc.arl(x=x), 1 / _signal(poisson(2.5 * x), lcl, ucl), rel_tol=1e-12)


def test_attribute_chart_arl_with_probability_limits_and_steps():
    from scipy.stats import binom

    # Probability limits: the chart's own count limits (quantiles), strict beyond.
    pc = qs.control.np([3, 5, 2, 8, 4], 100, center=0.04, confidence=0.99)
    lcl, ucl = float(pc.lcl[-1]), float(pc.ucl[-1])
    for x in (0.02, 0.04, 0.1):
        assert math.isclose(pc.arl(x=x), 1 / _signal(binom(100, x), lcl, ucl), rel_tol=1e-12)
    # Sizes that differ: refused without size=; with it, that size's limits.
    steps = qs.control.p([3, 5, 4], [80, 100, 120], center=0.05)
    with pytest.raises(ValueError, match="80 to 120 units.*size="):
        steps.arl(x=0.05)
    half = 3 * math.sqrt(0.05 * 0.95 / 100)
    want = 1 / _signal(binom(100, 0.1), 100 * (0.05 - half), 100 * (0.05 + half))
    assert math.isclose(steps.arl(x=0.1, size=100), want, rel_tol=1e-12)
    assert steps.arl(x=0.1, size=120) == qs.control.p([1], [120], center=0.05).arl(x=0.1)
    # Stages: the last stage's design.
    staged = qs.control.p([3, 5, 4, 9, 8, 7], [100] * 6, stages=[1, 1, 1, 2, 2, 2])
    assert staged.arl(x=0.05) == qs.control.p([9, 8, 7], [100] * 3).arl(x=0.05)


@settings(max_examples=40, deadline=None)
@given(
    xs=st.lists(st.floats(0.0, 1.0), min_size=1, max_size=300),
    n=st.integers(1, 400),
    center=st.floats(0.001, 0.9),
)
def test_attribute_chart_arl_batch_equals_scalar(xs, n, center):
    chart = qs.control.p([0], [n], center=center)
    batch = chart.arl(x=np.array(xs))
    assert [chart.arl(x=v) for v in xs] == batch.tolist()
    rates = np.array(xs) * 7.0
    uc = qs.control.u([1], [2.5], center=center * 7.0)
    assert [uc.arl(x=float(v)) for v in rates] == uc.arl(x=rates).tolist()


def test_attribute_chart_run_length_against_scipy_geometric():
    """ARL 1/P, SDRL sqrt(1 - P)/P, survival and quantiles of the geometric run length,
    P from scipy's tails at the limits worked out here (as the ARL test above), the
    distribution from scipy's geometric law (support 1, 2, ...)."""
    from scipy.stats import binom, geom, poisson

    n, p0 = 50, 0.2
    half = 3 * math.sqrt(p0 * (1 - p0) / n)
    pc = qs.control.p([12, 15, 8, 10, 4, 7, 16, 9], [n] * 8, center=p0)
    c20 = qs.control.c([18, 22, 25, 17], center=20.0)
    uc = qs.control.u([7, 9, 6, 8], [2.5] * 4, center=3.0)
    se = math.sqrt(3.0 / 2.5)
    cases = [
        (pc, x, _signal(binom(n, x), n * (p0 - half), n * (p0 + half)))
        for x in (0.05, 0.2, 0.3, 0.5)
    ]
    cases += [
        (c20, x, _signal(poisson(x), 20 - 3 * math.sqrt(20), 20 + 3 * math.sqrt(20)))
        for x in (8.0, 20.0, 35.0)
    ]
    cases += [
        (uc, x, _signal(poisson(2.5 * x), 2.5 * (3.0 - 3 * se), 2.5 * (3.0 + 3 * se)))
        for x in (2.0, 3.0, 6.0)
    ]
    for chart, x, pr in cases:
        rl = chart.run_length(x=x, tail=1e-3)
        assert rl.arl == chart.arl(x=x)  # bit for bit
        assert math.isclose(rl.arl, float(geom(pr).mean()), rel_tol=1e-12), (chart.name, x)
        assert math.isclose(rl.sdrl, float(geom(pr).std()), rel_tol=1e-12), (chart.name, x)
        assert math.isclose(rl.sdrl, math.sqrt(1 - pr) / pr, rel_tol=1e-12)
        t = np.arange(rl.survival.size)
        np.testing.assert_allclose(rl.survival, geom(pr).sf(t), rtol=1e-12, atol=0)
        assert rl.survival[-1] <= 1e-3 < rl.survival[-2]  # up to the tail
        for q in (0.1, 0.5, 0.9):
            assert rl.quantile(q) == int(geom(pr).ppf(q)), (chart.name, x, q)
        assert (rl.chart, rl.x, rl.shift, rl.state) == (chart.name, x, None, "zero")
        assert rl.to_dict()["x"] == x and rl.to_dict()["sdrl"] == rl.sdrl
    # np chart of the same design: the same run length; the centre by default.
    npc = qs.control.np([12, 15, 8, 10, 4, 7, 16, 9], n, center="20%")
    assert npc.run_length(x="30%").sdrl == pc.run_length(x=0.3).sdrl
    assert pc.run_length().arl == pc.arl() and pc.run_length().x == 0.2
    assert "x 0.3" in repr(pc.run_length(x=0.3))
    # Steps: the size's limits, as arl.
    steps = qs.control.p([3, 5, 4], [80, 100, 120], center=0.05)
    assert steps.run_length(x=0.1, size=100).arl == steps.arl(x=0.1, size=100)
    # No count can signal: infinite ARL and SDRL.
    never = qs.control.p([1, 0, 2, 1], [20] * 4, center=0.05)
    assert never.run_length(x=0.0, tail=0.5).arl == math.inf


def test_attribute_chart_run_length_refusals():
    pc = qs.control.p([3, 4, 5], [50, 50, 50])
    with pytest.raises(TypeError, match="one quality"):
        pc.run_length(x=[0.1, 0.2])
    with pytest.raises(ValueError, match="tail = 1.5"):
        pc.run_length(tail=1.5)
    with pytest.raises(ValueError, match="x = "):
        pc.run_length(x=1.5)
    with pytest.raises(ValueError, match=r"run_length of a p chart is for rule 1 alone"):
        qs.control.p([3, 4, 5], [50, 50, 50], rules="we").run_length()
    with pytest.raises(ValueError, match="80 to 120 units.*the run_length"):
        qs.control.p([3, 5, 4], [80, 100, 120]).run_length()
    with pytest.raises(ValueError, match="not a mean shift; give x="):
        pc.run_length(0.5)
    cusum = qs.control.cusum(_INDIVIDUALS, target=0.0, sigma=1.0)
    for chart in (qs.control.imr(_INDIVIDUALS).mr, qs.control.g([30, 12, 45, 8]), cusum):
        with pytest.raises(ValueError, match="run_length is not available"):
            chart.run_length()


def test_variables_chart_run_length_is_the_charts_design():
    """xbar and I with rule 1: the geometric run length, P = Phi(-L - d sqrt(n)) +
    Phi(-L + d sqrt(n)) (scipy); with rules and EWMA: qs.control.run_length with the
    chart's parameters, at the shift of the plotted mean for EWMA."""
    from scipy.stats import geom

    xbar = qs.control.xbar_s(np.arange(40.0).reshape(8, 5) % 7)
    for d in (0.0, 0.5, 1.0):
        pr = float(norm.cdf(-3 - d * math.sqrt(5)) + norm.cdf(-3 + d * math.sqrt(5)))
        rl = xbar.run_length(d)
        assert (rl.chart, rl.shift, rl.x) == ("xbar", d, None)
        assert math.isclose(rl.arl, float(geom(pr).mean()), rel_tol=1e-9), d
        assert math.isclose(rl.sdrl, float(geom(pr).std()), rel_tol=1e-9), d
        assert math.isclose(rl.arl, xbar.arl(d), rel_tol=1e-12)
        t = np.arange(rl.survival.size)
        np.testing.assert_allclose(rl.survival, geom(pr).sf(t), rtol=1e-9)
    we = qs.control.imr(_INDIVIDUALS, rules="we")
    rl = we.i.run_length(1.0, tail=1e-3)
    want = qs.control.run_length("shewhart", 1.0, rules="we", tail=1e-3)
    assert (rl.arl, rl.sdrl, rl.chart) == (want.arl, want.sdrl, "I")
    np.testing.assert_array_equal(rl.survival, want.survival)
    assert we.run_length(1.0).sdrl == we.i.run_length(1.0).sdrl  # the pair: its mean chart
    ewma = qs.control.ewma(np.arange(40.0).reshape(10, 4) % 5, lam=0.2, L=2.86)
    rl = ewma.run_length(0.5, state="steady")
    want = qs.control.run_length("ewma", 0.5 * 2.0, lam=0.2, L=2.86, state="steady")
    assert (rl.arl, rl.sdrl, rl.chart, rl.shift, rl.state) == (
        want.arl, want.sdrl, "EWMA", 0.5, "steady"
    )  # fmt: skip
    assert math.isclose(rl.arl, ewma.arl(0.5, state="steady"), rel_tol=1e-9)
    with pytest.raises(ValueError, match="x= is for p, np, c and u charts"):
        xbar.xbar.run_length(x=0.1)
    with pytest.raises(TypeError, match="shift must be a number"):
        ewma.run_length([0.5, 1.0])


def test_attribute_chart_arl_refusals():
    pc = qs.control.p([3, 4, 5], [50, 50, 50])
    with pytest.raises(ValueError, match="not a mean shift; give x="):
        pc.arl(0.1)
    with pytest.raises(ValueError, match=r"x\[1\]"):
        pc.arl(x=[0.1, 1.5])
    with pytest.raises(ValueError, match="x = "):
        pc.arl(x="5")
    with pytest.raises(ValueError, match="state"):
        pc.arl(state="start")
    assert pc.arl(state="steady") == pc.arl()
    with pytest.raises(ValueError, match=r"rule 1 alone.*we 2"):
        qs.control.p([3, 4, 5], [50, 50, 50], rules="we").arl()
    with pytest.raises(ValueError, match="size= is for p, np and u"):
        qs.control.c([3, 4, 5]).arl(size=2)
    with pytest.raises(ValueError, match="x"):
        qs.control.c([3, 4, 5]).arl(x=-1.0)
    with pytest.raises(ValueError, match="arl is not available for the g chart"):
        qs.control.g([30, 12, 45, 8]).arl()
