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
from typing import Any

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


def level(value: Any, name: str) -> float | None:
    """An optional quality level of a plan (AQL or LQ): ``None``, a positive fraction or ``"x%"``.

    >>> level("0.65%", "aql"), level(None, "lq")
    (0.0065, None)
    """
    if value is None:
        return None
    x = fraction(value, name)
    if not (0.0 < x < 1.0):
        raise ValueError(f"{name} = {show(value)} is invalid: expected a fraction in (0, 1)")
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
