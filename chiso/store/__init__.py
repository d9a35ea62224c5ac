"""The store: SQLAlchemy models, migrations and queries (SQLite embedded, PostgreSQL in production)."""

from chiso.store.db import Store, open_store

__all__ = ["Store", "open_store"]
