"""Conformity decisions with measurement uncertainty (JCGM 106:2012, ILAC-G8:09/2019).

An item measured at ``y`` with standard uncertainty ``u`` conforms to its
tolerance limits ``lower`` and ``upper`` (either may be ``None`` for a
one-sided tolerance) with probability ``conformance_probability``; a lab
accepts it when ``y`` lies in an acceptance interval narrowed from the
tolerance interval by a guard band ``w`` (``guard_band``), and states the
result as ILAC-G8 binary or non-binary statements (``decide``). For a whole
process, ``global_risk`` gives the probabilities that a non-conforming item
is accepted (consumer's risk) and that a conforming item is rejected
(producer's risk). ``cm`` is the measurement capability index.

Conventions (``reference/lab_notes.md`` part C): ``u`` is the *standard*
uncertainty (the expanded uncertainty is ``U = k u``); the measurement PDF
is normal, or a Student t scaled by ``u`` with ``df`` effective degrees of
freedom; probabilities and risks are fractions (``"2.5%"`` is accepted for
``risk``); global risks are joint probabilities (P(non-conforming and
accepted)), their conditional forms are properties of the result.
"""

from __future__ import annotations

import html
from dataclasses import asdict, dataclass
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
import polars as pl

from . import _qualstat
from ._coerce import as_array, broadcast, is_scalar, option, real, show
from ._units import fraction

__all__ = [
    "AcceptanceLimits",
    "ConformityDecision",
    "GlobalRisk",
    "cm",
    "conformance_probability",
    "decide",
    "global_risk",
    "guard_band",
    "nonconformance_probability",
]

_RULES = ("simple", "w=U", "specific_risk")
_STATEMENTS = ("binary", "non-binary")
_VERDICTS = np.array(_qualstat._VERDICTS)

_F64 = npt.NDArray[np.float64]


def _columns(named: dict[str, Any]) -> tuple[tuple[int, ...] | None, list[_F64]]:
    """Numeric arguments as float64 columns for the native module.

    Scalars become one-value columns (shared by every item); array-likes are
    broadcast together and flattened. Returns the common shape (``None``
    when every argument is a scalar) and the columns in the order given.
    """
    arrays: dict[str, npt.NDArray[Any]] = {}
    columns: dict[str, _F64] = {}
    for name, value in named.items():
        if is_scalar(value) and not isinstance(value, np.ndarray):
            columns[name] = np.array([real(value, name)], dtype=np.float64)
        else:
            arrays[name] = as_array(value, name)
    shape: tuple[int, ...] | None = None
    if arrays:
        shaped = broadcast(list(arrays), list(arrays.values()))
        shape = shaped[0].shape
        for name, a in zip(arrays, shaped, strict=True):
            columns[name] = np.ascontiguousarray(a, dtype=np.float64).reshape(-1)
    return shape, [columns[name] for name in named]


def _limit(value: Any, side: float) -> Any:
    """A tolerance limit for the native module: ``None`` is an open side (-inf or +inf)."""
    return side if value is None else value


def _shaped(values: _F64, shape: tuple[int, ...] | None) -> Any:
    return float(values[0]) if shape is None else values.reshape(shape)


def _df(df: Any) -> Any:
    return np.inf if df is None else df


def _probability(y: Any, u: Any, lower: Any, upper: Any, df: Any, complement: bool) -> Any:
    shape, cols = _columns(
        {
            "y": y,
            "u": u,
            "lower": _limit(lower, -np.inf),
            "upper": _limit(upper, np.inf),
            "df": _df(df),
        }
    )
    y_, u_, lo_, up_, df_ = cols
    return _shaped(_qualstat._conformance_probability(y_, u_, lo_, up_, df_, complement), shape)


def conformance_probability(
    y: Any, u: Any, lower: Any = None, upper: Any = None, df: Any = None
) -> Any:
    """The probability that an item measured at ``y`` lies within its tolerance limits.

    p_c = F((upper - y) / u) - F((lower - y) / u), a term dropped for an open
    side, with F the standard normal cdf, or the Student t cdf with ``df``
    degrees of freedom (JCGM 106:2012 section 7.3). The specific consumer's
    risk of accepting the item is 1 - p_c (``nonconformance_probability``
    computes it without cancellation); the specific producer's risk of
    rejecting it is p_c.

    Parameters
    ----------
    y : float or array-like
        Measured value(s), in the unit of the limits.
    u : float or array-like
        Standard uncertainty (> 0), same unit (not the expanded U = k u).
    lower, upper : float, array-like or None
        Tolerance limits; ``None`` for an open side (at least one is needed).
    df : float, array-like or None
        Effective degrees of freedom of a Student t measurement PDF (> 0);
        ``None`` for the normal PDF.

    Returns
    -------
    float, or a numpy array of the broadcast shape of the inputs.

    Examples
    --------
    >>> import qualstat as qs
    >>> round(qs.conformity.conformance_probability(9.8, 0.1, upper=10.0), 6)  # Phi(2)
    0.97725
    >>> qs.conformity.conformance_probability([9.9, 10.1], 0.1, 9.0, 10.0).round(4)
    array([0.8413, 0.1587])
    """
    return _probability(y, u, lower, upper, df, False)


def nonconformance_probability(
    y: Any, u: Any, lower: Any = None, upper: Any = None, df: Any = None
) -> Any:
    """1 - ``conformance_probability``: the specific consumer's risk of accepting the item.

    Computed from the tails (no cancellation), so tiny risks keep their
    relative precision. Arguments as ``conformance_probability``.

    >>> import qualstat as qs
    >>> f"{qs.conformity.nonconformance_probability(9.0, 0.1, upper=10.0):.4e}"  # Phi(-10)
    '7.6199e-24'
    """
    return _probability(y, u, lower, upper, df, True)


def cm(u: Any, lower: Any, upper: Any) -> Any:
    """The measurement capability index C_m = (upper - lower) / (4 u) (JCGM 106:2012, 3.3.17).

    ``u`` is the standard uncertainty, so C_m is the tolerance width over
    twice the expanded uncertainty U = 2u; (upper - lower) / (2U) equals it
    only when U = 2u. Both limits are required.

    >>> import qualstat as qs
    >>> qs.conformity.cm(0.125, 9.0, 11.0)
    4.0
    """
    if lower is None or upper is None:
        missing = "lower" if lower is None else "upper"
        raise ValueError(
            f"{missing} is not given: expected both tolerance limits "
            "(C_m is defined for a two-sided tolerance)"
        )
    shape, cols = _columns({"u": u, "lower": lower, "upper": upper})
    return _shaped(_qualstat._measurement_capability_index(*cols), shape)


class AcceptanceLimits(NamedTuple):
    """An acceptance interval ``(lower, upper)``; ``None`` on an open side."""

    lower: Any
    upper: Any


def _rule_args(rule: Any, risk: Any, k: Any) -> tuple[str, float, float]:
    return option(rule, "rule", _RULES), fraction(risk, "risk"), real(k, "k")


def guard_band(
    u: Any,
    lower: Any = None,
    upper: Any = None,
    rule: str = "simple",
    risk: Any = 0.025,
    k: Any = 2.0,
    df: Any = None,
) -> AcceptanceLimits:
    """The acceptance limits a guard-band rule implies: ``(acceptance_lower, acceptance_upper)``.

    The guard band w is the distance from each tolerance limit inward to its
    acceptance limit (ILAC-G8:09/2019 4.2.2; JCGM 106:2012 section 8).

    Parameters
    ----------
    u : float or array-like
        Standard uncertainty (> 0).
    lower, upper : float, array-like or None
        Tolerance limits; ``None`` for an open side.
    rule : {"simple", "w=U", "specific_risk"}
        "simple": w = 0 (simple acceptance: up to 50 % specific risk at a
        limit). "w=U": w = k u, the expanded uncertainty; with one limit the
        specific risk at the acceptance limit is then 1 - Phi(k) (2.275 % for
        k = 2). "specific_risk": the w at which the specific consumer's risk
        1 - p_c at the acceptance limits equals ``risk`` (w = z_(1-risk) u for
        one limit; with two limits the far tail counts too).
    risk : float or str
        Target specific risk for "specific_risk", in (0, 0.5) (``"2.5%"`` accepted).
    k : float
        Coverage factor for "w=U" (>= 0).
    df : float, array-like or None
        Effective degrees of freedom (Student t PDF) for "specific_risk".

    Returns
    -------
    AcceptanceLimits
        A named tuple ``(lower, upper)``: floats (arrays for array input),
        ``None`` on an open side.

    Raises
    ------
    ValueError
        For bad arguments, and when the guard bands leave no acceptance interval.

    Examples
    --------
    >>> import qualstat as qs
    >>> qs.conformity.guard_band(0.1, 9.0, 11.0, rule="w=U")
    AcceptanceLimits(lower=9.2, upper=10.8)
    >>> a = qs.conformity.guard_band(0.1, upper=10.0, rule="specific_risk", risk="1%")
    >>> round(a.upper, 6), a.lower
    (9.767365, None)
    """
    name, rk, kk = _rule_args(rule, risk, k)
    shape, cols = _columns(
        {"u": u, "lower": _limit(lower, -np.inf), "upper": _limit(upper, np.inf), "df": _df(df)}
    )
    u_, lo_, up_, df_ = cols
    lo, up = _qualstat._guard_band(u_, lo_, up_, df_, name, rk, kk)
    return AcceptanceLimits(
        None if lower is None else _shaped(lo, shape),
        None if upper is None else _shaped(up, shape),
    )


def _text(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, np.ndarray):
        lo, hi = float(np.min(value)), float(np.max(value))
        return f"{lo:.6g}" if lo == hi else f"{lo:.6g}..{hi:.6g}"
    return f"{value:.6g}"


@dataclass(frozen=True, repr=False)
class ConformityDecision:
    """A statement of conformity (ILAC-G8) for one item or an array of items.

    ``verdict`` is "pass", "conditional pass", "conditional fail" or "fail"
    (a numpy array of these for array input); ``acceptance_lower`` /
    ``acceptance_upper`` the acceptance interval used (``None`` on an open
    side); ``conformance_probability`` p_c; ``specific_risk`` the risk the
    statement carries: 1 - p_c for an item accepted ("pass" or "conditional
    pass", the specific consumer's risk), p_c for one rejected (the specific
    producer's risk).

    >>> import qualstat as qs
    >>> d = qs.conformity.decide(9.9, 0.1, upper=10.0, rule="w=U", statement="non-binary")
    >>> d.verdict, d.accepted, round(d.specific_risk, 4)
    ('conditional pass', True, 0.1587)
    """

    verdict: Any
    y: Any
    u: Any
    lower: Any
    upper: Any
    acceptance_lower: Any
    acceptance_upper: Any
    conformance_probability: Any
    specific_risk: Any
    rule: str
    statement: str
    risk: float
    k: float
    df: Any

    @property
    def accepted(self) -> Any:
        """True for "pass" and "conditional pass" (an array for array input)."""
        result = np.isin(self.verdict, ["pass", "conditional pass"])
        return bool(result) if isinstance(self.verdict, str) else result

    @property
    def table(self) -> pl.DataFrame:
        """One row per item: y, u, verdict, conformance_probability, specific_risk, limits."""
        shape = np.shape(self.verdict)

        def col(v: Any) -> Any:
            values = np.nan if v is None else np.asarray(v, dtype=float)
            return np.broadcast_to(values, shape).reshape(-1)

        return pl.DataFrame(
            {
                "y": col(self.y),
                "u": col(self.u),
                "verdict": np.asarray(self.verdict, dtype=str).reshape(-1),
                "conformance_probability": col(self.conformance_probability),
                "specific_risk": col(self.specific_risk),
                "acceptance_lower": col(self.acceptance_lower),
                "acceptance_upper": col(self.acceptance_upper),
            }
        )

    def _rule_text(self) -> str:
        if self.rule == "w=U":
            detail = f"w=U, k = {self.k:g}"
        elif self.rule == "specific_risk":
            detail = f"specific_risk, risk = {self.risk:g}"
        else:
            detail = "simple acceptance"
        dist = "normal" if self.df is None else f"t, df = {_text(self.df)}"
        return f"{detail}, {self.statement} statement, {dist}"

    def _summary(self) -> str:
        limits = (
            f"tolerance [{_text(self.lower)}, {_text(self.upper)}], acceptance "
            f"[{_text(self.acceptance_lower)}, {_text(self.acceptance_upper)}]"
        )
        if isinstance(self.verdict, str):
            return (
                f"ConformityDecision({self.verdict!r}: y = {self.y:.6g}, u = {_text(self.u)}, "
                f"{limits}; p_c = {self.conformance_probability:.4g}, specific risk "
                f"{self.specific_risk:.4g}; {self._rule_text()})"
            )
        tally = ", ".join(
            f"{v}: {int(np.sum(self.verdict == v))}" for v in _VERDICTS if np.any(self.verdict == v)
        )
        return f"ConformityDecision({np.size(self.verdict)} items, {tally}; {limits}; " + (
            f"{self._rule_text()})"
        )

    def __repr__(self) -> str:
        return self._summary()

    def __str__(self) -> str:
        """The statement itself for one item ("pass", ...); the summary for many."""
        return self.verdict if isinstance(self.verdict, str) else self._summary()

    def _repr_html_(self) -> str:
        body = "" if isinstance(self.verdict, str) else self.table._repr_html_()
        return f"<div><p>{html.escape(self._summary())}</p>{body}</div>"

    def to_dict(self) -> dict[str, Any]:
        """The fields as a dict (arrays stay numpy arrays)."""
        return asdict(self)

    def plot(self, ax: Any = None) -> Any:
        """The conformance probability across measured values, with the zones; returns the Axes.

        The curve is p_c(y) at the (first) item's uncertainty; the zones are
        shaded: pass (acceptance interval), conditional pass and conditional
        fail (the guard bands, non-binary), fail. Each item is marked with
        its expanded uncertainty (k u; 2u under rules other than "w=U").
        """
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(7, 4))
        u0 = float(np.ravel(self.u)[0])
        lo = None if self.lower is None else float(np.ravel(self.lower)[0])
        up = None if self.upper is None else float(np.ravel(self.upper)[0])
        a_lo = None if self.acceptance_lower is None else float(np.ravel(self.acceptance_lower)[0])
        a_up = None if self.acceptance_upper is None else float(np.ravel(self.acceptance_upper)[0])
        ys, us, pcs = (
            a.reshape(-1)
            for a in np.broadcast_arrays(
                np.asarray(self.y, dtype=float),
                np.asarray(self.u, dtype=float),
                np.asarray(self.conformance_probability, dtype=float),
            )
        )
        span = [v for v in (lo, up, *ys.tolist()) if v is not None]
        left, right = min(span) - 6 * u0, max(span) + 6 * u0
        grid = np.linspace(left, right, 600)
        p = conformance_probability(grid, u0, lo, up, self.df if is_scalar(self.df) else None)
        ax.plot(grid, p, color="0.2", label="conformance probability $p_c$")
        zones = [("pass", a_lo, a_up, "tab:green")]
        if self.statement == "non-binary":
            band = [
                (lo, a_lo) if lo is not None and a_lo is not None else None,
                (a_up, up) if up is not None and a_up is not None else None,
            ]
            for j, b in enumerate(band):
                if b is None:
                    continue
                ref = b[0] if j == 0 else b[1]
                w = b[1] - b[0]
                zones.append(("conditional pass", b[0], b[1], "gold"))
                outer = (ref - w, ref) if j == 0 else (ref, ref + w)
                zones.append(("conditional fail", outer[0], outer[1], "orange"))
        seen = set()
        for label, z0, z1, colour in zones:
            z0 = left if z0 is None else z0
            z1 = right if z1 is None else z1
            ax.axvspan(
                z0, z1, color=colour, alpha=0.18, lw=0, label=None if label in seen else label
            )
            seen.add(label)
        for v in (lo, up):
            if v is not None:
                ax.axvline(v, color="tab:red", lw=1.2)
        for v in (a_lo, a_up):
            if v is not None:
                ax.axvline(v, color="tab:green", lw=1, ls="--")
        kk = self.k if self.rule == "w=U" else 2.0
        ax.errorbar(
            ys, pcs, xerr=kk * us, fmt="o", color="tab:blue", ms=4, capsize=3, label="items"
        )
        ax.set_xlim(left, right)
        ax.set_ylim(-0.02, 1.02)
        ax.set_xlabel("measured value y")
        ax.set_ylabel("$p_c$")
        ax.set_title(self._rule_text(), fontsize=9)
        ax.legend(fontsize=8, loc="best")
        return ax


def decide(
    y: Any,
    u: Any,
    lower: Any = None,
    upper: Any = None,
    *,
    rule: str = "simple",
    statement: str = "binary",
    risk: Any = 0.025,
    k: Any = 2.0,
    df: Any = None,
) -> ConformityDecision:
    """The ILAC-G8 statement of conformity for item(s) measured at ``y`` with uncertainty ``u``.

    The acceptance interval comes from ``guard_band(u, lower, upper, rule,
    risk, k, df)``. Binary statement (ILAC-G8 4.2.1, 4.2.2): "pass" inside the
    acceptance interval, else "fail". Non-binary (4.2.3): "pass" inside the
    acceptance interval, "conditional pass" inside the tolerance interval but
    in a guard band, "conditional fail" outside the tolerance interval by at
    most the guard band w, "fail" beyond; with ``rule="simple"`` (w = 0) only
    "pass" and "fail" occur. A value on a boundary gets the better statement.

    Parameters
    ----------
    y, u : float or array-like
        Measured value(s) and standard uncertainty (> 0).
    lower, upper : float, array-like or None
        Tolerance limits (``None`` for an open side).
    rule, risk, k, df
        As ``guard_band``; ``df`` also sets the PDF of the conformance probability.
    statement : {"binary", "non-binary"}

    Returns
    -------
    ConformityDecision

    Examples
    --------
    >>> import qualstat as qs
    >>> d = qs.conformity.decide([9.95, 10.05, 10.25, 10.45], 0.1, 9.0, 10.2,
    ...                          rule="w=U", statement="non-binary")
    >>> d.verdict.tolist()
    ['pass', 'conditional pass', 'conditional fail', 'fail']
    >>> d
    ConformityDecision(4 items, pass: 1, conditional pass: 1, conditional fail: 1, fail: 1;
    tolerance [9, 10.2], acceptance [9.2, 10]; w=U, k = 2, non-binary statement, normal)
    """
    name, rk, kk = _rule_args(rule, risk, k)
    st = option(statement, "statement", _STATEMENTS)
    named = {
        "y": y,
        "u": u,
        "lower": _limit(lower, -np.inf),
        "upper": _limit(upper, np.inf),
        "df": _df(df),
    }
    shape, cols = _columns(named)
    y_, u_, lo_, up_, df_ = cols
    codes, a_lo, a_up, pc = _qualstat._decide(y_, u_, lo_, up_, df_, name, st, rk, kk)
    verdicts = _VERDICTS[codes]
    accepted = codes <= 1
    outside = _qualstat._conformance_probability(y_, u_, lo_, up_, df_, True)
    risk_of = np.where(accepted, outside, pc)
    if shape is None:
        verdict: Any = str(verdicts[0])
    else:
        verdict = verdicts.reshape(shape)
    return ConformityDecision(
        verdict=verdict,
        y=y if is_scalar(y) else _shaped(cols[0], shape),
        u=u if is_scalar(u) else np.asarray(u, dtype=float),
        lower=lower,
        upper=upper,
        acceptance_lower=None if lower is None else _shaped(a_lo, shape),
        acceptance_upper=None if upper is None else _shaped(a_up, shape),
        conformance_probability=_shaped(pc, shape),
        specific_risk=_shaped(risk_of, shape),
        rule=name,
        statement=st,
        risk=rk,
        k=kk,
        df=df,
    )


@dataclass(frozen=True, repr=False)
class GlobalRisk:
    """Global (process) risks of an acceptance rule: floats, or arrays for array input.

    ``consumer``: P(non-conforming and accepted); ``producer``: P(conforming
    and rejected) (joint probabilities, JCGM 106:2012 9.5); ``prob_accept``:
    P(accepted); ``prob_conforming``: P(conforming). The conditional forms
    are properties: ``consumer_conditional`` = P(non-conforming | accepted),
    ``producer_conditional`` = P(conforming | rejected).

    >>> import qualstat as qs
    >>> r = qs.conformity.global_risk(10.0, 0.4, 0.1, 9.0, 11.0)
    >>> r
    GlobalRisk(consumer=0.002445, producer=0.005319, P(accept)=0.9847, P(conforming)=0.9876)
    """

    consumer: Any
    producer: Any
    prob_accept: Any
    prob_conforming: Any

    @property
    def consumer_conditional(self) -> Any:
        """P(non-conforming | accepted) = consumer / prob_accept."""
        return self.consumer / self.prob_accept

    @property
    def producer_conditional(self) -> Any:
        """P(conforming | rejected) = producer / (1 - prob_accept)."""
        return self.producer / (1.0 - self.prob_accept)

    def _summary(self) -> str:
        if np.ndim(self.consumer) == 0:
            return (
                f"GlobalRisk(consumer={self.consumer:.4g}, producer={self.producer:.4g}, "
                f"P(accept)={self.prob_accept:.4g}, P(conforming)={self.prob_conforming:.4g})"
            )
        c, p = np.asarray(self.consumer), np.asarray(self.producer)
        return (
            f"GlobalRisk({c.size} values of shape {c.shape}: consumer in "
            f"[{c.min():.4g}, {c.max():.4g}], producer in [{p.min():.4g}, {p.max():.4g}])"
        )

    def __repr__(self) -> str:
        return self._summary()

    def _repr_html_(self) -> str:
        return f"<div><p>{html.escape(self._summary())}</p></div>"

    def to_dict(self) -> dict[str, Any]:
        """The four probabilities as a dict (arrays stay numpy arrays)."""
        return asdict(self)


def _acceptance(acceptance: Any, lower: Any, upper: Any) -> tuple[Any, Any]:
    if acceptance is None:
        return lower, upper
    if isinstance(acceptance, (str, bytes)) or not hasattr(acceptance, "__len__"):
        raise TypeError(
            f"acceptance = {show(acceptance)} is invalid: expected a pair (lower, upper) "
            "such as guard_band(...) returns, with None for an open side"
        )
    if len(acceptance) != 2:
        raise ValueError(
            f"acceptance = {show(acceptance)} is invalid: expected a pair (lower, upper)"
        )
    return acceptance[0], acceptance[1]


def global_risk(
    process_mean: Any,
    process_sd: Any,
    u: Any,
    lower: Any = None,
    upper: Any = None,
    acceptance: Any = None,
) -> GlobalRisk:
    """Global consumer's and producer's risks for a normal process measured with normal error.

    True values eta ~ N(process_mean, process_sd^2) are measured as
    y ~ N(eta, u^2) and accepted when y is in the acceptance interval.
    consumer = P(eta outside [lower, upper], y accepted), producer =
    P(eta inside, y rejected) (JCGM 106:2012 9.5). The inner integral is a
    normal probability; the outer one is done by adaptive Gauss-Kronrod
    quadrature to about 1e-12 relative (checked against scipy ``dblquad``
    and the bivariate normal cdf, and Sheppard's closed form). Array inputs
    broadcast (e.g. a grid of process values against uncertainties) and
    run in parallel.

    Parameters
    ----------
    process_mean, process_sd : float or array-like
        The process distribution of true values (sd > 0).
    u : float or array-like
        Standard measurement uncertainty (> 0).
    lower, upper : float, array-like or None
        Tolerance limits; ``None`` for an open side.
    acceptance : pair or None
        Acceptance limits ``(lower, upper)``, e.g. ``guard_band(...)``
        (``None`` for an open side); default the tolerance limits (simple acceptance).

    Returns
    -------
    GlobalRisk

    Examples
    --------
    >>> import qualstat as qs
    >>> a = qs.conformity.guard_band(0.1, 9.0, 11.0, rule="w=U")
    >>> r = qs.conformity.global_risk(10.0, 0.4, 0.1, 9.0, 11.0, acceptance=a)
    >>> f"{r.consumer:.3e}", f"{r.producer:.4f}"
    ('6.094e-05', '0.0400')
    """
    a_lo, a_up = _acceptance(acceptance, lower, upper)
    shape, cols = _columns(
        {
            "process_mean": process_mean,
            "process_sd": process_sd,
            "u": u,
            "lower": _limit(lower, -np.inf),
            "upper": _limit(upper, np.inf),
            "acceptance lower": _limit(a_lo, -np.inf),
            "acceptance upper": _limit(a_up, np.inf),
        }
    )
    consumer, producer, accept, conforming = _qualstat._global_risk(*cols)
    return GlobalRisk(
        _shaped(consumer, shape),
        _shaped(producer, shape),
        _shaped(accept, shape),
        _shaped(conforming, shape),
    )
