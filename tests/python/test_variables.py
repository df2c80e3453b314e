"""qs.VariablesPlan, qs.design_variables_plan: OC vs scipy's noncentral t, decisions, bad input."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize, special, stats

import qualstat as qs
from qualstat.variables import _LotDecisions


def scipy_pa_s(n, k, p):
    return stats.nct(n - 1, stats.norm.isf(p) * np.sqrt(n)).sf(k * np.sqrt(n))


@pytest.mark.parametrize("n,k", [(3, 1.12), (5, 1.53), (10, 1.72), (35, 2.03), (200, 2.18)])
def test_oc_s_method_matches_scipy_nct(n, k):
    plan = qs.VariablesPlan(n, k)
    p = np.array([0.0005, 0.002, 0.01, 0.03, 0.08, 0.2, 0.4])
    got = plan.prob_accept(p)
    np.testing.assert_allclose(got, scipy_pa_s(n, k, p), rtol=1e-9)
    assert plan.prob_accept(0.0) == 1.0 and plan.prob_accept(1.0) == 0.0
    assert np.all(np.diff(got) <= 1e-15)


def test_oc_sigma_method_matches_normal():
    plan = qs.VariablesPlan(8, 1.7448, method="sigma")
    p = np.linspace(0.001, 0.3, 50)
    want = stats.norm.cdf(np.sqrt(8) * (stats.norm.isf(p) - 1.7448))
    np.testing.assert_allclose(plan.prob_accept(p), want, rtol=1e-12)
    assert plan.asn() == 8


def test_curves_frame_and_html():
    plan = qs.VariablesPlan(10, 1.72)
    c = plan.curves()
    assert isinstance(c, pl.DataFrame)
    assert c.columns == ["p", "prob_accept", "prob_accept_wallis"]
    assert c["prob_accept"][0] == 1.0
    assert "VariablesPlan" in plan._repr_html_()
    assert plan.to_dict()["n"] == 10


def test_plot_returns_axes():
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")
    ax = qs.VariablesPlan(10, 1.72).plot(wallis=True)
    assert len(ax.get_lines()) == 2


def test_oc_plot_has_legend_percent_axis_and_marks():
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")
    plan = qs.design_variables_plan(0.01, 0.10)
    ax = plan.plot(percent=True, wallis=True)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == [repr(plan), "Wallis approximation", "AQL 1 %", "LQ 10 %"]
    assert ax.get_xlabel() == "fraction nonconforming p (%)"
    assert ax.get_ylabel() == "probability of acceptance"
    assert ax.xaxis.get_major_formatter().__class__.__name__ == "PercentFormatter"
    marks = {line.get_label(): line.get_xdata()[0] for line in ax.get_lines()[2:]}
    assert marks == {"AQL 1 %": 0.01, "LQ 10 %": 0.10}
    plain = qs.VariablesPlan(10, 1.72).plot()
    assert [t.get_text() for t in plain.get_legend().get_texts()] == [
        repr(qs.VariablesPlan(10, 1.72))
    ]
    assert plain.get_xlabel() == "fraction nonconforming p"


def test_m_form_inverts_k():
    plan = qs.VariablesPlan(10, 1.72)
    # M from k by scipy: betainc(4, 4, 0.5 - 0.5*1.72*sqrt(10)/9).
    m = special.betainc(4, 4, 0.5 - 0.5 * 1.72 * np.sqrt(10) / 9)
    assert plan.m == pytest.approx(m, rel=1e-11)
    back = qs.VariablesPlan.m_form(10, m)
    assert back.k == pytest.approx(1.72, rel=1e-10)
    sig = qs.VariablesPlan(10, 1.72, method="sigma")
    assert sig.m == pytest.approx(stats.norm.cdf(-1.72 * np.sqrt(10 / 9)), rel=1e-12)


def test_z19_worked_example():
    plan = qs.iso3951.plan(aql=1.0, lot_size=40)
    d = plan.decide([197, 188, 184, 205, 201], usl=209)
    assert d.outcome == "accept"
    assert round(d.sd, 2) == 8.80 and round(d.q_upper, 2) == 1.59
    x = 0.5 - 0.5 * d.q_upper * np.sqrt(5) / 4
    assert d.p_upper == pytest.approx(special.betainc(1.5, 1.5, x), rel=1e-12)
    assert d.p_upper < plan.m


def test_two_limits_and_sigma_method():
    x = [9.8, 10.1, 10.0, 10.3, 9.9, 10.2, 10.0]
    plan = qs.VariablesPlan(7, 1.33)
    d = plan.decide(x, lsl=9.5, usl=10.5)
    assert d.p_hat == pytest.approx(d.p_lower + d.p_upper)
    assert d.accept == (d.p_hat <= plan.m)
    s = plan.decide(x, lsl=9.5, usl=10.5, control="separate", k_upper=5.0)
    assert s.outcome == "reject"
    sig = qs.VariablesPlan(7, 1.33, method="sigma", sigma=0.2)
    d = sig.decide(x, usl=10.5)
    assert d.sigma_used == 0.2
    assert d.p_upper == pytest.approx(stats.norm.cdf(-(10.5 - np.mean(x)) / 0.2 * np.sqrt(7 / 6)))


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: qs.VariablesPlan(5, 1.5).decide([1.0], usl=3), "at least 2 measurements"),
        (lambda: qs.VariablesPlan(5, 1.5).decide([1, 2, np.nan, 4, 5], usl=9), "measurements"),
        (lambda: qs.VariablesPlan(5, 1.5).decide([1, 2, 3, 4, 5], lsl=5, usl=5), "lsl"),
        (lambda: qs.VariablesPlan(5, 1.5).decide([1, 2, 3, 4, 5], lsl=6, usl=5), "lsl"),
        (lambda: qs.VariablesPlan(5, 1.5).decide([1, 2, 3, 4, 5]), "limit"),
        (lambda: qs.VariablesPlan(5, 1.5, method="sigma", sigma=0.0), "sigma"),
        (lambda: qs.VariablesPlan(5, 1.5, method="sigma", sigma=-1.0), "sigma"),
        (lambda: qs.VariablesPlan(5, 1.5, method="sigma").decide([1, 2, 3, 4, 5], usl=9), "sigma"),
        (lambda: qs.VariablesPlan(5, 0.0), "k"),
        (lambda: qs.VariablesPlan(5, -1.0), "k"),
        (lambda: qs.VariablesPlan(5, float("nan")), "k"),
        (lambda: qs.VariablesPlan(5, 1.0, method="t"), "method"),
        (lambda: qs.VariablesPlan(2, 1.0), "n"),
        (lambda: qs.VariablesPlan.m_form(5, 0.7), "m"),
        (lambda: qs.VariablesPlan(5, 1.0).prob_accept(1.5), "p"),
        (lambda: qs.design_variables_plan(0.1, 0.05), "aql"),
        (lambda: qs.design_variables_plan(0.01, 0.05, alpha=0.6, beta=0.5), "alpha"),
    ],
)
def test_bad_input_raises_value_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_bad_types():
    with pytest.raises(TypeError):
        qs.VariablesPlan(5.5, 1.0)
    with pytest.raises(TypeError):
        qs.VariablesPlan(5, "1.0")


def _find_plan_normal(p1, a, p2, b, known):
    """An independent re-implementation of R AcceptanceSampling find.plan(type="normal")."""
    if known:
        n = int(
            np.ceil(
                (
                    (stats.norm.ppf(1 - a) + stats.norm.ppf(1 - b))
                    / (stats.norm.ppf(p2) - stats.norm.ppf(p1))
                )
                ** 2
            )
        )
        return n, stats.norm.ppf(a) / np.sqrt(n) - stats.norm.ppf(p1)
    n = 2
    while True:
        k = optimize.brentq(lambda k, n=n: scipy_pa_s(n, k, p1) - (1 - a), -20, 50, xtol=1e-14)
        if scipy_pa_s(n, k, p2) <= b:
            return n, k
        n += 1


@pytest.mark.parametrize(
    "aql,lq,alpha,beta",
    [
        (0.01, 0.10, 0.05, 0.10),
        (0.05, 0.20, 0.05, 0.10),
        (0.01, 0.06, 0.05, 0.10),
        (0.002, 0.02, 0.05, 0.05),
    ],
)
def test_design_matches_find_plan(aql, lq, alpha, beta):
    for method, known in [("sigma", True), ("s", False)]:
        plan = qs.design_variables_plan(aql, lq, alpha=alpha, beta=beta, method=method)
        n, k = _find_plan_normal(aql, alpha, lq, beta, known)
        assert plan.n == n
        assert plan.k == pytest.approx(k, rel=1e-8)
    s = qs.design_variables_plan(aql, lq, alpha=alpha, beta=beta)
    g = qs.design_variables_plan(aql, lq, alpha=alpha, beta=beta, method="sigma")
    assert g.n <= s.n


def test_decide_lots_frame_matches_numpy_and_one_by_one():
    rng = np.random.default_rng(5)
    lots, n = 300, 7
    values = rng.normal(10.0, 0.2, lots * n)
    lot = np.repeat(np.arange(lots), n)
    perm = rng.permutation(lots * n)
    frame = pl.DataFrame({"lot": lot[perm], "x": values[perm]})
    plan = qs.VariablesPlan(n, 1.33)
    out = plan.decide_lots(frame, value="x", lot="lot", usl=10.5)
    assert out.height == lots
    one = out.sort("lot")
    grouped = pd.DataFrame({"lot": lot, "x": values}).groupby("lot")["x"].agg(["mean", "std"])
    np.testing.assert_allclose(one["mean"].to_numpy(), grouped["mean"].to_numpy(), rtol=1e-12)
    np.testing.assert_allclose(one["sd"].to_numpy(), grouped["std"].to_numpy(), rtol=1e-10)
    q = (10.5 - grouped["mean"].to_numpy()) / grouped["std"].to_numpy()
    assert (one["outcome"].to_numpy() == np.where(q >= 1.33, "accept", "reject")).all()
    assert one["q_lower"].null_count() == lots
    # string lot labels and pandas input
    labels = pd.DataFrame({"lot": [f"L{i}" for i in lot], "x": values})
    out2 = plan.decide_lots(labels, value="x", lot="lot", usl=10.5)
    assert out2["lot"][0] == "L0"
    assert (out2["outcome"].to_numpy() == one["outcome"].to_numpy()).all()
    bad = frame.head(lots * n - 1)
    with pytest.raises(ValueError, match="exactly n = 7"):
        plan.decide_lots(bad, value="x", lot="lot", usl=10.5)
    with pytest.raises(ValueError, match="columns"):
        plan.decide_lots(frame, value="y", lot="lot", usl=10.5)
    # A missing value names its column, the count and the first row.
    holes = frame.with_columns(
        pl.when(pl.int_range(pl.len()).is_in([4, 9])).then(None).otherwise(pl.col("x")).alias("x")
    )
    with pytest.raises(ValueError, match=r"^value column 'x' has 2 null values .*first in row 4\)"):
        plan.decide_lots(holes, value="x", lot="lot", usl=10.5)
    no_lot = frame.with_columns(
        pl.when(pl.int_range(pl.len()) == 11).then(None).otherwise(pl.col("lot")).alias("lot")
    )
    with pytest.raises(ValueError, match=r"^lot column 'lot' has 1 null .*first in row 11\)"):
        plan.decide_lots(no_lot, value="x", lot="lot", usl=10.5)


# --- issue 9: units, risk methods, decision shape, fuzz reproducers -----------


def test_table_plan_remembers_its_aql_and_refuses_it_in_percent():
    plan = qs.iso3951.plan(aql=1.0, lot_size=40)
    assert plan.aql == 0.01 and plan.lq is None
    assert "AQL 1 % (p = 0.01)" in repr(plan)
    assert "method='s'" in repr(plan)
    assert plan.producer_risk() == plan.producer_risk(0.01) == plan.producer_risk("1%")
    assert plan.producer_risk() == pytest.approx(1 - scipy_pa_s(5, 1.53, 0.01), rel=1e-9)
    for call in (
        lambda: plan.prob_accept(1.0),
        lambda: plan.producer_risk(1.0),
        lambda: plan.consumer_risk(1.0),
    ):
        with pytest.raises(ValueError, match=r"AQL in percent: AQL 1.0 % is \w+ = 0.01"):
            call()
    assert plan.prob_accept("1%") == plan.prob_accept(0.01)
    np.testing.assert_array_equal(plan.prob_accept([0.0, 1.0]), [1.0, 0.0])  # arrays: fractions
    p10 = qs.iso3951.plan(aql=0.10, code="F")
    with pytest.raises(ValueError, match="AQL 0.10 %"):
        p10.prob_accept(0.1)
    assert qs.iso3951.plan(aql="1%", lot_size=40) == plan


def test_lookup_fraction_hint_and_code_conflict():
    with pytest.raises(ValueError, match="AQL is in percent here: 1.0"):
        qs.iso3951.plan(aql=0.01, lot_size=40)
    with pytest.raises(
        ValueError, match="code = F is invalid: expected the code letter of the lot"
    ):
        qs.iso3951.plan(aql=1.0, lot_size=40, code="F")
    assert qs.iso3951.plan(aql=1.0, lot_size=40, code="d").n == 5


def test_design_takes_fractions_percent_strings_and_lq_aliases():
    plan = qs.design_variables_plan(0.01, 0.10)
    assert (plan.aql, plan.lq) == (0.01, 0.10)
    for other in (
        qs.design_variables_plan("1%", "10%"),
        qs.design_variables_plan(0.01, rql=0.10),
        qs.design_variables_plan(0.01, ltpd="10%"),
    ):
        assert (other.n, other.k) == (plan.n, plan.k)
    assert plan.consumer_risk() == pytest.approx(plan.metadata["pa_lq"], rel=1e-12)
    assert plan.producer_risk() == pytest.approx(0.05, rel=1e-9)
    assert "LQ 10 % (p = 0.1)" in repr(plan)
    with pytest.raises(ValueError, match="lq and rql are the same"):
        qs.design_variables_plan(0.01, 0.10, rql=0.10)
    with pytest.raises(ValueError, match="lq is required"):
        qs.design_variables_plan(0.01)
    with pytest.raises(ValueError, match="LQ in percent"):
        plan.prob_accept(10.0)


def test_risk_methods_mirror_attribute_plans():
    plan = qs.VariablesPlan(10, 1.72)
    rp = plan.risk_points()
    assert sorted(rp) == ["p10", "p50", "p95"]
    for name, pa in (("p95", 0.95), ("p50", 0.5), ("p10", 0.1)):
        assert plan.prob_accept(rp[name]) == pytest.approx(pa, rel=1e-10)
        assert scipy_pa_s(10, 1.72, rp[name]) == pytest.approx(pa, rel=1e-9)
    rp = plan.risk_points(aql=0.01, lq="10%")
    assert rp["producer_risk"] == pytest.approx(1 - scipy_pa_s(10, 1.72, 0.01), rel=1e-9)
    assert rp["consumer_risk"] == pytest.approx(scipy_pa_s(10, 1.72, 0.10), rel=1e-9)
    sigma = qs.VariablesPlan(35, 2.03, method="sigma")
    p = sigma.quality_at(0.1)
    assert stats.norm.cdf(np.sqrt(35) * (stats.norm.isf(p) - 2.03)) == pytest.approx(0.1)
    with pytest.raises(ValueError, match="aql is required"):
        plan.producer_risk()
    with pytest.raises(ValueError, match="lq is required"):
        plan.consumer_risk()
    with pytest.raises(ValueError, match=r"^aql = 1.5 is invalid"):
        plan.producer_risk(1.5)
    with pytest.raises(ValueError, match="pa"):
        plan.quality_at(1.0)
    attr = qs.AttributePlan.single(50, 1)
    for name in ("producer_risk", "consumer_risk", "risk_points", "quality_at"):
        assert callable(getattr(attr, name)) and callable(getattr(plan, name))


def test_decision_has_the_shape_of_attribute_decisions():
    d = qs.VariablesPlan(5, 1.53).decide([197, 188, 184, 205, 201], usl=209)
    assert (d.outcome, d.stage, d.accepted, d.accept) == ("accept", 1, True, True)
    attr = qs.AttributePlan.single(50, 1).decide(0)
    assert {"outcome", "stage"} <= set(type(attr)._fields) & set(type(d)._fields)
    assert attr.outcome == d.outcome
    assert repr(d).startswith("VariablesDecision(accept; n = 5, mean = 195, sd = 8.803")


def test_oc_monotone_at_extreme_k():
    # Issue 9: VariablesPlan(441, 1e-171).prob_accept(1e-6) was 0.50.
    assert qs.VariablesPlan(441, 1e-171).prob_accept(1e-6) == pytest.approx(1.0, abs=1e-12)
    p = np.concatenate([[1e-12, 1e-8, 1e-6, 1e-4], np.linspace(0.001, 0.999, 200)])
    previous = None
    for k in [1e-300, 1e-171, 1e-155, 1e-150, 1e-20, 0.1, 1.0, 3.0, 10.0, 1e3]:
        pa = qs.VariablesPlan(441, k).prob_accept(p)
        assert np.all(np.diff(pa) <= 1e-12), k
        if previous is not None:
            assert np.all(pa <= previous + 1e-12), k
        previous = pa


def test_overflowing_lot_is_refused_naming_measurements():
    plan = qs.VariablesPlan(5, 1.5)
    # (1e308 - -1e308 overflows: the mean or the sd is not finite)
    with pytest.raises(ValueError, match=r"^measurements = 5 values with mean .* are finite"):
        plan.decide([1e308, -1e308, 0.0, 1.0, 2.0], usl=3.0)
    with pytest.raises(ValueError, match=r"measurements\[1\] = inf"):
        plan.decide([1.0, np.inf, 0.0, 1.0, 2.0], usl=3.0)
    frame = pl.DataFrame({"lot": [7] * 5, "x": [1e308, -1e308, 0.0, 1.0, 2.0]})
    with pytest.raises(ValueError, match="lot 7: measurements"):
        plan.decide_lots(frame, value="x", lot="lot", usl=3.0)


def test_an_invalid_measurement_is_named_before_any_lot_error():
    # Lot 1 has too few rows, and lot 2 a NaN in row 6: the row is named, as on
    # Dask partitions, whether sigma is known or not.
    x = [1.0, 1.1, 0.9, 1.0, 1.2, 0.8, np.nan, 1.0, 1.1, 0.9]
    frame = pl.DataFrame({"lot": [1] * 3 + [2] * 5 + [3] * 2, "x": x})
    for plan in (qs.VariablesPlan(5, 1.5), qs.VariablesPlan(5, 1.5, method="sigma", sigma=0.1)):
        with pytest.raises(ValueError, match=r"^measurements\[6\] = nan is invalid.*\(lot 2\)$"):
            plan.decide_lots(frame, value="x", lot="lot", usl=3.0)
        with pytest.raises(ValueError, match=r"^lot 1: measurements = 3 values"):
            plan.decide_lots(frame.fill_nan(1.0), value="x", lot="lot", usl=3.0)


def test_design_with_unreachable_risks_refuses():
    with pytest.raises(ValueError, match=r"^alpha = 1e-300 is invalid: expected a risk in \[1e-10"):
        qs.design_variables_plan(0.01, 0.10, alpha=1e-300)
    with pytest.raises(ValueError, match=r"^beta = "):
        qs.design_variables_plan(0.01, 0.10, beta=0.0)
    with pytest.raises(ValueError, match="at most 10000 items"):
        qs.design_variables_plan(0.01, 0.0107)
    plan = qs.design_variables_plan(0.01, 0.10, alpha=1e-10, beta=1e-10)
    assert plan.metadata["pa_aql"] == pytest.approx(1 - 1e-10, abs=1e-12)


def test_constants_per_limit_imply_separate_control():
    x = [9.8, 10.1, 10.0, 10.3, 9.9, 10.2, 10.0]
    plan = qs.VariablesPlan(7, 1.33)
    explicit = plan.decide(x, lsl=9.5, usl=10.5, control="separate", k_upper=5.0)
    implied = plan.decide(x, lsl=9.5, usl=10.5, k_upper=5.0)
    assert explicit == implied and implied.outcome == "reject"
    assert plan.decide(x, lsl=9.5, usl=10.5, control="SEPARATE").outcome == "accept"
    with pytest.raises(ValueError, match="k_upper = 5 is invalid: expected no constant per limit"):
        plan.decide(x, lsl=9.5, usl=10.5, control="combined", k_upper=5.0)
    with pytest.raises(ValueError, match="k_lower = 1 is invalid"):
        plan.decide(x, usl=10.5, k_lower=1.0)
    with pytest.raises(ValueError, match='control = "both" is not recognised'):
        plan.decide(x, lsl=9.5, usl=10.5, control="both")


@pytest.mark.parametrize(
    "call, error, match",
    [
        (lambda: qs.VariablesPlan(5, 1.0, method=5), TypeError, "method = 5"),
        (
            lambda: qs.VariablesPlan(5, 1.0).decide([1, 2, 3, 4, 5], usl=9, control=1),
            TypeError,
            "control",
        ),
        (lambda: qs.VariablesPlan("5", 1.0), TypeError, "n = '5'"),
        (lambda: qs.VariablesPlan(2.5, 1.0), TypeError, "n = 2.5"),
        (lambda: qs.VariablesPlan(2**70, 1.0), ValueError, "^n = "),
        (lambda: qs.VariablesPlan(5, 2**2000), ValueError, "^k = "),
        (lambda: qs.VariablesPlan(5, 1.0, sigma=10**400), ValueError, "^sigma = "),
        (lambda: qs.VariablesPlan(5, 1.0).prob_accept(10**400), ValueError, "^p = "),
        (lambda: qs.iso3951.plan(aql=10**400, lot_size=40), ValueError, "^aql = "),
        (lambda: qs.iso3951.plan(aql=1.0, lot_size=2**70), ValueError, "^lot_size = "),
        (lambda: qs.iso3951.plan(aql=1.0, lot_size="40"), TypeError, "lot_size"),
        (lambda: qs.iso3951.code_letter(10**30), ValueError, "^lot_size = "),
        (lambda: qs.iso3951.code_letter(40, level=2), TypeError, "level = 2"),
        (lambda: qs.iso3951.plan(aql=1.0, code="D", method=None), TypeError, "method"),
        (lambda: qs.design_variables_plan(0.01, 0.1, method=5), TypeError, "method = 5"),
        (lambda: qs.design_variables_plan(0.01, 0.1, alpha="0.05"), TypeError, "alpha"),
        (lambda: qs.VariablesPlan.m_form(5, "70%"), ValueError, "^m = "),
    ],
)
def test_arguments_are_checked_by_name(call, error, match):
    with pytest.raises(error, match=match):
        call()


# --- issue 13: p-hat by finite sums, lots keyed in one pass ------------------------


def p_lower_at(n: int, q: np.ndarray) -> np.ndarray:
    """p_hat below the lower limit at Q_L = q (lsl 0, mean q, sd exactly 1), natively."""
    plan = qs.VariablesPlan(n, 1.0)
    m2 = np.full(q.size, float(n - 1))
    job = _LotDecisions(plan, "x", "lot", 0.0, None, None, None, None)
    _, cols = job.decide(np.full(q.size, n, np.uint64), q, m2)
    return cols[3]


def x_of(n: int, q: np.ndarray) -> np.ndarray:
    """The incomplete beta's argument as the plan forms it (the same operations)."""
    return np.clip(0.5 - 0.5 * q * np.sqrt(n) / (n - 1), 0.0, 1.0)


@pytest.mark.parametrize("n", [*range(3, 60), 101, 102, 201, 202, 301, 302, 303, 304, 420])
def test_p_hat_matches_scipy_betainc_across_df_and_tails(n):
    # x from 1e-300 to 1 - 1e-16: both tails (p_hat near 1e-10 and far below
    # keeps its relative accuracy), the switch of the odd forms near I = 0.05,
    # and beyond nu = 300 the general incomplete beta.
    tail = 10.0 ** -np.linspace(1, 300, 300)
    x = np.concatenate([tail, np.linspace(0.0, 1.0, 801)[1:-1], 1 - tail[:15]])
    q = (1 - 2 * x) * (n - 1) / np.sqrt(n)
    a = (n - 2) / 2
    xq = x_of(n, q)
    # Above 1/2 by the symmetry I_x = 1 - I_(1-x) (1 - x exact there): scipy's
    # betainc(1/2, 1/2, 1 - 1e-15) is off by 1e-9 (mpmath agrees with the complement).
    want = np.where(xq > 0.5, 1 - special.betainc(a, a, 1 - xq), special.betainc(a, a, xq))
    got = p_lower_at(n, q)
    # scipy itself drifts near its underflow (1e-9 off at 2e-289 for n = 42,
    # where mpmath agrees with us: test_p_hat_matches_mpmath).
    # Beyond nu = 300 the general incomplete beta (unchanged, checked against
    # mpmath in tests/numerics_reference.rs) works in logarithms: 4 ulps of
    # |ln p| more, and up to 1.3e-13 from scipy's own value near the middle.
    ok = want > 1e-250
    general = 2e-13 + 4 * np.finfo(float).eps * np.abs(np.log(want[ok]))
    rtol = general if n > 302 else 1e-13
    rel = np.abs(got[ok] / want[ok] - 1)
    assert (rel <= rtol).all(), (x[ok][rel > rtol], rel[rel > rtol])
    assert (got[~ok] < 1e-240).all()


def test_p_hat_matches_mpmath():
    mpmath = pytest.importorskip("mpmath")
    mpmath.mp.dps = 40
    cases = [(5, 2.9), (35, 1.9), (35, 4.6), (36, 4.6), (60, 6.5), (201, 3.3), (250, 0.4)]
    # ... and deep tails (x = 1e-15 for n = 42: p_hat = 2e-289).
    cases += [(42, (1 - 2e-15) * 41 / np.sqrt(42)), (17, (1 - 2e-12) * 16 / np.sqrt(17))]
    for n, q in cases:
        x = float(x_of(n, np.array([q]))[0])
        a = mpmath.mpf(n - 2) / 2
        want = float(mpmath.betainc(a, a, 0, mpmath.mpf(x), regularized=True))
        assert p_lower_at(n, np.array([q]))[0] == pytest.approx(want, rel=1e-14, abs=0)


@pytest.mark.parametrize("n", [4, 7, 35, 36, 120, 350])
def test_lot_decisions_equal_the_scipy_formula_including_the_tie_at_m(n):
    rng = np.random.default_rng(n)
    lots = 3000
    plan = qs.VariablesPlan(n, qs.VariablesPlan.m_form(n, 0.02).k)  # M = p_hat(k)
    values = rng.normal(np.repeat(rng.normal(10.0, 0.08, lots), n), 0.1)
    lot = np.repeat(np.arange(lots), n)
    perm = rng.permutation(lots * n)
    frame = pl.DataFrame({"lot": lot[perm], "x": values[perm]})
    out = plan.decide_lots(frame, value="x", lot="lot", lsl=9.75, usl=10.25).sort("lot")
    a = (n - 2) / 2
    p = [special.betainc(a, a, x_of(n, out[c].to_numpy())) for c in ("q_lower", "q_upper")]
    np.testing.assert_allclose(out["p_lower"].to_numpy(), p[0], rtol=1e-13, atol=1e-300)
    np.testing.assert_allclose(out["p_upper"].to_numpy(), p[1], rtol=1e-13, atol=1e-300)
    p_hat = p[0] + p[1]
    near = np.abs(p_hat - plan.m) <= 1e-12 * plan.m
    scipy_outcome = np.where(p_hat <= plan.m, "accept", "reject")
    assert (out["outcome"].to_numpy()[~near] == scipy_outcome[~near]).all()
    assert 0.05 < (scipy_outcome == "accept").mean() < 0.98
    # The tie: Q_L = k exactly and the upper limit out of reach (p_upper = 0),
    # so p_hat = M, which accepts (p_hat <= M); a Q_L just below k rejects.
    k = plan.k
    mean = np.array([k, k * (1 - 1e-12)])
    job = _LotDecisions(plan, "x", "lot", 0.0, 1e3, None, None, None)
    accept, cols = job.decide(np.full(2, n, np.uint64), mean, np.full(2, n - 1.0))
    assert cols[4].tolist() == [0.0, 0.0]
    assert cols[5][0] == plan.m
    assert accept.tolist() == [True, False]


def test_a_large_interleaved_frame_is_summed_in_halves_as_accurately():
    # 2**18 rows or more, lots interleaved: two halves of the rows summed
    # apart and merged; each lot within a few ulps of `decide` on its values
    # and of numpy, the same bits on 1 and 2 threads.
    rng = np.random.default_rng(21)
    lots, n = 8_000, 35  # 280,000 rows
    centres = rng.normal(50.0, 0.5, lots)
    values = rng.normal(np.repeat(centres, n), 0.2)
    lot = np.repeat(np.arange(lots) * 7 + 3, n)
    perm = rng.permutation(lots * n)
    frame = pl.DataFrame({"lot": lot[perm], "x": values[perm]})
    plan = qs.VariablesPlan(n, 1.9)
    before = qs.get_num_threads()
    try:
        qs.set_num_threads(1)
        one = plan.decide_lots(frame, value="x", lot="lot", lsl=49.0, usl=51.5)
        qs.set_num_threads(2)
        two = plan.decide_lots(frame, value="x", lot="lot", lsl=49.0, usl=51.5)
    finally:
        qs.set_num_threads(before)
    assert one.equals(two)
    out = one.sort("lot")
    grouped = values.reshape(lots, n)
    np.testing.assert_allclose(out["mean"].to_numpy(), grouped.mean(axis=1), rtol=4e-16)
    np.testing.assert_allclose(out["sd"].to_numpy(), grouped.std(axis=1, ddof=1), rtol=1e-14)
    direct = [plan.decide(grouped[i], lsl=49.0, usl=51.5) for i in range(lots)]
    np.testing.assert_allclose(out["mean"].to_numpy(), [d.mean for d in direct], rtol=4e-16)
    np.testing.assert_allclose(out["sd"].to_numpy(), [d.sd for d in direct], rtol=1e-14)
    p_hat = np.array([d.p_hat for d in direct])
    # A few ulps of Q change p_hat by |d ln p / d ln Q| times as much: about
    # 40 at p_hat = 1e-9, some hundreds in the far tail (1e-50).
    body = p_hat > 1e-9
    np.testing.assert_allclose(out["p_hat"].to_numpy()[body], p_hat[body], rtol=1e-12)
    np.testing.assert_allclose(out["p_hat"].to_numpy(), p_hat, rtol=1e-9)
    clear = np.abs(p_hat - plan.m) > 1e-9 * plan.m
    assert clear.mean() > 0.99
    outcomes = np.array([d.outcome for d in direct])
    assert (out["outcome"].to_numpy()[clear] == outcomes[clear]).all()
    assert 0.05 < (outcomes == "accept").mean() < 0.95


def test_contiguous_and_shuffled_frames_give_the_same_lots():
    rng = np.random.default_rng(13)
    lots, n = 500, 9
    values = rng.normal(5.0, 0.3, lots * n)
    keys = rng.permutation(np.arange(10, 10 + lots) * 3)  # lot numbers, not 0..lots
    lot = np.repeat(keys, n)
    plan = qs.VariablesPlan(n, 1.4)
    blocked = plan.decide_lots(pl.DataFrame({"lot": lot, "x": values}), value="x", lot="lot", usl=6)
    assert blocked["lot"].to_list() == keys.tolist()  # order of first appearance
    grouped = values.reshape(lots, n)
    np.testing.assert_array_equal(blocked["n"].to_numpy(), n)
    np.testing.assert_allclose(blocked["mean"].to_numpy(), grouped.mean(axis=1), rtol=1e-14)
    np.testing.assert_allclose(blocked["sd"].to_numpy(), grouped.std(axis=1, ddof=1), rtol=1e-12)
    perm = rng.permutation(lots * n)
    shuffled = pl.DataFrame({"lot": lot[perm], "x": values[perm]})
    mixed = plan.decide_lots(shuffled, value="x", lot="lot", usl=6)
    first = pd.unique(lot[perm])
    assert mixed["lot"].to_list() == first.tolist()
    mixed = mixed.sort("lot")
    blocked = blocked.sort("lot")
    assert mixed["outcome"].to_list() == blocked["outcome"].to_list()
    # Each frame sums a lot's rows in its own order (a few ulps apart), which
    # far-tail p_hat (1e-9, |d ln p / d ln Q| about 40) magnifies.
    for c, rtol in (("mean", 1e-14), ("sd", 1e-12), ("p_hat", 1e-10)):
        np.testing.assert_allclose(mixed[c].to_numpy(), blocked[c].to_numpy(), rtol=rtol)
    # A lot that comes back after another is not contiguous: still one lot.
    back = pl.DataFrame({"lot": [1] * 4 + [2] * 9 + [1] * 5, "x": values[:18]})
    out = plan.decide_lots(back, value="x", lot="lot", usl=6)
    assert out["lot"].to_list() == [1, 2]
    assert out["mean"][0] == pytest.approx(np.r_[values[:4], values[13:18]].mean(), rel=1e-14)


@pytest.mark.parametrize(
    "dtype",
    [pl.Int8, pl.Int16, pl.Int32, pl.Int64, pl.UInt8, pl.UInt16, pl.UInt32, pl.UInt64, pl.String],
)
def test_the_lot_column_keeps_its_values_and_dtype(dtype):
    # Integer lots come back from their keys, other lots by their first rows.
    rng = np.random.default_rng(3)
    keys = np.array([7, 0, 120, 3, 99])
    lot = np.repeat(keys, 4)[rng.permutation(20)]
    frame = pl.DataFrame({"lot": lot, "x": rng.normal(5.0, 0.3, 20)}).with_columns(
        pl.col("lot").cast(dtype)
    )
    out = qs.VariablesPlan(4, 1.4).decide_lots(frame, value="x", lot="lot", usl=6)
    assert out.schema["lot"] == dtype
    assert out["lot"].to_list() == frame["lot"].unique(maintain_order=True).to_list()


def shifted_moments(x: np.ndarray) -> tuple[float, float]:
    """The contract of each lot's moments, by its definition (Chan, Golub &
    LeVeque 1983, shifted data): S1 = sum(x - c), S2 = sum((x - c)**2) in
    row order (np.cumsum adds in order) with c the first value, mean =
    c + S1/n (c when S1 = 0), M2 = S2 - S1*(S1/n); again with c = that mean
    when S1*(S1/n) > 16*M2."""

    def sums(c):
        d = x - c
        s1, s2 = np.cumsum(d)[-1], np.cumsum(d * d)[-1]
        return (c if s1 == 0 else c + s1 / x.size), s2 - s1 * (s1 / x.size), s1 * (s1 / x.size)

    mean, m2, cancel = sums(x[0])
    if cancel > 16 * m2:
        mean, m2, _ = sums(mean)
    return mean, m2


@pytest.mark.parametrize("layout", ["shuffled", "sorted", "singletons"])
def test_lot_moments_are_each_lots_rows_summed_in_row_order_on_any_pool(layout):
    # More rows than one parallel chunk (65,536), so that the scan of the
    # keys is split; each lot's moments must be the shifted sums of its rows
    # in row order, whatever the pool size, and the moments of decide() on
    # the lot's values. Every 50th lot starts with an outlier (summed twice).
    rng = np.random.default_rng(29)
    lots, n = (140_000, 1) if layout == "singletons" else (4_000, 35)
    lot = np.repeat(rng.permutation(lots) * 3 - 7_000, n)
    values = rng.normal(1e4, 0.5, lots * n)
    values[:: 50 * n] += 1e3
    if layout == "shuffled":
        perm = rng.permutation(lots * n)
        lot, values = lot[perm], values[perm]
    frame = pl.DataFrame({"lot": lot, "x": values})
    plan = qs.VariablesPlan(35, 1.5)
    job = _LotDecisions(plan, "x", "lot", None, 1e4 + 2, None, None, None)
    before = qs.get_num_threads()
    try:
        got, decided = [], []
        for threads in (1, 2, 3):
            qs.set_num_threads(threads)
            got.append(job.moments(frame))
            if n > 1:  # (lots of one item have no sd to decide from)
                decided.append(plan.decide_lots(frame, value="x", lot="lot", usl=1e4 + 2))
    finally:
        qs.set_num_threads(before)
    assert all(g.equals(got[0]) for g in got) and all(d.equals(decided[0]) for d in decided)
    m = got[0]
    assert m["lot"].to_list() == pd.unique(lot).tolist()
    check = rng.choice(m.height, 300, replace=False)
    if n > 1:  # the lots with an outlier too
        outliers = np.flatnonzero(m["m2"].to_numpy() > 1e5)
        assert outliers.size > 40
        check = np.r_[check, outliers]
    for i in check:
        x = values[lot == m["lot"][int(i)]]
        mean, m2 = shifted_moments(x)
        assert m["_first"][int(i)] == np.flatnonzero(lot == m["lot"][int(i)])[0]
        assert m["n"][int(i)] == x.size
        assert m["mean"][int(i)] == mean
        assert m["m2"][int(i)] == m2
        if n > 1:
            one = plan.decide(x, usl=1e4 + 2)
            assert (one.mean, one.sd) == (decided[0]["mean"][int(i)], decided[0]["sd"][int(i)])


def exact_mean_sd(x: np.ndarray) -> tuple[Fraction, float]:
    """The mean (exact) and the sd (to double precision) of floats, in rationals."""
    q = [Fraction(float(v)) for v in x]
    mean = sum(q) / len(q)
    m2 = sum((v - mean) ** 2 for v in q)
    return mean, math.sqrt(m2 / (len(q) - 1)) if len(q) > 1 else math.nan


def test_lot_moments_are_accurate_on_adversarial_lots():
    # Exact rational moments of lots with a large common offset (1e9 plus a
    # spread of 1; also a first value 3 and 4 sd off), a first value 1e6 sd
    # from the rest (with and without the offset), constant lots, and two
    # values: relative error of the sd at most 5e-15 and of the mean at most
    # 2e-15 of (|mean| + sd), in decide_lots (shuffled rows) and decide.
    rng = np.random.default_rng(2026)
    n, per_kind = 35, 40
    kinds = {
        "offset": lambda: 1e9 + rng.normal(0, 1, n),
        "offset, first 3 sd off": lambda: 1e9 + np.r_[3.0, rng.normal(0, 1, n - 1)],
        "offset, first 4 sd off": lambda: 1e9 + np.r_[4.0, rng.normal(0, 1, n - 1)],
        "first 1e6 sd off": lambda: np.r_[10 + 1e6 * 0.05, rng.normal(10, 0.05, n - 1)],
        "offset, first 1e6 sd off": lambda: 1e9 + np.r_[1e6, rng.normal(0, 1, n - 1)],
        "near zero": lambda: rng.normal(0, 1, n),
        "constant": lambda: np.full(n, 1e9 + rng.normal()),
    }
    lots = [(kind, make()) for kind, make in kinds.items() for _ in range(per_kind)]
    perm = rng.permutation(len(lots) * n)
    lot = np.repeat(np.arange(len(lots)), n)[perm]
    values = np.concatenate([x for _, x in lots])[perm]
    plan = qs.VariablesPlan(n, 1.5)
    out = plan.decide_lots(
        pl.DataFrame({"lot": lot, "x": values}), value="x", lot="lot", usl=2e9
    ).sort("lot")
    assert np.array_equal(out["lot"].to_numpy(), np.arange(len(lots)))
    for i, (kind, _) in enumerate(lots):
        x = values[lot == i]  # the lot's values in row order
        mean, sd = exact_mean_sd(x)
        one = plan.decide(x, usl=2e9)
        assert (one.mean, one.sd) == (out["mean"][i], out["sd"][i]), kind
        assert abs(Fraction(one.mean) - mean) <= 2e-15 * (abs(mean) + Fraction(sd)), kind
        if kind == "constant":
            assert one.sd == 0.0 and one.mean == x[0]
        else:
            assert abs(one.sd - sd) <= 5e-15 * sd, (kind, one.sd / sd - 1)
    # Two values (a sigma-method plan), one value, lots of negative zeros.
    for x in ([1e9 + 0.1, 1e9 + 0.7], [-3.25, 2.5], [0.1, 0.1]):
        mean, sd = exact_mean_sd(np.array(x))
        d = qs.VariablesPlan(2, 1.0, method="sigma", sigma=0.5).decide(x, usl=2e9)
        assert abs(Fraction(d.mean) - mean) <= 2e-15 * (abs(mean) + Fraction(sd))
        assert abs(d.sd - sd) <= 5e-15 * sd
    job = _LotDecisions(plan, "x", "lot", None, 2e9, None, None, None)
    single = job.moments(pl.DataFrame({"lot": [4, 5], "x": [1e9 + 0.1, -0.0]}))
    assert single["mean"].to_list() == [1e9 + 0.1, -0.0] and single["m2"].to_list() == [0, 0]
    assert math.copysign(1.0, single["mean"][1]) == -1.0
    zeros = qs.VariablesPlan(3, 1.0).decide_lots(
        pl.DataFrame({"lot": [1, 1, 1], "x": [-0.0, -0.0, -0.0]}), value="x", lot="lot", usl=1.0
    )
    assert math.copysign(1.0, zeros["mean"][0]) == -1.0 and zeros["sd"][0] == 0.0


# --- issue 13: decisions written natively into columns ------------------------------


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(3, 9),
    lots=st.integers(1, 40),
    seed=st.integers(0, 2**32 - 1),
    limits=st.sampled_from(["both", "lower", "upper"]),
    control=st.sampled_from(["combined", "separate"]),
    shuffle=st.booleans(),
)
def test_decide_lots_on_random_frames_equals_a_numpy_scipy_reimplementation(
    n, lots, seed, limits, control, shuffle
):
    rng = np.random.default_rng(seed)
    keys = rng.choice(np.arange(-50, 50) * 7, size=lots, replace=False)
    lot = np.repeat(keys, n)
    values = rng.normal(np.repeat(rng.normal(0.0, 0.4, lots), n), rng.uniform(0.1, 1.0))
    if shuffle:
        perm = rng.permutation(lots * n)
        lot, values = lot[perm], values[perm]
    lsl = -1.0 if limits != "upper" else None
    usl = 1.2 if limits != "lower" else None
    plan = qs.VariablesPlan(n, 1.1)
    out = plan.decide_lots(
        pl.DataFrame({"lot": lot, "x": values}),
        value="x", lot="lot", lsl=lsl, usl=usl, control=control if limits == "both" else None,
    )  # fmt: skip
    # The reference: each lot's rows in order of first appearance, numpy
    # moments, scipy's incomplete beta (Lieberman & Resnikoff's MVUE).
    order = pd.unique(lot)
    assert out["lot"].to_list() == order.tolist()
    x = np.array([values[lot == k] for k in order])
    mean, sd = x.mean(axis=1), x.std(axis=1, ddof=1)
    np.testing.assert_allclose(out["mean"].to_numpy(), mean, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(out["sd"].to_numpy(), sd, rtol=1e-12)
    a = (n - 2) / 2
    k = plan.k
    p_total = np.zeros(lots)
    accept = np.ones(lots, dtype=bool)
    near = np.zeros(lots, dtype=bool)  # within rounding of a threshold
    for name, limit, sign in (("lower", lsl, 1.0), ("upper", usl, -1.0)):
        q_col, p_col = out[f"q_{name}"].to_numpy(), out[f"p_{name}"].to_numpy()
        if limit is None:
            assert out[f"q_{name}"].null_count() == lots == out[f"p_{name}"].null_count()
            continue
        q = sign * (mean - limit) / sd
        np.testing.assert_allclose(q_col, q, rtol=1e-11)
        p = special.betainc(a, a, x_of(n, q))
        np.testing.assert_allclose(p_col, p, rtol=1e-9, atol=1e-300)
        p_total += p
        accept &= q >= k
        near |= np.abs(q - k) <= 1e-9 * k
    np.testing.assert_allclose(out["p_hat"].to_numpy(), p_total, rtol=1e-9, atol=1e-300)
    if limits == "both" and control == "combined":
        accept = p_total <= plan.m
        near = np.abs(p_total - plan.m) <= 1e-9 * plan.m
    outcome = out["outcome"].to_numpy()
    assert (outcome[~near] == np.where(accept, "accept", "reject")[~near]).all()


@pytest.mark.parametrize("name", ["outcome", "n", "mean", "p_hat", "m2"])
def test_decide_lots_refuses_a_lot_column_named_as_a_result_column(name):
    """The result keeps the lot column's name: one of its own names is an error naming it."""
    frame = pl.DataFrame({name: ["a"] * 5 + ["b"] * 5, "x": np.arange(10.0)})
    with pytest.raises(ValueError, match=rf"lot = '{name}' is invalid: the result has its own"):
        qs.VariablesPlan(5, 1.0).decide_lots(frame, value="x", lot=name, usl=20.0)
