"""Official reports: the periodic assessment report as DOCX and PDF (Nghị định 30/2020/NĐ-CP).

- :mod:`chiso.reports.content` — what the report says, computed from the store's figures;
- :mod:`chiso.reports.narrative` — the Vietnamese sentences built from the numbers;
- :mod:`chiso.reports.charts` — charts as PNG;
- :mod:`chiso.reports.docx` — the DOCX template filled with docxtpl;
- :mod:`chiso.reports.pdf` — the DOCX converted to PDF by LibreOffice;
- :mod:`chiso.reports.settings` — letterhead, signer and recipients per province;
- :mod:`chiso.reports.build` — :func:`build_report`, the one call for the CLI and the web.
"""

from __future__ import annotations

from chiso.reports.build import FORMATS, BuiltReport, build_report, register_format, report_format
from chiso.reports.settings import ReportSettings, load_report_settings, save_report_settings

__all__ = [
    "FORMATS",
    "BuiltReport",
    "ReportSettings",
    "build_report",
    "load_report_settings",
    "register_format",
    "report_format",
    "save_report_settings",
]
