"""Tests of chiso.resolutions and chiso.targets: the shipped resolution and bad files."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from chiso.errors import InvalidFile
from chiso.indicators import Catalogue, Direction
from chiso.resolutions import bundled_resolutions, load_resolution, resolve_resolution_path
from chiso.targets import Comparator, Resolution, ResolutionStatus, Target, TargetKind

CAO_BANG = "cao-bang-2025-2030"


@pytest.fixture(scope="module")
def loaded() -> tuple[Resolution, Catalogue]:
    return load_resolution(bundled_resolutions()[CAO_BANG])


@pytest.fixture(scope="module")
def cao_bang(loaded: tuple[Resolution, Catalogue]) -> Resolution:
    return loaded[0]


# --------------------------------------------------------------------------------
# The shipped Cao Bằng 2025–2030 resolution
# --------------------------------------------------------------------------------


def test_shipped_resolution_is_bundled_and_found_by_prefix() -> None:
    path = bundled_resolutions()[CAO_BANG]
    assert path.name == f"{CAO_BANG}.yaml"
    assert resolve_resolution_path("cao-bang-2025") == path


def test_shipped_resolution_identity(cao_bang: Resolution) -> None:
    assert cao_bang.id == CAO_BANG
    assert cao_bang.status is ResolutionStatus.DRAFT
    assert cao_bang.term == (2025, 2030)
    assert cao_bang.province == "04"
    assert cao_bang.province_name == "Cao Bằng"


def test_shipped_file_is_nfc() -> None:
    text = bundled_resolutions()[CAO_BANG].read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", text)


def test_every_target_text_is_nfc_and_in_a_declared_group(cao_bang: Resolution) -> None:
    groups = {g.id for g in cao_bang.groups}
    for target in cao_bang.targets:
        assert unicodedata.is_normalized("NFC", target.text), target.id
        assert target.group in groups, target.id


def test_every_target_reads_a_catalogue_indicator(loaded: tuple[Resolution, Catalogue]) -> None:
    resolution, catalogue = loaded
    for target in resolution.targets:
        assert target.indicator in catalogue, target.id


MAIN_IDS = [
    *["1a", "1b", "2a", "2b", "3", "4", "5a", "5b", "6", "7"],
    *["8a", "8b", "8c", "8d", "8e", "9", "10a", "10b", "11a", "11b", "12a", "12b"],
]


def test_the_twelve_main_targets_are_all_present(cao_bang: Resolution) -> None:
    ids = [t.id for t in cao_bang.targets]
    assert ids[: len(MAIN_IDS)] == MAIN_IDS
    numbers = {cao_bang.target(i).number for i in MAIN_IDS}
    assert numbers == {str(n) for n in range(1, 13)}
    for target_id in MAIN_IDS:
        assert cao_bang.target(target_id).number == target_id.rstrip("abcde")


def test_task_targets_have_t_ids(cao_bang: Resolution) -> None:
    others = [t for t in cao_bang.targets if t.id not in MAIN_IDS]
    assert others
    assert all(t.id.startswith("t-") and t.group == "nhiem_vu" for t in others)


GE, GT, LE, LT, EQ, BETWEEN = (
    Comparator.GE,
    Comparator.GT,
    Comparator.LE,
    Comparator.LT,
    Comparator.EQ,
    Comparator.BETWEEN,
)
K = TargetKind

# target id → the fields a reader checks against the text of the report
COMPONENTS: list[tuple[str, dict[str, Any]]] = [
    ("1a", dict(indicator="grdp_growth", kind=K.AVERAGE_GROWTH, comparator=GE, value=10)),
    (
        "1b",
        dict(
            indicator="grdp_per_capita",
            kind=K.LEVEL,
            comparator=BETWEEN,
            low=75,
            high=80,
            **{"base.period": "2025", "base.value": 50.73},
        ),
    ),
    (
        "2a",
        dict(
            indicator="grdp_share_nonfarm",
            kind=K.LEVEL,
            comparator=GT,
            value=80,
            **{"base.value": 76.61},
        ),
    ),
    (
        "2b",
        dict(
            indicator="grdp_share_agriculture",
            kind=K.LEVEL,
            comparator=LT,
            value=15,
            **{"base.period": "2025", "base.value": 19.72},
        ),
    ),
    ("3", dict(indicator="budget_revenue", kind=K.AVERAGE_GROWTH, comparator=EQ, value=12)),
    ("4", dict(indicator="investment_realized", kind=K.AVERAGE_GROWTH, comparator=EQ, value=11)),
    ("5a", dict(indicator="digital_economy_share", kind=K.LEVEL, comparator=GE, value=20)),
    (
        "5b",
        dict(indicator="digital_economy_core_share", kind=K.LEVEL, comparator=BETWEEN, low=7, high=10),
    ),
    (
        "6",
        dict(
            indicator="poverty_rate_multidim",
            kind=K.AVERAGE_CHANGE,
            comparator=GT,
            value=3,
            change=Direction.DECREASE,
        ),
    ),
    (
        "7",
        dict(
            indicator="new_rural_standard",
            kind=K.SHARE_OF_UNITS,
            comparator=GT,
            value=35.84,
            **{"eligible.types": ("xa",), "eligible.border": None, "condition.value": 1},
        ),
    ),
    (
        "8a",
        dict(
            indicator="satellite_school_sites",
            kind=K.RELATIVE_CHANGE,
            comparator=GE,
            value=40,
            change=Direction.DECREASE,
            # the report names the base year but gives no figure
            **{"base.period": "2025", "base.value": None},
        ),
    ),
    (
        "8b",
        dict(
            indicator="boarding_school",
            kind=K.SHARE_OF_UNITS,
            comparator=GT,
            value=80,
            **{"eligible.types": ("xa",)},
        ),
    ),
    (
        "8c",
        dict(
            indicator="border_boarding_school",
            kind=K.SHARE_OF_UNITS,
            comparator=GE,
            value=100,
            **{"eligible.border": True, "eligible.types": ()},
        ),
    ),
    (
        "8d",
        dict(
            indicator="provincial_hospital_500_stage",
            kind=K.MILESTONE,
            comparator=None,
            value=None,
        ),
    ),
    (
        "8e",
        dict(
            indicator="out_of_province_health_cost_share",
            kind=K.RELATIVE_CHANGE,
            comparator=GE,
            value=30,
            change=Direction.DECREASE,
            **{"base.value": 29},
        ),
    ),
    (
        "9",
        dict(
            indicator="hpi_score",
            kind=K.SHARE_OF_UNITS,
            comparator=GT,
            value=90,
            eligible=None,
            **{"condition.comparator": GE, "condition.value": 90},
        ),
    ),
    ("10a", dict(indicator="online_public_service_rate", kind=K.LEVEL, comparator=GT, value=90)),
    (
        "10b",
        dict(indicator="specialized_db_connected_share", kind=K.LEVEL, comparator=EQ, value=100),
    ),
    (
        "11a",
        dict(indicator="par_index_rank", kind=K.RANK, comparator=LE, value=25, out_of=34),
    ),
    ("11b", dict(indicator="dti_rank", kind=K.RANK, comparator=LE, value=25, out_of=34)),
    ("12a", dict(indicator="party_org_good_share", kind=K.EVERY_YEAR, comparator=GE, value=80)),
    (
        "12b",
        dict(indicator="new_party_members", kind=K.EVERY_YEAR, comparator=BETWEEN, low=1500, high=1600),
    ),
    # tasks section ("V. Nhiệm vụ và giải pháp chủ yếu")
    (
        "t-health-insurance",
        dict(
            indicator="health_insurance_coverage",
            kind=K.LEVEL,
            comparator=EQ,
            value=100,
            **{"base.period": "2025", "base.value": 98.7},
        ),
    ),
    (
        "t-urbanisation",
        dict(
            indicator="urbanisation_rate",
            kind=K.LEVEL,
            comparator=EQ,
            value=44,
            **{"base.period": "2025", "base.value": 25.5},
        ),
    ),
    (
        "t-import-export",
        dict(
            indicator="import_export_turnover",
            kind=K.AVERAGE_GROWTH,
            comparator=EQ,
            value=10,
            first_year=2026,
        ),
    ),
    (
        "t-private-grdp",
        dict(indicator="private_sector_grdp_share", kind=K.LEVEL, comparator=BETWEEN, low=62, high=65),
    ),
    ("t-commune-roads", dict(indicator="commune_roads_hard_surfaced", comparator=GE, value=85)),
    ("t-electricity", dict(indicator="electrified_households_share", comparator=EQ, value=100)),
]


def _get(obj: Any, dotted: str) -> Any:
    for name in dotted.split("."):
        obj = getattr(obj, name)
    return obj


@pytest.mark.parametrize(("target_id", "expected"), COMPONENTS, ids=[c[0] for c in COMPONENTS])
def test_component_matches_the_report(cao_bang: Resolution, target_id: str, expected: dict[str, Any]) -> None:
    target = cao_bang.target(target_id)
    actual = {field: _get(target, field) for field in expected}
    assert actual == expected
    assert target.target_year == 2030


def test_milestone_has_stages_due_within_the_term(cao_bang: Resolution) -> None:
    stages = cao_bang.target("8d").stages
    assert len(stages) == 4
    assert [s.due for s in stages] == sorted(s.due for s in stages)
    assert all(2025 < s.due <= 2030 for s in stages)


def test_target_7_revision(cao_bang: Resolution) -> None:
    target = cao_bang.target("7")
    assert target.value == 35.84
    revised = target.revised()
    assert revised.value == 39.62
    assert "39,62%" in revised.text
    assert revised.eligible == target.eligible  # only the bound changed
    assert target.revised(as_of=dt.date(2025, 9, 16)).value == 35.84
    assert target.revised(as_of=dt.date(2025, 9, 17)).value == 39.62  # in force on its date
    assert target.value == 35.84  # revising returns a new target


def test_targets_without_revisions_are_unchanged_by_revised(cao_bang: Resolution) -> None:
    target = cao_bang.target("1a")
    assert target.revised() == target


# --------------------------------------------------------------------------------
# Target rules
# --------------------------------------------------------------------------------


def _target(**fields: Any) -> Target:
    data: dict[str, Any] = {
        "id": "t1",
        "number": "1",
        "group": "g",
        "text": "Chỉ tiêu thử",
        "indicator": "grdp_growth",
        "kind": "level",
        "comparator": ">=",
        "value": 10,
    }
    data.update(fields)
    return Target.model_validate(data)


@pytest.mark.parametrize(
    ("comparator", "direction", "effective"),
    [
        ("=", Direction.INCREASE, Comparator.GE),
        ("=", Direction.DECREASE, Comparator.LE),
        (">", Direction.DECREASE, Comparator.GT),
        ("<", Direction.INCREASE, Comparator.LT),
        ("<=", Direction.INCREASE, Comparator.LE),
        ("between", Direction.DECREASE, Comparator.BETWEEN),
    ],
)
def test_effective_comparator(comparator: str, direction: Direction, effective: Comparator) -> None:
    fields: dict[str, Any] = {"comparator": comparator}
    if comparator == "between":
        fields.update(low=1, high=2, value=None)
    assert _target(**fields).effective_comparator(direction) is effective


def test_effective_comparator_of_shipped_equal_targets(
    loaded: tuple[Resolution, Catalogue],
) -> None:
    resolution, catalogue = loaded
    equal = [t for t in resolution.targets if t.comparator is Comparator.EQ]
    assert equal
    for target in equal:
        direction = catalogue.get(target.indicator).direction
        expected = Comparator.GE if direction is Direction.INCREASE else Comparator.LE
        assert target.effective_comparator(direction) is expected, target.id


@pytest.mark.parametrize(("direction", "bound"), [(Direction.INCREASE, 75), (Direction.DECREASE, 80)])
def test_requirement_of_a_range_is_the_end_nearer_worse(direction: Direction, bound: float) -> None:
    target = _target(comparator="between", low=75, high=80, value=None)
    assert target.requirement(direction) == bound


# --------------------------------------------------------------------------------
# Resolution files: good and bad
# --------------------------------------------------------------------------------

HEAD = """\
id: mini
title: Nghị quyết thử
province: "04"
term: [2025, 2030]
groups:
  - id: kinh_te
    name: Kinh tế
"""

GOOD_TARGET = """\
  - id: "1a"
    number: "1"
    group: kinh_te
    text: Tốc độ tăng trưởng GRDP bình quân đạt 10%/năm trở lên.
    indicator: grdp_growth
    kind: average_growth
    comparator: ">="
    value: 10
"""

# The target each bad file gets wrong, beside a good one; {fields} is replaced per case.
BAD_TARGET = """\
  - id: "9z"
    number: "9"
    group: {group}
    text: {text}
    indicator: {indicator}
    kind: {kind}
{fields}"""


def bad_target(
    *,
    group: str = "kinh_te",
    text: str = "Tỷ trọng dịch vụ đạt trên 60%.",
    indicator: str = "grdp_share_services",
    kind: str = "level",
    fields: str = '    comparator: ">"\n    value: 60\n',
) -> str:
    return BAD_TARGET.format(group=group, text=text, indicator=indicator, kind=kind, fields=fields)


def resolution_text(*targets: str) -> str:
    return HEAD + "targets:\n" + GOOD_TARGET + "".join(targets)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_mini_resolution_loads(tmp_path: Path) -> None:
    resolution, catalogue = load_resolution(write(tmp_path, "mini.yaml", resolution_text()))
    assert [t.id for t in resolution.targets] == ["1a"]
    assert "grdp_growth" in catalogue


# name, file text, where (substrings), Vietnamese and English message substrings
BAD_FILES: list[Any] = [
    (
        "comparater",
        resolution_text(bad_target(fields='    comparater: ">"\n    value: 60\n')),
        ("chỉ tiêu 9z", "comparater"),
        "trường không được phép",
        "Extra inputs are not permitted",
    ),
    (
        "unknown-indicator",
        resolution_text(bad_target(indicator="grdp_share_sevices")),
        ("chỉ tiêu 9z", "indicator"),
        "chỉ số “grdp_share_sevices” không có trong danh mục",
        "not in the catalogue",
    ),
    (
        "between-without-high",
        resolution_text(bad_target(fields="    comparator: between\n    low: 60\n")),
        ("chỉ tiêu 9z",),
        "cần cả low và high",
        "needs low and high",
    ),
    (
        "low-above-high",
        resolution_text(bad_target(fields="    comparator: between\n    low: 80\n    high: 60\n")),
        ("chỉ tiêu 9z",),
        "low phải nhỏ hơn high",
        "low must not exceed high",
    ),
    (
        "unknown-group",
        resolution_text(bad_target(group="kinh_tê")),
        ("chỉ tiêu 9z", "group"),
        "nhóm “kinh_tê” không có trong groups",
        "is not declared in groups",
    ),
    (
        "duplicate-id",
        resolution_text(bad_target(), bad_target()),
        ("chỉ tiêu 9z", "targets[2]"),
        "mã chỉ tiêu bị trùng",
        "duplicate target id",
    ),
    (
        "relative-change-without-base",
        resolution_text(
            bad_target(
                kind="relative_change",
                fields='    change: decrease\n    comparator: ">="\n    value: 40\n',
            )
        ),
        ("chỉ tiêu 9z",),
        "cần base",
        "needs a base",
    ),
    (
        "base-after-target-year",
        resolution_text(bad_target(fields='    comparator: ">"\n    value: 60\n    base: {period: 2031}\n')),
        ("chỉ tiêu 9z",),
        "năm gốc phải trước năm mục tiêu",
        "base year must precede",
    ),
    (
        "value-as-text",
        resolution_text(bad_target(fields='    comparator: ">"\n    value: mười\n')),
        ("chỉ tiêu 9z", "value"),
        "phải là một số",
        "valid number",
    ),
    (
        "unknown-eligibility-type",
        resolution_text(
            bad_target(
                indicator="new_rural_standard",
                kind="share_of_units",
                fields='    condition: {comparator: ">=", value: 1}\n'
                "    eligible: {types: [xóm]}\n"
                '    comparator: ">"\n    value: 35.84\n',
            )
        ),
        ("chỉ tiêu 9z", "eligible.types"),
        "loại đơn vị “xóm” không hợp lệ",
        "unknown area type",
    ),
    (
        "share-of-units-on-province-indicator",
        resolution_text(
            bad_target(
                kind="share_of_units",
                fields='    condition: {comparator: ">=", value: 1}\n    comparator: ">"\n    value: 50\n',
            )
        ),
        ("chỉ tiêu 9z", "indicator"),
        "cần chỉ số cấp xã",
        "commune-level indicator",
    ),
    pytest.param(
        "bad-period-in-base",
        resolution_text(
            bad_target(fields='    comparator: ">"\n    value: 60\n    base: {period: "năm ngoái"}\n')
        ),
        ("chỉ tiêu 9z", "base.period"),
        "Không hiểu kỳ số liệu",
        "Cannot read period",
        id="bad-period-in-base",
    ),
]


def _load_bad(tmp_path: Path, name: str, text: str) -> InvalidFile:
    path = write(tmp_path, f"bad-{name}.yaml", text)
    # Raising *is* the all-or-nothing guarantee: no resolution comes back with the good
    # target "1a" and without the bad one.
    with pytest.raises(InvalidFile) as info:
        load_resolution(path)
    return info.value


@pytest.mark.parametrize(
    ("name", "text", "where", "vi", "en"),
    [pytest.param(*case, id=case[0]) if type(case) is tuple else case for case in BAD_FILES],
)
def test_bad_target_is_one_problem_naming_target_and_field(
    tmp_path: Path, name: str, text: str, where: tuple[str, ...], vi: str, en: str
) -> None:
    exc = _load_bad(tmp_path, name, text)
    assert len(exc.problems) == 1, exc.problems
    problem = exc.problems[0]
    for part in where:
        assert part in problem.where
    assert vi in problem.message_vi
    assert en in problem.message_en
    assert problem.file.endswith(f"bad-{name}.yaml")
    message = str(exc)
    assert f"bad-{name}.yaml" in message
    assert "có 1 lỗi, không nạp gì" in message
    assert "has 1 problem(s); nothing was loaded" in message
    assert problem.message_vi in message and problem.message_en in message
    assert exc.status == 400


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    # An unquoted colon inside Vietnamese text: the commonest YAML mistake.
    text = resolution_text(bad_target(text="Cơ cấu GRDP: dịch vụ: trên 60%"))
    line = next(i for i, s in enumerate(text.splitlines(), 1) if "Cơ cấu GRDP" in s)
    exc = _load_bad(tmp_path, "yaml-syntax", text)
    assert len(exc.problems) == 1
    assert exc.problems[0].where.startswith(f"dòng {line}, cột ")
    assert "lỗi cú pháp YAML" in exc.problems[0].message_vi
    assert "YAML syntax error" in exc.problems[0].message_en
    assert "bad-yaml-syntax.yaml" in str(exc)


def test_missing_targets_is_one_problem(tmp_path: Path) -> None:
    exc = _load_bad(tmp_path, "no-targets", HEAD)
    assert [(p.where, p.message_vi, p.message_en) for p in exc.problems] == [
        ("trường targets", "thiếu trường bắt buộc", "Field required")
    ]


@pytest.mark.parametrize(
    ("name", "text"),
    [("empty", ""), ("list", "- a\n- b\n"), ("scalar", "mười\n")],
)
def test_a_file_that_is_not_a_mapping_is_one_problem(tmp_path: Path, name: str, text: str) -> None:
    exc = _load_bad(tmp_path, name, text)
    assert len(exc.problems) == 1
    assert exc.problems[0].message_vi == "tệp phải là một bảng YAML"


def test_missing_file_is_invalid_file(tmp_path: Path) -> None:
    with pytest.raises(InvalidFile) as info:
        load_resolution(tmp_path / "khong-co.yaml")
    assert info.value.problems[0].message_vi == "không tìm thấy tệp"


def test_every_schema_problem_is_reported_in_one_pass(tmp_path: Path) -> None:
    text = resolution_text(
        bad_target(fields='    comparater: ">"\n    value: 60\n'),
        bad_target(fields='    comparator: ">"\n    value: mười\n').replace('"9z"', '"9y"'),
    )
    exc = _load_bad(tmp_path, "two-problems", text)
    assert sorted(p.where for p in exc.problems) == [
        "chỉ tiêu 9y (targets[2]), trường value",
        "chỉ tiêu 9z (targets[1]), trường comparater",
    ]


def test_schema_and_catalogue_problems_are_reported_together(tmp_path: Path) -> None:
    text = resolution_text(
        bad_target(fields='    comparater: ">"\n    value: 60\n'),
        bad_target(indicator="khong_co").replace('"9z"', '"9y"'),
    )
    exc = _load_bad(tmp_path, "schema-and-catalogue", text)
    assert len(exc.problems) == 2


def test_a_revision_with_a_bad_value_is_a_load_problem(tmp_path: Path) -> None:
    text = resolution_text(
        bad_target(
            fields='    comparator: ">"\n    value: 60\n    revisions:\n'
            "      - date: 2025-09-17\n        changes: {value: mười}\n"
        )
    )
    path = write(tmp_path, "bad-revision.yaml", text)
    with pytest.raises(InvalidFile):
        load_resolution(path)


def test_a_duplicate_indicator_code_is_a_problem(tmp_path: Path) -> None:
    text = HEAD + (
        "indicators:\n"
        "  - code: hanh_phuc_xa\n    name: Chỉ số hạnh phúc A\n"
        "  - code: hanh_phuc_xa\n    name: Chỉ số hạnh phúc B\n"
        "targets:\n"
    )
    text += GOOD_TARGET + bad_target(indicator="hanh_phuc_xa")
    path = write(tmp_path, "bad-duplicate-indicator.yaml", text)
    with pytest.raises(InvalidFile):
        load_resolution(path)


def test_unquoted_numeric_id_loads_as_text(tmp_path: Path) -> None:
    text = resolution_text(bad_target().replace('id: "9z"', "id: 3").replace('number: "9"', "number: 3"))
    resolution, _ = load_resolution(write(tmp_path, "mini-numeric-id.yaml", text))
    target = resolution.targets[1]
    assert (target.id, target.number) == ("3", "3")
    assert resolution.target("3") is target


def test_a_resolution_may_declare_its_own_indicator(tmp_path: Path) -> None:
    text = HEAD + (
        "indicators:\n"
        "  - code: hanh_phuc_xa\n    name: Chỉ số hạnh phúc của xã\n    levels: [commune]\n"
        "targets:\n"
    )
    text += GOOD_TARGET + bad_target(indicator="hanh_phuc_xa")
    resolution, catalogue = load_resolution(write(tmp_path, "mini-own-indicator.yaml", text))
    assert catalogue.get("hanh_phuc_xa").name == "Chỉ số hạnh phúc của xã"
    assert "grdp_growth" in catalogue  # the shipped catalogue is still there
    assert resolution.target("9z").indicator == "hanh_phuc_xa"
