"""First start: load the shipped areas, resolutions and published figures into a new store.

Each shipped file is loaded once: its SHA-256 is recorded with the import, so later
starts skip it, and a file that changed in a new release is imported again (only the
figures that differ are added, as new revisions).
"""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path

from chiso import settings
from chiso.errors import ChisoError
from chiso.io.long_csv import read_long_csv
from chiso.resolutions import bundled_resolutions, load_resolution
from chiso.store.db import Store

SEED_ACTOR = "chiso (dữ liệu công bố)"


def _datasets() -> list[Path]:
    folder = resources.files("chiso") / "data" / "datasets"
    if not folder.is_dir():
        return []
    return sorted(Path(str(entry)) for entry in folder.iterdir() if entry.name.endswith(".csv"))


def ensure_seeded(store: Store, province: str | None = None) -> list[str]:
    """Load what is shipped and not yet loaded; return Vietnamese notes of what was done."""
    from chiso.io.areas_file import bundled_areas

    province = province or settings.get("CHISO_PROVINCE") or "04"
    notes: list[str] = []
    areas = bundled_areas(province)
    if areas and not store.areas(province):
        result = store.save_areas(areas, actor=SEED_ACTOR)
        notes.append(f"Đã nạp {result.added} đơn vị hành chính của tỉnh {province}.")
    catalogue = None
    for name, path in sorted(bundled_resolutions().items()):
        text = path.read_text(encoding="utf-8")
        resolution, cat = load_resolution(path)
        catalogue = catalogue.merged(cat) if catalogue is not None else cat
        if resolution.province == province and store.save_resolution(
            resolution.id,
            resolution.province,
            resolution.title,
            resolution.status.value,
            text,
            actor=SEED_ACTOR,
        ):
            notes.append(f"Đã nạp nghị quyết {name}.")
    for path in _datasets():
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if store.has_batch(digest) or catalogue is None:
            continue
        try:
            observations = read_long_csv(path, catalogue, entered_by=SEED_ACTOR)
        except ChisoError as exc:  # a shipped file must load; say so instead of starting half-empty
            raise ChisoError(f"Tệp dữ liệu kèm theo {path.name} không hợp lệ: {exc.message_vi}") from exc
        result = store.add_observations(observations, actor=SEED_ACTOR, file_name=path.name, sha256=digest)
        notes.append(f"{path.name}: {result.message}.")
    return notes
