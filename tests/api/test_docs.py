"""/docs and /redoc work offline: every script, stylesheet and icon they load is served by this app (from the
fastapi-offline package), none from a CDN; the real app on a real SQLite store, no model needed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from moderation.config import Settings
from moderation.services import build_services

# src= and href= of <script> and <link> tags
ASSET = re.compile(r"<(?:script|link)\b[^>]*?\b(?:src|href)=[\"']([^\"']+)[\"']", re.I)
CONTENT_TYPES = {".js": "javascript", ".css": "text/css", ".png": "image/png"}


@pytest.fixture
def docs_client(tmp_path: Path, sqlite_url: str) -> Iterator[TestClient]:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        environment="test",
        data_dir=tmp_path / "data",
        database_url=sqlite_url,
        log_json=False,
    )
    services = build_services(settings, use_redis=False)  # the model is never loaded: the docs need none
    try:
        with TestClient(create_app(services=services)) as client:
            yield client
    finally:
        services.close()


def assets_of(html: str) -> list[str]:
    return ASSET.findall(html)


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("/docs", {"swagger-ui-bundle.js", "swagger-ui.css", "favicon.png"}),
        ("/redoc", {"redoc.standalone.js", "favicon.png"}),
    ],
)
def test_docs_pages_load_their_assets_from_this_server(
    docs_client: TestClient, page: str, expected: set[str]
) -> None:
    answer = docs_client.get(page)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/html")
    html = answer.text
    assert "cdn." not in html and "fonts.googleapis" not in html and "tiangolo.com" not in html
    urls = assets_of(html)
    assert {url.rsplit("/", 1)[-1] for url in urls} == expected, urls
    for url in urls:
        assert url.startswith("/docs-assets/"), url  # same origin: no scheme, no host
        served = docs_client.get(url)
        assert served.status_code == 200, url
        kind = CONTENT_TYPES[Path(url).suffix]
        assert kind in served.headers["content-type"], (url, served.headers["content-type"])
        assert len(served.content) > 1000, url  # the real file, not an error page
    assert "'/openapi.json'" in html or '"/openapi.json"' in html
    assert docs_client.get("/openapi.json").status_code == 200


def test_the_swagger_bundle_is_swagger_ui_5(docs_client: TestClient) -> None:
    """FastAPI writes OpenAPI 3.1, which Swagger UI renders from version 5 on (4.x shows an error instead)."""
    assert docs_client.get("/openapi.json").json()["openapi"].startswith("3.1")
    bundle = docs_client.get("/docs-assets/swagger-ui-bundle.js").text
    assert "SwaggerUIBundle" in bundle and "isOAS31" in bundle  # Swagger UI 5's OpenAPI 3.1 support


def test_docs_pages_honour_a_root_path(docs_client: TestClient) -> None:
    """Behind a proxy that strips a path prefix (uvicorn --root-path), the pages name their assets under
    it."""
    with TestClient(docs_client.app, root_path="/moderation") as behind:
        swagger, redoc = behind.get("/docs").text, behind.get("/redoc").text
        assert behind.get("/moderation/docs-assets/swagger-ui.css").status_code == 200  # path includes it
    assert "/moderation/docs-assets/swagger-ui-bundle.js" in swagger and "/moderation/openapi.json" in swagger
    assert "/moderation/docs-assets/redoc.standalone.js" in redoc and "/moderation/openapi.json" in redoc


def test_docs_pages_stay_out_of_the_openapi_document(docs_client: TestClient) -> None:
    paths = docs_client.get("/openapi.json").json()["paths"]
    assert not {"/docs", "/redoc", "/docs/oauth2-redirect"} & set(paths)
    assert not any(path.startswith("/docs-assets") for path in paths)
    assert docs_client.get("/docs-assets/no-such-file.js").status_code == 404
