"""Opening the store: engine, SQLite pragmas, migrations on first use, and queries.

The embedded default is one SQLite file in the data directory (``CHISO_HOME``),
created and migrated the first time it is opened, in WAL mode with foreign keys on.
Production runs the same migrations on PostgreSQL (``CHISO_DATABASE_URL``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, func, insert, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from chiso import settings
from chiso.areas import Area
from chiso.observations import DataStatus, Observation
from chiso.periods import parse_period
from chiso.store.models import AreaRow, AuditEntry, ImportBatch, ObservationRow, ResolutionRow, utcnow

MIGRATIONS = resources.files("chiso.store") / "migrations"
_CHUNK = 5000


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite files get their folder created and WAL switched on."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def migrate(engine: Engine) -> None:
    """Bring the database schema to the newest migration."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    # SQLite hands timestamps back without their zone; chiso stores UTC.
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value


def to_observation(row: ObservationRow) -> Observation:
    """The domain observation of a row."""
    return Observation(
        row.indicator,
        row.area,
        parse_period(row.period),
        row.value,
        DataStatus(row.status),
        row.source,
        row.note,
        row.entered_by,
        _aware(row.entered_at),
        row.source_url,
    )


@dataclass(frozen=True)
class WriteResult:
    """What a write of observations did."""

    added: int
    unchanged: int
    batch_id: int | None = None

    @property
    def message(self) -> str:
        """A Vietnamese summary: "12 giá trị mới; 3 không đổi" or "0 thay đổi"."""
        if self.added == 0:
            return f"0 thay đổi ({self.unchanged} giá trị đã có, giống hệt)"
        return f"{self.added} giá trị mới hoặc sửa đổi; {self.unchanged} không đổi"


def _key(obs: Observation) -> tuple[str, str, str, str, int]:
    return (obs.indicator, obs.area, obs.period.code, obs.source, int(obs.status))


def _same(row: Observation, new: Observation) -> bool:
    return (
        abs(row.value - new.value) <= 1e-9 * max(1.0, abs(new.value))
        and row.note == new.note
        and row.source_url == new.source_url
    )


class Store:
    """The database: areas, resolutions, observations (append-only) and the audit log."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @property
    def url(self) -> str:
        """The database URL with any password hidden."""
        return settings.redact_url(self.engine.url.render_as_string(hide_password=False))

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in a transaction: committed on success, rolled back on error."""
        with self._sessions() as session, session.begin():
            yield session

    # --- areas ---------------------------------------------------------------------

    def areas(self, province: str | None = None) -> list[Area]:
        """Areas, optionally only a province and its communes."""
        with self.session() as s:
            query = select(AreaRow).order_by(AreaRow.code)
            if province is not None:
                query = query.where((AreaRow.code == province) | (AreaRow.parent == province))
            return [Area(r.code, r.name, r.type, r.parent, r.border, r.population) for r in s.scalars(query)]

    def save_areas(self, areas: Iterable[Area], *, actor: str = "") -> WriteResult:
        """Insert or update areas by code; every change is audited."""
        added = unchanged = 0
        with self.session() as s:
            existing = {r.code: r for r in s.scalars(select(AreaRow))}
            for area in areas:
                after = {
                    "name": area.name,
                    "type": area.type,
                    "parent": area.parent,
                    "border": area.border,
                    "population": area.population,
                }
                row = existing.get(area.code)
                if row is None:
                    s.add(AreaRow(code=area.code, **after))
                    s.add(
                        AuditEntry(
                            actor=actor, action="insert", entity="area", entity_id=area.code, after=after
                        )
                    )
                    added += 1
                    continue
                before = {k: getattr(row, k) for k in after}
                if before == after:
                    unchanged += 1
                    continue
                for k, v in after.items():
                    setattr(row, k, v)
                s.add(
                    AuditEntry(
                        actor=actor,
                        action="update",
                        entity="area",
                        entity_id=area.code,
                        before=before,
                        after=after,
                    )
                )
                added += 1
        return WriteResult(added, unchanged)

    # --- resolutions -----------------------------------------------------------------

    def save_resolution(
        self, resolution_id: str, province: str, title: str, status: str, text: str, *, actor: str = ""
    ) -> bool:
        """Store a resolution's text (validated by the caller); True if anything changed."""
        with self.session() as s:
            row = s.get(ResolutionRow, resolution_id)
            if row is not None and row.text == text and row.status == status:
                return False
            before = None if row is None else {"status": row.status, "sha256": _sha(row.text)}
            if row is None:
                row = ResolutionRow(id=resolution_id)
                s.add(row)
            row.province, row.title, row.status, row.text = province, title, status, text
            row.loaded_at, row.loaded_by = utcnow(), actor
            s.add(
                AuditEntry(
                    actor=actor,
                    action="insert" if before is None else "update",
                    entity="resolution",
                    entity_id=resolution_id,
                    before=before,
                    after={"status": status, "sha256": _sha(text)},
                )
            )
            return True

    def resolution_text(self, resolution_id: str) -> str | None:
        """The stored YAML text of a resolution."""
        with self.session() as s:
            row = s.get(ResolutionRow, resolution_id)
            return row.text if row else None

    def resolution_ids(self) -> list[str]:
        """Ids of the stored resolutions."""
        with self.session() as s:
            return list(s.scalars(select(ResolutionRow.id).order_by(ResolutionRow.id)))

    # --- observations ------------------------------------------------------------------

    def add_observations(
        self,
        observations: Sequence[Observation],
        *,
        actor: str = "",
        file_name: str | None = None,
        sha256: str | None = None,
        dry_run: bool = False,
    ) -> WriteResult:
        """Append observations, skipping those identical to the newest row of their cell.

        A cell here is indicator × area × period × source × status: the same source
        sending the same figure again changes nothing ("0 thay đổi"); a different value
        is a new revision, and the old row stays.
        """
        indicators = sorted({o.indicator for o in observations})
        newest: dict[tuple[str, str, str, str, int], Observation] = {}
        with self.session() as s:
            if indicators:
                rows = s.scalars(
                    select(ObservationRow)
                    .where(ObservationRow.indicator.in_(indicators))
                    .order_by(ObservationRow.entered_at, ObservationRow.id)
                )
                for row in rows:
                    obs = to_observation(row)
                    newest[_key(obs)] = obs
            fresh: list[Observation] = []
            revisions: list[tuple[Observation, Observation]] = []
            for obs in observations:
                previous = newest.get(_key(obs))
                if previous is not None and _same(previous, obs):
                    continue
                if previous is not None:
                    revisions.append((previous, obs))
                newest[_key(obs)] = obs
                fresh.append(obs)
            unchanged = len(observations) - len(fresh)
            if dry_run:
                s.rollback()
                return WriteResult(len(fresh), unchanged)
            batch = ImportBatch(
                file_name=file_name or "(nhập tay)",
                sha256=sha256 or "",
                actor=actor,
                added=len(fresh),
                unchanged=unchanged,
            )
            s.add(batch)
            s.flush()
            now = utcnow()
            # Chunked inserts keep memory bounded on large files; one transaction keeps
            # the import all-or-nothing.
            for start in range(0, len(fresh), _CHUNK):
                s.execute(
                    insert(ObservationRow),
                    [
                        {
                            "indicator": o.indicator,
                            "area": o.area,
                            "period": o.period.code,
                            "year": o.period.year,
                            "value": o.value,
                            "status": int(o.status),
                            "source": o.source,
                            "source_url": o.source_url,
                            "note": o.note,
                            "entered_by": o.entered_by or actor,
                            "entered_at": o.entered_at or now,
                            "batch_id": batch.id,
                        }
                        for o in fresh[start : start + _CHUNK]
                    ],
                )
            s.add(
                AuditEntry(
                    actor=actor,
                    action="import" if file_name else "insert",
                    entity="observations",
                    entity_id=str(batch.id),
                    after={"file": file_name, "sha256": sha256, "added": len(fresh), "unchanged": unchanged},
                )
            )
            for before, after in revisions:
                s.add(
                    AuditEntry(
                        actor=actor,
                        action="revise",
                        entity="observation",
                        entity_id=f"{after.indicator}/{after.area}/{after.period.code}",
                        before=_obs_dict(before),
                        after=_obs_dict(after),
                    )
                )
            return WriteResult(len(fresh), unchanged, batch.id)

    def observations(
        self, *, indicators: Iterable[str] | None = None, areas: Iterable[str] | None = None
    ) -> list[Observation]:
        """Every stored observation (all vintages), optionally filtered."""
        with self.session() as s:
            query = select(ObservationRow).order_by(ObservationRow.id)
            if indicators is not None:
                query = query.where(ObservationRow.indicator.in_(list(indicators)))
            if areas is not None:
                query = query.where(ObservationRow.area.in_(list(areas)))
            return [to_observation(r) for r in s.scalars(query)]

    def history(self, indicator: str, area: str, period: str) -> list[Observation]:
        """Every figure ever given for one cell, oldest first."""
        with self.session() as s:
            rows = s.scalars(
                select(ObservationRow)
                .where(
                    ObservationRow.indicator == indicator,
                    ObservationRow.area == area,
                    ObservationRow.period == parse_period(period).code,
                )
                .order_by(ObservationRow.entered_at, ObservationRow.id)
            )
            return [to_observation(r) for r in rows]

    def has_batch(self, sha256: str) -> bool:
        """Whether a file with this SHA-256 was imported before."""
        with self.session() as s:
            return s.scalar(select(ImportBatch.id).where(ImportBatch.sha256 == sha256).limit(1)) is not None

    def count_observations(self) -> int:
        """How many observation rows the store holds."""
        with self.session() as s:
            return int(s.scalar(select(func.count()).select_from(ObservationRow)) or 0)

    def checksum(self) -> str:
        """A SHA-256 over every observation and area row, to prove a refused import wrote nothing."""
        digest = hashlib.sha256()
        with self.session() as s:
            for row in s.scalars(select(ObservationRow).order_by(ObservationRow.id)):
                digest.update(
                    repr(
                        (row.id, row.indicator, row.area, row.period, row.value, row.status, row.source)
                    ).encode()
                )
            for area in s.scalars(select(AreaRow).order_by(AreaRow.code)):
                digest.update(repr((area.code, area.name, area.type, area.parent, area.border)).encode())
        return digest.hexdigest()

    # --- audit ---------------------------------------------------------------------------

    def audit_log(self, limit: int = 100) -> list[AuditEntry]:
        """The newest entries of the audit log."""
        with self.session() as s:
            return list(s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)))


def _obs_dict(obs: Observation) -> dict[str, Any]:
    return {
        "value": obs.value,
        "status": obs.status.code,
        "source": obs.source,
        "note": obs.note,
        "entered_by": obs.entered_by,
    }


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def open_store(url: str | None = None) -> Store:
    """Open (and on first use create and migrate) the store at ``url`` or the configured one."""
    engine = make_engine(url or settings.database_url())
    migrate(engine)
    return Store(engine)
