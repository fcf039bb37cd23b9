"""Moderation use case: resolve article and policy, score in one batch, decide, store unless do_not_store."""

from __future__ import annotations

import time
import uuid
from dataclasses import replace

from sqlalchemy.orm import Session, sessionmaker

from moderation.config import Settings
from moderation.domain import Article, CommentRequest, ModerationResult
from moderation.errors import InvalidInput, NotFound, TextTooLong
from moderation.pipeline import Pipeline
from moderation.policy import DEFAULT_POLICY, Policy, decide
from moderation.store import repo
from moderation.store.db import transaction
from moderation.text import find_control_character

# Text beyond this many code points is refused outright (TextTooLong); up to it, the length classifier judges.
HARD_LIMIT_FACTOR = 2


def policy_version(*, site: str, article_id: str | None, version: int) -> str:
    return f"{site}/{article_id}@{version}" if article_id else f"{site}@{version}"


class ModerationService:
    def __init__(self, *, settings: Settings, sessions: sessionmaker[Session], pipeline: Pipeline) -> None:
        self.settings = settings
        self.sessions = sessions
        self.pipeline = pipeline

    def validate(self, req: CommentRequest) -> None:
        if not req.text.strip():
            raise InvalidInput("text is empty or only whitespace", field="text")
        limit = self.settings.max_comment_chars * HARD_LIMIT_FACTOR
        if len(req.text) > limit:
            raise TextTooLong(f"text has {len(req.text)} characters; the limit is {limit}", field="text")
        problem = find_control_character(req.text)
        if problem:
            raise InvalidInput(f"text contains a {problem}", field="text")
        if req.article_id and req.article:
            raise InvalidInput("give either article_id or article, not both", field="article")

    def resolve_article(self, session: Session, req: CommentRequest) -> Article | None:
        if req.article is not None:
            return req.article
        if req.article_id is None:
            return None
        article = repo.get_article(session=session, article_id=req.article_id)
        if article is None:
            raise NotFound(f"unknown article '{req.article_id}'", field="article_id")
        return article

    def policy_for(self, session: Session, *, site: str, article_id: str | None) -> Policy:
        """Default, overridden by the site's latest policy, overridden by the article's latest override."""
        policy = DEFAULT_POLICY
        row = repo.get_policy_row(session=session, site=site)
        if row is not None:
            policy = Policy.from_document(
                row.document,
                base=policy,
                version=policy_version(site=site, article_id=None, version=row.version),
            )
        if article_id:
            row = repo.get_policy_row(session=session, site=site, article_id=article_id)
            if row is not None:
                version = policy_version(site=site, article_id=article_id, version=row.version)
                policy = Policy.from_document(row.document, base=policy, version=version)
        return policy

    def moderate(self, req: CommentRequest, *, source: str = "sync") -> ModerationResult:
        return self.moderate_many([req], source=source)[0]

    def moderate_many(self, reqs: list[CommentRequest], *, source: str) -> list[ModerationResult]:
        """Score every request in one forward pass, decide each under its policy, store in one transaction."""
        started = time.perf_counter()
        for req in reqs:
            self.validate(req)
        with self.sessions() as session:
            articles = [self.resolve_article(session, r) for r in reqs]
            reqs = [
                r if r.site else replace(r, site=a.site if a else self.settings.default_site)
                for r, a in zip(reqs, articles, strict=True)
            ]
            policies = [self.policy_for(session, site=r.site, article_id=r.article_id) for r in reqs]
        scores = self.pipeline.score(reqs, articles, limits=[(p.min_chars, p.max_chars) for p in policies])
        decisions = [decide(s, p) for s, p in zip(scores, policies, strict=True)]
        stored = [
            r if r.do_not_store or r.comment_id else replace(r, comment_id=f"c_{uuid.uuid4().hex}")
            for r in reqs
        ]
        to_store = [(r, d) for r, d in zip(stored, decisions, strict=True) if not r.do_not_store]
        if to_store:
            with transaction(self.sessions) as session:
                for req, decision in to_store:
                    repo.record_result(
                        session=session, request=req, scores=decision.scores, decision=decision, source=source
                    )
        elapsed = (time.perf_counter() - started) * 1000.0
        return [
            ModerationResult(
                comment_id=r.comment_id, decision=d, elapsed_ms=elapsed, stored=not r.do_not_store
            )
            for r, d in zip(stored, decisions, strict=True)
        ]
