"""A dry run that is a real what-if: the decisions a rescoring job WOULD write, computed and compared with the
current ones, with examples, before anything is written.

Policy-only: each comment's latest stored scores decided under today's policy (no model). Model mode: the
comments scored again in process (one forward pass per chunk) and decided. Either way nothing is stored: no
score, no decision, no cursor. The report has the shape of a real job's (``transitions`` for system-decided
comments, ``disagreements`` where a moderator decided and the system would now decide otherwise), named
``would_change``, plus up to ``EXAMPLES`` examples per transition.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from moderation.domain import Decision, RescoreFilters
from moderation.moderate import Item, Moderation, Resolved
from moderation.policy import decide
from moderation.store import rescore_repo, review_repo
from moderation.store.repo import request_from_row
from moderation.store.tables import CommentRow

EXAMPLES = 3
EXAMPLE_CHARS = 200


def what_if(
    *,
    sessions: sessionmaker[Session],
    moderation: Moderation,
    filters: RescoreFilters,
    policy_only: bool,
    chunk_size: int,
) -> dict[str, Any]:
    transitions: Counter[str] = Counter()
    disagreements: Counter[str] = Counter()
    examples: dict[str, list[dict[str, Any]]] = {}
    processed = unchanged = 0
    after: str | None = None
    while True:
        with sessions() as session:
            ids = rescore_repo.next_ids(session=session, filters=filters, after=after, limit=chunk_size)
            if not ids:
                break
            after = ids[-1]
            rows = review_repo.get_comments(session=session, comment_ids=ids)
            decided = _decide(session, moderation, ids, rows, policy_only=policy_only)
        for cid, decision in decided:
            row = rows[cid]
            processed += 1
            new, current = decision.action.value, row.decision
            by_moderator = (row.decided_by or "").startswith("moderator")
            if new == current:
                unchanged += 1
                continue
            key = f"{current}->{new}"
            (disagreements if by_moderator else transitions)[key] += 1
            shown = examples.setdefault(f"moderator {key}" if by_moderator else key, [])
            if len(shown) < EXAMPLES:
                shown.append(
                    {
                        "comment_id": cid,
                        "text": row.text[:EXAMPLE_CHARS],
                        "before": current,
                        "after": new,
                        "reasons": [r.code for r in decision.reasons],
                        "decided_by": row.decided_by,
                    }
                )
    return {
        "dry_run": True,
        "mode": "policy" if policy_only else "model",
        "processed": processed,
        "would_change": sum(transitions.values()),
        "unchanged": unchanged,
        "transitions": dict(sorted(transitions.items())),
        "disagreements": sum(disagreements.values()),
        "disagreements_by_kind": dict(sorted(disagreements.items())),
        "examples": examples,
    }


def _decide(
    session: Session,
    moderation: Moderation,
    ids: list[str],
    rows: dict[str, CommentRow],
    *,
    policy_only: bool,
) -> list[tuple[str, Decision]]:
    cache: Resolved = {}
    if policy_only:
        out = []
        for request, scores in rescore_repo.latest_scores(session=session, comment_ids=ids):
            item = moderation.resolve(session, request, cache=cache)
            out.append((request.comment_id or "", decide(scores, item.policy, item.context)))
        return out
    items: list[Item] = [
        moderation.resolve(session, request_from_row(rows[cid]), cache=cache) for cid in ids if cid in rows
    ]
    return [(it.request.comment_id or "", d) for it, d in zip(items, moderation.score(items), strict=True)]
