"""Alembic environment: migrations run on the connection chiso hands over."""

from __future__ import annotations

from alembic import context

from chiso.store.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - chiso always passes its connection
    raise RuntimeError("chiso runs its migrations through chiso.store.db.migrate()")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
