"""Alembic migrations of the center's store: every schema change is a numbered revision in ``versions/``.

``upgrade(engine)`` brings a store to the newest revision (``citylens api`` and ``citylens ingest`` call it on
start through :class:`~services.store.Store`; ``citylens db upgrade`` runs it alone). A store made before
migrations existed (no ``alembic_version`` table) is adopted by revision 0001, which creates only what it lacks.
Revisions stay dialect-portable; SQLite-only DDL (FTS5) sits behind a dialect check.
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
    """Upgrade the store to ``revision``; returns (revision before, revision after)."""
    before = current(engine)
    with engine.begin() as conn:
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


__all__ = ["SCRIPT_LOCATION", "StoreNeedsUpgrade", "alembic_config", "check", "current", "head", "upgrade"]
