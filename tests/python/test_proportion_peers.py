"""proportion_ci against independent references: statsmodels, scipy, and
straightforward scipy implementations of the inverted tests."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import scipy.stats as st
from conftest import assert_close
from scipy.optimize import brentq
from statsmodels.stats.proportion import proportion_confint

import qualstat as qs

CONFIDENCES = [0.80, 0.95, 0.999]


def grid():
    """(x, n) pairs with the edge cases the issue names: 0, 1, n-1, n, n = 1, n = 10^9."""
    pairs = set()
    for n in [1, 2, 3, 10, 29, 100, 263, 1000, 12345, 10**6, 10**9]:
        for x in {0, 1, n - 1, n, n // 2, n // 3, min(n, 7)}:
            if 0 <= x <= n:
                pairs.add((x, n))
    return sorted(pairs)


GRID = grid()
X = np.array([p[0] for p in GRID])
N = np.array([p[1] for p in GRID])

# statsmodels method name -> qualstat method name
SM_METHODS = {
    "normal": "wald",
    "agresti_coull": "agresti_coull",
    "wilson": "wilson",
    "beta": "clopper_pearson",
    "jeffreys": "jeffreys",
}


def sm_interval(x, n, confidence, sm_method, bound):
    # statsmodels' one-sided naming is reversed relative to ours ("larger"
    # gives an upper bound), so one-sided bounds are taken from the two-sided
    # interval at alpha = 2 (1 - confidence) instead.
    alpha = (1 - confidence) if bound == "two-sided" else 2 * (1 - confidence)
    lo, hi = proportion_confint(x, n, alpha=alpha, method=sm_method)
    lo, hi = np.clip(np.asarray(lo, float), 0, 1), np.clip(np.asarray(hi, float), 0, 1)
    if sm_method in ("jeffreys", "wilson"):
        # statsmodels applies no boundary rule to Jeffreys (Brown-Cai-DasGupta's
        # is ours), and its Wilson formula leaves ~1e-18 instead of exact 0 / 1
        # at the boundaries (cancellation), where the Wilson limit is exact.
        lo = np.where(x == 0, 0.0, lo)
        hi = np.where(x == n, 1.0, hi)
    if bound == "lower":
        hi = np.ones_like(hi)
    if bound == "upper":
        lo = np.zeros_like(lo)
    return lo, hi


def mp_cp_upper(x, n, alpha):
    """Clopper-Pearson upper limit in 40-digit arithmetic: P(X <= x | n, p) = alpha
    summed term by term (small x only), solved by bisection."""
    from mpmath import binomial, mp, mpf

    mp.dps = 40

    def cdf(p):
        return sum(binomial(n, k) * p**k * (1 - p) ** (n - k) for k in range(x + 1))

    lo, hi = mpf(0), mpf(x + 20) / n
    for _ in range(200):
        mid = (lo + hi) / 2
        if cdf(mid) > alpha:
            lo = mid
        else:
            hi = mid
    return float((lo + hi) / 2)


@pytest.mark.parametrize("sm_method", list(SM_METHODS))
@pytest.mark.parametrize("confidence", CONFIDENCES)
@pytest.mark.parametrize("bound", ["two-sided", "lower", "upper"])
def test_matches_statsmodels(sm_method, confidence, bound):
    method = SM_METHODS[sm_method]
    ref_lo, ref_hi = sm_interval(X, N, confidence, sm_method, bound)
    if sm_method == "beta" and bound != "lower":
        # scipy's beta quantile (behind statsmodels) is only ~1e-8 relative for
        # x <= 7 at n = 10^9 (its betainc there is off by ~5e-9); the reference for
        # those cells is computed in 40-digit arithmetic instead.
        tail = (1 - confidence) / (2 if bound == "two-sided" else 1)
        for i in np.flatnonzero((N == 10**9) & (X <= 7)):
            ref_hi[i] = mp_cp_upper(int(X[i]), int(N[i]), tail)
    lo, hi = qs.proportion_ci(X, N, confidence=confidence, method=method, bound=bound)
    label = f"{method} {confidence} {bound}"
    assert_close(lo, ref_lo, label=label + " lower")
    assert_close(hi, ref_hi, label=label + " upper")
    # Scalars agree with the batch exactly.
    for i in range(0, len(GRID), 7):
        s = qs.proportion_ci(
            int(X[i]), int(N[i]), confidence=confidence, method=method, bound=bound
        )
        assert (s.lower, s.upper) == (lo[i], hi[i])


def test_exact_limits_match_betaincinv_to_1e12():
    from scipy.special import betaincinv

    rng = np.random.default_rng(1)
    n = rng.integers(1, 10**5, 20000)
    x = rng.integers(0, n + 1)
    alpha = 0.025
    lo, hi = qs.proportion_ci(x, n, method="clopper_pearson")
    with np.errstate(all="ignore"):
        ref_lo = np.where(x == 0, 0.0, betaincinv(np.maximum(x, 1), n - x + 1, alpha))
        ref_hi = np.where(x == n, 1.0, betaincinv(x + 1, np.maximum(n - x, 1), 1 - alpha))
    assert np.max(np.abs(lo - ref_lo)) < 1e-12
    assert np.max(np.abs(hi - ref_hi)) < 1e-12
    jlo, jhi = qs.proportion_ci(x, n, method="jeffreys")
    with np.errstate(all="ignore"):
        rj_lo = np.where(x == 0, 0.0, betaincinv(x + 0.5, n - x + 0.5, alpha))
        rj_hi = np.where(x == n, 1.0, betaincinv(x + 0.5, n - x + 0.5, 1 - alpha))
    assert np.max(np.abs(jlo - rj_lo)) < 1e-12
    assert np.max(np.abs(jhi - rj_hi)) < 1e-12


@pytest.mark.parametrize(
    ("scipy_method", "method"),
    [("exact", "clopper_pearson"), ("wilson", "wilson"), ("wilsoncc", "wilson_cc")],
)
@pytest.mark.parametrize("confidence", CONFIDENCES)
def test_matches_scipy_binomtest(scipy_method, method, confidence):
    for x, n in GRID:
        if n > 10**6:
            continue
        ref = st.binomtest(x, n).proportion_ci(confidence, method=scipy_method)
        got = qs.proportion_ci(x, n, confidence=confidence, method=method)
        # scipy's exact interval is solved to ~1e-12 absolute only (poor relative
        # accuracy at tiny limits): compare it absolutely at that level.
        if scipy_method == "exact":
            assert abs(got.lower - ref.low) < 2e-12, (x, n, got, ref)
            assert abs(got.upper - ref.high) < 2e-12, (x, n, got, ref)
        else:
            lo_ref, hi_ref = np.clip(ref.low, 0, 1), np.clip(ref.high, 0, 1)
            assert_close(got.lower, lo_ref, label=f"{method} {x}/{n} lower")
            assert_close(got.upper, hi_ref, label=f"{method} {x}/{n} upper")


# --- independent implementations of the inverted tests (scipy + brentq) -----


def ref_mid_p(x, n, alpha):
    lo = (
        0.0
        if x == 0
        else brentq(
            lambda p: st.binom.sf(x, n, p) + 0.5 * st.binom.pmf(x, n, p) - alpha,
            1e-300,
            1,
            xtol=1e-300,
            rtol=1e-15,
        )
    )
    hi = (
        1.0
        if x == n
        else brentq(
            lambda p: st.binom.cdf(x - 1, n, p) + 0.5 * st.binom.pmf(x, n, p) - alpha,
            0,
            1,
            xtol=1e-16,
            rtol=1e-15,
        )
    )
    return lo, hi


def ref_lr(x, n, z):
    """Likelihood-ratio limits in 40-digit arithmetic, by bisection on ln p."""
    from mpmath import exp, log, mp, mpf

    mp.dps = 40
    x_, n_ = mpf(x), mpf(n)
    ph, target = x_ / n_, mpf(z) ** 2

    def dev(p):
        a = 0 if x == 0 else x_ * log(ph / p)
        b = 0 if x == n else (n_ - x_) * log((1 - ph) / (1 - p))
        return 2 * (a + b)

    def solve(inside, outside):
        for _ in range(200):
            mid = (inside + outside) / 2
            if dev(exp(mid)) <= target:
                inside = mid
            else:
                outside = mid
        return float(exp((inside + outside) / 2))

    lo = 0.0 if x == 0 else solve(log(ph), mpf(-800))
    hi = 1.0 if x == n else solve(log(ph) if x else mpf(-800), log(1 - mpf(10) ** -30))
    return lo, hi


def ref_blaker(x, n, conf):
    """Blaker (2000): acceptability evaluated with scipy, limits by bisection on the
    predicate between the two- and one-sided Clopper-Pearson limits."""
    alpha = 1 - conf

    def acceptable(p):
        up = st.binom.sf(x - 1, n, p)
        low = st.binom.cdf(x, n, p)
        ys = np.arange(n + 1)
        if up <= low:
            tails = st.binom.cdf(ys[:x], n, p)
            other = tails[tails <= up].max(initial=0.0)
            return up + other > alpha
        tails = st.binom.sf(ys[x + 1 :] - 1, n, p)
        other = tails[tails <= low].max(initial=0.0)
        return low + other > alpha

    def lower(xx):
        a = st.beta.ppf(alpha / 2, xx, n - xx + 1)
        b = st.beta.ppf(alpha, xx, n - xx + 1)
        for _ in range(200):
            m = 0.5 * (a + b)
            if acceptable_for(xx, m):
                b = m
            else:
                a = m
        return 0.5 * (a + b)

    def acceptable_for(xx, p):
        nonlocal x
        saved, x = x, xx
        try:
            return acceptable(p)
        finally:
            x = saved

    lo = 0.0 if x == 0 else lower(x)
    hi = 1.0 if x == n else 1 - lower_sym(n - x, n, alpha)
    return lo, hi


def lower_sym(xx, n, alpha):
    def acceptable(p):
        up = st.binom.sf(xx - 1, n, p)
        low = st.binom.cdf(xx, n, p)
        ys = np.arange(n + 1)
        if up <= low:
            tails = st.binom.cdf(ys[:xx], n, p)
            return up + tails[tails <= up].max(initial=0.0) > alpha
        tails = st.binom.sf(ys[xx + 1 :] - 1, n, p)
        return low + tails[tails <= low].max(initial=0.0) > alpha

    a = st.beta.ppf(alpha / 2, xx, n - xx + 1)
    b = st.beta.ppf(alpha, xx, n - xx + 1)
    for _ in range(200):
        m = 0.5 * (a + b)
        if acceptable(m):
            b = m
        else:
            a = m
    return 0.5 * (a + b)


SMALL_GRID = [(x, n) for x, n in GRID if n <= 1000]


@pytest.mark.parametrize("confidence", CONFIDENCES)
def test_mid_p_matches_direct_inversion(confidence):
    alpha = (1 - confidence) / 2
    for x, n in SMALL_GRID:
        got = qs.proportion_ci(x, n, confidence=confidence, method="mid_p")
        ref = ref_mid_p(x, n, alpha)
        assert_close(
            [got.lower, got.upper], ref, abs_tol=1e-10, rel_tol=1e-9, label=f"mid_p {x}/{n}"
        )


@pytest.mark.parametrize("confidence", CONFIDENCES)
def test_likelihood_ratio_matches_direct_inversion(confidence):
    z = st.norm.isf((1 - confidence) / 2)
    for x, n in GRID:
        got = qs.proportion_ci(x, n, confidence=confidence, method="likelihood_ratio")
        ref = ref_lr(x, n, z)
        assert_close([got.lower, got.upper], ref, abs_tol=1e-10, rel_tol=1e-9, label=f"lr {x}/{n}")


@pytest.mark.parametrize("confidence", [0.90, 0.95, 0.99])
def test_blaker_matches_direct_inversion(confidence):
    for x, n in [(x, n) for x, n in SMALL_GRID if n <= 300]:
        got = qs.proportion_ci(x, n, confidence=confidence, method="blaker")
        ref = ref_blaker(x, n, confidence)
        assert_close(
            [got.lower, got.upper], ref, abs_tol=1e-10, rel_tol=1e-9, label=f"blaker {x}/{n}"
        )
        cp = qs.proportion_ci(x, n, confidence=confidence, method="exact")
        assert cp.lower <= got.lower + 1e-15 and got.upper <= cp.upper + 1e-15


def test_closed_forms_match_textbook_formulas():
    z = st.norm.isf(0.025)
    for x, n in GRID:
        p = x / n
        a = np.arcsin(np.sqrt(p))
        h = z / (2 * np.sqrt(n))
        ref = (np.sin(max(a - h, 0)) ** 2, np.sin(min(a + h, np.pi / 2)) ** 2)
        got = qs.proportion_ci(x, n, method="arcsine")
        assert_close([got.lower, got.upper], ref, label=f"arcsine {x}/{n}")
        got = qs.proportion_ci(x, n, method="logit")
        if 0 < x < n:
            lam = np.log(x / (n - x))
            se = np.sqrt(n / (x * (n - x)))
            ref = (1 / (1 + np.exp(-(lam - z * se))), 1 / (1 + np.exp(-(lam + z * se))))
        else:
            ref = proportion_confint(x, n, alpha=0.05, method="beta")
            ref = (0.0 if x == 0 else ref[0], 1.0 if x == n else ref[1])
        assert_close([got.lower, got.upper], ref, label=f"logit {x}/{n}")


# --- finite population ----------------------------------------------------------


def ref_finite(x, n, big_n, alpha):
    ds = np.arange(x, big_n - (n - x) + 1)
    upper_tail = st.hypergeom.sf(x - 1, big_n, ds, n)
    lower_tail = st.hypergeom.cdf(x, big_n, ds, n)
    lo = ds[upper_tail > alpha].min()
    hi = ds[lower_tail > alpha].max()
    return lo / big_n, hi / big_n


@pytest.mark.parametrize("confidence", [0.9, 0.95])
def test_finite_population_matches_enumeration(confidence):
    rng = np.random.default_rng(7)
    cases = [(0, 5, 20), (5, 5, 20), (3, 10, 10), (0, 1, 1), (12, 20, 50), (49, 50, 1000)]
    for _ in range(30):
        big_n = int(rng.integers(1, 400))
        n = int(rng.integers(1, big_n + 1))
        cases.append((int(rng.integers(0, n + 1)), n, big_n))
    xs, ns, pops = (np.array(c) for c in zip(*cases, strict=True))
    lo, hi = qs.proportion_ci(xs, ns, population=pops, confidence=confidence)
    for i, (x, n, big_n) in enumerate(cases):
        ref = ref_finite(x, n, big_n, (1 - confidence) / 2)
        assert (lo[i], hi[i]) == pytest.approx(ref, abs=1e-15), (x, n, big_n)
        s = qs.proportion_ci(x, n, population=big_n, confidence=confidence)
        assert (s.lower, s.upper) == (lo[i], hi[i])


def test_finite_population_approaches_binomial():
    # For a huge lot the hypergeometric interval tends to Clopper-Pearson.
    fin = qs.proportion_ci(45, 50, population=10**8, method="exact")
    cp = qs.proportion_ci(45, 50, method="exact")
    assert abs(fin.lower - cp.lower) < 1e-5 and abs(fin.upper - cp.upper) < 1e-5


# --- difference and rate -------------------------------------------------------


def test_difference_matches_statsmodels():
    from statsmodels.stats.proportion import confint_proportions_2indep

    rng = np.random.default_rng(3)
    cases = [
        (56, 70, 48, 80),
        (9, 10, 3, 10),
        (6, 7, 2, 7),
        (5, 56, 0, 29),
        (0, 10, 0, 20),
        (10, 10, 0, 20),
    ]
    for _ in range(100):
        n1, n2 = (int(v) for v in rng.integers(1, 500, 2))
        cases.append((int(rng.integers(0, n1 + 1)), n1, int(rng.integers(0, n2 + 1)), n2))
    for sm, ours in [("newcomb", "newcombe"), ("agresti-caffo", "agresti_caffo"), ("wald", "wald")]:
        for x1, n1, x2, n2 in cases:
            ref = confint_proportions_2indep(x1, n1, x2, n2, method=sm)
            ref = np.clip(np.asarray(ref, float), -1, 1)
            got = qs.proportion_diff_ci(x1, n1, x2, n2, method=ours)
            assert_close([got.lower, got.upper], ref, label=f"{ours} {(x1, n1, x2, n2)}")


def ref_mn(x1, n1, x2, n2, conf):
    """Miettinen-Nurminen by direct maximisation of the restricted likelihood."""
    from scipy.optimize import minimize_scalar

    z2 = st.norm.isf((1 - conf) / 2) ** 2
    p1, p2 = x1 / n1, x2 / n2
    d = p1 - p2
    big_n = n1 + n2

    def loglik(t, delta):
        t2 = t - delta
        eps = 1e-300
        return -(
            x1 * np.log(max(t, eps))
            + (n1 - x1) * np.log(max(1 - t, eps))
            + x2 * np.log(max(t2, eps))
            + (n2 - x2) * np.log(max(1 - t2, eps))
        )

    def stat(delta):
        lo, hi = max(0, delta), min(1, 1 + delta)
        t1 = minimize_scalar(
            loglik, bounds=(lo, hi), args=(delta,), method="bounded", options={"xatol": 1e-13}
        ).x
        t2 = t1 - delta
        var = (t1 * (1 - t1) / n1 + t2 * (1 - t2) / n2) * big_n / (big_n - 1)
        return (d - delta) ** 2 - z2 * var

    def flip(outside, inside):
        # The acceptance set is an interval around d; stat touches 0 at d itself
        # when both samples are at a boundary, so bisect on stat <= 0.
        for _ in range(100):
            mid = 0.5 * (outside + inside)
            if stat(mid) <= 0:
                inside = mid
            else:
                outside = mid
        return 0.5 * (outside + inside)

    lo = -1.0 if d <= -1 else flip(-1.0, d)
    hi = 1.0 if d >= 1 else flip(1.0, d)
    return lo, hi


def test_miettinen_nurminen_matches_direct_computation():
    cases = [
        (56, 70, 48, 80),
        (9, 10, 3, 10),
        (6, 7, 2, 7),
        (5, 56, 0, 29),
        (0, 10, 0, 20),
        (10, 10, 0, 20),
        (1, 1, 0, 1),
        (30, 40, 35, 40),
    ]
    for c in cases:
        got = qs.proportion_diff_ci(*c, method="miettinen_nurminen")
        ref = ref_mn(*c, 0.95)
        assert_close([got.lower, got.upper], ref, abs_tol=2e-6, label=f"MN {c}")


@pytest.mark.parametrize(
    ("sm", "ours"),
    [("exact-c", "exact"), ("wald", "wald"), ("score", "score"), ("jeff", "jeffreys")],
)
def test_rate_matches_statsmodels(sm, ours):
    from statsmodels.stats.rates import confint_poisson

    for k in [0, 1, 2, 5, 17, 100, 10**4]:
        for t in [0.5, 1.0, 37.0, 1e4]:
            ref = np.asarray(confint_poisson(k, t, method=sm), float)
            ref = np.maximum(ref, 0.0)
            if ours == "jeffreys" and k == 0:
                ref[0] = 0.0
            got = qs.rate_ci(k, t, method=ours)
            assert_close(
                [got.lower, got.upper], ref, abs_tol=1e-10, rel_tol=1e-9, label=f"{ours} {k}/{t}"
            )


def test_demonstration_sample_size_matches_search_with_scipy():
    for rate, conf, f in itertools.product(
        [0.9, 0.95, 0.99, 0.999], [0.8, 0.9, 0.95, 0.99], [0, 1, 2, 5]
    ):
        n = qs.demonstration_sample_size(rate, conf, failures=f)
        assert st.binom.cdf(f, n, 1 - rate) <= 1 - conf + 1e-15
        assert st.binom.cdf(f, n - 1, 1 - rate) > 1 - conf


# --- one-sided bounds and tests of a difference (issue 9) ------------------------


def _diff_cases():
    rng = np.random.default_rng(11)
    cases = [(56, 70, 48, 80), (9, 10, 3, 10), (5, 56, 0, 29), (0, 10, 0, 20), (10, 10, 0, 20)]
    for _ in range(150):
        n1, n2 = (int(v) for v in rng.integers(1, 400, 2))
        cases.append((int(rng.integers(0, n1 + 1)), n1, int(rng.integers(0, n2 + 1)), n2))
    return cases


@pytest.mark.parametrize("bound", ["lower", "upper"])
def test_one_sided_difference_matches_statsmodels(bound):
    from statsmodels.stats.proportion import confint_proportions_2indep

    for sm, ours in [("newcomb", "newcombe"), ("agresti-caffo", "agresti_caffo"), ("wald", "wald")]:
        for x1, n1, x2, n2 in _diff_cases():
            # A one-sided bound at 95 % is the limit of the two-sided interval at 90 %.
            ref = confint_proportions_2indep(x1, n1, x2, n2, method=sm, alpha=0.10)
            ref = np.clip(np.asarray(ref, float), -1, 1)
            ref = [ref[0], 1.0] if bound == "lower" else [-1.0, ref[1]]
            got = qs.proportion_diff_ci(x1, n1, x2, n2, method=ours, bound=bound)
            assert_close([got.lower, got.upper], ref, label=f"{ours} {bound} {(x1, n1, x2, n2)}")


@pytest.mark.parametrize(
    ("sm", "ours"),
    [("exact-c", "exact"), ("wald", "wald"), ("score", "score"), ("jeff", "jeffreys")],
)
@pytest.mark.parametrize("bound", ["lower", "upper"])
def test_one_sided_rate_matches_statsmodels(sm, ours, bound):
    from statsmodels.stats.rates import confint_poisson

    for k in [0, 1, 2, 5, 17, 100, 10**4]:
        for t in [0.5, 37.0, 1e4]:
            ref = np.maximum(np.asarray(confint_poisson(k, t, method=sm, alpha=0.10), float), 0)
            if ours == "jeffreys" and k == 0:
                ref[0] = 0.0
            ref = [ref[0], np.inf] if bound == "lower" else [0.0, ref[1]]
            got = qs.rate_ci(k, t, method=ours, bound=bound)
            assert got.upper == ref[1] if bound == "lower" else got.lower == ref[0]
            i = 0 if bound == "lower" else 1
            assert_close(
                [got[i]], [ref[i]], abs_tol=1e-10, rel_tol=1e-9, label=f"{ours} {k}/{t} {bound}"
            )


@pytest.mark.parametrize("alternative", ["two-sided", "greater", "less"])
def test_difference_test_matches_statsmodels(alternative):
    """test_proportions_2indep(compare="diff"): Wald and Agresti-Caffo at any delta,
    the score test (correction=True, i.e. Miettinen-Nurminen) at delta = 0."""
    from statsmodels.stats.proportion import test_proportions_2indep

    sm_alt = {"two-sided": "two-sided", "greater": "larger", "less": "smaller"}[alternative]
    cases = _diff_cases()
    x1, n1, x2, n2 = (np.array(c) for c in zip(*cases, strict=True))
    methods = [("wald", "wald", {}), ("agresti-caffo", "agresti_caffo", {})]
    methods.append(("score", "score", {"correction": True}))
    for sm, ours, extra in methods:
        for delta in [0.0, 0.1, -0.25] if ours != "score" else [0.0]:
            batch = qs.proportion_diff_test(
                x1, n1, x2, n2, delta=delta, method=ours, alternative=alternative
            )
            for i, c in enumerate(cases):
                with np.errstate(all="ignore"):
                    ref = test_proportions_2indep(
                        *c, value=delta, method=sm, compare="diff", alternative=sm_alt, **extra
                    )
                one = qs.proportion_diff_test(*c, delta=delta, method=ours, alternative=alternative)
                assert (one.statistic, one.p_value) == (batch.statistic[i], batch.p_value[i])
                if not np.isfinite(ref.statistic):
                    # statsmodels divides by a zero variance; ours takes the limit.
                    assert np.isfinite(one.p_value)
                    continue
                label = f"{ours} {alternative} {delta} {c}"
                assert_close([one.statistic], [ref.statistic], rel_tol=1e-11, label=label)
                assert_close([one.p_value], [ref.pvalue], abs_tol=1e-14, rel_tol=1e-11, label=label)


def test_score_test_is_dual_to_the_miettinen_nurminen_interval():
    """At delta = either limit of the MN interval at confidence c, the two-sided score
    test has p = 1 - c; at delta != 0 the statistic matches a direct maximisation of
    the restricted likelihood (statsmodels' restricted estimates do not maximise it
    there, so it is not the reference)."""
    from scipy.optimize import minimize_scalar

    for c in [(56, 70, 48, 80), (9, 10, 3, 10), (36, 288, 134, 203), (5, 56, 0, 29)]:
        ci = qs.proportion_diff_ci(*c, method="miettinen_nurminen", confidence=0.95)
        for limit in (ci.lower, ci.upper):
            if abs(limit) < 1:
                p = qs.proportion_diff_test(*c, delta=limit).p_value
                assert p == pytest.approx(0.05, abs=1e-9), (c, limit, p)
        x1, n1, x2, n2 = c
        for delta in (0.1, -0.2):

            def nll(t, delta=delta, x1=x1, n1=n1, x2=x2, n2=n2):
                t2 = t - delta
                return -(
                    x1 * np.log(t)
                    + (n1 - x1) * np.log1p(-t)
                    + x2 * np.log(t2)
                    + (n2 - x2) * np.log1p(-t2)
                )

            lo, hi = max(0, delta) + 1e-12, min(1, 1 + delta) - 1e-12
            t1 = minimize_scalar(nll, bounds=(lo, hi), method="bounded", options={"xatol": 1e-13}).x
            t2 = t1 - delta
            big_n = n1 + n2
            var = (t1 * (1 - t1) / n1 + t2 * (1 - t2) / n2) * big_n / (big_n - 1)
            ref = (x1 / n1 - x2 / n2 - delta) / np.sqrt(var)
            got = qs.proportion_diff_test(*c, delta=delta).statistic
            assert got == pytest.approx(ref, rel=1e-7), (c, delta)
