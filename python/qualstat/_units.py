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
