"""Keeps the search index in step with the store: keyword rows in the ingest transaction, embeddings just after.

Keyword search is FTS5 (``incidents_fts``) on SQLite and a generated tsvector with a GIN index
(``incident_attrs.doc_tsv``, migration 0006) on PostgreSQL. Vectors live in hnswlib on both: PostgreSQL here
has no pgvector, so the hnswlib file is the vector index for either store (see docs/search.md).
"""

from __future__ import annotations

import itertools
import logging
import os
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import hnswlib
import numpy as np
from sqlalchemy import bindparam, column, exists, select, table, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from citylens.contracts import utcnow
from services.search.attrs import AttrTable, label_filter
from services.search.document import build_document, incident_colour, part_of_day  # noqa: F401 - re-exported
from services.search.embed import DIM, Embedder, shared_embedder
from services.search.parser import ParsedQuery, parse_query
from services.search.floor import empties, floor_for, floor_input, foreign_empties, foreign_input
from services.search.places import Place, merge_places
from services.search.vocab import TYPE_WORDS, singular, tokens
from services.search.vecs import QuantizedVectors
from services.search.verbs import phrases as verb_phrases, read_verbs, verb_groups
from services.store import IncidentRow, Store

log = logging.getLogger(__name__)

# incident_attrs (label = FTS5 rowid = hnswlib label) and incidents_fts are created by the store's migrations
# (services/migrations/versions/0001_baseline.py); its tsvector column for PostgreSQL by 0006.
_attrs_id = table("incident_attrs", column("incident_id")).c.incident_id
# The text search configuration of incident_attrs.doc_tsv (migration 0006); queries must use the same one.
PG_TS_CONFIG = "english"
# One word's document frequency on PostgreSQL; a word the configuration drops (a stop word) counts as present,
# as it would in FTS5, which keeps every word.
# Labels are drawn when a writer inserts, but become visible when it commits, so a later label can be seen
# first: catch_up looks back this many labels behind the highest one it has seen for stragglers.
CATCH_UP_WINDOW = 2000
_PG_DF = text(f"SELECT numnode(q) = 0 OR EXISTS (SELECT 1 FROM incident_attrs WHERE doc_tsv @@ q) "
              f"FROM plainto_tsquery('{PG_TS_CONFIG}', :w) AS q")

_INDEXES: weakref.WeakKeyDictionary[Store, SearchIndex] = weakref.WeakKeyDictionary()


def fts_term(word: str) -> str | None:
    """One quoted FTS5 term (user syntax never passes through)."""
    ws = tokens(word)
    return '"' + ws[0].replace('"', '""') + '"' if ws else None


def _reads_nothing(p: ParsedQuery) -> bool:
    """Nothing but places and times was read: no type, class or colour (hard or soft), number or exclusion."""
    return not (p.filters.types or p.filters.classes or p.filters.colours or p.soft.types or p.soft.classes
                or p.facts or not p.exclude.is_empty())


def _names_place_or_time(p: ParsedQuery) -> bool:
    f, soft = p.filters, p.soft
    return bool(f.since or f.until or p.hours or p.weekdays or f.cameras or f.zones or soft.cameras or soft.zones
                or p.exclude.cameras or p.exclude.zones)


def index_for(store: Store) -> SearchIndex | None:
    """The search index attached to ``store``, if any."""
    return _INDEXES.get(store)


class SearchIndex:
    """Incident search index attached to a :class:`~services.store.Store`.

    The ``incident_attrs`` row (and on SQLite its FTS5 row; on PostgreSQL the generated tsvector follows
    ``doc`` by itself) is written by ``Store.on_incident_changed`` in the ingest transaction. Embeddings are
    queued there and computed in batches by a background thread (or :meth:`flush`), into an hnswlib cosine
    index saved next to the SQLite file as ``<db>.hnsw`` (PostgreSQL: ``<media_dir>/<database>.hnsw``). On
    start the index reloads that file and re-embeds any incident it lacks, so a crash loses no more than time.

    Args:
        store: the store to follow; the index registers its hook on it.
        tz: IANA zone for time phrases and for the morning/evening words in documents.
        cameras: ``(id, name)`` pairs from the config; ids seen in the store are added automatically.
        zones: zone names from the config; zones seen in the store are added automatically.
        embedder: defaults to the process-wide embedder of the ``embedding_model`` setting (services/search/embed.py).
        index_path: hnswlib file; default ``<db file>.hnsw`` (SQLite), ``<media_dir>/<database>.hnsw``
            (PostgreSQL), ``None`` for an in-memory store.
        background: run the embedding thread; False means only :meth:`flush` embeds (tests, bulk loads).
        flush_interval_s: the thread waits at most this long to fill a batch; lower = fresher, less batching.

    Example:
        >>> index = SearchIndex(store, tz="Europe/London", cameras=[("cam-1", "Main St / 5th Ave")])  # doctest: +SKIP
        >>> store.upsert_incident(event); index.flush()  # doctest: +SKIP
    """

    def __init__(
        self,
        store: Store,
        *,
        tz: str = "UTC",
        cameras: Sequence[tuple[str, str | None]] = (),
        zones: Sequence[str] = (),
        places: Sequence[Place] = (),
        embedder: Embedder | None = None,
        index_path: str | Path | None | bool = True,
        background: bool = True,
        flush_interval_s: float = 0.2,
        batch_size: int = 256,
        save_interval_s: float = 30.0,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        ZoneInfo(tz)  # fail fast on a bad zone name
        self.store = store
        self.sqlite = store.engine.dialect.name == "sqlite"  # FTS5; else PostgreSQL's tsvector column
        self.tz = tz
        self.clock = clock
        self.embedder = embedder or shared_embedder()
        self.model = getattr(self.embedder, "model", "all-MiniLM-L6-v2")  # which space the vectors live in
        self.multilingual = bool(getattr(self.embedder, "multilingual", False))
        self.floor = floor_for(self.model)
        self.batch_size = batch_size
        self.flush_interval_s = flush_interval_s
        self.save_interval_s = save_interval_s
        self.places: list[Place] = merge_places(places)
        self._place_texts: dict[tuple[str, str | None], str] = {}
        self._place_vocab: frozenset[str] | None = None
        self._camera_names = {cid: (name or cid) for cid, name in cameras}
        for p in self.places:
            if p.kind == "camera":
                self._camera_names.setdefault(p.id, p.name)
        self._zones: tuple[str, ...] = tuple(dict.fromkeys([*zones, *(p.id for p in self.places if p.kind == "zone")]))
        with store.session() as s:
            self._camera_ids = tuple(r[0] for r in s.execute(text("SELECT DISTINCT camera_id FROM incidents")))
            seen_zones = [r[0] for r in s.execute(text("SELECT DISTINCT zone FROM incidents WHERE zone IS NOT NULL"))]
        self._zones = tuple(dict.fromkeys([*self._zones, *seen_zones]))

        self.index_path = self._default_path() if index_path is True else (Path(index_path) if index_path else None)
        self._hnsw_lock = threading.RLock()
        self._qcache: dict[str, np.ndarray] = {}
        self._qcache_lock = threading.Lock()
        self._protos: tuple[list[str], np.ndarray] | None = None
        self._verb_protos: tuple[list[str], np.ndarray] | None = None
        # the type a query's verbs read (read_verbs) is a ranking preference when nothing else named one
        self.verb_type_preference = True
        self._floor_examples: tuple[list[str], np.ndarray, np.ndarray] | None = None  # floor.example_vectors
        self._embed_lock = threading.Lock()
        self._hnsw = self._open_hnsw()
        self._labels: set[int] = set(int(x) for x in self._hnsw.get_ids_list())
        # Vectors whose incident is gone: deleted while this index was detached, or marked deleted in a saved
        # file (hnswlib lists those too). Keep them out of search and out of memory.
        with store.session() as s:
            orphans = self._labels - {int(r[0]) for r in s.execute(text("SELECT label FROM incident_attrs"))}
        for label in orphans:
            try:
                self._hnsw.mark_deleted(label)
            except RuntimeError:  # already marked
                pass
        self._labels -= orphans
        self.vectors = QuantizedVectors.copy_of(self._hnsw, self._labels, self.index_path)
        self.vectors.drop(np.asarray(sorted(orphans), np.int64))
        self._queue: dict[int, str] = {}
        self._inflight = 0  # size of the batch being embedded now (counted in `pending`)
        self._cv = threading.Condition()
        self._dirty_since: float | None = None
        self._stop = threading.Event()
        self.attrs = AttrTable(tz=tz)  # filter fields in memory: filtered semantic ranking masks them (rank.py)
        self._seen_top = 0  # the highest label taken in (catch_up looks back CATCH_UP_WINDOW from it)
        self._backfill()
        with store.session() as s:
            self.attrs.load(s)
            self._seen_top = int(s.execute(text("SELECT COALESCE(MAX(label), 0) FROM incident_attrs")).scalar_one())
        self._queue_missing()
        store.on_incident_changed.append(self._on_incident_changed)
        store.on_incidents_deleted.append(self._on_incidents_deleted)
        _INDEXES[store] = self
        self._thread: threading.Thread | None = None
        self._next_catch_up = 0.0
        if background:
            self._thread = threading.Thread(target=self._run, name="search-embedder", daemon=True)
            self._thread.start()

    # ------------------------------------------------------------------------------------------ setup
    def _default_path(self) -> Path | None:
        db = make_url(self.store.url).database
        if not self.sqlite:
            # No file beside a server database: the center's media folder is its local state. Replicas sharing
            # that folder share the file too (saves are atomic; a file missing vectors only costs re-embedding).
            return Path(self.store.media_dir) / f"{db or 'postgres'}.hnsw"
        return None if not db or db == ":memory:" else Path(db).expanduser().with_suffix(".hnsw")

    def _open_hnsw(self) -> hnswlib.Index:
        idx = hnswlib.Index(space="cosine", dim=DIM)
        tag = self._model_tag()
        # files saved before the tag existed hold MiniLM vectors (the only model then)
        saved = (tag.read_text().strip() if tag.exists() else "all-MiniLM-L6-v2") if tag is not None else None
        if tag is not None and self.index_path.exists() and saved != self.model:
            # vectors of another embedding model (the setting changed): a different space, so embed everything again
            log.warning("search: %s holds vectors of another embedding model; re-embedding with %s", self.index_path, self.model)
        elif self.index_path is not None and self.index_path.exists():
            try:
                idx.load_index(str(self.index_path), max_elements=0)
                idx.set_ef(128)
                return idx
            except Exception:  # noqa: BLE001 - a torn file is rebuilt from the documents, never fatal
                log.exception("search: could not load %s; rebuilding the vector index", self.index_path)
                idx = hnswlib.Index(space="cosine", dim=DIM)
        # M=16 / ef_construction=200: the usual recall/speed balance for 384-d text embeddings.
        idx.init_index(max_elements=10_000, ef_construction=200, M=16)
        idx.set_ef(128)  # query-time breadth: higher = better recall, slower queries
        return idx

    def _backfill(self, chunk: int = 2000) -> None:
        # Incidents stored before the index was attached (or by a writer without it) get their rows now.
        while True:
            with self.store.session() as s:
                rows = list(s.scalars(
                    # NOT EXISTS, an anti-join: PostgreSQL runs NOT IN (subquery) as a per-row subplan once the
                    # labels outgrow work_mem (opening a 1M-incident store did not finish in 6 min)
                    select(IncidentRow).where(~exists().where(_attrs_id == IncidentRow.id)).limit(chunk)))
                if not rows:
                    return
                self.index_rows(s, rows)

    def _queue_missing(self) -> None:
        with self.store.session() as s:
            rows = s.execute(text("SELECT label, doc FROM incident_attrs")).all()
        missing = {int(label): doc for label, doc in rows if int(label) not in self._labels}
        if missing:
            log.info("search: %d incidents lack embeddings; queueing them", len(missing))
            self._enqueue(missing)

    def catch_up(self, session: Session | None = None) -> int:
        """Take in incidents other processes indexed since (API/ingest replicas on one PostgreSQL, or a separate
        ``citylens ingest`` beside the API): their filter fields now, their embeddings queued. Returns how many.

        Cheap when there is nothing new (a count and sum over the newest labels: 0.3-0.7 ms measured on SQLite
        at 20k incidents, busy 2-core box). On PostgreSQL :func:`search` calls it before ranking, so a replica
        finds by keyword and filters what another replica committed before the request, and by meaning once
        embedded; the embedding thread calls it every second (the only call on SQLite, whose usual writer is
        the API process itself). Revisions written by
        another process to an incident already known here are not re-read (the ranker's SQL re-check keeps hard
        filters exact; the vector stays that of the earlier text until this process restarts).
        """
        if session is None:
            with self.store.session() as s:
                return self.catch_up(s)
        lo = max(0, self._seen_top - CATCH_UP_WINDOW)
        # First the window's count and label sum (aggregates in SQL: ~0.1 ms), compared with what the table here
        # holds of it; the labels themselves are read only when they differ.
        count, total = session.execute(text("SELECT count(*), COALESCE(SUM(label), 0) FROM incident_attrs "
                                            "WHERE label > :lo"), {"lo": lo}).one()
        if not count:
            return 0
        here = np.flatnonzero(self.attrs.known(np.arange(lo + 1, self._seen_top + 1))) + lo + 1
        if len(here) == int(count) and int(here.sum()) == int(total):
            return 0
        labels = np.fromiter((r[0] for r in session.execute(
            text("SELECT label FROM incident_attrs WHERE label > :lo"), {"lo": lo})), np.int64)
        if not len(labels):
            return 0
        self._seen_top = max(self._seen_top, int(labels.max()))
        new = labels[~self.attrs.known(labels)]
        if not len(new):
            return 0
        with self._cv:
            new = [int(x) for x in new if int(x) not in self._queue]
        if not new:
            return 0
        self.attrs.refresh(session, new)
        docs = session.execute(text("SELECT label, doc FROM incident_attrs WHERE label IN :l")
                               .bindparams(bindparam("l", expanding=True)), {"l": new}).all()
        with self._hnsw_lock:
            todo = {int(label): doc for label, doc in docs if int(label) not in self._labels}
        self._enqueue(todo)
        return len(new)

    # ------------------------------------------------------------------------------------------ hooks
    def _on_incident_changed(self, session: Session, row: IncidentRow) -> None:
        self.index_rows(session, [row])

    def _on_incidents_deleted(self, session: Session, ids: list[str]) -> None:
        found = session.execute(text("SELECT label FROM incident_attrs WHERE incident_id IN :ids")
                                .bindparams(bindparam("ids", expanding=True)), {"ids": list(ids)})
        labels = [int(r[0]) for r in found]
        self.attrs.drop(labels)
        # Before commit: should the delete roll back, the next open re-queues the embeddings of rows still there.
        self.forget_vectors(labels)

    def forget_vectors(self, labels: Sequence[int]) -> None:
        """Remove the vectors of ``labels`` from hnswlib (marked deleted, never returned), the int8 copy and the
        embedding queue, so search memory follows the store instead of all history."""
        with self._cv:
            for label in labels:
                self._queue.pop(label, None)
        with self._hnsw_lock:
            gone = [label for label in labels if label in self._labels]
            for label in gone:
                try:
                    self._hnsw.mark_deleted(label)
                except RuntimeError:  # already marked (a saved index keeps the marks)
                    pass
                self._labels.discard(label)
            if gone:
                self.vectors.drop(np.asarray(gone, np.int64))
                self._dirty_since = self._dirty_since or time.monotonic()

    def _set_attrs(self, label: int, row: IncidentRow, colour: str | None) -> None:
        self.attrs.set_row(label, row, colour)

    def index_rows(self, session: Session, rows: Iterable[IncidentRow]) -> int:
        """Write FTS5 + attrs rows for changed incidents in ``session``'s transaction; queue their embeddings."""
        queued: dict[int, str] = {}
        for row in rows:
            doc = build_document(row, camera_name=self._camera_names.get(row.camera_id), tz=self.tz,
                                 place_text=self._place_text(row.camera_id, row.zone))
            colour = incident_colour(row)
            old = session.execute(text("SELECT label, doc FROM incident_attrs WHERE incident_id = :id"),
                                  {"id": row.id}).first()
            if old is None:
                label = session.execute(
                    text("INSERT INTO incident_attrs (incident_id, colour, doc) VALUES (:id, :c, :d) RETURNING label"),
                    {"id": row.id, "c": colour, "d": doc}).scalar_one()
                self._set_attrs(int(label), row, colour)
            else:
                label = int(old[0])
                self._set_attrs(label, row, colour)
                if old[1] == doc:
                    session.execute(text("UPDATE incident_attrs SET colour = :c WHERE label = :l"), {"c": colour, "l": label})
                    continue
                if self.sqlite:
                    session.execute(text("INSERT INTO incidents_fts (incidents_fts, rowid, doc) VALUES ('delete', :l, :d)"),
                                    {"l": label, "d": old[1]})
                session.execute(text("UPDATE incident_attrs SET colour = :c, doc = :d WHERE label = :l"),
                                {"c": colour, "d": doc, "l": label})
            if self.sqlite:  # PostgreSQL's doc_tsv is generated from doc in the same statement
                session.execute(text("INSERT INTO incidents_fts (rowid, doc) VALUES (:l, :d)"), {"l": label, "d": doc})
            queued[int(label)] = doc
            self._seen_top = max(self._seen_top, int(label))
            if row.camera_id not in self._camera_ids:
                self._camera_ids = (*self._camera_ids, row.camera_id)
            if row.zone and row.zone not in self._zones:
                self._zones = (*self._zones, row.zone)
        self._enqueue(queued)
        return len(queued)

    def index_new_rows(self, session: Session, rows: Sequence[IncidentRow]) -> None:
        """Bulk :meth:`index_rows` for incidents known to be new (bulk loads): two executemany, no look-ups."""
        if not rows:
            return
        labels = self._new_labels(session, len(rows))
        params = [{"l": labels[i], "id": r.id, "c": incident_colour(r),
                   "d": build_document(r, camera_name=self._camera_names.get(r.camera_id), tz=self.tz,
                                         place_text=self._place_text(r.camera_id, r.zone))}
                  for i, r in enumerate(rows)]
        session.execute(text("INSERT INTO incident_attrs (label, incident_id, colour, doc) VALUES (:l, :id, :c, :d)"), params)
        if self.sqlite:
            session.execute(text("INSERT INTO incidents_fts (rowid, doc) VALUES (:l, :d)"), params)
        for p, r in zip(params, rows):
            self._set_attrs(p["l"], r, p["c"])
        self._seen_top = max(self._seen_top, max(labels))
        self._camera_ids = tuple(dict.fromkeys([*self._camera_ids, *(r.camera_id for r in rows)]))
        self._zones = tuple(dict.fromkeys([*self._zones, *(r.zone for r in rows if r.zone)]))
        self._enqueue({p["l"]: p["d"] for p in params})

    def _new_labels(self, session: Session, n: int) -> list[int]:
        """``n`` labels no incident has had: past AUTOINCREMENT's high-water mark on SQLite (the bulk writer
        holds the write lock), drawn from the label sequence on PostgreSQL (safe beside concurrent writers)."""
        if not self.sqlite:
            return [int(r[0]) for r in session.execute(
                text("SELECT nextval(pg_get_serial_sequence('incident_attrs', 'label')) FROM generate_series(1, :n)"),
                {"n": n})]
        seq = session.execute(text("SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'incident_attrs'), 0)")).scalar_one()
        top = session.execute(text("SELECT COALESCE(MAX(label), 0) FROM incident_attrs")).scalar_one()
        first = max(int(seq), int(top)) + 1
        return list(range(first, first + n))

    # ------------------------------------------------------------------------------------- embeddings
    def _enqueue(self, items: dict[int, str]) -> None:
        if not items:
            return
        with self._cv:
            self._queue.update(items)
            self._cv.notify()

    @property
    def pending(self) -> int:
        """Incidents whose embedding is not in the vector index yet: queued ones plus the batch being embedded.

        Freshness guarantee: an incident is searchable by keyword and filters as soon as its ingest transaction
        commits; it is searchable by meaning once ``pending`` (read after that commit) has dropped to 0.
        """
        with self._cv:
            return len(self._queue) + self._inflight

    def flush(self, *, num_threads: int = 1) -> int:
        """Embed everything queued now, in the caller's thread; returns how many were embedded."""
        done = 0
        while True:
            n = self._embed_batch(num_threads=num_threads)
            if not n:
                return done
            done += n

    def _embed_batch(self, num_threads: int = 1) -> int:
        with self._embed_lock:
            with self._cv:
                batch = list(itertools.islice(self._queue.items(), self.batch_size))
                for label, _ in batch:
                    self._queue.pop(label, None)
                self._inflight = len(batch)  # still pending until the vectors are in the index
            if not batch:
                return 0
            try:
                vecs = self.embedder.encode([doc for _, doc in batch])
                self.add_vectors(np.array([label for label, _ in batch], np.int64), vecs, num_threads=num_threads)
            except Exception:
                with self._cv:  # put them back so a later flush retries
                    for label, doc in batch:
                        self._queue.setdefault(label, doc)
                raise
            finally:
                with self._cv:
                    self._inflight = 0
            return len(batch)

    def add_vectors(self, labels: np.ndarray, vecs: np.ndarray, *, num_threads: int = 1) -> None:
        """Add (or replace) vectors for ``labels``; grows the hnswlib index as needed.

        One thread by default so the ingest-side embedder never starves request handling; bulk loads pass -1.
        """
        with self._hnsw_lock:
            need = self._hnsw.get_current_count() + len(labels)
            if need > self._hnsw.get_max_elements():
                self._hnsw.resize_index(max(need, 2 * self._hnsw.get_max_elements()))
            self._hnsw.add_items(vecs, labels, num_threads=num_threads)
            self.vectors.put(labels, vecs)
            self._labels.update(int(x) for x in labels)
            if self._dirty_since is None:
                self._dirty_since = time.monotonic()

    def _run(self) -> None:
        while not self._stop.is_set():
            with self._cv:
                if not self._queue:
                    self._cv.wait(timeout=self.flush_interval_s)
            try:
                if time.monotonic() >= self._next_catch_up:
                    self._next_catch_up = time.monotonic() + 1.0
                    self.catch_up()
                # wait a moment for a burst to fill the batch: one encode of 64 beats 64 encodes of 1
                if 0 < self.pending < self.batch_size:
                    self._stop.wait(min(0.05, self.flush_interval_s))
                self._embed_batch()
                if self._dirty_since is not None and time.monotonic() - self._dirty_since > self.save_interval_s:
                    self.save()
            except Exception:  # noqa: BLE001 - the thread must outlive one bad batch; it logs and retries
                log.exception("search: embedding batch failed; will retry")
                self._stop.wait(1.0)

    # -------------------------------------------------------------------------------------- queries
    def knn(self, qvec: np.ndarray, k: int, allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(labels, cosine similarities) of the ``k`` nearest stored vectors, best first.

        ``allowed`` (boolean, indexed by label) restricts the search to labels where it is True; hnswlib
        then walks the graph past the others, so k hits come back whenever k allowed vectors exist.
        """
        keep = None if allowed is None else label_filter(allowed)
        with self._hnsw_lock:
            k = min(k, len(self._labels))  # live vectors: deleted ones still count in get_current_count()
            if k <= 0:
                return np.zeros(0, np.int64), np.zeros(0, np.float32)
            self._hnsw.set_ef(max(128, k))
            try:
                labels, dist = self._hnsw.knn_query(qvec.reshape(1, -1), k=k, num_threads=1, filter=keep)
            except RuntimeError:  # fewer than k allowed vectors: hnswlib refuses rather than return fewer
                if keep is None:
                    raise
                return self.similarities_top(qvec, np.flatnonzero(allowed), k)
        return labels[0].astype(np.int64), 1.0 - dist[0]

    def similarities(self, qvec: np.ndarray, labels: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
        """Exact cosine similarity of ``qvec`` to the stored vectors of ``labels`` (those embedded so far)."""
        with self._hnsw_lock:
            seen = self._labels
            have = np.array([x for x in (labels.tolist() if isinstance(labels, np.ndarray) else labels) if x in seen], np.int64)
            if not len(have):
                return have, np.zeros(0, np.float32)
            vecs = np.asarray(self._hnsw.get_items(have, return_type="numpy"), np.float32)
        return have, vecs @ qvec.astype(np.float32)

    def similarities_top(self, qvec: np.ndarray, labels: Sequence[int], k: int) -> tuple[np.ndarray, np.ndarray]:
        """Exact (labels, similarities) of the ``k`` of ``labels`` closest to ``qvec``, best first (int8 copy)."""
        labels = np.asarray(labels, np.int64)
        quick = self.vectors.has(labels)
        rest, rest_sims = self.similarities(qvec, labels[~quick])  # not embedded yet, or a failed copy
        have = np.concatenate([labels[quick], rest])
        sims = np.concatenate([self.vectors.similarities(qvec, labels[quick]), rest_sims])
        order = np.argsort(-sims, kind="stable")[:k]
        return have[order], sims[order]

    def all_vectors(self) -> tuple[np.ndarray, np.ndarray]:
        """(labels, (n, 384) unit vectors) of everything embedded so far, labels ascending (baselines, export)."""
        with self._hnsw_lock:
            labels = np.array(sorted(self._labels), np.int64)
            # numpy straight from hnswlib, in chunks: its default list-of-lists costs ~20 GB for 1M vectors
            vecs = np.zeros((len(labels), DIM), np.float32)
            for i in range(0, len(labels), 65536):
                chunk = labels[i:i + 65536]
                vecs[i:i + len(chunk)] = self._hnsw.get_items(chunk, return_type="numpy")
        return labels, vecs

    def encode_queries(self, texts: list[str]) -> None:
        """Encode the texts not cached yet in one batch and cache them (one forward pass for the verb phrases and the
        subject of a query instead of one each)."""
        with self._qcache_lock:
            todo = list(dict.fromkeys(t for t in texts if t and t not in self._qcache))
        if todo:
            self._encode_and_cache(todo)

    def encode_query(self, text_: str) -> np.ndarray:
        with self._qcache_lock:
            hit = self._qcache.get(text_)
        if hit is not None:
            return hit
        return self._encode_and_cache([text_])[0]

    def _encode_and_cache(self, texts: list[str]) -> np.ndarray:
        """One forward pass over ``texts``; each vector cached (the oldest of 512 dropped)."""
        vecs = getattr(self.embedder, "encode_queries", self.embedder.encode)(texts)
        with self._qcache_lock:
            for t, v in zip(texts, vecs):
                if len(self._qcache) >= 512:
                    self._qcache.pop(next(iter(self._qcache)))
                self._qcache[t] = v
        return vecs

    def _type_prototypes(self) -> tuple[list[str], np.ndarray]:
        if self._protos is None:
            names = list(TYPE_WORDS)
            self._protos = (names, self.embedder.encode([TYPE_WORDS[n] for n in names]))
        return self._protos

    def read_verbs(self, q: str, p: ParsedQuery) -> tuple[ParsedQuery, str | None]:
        """Read the unknown verbs of ``p`` by meaning (services/search/verbs.py): a verb whose phrase is close to how an
        incident type is done ("sat idling at the" ~ "idling without moving") is no unknown thing. Returns ``p``
        without those verbs among its unknown words, and the type they read (a preference for the caller to use when
        neither a table nor the whole subject's meaning named one). Verbs no type's phrase comes near stay unknown
        for the floor."""
        sim_min = self.floor.verb_sim_min
        if sim_min is None or p.lang != "en" or not p.unknown or p.filters.types:
            return p, None  # a type named by a table: the floor does not judge the query and no preference is set
        groups = verb_groups(q, p.unknown)
        if not groups:
            return p, None
        if self._verb_protos is None:
            types, texts = verb_phrases()
            self._verb_protos = (types, self.embedder.encode(texts))
        types, protos = self._verb_protos
        # the subject is read by meaning next (infer_type): encoded in the same batch
        self.encode_queries([g.phrase for g in groups] + [p.subject_text or p.text])
        sims = np.stack([protos @ self.encode_query(g.phrase) for g in groups])
        read, type_ = read_verbs(groups, sims, types, sim_min)
        if not read:
            return p, None
        return p.replace(unknown=tuple(w for w in p.unknown if w not in read)), type_

    def infer_type(self, text_: str) -> tuple[str | None, float]:
        """The incident type ``text_`` reads as by meaning ("a tailback" -> congestion), if clearly one; else None.

        Clear means: cosine to the type's description >= TYPE_SIM_MIN and ahead of the runner-up by TYPE_MARGIN.
        """
        if not text_.strip():
            return None, 0.0
        names, protos = self._type_prototypes()
        sims = protos @ self.encode_query(text_)
        order = np.argsort(-sims)
        best, second = float(sims[order[0]]), float(sims[order[1]])
        if best >= self.floor.type_sim_min and best - second >= self.floor.type_margin:
            return names[int(order[0])], best
        return None, best

    def parse(self, q: str, *, now: datetime | None = None) -> ParsedQuery:
        """Parse ``q`` (rules and tables: parser.parse_query), then read by meaning what no table read: the
        incident type of the free text (a soft preference) and of a negated phrase (an exclusion)."""
        cams = [(cid, self._camera_names.get(cid, cid)) for cid in dict.fromkeys([*self._camera_names, *self._camera_ids])]
        p = parse_query(q, now=now or self.clock(), tz=self.tz, cameras=cams, zones=self._zones, places=self.places)
        by_meaning = p.lang == "en" or self.multilingual
        if self.multilingual and p.foreign_text:
            p = p.replace(text=f"{p.text} {p.foreign_text}".strip())
        p, verb_type = self.read_verbs(q, p)
        if by_meaning and not p.filters.types and not p.soft.types and p.text:
            t, _ = self.infer_type(p.subject_text or p.text)
            if t is None and self.verb_type_preference and verb_type not in p.exclude.types:
                t = verb_type  # the whole subject reads no type clearly; its verb did ("a kid climbed the fence into")
            if t is not None:
                p = p.replace(soft=p.soft.model_copy(update={"types": (t,)}))
        if by_meaning and p.negated_text and not p.exclude.types:
            t, _ = self.infer_type(p.negated_text)
            if t is not None:
                p = p.replace(exclude=p.exclude.model_copy(update={"types": (t,)}), loose=(*p.loose, "meaning_exclusion"))
        if p.negated_classes and not p.exclude.types:  # meaning read no type in "except vehicles …": the class goes
            p = p.replace(exclude=p.exclude.model_copy(update={"classes": tuple(dict.fromkeys(
                (*p.exclude.classes, *p.negated_classes)))}))
        return p

    def unmatched_terms(self, session: Session, parsed: ParsedQuery) -> list[str]:
        """Words of the query that nothing in the index can answer ("nothing matches"), or [].

        The learned floor (services/search/floor.py) judges queries that leave words no parser table knows:
        when its probability that the query has an answer is below FLOOR_THRESHOLD, those words are unmatched.
        """
        if (parsed.lang == "zh" and not self.multilingual and parsed.foreign_text and _reads_nothing(parsed)
                and not _names_place_or_time(parsed)):
            # Chinese that no table read, and nothing else read either (no type, class, colour, number, exclusion,
            # place or time): an English-only embedder cannot tell what it asks for ("着火了吗"), so it is not
            # answered with whatever there is. With a place or time named it is answered (fail safe): the leftover
            # may be filler no table knows, and a false empty hides the answer (5 of 13 Chinese questions of
            # blind2's test half came back empty when a place sufficed, 2026-11-27)
            return parsed.foreign_text.split()
        if parsed.lang != "en" and not self.multilingual:
            # Chinese / Spanish under an English-only embedder: the multilingual reader judges what no table read
            fx = foreign_input(self, parsed)
            return list(fx.unknown) if foreign_empties(fx) else []
        x = floor_input(self, session, parsed)
        return list(x.unknown) if empties(x, self.floor) else []

    def _place_words(self) -> frozenset[str]:
        if self._place_vocab is None:
            words = set(tokens(" ".join(t for p in self.places for t in (p.name, p.description, *p.aliases))))
            words |= {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "morning",
                      "afternoon", "evening", "night", "lasted", "seconds", "minutes", "hours", "speed", "limit"}
            self._place_vocab = frozenset(words | {singular(w) for w in words})
        return self._place_vocab

    def _df(self, session: Session, word: str) -> bool:
        q = fts_term(word)
        if q is None:
            return False
        if not self.sqlite:
            return bool(session.execute(_PG_DF, {"w": tokens(word)[0]}).scalar())
        return session.execute(text("SELECT 1 FROM incidents_fts WHERE incidents_fts MATCH :m LIMIT 1"), {"m": q}).first() is not None

    def _place_text(self, camera_id: str, zone: str | None) -> str:
        """Aliases and descriptions of the incident's camera and zone, for its document."""
        key = (camera_id, zone)
        if key in self._place_texts:
            return self._place_texts[key]
        parts = []
        for p in self.places:
            if (p.kind == "camera" and p.id == camera_id) or (p.kind == "zone" and zone and p.id == zone
                                                               and p.camera_id in (None, camera_id)):
                parts += [a for a in p.aliases if a]
                if p.description:
                    parts.append(p.description)
        self._place_texts[key] = out = ", ".join(dict.fromkeys(parts))
        return out

    def camera_name(self, camera_id: str) -> str:
        return self._camera_names.get(camera_id, camera_id)

    def camera_id(self, id_or_name: str) -> str:
        """The id for a camera given by id or by exact (case-insensitive) name; unknown values pass through."""
        if id_or_name in self._camera_names or id_or_name in self._camera_ids:
            return id_or_name
        folded = id_or_name.strip().casefold()
        return next((cid for cid, name in self._camera_names.items() if name.casefold() == folded), id_or_name)

    # ---------------------------------------------------------------------------------------- lifecycle
    def save(self) -> None:
        """Write the vector index atomically next to the database (no-op for in-memory stores)."""
        if self.index_path is None:
            return
        with self._hnsw_lock:
            # one temporary name per process: PostgreSQL replicas may share the file (the last save wins whole)
            tmp = self.index_path.with_suffix(f".hnsw.{os.getpid()}.tmp")
            self._hnsw.save_index(str(tmp))
            tmp.replace(self.index_path)
            self._model_tag().write_text(self.model)
            self._dirty_since = None

    def _model_tag(self) -> Path | None:
        """``<index file>.model``: the embedding model whose vectors the file holds."""
        return None if self.index_path is None else Path(str(self.index_path) + ".model")

    def close(self, *, drain: bool = False) -> None:
        """Stop the thread, save, and detach from the store.

        What is still queued is *not* embedded (a shutdown must not wait for thousands of encodes): those
        incidents have no vector in the saved index, so the next start queues them again
        (``_queue_missing``). ``drain=True`` embeds them first (tools and benchmarks that need them all).
        """
        self._stop.set()
        with self._cv:
            self._cv.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=2)  # a batch still encoding is abandoned (daemon): it is queued again at the next start
        try:
            if drain:
                self.flush()
            elif self.pending:
                log.info("search: %d incidents not embedded yet; they are queued again at the next start", self.pending)
        finally:
            self.save()
            for hooks, hook in ((self.store.on_incident_changed, self._on_incident_changed),
                                (self.store.on_incidents_deleted, self._on_incidents_deleted)):
                if hook in hooks:
                    hooks.remove(hook)
            if _INDEXES.get(self.store) is self:
                del _INDEXES[self.store]
