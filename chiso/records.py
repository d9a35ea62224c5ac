"""Assessments as plain records (JSON objects, CSV rows) for the CLI, API and exports."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from typing import Any

from chiso.assessment import Assessment, Reading
from chiso.targets import Resolution

CSV_COLUMNS = (
    "id",
    "number",
    "group",
    "indicator",
    "kind",
    "status",
    "status_label",
    "verdict",
    "latest_value",
    "latest_period",
    "latest_data_status",
    "comparator",
    "value",
    "low",
    "high",
    "target_year",
    "base_value",
    "base_period",
    "measured",
    "required_rate",
    "required_rate_remaining",
    "observed_rate",
    "progress_ratio",
    "projection",
    "explanation",
)


def _num(value: float | None) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return round(value, 6)


def _reading(reading: Reading | None) -> dict[str, Any] | None:
    if reading is None:
        return None
    return {
        "value": _num(reading.value),
        "period": reading.period.code,
        "period_label": reading.period.label,
        "data_status": reading.status.code if reading.status is not None else None,
        "source": reading.source,
    }


def assessment_record(a: Assessment, resolution: Resolution | None = None) -> dict[str, Any]:
    """One assessment as a JSON-ready mapping (the shape of ``chiso assess --format json``)."""
    t = a.target
    return {
        "id": t.id,
        "number": t.number,
        "group": t.group,
        "group_name": resolution.group_name(t.group) if resolution else t.group,
        "text": t.text,
        "indicator": t.indicator,
        "indicator_name": a.indicator.name,
        "kind": t.kind.value,
        "status": a.status.value,
        "status_label": a.status.label,
        "verdict": a.verdict.value if a.verdict else None,
        "verdict_label": a.verdict.label if a.verdict else None,
        "as_of": a.as_of,
        "latest": _reading(a.latest),
        "base": _reading(a.base),
        "target": {
            "comparator": t.comparator.value if t.comparator else None,
            "value": t.value,
            "low": t.low,
            "high": t.high,
            "unit": t.unit,
            "year": t.target_year,
            "bound": _num(a.bound),
        },
        "measured": _num(a.measured),
        "required_rate": _num(a.required_rate),
        "required_rate_remaining": _num(a.required_rate_remaining),
        "observed_rate": _num(a.observed_rate),
        "rate_unit": a.rate_unit,
        "progress_ratio": _num(a.progress_ratio),
        "path": [{"year": p.year, "value": _num(p.value)} for p in a.path],
        "projection": _num(a.projection),
        "projection_meets": a.projection_meets,
        "exceeded": a.exceeded,
        "years": [{"year": c.year, "value": _num(c.value), "met": c.met} for c in a.years],
        "coverage": None
        if a.coverage is None
        else {
            "year": a.coverage.year,
            "eligible": a.coverage.eligible,
            "reported": a.coverage.reported,
            "meeting": a.coverage.meeting,
            "meeting_units": list(a.coverage.meeting_units),
            "missing_units": list(a.coverage.missing_units),
        },
        "stages": [{"name": s.name, "due": s.due, "done": s.done} for s in a.stages],
        "responsible": list(t.responsible),
        "notes": list(a.notes),
        "explanation": a.explanation,
    }


def assessments_csv(assessments: Sequence[Assessment]) -> str:
    """The assessments as CSV text, one row per target."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for a in assessments:
        r = assessment_record(a)
        latest = r["latest"] or {}
        base = r["base"] or {}
        writer.writerow(
            {
                "id": r["id"],
                "number": r["number"],
                "group": r["group"],
                "indicator": r["indicator"],
                "kind": r["kind"],
                "status": r["status"],
                "status_label": r["status_label"],
                "verdict": r["verdict"] or "",
                "latest_value": latest.get("value", ""),
                "latest_period": latest.get("period", ""),
                "latest_data_status": latest.get("data_status", ""),
                "comparator": r["target"]["comparator"] or "",
                "value": r["target"]["value"],
                "low": r["target"]["low"],
                "high": r["target"]["high"],
                "target_year": r["target"]["year"],
                "base_value": base.get("value", ""),
                "base_period": base.get("period", ""),
                "measured": r["measured"],
                "required_rate": r["required_rate"],
                "required_rate_remaining": r["required_rate_remaining"],
                "observed_rate": r["observed_rate"],
                "progress_ratio": r["progress_ratio"],
                "projection": r["projection"],
                "explanation": r["explanation"],
            }
        )
    return out.getvalue()
