"""Build a report from the store: one call for the command line and the web app.

Formats register in one registry, :data:`FORMATS`, the built-in DOCX and PDF the same
way an outside format would::

    @register_format("html", suffix=".html", media_type="text/html")
    def render_html(content, settings, options):
        ...

Example::

    built = build_report(store, period="2026-H1", fmt="pdf", draft=True)
    Path(built.filename).write_bytes(built.data)
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from chiso import settings as app_settings
from chiso.errors import ChisoError
from chiso.periods import Period, parse_period
from chiso.reports.content import HPI_INDICATOR, ReportContent, build_content, task_paragraphs
from chiso.reports.docx import render_docx
from chiso.reports.pdf import docx_to_pdf
from chiso.reports.settings import ReportSettings, load_report_settings
from chiso.resolutions import load_resolution, resolve_resolution_path
from chiso.store.db import Store


@dataclass(frozen=True)
class RenderOptions:
    """How to render: draft mark, template (path or bytes), date of issue."""

    draft: bool = False
    template: Path | bytes | None = None
    issue_date: dt.date | None = None


Renderer = Callable[[ReportContent, ReportSettings, RenderOptions], bytes]


@dataclass(frozen=True)
class ReportFormat:
    """A registered report format: name, file suffix, media type and renderer."""

    name: str
    suffix: str
    media_type: str
    render: Renderer


FORMATS: dict[str, ReportFormat] = {}


def register_format(name: str, *, suffix: str, media_type: str) -> Callable[[Renderer], Renderer]:
    """Register a renderer as the report format ``name``."""

    def decorator(render: Renderer) -> Renderer:
        FORMATS[name] = ReportFormat(name, suffix, media_type, render)
        return render

    return decorator


@register_format(
    "docx",
    suffix=".docx",
    media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
)
def _render_docx(content: ReportContent, settings: ReportSettings, options: RenderOptions) -> bytes:
    return render_docx(
        content, settings, draft=options.draft, template=options.template, issue_date=options.issue_date
    )


@register_format("pdf", suffix=".pdf", media_type="application/pdf")
def _render_pdf(content: ReportContent, settings: ReportSettings, options: RenderOptions) -> bytes:
    return docx_to_pdf(_render_docx(content, settings, options))


class UnknownReportFormat(ChisoError):
    """A report format that is not registered."""

    status = 400

    def __init__(self, name: str) -> None:
        known = ", ".join(sorted(FORMATS))
        super().__init__(
            f"Không có định dạng báo cáo “{name}”; dùng: {known}",
            f"Unknown report format “{name}”; use: {known}",
        )


@dataclass(frozen=True)
class BuiltReport:
    """A finished report: its bytes, format, a file name, the content and the time each step took."""

    data: bytes
    format: ReportFormat
    filename: str
    content: ReportContent
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def media_type(self) -> str:
        """The HTTP media type of the file."""
        return self.format.media_type


def report_format(name: str) -> ReportFormat:
    """The registered format ``name``."""
    try:
        return FORMATS[name.lower()]
    except KeyError:
        raise UnknownReportFormat(name) from None


def _tasks_section(store: Store, period: Period, province: str) -> dict[str, Any]:
    """The tasks as they stood at the end of the period (or today, if that is earlier)."""
    from chiso.store.tasks_repo import tasks_report_section

    end = dt.date(period.year, period.end_month, 28) + dt.timedelta(days=4)
    end = end - dt.timedelta(days=end.day)  # the last day of the period's last month
    return tasks_report_section(store, min(end, dt.date.today()), province)


def build_report(
    store: Store,
    *,
    period: Period | str | int,
    fmt: str = "docx",
    resolution: str | None = None,
    draft: bool = False,
    template: Path | bytes | None = None,
    issue_date: dt.date | None = None,
    settings: ReportSettings | None = None,
    charts: bool = True,
) -> BuiltReport:
    """The periodic assessment report of a resolution as of ``period``, from the store.

    ``period`` is a year (2026), a half (``2026-H1``) or a quarter (``2026-Q3``), in any
    form :func:`~chiso.periods.parse_period` reads. Report settings are the province's
    saved ones unless ``settings`` is given; the template is ``template``, else the one
    saved with the settings, else the shipped one.
    """
    chosen = report_format(fmt)
    when = period if isinstance(period, Period) else parse_period(period)
    started = time.perf_counter()
    res, catalogue = load_resolution(
        resolve_resolution_path(resolution or app_settings.get("CHISO_RESOLUTION") or "")
    )
    codes = {t.indicator for t in res.targets} | {HPI_INDICATOR}
    for code in list(codes):
        if code in catalogue:
            codes |= set(catalogue.inputs_of(code))
    observations = store.observations(indicators=sorted(codes))
    areas = store.areas(res.province)
    letterhead = settings or load_report_settings(store, res.province, res.province_name)
    loaded = time.perf_counter()
    content = build_content(res, catalogue, observations, period=when, areas=areas, charts=charts)
    content = replace(content, task_paragraphs=task_paragraphs(_tasks_section(store, when, res.province)))
    computed = time.perf_counter()
    data = chosen.render(content, letterhead, RenderOptions(draft, template, issue_date))
    rendered = time.perf_counter()
    filename = f"bao-cao-danh-gia-{res.id}-{when.code}{'-du-thao' if draft else ''}{chosen.suffix}"
    return BuiltReport(
        data,
        chosen,
        filename,
        content,
        {
            "load": loaded - started,
            "content": computed - loaded,
            "render": rendered - computed,
            "total": rendered - started,
        },
    )
