"""qualstat: quality statistics.

Pass-rate confidence intervals, sampling plans, acceptance decisions and
process capability, computed in Rust (in parallel) and validated against
published tables and peer software.

>>> import qualstat as qs
>>> qs.proportion_ci(57, 60, method="exact", bound="lower").lower > 0.87
True
"""

from __future__ import annotations

import os

from . import (
    _qualstat,
    conformity,
    control,
    dql,
    iso2859_1,
    iso2859_2,
    iso3951,
    iso3951_4,
    msa,
    net_content,
    spc,
)
from ._qualstat import __version__
from ._threads import get_num_threads, set_num_threads
from .capability import Capability, capability, capability_by
from .funnel import Funnel, funnel
from .multitest import adjust_p
from .pass_rates import pass_rates, plot_pass_rates
from .plan import (
    AttributePlan,
    Decision,
    design_double_plan,
    design_plan,
    design_plan_grid,
    prob_accept_grid,
    zero_acceptance_plan,
)
from .proportion import (
    DiffTest,
    Interval,
    ProportionTest,
    demonstration_sample_size,
    proportion_ci,
    proportion_diff_ci,
    proportion_diff_test,
    proportion_test,
    rate_ci,
)
from .spot_check import SpotCheckReport, spot_check_report
from .supervision import Shrinkage, rank_intervals, shrink
from .variables import VariablesDecision, VariablesPlan, design_variables_plan

__all__ = [
    "Capability",
    "AttributePlan",
    "Decision",
    "DiffTest",
    "Interval",
    "ProportionTest",
    "__version__",
    "adjust_p",
    "capability",
    "capability_by",
    "conformity",
    "control",
    "demonstration_sample_size",
    "design_double_plan",
    "design_plan",
    "design_plan_grid",
    "iso2859_1",
    "net_content",
    "msa",
    "get_num_threads",
    "pass_rates",
    "plot_pass_rates",
    "prob_accept_grid",
    "proportion_ci",
    "proportion_diff_ci",
    "proportion_diff_test",
    "proportion_test",
    "rank_intervals",
    "rate_ci",
    "set_num_threads",
    "Shrinkage",
    "shrink",
    "spc",
    "zero_acceptance_plan",
    "VariablesDecision",
    "VariablesPlan",
    "design_variables_plan",
    "iso3951",
    "dql",
    "iso2859_2",
    "iso3951_4",
    "Funnel",
    "funnel",
    "SpotCheckReport",
    "spot_check_report",
]

# A forked child (multiprocessing, Dask workers) inherits the parent's pool
# object but not its threads: drop it so the child builds its own.
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_qualstat._after_fork_in_child)
