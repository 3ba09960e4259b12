"""Alembic environment: runs on the connection handed in by ``services.migrations.upgrade`` (or a URL)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

config = context.config
connection = config.attributes.get("connection")


def _run(conn) -> None:
    # render_as_batch: SQLite cannot ALTER most things; batch mode copies the table instead (no-op elsewhere).
    context.configure(connection=conn, target_metadata=None, render_as_batch=True, transaction_per_migration=True)
    with context.begin_transaction():
        context.run_migrations()


if connection is not None:
    _run(connection)
else:  # pragma: no cover - `alembic -x url=...` from a shell
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    with create_engine(url).connect() as conn:
        _run(conn)
        conn.commit()
