"""Pre-2025 communes re-aggregated into the units of 1 July 2025 (DESIGN §5).

Figures published before the two-tier reform are by the old communes (161 in Cao
Bằng); targets and reports after it are by the new ones (56). A :class:`MergeTable`
says which old units each new unit was formed from, and :func:`reaggregate` turns
old-unit observations into new-unit observations by a stated rule, telling in
Vietnamese what it did and what it could not do.

Old and new codes overlap (old "01273" is Phường Hợp Giang, new "01273" is Phường
Thục Phán), so the observations given to :func:`reaggregate` must all be for old
units.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from chiso.errors import InvalidFile, Problem
from chiso.observations import DataStatus, Observation, effective
from chiso.periods import Period
from chiso.text import fold, nfc

Rule = Literal["sum", "count", "mean", "weighted_mean"]
RULES: tuple[Rule, ...] = ("sum", "count", "mean", "weighted_mean")
_RULE_SOURCE = {
    "sum": "Cộng gộp từ {n} xã cũ: {units}",
    "count": "Cộng gộp từ {n} xã cũ: {units}",
    "mean": "Trung bình cộng của {n} xã cũ: {units}",
    "weighted_mean": "Bình quân gia quyền theo {weight} của {n} xã cũ: {units}",
}
_CSV_HEADERS = {
    "new_code": {"new code", "ma moi", "ma xa moi", "ma don vi moi"},
    "old_code": {"old code", "ma cu", "ma xa cu", "ma don vi cu"},
    "old_name": {"old name", "ten cu", "ten xa cu", "ten don vi cu"},
    "new_name": {"new name", "ten moi", "ten xa moi", "ten don vi moi"},
}


@dataclass(frozen=True)
class OldUnit:
    """A pre-2025 unit merged, in whole or in part, into a new one."""

    code: str
    name: str = ""
    partial: bool = False

    @property
    def label(self) -> str:
        """The name and code, as notes and sources cite the unit."""
        return f"{self.name} ({self.code})" if self.name else self.code


@dataclass(frozen=True)
class MergeTable:
    """New unit code → the old units it was formed from.

    ``new_names`` holds the new units' names where the source gives them; ``source``
    says where the table comes from.
    """

    groups: Mapping[str, tuple[OldUnit, ...]]
    new_names: Mapping[str, str] = field(default_factory=dict)
    source: str = ""

    def __len__(self) -> int:
        return len(self.groups)

    @property
    def new_codes(self) -> list[str]:
        """The new units' codes, in the table's order."""
        return list(self.groups)

    @property
    def old_codes(self) -> list[str]:
        """Every old unit's code, each once."""
        return list(dict.fromkeys(u.code for units in self.groups.values() for u in units))

    def old_units(self, new_code: str) -> tuple[OldUnit, ...]:
        """The old units merged into ``new_code`` (empty if the code is not in the table)."""
        return self.groups.get(new_code, ())

    def new_code_of(self, old_code: str) -> list[str]:
        """The new units an old unit went into: one, or several if it was split."""
        return [new for new, units in self.groups.items() if any(u.code == old_code for u in units)]

    def label(self, new_code: str) -> str:
        """The new unit's name and code."""
        name = self.new_names.get(new_code, "")
        return f"{name} ({new_code})" if name else new_code


def _code(value: object) -> str:
    text = str(value).strip()
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    return text.zfill(5) if text.isdigit() else text


def _invalid(file: str, where: str, vi: str, en: str, kind: str = "invalid") -> Problem:
    return Problem(file, where, vi, en, kind)


def _load_json(path: Path, file: str, problems: list[Problem]) -> MergeTable | None:
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        problems.append(_invalid(file, "tệp", f"không đọc được JSON: {exc}", f"invalid JSON: {exc}"))
        return None
    communes = data.get("communes") if isinstance(data, dict) else None
    if not isinstance(communes, list):
        problems.append(
            _invalid(
                file, "tệp", "thiếu danh sách “communes”", "the “communes” list is missing", "missing-field"
            )
        )
        return None
    groups: dict[str, list[OldUnit]] = {}
    names: dict[str, str] = {}
    for index, commune in enumerate(communes, start=1):
        where = f"communes[{index}]"
        if not isinstance(commune, dict) or not commune.get("level2_id"):
            problems.append(_invalid(file, where, "thiếu mã xã mới (level2_id)", "level2_id is missing"))
            continue
        new = _code(commune["level2_id"])
        if new in groups:
            problems.append(_invalid(file, where, f"mã xã mới {new} lặp lại", f"new code {new} repeats"))
            continue
        names[new] = nfc(str(commune.get("name", "")))
        units: list[OldUnit] = []
        for old in commune.get("merges") or []:
            if not isinstance(old, dict) or not old.get("old_id"):
                problems.append(_invalid(file, where, "thiếu mã xã cũ (old_id)", "old_id is missing"))
                continue
            partial = str(old.get("type", "full")).strip().lower() != "full"
            units.append(OldUnit(_code(old["old_id"]), nfc(str(old.get("name", ""))), partial))
        if not units:
            problems.append(
                _invalid(file, where, f"xã mới {new} không có xã cũ nào", f"{new} has no old units")
            )
        groups[new] = units
    return MergeTable({k: tuple(v) for k, v in groups.items()}, names, str(data.get("source", "")))


def _header_key(text: str) -> str:
    return " ".join(fold(text.lstrip("\ufeff")).replace("_", " ").split())


def _load_csv(path: Path, file: str, problems: list[Problem]) -> MergeTable | None:
    try:
        rows = list(csv.reader(io.StringIO(nfc(path.read_bytes().decode("utf-8-sig")))))
    except UnicodeDecodeError:
        problems.append(_invalid(file, "tệp", "tệp phải lưu bằng mã UTF-8", "the file must be UTF-8"))
        return None
    columns = {"new_code": 0, "old_code": 1, "old_name": 2}
    start = 0
    if rows and not _code(rows[0][0] if rows[0] else "").isdigit():
        columns = {}
        for index, heading in enumerate(rows[0]):
            for column, aliases in _CSV_HEADERS.items():
                if _header_key(heading) in aliases | {column.replace("_", " ")}:
                    columns.setdefault(column, index)
        start = 1
        missing = [c for c in ("new_code", "old_code") if c not in columns]
        if missing:
            problems.append(
                _invalid(
                    file,
                    "dòng 1 (tiêu đề)",
                    "thiếu cột: " + ", ".join(missing),
                    "missing columns: " + ", ".join(missing),
                    "missing-column",
                )
            )
            return None
    groups: dict[str, list[OldUnit]] = defaultdict(list)
    names: dict[str, str] = {}
    for line, row in enumerate(rows[start:], start=start + 1):
        if not any(c.strip() for c in row):
            continue

        def cell(column: str, row: list[str] = row) -> str:
            index = columns.get(column)
            return row[index].strip() if index is not None and index < len(row) else ""

        new, old = _code(cell("new_code")), _code(cell("old_code"))
        if not new.isdigit() or not old.isdigit():
            problems.append(
                _invalid(
                    file,
                    f"dòng {line}",
                    f"mã không hợp lệ: “{new}”, “{old}”",
                    f"invalid codes “{new}”, “{old}”",
                    "invalid-code",
                )
            )
            continue
        if cell("new_name"):
            names[new] = cell("new_name")
        groups[new].append(OldUnit(old, cell("old_name")))
    return MergeTable({k: tuple(v) for k, v in groups.items()}, names, file)


def load_merge_table(path: Path | str) -> MergeTable:
    """Read a merge table from JSON or CSV; raise :class:`~chiso.errors.InvalidFile` if bad.

    JSON is the layout of ``cao-bang-merges-2025.json``: ``{"source": …, "communes":
    [{"level2_id": new code, "name": …, "merges": [{"old_id", "name", "type"}]}]}``,
    where ``type`` is ``full`` or, for an old unit split between new ones, ``partial``.
    CSV has one row per old unit: ``new_code,old_code[,old_name]``, with or without a
    header (``mã mới, mã cũ, tên cũ`` also works). An old unit listed in full under
    two new units is an error.
    """
    path = Path(path)
    file = str(path)
    problems: list[Problem] = []
    if not path.is_file():
        raise InvalidFile(
            file, [_invalid(file, "tệp", "không tìm thấy tệp", "file not found", "file-not-found")]
        )
    if path.suffix.lower() == ".json":
        table = _load_json(path, file, problems)
    else:
        table = _load_csv(path, file, problems)
    if table is not None:
        homes: dict[str, list[str]] = defaultdict(list)
        for new, units in table.groups.items():
            for unit in units:
                homes[unit.code].append(new)
        for old, news in homes.items():
            whole = [n for n in news if not next(u for u in table.groups[n] if u.code == old).partial]
            if len(set(news)) < len(news):
                problems.append(
                    _invalid(
                        file,
                        f"xã cũ {old}",
                        f"xã cũ {old} được ghi nhiều lần trong xã mới {news[0]}",
                        f"old unit {old} is listed twice under {news[0]}",
                        "duplicate-old-unit",
                    )
                )
            elif len(news) > 1 and whole:
                problems.append(
                    _invalid(
                        file,
                        f"xã cũ {old}",
                        f"xã cũ {old} được gộp toàn bộ vào nhiều xã mới: " + ", ".join(news),
                        f"old unit {old} is merged whole into several: " + ", ".join(news),
                        "duplicate-old-unit",
                    )
                )
    if problems or table is None:
        raise InvalidFile(file, problems)
    return table


def _weights_by_cell(weights: Iterable[Observation]) -> tuple[str, dict[tuple[str, Period], Observation]]:
    cells = effective(weights)
    indicators = sorted({indicator for indicator, _, _ in cells})
    if len(indicators) > 1:
        raise ValueError("trọng số phải là số liệu của một chỉ số duy nhất, có: " + ", ".join(indicators))
    return (indicators[0] if indicators else ""), {(area, p): obs for (_, area, p), obs in cells.items()}


def reaggregate(
    observations: Iterable[Observation],
    table: MergeTable,
    *,
    rule: Rule,
    weights: Iterable[Observation] | None = None,
) -> tuple[list[Observation], list[str]]:
    """Turn observations for old units into observations for the new units.

    Rules: ``sum`` (totals and counts; ``count`` is the same rule), ``mean`` (the
    plain mean of the old units' values) and ``weighted_mean`` (weighted by
    ``weights``: observations of one weight indicator, such as population, for the
    old units and the same period). Each old cell's best vintage is used (see
    :func:`chiso.observations.effective`). A new observation's status is the worst
    status among its inputs, weights included, and its source names the rule and
    the old units.

    Missing data — the choice made here: a **sum** over only some of the old units is
    not an estimate of the new unit's total but an undercount of unknown size, so a
    new unit with any old unit missing is *not produced* for ``sum``; a note names
    the old units without data, so the user can enter them. A **mean** over the old
    units that reported is still an estimate of the same quantity, so it is produced
    from them, and both the note and the observation's ``note`` name the units left
    out. A weighted mean needs a weight for every old unit it averages; without one
    the new unit is not produced. An old unit split between new units (``partial``)
    cannot be apportioned without more data, so a new unit formed partly from one is
    not produced. Observations of areas that are not old units in the table are
    ignored, with a note.

    Returns the new observations (sorted by indicator, period, area) and the notes,
    in Vietnamese.
    """
    if rule not in RULES:
        raise ValueError(f"quy tắc gộp “{rule}” không hợp lệ; dùng: " + ", ".join(RULES))
    weight_name = ""
    weight_cells: dict[tuple[str, Period], Observation] = {}
    if rule == "weighted_mean":
        if weights is None:
            raise ValueError("bình quân gia quyền cần số liệu trọng số (ví dụ: dân số của các xã cũ)")
        weight_name, weight_cells = _weights_by_cell(weights)
    cells = effective(observations)
    old_codes = set(table.old_codes)
    by_series: dict[tuple[str, Period], dict[str, Observation]] = defaultdict(dict)
    ignored: set[str] = set()
    for (indicator, area, period), obs in cells.items():
        if area in old_codes:
            by_series[(indicator, period)][area] = obs
        else:
            ignored.add(area)
    notes: list[str] = []
    if ignored:
        notes.append(
            f"Bỏ qua số liệu của {len(ignored)} địa bàn không phải xã cũ trong bảng sáp nhập: "
            + ", ".join(sorted(ignored))
        )
    results: list[Observation] = []
    for (indicator, period), values in sorted(by_series.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        made, series_notes = _reaggregate_series(
            indicator, period, values, table, rule, weight_name, weight_cells
        )
        results.extend(made)
        done = f"{len(made)}/{len(table)} xã mới"
        notes.append(f"Chỉ số {indicator}, {period.label}: {_rule_label(rule, weight_name)} — được {done}.")
        notes.extend(series_notes)
    results.sort(key=lambda o: (o.indicator, o.period, o.area))
    return results, notes


def _rule_label(rule: Rule, weight_name: str) -> str:
    if rule in ("sum", "count"):
        return "cộng gộp các xã cũ"
    if rule == "mean":
        return "trung bình cộng các xã cũ"
    return f"bình quân gia quyền các xã cũ theo {weight_name}"


def _reaggregate_series(
    indicator: str,
    period: Period,
    values: Mapping[str, Observation],
    table: MergeTable,
    rule: Rule,
    weight_name: str,
    weight_cells: Mapping[tuple[str, Period], Observation],
) -> tuple[list[Observation], list[str]]:
    made: list[Observation] = []
    notes: list[str] = []
    where = f"chỉ số {indicator}, {period.label}"
    for new_code, units in table.groups.items():
        present = [u for u in units if u.code in values]
        if not present:
            continue  # nothing reported for this new unit: nothing to say
        missing = [u for u in units if u.code not in values]
        label = table.label(new_code)
        split = [u for u in units if u.partial]
        if split:
            notes.append(
                f"{label} – {where}: không gộp vì có xã cũ chỉ nhập một phần, chưa có cách chia: "
                + _labels(split)
            )
            continue
        if missing and rule in ("sum", "count"):
            notes.append(
                f"{label} – {where}: không cộng gộp vì thiếu số liệu của {len(missing)} xã cũ: "
                + _labels(missing)
            )
            continue
        inputs = [values[u.code] for u in present]
        if rule in ("sum", "count"):
            value = sum(o.value for o in inputs)
        elif rule == "mean":
            value = sum(o.value for o in inputs) / len(inputs)
        else:
            unweighted = [u for u in present if (u.code, period) not in weight_cells]
            if unweighted:
                notes.append(
                    f"{label} – {where}: không tính bình quân gia quyền vì thiếu {weight_name or 'trọng số'} "
                    f"của {len(unweighted)} xã cũ: " + _labels(unweighted)
                )
                continue
            pairs = [(values[u.code], weight_cells[(u.code, period)]) for u in present]
            total = sum(w.value for _, w in pairs)
            if total <= 0:
                notes.append(f"{label} – {where}: tổng trọng số bằng 0, không tính được")
                continue
            value = sum(o.value * w.value for o, w in pairs) / total
            inputs = inputs + [w for _, w in pairs]
        note = ""
        if missing:
            note = f"Thiếu số liệu của {len(missing)} xã cũ: " + _labels(missing)
            notes.append(
                f"{label} – {where}: tính từ {len(present)}/{len(units)} xã cũ; {note[0].lower()}{note[1:]}"
            )
        source = _RULE_SOURCE[rule].format(n=len(present), units=_labels(present), weight=weight_name)
        made.append(
            Observation(
                indicator,
                new_code,
                period,
                value,
                status=min((o.status for o in inputs), default=DataStatus.FINAL),
                source=source,
                note=note,
            )
        )
    return made, notes


def _labels(units: Sequence[OldUnit]) -> str:
    return ", ".join(u.label for u in units)
