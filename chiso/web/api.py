"""The open API under ``/api``: resolutions, targets with assessment, indicators, figures, areas.

Every collection answers JSON, or CSV with ``?format=csv`` (UTF-8 with a byte-order
mark, so Excel shows Vietnamese letters). Every error is ``{"error": {...}}``
(:mod:`chiso.web.errors`). ``/api/docs`` documents the endpoints from the OpenAPI
document, rendered on the server (no CDN).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse, Response

from chiso.areas import Area
from chiso.assessment import Assessment, Status, summarise
from chiso.io.export import COLUMNS, export_rows, select_observations
from chiso.observations import Observation
from chiso.records import CSV_COLUMNS, assessment_record, assessments_csv
from chiso.web import present
from chiso.web.charts import target_chart
from chiso.web.deps import is_public, snapshot_of
from chiso.web.errors import (
    ERROR_RESPONSES,
    AreaNotFound,
    BoundariesNotConfigured,
    InvalidParameter,
    ResolutionNotFound,
)
from chiso.web.schemas import (
    AreaDetail,
    AreaList,
    AreaOut,
    ChartOut,
    ChartRowOut,
    GroupOut,
    IndicatorDetail,
    IndicatorList,
    ObservationList,
    ObservationOut,
    ResolutionDetail,
    ResolutionList,
    ResolutionSummary,
    SummaryOut,
    TargetAssessment,
    TargetDetail,
    TargetList,
    TargetRef,
)
from chiso.web.snapshot import Snapshot, boundaries_path, load_snapshot
from chiso.web.templating import render

router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)

Format = Annotated[Literal["json", "csv"], Query(description="json (mặc định) hoặc csv")]
AsOf = Annotated[int | None, Query(ge=2000, le=2100, description="Đánh giá với số liệu đến năm này")]
CSV_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "JSON hoặc CSV"}
}


def csv_response(header: Sequence[str], rows: Iterable[Sequence[Any]], filename: str) -> Response:
    """CSV text (UTF-8 with BOM) as a download named ``filename``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return _csv("\ufeff" + out.getvalue(), filename)


def _csv(text: str, filename: str) -> Response:
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _snapshot(request: Request, resolution_id: str) -> Snapshot:
    """The snapshot of a stored resolution (or the installation's own), 404 otherwise."""
    default = snapshot_of(request)
    if resolution_id == default.resolution.id:
        return default
    if resolution_id not in request.app.state.store.resolution_ids():
        raise ResolutionNotFound(resolution_id)
    return load_snapshot(request.app.state.store, resolution_id, public=is_public(request))


def _year(snapshot: Snapshot, as_of: int | None) -> int:
    return as_of if as_of is not None else snapshot.latest_year


def _page(request: Request, name: str, **params: str) -> str:
    return str(request.url_for(name, **params).path)


def _assessment(request: Request, a: Assessment, snapshot: Snapshot) -> dict[str, Any]:
    record = assessment_record(a, snapshot.resolution)
    record["page"] = _page(request, "target", target_id=a.target.id)
    return record


# --- resolutions and targets ------------------------------------------------------------------


@router.get("/resolutions", response_model=ResolutionList, responses=CSV_RESPONSE, summary="Các nghị quyết")
def list_resolutions(request: Request, format: Format = "json") -> Any:
    """Các nghị quyết lưu trong hệ thống. / The stored resolutions."""
    default = snapshot_of(request)
    ids = list(dict.fromkeys([default.resolution.id, *request.app.state.store.resolution_ids()]))
    items = []
    for rid in ids:
        res = (
            default
            if rid == default.resolution.id
            else load_snapshot(request.app.state.store, rid, public=is_public(request))
        ).resolution
        items.append(
            ResolutionSummary(
                id=res.id,
                title=res.title,
                province=res.province,
                province_name=res.province_name,
                status=res.status.value,
                term=res.term,
                targets=len(res.targets),
                default=rid == default.resolution.id,
            )
        )
    if format == "csv":
        header = ["id", "title", "province", "province_name", "status", "term_start", "term_end", "targets"]
        rows = [
            [r.id, r.title, r.province, r.province_name, r.status, r.term[0], r.term[1], r.targets]
            for r in items
        ]
        return csv_response(header, rows, "nghi-quyet.csv")
    return ResolutionList(items=items)


@router.get("/resolutions/{resolution_id}", response_model=ResolutionDetail, summary="Một nghị quyết")
def get_resolution(request: Request, resolution_id: str) -> Any:
    """Một nghị quyết: nhóm chỉ tiêu và định nghĩa từng chỉ tiêu.

    A resolution, its groups and the definition of every target.
    """
    res = _snapshot(request, resolution_id).resolution
    return ResolutionDetail(
        id=res.id,
        title=res.title,
        province=res.province,
        province_name=res.province_name,
        status=res.status.value,
        document=res.document,
        source=res.source,
        term=res.term,
        groups=[GroupOut(id=g.id, name=g.name) for g in res.groups],
        targets=[t.model_dump(mode="json", exclude_defaults=True) for t in res.targets],
    )


@router.get(
    "/resolutions/{resolution_id}/targets",
    response_model=TargetList,
    responses=CSV_RESPONSE,
    summary="Chỉ tiêu kèm đánh giá",
)
def list_targets(
    request: Request,
    resolution_id: str,
    as_of: AsOf = None,
    status: Annotated[Status | None, Query(description="Chỉ các chỉ tiêu có trạng thái này")] = None,
    group: Annotated[str | None, Query(max_length=100, description="Chỉ một nhóm chỉ tiêu")] = None,
    format: Format = "json",
) -> Any:
    """Mọi chỉ tiêu với đánh giá đến năm `as_of` (mặc định: năm mới nhất có số liệu).

    Every target with its assessment as of a year (default: the latest year with data).
    """
    snapshot = _snapshot(request, resolution_id)
    year = _year(snapshot, as_of)
    assessments = snapshot.assessments(year)
    groups = [g.id for g in snapshot.resolution.groups]
    if group is not None and group not in groups:
        raise InvalidParameter(
            "group",
            "không có nhóm này; dùng: " + ", ".join(groups),
            "unknown group; use: " + ", ".join(groups),
        )
    shown = [
        a
        for a in assessments
        if (status is None or a.status is status) and (group is None or a.target.group == group)
    ]
    if format == "csv":
        return _csv("\ufeff" + assessments_csv(shown), f"chi-tieu-{snapshot.resolution.id}-{year}.csv")
    summary = summarise(assessments)
    return TargetList(
        resolution=snapshot.resolution.id,
        as_of=year,
        summary=SummaryOut(
            total=summary.total,
            by_status={s.value: n for s, n in summary.by_status.items()},
            sentence=summary.sentence(),
        ),
        items=[TargetAssessment.model_validate(_assessment(request, a, snapshot)) for a in shown],
    )


@router.get(
    "/resolutions/{resolution_id}/targets/{target_id}",
    response_model=TargetDetail,
    responses=CSV_RESPONSE,
    summary="Một chỉ tiêu kèm đánh giá và số liệu biểu đồ",
)
def get_target(
    request: Request, resolution_id: str, target_id: str, as_of: AsOf = None, format: Format = "json"
) -> Any:
    """Một chỉ tiêu: đánh giá, lộ trình, dự báo; CSV là bảng số liệu của biểu đồ theo năm.

    One target: its assessment and chart data; as CSV, the chart's table year by year.
    """
    snapshot = _snapshot(request, resolution_id)
    a = snapshot.assessment(target_id, _year(snapshot, as_of))
    chart = target_chart(a, snapshot.target_series(a))
    rows = [
        ChartRowOut(
            year=r.year,
            actual=r.actual,
            data_status=r.status.code if r.status is not None else None,
            source=r.source,
            path=r.path,
            projection=r.projection,
            is_base=r.is_base,
        )
        for r in (chart.rows if chart else ())
    ]
    if format == "csv":
        header = list(ChartRowOut.model_fields)
        return csv_response(
            header,
            ([getattr(r, c) if getattr(r, c) is not None else "" for c in header] for r in rows),
            f"chi-tieu-{target_id}.csv",
        )
    chart_out = (
        ChartOut(mode=chart.mode, unit=chart.unit, band=chart.band, target_line=chart.target_line, rows=rows)
        if chart
        else None
    )
    return TargetDetail.model_validate({**_assessment(request, a, snapshot), "chart": chart_out})


# --- indicators ------------------------------------------------------------------------------


@router.get("/indicators", response_model=IndicatorList, responses=CSV_RESPONSE, summary="Danh mục chỉ số")
def list_indicators(
    request: Request,
    level: Annotated[
        Literal["province", "commune"] | None, Query(description="Chỉ chỉ số có cấp này")
    ] = None,
    format: Format = "json",
) -> Any:
    """Danh mục chỉ số (kèm các chỉ số nghị quyết khai báo thêm). / The indicator catalogue."""
    items = [i for i in snapshot_of(request).catalogue if level is None or level in i.levels]
    if format == "csv":
        header = [
            "code",
            "name",
            "unit",
            "direction",
            "measure",
            "frequency",
            "levels",
            "decimals",
            "formula",
        ]
        rows = [
            [
                i.code,
                i.name,
                i.unit,
                i.direction.value,
                i.measure.value,
                i.frequency,
                " ".join(i.levels),
                i.decimals,
                i.formula or "",
            ]
            for i in items
        ]
        return csv_response(header, rows, "chi-so.csv")
    return IndicatorList(items=items)


@router.get("/indicators/{code}", response_model=IndicatorDetail, summary="Một chỉ số")
def get_indicator(request: Request, code: str) -> Any:
    """Một chỉ số và các chỉ tiêu dùng nó. / An indicator and the targets reading it."""
    snapshot = snapshot_of(request)
    indicator = snapshot.catalogue.get(code)
    targets = [
        TargetRef(resolution=snapshot.resolution.id, id=t.id, text=t.text)
        for t in snapshot.resolution.targets
        if t.indicator == code
    ]
    return IndicatorDetail(indicator=indicator, targets=targets)


# --- observations ------------------------------------------------------------------------------


def _observation_records(snapshot: Snapshot, observations: Sequence[Observation]) -> list[dict[str, Any]]:
    names = {a.code: a.name for a in snapshot.areas}
    return [row.record() for row in export_rows(observations, snapshot.catalogue, names)]


def _plain(value: Any) -> Any:
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return value


@router.get("/observations", response_model=ObservationList, responses=CSV_RESPONSE, summary="Số liệu")
def list_observations(
    request: Request,
    indicator: Annotated[list[str] | None, Query(description="Mã chỉ số (lặp lại được)")] = None,
    area: Annotated[list[str] | None, Query(description="Mã đơn vị hành chính (lặp lại được)")] = None,
    year: Annotated[list[int] | None, Query(description="Năm (lặp lại được)")] = None,
    all_vintages: Annotated[
        bool, Query(description="Mọi lần công bố và điều chỉnh, không chỉ số liệu được dùng")
    ] = False,
    limit: Annotated[int, Query(ge=1, le=100_000)] = 10_000,
    offset: Annotated[int, Query(ge=0)] = 0,
    format: Format = "json",
) -> Any:
    """Số liệu theo chỉ số, địa bàn, năm: mặc định giá trị được dùng của mỗi ô (chính thức > sơ bộ > ước tính,
    rồi mới nhất); `all_vintages=true` thêm mọi lần công bố trước.

    Figures, by default each cell's effective one; the CSV loads back with `chiso import`.
    """
    snapshot = snapshot_of(request)
    for code in indicator or ():
        snapshot.catalogue.get(code)
    for code in area or ():
        if snapshot.area(code) is None:
            raise AreaNotFound(code)
    wanted_i, wanted_a = set(indicator or ()), set(area or ())
    chosen = select_observations(
        (
            o
            for o in snapshot.observations
            if (not wanted_i or o.indicator in wanted_i) and (not wanted_a or o.area in wanted_a)
        ),
        years=year or None,
        all_vintages=all_vintages,
    )
    page = chosen[offset : offset + limit]
    records = _observation_records(snapshot, page)
    if format == "csv":
        return csv_response(COLUMNS, ([_plain(r[c]) for c in COLUMNS] for r in records), "so-lieu.csv")
    return ObservationList(
        total=len(chosen),
        limit=limit,
        offset=offset,
        items=[ObservationOut.model_validate(r) for r in records],
    )


# --- areas ----------------------------------------------------------------------------------


def _area(request: Request, area: Area) -> AreaOut:
    return AreaOut(
        code=area.code,
        name=area.name,
        type=area.type,
        type_label=present.area_type_label(area),
        parent=area.parent,
        border=area.border,
        population=area.population,
        page=_page(request, "commune", code=area.code) if area.is_commune else None,
    )


AREA_COLUMNS = ["code", "name", "type", "type_label", "parent", "border", "population"]


@router.get("/areas", response_model=AreaList, responses=CSV_RESPONSE, summary="Đơn vị hành chính")
def list_areas(
    request: Request,
    type: Annotated[str | None, Query(max_length=20, description="tinh, xa, phuong, …")] = None,
    border: Annotated[bool | None, Query(description="Chỉ xã biên giới (true) hoặc không (false)")] = None,
    format: Format = "json",
) -> Any:
    """Tỉnh, rồi các xã, phường theo mã (danh mục của Cục Thống kê). / The province, then its communes."""
    items = [
        _area(request, a)
        for a in sorted(snapshot_of(request).areas, key=lambda a: (a.is_commune, a.code))
        if (type is None or a.type == type) and (border is None or a.border == border)
    ]
    if format == "csv":
        rows = ([getattr(a, c) if getattr(a, c) is not None else "" for c in AREA_COLUMNS] for a in items)
        return csv_response(AREA_COLUMNS, rows, "don-vi-hanh-chinh.csv")
    return AreaList(items=items)


@router.get(
    "/areas/{code}", response_model=AreaDetail, responses=CSV_RESPONSE, summary="Một đơn vị hành chính"
)
def get_area(request: Request, code: str, format: Format = "json") -> Any:
    """Một đơn vị hành chính và mọi số liệu được dùng của nó. / An area and its effective figures."""
    snapshot = snapshot_of(request)
    area = snapshot.area(code)
    if area is None:
        raise AreaNotFound(code)
    figures = select_observations(o for o in snapshot.observations if o.area == code)
    records = _observation_records(snapshot, figures)
    if format == "csv":
        return csv_response(
            COLUMNS, ([_plain(r[c]) for c in COLUMNS] for r in records), f"so-lieu-{code}.csv"
        )
    return AreaDetail(area=_area(request, area), figures=[ObservationOut.model_validate(r) for r in records])


@router.get(
    "/boundaries",
    name="boundaries",
    summary="Ranh giới xã, phường (GeoJSON)",
    response_class=FileResponse,
    responses={200: {"content": {"application/geo+json": {}}, "description": "GeoJSON"}},
)
def get_boundaries(request: Request) -> Any:
    """Ranh giới các xã, phường (GeoJSON, thuộc tính `code` là mã đơn vị). / Commune boundaries."""
    path = boundaries_path(request.app.state.boundaries)
    if path is None:
        raise BoundariesNotConfigured()
    return FileResponse(
        path, media_type="application/geo+json", headers={"Cache-Control": "public, max-age=3600"}
    )


@router.get("/docs", include_in_schema=False, name="api_docs")
def api_docs(request: Request) -> Response:
    """The API documentation, rendered from the OpenAPI document."""
    schema = request.app.openapi()
    endpoints = []
    for path, operations in schema.get("paths", {}).items():
        for method, op in operations.items():
            params = [
                {
                    "name": p["name"],
                    "in": {"path": "đường dẫn", "query": "truy vấn"}.get(p["in"], p["in"]),
                    "required": p.get("required", False),
                    "description": p.get("description", ""),
                }
                for p in op.get("parameters", [])
            ]
            endpoints.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "params": params,
                    "csv": "text/csv" in op.get("responses", {}).get("200", {}).get("content", {}),
                }
            )
    return render(
        request,
        "api_docs.html",
        {"endpoints": endpoints, "snapshot": snapshot_of(request), "csv_columns": CSV_COLUMNS},
        section="api",
    )
