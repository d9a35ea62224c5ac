"""Reading YAML files (resolutions, methodologies, task trees) with errors a person can act on."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from chiso.errors import InvalidFile, Problem
from chiso.text import nfc


def parse_yaml_mapping(text: str, file: str) -> Mapping[str, Any]:
    """Parse YAML text (normalised to NFC) that must be a mapping; ``file`` names it in errors.

    A syntax error is located by line and column; anything but a mapping is refused.
    Raises :class:`~chiso.errors.InvalidFile`.
    """
    try:
        raw = yaml.safe_load(nfc(text))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"dòng {mark.line + 1}, cột {mark.column + 1}" if mark else "YAML"
        raise InvalidFile(
            file, [Problem(file, where, f"lỗi cú pháp YAML: {exc}", f"YAML syntax error: {exc}")]
        ) from None
    if not isinstance(raw, Mapping):
        raise InvalidFile(
            file, [Problem(file, "tệp", "tệp phải là một bảng YAML", "expected a YAML mapping")]
        )
    return raw


def read_yaml_mapping(path: Path | str) -> Mapping[str, Any]:
    """Read a UTF-8 YAML file that must be a mapping (see :func:`parse_yaml_mapping`)."""
    file = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidFile(file, [Problem(file, "tệp", "không tìm thấy tệp", "file not found")]) from None
    return parse_yaml_mapping(text, file)
