"""alert_outbox: alerts (webhooks, MQTT) written with the incident, delivered and logged from there.

Serves the delivery thread (pending rows by ``next_at``, by ``status``) and ``GET /alerts/deliveries`` (per
incident). A store that already has it (created by the release that added it with create_all) is left as it is.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if "alert_outbox" in sa.inspect(op.get_bind()).get_table_names():
        return
    op.create_table(
        "alert_outbox",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("target", sa.String(128), nullable=False),
        sa.Column("incident_id", sa.String(64), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_at", sa.DateTime, nullable=False),
        sa.Column("last_error", sa.Text),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("delivered_at", sa.DateTime),
    )
    op.create_index("ix_alert_outbox_incident_id", "alert_outbox", ["incident_id"])
    op.create_index("ix_alert_outbox_status", "alert_outbox", ["status"])
    op.create_index("ix_alert_outbox_next_at", "alert_outbox", ["next_at"])


def downgrade() -> None:
    op.drop_table("alert_outbox")
