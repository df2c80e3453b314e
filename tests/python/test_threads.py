"""The thread pool: bounded size, checked arguments, fork safety."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

import qualstat as qs


@pytest.fixture
def restore_threads():
    before = qs.get_num_threads()
    yield
    qs.set_num_threads(before)


@pytest.mark.parametrize("bad", ["4", True, b"4", None, [2]])
def test_set_num_threads_refuses_non_numbers(bad, restore_threads):
    with pytest.raises(TypeError, match=r"^threads = .* is invalid: expected a whole number"):
        qs.set_num_threads(bad)


@pytest.mark.parametrize("bad", [0, -1, 1025, 10**4, 2**53 + 1, 2**63 - 1, 2**70, 2.5])
def test_set_num_threads_is_bounded(bad, restore_threads):
    # 2**53 + 1 was accepted and the next batch call tried to start that
    # many threads; now every size outside 1..1024 is refused at once.
    with pytest.raises(ValueError, match=r"^threads = .* is invalid: expected a whole number"):
        qs.set_num_threads(bad)


def test_set_num_threads_accepts_whole_numbers(restore_threads):
    qs.set_num_threads(np.int64(3))
    assert qs.get_num_threads() == 3
    qs.set_num_threads(2.0)
    assert qs.get_num_threads() == 2
    qs.set_num_threads(1024)
    assert qs.get_num_threads() == 1024
    qs.set_num_threads(1)
    lo, hi = qs.proportion_ci(np.array([3, 4]), np.array([10, 10]))
    assert lo.shape == hi.shape == (2,)


def test_native_binding_checks_the_range_too():
    from qualstat import _qualstat

    expected = "expected a whole number of threads from 1 to 1024"
    with pytest.raises(ValueError, match=rf"^threads = 5000 is invalid: {expected}$"):
        _qualstat.set_num_threads(5000)
    with pytest.raises(ValueError, match=r"^threads = -2 is invalid"):
        _qualstat.set_num_threads(-2)


def _import_with_env(value: str | None) -> subprocess.CompletedProcess[str]:
    code = "import qualstat as qs; print(qs.get_num_threads())"
    env = {k: v for k, v in os.environ.items() if k != "QUALSTAT_NUM_THREADS"}
    if value is not None:
        env["QUALSTAT_NUM_THREADS"] = value
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )


def test_environment_variable_sets_the_initial_size():
    done = _import_with_env(" 3 ")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "3"
    assert "RuntimeWarning" not in done.stderr


@pytest.mark.parametrize("value", ["0", "lots", "1025", "9007199254740993", "2.5"])
def test_bad_environment_variable_warns_and_falls_back(value):
    done = _import_with_env(value)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) == int(_import_with_env(None).stdout)
    assert "RuntimeWarning: QUALSTAT_NUM_THREADS = " in done.stderr
    assert f'"{value}" is invalid' in done.stderr
    assert "from 1 to 1024 (it is ignored: the default size is used)" in done.stderr


def _child_batch() -> None:
    # Runs only if the after-fork handler returned; the batch builds a new pool.
    lo, _ = qs.proportion_ci(np.array([1, 2, 3]), np.array([5, 5, 5]))
    os._exit(0 if lo.shape == (3,) else 3)


@pytest.mark.skipif(not hasattr(os, "register_at_fork"), reason="needs fork")
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_fork_while_resizing_and_running_batches_never_hangs(restore_threads):
    # One thread resizes the pool, another runs batches (each one rebuilds
    # the pool, holding the pool's lock while it starts threads), and the
    # main thread forks children. Before the after-fork handler became
    # lock-free, about 7 % of the children hung in it, waiting for a lock
    # held by a thread that does not exist in the child.
    ctx = multiprocessing.get_context("fork")
    stop = threading.Event()
    x, n = np.arange(64) % 10, np.full(64, 10)

    def resize() -> None:
        i = 0
        while not stop.is_set():
            qs.set_num_threads(4 + 4 * (i % 2))
            i += 1

    def batches() -> None:
        while not stop.is_set():
            qs.proportion_ci(x, n)

    workers = [threading.Thread(target=resize)]
    workers += [threading.Thread(target=batches) for _ in range(3)]
    for w in workers:
        w.start()
    children = []
    try:
        for _ in range(100):
            child = ctx.Process(target=_child_batch)
            child.start()
            children.append(child)
    finally:
        stop.set()
        for w in workers:
            w.join()
    deadline = time.monotonic() + 30
    hung = 0
    for child in children:
        child.join(max(0.1, deadline - time.monotonic()))
        if child.is_alive():
            hung += 1
            child.kill()
            child.join()
    assert hung == 0, f"{hung} of {len(children)} forked children hung"
    assert [c.exitcode for c in children] == [0] * len(children)
