"""The periodic assessment report: content, narratives, DOCX layout (Nghị định 30/2020), PDF.

The DOCX and PDF are built once per module from the shipped data (the published Cao
Bằng figures) and checked as an office would: page size and margins, fonts, the
national title with its diacritics, the draft mark, every target number in the PDF
text, and page 1 rendered to PNG for a person to look at.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
import time
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from docx import Document
from docx.shared import Length

from chiso.areas import Area
from chiso.errors import ChisoError
from chiso.io.areas_file import bundled_areas
from chiso.observations import DataStatus, Observation
from chiso.periods import parse_period
from chiso.reports import build_report, load_report_settings, save_report_settings
from chiso.reports.content import CONFLICT_MARK, ILLUSTRATIVE_MARK, build_content
from chiso.reports.docx import TEMPLATE, issue_date_text, render_docx
from chiso.reports.make_template import build_template
from chiso.reports.narrative import narrate
from chiso.reports.pdf import soffice_path
from chiso.reports.settings import default_settings
from chiso.resolutions import bundled_resolutions, load_resolution
from chiso.store import Store, open_store
from chiso.store.bootstrap import ensure_seeded
from chiso.store.models import AuditEntry

from .conftest import make_target, obs, run

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
RESOLUTION = "cao-bang-2025-2030"
ISSUE_DATE = dt.date(2026, 2, 5)

needs_pdf_tools = pytest.mark.skipif(
    soffice_path() is None or shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None,
    reason="needs LibreOffice and poppler (Debian: libreoffice-writer-nogui, poppler-utils)",
)


# --- one store, reports built once -------------------------------------------------------


def _fresh_url(folder: Path) -> str:
    url = os.environ.get("CHISO_TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{folder / 'chiso.sqlite3'}"
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


@dataclass(frozen=True)
class Built:
    docx: bytes
    draft_docx: bytes
    pdf: bytes | None
    numbers: tuple[str, ...]
    seconds: dict[str, dict[str, float]]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    """The report of the shipped resolution, from the shipped data, as DOCX (plain and draft) and PDF."""
    store = open_store(_fresh_url(tmp_path_factory.mktemp("reports")))
    try:
        ensure_seeded(store)
        plain = build_report(store, period=2025, fmt="docx", resolution=RESOLUTION, issue_date=ISSUE_DATE)
        draft = build_report(
            store, period=2025, fmt="docx", resolution=RESOLUTION, draft=True, issue_date=ISSUE_DATE
        )
        seconds = {"docx": plain.seconds}
        pdf = None
        if soffice_path() is not None:
            as_pdf = build_report(
                store, period=2025, fmt="pdf", resolution=RESOLUTION, draft=True, issue_date=ISSUE_DATE
            )
            pdf, seconds["pdf"] = as_pdf.data, as_pdf.seconds
        yield Built(plain.data, draft.data, pdf, plain.content.target_numbers, seconds)
    finally:
        store.engine.dispose()


def _document(data: bytes) -> Any:
    return Document(io.BytesIO(data))


def _all_text(data: bytes) -> str:
    """Every text of the document body, tables, headers and footers."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = [n for n in archive.namelist() if n.startswith("word/") and n.endswith(".xml")]
        import re

        texts = []
        for name in parts:
            xml = archive.read(name).decode("utf-8")
            texts.extend(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))
    return "".join(texts)


# --- DOCX: the decree's layout -----------------------------------------------------------


def _mm(length: Length | None) -> float:
    assert length is not None
    return float(length.mm)


def test_docx_is_a4_with_margins_in_the_decree_ranges(built: Built) -> None:
    document = _document(built.docx)
    for section in document.sections:
        size = sorted([_mm(section.page_width), _mm(section.page_height)])
        assert size == pytest.approx([210, 297], abs=0.5)
        assert 20 <= _mm(section.top_margin) <= 25
        assert 20 <= _mm(section.bottom_margin) <= 25
        assert 30 <= _mm(section.left_margin) <= 35
        assert 15 <= _mm(section.right_margin) <= 20
    first = document.sections[0]
    assert _mm(first.page_width) == pytest.approx(210, abs=0.5)  # the report itself is portrait
    assert first.different_first_page_header_footer  # no page number on page 1


@pytest.mark.parametrize(
    ("style", "size", "bold", "italic"),
    [
        ("Normal", 14, None, None),
        ("Noi dung", 14, False, False),
        ("Muc", 14, True, False),
        ("Quoc hieu", 13, True, False),
        ("Tieu ngu", 14, True, False),
        ("Co quan chu quan", 13, False, False),
        ("Co quan ban hanh", 13, True, False),
        ("So ky hieu", 13, False, False),
        ("Dia danh", 14, False, True),
        ("Ten loai", 14, True, False),
        ("Trich yeu", 14, True, False),
        ("Chuc vu ky", 14, True, False),
        ("Ho ten ky", 14, True, False),
        ("Noi nhan", 12, True, True),
        ("Noi nhan - danh sach", 11, False, False),
    ],
)
def test_docx_styles_are_times_new_roman_at_the_decree_sizes(
    built: Built, style: str, size: int, bold: bool | None, italic: bool | None
) -> None:
    document = _document(built.docx)
    found = document.styles[style]
    assert found.font.name == "Times New Roman"
    assert found.font.size.pt == size
    if bold is not None:
        assert bool(found.font.bold) is bold
    if italic is not None:
        assert bool(found.font.italic) is italic
    fonts = found.element.rPr.rFonts
    for attribute in ("ascii", "hAnsi", "cs", "eastAsia"):
        assert fonts.get(f"{{http://schemas.openxmlformats.org/wordprocessingml/2006/main}}{attribute}") == (
            "Times New Roman"
        )


def test_docx_names_liberation_serif_as_the_fallback_font(built: Built) -> None:
    with zipfile.ZipFile(io.BytesIO(built.docx)) as archive:
        table = archive.read("word/fontTable.xml").decode("utf-8")
    assert 'w:name="Times New Roman"' in table and 'w:altName w:val="Liberation Serif"' in table


def test_docx_header_has_the_national_title_agency_number_and_italic_date(built: Built) -> None:
    document = _document(built.docx)
    header = document.tables[0]
    left = [p for p in header.cell(0, 0).paragraphs if p.text]
    right = [p for p in header.cell(0, 1).paragraphs if p.text]
    assert [p.text for p in right] == [NATIONAL_TITLE, MOTTO]
    assert all(unicodedata.is_normalized("NFC", p.text) for p in right)
    assert [p.style.name for p in right] == ["Quoc hieu", "Tieu ngu"]
    motto = right[1]._p.pPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}pBdr")
    assert motto is not None  # the rule under the motto
    assert [p.text for p in left] == ["TỈNH ỦY CAO BẰNG", "VĂN PHÒNG"]
    assert header.cell(1, 0).paragraphs[0].text.startswith("Số: ")
    date = header.cell(1, 1).paragraphs[0]
    assert date.text == "Cao Bằng, ngày 05 tháng 02 năm 2026"
    assert date.style.name == "Dia danh" and date.style.font.italic


def test_docx_has_title_body_recipients_and_signature(built: Built) -> None:
    document = _document(built.docx)
    texts = [p.text for p in document.paragraphs]
    assert "BÁO CÁO" in texts
    assert any(t.startswith("Đánh giá kết quả thực hiện các chỉ tiêu Nghị quyết") for t in texts)
    assert "I. KẾT QUẢ CHUNG" in texts
    signature = document.tables[1]
    recipients = [p.text for p in signature.cell(0, 0).paragraphs if p.text]
    assert recipients[0] == "Nơi nhận:" and recipients[-1] == "- Lưu: VT."
    signer = [p.text for p in signature.cell(0, 1).paragraphs if p.text]
    assert "CHÁNH VĂN PHÒNG" in signer and "[Họ và tên người ký]" in signer


def test_docx_table_lists_every_target(built: Built) -> None:
    document = _document(built.docx)
    resolution, _ = load_resolution(bundled_resolutions()[RESOLUTION])
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Số")
    numbers = [row.cells[0].text for row in table.rows[1:] if row.cells[0].text]
    assert len(numbers) == len(resolution.targets)
    assert numbers == list(built.numbers)


def test_draft_mark_only_when_asked(built: Built) -> None:
    assert "DỰ THẢO" in _all_text(built.draft_docx)
    assert "DỰ THẢO" not in _all_text(built.docx)
    header = _document(built.draft_docx).sections[0].first_page_header
    assert "DỰ THẢO" in [p.text for p in header.paragraphs]


def test_date_of_issue_takes_leading_zeros_as_the_decree_asks() -> None:
    assert issue_date_text(dt.date(2026, 2, 5)) == "ngày 05 tháng 02 năm 2026"
    assert issue_date_text(dt.date(2026, 11, 9)) == "ngày 09 tháng 11 năm 2026"
    assert issue_date_text(dt.date(2026, 3, 15)) == "ngày 15 tháng 3 năm 2026"


# --- PDF ---------------------------------------------------------------------------------


@needs_pdf_tools
def test_pdf_text_has_national_title_and_every_target_number(built: Built, tmp_path: Path) -> None:
    assert built.pdf is not None
    path = tmp_path / "bao-cao.pdf"
    path.write_bytes(built.pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout.decode()
    text = unicodedata.normalize("NFC", text)
    assert NATIONAL_TITLE in text
    assert MOTTO in text
    assert "DỰ THẢO" in text
    tokens = set(text.split())
    resolution, _ = load_resolution(bundled_resolutions()[RESOLUTION])
    assert len(built.numbers) == len(resolution.targets)
    missing = [n for n in built.numbers if n not in tokens]
    assert not missing, missing


@needs_pdf_tools
def test_pdf_embeds_a_font_with_vietnamese_glyphs(built: Built, tmp_path: Path) -> None:
    assert built.pdf is not None
    path = tmp_path / "bao-cao.pdf"
    path.write_bytes(built.pdf)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True).stdout.decode()
    rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
    assert rows
    for row in rows:
        assert "Serif" in row[0] or "Times" in row[0], row
        assert row[-5] == "yes", row  # embedded


@needs_pdf_tools
def test_pdf_first_page_renders_to_png(built: Built, tmp_path: Path) -> None:
    assert built.pdf is not None
    path = tmp_path / "bao-cao.pdf"
    path.write_bytes(built.pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", str(path), str(tmp_path / "trang")], check=True
    )
    png = next(tmp_path.glob("trang*.png"))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 20_000
    print(f"\nTrang 1 của báo cáo: {png}")


def test_report_build_time_is_printed(built: Built, capsys: pytest.CaptureFixture[str]) -> None:
    with capsys.disabled():
        for fmt, seconds in built.seconds.items():
            steps = ", ".join(f"{k} {v:.2f} s" for k, v in seconds.items())
            print(f"\nThời gian lập báo cáo {fmt.upper()}: {steps}")
    assert built.seconds["docx"]["total"] > 0


# --- narratives: correct Vietnamese from the numbers ---------------------------------------

E, P = DataStatus.ESTIMATE, DataStatus.PRELIMINARY
_UNITS = [Area("04", "Tỉnh Cao Bằng", "tinh")] + [Area(f"0{i}", f"Xã {i}", "xa", "04") for i in range(1, 5)]
_GROWTH = {
    "id": "1a",
    "number": "1",
    "indicator": "grdp_growth",
    "kind": "average_growth",
    "comparator": ">=",
    "value": 10,
    "unit": "%/năm",
}
_URBAN = {"indicator": "urbanisation_rate", "kind": "level", "comparator": "=", "value": 44, "unit": "%"}
NARRATIVES = [
    (
        "growth-estimate",
        {**_GROWTH, "base": {"period": 2025, "value": 6.9}},
        [obs("grdp_growth", 2026, 7.2, status=E)],
        {},
        "Tốc độ tăng trưởng tổng sản phẩm trên địa bàn (GRDP) năm 2026 ước đạt 7,2%, thấp hơn mức bình "
        "quân cần thiết 10%/năm; để đạt chỉ tiêu, các năm 2027–2030 cần tăng bình quân 10,71%/năm.",
    ),
    (
        "growth-two-years-preliminary",
        _GROWTH,
        [obs("grdp_growth", 2026, 10.5), obs("grdp_growth", 2027, 11.0, status=P)],
        {"as_of": 2027},
        "Tốc độ tăng trưởng tổng sản phẩm trên địa bàn (GRDP) năm 2027 sơ bộ đạt 11%, cao hơn mức bình "
        "quân cần thiết 10%/năm; bình quân giai đoạn 2026–2027 đạt 10,75%/năm; để đạt chỉ tiêu, các năm "
        "2028–2030 cần tăng bình quân 9,5%/năm.",
    ),
    (
        "level-behind-path",
        {**_URBAN, "base": {"period": 2025, "value": 25.5}},
        [obs("urbanisation_rate", 2026, 27.0, status=P)],
        {},
        "Tỷ lệ đô thị hóa năm 2026 sơ bộ đạt 27%, thấp hơn mức cần đạt theo lộ trình năm 2026 (28,4%); "
        "mục tiêu đến năm 2030 đạt 44%; để đạt chỉ tiêu, các năm 2027–2030 cần tăng bình quân 12,99%/năm.",
    ),
    (
        "level-achieved-final",
        {**_URBAN, "comparator": ">=", "base": {"period": 2025, "value": 40}},
        [obs("urbanisation_rate", 2026, 45.0)],
        {},
        "Tỷ lệ đô thị hóa năm 2026 đạt 45%, đã đạt mục tiêu từ 44% trở lên đề ra cho năm 2030.",
    ),
    (
        "range-estimate",
        {
            "indicator": "grdp_per_capita",
            "kind": "level",
            "comparator": "between",
            "low": 75,
            "high": 80,
            "unit": "triệu đồng",
            "base": {"period": 2025, "value": 50.73},
        },
        [obs("grdp_per_capita", 2026, 54.1, status=E)],
        {},
        "GRDP bình quân đầu người năm 2026 ước đạt 54,1 triệu đồng, thấp hơn mức cần đạt theo lộ trình "
        "năm 2026 (54,86 triệu đồng); mục tiêu đến năm 2030 từ 75 – 80 triệu đồng; để đạt chỉ tiêu, các "
        "năm 2027–2030 cần tăng bình quân 8,51%/năm.",
    ),
    (
        "base-only",
        {**_URBAN, "base": {"period": 2025, "value": 25.5}},
        [],
        {},
        "Tỷ lệ đô thị hóa năm 2025 (năm gốc) là 25,5%; mục tiêu đến năm 2030 đạt 44%; chưa có số liệu "
        "các năm sau để đánh giá tiến độ.",
    ),
    (
        "share-of-communes",
        {
            "id": "9",
            "number": "9",
            "indicator": "hpi_score",
            "kind": "share_of_units",
            "comparator": ">",
            "value": 90,
            "unit": "% số xã",
            "condition": {"comparator": ">=", "value": 90},
        },
        [obs("hpi_score", 2026, v, area=f"0{i}", status=P) for i, v in [(1, 92.0), (2, 88.5), (3, 95.1)]],
        {"areas": _UNITS},
        "Năm 2026 có 2/4 đơn vị cấp xã (50%) đạt chỉ số hạnh phúc người dân từ 90 điểm trở lên "
        "(3/4 đơn vị có số liệu); mục tiêu đến năm 2030 trên 90%.",
    ),
    ("no-data", _URBAN, [], {}, None),
]


@pytest.mark.parametrize(
    ("fields", "observations", "options", "expected"),
    [case[1:] for case in NARRATIVES],
    ids=[case[0] for case in NARRATIVES],
)
def test_narrative_sentence_from_the_numbers(
    catalogue: Any,
    fields: dict[str, Any],
    observations: list[Observation],
    options: dict[str, Any],
    expected: str | None,
) -> None:
    sentence = narrate(run(make_target(**fields), observations, catalogue, **options))
    assert sentence == expected
    if sentence is not None:
        assert unicodedata.is_normalized("NFC", sentence)
        assert sentence[0].isupper() and sentence.endswith(".") and ".." not in sentence


# --- content: counts, marks, commune annex, period --------------------------------------------


def _resolution() -> tuple[Any, Any]:
    return load_resolution(bundled_resolutions()[RESOLUTION])


def test_summary_counts_every_target_once() -> None:
    resolution, catalogue = _resolution()
    content = build_content(resolution, catalogue, [], period=parse_period(2026), charts=False)
    assert content.summary.total == len(resolution.targets)
    assert sum(content.summary.by_status.values()) == len(resolution.targets)
    total = len(resolution.targets)
    assert content.summary_paragraphs[0].startswith(f"Đánh giá đến năm 2026, trong {total} chỉ tiêu: ")
    assert f"/{total} chỉ tiêu chưa có dữ liệu" in content.summary_paragraphs[0]


def test_estimates_conflicts_and_illustrative_figures_are_marked() -> None:
    resolution, catalogue = _resolution()
    figures = [
        obs("grdp_growth", 2025, 7.22, source="Cục Thống kê"),
        obs("grdp_growth", 2026, 7.2, status=E, source="Báo cáo UBND tỉnh"),
        obs("grdp_growth", 2026, 7.5, status=E, source="Cục Thống kê"),
        obs("urbanisation_rate", 2026, 27.0, status=E, source="Kịch bản minh họa — DỮ LIỆU MÔ PHỎNG"),
    ]
    content = build_content(resolution, catalogue, figures, period=parse_period(2026), charts=False)
    growth = next(r for r in content.rows if r.number == "1a")
    assert "ước tính" in growth.latest and CONFLICT_MARK in growth.latest
    assert CONFLICT_MARK in growth.remark
    assert any("Báo cáo UBND tỉnh: 7,2" in c and "Cục Thống kê: 7,5" in c for c in content.conflicts)
    assert content.illustrative and ILLUSTRATIVE_MARK in content.notice
    sources = {s.source for s in content.sources}
    assert {"Báo cáo UBND tỉnh", "Cục Thống kê"} <= sources
    assert any(ILLUSTRATIVE_MARK in s for s in sources)


def test_half_year_report_leaves_out_the_annual_figure_of_that_year() -> None:
    resolution, catalogue = _resolution()
    figures = [
        obs("grdp_growth", "2026-H1", 6.8, status=E, source="Cục Thống kê"),
        obs("grdp_growth", 2026, 7.4, status=E, source="Cục Thống kê"),
    ]
    half = build_content(resolution, catalogue, figures, period=parse_period("2026-H1"), charts=False)
    year = build_content(resolution, catalogue, figures, period=parse_period(2026), charts=False)
    assert "7,4" not in next(r for r in half.rows if r.number == "1a").latest
    assert "6 tháng đầu năm 2026" in next(r for r in half.rows if r.number == "1a").remark
    assert "7,4" in next(r for r in year.rows if r.number == "1a").latest
    assert half.subject.endswith("6 tháng đầu năm 2026")


def test_commune_annex_lists_every_commune_with_its_happiness_score() -> None:
    resolution, catalogue = _resolution()
    areas = bundled_areas("04")
    communes = [a for a in areas if a.parent == "04"]
    figures = [
        obs("hpi_score", 2026, 92.5, area=communes[0].code, status=P, source="Khảo sát CB-HPI 2026"),
        obs("hpi_score", 2026, 81.0, area=communes[1].code, status=P, source="Khảo sát CB-HPI 2026"),
    ]
    content = build_content(
        resolution, catalogue, figures, period=parse_period(2026), areas=areas, charts=False
    )
    table = next(t for t in content.commune_tables if t.indicator == "hpi_score")
    assert len(table.rows) == len(communes) == 56
    verdicts = {r.code: r.verdict for r in table.rows}
    assert verdicts[communes[0].code] == "Đạt"
    assert verdicts[communes[1].code] == "Chưa đạt"
    assert list(verdicts.values()).count("Chưa có số liệu") == 54
    assert "2/56 đơn vị có số liệu" in table.summary and "1/56 đơn vị đạt" in table.summary


def test_charts_are_png_images() -> None:
    resolution, catalogue = _resolution()
    figures = [obs("grdp_growth", 2026, 7.2, status=E), obs("grdp_growth", 2027, 8.1, status=E)]
    content = build_content(resolution, catalogue, figures, period=parse_period(2027))
    assert content.summary_chart is not None
    assert content.summary_chart.png[:8] == b"\x89PNG\r\n\x1a\n"
    economy = next(g for g in content.groups if g.id == "kinh_te")
    assert economy.charts and economy.charts[0].png[:4] == b"\x89PNG"


# --- settings, templates, command line -----------------------------------------------------


def test_settings_default_then_saved_and_audited(store: Store) -> None:
    first = load_report_settings(store, "04")
    assert first.is_default and first.parent_agency == "TỈNH ỦY CAO BẰNG"
    assert first.recipient_lines[-1] == "- Lưu: VT."
    saved = save_report_settings(
        store,
        replace(first, signer_name="Nguyễn Văn A", recipients=("Thường trực Tỉnh ủy",), template=b"x"),
        actor="thử",
    )
    assert not saved.is_default
    again = load_report_settings(store, "04")
    assert again.signer_name == "Nguyễn Văn A" and again.template == b"x"
    assert again.recipient_lines == ("- Thường trực Tỉnh ủy;", "- Lưu: VT.")
    with store.session() as s:
        entries = s.query(AuditEntry).filter(AuditEntry.entity == "report_settings").all()
        assert [e.actor for e in entries] == ["thử"]


def test_edited_template_is_used_and_a_broken_one_is_refused() -> None:
    resolution, catalogue = _resolution()
    content = build_content(resolution, catalogue, [], period=parse_period(2026), charts=False)
    document = Document(str(TEMPLATE))
    title = next(p for p in document.paragraphs if p.text == "BÁO CÁO")
    title.runs[0].text = "BÁO CÁO NHANH"
    edited = io.BytesIO()
    document.save(edited)
    data = render_docx(content, default_settings("04"), template=edited.getvalue())
    assert "BÁO CÁO NHANH" in [p.text for p in _document(data).paragraphs]
    with pytest.raises(ChisoError):
        render_docx(content, default_settings("04"), template=b"not a docx")


def test_committed_template_matches_the_script(tmp_path: Path) -> None:
    rebuilt = build_template(tmp_path / "mau.docx")
    for part in ("word/document.xml", "word/styles.xml", "word/header1.xml", "word/fontTable.xml"):
        with zipfile.ZipFile(rebuilt) as new, zipfile.ZipFile(TEMPLATE) as shipped:
            assert new.read(part) == shipped.read(part), part


def test_cli_writes_the_report_and_the_settings(store_url: str, tmp_path: Path) -> None:
    from chiso.cli.report import report, report_settings, report_template

    runner = CliRunner()
    env = {"CHISO_DATABASE_URL": store_url, "CHISO_HOME": str(tmp_path)}
    out = tmp_path / "bao-cao.docx"
    started = time.perf_counter()
    result = runner.invoke(report, ["--as-of", "2025", "-o", str(out), "--draft"], env=env)
    assert result.exit_code == 0, result.output
    assert "DỰ THẢO" in _all_text(out.read_bytes())
    assert "chỉ tiêu" in result.output and time.perf_counter() - started < 60
    result = runner.invoke(
        report_settings,
        ["--signer-name", "Nguyễn Văn A", "--signer-authority", "KT. CHÁNH VĂN PHÒNG", "--json"],
        env=env,
    )
    assert result.exit_code == 0, result.output
    assert '"signer_name": "Nguyễn Văn A"' in result.output
    result = runner.invoke(report, ["--as-of", "2025", "-o", str(out)], env=env)
    assert "Nguyễn Văn A" in _all_text(out.read_bytes())
    assert "KT. CHÁNH VĂN PHÒNG" in _all_text(out.read_bytes())
    template = tmp_path / "mau.docx"
    result = runner.invoke(report_template, ["-o", str(template)], env=env)
    assert result.exit_code == 0 and template.read_bytes() == TEMPLATE.read_bytes()
    bad = runner.invoke(report, ["--period", "2026-X9", "-o", str(out)], env=env)
    assert bad.exit_code == 2


def test_the_report_has_a_tasks_section_with_overdue_tasks(store) -> None:  # type: ignore[no-untyped-def]
    """Issue 8 item 6: the periodic report lists overdue tasks and the agency scorecard."""
    import datetime as dt

    from docx import Document

    from chiso.reports.build import build_report
    from chiso.store.bootstrap import ensure_seeded
    from chiso.store.tasks_repo import edit_task, list_tasks, load_initial_tree

    ensure_seeded(store)
    load_initial_tree(store)
    first = list_tasks(store, dt.date(2026, 6, 1))[0]
    edit_task(store, first.task.code, {"due": dt.date(2026, 3, 31)}, actor="test", role="province")
    built = build_report(store, period=2026, fmt="docx", charts=False)
    import io

    text = "\n".join(p.text for p in Document(io.BytesIO(built.data)).paragraphs)
    assert "IV. TÌNH HÌNH THỰC HIỆN NHIỆM VỤ" in text
    assert "Nhiệm vụ quá hạn:" in text and "hạn 31/03/2026" in text
    assert "Kết quả theo cơ quan chủ trì" in text
