"""The store on SQLite (and PostgreSQL when configured): migrations, append-only history, audit."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import text

from chiso.areas import Area
from chiso.observations import DataStatus, ObservationSet, conflicts
from chiso.store import Store, open_store
from tests.conftest import obs


def _head() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from chiso.store.db import MIGRATIONS

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head


def test_first_open_creates_and_migrates(tmp_path) -> None:
    path = tmp_path / "nested" / "chiso.sqlite3"
    store = open_store(f"sqlite:///{path}")
    assert path.exists()
    with store.engine.connect() as c:
        assert c.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert c.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert c.execute(text("SELECT version_num FROM alembic_version")).scalar() == _head()
    # Opening again is a no-op migration and keeps the data.
    store.add_observations([obs("grdp_growth", 2026, 7.2)])
    again = open_store(f"sqlite:///{path}")
    assert again.count_observations() == 1


def test_same_figures_twice_change_nothing(store: Store) -> None:
    figures = [obs("grdp_growth", 2026, 7.2, source="Cục Thống kê"), obs("budget_revenue", 2026, 3400)]
    first = store.add_observations(figures, actor="an", file_name="a.csv")
    assert (first.added, first.unchanged) == (2, 0)
    second = store.add_observations(figures, actor="an", file_name="a.csv")
    assert (second.added, second.unchanged) == (0, 2)
    assert second.message.startswith("0 thay đổi")
    assert store.count_observations() == 2


def test_a_correction_is_a_new_revision_and_audited(store: Store) -> None:
    store.add_observations(
        [obs("grdp_growth", 2026, 7.2, status=DataStatus.ESTIMATE, source="S")], actor="an"
    )
    store.add_observations(
        [obs("grdp_growth", 2026, 7.4, status=DataStatus.ESTIMATE, source="S")], actor="bình"
    )
    store.add_observations([obs("grdp_growth", 2026, 7.35, status=DataStatus.FINAL, source="S")], actor="chi")
    history = store.history("grdp_growth", "04", "2026")
    assert [h.value for h in history] == [7.2, 7.4, 7.35]
    assert [h.entered_by for h in history] == ["an", "bình", "chi"]
    assert all(h.entered_at is not None and h.entered_at.tzinfo is not None for h in history)
    revise = [e for e in store.audit_log() if e.action == "revise"]
    assert len(revise) == 1
    assert revise[0].before["value"] == 7.2 and revise[0].after["value"] == 7.4
    assert revise[0].actor == "bình"


def test_effective_value_is_best_vintage(store: Store, catalogue) -> None:
    store.add_observations([obs("grdp_growth", 2026, 7.2, status=DataStatus.ESTIMATE)])
    store.add_observations([obs("grdp_growth", 2026, 6.9, status=DataStatus.PRELIMINARY)])
    store.add_observations(
        [obs("grdp_growth", 2026, 7.0, status=DataStatus.ESTIMATE, source="later estimate")]
    )
    data = ObservationSet(store.observations(), catalogue)
    (latest,) = data.series("grdp_growth", "04")
    assert (latest.value, latest.status) == (6.9, DataStatus.PRELIMINARY)


def test_two_sources_disagreeing_are_both_kept(store: Store) -> None:
    store.add_observations([obs("grdp_per_capita", 2020, 35.62, source="Cục Thống kê")])
    store.add_observations([obs("grdp_per_capita", 2020, 36.5, source="Luận văn")])
    kept = store.observations(indicators=["grdp_per_capita"])
    assert sorted(o.value for o in kept) == [35.62, 36.5]
    (conflict,) = conflicts(kept)
    assert conflict.period.code == "2020"


def test_areas_are_saved_updated_and_audited(store: Store) -> None:
    areas = [Area("04", "Tỉnh Cao Bằng", "tinh"), Area("01273", "Phường Thục Phán", "phuong", "04")]
    assert store.save_areas(areas, actor="admin").added == 2
    assert store.save_areas(areas, actor="admin").added == 0
    renamed = [Area("01273", "Phường Thục Phán", "phuong", "04", border=False, population=60000)]
    assert store.save_areas(renamed, actor="admin").added == 1
    assert [a.code for a in store.areas("04")] == ["01273", "04"]
    update = next(e for e in store.audit_log() if e.action == "update")
    assert update.before["population"] is None and update.after["population"] == 60000


def test_checksum_changes_only_with_data(store: Store) -> None:
    before = store.checksum()
    assert store.checksum() == before
    store.add_observations([obs("grdp_growth", 2026, 7.2)])
    assert store.checksum() != before


def test_dry_run_writes_nothing(store: Store) -> None:
    result = store.add_observations([obs("grdp_growth", 2026, 7.2)], dry_run=True)
    assert result.added == 1
    assert store.count_observations() == 0
    assert store.audit_log() == []


def test_timestamps_are_utc(store: Store) -> None:
    when = dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)
    o = obs("grdp_growth", 2026, 7.2)
    store.add_observations([o.__class__(**{**o.__dict__, "entered_at": when})])
    (row,) = store.observations()
    assert row.entered_at == when
