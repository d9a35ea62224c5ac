"""What views share: the snapshot a request reads."""

from __future__ import annotations

from fastapi import Request

from chiso.web.snapshot import Snapshot, load_snapshot


def snapshot_of(request: Request) -> Snapshot:
    """The snapshot of the installation's resolution for this request."""
    return load_snapshot(request.app.state.store, request.app.state.resolution)
