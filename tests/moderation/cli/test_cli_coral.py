"""``moderation coral secrets``: the operator registers Coral's signing secret from stdin (never argv), lists
them without showing them, revokes the old one after a rotation (real SQLite)."""

from __future__ import annotations

import io
import secrets
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from moderation import coral
from moderation.cli import main
from moderation.config import get_settings
from moderation.store.db import make_engine, make_sessionmaker


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, sqlite_url: str) -> Iterator[str]:
    monkeypatch.setenv("MODERATION_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("MODERATION_DATABASE_URL", sqlite_url)
    get_settings.cache_clear()
    yield sqlite_url
    get_settings.cache_clear()


def test_coral_secrets_add_list_revoke(
    cli_env: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = "empsec_" + secrets.token_hex(32)
    monkeypatch.setattr(sys, "stdin", io.StringIO(secret + "\n"))
    assert main(["coral", "secrets", "add", "--site", "news", "--label", "Coral phase, Nov 2026"]) == 0
    assert "signing secret 1 registered for site 'news'" in capsys.readouterr().out
    monkeypatch.setattr(sys, "stdin", io.StringIO("too-short\n"))
    assert main(["coral", "secrets", "add", "--site", "news"]) == 2
    assert "at least 32 characters" in capsys.readouterr().err
    assert main(["coral", "secrets", "list"]) == 0
    listing = capsys.readouterr().out
    assert "news" in listing and secret[:11] in listing and secret not in listing
    engine = make_engine(cli_env)
    with make_sessionmaker(engine)() as session:
        assert coral.active_secrets(session=session, site="news") == [secret]
    assert main(["coral", "secrets", "revoke", "1"]) == 0
    with make_sessionmaker(engine)() as session:
        assert coral.active_secrets(session=session, site="news") == []
    engine.dispose()
    assert main(["coral", "secrets", "revoke", "7"]) == 2
    assert "unknown signing secret id 7" in capsys.readouterr().err
