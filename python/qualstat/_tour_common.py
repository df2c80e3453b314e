"""Helpers shared by the sections of the quick tour."""

from __future__ import annotations

from importlib import resources

import polars as pl


def title(text: str) -> None:
    """Prints a section title, underlined."""
    print()
    print(text)
    print("-" * len(text))


def dataset(name: str) -> pl.DataFrame:
    """A sample data set shipped in ``qualstat/data`` (its source is in its header)."""
    with resources.files("qualstat").joinpath("data", f"{name}.csv").open("rb") as f:
        return pl.read_csv(f, comment_prefix="#")
