"""Point 9: the ``moderation`` command line (in-process, against a real SQLite store and the real encoder)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from moderation.api_keys import list_keys
from moderation.cli import main
from moderation.config import get_settings
from moderation.services import build_services
from moderation.store.db import make_engine, make_sessionmaker, session_factory
from moderation.store.repo import get_article, get_policy_row
from moderation.store.tables import ApiKey

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


def test_an_unmigrated_database_is_recognised(tmp_path: Path) -> None:
    """main() says "run `moderation db upgrade` first" for this error (commands migrate first, so only a
    database changed under a running command still meets it)."""
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    from moderation.cli import missing_tables

    engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    with pytest.raises(OperationalError) as raised, engine.connect() as connection:
        connection.execute(text("SELECT id FROM api_keys"))
    engine.dispose()
    assert missing_tables(raised.value)


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


def fresh_data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A data dir that does not exist yet, with the default store (SQLite in it), as a newcomer has."""
    data = tmp_path / "fresh"
    for name in [name for name in __import__("os").environ if name.startswith("MODERATION_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("MODERATION_DATA_DIR", str(data))
    get_settings.cache_clear()
    return data


def test_a_fresh_data_dir_needs_no_db_upgrade_and_keys_create_needs_no_name(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 18 (4, 5): the CLI migrates the store itself; --name and --role have defaults; `keys list` is
    tab-separated when its output is not a terminal."""
    data = fresh_data_dir(monkeypatch, tmp_path)
    try:
        assert main(["keys", "create"]) == 0
        out, err = capsys.readouterr()
        assert out.strip().startswith("mk_c_")
        assert f"store sqlite:///{data.resolve()}/moderation.db: created" in err
        assert "will not know keys made here" in err  # a store made by mistake in the wrong place is said
        assert "(client, 'client key 20" in err and "not shown again" in err
        assert main(["keys", "create", "--role", "admin"]) == 0
        assert "created" not in capsys.readouterr().err  # migrated already: nothing said
        assert main(["keys", "list"]) == 0  # capsys: not a terminal
        lines = capsys.readouterr().out.splitlines()
    finally:
        get_settings.cache_clear()
    assert lines[0].split("\t") == [
        "id",
        "name",
        "role",
        "sites",
        "prefix",
        "created",
        "last used",
        "revoked",
    ]
    assert [line.split("\t")[2] for line in lines[1:]] == ["client", "admin"]
    assert [line.split("\t")[3] for line in lines[1:]] == ["default", "default"]  # the default site
    assert all(len(line.split("\t")) == 8 for line in lines)


def test_demo_keys_are_created_whenever_the_store_lacks_them(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 18 (2): a store with other keys still gets demo keys; a revoked demo key is replaced."""
    data = fresh_data_dir(monkeypatch, tmp_path)
    try:
        assert main(["keys", "create", "--name", "mine"]) == 0  # the newcomer created a key first
        capsys.readouterr()
        assert main(["demo", "--key", "client"]) == 0
        client = capsys.readouterr().out.strip()
        stored = json.loads((data / "demo-keys.json").read_text())
        assert client == stored["client"] and stored["moderator"].startswith("mk_m_")
        assert (data / "demo-keys.json").stat().st_mode & 0o777 == 0o600
        assert main(["demo", "--key", "client"]) == 0  # kept: the same key again
        assert capsys.readouterr().out.strip() == client
        assert main(["keys", "revoke", "2"]) == 0  # key 2 is demo-client
        capsys.readouterr()
        assert main(["demo", "--key", "client", "--print-only"]) == 0
        renewed = capsys.readouterr().out.strip()
        assert renewed.startswith("mk_c_") and renewed != client
        assert main(["demo", "--print-only", "--article", str(ROOT / "moderation/demo/article.json")]) == 0
        printed = capsys.readouterr().out
    finally:
        get_settings.cache_clear()
    assert "/moderate" in printed and "sign in with the moderator key" in printed
    assert renewed in printed and "at least 50 characters" in printed
    assert '"article_id": "demo-city-bike-lanes"' in printed


@contextmanager
def api_on_the_store() -> Iterator[TestClient]:
    """The real app on the CLI's store (the environment's settings), without Redis or the model."""
    services = build_services(get_settings(), use_redis=False)
    try:
        with TestClient(create_app(services=services)) as client:
            yield client
    finally:
        services.close()


def demo_rows() -> list[ApiKey]:
    """Every demo key row (revoked ones too), oldest first."""
    with session_factory(get_settings().sqlalchemy_url) as sessions, sessions() as session:
        return [row for row in list_keys(session=session) if row.name.startswith("demo-")]


def test_recreated_demo_keys_revoke_the_previous_ones(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One active demo key per role: keys that are re-created revoke the previous ones of their role (a lost
    demo-keys.json used to leave three more valid keys behind at each start); a kept key is reused."""
    data = fresh_data_dir(monkeypatch, tmp_path)
    keys_file = data / "demo-keys.json"
    article = str(ROOT / "moderation/demo/article.json")
    try:
        assert main(["demo", "--key", "client"]) == 0
        first = json.loads(keys_file.read_text())
        keys_file.unlink()  # the file lost: its keys cannot be shown again, so new ones are made
        assert main(["demo", "--key", "admin"]) == 0
        second = json.loads(keys_file.read_text())
        assert capsys.readouterr().out.split() == [first["client"], second["admin"]]
        assert all(second[role] != first[role] for role in ("client", "moderator", "admin"))
        with api_on_the_store() as api:
            for role, key in first.items():  # the previous demo keys no longer open the API
                answer = api.get("/v1/keys", headers={"Authorization": f"Bearer {key}"})
                assert answer.status_code == 401, role
            listed = api.get("/v1/keys", headers={"Authorization": f"Bearer {second['admin']}"}).json()
        active = sorted((k["name"], k["role"]) for k in listed if k["revoked_at"] is None)
        assert active == [("demo-admin", "admin"), ("demo-client", "client"), ("demo-moderator", "moderator")]
        assert len([k for k in listed if k["revoked_at"] is not None]) == 3

        # a revoked demo key: only its role gets a new key, the others are reused as they are
        moderator_id = next(r.id for r in demo_rows() if r.role == "moderator" and r.revoked_at is None)
        assert main(["keys", "revoke", str(moderator_id)]) == 0
        capsys.readouterr()
        assert main(["demo", "--print-only", "--article", article]) == 0
        printed = capsys.readouterr().out
        third = json.loads(keys_file.read_text())
        assert third["client"] == second["client"] and third["admin"] == second["admin"]
        assert third["moderator"] != second["moderator"] and third["moderator"] in printed
        assert "(moderator created now; kept in" in printed
        assert main(["demo", "--print-only", "--article", article]) == 0  # all kept: nothing created
        assert "created now" not in capsys.readouterr().out
        assert json.loads(keys_file.read_text()) == third
        rows = demo_rows()
    finally:
        get_settings.cache_clear()
    assert sorted(r.role for r in rows if r.revoked_at is None) == ["admin", "client", "moderator"]
    assert len(rows) == 7  # 3 + 3 after the lost file + 1 moderator


def test_looking_up_demo_keys_marks_none_of_them_used(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`demo --key ROLE` and the demo's own check read the keys without marking them used (both went through
    the requests' authentication, which marked all three demo keys used at every `demo --key` and `make
    run`); a request with one key marks that key only."""
    data = fresh_data_dir(monkeypatch, tmp_path)
    try:
        for role in ("client", "moderator", "client", "admin"):
            assert main(["demo", "--key", role]) == 0
        assert main(["demo", "--print-only", "--article", str(ROOT / "moderation/demo/article.json")]) == 0
        capsys.readouterr()
        assert [row.last_used_at for row in demo_rows()] == [None, None, None]
        keys = json.loads((data / "demo-keys.json").read_text())
        with api_on_the_store() as api:
            answer = api.get("/v1/comments/none", headers={"Authorization": f"Bearer {keys['client']}"})
            assert answer.status_code == 404  # authenticated, then no such comment
        used = {row.role: row.last_used_at for row in demo_rows()}
    finally:
        get_settings.cache_clear()
    assert used["client"] is not None and used["moderator"] is None and used["admin"] is None


def test_help_says_where_configuration_and_data_go(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 18 (5): --help names MODERATION_* / .env and the data dir and store a command uses; every option
    of every command has a help text."""
    import argparse

    from moderation.cli import build_parser

    data = fresh_data_dir(monkeypatch, tmp_path)
    try:
        for args in (["--help"], ["serve", "--help"], ["keys", "create", "--help"], ["rescore", "--help"]):
            with pytest.raises(SystemExit):
                main(args)
            out = " ".join(capsys.readouterr().out.split())  # help wraps lines
            assert "MODERATION_* environment variables, or a .env file" in out, args
            assert f"Data dir (MODERATION_DATA_DIR): {data.resolve()}" in out, args
            assert f"sqlite:///{data.resolve()}/moderation.db" in out, args
        parser = build_parser()
    finally:
        get_settings.cache_clear()
    assert not data.exists()  # --help wrote nothing

    def walk(command: argparse.ArgumentParser) -> list[str]:
        missing = []
        for action in command._actions:
            if isinstance(action, argparse._SubParsersAction):
                for child in action.choices.values():
                    missing += walk(child)
            elif not action.help and not isinstance(action, argparse._HelpAction | argparse._VersionAction):
                missing.append(f"{command.prog} {'/'.join(action.option_strings) or action.dest}")
        return missing

    assert walk(parser) == []


def test_make_run_refuses_a_port_another_server_holds(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`make run` twice: the second says the port is taken instead of printing the first one's curl."""
    import socket

    fresh_data_dir(monkeypatch, tmp_path)
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        base = f"http://127.0.0.1:{other.getsockname()[1]}"
        args = ["demo", "--print-only", "--wait", "5", "--server-pid", str(__import__("os").getpid())]
        try:
            assert main([*args, "--base-url", base]) == 1
        finally:
            get_settings.cache_clear()
    assert "is already taken by another server" in capsys.readouterr().err
