#!/usr/bin/env python3
"""Generate tests/data/reference.csv: reference values for src/numerics, computed
with mpmath at 40 significant digits (independently of the Rust code).

Run: python3 tests/data/make_reference.py > tests/data/reference.csv

Columns: func, p1..p4 (inputs, exact binary64 values printed with repr), value
(the exact function value at those inputs, 25 digits). Methods:
* incomplete beta: mpmath.betainc (hypergeometric series) for moderate
  parameters; for large ones, tanh-sinh quadrature of the beta density over the
  smaller tail, with breakpoints scaled to the density near x;
* incomplete gamma: mpmath.gammainc, or quadrature likewise for large a;
* incomplete beta tails below the mean: the positive series
  x^a y^b/(a B) 2F1(a+b, 1; a+1; x) (A&S 26.5.23) when it converges fast;
* inverses: pick x, compute p = F(x), round p to binary64 (p_d), and refine
  the root of F = p_d by Newton's method in 40-digit arithmetic;
* cond: |d ln f/d ln x| w.r.t. the continuous argument, so tests can allow
  for the error that rounding the inputs to binary64 already implies;
* binomial/Poisson/hypergeometric pmf: exact binomial coefficients via
  mpmath.binomial / loggamma; their cdf/sf: direct sums of the shorter tail
  (terms by recurrence in 40-digit arithmetic) or the beta/gamma identities;
* noncentral t: quadrature of P(Z + delta > t sqrt(V/df)) over V ~ chi2(df).
"""

import mpmath as mp

mp.mp.dps = 40
rows = []


def emit(func, args, value, cond=1):
    """cond: |d ln f / d ln x| for the continuous argument x (the relative
    error that one rounding of the inputs causes, in units of it)."""
    if value != 0 and abs(value) < 2.3e-308:
        return  # subnormal results carry no relative precision
    a = [repr(float(v)) for v in args] + [""] * (4 - len(args))
    rows.append(
        ",".join(
            [func]
            + a
            + [mp.nstr(value, 25, min_fixed=-1, max_fixed=-1), mp.nstr(max(1, abs(cond)), 3)]
        )
    )


# ---------------------------------------------------------------- beta
def ln_beta(a, b):
    return mp.loggamma(a) + mp.loggamma(b) - mp.loggamma(a + b)


def beta_density(a, b, t):
    return mp.exp((a - 1) * mp.log(t) + (b - 1) * mp.log1p(-t) - ln_beta(a, b))


def beta_tail_quad(a, b, x, lower):
    """Integral of the beta density over [0, x] (lower) or [x, 1]."""
    d = lambda t: beta_density(a, b, t)
    sd = mp.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))
    slope = abs((a - 1) / x - (b - 1) / (1 - x))
    h = min(sd, 1 / slope) if slope > 0 else sd
    if lower:
        pts = sorted(
            {mp.mpf(0)}
            | {max(mp.mpf(0), x - k * h) for k in (1, 2, 4, 8, 16, 32, 64, 128, 256, 512)}
            | {x}
        )
    else:
        pts = sorted(
            {mp.mpf(1)}
            | {min(mp.mpf(1), x + k * h) for k in (1, 2, 4, 8, 16, 32, 64, 128, 256, 512)}
            | {x}
        )
    return mp.quad(d, pts)


def tail_series(a, b, x):
    """I_x(a,b) = x^a y^b/(a B(a,b)) 2F1(a+b, 1; a+1; x) (A&S 26.5.23): positive
    terms, ratio (a+b+k)x/(a+1+k); used below the mean when it converges fast."""
    s, t, k, eps = mp.mpf(0), mp.mpf(1), 0, mp.mpf(10) ** -45
    while t > s * eps:
        s += t
        t *= (a + b + k) * x / (a + 1 + k)
        k += 1
    return mp.exp(a * mp.log(x) + b * mp.log1p(-x) - ln_beta(a, b)) / a * s


def betainc(a, b, x):
    """(I_x(a,b), 1 - I_x(a,b))."""
    a, b, x = mp.mpf(a), mp.mpf(b), mp.mpf(x)
    if max((a + b) * x / (a + 1), x) < 0.99:
        lo = tail_series(a, b, x)
        return lo, 1 - lo
    if max((a + b) * (1 - x) / (b + 1), 1 - x) < 0.99:
        hi = tail_series(b, a, 1 - x)
        return 1 - hi, hi
    if max(a, b) <= 2000:
        lo = mp.betainc(a, b, 0, x, regularized=True)
        hi = mp.betainc(a, b, x, 1, regularized=True)
        return lo, hi
    mean = a / (a + b)
    if x <= mean:
        lo = beta_tail_quad(a, b, x, True)
        return lo, 1 - lo
    hi = beta_tail_quad(a, b, x, False)
    return 1 - hi, hi


beta_cases = [
    (1, 1, 0.3),
    (0.5, 0.5, 0.01),
    (0.5, 0.5, 0.999),
    (2, 3, 0.4),
    (0.1, 10, 1e-5),
    (10, 0.1, 0.9999),
    (1e-3, 1e-3, 0.5),
    (5, 5, 1e-60),
    (5, 5, 1 - 2**-40),
    (30, 70, 0.3),
    (30.5, 70.5, 0.05),
    (100, 900, 0.1),
    (100, 900, 0.2),
    (0.5, 1000.5, 1e-7),
    (1000.5, 0.5, 0.5),
    (1500, 500, 0.74),
    (20, 2000, 1e-20),
    (1, 2000, 0.3),
    (7, 1994, 0.5),
    (1e4, 1e4, 0.5),
    (1e4, 1e4, 0.49),
    (1e5, 3e5, 0.26),
    (1e6, 1e6, 0.4995),
    (1e6, 1, 1 - 1e-5),
    (1e6 + 0.5, 2e6 + 0.5, 0.3329),
    (5e8, 5e8, 0.5),
    (5e8, 5e8, 0.49999),
    (5e8, 5e8, 0.4998),
    (2.5e8, 7.5e8, 0.25001),
    (3, 1e9, 2e-9),
    (3, 1e9, 1e-8),
    (1e9, 3, 0.9999999),
    (0.5, 1e9, 1e-10),
    (1e9, 1e9, 0.50001),
    (1e3, 1e9, 1.1e-6),
    (2, 50, 1e-150),
    (50, 2, 1e-7),
    (3, 7, 1e-100),
    (200, 300, 0.2),
    (1e4, 5e4, 0.14),
    (1e4, 5e4, 0.2),
]
for a, b, x in beta_cases:
    lo, hi = betainc(a, b, x)
    xd = mp.mpf(x) * beta_density(mp.mpf(a), mp.mpf(b), mp.mpf(x))
    emit("beta_inc", (a, b, x), lo, xd / lo)
    emit("beta_inc_upper", (a, b, x), hi, xd / hi)
for a, b in [
    (1, 1),
    (0.5, 0.5),
    (1e-3, 2),
    (2.5, 1e9),
    (5e8, 5e8),
    (1e9, 1e-5),
    (30, 70),
    (1e6, 3),
]:
    emit("ln_beta", (a, b), ln_beta(mp.mpf(a), mp.mpf(b)))
for x in [1e-300, 1e-8, 0.1, 0.5, 1, 1.5, 2, 2.5, 3.7, 10, 14.9, 15.1, 100.5, 1e5, 1e9 + 0.5, 1e15]:
    emit("ln_gamma", (x,), mp.loggamma(mp.mpf(x)))

# beta inverse: x chosen, p = I_x rounded to binary64, root corrected to first order
inv_cases = beta_cases + [
    (1, 100, 1e-300 ** (1 / 1.0) * 1e10),
    (3, 98, 1e-80),
    (0.5, 50.5, 1e-200),
    (1e4, 1e4, 0.4),
    (12, 9989, 0.0005),
    (9990, 11, 0.9985),
    (1, 1e4, 0.5),
    (1e4, 1, 0.9999),
]


def exact_interval_cases():
    """Clopper-Pearson and Jeffreys limits as the exact-interval batches meet
    them: n log-uniform on [2, 2e5] (seeded), x uniform, the beta parameters
    of the lower and upper limit, and x near the quantile at 0.5%, 2.5% or
    5% (normal approximation), so that p is a realistic tail probability."""
    import random

    rng = random.Random(20261128)
    cases = []
    for _ in range(40):
        n = int(round(10 ** rng.uniform(0.3, 5.3)))
        k = rng.randint(1, n - 1)
        half = rng.random() < 0.5
        shift = 0.5 if half else 0.0
        tail_z = rng.choice([2.576, 1.96, 1.645])
        for a, b, sign in ((k + shift, n - k + 1 - shift, -1), (k + 1 - shift, n - k + shift, 1)):
            cases.append((a, b, _near_quantile(a, b, sign, tail_z)))
    return cases


def whole_parameter_cases():
    """Clopper-Pearson limits with few failures or few successes: one whole
    beta parameter m from 1 to 29 (the negative binomial sums of
    src/numerics/special/beta/small_sums.rs), the other from 30 to 2e5
    (log-uniform, seeded), on either side, x near the 0.5%, 2.5% or 5%
    quantile (normal approximation, kept inside (0, 1))."""
    import random

    rng = random.Random(20261202)
    cases = []
    for _ in range(40):
        m = rng.randint(1, 29)
        big = int(round(10 ** rng.uniform(1.5, 5.3)))
        cases += _both_sides(m, big, rng.choice([2.576, 1.96, 1.645]))
    return cases


def _both_sides(m, big, tail_z):
    """(a, b, x) for (a, b) = (m, big) and (big, m), x on either side of the
    mean by tail_z standard deviations (see _near_quantile)."""
    return [
        (a, b, _near_quantile(a, b, sign, tail_z))
        for a, b in ((m, big), (big, m))
        for sign in (-1, 1)
    ]


def _near_quantile(a, b, sign, tail_z):
    """x tail_z standard deviations below (sign -1) or above (sign 1) the
    mean of Beta(a, b) (normal approximation), kept inside (0, 1)."""
    mean = a / (a + b)
    sd = (a * b / ((a + b) ** 2 * (a + b + 1))) ** 0.5
    return min(max(mean + sign * tail_z * sd, mean / 10), 1 - (1 - mean) / 10)


def half_parameter_cases():
    """Jeffreys limits with few failures or few successes: one half-integer
    beta parameter m + 1/2 from 1/2 to 29 1/2 (the sums and Watson's series of
    src/numerics/special/beta/small_sums.rs), the other from 30 to 2e5
    (log-uniform, seeded; a half-integer as in Jeffreys limits, or a whole
    number), on either side, x near the 0.5%, 2.5% or 5% quantile (normal
    approximation, kept inside (0, 1))."""
    import random

    rng = random.Random(20261203)
    cases = []
    for _ in range(40):
        m = rng.randint(0, 29) + 0.5
        big = int(round(10 ** rng.uniform(1.5, 5.3))) + rng.choice([0.0, 0.5])
        cases += _both_sides(m, big, rng.choice([2.576, 1.96, 1.645]))
    return cases


inv_cases += exact_interval_cases()
inv_cases += whole_parameter_cases()
inv_cases += half_parameter_cases()


def inv_cond(p, root, density):
    """|d ln x / d ln p| of an inverse at its root (1 at a root of 0)."""
    return mp.mpf(p) / (root * density) if root != 0 else 1


def newton_root(x, target, fx, f, df, sign):
    """Root of f(x) = target near x (f(x) = fx known), refined until converged."""
    x = mp.mpf(x)
    for _ in range(30):
        step = sign * (target - fx) / df(x)
        x += step
        # Newton's error after a step s is O(s^2): 1e-20 relative is converged.
        if abs(step) <= abs(x) * mp.mpf(10) ** -20:
            return x
        fx = f(x)
    raise RuntimeError("no convergence")


for a, b, x in inv_cases:
    lo, hi = betainc(a, b, x)
    am, bm = mp.mpf(a), mp.mpf(b)
    dens = lambda t: beta_density(am, bm, t)
    for func, target, sign, idx in (("beta_inc_inv", lo, 1, 0), ("beta_inc_inv_upper", hi, -1, 1)):
        pd = float(target)
        if not (2.3e-308 < pd < 1):
            continue
        root = newton_root(x, mp.mpf(pd), target, lambda t: betainc(am, bm, t)[idx], dens, sign)
        emit(func, (a, b, pd), root, inv_cond(pd, root, dens(root)))


# ---------------------------------------------------------------- gamma
def gammainc(a, x):
    a, x = mp.mpf(a), mp.mpf(x)
    if a <= 1e4:
        return mp.gammainc(a, 0, x, regularized=True), mp.gammainc(a, x, mp.inf, regularized=True)
    d = lambda t: mp.exp((a - 1) * mp.log(t) - t - mp.loggamma(a))
    sd = mp.sqrt(a)
    pts = lambda sgn: sorted({x} | {x + sgn * k * sd for k in (1, 2, 4, 8, 16, 32, 64, 128)})
    if x <= a:
        lo = mp.quad(d, [mp.mpf(0)] + [t for t in pts(-1) if t > 0])
        return lo, 1 - lo
    hi = mp.quad(d, pts(1) + [mp.inf])
    return 1 - hi, hi


gamma_cases = [
    (0.5, 1e-10),
    (0.5, 0.3),
    (1, 700),
    (1, 1e-300),
    (3, 2.5),
    (3, 40),
    (0.01, 0.01),
    (0.01, 5),
    (10, 1e-30),
    (100, 90),
    (100, 140),
    (1000.5, 1000),
    (1e4, 9900),
    (1e5, 1e5 + 300),
    (1e6, 1e6 - 4000),
    (1e9, 1e9 + 3e4),
    (1e9, 1e9 - 1e5),
    (2.5, 1e-5),
    (50, 300),
]
for a, x in gamma_cases:
    lo, hi = gammainc(a, x)
    am = mp.mpf(a)
    dens = lambda t: mp.exp((am - 1) * mp.log(t) - t - mp.loggamma(am))
    xd = x * dens(mp.mpf(x))
    emit("gamma_p", (a, x), lo, xd / lo)
    emit("gamma_q", (a, x), hi, xd / hi)
    for func, target, sign, idx in (("gamma_p_inv", lo, 1, 0), ("gamma_q_inv", hi, -1, 1)):
        pd = float(target)
        if not (2.3e-308 < pd < 1):
            continue
        root = newton_root(x, mp.mpf(pd), target, lambda t: gammainc(am, t)[idx], dens, sign)
        emit(func, (a, pd), root, inv_cond(pd, root, dens(root)))
# chi-square = gamma(df/2, x/2); arguments (x, df) as for the other distributions
for df, x in [(1, 1e-8), (1, 3.84), (2, 100), (10, 2.5), (57, 80), (1e4, 9800), (0.5, 1e-3)]:
    lo, hi = gammainc(df / 2, x / 2)
    dens = lambda t: (
        mp.exp((mp.mpf(df) / 2 - 1) * mp.log(t / 2) - t / 2 - mp.loggamma(mp.mpf(df) / 2)) / 2
    )
    xd = x * dens(mp.mpf(x))
    emit("chi2_cdf", (x, df), lo, xd / lo)
    emit("chi2_sf", (x, df), hi, xd / hi)
    pd = float(lo)
    if 2.3e-308 < pd < 1:
        root = newton_root(x, mp.mpf(pd), lo, lambda t: gammainc(mp.mpf(df) / 2, t / 2)[0], dens, 1)
        emit("chi2_quantile", (pd, df), root, inv_cond(pd, root, dens(root)))

# ---------------------------------------------------------------- normal
for x in [-38.4, -37, -20, -8, -1.96, -1, -1e-10, 0, 0.5, 1.2815515655446004, 3, 9, 26, 38]:
    mx = mp.mpf(x)
    lo, hi = mp.ncdf(mx), mp.ncdf(-mx)
    xd = x * mp.npdf(mx)
    emit("normal_cdf", (x,), lo, xd / lo)
    emit("normal_sf", (x,), hi, xd / hi)
    pd, qd = float(lo), float(hi)
    if 2.3e-308 < pd < 1:
        root = newton_root(x, mp.mpf(pd), lo, mp.ncdf, mp.npdf, 1)
        emit("normal_quantile", (pd,), root, inv_cond(pd, root, mp.npdf(root)))
    if 2.3e-308 < qd < 1:
        root = newton_root(x, mp.mpf(qd), hi, lambda t: mp.ncdf(-t), mp.npdf, -1)
        emit("normal_isf", (qd,), root, inv_cond(qd, root, mp.npdf(root)))


# ---------------------------------------------------------------- Student t
def t_cdf(t, df):
    t, df = mp.mpf(t), mp.mpf(df)
    x = df / (df + t * t)
    tail = betainc(df / 2, mp.mpf(1) / 2, x)[0] / 2  # P(T > |t|)
    return tail if t < 0 else 1 - tail


for t, df in [
    (-40, 3),
    (-2, 5),
    (-1e-5, 10),
    (0.7, 1),
    (2.5, 2.5),
    (3, 30),
    (12, 100),
    (1e5, 1),
    (6, 1e6),
]:
    lo = t_cdf(t, df)
    hi = t_cdf(-t, df)
    mt, mdf = mp.mpf(t), mp.mpf(df)
    dens = lambda u: (
        mp.exp(mp.loggamma((mdf + 1) / 2) - mp.loggamma(mdf / 2))
        / mp.sqrt(mdf * mp.pi)
        * (1 + u * u / mdf) ** (-(mdf + 1) / 2)
    )
    emit("t_cdf", (t, df), lo, mt * dens(mt) / lo)
    emit("t_sf", (t, df), hi, mt * dens(mt) / hi)
    pd = float(lo)
    if 2.3e-308 < pd < 1:
        root = newton_root(t, mp.mpf(pd), lo, lambda u: t_cdf(u, df), dens, 1)
        emit("t_quantile", (pd, df), root, inv_cond(pd, root, dens(root)))


# ---------------------------------------------------------------- discrete
def binom_pmf(k, n, p):
    k, n, p = int(k), int(n), mp.mpf(p)
    return mp.binomial(n, k) * p**k * (1 - p) ** (n - k)


def sum_terms(first, ratio, count):
    """first term and term ratio function r(j) = t_{j+1}/t_j; sum count terms."""
    s, t = mp.mpf(0), first
    for j in range(count):
        s += t
        if t < s * mp.mpf(10) ** -45:
            break
        t *= ratio(j)
    return s


def binom_cdf_sf(k, n, p):
    k, n, pm = int(k), int(n), mp.mpf(p)
    q = 1 - pm
    mean = n * pm
    if k < mean:  # lower tail shorter: sum downward from k
        lo = sum_terms(binom_pmf(k, n, p), lambda j: (k - j) * q / ((n - k + j + 1) * pm), k + 1)
        return lo, 1 - lo
    hi = sum_terms(
        binom_pmf(k + 1, n, p), lambda j: (n - k - 1 - j) * pm / ((k + 2 + j) * q), n - k
    )
    return 1 - hi, hi


for k, n, p in [
    (0, 10, 0.1),
    (3, 20, 0.2),
    (50, 100, 0.5),
    (0, 1000, 0.3),
    (1000, 1000, 0.999),
    (12, 10000, 0.0005),
    (5, 1e9, 1e-9),
    (5e8, 1e9, 0.5),
    (5.001e8, 1e9, 0.5),
    (4.99e8, 1e9, 0.5),
    (100, 1e9, 3e-7),
    (1e6, 1e9, 0.001),
    (2, 1e4, 0.3),
    (9999, 1e4, 0.3),
    (7, 50, 1e-12),
]:
    pm = mp.mpf(p)
    emit("binom_pmf", (k, n, p), binom_pmf(k, n, p), (k - n * pm) / (1 - pm))
    lo, hi = binom_cdf_sf(k, n, p)
    # d/dp P(X <= k) = -n b(k; n-1, p)
    dd = n * pm * binom_pmf(k, n - 1, p) if k < n else 0
    emit("binom_cdf", (k, n, p), lo, dd / lo if lo else 1)
    emit("binom_sf", (k, n, p), hi, dd / hi if hi else 1)


def pois_pmf(k, lam):
    k, lam = int(k), mp.mpf(lam)
    return mp.exp(k * mp.log(lam) - lam - mp.loggamma(k + 1)) if lam > 0 else mp.mpf(k == 0)


for k, lam in [
    (0, 1e-3),
    (0, 700),
    (3, 2.5),
    (10, 0.5),
    (100, 100),
    (130, 100),
    (1e9, 1e9),
    (1e9 - 5e4, 1e9),
    (2, 1000),
    (2500, 1000),
    (40, 1e-10),
]:
    emit("pois_pmf", (k, lam), pois_pmf(k, lam), k - lam)
    lo, hi = gammainc(k + 1, lam)
    dd = lam * pois_pmf(k, lam)  # lambda * d/dlambda P(X <= k) = -lambda p(k)
    emit("pois_cdf", (k, lam), hi, dd / hi)
    emit("pois_sf", (k, lam), lo, dd / lo)


def hyp_pmf(k, N, K, n):
    k, N, K, n = int(k), int(N), int(K), int(n)
    lb = lambda n_, k_: mp.loggamma(n_ + 1) - mp.loggamma(k_ + 1) - mp.loggamma(n_ - k_ + 1)
    return mp.exp(lb(K, k) + lb(N - K, n - k) - lb(N, n))


def hyp_cdf_sf(k, N, K, n):
    k, N, K, n = int(k), int(N), int(K), int(n)
    lo_s, hi_s = max(0, n + K - N), min(n, K)
    # ratio t_{j+1}/t_j = (K-j)(n-j)/((j+1)(N-K-n+j+1))
    up = lambda j0: (
        lambda j: (
            mp.mpf(K - j0 - j) * (n - j0 - j) / ((j0 + j + 1) * mp.mpf(N - K - n + j0 + j + 1))
        )
    )
    down = lambda j0: (
        lambda j: (
            mp.mpf(j0 - j) * (N - K - n + j0 - j) / (mp.mpf(K - j0 + j + 1) * (n - j0 + j + 1))
        )
    )
    mean = mp.mpf(n) * K / N
    if k < mean:
        lo = sum_terms(hyp_pmf(k, N, K, n), down(k), k - lo_s + 1)
        return lo, 1 - lo
    hi = sum_terms(hyp_pmf(k + 1, N, K, n), up(k + 1), hi_s - k) if k < hi_s else mp.mpf(0)
    return 1 - hi, hi


for k, N, K, n in [
    (0, 100, 10, 10),
    (2, 100, 10, 10),
    (5, 50, 25, 10),
    (3, 1000, 20, 125),
    (0, 1e9, 1e7, 500),
    (10, 1e9, 1e7, 500),
    (1, 1e9, 1e7, 500),
    (50, 1e9, 1e7, 500),
    (5e3, 1e9, 5e8, 1e4),
    (4800, 1e9, 5e8, 1e4),
    (300, 1e9, 2.5e8, 1000),
    (9, 20, 15, 12),
    (40, 2000, 400, 100),
]:
    emit("hyper_pmf", (k, N, K, n), hyp_pmf(k, N, K, n))
    lo, hi = hyp_cdf_sf(k, N, K, n)
    emit("hyper_cdf", (k, N, K, n), lo)
    emit("hyper_sf", (k, N, K, n), hi)


# ---------------------------------------------------------------- noncentral t
def nct_sf(t, df, delta):
    """P(T >= t) = E_V[Phi(delta - t sqrt(V/df))], V ~ chi2(df)."""
    t, df, delta = mp.mpf(t), mp.mpf(df), mp.mpf(delta)
    h = df / 2
    dens = lambda v: mp.exp((h - 1) * mp.log(v) - v / 2 - mp.loggamma(h) - h * mp.log(2))
    f = lambda v: mp.ncdf(delta - t * mp.sqrt(v / df)) * dens(v)
    sd = mp.sqrt(2 * df)
    pts = sorted(
        {mp.mpf(0)}
        | {max(mp.mpf(0), df + k * sd) for k in range(-40, 41, 2)}
        | {df / 64, df / 16, df / 4}
    )
    return mp.quad(f, pts + [mp.inf])


def nct_cdf(t, df, delta):
    t, df, delta = mp.mpf(t), mp.mpf(df), mp.mpf(delta)
    h = df / 2
    dens = lambda v: mp.exp((h - 1) * mp.log(v) - v / 2 - mp.loggamma(h) - h * mp.log(2))
    f = lambda v: mp.ncdf(t * mp.sqrt(v / df) - delta) * dens(v)
    sd = mp.sqrt(2 * df)
    pts = sorted(
        {mp.mpf(0)}
        | {max(mp.mpf(0), df + k * sd) for k in range(-40, 41, 2)}
        | {df / 64, df / 16, df / 4}
    )
    return mp.quad(f, pts + [mp.inf])


for t, df, delta in [
    (1.5, 9, 1.0),
    (0.5, 4, 2.0),
    (-1, 10, 0.5),
    (2, 20, -1),
    (10, 99, 5),
    (3.2, 1000, 2.326),
    (60, 999, 52),
    (10, 30, 1.64),
    (3, 3, 0),
    (1.2, 15, 4),
    (25, 400, 20),
    (75, 900, 69.8),
    (0, 5, 1),
]:
    emit("nct_cdf", (t, df, delta), nct_cdf(t, df, delta))
    emit("nct_sf", (t, df, delta), nct_sf(t, df, delta))

print("func,p1,p2,p3,p4,value,cond")
print("\n".join(rows))
