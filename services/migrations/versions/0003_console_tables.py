"""The browser console's tables: incident_events (the /events log, resumable by id) and console_sessions.

Serves ``GET /events`` (rows after a ``Last-Event-ID``, filtered by camera and type) and the console's
cookie sign-in. A store that already has them (created by the release that added them with create_all) is
left as it is.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    have = set(sa.inspect(op.get_bind()).get_table_names())
    if "incident_events" not in have:
        op.create_table(
            "incident_events",
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("kind", sa.String(16), nullable=False),
            sa.Column("incident_id", sa.String(64), nullable=False),
            sa.Column("camera_id", sa.String(128), nullable=False),
            sa.Column("type", sa.String(32), nullable=False),
            sa.Column("seq", sa.Integer, nullable=False),
            sa.Column("ts", sa.DateTime, nullable=False),
            sa.Column("data", sa.Text, nullable=False),
        )
        op.create_index("ix_incident_events_incident_id", "incident_events", ["incident_id"])  # revisions of one
    if "console_sessions" not in have:
        op.create_table(
            "console_sessions",
            sa.Column("token_hash", sa.String(64), primary_key=True),
            sa.Column("key_id", sa.Integer, nullable=False),
            sa.Column("csrf", sa.String(64), nullable=False),
            sa.Column("created_at", sa.DateTime, nullable=False),
            sa.Column("expires_at", sa.DateTime, nullable=False),
        )
        op.create_index("ix_console_sessions_key_id", "console_sessions", ["key_id"])  # sign-outs on key revoke


def downgrade() -> None:
    op.drop_table("console_sessions")
    op.drop_table("incident_events")
