"""Public HTML pages: the overview, a page per target, the communes map and a page per commune.

Each view parses its query, asks the snapshot and :mod:`chiso.web.present` for what to
show, and renders a template. Pages read without JavaScript; htmx only swaps the
overview's results when a filter changes, and charts draw over tables that hold
their numbers.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from chiso.assessment import Status, summarise
from chiso.targets import TargetKind
from chiso.web import present
from chiso.web.charts import choropleth, target_chart
from chiso.web.deps import snapshot_of
from chiso.web.errors import AreaNotFound, InvalidParameter
from chiso.web.snapshot import Snapshot, boundaries_path
from chiso.web.tasks_pages import target_tasks
from chiso.web.templating import render

router = APIRouter(include_in_schema=False)

Year = Annotated[int | None, Query(ge=2000, le=2100, description="Đánh giá với số liệu đến năm này")]


def _year(snapshot: Snapshot, as_of: int | None) -> int:
    return as_of if as_of is not None else snapshot.latest_year


def _status(value: str | None) -> Status | None:
    if not value:
        return None
    try:
        return Status(value)
    except ValueError:
        raise InvalidParameter(
            "status",
            "không có trạng thái này; dùng: " + ", ".join(s.value for s in Status),
            "unknown status; use: " + ", ".join(s.value for s in Status),
        ) from None


def _group(snapshot: Snapshot, value: str | None) -> str | None:
    if not value:
        return None
    ids = [g.id for g in snapshot.resolution.groups]
    if value not in ids:
        raise InvalidParameter(
            "group", "không có nhóm này; dùng: " + ", ".join(ids), "unknown group; use: " + ", ".join(ids)
        )
    return value


@router.get("/", name="overview")
def overview_page(
    request: Request,
    as_of: Year = None,
    status: Annotated[str | None, Query(max_length=40)] = None,
    group: Annotated[str | None, Query(max_length=100)] = None,
) -> Response:
    """The resolution's targets by group with their status, latest figure and target."""
    snapshot = snapshot_of(request)
    year = _year(snapshot, as_of)
    wanted_status, wanted_group = _status(status), _group(snapshot, group)
    assessments = snapshot.assessments(year)
    groups, shown = present.overview(snapshot, assessments, status=wanted_status, group=wanted_group)
    context = {
        "snapshot": snapshot,
        "year": year,
        "years": snapshot.years(),
        "groups": groups,
        "shown": shown,
        "total": len(assessments),
        "summary": summarise(assessments),
        "counts": present.status_counts(assessments),
        "status": wanted_status,
        "group": wanted_group,
        "statuses": list(Status),
    }
    partial = request.headers.get("HX-Request") == "true" and request.headers.get("HX-Target") == "ket-qua"
    response = render(request, "_results.html" if partial else "overview.html", context, section="overview")
    response.headers["Vary"] = "HX-Request, HX-Target"
    return response


@router.get("/chi-tieu/{target_id}", name="target")
def target_page(request: Request, target_id: str, as_of: Year = None) -> Response:
    """One target: chart, the numbers behind its status, the explanation and every source."""
    snapshot = snapshot_of(request)
    year = _year(snapshot, as_of)
    a = snapshot.assessment(target_id, year)
    chart = target_chart(a, snapshot.target_series(a))
    return render(
        request,
        "target.html",
        {
            "snapshot": snapshot,
            "year": year,
            "years": snapshot.years(),
            "a": a,
            "original": snapshot.resolution.target(a.target.id),
            "group_name": snapshot.resolution.group_name(a.target.group),
            "kind_label": present.kind_label(a.target),
            "chart": chart,
            "facts": present.facts(a),
            "sources": present.sources(a, snapshot),
            "units": present.share_units(a, snapshot) if a.target.kind is TargetKind.SHARE_OF_UNITS else [],
            "condition": present.condition_text(a),
            "target_tasks": target_tasks(request, a.target.id),
        },
        section="overview",
    )


@router.get("/xa-phuong", name="communes")
def communes_page(
    request: Request,
    indicator: Annotated[str | None, Query(max_length=100)] = None,
    year: Year = None,
) -> Response:
    """A commune-level indicator on a map of the communes (when boundaries are configured) and in a table."""
    snapshot = snapshot_of(request)
    layers = present.commune_layers(snapshot)
    layer = present.pick_layer(layers, indicator)
    years = present.layer_years(snapshot, layer) if layer else []
    chosen = year if year is not None else (years[0] if years else None)
    values = present.commune_values(snapshot, layer, chosen) if layer else []
    boundaries = boundaries_path(request.app.state.boundaries)
    chart = None
    if boundaries is not None and layer is not None:
        chart = choropleth(
            title=layer.name,
            unit=layer.unit,
            decimals=layer.decimals,
            values=[(v.area.code, v.area.name, v.value) for v in values],
            geojson_url=str(request.url_for("boundaries").path),
            map_name=f"xa-phuong-{snapshot.province}",
        )
    return render(
        request,
        "communes.html",
        {
            "snapshot": snapshot,
            "layers": layers,
            "layer": layer,
            "years": years,
            "year": chosen,
            "values": values,
            "chart": chart,
            "has_boundaries": boundaries is not None,
            "reported": sum(1 for v in values if v.value is not None),
        },
        section="communes",
    )


@router.get("/xa-phuong/{code}", name="commune")
def commune_page(request: Request, code: str, as_of: Year = None) -> Response:
    """One commune: its figures and how it stands on the targets that count communes."""
    snapshot = snapshot_of(request)
    area = snapshot.area(code)
    if area is None or not area.is_commune:
        raise AreaNotFound(code)
    year = _year(snapshot, as_of)
    return render(
        request,
        "commune.html",
        {
            "snapshot": snapshot,
            "area": area,
            "type_label": present.area_type_label(area),
            "figures": present.commune_figures(snapshot, code),
            "memberships": present.commune_targets(snapshot, code, year),
            "year": year,
        },
        section="communes",
    )
