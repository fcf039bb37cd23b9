"""``moderation labels export|report``: the moderators' labels for retraining, and how the system agrees."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from moderation.config import get_settings
from moderation.review import labels
from moderation.store.db import session_factory


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("labels", help="moderator labels: export for retraining, agreement report")
    sub = parser.add_subparsers(dest="labels_command", required=True)
    export = sub.add_parser("export", help="write the labels as JSON lines")
    export.add_argument("--out", type=Path, default=None, help="file to write (stdout if omitted)")
    export.add_argument("--include-undone", action="store_true", help="also labels whose decision was undone")
    export.set_defaults(func=run_export)
    report = sub.add_parser("report", help="agreement, precision/recall per threshold, suggested thresholds")
    report.set_defaults(func=run_report)
    for cmd in (export, report):
        cmd.add_argument(
            "--database-url", default=None, help="SQLAlchemy URL (default: MODERATION_DATABASE_URL)"
        )


def _url(args: argparse.Namespace) -> str:
    return getattr(args, "database_url", None) or get_settings().sqlalchemy_url


def run_export(args: argparse.Namespace) -> int:
    with session_factory(_url(args)) as factory, factory() as session:
        if args.out is None:
            count = labels.export_jsonl(session=session, out=sys.stdout, include_undone=args.include_undone)
        else:
            args.out.parent.mkdir(parents=True, exist_ok=True)
            with args.out.open("w", encoding="utf-8") as out:
                count = labels.export_jsonl(session=session, out=out, include_undone=args.include_undone)
    print(f"exported {count} labels" + (f" to {args.out}" if args.out else ""), file=sys.stderr)
    return 0


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def print_report(report: labels.LabelsReport, console: Console) -> None:
    console.print(
        f"[bold]{report.labeled}[/] comments labeled by moderators; the system's own approve/reject "
        f"decisions agreed with them {_pct(report.system_agreement)} of the time."
    )
    reasons = Table(title="Agreement per reason (moderator rejected what the system flagged)")
    for col in ("reason", "classifier", "flagged", "moderator agreed", "agreement"):
        reasons.add_column(
            col, justify="right" if col in ("flagged", "moderator agreed", "agreement") else "left"
        )
    for r in report.reasons:
        reasons.add_row(r.code, r.classifier, str(r.flagged), str(r.agreed), _pct(r.agreement))
    console.print(reasons)
    scores = Table(title="Thresholds against moderator decisions (positive = rejected)")
    for col in ("score", "labeled", "threshold", "precision / recall", "suggested", "precision / recall"):
        scores.add_column(col, justify="left" if col == "score" else "right", no_wrap=col == "score")
    for s in report.scores:
        cur, sug = s.current, s.suggested
        direction = "<" if s.direction == "below" else "≥"
        scores.add_row(
            s.score,
            f"{s.n} ({s.positives} rej.)",
            f"{direction} {_num(cur.threshold)}" if cur else "-",
            f"{_pct(cur.precision)} / {_pct(cur.recall)}" if cur else "-",
            f"{direction} {_num(sug.threshold)}" if sug else "-",
            f"{_pct(sug.precision)} / {_pct(sug.recall)}" if sug else "-",
        )
    console.print(scores)


def run_report(args: argparse.Namespace) -> int:
    with session_factory(_url(args)) as factory, factory() as session:
        result = labels.report(session=session)
    print_report(result, Console())
    return 0
