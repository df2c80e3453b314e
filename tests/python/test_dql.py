"""qs.dql: ISO 2859-4 / GB/T 2828.11 DQL plans against the published cells and scipy."""

from __future__ import annotations

import math
from html.parser import HTMLParser

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize, stats

import qualstat as qs
from qualstat import dql

PREFERRED = [2, 3, 5, 8, 13, 20, 32, 50, 80, 125, 200, 315, 500, 800, 1250, 2000, 3150, 5000, 8000]


def test_published_iso2859_4_2002_cell():
    # ISO 2859-4:2002 clause 7.2 example (supervision_notes.md section 1).
    plan = qs.dql.design("0.65%", limiting_number=2)
    assert (plan.n, plan.limiting_number) == (125, 2)
    assert plan.alpha == pytest.approx(stats.binom.sf(2, 125, 0.0065), rel=1e-12)
    assert plan.alpha < 0.05
    # The next preferred size breaks the 5 % criterion.
    assert stats.binom.sf(2, 200, 0.0065) > 0.05
    assert "ISO 2859-4 risk criteria" in plan.provenance
    assert "risk criteria" in repr(plan) and "table" not in repr(plan).lower()


def test_published_iso2859_4_2020_cell_is_just_above_five_percent():
    # The 2020 example n = 127, L = 2: its exact binomial risk is above 5 %,
    # so the any-size design stops one short of it (the 2020 rule is unknown).
    assert stats.binom.sf(2, 127, 0.0065) > 0.05
    plan = dql.design(0.0065, limiting_number=2, sample_sizes="any")
    assert plan.n == 126
    assert stats.binom.sf(2, 126, 0.0065) <= 0.05


def test_five_zero_supervision_plan():
    # "(5; 0)": one nonconforming item in five contradicts 99 % conforming.
    plan = dql.design(0.01, limiting_number=0)
    assert (plan.n, plan.limiting_number) == (5, 0)
    assert plan.decide(1) == "contradicted" and plan.decide(0) == "not contradicted"
    for p in [0.001, 0.004, 0.0065, 0.02]:
        n = dql.design(p, limiting_number=0, sample_sizes="any").n
        assert n == math.floor(math.log(0.95) / math.log(1 - p))


@pytest.mark.parametrize("model", ["binomial", "poisson"])
@pytest.mark.parametrize("p", [0.0004, 0.0025, 0.0065, 0.015, 0.04, 0.1])
@pytest.mark.parametrize("limit", [0, 1, 2, 3, 6, 10])
def test_risks_match_scipy(model, p, limit):
    dist = stats.binom if model == "binomial" else stats.poisson

    def sf(n, q):
        return dist.sf(limit, n, q) if model == "binomial" else dist.sf(limit, n * q)

    def cdf(n, q):
        return dist.cdf(limit, n, q) if model == "binomial" else dist.cdf(limit, n * q)

    for sizes in ["any", "preferred"]:
        try:
            plan = dql.design(p, limiting_number=limit, sample_sizes=sizes, model=model)
        except ValueError as e:
            assert sf(1 if sizes == "any" else 2, p) > 0.05, e
            continue
        n = plan.n
        assert plan.alpha == pytest.approx(sf(n, p), rel=1e-9, abs=1e-15)
        assert plan.alpha <= 0.05
        if sizes == "any":
            assert sf(n + 1, p) > 0.05
        else:
            assert n in PREFERRED or n > 8000
            bigger = [s for s in PREFERRED if s > n]
            if bigger:
                assert sf(bigger[0], p) > 0.05
        assert cdf(n, plan.lq) == pytest.approx(0.10, rel=1e-8)
        assert plan.lqr == pytest.approx(plan.lq / p, rel=1e-12)
        ratios = np.array([0.0, 0.5, 1.0, 2.0, plan.lqr])
        ratios = ratios[ratios * p <= 1.0]
        oc = plan.prob_contradict(ratios)
        np.testing.assert_allclose(oc, sf(n, ratios * p), rtol=1e-9, atol=1e-15)


@pytest.mark.parametrize("lqr", [1.5, 2.5, 4.0, 8.0, 20.0])
@pytest.mark.parametrize("p", [0.001, 0.0065, 0.025])
def test_lqr_design_takes_smallest_limiting_number(lqr, p):
    plan = dql.design(p, lqr=lqr, sample_sizes="any")
    assert plan.lqr <= lqr and plan.alpha <= 0.05
    # With L - 1, the largest admissible n has too large an LQR (checked with scipy).
    if plan.limiting_number > 0:
        l0 = plan.limiting_number - 1
        n = 1
        while stats.binom.sf(l0, n + 1, p) <= 0.05:
            n += 1 if n < 64 else max(1, n // 64)
        while stats.binom.sf(l0, n, p) > 0.05:
            n -= 1
        lq = stats.beta.ppf(0.9, l0 + 1, n - l0)
        assert stats.binom.cdf(l0, n, lq) == pytest.approx(0.1, rel=1e-6)
        assert lq / p > lqr * (1 - 1e-9)


@pytest.mark.parametrize("population", [20, 60, 250, 1000])
@pytest.mark.parametrize("p", [0.02, 0.05, 0.1])
@pytest.mark.parametrize("limit", [0, 1, 2])
def test_population_design_against_hypergeom(population, p, limit):
    declared = math.floor(p * population + 1e-9)
    try:
        plan = dql.design(p, limiting_number=limit, population=population, sample_sizes="any")
    except ValueError:
        assert stats.hypergeom.sf(limit, population, declared, 1) > 0.05
        return
    n = plan.n
    assert plan.model == "hypergeometric" and plan.population == population
    assert plan.alpha == pytest.approx(
        stats.hypergeom.sf(limit, population, declared, n), abs=1e-12
    )
    assert plan.alpha <= 0.05
    if n < population:
        assert stats.hypergeom.sf(limit, population, declared, n + 1) > 0.05
    else:
        assert plan.full_inspection
    # Limiting count: smallest D with P(d <= L) <= 0.10.
    d1 = round(plan.lq * population)
    assert stats.hypergeom.cdf(limit, population, d1, n) <= 0.10 + 1e-12
    assert stats.hypergeom.cdf(limit, population, d1 - 1, n) > 0.10 - 1e-12
    r = np.array([0.0, 1.0, 2.0])
    want = stats.hypergeom.sf(limit, population, np.floor(r * p * population + 1e-9), n)
    np.testing.assert_allclose(plan.prob_contradict(r), want, atol=1e-12)


def test_population_preferred_reaching_n_means_full_inspection():
    plan = dql.design(0.02, limiting_number=1, population=50)
    assert plan.full_inspection and plan.n == 50 and plan.alpha == 0.0
    assert "100 % inspection" in repr(plan)


def test_decide_and_scalar_oc():
    plan = dql.design(0.0065, limiting_number=2)
    assert [plan.decide(d) for d in range(5)] == ["not contradicted"] * 3 + ["contradicted"] * 2
    assert isinstance(plan.prob_contradict(1.0), float)
    assert plan.prob_contradict(np.array([[1.0, 2.0]])).shape == (1, 2)
    with pytest.raises(ValueError, match="nonconforming"):
        plan.decide(126)
    with pytest.raises(ValueError, match="nonconforming"):
        plan.decide(-1)
    with pytest.raises(ValueError, match="quality_ratio"):
        plan.prob_contradict(-1.0)
    with pytest.raises(ValueError, match=r"quality_ratio\[1\]"):
        plan.prob_contradict([1.0, 1000.0])
    with pytest.raises(AttributeError):
        plan.n = 3  # type: ignore[misc]


def test_allocate_examples():
    assert dql.allocate(127, 5) == [26, 26, 25, 25, 25]
    assert dql.allocate(10, [100, 200, 700]) == [1, 2, 7]
    assert dql.allocate(5, [3, 7]) == [2, 3]  # quotas 1.5, 3.5: tie to the first
    assert dql.allocate(0, 3) == [0, 0, 0]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(1, 10_000), min_size=1, max_size=30), st.data())
def test_allocate_is_largest_remainder(sizes, data):
    total = sum(sizes)
    n = data.draw(st.integers(0, total))
    out = dql.allocate(n, sizes)
    assert sum(out) == n and len(out) == len(sizes)
    quotas = [n * s / total for s in sizes]
    assert all(math.floor(q) <= a <= math.ceil(q) for a, q in zip(out, quotas, strict=True))
    assert all(a <= s for a, s in zip(out, sizes, strict=True))
    # Largest remainders get the extra items.
    extra = [i for i, (a, q) in enumerate(zip(out, quotas, strict=True)) if a > math.floor(q)]
    rest = [i for i in range(len(sizes)) if i not in extra]
    rem = [n * s % total for s in sizes]
    if extra and rest:
        assert min(rem[i] for i in extra) >= max(rem[i] for i in rest)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"dql": 0.01}, ValueError, "limiting_number is not given"),
        ({"dql": 0.0, "limiting_number": 1}, ValueError, "dql"),
        ({"dql": 1.0, "limiting_number": 1}, ValueError, "dql"),
        ({"dql": float("nan"), "limiting_number": 1}, ValueError, "dql"),
        ({"dql": "1 percent", "limiting_number": 1}, ValueError, "dql"),
        ({"dql": 0.01, "limiting_number": -1}, ValueError, "limiting_number"),
        ({"dql": 0.01, "limiting_number": 1.5}, ValueError, "limiting_number"),
        ({"dql": 0.01, "limiting_number": True}, TypeError, "limiting_number"),
        ({"dql": 0.01, "lqr": 1.0}, ValueError, "lqr"),
        ({"dql": 0.01, "lqr": "2"}, TypeError, "lqr"),
        ({"dql": 0.01, "limiting_number": 1, "alpha": 0.0}, ValueError, "alpha"),
        ({"dql": 0.01, "limiting_number": 1, "beta": 1.2}, ValueError, "beta"),
        ({"dql": 0.01, "limiting_number": 1, "model": "normal"}, ValueError, "model"),
        ({"dql": 0.01, "limiting_number": 1, "sample_sizes": "all"}, ValueError, "sample_sizes"),
        ({"dql": 0.01, "limiting_number": 1, "population": 0}, ValueError, "population"),
        ({"dql": 0.5, "limiting_number": 0}, ValueError, "no sample size"),
        ({"dql": 0.01, "limiting_number": 2**62}, ValueError, "below the sample size"),
        ({"dql": 0.02, "limiting_number": 60, "population": 50}, ValueError, "below the sample"),
        ({"dql": 0.01, "limiting_number": 10**30}, ValueError, "limiting_number"),
        ({"dql": 0.01, "limiting_number": 1, "population": 10**30}, ValueError, "population"),
        ({"dql": b"1", "limiting_number": 1}, TypeError, "dql"),
        ({"dql": 0.01, "limiting_number": 0, "lqr": 2.0}, ValueError, "LQR"),
    ],
)
def test_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        dql.design(**kwargs)


def test_allocate_bad_input():
    with pytest.raises(ValueError, match="strata"):
        dql.allocate(5, 0)
    with pytest.raises(ValueError, match="strata"):
        dql.allocate(5, [])
    with pytest.raises(ValueError, match=r"strata\[1\]"):
        dql.allocate(5, [3, 0])
    with pytest.raises(ValueError, match="n = 11"):
        dql.allocate(11, [5, 5])
    with pytest.raises(TypeError, match="strata"):
        dql.allocate(5, "3")
    with pytest.raises(ValueError, match="n"):
        dql.allocate(-1, 3)


def test_poisson_dql_above_one():
    plan = dql.design(2.5, limiting_number=6, model="poisson", sample_sizes="any")
    assert plan.alpha == pytest.approx(stats.poisson.sf(6, plan.n * 2.5))
    assert stats.poisson.sf(6, (plan.n + 1) * 2.5) > 0.05


@settings(max_examples=60, deadline=None)
@given(
    st.floats(1e-4, 0.2),
    st.integers(0, 8),
    st.floats(0.01, 0.2),
    st.sampled_from(["binomial", "poisson"]),
)
def test_design_invariants(p, limit, alpha, model):
    try:
        plan = dql.design(p, limiting_number=limit, alpha=alpha, sample_sizes="any", model=model)
    except ValueError:
        return

    def sf(n):
        return (
            stats.binom.sf(limit, n, p) if model == "binomial" else stats.poisson.sf(limit, n * p)
        )

    assert plan.alpha <= alpha * (1 + 1e-9)
    assert sf(plan.n + 1) > alpha * (1 - 1e-9)
    oc = plan.prob_contradict(np.linspace(0.0, min(1.0 / p, 20.0), 30))
    assert np.all(np.diff(oc) >= -1e-12) and oc[0] == 0.0
    assert plan.prob_contradict(1.0) == pytest.approx(plan.alpha, rel=1e-12, abs=1e-300)


class _Html(HTMLParser):
    """Collects the text and checks that every opened tag is closed in order."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.cells: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        assert not attrs  # no attributes: nothing to inject into
        self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack.pop() == tag

    def handle_data(self, data):
        self.text.append(data)
        if self.stack and self.stack[-1] == "td":
            self.cells.append(data)


def _parse(page: str) -> _Html:
    parser = _Html()
    parser.feed(page)
    parser.close()
    assert parser.stack == []
    return parser


def test_repr_html_shows_the_key_numbers():
    plan = dql.design("0.65%", limiting_number=2)
    parsed = _parse(plan._repr_html_())
    cells = dict(zip(parsed.cells[::2], parsed.cells[1::2], strict=True))
    assert cells["sample size n"] == "125"
    assert cells["limiting number L"] == "2"
    assert cells["DQL"] == "0.65 % (0.0065)"
    # alpha and LQ from scipy, independently of the plan's numbers.
    alpha = stats.binom.sf(2, 125, 0.0065)
    assert cells["alpha (risk of contradicting a correct DQL)"] == f"{alpha:.4g}"
    lq = optimize.brentq(lambda q: stats.binom.cdf(2, 125, q) - 0.10, 1e-6, 0.5, xtol=1e-14)
    assert cells["LQ (not contradicted with probability 0.1)"] == f"{100 * lq:.4g} % ({lq:.6g})"
    assert cells["LQR = LQ / DQL"] == f"{lq / 0.0065:.4g}"
    assert cells["model"] == "binomial"
    assert "population N" not in cells
    # The provenance label, escaped in the page and intact in the text.
    assert dql.PROVENANCE in "".join(parsed.text)
    assert "standard&#x27;s" in plan._repr_html_()


def test_repr_html_population_and_poisson():
    plan = dql.design(0.02, limiting_number=1, population=50)
    parsed = _parse(plan._repr_html_())
    cells = dict(zip(parsed.cells[::2], parsed.cells[1::2], strict=True))
    assert cells["population N"] == "50"
    assert cells["model"] == "hypergeometric"
    assert cells["sample size n"] == "50 (100 % inspection)"
    poisson = dql.design(2.5, limiting_number=6, model="poisson", sample_sizes="any")
    cells = dict(zip(*[iter(_parse(poisson._repr_html_()).cells)] * 2, strict=True))
    assert cells["DQL"] == "250 nonconformities per 100 items (2.5 per item)"
    assert cells["model"] == "poisson"
