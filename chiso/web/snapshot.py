"""What a request reads: one resolution, its catalogue, the province's figures and units.

The web tier keeps no state of its own: every request starts from the database. To
stay fast it reuses a :class:`Snapshot` built for the same *data version* — the id
and time of the newest audit-log entry, which every write to the store adds — so a
figure entered through any worker or server is seen by the next request everywhere.
The cache holds derived values only; dropping it changes nothing but speed.

A snapshot is *public* (only published figures, for visitors who have not logged in)
or *internal* (every figure but rejected ones, for logged-in accounts): the rule is
:func:`chiso.auth.hidden_batches`, and both kinds are cached side by side.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from sqlalchemy import or_, select

from chiso.areas import Area
from chiso.assessment import Assessment, Reading, assess_resolution, assess_target
from chiso.auth import hidden_batches
from chiso.errors import ChisoError, TargetNotFound
from chiso.indicators import Catalogue
from chiso.observations import DataStatus, Observation, ObservationSet
from chiso.periods import Period, parse_period
from chiso.resolutions import default_catalogue, load_resolution, resolve_resolution_path
from chiso.store import Store
from chiso.store.models import AuditEntry, ObservationRow
from chiso.targets import Resolution, Target, TargetKind
from chiso.text import nfc
from chiso.web.errors import ResolutionNotFound

_CACHE_SIZE = 8


@functools.cache
def _shipped_catalogue() -> Catalogue:
    return default_catalogue()


_YAML_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@functools.lru_cache(maxsize=16)
def parse_resolution_text(text: str) -> tuple[Resolution, Catalogue]:
    """A resolution from YAML text already validated when it was stored, with its catalogue."""
    try:
        resolution = Resolution.model_validate(yaml.load(nfc(text), Loader=_YAML_LOADER))
    except (yaml.YAMLError, ValidationError) as exc:
        raise ChisoError(
            "Nghị quyết lưu trong cơ sở dữ liệu không đọc được; hãy nạp lại tệp nghị quyết.",
            f"The stored resolution cannot be read: {exc}",
        ) from None
    return resolution, _shipped_catalogue().merged(resolution.indicators)


class IndexedObservationSet(ObservationSet):
    """An :class:`ObservationSet` whose per-unit lookups are indexed once.

    The core answers :meth:`units` and :meth:`years_with_units` by scanning every cell;
    share-of-units targets ask for each year, so with ten years of 56 communes the scans
    dominate a page. Same answers, from a dictionary.
    """

    def __init__(self, observations: Iterable[Observation], catalogue: Catalogue) -> None:
        super().__init__(observations, catalogue)
        units: dict[tuple[str, Period], dict[str, Observation]] = defaultdict(dict)
        years: dict[str, set[tuple[str, int]]] = defaultdict(set)
        for obs in self:
            units[(obs.indicator, obs.period)][obs.area] = obs
            if obs.period.is_annual:
                years[obs.indicator].add((obs.area, obs.period.year))
        self._units = dict(units)
        self._unit_years = dict(years)

    def units(self, indicator: str, period: Period) -> Mapping[str, Observation]:
        """The effective figure of every area that reported ``indicator`` for ``period``."""
        return self._units.get((indicator, period), {})

    def years_with_units(self, indicator: str, exclude_area: str) -> list[int]:
        """Years for which any area other than ``exclude_area`` reported ``indicator``."""
        return sorted({year for area, year in self._unit_years.get(indicator, ()) if area != exclude_area})


@dataclass
class Snapshot:
    """The resolution, catalogue, figures (every vintage) and units of one data version."""

    resolution: Resolution
    catalogue: Catalogue
    observations: tuple[Observation, ...]
    data: ObservationSet
    areas: tuple[Area, ...]
    updated_at: dt.datetime | None
    _assessed: dict[int, list[Assessment]] = field(default_factory=dict, repr=False)
    _shares: dict[tuple[str, int], list[Reading]] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def province(self) -> str:
        """The province code of the resolution."""
        return self.resolution.province

    @property
    def province_name(self) -> str:
        """The province's name as the resolution writes it, else as the unit list does."""
        if self.resolution.province_name:
            return self.resolution.province_name
        area = self.area(self.province)
        return area.name if area else self.province

    @functools.cached_property
    def communes(self) -> list[Area]:
        """The province's commune-level units, by name."""
        return sorted((a for a in self.areas if a.is_commune), key=lambda a: a.name)

    @functools.cached_property
    def _by_code(self) -> dict[str, Area]:
        return {a.code: a for a in self.areas}

    def area(self, code: str) -> Area | None:
        """The unit with this code, if the province has it."""
        return self._by_code.get(code)

    @functools.cached_property
    def latest_year(self) -> int:
        """The latest year any figure is for, not after the current year; else the current year."""
        now = dt.date.today().year
        years = [o.period.year for o in self.observations if o.period.year <= now]
        return max(years, default=now)

    def years(self) -> list[int]:
        """The years an assessment can be asked for: the term up to now (or the latest data)."""
        start, end = self.resolution.term
        last = min(end, max(dt.date.today().year, self.latest_year))
        return list(range(start, max(last, start) + 1))

    def assessments(self, as_of: int) -> list[Assessment]:
        """Every target assessed with the figures up to ``as_of`` (computed once per year)."""
        with self._lock:
            found = self._assessed.get(as_of)
        if found is None:
            found = assess_resolution(
                self.resolution, self.catalogue, self.data, as_of=as_of, areas=self.areas
            )
            with self._lock:
                self._assessed[as_of] = found
        return found

    def assessment(self, target_id: str, as_of: int) -> Assessment:
        """One target's assessment; :class:`TargetNotFound` if the resolution has no such target."""
        for a in self.assessments(as_of):
            if a.target.id == target_id:
                return a
        raise TargetNotFound(target_id)

    def share_history(self, target: Target, as_of: int) -> list[Reading]:
        """The share of units meeting a share-of-units target, year by year, as the engine counts it."""
        if target.kind is not TargetKind.SHARE_OF_UNITS:
            return []
        key = (target.id, as_of)
        with self._lock:
            cached = self._shares.get(key)
        if cached is not None:
            return cached
        indicator = self.catalogue.get(target.indicator)
        readings: list[Reading] = []
        for year in self.data.years_with_units(indicator.code, self.province):
            if year > as_of:
                break
            a = assess_target(
                target,
                indicator,
                self.data,
                area=self.province,
                as_of=year,
                term_start=self.resolution.term[0],
                areas=self.areas,
            )
            if a.coverage is not None and a.coverage.year == year:
                meeting, eligible = a.coverage.meeting, a.coverage.eligible
                value = 100.0 * meeting / eligible if eligible else 0.0
                status = a.latest.status if a.latest and a.latest.period.year == year else None
                readings.append(Reading(value, Period.annual(year), status, f"{meeting}/{eligible} đơn vị"))
        with self._lock:
            self._shares[key] = readings
        return readings

    def target_series(self, a: Assessment) -> list[Reading]:
        """What a target reads year by year, up to its year: the province's figures, or the share of units."""
        if a.target.kind is TargetKind.SHARE_OF_UNITS:
            return self.share_history(a.target, a.as_of)
        observations = self.data.series(a.indicator.code, self.province, until=Period.annual(a.as_of))
        return [Reading.of(o) for o in observations]

    def sources(self, indicator: str, area: str) -> list[Observation]:
        """Every figure given for one indicator and unit (all vintages), oldest period first."""
        stamp = dt.datetime.min.replace(tzinfo=dt.UTC)
        found = [o for o in self.observations if o.indicator == indicator and o.area == area]
        return sorted(found, key=lambda o: (o.period, o.entered_at or stamp))


def _version(store: Store) -> tuple[int, str]:
    """The data version: the newest audit entry's id and time (ids restart when a database is rebuilt)."""
    with store.session() as s:
        row = s.execute(select(AuditEntry.id, AuditEntry.at).order_by(AuditEntry.id.desc()).limit(1)).first()
    if row is None:
        return (0, "")
    return (int(row[0]), row[1].isoformat() if row[1] is not None else "")


def _resolution_source(store: Store, name: str) -> tuple[Resolution, Catalogue]:
    """The resolution ``name``: stored in the database, else a shipped file or a path (trusted names only)."""
    text = store.resolution_text(name)
    if text is not None:
        return parse_resolution_text(text)
    path = resolve_resolution_path(name)
    if not path.is_file():
        raise ResolutionNotFound(name)
    return load_resolution(path)


def _observations(store: Store, areas: Sequence[str], *, public: bool) -> tuple[Observation, ...]:
    """Every stored figure of these areas a reader may see, oldest entry first (a column query).

    ``public``: only published figures (:func:`chiso.auth.hidden_batches`); otherwise
    every figure but those of rejected batches.
    """
    columns = (
        ObservationRow.indicator,
        ObservationRow.area,
        ObservationRow.period,
        ObservationRow.value,
        ObservationRow.status,
        ObservationRow.source,
        ObservationRow.note,
        ObservationRow.entered_by,
        ObservationRow.entered_at,
        ObservationRow.source_url,
    )
    period = functools.lru_cache(maxsize=None)(parse_period)
    status = {int(s): s for s in DataStatus}
    with store.session() as s:
        hidden = hidden_batches(public=public)
        rows = s.execute(
            select(*columns)
            .where(
                ObservationRow.area.in_(list(areas)),
                or_(ObservationRow.batch_id.is_(None), ObservationRow.batch_id.not_in(hidden)),
            )
            .order_by(ObservationRow.id)
        )
        return tuple(
            Observation(
                r.indicator,
                r.area,
                period(r.period),
                r.value,
                status[r.status],
                r.source,
                r.note,
                r.entered_by,
                r.entered_at.replace(tzinfo=dt.UTC)
                if r.entered_at and r.entered_at.tzinfo is None
                else r.entered_at,
                r.source_url,
            )
            for r in rows
        )


_cache: OrderedDict[tuple[Any, ...], Snapshot] = OrderedDict()
_cache_lock = threading.Lock()


def load_snapshot(store: Store, resolution: str, *, public: bool = False) -> Snapshot:
    """The snapshot of ``resolution`` (an id stored in the database, a shipped name or a path).

    Only names the installation configured, or ids found in the store, may be passed:
    a name that is not stored is read as a file path. ``public`` snapshots hold only
    published figures: what a visitor who has not logged in may see.
    """
    version = _version(store)
    key: tuple[Any, ...] = (store.url, id(store.engine), resolution, version, public)
    with _cache_lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
            return found
    res, catalogue = _resolution_source(store, resolution)
    areas = tuple(store.areas(res.province))
    codes = [a.code for a in areas] or [res.province]
    observations = _observations(store, codes, public=public)
    updated = dt.datetime.fromisoformat(version[1]) if version[1] else None
    if updated is not None and updated.tzinfo is None:
        updated = updated.replace(tzinfo=dt.UTC)
    snapshot = Snapshot(
        res, catalogue, observations, IndexedObservationSet(observations, catalogue), areas, updated
    )
    with _cache_lock:
        _cache[key] = snapshot
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return snapshot


def clear_cache() -> None:
    """Forget every snapshot (tests, and after restoring a backup into a running server)."""
    with _cache_lock:
        _cache.clear()


def boundaries_path(configured: Path | None) -> Path | None:
    """The boundaries GeoJSON file, if one is configured and exists."""
    if configured is None:
        return None
    path = Path(configured).expanduser()
    return path if path.is_file() else None
