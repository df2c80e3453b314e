"""Variables sampling plans (ISO 3951-1 / ANSI Z1.9): k- and M-form decisions, OC, design.

Units: every quality level is a fraction (0.01 = 1 % nonconforming beyond one
specification limit), and a scalar quality may be written as a percent string,
``"1%"``. Probabilities are fractions. A plan that knows its AQL or LQ (from
the ISO 3951 tables or :func:`design_variables_plan`) defaults its risk
methods to them and refuses them written in percent. ``method="s"``: the
process standard deviation is estimated by the sample standard deviation;
``method="sigma"``: it is known (give ``sigma`` to decide lots).
"""

from __future__ import annotations

import html
import numbers
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
import polars as pl

from . import _qualstat
from ._coerce import as_array, free_name, integer, is_scalar, key_text, option, real, show
from ._lot_counts import PARTITION_ROWS, by_code, key_codes, lot_named, partition_prefix
from ._plots import quality_plot
from ._units import (
    PlanLevels,
    fraction,
    level,
    limiting_quality,
    own_or_given,
    percent_text,
    quality,
)
from .pass_rates import _keys, to_polars
from .plan import table_note_html

__all__ = ["VariablesDecision", "VariablesPlan", "design_variables_plan"]


def _size(value: Any) -> int:
    """The sample size ``n``: an integer (a float, even 5.0, is refused as before)."""
    if not isinstance(value, numbers.Integral):
        raise TypeError(f"n = {show(value)} is invalid: expected a whole number (an int)")
    return integer(value, "n", minimum=0)


def _optional_real(value: Any, name: str) -> float | None:
    return None if value is None else real(value, name)


class VariablesDecision(NamedTuple):
    """A lot decision with the statistics it rests on (the shape of :class:`qualstat.Decision`).

    Attributes
    ----------
    outcome : str
        ``"accept"`` or ``"reject"``.
    stage : int
        Always 1 (a variables plan decides on its one sample).
    n : int
        Number of measurements.
    mean, sd : float
        Sample mean x̄ and standard deviation s (divisor n - 1).
    sigma_used : float
        The standard deviation in Q: s (s-method) or the known sigma (sigma-method).
    q_lower, q_upper : float or None
        Quality statistics Q_L = (x̄ - L)/sigma_used and Q_U = (U - x̄)/sigma_used.
    p_lower, p_upper : float or None
        Estimated fractions nonconforming below L and above U.
    p_hat : float
        Total estimated fraction nonconforming p̂ = p_lower + p_upper.

    Examples
    --------
    >>> import qualstat as qs
    >>> d = qs.VariablesPlan(5, 1.53).decide([197, 188, 184, 205, 201], usl=209)
    >>> d.outcome, d.stage, d.accepted
    ('accept', 1, True)
    >>> d
    VariablesDecision(accept; n = 5, mean = 195, sd = 8.803, Q_U = 1.59, p_hat = 0.0218)
    """

    outcome: str
    stage: int
    n: int
    mean: float
    sd: float
    sigma_used: float
    q_lower: float | None
    q_upper: float | None
    p_lower: float | None
    p_upper: float | None
    p_hat: float

    @property
    def accepted(self) -> bool:
        """True when the lot is accepted.

        >>> import qualstat as qs
        >>> qs.VariablesPlan(5, 1.53).decide([197, 188, 184, 205, 201], usl=200).accepted
        False
        """
        return self.outcome == "accept"

    @property
    def accept(self) -> bool:
        """The same as :attr:`accepted` (the earlier name).

        >>> import qualstat as qs
        >>> qs.VariablesPlan(5, 1.53).decide([197, 188, 184, 205, 201], usl=209).accept
        True
        """
        return self.accepted

    def __repr__(self) -> str:
        parts = [f"n = {self.n}", f"mean = {self.mean:.4g}", f"sd = {self.sd:.4g}"]
        if self.sigma_used != self.sd:
            parts.append(f"sigma = {self.sigma_used:.4g}")
        for label, q in (("Q_L", self.q_lower), ("Q_U", self.q_upper)):
            if q is not None:
                parts.append(f"{label} = {q:.4g}")
        parts.append(f"p_hat = {self.p_hat:.3g}")
        return f"VariablesDecision({self.outcome}; {', '.join(parts)})"


def _acceptance(control: Any, k_lower: Any, k_upper: Any) -> tuple[str, float | None, float | None]:
    """The control and the constants per limit; ``control=None`` is separate when one is given."""
    kl, ku = _optional_real(k_lower, "k_lower"), _optional_real(k_upper, "k_upper")
    if control is None:
        return ("combined" if kl is None and ku is None else "separate"), kl, ku
    return option(control, "control"), kl, ku


class VariablesPlan(PlanLevels):
    """A variables sampling plan: sample size ``n`` and acceptability constant ``k``.

    ``m`` is the maximum allowable estimated fraction nonconforming (form M), derived
    from ``k`` unless given (:meth:`m_form`, or the tables of :mod:`qualstat.iso3951`).

    Parameters
    ----------
    n : int
        Sample size (at least 3 for the s-method, 2 for the sigma-method).
    k : float
        Acceptability constant (positive).
    method : str
        ``"s"`` (sigma unknown, estimated by s) or ``"sigma"`` (sigma known).
    sigma : float, optional
        The known process standard deviation (needed to decide lots with the sigma-method).
    aql, lq : float or str, optional
        The plan's acceptable and limiting quality (fractions, or ``"1%"``). The
        risk methods default to them, and a scalar quality equal to one of them
        written in percent raises ``ValueError``. ``rql`` and ``ltpd`` are
        accepted for ``lq``.

    Examples
    --------
    >>> import qualstat as qs
    >>> plan = qs.VariablesPlan(5, 1.53)
    >>> d = plan.decide([197, 188, 184, 205, 201], usl=209)
    >>> d.outcome, round(d.q_upper, 2)
    ('accept', 1.59)
    >>> qs.VariablesPlan(10, 1.72, aql="1%")
    VariablesPlan(n=10, k=1.72, M 3.211 % (m = 0.03211), method='s'; AQL 1 % (p = 0.01))
    """

    __slots__ = ()

    def __init__(
        self,
        n: int,
        k: float,
        *,
        method: str = "s",
        sigma: float | None = None,
        aql: Any = None,
        lq: Any = None,
        rql: Any = None,
        ltpd: Any = None,
    ) -> None:
        self._native = _qualstat._VariablesPlan(
            _size(n),
            real(k, "k"),
            None,
            option(method, "method"),
            _optional_real(sigma, "sigma"),
        )
        self._meta: dict[str, Any] | None = None
        self._set_levels(aql, limiting_quality(lq, rql, ltpd))

    def _native_state(self) -> tuple[Any, ...]:
        return (self.n, self.k, self.m, self.method, self.sigma)

    @classmethod
    def _native_from(cls, state: tuple[Any, ...]) -> Any:
        return _qualstat._VariablesPlan(*state)

    @classmethod
    def m_form(
        cls,
        n: int,
        m: float,
        *,
        method: str = "s",
        sigma: float | None = None,
        aql: Any = None,
        lq: Any = None,
        rql: Any = None,
        ltpd: Any = None,
    ) -> VariablesPlan:
        """A form-M plan: accept when the estimated fraction nonconforming is at most ``m``.

        ``m`` is a fraction in (0, 0.5) (or ``"3.33%"``); ``k`` is derived from it.
        The other arguments are those of the class.

        >>> import qualstat as qs
        >>> round(qs.VariablesPlan.m_form(5, "3.33%").k, 4)
        1.5247
        """
        native = _qualstat._VariablesPlan(
            _size(n),
            None,
            level(m, "m"),
            option(method, "method"),
            _optional_real(sigma, "sigma"),
        )
        return cls._wrap(native, aql=aql, lq=limiting_quality(lq, rql, ltpd))

    @property
    def n(self) -> int:
        """Sample size.

        >>> import qualstat as qs
        >>> qs.VariablesPlan(5, 1.53).n
        5
        """
        return int(self._native.n)

    @property
    def k(self) -> float:
        """Acceptability constant (form k).

        >>> import qualstat as qs
        >>> qs.VariablesPlan(5, 1.53).k
        1.53
        """
        return float(self._native.k)

    @property
    def m(self) -> float:
        """Maximum allowable estimated fraction nonconforming (form M), a fraction.

        >>> import qualstat as qs
        >>> round(qs.VariablesPlan(5, 1.53).m, 6)
        0.032312
        """
        return float(self._native.m)

    @property
    def method(self) -> str:
        """``"s"`` or ``"sigma"``.

        >>> import qualstat as qs
        >>> qs.VariablesPlan(5, 1.53, method="Sigma").method
        'sigma'
        """
        return str(self._native.method)

    @property
    def sigma(self) -> float | None:
        """The known process standard deviation, if given.

        >>> import qualstat as qs
        >>> qs.VariablesPlan(5, 1.53, method="sigma", sigma=0.2).sigma
        0.2
        """
        return self._native.sigma  # type: ignore[no-any-return]

    # -- quality arguments --------------------------------------------------
    def _pa(self, p: float, name: str = "p") -> float:
        return float(self._native.prob_accept_at(p, name))

    # -- evaluation ---------------------------------------------------------
    def prob_accept(self, p: Any) -> float | npt.NDArray[np.float64]:
        """Probability of acceptance at fraction nonconforming ``p`` (one limit, form k).

        Exact: P_a = Phi(sqrt(n) (z_{1-p} - k)) for the sigma-method, and
        P(T' >= k sqrt(n)) with T' noncentral t (n - 1 degrees of freedom,
        noncentrality z_{1-p} sqrt(n)) for the s-method.

        Parameters
        ----------
        p : float, str or array-like
            Fraction nonconforming beyond the limit; a scalar may be a percent
            string such as ``"1%"``.

        Returns
        -------
        float or numpy.ndarray
            The probability (a fraction): a float for a scalar ``p``, else an
            array of the shape of ``p``.

        Examples
        --------
        >>> import qualstat as qs
        >>> plan = qs.VariablesPlan(5, 1.53)
        >>> round(plan.prob_accept(0.01), 4), round(plan.prob_accept("1%"), 4)
        (0.8983, 0.8983)
        """
        if is_scalar(p) or isinstance(p, str):
            return self._pa(quality(p, "p", self._known()))
        arr = as_array(p, "p")
        flat = np.ascontiguousarray(arr, dtype=np.float64).reshape(-1)
        return np.asarray(self._native.prob_accept(flat)).reshape(arr.shape)

    def producer_risk(self, aql: Any = None) -> float:
        """The producer's risk 1 - Pa at the acceptable quality ``aql``.

        ``aql`` is a fraction (or ``"1%"``); by default the plan's own AQL
        (plans from the ISO 3951 tables and from :func:`design_variables_plan`
        know it).

        >>> from qualstat import iso3951
        >>> plan = iso3951.plan(aql=1.0, lot_size=40)
        >>> round(plan.producer_risk(), 4), round(plan.producer_risk("1%"), 4)
        (0.1017, 0.1017)
        """
        own = own_or_given(aql, self._aql, "aql", "acceptable quality level (AQL)", self._known())
        return 1.0 - self._pa(own, "aql")

    def consumer_risk(self, lq: Any = None, *, rql: Any = None, ltpd: Any = None) -> float:
        """The consumer's risk Pa at the limiting quality ``lq`` (``rql``, ``ltpd`` alike).

        ``lq`` is a fraction (or ``"10%"``); by default the plan's own LQ (plans
        from :func:`design_variables_plan` know it; ISO 3951 gives none per plan).

        >>> import qualstat as qs
        >>> plan = qs.design_variables_plan(0.01, 0.10)
        >>> round(plan.consumer_risk(), 4), round(plan.consumer_risk(rql="10%"), 4)
        (0.0956, 0.0956)
        """
        lq = limiting_quality(lq, rql, ltpd)
        own = own_or_given(lq, self._lq, "lq", "limiting quality (LQ)", self._known())
        return self._pa(own, "lq")

    def quality_at(self, pa: float) -> float:
        """The quality (a fraction) at which the probability of acceptance equals ``pa``.

        >>> import qualstat as qs
        >>> round(qs.VariablesPlan(5, 1.53).quality_at(0.10), 4)
        0.284
        """
        return float(self._native.quality_at(real(pa, "pa")))

    def risk_points(
        self, *, aql: Any = None, lq: Any = None, rql: Any = None, ltpd: Any = None
    ) -> dict[str, float]:
        """Where Pa is 0.95, 0.50 and 0.10 (p95, p50, p10, fractions), and the two risks.

        As :meth:`qualstat.AttributePlan.risk_points`: ``producer_risk`` is
        there when an AQL is (``aql=``, else the plan's own), ``consumer_risk``
        when an LQ is (``lq=``, ``rql=``, ``ltpd=``, else the plan's own).

        >>> import qualstat as qs
        >>> rp = qs.design_variables_plan(0.01, 0.10).risk_points()
        >>> sorted(rp), round(rp["p10"], 4)
        (['consumer_risk', 'p10', 'p50', 'p95', 'producer_risk'], 0.0985)
        """
        return self._points_and_risks(
            self.quality_at,
            aql,
            limiting_quality(lq, rql, ltpd),
            self.producer_risk,
            self.consumer_risk,
        )

    def asn(self, p: Any = None) -> int:
        """Average sample number: always ``n`` (``p`` is accepted for symmetry and ignored).

        >>> import qualstat as qs
        >>> qs.VariablesPlan(5, 1.53).asn()
        5
        """
        return self.n

    def curves(self, p: Any = None) -> pl.DataFrame:
        """The OC on a grid of qualities (fractions) as a polars DataFrame.

        Columns ``p, prob_accept, prob_accept_wallis`` (Wallis's normal
        approximation for the s-method; equal to the exact OC for the
        sigma-method). Without ``p``, 101 points from 0 to just beyond the
        quality where Pa = 0.005.

        >>> import qualstat as qs
        >>> qs.VariablesPlan(10, 1.72).curves().columns
        ['p', 'prob_accept', 'prob_accept_wallis']
        """
        if p is None:
            grid = np.linspace(0.0, 1.0, 2001)
            pa = np.asarray(self._native.prob_accept(grid))
            hi = grid[np.argmax(pa < 0.005)] if (pa < 0.005).any() else 1.0
            grid = np.linspace(0.0, min(1.0, hi * 1.1), 101)
        else:
            grid = np.ascontiguousarray(as_array(p, "p"), dtype=np.float64).reshape(-1)
        pa = np.asarray(self._native.prob_accept(grid))
        wallis = np.asarray(self._native.wallis(grid)) if self.method == "s" else pa
        return pl.DataFrame({"p": grid, "prob_accept": pa, "prob_accept_wallis": wallis})

    # -- decisions ----------------------------------------------------------
    def decide(
        self,
        measurements: Any,
        *,
        lsl: float | None = None,
        usl: float | None = None,
        control: str | None = None,
        k_lower: float | None = None,
        k_upper: float | None = None,
    ) -> VariablesDecision:
        """Decides a lot from its ``n`` measurements.

        One limit: accept when Q >= k. Two limits: ``control="combined"``
        accepts when p_hat_L + p_hat_U <= M; ``control="separate"`` when
        Q_L >= k_lower and Q_U >= k_upper (each defaults to the plan's k).

        Parameters
        ----------
        measurements : array-like
            The ``n`` measurements of the sample (finite numbers).
        lsl, usl : float, optional
            Lower and upper specification limits (at least one).
        control : str, optional
            ``"combined"`` or ``"separate"``. By default ``"separate"`` when
            ``k_lower`` or ``k_upper`` is given, else ``"combined"``; a constant
            per limit with ``control="combined"`` raises ``ValueError``.
        k_lower, k_upper : float, optional
            Acceptability constants per limit (separate control; each for a
            limit that is given).

        Returns
        -------
        VariablesDecision

        Examples
        --------
        >>> import qualstat as qs
        >>> plan = qs.VariablesPlan(5, 1.24)
        >>> x = [10.1, 10.3, 9.9, 10.0, 10.2]
        >>> plan.decide(x, lsl=9.5, usl=10.6).outcome
        'accept'
        >>> plan.decide(x, lsl=9.5, usl=10.6, k_upper=3.5).outcome
        'reject'
        """
        x = np.ascontiguousarray(as_array(measurements, "measurements"), dtype=np.float64)
        control, kl, ku = _acceptance(control, k_lower, k_upper)
        out = self._native.decide(
            x.reshape(-1),
            _optional_real(lsl, "lsl"),
            _optional_real(usl, "usl"),
            control,
            kl,
            ku,
        )
        return VariablesDecision(out[0], 1, *out[1:])

    def decide_lots(
        self,
        frame: Any,
        *,
        value: str,
        lot: str,
        lsl: float | None = None,
        usl: float | None = None,
        control: str | None = None,
        k_lower: float | None = None,
        k_upper: float | None = None,
    ) -> pl.DataFrame:
        """Decides every lot of a frame of measurements (one row per item), in parallel.

        ``frame`` is a polars DataFrame or LazyFrame or a pandas DataFrame with
        a measurement column ``value`` and a lot column ``lot``; every lot must
        have exactly ``n`` rows. The limits and the control are those of
        :meth:`decide`. Returns one row per lot (in order of first appearance)
        with ``outcome, n, mean, sd, q_lower, q_upper, p_lower, p_upper,
        p_hat``.

        Each lot's count, mean and M2 = Σ(x - x̄)² are taken in Rust (integer
        lots directly, categorical lots by their codes, text lots by a 64-bit
        hash of the text checked by a second, other keys by the categorical
        codes of their text) in one pass over the rows, by sums of the lot's
        values shifted by its first value in row order (Chan, Golub & LeVeque 1983; the rare lot
        whose first value lies more than 4 sd from its mean is summed again
        about its mean): lots whose rows are contiguous (a sorted or blocked
        frame) in parallel from their row ranges without any look-up. These
        are the bits of :meth:`decide` on each lot's values, except that a
        frame of 2**18 rows or more whose lots are interleaved (8 rows a lot or
        more) is summed in two halves of its rows, in parallel, and a lot with
        rows in both halves has their moments merged (Chan's formula, the
        difference of means taken from the shifts): as accurate, within a few
        ulps of :meth:`decide`. The same frame gives the same bits on any
        number of threads. The decisions follow from them (``sd = sqrt(M2 / (n - 1))``)
        by the same code that decides the lots of a Dask DataFrame from
        moments merged over its partitions (:func:`qualstat.dask.decide_lots`).

        >>> import polars as pl
        >>> import qualstat as qs
        >>> frame = pl.DataFrame({"lot": [1, 1, 1, 2, 2, 2], "x": [1.0, 1.1, 0.9, 1.0, 1.5, 2.1]})
        >>> out = qs.VariablesPlan(3, 1.0).decide_lots(frame, value="x", lot="lot", usl=2.0)
        >>> out["outcome"].to_list()
        ['accept', 'reject']
        """
        job = _LotDecisions(self, value, lot, lsl, usl, control, k_lower, k_upper)
        return job.decide_frame(to_polars(frame, job.columns))

    # -- display ------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The plan (its AQL and LQ as fractions, and its metadata, if any) as a dict.

        >>> import qualstat as qs
        >>> qs.VariablesPlan(5, 1.53, aql=0.01).to_dict()["aql"]
        0.01
        """
        d: dict[str, Any] = {
            "n": self.n,
            "k": self.k,
            "m": self.m,
            "method": self.method,
            "sigma": self.sigma,
            "aql": self._aql,
            "lq": self._lq,
        }
        if self._meta is not None:
            d.update({k: v for k, v in self._meta.items() if k not in ("aql", "aql_fraction")})
            d["aql_percent"] = self._meta.get("aql")
        return d

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, VariablesPlan):
            return NotImplemented
        return (self.n, self.k, self.m, self.method) == (other.n, other.k, other.m, other.method)

    def __hash__(self) -> int:
        return hash((self.n, self.k, self.m, self.method))

    def _levels_text(self) -> str:
        return "; ".join(
            f"{label} {percent_text(own)} (p = {own:.4g})"
            for label, (own, _) in self._known().items()
        )

    def __repr__(self) -> str:
        body = (
            f"n={self.n}, k={self.k:.4g}, M {percent_text(self.m)} (m = {self.m:.4g}), "
            f"method={self.method!r}"
        )
        if self.sigma is not None:
            body += f", sigma={self.sigma:.4g}"
        if self._meta is not None and "code_letter" in self._meta:
            body += f", code={self._meta['code_letter']!r}"
        levels = self._levels_text()
        return f"VariablesPlan({body}{'; ' + levels if levels else ''})"

    def _repr_html_(self) -> str:
        meta = ""
        if self._meta is not None and "table" in self._meta:
            m = self._meta
            if "dql" in m:  # ISO 3951-4 (declared quality levels)
                meta = (
                    f"<p>DQL {html.escape(str(m['dql']))} %, level {html.escape(m['level'])}, "
                    f"{html.escape(m['table'])}"
                    + (f"<br><i>{html.escape(m['note'])}</i>" if m["note"] else "")
                    + "</p>"
                )
            else:
                k_src = "printed (Table B-1)" if m["k_printed"] else "derived from M and n"
                meta = table_note_html(m, f"; k {k_src}, M = {html.escape(m['m_percent'])} %")
        levels = self._levels_text()
        return (
            f"<div><b>VariablesPlan</b> ({html.escape(self.method)}-method){meta}"
            + (f"<p>{html.escape(levels)}</p>" if levels else "")
            + "<table><tr><th>n</th><th>k</th><th>M</th></tr>"
            f"<tr><td>{self.n}</td><td>{self.k:.4f}</td><td>{self.m:.4%}</td></tr></table></div>"
        )

    def plot(
        self, ax: Any = None, *, p: Any = None, percent: bool = False, wallis: bool = False
    ) -> Any:
        """Draws the OC curve (and Wallis's approximation if ``wallis``); returns the Axes.

        As :meth:`qualstat.AttributePlan.plot`: the legend names the plan; the
        plan's AQL and LQ (when known) are marked; ``percent=True`` labels the
        quality axis in percent.

        Parameters
        ----------
        ax : matplotlib Axes, optional
            The Axes to draw on (by default a new figure).
        p : array-like, optional
            Qualities (fractions) to evaluate the OC at; by default the grid of :meth:`curves`.
        percent : bool
            Label the quality axis in percent (``0.01`` as ``1%``).
        wallis : bool
            Add Wallis's normal approximation of the OC (s-method).

        Returns
        -------
        matplotlib.axes.Axes
            The Axes drawn on.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import qualstat as qs
        >>> len(qs.VariablesPlan(10, 1.72).plot(wallis=True).get_lines())
        2
        >>> ax = qs.design_variables_plan(0.01, 0.10).plot(percent=True)
        >>> [t.get_text() for t in ax.get_legend().get_texts()][1:]
        ['AQL 1 %', 'LQ 10 %']
        """
        frame = self.curves(p)
        curves = [(repr(self), frame["prob_accept"].to_numpy())]
        if wallis:
            curves.append(("Wallis approximation", frame["prob_accept_wallis"].to_numpy()))
        return quality_plot(
            ax,
            frame["p"].to_numpy(),
            curves,
            ylabel="probability of acceptance",
            percent=percent,
            aql=self._aql,
            lq=self._lq,
        )


def design_variables_plan(
    aql: Any,
    lq: Any = None,
    *,
    alpha: float = 0.05,
    beta: float = 0.10,
    method: str = "s",
    rql: Any = None,
    ltpd: Any = None,
) -> VariablesPlan:
    """The variables plan with the smallest n for which some k meets both risk points.

    The OC is exact (noncentral t for the s-method); k is the largest value
    meeting the producer's point (P_a(aql) = 1 - alpha, the convention of R
    AcceptanceSampling ``find.plan``). The plan remembers ``aql`` and ``lq``
    (its risk methods default to them).

    Parameters
    ----------
    aql, lq : float or str
        Acceptable and limiting quality, fractions (0.01 = 1 %) or percent
        strings (``"1%"``); ``rql=`` or ``ltpd=`` may be given for ``lq``.
    alpha, beta : float
        Producer's and consumer's risks, in [1e-10, 1) with alpha + beta < 1.
    method : str
        ``"s"`` (sigma unknown; designs up to 10,000 items) or ``"sigma"``.

    Returns
    -------
    VariablesPlan
        ``plan.metadata`` holds ``k_min`` (smallest k meeting the consumer's
        point), the achieved probabilities ``pa_aql``, ``pa_lq`` and Wallis's
        normal approximation (``wallis_k``, ``wallis_n_sigma``, ``wallis_n_s``,
        unrounded), for comparison with textbooks.

    Examples
    --------
    >>> import qualstat as qs
    >>> plan = qs.design_variables_plan(0.01, 0.10, method="sigma")
    >>> plan.n, round(plan.k, 4)
    (8, 1.7448)
    >>> qs.design_variables_plan("1%", rql="10%").n
    21
    """
    lq = limiting_quality(lq, rql, ltpd)
    if lq is None:
        raise ValueError(
            "lq is required: the limiting quality, a fraction (also accepted as rql= or ltpd=)"
        )
    aql_f, lq_f = fraction(aql, "aql"), fraction(lq, "lq")
    native, k_min, pa_aql, pa_lq, wk, wn_sigma, wn_s = _qualstat._design_variables_plan(
        aql_f, lq_f, real(alpha, "alpha"), real(beta, "beta"), option(method, "method")
    )
    meta = {
        "k_min": k_min,
        "pa_aql": pa_aql,
        "pa_lq": pa_lq,
        "wallis_k": wk,
        "wallis_n_sigma": wn_sigma,
        "wallis_n_s": wn_s,
    }
    return VariablesPlan._wrap(native, meta, aql=aql_f, lq=lq_f)


class _LotDecisions:
    """A :meth:`VariablesPlan.decide_lots` call with its arguments checked: the
    moments of each lot of a frame (or of one partition of a larger frame),
    their merge over partitions and the decisions from them."""

    #: The statistics columns of the result, after ``lot, outcome, n``.
    STATISTICS = ("mean", "sd", "q_lower", "q_upper", "p_lower", "p_upper", "p_hat")

    def __init__(
        self,
        plan: VariablesPlan,
        value: Any,
        lot: Any,
        lsl: Any,
        usl: Any,
        control: Any,
        k_lower: Any,
        k_upper: Any,
    ) -> None:
        self.plan = plan
        self.value = option(value, "value")
        # The lot keeps its name in the result: none of the result's (or the moments') columns.
        reserved = ("outcome", "n", "m2", "_first", "_k", *self.STATISTICS)
        self.lot = _keys(option(lot, "lot"), reserved, "lot", "lot")[0]
        self.columns = [self.lot, self.value]
        self.lsl, self.usl = _optional_real(lsl, "lsl"), _optional_real(usl, "usl")
        self.control, self.k_lower, self.k_upper = _acceptance(control, k_lower, k_upper)
        # Limits and constants are checked now, before any data work.
        self.decide(np.zeros(0, np.uint64), np.zeros(0), np.zeros(0))

    def decide(
        self, n: npt.NDArray[np.uint64], mean: npt.NDArray[np.float64], m2: npt.NDArray[np.float64]
    ) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.float64]]:
        """The decisions of lots from their moments: whether each is accepted,
        and the rows sd, q_lower, q_upper, p_lower, p_upper, p_hat (NaN for a
        limit not given), written natively into arrays allocated here."""
        accept, stats = np.empty(n.size, dtype=np.bool_), np.empty((6, n.size))
        self.plan._native.decide_moments_into(
            n, mean, m2, accept, stats, self.lsl, self.usl, self.control, self.k_lower,
            self.k_upper,
        )  # fmt: skip
        return accept, stats

    def keyed(
        self, df: pl.DataFrame, part: int | None = None
    ) -> tuple[pl.Series, npt.NDArray[np.int64], LotArrays]:
        """The lots of ``df`` in order of first appearance, with the first row
        of each and their ``n``, ``mean`` and ``m2`` (a measurement that is not
        finite spoils its lot's: see :meth:`refuse_invalid`)."""
        lot, value = self.lot, self.value
        for name, col in (("lot", lot), ("value", value)):
            nulls = df[col].null_count()
            if nulls:
                at = int(df[col].is_null().arg_true()[0])
                raise ValueError(
                    f"{partition_prefix(part)}{name} column {col!r} has {nulls} null values "
                    f"(missing values; the first in row {at})"
                )
        dtype = df.schema[value]
        if not dtype.is_numeric():
            raise TypeError(f"value column {value!r} must hold numbers, it has dtype {dtype}")
        lots = df[lot]
        integer = lots.dtype.is_integer() and lots.dtype != pl.UInt64
        values = np.ascontiguousarray(df[value].cast(pl.Float64).to_numpy())
        hashed = _by_text_hash(values, lots) if lots.dtype == pl.String else None
        lot_keys, first, moments = hashed or _qualstat._moments_by_key(
            values, np.ascontiguousarray(key_codes(lots).to_numpy())
        )
        # Integer lots are their keys (no gather over the rows).
        lot_column = pl.Series(lot, lot_keys).cast(lots.dtype) if integer else lots.gather(first)
        return lot_column, first, moments

    def refuse_invalid(self, df: pl.DataFrame, part: int | None = None) -> None:
        """Raises ValueError naming the first measurement of ``df`` that is NaN
        or infinite, if any (it spoils its lot's moments)."""
        value = self.value
        index = free_name("_row", df.columns)
        bad = df.with_row_index(index).filter(~pl.col(value).cast(pl.Float64).is_finite()).head(1)
        if bad.height:
            row = bad.row(0, named=True)
            raise ValueError(
                f"{partition_prefix(part)}measurements[{row[index]}] = {row[value]} is invalid: "
                f"expected a finite measurement (lot {key_text(row[self.lot])})"
            )

    def moments(self, df: pl.DataFrame, part: int | None = None) -> pl.DataFrame:
        """``lot``, ``_first`` (the lot's first row; in partition ``part`` of a
        larger frame, ``part * 2**40`` plus the row), ``n``, ``mean`` and ``m2``
        of each lot of ``df``."""
        lots, first, (n, mean, m2) = self.keyed(df, part)
        if not (np.isfinite(mean).all() and np.isfinite(m2).all()):
            # Finite values too far apart are refused by the decisions.
            self.refuse_invalid(df, part)
        return pl.DataFrame(
            {
                self.lot: lots,
                "_first": first if part is None else first + part * PARTITION_ROWS,
                "n": pl.Series(n, dtype=pl.UInt64),
                "mean": mean,
                "m2": m2,
            }
        )

    def decide_frame(self, df: pl.DataFrame) -> pl.DataFrame:
        """The decisions of the lots of one frame: :meth:`finish` of
        :meth:`moments` without the frame of moments between them (the lots
        are already in order of first appearance), and the measurements
        checked only when a lot cannot be decided (a measurement that is not
        finite always spoils its lot's mean)."""
        lots, _, moments = self.keyed(df)
        return self.decided(lots, moments, df)

    def merge(self, parts: list[pl.DataFrame]) -> pl.DataFrame:
        """The moments of each lot from those of the parts of a frame (Chan's formula)."""
        both = pl.concat(parts).sort(self.lot, "_first")
        runs = both.group_by(self.lot, maintain_order=True).agg(
            pl.len().alias("_k"), pl.col("_first").first()
        )
        offsets = np.zeros(runs.height + 1, dtype=np.int64)
        np.cumsum(runs["_k"].to_numpy(), out=offsets[1:])
        n, mean, m2 = _qualstat._merge_moments(
            offsets,
            np.ascontiguousarray(both["n"].to_numpy(), dtype=np.uint64),
            np.ascontiguousarray(both["mean"].to_numpy()),
            np.ascontiguousarray(both["m2"].to_numpy()),
        )
        return runs.select(self.lot, "_first").with_columns(
            pl.Series("n", n), pl.Series("mean", mean), pl.Series("m2", m2)
        )

    def finish(self, moments: pl.DataFrame) -> pl.DataFrame:
        """The decisions, one row per lot in order of first appearance."""
        first = moments["_first"]
        m = moments if first.is_sorted() else moments.sort("_first")
        columns = (
            np.ascontiguousarray(m["n"].to_numpy(), dtype=np.uint64),
            np.ascontiguousarray(m["mean"].to_numpy(), dtype=np.float64),
            np.ascontiguousarray(m["m2"].to_numpy(), dtype=np.float64),
        )
        return self.decided(m[self.lot], columns)

    def decided(
        self, lots: pl.Series, moments: LotArrays, rows: pl.DataFrame | None = None
    ) -> pl.DataFrame:
        """The result frame of the lots ``lots`` with ``n``, ``mean`` and ``m2``
        ``moments``; a lot that cannot be decided is named in the error, or the
        first invalid measurement of ``rows`` (the lots' frame, if given)."""
        n, mean, _ = moments
        try:
            accept, cols = self.decide(*moments)
        except ValueError as e:
            if rows is not None:
                self.refuse_invalid(rows)
            raise ValueError(lot_named(str(e), lots.to_frame())) from None
        optional = ("q_lower", "q_upper", "p_lower", "p_upper")
        stats = [
            pl.Series(k, c, nan_to_null=k in optional)
            for k, c in zip(self.STATISTICS[1:], cols, strict=True)
        ]
        return pl.DataFrame(
            [
                lots,
                by_code(_OUTCOMES, accept.view(np.uint8)),
                # Counts of rows are far below 2**63: the same bits as Int64.
                pl.Series("n", n.view(np.int64)),
                pl.Series("mean", mean),
                *stats,
            ]
        )


#: The ``n``, ``mean`` and ``m2`` of lots, as arrays.
LotArrays = tuple[npt.NDArray[np.uint64], npt.NDArray[np.float64], npt.NDArray[np.float64]]


def _by_text_hash(values: Any, lots: pl.Series) -> Any:
    """:func:`_qualstat._moments_by_key` of ``values`` keyed by a 64-bit hash of
    each lot's text (polars' ``Series.hash``: 9 ms against 135 ms for the codes
    of a categorical, 3.5M rows of 100,000 lots), or None if two texts may
    share a hash: a second hash (24 bits of another seed) must be the same on
    every row of a lot (its M2 0), else the caller keys the lots by their
    categorical codes. Two of 100,000 texts share both with a probability of
    about 1e-17."""
    keys = np.ascontiguousarray(lots.hash().to_numpy().view(np.int64))
    keyed = _qualstat._moments_by_key(values, keys)
    check = (lots.hash(seed=1).to_numpy() & 0xFFFFFF).astype(np.float64)
    _, _, (_, _, m2) = _qualstat._moments_by_key(check, keys)
    return None if m2.any() else keyed


#: The outcome of a lot by whether it is accepted (gathered by 0 or 1).
_OUTCOMES = pl.Series("outcome", ["reject", "accept"])
