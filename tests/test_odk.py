"""Tests of chiso.io.odk: ODK Central and KoboToolbox exports, checked, all or nothing."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from sqlalchemy import func, select

from chiso.areas import Area
from chiso.errors import InvalidFile
from chiso.io.areas_file import bundled_areas
from chiso.io.importer import CellProblem
from chiso.io.odk import import_export, read_export
from chiso.methodology import AnswerType, Question, default_methodology
from chiso.store import Store
from chiso.store.models import AuditEntry, ImportBatch
from chiso.store.survey_models import HpiResponse, HpiWave
from chiso.store.surveys import count_responses, get_wave
from chiso.xlsform import field_paths

M = default_methodology()
AREAS = bundled_areas("04")
COMMUNES = [a.code for a in AREAS if a.is_commune]
PATHS = field_paths(M)
Row = dict[str, Any]


def valid_code(q: Question) -> int:
    """An answer every question accepts."""
    if q.type is AnswerType.NUMBER:
        return 2
    return next(code for code, score in q.codes() if score == score)  # a scored code (not NaN)


def submission(i: int, **changes: Any) -> Row:
    """One Kobo-style row (field paths with "/"), valid unless ``changes`` say otherwise."""
    row: Row = {
        "start": "2026-09-14T08:00:00+07:00",
        "end": "2026-09-14T08:11:00+07:00",
        "consent": "1",
        "respondent/commune": COMMUNES[i % len(COMMUNES)],
        "respondent/village": f"Thôn {i % 3 + 1}",
        "respondent/sex": str(i % 2 + 1),
        "respondent/age": str(20 + i),
        "respondent/ethnicity": "1",
    }
    row.update({PATHS[q.id]: str(valid_code(q)) for q in M.questions})
    row.update(
        {
            "meta/instanceID": f"uuid:00000000-0000-4000-8000-{i:012d}",
            "_id": str(1000 + i),
            "_uuid": f"00000000-0000-4000-8000-{i:012d}",
            "_submission_time": f"2026-09-15T10:{i % 60:02d}:00",
            "_validation_status": "",
        }
    )
    row.update(changes)
    return row


def write_csv(path: Path, rows: list[Row], *, delimiter: str = ",") -> Path:
    header = list(dict.fromkeys(k for r in rows for k in r))
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, header, delimiter=delimiter, restval="")
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[Row]) -> Path:
    header = list(dict.fromkeys(k for r in rows for k in r))
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(header)
    for r in rows:
        # Numbers as numbers, as Kobo's XLSX export writes them.
        sheet.append(
            [
                int(v) if isinstance(v, str) and v.isdigit() and k != "respondent/commune" else v
                for k, v in ((h, r.get(h)) for h in header)
            ]
        )
    workbook.save(path)
    return path


def central(row: Row) -> Row:
    """The same submission as ODK Central exports it: "-" between groups, its own metadata."""
    out: Row = {"SubmissionDate": "2026-09-15T03:00:00.000Z"}
    for key, value in row.items():
        if key.startswith("_"):
            continue
        out[key.replace("/", "-")] = value
    out["KEY"] = row["meta/instanceID"]
    out["SubmitterName"] = "Điều tra viên 1"
    out["ReviewState"] = ""
    return out


def read(path: Path, **kwargs: Any) -> Any:
    return read_export(path, M, AREAS, province="04", **kwargs)


def rows_in(store: Store) -> tuple[int, ...]:
    """Row counts of every table an import could write to."""
    with store.session() as s:
        return tuple(
            int(s.scalar(select(func.count()).select_from(model)) or 0)
            for model in (HpiWave, HpiResponse, ImportBatch, AuditEntry)
        )


# --------------------------------------------------------------------------------
# Reading both servers' exports
# --------------------------------------------------------------------------------


def test_kobo_csv_with_groups_semicolons_and_split_select_multiple(tmp_path: Path) -> None:
    rows = [
        submission(
            i,
            **{
                "respondent/services": "health school",
                "respondent/services/health": "1",
                "respondent/services/school": "1",
                "respondent/services/bank": "0",
            },
        )
        for i in range(5)
    ]
    report = read(write_csv(tmp_path / "kobo.csv", rows, delimiter=";"))
    assert report.server == "kobo"
    assert report.rows == 5 and len(report.new) == 5
    first = report.responses[0]
    assert first.instance_id == "00000000-0000-4000-8000-000000000000"
    assert first.commune == COMMUNES[0]
    assert first.village == "Thôn 1"
    assert first.answers["q01"] == valid_code(M.question("q01"))
    assert first.demographics == {"sex": 1, "age": 20, "ethnicity": 1}
    assert first.extra["services"] == ["health", "school"]
    assert first.extra["start"] == "2026-09-14T08:00:00+07:00"
    assert first.submitted_at == dt.datetime(2026, 9, 15, 10, 0, tzinfo=dt.UTC)
    assert not first.synthetic
    assert "_id" in report.ignored_columns


def test_odk_central_csv_with_dash_groups_review_and_space_separated_choices(tmp_path: Path) -> None:
    rows = [central(submission(i, **{"respondent/services": "bank health"})) for i in range(4)]
    rows[2]["ReviewState"] = "rejected"
    report = read(write_csv(tmp_path / "central.csv", rows), select_multiple={"services"})
    assert report.server == "odk-central"
    assert len(report.responses) == 3
    assert report.rejected == 1
    assert [w.kind for w in report.warnings] == ["warning-rejected"]
    first = report.responses[0]
    assert first.extra["services"] == ["bank", "health"]
    assert "SubmitterName" not in first.extra
    assert first.submitted_at == dt.datetime(2026, 9, 15, 3, 0, tzinfo=dt.UTC)
    assert first.instance_id == "00000000-0000-4000-8000-000000000000"


def test_kobo_xlsx_export_with_numbers_and_split_only_choices(tmp_path: Path) -> None:
    rows = [
        submission(i, **{"respondent/services/health": str(i % 2), "respondent/services/bank": "1"})
        for i in range(3)
    ]
    report = read(write_xlsx(tmp_path / "kobo.xlsx", rows))
    assert len(report.responses) == 3
    assert report.responses[0].extra["services"] == ["bank"]
    assert report.responses[1].extra["services"] == ["health", "bank"]
    assert report.responses[0].answers["q12"] == 2


def test_labels_and_names_instead_of_codes(tmp_path: Path) -> None:
    row = submission(0, **{"respondent/commune": "Xã Hưng Đạo", PATHS["q04"]: "Đồng ý", PATHS["q07"]: "Có"})
    report = read(write_csv(tmp_path / "labels.csv", [row]))
    response = report.responses[0]
    assert response.commune == next(a.code for a in AREAS if a.name == "Xã Hưng Đạo")
    assert response.answers["q04"] == 4
    assert response.answers["q07"] == 1


def test_refusals_and_empty_rows_are_skipped_with_a_warning(tmp_path: Path) -> None:
    refused = {k: "" for k in submission(1) if not k.startswith(("meta", "_"))} | {
        "consent": "0",
        "meta/instanceID": "uuid:refused",
    }
    report = read(write_csv(tmp_path / "refusals.csv", [submission(0), refused]))
    assert len(report.responses) == 1
    assert report.refused == 1
    assert report.warnings[0].kind == "warning-refused-consent"


# --------------------------------------------------------------------------------
# Bad rows: located problems, nothing written
# --------------------------------------------------------------------------------

BAD_ROWS: list[tuple[str, Callable[[list[Row]], None], str, str]] = [
    (
        "unknown commune",
        lambda r: r[1].update({"respondent/commune": "99999"}),
        "unknown-area",
        "respondent/commune",
    ),
    ("no commune", lambda r: r[1].update({"respondent/commune": ""}), "missing-value", "respondent/commune"),
    ("scale above 10", lambda r: r[1].update({PATHS["q01"]: "11"}), "out-of-range", PATHS["q01"]),
    ("likert 7", lambda r: r[1].update({PATHS["q02"]: "7"}), "out-of-range", PATHS["q02"]),
    ("31 sick days", lambda r: r[1].update({PATHS["q12"]: "31"}), "out-of-range", PATHS["q12"]),
    ("option 8", lambda r: r[1].update({PATHS["q05"]: "8"}), "out-of-range", PATHS["q05"]),
    ("age 12", lambda r: r[1].update({"respondent/age": "12"}), "out-of-range", "respondent/age"),
    ("not an answer", lambda r: r[1].update({PATHS["q03"]: "tốt"}), "out-of-range", PATHS["q03"]),
    ("no consent", lambda r: r[1].update({"consent": ""}), "missing-consent", "consent"),
    ("refused consent", lambda r: r[1].update({"consent": "0"}), "refused-consent", "consent"),
    (
        "same instance ID",
        lambda r: r[1].update({"meta/instanceID": r[0]["meta/instanceID"]}),
        "duplicate",
        "meta/instanceID",
    ),
    (
        "no instance ID",
        lambda r: r[1].update({"meta/instanceID": "", "_uuid": ""}),
        "missing-id",
        "meta/instanceID",
    ),
    ("bad date", lambda r: r[1].update({"_submission_time": "hôm qua"}), "invalid-date", "_submission_time"),
    (
        "synthetic mixed in",
        lambda r: [x.update({"synthetic": "0"}) for x in r] and r[1].update({"synthetic": "1"}),
        "mixed-synthetic",
        "synthetic",
    ),
]


@pytest.mark.parametrize(("case", "spoil", "kind", "column"), BAD_ROWS, ids=[b[0] for b in BAD_ROWS])
def test_a_bad_row_is_located_and_nothing_is_written(
    store: Store, tmp_path: Path, case: str, spoil: Callable[[list[Row]], None], kind: str, column: str
) -> None:
    rows = [submission(i) for i in range(3)]
    spoil(rows)
    path = write_csv(tmp_path / "bad.csv", rows)
    before = rows_in(store)
    with pytest.raises(InvalidFile) as caught:
        import_export(store, path, wave="2026", province="04")
    problems = [p for p in caught.value.problems if p.kind == kind]
    assert problems, caught.value.problems
    problem = problems[0]
    assert isinstance(problem, CellProblem)
    assert problem.row in (1, 3)  # the spoiled row, or the header for a file-wide problem
    assert f"({column})" in problem.where
    assert problem.message_vi
    assert rows_in(store) == before
    assert get_wave(store, "2026") is None


def test_a_missing_question_column_names_the_question(store: Store, tmp_path: Path) -> None:
    rows = [{k: v for k, v in submission(i).items() if k != PATHS["q07"]} for i in range(2)]
    with pytest.raises(InvalidFile) as caught:
        import_export(store, write_csv(tmp_path / "short.csv", rows), wave="2026", province="04")
    assert [p.kind for p in caught.value.problems] == ["missing-column"]
    assert "q07" in caught.value.problems[0].message_vi


# --------------------------------------------------------------------------------
# Storing: deduplicated by instance ID, all or nothing
# --------------------------------------------------------------------------------


def test_importing_the_same_file_again_adds_nothing(store: Store, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "kobo.csv", [submission(i) for i in range(6)])
    first = import_export(store, path, wave="2026", province="04", actor="thống kê")
    assert first.added == 6 and first.created_wave
    assert first.message.startswith("6 phiếu mới")
    before = rows_in(store)
    again = import_export(store, path, wave="2026", province="04")
    assert again.added == 0 and again.report.unchanged == 6
    assert again.message.startswith("0 phiếu mới; 6 phiếu đã có")
    assert rows_in(store) == before
    # A later export holds the old submissions and new ones: only the new are added.
    more = write_csv(tmp_path / "more.csv", [submission(i) for i in range(9)])
    assert import_export(store, more, wave="2026", province="04").added == 3
    assert count_responses(store, "2026") == 9
    wave = get_wave(store, "2026")
    assert wave is not None and not wave.synthetic and wave.is_open


def test_a_changed_submission_under_a_stored_id_is_refused(store: Store, tmp_path: Path) -> None:
    import_export(store, write_csv(tmp_path / "a.csv", [submission(0), submission(1)]), wave="2026")
    changed = write_csv(tmp_path / "b.csv", [submission(0, **{PATHS["q01"]: "3"}), submission(2)])
    before = rows_in(store)
    with pytest.raises(InvalidFile) as caught:
        import_export(store, changed, wave="2026")
    assert [p.kind for p in caught.value.problems] == ["duplicate"]
    assert "đã được nhập" in caught.value.problems[0].message_vi
    assert rows_in(store) == before


def test_synthetic_rows_cannot_join_a_real_wave(store: Store, tmp_path: Path) -> None:
    import_export(store, write_csv(tmp_path / "real.csv", [submission(0)]), wave="2026")
    fake = write_csv(tmp_path / "fake.csv", [submission(i, synthetic="1") for i in range(1, 3)])
    with pytest.raises(InvalidFile) as caught:
        import_export(store, fake, wave="2026")
    assert caught.value.problems[0].kind == "mixed-synthetic"
    assert count_responses(store, "2026") == 1


# --------------------------------------------------------------------------------
# Property: any valid answers come back as written
# --------------------------------------------------------------------------------


def _answer(q: Question) -> st.SearchStrategy[int]:
    if q.type is AnswerType.NUMBER:
        return st.integers(int(q.minimum or 0), int(q.maximum or 30))
    return st.sampled_from([code for code, _ in q.codes()])


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(answers=st.fixed_dictionaries({q.id: _answer(q) for q in M.questions}))
def test_valid_answers_round_trip(tmp_path: Path, answers: dict[str, int]) -> None:
    row = submission(0, **{PATHS[q]: str(v) for q, v in answers.items()})
    report = read(write_csv(tmp_path / "one.csv", [row]))
    assert dict(report.responses[0].answers) == answers


def test_areas_of_another_province_are_unknown(tmp_path: Path) -> None:
    other = [Area("99001", "Xã Khác", "xa", "99")]
    with pytest.raises(InvalidFile) as caught:
        read_export(write_csv(tmp_path / "x.csv", [submission(0)]), M, other, province="99")
    assert {p.kind for p in caught.value.problems} == {"unknown-area"}
