"""The write API: a bearer token, the import's checks, the account's scope, all or nothing, one error."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from chiso.auth import create_token, list_tokens, revoke_token, update_user
from chiso.store import Store
from tests.web.conftest import COMMUNE, OTHER_COMMUNE
from tests.web.test_api import assert_error

URL = "/api/observations"


def post(client: TestClient, body: Any, token: str | None) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post(URL, json=body, headers=headers)


def figure(**fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"indicator": "grdp_per_capita", "area": "04", "period": "2026", "value": 56.1}
    data.update(fields)
    return data


def test_a_token_is_needed(accounts: Store, accounts_client: TestClient) -> None:
    for token in (None, "chiso_khong-co", "khong-dung-dang"):
        response = post(accounts_client, [figure()], token)
        assert_error(response, 401, "invalid_token")
        assert response.headers["www-authenticate"] == "Bearer"
    wrong_shape = post(accounts_client, {"indicator": "grdp_per_capita"}, None)
    assert_error(wrong_shape, 401, "invalid_token")  # the token is checked before the figures


def test_revoked_tokens_and_disabled_accounts_are_refused(
    accounts: Store, accounts_client: TestClient
) -> None:
    token = create_token(accounts, "soyte")
    assert (
        post(accounts_client, [figure(indicator="health_insurance_coverage", value=99)], token).status_code
        == 201
    )
    tokens = list_tokens(accounts, _user_id(accounts, "soyte"))
    revoke_token(accounts, tokens[0].id, user_id=tokens[0].user_id)
    assert_error(post(accounts_client, [figure()], token), 401, "invalid_token")
    other = create_token(accounts, "vanphong")
    update_user(accounts, "vanphong", active=False)
    assert_error(post(accounts_client, [figure()], other), 401, "invalid_token")


def _user_id(store: Store, username: str) -> int:
    from chiso.auth import find_user

    found = find_user(store, username)
    assert found is not None
    return found.id


def test_the_office_writes_published_figures(accounts: Store, accounts_client: TestClient) -> None:
    token = create_token(accounts, "vanphong")
    body = [
        figure(value="1.462,5", indicator="budget_revenue", source="Sở Tài chính", note="ước"),
        figure(
            period="Ước 2026", indicator="grdp_growth", value=6.2, status="sơ bộ", url="https://cucthongke.vn"
        ),
    ]
    response = post(accounts_client, body, token)
    assert response.status_code == 201, response.text
    result = response.json()
    assert result["added"] == 2 and result["publication"] == "published" and result["batch"]
    public = accounts_client.get(URL, params={"indicator": "budget_revenue", "year": 2026}).json()
    assert [item["value"] for item in public["items"]] == [1462.5]
    again = post(accounts_client, body, token).json()
    assert again["added"] == 0 and again["unchanged"] == 2


def test_a_commune_token_writes_its_commune_and_waits_for_publication(
    accounts: Store, accounts_client: TestClient
) -> None:
    token = create_token(accounts, "xa-quang-uyen")
    mine = figure(indicator="new_rural_standard", area=COMMUNE, period="2027", value=1)
    written = post(accounts_client, [mine], token)
    assert written.status_code == 201 and written.json()["publication"] == "pending"
    public = accounts_client.get(
        URL, params={"indicator": "new_rural_standard", "area": COMMUNE, "year": 2027}
    )
    assert public.json()["total"] == 0
    before = accounts.count_observations()
    other = figure(indicator="new_rural_standard", area=OTHER_COMMUNE, period="2027", value=1)
    mixed = post(accounts_client, [dict(mine, period="2028"), other], token)
    error = assert_error(mixed, 403, "write_refused")
    assert [d["location"] for d in error["details"]] == ["[1].area"]
    assert "địa bàn mình" in error["details"][0]["message"]
    assert accounts.count_observations() == before  # all or nothing


def test_an_agency_token_writes_its_indicators_only(accounts: Store, accounts_client: TestClient) -> None:
    token = create_token(accounts, "soyte")
    assert (
        post(accounts_client, [figure(indicator="health_insurance_coverage", value=98.9)], token).status_code
        == 201
    )
    error = assert_error(post(accounts_client, [figure()], token), 403, "write_refused")
    assert error["details"][0]["location"] == "[0].area"


@pytest.mark.parametrize(
    ("body", "location", "code"),
    [
        ([figure(indicator="khong_co")], "[0].indicator", "write_refused"),
        ([figure(period="năm ngoái")], "[0].period", "write_refused"),
        ([figure(period="2026-Q1")], "[0].value", "write_refused"),  # a yearly indicator
        ([figure(value="nhiều")], "[0].value", "write_refused"),
        ([figure(area="99999")], "[0].area", "write_refused"),
        ([figure(status="chắc chắn")], "[0].status", "write_refused"),
        ([figure(), figure()], "[1].value", "write_refused"),  # the same cell twice
        ([figure(indicator="new_rural_standard")], "[0].value", "write_refused"),  # a commune-level indicator
        ([], "", "invalid_parameters"),
        ([figure(colour="xanh")], "0.colour", "invalid_parameters"),
        ({"indicator": "grdp_per_capita"}, "", "invalid_parameters"),
    ],
)
def test_refused_figures_say_where(
    accounts: Store, accounts_client: TestClient, body: Any, location: str, code: str
) -> None:
    token = create_token(accounts, "vanphong")
    before = accounts.count_observations()
    error = assert_error(post(accounts_client, body, token), 422, code)
    if location:
        assert location in [d["location"] for d in error["details"]], error
    assert all(d["message"] and d["message_en"] for d in error["details"])
    assert accounts.count_observations() == before


def test_non_finite_values_are_refused(accounts: Store, accounts_client: TestClient) -> None:
    token = create_token(accounts, "vanphong")
    response = accounts_client.post(
        URL,
        content=b'[{"indicator": "grdp_per_capita", "period": "2026", "value": NaN}]',
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    assert response.status_code == 422


def test_the_write_is_documented(accounts_client: TestClient) -> None:
    schema = accounts_client.get("/api/openapi.json").json()
    operation = schema["paths"]["/api/observations"]["post"]
    assert set(operation["responses"]) >= {"201", "401", "403", "422"}
    assert operation["security"] == [{"HTTPBearer": []}]
    docs = accounts_client.get("/api/docs").text
    assert "Ghi số liệu (cần khóa API)" in docs
