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


def test_large_sizes_right_or_refused() -> None:
    # d3(10**12) was 0.0 and d4(2**53) 5e-16: refused above the verified range.
    for fn in (qs.spc.d3, qs.spc.d4):
        for n in (100_001, 10**12, 2**53):
            with pytest.raises(ValueError, match=rf"n = {n} is invalid.*100000"):
                fn(n)
    # d2 holds for any n (independent scipy evaluation: 14.224927369534946).
    assert qs.spc.d2(10**12) == pytest.approx(14.224927369534946, rel=1e-12)
    assert qs.spc.d3(100_000) == pytest.approx(0.384470428964332, rel=1e-8)
    with pytest.raises(ValueError, match="n = "):
        qs.spc.c4(10**30)  # not OverflowError
    with pytest.raises(ValueError, match="n"):
        qs.spc.d2(np.array([2**64 - 1], dtype=np.uint64))


def test_arrays_compute_each_distinct_size_once_and_name_the_element() -> None:
    sizes = np.array([[150, 2, 150], [2, 150, 150]])
    out = qs.spc.d3(sizes)
    assert out.shape == (2, 3)
    assert out[0, 0] == out[1, 2] == qs.spc.d3(150)
    assert out[0, 1] == qs.spc.d3(2)
    with pytest.raises(ValueError, match=r"n\[1\] = 1 is invalid"):
        qs.spc.d2([2, 1])
    with pytest.raises(TypeError, match="integer"):
        qs.spc.d2([2.5])
