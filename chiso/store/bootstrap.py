"""First start: load the shipped areas, resolutions and published figures into a new store."""

from __future__ import annotations

from chiso.store.db import Store


def ensure_seeded(store: Store) -> None:
    """Load the shipped data once; later calls (and re-imports) change nothing."""
