"""Tests of chiso.hpi: simulate a wave, import it, score it, publish it, assess target (9)."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from chiso.assessment import Status, assess_resolution
from chiso.hpi import (
    SYNTHETIC_LABEL,
    SyntheticDataConflict,
    assess_hpi_targets,
    plan_wave,
    score_wave,
    simulate_wave,
    target_sentence,
    wave_results,
)
from chiso.io.areas_file import bundled_areas
from chiso.io.odk import import_export
from chiso.methodology import default_methodology
from chiso.observations import DataStatus, Observation
from chiso.periods import Period
from chiso.resolutions import load_resolution, resolve_resolution_path
from chiso.store import Store
from chiso.store.surveys import (
    close_wave,
    get_wave,
    methodology_digest,
    read_results,
    response_arrays,
    result_runs,
    sample_plans,
)

M = default_methodology()
AREAS = bundled_areas("04")
COMMUNES = [a for a in AREAS if a.is_commune]


def _seeded(store: Store) -> Store:
    store.save_areas(AREAS)
    return store


def _import(store: Store, tmp_path: Path, *, wave: str = "2026", per: int = 60, seed: int = 2026) -> None:
    export = simulate_wave(M, AREAS, n_per_commune=per, seed=seed, wave=wave).write_csv(
        tmp_path / f"{wave}.csv"
    )
    import_export(store, export, wave=wave, province="04")


def test_simulated_export_is_labelled_and_reproducible() -> None:
    a = simulate_wave(M, AREAS, n_per_commune=10, seed=7, wave="2026")
    b = simulate_wave(M, AREAS, n_per_commune=10, seed=7, wave="2026")
    c = simulate_wave(M, AREAS, n_per_commune=10, seed=8, wave="2026")
    assert a.rows == b.rows and a.rows != c.rows
    assert a.n == 560 and len(a.plans) == 56
    header = list(a.header)
    assert all(row[header.index("synthetic")] == "1" for row in a.rows)
    assert {"meta/instanceID", "_uuid", "_submission_time", "respondent/commune", "opportunity/q14"} <= set(
        header
    )
    ids = [row[header.index("_uuid")] for row in a.rows]
    assert len(set(ids)) == len(ids)


def test_a_synthetic_wave_from_export_to_target_9(store: Store, tmp_path: Path) -> None:
    """The issue's "done": import a few thousand synthetic responses, score, assess target (9)."""
    _seeded(store)
    _import(store, tmp_path)
    wave = get_wave(store, "2026")
    assert wave is not None and wave.synthetic and wave.year == 2026
    arrays = response_arrays(store, "2026", [q.id for q in M.questions])
    assert 3000 < arrays.n <= 56 * 60 and arrays.synthetic.all()

    scored = score_wave(store, "2026", seed=2026)
    report = scored.report
    assert len(report.communes) == 56
    assert all(0 <= c.score <= 100 and c.ci_low <= c.score <= c.ci_high for c in report.communes)
    assert {c.n for c in report.communes} <= set(range(50, 61))
    assert scored.status is DataStatus.ESTIMATE
    assert scored.weighting == "commune_population"

    # The run is stored with the methodology's SHA-256 and the seed.
    stored = read_results(store, "2026")
    assert len(stored) == 57 and {r.run for r in stored} == {1}
    assert {r.methodology_sha256 for r in stored} == {methodology_digest(M)} == {wave.methodology_sha256}
    assert {r.seed for r in stored} == {2026}
    assert all(r.synthetic for r in stored)
    by_code = {r.commune: r for r in stored}
    for c in report.communes:
        assert by_code[c.code].score == pytest.approx(c.score)

    # Every commune's CB-HPI is an hpi_score figure for 2026, clearly labelled.
    figures = [o for o in store.observations(indicators=["hpi_score"])]
    assert sorted(o.area for o in figures) == sorted([*(c.code for c in COMMUNES), "04"])
    assert all(o.period == Period.annual(2026) and o.status is DataStatus.ESTIMATE for o in figures)
    assert all(SYNTHETIC_LABEL in o.source and o.note.startswith(SYNTHETIC_LABEL) for o in figures)
    assert all("KTC 95%" in o.note and methodology_digest(M)[:12] in o.note for o in figures)

    # Target (9) is assessed by the core engine as a share-of-units target.
    resolution, catalogue = load_resolution(resolve_resolution_path("cao-bang-2025-2030"))
    assessments = assess_resolution(
        resolution, catalogue, store.observations(), as_of=2026, areas=store.areas("04")
    )
    target = next(a for a in assessments if a.target.id == "9")
    assert isinstance(target.status, Status)
    assert target.coverage is not None
    meeting = sum(1 for c in report.communes if c.score >= 90)
    assert (target.coverage.eligible, target.coverage.reported, target.coverage.meeting) == (56, 56, meeting)
    assert 0 < meeting < 56  # the simulation spreads communes around 90 points
    assert target.measured == pytest.approx(100 * meeting / 56)
    (same,) = assess_hpi_targets(store, as_of=2026)
    assert target_sentence(same).startswith(f"Chỉ tiêu (9): {same.status.label} — năm 2026: {meeting}/56")

    # Re-running gives the same numbers and publishes nothing new.
    again = score_wave(store, "2026", seed=2026)
    assert again.run == 2 and again.written.added == 0
    rerun = read_results(store, "2026", run=2)
    assert [(r.commune, r.score, r.ci_low, r.ci_high, r.n) for r in rerun] == [
        (r.commune, r.score, r.ci_low, r.ci_high, r.n) for r in stored
    ]
    assert result_runs(store, "2026") == [1, 2]
    shown = wave_results(store, "2026")
    assert shown.run == 2 and shown.meeting == meeting and shown.as_json()["label"] == SYNTHETIC_LABEL


def test_a_second_wave_gives_target_9_a_trend(store: Store, tmp_path: Path) -> None:
    _seeded(store)
    for wave, seed in (("2026", 1), ("2027", 2)):
        _import(store, tmp_path, wave=wave, per=35, seed=seed)
        score_wave(store, wave, replicates=20)
    (first,) = assess_hpi_targets(store, as_of=2026)
    (second,) = assess_hpi_targets(store, as_of=2027)
    assert first.status is Status.NO_DATA and "Mới có một số liệu" in " ".join(first.notes)
    assert second.status is not Status.NO_DATA
    assert second.coverage is not None and second.coverage.year == 2027


def test_synthetic_results_are_refused_beside_real_figures(store: Store, tmp_path: Path) -> None:
    _seeded(store)
    _import(store, tmp_path, per=35)
    real = Observation(
        "hpi_score", COMMUNES[0].code, Period.annual(2026), 91.0, DataStatus.FINAL, "Sở VHTTDL"
    )
    store.add_observations([real])
    with pytest.raises(SyntheticDataConflict):
        score_wave(store, "2026")
    assert read_results(store, "2026") == []
    assert [o.source for o in store.observations(indicators=["hpi_score"])] == ["Sở VHTTDL"]


def _real_export(tmp_path: Path, per: int, communes: int | None = None) -> Path:
    """A simulated export with the synthetic column dropped: stands in for a real one."""
    simulated = simulate_wave(M, AREAS[: (communes or 56) + 1], n_per_commune=per, seed=5, wave="2026")
    keep = [i for i, h in enumerate(simulated.header) if h != "synthetic"]
    path = tmp_path / "real.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([simulated.header[i] for i in keep])
        writer.writerows([[row[i] for i in keep] for row in simulated.rows])
    return path


def test_real_wave_status_follows_the_wave_and_the_methodology(store: Store, tmp_path: Path) -> None:
    _seeded(store)
    adopted = M.model_copy(update={"status": "adopted"})
    import_export(store, _real_export(tmp_path, 35, communes=4), wave="2026", methodology=adopted)
    open_score = score_wave(store, "2026", replicates=20, actor="Thống kê tỉnh")
    assert not open_score.synthetic
    assert open_score.status is DataStatus.PRELIMINARY
    assert open_score.source == "Khảo sát CB-HPI đợt 2026"
    figures = store.observations(indicators=["hpi_score"])
    assert figures and all(SYNTHETIC_LABEL not in o.source + o.note for o in figures)
    close_wave(store, "2026")
    closed = score_wave(store, "2026", replicates=20)
    assert closed.status is DataStatus.FINAL


def test_poststratification_and_small_communes(store: Store, tmp_path: Path) -> None:
    _seeded(store)
    import_export(store, _real_export(tmp_path, 40, communes=3), wave="2026")
    codes = [c.code for c in COMMUNES[:3]]
    margins = [
        (code, sex, group, 100.0 + 10 * i)
        for code in codes
        for i, (sex, group) in enumerate(
            (s, g) for s in ("1", "2") for g in ("18–29", "30–44", "45–59", "60+")
        )
    ]
    weighted = score_wave(store, "2026", population=margins, replicates=20)
    assert weighted.weighting == "sex_age"
    stored = read_results(store, "2026")
    assert {r.weighting for r in stored} == {"sex_age"}
    # The province-wide score weighs each commune by its adult population in the margins.
    assert weighted.report.overall.weight == pytest.approx(3 * sum(100.0 + 10 * i for i in range(8)))


def test_communes_with_too_few_responses_are_not_published(store: Store, tmp_path: Path) -> None:
    _seeded(store)
    import_export(store, _real_export(tmp_path, 12, communes=4), wave="2026")
    scored = score_wave(store, "2026", interval="none")
    assert all("too_few_responses" in c.flag_codes for c in scored.report.communes)
    assert scored.published == ("04",)  # only the province-wide score (n ≥ 30)


def test_plans_are_kept_and_shown(store: Store, tmp_path: Path) -> None:
    _seeded(store)
    plans = plan_wave(store, "2026", M, AREAS, per_commune=60, province="04")
    assert len(plans) == 56
    assert sample_plans(store, "2026")[COMMUNES[0].code].target_n == 60
    wave = get_wave(store, "2026")
    assert wave is not None and not wave.synthetic
    with pytest.raises(Exception, match="nhỏ hơn mức tối thiểu"):
        plan_wave(store, "2027", M, AREAS, per_commune=10, province="04")


def test_response_arrays_are_aligned(store: Store, tmp_path: Path) -> None:
    _seeded(store)
    _import(store, tmp_path, per=31)
    arrays = response_arrays(store, "2026", ["q01", "q12"])
    assert arrays.communes.shape == arrays.villages.shape == arrays.answers["q01"].shape
    assert np.isfinite(arrays.answers["q12"]).all()
    assert set(arrays.demographics) == {"age", "ethnicity", "sex"}
