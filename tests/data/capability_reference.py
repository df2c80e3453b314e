"""Independent numpy/scipy reference values for tests/capability_normal.rs.

Run with /work/main/.venv/bin/python tests/data/capability_reference.py; the
printed numbers are pasted into the Rust test. Nothing here calls qualstat.
"""

import numpy as np
from scipy import integrate, special, stats
from statsmodels.stats.diagnostic import normal_ad

rng = np.random.default_rng(20261128)
x = np.round(rng.normal(10.0, 0.5, 60) + np.repeat(rng.normal(0, 0.2, 12), 5), 4)
sizes_uneq = [3, 5, 4, 6, 2, 5, 7, 4, 3, 5, 6, 4, 6]  # sums to 60
LSL, USL, T, conf = 8.7, 11.6, 10.2, 0.95


def c4(n):
    return np.sqrt(2 / (n - 1)) * np.exp(special.gammaln(n / 2) - special.gammaln((n - 1) / 2))


def d2(n):
    return integrate.quad(
        lambda t: 1 - stats.norm.cdf(t) ** n - stats.norm.sf(t) ** n, -np.inf, np.inf, epsabs=1e-14
    )[0]


def d3(n):
    F = lambda w: (  # noqa: E731
        n
        * integrate.quad(
            lambda t: stats.norm.pdf(t) * (stats.norm.cdf(t + w) - stats.norm.cdf(t)) ** (n - 1),
            -12,
            12,
            epsabs=1e-14,
        )[0]
    )
    m2 = integrate.quad(lambda w: 2 * w * (1 - F(w)), 0, 30, epsabs=1e-12, limit=200)[0]
    return np.sqrt(m2 - d2(n) ** 2)


def groups(sizes):
    return np.split(x, np.cumsum(sizes)[:-1])


def report(label, sigma, df):
    n = len(x)
    m, s = x.mean(), x.std(ddof=1)
    cp = (USL - LSL) / (6 * sigma)
    cpl, cpu = (m - LSL) / (3 * sigma), (USL - m) / (3 * sigma)
    cpk = min(cpl, cpu)
    pp = (USL - LSL) / (6 * s)
    ppk = min((m - LSL) / (3 * s), (USL - m) / (3 * s))
    tau = np.sqrt(((x - T) ** 2).sum() / (n - 1))
    cpm = min(T - LSL, USL - T) / (3 * tau)
    a = (m - T) / s
    nu_cpm = n * (1 + a * a) ** 2 / (1 + 2 * a * a)
    z = stats.norm.ppf(0.5 + conf / 2)
    chi = lambda c, nu: (  # noqa: E731
        c * np.sqrt(stats.chi2.ppf((1 - conf) / 2, nu) / nu),
        c * np.sqrt(stats.chi2.ppf((1 + conf) / 2, nu) / nu),
    )
    bis = lambda c, nu: (  # noqa: E731
        c - z * np.sqrt(1 / (9 * n) + c * c / (2 * nu)),
        c + z * np.sqrt(1 / (9 * n) + c * c / (2 * nu)),
    )
    ppm_w = 1e6 * (stats.norm.cdf((LSL - m) / sigma) + stats.norm.sf((USL - m) / sigma))
    ppm_o = 1e6 * (stats.norm.cdf((LSL - m) / s) + stats.norm.sf((USL - m) / s))
    zb_w = -stats.norm.ppf(ppm_w / 1e6)
    print(f"// {label}")
    vals = dict(
        sigma=sigma,
        df=df,
        cp=cp,
        cpl=cpl,
        cpu=cpu,
        cpk=cpk,
        pp=pp,
        ppk=ppk,
        cpm=cpm,
        cp_lo=chi(cp, df)[0],
        cp_hi=chi(cp, df)[1],
        cpk_lo=bis(cpk, df)[0],
        cpk_hi=bis(cpk, df)[1],
        pp_lo=chi(pp, n - 1)[0],
        pp_hi=chi(pp, n - 1)[1],
        ppk_lo=bis(ppk, n - 1)[0],
        ppk_hi=bis(ppk, n - 1)[1],
        cpm_lo=chi(cpm, nu_cpm)[0],
        cpm_hi=chi(cpm, nu_cpm)[1],
        ppm_w=ppm_w,
        ppm_o=ppm_o,
        zb_w=zb_w,
        cp_lower_bound=cp * np.sqrt(stats.chi2.ppf(1 - conf, df) / df),
        cpk_lower_bound=cpk - stats.norm.ppf(conf) * np.sqrt(1 / (9 * n) + cpk * cpk / (2 * df)),
    )
    print("    &[" + ", ".join(f'("{k}", {float(v)!r})' for k, v in vals.items()) + "],")


print("const DATA: [f64; 60] = [" + ", ".join(repr(float(v)) for v in x) + "];")
print("const SIZES: [usize; 13] = " + repr(sizes_uneq) + ";")
ad = normal_ad(x)
print(f"const AD: (f64, f64) = ({float(ad[0])!r}, {float(ad[1])!r}); // statsmodels normal_ad")
eq = groups([5] * 12)
d = sum(len(g) - 1 for g in eq)
report("pooled, size 5", np.sqrt(sum(((g - g.mean()) ** 2).sum() for g in eq) / d) / c4(d + 1), d)
report("rbar, size 5", np.mean([np.ptp(g) for g in eq]) / d2(5), 0.9 * 12 * 4)
report("sbar, size 5", np.mean([g.std(ddof=1) for g in eq]) / c4(5), 0.95 * 12 * 4)
report("mr, individuals", np.mean(np.abs(np.diff(x))) / d2(2), 59)
report(
    "median_mr, individuals",
    np.median(np.abs(np.diff(x))) / (np.sqrt(2) * stats.norm.ppf(0.75)),
    59,
)
un = groups(sizes_uneq)
du = sum(len(g) - 1 for g in un)
report(
    "pooled, unequal", np.sqrt(sum(((g - g.mean()) ** 2).sum() for g in un) / du) / c4(du + 1), du
)
f = np.array([(d2(len(g)) / d3(len(g))) ** 2 for g in un])
r = np.array([np.ptp(g) / d2(len(g)) for g in un])
nbar = 60 / 13
report("rbar, unequal", (f * r).sum() / f.sum(), 0.9 * 13 * (nbar - 1))
h = np.array([c4(len(g)) ** 2 / (1 - c4(len(g)) ** 2) for g in un])
sv = np.array([g.std(ddof=1) / c4(len(g)) for g in un])
report("sbar, unequal (n-bar 4.6 -> f 0.95)", (h * sv).sum() / h.sum(), 0.95 * 13 * (nbar - 1))
