"""Keyword-only data functions over the SQL store; each takes the session and never commits.

Callers own the transaction (``moderation.store.db.transaction`` or the API's session dependency).
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from moderation.domain import Article, CommentRequest, CommentStatus, Decision, Scores
from moderation.store import community_repo
from moderation.store.tables import (
    ArticleEncoding,
    ArticleRow,
    AuditEvent,
    CommentRow,
    DecisionRecord,
    PolicyRow,
    ScoreRecord,
)


def content_hash(article: Article) -> str:
    """What the article's encoding depends on: the text the encoder sees."""
    return hashlib.sha256(article.model_text.encode("utf-8")).hexdigest()


def article_from_row(row: ArticleRow) -> Article:
    return Article(
        id=row.id,
        title=row.title,
        body=row.body,
        site=row.site,
        summary=row.summary,
        key_points=tuple(row.key_points or ()),
        url=row.url,
        language=row.language,
    )


def request_from_row(row: CommentRow) -> CommentRequest:
    """A stored comment as the use case takes it (the worker and rescoring score stored comments)."""
    return CommentRequest(
        text=row.text,
        site=row.site,
        article_id=row.article_id,
        comment_id=row.id,
        author_id=row.author_id,
        callback_url=row.callback_url,
        parent_id=row.parent_id,
    )


def get_article_row(*, session: Session, article_id: str) -> ArticleRow | None:
    return session.get(ArticleRow, article_id)


def get_article(*, session: Session, article_id: str) -> Article | None:
    row = get_article_row(session=session, article_id=article_id)
    return None if row is None else article_from_row(row)


def upsert_article(*, session: Session, article: Article) -> tuple[ArticleRow, bool]:
    """Create or update an article; the flag says whether its model text changed (or it is new)."""
    digest = content_hash(article)
    row = session.get(ArticleRow, article.id)
    changed = row is None or row.content_hash != digest
    if row is None:
        row = ArticleRow(id=article.id)
        session.add(row)
    row.site, row.title, row.body, row.summary = article.site, article.title, article.body, article.summary
    row.key_points, row.url, row.language = list(article.key_points), article.url, article.language
    row.content_hash = digest
    session.flush()
    return row, changed


def get_encoding(*, session: Session, article_id: str, encoder_version: str) -> ArticleEncoding | None:
    stmt = select(ArticleEncoding).where(
        ArticleEncoding.article_id == article_id, ArticleEncoding.encoder_version == encoder_version
    )
    return session.scalars(stmt).first()


def save_encoding(
    *, session: Session, article_id: str, encoder_version: str, digest: str, vector: bytes
) -> ArticleEncoding:
    """Store (or replace) the article's vector for this encoder version and text."""
    row = get_encoding(session=session, article_id=article_id, encoder_version=encoder_version)
    if row is None:
        row = ArticleEncoding(article_id=article_id, encoder_version=encoder_version)
        session.add(row)
    row.content_hash, row.vector = digest, vector
    session.flush()
    return row


def get_comment(*, session: Session, comment_id: str) -> CommentRow | None:
    return session.get(CommentRow, comment_id)


def _new_comment(*, session: Session, request: CommentRequest, comment_id: str) -> CommentRow:
    """Insert the comment row; a concurrent insert of the same id wins and is returned instead."""
    row = CommentRow(
        id=comment_id,
        site=request.site,
        article_id=request.article_id,
        author_id=request.author_id,
        text=request.text,
        callback_url=request.callback_url,
        reason_codes=[],
        parent_id=request.parent_id,
        text_hash=community_repo.text_hash(request.text),
    )
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        existing = session.get(CommentRow, comment_id, populate_existing=True)
        if existing is None:
            raise
        return existing
    return row


def record_result(
    *,
    session: Session,
    request: CommentRequest,
    scores: Scores,
    decision: Decision,
    source: str,
    rescore_job_id: str | None = None,
) -> CommentRow:
    """Store a scoring and its decision. Idempotent by comment id: history is appended, the comment is not
    duplicated, and a moderator's decision stays the current one, for the same text. New text is a new
    revision: a ``text_revised`` audit event keeps the previous text and decision, and the new decision is
    the current one (a moderator's approval of other words does not carry over)."""
    if not request.comment_id:
        raise ValueError("record_result needs request.comment_id")
    row = get_comment(session=session, comment_id=request.comment_id)
    if row is None:
        row = _new_comment(session=session, request=request, comment_id=request.comment_id)
    else:
        if row.text != request.text:
            session.add(
                AuditEvent(
                    comment_id=row.id,
                    event="text_revised",
                    actor=source,
                    details={
                        "previous_text": row.text,
                        "previous_decision": row.decision,
                        "previous_decided_by": row.decided_by,
                    },
                )
            )
            row.decided_by, row.claimed_by, row.claimed_until = None, None, None
        row.text, row.site = request.text, request.site
        row.article_id = request.article_id or row.article_id
        row.author_id = request.author_id or row.author_id
        row.parent_id = request.parent_id or row.parent_id
        row.text_hash = community_repo.text_hash(request.text)
    document = decision.to_dict()
    session.add(
        ScoreRecord(
            comment_id=row.id,
            model_version=scores.model_version,
            scores=scores.to_dict(),
            rescore_job_id=rescore_job_id,
        )
    )
    session.add(
        DecisionRecord(
            comment_id=row.id,
            decision=decision.action.value,
            reasons=document["reasons"],
            policy_version=decision.policy_version,
            model_version=scores.model_version,
            source=source,
            actor=decision.decided_by,
            rescore_job_id=rescore_job_id,
        )
    )
    row.status, row.error = CommentStatus.SCORED.value, None
    row.top_score = max(scores.civility.values()) if scores.civility else None
    if not (row.decided_by or "").startswith("moderator"):
        row.decision, row.decided_by = decision.action.value, decision.decided_by
        row.reason_codes = [r.code for r in decision.reasons]
    session.flush()
    return row


def record_decision(
    *, session: Session, comment_id: str, decision: Decision, source: str, rescore_job_id: str | None
) -> None:
    """Append a decision made from stored scores (no new ScoreRecord); it becomes the current decision
    unless a moderator decided the comment."""
    row = session.get(CommentRow, comment_id)
    if row is None:
        raise ValueError(f"record_decision: no comment {comment_id!r}")
    session.add(
        DecisionRecord(
            comment_id=row.id,
            decision=decision.action.value,
            reasons=decision.to_dict()["reasons"],
            policy_version=decision.policy_version,
            model_version=decision.scores.model_version,
            source=source,
            actor=decision.decided_by,
            rescore_job_id=rescore_job_id,
        )
    )
    if not (row.decided_by or "").startswith("moderator"):
        row.decision, row.decided_by = decision.action.value, decision.decided_by
        row.reason_codes = [r.code for r in decision.reasons]


def get_policy_row(*, session: Session, site: str, article_id: str | None = None) -> PolicyRow | None:
    """The latest version of a site's policy (``article_id=None``) or of one article's override."""
    stmt = select(PolicyRow).where(PolicyRow.site == site)
    stmt = stmt.where(
        PolicyRow.article_id.is_(None) if article_id is None else PolicyRow.article_id == article_id
    )
    return session.scalars(stmt.order_by(PolicyRow.version.desc()).limit(1)).first()


def save_policy(
    *, session: Session, site: str, article_id: str | None, document: dict[str, Any], created_by: str
) -> PolicyRow:
    """Append the next version; earlier versions stay (decisions refer to them)."""
    latest = get_policy_row(session=session, site=site, article_id=article_id)
    row = PolicyRow(
        site=site,
        article_id=article_id,
        version=(latest.version + 1) if latest else 1,
        document=document,
        created_by=created_by,
    )
    session.add(row)
    session.flush()
    return row


def comment_site(*, session: Session, comment_id: str) -> str | None:
    """The site of a stored comment, or None when there is no comment with this id."""
    return session.scalars(select(CommentRow.site).where(CommentRow.id == comment_id)).first()


def article_site(*, session: Session, article_id: str) -> str | None:
    """The site of a stored article, or None when there is no article with this id."""
    return session.scalars(select(ArticleRow.site).where(ArticleRow.id == article_id)).first()
