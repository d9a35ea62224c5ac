"""Chart builders: sparklines, target charts, the choropleth."""

from __future__ import annotations

from chiso.assessment import Reading
from chiso.periods import Period
from chiso.store import Store
from chiso.web.charts import choropleth, sparkline, target_chart
from chiso.web.errors import AreaNotFound, error_code
from chiso.web.snapshot import load_snapshot


def readings(values: dict[int, float]) -> list[Reading]:
    return [Reading(v, Period.annual(y)) for y, v in values.items()]


def test_sparkline_needs_two_points_and_inverts_ranks() -> None:
    assert sparkline(readings({2025: 1.0})) is None
    up = sparkline(readings({2024: 1.0, 2025: 2.0}))
    assert up is not None and up.points == "3.0,25.0 97.0,3.0"
    assert up.label == "Xu hướng 2024–2025: từ 1 đến 2"
    rank = sparkline(readings({2024: 30.0, 2025: 20.0}), invert=True)
    assert rank is not None and rank.last_y == 3.0  # a better rank is drawn higher


def test_target_chart_of_a_range_target(seeded: Store) -> None:
    snapshot = load_snapshot(seeded, "cao-bang-2025-2030")
    a = snapshot.assessment("1b", 2026)
    chart = target_chart(a, snapshot.target_series(a))
    assert chart is not None and chart.mode == "level" and chart.band == (75, 80)
    assert chart.rows[0].year <= 2025 and chart.rows[-1].year == 2030
    assert next(r for r in chart.rows if r.year == 2025).is_base
    assert "chỉ tiêu từ 75 đến 80 triệu đồng" in chart.description
    data = chart.data()
    assert len(data["years"]) == len(data["actual"]) == len(data["path"]) == len(data["projection"])


def test_share_target_chart_reads_the_share_of_units(seeded: Store) -> None:
    snapshot = load_snapshot(seeded, "cao-bang-2025-2030")
    a = snapshot.assessment("7", 2026)
    series = snapshot.target_series(a)
    assert [r.period.year for r in series] == [2025, 2026]
    assert round(series[-1].value, 2) == round(100 * 7 / 53, 2)
    chart = target_chart(a, series)
    assert chart is not None and chart.unit == "%" and chart.target_line == a.target.value  # as last amended


def test_choropleth_keeps_communes_without_data() -> None:
    data = choropleth(
        title="Thử",
        unit="điểm",
        decimals=1,
        values=[("01", "Xã A", 3.0), ("02", "Xã B", None), ("03", "Xã C", 9.0)],
        geojson_url="/api/boundaries",
        map_name="xa",
    )
    assert (data["min"], data["max"]) == (3.0, 9.0)
    assert [v["value"] for v in data["values"]] == [3.0, None, 9.0]


def test_error_codes_are_named_for_what_happened() -> None:
    assert error_code(AreaNotFound("99")) == "area_not_found"
