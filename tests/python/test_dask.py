"""qualstat.dask on a local cluster of two worker processes: every result equals
the in-memory call on the same data (the reference is qualstat's own in-memory
functions, which the other test files check against published values and
peers; here the claim under test is that splitting the data across partitions
and processes changes nothing). Sums are taken in another order on the
cluster, so floating-point columns agree to 1e-9 relative (far inside the
digits any study reports); counts, keys, outcomes and messages are equal.

Also: LazyFrame input of the frame functions, and pickling of every public
result class (results travel between processes). Not pickled: the switching
``Scheme`` objects of the standards, which are running state machines, not results.
"""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import polars as pl
import pytest

import qualstat as qs
from qualstat.capability import ALL_COLUMNS

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")
qsd = pytest.importorskip("qualstat.dask")


@pytest.fixture(scope="module")
def client():
    with (
        distributed.LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as c,
    ):
        yield c


def assert_same(
    got: pl.DataFrame, want: pl.DataFrame, rtol: float = 1e-9, atol: float = 0.0
) -> None:
    """Same columns, dtypes, keys and strings; floats within ``rtol`` (and ``atol``)."""
    assert got.columns == want.columns
    assert got.dtypes == want.dtypes
    assert got.height == want.height
    for name in want.columns:
        g, w = got[name], want[name]
        if w.dtype.is_float():
            assert g.is_null().to_list() == w.is_null().to_list(), name
            gv, wv = g.drop_nulls().to_numpy(), w.drop_nulls().to_numpy()
            np.testing.assert_allclose(gv, wv, rtol=rtol, atol=atol, err_msg=name)
        else:
            assert g.to_list() == w.to_list(), name


def records(seed: int = 1, rows: int = 3000) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    region = rng.choice(["N", "S", "E", "W", "C"], rows)
    year = rng.integers(2020, 2024, rows)
    n = rng.integers(1, 40, rows)
    ok = rng.binomial(n, 0.9)
    return pd.DataFrame({"region": region, "year": year, "ok": ok, "n": n, "item": ok == n})


# -- pass rates ------------------------------------------------------------------


@pytest.mark.parametrize("parts", [1, 4, 7])
def test_pass_rates_equal_in_memory(client, parts):
    pdf = records()
    ddf = dd.from_pandas(pdf, npartitions=parts)
    cases = [
        {"passed": "ok", "inspected": "n", "by": "region"},
        {"passed": "ok", "inspected": "n", "by": ["region", "year"], "method": "clopper-pearson"},
        {"passed": "item", "by": "year", "bound": "lower"},
        {"passed": "ok", "inspected": "n"},
        {"passed": "ok", "inspected": "n", "by": "region", "target": "90%", "adjust": "bh"},
    ]
    for kw in cases:
        want = qs.pass_rates(pdf, **kw)
        got = qsd.pass_rates(ddf, **kw)
        assert got.equals(want), kw


def test_pass_rates_group_named_like_the_shuffle_bucket(client):
    """The shuffle's bucket column takes a free name: a group column '_bucket' works."""
    pdf = records().rename(columns={"region": "_bucket"})
    got = qsd.pass_rates(
        dd.from_pandas(pdf, npartitions=4), passed="ok", inspected="n", by="_bucket"
    )
    assert got.equals(qs.pass_rates(pdf, passed="ok", inspected="n", by="_bucket"))


def test_pass_rates_bad_record_names_partition_and_row(client):
    pdf = records(rows=40)
    pdf.loc[33, "ok"] = 99
    ddf = dd.from_pandas(pdf, npartitions=4)
    with pytest.raises(ValueError, match=r"partition 3: row \d+ \(group region=.*more passed"):
        qsd.pass_rates(ddf, passed="ok", inspected="n", by="region")
    with pytest.raises(ValueError, match="not in the frame"):
        qsd.pass_rates(ddf, passed="okay", by="region")
    with pytest.raises(TypeError, match="dask DataFrame"):
        qsd.pass_rates(pdf, passed="ok", by="region")
    with pytest.raises(ValueError, match="method"):
        qsd.pass_rates(ddf, passed="ok", inspected="n", method="bogus")


# -- lot decisions -----------------------------------------------------------------


def lots_frame(seed: int = 2, lots: int = 200, n: int = 7, keys: str = "int") -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    means = rng.normal(10.0, 0.1, lots)
    lot = np.repeat(np.arange(lots), n)
    x = rng.normal(np.repeat(means, n), 0.2)
    perm = rng.permutation(lots * n)
    labels = lot[perm] if keys == "int" else np.array([f"L{i}" for i in lot[perm]])
    return pd.DataFrame({"lot": labels, "x": x[perm] + 1e6 * (keys == "offset")})


@pytest.mark.parametrize("keys", ["int", "str", "offset"])
def test_decide_lots_equal_in_memory(client, keys):
    pdf = lots_frame(keys=keys)
    plan = qs.VariablesPlan(7, 1.33)
    off = 1e6 if keys == "offset" else 0.0
    for kw in [
        {"usl": 10.5 + off},
        {"lsl": 9.4 + off, "usl": 10.6 + off},
        {"lsl": 9.4 + off, "usl": 10.6 + off, "k_lower": 1.0, "k_upper": 1.5},
    ]:
        want = plan.decide_lots(pdf, value="x", lot="lot", **kw)
        got = qsd.decide_lots(dd.from_pandas(pdf, npartitions=5), plan, value="x", lot="lot", **kw)
        # Data at 1e6 with sd 0.2: the means round at ~1e-10, which moves Q by
        # ~1e-9 and the far-tail p estimates (~1e-8) by ~1e-14 absolute.
        assert_same(got, want, rtol=1e-9 if keys != "offset" else 1e-6, atol=1e-12)
        assert got["outcome"].to_list() == want["outcome"].to_list()


def test_decide_lots_errors_name_the_lot(client):
    pdf = lots_frame(lots=20).iloc[:-1]
    plan = qs.VariablesPlan(7, 1.33)
    missing = pdf["lot"].value_counts().idxmin()
    with pytest.raises(ValueError, match=rf"^lot {missing}: measurements = 6 values"):
        qsd.decide_lots(dd.from_pandas(pdf, npartitions=3), plan, value="x", lot="lot", usl=11)
    with pytest.raises(ValueError, match=rf"^lot {missing}: measurements = 6 values"):
        plan.decide_lots(pdf, value="x", lot="lot", usl=11)
    bad = lots_frame(lots=20)
    bad.loc[100, "x"] = np.inf
    with pytest.raises(ValueError, match=r"partition \d: measurements\[\d+\] = inf"):
        qsd.decide_lots(dd.from_pandas(bad, npartitions=3), plan, value="x", lot="lot", usl=11)
    with pytest.raises(TypeError, match="VariablesPlan"):
        qsd.decide_lots(dd.from_pandas(bad, npartitions=3), "plan", value="x", lot="lot")


def attribute_items(seed: int = 4, lots: int = 60) -> pd.DataFrame:
    """One row per item of a double plan (n1 = n2 = 5), lots and stages shuffled;
    the lots undecided after stage 1 have their stage 2 too."""
    rng = np.random.default_rng(seed)
    first = rng.binomial(5, 0.2, lots)
    second = np.flatnonzero((first > 0) & (first < 3))
    lot = np.r_[np.repeat(np.arange(lots), 5), np.repeat(second, 5)]
    stage = np.r_[np.ones(lots * 5, int), np.full(len(second) * 5, 2)]
    bad = np.r_[
        np.concatenate([rng.permutation(np.arange(5) < d) for d in first]),
        rng.random(len(second) * 5) < 0.2,
    ].astype(int)
    perm = rng.permutation(len(lot))
    return pd.DataFrame(
        {"supplier": np.where(lot[perm] % 2, "x", "y"), "lot": lot[perm],
         "stage": stage[perm], "bad": bad[perm]}
    )  # fmt: skip


@pytest.mark.parametrize("parts", [1, 3, 8])
def test_attribute_decide_lots_equal_in_memory(client, parts):
    plan = qs.AttributePlan.double(5, 0, 3, 5, 3)
    pdf = attribute_items()
    cases = [
        {"lot": "lot", "nonconforming": "bad", "stage": "stage"},
        {"lot": ["supplier", "lot"], "nonconforming": "bad", "stage": "stage"},
    ]
    for kw in cases:
        want = plan.decide_lots(pdf, **kw)
        got = qsd.decide_lots(dd.from_pandas(pdf, npartitions=parts), plan, **kw)
        assert got.equals(want)
        assert pickle.loads(pickle.dumps(got)).equals(want)
    assert set(want["outcome"]) == {"accept", "reject"}
    boxes = pdf.groupby(["lot", "stage"], sort=False, as_index=False).agg(
        bad=("bad", "sum"), n=("bad", "size")
    )
    kw = {"lot": "lot", "nonconforming": "bad", "inspected": "n", "stage": "stage"}
    got = qsd.decide_lots(dd.from_pandas(boxes, npartitions=parts), plan, **kw)
    assert got.equals(plan.decide_lots(boxes, **kw))
    wide = boxes.pivot(index="lot", columns="stage", values="bad").reset_index()
    wide.columns = ["lot", "d1", "d2"]
    kw = {"lot": "lot", "nonconforming": ["d1", "d2"]}
    got = qsd.decide_lots(dd.from_pandas(wide, npartitions=parts), plan, **kw)
    assert got.equals(plan.decide_lots(wide, **kw))
    # lots with no stage drawn (NaN counts) come out undecided at stage 0, as in memory
    undrawn = wide.assign(
        d1=wide["d1"].where(wide.index % 5 != 2), d2=wide["d2"].where(wide.index % 5 != 2)
    )
    got = qsd.decide_lots(dd.from_pandas(undrawn, npartitions=parts), plan, **kw)
    want = plan.decide_lots(undrawn, **kw)
    assert got.equals(want) and want.height == len(wide)
    assert (want.filter(pl.col("stage") == 0)["lot"].to_list()
            == undrawn["lot"][undrawn.index % 5 == 2].tolist())  # fmt: skip


def test_attribute_decide_lots_errors(client):
    plan = qs.AttributePlan.double(5, 0, 3, 5, 3)
    pdf = attribute_items()
    ddf = dd.from_pandas(pdf.iloc[:-1], npartitions=3)
    kw = {"lot": "lot", "nonconforming": "bad", "stage": "stage"}
    with pytest.raises(ValueError, match=r"^lot \d+, stage \d: 4 items inspected"):
        qsd.decide_lots(ddf, plan, **kw)
    bad = pdf.assign(bad=pdf["bad"].where(pdf.index != 100, 7))
    with pytest.raises(ValueError, match=r"^partition \d: row \d+ .*'bad' = 7 is invalid"):
        qsd.decide_lots(dd.from_pandas(bad, npartitions=3), plan, **kw)
    with pytest.raises(ValueError, match="an AttributePlan does not take value"):
        qsd.decide_lots(dd.from_pandas(pdf, npartitions=3), plan, value="bad", **kw)
    vplan = qs.VariablesPlan(7, 1.33)
    with pytest.raises(ValueError, match="a VariablesPlan does not take nonconforming"):
        qsd.decide_lots(dd.from_pandas(pdf, npartitions=3), vplan, **kw)
    with pytest.raises(ValueError, match="value is not given"):
        qsd.decide_lots(dd.from_pandas(pdf, npartitions=3), vplan, lot="lot")


# -- capability --------------------------------------------------------------------


def measurements(seed: int = 3, groups: int = 12, per: int = 60) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    g = np.repeat(np.arange(groups), per)
    x = rng.normal(10.0 + 0.05 * g, 0.1 + 0.01 * g)
    return pd.DataFrame(
        {
            "machine": np.array([f"m{i:02d}" for i in g]),
            "shift": g % 2,
            "x": x,
            "sub": np.tile(np.repeat(np.arange(per // 4), 4), groups),
            "usl": 10.8 + 0.05 * g,
        }
    )


SUMMARY_CASES = [
    {},
    {"subgroup_size": 5},
    {"subgroup_size": 4, "within": "rbar"},
    {"subgroup_size": 3, "within": "sbar", "target": 10.2},
    {"subgroups": "sub"},
    {"subgroups": "sub", "within": "rbar", "bound": "lower", "confidence": 0.9},
    {"within": "mr", "usl": "usl", "columns": "all_but_ad"},
    {"by": ["machine", "shift"], "lsl": None, "usl": "usl", "target": None},
]


@pytest.mark.parametrize("case", range(len(SUMMARY_CASES)))
def test_capability_by_from_summaries_equals_in_memory(client, case):
    kw = {"by": "machine", "lsl": 9.5, "usl": 11.0, **SUMMARY_CASES[case]}
    if kw.get("columns") == "all_but_ad":
        kw["columns"] = [c for c in ALL_COLUMNS if not c.startswith("ad_")]
    pdf = measurements().sample(frac=1.0, random_state=case).reset_index(drop=True)
    if "subgroups" in kw or "subgroup_size" in kw:
        pdf = measurements()  # subgroups in time order within each group
    want = qs.capability_by(pdf, value="x", **kw)
    for parts in (1, 5):
        got = qsd.capability_by(dd.from_pandas(pdf, npartitions=parts), value="x", **kw)
        assert_same(got, want)


def test_capability_by_nan_and_failing_groups_equal_in_memory(client):
    pdf = measurements(groups=6, per=24)
    pdf.loc[5, "x"] = np.nan
    pdf.loc[30, "x"] = np.nan
    pdf.loc[pdf["machine"] == "m03", "x"] = 4.0  # constant group
    pdf.loc[pdf["machine"] == "m04", "x"] = np.nan  # no usable values
    ddf = dd.from_pandas(pdf, npartitions=4)
    for kw in [
        {"nan_policy": "omit"},
        {"nan_policy": "omit", "subgroup_size": 4},
        {"nan_policy": "raise", "subgroup_size": 4},
        {"nan_policy": "raise"},
        {"nan_policy": "omit", "subgroup_size": 5},  # 24 rows: not a divisor
    ]:
        want = qs.capability_by(pdf, value="x", by="machine", lsl=9.5, usl=11.0, **kw)
        got = qsd.capability_by(ddf, value="x", by="machine", lsl=9.5, usl=11.0, **kw)
        assert_same(got, want)
        assert got["error"].null_count() < got.height


@pytest.mark.parametrize(
    "kw",
    [
        {"distribution": "lognormal"},
        {"boxcox": 0.5},
        {"method": "bootstrap", "resamples": 200, "seed": 3},
        {"within": "median_mr"},
        {"columns": "all", "subgroup_size": 5},
    ],
)
def test_capability_by_whole_groups_by_shuffle_equal_in_memory(client, kw):
    pdf = measurements(groups=5, per=40)
    want = qs.capability_by(pdf, value="x", by="machine", lsl=9.5, usl=11.0, **kw)
    got = qsd.capability_by(dd.from_pandas(pdf, npartitions=3), value="x", by="machine",
                            lsl=9.5, usl=11.0, **kw)  # fmt: skip
    assert got.equals(want)


def test_capability_by_bad_arguments(client):
    pdf = measurements(groups=2, per=8)
    ddf = dd.from_pandas(pdf, npartitions=2)
    with pytest.raises(ValueError, match="within"):
        qsd.capability_by(ddf, value="x", by="machine", usl=11.0, within="bogus")
    with pytest.raises(ValueError, match="lsl"):
        qsd.capability_by(ddf, value="x", by="machine", lsl=float("nan"), usl=11.0)
    with pytest.raises(ValueError, match="not in the frame"):
        qsd.capability_by(ddf, value="y", by="machine", usl=11.0)
    varying = pdf.assign(usl=np.linspace(11, 12, len(pdf)))
    with pytest.raises(ValueError, match="constant within each group"):
        qsd.capability_by(dd.from_pandas(varying, npartitions=2), value="x", by="machine",
                          usl="usl")  # fmt: skip


# -- LazyFrame input ---------------------------------------------------------------


def test_frame_functions_accept_a_lazyframe():
    pdf = records()
    lf = pl.from_pandas(pdf).lazy()
    assert qs.pass_rates(lf, passed="ok", inspected="n", by="region").equals(
        qs.pass_rates(pdf, passed="ok", inspected="n", by="region")
    )
    m = measurements()
    assert qs.capability_by(pl.from_pandas(m).lazy(), value="x", by="machine", usl=11.0).equals(
        qs.capability_by(m, value="x", by="machine", usl=11.0)
    )
    lots = lots_frame()
    plan = qs.VariablesPlan(7, 1.33)
    assert plan.decide_lots(pl.from_pandas(lots).lazy(), value="x", lot="lot", usl=10.5).equals(
        plan.decide_lots(lots, value="x", lot="lot", usl=10.5)
    )
    with pytest.raises(ValueError, match="not in the frame"):
        qs.pass_rates(lf, passed="nope")


# -- pickling ----------------------------------------------------------------------


def public_results() -> list[object]:
    """One instance of every public result class (and of the plans, which
    travel to workers as arguments)."""
    x = [10.1, 9.8, 10.3, 10.0, 9.7, 10.2, 9.9, 10.4, 10.0, 9.6]
    plan = qs.AttributePlan.double(8, 0, 2, 8, 1, aql=0.01)
    vplan = qs.iso3951.plan(aql=1.0, lot_size=40)
    dql = qs.dql.design(0.01, limiting_number=1)
    dql4 = qs.iso3951_4.plan(dql=1.0)
    return [
        qs.proportion_ci(8, 10),
        qs.proportion_ci([8, 9], [10, 10]),
        qs.proportion_diff_test(8, 10, 5, 10),
        qs.proportion_test(8, 10, 0.5),
        qs.capability(x, 9.0, 11.0),
        plan,
        plan.decide([1, 0]),
        plan.aoql(),
        qs.iso2859_1.plan(aql=1.0, lot_size=2000),
        qs.design_plan(0.01, 0.05),
        vplan,
        qs.VariablesPlan.m_form(5, "3.33%", method="sigma", sigma=0.2),
        vplan.decide(np.linspace(9.9, 10.1, vplan.n), usl=10.5),
        qs.shrink([40, 45, 30, 48, 20], [50, 50, 50, 50, 50]),
        qs.funnel([40, 45, 30, 48], [50, 50, 50, 50]),
        dql,
        dql4,
        qs.iso3951_4.verify(dql4, np.linspace(9.9, 10.1, dql4.n), usl=10.5),
        qs.iso2859_1.plan(aql=1.0, lot_size=2000).decide_many([0, 1, 2]),
        qs.iso2859_1.Scheme(1.0).inspect(1000, 2),
    ]


def same(a: object, b: object) -> bool:
    if isinstance(a, pl.DataFrame):
        return a.equals(b)
    if hasattr(a, "to_dict"):
        return repr(a) == repr(b) and str(a.to_dict()) == str(b.to_dict())  # type: ignore[attr-defined]
    return repr(a) == repr(b)


def test_every_public_result_pickles():
    for obj in public_results():
        again = pickle.loads(pickle.dumps(obj))
        assert type(again) is type(obj)
        assert same(again, obj), type(obj).__name__


def test_unpickled_plans_compute_the_same():
    plan = qs.iso2859_1.plan(aql=1.0, lot_size=2000, kind="double")
    again = pickle.loads(pickle.dumps(plan))
    p = np.linspace(0, 0.1, 11)
    assert np.array_equal(again.prob_accept(p), plan.prob_accept(p))
    assert again.code_letter == plan.code_letter
    vplan = qs.VariablesPlan.m_form(5, "3.33%")
    v2 = pickle.loads(pickle.dumps(vplan))
    assert (v2.k, v2.m) == (vplan.k, vplan.m)
    assert np.array_equal(v2.prob_accept(p), vplan.prob_accept(p))
