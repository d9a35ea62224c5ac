"""The happiness-index engine: Alkire–Foster, CB-HPI per person and per commune (DESIGN §4).

Pure and vectorised: NumPy arrays in, frozen dataclasses out; no loop over respondents
(loops run over indicators, bands or bootstrap groups, each vectorised inside), no
database, web or CLI import.

Sources (formulas only; no code was copied):

- Alkire, S. and Foster, J. (2011). Counting and multidimensional poverty measurement.
  *Journal of Public Economics* 95: 476–487 — dual cut-offs, H, A, M0 = H·A,
  dimensional breakdown, subgroup decomposability.
- Ura, K., Alkire, S., Zangmo, T. and Wangdi, K. (2012). *A Short Guide to Gross National
  Happiness Index*. Centre for Bhutan Studies — sufficiency cut-offs, k = 66%, the
  happiness bands (< 50%, 50–65%, 66–76%, ≥ 77%) and GNH = 1 − H_U·A_U (0.743 in 2010:
  59.1% not yet happy, with sufficiency in 56.6% of domains on average).

The survey side — design (communes as strata, villages as clusters), the Rao–Wu
bootstrap and Taylor intervals, post-stratification weights — lives in
:mod:`chiso.survey`; its public names are re-exported here.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from chiso.methodology import GNH_BANDS, Band, Method, Methodology, Reporting
from chiso.survey import (
    AgeGroups,
    BoolArray,
    Collapse,
    FloatArray,
    IntArray,
    Interval,
    PostStratification,
    SurveyDesign,
    _bincount,
    _floats,
    _intervals,
    _sample_weights,
    poststratify,
)

__all__ = [
    "TOTAL_CODE",
    "AgeGroups",
    "AlkireFosterResult",
    "Collapse",
    "CommuneScore",
    "CommuneSensitivity",
    "Decomposition",
    "Flag",
    "GroupScore",
    "HappinessReport",
    "Interval",
    "PersonScores",
    "PostStratification",
    "Scheme",
    "SensitivityReport",
    "SurveyDesign",
    "Variant",
    "alkire_foster",
    "decompose",
    "default_variants",
    "poststratify",
    "score_communes",
    "score_persons",
    "score_survey",
    "sensitivity",
]

# Shares are sums of float weights (0.1 + 0.2 + …): compare them with the cut-offs
# with a little slack so that "6 of 9 domains" is never read as just below 6/9.
_EPS = 1e-9
TOTAL_CODE = "*"


def _normalised(weights: npt.ArrayLike | None, d: int, what: str = "weights") -> FloatArray:
    if weights is None:
        return np.full(d, 1.0 / d) if d else np.zeros(0)
    w = _floats(weights)
    if w.shape != (d,):
        raise ValueError(f"{what} must have {d} entries, got shape {w.shape}")
    if not np.all(np.isfinite(w)) or np.any(w < 0) or w.sum() <= 0:
        raise ValueError(f"{what} must be finite, non-negative and not all zero")
    return _floats(w / w.sum())


# --------------------------------------------------------------------------------------
# Alkire–Foster
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class AlkireFosterResult:
    """The adjusted headcount ratio M0 and its parts (Alkire and Foster 2011).

    ``H`` is the (weighted) share of people identified as poor, ``A`` the average
    deprivation share among them, ``M0 = H·A``. ``censored_deprivations`` is the n × d
    matrix g0(k) (deprivations of the non-poor set to 0); ``censored_headcounts[j]`` the
    share of people poor and deprived in j; ``contributions[j]`` the percentage of M0 due
    to j, w_j·h_j(k) / M0 × 100 (they add up to 100 when M0 > 0).
    """

    k: float
    weights: FloatArray
    H: float
    A: float
    M0: float
    deprivation_scores: FloatArray
    poor: BoolArray
    censored_deprivations: FloatArray
    uncensored_headcounts: FloatArray
    censored_headcounts: FloatArray
    contributions: FloatArray


def alkire_foster(
    achievements: npt.ArrayLike,
    cutoffs: npt.ArrayLike,
    *,
    weights: npt.ArrayLike | None = None,
    k: float,
    sample_weights: npt.ArrayLike | None = None,
) -> AlkireFosterResult:
    """The Alkire–Foster measure for an n × d achievement matrix.

    Person i is deprived in dimension j when ``achievements[i, j] < cutoffs[j]``
    (strictly below); weights (default equal) are normalised to sum to 1; i is poor when
    the weighted deprivation share c_i ≥ k, with k in (0, 1] (k = min weight is the union
    approach, k = 1 the intersection approach).
    """
    y = _floats(achievements)
    if y.ndim != 2:
        raise ValueError("achievements must be an n × d matrix")
    n, d = y.shape
    z = _floats(cutoffs)
    if z.shape != (d,):
        raise ValueError(f"cutoffs must have {d} entries, got shape {z.shape}")
    if not (np.all(np.isfinite(y)) and np.all(np.isfinite(z))):
        raise ValueError("achievements and cutoffs must be finite")
    if not 0 < k <= 1:
        raise ValueError(f"k must be in (0, 1], got {k}")
    w = _normalised(weights, d)
    v = _sample_weights(sample_weights, n)
    deprived = y < z
    scores = deprived @ w if d else np.zeros(n)
    poor = scores >= k - _EPS
    total = float(v.sum())
    if n == 0 or total <= 0:
        zeros = np.zeros(d)
        return AlkireFosterResult(k, w, 0.0, 0.0, 0.0, scores, poor, np.zeros((n, d)), zeros, zeros, zeros)
    censored = deprived & poor[:, None]
    uncensored_h = (v @ deprived) / total
    censored_h = (v @ censored) / total
    h = float(v[poor].sum() / total)
    m0 = float(w @ censored_h)
    a = m0 / h if h > 0 else 0.0
    contributions = 100 * w * censored_h / m0 if m0 > 0 else np.zeros(d)
    return AlkireFosterResult(
        k, w, h, a, m0, scores, poor, censored.astype(np.float64), uncensored_h, censored_h, contributions
    )


# --------------------------------------------------------------------------------------
# Scoring scheme and people
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Scheme:
    """What the engine reads from a methodology: indicators, weights, cut-offs, k, method."""

    indicators: tuple[str, ...]
    domains: tuple[str, ...]
    weights: FloatArray
    cutoffs: FloatArray
    k: float = 0.66
    method: Method = Method.GNH
    bands: tuple[Band, ...] = GNH_BANDS
    name: str = "base"

    def __post_init__(self) -> None:
        d = len(self.indicators)
        if len(self.domains) != d:
            raise ValueError("one domain per indicator")
        object.__setattr__(self, "weights", _normalised(self.weights, d, "indicator weights"))
        cutoffs = _floats(self.cutoffs)
        if cutoffs.shape != (d,):
            raise ValueError(f"cutoffs must have {d} entries")
        object.__setattr__(self, "cutoffs", cutoffs)
        if not 0 < self.k <= 1:
            raise ValueError(f"k must be in (0, 1], got {self.k}")

    @classmethod
    def from_methodology(
        cls,
        methodology: Methodology,
        weighting: Literal["file", "equal_domains", "equal_indicators"] = "file",
    ) -> Scheme:
        """The scheme a methodology file defines."""
        return cls(
            indicators=tuple(i.id for i in methodology.indicators),
            domains=methodology.indicator_domains,
            weights=methodology.indicator_weights(weighting),
            cutoffs=methodology.cutoffs,
            k=methodology.happiness_cutoff,
            method=methodology.method,
            bands=methodology.bands,
        )

    def replace(self, **changes: object) -> Scheme:
        """A copy with some fields changed (``k=0.5``, ``method=Method.MEAN_SCORE``, …)."""
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]

    def reweighted(self, how: Literal["equal_domains", "equal_indicators"]) -> Scheme:
        """Equal domains (indicators equal within each) or every indicator equal."""
        if how == "equal_indicators":
            return self.replace(weights=np.ones(len(self.indicators)), name="equal_indicators")
        _, domain_idx, per_domain = np.unique(list(self.domains), return_inverse=True, return_counts=True)
        return self.replace(weights=1.0 / per_domain[domain_idx], name="equal_domains")


@dataclass(frozen=True, eq=False)
class PersonScores:
    """Each respondent's results.

    ``sufficiency`` is S_i, the weighted share of (answered) indicators where i is
    sufficient; ``mean_score`` the weighted mean achievement; ``shortfall`` what i takes
    away from the index — (1 − S_i) for the not-yet-happy under the GNH method, 1 − mean
    score under the mean-score method — so that index = 100·(1 − weighted mean shortfall).
    People who answered less than the minimum share of indicator weight are not
    ``valid``: NaN scores, band −1, left out of every total.
    """

    sufficiency: FloatArray
    happy: BoolArray
    band: IntArray
    valid: BoolArray
    gnh_shortfall: FloatArray
    sufficient: BoolArray
    answered: BoolArray | None
    answered_weight: FloatArray
    achievements: FloatArray
    weights: FloatArray
    method: Method

    @functools.cached_property
    def mean_score(self) -> FloatArray:
        """Weighted mean achievement over the answered indicators (NaN when not valid)."""
        mean = np.zeros(self.valid.size)
        for j, w in enumerate(self.weights):
            column = self.achievements[:, j]
            mean += w * (column if self.answered is None else np.where(self.answered[:, j], column, 0.0))
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(self.valid, mean / self.answered_weight, np.nan)

    @functools.cached_property
    def shortfall(self) -> FloatArray:
        """Each person's shortfall under the scheme's method (0 when not valid)."""
        if self.method is Method.GNH:
            return self.gnh_shortfall
        return np.where(self.valid, 1.0 - self.mean_score, 0.0)


def score_persons(achievements: npt.ArrayLike, scheme: Scheme, *, min_answered: float = 0.8) -> PersonScores:
    """S_i, happiness, band and shortfall of every respondent (n × d achievements, NaN = no answer)."""
    a = _floats(achievements)
    if a.ndim != 2 or a.shape[1] != len(scheme.indicators):
        raise ValueError(f"achievements must be n × {len(scheme.indicators)}")
    n, d = a.shape
    w = scheme.weights
    missing = bool(np.isnan(a).any())
    # One indicator (column) at a time: no n × d float temporaries, and column-major
    # input (as Methodology.achievements builds it) is read contiguously.
    sufficient = np.empty((n, d), dtype=bool, order="F")
    answered: BoolArray | None = np.empty((n, d), dtype=bool, order="F") if missing else None
    s = np.zeros(n)
    answered_weight = np.zeros(n) if missing else np.ones(n)
    for j in range(d):
        column = a[:, j]
        with np.errstate(invalid="ignore"):
            np.greater_equal(column, scheme.cutoffs[j], out=sufficient[:, j])
        s += w[j] * sufficient[:, j]
        if answered is not None:
            np.logical_not(np.isnan(column), out=answered[:, j])
            answered_weight += w[j] * answered[:, j]
    if missing:
        with np.errstate(invalid="ignore", divide="ignore"):
            s /= answered_weight
    valid = answered_weight >= min_answered - _EPS
    s = np.where(valid, s, np.nan)
    happy = valid & (s >= scheme.k - _EPS)
    lowers = np.array([b.lower for b in scheme.bands])
    band = np.searchsorted(lowers, np.where(valid, s, 0.0) + _EPS, side="right") - 1
    band = np.where(valid, band, -1).astype(np.intp)
    gnh = np.where(valid & ~happy, 1.0 - s, 0.0)
    return PersonScores(
        s, happy, band, valid, gnh, sufficient, answered, answered_weight, a, w, scheme.method
    )


# --------------------------------------------------------------------------------------
# Commune scores
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Flag:
    """A warning attached to a commune's result: a code and its Vietnamese label."""

    code: str
    label: str


@dataclass(frozen=True)
class CommuneScore:
    """A commune's index with its interval, parts and warnings.

    ``H_U`` is the share of people not yet happy, ``A_U`` the average share of
    indicator weight in which they are not sufficient (so GNH score = 100·(1 − H_U·A_U));
    ``bands`` the share of people in each happiness band; the contributions say which
    indicators and domains the shortfall from 100 comes from, in percent.
    """

    code: str
    n: int
    clusters: int
    score: float
    H_U: float
    A_U: float
    ci_low: float
    ci_high: float
    se: float
    method: str
    interval: str
    flags: tuple[Flag, ...]
    weight: float
    bands: Mapping[str, float]
    indicator_contributions: Mapping[str, float]
    domain_contributions: Mapping[str, float]

    @property
    def flag_codes(self) -> tuple[str, ...]:
        """The codes of the flags."""
        return tuple(f.code for f in self.flags)


@dataclass(frozen=True)
class HappinessReport:
    """Scores of every commune, the total over all of them, and how they were computed."""

    method: str
    k: float
    interval: str
    replicates: int
    seed: int | None
    communes: tuple[CommuneScore, ...]
    overall: CommuneScore
    excluded: int

    def commune(self, code: str) -> CommuneScore:
        """The result of commune ``code``."""
        for c in self.communes:
            if c.code == code:
                return c
        raise KeyError(code)

    @property
    def scores(self) -> dict[str, float]:
        """Score by commune code."""
        return {c.code: c.score for c in self.communes}


def _flag_labels(rules: Reporting) -> dict[str, str]:
    return {
        "too_few_responses": f"Quá ít phiếu trả lời hợp lệ (dưới {rules.min_responses})",
        "too_few_clusters": f"Quá ít thôn, tổ dân phố được khảo sát (dưới {rules.min_clusters})",
        "straddles_target": (
            f"Khoảng tin cậy chứa mốc {rules.target_score:g} điểm: chưa đủ căn cứ để nói xã đã đạt hay chưa"
        ),
    }


def score_communes(
    achievements: npt.ArrayLike,
    design: SurveyDesign,
    scheme: Scheme,
    *,
    interval: Interval = "bootstrap",
    replicates: int = 200,
    seed: int | None = 2026,
    rules: Reporting | None = None,
) -> HappinessReport:
    """Each commune's CB-HPI with a 95% interval, H_U, A_U, bands, contributions and flags.

    GNH method: score = 100·(1 − Σ v_i (1 − S_i)[S_i < k] / Σ v_i) = 100·(1 − H_U·A_U).
    Mean-score method: 100 × Σ v_i·mean_i / Σ v_i. Intervals: ``bootstrap`` (Rao–Wu
    villages within communes, ``replicates`` replicates from a seeded generator, Wald
    interval from the replicate standard error), ``bootstrap-percentile`` (percentiles of
    the replicates), ``taylor`` (linearised ratio, villages as clusters) or ``none``.
    """
    rules = rules or Reporting()
    persons = score_persons(achievements, scheme, min_answered=rules.min_answered_share)
    if persons.valid.size != design.n:
        raise ValueError("achievements and design have different numbers of respondents")
    excluded = int(persons.valid.size - persons.valid.sum())
    keep = None if excluded == 0 else persons.valid
    d = design if keep is None else design.subset(keep)

    def pick(values: npt.NDArray[np.generic]) -> npt.NDArray[np.generic]:
        return values if keep is None else values[keep]

    v = d.weights
    shortfall = _floats(pick(persons.shortfall))
    gnh = _floats(pick(persons.gnh_shortfall))
    unhappy = ~np.asarray(pick(persons.happy), dtype=bool)
    n_communes = len(d.codes)
    c = d.commune
    total_v = _bincount(c, v, n_communes)
    loss = _bincount(c, v * shortfall, n_communes)
    unhappy_v = _bincount(c, v * unhappy, n_communes)
    gnh_loss = loss if scheme.method is Method.GNH else _bincount(c, v * gnh, n_communes)
    with np.errstate(invalid="ignore", divide="ignore"):
        score = 100 * (1 - loss / total_v)
        h_u = unhappy_v / total_v
        a_u = np.where(unhappy_v > 0, gnh_loss / unhappy_v, 0.0)
    counts = np.bincount(c, minlength=n_communes)
    n_clusters = np.bincount(d.cluster_commune, minlength=n_communes)

    nb = len(scheme.bands)
    band = np.asarray(pick(persons.band), dtype=np.intp)
    band_weight = _bincount(c * nb + band, v, n_communes * nb).reshape(n_communes, nb)

    contrib = _indicator_losses(persons, scheme, keep, v, c, n_communes)

    # Totals over every commune, with communes as strata.
    all_v, all_loss = float(total_v.sum()), float(loss.sum())
    overall = np.array([100 * (1 - all_loss / all_v)]) if all_v > 0 else np.array([np.nan])

    se, low, high, overall_se, overall_low, overall_high = _intervals(
        d, v, shortfall, score, overall, n_clusters, interval, replicates, seed, rules.confidence
    )

    all_unhappy, all_gnh = float(unhappy_v.sum()), float(gnh_loss.sum())
    total_h = all_unhappy / all_v if all_v > 0 else np.nan
    total_a = all_gnh / all_unhappy if all_unhappy > 0 else 0.0
    rows = _rows(
        (*d.codes, TOTAL_CODE),
        np.append(counts, counts.sum()),
        np.append(n_clusters, n_clusters.sum()),
        np.column_stack(
            [
                np.append(score, overall),
                np.append(h_u, total_h),
                np.append(a_u, total_a),
                np.append(low, overall_low),
                np.append(high, overall_high),
                np.append(se, overall_se),
                np.append(total_v, all_v),
            ]
        ),
        np.vstack([band_weight, band_weight.sum(axis=0)]),
        np.vstack([contrib, contrib.sum(axis=0)]),
        scheme,
        interval,
        rules,
    )
    return HappinessReport(
        str(scheme.method), scheme.k, interval, replicates, seed, tuple(rows[:-1]), rows[-1], excluded
    )


def _indicator_losses(
    persons: PersonScores, scheme: Scheme, keep: BoolArray | None, v: FloatArray, c: IntArray, size: int
) -> FloatArray:
    """Per commune and indicator, the weighted shortfall due to the indicator (C × d).

    Each person's shortfall is split over the indicators in proportion to w_j times
    what is missing in j (not sufficient under GNH, 1 − achievement under the mean
    score), over the indicators they answered; the parts add up to the shortfall.
    """

    def pick(values: npt.NDArray[np.generic]) -> npt.NDArray[np.generic]:
        return values if keep is None else values[keep]

    gnh = scheme.method is Method.GNH
    aw = _floats(pick(persons.answered_weight))
    base = v / aw * (~np.asarray(pick(persons.happy), dtype=bool)) if gnh else v / aw
    sufficient = np.asarray(pick(persons.sufficient), dtype=bool)
    answered = None if persons.answered is None else np.asarray(pick(persons.answered), dtype=bool)
    partly: BoolArray = (
        np.zeros(sufficient.shape[1], dtype=bool) if answered is None else np.asarray(~answered.all(axis=0))
    )
    everyone = _bincount(c, base, size)
    out = np.zeros((size, len(scheme.indicators)))
    values = None if gnh else _floats(pick(persons.achievements))
    for j, w in enumerate(scheme.weights):
        # loss_j = w_j · Σ base · answered · gap_j, computed as "answered − reached":
        # gap_j = not sufficient (GNH) or 1 − achievement (mean score).
        asked = everyone
        reached = sufficient[:, j] if values is None else values[:, j]
        if answered is not None and partly[j]:
            asked = _bincount(c, base * answered[:, j], size)
            if values is not None:
                reached = np.where(answered[:, j], reached, 0.0)
        out[:, j] = w * (asked - _bincount(c, base * reached, size))
    return out


def _rows(
    codes: Sequence[str],
    counts: IntArray,
    clusters: IntArray,
    numbers: FloatArray,
    band_weight: FloatArray,
    losses: FloatArray,
    scheme: Scheme,
    interval: str,
    rules: Reporting,
) -> list[CommuneScore]:
    """One CommuneScore per row of the arrays (percentages and shares computed in bulk)."""
    labels = _flag_labels(rules)
    domain_ids, domain_of = np.unique(list(scheme.domains), return_inverse=True)
    order = list(dict.fromkeys(scheme.domains))
    weight = numbers[:, 6]
    total_loss = losses.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = np.where(total_loss > 0, 100 * losses / total_loss, 0.0)
        bands = band_weight / weight[:, None]
    by_domain = np.zeros((len(codes), domain_ids.size))
    for j, dom in enumerate(domain_of):
        by_domain[:, dom] += shares[:, j]
    position = [int(np.flatnonzero(domain_ids == dom)[0]) for dom in order]
    band_codes = [b.code for b in scheme.bands]
    method = str(scheme.method)
    rows = []
    for i, (code, number, share_row, domain_row, band_row) in enumerate(
        zip(codes, numbers.tolist(), shares.tolist(), by_domain.tolist(), bands.tolist(), strict=True)
    ):
        score, h_u, a_u, low, high, se, total_v = number
        n, k = int(counts[i]), int(clusters[i])
        flags = []
        if n < rules.min_responses:
            flags.append(Flag("too_few_responses", labels["too_few_responses"]))
        if k < rules.min_clusters:
            flags.append(Flag("too_few_clusters", labels["too_few_clusters"]))
        if low < rules.target_score <= high:  # False when the interval is NaN
            flags.append(Flag("straddles_target", labels["straddles_target"]))
        rows.append(
            CommuneScore(
                code,
                n,
                k,
                score,
                h_u,
                a_u,
                low,
                high,
                se,
                method,
                interval,
                tuple(flags),
                total_v,
                dict(zip(band_codes, band_row, strict=True)),
                dict(zip(scheme.indicators, share_row, strict=True)),
                {dom: domain_row[p] for dom, p in zip(order, position, strict=True)},
            )
        )
    return rows


def score_survey(
    methodology: Methodology,
    answers: Mapping[str, npt.ArrayLike],
    communes: npt.ArrayLike,
    *,
    clusters: npt.ArrayLike | None = None,
    weights: npt.ArrayLike | None = None,
    interval: Interval = "bootstrap",
    replicates: int = 200,
    seed: int | None = 2026,
) -> HappinessReport:
    """Score coded answers (question id → array) with a methodology, commune by commune."""
    return score_communes(
        methodology.achievements(answers),
        SurveyDesign.build(communes, clusters, weights),
        Scheme.from_methodology(methodology),
        interval=interval,
        replicates=replicates,
        seed=seed,
        rules=methodology.reporting,
    )


# --------------------------------------------------------------------------------------
# Decomposition by subgroup
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupScore:
    """A subgroup's index; ``share`` is its share of the (weighted) population and
    ``contribution`` its percentage of the total shortfall from 100."""

    group: str
    n: int
    share: float
    score: float
    H_U: float
    A_U: float
    contribution: float


@dataclass(frozen=True)
class Decomposition:
    """The index of a population and of its subgroups (sex, age group, ethnicity, commune).

    Both methods are population means of a person-level shortfall, so the subgroup
    scores weighted by population share add back to the total exactly (Alkire and
    Foster 2011, subgroup decomposability): see :meth:`recombined`.
    """

    score: float
    H_U: float
    A_U: float
    groups: tuple[GroupScore, ...]

    def recombined(self) -> float:
        """Σ share_g · score_g, equal to :attr:`score`."""
        return float(sum(g.share * g.score for g in self.groups))


def decompose(
    achievements: npt.ArrayLike,
    groups: npt.ArrayLike,
    scheme: Scheme,
    *,
    weights: npt.ArrayLike | None = None,
    min_answered: float = 0.8,
) -> Decomposition:
    """Break the index down by a grouping of the respondents (one label each)."""
    persons = score_persons(achievements, scheme, min_answered=min_answered)
    labels, g = np.unique(np.asarray(groups), return_inverse=True)
    g = g.astype(np.intp).ravel()
    v = _sample_weights(weights, g.size) * persons.valid
    size = labels.size
    total_v = _bincount(g, v, size)
    loss = _bincount(g, v * persons.shortfall, size)
    unhappy = _bincount(g, v * ~persons.happy, size)
    gnh = _bincount(g, v * persons.gnh_shortfall, size)
    counts = np.bincount(g, weights=persons.valid, minlength=size)
    all_v = float(total_v.sum())
    if all_v <= 0:
        raise ValueError("no valid respondent to decompose")
    with np.errstate(invalid="ignore", divide="ignore"):
        score = 100 * (1 - loss / total_v)
        h_u = unhappy / total_v
        a_u = np.where(unhappy > 0, gnh / np.where(unhappy > 0, unhappy, 1), 0.0)
    all_loss = float(loss.sum())
    rows = tuple(
        GroupScore(
            str(labels[i]),
            int(counts[i]),
            float(total_v[i] / all_v),
            float(score[i]),
            float(h_u[i]),
            float(a_u[i]),
            float(100 * loss[i] / all_loss) if all_loss > 0 else 0.0,
        )
        for i in range(size)
    )
    all_unhappy = float(unhappy.sum())
    return Decomposition(
        100 * (1 - all_loss / all_v),
        all_unhappy / all_v,
        float(gnh.sum()) / all_unhappy if all_unhappy > 0 else 0.0,
        rows,
    )


# --------------------------------------------------------------------------------------
# Sensitivity of the ranking to the methodology's choices
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Variant:
    """One alternative methodology choice: a code, a Vietnamese label and its scheme."""

    code: str
    label: str
    scheme: Scheme


@dataclass(frozen=True)
class CommuneSensitivity:
    """A commune's score and rank (1 = highest) under each variant, and its rank range."""

    code: str
    scores: Mapping[str, float]
    ranks: Mapping[str, int | None]
    rank_min: int | None
    rank_max: int | None

    @property
    def rank_range(self) -> int | None:
        """How many places the commune moves between the best and worst variant."""
        if self.rank_min is None or self.rank_max is None:
            return None
        return self.rank_max - self.rank_min


@dataclass(frozen=True)
class SensitivityReport:
    """Scores and ranks of every commune under every variant."""

    variants: tuple[Variant, ...]
    communes: tuple[CommuneSensitivity, ...]

    def commune(self, code: str) -> CommuneSensitivity:
        """The sensitivity of commune ``code``."""
        for c in self.communes:
            if c.code == code:
                return c
        raise KeyError(code)


def default_variants(scheme: Scheme, k_values: Iterable[float] = (0.5, 0.77)) -> tuple[Variant, ...]:
    """The base scheme, other k values, equal domains, equal indicators and the other method."""
    variants = [Variant("base", "Phương pháp gốc", scheme)]
    for k in k_values:
        if not np.isclose(k, scheme.k):
            variants.append(Variant(f"k={k:g}", f"Ngưỡng hạnh phúc k = {k:.0%}", scheme.replace(k=k)))
    for how, label in (
        ("equal_domains", "Các lĩnh vực có trọng số bằng nhau"),
        ("equal_indicators", "Các chỉ số có trọng số bằng nhau"),
    ):
        other = scheme.reweighted(how)  # type: ignore[arg-type]
        if not np.allclose(other.weights, scheme.weights):
            variants.append(Variant(how, label, other))
    other_method = Method.MEAN_SCORE if scheme.method is Method.GNH else Method.GNH
    label = "Điểm trung bình có trọng số" if other_method is Method.MEAN_SCORE else "Phương pháp GNH"
    variants.append(Variant(str(other_method), label, scheme.replace(method=other_method)))
    return tuple(variants)


def _ranks(scores: FloatArray) -> list[int | None]:
    """Competition ranks, highest first (1, 2, 2, 4); NaN gets no rank."""
    finite = np.sort(-scores[np.isfinite(scores)])
    at = np.searchsorted(finite, -scores, side="left") + 1
    return [int(r) if np.isfinite(s) else None for r, s in zip(at, scores, strict=True)]


def sensitivity(
    achievements: npt.ArrayLike,
    design: SurveyDesign,
    scheme: Scheme,
    *,
    variants: Sequence[Variant] | None = None,
    min_answered: float = 0.8,
) -> SensitivityReport:
    """Each commune's score and rank under each variant (no intervals), and its rank range."""
    chosen = tuple(variants) if variants is not None else default_variants(scheme)
    n_communes = len(design.codes)
    table = np.empty((len(chosen), n_communes))
    for row, variant in enumerate(chosen):
        persons = score_persons(achievements, variant.scheme, min_answered=min_answered)
        v = design.weights * persons.valid
        total_v = _bincount(design.commune, v, n_communes)
        with np.errstate(invalid="ignore", divide="ignore"):
            table[row] = 100 * (1 - _bincount(design.commune, v * persons.shortfall, n_communes) / total_v)
    ranks = [_ranks(table[row]) for row in range(len(chosen))]
    out = []
    for i, code in enumerate(design.codes):
        by_variant = {v.code: ranks[row][i] for row, v in enumerate(chosen)}
        known = [r for r in by_variant.values() if r is not None]
        out.append(
            CommuneSensitivity(
                code,
                {v.code: float(table[row, i]) for row, v in enumerate(chosen)},
                by_variant,
                min(known) if known else None,
                max(known) if known else None,
            )
        )
    return SensitivityReport(chosen, tuple(out))
