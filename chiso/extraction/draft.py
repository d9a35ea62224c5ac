"""Writing extracted targets as a draft resolution file (YAML) that loads after review.

The draft is a valid resolution file as written, with status ``draft``: every target
has an indicator (the guessed one, or a placeholder indicator declared in the file when
no catalogue indicator fits), milestones have one placeholder stage, change-relative-
to-base targets default their base to the first year of the term. Comments above each
target give the sentence as written, the indicator guess with its confidence and what
to check. Nothing in it should be trusted before a person has read it.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import yaml

from chiso.indicators import Catalogue
from chiso.targets import Comparator, TargetKind
from chiso.text import format_number

from .extract import ExtractedTarget, Extraction

HEADER = "BẢN NHÁP — cần rà soát"
CONFIDENCE_FLOOR = 0.2  # below it the guess is not used; a placeholder indicator is declared


def _number(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def _vi(value: float) -> str:
    return format_number(value, 2)


def target_ids(targets: tuple[ExtractedTarget, ...] | list[ExtractedTarget]) -> list[str]:
    """Ids for drafted targets: the number, with a letter when it states several ("1a", "1b")."""
    counts: dict[str, int] = {}
    for t in targets:
        counts[t.number] = counts.get(t.number, 0) + 1
    seen: dict[str, int] = {}
    ids = []
    for index, t in enumerate(targets, start=1):
        base = re.sub(r"[^A-Za-z0-9_.-]+", ".", t.number).strip(".") or f"t{index}"
        if counts[t.number] > 1:
            seen[t.number] = seen.get(t.number, 0) + 1
            base += _letters(seen[t.number])
        ids.append(base)
    return ids


def _letters(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(ord("a") + r) + out
    return out


def _fits(t: ExtractedTarget, catalogue: Catalogue | None) -> bool:
    if t.indicator is None or catalogue is None or t.confidence < CONFIDENCE_FLOOR:
        return False
    indicator = catalogue.get(t.indicator)
    return t.kind is not TargetKind.SHARE_OF_UNITS or "commune" in indicator.levels


def _placeholder(code: str, t: ExtractedTarget, name: str) -> dict[str, Any]:
    measure = {
        TargetKind.RANK: "rank",
        TargetKind.MILESTONE: "stage",
        TargetKind.SHARE_OF_UNITS: "binary",
    }.get(t.kind, "level")
    unit = {"rank": "hạng", "stage": "giai đoạn", "binary": "0/1"}.get(measure, t.unit.split("/")[0].strip())
    if t.kind is TargetKind.AVERAGE_GROWTH:
        unit = ""
    out: dict[str, Any] = {"code": code, "name": name or code, "unit": unit, "measure": measure}
    if t.kind is TargetKind.SHARE_OF_UNITS:
        out["levels"] = ["commune"]
    out["description"] = "Chỉ số tạm do bản nháp khai báo: thay bằng chỉ số trong danh mục hoặc sửa lại."
    return out


def _target(
    t: ExtractedTarget, target_id: str, indicator: str, group: str, term: tuple[int, int], accented: bool
) -> dict[str, Any]:
    text = t.text if accented or t.restored_text is None else t.restored_text
    out: dict[str, Any] = {
        "id": target_id,
        "number": t.number or target_id,
        "group": group,
        "text": text or t.sentence,
        "indicator": indicator,
        "kind": t.kind.value,
    }
    if t.kind is TargetKind.MILESTONE:
        out["unit"] = t.unit
        out["stages"] = [{"name": "Hoàn thành, đưa vào sử dụng", "due": t.year}]
    else:
        assert t.comparator is not None
        out["comparator"] = t.comparator.value
        if t.comparator is Comparator.BETWEEN:
            out["low"] = _number(t.low)
            out["high"] = _number(t.high)
        else:
            out["value"] = _number(t.value)
        out["unit"] = t.unit
    if t.change is not None:
        out["change"] = t.change.value
    if t.kind is TargetKind.RELATIVE_CHANGE:
        out["base"] = {"period": str(t.base_period or term[0])}
    if t.kind is TargetKind.SHARE_OF_UNITS and t.condition is not None:
        out["condition"] = {"comparator": t.condition[0].value, "value": _number(t.condition[1])}
        eligible: dict[str, Any] = {}
        if t.eligible_types:
            eligible["types"] = list(t.eligible_types)
        if t.eligible_border is not None:
            eligible["border"] = t.eligible_border
        if eligible:
            out["eligible"] = eligible
    if t.out_of is not None:
        out["out_of"] = t.out_of
    if t.first_year is not None:
        out["first_year"] = t.first_year
    out["target_year"] = t.year
    notes = []
    if t.fraction:
        notes.append(f"Văn bản ghi kèm {t.fraction[0]}/{t.fraction[1]}.")
    if t.kind is TargetKind.RELATIVE_CHANGE and t.base_period is None:
        notes.append(f"Văn bản không nêu kỳ gốc; tạm lấy năm {term[0]} (đầu nhiệm kỳ).")
    if t.kind is TargetKind.MILESTONE:
        quantities = ", ".join(f"{format_number(v)} {u}" for v, _lo, _hi, u in t.quantities if v is not None)
        notes.append(
            "Cần bổ sung các giai đoạn và năm đến hạn."
            + (f" Quy mô nêu trong văn bản: {quantities}." if quantities else "")
        )
    if notes:
        out["note"] = " ".join(notes)
    return out


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def _indent(text: str, spaces: int) -> str:
    pad = " " * spaces
    return "".join(pad + line if line.strip() else line for line in text.splitlines(keepends=True))


def draft_resolution(
    extraction: Extraction,
    catalogue: Catalogue | None,
    *,
    province: str,
    source: str = "",
    province_name: str = "",
) -> str:
    """The YAML text of a draft resolution file holding ``extraction``'s targets."""
    start, end = extraction.term
    ids = target_ids(extraction.targets)
    placeholders: list[dict[str, Any]] = []
    bodies: list[str] = []
    used_groups: dict[str, str] = {}
    for t, target_id in zip(extraction.targets, ids, strict=True):
        group = t.group or "chi_tieu"
        used_groups.setdefault(group, extraction.groups.get(group, "Các chỉ tiêu"))
        comments = [f"{target_id} — dòng {t.line}: «{t.sentence}»"]
        if _fits(t, catalogue):
            indicator = t.indicator or ""
            comments.append(
                f"chỉ số đoán: {t.indicator} — {t.indicator_name} (độ tin cậy {_vi(t.confidence)})"
            )
        else:
            indicator = "draft_" + re.sub(r"[^a-z0-9_]+", "_", target_id.lower()).strip("_")
            name = t.restored_text if t.restored_text is not None else t.text
            placeholders.append(_placeholder(indicator, t, name))
            hint = f"; gần nhất: {t.indicator} ({_vi(t.confidence)})" if t.indicator else ""
            comments.append(f"CHƯA XÁC ĐỊNH chỉ số: khai báo tạm {indicator}{hint}")
        if t.alternatives:
            comments.append(
                "khả năng khác (điểm tương đồng): " + ", ".join(f"{c} ({_vi(s)})" for c, s in t.alternatives)
            )
        body = _dump([_target(t, target_id, indicator, group, extraction.term, extraction.accented)])
        bodies.append("".join(f"  # {c}\n" for c in comments) + _indent(body, 2))
    head: dict[str, Any] = {
        "id": f"nhap-{province}-{start}-{end}",
        "title": f"Bản nháp các chỉ tiêu, nhiệm kỳ {start} – {end}" + (f" ({source})" if source else ""),
        "province": province,
    }
    if province_name:
        head["province_name"] = province_name
    head |= {
        "status": "draft",
        "document": source,
        "source": f"Trích tự động bằng chiso extract-targets ngày {dt.date.today().isoformat()}",
        "term": [start, end],
        "groups": [{"id": gid, "name": name} for gid, name in used_groups.items()],
    }
    if placeholders:
        head["indicators"] = placeholders
    lines = [
        f"# {HEADER}",
        "#",
        "# Tệp này do máy trích từ văn bản; mỗi chỉ tiêu cần được đối chiếu với văn bản gốc:",
        "# loại chỉ tiêu (kind), phép so sánh, giá trị, đơn vị, năm, và nhất là chỉ số (indicator).",
        "# Chỉ số “draft_…” là chỉ số tạm: thay bằng chỉ số trong danh mục rồi xóa khai báo tạm.",
    ]
    if not extraction.accented:
        lines.append(
            "# Văn bản gốc không có dấu: dấu tiếng Việt trong `text` được khôi phục tự động, cần sửa lại."
        )
    out = "\n".join(lines) + "\n" + _dump(head) + "targets:\n" + "\n".join(bodies)
    return out
