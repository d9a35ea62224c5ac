"""Build the default report template ``templates/bao-cao-danh-gia.docx``.

Run ``python -m chiso.reports.make_template`` after changing this file; the DOCX it
writes is committed, so an office can open it in Word or LibreOffice, change wording,
styles or the layout, and give the edited copy to ``chiso report --template``.

The layout follows Phụ lục I of Nghị định 30/2020/NĐ-CP (thể thức văn bản hành
chính); every size used is listed, with its source, in ``docs/bao-cao-the-thuc.md``:

* A4 portrait, margins top 20 mm, bottom 20 mm, left 30 mm, right 15 mm (the decree
  allows 20–25 / 20–25 / 30–35 / 15–20 mm); the annex of targets is an A4 landscape
  section (allowed for tables);
* Times New Roman everywhere (the font table names Liberation Serif, its metric twin,
  as the alternative where Times is not installed);
* national title 13 pt bold capitals, motto 14 pt bold with a rule as long as the
  motto; parent agency 13 pt capitals, issuing agency 13 pt bold capitals with a short
  rule; number and symbol 13 pt; place and date 14 pt italic; document type 14 pt bold
  capitals, summary line 14 pt bold with a short rule; body 14 pt; "Nơi nhận:" 12 pt
  bold italic and the recipients 11 pt; signer's title and name 14 pt bold; page
  numbers 14 pt centred in the top margin, not on the first page.

The placeholders are docxtpl (Jinja2) tags; :mod:`chiso.reports.docx` fills them from a
:class:`~chiso.reports.content.ReportContent`. Tags that control paragraphs or table
rows (``{%p …%}``, ``{%tr …%}``) must stay alone in their paragraph or row.
"""

from __future__ import annotations

import importlib
import math
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Length, Mm, Pt, Twips
from docx.styles.style import ParagraphStyle
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

# lxml ships no type information; python-docx is built on it.
etree: Any = importlib.import_module("lxml.etree")

TEMPLATE = Path(__file__).parent / "templates" / "bao-cao-danh-gia.docx"

FONT = "Times New Roman"
FALLBACK_FONT = "Liberation Serif"

# Page setup (mm), within the ranges of Nghị định 30/2020/NĐ-CP, Phụ lục I, I.3.
PAGE_WIDTH, PAGE_HEIGHT = 210, 297
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 20, 20, 30, 15
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT  # 165 mm
LANDSCAPE_TEXT_WIDTH = PAGE_HEIGHT - MARGIN_LEFT - MARGIN_RIGHT  # 252 mm

# The header table: agency on the left, national title on the right.
LEFT_COLUMN, RIGHT_COLUMN = 62, TEXT_WIDTH - 62  # mm

MOTTO = "Độc lập - Tự do - Hạnh phúc"
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"

# Style name → (size pt, bold, italic, capitals, alignment). Sizes from Phụ lục I, II and V.
STYLES: dict[str, tuple[float, bool, bool, bool, WD_ALIGN_PARAGRAPH]] = {
    "Quoc hieu": (13, True, False, True, WD_ALIGN_PARAGRAPH.CENTER),
    "Tieu ngu": (14, True, False, False, WD_ALIGN_PARAGRAPH.CENTER),
    "Co quan chu quan": (13, False, False, True, WD_ALIGN_PARAGRAPH.CENTER),
    "Co quan ban hanh": (13, True, False, True, WD_ALIGN_PARAGRAPH.CENTER),
    "So ky hieu": (13, False, False, False, WD_ALIGN_PARAGRAPH.CENTER),
    "Dia danh": (14, False, True, False, WD_ALIGN_PARAGRAPH.CENTER),
    "Ten loai": (14, True, False, True, WD_ALIGN_PARAGRAPH.CENTER),
    "Trich yeu": (14, True, False, False, WD_ALIGN_PARAGRAPH.CENTER),
    "Noi dung": (14, False, False, False, WD_ALIGN_PARAGRAPH.JUSTIFY),
    "Muc": (14, True, False, False, WD_ALIGN_PARAGRAPH.JUSTIFY),
    "Tieu muc": (14, True, False, False, WD_ALIGN_PARAGRAPH.JUSTIFY),
    "Ghi chu": (13, False, True, False, WD_ALIGN_PARAGRAPH.JUSTIFY),
    "Hinh": (13, False, False, False, WD_ALIGN_PARAGRAPH.CENTER),
    "Chu thich hinh": (13, False, True, False, WD_ALIGN_PARAGRAPH.CENTER),
    "Noi nhan": (12, True, True, False, WD_ALIGN_PARAGRAPH.LEFT),
    "Noi nhan - danh sach": (11, False, False, False, WD_ALIGN_PARAGRAPH.LEFT),
    "Quyen han ky": (14, True, False, True, WD_ALIGN_PARAGRAPH.CENTER),
    "Chuc vu ky": (14, True, False, True, WD_ALIGN_PARAGRAPH.CENTER),
    "Ho ten ky": (14, True, False, False, WD_ALIGN_PARAGRAPH.CENTER),
    "Du thao": (14, True, False, True, WD_ALIGN_PARAGRAPH.CENTER),
    "So trang": (14, False, False, False, WD_ALIGN_PARAGRAPH.CENTER),
    "Phu luc": (14, True, False, False, WD_ALIGN_PARAGRAPH.CENTER),
    "Phu luc - ten": (14, True, False, True, WD_ALIGN_PARAGRAPH.CENTER),
    "Phu luc - kem theo": (14, False, True, False, WD_ALIGN_PARAGRAPH.CENTER),
    "Bang": (12, False, False, False, WD_ALIGN_PARAGRAPH.LEFT),
    "Bang - so": (12, False, False, False, WD_ALIGN_PARAGRAPH.CENTER),
    "Bang - tieu de": (12, True, False, False, WD_ALIGN_PARAGRAPH.CENTER),
    "Gach duoi": (2, False, False, False, WD_ALIGN_PARAGRAPH.CENTER),
}


def _margin(mm: float) -> Length:
    """A margin in whole twips (as Word stores it), rounded up so 15 mm never reads 14,99 mm."""
    return Twips(math.ceil(mm * 1440 / 25.4))


def _fonts(element: Any) -> None:
    """Name Times New Roman for every script in a run-properties element."""
    rpr = element.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        element.append(rpr)
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)


def _document_defaults(document: DocxDocument) -> None:
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    _fonts(rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    for tag, value in (("w:sz", "28"), ("w:szCs", "28"), ("w:lang", None)):
        old = rpr.find(qn(tag))
        if old is not None:
            rpr.remove(old)
        element = OxmlElement(tag)
        if value is not None:
            element.set(qn("w:val"), value)
        else:
            element.set(qn("w:val"), "vi-VN")
            element.set(qn("w:eastAsia"), "vi-VN")
            element.set(qn("w:bidi"), "ar-SA")
        rpr.append(element)


def _font_table(document: DocxDocument) -> None:
    """Declare Times New Roman with Liberation Serif as its alternative name."""
    for part in document.part.package.iter_parts():
        if str(part.partname) != "/word/fontTable.xml":
            continue
        root = etree.fromstring(part.blob)
        for font in root.findall(qn("w:font")):
            if font.get(qn("w:name")) == FONT:
                root.remove(font)
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), FONT)
        alt = etree.SubElement(font, qn("w:altName"))
        alt.set(qn("w:val"), FALLBACK_FONT)
        panose = etree.SubElement(font, qn("w:panose1"))
        panose.set(qn("w:val"), "02020603050405020304")
        charset = etree.SubElement(font, qn("w:charset"))
        charset.set(qn("w:val"), "00")
        family = etree.SubElement(font, qn("w:family"))
        family.set(qn("w:val"), "roman")
        pitch = etree.SubElement(font, qn("w:pitch"))
        pitch.set(qn("w:val"), "variable")
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _styles(document: DocxDocument) -> None:
    normal = document.styles["Normal"]
    assert isinstance(normal, ParagraphStyle)
    normal.font.name = FONT
    normal.font.size = Pt(14)
    _fonts(normal.element)
    pf = normal.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    for name, (size, bold, italic, caps, align) in STYLES.items():
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        assert isinstance(style, ParagraphStyle)
        style.base_style = normal
        style.quick_style = True
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.bold = bold
        style.font.italic = italic
        _fonts(style.element)
        style.paragraph_format.alignment = align
        style.paragraph_format.space_before = Pt(0)
        style.paragraph_format.space_after = Pt(0)
        del caps  # capitals are typed, not a style effect, so copied text keeps its case
    body = document.styles["Noi dung"]
    assert isinstance(body, ParagraphStyle)
    # "Khi xuống dòng, chữ đầu dòng lùi vào 1 cm hoặc 1,27 cm; khoảng cách giữa các đoạn
    # văn tối thiểu 6 pt; giữa các dòng từ dòng đơn đến 1,5 dòng."
    body.paragraph_format.first_line_indent = Cm(1.27)
    body.paragraph_format.space_before = Pt(6)
    body.paragraph_format.line_spacing = 1.15
    for name in ("Muc", "Tieu muc"):
        heading = document.styles[name]
        assert isinstance(heading, ParagraphStyle)
        heading.paragraph_format.first_line_indent = Cm(1.27)
        heading.paragraph_format.space_before = Pt(6)
        heading.paragraph_format.keep_with_next = True
    note = document.styles["Ghi chu"]
    assert isinstance(note, ParagraphStyle)
    note.paragraph_format.first_line_indent = Cm(1.27)
    note.paragraph_format.space_before = Pt(6)
    for name in ("Hinh", "Chu thich hinh"):
        figure = document.styles[name]
        assert isinstance(figure, ParagraphStyle)
        figure.paragraph_format.space_before = Pt(6)
        figure.paragraph_format.keep_with_next = name == "Hinh"
    for name in ("Bang", "Bang - so", "Bang - tieu de"):
        cell = document.styles[name]
        assert isinstance(cell, ParagraphStyle)
        cell.paragraph_format.space_before = Pt(2)
        cell.paragraph_format.space_after = Pt(2)
    rule = document.styles["Gach duoi"]
    assert isinstance(rule, ParagraphStyle)
    rule.paragraph_format.line_spacing = Pt(2)
    rule.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    rule.paragraph_format.space_before = Pt(3)
    rule.paragraph_format.space_after = Pt(2)


def _paragraph(container: _Cell | DocxDocument, text: str, style: str) -> Paragraph:
    paragraph: Paragraph = container.add_paragraph(style=style)
    if text:
        paragraph.add_run(text)
    return paragraph


def _first_paragraph(cell: _Cell, text: str, style: str) -> Paragraph:
    paragraph: Paragraph = cell.paragraphs[0]
    paragraph.style = style
    if text:
        paragraph.add_run(text)
    return paragraph


def _border(paragraph: Paragraph, side: str = "bottom", size: int = 6, space: int = 1) -> None:
    """A single black rule on one side of a paragraph, ``size`` in eighths of a point."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        ppr.append(borders)
    line = OxmlElement(f"w:{side}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(size))
    line.set(qn("w:space"), str(space))
    line.set(qn("w:color"), "000000")
    borders.append(line)


def _box(paragraph: Paragraph) -> None:
    for side in ("top", "left", "bottom", "right"):
        _border(paragraph, side, size=8, space=2)


def _rule(container: _Cell | DocxDocument, width_mm: float, length_mm: float) -> Paragraph:
    """A short centred rule: an empty paragraph with a bottom border ``length_mm`` long.

    :mod:`chiso.reports.docx` re-centres it to the length of the text above once the
    agency name or the summary line is known.
    """
    paragraph = _paragraph(container, "", "Gach duoi")
    side = max(0.0, (width_mm - length_mm) / 2)
    paragraph.paragraph_format.left_indent = Mm(side)
    paragraph.paragraph_format.right_indent = Mm(side)
    _border(paragraph, "bottom", size=6, space=1)
    return paragraph


def _no_borders(table: Table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)


def _all_borders(table: Table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), "4")
        element.set(qn("w:space"), "0")
        element.set(qn("w:color"), "000000")
        borders.append(element)
    tbl_pr.append(borders)


def _fixed_widths(table: Table, widths_mm: list[float]) -> None:
    table.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths_mm, strict=True):
        col.set(qn("w:w"), str(int(Mm(width).twips)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def _repeat_header(table: Table) -> None:
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _page_number(paragraph: Paragraph) -> None:
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "2"), ("end", None)):
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            shown = OxmlElement("w:t")
            shown.text = text
            run._r.append(shown)


def _page_setup(document: DocxDocument) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(PAGE_WIDTH), Mm(PAGE_HEIGHT)
    section.orientation = WD_ORIENT.PORTRAIT
    section.top_margin, section.bottom_margin = _margin(MARGIN_TOP), _margin(MARGIN_BOTTOM)
    section.left_margin, section.right_margin = _margin(MARGIN_LEFT), _margin(MARGIN_RIGHT)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)
    # "Số trang … đặt canh giữa theo chiều ngang trong phần lề trên, không hiển thị số trang thứ nhất."
    section.different_first_page_header_footer = True
    header = section.header
    number = header.paragraphs[0]
    number.style = document.styles["So trang"]
    _page_number(number)
    first = section.first_page_header
    first.is_linked_to_previous = False
    paragraph = first.paragraphs[0]
    paragraph.style = document.styles["Normal"]
    paragraph.add_run("{%p if draft %}")
    mark = first.add_paragraph(style="Du thao")
    mark.add_run("DỰ THẢO")
    # A box at the top right: the border is drawn between the indents.
    mark.paragraph_format.left_indent = Mm(TEXT_WIDTH - 32)
    _box(mark)
    first.add_paragraph(style="Normal").add_run("{%p endif %}")


def _new_section(document: DocxDocument, *, landscape: bool) -> None:
    section = document.add_section(WD_SECTION.NEW_PAGE)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(PAGE_HEIGHT), Mm(PAGE_WIDTH)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(PAGE_WIDTH), Mm(PAGE_HEIGHT)
    section.top_margin, section.bottom_margin = _margin(MARGIN_TOP), _margin(MARGIN_BOTTOM)
    section.left_margin, section.right_margin = _margin(MARGIN_LEFT), _margin(MARGIN_RIGHT)
    section.different_first_page_header_footer = False


def _header_block(document: DocxDocument) -> None:
    table = document.add_table(rows=2, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(table)
    _fixed_widths(table, [LEFT_COLUMN, RIGHT_COLUMN])
    left, right = table.cell(0, 0), table.cell(0, 1)
    _first_paragraph(left, "{{ settings.parent_agency }}", "Co quan chu quan")
    _paragraph(left, "{{ settings.agency }}", "Co quan ban hanh")
    _rule(left, LEFT_COLUMN - 3.8, 25)
    _first_paragraph(right, NATIONAL_TITLE, "Quoc hieu")
    motto = _paragraph(right, MOTTO, "Tieu ngu")
    _border(motto, "bottom", size=6, space=1)
    # The motto's rule is as long as the motto; the docx renderer measures it exactly.
    side = (RIGHT_COLUMN - 3.8 - 66) / 2
    motto.paragraph_format.left_indent = Mm(side)
    motto.paragraph_format.right_indent = Mm(side)
    number = _first_paragraph(table.cell(1, 0), "Số: {{ settings.number_text }}", "So ky hieu")
    number.paragraph_format.space_before = Pt(6)
    date = _first_paragraph(table.cell(1, 1), "{{ settings.place }}, {{ date_text }}", "Dia danh")
    date.paragraph_format.space_before = Pt(6)


def _body(document: DocxDocument) -> None:
    title = _paragraph(document, "BÁO CÁO", "Ten loai")
    title.paragraph_format.space_before = Pt(18)
    _paragraph(document, "{{ subject }}", "Trich yeu")
    _rule(document, TEXT_WIDTH, 40)
    _paragraph(document, "", "Normal")
    _paragraph(document, "{{ intro }}", "Noi dung")
    _paragraph(document, "{%p if notice %}", "Normal")
    _paragraph(document, "{{ notice }}", "Ghi chu")
    _paragraph(document, "{%p endif %}", "Normal")

    _paragraph(document, "I. KẾT QUẢ CHUNG", "Muc")
    _paragraph(document, "{%p for text in summary_paragraphs %}", "Normal")
    _paragraph(document, "{{ text }}", "Noi dung")
    _paragraph(document, "{%p endfor %}", "Normal")
    _paragraph(document, "{%p if summary_chart %}", "Normal")
    _paragraph(document, "{{ summary_chart.image }}", "Hinh")
    _paragraph(document, "{{ summary_chart.caption }}", "Chu thich hinh")
    _paragraph(document, "{%p endif %}", "Normal")

    _paragraph(document, "II. KẾT QUẢ THỰC HIỆN TỪNG NHÓM CHỈ TIÊU", "Muc")
    _paragraph(document, "{%p for group in groups %}", "Normal")
    _paragraph(document, "{{ group.heading }}", "Tieu muc")
    _paragraph(document, "{%p for text in group.paragraphs %}", "Normal")
    _paragraph(document, "{{ text }}", "Noi dung")
    _paragraph(document, "{%p endfor %}", "Normal")
    _paragraph(document, "{%p for chart in group.charts %}", "Normal")
    _paragraph(document, "{{ chart.image }}", "Hinh")
    _paragraph(document, "{{ chart.caption }}", "Chu thich hinh")
    _paragraph(document, "{%p endfor %}", "Normal")
    _paragraph(document, "{%p endfor %}", "Normal")

    _paragraph(document, "III. NHỮNG CHỈ TIÊU CẦN TẬP TRUNG CHỈ ĐẠO", "Muc")
    _paragraph(document, "{%p for text in attention_paragraphs %}", "Normal")
    _paragraph(document, "{{ text }}", "Noi dung")
    _paragraph(document, "{%p endfor %}", "Normal")
    _paragraph(document, "{%p if task_paragraphs %}", "Normal")
    _paragraph(document, "IV. TÌNH HÌNH THỰC HIỆN NHIỆM VỤ", "Muc")
    _paragraph(document, "{%p for text in task_paragraphs %}", "Normal")
    _paragraph(document, "{{ text }}", "Noi dung")
    _paragraph(document, "{%p endfor %}", "Normal")
    _paragraph(document, "{%p endif %}", "Normal")
    _paragraph(
        document,
        "[Văn phòng bổ sung nhận định, nguyên nhân và kiến nghị trước khi trình ký.]",
        "Ghi chu",
    )
    _paragraph(document, "{{ closing }}", "Noi dung")


def _signature(document: DocxDocument) -> None:
    _paragraph(document, "", "Normal")
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    _fixed_widths(table, [TEXT_WIDTH / 2 - 10, TEXT_WIDTH / 2 + 10])
    left, right = table.cell(0, 0), table.cell(0, 1)
    _first_paragraph(left, "Nơi nhận:", "Noi nhan")
    _paragraph(left, "{%p for line in recipients %}", "Noi nhan - danh sach")
    _paragraph(left, "{{ line }}", "Noi nhan - danh sach")
    _paragraph(left, "{%p endfor %}", "Noi nhan - danh sach")
    _first_paragraph(right, "{%p if settings.signer_authority %}", "Quyen han ky")
    _paragraph(right, "{{ settings.signer_authority }}", "Quyen han ky")
    _paragraph(right, "{%p endif %}", "Quyen han ky")
    _paragraph(right, "{{ settings.signer_title }}", "Chuc vu ky")
    for _ in range(4):
        _paragraph(right, "", "Ho ten ky")
    _paragraph(right, "{{ settings.signer_name }}", "Ho ten ky")


def _annex_heading(document: DocxDocument, number: int, title: str) -> None:
    _paragraph(document, f"Phụ lục {number}", "Phu luc")
    _paragraph(document, title, "Phu luc - ten")
    _paragraph(document, "(Kèm theo {{ reference }})", "Phu luc - kem theo")
    _paragraph(document, "", "Normal")


def _cell_row(table: Table, texts: list[str], style: str) -> None:
    row = table.add_row()  # type: ignore[no-untyped-call]
    for cell, text in zip(row.cells, texts, strict=True):
        _first_paragraph(cell, text, style)


def _targets_annex(document: DocxDocument) -> None:
    _new_section(document, landscape=True)
    _annex_heading(document, 1, "BẢNG TỔNG HỢP ĐÁNH GIÁ CÁC CHỈ TIÊU")
    headers = [
        "Số",
        "Chỉ tiêu",
        "Năm gốc",
        "Số liệu mới nhất (kỳ, tình trạng)",
        "Mục tiêu",
        "Đánh giá",
        "Ghi chú",
    ]
    widths = [14.0, 78.0, 24.0, 34.0, 34.0, 26.0, 42.0]
    assert abs(sum(widths) - LANDSCAPE_TEXT_WIDTH) < 1
    table = document.add_table(rows=1, cols=len(headers))
    _all_borders(table)
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        _first_paragraph(cell, text, "Bang - tieu de")
    _repeat_header(table)
    cells = [
        "{%tr for row in rows %}",
        "",
        "",
        "",
        "",
        "",
        "",
    ]
    _cell_row(table, cells, "Bang")
    _cell_row(
        table,
        [
            "{{r row.number }}",
            "{{r row.text }}",
            "{{r row.base }}",
            "{{r row.latest }}",
            "{{r row.target }}",
            "{{r row.status }}",
            "{{r row.remark }}",
        ],
        "Bang",
    )
    _cell_row(table, ["{%tr endfor %}", "", "", "", "", "", ""], "Bang")
    _fixed_widths(table, widths)
    for row in table.rows[1:]:
        row.cells[0].paragraphs[0].style = document.styles["Bang - so"]
    _paragraph(document, "", "Normal")
    _paragraph(document, "{%p for line in legend %}", "Normal")
    _paragraph(document, "{{ line }}", "Ghi chu")
    _paragraph(document, "{%p endfor %}", "Normal")


def _communes_annex(document: DocxDocument) -> None:
    _new_section(document, landscape=False)
    _annex_heading(document, 2, "SỐ LIỆU CẤP XÃ")
    _paragraph(document, "{%p if not commune_tables %}", "Normal")
    _paragraph(document, "{{ no_commune_data }}", "Noi dung")
    _paragraph(document, "{%p endif %}", "Normal")
    _paragraph(document, "{%p for annex in commune_tables %}", "Normal")
    _paragraph(document, "{{ annex.heading }}", "Tieu muc")
    _paragraph(document, "{{ annex.summary }}", "Noi dung")
    headers = ["TT", "Xã, phường", "Giá trị", "Kỳ", "Tình trạng số liệu", "Đánh giá"]
    widths = [12.0, 50.0, 22.0, 22.0, 30.0, 29.0]
    assert abs(sum(widths) - TEXT_WIDTH) < 1
    table = document.add_table(rows=1, cols=len(headers))
    _all_borders(table)
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        _first_paragraph(cell, text, "Bang - tieu de")
    _repeat_header(table)
    _cell_row(table, ["{%tr for row in annex.rows %}", "", "", "", "", ""], "Bang")
    _cell_row(
        table,
        [
            "{{ row.index }}",
            "{{ row.name }}",
            "{{ row.value }}",
            "{{ row.period }}",
            "{{ row.status }}",
            "{{ row.verdict }}",
        ],
        "Bang",
    )
    _cell_row(table, ["{%tr endfor %}", "", "", "", "", ""], "Bang")
    _fixed_widths(table, widths)
    for row in table.rows[1:]:
        for index in (0, 2, 3):
            row.cells[index].paragraphs[0].style = document.styles["Bang - so"]
    _paragraph(document, "{%p endfor %}", "Normal")


def _sources_annex(document: DocxDocument) -> None:
    _new_section(document, landscape=False)
    _annex_heading(document, 3, "NGUỒN SỐ LIỆU")
    headers = ["TT", "Nguồn", "Số liệu sử dụng"]
    widths = [12.0, 90.0, 63.0]
    table = document.add_table(rows=1, cols=len(headers))
    _all_borders(table)
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        _first_paragraph(cell, text, "Bang - tieu de")
    _repeat_header(table)
    _cell_row(table, ["{%tr for row in sources %}", "", ""], "Bang")
    _cell_row(table, ["{{ row.index }}", "{{r row.source }}", "{{r row.used }}"], "Bang")
    _cell_row(table, ["{%tr endfor %}", "", ""], "Bang")
    _fixed_widths(table, widths)
    for row in table.rows[1:]:
        row.cells[0].paragraphs[0].style = document.styles["Bang - so"]
    _paragraph(document, "{%p if conflicts %}", "Normal")
    _paragraph(document, "Số liệu các nguồn chênh lệch", "Tieu muc")
    _paragraph(document, "{%p endif %}", "Normal")
    _paragraph(document, "{%p for text in conflicts %}", "Normal")
    _paragraph(document, "{{ text }}", "Noi dung")
    _paragraph(document, "{%p endfor %}", "Normal")
    _paragraph(document, "{{ provenance }}", "Ghi chu")


def build_template(path: Path = TEMPLATE) -> Path:
    """Write the default template to ``path`` and return it."""
    document = Document()
    _document_defaults(document)
    _font_table(document)
    _styles(document)
    _page_setup(document)
    body = document.paragraphs[0]._p if document.paragraphs else None
    if body is not None:
        body.getparent().remove(body)
    _header_block(document)
    _body(document)
    _signature(document)
    _targets_annex(document)
    _communes_annex(document)
    _sources_annex(document)
    core = document.core_properties
    core.title = "Báo cáo đánh giá thực hiện các chỉ tiêu Nghị quyết"
    core.author = "chiso"
    core.comments = "Mẫu báo cáo theo thể thức Nghị định 30/2020/NĐ-CP; sinh bởi chiso.reports.make_template."
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


if __name__ == "__main__":
    print(build_template())
