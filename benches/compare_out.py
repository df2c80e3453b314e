"""Wilson intervals at 10^7 pairs with ``out=`` against the memory-bandwidth floor.

Run: ``python benches/compare_out.py`` (after ``make develop``). The floor is one
numpy pass that reads the two int64 inputs and writes two float64 outputs
(``np.add`` and ``np.subtract`` into preallocated arrays): no interval can be
computed faster than its inputs are read and its outputs written. Prints the
best of several runs of each and the ratio qualstat / floor (the aim: <= 2).
"""

from __future__ import annotations

import numpy as np

import qualstat as qs

from _timing import timed


def main(size=10_000_000):
    rng = np.random.default_rng(1)
    n = rng.integers(1, 1000, size)
    x = rng.binomial(n, 0.9)
    lo, hi = np.empty(size), np.empty(size)

    def floor():
        np.add(x, n, out=lo)
        np.subtract(x, n, out=hi)

    t_floor, _ = timed(floor, 7)
    t_out, _ = timed(lambda: qs.proportion_ci(x, n, method="wilson", out=(lo, hi)), 7)
    t_new, _ = timed(lambda: qs.proportion_ci(x, n, method="wilson"), 7)
    print(f"qualstat {qs.__version__} on {qs.get_num_threads()} threads, {size:,} pairs")
    rows = [("floor (read 2 inputs, write 2 outputs)", t_floor)]
    rows += [("wilson with out=", t_out), ("wilson, new arrays", t_new)]
    for label, t in rows:
        print(f"  {label:<40} {t * 1e3:7.1f} ms  {t / t_floor:5.2f}x floor")


if __name__ == "__main__":
    main()
