"""Reading and writing the happiness survey: waves, sample plans, responses, results.

Functions take a :class:`~chiso.store.db.Store` and plain values or frozen dataclasses,
so :mod:`chiso.hpi` and :mod:`chiso.io.odk` never touch a session. Every write is one
transaction (all or nothing) and leaves a line in the audit log. Responses come back
as NumPy arrays (:func:`response_arrays`), the shape the scoring engine takes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import yaml
from sqlalchemy import func, insert, select

from chiso.errors import ChisoError, InvalidWaveId, WaveNotFound
from chiso.methodology import Methodology
from chiso.store.db import Store, _aware
from chiso.store.models import AuditEntry, ImportBatch, utcnow
from chiso.store.survey_models import HpiResponse, HpiResult, HpiSamplePlan, HpiWave

FloatArray = npt.NDArray[np.float64]
WAVE_ID = re.compile(r"^(\d{4})(?:[-_.][0-9A-Za-z]+)*$")
OPEN, CLOSED = "open", "closed"


def wave_year(wave: str) -> int:
    """The year of a wave id: ``"2026"`` → 2026, ``"2026-dot2"`` → 2026."""
    match = WAVE_ID.match(wave)
    if match is None or len(wave) > 20:
        raise InvalidWaveId(wave)
    return int(match.group(1))


# --- methodology identity ------------------------------------------------------------


def methodology_digest(methodology: Methodology) -> str:
    """SHA-256 of the methodology's validated content (canonical JSON, sorted keys).

    Comments, key order and spacing of the YAML file do not change it; any change of a
    weight, cut-off, question or option does.
    """
    canonical = json.dumps(methodology.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def methodology_text(methodology: Methodology) -> str:
    """The methodology as YAML text that loads back to the same content (and digest)."""
    return yaml.safe_dump(methodology.model_dump(mode="json"), allow_unicode=True, sort_keys=False)


# --- waves ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Wave:
    """A survey wave as stored."""

    id: str
    year: int
    province: str
    methodology_id: str
    methodology_version: str
    methodology_sha256: str
    methodology_text: str
    status: str
    synthetic: bool
    created_at: dt.datetime | None
    created_by: str
    closed_at: dt.datetime | None

    @property
    def is_open(self) -> bool:
        """True while responses may still come in."""
        return self.status == OPEN

    def methodology(self) -> Methodology:
        """The methodology the wave is scored with, as it was when the wave was created."""
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        return Methodology.model_validate(yaml.load(self.methodology_text, Loader=loader))


def _wave(row: HpiWave) -> Wave:
    return Wave(
        row.id,
        row.year,
        row.province,
        row.methodology_id,
        row.methodology_version,
        row.methodology_sha256,
        row.methodology_text,
        row.status,
        row.synthetic,
        _aware(row.created_at),
        row.created_by,
        _aware(row.closed_at),
    )


def get_wave(store: Store, wave: str) -> Wave | None:
    """The wave with this id, or ``None``."""
    with store.session() as s:
        row = s.get(HpiWave, wave)
        return _wave(row) if row is not None else None


def open_wave(store: Store, wave: str) -> Wave:
    """The wave with this id; :class:`WaveNotFound` if there is none."""
    found = get_wave(store, wave)
    if found is None:
        raise WaveNotFound(wave)
    return found


def list_waves(store: Store) -> list[Wave]:
    """Every wave, oldest id first."""
    with store.session() as s:
        return [_wave(r) for r in s.scalars(select(HpiWave).order_by(HpiWave.id))]


def create_wave(
    store: Store,
    wave: str,
    methodology: Methodology,
    *,
    province: str,
    synthetic: bool = False,
    actor: str = "",
) -> Wave:
    """Create a wave scored with ``methodology`` (its content is stored with the wave)."""
    year = wave_year(wave)
    text = methodology_text(methodology)
    digest = methodology_digest(methodology)
    with store.session() as s:
        if s.get(HpiWave, wave) is not None:
            raise ChisoError(f"Đợt khảo sát “{wave}” đã có", f"Survey wave “{wave}” already exists")
        row = HpiWave(
            id=wave,
            year=year,
            province=province,
            methodology_id=methodology.id,
            methodology_version=methodology.version,
            methodology_sha256=digest,
            methodology_text=text,
            status=OPEN,
            synthetic=synthetic,
            created_at=utcnow(),
            created_by=actor,
        )
        s.add(row)
        s.add(
            AuditEntry(
                actor=actor,
                action="insert",
                entity="hpi_wave",
                entity_id=wave,
                after={"methodology": methodology.id, "sha256": digest, "synthetic": synthetic},
            )
        )
        s.flush()
        return _wave(row)


def close_wave(store: Store, wave: str, *, actor: str = "") -> Wave:
    """Mark a wave closed: collection is over, its scores may become final."""
    with store.session() as s:
        row = s.get(HpiWave, wave)
        if row is None:
            raise WaveNotFound(wave)
        if row.status != CLOSED:
            row.status, row.closed_at = CLOSED, utcnow()
            s.add(
                AuditEntry(
                    actor=actor,
                    action="update",
                    entity="hpi_wave",
                    entity_id=wave,
                    before={"status": OPEN},
                    after={"status": CLOSED},
                )
            )
        s.flush()
        return _wave(row)


# --- sample plans ----------------------------------------------------------------------


@dataclass(frozen=True)
class SamplePlan:
    """How many interviews a commune should give, and in which villages."""

    commune: str
    target_n: int
    villages: tuple[str, ...] = ()


def save_sample_plans(store: Store, wave: str, plans: Iterable[SamplePlan], *, actor: str = "") -> int:
    """Insert or replace the plan of each commune listed; return how many were written."""
    count = 0
    with store.session() as s:
        if s.get(HpiWave, wave) is None:
            raise WaveNotFound(wave)
        existing = {r.commune: r for r in s.scalars(select(HpiSamplePlan).where(HpiSamplePlan.wave == wave))}
        for plan in plans:
            row = existing.get(plan.commune)
            if row is None:
                s.add(
                    HpiSamplePlan(
                        wave=wave, commune=plan.commune, target_n=plan.target_n, villages=list(plan.villages)
                    )
                )
            else:
                row.target_n, row.villages = plan.target_n, list(plan.villages)
            count += 1
        s.add(
            AuditEntry(
                actor=actor, action="update", entity="hpi_sample_plans", entity_id=wave, after={"n": count}
            )
        )
    return count


def sample_plans(store: Store, wave: str) -> dict[str, SamplePlan]:
    """The plan of every commune of a wave, by commune code."""
    with store.session() as s:
        rows = s.scalars(
            select(HpiSamplePlan).where(HpiSamplePlan.wave == wave).order_by(HpiSamplePlan.commune)
        )
        return {r.commune: SamplePlan(r.commune, r.target_n, tuple(r.villages or ())) for r in rows}


# --- responses -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SurveyResponse:
    """One submission, read and checked: coded answers by question id (``None`` = blank)."""

    instance_id: str
    commune: str
    village: str
    submitted_at: dt.datetime | None
    answers: Mapping[str, float | None]
    demographics: Mapping[str, Any]
    extra: Mapping[str, Any] = field(default_factory=dict)
    synthetic: bool = False

    @property
    def fingerprint(self) -> str:
        """SHA-256 of what was answered, where and by whom (not of when it was imported)."""
        content = [self.commune, self.village, dict(self.answers), dict(self.demographics), self.synthetic]
        return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


@dataclass(frozen=True)
class SavedResponses:
    """What a save of responses did."""

    added: int
    unchanged: int
    batch_id: int | None


def response_fingerprints(store: Store, wave: str) -> dict[str, str]:
    """The fingerprint of every stored response of a wave, by instance ID."""
    with store.session() as s:
        rows = s.execute(
            select(HpiResponse.instance_id, HpiResponse.fingerprint).where(HpiResponse.wave == wave)
        )
        return {instance: fp for instance, fp in rows}


def count_responses(store: Store, wave: str, *, synthetic: bool | None = None) -> int:
    """How many responses a wave holds (only synthetic or only real ones if asked)."""
    with store.session() as s:
        query = select(func.count()).select_from(HpiResponse).where(HpiResponse.wave == wave)
        if synthetic is not None:
            query = query.where(HpiResponse.synthetic == synthetic)
        return int(s.scalar(query) or 0)


def save_responses(
    store: Store,
    wave: str,
    responses: Sequence[SurveyResponse],
    *,
    file_name: str,
    sha256: str = "",
    unchanged: int = 0,
    actor: str = "",
) -> SavedResponses:
    """Store new responses of a wave in one transaction, with an import batch and an audit line.

    The caller has checked them; a response whose instance ID is already stored makes
    the database refuse the whole batch (nothing is written).
    """
    with store.session() as s:
        if s.get(HpiWave, wave) is None:
            raise WaveNotFound(wave)
        batch = ImportBatch(
            file_name=file_name, sha256=sha256, actor=actor, added=len(responses), unchanged=unchanged
        )
        s.add(batch)
        s.flush()
        if responses:
            s.execute(
                insert(HpiResponse),
                [
                    {
                        "wave": wave,
                        "instance_id": r.instance_id,
                        "commune": r.commune,
                        "village": r.village,
                        "submitted_at": r.submitted_at,
                        "answers": dict(r.answers),
                        "demographics": dict(r.demographics),
                        "extra": dict(r.extra),
                        "fingerprint": r.fingerprint,
                        "synthetic": r.synthetic,
                        "batch_id": batch.id,
                    }
                    for r in responses
                ],
            )
        s.add(
            AuditEntry(
                actor=actor,
                action="import",
                entity="hpi_responses",
                entity_id=wave,
                after={"file": file_name, "sha256": sha256, "added": len(responses), "unchanged": unchanged},
            )
        )
        return SavedResponses(len(responses), unchanged, batch.id)


@dataclass(frozen=True, eq=False)
class ResponseArrays:
    """A wave's responses as aligned arrays, in the order they were stored.

    ``answers[q]`` holds question q's coded answers (NaN = blank); ``demographics[d]``
    the numeric demographic answers (sex and ethnicity codes, age; NaN = blank).
    """

    instance_ids: npt.NDArray[np.str_]
    communes: npt.NDArray[np.str_]
    villages: npt.NDArray[np.str_]
    answers: dict[str, FloatArray]
    demographics: dict[str, FloatArray]
    synthetic: npt.NDArray[np.bool_]

    @property
    def n(self) -> int:
        """Number of responses."""
        return int(self.communes.size)


def _number(value: Any) -> float:
    if isinstance(value, bool) or value is None:
        return np.nan
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(value)
    except (TypeError, ValueError):
        return np.nan


def _column(values: list[Any]) -> FloatArray:
    """A float column from JSON values: numbers as they are, ``None`` (and any text) as NaN."""
    try:
        return np.array(values, dtype=np.float64)  # None becomes NaN
    except (TypeError, ValueError):
        return np.array([_number(v) for v in values], dtype=np.float64)


def response_arrays(store: Store, wave: str, question_ids: Iterable[str]) -> ResponseArrays:
    """The responses of a wave as arrays for :func:`chiso.happiness.score_survey`."""
    questions = list(question_ids)
    with store.session() as s:
        rows = s.execute(
            select(
                HpiResponse.instance_id,
                HpiResponse.commune,
                HpiResponse.village,
                HpiResponse.answers,
                HpiResponse.demographics,
                HpiResponse.synthetic,
            )
            .where(HpiResponse.wave == wave)
            .order_by(HpiResponse.id)
        ).all()
    keys = sorted({k for r in rows for k in (r.demographics or {})})
    answers = {q: _column([r.answers.get(q) for r in rows]) for q in questions}
    demographics = {k: _column([(r.demographics or {}).get(k) for r in rows]) for k in keys}
    return ResponseArrays(
        np.array([r.instance_id for r in rows], dtype=str),
        np.array([r.commune for r in rows], dtype=str),
        np.array([r.village or "" for r in rows], dtype=str),
        answers,
        demographics,
        np.array([bool(r.synthetic) for r in rows], dtype=bool),
    )


# --- results -------------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredResult:
    """A commune's score in one scoring run (commune ``*``: the whole sample)."""

    wave: str
    run: int
    commune: str
    score: float | None
    h_u: float | None
    a_u: float | None
    ci_low: float | None
    ci_high: float | None
    se: float | None
    n: int
    clusters: int
    flags: tuple[str, ...]
    details: Mapping[str, Any]
    method: str
    interval: str
    replicates: int
    seed: int | None
    weighting: str
    methodology_sha256: str
    synthetic: bool
    computed_at: dt.datetime | None = None
    computed_by: str = ""


def _result(row: HpiResult) -> StoredResult:
    return StoredResult(
        row.wave,
        row.run,
        row.commune,
        row.score,
        row.h_u,
        row.a_u,
        row.ci_low,
        row.ci_high,
        row.se,
        row.n,
        row.clusters,
        tuple(row.flags or ()),
        row.details or {},
        row.method,
        row.interval_method,
        row.replicates,
        row.seed,
        row.weighting,
        row.methodology_sha256,
        row.synthetic,
        _aware(row.computed_at),
        row.computed_by,
    )


def _finite(value: float | None) -> float | None:
    # NaN is not JSON and PostgreSQL sorts it above every number: store it as NULL.
    return None if value is None or not np.isfinite(value) else float(value)


def save_results(store: Store, wave: str, results: Sequence[StoredResult], *, actor: str = "") -> int:
    """Store one scoring run of a wave (the ``run`` of each result is ignored); return its number."""
    with store.session() as s:
        if s.get(HpiWave, wave) is None:
            raise WaveNotFound(wave)
        run = int(s.scalar(select(func.max(HpiResult.run)).where(HpiResult.wave == wave)) or 0) + 1
        now = utcnow()
        s.execute(
            insert(HpiResult),
            [
                {
                    "wave": wave,
                    "run": run,
                    "commune": r.commune,
                    "score": _finite(r.score),
                    "h_u": _finite(r.h_u),
                    "a_u": _finite(r.a_u),
                    "ci_low": _finite(r.ci_low),
                    "ci_high": _finite(r.ci_high),
                    "se": _finite(r.se),
                    "n": r.n,
                    "clusters": r.clusters,
                    "flags": list(r.flags),
                    "details": dict(r.details),
                    "method": r.method,
                    "interval_method": r.interval,
                    "replicates": r.replicates,
                    "seed": r.seed,
                    "weighting": r.weighting,
                    "methodology_sha256": r.methodology_sha256,
                    "synthetic": r.synthetic,
                    "computed_at": now,
                    "computed_by": actor,
                }
                for r in results
            ],
        )
        s.add(
            AuditEntry(
                actor=actor,
                action="insert",
                entity="hpi_results",
                entity_id=f"{wave}/{run}",
                after={"communes": len(results), "sha256": results[0].methodology_sha256 if results else ""},
            )
        )
        return run


def result_runs(store: Store, wave: str) -> list[int]:
    """The numbers of the scoring runs of a wave, oldest first."""
    with store.session() as s:
        return list(
            s.scalars(select(HpiResult.run).where(HpiResult.wave == wave).distinct().order_by(HpiResult.run))
        )


def read_results(store: Store, wave: str, *, run: int | None = None) -> list[StoredResult]:
    """The results of one run of a wave (default: the newest), by commune code."""
    with store.session() as s:
        if run is None:
            run = s.scalar(select(func.max(HpiResult.run)).where(HpiResult.wave == wave))
            if run is None:
                return []
        rows = s.scalars(
            select(HpiResult).where(HpiResult.wave == wave, HpiResult.run == run).order_by(HpiResult.commune)
        )
        return [_result(r) for r in rows]
