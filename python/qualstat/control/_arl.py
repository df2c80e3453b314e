"""Run lengths of control charts and their design (``reference/spc_notes.md`` section 5).

Shifts are in sigma units: of the process for ``arl_shewhart`` (the plotted mean
moves by ``shift * sqrt(subgroup_size)`` standard errors), of the plotted
statistic for the CUSUM and the EWMA (k, h, the head start and the EWMA's
limits are in the same units). ARLs count points (subgroups) up to and including
the signal; "zero" state starts the chart at its starting point, "steady" in
the conditional steady state (in control long enough without a signal, the
quasi-stationary distribution, as R spc's ``xewma.ad``). ARLs above 1e15 are
returned as ``inf`` (the chart practically never signals; double precision
cannot resolve them).

Methods: Shewhart charts with runs rules by an exact Markov chain over the
rules' memory (Champ & Woodall 1987), with the charts' own rule definitions
(``qs.control`` ``rules=``); trend and alternating rules (Nelson 3, 4) are
refused. CUSUM and EWMA by the Nystrom method with Gauss-Legendre nodes (Vance
1986, Crowder 1987; R spc ``xcusum.arl``, ``xewma.arl``), within max(1e-9,
ARL * 1e-13) relative (checked against an independent numpy solution with many
more nodes; the second term is rounding when the ARL is large); the EWMA
uses the fixed asymptotic limits +/- L sqrt(lam / (2 - lam)) of the classical
tables (not the chart's time-varying limits of its first points).
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from .. import _qualstat
from .._coerce import as_array, integer, is_scalar, option, real

__all__ = [
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

_STATES = ("zero", "steady")
_CHARTS = ("shewhart", "cusum", "ewma")


def _shifts(shift: Any) -> tuple[bool, tuple[int, ...], npt.NDArray[np.float64]]:
    """(scalar?, shape, flat contiguous float64 shifts)."""
    if is_scalar(shift):
        value = real(shift, "shift")
        if not math.isfinite(value):
            raise ValueError(f"shift = {value} is invalid: expected a finite number (sigma units)")
        return True, (), np.array([value])
    arr = np.asarray(as_array(shift, "shift"), dtype=np.float64)
    return False, arr.shape, np.ascontiguousarray(arr.reshape(-1))


def _out(scalar: bool, shape: tuple[int, ...], values: npt.NDArray[np.float64]) -> Any:
    return float(values[0]) if scalar else values.reshape(shape)


def _sides(sides: Any) -> int:
    return integer(sides, "sides", minimum=1, maximum=2)


def arl_shewhart(
    shift: Any,
    *,
    L: Any = 3.0,
    rules: Any = None,
    subgroup_size: Any = 1,
    state: str = "zero",
) -> Any:
    """Average run length of a Shewhart chart with runs rules.

    Parameters
    ----------
    shift : float or array-like
        Shift of the process mean in process sigma units.
    L : float
        Control limits at +/- L standard errors (rule 1). The zone rules keep
        their own thresholds (1 and 2 standard errors unless edited), as the
        charts use them.
    rules : None, "we", "nelson" or list of (set, number[, thresholds]) pairs
        As the charts' ``rules=`` (None: rule 1 alone). Nelson 3 and 4 (trend,
        alternating) are refused.
    subgroup_size : int
        n: the plotted mean shifts by ``shift * sqrt(n)`` standard errors.
    state : {"zero", "steady"}

    Returns
    -------
    float, or numpy array of the shape of ``shift``

    Examples
    --------
    >>> import qualstat as qs
    >>> round(qs.control.arl_shewhart(0.0), 2)  # 1 / (2 Phi(-3))
    370.4
    >>> qs.control.arl_shewhart([0.0, 1.0], rules=[("we", 1), ("we", 2)]).round(2).tolist()
    [225.44, 20.01]
    """
    scalar, shape, d = _shifts(shift)
    n = integer(subgroup_size, "subgroup_size", minimum=1)
    out = _qualstat._arl_shewhart(d, real(L, "L"), rules, n, option(state, "state", _STATES))
    return _out(scalar, shape, out)


def arl_cusum(
    shift: Any,
    *,
    k: Any,
    h: Any,
    head_start: Any = 0.0,
    sides: Any = 2,
    state: str = "zero",
) -> Any:
    """Average run length of a tabular CUSUM (k, h, head start in sigma units).

    Two-sided (``sides=2``, the default): 1/ARL = 1/ARL+ + 1/ARL- from zero, and
    Lucas & Crosier's combination with a head start (which must not exceed
    h/2 + k); one-sided (``sides=1``): the upper CUSUM, which signals when
    C+ > h. The steady state is available for one side only.

    Examples
    --------
    >>> import qualstat as qs
    >>> round(qs.control.arl_cusum(0.0, k=0.5, h=4.0), 1)  # Lucas & Crosier 1982: 168
    167.7
    >>> round(qs.control.arl_cusum(1.0, k=0.5, h=4.0, head_start=2.0), 2)  # FIR: 5.29
    5.29
    """
    scalar, shape, d = _shifts(shift)
    out = _qualstat._arl_cusum(
        d,
        real(k, "k"),
        real(h, "h"),
        real(head_start, "head_start"),
        _sides(sides),
        option(state, "state", _STATES),
    )
    return _out(scalar, shape, out)


def arl_ewma(shift: Any, *, lam: Any, L: Any, state: str = "zero") -> Any:
    """Average run length of an EWMA chart with fixed limits +/- L sqrt(lam / (2 - lam)).

    Examples
    --------
    >>> import qualstat as qs
    >>> round(qs.control.arl_ewma(1.0, lam=0.25, L=3.0), 9)  # SAS/QC: 11.154267016
    11.154267016
    """
    scalar, shape, d = _shifts(shift)
    out = _qualstat._arl_ewma(d, real(lam, "lam"), real(L, "L"), option(state, "state", _STATES))
    return _out(scalar, shape, out)


def cusum_h(k: Any, arl0: Any, *, sides: Any = 2, head_start_fraction: Any = 0.0) -> float:
    """Decision interval h giving the in-control (zero-state) ARL ``arl0``.

    ``head_start_fraction`` sets a head start of that fraction of h (0 to 0.5).

    Examples
    --------
    >>> import qualstat as qs
    >>> h = qs.control.cusum_h(0.5, 370.0)
    >>> round(h, 4), round(qs.control.arl_cusum(0.0, k=0.5, h=h), 6)
    (4.7738, 370.0)
    """
    return float(
        _qualstat._cusum_h(
            real(k, "k"),
            real(arl0, "arl0"),
            _sides(sides),
            real(head_start_fraction, "head_start_fraction"),
        )
    )


def ewma_L(lam: Any, arl0: Any) -> float:  # noqa: N802 - the chart's own letter
    """Limit multiplier L of an EWMA with smoothing ``lam`` and in-control ARL ``arl0``.

    Examples
    --------
    >>> import qualstat as qs
    >>> round(qs.control.ewma_L(0.1, 250.0), 2)  # Crowder 1989: 2.55
    2.55
    """
    return float(_qualstat._ewma_L(real(lam, "lam"), real(arl0, "arl0")))


@dataclass(frozen=True)
class EwmaDesign:
    """An EWMA design: smoothing ``lam``, limit multiplier ``L``, its in-control
    ARL ``arl0`` and its zero-state ARL ``arl1`` at the design ``shift``."""

    lam: float
    L: float  # noqa: N815 - the chart's own letter
    arl0: float
    arl1: float
    shift: float

    def __repr__(self) -> str:
        return (
            f"EwmaDesign(lam={self.lam:.4g}, L={self.L:.4f}; ARL0 {self.arl0:.6g}, "
            f"ARL {self.arl1:.4g} at a shift of {self.shift:.4g} sigma)"
        )

    def _repr_html_(self) -> str:
        return f"<p>{html.escape(repr(self))}</p>"

    def to_dict(self) -> dict[str, float]:
        return {
            "lam": self.lam,
            "L": self.L,
            "arl0": self.arl0,
            "arl1": self.arl1,
            "shift": self.shift,
        }


def ewma_design(shift: Any, arl0: Any) -> EwmaDesign:
    """The EWMA (lam, L) with in-control ARL ``arl0`` that detects ``shift`` fastest.

    Minimises the zero-state ARL at ``shift`` over lam in [0.005, 1] (to 0.1 %
    in lam; the ARL is flat there), with L from :func:`ewma_L` at each lam
    (Lucas & Saccucci 1990; Crowder 1989).

    Examples
    --------
    >>> import qualstat as qs
    >>> qs.control.ewma_design(1.0, 500.0)
    EwmaDesign(lam=0.1336, L=2.8827; ARL0 500, ARL 10.2 at a shift of 1 sigma)
    """
    d = real(shift, "shift")
    lam, L, arl1 = _qualstat._ewma_optimal(d, real(arl0, "arl0"))
    return EwmaDesign(float(lam), float(L), float(arl0), float(arl1), abs(d))


_QUANTILES = (0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95)


@dataclass(frozen=True)
class RunLength:
    """The run-length distribution of a chart at one shift (:func:`run_length`), or of
    an attribute chart at one process quality ``x`` (``shift`` None:
    :meth:`Chart.run_length`).

    ``survival[t]`` is P(RL > t) for t = 0, 1, ... up to the first t where it is
    at most ``tail`` (or the work bound). ``quantile(p)`` is the smallest t with
    P(RL <= t) >= p.
    """

    chart: str
    shift: float | None
    state: str
    arl: float
    sdrl: float
    survival: npt.NDArray[np.float64] = field(repr=False)
    x: float | None = None

    def _at(self) -> str:
        """Where the run length is: "x 0.05" (a quality) or "shift 1 sigma"."""
        return f"x {self.x:.4g}" if self.shift is None else f"shift {self.shift:.4g} sigma"

    def quantile(self, p: Any) -> int:
        """Run-length quantile at probability ``p`` in (0, 1)."""
        q = real(p, "p")
        if not 0.0 < q < 1.0:
            raise ValueError(f"p = {q} is invalid: expected a probability in (0, 1)")
        hit = np.nonzero(1.0 - self.survival >= q)[0]
        if hit.size == 0:
            raise ValueError(
                f"p = {q} is beyond the computed run-length distribution "
                f"(P(RL > {self.survival.size - 1}) = {self.survival[-1]:.3g}); "
                "lower tail= or ask for a smaller p"
            )
        return int(hit[0])

    @property
    def quantiles(self) -> dict[float, int | None]:
        """The 5, 10, 25, 50, 75, 90 and 95 % quantiles (None beyond the curve)."""
        out: dict[float, int | None] = {}
        for p in _QUANTILES:
            hit = np.nonzero(1.0 - self.survival >= p)[0]
            out[p] = int(hit[0]) if hit.size else None
        return out

    @property
    def table(self) -> pl.DataFrame:
        """``t``, ``survival`` = P(RL > t) and ``cdf`` = P(RL <= t)."""
        return pl.DataFrame(
            {
                "t": np.arange(self.survival.size),
                "survival": self.survival,
                "cdf": 1.0 - self.survival,
            }
        )

    def __repr__(self) -> str:
        q = self.quantiles
        med = q[0.5]
        return (
            f"RunLength({self.chart}, {self._at()}, {self.state} state: "
            f"ARL {self.arl:.5g}, SDRL {self.sdrl:.5g}, median {med}, "
            f"5-95 % [{q[0.05]}, {q[0.95]}])"
        )

    def _repr_html_(self) -> str:
        return f"<p>{html.escape(repr(self))}</p>"

    def to_dict(self) -> dict[str, Any]:
        where = {"shift": self.shift} if self.shift is not None else {"x": self.x}
        return {
            "chart": self.chart,
            **where,
            "state": self.state,
            "arl": self.arl,
            "sdrl": self.sdrl,
            "quantiles": self.quantiles,
        }

    def plot(self, ax: Any = None) -> Any:
        """Draw P(RL <= t) against t with the ARL marked; returns the Axes."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(6.5, 4))
        t = np.arange(self.survival.size)
        ax.step(t, 1.0 - self.survival, where="post", label="P(RL <= t)")
        if math.isfinite(self.arl):
            ax.axvline(self.arl, color="0.5", ls="--", label=f"ARL {self.arl:.4g}")
        ax.set_xlabel("run length t (points)")
        ax.set_ylabel("probability")
        ax.set_title(f"{self.chart}, {self._at()} ({self.state} state)")
        ax.legend(fontsize=8)
        return ax


def run_length(
    chart: str,
    shift: Any,
    *,
    state: str = "zero",
    tail: Any = 1e-4,
    L: Any = None,
    rules: Any = None,
    subgroup_size: Any = 1,
    k: Any = None,
    h: Any = None,
    head_start: Any = 0.0,
    lam: Any = None,
) -> RunLength:
    """Run-length distribution (ARL, SDRL, survival, quantiles) of a chart at one shift.

    ``chart`` is "shewhart" (``L`` default 3, ``rules``, ``subgroup_size``),
    "cusum" (one-sided, ``k``, ``h``, ``head_start``) or "ewma" (``lam``, ``L``);
    the arguments mean what they mean in :func:`arl_shewhart`, :func:`arl_cusum`
    and :func:`arl_ewma`. The survival P(RL > t) is computed (Waldmann's
    iteration) until it falls to ``tail`` (default 1e-4).

    Examples
    --------
    >>> import qualstat as qs
    >>> rl = qs.control.run_length("ewma", 1.0, lam=0.1, L=2.814)
    >>> round(rl.arl, 2), rl.quantile(0.5)
    (10.33, 9)
    """
    kind = option(chart, "chart", _CHARTS)
    if is_scalar(shift):
        d = real(shift, "shift")
    else:
        raise TypeError(f"shift must be a number for run_length, got {type(shift).__name__}")
    st = option(state, "state", _STATES)
    tl, t_max = tail_probability(tail), RUN_LENGTH_STEPS
    if kind == "shewhart":
        lim = 3.0 if L is None else real(L, "L")
        n = integer(subgroup_size, "subgroup_size", minimum=1)
        arl, sd, surv = _qualstat._run_length_shewhart(d, lim, rules, n, st, tl, t_max)
    elif kind == "cusum":
        kk, hh = _required(k, "k", "cusum"), _required(h, "h", "cusum")
        hs = real(head_start, "head_start")
        arl, sd, surv = _qualstat._run_length_cusum(d, kk, hh, hs, 1, st, tl, t_max)
    else:
        ll, lm = _required(L, "L", "ewma"), _required(lam, "lam", "ewma")
        arl, sd, surv = _qualstat._run_length_ewma(d, lm, ll, st, tl, t_max)
    return RunLength(kind, d, st, float(arl), float(sd), surv)


# The most points of a run-length distribution (its survival curve stops there if
# P(RL > t) has not fallen to the tail).
RUN_LENGTH_STEPS = 10_000_000


def tail_probability(tail: Any) -> float:
    """``tail=`` of a run-length distribution: a probability in (0, 1)."""
    tl = real(tail, "tail")
    if not 0.0 < tl < 1.0:
        raise ValueError(f"tail = {tl} is invalid: expected a probability in (0, 1)")
    return tl


def _required(value: Any, name: str, chart: str) -> float:
    if value is None:
        raise ValueError(f"{name} is not given: expected a number (the {chart} chart needs it)")
    return real(value, name)
