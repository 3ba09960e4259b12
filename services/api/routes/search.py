"""Natural-language incident search: ``GET /search?q=`` and ``POST /search`` with explicit filter overrides."""

from __future__ import annotations

import logging
import threading
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request, status
from pydantic import BaseModel, ConfigDict, Field, create_model, field_validator, model_validator

from citylens.contracts import IncidentFilter, IncidentType, ModelLoadError
from services.api.deps import StoreDep
from services.api.schemas import IncidentPublic, require_tz
from services.search import MAX_QUERY_CHARS, SearchIndex, SearchResult, index_for, search, shared_embedder
from services.search.places import places_from_config
from services.search.vocab import COLOURS
from services.store import Store

log = logging.getLogger(__name__)
router = APIRouter(tags=["search"])
_index_lock = threading.Lock()

# Longer queries are cut to MAX_QUERY_CHARS (the response says so); beyond this they are refused with 413,
# so a multi-megabyte body cannot make the parser or the embedder work for nothing.
MAX_BODY_QUERY_CHARS = 64 * 1024


# What a search answer shows of its filters: the fields a query or POST /search can set, declared by the
# contract's IncidentFilter (the JSON and its schema name are the ones clients have always read).
_SHOWN = ("since", "until", "cameras", "zones", "types", "classes", "colours")
SearchFilters = create_model("SearchFilters", __config__=ConfigDict(frozen=True, extra="forbid"),
                             __doc__='The filters a search applied; empty lists and null mean "any". Times are UTC, '
                                     '[since, until).',
                             **{n: (IncidentFilter.model_fields[n].annotation, IncidentFilter.model_fields[n]) for n in _SHOWN})


def _shown(f: IncidentFilter) -> SearchFilters:
    return SearchFilters(**f.model_dump(include=set(_SHOWN)))


def _listify(v: object) -> object:
    return [v] if isinstance(v, str) else v


class SearchFiltersIn(BaseModel):
    """Explicit filters; each one given replaces what the parser read from ``q``."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    camera: list[str] | None = Field(None, description="camera ids (or exact camera names)")
    zone: list[str] | None = None
    type: list[IncidentType] | None = None
    object_class: list[str] | None = Field(None, alias="class", description="detector classes (car, truck, person…)")
    colour: list[str] | None = Field(None, description=f"any of {sorted(set(COLOURS.values()))} (or synonyms)")
    since: datetime | None = Field(None, description="started_at >= since, ISO-8601 with a time zone")
    until: datetime | None = Field(None, description="started_at < until, ISO-8601 with a time zone")

    @field_validator("camera", "zone", "type", "object_class", "colour", mode="before")
    @classmethod
    def _lists(cls, v: object) -> object:
        return _listify(v)

    @field_validator("colour")
    @classmethod
    def _colours(cls, v: list[str] | None) -> list[str] | None:
        if v is None:
            return None
        bad = [c for c in v if c.strip().lower() not in COLOURS]
        if bad:
            raise ValueError(f"unknown colour(s) {bad}; known: {sorted(COLOURS)}")
        return [COLOURS[c.strip().lower()] for c in v]

    @field_validator("since", "until")
    @classmethod
    def _tz(cls, v: datetime | None) -> datetime | None:
        return require_tz(v)

    @model_validator(mode="after")
    def _ordered(self) -> "SearchFiltersIn":
        if self.since and self.until and self.since > self.until:
            raise ValueError(f"since ({self.since.isoformat()}) is after until ({self.until.isoformat()})")
        return self

    def to_filters(self) -> IncidentFilter:
        return IncidentFilter(
            since=self.since, until=self.until, cameras=tuple(self.camera or ()), zones=tuple(self.zone or ()),
            types=tuple(t.value for t in self.type or ()), classes=tuple(self.object_class or ()),
            colours=tuple(self.colour or ()),
        )


class SearchRequest(BaseModel):
    """Body of ``POST /search``."""

    model_config = ConfigDict(extra="forbid")

    q: str = Field("", description=f"the operator's words; cut to {MAX_QUERY_CHARS} characters")
    filters: SearchFiltersIn | None = None
    limit: int = Field(20, ge=1, le=200)


class FactBoundPublic(BaseModel):
    fact: str = Field(description="duration_s | speed_kmh | count | over_limit_kmh (speed minus the limit)")
    op: str = Field(description="gt | lt")
    value: float


class ParsedPublic(BaseModel):
    """What the server understood: the filters applied and the free text that was ranked."""

    filters: SearchFilters
    text: str
    phrases: list[str] = Field(description="query phrases that became filters")
    soft: SearchFilters = Field(SearchFilters(), description="preferences: matching incidents rank first, others still come")
    exclude: SearchFilters = Field(SearchFilters(), description="types/classes excluded ('not pedestrians')")
    facts: list[FactBoundPublic] = Field(default_factory=list, description="numeric comparisons on facts")
    hours: tuple[float, float] | None = Field(None, description="recurring local hours [start, end), end may pass 24")
    weekdays: tuple[int, ...] | None = Field(None, description="recurring local weekdays allowed, 0 = Monday")
    newest: bool = Field(False, description="newest first ('latest', 'most recent')")
    oldest: bool = Field(False, description="oldest first ('earliest', 最早, 'el primero')")
    lang: str = "en"


class SearchHitPublic(IncidentPublic):
    score: float = Field(description="reciprocal-rank-fusion score; 0 when results are filter-only, newest first")


class SearchPublic(BaseModel):
    query: str
    truncated: bool = Field(description=f"q was longer than {MAX_QUERY_CHARS} characters and was cut")
    parsed: ParsedPublic
    data: list[SearchHitPublic]
    count: int
    semantic_pending: int = Field(description="incidents not yet embedded (queued or being embedded); keyword and "
                                              "filters already see them, meaning-based ranking once this reads 0")
    unmatched: list[str] = Field(default_factory=list, description="query words no indexed incident can answer; "
                                                                  "when set, data is empty on purpose")
    reason: str | None = Field(None, description="why data is empty, when it is; or, when nothing matched every "
                                                 "filter, which weak readings were relaxed to answer (see relaxed)")
    relaxed: list[str] = Field(default_factory=list, description="readings of weak evidence relaxed because the hard "
                                                                "filters left nothing (a part of the day's edges, a colour, a "
                                                                "class beside a type, an exclusion read by meaning)")


def get_search_index(request: Request, store: StoreDep) -> SearchIndex:
    """The app's search index; built from the YAML config on first use if the lifespan did not build one."""
    idx = getattr(request.app.state, "search_index", None) or index_for(store)
    if idx is not None:
        return idx
    with _index_lock:
        idx = index_for(store)
        if idx is None:
            runtime = getattr(request.app.state, "runtime", None)
            try:
                settings = getattr(request.app.state, "settings", None)
                idx = search_index_from_config(store, getattr(runtime, "config", None),
                                               getattr(settings, "embedding_model", None))
            except NotImplementedError as e:
                raise HTTPException(status.HTTP_501_NOT_IMPLEMENTED, detail=str(e)) from None
            except ModelLoadError as e:
                raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, detail=f"search unavailable: {e}") from None
        request.app.state.search_index = idx
    return idx


def search_index_from_config(store: Store, cfg, embedding_model: str | None = None) -> SearchIndex:
    """A :class:`SearchIndex` knowing the config's time zone, camera names and zone names (``cfg`` may be None),
    embedding with ``embedding_model`` (the ``embedding_model`` setting; None = the default)."""
    embedder = shared_embedder(model=embedding_model)
    if cfg is None:
        return SearchIndex(store, embedder=embedder)
    return SearchIndex(
        store, tz=cfg.timezone, cameras=[(c.id, c.name or c.id) for c in cfg.cameras],
        zones=list(dict.fromkeys(z.name for c in cfg.cameras for z in c.zones)), places=places_from_config(cfg),
        embedder=embedder,
    )


SearchIndexDep = Annotated[SearchIndex, Depends(get_search_index)]


def _run(store: Store, index: SearchIndex, q: str, filters: IncidentFilter | None, limit: int) -> SearchPublic:
    if len(q) > MAX_BODY_QUERY_CHARS:
        raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE,
                            detail=f"q is {len(q)} characters; at most {MAX_BODY_QUERY_CHARS} are accepted")
    truncated = len(q) > MAX_QUERY_CHARS
    q = q[:MAX_QUERY_CHARS]
    if filters is not None and filters.cameras:
        filters = filters.model_copy(update={"cameras": tuple(index.camera_id(c) for c in filters.cameras)})
    try:
        res: SearchResult = search(store, q, filters=filters, limit=limit, index=index)
    except OverflowError:  # "last 1000000 days", "on 9999-12-31": a time before year 1 or after 9999
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT,
                            detail="q: a time in the query falls outside the years 1-9999") from None
    except ModelLoadError as e:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, detail=f"search unavailable: {e}") from None
    hits = []
    for h in res.hits:
        pub = IncidentPublic.from_row(h.incident).model_dump()
        hits.append(SearchHitPublic(**pub, score=round(h.score, 6)))
    p = res.parsed
    parsed = ParsedPublic(filters=_shown(p.filters), text=p.text, phrases=list(p.phrases), soft=_shown(p.soft),
                          exclude=_shown(p.exclude),
                          facts=[FactBoundPublic(fact=b.fact, op=b.op, value=b.value) for b in p.facts], hours=p.hours, weekdays=p.weekdays,
                          newest=p.newest, oldest=p.oldest, lang=p.lang)
    return SearchPublic(query=q, truncated=truncated, parsed=parsed, data=hits, count=len(hits),
                        semantic_pending=res.semantic_pending, unmatched=res.unmatched, reason=res.reason,
                        relaxed=res.relaxed)


# Sync handlers on purpose: parsing, embedding and SQLite are blocking work, so FastAPI runs them in its
# thread pool instead of on the event loop.
@router.get("/search", response_model=SearchPublic)
def search_get(
    store: StoreDep,
    index: SearchIndexDep,
    q: Annotated[str, Query(description="e.g. 'white van stopped in the bus lane last night'")] = "",
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> SearchPublic:
    """Search incidents in plain words; filters are read from the words themselves."""
    return _run(store, index, q, None, limit)


@router.post("/search", response_model=SearchPublic)
def search_post(body: SearchRequest, store: StoreDep, index: SearchIndexDep) -> SearchPublic:
    """Search with explicit filters; each filter given replaces the one parsed from ``q``."""
    return _run(store, index, body.q, body.filters.to_filters() if body.filters else None, body.limit)
