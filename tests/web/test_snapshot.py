"""The snapshot a request reads: same answers as the core, and never stale after a write."""

from __future__ import annotations

from fastapi.testclient import TestClient

from chiso.observations import DataStatus, Observation, ObservationSet
from chiso.periods import Period
from chiso.store import Store
from chiso.web import create_app
from chiso.web.snapshot import IndexedObservationSet, load_snapshot


def test_indexed_set_answers_as_the_core(seeded: Store, catalogue: object) -> None:
    snapshot = load_snapshot(seeded, "cao-bang-2025-2030")
    core = ObservationSet(snapshot.observations, snapshot.catalogue)
    indexed = IndexedObservationSet(snapshot.observations, snapshot.catalogue)
    for code in ("new_rural_standard", "hpi_score", "grdp_growth"):
        assert indexed.years_with_units(code, "04") == core.years_with_units(code, "04")
        for year in range(2019, 2028):
            assert dict(indexed.units(code, Period.annual(year))) == dict(
                core.units(code, Period.annual(year))
            )


def test_a_write_is_seen_by_the_next_request_of_every_worker(seeded: Store) -> None:
    # Two apps over one database stand for two workers (or two servers).
    first, second = TestClient(create_app(seeded)), TestClient(create_app(seeded))
    before = first.get("/api/observations", params={"indicator": "urbanisation_rate"}).json()["total"]
    assert (
        second.get("/api/observations", params={"indicator": "urbanisation_rate"}).json()["total"] == before
    )
    seeded.add_observations(
        [Observation("urbanisation_rate", "04", Period.annual(2026), 27.5, DataStatus.ESTIMATE, "Thử nghiệm")]
    )
    for client in (first, second):
        body = client.get("/api/observations", params={"indicator": "urbanisation_rate"}).json()
        assert body["total"] == before + 1
    page = second.get("/chi-tieu/t-urbanisation").text
    assert "27,5" in page


def test_snapshot_is_reused_while_nothing_is_written(seeded: Store) -> None:
    assert load_snapshot(seeded, "cao-bang-2025-2030") is load_snapshot(seeded, "cao-bang-2025-2030")
