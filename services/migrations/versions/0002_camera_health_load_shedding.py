"""camera_health gains the load-shedding numbers of /cameras: frames_gated, stride, shed_level, degraded.

Serves ``GET /cameras`` (edge capacity: adaptive stride and load shedding). Existing rows get the values of a
camera that sheds nothing (0 gated, stride 1, level 0, not degraded). A store that already has the columns
(written by the release that added them with hand ALTERs) is left as it is.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

COLUMNS = (
    ("frames_gated", sa.Integer(), "0"),
    ("stride", sa.Integer(), "1"),
    ("shed_level", sa.Integer(), "0"),
    ("degraded", sa.Boolean(), sa.false()),
)


def upgrade() -> None:
    have = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("camera_health")}
    with op.batch_alter_table("camera_health") as batch:
        for name, type_, default in COLUMNS:
            if name not in have:
                batch.add_column(sa.Column(name, type_, nullable=False, server_default=default))


def downgrade() -> None:
    with op.batch_alter_table("camera_health") as batch:
        for name, _, _ in reversed(COLUMNS):
            batch.drop_column(name)
