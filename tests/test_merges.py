"""Tests of chiso.merges: the old → new unit table and re-aggregating old figures."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest

from chiso.errors import InvalidFile
from chiso.io.areas_file import bundled_areas
from chiso.merges import MergeTable, OldUnit, load_merge_table, reaggregate
from chiso.observations import DataStatus, Observation
from chiso.periods import Period, parse_period
from tests.conftest import SHARED_DATA

MERGES = SHARED_DATA / "cao-bang-merges-2025.json"
Y2024 = Period.annual(2024)


@pytest.fixture(scope="module")
def table() -> MergeTable:
    """The Cao Bằng table beside the project; the tests that need it skip without it."""
    if not MERGES.exists():
        pytest.skip(f"{MERGES} is not beside the project")
    return load_merge_table(MERGES)


def count(code: str) -> float:
    """A synthetic count for an old unit, different for every unit."""
    return float(int(code) % 97 + 10)


def old_counts(table: MergeTable, *, skip: Iterable[str] = ()) -> list[Observation]:
    """The synthetic count for every old unit except ``skip``."""
    return [Observation("households", c, Y2024, count(c)) for c in table.old_codes if c not in set(skip)]


# --------------------------------------------------------------------------------
# The table
# --------------------------------------------------------------------------------


def test_cao_bang_161_old_units_make_56_new(table: MergeTable) -> None:
    assert len(table) == 56
    assert len(table.old_codes) == 161
    assert sum(len(table.old_units(c)) for c in table.new_codes) == 161
    assert not any(u.partial for c in table.new_codes for u in table.old_units(c))
    assert set(table.new_codes) == {a.code for a in bundled_areas("04") if a.is_commune}
    assert table.label("01501") == "Xã Đàm Thủy (01501)"
    assert table.old_units("01501")[0].label == "Xã Đàm Thuỷ (01495)"
    assert table.new_code_of("01495") == ["01501"]
    assert "1657/NQ-UBTVQH15" in table.source


def test_csv_table_with_and_without_header(tmp_path: Path) -> None:
    plain = tmp_path / "plain.csv"
    plain.write_text("1501,1495,Xã Đàm Thuỷ\n1501,1501\n1501,1507,Xã Phong Châu\n", encoding="utf-8")
    headed = tmp_path / "headed.csv"
    headed.write_text(
        "\ufeffmã mới,mã cũ,tên cũ,tên mới\n01501,01495,Xã Đàm Thuỷ,Xã Đàm Thủy\n01501,01501,Xã Chí Viễn,\n",
        encoding="utf-8",
    )
    a, b = load_merge_table(plain), load_merge_table(headed)
    assert [u.code for u in a.old_units("01501")] == ["01495", "01501", "01507"]
    assert a.old_units("01501")[1] == OldUnit("01501", "")
    assert [u.label for u in b.old_units("01501")] == ["Xã Đàm Thuỷ (01495)", "Xã Chí Viễn (01501)"]
    assert b.label("01501") == "Xã Đàm Thủy (01501)"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("01501,01495\n01489,01495\n", "duplicate-old-unit"),
        ("01501,01495\n01501,01495\n", "duplicate-old-unit"),
        ("01501,xx\n", "invalid-code"),
        ("mới,cũ\n01501,01495\n", "missing-column"),
    ],
)
def test_bad_csv_table(tmp_path: Path, text: str, kind: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidFile) as caught:
        load_merge_table(path)
    assert [p.kind for p in caught.value.problems] == [kind]


def test_bad_json_table(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"communes": [{"level2_id": "01501", "merges": []}, {"name": "x"}]}', encoding="utf-8")
    with pytest.raises(InvalidFile) as caught:
        load_merge_table(path)
    assert len(caught.value.problems) == 2
    with pytest.raises(InvalidFile):
        load_merge_table(tmp_path / "missing.json")


# --------------------------------------------------------------------------------
# Sums
# --------------------------------------------------------------------------------


def test_sums_of_a_count_add_up(table: MergeTable) -> None:
    new, notes = reaggregate(old_counts(table), table, rule="sum")
    assert len(new) == 56
    assert sum(o.value for o in new) == sum(count(c) for c in table.old_codes)
    for obs in new:
        members = table.old_units(obs.area)
        assert obs.value == sum(count(u.code) for u in members)
        assert obs.source.startswith(f"Cộng gộp từ {len(members)} xã cũ: ")
        assert (obs.indicator, obs.period, obs.status) == ("households", Y2024, DataStatus.FINAL)
    thuc_phan = next(o for o in new if o.area == "01273")
    assert "Phường Sông Hiến (01267)" in thuc_phan.source
    assert notes == ["Chỉ số households, năm 2024: cộng gộp các xã cũ — được 56/56 xã mới."]


def test_count_is_the_same_rule_as_sum(table: MergeTable) -> None:
    assert reaggregate(old_counts(table), table, rule="count") == reaggregate(
        old_counts(table), table, rule="sum"
    )


def test_sum_with_a_missing_old_unit_is_not_produced_and_noted(table: MergeTable) -> None:
    new, notes = reaggregate(old_counts(table, skip={"01495"}), table, rule="sum")
    assert len(new) == 55
    assert "01501" not in {o.area for o in new}
    assert (
        "Xã Đàm Thủy (01501) – chỉ số households, năm 2024: không cộng gộp vì thiếu số liệu "
        "của 1 xã cũ: Xã Đàm Thuỷ (01495)"
    ) in notes
    assert "được 55/56 xã mới" in notes[0]


def test_worst_status_and_best_vintage(table: MergeTable) -> None:
    observations = old_counts(table)
    # one old unit only has an estimate; another has a final figure superseding an estimate
    observations = [o for o in observations if o.area != "01495"]
    observations.append(Observation("households", "01495", Y2024, 5, DataStatus.ESTIMATE))
    observations.append(Observation("households", "01507", Y2024, 999, DataStatus.ESTIMATE))
    new, _ = reaggregate(observations, table, rule="sum")
    dam_thuy = next(o for o in new if o.area == "01501")
    assert dam_thuy.status == DataStatus.ESTIMATE
    assert dam_thuy.value == 5 + count("01501") + count("01507")
    others = [o for o in new if o.area != "01501"]
    assert {o.status for o in others} == {DataStatus.FINAL}


def test_figures_of_other_areas_are_ignored_with_a_note(table: MergeTable) -> None:
    observations = [*old_counts(table), Observation("households", "04", Y2024, 1e6)]
    new, notes = reaggregate(observations, table, rule="sum")
    assert len(new) == 56
    assert notes[0] == "Bỏ qua số liệu của 1 địa bàn không phải xã cũ trong bảng sáp nhập: 04"


def test_each_indicator_and_period_is_aggregated_separately(table: MergeTable) -> None:
    q1 = parse_period("2024-Q1")
    observations = [*old_counts(table), *[Observation("households", c, q1, 1) for c in table.old_codes]]
    new, notes = reaggregate(observations, table, rule="sum")
    assert len(new) == 112
    quarter = {o.area: o.value for o in new if o.period == q1}
    assert quarter["01501"] == 3
    assert len(notes) == 2


# --------------------------------------------------------------------------------
# Means
# --------------------------------------------------------------------------------


def test_weighted_mean_with_population_weights(table: MergeTable) -> None:
    rates = [Observation("poverty_rate", c, Y2024, count(c) / 10) for c in table.old_codes]
    population = [Observation("population", c, Y2024, 1000 + int(c) % 13 * 100) for c in table.old_codes]
    new, notes = reaggregate(rates, table, rule="weighted_mean", weights=population)
    assert len(new) == 56
    members = table.old_units("01501")
    pops = {o.area: o.value for o in population}
    expected = sum(count(u.code) / 10 * pops[u.code] for u in members) / sum(pops[u.code] for u in members)
    dam_thuy = next(o for o in new if o.area == "01501")
    assert dam_thuy.value == pytest.approx(expected)
    assert dam_thuy.source.startswith("Bình quân gia quyền theo population của 3 xã cũ: Xã Đàm Thuỷ (01495)")
    # the province's rate from the new units, weighted by their summed populations, is the old one's
    new_pops = {c: sum(pops[u.code] for u in table.old_units(c)) for c in table.new_codes}
    province_new = sum(o.value * new_pops[o.area] for o in new) / sum(new_pops.values())
    province_old = sum(o.value * pops[o.area] for o in rates) / sum(pops.values())
    assert province_new == pytest.approx(province_old)
    assert "bình quân gia quyền các xã cũ theo population" in notes[0]


def test_weighted_mean_needs_every_weight(table: MergeTable) -> None:
    rates = [Observation("poverty_rate", c, Y2024, 10) for c in table.old_codes]
    population = [Observation("population", c, Y2024, 1000) for c in table.old_codes if c != "01507"]
    new, notes = reaggregate(rates, table, rule="weighted_mean", weights=population)
    assert "01501" not in {o.area for o in new}
    assert any("thiếu population của 1 xã cũ: Xã Phong Châu (01507)" in n for n in notes)


def test_weights_status_counts_and_one_weight_indicator_only(table: MergeTable) -> None:
    rates = [Observation("poverty_rate", c, Y2024, 10) for c in table.old_codes]
    population = [
        Observation(
            "population", c, Y2024, 1000, DataStatus.PRELIMINARY if c == "01495" else DataStatus.FINAL
        )
        for c in table.old_codes
    ]
    new, _ = reaggregate(rates, table, rule="weighted_mean", weights=population)
    assert next(o for o in new if o.area == "01501").status == DataStatus.PRELIMINARY
    mixed = [*population, Observation("households", "01495", Y2024, 3)]
    with pytest.raises(ValueError, match="một chỉ số"):
        reaggregate(rates, table, rule="weighted_mean", weights=mixed)
    with pytest.raises(ValueError, match="trọng số"):
        reaggregate(rates, table, rule="weighted_mean")


def test_mean_with_a_missing_old_unit_is_produced_from_the_rest(table: MergeTable) -> None:
    rates = [Observation("poverty_rate", c, Y2024, count(c)) for c in table.old_codes if c != "01495"]
    new, notes = reaggregate(rates, table, rule="mean")
    assert len(new) == 56
    dam_thuy = next(o for o in new if o.area == "01501")
    assert dam_thuy.value == pytest.approx((count("01501") + count("01507")) / 2)
    assert dam_thuy.note == "Thiếu số liệu của 1 xã cũ: Xã Đàm Thuỷ (01495)"
    assert dam_thuy.source.startswith("Trung bình cộng của 2 xã cũ:")
    assert any(
        n.startswith("Xã Đàm Thủy (01501) – chỉ số poverty_rate, năm 2024: tính từ 2/3 xã cũ") for n in notes
    )


def test_partial_old_unit_is_not_apportioned() -> None:
    split = MergeTable(
        {
            "00010": (OldUnit("00001", "Xã A"), OldUnit("00002", "Xã B", partial=True)),
            "00020": (OldUnit("00003"),),
        }
    )
    observations = [Observation("households", c, Y2024, 1) for c in ("00001", "00002", "00003")]
    new, notes = reaggregate(observations, split, rule="sum")
    assert [o.area for o in new] == ["00020"]
    assert any("chỉ nhập một phần" in n and "Xã B (00002)" in n for n in notes)


def test_unknown_rule() -> None:
    with pytest.raises(ValueError, match="quy tắc"):
        reaggregate([], MergeTable({}), rule="median")  # type: ignore[arg-type]
