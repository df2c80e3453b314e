"""The supervision section of the quick tour: targets, fair estimates, ranks, DQL checks."""

from __future__ import annotations

import numpy as np
import polars as pl

import qualstat as qs

from ._tour_common import title


def supervision_section() -> None:
    """Judges twelve provinces' spot-check pass rates against a 95 % target."""
    title("Supervision: targets, fair estimates and ranks")
    rng = np.random.default_rng(12)
    provinces = [f"P{i:02d}" for i in range(1, 13)]
    batches = rng.integers(3, 160, len(provinces))
    true_rate = rng.beta(15, 1.2, len(provinces))
    frame = pl.DataFrame(
        {"province": provinces, "batches": batches, "passed": rng.binomial(batches, true_rate)}
    )
    judged = qs.pass_rates(frame, passed="passed", inspected="batches", by="province", target="95%")
    below = judged.filter(pl.col("verdict") == "below target")["province"].to_list()
    print(f"Credibly below the 95 % target (exact one-sided tests, Holm): {below or 'none'}")

    fair = qs.shrink(frame["passed"], frame["batches"], labels=provinces)
    ranks = qs.rank_intervals(frame["passed"], frame["batches"], labels=provinces, seed=1)
    table = fair.table.join(ranks, on="label").select(
        "label", "successes", "trials", "rate", "posterior_mean", "rank_lower", "rank_upper"
    )
    print(f"Beta-binomial prior: alpha = {fair.alpha:.1f}, beta = {fair.beta:.2f}")
    with pl.Config(tbl_rows=12, float_precision=3):
        print(table.sort("posterior_mean", descending=True).head(5))

    spot_check_section()

    plan = qs.dql.design(0.0065, limiting_number=2)
    print(
        f"Verifying a declared 0.65 % nonconforming: n = {plan.n}, limiting number "
        f"{plan.limiting_number}; 3 nonconforming found -> {plan.decide(3)}"
    )


def spot_check_example() -> qs.SpotCheckReport:
    """The tour's spot-check report: twelve provinces over four quarters, against 95 %."""
    rng = np.random.default_rng(2026)
    provinces = [f"P{i:02d}" for i in range(1, 13)]
    quarters = ["2026Q1", "2026Q2", "2026Q3", "2026Q4"]
    true_rate = rng.beta(30, 1.5, len(provinces))
    true_rate[[2, 9]] = [0.8, 0.86]  # two provinces that fall short
    rows = [(p, q, int(rng.integers(10, 150))) for p in provinces for q in quarters]
    frame = pl.DataFrame(rows, schema=["province", "quarter", "batches"], orient="row")
    rate = np.repeat(true_rate, len(quarters))
    frame = frame.with_columns(pl.Series("passed", rng.binomial(frame["batches"], rate)))
    return qs.spot_check_report(
        frame,
        passed="passed",
        inspected="batches",
        by="province",
        period="quarter",
        target="95%",
    )


def spot_check_section() -> None:
    """The whole picture in one call: the spot-check report's summary."""
    report = spot_check_example()
    print()
    print(f"qs.spot_check_report(...), latest quarter {report.latest}:")
    for line in report.summary:
        print(f"  - {line}")
    print("  (report.units, report.trend: polars tables; report.to_html('report.html'): one file)")
