"""Readers' reports of comments (Coral Talk's "report" button): one per reader per comment, a reason from a
fixed list and an optional text; the queue's *reported* tab lists reported comments with their counts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy.orm import Session

from moderation.errors import Conflict, InvalidInput, NotFound
from moderation.store import community_repo as repo
from moderation.store.repo import get_comment

REPORT_REASONS = {
    "offensive": "Offensive",
    "abusive": "Abusive or harassing",
    "threat": "Threat or violence",
    "spam": "Spam or advertising",
    "illegal_content": "Illegal content",
    "misinformation": "Misinformation",
    "off_topic": "Off topic",
    "other": "Other",
}
MAX_REPORT_CHARS = 500
MAX_READER_CHARS = 200


@dataclass(frozen=True)
class Reported:
    comment_id: str
    reader_id: str
    reason: str
    report_count: int


def report(*, session: Session, comment_id: str, reader_id: str, reason: str, text: str | None) -> Reported:
    """NotFound for an unknown comment; Conflict when this reader already reported it; the caller commits."""
    if reason not in REPORT_REASONS:
        raise InvalidInput(f"reason must be one of {', '.join(REPORT_REASONS)}", field="reason")
    reader_id = (reader_id or "").strip()
    if not reader_id or len(reader_id) > MAX_READER_CHARS:
        raise InvalidInput(f"reader_id must be 1 to {MAX_READER_CHARS} characters", field="reader_id")
    text = (text or "").strip() or None
    if text is not None and len(text) > MAX_REPORT_CHARS:
        raise InvalidInput(f"text is at most {MAX_REPORT_CHARS} characters", field="text")
    comment = get_comment(session=session, comment_id=comment_id)
    if comment is None:
        raise NotFound(f"unknown comment '{comment_id}'", field="comment_id")
    row = repo.add_report(
        session=session, comment_id=comment_id, reader_id=reader_id, reason=reason, text=text
    )
    if row is None:
        raise Conflict("this reader has already reported this comment", field="reader_id")
    session.refresh(comment)
    return Reported(comment_id, reader_id, reason, comment.report_count)


def summaries(*, session: Session, comment_ids: list[str]) -> dict[str, dict[str, int]]:
    """Per comment: report reason -> count (only reported comments appear)."""
    found = repo.reports_for(session=session, comment_ids=comment_ids)
    return {cid: dict(Counter(r.reason for r in rows)) for cid, rows in found.items()}
