"""Reference values of the standard normal cdf for tests/normal_cdf.rs (mpmath, 40 digits).

Run by hand: ``python tests/data/make_normal_cdf.py > tests/data/normal_cdf.csv``.
The arguments are a dense grid over [-38.4, 9] plus the switch points of the
Rust code (|x| = 0.46875 sqrt(2), 4 sqrt(2)) and their neighbours; each value
is Phi at the exact binary value of the double argument.
"""

import math

import mpmath as mp

mp.mp.dps = 40


def args():
    xs = {round(-38.4 + 0.0137 * i, 4) for i in range(int((9 + 38.4) / 0.0137) + 1)}
    for edge in (0.46875 * math.sqrt(2), 4 * math.sqrt(2), 40.0):
        for sign in (-1, 1):
            x = sign * edge
            xs.update({x, math.nextafter(x, 0), math.nextafter(x, math.inf * sign)})
    xs.update({0.0, 1e-300, -1e-300, 1e-10, -1e-10, 1.959963984540054, -1.959963984540054})
    return sorted(x for x in xs if -38.4 <= x <= 9)


print("x,cdf")
for x in args():
    print(f"{x!r},{mp.nstr(mp.ncdf(mp.mpf(x)), 20)}")
