"""The timing helper of the benches/compare_*.py scripts (imported as ``_timing``: a script's
own folder is first on ``sys.path``).

A shared machine is noisy, so a time is the least of ``repeat`` calls (the ``timeit``
rule: the fastest call is the least disturbed by other load).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import NamedTuple, TypeVar

T = TypeVar("T")


class Run(NamedTuple):
    """One call: its wall seconds, its CPU seconds (every thread of this process,
    ``time.process_time``) and its result."""

    wall: float
    cpu: float
    result: object


def _call(f: Callable[[], object]) -> Run:
    w0, c0 = time.perf_counter(), time.process_time()
    out = f()
    return Run(time.perf_counter() - w0, time.process_time() - c0, out)


def fastest(f: Callable[[], object], repeat: int = 1) -> Run:
    """The call with the least wall time of ``repeat`` calls of ``f`` (at least one)."""
    return min((_call(f) for _ in range(max(repeat, 1))), key=lambda run: run.wall)


def timed(f: Callable[[], T], repeat: int = 1) -> tuple[float, T]:
    """(least wall seconds of ``repeat`` calls of ``f``, the result of that call)."""
    run = fastest(f, repeat)
    return run.wall, run.result  # type: ignore[return-value]


def alternating(calls: Sequence[Callable[[], object]], repeat: int = 3) -> list[Run]:
    """The fastest of ``repeat`` calls of each of ``calls``, the calls taken in turn
    (A, B, A, B, ...): load that comes and goes falls on all of them alike."""
    best: list[Run | None] = [None] * len(calls)
    for _ in range(max(repeat, 1)):
        for i, f in enumerate(calls):
            run = _call(f)
            held = best[i]
            if held is None or run.wall < held.wall:
                best[i] = run
    return [run for run in best if run is not None]
