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
        ("n", 1, None, r"row 1 .*inspected column 'n' = (null \(a missing value\)|nan)"),
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


# ---------------------------------------------------------------------------
# target=: tests against the target, multiplicity adjustment and verdicts.


def _spot_checks():
    import numpy as np

    rng = np.random.default_rng(10)
    n = rng.integers(3, 400, 40)
    rate = np.where(np.arange(40) % 7 == 0, 0.85, 0.97)
    x = rng.binomial(n, rate)
    return pl.DataFrame({"unit": [f"u{i:02d}" for i in range(40)], "ok": x, "n": n})


@pytest.mark.parametrize("alternative", ["less", "greater", "two-sided"])
@pytest.mark.parametrize("adjust", ["holm", "bh", None])
def test_target_columns_match_scipy_and_statsmodels(alternative, adjust):
    import numpy as np
    from scipy.stats import binomtest
    from statsmodels.stats.multitest import multipletests

    df = _spot_checks()
    out = qs.pass_rates(
        df,
        passed="ok",
        inspected="n",
        by="unit",
        target=0.95,
        alternative=alternative,
        adjust=adjust,
    )
    x, n = out["passed"].to_numpy(), out["inspected"].to_numpy()
    p = np.array(
        [
            binomtest(int(a), int(b), 0.95, alternative=alternative).pvalue
            for a, b in zip(x, n, strict=True)
        ]
    )
    np.testing.assert_allclose(out["p_value"].to_numpy(), p, rtol=1e-10, atol=1e-300)
    sm = {"holm": "holm", "bh": "fdr_bh"}
    q = p if adjust is None else multipletests(p, method=sm[adjust])[1]
    np.testing.assert_allclose(out["p_adjusted"].to_numpy(), q, rtol=1e-10, atol=1e-300)
    # The verdicts, as the docstring defines them (alpha = 1 - confidence = 0.05).
    rate = x / n
    expected = []
    for qi, ri in zip(q, rate, strict=True):
        if qi >= 0.05:
            expected.append("consistent with target")
        elif alternative == "less" or (alternative == "two-sided" and ri < 0.95):
            expected.append("below target")
        else:
            expected.append("above target")
    assert out["verdict"].to_list() == expected
    assert out.columns == [
        "unit",
        "passed",
        "inspected",
        "rate",
        "lower",
        "upper",
        "p_value",
        "p_adjusted",
        "verdict",
    ]
    if alternative == "less":
        assert "below target" in expected and "above target" not in expected


def test_target_keeps_the_other_columns_and_is_optional():
    df = _spot_checks()
    plain = qs.pass_rates(df, passed="ok", inspected="n", by="unit")
    assert plain.columns == ["unit", "passed", "inspected", "rate", "lower", "upper"]
    judged = qs.pass_rates(df, passed="ok", inspected="n", by="unit", target="95%")
    assert judged.select(plain.columns).equals(plain)
    same = qs.pass_rates(df, passed="ok", inspected="n", by="unit", target=0.95)
    assert same.equals(judged)
    # adjust="none" is adjust=None; confidence sets the level of the verdicts.
    raw = qs.pass_rates(df, passed="ok", inspected="n", by="unit", target=0.95, adjust="none")
    assert raw["p_adjusted"].to_list() == raw["p_value"].to_list()
    strict = qs.pass_rates(
        df, passed="ok", inspected="n", by="unit", target=0.95, adjust=None, confidence=0.999
    )
    below = strict.filter(pl.col("verdict") == "below target")["p_adjusted"]
    assert (below < 0.001).all()
    # Other test methods.
    score = qs.pass_rates(df, passed="ok", inspected="n", by="unit", target=0.95, test="score")
    ref = qs.proportion_test(
        score["passed"].to_numpy(),
        score["inspected"].to_numpy(),
        0.95,
        method="score",
        alternative="less",
    )
    assert score["p_value"].to_list() == ref.p_value.tolist()


def test_target_overall_and_one_item_per_row():
    items = pl.DataFrame({"ok": [True] * 50 + [False] * 10})
    out = qs.pass_rates(items, passed="ok", target=0.95)
    assert out["verdict"].to_list() == ["below target"]
    assert out["p_value"][0] == qs.proportion_test(50, 60, 0.95, alternative="less").p_value
    # A group-free frame has one test, so Holm leaves its p-value unchanged.
    assert out["p_adjusted"][0] == out["p_value"][0]
    # The forest plot still labels the groups (the test columns are not labels).
    df = _spot_checks().head(3)
    judged = qs.pass_rates(df, passed="ok", inspected="n", by="unit", target=0.95)
    ax = qs.plot_pass_rates(judged, target=0.95)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["u00", "u01", "u02"]


@pytest.mark.parametrize(
    ("kwargs", "error", "text"),
    [
        ({"target": 1.0}, ValueError, "target = 1.0 is invalid: expected a pass rate in (0, 1)"),
        ({"target": 0}, ValueError, "target = 0 is invalid"),
        ({"target": "95"}, TypeError, "target = '95' is invalid"),
        ({"target": "150%"}, ValueError, "target = '150%' is invalid"),
        ({"target": float("nan")}, ValueError, "target = nan is invalid"),
        ({"target": 0.9, "alternative": "up"}, ValueError, "alternative = 'up' is not"),
        ({"target": 0.9, "adjust": "sidak"}, ValueError, 'adjust = "sidak" is not recognised'),
        ({"target": 0.9, "adjust": 3}, TypeError, "adjust = 3 is invalid"),
        ({"target": 0.9, "test": "wilson"}, ValueError, 'test = "wilson" is not recognised'),
        ({"target": 0.9, "test": None}, TypeError, "test = None is invalid"),
    ],
)
def test_target_bad_input(kwargs, error, text):
    df = _spot_checks()
    with pytest.raises(error) as info:
        qs.pass_rates(df, passed="ok", inspected="n", by="unit", **kwargs)
    assert text in str(info.value)


def test_target_refuses_a_by_column_named_like_a_test_column():
    df = _spot_checks().rename({"unit": "verdict"})
    with pytest.raises(ValueError, match="has its own columns named"):
        qs.pass_rates(df, passed="ok", inspected="n", by="verdict", target=0.95)
    # Without target= such a column is an ordinary key.
    assert qs.pass_rates(df, passed="ok", inspected="n", by="verdict").height == 40


def test_target_test_options_without_a_target_are_refused():
    frame = pl.DataFrame({"g": ["a", "b"], "passed": [9, 8], "inspected": [10, 10]})
    for option_name, value in (("alternative", "greater"), ("adjust", "bh"), ("test", "mid_p")):
        with pytest.raises(ValueError, match=f"{option_name} = .* only used by the target tests"):
            qs.pass_rates(
                frame, passed="passed", inspected="inspected", by="g", **{option_name: value}
            )
    # The defaults spelled out are harmless.
    out = qs.pass_rates(frame, passed="passed", inspected="inspected", by="g", adjust="holm")
    assert out.columns == ["g", "passed", "inspected", "rate", "lower", "upper"]
