"""THE moderation use case: validate -> resolve article + policy -> score one batch -> decide -> record.

Every path that decides about a comment goes through these five steps, so all of them behave the same:

- ``POST /v1/moderate``, the Perspective endpoint and ``moderation moderate`` call :meth:`Moderation.moderate`
  (all five steps in a row);
- the queue worker (``queue/processor.py``) loads, claims and acknowledges stream messages and calls the steps
  in between: :meth:`Moderation.resolve` per comment, :meth:`Moderation.score` per batch (ONE forward pass,
  each comment decided under its own policy), :meth:`Moderation.record` inside its claim transaction;
- rescoring with the model sends its comments through the worker (their messages carry the job id); a
  policy-only rescoring (``rescore/runner.py``) resolves the policy and decides again from the stored scores
  with :meth:`Moderation.redecide` (no model).

``pipeline.py`` only measures (text -> model -> ``Scores``); ``policy.decide`` judges (length limits too).
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, replace
from typing import Protocol

from sqlalchemy.orm import Session, sessionmaker

from moderation.community.rules import CommentContext
from moderation.domain import Article, CommentRequest, Decision, DecisionSource, ModerationResult, Scores
from moderation.errors import InvalidInput, NotFound, TextTooLong
from moderation.policy import DEFAULT_POLICY, Policy, decide, policy_version
from moderation.scopes import ALL_SITES, SiteScope
from moderation.store import community_repo, repo
from moderation.store.db import transaction
from moderation.text import find_control_character
from moderation.threads import in_thread, thread_checks

# Text beyond this many times the configured maximum is refused outright (TextTooLong); up to it, the policy
# judges the length (TOO_LONG).
HARD_LIMIT_FACTOR = 2


def require_article_site(article_id: str, article_site: str, site: str | None) -> None:
    """NotFound when a comment names a site other than its article's (even for a key of every site)."""
    if site and article_site != site:
        raise NotFound(f"unknown article '{article_id}' on site '{site}'", field="article_id")


class Scorer(Protocol):
    """What the use case needs of ``moderation.pipeline.Pipeline`` (a test can count its calls)."""

    @property
    def model_version(self) -> str: ...

    def score(self, requests: list[CommentRequest], articles: list[Article | None]) -> list[Scores]: ...


@dataclass(frozen=True)
class Item:
    """One comment in hand: its request (site filled in), its article (or None), the policy that judges it,
    and what the community rules read (its text, its author's history on the site)."""

    request: CommentRequest
    article: Article | None
    policy: Policy
    context: CommentContext | None = None


# (site, article id) -> (article, policy): looked up once per batch
Resolved = dict[tuple[str, str | None], tuple[Article | None, Policy]]


class Moderation:
    def __init__(
        self, *, sessions: sessionmaker[Session], scorer: Scorer, max_comment_chars: int, default_site: str
    ) -> None:
        self.sessions = sessions
        self.scorer = scorer
        self.max_comment_chars = max_comment_chars
        self.default_site = default_site

    def with_scorer(self, scorer: Scorer) -> Moderation:
        """The same use case with another scorer (the worker's seam for counting forward passes)."""
        return Moderation(
            sessions=self.sessions,
            scorer=scorer,
            max_comment_chars=self.max_comment_chars,
            default_site=self.default_site,
        )

    # 1. validate
    def validate(self, req: CommentRequest, *, text_limit: int | None = None) -> None:
        """InvalidInput (empty text, control characters, two articles) or TextTooLong; nothing is read.
        ``text_limit`` replaces the hard limit in code points (a protocol with its own limit: Perspective's
        20,480 bytes)."""
        if not req.text.strip():
            raise InvalidInput("text is empty or only whitespace", field="text")
        limit = self.max_comment_chars * HARD_LIMIT_FACTOR if text_limit is None else text_limit
        if len(req.text) > limit:
            raise TextTooLong(f"text has {len(req.text)} characters; the limit is {limit}", field="text")
        problem = find_control_character(req.text)
        if problem:
            raise InvalidInput(f"text contains a {problem}", field="text")
        if req.article_id and req.article:
            raise InvalidInput("give either article_id or article, not both", field="article")

    # 2. resolve article + policy
    def policy_for(self, session: Session, *, site: str, article_id: str | None) -> Policy:
        """Default, overridden by the site's latest policy, overridden by the article's latest override."""
        policy = DEFAULT_POLICY
        row = repo.get_policy_row(session=session, site=site)
        if row is not None:
            version = policy_version(site=site, article_id=None, version=row.version)
            policy = Policy.from_document(row.document, base=policy, version=version)
        if article_id:
            row = repo.get_policy_row(session=session, site=site, article_id=article_id)
            if row is not None:
                version = policy_version(site=site, article_id=article_id, version=row.version)
                policy = Policy.from_document(row.document, base=policy, version=version)
        return policy

    def resolve(self, session: Session, req: CommentRequest, *, cache: Resolved | None = None) -> Item:
        """The comment's article (inline, stored, or none: NotFound for an unknown id) and its policy; the
        site defaults to the article's, else the default site. ``cache`` shares lookups across a batch."""
        key = (req.site, req.article_id)
        shared = cache is not None and req.article is None
        if shared and cache is not None and key in cache:
            article, policy = cache[key]
        else:
            article = req.article if req.article is not None else self._stored_article(session, req)
            site = req.site or (article.site if article else self.default_site)
            policy = self.policy_for(session, site=site, article_id=req.article_id)
            if shared and cache is not None:
                cache[key] = (article, policy)
        site = req.site or (article.site if article else self.default_site)
        return Item(
            req if site == req.site else replace(req, site=site),
            article,
            policy,
            self._context(session, req, site=site, policy=policy),
        )

    def _context(self, session: Session, req: CommentRequest, *, site: str, policy: Policy) -> CommentContext:
        """The text and, for a comment with an author, their history as of its writing (``community/``)."""
        if not req.author_id:
            return CommentContext(req.text)
        history = community_repo.author_history(
            session=session,
            site=site,
            author_id=req.author_id,
            comment_id=req.comment_id,
            text=req.text,
            trust=policy.trust,
        )
        return CommentContext(req.text, history)

    def check_scope(self, session: Session, item: Item, scope: SiteScope) -> None:
        """Forbidden when the comment's site is not the caller's; NotFound for an article of another site;
        Conflict when the comment id is already used on a site the caller may not use."""
        if scope.everywhere:
            return
        scope.require(item.request.site)
        if item.article is not None and item.request.article_id is not None:
            scope.require_found(item.article.site, f"article '{item.request.article_id}'", "article_id")
        if item.request.comment_id:
            existing = repo.comment_site(session=session, comment_id=item.request.comment_id)
            scope.require_owner(existing, f"comment_id '{item.request.comment_id}'", "comment_id")

    def _stored_article(self, session: Session, req: CommentRequest) -> Article | None:
        """The stored article; NotFound for an unknown id, and for an article of another site than the one the
        comment names (its policy, minimum length and on-topic reference belong to its own site)."""
        if req.article_id is None:
            return None
        article = repo.get_article(session=session, article_id=req.article_id)
        if article is None:
            raise NotFound(f"unknown article '{req.article_id}'", field="article_id")
        require_article_site(req.article_id, article.site, req.site)
        return article

    # 3 + 4. score one batch, decide each
    def score(self, items: list[Item]) -> list[Decision]:
        """ONE forward pass for all items, then each decided under its own policy (pure, nothing stored).
        A reply with its parent's text and an article is measured in its thread (``threads.py``): the same
        pass also compares the reply with its parent and the parent with the article."""
        if not items:
            return []
        requests = [it.request for it in items]
        articles: list[Article | None] = [it.article for it in items]
        checks = thread_checks(requests, articles)
        for check in checks:
            requests += [check.reply[0], check.parent[0]]
            articles += [check.reply[1], check.parent[1]]
        measured = list(self.scorer.score(requests, articles))
        scores = measured[: len(items)]
        for k, check in enumerate(checks):
            to_parent, parent = measured[len(items) + 2 * k], measured[len(items) + 2 * k + 1]
            scores[check.index] = in_thread(scores[check.index], to_parent=to_parent, parent=parent)
        return [decide(s, it.policy, it.context) for s, it in zip(scores, items, strict=True)]

    # 5. record
    def record(
        self,
        session: Session,
        item: Item,
        decision: Decision,
        *,
        source: DecisionSource,
        rescore_job_id: str | None = None,
    ) -> None:
        """Append the scores and the decision to the comment's history (creating the comment if new); a
        moderator's decision stays the current one. The caller owns the transaction."""
        repo.record_result(
            session=session,
            request=item.request,
            scores=decision.scores,
            decision=decision,
            source=source,
            rescore_job_id=rescore_job_id,
        )

    def redecide(self, session: Session, item: Item, scores: Scores, *, rescore_job_id: str) -> Decision:
        """Steps 4 and 5 on stored scores (policy-only rescoring): no model, the decision appended."""
        decision = decide(scores, item.policy, item.context)
        repo.record_decision(
            session=session,
            comment_id=item.request.comment_id or "",
            decision=decision,
            source=DecisionSource.RESCORE,
            rescore_job_id=rescore_job_id,
        )
        return decision

    # the five steps in a row
    def moderate(
        self,
        req: CommentRequest,
        *,
        source: DecisionSource = DecisionSource.SYNC,
        text_limit: int | None = None,
        scope: SiteScope = ALL_SITES,
    ) -> ModerationResult:
        return self.moderate_many([req], source=source, text_limit=text_limit, scopes=[scope])[0]

    def moderate_many(
        self,
        reqs: list[CommentRequest],
        *,
        source: DecisionSource,
        text_limit: int | None = None,
        scopes: list[SiteScope] | None = None,
    ) -> list[ModerationResult]:
        """Validate all, resolve in one session (each within its caller's ``scopes``, default all sites),
        score in ONE forward pass, decide each, store (unless ``do_not_store``) in one transaction."""
        started = time.perf_counter()
        for req in reqs:
            self.validate(req, text_limit=text_limit)
        with self.sessions() as session:
            cache: Resolved = {}
            items = [self.resolve(session, req, cache=cache) for req in reqs]
            for item, scope in zip(items, scopes or [ALL_SITES] * len(items), strict=True):
                self.check_scope(session, item, scope)
        decisions = self.score(items)
        items = [_with_comment_id(it) for it in items]
        to_store = [(it, d) for it, d in zip(items, decisions, strict=True) if not it.request.do_not_store]
        if to_store:
            with transaction(self.sessions) as session:
                for item, decision in to_store:
                    self.record(session, item, decision, source=source)
        elapsed = (time.perf_counter() - started) * 1000.0
        return [
            ModerationResult(
                comment_id=it.request.comment_id,
                decision=d,
                elapsed_ms=elapsed,
                stored=not it.request.do_not_store,
            )
            for it, d in zip(items, decisions, strict=True)
        ]


def _with_comment_id(item: Item) -> Item:
    """A stored comment without an id gets a new one (``c_<hex>``); an unstored one keeps None."""
    req = item.request
    if req.do_not_store or req.comment_id:
        return item
    return replace(item, request=replace(req, comment_id=f"c_{uuid.uuid4().hex}"))
