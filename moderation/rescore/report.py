"""What a rescoring job changed, computed from the decision history (exact after any interruption).

For each comment the job decided: the decision before the job (its latest earlier record) and the job's.
A system-decided comment whose decision differs is a *transition* (``approve->review`` ...); a comment a
moderator decided keeps the moderator's decision, and the report lists it as a *disagreement* when the new
system decision differs from it.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from moderation.exports import write_csv
from moderation.store import rescore_repo
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


def build_report(*, session: Session, job_id: str) -> tuple[dict[str, Any], list[Change]]:
    ids = rescore_repo.job_comment_ids(session=session, job_id=job_id)
    changes: list[Change] = []
    unchanged = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        rows, history = rescore_repo.decision_histories(session=session, comment_ids=chunk)
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
            write_csv(out, list(Change.__dataclass_fields__), rows)  # formula-like cells neutralised
    else:
        path.write_text(json.dumps(rows, indent=2), encoding="utf-8")
