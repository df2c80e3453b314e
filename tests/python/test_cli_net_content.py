"""``qualstat net-content``: lot decisions of a file of packages.

Every lot's verdict and numbers equal ``qualstat.net_content.decide_lots`` (or
``decide`` for one lot) on the same data at full precision; the mean test and the
T1 count of one lot are also recomputed here with numpy from the Directive's rule
(x̄ >= Qn - λ s, packages below Qn - T).
"""

from __future__ import annotations

import json
import math
import os
from datetime import date, datetime

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal
from test_cli import as_json, inproc, ok, run

from qualstat import net_content as nc
from qualstat.cli._io import jsonable

GOOD = [500.0 + (i % 7) - 3 for i in range(50)]  # mean 499.94
SHORT = [484.9] * 3 + GOOD[3:]  # three packages below Qn - T = 485 g: continue


@pytest.fixture
def packs(tmp_path):
    """Five lots of 500 g packages: accepted, accepted at stage 2, to continue, rejected
    on the mean, and a lot of 300 (30 packages)."""
    lots = {"A": GOOD, "B": SHORT + GOOD, "C": SHORT, "D": [497.0] * 50, "E": [503.1] * 30}
    frame = pl.DataFrame(
        {
            "lot": [k for k, v in lots.items() for _ in v],
            "g": [x for v in lots.values() for x in v],
            "qn": 500.0,
            "lot_size": [300 if k == "E" else 1000 for k, v in lots.items() for _ in v],
        }
    )
    frame.write_csv(tmp_path / "packs.csv")
    frame.write_parquet(tmp_path / "packs.parquet")
    return frame


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_every_lot_equals_decide_lots(tmp_path, packs, suffix):
    argv = ("--lot", "lot", "--value", "g", "--nominal", "qn", "--lot-size", "lot_size")
    out = ok(
        "net-content", f"packs.{suffix}", *argv, "--regime", "eu", "--format", "csv",
        runner=inproc, cwd=tmp_path,
    )  # fmt: skip
    expected = nc.decide_lots(
        packs, value="g", lot="lot", nominal="qn", lot_size="lot_size", regime="eu"
    )
    got = pl.read_csv(out.stdout.encode(), schema_overrides={"failed": pl.String})
    assert_frame_equal(got, expected, check_dtypes=False)
    assert got["verdict"].to_list() == ["accept", "accept", "continue", "reject", "accept"]


def test_json_through_the_installed_command_and_an_independent_mean_test(tmp_path, packs):
    packs = packs.filter(pl.col("lot") != "E")  # lots of 1000
    packs.write_csv(tmp_path / "lots1000.csv")
    data = as_json(
        "net-content", "lots1000.csv", "--lot", "lot", "--value", "g", "--nominal", "500",
        "--lot-size", "1000", "--regime", "eu", "--lam", "exact", "--mean-rule", "gt",
        cwd=tmp_path,
    )  # fmt: skip
    expected = nc.decide_lots(
        packs, value="g", lot="lot", nominal=500, lot_size=1000, regime="eu", lam="exact",
        mean_rule="gt",
    )  # fmt: skip
    assert data["lots"] == json.loads(json.dumps(jsonable(expected)))
    assert data["verdicts"] == {"accept": 2, "reject": 1, "continue": 1}
    # lot A by hand: mean test over the 50 packages of stage 1, T = 15 g (EU, 500 g)
    a = next(row for row in data["lots"] if row["lot"] == "A")
    x = np.array(GOOD)
    lam = nc.plan("eu", 1000, lam="exact").lam
    assert a["mean"] == pytest.approx(x.mean(), rel=1e-12)
    assert a["sd"] == pytest.approx(x.std(ddof=1), rel=1e-12)
    assert a["mean_limit"] == pytest.approx(500 - lam * x.std(ddof=1), rel=1e-12)
    assert a["mean_ok"] is bool(x.mean() > 500 - lam * x.std(ddof=1))
    assert a["t1"] == int((x < 500 - 15).sum()) == 0


def test_one_lot_criterion_by_criterion_in_its_stages(tmp_path):
    pl.DataFrame({"g": SHORT + GOOD}).write_csv(tmp_path / "lot.csv")
    argv = ("lot.csv", "--value", "g", "--nominal", "500", "--lot-size", "1000", "--regime", "eu")
    data = as_json("net-content", *argv, runner=inproc, cwd=tmp_path)
    decision = nc.decide([SHORT, GOOD], 500, regime="eu", lot_size=1000)
    assert data == json.loads(json.dumps(jsonable(decision.to_dict())))
    assert data["verdict"] == "accept" and data["stage"] == 2
    text = ok("net-content", *argv, runner=inproc, cwd=tmp_path).stdout
    assert text.strip() == repr(decision)
    table = pl.read_csv(
        ok("net-content", *argv, "--format", "csv", runner=inproc, cwd=tmp_path).stdout.encode()
    )
    assert table.height == 1 and table["t1"][0] == decision.t1 == 3


def test_one_lot_with_tare_column_in_ml(tmp_path):
    rng = np.random.default_rng(8)
    tare = np.round(rng.normal(40, 0.5, 80), 1)
    gross = np.round(750 + tare + rng.normal(1, 3, 80), 1)
    pl.DataFrame({"gross": gross, "bottle": tare}).write_csv(tmp_path / "bottles.csv")
    data = as_json(
        "net-content", "bottles.csv", "--value", "gross", "--tare", "bottle", "--unit", "mL",
        "--nominal", "750", "--lot-size", "1000", "--regime", "oiml_r87_2004",
        runner=inproc, cwd=tmp_path,
    )  # fmt: skip
    expected = nc.decide(
        gross, 750, tare=tare, unit="mL", lot_size=1000, regime="oiml_r87_2004"
    ).to_dict()
    assert data == json.loads(json.dumps(jsonable(expected)))
    assert data["unit"] == "mL" and data["tne"] == 15.0


def _bad_files(folder):
    pl.DataFrame({"lot": ["A"] * 50, "g": GOOD, "qn": [500.0] * 49 + [510.0]}).write_csv(
        folder / "packs.csv"
    )
    (folder / "empty.csv").write_text("")
    (folder / "words.csv").write_text("lot,g\nA,500\nA,heavy\n")
    (folder / "gaps.csv").write_text("lot,g\nA,500\nA,\nA,499\n")
    (folder / "named.csv").write_text("n,g\nA,500\nA,499\n")  # a lot column named 'n'
    # a lot of 3 packages (a record error) keyed by a boolean, a date, a NaN; a date and time
    short = [True] * 3 + [False] * 30, [date(2024, 1, 5)] * 3 + [date(2024, 1, 6)] * 30
    for name, keys in zip(("bool", "date"), short, strict=True):
        pl.DataFrame({"lot": keys, "g": GOOD[:33]}).write_parquet(folder / f"{name}.parquet")
    pl.DataFrame({"lot": [math.nan] * 3 + [1.5] * 30, "g": GOOD[:33]}).write_parquet(
        folder / "nan.parquet"
    )
    (folder / "bool.csv").write_text("lot,g\n" + "".join(f"{k},500\n" for k in short[0]))
    pl.DataFrame(
        {"lot": [datetime(2024, 1, 5, 10, 30)] * 33, "g": GOOD[:33], "qn": [500.0] * 32 + [510.0]}
    ).write_parquet(folder / "datetime.parquet")


_LOT = ["packs.csv", "--lot", "lot", "--value", "g", "--lot-size", "1000", "--regime", "eu"]
BAD = [
    (3, "no such file", ["missing.csv", "--value", "g", "--nominal", "500", "--lot-size", "1000",
                         "--regime", "eu"]),
    (3, "the file is empty", ["empty.csv", "--value", "g", "--nominal", "500", "--lot-size",
                              "1000", "--regime", "eu"]),
    (3, "'heavy' in row 1", ["words.csv", "--lot", "lot", "--value", "g", "--nominal", "500",
                             "--lot-size", "1000", "--regime", "eu"]),
    (3, "value column 'g' has 1 null values (missing values; the first in row 1)",
     ["gaps.csv", *_LOT[1:], "--nominal", "500"]),
    (3, "--value 'grams' is not a column", [*_LOT[:4], "grams", *_LOT[5:], "--nominal", "500"]),
    (3, "nominal column 'qn' differs within lot 'A'", [*_LOT, "--nominal", "qn"]),
    (3, "expected 80 packages", [*_LOT[:1], *_LOT[3:], "--nominal", "500", "--kind", "single"]),
    (4, "--regime: regime = \"ec\"", [*_LOT[:-1], "ec", "--nominal", "500"]),
    (4, "--unit: unit = \"oz\"", [*_LOT, "--nominal", "500", "--unit", "oz"]),
    (4, "--nominal: nominal = -5", [*_LOT, "--nominal", "-5"]),
    (4, "--nominal: nominal = 2 g", [*_LOT, "--nominal", "2"]),
    (4, "a column name only with --lot", ["packs.csv", "--value", "g", "--nominal", "qn",
                                          "--lot-size", "1000", "--regime", "eu"]),
    (4, "--lot-size: lot_size = 0", [*_LOT[:6], "0", *_LOT[7:], "--nominal", "500"]),
    (4, "--lot: lot = 'n' is invalid: the result has its own columns named ['n']",
     ["named.csv", *_LOT[1:2], "n", *_LOT[3:], "--nominal", "500"]),
    (4, "--t2-policy", [*_LOT, "--nominal", "500", "--t2-policy", "never"]),
    (3, "bool.parquet: lot True: packages = 3 is invalid", ["bool.parquet", *_LOT[1:],
                                                             "--nominal", "500"]),
    (3, "bool.csv: lot True: packages = 3 is invalid", ["bool.csv", *_LOT[1:], "--nominal",
                                                         "500"]),
    (3, "date.parquet: lot 2024-01-05: packages = 3 is invalid", ["date.parquet", *_LOT[1:],
                                                                  "--nominal", "500"]),
    (3, "nan.parquet: lot nan: packages = 3 is invalid", ["nan.parquet", *_LOT[1:],
                                                          "--nominal", "500"]),
    (3, "nominal column 'qn' differs within lot 2024-01-05 10:30:00",
     ["datetime.parquet", *_LOT[1:], "--nominal", "qn"]),
    (2, "required: --regime", _LOT[:-2] + ["--nominal", "500"]),
]  # fmt: skip


@pytest.mark.parametrize(("code", "words", "argv"), BAD, ids=[b[1][:40] for b in BAD])
def test_bad_input_is_one_line_and_writes_nothing(tmp_path, code, words, argv):
    _bad_files(tmp_path)
    (tmp_path / "result.csv").write_text("old\n")
    output = [] if code == 2 else ["--output", "result.csv"]
    out = inproc("net-content", *argv, *output, cwd=tmp_path)
    assert out.returncode == code, out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("qualstat net-content: error: "), out.stderr
    assert words in lines[0], lines[0]
    assert out.stdout == "" and (tmp_path / "result.csv").read_text() == "old\n"
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".")]


def test_bad_input_through_the_installed_command(tmp_path):
    _bad_files(tmp_path)
    for code in (2, 3, 4):
        argv = next(b[2] for b in BAD if b[0] == code)
        out = run("net-content", *argv, cwd=tmp_path)
        assert out.returncode == code and "Traceback" not in out.stderr, out.stderr
        assert len(out.stderr.strip().splitlines()) == 1
