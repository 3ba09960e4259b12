"""Alembic migrations of the center's store: every schema change is a numbered revision in ``versions/``.

``upgrade(engine)`` brings a store to the newest revision (``citylens api`` and ``citylens ingest`` call it on
start through :class:`~services.store.Store`; ``citylens db upgrade`` runs it alone). A store made before
migrations existed (no ``alembic_version`` table) is adopted by revision 0001, which creates only what it lacks.
Revisions stay dialect-portable; SQLite-only DDL (FTS5) and PostgreSQL-only DDL (tsvector + GIN) sit behind
a dialect check. On PostgreSQL the upgrade holds an advisory lock, so API/ingest replicas starting at once
against one database run the migrations one after the other (the second finds the schema at head).
"""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine

from citylens.contracts import CitylensError

log = logging.getLogger(__name__)

SCRIPT_LOCATION = Path(__file__).resolve().parent
# pg_advisory_xact_lock key of `upgrade` (the bytes "citylens"): one upgrade at a time per PostgreSQL database.
UPGRADE_LOCK_KEY = int.from_bytes(b"citylens", "big")


class StoreNeedsUpgrade(CitylensError):
    """The store's schema is older (or newer) than this release's; the message names the command to run."""


def alembic_config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(SCRIPT_LOCATION))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head() -> str:
    """The newest revision this release knows."""
    rev = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert rev is not None
    return rev


def current(engine: Engine) -> str | None:
    """The store's revision; None for a new store or one made before migrations."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str]:
    """Upgrade the store to ``revision``; returns (revision before, revision after).

    On PostgreSQL the whole upgrade runs in one transaction holding ``pg_advisory_xact_lock(UPGRADE_LOCK_KEY)``:
    a second process upgrading the same database waits for the first to commit, then finds nothing to do
    (DDL is transactional there, so a failed upgrade leaves no half-made schema either). SQLite serialises
    writers itself.
    """
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({UPGRADE_LOCK_KEY})")
        before = MigrationContext.configure(conn).get_current_revision()  # read under the lock
        command.upgrade(alembic_config(conn), revision)
    after = current(engine)
    if before != after:
        log.info("store: schema upgraded from %s to %s", before or "(none)", after)
    return before, after  # type: ignore[return-value]


def check(engine: Engine) -> None:
    """Raise :class:`StoreNeedsUpgrade` unless the store is at this release's revision."""
    have, want = current(engine), head()
    if have != want:
        raise StoreNeedsUpgrade(
            f"store {engine.url.render_as_string(hide_password=True)} is at schema revision {have or '(none)'}, this "
            f"release needs {want}: run `citylens db upgrade` (with the same --config / CITYLENS_STORE_URL)")


__all__ = ["SCRIPT_LOCATION", "UPGRADE_LOCK_KEY", "StoreNeedsUpgrade", "alembic_config", "check", "current", "head", "upgrade"]
