"""pass_rates: one item per row or counts per record, record checks that name
the row and group, one-sided bounds, and the forest plot."""

from __future__ import annotations

import matplotlib
import pandas as pd
import polars as pl
import pytest

import qualstat as qs

matplotlib.use("Agg")


def test_one_item_per_row_without_inspected():
    items = pl.DataFrame(
        {
            "line": ["A", "A", "A", "B", "B"],
            "ok": [True, True, False, True, True],
            "ok01": [1, 1, 0, 1, 1],
        }
    )
    for column in ("ok", "ok01"):
        out = qs.pass_rates(items, passed=column, by="line")
        assert out.select("line", "passed", "inspected").rows() == [("A", 2, 3), ("B", 2, 2)]
        ci = qs.proportion_ci(2, 3)
        assert (out["lower"][0], out["upper"][0]) == (ci.lower, ci.upper)
    # pandas, and the overall rate.
    total = qs.pass_rates(pd.DataFrame(items.to_dict(as_series=False)), passed="ok01")
    assert total.select("passed", "inspected").rows() == [(4, 5)]
    # A boolean pass column with an inspected column of ones is the same thing.
    ones = items.with_columns(pl.lit(1).alias("n"))
    same = qs.pass_rates(ones, passed="ok", inspected="n", by="line")
    assert same.equals(qs.pass_rates(items, passed="ok", by="line"))


def test_inspected_equal_to_passed_is_refused():
    """The old docstring suggested inspected=passed for a 0/1 column, which made
    every rate 100 %: it is an error now, pointing to the right call."""
    items = pl.DataFrame({"region": ["N", "S"], "passed": [1, 0]})
    with pytest.raises(ValueError, match="leave inspected out"):
        qs.pass_rates(items, passed="passed", inspected="passed", by="region")
    out = qs.pass_rates(items, passed="passed", by="region")
    assert out["rate"].to_list() == [1.0, 0.0]


RECORDS = {
    "region": ["N", "N", "S", "S"],
    "product": ["a", "b", "a", "b"],
    "ok": [5, 9, 7, 3],
    "n": [10, 10, 10, 10],
}


@pytest.mark.parametrize(
    ("column", "row", "value", "match"),
    [
        (
            "ok",
            2,
            11,
            r"row 2 \(group region='S', product='a'\): passed column 'ok' = 11 .*\[0, 10\]",
        ),
        ("ok", 1, -1, r"row 1 \(group region='N', product='b'\): passed column 'ok' = -1"),
        ("n", 3, 0, r"row 3 \(group region='S', product='b'\): inspected column 'n' = 0"),
        ("ok", 0, 2.5, r"row 0 \(group region='N', product='a'\): passed column 'ok' = 2.5"),
        ("ok", 3, float("nan"), r"row 3 .*passed column 'ok' = nan"),
        ("n", 1, None, r"row 1 .*inspected column 'n' = (None|nan)"),
    ],
)
def test_each_record_is_checked_before_grouping(column, row, value, match):
    data = {k: list(v) for k, v in RECORDS.items()}
    data[column][row] = value
    frame = pl.DataFrame(data, strict=False)
    with pytest.raises(ValueError, match=match):
        qs.pass_rates(frame, passed="ok", inspected="n", by=["region", "product"])
    with pytest.raises(ValueError, match=match):
        qs.pass_rates(pd.DataFrame(data), passed="ok", inspected="n", by=["region", "product"])


def test_a_negative_row_inside_a_group_is_an_error():
    """5/10 and -1/10 sum to 4/20, which looks valid after grouping."""
    frame = pl.DataFrame({"region": ["N", "N", "S"], "ok": [5, -1, 3], "n": [10, 10, 4]})
    with pytest.raises(ValueError, match=r"row 1 \(group region='N'\): passed column 'ok' = -1"):
        qs.pass_rates(frame, passed="ok", inspected="n", by="region")
    with pytest.raises(ValueError, match=r"row 1: passed column 'ok' = -1"):
        qs.pass_rates(frame, passed="ok", inspected="n")


def test_a_per_item_column_must_hold_zeros_and_ones():
    frame = pl.DataFrame({"line": ["A", "B", "B"], "ok": [1, 2, 0]})
    with pytest.raises(ValueError, match=r"row 1 \(group line='B'\): .*'ok' = 2 .*0 or 1"):
        qs.pass_rates(frame, passed="ok", by="line")


def test_bad_arguments():
    frame = pl.DataFrame({"region": ["N"], "ok": [1], "n": [2], "name": ["x"]})
    with pytest.raises(TypeError, match="passed"):
        qs.pass_rates(frame, passed=1, inspected="n")
    with pytest.raises(TypeError, match="method = 5"):
        qs.pass_rates(frame, passed="ok", inspected="n", method=5)
    with pytest.raises(TypeError, match="dtype"):
        qs.pass_rates(frame, passed="name", inspected="n")
    with pytest.raises(ValueError, match="own columns named"):
        qs.pass_rates(frame.rename({"region": "rate"}), passed="ok", inspected="n", by="rate")
    with pytest.raises(ValueError, match="also a count column"):
        qs.pass_rates(frame, passed="ok", inspected="n", by="ok")
    with pytest.raises(ValueError, match="columns"):
        qs.pass_rates(frame, passed="missing", inspected="n")


def test_one_sided_bounds_and_methods():
    frame = pd.DataFrame(RECORDS)
    out = qs.pass_rates(frame, passed="ok", inspected="n", by="region", bound="lower")
    assert out["upper"].to_list() == [1.0, 1.0]
    ci = qs.proportion_ci(14, 20, bound="lower")
    assert out["lower"][0] == ci.lower
    up = qs.pass_rates(
        frame, passed="ok", inspected="n", by="region", bound="upper", method="Clopper-Pearson"
    )
    assert up["lower"].to_list() == [0.0, 0.0]
    assert up["upper"][1] == qs.proportion_ci(10, 20, bound="upper", method="exact").upper
    assert out.columns == ["region", "passed", "inspected", "rate", "lower", "upper"]


def test_forest_plot():
    out = qs.pass_rates(pl.DataFrame(RECORDS), passed="ok", inspected="n", by=["region", "product"])
    ax = qs.plot_pass_rates(out, target="60%")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["N, a", "N, b", "S, a", "S, b"]
    assert ax.get_yticks()[0] == 3  # the first group is drawn at the top
    target_lines = [line for line in ax.get_lines() if "target" in str(line.get_label())]
    assert target_lines and target_lines[0].get_xdata()[0] == pytest.approx(0.6)
    assert "60 %" in str(target_lines[0].get_label())
    # The overall rate (no keys), on given axes, from a pandas frame.
    import matplotlib.pyplot as plt

    _, given = plt.subplots()
    total = qs.pass_rates(pl.DataFrame(RECORDS), passed="ok", inspected="n")
    total = pd.DataFrame(total.to_dict(as_series=False))
    assert qs.plot_pass_rates(total, ax=given) is given
    with pytest.raises(ValueError, match="missing"):
        qs.plot_pass_rates(pl.DataFrame({"a": [1]}))
    with pytest.raises(ValueError, match="target"):
        qs.plot_pass_rates(out, target="high")
    plt.close("all")
