"""``moderation rescore``: rescoring jobs from the command line, with a progress bar (rate, ETA), report."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from datetime import datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from moderation.config import get_settings


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser("rescore", help="rescore stored comments after a model or policy change")
    p.add_argument("--site", default=None, help="only comments of this site")
    p.add_argument("--article", default=None, help="only comments on this article (its id)")
    p.add_argument(
        "--since",
        type=datetime.fromisoformat,
        default=None,
        help="only comments created at or after (ISO 8601)",
    )
    p.add_argument(
        "--until",
        type=datetime.fromisoformat,
        default=None,
        help="only comments created at or before (ISO 8601; default: now, frozen when the job starts)",
    )
    p.add_argument(
        "--decision",
        choices=("approve", "review", "reject"),
        default=None,
        help="only comments whose current decision is this",
    )
    p.add_argument("--all", action="store_true", help="every scored comment (when no other filter is given)")
    p.add_argument("--dry-run", action="store_true", help="only count what would be rescored")
    p.add_argument("--policy-only", action="store_true", help="decide again from stored scores; no model")
    p.add_argument("--resume", metavar="JOB", default=None, help="continue an interrupted job")
    p.add_argument(
        "--chunk-size", type=int, default=200, help="comments per step; the job's cursor is saved after each"
    )
    p.add_argument("--worker", action="store_true", help="also run a scoring worker in this process")
    p.add_argument("--export", type=Path, default=None, help="write changed comments (.csv or .json)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--no-progress", action="store_true", help="no progress bar (for logs and scripts)")
    p.set_defaults(func=run_rescore)


def run_rescore(args: argparse.Namespace) -> int:
    from moderation.domain import JobStatus, RescoreFilters
    from moderation.rescore.jobs import create_job
    from moderation.rescore.report import build_report, export_changes
    from moderation.services import build_services
    from moderation.store.db import transaction

    if args.chunk_size < 1:
        print("error: --chunk-size must be at least 1", file=sys.stderr)
        return 2
    console = Console(stderr=True)
    services = build_services(get_settings())
    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    worker = None
    try:
        if args.resume:
            job_id = args.resume
        else:
            filters = RescoreFilters(args.site, args.article, args.since, args.until, args.decision, args.all)
            with transaction(services.sessions) as session:
                job_id = create_job(
                    session=session,
                    filters=filters,
                    policy_only=args.policy_only,
                    dry_run=args.dry_run,
                    created_by="cli",
                ).id
        console.print(f"rescore job [bold]{job_id}[/bold]")
        if args.worker:
            worker = _start_worker(services)
        with _ProgressBar(console, disabled=args.no_progress) as (_bar, update):
            runner = services.rescore_runner(chunk_size=args.chunk_size, progress=update, stop=stop)
            try:
                job = runner.run(job_id)
            except KeyboardInterrupt:
                stop.set()
                job = runner.pause(job_id)
        if job.status != JobStatus.DONE:
            console.print(f"job {job_id} {job.status}; continue with: moderation rescore --resume {job_id}")
            return 3
        if args.export is not None and not job.dry_run:
            with services.sessions() as session:
                _report, changes = build_report(session=session, job_id=job_id)
            export_changes(changes, args.export)
            moved = sum(c.kind == "transition" for c in changes)
            console.print(
                f"{len(changes)} comments written to {args.export}: {moved} changed decisions, "
                f"{len(changes) - moved} where a moderator's decision differs from the new one"
            )
        _print_report(job.report, as_json=args.json)
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
        if worker is not None:
            worker[0].stop()
            worker[1].join(timeout=60)
        services.close()


def _start_worker(services: Any) -> tuple[Any, threading.Thread]:
    worker = services.build_worker()
    thread = threading.Thread(target=worker.run, name="rescore-worker", daemon=True)
    thread.start()
    return worker, thread


class _ProgressBar:
    """A rich progress bar (done/total, rate, ETA) fed by the runner's ``progress(done, total)`` callback."""

    def __init__(self, console: Console, *, disabled: bool) -> None:
        self.bar = Progress(
            TextColumn("rescoring"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeRemainingColumn(),
            console=console,
            disable=disabled,
        )
        self.task = self.bar.add_task("rescore", total=None, rate="")

    def update(self, done: int, total: int) -> None:
        self.bar.update(self.task, completed=done, total=total)
        speed = self.bar.tasks[0].speed
        self.bar.update(self.task, rate=f"{speed:.1f}/s" if speed else "")

    def __enter__(self) -> tuple[Progress, Any]:
        self.bar.__enter__()
        return self.bar, self.update

    def __exit__(self, *exc: object) -> None:
        self.bar.__exit__(None, None, None)


def _print_report(report: dict[str, Any], *, as_json: bool) -> None:
    if as_json:
        print(json.dumps(report, indent=2))
        return
    console = Console()
    dry = bool(report.get("dry_run"))
    title = (
        f"dry run ({report.get('mode')}): {report['processed']} comments, nothing written"
        if dry
        else f"job {report['job_id']}: {report['processed']} rescored"
    )
    table = Table("transition", "comments", title=title)
    for key, n in report["transitions"].items():
        table.add_row(key, str(n))
    changed = report["would_change"] if dry else report["changed"]
    table.add_row("[bold]would change[/bold]" if dry else "[bold]changed[/bold]", str(changed))
    table.add_row("unchanged", str(report["unchanged"]))
    table.add_row("moderator's decision differs", str(report["disagreements"]))
    console.print(table)
    for key, shown in (report.get("examples") or {}).items():
        for ex in shown:
            line = f"  {key}: {ex['comment_id']} {ex['reasons']} {ex['text'][:80]!r}"
            console.print(escape(line))
