"""The ``qualstat`` command line, for labs that work from a terminal and spreadsheets.

Installed with the package as the ``qualstat`` command (also ``python -m
qualstat.cli``). Every subcommand calls the same functions a notebook would
(``qs.iso2859_1.plan``, ``qs.design_plan``, ``qs.pass_rates``,
``qs.capability``, ...), so its numbers are theirs.

Subcommands: ``plan``, ``design``, ``oc``, ``decide``, ``scheme``, ``ci``,
``rates``, ``capability``, ``report``, ``chart``, ``net-content``
(``qualstat COMMAND --help`` shows examples).

Common options: ``--format table|csv|json`` (readable table by default),
``--output FILE`` (written whole or not at all), ``--plot FILE.png`` where a
picture helps, ``--debug`` (show the traceback of an error).

Exit codes: 0 success; 1 internal error (a bug); 2 usage (unknown command or
option, missing or malformed argument); 3 input file (missing, unreadable,
empty, missing columns, wrong types, invalid records); 4 invalid argument
value (out of range, unknown option name, conflicting arguments); 5 an output
file cannot be written; 6 an optional dependency is missing.

A new subcommand is one module in this package defining ``NAME``,
``SUMMARY``, ``DESCRIPTION``, ``EXAMPLES``, ``add_arguments(parser)`` and
``run(args) -> Report``, added to :data:`COMMANDS`.

>>> main(["ci", "57", "60", "--method", "exact", "--format", "csv"])
successes,trials,rate,lower,upper,method,confidence,bound,population
57,60,0.95,0.8607...,0.9895...,exact,0.95,two-sided,
0
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
import warnings
from collections.abc import Sequence
from types import ModuleType

from . import capability, chart, ci, decide, design, net_content, oc, plan, rates, report, scheme
from ._base import EXIT_CODES, INTERNAL, OK, USAGE, CliError, Parser
from ._io import FORMATS, check_output_path, check_plot_path, warning_lines, write_outputs

__all__ = ["COMMANDS", "build_parser", "main"]

#: The subcommands, in the order ``qualstat --help`` lists them.
COMMANDS: tuple[ModuleType, ...] = (
    plan,
    design,
    oc,
    decide,
    scheme,
    ci,
    rates,
    capability,
    report,
    chart,
    net_content,
)


def _exit_codes_text() -> str:
    return "exit codes:\n" + "\n".join(f"  {code}  {text}" for code, text in EXIT_CODES.items())


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``qualstat`` with every subcommand of :data:`COMMANDS`."""
    from qualstat import __version__

    common = Parser(add_help=False)
    out = common.add_argument_group("output")
    out.add_argument(
        "--format", choices=FORMATS, default="table", help="readable table (default), csv or json"
    )
    out.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    out.add_argument(
        "--debug",
        action="store_true",
        default=argparse.SUPPRESS,
        help="show the full traceback of an error",
    )
    parser = Parser(
        prog="qualstat",
        description="Quality statistics for labs: sampling plans, lot decisions, pass-rate "
        "intervals, spot-check reports, capability, control charts, net content.",
        epilog="examples:\n"
        "  qualstat plan --aql 1.0 --lot-size 2000\n"
        "  qualstat rates checks.csv --passed ok --inspected n --by region\n"
        "  qualstat capability parts.xlsx --value diameter --lsl 73.95 --usl 74.05\n"
        "  qualstat chart rings.csv --type xbar_r --value diameter --subgroups sample\n\n"
        + _exit_codes_text(),
    )
    parser.add_argument("--version", action="version", version=f"qualstat {__version__}")
    parser.add_argument("--debug", action="store_true", help="show the full traceback of an error")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    sub.required = True
    for module in COMMANDS:
        command = sub.add_parser(
            module.NAME,
            parents=[common],
            help=module.SUMMARY,
            description=module.DESCRIPTION,
            epilog="examples:\n" + module.EXAMPLES.rstrip() + "\n\n" + _exit_codes_text(),
        )
        module.add_arguments(command)
        command.set_defaults(run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the command line; returns the exit code (see the module docstring)."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    try:
        args = parser.parse_args(args_list)
    except SystemExit as stop:  # --help, --version (0) or a usage error (2)
        return int(stop.code) if isinstance(stop.code, int) else USAGE
    debug = bool(getattr(args, "debug", False))
    prog = f"qualstat {args.command}"
    try:
        check_output_path(args.output, "--output")
        check_plot_path(getattr(args, "plot", None))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            report = args.run(args)
        for note in (*report.notes, *warning_lines(caught)):
            sys.stderr.write(f"{prog}: warning: {note}\n")
        with warnings.catch_warnings(record=True) as caught:  # drawing --plot and --html
            warnings.simplefilter("always")
            try:
                write_outputs(report, args.format, args.output, getattr(args, "plot", None))
            finally:
                for note in warning_lines(caught):
                    sys.stderr.write(f"{prog}: warning: {note}\n")
    except CliError as exc:
        if debug:
            traceback.print_exc()
        sys.stderr.write(f"{prog}: error: {exc}\n")
        return exc.code
    except BrokenPipeError:  # the reader closed the pipe (``| head``): not an error here
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return OK
    except KeyboardInterrupt:
        sys.stderr.write(f"{prog}: interrupted\n")
        return 130
    except Exception as exc:  # noqa: BLE001 - a bug: one line, the traceback with --debug
        if debug:
            traceback.print_exc()
        first = str(exc).splitlines()[0] if str(exc) else ""
        sys.stderr.write(
            f"{prog}: internal error: {type(exc).__name__}: {first} "
            "(run again with --debug for the traceback, and please report it)\n"
        )
        return INTERNAL
    return OK
