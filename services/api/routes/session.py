"""Browser sign-in: an API key is exchanged once for an HttpOnly, SameSite=Strict session cookie."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, HTTPException, Request, Response, status
from pydantic import BaseModel, ConfigDict, Field

from services.api.deps import SettingsDep, StoreDep
from services.api.security import PrincipalDep, _refuse_cross_site, _unauthorized, audit, client_ip
from services.auth import Principal, Role, verify_key
from services.console_store import SESSION_COOKIE, create_session, delete_session, session_key

router = APIRouter(tags=["session"])


class SignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str = Field(min_length=1, max_length=256, description="an API key (`citylens keys create`)")


class SessionPublic(BaseModel):
    name: str
    role: Role
    open_mode: bool = Field(description="the API runs without keys (loopback demo): no sign-in needed")
    csrf: str | None = Field(None, description="send as X-CSRF-Token on writes made with the session cookie")
    expires_at: datetime | None = None


@router.post("/session", response_model=SessionPublic)
def sign_in(request: Request, response: Response, store: StoreDep, settings: SettingsDep, body: SignIn) -> SessionPublic:
    """Check the key and set the session cookie; the key itself is never stored in the browser."""
    _refuse_cross_site(request)  # no login CSRF: another site cannot sign this browser in with its own key
    limiter = request.app.state.rate_limiter
    if limiter.acquire(f"signin:{client_ip(request)}") > 0:
        raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, detail="too many sign-in attempts; wait a moment")
    row = verify_key(store, body.key)
    if row is None:
        raise _unauthorized("unknown or revoked API key")
    sess = create_session(store, row.id, settings.session_ttl_s)
    response.set_cookie(SESSION_COOKIE, sess.token, max_age=int(settings.session_ttl_s), httponly=True,
                        samesite="strict", secure=request.url.scheme == "https", path="/")
    who = Principal(key_id=row.id, name=row.name, role=Role(row.role))
    audit(request, who, "session.create", f"key:{row.id}", {})
    return SessionPublic(name=row.name, role=who.role, open_mode=settings.open_mode, csrf=sess.csrf,
                         expires_at=sess.expires_at)


@router.get("/session", response_model=SessionPublic)
def who_am_i(request: Request, store: StoreDep, settings: SettingsDep, who: PrincipalDep) -> SessionPublic:
    """Who the browser (or key) is; the page reads its CSRF token here after a reload."""
    hit = session_key(store, request.cookies.get(SESSION_COOKIE, ""))
    return SessionPublic(name=who.name, role=who.role, open_mode=settings.open_mode,
                         csrf=hit[0].csrf if hit else None, expires_at=hit[0].expires_at if hit else None)


@router.delete("/session", status_code=status.HTTP_204_NO_CONTENT)
def sign_out(request: Request, store: StoreDep) -> Response:
    """Forget the session server-side and clear the cookie (idempotent)."""
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        delete_session(store, token)
    out = Response(status_code=status.HTTP_204_NO_CONTENT)
    out.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")
    return out
