"""``qualstat report``: the spot-check report of a file of checks, and its HTML file.

The units table, every other table and the summary equal ``qs.spot_check_report``
on the same records at full precision; the HTML file is the report's ``to_html()``,
written whole or not at all.
"""

from __future__ import annotations

import datetime
import json
import os

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal
from test_cli import PNG, as_json, inproc, ok, run

import qualstat as qs
from qualstat.cli._io import jsonable

DRAWS = ("--draws", "2000")


@pytest.fixture
def checks(tmp_path):
    """Spot checks of five regions and two products over three months (CSV and Parquet)."""
    rng = np.random.default_rng(13)
    n = rng.integers(5, 60, 600)
    months = [datetime.date(2026, int(m), 1) for m in rng.integers(1, 4, 600)]
    frame = pl.DataFrame(
        {
            "region": rng.choice(["North", "South", "East", "West", "Mid"], 600),
            "product": rng.choice(["rice", "oil"], 600),
            "ok": rng.binomial(n, np.where(np.arange(600) % 5 == 0, 0.85, 0.95)),
            "n": n,
            "month": pl.Series(months, dtype=pl.Date),
        }
    )
    frame.write_csv(tmp_path / "checks.csv")
    frame.write_parquet(tmp_path / "checks.parquet")
    return frame


def test_units_table_equals_the_report(tmp_path, checks):
    argv = ("--passed", "ok", "--inspected", "n", "--by", "region", "product", "--target", "90%")
    out = ok("report", "checks.csv", *argv, *DRAWS, "--format", "csv", runner=inproc, cwd=tmp_path)
    report = qs.spot_check_report(
        checks, passed="ok", inspected="n", by=["region", "product"], target="90%", draws=2000
    )
    got = pl.read_csv(out.stdout.encode())
    assert_frame_equal(got, report.units, check_exact=True, check_dtypes=False)
    text = ok("report", "checks.csv", *argv, *DRAWS, runner=inproc, cwd=tmp_path).stdout
    assert all(line in text for line in report.summary)


def test_json_with_periods_equals_to_dict_through_the_installed_command(tmp_path, checks):
    data = as_json(
        "report", "checks.parquet", "--passed", "ok", "--inspected", "n", "--by", "region",
        "--period", "month", "--method", "jeffreys", "--adjust", "bh", "--limits", "exact",
        "--levels", "0.9,0.99", "--seed", "7", *DRAWS, cwd=tmp_path,
    )  # fmt: skip
    report = qs.spot_check_report(
        checks, passed="ok", inspected="n", by="region", period="month", method="jeffreys",
        adjust="bh", limits="exact", levels=(0.9, 0.99), seed=7, draws=2000,
    )  # fmt: skip
    assert data == json.loads(json.dumps(jsonable(report.to_dict())))
    assert data["latest"] == "2026-03-01" and data["summary"] == report.summary
    assert {row["month"] for row in data["trend"]} == {"2026-01-01", "2026-02-01", "2026-03-01"}


def test_html_file_is_the_reports_page_and_plot_the_forest(tmp_path, checks):
    argv = ("--passed", "ok", "--inspected", "n", "--by", "region", "--target", "none", *DRAWS)
    ok(
        "report", "checks.csv", *argv, "--html", "report.html", "--plot", "forest.png",
        runner=inproc, cwd=tmp_path,
    )  # fmt: skip
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    report = qs.spot_check_report(checks, passed="ok", inspected="n", by="region", target=None,
                                  draws=2000)  # fmt: skip
    assert page == report.to_html()
    assert page.startswith("<!DOCTYPE html>") and "data:image/png;base64," in page
    assert (tmp_path / "forest.png").read_bytes()[:8] == PNG
    assert sorted(os.listdir(tmp_path)) == [
        "checks.csv", "checks.parquet", "forest.png", "report.html",
    ]  # fmt: skip


def _bad_files(folder):
    pl.DataFrame({"unit": ["a", "b", "a"], "ok": [5, 9, 7], "n": [10, 10, 10]}).write_csv(
        folder / "good.csv"
    )
    pl.DataFrame({"unit": ["a", "a"], "ok": [5, 9], "n": [10, 10]}).write_csv(folder / "one.csv")
    (folder / "empty.csv").write_text("")
    (folder / "header.csv").write_text("unit,ok,n\n")
    (folder / "words.csv").write_text("unit,ok,n\na,5,10\nb,many,10\n")
    (folder / "over.csv").write_text("unit,ok,n\na,5,10\nb,12,10\n")


_GOOD = ["good.csv", "--passed", "ok", "--inspected", "n", "--by", "unit"]
BAD = [
    (3, "no such file", ["missing.csv", *_GOOD[1:]]),
    (3, "the file is empty", ["empty.csv", *_GOOD[1:]]),
    (3, "no rows", ["header.csv", *_GOOD[1:]]),
    (3, "'many' in row 1", ["words.csv", *_GOOD[1:]]),
    (3, "more passed than inspected", ["over.csv", *_GOOD[1:]]),
    (3, "--by 'region' is not a column", [*_GOOD[:-1], "region"]),
    (3, "--period 'month' is not a column", [*_GOOD, "--period", "month"]),
    (4, "at least 2 units", ["one.csv", *_GOOD[1:]]),
    (4, "--target: target = 1.5", [*_GOOD, "--target", "1.5"]),
    (4, "--method: method = \"magic\"", [*_GOOD, "--method", "magic"]),
    (4, "--levels", [*_GOOD, "--levels", "0.95,2"]),
    (4, "--prior", [*_GOOD, "--prior", "flat"]),
    (4, "--period: period = 'unit'", [*_GOOD, "--period", "unit"]),
    (2, "invalid number", [*_GOOD, "--target", "most"]),
    (2, "required: --by", _GOOD[:-2]),
]  # fmt: skip


@pytest.mark.parametrize(("code", "words", "argv"), BAD, ids=[b[1][:40] for b in BAD])
def test_bad_input_is_one_line_and_writes_no_file(tmp_path, code, words, argv):
    _bad_files(tmp_path)
    (tmp_path / "report.html").write_text("old\n")
    out = inproc("report", *argv, "--html", "report.html", "--plot", "forest.png", cwd=tmp_path)
    assert out.returncode == code, out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("qualstat report: error: "), out.stderr
    assert words in lines[0], lines[0]
    assert out.stdout == "" and (tmp_path / "report.html").read_text() == "old\n"
    assert not (tmp_path / "forest.png").exists()
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".")]


def test_html_in_a_missing_folder_fails_before_any_work(tmp_path):
    _bad_files(tmp_path)
    out = run("report", *_GOOD, "--html", "nowhere/report.html", cwd=tmp_path)
    assert out.returncode == 5 and "Traceback" not in out.stderr, out.stderr
    assert "--html = 'nowhere/report.html': the folder 'nowhere' does not exist" in out.stderr
    assert out.stdout == ""


def test_html_without_matplotlib_is_exit_code_6(tmp_path, monkeypatch):
    import importlib.util

    _bad_files(tmp_path)
    real = importlib.util.find_spec

    def find_spec(name, *args):
        return None if name == "matplotlib" else real(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    out = inproc("report", *_GOOD, "--html", "report.html", cwd=tmp_path)
    assert out.returncode == 6, out.stderr
    assert "--html needs matplotlib: pip install 'qualstat[plot]'" in out.stderr
    assert not (tmp_path / "report.html").exists()
