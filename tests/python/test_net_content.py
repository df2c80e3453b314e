"""qs.net_content against the reference tables, worked examples, exact edges and scipy.

References (``reference/lab_notes.md`` section A): every cell of
``reference/tables/net_content_*.csv`` is walked from the files; expected TNE
values are computed here from the CSV bands with Python's ``decimal`` module
and the rounding rules of the CSV header; the Australian worked examples
(``net_content_au_worked_examples.csv``); ties decided with ``fractions``; the
operating characteristics against scipy (binomial, sequential hypergeometric,
noncentral t) at 1e-10 (1e-9 for the noncentral t).
"""

from __future__ import annotations

import csv
import math
from decimal import ROUND_CEILING, ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import qualstat as qs
from qualstat import net_content as nc

TABLES = Path(__file__).resolve().parents[2] / "reference" / "tables"
OPEN = 10**7  # a lot size standing for an open-ended class


def table(name):
    path = TABLES / name
    assert path.is_file(), path
    with open(path, newline="") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


# -- TNE -----------------------------------------------------------------------------------

BANDS = table("net_content_tne.csv")
RULES = {
    "eu": "up_0.1",
    "uk_2006": "up_0.1",
    "oiml_r87_2004": "up_0.1_then_1",
    "china_2005": "half_even_0.1_then_1",
}


def reference_tne(qn: Decimal, rule: str) -> Decimal:
    """T in g or mL from the CSV bands (from < Qn <= to) and the header's rounding rules."""
    band = next(b for b in BANDS if qn <= Decimal(b["qn_to"]))
    if band["T_abs_g_or_mL"]:
        return Decimal(band["T_abs_g_or_mL"])
    raw = qn * Decimal(band["T_percent_of_Qn"]) / 100
    if rule == "none":
        return raw
    step = Decimal("0.1") if (rule == "up_0.1" or qn <= 1000) else Decimal("1")
    mode = ROUND_HALF_EVEN if rule.startswith("half_even") else ROUND_CEILING
    return raw.quantize(step, rounding=mode)


def band_points():
    """Edges, interior and awkward points of every band (as decimal strings)."""
    points = set()
    for b in BANDS:
        lo, hi = Decimal(b["qn_from"]), Decimal(b["qn_to"])
        for q in (lo, hi, (lo + hi) / 2, lo + Decimal("0.1"), hi - Decimal("0.1")):
            if q > 0:
                points.add(q)
    points |= {Decimal(s) for s in ("5", "12.5", "33.3", "187.5", "333", "1100", "1250", "7333")}
    points |= {Decimal(s) for s in ("2222.2", "16500", "33333", "49999.9", "0.5", "1.1")}
    return sorted(points)


def in_scope(regime: str, q: Decimal) -> bool:
    if regime in ("eu", "uk_2006"):
        return Decimal(5) <= q <= Decimal(10000)
    return Decimal(0) < q <= Decimal(50000)


@pytest.mark.parametrize("regime", list(RULES))
def test_tne_walks_every_band_with_the_regime_rounding(regime):
    checked = 0
    for q in band_points():
        if not in_scope(regime, q):
            with pytest.raises(ValueError, match="nominal"):
                nc.tne(float(q), regime=regime)
            continue
        expected = reference_tne(q, RULES[regime])
        assert nc.tne(float(q), regime=regime) == float(expected), (regime, q)
        # the same quantity in kg / L gives T in kg / L
        assert nc.tne(float(q / 1000), "kg", regime=regime) == float(expected / 1000), q
        assert nc.tne(float(q / 1000), "L", regime=regime) == float(expected / 1000), q
        checked += 1
    assert checked > 30


@pytest.mark.parametrize("rule", ["up_0.1", "up_0.1_then_1", "half_even_0.1_then_1", "none"])
def test_every_rounding_rule_is_selectable(rule):
    for q in band_points():
        if q <= 50000:
            got = nc.tne(float(q), regime="china_2005", rounding=rule)
            assert got == float(reference_tne(q, rule)), (rule, q)


def test_rounding_rules_differ_where_the_notes_say():
    # 1.5 % of 1100 g = 16.5 g: up to 17 (R 87), to even 16 (China), 16.5 (EU, up to 0.1)
    assert nc.tne(1100, regime="oiml_r87_2004") == 17.0
    assert nc.tne(1100, regime="china_2005") == 16.0
    assert nc.tne(1100, regime="eu") == 16.5
    # no spurious round-up from binary floating point: 3 % of 390 g is 11.7 g exactly,
    # and 1.1 kg is 1100 g exactly (a float formula or conversion gives 11.8 and 16.6 g)
    assert 390 * 3 * 0.01 > 11.7
    assert nc.tne(390, regime="eu") == 11.7
    assert nc.tne(1.1, "kg", regime="eu") == 0.0165
    assert nc.tne(1.1, "kg", regime="china_2005") == 0.016
    assert nc.tne(200, regime="eu") == 9.0
    assert nc.tne(200, "g", "eu") == nc.tne(200, "g", "eu", "none") == 9.0
    assert nc.tne(150, regime="eu") == 6.8
    assert nc.tne(150, regime="china_2005") == 6.8  # 6.75 -> half even 6.8
    assert nc.tne(161, regime="china_2005") == 7.2  # 7.245 -> 7.2
    assert nc.tne(161, regime="eu") == 7.3


def test_other_units_from_the_table():
    rows = table("net_content_tne_other_units.csv")
    assert {r["quantity_kind"] for r in rows} == {"length", "area", "count"}
    for regime in ("oiml_r87_2004", "china_2005"):
        # length: T = 0 up to 5 m, else 2 % of Qn
        assert nc.tne(5, "m", regime=regime) == 0.0
        assert nc.tne(500, "cm", regime=regime) == 0.0
        assert nc.tne(5000, "mm", regime=regime) == 0.0
        assert nc.tne(5.1, "m", regime=regime) == pytest.approx(0.102, rel=1e-15)
        assert nc.tne(600, "cm", regime=regime) == 12.0
        # area: 3 %
        assert nc.tne(2.0, "m2", regime=regime) == 0.06
        assert nc.tne(500, "cm2", regime=regime) == 15.0
        # count: 0 up to 50 items, else 1 % rounded up to a whole item
        assert nc.tne(50, "count", regime=regime) == 0.0
        assert nc.tne(51, "count", regime=regime) == 1.0
        assert nc.tne(100, "count", regime=regime) == 1.0
        assert nc.tne(101, "count", regime=regime) == 2.0
        assert nc.tne(200, "count", regime=regime) == 2.0
        with pytest.raises(ValueError, match="nominal"):
            nc.tne(60.5, "count", regime=regime)
    for unit in ("m", "m2", "count"):
        with pytest.raises(ValueError, match="unit"):
            nc.tne(100, unit, regime="eu")


# -- plans -----------------------------------------------------------------------------------

EU = table("net_content_eu_reference_test.csv")
R87 = table("net_content_r87_2004_plans.csv")


def lots(row):
    lo = int(row["lot_from"])
    hi = OPEN if row["lot_to"] == "" else int(row["lot_to"])
    return sorted({lo, hi, (lo + hi) // 2})


def test_eu_plans_walk_every_cell():
    cells = 0
    for row in EU:
        destructive = row["testing"] == "destructive"
        for regime in ("eu", "uk_2006"):
            for lot in lots(row):
                if row["plan"] == "100% inspection":
                    p = nc.plan(regime, lot)
                    assert p.full_inspection and p.n == (lot,) and p.mean_n == lot
                    assert p.lam == 0.0 and p.lam_exact == 0.0
                    if row["check"].startswith("defectives"):
                        # 'does not exceed 5 %' of N (UK only); the Directive has no criterion
                        uk_ac = math.floor(Fraction(5, 100) * lot)
                        assert nc.plan("uk_2006", lot).ac == (uk_ac,)
                        assert nc.plan("uk_2006", lot).re == (uk_ac + 1,)
                        assert nc.plan("eu", lot).ac is None
                    cells += 1
                    continue
                if row["check"] == "mean":
                    for kind in [None] if destructive else ["double", "single"]:
                        p = nc.plan(regime, lot, destructive=destructive, kind=kind)
                        assert p.mean_n == int(row["n_stage"]), (row, lot)
                        assert p.lam == float(row["lambda_printed"]), (row, lot)
                    cells += 1
                    continue
                kind = row["plan"]
                p = nc.plan(regime, lot, destructive=destructive, kind=kind)
                j = int(row["stage"]) - 1
                assert p.kind == kind and len(p.n) == (2 if kind == "double" else 1)
                assert p.n[j] == int(row["n_stage"]), (row, lot)
                assert sum(p.n[: j + 1]) == int(row["n_cumulative"]), (row, lot)
                assert p.ac[j] == int(row["accept_le"]), (row, lot)
                assert p.re[j] == int(row["reject_ge"]), (row, lot)
                cells += 1
    assert cells >= 3 * 2 * len(EU) - 6


def test_r87_plans_walk_every_cell():
    for row in R87:
        for lot in lots(row):
            regimes = ["china_2005"] + (["oiml_r87_2004"] if row["sources"] != "CN" else [])
            for regime in regimes:
                p = nc.plan(regime, lot)
                n = lot if row["n"] == "N" else int(row["n"])
                assert p.n == (n,) and p.kind == "single", (row, lot)
                assert p.ac == (int(row["allowed_T1"]),) and p.re == (int(row["allowed_T1"]) + 1,)
                assert p.t2_policy == "any" and int(row["allowed_T2"]) == 0
                if row["lambda_printed"]:
                    assert p.mean_n == n and p.lam == float(row["lambda_printed"])
                else:
                    assert p.mean_n is None and p.lam is None
            if row["sources"] == "CN":
                with pytest.raises(ValueError, match="lot_size"):
                    nc.plan("oiml_r87_2004", lot)


@pytest.mark.parametrize(
    ("regime", "edges"),
    [
        ("eu", [(99, 100), (500, 501), (3200, 3201)]),
        ("china_2005", [(10, 11), (50, 51), (99, 100), (500, 501), (3200, 3201)]),
        ("oiml_r87_2004", [(500, 501), (3200, 3201)]),
    ],
)
def test_lot_size_boundaries_change_the_plan(regime, edges):
    for below, above in edges:
        a, b = nc.plan(regime, below), nc.plan(regime, above)
        assert (a.n, a.ac, a.mean_n) != (b.n, b.ac, b.mean_n), (below, above)
        # the class is closed at both printed edges
        assert nc.plan(regime, below - 1).n[0] in (a.n[0], below - 1)


def test_lambda_exact_and_printed():
    ns = {
        int(r["n_stage"]): r["lambda_printed"] for r in EU if r["lambda_printed"] not in ("", "0")
    }
    ns |= {int(r["n"]): r["lambda_printed"] for r in R87 if r["lambda_printed"]}
    for n, printed in ns.items():
        exact = stats.t.ppf(0.995, n - 1) / math.sqrt(n)
        lot = {30: 300, 50: 300, 20: 300, 10: 30, 13: 60, 80: 1000, 125: 5000}[n]
        regime = "eu" if n in (30, 20) else "china_2005"
        p = nc.plan(regime, lot, destructive=(n == 20), lam="exact")
        assert p.mean_n == n
        assert p.lam == pytest.approx(exact, rel=1e-12), n
        if n == 13:  # China prints 0.848; t/sqrt(n) is 0.8467
            assert round(exact, 3) != float(printed)
        else:
            assert round(exact, 3) == pytest.approx(float(printed), abs=5e-4 + 1e-12), n


def test_plan_choices_outside_the_tables_are_errors():
    with pytest.raises(ValueError, match="lot_size"):
        nc.plan("eu", 99, destructive=True)
    with pytest.raises(ValueError, match="kind"):
        nc.plan("eu", 1000, destructive=True, kind="double")
    with pytest.raises(ValueError, match="kind"):
        nc.plan("china_2005", 1000, kind="double")
    with pytest.raises(ValueError, match="destructive"):
        nc.plan("oiml_r87_2004", 1000, destructive=True)
    with pytest.raises(ValueError, match="lot_size"):
        nc.plan("eu", 0)
    with pytest.raises(ValueError, match="regime"):
        nc.plan("nz", 1000)
    assert nc.plan("eu", 1000, destructive=True).n == (20,)


# -- decisions at the edges ------------------------------------------------------------------


def eu_lot(values, **kw):
    return nc.decide(values, 500, regime="eu", lot_size=kw.pop("lot_size", 300), **kw)


def test_package_exactly_at_qn_minus_t_and_2t():
    base = [500.0 + (i % 3) for i in range(30)]  # mean 501, passes
    t = nc.tne(500, regime="eu")
    assert t == 15.0
    at_t = eu_lot([500 - t] + base[1:])
    assert (at_t.t1, at_t.t2) == (0, 0)
    below_t = eu_lot([484.9] + base[1:])
    assert (below_t.t1, below_t.t2) == (1, 0)
    at_2t = eu_lot([470.0] + base[1:], t2_policy="any")
    assert (at_2t.t1, at_2t.t2, at_2t.verdict) == (1, 0, "accept")
    below_2t = eu_lot([469.9] + base[1:], t2_policy="any")
    assert (below_2t.t1, below_2t.t2, below_2t.verdict) == (1, 1, "reject")
    assert below_2t.failed == ("T2",) and below_2t.t2_ok is False
    # under the Directive a T2 package is only a defective
    assert eu_lot([469.9] + base[1:]).verdict == "accept"
    assert eu_lot([469.9] + base[1:]).t2_ok is None
    # two or more (Canada)
    two = eu_lot([469.9, 469.9] + base[2:], t2_policy="two_or_more")
    one = eu_lot([469.9] + base[1:], t2_policy="two_or_more")
    assert (one.verdict, two.verdict, two.failed) == ("accept", "reject", ("T2",))
    assert two.t1_ok is None  # 2 defectives: between Ac1 = 1 and Re1 = 3


def test_edges_with_a_tne_that_is_not_a_float_sum():
    # Qn 100.1 g (EU): T = 4.5045 rounded up to 4.6, Qn - T = 95.5, Qn - 2T = 90.9,
    # while in floats 100.1 - 2 * 4.6 = 90.89999999999999
    assert nc.tne(100.1, regime="eu") == 4.6
    assert 100.1 - 2 * 4.6 != 90.9
    x = [101.0] * 30
    d = nc.decide([90.9] + x[1:], 100.1, regime="eu", lot_size=300, t2_policy="any")
    assert (d.t1, d.t2, d.t2_limit, d.verdict) == (1, 0, 90.9, "accept")
    d = nc.decide([95.5] + x[1:], 100.1, regime="eu", lot_size=300)
    assert (d.t1, d.t2, d.t1_limit) == (0, 0, 95.5)
    d = nc.decide([95.4] + x[1:], 100.1, regime="eu", lot_size=300)
    assert (d.t1, d.t2) == (1, 0)
    # with a tare: gross 143.3 - tare 0.1 = 143.2 = Qn - T exactly (150 g, China: T = 6.8)
    assert 143.3 - 0.1 != 143.2
    d = nc.decide([143.3] + [151.1] * 49, 150, regime="china_2005", lot_size=300, tare=0.1)
    assert (d.t1, d.t2) == (0, 0)


def test_mean_exactly_at_its_limit_ge_and_gt():
    # s = 0: every package at Qn, limit Qn - lam * 0 = Qn
    x = [500.0] * 50
    for regime in ("china_2005", "eu"):
        ge = nc.decide(x, 500, regime=regime, lot_size=1000 if regime == "eu" else 300)
        assert ge.mean_ok is True and ge.verdict == "accept"
    gt = nc.decide(x, 500, regime="china_2005", lot_size=300, mean_rule="gt")
    assert gt.mean_ok is False and gt.failed == ("mean",)
    # EU lot under 100: mean >= Qn, decided on decimals (the float mean is below 1 kg)
    small = [0.978, 1.029, 0.993]
    assert sum(small) / 3 < 1.0 and np.mean(small) < 1.0
    kw = {"unit": "kg", "regime": "eu", "lot_size": 3}
    assert nc.decide(small, 1.0, **kw).mean_ok is True
    assert nc.decide(small, 1.0, mean_rule="gt", **kw).mean_ok is False
    assert nc.decide([0.978, 1.029, 0.992], 1.0, **kw).mean_ok is False
    assert nc.decide([0.978, 1.029, 0.994], 1.0, mean_rule="gt", **kw).mean_ok is True


# 20 packages (EU destructive plan, lambda 0.64) whose mean is exactly Qn - 0.64 s:
# mean 496.8 g, s = 5 g exactly (checked with fractions below).
TIE_20 = [490.9, 493.3, 500.6, 501.9, 502.3, 496.7, 498.2, 494.3, 498.9, 495.9,
          502.3, 492.6, 491.1, 492.0, 492.3, 497.2, 495.8, 500.0, 509.6, 490.1]  # fmt: skip


def test_mean_tie_with_a_positive_spread():
    x = [Fraction(str(v)) for v in TIE_20]
    mean = sum(x) / 20
    var = sum((v - mean) ** 2 for v in x) / 19
    assert var == 25 and mean == Fraction(4968, 10) and 500 - mean == Fraction(64, 100) * 5
    kw = {"regime": "eu", "lot_size": 500, "destructive": True}
    ge = nc.decide(TIE_20, 500, **kw)
    gt = nc.decide(TIE_20, 500, mean_rule="gt", **kw)
    assert (ge.mean_ok, ge.verdict, gt.mean_ok, gt.verdict) == (True, "accept", False, "reject")
    assert ge.mean_limit == pytest.approx(496.8, abs=1e-12) and ge.sd == pytest.approx(5.0)
    # one package 0.1 g lighter: below the limit under both rules
    lighter = [*TIE_20[:-1], 490.0]
    assert nc.decide(lighter, 500, **kw).mean_ok is False
    # exact lambda 0.6397... < 0.64: the same packages fail
    assert nc.decide(TIE_20, 500, lam="exact", **kw).mean_ok is False


def test_double_plan_stages_as_they_come():
    good = [501.0 + (i % 5) for i in range(50)]
    three = [484.0] * 3 + good[3:]  # d1 = 3: 2 < 3 < 5, continue
    p = nc.plan("eu", 1000)
    d1 = nc.decide([three], 500, regime="eu", lot_size=1000)
    assert (d1.verdict, d1.stage, d1.next_sample_size, d1.t1_ok) == ("continue", 1, 50, None)
    assert d1.mean_ok is True and (d1.ac, d1.re) == (p.ac[0], p.re[0])
    three_more = [484.0] * 3 + good[3:]
    d2 = nc.decide([three, three_more], 500, regime="eu", lot_size=1000)
    assert (d2.verdict, d2.stage, d2.t1, d2.n) == ("accept", 2, 6, 100)
    four_more = [484.0] * 4 + good[4:]
    d3 = nc.decide([three, four_more], 500, regime="eu", lot_size=1000)
    assert (d3.verdict, d3.t1, d3.failed) == ("reject", 7, ("T1",))
    # stage 1 decided: no stage 2 allowed
    with pytest.raises(ValueError, match="stage"):
        nc.decide([good, good], 500, regime="eu", lot_size=1000)
    # wrong stage size
    with pytest.raises(ValueError, match="stage 1"):
        nc.decide(good[:49], 500, regime="eu", lot_size=1000)
    # a failed mean test rejects at stage 1 whatever the count
    low = [496.0 + (i % 3) for i in range(50)]
    d = nc.decide(low, 500, regime="eu", lot_size=1000)
    assert (d.verdict, d.failed, d.stage) == ("reject", ("mean",), 1)


def test_mean_sample_is_the_first_mean_n_packages():
    # EU lots over 3200: 80 packages for defectives, the first 50 for the mean test
    x = [502.0] * 50 + [488.0] * 30
    d = nc.decide(x, 500, regime="eu", lot_size=5000)
    assert d.mean_n == 50 and d.mean == 502.0 and d.mean_ok is True
    swapped = [488.0] * 30 + [502.0] * 50
    assert nc.decide(swapped, 500, regime="eu", lot_size=5000).mean_ok is False


def test_small_lots():
    # China, lots of 1 to 10: package by package, no mean test
    d = nc.decide([499.0] * 5, 500, regime="china_2005", lot_size=5)
    assert (d.verdict, d.mean_ok, d.mean_n) == ("accept", None, None)
    d = nc.decide([499.0] * 4 + [484.9], 500, regime="china_2005", lot_size=5)
    assert (d.verdict, d.failed) == ("reject", ("T1",))
    # EU lot of 40: every package, mean >= Qn; UK: at most 5 % of 40 = 2 defectives
    x = [503.0] * 37 + [484.0] * 3
    assert nc.decide(x, 500, regime="eu", lot_size=40).verdict == "accept"
    uk = nc.decide(x, 500, regime="uk_2006", lot_size=40)
    assert (uk.verdict, uk.failed, uk.ac) == ("reject", ("T1",), 2)
    with pytest.raises(ValueError, match="stage 1"):
        nc.decide(x[:39], 500, regime="eu", lot_size=40)


def test_tare_per_package_and_units():
    gross = [520.0 + (i % 3) for i in range(30)]
    tare = [20.0] * 30
    d = nc.decide(gross, 500, regime="eu", lot_size=300, tare=tare)
    assert d.mean == pytest.approx(501.0) and d.verdict == "accept"
    d2 = nc.decide(gross, 500, regime="eu", lot_size=300, tare=20.0)
    assert d2.to_dict() == d.to_dict()
    kg = nc.decide([v / 1000 for v in gross], 0.5, unit="kg", regime="eu", lot_size=300, tare=0.02)
    assert (kg.verdict, kg.tne, kg.t1_limit) == ("accept", 0.015, 0.485)
    with pytest.raises(ValueError, match="tare"):
        nc.decide(gross, 500, regime="eu", lot_size=300, tare=[20.0] * 29)


# -- Australian worked examples ----------------------------------------------------------


def synthetic_sample(n, nominal, t, average, t1, t2):
    """n packages with t1 T1-only, t2 T2 packages and the stated average (none at a limit)."""
    low1 = [nominal - 1.5 * t] * t1
    low2 = [nominal - 2.5 * t] * t2
    rest = n - t1 - t2
    need = average * n - sum(low1) - sum(low2)
    spread = [(-1) ** i * 0.1 * t for i in range(rest)]
    if rest % 2:
        spread[-1] = 0.0
    return low1 + low2 + [need / rest + s for s in spread]


@pytest.mark.parametrize(
    "row", table("net_content_au_worked_examples.csv"), ids=lambda r: r["product"]
)
def test_australian_worked_examples(row):
    nominal, unit, lot = float(row["nominal"]), row["unit"], int(row["lot_size"])
    p = nc.plan("oiml_r87_2004", lot)
    assert p.n == (int(row["sample_size"]),)
    t = nc.tne(nominal, unit, regime="oiml_r87_2004")
    if row["t_printed"]:
        assert t == float(row["t_printed"])
    if unit == "count":
        x = [12.0] * 49 + [11.0]
    else:
        x = synthetic_sample(
            p.n[0],
            nominal,
            t,
            float(row["sample_average"]),
            int(row["t1_packs"]),
            int(row["t2_packs"]),
        )
    d = nc.decide(x, nominal, unit=unit, regime="oiml_r87_2004", lot_size=lot)
    if row["t1_packs"]:
        assert d.t1 - d.t2 == int(row["t1_packs"]) and d.t2 == int(row["t2_packs"])
        assert d.mean == pytest.approx(float(row["sample_average"]), rel=1e-12)
    assert d.verdict == {"pass": "accept", "fail": "reject"}[row["verdict"]]


def test_butter_limits_as_the_page_states():
    d = nc.decide([501.0] * 125, 500, regime="oiml_r87_2004", lot_size=3500)
    assert (d.tne, d.t1_limit, d.t2_limit) == (15.0, 485.0, 470.0)
    assert nc.tne(1.5, "kg", regime="oiml_r87_2004") == 0.023  # 22.5 g rounded up to 23 g


# -- operating characteristics against scipy -------------------------------------------


def reference_t1_oc(n, ac, re, p, lot=None):
    """Double/single plan OC from scipy: binomial, or sequential hypergeometric on the lot."""
    if lot is None:
        first = stats.binom(n[0], p)
    else:
        defective = round(p * lot)
        first = stats.hypergeom(lot, defective, n[0])
    pa = first.cdf(ac[0])
    if len(n) == 2:
        for d1 in range(ac[0] + 1, re[0]):
            if lot is None:
                second = stats.binom(n[1], p)
            elif d1 > round(p * lot):
                continue  # impossible first-stage count
            else:
                second = stats.hypergeom(lot - n[0], round(p * lot) - d1, n[1])
            pa += first.pmf(d1) * second.cdf(ac[1] - d1)
    return pa


@pytest.mark.parametrize(
    ("regime", "lot", "destructive", "kind"),
    [
        ("eu", 300, False, "double"),
        ("eu", 1000, False, "double"),
        ("eu", 5000, False, "double"),
        ("eu", 1000, False, "single"),
        ("eu", 1000, True, None),
        ("china_2005", 30, False, None),
        ("china_2005", 60, False, None),
        ("oiml_r87_2004", 300, False, None),
        ("oiml_r87_2004", 1000, False, None),
        ("oiml_r87_2004", 5000, False, None),
    ],
)
def test_t1_oc_against_scipy(regime, lot, destructive, kind):
    p = nc.plan(regime, lot, destructive=destructive, kind=kind)
    qs_ = np.linspace(0.0, 0.3, 31)
    got = p.prob_pass_t1(qs_)
    ref = [reference_t1_oc(p.n, p.ac, p.re, q) for q in qs_]
    np.testing.assert_allclose(got, ref, rtol=1e-10, atol=1e-14)
    fractions = np.arange(0, lot // 5 + 1, max(1, lot // 50)) / lot
    got = p.prob_pass_t1(fractions, model="hypergeometric")
    ref = [reference_t1_oc(p.n, p.ac, p.re, q, lot) for q in fractions]
    np.testing.assert_allclose(got, ref, rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize(("regime", "lot", "destructive"), [
    ("eu", 300, False), ("eu", 1000, False), ("eu", 1000, True),
    ("china_2005", 30, False), ("china_2005", 60, False), ("oiml_r87_2004", 5000, False),
])  # fmt: skip
@pytest.mark.parametrize("lam", ["printed", "exact"])
def test_mean_oc_against_scipy(regime, lot, destructive, lam):
    p = nc.plan(regime, lot, destructive=destructive, lam=lam)
    n, lam_value = p.mean_n, p.lam
    delta = np.linspace(-1.5, 1.0, 26)
    got = p.prob_pass_mean(delta)
    ref = stats.nct.sf(-lam_value * math.sqrt(n), n - 1, math.sqrt(n) * delta)
    np.testing.assert_allclose(got, ref, rtol=1e-9, atol=1e-13)
    got = p.prob_pass_mean(delta, method="normal")
    np.testing.assert_allclose(got, stats.norm.cdf(math.sqrt(n) * (delta + lam_value)), rtol=1e-12)
    if lam == "exact":
        assert p.prob_pass_mean(0.0) == pytest.approx(0.995, abs=1e-10)


def test_mean_oc_matches_simulated_decisions():
    rng = np.random.default_rng(7)
    p = nc.plan("eu", 300)
    delta, sigma = -0.3, 4.0
    x = rng.normal(500 + delta * sigma, sigma, size=(4000, 30))
    frame = pl.DataFrame({"lot": np.repeat(np.arange(4000), 30), "x": x.ravel()})
    out = nc.decide_lots(frame, value="x", lot="lot", nominal=500, regime="eu", lot_size=300)
    rate = out["mean_ok"].mean()
    expected = p.prob_pass_mean(delta)
    assert abs(rate - expected) < 4 * math.sqrt(expected * (1 - expected) / 4000)


# -- many lots ---------------------------------------------------------------------------


def test_decide_lots_matches_decide_one_by_one():
    rng = np.random.default_rng(12)
    rows, expected = [], []
    for lot in range(60):
        nominal = [500.0, 150.0, 1000.0][lot % 3]
        size = [300, 1000, 5000, 40][lot % 4]
        p = nc.plan("eu", size)
        mu = nominal + rng.normal(0.0, 2.0)
        stage1 = list(np.round(rng.normal(mu, 6.0, p.n[0]), 1))
        stages = [stage1]
        first = nc.decide(stage1, nominal, regime="eu", lot_size=size)
        if first.verdict == "continue":
            stages.append(list(np.round(rng.normal(mu, 6.0, p.n[1]), 1)))
        d = nc.decide(stages, nominal, regime="eu", lot_size=size)
        expected.append(d)
        for v in [v for s in stages for v in s]:
            rows.append({"lot": f"L{lot:03d}", "x": v, "qn": nominal, "size": size})
    frame = pl.DataFrame(rows)
    out = nc.decide_lots(frame, value="x", lot="lot", nominal="qn", regime="eu", lot_size="size")
    assert out["lot"].to_list() == [f"L{i:03d}" for i in range(60)]
    assert out["verdict"].to_list() == [d.verdict for d in expected]
    assert out["t1"].to_list() == [d.t1 for d in expected]
    assert out["stage"].to_list() == [d.stage for d in expected]
    assert out["mean_ok"].to_list() == [d.mean_ok for d in expected]
    assert out["failed"].to_list() == [", ".join(d.failed) for d in expected]
    np.testing.assert_allclose(out["mean"].to_numpy(), [d.mean for d in expected], rtol=1e-12)
    assert set(out["verdict"]) >= {"accept", "reject"}
    # pandas in, same answer
    again = nc.decide_lots(
        pd.DataFrame(frame.to_dict(as_series=False)),
        value="x",
        lot="lot",
        nominal="qn",
        regime="eu",
        lot_size="size",
    )
    assert again.equals(out)


def test_decide_lots_with_interleaved_lots_uses_the_group_by():
    rng = np.random.default_rng(3)
    a, b = list(np.round(rng.normal(501, 4, 50), 1)), list(np.round(rng.normal(497, 4, 50), 1))
    together = pl.DataFrame({"lot": ["a"] * 50 + ["b"] * 50, "x": a + b})
    interleaved = pl.DataFrame(
        {"lot": ["a", "b"] * 50, "x": [v for p in zip(a, b, strict=True) for v in p]}
    )
    kw = {"value": "x", "lot": "lot", "nominal": 500, "regime": "china_2005", "lot_size": 300}
    one = nc.decide_lots(together, **kw)
    two = nc.decide_lots(interleaved, **kw)
    assert one.equals(two)
    assert one["verdict"].to_list() == [
        nc.decide(a, 500, regime="china_2005", lot_size=300).verdict,
        nc.decide(b, 500, regime="china_2005", lot_size=300).verdict,
    ]
    # a lot that appears again after another one is one lot, not two runs
    split = pl.DataFrame({"lot": ["a"] * 25 + ["b"] * 50 + ["a"] * 25, "x": a[:25] + b + a[25:]})
    assert nc.decide_lots(split, **kw).equals(one)


def test_decide_lots_frame_errors():
    frame = pl.DataFrame(
        {"lot": [1] * 30 + [2] * 30, "x": [500.0] * 60, "qn": [500.0] * 59 + [1.0]}
    )
    with pytest.raises(ValueError, match="nominal column 'qn' differs within lot 2"):
        nc.decide_lots(frame, value="x", lot="lot", nominal="qn", regime="eu", lot_size=300)
    with pytest.raises(ValueError, match="lot 2: packages"):
        nc.decide_lots(frame.head(59), value="x", lot="lot", nominal=500, regime="eu", lot_size=300)
    with pytest.raises(ValueError, match="value"):
        nc.decide_lots(frame, value="y", lot="lot", nominal=500, regime="eu", lot_size=300)
    with_null = frame.with_columns(pl.when(pl.col("x") > 0).then(None).otherwise(1.0).alias("x"))
    with pytest.raises(ValueError, match="null"):
        nc.decide_lots(with_null, value="x", lot="lot", nominal=500, regime="eu", lot_size=300)
    nan = frame.with_columns(pl.lit(float("nan")).alias("x"))
    with pytest.raises(ValueError, match=r"lot 1: measurements\[0\]"):
        nc.decide_lots(nan, value="x", lot="lot", nominal=500, regime="eu", lot_size=300)
    with pytest.raises(TypeError, match="frame"):
        nc.decide_lots([1, 2], value="x", lot="lot", nominal=500, regime="eu", lot_size=300)
    for name in ("n", "mean", "verdict", "failed"):  # the result keeps the lot's name
        clash = frame.rename({"lot": name})
        with pytest.raises(ValueError, match=rf"lot = '{name}' is invalid: the result has its own"):
            nc.decide_lots(clash, value="x", lot=name, nominal=500, regime="eu", lot_size=300)
    out = nc.decide_lots(
        pd.DataFrame({"lot": ["a"] * 30, "x": [530.0] * 30, "tare": [30.0] * 30}),
        value="x", lot="lot", nominal=500, regime="eu", lot_size=300, tare="tare",
    )  # fmt: skip
    assert out["verdict"].to_list() == ["accept"] and out["mean"].to_list() == [500.0]


def test_decide_lots_errors_name_the_lot_by_its_label():
    """A lot's error names it by the value of the lot column (quoted text), not its position."""
    lots = ["A-01"] * 30 + ["B-17"] * 30 + ["C-02"] * 30
    frame = pl.DataFrame({"lot": lots, "x": [500.0] * 90, "qn": [500.0] * 30 + [2.0] * 60})
    kw = {"value": "x", "lot": "lot", "regime": "eu", "lot_size": 300}
    with pytest.raises(ValueError, match=r"^lot 'B-17': packages") as e:
        nc.decide_lots(frame.filter(pl.int_range(pl.len()) != 40), nominal=500, **kw)
    assert "lot 1" not in str(e.value)
    nan = frame.with_columns(pl.when(pl.int_range(pl.len()) == 35).then(float("nan"))
                             .otherwise(pl.col("x")).alias("x"))  # fmt: skip
    with pytest.raises(ValueError, match=r"^lot 'B-17': measurements\[5\]"):
        nc.decide_lots(nan, nominal=500, **kw)
    with pytest.raises(ValueError, match=r"^lot 'B-17': nominal"):  # 2 g: outside EU scope
        nc.decide_lots(frame, nominal="qn", **kw)
    # rows of a lot apart: the label of the lot, not of the run
    apart = pl.concat([frame.slice(30, 10), frame.head(30), frame.slice(41, 49)])
    with pytest.raises(ValueError, match=r"^lot 'B-17': packages"):
        nc.decide_lots(apart, nominal=500, **kw)


# -- properties ------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    deviations=st.lists(st.integers(-300, 200), min_size=50, max_size=50),
    shift=st.integers(1, 50),
    regime=st.sampled_from(["eu", "china_2005", "oiml_r87_2004"]),
)
def test_heavier_packages_never_turn_accept_into_reject(deviations, shift, regime):
    x = [500 + d / 10 for d in deviations]
    heavier = [v + shift / 10 for v in x]
    kw = {"regime": regime, "lot_size": 1000, "kind": "single" if regime == "eu" else None}
    size = nc.plan(regime, 1000, kind=kw["kind"]).n[0]
    a = nc.decide((x * 3)[:size], 500, **kw)
    b = nc.decide((heavier * 3)[:size], 500, **kw)
    assert b.t1 <= a.t1 and b.t2 <= a.t2
    assert not (a.mean_ok and not b.mean_ok)
    if a.verdict == "accept":
        assert b.verdict == "accept"


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(-200, 100), min_size=30, max_size=30))
def test_exact_and_float_mean_tests_agree_away_from_ties(deviations):
    x = [500 + d / 10 for d in deviations]
    d = nc.decide(x, 500, regime="eu", lot_size=300)
    xs = [Fraction(str(v)) for v in x]
    mean = sum(xs) / 30
    var = sum((v - mean) ** 2 for v in xs) / 29
    lhs = mean - 500
    # reference in exact rationals: mean - Qn + 0.503 s >= 0
    if lhs >= 0:
        expected = True
    else:
        expected = Fraction(503, 1000) ** 2 * var >= lhs**2
    assert d.mean_ok is expected


# -- display -----------------------------------------------------------------------------------


def test_reprs_and_dicts():
    p = nc.plan("eu", 1000)
    text = repr(p)
    assert "stage 1: n 50, Ac 2, Re 5; stage 2: n 50, Ac 6, Re 7" in text and "0.379" in text
    assert p.to_dict()["ac"] == (2, 6)
    assert isinstance(p.t1_plan, qs.AttributePlan) and p.t1_plan.n == (50, 50)
    d = nc.decide([484.0] * 3 + [505.0] * 47, 500, regime="eu", lot_size=1000)
    text = repr(d)
    assert "continue at stage 1" in text and "next: stage 2 of 50 packages" in text
    assert "3 of 50 packages below Qn - T = 485 g; Ac 2, Re 5: continue" in text
    assert "<th>criterion</th>" in d._repr_html_()
    assert d.to_dict()["failed"] == ()
    aliases = nc.decide([500.0] * 20, 0.5e3, regime="E-Mark", lot_size=300, destructive=True,
                        unit="G", mean_rule=">", t2_policy="Canada")  # fmt: skip
    assert (aliases.regime, aliases.unit, aliases.mean_rule, aliases.t2_policy) == (
        "eu",
        "g",
        "gt",
        "two_or_more",
    )
    with pytest.raises(AttributeError):
        d.verdict = "accept"  # type: ignore[misc]
    assert nc.plan("eu", 50).t1_plan is None
    with pytest.raises(ValueError, match="no mean test"):
        nc.plan("china_2005", 5).prob_pass_mean(0.0)


def test_plot_draws_both_curves():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    ax = nc.plan("eu", 1000).plot()
    assert len(ax.lines) == 1 and len(ax.figure.axes) == 2
    import matplotlib.pyplot as plt

    plt.close("all")
