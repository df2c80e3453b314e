"""AttributePlan.decide_lots: lots of a frame decided against a plain-Python
reference of the acceptance rule (cumulative counts against Ac and Re stage by
stage, as ISO 2859-1 clause 10 / Schilling & Neubauer ch. 5 state it), written
here without qualstat, on random frames in every layout; edge cases; bad input.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import qualstat as qs

DOUBLE = qs.AttributePlan.double(3, 0, 2, 3, 1)
MULTIPLE = qs.AttributePlan([2, 2, 2], [-1, 0, 2], [2, 3, 3])
PLANS = [
    qs.AttributePlan.single(5, 1),
    qs.AttributePlan.single(8, 0),
    DOUBLE,
    qs.AttributePlan.double(5, 1, 4, 5, 4),
    MULTIPLE,
    qs.iso2859_1.plan(aql=2.5, code="D", kind="multiple"),
]
COLUMNS = ["inspected", "cumulative", "outcome", "stage", "next_sample_size", "reinstate_normal"]


def final_gap_plan() -> qs.AttributePlan:
    """A Z1.4 reduced plan whose last stage has Ac < d < Re (accept, reinstate normal)."""
    for aql in (0.65, 1.0, 1.5, 2.5, 4.0, 6.5):
        for code in "EFGHJKL":
            plan = qs.iso2859_1.plan(aql=aql, code=code, inspection="reduced")
            if plan.re[-1] > plan.ac[-1] + 1 and plan.n[0] <= 20:
                return plan
    raise AssertionError("no reduced plan with a final gap")


def reference(plan: qs.AttributePlan, counts: list[int]) -> tuple:
    """(inspected, cumulative, outcome, stage, next_sample_size, reinstate_normal)."""
    n, ac, re = plan.n, plan.ac, plan.re
    last = len(n) - 1
    cum = 0
    for j, x in enumerate(counts):
        cum += x
        drawn = sum(n[: j + 1])
        # The last stage accepts below Re (a final gap accepts, Z1.4 reduced).
        accept = cum < re[j] if j == last else (ac[j] >= 0 and cum <= ac[j])
        if accept:
            return (drawn, cum, "accept", j + 1, None, cum > ac[j])
        if cum >= re[j]:
            return (drawn, cum, "reject", j + 1, None, False)
    return (sum(n[: len(counts)]), cum, "continue", len(counts), n[len(counts)], False)


def lot_counts(plan: qs.AttributePlan, draws: list[int], stages: int) -> list[int]:
    """Per-stage counts of one lot: the first ``stages`` draws (each capped at its
    sample size), cut at the stage that decides the lot."""
    counts: list[int] = []
    for j in range(stages):
        counts.append(draws[j] % (plan.n[j] + 1))
        if reference(plan, counts)[2] != "continue":
            break
    return counts


def item_frame(plan, lots, rng, passed=False):
    """One row per item, lots and stages interleaved at random."""
    rows = []
    for key, counts in lots.items():
        for j, x in enumerate(counts):
            flags = np.zeros(plan.n[j], dtype=int)
            flags[:x] = 1
            rows += [(key, j + 1, int(f)) for f in rng.permutation(flags)]
    rows = [rows[i] for i in rng.permutation(len(rows))]
    lot = [r[0] for r in rows]
    stage = [r[1] for r in rows]
    bad = np.array([r[2] for r in rows], dtype=np.int64)
    if passed:
        return pl.DataFrame({"lot": lot, "stage": stage, "ok": (1 - bad).astype(bool)})
    return pl.DataFrame({"lot": lot, "stage": stage, "bad": bad})


def count_frame(plan, lots, rng):
    """Rows of counts: each stage of a lot in 1 to 3 pieces (boxes), shuffled."""
    rows = []
    for key, counts in lots.items():
        for j, x in enumerate(counts):
            flags = rng.permutation(np.r_[np.ones(x, int), np.zeros(plan.n[j] - x, int)])
            cuts = np.sort(rng.choice(np.arange(1, plan.n[j]), min(2, plan.n[j] - 1), False))
            for piece in np.split(flags, cuts[: rng.integers(0, len(cuts) + 1)]):
                rows.append((key, j + 1, int(piece.sum()), len(piece)))
    rows = [rows[i] for i in rng.permutation(len(rows))]
    return pl.DataFrame(rows, schema=["lot", "stage", "bad", "items"], orient="row")


def wide_frame(plan, lots):
    """One row per lot, a count column per stage (null: not drawn)."""
    data: dict[str, list] = {"lot": list(lots)}
    for j in range(plan.stages):
        data[f"d{j + 1}"] = [c[j] if j < len(c) else None for c in lots.values()]
    return pl.DataFrame(data, schema_overrides={f"d{j + 1}": pl.Int64 for j in range(plan.stages)})


def expected(plan, lots, order) -> pl.DataFrame:
    rows = [(key, *reference(plan, lots[key])) for key in order]
    return pl.DataFrame(rows, schema=["lot", *COLUMNS], orient="row")


def first_appearance(values) -> list:
    return list(dict.fromkeys(values))


@settings(max_examples=60, deadline=None)
@given(
    plan_index=st.integers(0, len(PLANS) - 1),
    lots=st.lists(
        st.tuples(st.integers(1, 3), st.lists(st.integers(0, 50), min_size=7, max_size=7)),
        min_size=1,
        max_size=12,
    ),
    seed=st.integers(0, 2**32 - 1),
)
def test_every_layout_matches_the_reference_rule(plan_index, lots, seed):
    plan = PLANS[plan_index]
    rng = np.random.default_rng(seed)
    per_lot = {
        f"L{i}": lot_counts(plan, draws, min(k, plan.stages)) for i, (k, draws) in enumerate(lots)
    }
    stage = "stage" if plan.stages > 1 else None
    items = item_frame(plan, per_lot, rng)
    got = plan.decide_lots(items, lot="lot", nonconforming="bad", stage=stage)
    want = expected(plan, per_lot, first_appearance(items["lot"]))
    assert got.equals(want), (got, want)
    oks = item_frame(plan, per_lot, rng, passed=True)
    got = plan.decide_lots(oks.to_pandas(), lot="lot", passed="ok", stage=stage)
    assert got.equals(expected(plan, per_lot, first_appearance(oks["lot"])))
    boxes = count_frame(plan, per_lot, rng)
    got = plan.decide_lots(
        boxes.lazy(), lot="lot", nonconforming="bad", inspected="items", stage=stage
    )
    assert got.equals(expected(plan, per_lot, first_appearance(boxes["lot"])))
    wide = wide_frame(plan, per_lot)
    columns = [f"d{j + 1}" for j in range(plan.stages)]
    got = plan.decide_lots(wide, lot="lot", nonconforming=columns)
    assert got.equals(expected(plan, per_lot, list(per_lot)))
    # pandas holds "not drawn" as NaN in a float column.
    assert plan.decide_lots(wide.to_pandas(), lot="lot", nonconforming=columns).equals(got)


def test_matches_decide_and_decide_many():
    plan = MULTIPLE
    lots = {"a": [1, 0, 1], "b": [2], "c": [1, 1], "d": [1, 0], "e": [0, 1, 2]}
    out = plan.decide_lots(wide_frame(plan, lots), lot="lot", nonconforming=["d1", "d2", "d3"])
    many = plan.decide_many(list(lots.values()))
    assert out.select(many.columns).equals(many)
    for row, counts in zip(out.iter_rows(named=True), lots.values(), strict=True):
        d = plan.decide(counts)
        assert (row["outcome"], row["stage"], row["cumulative"]) == (
            d.outcome,
            d.stage,
            d.cumulative,
        )
        assert row["next_sample_size"] == d.next_sample_size
    # "continue" reports the next sample as decide does.
    assert out.filter(pl.col("lot") == "d")["next_sample_size"].item() == 2


def test_single_plan_items_without_stage_and_lots_in_order_of_first_appearance():
    plan = qs.AttributePlan.single(4, 1)
    frame = pd.DataFrame(
        {
            "lot": [7, 3, 7, 3, 7, 3, 3, 7],
            "bad": [True, True, False, True, False, False, False, False],
        }
    )
    out = plan.decide_lots(frame, lot="lot", nonconforming="bad")
    assert out.columns == ["lot", *COLUMNS]
    assert out.rows() == [(7, 4, 1, "accept", 1, None, False), (3, 4, 2, "reject", 1, None, False)]


def test_several_lot_columns_and_null_free_keys():
    plan = qs.AttributePlan.single(2, 0)
    frame = pl.DataFrame(
        {"supplier": ["x", "y", "x", "y"], "lot": [1, 1, 1, 1], "bad": [0, 1, 0, 0]}
    )
    out = plan.decide_lots(frame, lot=["supplier", "lot"], nonconforming="bad")
    assert out.select("supplier", "lot", "outcome").rows() == [
        ("x", 1, "accept"),
        ("y", 1, "reject"),
    ]


@pytest.mark.parametrize(
    "keys",
    [
        [10**15 + 7 * 10**12 * i for i in range(6)],  # a wide span: hashed keys
        [-3, -1, 0, 2, 5, 4],
        [0.5, 1.25, -2.0, 3.0, 1e9, 7.5],
        ["b", "a", "é", "", "lot 4", "d"],
    ],
)
def test_lot_keys_of_any_kind(keys):
    plan = qs.AttributePlan.single(3, 0)
    bad = [0, 1, 0, 2, 0, 3]
    rng = np.random.default_rng(5)
    rows = [(k, int(j < d)) for k, d in zip(keys, bad, strict=True) for j in range(3)]
    rows = [rows[i] for i in rng.permutation(len(rows))]
    frame = pl.DataFrame(rows, schema=["lot", "bad"], orient="row")
    out = plan.decide_lots(frame, lot="lot", nonconforming="bad")
    order = first_appearance(frame["lot"])
    assert out["lot"].to_list() == order
    want = {k: "accept" if d == 0 else "reject" for k, d in zip(keys, bad, strict=True)}
    assert out["outcome"].to_list() == [want[k] for k in order]


def test_final_gap_accepts_and_reinstates_normal():
    plan = final_gap_plan()
    d = plan.ac[-1] + 1
    out = plan.decide_lots(
        pl.DataFrame({"lot": ["A"], "bad": [d], "n": [plan.n[0]]}),
        lot="lot",
        nonconforming="bad",
        inspected="n",
    )
    assert out.select("outcome", "reinstate_normal").row(0) == ("accept", True)


def test_empty_frame_gives_no_lots():
    frame = pl.DataFrame({"lot": [], "stage": [], "bad": []}, schema=["lot", "stage", "bad"])
    frame = frame.cast({"lot": pl.String, "stage": pl.Int64, "bad": pl.Int64})
    out = DOUBLE.decide_lots(frame, lot="lot", nonconforming="bad", stage="stage")
    assert out.height == 0
    assert out.columns == ["lot", *COLUMNS]
    assert out.dtypes == [pl.String, pl.Int64, pl.Int64, pl.String, pl.Int64, pl.Int64, pl.Boolean]


def test_decide_many_names_the_lot():
    with pytest.raises(ValueError, match=r"^lots\[1\]: counts\[0\] = 9 is invalid"):
        DOUBLE.decide_many([[0], [9]])
    assert DOUBLE.decide_many([]).height == 0


ITEMS = pl.DataFrame(
    {
        "lot": ["A"] * 3 + ["B"] * 6,
        "stage": [1, 1, 1, 1, 1, 1, 2, 2, 2],
        "bad": [0, 0, 0, 0, 1, 0, 0, 0, 0],
    }
)


def decide(frame, **kw):
    args = {"lot": "lot", "nonconforming": "bad", "stage": "stage", **kw}
    return DOUBLE.decide_lots(frame, **args)


@pytest.mark.parametrize(
    "frame, kw, error, message",
    [
        (ITEMS, {"nonconforming": "x"}, ValueError, r"columns \['x'\] are not in the frame"),
        (ITEMS, {"lot": "box"}, ValueError, r"columns \['box'\] are not in the frame"),
        (ITEMS, {"lot": 3}, TypeError, "lot = 3 is invalid"),
        (ITEMS, {"lot": "outcome"}, ValueError, "the result has its own columns"),
        (ITEMS, {"lot": ["lot", "lot"]}, ValueError, "expected distinct columns"),
        (ITEMS, {"lot": "bad"}, ValueError, "also a count column"),
        (ITEMS, {"nonconforming": None}, ValueError, "nonconforming is not given"),
        (ITEMS, {"passed": "bad"}, ValueError, "not both"),
        (ITEMS, {"stage": None}, ValueError, "stage is not given: .* 2-stage plan"),
        (
            ITEMS.with_columns(pl.col("bad").replace(1, 2)),
            {},
            ValueError,
            r"row 4 \(group lot='B'\): nonconforming column 'bad' = 2 is invalid: expected 0 or 1",
        ),
        (
            ITEMS.with_columns(ok=pl.col("bad") * 3),
            {"nonconforming": None, "passed": "ok"},
            ValueError,
            r"passed column 'ok' = 3 is invalid: expected 0 or 1",
        ),
        (
            ITEMS.with_columns(pl.col("stage").replace(2, 3)),
            {},
            ValueError,
            r"row 6 \(lot 'B'\): stage column 'stage' = 3 is invalid: expected a stage in 1..2",
        ),
        (
            ITEMS.with_columns(pl.col("stage").replace(1, 0)),
            {},
            ValueError,
            r"row 0 \(lot 'A'\): stage column 'stage' = 0 is invalid",
        ),
        (ITEMS.with_columns(pl.col("stage").cast(pl.String)), {}, TypeError, "stage numbers"),
        (
            ITEMS.with_columns(pl.col("stage").cast(pl.Float64).replace(2.0, 1.5)),
            {},
            ValueError,
            "stage column 'stage' = 1.5 is invalid",
        ),
        (
            ITEMS.with_columns(pl.col("stage").replace(2, 1)),
            {},
            ValueError,
            r"lot 'B', stage 1: 6 items inspected, expected the stage's sample size n1 = 3",
        ),
        (
            ITEMS.head(8),
            {},
            ValueError,
            r"lot 'B', stage 2: 2 items inspected, expected the stage's sample size n2 = 3",
        ),
        (
            ITEMS.filter(pl.col("lot") == "B", pl.col("stage") == 2),
            {},
            ValueError,
            "lot 'B' has stage 2 without stage 1",
        ),
        (
            pl.concat([ITEMS, ITEMS.head(3).with_columns(stage=pl.lit(2, pl.Int64))]),
            {},
            ValueError,
            r"lot 'A': counts = \[0, 0\] is invalid: expected no counts after stage 1",
        ),
        (
            ITEMS.with_columns(
                pl.when(pl.col("bad") == 1).then(None).otherwise(pl.col("lot")).alias("lot")
            ),
            {},
            ValueError,
            "lot column 'lot' has 1 null values",
        ),
        (
            ITEMS.with_columns(pl.col("bad").cast(pl.Float64).replace(1.0, float("nan"))),
            {},
            ValueError,
            "nonconforming column 'bad' = nan is invalid",
        ),
        (ITEMS.with_columns(pl.col("bad").cast(pl.String)), {}, TypeError, "numbers or booleans"),
    ],
)
def test_bad_frames(frame, kw, error, message):
    with pytest.raises(error, match=message):
        decide(frame, **kw)


def test_bad_counts():
    boxes = pl.DataFrame({"lot": [1, 1], "stage": [1, 1], "bad": [-1, 0], "n": [2, 1]})
    kw = {"lot": "lot", "nonconforming": "bad", "inspected": "n", "stage": "stage"}
    with pytest.raises(ValueError, match="row 0 .*'bad' = -1 is invalid: expected a whole number"):
        DOUBLE.decide_lots(boxes, **kw)
    with pytest.raises(ValueError, match=r"'bad' = 3 .* in \[0, 2\] .*more nonconforming than"):
        DOUBLE.decide_lots(boxes.with_columns(bad=pl.Series([3, 0])), **kw)
    with pytest.raises(ValueError, match="inspected column 'n' = 0 is invalid"):
        DOUBLE.decide_lots(boxes.with_columns(bad=pl.Series([0, 0]), n=pl.Series([3, 0])), **kw)
    with pytest.raises(ValueError, match="inspected = 'bad' is the nonconforming column"):
        DOUBLE.decide_lots(boxes, **{**kw, "inspected": "bad"})


def test_wide_lot_with_no_stage_drawn_continues_at_stage_0():
    """Every count column null (NaN in pandas): the lot is kept, undecided as
    plan.decide([]) says (continue at stage 0, the first sample next)."""
    lots = {"a": [1, 0], "b": [], "c": [2], "d": []}
    wide = wide_frame(DOUBLE, lots)
    for frame in (wide, wide.to_pandas(), wide.lazy()):
        got = DOUBLE.decide_lots(frame, lot="lot", nonconforming=["d1", "d2"])
        assert got["lot"].to_list() == ["a", "b", "c", "d"]
        many = DOUBLE.decide_many(list(lots.values()))
        assert got.select(many.columns).equals(many)
        assert got["inspected"].to_list() == [2 * DOUBLE.n[0], 0, DOUBLE.n[0], 0]
        none = DOUBLE.decide([])
        undrawn = got.filter(pl.col("lot").is_in(["b", "d"])).rows(named=True)
        for row in undrawn:
            assert (row["outcome"], row["stage"], row["cumulative"]) == ("continue", 0, 0)
            assert row["next_sample_size"] == none.next_sample_size == DOUBLE.n[0]
    # every lot undrawn, and a one-stage plan
    empty = DOUBLE.decide_lots(wide_frame(DOUBLE, {"x": [], "y": []}), lot="lot",
                               nonconforming=["d1", "d2"])  # fmt: skip
    assert empty["outcome"].to_list() == ["continue"] * 2 and empty["stage"].to_list() == [0, 0]
    single = qs.AttributePlan.single(20, 1)
    one = single.decide_lots(wide_frame(single, {"x": [0], "y": []}), lot="lot", passed=["d1"])
    assert one["outcome"].to_list() == ["reject", "continue"]
    assert one["next_sample_size"].to_list() == [None, 20]


def test_bad_wide_frames():
    wide = pl.DataFrame({"lot": [1, 2], "d1": [1, 0], "d2": [4, None]})
    with pytest.raises(
        ValueError, match=r"row 0 \(lot 1\): nonconforming column 'd2' = 4 .*n2 = 3"
    ):
        DOUBLE.decide_lots(wide, lot="lot", nonconforming=["d1", "d2"])
    with pytest.raises(ValueError, match="lot 1 has stage 2 without stage 1"):
        DOUBLE.decide_lots(
            wide.with_columns(d1=pl.Series([None, 0]), d2=pl.Series([1, None])),
            lot="lot",
            nonconforming=["d1", "d2"],
        )
    with pytest.raises(TypeError, match="a list of 1 to 2 columns"):
        DOUBLE.decide_lots(wide, lot="lot", nonconforming=["d1", "d2", "d1"])
    with pytest.raises(ValueError, match="stage = 'd1' is invalid with a column per stage"):
        DOUBLE.decide_lots(wide, lot="lot", nonconforming=["d1", "d2"], stage="d1")
    with pytest.raises(ValueError, match="lot 1, stage 1: 6 items inspected"):
        DOUBLE.decide_lots(
            pl.concat([wide, wide.head(1)]).with_columns(d2=pl.Series([1, None, 1])),
            lot="lot",
            nonconforming=["d1", "d2"],
        )
    got = DOUBLE.decide_lots(wide.with_columns(d1=pl.Series([1, 2])), lot="lot", passed=["d1"])
    # passed 1 of n1 = 3: 2 nonconforming (reject); passed 2: 1 (continue)
    assert got["outcome"].to_list() == ["reject", "continue"]


def test_frame_types():
    with pytest.raises(TypeError, match="frame must be a pandas or polars DataFrame"):
        DOUBLE.decide_lots({"lot": [1]}, lot="lot", nonconforming="bad", stage="stage")
    want = decide(ITEMS)
    assert decide(ITEMS.lazy()).equals(want)
    assert decide(ITEMS.to_pandas()).equals(want)


@pytest.mark.parametrize(
    "dtype", [pl.Int8, pl.UInt8, pl.Int16, pl.UInt32, pl.Int64, pl.UInt64, pl.Float32, pl.Boolean]
)
def test_columns_of_any_numeric_dtype_decide_alike(dtype):
    want = decide(ITEMS)
    if dtype != pl.Boolean:  # stage numbers of any width
        assert decide(ITEMS.with_columns(pl.col("stage").cast(dtype))).equals(want)
    assert decide(ITEMS.with_columns(pl.col("bad").cast(dtype))).equals(want)
    passed = ITEMS.with_columns(ok=(1 - pl.col("bad")).cast(dtype))
    assert decide(passed, nonconforming=None, passed="ok").equals(want)
    boxes = ITEMS.with_columns(items=pl.lit(1)).with_columns(pl.col("bad", "items").cast(dtype))
    assert decide(boxes, inspected="items").equals(want)


@pytest.mark.parametrize("dtype", [pl.Int8, pl.Int32, pl.UInt16, pl.UInt64])
@pytest.mark.parametrize(("old", "new", "row", "lot"), [(2, 3, 6, "B"), (1, 0, 0, "A")])
def test_a_stage_out_of_range_is_named_in_any_integer_width(dtype, old, new, row, lot):
    frame = ITEMS.with_columns(pl.col("stage").replace(old, new).cast(dtype))
    message = rf"^row {row} \(lot '{lot}'\): stage column 'stage' = {new} is invalid"
    with pytest.raises(ValueError, match=message):
        decide(frame)
