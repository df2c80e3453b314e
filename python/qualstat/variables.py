"""Variables sampling plans (ISO 3951-1 / ANSI Z1.9): k- and M-form decisions, OC, design.

Quality levels are fractions (0.01 = 1 % nonconforming beyond one specification
limit). ``method="s"``: the process standard deviation is estimated by the sample
standard deviation; ``method="sigma"``: it is known (give ``sigma`` to decide lots).
"""

from __future__ import annotations

import html
import numbers
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
import polars as pl

from . import _qualstat
from ._coerce import as_array, is_scalar
from .plan import table_note_html

__all__ = ["VariablesDecision", "VariablesPlan", "design_variables_plan"]


def _real(value: Any, name: str) -> float:
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {value!r}")
    return float(value)


def _opt_real(value: Any, name: str) -> float | None:
    return None if value is None else _real(value, name)


def _int(value: Any, name: str) -> int:
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    return int(value)


class VariablesDecision(NamedTuple):
    """A lot decision: accept?, the sample statistics, Q values and estimated fractions."""

    accept: bool
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
    def outcome(self) -> str:
        """``"accept"`` or ``"reject"``."""
        return "accept" if self.accept else "reject"


class VariablesPlan:
    """A variables sampling plan: sample size ``n`` and acceptability constant ``k``.

    ``m`` is the maximum allowable estimated fraction nonconforming (form M), derived
    from ``k`` unless given (:meth:`m_form`, or the tables of :mod:`qualstat.iso3951`).

    >>> import qualstat as qs
    >>> plan = qs.VariablesPlan(5, 1.53)
    >>> d = plan.decide([197, 188, 184, 205, 201], usl=209)
    >>> d.outcome, round(d.q_upper, 2)
    ('accept', 1.59)
    """

    __slots__ = ("_meta", "_native")

    def __init__(self, n: int, k: float, *, method: str = "s", sigma: float | None = None) -> None:
        self._native = _qualstat._VariablesPlan(
            _int(n, "n"), _real(k, "k"), None, method, _opt_real(sigma, "sigma")
        )
        self._meta: dict[str, Any] | None = None

    @classmethod
    def _wrap(cls, native: Any, meta: dict[str, Any] | None = None) -> VariablesPlan:
        obj = cls.__new__(cls)
        obj._native = native
        obj._meta = meta
        return obj

    @classmethod
    def m_form(
        cls, n: int, m: float, *, method: str = "s", sigma: float | None = None
    ) -> VariablesPlan:
        """A form-M plan: accept when the estimated fraction nonconforming is at most ``m``."""
        native = _qualstat._VariablesPlan(
            _int(n, "n"), None, _real(m, "m"), method, _opt_real(sigma, "sigma")
        )
        return cls._wrap(native)

    @property
    def n(self) -> int:
        """Sample size."""
        return int(self._native.n)

    @property
    def k(self) -> float:
        """Acceptability constant (form k)."""
        return float(self._native.k)

    @property
    def m(self) -> float:
        """Maximum allowable estimated fraction nonconforming (form M), a fraction."""
        return float(self._native.m)

    @property
    def method(self) -> str:
        """``"s"`` or ``"sigma"``."""
        return str(self._native.method)

    @property
    def sigma(self) -> float | None:
        """The known process standard deviation, if given."""
        return self._native.sigma  # type: ignore[no-any-return]

    @property
    def metadata(self) -> dict[str, Any] | None:
        """Where the plan came from (standard tables or design), if anywhere."""
        return self._meta

    def prob_accept(self, p: Any) -> float | npt.NDArray[np.float64]:
        """Probability of acceptance at fraction nonconforming ``p`` (one limit, form k).

        Exact: normal for the sigma-method, noncentral t for the s-method.
        """
        if is_scalar(p):
            return float(self._native.prob_accept(np.array([_real(p, "p")]))[0])
        arr = as_array(p, "p")
        flat = np.ascontiguousarray(arr, dtype=np.float64).reshape(-1)
        return np.asarray(self._native.prob_accept(flat)).reshape(arr.shape)

    def asn(self, p: Any = None) -> int:
        """Average sample number: always ``n``."""
        return self.n

    def curves(self, p: Any = None) -> pl.DataFrame:
        """OC on a grid of qualities as a polars DataFrame with columns ``p, prob_accept,
        prob_accept_wallis`` (Wallis's normal approximation, s-method; equal to the exact
        OC for the sigma-method)."""
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

    def decide(
        self,
        measurements: Any,
        *,
        lsl: float | None = None,
        usl: float | None = None,
        control: str = "combined",
        k_lower: float | None = None,
        k_upper: float | None = None,
    ) -> VariablesDecision:
        """Decides a lot from its ``n`` measurements.

        One limit: accept when Q >= k. Two limits: ``control="combined"`` accepts when
        p_hat_L + p_hat_U <= m; ``control="separate"`` when Q_L >= k_lower and
        Q_U >= k_upper (both default to the plan's k).
        """
        x = np.ascontiguousarray(as_array(measurements, "measurements"), dtype=np.float64)
        kl, ku = self._separate(control, k_lower, k_upper)
        out = self._native.decide(
            x.reshape(-1), _opt_real(lsl, "lsl"), _opt_real(usl, "usl"), control, kl, ku
        )
        return VariablesDecision(*out)

    def _separate(
        self, control: str, k_lower: Any, k_upper: Any
    ) -> tuple[float | None, float | None]:
        if control != "separate":
            return None, None
        kl = self.k if k_lower is None else _real(k_lower, "k_lower")
        ku = self.k if k_upper is None else _real(k_upper, "k_upper")
        return kl, ku

    def decide_lots(
        self,
        frame: Any,
        *,
        value: str,
        lot: str,
        lsl: float | None = None,
        usl: float | None = None,
        control: str = "combined",
        k_lower: float | None = None,
        k_upper: float | None = None,
    ) -> pl.DataFrame:
        """Decides every lot of a frame of measurements (one row per item), in parallel.

        ``frame`` is a polars or pandas DataFrame with a measurement column ``value`` and
        a lot column ``lot``; every lot must have exactly ``n`` rows. Returns one row per
        lot (in order of first appearance) with ``outcome, n, mean, sd, q_lower, q_upper,
        p_lower, p_upper, p_hat``.
        """
        columns = list(frame.columns) if hasattr(frame, "columns") else list(frame)
        if value not in columns or lot not in columns:
            raise ValueError(
                f"value = {value!r}, lot = {lot!r}: expected columns of the frame {columns}"
            )
        if isinstance(frame, pl.DataFrame):
            lots, col = frame.get_column(lot), frame.get_column(value)
        else:  # pandas DataFrame or a mapping of columns
            lots = pl.Series(lot, np.asarray(frame[lot]))
            col = pl.Series(value, np.asarray(frame[value]))
        if lots.null_count():
            raise ValueError(f"lot column {lot!r} has {lots.null_count()} null values")
        if col.null_count():
            raise ValueError(f"value column {value!r} has {col.null_count()} null values")
        if lots.dtype.is_integer():
            keys = lots.cast(pl.Int64).to_numpy()
        else:
            keys = lots.cast(pl.String).cast(pl.Categorical).to_physical().cast(pl.Int64).to_numpy()
        values = np.ascontiguousarray(col.cast(pl.Float64).to_numpy())
        kl, ku = self._separate(control, k_lower, k_upper)
        first_rows, accept, n, cols = self._native.decide_lots(
            values,
            np.ascontiguousarray(keys),
            _opt_real(lsl, "lsl"),
            _opt_real(usl, "usl"),
            control,
            kl,
            ku,
        )
        names = ["mean", "sd", "q_lower", "q_upper", "p_lower", "p_upper", "p_hat"]
        data = {lot: lots.gather(first_rows).alias(lot), "accept": accept, "n": n}
        data.update({name: c for name, c in zip(names, cols, strict=True)})
        return (
            pl.DataFrame(data)
            .with_columns(
                pl.when(pl.col("accept"))
                .then(pl.lit("accept"))
                .otherwise(pl.lit("reject"))
                .alias("outcome"),
                *[pl.col(c).fill_nan(None) for c in ["q_lower", "q_upper", "p_lower", "p_upper"]],
            )
            .select(lot, "outcome", "n", *names)
        )

    def to_dict(self) -> dict[str, Any]:
        """The plan (and its metadata, if any) as a dict."""
        d: dict[str, Any] = {
            "n": self.n,
            "k": self.k,
            "m": self.m,
            "method": self.method,
            "sigma": self.sigma,
        }
        if self._meta is not None:
            d.update({k: v for k, v in self._meta.items() if k != "plan"})
        return d

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, VariablesPlan):
            return NotImplemented
        return (self.n, self.k, self.m, self.method) == (other.n, other.k, other.m, other.method)

    def __hash__(self) -> int:
        return hash((self.n, self.k, self.m, self.method))

    def __repr__(self) -> str:
        body = f"n={self.n}, k={self.k:.4g}, m={self.m:.4%}, method={self.method!r}"
        if self.sigma is not None:
            body += f", sigma={self.sigma}"
        if self._meta is not None and "code_letter" in self._meta:
            body += f", code={self._meta['code_letter']!r}"
        return f"VariablesPlan({body})"

    def _repr_html_(self) -> str:
        meta = ""
        if self._meta is not None and "table" in self._meta:
            m = self._meta
            k_src = "printed (Table B-1)" if m["k_printed"] else "derived from M and n"
            meta = table_note_html(m, f"; k {k_src}, M = {html.escape(m['m_percent'])} %")
        return (
            f"<div><b>VariablesPlan</b> ({html.escape(self.method)}-method){meta}"
            "<table><tr><th>n</th><th>k</th><th>M</th></tr>"
            f"<tr><td>{self.n}</td><td>{self.k:.4f}</td><td>{self.m:.4%}</td></tr></table></div>"
        )

    def plot(self, ax: Any = None, *, p: Any = None, wallis: bool = False) -> Any:
        """Draws the OC curve (and Wallis's approximation if ``wallis``); returns the Axes."""
        import matplotlib.pyplot as plt

        frame = self.curves(p)
        if ax is None:
            _, ax = plt.subplots()
        ax.plot(frame["p"].to_numpy(), frame["prob_accept"].to_numpy(), label=repr(self))
        if wallis:
            ax.plot(
                frame["p"].to_numpy(),
                frame["prob_accept_wallis"].to_numpy(),
                linestyle="--",
                label="Wallis approximation",
            )
        ax.set_xlabel("fraction nonconforming p")
        ax.set_ylabel("probability of acceptance")
        ax.grid(True, alpha=0.3)
        return ax


def design_variables_plan(
    aql: float, lq: float, *, alpha: float = 0.05, beta: float = 0.10, method: str = "s"
) -> VariablesPlan:
    """The variables plan with the smallest n for which some k meets both risk points.

    ``aql`` and ``lq`` are fractions. The OC is exact (noncentral t for the s-method);
    k is the largest value meeting the producer's point (P_a(aql) = 1 - alpha, the
    convention of R AcceptanceSampling ``find.plan``). ``plan.metadata`` holds
    ``k_min`` (smallest k meeting the consumer's point), the achieved probabilities and
    Wallis's normal approximation (``wallis_k``, ``wallis_n_sigma``, ``wallis_n_s``,
    unrounded), for comparison with textbooks.

    >>> import qualstat as qs
    >>> plan = qs.design_variables_plan(0.01, 0.10, method="sigma")
    >>> plan.n, round(plan.k, 4)
    (8, 1.7448)
    """
    native, k_min, pa_aql, pa_lq, wk, wn_sigma, wn_s = _qualstat._design_variables_plan(
        _real(aql, "aql"), _real(lq, "lq"), _real(alpha, "alpha"), _real(beta, "beta"), method
    )
    meta = {
        "k_min": k_min,
        "pa_aql": pa_aql,
        "pa_lq": pa_lq,
        "wallis_k": wk,
        "wallis_n_sigma": wn_sigma,
        "wallis_n_s": wn_s,
    }
    return VariablesPlan._wrap(native, meta)
