"""The operator console (``/`` and ``/ui/*``) and the offline API docs (``/docs``, ``/redoc``), all from package files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request, status
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from services.api.security import current_principal

STATIC_DIR = Path(__file__).resolve().parents[1] / "static"
router = APIRouter(include_in_schema=False)


async def _docs_access(request: Request) -> None:
    """Docs follow the API's auth unless ``docs_public``; a browser without a session is sent to sign in."""
    if request.app.state.settings.docs_public:
        return
    # Resolve the same principal the API would (key header, bearer, session cookie, open mode).
    try:
        await _principal(request)
    except HTTPException as e:
        if e.status_code == status.HTTP_401_UNAUTHORIZED and "text/html" in request.headers.get("accept", ""):
            raise HTTPException(status.HTTP_303_SEE_OTHER, detail="sign in first",
                                headers={"Location": f"/?next={request.url.path}"}) from None
        raise


async def _principal(request: Request):
    from fastapi.security.utils import get_authorization_scheme_param

    from services.api.deps import get_settings, get_store
    from services.api.security import get_rate_limiter

    scheme, cred = get_authorization_scheme_param(request.headers.get("authorization"))
    bearer = None
    if scheme.lower() == "bearer" and cred:
        from fastapi.security import HTTPAuthorizationCredentials

        bearer = HTTPAuthorizationCredentials(scheme=scheme, credentials=cred)
    return current_principal(request, get_store(request), get_settings(request), get_rate_limiter(request),
                             api_key=request.headers.get("x-api-key"), bearer=bearer)


DocsAccess = Annotated[None, Depends(_docs_access)]


@router.get("/")
def console_page() -> FileResponse:
    """The operator console; it signs in with a key and then talks to this API with its session cookie."""
    return FileResponse(STATIC_DIR / "index.html", media_type="text/html",
                        headers={"Cache-Control": "no-cache", "X-Frame-Options": "DENY",
                                 "Content-Security-Policy": "default-src 'self'; img-src 'self' data: blob:; "
                                                            "style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'"})


@router.get("/favicon.ico")
def favicon() -> FileResponse:
    return FileResponse(STATIC_DIR / "favicon.svg", media_type="image/svg+xml")


@router.get("/openapi.json")
def openapi(request: Request, _: DocsAccess) -> JSONResponse:
    return JSONResponse(request.app.openapi())


@router.get("/docs")
def swagger_ui(_: DocsAccess) -> HTMLResponse:
    return get_swagger_ui_html(openapi_url="/openapi.json", title="citylens API",
                               swagger_js_url="/ui/vendor/swagger-ui/swagger-ui-bundle.js",
                               swagger_css_url="/ui/vendor/swagger-ui/swagger-ui.css",
                               swagger_favicon_url="/ui/vendor/swagger-ui/favicon-32x32.png")


@router.get("/redoc")
def redoc(_: DocsAccess) -> HTMLResponse:
    return get_redoc_html(openapi_url="/openapi.json", title="citylens API", redoc_js_url="/ui/vendor/redoc/redoc.standalone.js",
                          redoc_favicon_url="/ui/vendor/swagger-ui/favicon-32x32.png", with_google_fonts=False)


def mount_console(app: FastAPI) -> None:
    """Static assets under /ui (public: code and styles only, no data) and the routes above."""
    app.mount("/ui", StaticFiles(directory=STATIC_DIR), name="ui")
    app.include_router(router)
