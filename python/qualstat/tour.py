"""A quick tour of qualstat on embedded sample data: ``python -m qualstat.tour``."""

from __future__ import annotations

import time

import numpy as np
import polars as pl

import qualstat as qs

from ._tour_common import title


def pass_rate_section() -> None:
    title("Pass rates with honest uncertainty")
    ci = qs.proportion_ci(57, 60, method="exact", bound="lower")
    print("57 of 60 spot-checked items passed.")
    print(f"  With 95 % confidence the pass rate is at least {ci.lower:.2%} (Clopper-Pearson).")
    for method in ["wilson", "jeffreys", "clopper_pearson", "blaker"]:
        lo, hi = qs.proportion_ci(57, 60, method=method)
        print(f"  {method:<16} two-sided 95 %: [{lo:.4f}, {hi:.4f}]")
    fin = qs.proportion_ci(20, 20, population=50, bound="lower")
    print(
        f"All 20 of a sample from a lot of 50 passed: at least {fin.lower:.0%} of the lot passes."
    )
    n = qs.demonstration_sample_size(0.95, 0.95)
    print(f"Items to test with no failure to show a 95 % pass rate at 95 % confidence: {n}")
    d = qs.proportion_diff_ci(56, 70, 48, 80)
    test = qs.proportion_diff_test(56, 70, 48, 80)
    print(
        f"Region A 56/70 vs region B 48/80: difference in [{d.lower:+.4f}, {d.upper:+.4f}], "
        f"p = {test.p_value:.4f} (score test)"
    )
    r = qs.rate_ci(3, 250)
    print(f"3 nonconformities on 250 units: [{r.lower:.5f}, {r.upper:.5f}] per unit")

    title("Spot-check summary by region and product")
    rng = np.random.default_rng(2026)
    regions = np.array(["North", "South", "East", "West"])
    products = np.array(["milk powder", "rice", "cooking oil"])
    rows = 2000
    inspected = rng.integers(5, 40, rows)
    true_rate = 0.93 + 0.01 * rng.integers(0, 6, rows)
    frame = pl.DataFrame(
        {
            "region": regions[rng.integers(0, 4, rows)],
            "product": products[rng.integers(0, 3, rows)],
            "inspected": inspected,
            "passed": rng.binomial(inspected, true_rate),
        }
    )
    summary = qs.pass_rates(frame, passed="passed", inspected="inspected", by=["region", "product"])
    with pl.Config(tbl_rows=12, float_precision=4):
        print(summary.head(6))

    title("Millions of groups")
    trials = rng.integers(1, 1000, 1_000_000)
    passed = rng.binomial(trials, 0.9)
    t0 = time.perf_counter()
    lo, hi = qs.proportion_ci(passed, trials, method="clopper_pearson")
    dt = time.perf_counter() - t0
    print(
        f"Clopper-Pearson intervals for 1,000,000 groups in {dt:.2f} s "
        f"on {qs.get_num_threads()} threads (mean width {np.mean(hi - lo):.4f})."
    )


def _sections() -> list:
    from ._tour_arl import arl_section
    from ._tour_capability import run as capability_section
    from ._tour_cli import cli_section
    from ._tour_conformity import conformity_section
    from ._tour_control import control_section
    from ._tour_msa import run as msa_section
    from ._tour_net_content import net_content_section
    from ._tour_plans import plans_section
    from ._tour_supervision import supervision_section
    from ._tour_variables import variables_section

    return [
        pass_rate_section,
        supervision_section,
        plans_section,
        variables_section,
        capability_section,
        control_section,
        arl_section,
        net_content_section,
        msa_section,
        conformity_section,
        cli_section,
    ]


SECTIONS = _sections()


def main() -> None:
    print(f"qualstat {qs.__version__}: a quick tour")
    for section in SECTIONS:
        section()
    print()


if __name__ == "__main__":
    main()
