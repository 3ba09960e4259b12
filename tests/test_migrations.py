"""Alembic owns the store's schema: a store of the first release upgrades with nothing lost; the ORM matches."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, text

from services import migrations
import services.alerts  # noqa: F401 - its table joins Base.metadata
import services.console_store  # noqa: F401 - its tables join Base.metadata
from services.api.schemas import IncidentPublic
from services.store import Base, Store

# Migrations run on both backends (a real PostgreSQL server: tests/pg.py) for the tests taking ``store``.
STORE_BACKENDS = ("sqlite", "postgresql")
OLD_DUMP = Path(__file__).parent / "data" / "store_ad74c59.sql"
TABLES = ("incidents", "counts", "camera_health", "dead_letters", "api_keys", "audit", "incident_notes", "incident_attrs")


def _old_store(tmp_path: Path) -> Path:
    db = tmp_path / "old.sqlite"
    with sqlite3.connect(db) as conn:
        conn.executescript(OLD_DUMP.read_text())
    return db


def _columns(db: Path) -> dict[str, list[str]]:
    with sqlite3.connect(db) as conn:
        return {t: [r[1] for r in conn.execute(f"PRAGMA table_info({t})")] for t in TABLES}


def _rows(db: Path, columns: dict[str, list[str]]) -> dict[str, list[tuple]]:
    with sqlite3.connect(db) as conn:
        return {t: sorted(conn.execute(f"SELECT {', '.join(cols)} FROM {t}").fetchall(), key=repr)
                for t, cols in columns.items()}


def test_a_store_written_by_release_ad74c59_upgrades_to_head_with_every_row_kept(tmp_path):
    db = _old_store(tmp_path)
    old_columns = _columns(db)
    before = _rows(db, old_columns)
    assert all(before[t] for t in TABLES)  # the fixture has data in every table
    store = Store(f"sqlite:///{db}", tmp_path / "media")
    try:
        assert migrations.current(store.engine) == migrations.head()
        assert _rows(db, old_columns) == before  # every row of every table, byte for byte
        (cam,) = store.camera_health()  # columns added since (0002) read as a camera that sheds nothing
        assert (cam.frames_gated, cam.stride, cam.shed_level, cam.degraded) == (0, 1, 0, False)
        rows, _ = store.list_incidents()
        assert len(rows) == 3
        loiter = next(IncidentPublic.from_row(r) for r in rows if r.type == "loitering")
        # version-1 facts repeated zone/object_class/track_ids; they read as typed facts without them
        assert loiter.facts.dwell_s == 31.5 and loiter.facts.colour == "red" and loiter.zone == "table"
        assert loiter.acked_by == "ops" and [n.text for n in store.list_notes(loiter.id)] == ["checked on camera"]
        with store.session() as s:
            hits = s.execute(text("SELECT rowid FROM incidents_fts WHERE incidents_fts MATCH 'lingered'")).all()
        assert hits == [(1,)]
    finally:
        store.close()


def test_opening_an_old_store_without_upgrade_is_refused_with_the_command_to_run(tmp_path):
    db = _old_store(tmp_path)
    with pytest.raises(migrations.StoreNeedsUpgrade, match="citylens db upgrade"):
        Store(f"sqlite:///{db}", tmp_path / "media", upgrade=False)


def test_a_new_store_at_head_has_exactly_the_orm_schema(store):
    with store.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={
            "compare_type": True,
            # the search side tables are raw SQL (FTS5 is not a SQLAlchemy construct)
            "include_name": lambda name, kind, parent: not (kind == "table" and (
                name == "alembic_version" or name.startswith(("incident_attrs", "incidents_fts", "sqlite_")))),
        })
        assert compare_metadata(ctx, Base.metadata) == []


def test_downgrade_to_nothing_and_back_leaves_a_working_store(store, tmp_path):
    with store.engine.begin() as conn:
        command.downgrade(migrations.alembic_config(conn), "base")
    assert migrations.current(store.engine) is None
    again = Store(store.url, tmp_path / "media")
    again.close()


def _max_length(field) -> int | None:
    """A string field's max_length, declared on the field or inside its ``Optional[Annotated[str, ...]]``."""
    import typing

    metas = list(field.metadata)
    for arg in typing.get_args(field.annotation):
        if typing.get_origin(arg) is typing.Annotated:
            metas += [m for info in typing.get_args(arg)[1:] for m in getattr(info, "metadata", [info])]
    return next((m.max_length for m in metas if type(m).__name__ == "MaxLen"), None)


def test_the_incident_row_mirrors_every_field_of_the_contracts_incident():
    """Each field of the contract's incident has a column that holds every value the contract admits: the
    same nullability, a matching SQL type, a String at least as long as the field's max_length (or its enum's
    longest value); and the store copies exactly those fields from an event."""
    import enum
    import types
    import typing
    from datetime import datetime

    from sqlalchemy import JSON, Integer, String, Text

    from citylens.contracts import IncidentBase, IncidentFacts
    from services.store import _INCIDENT_COLUMNS, FactsJSON, IncidentRow, UTCDateTime

    sql_types = {str: (String, Text), int: (Integer,), datetime: (UTCDateTime,), list: (JSON,), dict: (JSON,),
                 IncidentFacts: (FactsJSON,)}
    cols = IncidentRow.__table__.columns
    for name, field in IncidentBase.model_fields.items():
        assert name in cols, f"IncidentBase.{name} has no column in IncidentRow"
        col, ann = cols[name], field.annotation
        args = typing.get_args(ann) if typing.get_origin(ann) in (typing.Union, types.UnionType) else ()
        optional = type(None) in args
        base = next(a for a in args if a is not type(None)) if optional else ann
        base = typing.get_args(base)[0] if typing.get_origin(base) is typing.Annotated else base
        base = typing.get_origin(base) or base
        assert col.nullable == optional, f"{name}: column nullable={col.nullable}, contract optional={optional}"
        if isinstance(base, type) and issubclass(base, enum.Enum):
            assert isinstance(col.type, String), name
            assert col.type.length >= max(len(v.value) for v in base), f"{name}: {col.type} is shorter than a {base.__name__}"
            continue
        assert isinstance(col.type, sql_types[base]), f"{name}: {col.type!r} stores no {base}"
        length = _max_length(field)
        if base is str and isinstance(col.type, String) and col.type.length is not None:
            assert length is not None and col.type.length >= length, f"{name}: {col.type} < contract max_length {length}"
    assert set(_INCIDENT_COLUMNS) == set(IncidentBase.model_fields) - {"id"}


def test_two_replicas_upgrading_one_empty_postgresql_at_once_both_succeed_and_the_schema_is_made_once(pg_url):
    # Two API replicas starting together: each opens its own connection and upgrades at the same moment. Without
    # the advisory lock both see an empty database and the second CREATE TABLE fails (duplicate key in pg_type).
    engines = [create_engine(pg_url) for _ in range(2)]
    start = threading.Barrier(2)
    results: list[tuple] = []
    errors: list[BaseException] = []

    def replica(engine) -> None:
        start.wait()
        try:
            results.append(migrations.upgrade(engine))
        except BaseException as e:  # noqa: BLE001 - reported by the assertion below
            errors.append(e)

    threads = [threading.Thread(target=replica, args=(e,)) for e in engines]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    try:
        assert not any(t.is_alive() for t in threads), "the two upgrades are still running after 60 s (deadlocked)"
        assert errors == []
        head = migrations.head()
        # one replica migrated from nothing; the other waited on the lock and found the schema at head
        assert sorted(results, key=repr) == sorted([(None, head), (head, head)], key=repr)
        with engines[0].connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).all() == [(head,)]
            assert conn.execute(text("SELECT count(*) FROM pg_indexes WHERE indexname = 'ix_incident_attrs_doc_tsv'")).scalar() == 1
    finally:
        for e in engines:
            e.dispose()
