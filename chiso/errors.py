"""Exceptions for situations where chiso cannot go on.

Bad data inside a file that is otherwise readable is *not* an exception: loaders
collect every problem into a list of :class:`Problem` and raise one
:class:`InvalidFile` carrying them all, so the user fixes the file in one pass and
nothing is half-loaded.
"""

from __future__ import annotations

from dataclasses import dataclass


class ChisoError(Exception):
    """Base class of every error chiso raises on purpose.

    ``status`` is the HTTP status a web view answers with when the error reaches it.
    """

    status = 500

    def __init__(self, message_vi: str, message_en: str = "") -> None:
        super().__init__(message_vi)
        self.message_vi = message_vi
        self.message_en = message_en or message_vi

    def __str__(self) -> str:
        if self.message_en and self.message_en != self.message_vi:
            return f"{self.message_vi} / {self.message_en}"
        return self.message_vi


class IndicatorNotFound(ChisoError):
    """An indicator code is not in the catalogue."""

    status = 404

    def __init__(self, code: str) -> None:
        super().__init__(
            f"Không có chỉ số mã “{code}” trong danh mục",
            f"Indicator “{code}” is not in the catalogue",
        )
        self.code = code


class TargetNotFound(ChisoError):
    """A target id is not in the resolution."""

    status = 404

    def __init__(self, target_id: str) -> None:
        super().__init__(
            f"Không có chỉ tiêu “{target_id}” trong nghị quyết",
            f"Target “{target_id}” is not in the resolution",
        )
        self.target_id = target_id


class InvalidPeriod(ChisoError):
    """A period string could not be understood."""

    status = 400

    def __init__(self, text: str) -> None:
        super().__init__(
            f"Không hiểu kỳ số liệu “{text}” (ví dụ hợp lệ: 2026, 2026-H1, 2026-Q1, 2026-M03, "
            "2026-9M, “6 tháng đầu năm 2026”)",
            f"Cannot read period “{text}” (valid examples: 2026, 2026-H1, 2026-Q1, 2026-M03, 2026-9M)",
        )
        self.text = text


class FormulaError(ChisoError):
    """A derived indicator's formula is malformed, names unknown codes or is circular."""

    status = 400


class UnknownFormat(ChisoError):
    """A file format that is not registered."""

    status = 400

    def __init__(self, name: str, known: list[str]) -> None:
        names = ", ".join(sorted(known))
        super().__init__(
            f"Không có định dạng “{name}” (có: {names})",
            f"Unknown format “{name}” (known: {names})",
        )


class BackupFailed(ChisoError):
    """A backup or a restore could not be made."""

    status = 500


class SyntheticDataConflict(ChisoError):
    """Synthetic and real survey data would be mixed."""

    status = 409


class WaveNotFound(ChisoError):
    """No survey wave has this id."""

    status = 404

    def __init__(self, wave: str) -> None:
        super().__init__(
            f"Chưa có đợt khảo sát “{wave}” (nhập phiếu vào đợt trước: chiso hpi import TỆP --wave {wave})",
            f"No survey wave “{wave}”",
        )
        self.wave = wave


class InvalidWaveId(ChisoError):
    """A wave id that does not start with its year."""

    status = 400

    def __init__(self, wave: str) -> None:
        super().__init__(
            f"Mã đợt khảo sát “{wave}” không hợp lệ: phải bắt đầu bằng năm (2026, 2026-dot2)",
            f"Invalid wave id “{wave}”: it must start with the year (2026, 2026-dot2)",
        )


@dataclass(frozen=True)
class Problem:
    """One thing wrong in an input file, located as precisely as the format allows.

    ``where`` names the place inside the file: a target id and field for a resolution,
    a row and column for a table.
    """

    file: str
    where: str
    message_vi: str
    message_en: str
    kind: str = "invalid"

    def __str__(self) -> str:
        return f"{self.file}: {self.where}: {self.message_vi} ({self.message_en})"


class InvalidFile(ChisoError):
    """A file failed validation; ``problems`` lists every problem found."""

    status = 400

    def __init__(self, file: str, problems: list[Problem]) -> None:
        count = len(problems)
        super().__init__(
            f"Tệp {file} có {count} lỗi, không nạp gì:\n"
            + "\n".join(f"  - {p.where}: {p.message_vi}" for p in problems),
            f"File {file} has {count} problem(s); nothing was loaded:\n"
            + "\n".join(f"  - {p.where}: {p.message_en}" for p in problems),
        )
        self.file = file
        self.problems = problems

    def __str__(self) -> str:
        return f"{self.message_vi}\n\n{self.message_en}"
