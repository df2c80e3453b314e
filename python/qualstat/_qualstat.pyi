# Stubs of the native module (checked by mypy.stubtest in `make test`).
from typing import Any, TypedDict, final

import numpy as np
import numpy.typing as npt

__version__: str

_F64 = npt.NDArray[np.float64]
_Counts = npt.NDArray[np.int64] | npt.NDArray[np.float64]

_MAX_THREADS: int

def set_num_threads(threads: int) -> None: ...
def get_num_threads() -> int: ...
def _num_threads_env_problem() -> str | None: ...
def _after_fork_in_child() -> None: ...

# proportion
def _proportion_ci(
    successes: float, trials: float, confidence: float, method: str, bound: str
) -> tuple[float, float]: ...
def _proportion_ci_batch(
    successes: _Counts,
    trials: _Counts,
    confidence: float,
    method: str,
    bound: str,
    lower: _F64,
    upper: _F64,
) -> None: ...
def _proportion_ci_finite(
    successes: float, trials: float, population: float, confidence: float, bound: str
) -> tuple[float, float]: ...
def _proportion_ci_finite_batch(
    successes: _Counts,
    trials: _Counts,
    population: _Counts,
    confidence: float,
    bound: str,
    lower: _F64,
    upper: _F64,
) -> None: ...
def _proportion_diff_ci(
    successes1: float,
    trials1: float,
    successes2: float,
    trials2: float,
    confidence: float,
    method: str,
    bound: str,
) -> tuple[float, float]: ...
def _proportion_diff_ci_batch(
    successes1: _Counts,
    trials1: _Counts,
    successes2: _Counts,
    trials2: _Counts,
    confidence: float,
    method: str,
    bound: str,
    lower: _F64,
    upper: _F64,
) -> None: ...
def _proportion_diff_test(
    successes1: float,
    trials1: float,
    successes2: float,
    trials2: float,
    delta: float,
    method: str,
    alternative: str,
) -> tuple[float, float]: ...
def _proportion_diff_test_batch(
    successes1: _Counts,
    trials1: _Counts,
    successes2: _Counts,
    trials2: _Counts,
    delta: float,
    method: str,
    alternative: str,
    statistic: _F64,
    p_value: _F64,
) -> None: ...
def _proportion_test(
    successes: float, trials: float, p0: float, method: str, alternative: str
) -> tuple[float, float]: ...
def _proportion_test_finite(
    successes: float, trials: float, population: float, p0: float, method: str, alternative: str
) -> tuple[float, float]: ...
def _proportion_test_batch(
    successes: _Counts,
    trials: _Counts,
    p0: _F64,
    method: str,
    alternative: str,
    statistic: _F64,
    p_value: _F64,
) -> None: ...
def _proportion_test_finite_batch(
    successes: _Counts,
    trials: _Counts,
    population: _Counts,
    p0: _F64,
    method: str,
    alternative: str,
    statistic: _F64,
    p_value: _F64,
) -> None: ...
def _adjust_p(p_values: _F64, method: str, adjusted: _F64) -> None: ...
def _rate_ci(
    count: float, exposure: float, confidence: float, method: str, bound: str
) -> tuple[float, float]: ...
def _rate_ci_batch(
    count: _Counts,
    exposure: _F64,
    confidence: float,
    method: str,
    bound: str,
    lower: _F64,
    upper: _F64,
) -> None: ...
def _demonstration_sample_size(pass_rate: float, confidence: float, failures: float) -> int: ...

# supervision (beta-binomial shrinkage, rank intervals)
def _shrink(
    successes: npt.NDArray[np.float64],
    trials: npt.NDArray[np.float64],
    method: str,
    confidence: float,
) -> tuple[
    float, float, npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]
]: ...
def _funnel_limits(
    n: npt.NDArray[np.float64], target: float, prob: float, limits: str, phi: float, tau2: float
) -> npt.NDArray[np.float64]: ...
def _funnel(
    successes: npt.NDArray[np.float64],
    trials: npt.NDArray[np.float64],
    target: float,
    limits: str,
    levels: list[float],
    overdispersion: str | None,
    winsorize: float,
    trim: bool,
    out: tuple[
        npt.NDArray[np.float64],
        npt.NDArray[np.float64],
        npt.NDArray[np.float64],
        npt.NDArray[np.uint8],
    ],
) -> tuple[float, float]: ...
def _rank_intervals(
    successes: npt.NDArray[np.float64],
    trials: npt.NDArray[np.float64],
    confidence: float,
    draws: int,
    seed: int,
    prior: str,
) -> tuple[
    tuple[float, float],
    npt.NDArray[np.uint32],
    npt.NDArray[np.uint32],
    npt.NDArray[np.uint32],
    npt.NDArray[np.float64],
    npt.NDArray[np.float64],
    npt.NDArray[np.float64],
]: ...

# spc
def _chart_factors(n: int) -> dict[str, float]: ...
def _spc_constant(constant: str, n: int) -> float: ...
def _spc_constants(constant: str, n: npt.NDArray[np.int64]) -> _F64: ...

# capability
_I64 = npt.NDArray[np.int64]

class _StudyOptions(TypedDict):
    within: str
    confidence: float
    bound: str
    nan_policy: str
    distribution: str
    boxcox_rule: str | None
    boxcox_lambda: float | None
    method: str
    bootstrap: str
    resamples: int
    seed: int

def _capability(
    data: _F64,
    subgroup_size: int | None,
    subgroup_sizes: _I64 | None,
    lsl: float | None,
    usl: float | None,
    target: float | None,
    options: _StudyOptions,
) -> dict[str, Any]: ...
def _capability_by(
    values: _F64,
    group_offsets: _I64,
    subgroup_size: int | None,
    subgroup_offsets: _I64 | None,
    lsl: _F64,
    usl: _F64,
    target: _F64,
    options: _StudyOptions,
) -> tuple[dict[str, _F64], list[str | None], list[str | None]]: ...
def _capability_summaries(
    summaries: dict[str, npt.NDArray[Any]],
    subgroup_offsets: _I64 | None,
    subgroup_size: int | None,
    lsl: _F64,
    usl: _F64,
    target: _F64,
    options: _StudyOptions,
) -> tuple[dict[str, _F64], list[str | None], list[str | None]]: ...

# summaries
def _moments_by_key(
    values: _F64, keys: _I64
) -> tuple[_I64, _I64, tuple[npt.NDArray[np.uint64], _F64, _F64]]: ...
def _merge_moments(
    offsets: _I64, n: npt.NDArray[np.uint64], mean: _F64, m2: _F64
) -> tuple[npt.NDArray[np.uint64], _F64, _F64]: ...
def _group_ids(keys: _I64) -> tuple[_I64, _I64]: ...

# plan
_DecisionTuple = tuple[str, int, int, int | None, bool]

@final
class _AttributePlan:
    def __new__(
        cls, n: list[int], ac: list[int], re: list[int], final_gap: bool = False
    ) -> _AttributePlan: ...
    @property
    def n(self) -> list[int]: ...
    @property
    def ac(self) -> list[int]: ...
    @property
    def re(self) -> list[int]: ...
    @property
    def final_gap(self) -> bool: ...
    def evaluate(
        self, p: _F64, model: str, lot_size: int | None
    ) -> tuple[_F64, _F64, _F64, _F64 | None]: ...
    def evaluate_one(
        self, p: float, model: str, lot_size: int | None, name: str = "p"
    ) -> tuple[float, float, float, float | None]: ...
    def aoql(self, model: str, lot_size: int | None) -> tuple[float, float]: ...
    def quality_at(self, pa: float, model: str, lot_size: int | None) -> float: ...
    def asn_curtailed(self, p: float, mode: str) -> float: ...
    def decide(self, counts_per_stage: list[int]) -> _DecisionTuple: ...
    def decide_lots(
        self, counts: npt.NDArray[np.uint64], offsets: _I64
    ) -> tuple[
        npt.NDArray[np.uint8], _I64, npt.NDArray[np.uint64], _I64, npt.NDArray[np.bool_]
    ]: ...

def _prob_accept_grid(
    plans: list[_AttributePlan], p: _F64, model: str, lot_size: int | None
) -> npt.NDArray[np.float64]: ...
def _lot_stage_counts(
    keys: _I64,
    stage: _I64,
    items: npt.NDArray[np.uint64] | None,
    nonconforming: npt.NDArray[np.uint8] | npt.NDArray[np.uint64],
    stages: int,
) -> tuple[_I64, _I64, npt.NDArray[np.uint64], npt.NDArray[np.uint64]]: ...
def _design_plan(
    aql: float, lq: float, alpha: float, beta: float, model: str, lot_size: int | None
) -> tuple[int, int]: ...
def _design_plan_grid(
    aql: _F64, lq: _F64, alpha: _F64, beta: _F64, model: str, lot_size: int | None
) -> tuple[_I64, _I64]: ...
def _design_double_plan(
    aql: float,
    lq: float,
    alpha: float,
    beta: float,
    family: str,
    model: str,
    lot_size: int | None,
) -> _AttributePlan: ...
def _zero_acceptance_plan(lq: float, beta: float, model: str, lot_size: int | None) -> int: ...

# iso2859_1
def _iso2859_1_code_letter(lot_size: int, level: str) -> str: ...
def _iso2859_1_plan(
    aql: float,
    lot_size: int | None,
    code: str | None,
    level: str,
    inspection: str,
    kind: str,
    edition: str,
) -> dict[str, Any]: ...
def _iso2859_1_scheme_oc(pa_normal: _F64, pa_tightened: _F64) -> _F64: ...

@final
class _Iso2859Scheme:
    def __new__(cls, aql: float, level: str, kind: str, edition: str) -> _Iso2859Scheme: ...
    @property
    def edition(self) -> str: ...
    @property
    def state(self) -> str: ...
    @property
    def switching_score(self) -> int: ...
    def current_plan(self, lot_size: int) -> dict[str, Any]: ...
    def inspect(self, lot_size: int, counts_per_stage: list[int]) -> dict[str, Any]: ...
    def run(
        self, lot_sizes: list[int], counts_per_lot: list[list[int]]
    ) -> list[dict[str, Any]]: ...
    def resume(self) -> None: ...

# variables
@final
class _VariablesPlan:
    def __new__(
        cls,
        n: int,
        k: float | None = None,
        m: float | None = None,
        method: str = "s",
        sigma: float | None = None,
    ) -> _VariablesPlan: ...
    @property
    def n(self) -> int: ...
    @property
    def k(self) -> float: ...
    @property
    def m(self) -> float: ...
    @property
    def method(self) -> str: ...
    @property
    def sigma(self) -> float | None: ...
    def prob_accept(self, p: _F64) -> _F64: ...
    def prob_accept_at(self, p: float, name: str) -> float: ...
    def quality_at(self, pa: float) -> float: ...
    def wallis(self, p: _F64) -> _F64: ...
    def decide(
        self,
        x: _F64,
        lsl: float | None,
        usl: float | None,
        control_name: str,
        k_lower: float | None = None,
        k_upper: float | None = None,
    ) -> tuple[
        str,
        int,
        float,
        float,
        float,
        float | None,
        float | None,
        float | None,
        float | None,
        float,
    ]: ...
    def decide_moments_into(
        self,
        n: npt.NDArray[np.uint64],
        mean: _F64,
        m2: _F64,
        accept: npt.NDArray[np.bool_],
        stats: _F64,
        lsl: float | None,
        usl: float | None,
        control_name: str,
        k_lower: float | None = None,
        k_upper: float | None = None,
    ) -> None: ...

def _design_variables_plan(
    aql: float, lq: float, alpha: float, beta: float, method: str
) -> tuple[_VariablesPlan, float, float, float, float, float, float]: ...

# iso3951
def _iso3951_code_letter(lot_size: int, level: str) -> str: ...
def _iso3951_plan(
    aql: float,
    lot_size: int | None,
    code: str | None,
    level: str,
    inspection: str,
    method: str,
) -> dict[str, Any]: ...

# dql
@final
class _DqlPlan:
    @property
    def dql(self) -> float: ...
    @property
    def n(self) -> int: ...
    @property
    def limiting_number(self) -> int: ...
    @property
    def alpha(self) -> float: ...
    @property
    def beta(self) -> float: ...
    @property
    def lq(self) -> float: ...
    @property
    def lqr(self) -> float: ...
    @property
    def model(self) -> str: ...
    @property
    def population(self) -> int | None: ...
    @property
    def full_inspection(self) -> bool: ...
    def contradicted(self, nonconforming: int) -> bool: ...
    def prob_contradict(self, ratios: _F64) -> _F64: ...

def _dql_design(
    dql: float,
    limiting_number: int | None,
    lqr: float | None,
    alpha: float,
    beta: float,
    sample_sizes: str,
    model: str,
    population: int | None,
) -> _DqlPlan: ...
def _dql_allocate(n: int, sizes: list[int]) -> list[int]: ...
def _dql_allocate_equal(n: int, strata: int) -> list[int]: ...

# iso2859_2
def _iso2859_2_plan(lq: float, lot_size: int) -> dict[str, Any]: ...

# iso3951_4
def _iso3951_4_plan(dql: float, level: str, method: str) -> dict[str, Any]: ...

# net content of prepackages
def _nc_tne(
    nominal: float, unit: str, regime: str, rounding: str | None = None
) -> tuple[float, float | None]: ...
def _nc_plan(
    regime: str, lot_size: int, destructive: bool, kind: str | None = None
) -> dict[str, Any]: ...
def _nc_prob_pass_mean(
    delta: npt.NDArray[np.float64], n: int, lam: float, method: str
) -> npt.NDArray[np.float64]: ...
def _nc_prob_pass_t1(
    p: npt.NDArray[np.float64],
    regime: str,
    lot_size: int,
    destructive: bool,
    kind: str | None,
    model: str,
) -> npt.NDArray[np.float64]: ...
def _nc_decide(
    values: npt.NDArray[np.float64],
    stage_sizes: list[int],
    nominal: float,
    lot_size: int,
    tare_each: float | None,
    tare: npt.NDArray[np.float64] | None,
    settings: dict[str, Any],
) -> dict[str, Any]: ...
def _nc_decide_lots(
    values: npt.NDArray[np.float64],
    offsets: npt.NDArray[np.uint64],
    nominal: npt.NDArray[np.float64],
    lot_size: npt.NDArray[np.uint64],
    tare: npt.NDArray[np.float64] | None,
    settings: dict[str, Any],
) -> tuple[
    list[npt.NDArray[np.float64]], list[npt.NDArray[np.int8]], list[npt.NDArray[np.uint64]]
]: ...

# conformity
def _conformance_probability(
    y: _F64, u: _F64, lower: _F64, upper: _F64, df: _F64, complement: bool
) -> _F64: ...
def _measurement_capability_index(u: _F64, lower: _F64, upper: _F64) -> _F64: ...
def _global_risk(
    process_mean: _F64,
    process_sd: _F64,
    u: _F64,
    lower: _F64,
    upper: _F64,
    acceptance_lower: _F64,
    acceptance_upper: _F64,
) -> tuple[_F64, _F64, _F64, _F64]: ...
def _guard_band(
    u: _F64, lower: _F64, upper: _F64, df: _F64, rule: str, risk: float, k: float
) -> tuple[_F64, _F64]: ...
def _decide(
    y: _F64,
    u: _F64,
    lower: _F64,
    upper: _F64,
    df: _F64,
    rule: str,
    statement: str,
    risk: float,
    k: float,
) -> tuple[npt.NDArray[np.uint8], _F64, _F64, _F64]: ...

_VERDICTS: list[str]
# control
_Limits = tuple[_F64, _F64, _F64, _F64]

def _control_rule_list(rules: Any) -> list[tuple[str, int, str]]: ...
def _control_rules(
    value: _F64,
    center: _F64,
    sigma: _F64,
    lcl: _F64,
    ucl: _F64,
    floor: float,
    ceiling: float,
    rules: Any,
) -> npt.NDArray[np.uint32]: ...
def _control_summaries(values: _F64, n: _I64) -> tuple[_F64, _F64, _F64]: ...
def _control_subgroup_sigma(
    method: str,
    n: _I64,
    ranges: _F64,
    sds: _F64,
    used: npt.NDArray[np.bool_],
    constants: str,
) -> float: ...
def _control_individuals_sigma(method: str, values: _F64, span: int, constants: str) -> float: ...
def _control_xbar_limits(center: float, sigma: float, n: _I64, l: float) -> _Limits: ...
def _control_range_limits(sigma: float, n: _I64, l: float, constants: str) -> _Limits: ...
def _control_sd_limits(sigma: float, n: _I64, l: float) -> _Limits: ...
def _control_attribute_limits(
    chart: str, center: float, n: _F64, l: float, scale: float, confidence: float | None = None
) -> _Limits: ...
def _control_laney_sigma_z(values: _F64, center: _F64, se: _F64, axis: str, d2: float) -> float: ...
def _control_cusum(z: _F64, k: float, h: float, head_start: float) -> tuple[_F64, _F64]: ...
def _control_ewma(
    x: _F64, n: _I64, target: float, sigma: float, lam: float, l: float, exact: bool
) -> tuple[_F64, _Limits]: ...
def _control_oc(family: str, x: _F64, lcl: float, ucl: float, n: float, sigma: float) -> _F64: ...
def _gauge_rr(
    values: npt.NDArray[np.float64],
    parts: npt.NDArray[np.uint32],
    operators: npt.NDArray[np.uint32] | None,
    method: str,
    design: str,
    f_test: str,
    alpha_remove: float | None,
    study_var: float,
    tolerance: float | None,
    constants: str,
) -> dict[str, Any]: ...
def _type1(
    values: npt.NDArray[np.float64],
    reference: float,
    tolerance: float,
    k: float,
    l: float,
    confidence: float,
) -> dict[str, Any]: ...

# control.arl: run lengths and design (src/python/control_arl.rs)
def _arl_shewhart(
    shifts: npt.NDArray[np.float64], l: float, rules: Any, subgroup_size: int, state: str
) -> npt.NDArray[np.float64]: ...
def _arl_attribute(
    family: str, x: npt.NDArray[np.float64], lcl: float, ucl: float, n: float
) -> npt.NDArray[np.float64]: ...
def _arl_cusum(
    shifts: npt.NDArray[np.float64], k: float, h: float, head_start: float, sides: int, state: str
) -> npt.NDArray[np.float64]: ...
def _arl_ewma(
    shifts: npt.NDArray[np.float64], lam: float, l: float, state: str
) -> npt.NDArray[np.float64]: ...
def _cusum_arl_markov(
    shift: float, k: float, h: float, head_start: float, states: int
) -> float: ...
def _cusum_h(k: float, arl0: float, sides: int, head_start_fraction: float) -> float: ...
def _ewma_L(lam: float, arl0: float) -> float: ...
def _ewma_optimal(shift: float, arl0: float) -> tuple[float, float, float]: ...
def _run_length_shewhart(
    shift: float, l: float, rules: Any, subgroup_size: int, state: str, tail: float, t_max: int
) -> tuple[float, float, npt.NDArray[np.float64]]: ...
def _run_length_attribute(
    family: str, x: float, lcl: float, ucl: float, n: float, tail: float, t_max: int
) -> tuple[float, float, npt.NDArray[np.float64]]: ...
def _run_length_cusum(
    shift: float,
    k: float,
    h: float,
    head_start: float,
    sides: int,
    state: str,
    tail: float,
    t_max: int,
) -> tuple[float, float, npt.NDArray[np.float64]]: ...
def _run_length_ewma(
    shift: float, lam: float, l: float, state: str, tail: float, t_max: int
) -> tuple[float, float, npt.NDArray[np.float64]]: ...
