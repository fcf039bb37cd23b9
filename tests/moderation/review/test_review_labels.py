"""Labels: export for retraining and the agreement report, on a seeded set whose agreement is known."""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path

import pytest
import review_seed as seed
from rich.console import Console
from sqlalchemy.orm import Session, sessionmaker

from moderation.cli import labels as cli_labels
from moderation.review import decisions, labels, undo
from moderation.store.db import transaction

TOX = [0.95, 0.85, 0.75, 0.65, 0.55, 0.45, 0.35, 0.25, 0.15, 0.05]
REJECTED = {0.95, 0.85, 0.75, 0.45}  # the moderators' verdicts


@pytest.fixture
def labeled(store: sessionmaker[Session]) -> sessionmaker[Session]:
    with transaction(store) as s:
        seed.article(s)
        for i, tox in enumerate(TOX):
            flagged = tox >= 0.5
            seed.comment(
                s,
                f"c{i}",
                f"comment {i}",
                toxicity=tox,
                action="review" if flagged else "approve",
                on_topic=0.1 if i % 2 else 0.9,
            )
    with transaction(store) as s:  # a decision later undone must not count
        decisions.decide(
            session=s,
            comment_id="c9",
            actor="ann",
            decision=decisions.DecisionInput(action="reject", reason="abusive"),
        )
    with transaction(store) as s:
        undo.undo_last(session=s, actor="ann", claim_seconds=60)
    for i, tox in enumerate(TOX):
        verdict = (
            decisions.DecisionInput(action="reject", reason="abusive")
            if tox in REJECTED
            else decisions.DecisionInput(action="approve")
        )
        with transaction(store) as s:
            decisions.decide(session=s, comment_id=f"c{i}", actor="ann", decision=verdict)
    return store


def test_report_known_agreement_precision_recall_and_suggestion(labeled: sessionmaker[Session]) -> None:
    with labeled() as s:
        report = labels.report(session=s)
    assert report.labeled == 10
    assert report.system_agreement == pytest.approx(4 / 5)  # system approved 5, moderators rejected one
    assert report.by_decision == {
        "review": {"reject": 3, "approve": 2},
        "approve": {"approve": 4, "reject": 1},
    }
    (tox_reason,) = report.reasons
    assert (tox_reason.code, tox_reason.flagged, tox_reason.agreed) == ("TOXICITY", 5, 3)
    assert tox_reason.agreement == pytest.approx(0.6)
    tox = next(r for r in report.scores if r.score == "civility.toxicity")
    assert (tox.n, tox.positives, tox.direction) == (10, 4, "above")
    assert tox.current is not None and tox.current.threshold == 0.5
    assert tox.current.precision == pytest.approx(3 / 5) and tox.current.recall == pytest.approx(3 / 4)
    assert tox.suggested is not None and tox.suggested.threshold == pytest.approx(0.7)
    assert tox.suggested.precision == pytest.approx(1.0) and tox.suggested.recall == pytest.approx(0.75)
    on_topic = next(r for r in report.scores if r.score == "on_topic")
    assert on_topic.direction == "below" and on_topic.current is None  # no OFF_TOPIC reason seen
    assert on_topic.suggested is None  # on_topic here does not predict the verdicts


def test_export_jsonl_and_cli(labeled: sessionmaker[Session], capsys: pytest.CaptureFixture[str]) -> None:
    buf = io.StringIO()
    with labeled() as s:
        assert labels.export_jsonl(session=s, out=buf) == 10
        assert labels.export_jsonl(session=s, out=io.StringIO(), include_undone=True) == 11
    docs = [json.loads(line) for line in buf.getvalue().splitlines()]
    first = docs[0]
    assert first["source"] == "moderator" and first["actor"] == "ann" and first["text"]
    assert first["scores"]["civility"]["toxicity"] in TOX and first["model_version"] == seed.MODEL
    assert sum(d["label"]["decision"] == "reject" for d in docs) == 4
    with labeled() as s:
        console = Console(file=io.StringIO(), width=200)
        cli_labels.print_report(labels.report(session=s), console)
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert "TOXICITY" in text and "civility.toxicity" in text and "60%" in text


def test_cli_parser_registers_labels_commands(tmp_path: object) -> None:
    parser = argparse.ArgumentParser(prog="moderation")
    cli_labels.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["labels", "export", "--out", "x.jsonl"])
    assert args.func is cli_labels.run_export and str(args.out) == "x.jsonl"
    assert parser.parse_args(["labels", "report"]).func is cli_labels.run_report


def test_moderation_cli_exports_and_reports(
    labeled: sessionmaker[Session], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from moderation.cli import main

    url = labeled.kw["bind"].url.render_as_string(hide_password=False)
    out = tmp_path / "labels.jsonl"
    assert main(["labels", "export", "--out", str(out), "--database-url", url]) == 0
    assert len(out.read_text().splitlines()) == 10
    assert main(["labels", "report", "--database-url", url]) == 0
    printed = capsys.readouterr().out
    assert "10 comments labeled" in printed and "civility.toxicity" in printed
