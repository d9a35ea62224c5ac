"""Tests of chiso.extraction and ``chiso extract-targets``: drafting targets from a resolution's text.

The reference is the hand-made Cao Bằng 2025–2030 resolution file, built from the OCR
seed (a political report without diacritics): every component of its 12 main targets and
its task-section targets must come out of the seed with the same kind, comparator,
bounds, unit and year.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import unicodedata
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from chiso.cli.extract import extract_targets as extract_command
from chiso.errors import InvalidFile, UnknownFormat
from chiso.extraction import (
    HEADER,
    ExtractedTarget,
    compare_targets,
    draft_resolution,
    extract_targets,
    read_document,
)
from chiso.extraction.normalise import has_diacritics, is_syllable
from chiso.extraction.parse import find_quantities, read_number
from chiso.indicators import Catalogue
from chiso.resolutions import bundled_resolutions, load_resolution
from chiso.targets import Comparator, Resolution, ResolutionStatus, Target, TargetKind
from chiso.text import format_number
from tests.conftest import SHARED_DATA

SEED = SHARED_DATA.parent / "seeds" / "000_19703ae02889bd3d.txt"
needs_seed = pytest.mark.skipif(not SEED.exists(), reason=f"the OCR seed is not available at {SEED}")
CORE = ("kind", "comparator", "value", "low", "high", "unit", "year")


def strip_diacritics(text: str) -> str:
    """Text as an accent-stripping keyboard or converter leaves it (case kept)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


@pytest.fixture(scope="module")
def hand_made() -> Resolution:
    return load_resolution(bundled_resolutions()["cao-bang-2025-2030"])[0]


@pytest.fixture(scope="module")
def seed_targets(catalogue: Catalogue) -> tuple[ExtractedTarget, ...]:
    if not SEED.exists():
        pytest.skip(f"the OCR seed is not available at {SEED}")
    return extract_targets(SEED.read_text(encoding="utf-8"), catalogue).targets


# --------------------------------------------------------------------------------
# Precision and recall on the seed
# --------------------------------------------------------------------------------


@dataclass
class Score:
    extracted: int
    expected: int
    correct: list[str]
    wrong: dict[str, list[str]]
    missing: list[str]

    @property
    def precision(self) -> float:
        return len(self.correct) / self.extracted if self.extracted else 0.0

    @property
    def recall(self) -> float:
        return len(self.correct) / self.expected if self.expected else 0.0


def score(drafts: Sequence[ExtractedTarget], expected: Sequence[Target], resolution: Resolution) -> Score:
    """A drafted target is correct when it pairs with a hand-made one and agrees on CORE."""
    subset = resolution.model_copy(update={"targets": tuple(expected)})
    comparison = compare_targets(drafts, subset)
    correct, wrong = [], {}
    for pair in comparison.pairs:
        bad = [d.field for d in pair.differences if d.field in CORE]
        if bad:
            wrong[pair.target.id] = bad
        else:
            correct.append(pair.target.id)
    return Score(len(drafts), len(expected), correct, wrong, [t.id for t in comparison.missing])


def _is_main(number: str) -> bool:
    return number.isdigit()


@needs_seed
def test_precision_and_recall_on_the_seed(
    seed_targets: tuple[ExtractedTarget, ...], hand_made: Resolution
) -> None:
    main = score(
        [t for t in seed_targets if _is_main(t.number)],
        [t for t in hand_made.targets if _is_main(t.number)],
        hand_made,
    )
    everything = score(seed_targets, hand_made.targets, hand_made)
    indicator_misses = [
        p.target.id
        for p in compare_targets(seed_targets, hand_made).pairs
        if any(d.field == "indicator" for d in p.differences)
    ]
    print(
        f"\nseed, 12 main targets ({main.expected} components): precision {main.precision:.2f}, "
        f"recall {main.recall:.2f}; all targets ({everything.expected}): precision "
        f"{everything.precision:.2f}, recall {everything.recall:.2f}; "
        f"indicator guessed wrong for: {indicator_misses or 'none'}"
    )
    assert main.expected == 22
    assert main.recall >= 0.9, main.wrong | {"missing": main.missing}
    assert main.precision >= 0.9
    assert everything.recall >= 0.9, everything.wrong | {"missing": everything.missing}
    assert everything.precision >= 0.85
    assert len(indicator_misses) <= 0.2 * len(hand_made.targets), indicator_misses


@needs_seed
@pytest.mark.parametrize(
    "target_id",
    [
        *("1a", "1b", "2a", "2b", "3", "4", "5a", "5b", "6", "7", "8a", "8b", "8c", "8d", "8e", "9"),
        *("10a", "10b", "11a", "11b", "12a", "12b"),
    ],
)
def test_every_main_component_matches_the_hand_made_file(
    target_id: str, seed_targets: tuple[ExtractedTarget, ...], hand_made: Resolution
) -> None:
    expected = hand_made.target(target_id)
    pairs = {p.target.id: p for p in compare_targets(seed_targets, hand_made).pairs}
    assert target_id in pairs, f"{target_id} was not drafted"
    draft = pairs[target_id].draft
    assert draft.number == expected.number
    assert draft.kind is expected.kind
    assert draft.comparator == expected.comparator
    if expected.comparator is Comparator.BETWEEN:
        assert (draft.low, draft.high) == (expected.low, expected.high)
    else:
        assert draft.value == expected.value
    assert draft.unit == expected.unit
    assert draft.year == expected.target_year
    assert draft.change == expected.change
    assert draft.out_of == expected.out_of
    if expected.kind is TargetKind.SHARE_OF_UNITS:
        assert expected.condition is not None
        assert draft.condition == (expected.condition.comparator, expected.condition.value)
        eligible = expected.eligible
        assert draft.eligible_types == (eligible.types if eligible else ())
        assert draft.eligible_border == (eligible.border if eligible else None)


@needs_seed
@pytest.mark.parametrize(
    "target_id",
    [
        "t-electricity",
        "t-import-export",
        "t-tourism-grdp",
        "t-tourism-labour",
        "t-accident-spots",
        "t-provincial-roads",
        "t-commune-roads",
        "t-urbanisation",
        "t-private-grdp",
        "t-private-jobs",
        "t-health-insurance",
    ],
)
def test_task_section_targets_match_the_hand_made_file(
    target_id: str, seed_targets: tuple[ExtractedTarget, ...], hand_made: Resolution
) -> None:
    pair = {p.target.id: p for p in compare_targets(seed_targets, hand_made).pairs}.get(target_id)
    assert pair is not None, f"{target_id} was not drafted"
    assert [d for d in pair.differences if d.field in (*CORE, "first_year")] == []
    assert pair.draft.section == pair.target.number  # "V.1.5": part V, section 1.5


@needs_seed
def test_the_seed_report_part_and_its_figures_are_not_targets(
    seed_targets: tuple[ExtractedTarget, ...],
) -> None:
    # Part one (2020–2025 results, lines 29–705) states many figures, none of them targets.
    assert all(t.line > 705 for t in seed_targets)
    assert all(t.year == 2030 for t in seed_targets)


@needs_seed
def test_seed_indicator_guesses_are_confident(seed_targets: tuple[ExtractedTarget, ...]) -> None:
    assert all(0 <= t.confidence <= 1 for t in seed_targets)
    assert sum(t.confidence >= 0.3 for t in seed_targets) >= 0.9 * len(seed_targets)


# --------------------------------------------------------------------------------
# The same targets with diacritics, without them, and with the seed's OCR noise
# --------------------------------------------------------------------------------

# (with diacritics, OCR'd as in the seed: "Pén"/"Bén" for "Đến", "1én"/"18n" for "lên",
# "nim"/"ndm" for "năm", "t6i" for "tối", "x4" for "xã", "1¢"/"1€" for "lệ", line breaks).
THREE_WAYS = [
    (
        "Tốc độ tăng trưởng GRDP bình quân đạt 10%/năm trở lên.",
        "Toc do tang truong GRDP binh quan dat 10%/nam tré 1én.",
    ),
    (
        "GRDP bình quân đầu người đến năm 2030 đạt từ 75 – 80 triệu đồng/người/năm.",
        "GRDP binh quan dau nguoi dén ndm 2030 dat tir 75 - 80 triéu dong/ngudi/nam.",
    ),
    (
        "Đến năm 2030, cơ cấu GRDP: Khu vực dịch vụ và công nghiệp chiếm trên 80%, nông lâm nghiệp dưới 15%.",
        "Bén nam 2030, co cau GRDP: Khu vyc dich vu va cong nghiép chiém trén\n80%, nong lam "
        "nghi¢p dudi 15%.",
    ),
    (
        "Thu ngân sách trên địa bàn tăng bình quân 12%/năm.",
        "Thu ngan sach trén dia ban tang binh quan 12%/nim.",
    ),
    (
        "Vốn đầu tư thực hiện trên địa bàn tăng bình quân 11%/năm.",
        "Vén dau tu thyc hién trén dia ban ting binh quan 11%/nim.",
    ),
    (
        "Đến năm 2030, đóng góp của kinh tế số trong GRDP đạt tối thiểu 20%, trong đó kinh tế số "
        "nền tảng chiếm từ 7 – 10%.",
        "Bén nam 2030, dong gop cua kinh té sé trong GRDP dat t6i thiéu 20%,\ntrong d6 kinh té s6 "
        "nén tang chiém tir 7 - 10%.",
    ),
    (
        "Tỉ lệ hộ nghèo đa chiều giảm bình quân trên 3%/năm.",
        "Ti 1 ho nghéo da chiéu giam binh quan trén 3%/nam.",
    ),
    (
        "Đến năm 2030, tỉ lệ xã đạt chuẩn nông thôn mới đạt trên 35,84% (19/53 xã).",
        "Pén nam 2030, ti 1¢ xa dat chuan ndng thén mai dat trén 35,84% (19/53 x4).",
    ),
    (
        "Phấn đấu đến năm 2030, giảm ít nhất 40% số điểm trường lẻ; bảo đảm trên 80% số xã có "
        "trường bán trú hoặc nội trú.",
        "Phan ddu dén nam 2030, giam it nhat 40% sé diém truong 1€; bao dam trén\n80% sb xa co "
        "trudong ban tri hoic noi trd.",
    ),
    (
        "Đến năm 2030, 100% xã biên giới có trường phổ thông nội trú liên cấp.",
        "Bén nam 2030, 100% x4 bién gidi c6 trudng phd théng noi tri lién cap.",
    ),
    (
        "Xây dựng mới 01 Bệnh viện Đa khoa tuyến tỉnh quy mô 500 giường, có khả năng nâng cấp "
        "lên 1.000 giường sau năm 2030.",
        "Xay dung mgi 01 Bénh vién Da khoa tuyén tinh quy mé 500 giuong,\nc6 kha ning nang cap "
        "lén 1.000 giwdng sau nam 2030.",
    ),
    (
        "Đồng thời, giảm ít nhất 30% chi phí thanh toán dịch vụ y tế ngoại tỉnh.",
        "Bdng thoi, giam it nhat 30% chi phi thanh toan dich vu y té ngoai tinh.",
    ),
    (
        "Đến năm 2030 có trên 90% xã trên địa bàn tỉnh đạt mức Chỉ số Hạnh phúc người dân "
        "(CB-HPI) từ 90 điểm trở lên.",
        "Bén niam 2030 co trén 90% xa trén dia ban tinh dat mac Chi s6 Hanh phic\nnguoi dan "
        "(CB-HPI) tir 90 diém tré 18n.",
    ),
    (
        "Tỉ lệ sử dụng dịch vụ công trực tuyến của người dân và doanh nghiệp đạt trên 90%; tỉ lệ "
        "cơ sở dữ liệu chuyên ngành kết nối, xác thực với Cơ sở dữ liệu quốc gia về dân cư qua "
        "nền tảng số đạt 100%.",
        "Ti 1¢ sir dung dich vu cdng truc tuyén caa nguoi dan va doanh nghiép dat\ntrén 90%; ti "
        "1€ co so dir liéu chuyén nganh két noi, xac thuc véi Co sé dir liéu quoc\ngia v¢ dan cu "
        "qua nén tang so dat 100%.",
    ),
    (
        "Chỉ số cải cách hành chính (PAR Index), chỉ số chuyển đổi số (DTI) nằm trong nhóm 25 "
        "tỉnh, thành phố trên cả nước.",
        "Chi s6 cai cach hanh chinh (PAR Index), chi sé chuyén d6i s6 (DTI) nam\ntrong nhom 25 "
        "tinh, thanh pho trén ca nudc.",
    ),
    (
        "Tỉ lệ tổ chức đảng hoàn thành tốt nhiệm vụ hằng năm đạt 80% trở lên; kết nạp đảng viên "
        "mới hằng năm đạt từ 1.500 – 1.600 đảng viên.",
        "Ti I¢ t6 chtrc dang hoan thanh tét nhiém vu hiang nim dat 80% tré 18n; két\nnap dang "
        "vién maéi hang nam dat tir 1.500 - 1.600 dang vién.",
    ),
    (
        "Phấn đấu tổng kim ngạch xuất, nhập khẩu qua địa bàn tăng bình quân giai đoạn 2026 – "
        "2030 đạt 10%/năm.",
        "Phan dau tong kim ngach xuat, nhap khau qua dia ban ting binh\nquan giai doan 2026-2030 "
        "dat 10%/nam.",
    ),
    (
        "Phấn đấu đến năm 2030, du lịch trở thành ngành có đóng góp trên 10% GRDP, giải quyết "
        "sinh kế cho trên 30% lao động địa phương.",
        "Phan ddu dén nim 2030, du lich tré thanh nganh c6 déng gop trén\n10% GRDP, giai quyét "
        "sinh ké cho trén 30% lao dong dia phuong.",
    ),
    (
        "Khắc phục 100% điểm tiềm ẩn tai nạn giao thông trên các tuyến quốc lộ; kiên cố hóa 100% "
        "mặt đường đường tỉnh và tối thiểu 85% mặt đường xã.",
        "Khic phuc 100%\ndiém tiém an tai nan giao théng trén cac tuyén Quéc 16; kién cb hda 100% "
        "mit dudng\nduong tinh va téi thiéu 85% mat duong xa.",
    ),
    (
        "Phấn đấu đến năm 2030, khu vực kinh tế tư nhân đóng góp từ 62 – 65% GRDP và tạo việc "
        "làm cho trên 60% lực lượng lao động của tỉnh.",
        "Phin ddu dén nam 2030, khu vuc kinh té tw nhan déng gop\ntir 62 - 65% GRDP va tao viéc "
        "lam cho trén 60% luc luong lao déng cua tinh.",
    ),
    (
        "Giảm tỷ lệ hộ nghèo xuống dưới 5% vào năm 2028.",
        "Giam ty 1¢ hé nghéo xudng dudi 5% vao nim 2028.",
    ),
    (
        "Thu nhập bình quân đầu người đạt trên 100 triệu đồng/năm.",
        "Thu nhap binh quan dau nguoi dat trén 100 triéu dong/nim.",
    ),
    (
        "Tỉ lệ dân số tham gia bảo hiểm y tế không thấp hơn 95%.",
        "Ti 1€ dan s6 tham gia bao hiém y té khong thip hon 95%.",
    ),
    (
        "Chỉ số năng lực cạnh tranh cấp tỉnh (PCI) thuộc nhóm 20 tỉnh dẫn đầu cả nước.",
        "Chi s6 ning luc canh tranh cip tinh (PCI) thudc nhom 20 tinh dan dau ca nudc.",
    ),
]


def parse_key(target: ExtractedTarget) -> tuple[object, ...]:
    """Everything a parse decides, for comparing two parses."""
    return (
        target.kind,
        target.comparator,
        target.value,
        target.low,
        target.high,
        target.unit,
        target.year,
        target.first_year,
        target.base_period,
        target.change,
        target.out_of,
        target.condition,
        target.eligible_types,
        target.eligible_border,
        target.fraction,
        target.indicator,
    )


@pytest.mark.parametrize(("accented", "ocr"), THREE_WAYS, ids=[c[0][:40] for c in THREE_WAYS])
def test_with_without_diacritics_and_ocr_noise_parse_the_same(
    accented: str, ocr: str, catalogue: Catalogue
) -> None:
    parses = [
        [parse_key(t) for t in extract_targets(text, catalogue).targets]
        for text in (accented, strip_diacritics(accented), ocr)
    ]
    assert parses[0], "no target found"
    assert parses[0] == parses[1] == parses[2]


MAIN_BLOCK = """III. MỤC TIÊU

2. Các chỉ tiêu chủ yếu 5 năm 2025 – 2030

- Về kinh tế

(1) Tốc độ tăng trưởng GRDP bình quân đạt 10%/năm trở lên; GRDP bình quân đầu người đến năm 2030 đạt từ
75 – 80 triệu đồng/người/năm.

(2) Đến năm 2030, cơ cấu GRDP: Khu vực dịch vụ và công nghiệp chiếm trên 80%, nông lâm nghiệp dưới 15%.

(3) Thu ngân sách trên địa bàn tăng bình quân 12%/năm.

(4) Vốn đầu tư thực hiện trên địa bàn tăng bình quân 11%/năm.

(5) Đến năm 2030, đóng góp của kinh tế số trong GRDP đạt tối thiểu 20%, trong đó kinh tế số nền tảng chiếm
từ 7 – 10%.

- Về Văn hóa – Xã hội

(6) Tỉ lệ hộ nghèo đa chiều giảm bình quân trên 3%/năm.

(7) Đến năm 2030, tỉ lệ xã đạt chuẩn nông thôn mới đạt trên 35,84% (19/53 xã).

(8) Phấn đấu đến năm 2030, giảm ít nhất 40% số điểm trường lẻ; bảo đảm trên 80% số xã có trường bán trú hoặc
nội trú; 100% xã biên giới có trường phổ thông nội trú liên cấp. Xây dựng mới 01 Bệnh viện Đa khoa tuyến tỉnh
quy mô 500 giường, có khả năng nâng cấp lên 1.000 giường sau năm 2030, được đầu tư đồng bộ về cơ sở hạ tầng,
trang thiết bị và nguồn nhân lực. Đồng thời, giảm ít nhất 30% chi phí thanh toán dịch vụ y tế ngoại tỉnh
thông qua việc nâng cao chất lượng hệ thống y tế địa phương, tăng cường niềm tin và khả năng tiếp cận dịch vụ
y tế ngay tại cơ sở.

(9) Đến năm 2030 có trên 90% xã trên địa bàn tỉnh đạt mức Chỉ số Hạnh phúc người dân (CB-HPI) từ 90 điểm
trở lên, phản ánh mức sống hài lòng và bền vững, bảo đảm phát triển bao trùm về an sinh, cơ hội, văn hóa,
niềm tin.

- Về chuyển đổi số, cải cách hành chính

(10) Tỉ lệ sử dụng dịch vụ công trực tuyến của người dân và doanh nghiệp đạt trên 90%; tỉ lệ cơ sở dữ liệu
chuyên ngành kết nối, xác thực với Cơ sở dữ liệu quốc gia về dân cư qua nền tảng số đạt 100%.

(11) Chỉ số cải cách hành chính (PAR Index), chỉ số chuyển đổi số (DTI) nằm trong nhóm 25 tỉnh, thành phố trên
cả nước.

- Về công tác xây dựng Đảng

(12) Tỉ lệ tổ chức đảng hoàn thành tốt nhiệm vụ hằng năm đạt 80% trở lên; kết nạp đảng viên mới hằng năm đạt
từ 1.500 – 1.600 đảng viên.
"""


def test_main_block_with_and_without_diacritics_matches_the_hand_made_file(
    catalogue: Catalogue, hand_made: Resolution
) -> None:
    main = [t for t in hand_made.targets if _is_main(t.number)]
    for text in (MAIN_BLOCK, strip_diacritics(MAIN_BLOCK)):
        drafts = extract_targets(text, catalogue).targets
        result = score(drafts, main, hand_made)
        assert result.correct == [t.id for t in main], result.wrong | {"missing": result.missing}
        assert [t.number for t in drafts] == [t.number for t in main]


@needs_seed
def test_main_block_parses_like_the_ocr_seed(
    catalogue: Catalogue, seed_targets: tuple[ExtractedTarget, ...]
) -> None:
    accented = [parse_key(t) for t in extract_targets(MAIN_BLOCK, catalogue).targets]
    ocr = [parse_key(t) for t in seed_targets if _is_main(t.number)]
    assert accented == ocr


def test_text_is_returned_as_written_and_diacritics_are_restored_for_stripped_input(
    catalogue: Catalogue,
) -> None:
    ocr = (
        "(3) Thu ngan sach trén dia ban tang binh quan 12%/nim.\n"
        "(6) Ti 1 ho nghéo da chiéu giam binh\nquan trén 3%/nam."
    )
    targets = extract_targets(ocr, catalogue).targets
    assert [t.text for t in targets] == [
        "Thu ngan sach trén dia ban tang binh quan 12%/nim",
        "Ti 1 ho nghéo da chiéu giam binh quan trén 3%/nam",
    ]
    assert [t.restored_text for t in targets] == [
        "Thu ngân sách trên địa bàn tăng bình quân 12%/năm",
        "Tỉ lệ hộ nghèo đa chiều giảm bình quân trên 3%/năm",
    ]
    accented = extract_targets("(3) Thu ngân sách trên địa bàn tăng bình quân 12%/năm.", catalogue).targets
    assert accented[0].restored_text is None
    assert accented[0].text == "Thu ngân sách trên địa bàn tăng bình quân 12%/năm"


def test_report_parts_are_not_read_as_targets(catalogue: Catalogue) -> None:
    text = (
        "Phần thứ nhất\nĐÁNH GIÁ KẾT QUẢ THỰC HIỆN NGHỊ QUYẾT\n\n"
        "Tỉ lệ đô thị hóa đạt 25,5%. Dịch vụ chiếm 56,21%.\n\n"
        "Phần thứ hai\nMỤC TIÊU, NHIỆM VỤ VÀ GIẢI PHÁP\n\n"
        "Phấn đấu đến năm 2030, tỉ lệ đô thị hóa toàn tỉnh đạt 44%. Năm 2024 ước đạt 27%."
    )
    targets = extract_targets(text, catalogue).targets
    assert [(t.value, t.unit, t.indicator) for t in targets] == [(44, "%", "urbanisation_rate")]


@pytest.mark.parametrize(
    ("text", "kind", "comparator", "bound", "unit"),
    [
        ("Tuổi thọ trung bình đạt 75 tuổi.", TargetKind.LEVEL, Comparator.EQ, 75, "tuổi"),
        ("Tỷ lệ thất nghiệp ở khu vực thành thị dưới 3%.", TargetKind.LEVEL, Comparator.LT, 3, "%"),
        ("Tỷ lệ bao phủ bảo hiểm y tế không thấp hơn 95%.", TargetKind.LEVEL, Comparator.GE, 95, "%"),
        ("Tỷ lệ chôn lấp chất thải tối đa 10%.", TargetKind.LEVEL, Comparator.LE, 10, "%"),
        (
            "Tổng vốn đầu tư toàn xã hội đạt khoảng 100.000 tỷ đồng.",
            TargetKind.LEVEL,
            Comparator.EQ,
            100000,
            "tỷ đồng",
        ),
        (
            "GRDP tăng trưởng bình quân 8,5 – 9%/năm.",
            TargetKind.AVERAGE_GROWTH,
            Comparator.BETWEEN,
            (8.5, 9),
            "%/năm",
        ),
        (
            "Giảm 20% chi phí khám, chữa bệnh so với năm 2024.",
            TargetKind.RELATIVE_CHANGE,
            Comparator.EQ,
            20,
            "%",
        ),
        (
            "Hằng năm kết nạp từ 1.200 đảng viên trở lên.",
            TargetKind.EVERY_YEAR,
            Comparator.GE,
            1200,
            "đảng viên",
        ),
        (
            "Phấn đấu có 100% số xã đạt chuẩn nông thôn mới.",
            TargetKind.SHARE_OF_UNITS,
            Comparator.GE,
            100,
            "% số xã",
        ),
        ("Chỉ số PCI thuộc nhóm 20 tỉnh dẫn đầu cả nước.", TargetKind.RANK, Comparator.LE, 20, "hạng"),
    ],
)
def test_phrasings_beyond_the_seed(
    text: str,
    kind: TargetKind,
    comparator: Comparator,
    bound: float | tuple[float, float],
    unit: str,
    catalogue: Catalogue,
) -> None:
    (target,) = extract_targets(text, catalogue).targets
    assert (target.kind, target.comparator, target.unit) == (kind, comparator, unit)
    if isinstance(bound, tuple):
        assert (target.low, target.high) == bound
    else:
        assert target.value == bound


def test_base_and_period_are_read() -> None:
    (relative,) = extract_targets("Giảm 20% chi phí so với năm 2024.").targets
    assert relative.base_period == 2024
    assert relative.change is not None and relative.change.value == "decrease"
    (growth,) = extract_targets("Doanh thu tăng bình quân giai đoạn 2026 – 2029 đạt 8%/năm.").targets
    assert (growth.first_year, growth.year) == (2026, 2029)


def test_json_records_have_the_documented_fields(catalogue: Catalogue) -> None:
    targets = extract_targets(MAIN_BLOCK, catalogue).targets
    records = json.loads(json.dumps([t.record() for t in targets], ensure_ascii=False))
    for record in records:
        assert {"text", "kind", "comparator", "unit", "year", "indicator", "confidence"} <= record.keys()
        assert ("value" in record) != ({"low", "high"} <= record.keys())
    assert records[1]["low"] == 75 and records[1]["high"] == 80


# --------------------------------------------------------------------------------
# Numbers: properties
# --------------------------------------------------------------------------------

amounts = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)


@given(amounts)
def test_a_vietnamese_number_reads_back(amount: object) -> None:
    value = float(amount)  # type: ignore[arg-type]
    written = format_number(value, 2)  # "1.234,56"
    assert read_number(written) == pytest.approx(value)


@given(amounts)
@settings(max_examples=60)
def test_a_percentage_target_reads_back(amount: object) -> None:
    value = float(amount)  # type: ignore[arg-type]
    (target,) = extract_targets(f"Tỉ lệ che phủ rừng đạt trên {format_number(value, 2)}%.").targets
    assert target.comparator is Comparator.GT
    assert target.value == pytest.approx(value)
    assert target.unit == "%"


@given(amounts, amounts)
@settings(max_examples=60)
def test_a_range_reads_back(a: object, b: object) -> None:
    low, high = sorted((float(a), float(b)))  # type: ignore[arg-type]
    if low == high:
        high += 1
    text = (
        f"Thu nhập bình quân đầu người đạt từ {format_number(low, 2)} – {format_number(high, 2)} triệu đồng."
    )
    (target,) = extract_targets(text).targets
    assert target.comparator is Comparator.BETWEEN
    assert target.low == pytest.approx(low)
    assert target.high == pytest.approx(high)
    assert target.unit == "triệu đồng"


@given(st.integers(0, 500), st.integers(1, 500))
def test_fractions_are_not_targets(part: int, whole: int) -> None:
    quantities = find_quantities(f"dat tren 35,84% ({part}/{whole} xa)")
    assert [(q.value, q.unit) for q in quantities] == [(35.84, "%")]


@given(st.text(max_size=300))
@settings(max_examples=150)
def test_arbitrary_text_never_raises(text: str) -> None:
    assert read_number(text) is None or isinstance(read_number(text), float)
    find_quantities(text)
    extract_targets(text)


@given(st.text(alphabet="0123456789.,%-/ trenduoitu", max_size=60))
def test_number_soup_never_raises(text: str) -> None:
    for q in find_quantities(text):
        assert q.value is not None or (q.low is not None and q.high is not None and q.low < q.high)


def test_syllables_and_diacritics_detection() -> None:
    assert is_syllable("tang") and is_syllable("nguyen") and is_syllable("truong")
    assert not is_syllable("ting") and not is_syllable("ndm") and not is_syllable("x4")
    assert has_diacritics(MAIN_BLOCK)
    assert not has_diacritics(strip_diacritics(MAIN_BLOCK))
    assert not has_diacritics("Toc do tang truong GRDP binh quan dat 10%/nam tré 1én; dén ndm 2030 dat tir")


# --------------------------------------------------------------------------------
# The draft file and the review step
# --------------------------------------------------------------------------------


@needs_seed
def test_raw_draft_of_the_seed_loads_as_a_draft_resolution(
    catalogue: Catalogue, tmp_path: Path, hand_made: Resolution
) -> None:
    extraction = extract_targets(SEED.read_text(encoding="utf-8"), catalogue)
    text = draft_resolution(extraction, catalogue, province="04", source=SEED.name)
    assert text.startswith(f"# {HEADER}\n")
    path = tmp_path / "nhap.yaml"
    path.write_text(text, encoding="utf-8")
    draft, _ = load_resolution(path)
    assert draft.status is ResolutionStatus.DRAFT
    assert draft.term == (2025, 2030)
    assert len(draft.targets) == len(extraction.targets)
    # Diacritics are restored where the OCR text had none.
    assert draft.target("3").text == "Thu ngân sách trên địa bàn tăng bình quân 12%/năm"
    comparison = compare_targets(extraction.targets, hand_made)
    assert not comparison.missing


def test_a_target_without_a_fitting_indicator_gets_a_placeholder(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    text = "Phấn đấu đến năm 2030, 95% thôn bản có đội văn nghệ quần chúng hoạt động thường xuyên."
    extraction = extract_targets(text, catalogue)
    assert len(extraction.targets) == 1
    draft = draft_resolution(extraction, catalogue, province="04")
    path = tmp_path / "nhap.yaml"
    path.write_text(draft, encoding="utf-8")
    resolution, merged = load_resolution(path)
    code = resolution.targets[0].indicator
    if code.startswith("draft_"):
        assert "CHƯA XÁC ĐỊNH" in draft
        assert code in merged


def test_compare_lists_differences_missing_and_extra(catalogue: Catalogue, hand_made: Resolution) -> None:
    text = MAIN_BLOCK.replace("tăng bình quân 12%/năm", "tăng bình quân 13%/năm") + (
        "\n(13) Tỉ lệ che phủ rừng đạt 56%.\n"
    )
    comparison = compare_targets(extract_targets(text, catalogue).targets, hand_made)
    differing = {p.target.id: p.differences for p in comparison.pairs if p.differences}
    assert list(differing) == ["3"]
    assert [(d.field, d.draft, d.file) for d in differing["3"]] == [("value", 13, 12)]
    assert {t.id for t in comparison.missing} == {t.id for t in hand_made.targets if not _is_main(t.number)}
    assert [e.number for e in comparison.extra] == ["13"]


# --------------------------------------------------------------------------------
# The command and the input formats
# --------------------------------------------------------------------------------


def _write_docx(path: Path, text: str) -> None:
    import docx

    document = docx.Document()
    for paragraph in text.split("\n\n"):
        document.add_paragraph(paragraph.replace("\n", " "))
    document.save(str(path))


def _write_pdf(path: Path, lines: list[str]) -> None:
    """A one-page PDF with a text layer in Helvetica (ASCII text only)."""

    def escape(line: str) -> str:
        return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    content = "BT /F1 8 Tf 20 820 Td 11 TL " + " ".join(f"({escape(line)}) Tj T*" for line in lines) + " ET"
    stream = zlib.compress(content.encode("latin-1"))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))


def _keys(text: str, catalogue: Catalogue) -> list[tuple[object, ...]]:
    return [parse_key(t) for t in extract_targets(text, catalogue).targets]


def test_docx_input_reads_like_text(tmp_path: Path, catalogue: Catalogue) -> None:
    path = tmp_path / "nghi-quyet.docx"
    _write_docx(path, MAIN_BLOCK)
    text = read_document(path)
    assert "Tốc độ tăng trưởng GRDP" in text
    assert _keys(text, catalogue) == _keys(MAIN_BLOCK, catalogue)


def test_pdf_text_layer_is_read(tmp_path: Path, catalogue: Catalogue) -> None:
    lines = strip_diacritics(MAIN_BLOCK).replace("–", "-").splitlines()
    path = tmp_path / "nghi-quyet.pdf"
    _write_pdf(path, lines)
    assert _keys(read_document(path), catalogue) == _keys(MAIN_BLOCK, catalogue)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_pdf_with_vietnamese_text_made_by_libreoffice(tmp_path: Path, catalogue: Catalogue) -> None:
    source = tmp_path / "nghi-quyet.docx"
    _write_docx(source, MAIN_BLOCK)
    subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    text = read_document(tmp_path / "nghi-quyet.pdf")
    assert _keys(text, catalogue) == _keys(MAIN_BLOCK, catalogue)


def test_a_scanned_pdf_and_an_unknown_format_are_refused(tmp_path: Path) -> None:
    scan = tmp_path / "scan.pdf"
    _write_pdf(scan, [])
    with pytest.raises(InvalidFile, match="OCR"):
        read_document(scan)
    other = tmp_path / "nghi-quyet.odt"
    other.write_bytes(b"")
    with pytest.raises(UnknownFormat):
        read_document(other)


def test_command_writes_a_yaml_draft_that_loads(tmp_path: Path) -> None:
    source = tmp_path / "nghi-quyet.txt"
    source.write_text(strip_diacritics(MAIN_BLOCK), encoding="utf-8")
    out = tmp_path / "nhap.yaml"
    result = CliRunner().invoke(extract_command, [str(source), "-o", str(out), "--province", "04"])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith(f"# {HEADER}")
    resolution, _ = load_resolution(out)
    assert resolution.status is ResolutionStatus.DRAFT
    assert len(resolution.targets) == 22
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["province"] == "04"


def test_command_json_output(tmp_path: Path) -> None:
    source = tmp_path / "nghi-quyet.docx"
    _write_docx(source, MAIN_BLOCK)
    result = CliRunner().invoke(extract_command, [str(source), "--format", "json"])
    assert result.exit_code == 0, result.output
    records = json.loads(result.output)
    assert len(records) == 22
    assert records[0] | {"text": records[0]["text"]} == records[0]
    assert (records[0]["kind"], records[0]["comparator"], records[0]["value"], records[0]["unit"]) == (
        "average_growth",
        ">=",
        10,
        "%/năm",
    )
    assert records[0]["indicator"] == "grdp_growth" and 0 < records[0]["confidence"] <= 1


def test_command_compare_shows_the_differences(tmp_path: Path) -> None:
    source = tmp_path / "nghi-quyet.txt"
    source.write_text(
        MAIN_BLOCK.replace("tăng bình quân 12%/năm", "tăng bình quân 13%/năm"), encoding="utf-8"
    )
    result = CliRunner().invoke(extract_command, [str(source), "--compare", "cao-bang-2025-2030"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("21 chỉ tiêu khớp, 1 chỉ tiêu khác, 11 chỉ tiêu có trong tệp")
    assert "≠ 3: Thu ngân sách trên địa bàn tăng bình quân 13%/năm" in result.output
    assert "value: bản nháp 13.0 — tệp 12.0" in result.output
    assert "− t-urbanisation (chỉ có trong tệp)" in result.output
    as_json = CliRunner().invoke(
        extract_command, [str(source), "--compare", "cao-bang-2025-2030", "--format", "json"]
    )
    assert json.loads(as_json.output)["missing"][0]["target"] == "t-electricity"


def test_command_reports_an_unreadable_file(tmp_path: Path) -> None:
    source = tmp_path / "scan.pdf"
    _write_pdf(source, [])
    result = CliRunner().invoke(extract_command, [str(source)])
    assert result.exit_code == 2
    assert "OCR" in result.output
