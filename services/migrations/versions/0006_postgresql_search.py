"""Keyword search on PostgreSQL: a tsvector of incident_attrs.doc with a GIN index (SQLite unchanged).

Serves ``services.search.rank.keyword_ranking`` on PostgreSQL: ``doc_tsv @@ (plainto_tsquery(w1) || …)`` finds
the documents holding any query word through ``ix_incident_attrs_doc_tsv`` (a Bitmap Index Scan, not a scan of
incident_attrs) and ``ts_rank_cd(doc_tsv, q)`` orders them. The column is GENERATED from ``doc`` (PostgreSQL 12+),
so every write of ``doc`` — the indexer's insert and update, a backfill, a bulk load — keeps it in step in the
same statement, as the external-content FTS5 table (migration 0001) does on SQLite.

``english`` is the text search configuration: Snowball stemming ("vans" finds "van") and English stop words,
the nearest PostgreSQL has to FTS5's ``porter unicode61``. Diacritics are kept (FTS5 removes them): the
``unaccent`` extension needs a superuser and is not immutable, so a generated column cannot use it.

``incident_attrs.label`` already comes from a sequence on PostgreSQL (SERIAL, ``incident_attrs_label_seq``),
which never hands out a number twice, rolled back or not: the job ``sqlite_sequence`` does for AUTOINCREMENT.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TS_CONFIG = "english"  # services.search.rank.keyword_ranking builds its tsquery with the same configuration


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite has incidents_fts (FTS5, migration 0001)
    op.execute(f"ALTER TABLE incident_attrs ADD COLUMN IF NOT EXISTS doc_tsv tsvector "
               f"GENERATED ALWAYS AS (to_tsvector('{TS_CONFIG}'::regconfig, doc)) STORED")
    op.execute("CREATE INDEX IF NOT EXISTS ix_incident_attrs_doc_tsv ON incident_attrs USING gin (doc_tsv)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_incident_attrs_doc_tsv")
    op.execute("ALTER TABLE incident_attrs DROP COLUMN IF EXISTS doc_tsv")
