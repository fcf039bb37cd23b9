"""Point 9: the ``moderation`` command line (in-process, against a real SQLite store and the real encoder)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from moderation.cli import main
from moderation.config import get_settings
from moderation.store.db import make_engine, make_sessionmaker
from moderation.store.repo import get_article, get_policy_row

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, sqlite_url: str) -> Iterator[str]:
    monkeypatch.setenv("MODERATION_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("MODERATION_DATABASE_URL", sqlite_url)
    monkeypatch.delenv("MODERATION_REDIS_URL", raising=False)
    get_settings.cache_clear()
    yield sqlite_url
    get_settings.cache_clear()


def test_every_command_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    for args in (
        ["serve", "--help"],
        ["keys", "create", "--help"],
        ["keys", "list", "--help"],
        ["keys", "revoke", "--help"],
        ["articles", "import", "--help"],
        ["moderate", "--help"],
        ["db", "upgrade", "--help"],
        ["demo", "--help"],
    ):
        with pytest.raises(SystemExit) as done:
            main(args)
        assert done.value.code == 0
        out = capsys.readouterr().out
        assert out.startswith(f"usage: moderation {args[0]}") and len(out) > 80
    # the console entry point itself, once, as a user runs it
    done_run = subprocess.run(
        [sys.executable, "-m", "moderation.cli", "--help"], capture_output=True, text=True, timeout=60
    )
    assert done_run.returncode == 0
    for command in ("serve", "keys", "articles", "moderate", "db", "demo"):
        assert f"    {command} " in done_run.stdout


def test_keys_create_list_revoke(cli_env: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["keys", "create", "--role", "client", "--name", "coral", "--site", "news"]) == 0
    key = capsys.readouterr().out.strip()
    assert key.startswith("mk_c_")
    assert main(["keys", "list"]) == 0
    listing = capsys.readouterr().out
    assert "coral" in listing and "client" in listing and key not in listing
    assert main(["keys", "revoke", "1"]) == 0
    assert "revoked key 1" in capsys.readouterr().out
    assert main(["keys", "revoke", "99"]) == 2
    assert "unknown key id 99" in capsys.readouterr().err


def test_articles_import_jsonl_csv_and_demo_rules(cli_env: str, tmp_path: Path) -> None:
    jsonl = tmp_path / "articles.jsonl"
    jsonl.write_text(
        "\n".join(
            json.dumps(
                {"id": f"j{i}", "title": f"T{i}", "body": f"Body {i}", "site": "news", "key_points": ["k"]}
            )
            for i in range(3)
        )
        + "\n"
    )
    csv_file = tmp_path / "articles.csv"
    csv_file.write_text('id,title,body,key_points\nc1,"A, title","Body, with comma",one|two\n')
    assert main(["articles", "import", str(jsonl), "--no-encode"]) == 0
    assert main(["articles", "import", str(csv_file), "--no-encode"]) == 0
    demo = ROOT / "moderation" / "demo" / "article.json"
    assert main(["articles", "import", str(demo), "--no-encode"]) == 0
    sessions = make_sessionmaker(make_engine(cli_env))
    with sessions() as session:
        assert get_article(session=session, article_id="j2") is not None
        csv_article = get_article(session=session, article_id="c1")
        assert (
            csv_article is not None
            and csv_article.key_points == ("one", "two")
            and csv_article.title == "A, title"
        )
        rules = get_policy_row(session=session, site="demo", article_id="demo-city-bike-lanes")
        assert rules is not None and rules.document == {  # the article's comment_rules
            "min_chars": 50,
            "guidelines": "We welcome thoughtful discussion. Please keep comments respectful and on-topic.",
        }
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "title": "t"}\n')
    assert main(["articles", "import", str(bad)]) == 2


def test_moderate_from_argument_and_stdin(
    cli_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    demo = ROOT / "moderation" / "demo" / "article.json"
    main(["articles", "import", str(demo)])
    capsys.readouterr()
    text = "Protected bike lanes on Main Street will make my kids safer on the way to school."
    assert main(["moderate", "--article-file", str(demo), "--format", "json", text]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["stored"] is False and answer["scores"]["on_topic"] > 0.6

    monkeypatch.setattr(sys, "stdin", io.StringIO("too short"))
    assert main(["moderate", "--article-id", "demo-city-bike-lanes", "--comment-id", "cli-1"]) == 0
    table = capsys.readouterr().out
    assert "decision: reject" in table and "TOO_SHORT" in table and "demo/demo-city-bike-lanes@1" in table


def test_unmigrated_database_gets_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MODERATION_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("MODERATION_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    monkeypatch.delenv("MODERATION_REDIS_URL", raising=False)
    get_settings.cache_clear()
    try:
        text = "A comment long enough to be scored by every classifier in the pipeline, about bikes."
        assert main(["moderate", text]) == 2
    finally:
        get_settings.cache_clear()
    assert "run `moderation db upgrade` first" in capsys.readouterr().err


def test_eval_and_train_pass_their_arguments_to_the_models_package(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for command, prog in (("eval", "python -m models.evaluate"), ("train", "python -m models.train")):
        with pytest.raises(SystemExit) as done:
            main([command, "--help"])
        assert done.value.code == 0 and capsys.readouterr().out.startswith(f"usage: {prog}")
    data = tmp_path / "sentiment.jsonl"
    rows = [
        {"text": "I love this, what a wonderful and happy day!", "label": "positive"},
        {"text": "This is awful, I hate it and I am so angry.", "label": "negative"},
        {"text": "The meeting is on Tuesday at the town hall.", "label": "neutral"},
    ]
    data.write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert main(["eval", "--task", "sentiment", "--data", str(data), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["n"] == 3 and 0.0 <= report["accuracy"] <= 1.0
