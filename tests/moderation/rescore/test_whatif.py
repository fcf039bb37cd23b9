"""A dry run is a real what-if (issue 15): the transitions a policy or model change WOULD cause, with
examples, and nothing written; the CLI never prints "changed 0" beside the comments it exports."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from moderation.domain import CommentRequest, DecisionSource, RescoreFilters
from moderation.rescore.jobs import create_job
from moderation.services import Services
from moderation.store import repo
from moderation.store.db import transaction
from moderation.store.tables import CommentRow, DecisionRecord, ScoreRecord

TEXTS = ["ok", "nice", "agreed!", "The council should publish the full budget before the vote."]


@pytest.fixture
def scored(services: Services) -> Iterator[dict[str, str]]:
    """Four comments on 'news' scored; 'ok' then decided by a moderator; then min_chars=20 for the site."""
    reqs = [CommentRequest(text=t, site="news", comment_id=f"n{i}") for i, t in enumerate(TEXTS)]
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


def state(services: Services) -> tuple[int, int, dict[str, str]]:
    with services.sessions() as s:
        scores = s.scalar(select(func.count()).select_from(ScoreRecord)) or 0
        decisions = s.scalar(select(func.count()).select_from(DecisionRecord)) or 0
        current = {str(k): str(v) for k, v in s.execute(select(CommentRow.id, CommentRow.decision)).all()}
    return scores, decisions, current


@pytest.mark.parametrize("policy_only", [True, False], ids=["policy", "model"])
def test_dry_run_tells_what_would_change_with_examples_and_writes_nothing(
    services: Services, scored: dict[str, str], policy_only: bool
) -> None:
    before = {scored[f"n{i}"] for i in (1, 2)}
    assert len(before) == 1
    was = before.pop()
    untouched = state(services)
    with transaction(services.sessions) as session:
        job_id = create_job(
            session=session,
            filters=RescoreFilters(site="news"),
            policy_only=policy_only,
            dry_run=True,
            created_by="t",
        ).id
    job = services.rescore_runner(chunk_size=3).run(job_id)
    report = job.report
    assert (
        job.status == "done"
        and report["dry_run"]
        and report["mode"] == ("policy" if policy_only else "model")
    )
    assert report["processed"] == 4 and report["transitions"] == {f"{was}->reject": 2}
    assert report["would_change"] == 2 and report["unchanged"] == 1
    assert report["disagreements_by_kind"] == {"approve->reject": 1}  # the moderator approved 'ok'
    [example, _] = report["examples"][f"{was}->reject"]
    assert example["comment_id"] == "n1" and example["reasons"] == ["TOO_SHORT"] and example["text"] == "nice"
    assert report["examples"]["moderator approve->reject"][0]["decided_by"] == "moderator:alice"
    assert state(services) == untouched  # no score, no decision, nothing current changed


def test_cli_dry_run_and_export_wording(services: Services, scored: dict[str, str], tmp_path: Path) -> None:
    from workers import run_cli, worker_env

    env = worker_env(services.settings)
    dry = run_cli(env, "rescore", "--site", "news", "--dry-run", "--policy-only", "--no-progress")
    assert dry.returncode == 0, dry.stderr
    assert "would change" in dry.stdout and "TOO_SHORT" in dry.stdout and "'nice'" in dry.stdout
    out = tmp_path / "changes.json"
    done = run_cli(env, "rescore", "--site", "news", "--policy-only", "--export", str(out), "--no-progress")
    assert done.returncode == 0, done.stderr
    said = " ".join(done.stderr.split())  # the console line (stderr), unwrapped
    assert "3 comments written" in said and "2 changed decisions, 1 where a moderator" in said
    assert "changed │ 2" in " ".join(done.stdout.split())
    assert len(json.loads(out.read_text())) == 3
