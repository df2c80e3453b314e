"""qs.capability and qs.capability_by against published numbers and an
independent numpy/scipy implementation; bad input."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl
import pytest
from scipy import integrate, special, stats

import qualstat as qs
from qualstat.capability import ALL_COLUMNS, MAIN_COLUMNS

REFERENCE = Path(__file__).resolve().parents[2] / "reference"


def piston_rings() -> pd.DataFrame:
    path = REFERENCE / "datasets" / "pistonrings.csv"
    assert path.exists(), f"reference dataset {path} is required"
    return pd.read_csv(path, comment="#")


def c4(n: float) -> float:
    return math.sqrt(2 / (n - 1)) * math.exp(special.gammaln(n / 2) - special.gammaln((n - 1) / 2))


def d2_quad(n: int) -> float:
    f = lambda t: 1 - stats.norm.cdf(t) ** n - stats.norm.sf(t) ** n  # noqa: E731
    return integrate.quad(f, -np.inf, np.inf, epsabs=1e-13)[0]


def test_qcc_piston_rings_rbar() -> None:
    # qcc's process.capability, pistonrings trial subgroups, spec 73.95-74.05:
    # Cp 1.703, Cp_l 1.743, Cp_u 1.663, Cp_k 1.663 with sigma = Rbar/2.326 =
    # 0.009785039 (qcc's 3-decimal d2); converted here by d2(5)/2.326.
    df = piston_rings()
    x = df.loc[df["trial"], "diameter"].to_numpy()
    res = qs.capability(x, lsl=73.95, usl=74.05, subgroup_size=5, within="rbar")
    table = qs.spc.d2(5) / 2.326
    assert res.sigma_within * table == pytest.approx(0.009785039, abs=5e-10)
    assert res.mean == pytest.approx(74.00118, abs=5e-6)
    got = [round(v / table, 3) for v in (res.cp, res.cpl, res.cpu, res.cpk)]
    assert got == [1.703, 1.743, 1.663, 1.663]


def test_independent_numpy_scipy_computation() -> None:
    rng = np.random.default_rng(11)
    x = rng.normal(50, 2, 80) + np.repeat(rng.normal(0, 0.8, 16), 5)
    lsl, usl, t = 43.0, 58.0, 50.5
    res = qs.capability(x, lsl=lsl, usl=usl, target=t, subgroup_size=5)
    g = x.reshape(16, 5)
    d = 16 * 4
    sigma = math.sqrt(((g - g.mean(1, keepdims=True)) ** 2).sum() / d) / c4(d + 1)
    m, s = x.mean(), x.std(ddof=1)
    assert res.sigma_within == pytest.approx(sigma, rel=1e-12)
    assert res.cp == pytest.approx((usl - lsl) / (6 * sigma), rel=1e-12)
    assert res.cpk == pytest.approx(min(m - lsl, usl - m) / (3 * sigma), rel=1e-12)
    assert res.ppk == pytest.approx(min(m - lsl, usl - m) / (3 * s), rel=1e-12)
    tau = math.sqrt(((x - t) ** 2).sum() / 79)
    assert res.cpm == pytest.approx(min(t - lsl, usl - t) / (3 * tau), rel=1e-12)
    lo = res.cp * math.sqrt(stats.chi2.ppf(0.025, d) / d)
    assert res.interval("cp").lower == pytest.approx(lo, rel=1e-8)
    z = stats.norm.ppf(0.975)
    half = z * math.sqrt(1 / (9 * 80) + res.cpk**2 / (2 * d))
    assert res.interval("cpk").upper == pytest.approx(res.cpk + half, rel=1e-8)
    ppm = 1e6 * (stats.norm.cdf((lsl - m) / s) + stats.norm.sf((usl - m) / s))
    assert res.ppm_overall == pytest.approx(ppm, rel=1e-7)
    # Individuals: average moving range / d2(2).
    ind = qs.capability(x, lsl=lsl, usl=usl)
    assert ind.within == "mr"
    assert ind.sigma_within == pytest.approx(np.abs(np.diff(x)).mean() / d2_quad(2), rel=1e-9)
    from statsmodels.stats.diagnostic import normal_ad

    a2, p = normal_ad(x)
    assert res.ad_statistic == pytest.approx(a2, rel=1e-8)
    assert res.ad_p_value == pytest.approx(p, rel=1e-7)


def test_subgroup_labels_unequal_sizes_match_explicit_order() -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(10, 1, 30)
    labels = np.array(list("abc") * 10)  # interleaved labels
    a = qs.capability(x, lsl=6, usl=14, subgroups=labels, within="sbar")
    ordered = np.concatenate([x[labels == k] for k in "abc"])
    b = qs.capability(ordered, lsl=6, usl=14, subgroup_size=10, within="sbar")
    assert a.sigma_within == pytest.approx(b.sigma_within, rel=1e-14)


def test_result_object() -> None:
    x = np.random.default_rng(0).normal(10, 1, 50)
    res = qs.capability(x, usl=14.0, target=10.0)
    assert res.cp is None and res.cpu is not None and res.cpk == res.cpu
    with pytest.raises(ValueError, match="no interval"):
        res.interval("cp")
    with pytest.raises(ValueError, match="not recognised"):
        res.interval("cpz")
    d = res.to_dict()
    assert d["cpk"] == res.cpk and "data" not in d
    assert "<table>" in res._repr_html_() and "Cpk" in res._repr_html_()
    assert "Capability(n=50" in repr(res)
    lower = qs.capability(x, usl=14.0, bound="lower")
    assert lower.interval("cpk").upper == math.inf
    with pytest.raises(AttributeError):
        res.cp = 2.0  # type: ignore[misc]


def test_plot_returns_axes() -> None:
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")
    x = np.random.default_rng(1).lognormal(0, 0.4, 60)
    for res in (
        qs.capability(x, lsl=0.2, usl=4.0, target=1.0),
        qs.capability(x, lsl=0.2, usl=4.0, distribution="lognormal"),
    ):
        ax = res.plot()
        assert ax.get_lines()


def test_non_normal_methods() -> None:
    x = np.random.default_rng(2).gamma(3.0, 0.7, 200)
    res = qs.capability(x, lsl=0.1, usl=9.0, distribution="auto")
    assert res.cp is None and res.ppk is not None
    assert res.distribution in ("normal", "lognormal", "weibull", "gamma")
    # Percentile formula with the fitted gamma, recomputed with scipy.
    g = qs.capability(x, lsl=0.1, usl=9.0, distribution="gamma")
    a, _, scale = stats.gamma.fit(x, floc=0)
    q = stats.gamma(a, scale=scale).ppf([stats.norm.cdf(-3), 0.5, stats.norm.cdf(3)])
    assert g.pp == pytest.approx((9.0 - 0.1) / (q[2] - q[0]), rel=1e-3)
    npar = qs.capability(x, lsl=0.1, usl=9.0, distribution="nonparametric")
    qn = np.quantile(x, [stats.norm.cdf(-3), 0.5, stats.norm.cdf(3)], method="weibull")
    assert npar.pp == pytest.approx(8.9 / (qn[2] - qn[0]), rel=1e-12)
    bc = qs.capability(x, lsl=0.1, usl=9.0, boxcox="ml")
    assert bc.lambda_ == pytest.approx(stats.boxcox_normmax(x, method="mle"), abs=1e-6)
    r = qs.capability(x, lsl=0.1, usl=9.0, boxcox="rounded")
    assert r.lambda_ is not None and (2 * r.lambda_) == round(2 * r.lambda_)
    with pytest.raises(ValueError, match="positive values"):
        qs.capability(x - 5, usl=9.0, distribution="weibull")


def test_bootstrap_is_seeded() -> None:
    x = np.random.default_rng(4).normal(0, 1, 100)
    a = qs.capability(x, lsl=-4, usl=4, method="bootstrap", resamples=500, seed=1)
    b = qs.capability(x, lsl=-4, usl=4, method="bootstrap", resamples=500, seed=1)
    assert a.interval("cpk") == b.interval("cpk")
    assert a.interval("cpk").lower < a.cpk < a.interval("cpk").upper


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"data": [1.0], "usl": 2.0}, "at least 2"),
        ({"data": [1.0, 1.0, 1.0], "usl": 2.0}, "non-zero standard deviation"),
        ({"data": [1.0, 2.0, 3.0], "lsl": 3.0, "usl": 2.0}, "lsl = 3"),
        ({"data": [1.0, 2.0, 3.0], "lsl": 0.0, "usl": 4.0, "target": 5.0}, "target = 5"),
        ({"data": [1.0, 2.0, 3.0, 4.0, 5.0], "usl": 9.0, "subgroup_size": 2}, "subgroup_size = 2"),
        (
            {"data": [1.0, 2.0, 3.0, 4.0], "usl": 9.0, "subgroup_size": 1, "within": "pooled"},
            "pooled",
        ),
        ({"data": [1.0, float("nan"), 3.0], "usl": 9.0}, "NaN"),
        ({"data": [1.0, 2.0, 3.0]}, "at least one specification limit"),
        ({"data": [1.0, 2.0, 3.0], "usl": 9.0, "within": "xyz"}, "not recognised"),
        ({"data": [1.0, 2.0, 3.0], "usl": 9.0, "confidence": 1.5}, "confidence"),
        ({"data": [1.0, 2.0, 3.0], "usl": 9.0, "subgroups": [1, 2]}, "length"),
    ],
)
def test_bad_input_raises_value_error(kwargs: dict, match: str) -> None:
    data = kwargs.pop("data")
    with pytest.raises(ValueError, match=match):
        qs.capability(data, **kwargs)


def test_nan_omit() -> None:
    x = [1.0, 2.0, float("nan"), 3.0, 2.5]
    res = qs.capability(x, usl=9.0, nan_policy="omit")
    assert res.n == 4


def test_type_errors() -> None:
    with pytest.raises(TypeError):
        qs.capability(["a", "b"], usl=1.0)
    with pytest.raises(TypeError):
        qs.capability([1.0, 2.0], usl="9")


def test_capability_by_matches_single_studies_and_per_group_specs() -> None:
    rng = np.random.default_rng(9)
    n_groups = 40
    frame = pd.DataFrame(
        {
            "machine": np.repeat([f"m{i:02d}" for i in range(n_groups)], 20),
            "x": rng.normal(10, 1, 20 * n_groups),
            "usl": np.repeat(np.linspace(13, 15, n_groups), 20),
        }
    )
    out = qs.capability_by(frame, value="x", by="machine", lsl=6.0, usl="usl", subgroup_size=5)
    assert isinstance(out, pl.DataFrame) and out.height == n_groups
    for i in (0, 17, 39):
        sub = frame[frame.machine == f"m{i:02d}"]
        one = qs.capability(sub.x.to_numpy(), lsl=6.0, usl=float(sub.usl.iloc[0]), subgroup_size=5)
        row = out.row(i, named=True)
        assert row["machine"] == f"m{i:02d}"
        assert row["cpk"] == pytest.approx(one.cpk, rel=1e-14)
        assert row["cpk_lower"] == pytest.approx(one.interval("cpk").lower, rel=1e-14)
        assert row["error"] is None
    # polars in, a failing group reported in its row, cpm null without target.
    pf = pl.DataFrame({"g": ["a"] * 4 + ["b"] * 4, "x": [1.0, 2, 3, 4, 5, 5, 5, 5]})
    res = qs.capability_by(pf, value="x", by="g", usl=9.0)
    assert res["error"][0] is None and "standard deviation" in res["error"][1]
    assert res["cpk"][1] is None and res["cpm"][0] is None
    # Subgroup labels within groups.
    lab = qs.capability_by(
        frame.assign(s=np.tile(np.repeat(np.arange(4), 5), n_groups)),
        value="x",
        by="machine",
        usl=14.0,
        subgroup="s",
    )
    assert lab["sigma_within"].to_list() == pytest.approx(
        qs.capability_by(frame, value="x", by="machine", usl=14.0, subgroup_size=5)[
            "sigma_within"
        ].to_list(),
        rel=1e-14,
    )
    with pytest.raises(ValueError, match="constant within each group"):
        qs.capability_by(
            frame.assign(usl=np.arange(len(frame))), value="x", by="machine", usl="usl"
        )
    with pytest.raises(ValueError, match="not in the frame"):
        qs.capability_by(frame, value="nope", by="machine", usl=14.0)


# --- issue 9: one vocabulary, one native call, no silent wrong answers ---------------------


def _x() -> np.ndarray:
    return np.random.default_rng(21).normal(10, 1, 60)


def test_positional_limits_and_keyword_only_options() -> None:
    x = _x()
    a = qs.capability(x, 6.0, 14.0)
    b = qs.capability(x, lsl=6.0, usl=14.0)
    assert a == b
    with pytest.raises(TypeError):
        qs.capability(x, 6.0, 14.0, 10.0)  # type: ignore[misc]


def test_names_are_case_insensitive_and_fields_say_what_they_mean() -> None:
    x = _x()
    res = qs.capability(x, 6.0, 14.0, subgroup_size=5, within="Pooled", bound="Two-Sided")
    assert res.within == "pooled" and res.bound == "two-sided"
    assert res.interval("Cpk") == res.interval("cpk")
    assert (res.model, res.method, res.distribution, res.bootstrap) == (
        "normal",
        "classic",
        "normal",
        None,
    )
    boot = qs.capability(x, 6.0, 14.0, method="Bootstrap", bootstrap="Percentile", resamples=200)
    assert (boot.method, boot.bootstrap, boot.resamples, boot.seed) == (
        "bootstrap",
        "percentile",
        200,
        0,
    )
    assert "bootstrap percentile intervals (200 resamples, seed 0), 95 % two-sided" in repr(boot)
    assert "classic intervals, 95 % two-sided" in repr(res)
    pct = qs.capability(x, 6.0, 14.0, distribution="gamma")
    assert (pct.model, pct.distribution) == ("percentile", "gamma")
    assert "no intervals" in repr(pct)
    bc = qs.capability(x, 6.0, 14.0, boxcox=1.0)
    assert bc.model == "box-cox" and bc.lambda_ == 1.0 and "lambda = 1" in repr(bc)
    upper = qs.capability(x, 6.0, 14.0, bound="upper")
    assert upper.interval("cp").lower == 0.0 and upper.interval("cpk").lower == -math.inf


def test_bootstrap_resamples_are_capped_with_the_limit_named() -> None:
    x = _x()
    with pytest.raises(ValueError, match=r"resamples = 1000000000000 .*1000000"):
        qs.capability(x, 6.0, 14.0, method="bootstrap", resamples=10**12)
    with pytest.raises(ValueError, match="resamples"):
        qs.capability(x, 6.0, 14.0, method="bootstrap", resamples=10**30)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"seed": 2.5}, ValueError, "seed = 2.5"),
        ({"seed": "5"}, TypeError, "seed = '5'"),
        ({"seed": -1}, ValueError, "seed = -1"),
        ({"within": 5}, TypeError, "within = 5"),
        ({"method": 5}, TypeError, "method = 5"),
        ({"bound": None}, TypeError, "bound = None"),
        ({"boxcox": [1]}, TypeError, "boxcox"),
        ({"lsl": 10**400}, ValueError, "lsl"),
        ({"lsl": math.nan}, ValueError, "lsl = nan"),
        ({"subgroup_size": 10**30}, ValueError, "subgroup_size"),
        ({"confidence": "0.95"}, TypeError, "confidence"),
        ({"confidence": 10**400}, ValueError, "confidence"),
        ({"boxcox": 10**400}, ValueError, "boxcox"),
    ],
)
def test_arguments_are_checked_by_name(kwargs: dict, error: type, match: str) -> None:
    args = {"lsl": 6.0, "usl": 14.0, **kwargs}
    with pytest.raises(error, match=match):
        qs.capability(_x(), **args)


def test_masked_arrays_and_nan_hint() -> None:
    with pytest.raises(TypeError, match="masked"):
        qs.capability(np.ma.masked_array(_x(), mask=[True] + [False] * 59), usl=14.0)
    with pytest.raises(ValueError, match='nan_policy="omit"'):
        qs.capability([1.0, math.nan, 2.0], usl=9.0)


def test_extreme_inputs_finite_z_bench_and_intervals() -> None:
    x = _x()
    for lsl, usl in ((1000.0, 1001.0), (-1e6, 1e6), (-1e300, 1e300)):
        res = qs.capability(x, lsl, usl)
        assert math.isfinite(res.z_bench_within) and math.isfinite(res.z_bench_overall)
        assert all(math.isfinite(v) for lo_hi in res.intervals.values() for v in lo_hi)
    far = qs.capability(x, 1000.0, 1001.0)
    assert far.z_bench_overall == pytest.approx(3 * far.ppk, rel=1e-6)
    with pytest.raises(ValueError, match="overflow"):
        qs.capability(x, -1e308, 1e308)


def test_boxcox_overflow_names_the_limit() -> None:
    with pytest.raises(ValueError, match=r"^usl = .*lambda = -5"):
        qs.capability(_x(), usl=1e-70, boxcox=-5.0)


def test_capability_by_options_columns_and_nan_limits() -> None:
    rng = np.random.default_rng(5)
    frame = pl.DataFrame(
        {
            "g": np.repeat(["a", "b", "c"], 40),
            "s": np.tile(np.repeat(np.arange(8), 5), 3),
            "x": rng.gamma(9.0, 1.0, 120),
        }
    )
    out = qs.capability_by(frame, value="x", by="g", lsl=1.0, usl=30.0)
    assert out.columns == ["g", *MAIN_COLUMNS, "error"]
    full = qs.capability_by(frame, value="x", by="g", lsl=1.0, usl=30.0, columns="ALL")
    assert full.columns == ["g", *ALL_COLUMNS, "error"]
    pick = qs.capability_by(frame, value="x", by="g", usl=30.0, columns=["ppk", "Z_BENCH_OVERALL"])
    assert pick.columns == ["g", "ppk", "z_bench_overall", "error"]
    with pytest.raises(ValueError, match="columns = 'cpz'"):
        qs.capability_by(frame, value="x", by="g", usl=30.0, columns=["cpz"])
    for options in (
        {"boxcox": "ml"},
        {"distribution": "auto"},
        {"method": "bootstrap", "resamples": 200, "seed": 3},
    ):
        res = qs.capability_by(
            frame, value="x", by="g", lsl=1.0, usl=30.0, subgroups="s", columns="all", **options
        )
        for i, g in enumerate("abc"):
            sub = frame.filter(pl.col("g") == g)
            one = qs.capability(sub["x"], 1.0, 30.0, subgroups=sub["s"], **options)
            row = res.row(i, named=True)
            assert row["ppk"] == one.ppk and row["error"] is None
            if one.intervals:
                assert row["ppk_lower"] == one.interval("ppk").lower
            if one.model == "percentile":
                assert row["distribution"] == one.distribution
            if one.model == "box-cox":
                assert row["lambda"] == one.lambda_
    alias = qs.capability_by(frame, value="x", by="g", usl=30.0, subgroup="s")
    assert alias.equals(qs.capability_by(frame, value="x", by="g", usl=30.0, subgroups="s"))
    with pytest.raises(ValueError, match="lsl = nan"):
        qs.capability_by(frame, value="x", by="g", lsl=math.nan, usl=30.0)
    with pytest.raises(ValueError, match="lsl column 'l' is invalid in group 1"):
        qs.capability_by(
            frame.with_columns(l=pl.when(pl.col("g") == "b").then(math.nan).otherwise(1.0)),
            value="x",
            by="g",
            lsl="l",
            usl=30.0,
        )
    with pytest.raises(TypeError, match="within = 5"):
        qs.capability_by(frame, value="x", by="g", usl=30.0, within=5)


@pytest.mark.parametrize(
    ("key", "columns"), [("cpk", "main"), ("n", "main"), ("mean", ["mean"]), ("error", ["ppk"])]
)
def test_capability_by_refuses_a_key_named_like_a_result_column(key, columns) -> None:
    """A group column named like a column of the result would be overwritten by it (the
    groups left unnamed): refused, naming ``by``; without the clash the key is kept."""
    frame = pl.DataFrame({key: ["a"] * 6 + ["b"] * 6, "x": np.linspace(1.0, 2.0, 12)})
    with pytest.raises(ValueError, match=rf"^by = '{key}' is invalid: the result has a column"):
        qs.capability_by(frame, value="x", by=key, usl=3.0, columns=columns)
    if key != "error":  # a column of every result
        out = qs.capability_by(frame, value="x", by=key, usl=3.0, columns=["z_bench_overall"])
        assert out.columns == [key, "z_bench_overall", "error"]
        assert out[key].to_list() == ["a", "b"]
