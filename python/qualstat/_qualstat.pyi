# Stubs of the native module (checked by mypy.stubtest in `make test`).
import numpy as np
import numpy.typing as npt

__version__: str

_F64 = npt.NDArray[np.float64]
_Counts = npt.NDArray[np.int64] | npt.NDArray[np.float64]

def set_num_threads(threads: int) -> None: ...
def get_num_threads() -> int: ...
def _after_fork_in_child() -> None: ...

# proportion
def _proportion_ci(
    successes: float, trials: float, confidence: float, method: str, bound: str
) -> tuple[float, float]: ...
def _proportion_ci_batch(
    successes: _Counts, trials: _Counts, confidence: float, method: str, bound: str
) -> tuple[_F64, _F64]: ...
def _proportion_ci_finite(
    successes: float, trials: float, population: float, confidence: float, bound: str
) -> tuple[float, float]: ...
def _proportion_ci_finite_batch(
    successes: _Counts, trials: _Counts, population: _Counts, confidence: float, bound: str
) -> tuple[_F64, _F64]: ...
def _proportion_diff_ci(
    x1: float, n1: float, x2: float, n2: float, confidence: float, method: str
) -> tuple[float, float]: ...
def _proportion_diff_ci_batch(
    x1: _Counts, n1: _Counts, x2: _Counts, n2: _Counts, confidence: float, method: str
) -> tuple[_F64, _F64]: ...
def _rate_ci(count: float, exposure: float, confidence: float, method: str) -> tuple[float, float]: ...
def _rate_ci_batch(
    count: _Counts, exposure: _F64, confidence: float, method: str
) -> tuple[_F64, _F64]: ...
def _demonstration_sample_size(pass_rate: float, confidence: float, failures: float) -> int: ...

# spc
def _c4(n: int) -> float: ...
def _d2(n: int) -> float: ...
def _d3(n: int) -> float: ...
def _d4(n: int) -> float: ...
def _chart_factors(n: int) -> dict[str, float]: ...

# capability
_I64 = npt.NDArray[np.int64]

def _capability(
    data: _F64,
    subgroup_size: int | None,
    subgroup_sizes: _I64 | None,
    lsl: float | None,
    usl: float | None,
    target: float | None,
    within: str,
    confidence: float,
    bound: str,
    nan_policy: str,
) -> dict[str, object]: ...
def _boxcox_capability(
    data: _F64,
    subgroup_size: int | None,
    subgroup_sizes: _I64 | None,
    lsl: float | None,
    usl: float | None,
    target: float | None,
    within: str,
    confidence: float,
    bound: str,
    nan_policy: str,
    lambda_mode: str,
    lambda_value: float | None,
) -> dict[str, object]: ...
def _percentile_capability(
    data: _F64, lsl: float | None, usl: float | None, target: float | None, distribution: str
) -> dict[str, object]: ...
def _bootstrap_interval(
    data: _F64,
    subgroup_size: int | None,
    subgroup_sizes: _I64 | None,
    lsl: float | None,
    usl: float | None,
    target: float | None,
    within: str,
    confidence: float,
    bound: str,
    nan_policy: str,
    index: str,
    resamples: int,
    seed: int,
    method: str,
) -> tuple[float, float, float, int]: ...
def _capability_by(
    values: _F64,
    group_offsets: _I64,
    subgroup_size: int | None,
    subgroup_offsets: _I64 | None,
    lsl: _F64,
    usl: _F64,
    target: _F64,
    within: str,
    confidence: float,
    bound: str,
    nan_policy: str,
) -> tuple[dict[str, _F64], list[str | None]]: ...
