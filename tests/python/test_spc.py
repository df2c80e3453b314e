"""qs.spc constants against the published tables (reference CSV) and closed forms."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pytest

import qualstat as qs

REFERENCE = Path(__file__).resolve().parents[2] / "reference"


def rows() -> list[dict[str, str]]:
    path = REFERENCE / "tables" / "spc_constants.csv"
    assert path.exists(), f"reference table {path} is required"
    with path.open() as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


FUNCS = {"c4": qs.spc.c4, "d2": qs.spc.d2, "d3": qs.spc.d3, "d4": qs.spc.d4}


def test_published_constants_at_printed_precision() -> None:
    checked = 0
    for r in rows():
        name, n = r["constant"], int(r["n"])
        value = FUNCS[name](n) if name in FUNCS else qs.spc.chart_factors(n)[name]
        decimals = len(r["published_value"].split(".")[1]) if "." in r["published_value"] else 0
        close = abs(value - float(r["published_value"])) <= 0.5 * 10**-decimals + 1e-9
        assert close == (r["matches_at_printed_precision"] == "yes"), r
        checked += 1
    assert checked > 700


def test_closed_forms_and_arrays() -> None:
    assert qs.spc.c4(2) == pytest.approx(math.sqrt(2 / math.pi), rel=1e-14)
    assert qs.spc.d2(2) == pytest.approx(2 / math.sqrt(math.pi), rel=1e-9)
    assert qs.spc.d3(2) == pytest.approx(math.sqrt(2 - 4 / math.pi), rel=1e-9)
    out = qs.spc.d2(np.array([[2, 3], [4, 5]]))
    assert out.shape == (2, 2) and out[1, 1] == pytest.approx(2.325929, abs=1e-6)


@pytest.mark.parametrize("bad", [1, 0, -3])
def test_small_sizes_raise(bad: int) -> None:
    with pytest.raises(ValueError, match="n = "):
        qs.spc.d2(bad)
    with pytest.raises(ValueError, match="n = "):
        qs.spc.c4(bad)


@pytest.mark.parametrize("bad", [2.5, "5", True, None])
def test_non_integers_raise_type_error(bad: object) -> None:
    with pytest.raises(TypeError):
        qs.spc.c4(bad)
