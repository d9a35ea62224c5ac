"""Data entry: the form, the upload with its problem report, the template, conflicts, history, publication."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook, load_workbook

from chiso.observations import DataStatus, Observation
from chiso.periods import Period
from chiso.store import Store
from chiso.web.snapshot import load_snapshot
from tests.web.conftest import COMMUNE, OTHER_COMMUNE, form_token, log_in

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx(rows: Sequence[Sequence[Any]], sheet: str = "Số liệu") -> bytes:
    """A real workbook with these rows from A1."""
    workbook = Workbook()
    ws = workbook.active
    assert ws is not None
    ws.title = sheet
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def enter(client: TestClient, **fields: str) -> Any:
    """Post the one-figure form."""
    data = {
        "area": "04",
        "status": "final",
        "source": "Cục Thống kê",
        "csrf_token": form_token(client, "/nhap-lieu"),
    }
    data.update(fields)
    return client.post("/nhap-lieu", data=data, follow_redirects=False)


def upload(client: TestClient, content: bytes, name: str = "so-lieu.xlsx") -> Any:
    """Upload a file; follow to its report."""
    token = form_token(client, "/nhap-lieu/tai-len")
    return client.post(
        "/nhap-lieu/tai-len", data={"csrf_token": token}, files={"file": (name, content, XLSX)}
    )


def public_values(store: Store, indicator: str, area: str = "04") -> list[float]:
    """The values a visitor who has not logged in can see."""
    snapshot = load_snapshot(store, "cao-bang-2025-2030", public=True)
    return [o.value for o in snapshot.observations if o.indicator == indicator and o.area == area]


# --- the form ----------------------------------------------------------------------------------------


def test_the_office_enters_a_figure_in_vietnamese_format(
    accounts: Store, accounts_client: TestClient
) -> None:
    log_in(accounts_client, "vanphong")
    page = accounts_client.get("/nhap-lieu")
    assert '<label for="indicator">Chỉ số</label>' in page.text and 'inputmode="decimal"' in page.text
    response = enter(accounts_client, indicator="grdp_per_capita", period="2026", value="1.462,5")
    assert response.status_code == 303 and response.headers["location"].startswith("/nhap-lieu?lo=")
    done = accounts_client.get(response.headers["location"])
    assert "Đã lưu" in done.text and "Đã công bố" in done.text
    assert 1462.5 in public_values(accounts, "grdp_per_capita")  # the office's figures are public at once
    history = accounts.history("grdp_per_capita", "04", "2026")
    assert history[-1].entered_by == "vanphong" and history[-1].source == "Cục Thống kê"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"indicator": "grdp_per_capita", "period": "2026x", "value": "5"}, "period", "không hiểu kỳ"),
        (
            {"indicator": "grdp_per_capita", "period": "2026", "value": "năm mươi"},
            "value",
            "không phải là số",
        ),
        ({"indicator": "khong_co", "period": "2026", "value": "5"}, "indicator", "không có trong danh mục"),
        ({"indicator": "grdp_per_capita", "period": "2026", "value": "5", "source": ""}, "source", "nguồn"),
        ({"indicator": "grdp_per_capita", "period": "2026", "value": ""}, "value", "không đọc được"),
        (
            {"indicator": "grdp_per_capita", "period": "2026", "value": "5", "status": "chắc chắn"},
            "status",
            "trạng thái",
        ),
    ],
)
def test_the_form_says_what_is_wrong(
    accounts: Store, accounts_client: TestClient, fields: dict[str, str], field: str, message: str
) -> None:
    log_in(accounts_client, "vanphong")
    before = accounts.count_observations()
    response = enter(accounts_client, **fields)
    assert response.status_code == 422
    assert f'id="loi-{field}"' in response.text and message in response.text
    assert 'aria-invalid="true"' in response.text
    assert accounts.count_observations() == before


def test_a_commune_writes_only_its_own_figures(accounts: Store, accounts_client: TestClient) -> None:
    log_in(accounts_client, "xa-quang-uyen")
    page = accounts_client.get("/nhap-lieu")
    options = re.findall(r'<option value="(\d{5})"', page.text.split('id="area"')[1].split("</select>")[0])
    assert options == [COMMUNE]  # the area list holds its own commune only
    before = accounts.count_observations()
    forged = enter(
        accounts_client, indicator="new_rural_standard", area=OTHER_COMMUNE, period="2026", value="1"
    )
    assert forged.status_code == 403 and "chỉ được nhập số liệu của địa bàn mình" in forged.text
    assert accounts.count_observations() == before
    own = enter(accounts_client, indicator="new_rural_standard", area=COMMUNE, period="2027", value="1")
    assert own.status_code == 303
    done = accounts_client.get(own.headers["location"])
    assert "Chờ công bố" in done.text


def test_an_agency_writes_only_its_indicators(accounts_client: TestClient) -> None:
    log_in(accounts_client, "soyte")
    page = accounts_client.get("/nhap-lieu")
    assert "health_insurance_coverage" in page.text and 'value="grdp_per_capita"' not in page.text
    refused = enter(accounts_client, indicator="grdp_per_capita", period="2026", value="60")
    assert refused.status_code == 403 and "không thuộc các chỉ tiêu giao cho Sở Y tế" in refused.text
    assert (
        enter(accounts_client, indicator="health_insurance_coverage", period="2026", value="99,1").status_code
        == 303
    )


def test_scoped_figures_are_public_only_once_published(accounts: Store, accounts_client: TestClient) -> None:
    log_in(accounts_client, "soyte")
    assert (
        enter(accounts_client, indicator="health_insurance_coverage", period="2026", value="99,3").status_code
        == 303
    )
    assert 99.3 not in public_values(accounts, "health_insurance_coverage")
    internal = load_snapshot(accounts, "cao-bang-2025-2030")
    assert any(o.value == 99.3 for o in internal.observations)  # logged-in pages see it, marked pending
    api = accounts_client.get(
        "/api/observations", params={"indicator": "health_insurance_coverage", "year": 2026}
    )
    assert api.json()["total"] == 1  # logged in: the API answers with unpublished figures too
    assert api.headers["cache-control"] == "private, no-store"  # and no shared cache keeps the answer
    with TestClient(accounts_client.app) as visitor:
        public = visitor.get(
            "/api/observations", params={"indicator": "health_insurance_coverage", "year": 2026}
        )
        assert public.json()["total"] == 0
    log_in(accounts_client, "vanphong")
    queue = accounts_client.get("/quan-tri/cong-bo")
    batch = re.search(r'action="/quan-tri/cong-bo/(\d+)"', queue.text)
    assert batch is not None and "99,3" in queue.text
    published = accounts_client.post(
        f"/quan-tri/cong-bo/{batch.group(1)}",
        data={
            "action": "cong-bo",
            "note": "Đã đối chiếu",
            "csrf_token": form_token(accounts_client, "/quan-tri/cong-bo"),
        },
    )
    assert published.status_code == 200
    assert 99.3 in public_values(accounts, "health_insurance_coverage")


# --- the upload ---------------------------------------------------------------------------------------

LONG_HEADER = ["Chỉ số", "Địa bàn", "Kỳ", "Giá trị", "Trạng thái", "Nguồn"]


def test_upload_reports_each_problem_at_its_cell_then_writes(
    accounts: Store, accounts_client: TestClient
) -> None:
    log_in(accounts_client, "vanphong")
    content = xlsx(
        [
            LONG_HEADER,
            ["grdp_per_capita", "04", "2026", "55,2", "sơ bộ", "Cục Thống kê"],
            ["grdp_per_capita", "04", "2027", "không rõ", "", "Cục Thống kê"],
            ["chi_so_la", "04", "2026", "3", "", "Cục Thống kê"],
        ]
    )
    before = accounts.count_observations()
    report = upload(accounts_client, content)
    assert report.status_code == 200 and "Không ghi gì: tệp có 2 lỗi" in report.text
    table = report.text.split('id="bang-loi"')[1].split("</table>")[0]
    assert "<code>D3</code>" in table and "không rõ" in table and "Số liệu" in table
    assert "<code>A4</code>" in table and "chi_so_la" in table
    assert accounts.count_observations() == before  # the check wrote nothing
    upload_id = re.search(r"/nhap-lieu/tai-len/(\d+)/ghi", report.text)
    assert upload_id is not None
    write = f"/nhap-lieu/tai-len/{upload_id.group(1)}/ghi"
    token = form_token(accounts_client, f"/nhap-lieu/tai-len/{upload_id.group(1)}")
    refused = accounts_client.post(write, data={"csrf_token": token})
    assert refused.status_code == 422 and accounts.count_observations() == before
    errors = accounts_client.get(f"/nhap-lieu/tai-len/{upload_id.group(1)}/tep-loi")
    assert errors.status_code == 200 and errors.headers["content-type"] == XLSX
    sheet = load_workbook(io.BytesIO(errors.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][-1] == "Lỗi" and len(rows) == 3 and "D3" in str(rows[1][-1])
    written = accounts_client.post(write, data={"csrf_token": token, "valid_only": "1"})
    assert written.status_code == 200 and "Đã nhập 1 giá trị mới" in written.text
    assert accounts.count_observations() == before + 1
    assert 55.2 in public_values(accounts, "grdp_per_capita")
    again = accounts_client.post(write, data={"csrf_token": token, "valid_only": "1"})
    assert accounts.count_observations() == before + 1 and "Đã nhập" in again.text  # written once


def test_an_upload_changes_a_target_on_the_overview(accounts_client: TestClient) -> None:
    log_in(accounts_client, "vanphong")
    card = re.compile(
        r'<li class="target-card status-(\w+)">\s*<div class="card-head">\s*<span[^>]*>\(1\)</span>\s*'
        r'<h3><a href="/chi-tieu/1b'
    )
    before = card.search(accounts_client.get("/?as_of=2026").text)
    assert before is not None and before.group(1) == "no_data"
    report = upload(
        accounts_client,
        xlsx([["Mã chỉ số", "Tên chỉ số", "2026"], ["grdp_per_capita", "GRDP bình quân đầu người", "58,4"]]),
    )
    upload_id = re.search(r"/nhap-lieu/tai-len/(\d+)/ghi", report.text)
    assert upload_id is not None and "0 lỗi" in report.text
    token = form_token(accounts_client, f"/nhap-lieu/tai-len/{upload_id.group(1)}")
    accounts_client.post(f"/nhap-lieu/tai-len/{upload_id.group(1)}/ghi", data={"csrf_token": token})
    with TestClient(accounts_client.app) as visitor:
        after = card.search(visitor.get("/?as_of=2026").text)
    assert after is not None and after.group(1) != "no_data"


def test_a_commune_cannot_upload_another_communes_figures(
    accounts: Store, accounts_client: TestClient
) -> None:
    log_in(accounts_client, "xa-quang-uyen")
    content = xlsx(
        [
            LONG_HEADER,
            ["new_rural_standard", COMMUNE, "2027", "1", "", "UBND xã"],
            ["new_rural_standard", OTHER_COMMUNE, "2027", "1", "", "UBND xã"],
        ]
    )
    report = upload(accounts_client, content)
    assert "ngoài phạm vi của tài khoản" in report.text and "<code>B3</code>" in report.text
    assert "Ghi vào cơ sở dữ liệu" not in report.text
    upload_id = re.search(r"Tệp tải lên số (\d+)", report.text)
    assert upload_id is not None
    token = form_token(accounts_client, f"/nhap-lieu/tai-len/{upload_id.group(1)}")
    before = accounts.count_observations()
    forced = accounts_client.post(
        f"/nhap-lieu/tai-len/{upload_id.group(1)}/ghi", data={"csrf_token": token, "valid_only": "1"}
    )
    assert forced.status_code == 403 and accounts.count_observations() == before


def test_uploads_belong_to_their_account(accounts_client: TestClient) -> None:
    log_in(accounts_client, "xa-quang-uyen")
    report = upload(
        accounts_client, xlsx([LONG_HEADER, ["new_rural_standard", COMMUNE, "2027", "1", "", "x"]])
    )
    upload_id = re.search(r"Tệp tải lên số (\d+)", report.text)
    assert upload_id is not None
    log_in(accounts_client, "soyte")
    assert accounts_client.get(f"/nhap-lieu/tai-len/{upload_id.group(1)}").status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "status", "message"),
    [
        ("so-lieu.txt", b"x", 422, "chỉ nhận .xlsx hoặc .csv"),
        ("rong.csv", b"", 422, "rỗng"),
        ("hong.xlsx", b"day khong phai la excel", 200, "Không đọc được tệp"),
    ],
)
def test_unusable_files(
    accounts_client: TestClient, name: str, content: bytes, status: int, message: str
) -> None:
    log_in(accounts_client, "vanphong")
    response = upload(accounts_client, content, name)
    assert response.status_code == status and message in response.text


def test_the_template_of_a_commune_holds_its_own_rows(accounts_client: TestClient) -> None:
    log_in(accounts_client, "xa-quang-uyen")
    response = accounts_client.get("/nhap-lieu/mau.xlsx")
    assert (
        response.headers["content-type"] == XLSX and "attachment" in response.headers["content-disposition"]
    )
    mine = load_workbook(io.BytesIO(response.content))["Số liệu"]
    areas = {r[4] for r in mine.iter_rows(min_row=6, values_only=True) if r[1]}
    assert areas == {COMMUNE}
    codes = {r[1] for r in mine.iter_rows(min_row=6, values_only=True) if r[1]}
    assert "new_rural_standard" in codes and "grdp_per_capita" not in codes
    assert [r[0] for r in mine.iter_rows(min_row=6, values_only=True) if r[1]] == list(
        range(1, len(codes) + 1)
    )


# --- conflicts and history ----------------------------------------------------------------------------


def test_a_conflict_is_settled_by_an_authoritative_figure(
    accounts: Store, accounts_client: TestClient
) -> None:
    period = Period.annual(2026)
    accounts.add_observations(
        [
            Observation("urbanisation_rate", "04", period, 26.1, DataStatus.FINAL, "Cục Thống kê"),
            Observation("urbanisation_rate", "04", period, 27.4, DataStatus.FINAL, "Sở Xây dựng"),
        ],
        actor="kiểm thử",
    )
    log_in(accounts_client, "vanphong")
    page = accounts_client.get("/nhap-lieu/xung-dot")
    section = page.text.split("Tỷ lệ đô thị hóa")[1].split("</section>")[0]
    assert "Chưa chốt" in section and "26,1" in section and "27,4" in section
    token = form_token(accounts_client, "/nhap-lieu/xung-dot")
    fields = {
        "indicator": "urbanisation_rate",
        "area": "04",
        "period": "2026",
        "status": "final",
        "csrf_token": token,
    }
    missing = accounts_client.post(
        "/nhap-lieu/xung-dot", data={**fields, "value": "26,1", "source": "Văn phòng"}
    )
    assert missing.status_code == 422 and "lý do" in missing.text
    settled = accounts_client.post(
        "/nhap-lieu/xung-dot",
        data={
            **fields,
            "value": "26,1",
            "source": "Văn phòng UBND tỉnh",
            "note": "Theo Niên giám thống kê 2026",
        },
    )
    assert settled.status_code == 200 and "(đang dùng)" in settled.text  # the cell's history
    assert "[Số liệu chốt] Theo Niên giám thống kê 2026" in settled.text
    snapshot = load_snapshot(accounts, "cao-bang-2025-2030")
    used = snapshot.data.series("urbanisation_rate", "04")[-1]
    assert used.value == 26.1 and used.source == "Văn phòng UBND tỉnh"
    again = (
        accounts_client.get("/nhap-lieu/xung-dot").text.split("Tỷ lệ đô thị hóa")[1].split("</section>")[0]
    )
    assert "Đã chốt" in again


def test_the_history_of_a_cell(accounts_client: TestClient) -> None:
    log_in(accounts_client, "vanphong")
    enter(accounts_client, indicator="grdp_per_capita", period="2026", value="57")
    enter(accounts_client, indicator="grdp_per_capita", period="2026", value="57,5", note="sửa lại")
    page = accounts_client.get(
        "/nhap-lieu/lich-su", params={"indicator": "grdp_per_capita", "area": "04", "period": "2026"}
    )
    table = page.text.split('id="lich-su"')[1]
    first, second = '<td class="num">57</td>', '<td class="num">57,5</td>'
    assert "2 lần nhập" in table and "(đang dùng)" in table
    assert table.index(first) < table.index(second) < table.index("(đang dùng)")
    assert (
        accounts_client.get(
            "/nhap-lieu/lich-su", params={"indicator": "grdp_per_capita", "area": "99", "period": "2026"}
        ).status_code
        == 422
    )
    assert (
        accounts_client.get(
            "/nhap-lieu/lich-su", params={"indicator": "khong_co", "area": "04", "period": "2026"}
        ).status_code
        == 404
    )
