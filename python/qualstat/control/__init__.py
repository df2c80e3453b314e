"""Statistical process control: control charts, runs rules, phases and run lengths.

Charts (``xbar_r``, ``xbar_s``, ``imr``, ``p``, ``np``, ``c``, ``u``, ``p_prime``,
``u_prime``, ``g``, ``cusum``, ``ewma``) and run-length theory (``arl_shewhart``,
``arl_cusum``, ``arl_ewma``, ``cusum_h``, ``ewma_L``). Conventions and sources:
``reference/spc_notes.md``.
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

__all__: list[str] = [
    "EwmaDesign",
    "RunLength",
    "arl_cusum",
    "arl_ewma",
    "arl_shewhart",
    "cusum_h",
    "ewma_L",
    "ewma_design",
    "run_length",
]
