"""qs.AttributePlan, design_plan and friends against scipy.stats, plus bad input."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from plan_reference import scipy_pa
from scipy.stats import binom, hypergeom, poisson

import qualstat as qs

P = np.linspace(0.0, 0.3, 61)


@pytest.mark.parametrize("n,c", [(13, 0), (50, 1), (125, 3), (1250, 21)])
def test_single_plan_matches_scipy(n, c):
    plan = qs.AttributePlan.single(n, c)
    np.testing.assert_allclose(plan.prob_accept(P), binom.cdf(c, n, P), rtol=1e-10, atol=1e-300)
    np.testing.assert_allclose(
        plan.prob_accept(P, model="poisson"), poisson.cdf(c, n * P), rtol=1e-10, atol=1e-300
    )
    lot = 5000
    d = np.arange(0, 300, 7)
    np.testing.assert_allclose(
        plan.prob_accept(d / lot, lot_size=lot, model="hypergeometric"),
        hypergeom.cdf(c, lot, d, n),
        rtol=1e-9,
        atol=1e-300,
    )
    np.testing.assert_allclose(plan.aoq(P, lot_size=lot), P * binom.cdf(c, n, P) * (lot - n) / lot)


def test_double_plan_8_8_and_iso_multiple_match_scipy():
    plan = qs.AttributePlan.double(8, 0, 2, 8, 1)
    pa1 = binom.pmf(0, 8, P)
    want = pa1 + binom.pmf(1, 8, P) * binom.cdf(0, 8, P)
    np.testing.assert_allclose(plan.prob_accept(P), want, rtol=1e-10)
    np.testing.assert_allclose(plan.asn(P), 8 + 8 * binom.pmf(1, 8, P), rtol=1e-12)
    multi = qs.iso2859_1.plan(aql=1.0, code="K", kind="multiple")
    assert multi.stages == 7
    np.testing.assert_allclose(
        multi.prob_accept(P), scipy_pa(multi.n, multi.ac, multi.re, P), rtol=1e-9, atol=1e-300
    )


def test_sas_probacc2_type_a():
    plan = qs.AttributePlan.double(50, 1, 4, 100, 3)
    pa = plan.prob_accept(0.05, lot_size=200, model="hypergeometric_original_lot")
    assert abs(pa - 0.2396723824) < 6e-11


def test_shapes_and_types():
    plan = qs.AttributePlan.single(50, 1)
    assert isinstance(plan.prob_accept(0.01), float)
    out = plan.prob_accept([[0.01, 0.02], [0.03, 0.04]])
    assert isinstance(out, np.ndarray) and out.shape == (2, 2)
    series = plan.prob_accept(pl.Series([0.01, 0.02]))
    assert series.shape == (2,)
    assert plan.n == (50,) and plan.ac == (1,) and plan.re == (2,)
    assert plan == qs.AttributePlan(50, 1, 2)
    assert "AttributePlan(n=50, ac=1, re=2)" == repr(plan)
    assert "<table>" in plan._repr_html_()
    assert plan.to_dict() == {"n": (50,), "ac": (1,), "re": (2,)}


def test_curves_aoql_and_risk_points():
    plan = qs.AttributePlan.single(50, 1)
    frame = plan.curves(lot_size=1000)
    assert frame.columns == ["p", "prob_accept", "asn", "aoq", "ati"]
    assert frame["prob_accept"].is_sorted(descending=True)
    aoql = plan.aoql(lot_size=1000)
    assert abs(aoql.aoql - 0.015862588883259737) < 1e-10  # scipy minimize_scalar
    assert frame["aoq"].max() <= aoql.aoql + 1e-15
    assert plan.curves()["ati"].null_count() == len(plan.curves())
    rp = plan.risk_points()
    assert abs(binom.cdf(1, 50, rp["p95"]) - 0.95) < 1e-12
    assert abs(binom.cdf(1, 50, rp["p10"]) - 0.10) < 1e-12
    assert abs(plan.producer_risk(rp["p95"]) - 0.05) < 1e-12
    assert abs(plan.consumer_risk(rp["p10"]) - 0.10) < 1e-12
    ati = plan.ati(0.02, lot_size=1000)
    pa = binom.cdf(1, 50, 0.02)
    assert abs(ati - (50 * pa + 1000 * (1 - pa))) < 1e-9
    assert plan.asn_curtailed(0.05) < 50


def test_decisions():
    plan = qs.AttributePlan.double(8, 0, 2, 8, 1)
    d = plan.decide(1)
    assert (d.outcome, d.stage, d.next_sample_size) == ("continue", 1, 8)
    assert plan.decide([1, 0]).outcome == "accept"
    assert plan.decide([2]).outcome == "reject"
    frame = plan.decide_many([[0], [1, 1], [2], [1]])
    assert frame["outcome"].to_list() == ["accept", "reject", "reject", "continue"]
    assert frame["next_sample_size"].to_list() == [None, None, None, 8]


def brute_design(aql, lq, alpha, beta):
    for n in range(1, 3000):
        for c in range(n):
            if binom.cdf(c, n, aql) >= 1 - alpha:
                if binom.cdf(c, n, lq) <= beta:
                    return n, c
                break
    return None


def test_design_plan_matches_scipy_brute_force():
    rng = np.random.default_rng(7)
    for _ in range(25):
        aql = rng.uniform(0.005, 0.05)
        lq = aql * rng.uniform(3, 10)
        plan = qs.design_plan(aql, lq)
        assert (plan.n[0], plan.ac[0]) == brute_design(aql, lq, 0.05, 0.10)
    grid = qs.design_plan_grid([0.01, 0.02, 0.5], [0.05, 0.08, 0.9], alpha=0.05, beta=0.1)
    assert grid["n"][0] == 132
    assert (grid["n"][1], grid["ac"][1]) == brute_design(0.02, 0.08, 0.05, 0.10)
    assert grid.columns == ["aql", "lq", "alpha", "beta", "n", "ac"]
    z = qs.zero_acceptance_plan(0.05, beta=0.1)
    assert z.n[0] == int(np.ceil(np.log(0.1) / np.log(0.95))) and z.ac == (0,)
    dbl = qs.design_double_plan(0.02, 0.12)
    assert dbl.stages == 2 and dbl.n[0] == dbl.n[1]
    assert dbl.prob_accept(0.02) >= 0.95 and dbl.prob_accept(0.12) <= 0.10


@pytest.mark.parametrize(
    "call",
    [
        lambda: qs.AttributePlan.single(50, 1).prob_accept(1.5),
        lambda: qs.AttributePlan.single(50, 1).prob_accept(-0.1),
        lambda: qs.AttributePlan.single(50, 1).prob_accept(float("nan")),
        lambda: qs.AttributePlan.single(50, 1).prob_accept(0.1, lot_size=40),
        lambda: qs.AttributePlan.single(50, 1).prob_accept(0.1, model="hypergeometric"),
        lambda: qs.AttributePlan.single(50, 1).prob_accept(0.1, model="gaussian"),
        lambda: qs.AttributePlan(10, 2, 2),
        lambda: qs.AttributePlan(10, 1, 3),
        lambda: qs.AttributePlan([10, 10], [0], [2]),
        lambda: qs.AttributePlan(-10, 0, 1),
        lambda: qs.AttributePlan.double(8, 0, 2, 8, 1).decide([-1]),
        lambda: qs.AttributePlan.double(8, 0, 2, 8, 1).decide([1, 0, 0]),
        lambda: qs.AttributePlan.double(8, 0, 2, 8, 1).decide([9]),
        lambda: qs.AttributePlan.single(50, 1).ati(0.1, lot_size=None),
        lambda: qs.design_plan(0.05, 0.01),
        lambda: qs.design_plan(0.01, 0.05, alpha=1.5),
        lambda: qs.design_plan(0.01, 0.05, model="hypergeometric"),
    ],
)
def test_bad_input_raises_value_error(call):
    with pytest.raises(ValueError):
        call()


def test_bad_types_raise_type_error():
    with pytest.raises(TypeError):
        qs.AttributePlan(10.5, 0, 1)
    with pytest.raises(TypeError):
        qs.AttributePlan.single(50, 1).prob_accept("0.1")
    with pytest.raises(TypeError):
        qs.AttributePlan.single(50, 1).decide(True)


def test_error_messages_name_the_argument():
    with pytest.raises(ValueError, match=r"p = 1.5"):
        qs.AttributePlan.single(50, 1).prob_accept(1.5)
    with pytest.raises(ValueError, match=r"lot_size = 40"):
        qs.AttributePlan.single(50, 1).prob_accept(0.1, lot_size=40)
    with pytest.raises(ValueError, match=r"ac\[0\] = 2"):
        qs.AttributePlan(10, 2, 2)


def test_plot_returns_axes():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    ax = qs.AttributePlan.single(50, 1).plot()
    assert ax.get_ylabel() == "probability of acceptance"
    ax = qs.AttributePlan.single(50, 1).plot(what="aoq", lot_size=1000)
    assert ax.get_ylabel() == "AOQ"
