"""``chiso serve``: the web application (public pages and the open API) under uvicorn."""

from __future__ import annotations

import os
from pathlib import Path

import click

from chiso import settings
from chiso.cli._common import default_store, fail
from chiso.errors import ChisoError


@click.command("serve")
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: every interface)."
)
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on."
)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Worker processes; they share nothing but the database.",
)
@click.option("--reload", is_flag=True, help="Restart when the code changes (development; one worker).")
@click.option(
    "--resolution",
    "resolution_name",
    default=None,
    help="Resolution the pages assess: a stored id, a shipped name or a file (default: CHISO_RESOLUTION).",
)
@click.option(
    "--boundaries",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="GeoJSON of the communes keyed by the property `code` (default: CHISO_BOUNDARIES).",
)
def serve(
    host: str, port: int, workers: int, reload: bool, resolution_name: str | None, boundaries: Path | None
) -> None:
    """Start the web application: overview, target pages, communes map, open API.

    On first start the store (SQLite in CHISO_HOME, or CHISO_DATABASE_URL) is created,
    migrated and filled with the shipped units, resolutions and published figures.
    Open http://127.0.0.1:8000/ for the pages and /api/docs for the open API.

    Example:

        chiso serve --port 8000 --workers 4 --boundaries communes.geojson
    """
    import uvicorn

    # Workers are separate processes: hand them the options through the settings they read.
    if resolution_name:
        os.environ["CHISO_RESOLUTION"] = resolution_name
    if boundaries is not None:
        os.environ["CHISO_BOUNDARIES"] = str(boundaries.resolve())
    try:
        store = default_store()  # migrate and seed once, before the workers start
        store.engine.dispose()
    except ChisoError as exc:
        fail(exc)
        return
    click.echo(f"chiso: {settings.redact_url(store.url)} — http://{host}:{port}/ (Ctrl+C để dừng)")
    uvicorn.run(
        "chiso.web.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=None if reload else workers,
        reload=reload,
        proxy_headers=True,
        log_level="info",
    )


commands = [serve]
