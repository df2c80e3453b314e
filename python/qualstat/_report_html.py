"""Self-contained HTML pieces for reports: tables, embedded figures, one document.

Everything a report writes is inline: figures are PNG images in ``data:``
URIs, the style sheet is in the document head, and no script, font or image
is fetched from anywhere, so the file can be mailed or archived alone.
"""

from __future__ import annotations

import base64
import html
import io
import math
from collections.abc import Callable, Collection, Sequence
from typing import Any

import polars as pl

__all__ = ["document", "figure_img", "fragment", "interval", "percent", "table"]

# Rules scoped to the report's own element, so that a notebook's page style is left alone.
_STYLE = """
.qs-report { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
             color: #1d1d1f; line-height: 1.45; }
.qs-report h1 { font-size: 1.6em; margin-bottom: 0.2em; }
.qs-report h2 { font-size: 1.2em; margin-top: 1.8em; border-bottom: 1px solid #ddd;
                padding-bottom: 0.2em; }
.qs-report p.meta { color: #555; margin-top: 0; }
.qs-report ul.summary li { margin: 0.25em 0; }
.qs-report table.qs { border-collapse: collapse; font-size: 0.8em; margin: 0.5em 0; }
.qs-report table.qs th, .qs-report table.qs td { border: 1px solid #ddd; padding: 0.2em 0.35em;
                                                 text-align: right; white-space: nowrap; }
.qs-report table.qs th { background: #f3f3f3; position: sticky; top: 0; }
.qs-report table.qs td.text, .qs-report table.qs th.text { text-align: left; }
.qs-report table.qs tr.flag td { background: #fde8e8; }
.qs-report div.scroll { overflow-x: auto; max-width: 100%; }
.qs-report img.figure { max-width: 100%; height: auto; display: block; margin: 0.5em 0; }
.qs-report p.note { color: #555; font-size: 0.9em; }
"""
_PAGE_STYLE = "body { margin: 2em auto; max-width: 90em; padding: 0 1em; }"


def interval(lower: float | None, upper: float | None) -> str:
    """An interval of fractions in percent, with one sign.

    >>> interval(0.957, 1.0), interval(None, None)
    ('95.7–100.0 %', '')
    """
    if lower is None or upper is None:
        return ""
    return f"{percent(lower)[:-2]}\u2013{percent(upper)}"


def percent(value: float | None, digits: int = 1) -> str:
    """A fraction as a percent with its sign; never rounds a value below 1 up to "100 %".

    >>> percent(0.9333), percent(0.99996), percent(1.0), percent(None)
    ('93.3 %', '99.996 %', '100.0 %', '')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    for d in range(digits, digits + 6):
        text = f"{100.0 * value:.{d}f}"
        if value >= 1.0 or float(text) < 100.0:
            return f"{text} %"
    return f"{100.0 * value:.{digits + 6}f} %"


def _cell(value: Any) -> str:
    """The default text of a cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return "" if math.isnan(value) else f"{value:.4g}"
    return str(value)


def table(
    frame: pl.DataFrame,
    formats: dict[str, Callable[[Any], str]] | None = None,
    *,
    text: Collection[str] | None = None,
    flag: Sequence[bool] | None = None,
    scroll: bool = True,
) -> str:
    """An HTML table of ``frame``: values escaped, numbers right-aligned.

    ``formats`` maps a column to a function giving the text of a cell (default:
    integers with thousands separators, floats to 4 significant digits);
    ``text`` names the columns of words, aligned left (default: the string
    columns); rows with a true ``flag`` are highlighted.

    >>> import polars as pl
    >>> print(table(pl.DataFrame({"unit": ["<A>"], "rate": [0.5]}), {"rate": percent},
    ...             scroll=False))
    <table class="qs"><thead><tr><th class="text">unit</th><th>rate</th></tr></thead><tbody>
    <tr><td class="text">&lt;A&gt;</td><td>50.0 %</td></tr>
    </tbody></table>
    """
    formats = formats or {}
    if text is None:
        text = [c for c, dtype in frame.schema.items() if dtype == pl.String]
    left = [' class="text"' if c in text else "" for c in frame.columns]
    head = "".join(
        f"<th{css}>{html.escape(str(c))}</th>" for c, css in zip(frame.columns, left, strict=True)
    )
    rows = []
    for i, row in enumerate(frame.iter_rows()):
        cells = []
        for name, value, css in zip(frame.columns, row, left, strict=True):
            shown = _cell(value)
            if name in formats and value is not None:
                shown = formats[name](value)
            cells.append(f"<td{css}>{html.escape(shown)}</td>")
        css = ' class="flag"' if flag is not None and flag[i] else ""
        rows.append(f"<tr{css}>{''.join(cells)}</tr>")
    body = "\n".join(rows)
    out = f'<table class="qs"><thead><tr>{head}</tr></thead><tbody>\n{body}\n</tbody></table>'
    return f'<div class="scroll">{out}</div>' if scroll else out


def figure_img(figure: Any, alt: str, *, dpi: int = 100) -> str:
    """A matplotlib Figure as an ``<img>`` with the PNG inline (a ``data:`` URI)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img class="figure" alt="{html.escape(alt)}" src="data:image/png;base64,{data}">'


def fragment(body: str) -> str:
    """``body`` in the report's element with its (scoped) style sheet: for ``_repr_html_``."""
    return f'<div class="qs-report"><style>{_STYLE}</style>\n{body}\n</div>'


def document(title: str, body: str) -> str:
    """A complete HTML5 document of ``body``, with the style sheets inline."""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_PAGE_STYLE}</style>\n</head>\n"
        f"<body>\n{fragment(body)}\n</body>\n</html>\n"
    )
