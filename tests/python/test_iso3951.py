"""qs.iso3951: every Z1.9 reference cell (code letters, n, M, printed k)."""

from __future__ import annotations

import numpy as np
import pytest
from reference_tables import rows

import qualstat as qs
from qualstat import iso3951


def test_code_letters_table_a2():
    for r in rows("z19_tableA2_code_letters.csv"):
        for level in ["S-3", "S-4", "I", "II", "III"]:
            assert iso3951.code_letter(int(float(r["lot_min"])), level) == r[level]


def test_every_n_and_m_cell():
    for r in rows("z19_M_and_n.csv"):
        method = "s" if r["sigma"] == "unknown" else "sigma"
        p = iso3951.plan(aql=float(r["aql"]), code=r["code"], inspection=r["type"], method=method)
        assert p.n == int(r["n"])
        assert float(p.metadata["m_percent"]) == float(r["M_percent"])
        assert p.m == pytest.approx(float(r["M_percent"]) / 100, rel=1e-15)
        assert (p.metadata["note"] is not None) == r["arrow_or_suspect"].startswith("yes")


def test_every_printed_k():
    for r in rows("z19_tableB1_k_excerpt.csv"):
        if r["normal_aql"].startswith("T"):
            continue
        p = iso3951.plan(aql=float(r["normal_aql"]), code=r["code"])
        assert p.n == int(r["n"])
        assert p.metadata["k_printed"] == r["k"]
        assert p.k == float(r["k"])
        assert not p.metadata["k_derived"]


def test_derived_plans_are_marked_and_full_inspection():
    p = iso3951.plan(aql=1.0, code="F", method="sigma")
    assert p.metadata["k_derived"]
    p = iso3951.plan(aql=2.5, lot_size=3)
    assert p.metadata["full_inspection"]
    p = iso3951.plan(aql=1.0, lot_size=40, method="sigma", sigma=2.0)
    assert p.sigma == 2.0
    d = p.decide(np.array([197.0, 188, 184, 205, 201])[: p.n], usl=209)
    assert d.sigma_used == 2.0


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"aql": 0.5, "code": "D"}, "aql"),
        ({"aql": 1.0}, "lot_size or code"),
        ({"aql": 1.0, "code": "O"}, "code"),
        ({"aql": 1.0, "code": "DD"}, "code"),
        ({"aql": 1.0, "lot_size": 1}, "lot_size"),
        ({"aql": 1.0, "lot_size": 100, "level": "S-1"}, "level"),
        ({"aql": 1.0, "code": "D", "inspection": "strict"}, "inspection"),
    ],
)
def test_bad_lookups(kwargs, match):
    with pytest.raises(ValueError, match=match):
        iso3951.plan(**kwargs)


def test_variables_needs_smaller_sample_than_attributes():
    attr = qs.iso2859_1.plan(aql=1.0, lot_size=2000)
    var = iso3951.plan(aql=1.0, lot_size=2000)
    assert var.n < attr.n[0]
