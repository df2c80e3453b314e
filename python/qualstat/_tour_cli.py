"""The command-line section of the quick tour (``python -m qualstat.tour``)."""

from __future__ import annotations

from ._tour_common import title
from .cli import main


def cli_section() -> None:
    """Two calls of the ``qualstat`` command, run in-process: the numbers of the API."""
    title("From a terminal: the qualstat command")
    print("Labs without Python notebooks run the same functions from a shell;")
    print(
        "`qualstat COMMAND --help` shows examples (CSV, Parquet, Excel in; table, CSV, JSON out)."
    )
    for argv in (
        ["ci", "57", "60", "--method", "exact", "--bound", "lower"],
        ["design", "--aql", "1%", "--lq", "5%", "--format", "csv"],
    ):
        print(f"$ qualstat {' '.join(argv)}")
        main(argv)
