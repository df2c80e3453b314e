"""Side-by-side timings of qualstat against the peer libraries, in one run.

`make compare` (or `.venv/bin/python benches/compare_peers.py [section ...]`),
sections: proportion, plans, capability (default: all). Each prints the
ratio peer time / qualstat time and the largest difference of the results.
Speed goals live here, never in tests.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import compare_capability  # noqa: E402
import compare_peers_plans  # noqa: E402
import compare_peers_proportion  # noqa: E402

SECTIONS = {
    "proportion": compare_peers_proportion.main,
    "plans": compare_peers_plans.main,
    "capability": compare_capability.main,
}


def main(argv: list[str]) -> None:
    names = argv or list(SECTIONS)
    for name in names:
        if name not in SECTIONS:
            raise SystemExit(f"unknown section {name!r}; choose from {sorted(SECTIONS)}")
        SECTIONS[name]()
        print()


if __name__ == "__main__":
    main(sys.argv[1:])
