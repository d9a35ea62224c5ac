"""The open API: every endpoint as JSON and CSV, one error shape, the OpenAPI document."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from chiso.io.long_csv import read_long_csv
from chiso.records import CSV_COLUMNS
from chiso.resolutions import load_resolution, resolve_resolution_path
from tests.web.conftest import GEOJSON

RESOLUTION = "cao-bang-2025-2030"
TARGETS = f"/api/resolutions/{RESOLUTION}/targets"


def rows(response: Any) -> list[dict[str, str]]:
    """A CSV response as dictionaries; it must be UTF-8 with a byte-order mark, for Excel."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    assert response.content.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    """The one error shape, with a Vietnamese and an English message."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"code", "message", "message_en", "status", "details"}
    assert error["code"] == code and error["status"] == status
    assert error["message"] and error["message_en"] and isinstance(error["details"], list)
    return error


def test_resolutions(client: TestClient) -> None:
    items = client.get("/api/resolutions").json()["items"]
    by_id = {r["id"]: r for r in items}
    assert by_id[RESOLUTION]["default"] is True and by_id[RESOLUTION]["targets"] == 33
    assert by_id[RESOLUTION]["province_name"] == "Cao Bằng" and by_id[RESOLUTION]["term"] == [2025, 2030]
    assert "cao-bang-2020-2025" in by_id
    table = rows(client.get("/api/resolutions", params={"format": "csv"}))
    assert {r["id"] for r in table} == set(by_id)


def test_one_resolution_with_its_targets_definitions(client: TestClient) -> None:
    body = client.get(f"/api/resolutions/{RESOLUTION}").json()
    assert [g["id"] for g in body["groups"]][:2] == ["kinh_te", "van_hoa_xa_hoi"]
    target = next(t for t in body["targets"] if t["id"] == "1b")
    assert target["comparator"] == "between" and target["low"] == 75 and target["high"] == 80
    assert_error(client.get("/api/resolutions/khong-co"), 404, "resolution_not_found")


def test_targets_with_assessment(client: TestClient) -> None:
    resolution, _ = load_resolution(resolve_resolution_path(RESOLUTION))
    body = client.get(TARGETS).json()
    assert body["resolution"] == RESOLUTION and body["as_of"] >= 2025
    assert [t["id"] for t in body["items"]] == [t.id for t in resolution.targets]
    assert body["summary"]["total"] == 33 and sum(body["summary"]["by_status"].values()) == 33
    assert body["summary"]["sentence"].endswith(".")
    first = body["items"][0]
    assert first["page"] == "/chi-tieu/1a" and first["status_label"] and first["explanation"]
    table = rows(client.get(TARGETS, params={"format": "csv"}))
    assert list(table[0]) == list(CSV_COLUMNS) and len(table) == 33


def test_targets_of_another_stored_resolution(client: TestClient) -> None:
    body = client.get("/api/resolutions/cao-bang-2020-2025/targets", params={"as_of": 2025}).json()
    assert body["resolution"] == "cao-bang-2020-2025" and body["items"]
    assert sum(body["summary"]["by_status"].values()) == len(body["items"])


def test_targets_filter_and_year(client: TestClient) -> None:
    kinh_te = client.get(TARGETS, params={"group": "kinh_te"}).json()["items"]
    assert kinh_te and all(t["group"] == "kinh_te" for t in kinh_te)
    no_data = client.get(TARGETS, params={"status": "no_data"}).json()
    assert len(no_data["items"]) == no_data["summary"]["by_status"]["no_data"]
    assert client.get(TARGETS, params={"as_of": 2025}).json()["as_of"] == 2025
    error = assert_error(client.get(TARGETS, params={"status": "tot"}), 422, "invalid_parameters")
    assert error["details"][0]["location"] == "status"
    assert_error(client.get(TARGETS, params={"group": "khong"}), 422, "invalid_parameter")
    assert_error(client.get(TARGETS, params={"as_of": 1900}), 422, "invalid_parameters")
    assert_error(client.get(TARGETS, params={"format": "xml"}), 422, "invalid_parameters")


def test_one_target_with_chart_data(client: TestClient) -> None:
    body = client.get(f"{TARGETS}/1b").json()
    assert body["id"] == "1b" and body["target"]["low"] == 75
    chart = body["chart"]
    assert chart["mode"] == "level" and chart["band"] == [75, 80]
    years = {r["year"]: r for r in chart["rows"]}
    assert years[2025]["actual"] == 50.73 and years[2025]["is_base"]
    assert years[2030]["path"] == pytest.approx(75)
    table = rows(client.get(f"{TARGETS}/1b", params={"format": "csv"}))
    assert list(table[0]) == ["year", "actual", "data_status", "source", "path", "projection", "is_base"]
    assert table[-1]["year"] == "2030"
    share = client.get(f"{TARGETS}/7").json()
    assert share["coverage"]["eligible"] == 53 and len(share["coverage"]["meeting_units"]) == 7
    assert_error(client.get(f"{TARGETS}/zzz"), 404, "target_not_found")


def test_indicators(client: TestClient) -> None:
    items = client.get("/api/indicators").json()["items"]
    codes = {i["code"] for i in items}
    assert {"grdp_growth", "hpi_score", "new_rural_standard"} <= codes
    commune = client.get("/api/indicators", params={"level": "commune"}).json()["items"]
    assert commune and all("commune" in i["levels"] for i in commune)
    table = rows(client.get("/api/indicators", params={"format": "csv"}))
    assert {r["code"] for r in table} == codes
    one = client.get("/api/indicators/grdp_growth").json()
    assert one["indicator"]["name"].startswith("Tốc độ tăng trưởng") and one["targets"][0]["id"] == "1a"
    error = assert_error(client.get("/api/indicators/zzz"), 404, "indicator_not_found")
    assert "zzz" in error["message"]


def test_observations(client: TestClient, tmp_path: Path, catalogue: Any) -> None:
    body = client.get("/api/observations", params={"indicator": "grdp_growth", "area": "04"}).json()
    assert body["total"] == len(body["items"]) > 3
    assert {o["indicator"] for o in body["items"]} == {"grdp_growth"}
    assert all(o["source"] and o["status"] in {"estimate", "preliminary", "final"} for o in body["items"])
    one_year = client.get("/api/observations", params={"indicator": "hpi_score", "year": 2026}).json()
    assert one_year["total"] == 56
    page = client.get("/api/observations", params={"limit": 5, "offset": 5}).json()
    assert page["limit"] == 5 and len(page["items"]) == 5 and page["total"] > 100
    every = client.get("/api/observations", params={"all_vintages": True}).json()["total"]
    assert every >= client.get("/api/observations").json()["total"]
    # The CSV loads back into chiso unchanged.
    response = client.get("/api/observations", params={"indicator": "grdp_growth", "format": "csv"})
    table = rows(response)
    file = tmp_path / "so-lieu.csv"
    file.write_bytes(response.content)
    again = read_long_csv(file, catalogue)
    assert len(again) == len(table) and {o.indicator for o in again} == {"grdp_growth"}
    assert_error(client.get("/api/observations", params={"indicator": "zzz"}), 404, "indicator_not_found")
    assert_error(client.get("/api/observations", params={"area": "99999"}), 404, "area_not_found")
    assert_error(client.get("/api/observations", params={"limit": 0}), 422, "invalid_parameters")


def test_areas(client: TestClient) -> None:
    items = client.get("/api/areas").json()["items"]
    assert len(items) == 57 and items[0]["code"] == "04"
    xa = client.get("/api/areas", params={"type": "xa"}).json()["items"]
    assert len(xa) == 53 and xa[0]["page"].startswith("/xa-phuong/")
    table = rows(client.get("/api/areas", params={"format": "csv"}))
    assert len(table) == 57 and table[1]["name"].startswith(("Phường", "Xã"))
    one = client.get(f"/api/areas/{xa[0]['code']}").json()
    assert one["area"]["type_label"] == "Xã" and {f["indicator"] for f in one["figures"]} >= {"hpi_score"}
    assert rows(client.get(f"/api/areas/{xa[0]['code']}", params={"format": "csv"}))
    assert_error(client.get("/api/areas/99999"), 404, "area_not_found")


@pytest.mark.skipif(not GEOJSON.is_file(), reason="../shared/data GeoJSON not present")
def test_boundaries(client: TestClient, bare_client: TestClient) -> None:
    response = client.get("/api/boundaries")
    assert response.headers["content-type"].startswith("application/geo+json")
    assert len(response.json()["features"]) == 56
    assert_error(bare_client.get("/api/boundaries"), 404, "boundaries_not_configured")


def test_every_error_has_the_one_shape(client: TestClient) -> None:
    assert_error(client.get("/api/khong-co"), 404, "not_found")
    assert_error(client.post("/api/areas"), 405, "method_not_allowed")
    assert_error(client.get("/api/observations", params={"year": "hai"}), 422, "invalid_parameters")


def test_openapi_lists_every_endpoint_and_the_error_shape(client: TestClient) -> None:
    schema = client.get("/api/openapi.json").json()
    paths = set(schema["paths"])
    assert {
        "/api/resolutions",
        "/api/resolutions/{resolution_id}",
        "/api/resolutions/{resolution_id}/targets",
        "/api/resolutions/{resolution_id}/targets/{target_id}",
        "/api/indicators",
        "/api/indicators/{code}",
        "/api/observations",
        "/api/areas",
        "/api/areas/{code}",
        "/api/boundaries",
    } == paths
    assert not any(p.startswith(("/chi-tieu", "/xa-phuong")) for p in paths)
    for path, operations in schema["paths"].items():
        responses = operations["get"]["responses"]
        assert responses["404"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorResponse"), (
            path
        )
    assert "ErrorResponse" in schema["components"]["schemas"]


# --- property-based: whatever the parameters, the API answers as its OpenAPI document says ---


def test_api_conforms_to_its_openapi_document(tmp_path: Path) -> None:
    """Schemathesis generates requests for every operation; each answer must match the document.

    The write operation is called without a token, with a commune account's token and with
    the provincial office's: never a server error, always the documented shape. Its check
    that schema-valid data is accepted is left out: the schema cannot say which indicator
    codes and periods exist, and a figure refused by the checks is a documented 422.
    Driven through Hypothesis directly: schemathesis' pytest plugin does not run under pytest 9.
    """
    import schemathesis

    from chiso.auth import create_token
    from chiso.store import open_store
    from chiso.web import create_app
    from tests.web.conftest import add_accounts, seed

    store = add_accounts(seed(open_store(f"sqlite:///{tmp_path / 'chiso.sqlite3'}")))
    tokens = [None, create_token(store, "xa-quang-uyen"), create_token(store, "vanphong")]
    app = create_app(store, boundaries=GEOJSON if GEOJSON.is_file() else None)
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 11
    assert "POST /api/observations" in {o.label for o in operations}
    for operation in operations:
        writes = operation.method.upper() == "POST"
        for token in tokens if writes else [None]:
            _conforms(operation, {"Authorization": f"Bearer {token}"} if token else None, writes=writes)
    store.engine.dispose()


def _conforms(operation: Any, headers: dict[str, str] | None, *, writes: bool) -> None:
    from hypothesis import HealthCheck, given, settings
    from schemathesis.specs.openapi.checks import positive_data_acceptance

    excluded = [positive_data_acceptance] if writes else None

    # The write runs three times (no token, a commune's, the office's): fewer examples each.
    examples = 12 if writes else 25

    @given(case=operation.as_strategy())
    @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def check(case: Any) -> None:
        response = case.call_and_validate(headers=headers, excluded_checks=excluded)
        if writes and headers is None:
            assert response.status_code == 401

    check()
