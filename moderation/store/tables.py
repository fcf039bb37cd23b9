"""Database tables. Never exposed through the API directly (api/schemas.py has the API shapes).

History is append-only: every scoring is a ``ScoreRecord``, every decision (system, rescore, moderator, undo)
is a ``DecisionRecord``; ``Comment.decision`` is only the current value, for fast queue queries.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from moderation.domain import CommentStatus, JobStatus


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dict[str, Any]: JSON,
        list[Any]: JSON,
        datetime: DateTime(timezone=True),
    }


class ApiKey(Base):
    """A secret API key (``kind`` "secret"; other kinds may come, e.g. browser keys in their own table).
    ``all_sites`` or the sites in ``api_key_sites`` say which sites the key may read and act on."""

    __tablename__ = "api_keys"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20), default="secret", server_default="secret")
    all_sites: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    prefix: Mapped[str] = mapped_column(String(16), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    last_used_at: Mapped[datetime | None] = mapped_column(default=None)
    site_rows: Mapped[list[ApiKeySite]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="ApiKeySite.site"
    )

    @property
    def sites(self) -> list[str]:
        return [row.site for row in self.site_rows]


class ApiKeySite(Base):
    """One site an API key is scoped to."""

    __tablename__ = "api_key_sites"
    key_id: Mapped[int] = mapped_column(ForeignKey("api_keys.id", ondelete="CASCADE"), primary_key=True)
    site: Mapped[str] = mapped_column(String(200), primary_key=True)


class WebSession(Base):
    """A moderator's signed-in browser session: the cookie names it by id; logout revokes the row."""

    __tablename__ = "web_sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 hex of the cookie's session token
    key_id: Mapped[int] = mapped_column(ForeignKey("api_keys.id", ondelete="CASCADE"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)


class OutboxEntry(Base):
    """A decision to announce, written in the decision's own transaction (transactional outbox): drained to
    the decisions feed (``published_at``) and to the callback URL, if any (``callback_state``)."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_unpublished", "published_at", "id"),
        Index("ix_outbox_callbacks", "callback_state", "next_attempt_at"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    comment_id: Mapped[str] = mapped_column(String(200))
    site: Mapped[str] = mapped_column(String(200))
    document: Mapped[dict[str, Any]] = mapped_column()
    callback_url: Mapped[str | None] = mapped_column(Text, default=None)
    callback_state: Mapped[str] = mapped_column(String(16), default="none")  # none/pending/done/failed
    callback_attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(default=None)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(default=None)


class ArticleRow(Base):
    __tablename__ = "articles"
    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    site: Mapped[str] = mapped_column(String(200), index=True)
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(Text, default=None)
    key_points: Mapped[list[Any]] = mapped_column(default=list)
    url: Mapped[str | None] = mapped_column(Text, default=None)
    language: Mapped[str] = mapped_column(String(16), default="en")
    content_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ArticleEncoding(Base):
    """Cached article vector for one encoder version and one article text (``content_hash``)."""

    __tablename__ = "article_encodings"
    __table_args__ = (UniqueConstraint("article_id", "encoder_version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    encoder_version: Mapped[str] = mapped_column(String(200))
    content_hash: Mapped[str] = mapped_column(String(64))
    vector: Mapped[bytes] = mapped_column(LargeBinary)  # float32, little-endian
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CommentRow(Base):
    __tablename__ = "comments"
    __table_args__ = (
        Index("ix_comments_queue", "decision", "site", "created_at"),
        Index("ix_comments_article", "article_id", "created_at"),
        Index("ix_comments_author", "site", "author_id", "created_at"),
        Index("ix_comments_reported", "report_count", "created_at"),
    )
    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    site: Mapped[str] = mapped_column(String(200))
    article_id: Mapped[str | None] = mapped_column(ForeignKey("articles.id"), default=None)
    author_id: Mapped[str | None] = mapped_column(String(200), default=None)
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=CommentStatus.QUEUED)  # a CommentStatus
    error: Mapped[str | None] = mapped_column(Text, default=None)
    callback_url: Mapped[str | None] = mapped_column(Text, default=None)
    decision: Mapped[str | None] = mapped_column(String(16), default=None)  # current: approve/reject/review
    decided_by: Mapped[str | None] = mapped_column(String(200), default=None)  # system / moderator:<name>
    top_score: Mapped[float | None] = mapped_column(Float, default=None)  # max civility, for queue sorting
    reason_codes: Mapped[list[Any]] = mapped_column(default=list)  # current reasons' codes, for filters
    claimed_by: Mapped[str | None] = mapped_column(String(200), default=None)
    claimed_until: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    parent_id: Mapped[str | None] = mapped_column(String(200), default=None)  # the comment it replies to
    text_hash: Mapped[str | None] = mapped_column(String(64), default=None)  # repeat-post detection
    report_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # readers' reports

    scores: Mapped[list[ScoreRecord]] = relationship(back_populates="comment", order_by="ScoreRecord.id")
    decisions: Mapped[list[DecisionRecord]] = relationship(
        back_populates="comment", order_by="DecisionRecord.id"
    )


class ScoreRecord(Base):
    __tablename__ = "score_records"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    comment_id: Mapped[str] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    model_version: Mapped[str] = mapped_column(String(200))
    scores: Mapped[dict[str, Any]] = mapped_column()
    rescore_job_id: Mapped[str | None] = mapped_column(String(64), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    comment: Mapped[CommentRow] = relationship(back_populates="scores")


class DecisionRecord(Base):
    """One decision in a comment's audit trail (system, rescore or moderator)."""

    __tablename__ = "decision_records"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    comment_id: Mapped[str] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    decision: Mapped[str] = mapped_column(String(16))
    reasons: Mapped[list[Any]] = mapped_column(default=list)
    policy_version: Mapped[str | None] = mapped_column(String(100), default=None)
    model_version: Mapped[str | None] = mapped_column(String(200), default=None)
    source: Mapped[str] = mapped_column(String(16))  # a DecisionSource
    actor: Mapped[str] = mapped_column(String(200), default="system")
    rejection_reason: Mapped[str | None] = mapped_column(String(50), default=None)
    note: Mapped[str | None] = mapped_column(Text, default=None)
    rescore_job_id: Mapped[str | None] = mapped_column(String(64), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    comment: Mapped[CommentRow] = relationship(back_populates="decisions")


class Label(Base):
    """A human label for retraining: moderator decisions and Perspective ``suggestscore`` submissions."""

    __tablename__ = "labels"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    comment_id: Mapped[str | None] = mapped_column(
        ForeignKey("comments.id", ondelete="SET NULL"), default=None
    )
    text: Mapped[str | None] = mapped_column(Text, default=None)
    source: Mapped[str] = mapped_column(String(32))  # a LabelSource
    actor: Mapped[str] = mapped_column(String(200))
    label: Mapped[dict[str, Any]] = mapped_column()  # e.g. {"decision": "reject", "reason": "abusive"}
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PolicyRow(Base):
    __tablename__ = "policies"
    __table_args__ = (UniqueConstraint("site", "article_id", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site: Mapped[str] = mapped_column(String(200), index=True)
    article_id: Mapped[str | None] = mapped_column(String(200), default=None)  # per-article override
    version: Mapped[int] = mapped_column(Integer)
    document: Mapped[dict[str, Any]] = mapped_column()
    created_by: Mapped[str] = mapped_column(String(200), default="system")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RescoreJob(Base):
    __tablename__ = "rescore_jobs"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), default=JobStatus.PENDING)  # a JobStatus
    filters: Mapped[dict[str, Any]] = mapped_column(default=dict)
    policy_only: Mapped[bool] = mapped_column(Boolean, default=False)
    dry_run: Mapped[bool] = mapped_column(Boolean, default=False)
    total: Mapped[int] = mapped_column(Integer, default=0)
    processed: Mapped[int] = mapped_column(Integer, default=0)
    changed: Mapped[int] = mapped_column(Integer, default=0)
    cursor: Mapped[str | None] = mapped_column(String(200), default=None)  # last comment id enqueued
    report: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_by: Mapped[str] = mapped_column(String(200), default="system")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)


class AuditEvent(Base):
    """Non-decision events of a comment's history: claims, releases, rescoring runs, callbacks."""

    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    comment_id: Mapped[str | None] = mapped_column(String(200), index=True, default=None)
    event: Mapped[str] = mapped_column(String(50))
    actor: Mapped[str] = mapped_column(String(200), default="system")
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CoralSigningSecret(Base):
    """A Coral Talk external moderation phase's signing secret (``empsec_...``), pasted by the operator from
    Coral's admin. Kept as written: an HMAC needs the secret itself. Several per site (rotation: Coral signs
    with the old and the new one for up to a day); a revoked one no longer verifies."""

    __tablename__ = "coral_signing_secrets"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site: Mapped[str] = mapped_column(String(200), index=True)
    secret: Mapped[str] = mapped_column(Text)
    label: Mapped[str | None] = mapped_column(String(200), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)


class WidgetKey(Base):
    """A publishable (browser-safe) key of the comment-form widget: one site, the origins allowed to use it.

    It may only read that site's comment rules and call the pre-check (``moderation/widget/keys.py``); it is
    not an API key (``api_keys``) and grants no role. Stored as sha256 like API keys."""

    __tablename__ = "widget_keys"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    site: Mapped[str] = mapped_column(String(200), index=True)
    origins: Mapped[list[Any]] = mapped_column(default=list)  # ["https://news.example", ...]
    prefix: Mapped[str] = mapped_column(String(16))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)


class AuthorActionRow(Base):
    """A moderator's action on a person (``AuthorAction``: ban, suspend until, always pre-moderate) on one
    site, with its reason; undone by setting ``revoked_at`` (nothing is deleted: the rows are the audit)."""

    __tablename__ = "author_actions"
    __table_args__ = (Index("ix_author_actions_author", "site", "author_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site: Mapped[str] = mapped_column(String(200))
    author_id: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(16))  # an AuthorAction
    until: Mapped[datetime | None] = mapped_column(default=None)  # suspensions end
    reason: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_by: Mapped[str | None] = mapped_column(String(200), default=None)


class AuthorNote(Base):
    """A moderator's note about a person, shown in the author drawer."""

    __tablename__ = "author_notes"
    __table_args__ = (Index("ix_author_notes_author", "site", "author_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site: Mapped[str] = mapped_column(String(200))
    author_id: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CommentReport(Base):
    """A reader's report of a comment (one per reader per comment)."""

    __tablename__ = "comment_reports"
    __table_args__ = (UniqueConstraint("comment_id", "reader_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    comment_id: Mapped[str] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    reader_id: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(String(32))
    text: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
