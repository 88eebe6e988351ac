"""/docs and /redoc from this server alone, so the API reference opens on a machine offline.

FastAPI's defaults load Swagger UI and ReDoc from a CDN, which leaves both pages
blank without the internet. Both bundles are vendored, unmodified and with their
licences, in web/static/vendor/ (its README says where each came from and why the
swagger-ui-bundle package's Swagger UI 4 cannot be used: it does not read OpenAPI 3.1).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)
VENDOR = "/static/vendor"
FAVICON = f"{VENDOR}/swagger-ui/favicon-32x32.png"


@router.get("/docs", response_class=HTMLResponse)
def swagger_ui(request: Request) -> HTMLResponse:
    return get_swagger_ui_html(
        openapi_url=str(request.app.openapi_url),
        title=f"{request.app.title} API",
        swagger_js_url=f"{VENDOR}/swagger-ui/swagger-ui-bundle.js",
        swagger_css_url=f"{VENDOR}/swagger-ui/swagger-ui.css",
        swagger_favicon_url=FAVICON,
    )


@router.get("/redoc", response_class=HTMLResponse)
def redoc(request: Request) -> HTMLResponse:
    return get_redoc_html(
        openapi_url=str(request.app.openapi_url),
        title=f"{request.app.title} API",
        redoc_js_url=f"{VENDOR}/redoc/redoc.standalone.js",
        redoc_favicon_url=FAVICON,
        with_google_fonts=False,
    )
