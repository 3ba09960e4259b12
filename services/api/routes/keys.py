"""API keys (admin): create (the plaintext is shown once), list, revoke."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Request, status

from services import auth
from services.api.deps import StoreDep
from services.api.schemas import KeyCreate, KeyCreated, KeyPublic, KeysPublic
from services.api.security import AdminDep, audit, require_real_key

router = APIRouter(tags=["keys"])


@router.post("/keys", response_model=KeyCreated, status_code=status.HTTP_201_CREATED)
def create_key(request: Request, store: StoreDep, who: AdminDep, body: KeyCreate) -> KeyCreated:
    """Create a key; the response carries the plaintext key, which is stored only as a hash."""
    require_real_key(who)
    row, plaintext = auth.create_key(store, body.name, body.role)
    audit(request, who, "key.create", f"key:{row.id}", {"name": row.name, "role": row.role, "prefix": row.prefix})
    return KeyCreated(**KeyPublic.from_row(row).model_dump(), key=plaintext)


@router.get("/keys", response_model=KeysPublic)
def list_keys(store: StoreDep, _who: AdminDep) -> KeysPublic:
    data = [KeyPublic.from_row(r) for r in auth.list_keys(store)]
    return KeysPublic(data=data, count=len(data))


@router.delete("/keys/{key_id}", response_model=KeyPublic)
def revoke_key(request: Request, store: StoreDep, who: AdminDep,
               key_id: Annotated[int, Path(ge=1, le=2**62)]) -> KeyPublic:
    """Revoke a key at once (idempotent); the last active admin key cannot be revoked (409)."""
    require_real_key(who)
    try:
        row = auth.revoke_key(store, key_id)
    except auth.LastAdminKey as e:
        raise HTTPException(status.HTTP_409_CONFLICT, detail=str(e)) from None
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"key {key_id} not found")
    audit(request, who, "key.revoke", f"key:{row.id}", {"name": row.name, "role": row.role})
    return KeyPublic.from_row(row)
