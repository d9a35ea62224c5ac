"""The task core with a controlled clock: status rules, roll-up, scorecard, digest, timeline."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chiso.areas import Area
from chiso.tasks import (
    Agency,
    AgencyKind,
    NotAllowed,
    Priority,
    Task,
    TaskStatus,
    Update,
    UpdateFlag,
    can_update,
    check_can_update,
    commune_agency,
    derive_states,
    derive_status,
    digest,
    find_agency,
    format_date,
    local_date,
    parse_date,
    parse_priority,
    parse_task_status,
    scorecard,
    timeline,
    total_score,
    tree_order,
)

D = dt.date
START, DUE = D(2026, 1, 1), D(2026, 6, 30)
TASK = Task("T1", "Nhiệm vụ thử", "Sở Xây dựng", start=START, due=DUE)
S = TaskStatus


def up(on: dt.date, percent: float | None = None, flag: UpdateFlag | None = None, task: str = "T1") -> Update:
    return Update(task, on, percent, flag=flag)


PAUSE, RESUME = UpdateFlag.PAUSE, UpdateFlag.RESUME

# (updates, today, expected status) — one row per rule of the module docstring.
CASES = [
    pytest.param([], D(2025, 12, 1), S.NOT_STARTED, id="before start, no update"),
    pytest.param([], D(2026, 3, 1), S.NOT_STARTED, id="after start, no update"),
    pytest.param([up(D(2026, 2, 1), 0)], D(2026, 3, 1), S.NOT_STARTED, id="update with no progress"),
    pytest.param([up(D(2026, 3, 1), 40)], D(2026, 4, 1), S.IN_PROGRESS, id="progress reported"),
    pytest.param(
        [up(D(2025, 12, 20), 10)], D(2025, 12, 21), S.IN_PROGRESS, id="started before the start date"
    ),
    pytest.param(
        [up(D(2026, 3, 1), 40), up(D(2026, 6, 30), 100)], D(2026, 7, 1), S.COMPLETED, id="100% on due day"
    ),
    pytest.param([up(D(2026, 7, 5), 100)], D(2026, 7, 10), S.COMPLETED_LATE, id="100% after due"),
    pytest.param([up(D(2026, 3, 1), 40)], D(2026, 7, 1), S.OVERDUE, id="past due, not complete"),
    pytest.param([], D(2026, 7, 1), S.OVERDUE, id="past due, never started"),
    pytest.param([up(D(2026, 3, 1), 40)], D(2026, 6, 30), S.IN_PROGRESS, id="due today is not overdue"),
    pytest.param(
        [up(D(2026, 3, 1), 40), up(D(2026, 4, 1), flag=PAUSE)], D(2026, 5, 1), S.PAUSED, id="paused"
    ),
    pytest.param([up(D(2026, 4, 1), flag=PAUSE)], D(2026, 8, 1), S.PAUSED, id="paused beats overdue"),
    pytest.param(
        [up(D(2026, 3, 1), 40), up(D(2026, 4, 1), flag=PAUSE), up(D(2026, 5, 1), flag=RESUME)],
        D(2026, 5, 2),
        S.IN_PROGRESS,
        id="resumed",
    ),
    pytest.param(
        [up(D(2026, 4, 1), flag=PAUSE), up(D(2026, 5, 1), 100)],
        D(2026, 5, 2),
        S.COMPLETED,
        id="completed while paused",
    ),
    pytest.param(
        [up(D(2026, 3, 1), 40), up(D(2026, 5, 1), 100)],
        D(2026, 4, 1),
        S.IN_PROGRESS,
        id="future update ignored",
    ),
    pytest.param(
        [up(D(2026, 5, 1), 100), up(D(2026, 5, 20), 80)],
        D(2026, 6, 1),
        S.IN_PROGRESS,
        id="reopened after 100%",
    ),
    pytest.param(
        [up(D(2026, 6, 20), 100), up(D(2026, 7, 10), 100)],
        D(2026, 7, 11),
        S.COMPLETED,
        id="first 100% counts",
    ),
    pytest.param(
        [up(D(2026, 5, 1), 100), up(D(2026, 5, 20), 80), up(D(2026, 7, 2), 100)],
        D(2026, 7, 3),
        S.COMPLETED_LATE,
        id="reopened, finished late",
    ),
]


@pytest.mark.parametrize(("updates", "today", "expected"), CASES)
def test_status_rules(updates: list[Update], today: dt.date, expected: TaskStatus) -> None:
    assert derive_status(TASK, updates, today) is expected
    assert derive_states([TASK], updates, today)["T1"].status is expected


def test_each_of_the_six_statuses_is_reached_and_labelled_in_vietnamese() -> None:
    reached = {p.values[2] for p in CASES}
    assert reached == set(TaskStatus)
    assert [s.label for s in TaskStatus] == [
        "Chưa triển khai",
        "Đang thực hiện",
        "Hoàn thành",
        "Hoàn thành quá hạn",
        "Quá hạn",
        "Tạm dừng",
    ]


def test_without_a_due_date_a_task_is_never_overdue_nor_late() -> None:
    task = Task("T1", "Không hạn", "Sở Xây dựng")
    assert derive_status(task, [], D(2030, 12, 31)) is S.NOT_STARTED
    assert derive_status(task, [up(D(2030, 12, 31), 100)], D(2031, 1, 1)) is S.COMPLETED


def test_state_keeps_progress_dates_and_days_overdue() -> None:
    updates = [up(D(2026, 3, 1), 40), Update("T1", D(2026, 3, 5), None, "chỉ thêm nội dung")]
    state = derive_states([TASK], updates, D(2026, 7, 10))["T1"]
    assert (state.status, state.progress, state.last_update, state.days_overdue) == (
        S.OVERDUE,
        40,
        D(2026, 3, 5),
        10,
    )
    done = derive_states([TASK], [up(D(2026, 6, 1), 100)], D(2026, 7, 10))["T1"]
    assert (done.completed_on, done.progress, done.days_overdue) == (D(2026, 6, 1), 100, None)


def test_status_does_not_depend_on_the_order_updates_arrive_in() -> None:
    updates = [up(D(2026, 3, 1), 40), up(D(2026, 4, 1), flag=PAUSE), up(D(2026, 5, 1), flag=RESUME)]
    shuffled = updates[::-1]
    assert derive_status(TASK, updates, D(2026, 5, 2)) is derive_status(TASK, shuffled, D(2026, 5, 2))


@given(
    st.lists(
        st.tuples(
            st.integers(0, 400), st.one_of(st.none(), st.floats(0, 100)), st.sampled_from([None, *UpdateFlag])
        ),
        max_size=8,
    ),
    st.integers(0, 400),
)
def test_property_a_leaf_is_complete_exactly_when_its_latest_percent_is_100(
    raw: list[tuple[int, float | None, UpdateFlag | None]], offset: int
) -> None:
    today = START + dt.timedelta(days=offset)
    updates = [Update("T1", START + dt.timedelta(days=d), p, flag=f, id=i) for i, (d, p, f) in enumerate(raw)]
    status = derive_status(TASK, updates, today)
    counted = sorted(
        (u for u in updates if u.on <= today and u.percent is not None), key=lambda u: (u.on, u.id)
    )
    assert status.is_complete == (bool(counted) and counted[-1].percent == 100)
    random.Random(offset).shuffle(updates)
    assert derive_status(TASK, updates, today) is status


# --- roll-up -----------------------------------------------------------------------------------

PARENT = Task("P", "Chương trình", "Sở Văn hóa, Thể thao và Du lịch", due=D(2026, 12, 31))
A = Task("P.1", "Việc A", "Sở Văn hóa, Thể thao và Du lịch", "P", start=START, due=D(2026, 6, 30))
B = Task("P.2", "Việc B", "Sở Xây dựng", "P", start=START, due=D(2026, 9, 30), position=1)


def rolled(updates: list[Update], today: dt.date, tasks: list[Task] | None = None) -> TaskStatus:
    return derive_states(tasks or [PARENT, A, B], updates, today)["P"].status


def test_parent_of_tasks_not_started_is_not_started() -> None:
    assert rolled([], D(2026, 3, 1)) is S.NOT_STARTED


def test_parent_progress_is_the_mean_of_its_sub_tasks() -> None:
    states = derive_states([PARENT, A, B], [up(D(2026, 3, 1), 50, task="P.1")], D(2026, 3, 2))
    assert states["P"].status is S.IN_PROGRESS and states["P"].progress == 25


def test_parent_completes_when_all_sub_tasks_do_on_time() -> None:
    updates = [up(D(2026, 6, 1), 100, task="P.1"), up(D(2026, 9, 1), 100, task="P.2")]
    states = derive_states([PARENT, A, B], updates, D(2026, 10, 1))
    assert states["P"].status is S.COMPLETED and states["P"].completed_on == D(2026, 9, 1)


def test_parent_completes_late_when_a_sub_task_was_late() -> None:
    updates = [up(D(2026, 7, 2), 100, task="P.1"), up(D(2026, 9, 1), 100, task="P.2")]
    assert rolled(updates, D(2026, 10, 1)) is S.COMPLETED_LATE


def test_parent_is_overdue_when_a_sub_task_is() -> None:
    assert rolled([up(D(2026, 3, 1), 50, task="P.1")], D(2026, 7, 1)) is S.OVERDUE


def test_parent_is_overdue_when_its_own_due_date_passes() -> None:
    parent = Task("P", "Chương trình", "Sở Xây dựng", due=D(2026, 5, 1))
    assert rolled([up(D(2026, 3, 1), 50, task="P.1")], D(2026, 5, 2), [parent, A, B]) is S.OVERDUE


def test_parent_is_paused_when_every_unfinished_sub_task_is() -> None:
    updates = [up(D(2026, 3, 1), 100, task="P.1"), up(D(2026, 4, 1), flag=PAUSE, task="P.2")]
    assert rolled(updates, D(2026, 5, 1)) is S.PAUSED


def test_parent_own_pause_flag_pauses_it_and_its_own_percent_is_ignored() -> None:
    assert rolled([up(D(2026, 3, 1), 100, task="P")], D(2026, 3, 2)) is S.NOT_STARTED
    assert rolled([up(D(2026, 3, 1), flag=PAUSE, task="P")], D(2026, 3, 2)) is S.PAUSED


def test_roll_up_goes_through_every_level() -> None:
    grandchild = Task("P.1.1", "Việc A1", "Sở Xây dựng", "P.1", due=D(2026, 2, 1))
    states = derive_states([PARENT, A, B, grandchild], [], D(2026, 2, 2))
    assert states["P.1.1"].status is S.OVERDUE
    assert states["P.1"].status is S.OVERDUE  # its own due date has not passed: the grandchild's has
    assert states["P"].status is S.OVERDUE


# --- tree, scorecard, digest, timeline ------------------------------------------------------------


def test_tree_order_numbers_tasks_and_puts_children_after_their_parent() -> None:
    rows = tree_order([B, PARENT, A, Task("Q", "Khác", position=1)])
    assert [(r.number, r.task.code, r.depth) for r in rows] == [
        ("1", "P", 0),
        ("1.1", "P.1", 1),
        ("1.2", "P.2", 1),
        ("2", "Q", 0),
    ]


def agency_tasks() -> list[Task]:
    svh, sxd = "Sở Văn hóa, Thể thao và Du lịch", "Sở Xây dựng"
    return [
        Task("P", "Chương trình", svh),
        Task("V1", "Đúng hạn", svh, "P", due=D(2026, 6, 30)),
        Task("V2", "Trễ", svh, "P", due=D(2026, 6, 30)),
        Task("V3", "Quá hạn", svh, "P", due=D(2026, 6, 30)),
        Task("V4", "Đang làm", svh, "P", due=D(2026, 12, 31)),
        Task("X1", "Đúng hạn", sxd, due=D(2026, 6, 30)),
        Task("X2", "Chưa làm", sxd),
        Task("X3", "Dừng", sxd, due=D(2026, 3, 1)),
        Task("U1", "Chưa giao"),
    ]


AGENCY_UPDATES = [
    up(D(2026, 6, 1), 100, task="V1"),
    up(D(2026, 7, 2), 100, task="V2"),
    up(D(2026, 5, 1), 60, task="V3"),
    up(D(2026, 5, 1), 30, task="V4"),
    up(D(2026, 6, 30), 100, task="X1"),
    up(D(2026, 2, 1), flag=PAUSE, task="X3"),
]


def test_scorecard_counts_tasks_without_sub_tasks_by_lead_agency() -> None:
    scores = {s.agency: s for s in scorecard(agency_tasks(), AGENCY_UPDATES, D(2026, 7, 10))}
    assert list(scores) == ["Sở Văn hóa, Thể thao và Du lịch", "Sở Xây dựng", "Chưa giao cơ quan chủ trì"]
    svh = scores["Sở Văn hóa, Thể thao và Du lịch"]
    assert (svh.total, svh.completed_on_time, svh.completed_late, svh.overdue, svh.in_progress) == (
        4,
        1,
        1,
        1,
        1,
    )
    assert svh.share_completed == pytest.approx(0.5)
    assert svh.on_time_rate == pytest.approx(1 / 3)
    sxd = scores["Sở Xây dựng"]
    assert (sxd.total, sxd.completed_on_time, sxd.not_started, sxd.paused, sxd.without_due) == (3, 1, 1, 1, 1)
    assert sxd.on_time_rate == 1.0
    none = scores["Chưa giao cơ quan chủ trì"]
    assert none.on_time_rate is None and none.share_completed == 0
    total = total_score(scores.values())
    assert (total.total, total.completed, total.overdue) == (8, 3, 1)
    assert svh.as_dict()["on_time_rate"] == pytest.approx(1 / 3)


DUE_TASK = Task(
    "D1", "Hoàn thành quy hoạch Khu cảnh quan", "Sở Văn hóa, Thể thao và Du lịch", due=D(2026, 12, 1)
)


@pytest.mark.parametrize(
    ("today", "listed"),
    [
        (D(2026, 11, 23), None),
        (D(2026, 11, 24), "due_soon"),
        (D(2026, 11, 29), "due_soon"),
        (D(2026, 12, 1), "due_soon"),
        (D(2026, 12, 2), "overdue"),
        (D(2027, 1, 15), "overdue"),
    ],
)
def test_digest_lists_a_task_on_the_right_days(today: dt.date, listed: str | None) -> None:
    result = digest([DUE_TASK], [up(D(2026, 11, 1), 50, task="D1")], today)
    assert [i.code for i in result.overdue] == (["D1"] if listed == "overdue" else [])
    assert [i.code for i in result.due_soon] == (["D1"] if listed == "due_soon" else [])


def test_digest_text_on_the_29th_and_on_the_2nd() -> None:
    updates = [up(D(2026, 11, 1), 50, task="D1")]
    before = digest([DUE_TASK], updates, D(2026, 11, 29)).text
    assert "NHẮC VIỆC — ngày 29/11/2026" in before
    assert "Sở Văn hóa, Thể thao và Du lịch" in before
    assert "Sắp đến hạn:" in before and "hạn 01/12/2026, còn 2 ngày, tiến độ 50%" in before
    assert "Quá hạn:\n" not in before
    after = digest([DUE_TASK], updates, D(2026, 12, 2)).text
    assert "Quá hạn: 1 nhiệm vụ" in after and "quá hạn 1 ngày" in after
    assert "đến hạn hôm nay" in digest([DUE_TASK], updates, D(2026, 12, 1)).text
    assert "Không có nhiệm vụ quá hạn hoặc sắp đến hạn." in digest([DUE_TASK], updates, D(2026, 11, 20)).text


def test_digest_leaves_out_finished_and_paused_tasks_and_groups_by_agency() -> None:
    result = digest(agency_tasks(), AGENCY_UPDATES, D(2026, 7, 10))
    assert [i.code for i in result.overdue] == ["V3"]
    assert result.agencies() == ["Sở Văn hóa, Thể thao và Du lịch"]
    assert result.for_agency("so van hoa, the thao va du lich").overdue == result.overdue
    assert result.for_agency("Sở Xây dựng").is_empty
    data = result.as_dict()
    assert data["overdue"][0] == {
        "code": "V3",
        "title": "Quá hạn",
        "agency": "Sở Văn hóa, Thể thao và Du lịch",
        "due": "2026-06-30",
        "days": 10,
        "progress": 60,
        "status": "overdue",
        "status_label": "Quá hạn",
    }


def test_timeline_gives_planned_and_actual_dates_in_tree_order() -> None:
    items = timeline(agency_tasks(), AGENCY_UPDATES, D(2026, 7, 10))
    assert [i.number for i in items][:3] == ["1", "1.1", "1.2"]
    first = next(i for i in items if i.code == "V1")
    assert (first.due, first.completed_on, first.status) == (D(2026, 6, 30), D(2026, 6, 1), S.COMPLETED)
    assert first.as_dict()["completed_on"] == "2026-06-01" and first.as_dict()["status_label"] == "Hoàn thành"


# --- who may report, names, dates ---------------------------------------------------------------


def test_an_agency_updates_only_the_tasks_it_leads() -> None:
    assert can_update(TASK, "agency", "Sở Xây dựng")
    assert can_update(TASK, "agency", "so xay  dung")
    assert not can_update(TASK, "agency", "Sở Y tế")
    assert not can_update(TASK, "agency", None)
    assert can_update(TASK, "province", None) and can_update(TASK, "admin", "")
    assert not can_update(Task("T2", "Chưa giao"), "agency", "Sở Xây dựng")
    with pytest.raises(NotAllowed) as caught:
        check_can_update(TASK, "agency", "Sở Y tế")
    assert caught.value.status == 403
    assert "Sở Y tế" in caught.value.message_vi and "không chủ trì nhiệm vụ T1" in caught.value.message_vi


def test_agencies_are_found_by_code_name_or_commune_name() -> None:
    commune = commune_agency(Area("01447", "Xã Trà Lĩnh", "xa", "04"))
    assert (commune.code, commune.name, commune.kind) == ("01447", "UBND xã Trà Lĩnh", AgencyKind.COMMUNE)
    agencies = [Agency("SXD", "Sở Xây dựng"), commune]
    assert find_agency(agencies, "sxd") is agencies[0]
    assert find_agency(agencies, "so xay dung") is agencies[0]
    for text in ("01447", "UBND xã Trà Lĩnh", "xa tra linh", "Ủy ban nhân dân xã Trà Lĩnh"):
        assert find_agency(agencies, text) is commune, text
    assert find_agency(agencies, "Sở Y tế") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("quá hạn", S.OVERDUE),
        ("qua han", S.OVERDUE),
        ("overdue", S.OVERDUE),
        ("Hoàn thành quá hạn", S.COMPLETED_LATE),
        ("in-progress", S.IN_PROGRESS),
        ("Tạm dừng", S.PAUSED),
    ],
)
def test_status_is_read_from_label_or_code(text: str, expected: TaskStatus) -> None:
    assert parse_task_status(text) is expected


def test_unknown_status_and_priority_are_refused_in_vietnamese() -> None:
    with pytest.raises(ValueError, match="không hiểu trạng thái"):
        parse_task_status("xong rồi")
    assert parse_priority("Cao") is Priority.HIGH and parse_priority("") is Priority.NORMAL
    with pytest.raises(ValueError, match="mức ưu tiên"):
        parse_priority("gấp")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("01/12/2026", D(2026, 12, 1)),
        ("1/12/2026", D(2026, 12, 1)),
        ("2026-12-01", D(2026, 12, 1)),
        ("01-12-2026", D(2026, 12, 1)),
        ("01.12.2026", D(2026, 12, 1)),
    ],
)
def test_dates_are_read_day_first(text: str, expected: dt.date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "message"), [("31/02/2026", "không có thật"), ("12/2026", "không hiểu ngày")]
)
def test_bad_dates_are_refused(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_date(text)


@given(st.dates(D(1900, 1, 1), D(2100, 12, 31)))
def test_property_format_and_parse_dates_round_trip(day: dt.date) -> None:
    assert parse_date(format_date(day)) == day


def test_updates_count_for_the_vietnamese_calendar_day() -> None:
    late_evening_utc = dt.datetime(2026, 11, 30, 18, 0, tzinfo=dt.UTC)  # 01:00 on 1 December in Vietnam
    assert local_date(late_evening_utc) == D(2026, 12, 1)
    assert local_date(dt.datetime(2026, 11, 30, 16, 59)) == D(2026, 11, 30)
