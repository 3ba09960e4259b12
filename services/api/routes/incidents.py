"""Incidents: filtered, cursor-paginated listing, one incident, its evidence images, revisions, acks and notes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, status
from fastapi.responses import FileResponse
from pydantic import ValidationError

from citylens.contracts import MAX_ID_CHARS, SAFE_ID_PATTERN, IncidentState, IncidentType, Severity, utcnow
from services import media
from services.api.deps import BroadcasterDep, StoreDep
from services.api.schemas import (IncidentPublic, IncidentQuery, IncidentsPublic, NoteCreate, NotePublic, NotesPublic,
                                  RevisionPublic, RevisionsPublic, note_public)
from services.api.security import OperatorDep, audit
from services.console_store import record_event, revisions
from services.store import IncidentRow, InvalidCursor, Store

router = APIRouter(tags=["incidents"])


def validation_reason(e: ValidationError) -> str:
    """One line per problem: ``field: message``."""
    return "; ".join(f"{'.'.join(str(p) for p in err['loc']) or 'query'}: {err['msg'].removeprefix('Value error, ')}"
                     for err in e.errors())


def incident_query(
    camera: Annotated[list[str] | None, Query(description="camera ids (repeat the parameter for several)")] = None,
    type: Annotated[list[IncidentType] | None, Query(description="incident types")] = None,
    object_class: Annotated[list[str] | None, Query(alias="class", description="object classes, e.g. person, car")] = None,
    zone: Annotated[list[str] | None, Query()] = None,
    severity: Annotated[list[Severity] | None, Query()] = None,
    state: IncidentState | None = None,
    since: Annotated[datetime | None, Query(description="ISO-8601 with time zone; started_at >= since")] = None,
    until: Annotated[datetime | None, Query(description="ISO-8601 with time zone; started_at < until")] = None,
    cursor: Annotated[str | None, Query(description="next_cursor from the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> IncidentQuery:
    try:
        return IncidentQuery(camera=camera, type=type, object_class=object_class, zone=zone, severity=severity,
                             state=state, since=since, until=until, cursor=cursor, limit=limit)
    except ValidationError as e:
        raise HTTPException(422, detail=validation_reason(e)) from None


IncidentQueryDep = Annotated[IncidentQuery, Depends(incident_query)]
# Ids are looked up, never joined into a file path (evidence paths come from the row); the rule is the one
# ingest enforces (citylens.contracts.SAFE_ID_PATTERN), so every stored id has working URLs and no other id does.
IncidentId = Annotated[str, Path(pattern=SAFE_ID_PATTERN, max_length=MAX_ID_CHARS, description="incident id")]
EVIDENCE_HEADERS = {"X-Content-Type-Options": "nosniff", "Cache-Control": "private, max-age=60"}


@router.get("/incidents", response_model=IncidentsPublic)
def list_incidents(store: StoreDep, q: IncidentQueryDep) -> IncidentsPublic:
    """Incidents newest first; follow ``next_cursor`` for the next page."""
    filters = q.to_filters()
    try:
        rows, next_cursor = store.list_incidents(filters, q.cursor, q.limit)
    except InvalidCursor as e:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, detail=str(e)) from None
    return IncidentsPublic(data=[IncidentPublic.from_row(r) for r in rows], count=store.count_incidents(filters),
                           next_cursor=next_cursor)


def _incident_or_404(store: Store, incident_id: str) -> IncidentRow:
    row = store.get_incident(incident_id)
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"incident {incident_id!r} not found")
    return row


@router.get("/incidents/{incident_id}", response_model=IncidentPublic)
def get_incident(store: StoreDep, incident_id: IncidentId) -> IncidentPublic:
    return IncidentPublic.from_row(_incident_or_404(store, incident_id))


def _evidence(store: Store, incident_id: str, name: str) -> FileResponse:
    row = _incident_or_404(store, incident_id)
    rel = getattr(row, f"{name}_path")
    if not rel:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"incident {incident_id!r} has no {name}")
    try:
        path = media.resolve(store.media_dir, rel)
    except ValueError:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"incident {incident_id!r} has no valid {name} path") from None
    if not path.is_file():
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"{name} of incident {incident_id!r} is missing on disk")
    # nosniff: browsers must not guess another type from the bytes; private: it needs a key, so no shared
    # cache may keep it; a minute: a later revision may still add evidence under the same URL.
    return FileResponse(path, media_type="image/jpeg", headers=EVIDENCE_HEADERS)


@router.get("/incidents/{incident_id}/snapshot.jpg", response_class=FileResponse,
            responses={200: {"content": {"image/jpeg": {}}}})
def get_snapshot(store: StoreDep, incident_id: IncidentId) -> FileResponse:
    return _evidence(store, incident_id, "snapshot")


@router.get("/incidents/{incident_id}/crop.jpg", response_class=FileResponse,
            responses={200: {"content": {"image/jpeg": {}}}})
def get_crop(store: StoreDep, incident_id: IncidentId) -> FileResponse:
    return _evidence(store, incident_id, "crop")


@router.get("/incidents/{incident_id}/revisions", response_model=RevisionsPublic)
def list_revisions(store: StoreDep, incident_id: IncidentId) -> RevisionsPublic:
    """Every revision ingested for this incident (opened, updates, caption, closed) and acks, oldest first."""
    _incident_or_404(store, incident_id)
    data = [RevisionPublic(event_id=r.id, kind=r.kind, seq=r.seq, received_at=r.ts,
                           incident=IncidentPublic.model_validate_json(r.data)) for r in revisions(store, incident_id)]
    return RevisionsPublic(data=data, count=len(data))


@router.post("/incidents/{incident_id}/ack", response_model=IncidentPublic)
def ack_incident(request: Request, store: StoreDep, broadcaster: BroadcasterDep, who: OperatorDep,
                 incident_id: IncidentId) -> IncidentPublic:
    """Acknowledge an incident (operator). Repeating it is harmless: the first ack's who and when stay."""
    now = utcnow()
    row = store.ack_incident(incident_id, who.name, now)
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"incident {incident_id!r} not found")
    first = row.acked_at == now
    audit(request, who, "incident.ack", f"incident:{incident_id}", {"first": first, "acked_by": row.acked_by})
    public = IncidentPublic.from_row(row)
    if first:
        with store.session() as s:
            record_event(s, row, "ack", public.model_dump_json())
        broadcaster.publish("")  # wakes the /events streams; they read the event log
    return public


@router.post("/incidents/{incident_id}/notes", response_model=NotePublic, status_code=status.HTTP_201_CREATED)
def add_note(request: Request, store: StoreDep, who: OperatorDep, incident_id: IncidentId, body: NoteCreate) -> NotePublic:
    """Attach a note to an incident (operator)."""
    row = store.add_note(incident_id, who.name, body.text, utcnow())
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"incident {incident_id!r} not found")
    audit(request, who, "incident.note", f"incident:{incident_id}", {"note_id": row.id, "chars": len(body.text)})
    return note_public(row)


@router.get("/incidents/{incident_id}/notes", response_model=NotesPublic)
def list_notes(store: StoreDep, incident_id: IncidentId) -> NotesPublic:
    _incident_or_404(store, incident_id)
    data = [note_public(r) for r in store.list_notes(incident_id)]
    return NotesPublic(data=data, count=len(data))
