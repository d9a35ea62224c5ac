"""The report as a Word document: the DOCX template filled with docxtpl.

The template (the shipped ``templates/bao-cao-danh-gia.docx`` or the office's own
copy) holds the layout of Nghị định 30/2020/NĐ-CP; this module only fills its tags
from a :class:`~chiso.reports.content.ReportContent` and the province's
:class:`~chiso.reports.settings.ReportSettings`, then re-centres the two short rules
under the agency name and the summary line to the length the decree asks for.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from pathlib import Path
from typing import Any

from docx.shared import Mm
from docx.text.paragraph import Paragraph
from docxtpl import DocxTemplate, InlineImage, RichText  # type: ignore[import-untyped]

from chiso.errors import ChisoError
from chiso.reports.content import Chart, ReportContent, TargetRow
from chiso.reports.settings import ReportSettings

CHART_WIDTH_MM = 150
# The shipped template, built by ``python -m chiso.reports.make_template``.
TEMPLATE = Path(__file__).parent / "templates" / "bao-cao-danh-gia.docx"


def issue_date_text(day: dt.date) -> str:
    """The date as the decree writes it: "ngày 05 tháng 02 năm 2026".

    Days below 10 and the months January and February take a leading zero
    (Nghị định 30/2020/NĐ-CP, Phụ lục I, II.4).
    """
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def _rich(text: str, *, bold: bool = False, italic: bool = False) -> RichText:
    rich = RichText()
    lines = text.split("\n") if text else [""]
    for i, line in enumerate(lines):
        rich.add(line + ("\n" if i < len(lines) - 1 else ""), bold=bold, italic=italic)
    return rich


def _row(row: TargetRow) -> dict[str, RichText]:
    if row.is_group:
        blank = _rich("")
        return {
            "number": blank,
            "text": _rich(row.text, bold=True),
            "base": blank,
            "latest": blank,
            "target": blank,
            "status": blank,
            "remark": blank,
        }
    return {
        "number": _rich(row.number),
        "text": _rich(row.text),
        "base": _rich(row.base),
        "latest": _rich(row.latest),
        "target": _rich(row.target),
        "status": _rich(row.status, bold=row.status_code in {"off_track", "regressing"}),
        "remark": _rich(row.remark, italic=True),
    }


def _image(tpl: DocxTemplate, chart: Chart | None) -> dict[str, Any] | None:
    if chart is None:
        return None
    return {
        "image": InlineImage(tpl, io.BytesIO(chart.png), width=Mm(CHART_WIDTH_MM)),
        "caption": chart.caption,
    }


def context(
    tpl: DocxTemplate,
    content: ReportContent,
    settings: ReportSettings,
    *,
    draft: bool,
    issue_date: dt.date,
) -> dict[str, Any]:
    """The values the template's tags read."""
    reference = f"Báo cáo số {settings.number_text} ngày {issue_date.strftime('%d/%m/%Y')}"
    if not settings.number:
        reference = f"Báo cáo số {settings.number_text} ngày      /     /{issue_date.year}"
    provenance = (
        f"Báo cáo được lập tự động bằng chiso từ kho số liệu theo dõi Nghị quyết ({content.resolution_id}), "
        f"số liệu đến {content.period.label}."
    )
    if settings.is_default:
        provenance += (
            " Thông tin cơ quan ban hành, người ký và nơi nhận là giá trị mặc định; "
            "Văn phòng cập nhật bằng lệnh chiso report-settings hoặc trên trang quản trị."
        )
    return {
        "draft": draft,
        "settings": settings,
        "date_text": issue_date_text(issue_date),
        "subject": content.subject,
        "intro": content.intro,
        "notice": content.notice,
        "summary_paragraphs": list(content.summary_paragraphs),
        "summary_chart": _image(tpl, content.summary_chart),
        "groups": [
            {
                "heading": g.heading,
                "paragraphs": list(g.paragraphs),
                "charts": [_image(tpl, c) for c in g.charts],
            }
            for g in content.groups
        ],
        "attention_paragraphs": list(content.attention),
        "task_paragraphs": list(content.task_paragraphs),
        "closing": content.closing,
        "recipients": list(settings.recipient_lines),
        "reference": reference,
        "rows": [_row(r) for r in content.rows],
        "legend": list(content.legend),
        "commune_tables": [
            {"heading": t.heading, "summary": t.summary, "rows": [vars(r) for r in t.rows]}
            for t in content.commune_tables
        ],
        "no_commune_data": content.no_commune_data,
        "sources": [
            {
                "index": s.index,
                "source": _rich(s.source + (f"\n{s.url}" if s.url else "")),
                "used": _rich(s.used),
            }
            for s in content.sources
        ],
        "conflicts": list(content.conflicts),
        "provenance": provenance,
    }


@functools.lru_cache(maxsize=4)
def _font_path(bold: bool) -> str | None:
    try:
        from matplotlib import font_manager

        weight = "bold" if bold else "normal"
        properties = font_manager.FontProperties(family=["Liberation Serif", "DejaVu Serif"], weight=weight)
        return str(font_manager.findfont(properties, fallback_to_default=True))
    except Exception:  # pragma: no cover - measuring is a refinement, never a failure
        return None


def text_width_mm(text: str, size_pt: float, *, bold: bool = False) -> float | None:
    """The printed width of ``text`` in Liberation Serif (Times New Roman's metrics), in mm."""
    path = _font_path(bold)
    if path is None:
        return None
    from PIL import ImageFont

    font = ImageFont.truetype(path, 100)
    width_pt = font.getlength(text) * size_pt / 100
    return width_pt * 25.4 / 72


def _paragraph_width_mm(paragraph: Paragraph) -> float:
    cell_width = None
    parent = paragraph._parent
    width = getattr(parent, "width", None)
    if width is not None:
        cell_width = width.mm - 3.8  # the default cell margins, 1.9 mm a side
    if cell_width is None:
        part: Any = paragraph.part
        section = part.document.sections[0]
        cell_width = (section.page_width - section.left_margin - section.right_margin) / 36000
    return float(cell_width)


def _centre_rule(rule: Paragraph, length_mm: float) -> None:
    width = _paragraph_width_mm(rule)
    side = max(0.0, (width - length_mm) / 2)
    rule.paragraph_format.left_indent = Mm(side)
    rule.paragraph_format.right_indent = Mm(side)


def _fit_rules(document: Any) -> None:
    """Rules as the decree draws them: under the motto as long as the motto, short ones centred."""
    paragraphs: list[Paragraph] = []
    for table in document.tables[:1]:
        for row in table.rows:
            for cell in row.cells:
                paragraphs.extend(cell.paragraphs)
    paragraphs.extend(document.paragraphs[:8])
    previous: Paragraph | None = None
    for paragraph in paragraphs:
        style = paragraph.style.name if paragraph.style is not None else ""
        if style == "Tieu ngu":
            width = text_width_mm(paragraph.text, 14, bold=True)
            if width is not None:
                _centre_rule(paragraph, width + 1)
        elif style == "Gach duoi" and previous is not None and previous.text.strip():
            # The summary line may wrap; its rule is a third of the printed line, at most 60 mm.
            size = 13 if previous.style is not None and previous.style.name == "Co quan ban hanh" else 14
            width = text_width_mm(previous.text.strip(), size, bold=True)
            if width is not None:
                line = min(width, _paragraph_width_mm(previous))
                _centre_rule(paragraph, min(max(line / 2, 20), 60))
        previous = paragraph


def render_docx(
    content: ReportContent,
    settings: ReportSettings,
    *,
    draft: bool = False,
    template: Path | bytes | None = None,
    issue_date: dt.date | None = None,
) -> bytes:
    """The report as DOCX bytes."""
    source: Any
    if template is None:
        source = io.BytesIO(settings.template) if settings.template is not None else TEMPLATE
    elif isinstance(template, bytes):
        source = io.BytesIO(template)
    else:
        source = template
    try:
        tpl = DocxTemplate(source)
        values = context(tpl, content, settings, draft=draft, issue_date=issue_date or dt.date.today())
        tpl.render(values, autoescape=True)
    except Exception as exc:  # a broken template is the office's to fix: say which and why
        raise ChisoError(
            f"Không dùng được mẫu báo cáo: {exc}",
            f"The report template cannot be used: {exc}",
        ) from exc
    _fit_rules(tpl.docx)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()
