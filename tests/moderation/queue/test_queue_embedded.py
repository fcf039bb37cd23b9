"""No MODERATION_REDIS_URL: the app starts an embedded Valkey and a scoring worker beside the API."""

from __future__ import annotations

import time
from pathlib import Path

from fastapi.testclient import TestClient

from api.main import create_app
from moderation import api_keys
from moderation.config import Settings
from moderation.domain import Role
from moderation.store.db import make_engine, make_sessionmaker, transaction


def test_async_scoring_works_out_of_the_box(sqlite_url: str, tmp_path: Path) -> None:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        environment="test",
        data_dir=tmp_path / "data",
        database_url=sqlite_url,
        redis_url=None,
        log_json=False,
        model_threads=1,
    )
    engine = make_engine(sqlite_url)
    with transaction(make_sessionmaker(engine)) as session:
        _row, key = api_keys.create_key(session=session, name="embedded", role=Role.CLIENT, all_sites=True)
    engine.dispose()
    h = {"Authorization": f"Bearer {key}"}
    with TestClient(create_app(settings)) as client:
        r = client.post("/v1/comments", json={"text": "Scored without any Redis to set up."}, headers=h)
        assert r.status_code == 202, r.text
        cid = r.json()["comments"][0]["comment_id"]
        deadline = time.monotonic() + 60
        while (doc := client.get(f"/v1/comments/{cid}", headers=h).json())["status"] != "scored":
            assert time.monotonic() < deadline, doc
            time.sleep(0.1)
        assert doc["decision"] in ("approve", "review", "reject")
