"""The public happiness-index page: ``/chi-so-hanh-phuc``.

For a scored wave (the newest by default): every commune's CB-HPI with its 95%
interval, ranked, as a dot-and-whisker chart drawn on the server (SVG, no script)
over the table that holds its numbers; the share of communes at 90 points or more and
the status of the resolution's target on it; which domains the shortfall from 100
comes from; the change since the previous wave; and the methodology in plain
Vietnamese, read from the wave's own methodology. A synthetic wave is labelled
"DỮ LIỆU MÔ PHỎNG" wherever its numbers appear.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from chiso.assessment import Assessment
from chiso.hpi import (
    FLAG_SHORT,
    INDICATOR,
    SYNTHETIC_LABEL,
    WEIGHTING_LABELS,
    target_sentence,
)
from chiso.methodology import Methodology
from chiso.store import Store
from chiso.store.surveys import StoredResult, Wave, list_waves, read_results, result_runs
from chiso.targets import TargetKind
from chiso.web.deps import snapshot_of, store_of
from chiso.web.errors import NotFound
from chiso.web.snapshot import Snapshot
from chiso.web.templating import render

router = APIRouter(include_in_schema=False)
TARGET_SCORE = 90.0
INTERVAL_LABELS = {
    "bootstrap": "bootstrap theo cụm (thôn, tổ)",
    "bootstrap-percentile": "bootstrap theo cụm, phân vị",
    "taylor": "tuyến tính hóa Taylor theo cụm (thôn, tổ)",
    "none": "không tính",
}


@dataclass(frozen=True)
class Row:
    """A commune's result as the page shows it."""

    code: str
    name: str
    n: int
    clusters: int
    score: float | None
    low: float | None
    high: float | None
    flags: tuple[str, ...]
    rank: int | None = None

    @property
    def few(self) -> bool:
        """True when too few people answered for the score to count."""
        return "too_few_responses" in self.flags

    @property
    def meets(self) -> bool:
        """True at 90 points or more with enough responses (as target (9) counts)."""
        return self.score is not None and self.score >= TARGET_SCORE and not self.few


@dataclass(frozen=True)
class Change:
    """A commune's score in two waves."""

    code: str
    name: str
    before: float | None
    after: float | None
    clear: bool  # the two intervals do not overlap

    @property
    def delta(self) -> float | None:
        """Points gained (negative: lost)."""
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def scored_waves(store: Store) -> list[Wave]:
    """The waves with at least one scoring run, oldest first."""
    return [w for w in list_waves(store) if result_runs(store, w.id)]


def _rows(results: Sequence[StoredResult], names: Mapping[str, str]) -> list[Row]:
    rows = [
        Row(
            r.commune,
            names.get(r.commune, r.commune),
            r.n,
            r.clusters,
            _finite(r.score),
            _finite(r.ci_low),
            _finite(r.ci_high),
            tuple(r.flags),
        )
        for r in results
        if r.commune != "*"
    ]
    ranked = sorted(rows, key=lambda r: (r.score is None, -(r.score or 0), r.name))
    return [
        Row(
            r.code,
            r.name,
            r.n,
            r.clusters,
            r.score,
            r.low,
            r.high,
            r.flags,
            i + 1 if r.score is not None else None,
        )
        for i, r in enumerate(ranked)
    ]


def ranking_chart(rows: Sequence[Row], *, width: int = 560, row_height: int = 18) -> dict[str, Any]:
    """Geometry of the dot-and-whisker chart: one line per commune, the 90-point line, the axis to 100."""
    label_width, right, top = 150, 16, 44
    known = [r for r in rows if r.score is not None]
    lows = [v for r in known for v in (r.low, r.score) if v is not None]
    start = min(80.0, max(0.0, math.floor((min(lows) if lows else 50.0) / 10) * 10))
    end = 100.0
    plot = width - label_width - right

    def x(value: float) -> float:
        return round(label_width + (min(max(value, start), end) - start) / (end - start) * plot, 1)

    lines = []
    for i, r in enumerate(known):
        y = top + i * row_height + row_height / 2
        lines.append(
            {
                "y": y,
                "name": r.name if len(r.name) <= 22 else r.name[:21] + "…",
                "x": x(r.score or 0),
                "x1": x(r.low if r.low is not None else r.score or 0),
                "x2": x(r.high if r.high is not None else r.score or 0),
                "meets": r.meets,
                "few": r.few,
                "title": f"{r.name}: {r.score:.1f}".replace(".", ","),
            }
        )
    height = top + len(known) * row_height + 24
    step = 10 if end - start > 30 else 5
    ticks = [{"x": x(v), "label": f"{v:g}"} for v in range(int(start), int(end) + 1, step)]
    return {
        "width": width,
        "height": height,
        "lines": lines,
        "ticks": ticks,
        "target_x": x(TARGET_SCORE),
        "top": top,
        "bottom": height - 20,
        "label_width": label_width,
    }


def changes(store: Store, before: Wave, after: Wave, names: Mapping[str, str]) -> list[Change]:
    """Each commune's score in two waves, biggest rise first."""
    old = {r.commune: r for r in read_results(store, before.id) if r.commune != "*"}
    new = {r.commune: r for r in read_results(store, after.id) if r.commune != "*"}
    found = []
    for code in sorted(old.keys() | new.keys()):
        a, b = old.get(code), new.get(code)
        low_a, high_a = (_finite(a.ci_low), _finite(a.ci_high)) if a else (None, None)
        low_b, high_b = (_finite(b.ci_low), _finite(b.ci_high)) if b else (None, None)
        clear = None not in (low_a, high_a, low_b, high_b) and (
            (high_a or 0) < (low_b or 0) or (high_b or 0) < (low_a or 0)
        )
        found.append(
            Change(
                code,
                names.get(code, code),
                _finite(a.score) if a else None,
                _finite(b.score) if b else None,
                clear,
            )
        )
    return sorted(found, key=lambda c: (c.delta is None, -(c.delta or 0)))


def hpi_targets(snapshot: Snapshot) -> list[Assessment]:
    """The resolution's targets on the share of communes by CB-HPI (target (9) for Cao Bằng)."""
    return [
        a
        for a in snapshot.assessments(snapshot.latest_year)
        if a.target.indicator == INDICATOR and a.target.kind is TargetKind.SHARE_OF_UNITS
    ]


def _domains(methodology: Methodology, details: Mapping[str, Any]) -> list[tuple[str, float]]:
    shares = details.get("domains") or {}
    return [(d.name, float(shares.get(d.id, 0.0) or 0.0)) for d in methodology.domains]


def _bands(methodology: Methodology, details: Mapping[str, Any]) -> list[tuple[str, float]]:
    shares = details.get("bands") or {}
    return [(b.label, 100 * float(shares.get(b.code, 0.0) or 0.0)) for b in methodology.bands]


@router.get("/chi-so-hanh-phuc", name="hpi")
def hpi_page(request: Request, dot: Annotated[str | None, Query(max_length=20)] = None) -> Response:
    """CB-HPI by commune for one wave, target (9), domains, changes, and how the index is computed."""
    store = store_of(request)
    snapshot = snapshot_of(request)
    waves = scored_waves(store)
    if dot is not None and all(w.id != dot for w in waves):
        raise NotFound(f"Đợt khảo sát “{dot}” chưa có kết quả", f"Wave “{dot}” has no results")
    wave = next((w for w in waves if w.id == dot), waves[-1] if waves else None)
    names = {a.code: a.name for a in snapshot.areas}
    context: dict[str, Any] = {
        "snapshot": snapshot,
        "waves": waves,
        "wave": wave,
        "synthetic_label": SYNTHETIC_LABEL,
        "targets": [(a, target_sentence(a)) for a in hpi_targets(snapshot)],
        "flag_short": FLAG_SHORT,
    }
    methodology: Methodology | None = None
    if wave is not None:
        methodology = wave.methodology()
        results = read_results(store, wave.id)
        rows = _rows(results, names)
        overall = next((r for r in results if r.commune == "*"), None)
        meeting, known = sum(1 for r in rows if r.meets), len(rows)
        index = waves.index(wave)
        previous = waves[index - 1] if index > 0 else None
        context.update(
            rows=rows,
            chart=ranking_chart(rows),
            overall=overall,
            meeting=meeting,
            known=known,
            share=100 * meeting / known if known else 0.0,
            domains=_domains(methodology, overall.details) if overall else [],
            bands=_bands(methodology, overall.details) if overall else [],
            previous=previous,
            changes=changes(store, previous, wave, names) if previous else [],
            weighting=WEIGHTING_LABELS.get(results[0].weighting, results[0].weighting) if results else "",
            interval=INTERVAL_LABELS.get(results[0].interval, results[0].interval) if results else "",
        )
    if methodology is None:
        from chiso.methodology import default_methodology

        methodology = default_methodology()
    context["methodology"] = methodology
    return render(request, "hpi.html", context, section="hpi")
