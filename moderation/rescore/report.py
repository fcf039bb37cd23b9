"""What a rescoring job changed, computed from the decision history (exact after any interruption).

For each comment the job decided: the decision before the job (its latest earlier record) and the job's.
A system-decided comment whose decision differs is a *transition* (``approve->review`` ...); a comment a
moderator decided keeps the moderator's decision, and the report lists it as a *disagreement* when the new
system decision differs from it.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderation.domain import LengthScore, Scores, SpanScore
from moderation.store.tables import CommentRow, DecisionRecord

CHUNK = 500


@dataclass(frozen=True)
class Change:
    comment_id: str
    site: str
    kind: str  # transition | disagreement
    before: str | None
    after: str
    decided_by: str | None


def scores_from_dict(data: dict[str, Any]) -> Scores:
    """Inverse of ``Scores.to_dict()`` (what a ScoreRecord stores)."""
    return Scores(
        length=LengthScore(**data["length"]),
        civility=data.get("civility"),
        spans=tuple(SpanScore(**s) for s in data.get("spans") or ()),
        on_topic=data.get("on_topic"),
        stance=data.get("stance"),
        sentiment=data.get("sentiment"),
        model_version=data.get("model_version", ""),
        unavailable=tuple(data.get("unavailable") or ()),
    )


def build_report(*, session: Session, job_id: str) -> tuple[dict[str, Any], list[Change]]:
    ids = list(
        session.scalars(
            select(DecisionRecord.comment_id).where(DecisionRecord.rescore_job_id == job_id).distinct()
        )
    )
    changes: list[Change] = []
    unchanged = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        rows = {r.id: r for r in session.scalars(select(CommentRow).where(CommentRow.id.in_(chunk)))}
        history: dict[str, list[DecisionRecord]] = {}
        stmt = select(DecisionRecord).where(DecisionRecord.comment_id.in_(chunk)).order_by(DecisionRecord.id)
        for record in session.scalars(stmt):
            history.setdefault(record.comment_id, []).append(record)
        for cid in chunk:
            change = _change(rows[cid], history[cid], job_id)
            if change is None:
                unchanged += 1
            else:
                changes.append(change)
    transitions = Counter(f"{c.before}->{c.after}" for c in changes if c.kind == "transition")
    disagreements = Counter(f"{c.before}->{c.after}" for c in changes if c.kind == "disagreement")
    report = {
        "job_id": job_id,
        "processed": len(ids),
        "changed": sum(transitions.values()),
        "unchanged": unchanged,
        "transitions": dict(sorted(transitions.items())),
        "disagreements": sum(disagreements.values()),
        "disagreements_by_kind": dict(sorted(disagreements.items())),
    }
    return report, changes


def _change(row: CommentRow, records: list[DecisionRecord], job_id: str) -> Change | None:
    index = next(i for i, r in enumerate(records) if r.rescore_job_id == job_id)
    new = records[index].decision
    if (row.decided_by or "").startswith("moderator"):
        moderator = row.decision
        if moderator == new:
            return None
        return Change(row.id, row.site, "disagreement", moderator, new, row.decided_by)
    before = records[index - 1].decision if index > 0 else None
    if before == new:
        return None
    return Change(row.id, row.site, "transition", before, new, row.decided_by)


def export_changes(changes: list[Change], path: Path) -> None:
    """CSV (``.csv``) or JSON (anything else) of the changed comments."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = [asdict(c) for c in changes]
    if path.suffix.lower() == ".csv":
        with path.open("w", newline="", encoding="utf-8") as out:
            writer = csv.DictWriter(out, fieldnames=list(Change.__dataclass_fields__))
            writer.writeheader()
            writer.writerows(rows)
    else:
        path.write_text(json.dumps(rows, indent=2), encoding="utf-8")
