"""The installed ``qualstat`` command, run as a lab would run it (subprocess).

Numbers are compared with the in-process API at full precision (JSON and CSV
carry shortest round-trip floats, so equality is exact), and the table
look-ups and OC points also with the reference tables and scipy. Every
subcommand and every exit code runs through the installed command; the long
lists of option and bad-input cases call ``qualstat.cli.main`` in the test
process (the same code, without a process start per case).
"""

from __future__ import annotations

import importlib.util
import io
import json
import os
import shlex
import subprocess
import sys
import warnings
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal
from reference_tables import rows
from scipy import stats

import qualstat as qs
from qualstat.capability import ALL_COLUMNS
from qualstat.cli import main
from qualstat.cli._io import jsonable

QUALSTAT = Path(sys.executable).parent / "qualstat"
DATASETS = Path(__file__).resolve().parents[2] / "reference" / "datasets"
PNG = b"\x89PNG\r\n\x1a\n"


def run(*args, cwd=None, stdin=None, env=None):
    """Runs the installed command; returns the completed process (text)."""
    assert QUALSTAT.is_file(), f"the console script is not installed: {QUALSTAT}"
    return subprocess.run(
        [str(QUALSTAT), *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        input=stdin,
        env=env,
        timeout=120,
    )


def inproc(*args, cwd=None):
    """Runs ``qualstat.cli.main`` in this process; returns what ``run`` returns."""
    out, err = io.StringIO(), io.StringIO()
    here = os.getcwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        with redirect_stdout(out), redirect_stderr(err):
            code = main([str(a) for a in args])
    finally:
        os.chdir(here)
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())


def ok(*args, runner=run, **kwargs):
    out = runner(*args, **kwargs)
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr
    return out


def as_json(*args, **kwargs):
    return json.loads(ok(*args, "--format", "json", **kwargs).stdout)


def in_json(*args, **kwargs):
    return as_json(*args, runner=inproc, **kwargs)


def as_csv(*args, **kwargs):
    return pl.read_csv(ok(*args, "--format", "csv", **kwargs).stdout.encode())


@pytest.fixture
def checks(tmp_path):
    """Spot-check records: region, product, ok (passed) and n (inspected), as CSV and Parquet."""
    rng = np.random.default_rng(13)
    n = rng.integers(5, 60, 400)
    frame = pl.DataFrame(
        {
            "region": rng.choice(["North", "South", "East", "West"], 400),
            "product": rng.choice(["rice", "oil"], 400),
            "ok": rng.binomial(n, 0.93),
            "n": n,
        }
    )
    frame.write_csv(tmp_path / "checks.csv")
    frame.write_parquet(tmp_path / "checks.parquet")
    return frame


@pytest.fixture
def rings():
    """Montgomery's piston-ring diameters (40 subgroups of 5), via qcc."""
    return pl.read_csv(DATASETS / "pistonrings.csv", comment_prefix="#")


# -- plan ------------------------------------------------------------------------


def test_plan_json_is_the_contract_the_reference_table_the_api_and_scipy():
    out = as_json("plan", "--aql", "1.0", "--lot-size", "2000")
    letters = next(r for r in rows("z14_table1_code_letters.csv") if int(r["lot_max"]) >= 2000)
    assert out["code"] == letters["II"] == "K"
    cell = next(
        r for r in rows("z14_single_normal.csv") if r["code"] == "K" and float(r["aql"]) == 1.0
    )
    assert out["n"] == [int(cell["n"])] and out["ac"] == [int(cell["Ac"])]
    assert out["re"] == [int(cell["Re"])]
    assert out["source_table"] == "ANSI Z1.4 Table II-A"
    plan = qs.iso2859_1.plan(aql=1.0, lot_size=2000)
    assert out["aql"] == plan.aql == 0.01
    assert out["producer_risk"] == plan.producer_risk()
    for point in out["oc"]:
        assert point["p"] == plan.quality_at(point["prob_accept"])
        # independent: the binomial OC of n = 125, Ac = 3 at that quality
        pa = stats.binom.cdf(3, 125, point["p"])
        assert pa == pytest.approx(point["prob_accept"], rel=1e-9)
    assert [p["prob_accept"] for p in out["oc"]] == [
        0.99,
        0.95,
        0.9,
        0.75,
        0.5,
        0.25,
        0.1,
        0.05,
        0.01,
    ]


@pytest.mark.parametrize(
    "options",
    [
        {"kind": "double"},
        {"kind": "multiple", "inspection": "tightened"},
        {"inspection": "reduced", "edition": "iso1999"},
        {"level": "S-3"},
    ],
)
def test_plan_options_equal_the_api(options):
    flags = [x for k, v in options.items() for x in (f"--{k}", v)]
    out = json.loads(
        ok(
            "plan", "--aql", "0.65", "--lot-size", "3000", *flags, "--format", "json", runner=inproc
        ).stdout
    )
    plan = qs.iso2859_1.plan(aql=0.65, lot_size=3000, **options)
    assert (out["n"], out["ac"], out["re"]) == (list(plan.n), list(plan.ac), list(plan.re))
    assert out["code"] == plan.code_letter and out["source_table"] == plan.source_table
    assert [p["p"] for p in out["oc"]] == [plan.quality_at(p["prob_accept"]) for p in out["oc"]]


def test_plan_by_code_letter_and_readable_text():
    text = ok("plan", "--aql", "1%", "--code", "K", runner=inproc).stdout
    assert "code letter K" in text and "ANSI Z1.4 Table II-A" in text
    assert "n=125, ac=3, re=4" in text and "OC points" in text


def test_plan_variables_equals_iso3951():
    out = in_json("plan", "--aql", "1.0", "--lot-size", "40", "--variables")
    plan = qs.iso3951.plan(aql=1.0, lot_size=40)
    assert out["n"] == [plan.n] and out["k"] == plan.k and out["m"] == plan.m
    assert out["code"] == "D" and out["producer_risk"] == plan.producer_risk()


def test_plan_csv_has_one_row_per_stage():
    out = ok(
        "plan",
        "--aql",
        "1.0",
        "--lot-size",
        "2000",
        "--kind",
        "double",
        "--format",
        "csv",
        runner=inproc,
    )
    frame = pl.read_csv(out.stdout.encode())
    plan = qs.iso2859_1.plan(aql=1.0, lot_size=2000, kind="double")
    assert frame["n"].to_list() == list(plan.n) and frame["ac"].to_list() == list(plan.ac)
    assert frame["code"].to_list() == ["K", "K"]


# -- design ----------------------------------------------------------------------


def test_design_equals_the_api_and_meets_the_risk_points():
    out = as_json("design", "--aql", "1%", "--lq", "0.05")
    plan = qs.design_plan(0.01, 0.05)
    assert (out["n"], out["ac"]) == ([132], [3]) == (list(plan.n), list(plan.ac))
    assert out["producer_risk"] == plan.producer_risk()
    assert out["consumer_risk"] == plan.consumer_risk()
    assert stats.binom.cdf(3, 132, 0.01) >= 0.95 and stats.binom.cdf(3, 132, 0.05) <= 0.10


def test_design_double_hypergeometric_and_variables_equal_the_api():
    out = in_json("design", "--aql", "2%", "--lq", "12%", "--double", "--n2", "twice")
    plan = qs.design_double_plan(0.02, 0.12, n2="twice")
    assert (out["n"], out["ac"], out["re"]) == (list(plan.n), list(plan.ac), list(plan.re))
    args = ("--aql", "1%", "--lq", "5%", "--model", "hypergeometric", "--lot-size", "500")
    out = in_json("design", *args)
    plan = qs.design_plan("1%", "5%", model="hypergeometric", lot_size=500)
    assert out["n"] == list(plan.n)
    assert out["producer_risk"] == plan.producer_risk(model="hypergeometric", lot_size=500)
    out = in_json("design", "--aql", "1%", "--lq", "10%", "--variables", "--method", "sigma")
    plan = qs.design_variables_plan(0.01, 0.10, method="sigma")
    assert (out["n"], out["k"]) == ([plan.n], plan.k)


# -- oc --------------------------------------------------------------------------


def test_oc_csv_equals_curves(tmp_path):
    frame = as_csv("oc", "--aql", "1.0", "--lot-size", "2000")
    expected = qs.iso2859_1.plan(aql=1.0, lot_size=2000).curves(lot_size=2000)
    assert_frame_equal(frame, expected, check_exact=True)


def test_oc_of_a_given_plan_at_given_qualities_and_its_plot(tmp_path):
    out = tmp_path / "oc.png"
    frame = as_csv(
        "oc", "--n", "50,50", "--ac", "1,4", "--re", "4,5", "--p", "1%,0.02,0.05", "--plot", out
    )
    plan = qs.AttributePlan([50, 50], [1, 4], [4, 5])
    assert frame["p"].to_list() == [0.01, 0.02, 0.05]
    assert frame["prob_accept"].to_list() == list(plan.prob_accept([0.01, 0.02, 0.05]))
    assert out.read_bytes()[:8] == PNG
    assert sorted(p.name for p in tmp_path.iterdir()) == ["oc.png"]  # no temporary file left


def test_oc_variables_plan():
    frame = as_csv("oc", "--n", "10", "--k", "1.72")
    assert_frame_equal(frame, qs.VariablesPlan(10, 1.72).curves(), check_exact=True)


# -- decide ----------------------------------------------------------------------


def test_decide_traces_a_double_plan_stage_by_stage():
    out = as_json(
        "decide", "--aql", "1.0", "--lot-size", "2000", "--kind", "double", "--nonconforming", "2,1"
    )
    plan = qs.iso2859_1.plan(aql=1.0, lot_size=2000, kind="double")
    d = plan.decide([2, 1])
    assert (out["outcome"], out["stage"], out["cumulative"]) == (d.outcome, d.stage, d.cumulative)
    assert (
        [s["outcome"] for s in out["stages"]]
        == [
            plan.decide([2]).outcome,
            plan.decide([2, 1]).outcome,
        ]
        == ["continue", "accept"]
    )
    text = ok(
        "decide",
        "--n",
        "50,50",
        "--ac",
        "1,4",
        "--re",
        "4,5",
        "--nonconforming",
        "2",
        runner=inproc,
    ).stdout
    assert "CONTINUE: draw the next sample of 50 items" in text


def test_decide_variables_from_values_and_from_a_file(tmp_path):
    x = [197, 188, 184, 205, 201]
    args = ("--aql", "1.0", "--lot-size", "40", "--variables", "--usl", "209")
    out = as_json("decide", *args, "--values", ",".join(map(str, x)))
    d = qs.iso3951.plan(aql=1.0, lot_size=40).decide(x, usl=209)
    assert out["outcome"] == d.outcome == "accept" and out["q_upper"] == d.q_upper
    pl.DataFrame({"x": x}).write_csv(tmp_path / "sample.csv")
    again = in_json("decide", *args, tmp_path / "sample.csv", "--value", "x")
    assert again == out


# -- scheme ----------------------------------------------------------------------


def test_scheme_history_equals_the_api(tmp_path):
    rng = np.random.default_rng(5)
    lots = pl.DataFrame(
        {"lot_size": rng.integers(500, 3000, 300), "nonconforming": rng.poisson(1.2, 300)}
    )
    lots.write_csv(tmp_path / "lots.csv")
    history = as_csv("scheme", tmp_path / "lots.csv", "--aql", "1.0")
    expected = qs.iso2859_1.Scheme(1.0).run(lots)
    assert_frame_equal(history, expected, check_exact=True, check_dtypes=False)


@pytest.mark.parametrize("flag", ["--lot", "--label"])  # --label: the old spelling, an alias
def test_scheme_double_columns_lot_and_discontinuation(tmp_path, flag):
    lots = pl.DataFrame(
        {
            "id": [f"L{i}" for i in range(12)],
            "size": [1000] * 12,
            "d1": [9] * 12,
            "d2": [None] * 12,
        },
        schema_overrides={"d2": pl.Int64},
    )
    lots.write_csv(tmp_path / "lots.csv")
    out = run(
        "scheme",
        tmp_path / "lots.csv",
        "--aql",
        "1.0",
        "--kind",
        "double",
        "--lot-size-column",
        "size",
        "--nonconforming",
        "d1",
        "d2",
        flag,
        "id",
        "--format",
        "json",
    )
    assert out.returncode == 0, out.stderr
    assert "warning: inspection discontinued at lot 6" in out.stderr  # lots count from 0
    data = json.loads(out.stdout)
    assert data["discontinued"] and data["state"] == "discontinued" and data["lots"] == 7
    assert [r["label"] for r in data["history"]] == [f"L{i}" for i in range(7)]


# -- ci and rates ----------------------------------------------------------------


def test_ci_equals_proportion_ci():
    out = as_json("ci", "57", "60", "--method", "exact", "--bound", "lower")
    ci = qs.proportion_ci(57, 60, method="exact", bound="lower")
    assert (out["lower"], out["upper"]) == (ci.lower, ci.upper)
    out = in_json("ci", "20", "20", "--population", "50", "--bound", "lower")
    assert out["lower"] == qs.proportion_ci(20, 20, population=50, bound="lower").lower == 0.9
    assert (
        "[0.8758, 1.0000]"
        in ok("ci", "57", "60", "--method", "exact", "--bound", "lower", runner=inproc).stdout
    )


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_rates_equal_pass_rates(tmp_path, checks, suffix):
    path = tmp_path / f"checks.{suffix}"
    frame = as_csv(
        "rates",
        path,
        "--passed",
        "ok",
        "--inspected",
        "n",
        "--by",
        "region",
        "product",
        "--method",
        "jeffreys",
        "--target",
        "90%",
    )
    expected = qs.pass_rates(
        checks,
        passed="ok",
        inspected="n",
        by=["region", "product"],
        method="jeffreys",
        target="90%",
    )
    assert_frame_equal(frame, expected, check_exact=True)


def test_rates_items_stdin_json_and_forest_plot(tmp_path):
    items = pl.DataFrame({"line": ["A", "A", "B", "B", "B"], "ok": [1, 0, 1, 1, 1]})
    out = tmp_path / "forest.png"
    data = json.loads(
        ok(
            "rates",
            "-",
            "--passed",
            "ok",
            "--by",
            "line",
            "--format",
            "json",
            "--plot",
            out,
            stdin=items.write_csv(),
        ).stdout
    )
    expected = qs.pass_rates(items, passed="ok", by="line")
    assert data["rows"] == expected.to_dicts()
    assert out.read_bytes()[:8] == PNG


# -- capability ------------------------------------------------------------------


def test_capability_equals_the_api_on_the_piston_rings(tmp_path, rings):
    rings.write_csv(tmp_path / "rings.csv")
    args = ("--value", "diameter", "--lsl", "73.95", "--usl", "74.05", "--subgroup-size", "5")
    out = as_json("capability", tmp_path / "rings.csv", *args)
    res = qs.capability(rings["diameter"], 73.95, 74.05, subgroup_size=5)
    assert out == json.loads(json.dumps(jsonable(res.to_dict())))  # every field, exactly
    assert out["cp"] == res.cp and out["n"] == 200
    table = as_csv("capability", tmp_path / "rings.csv", *args, runner=inproc)
    assert table.height == 1
    row = table.row(0, named=True)
    assert (row["cpk"], row["cpk_lower"], row["cpk_upper"]) == (res.cpk, *res.interval("cpk"))


def _flat(study):
    """A study's JSON as the CSV's columns: intervals as NAME_lower/NAME_upper, the fitted
    parameters and percentiles one per column (the names of capability_by, all of its
    columns: the CSV's are the same in every study)."""
    flat = dict(study)
    for name, (lower, upper) in flat.pop("intervals").items():
        flat[f"{name}_lower"], flat[f"{name}_upper"] = lower, upper
    flat["lambda"] = flat.pop("lambda_")
    params, percentiles = flat.pop("params") or [None] * 2, flat.pop("percentiles") or [None] * 3
    flat.update(zip(("param_1", "param_2"), params, strict=True))
    levels = ("percentile_0.135", "percentile_50", "percentile_99.865")
    flat.update(zip(levels, percentiles, strict=True))
    return {name: None for name in ALL_COLUMNS} | flat  # an index without interval: null


def _same(csv_value, json_value):
    """A CSV cell holds the JSON value (JSON's null, a value not defined or unbounded, is an
    empty cell)."""
    return csv_value == json_value


@pytest.mark.parametrize(
    "options",
    [
        ("--subgroup-size", "5"),
        ("--bound", "lower", "--target", "74.0"),
        ("--distribution", "lognormal"),
        ("--boxcox", "ml"),
    ],
)
def test_capability_csv_holds_every_number_of_the_json(tmp_path, rings, options):
    """--format csv of one study: one row holding every field of the JSON (a lab's spreadsheet
    loses nothing), under the column names of capability_by (--by ... --columns all)."""
    rings.write_csv(tmp_path / "rings.csv")
    args = ("capability", tmp_path / "rings.csv", "--value", "diameter", "--lsl", "73.95")
    args += ("--usl", "74.05", *options)
    study = _flat(in_json(*args))
    table = as_csv(*args, runner=inproc)
    assert table.height == 1
    row = table.row(0, named=True)
    assert set(row) == set(study)
    assert [c for c in table.columns if c in ALL_COLUMNS] == [
        c for c in ALL_COLUMNS if c in row
    ]  # capability_by's order
    different = {k: (row[k], v) for k, v in study.items() if not _same(row[k], v)}
    assert not different


def test_capability_by_csv_and_json_hold_the_same_groups(tmp_path, rings):
    frame = rings.with_columns((pl.int_range(pl.len()) % 3).alias("machine"))
    frame.write_csv(tmp_path / "rings.csv")
    args = ("capability", tmp_path / "rings.csv", "--value", "diameter", "--by", "machine")
    args += ("--lsl", "73.95", "--usl", "74.05", "--columns", "all")
    groups = in_json(*args)["groups"]
    table = as_csv(*args, runner=inproc)
    assert table.height == len(groups) == 3
    for row, group in zip(table.iter_rows(named=True), groups, strict=True):
        assert set(row) == set(group)
        assert all(_same(row[k], v) for k, v in group.items()), (row, group)


def test_capability_plot(tmp_path, rings):
    rings.write_parquet(tmp_path / "rings.parquet")
    out = tmp_path / "hist.png"
    ok(
        "capability",
        tmp_path / "rings.parquet",
        "--value",
        "diameter",
        "--lsl",
        "73.95",
        "--usl",
        "74.05",
        "--plot",
        out,
        runner=inproc,
    )
    assert out.read_bytes()[:8] == PNG


def test_capability_by_with_limit_columns_equals_the_api(tmp_path):
    rng = np.random.default_rng(3)
    frame = pl.DataFrame(
        {
            "machine": np.repeat(["m1", "m2", "m3"], 40),
            "x": rng.normal(10, 1, 120),
            "usl": np.repeat([13.0, 14.0, 13.5], 40),
        }
    )
    frame.write_csv(tmp_path / "parts.csv")
    out = as_csv(
        "capability",
        tmp_path / "parts.csv",
        "--value",
        "x",
        "--by",
        "machine",
        "--lsl",
        "7",
        "--usl",
        "usl",
        "--columns",
        "all",
    )
    expected = qs.capability_by(frame, value="x", by="machine", lsl=7.0, usl="usl", columns="all")
    assert_frame_equal(out, expected, check_exact=True, check_dtypes=False)


def test_capability_bootstrap_by_many_groups_in_parts_equals_one_call(tmp_path):
    rng = np.random.default_rng(8)
    groups = 300  # more than one part of 256 groups
    frame = pl.DataFrame({"g": np.repeat(np.arange(groups), 8), "x": rng.normal(0, 1, groups * 8)})
    frame.write_parquet(tmp_path / "g.parquet")
    out = as_csv(
        "capability",
        tmp_path / "g.parquet",
        "--value",
        "x",
        "--by",
        "g",
        "--lsl",
        "-4",
        "--usl",
        "4",
        "--method",
        "bootstrap",
        "--resamples",
        "100",
        "--seed",
        "7",
    )
    expected = qs.capability_by(
        frame, value="x", by="g", lsl=-4.0, usl=4.0, method="bootstrap", resamples=100, seed=7
    )
    assert_frame_equal(out, expected, check_exact=True, check_dtypes=False)


# -- help, module entry, debug -----------------------------------------------------


COMMANDS = [
    "plan",
    "design",
    "oc",
    "decide",
    "scheme",
    "ci",
    "rates",
    "capability",
    "report",
    "chart",
    "net-content",
]


def test_every_command_has_help_with_examples_and_exit_codes():
    text = ok("--help").stdout
    assert all(c in text for c in COMMANDS) and "exit codes:" in text
    for command in COMMANDS:
        text = ok(command, "--help", runner=inproc).stdout
        assert text.startswith(f"usage: qualstat {command}")
        assert "examples:" in text and "exit codes:" in text
        assert f"  qualstat {command} " in text  # an example of this command


def test_python_dash_m_and_version():
    out = subprocess.run(
        [sys.executable, "-m", "qualstat.cli", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0 and out.stdout.strip() == f"qualstat {qs.__version__}"


def test_debug_shows_the_traceback():
    quiet = inproc("ci", "5", "10", "--confidence", "2")
    loud = inproc("ci", "5", "10", "--confidence", "2", "--debug")
    assert quiet.returncode == loud.returncode == 4
    assert "Traceback" not in quiet.stderr and "Traceback" in loud.stderr


# -- bad input: one line on stderr, the documented exit code, nothing written ------


def _bad_files(tmp_path):
    (tmp_path / "empty.csv").write_text("")
    (tmp_path / "header.csv").write_text("ok,n,region\n")
    (tmp_path / "text.csv").write_text("ok,n,region\n5,10,N\nfive,10,S\n")
    (tmp_path / "over.csv").write_text("ok,n,region\n5,10,N\n12,10,S\n")
    (tmp_path / "good.csv").write_text("ok,n,region\n5,10,N\n9,10,S\n")
    (tmp_path / "notes.docx").write_text("x")
    (tmp_path / "lots.csv").write_text("lot_size,nonconforming\n1000,1\n1000,-2\n")
    (tmp_path / "latin.csv").write_bytes("r\u00e9gion,ok,n\nNord,5,10\n".encode("cp1252"))
    (tmp_path / "semi.csv").write_bytes(
        "r\u00e9gion;ok;n\n\u00cele-de-France;5;10\nRh\u00f4ne;9;10\n".encode("cp1252")
    )
    (tmp_path / "gaps.csv").write_text("ok,n,region\n5,10,N\n,10,S\n")
    (tmp_path / "holes.csv").write_text("x\n4.1\n\n4.3\n3.9\n")
    pl.DataFrame({"ok": [5], "n": [10]}).write_parquet(tmp_path / "good.parquet")
    pl.DataFrame({"id": [[1, 2]], "lot_size": [1000], "nonconforming": [0]}).write_parquet(
        tmp_path / "nested.parquet"
    )


BAD = [
    # (exit code, words the message must contain, argv)
    (3, "no such file", ["rates", "missing.csv", "--passed", "ok"]),
    (3, "empty", ["rates", "empty.csv", "--passed", "ok"]),
    (3, "no rows", ["rates", "header.csv", "--passed", "ok", "--inspected", "n"]),
    (3, "'five' in row 1", ["rates", "text.csv", "--passed", "ok", "--inspected", "n"]),
    (3, "not a column", ["rates", "good.csv", "--passed", "passed", "--inspected", "n"]),
    (3, "not a column", ["rates", "good.csv", "--passed", "ok", "--by", "area"]),
    (3, "more passed than inspected", ["rates", "over.csv", "--passed", "ok", "--inspected", "n"]),
    (3, "unknown file type", ["rates", "notes.docx", "--passed", "ok"]),
    (3, "not UTF-8 text", ["rates", "latin.csv", "--passed", "ok", "--inspected", "n"]),
    (
        3,
        "not UTF-8 text: give its --encoding",
        ["rates", "semi.csv", "--separator", ";", "--passed", "ok", "--inspected", "n"],
    ),
    (
        3,
        "row 1 (group region='S'): passed column 'ok' = null (a missing value) is invalid",
        ["rates", "gaps.csv", "--passed", "ok", "--inspected", "n", "--by", "region"],
    ),
    (4, "--encoding", ["rates", "good.csv", "--passed", "ok", "--encoding", "klingon"]),
    (
        3,
        "pass --nan-policy omit to drop",
        ["capability", "holes.csv", "--value", "x", "--usl", "5"],
    ),
    (4, "only for CSV", ["rates", "good.parquet", "--passed", "ok", "--separator", ";"]),
    (4, "only for Excel", ["rates", "good.csv", "--passed", "ok", "--sheet", "s1"]),
    (3, "nonconforming", ["scheme", "lots.csv", "--aql", "1.0"]),
    (3, "not a column", ["capability", "good.csv", "--value", "x", "--usl", "5"]),
    (
        3,
        "--nonconforming 'ok' must hold numbers, it holds String ('five' in row 1)",
        ["scheme", "text.csv", "--aql", "1.0", "--lot-size", "n", "--nonconforming", "ok"]
        + ["--lot", "ok"],
    ),
    (
        3,
        "--lot 'id' must hold labels (text, numbers, dates), it holds List(Int64)",
        ["scheme", "nested.parquet", "--aql", "1.0", "--lot", "id"],
    ),
    (
        3,
        "--value 'region' must hold numbers, it holds String ('N' in row 0)",
        ["capability", "good.csv", "--value", "region", "--by", "region", "--usl", "5"],
    ),
    (4, "--method", ["rates", "good.csv", "--passed", "ok", "--inspected", "n", "--method", "x"]),
    (
        4,
        "--confidence",
        ["rates", "good.csv", "--passed", "ok", "--inspected", "n", "--confidence", "1.5"],
    ),
    (
        4,
        "--alternative",
        ["rates", "good.csv", "--passed", "ok", "--inspected", "n", "--alternative", "greater"],
    ),
    (
        4,
        "--usl = 'high' is invalid: expected a number (a column name only with --by)",
        ["capability", "good.csv", "--value", "ok", "--usl", "high"],
    ),
    (
        4,
        "--by: by = 'n' is invalid: the result has a column 'n' of its own",
        ["capability", "good.csv", "--value", "ok", "--by", "n", "--usl", "20"],
    ),
    (
        4,
        "without --by",
        ["capability", "good.csv", "--value", "ok", "--by", "region", "--plot", "h.png"],
    ),
    (4, "aql", ["plan", "--aql", "0.7", "--lot-size", "1000"]),
    (4, "AQL is in percent", ["plan", "--aql", "0.0065", "--lot-size", "1000"]),
    (4, "level", ["plan", "--aql", "1.0", "--lot-size", "1000", "--level", "IV"]),
    (4, "kind", ["plan", "--aql", "1.0", "--lot-size", "1000", "--variables", "--kind", "double"]),
    (4, "lq", ["design", "--aql", "0.05", "--lq", "0.01"]),
    (
        4,
        "--lq = 5 is invalid: expected a fraction in [0, 1] (5 % is 0.05 or '5%')",
        ["design", "--aql", "1%", "--lq", "5"],
    ),
    (4, "--aql = 1.5 is invalid", ["design", "--aql", "1.5", "--lq", "0.05"]),
    (
        4,
        "(--aql 1 is a fraction here, 100 %, unlike plan --aql: write --aql 1% for an AQL of 1 %)",
        ["design", "--aql", "1.0", "--lq", "5%"],
    ),
    (4, "--p[1] = 2 is invalid", ["oc", "--n", "80", "--ac", "2", "--p", "0.01,2"]),
    (4, "trials", ["ci", "5", "0"]),
    (4, "method", ["ci", "5", "10", "--method", "magic"]),
    (2, "unrecognized arguments: --plot", ["ci", "5", "10", "--plot", "x.png"]),
    (4, "--plot", ["oc", "--n", "80", "--ac", "2", "--plot", "oc.xyz"]),
    (4, "--nonconforming", ["decide", "--n", "80", "--ac", "2"]),
    (4, "counts = [1, 1]", ["decide", "--n", "80", "--ac", "2", "--nonconforming", "1,1"]),
    (2, "invalid whole number", ["plan", "--aql", "1.0", "--lot-size", "2e3"]),
    (2, "required", ["plan", "--lot-size", "2000"]),
    (2, "unrecognized arguments", ["plan", "--aql", "1.0", "--lots", "5"]),
    (2, "invalid choice", ["plot", "--aql", "1.0"]),
    (2, "invalid number", ["ci", "5", "10", "--confidence", "high"]),
    (5, "does not exist", ["ci", "5", "10", "--output", "nowhere/ci.txt"]),
]


def _check_bad(out, tmp_path, code, words):
    assert out.returncode == code, out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    assert lines[0].startswith("qualstat"), lines[0]
    assert "error" in lines[0] and words in lines[0], lines[0]
    assert "Traceback" not in out.stderr
    assert out.stdout == ""
    # nothing half-written: the old output is untouched, no temporary file is left
    assert (tmp_path / "result.csv").read_text() == "old\n"
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".")]


def _bad(runner, tmp_path, code, words, argv):
    _bad_files(tmp_path)
    (tmp_path / "result.csv").write_text("old\n")
    output = [] if code == 2 or "--output" in argv else ["--output", "result.csv"]
    _check_bad(runner(*argv, *output, cwd=tmp_path), tmp_path, code, words)


@pytest.mark.parametrize(("code", "words", "argv"), BAD, ids=[" ".join(b[2])[:60] for b in BAD])
def test_bad_input_is_one_line_with_its_exit_code(tmp_path, code, words, argv):
    _bad(inproc, tmp_path, code, words, argv)


def test_bad_input_through_the_installed_command(tmp_path):
    """One case of each exit code through the installed command."""
    for code in (2, 3, 4, 5):
        case = next(b for b in BAD if b[0] == code)
        _bad(run, tmp_path, *case)


def test_excel_needs_the_optional_engine(tmp_path):
    try:
        import fastexcel  # noqa: F401
    except ImportError:
        (tmp_path / "book.xlsx").write_bytes(b"PK\x03\x04")
        out = run("rates", tmp_path / "book.xlsx", "--passed", "ok")
        assert out.returncode == 6, out.stderr
        assert "pip install 'qualstat[excel]'" in out.stderr
        return
    pytest.importorskip("xlsxwriter")  # polars writes the book with it
    frame = pl.DataFrame({"ok": [5, 9], "n": [10, 10]})
    frame.write_excel(tmp_path / "book.xlsx")
    out = as_csv("rates", tmp_path / "book.xlsx", "--passed", "ok", "--inspected", "n")
    assert_frame_equal(out, qs.pass_rates(frame, passed="ok", inspected="n"), check_exact=True)


def test_progress_only_on_a_terminal(tmp_path, capsys, monkeypatch):
    from qualstat.cli._io import Progress

    class Terminal:
        def __init__(self):
            self.text = ""

        def isatty(self):
            return True

        def write(self, s):
            self.text += s

        def flush(self):
            pass

    import time

    fake = Terminal()
    monkeypatch.setattr(sys, "stderr", fake)
    with Progress("working", total=4) as bar:
        bar.advance(2)
        time.sleep(0.35)
    assert "[###############...............] 2/4 working" in fake.text
    monkeypatch.undo()
    with Progress("quiet"):
        time.sleep(0.25)
    assert capsys.readouterr().err == ""


def _example_files(folder):
    """The files the --help examples name, with the columns they use."""
    rng = np.random.default_rng(21)
    n = rng.integers(5, 60, 200)
    checks = pl.DataFrame(
        {
            "region": rng.choice(["N", "S"], 200),
            "product": rng.choice(["rice", "oil"], 200),
            "ok": rng.binomial(n, 0.95),
            "n": n,
            "month": rng.choice(["2026-01", "2026-02"], 200),
        }
    )
    checks.write_csv(folder / "checks.csv")
    checks.write_parquet(folder / "checks.parquet")
    pl.DataFrame({"line": ["A", "A", "B"], "ok": [True, False, True]}).write_csv(
        folder / "items.csv"
    )
    pl.DataFrame(
        {
            "lot_id": ["a", "b", "c"],
            "lot_size": [1000, 2000, 500],
            "nonconforming": [1, 0, 2],
            "d1": [2, 0, 0],
            "d2": [1, None, None],
        }
    ).write_csv(folder / "lots.csv")
    x = rng.normal(10, 0.5, 120)
    pl.DataFrame(
        {
            "machine": np.repeat(["m1", "m2"], 60),
            "x": x,
            "lsl": 7.0,
            "usl": np.repeat([13.0, 12.5], 60),
        }
    ).write_csv(folder / "parts.csv")
    pl.read_csv(DATASETS / "pistonrings.csv", comment_prefix="#").write_csv(folder / "rings.csv")
    pl.DataFrame({"diameter": x[:10]}).write_csv(folder / "sample.csv")
    _chart_and_package_files(folder, rng)


def _chart_and_package_files(folder, rng):
    """The files of the chart and net-content examples."""
    for name, saved in (("viscosity", "viscosity"), ("orangejuice", "juice")):
        pl.read_csv(DATASETS / f"{name}.csv", comment_prefix="#").write_csv(folder / f"{saved}.csv")
    checked = rng.integers(200, 400, 12)
    pl.DataFrame(
        {"region": [f"R{i}" for i in range(12)], "failed": rng.binomial(checked, 0.1),
         "checked": checked}
    ).write_csv(folder / "regions.csv")  # fmt: skip
    good = [500.0 + (i % 7) - 3 for i in range(50)]
    short = [484.9] * 3 + good[3:]
    lots = {"A": good, "B": short + good, "C": short}
    pl.DataFrame(
        {"lot": [k for k, v in lots.items() for _ in v], "g": sum(lots.values(), []),
         "qn": 500.0, "lot_size": 1000}
    ).write_csv(folder / "packs.csv")  # fmt: skip
    pl.DataFrame(
        {"batch": np.repeat(["b1", "b2"], 80), "ml": np.round(rng.normal(752, 4, 160), 1)}
    ).write_csv(folder / "bottles.csv")
    pl.DataFrame({"gross": np.round(rng.normal(514, 2, 30), 1)}).write_csv(folder / "lot7.csv")


def test_every_help_example_runs(tmp_path):
    """Each example line of every --help, run as written on files with those columns."""

    from qualstat.cli import COMMANDS as MODULES

    _example_files(tmp_path)
    excel = importlib.util.find_spec("fastexcel") is not None
    for name in ("lots.xlsx", "checks.xlsx", "parts.xlsx"):
        (tmp_path / name).write_bytes(b"PK\x03\x04")  # refused before it is read
    ran = 0
    for module in MODULES:
        for line in module.EXAMPLES.splitlines():
            argv = shlex.split(line.strip())
            if not argv or argv[0] != "qualstat":
                continue
            if any(a.endswith(".xlsx") for a in argv):
                if not excel:  # without the engine: the documented exit code
                    assert inproc(*argv[1:], cwd=tmp_path).returncode == 6, line
                continue  # with it: test_excel_needs_the_optional_engine reads a real book
            out = inproc(*argv[1:], cwd=tmp_path)
            assert out.returncode == 0, (line, out.stderr)
            ran += 1
    assert ran >= 30
    assert (tmp_path / "oc.png").read_bytes()[:8] == PNG
    assert (tmp_path / "history.csv").is_file() and (tmp_path / "rates.csv").is_file()
    assert (tmp_path / "imr.png").read_bytes()[:8] == PNG
    assert (tmp_path / "report.html").read_text().startswith("<!DOCTYPE html>")
    assert (tmp_path / "verdicts.csv").is_file() and (tmp_path / "units.csv").is_file()


def test_scheme_in_parts_equals_one_run(tmp_path):
    """More lots than one part of the progress bar: the history of one Scheme.run."""
    rng = np.random.default_rng(17)
    lots = pl.DataFrame(
        {"lot_size": rng.integers(100, 5000, 4500), "nonconforming": rng.poisson(0.6, 4500)}
    )
    lots.write_parquet(tmp_path / "lots.parquet")
    out = ok(
        "scheme",
        "lots.parquet",
        "--aql",
        "1.0",
        "--edition",
        "iso1999",
        "--format",
        "csv",
        runner=inproc,
        cwd=tmp_path,
    )
    expected = qs.iso2859_1.Scheme(1.0, edition="iso1999").run(lots)
    assert expected.height == 4500 and set(expected["state"]) == {"normal", "reduced", "tightened"}
    assert_frame_equal(
        pl.read_csv(out.stdout.encode()), expected, check_exact=True, check_dtypes=False
    )


def test_csv_dialects_tsv_and_decimal_comma(tmp_path):
    (tmp_path / "eu.csv").write_text("g;x\na;10,1\na;9,8\na;10,3\na;10,0\nb;9,7\nb;10,2\n")
    (tmp_path / "t.tsv").write_text("g\tx\na\t10.1\na\t9.8\na\t10.3\na\t10.0\nb\t9.7\nb\t10.2\n")
    eu = ok(
        "capability",
        "eu.csv",
        "--separator",
        ";",
        "--decimal-comma",
        "--value",
        "x",
        "--lsl",
        "9",
        "--usl",
        "11",
        "--format",
        "json",
        runner=inproc,
        cwd=tmp_path,
    )
    tsv = ok(
        "capability",
        "t.tsv",
        "--value",
        "x",
        "--lsl",
        "9",
        "--usl",
        "11",
        "--format",
        "json",
        runner=inproc,
        cwd=tmp_path,
    )
    expected = qs.capability([10.1, 9.8, 10.3, 10.0, 9.7, 10.2], 9.0, 11.0)
    assert json.loads(eu.stdout)["cpk"] == json.loads(tsv.stdout)["cpk"] == expected.cpk
    (tmp_path / "fr.csv").write_bytes("r\u00e9gion;x\nNord;10,1\nNord;9,8\n".encode("cp1252"))
    fr = ok(
        "capability",
        "fr.csv",
        "--separator",
        ";",
        "--decimal-comma",
        "--encoding",
        "cp1252",
        "--value",
        "x",
        "--by",
        "r\u00e9gion",
        "--usl",
        "11",
        "--format",
        "csv",
        runner=inproc,
        cwd=tmp_path,
    )
    assert pl.read_csv(fr.stdout.encode())["r\u00e9gion"].to_list() == ["Nord"]
    sheet = inproc(
        "capability", "t.tsv", "--value", "x", "--usl", "11", "--sheet", "s1", cwd=tmp_path
    )
    assert sheet.returncode == 4 and "--sheet" in sheet.stderr


def test_a_decimal_after_ten_thousand_whole_numbers_is_read(tmp_path):
    """Column types come from the first 10,000 rows; a later decimal makes a full pass."""
    (tmp_path / "late.csv").write_text("x\n" + "1\n2\n" * 5_001 + "1.5\n")
    out = ok(
        "capability",
        "late.csv",
        "--value",
        "x",
        "--usl",
        "3",
        "--format",
        "json",
        runner=inproc,
        cwd=tmp_path,
    )
    data = json.loads(out.stdout)
    assert data["n"] == 10_003 and data["mean"] == qs.capability([1, 2] * 5_001 + [1.5], usl=3).mean


def test_json_has_null_for_an_unbounded_limit(tmp_path, rings):
    rings.write_csv(tmp_path / "rings.csv")
    out = ok(
        "capability",
        "rings.csv",
        "--value",
        "diameter",
        "--lsl",
        "73.95",
        "--usl",
        "74.05",
        "--bound",
        "lower",
        "--format",
        "json",
        runner=inproc,
        cwd=tmp_path,
    )
    data = json.loads(out.stdout)  # strict JSON: no NaN or Infinity tokens
    res = qs.capability(rings["diameter"], 73.95, 74.05, bound="lower")
    assert data["intervals"]["cpk"] == [res.interval("cpk").lower, None]
    assert "Infinity" not in out.stdout and "NaN" not in out.stdout


def test_output_file_holds_what_stdout_would(tmp_path):
    shown = ok("oc", "--n", "80", "--ac", "2", "--format", "json", runner=inproc).stdout
    quiet = ok(
        "oc",
        "--n",
        "80",
        "--ac",
        "2",
        "--format",
        "json",
        "--output",
        "oc.json",
        runner=inproc,
        cwd=tmp_path,
    )
    assert quiet.stdout == "" and (tmp_path / "oc.json").read_text() == shown
    mask = os.umask(0)
    os.umask(mask)
    assert (tmp_path / "oc.json").stat().st_mode & 0o777 == 0o666 & ~mask
    assert os.listdir(tmp_path) == ["oc.json"]


# -- what a lab sees: units, whole tables, warnings (issue 13 trial) ---------------------


def test_rates_json_target_is_a_fraction_as_every_quality_of_the_output(tmp_path, checks):
    for target in ("95%", "0.95"):
        out = in_json(
            "rates",
            tmp_path / "checks.csv",
            "--passed",
            "ok",
            "--inspected",
            "n",
            "--by",
            "region",
            "--target",
            target,
        )
        assert out["target"] == 0.95
        expected = qs.pass_rates(checks, passed="ok", inspected="n", by="region", target=0.95)
        assert out["rows"] == jsonable(expected.sort("region"))


def test_design_of_a_variables_plan_names_no_attribute_model():
    out = inproc("design", "--aql", "1%", "--lq", "10%", "--variables")
    assert out.returncode == 0 and "model" not in out.stdout.splitlines()[0]
    assert in_json("design", "--aql", "1%", "--lq", "10%", "--variables")["model"] is None
    attribute = inproc("design", "--aql", "1%", "--lq", "5%")
    assert "(binomial model)" in attribute.stdout.splitlines()[0]


def test_a_wide_table_keeps_every_column_name_whole(tmp_path):
    rng = np.random.default_rng(5)
    frame = pl.DataFrame({"machine": np.repeat(["m1", "m2"], 30), "x": rng.normal(10, 1, 60)})
    frame.write_csv(tmp_path / "parts.csv")
    argv = ("capability", tmp_path / "parts.csv", "--value", "x", "--by", "machine")
    text = ok(*argv, "--lsl", "7", "--usl", "13", "--columns", "all", runner=inproc).stdout
    header = next(line for line in text.splitlines() if line.startswith("| machine"))
    names = [c.strip() for c in header.strip("|").split("|")]
    expected = qs.capability_by(frame, value="x", by="machine", lsl=7, usl=13, columns="all")
    assert names == expected.columns


def test_plot_warnings_are_one_line_each_never_python_warnings(tmp_path, monkeypatch):
    """Labels the plot's font cannot draw (Chinese region names in matplotlib's default
    font) make one warning line naming them, not one Python warning per character."""
    records = pl.DataFrame(
        {"region": ["北京", "上海", "Zürich"], "ok": [57, 40, 19], "n": [60, 50, 20]}
    )
    records.write_csv(tmp_path / "checks.csv")
    argv = (
        "rates",
        tmp_path / "checks.csv",
        "--passed",
        "ok",
        "--inspected",
        "n",
        "--by",
        "region",
    )
    out = ok(*argv, "--plot", tmp_path / "forest.png")
    assert (tmp_path / "forest.png").read_bytes()[:8] == PNG
    lines = out.stderr.splitlines()
    assert all(line.startswith("qualstat rates: warning: ") for line in lines), out.stderr
    assert len(lines) == len(set(lines)) <= 1
    if lines:  # no font on this machine draws the Chinese labels
        assert "empty boxes" in lines[0] and "北" in lines[0]
    # a warning while drawing is reported the same way, once
    draw = qs.plot_pass_rates

    def warn_twice(*args, **kwargs):
        warnings.warn("first line\nsecond line", UserWarning, stacklevel=1)
        warnings.warn("first line\nsecond line", UserWarning, stacklevel=1)
        return draw(*args, **kwargs)

    monkeypatch.setattr(qs, "plot_pass_rates", warn_twice)
    out = ok(*argv, "--plot", tmp_path / "forest.png", runner=inproc)
    assert out.stderr.splitlines().count("qualstat rates: warning: first line") == 1
    assert "second line" not in out.stderr and "UserWarning" not in out.stderr


@pytest.mark.parametrize(
    "name", ["lot", "label", "lot_size", "nonconforming", "state", "n", "decision", "outcome"]
)
def test_scheme_lot_named_like_a_history_column(tmp_path, name):
    """``--lot`` may name any column, one named like a column of the history too (or the
    lot sizes, or the counts): it is copied as ``label``; the history is the API's."""
    lots = pl.DataFrame({"lot_size": [500, 800, 1200], "nonconforming": [0, 4, 1]})
    if name not in lots.columns:
        lots = lots.with_columns(pl.Series(name, ["a", "b", "c"]))
    lots.write_csv(tmp_path / "lots.csv")
    history = as_csv("scheme", tmp_path / "lots.csv", "--aql", "2.5", "--lot", name)
    expected = qs.iso2859_1.Scheme(2.5).run(lots.select("lot_size", "nonconforming"))
    assert history["label"].cast(pl.String).to_list() == lots[name].cast(pl.String).to_list()
    assert_frame_equal(history.drop("label"), expected, check_exact=True, check_dtypes=False)


def test_scheme_lot_size_is_named_as_in_net_content_a_column_or_one_number(tmp_path):
    """``--lot-size`` as ``net-content --lot-size``: a column, or one number for every lot
    (``--lot-size-column`` still works)."""
    lots = pl.DataFrame({"size": [500, 500, 500], "nonconforming": [0, 4, 1]})
    lots.write_csv(tmp_path / "lots.csv")
    expected = qs.iso2859_1.Scheme(2.5).run(lot_size=[500] * 3, nonconforming=[0, 4, 1])
    argv = ("scheme", tmp_path / "lots.csv", "--aql", "2.5")
    for given in (("--lot-size", "size"), ("--lot-size", "500"), ("--lot-size-column", "size")):
        out = in_json(*argv, *given)
        assert out["history"] == jsonable(expected)
    bad = inproc(*argv, "--lot-size", "lot_size")
    assert bad.returncode == 4 and "--lot-size = 'lot_size' is neither" in bad.stderr


def test_csv_writes_an_unbounded_limit_as_an_empty_cell(tmp_path, rings):
    """A one-sided interval's infinite limit (null in JSON) is an empty CSV cell, which
    spreadsheets, polars and pandas read as missing (``inf`` would be text in Excel)."""
    rings.write_csv(tmp_path / "rings.csv")
    args = ("capability", tmp_path / "rings.csv", "--value", "diameter", "--lsl", "73.95")
    args += ("--usl", "74.05", "--bound", "lower")
    study = in_json(*args)
    assert study["intervals"]["cpk"][1] is None  # unbounded above
    text = ok(*args, "--format", "csv", runner=inproc).stdout
    assert "inf" not in text.lower() and "nan" not in text.lower()
    header, row = text.splitlines()
    cells = dict(zip(header.split(","), row.split(","), strict=True))
    assert cells["cpk_upper"] == "" and float(cells["cpk_lower"]) == study["intervals"]["cpk"][0]
    pandas = pytest.importorskip("pandas")
    assert pandas.isna(pandas.read_csv(io.StringIO(text))["cpk_upper"][0])
