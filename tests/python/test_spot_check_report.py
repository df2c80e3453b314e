"""qs.spot_check_report: every number is the standalone function's on the same counts.

The unit counts are recomputed here with polars from the records (not through
pass_rates), each table is compared with the standalone function called on
those counts (pass_rates, funnel, shrink, rank_intervals), the summary's
counts and names with the tables, and the HTML file is parsed with
html.parser and checked to need nothing outside itself.
"""

from __future__ import annotations

import base64
from datetime import date
from html.parser import HTMLParser

import matplotlib
import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal, assert_series_equal

import qualstat as qs

matplotlib.use("Agg")

REGIONS = [f"R{i:02d}" for i in range(1, 16)]
PERIODS = ["2025-10", "2025-11", "2025-12"]


def _records(seed: int = 7) -> pl.DataFrame:
    """Several records per region and month; two regions well below 95 %."""
    rng = np.random.default_rng(seed)
    true = rng.beta(40, 1.5, len(REGIONS))
    true[[3, 11]] = [0.8, 0.8]
    rows = []
    for r, p in zip(REGIONS, true, strict=True):
        for month in PERIODS:
            for _ in range(int(rng.integers(1, 4))):
                n = int(rng.integers(2, 40))
                rows.append(
                    (r, "food" if rng.random() < 0.5 else "toys", month, n, int(rng.binomial(n, p)))
                )
    return pl.DataFrame(rows, schema=["region", "product", "month", "batches", "ok"], orient="row")


RECORDS = _records()


def _counts(records: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    return (
        records.group_by(keys)
        .agg(pl.col("ok").sum().alias("passed"), pl.col("batches").sum().alias("inspected"))
        .sort(keys)
    )


@pytest.fixture(scope="module")
def report() -> qs.SpotCheckReport:
    return qs.spot_check_report(
        RECORDS, passed="ok", inspected="batches", by="region", target="95%", draws=4000, seed=3
    )


def test_counts_rates_and_verdicts_equal_pass_rates(report):
    counts = _counts(RECORDS, ["region"])
    assert report.units["region"].to_list() == counts["region"].to_list()
    assert report.units["passed"].to_list() == counts["passed"].to_list()
    assert report.units["inspected"].to_list() == counts["inspected"].to_list()
    alone = qs.pass_rates(RECORDS, passed="ok", inspected="batches", by="region", target=0.95)
    assert_frame_equal(report.rates, alone)
    cols = [
        "region",
        "passed",
        "inspected",
        "rate",
        "lower",
        "upper",
        "p_value",
        "p_adjusted",
        "verdict",
    ]
    assert_frame_equal(report.units.select(cols), alone.select(cols))
    # the two planted shortfalls are found
    below = report.units.filter(pl.col("verdict") == "below target")["region"].to_list()
    assert {"R04", "R12"} <= set(below)


def test_funnel_shrink_and_ranks_equal_the_standalone_functions(report):
    counts = _counts(RECORDS, ["region"])
    x, n, labels = counts["passed"], counts["inspected"], counts["region"]
    f = qs.funnel(x, n, labels=labels)
    assert report.funnel is not None
    assert_frame_equal(report.funnel.table.drop("region"), f.table)
    assert (report.funnel.target, report.funnel.phi, report.funnel.tau2) == (
        f.target,
        f.phi,
        f.tau2,
    )
    s = qs.shrink(x, n, labels=labels)
    assert report.shrinkage is not None
    assert (report.shrinkage.alpha, report.shrinkage.beta) == (s.alpha, s.beta)
    assert_frame_equal(report.shrinkage.table.drop("region"), s.table)
    r = qs.rank_intervals(x, n, labels=labels, draws=4000, seed=3)
    assert_frame_equal(report.ranks.drop("region"), r)
    u = report.units
    assert_series_equal(u["z"], f.table["z"])
    assert_series_equal(u["class"], f.table["class"])
    assert_series_equal(u["posterior_mean"], s.table["posterior_mean"])
    assert_series_equal(u["credible_lower"], s.table["lower"], check_names=False)
    assert_series_equal(u["credible_upper"], s.table["upper"], check_names=False)
    for c in ("rank_median", "rank_lower", "rank_upper", "p_upper_half"):
        assert_series_equal(u[c], r[c])


def test_summary_states_the_tables(report):
    u = report.units
    lines = report.summary
    x, n = int(u["passed"].sum()), int(u["inspected"].sum())
    assert lines[0].startswith(f"15 units: {x:,} of {n:,} checks passed")
    below = u.filter(pl.col("verdict") == "below target").sort("rate")
    line = next(s for s in lines if "credibly below" in s)
    assert line.startswith(f"{below.height} of 15 units credibly below the 95 % target: ")
    for name in below["region"]:
        assert name in line
    assert "exact binomial one-sided tests, Holm-adjusted, at the 5 % level" in line
    low = u.filter(pl.col("class") == "Low (0.001)")["region"].to_list()
    funnel_line = next(s for s in lines if s.startswith("Funnel"))
    assert low, "the planted shortfalls are funnel outliers"
    assert funnel_line.split("above them")[0].endswith(", ".join(low) + "; ")
    top = u.sort(["rank_median", "rank_lower", "label"]).row(0, named=True)
    top_line = next(s for s in lines if s.startswith("Highest"))
    assert (
        f"{top['region']} (rank {top['rank_median']}, 95 % interval "
        f"{top['rank_lower']}-{top['rank_upper']})" in top_line
    )
    assert repr(report).startswith("SpotCheckReport(by region; target 95 %)")
    assert all(f"- {s}" in repr(report) for s in lines)


def test_period_trend_and_latest_period():
    rep = qs.spot_check_report(
        RECORDS,
        passed="ok",
        inspected="batches",
        by="region",
        period="month",
        target=0.95,
        draws=500,
    )
    assert rep.latest == "2025-12" and rep.period == "month"
    latest = RECORDS.filter(pl.col("month") == "2025-12")
    alone = qs.spot_check_report(
        latest, passed="ok", inspected="batches", by="region", target=0.95, draws=500
    )
    assert_frame_equal(rep.units, alone.units)
    assert rep.trend is not None
    assert rep.trend.columns[:2] == ["region", "month"]
    for month in PERIODS:
        part = RECORDS.filter(pl.col("month") == month)
        want = qs.pass_rates(part, passed="ok", inspected="batches", by="region", target=0.95)
        got = rep.trend.filter(pl.col("month") == month).drop("month")
        assert_frame_equal(got, want)  # the tests are adjusted within each period
    assert rep.trend.height == _counts(RECORDS, ["region", "month"]).height
    fig = rep.trend_plot(max_units=6)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(visible) == 6
    lowest = rep.units.sort("posterior_mean").head(6)["label"].to_list()
    assert [ax.get_title() for ax in visible] == lowest
    assert "Pass rate by month" in rep.to_html()


def test_multi_key_units_are_joinable_and_labelled():
    rep = qs.spot_check_report(
        RECORDS,
        passed="ok",
        inspected="batches",
        by=["region", "product"],
        target=None,
        draws=300,
    )
    counts = _counts(RECORDS, ["region", "product"])
    assert rep.units.height == counts.height
    assert rep.units["label"][0] == f"{counts['region'][0]}, {counts['product'][0]}"
    joined = rep.units.select("region", "product", "rate").join(rep.ranks, on=["region", "product"])
    assert joined.height == counts.height
    assert rep.target is None and "verdict" not in rep.units.columns


def test_pandas_and_lazy_frames_give_the_same_report(report):
    pandas = pd.DataFrame({c: RECORDS[c].to_list() for c in RECORDS.columns})
    for frame in (pandas, RECORDS.lazy()):
        other = qs.spot_check_report(
            frame,
            passed="ok",
            inspected="batches",
            by="region",
            target="95%",
            draws=4000,
            seed=3,
        )
        assert_frame_equal(other.units, report.units)


def test_one_item_per_row_records():
    items = pl.DataFrame(
        {
            "line": ["A"] * 30 + ["B"] * 40 + ["C"] * 20,
            "ok": [True] * 29 + [False] + [True] * 33 + [False] * 7 + [True] * 20,
        }
    )
    rep = qs.spot_check_report(items, passed="ok", by="line", target=0.9, draws=300)
    assert rep.units.select("line", "passed", "inspected").rows() == [
        ("A", 29, 30),
        ("B", 33, 40),
        ("C", 20, 20),
    ]


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.open: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in ("img", "meta", "br", "link"):
            self.open.append(tag)

    def handle_endtag(self, tag):
        assert self.open and self.open[-1] == tag, (tag, self.open[-5:])
        self.open.pop()


class _Cells(HTMLParser):
    """The text of each table row, keyed by its first cell."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, list[str]] = {}
        self.row: list[str] | None = None
        self.cell = False

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.row = []
        self.cell = tag == "td"

    def handle_endtag(self, tag):
        if tag == "tr" and self.row:
            self.rows[self.row[0]] = self.row
        self.cell = False

    def handle_data(self, data):
        if self.cell and self.row is not None:
            self.row.append(data)


def test_html_file_is_self_contained_and_parses(report, tmp_path):
    path = tmp_path / "report.html"
    text = report.to_html(path)
    assert path.read_text(encoding="utf-8") == text
    for forbidden in ("http://", "https://", "<script", "<link", "url("):
        assert forbidden not in text
    parser = _Tags()
    parser.feed(text)
    parser.close()
    assert parser.open == []  # every element closed, in order
    images = [a for t, a in parser.tags if t == "img"]
    assert len(images) == 2  # forest and funnel (no period: no trend)
    for attrs in images:
        src = attrs["src"] or ""
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
    assert all("src" not in a or (a["src"] or "").startswith("data:") for _, a in parser.tags)
    rows = [t for t, _ in parser.tags if t == "tr"]
    assert len(rows) == 1 + report.units.height
    cells = _Cells()
    cells.feed(text)
    for region, rate, rank in report.units.select("region", "rate", "rank_median").iter_rows():
        row = cells.rows[region]
        assert f"{100 * rate:.1f} %" in row and str(rank) in row
    assert "<title>Spot-check report by region</title>" in text
    flagged = text.count('<tr class="flag">')
    assert flagged == (report.units["verdict"] == "below target").sum()
    notebook = report._repr_html_()
    assert notebook.startswith('<div class="qs-report">') and "body {" not in notebook
    _Tags().feed(notebook)


def test_plots(report):
    ax = report.forest_plot()
    labels = [t.get_text() for t in ax.get_yticklabels()]
    order = report.units.sort("posterior_mean", descending=True, maintain_order=True)
    assert labels == order["label"].to_list()
    red = {t.get_text() for t in ax.get_yticklabels() if t.get_color() == "tab:red"}
    assert red == set(report.units.filter(pl.col("verdict") == "below target")["label"])
    ax = report.funnel_plot()
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    pooled = report.units["passed"].sum() / report.units["inspected"].sum()
    assert "target 95 %" in legend
    assert f"pooled rate {100 * pooled:.1f} %" in legend
    with pytest.raises(ValueError, match="no trend"):
        report.trend_plot()
    d = report.to_dict()
    assert d["alpha"] == report.shrinkage.alpha and d["summary"] == report.summary
    assert_frame_equal(d["units"], report.units)


def test_all_units_perfect_falls_back_clearly():
    df = pl.DataFrame({"u": list("ABCD"), "ok": [10, 20, 5, 7], "n": [10, 20, 5, 7]})
    rep = qs.spot_check_report(df, passed="ok", inspected="n", by="u", draws=300)
    assert rep.funnel is None and rep.shrinkage is None and rep.rank_prior == "jeffreys"
    assert rep.units["class"].null_count() == 4
    assert rep.units["posterior_mean"].null_count() == 4
    text = " ".join(rep.summary)
    assert "No funnel" in text and "No shrunk rates" in text and "Jeffreys" in text
    r = qs.rank_intervals(
        [10, 20, 5, 7], [10, 20, 5, 7], labels=list("ABCD"), draws=300, prior="jeffreys"
    )
    assert_frame_equal(rep.ranks.drop("u"), r)
    assert "<img" in rep.to_html()  # the forest plot is still drawn
    with pytest.raises(ValueError, match="no funnel"):
        rep.funnel_plot()


def test_identical_units_have_a_funnel_but_no_shrinkage():
    df = pl.DataFrame({"u": list("ABC"), "ok": [9, 9, 9], "n": [10, 10, 10]})
    rep = qs.spot_check_report(df, passed="ok", inspected="n", by="u", draws=300)
    assert rep.funnel is not None and rep.shrinkage is None
    assert rep.units["class"].to_list() == ["Not significant"] * 3
    assert any("over-dispersion" in s for s in rep.notes)


BAD = pl.DataFrame(
    {
        "u": ["A", "A", "B", "C"],
        "ok": [5, 9, 8, 7],
        "n": [10, 10, 10, 10],
        "m": ["x", "y", "y", "y"],
    }
)


@pytest.mark.parametrize(
    ("kwargs", "frame", "exc", "words"),
    [
        ({"by": None}, BAD, ValueError, ["by is not given"]),
        ({"by": "zz"}, BAD, ValueError, ["zz", "not in the frame"]),
        ({"by": "rate"}, BAD, ValueError, ["by = 'rate'"]),
        ({"by": 3}, BAD, TypeError, ["by = 3"]),
        ({"target": 1.5}, BAD, ValueError, ["target = 1.5", "(0, 1)"]),
        ({"target": 0}, BAD, ValueError, ["target = 0"]),
        ({"target": "95"}, BAD, TypeError, ["target = '95'"]),
        ({"confidence": 1.0}, BAD, ValueError, ["confidence = 1.0"]),
        ({"limits": "wilsonish"}, BAD, ValueError, ["limits = 'wilsonish'"]),
        ({"levels": (0.95, 1.2)}, BAD, ValueError, ["levels"]),
        ({"overdispersion": "big"}, BAD, ValueError, ["overdispersion = 'big'"]),
        ({"prior": "flat"}, BAD, ValueError, ["prior = 'flat'"]),
        ({"adjust": "fdr"}, BAD, ValueError, ["adjust"]),
        ({"alternative": "below"}, BAD, ValueError, ["alternative"]),
        ({"test": "z"}, BAD, ValueError, ["test"]),
        ({"method": "magic"}, BAD, ValueError, ["method"]),
        ({"draws": 0}, BAD, ValueError, ["draws = 0"]),
        ({"seed": -1}, BAD, ValueError, ["seed = -1"]),
        ({"limits": 3}, BAD, TypeError, ["limits = 3"]),
        ({"period": "u"}, BAD, ValueError, ["period = 'u'"]),
        ({"period": "zz"}, BAD, ValueError, ["zz"]),
        (
            {},
            BAD.with_columns(pl.Series("ok", [5, 11, 8, 7])),
            ValueError,
            ["row 1", "u='A'", "more passed than inspected"],
        ),
        ({}, BAD.with_columns(pl.Series("ok", [5, -1, 8, 7])), ValueError, ["row 1", "u='A'"]),
        (
            {},
            BAD.with_columns(pl.Series("ok", [5.0, float("nan"), 8, 7])),
            ValueError,
            ["row 1", "u='A'"],
        ),
        ({}, BAD.with_columns(pl.Series("n", [10, 0, 10, 10])), ValueError, ["row 1", "u='A'"]),
        ({}, BAD.filter(pl.col("u") == "B"), ValueError, ["1 unit", "unit 'B'", "at least 2"]),
        (
            {"period": "m"},
            BAD.with_columns(pl.Series("m", ["x", "y", "x", "x"])),
            ValueError,
            ["1 unit in the latest period 'y' (unit 'A')"],
        ),
        (
            {"period": "m"},
            BAD.with_columns(
                pl.Series("m", [date(2024, 1, 1), date(2024, 2, 1)] + [date(2024, 1, 1)] * 2)
            ),
            ValueError,
            ["1 unit in the latest period 2024-02-01 (unit 'A')"],  # was datetime.date(...)
        ),
        ({}, BAD.head(0), ValueError, ["no unit", "no records"]),
        ({"passed": 1}, BAD, TypeError, ["passed = 1"]),
    ],
)
def test_bad_input_names_the_argument_and_the_unit(kwargs, frame, exc, words):
    args = {"passed": "ok", "inspected": "n", "by": "u", "draws": 200, **kwargs}
    with pytest.raises(exc) as info:
        qs.spot_check_report(frame, **args)
    for w in words:
        assert w in str(info.value), str(info.value)


def test_missing_period_is_named():
    df = pl.DataFrame({"u": list("ABC"), "ok": [5, 9, 8], "n": [10, 10, 10], "m": ["x", None, "y"]})
    with pytest.raises(ValueError, match="row 1: period column 'm' is missing"):
        qs.spot_check_report(df, passed="ok", inspected="n", by="u", period="m")


@given(
    st.lists(st.tuples(st.integers(1, 80), st.floats(0.5, 1.0)), min_size=2, max_size=25),
    st.sampled_from(["less", "two-sided"]),
)
@settings(max_examples=25, deadline=None)
def test_report_equals_the_standalone_functions_on_random_units(units, alternative):
    n = np.array([u[0] for u in units])
    x = np.array([round(u[0] * u[1]) for u in units])
    labels = [f"U{i:02d}" for i in range(len(units))]
    df = pl.DataFrame({"unit": labels, "ok": x, "n": n})
    rep = qs.spot_check_report(
        df, passed="ok", inspected="n", by="unit", target=0.9, alternative=alternative, draws=200
    )
    rates = qs.pass_rates(
        df, passed="ok", inspected="n", by="unit", target=0.9, alternative=alternative
    )
    assert_frame_equal(rep.rates, rates)
    if rep.funnel is not None:
        assert_frame_equal(rep.funnel.table.drop("unit"), qs.funnel(x, n, labels=labels).table)
    else:
        assert x.sum() in (0, n.sum())
    if rep.shrinkage is not None:
        s = qs.shrink(x, n, labels=labels)
        assert_frame_equal(rep.shrinkage.table.drop("unit"), s.table)
    r = qs.rank_intervals(x, n, labels=labels, draws=200, prior=rep.rank_prior)
    assert_frame_equal(rep.ranks.drop("unit"), r)
    below = int((rates["verdict"] == "below target").sum())
    assert any(s.startswith(f"{below} of {len(units)} units credibly below") for s in rep.summary)


@pytest.mark.parametrize("name", ["_shown", "_d"])
def test_unit_column_named_like_a_working_column(name):
    """The HTML trend table and the summary work through columns of their own: a unit
    column with one of their names gives the report of any other name."""
    args = dict(passed="ok", inspected="batches", period="month", target=0.95, draws=500)
    plain = qs.spot_check_report(RECORDS, by="region", **args)
    named = qs.spot_check_report(RECORDS.rename({"region": name}), by=name, **args)
    assert named.summary == plain.summary
    assert named.to_html().replace(name, "region") == plain.to_html()
