"""Alembic environment: migrations run on the connection the store hands over (never a URL of its own)."""

from __future__ import annotations

from alembic import context

from desktop_app.storage.models import Base

target_metadata = Base.metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("migrations run only through desktop_app.storage.migrate, on an open store")

context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
