"""The public survey: the form from the methodology, one-time codes and signed links, one response each."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from chiso.auth import create_survey_codes
from chiso.methodology import default_methodology
from chiso.store import Store
from chiso.store.surveys import close_wave, count_responses, create_wave, response_arrays
from chiso.web.survey import form_sections
from tests.web.conftest import COMMUNE, OTHER_COMMUNE, form_token

WAVE = "2026-web"
M = default_methodology()


@pytest.fixture
def wave(accounts: Store) -> Store:
    """The store with an open wave of the shipped methodology."""
    create_wave(accounts, WAVE, M, province="04", actor="kiểm thử")
    return accounts


def answers(commune: str = COMMUNE) -> dict[str, str]:
    """A complete, valid set of answers: the first choice of each question, the middle of each scale."""
    consent, sections = form_sections(M)
    data = {consent.id: "1"} if consent else {}
    for section in sections:
        for f in section.fields:
            if f.kind == "select":
                data[f.id] = commune
            elif f.kind == "scale":
                data[f.id] = "7"
            elif f.kind == "radio":
                data[f.id] = str(f.choices[0][0])
            elif f.kind == "number":
                data[f.id] = "35" if f.id == "age" else "2"
            else:
                data[f.id] = "Thôn Nà Lẹng"
    return data


def submit(client: TestClient, data: dict[str, str], *, code: str = "", link: str = "") -> Any:
    token = form_token(client)  # one token per visitor: the login page's serves the survey form too
    access = {"ma": code} if code else {"t": link}
    return client.post(
        f"/khao-sat/{WAVE}", data={**data, **access, "csrf_token": token}, follow_redirects=False
    )


def test_the_form_follows_the_methodology() -> None:
    consent, sections = form_sections(M)
    assert consent is not None and consent.choices == ((1, "Đồng ý trả lời"), (0, "Không đồng ý"))
    assert [s.title for s in sections[1:]] == [d.name for d in M.domains]
    asked = [f.id for s in sections[1:] for f in s.fields]
    assert sorted(asked) == sorted(q.id for q in M.questions) and len(asked) == len(set(asked))
    people = {f.id: f.kind for f in sections[0].fields}
    assert people == {
        "commune": "select",
        "village": "text",
        "sex": "radio",
        "age": "number",
        "ethnicity": "radio",
    }


def test_a_code_opens_the_form(wave: Store, accounts_client: TestClient) -> None:
    [code] = create_survey_codes(wave, WAVE, 1)
    start = accounts_client.get(f"/khao-sat/{WAVE}")
    assert start.status_code == 200 and "Mã mời in trên giấy mời" in start.text
    page = accounts_client.get(f"/khao-sat/{WAVE}", params={"ma": code.lower()[:4] + "-" + code[4:]})
    assert page.status_code == 200
    html = page.text
    assert (
        html.index("Đồng ý tham gia")
        < html.index("Thông tin về người trả lời")
        < html.index("Cảm nhận hạnh phúc")
    )
    assert len(re.findall(r'<option value="\d{5}"', html)) == 56  # every commune of the province
    assert (
        'type="radio"' in html and '<legend><span class="q-number">' in html and 'inputmode="numeric"' in html
    )
    assert f'name="ma" value="{code}"' in html


def test_one_response_per_code(wave: Store, accounts_client: TestClient) -> None:
    [code] = create_survey_codes(wave, WAVE, 1)
    response = submit(accounts_client, answers(), code=code)
    assert response.status_code == 303 and response.headers["location"] == f"/khao-sat/{WAVE}/cam-on"
    assert "Cảm ơn ông/bà đã trả lời phiếu" in accounts_client.get(f"/khao-sat/{WAVE}/cam-on").text
    assert count_responses(wave, WAVE) == 1
    arrays = response_arrays(wave, WAVE, [q.id for q in M.questions])
    assert arrays.communes.tolist() == [COMMUNE] and arrays.villages.tolist() == ["Thôn Nà Lẹng"]
    assert arrays.instance_ids[0].startswith("web:") and arrays.answers["q01"].tolist() == [7.0]
    assert arrays.demographics["age"].tolist() == [35.0]
    used = accounts_client.get(f"/khao-sat/{WAVE}", params={"ma": code})
    assert used.status_code == 409 and "đã được dùng" in used.text
    again = submit(accounts_client, answers(), code=code)
    assert again.status_code == 409 and count_responses(wave, WAVE) == 1


def test_missing_answers_are_listed_and_nothing_is_kept(wave: Store, accounts_client: TestClient) -> None:
    [code] = create_survey_codes(wave, WAVE, 1)
    data = answers()
    del data["q05"]
    data["age"] = "12"
    response = submit(accounts_client, data, code=code)
    text = response.text
    assert response.status_code == 422 and 'href="#cau-q05"' in text and "từ 18 đến 110" in text
    assert 'value="7" checked' in text  # the answers given are kept
    assert count_responses(wave, WAVE) == 0
    assert submit(accounts_client, answers(), code=code).status_code == 303  # the code is still good


def test_declining_saves_nothing(wave: Store, accounts_client: TestClient) -> None:
    [code] = create_survey_codes(wave, WAVE, 1)
    response = submit(accounts_client, {"consent": "0"}, code=code)
    assert response.status_code == 200 and "không có thông tin nào được ghi lại" in response.text
    assert count_responses(wave, WAVE) == 0


def test_a_code_for_one_commune(wave: Store, accounts_client: TestClient) -> None:
    [code] = create_survey_codes(wave, WAVE, 1, commune=COMMUNE)
    page = accounts_client.get(f"/khao-sat/{WAVE}", params={"ma": code})
    assert re.findall(r'<option value="(\d{5})"', page.text) == [COMMUNE]
    wrong = submit(accounts_client, answers(OTHER_COMMUNE), code=code)
    assert wrong.status_code == 422 and count_responses(wave, WAVE) == 0


def test_a_signed_link_gives_one_response(wave: Store, accounts_client: TestClient) -> None:
    from starlette.requests import Request

    from chiso.web.survey import make_link_token

    request = Request({"type": "http", "app": accounts_client.app, "headers": []})
    link = make_link_token(request, WAVE)
    assert accounts_client.get(f"/khao-sat/{WAVE}", params={"t": link}).status_code == 200
    assert submit(accounts_client, answers(), link=link).status_code == 303
    assert accounts_client.get(f"/khao-sat/{WAVE}", params={"t": link}).status_code == 409
    assert accounts_client.get(f"/khao-sat/{WAVE}", params={"t": link[:-2] + "xx"}).status_code == 403
    other_wave = make_link_token(request, "2025")
    assert accounts_client.get(f"/khao-sat/{WAVE}", params={"t": other_wave}).status_code == 403


@pytest.mark.parametrize(("code", "status"), [("SAIMA123", 403), ("", 200)])
def test_unknown_codes(wave: Store, accounts_client: TestClient, code: str, status: int) -> None:
    response = accounts_client.get(f"/khao-sat/{WAVE}", params={"ma": code})
    assert response.status_code == status and "Phiếu khảo sát" not in response.text


def test_closed_synthetic_and_unknown_waves(wave: Store, accounts_client: TestClient) -> None:
    create_wave(wave, "2025", M, province="04", synthetic=True)
    assert accounts_client.get("/khao-sat/2025").status_code == 404
    assert accounts_client.get("/khao-sat/2099").status_code == 404
    listed = accounts_client.get("/khao-sat").text
    assert f"Đợt khảo sát {WAVE}" in listed and "Đợt khảo sát 2025" not in listed
    [code] = create_survey_codes(wave, WAVE, 1)
    close_wave(wave, WAVE)
    closed = accounts_client.get(f"/khao-sat/{WAVE}", params={"ma": code})
    assert closed.status_code == 410 and "đã kết thúc" in closed.text


def test_the_survey_form_needs_its_csrf_token(wave: Store, accounts_client: TestClient) -> None:
    [code] = create_survey_codes(wave, WAVE, 1)
    accounts_client.get(f"/khao-sat/{WAVE}", params={"ma": code})
    response = accounts_client.post(f"/khao-sat/{WAVE}", data={**answers(), "ma": code})
    assert response.status_code == 403 and count_responses(wave, WAVE) == 0
