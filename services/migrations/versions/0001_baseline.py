"""Baseline: the schema of the first release (commit ad74c59), search tables included.

Adopts a store made before migrations: each table, column and index is created only when missing, so a
store written by that release (with or without the search tables, with or without the ack columns) ends at
this revision with its data untouched. Downgrade drops everything (there is nothing before it).

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _tables() -> list[sa.Table]:
    m = sa.MetaData()
    return [
        sa.Table(
            "incidents", m,
            sa.Column("id", sa.String(64), primary_key=True),
            sa.Column("seq", sa.Integer, nullable=False),
            sa.Column("state", sa.String(16), nullable=False, index=True),
            sa.Column("type", sa.String(32), nullable=False, index=True),
            sa.Column("severity", sa.String(16), nullable=False),
            sa.Column("camera_id", sa.String(128), nullable=False, index=True),
            sa.Column("box", sa.String(128), nullable=False),
            sa.Column("rule", sa.String(256), nullable=False),
            sa.Column("zone", sa.String(128)),
            sa.Column("line", sa.String(128)),
            sa.Column("object_class", sa.String(64)),
            sa.Column("track_ids", sa.JSON, nullable=False),
            sa.Column("started_at", sa.DateTime, nullable=False, index=True),
            sa.Column("updated_at", sa.DateTime, nullable=False),
            sa.Column("ended_at", sa.DateTime),
            sa.Column("bbox", sa.JSON),
            sa.Column("facts", sa.JSON, nullable=False),
            sa.Column("caption", sa.Text),
            sa.Column("caption_source", sa.String(16)),
            sa.Column("caption_model", sa.String(256)),
            sa.Column("models", sa.JSON, nullable=False),
            sa.Column("snapshot_path", sa.String(512)),
            sa.Column("crop_path", sa.String(512)),
            sa.Column("ingested_at", sa.DateTime, nullable=False),
            # Set by an operator (POST /incidents/{id}/ack); stores older than acks lack them.
            sa.Column("acked_at", sa.DateTime),
            sa.Column("acked_by", sa.String(64)),
            # Filter column + started_at (+ id): a filtered newest-first listing walks one index and stops at
            # LIMIT instead of sorting every match (124 ms -> a few ms at 1M incidents); (type, zone) is the
            # pair parsed searches name most ("loitering at the gate").
            sa.Index("ix_incidents_camera_started", "camera_id", "started_at", "id"),
            sa.Index("ix_incidents_type_started", "type", "started_at", "id"),
            sa.Index("ix_incidents_class_started", "object_class", "started_at", "id"),
            sa.Index("ix_incidents_zone_started", "zone", "started_at", "id"),
            sa.Index("ix_incidents_type_zone_started", "type", "zone", "started_at", "id"),
        ),
        sa.Table(
            "counts", m,
            sa.Column("key", sa.String(512), primary_key=True),
            sa.Column("camera_id", sa.String(128), nullable=False, index=True),
            sa.Column("kind", sa.String(16), nullable=False),
            sa.Column("name", sa.String(128), nullable=False),
            sa.Column("object_class", sa.String(64), nullable=False),
            sa.Column("direction", sa.String(64), nullable=False),
            sa.Column("bucket_start", sa.DateTime, nullable=False, index=True),
            sa.Column("count", sa.Integer, nullable=False),
        ),
        sa.Table(
            "camera_health", m,
            sa.Column("camera_id", sa.String(128), primary_key=True),
            sa.Column("box", sa.String(128), nullable=False),
            sa.Column("state", sa.String(32), nullable=False),
            sa.Column("ts", sa.DateTime, nullable=False),
            sa.Column("fps_in", sa.Double, nullable=False),
            sa.Column("fps_out", sa.Double, nullable=False),
            sa.Column("frames_in", sa.Integer, nullable=False),
            sa.Column("frames_processed", sa.Integer, nullable=False),
            sa.Column("frames_dropped", sa.Integer, nullable=False),
            sa.Column("last_frame_at", sa.DateTime),
            sa.Column("reconnects", sa.Integer, nullable=False),
            sa.Column("error", sa.Text),
            sa.Column("updated_at", sa.DateTime, nullable=False),
        ),
        sa.Table(
            "dead_letters", m,
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("stream", sa.String(128), nullable=False),
            sa.Column("entry_id", sa.String(64), nullable=False),
            sa.Column("error", sa.Text, nullable=False),
            sa.Column("fields", sa.JSON, nullable=False),
            sa.Column("received_at", sa.DateTime, nullable=False),
        ),
        sa.Table(
            "api_keys", m,
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("name", sa.String(64), nullable=False),
            sa.Column("role", sa.String(16), nullable=False),
            sa.Column("key_hash", sa.String(64), nullable=False, unique=True),
            sa.Column("prefix", sa.String(16), nullable=False),
            sa.Column("created_at", sa.DateTime, nullable=False),
            sa.Column("revoked_at", sa.DateTime),
        ),
        sa.Table(
            "audit", m,
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("ts", sa.DateTime, nullable=False, index=True),
            sa.Column("key_id", sa.Integer),
            sa.Column("key_name", sa.String(64), nullable=False),
            sa.Column("role", sa.String(16), nullable=False),
            sa.Column("action", sa.String(64), nullable=False, index=True),
            sa.Column("target", sa.String(128), index=True),
            sa.Column("detail", sa.JSON, nullable=False),
            sa.Column("client_ip", sa.String(64)),
        ),
        sa.Table(
            "incident_notes", m,
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("incident_id", sa.String(64), sa.ForeignKey("incidents.id", ondelete="CASCADE"), nullable=False,
                      index=True),
            sa.Column("author", sa.String(64), nullable=False),
            sa.Column("text", sa.Text, nullable=False),
            sa.Column("created_at", sa.DateTime, nullable=False),
        ),
        # The search index's side table: ``label`` is both the FTS5 rowid and the hnswlib label (AUTOINCREMENT
        # so a rolled-back label is never reused for another incident).
        sa.Table(
            "incident_attrs", m,
            sa.Column("label", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("incident_id", sa.Text, nullable=False, unique=True),
            sa.Column("colour", sa.Text),
            sa.Column("doc", sa.Text, nullable=False),
            sa.Index("ix_incident_attrs_colour", "colour"),
            # Covers the incidents -> attrs join of filtered searches (colour check and label) without a table read.
            sa.Index("ix_incident_attrs_id_colour", "incident_id", "colour", "label"),
            sqlite_autoincrement=True,
        ),
    ]


# External-content FTS5 over incident_attrs.doc: the text is stored once; 'delete' needs the old doc, which
# incident_attrs still holds at the time it is issued. Porter stemming makes "vans" hit "van".
FTS5_DDL = ("CREATE VIRTUAL TABLE IF NOT EXISTS incidents_fts USING fts5(doc, content='incident_attrs', "
            "content_rowid='label', tokenize='porter unicode61 remove_diacritics 2')")


def upgrade() -> None:
    bind = op.get_bind()
    insp = sa.inspect(bind)
    have = set(insp.get_table_names())
    for table in _tables():
        if table.name not in have:
            table.create(bind)
            continue
        cols = {c["name"] for c in insp.get_columns(table.name)}
        for col in table.columns:
            if col.name not in cols:  # e.g. acked_at/acked_by on stores older than acks
                op.add_column(table.name, sa.Column(col.name, col.type, nullable=True))
        idx = {i["name"] for i in insp.get_indexes(table.name)}
        for index in table.indexes:
            if index.name not in idx:
                index.create(bind)
    if bind.dialect.name == "sqlite":
        op.execute(FTS5_DDL)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS incidents_fts")
    for table in reversed(_tables()):
        op.drop_table(table.name)
