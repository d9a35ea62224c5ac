"""Tests of chiso.xlsform: the questionnaire as an XLSForm that ODK and Kobo accept."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from chiso.io.areas_file import bundled_areas
from chiso.methodology import AnswerType, Methodology, default_methodology
from chiso.xlsform import LABEL, build_xlsform, field_paths, write_xlsform

pyxform = pytest.importorskip("pyxform")
from pyxform.xls2xform import convert  # noqa: E402


@pytest.fixture(scope="module")
def methodology() -> Methodology:
    return default_methodology()


@pytest.fixture(scope="module")
def form(tmp_path_factory: pytest.TempPathFactory, methodology: Methodology) -> Path:
    path = tmp_path_factory.mktemp("form") / "cb-hpi.xlsx"
    return write_xlsform(methodology, path, areas=bundled_areas("04"))


def _sheet(path: Path, name: str) -> list[dict[str, str]]:
    rows = list(load_workbook(path, read_only=True)[name].iter_rows(values_only=True))
    header = [str(h) for h in rows[0]]
    return [{h: ("" if v is None else str(v)) for h, v in zip(header, row, strict=False)} for row in rows[1:]]


def test_pyxform_converts_the_form_without_errors_or_warnings(form: Path, methodology: Methodology) -> None:
    warnings: list[str] = []
    xform = convert(str(form), warnings=warnings).xform
    assert warnings == []
    assert f'id="{methodology.id}"' in xform
    assert f'version="{methodology.version}"' in xform
    assert 'lang="Tiếng Việt (vi)"' in xform
    # Every field sits where field_paths says an export will name it.
    instance = re.search(r"<instance>(.*?)</instance>", xform, re.S)
    assert instance is not None
    for path in field_paths(methodology).values():
        group, _, name = path.rpartition("/")
        pattern = f"<{group}>.*<{name}/>.*</{group}>" if group else f"<{name}/>"
        assert re.search(pattern, instance.group(1), re.S), path


@pytest.mark.skipif(shutil.which("java") is None, reason="ODK Validate needs Java")
def test_odk_validate_accepts_the_form(form: Path) -> None:
    convert(str(form), validate=True)


def test_sheets_and_settings(form: Path, methodology: Methodology) -> None:
    assert load_workbook(form, read_only=True).sheetnames == ["survey", "choices", "settings"]
    (settings,) = _sheet(form, "settings")
    assert settings["form_id"] == "cb-hpi-2026"
    assert settings["version"] == methodology.version
    assert settings["default_language"] == "Tiếng Việt (vi)"
    assert settings["form_title"] == methodology.title


def test_consent_comes_first_and_everything_else_depends_on_it(form: Path, methodology: Methodology) -> None:
    survey = _sheet(form, "survey")
    questions = [r for r in survey if r["type"] not in ("start", "end", "note", "end_group")]
    assert questions[0]["name"] == "consent"
    assert questions[0]["required"] == "yes"
    groups = [r for r in survey if r["type"] == "begin_group"]
    assert [g["name"] for g in groups] == ["respondent", *(d.id for d in methodology.domains)]
    assert all(g["relevant"] == "${consent} = 1" for g in groups)
    scored = [r for r in survey if r["name"] in {q.id for q in methodology.questions}]
    assert len(scored) == len(methodology.questions) == 31
    assert all(LABEL in r and r[LABEL] for r in scored)


def test_question_types_and_constraints(form: Path) -> None:
    survey = {r["name"]: r for r in _sheet(form, "survey")}
    assert survey["commune"]["type"] == "select_one communes"
    assert survey["village"]["type"] == "text"
    assert survey["age"]["type"] == "integer"
    assert survey["age"]["constraint"] == ". >= 18 and . <= 110"
    assert survey["q12"]["type"] == "integer"
    assert survey["q12"]["constraint"] == ". >= 0 and . <= 30"
    assert "0 đến 30 ngày" in survey["q12"]["constraint_message::Tiếng Việt (vi)"]
    assert survey["q01"]["type"].startswith("select_one scale10")
    assert survey["q02"]["type"].startswith("select_one likert5")
    assert survey["q02"]["appearance"] == "likert"
    assert survey["q07"]["type"] == "select_one yes_no"
    assert survey["q05"]["type"] == "select_one q05"


def test_choice_lists(form: Path) -> None:
    choices = _sheet(form, "choices")
    by_list: dict[str, list[tuple[str, str]]] = {}
    for c in choices:
        by_list.setdefault(c["list_name"], []).append((c["name"], c[LABEL]))
    communes = by_list["communes"]
    assert len(communes) == 56
    assert ("01273", "Phường Thục Phán") in communes
    assert by_list["yes_no"] == [("1", "Có"), ("0", "Không")]
    assert [code for code, _ in by_list["scale10"]] == [str(i) for i in range(11)]
    assert by_list["scale10"][0][1] == "0 – Hoàn toàn không hài lòng"
    assert [code for code, _ in by_list["q25"]] == ["1", "2", "3", "4", "5", "9"]
    # Identical answer scales are written once and shared.
    likert = [name for name in by_list if name.startswith("likert5")]
    assert len(likert) == len({tuple(v) for k, v in by_list.items() if k.startswith("likert5")})
    agree = [v for k, v in by_list.items() if k.startswith("likert5") and v[3][1] == "Đồng ý"]
    assert len(agree) == 1


def test_a_decimal_number_question_gets_a_decimal_field() -> None:
    base = default_methodology()
    questions = tuple(
        q.model_copy(update={"points": ((0.0, 1.0), (2.5, 0.0)), "maximum": 2.5})
        if q.type is AnswerType.NUMBER
        else q
        for q in base.questions
    )
    sheets = build_xlsform(base.model_copy(update={"questions": questions}), areas=bundled_areas("04"))
    q12 = next(r for r in sheets["survey"] if r["name"] == "q12")
    assert q12["type"] == "decimal"
    assert q12["constraint"] == ". >= 0 and . <= 2.5"
