"""Survey design, sampling-error intervals and post-stratification weights (DESIGN §4).

The parts of the happiness survey that do not depend on how answers are scored: where
each respondent lives (communes are strata, villages the clusters), the weight each one
carries, and the sampling error of a ratio of weighted totals. :mod:`chiso.happiness`
scores people and communes and calls these for its intervals.

Pure and vectorised: NumPy arrays in, frozen dataclasses out; no database, web or CLI
import.

Sources (formulas only; no code was copied):

- Rao, J. N. K. and Wu, C. F. J. (1988). Resampling inference with complex survey data.
  *JASA* 83: 231–241 — the with-replacement bootstrap of primary sampling units within
  strata, drawing n_h − 1 of n_h units (multiplier n_h/(n_h − 1) · r_hi), as in R
  survey's ``subbootweights``.
- Woodruff, R. (1971). A simple method for approximating the variance of a complicated
  estimate. *JASA* 66: 411–414; Särndal, Swensson and Wretman (1992), *Model Assisted
  Survey Sampling*, §5.6 — Taylor linearisation of a ratio, z_i = v_i (y_i − R x_i) / X̂,
  with the with-replacement variance of PSU totals within strata.
- Holt, D. and Smith, T. M. F. (1979). Post stratification. *JRSS A* 142: 33–46 —
  weights d_i · N_h / Σ_{j∈h} d_j within each cell h.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from statistics import NormalDist
from typing import Literal

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]
Interval = Literal["bootstrap", "bootstrap-percentile", "taylor", "none"]


def _floats(values: npt.ArrayLike) -> FloatArray:
    return np.asarray(values, dtype=np.float64)


def _sample_weights(values: npt.ArrayLike | None, n: int) -> FloatArray:
    if values is None:
        return np.ones(n)
    v = _floats(values)
    if v.shape != (n,):
        raise ValueError(f"sample weights must have {n} entries, got shape {v.shape}")
    if not np.all(np.isfinite(v)) or np.any(v < 0):
        raise ValueError("sample weights must be finite and non-negative")
    return v


def _bincount(index: IntArray, weights: FloatArray | None, size: int) -> FloatArray:
    return np.bincount(index, weights=weights, minlength=size).astype(np.float64)


# --------------------------------------------------------------------------------------
# Survey design
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class SurveyDesign:
    """Where each respondent lives (commune, village = cluster) and their survey weight.

    Communes are the strata, villages the primary sampling units; clusters are numbered
    commune by commune. Without villages each respondent is a cluster of one.
    """

    codes: tuple[str, ...]
    commune: IntArray
    cluster: IntArray
    cluster_commune: IntArray
    weights: FloatArray

    @classmethod
    def build(
        cls,
        communes: npt.ArrayLike,
        clusters: npt.ArrayLike | None = None,
        weights: npt.ArrayLike | None = None,
    ) -> SurveyDesign:
        """Factorise commune codes and village ids (unique within a commune is enough)."""
        codes, commune = np.unique(np.asarray(communes), return_inverse=True)
        commune = commune.astype(np.intp).ravel()
        n = commune.size
        if clusters is None:
            order = np.argsort(commune, kind="stable")
            cluster = np.empty(n, dtype=np.intp)
            cluster[order] = np.arange(n)
            cluster_commune = commune[order]
        else:
            village = np.unique(np.asarray(clusters), return_inverse=True)[1].astype(np.int64).ravel()
            if village.size != n:
                raise ValueError("one village per respondent")
            span = int(village.max()) + 1 if n else 1
            keys, inverse = np.unique(commune.astype(np.int64) * span + village, return_inverse=True)
            cluster = inverse.astype(np.intp).ravel()
            cluster_commune = (keys // span).astype(np.intp)
        return cls(
            tuple(str(c) for c in codes), commune, cluster, cluster_commune, _sample_weights(weights, n)
        )

    @property
    def n(self) -> int:
        """Number of respondents."""
        return int(self.commune.size)

    def subset(self, mask: BoolArray) -> SurveyDesign:
        """The same communes, only the respondents in ``mask``; clusters renumbered."""
        kept, cluster = np.unique(self.cluster[mask], return_inverse=True)
        return SurveyDesign(
            self.codes,
            self.commune[mask],
            cluster.astype(np.intp).ravel(),
            self.cluster_commune[kept],
            self.weights[mask],
        )


# --------------------------------------------------------------------------------------
# Sampling error: Rao–Wu bootstrap and Taylor linearisation
# --------------------------------------------------------------------------------------


def _replicate_multipliers(
    cluster_commune: IntArray, n_communes: int, replicates: int, rng: np.random.Generator
) -> FloatArray:
    """Rao–Wu bootstrap multipliers, one row per replicate, one column per cluster.

    Within each commune with m ≥ 2 villages, m − 1 villages are drawn with replacement
    (multinomial counts r) and weighted m/(m − 1)·r; a commune with one village keeps
    multiplier 1 (it cannot show its own sampling variance).
    """
    counts = np.bincount(cluster_commune, minlength=n_communes)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    multipliers = np.ones((replicates, cluster_commune.size))
    for m in np.unique(counts[counts >= 2]):
        communes = np.flatnonzero(counts == m)
        draws = rng.multinomial(m - 1, np.full(m, 1.0 / m), size=(replicates, communes.size))
        columns = (starts[communes][:, None] + np.arange(m)).ravel()
        multipliers[:, columns] = draws.reshape(replicates, -1) * (m / (m - 1))
    return multipliers


def _linearised_variance(
    design: SurveyDesign, v: FloatArray, u: FloatArray, group: IntArray, n_groups: int
) -> FloatArray:
    """Taylor variance of the ratio Σv·u / Σv in each group (groups are unions of communes)."""
    total_v = _bincount(group, v, n_groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = _bincount(group, v * u, n_groups) / total_v
        z = v * (u - ratio[group]) / total_v[group]
    n_clusters = design.cluster_commune.size
    n_communes = len(design.codes)
    cluster_z = _bincount(design.cluster, z, n_clusters)
    per_commune = np.bincount(design.cluster_commune, minlength=n_communes).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_z = _bincount(design.cluster_commune, cluster_z, n_communes) / per_commune
        squares = _bincount(
            design.cluster_commune, (cluster_z - mean_z[design.cluster_commune]) ** 2, n_communes
        )
        stratum_var = np.where(per_commune >= 2, per_commune / (per_commune - 1) * squares, 0.0)
    commune_group = np.zeros(n_communes, dtype=np.intp)
    commune_group[design.commune] = group
    variance = _bincount(commune_group, stratum_var, n_groups)
    # A group whose every commune has one cluster has no estimable variance.
    estimable = _bincount(commune_group, (per_commune >= 2).astype(np.float64), n_groups) > 0
    return np.where(estimable, variance, np.nan)


def _intervals(
    d: SurveyDesign,
    v: FloatArray,
    shortfall: FloatArray,
    score: FloatArray,
    overall: FloatArray,
    n_clusters: IntArray,
    interval: Interval,
    replicates: int,
    seed: int | None,
    confidence: float,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray, FloatArray]:
    """Standard errors and interval ends per commune, then for the total."""
    n_communes = len(d.codes)
    nan = np.full(n_communes, np.nan)
    se, low, high = nan, nan.copy(), nan.copy()
    all_se, all_low, all_high = np.array([np.nan]), np.array([np.nan]), np.array([np.nan])
    estimable = n_clusters >= 2
    if d.n == 0 or interval == "none":
        return se, low, high, all_se, all_low, all_high
    if interval == "taylor":
        se = 100 * np.sqrt(_linearised_variance(d, v, shortfall, d.commune, n_communes))
        all_se = 100 * np.sqrt(_linearised_variance(d, v, shortfall, np.zeros(d.n, dtype=np.intp), 1))
    else:
        rep, rep_all = _bootstrap(d, v, shortfall, replicates, seed)
        rep[:, ~estimable] = np.nan
        if replicates > 1:
            se = np.std(rep, axis=0, ddof=1)
            all_se = np.array([np.std(rep_all, ddof=1) if estimable.any() else np.nan])
        if interval == "bootstrap-percentile":
            alpha = (1 - confidence) / 2 * 100
            if estimable.any():
                low[estimable], high[estimable] = np.percentile(
                    rep[:, estimable], [alpha, 100 - alpha], axis=0
                )
                all_low[0], all_high[0] = np.percentile(rep_all, [alpha, 100 - alpha])
            return se, low, high, all_se, all_low, all_high
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    low, high = np.clip(score - z * se, 0, 100), np.clip(score + z * se, 0, 100)
    all_low, all_high = np.clip(overall - z * all_se, 0, 100), np.clip(overall + z * all_se, 0, 100)
    return se, low, high, all_se, all_low, all_high


def _bootstrap(
    d: SurveyDesign, v: FloatArray, shortfall: FloatArray, replicates: int, seed: int | None
) -> tuple[FloatArray, FloatArray]:
    """Replicate scores per commune (B × C) and for the total (B), from village totals."""
    n_communes, n_clusters = len(d.codes), d.cluster_commune.size
    mult = _replicate_multipliers(d.cluster_commune, n_communes, replicates, np.random.default_rng(seed))
    cluster_v = _bincount(d.cluster, v, n_clusters)
    cluster_loss = _bincount(d.cluster, v * shortfall, n_clusters)
    index = (np.arange(replicates)[:, None] * n_communes + d.cluster_commune[None, :]).ravel()
    size = replicates * n_communes
    rep_v = _bincount(index, (mult * cluster_v).ravel(), size).reshape(replicates, n_communes)
    rep_loss = _bincount(index, (mult * cluster_loss).ravel(), size).reshape(replicates, n_communes)
    with np.errstate(invalid="ignore", divide="ignore"):
        rep = 100 * (1 - rep_loss / rep_v)
        rep_all = 100 * (1 - rep_loss.sum(axis=1) / rep_v.sum(axis=1))
    return rep, rep_all


# --------------------------------------------------------------------------------------
# Post-stratification weights
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgeGroups:
    """Age groups by their lower edges: (18, 30, 45, 60) → 18–29, 30–44, 45–59, 60+."""

    edges: tuple[float, ...] = (18, 30, 45, 60)

    @property
    def labels(self) -> tuple[str, ...]:
        """The groups' labels."""
        ends = [f"{a:g}–{b - 1:g}" for a, b in zip(self.edges, self.edges[1:], strict=False)]
        return (*ends, f"{self.edges[-1]:g}+")

    def assign(self, ages: npt.ArrayLike) -> IntArray:
        """Each age's group index; −1 for a missing age or one below the first edge."""
        a = _floats(ages)
        index = np.searchsorted(np.array(self.edges), np.nan_to_num(a, nan=-np.inf), side="right") - 1
        return np.where(np.isnan(a), -1, index).astype(np.intp)

    def name(self, ages: npt.ArrayLike) -> npt.NDArray[np.str_]:
        """Each age's group label ("" when missing), e.g. to :func:`decompose` by age group."""
        return np.array([*self.labels, ""])[self.assign(ages)]


@dataclass(frozen=True)
class Collapse:
    """Weighting cells merged in one commune because the sample (or the population) had none."""

    commune: str
    cells: tuple[tuple[str, str], ...]
    empty: tuple[tuple[str, str], ...]


@dataclass(frozen=True, eq=False)
class PostStratification:
    """Post-stratification weights and the cells that had to be merged to compute them.

    ``unplaced`` counts respondents with no sex or age group; they get weight 0.
    """

    weights: FloatArray
    collapses: tuple[Collapse, ...]
    unplaced: int


def _merge_cells(population: FloatArray, sample: FloatArray) -> IntArray:
    """Labels (sex × age group) merging every cell the sample or the population lacks.

    A cell with people in the population but nobody in the sample (or the reverse) joins
    the neighbouring age group of the same sex with more respondents (the younger on a
    tie); when the whole sex is one cell already, it joins the same age group of the
    other sex. Cells are merged one at a time until none is left unmatched.
    """
    n_sex, n_age = population.shape
    labels = np.arange(n_sex * n_age).reshape(n_sex, n_age)
    while True:
        pop = np.bincount(labels.ravel(), population.ravel(), minlength=labels.size)
        got = np.bincount(labels.ravel(), sample.ravel(), minlength=labels.size)
        bad = np.flatnonzero(((pop > 0) & (got == 0)) | ((got > 0) & (pop == 0)))
        if bad.size == 0:
            return labels
        cells = np.argwhere(labels == bad[0])
        near = {
            int(labels[s, g + step])
            for s, g in cells
            for step in (-1, 1)
            if 0 <= g + step < n_age and labels[s, g + step] != bad[0]
        }
        if not near:
            near = {int(labels[s2, g]) for _, g in cells for s2 in range(n_sex) if labels[s2, g] != bad[0]}
        if not near:
            return labels
        target = max(sorted(near), key=lambda lab: got[lab])
        labels[labels == bad[0]] = target


def poststratify(
    communes: npt.ArrayLike,
    sexes: npt.ArrayLike,
    ages: npt.ArrayLike,
    population: Mapping[tuple[str, str, str], float] | Iterable[tuple[str, str, str, float]],
    *,
    age_groups: AgeGroups | None = None,
    base_weights: npt.ArrayLike | None = None,
) -> PostStratification:
    """Weights that make each commune's sample match its population by sex × age group.

    ``population`` is a table of (commune code, sex code, age-group label, count) rows
    (or a mapping from the first three to the count). Weight of respondent i in cell h:
    d_i · N_h / Σ_{j∈h} d_j (d = base weights, default 1), so the weights in each cell add
    up to the population of the cell. Cells empty in the sample are merged with a
    neighbouring age group (:func:`_merge_cells`) and reported in ``collapses``.
    """
    groups = age_groups or AgeGroups()
    rows = population.items() if isinstance(population, Mapping) else ((r[:3], r[3]) for r in population)
    table = [((str(c), str(s), str(g)), float(count)) for (c, s, g), count in rows]
    commune_codes, commune = np.unique(np.asarray(communes).astype(str), return_inverse=True)
    commune = commune.ravel()
    sex_raw = np.asarray(sexes).astype(str)
    sex_codes = np.unique(np.concatenate([sex_raw, np.array([s for (_, s, _), _ in table], dtype=str)]))
    sex = np.searchsorted(sex_codes, sex_raw)
    age = groups.assign(ages)
    n = commune.size
    d = _sample_weights(base_weights, n)
    placed = (age >= 0) & (sex_raw != "") & (sex_raw != "nan")
    c_n, s_n, g_n = commune_codes.size, sex_codes.size, len(groups.labels)
    pop = np.zeros((c_n, s_n, g_n))
    label_index = {label: i for i, label in enumerate(groups.labels)}
    commune_index = {code: i for i, code in enumerate(commune_codes.tolist())}
    for (c, s, g), count in table:
        if g not in label_index:
            raise ValueError(f"unknown age group “{g}” in the population table; expected {groups.labels}")
        if c in commune_index:
            pop[commune_index[c], int(np.searchsorted(sex_codes, s)), label_index[g]] += count
    cell = (commune * s_n + sex) * g_n + np.where(placed, age, 0)
    sample = np.bincount(cell[placed], minlength=c_n * s_n * g_n).reshape(c_n, s_n, g_n).astype(np.float64)
    merged = np.broadcast_to(np.arange(s_n * g_n).reshape(s_n, g_n), (c_n, s_n, g_n)).copy()
    collapses = []
    for ci in np.flatnonzero((((pop > 0) & (sample == 0)) | ((sample > 0) & (pop == 0))).any(axis=(1, 2))):
        merged[ci] = _merge_cells(pop[ci], sample[ci])
        for lab in np.unique(merged[ci]):
            cells = np.argwhere(merged[ci] == lab)
            if len(cells) > 1:
                names = tuple((str(sex_codes[s]), groups.labels[g]) for s, g in cells)
                empty = tuple(
                    (str(sex_codes[s]), groups.labels[g])
                    for s, g in cells
                    if sample[ci, s, g] == 0 < pop[ci, s, g]
                )
                collapses.append(Collapse(str(commune_codes[ci]), names, empty))
    sets = (np.arange(c_n)[:, None, None] * (s_n * g_n) + merged).ravel()
    set_pop = np.bincount(sets, pop.ravel(), minlength=c_n * s_n * g_n)
    cell_d = np.bincount(cell[placed], d[placed], minlength=c_n * s_n * g_n)
    set_d = np.bincount(sets, cell_d, minlength=c_n * s_n * g_n)
    mine = sets[cell]
    lacking = placed & (set_pop[mine] == 0)
    if lacking.any():
        missing = sorted({str(x) for x in commune_codes[commune[lacking]]})
        raise ValueError(f"no population counts for respondents in commune(s) {', '.join(missing)}")
    with np.errstate(invalid="ignore", divide="ignore"):
        weights = np.where(placed, d * set_pop[mine] / set_d[mine], 0.0)
    return PostStratification(weights, tuple(collapses), int(n - placed.sum()))
