"""Alembic environment: migrations run on the connection ensure_schema hands over (never a URL of their own)."""

from __future__ import annotations

from alembic import context

from central_server.models import Base

target_metadata = Base.metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("migrations run only through central_server.database.ensure_schema")

context.configure(connection=connection, target_metadata=target_metadata)
with context.begin_transaction():
    context.run_migrations()
