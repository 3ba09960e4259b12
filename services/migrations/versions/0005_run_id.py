"""run_id on incidents, counts and camera_health: which run (one `citylens process`/`demo`/`edge` start) wrote it.

Serves the per-run summaries and exports (``WHERE run_id = ?`` on incidents and counts, hence their indexes).
Existing rows keep NULL (written before runs were named). Columns already present (added by hand ALTERs in
the release that introduced them) are left as they are.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TABLES = (("incidents", True), ("counts", True), ("camera_health", False))  # (table, indexed)


def upgrade() -> None:
    insp = sa.inspect(op.get_bind())
    for table, indexed in TABLES:
        if "run_id" not in {c["name"] for c in insp.get_columns(table)}:
            with op.batch_alter_table(table) as batch:
                batch.add_column(sa.Column("run_id", sa.String(64), nullable=True))
        if indexed and f"ix_{table}_run_id" not in {i["name"] for i in insp.get_indexes(table)}:
            op.create_index(f"ix_{table}_run_id", table, ["run_id"])


def downgrade() -> None:
    for table, indexed in reversed(TABLES):
        if indexed:
            op.drop_index(f"ix_{table}_run_id", table)
        with op.batch_alter_table(table) as batch:
            batch.drop_column("run_id")
