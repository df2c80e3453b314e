"""qs.iso2859_2: every cell of ISO 2859-2 Procedure A Table A walked from the reference file."""

from __future__ import annotations

import csv
import math

import pytest
from reference_tables import TABLES
from scipy import stats

import qualstat as qs
from qualstat import iso2859_2

LQS = ["0.5", "0.8", "1.25", "2.0", "3.15", "5.0", "8.0", "12.5", "20", "32"]


def table():
    with open(TABLES / "iso2859_2_procA_tableA.csv", newline="") as f:
        records = list(csv.DictReader(line for line in f if not line.startswith("#")))
    assert len(records) == 119
    rows = {}
    for r in records:
        key = (int(r["lot_min"]), int(r["lot_max"]) if r["lot_max"] else None)
        rows.setdefault(key, {})[r["LQ_pct"]] = (int(r["n"]), int(r["Ac"]), r["n_exceeds_lot_note"])
    assert len(rows) == 13
    return rows


def lots(lo, hi):
    return sorted({lo, hi or 2 * lo, (lo + (hi or 2 * lo)) // 2})


def test_every_cell_and_every_arrow():
    walked = 0
    for (lo, hi), cells in table().items():
        for lot in lots(lo, hi):
            for j, lq in enumerate(LQS):
                # The printed cell, or the first plan to its right (arrow).
                served = next(q for q in LQS[j:] if q in cells)
                n, ac, _ = cells[served]
                p = iso2859_2.plan(lq=float(lq), lot_size=lot)
                if n >= lot:
                    assert (p.n, p.ac, p.full_inspection) == ((lot,), (0,), True)
                else:
                    assert (p.n, p.ac, p.full_inspection) == ((n,), (ac,), False), (lot, lq)
                assert p.metadata["printed_n"] == n
                assert p.metadata["plan_lq"] == served
                assert ("arrow" in p.metadata["note"]) == (served != lq)
                assert p.lq == pytest.approx(float(lq) / 100)
                defective = math.ceil(float(lq) / 100 * lot - 1e-9)
                want = stats.hypergeom.cdf(p.ac[0], lot, defective, p.n[0])
                assert p.metadata["consumer_risk"] == pytest.approx(want, rel=1e-9, abs=1e-13)
                assert p.metadata["binomial_pa_at_lq"] == pytest.approx(
                    stats.binom.cdf(p.ac[0], p.n[0], float(lq) / 100), abs=1e-12
                )
                walked += 1
    assert walked == 13 * 3 * 10  # three lot sizes per class, ten LQ columns


def test_footnote_flag_marks_plans_reaching_some_lot_of_the_class():
    for (lo, hi), cells in table().items():
        for lq, (n, _, note) in cells.items():
            assert (note == "1") == (n >= lo), (lo, hi, lq)
            if note == "1":
                assert iso2859_2.plan(lq=float(lq), lot_size=lo).full_inspection


def test_binomial_consumer_risk_property():
    # Notes section 3: for Ac >= 1 and throughout the largest lot class, binomial Pa(LQ) < 0.13.
    for (lo, hi), cells in table().items():
        for lq, (n, ac, _) in cells.items():
            if ac >= 1 or hi is None:
                lq_value = 0.315 if lq == "32" else float(lq) / 100
                assert stats.binom.cdf(ac, n, lq_value) < 0.13, (lo, lq)


def test_lq_32_and_31_5_share_the_column():
    a = iso2859_2.plan(lq=32, lot_size=1000)
    b = iso2859_2.plan(lq=31.5, lot_size=1000)
    assert (a.n, a.ac) == (b.n, b.ac) == ((32,), (5,))
    assert a.lq == 0.32 and b.lq == 0.315
    assert "31.5" in a.metadata["note"]
    assert iso2859_2.plan(lq="5%", lot_size=1000).n == (80,)


def test_n_316_cell_served_as_printed():
    p = iso2859_2.plan(lq=1.25, lot_size=5000)
    assert p.n == (316,) and "misprint" in p.metadata["note"]


def test_plan_is_an_attribute_plan():
    p = qs.iso2859_2.plan(lq=5.0, lot_size=1000)
    assert isinstance(p, qs.AttributePlan)
    assert p.source_table.startswith("ISO 2859-2 Procedure A Table A")
    assert "ISO 2859-2" in repr(p) and "code" not in repr(p)
    assert "LQ 5.0 %" in p._repr_html_()
    assert p.consumer_risk() == pytest.approx(stats.binom.cdf(1, 80, 0.05))


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"lq": 0.05, "lot_size": 1000}, ValueError, "LQ is in percent here"),
        ({"lq": 4.0, "lot_size": 1000}, ValueError, "lq = 4"),
        ({"lq": "five", "lot_size": 1000}, ValueError, "lq"),
        ({"lq": True, "lot_size": 1000}, TypeError, "lq"),
        ({"lq": 5.0, "lot_size": 15}, ValueError, "at least 16"),
        ({"lq": 5.0, "lot_size": -1}, ValueError, "lot_size"),
        ({"lq": 5.0, "lot_size": 10.5}, ValueError, "lot_size"),
    ],
)
def test_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        iso2859_2.plan(**kwargs)
