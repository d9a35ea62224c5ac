"""``chiso extract-targets``: draft a resolution's targets from its text."""

from __future__ import annotations

import json
from pathlib import Path

import click

from chiso import extraction as ex
from chiso import settings
from chiso.cli._common import fail
from chiso.errors import ChisoError
from chiso.resolutions import default_catalogue, load_resolution, resolve_resolution_path


@click.command("extract-targets")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(["yaml", "json"]), default="yaml", show_default=True,
    help="yaml: a draft resolution file; json: a list of targets.",
)  # fmt: skip
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the draft here.")
@click.option(
    "--compare", "compare_with", default=None,
    help="A resolution file (or the name of a shipped one): show what differs from the draft.",
)  # fmt: skip
@click.option(
    "--province", default=lambda: settings.get("CHISO_PROVINCE"), show_default="CHISO_PROVINCE",
    help="Official two-digit code of the province, for the draft file.",
)  # fmt: skip
def extract_targets(
    file: Path, fmt: str, output: Path | None, compare_with: str | None, province: str
) -> None:
    """Draft the quantified targets of a resolution from its text.

    Reads .txt, .docx and .pdf files with a text layer, with or without Vietnamese
    diacritics (OCR output included). The YAML draft starts with "BẢN NHÁP — cần rà
    soát" and loads as a resolution file with status draft; review every target. With
    --compare, prints how the draft differs from an existing resolution file (the draft
    itself goes to --output when given).

    Example:

        chiso extract-targets bao-cao-chinh-tri.txt -o nhap.yaml
        chiso extract-targets bao-cao-chinh-tri.pdf --format json
        chiso extract-targets bao-cao-chinh-tri.docx --compare cao-bang-2025-2030
    """
    try:
        catalogue = default_catalogue()
        extraction = ex.extract_targets(ex.read_document(file), catalogue)
        comparison = None
        if compare_with is not None:
            resolution, _ = load_resolution(resolve_resolution_path(compare_with))
            comparison = ex.compare_targets(extraction.targets, resolution)
    except ChisoError as exc:
        fail(exc)
        return
    if fmt == "json":
        draft = json.dumps([t.record() for t in extraction.targets], ensure_ascii=False, indent=2) + "\n"
    else:
        draft = ex.draft_resolution(extraction, catalogue, province=province, source=file.name)
    if output is not None:
        output.write_text(draft, encoding="utf-8")
        click.echo(f"Đã ghi {len(extraction.targets)} chỉ tiêu vào {output}.", err=True)
    if comparison is not None:
        if fmt == "json":
            click.echo(json.dumps(comparison.record(), ensure_ascii=False, indent=2))
        else:
            click.echo(_comparison_text(comparison))
    elif output is None:
        click.echo(draft, nl=False)


def _comparison_text(comparison: ex.Comparison) -> str:
    lines = [comparison.summary()]
    for pair in comparison.pairs:
        if pair.differences:
            lines.append(f"≠ {pair.target.id}: {pair.draft.text}")
            for d in pair.differences:
                lines.append(f"    {d.field}: bản nháp {d.draft!r} — tệp {d.file!r}")
    for target in comparison.missing:
        lines.append(f"− {target.id} (chỉ có trong tệp): {target.text}")
    for extra in comparison.extra:
        lines.append(f"+ {extra.number or '?'} (chỉ có trong bản nháp): {extra.text}")
    return "\n".join(lines)


commands = [extract_targets]
