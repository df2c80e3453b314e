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
    # A non-integral size and a string without a percent sign are values of an
    # accepted type (whole-valued floats and "1%" are accepted): ValueError.
    with pytest.raises(ValueError, match=r"n = 10.5 is invalid: expected a whole number"):
        qs.AttributePlan(10.5, 0, 1)
    with pytest.raises(ValueError, match=r"p = '0.1' is invalid: .*percent"):
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


# -- issue 9: units, silent wrong answers, fuzz reproducers ------------------


def test_plans_from_tables_remember_their_aql_as_a_fraction():
    plan = qs.iso2859_1.plan(aql=0.65, lot_size=1000)  # J: n = 80, Ac 1
    assert plan.aql == 0.0065 and plan.lq is None
    pa = binom.cdf(1, 80, 0.0065)
    assert plan.producer_risk() == pytest.approx(1 - pa, rel=1e-12)
    assert plan.producer_risk("0.65%") == plan.producer_risk(0.0065) == plan.producer_risk()
    assert plan.prob_accept("0.65%") == pytest.approx(pa, rel=1e-12)
    assert "AQL 0.65 % (p = 0.0065)" in repr(plan)
    assert "AQL 0.65 % (p = 0.0065)" in plan._repr_html_()


@pytest.mark.parametrize(
    "call",
    [
        lambda plan: plan.prob_accept(0.65),
        lambda plan: plan.producer_risk(0.65),
        lambda plan: plan.asn(0.65),
        lambda plan: plan.aoq(0.65),
        lambda plan: plan.ati(0.65, lot_size=1000),
    ],
)
def test_the_aql_in_percent_fails_loudly(call):
    plan = qs.iso2859_1.plan(aql=0.65, lot_size=1000)
    with pytest.raises(ValueError, match=r"= 0.65 is the plan's AQL in percent") as err:
        call(plan)
    assert "0.0065" in str(err.value) and '"0.65%"' in str(err.value)


def test_consumer_risk_needs_an_lq_and_accepts_its_aliases():
    plan = qs.iso2859_1.plan(aql=1.0, lot_size=1000)
    with pytest.raises(ValueError, match=r"^lq is required"):
        plan.consumer_risk()
    want = binom.cdf(2, 80, 0.05)
    for kw in ({"lq": 0.05}, {"rql": 0.05}, {"ltpd": "5%"}):
        assert plan.consumer_risk(**kw) == pytest.approx(want, rel=1e-12)
    with pytest.raises(ValueError, match="only one"):
        plan.consumer_risk(lq=0.05, rql=0.05)
    with pytest.raises(ValueError, match=r"^aql is required"):
        qs.AttributePlan.single(50, 1).producer_risk()


def test_producer_risk_names_aql():
    with pytest.raises(ValueError, match=r"^aql = 1.5 is invalid"):
        qs.AttributePlan.single(50, 1).producer_risk(1.5)
    with pytest.raises(ValueError, match=r"^lq = -0.1 is invalid"):
        qs.AttributePlan.single(50, 1).consumer_risk(-0.1)


def test_design_plan_remembers_its_risk_points_and_takes_aliases():
    plan = qs.design_plan("1%", rql="5%")
    assert (plan.n, plan.ac, plan.aql, plan.lq) == ((132,), (3,), 0.01, 0.05)
    assert repr(plan) == "AttributePlan(n=132, ac=3, re=4; AQL 1 % (p = 0.01), LQ 5 % (p = 0.05))"
    assert plan.producer_risk() == pytest.approx(1 - binom.cdf(3, 132, 0.01), rel=1e-12)
    assert plan.consumer_risk() == pytest.approx(binom.cdf(3, 132, 0.05), rel=1e-12)
    assert qs.design_plan(0.01, ltpd=0.05) == plan
    rp = plan.risk_points()
    assert rp["producer_risk"] <= 0.05 and rp["consumer_risk"] <= 0.10
    with pytest.raises(ValueError, match="lq is required"):
        qs.design_plan(0.01)
    with pytest.raises(ValueError, match="percent string"):
        qs.design_plan("1", 0.05)


@pytest.mark.parametrize("model", ["binomial", "poisson"])
def test_design_refuses_a_lot_size_it_would_ignore(model):
    with pytest.raises(ValueError, match=r"^lot_size = 3000 is invalid: .*hypergeometric"):
        qs.design_plan(0.01, 0.05, lot_size=3000, model=model)
    with pytest.raises(ValueError, match="lot_size = 3000"):
        qs.zero_acceptance_plan(0.05, lot_size=3000, model=model)
    with pytest.raises(ValueError, match="lot_size = 3000"):
        qs.design_plan_grid([0.01], [0.05], lot_size=3000, model=model)


def test_design_refuses_lot_size_zero():
    with pytest.raises(ValueError, match=r"^lot_size = 0 is invalid"):
        qs.design_plan(0.01, 0.05, model="hypergeometric", lot_size=0)


def test_plans_that_can_never_reject_are_refused():
    with pytest.raises(ValueError, match=r"^ac = 5 is invalid: .*total sample size 5"):
        qs.AttributePlan(5, 5, 6)
    with pytest.raises(ValueError, match="accepts every lot"):
        qs.AttributePlan.single(10, 10)
    assert qs.AttributePlan(5, 4, 5).prob_accept(0.5) < 1


def test_bytes_and_huge_ints_are_clear_errors():
    with pytest.raises(TypeError, match=r"^n = b'5' is invalid"):
        qs.AttributePlan(b"5", 1, 2)
    with pytest.raises(ValueError, match=r"^n = 1000000000000000000000 is invalid: .*at most"):
        qs.AttributePlan(10**21, 1, 2)
    with pytest.raises(ValueError, match=r"^lot_size = .* is invalid: .*at most"):
        qs.AttributePlan.single(50, 1).prob_accept(0.1, lot_size=2**70)
    with pytest.raises(ValueError, match=r"^nonconforming = .* is invalid"):
        qs.AttributePlan.single(50, 1).decide(2**64)


@pytest.mark.parametrize(
    "call",
    [
        lambda: qs.AttributePlan.single(50, 1).prob_accept(0.1, model=5),
        lambda: qs.AttributePlan.single(50, 1).asn_curtailed(0.1, mode=None),
        lambda: qs.AttributePlan.single(50, 1).plot(what=1),
        lambda: qs.design_plan(0.01, 0.05, model=["binomial"]),
        lambda: qs.design_double_plan(0.01, 0.05, n2=2),
        lambda: qs.iso2859_1.plan(aql=1.0, code="J", edition=1999),
        lambda: qs.iso2859_1.Scheme(1.0, kind=None),
    ],
)
def test_options_are_type_checked(call):
    with pytest.raises(TypeError, match=r"is invalid: expected"):
        call()


def test_option_names_fold_case_and_aliases():
    plan = qs.AttributePlan.single(50, 1)
    assert plan.asn_curtailed(0.05, mode="Full") == plan.asn_curtailed(0.05)
    dbl = qs.design_double_plan(0.02, 0.12, n2="TWICE")
    assert dbl.n[1] == 2 * dbl.n[0]


def test_asn_curtailed_at_subnormal_p():
    plan = qs.AttributePlan.single(50, 1)
    assert plan.asn_curtailed(1e-320) == pytest.approx(49.0)
    assert plan.asn_curtailed(1e-320, mode="semi") == pytest.approx(50.0)


def test_unbounded_work_stops_at_its_limits():
    # A design with no plan below the search limit says so (instead of searching
    # on), and a plan with n = 10^9 has its AOQL (no timing asserted: speed
    # lives in benches).
    with pytest.raises(ValueError, match=r"Ac <= 100000 \(the search limit\)"):
        qs.design_plan(0.0999, 0.1, model="poisson")
    big = qs.AttributePlan.single(10**9, 10**6)
    aoql = big.aoql(lot_size=2 * 10**9)
    assert 0.99e-3 < aoql.p < 1.01e-3
    assert aoql.aoql == pytest.approx(aoql.p * big.prob_accept(aoql.p) / 2, rel=1e-9)


def test_decision_has_an_accepted_flag():
    plan = qs.AttributePlan.double(8, 0, 2, 8, 1)
    assert plan.decide([0]).accepted
    assert not plan.decide([2]).accepted
    assert not plan.decide([1]).accepted  # continue
    assert plan.decide([2])._fields == (
        "outcome",
        "stage",
        "cumulative",
        "next_sample_size",
        "reinstate_normal",
    )


def test_prob_accept_grid_is_plans_by_qualities():
    plans = [qs.AttributePlan.single(50, 1), qs.AttributePlan.single(80, 2)]
    grid = qs.prob_accept_grid(plans, [0.01, 0.02, 0.05])
    assert grid.shape == (2, 3)
    np.testing.assert_allclose(grid[1], binom.cdf(2, 80, [0.01, 0.02, 0.05]), rtol=1e-10)


def test_oc_plot_has_legend_percent_axis_and_marks():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    plan = qs.design_plan(0.01, 0.05)
    ax = plan.plot(percent=True)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == [repr(plan), "AQL 1 %", "LQ 5 %"]
    assert ax.get_xlabel() == "fraction nonconforming p (%)"
    assert ax.xaxis.get_major_formatter().__class__.__name__ == "PercentFormatter"
    with pytest.raises(ValueError, match=r"^lot_size is required for what=\"ati\""):
        plan.plot(what="ati")
    assert plan.plot(what="ati", lot_size=1000).get_ylabel() == "ATI"
