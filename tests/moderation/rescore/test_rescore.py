"""Rescoring jobs: policy-only and model mode, interruption and resume, transitions, moderators kept."""

from __future__ import annotations

import csv
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from moderation.domain import CommentRequest, DecisionSource, RescoreFilters
from moderation.errors import InvalidInput
from moderation.rescore.jobs import create_job
from moderation.rescore.report import build_report, export_changes
from moderation.services import Services
from moderation.store import repo
from moderation.store.db import transaction
from moderation.store.tables import CommentRow, DecisionRecord, RescoreJob, ScoreRecord

SHORT = ["ok", "nice", "agreed!", "meh."]  # under 20 characters
LONG = ["The council should publish the full budget before the vote.", "Buses every hour are not enough."]


@pytest.fixture
def scored(services: Services) -> Iterator[dict[str, str]]:
    """Six comments on site 'news' (+1 elsewhere) scored synchronously; 'ok' decided by a moderator."""
    reqs = [CommentRequest(text=t, site="news", comment_id=f"n{i}") for i, t in enumerate(SHORT + LONG)]
    reqs.append(CommentRequest(text="ok", site="other", comment_id="o1"))
    results = services.moderation.moderate_many(reqs, source=DecisionSource.SYNC)
    with transaction(services.sessions) as session:
        row = session.get(CommentRow, "n0")
        assert row is not None
        row.decision, row.decided_by = "approve", "moderator:alice"
        session.add(DecisionRecord(comment_id="n0", decision="approve", source="moderator", actor="alice"))
        repo.save_policy(
            session=session, site="news", article_id=None, document={"min_chars": 20}, created_by="t"
        )
    yield {r.comment_id or "": r.decision.action.value for r in results}


def short_decision(scored: dict[str, str]) -> str:
    """The one decision the three short comments got before min_chars=20 applied (whatever the model said)."""
    before = {scored[f"n{i}"] for i in (1, 2, 3)}
    assert len(before) == 1 and "reject" not in before
    return before.pop()


def job_for(services: Services, **kwargs: Any) -> str:
    filters = RescoreFilters(**{k: v for k, v in kwargs.items() if k in RescoreFilters.__dataclass_fields__})
    with transaction(services.sessions) as session:
        return create_job(
            session=session,
            filters=filters,
            policy_only=bool(kwargs.get("policy_only")),
            dry_run=bool(kwargs.get("dry_run")),
            created_by="test",
        ).id


def job_decisions(services: Services, job_id: str) -> dict[str, int]:
    with services.sessions() as session:
        rows = session.execute(
            select(DecisionRecord.comment_id, func.count())
            .where(DecisionRecord.rescore_job_id == job_id)
            .group_by(DecisionRecord.comment_id)
        ).all()
    return {cid: n for cid, n in rows}


def test_filters_must_choose_something(services: Services) -> None:
    with pytest.raises(InvalidInput, match="filter"):
        job_for(services)
    with pytest.raises(InvalidInput, match="decision"):
        job_for(services, decision="maybe")


def test_dry_run_only_counts(services: Services, scored: dict[str, str]) -> None:
    job_id = job_for(services, site="news", dry_run=True)
    job = services.rescore_runner().run(job_id)
    assert job.status == "done" and job.total == 6
    assert job.report["dry_run"] and sum(job.report["by_decision"].values()) == 6
    assert job_decisions(services, job_id) == {}


def test_policy_only_resumes_after_interruption_and_counts_transitions(
    services: Services, scored: dict[str, str], tmp_path: Path
) -> None:
    before = short_decision(scored)
    job_id = job_for(services, site="news", policy_only=True)
    paused = services.rescore_runner(chunk_size=2, max_chunks=2).run(job_id)
    assert paused.status == "paused" and paused.processed == 4
    done = services.rescore_runner(chunk_size=2).run(job_id)
    assert done.status == "done"
    assert job_decisions(services, job_id) == {f"n{i}": 1 for i in range(6)}  # nothing doubled by the resume
    # short comments now fail min_chars=20: review -> reject; n0 is a moderator's (approve) and stays so
    assert done.report["transitions"] == {f"{before}->reject": 3}
    assert done.report["changed"] == 3 and done.report["unchanged"] == 2
    assert done.report["disagreements"] == 1 and done.report["disagreements_by_kind"] == {
        "approve->reject": 1
    }
    with services.sessions() as session:
        current = dict(session.execute(select(CommentRow.id, CommentRow.decision)).all())
        assert session.scalar(select(func.count()).select_from(ScoreRecord)) == 7  # no model ran
    assert current["n0"] == "approve" and current["n1"] == "reject" and current["n4"] == scored["n4"]
    assert current["o1"] == scored["o1"]  # other site untouched
    with services.sessions() as session:
        _report, changes = build_report(session=session, job_id=job_id)
    export_changes(changes, tmp_path / "changed.csv")
    export_changes(changes, tmp_path / "changed.json")
    with (tmp_path / "changed.csv").open() as exported:
        rows = list(csv.DictReader(exported))
    assert sorted((r["comment_id"], r["kind"], r["before"], r["after"]) for r in rows) == [
        ("n0", "disagreement", "approve", "reject"),
        ("n1", "transition", before, "reject"),
        ("n2", "transition", before, "reject"),
        ("n3", "transition", before, "reject"),
    ]
    assert len(json.loads((tmp_path / "changed.json").read_text())) == 4


def test_model_rescore_goes_through_workers_and_keeps_history(
    services: Services, scored: dict[str, str]
) -> None:
    job_id = job_for(services, site="news")
    paused = services.rescore_runner(chunk_size=4, max_chunks=1).run(job_id)
    assert paused.status == "paused"
    worker = services.build_worker(batch_size=8)
    thread = threading.Thread(target=worker.run)
    thread.start()
    try:
        done = services.rescore_runner(chunk_size=4, poll_s=0.05).run(job_id)
    finally:
        worker.stop()
        thread.join(timeout=60)
    assert done.status == "done" and done.processed == 6
    assert done.report["transitions"] == {f"{short_decision(scored)}->reject": 3}
    with services.sessions() as session:
        per_comment = dict(
            session.execute(
                select(ScoreRecord.comment_id, func.count()).group_by(ScoreRecord.comment_id)
            ).all()
        )
        tagged = session.scalar(select(func.count()).where(ScoreRecord.rescore_job_id == job_id))
        job = session.get(RescoreJob, job_id)
    assert tagged == 6
    assert per_comment == {**{f"n{i}": 2 for i in range(6)}, "o1": 1}  # new scores beside the old ones
    assert job is not None and job.cursor == "n5"
    assert job_decisions(services, job_id) == {f"n{i}": 1 for i in range(6)}


def test_cli_resumes_a_paused_job_and_exports(
    services: Services, scored: dict[str, str], tmp_path: Path
) -> None:
    from workers import run_cli, worker_env

    env = worker_env(services.settings)
    dry = run_cli(env, "rescore", "--site", "news", "--dry-run", "--json", "--no-progress")
    assert dry.returncode == 0, dry.stderr
    assert json.loads(dry.stdout)["total"] == 6
    job_id = job_for(services, site="news", policy_only=True)
    services.rescore_runner(chunk_size=2, max_chunks=1).run(job_id)  # interrupted after one chunk
    out = tmp_path / "changes.csv"
    done = run_cli(env, "rescore", "--resume", job_id, "--export", str(out), "--json", "--no-progress")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["processed"] == 6 and report["transitions"] == {f"{short_decision(scored)}->reject": 3}
    with out.open() as exported:
        assert len(list(csv.DictReader(exported))) == 4
    assert job_decisions(services, job_id) == {f"n{i}": 1 for i in range(6)}
    bad = run_cli(env, "rescore", "--no-progress")
    assert bad.returncode == 2 and "filter" in bad.stderr
