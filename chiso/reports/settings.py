"""Report settings per province: letterhead, number and symbol, signer, recipients, template.

Stored in the database (table ``report_settings``), one row per province, so the web
app and the command line print the same letterhead. Until the office saves its own,
a province gets defaults built from its name; every default an office must check is
written in square brackets ("[Họ và tên người ký]") and the report says the settings
are still the defaults.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

from chiso.store.db import Store
from chiso.store.models import AuditEntry, utcnow
from chiso.store.report_models import ReportSettingsRow

_FIELDS = (
    "parent_agency",
    "agency",
    "place",
    "number",
    "symbol",
    "signer_authority",
    "signer_title",
    "signer_name",
    "recipients",
)


@dataclass(frozen=True)
class ReportSettings:
    """Who issues the report and who receives it.

    ``number`` is normally left blank: the văn thư writes it when the report is issued
    ("Số:      /BC-VPTU"). ``recipients`` are the lines of "Nơi nhận", the last being
    "Lưu: VT." as the decree requires. ``is_default`` is true until an office saves its
    own settings.
    """

    province: str
    parent_agency: str
    agency: str
    place: str
    number: str = ""
    symbol: str = "BC"
    signer_authority: str = ""
    signer_title: str = ""
    signer_name: str = ""
    recipients: tuple[str, ...] = ()
    template: bytes | None = field(default=None, repr=False)
    template_name: str = ""
    is_default: bool = False

    @property
    def number_text(self) -> str:
        """The number and symbol as printed: "12/BC-VPTU", or "      /BC-VPTU" before issue."""
        return f"{self.number or ' ' * 6}/{self.symbol}"

    @property
    def recipient_lines(self) -> tuple[str, ...]:
        """ "Nơi nhận" lines: "- X;" each, the last "- Lưu: VT."."""
        lines = [r.strip().lstrip("-").strip().rstrip(";.") for r in self.recipients if r.strip()]
        if not any(line.lower().startswith("lưu") for line in lines):
            lines.append("Lưu: VT")
        return tuple(f"- {line}{'.' if i == len(lines) - 1 else ';'}" for i, line in enumerate(lines))

    def as_dict(self) -> dict[str, Any]:
        """The settings as a JSON-ready mapping (without the template bytes)."""
        data = asdict(self)
        data.pop("template")
        data["recipients"] = list(self.recipients)
        data["has_template"] = self.template is not None
        return data


_PROVINCE_NAMES = {"04": "Cao Bằng"}


def default_settings(province: str, province_name: str = "") -> ReportSettings:
    """Placeholders for a province that has not saved its settings yet.

    For Cao Bằng (04) the report is issued by the Văn phòng Tỉnh ủy; the number, signer
    and the list of recipients are for the office to fill.
    """
    name = province_name or _PROVINCE_NAMES.get(province, "")
    upper = name.upper() if name else "[TÊN TỈNH]"
    return ReportSettings(
        province=province,
        parent_agency=f"TỈNH ỦY {upper}",
        agency="VĂN PHÒNG",
        place=name or "[Địa danh]",
        number="",
        symbol="BC-VPTU",
        signer_authority="",
        signer_title="CHÁNH VĂN PHÒNG",
        signer_name="[Họ và tên người ký]",
        recipients=(
            "Thường trực Tỉnh ủy (để báo cáo)",
            "Các đồng chí Ủy viên Ban Thường vụ Tỉnh ủy",
            "Ủy ban nhân dân tỉnh",
            "[Các sở, ban, ngành liên quan]",
            "Lưu: VT",
        ),
        is_default=True,
    )


def load_report_settings(store: Store, province: str, province_name: str = "") -> ReportSettings:
    """The saved settings of ``province``, or its defaults."""
    with store.session() as s:
        row = s.get(ReportSettingsRow, province)
        if row is None:
            return default_settings(province, province_name)
        return ReportSettings(
            province=row.province,
            parent_agency=row.parent_agency,
            agency=row.agency,
            place=row.place,
            number=row.number,
            symbol=row.symbol,
            signer_authority=row.signer_authority,
            signer_title=row.signer_title,
            signer_name=row.signer_name,
            recipients=tuple(row.recipients or ()),
            template=row.template,
            template_name=row.template_name,
        )


def save_report_settings(store: Store, settings: ReportSettings, *, actor: str = "") -> ReportSettings:
    """Save ``settings`` for its province (insert or update, audited) and return them as stored."""
    after = {k: getattr(settings, k) for k in _FIELDS}
    after["recipients"] = list(settings.recipients)
    with store.session() as s:
        row = s.get(ReportSettingsRow, settings.province)
        before = None
        if row is None:
            row = ReportSettingsRow(province=settings.province)
            s.add(row)
        else:
            before = {k: getattr(row, k) for k in _FIELDS}
            before["template_name"] = row.template_name
        for key, value in after.items():
            setattr(row, key, value)
        row.template = settings.template
        row.template_name = settings.template_name if settings.template is not None else ""
        row.updated_at, row.updated_by = utcnow(), actor
        s.add(
            AuditEntry(
                actor=actor,
                action="insert" if before is None else "update",
                entity="report_settings",
                entity_id=settings.province,
                before=before,
                after={**after, "template_name": row.template_name},
            )
        )
    return replace(settings, is_default=False)
