"""Hybrid incident search: SQL filters, then semantic (hnswlib) + keyword (FTS5 bm25 on SQLite, tsvector
``ts_rank_cd`` through a GIN index on PostgreSQL) fused by reciprocal rank."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from sqlalchemy import Integer, any_, bindparam, column, func, literal_column, select, table, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.dialects.postgresql import ARRAY, aggregate_order_by
from sqlalchemy.sql.selectable import Join

from citylens.contracts import IncidentFacts, IncidentFilter
from services.search.index import PG_TS_CONFIG, SearchIndex, index_for
from services.search.parser import MAX_QUERY_CHARS, ParsedQuery
from services.search.vocab import tokens
from services.store import IncidentRow, Store, filter_conditions, filter_params, incident_attrs as _attrs, incident_where

# Reciprocal rank fusion constant (Cormack et al. 2009): larger flattens the gap between ranks 1 and 10.
RRF_K = 60
# Each ranker contributes this many candidates (at least) to the fusion; more = better recall, slower.
CANDIDATES = 100
# When the filters leave at most this many incidents, semantic ranking is exact (the index's int8 vector copy,
# ~2.5 ms per 5k) instead of a filtered hnswlib kNN, which slows as the allowed set thins (70 ms at 1% of 1M).
EXACT_MAX = 20_000
# Free text is cut to this many tokens for FTS (each token is one OR term).
MAX_FTS_TOKENS = 32
# bm25 costs ~2 us per matching row, and a common word matches most of a million incidents (400 ms). So
# keyword ranking looks at the newest KEYWORD_SCAN matches of the words (label order = ingest order) and
# scores the newest KEYWORD_DEPTH of those that pass the filters. Older matches still reach the results
# through the semantic ranker, which sees every incident.
KEYWORD_SCAN = 20_000
KEYWORD_DEPTH = 2_000
# PostgreSQL (with the attribute mask, _keyword_ranking_pg_masked): reading a match costs ~0.4 us per label walked
# or ~3 us per match fetched through GIN, against ~0.1 us in FTS5's doclists, so it reads fewer: the newest
# PG_KEYWORD_SCAN matches (more = older matches ranked under a narrow filter, slower). PG_PROBE labels are
# walked first to measure how common the words are; a range expected to span at most PG_WALK_ROWS labels is
# walked (~20 ms at 50k), a wider one read through the GIN index.
PG_KEYWORD_SCAN = 5_000
PG_PROBE = 8_192
PG_WALK_ROWS = 50_000
# PostgreSQL (with the attribute mask): when the filters pass at most this many incidents, those are checked
# for the words directly (a primary-key look-up each, ~4 us warm, ~8 us cold: they lie scattered over the
# table; 8k took 31-61 ms at 200k) instead of reading word matches until enough pass (a narrow filter can need
# the whole scan budget). Raising it makes more filtered queries pay per filtered incident; lowering it sends
# more of them to the word-first read.
PG_FILTER_FIRST = 3_000

# incidents_fts's hidden columns: the table-named one takes MATCH, rank is bm25.
_fts = table("incidents_fts", column("rowid", Integer), column("rank"), column("incidents_fts"))


class _OrderedJoin(Join):
    """An inner join whose left side SQLite must loop over first (``CROSS JOIN``); a plain join elsewhere
    (PostgreSQL takes no ON after CROSS JOIN)."""

    inherit_cache = True


@compiles(_OrderedJoin, "sqlite")
def _cross_join(join: _OrderedJoin, compiler, asfrom=False, from_linter=None, **kw) -> str:
    if from_linter:
        from_linter.edges.update((a, b) for a in join.left._from_objects for b in join.right._from_objects)
    return (compiler.process(join.left, asfrom=True, from_linter=from_linter, **kw) + " CROSS JOIN "
            + compiler.process(join.right, asfrom=True, from_linter=from_linter, **kw)
            + " ON " + compiler.process(join.onclause, from_linter=from_linter, **kw))


def _attrs_then_incidents(left=_attrs):
    """``left`` → incident_attrs (by label, unless ``left`` is it) → incidents, in that loop order on SQLite."""
    if left is not _attrs:
        left = _OrderedJoin(left, _attrs, _attrs.c.label == left.c.rowid)
    return _OrderedJoin(left, IncidentRow.__table__, IncidentRow.id == _attrs.c.incident_id)


@dataclass(frozen=True)
class SearchHit:
    """One ranked incident; ``score`` is the fused RRF score (0 for filter-only, newest-first results)."""

    incident: IncidentRow
    score: float
    caption: str | None
    facts: IncidentFacts
    snapshot_url: str | None


@dataclass(frozen=True)
class SearchResult:
    """What :func:`search` found: the parsed query (after overrides) and the hits, best first."""

    parsed: ParsedQuery
    hits: list[SearchHit] = field(default_factory=list)
    semantic_pending: int = 0  # incidents not embedded yet (vector index lag); keyword search still sees them
    unmatched: list[str] = field(default_factory=list)  # query words nothing indexed can answer
    reason: str | None = None  # why there are no hits, when there are none; or what was relaxed to find them
    relaxed: list[str] = field(default_factory=list)  # weak readings relaxed because the hard filters left nothing


def _query_words(text_: str) -> list[str]:
    """The distinct words of a query that keyword ranking looks up (at most MAX_FTS_TOKENS)."""
    return list(dict.fromkeys(tokens(text_[:MAX_QUERY_CHARS])))[:MAX_FTS_TOKENS]


def fts_query(text_: str) -> str | None:
    """A safe FTS5 MATCH string: each word becomes a quoted string, OR-ed; user syntax never passes through."""
    words = _query_words(text_)
    if not words:
        return None
    return " OR ".join('"' + w.replace('"', '""') + '"' for w in words)


def _base(*cols):
    return select(*cols).select_from(IncidentRow).join(_attrs, _attrs.c.incident_id == IncidentRow.id)


def semantic_ranking(index: SearchIndex, s: Session, f: IncidentFilter, text_: str, k: int,
                     narrow: Callable[[np.ndarray], np.ndarray] | None = None) -> list[int]:
    """Labels of the ``k`` filtered incidents closest in meaning to ``text_``, best first.

    The filters are evaluated as a vectorised mask over the index's in-memory attribute table (``narrow``
    refines it further: exclusions, fact bounds, hours, a soft tier); the picks are then re-checked in SQL
    (a k-label look-up), so a stale table entry can cost a retry but never a wrong hit.
    """
    qvec = index.encode_query(text_)
    if f.is_empty() and narrow is None:
        return [int(x) for x in index.knn(qvec, k)[0]]
    check, params = _check_stmt(tuple(f.set_fields())), filter_params(f)
    narrow = narrow or (lambda m: m)
    mask = narrow(index.attrs.mask(f))
    for _ in range(3):
        allowed = np.flatnonzero(mask)
        if len(allowed) <= EXACT_MAX:
            labels = index.similarities_top(qvec, allowed, k)[0]
        else:
            labels = _overfetch(index, qvec, k, mask)
        picked = [int(x) for x in labels]
        ok = {int(r[0]) for r in s.execute(check, {**params, "labels": picked})} if picked else set()
        stale = [x for x in picked if x not in ok]
        if not stale:
            return picked
        index.attrs.refresh(s, stale)  # deleted or changed by another writer: re-read them and rank again
        mask = narrow(index.attrs.mask(f))
    return [x for x in picked if x in ok]


def _overfetch(index: SearchIndex, qvec: np.ndarray, k: int, mask: np.ndarray) -> np.ndarray:
    """Nearest neighbours that pass ``mask``, for a mask that passes many: plain kNN, widened, then filtered."""
    fetch = 4 * k
    while fetch <= 16 * k:  # plain kNN is ~1 ms per 1k neighbours; enough pass when the mask keeps > ~5%
        labels = index.knn(qvec, fetch)[0]
        labels = labels[labels < len(mask)]
        kept = labels[mask[labels]]
        if len(kept) >= k:
            return kept[:k]
        fetch *= 4
    return index.knn(qvec, k, allowed=mask)[0]  # the filter's matches lie away from the query: walk past the rest


def keyword_ranking(s: Session, f: IncidentFilter, text_: str, k: int, *, allowed: np.ndarray | None = None) -> list[int]:
    """Labels of the ``k`` filtered incidents with the best FTS5 bm25 for any word of ``text_``, best first.

    Only the newest :data:`KEYWORD_SCAN` matches are considered (see there); small stores see every match.
    ``allowed``: the filters as a boolean array over labels (the index's attribute mask, which may be narrower
    than ``f``); PostgreSQL then filters the word matches with it instead of joining ``incidents`` for ``f``
    (:func:`_keyword_ranking_pg_masked`). Callers re-check their final picks in SQL, as the semantic side does.
    """
    if s.get_bind().dialect.name == "postgresql":
        if allowed is not None:
            return _keyword_ranking_pg_masked(s, text_, k, allowed)
        return _keyword_ranking_pg(s, f, text_, k)
    match = fts_query(text_)
    if match is None:
        return []
    # The label below which matches are not scanned: cheap, FTS5 walks rowids newest first without bm25.
    floor = s.execute(text("SELECT rowid FROM incidents_fts WHERE incidents_fts MATCH :m ORDER BY rowid DESC "
                           "LIMIT 1 OFFSET :n"), {"m": match, "n": KEYWORD_SCAN - 1}).scalar()
    names = tuple(f.set_fields())
    params = {**filter_params(f), "m": match, "floor": int(floor) if floor is not None else None}
    return [int(r[0]) for r in s.execute(_keyword_stmt(names, floor is not None, k), params)]


@lru_cache(maxsize=256)
def _check_stmt(names: tuple[str, ...]):
    """The semantic ranker's SQL re-check of its picks (``:labels``) against the filter fields ``names``."""
    return (select(_attrs.c.label).select_from(_attrs_then_incidents())
            .where(_attrs.c.label.in_(bindparam("labels", expanding=True)), *filter_conditions(names)))


@lru_cache(maxsize=256)
def _keyword_stmt(names: tuple[str, ...], floored: bool, k: int):
    """The FTS5 keyword query for the filter fields ``names`` (built once per shape; values are parameters)."""
    where = filter_conditions(names)
    # With filters, the join pins FTS5 as the outer loop (CROSS JOIN); otherwise SQLite may drive from the
    # filters and run one MATCH per filtered row (seconds). bm25 (rank) is computed only for rows that pass
    # the filters.
    scan = (select(_fts.c.rowid.label("label"), _fts.c.rank.label("r"))
            .select_from(_attrs_then_incidents(_fts) if where else _fts)
            .where(_fts.c.incidents_fts.op("MATCH")(bindparam("m")), *where))
    if floored:
        scan = scan.where(_fts.c.rowid >= bindparam("floor"))
    scan = scan.order_by(_fts.c.rowid.desc()).limit(KEYWORD_DEPTH).subquery()
    return select(scan.c.label).order_by(scan.c.r).limit(k)


def pg_tsquery(text_: str):
    """The query's words OR-ed as a PostgreSQL tsquery: ``plainto_tsquery(w1) || plainto_tsquery(w2) || …``.

    Each word is its own bind parameter through ``plainto_tsquery``, so no user syntax reaches the tsquery
    parser (the SQLite twin is :func:`fts_query`); None when the text has no word.
    """
    words = _query_words(text_)
    if not words:
        return None
    q = func.plainto_tsquery(literal_column(f"'{PG_TS_CONFIG}'"), words[0])
    for w in words[1:]:
        q = q.op("||")(func.plainto_tsquery(literal_column(f"'{PG_TS_CONFIG}'"), w))
    return q


def keyword_matches_pg(f: IncidentFilter, text_: str, *, depth: int = KEYWORD_DEPTH):
    """(label, rank) of the newest ``depth`` incidents that pass the filters and hold any word of ``text_``
    (label order = ingest order, as on SQLite), or None without words. Used by :func:`keyword_ranking` and EXPLAIN.

    One statement, the plan left to PostgreSQL: for a word it expects in few documents it answers
    ``doc_tsv @@ q`` with the GIN index ``ix_incident_attrs_doc_tsv`` (Bitmap Index Scan); for a common one it
    walks the label index newest first and stops after ``depth`` matches. ``ts_rank_cd`` is computed only for
    the ``depth`` rows kept. (A two-step variant — newest 20k labels walked, older matches only through the GIN
    index — measured slower at 500k: docs/benchmarks.md.)
    """
    q = pg_tsquery(text_)
    if q is None:
        return None
    filters = incident_where(f)
    cols = (_attrs.c.label.label("label"), _attrs.c.doc_tsv.label("tsv"))
    matches = ((_base(*cols) if filters else select(*cols).select_from(_attrs))  # incidents joined only for filters
               .where(_attrs.c.doc_tsv.op("@@")(q), *filters)
               .order_by(_attrs.c.label.desc()).limit(depth).subquery())
    return select(matches.c.label, func.ts_rank_cd(matches.c.tsv, q).label("r"))


def _keyword_ranking_pg(s: Session, f: IncidentFilter, text_: str, k: int) -> list[int]:
    """The newest :data:`KEYWORD_DEPTH` matches passing the filters, best ``ts_rank_cd`` first."""
    stmt = keyword_matches_pg(f, text_)
    if stmt is None:
        return []
    rows = sorted(s.execute(stmt).all(), key=lambda r: (-r.r, -r.label))
    return [int(r.label) for r in rows[:k]]


def _pg_page(q, *, walk: bool):
    """The labels (newest first, one array) of the newest ``:n`` incidents with ``:lo < label < :cursor`` holding a
    word of the tsquery ``q``. ``walk``: the match is written as a function call (``ts_match_vq``), which no
    index answers, so PostgreSQL walks the label index newest first and stops at ``:n`` (cheap for a common
    word); otherwise ``@@``, which the caller runs with index scans off so the GIN index is read as a bitmap,
    ANDed with the label range (cheap for a rare word: only its matches are read)."""
    label = _attrs.c.label
    match = func.ts_match_vq(_attrs.c.doc_tsv, q) if walk else _attrs.c.doc_tsv.op("@@")(q)
    m = (select(label).where(label > bindparam("lo"), label < bindparam("cursor"), match)
         .order_by(label.desc()).limit(bindparam("n")).subquery())
    return select(func.array_agg(aggregate_order_by(m.c.label, m.c.label.desc())))


def _keyword_ranking_pg_masked(s: Session, text_: str, k: int, allowed: np.ndarray) -> list[int]:
    """SQLite's keyword candidates on PostgreSQL, the filters read from ``allowed``: of the newest
    :data:`PG_KEYWORD_SCAN` incidents holding a word of ``text_``, the newest :data:`KEYWORD_DEPTH` that
    ``allowed`` passes, best ``ts_rank_cd`` first; when ``allowed`` passes at most :data:`PG_FILTER_FIRST`,
    the newest :data:`KEYWORD_DEPTH` of those holding a word (no scan budget: they are all looked at).

    GIN returns matches in no order, so they are read newest first in label ranges sized from the share of
    labels holding a word (measured on the newest :data:`PG_PROBE` labels, then on each range) and of matches
    the filters pass: a range expected to span at most :data:`PG_WALK_ROWS` labels is walked on the label index
    (stops at the count wanted), a wider one is read through the GIN bitmap ANDed with the range. No statement
    joins ``incidents`` (the single statement of :func:`keyword_matches_pg` did, per match, and at 1M incidents
    a narrow filter made it read most of the table: seconds, docs/benchmarks.md); ``ts_rank_cd`` runs only on
    the rows kept.
    """
    q = pg_tsquery(text_)
    if q is None:
        return []
    # psycopg prepares a statement on its 5th run, and PostgreSQL may then keep one generic plan for every value
    # of lo/cursor/n (and ignore enable_indexscan): measured 18 ms -> 190 ms for the same query from its 5th run.
    s.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
    try:
        return _pg_masked_reads(s, q, k, allowed)
    finally:
        s.execute(text("SET LOCAL plan_cache_mode = auto"))


def _pg_masked_reads(s: Session, q, k: int, allowed: np.ndarray) -> list[int]:
    label, r = _attrs.c.label, func.ts_rank_cd(_attrs.c.doc_tsv, q).label("r")
    in_labels = label == any_(bindparam("labels", type_=ARRAY(Integer)))
    passing = np.flatnonzero(allowed)
    if len(passing) <= PG_FILTER_FIRST:  # few pass the filters: check those (newest first) for the words
        first = select(label, r).where(in_labels, _attrs.c.doc_tsv.op("@@")(q)).order_by(label.desc()).limit(KEYWORD_DEPTH)
        rows = s.execute(first, {"labels": passing[::-1].tolist()}).all() if len(passing) else []
        return [int(x.label) for x in sorted(rows, key=lambda x: (-x.r, -x.label))[:k]]
    hi = s.execute(select(func.max(label))).scalar()
    if hi is None:
        return []
    walk, gin, n_allowed = _pg_page(q, walk=True), _pg_page(q, walk=False), len(allowed)
    kept: list[np.ndarray] = []
    budget, need, read, passed = PG_KEYWORD_SCAN, KEYWORD_DEPTH, 0, 0
    cursor, span, share = hi + 1, PG_PROBE, None  # labels < cursor are still to read
    while budget > 0 and need > 0 and cursor > 1:
        want = int(min(budget, max(need, need / max(passed / read if read else 1.0, 1 / 64) * 1.2)))
        if share is not None:  # labels expected to hold `want` matches, with a margin
            span = int(want / share * 1.5) + 1
        lo = max(cursor - 1 - span, 0)
        by_walk = span <= PG_WALK_ROWS
        if not by_walk:
            s.execute(text("SET LOCAL enable_indexscan = off"))
        labels = np.asarray(s.execute(walk if by_walk else gin, {"lo": lo, "cursor": cursor, "n": want}).scalar() or [],
                            np.int64)
        if not by_walk:
            s.execute(text("SET LOCAL enable_indexscan = on"))
        ok = labels[(labels < n_allowed) & allowed[np.minimum(labels, n_allowed - 1)]]
        kept.append(ok[:need])
        budget, need = budget - len(labels), need - len(kept[-1])
        read, passed = read + len(labels), passed + len(ok)
        end = int(labels[-1]) if len(labels) == want else lo  # the range read: end < label < cursor
        share = max(len(labels), 0.5) / max(cursor - 1 - end, 1)
        cursor = end + 1 if end < cursor - 1 else end
        if len(labels) < want and lo == 0:
            break
    chosen = np.concatenate(kept) if kept else np.empty(0, np.int64)
    if not len(chosen):
        return []
    rows = s.execute(select(label, r).where(in_labels), {"labels": chosen.tolist()}).all()
    return [int(x.label) for x in sorted(rows, key=lambda x: (-x.r, -x.label))[:k]]


def rrf(*rankings: list[int], k: int = RRF_K) -> dict[int, float]:
    """Reciprocal rank fusion: sum over rankers of 1 / (k + rank), rank counted from 1."""
    scores: dict[int, float] = {}
    for ranking in rankings:
        for r, label in enumerate(ranking, start=1):
            scores[label] = scores.get(label, 0.0) + 1.0 / (k + r)
    return scores


def snapshot_url(row: IncidentRow) -> str | None:
    return f"/incidents/{row.id}/snapshot.jpg" if row.snapshot_path else None


def _hit(row: IncidentRow, score: float) -> SearchHit:
    return SearchHit(incident=row, score=score, caption=row.caption, facts=row.facts, snapshot_url=snapshot_url(row))


def _newest(index: SearchIndex, mask: np.ndarray, k: int, *, oldest: bool = False) -> list[int]:
    labels = np.flatnonzero(mask)
    if not len(labels):
        return []
    t = index.attrs.started(labels).astype(np.int64)  # NaT is the smallest int64: last when newest first
    if oldest:  # oldest first ("the earliest"): the time negated, NaT still last, ties by the older label
        t = np.where(t == np.iinfo(np.int64).min, t, -t)
    if len(labels) > k:
        top = np.argpartition(-t, k - 1)[:k]
        labels, t = labels[top], t[top]
    order = np.lexsort((labels if oldest else -labels, -t))
    return [int(x) for x in labels[order]]


def search(
    store: Store,
    query: str | ParsedQuery,
    filters: IncidentFilter | None = None,
    limit: int = 20,
    *,
    index: SearchIndex | None = None,
    now: datetime | None = None,
) -> SearchResult:
    """Find incidents for an operator query.

    ``filters`` overrides the parsed filters field by field. Hard filters, exclusions, fact bounds and a
    recurring hour window decide what may be returned; soft preferences split that set into tiers (all
    preferences met first, then fewer); inside a tier semantic and keyword rankings are fused (RRF), or the
    newest come first when the query asks for the latest or has no free text. A query whose content words
    nothing indexed can answer gets no hits and names those words (``unmatched``).

    Example:
        >>> search(store, "white van stopped in the bus lane last night", limit=5).hits  # doctest: +SKIP
    """
    index = index or index_for(store) or SearchIndex(store)
    parsed = query if isinstance(query, ParsedQuery) else index.parse(query, now=now)
    f = parsed.filters.merged(filters)
    parsed = parsed.replace(filters=f)
    limit = max(1, min(int(limit), 500))
    with store.session() as s:  # SQLite begins deferred: a read-only transaction takes no write lock
        if not index.sqlite:  # replicas: what the others committed before this request (~0.5 ms; SQLite: each second)
            index.catch_up(s)
        unmatched = index.unmatched_terms(s, parsed) if filters is None or filters.is_empty() else []
        if unmatched:
            return SearchResult(parsed, [], index.pending, unmatched=unmatched,
                                reason=f"no incident can match: {', '.join(unmatched)}")
        if filters is None or filters.is_empty():
            if never := never_raised_there(index, parsed):
                return SearchResult(parsed, [], index.pending, unmatched=never,
                                    reason=f"no incident can match: {', '.join(never)} (that place has never raised it)")

        def narrow(m: np.ndarray) -> np.ndarray:
            return index.attrs.refine(m, exclude=parsed.exclude, facts=parsed.facts, hours=parsed.hours,
                                      weekdays=parsed.weekdays)

        allowed = narrow(index.attrs.mask(f))
        relaxed: list[str] = []
        if not allowed.any() and (filters is None or filters.is_empty()):
            parsed, relaxed = relax(parsed, lambda p: narrow_for(index, p))
            if relaxed:
                f = parsed.filters
                allowed = narrow(index.attrs.mask(f))
        level, k_soft = index.attrs.level(parsed.soft, len(allowed))
        tiers = [level == j for j in range(k_soft, -1, -1)] if k_soft else [None]
        text_ = parsed.text.strip()
        order: list[tuple[int, float]] = []
        seen: set[int] = set()
        k = max(CANDIDATES, 3 * limit)
        for tier in tiers:
            if len(order) >= limit:
                break
            tmask = allowed if tier is None else allowed & tier
            if not tmask.any():
                continue
            if parsed.newest or parsed.oldest or not text_:
                ranked = [(lab, 0.0) for lab in _newest(index, tmask, limit, oldest=parsed.oldest)]
            else:
                def tier_narrow(m: np.ndarray, tmask=tmask) -> np.ndarray:
                    return m & tmask[: len(m)] if len(m) <= len(tmask) else m & np.pad(tmask, (0, len(m) - len(tmask)))

                sem = semantic_ranking(index, s, f, text_, k, narrow=tier_narrow)
                kw = [lab for lab in keyword_ranking(s, f, text_, k, allowed=tmask) if lab < len(tmask) and tmask[lab]]
                ranked = sorted(rrf(sem, kw).items(), key=lambda kv: -kv[1])
            for lab, score in ranked:
                if lab not in seen:
                    seen.add(lab)
                    order.append((lab, score))
        order = order[:limit]
        if not order:
            return SearchResult(parsed, [], index.pending, reason="no incident matches the filters")
        stmt = _base(IncidentRow, _attrs.c.label).where(_attrs.c.label.in_([lab for lab, _ in order]), *incident_where(f))
        by_label = {int(label): row for row, label in s.execute(stmt).all()}
        hits = [_hit(by_label[lab], score) for lab, score in order if lab in by_label]
    if relaxed:
        return SearchResult(parsed, hits, index.pending, relaxed=relaxed,
                            reason="nothing matched every filter; relaxed: " + "; ".join(relaxed))
    return SearchResult(parsed, hits, index.pending)


def never_raised_there(index: SearchIndex, p: ParsedQuery) -> list[str]:
    """An incident type read by a table (a hard filter) at a place read only as a preference ("wrong-way vehicles
    inside the station": one word of a camera's name, a description word): when no incident of that type was ever
    raised at the preferred places' cameras (a zone counts as its camera, so a neighbouring zone's rule still
    answers "near the kiosk"), the deployment has no such rule there, and the other cameras' incidents of the type
    are not what was asked: ``["<type> at <place>"]``, else []. Derived from the indexed incidents, not a list: a
    camera that has raised the type once answers as before. A hard place leaves nothing by its own filters."""
    f, soft = p.filters, p.soft
    if not f.types or f.cameras or f.zones or not (soft.cameras or soft.zones):
        return []
    owner = {pl.id: pl.camera_id for pl in index.places if pl.kind == "zone" and pl.camera_id}
    cams = tuple(dict.fromkeys([*soft.cameras, *(owner[z] for z in soft.zones if z in owner)]))
    if not cams or any(z not in owner for z in soft.zones):
        return []  # a zone no camera of the deployment holds: nothing to judge it by
    # only a place the words name (a word of its name or an alias: "inside the station"), not one a description word
    # suggests ("fence line crossing" is a type's words; the harbour's description holds "fence")
    words = set(tokens(p.text + " " + " ".join(p.phrases))) | set(tokens(getattr(p, "subject_text", "") or ""))
    named = {pl.id for pl in index.places if (pl.id in soft.cameras or pl.id in soft.zones)
             and words & {w for n in pl.names() for w in tokens(n) if len(w) > 3}}
    if not named:
        return []
    if index.attrs.mask(IncidentFilter(types=f.types, cameras=cams)).any():
        return []
    names = {pl.id: pl.name for pl in index.places}
    return [f"{' / '.join(t.replace('_', ' ') for t in f.types)} at {' / '.join(names.get(c, c) for c in cams)}"]


# How far the edges of a part of the day read with no clock ("this evening", "at night") may move when nothing
# matches: the edges are a convention (is 17:40 evening?), the day and the clock are not.
PART_OF_DAY_SLACK_H = 1.0


def narrow_for(index: SearchIndex, p: ParsedQuery) -> bool:
    """Whether ``p``'s hard filters, exclusions, fact bounds and hours leave any incident."""
    m = index.attrs.mask(p.filters)
    return bool(index.attrs.refine(m, exclude=p.exclude, facts=p.facts, hours=p.hours, weekdays=p.weekdays).any())


def _widen_hours(h: tuple[float, float], by: float) -> tuple[float, float] | None:
    lo, hi = h[0] - by, h[1] + by
    if hi - lo >= 24:
        return None  # the whole day
    return (lo + 24, hi + 24) if lo < 0 else (lo, hi)


def relax(p: ParsedQuery, leaves_any) -> tuple[ParsedQuery, list[str]]:
    """When the hard filters leave nothing: relax the readings of weak evidence one at a time, weakest first,
    until something is left, and say what was relaxed; ``(p, [])`` when nothing weak was read or relaxing it
    leaves nothing either (then "nothing matches" stands: a named camera, a date, a clock, a type read from a
    table, a number are never relaxed, so "nothing happened there then" stays a true empty).

    The steps: the edges of a part of the day read with no clock move by PART_OF_DAY_SLACK_H; a colour beside a
    type or a class becomes a preference (the stored colour is the system's estimate from pixels: an operator's
    "silver" or "dark" car may be stored grey, black or blue); a detector class
    read beside an incident type becomes a preference (the type says what happened; the class is the detector's
    label for the main object, and a van is a car or a truck to it); a negated type read by meaning (no table)
    is no longer excluded.
    """
    steps: list[tuple[str, ParsedQuery]] = []
    q = p
    if "part_of_day" in p.loose:
        f = q.filters
        upd = {}
        if f.since is not None:
            upd["since"] = f.since - timedelta(hours=PART_OF_DAY_SLACK_H)
        if f.until is not None:
            upd["until"] = f.until + timedelta(hours=PART_OF_DAY_SLACK_H)
        q = q.replace(filters=f.model_copy(update=upd),
                      hours=_widen_hours(q.hours, PART_OF_DAY_SLACK_H) if q.hours is not None else None)
        steps.append((f"part of the day widened by {PART_OF_DAY_SLACK_H:g} h", q))
    if q.filters.colours and (q.filters.types or q.filters.classes):
        col = q.filters.colours
        q = q.replace(filters=q.filters.model_copy(update={"colours": ()}),
                      soft=q.soft.model_copy(update={"colours": tuple(dict.fromkeys((*q.soft.colours, *col)))}))
        steps.append((f"colour {'/'.join(col)} preferred, not required", q))
    if q.filters.classes and q.filters.types:
        cls = q.filters.classes
        q = q.replace(filters=q.filters.model_copy(update={"classes": ()}),
                      soft=q.soft.model_copy(update={"classes": tuple(dict.fromkeys((*q.soft.classes, *cls)))}))
        steps.append((f"class {'/'.join(cls)} preferred, not required", q))
    if "meaning_exclusion" in p.loose and q.exclude.types:
        q = q.replace(exclude=q.exclude.model_copy(update={"types": ()}))
        steps.append(("exclusion read by meaning dropped", q))
    done: list[str] = []
    for what, cand in steps:
        done.append(what)
        if leaves_any(cand):
            return cand.replace(loose=()), done
    return p, []


__all__ = ["SearchHit", "SearchResult", "fts_query", "keyword_matches_pg", "keyword_ranking", "pg_tsquery", "rrf", "search",
           "semantic_ranking"]
