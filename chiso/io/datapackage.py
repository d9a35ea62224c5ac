"""Open data: the store's figures as a Frictionless (Tabular) Data Package.

A folder with ``datapackage.json`` and CSV files under ``data/``:

- ``observations.csv`` — one row per figure (the effective vintage of each cell, or
  every vintage), with its data status, source and the address of the source document;
- ``indicators.csv`` — what each indicator code means, its unit and direction;
- ``areas.csv`` — the administrative units by official GSO code;
- ``assessment.csv`` — when a resolution is given, the assessment of each target.

Each table has a Table Schema (types, Vietnamese titles and descriptions, primary and
foreign keys), and the package lists its licence and every source of the figures, so
a portal (CKAN, data.gov.vn) or ``frictionless validate`` can check it. The JSON is
written here; frictionless is needed only to validate it, not at run time.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chiso import __version__
from chiso.areas import AREA_TYPES
from chiso.assessment import assess_resolution
from chiso.indicators import Catalogue, Direction, Measure
from chiso.io.export import select_observations
from chiso.observations import DataStatus, Observation
from chiso.records import CSV_COLUMNS, assessments_csv
from chiso.targets import Resolution

if TYPE_CHECKING:
    from chiso.store import Store

LICENCES = {
    "CC-BY-4.0": ("Creative Commons Attribution 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    "CC-BY-SA-4.0": (
        "Creative Commons Attribution Share-Alike 4.0",
        "https://creativecommons.org/licenses/by-sa/4.0/",
    ),
    "CC0-1.0": ("CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
    "ODC-BY-1.0": ("Open Data Commons Attribution License 1.0", "https://opendatacommons.org/licenses/by/"),
    "ODbL-1.0": ("Open Data Commons Open Database License 1.0", "https://opendatacommons.org/licenses/odbl/"),
}
MISSING_VALUES = [""]
_WEB_ADDRESS = re.compile(r"^(https?|ftp)://\S+$")

Field = dict[str, Any]


def _field(name: str, type_: str, title: str, description: str, **constraints: Any) -> Field:
    field: Field = {"name": name, "type": type_, "title": title, "description": description}
    if constraints:
        field["constraints"] = constraints
    return field


OBSERVATION_FIELDS = [
    _field(
        "indicator", "string", "Mã chỉ số", "Mã chỉ số trong danh mục (xem indicators.csv).", required=True
    ),
    _field(
        "area",
        "string",
        "Mã địa bàn",
        "Mã đơn vị hành chính theo danh mục của Tổng cục Thống kê (xem areas.csv).",
        required=True,
    ),
    _field(
        "period",
        "string",
        "Kỳ số liệu",
        "Năm (2026), nửa năm (2026-H1), quý (2026-Q1), tháng (2026-M03) hoặc lũy kế từ đầu năm (2026-9M).",
        required=True,
        pattern=r"\d{4}(-(H[12]|Q[1-4]|M(0[1-9]|1[0-2])|([1-9]|1[01])M))?",
    ),
    _field("year", "integer", "Năm", "Năm của kỳ số liệu.", required=True),
    _field("value", "number", "Giá trị", "Giá trị, theo đơn vị tính của chỉ số.", required=True),
    _field(
        "status",
        "string",
        "Trạng thái số liệu",
        "estimate = ước tính, preliminary = sơ bộ, final = chính thức.",
        required=True,
        enum=[s.code for s in DataStatus],
    ),
    _field("source", "string", "Nguồn", "Cơ quan hoặc tài liệu công bố số liệu."),
    _field("url", "string", "Đường dẫn nguồn", "Địa chỉ của tài liệu nguồn, nếu có."),
    _field("note", "string", "Ghi chú", "Ghi chú kèm số liệu."),
    _field(
        "entered_at",
        "datetime",
        "Thời điểm nhập",
        "Thời điểm số liệu được nhập vào hệ thống (UTC, ISO 8601).",
    ),
]
INDICATOR_FIELDS = [
    _field("code", "string", "Mã chỉ số", "Mã chỉ số, không đổi.", required=True, unique=True),
    _field("name", "string", "Tên chỉ số", "Tên chỉ số bằng tiếng Việt.", required=True),
    _field("unit", "string", "Đơn vị tính", "Đơn vị tính của giá trị."),
    _field(
        "direction",
        "string",
        "Chiều tốt",
        "increase = càng cao càng tốt; decrease = càng thấp càng tốt.",
        enum=[d.value for d in Direction],
    ),
    _field(
        "measure",
        "string",
        "Loại số đo",
        "level = mức; growth_rate = tốc độ tăng so với năm trước (%); rank = thứ hạng; "
        "binary = đạt/không đạt (0/1); stage = số giai đoạn đã hoàn thành.",
        enum=[m.value for m in Measure],
    ),
    _field("frequency", "string", "Kỳ báo cáo", "year, half, quarter hoặc month."),
    _field("levels", "string", "Cấp", "Cấp có số liệu: province (tỉnh), commune (xã), cách nhau dấu cách."),
    _field("decimals", "integer", "Số chữ số thập phân", "Số chữ số thập phân khi hiển thị."),
    _field("minimum", "number", "Giá trị nhỏ nhất hợp lệ", "Dùng để kiểm tra số liệu nhập."),
    _field("maximum", "number", "Giá trị lớn nhất hợp lệ", "Dùng để kiểm tra số liệu nhập."),
    _field("formula", "string", "Công thức", "Công thức tính từ các chỉ số khác (chỉ số suy ra)."),
    _field("description", "string", "Mô tả", "Giải thích chỉ số."),
]
AREA_FIELDS = [
    _field(
        "code",
        "string",
        "Mã địa bàn",
        "Mã đơn vị hành chính (Tổng cục Thống kê).",
        required=True,
        unique=True,
    ),
    _field("name", "string", "Tên địa bàn", "Tên đơn vị hành chính.", required=True),
    _field(
        "type",
        "string",
        "Loại đơn vị",
        "tinh = tỉnh, thanh_pho = thành phố trực thuộc trung ương, xa = xã, phuong = phường, "
        "dac_khu = đặc khu.",
        enum=sorted(set(AREA_TYPES.values())),
    ),
    _field("parent", "string", "Mã tỉnh", "Mã tỉnh, thành phố chứa đơn vị (để trống với cấp tỉnh)."),
    _field("border", "boolean", "Xã biên giới", "true nếu là xã, phường biên giới."),
    _field("population", "integer", "Dân số", "Dân số, nếu có."),
]
_ASSESSMENT_TYPES = {
    "latest_value": "number",
    "value": "number",
    "low": "number",
    "high": "number",
    "target_year": "integer",
    "base_value": "number",
    "measured": "number",
    "required_rate": "number",
    "required_rate_remaining": "number",
    "observed_rate": "number",
    "progress_ratio": "number",
    "projection": "number",
}
_ASSESSMENT_TITLES = {
    "id": "Mã chỉ tiêu",
    "number": "Số thứ tự trong nghị quyết",
    "group": "Nhóm chỉ tiêu",
    "indicator": "Mã chỉ số",
    "kind": "Loại chỉ tiêu",
    "status": "Tình trạng (mã)",
    "status_label": "Tình trạng",
    "verdict": "Kết quả cuối nhiệm kỳ",
    "latest_value": "Giá trị mới nhất",
    "latest_period": "Kỳ của giá trị mới nhất",
    "latest_data_status": "Trạng thái số liệu mới nhất",
    "comparator": "Phép so sánh",
    "value": "Mức chỉ tiêu",
    "low": "Cận dưới",
    "high": "Cận trên",
    "target_year": "Năm đích",
    "base_value": "Giá trị gốc",
    "base_period": "Kỳ gốc",
    "measured": "Giá trị được đánh giá",
    "required_rate": "Tốc độ cần đạt (cả nhiệm kỳ)",
    "required_rate_remaining": "Tốc độ cần đạt (các năm còn lại)",
    "observed_rate": "Tốc độ đã đạt",
    "progress_ratio": "Tỷ số tiến độ R",
    "projection": "Dự báo năm đích",
    "explanation": "Diễn giải",
}


def _assessment_fields() -> list[Field]:
    fields = []
    for name in CSV_COLUMNS:
        constraints = {"required": True, "unique": True} if name == "id" else {}
        fields.append(
            _field(
                name,
                _ASSESSMENT_TYPES.get(name, "string"),
                _ASSESSMENT_TITLES.get(name, name),
                _ASSESSMENT_TITLES.get(name, name) + ".",
                **constraints,
            )
        )
    return fields


# --- writing -----------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


def _write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows([_text(v) for v in row] for row in rows)


def _utc(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    aware = value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
    return aware.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _resource(
    folder: Path, name: str, title: str, description: str, fields: list[Field], **schema: Any
) -> dict[str, Any]:
    path = folder / "data" / f"{name}.csv"
    content = path.read_bytes()
    return {
        "profile": "tabular-data-resource",
        "name": name,
        "path": f"data/{name}.csv",
        "title": title,
        "description": description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "bytes": len(content),
        "hash": "sha256:" + hashlib.sha256(content).hexdigest(),
        "schema": {"fields": fields, "missingValues": MISSING_VALUES, **schema},
    }


def _foreign_key(
    fields: str, resource: str, target: str, values: Iterable[str], known: set[str]
) -> list[Any]:
    """A foreign key, declared only when every value has its row (else the package would not validate)."""
    if all(v in known for v in values):
        return [{"fields": fields, "reference": {"resource": resource, "fields": target}}]
    return []


def package_sources(observations: Iterable[Observation]) -> list[dict[str, str]]:
    """Every distinct source of ``observations`` with its address, as Data Package ``sources``."""
    seen: dict[tuple[str, str], dict[str, str]] = {}
    for o in observations:
        title, url = o.source.strip(), o.source_url.strip()
        if not title and not url:
            continue
        entry = {"title": title or url}
        if _WEB_ADDRESS.match(url):
            entry["path"] = url
        elif url:
            entry["title"] = f"{entry['title']} ({url})" if title else url
        seen.setdefault((title, url), entry)
    return [seen[key] for key in sorted(seen)]


def _description(
    observations: Sequence[Observation],
    resolution: Resolution | None,
    as_of: int,
    all_vintages: bool,
) -> str:
    parts = []
    if resolution is not None:
        parts.append(f"Số liệu theo dõi thực hiện {resolution.title}.")
    if observations:
        periods = sorted(o.period for o in observations)
        parts.append(
            f"{len(observations)} giá trị của {len({o.indicator for o in observations})} chỉ số "
            f"tại {len({o.area for o in observations})} địa bàn, từ {periods[0].label} "
            f"đến {periods[-1].label}."
        )
    else:
        parts.append("Chưa có giá trị nào.")
    parts.append(
        "Mọi phiên bản số liệu đã nhập (ước tính, sơ bộ, chính thức và các lần điều chỉnh)."
        if all_vintages
        else "Mỗi ô (chỉ số × địa bàn × kỳ) một giá trị: bản tốt nhất hiện có "
        "(chính thức hơn sơ bộ, sơ bộ hơn ước tính; cùng trạng thái thì bản mới nhất)."
    )
    parts.append(
        "Mỗi giá trị kèm trạng thái, nguồn và đường dẫn đến tài liệu gốc; indicators.csv giải thích "
        "từng chỉ số, areas.csv liệt kê đơn vị hành chính theo mã của Tổng cục Thống kê."
    )
    if resolution is not None:
        parts.append(f"assessment.csv: đánh giá từng chỉ tiêu của nghị quyết đến năm {as_of}.")
    return " ".join(parts)


def write_datapackage(
    store: Store,
    folder: Path | str,
    *,
    catalogue: Catalogue,
    resolution: Resolution | None = None,
    title: str | None = None,
    licence: str = "CC-BY-4.0",
    name: str | None = None,
    as_of: int | None = None,
    all_vintages: bool = False,
    publisher: str = "",
    created: dt.datetime | None = None,
) -> Path:
    """Write the store's figures as a Data Package in ``folder``; return the path of ``datapackage.json``.

    ``catalogue`` should be the one the resolution is read with (it names the
    indicators); ``as_of`` is the year the assessment is made for (default: this
    year). ``publisher`` (e.g. the provincial statistics office) is listed among the
    contributors. Files already in ``folder/data`` with the same names are replaced.
    """
    folder = Path(folder)
    year = as_of or dt.date.today().year
    every = store.observations()
    observations = select_observations(every, all_vintages=all_vintages)
    areas = store.areas()
    _write_csv(
        folder / "data" / "observations.csv",
        [f["name"] for f in OBSERVATION_FIELDS],
        (
            (
                o.indicator,
                o.area,
                o.period.code,
                o.period.year,
                o.value,
                o.status.code,
                o.source,
                o.source_url,
                o.note,
                _utc(o.entered_at),
            )
            for o in observations
        ),
    )
    _write_csv(
        folder / "data" / "indicators.csv",
        [f["name"] for f in INDICATOR_FIELDS],
        (
            (
                i.code,
                i.name,
                i.unit,
                i.direction.value,
                i.measure.value,
                i.frequency,
                " ".join(i.levels),
                i.decimals,
                i.minimum,
                i.maximum,
                i.formula,
                i.description,
            )
            for i in sorted(catalogue, key=lambda i: i.code)
        ),
    )
    _write_csv(
        folder / "data" / "areas.csv",
        [f["name"] for f in AREA_FIELDS],
        ((a.code, a.name, a.type, a.parent, a.border, a.population) for a in areas),
    )
    codes = {i.code for i in catalogue}
    area_codes = {a.code for a in areas}
    resources = [
        _resource(
            folder,
            "observations",
            "Số liệu các chỉ số",
            "Mỗi dòng một giá trị của một chỉ số, tại một địa bàn, trong một kỳ.",
            OBSERVATION_FIELDS,
            **({} if all_vintages else {"primaryKey": ["indicator", "area", "period"]}),
            foreignKeys=_foreign_key(
                "indicator", "indicators", "code", (o.indicator for o in observations), codes
            )
            + _foreign_key("area", "areas", "code", (o.area for o in observations), area_codes),
        ),
        _resource(
            folder,
            "indicators",
            "Danh mục chỉ số",
            "Tên, đơn vị tính, chiều tốt và cách tính của từng chỉ số.",
            INDICATOR_FIELDS,
            primaryKey=["code"],
        ),
        _resource(
            folder,
            "areas",
            "Đơn vị hành chính",
            "Tỉnh, thành phố và xã, phường, đặc khu theo mã của Tổng cục Thống kê.",
            AREA_FIELDS,
            primaryKey=["code"],
            # An empty reference resource means this same table.
            foreignKeys=_foreign_key("parent", "", "code", (a.parent for a in areas if a.parent), area_codes),
        ),
    ]
    if resolution is not None:
        assessments = assess_resolution(resolution, catalogue, every, as_of=year, areas=areas)
        path = folder / "data" / "assessment.csv"
        path.write_text(assessments_csv(assessments), encoding="utf-8", newline="")
        resources.append(
            _resource(
                folder,
                "assessment",
                f"Đánh giá thực hiện các chỉ tiêu đến năm {year}",
                f"Tình trạng từng chỉ tiêu của {resolution.title}, với số liệu gốc, mới nhất, "
                "tốc độ cần đạt và dự báo.",
                _assessment_fields(),
                primaryKey=["id"],
                foreignKeys=_foreign_key(
                    "indicator", "indicators", "code", (t.indicator for t in resolution.targets), codes
                ),
            )
        )
    licence_title, licence_path = LICENCES.get(licence, (licence, ""))
    contributors = [{"title": f"chiso {__version__}", "role": "wrangler"}]
    if publisher:
        contributors.insert(0, {"title": publisher, "role": "publisher"})
    keywords = ["Việt Nam", "chỉ số", "số liệu thống kê"]
    if resolution is not None:
        keywords += ["nghị quyết", resolution.province_name or resolution.province]
    descriptor: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": name or (f"chiso-{resolution.id}" if resolution is not None else "chiso-observations"),
        "title": title
        or (f"Số liệu theo dõi {resolution.title}" if resolution is not None else "Số liệu các chỉ số"),
        "description": _description(observations, resolution, year, all_vintages),
        "version": "1.0.0",
        "created": _utc(created or dt.datetime.now(dt.UTC)),
        "keywords": keywords,
        "licenses": [
            {"name": licence, "title": licence_title, **({"path": licence_path} if licence_path else {})}
        ],
        "sources": package_sources(observations),
        "contributors": contributors,
        "resources": resources,
    }
    target = folder / "datapackage.json"
    target.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return target
