"""``chiso hpi``: the happiness survey — form, import, scores, simulation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.table import Table

from chiso import settings
from chiso.cli._common import default_store, fail
from chiso.errors import ChisoError, InvalidFile
from chiso.methodology import Methodology, bundled_methodologies, default_methodology, load_methodology
from chiso.store import Store

if TYPE_CHECKING:
    from chiso.areas import Area
    from chiso.happiness import Interval
from chiso.text import format_number

_PROVINCE = click.option(
    "--province", default=lambda: settings.get("CHISO_PROVINCE"), help="Province code (CHISO_PROVINCE)."
)
_METHODOLOGY = click.option(
    "--methodology",
    "methodology_name",
    default=None,
    help="Methodology file, or the name of a shipped one (default: cb-hpi-2026).",
)
_WAVE = click.option("--wave", required=True, help="Survey wave: its year, e.g. 2026 (or 2026-dot2).")
_FORMAT = click.option(
    "--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True
)
_SHOWN_PROBLEMS = 40


def _methodology(name: str | None) -> Methodology:
    if not name:
        return default_methodology()
    shipped = bundled_methodologies()
    return load_methodology(shipped.get(name, Path(name)))


def _province_areas(store: Store, province: str) -> list[Area]:
    """The province's units (the store's, or the shipped list); imported late, numpy is slow to load."""
    from chiso.hpi import province_areas as areas

    return areas(store, province)


def _print_problems(exc: InvalidFile) -> None:
    click.echo(f"Tệp {exc.file} có {len(exc.problems)} lỗi, không nạp gì:", err=True)
    for p in exc.problems[:_SHOWN_PROBLEMS]:
        click.echo(f"  - {p.where}: {p.message_vi}", err=True)
    if len(exc.problems) > _SHOWN_PROBLEMS:
        click.echo(f"  … và {len(exc.problems) - _SHOWN_PROBLEMS} lỗi khác.", err=True)


@click.group()
def hpi() -> None:
    """Happiness index (CB-HPI) survey: form, import, scores, simulation."""


@hpi.command("form")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=Path("cb-hpi-form.xlsx")
)
@_METHODOLOGY
@_PROVINCE
def hpi_form(output: Path, methodology_name: str | None, province: str) -> None:
    """Write the questionnaire as an XLSForm for ODK Collect / KoboToolbox.

    The commune list is the province's communes (official codes as values); form_id
    and version come from the methodology. Upload the file to ODK Central or
    KoboToolbox as it is.

    Example:

        chiso hpi form -o cb-hpi-2026.xlsx
    """
    from chiso.xlsform import write_xlsform

    try:
        methodology = _methodology(methodology_name)
        areas = _province_areas(default_store(), province)
    except ChisoError as exc:
        fail(exc)
        return
    write_xlsform(methodology, output, areas=areas)
    communes = sum(1 for a in areas if a.is_commune)
    click.echo(
        f"Đã ghi phiếu khảo sát {output}: {len(methodology.questions)} câu hỏi, {communes} xã/phường; "
        f"form_id {methodology.id}, phiên bản {methodology.version}."
    )


@hpi.command("simulate")
@_WAVE
@click.option("--per-commune", type=click.IntRange(1, 10_000), default=60, show_default=True)
@click.option("--seed", type=int, default=2026, show_default=True)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=Path("cb-hpi-mo-phong.csv")
)
@_METHODOLOGY
@_PROVINCE
def hpi_simulate(
    wave: str, per_commune: int, seed: int, output: Path, methodology_name: str | None, province: str
) -> None:
    """Write a SYNTHETIC KoboToolbox-style export, for demonstrations and benchmarks.

    Every row is marked synthetic = 1; once imported, the wave is a synthetic wave and
    its scores say "DỮ LIỆU MÔ PHỎNG" wherever they appear. Never import it into a
    store that holds real survey data.

    Example:

        chiso hpi simulate --wave 2026 --per-commune 60 -o mo-phong.csv
    """
    from chiso.hpi import SYNTHETIC_LABEL, simulate_wave

    try:
        methodology = _methodology(methodology_name)
        areas = _province_areas(default_store(), province)
        simulated = simulate_wave(methodology, areas, n_per_commune=per_commune, seed=seed, wave=wave)
    except ChisoError as exc:
        fail(exc)
        return
    simulated.write_csv(output)
    click.echo(
        f"{SYNTHETIC_LABEL}: đã ghi {format_number(simulated.n, 0)} phiếu ({len(simulated.plans)} xã/phường "
        f"× {per_commune}, seed {seed}) vào {output}; mọi dòng có synthetic = 1."
    )


@hpi.command("import")
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@_WAVE
@_METHODOLOGY
@_PROVINCE
@click.option("--actor", default="", help="Who is importing (kept in the audit log).")
@click.option(
    "--select-multiple",
    "select_multiple",
    multiple=True,
    help="An extra field exported as space-separated choices (repeatable).",
)
def hpi_import(
    file: Path,
    wave: str,
    methodology_name: str | None,
    province: str,
    actor: str,
    select_multiple: tuple[str, ...],
) -> None:
    """Import an ODK Central or KoboToolbox export (CSV or XLSX) into a survey wave.

    Nothing is written if any row is wrong (unknown commune, answer out of range,
    missing or refused consent, duplicate instance ID): every problem is listed with
    its row and column. Submissions already imported are skipped, so importing the
    same file again adds 0 responses.

    Example:

        chiso hpi import Submissions.csv --wave 2026
    """
    from chiso.io.odk import import_export

    try:
        store = default_store()
        methodology = _methodology(methodology_name) if methodology_name else None
        result = import_export(
            store,
            file,
            wave=wave,
            methodology=methodology,
            province=province,
            actor=actor,
            select_multiple=select_multiple,
        )
    except InvalidFile as exc:
        _print_problems(exc)
        raise SystemExit(2) from None
    except ChisoError as exc:
        fail(exc)
        return
    click.echo(f"Đợt {wave}: {result.message}.")
    warnings = result.report.warnings
    if warnings:
        click.echo(f"{len(warnings)} cảnh báo (không chặn việc nhập), ví dụ:")
        for p in warnings[:5]:
            click.echo(f"  - {p.where}: {p.message_vi}")


def _print_results(store: Store, wave: str, run: int | None, fmt: str, notes: tuple[str, ...] = ()) -> None:
    from chiso.hpi import SYNTHETIC_LABEL, records_csv, target_sentence, wave_results

    shown = wave_results(store, wave, run=run)
    if fmt == "json":
        click.echo(json.dumps(shown.as_json(notes), ensure_ascii=False, indent=2))
        return
    if fmt == "csv":
        click.echo(records_csv(shown.records), nl=False)
        return
    synthetic = shown.wave.synthetic
    _table(synthetic, wave, shown.run, list(shown.records))
    console = Console(highlight=False)
    for note in notes:
        console.print(f"[dim]{note}[/dim]")
    console.print(
        f"Xã, phường đạt từ 90 điểm trở lên: {shown.meeting}/{shown.known} ({format_number(shown.share, 1)}%)"
        + (f" — {SYNTHETIC_LABEL}" if synthetic else "")
    )
    for a in shown.targets:
        console.print(target_sentence(a))


def _table(synthetic: bool, wave: str, run: int, records: list[dict[str, object]]) -> None:
    from chiso.hpi import FLAG_SHORT

    title = f"Chỉ số Hạnh phúc người dân (CB-HPI), đợt {wave}, lần tính {run}"
    if synthetic:
        title += "\n[bold red]DỮ LIỆU MÔ PHỎNG — không phải số liệu thật[/bold red]"
    table = Table(title=title, title_justify="left")
    table.add_column("Mã", no_wrap=True)
    table.add_column("Xã/phường", overflow="fold")
    table.add_column("n", justify="right")
    table.add_column("thôn", justify="right")
    table.add_column("CB-HPI", justify="right")
    table.add_column("khoảng tin cậy 95%", justify="right", no_wrap=True)
    table.add_column("cờ", overflow="fold")
    for r in records:
        if r["code"] == "*":
            table.add_section()
        score = r["score"] if isinstance(r["score"], float) else None
        low = r["ci_low"] if isinstance(r["ci_low"], float) else None
        high = r["ci_high"] if isinstance(r["ci_high"], float) else None
        ci = (
            f"{format_number(low, 1)}–{format_number(high, 1)}"
            if low is not None and high is not None
            else "—"
        )
        flags = r["flags"] if isinstance(r["flags"], list) else []
        n = str(r["n"]) + (f"/{r['target_n']}" if r["target_n"] is not None else "")
        style = "green" if score is not None and score >= 90 else ""
        table.add_row(
            str(r["code"]),
            str(r["name"]),
            n,
            str(r["clusters"]),
            f"[{style}]{format_number(score, 1)}[/{style}]" if style else format_number(score, 1),
            ci,
            ", ".join(FLAG_SHORT.get(str(f), str(f)) for f in flags),
        )
    Console(highlight=False).print(table)


@hpi.command("score")
@_WAVE
@_FORMAT
@click.option("--seed", type=int, default=2026, show_default=True, help="Seed of the bootstrap.")
@click.option(
    "--interval",
    type=click.Choice(["bootstrap", "bootstrap-percentile", "taylor", "none"]),
    default="bootstrap",
    show_default=True,
)
@click.option("--replicates", type=click.IntRange(2, 10_000), default=200, show_default=True)
@click.option(
    "--population",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="CSV of adults by commune, sex and age group (commune,sex,age_group,population) "
    "to post-stratify on.",
)
@click.option("--actor", default="", help="Who is scoring (kept in the audit log).")
def hpi_score(
    wave: str,
    fmt: str,
    seed: int,
    interval: str,
    replicates: int,
    population: Path | None,
    actor: str,
) -> None:
    """Score a wave: every commune's CB-HPI with its 95% interval, n and flags.

    The scores are stored (with the methodology's SHA-256 and the seed, so the same
    command gives the same numbers) and written as the communes' hpi_score figures for
    the wave's year; the last lines say how many communes reach 90 points and the
    status of the resolution's target on it.

    Example:

        chiso hpi score --wave 2026 --format table
    """
    from chiso.hpi import read_population, score_wave

    try:
        store = default_store()
        margins = read_population(population) if population else None
        interval_kind: Interval = interval  # type: ignore[assignment]
        scored = score_wave(
            store,
            wave,
            seed=seed,
            interval=interval_kind,
            replicates=replicates,
            population=margins,
            actor=actor,
        )
        written = (
            f"Đã ghi {scored.written.added} giá trị hpi_score mới "
            f"({scored.status.label}, nguồn “{scored.source}”)."
        )
        notes = (*scored.notes, written)
        _print_results(store, wave, scored.run, fmt, notes if fmt != "csv" else ())
    except ChisoError as exc:
        fail(exc)


@hpi.command("results")
@_WAVE
@click.option("--run", type=int, default=None, help="A scoring run (default: the newest).")
@_FORMAT
def hpi_results(wave: str, run: int | None, fmt: str) -> None:
    """Show the stored scores of a wave, without computing anything.

    Example:

        chiso hpi results --wave 2026 --format csv
    """
    try:
        _print_results(default_store(), wave, run, fmt)
    except ChisoError as exc:
        fail(exc)


@hpi.command("plan")
@_WAVE
@click.option("--per-commune", type=click.IntRange(1, 10_000), default=60, show_default=True)
@_METHODOLOGY
@_PROVINCE
@click.option("--actor", default="", help="Who is planning (kept in the audit log).")
def hpi_plan(wave: str, per_commune: int, methodology_name: str | None, province: str, actor: str) -> None:
    """Open a wave and plan the same number of interviews in every commune.

    Example:

        chiso hpi plan --wave 2027 --per-commune 60
    """
    from chiso.hpi import plan_wave

    try:
        store = default_store()
        plans = plan_wave(
            store,
            wave,
            _methodology(methodology_name),
            _province_areas(store, province),
            per_commune=per_commune,
            province=province,
            actor=actor,
        )
    except ChisoError as exc:
        fail(exc)
        return
    click.echo(f"Đợt {wave}: kế hoạch {per_commune} phiếu ở mỗi xã/phường, {len(plans)} xã/phường.")


@hpi.command("close")
@_WAVE
@click.option("--actor", default="", help="Who closes the wave (kept in the audit log).")
def hpi_close(wave: str, actor: str) -> None:
    """Close a wave: collection is over; scores computed after this can become final.

    Example:

        chiso hpi close --wave 2026
    """
    from chiso.store.surveys import close_wave

    try:
        close_wave(default_store(), wave, actor=actor)
    except ChisoError as exc:
        fail(exc)
        return
    click.echo(f"Đã đóng đợt {wave}; tính lại điểm: chiso hpi score --wave {wave}")


commands = [hpi]
