"""``qualstat chart``: control charts of a file, through the installed command and in process.

The points, limits and rules of every chart type equal those of ``qs.control`` on
the same data at full precision (CSV and JSON carry shortest round-trip floats);
the piston rings also reproduce qcc's printed limits (``reference/spc_notes.md``).
"""

from __future__ import annotations

import json
import os

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal
from test_cli import DATASETS, PNG, as_json, inproc, ok, run

import qualstat as qs
from qualstat.cli._io import jsonable


def _dataset(name: str) -> pl.DataFrame:
    return pl.read_csv(DATASETS / name, comment_prefix="#")


@pytest.fixture
def files(tmp_path):
    """The qcc data sets as plain CSV files in ``tmp_path``."""
    for name in ("pistonrings", "viscosity", "orangejuice", "circuit"):
        _dataset(f"{name}.csv").write_csv(tmp_path / f"{name}.csv")
    return tmp_path


def expected_table(chart) -> pl.DataFrame:
    """What the command prints for one chart, from the API: its table, every rule broken
    at each point (", "-joined), a CUSUM's sums, and the chart's name in front."""
    table = chart.table
    every = dict(
        zip(
            chart.violations["point"].to_list(),
            (", ".join(r) for r in chart.violations["rules"].to_list()),
            strict=True,
        )
    )
    table = table.with_columns(
        pl.Series("rules", [every.get(i) for i in range(table.height)], dtype=pl.String)
    )
    if isinstance(chart, qs.control.CusumChart):
        table = table.with_columns(pl.Series("upper", chart.upper), pl.Series("lower", chart.lower))
    return table.select(pl.lit(chart.name).alias("chart"), pl.all())


def charts_of(result):
    return result.charts if isinstance(result, qs.control.Pair) else (result,)


def test_xbar_r_of_the_piston_rings_reproduces_qcc_and_equals_the_api(files):
    rings = _dataset("pistonrings.csv")
    args = ("--type", "xbar_r", "--value", "diameter", "--subgroups", "sample")
    out = as_json(
        "chart", files / "pistonrings.csv", *args, "--phase1", "trial", "--constants", "qcc"
    )
    xbar, r = out["charts"]
    # qcc vignette, qcc(diameter[trial], type = "xbar") and "R": printed digits
    assert xbar["table"][0]["center"] == pytest.approx(74.00118, abs=5e-6)
    assert xbar["sigma"] == pytest.approx(0.009785039, rel=5e-7)
    assert xbar["table"][0]["lcl"] == pytest.approx(73.98805, abs=5e-6)
    assert xbar["table"][0]["ucl"] == pytest.approx(74.0143, abs=5e-5)
    assert r["table"][0]["center"] == pytest.approx(0.02276, abs=5e-6)
    assert r["table"][0]["ucl"] == pytest.approx(0.04812533, rel=5e-7)
    # Montgomery: subgroups 37-39 of phase II are beyond the limits
    flagged = [p["subgroup"] for p in xbar["table"] if p["rule"] is not None]
    assert flagged == [37, 38, 39] and out["signals"] == 3
    assert [p["rules"] for p in xbar["table"] if p["rule"]] == ["we 1"] * 3
    trial = rings["trial"].to_numpy().reshape(40, 5)[:, 0]
    api = qs.control.xbar_r(
        rings["diameter"], subgroups=rings["sample"], phase1=trial, constants="qcc"
    )
    for got, chart in zip(out["charts"], api.charts, strict=True):
        expected = jsonable({**chart.to_dict(), "table": expected_table(chart)})
        assert got == json.loads(json.dumps(expected))  # every field and every point, exactly


CASES = [
    # (file, argv after the file, the API call on the same data)
    (
        "viscosity.csv",
        ["--type", "imr", "--value", "viscosity", "--phase1", "20", "--rules", "nelson"],
        lambda d: qs.control.imr(d["viscosity"], phase1=np.arange(d.height) < 20, rules="nelson"),
    ),
    (
        "orangejuice.csv",
        ["--type", "p", "--value", "D", "--inspected", "size", "--phase1", "trial"],
        lambda d: qs.control.p(d["D"], d["size"], phase1=d["trial"].to_numpy()),
    ),
    (
        "orangejuice.csv",
        ["--type", "np", "--value", "D", "--inspected", "50", "--rules", "we:1", "we:4"],
        lambda d: qs.control.np(d["D"], 50, rules=[("we", 1), ("we", 4)]),
    ),
    (
        "orangejuice.csv",
        [
            "--type",
            "p",
            "--value",
            "D",
            "--inspected",
            "size",
            "--limits",
            "probability",
            "--confidence",
            "0.99",
        ],
        lambda d: qs.control.p(d["D"], d["size"], limits="probability", confidence=0.99),
    ),  # fmt: skip
    (
        "circuit.csv",
        ["--type", "c", "--value", "x", "--stages", "trial", "--rules", "we"],
        lambda d: qs.control.c(d["x"], stages=d["trial"].to_numpy(), rules="we"),
    ),
    (
        "circuit.csv",
        ["--type", "u", "--value", "x", "--inspected", "size", "--L", "2.5"],
        lambda d: qs.control.u(d["x"], d["size"], L=2.5),
    ),
    (
        "circuit.csv",
        ["--type", "g", "--value", "x", "--center", "20"],
        lambda d: qs.control.g(d["x"], center=20.0),
    ),
    (
        "orangejuice.csv",
        ["--type", "p_prime", "--value", "D", "--inspected", "size", "--axis", "categorical"],
        lambda d: qs.control.p_prime(d["D"], d["size"], axis="categorical"),
    ),
    (
        "circuit.csv",
        ["--type", "u_prime", "--value", "x", "--inspected", "size", "--constants", "qcc"],
        lambda d: qs.control.u_prime(d["x"], d["size"], constants="qcc"),
    ),
    (
        "viscosity.csv",
        [
            "--type",
            "cusum",
            "--value",
            "viscosity",
            "--k",
            "0.5",
            "--h",
            "4",
            "--head-start",
            "2",
            "--no-standardized",
            "--phase1",
            "trial",
        ],
        lambda d: qs.control.cusum(
            d["viscosity"],
            k=0.5,
            h=4.0,
            head_start=2.0,
            standardized=False,
            phase1=d["trial"].to_numpy(),
        ),
    ),  # fmt: skip
    (
        "pistonrings.csv",
        [
            "--type",
            "ewma",
            "--value",
            "diameter",
            "--subgroup-size",
            "5",
            "--lam",
            "0.1",
            "--L",
            "2.7",
            "--limits",
            "asymptotic",
            "--rules",
            "we",
            "--revise",
        ],
        lambda d: qs.control.ewma(
            d["diameter"], subgroup_size=5, lam=0.1, L=2.7, limits="asymptotic", rules="we"
        ).revise(),
    ),  # fmt: skip
    (
        "pistonrings.csv",
        [
            "--type",
            "xbar_s",
            "--value",
            "diameter",
            "--subgroup-size",
            "5",
            "--sigma",
            "0.01",
            "--center",
            "74",
            "--rules",
            "nelson:1",
            "nelson:2",
        ],
        lambda d: qs.control.xbar_s(
            d["diameter"],
            subgroup_size=5,
            sigma=0.01,
            center=74.0,
            rules=[("nelson", 1), ("nelson", 2)],
        ),
    ),  # fmt: skip
]


@pytest.mark.parametrize(("name", "argv", "api"), CASES, ids=[" ".join(c[1][:2]) for c in CASES])
def test_every_chart_type_equals_the_api(files, name, argv, api):
    out = ok("chart", name, *argv, "--format", "csv", runner=inproc, cwd=files)
    result = api(_dataset(name))
    expected = pl.concat([expected_table(c) for c in charts_of(result)], how="diagonal_relaxed")
    got = pl.read_csv(out.stdout.encode(), schema_overrides={"rules": pl.String})
    assert_frame_equal(got, expected, check_exact=True, check_dtypes=False)
    data = json.loads(ok("chart", name, *argv, "--format", "json", runner=inproc, cwd=files).stdout)
    assert data["signals"] == sum(c.violations.height for c in charts_of(result))
    text = ok("chart", name, *argv, runner=inproc, cwd=files).stdout
    assert all(c._summary() in text for c in charts_of(result))


STAGED = [
    ["--type", "xbar_r", "--value", "x", "--subgroups", "sample"],
    ["--type", "xbar_s", "--value", "x", "--subgroup-size", "2"],
    ["--type", "imr", "--value", "x"],
    ["--type", "p", "--value", "d", "--inspected", "size"],
    ["--type", "np", "--value", "d", "--inspected", "60"],
    ["--type", "c", "--value", "d"],
    ["--type", "u", "--value", "d", "--inspected", "size"],
    ["--type", "g", "--value", "d"],
    ["--type", "p_prime", "--value", "d", "--inspected", "size"],
    ["--type", "u_prime", "--value", "d", "--inspected", "size"],
    ["--type", "cusum", "--value", "x"],
    ["--type", "ewma", "--value", "x"],
]


@pytest.mark.parametrize("argv", STAGED, ids=[a[1] for a in STAGED])
def test_every_chart_type_with_stages_writes_csv(tmp_path, argv):
    """String stage labels (and string subgroup labels) come out as CSV text columns."""
    rng = np.random.default_rng(8)
    rows = 24
    frame = pl.DataFrame(
        {
            "x": rng.normal(10.0, 1.0, rows),
            "d": rng.integers(1, 9, rows),
            "size": np.full(rows, 60),
            "sample": np.repeat([f"s{i:02d}" for i in range(rows // 2)], 2),
            "shift": ["night"] * 12 + ["day"] * 12,
        }
    )
    frame.write_csv(tmp_path / "staged.csv")
    runner = run if argv[1] == "imr" else inproc  # the installed command once
    out = ok("chart", "staged.csv", *argv, "--stages", "shift", "--format", "csv",
             runner=runner, cwd=tmp_path)  # fmt: skip
    got = pl.read_csv(out.stdout.encode(), schema_overrides={"rules": pl.String})
    stages = got["stage"].to_list()
    assert set(stages) == {"night", "day"} and stages.index("day") > 0
    if argv[1] == "xbar_r":
        assert (
            got.filter(pl.col("chart") == "xbar")["subgroup"].to_list()
            == frame["sample"].unique(maintain_order=True).to_list()
        )


def test_imr_phase1_count_equals_the_mask_and_plot_is_written(files):
    png = files / "imr.png"
    data = as_json(
        "chart", "viscosity.csv", "--type", "imr", "--value", "viscosity", "--phase1", "trial",
        "--plot", png, cwd=files,
    )  # fmt: skip
    by_count = as_json(
        "chart", "viscosity.csv", "--type", "imr", "--value", "viscosity", "--phase1", "20",
        runner=inproc, cwd=files,
    )  # fmt: skip
    assert data == by_count  # viscosity's trial column marks the first 20 batches
    assert png.read_bytes()[:8] == PNG


def test_rules_none_is_the_apis_default(files):
    argv = ("chart", "viscosity.csv", "--value", "viscosity", "--format", "json")
    for chart in ("imr", "cusum"):
        default = as_json(*argv[:2], "--type", chart, *argv[2:4], runner=inproc, cwd=files)
        none = as_json(
            *argv[:2], "--type", chart, *argv[2:4], "--rules", "none", runner=inproc, cwd=files
        )
        assert none == default
    assert [r for c in default["charts"] for r in c["rules"]] == ["cusum 1", "cusum 2"]


def test_cusum_plot_and_text_table(files):
    png = files / "cusum.png"
    out = ok(
        "chart", "viscosity.csv", "--type", "cusum", "--value", "viscosity", "--plot", png,
        runner=inproc, cwd=files,
    )  # fmt: skip
    assert png.read_bytes()[:8] == PNG
    assert "| upper" in out.stdout and "point(s) flagged in all" in out.stdout


def test_subgroups_in_any_row_order_and_labels(files):
    """Rows of a subgroup need not be together; the points follow the labels' first
    appearance, as the API orders them."""
    rng = np.random.default_rng(5)
    labels = np.repeat([f"s{i:02d}" for i in range(12)], 4)
    rng.shuffle(labels)
    frame = pl.DataFrame({"batch": labels, "x": rng.normal(10, 1, labels.size)})
    frame = frame.with_columns((pl.col("batch").str.slice(1).cast(pl.Int64) < 8).alias("first8"))
    frame.write_csv(files / "shuffled.csv")
    data = as_json(
        "chart", "shuffled.csv", "--type", "xbar_s", "--value", "x", "--subgroups", "batch",
        "--phase1", "first8", runner=inproc, cwd=files,
    )  # fmt: skip
    first = frame["batch"].unique(maintain_order=True)
    mask = (first.str.slice(1).cast(pl.Int64) < 8).to_numpy()
    api = qs.control.xbar_s(frame["x"], subgroups=frame["batch"], phase1=mask)
    assert [p["subgroup"] for p in data["charts"][0]["table"]] == first.to_list()
    assert data["charts"][0]["table"] == jsonable(expected_table(api.xbar))


def _bad_files(folder):
    _dataset("pistonrings.csv").write_csv(folder / "rings.csv")
    _dataset("orangejuice.csv").write_csv(folder / "juice.csv")
    (folder / "empty.csv").write_text("")
    (folder / "header.csv").write_text("x,n\n")
    (folder / "gaps.csv").write_text("x\n1.0\n2.0\n\n3.0\nNaN\n")
    (folder / "words.csv").write_text("x\n1.0\nlow\n")
    (folder / "mixed.csv").write_text("x,g,p\n1,a,true\n2,a,false\n3,b,true\n4,b,true\n")


BAD = [
    # (exit code, words the message must contain, argv)
    (4, "type = 'pareto' is not recognised", ["juice.csv", "--type", "pareto", "--value", "D"]),
    (3, "--value 'd' is not a column", ["juice.csv", "--type", "c", "--value", "d"]),
    (4, "--inspected = 'n' is neither a number nor a column", ["juice.csv", "--type", "p",
                                                              "--value", "D", "--inspected", "n"]),
    (3, "the file is empty", ["empty.csv", "--type", "imr", "--value", "x"]),
    (3, "no rows", ["header.csv", "--type", "imr", "--value", "x"]),
    (3, "must hold numbers", ["words.csv", "--type", "imr", "--value", "x"]),
    (3, "expected a finite number", ["gaps.csv", "--type", "imr", "--value", "x"]),
    (3, "whole number", ["rings.csv", "--type", "c", "--value", "diameter"]),
    (3, "at most sizes[0]", ["juice.csv", "--type", "p", "--value", "D", "--inspected", "5"]),
    (4, "--inspected is required", ["juice.csv", "--type", "p", "--value", "D"]),
    (4, "--inspected is for", ["juice.csv", "--type", "c", "--value", "D", "--inspected", "5"]),
    (4, "--lam is not an option of a p chart", ["juice.csv", "--type", "p", "--value", "D",
                                                "--inspected", "size", "--lam", "0.2"]),
    (4, "needs --subgroups", ["rings.csv", "--type", "xbar_r", "--value", "diameter"]),
    (4, "--rules: rule_set = \"all\"", ["juice.csv", "--type", "c", "--value", "D",
                                         "--rules", "all"]),
    (4, "--rules 'we:one'", ["juice.csv", "--type", "c", "--value", "D", "--rules", "we:one"]),
    (4, "decision interval", ["juice.csv", "--type", "cusum", "--value", "D", "--rules", "we"]),
    (4, "--L", ["juice.csv", "--type", "c", "--value", "D", "--L", "0"]),
    (4, "--phase1 = 99", ["juice.csv", "--type", "c", "--value", "D", "--phase1", "99"]),
    (4, "neither a whole number nor a column", ["juice.csv", "--type", "c", "--value", "D",
                                                "--phase1", "first"]),
    (3, "must hold true/false", ["juice.csv", "--type", "c", "--value", "D", "--phase1", "D"]),
    (3, "differs within a subgroup: False in row 1, True in row 0",
     ["mixed.csv", "--type", "xbar_r", "--value", "x", "--subgroups", "g", "--phase1", "p"]),
    (4, "--subgroup-size", ["rings.csv", "--type", "xbar_r", "--value", "diameter",
                            "--subgroup-size", "3"]),
    (4, "--plot", ["juice.csv", "--type", "c", "--value", "D", "--plot", "chart.xyz"]),
    (2, "invalid number", ["juice.csv", "--type", "c", "--value", "D", "--L", "wide"]),
    (2, "required: --type", ["juice.csv", "--value", "D"]),
]  # fmt: skip


@pytest.mark.parametrize(("code", "words", "argv"), BAD, ids=[" ".join(b[2])[:50] for b in BAD])
def test_bad_input_is_one_line_and_writes_nothing(tmp_path, code, words, argv):
    _bad_files(tmp_path)
    (tmp_path / "result.csv").write_text("old\n")
    outputs = [] if code == 2 else ["--output", "result.csv", "--plot", "chart.png"]
    if "--plot" in argv:
        outputs = ["--output", "result.csv"]
    out = inproc("chart", *argv, *outputs, cwd=tmp_path)
    assert out.returncode == code, out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("qualstat chart: error: "), out.stderr
    assert words in lines[0], lines[0]
    assert out.stdout == ""
    assert (tmp_path / "result.csv").read_text() == "old\n"
    assert not (tmp_path / "chart.png").exists()
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".")]


def test_bad_input_through_the_installed_command(tmp_path):
    _bad_files(tmp_path)
    for code in (2, 3, 4):
        argv = next(b[2] for b in BAD if b[0] == code)
        out = run("chart", *argv, cwd=tmp_path)
        assert out.returncode == code and "Traceback" not in out.stderr, out.stderr
        assert len(out.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("name", ["_point", "_row", "_first"])
def test_stages_column_named_like_a_working_column(tmp_path, name):
    """--stages NAME reads one label per point through working columns of its own: a
    column of the file with one of their names gives the chart of any other name."""
    rng = np.random.default_rng(9)
    frame = pl.DataFrame({"x": rng.normal(10.0, 1.0, 20), "shift": ["a"] * 10 + ["b"] * 10})
    frame.write_csv(tmp_path / "plain.csv")
    frame.rename({"shift": name}).write_csv(tmp_path / "named.csv")
    argv = ("--type", "imr", "--value", "x", "--format", "csv")
    plain = ok("chart", "plain.csv", *argv, "--stages", "shift", runner=inproc, cwd=tmp_path)
    named = ok("chart", "named.csv", *argv, "--stages", name, runner=inproc, cwd=tmp_path)
    assert named.stdout == plain.stdout and "a" in plain.stdout
