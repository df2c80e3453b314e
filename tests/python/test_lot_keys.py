"""Record errors name a lot by its key as written: a boolean ``lot True``, a date
``lot 2024-01-05``, a NaN ``lot nan`` (text quoted, ``lot 'A'``), in the attribute,
variables and net-content lot decisions and the pass-rate groups; the command line
reads every such error as a record of the input (exit code 3), not as an argument.
A pandas column of objects keeps its missing values missing (a null lot key is
refused as with polars, not decided as a lot named 'None')."""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time, timedelta

import pandas as pd
import polars as pl
import pytest

import qualstat as qs
from qualstat import net_content as nc
from qualstat.cli._base import InputError, ValueProblem, call_api

# (two distinct keys, how an error names the first)
KEYS = [
    ((True, False), "True"),
    ((date(2024, 1, 5), date(2024, 1, 6)), "2024-01-05"),
    ((datetime(2024, 1, 5, 10, 30), datetime(2024, 1, 6)), "2024-01-05 10:30:00"),
    ((math.nan, 1.5), "nan"),
    (("A", "B"), "'A'"),
    ((3, 4), "3"),
]
IDS = [text for _, text in KEYS]


def _lots(keys, sizes):
    return [k for k, n in zip(keys, sizes, strict=True) for _ in range(n)]


@pytest.mark.parametrize(("keys", "text"), KEYS, ids=IDS)
def test_attribute_record_errors_name_the_lot(keys, text):
    plan = qs.AttributePlan.double(3, 0, 2, 3, 1)
    frame = pl.DataFrame(
        {"lot": _lots(keys, (2, 2)), "stage": [1, 2] * 2, "d": [1, 0, 0, 0], "n": [2, 3, 3, 3]}
    )
    args = {"lot": "lot", "nonconforming": "d", "inspected": "n", "stage": "stage"}
    with pytest.raises(ValueError, match=rf"^lot {re.escape(text)}, stage 1: 2 items inspected"):
        plan.decide_lots(frame, **args)
    wrong_stage = frame.with_columns(stage=pl.Series([1, 3, 1, 2]), n=pl.lit(3))
    with pytest.raises(ValueError, match=rf"^row 1 \(lot {re.escape(text)}\): stage column"):
        plan.decide_lots(wrong_stage, **args)
    decided = frame.with_columns(d=pl.Series([3, 0, 0, 0]), n=pl.lit(3))  # rejected at stage 1
    with pytest.raises(ValueError, match=rf"^lot {re.escape(text)}: counts = \[3, 0\] is invalid"):
        plan.decide_lots(decided, **args)
    too_many = frame.with_columns(d=pl.Series([4, 0, 0, 0]), n=pl.lit(3))
    with pytest.raises(ValueError, match=rf"^row 0 \(group lot={re.escape(text)}\): nonconforming"):
        plan.decide_lots(too_many, **args)
    two_keys = frame.with_columns(shift=pl.lit("x"))
    with pytest.raises(ValueError, match=rf"^lot \({re.escape(text)}, 'x'\), stage 1: 2 items"):
        plan.decide_lots(two_keys, **{**args, "lot": ["lot", "shift"]})


@pytest.mark.parametrize(("keys", "text"), KEYS, ids=IDS)
def test_variables_record_errors_name_the_lot(keys, text):
    plan = qs.VariablesPlan(3, 1.0)
    frame = pl.DataFrame({"lot": _lots(keys, (2, 3)), "x": [1.0, 1.1, 1.0, 1.2, 1.4]})
    with pytest.raises(ValueError, match=rf"^lot {re.escape(text)}: measurements = 2 values"):
        plan.decide_lots(frame, value="x", lot="lot", usl=2.0)
    infinite = pl.DataFrame({"lot": _lots(keys, (3, 3)), "x": [1.0, math.inf, 1.0, 1.2, 1.4, 1]})
    with pytest.raises(ValueError, match=rf"finite measurement \(lot {re.escape(text)}\)$"):
        plan.decide_lots(infinite, value="x", lot="lot", usl=2.0)


@pytest.mark.parametrize(("keys", "text"), KEYS, ids=IDS)
def test_net_content_record_errors_name_the_lot(keys, text):
    frame = pl.DataFrame({"lot": _lots(keys, (3, 30)), "g": [500.0] * 33})
    settings = {"value": "g", "lot": "lot", "nominal": 500, "regime": "eu"}
    with pytest.raises(ValueError, match=rf"^lot {re.escape(text)}: packages = 3 is invalid"):
        nc.decide_lots(frame, lot_size=300, **settings)
    sizes = frame.with_columns(size=pl.Series([300, 300, 400] + [300] * 30))
    with pytest.raises(ValueError, match=rf"differs within lot {re.escape(text)}$"):
        nc.decide_lots(sizes, lot_size="size", **settings)


def test_a_missing_key_of_a_pandas_frame_is_missing_not_the_text_none():
    frame = pd.DataFrame({"lot": [None, None, "B", "B"], "d": [0, 0, 0, 0], "x": [1.0] * 4})
    with pytest.raises(ValueError, match="^lot column 'lot' has 2 null values"):
        qs.AttributePlan.single(2, 0).decide_lots(frame, lot="lot", nonconforming="d")
    with pytest.raises(ValueError, match="^lot column 'lot' has 2 null values"):
        qs.VariablesPlan(3, 1.0).decide_lots(frame, value="x", lot="lot", usl=2.0)
    frame["lot"] = frame["lot"].astype("string")  # pandas' own missing value, NA
    rates = qs.pass_rates(frame, passed="d", by="lot")
    polars = qs.pass_rates(pl.from_pandas(frame), passed="d", by="lot")
    assert rates["lot"].to_list() == [None, "B"] and rates.equals(polars)


@pytest.mark.parametrize("key", ["None", "True", "False", "nan", "inf", "2024-01-05", "'A'"])
def test_the_command_line_reads_a_lot_error_as_a_record(key):
    def fails():
        raise ValueError(f"lot {key}: packages = 3 is invalid")

    with pytest.raises(InputError, match=rf"^f.csv: lot {re.escape(key)}: packages") as info:
        call_api(fails, options={"lot": "--lot"}, source="f.csv")
    assert info.value.code == 3

    def argument():
        raise ValueError("lot = 'n' is invalid: the result has its own columns named ['n']")

    with pytest.raises(ValueProblem, match="^--lot: lot = 'n'"):
        call_api(argument, options={"lot": "--lot"}, source="f.csv")


# Categorical lots are keyed by their own codes: dense, or sparse (an Enum of
# many categories, few of them used: the codes span 100,003).
CATEGORIES = ["B", *(f"unused {i}" for i in range(100_000)), "A", "C"]


TEXT = pl.DataFrame(
    {
        "lot": ["A", "B", "A", "C", "B", "A", "C", "B", "C"],
        "x": [1.0, 1.1, 1.2, 0.9, 1.9, 1.1, 1.0, 2.2, 1.3],
        "bad": [0, 1, 0, 0, 0, 0, 0, 0, 1],
    }
)


def _decided_as_text(keyed: pl.DataFrame) -> None:
    """Lots of another dtype decide as the text lots of TEXT, and keep their dtype."""
    for decide in (
        lambda f: qs.VariablesPlan(3, 1.0).decide_lots(f, value="x", lot="lot", usl=2.0),
        lambda f: qs.AttributePlan.single(3, 0).decide_lots(f, lot="lot", nonconforming="bad"),
    ):
        want, got = decide(TEXT), decide(keyed)
        assert got["lot"].dtype == keyed["lot"].dtype
        assert got.with_columns(lot=pl.Series(["A", "B", "C"])).equals(want)
        assert got["lot"].to_list() == keyed["lot"].unique(maintain_order=True).to_list()


@pytest.mark.parametrize("dtype", [pl.Categorical, pl.Enum(["C", "B", "A"]), pl.Enum(CATEGORIES)])
def test_categorical_lots_are_decided_as_their_text(dtype):
    _decided_as_text(TEXT.with_columns(pl.col("lot").cast(dtype)))


@pytest.mark.parametrize(
    "values",
    [
        [date(2024, 1, 5), date(2024, 1, 6), date(2024, 1, 7)],
        [datetime(2024, 1, 5, 10, 30), datetime(2024, 1, 6), datetime(2024, 1, 7)],
        [timedelta(hours=1), timedelta(hours=2), timedelta(hours=3)],
        [time(1), time(2), time(3)],
    ],
    ids=["date", "datetime", "duration", "time"],
)
def test_temporal_lots_are_decided_as_their_text(values):
    # Keyed by their integers, not their text.
    _decided_as_text(TEXT.with_columns(pl.col("lot").replace_strict(["A", "B", "C"], values)))


def test_text_lots_sharing_a_hash_are_told_apart(monkeypatch):
    # Text lots are keyed by a 64-bit hash, checked by a second: were every
    # text to share the first, the lots are keyed by categorical codes instead.
    frame = pl.DataFrame(
        {"lot": ["A", "B", "A", "C", "B", "A", "C", "B", "C"], "x": [1.0, 1.1, 1.2] * 3}
    )
    plan = qs.VariablesPlan(3, 1.0)
    want = plan.decide_lots(frame, value="x", lot="lot", usl=2.0)
    real_hash = pl.Series.hash

    def one_hash(self, seed=0, *args, **kwargs):
        if seed == 0:
            return pl.Series(self.name, [7] * len(self), dtype=pl.UInt64)
        return real_hash(self, seed, *args, **kwargs)

    monkeypatch.setattr(pl.Series, "hash", one_hash)
    got = plan.decide_lots(frame, value="x", lot="lot", usl=2.0)
    assert got.equals(want) and got["lot"].to_list() == ["A", "B", "C"]
