"""Spot-check pass rates by group, from a frame of inspection records, and their forest plot.

Units: pass rates, interval limits, ``confidence`` and a plot's ``target`` are
fractions (0.95 = 95 %); ``target`` also accepts a percent string (``"95%"``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

from ._coerce import free_name, key_text, option, real, show
from ._plots import forest_plot
from ._units import fraction, percent_text
from .multitest import adjust_p
from .proportion import _pass_rate, proportion_ci, proportion_test

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["pass_rates", "plot_pass_rates", "to_polars"]

# The columns pass_rates adds after the group keys.
_RESULT_COLUMNS = ("passed", "inspected", "rate", "lower", "upper")
# The columns pass_rates adds with target=.
_TEST_COLUMNS = ("p_value", "p_adjusted", "verdict")
# The defaults of the target-test options; changing one without target= is an error.
_TEST_DEFAULTS = {"alternative": "less", "adjust": "holm", "test": "exact"}

# Verdicts of the target tests.
BELOW = "below target"
ABOVE = "above target"
CONSISTENT = "consistent with target"


def to_polars(frame: Any, columns: Sequence[str]) -> pl.DataFrame:
    """A pandas or polars frame (or a polars LazyFrame) as a polars DataFrame
    with just ``columns``.

    A LazyFrame is collected after selecting ``columns`` (so only they are
    read). pandas frames are converted column by column through numpy, so
    pyarrow is not needed; a column of Python objects becomes text, its
    missing values (``None``, ``NA``, ``NaN``) nulls.

    Examples
    --------
    >>> import pandas as pd
    >>> from qualstat.pass_rates import to_polars
    >>> to_polars(pd.DataFrame({"a": [1, 2], "b": ["x", "y"]}), ["b"]).columns
    ['b']
    """
    if isinstance(frame, pl.DataFrame | pl.LazyFrame):
        names = frame.collect_schema().names()
        missing = [c for c in columns if c not in names]
        if missing:
            raise ValueError(f"columns {missing} are not in the frame (it has {names})")
        if isinstance(frame, pl.LazyFrame):
            return frame.select(list(columns)).collect()
        return frame[list(columns)]  # no query plan (select plans one: 0.1 ms or more)
    if hasattr(frame, "columns") and hasattr(frame, "__getitem__"):
        cols = list(frame.columns)
        missing = [c for c in columns if c not in cols]
        if missing:
            raise ValueError(f"columns {missing} are not in the frame (it has {cols})")
        data: dict[str, Any] = {}
        for c in columns:
            values = np.asarray(frame[c].to_numpy())
            if values.dtype == object:  # text (labels), its missing values (None, NA) null
                absent = np.flatnonzero(np.asarray(frame[c].isna().to_numpy(), dtype=bool))
                data[c] = pl.Series(c, values.astype(str)).scatter(absent, None)
            else:
                data[c] = values
        return pl.DataFrame(data)
    raise TypeError(
        f"frame must be a pandas or polars DataFrame or a polars LazyFrame, "
        f"got {type(frame).__name__}"
    )


def _column_name(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} = {show(value)} is invalid: expected a column name (str)")
    return value


def _keys(
    by: Any, reserved: Sequence[str] = _RESULT_COLUMNS, name: str = "by", role: str = "grouping"
) -> list[str]:
    """The key columns named by argument ``name`` (none for None), none of them
    a column of the result (``reserved``)."""
    if by is None:
        return []
    if isinstance(by, str):
        keys = [by]
    elif isinstance(by, Sequence):
        keys = [_column_name(k, name) for k in by]
    else:
        raise TypeError(f"{name} = {show(by)} is invalid: expected a column name or a list of them")
    clash = sorted(set(keys) & set(reserved))
    if clash:
        raise ValueError(
            f"{name} = {show(by)} is invalid: the result has its own columns named {clash}; "
            f"rename the {role} column(s)"
        )
    return keys


def _numeric(df: pl.DataFrame, column: str, argument: str) -> pl.Expr:
    """The column as Float64 for the checks (booleans count 1 for True)."""
    dtype = df.schema[column]
    if not (dtype.is_numeric() or dtype == pl.Boolean):
        raise TypeError(
            f"{argument} = {column!r} is invalid: the column must hold numbers or booleans, "
            f"it has dtype {dtype}"
        )
    return pl.col(column).cast(pl.Float64)


def _row_problem(
    passed: Any, inspected: Any, per_item: bool, names: tuple[str, str], argument: str = "passed"
) -> str:
    """Why one record is invalid, in words (``argument``: what the counts count)."""
    p_name, n_name = names

    def shown(v: Any) -> str:  # a null of a frame: an empty cell of the file it came from
        return "null (a missing value)" if v is None else show(v)

    def whole(v: Any) -> bool:
        return v is not None and np.isfinite(v) and float(v) == np.floor(v)

    if per_item:
        return f"{p_name} = {shown(passed)} is invalid: expected 0 or 1 (or a boolean)"
    if not whole(inspected) or inspected < 1:
        return f"{n_name} = {shown(inspected)} is invalid: expected a whole number >= 1"
    if not whole(passed) or passed < 0:
        return f"{p_name} = {shown(passed)} is invalid: expected a whole number >= 0"
    return (
        f"{p_name} = {shown(passed)} is invalid: expected a whole number in "
        f"[0, {int(inspected)}] ({n_name} = {int(inspected)}: more {argument} than inspected)"
    )


def _zeros_and_ones(column: pl.Series) -> bool:
    """Whether a column of booleans or integers holds only 0 and 1 (no nulls), from its
    extremes (no pass over a cast copy); ``False`` for other dtypes, left to the row check."""
    if column.null_count() or not (column.dtype.is_integer() or column.dtype == pl.Boolean):
        return False
    if column.dtype == pl.Boolean or column.is_empty():
        return True
    low, high = column.min(), column.max()
    return bool(low >= 0 and high <= 1)  # type: ignore[operator]


def _check_records(
    df: pl.DataFrame,
    keys: list[str],
    passed: str,
    inspected: str | None,
    part: str = "",
    argument: str = "passed",
) -> None:
    """Checks every record before grouping; the error names the first invalid row
    (counted from 0, in ``part`` of a larger frame if given) and its group.
    ``argument`` names the count column (``passed``, or ``nonconforming`` for
    the lot decisions)."""
    p = _numeric(df, passed, argument)
    if inspected is None:
        if _zeros_and_ones(df[passed]):
            return
        ok = p.is_in([0.0, 1.0])
    else:
        n = _numeric(df, inspected, "inspected")
        ok = (
            p.is_finite()
            & n.is_finite()
            & (p >= 0)
            & (n >= 1)
            & (p == p.floor())
            & (n == n.floor())
            & (p <= n)
        )
    valid = ok.fill_null(False)
    if df.select(valid.all()).item():
        return
    index = free_name("_row", df.columns)
    row = df.with_row_index(index).filter(~valid).row(0, named=True)
    group = ", ".join(f"{k}={key_text(row[k])}" for k in keys)
    where = part + f"row {row[index]}" + (f" (group {group})" if group else "")
    column_names = (f"{argument} column {passed!r}", f"inspected column {inspected!r}")
    problem = _row_problem(
        row[passed],
        None if inspected is None else row[inspected],
        inspected is None,
        column_names,
        argument,
    )
    raise ValueError(f"{where}: {problem}")


def pass_rates(
    frame: Any,
    *,
    passed: str,
    inspected: str | None = None,
    by: str | Sequence[str] | None = None,
    confidence: float = 0.95,
    method: str = "wilson",
    bound: str = "two-sided",
    target: float | str | None = None,
    alternative: str = "less",
    adjust: str | None = "holm",
    test: str = "exact",
) -> pl.DataFrame:
    """Pass rates with confidence intervals, overall or by group, optionally judged against a
    target.

    Parameters
    ----------
    frame : pandas.DataFrame, polars.DataFrame or polars.LazyFrame
        Inspection records: one row per item, or one row per batch, lot or check.
        (A Dask DataFrame: :func:`qualstat.dask.pass_rates`.)
    passed : str
        Column with, per row, the number of items that passed; without
        ``inspected``, a boolean or 0/1 column with one item per row (True or
        1 = passed).
    inspected : str, optional
        Column with the number of items inspected in each row. Leave it out
        for a one-item-per-row pass/fail column. It must be a different
        column from ``passed`` (the same column for both would make every
        row pass by construction, so it is refused).
    by : str or list of str, optional
        Grouping columns (region, product, period, ...). ``None`` gives one row.
    confidence : float
        Confidence level in (0, 1), as a fraction (0.95 = 95 %).
    method : str
        Interval method, as in :func:`qualstat.proportion_ci` (default ``"wilson"``).
    bound : str
        ``"two-sided"`` (default), ``"lower"`` (one-sided lower bounds;
        ``upper`` is then 1.0) or ``"upper"`` (``lower`` is then 0.0).
    target : float or str, optional
        A target pass rate in (0, 1), a fraction (0.95) or a percent string
        (``"95%"``). When given, each group's pass rate is tested against it
        (H0: p = target, by :func:`qualstat.proportion_test`) and three
        columns are added (see Returns). Without it the frame has only the
        columns above.
    alternative : str
        The alternative of the target tests: ``"less"`` (default; H1: the
        group's pass rate is below target), ``"greater"`` (H1: above) or
        ``"two-sided"``. Aliases as in :func:`qualstat.proportion_test`.
    adjust : str or None
        Multiplicity adjustment of the groups' p-values, as one family, by
        :func:`qualstat.adjust_p`: ``"holm"`` (default), ``"bonferroni"``,
        ``"hochberg"``, ``"bh"``, ``"by"``; ``None`` or ``"none"`` leaves
        them unadjusted (``p_adjusted`` equals ``p_value``).
    test : str
        The test method of :func:`qualstat.proportion_test`: ``"exact"``
        (default; exact binomial), ``"mid_p"`` or ``"score"``.

    Returns
    -------
    polars.DataFrame
        Columns: the group keys, ``passed`` (items that passed), ``inspected``
        (items inspected), ``rate`` (passed / inspected, a fraction) and the
        confidence limits ``lower`` and ``upper``; sorted by the keys.
        With ``target=``, also ``p_value`` (the group's test against the
        target), ``p_adjusted`` (after ``adjust``) and ``verdict``, decided
        at the level alpha = 1 - ``confidence`` on ``p_adjusted``:

        - ``alternative="less"``: ``"below target"`` when p_adjusted < alpha,
          else ``"consistent with target"`` (never ``"above target"``: the
          test looks only for shortfalls);
        - ``alternative="greater"``: ``"above target"`` when
          p_adjusted < alpha, else ``"consistent with target"``;
        - ``alternative="two-sided"``: when p_adjusted < alpha,
          ``"below target"`` if rate < target and ``"above target"`` if
          rate > target; else ``"consistent with target"``.

        "consistent with target" means only that the data do not show the
        group to differ from the target at that level. The verdicts use the
        test, not the interval: with the default two-sided 95 % interval a
        group can be ``"below target"`` (one-sided test at 5 %) while its
        interval still covers the target; ``bound="upper"`` with
        ``test="exact"`` and ``adjust=None`` makes the two agree.

    Raises
    ------
    ValueError
        An invalid record, before any grouping: negative, non-integer, NaN or
        missing counts, ``inspected`` below 1, more passed than inspected, or
        (without ``inspected``) a value other than 0 or 1. The message names
        the row (counted from 0) and its group. Also ``inspected`` equal to
        ``passed``, or a ``by`` column named like a result column. With
        ``target=``: a target outside (0, 1), an unknown alternative, test or
        adjustment.
    TypeError
        Column names that are not strings, columns that are not numeric or boolean.

    Examples
    --------
    Counts per record:

    >>> import polars as pl
    >>> import qualstat as qs
    >>> df = pl.DataFrame({"region": ["N", "N", "S"], "ok": [48, 50, 30], "n": [50, 50, 40]})
    >>> out = qs.pass_rates(df, passed="ok", inspected="n", by="region")
    >>> out.select("region", "passed", "inspected", "rate").rows()
    [('N', 98, 100, 0.98), ('S', 30, 40, 0.75)]

    One item per row, pass/fail:

    >>> items = pl.DataFrame({"line": ["A", "A", "A", "B"], "ok": [True, True, False, True]})
    >>> qs.pass_rates(items, passed="ok", by="line").select("line", "passed", "inspected").rows()
    [('A', 2, 3), ('B', 1, 1)]

    Judged against a 95 % target (exact one-sided tests, Holm-adjusted):

    >>> checks = pl.DataFrame({"region": ["N", "S", "W"], "ok": [196, 52, 30], "n": [200, 60, 30]})
    >>> out = qs.pass_rates(checks, passed="ok", inspected="n", by="region", target="95%")
    >>> out.select("region", "rate", "verdict").rows()
    [('N', 0.98, 'consistent with target'), ('S', 0.8666666666666667, 'below target'), \
('W', 1.0, 'consistent with target')]
    >>> [round(p, 4) for p in out["p_adjusted"]]
    [1.0, 0.0294, 1.0]
    """
    job = _PassRates(
        passed, inspected, by, confidence, method, bound, target, alternative, adjust, test
    )
    return job.finish(job.counts(to_polars(frame, job.columns)))


class _PassRates:
    """A :func:`pass_rates` call with its arguments checked: the counts of a
    frame (or of one partition of a larger one: counts of partitions add) and
    the finished table from the counts."""

    def __init__(
        self,
        passed: Any,
        inspected: Any,
        by: Any,
        confidence: Any,
        method: Any,
        bound: Any,
        target: Any,
        alternative: Any,
        adjust: Any,
        test: Any,
    ) -> None:
        passed = _column_name(passed, "passed")
        if inspected is not None:
            inspected = _column_name(inspected, "inspected")
            if inspected == passed:
                raise ValueError(
                    f"inspected = {inspected!r} is the passed column itself, so every row "
                    "would pass by construction: for a pass/fail (0/1 or boolean) column "
                    "with one item per row, leave inspected out; otherwise give the column "
                    "with the number of items inspected"
                )
        reserved = _RESULT_COLUMNS if target is None else (*_RESULT_COLUMNS, *_TEST_COLUMNS)
        self.keys = _keys(by, reserved)
        self.method = option(method, "method")
        self.bound = option(bound, "bound")
        self.confidence = confidence
        if target is None:
            given = {"alternative": alternative, "adjust": adjust, "test": test}
            changed = [k for k, v in given.items() if v != _TEST_DEFAULTS[k]]
            if changed:
                raise ValueError(
                    f"{changed[0]} = {show(given[changed[0]])} is only used by the target tests: "
                    'give target= (a pass-rate target such as 0.95 or "95%") or leave it out'
                )
        self.judge = (
            None if target is None else _TargetTests(target, alternative, adjust, test, confidence)
        )
        counts = [passed] if inspected is None else [passed, inspected]
        overlap = sorted(set(self.keys) & set(counts))
        if overlap:
            raise ValueError(f"by = {show(by)} is invalid: {overlap} is also a count column")
        self.passed, self.inspected = passed, inspected
        self.columns = [*self.keys, *counts]
        # The option names are checked now, before any data work.
        proportion_ci(1, 2, confidence=confidence, method=self.method, bound=self.bound)

    def counts(self, df: pl.DataFrame, part: str = "") -> pl.DataFrame:
        """The keys with the ``passed`` and ``inspected`` totals of the records of
        ``df`` (checked first; ``part`` names the partition in the error)."""
        _check_records(df, self.keys, self.passed, self.inspected, part)
        total_passed = pl.col(self.passed).cast(pl.Int64).sum().alias("passed")
        inspected = self.inspected
        total_inspected = (
            pl.len().cast(pl.Int64) if inspected is None else pl.col(inspected).cast(pl.Int64).sum()
        ).alias("inspected")
        if self.keys:
            return df.group_by(self.keys).agg(total_passed, total_inspected)
        return df.select(total_passed, total_inspected)

    def merge(self, counts: list[pl.DataFrame]) -> pl.DataFrame:
        """The counts of a frame from the counts of its parts."""
        both = pl.concat(counts)
        totals = [pl.col("passed").sum(), pl.col("inspected").sum()]
        return both.group_by(self.keys).agg(totals) if self.keys else both.select(totals)

    def finish(self, agg: pl.DataFrame) -> pl.DataFrame:
        """The result table from the counts per group."""
        if self.keys:
            agg = agg.sort(self.keys)
        x = agg["passed"].to_numpy()
        n = agg["inspected"].to_numpy()
        conf, method, bound = self.confidence, self.method, self.bound
        lower, upper = proportion_ci(x, n, confidence=conf, method=method, bound=bound)
        out = agg.with_columns(
            (pl.col("passed") / pl.col("inspected")).alias("rate"),
            pl.Series("lower", lower),
            pl.Series("upper", upper),
        )
        if self.judge is None:
            return out
        return out.with_columns(self.judge.columns(x, n))


class _TargetTests:
    """The target tests of :func:`pass_rates`: options checked once, columns per frame."""

    def __init__(
        self, target: Any, alternative: Any, adjust: Any, test: Any, confidence: Any
    ) -> None:
        self.target = _pass_rate(target, "target")
        if not 0.0 < self.target < 1.0:
            raise ValueError(
                f"target = {show(target)} is invalid: expected a pass rate in (0, 1), "
                'as a fraction (0.95) or a percent string ("95%")'
            )
        side = option(
            alternative, "alternative", ("two-sided", "less", "greater", "smaller", "larger")
        )
        self.alternative = {"smaller": "less", "larger": "greater"}.get(side, side)
        if adjust is not None:
            adjust = option(adjust, "adjust")
            if adjust.strip().lower() == "none":
                adjust = None
        self.adjust = adjust
        self.test = option(test, "test")
        self.alpha = 1.0 - real(confidence, "confidence")
        # The option names are checked now (on a dummy unit), so that a bad
        # one fails before any data work, under its pass_rates name.
        try:
            proportion_test(1, 2, 0.5, alternative=self.alternative, method=self.test)
        except ValueError as e:
            raise ValueError("test" + str(e).removeprefix("method")) from None
        if self.adjust is not None:
            try:
                adjust_p([0.5], self.adjust)
            except ValueError as e:
                raise ValueError("adjust" + str(e).removeprefix("method")) from None

    def columns(self, x: np.ndarray, n: np.ndarray) -> list[pl.Series]:
        """``p_value``, ``p_adjusted`` and ``verdict`` for the groups' counts."""
        result = proportion_test(x, n, self.target, alternative=self.alternative, method=self.test)
        p = np.asarray(result.p_value, dtype=np.float64)
        adjusted = p if self.adjust is None else adjust_p(p, self.adjust)
        significant = adjusted < self.alpha
        rate = x / n
        if self.alternative == "less":
            below, above = significant, np.zeros_like(significant)
        elif self.alternative == "greater":
            below, above = np.zeros_like(significant), significant
        else:
            below = significant & (rate < self.target)
            above = significant & (rate > self.target)
        verdict = np.where(below, BELOW, np.where(above, ABOVE, CONSISTENT))
        return [
            pl.Series("p_value", p, dtype=pl.Float64),
            pl.Series("p_adjusted", adjusted, dtype=pl.Float64),
            pl.Series("verdict", verdict.astype(str), dtype=pl.String),
        ]


def plot_pass_rates(
    rates: Any,
    *,
    target: float | str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Forest plot of pass rates: each group's rate with its confidence interval.

    Parameters
    ----------
    rates : polars.DataFrame or pandas.DataFrame
        The result of :func:`qualstat.pass_rates` (columns ``rate``,
        ``lower``, ``upper``; the columns before ``passed`` label the groups).
    target : float or str, optional
        A target pass rate drawn as a vertical line, a fraction (0.95) or a
        percent string (``"95%"``).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; a new figure is created otherwise.

    Returns
    -------
    matplotlib.axes.Axes
        The axes (``show()`` is not called). matplotlib is imported only
        here (install the extra ``qualstat[plot]``).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import polars as pl
    >>> import qualstat as qs
    >>> df = pl.DataFrame({"region": ["N", "N", "S"], "ok": [48, 50, 30], "n": [50, 50, 40]})
    >>> out = qs.pass_rates(df, passed="ok", inspected="n", by="region")
    >>> ax = qs.plot_pass_rates(out, target="90%")
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['N', 'S']
    """
    table = to_polars(rates, list(getattr(rates, "columns", [])))
    missing = [c for c in ("rate", "lower", "upper") if c not in table.columns]
    if missing:
        raise ValueError(
            f"rates must be a result of qualstat.pass_rates: columns {missing} are missing"
        )
    keys = [c for c in table.columns if c not in (*_RESULT_COLUMNS, *_TEST_COLUMNS)]
    labels = (
        [", ".join(str(v) for v in row) for row in table.select(keys).rows()]
        if keys
        else ["all"] * table.height
    )
    line = None
    if target is not None:
        level = fraction(target, "target")
        line = (level, f"target {percent_text(level)}")
    return forest_plot(
        ax,
        labels,
        table["rate"].to_numpy(),
        table["lower"].to_numpy(),
        table["upper"].to_numpy(),
        label="pass rate and interval",
        xlabel="pass rate (fraction)",
        line=line,
    )
