"""The extraction review page: pasted Vietnamese targets become table rows, a diff and a YAML draft."""

from __future__ import annotations

import re

import yaml
from fastapi.testclient import TestClient

from tests.web.conftest import form_token, log_in

TEXT = (
    "MỤC TIÊU CỤ THỂ ĐẾN NĂM 2030\n"
    "(1) Tốc độ tăng trưởng GRDP bình quân đạt 10%/năm trở lên.\n"
    "(2) GRDP bình quân đầu người đến năm 2030 đạt từ 75 – 80 triệu đồng/người/năm.\n"
    "(3) Đến năm 2030, tỉ lệ xã đạt chuẩn nông thôn mới đạt trên 35,84% (19/53 xã).\n"
)


def test_pasted_targets_become_rows_and_a_draft(accounts_client: TestClient) -> None:
    log_in(accounts_client, "vanphong")
    token = form_token(accounts_client, "/trich-xuat")
    page = accounts_client.post("/trich-xuat", data={"csrf_token": token, "text": TEXT})
    assert page.status_code == 200, page.text
    table = page.text.split('class="data-table extracted"')[1].split("</table>")[0]
    rows = re.findall(r"<tr>\s*<td>", table)
    assert len(rows) >= 3
    assert "triệu đồng" in table and "75" in table and "80" in table
    assert "So với nghị quyết" in page.text and "chỉ tiêu khớp" in page.text
    draft = accounts_client.post("/trich-xuat/ban-nhap.yaml", data={"csrf_token": token, "text": TEXT})
    assert draft.status_code == 200 and "attachment" in draft.headers["content-disposition"]
    assert "BẢN NHÁP" in draft.text
    assert len(yaml.safe_load(draft.text)["targets"]) >= 3


def test_an_uploaded_text_file_is_read(accounts_client: TestClient) -> None:
    log_in(accounts_client, "quantri")
    token = form_token(accounts_client, "/trich-xuat")
    page = accounts_client.post(
        "/trich-xuat",
        data={"csrf_token": token},
        files={"file": ("nghi-quyet.txt", TEXT.encode(), "text/plain")},
    )
    assert page.status_code == 200 and "nghi-quyet.txt" in page.text and "triệu đồng" in page.text


def test_extraction_is_for_the_province_only(accounts_client: TestClient) -> None:
    assert accounts_client.get("/trich-xuat", follow_redirects=False).status_code == 303
    log_in(accounts_client, "xa-quang-uyen")
    assert accounts_client.get("/trich-xuat").status_code == 403
