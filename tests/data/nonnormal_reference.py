"""Independent scipy reference values for tests/capability_nonnormal.rs.

Run with /work/main/.venv/bin/python tests/data/nonnormal_reference.py and
paste the output. Nothing here calls qualstat.
"""

import numpy as np
from scipy import optimize, special, stats

rng = np.random.default_rng(4)
P_LOW = stats.norm.cdf(-3)
LSL, USL = 0.2, 9.0
samples = {
    "lognormal": np.round(rng.lognormal(0.5, 0.6, 80), 5),
    "weibull": np.round(2.5 * rng.weibull(1.7, 80), 5),
    "gamma": np.round(rng.gamma(3.0, 0.7, 80), 5),
}


def weibull_ml(x):
    # Score equation of the shape, solved to machine precision (scipy's
    # generic fit() stops at its optimiser tolerance, ~1e-5).
    lx = np.log(x)
    g = lambda k: np.sum(x**k * lx) / np.sum(x**k) - 1 / k - lx.mean()  # noqa: E731
    k = optimize.brentq(g, 0.05, 50, xtol=1e-15)
    lam = np.mean(x**k) ** (1 / k)
    assert abs(k / stats.weibull_min.fit(x, floc=0)[0] - 1) < 1e-3
    return stats.weibull_min(k, 0, lam)


def gamma_ml(x):
    s = np.log(x.mean()) - np.log(x).mean()
    a = optimize.brentq(lambda a: np.log(a) - special.digamma(a) - s, 1e-3, 1e3, xtol=1e-15)
    assert abs(a / stats.gamma.fit(x, floc=0)[0] - 1) < 1e-3
    return stats.gamma(a, 0, x.mean() / a)


frozen = {
    "lognormal": lambda x: stats.lognorm(*stats.lognorm.fit(x, floc=0)),
    "weibull": weibull_ml,
    "gamma": gamma_ml,
    "normal": lambda x: stats.norm(x.mean(), x.std()),
}


def ad(x, d):
    x = np.sort(x)
    n = len(x)
    i = np.arange(1, n + 1)
    return -n - np.sum((2 * i - 1) * (d.logcdf(x) + d.logsf(x[::-1]))) / n


def indices(lo, med, hi):
    return [(USL - LSL) / (hi - lo), (med - LSL) / (med - lo), (USL - med) / (hi - med)]


for name, x in samples.items():
    print(f"const {name.upper()}: [f64; 80] = [" + ", ".join(repr(float(v)) for v in x) + "];")
    for model in ["normal", "lognormal", "weibull", "gamma"]:
        d = frozen[model](x)
        q = [d.ppf(P_LOW), d.ppf(0.5), d.isf(P_LOW)]
        vals = q + indices(*q) + [ad(x, d), 1e6 * (d.cdf(LSL) + d.sf(USL))]
        print(f"// data {name}, model {model}: p_low, median, p_high, pp, ppl, ppu, A2, ppm")
        print(f'("{name}", "{model}", [' + ", ".join(repr(float(v)) for v in vals) + "]),")
    q = np.quantile(x, [P_LOW, 0.5, 1 - P_LOW], method="weibull")  # Hyndman-Fan type 6
    print(f"// data {name}, nonparametric (numpy method='weibull' = type 6)")
    print(
        f'("{name}", "nonparametric", ['
        + ", ".join(repr(float(v)) for v in list(q) + indices(*q))
        + "]),"
    )
    print(
        f"// boxcox_normmax(mle) = {float(stats.boxcox_normmax(x, method='mle'))!r}, "
        f"llf(0.3) = {float(stats.boxcox_llf(0.3, x))!r}"
    )
