"""Error messages stay short whatever the size of the value shown."""

from __future__ import annotations

import numpy as np
import pytest

import qualstat as qs


def test_a_long_count_array_gives_a_short_message():
    # A million counts for a single plan once produced a 3.8 MB message.
    plan = qs.AttributePlan.single(50, 1)
    with pytest.raises(ValueError) as info:
        plan.decide(np.arange(10**6))
    message = str(info.value)
    assert len(message) < 300, len(message)
    assert "counts" in message
    assert "..." in message
