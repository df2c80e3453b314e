"""Shared helpers for the Python tests."""

from __future__ import annotations

import os

import numpy as np
from hypothesis import settings

# Property tests: random examples while developing ("dev"), a fixed example
# sequence in CI ("ci": `.ci/run` sets HYPOTHESIS_PROFILE=ci, so a red CI is
# never a dice roll). `make fuzz` reruns every property test under many
# random seeds; a failure found that way becomes a fixed test.
settings.register_profile("dev")
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


def assert_close(actual, expected, *, abs_tol=1e-10, small=1e-6, rel_tol=1e-10, label=""):
    """Agreement to `abs_tol` absolute, or `rel_tol` relative below `small` in magnitude."""
    a = np.asarray(actual, dtype=float)
    e = np.asarray(expected, dtype=float)
    assert a.shape == e.shape, (a.shape, e.shape, label)
    diff = np.abs(a - e)
    tiny = np.abs(e) < small
    ok = np.where(tiny, diff <= rel_tol * np.abs(e) + 1e-300, diff <= abs_tol)
    if not ok.all():
        i = np.flatnonzero(~ok.ravel())[0]
        raise AssertionError(
            f"{label}: element {i}: {a.ravel()[i]!r} vs reference {e.ravel()[i]!r} "
            f"({(~ok).sum()} of {ok.size} differ)"
        )
