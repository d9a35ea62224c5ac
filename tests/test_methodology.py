"""Tests of chiso.methodology: the shipped CB-HPI proposal, answer mapping, bad files."""

from __future__ import annotations

import copy
import unicodedata
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pytest
import yaml

from chiso.errors import InvalidFile
from chiso.methodology import (
    DEFAULT_METHODOLOGY,
    AnswerType,
    Method,
    Methodology,
    MissingAnswers,
    Question,
    bundled_methodologies,
    default_methodology,
    load_methodology,
)

SHIPPED = bundled_methodologies()[DEFAULT_METHODOLOGY]


@pytest.fixture(scope="module")
def shipped() -> Methodology:
    return default_methodology()


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    return data


# --------------------------------------------------------------------------------
# The shipped proposal
# --------------------------------------------------------------------------------


def test_shipped_methodology_is_a_labelled_proposal(shipped: Methodology) -> None:
    assert shipped.id == "cb-hpi-2026"
    assert shipped.status == "proposal"
    assert "đề xuất" in shipped.title
    assert shipped.method is Method.GNH
    assert shipped.happiness_cutoff == 0.66
    assert [b.lower for b in shipped.bands] == [0, 0.50, 0.66, 0.77]


def test_shipped_methodology_has_eight_domains_of_three_or_four_indicators(shipped: Methodology) -> None:
    assert [d.id for d in shipped.domains] == [
        "subjective_wellbeing",
        "living_standards",
        "social_security_health",
        "opportunity",
        "culture",
        "community_family",
        "trust_governance",
        "safety_environment",
    ]
    assert all(3 <= len(d.indicators) <= 4 for d in shipped.domains)
    assert {d.weight for d in shipped.domains} == {1}
    # The resolution's four words are visible as domain names.
    names = " ".join(d.name.lower() for d in shipped.domains)
    for word in ("an sinh", "cơ hội", "văn hóa", "niềm tin"):
        assert word in names


def test_shipped_questionnaire_is_short(shipped: Methodology) -> None:
    assert 28 <= len(shipped.questions) <= 32
    roles = {q.role for q in shipped.demographics}
    assert roles >= {"commune", "cluster", "sex", "age", "ethnicity", "consent"}


def test_shipped_file_is_nfc_with_diacritics(shipped: Methodology) -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", text)
    for text in [q.text for q in shipped.questions] + [q.text for q in shipped.demographics]:
        assert unicodedata.is_normalized("NFC", text)
    assert "ông/bà" in shipped.question("q01").text


def test_every_indicator_explains_itself(shipped: Methodology) -> None:
    for indicator in shipped.indicators:
        assert indicator.rationale and indicator.cutoff_source, indicator.id
        assert 0 <= indicator.cutoff <= 1


def test_weights_sum_to_one_under_every_scheme(shipped: Methodology) -> None:
    schemes: tuple[Literal["file", "equal_domains", "equal_indicators"], ...] = (
        "file",
        "equal_domains",
        "equal_indicators",
    )
    for scheme in schemes:
        w = shipped.indicator_weights(scheme)
        assert w.shape == (30,)
        assert w.sum() == pytest.approx(1)
    # Equal domains: a domain of 3 indicators gives each 1/24, of 4 each 1/32.
    w = shipped.indicator_weights("equal_domains")
    assert sorted(set(np.round(w, 6))) == [round(1 / 32, 6), round(1 / 24, 6)]


def test_the_docs_explain_every_indicator(shipped: Methodology) -> None:
    docs = (Path(__file__).parents[1] / "docs" / "cb-hpi-phuong-phap.md").read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", docs)
    for indicator in shipped.indicators:
        assert f"`{indicator.id}`" in docs, indicator.id


# --------------------------------------------------------------------------------
# Answers → achievements
# --------------------------------------------------------------------------------


def _q(**fields: Any) -> Question:
    return Question.model_validate({"id": "q", "text": "Câu hỏi", **fields})


@pytest.mark.parametrize(
    ("fields", "answers", "expected"),
    [
        ({"type": "likert5"}, [1, 2, 3, 4, 5], [0, 0.25, 0.5, 0.75, 1]),
        ({"type": "likert5", "reverse": True}, [1, 5], [1, 0]),
        ({"type": "likert5"}, [0, 6, 2.5, np.nan], [np.nan] * 4),
        ({"type": "scale10"}, [0, 7, 10, 11], [0, 0.7, 1, np.nan]),
        ({"type": "yes_no"}, [1, 0, 2], [1, 0, np.nan]),
        ({"type": "yes_no", "reverse": True}, [1, 0], [0, 1]),
        (
            {
                "type": "single_choice",
                "options": [
                    {"code": 1, "label": "Có", "score": 1},
                    {"code": 2, "label": "Không", "score": 0},
                    {"code": 9, "label": "Không áp dụng", "score": None},
                ],
            },
            [1, 2, 9, 5],
            [1, 0, np.nan, np.nan],
        ),
        (
            {"type": "number", "points": [[0, 1], [30, 0]], "minimum": 0, "maximum": 30},
            [0, 3, 30, 31, -1],
            [1, 0.9, 0, np.nan, np.nan],
        ),
    ],
)
def test_answers_map_to_achievements(
    fields: dict[str, Any], answers: list[float], expected: list[float]
) -> None:
    got = _q(**fields).achievement(answers)
    np.testing.assert_allclose(got, expected)


def test_integer_coded_answers_map_like_floats() -> None:
    q = _q(type="likert5")
    np.testing.assert_allclose(
        q.achievement(np.array([1, 3, 7, -2], dtype=np.int8)), [0, 0.5, np.nan, np.nan]
    )


def test_achievement_matrix_combines_questions(shipped: Methodology) -> None:
    answers = {q.id: np.full(3, np.nan) for q in shipped.questions}
    answers["q07"] = np.array([1, 1, 0])  # water
    answers["q08"] = np.array([1, 0, 0])  # toilet
    matrix = shipped.achievements(answers)
    assert matrix.shape == (3, 30)
    column = [i.id for i in shipped.indicators].index("water_sanitation")
    np.testing.assert_allclose(matrix[:, column], [1, 0, 0])  # combine: min — both needed


def test_missing_question_is_named(shipped: Methodology) -> None:
    answers = {q.id: np.ones(2) for q in shipped.questions if q.id != "q12"}
    with pytest.raises(MissingAnswers, match="q12"):
        shipped.achievements(answers)


# --------------------------------------------------------------------------------
# Bad files: every problem located, in both languages
# --------------------------------------------------------------------------------


def _write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "pp.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _problems(tmp_path: Path, raw: dict[str, Any], change: Any) -> InvalidFile:
    data = copy.deepcopy(raw)
    change(data)
    with pytest.raises(InvalidFile) as caught:
        load_methodology(_write(tmp_path, data))
    return caught.value


@pytest.mark.parametrize(
    ("change", "where", "vietnamese"),
    [
        (
            lambda d: d["domains"][0].update(weight=0),
            "lĩnh vực subjective_wellbeing (domains[0]), trường weight",
            "phải lớn hơn",
        ),
        (
            lambda d: d["domains"][3]["indicators"][1].update(weight=-1),
            "lĩnh vực opportunity (domains[3]), chỉ số children_schooling (indicators[1]), trường weight",
            "phải lớn hơn",
        ),
        (
            lambda d: d["domains"][1]["indicators"][0].update(cutoff=1.5),
            "lĩnh vực living_standards (domains[1]), chỉ số income_adequacy (indicators[0]), trường cutoff",
            "nhỏ hơn hoặc bằng",
        ),
        (
            lambda d: d["domains"][2]["indicators"][2].update(questions=["q99"]),
            "lĩnh vực social_security_health (domains[2]), chỉ số healthy_days (indicators[2]), "
            "trường questions",
            "“q99” không có trong questions",
        ),
        (lambda d: d.update(happiness_cutoff=0), "trường happiness_cutoff", "phải lớn hơn"),
        (lambda d: d.update(happiness_cutoff=1.2), "trường happiness_cutoff", "nhỏ hơn hoặc bằng"),
        (
            lambda d: d["questions"][4]["options"][0].update(score=2),
            "câu hỏi q05 (questions[4]), phương án 1 (options[0]), trường score",
            "nhỏ hơn hoặc bằng",
        ),
        (
            lambda d: d["questions"][0].update(type="likert7"),
            "câu hỏi q01 (questions[0]), trường type",
            "giá trị không hợp lệ",
        ),
        (
            lambda d: d["domains"][0].pop("name"),
            "lĩnh vực subjective_wellbeing (domains[0]), trường name",
            "thiếu",
        ),
        (
            lambda d: d["questions"][11].update(points=[[30, 0], [0, 1]]),
            "câu hỏi q12 (questions[11])",
            "points phải tăng dần",
        ),
    ],
)
def test_bad_file_problem_is_located(
    tmp_path: Path, raw: dict[str, Any], change: Any, where: str, vietnamese: str
) -> None:
    error = _problems(tmp_path, raw, change)
    assert any(p.where == where and vietnamese in p.message_vi for p in error.problems), error.problems
    assert str(tmp_path / "pp.yaml") in str(error)
    assert all(p.message_en for p in error.problems)


def test_unknown_question_is_found_after_a_valid_schema(tmp_path: Path, raw: dict[str, Any]) -> None:
    error = _problems(
        tmp_path, raw, lambda d: d["domains"][0]["indicators"][0].update(questions=["q02", "q02x"])
    )
    kinds = {p.kind for p in error.problems}
    assert "unknown-question" in kinds
    # q01 is no longer read by any indicator either: both reported in one pass.
    assert "unused-question" in kinds


def test_duplicate_ids_are_reported(tmp_path: Path, raw: dict[str, Any]) -> None:
    def duplicate(d: dict[str, Any]) -> None:
        d["domains"][1]["indicators"][0]["id"] = "life_satisfaction"

    error = _problems(tmp_path, raw, duplicate)
    assert [p.kind for p in error.problems] == ["duplicate"]
    assert "living_standards" in error.problems[0].where


def test_every_problem_is_reported_in_one_pass(tmp_path: Path, raw: dict[str, Any]) -> None:
    def many(d: dict[str, Any]) -> None:
        d["happiness_cutoff"] = 2
        d["domains"][0]["weight"] = -3
        d["domains"][4]["indicators"][2]["cutoff"] = -0.1
        d["domains"][5]["indicators"][0]["questions"] = ["nope"]

    error = _problems(tmp_path, raw, many)
    assert len(error.problems) == 4
    text = str(error)
    assert "có 4 lỗi" in text and "4 problem(s)" in text


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "hong.yaml"
    path.write_text("id: x\ndomains: [\n", encoding="utf-8")
    with pytest.raises(InvalidFile) as caught:
        load_methodology(path)
    assert caught.value.problems[0].where.startswith("dòng")


def test_missing_file() -> None:
    with pytest.raises(InvalidFile, match="không tìm thấy tệp"):
        load_methodology("/nonexistent/pp.yaml")


def test_answer_types_are_the_documented_ones() -> None:
    assert {t.value for t in AnswerType} == {"likert5", "scale10", "yes_no", "single_choice", "number"}
