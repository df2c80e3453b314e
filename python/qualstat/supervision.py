"""Fair estimates and ranks of units' pass rates (beta-binomial empirical Bayes).

A unit (a region, a product, an enterprise) passed ``successes`` of the
``trials`` batches sampled from it. :func:`shrink` fits one Beta(alpha, beta)
prior to all units and gives each its posterior mean and credible interval:
a unit with three batches is pulled towards the common rate, one with three
hundred hardly moves. :func:`rank_intervals` says how sure each unit's rank is
(rank 1 = the highest pass rate). Formulas: ``reference/supervision_notes.md``
section 6.5.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from . import _qualstat
from ._coerce import integer, option
from ._unit_counts import open_fraction, unit_counts
from ._units import percent_text

__all__ = ["Shrinkage", "rank_intervals", "shrink"]

_WHY_TWO_UNITS = "a prior shared by units, and a ranking, need several"


def _label_series(names: list[Any] | None, size: int) -> pl.Series:
    if names is None:
        return pl.Series("label", np.arange(size, dtype=np.int64))
    return pl.Series("label", names)


@dataclass(frozen=True, repr=False)
class Shrinkage:
    """Empirical-Bayes (beta-binomial) shrinkage of units' pass rates.

    Attributes
    ----------
    alpha, beta : float
        The fitted Beta(alpha, beta) prior of the units' pass rates.
    method : str
        ``"mle"`` or ``"moments"``: how the prior was fitted.
    confidence : float
        Probability content of the equal-tailed credible intervals.
    table : polars.DataFrame
        One row per unit, in input order: ``label``, ``successes``,
        ``trials``, ``rate`` (successes / trials), ``posterior_mean``
        ((successes + alpha) / (trials + alpha + beta)), ``lower``, ``upper``
        (the (1 - confidence)/2 and (1 + confidence)/2 quantiles of
        Beta(alpha + successes, beta + trials - successes)).

    Examples
    --------
    >>> import qualstat as qs
    >>> s = qs.shrink([12, 45, 3, 97, 30], [20, 50, 3, 100, 50], method="moments")
    >>> s
    Shrinkage(method='moments', alpha=2.308, beta=0.5273, prior mean 0.8140, 5 units,
              95 % credible intervals)
    >>> s.table["posterior_mean"].round(4).to_list()
    [0.6266, 0.8954, 0.9096, 0.9657, 0.6115]
    """

    alpha: float
    beta: float
    method: str
    confidence: float
    table: pl.DataFrame

    @property
    def prior_mean(self) -> float:
        """alpha / (alpha + beta): the rate every unit is pulled towards.

        >>> import qualstat as qs
        >>> round(qs.shrink([1, 5, 9, 3], [10, 10, 10, 10], method="moments").prior_mean, 4)
        0.45
        """
        return self.alpha / (self.alpha + self.beta)

    def _summary(self) -> str:
        return (
            f"method={self.method!r}, alpha={self.alpha:.4g}, beta={self.beta:.4g}, "
            f"prior mean {self.prior_mean:.4f}, {self.table.height} units, "
            f"{round(100 * self.confidence, 6):g} % credible intervals"
        )

    def __repr__(self) -> str:
        return f"Shrinkage({self._summary()})"

    def _repr_html_(self) -> str:
        return (
            f"<div><p>Empirical-Bayes shrinkage: {html.escape(self._summary())}</p>"
            f"{self.table._repr_html_()}</div>"
        )

    def plot(self, ax: Any = None, *, sort: bool = True) -> Any:
        """Forest plot: per unit the raw rate and the posterior mean with its credible interval.

        The raw rate (successes / trials) is an open marker, the posterior
        mean a filled marker with its credible interval, and the prior mean
        alpha / (alpha + beta) a dashed vertical line: the plot shows how far
        each unit is pulled towards it.

        Parameters
        ----------
        ax : matplotlib.axes.Axes, optional
            Axes to draw on; a new figure is created otherwise.
        sort : bool
            Order the units by posterior mean, the highest at the top
            (default); ``False`` keeps the input order, the first unit at the
            top.

        Returns
        -------
        matplotlib.axes.Axes
            The axes (``show()`` is not called). matplotlib is imported only
            here (install the extra ``qualstat[plot]``).

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import qualstat as qs
        >>> s = qs.shrink([12, 45, 3, 97, 30], [20, 50, 3, 100, 50], labels=list("ABCDE"))
        >>> ax = s.plot()
        >>> [t.get_text() for t in ax.get_yticklabels()]
        ['D', 'B', 'C', 'A', 'E']
        >>> [t.get_text() for t in ax.get_legend().get_texts()]
        ['raw rate', 'prior mean 79.98 %', 'posterior mean and 95 % credible interval']
        """
        from ._plots import forest_plot

        table = (
            self.table.sort("posterior_mean", descending=True, maintain_order=True)
            if sort
            else self.table
        )
        level = f"{round(100 * self.confidence, 6):g} %"
        return forest_plot(
            ax,
            [str(v) for v in table["label"].to_list()],
            table["posterior_mean"].to_numpy(),
            table["lower"].to_numpy(),
            table["upper"].to_numpy(),
            label=f"posterior mean and {level} credible interval",
            xlabel="pass rate (fraction)",
            points=[("raw rate", table["rate"].to_numpy())],
            line=(self.prior_mean, f"prior mean {percent_text(self.prior_mean)}"),
        )

    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict (the table as a polars DataFrame).

        >>> import qualstat as qs
        >>> sorted(qs.shrink([1, 5, 9, 3], [10, 10, 10, 10], method="moments").to_dict())
        ['alpha', 'beta', 'confidence', 'method', 'table']
        """
        return {
            "alpha": self.alpha,
            "beta": self.beta,
            "method": self.method,
            "confidence": self.confidence,
            "table": self.table,
        }


def shrink(
    successes: Any,
    trials: Any,
    *,
    labels: Any = None,
    method: str = "mle",
    confidence: Any = 0.95,
) -> Shrinkage:
    """Beta-binomial empirical Bayes: a fair estimate and credible interval for every unit.

    Each unit's pass rate p_i is modelled as drawn from one Beta(alpha, beta)
    prior, successes_i ~ Binomial(trials_i, p_i). The prior is fitted to all
    units; each unit's posterior is Beta(alpha + successes_i, beta + trials_i -
    successes_i).

    Parameters
    ----------
    successes, trials : array-like of int
        Passed and sampled batches per unit (at least 2 units; every unit with
        ``trials >= 1`` and ``successes <= trials``).
    labels : array-like, optional
        One label per unit (default: 0, 1, 2, ...); errors name the unit by it.
    method : str
        ``"mle"`` (default): maximum likelihood of the beta-binomial marginal
        sum_i [ln B(x_i + alpha, n_i - x_i + beta) - ln B(alpha, beta)],
        maximised by damped Newton steps on (ln alpha, ln beta) with exact
        derivatives (digamma, trigamma) and a backtracking line search.
        ``"moments"``: the mean m and variance v (divisor K - 1) of the K raw
        unit rates are matched, alpha + beta = m(1 - m)/v - 1 and
        alpha = m(alpha + beta), as in Gelman et al., BDA3 section 5.1 (it
        ignores the binomial noise in the raw rates).
    confidence : float or str
        Probability content of the equal-tailed credible intervals (default
        0.95; ``"95%"`` is accepted).

    Returns
    -------
    Shrinkage
        ``alpha``, ``beta``, ``method``, ``confidence`` and ``table``.

    Raises
    ------
    ValueError
        For bad counts (naming the argument and the unit's label), fewer than
        2 units, and when the data show no over-dispersion: there is no
        fallback. With ``"moments"`` that is a variance of the raw rates at
        most the average binomial variance m(1 - m)/n_i (or at least
        m(1 - m)); with ``"mle"`` a fitted precision alpha + beta that
        diverges (above 10^6 times the largest ``trials``) or a maximised
        likelihood no better than its limit as alpha + beta -> infinity (the
        binomial likelihood at the pooled rate), or every unit at rate 0 (or
        every unit at 1). The units then look like one common rate:
        use the pooled rate, or ``rank_intervals(..., prior="jeffreys")``.

    References
    ----------
    Gelman A. et al. (2013), Bayesian Data Analysis, 3rd ed., section 5.1.
    Robinson D. (2017), Introduction to Empirical Bayes (R package ebbr).

    Examples
    --------
    >>> import qualstat as qs
    >>> s = qs.shrink([12, 45, 3, 97, 30], [20, 50, 3, 100, 50], labels=list("ABCDE"))
    >>> round(s.alpha, 3), round(s.beta, 3)
    (4.277, 1.071)
    >>> s.table.select("label", "rate", "posterior_mean").row(2)
    ('C', 1.0, 0.8717...)
    """
    x, n, names = unit_counts(
        successes, trials, labels, whole=True, minimum_units=2, why=_WHY_TWO_UNITS
    )
    m = option(method, "method")
    conf = open_fraction(confidence, "confidence")
    alpha, beta, mean, lower, upper = _qualstat._shrink(x, n, m, conf)
    canonical = "moments" if m.lower() in ("moments", "mm") else "mle"
    table = pl.DataFrame(
        [
            _label_series(names, x.size),
            pl.Series("successes", x.astype(np.int64)),
            pl.Series("trials", n.astype(np.int64)),
            pl.Series("rate", x / n),
            pl.Series("posterior_mean", mean, dtype=pl.Float64),
            pl.Series("lower", lower, dtype=pl.Float64),
            pl.Series("upper", upper, dtype=pl.Float64),
        ]
    )
    return Shrinkage(alpha=alpha, beta=beta, method=canonical, confidence=conf, table=table)


def rank_intervals(
    successes: Any,
    trials: Any,
    *,
    labels: Any = None,
    confidence: Any = 0.95,
    draws: int = 10_000,
    seed: int = 0,
    prior: str = "eb",
) -> pl.DataFrame:
    """Each unit's rank among all units, with its uncertainty, from posterior draws.

    Rank 1 is the highest pass rate. Each of ``draws`` draws samples every
    unit's rate from its posterior Beta(a + successes, b + trials -
    successes) and ranks the units; draw d uses its own random stream of
    ``seed``, so the result is identical for any number of threads
    (:func:`qualstat.set_num_threads`).

    Parameters
    ----------
    successes, trials : array-like of int
        Passed and sampled batches per unit (at least 2 units).
    labels : array-like, optional
        One label per unit (default: 0, 1, 2, ...).
    confidence : float or str
        Probability content of the rank interval (default 0.95).
    draws : int
        Number of posterior draws (default 10,000; draws x units at most 2^28).
    seed : int
        Seed of the random streams (0 to 2^64 - 1).
    prior : str
        ``"eb"`` (default): the empirical-Bayes prior of
        ``shrink(method="mle")`` (an error when the data show no
        over-dispersion); ``"jeffreys"``: Beta(1/2, 1/2) for every unit (no
        pooling).

    Returns
    -------
    polars.DataFrame
        One row per unit, in input order: ``label``; ``rank_median``,
        ``rank_lower``, ``rank_upper`` (the 0.5, (1 - confidence)/2 and
        (1 + confidence)/2 quantiles of the unit's rank draws, inverse-CDF
        definition, so whole ranks); ``p_top_quarter`` = P(rank <= K/4);
        ``p_bottom_quarter`` = P(K + 1 - rank <= K/4); ``p_upper_half`` =
        P(rank <= K/2), the "upper middle" share (K units).

    Examples
    --------
    >>> import qualstat as qs
    >>> r = qs.rank_intervals([190, 95, 9, 280], [200, 100, 10, 350], labels=list("ABCD"),
    ...                       prior="jeffreys", draws=2000)
    >>> r.columns
    ['label', 'rank_median', 'rank_lower', 'rank_upper', 'p_top_quarter', 'p_bottom_quarter',
     'p_upper_half']
    >>> r.row(3)[:4]
    ('D', 4, 3, 4)
    """
    x, n, names = unit_counts(
        successes, trials, labels, whole=True, minimum_units=2, why=_WHY_TWO_UNITS
    )
    conf = open_fraction(confidence, "confidence")
    d = integer(draws, "draws", minimum=1)
    s = integer(seed, "seed", minimum=0, maximum=2**64 - 1)
    p = option(prior, "prior")
    _, median, lower, upper, top, bottom, half = _qualstat._rank_intervals(x, n, conf, d, s, p)
    return pl.DataFrame(
        [
            _label_series(names, x.size),
            pl.Series("rank_median", median, dtype=pl.Int64),
            pl.Series("rank_lower", lower, dtype=pl.Int64),
            pl.Series("rank_upper", upper, dtype=pl.Int64),
            pl.Series("p_top_quarter", top, dtype=pl.Float64),
            pl.Series("p_bottom_quarter", bottom, dtype=pl.Float64),
            pl.Series("p_upper_half", half, dtype=pl.Float64),
        ]
    )
