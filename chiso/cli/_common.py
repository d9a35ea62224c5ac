"""What every command shares: opening the store, reporting errors."""

from __future__ import annotations

import sys

import click

from chiso.errors import ChisoError
from chiso.store import Store, open_store


def fail(exc: ChisoError) -> None:
    """Print a chiso error (Vietnamese, then English) and exit with status 2."""
    click.echo(str(exc), err=True)
    sys.exit(2)


def default_store() -> Store:
    """The configured store, created, migrated and seeded with the shipped data on first use."""
    from chiso.store.bootstrap import ensure_seeded

    store = open_store()
    for note in ensure_seeded(store):
        # Say so when the first start creates and fills the database, and where it is.
        click.echo(f"{note} (CSDL: {store.url})", err=True)
    return store
