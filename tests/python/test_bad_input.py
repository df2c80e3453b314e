"""Bad input through every public name: a clear error, never a crash or a raw message.

The cases repeat, as a standing regression test, the classes of unclear errors a
fuzzing pass found (issue 9, section 2b): option arguments that are not strings,
integers too large for a C long, numbers given as strings or bytes, floats where
whole numbers are required, and very long arrays in messages. Each call must raise
``ValueError`` or ``TypeError`` whose message names the argument and stays short.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

import qualstat as qs
from qualstat.cli import main as cli

BIG = 10**30
FRAME = pl.DataFrame({"g": ["a", "a", "b", "b"], "x": [1.0, 2.0, 3.0, 4.5]})
DATA = np.linspace(9.0, 11.0, 30)
NC_LOT = [500.0] * 30
GAUGE = pl.DataFrame(
    {
        "p": [1, 1, 2, 2] * 2,
        "o": ["A"] * 4 + ["B"] * 4,
        "y": [1.0, 1.1, 2.0, 2.2, 1.2, 1.0, 2.1, 2.3],
    }
)
SPOT = pl.DataFrame({"u": ["a", "b", "c"], "ok": [8, 9, 7], "n": [10, 10, 10]})


def _spot(**kwargs):
    return qs.spot_check_report(SPOT, **{"passed": "ok", "inspected": "n", "by": "u", **kwargs})


def _plan():
    return qs.AttributePlan.single(50, 1)


def _vplan():
    return qs.VariablesPlan(20, 1.8)


def _ddf():
    import dask.dataframe as dd

    return dd.from_pandas(FRAME.to_pandas(), npartitions=2)


def _qsd():
    from qualstat import dask as qsd

    return qsd


# (argument named in the message, call)
CASES = [
    # pass rates
    ("method", lambda: qs.proportion_ci(5, 10, method=5)),
    ("bound", lambda: qs.proportion_ci(5, 10, bound=None)),
    ("confidence", lambda: qs.proportion_ci(5, 10, confidence="0.95")),
    ("successes", lambda: qs.proportion_ci(BIG, 10)),
    ("trials", lambda: qs.proportion_ci(5, BIG)),
    ("successes", lambda: qs.proportion_ci("5", 10)),
    ("successes", lambda: qs.proportion_ci(b"5", 10)),
    ("method", lambda: qs.proportion_diff_ci(5, 10, 6, 10, method=1)),
    ("method", lambda: qs.rate_ci(3, 100.0, method=[])),
    ("pass_rate", lambda: qs.demonstration_sample_size("0.9", 0.95)),
    ("failures", lambda: qs.demonstration_sample_size(0.9, 0.95, failures=BIG)),
    ("failures", lambda: qs.demonstration_sample_size(0.9, 0.95, failures=1.5)),
    # attribute plans
    ("n", lambda: qs.AttributePlan.single(BIG, 1)),
    ("n", lambda: qs.AttributePlan(b"5", 1, 2)),
    ("ac", lambda: qs.AttributePlan.single(50, "1")),
    ("model", lambda: _plan().prob_accept(0.01, model=3)),
    ("lot_size", lambda: _plan().prob_accept(0.01, model="hypergeometric", lot_size=BIG)),
    ("model", lambda: qs.design_plan(0.01, 0.05, model=None)),
    ("alpha", lambda: qs.design_plan(0.01, 0.05, alpha="0.05")),
    ("lot_size", lambda: qs.design_plan(0.01, 0.05, model="hypergeometric", lot_size=0)),
    # ISO 2859-1
    ("level", lambda: qs.iso2859_1.code_letter(1000, level=2)),
    ("lot_size", lambda: qs.iso2859_1.code_letter(BIG)),
    ("lot_size", lambda: qs.iso2859_1.code_letter("1000")),
    ("inspection", lambda: qs.iso2859_1.plan(aql=1.0, lot_size=1000, inspection=1)),
    ("kind", lambda: qs.iso2859_1.plan(aql=1.0, lot_size=1000, kind=2)),
    ("aql", lambda: qs.iso2859_1.plan(aql=0.7, lot_size=1000)),
    # variables plans
    ("method", lambda: qs.VariablesPlan(20, 1.8, method=5)),
    ("n", lambda: qs.VariablesPlan(BIG, 1.8)),
    ("n", lambda: qs.VariablesPlan("20", 1.8)),
    ("k", lambda: qs.VariablesPlan(20, "1.8")),
    ("measurements", lambda: _vplan().decide([1.0, 2.0, np.inf, 3.0], usl=10.0)),
    ("method", lambda: qs.design_variables_plan(0.01, 0.1, method=0)),
    ("level", lambda: qs.iso3951.plan(aql=1.0, lot_size=1000, level=3)),
    # capability and spc
    ("within", lambda: qs.capability(DATA, lsl=8.0, usl=12.0, within=5)),
    ("confidence", lambda: qs.capability(DATA, lsl=8.0, usl=12.0, confidence=2)),
    ("lsl", lambda: qs.capability(DATA, lsl="8", usl=12.0)),
    ("subgroup_size", lambda: qs.capability(DATA, lsl=8.0, usl=12.0, subgroup_size=BIG)),
    ("lsl", lambda: qs.capability_by(FRAME, value="x", by="g", lsl=float("nan"), usl=9.0)),
    ("n", lambda: qs.spc.c4(BIG)),
    ("n", lambda: qs.spc.d2("5")),
    ("n", lambda: qs.spc.chart_factors(2.5)),
    # net content
    ("regime", lambda: qs.net_content.tne(500, regime=3)),
    ("regime", lambda: qs.net_content.tne(500)),
    ("regime", lambda: qs.net_content.tne(500, regime="nz")),
    ("nominal", lambda: qs.net_content.tne("500", regime="eu")),
    ("nominal", lambda: qs.net_content.tne(float("nan"), regime="eu")),
    ("nominal", lambda: qs.net_content.tne(-500.0, regime="eu")),
    ("nominal", lambda: qs.net_content.tne(20_000.0, regime="eu")),
    ("unit", lambda: qs.net_content.tne(500, "lb", regime="eu")),
    ("rounding", lambda: qs.net_content.tne(500, regime="eu", rounding="up")),
    ("lot_size", lambda: qs.net_content.plan("eu", BIG)),
    ("lot_size", lambda: qs.net_content.plan("eu", 2.5)),
    ("lot_size", lambda: qs.net_content.plan("oiml_r87_2004", 50)),
    ("kind", lambda: qs.net_content.plan("eu", 1000, kind=2)),
    ("lam", lambda: qs.net_content.plan("eu", 1000, lam="t")),
    ("destructive", lambda: qs.net_content.plan("eu", 1000, destructive="yes")),
    (
        "measurements",
        lambda: qs.net_content.decide(NC_LOT[:-1] + [np.nan], 500, regime="eu", lot_size=300),
    ),
    (
        "measurements",
        lambda: qs.net_content.decide(NC_LOT[:-1] + [-1.0], 500, regime="eu", lot_size=300),
    ),
    ("measurements", lambda: qs.net_content.decide([], 500, regime="eu", lot_size=300)),
    ("measurements", lambda: qs.net_content.decide(NC_LOT[:5], 500, regime="eu", lot_size=300)),
    ("measurements", lambda: qs.net_content.decide(["500"] * 30, 500, regime="eu", lot_size=300)),
    (
        "mean_rule",
        lambda: qs.net_content.decide(NC_LOT, 500, regime="eu", lot_size=300, mean_rule="ge2"),
    ),
    ("lam", lambda: qs.net_content.decide(NC_LOT, 500, regime="eu", lot_size=300, lam=None)),
    (
        "t2_policy",
        lambda: qs.net_content.decide(NC_LOT, 500, regime="eu", lot_size=300, t2_policy="all"),
    ),
    ("tare", lambda: qs.net_content.decide(NC_LOT, 500, regime="eu", lot_size=300, tare=600.0)),
    ("tare", lambda: qs.net_content.decide(NC_LOT, 500, regime="eu", lot_size=300, tare="1")),
    ("lot_size", lambda: qs.net_content.decide(NC_LOT, 500, regime="eu", lot_size=0)),
    (
        "value",
        lambda: qs.net_content.decide_lots(
            FRAME, value=1, lot="g", nominal=500, regime="eu", lot_size=300
        ),
    ),
    (
        "lot_size",
        lambda: qs.net_content.decide_lots(
            FRAME, value="x", lot="g", nominal=500, regime="eu", lot_size="n"
        ),
    ),
    ("delta", lambda: qs.net_content.plan("eu", 1000).prob_pass_mean(np.inf)),
    ("method", lambda: qs.net_content.plan("eu", 1000).prob_pass_mean(0.0, method="t")),
    ("p", lambda: qs.net_content.plan("eu", 1000).prob_pass_t1(1.5)),
    # conformity with measurement uncertainty
    ("u", lambda: qs.conformity.conformance_probability(9.9, "0.1", 9.0, 10.0)),
    ("y", lambda: qs.conformity.conformance_probability(b"9", 0.1, 9.0, 10.0)),
    ("df", lambda: qs.conformity.conformance_probability(9.9, 0.1, 9.0, 10.0, df=-1)),
    ("lower", lambda: qs.conformity.conformance_probability(9.9, 0.1, "9", 10.0)),
    ("rule", lambda: qs.conformity.guard_band(0.1, 9.0, 10.0, rule=None)),
    ("risk", lambda: qs.conformity.guard_band(0.1, 9.0, 10.0, rule="specific_risk", risk=BIG)),
    ("k", lambda: qs.conformity.guard_band(0.1, 9.0, 10.0, rule="w=U", k="2")),
    ("statement", lambda: qs.conformity.decide(9.9, 0.1, 9.0, 10.0, statement=1)),
    ("process_sd", lambda: qs.conformity.global_risk(10.0, -1.0, 0.1, 9.0, 11.0)),
    ("acceptance", lambda: qs.conformity.global_risk(10.0, 0.3, 0.1, 9.0, 11.0, acceptance="x")),
    ("upper", lambda: qs.conformity.cm(0.1, 9.0, None)),
    # control charts
    ("sigma_method", lambda: qs.control.xbar_r(DATA, subgroup_size=5, sigma_method=3)),
    ("constants", lambda: qs.control.xbar_r(DATA, subgroup_size=5, constants=None)),
    ("subgroup_size", lambda: qs.control.xbar_s(DATA, subgroup_size=BIG)),
    ("subgroup_size", lambda: qs.control.xbar_s(DATA, subgroup_size="5")),
    ("sigma", lambda: qs.control.xbar_r(DATA, subgroup_size=5, sigma="1")),
    ("L", lambda: qs.control.imr(DATA, L=BIG)),
    ("span", lambda: qs.control.imr(DATA, span=BIG)),
    ("rules", lambda: qs.control.imr(DATA, rules=5)),
    ("rules", lambda: qs.control.imr(DATA, rules=[("we", "1")])),
    ("rule", lambda: qs.control.imr(DATA, rules=[("we", BIG)])),
    ("phase1", lambda: qs.control.imr(DATA, phase1=[1] * 30)),
    ("values", lambda: qs.control.imr(["1", "2"])),
    ("limits", lambda: qs.control.p([1, 2], [10, 10], limits=1)),
    ("confidence", lambda: qs.control.p([1, 2], [10, 10], confidence="0.9")),
    ("center", lambda: qs.control.c([1, 2], center=BIG * 1e300 * 1e10)),
    ("axis", lambda: qs.control.p_prime([1, 2], [10, 10], axis=0)),
    ("sizes", lambda: qs.control.u([1, 2], [10, np.nan])),
    ("counts", lambda: qs.control.g([1.5, 2])),
    ("k", lambda: qs.control.cusum(DATA, k="0.5")),
    ("h", lambda: qs.control.cusum(DATA, h=BIG)),
    ("head_start", lambda: qs.control.cusum(DATA, head_start=-1)),
    ("lam", lambda: qs.control.ewma(DATA, lam=BIG)),
    ("limits", lambda: qs.control.ewma(DATA, limits="fixed")),
    ("target", lambda: qs.control.ewma(DATA, target=np.nan)),
    ("x", lambda: qs.control.c([1, 2, 3]).oc("1")),
    # gauge studies
    ("method", lambda: qs.msa.gauge_rr(GAUGE, part="p", operator="o", value="y", method=1)),
    ("f_test", lambda: qs.msa.gauge_rr(GAUGE, part="p", operator="o", value="y", f_test="sas")),
    ("design", lambda: qs.msa.gauge_rr(GAUGE, part="p", operator="o", value="y", design=None)),
    ("tolerance", lambda: qs.msa.gauge_rr(GAUGE, part="p", operator="o", value="y", tolerance="8")),
    ("tolerance", lambda: qs.msa.gauge_rr(GAUGE, part="p", operator="o", value="y", tolerance=0)),
    (
        "study_var",
        lambda: qs.msa.gauge_rr(GAUGE, part="p", operator="o", value="y", study_var=float("inf")),
    ),
    (
        "alpha_remove",
        lambda: qs.msa.gauge_rr(GAUGE, part="p", operator="o", value="y", alpha_remove="0.05"),
    ),
    ("constants", lambda: qs.msa.gauge_rr(GAUGE, part="p", operator="o", value="y", constants=4)),
    ("part", lambda: qs.msa.gauge_rr(GAUGE, part=1, operator="o", value="y")),
    ("tolerance", lambda: qs.msa.type1(DATA, reference=10.0, tolerance=-1.0)),
    ("reference", lambda: qs.msa.type1(DATA, reference="10", tolerance=1.0)),
    ("k", lambda: qs.msa.type1(DATA, reference=10.0, tolerance=1.0, k=BIG)),
    ("values", lambda: qs.msa.type1("abc", reference=10.0, tolerance=1.0)),
    # frames: polars LazyFrame input, Dask DataFrames (errors before any computation)
    ("columns", lambda: qs.pass_rates(FRAME.lazy(), passed="nope")),
    ("value", lambda: _vplan().decide_lots(FRAME.lazy(), value=5, lot="g")),
    ("frame", lambda: _qsd().pass_rates(FRAME, passed="x")),
    ("method", lambda: _qsd().pass_rates(_ddf(), passed="x", by="g", method=5)),
    ("by", lambda: _qsd().pass_rates(_ddf(), passed="x", by=3)),
    ("within", lambda: _qsd().capability_by(_ddf(), value="x", by="g", usl=9.0, within=5)),
    ("lsl", lambda: _qsd().capability_by(_ddf(), value="x", by="g", lsl=float("nan"))),
    ("subgroup_size", lambda: _qsd().capability_by(_ddf(), value="x", by="g", subgroup_size=0)),
    ("by = 'cpk'", lambda: _qsd().capability_by(_ddf(), value="x", by="cpk", usl=9.0)),
    ("plan", lambda: _qsd().decide_lots(_ddf(), "plan", value="x", lot="g")),
    ("lsl", lambda: _qsd().decide_lots(_ddf(), _vplan(), value="x", lot="g", lsl=5, usl=1)),
    ("k_lower", lambda: _qsd().decide_lots(_ddf(), _vplan(), value="x", lot="g", k_lower="1")),
    # spot-check report
    ("target", lambda: _spot(target=BIG)),
    ("target", lambda: _spot(target="95")),
    ("by", lambda: _spot(by=5)),
    ("limits", lambda: _spot(limits=1)),
    ("prior", lambda: _spot(prior="nope")),
    ("draws", lambda: _spot(draws=BIG)),
    ("seed", lambda: _spot(seed=1.5)),
    ("period", lambda: _spot(period=["u"])),
    ("passed", lambda: _spot(passed=b"ok")),
    # control: run lengths and design
    ("shift", lambda: qs.control.arl_shewhart(float("nan"))),
    ("shift", lambda: qs.control.arl_shewhart("1")),
    ("shift[1]", lambda: qs.control.arl_cusum([0.0, np.nan], k=0.5, h=4.0)),
    ("rules", lambda: qs.control.arl_shewhart(0.0, rules=5)),
    ("rule_set", lambda: qs.control.arl_shewhart(0.0, rules=[("xx", 1)])),
    ("rules", lambda: qs.control.arl_shewhart(0.0, rules=[("nelson", 3)])),
    ("L", lambda: qs.control.arl_shewhart(0.0, L=-3.0)),
    ("subgroup_size", lambda: qs.control.arl_shewhart(0.0, subgroup_size=0)),
    ("state", lambda: qs.control.arl_shewhart(0.0, state="stationary")),
    ("state", lambda: qs.control.arl_ewma(0.0, lam=0.2, L=3.0, state=1)),
    ("k", lambda: qs.control.arl_cusum(0.0, k=-1.0, h=4.0)),
    ("h", lambda: qs.control.arl_cusum(0.0, k=0.5, h=float("inf"))),
    ("h", lambda: qs.control.arl_cusum(0.0, k=0.5, h="4")),
    ("head_start", lambda: qs.control.arl_cusum(0.0, k=0.5, h=4.0, head_start=5.0)),
    ("sides", lambda: qs.control.arl_cusum(0.0, k=0.5, h=4.0, sides=3)),
    ("sides", lambda: qs.control.arl_cusum(0.0, k=0.5, h=4.0, sides=BIG)),
    ("lam", lambda: qs.control.arl_ewma(0.0, lam=1.5, L=3.0)),
    ("L", lambda: qs.control.arl_ewma(0.0, lam=0.2, L=0.0)),
    ("arl0", lambda: qs.control.cusum_h(0.5, 0.5)),
    ("k", lambda: qs.control.cusum_h(float("nan"), 370.0)),
    ("head_start_fraction", lambda: qs.control.cusum_h(0.5, 370.0, head_start_fraction=0.9)),
    ("arl0", lambda: qs.control.ewma_L(0.2, BIG)),
    ("lam", lambda: qs.control.ewma_L(0.0, 370.0)),
    ("shift", lambda: qs.control.ewma_design(0.0, 370.0)),
    ("arl0", lambda: qs.control.ewma_design(1.0, -5.0)),
    ("chart", lambda: qs.control.run_length("xbar", 1.0)),
    ("h", lambda: qs.control.run_length("cusum", 1.0, k=0.5)),
    ("tail", lambda: qs.control.run_length("ewma", 1.0, lam=0.2, L=3.0, tail=0.0)),
    ("shift", lambda: qs.control.run_length("ewma", [1.0], lam=0.2, L=3.0)),
    # infrastructure
    ("threads", lambda: qs.set_num_threads(2**53 + 1)),
    ("threads", lambda: qs.set_num_threads("4")),
]


@pytest.mark.parametrize(
    ("argument", "call"), CASES, ids=[f"{i}-{c[0]}" for i, c in enumerate(CASES)]
)
def test_bad_input_names_the_argument(argument, call):
    with pytest.raises((ValueError, TypeError)) as info:
        call()
    message = str(info.value)
    assert argument in message, message
    assert len(message) < 400, message
    for raw in ("C long", "truth value of an array", "inhomogeneous", "object is not an instance"):
        assert raw not in message, message


# The command line (qualstat.cli.main): (argument named in the one-line error, argv).
CLI_CASES = [
    ("confidence", ["ci", "5", "10", "--confidence", "2"]),
    ("method", ["ci", "5", "10", "--method", "5"]),
    ("trials", ["ci", "5", str(BIG)]),
    ("lot_size", ["plan", "--aql", "1.0", "--lot-size", str(BIG)]),
    ("level", ["plan", "--aql", "1.0", "--lot-size", "1000", "--level", "3"]),
    ("aql", ["plan", "--aql", "nan", "--lot-size", "1000"]),
    ("alpha", ["design", "--aql", "0.01", "--lq", "0.05", "--alpha", "nan"]),
    ("p[0]", ["oc", "--n", "80", "--ac", "2", "--p", "-0.1"]),
    ("lot_size", ["oc", "--n", "80", "--ac", "2", "--model", "hypergeometric"]),
    ("nonconforming[0]", ["decide", "--n", "80", "--ac", "2", "--nonconforming", "-1"]),
    ("--lot-size", ["plan", "--aql", "1.0", "--lot-size", "1e3"]),
    ("--aql", ["scheme", "lots.csv"]),
    ("--value", ["capability", "missing.csv"]),
]


@pytest.mark.parametrize(
    ("argument", "argv"), CLI_CASES, ids=[f"cli{i}-{c[0]}" for i, c in enumerate(CLI_CASES)]
)
def test_cli_bad_input_is_one_line_naming_the_argument(argument, argv, capsys):
    assert cli(argv) in (2, 3, 4)
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and argument in lines[0], captured.err
    assert len(lines[0]) < 400 and captured.out == ""


def test_long_arrays_are_not_printed_in_messages():
    n = np.full(1_000_000, 10, dtype=np.int64)
    x = n.copy()
    x[-1] = 11  # x > n at the last element
    with pytest.raises(ValueError) as info:
        qs.proportion_ci(x, n)
    assert len(str(info.value)) < 400
    with pytest.raises(ValueError) as info:
        qs.proportion_ci(x[:10], n)
    assert len(str(info.value)) < 400
