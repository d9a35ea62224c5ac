"""``chiso report``: the periodic assessment report as DOCX or PDF; its settings and template."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

import click

from chiso import settings
from chiso.cli._common import default_store, fail
from chiso.errors import ChisoError
from chiso.reports import FORMATS, build_report, load_report_settings, save_report_settings
from chiso.reports.docx import TEMPLATE


@click.command("report")
@click.option("--as-of", "as_of", type=int, default=None, help="Report year (default: the current year).")
@click.option(
    "--period",
    default=None,
    help="A half or quarter instead of the whole year: 2026-H1, 2026-Q3 (overrides --as-of).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(FORMATS)),
    default=None,
    help="Output format (default: from the file suffix, else docx).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="File to write.",
)
@click.option("--draft", is_flag=True, help="Mark the report “DỰ THẢO”.")
@click.option(
    "--resolution",
    "resolution_name",
    default=lambda: settings.get("CHISO_RESOLUTION"),
    show_default="cao-bang-2025-2030 (CHISO_RESOLUTION)",
    help="Resolution file, or the name of a shipped one.",
)
@click.option(
    "--template",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="An edited DOCX template (default: the province's saved one, else the shipped one).",
)
@click.option(
    "--date",
    "issue_date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Date of issue printed under the national title (default: today).",
)
def report(
    as_of: int | None,
    period: str | None,
    fmt: str | None,
    output: Path,
    draft: bool,
    resolution_name: str,
    template: Path | None,
    issue_date: dt.datetime | None,
) -> None:
    """Write the periodic assessment report in the format of Nghị định 30/2020/NĐ-CP.

    Every figure comes from the store as of the chosen period: the summary count, the
    table of targets, a narrative per group, charts, the commune annex and the sources.
    PDF needs LibreOffice (Debian: libreoffice-writer-nogui).

    Example:

        chiso report --as-of 2026 --format docx -o bao-cao-2026.docx

        chiso report --period 2026-H1 --format pdf --draft -o bao-cao-6-thang.pdf
    """
    chosen = fmt or (
        output.suffix.lstrip(".").lower() if output.suffix.lstrip(".").lower() in FORMATS else "docx"
    )
    when = period or str(as_of or dt.date.today().year)
    try:
        built = build_report(
            default_store(),
            period=when,
            fmt=chosen,
            resolution=resolution_name,
            draft=draft,
            template=template,
            issue_date=issue_date.date() if issue_date else None,
        )
    except ChisoError as exc:
        fail(exc)
        return
    output.write_bytes(built.data)
    summary = built.content.summary_paragraphs[0]
    click.echo(f"Đã ghi {output} ({len(built.data) // 1024} KB, {built.seconds['total']:.1f} giây).")
    click.echo(summary)


@click.command("report-settings")
@click.option(
    "--province", default=lambda: settings.get("CHISO_PROVINCE"), show_default="04 (CHISO_PROVINCE)"
)
@click.option("--parent-agency", default=None, help="Parent agency, e.g. “TỈNH ỦY CAO BẰNG”.")
@click.option("--agency", default=None, help="Issuing agency, e.g. “VĂN PHÒNG”.")
@click.option("--place", default=None, help="Place name printed before the date, e.g. “Cao Bằng”.")
@click.option("--number", default=None, help="Document number (usually left blank until issue).")
@click.option("--symbol", default=None, help="Document symbol, e.g. “BC-VPTU”.")
@click.option("--signer-authority", default=None, help="e.g. “TL. BAN THƯỜNG VỤ”, “KT. CHÁNH VĂN PHÒNG”.")
@click.option("--signer-title", default=None, help="e.g. “CHÁNH VĂN PHÒNG”.")
@click.option("--signer-name", default=None, help="Full name of the signer.")
@click.option("--recipient", "recipients", multiple=True, help="A line of “Nơi nhận” (repeatable).")
@click.option(
    "--template",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="Keep this edited DOCX template for the province's reports.",
)
@click.option("--reset-template", is_flag=True, help="Go back to the shipped template.")
@click.option("--json", "as_json", is_flag=True, help="Print the settings as JSON.")
def report_settings(
    province: str,
    parent_agency: str | None,
    agency: str | None,
    place: str | None,
    number: str | None,
    symbol: str | None,
    signer_authority: str | None,
    signer_title: str | None,
    signer_name: str | None,
    recipients: tuple[str, ...],
    template: Path | None,
    reset_template: bool,
    as_json: bool,
) -> None:
    """Show or change the report settings of a province (letterhead, signer, recipients).

    Without options, prints the current settings; with options, saves them (the other
    fields keep their values).

    Example:

        chiso report-settings --signer-name "Nguyễn Văn A" --recipient "Thường trực Tỉnh ủy (để b/c)"
    """
    try:
        store = default_store()
        current = load_report_settings(store, province)
        changes: dict[str, object] = {
            key: value
            for key, value in {
                "parent_agency": parent_agency,
                "agency": agency,
                "place": place,
                "number": number,
                "symbol": symbol,
                "signer_authority": signer_authority,
                "signer_title": signer_title,
                "signer_name": signer_name,
            }.items()
            if value is not None
        }
        if recipients:
            changes["recipients"] = tuple(recipients)
        if template is not None:
            changes["template"] = template.read_bytes()
            changes["template_name"] = template.name
        if reset_template:
            changes["template"] = None
            changes["template_name"] = ""
        if changes:
            current = save_report_settings(store, replace(current, **changes), actor="chiso report-settings")  # type: ignore[arg-type]
    except ChisoError as exc:
        fail(exc)
        return
    data = current.as_dict()
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    if current.is_default:
        click.echo("(giá trị mặc định — chưa lưu; các mục trong [ ] cần điền)")
    for key, value in data.items():
        if key == "recipients":
            click.echo("recipients:")
            for line in value:
                click.echo(f"  - {line}")
        else:
            click.echo(f"{key}: {value}")


@click.command("report-template")
@click.option(
    "--province", default=lambda: settings.get("CHISO_PROVINCE"), show_default="04 (CHISO_PROVINCE)"
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
def report_template(province: str, output: Path) -> None:
    """Write the report template in use (the province's saved one, else the shipped one) for editing.

    Open it in Word or LibreOffice, change wording and styles, keep the {{ … }} and
    {% … %} tags, then save it with `chiso report-settings --template FILE`.

    Example:

        chiso report-template -o mau-bao-cao.docx
    """
    try:
        current = load_report_settings(default_store(), province)
    except ChisoError as exc:
        fail(exc)
        return
    output.write_bytes(current.template if current.template is not None else TEMPLATE.read_bytes())
    click.echo(f"Đã ghi {output}.")


commands = [report, report_settings, report_template]
