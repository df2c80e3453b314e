"""Verification of a declared quality level (DQL): ISO 2859-4 / GB/T 2828.4 and GB/T 2828.11.

A sample of ``n`` items is drawn from an audit population (a lot, a process,
an inventory, a file of transactions). When the number of nonconforming items
``d`` exceeds the *limiting number* ``L`` the declared quality level is
**contradicted**; otherwise it is **not contradicted**. A sample never proves a
quality level, so the vocabulary is never "accept" or "pass".

The printed ISO 2859-4 tables were not available, so the plans are *computed*
from the standard's risk criteria and labelled so ("meets the ISO 2859-4 risk
criteria"), never presented as the standard's table:

* producer-side risk ``alpha = P(d > L)`` at the DQL is at most ``alpha``
  (5 % by default; the 2020 edition's "no more than 5 %");
* the limiting quality ``lq`` is the quality not contradicted with probability
  ``beta`` (10 % by default), and the limiting quality ratio is
  ``lqr = lq / dql``.

For a given limiting number :func:`design` takes the **largest** sample size
(ISO 2859-1 preferred sizes 2, 3, 5, ..., 1250, 2000, 3150, 5000, 8000, ...,
or any size) whose producer-side risk stays within ``alpha``: the best
discrimination that risk allows. With ``lqr=`` alone it takes the smallest
limiting number whose plan reaches that LQR. This reproduces the published
ISO 2859-4:2002 example (DQL 0.65 %, n = 125, L = 2) and the "(5; 0)" plan of
Chinese supervision commentary (DQL 1 %, L = 0). The ISO 2859-4:2020 example
(n = 127, L = 2) is *not* reproduced: its producer-side risk under the exact
binomial is 5.06 %, just above 5 %, and the 2020 construction rule is unknown.
The levels of discrimination (0, I, II, III) of the standard are not offered:
their limiting numbers are not documented (L = 1/2/6 for I/II/III is only a
hypothesis). Give ``limiting_number`` or ``lqr`` instead.

``population=N`` gives the small-population design of GB/T 2828.11
(hypergeometric): the declared count is ``floor(dql * N)`` (the worst
population that conforms), and a sample size reaching ``N`` means inspecting
every item. The printed GB/T 2828.11 tables were not available either.

>>> from qualstat import dql
>>> plan = dql.design("0.65%", limiting_number=2)
>>> plan.n, plan.limiting_number, round(plan.alpha, 4)
(125, 2, 0.0487)
>>> plan.decide(2), plan.decide(3)
('not contradicted', 'contradicted')
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from typing import Any, cast

import numpy as np
import numpy.typing as npt

from . import _qualstat
from ._coerce import as_array, integer, is_scalar, option, real, show
from ._units import fraction

__all__ = ["PROVENANCE", "DqlPlan", "allocate", "design"]

PROVENANCE = "meets the ISO 2859-4 risk criteria (computed; not the standard's printed table)"
"""The label every computed plan carries."""


class DqlPlan:
    """A DQL verification plan: contradict the DQL when more than ``limiting_number`` of ``n`` fail.

    Attributes
    ----------
    dql : float
        The declared quality level (fraction nonconforming, or nonconformities
        per item for the Poisson model).
    n, limiting_number : int
        Sample size and limiting number ``L``.
    alpha : float
        The producer-side risk: the probability of contradicting a correct DQL.
    beta, lq, lqr : float
        The design's ``beta``, the limiting quality (not contradicted with
        probability ``beta``) and the limiting quality ratio ``lq / dql``.
    model : str
        "binomial", "poisson" or "hypergeometric" (a population size given).
    population : int or None
        The population size of a GB/T 2828.11 design.
    full_inspection : bool
        The sample is the whole population.
    provenance : str
        :data:`PROVENANCE`.

    Examples
    --------
    >>> from qualstat import dql
    >>> dql.design(0.01, limiting_number=0)
    DqlPlan(n=5, L=0; DQL 1 %, alpha 0.049, LQR 36.9; meets the ISO 2859-4 risk criteria)
    """

    __slots__ = ("_design", "_inner")
    _inner: Any
    _design: tuple[Any, ...]

    def __init__(self, inner: Any, design: tuple[Any, ...]) -> None:
        object.__setattr__(self, "_inner", inner)
        object.__setattr__(self, "_design", design)

    def __reduce__(self) -> tuple[Any, ...]:
        """A plan pickles as its design arguments (the design is deterministic).

        >>> import pickle
        >>> from qualstat import dql
        >>> plan = dql.design(0.01, limiting_number=1)
        >>> pickle.loads(pickle.dumps(plan)) == plan
        True
        """
        return (_redesign, self._design)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("DqlPlan is immutable")

    dql = property(lambda self: float(self._inner.dql), doc="The declared quality level.")
    n = property(lambda self: int(self._inner.n), doc="Sample size.")
    limiting_number = property(
        lambda self: int(self._inner.limiting_number), doc="Limiting number L."
    )
    alpha = property(lambda self: float(self._inner.alpha), doc="Producer-side risk at the DQL.")
    beta = property(lambda self: float(self._inner.beta), doc="Not-contradicted probability at lq.")
    lq = property(lambda self: float(self._inner.lq), doc="Limiting quality.")
    lqr = property(lambda self: float(self._inner.lqr), doc="Limiting quality ratio lq / dql.")
    model = property(lambda self: str(self._inner.model), doc="The count model.")
    population = property(lambda self: self._inner.population, doc="Population size or None.")
    full_inspection = property(
        lambda self: bool(self._inner.full_inspection), doc="The sample is the whole population."
    )
    provenance = property(lambda self: PROVENANCE, doc="How the plan was obtained.")

    def decide(self, nonconforming: int) -> str:
        """``"contradicted"`` when ``nonconforming`` exceeds L, else ``"not contradicted"``.

        >>> from qualstat import dql
        >>> dql.design(0.01, limiting_number=0).decide(1)
        'contradicted'
        """
        d = integer(nonconforming, "nonconforming", minimum=0)
        return "contradicted" if self._inner.contradicted(d) else "not contradicted"

    def prob_contradict(self, quality_ratio: Any) -> float | npt.NDArray[np.float64]:
        """The probability of contradicting the DQL at quality ``quality_ratio`` x DQL (the OC).

        A scalar gives a float, an array a numpy array (computed in parallel).
        At ratio 1 it is the producer-side risk :attr:`alpha`; at
        ``lqr`` it is ``1 - beta``.

        >>> from qualstat import dql
        >>> plan = dql.design("0.65%", limiting_number=2)
        >>> round(plan.prob_contradict(1.0), 4), round(plan.prob_contradict(plan.lqr), 4)
        (0.0487, 0.9)
        """
        scalar = is_scalar(quality_ratio)
        r = as_array(quality_ratio, "quality_ratio").astype(np.float64, copy=False)
        out = self._inner.prob_contradict(np.ascontiguousarray(r.ravel()))
        return float(out[0]) if scalar else out.reshape(r.shape)

    def __repr__(self) -> str:
        pop = f", N = {self.population}" if self.population is not None else ""
        full = " (100 % inspection)" if self.full_inspection else ""
        unit = "%" if self.model != "poisson" else "% (per 100 items)"
        return (
            f"DqlPlan(n={self.n}, L={self.limiting_number}; "
            f"DQL {100 * self.dql:.4g} {unit}{pop}, alpha {self.alpha:.2g}, "
            f"LQR {self.lqr:.3g}{full}; meets the ISO 2859-4 risk criteria)"
        )

    def _repr_html_(self) -> str:
        """A compact HTML table of the plan (Jupyter).

        >>> from qualstat import dql
        >>> page = dql.design("0.65%", limiting_number=2)._repr_html_()
        >>> "<td>125</td>" in page, "0.65 % (0.0065)" in page
        (True, True)
        """

        def level(x: float) -> str:
            if self.model == "poisson":
                return f"{100 * x:.4g} nonconformities per 100 items ({x:.6g} per item)"
            return f"{100 * x:.4g} % ({x:.6g})"

        rows = [
            (
                "sample size n",
                f"{self.n}" + (" (100 % inspection)" if self.full_inspection else ""),
            ),
            ("limiting number L", f"{self.limiting_number}"),
            ("DQL", level(self.dql)),
            ("alpha (risk of contradicting a correct DQL)", f"{self.alpha:.4g}"),
            (
                f"LQ (not contradicted with probability {self.beta:.4g})",
                level(self.lq),
            ),
            ("LQR = LQ / DQL", f"{self.lqr:.4g}"),
            ("model", self.model),
        ]
        if self.population is not None:
            rows.append(("population N", f"{self.population}"))
        body = "".join(
            f"<tr><td>{html.escape(k)}</td><td>{html.escape(v)}</td></tr>" for k, v in rows
        )
        return (
            f"<div><b>DqlPlan</b><table><tr><th>quantity</th><th>value</th></tr>{body}</table>"
            f"<p>{html.escape(self.provenance)}</p></div>"
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DqlPlan) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def _key(self) -> tuple[Any, ...]:
        return (self.dql, self.n, self.limiting_number, self.beta, self.model, self.population)


def _probability(value: Any, name: str) -> float:
    x = fraction(value, name)
    if not (0.0 < x < 1.0):
        raise ValueError(f"{name} = {show(value)} is invalid: expected a fraction in (0, 1)")
    return x


def design(
    dql: Any,
    *,
    limiting_number: int | None = None,
    lqr: float | None = None,
    alpha: Any = 0.05,
    beta: Any = 0.10,
    sample_sizes: str = "preferred",
    model: str = "binomial",
    population: int | None = None,
) -> DqlPlan:
    """A plan verifying a declared quality level, meeting the ISO 2859-4 risk criteria.

    Parameters
    ----------
    dql : float or str
        The declared quality level as a fraction (``0.0065``) or ``"0.65%"``;
        for ``model="poisson"`` nonconformities per item (may exceed 1).
    limiting_number : int, optional
        The limiting number ``L`` (the 2020 edition's "non-rejection number").
        The plan then has the largest admissible sample size.
    lqr : float, optional
        The largest acceptable limiting quality ratio (above 1). Alone, it
        makes the design pick the smallest ``L`` reaching it; with
        ``limiting_number`` it is a requirement the plan must meet. One of the
        two must be given.
    alpha, beta : float or str
        The largest producer-side risk at the DQL (default 0.05) and the
        probability of not contradicting at the limiting quality (0.10).
    sample_sizes : str
        ``"preferred"`` (ISO 2859-1 series, default) or ``"any"``.
    model : str
        ``"binomial"`` (nonconforming items, default) or ``"poisson"``
        (nonconformities).
    population : int, optional
        The population size ``N``: GB/T 2828.11 small-population design
        (hypergeometric; ``model`` is then ignored).

    Returns
    -------
    DqlPlan

    Raises
    ------
    ValueError
        Invalid arguments, neither ``limiting_number`` nor ``lqr``, or no plan
        meeting the criteria.

    Examples
    --------
    >>> from qualstat import dql
    >>> dql.design("0.65%", limiting_number=2, sample_sizes="any").n
    126
    >>> p = dql.design(0.01, lqr=5.0)
    >>> p.limiting_number, p.n, p.lqr <= 5.0
    (5, 200, True)
    >>> dql.design(0.02, limiting_number=1, population=50).n
    50
    """
    dql_value = fraction(dql, "dql")
    m = option(model, "model", ("binomial", "poisson"))
    if not (math.isfinite(dql_value) and dql_value > 0.0):
        raise ValueError(f"dql = {show(dql)} is invalid: expected a positive fraction")
    if (m == "binomial" or population is not None) and dql_value >= 1.0:
        raise ValueError(f"dql = {show(dql)} is invalid: expected a fraction in (0, 1)")
    ln = None if limiting_number is None else integer(limiting_number, "limiting_number", minimum=0)
    ratio = None if lqr is None else real(lqr, "lqr")
    if ratio is not None and not (math.isfinite(ratio) and ratio > 1.0):
        raise ValueError(f"lqr = {show(lqr)} is invalid: expected a finite number above 1")
    pop = None if population is None else integer(population, "population", minimum=1)
    args = (
        dql_value,
        ln,
        ratio,
        _probability(alpha, "alpha"),
        _probability(beta, "beta"),
        option(sample_sizes, "sample_sizes", ("preferred", "any")),
        m,
        pop,
    )
    return _redesign(*args)


def _redesign(*args: Any) -> DqlPlan:
    """The plan of checked design arguments (also how a pickled plan is rebuilt)."""
    return DqlPlan(_qualstat._dql_design(*args), args)


def allocate(n: int, strata: int | Sequence[int]) -> list[int]:
    """Spread a sample of ``n`` over sub-populations (strata).

    ``strata`` is a count of equal strata (each gets ``n // strata``, the
    first ``n % strata`` one more) or a list of stratum sizes (proportional
    allocation with largest remainders, ties to the earlier stratum; ``n`` must
    not exceed the total size).

    >>> from qualstat import dql
    >>> dql.allocate(127, 5)
    [26, 26, 25, 25, 25]
    >>> dql.allocate(125, [1200, 800, 500])
    [60, 40, 25]
    """
    count = integer(n, "n", minimum=0)
    if isinstance(strata, bool | np.bool_) or isinstance(strata, str | bytes):
        raise TypeError(
            f"strata = {show(strata)} is invalid: expected a number of strata or a list of sizes"
        )
    if is_scalar(strata):
        k = integer(strata, "strata", minimum=1)
        return [int(x) for x in _qualstat._dql_allocate_equal(count, k)]
    sizes = [
        integer(s, f"strata[{i}]", minimum=1) for i, s in enumerate(cast(Sequence[Any], strata))
    ]
    if not sizes:
        raise ValueError("strata = [] is invalid: expected at least one stratum")
    return [int(x) for x in _qualstat._dql_allocate(count, sizes)]
