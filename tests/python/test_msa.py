"""Gauge R&R and type-1 gauge studies (qs.msa) against published outputs and statsmodels.

Published values (``reference/lab_notes.md`` B.6) are compared at the precision
they are printed with: a value printed with d decimals must agree to half a unit
of its last decimal. Independent checks: the OLS ANOVA table of statsmodels
(``ols`` + ``anova_lm``) at 1e-10 relative, and REML variance components of
statsmodels ``MixedLM`` on balanced data with positive components.
"""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import qualstat as qs

DATA = Path(__file__).resolve().parents[2] / "reference" / "datasets"


def dataset(name: str) -> pl.DataFrame:
    return pl.read_csv(DATA / f"msa_{name}.csv", comment_prefix="#")


def printed(value: float, shown: float, decimals: int) -> None:
    """``value`` rounds to ``shown`` printed with ``decimals`` decimals."""
    assert abs(value - shown) <= 0.5 * 10.0**-decimals * (1 + 1e-9), (value, shown)


def comp(g: qs.msa.GaugeRR, source: str, column: str) -> float:
    return g.component(source)[column]


def anova_row(frame: pl.DataFrame, source: str) -> dict:
    rows = frame.filter(pl.col("source") == source)
    assert rows.height == 1, frame
    return rows.row(0, named=True)


# --------------------------------------------------------------------------
# AIAG MSA-4 / Minitab Gageaiag.MTW


@pytest.fixture(scope="module")
def aiag() -> qs.msa.GaugeRR:
    df = dataset("aiag_msa4_grr")
    return qs.msa.gauge_rr(df, part="part", operator="operator", value="measurement", tolerance=8)


def test_aiag_minitab_example_page(aiag):
    # support.minitab.com, Minitab 19, "Example of Crossed Gage R&R Study": the
    # interaction p-value 0.974 is above alpha 0.05 so it is removed; Part-To-Part
    # %Contribution 92.24, Total Gage R&R 7.76 %Contribution and 27.86 %Study Var, ndc 4.
    printed(aiag.interaction_p, 0.974, 3)
    assert aiag.interaction_pooled
    assert "pooled" in aiag.model
    printed(comp(aiag, "part", "pct_contribution"), 92.24, 2)
    printed(comp(aiag, "total_grr", "pct_contribution"), 7.76, 2)
    printed(comp(aiag, "total_grr", "pct_study_var"), 27.86, 2)
    assert aiag.ndc == 4
    assert aiag.anova["source"].to_list() == ["part", "operator", "repeatability", "total"]
    assert aiag.anova_full["source"].to_list() == [
        "part", "operator", "part:operator", "repeatability", "total",
    ]  # fmt: skip
    assert "operator_part" not in aiag.components["source"].to_list()


def test_aiag_minitab_session_output(aiag):
    # Minitab's session window for Gageaiag.MTW with tolerance 8 (the blog post
    # "Crossed Gage R&R: How are the Variance Components Calculated?", 2015, and
    # the Minitab example page; values as Minitab prints them).
    full = aiag.anova_full
    for source, df_, ss, ms, f in [
        ("part", 9, 88.3619, 9.81799, 492.291),
        ("operator", 2, 3.1673, 1.58363, 79.406),
        ("part:operator", 18, 0.3590, 0.01994, 0.434),
        ("repeatability", 60, 2.7589, 0.04598, None),
    ]:
        r = anova_row(full, source)
        assert r["df"] == df_
        printed(r["ss"], ss, 4)
        printed(r["ms"], ms, 5)
        if f is not None:
            printed(r["f"], f, 3)
    printed(anova_row(full, "total")["ss"], 94.6471, 4)
    red = aiag.anova
    printed(anova_row(red, "part")["f"], 245.614, 3)
    printed(anova_row(red, "operator")["f"], 39.617, 3)
    printed(anova_row(red, "repeatability")["ms"], 0.03997, 5)
    assert anova_row(red, "repeatability")["df"] == 78
    for source, var, contrib, sv, pct_sv, pct_tol in [
        ("total_grr", 0.09143, 7.76, 1.81423, 27.86, 22.68),
        ("repeatability", 0.03997, 3.39, 1.19960, 18.42, 14.99),
        ("reproducibility", 0.05146, 4.37, 1.36103, 20.90, 17.01),
        ("operator", 0.05146, 4.37, 1.36103, 20.90, 17.01),
        ("part", 1.08645, 92.24, 6.25396, 96.04, 78.17),
        ("total", 1.17788, 100.00, 6.51180, 100.00, 81.40),
    ]:
        row = aiag.component(source)
        printed(row["variance"], var, 5)
        printed(row["pct_contribution"], contrib, 2)
        printed(row["study_var"], sv, 5)
        printed(row["pct_study_var"], pct_sv, 2)
        printed(row["pct_tolerance"], pct_tol, 2)


def test_aiag_average_and_range_constants():
    df = dataset("aiag_msa4_grr")
    g = qs.msa.gauge_rr(
        df, part="part", operator="operator", value="measurement", method="xbar_r",
        constants="aiag", tolerance=8,
    )  # fmt: skip
    ar = g.average_range
    assert ar is not None
    # The constants the AIAG MSA-4 table prints (gagerandr.com "Variable R&R, Xbar & R").
    assert (ar["k1"], ar["k2"], ar["k3"]) == (0.5908, 0.5231, 0.3146)
    exact = qs.msa.gauge_rr(
        df, part="part", operator="operator", value="measurement", method="xbar_r"
    )
    assert exact.average_range is not None
    assert exact.average_range["k1"] == pytest.approx(1 / qs.spc.d2(3), rel=1e-12)
    # The method's formulas evaluated independently from the data.
    cells = df.group_by(["part", "operator"]).agg(
        pl.col("measurement").mean().alias("m"),
        (pl.col("measurement").max() - pl.col("measurement").min()).alias("r"),
    )
    r_bar = cells["r"].mean()
    op = cells.group_by("operator").agg(pl.col("m").mean())["m"]
    part = cells.group_by("part").agg(pl.col("m").mean())["m"]
    ev = r_bar * 0.5908
    av = math.sqrt((float(op.max() - op.min()) * 0.5231) ** 2 - ev**2 / (10 * 3))
    pv = float(part.max() - part.min()) * 0.3146
    grr = math.hypot(ev, av)
    tv = math.hypot(grr, pv)
    assert comp(g, "repeatability", "sd") == pytest.approx(ev, rel=1e-12)
    assert comp(g, "reproducibility", "sd") == pytest.approx(av, rel=1e-12)
    assert comp(g, "part", "sd") == pytest.approx(pv, rel=1e-12)
    assert comp(g, "total_grr", "pct_study_var") == pytest.approx(100 * grr / tv, rel=1e-12)
    assert comp(g, "total_grr", "pct_tolerance") == pytest.approx(100 * 6 * grr / 8, rel=1e-12)
    assert g.ndc == max(1, math.floor(1.41 * pv / grr))
    assert g.anova.height == 0


def test_aiag_average_and_range_worked_example():
    # AIAG MSA-4 worked Average & Range example on these data, as quoted second-hand
    # (lab_notes B.6: "AIAG table quoted second-hand"): EV 0.20188, AV 0.22963,
    # GRR 0.30575, PV 1.10456, TV 1.14610; %EV 17.62, %AV 20.04, %GRR 26.68, %PV 96.38,
    # ndc 5. The manual rounds intermediates (R-bar 0.3417, R_p 3.511; lab_notes B.3),
    # so the unrounded results agree to about 2e-4 relative; the percentages of AV,
    # GRR and PV and ndc agree as printed.
    df = dataset("aiag_msa4_grr")
    g = qs.msa.gauge_rr(
        df, part="part", operator="operator", value="measurement", method="xbar_r",
        constants="aiag",
    )  # fmt: skip
    ar = g.average_range
    assert ar is not None
    printed(ar["r_bar"], 0.3417, 4)
    printed(ar["r_part"], 3.511, 3)
    # With the manual's rounded R-bar and R_p the formulas give its EV and PV exactly.
    printed(0.3417 * ar["k1"], 0.20188, 5)
    printed(3.511 * ar["k3"], 1.10456, 5)
    for source, sd in [
        ("repeatability", 0.20188), ("reproducibility", 0.22963), ("total_grr", 0.30575),
        ("part", 1.10456), ("total", 1.14610),
    ]:  # fmt: skip
        assert comp(g, source, "sd") == pytest.approx(sd, rel=2.5e-4)
    printed(comp(g, "reproducibility", "pct_study_var"), 20.04, 2)
    printed(comp(g, "total_grr", "pct_study_var"), 26.68, 2)
    printed(comp(g, "part", "pct_study_var"), 96.38, 2)
    assert abs(comp(g, "repeatability", "pct_study_var") - 17.62) < 0.015
    assert g.ndc == 5


# --------------------------------------------------------------------------
# Houf & Burman thermal impedance (strong interaction)


def test_houf_burman_components_as_published():
    # jasp-verification-project 09_GaugeRR.Rmd: JASP, by hand, JMP, Minitab and R agree.
    df = dataset("houf_burman_thermal")
    g = qs.msa.gauge_rr(df, part="part", operator="operator", value="measurement")
    assert not g.interaction_pooled
    assert "kept" in g.model
    for source, var, contrib in [
        ("total_grr", 1.804, 3.6),
        ("repeatability", 0.511, 1.02),
        ("reproducibility", 1.293, 2.58),
        ("operator", 0.565, 1.13),
        ("operator_part", 0.728, 1.45),
        ("part", 48.293, 96.4),
        ("total", 50.096, 100),
    ]:
        printed(comp(g, source, "variance"), var, 3)
        decimals = 1 if contrib in (3.6, 96.4, 100) else 2
        printed(comp(g, source, "pct_contribution"), contrib, decimals)
    assert g.anova["source"].to_list() == [
        "part", "operator", "part:operator", "repeatability", "total",
    ]  # fmt: skip


# --------------------------------------------------------------------------
# SixSigma 0.11.1 ss.rr(time1, prototype, operator, errorTerm = "interaction",
# alphaLim = 0.05, lsl = 0.7, usl = 0.8), tests/testthat/test-ss-rr.R


def test_sixsigma_helicopter():
    df = dataset("sixsigma_ss_data_rr")
    g = qs.msa.gauge_rr(
        df, part="prototype", operator="operator", value="time1", tolerance=(0.7, 0.8)
    )
    full = g.anova_full
    for source, df_, ss, ms, f, p in [
        ("part", 2, 1.2007, 0.6004, 28.797, 0.00422),
        ("operator", 2, 0.0529, 0.0265, 1.270, 0.37415),
        ("part:operator", 4, 0.0834, 0.0208, 0.974, 0.44619),
        ("repeatability", 18, 0.3854, 0.0214, None, None),
    ]:
        r = anova_row(full, source)
        assert r["df"] == df_
        printed(r["ss"], ss, 4)
        printed(r["ms"], ms, 4)
        if f is not None:
            printed(r["f"], f, 3)
            printed(r["p"], p, 5)
    printed(anova_row(full, "total")["ss"], 1.7225, 4)
    assert g.interaction_pooled
    red = g.anova
    printed(anova_row(red, "repeatability")["ss"], 0.4688, 4)
    printed(anova_row(red, "repeatability")["ms"], 0.0213, 4)
    printed(anova_row(red, "part")["f"], 28.17, 2)
    printed(anova_row(red, "operator")["f"], 1.24, 2)
    printed(anova_row(red, "part")["p"], 8.56e-07, 9)
    printed(anova_row(red, "operator")["p"], 0.308, 3)
    for source, var, contrib, sd, sv, pct_sv, pct_tol in [
        ("total_grr", 0.0219, 25.38, 0.14792656, 0.8875594, 50.38, 887.56),
        ("repeatability", 0.0213, 24.71, 0.14597518, 0.8758511, 49.71, 875.85),
        ("reproducibility", 0.0006, 0.67, 0.02394813, 0.1436888, 8.16, 143.69),
        ("operator", 0.0006, 0.67, 0.02394813, 0.1436888, 8.16, 143.69),
        ("part", 0.0643, 74.62, 0.25365123, 1.5219074, 86.38, 1521.91),
        ("total", 0.0862, 100.00, 0.29363449, 1.7618069, 100.00, 1761.81),
    ]:
        row = g.component(source)
        printed(row["variance"], var, 4)
        printed(row["pct_contribution"], contrib, 2)
        printed(row["sd"], sd, 8)
        printed(row["study_var"], sv, 7)
        printed(row["pct_study_var"], pct_sv, 2)
        # The usl - lsl of the test (0.8 - 0.7) is not exactly 0.1 in binary.
        printed(row["pct_tolerance"], pct_tol, 2)
    assert g.ndc == 2


# --------------------------------------------------------------------------
# qualityTools 1.55 vignette section 3.2: F against MS_E, pooling at 0.25


def test_qualitytools_vignette():
    df = dataset("qualitytools_vignette_grr")
    g = qs.msa.gauge_rr(
        df, part="part", operator="operator", value="measurement",
        alpha_remove=0.25, f_test="all_vs_error",
    )  # fmt: skip
    assert g.interaction_pooled
    # "1.664 is the sum of 1.209 (repeatability) and 0.455 (reproducibility) ...
    # Part to Part amounts to 1.781 ... sigma^2_Total = 3.446"; 48 % = 35 % + 13 %, 51.7 % part.
    printed(comp(g, "total_grr", "variance"), 1.664, 3)
    printed(comp(g, "repeatability", "variance"), 1.209, 3)
    printed(comp(g, "reproducibility", "variance"), 0.455, 3)
    printed(comp(g, "part", "variance"), 1.781, 3)
    printed(comp(g, "total", "variance"), 3.446, 3)
    printed(comp(g, "total_grr", "pct_contribution"), 48, 0)
    printed(comp(g, "repeatability", "pct_contribution"), 35, 0)
    printed(comp(g, "reproducibility", "pct_contribution"), 13, 0)
    printed(comp(g, "part", "pct_contribution"), 51.7, 1)


# --------------------------------------------------------------------------
# One operator (Minitab "type 3"): Gadim & Doniavi yarn data


def test_yarn_one_operator():
    # jasp-verification-project 09_GaugeRR.Rmd (JASP, by hand, Minitab, R agree):
    # repeatability 2.371e-5, part-to-part 0.014; %Contribution 0.16 and 99.84.
    df = dataset("yarn_type3_grr")
    g = qs.msa.gauge_rr(df, part="part", operator=None, value="measurement")
    assert g.operators == 1
    printed(comp(g, "repeatability", "variance") * 1e5, 2.371, 3)
    printed(comp(g, "total_grr", "variance") * 1e5, 2.371, 3)
    printed(comp(g, "part", "variance"), 0.014, 3)
    printed(comp(g, "total_grr", "pct_contribution"), 0.16, 2)
    printed(comp(g, "part", "pct_contribution"), 99.84, 2)
    assert g.components["source"].to_list() == ["total_grr", "repeatability", "part", "total"]
    assert g.anova["source"].to_list() == ["part", "repeatability", "total"]


# --------------------------------------------------------------------------
# Nested (destructive) study: jaspQualityControl tests/testthat/test-msaGaugeRRnonrep.R


@pytest.fixture(scope="module")
def nested() -> qs.msa.GaugeRR:
    df = dataset("jasp_nested_grr")
    return qs.msa.gauge_rr(df, part="batch", operator="operator", value="result", design="nested")


def test_jasp_nested(nested):
    t = nested.anova
    assert t["source"].to_list() == ["operator", "part", "repeatability", "total"]
    for source, df_, ss, ms, f, p in [
        ("operator", 2, 4.36266666666668, 2.18133333333334, 0.696059139499019, 0.51759708068839),
        ("part", 12, 37.606, 3.13383333333333, 38.849173553719, 4.4622407258139e-09),
        ("repeatability", 15, 1.21, 0.0806666666666667, None, None),
    ]:
        r = anova_row(t, source)
        assert r["df"] == df_
        assert r["ss"] == pytest.approx(ss, rel=1e-10)
        assert r["ms"] == pytest.approx(ms, rel=1e-10)
        if f is not None:
            assert r["f"] == pytest.approx(f, rel=1e-10)
            assert r["p"] == pytest.approx(p, rel=1e-8)
    assert anova_row(t, "total")["ss"] == pytest.approx(43.1786666666667, rel=1e-10)
    for source, var, contrib, sd, sv in [
        ("total_grr", 0.0806666666666667, 5.01892466428164, 0.284018778721877, 1.70411267233126),
        (
            "repeatability",
            0.0806666666666667,
            5.01892466428164,
            0.284018778721877,
            1.70411267233126,
        ),
        ("reproducibility", 0.0, 0.0, 0.0, 0.0),
        ("part", 1.52658333333333, 94.9810753357184, 1.23554981013852, 7.41329886083112),
        ("total", 1.60725, 100.0, 1.26777363910124, 7.60664183460744),
    ]:
        row = nested.component(source)
        assert row["variance"] == pytest.approx(var, rel=1e-10, abs=1e-15)
        assert row["pct_contribution"] == pytest.approx(contrib, rel=1e-10, abs=1e-12)
        assert row["sd"] == pytest.approx(sd, rel=1e-10, abs=1e-15)
        assert row["study_var"] == pytest.approx(sv, rel=1e-10, abs=1e-15)
    # The operator estimate (MS_O - MS_P(O)) / (a n) is negative and was set to zero.
    assert nested.clamped == ("operator",)
    assert "operator" in repr(nested)


def test_nested_operator_test_uses_part_within_operator_df(nested):
    # SixSigma 0.11.1 method = "nested" takes the repeatability df (15) for the
    # operator p-value; the correct denominator df is b(a - 1) = 12.
    r = anova_row(nested.anova, "operator")
    assert r["p"] == pytest.approx(stats.f.sf(r["f"], 2, 12), rel=1e-10)
    assert abs(r["p"] - stats.f.sf(r["f"], 2, 15)) > 1e-3


def test_nested_reproducibility_has_no_extra_factor():
    # SixSigma 0.11.1 multiplies the nested reproducibility by (b - 1)/b; the
    # estimate is (MS_O - MS_P(O)) / (a n) (Minitab nested gage R&R).
    b, a, n = 4, 5, 3
    df = _nested_synthetic(b, a, n)
    y = df["y"].to_numpy()
    g = qs.msa.gauge_rr(df, part="p", operator="o", value="y", design="nested")
    op_means = y.reshape(b, a * n).mean(axis=1)
    part_means = y.reshape(b, a, n).mean(axis=2)
    ms_o = a * n * ((op_means - y.mean()) ** 2).sum() / (b - 1)
    ms_po = n * ((part_means - op_means[:, None]) ** 2).sum() / (b * (a - 1))
    assert ms_o > ms_po
    want = (ms_o - ms_po) / (a * n)
    assert comp(g, "reproducibility", "variance") == pytest.approx(want, rel=1e-10)
    assert comp(g, "reproducibility", "variance") != pytest.approx(want * (b - 1) / b, rel=1e-3)


# --------------------------------------------------------------------------
# Type-1 gauge study


def test_type1_jasp_verified_with_minitab():
    # jaspQualityControl tests/testthat/test-msaType1Gauge.R, marked "verified with Minitab".
    x = dataset("jasp_type1_gauge")["dm"]
    s = qs.msa.type1(x, reference=-4, tolerance=15)
    assert s.mean == pytest.approx(-3.946, rel=1e-12)
    assert s.sd == pytest.approx(0.420014577006512, rel=1e-12)
    assert 6 * s.sd == pytest.approx(2.52008746203907, rel=1e-12)
    assert s.bias == pytest.approx(0.054, rel=1e-10)
    assert 100 * abs(s.bias) / 15 == pytest.approx(0.36, rel=1e-10)
    assert s.t == pytest.approx(0.909105737620188, rel=1e-10)
    assert s.df == 49
    assert s.p_value == pytest.approx(0.367744349288335, rel=1e-10)
    assert s.bias_ci[0] == pytest.approx(-0.0653668220476197, rel=1e-10)
    assert s.bias_ci[1] == pytest.approx(0.17336682204762, rel=1e-10)
    printed(s.cg, 1.19, 2)
    printed(s.cgk, 1.15, 2)
    printed(s.pct_var_repeatability, 16.8, 1)
    printed(s.pct_var_repeatability_bias, 17.43, 2)
    assert not s.adequate
    assert "not adequate" in repr(s)


def test_type1_formulas_and_conventions():
    x = dataset("qualitytools_cg_vignette")["x"].to_numpy()
    tol = 10.103 - 9.903
    s = qs.msa.type1(x, reference=10.003, tolerance=(9.903, 10.103))
    sd = x.std(ddof=1)
    assert s.cg == pytest.approx(0.2 * tol / (6 * sd), rel=1e-12)
    assert s.cgk == pytest.approx((0.1 * tol - abs(x.mean() - 10.003)) / (3 * sd), rel=1e-12)
    # qualityTools' cg() spans 2 * qnorm(0.9973) (about 5.564) standard deviations.
    l_qt = 2 * stats.norm.ppf(stats.norm.cdf(3) - stats.norm.cdf(-3))
    q = qs.msa.type1(x, reference=10.003, tolerance=tol, l=l_qt)
    assert q.cg == pytest.approx(s.cg * 6 / l_qt, rel=1e-12)
    # A bias beyond the allowance: Cgk <= 0 and %Var(repeatability and bias) is infinite.
    far = qs.msa.type1(x, reference=9.9, tolerance=tol)
    assert far.cgk < 0 and math.isinf(far.pct_var_repeatability_bias)


# --------------------------------------------------------------------------
# Independent checks with statsmodels


def _synthetic(p=8, o=3, r=3, sp=2.0, so=0.5, spo=0.4, se=0.3, seed=1) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    part = np.repeat(np.arange(p), o * r)
    op = np.tile(np.repeat(np.arange(o), r), p)
    y = (
        50
        + sp * rng.standard_normal(p)[part]
        + so * rng.standard_normal(o)[op]
        + spo * rng.standard_normal(p * o)[part * o + op]
        + se * rng.standard_normal(p * o * r)
    )
    return pl.DataFrame({"part": [f"P{i}" for i in part], "op": [f"O{j}" for j in op], "y": y})


def test_anova_table_matches_statsmodels_ols():
    import pandas as pd
    from statsmodels.formula.api import ols
    from statsmodels.stats.anova import anova_lm

    df = _synthetic()
    g = qs.msa.gauge_rr(df, part="part", operator="op", value="y", alpha_remove=None)
    pdf = pd.DataFrame({k: df[k].to_list() for k in df.columns})
    table = anova_lm(ols("y ~ C(part) * C(op)", data=pdf).fit())
    names = {
        "part": "C(part)",
        "operator": "C(op)",
        "part:operator": "C(part):C(op)",
        "repeatability": "Residual",
    }
    for source, sm in names.items():
        r = anova_row(g.anova, source)
        assert r["df"] == table.loc[sm, "df"]
        assert r["ss"] == pytest.approx(table.loc[sm, "sum_sq"], rel=1e-10)
        assert r["ms"] == pytest.approx(table.loc[sm, "mean_sq"], rel=1e-10)
    # All-vs-error F tests are those of anova_lm.
    h = qs.msa.gauge_rr(
        df, part="part", operator="op", value="y", alpha_remove=None, f_test="all_vs_error"
    )
    for source, sm in names.items():
        if source == "repeatability":
            continue
        r = anova_row(h.anova, source)
        assert r["f"] == pytest.approx(table.loc[sm, "F"], rel=1e-10)
        assert r["p"] == pytest.approx(table.loc[sm, "PR(>F)"], rel=1e-9)
    # The reduced model (data without interaction) is the additive OLS fit.
    df0 = _synthetic(spo=0.0, seed=2)
    k = qs.msa.gauge_rr(df0, part="part", operator="op", value="y")
    assert k.interaction_pooled
    pdf0 = pd.DataFrame({c: df0[c].to_list() for c in df0.columns})
    red = anova_lm(ols("y ~ C(part) + C(op)", data=pdf0).fit())
    for source, sm in [("part", "C(part)"), ("operator", "C(op)"), ("repeatability", "Residual")]:
        r = anova_row(k.anova, source)
        assert r["df"] == red.loc[sm, "df"]
        assert r["ss"] == pytest.approx(red.loc[sm, "sum_sq"], rel=1e-10)
        if source != "repeatability":
            assert r["f"] == pytest.approx(red.loc[sm, "F"], rel=1e-10)
            assert r["p"] == pytest.approx(red.loc[sm, "PR(>F)"], rel=1e-9)


def test_components_match_statsmodels_mixedlm_reml():
    import pandas as pd
    from statsmodels.regression.mixed_linear_model import MixedLM

    df = _synthetic(p=10, o=4, r=3, seed=3)
    g = qs.msa.gauge_rr(df, part="part", operator="op", value="y", alpha_remove=None)
    assert g.clamped == ()
    pdf = pd.DataFrame({k: df[k].to_list() for k in df.columns})
    pdf["po"] = pdf["part"] + ":" + pdf["op"]
    pdf["one"] = 1
    model = MixedLM.from_formula(
        "y ~ 1",
        groups="one",
        vc_formula={"part": "0 + C(part)", "op": "0 + C(op)", "po": "0 + C(po)"},
        data=pdf,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = model.fit(reml=True, method="lbfgs", maxiter=2000)
    vc = dict(zip(model.exog_vc.names, fit.vcomp, strict=True))
    # Balanced data, positive components: REML = the ANOVA estimates (optimiser tolerance).
    assert comp(g, "part", "variance") == pytest.approx(vc["part"], rel=1e-3)
    assert comp(g, "operator", "variance") == pytest.approx(vc["op"], rel=1e-3)
    assert comp(g, "operator_part", "variance") == pytest.approx(vc["po"], rel=1e-3)
    assert comp(g, "repeatability", "variance") == pytest.approx(fit.scale, rel=1e-3)


def _nested_synthetic(b=4, a=5, n=3, seed=7) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    op = np.repeat(np.arange(b), a * n)
    part = np.tile(np.repeat(np.arange(a), n), b)
    y = 10 + 2.0 * rng.standard_normal(b)[op] + rng.standard_normal(b * a)[op * a + part]
    return pl.DataFrame({"o": op, "p": part, "y": y + 0.3 * rng.standard_normal(y.size)})


def test_nested_and_one_way_components_match_mixedlm_reml():
    import pandas as pd
    from statsmodels.regression.mixed_linear_model import MixedLM

    df = _nested_synthetic()
    g = qs.msa.gauge_rr(df, part="p", operator="o", value="y", design="nested")
    assert g.clamped == ()
    pdf = pd.DataFrame({c: df[c].to_numpy() for c in df.columns})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = MixedLM.from_formula(
            "y ~ 1", groups="o", re_formula="1", vc_formula={"p": "0 + C(p)"}, data=pdf
        )
        fit = model.fit(reml=True, method="lbfgs", maxiter=2000)
    assert comp(g, "reproducibility", "variance") == pytest.approx(fit.cov_re.iloc[0, 0], rel=1e-3)
    assert comp(g, "part", "variance") == pytest.approx(fit.vcomp[0], rel=1e-3)
    assert comp(g, "repeatability", "variance") == pytest.approx(fit.scale, rel=1e-3)
    yarn = dataset("yarn_type3_grr")
    one = qs.msa.gauge_rr(yarn, part="part", operator=None, value="measurement")
    ypdf = pd.DataFrame({c: yarn[c].to_numpy() for c in yarn.columns})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit1 = MixedLM.from_formula("measurement ~ 1", groups="part", data=ypdf).fit(reml=True)
    assert comp(one, "part", "variance") == pytest.approx(fit1.cov_re.iloc[0, 0], rel=1e-3)
    assert comp(one, "repeatability", "variance") == pytest.approx(fit1.scale, rel=1e-3)


# --------------------------------------------------------------------------
# The pooling rule and the F-test conventions


def test_alpha_remove_threshold_between_minitab_and_qualitytools():
    # A data set whose interaction p-value lies between 0.05 and 0.25.
    df = _synthetic(p=6, o=3, r=2, spo=0.12, se=0.3, seed=11)
    kept = qs.msa.gauge_rr(df, part="part", operator="op", value="y", alpha_remove=0.25)
    p = kept.interaction_p
    assert p is not None and 0.05 < p < 0.25
    assert not kept.interaction_pooled
    assert "below alpha_remove = 0.25" in kept.model
    pooled = qs.msa.gauge_rr(df, part="part", operator="op", value="y")
    assert pooled.interaction_pooled and "at least alpha_remove = 0.05" in pooled.model
    # Exactly at the p-value: pooled (p >= alpha, Minitab and JASP).
    at = qs.msa.gauge_rr(df, part="part", operator="op", value="y", alpha_remove=p)
    assert at.interaction_pooled
    never = qs.msa.gauge_rr(df, part="part", operator="op", value="y", alpha_remove=None)
    assert not never.interaction_pooled
    assert "operator_part" in never.components["source"].to_list()


def test_f_test_changes_only_part_and_operator_tests():
    df = dataset("houf_burman_thermal")
    kw = dict(part="part", operator="operator", value="measurement")
    m = qs.msa.gauge_rr(df, **kw)
    a = qs.msa.gauge_rr(df, **kw, f_test="AIAG")
    e = qs.msa.gauge_rr(df, **kw, f_test="all_vs_error")
    assert a.anova.equals(e.anova) and a.f_test == "all_vs_error"
    assert m.components.equals(e.components)
    ms = {r["source"]: r["ms"] for r in m.anova.iter_rows(named=True)}
    assert anova_row(m.anova, "part")["f"] == pytest.approx(ms["part"] / ms["part:operator"])
    assert anova_row(e.anova, "part")["f"] == pytest.approx(ms["part"] / ms["repeatability"])
    assert anova_row(m.anova, "part:operator")["f"] == anova_row(e.anova, "part:operator")["f"]


# --------------------------------------------------------------------------
# Properties


@settings(max_examples=30, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    shift=st.floats(-1e3, 1e3),
    scale=st.floats(0.01, 100),
    alpha=st.sampled_from([0.05, 0.25, None]),
)
def test_components_are_shift_invariant_and_scale_with_the_square(seed, shift, scale, alpha):
    df = _synthetic(p=5, o=3, r=2, seed=seed)
    kw = dict(part="part", operator="op", value="y", alpha_remove=alpha)
    g = qs.msa.gauge_rr(df, **kw)
    h = qs.msa.gauge_rr(df.with_columns(pl.col("y") * scale + shift), **kw)
    assert g.interaction_pooled == h.interaction_pooled
    np.testing.assert_allclose(
        h.components["variance"], g.components["variance"] * scale**2, rtol=1e-7, atol=1e-9
    )
    c = g.components
    total = comp(g, "total", "variance")
    assert comp(g, "total_grr", "variance") + comp(g, "part", "variance") == pytest.approx(total)
    assert comp(g, "total", "pct_study_var") == pytest.approx(100.0)
    assert (c["variance"] >= 0).all()
    # Rows in any order give the same study.
    perm = np.random.default_rng(seed).permutation(df.height)
    k = qs.msa.gauge_rr(df[perm], **kw)
    np.testing.assert_allclose(k.components["variance"], c["variance"], rtol=1e-9, atol=1e-12)


# --------------------------------------------------------------------------
# Results as objects, frames, HTML and plots


def test_frames_repr_html_and_dict(aiag):
    assert aiag.anova.columns == ["source", "df", "ss", "ms", "f", "p"]
    assert aiag.components.columns == [
        "source", "variance", "pct_contribution", "sd", "study_var", "pct_study_var",
        "pct_tolerance",
    ]  # fmt: skip
    text = repr(aiag)
    assert "ndc" not in text and "distinct categories 4" in text and "pooled" in text
    page = aiag._repr_html_()
    for words in (
        "Two-Way ANOVA Table With Interaction",
        "Two-Way ANOVA Table Without Interaction",
        "Part * Operator",
        "Total Gage R&amp;R",
        "Part-To-Part",
        "%Contribution (of VarComp)",
        "%Tolerance (SV/Toler)",
        "Number of Distinct Categories = 4",
        "&alpha; to remove interaction term = 0.05",
    ):
        assert words in page, words
    d = aiag.to_dict()
    assert d["ndc"] == 4 and d["interaction_pooled"] is True
    with pytest.raises(ValueError, match="not in this study"):
        aiag.component("operator_part")


def test_plots(aiag, nested):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    axes = aiag.plot()
    assert len(axes) == 6
    assert [ax.get_title() for ax in axes] == [
        "Components of Variation", "R Chart by Operator", "Xbar Chart by Operator",
        "Measurements by Part", "Measurements by Operator", "Operator * Part Interaction",
    ]  # fmt: skip
    nested.plot()
    x = dataset("jasp_type1_gauge")["dm"]
    ax = qs.msa.type1(x, reference=-4, tolerance=15).plot()
    assert "Cg" in ax.get_title()
    with pytest.raises(ValueError, match="expected 6"):
        aiag.plot(axes=[ax])
    plt.close("all")


# --------------------------------------------------------------------------
# Bad input


def _small() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "p": [1, 1, 2, 2, 3, 3] * 2,
            "o": ["A"] * 6 + ["B"] * 6,
            "y": [1.0, 1.1, 2.0, 2.2, 3.1, 3.0, 1.2, 1.1, 2.1, 2.2, 3.0, 3.2],
        }
    )


def test_unbalanced_study_names_the_cells():
    df = _small()[:-1]
    with pytest.raises(ValueError) as info:
        qs.msa.gauge_rr(df, part="p", operator="o", value="y")
    msg = str(info.value)
    assert "unbalanced" in msg
    assert "part 3 by operator 'B' has 1" in msg and "has 2" in msg
    missing = _small().filter(~((pl.col("p") == 2) & (pl.col("o") == "B")))
    with pytest.raises(ValueError, match="part 2 by operator 'B' has 0"):
        qs.msa.gauge_rr(missing, part="p", operator="o", value="y")


@pytest.mark.parametrize(
    ("kwargs", "frame", "match"),
    [
        ({}, _small().head(4).with_columns(pl.lit(1).alias("p")), "at least 2 parts"),
        ({}, _small().with_columns(pl.lit(1.0).alias("y")), "without variation"),
        ({}, _small().with_columns(pl.Series("y", [np.nan] + [1.0] * 11)), "row 0"),
        ({}, _small().with_columns(pl.Series("y", [None] + [1.0] * 11)), "row 0"),
        ({}, _small().with_columns(pl.Series("y", [np.inf] + [1.0] * 11)), "row 0"),
        ({"tolerance": 0}, _small(), "tolerance"),
        ({"tolerance": -1.0}, _small(), "tolerance"),
        ({"tolerance": (2.0, 1.0)}, _small(), "tolerance"),
        ({"tolerance": float("nan")}, _small(), "tolerance"),
        ({"study_var": 0}, _small(), "study_var"),
        ({"alpha_remove": 0}, _small(), "alpha_remove"),
        ({"alpha_remove": 1.5}, _small(), "alpha_remove"),
        ({"method": "range"}, _small(), "method"),
        ({"f_test": "sas"}, _small(), "f_test"),
        ({"design": "mixed"}, _small(), "design"),
        ({"constants": "jis"}, _small(), "constants"),
        ({"method": "xbar_r", "design": "nested"}, _small(), "method"),
        ({"design": "nested"}, _small().with_columns(pl.lit(1).alias("p")), "2 parts per operator"),
    ],
)
def test_gauge_rr_bad_input(kwargs, frame, match):
    with pytest.raises(ValueError, match=match):
        qs.msa.gauge_rr(frame, part="p", operator="o", value="y", **kwargs)


def test_gauge_rr_bad_columns():
    with pytest.raises(ValueError, match="not in the frame"):
        qs.msa.gauge_rr(_small(), part="part", operator="o", value="y")
    with pytest.raises(TypeError, match="must hold numbers"):
        labelled = _small().with_columns(pl.col("o").alias("s"))
        qs.msa.gauge_rr(labelled, part="p", operator="o", value="s")
    with pytest.raises(ValueError, match="different columns"):
        qs.msa.gauge_rr(_small(), part="p", operator="p", value="y")
    with pytest.raises(ValueError, match="at least 2 measurements of every part"):
        one = _small().group_by(["p", "o"]).agg(pl.col("y").first())
        qs.msa.gauge_rr(one, part="p", operator="o", value="y")
    with pytest.raises(ValueError, match="missing label"):
        qs.msa.gauge_rr(
            _small().with_columns(pl.Series("o", [None] + ["A"] * 5 + ["B"] * 6)),
            part="p", operator="o", value="y",
        )  # fmt: skip
    with pytest.raises(ValueError, match="no rows"):
        qs.msa.gauge_rr(_small().head(0), part="p", operator="o", value="y")
    with pytest.raises(TypeError, match="operator"):
        qs.msa.gauge_rr(_small(), part="p", operator=3, value="y")  # type: ignore[arg-type]


def test_nested_bad_designs():
    # Part labels reused between operators are different parts in a nested study,
    # but each operator must measure as many parts as the others.
    df = pl.DataFrame(
        {"o": ["A"] * 6 + ["B"] * 4, "p": [1, 1, 2, 2, 3, 3, 1, 1, 2, 2], "y": np.arange(10.0)}
    )
    with pytest.raises(
        ValueError, match="operator 'A' measures 3 parts but operator 'B' measures 2"
    ):
        qs.msa.gauge_rr(df, part="p", operator="o", value="y", design="nested")


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"values": [1.0]}, "at least 2"),
        ({"values": [1.0, np.nan, 2.0]}, r"values\[1\]"),
        ({"values": [1.0, 1.0, 1.0]}, "vary"),
        ({"tolerance": 0.0}, "tolerance"),
        ({"tolerance": None}, "tolerance"),
        ({"reference": float("inf")}, "reference"),
        ({"k": 0}, "k"),
        ({"k": 150}, "k"),
        ({"l": -6}, "l"),
        ({"confidence": 1.0}, "confidence"),
        ({"values": [[1.0, 2.0], [3.0, 4.0]]}, "1-D"),
    ],
)
def test_type1_bad_input(kwargs, match):
    args = {"values": [1.0, 1.1, 0.9, 1.05], "reference": 1.0, "tolerance": 1.0} | kwargs
    values = args.pop("values")
    with pytest.raises(ValueError, match=match):
        qs.msa.type1(values, **args)


def test_pandas_and_lazy_frames_give_the_same_study(aiag):
    import pandas as pd

    df = dataset("aiag_msa4_grr")
    pdf = pd.DataFrame({c: df[c].to_numpy() for c in df.columns})
    kw = dict(part="part", operator="operator", value="measurement", tolerance=8)
    for frame in (pdf, df.lazy()):
        g = qs.msa.gauge_rr(frame, **kw)
        assert g.components.equals(aiag.components)
        assert g.anova.equals(aiag.anova)


def test_many_labels_do_not_allocate_every_cell():
    # 200,000 parts by 200,000 operators would be 4e10 cells: refused from the counts.
    n = 200_000
    df = pl.DataFrame({"p": np.arange(n), "o": np.arange(n), "y": np.arange(n, dtype=float)})
    with pytest.raises(ValueError, match="200000 measurements for 40000000000 cells"):
        qs.msa.gauge_rr(df, part="p", operator="o", value="y")


def test_exact_measurements_leave_the_interaction_untestable():
    # No scatter within cells and additive cell means: MS_PO = MS_E = 0, so no F test;
    # part and operator are infinitely significant against a zero error.
    df = pl.DataFrame(
        {"p": [1, 1, 2, 2] * 2, "o": ["A"] * 4 + ["B"] * 4, "y": [1.0, 1, 2, 2, 1.5, 1.5, 2.5, 2.5]}
    )
    g = qs.msa.gauge_rr(df, part="p", operator="o", value="y")
    assert g.interaction_p is None and g.interaction_pooled
    assert "cannot be tested" in g.model
    assert anova_row(g.anova, "part")["f"] == math.inf and anova_row(g.anova, "part")["p"] == 0
    assert comp(g, "repeatability", "variance") == 0.0
    # Operator means 1.5 and 2.0: MS_O = p r * 2 * 0.25^2 = 0.5, over p r = 4.
    assert comp(g, "operator", "variance") == pytest.approx(0.125, rel=1e-12)


@given(
    st.one_of(
        st.lists(st.integers(-(2**63), 2**63 - 1), min_size=1, max_size=40),
        st.lists(st.integers(-50, 50), min_size=1, max_size=40),
        st.lists(st.text(max_size=3), min_size=1, max_size=40),
        st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=1, max_size=40),
    )
)
def test_label_codes_are_the_dense_rank(labels):
    """Codes of part and operator labels: 0, 1, ... in sorted label order (polars' dense rank)."""
    from qualstat.msa import _codes

    series = pl.Series(labels)
    codes, levels = _codes(series, "part")
    expected = (series.rank("dense") - 1).cast(pl.UInt32).to_numpy()
    np.testing.assert_array_equal(codes, expected)
    assert codes.dtype == np.uint32
    assert pl.Series(levels).equals(series.unique().sort(), check_names=False)
