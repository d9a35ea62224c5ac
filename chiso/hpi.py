"""The happiness survey from start to finish: plan, simulate, score, publish (DESIGN §4).

The engine (:mod:`chiso.happiness`) scores arrays; this module runs it on a stored wave
and turns the result into what the rest of chiso reads:

- :func:`score_wave` scores every response of a wave with the wave's methodology and a
  fixed seed (the same wave, seed and methodology give the same numbers, to the last
  digit), stores the run (:mod:`chiso.store.surveys`) with the methodology's SHA-256,
  and writes each commune's CB-HPI as an ``hpi_score`` observation for the wave's year,
  so target (9) — "over 90% of communes at 90 points or more" — is assessed by
  :mod:`chiso.assessment` as a share-of-units target like any other;
- :func:`simulate_wave` writes a synthetic, KoboToolbox-style export for demonstrations
  and benchmarks, every row marked ``synthetic = 1``.

**Data status of the observations** (a decision; see also the user guide):

=================================================  =======================  ============
wave                                               status                   why
=================================================  =======================  ============
open (collection going on)                         sơ bộ (preliminary)      more answers
                                                                            may change it
closed, methodology ``status: adopted``            chính thức (final)       complete,
                                                                            official method
closed, methodology still a ``proposal``           sơ bộ (preliminary)      the method is
                                                                            not official
synthetic                                          ước tính (estimate)      the lowest rank
=================================================  =======================  ============

A commune with fewer valid responses than the methodology's ``min_responses`` gets no
observation (it stays "chưa có số liệu" and counts as not meeting the target); its score
is still stored with the run and shown, flagged. The other flags (few villages, an
interval that straddles 90) go into the observation's note with n and the interval.

**Synthetic data is never taken for real data.** A synthetic wave's observations carry
the source "Khảo sát CB-HPI đợt … — DỮ LIỆU MÔ PHỎNG", a note that starts with
"DỮ LIỆU MÔ PHỎNG" and the lowest status, so any real figure of the same commune and
year outranks them; and they are refused outright in a store that holds real responses
for the wave or real ``hpi_score`` figures for the year.
"""

from __future__ import annotations

import csv
import math
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from chiso.areas import Area
from chiso.assessment import Assessment, assess_resolution
from chiso.errors import ChisoError, SyntheticDataConflict
from chiso.happiness import HappinessReport, Interval, score_survey
from chiso.methodology import AnswerType, Methodology, Question
from chiso.observations import DataStatus, Observation
from chiso.periods import Period
from chiso.store.db import Store, WriteResult
from chiso.store.surveys import (
    SamplePlan,
    StoredResult,
    Wave,
    count_responses,
    create_wave,
    get_wave,
    methodology_digest,
    open_wave,
    response_arrays,
    save_results,
    save_sample_plans,
)
from chiso.survey import AgeGroups, poststratify
from chiso.text import format_number
from chiso.xlsform import field_paths

INDICATOR = "hpi_score"
SYNTHETIC_LABEL = "DỮ LIỆU MÔ PHỎNG"
WEIGHTING_LABELS = {
    "sex_age": "hậu phân tầng theo giới tính × nhóm tuổi trong từng xã",
    "commune_population": "trọng số theo dân số xã (điểm toàn tỉnh); trong xã không gia quyền",
    "none": "không gia quyền (mỗi phiếu như nhau)",
}
FloatArray = npt.NDArray[np.float64]


def province_areas(store: Store, province: str) -> list[Area]:
    """The province's units as stored, or as shipped with chiso when the store has none."""
    areas = store.areas(province)
    if any(a.is_commune for a in areas):
        return areas
    from chiso.io.areas_file import bundled_areas

    return bundled_areas(province)


def survey_source(wave: str, *, synthetic: bool) -> str:
    """The source written on a wave's observations."""
    source = f"Khảo sát CB-HPI đợt {wave}"
    return f"{source} — {SYNTHETIC_LABEL}" if synthetic else source


# --------------------------------------------------------------------------------------
# Sample plans
# --------------------------------------------------------------------------------------


def plan_wave(
    store: Store,
    wave: str,
    methodology: Methodology,
    areas: Sequence[Area],
    *,
    per_commune: int,
    province: str,
    villages: Mapping[str, Sequence[str]] | None = None,
    actor: str = "",
) -> list[SamplePlan]:
    """Create the wave if needed and plan ``per_commune`` interviews in every commune.

    ``villages`` lists, by commune code, the villages drawn for the survey; a response
    from another village is then flagged at import.
    """
    if per_commune < methodology.reporting.min_responses:
        raise ChisoError(
            f"Cỡ mẫu {per_commune} phiếu/xã nhỏ hơn mức tối thiểu {methodology.reporting.min_responses} "
            "của phương pháp",
            f"{per_commune} per commune is below the methodology's minimum",
        )
    if get_wave(store, wave) is None:
        create_wave(store, wave, methodology, province=province, actor=actor)
    plans = [
        SamplePlan(a.code, per_commune, tuple((villages or {}).get(a.code, ())))
        for a in sorted(areas, key=lambda a: a.code)
        if a.is_commune and a.parent == province
    ]
    save_sample_plans(store, wave, plans, actor=actor)
    return plans


# --------------------------------------------------------------------------------------
# Simulation
# --------------------------------------------------------------------------------------

KOBO_META = (
    "meta/instanceID",
    "_id",
    "_uuid",
    "_submission_time",
    "_validation_status",
    "_notes",
    "_status",
    "_submitted_by",
    "__version__",
    "_tags",
    "_index",
)


@dataclass(frozen=True)
class SimulatedWave:
    """A synthetic KoboToolbox-style export: header, rows of text, and how it was made."""

    wave: str
    seed: int
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    plans: tuple[SamplePlan, ...]
    commune_levels: Mapping[str, float] = field(default_factory=dict)

    @property
    def n(self) -> int:
        """Number of rows (submissions, refusals included)."""
        return len(self.rows)

    def write_csv(self, path: Path | str) -> Path:
        """Write the export as CSV (UTF-8 with BOM, as Kobo writes it for Excel)."""
        path = Path(path)
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(self.header)
            writer.writerows(self.rows)
        return path


def _ordinal(x: FloatArray, cuts: Sequence[float] | FloatArray) -> npt.NDArray[np.intp]:
    return np.searchsorted(np.asarray(cuts, dtype=np.float64), x).astype(np.intp)


def _simulate_answer(q: Question, x: FloatArray, rng: np.random.Generator) -> npt.NDArray[np.str_]:
    """Codes for one question from a latent well-being ``x`` (higher = better off)."""
    if q.type is AnswerType.LIKERT5:
        code = 1 + _ordinal(x, (-2.0, -1.0, -0.1, 1.1))
        return (6 - code if q.reverse else code).astype(str)
    if q.type is AnswerType.SCALE10:
        code = np.clip(np.rint(6.0 + 1.6 * x), 0, 10).astype(np.intp)
        return (10 - code if q.reverse else code).astype(str)
    if q.type is AnswerType.YES_NO:
        yes = x > -1.9
        return np.where(yes != q.reverse, "1", "0").astype(np.str_)
    if q.type is AnswerType.SINGLE_CHOICE:
        scored = sorted((o for o in q.options if o.score is not None), key=lambda o: o.score or 0.0)
        na = [o.code for o in q.options if o.score is None]
        cuts = np.linspace(-1.8, 0.9, len(scored) - 1) if len(scored) > 1 else np.array([])
        chosen: npt.NDArray[np.str_] = np.array([str(o.code) for o in scored])[_ordinal(x, cuts)]
        if na:
            chosen = np.where(rng.random(x.size) < 0.2, str(na[0]), chosen).astype(np.str_)
        return chosen
    xs = np.array([p[0] for p in q.points])
    ys = np.array([p[1] for p in q.points])
    order = np.argsort(ys)
    achievement = 1 / (1 + np.exp(-(1.3 * x + 1.2)))
    value = np.interp(achievement, ys[order], xs[order])
    low = q.minimum if q.minimum is not None else xs.min()
    high = q.maximum if q.maximum is not None else xs.max()
    return np.asarray(np.clip(np.rint(value), low, high).astype(np.intp).astype(np.str_))


def simulate_wave(
    methodology: Methodology,
    areas: Sequence[Area],
    *,
    n_per_commune: int,
    seed: int,
    wave: str,
    villages_per_commune: int = 6,
    refusal_rate: float = 0.02,
) -> SimulatedWave:
    """A synthetic wave: ``n_per_commune`` submissions in each commune of ``areas``.

    Each commune gets a level of well-being (border communes lower on average), each
    village a random shift, each person a latent score, and every answer follows from
    it through the question's scale, so communes come out spread around 90 points, as
    a demonstration needs. About ``refusal_rate`` of the rows are refusals (consent 0,
    nothing else answered). Every row says ``synthetic = 1``; the same seed gives the
    same file.
    """
    communes = sorted((a for a in areas if a.is_commune), key=lambda a: a.code)
    if not communes:
        raise ChisoError("Không có xã, phường nào để mô phỏng", "No commune to simulate")
    rng = np.random.default_rng(seed)
    year = int(wave[:4])
    c, per, k = len(communes), n_per_commune, max(villages_per_commune, 1)
    n = c * per
    border = np.array([a.border for a in communes])
    level = 0.55 - 0.35 * border + rng.normal(0, 0.45, c)
    commune = np.repeat(np.arange(c), per)
    village = rng.integers(0, k, n)
    village_shift = rng.normal(0, 0.25, (c, k))
    latent = level[commune] + village_shift[commune, village] + rng.normal(0, 0.8, n)
    refused = rng.random(n) < refusal_rate

    names = [
        f"Tổ dân phố {i + 1}" if a.type == "phuong" else f"Thôn {i + 1}" for a in communes for i in range(k)
    ]
    village_names = np.array(names).reshape(c, k)
    paths = field_paths(methodology)
    columns: dict[str, npt.NDArray[np.str_]] = {}
    # Interviews in September and October, between 7:00 and 18:00.
    minutes = rng.integers(0, 61, n) * 24 * 60 + rng.integers(0, 11 * 60, n)
    start = np.datetime64(f"{year}-09-01T07:00") + minutes.astype("timedelta64[m]")
    duration = rng.integers(7 * 60, 15 * 60, n).astype("timedelta64[s]")
    end = start + duration
    submitted = end + rng.integers(60, 3 * 86400, n).astype("timedelta64[s]")
    columns["start"] = np.char.add(np.datetime_as_string(start, unit="s"), "+07:00")
    columns["end"] = np.char.add(np.datetime_as_string(end, unit="s"), "+07:00")
    for d in methodology.demographics:
        if d.role == "consent":
            values = np.where(refused, "0", "1")
        elif d.role == "commune":
            values = np.array([a.code for a in communes])[commune]
        elif d.role == "cluster":
            values = village_names[commune, village]
        elif d.role == "sex" and d.options:
            values = np.array([str(o.code) for o in d.options])[rng.integers(0, len(d.options), n)]
        elif d.type == "number":
            low = int(d.minimum if d.minimum is not None else 18)
            high = int(min(d.maximum if d.maximum is not None else 80, 85))
            values = rng.integers(low, high + 1, n).astype(str)
        elif d.options:
            weights = 1 / np.arange(1, len(d.options) + 1)
            pick = rng.choice(len(d.options), n, p=weights / weights.sum())
            values = np.array([str(o.code) for o in d.options])[pick]
        else:
            values = np.full(n, "")
        columns[paths[d.id]] = values if d.role == "consent" else np.where(refused, "", values)
    for q in methodology.questions:
        x = latent + rng.normal(0, 1.0, n)
        columns[paths[q.id]] = np.where(refused, "", _simulate_answer(q, x, rng))
    ids = [str(uuid.UUID(bytes=rng.bytes(16), version=4)) for _ in range(n)]
    columns["meta/instanceID"] = np.array([f"uuid:{i}" for i in ids])
    columns["_id"] = (100_000 + np.arange(n)).astype(str)
    columns["_uuid"] = np.array(ids)
    columns["_submission_time"] = np.datetime_as_string(submitted, unit="s")
    columns["_validation_status"] = np.full(n, "")
    columns["_notes"] = np.full(n, "")
    columns["_status"] = np.full(n, "submitted_via_web")
    columns["_submitted_by"] = np.full(n, "chiso-mo-phong")
    columns["__version__"] = np.full(n, f"{methodology.id} {methodology.version}")
    columns["_tags"] = np.full(n, "DU_LIEU_MO_PHONG")
    columns["_index"] = (1 + np.arange(n)).astype(str)
    columns["synthetic"] = np.full(n, "1")
    header = tuple(columns)
    rows = tuple(zip(*(columns[h].tolist() for h in header), strict=True))
    plans = tuple(SamplePlan(a.code, per, tuple(village_names[i].tolist())) for i, a in enumerate(communes))
    return SimulatedWave(
        wave, seed, header, rows, plans, {a.code: float(level[i]) for i, a in enumerate(communes)}
    )


# --------------------------------------------------------------------------------------
# Scoring a wave
# --------------------------------------------------------------------------------------


def read_population(path: Path | str) -> list[tuple[str, str, str, float]]:
    """Population margins for post-stratification from a CSV file.

    Columns ``commune, sex, age_group, population`` (or ``mã xã, giới tính, nhóm tuổi,
    dân số``): the commune code, the sex code of the form (1 = Nam, 2 = Nữ), the age
    group as 18–29, 30–44, 45–59, 60+, and the number of adults.
    """
    from chiso.io.long_csv import normalise_area_code
    from chiso.io.tables import cell_text, read_table
    from chiso.numbers import parse_number
    from chiso.text import fold

    sheet = read_table(path)[0]
    aliases = {
        "commune": {"commune", "ma xa", "xa"},
        "sex": {"sex", "gioi tinh"},
        "age_group": {"age_group", "age group", "nhom tuoi"},
        "population": {"population", "dan so", "so nguoi"},
    }
    header = [" ".join(fold(cell_text(v)).replace("_", " ").split()) for v in sheet.rows[0]]
    index = {}
    for key, names in aliases.items():
        names = {" ".join(n.replace("_", " ").split()) for n in names}
        found = [i for i, h in enumerate(header) if h in names]
        if not found:
            raise ChisoError(
                f"Tệp dân số {path} thiếu cột {key}", f"Population file {path} has no column {key}"
            )
        index[key] = found[0]
    out = []
    for row in sheet.rows[1:]:
        cells = [cell_text(row[i]) if i < len(row) else "" for i in index.values()]
        if not any(cells):
            continue
        commune, sex, group, count = cells
        out.append((normalise_area_code(commune), sex, group.replace("-", "–"), parse_number(count)))
    return out


@dataclass(frozen=True)
class WaveScore:
    """A scored wave: the engine's report, the stored run and what was published."""

    wave: Wave
    report: HappinessReport
    run: int
    methodology_sha256: str
    weighting: str
    status: DataStatus
    source: str
    notes: tuple[str, ...]
    written: WriteResult
    published: tuple[str, ...]
    names: Mapping[str, str]
    plans: Mapping[str, SamplePlan] = field(default_factory=dict)

    @property
    def synthetic(self) -> bool:
        """True for a synthetic wave."""
        return self.wave.synthetic


def _weights(
    methodology: Methodology,
    communes: npt.NDArray[np.str_],
    demographics: Mapping[str, FloatArray],
    areas: Sequence[Area],
    population: Sequence[tuple[str, str, str, float]] | None,
) -> tuple[FloatArray | None, str, list[str]]:
    """Survey weights, the weighting used and notes about it."""
    notes: list[str] = []
    roles = {d.role: d.id for d in methodology.demographics}
    if population:
        if "sex" not in roles or "age" not in roles:
            raise ChisoError(
                "Phương pháp không có câu hỏi giới tính và tuổi: không hậu phân tầng được",
                "The methodology has no sex and age questions to post-stratify on",
            )
        sex = demographics.get(roles["sex"], np.full(communes.size, np.nan))
        sexes = np.where(np.isnan(sex), "", np.char.mod("%d", np.nan_to_num(sex).astype(np.int64)))
        ages = demographics.get(roles["age"], np.full(communes.size, np.nan))
        result = poststratify(communes, sexes, ages, population, age_groups=AgeGroups())
        if result.unplaced:
            notes.append(f"{result.unplaced} phiếu thiếu giới tính hoặc tuổi: trọng số 0.")
        if result.collapses:
            notes.append(f"Gộp ô trọng số ở {len({c.commune for c in result.collapses})} xã do thiếu phiếu.")
        return result.weights, "sex_age", notes
    sizes = {a.code: a.population for a in areas}
    codes, counts = np.unique(communes, return_counts=True)
    if codes.size and all(sizes.get(str(code)) for code in codes):
        per = {str(code): (sizes[str(code)] or 0) / count for code, count in zip(codes, counts, strict=True)}
        notes.append(
            "Không có số dân theo giới tính × nhóm tuổi: không hậu phân tầng; điểm toàn tỉnh gia quyền "
            "theo dân số xã."
        )
        return np.array([per[str(c)] for c in communes]), "commune_population", notes
    notes.append("Không có số dân theo giới tính × nhóm tuổi, cũng không đủ dân số xã: không gia quyền.")
    return None, "none", notes


def _status(wave: Wave, methodology: Methodology) -> DataStatus:
    if wave.synthetic:
        return DataStatus.ESTIMATE
    if not wave.is_open and methodology.status == "adopted":
        return DataStatus.FINAL
    return DataStatus.PRELIMINARY


def _interval_text(low: float, high: float) -> str:
    if not (math.isfinite(low) and math.isfinite(high)):
        return "không tính được khoảng tin cậy"
    return f"KTC 95%: {format_number(low, 1)}–{format_number(high, 1)}"


def _guard_synthetic(store: Store, wave: Wave) -> list[str]:
    """Refuse to mix synthetic and real data; notes for a real wave beside synthetic figures."""
    figures = [o for o in store.observations(indicators=[INDICATOR]) if o.period.year == wave.year]
    labelled = [o for o in figures if SYNTHETIC_LABEL in o.source]
    if wave.synthetic:
        if count_responses(store, wave.id, synthetic=False):
            raise SyntheticDataConflict(
                f"Đợt {wave.id} có phiếu thật: không ghi kết quả mô phỏng vào đợt này",
                f"Wave {wave.id} holds real responses: synthetic results refused",
            )
        if len(labelled) < len(figures):
            raise SyntheticDataConflict(
                f"Kho đã có số liệu CB-HPI thật năm {wave.year}: không ghi dữ liệu mô phỏng vào kho này "
                "(dùng một kho riêng, ví dụ CHISO_HOME=/tmp/chiso-demo)",
                f"The store holds real CB-HPI figures for {wave.year}: synthetic results refused",
            )
        return []
    if labelled:
        return [
            f"Kho có số liệu mô phỏng CB-HPI năm {wave.year}; số liệu thật (trạng thái cao hơn) được dùng "
            "trước, nhưng nên xóa dữ liệu mô phỏng khỏi kho thật."
        ]
    return []


def score_wave(
    store: Store,
    wave: str,
    *,
    methodology: Methodology | None = None,
    seed: int = 2026,
    interval: Interval = "bootstrap",
    replicates: int = 200,
    population: Sequence[tuple[str, str, str, float]] | None = None,
    actor: str = "",
) -> WaveScore:
    """Score every response of a wave, store the run and publish the communes' CB-HPI.

    ``methodology`` defaults to the one stored with the wave. Post-stratification by sex
    × age group needs ``population`` margins (:func:`read_population`); without them the
    commune scores are unweighted and the provincial score is weighted by the communes'
    populations when the store knows them (a note says which).
    """
    w = open_wave(store, wave)
    methodology = methodology or w.methodology()
    notes = _guard_synthetic(store, w)
    digest = methodology_digest(methodology)
    if digest != w.methodology_sha256:
        notes.append(
            f"Tính theo phương pháp {methodology.id} {methodology.version} (sha256 {digest[:12]}…), khác "
            f"phương pháp đã gắn với đợt ({w.methodology_sha256[:12]}…)."
        )
    arrays = response_arrays(store, wave, [q.id for q in methodology.questions])
    if arrays.n == 0:
        raise ChisoError(f"Đợt {wave} chưa có phiếu nào", f"Wave {wave} has no responses")
    areas = province_areas(store, w.province)
    weights, weighting, weight_notes = _weights(
        methodology, arrays.communes, arrays.demographics, areas, population
    )
    notes.extend(weight_notes)
    report = score_survey(
        methodology,
        arrays.answers,
        arrays.communes,
        clusters=arrays.villages,
        weights=weights,
        interval=interval,
        replicates=replicates,
        seed=seed,
    )
    results = [
        StoredResult(
            wave,
            0,
            c.code,
            c.score,
            c.H_U,
            c.A_U,
            c.ci_low,
            c.ci_high,
            c.se,
            c.n,
            c.clusters,
            c.flag_codes,
            {"bands": dict(c.bands), "domains": dict(c.domain_contributions)},
            report.method,
            report.interval,
            report.replicates,
            report.seed,
            weighting,
            digest,
            w.synthetic,
        )
        for c in (*report.communes, report.overall)
    ]
    run = save_results(store, wave, results, actor=actor)
    status = _status(w, methodology)
    source = survey_source(wave, synthetic=w.synthetic)
    rules = methodology.reporting
    period = Period.annual(w.year)
    observations: list[Observation] = []
    for c in (*report.communes, report.overall):
        if c.n < rules.min_responses or not math.isfinite(c.score):
            continue
        parts = [
            f"n = {c.n} phiếu, {c.clusters} thôn/tổ",
            _interval_text(c.ci_low, c.ci_high),
            f"phương pháp {methodology.id} {methodology.version} (sha256 {digest[:12]}), "
            f"khoảng tin cậy {report.interval}, seed {seed}",
            WEIGHTING_LABELS[weighting],
            *(f.label for f in c.flags),
        ]
        note = "; ".join(parts) + "."
        if w.synthetic:
            note = f"{SYNTHETIC_LABEL}, không phải số liệu thật. {note}"
        area = w.province if c.code == "*" else c.code
        observations.append(Observation(INDICATOR, area, period, c.score, status, source, note, actor))
    written = store.add_observations(observations, actor=actor, file_name=f"{source} (lần tính {run})")
    names = {a.code: a.name for a in areas}
    from chiso.store.surveys import sample_plans

    return WaveScore(
        w,
        report,
        run,
        digest,
        weighting,
        status,
        source,
        tuple(notes),
        written,
        tuple(o.area for o in observations),
        names,
        sample_plans(store, wave),
    )


# --------------------------------------------------------------------------------------
# The resolution's target
# --------------------------------------------------------------------------------------


def assess_hpi_targets(store: Store, *, as_of: int, resolution: str | None = None) -> list[Assessment]:
    """The assessment of every share-of-units target on ``hpi_score`` (target (9) for Cao Bằng)."""
    from chiso import settings
    from chiso.resolutions import load_resolution, resolve_resolution_path

    res, catalogue = load_resolution(
        resolve_resolution_path(resolution or settings.get("CHISO_RESOLUTION") or "")
    )
    results = assess_resolution(
        res, catalogue, store.observations(), as_of=as_of, areas=store.areas(res.province)
    )
    return [a for a in results if a.target.indicator == INDICATOR and a.target.kind == "share_of_units"]


def target_sentence(assessment: Assessment) -> str:
    """One Vietnamese line: the target, its share of communes and its status."""
    t = assessment.target
    text = f"Chỉ tiêu ({t.number}): {assessment.status.label}"
    coverage = assessment.coverage
    if coverage is not None:
        share = 100 * coverage.meeting / coverage.eligible if coverage.eligible else 0.0
        text += (
            f" — năm {coverage.year}: {coverage.meeting}/{coverage.eligible} xã, phường đạt "
            f"(tỷ lệ {format_number(share, 1)}%, yêu cầu trên {format_number(t.value, 0)}% vào năm "
            f"{t.target_year}); {coverage.reported} đơn vị có số liệu"
        )
    return " ".join([text + ".", *assessment.notes])


def score_at_least(scores: Sequence[float | None], threshold: float = 90) -> tuple[int, int]:
    """How many of the scores reach ``threshold``, and of how many."""
    known = [s for s in scores if s is not None and math.isfinite(s)]
    return sum(1 for s in known if s >= threshold), len(known)


# --------------------------------------------------------------------------------------
# Results as records (JSON, CSV, tables)
# --------------------------------------------------------------------------------------

FLAG_SHORT = {
    "too_few_responses": "ít phiếu",
    "too_few_clusters": "ít thôn",
    "straddles_target": "KTC chứa 90",
}
CSV_COLUMNS = (
    "code",
    "name",
    "n",
    "target_n",
    "clusters",
    "score",
    "ci_low",
    "ci_high",
    "h_u",
    "a_u",
    "flags",
    "synthetic",
    "label",
)


def result_records(
    results: Sequence[StoredResult],
    names: Mapping[str, str],
    plans: Mapping[str, SamplePlan] | None = None,
) -> list[dict[str, object]]:
    """One plain record per commune (the total, code ``*``, last), for JSON, CSV and tables."""
    plans = plans or {}
    rows = sorted(results, key=lambda r: (r.commune == "*", r.commune))
    return [
        {
            "code": r.commune,
            "name": "Toàn bộ mẫu" if r.commune == "*" else names.get(r.commune, r.commune),
            "n": r.n,
            "target_n": plans[r.commune].target_n if r.commune in plans else None,
            "clusters": r.clusters,
            "score": r.score,
            "ci_low": r.ci_low,
            "ci_high": r.ci_high,
            "h_u": r.h_u,
            "a_u": r.a_u,
            "flags": list(r.flags),
            "synthetic": r.synthetic,
            "label": SYNTHETIC_LABEL if r.synthetic else "",
        }
        for r in rows
    ]


def records_csv(records: Sequence[Mapping[str, object]]) -> str:
    """The records as CSV text (flags joined by spaces; a synthetic row says so in ``label``)."""
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for record in records:
        values = []
        for column in CSV_COLUMNS:
            value = record.get(column)
            if isinstance(value, list):
                value = " ".join(str(v) for v in value)
            elif isinstance(value, bool):
                value = int(value)
            values.append("" if value is None else value)
        writer.writerow(values)
    return out.getvalue()


@dataclass(frozen=True)
class WaveResults:
    """A stored scoring run of a wave, ready to show: records, share ≥ 90, the target."""

    wave: Wave
    run: int
    results: tuple[StoredResult, ...]
    records: tuple[dict[str, object], ...]
    meeting: int
    known: int
    targets: tuple[Assessment, ...]

    @property
    def share(self) -> float:
        """Percentage of the communes with a score that reach 90 points."""
        return 100 * self.meeting / self.known if self.known else 0.0

    def as_json(self, notes: Sequence[str] = ()) -> dict[str, object]:
        """Everything as one JSON-ready mapping; a synthetic wave says so at the top."""
        first = self.results[0]
        return {
            "wave": self.wave.id,
            "synthetic": self.wave.synthetic,
            "label": SYNTHETIC_LABEL if self.wave.synthetic else "",
            "run": self.run,
            "methodology": {"id": self.wave.methodology_id, "version": self.wave.methodology_version},
            "methodology_sha256": first.methodology_sha256,
            "seed": first.seed,
            "interval": first.interval,
            "weighting": first.weighting,
            "communes": [r for r in self.records if r["code"] != "*"],
            "overall": next((r for r in self.records if r["code"] == "*"), None),
            "at_least_90": {"communes": self.meeting, "of": self.known},
            "targets": [
                {
                    "id": a.target.id,
                    "status": str(a.status),
                    "label": a.status.label,
                    "text": target_sentence(a),
                }
                for a in self.targets
            ],
            "notes": list(notes),
        }


def wave_results(store: Store, wave: str, *, run: int | None = None) -> WaveResults:
    """The stored results of a run of a wave (default: the newest) and the target's status."""
    from chiso.store.surveys import read_results, sample_plans

    w = open_wave(store, wave)
    results = read_results(store, wave, run=run)
    if not results:
        raise ChisoError(
            f"Đợt {wave} chưa được tính điểm (chiso hpi score --wave {wave})",
            f"Wave {wave} is not scored yet",
        )
    areas = store.areas(w.province)
    if not any(a.is_commune for a in areas):
        from chiso.io.areas_file import bundled_areas

        areas = bundled_areas(w.province)
    records = result_records(results, {a.code: a.name for a in areas}, sample_plans(store, wave))
    meeting, known = score_at_least([r.score for r in results if r.commune != "*"])
    targets = assess_hpi_targets(store, as_of=w.year)
    return WaveResults(w, results[0].run, tuple(results), tuple(records), meeting, known, tuple(targets))
