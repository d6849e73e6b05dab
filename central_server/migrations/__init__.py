"""The central server's schema migrations (Alembic), applied at start by central_server.database.ensure_schema."""
