"""Input and output of the command line: read a table, check its columns, write results.

Input: CSV (``.csv``, ``.txt``; ``.tsv`` tab-separated; ``-`` reads CSV from
standard input), Parquet (``.parquet``, ``.pq``) and Excel / OpenDocument
(``.xlsx``, ``.xlsm``, ``.xlsb``, ``.xls``, ``.ods``; needs the optional
``fastexcel`` engine: ``pip install 'qualstat[excel]'``), all through the
polars readers. Output: the readable text, CSV or JSON on standard output or,
with ``--output``, in a file; ``--plot`` saves a picture. Files are written to
a temporary file in the same folder and renamed into place once everything is
computed, so an error never leaves a half-written file.
"""

from __future__ import annotations

import argparse
import codecs
import datetime
import decimal
import importlib.util
import io
import json
import math
import os
import re
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import polars.selectors as cs

from ._base import InputError, MissingDependency, OutputError, Report, ValueProblem

CSV_SUFFIXES = (".csv", ".txt", ".tsv")
PARQUET_SUFFIXES = (".parquet", ".pq")
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
FORMATS = ("table", "csv", "json")


# -- input ----------------------------------------------------------------------


def add_input_arguments(
    parser: argparse.ArgumentParser, what: str, *, optional: bool = False
) -> None:
    """The input file (``what`` it holds) and how to read it: --sheet, --separator,
    --decimal-comma, --encoding."""
    group = parser.add_argument_group("input file")
    group.add_argument(
        "input",
        nargs="?" if optional else None,
        help=f"CSV, Parquet or Excel file {what} ('-': CSV on standard input)",
    )
    group.add_argument("--sheet", help="Excel: the sheet to read (default: the first)")
    group.add_argument("--separator", help="CSV: the column separator (default ',', tab for .tsv)")
    group.add_argument("--decimal-comma", action="store_true", help="CSV: 1,5 means 1.5")
    group.add_argument("--encoding", help="CSV: the text encoding (default utf-8; e.g. cp1252)")


def add_record_arguments(
    parser: argparse.ArgumentParser, *, by_required: bool, by_help: str
) -> Any:
    """The input file and the columns of inspection records (``rates``, ``report``);
    returns the "columns" argument group, for more columns."""
    add_input_arguments(parser, "of inspection records")
    group = parser.add_argument_group("columns")
    group.add_argument(
        "--passed",
        required=True,
        metavar="COLUMN",
        help="column of items passed (or pass/fail, one item per row)",
    )
    group.add_argument("--inspected", metavar="COLUMN", help="column of items inspected per row")
    group.add_argument("--by", nargs="+", required=by_required, metavar="COLUMN", help=by_help)
    return group


def read_input(args: argparse.Namespace) -> pl.DataFrame:
    """The rows of the input file named by the arguments of :func:`add_input_arguments`."""
    return read_table(
        args.input,
        sheet=args.sheet,
        separator=args.separator,
        decimal_comma=args.decimal_comma,
        encoding=args.encoding,
    )


def read_table(
    source: str,
    *,
    sheet: str | None = None,
    separator: str | None = None,
    decimal_comma: bool = False,
    encoding: str | None = None,
) -> pl.DataFrame:
    """The rows of a CSV, Parquet or Excel file (``-``: CSV on standard input).

    Raises :class:`InputError` (exit code 3) for a missing, unreadable or empty
    file or an unknown file type, and :class:`MissingDependency` when an Excel
    file is given without the ``fastexcel`` engine.
    """
    csv_options = {
        "--separator": separator is not None,
        "--decimal-comma": decimal_comma,
        "--encoding": encoding is not None,
    }
    suffix = ".csv" if source == "-" else Path(source).suffix.lower()
    if sheet is not None and suffix not in EXCEL_SUFFIXES:
        raise ValueProblem(f"--sheet = {sheet!r} is only for Excel files, not {source}")
    given = [flag for flag, on in csv_options.items() if on]
    if given and suffix not in CSV_SUFFIXES:
        raise ValueProblem(f"{given[0]} is only for CSV files, not {source}")
    if source == "-":
        data = sys.stdin.buffer.read()
        return _non_empty(
            _read_csv(data, "standard input", separator or ",", decimal_comma, encoding),
            "standard input",
        )
    path = Path(source)
    if not path.exists():
        raise InputError(f"{source}: no such file")
    if path.is_dir():
        raise InputError(f"{source}: is a folder, expected a CSV, Parquet or Excel file")
    if suffix in CSV_SUFFIXES:
        sep = separator or ("\t" if suffix == ".tsv" else ",")
        frame = _read_csv(path, source, sep, decimal_comma, encoding)
    elif suffix in PARQUET_SUFFIXES:
        frame = _read(lambda: pl.read_parquet(path), source)
    elif suffix in EXCEL_SUFFIXES:
        frame = _read_excel(path, source, sheet)
    else:
        kinds = ", ".join((*CSV_SUFFIXES, *PARQUET_SUFFIXES, *EXCEL_SUFFIXES))
        raise InputError(f"{source}: unknown file type {suffix or '(none)'!r}: expected {kinds}")
    return _non_empty(frame, source)


def _read(reader: Callable[[], pl.DataFrame], source: str) -> pl.DataFrame:
    try:
        with Progress(f"reading {source}"):
            return reader()
    except pl.exceptions.NoDataError:
        raise InputError(f"{source}: the file is empty") from None
    except (pl.exceptions.PolarsError, OSError, ValueError) as exc:
        raise InputError(f"{source}: cannot read it: {_first_line(exc)}") from exc


def _read_csv(
    data: bytes | Path, name: str, separator: str, decimal_comma: bool, encoding: str | None
) -> pl.DataFrame:
    """CSV rows from bytes or a file; text in another ``encoding`` is re-encoded as UTF-8."""
    if len(separator) != 1:
        raise ValueProblem(f"--separator = {separator!r} is invalid: expected one character")
    if encoding is not None:
        try:
            codec = codecs.lookup(encoding).name
        except LookupError:
            raise ValueProblem(f"--encoding = {encoding!r} is not a known text encoding") from None
        if codec != "utf-8":
            try:
                raw = data if isinstance(data, bytes) else data.read_bytes()
            except OSError as exc:
                raise InputError(f"{name}: cannot read it: {exc.strerror or exc}") from None
            try:
                data = raw.decode(codec).encode("utf-8")
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"{name}: not {encoding} text: {exc.reason} at byte {exc.start}"
                ) from None

    def read(rows: int | None) -> pl.DataFrame:
        source = io.BytesIO(data) if isinstance(data, bytes) else data
        return pl.read_csv(
            source, separator=separator, decimal_comma=decimal_comma, infer_schema_length=rows
        )

    def read_inferring() -> pl.DataFrame:
        # Column types from the first 10,000 rows (fast); a value that does not fit them
        # (a decimal far down an integer column) makes a second pass over every row.
        try:
            try:
                return read(10_000)
            except pl.exceptions.ComputeError:
                return read(None)
        except pl.exceptions.ComputeError as exc:
            if encoding is None and "utf-8" in str(exc).lower():
                raise InputError(_not_utf8(name, None)) from None
            raise

    frame = _read(read_inferring, name)
    _check_utf8(frame, name)
    return frame


_REPLACED = "\ufffd"  # what the CSV reader puts in place of bytes that are not UTF-8


def _check_utf8(frame: pl.DataFrame, name: str) -> None:
    """Refuses text the reader could not decode (it would silently become another label)."""
    texts = [c for c, t in frame.schema.items() if t == pl.String]
    damaged = [c for c in frame.columns if _REPLACED in c]
    if not damaged and texts:
        hits = frame.select(pl.col(texts).str.contains(_REPLACED, literal=True).any())
        damaged = [c for c in texts if hits[c][0]]
    if damaged:
        raise InputError(_not_utf8(name, damaged[0]))


def _not_utf8(name: str, column: str | None) -> str:
    where = "" if column is None else f" (column {column!r})"
    return f"{name}: is not UTF-8 text{where}: give its --encoding, e.g. --encoding cp1252"


def _read_excel(path: Path, source: str, sheet: str | None) -> pl.DataFrame:
    if importlib.util.find_spec("fastexcel") is None:  # the engine polars reads Excel with
        raise MissingDependency(
            f"{source}: reading Excel files needs the fastexcel package: "
            "pip install 'qualstat[excel]' (or save the sheet as CSV)"
        )
    return _read(lambda: pl.read_excel(path, sheet_name=sheet), source)


def _non_empty(frame: pl.DataFrame, source: str) -> pl.DataFrame:
    if frame.width == 0:
        raise InputError(f"{source}: the file is empty")
    if frame.height == 0:
        raise InputError(f"{source}: the file has a header but no rows")
    return frame


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


NUMBER = "numbers"
COUNT = "counts or booleans"
LABEL = "labels"


def columns(
    frame: pl.DataFrame, wanted: Mapping[str, tuple[str, str]], source: str
) -> pl.DataFrame:
    """The frame, after checking that the columns exist and hold what they must.

    ``wanted`` maps a column name to (the option that named it, the kind:
    :data:`NUMBER`, :data:`COUNT` or :data:`LABEL`). A column with no value
    at all (an empty stage of a double plan) is read as text by the CSV reader:
    it is returned as a numeric column of nulls. Raises :class:`InputError`
    naming the option, the column and, for a column of text where numbers are
    expected, the first value that is not a number.
    """
    for name, (flag, kind) in wanted.items():
        if name not in frame.columns:
            shown = ", ".join(repr(c) for c in frame.columns[:20])
            more = ", ..." if frame.width > 20 else ""
            raise InputError(
                f"{source}: {flag} {name!r} is not a column (the columns are {shown}{more})"
            )
        dtype = frame.schema[name]
        if kind == LABEL and dtype.is_nested():  # a list or a struct names no lot nor group
            raise InputError(
                f"{source}: {flag} {name!r} must hold {kind} (text, numbers, dates), "
                f"it holds {dtype}"
            )
        if kind == LABEL or dtype.is_numeric() or (kind == COUNT and dtype == pl.Boolean):
            continue
        if frame[name].null_count() == frame.height:
            empty = pl.col(name).cast(pl.Int64 if kind == COUNT else pl.Float64)
            frame = frame.with_columns(empty)
            continue
        text = frame[name].cast(pl.String)
        bad = text.cast(pl.Float64, strict=False).is_null() & text.is_not_null()
        where = ""
        if bad.any():
            row = int(bad.arg_true()[0])
            where = f" ({text[row]!r} in row {row})"
        raise InputError(f"{source}: {flag} {name!r} must hold {kind}, it holds {dtype}{where}")
    return frame


def number_or_column(
    text: str | None,
    flag: str,
    frame: pl.DataFrame,
    *,
    column_ok: bool,
    only_with: str = "--lot",
    whole: bool = False,
) -> Any:
    """A number, or (when ``column_ok``: rows are lots with ``net-content --lot`` and
    ``scheme``, groups with ``capability --by``) the name of a column holding each
    lot's or group's value; ``None`` if not given. ``only_with`` names the option that
    allows a column, for the error."""
    if text is None:
        return None
    try:
        return int(text) if whole else float(text)
    except ValueError:
        pass
    kind = "a whole number" if whole else "a number"
    if not column_ok:
        raise ValueProblem(
            f"{flag} = {text!r} is invalid: expected {kind} (a column name only with {only_with})"
        )
    if text not in frame.columns:
        raise ValueProblem(f"{flag} = {text!r} is neither {kind} nor a column of the input")
    return text


# -- output ---------------------------------------------------------------------


def jsonable(value: Any) -> Any:
    """A value as plain JSON: lists for tuples and arrays, ``null`` for NaN and infinities,
    ISO text for dates and times."""
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, pl.DataFrame):
        return [jsonable(row) for row in value.to_dicts()]
    if isinstance(value, np.ndarray):
        return [jsonable(v) for v in value.tolist()]
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, datetime.date | datetime.time):  # a period or label of a file
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, datetime.timedelta):
        return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


_WIDE = 60_000  # polars takes the table width as a 16-bit number


def frame_text(frame: pl.DataFrame, *, decimals: int = 4) -> str:
    """A frame as a readable table: every row (up to 1,000), every column with its whole
    name (however long the lines get), no dtypes, floats rounded."""
    with pl.Config(
        tbl_rows=1000,
        tbl_cols=-1,
        tbl_width_chars=_WIDE,  # never squeeze the columns: a long line beats a lost name
        fmt_str_lengths=300,
        float_precision=decimals,
        tbl_hide_column_data_types=True,
        tbl_hide_dataframe_shape=True,
        tbl_formatting="ASCII_MARKDOWN",
    ):
        text = str(frame)
    if frame.height > 1000:
        text += f"\n({frame.height} rows; --format csv or json gives every row)"
    return text


def render(report: Report, fmt: str) -> str:
    """The text of a report in one output format ("table", "csv" or "json")."""
    if fmt == "json":
        return json.dumps(jsonable(report.data), indent=2, allow_nan=False) + "\n"
    if fmt == "csv":
        return csv_text(report.table)
    return report.text.rstrip("\n") + "\n"


def csv_text(frame: pl.DataFrame) -> str:
    """A frame as CSV, a value that is not defined or unbounded (NaN, an infinite limit:
    ``null`` in JSON) written as an empty cell, which spreadsheets and data frame readers
    read as missing (``inf`` would be text in Excel, ``NaN`` a number in polars).

    >>> print(csv_text(pl.DataFrame({"lower": [-math.inf, 1.5], "p": [math.nan, 0.25]})), end="")
    lower,p
    ,
    1.5,0.25
    """
    floats = frame.select(cs.float()).columns
    finite = [pl.when(pl.col(c).is_finite()).then(pl.col(c)).alias(c) for c in floats]
    return frame.with_columns(finite).write_csv()


def check_plot_path(path: str | None) -> None:
    """Before any work: matplotlib is installed and can write this kind of file."""
    if path is None:
        return
    try:
        import matplotlib

        matplotlib.use("Agg")
        from matplotlib.figure import Figure
    except ImportError:
        raise MissingDependency("--plot needs matplotlib: pip install 'qualstat[plot]'") from None
    suffix = Path(path).suffix.lower().lstrip(".")
    kinds = Figure().canvas.get_supported_filetypes()
    if suffix not in kinds:
        raise ValueProblem(
            f"--plot = {path!r} is invalid: expected a file name ending in one of "
            f"{', '.join('.' + k for k in sorted(kinds))}"
        )


def check_output_path(path: str | None, flag: str) -> None:
    """Before any work: the folder of an output file exists."""
    if path is None:
        return
    folder = Path(path).parent
    if not folder.is_dir():
        raise OutputError(f"{flag} = {path!r}: the folder {str(folder)!r} does not exist")
    if Path(path).is_dir():
        raise OutputError(f"{flag} = {path!r} is a folder, expected a file name")


def _stage(path: str) -> str:
    """A new temporary file in the folder of ``path``, with the same suffix."""
    target = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=target.suffix
        )
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    os.close(fd)
    return tmp


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_outputs(report: Report, fmt: str, output: str | None, plot: str | None) -> None:
    """Writes the report (stdout or ``output``), the plot and the report's files, all or nothing.

    The plot, the output and the files are first written to temporary files
    beside their targets; they are renamed into place only when all are complete.
    """
    text = render(report, fmt)
    staged: list[tuple[str, str]] = []
    try:
        if plot is not None:
            staged.append((_stage(plot), plot))
            _save_plot(report, plot, staged[-1][0])
        for path, write in report.files:
            staged.append((_stage(path), path))
            write(staged[-1][0])
        if output is not None:
            staged.append((_stage(output), output))
            Path(staged[-1][0]).write_text(text, encoding="utf-8")
        mode = 0o666 & ~_umask()  # mkstemp's files are private; give the usual permissions
        for tmp, final in staged:
            os.chmod(tmp, mode)
            os.replace(tmp, final)
    except OSError as exc:
        name = exc.filename or (staged[-1][1] if staged else "the output")
        raise OutputError(f"cannot write {name}: {exc.strerror or exc}") from None
    finally:
        for tmp, _ in staged:
            if os.path.exists(tmp):
                os.remove(tmp)
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()


_MISSING_GLYPH = re.compile(r"^Glyph (\d+) .*missing from font\(s\) (.+?)\.?$")


def warning_lines(caught: Sequence[warnings.WarningMessage]) -> list[str]:
    """The caught warnings as one line each, repeats dropped, in order.

    matplotlib warns once per character a label has that the plot's font
    cannot draw (Chinese region names in the default font): those become one
    line listing the characters.

    >>> import warnings
    >>> w = [warnings.WarningMessage(UserWarning(m), UserWarning, "f", 1) for m in
    ...      ("Glyph 21271 (x) missing from font(s) DejaVu Sans.",
    ...       "Glyph 20140 (x) missing from font(s) DejaVu Sans.", "a", "a")]
    >>> for line in warning_lines(w):
    ...     print(line)
    a
    the plot shows 2 characters of the labels as empty boxes (北, 京): the font DejaVu Sans
    has no glyph for them (set matplotlib's font.family to a font that has them, e.g. Noto
    Sans CJK SC)
    """
    lines: list[str] = []
    glyphs: dict[str, list[str]] = {}
    for w in caught:
        text = str(w.message).strip()
        first = text.splitlines()[0] if text else type(w.message).__name__
        glyph = _MISSING_GLYPH.match(first)
        if glyph is not None:
            chars = glyphs.setdefault(glyph.group(2), [])
            if chr(int(glyph.group(1))) not in chars:
                chars.append(chr(int(glyph.group(1))))
        elif first not in lines:
            lines.append(first)
    for font, chars in glyphs.items():
        lines.append(
            f"the plot shows {len(chars)} characters of the labels as empty boxes "
            f"({', '.join(chars)}): the font {font} has no glyph for them (set matplotlib's "
            "font.family to a font that has them, e.g. Noto Sans CJK SC)"
        )
    return lines


def _save_plot(report: Report, path: str, tmp: str) -> None:
    if report.draw is None:
        raise ValueProblem(f"--plot = {path!r}: this result has no picture")
    import matplotlib.pyplot as plt

    ax = report.draw()
    fig = ax.figure
    try:
        fig.savefig(tmp, format=Path(path).suffix.lower().lstrip("."), bbox_inches="tight")
    finally:
        plt.close(fig)


# -- progress -------------------------------------------------------------------


class Progress:
    """A progress line on stderr while work runs, shown only when stderr is a terminal.

    With a ``total`` it draws a bar (call :meth:`advance` as parts finish);
    without one, a spinner with the elapsed time (the native code releases
    the interpreter, so the line keeps moving during one long call).
    """

    _FRAMES = "|/-\\"

    def __init__(self, message: str, total: int | None = None) -> None:
        self.message, self.total, self.done = message, total, 0
        self._shown = sys.stderr.isatty()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._start = time.monotonic()

    def __enter__(self) -> Progress:
        if self._shown:
            self._thread = threading.Thread(target=self._spin, daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()

    def advance(self, parts: int = 1) -> None:
        """Counts ``parts`` more parts of the total as done."""
        self.done += parts

    def _line(self, tick: int) -> str:
        elapsed = time.monotonic() - self._start
        if self.total:
            width = 30
            filled = int(width * min(self.done, self.total) / self.total)
            bar = "#" * filled + "." * (width - filled)
            return f"[{bar}] {self.done}/{self.total} {self.message} {elapsed:.1f} s"
        return f"{self._FRAMES[tick % 4]} {self.message} {elapsed:.1f} s"

    def _spin(self) -> None:
        tick = 0
        while not self._stop.wait(0.1):
            sys.stderr.write("\r\033[K" + self._line(tick))
            sys.stderr.flush()
            tick += 1


def chunks(count: int, size: int) -> Sequence[range]:
    """``range(count)`` cut into consecutive ranges of at most ``size`` items.

    >>> [list(r) for r in chunks(5, 2)]
    [[0, 1], [2, 3], [4]]
    """
    return [range(i, min(i + size, count)) for i in range(0, count, size)]
