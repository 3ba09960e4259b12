"""API-key authentication, role checks, per-key rate limits, audit helper and the request-body size limit."""

from __future__ import annotations

import functools
import json
import logging
import math
import re
import secrets
from typing import Annotated, Any
from urllib.parse import urlsplit

import psutil
from fastapi import Depends, HTTPException, Request, Security, status
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.api.deps import SettingsDep, StoreDep
from services.auth import OPEN_MODE_NAME, Principal, RateLimiter, Role, record_audit, verify_key
from services.console_store import CSRF_HEADER, SESSION_COOKIE, session_key
from services.settings import is_loopback

log = logging.getLogger(__name__)

# auto_error=False: a missing key is our 401 with a reason (and open mode), not FastAPI's generic 403.
_api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="an API key (`citylens keys create`)")
_bearer = HTTPBearer(auto_error=False, description="the same API key as `Authorization: Bearer <key>`")
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="citylens"'}
_UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def _unauthorized(reason: str) -> HTTPException:
    return HTTPException(status.HTTP_401_UNAUTHORIZED, detail=reason, headers=_CHALLENGE)


def _too_many_bad_keys(limiter: RateLimiter, wait: float) -> HTTPException:
    return HTTPException(status.HTTP_429_TOO_MANY_REQUESTS,
                         detail=f"too many requests without a valid API key from this address (limit {limiter.rate:g}/s, "
                                f"burst {limiter.burst}); retry in {wait:.2f}s",
                         headers={"Retry-After": str(max(1, math.ceil(wait)))})


def get_rate_limiter(request: Request) -> RateLimiter:
    return request.app.state.rate_limiter


def client_ip(request: Request) -> str | None:
    # The direct peer. Behind a reverse proxy run uvicorn with --proxy-headers so this is the real client.
    return request.client.host if request.client else None


@functools.lru_cache(maxsize=64)
def listening_addresses(port: int) -> tuple[str, ...]:
    """Addresses this process's listening TCP sockets on ``port`` are bound to (what uvicorn really bound,
    whatever the settings say). Cached: a running server does not re-bind."""
    try:
        conns = psutil.Process().net_connections(kind="tcp")
    except psutil.Error as e:  # cannot tell: the caller treats "unknown" as not loopback
        log.warning("cannot list this process's listening sockets: %s", e)
        return ("unknown",)
    return tuple(sorted({c.laddr.ip for c in conns if c.status == psutil.CONN_LISTEN and c.laddr.port == port}))


def open_mode_refusal(request: Request) -> str | None:
    """Why open mode must not serve this request, or None when it may.

    Open mode is for a demo on one machine: the caller must be a loopback address, the connection must have
    arrived on a loopback address, and the listening socket that accepted it must be bound to loopback only
    (``uvicorn --host 0.0.0.0`` with the default settings is caught here, not by ``Settings.api_host``).
    """
    peer = request.client.host if request.client else None
    if not is_loopback(peer):
        return f"open mode serves loopback clients only; {peer} is not loopback: send an API key"
    server = request.scope.get("server")
    if server:
        local, port = server[0], server[1]
        if not is_loopback(local):
            return f"open mode serves loopback only; this request arrived on {local}: send an API key"
        exposed = [a for a in listening_addresses(port) if not is_loopback(a)] if port else []
        if exposed:
            return (f"open mode is refused: this server listens on {exposed[0]}:{port}, not loopback only; bind "
                    "127.0.0.1 (uvicorn --host 127.0.0.1) or turn open mode off and send an API key")
    return None


def current_principal(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    limiter: Annotated[RateLimiter, Depends(get_rate_limiter)],
    api_key: Annotated[str | None, Security(_api_key_header)] = None,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)] = None,
) -> Principal:
    """The caller behind the request's key, rate-limited per key; cached per request by FastAPI."""
    key = api_key or (bearer.credentials if bearer else None)
    cookie = request.cookies.get(SESSION_COOKIE)
    _refuse_cross_site(request)
    if key:
        # An address that spent its allowance of bad keys is refused before the store is asked again.
        fails: RateLimiter = request.app.state.auth_fail_limiter
        address = f"ip:{client_ip(request)}"
        wait = fails.wait(address)
        if wait > 0:
            raise _too_many_bad_keys(fails, wait)
        row = verify_key(store, key)
        if row is None:
            fails.acquire(address)
            raise _unauthorized("unknown or revoked API key")
        who = Principal(key_id=row.id, name=row.name, role=Role(row.role))
    elif cookie and (hit := session_key(store, cookie)) is not None:
        sess, row = hit
        # The cookie is sent by the browser on its own, so a write must also prove it comes from our page:
        # the page echoes the session's CSRF token (readable only same-origin, from GET /session) in a header.
        if request.method in _UNSAFE and not secrets.compare_digest(request.headers.get(CSRF_HEADER, ""), sess.csrf):
            raise HTTPException(status.HTTP_403_FORBIDDEN,
                                detail=f"missing or wrong {CSRF_HEADER} header for a cookie-authenticated write")
        who = Principal(key_id=row.id, name=row.name, role=Role(row.role))
    elif cookie and not settings.open_mode:
        raise _unauthorized("session expired or signed out (or its key was revoked); sign in again")
    elif settings.open_mode:
        # Loopback-only demo: everyone is admin, limited per client, but only on a loopback-only socket.
        refusal = open_mode_refusal(request)
        if refusal:
            raise HTTPException(status.HTTP_403_FORBIDDEN, detail=refusal)
        who = Principal(key_id=None, name=f"{OPEN_MODE_NAME}@{client_ip(request)}", role=Role.ADMIN)
    else:
        fails = request.app.state.auth_fail_limiter
        wait = fails.acquire(f"ip:{client_ip(request)}")
        if wait > 0:
            raise _too_many_bad_keys(fails, wait)
        raise _unauthorized("API key required: send it as 'X-API-Key: <key>' or 'Authorization: Bearer <key>'")
    wait = limiter.acquire(who.bucket)
    if wait > 0:
        raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS,
                            detail=f"rate limit of {limiter.rate:g} requests/s (burst {limiter.burst}) exceeded for "
                                   f"key {who.name!r}; retry in {wait:.2f}s",
                            headers={"Retry-After": str(max(1, math.ceil(wait)))})
    request.state.principal = who
    return who


PrincipalDep = Annotated[Principal, Depends(current_principal)]


def _refuse_cross_site(request: Request) -> None:
    """Writes from another site's page are refused, whatever credentials ride along (cookie or open mode)."""
    if request.method not in _UNSAFE:
        return
    origin = request.headers.get("origin")
    if request.headers.get("sec-fetch-site") == "cross-site" or (
            origin and origin != "null" and urlsplit(origin).netloc != request.headers.get("host")):
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail="cross-site write refused (Origin does not match Host)")


def require_role(needed: Role):
    """A dependency refusing (403) callers whose role is below ``needed``."""

    def check(who: PrincipalDep) -> Principal:
        if not who.role.allows(needed):
            raise HTTPException(status.HTTP_403_FORBIDDEN,
                                detail=f"key {who.name!r} has role {who.role.value!r}; this needs {needed.value!r} or higher")
        return who

    check.__name__ = f"require_{needed.value}"
    return check


require_viewer = require_role(Role.VIEWER)
require_operator = require_role(Role.OPERATOR)
require_admin = require_role(Role.ADMIN)


def require_real_key(who: Principal) -> Principal:
    """Refuse (403) the anonymous open-mode caller: key management needs a real admin key, so open mode can
    never mint a key that would outlive it."""
    if who.key_id is None:
        raise HTTPException(status.HTTP_403_FORBIDDEN,
                            detail="open mode cannot create or revoke API keys; send an admin key, or use "
                                   "`citylens keys create` on the center host")
    return who
OperatorDep = Annotated[Principal, Depends(require_operator)]
AdminDep = Annotated[Principal, Depends(require_admin)]


def audit(request: Request, who: Principal, action: str, target: str | None, detail: dict[str, Any] | None = None) -> None:
    """Record an operator/admin action in the audit log."""
    record_audit(request.app.state.store, who, action, target, detail, client_ip=client_ip(request))


class BodySizeLimit:
    """ASGI middleware: 413 with a reason for bodies over ``max_bytes``, declared or streamed.

    A declared ``Content-Length`` over the limit is refused before the app runs; a chunked body is counted
    as it is read and refused at the first byte past the limit, so memory per request stays bounded.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def _reason(self) -> str:
        return f"request body exceeds the limit of {self.max_bytes} bytes"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None:
            try:
                too_big = int(declared) > self.max_bytes
            except ValueError:
                await _json(send, 400, "invalid Content-Length header")
                return
            if too_big:
                await _json(send, 413, self._reason())
                return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    # An HTTPException, so FastAPI re-raises it from body parsing and answers with our reason.
                    raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, detail=self._reason())
            return message

        await self.app(scope, limited, send)


_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


class RejectInvalidUnicode:
    """ASGI middleware: 422 with a reason for a JSON body holding a lone surrogate (``"\\ud800"``).

    JSON may spell one, Python decodes it into a ``str`` that cannot be encoded as UTF-8, and every later
    step (validation messages, SQLite, the search tokenizer) would fail on it with a 500. Bodies are bounded
    by :class:`BodySizeLimit` (placed outside this one); only bodies with a surrogate escape are parsed here,
    and a proper pair (an escaped emoji) passes.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        ctype = dict(scope.get("headers") or []).get(b"content-type", b"") if scope["type"] == "http" else b""
        if b"json" not in ctype:
            await self.app(scope, receive, send)
            return
        chunks, more = [], True
        while more:
            try:
                message = await receive()
            except HTTPException as e:  # BodySizeLimit refusing a streamed body: answer it here, not as a 500
                await _json(send, e.status_code, str(e.detail))
                return
            if message["type"] != "http.request":
                await self.app(scope, _replay([message]), send)
                return
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        body = b"".join(chunks)
        if _SURROGATE_ESCAPE.search(body):
            try:
                json.dumps(json.loads(body), ensure_ascii=False).encode("utf-8")
            except UnicodeEncodeError:
                await _json(send, 422, "body: a JSON string holds a lone surrogate (e.g. \\ud800), which is not text")
                return
            except ValueError:
                pass  # not JSON at all: FastAPI answers that with its own 422
        await self.app(scope, _replay([{"type": "http.request", "body": body, "more_body": False}]), send)


def _replay(messages: list[Message]) -> Receive:
    queue = list(messages)

    async def receive() -> Message:
        if queue:
            return queue.pop(0)
        return {"type": "http.disconnect"}

    return receive


async def _json(send: Send, code: int, reason: str) -> None:
    body = json.dumps({"detail": reason}).encode()
    await send({"type": "http.response.start", "status": code,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


__all__ = [
    "AdminDep", "BodySizeLimit", "OperatorDep", "PrincipalDep", "RejectInvalidUnicode", "audit", "client_ip", "current_principal",
    "get_rate_limiter", "listening_addresses", "open_mode_refusal", "require_admin", "require_operator",
    "require_real_key", "require_role", "require_viewer",
]
