"""A user column named like a frame function's working column (``_row``, ``_first``,
``_k``, ``_point``, ...): it works as any other name (the working column takes a free
name), or, where the working names are many, it is refused by an error naming it."""

from __future__ import annotations

import polars as pl
import pytest
from polars.testing import assert_frame_equal
from test_cli import inproc, ok

import qualstat as qs
from qualstat import net_content as nc

GOOD = [500.0 + (i % 7) - 3 for i in range(50)]


def _packs() -> pl.DataFrame:
    """Lots A and B with their rows interleaved (decide_lots gathers each lot's rows by a
    row index then), B with three packages below Qn - T (T1 count 3: continue)."""
    b = [484.9] * 3 + GOOD[3:]
    return pl.DataFrame(
        {
            "lot": ["A", "B"] * 50,
            "g": [x for pair in zip(GOOD, b, strict=True) for x in pair],
        }
    )


@pytest.mark.parametrize("name", ["_row", "_row_"])
def test_net_content_lot_column_named_like_the_row_index(tmp_path, name):
    packs = _packs()
    settings = dict(value="g", nominal=500.0, lot_size=1000, regime="eu")
    expected = nc.decide_lots(packs, lot="lot", **settings).rename({"lot": name})
    renamed = packs.rename({"lot": name})
    got = nc.decide_lots(renamed, lot=name, **settings)
    assert_frame_equal(got, expected)
    assert got["verdict"].to_list() == ["accept", "continue"]
    renamed.write_csv(tmp_path / "packs.csv")
    out = ok(
        "net-content", "packs.csv", "--lot", name, "--value", "g", "--nominal", "500",
        "--lot-size", "1000", "--regime", "eu", "--format", "csv", runner=inproc, cwd=tmp_path,
    )  # fmt: skip
    table = pl.read_csv(out.stdout.encode(), schema_overrides={"failed": pl.String})
    assert_frame_equal(table, expected, check_dtypes=False)


def test_pass_rates_group_named_like_the_row_index():
    frame = pl.DataFrame({"_row": ["a", "a", "b"], "ok": [1, 3, 1], "n": [2, 2, 2]})
    with pytest.raises(ValueError, match=r"row 1 \(group _row='a'\): "):
        qs.pass_rates(frame, passed="ok", inspected="n", by="_row")
    fine = qs.pass_rates(frame.with_columns(ok=1), passed="ok", inspected="n", by="_row")
    assert fine["_row"].to_list() == ["a", "b"]


@pytest.mark.parametrize("lot", ["_stage", "_first", "_inspected", "_nonconforming", "_lot"])
def test_attribute_lot_column_named_like_a_working_column_is_refused(lot):
    frame = pl.DataFrame({lot: ["A", "B"], "d": [0, 2]})
    with pytest.raises(ValueError, match=rf"lot = '{lot}' is invalid: .*'{lot}'"):
        qs.AttributePlan(50, 1, 2).decide_lots(frame, lot=lot, nonconforming="d")


@pytest.mark.parametrize("lot", ["_first", "_k"])
def test_variables_lot_column_named_like_a_working_column_is_refused(lot):
    frame = pl.DataFrame({lot: ["A"] * 5, "x": [1.0, 2.0, 3.0, 4.0, 5.0]})
    with pytest.raises(ValueError, match=rf"lot = '{lot}' is invalid: .*'{lot}'"):
        qs.VariablesPlan(5, 1.5).decide_lots(frame, value="x", lot=lot, usl=10.0)


def test_variables_value_column_named_like_the_row_index():
    frame = pl.DataFrame({"lot": ["A"] * 5, "_row": [1.0, 2.0, 3.0, 4.0, 5.0]})
    got = qs.VariablesPlan(5, 1.5).decide_lots(frame, value="_row", lot="lot", usl=10.0)
    expected = qs.VariablesPlan(5, 1.5).decide_lots(
        frame.rename({"_row": "x"}), value="x", lot="lot", usl=10.0
    )
    assert_frame_equal(got, expected)
    with pytest.raises(ValueError, match=r"measurements\[2\] = nan"):
        qs.VariablesPlan(5, 1.5).decide_lots(
            frame.with_columns(pl.Series("_row", [1.0, 2.0, float("nan"), 4.0, 5.0])),
            value="_row",
            lot="lot",
            usl=10.0,
        )


@pytest.mark.parametrize(
    ("argument", "column"), [("by", "_n"), ("value", "_x"), ("subgroups", "_row"), ("lsl", "_l")]
)
def test_capability_by_column_named_like_a_working_column_is_refused(tmp_path, argument, column):
    frame = pl.DataFrame(
        {"g": [1, 1, 1, 2, 2, 2], "x": [1.0, 2.0, 3.0, 2.0, 3.0, 4.0], "s": [0, 0, 1, 0, 0, 1]}
    )
    call = {"by": "g", "value": "x", "usl": 9.0, argument: column}
    names = {"g": call["by"], "x": call["value"], "s": call.get("subgroups", "s")}
    frame = frame.rename(names).with_columns(pl.lit(0.0).alias(call.get("lsl", "l")))
    with pytest.raises(ValueError, match=rf"^{argument} = '{column}' is invalid: .*'_'"):
        qs.capability_by(frame, **call)
    if argument == "by":  # through the CLI: the flag, an invalid argument (exit code 4)
        frame.write_csv(tmp_path / "parts.csv")
        out = inproc("capability", "parts.csv", "--value", "x", "--by", column, cwd=tmp_path)
        assert out.returncode == 4, out.stderr
        assert f"--by: by = '{column}' is invalid" in out.stderr
