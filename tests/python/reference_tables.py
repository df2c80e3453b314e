"""The reference tables in reference/tables (in the repository; provenance in reference/README.md).

Shared by tests/python/test_iso2859_1.py and tests/python/test_iso3951.py.
"""

from __future__ import annotations

import csv
from pathlib import Path

TABLES = Path(__file__).resolve().parents[2] / "reference" / "tables"


def rows(name):
    """The rows of a reference CSV file as dicts; fails when the file is missing."""
    path = TABLES / name
    assert path.is_file(), f"reference table missing: {path}"
    with open(path, newline="") as f:
        return list(csv.DictReader(f))
