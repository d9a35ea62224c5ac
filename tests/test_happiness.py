"""Tests of chiso.happiness: Alkire–Foster, CB-HPI, intervals, decomposition, weights."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from chiso.happiness import (
    AgeGroups,
    Scheme,
    SurveyDesign,
    alkire_foster,
    decompose,
    default_variants,
    poststratify,
    score_communes,
    score_persons,
    score_survey,
    sensitivity,
)
from chiso.methodology import Method, Reporting, default_methodology

# --------------------------------------------------------------------------------
# Alkire–Foster: the published example and hand-computed cases
# --------------------------------------------------------------------------------

# Alkire and Foster (2011), J. Public Economics 95, section 4: four people, four
# dimensions, achievement matrix y and deprivation cut-offs z = (13, 12, 3, 1).
AF_Y = np.array([[13.1, 14, 4, 1], [15.2, 7, 5, 0], [12.5, 10, 1, 0], [20, 11, 3, 1]])
AF_Z = np.array([13, 12, 3, 1])


def test_alkire_foster_published_example_k2() -> None:
    # The paper's dual cut-off k = 2 (of 4 equally weighted dimensions): persons 2 and 3
    # are poor, H = 1/2, A = 3/4, M0 = H·A = 6/16 = 0.375.
    result = alkire_foster(AF_Y, AF_Z, k=2 / 4)
    h, a, m0 = result.H, result.A, result.M0
    assert (h, a, m0) == pytest.approx((0.5, 0.75, 0.375))
    np.testing.assert_array_equal(result.deprivation_scores * 4, [0, 2, 4, 1])
    np.testing.assert_array_equal(result.poor, [False, True, True, False])
    # g0(k): person 4's single deprivation is censored.
    np.testing.assert_array_equal(
        result.censored_deprivations, [[0, 0, 0, 0], [0, 1, 0, 1], [1, 1, 1, 1], [0, 0, 0, 0]]
    )
    np.testing.assert_allclose(result.censored_headcounts, [0.25, 0.5, 0.25, 0.5])
    np.testing.assert_allclose(result.uncensored_headcounts, [0.25, 0.75, 0.25, 0.5])
    np.testing.assert_allclose(result.contributions, [100 / 6, 100 / 3, 100 / 6, 100 / 3])


@pytest.mark.parametrize(
    ("k", "h", "a", "m0"),
    [
        (0.25, 3 / 4, 7 / 12, 7 / 16),  # union: anyone deprived in something
        (0.75, 1 / 4, 1.0, 1 / 4),  # three of four: only person 3
        (1.0, 1 / 4, 1.0, 1 / 4),  # intersection
    ],
)
def test_alkire_foster_example_other_cutoffs(k: float, h: float, a: float, m0: float) -> None:
    result = alkire_foster(AF_Y, AF_Z, k=k)
    got = (result.H, result.A, result.M0)
    assert got == pytest.approx((h, a, m0))


def test_alkire_foster_weights_and_sample_weights_by_hand() -> None:
    y = [[0, 0, 1], [0, 1, 1], [1, 1, 1]]
    # Dimension 1 weighs half: person 1 (deprived in 1 and 2) has c = 0.75, person 2 c = 0.5.
    result = alkire_foster(y, [1, 1, 1], weights=[2, 1, 1], k=0.5, sample_weights=[1, 3, 4])
    np.testing.assert_allclose(result.weights, [0.5, 0.25, 0.25])
    np.testing.assert_allclose(result.deprivation_scores, [0.75, 0.5, 0])
    h, a, m0 = result.H, result.A, result.M0
    assert h == pytest.approx(4 / 8)
    assert m0 == pytest.approx((0.75 * 1 + 0.5 * 3) / 8)
    assert a == pytest.approx(m0 / h)
    assert result.contributions.sum() == pytest.approx(100)


def test_alkire_foster_nobody_poor() -> None:
    result = alkire_foster([[5, 5]], [1, 1], k=0.5)
    assert (result.H, result.A, result.M0) == (0, 0, 0)
    np.testing.assert_array_equal(result.contributions, [0, 0])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"k": 0}, "k must be"),
        ({"k": 1.5}, "k must be"),
        ({"k": 0.5, "weights": [1, -1, 1, 1]}, "non-negative"),
        ({"k": 0.5, "weights": [1, 1]}, "4 entries"),
        ({"k": 0.5, "sample_weights": [1, 1]}, "4 entries"),
    ],
)
def test_alkire_foster_rejects_bad_arguments(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        alkire_foster(AF_Y, AF_Z, **kwargs)  # type: ignore[arg-type]


_finite = st.floats(-1e6, 1e6, allow_nan=False)


@settings(max_examples=150, deadline=None)
@given(
    data=st.integers(1, 6).flatmap(
        lambda d: st.tuples(
            arrays(np.float64, st.tuples(st.integers(0, 12), st.just(d)), elements=_finite),
            arrays(np.float64, (d,), elements=_finite),
            arrays(np.float64, (d,), elements=st.floats(0.01, 10)),
        )
    ),
    k=st.floats(0.001, 1.0),
)
def test_alkire_foster_properties(data: tuple[npt.NDArray[np.float64], ...], k: float) -> None:
    y, z, w = data
    result = alkire_foster(y, z, weights=w, k=k)
    for value in (result.H, result.A, result.M0):
        assert 0 <= value <= 1 + 1e-12
    m0 = result.M0
    assert m0 == pytest.approx(result.H * result.A, abs=1e-12)
    if result.M0 > 0:
        assert result.contributions.sum() == pytest.approx(100)
    assert np.all(result.censored_deprivations <= (y < z))


# --------------------------------------------------------------------------------
# CB-HPI: person and commune
# --------------------------------------------------------------------------------


def _scheme(d: int = 4, k: float = 0.66, method: Method = Method.GNH) -> Scheme:
    return Scheme(
        indicators=tuple(f"i{j}" for j in range(d)),
        domains=tuple(f"d{j // 2}" for j in range(d)),
        weights=np.ones(d),
        cutoffs=np.full(d, 0.5),
        k=k,
        method=method,
    )


def _one_commune(n: int) -> SurveyDesign:
    return SurveyDesign.build(np.full(n, "00001"), np.arange(n) % 5)


def test_everyone_sufficient_gives_100_and_nobody_gives_0() -> None:
    design = _one_commune(40)
    full = score_communes(np.ones((40, 4)), design, _scheme(), interval="none")
    empty = score_communes(np.zeros((40, 4)), design, _scheme(), interval="none")
    assert full.commune("00001").score == 100
    assert empty.commune("00001").score == 0
    assert empty.commune("00001").H_U == 1 and empty.commune("00001").A_U == 1


def test_commune_score_by_hand() -> None:
    # S = 1, 0.75, 0.5, 0.25 (4 equal indicators), k = 0.66: persons 3 and 4 not happy.
    a = np.array([[1, 1, 1, 1], [1, 1, 1, 0], [1, 1, 0, 0], [1, 0, 0, 0]], dtype=float)
    report = score_communes(a, SurveyDesign.build(["x"] * 4), _scheme(), interval="none")
    commune = report.commune("x")
    h_u, a_u = commune.H_U, commune.A_U
    assert (h_u, a_u) == pytest.approx((0.5, (0.5 + 0.75) / 2))
    assert commune.score == pytest.approx(100 * (1 - 0.5 * 0.625))
    assert commune.score == pytest.approx(100 * (1 - commune.H_U * commune.A_U))
    assert commune.bands == pytest.approx(
        {"unhappy": 0.25, "narrowly_happy": 0.25, "extensively_happy": 0.25, "deeply_happy": 0.25}
    )
    # Shortfall by indicator: i1 once (person 4), i2 twice, i3 twice, of 5 deprivations.
    assert commune.indicator_contributions == pytest.approx({"i0": 0, "i1": 20, "i2": 40, "i3": 40})
    assert commune.domain_contributions == pytest.approx({"d0": 20, "d1": 80})


@pytest.mark.parametrize(
    ("share", "band"),
    [(0.49, "unhappy"), (0.50, "narrowly_happy"), (0.65, "narrowly_happy"), (0.66, "extensively_happy"),
     (0.76, "extensively_happy"), (0.77, "deeply_happy"), (1.0, "deeply_happy")],
)  # fmt: skip
def test_gnh_bands(share: float, band: str) -> None:
    # 100 equal indicators: S is exactly the share of ones.
    a = np.zeros((1, 100))
    a[0, : round(share * 100)] = 1
    scheme = _scheme(100)
    persons = score_persons(a, scheme)
    assert scheme.bands[int(persons.band[0])].code == band
    assert bool(persons.happy[0]) == (share >= 0.66)


def test_raising_one_answer_never_lowers_the_score() -> None:
    rng = np.random.default_rng(5)
    methodology = default_methodology()
    scheme = Scheme.from_methodology(methodology)
    a = rng.choice([0.0, 0.25, 0.5, 0.75, 1.0], size=(60, 30))
    design = _one_commune(60)
    for method in (Method.GNH, Method.MEAN_SCORE):
        s = scheme.replace(method=method)
        before = score_communes(a, design, s, interval="none").commune("00001").score
        for _ in range(40):
            i, j = rng.integers(60), rng.integers(30)
            raised = a.copy()
            raised[i, j] = min(1.0, raised[i, j] + 0.25)
            after = score_communes(raised, design, s, interval="none").commune("00001").score
            assert after >= before - 1e-12


def test_scaling_weights_changes_nothing() -> None:
    rng = np.random.default_rng(2)
    a = rng.random((50, 4))
    v = rng.random(50) + 0.5
    design = SurveyDesign.build(np.array(["a", "b"])[np.arange(50) % 2], np.arange(50) % 7, v)
    scaled = SurveyDesign.build(np.array(["a", "b"])[np.arange(50) % 2], np.arange(50) % 7, v * 13)
    base = _scheme()
    heavier = base.replace(weights=base.weights * 9)
    r1 = score_communes(a, design, base, interval="none").scores
    r2 = score_communes(a, scaled, heavier, interval="none").scores
    assert r1 == pytest.approx(r2)


def test_mean_score_method_is_the_weighted_mean_achievement() -> None:
    a = np.array([[1, 0.5, 0, 1], [0.25, 0.25, 0.25, 0.25]])
    design = SurveyDesign.build(["x", "x"], weights=[1, 3])
    report = score_communes(a, design, _scheme(method=Method.MEAN_SCORE), interval="none")
    assert report.commune("x").score == pytest.approx(100 * (0.625 * 1 + 0.25 * 3) / 4)
    assert sum(report.commune("x").indicator_contributions.values()) == pytest.approx(100)


def test_unanswered_indicators_are_left_out_and_sparse_answers_excluded() -> None:
    a = np.array([[1, 1, 1, np.nan], [1, np.nan, np.nan, 0], [0, 0, 0, 0]])
    rules = Reporting(min_answered_share=0.75)
    report = score_communes(a, SurveyDesign.build(["x"] * 3), _scheme(), interval="none", rules=rules)
    # Person 1: 3 of 3 answered sufficient (S = 1); person 2 answered half: excluded.
    assert report.excluded == 1
    assert report.commune("x").n == 2
    assert report.commune("x").score == pytest.approx(50)
    for method in (Method.GNH, Method.MEAN_SCORE):
        c = score_communes(
            a, SurveyDesign.build(["x"] * 3), _scheme(method=method), interval="none", rules=rules
        )
        assert sum(c.overall.indicator_contributions.values()) == pytest.approx(100)
        assert c.overall.indicator_contributions["i3"] == pytest.approx(
            100 / 4 if method is Method.GNH else 25
        )


# --------------------------------------------------------------------------------
# Decomposition, sensitivity
# --------------------------------------------------------------------------------


def test_subgroup_values_add_back_to_the_total() -> None:
    rng = np.random.default_rng(11)
    a = rng.random((500, 6))
    v = rng.random(500) + 0.2
    sex = rng.choice(["nam", "nữ"], 500)
    age = AgeGroups().name(rng.integers(18, 90, 500))
    assert set(age) == {"18–29", "30–44", "45–59", "60+"}
    for method in (Method.GNH, Method.MEAN_SCORE):
        scheme = _scheme(6, method=method)
        for groups in (sex, age, rng.choice(["Tày", "Nùng", "Mông", "Dao"], 500)):
            result = decompose(a, groups, scheme, weights=v)
            assert result.recombined() == pytest.approx(result.score, abs=1e-10)
            assert sum(g.share for g in result.groups) == pytest.approx(1)
            assert sum(g.contribution for g in result.groups) == pytest.approx(100)
        total = score_communes(a, SurveyDesign.build(np.zeros(500), weights=v), scheme, interval="none")
        assert result.score == pytest.approx(total.overall.score)


def test_commune_scores_add_back_to_the_province() -> None:
    rng = np.random.default_rng(4)
    a = rng.random((300, 4))
    communes = rng.choice(["a", "b", "c"], 300)
    report = score_communes(a, SurveyDesign.build(communes), _scheme(), interval="none")
    shares = {c.code: c.weight / report.overall.weight for c in report.communes}
    assert sum(shares[c.code] * c.score for c in report.communes) == pytest.approx(report.overall.score)


def test_sensitivity_reports_ranks_under_each_variant() -> None:
    rng = np.random.default_rng(8)
    quality = np.repeat([0.2, 0.0, -0.2, 0.1], 100)
    a = np.clip(rng.random((400, 30)) + quality[:, None], 0, 1)
    design = SurveyDesign.build(np.repeat(["A", "B", "C", "D"], 100))
    scheme = Scheme.from_methodology(default_methodology())
    report = sensitivity(a, design, scheme)
    codes = [v.code for v in report.variants]
    assert codes == ["base", "k=0.5", "k=0.77", "equal_indicators", "mean_score"]
    a_rank = report.commune("A")
    assert a_rank.ranks["base"] == 1 and a_rank.rank_min == 1
    assert all(1 <= r <= 4 for c in report.communes for r in c.ranks.values() if r is not None)
    assert all(c.rank_range is not None and c.rank_range >= 0 for c in report.communes)
    # The base variant's scores are score_communes' scores.
    base = score_communes(a, design, scheme, interval="none").scores
    assert {c.code: c.scores["base"] for c in report.communes} == pytest.approx(base)


def test_default_variants_with_unequal_domain_weights() -> None:
    scheme = _scheme(4).replace(weights=np.array([3.0, 1, 1, 1]))
    codes = [v.code for v in default_variants(scheme)]
    assert "equal_domains" in codes and "equal_indicators" in codes


# --------------------------------------------------------------------------------
# Intervals and flags
# --------------------------------------------------------------------------------


def _clustered(n_villages: int, per_village: int, seed: int) -> tuple[npt.NDArray[np.float64], SurveyDesign]:
    rng = np.random.default_rng(seed)
    village = np.repeat(np.arange(n_villages), per_village)
    effect = rng.normal(0, 0.15, n_villages)[village]
    a = np.clip(rng.random((village.size, 8)) * 0.9 + 0.15 + effect[:, None], 0, 1)
    return a, SurveyDesign.build(np.full(village.size, "c1"), village)


def test_bootstrap_is_reproducible_and_contains_the_estimate() -> None:
    a, design = _clustered(12, 25, seed=1)
    scheme = _scheme(8)
    first = score_communes(a, design, scheme, seed=7).commune("c1")
    again = score_communes(a, design, scheme, seed=7).commune("c1")
    other = score_communes(a, design, scheme, seed=8).commune("c1")
    assert (first.ci_low, first.ci_high) == (again.ci_low, again.ci_high)
    assert first.ci_low != other.ci_low
    assert first.ci_low < first.score < first.ci_high
    pct = score_communes(a, design, scheme, seed=7, interval="bootstrap-percentile").commune("c1")
    assert pct.ci_low < pct.score < pct.ci_high


def test_interval_narrows_with_more_villages() -> None:
    scheme = _scheme(8)
    widths = []
    for villages in (6, 24, 96):
        a, design = _clustered(villages, 20, seed=3)
        c = score_communes(a, design, scheme, replicates=300).commune("c1")
        widths.append(c.ci_high - c.ci_low)
    assert widths[0] > widths[1] > widths[2]


def test_taylor_and_bootstrap_agree_on_a_large_sample() -> None:
    a, design = _clustered(200, 30, seed=9)
    scheme = _scheme(8)
    boot = score_communes(a, design, scheme, replicates=1000, seed=1).commune("c1")
    taylor = score_communes(a, design, scheme, interval="taylor").commune("c1")
    assert boot.score == taylor.score
    assert boot.se == pytest.approx(taylor.se, rel=0.15)
    assert (boot.ci_low, boot.ci_high) == pytest.approx((taylor.ci_low, taylor.ci_high), abs=0.5)


def test_province_interval_uses_communes_as_strata() -> None:
    rng = np.random.default_rng(12)
    n = 2000
    commune = rng.choice(["a", "b", "c", "d"], n)
    village = rng.integers(0, 10, n)
    a = rng.random((n, 8))
    design = SurveyDesign.build(commune, village)
    boot = score_communes(a, design, _scheme(8), replicates=800).overall
    taylor = score_communes(a, design, _scheme(8), interval="taylor").overall
    assert boot.code == "*" and boot.n == n and boot.clusters == 40
    assert boot.se == pytest.approx(taylor.se, rel=0.2)


def test_flags() -> None:
    rules = Reporting(min_responses=30, min_clusters=5, target_score=90)
    rng = np.random.default_rng(0)
    # "few": 20 answers in 2 villages. "edge": 10 villages of 20 where 0, …, 0, 2, 4, 6, 8
    # people lack everything and the rest lack nothing: score exactly 90, and the
    # villages differ so much that the interval is wide.
    few = rng.random((20, 4))
    lacking = [0, 0, 0, 0, 0, 0, 2, 4, 6, 8]
    edge = np.ones((200, 4))
    for village, count in enumerate(lacking):
        edge[village * 20 : village * 20 + count] = 0
    a = np.vstack([few, edge])
    communes = ["few"] * 20 + ["edge"] * 200
    villages = [i % 2 for i in range(20)] + [i // 20 for i in range(200)]
    report = score_communes(a, SurveyDesign.build(communes, villages), _scheme(), rules=rules)
    assert set(report.commune("few").flag_codes) == {"too_few_responses", "too_few_clusters"}
    edge_result = report.commune("edge")
    assert edge_result.score == pytest.approx(90)
    assert edge_result.ci_low < 90 <= edge_result.ci_high
    assert edge_result.flag_codes == ("straddles_target",)
    assert "90 điểm" in edge_result.flags[0].label


def test_a_commune_with_one_village_has_no_interval() -> None:
    a = np.random.default_rng(0).random((40, 4))
    report = score_communes(a, SurveyDesign.build(["x"] * 40, [1] * 40), _scheme())
    c = report.commune("x")
    assert np.isnan(c.ci_low) and np.isnan(c.se)
    assert "too_few_clusters" in c.flag_codes


# --------------------------------------------------------------------------------
# The shipped methodology end to end
# --------------------------------------------------------------------------------


def test_score_survey_with_the_shipped_methodology() -> None:
    methodology = default_methodology()
    rng = np.random.default_rng(21)
    n = 400
    answers: dict[str, npt.NDArray[np.float64]] = {}
    for q in methodology.questions:
        codes = [c for c, _ in q.codes()] or list(range(0, 31))
        answers[q.id] = rng.choice(codes, n).astype(float)
    communes = np.repeat(["04001", "04004"], n // 2)
    report = score_survey(methodology, answers, communes, clusters=rng.integers(0, 8, n), replicates=50)
    assert [c.code for c in report.communes] == ["04001", "04004"]
    for c in (*report.communes, report.overall):
        assert 0 <= c.ci_low <= c.score <= c.ci_high <= 100
        assert sum(c.indicator_contributions.values()) == pytest.approx(100)
        assert sum(c.domain_contributions.values()) == pytest.approx(100)
        assert sum(c.bands.values()) == pytest.approx(1)
        assert c.score == pytest.approx(100 * (1 - c.H_U * c.A_U))
        assert c.method == "gnh" and c.interval == "bootstrap"


def test_gnh_2010_headline_arithmetic() -> None:
    # Ura et al. (2012): 40.9% happy; the 59.1% not yet happy enjoy sufficiency in 56.6%
    # of domains, so GNH = 1 − 0.591 × (1 − 0.566) = 0.743.
    # (The published shares are rounded, hence the tolerance.)
    gnh = 1 - 0.591 * (1 - 0.566)
    assert gnh == pytest.approx(0.743, abs=1e-3)


# --------------------------------------------------------------------------------
# Post-stratification
# --------------------------------------------------------------------------------


def test_poststratification_reproduces_the_population_margins() -> None:
    rng = np.random.default_rng(6)
    n = 900
    commune = rng.choice(["a", "b", "c"], n)
    sex = rng.choice(["1", "2"], n)
    age = rng.integers(18, 95, n)
    groups = AgeGroups()
    population = {
        (c, s, g): float(rng.integers(200, 3000)) for c in "abc" for s in "12" for g in groups.labels
    }
    result = poststratify(commune, sex, age, population)
    assert result.collapses == () and result.unplaced == 0
    cell = groups.assign(age)
    for (c, s, g), count in population.items():
        mine = (commune == c) & (sex == s) & (cell == groups.labels.index(g))
        assert result.weights[mine].sum() == pytest.approx(count)
    for c in "abc":
        expected = sum(v for (cc, _, _), v in population.items() if cc == c)
        assert result.weights[commune == c].sum() == pytest.approx(expected)


def test_empty_cells_collapse_with_a_neighbouring_age_group() -> None:
    # Nobody aged 18–29 answered in commune "a": its population joins 30–44 of the same sex.
    groups = AgeGroups()
    commune = np.array(["a"] * 7)
    sex = np.array(["1", "1", "1", "2", "2", "2", "2"])
    age = np.array([35, 50, 70, 20, 35, 50, 70])
    population = [("a", s, g, 100.0) for s in "12" for g in groups.labels]
    result = poststratify(commune, sex, age, population)
    assert len(result.collapses) == 1
    collapse = result.collapses[0]
    assert collapse.cells == (("1", "18–29"), ("1", "30–44"))
    assert collapse.empty == (("1", "18–29"),)
    np.testing.assert_allclose(result.weights, [200, 100, 100, 100, 100, 100, 100])
    assert result.weights.sum() == pytest.approx(800)


def test_respondents_without_age_are_unplaced() -> None:
    result = poststratify(["a", "a"], ["1", "1"], [40, np.nan], [("a", "1", "30–44", 50.0)])
    assert result.unplaced == 1
    np.testing.assert_allclose(result.weights, [50, 0])


# --------------------------------------------------------------------------------
# The benchmark's baseline agrees with chiso
# --------------------------------------------------------------------------------


def _benchmark() -> ModuleType:
    path = Path(__file__).parents[1] / "benchmarks" / "bench_happiness.py"
    spec = importlib.util.spec_from_file_location("bench_happiness", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_pandas_baseline_gives_the_same_commune_scores() -> None:
    pytest.importorskip("pandas")
    assert _benchmark().self_check(communes=12, per_commune=40) == 12
