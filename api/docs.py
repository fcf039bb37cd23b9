"""The API's documentation pages, ``/docs`` (Swagger UI) and ``/redoc``, with their JavaScript, CSS and icon
served by this server instead of a CDN, so they work offline (self-hosted deployments are often air-gapped).

FastAPI's recipe "Self-hosting JavaScript and CSS for docs": the app is created with ``docs_url=None`` and
``redoc_url=None``; ``install`` mounts the assets at ``ASSETS_URL`` and adds the pages, built by FastAPI's
own ``get_swagger_ui_html`` / ``get_redoc_html`` pointed at them. The files come from the ``fastapi-offline``
package (its ``fastapi_offline/static``: swagger-ui-dist 5's ``swagger-ui-bundle.js`` and ``swagger-ui.css``,
redoc 2's ``redoc.standalone.js``, ``favicon.png``), not copied into this repository;
``tests/api/test_docs.py`` checks that each one is served. ReDoc's page loads no Google Fonts (the browser's
fonts instead).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.requests import Request

DOCS_URL = "/docs"
REDOC_URL = "/redoc"
ASSETS_URL = "/docs-assets"
ASSETS = Path(str(files("fastapi_offline") / "static"))
SWAGGER_JS, SWAGGER_CSS, REDOC_JS, FAVICON = (
    "swagger-ui-bundle.js",
    "swagger-ui.css",
    "redoc.standalone.js",
    "favicon.png",
)


def install(app: FastAPI) -> None:
    """Mount the assets and add ``/docs``, Swagger UI's OAuth2 redirect page and ``/redoc`` to ``app`` (made
    with ``docs_url=None, redoc_url=None``). Like FastAPI's own pages, they stay out of the OpenAPI document
    and honour the ASGI ``root_path`` (a server behind a path prefix)."""
    openapi_url = app.openapi_url or "/openapi.json"
    oauth2_redirect_url = app.swagger_ui_oauth2_redirect_url
    app.mount(ASSETS_URL, StaticFiles(directory=ASSETS), name="docs-assets")

    def asset(request: Request, name: str) -> str:
        return f"{request.scope.get('root_path', '').rstrip('/')}{ASSETS_URL}/{name}"

    async def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "").rstrip("/")
        return get_swagger_ui_html(
            openapi_url=root + openapi_url,
            title=f"{app.title} - Swagger UI",
            oauth2_redirect_url=root + oauth2_redirect_url if oauth2_redirect_url else None,
            init_oauth=app.swagger_ui_init_oauth,
            swagger_ui_parameters=app.swagger_ui_parameters,
            swagger_js_url=asset(request, SWAGGER_JS),
            swagger_css_url=asset(request, SWAGGER_CSS),
            swagger_favicon_url=asset(request, FAVICON),
        )

    async def swagger_ui_redirect(request: Request) -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    async def redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "").rstrip("/")
        return get_redoc_html(
            openapi_url=root + openapi_url,
            title=f"{app.title} - ReDoc",
            redoc_js_url=asset(request, REDOC_JS),
            redoc_favicon_url=asset(request, FAVICON),
            with_google_fonts=False,
        )

    app.add_route(DOCS_URL, swagger_ui, include_in_schema=False)
    if oauth2_redirect_url:
        app.add_route(oauth2_redirect_url, swagger_ui_redirect, include_in_schema=False)
    app.add_route(REDOC_URL, redoc, include_in_schema=False)
