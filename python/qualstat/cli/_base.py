"""What every subcommand shares: exit codes, errors, the report it returns, argument types.

A subcommand module (one per subcommand, registered in ``qualstat.cli.COMMANDS``)
defines ``NAME``, ``SUMMARY``, ``DESCRIPTION``, ``EXAMPLES``,
``add_arguments(parser)`` and ``run(args) -> Report``. It raises the errors
below (or lets the API's ``ValueError``/``TypeError`` through
:func:`call_api`); ``qualstat.cli.main`` turns them into one line on stderr
and the exit code.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, NoReturn, TypeVar

import polars as pl

# Exit codes (documented in qualstat.cli and README.md).
OK = 0
INTERNAL = 1  # a bug: an exception nobody expected
USAGE = 2  # the command line cannot be parsed (argparse's own code)
INPUT = 3  # the input file: missing, unreadable, empty, missing columns, wrong types, bad records
VALUE = 4  # a well-formed argument whose value is not allowed (range, unknown name, combination)
OUTPUT = 5  # an output file (--output, --plot, --html) cannot be written
DEPENDENCY = 6  # an optional dependency is missing (matplotlib for --plot/--html, fastexcel)

EXIT_CODES = {
    OK: "success",
    INTERNAL: "internal error (a bug: please report it with the --debug traceback)",
    USAGE: "usage: unknown command or option, missing or malformed argument",
    INPUT: "input file: missing, unreadable, empty, missing columns, wrong types, invalid records",
    VALUE: "invalid argument value: out of range, unknown option name, conflicting arguments",
    OUTPUT: "an output file (--output, --plot, --html) cannot be written",
    DEPENDENCY: "an optional dependency is missing (matplotlib for --plot and --html, "
    "fastexcel for Excel)",
}


class CliError(Exception):
    """An error shown as one line, with its exit code."""

    code = INTERNAL


class InputError(CliError):
    """The input file cannot be used (exit code 3)."""

    code = INPUT


class ValueProblem(CliError):
    """An argument value is not allowed (exit code 4)."""

    code = VALUE


class OutputError(CliError):
    """An output file cannot be written (exit code 5)."""

    code = OUTPUT


class MissingDependency(CliError):
    """An optional dependency is not installed (exit code 6)."""

    code = DEPENDENCY


@dataclass(frozen=True)
class Report:
    """What a subcommand computed, in the three output formats.

    ``text`` is the readable form (the default ``--format table``), ``data``
    the JSON object (``--format json``), ``table`` the rows of ``--format
    csv``; ``draw`` (optional) draws the picture of ``--plot`` on a new figure
    and returns its Axes; ``notes`` are printed on stderr (warnings); ``files``
    are further output files (``--html``): (path, a function writing the file's
    content to the temporary path it is given), written all or nothing with
    ``--output`` and ``--plot``.
    """

    text: str
    data: dict[str, Any]
    table: pl.DataFrame
    draw: Callable[[], Any] | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    files: tuple[tuple[str, Callable[[str], None]], ...] = field(default_factory=tuple)


class Parser(argparse.ArgumentParser):
    """argparse with one-line errors (exit code 2) and examples kept as written."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{self.prog}: error: {message} (see {self.prog} --help)\n")
        raise SystemExit(USAGE)


# -- argument types (a malformed value is a usage error, exit code 2) --------


def number(text: str) -> float:
    """A finite or infinite number as written (``"1.5"``, ``"1e-3"``)."""
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid number: {text!r}") from None


def whole(text: str) -> int:
    """A whole number (``"2000"``; ``"2_000"`` and ``"2e3"`` are refused)."""
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid whole number: {text!r}") from None


def number_or_percent(text: str) -> float | str:
    """A number (``"0.01"``) or a percent string (``"1%"``), passed to the API as is."""
    stripped = text.strip()
    if stripped.endswith("%"):
        number(stripped[:-1])
        return stripped
    return number(stripped)


def check_fraction(value: float | str, flag: str) -> None:
    """Refuses a quality given as a plain number above 1 (exit code 4): outside the
    standards' tables a plain number is a fraction, so ``--lq 5`` is not 5 %; the
    message names the flag and both ways to write what was probably meant.

    >>> check_fraction("5%", "--lq")
    >>> try:
    ...     check_fraction(5.0, "--lq")
    ... except ValueProblem as exc:
    ...     print(exc)
    --lq = 5 is invalid: expected a fraction in [0, 1] (5 % is 0.05 or '5%')
    """
    if isinstance(value, float) and value > 1.0:  # below 0: the API's own message
        raise ValueProblem(
            f"{flag} = {value:g} is invalid: expected a fraction in [0, 1] "
            f"({value:g} % is {value / 100:g} or '{value:g}%')"
        )


def _parts(text: str, what: str) -> list[str]:
    parts = text.replace(" ", "").split(",")
    if any(p == "" for p in parts):
        raise argparse.ArgumentTypeError(f"invalid list of {what}: {text!r}")
    return parts


def whole_list(text: str) -> list[int]:
    """Comma-separated whole numbers: ``"1,2"`` (one per stage)."""
    return [whole(p) for p in _parts(text, "whole numbers")]


def number_list(text: str) -> list[float]:
    """Comma-separated numbers: ``"10.1,9.8,10.2"``."""
    return [number(p) for p in _parts(text, "numbers")]


def quality_list(text: str) -> list[float | str]:
    """Comma-separated fractions or percent strings: ``"0.01,0.02"`` or ``"1%,2%"``."""
    return [number_or_percent(p) for p in _parts(text, "qualities")]


# -- calling the API ------------------------------------------------------------

T = TypeVar("T")

# The API's first word: an argument (``lot = 'n' is invalid``, ``nominal must ...``), a
# column (``lsl column 'x' ...``) or a record (``lot 'A': ...``, ``lot 3: ...``, ``lot
# ('A', 1): ...``, ``lot None: ...``, ``lot True: ...``, ``lot 2024-01-05: ...``, ``lot nan:
# ...``: the argument's name followed by a lot's key, as ``key_text`` shows it).
_LEADING_NAME = re.compile(
    r"^\s*([A-Za-z_][A-Za-z0-9_]*)( column| ['\"(\d-]| (?:None|True|False|nan|inf)\b)?"
)


_ADVICE = re.compile(r'\b([a-z_]+)="([^"]*)"')


def _as_flags(message: str, options: Mapping[str, str]) -> str:
    """The API's advice ``pass nan_policy="omit"`` spelt as the option a command line
    user types (``pass --nan-policy omit``).

    >>> _as_flags('pass nan_policy="omit" to drop them', {"nan_policy": "--nan-policy"})
    'pass --nan-policy omit to drop them'
    """
    return _ADVICE.sub(
        lambda m: f"{options[m.group(1)]} {m.group(2)}" if m.group(1) in options else m.group(0),
        message,
    )


def call_api(
    call: Callable[[], T], *, options: Mapping[str, str] | None = None, source: str | None = None
) -> T:
    """Runs an API call, turning its ``ValueError``/``TypeError`` into a one-line CLI error.

    The API names the argument at the start of its messages. Without
    ``source`` every such error is an invalid argument value (exit code 4).
    With ``source`` (the input file of a data command) an error that names
    one of ``options`` (API argument name -> flag: "lot = 'n' is invalid") is an
    invalid value; any other (a record of the file: "lot 'A': ...", the contents
    of a column: "lsl column 'x' ...") is an input error (exit code 3) prefixed
    with the file name.

    >>> call_api(lambda: 1 + 1)
    2
    """
    try:
        return call()
    except (ValueError, TypeError) as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        message = _as_flags(message, options or {})
        if source is None:
            raise ValueProblem(message) from exc
        named = _LEADING_NAME.match(message)
        if named and not named.group(2) and options is not None and named.group(1) in options:
            raise ValueProblem(f"{options[named.group(1)]}: {message}") from exc
        raise InputError(f"{source}: {message}") from exc
    except pl.exceptions.PolarsError as exc:
        if source is None:
            raise
        raise InputError(f"{source}: {str(exc).splitlines()[0]}") from exc
