"""``moderation moderate``: moderate one comment (argument or stdin) against an article; table or JSON."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from moderation.cli.articles import read_records, to_article
from moderation.config import get_settings
from moderation.domain import CommentRequest, DecisionSource, ModerationResult
from moderation.errors import InvalidInput
from moderation.services import build_services


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("moderate", help="moderate a comment and print the decision and scores")
    parser.add_argument("text", nargs="?", help="the comment (read from stdin when omitted)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--article-id", help="a registered article")
    where.add_argument("--article-file", type=Path, help="an article as .json/.jsonl/.csv (the first record)")
    parser.add_argument("--site", default="", help="site whose policy applies (default: the article's)")
    parser.add_argument("--comment-id", help="store under this id (implies --store)")
    parser.add_argument("--store", action="store_true", help="store the comment and decision (default: not)")
    parser.add_argument("--format", choices=("table", "json"), default="table", help="output format")
    parser.set_defaults(func=run_moderate)


def _flatten(document: dict[str, Any]) -> list[tuple[str, str]]:
    scores = document["scores"]
    rows = [
        (
            "length",
            f"{scores['length']['characters']} characters (limits "
            f"{scores['length']['min_chars']}–{scores['length']['max_chars']}), "
            f"padding {scores['length']['padding']:.2f}",
        )
    ]
    for name in ("civility", "stance", "sentiment"):
        value = scores.get(name)
        rows.append(
            (
                name,
                "unavailable"
                if value is None and name in scores["unavailable"]
                else "-"
                if value is None
                else ", ".join(f"{k} {v:.3f}" for k, v in value.items()),
            )
        )
    rows.append(("on_topic", "-" if scores["on_topic"] is None else f"{scores['on_topic']:.3f}"))
    return rows


def fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def render_table(result: ModerationResult) -> None:
    document = result.to_dict()
    console = Console()
    console.print(
        f"[bold]decision: {document['decision']}[/bold]  (policy {document['policy_version']}, "
        f"model {document['model_version']}, {document['elapsed_ms']:.0f} ms)"
    )
    reasons = Table("reason", "classifier", "action", "score", "threshold", "message")
    for r in document["reasons"]:
        reasons.add_row(
            r["code"], r["classifier"], r["action"], fmt(r["score"]), fmt(r["threshold"]), r["message"]
        )
    if document["reasons"]:
        console.print(reasons)
    scores = Table("score", "value")
    for name, value in _flatten(document):
        scores.add_row(name, value)
    console.print(scores)


def run_moderate(args: argparse.Namespace) -> int:
    text = args.text if args.text is not None else sys.stdin.read()
    settings = get_settings()
    article = None
    if args.article_file:
        where, record = next(iter(read_records(args.article_file)), ("", None))
        if record is None:
            raise InvalidInput(f"{args.article_file}: no article in the file")
        article = to_article(where, record, default_site=settings.default_site)
    store = args.store or bool(args.comment_id)
    request = CommentRequest(
        text=text,
        site=args.site,
        article_id=args.article_id,
        article=article,
        comment_id=args.comment_id,
        do_not_store=not store,
    )
    services = build_services(settings, use_redis=False)
    try:
        result = services.moderation.moderate(request, source=DecisionSource.CLI)
    finally:
        services.close()
    if args.format == "json":
        print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        render_table(result)
    return 0
