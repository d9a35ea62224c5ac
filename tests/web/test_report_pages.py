"""The report page: the provincial office downloads a Word report; others are refused."""

from __future__ import annotations

import io

from docx import Document
from fastapi.testclient import TestClient

from tests.web.conftest import log_in


def test_the_office_downloads_a_docx_report(accounts_client: TestClient) -> None:
    log_in(accounts_client, "vanphong")
    form = accounts_client.get("/bao-cao")
    assert form.status_code == 200 and 'name="draft"' in form.text and "6 tháng đầu năm" in form.text
    response = accounts_client.get(
        "/bao-cao", params={"year": 2025, "part": "", "fmt": "docx", "draft": "true"}
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response.headers["content-disposition"]
    assert "du-thao.docx" in response.headers["content-disposition"]
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "2025" in text


def test_the_report_needs_a_provincial_login(accounts_client: TestClient) -> None:
    response = accounts_client.get("/bao-cao", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/dang-nhap")
    log_in(accounts_client, "soyte")
    refused = accounts_client.get("/bao-cao", params={"year": 2025})
    assert refused.status_code == 403 and "Không có quyền" in refused.text


def test_a_bad_part_is_refused(accounts_client: TestClient) -> None:
    log_in(accounts_client, "quantri")
    assert accounts_client.get("/bao-cao", params={"year": 2025, "part": "Q9"}).status_code == 422
