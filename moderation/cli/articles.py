"""``moderation articles import FILE``: register articles from JSON lines, CSV or a JSON document.

Each record needs ``id``, ``title`` and ``body``; optional ``summary``, ``key_points`` (a list, or in CSV a
``|``-separated string), ``url``, ``language``, ``site``. A record's ``comment_rules`` (``min_chars`` and
``guidelines``, as in the demo article) become that article's policy override. Articles are encoded once
(cached in the store): here, which loads the model (about a minute the first time), or with ``--no-encode``
when a comment first needs it.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from moderation.config import Settings, get_settings
from moderation.domain import Article
from moderation.errors import InvalidInput
from moderation.policy import Policy
from moderation.services import build_services
from moderation.store import repo
from moderation.store.db import transaction
from moderation.text import find_control_character

TEXT_FIELDS = ("id", "title", "body", "summary", "url", "language", "site")


def read_records(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """(where, record) for each record of a .jsonl / .csv / .json file."""
    if path.suffix.lower() == ".csv":
        with path.open(newline="", encoding="utf-8") as handle:
            for number, row in enumerate(csv.DictReader(handle), start=2):
                record: dict[str, Any] = {k: v for k, v in row.items() if k and v not in (None, "")}
                if isinstance(record.get("key_points"), str):
                    record["key_points"] = [p.strip() for p in record["key_points"].split("|") if p.strip()]
                yield f"{path.name}:{number}", record
        return
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() == ".json":
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"{path.name}: not valid JSON ({exc.msg}, line {exc.lineno})") from None
        for index, record in enumerate(document if isinstance(document, list) else [document]):
            yield f"{path.name}[{index}]", record
        return
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            try:
                yield f"{path.name}:{number}", json.loads(line)
            except json.JSONDecodeError as exc:
                raise InvalidInput(f"{path.name}:{number}: not valid JSON ({exc.msg})") from None


def to_article(where: str, record: Any, *, default_site: str) -> Article:
    if not isinstance(record, dict):
        raise InvalidInput(f"{where}: a record must be an object")
    for name in ("id", "title", "body"):
        if not isinstance(record.get(name), str) or not record[name].strip():
            raise InvalidInput(f"{where}: '{name}' is required (a non-empty string)", field=name)
    for name in TEXT_FIELDS:
        value = record.get(name)
        if value is not None and (not isinstance(value, str) or find_control_character(value)):
            raise InvalidInput(f"{where}: '{name}' must be text without control characters", field=name)
    points = record.get("key_points") or []
    if not isinstance(points, list) or not all(isinstance(p, str) for p in points):
        raise InvalidInput(f"{where}: 'key_points' must be a list of strings", field="key_points")
    return Article(
        id=record["id"],
        title=record["title"],
        body=record["body"],
        site=record.get("site") or default_site,
        summary=record.get("summary"),
        key_points=tuple(points),
        url=record.get("url"),
        language=record.get("language") or "en",
    )


def import_file(path: Path, *, settings: Settings, encode: bool = True) -> list[Article]:
    """Validate every record first, then upsert all, store comment_rules overrides, encode changed ones."""
    return import_files([path], settings=settings, encode=encode)


def import_files(paths: list[Path], *, settings: Settings, encode: bool = True) -> list[Article]:
    """``import_file`` for several files at once (every record of every file validated first; the model, when
    encoding, loaded once)."""
    records = [record for path in paths for record in read_records(path)]
    articles = [to_article(where, record, default_site=settings.default_site) for where, record in records]
    services = build_services(settings, use_redis=False)
    try:
        with transaction(services.sessions) as session:
            for article, (_where, record) in zip(articles, records, strict=True):
                repo.upsert_article(session=session, article=article)
                rules = record.get("comment_rules")
                rules = rules if isinstance(rules, dict) else {}
                override = {k: rules[k] for k in ("min_chars", "guidelines") if k in rules}
                if override:
                    Policy.from_document(override)  # InvalidPolicy names a bad field before anything is saved
                    current = repo.get_policy_row(session=session, site=article.site, article_id=article.id)
                    if current is None or current.document != override:
                        repo.save_policy(
                            session=session,
                            site=article.site,
                            article_id=article.id,
                            document=override,
                            created_by="import",
                        )
        if encode and articles:
            print(
                f"encoding {len(articles)} article(s): loading the model first (about a minute the first"
                " time; with --no-encode they are encoded when a comment first needs them)",
                file=sys.stderr,
            )
            services.pipeline.articles.vectors(services.pipeline.runtime, list(articles))
    finally:
        services.close()
    return articles


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("articles", help="register articles")
    sub = parser.add_subparsers(dest="articles_command", required=True, metavar="ACTION")
    imp = sub.add_parser(
        "import",
        help="import articles from .jsonl, .csv or .json files (upsert by id); loads the model to encode",
        description="Import articles (upsert by id) and encode them, which loads the model first (about a"
        " minute the first time). With --no-encode the import takes a second and each article is encoded"
        " when a comment on it is first moderated.",
    )
    imp.add_argument(
        "file", type=Path, nargs="+", help="JSON lines (one article per line), CSV with a header, or JSON"
    )
    imp.add_argument(
        "--no-encode",
        action="store_true",
        help="do not load the model now; encode each article when first needed",
    )
    imp.set_defaults(func=run_import)


def run_import(args: argparse.Namespace) -> int:
    missing = [str(path) for path in args.file if not path.is_file()]
    if missing:
        raise InvalidInput(f"no such file: {', '.join(missing)}")
    articles = import_files(args.file, settings=get_settings(), encode=not args.no_encode)
    print(
        f"imported {len(articles)} article(s): {', '.join(a.id for a in articles[:5])}"
        + (" …" if len(articles) > 5 else "")
    )
    return 0
