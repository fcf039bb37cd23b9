"""Request and answer shapes of the people and reports endpoints (``api/routes/authors.py``,
``api/routes/reports.py``)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from api.schemas import CleanText, Strict


class AuthorActionIn(Strict):
    action: str = Field(description="ban, suspend (needs hours) or premod (always pre-moderate)")
    reason: Annotated[CleanText, Field(max_length=1000)] = Field(description="why; kept in the audit trail")
    hours: float | None = Field(default=None, description="suspensions only: how long, in hours")


class AuthorActionOut(BaseModel):
    id: int
    site: str
    author_id: str
    action: str
    reason: str
    actor: str
    until: str | None
    created_at: str
    revoked_at: str | None
    revoked_by: str | None


class AuthorNoteIn(Strict):
    note: Annotated[CleanText, Field(max_length=2000)]


class AuthorNoteOut(BaseModel):
    id: int
    note: str
    actor: str
    created_at: str


class AuthorCommentOut(BaseModel):
    id: str
    text: str
    article_id: str | None
    decision: str | None
    decided_by: str | None
    reason_codes: list[str]
    report_count: int
    created_at: str


class AuthorOut(BaseModel):
    """The author drawer: status (Coral's BANNED / SUSPENDED / PREMOD / NONE), counts, recent comments with
    their decisions, actions (active and undone) and moderators' notes."""

    site: str
    author_id: str
    status: str
    suspended_until: str | None
    total: int
    counts: dict[str, int] = Field(description="approve / review / reject -> comments")
    first_seen: str | None
    reports: int = Field(description="readers' reports against the author's comments")
    comments: list[AuthorCommentOut]
    actions: list[AuthorActionOut]
    notes: list[AuthorNoteOut]


class ReportIn(Strict):
    reader_id: Annotated[CleanText, Field(min_length=1, max_length=200)] = Field(
        description="the reader who reports (the site's user id); one report per reader per comment"
    )
    reason: str = Field(
        description="offensive, abusive, threat, spam, illegal_content, misinformation, off_topic, other"
    )
    text: Annotated[CleanText, Field(max_length=500)] | None = None


class ReportOut(BaseModel):
    comment_id: str
    reader_id: str
    reason: str
    report_count: int
