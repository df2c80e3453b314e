"""Reference values for tests/plan_oc.rs, computed with scipy.stats (independent of qualstat).

Run: /work/main/.venv/bin/python scripts/gen_plan_reference.py
and paste the printed arrays into tests/plan_oc.rs.
"""
from scipy.stats import binom, poisson, hypergeom
import numpy as np

np.set_printoptions(legacy="1.25")

ps = [0.0005, 0.004, 0.01, 0.02, 0.05, 0.1, 0.25]
single = [(13, 0), (50, 1), (125, 3), (80, 5), (1250, 21), (2000, 30)]
print("// (n, c, p, Pa binomial, Pa Poisson)")
for n, c in single:
    for p in ps:
        print(f"({n}, {c}, {p!r}, {binom.cdf(c, n, p)!r}, {poisson.cdf(c, n * p)!r}),")

print("// hypergeometric single: (N, n, c, D, Pa)")
for N, n, c in [(500, 50, 2), (60, 13, 1), (5000, 200, 5)]:
    for D in [0, 1, 5, 10, 25, 50]:
        print(f"({N}, {n}, {c}, {D}, {hypergeom.cdf(c, N, D, n)!r}),")

def double_b(n1, a1, r1, n2, a2, f, F):
    pa1 = F(a1, n1)
    pa2 = sum(f(d, n1) * F(a2 - d, n2) for d in range(a1 + 1, r1))
    pcont = sum(f(d, n1) for d in range(a1 + 1, r1))
    return pa1 + pa2, n1 + n2 * pcont, pa1, pa2

print("// double n1=n2=8 (0,2)/(1,2), binomial: (p, Pa, ASN, AOQ N=100, ATI N=100)")
for p in [0.01, 0.05, 0.1, 0.2, 0.3]:
    f = lambda d, n: binom.pmf(d, n, p)
    F = lambda d, n: binom.cdf(d, n, p)
    pa, asn, pa1, pa2 = double_b(8, 0, 2, 8, 1, f, F)
    N = 100
    aoq = p * (pa1 * (N - 8) + pa2 * (N - 16)) / N
    ati = 8 * pa1 + 16 * pa2 + N * (1 - pa)
    print(f"({p}, {pa!r}, {asn!r}, {aoq!r}, {ati!r}),")

print("// double (50, 1, 4; 100, 3) hypergeometric sequential N=200: (D, Pa)")
for D in [2, 5, 10, 20]:
    N, n1, n2 = 200, 50, 100
    pa = hypergeom.cdf(1, N, D, n1)
    for d in range(2, min(3, D) + 1):
        pa += hypergeom.pmf(d, N, D, n1) * hypergeom.cdf(3 - d, N - n1, D - d, n2)
    print(f"({D}, {pa!r}),")

print("// triple plan n=(20,20,20) ac=(-1,1,3) re=(3,4,4), binomial: (p, Pa, ASN), by explicit path sums")
for p in [0.01, 0.05, 0.1, 0.2]:
    f = lambda d, n: binom.pmf(d, n, p)
    pa = 0.0
    asn = 20.0
    reach2 = sum(f(d1, 20) for d1 in range(0, 3))
    reach3 = 0.0
    for d1 in range(0, 3):
        for d2 in range(0, 4 - d1):
            c2 = d1 + d2
            if c2 <= 1:
                pa += f(d1, 20) * f(d2, 20)
            elif c2 < 4:
                reach3 += f(d1, 20) * f(d2, 20)
                pa += f(d1, 20) * f(d2, 20) * binom.cdf(3 - c2, 20, p)
    asn += 20 * reach2 + 20 * reach3
    print(f"({p}, {pa!r}, {asn!r}),")

from math import comb
from scipy.optimize import brentq, minimize_scalar

print("// curtailed single (n, c, p, ASN full, ASN semi) by enumeration of the stopping item")
for n, c in [(50, 1), (20, 0), (125, 3)]:
    for p in [0.01, 0.05, 0.2]:
        q = 1 - p
        full = sum(m * comb(m - 1, c) * p ** (c + 1) * q ** (m - 1 - c) for m in range(c + 1, n + 1))
        full += sum(m * comb(m - 1, n - c - 1) * q ** (n - c) * p ** (m - (n - c)) for m in range(n - c, n + 1))
        semi = sum(m * comb(m - 1, c) * p ** (c + 1) * q ** (m - 1 - c) for m in range(c + 1, n + 1))
        semi += n * binom.cdf(c, n, p)
        print(f"({n}, {c}, {p}, {full!r}, {semi!r}),")

print("// single quality at Pa: (n, c, Pa, p) by brentq on binom.cdf")
for n, c in [(50, 1), (125, 3), (1250, 21)]:
    for target in [0.95, 0.5, 0.1]:
        p = brentq(lambda x: binom.cdf(c, n, x) - target, 1e-12, 1 - 1e-12, xtol=1e-16, rtol=1e-15)
        print(f"({n}, {c}, {target}, {p!r}),")

print("// single AOQL (n, c, N, AOQL, p at AOQL) by minimize_scalar on p Pa (N - n)/N")
for n, c, N in [(50, 1, 1000), (125, 3, 5000), (13, 0, 100)]:
    f = lambda x: -x * binom.cdf(c, n, x) * (N - n) / N
    r = minimize_scalar(f, bounds=(0, 1), method="bounded", options={"xatol": 1e-12})
    print(f"({n}, {c}, {N}, {-r.fun!r}, {r.x!r}),")
