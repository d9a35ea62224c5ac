"""Loading resolution files and the indicator catalogue, with errors a person can act on.

A resolution file is YAML (UTF-8, NFC). Every problem found — YAML syntax, a missing
or misspelt field, an unknown indicator, a duplicate id — is collected and reported
together, naming the file, the target and the field, in Vietnamese and English. A
file with any problem loads nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from chiso.errors import FormulaError, InvalidFile, Problem
from chiso.indicators import Catalogue, Indicator
from chiso.targets import _SEP, Resolution, TargetKind
from chiso.yamlfile import parse_yaml_mapping, read_yaml_mapping

_DATA = resources.files("chiso") / "data"

# Vietnamese wording for pydantic's error types; anything not listed falls back to
# pydantic's English message.
_MESSAGES_VI = {
    "missing": "thiếu trường bắt buộc",
    "extra_forbidden": "trường không được phép (sai chính tả?)",
    "float_parsing": "phải là một số",
    "float_type": "phải là một số",
    "int_parsing": "phải là số nguyên",
    "int_type": "phải là số nguyên",
    "int_from_float": "phải là số nguyên",
    "string_type": "phải là chuỗi ký tự",
    "string_too_short": "không được để trống",
    "string_pattern_mismatch": "sai định dạng",
    "enum": "giá trị không hợp lệ",
    "literal_error": "giá trị không hợp lệ",
    "bool_parsing": "phải là true hoặc false",
    "date_from_datetime_parsing": "phải là ngày dạng YYYY-MM-DD",
    "date_parsing": "phải là ngày dạng YYYY-MM-DD",
    "date_type": "phải là ngày dạng YYYY-MM-DD",
    "list_type": "phải là một danh sách",
    "tuple_type": "phải là một danh sách",
    "dict_type": "phải là một bảng khóa: giá trị",
    "model_type": "phải là một bảng khóa: giá trị",
    "greater_than_equal": "quá nhỏ",
    "less_than_equal": "quá lớn",
    "too_short": "thiếu phần tử",
    "too_long": "thừa phần tử",
}


def _locate(loc: tuple[int | str, ...], raw: Any) -> str:
    """Turn a pydantic location into words: which target (by id) and which field."""
    parts = list(loc)
    if len(parts) >= 2 and parts[0] in {"targets", "indicators", "groups"} and isinstance(parts[1], int):
        section, index = parts[0], parts[1]
        items = raw.get(section) if isinstance(raw, Mapping) else None
        item = items[index] if isinstance(items, list) and index < len(items) else None
        key = "id" if section != "indicators" else "code"
        name = item.get(key) if isinstance(item, Mapping) else None
        noun = {"targets": "chỉ tiêu", "indicators": "chỉ số", "groups": "nhóm"}[section]
        where = f"{noun} {name or '?'} ({section}[{index}])"
        rest = [str(p) for p in parts[2:]]
        return where + (f", trường {'.'.join(rest)}" if rest else "")
    return "trường " + ".".join(str(p) for p in parts) if parts else "tệp"


def _validation_problems(
    file: str, exc: ValidationError, raw: Any, prefix: tuple[int | str, ...] = ()
) -> list[Problem]:
    problems = []
    for error in exc.errors():
        message = str(error.get("msg", ""))
        if error["type"] == "value_error" and _SEP in message:
            vi, en = message.removeprefix("Value error, ").split(_SEP, 1)
        else:
            vi = _MESSAGES_VI.get(error["type"], message)
            en = message
            ctx = error.get("ctx") or {}
            if "expected" in ctx:
                vi += f"; chấp nhận: {ctx['expected']}"
            if error["type"] != "missing" and "input" in error:
                vi += f" (đang là: {error['input']!r})"
        loc = prefix + tuple(p for p in error["loc"] if not (isinstance(p, str) and "[" in p))
        problems.append(Problem(file, _locate(loc, raw), vi, en))
    return problems


def _raw_cross_problems(file: str, raw: Mapping[str, Any], catalogue: Catalogue) -> list[Problem]:
    """Unknown indicators and groups, read from the raw file when the schema check failed."""
    problems: list[Problem] = []
    extra = {i.get("code") for i in raw.get("indicators") or [] if isinstance(i, Mapping)}
    groups = {g.get("id") for g in raw.get("groups") or [] if isinstance(g, Mapping)}
    targets = raw.get("targets")
    for index, item in enumerate(targets if isinstance(targets, list) else []):
        if not isinstance(item, Mapping):
            continue
        where = f"chỉ tiêu {item.get('id', '?')} (targets[{index}])"
        code = item.get("indicator")
        if isinstance(code, str) and code not in catalogue and code not in extra:
            problems.append(
                Problem(
                    file,
                    where + ", trường indicator",
                    f"chỉ số “{code}” không có trong danh mục chỉ số",
                    f"indicator “{code}” is not in the catalogue",
                    "unknown-indicator",
                )
            )
        group = item.get("group")
        if isinstance(group, str) and groups and group not in groups:
            problems.append(
                Problem(
                    file,
                    where + ", trường group",
                    f"nhóm “{group}” không có trong groups",
                    f"group “{group}” is not declared in groups",
                )
            )
    return problems


def _cross_problems(file: str, resolution: Resolution, catalogue: Catalogue) -> list[Problem]:
    problems: list[Problem] = []
    groups = {g.id for g in resolution.groups}
    seen: set[str] = set()
    for index, target in enumerate(resolution.targets):
        where = f"chỉ tiêu {target.id} (targets[{index}])"
        if target.id in seen:
            problems.append(Problem(file, where, "mã chỉ tiêu bị trùng", "duplicate target id", "duplicate"))
        seen.add(target.id)
        if target.group not in groups:
            problems.append(
                Problem(
                    file,
                    where + ", trường group",
                    f"nhóm “{target.group}” không có trong groups",
                    f"group “{target.group}” is not declared in groups",
                )
            )
        if target.indicator not in catalogue:
            problems.append(
                Problem(
                    file,
                    where + ", trường indicator",
                    f"chỉ số “{target.indicator}” không có trong danh mục chỉ số",
                    f"indicator “{target.indicator}” is not in the catalogue",
                    "unknown-indicator",
                )
            )
            continue
        indicator = catalogue.get(target.indicator)
        if target.kind is TargetKind.SHARE_OF_UNITS and "commune" not in indicator.levels:
            problems.append(
                Problem(
                    file,
                    where + ", trường indicator",
                    f"chỉ tiêu tỷ lệ đơn vị cần chỉ số cấp xã; “{indicator.code}” không có cấp xã",
                    f"a share-of-units target needs a commune-level indicator; “{indicator.code}” is not one",
                )
            )
        if target.base is not None and target.base.year < resolution.term[0] - 10:
            problems.append(
                Problem(
                    file,
                    where + ", trường base.period",
                    "năm gốc cách nhiệm kỳ quá xa",
                    "the base year is far before the term",
                )
            )
    return problems


def default_catalogue() -> Catalogue:
    """The indicator catalogue shipped with chiso."""
    return load_catalogue(Path(str(_DATA / "indicators.yaml")))


def load_catalogue(path: Path, extra: Iterable[Indicator] = ()) -> Catalogue:
    """Load an indicator catalogue file (a YAML list under ``indicators:``)."""
    file = str(path)
    raw = read_yaml_mapping(path)
    items = raw.get("indicators")
    if not isinstance(items, list):
        raise InvalidFile(
            file,
            [
                Problem(
                    file,
                    "tệp",
                    "cần khóa “indicators” chứa danh sách",
                    "expected an “indicators” list",
                )
            ],
        )
    indicators, problems = _validate_indicators(file, items, raw)
    if problems:
        raise InvalidFile(file, problems)
    try:
        return Catalogue([*indicators, *extra])
    except FormulaError as exc:
        raise InvalidFile(file, [Problem(file, "indicators", exc.message_vi, exc.message_en)]) from None


def _validate_indicators(file: str, items: list[Any], raw: Any) -> tuple[list[Indicator], list[Problem]]:
    indicators, problems = [], []
    for index, item in enumerate(items):
        try:
            indicators.append(Indicator.model_validate(item))
        except ValidationError as exc:
            problems += _validation_problems(file, exc, raw, prefix=("indicators", index))
    return indicators, problems


def load_resolution(path: Path | str, catalogue: Catalogue | None = None) -> tuple[Resolution, Catalogue]:
    """Load and validate a resolution file.

    Returns the resolution and the catalogue it is read with (the shipped one plus the
    indicators the file declares). Raises :class:`InvalidFile` listing every problem.
    """
    return _validate_resolution(read_yaml_mapping(path), str(path), catalogue)


def load_resolution_text(
    text: str, name: str, catalogue: Catalogue | None = None
) -> tuple[Resolution, Catalogue]:
    """Validate a resolution given as YAML text (an upload) exactly as :func:`load_resolution`."""
    return _validate_resolution(parse_yaml_mapping(text, name), name, catalogue)


def _validate_resolution(
    raw: Mapping[str, Any], file: str, catalogue: Catalogue | None
) -> tuple[Resolution, Catalogue]:
    base = catalogue if catalogue is not None else default_catalogue()
    try:
        resolution = Resolution.model_validate(raw)
    except ValidationError as exc:
        # Report the cross-reference problems too, so the file is fixed in one pass.
        problems = _validation_problems(file, exc, raw) + _raw_cross_problems(file, raw, base)
        raise InvalidFile(file, problems) from None
    try:
        merged = base.merged(resolution.indicators)
    except FormulaError as exc:
        raise InvalidFile(file, [Problem(file, "indicators", exc.message_vi, exc.message_en)]) from None
    problems = _cross_problems(file, resolution, merged)
    codes = [i.code for i in resolution.indicators]
    for code in sorted({c for c in codes if codes.count(c) > 1}):
        problems.append(
            Problem(
                file,
                f"chỉ số {code}",
                "mã chỉ số bị khai báo hai lần",
                "indicator code declared twice",
                "duplicate",
            )
        )
    if problems:
        raise InvalidFile(file, problems)
    return resolution, merged


def bundled_resolutions() -> dict[str, Path]:
    """The resolution files shipped with chiso, by file stem."""
    folder = _DATA / "resolutions"
    return {
        Path(entry.name).stem: Path(str(entry))
        for entry in folder.iterdir()
        if entry.name.endswith((".yaml", ".yml"))
    }


def resolve_resolution_path(name_or_path: str) -> Path:
    """A path as given, or the shipped resolution whose stem is ``name_or_path``."""
    candidate = Path(name_or_path)
    if candidate.exists():
        return candidate
    bundled = bundled_resolutions()
    if name_or_path in bundled:
        return bundled[name_or_path]
    matches = [p for stem, p in bundled.items() if stem.startswith(name_or_path)]
    return matches[0] if len(matches) == 1 else candidate
