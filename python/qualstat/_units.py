"""The unit rule of qualstat: a plain number is a fraction; a percent carries its sign.

See ARCHITECTURE.md ("Units"). Every quality level (fraction nonconforming
``p``, ``aql``, ``lq``, AOQ, AOQL) and every probability is a fraction in
[0, 1] when given as a number. A percent is written as a string with a percent
sign, ``"0.65%"``, and is accepted wherever a scalar quality level is. The
one exception is the ``aql=`` of the standards' table look-ups
(``qs.iso2859_1.plan``, ``qs.iso3951.plan``, their ``Scheme``), which takes
the AQL as the tables print it, in percent.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, TypeVar

from ._coerce import real, show


def fraction(value: Any, name: str) -> float:
    """A scalar quality level as a fraction: a number as given, or ``"x%"`` divided by 100."""
    if isinstance(value, str):
        text = value.strip()
        if text.endswith("%"):
            try:
                return float(text[:-1]) / 100.0
            except ValueError:
                pass
        raise ValueError(
            f"{name} = {show(value)} is invalid: expected a fraction such as 0.0065 "
            'or a percent string such as "0.65%"'
        )
    return real(value, name)


def percent_text(fraction_value: float) -> str:
    """A fraction shown as a percent with its sign, e.g. 0.0065 -> '0.65 %'."""
    return f"{100.0 * fraction_value:.4g} %"


def level(value: Any, name: str, *, per_unit: bool = False) -> float | None:
    """An optional quality level of a plan (AQL or LQ): ``None``, a fraction in (0, 1) or ``"x%"``.

    ``per_unit=True`` also allows a level of 1 or more (attribute plans, whose
    Poisson levels are nonconformities per unit): any positive finite number.

    >>> level("0.65%", "aql"), level(None, "lq"), level(2.5, "aql", per_unit=True)
    (0.0065, None, 2.5)
    """
    if value is None:
        return None
    x = fraction(value, name)
    if not (0.0 < x < (math.inf if per_unit else 1.0)):
        expected = "a positive fraction" if per_unit else "a fraction in (0, 1)"
        raise ValueError(f"{name} = {show(value)} is invalid: expected {expected}")
    return x


def limiting_quality(lq: Any, rql: Any, ltpd: Any) -> Any:
    """The limiting quality given as ``lq`` or one of its aliases ``rql``, ``ltpd`` (at most one).

    >>> limiting_quality(None, 0.05, None)
    0.05
    """
    given = {k: v for k, v in (("lq", lq), ("rql", rql), ("ltpd", ltpd)) if v is not None}
    if len(given) > 1:
        raise ValueError(
            f"{' and '.join(given)} are the same limiting quality: give only one of them"
        )
    return next(iter(given.values()), None)


def quality(value: Any, name: str, known: dict[str, tuple[float, str]]) -> float:
    """A scalar quality as a fraction, refusing a plan's own level written in percent.

    ``known`` maps a label (``"AQL"``, ``"LQ"``) to the plan's level as a
    fraction and as printed in percent. A number equal to ``100 * level``
    (and not to ``level`` itself) raises ``ValueError`` showing both spellings.

    >>> quality("1%", "p", {"AQL": (0.01, "1.0")})
    0.01
    >>> quality(1.0, "p", {"AQL": (0.01, "1.0")})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: p = 1.0 is the plan's AQL in percent: AQL 1.0 % is p = 0.01 as a fraction, ...
    """
    x = fraction(value, name)
    if not isinstance(value, str):
        for label, (own, printed) in known.items():
            if x != own and math.isclose(x, 100.0 * own, rel_tol=1e-9):
                raise ValueError(
                    f"{name} = {show(value)} is the plan's {label} in percent: "
                    f"{label} {printed} % is {name} = {own:.6g} as a fraction, "
                    f'or the string "{printed}%"'
                )
    return x


def own_or_given(
    value: Any, own: float | None, name: str, what: str, known: dict[str, tuple[float, str]]
) -> float:
    """A risk method's quality: ``value`` as :func:`quality` reads it, or the plan's ``own``.

    ``what`` names the level in the error raised when neither is there.

    >>> own_or_given(None, 0.01, "aql", "AQL", {})
    0.01
    >>> own_or_given(None, None, "lq", "limiting quality (LQ)", {})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: lq is required: this plan has no limiting quality (LQ) of its own; ...
    """
    if value is not None:
        return quality(value, name, known)
    if own is None:
        raise ValueError(
            f"{name} is required: this plan has no {what} of its own; "
            f'give {name}= as a fraction, e.g. 0.01, or a percent string, e.g. "1%"'
        )
    return own


_Plan = TypeVar("_Plan", bound="PlanLevels")


class PlanLevels:
    """The AQL and LQ a plan knows (fractions): what attribute and variables plans share.

    A subclass holds its native plan in ``_native`` and its table or design
    metadata in ``_meta``; ``_per_unit`` says whether its levels may be
    nonconformities per unit (see :func:`level`).

    >>> from qualstat import iso3951
    >>> iso3951.plan(aql=0.65, code="F")._known()
    {'AQL': (0.0065, '0.65')}
    """

    __slots__ = ("_aql", "_lq", "_meta", "_native")
    _aql: float | None
    _lq: float | None
    _meta: dict[str, Any] | None
    _native: Any
    _per_unit = False

    def _set_levels(self, aql: Any, lq: Any) -> None:
        self._aql = level(aql, "aql", per_unit=self._per_unit)
        self._lq = level(lq, "lq", per_unit=self._per_unit)
        if self._aql is not None and self._lq is not None and self._lq <= self._aql:
            raise ValueError(
                f"lq = {show(lq)} is invalid: expected a limiting quality above aql = {self._aql}"
            )

    def _native_state(self) -> tuple[Any, ...]:
        """The arguments that rebuild the native plan (see :meth:`__reduce__`)."""
        raise NotImplementedError

    @classmethod
    def _native_from(cls, state: tuple[Any, ...]) -> Any:
        raise NotImplementedError

    def __reduce__(self) -> tuple[Any, ...]:
        """Plans pickle (to be shipped to the workers of a cluster, or saved).

        >>> import pickle
        >>> from qualstat import iso3951
        >>> plan = iso3951.plan(aql=0.65, code="F")
        >>> again = pickle.loads(pickle.dumps(plan))
        >>> again == plan, again.aql, again.metadata == plan.metadata
        (True, 0.0065, True)
        """
        meta = None if self._meta is None else dict(self._meta)
        return (_rebuild_plan, (type(self), self._native_state(), meta, self._aql, self._lq))

    @classmethod
    def _wrap(
        cls: type[_Plan],
        native: Any,
        meta: dict[str, Any] | None = None,
        *,
        aql: Any = None,
        lq: Any = None,
    ) -> _Plan:
        obj = cls.__new__(cls)
        obj._native = native
        obj._meta = meta
        obj._set_levels(aql, lq)
        return obj

    @property
    def aql(self) -> float | None:
        """The plan's acceptable quality level as a fraction (AQL 0.65 % is 0.0065), if known.

        Plans from the standards' tables and from the design functions know it.

        >>> from qualstat import iso2859_1, iso3951
        >>> iso2859_1.plan(aql=0.65, lot_size=1000).aql, iso3951.plan(aql=0.65, code="F").aql
        (0.0065, 0.0065)
        """
        return self._aql

    @property
    def lq(self) -> float | None:
        """The plan's limiting quality as a fraction, if known.

        Plans from the design functions know it; ISO 2859-1 and ISO 3951 give none per plan.

        >>> import qualstat as qs
        >>> qs.design_plan(0.01, "5%").lq, qs.design_variables_plan(0.01, "10%").lq
        (0.05, 0.1)
        """
        return self._lq

    @property
    def metadata(self) -> dict[str, Any] | None:
        """Where the plan came from, if anywhere, as a new dict.

        From a standard's tables: code letter, AQL as printed, source table,
        notes; from :func:`qualstat.design_variables_plan`: the achieved risks
        and Wallis's approximation.

        >>> from qualstat import iso2859_1, iso3951
        >>> iso2859_1.plan(aql=1.0, lot_size=1000).metadata["inspection"]
        'normal'
        >>> iso3951.plan(aql=1.0, lot_size=40).metadata["code_letter"]
        'D'
        """
        return None if self._meta is None else dict(self._meta)

    def _known(self) -> dict[str, tuple[float, str]]:
        """The AQL and LQ the plan knows: fraction and percent as printed (a table's own AQL)."""
        out = {}
        if self._aql is not None:
            printed = self._meta.get("aql") if self._meta else None
            out["AQL"] = (self._aql, printed or f"{100 * self._aql:.4g}")
        if self._lq is not None:
            out["LQ"] = (self._lq, f"{100 * self._lq:.4g}")
        return out

    def _points_and_risks(
        self,
        quality_at: Callable[[float], float],
        aql: Any,
        lq: Any,
        producer_risk: Callable[[Any], float],
        consumer_risk: Callable[[Any], float],
    ) -> dict[str, float]:
        """The qualities where Pa is 0.95, 0.50, 0.10, and the risks at ``aql`` and ``lq``.

        Each level is the one given, else the plan's own; a risk is there only
        where a level is.
        """
        points = {name: quality_at(pa) for name, pa in (("p95", 0.95), ("p50", 0.5), ("p10", 0.1))}
        aql = self._aql if aql is None else aql
        lq = self._lq if lq is None else lq
        if aql is not None:
            points["producer_risk"] = producer_risk(aql)
        if lq is not None:
            points["consumer_risk"] = consumer_risk(lq)
        return points


def _rebuild_plan(cls: type[_Plan], state: tuple[Any, ...], meta: Any, aql: Any, lq: Any) -> _Plan:
    """A pickled plan, rebuilt (see :meth:`PlanLevels.__reduce__`)."""
    return cls._wrap(cls._native_from(state), meta, aql=aql, lq=lq)
