"""Statistical process control: control charts, runs rules, phases and run lengths.

Charts (``xbar_r``, ``xbar_s``, ``imr``, ``p``, ``np``, ``c``, ``u``, ``p_prime``,
``u_prime``, ``g``, ``cusum``, ``ewma``) and run-length theory (``arl_shewhart``,
``arl_cusum``, ``arl_ewma``, ``cusum_h``, ``ewma_L``). Conventions and sources:
``reference/spc_notes.md``.

Every chart returns a :class:`Chart` (or a :class:`Pair` of charts) with the plotted
``statistic``, ``center``, ``lcl``, ``ucl`` (one value per point), ``sigma``,
``violations`` and ``table`` (polars), ``oc(x)``, ``arl(shift)`` (the average run length
of the chart's design at a mean shift in sigma units: xbar, I, CUSUM, EWMA),
``monitor(new_data)`` (phase II with frozen limits), ``revise()`` (phase I again without
the flagged points), ``plot()``.
Runs rules: ``rules="we"`` (Western Electric 1-4), ``"nelson"`` (Nelson 1-8), or a
list of (set, number) pairs; see ``reference/spc_notes.md`` section 4 for the exact
operational definitions.

>>> import qualstat as qs
>>> ch = qs.control.imr([5.0, 5.2, 4.9, 5.1, 5.0, 7.5], rules="nelson", phase1=[True] * 5 + [False])
>>> ch.i.violations["point"].to_list()
[5]
"""

from __future__ import annotations

from ._arl import (
    EwmaDesign,
    RunLength,
    arl_cusum,
    arl_ewma,
    arl_shewhart,
    cusum_h,
    ewma_design,
    ewma_L,
    run_length,
)
from ._attributes import c, g, p, p_prime, u, u_prime
from ._attributes import np_ as np
from ._chart import Chart, Pair
from ._variables import imr, xbar_r, xbar_s
from ._weighted import CusumChart, cusum, ewma

__all__: list[str] = [
    "arl_cusum",
    "arl_ewma",
    "arl_shewhart",
    "c",
    "Chart",
    "cusum",
    "cusum_h",
    "CusumChart",
    "ewma",
    "ewma_design",
    "ewma_L",
    "EwmaDesign",
    "g",
    "imr",
    "np",
    "p",
    "p_prime",
    "Pair",
    "run_length",
    "RunLength",
    "u",
    "u_prime",
    "xbar_r",
    "xbar_s",
]
