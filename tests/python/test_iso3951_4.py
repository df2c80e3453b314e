"""qs.iso3951_4: every ISO 3951-4 plan walked from the reference file; decisions; level III."""

from __future__ import annotations

import csv
import warnings

import numpy as np
import pytest
from reference_tables import TABLES
from scipy import stats

import qualstat as qs
from qualstat import iso3951_4


def table():
    with open(TABLES / "iso3951_4_plans.csv", newline="") as f:
        records = list(csv.DictReader(line for line in f if not line.startswith("#")))
    assert len(records) == 43
    return records


def test_every_plan_cell():
    seen = set()
    for r in table():
        dql_pct = float(r["DQL_pct"])
        for method, n_key, k_key in [("s", "n_s", "k_s"), ("sigma", "n_sigma", "k_sigma")]:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                p = iso3951_4.plan(dql=dql_pct, level=r["LQR_level"], method=method)
            assert isinstance(p, qs.VariablesPlan)
            assert (p.n, p.k, p.method) == (int(r[n_key]), float(r[k_key]), method)
            m = p.metadata
            assert m["level"] == r["LQR_level"]
            assert m["dql_fraction"] == pytest.approx(dql_pct / 100)
            assert m["p_star_percent"] == pytest.approx(float(r["p_star_pct"]))
            assert ("level III" in m["note"]) == (r["LQR_level"] == "III")
        seen.add((dql_pct, r["LQR_level"]))
    # The cells with no printed plan raise.
    for dql_pct in iso3951_4.DQLS:
        for level in ["I", "II", "III"]:
            if (dql_pct, level) not in seen:
                with pytest.raises(ValueError, match="no level"):
                    iso3951_4.plan(dql=dql_pct, level=level)
    assert len(seen) == 43


def test_level_iii_warns_and_levels_i_ii_do_not():
    with pytest.warns(UserWarning, match="level III"):
        iso3951_4.plan(dql=0.65, level="III")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        iso3951_4.plan(dql=0.65, level="I")
        iso3951_4.plan(dql=0.65, level="II")


def test_printed_anomalies_noted():
    assert "3016" in iso3951_4.plan(dql=0.025, level="I").metadata["note"]
    assert "misprint" in iso3951_4.plan(dql=0.4, level="II", method="sigma").metadata["note"]


def _risk_s(n, k, p):
    # s-method OC: P(Q >= k) with Q = (U - xbar)/s; delta = z_p sqrt(n), noncentral t.
    z = stats.norm.isf(p)
    return stats.nct.cdf(k * np.sqrt(n), n - 1, z * np.sqrt(n))


def test_levels_i_and_ii_producer_risk_in_the_stated_range_level_iii_not():
    # ISO 3951-4 abstract: the risk of contradicting a correct DQL is 1.4 % - 8.2 %.
    # Under "contradict if Q < k" levels I and II meet it (s-method); level III
    # does not (the caution of the module docs).
    for r in table():
        p = float(r["DQL_pct"]) / 100
        n, k = int(r["n_s"]), float(r["k_s"])
        risk = _risk_s(n, k, p)
        if r["LQR_level"] == "III":
            assert risk > 0.082, (r, risk)
            continue
        assert 0.014 <= risk <= 0.082, (r, risk)
        p = iso3951_4.plan(dql=float(r["DQL_pct"]), level=r["LQR_level"])
        assert 1.0 - p.prob_accept(float(r["DQL_pct"]) / 100) == pytest.approx(risk, abs=2e-6)


def test_verify_contradicts_when_q_below_k():
    p = iso3951_4.plan(dql=1.0, level="I")  # n = 18, k = 1.659
    rng = np.random.default_rng(1)
    x = rng.normal(10.0, 1.0, p.n)
    mean, sd = x.mean(), x.std(ddof=1)
    usl_ok = mean + (p.k + 0.01) * sd
    usl_bad = mean + (p.k - 0.01) * sd
    v = iso3951_4.verify(p, x, usl=usl_ok)
    assert v.verdict == "not contradicted" and v.decision.q_upper == pytest.approx(p.k + 0.01)
    assert iso3951_4.verify(p, x, usl=usl_bad).verdict == "contradicted"
    assert iso3951_4.verify(p, x, lsl=mean - (p.k - 0.01) * sd).verdict == "contradicted"
    assert iso3951_4.verify(p, x, lsl=mean - 5 * sd, usl=usl_bad).verdict == "contradicted"
    assert iso3951_4.verify(p, x, lsl=mean - 5 * sd, usl=usl_ok).verdict == "not contradicted"
    ps = iso3951_4.plan(dql=1.0, level="I", method="sigma", sigma=2.0)
    y = np.full(ps.n, 10.0)
    assert iso3951_4.verify(ps, y, usl=10.0 + 2.0 * (ps.k + 0.01)).verdict == "not contradicted"
    assert iso3951_4.verify(ps, y, usl=10.0 + 2.0 * (ps.k - 0.01)).verdict == "contradicted"


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"dql": 0.0065}, ValueError, "DQL is in percent here"),
        ({"dql": 0.3}, ValueError, "dql = 0.3"),
        ({"dql": "x"}, ValueError, "dql"),
        ({"dql": None}, TypeError, "dql"),
        ({"dql": 0.65, "level": "IV"}, ValueError, "level"),
        ({"dql": 0.65, "level": 2}, TypeError, "level"),
        ({"dql": 0.65, "method": "t"}, ValueError, "method"),
        ({"dql": 0.65, "method": "sigma", "sigma": -1.0}, ValueError, "sigma"),
    ],
)
def test_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        iso3951_4.plan(**kwargs)


def test_verify_bad_input():
    p = iso3951_4.plan(dql=1.0, level="I")
    with pytest.raises(TypeError, match="plan"):
        iso3951_4.verify("plan", [1.0] * 18, usl=2.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        iso3951_4.verify(p, [1.0, 2.0], usl=3.0)
    with pytest.raises(ValueError):
        iso3951_4.verify(p, np.linspace(0, 1, 18))
