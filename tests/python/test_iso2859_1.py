"""qs.iso2859_1: code letters, table look-ups, switching scheme, scheme OC."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from reference_tables import rows
from scipy.stats import binom

import qualstat as qs
from qualstat import iso2859_1


def test_code_letters_table_i():
    for r in rows("z14_table1_code_letters.csv"):
        lo = int(r["lot_min"])
        for level in ["S-1", "S-2", "S-3", "S-4", "I", "II", "III"]:
            assert iso2859_1.code_letter(lo, level) == r[level]
    assert iso2859_1.code_letter(1000) == "J"


@pytest.mark.parametrize("severity", ["normal", "tightened", "reduced"])
def test_every_single_cell(severity):
    for r in rows(f"z14_single_{severity}.csv"):
        p = iso2859_1.plan(aql=float(r["aql"]), code=r["code"], inspection=severity)
        assert (p.n[0], p.ac[0], p.re[0]) == (int(r["n"]), int(r["Ac"]), int(r["Re"]))
        assert p.code_letter == r["code"]
        assert p.metadata["plan_code_letter"] == r["target_code"]


def test_iso1999_reduced_and_disputed_cells():
    for r in rows("iso1999_single_reduced.csv"):
        p = iso2859_1.plan(
            aql=float(r["aql"]),
            code=r["initial_code_letter"],
            inspection="reduced",
            edition="iso1999",
        )
        assert (p.n[0], p.ac[0], p.re[0]) == (int(r["n"]), int(r["Ac"]), int(r["Re"]))
    z = iso2859_1.plan(aql=10, code="A", inspection="tightened")
    iso = iso2859_1.plan(aql=10, code="A", inspection="tightened", edition="iso1999")
    assert (z.n, z.ac, z.re) == ((8,), (1,), (2,))
    assert (iso.n, iso.ac, iso.re) == ((2,), (0,), (1,))
    assert "disputed" in iso.metadata["note"]


def test_double_multiple_and_full_inspection():
    d = iso2859_1.plan(aql=1.0, lot_size=1000, kind="double")
    assert d.n == (50, 50) and d.ac == (0, 3) and d.re == (3, 4)  # Table III-A, J @ 1.0
    assert d.source_table == "ANSI Z1.4 Table III-A"
    m = iso2859_1.plan(aql=1.0, lot_size=1000, kind="multiple")
    assert m.stages == 7 and m.ac[0] == -1
    small = iso2859_1.plan(aql=0.10, lot_size=10)
    assert small.full_inspection and small.n[0] >= 10
    # A '*' cell of the double table serves the single plan.
    star = iso2859_1.plan(aql=0.010, code="D", kind="double")
    assert star.stages == 1 and star.metadata["kind"] == "single"


def test_bad_lookups():
    with pytest.raises(ValueError, match="0.010, 0.015"):
        iso2859_1.plan(aql=0.3, lot_size=1000)
    with pytest.raises(ValueError, match="not available"):
        iso2859_1.plan(aql=1.0, lot_size=1000, kind="double", edition="iso1999")
    with pytest.raises(ValueError, match="level"):
        iso2859_1.code_letter(1000, "IV")
    with pytest.raises(ValueError):
        iso2859_1.code_letter(1)
    with pytest.raises(ValueError):
        iso2859_1.plan(aql=1.0)
    with pytest.raises(ValueError):
        iso2859_1.plan(aql=1.0, code="I")
    with pytest.raises(ValueError):
        iso2859_1.plan(aql=1.0, code="A", inspection="strict")
    # A string AQL needs its percent sign ("1.0%"): a value error, not a type error.
    with pytest.raises(ValueError, match="percent string"):
        iso2859_1.plan(aql="1.0", code="A")
    with pytest.raises(TypeError, match="aql"):
        iso2859_1.plan(aql=[1.0], code="A")


def test_scheme_history():
    s = iso2859_1.Scheme(1.0, rule="z14")
    frame = pl.DataFrame({"lot_size": [1000] * 8, "nonconforming": [0, 3, 0, 3, 0, 0, 0, 0]})
    hist = s.run(frame)
    assert hist["state_after"].to_list()[3] == "tightened"
    assert hist["state_after"].to_list()[-1] == "tightened"
    r = s.inspect(1000, 0)
    assert r.state_after == "normal"  # fifth consecutive accepted lot on tightened
    assert r.plan.source_table == "ANSI Z1.4 Table II-B"
    iso = iso2859_1.Scheme(1.0)
    for _ in range(10):
        last = iso.inspect(1000, 0)
    assert last.switching_score == 30 and iso.state == "reduced"
    with pytest.raises(ValueError):
        iso2859_1.Scheme(1.0, kind="double")
    with pytest.raises(ValueError):
        s.run(lot_size=[1000, 1000], nonconforming=[0])
    with pytest.raises(ValueError):
        s.inspect(1000, -1)


def test_scheme_discontinues():
    s = iso2859_1.Scheme(1.0)
    for _ in range(7):
        s.inspect(1000, 5)
    assert s.state == "discontinued"
    with pytest.raises(ValueError, match="discontinued"):
        s.inspect(1000, 0)
    s.resume()
    assert s.state == "tightened"


def test_scheme_oc_matches_formula():
    pn, pt = np.array([0.99, 0.9, 0.5]), np.array([0.95, 0.7, 0.2])
    a = (2 - pn**4) / ((1 - pn) * (1 - pn**4))
    b = (1 - pt**5) / ((1 - pt) * pt**5)
    np.testing.assert_allclose(iso2859_1.scheme_oc(pn, pt), (a * pn + b * pt) / (a + b), rtol=1e-13)
    assert isinstance(iso2859_1.scheme_oc(0.9, 0.7), float)
    curves = iso2859_1.Scheme(1.0).curves(1000)
    assert curves.columns == ["p", "pa_normal", "pa_tightened", "pa_scheme"]
    np.testing.assert_allclose(
        curves["pa_normal"].to_numpy(), binom.cdf(2, 80, curves["p"].to_numpy())
    )
    with pytest.raises(ValueError):
        iso2859_1.scheme_oc(1.5, 0.5)


def test_plans_evaluate_like_user_plans():
    p = qs.iso2859_1.plan(aql=1.0, lot_size=1000)
    np.testing.assert_allclose(
        p.prob_accept([0.01, 0.02]), binom.cdf(2, 80, [0.01, 0.02]), rtol=1e-10
    )
    assert "Code letter J" in p._repr_html_()
