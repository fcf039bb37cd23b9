"""Score one batch of stream messages: load the comments, ONE forward pass, ONE transaction.

Idempotent by comment id: a comment already scored (or, for a rescoring message, already scored by that job)
is skipped, and the claim inside the write transaction is atomic, so a redelivered or doubly-claimed message
never stores a second system decision.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy.orm import Session, sessionmaker

from moderation.domain import Article, CommentRequest, CommentStatus, Decision, ModerationResult, Scores
from moderation.queue.streams import Message
from moderation.store import queue_repo


class Scorer(Protocol):
    """What the worker needs of ``moderation.pipeline.Pipeline`` (a test can count its calls)."""

    @property
    def model_version(self) -> str: ...

    def score(
        self,
        requests: list[CommentRequest],
        articles: list[Article | None],
        *,
        limits: list[tuple[int, int]] | None = None,
    ) -> list[Scores]: ...


class Deciding(Protocol):
    """What the worker needs of ``ModerationService``: article and policy resolution."""

    def resolve_article(self, session: Session, req: CommentRequest) -> Article | None: ...

    def policy_for(self, session: Session, *, site: str, article_id: str | None) -> Any: ...


def _limits(policy: Any) -> tuple[int, int]:
    return (int(policy.min_chars), int(policy.max_chars))


@dataclass
class Item:
    message: Message
    request: CommentRequest
    article: Article | None
    policy: Any
    scores: Scores | None = None
    decision: Decision | None = None


@dataclass
class BatchOutcome:
    done: list[Message] = field(default_factory=list)  # acknowledge these
    failed: list[tuple[Message, str]] = field(default_factory=list)  # leave pending, count a failure
    documents: list[dict[str, Any]] = field(default_factory=list)  # newly stored decisions
    callbacks: list[tuple[str | None, dict[str, Any]]] = field(default_factory=list)  # (request url, doc)
    forward_passes: int = 0


class BatchProcessor:
    def __init__(self, *, sessions: sessionmaker[Session], scorer: Scorer, moderation: Deciding) -> None:
        self.sessions = sessions
        self.scorer = scorer
        self.moderation = moderation

    def process(self, messages: list[Message]) -> BatchOutcome:
        started = time.perf_counter()
        out = BatchOutcome()
        items = self._load(messages, out)
        self._score(items, out)
        scored = [it for it in items if it.decision is not None]
        if scored:
            try:
                self._store(scored, out, started)
            except Exception as exc:  # the whole transaction rolled back: every message is retried
                out.documents.clear()
                out.callbacks.clear()
                out.done = [m for m in out.done if m not in {it.message for it in scored}]
                out.failed.extend((it.message, f"store: {exc!r}") for it in scored)
        return out

    def _load(self, messages: list[Message], out: BatchOutcome) -> list[Item]:
        items: list[Item] = []
        with self.sessions() as session:
            rows = queue_repo.load_comments(session=session, comment_ids=[m.comment_id for m in messages])
            done_by_job: dict[str, set[str]] = {}
            context: dict[tuple[str, str | None], tuple[Article | None, Any]] = {}
            for job in {m.job_id for m in messages if m.job_id}:
                ids = [m.comment_id for m in messages if m.job_id == job]
                done_by_job[job] = queue_repo.job_scored_ids(session=session, comment_ids=ids, job_id=job)
            for msg in messages:
                row = rows.get(msg.comment_id)
                if not msg.comment_id or row is None:
                    out.failed.append((msg, f"comment {msg.comment_id!r} not found in the store"))
                elif (msg.job_id is None and row.status == CommentStatus.SCORED.value) or (
                    msg.job_id is not None and msg.comment_id in done_by_job[msg.job_id]
                ):
                    out.done.append(msg)
                else:
                    req = CommentRequest(
                        text=row.text,
                        site=row.site,
                        article_id=row.article_id,
                        comment_id=row.id,
                        author_id=row.author_id,
                        callback_url=row.callback_url,
                    )
                    try:
                        article, policy = self._context(session, req, context)
                    except Exception as exc:
                        out.failed.append((msg, f"resolve: {exc!r}"))
                        continue
                    items.append(Item(msg, req, article, policy))
        return items

    def _context(
        self,
        session: Session,
        req: CommentRequest,
        cache: dict[tuple[str, str | None], tuple[Article | None, Any]],
    ) -> tuple[Article | None, Any]:
        """Article and policy, looked up once per (site, article) in a batch."""
        key = (req.site, req.article_id)
        if key not in cache:
            article = self.moderation.resolve_article(session, req)
            cache[key] = (
                article,
                self.moderation.policy_for(session, site=req.site, article_id=req.article_id),
            )
        return cache[key]

    def _score(self, items: list[Item], out: BatchOutcome) -> None:
        from moderation.policy import decide

        if not items:
            return
        items.sort(key=lambda it: len(it.request.text))  # similar lengths together: less padding
        try:
            out.forward_passes += 1
            results = self.scorer.score(
                [it.request for it in items],
                [it.article for it in items],
                limits=[_limits(it.policy) for it in items],
            )
            groups = [(items, results)]
        except Exception:
            groups = []
            for it in items:  # find the poison: the others still get scored
                try:
                    out.forward_passes += 1
                    groups.append(
                        ([it], self.scorer.score([it.request], [it.article], limits=[_limits(it.policy)]))
                    )
                except Exception as exc:
                    out.failed.append((it.message, f"score: {exc!r}"))
        for group, scores in groups:
            for it, sc in zip(group, scores, strict=True):
                it.scores = sc
                it.decision = decide(sc, it.policy)

    def _store(self, items: list[Item], out: BatchOutcome, started: float) -> None:
        from moderation.store import repo

        elapsed = (time.perf_counter() - started) * 1000
        docs: list[dict[str, Any]] = []
        callbacks: list[tuple[str | None, dict[str, Any]]] = []
        with self.sessions() as session, session.begin():
            for it in items:
                assert it.scores is not None and it.decision is not None
                job = it.message.job_id
                if job is None and not queue_repo.claim_for_scoring(
                    session=session, comment_id=it.request.comment_id or ""
                ):
                    continue  # another worker stored it first
                repo.record_result(
                    session=session,
                    request=it.request,
                    scores=it.scores,
                    decision=it.decision,
                    source="worker" if job is None else "rescore",
                    rescore_job_id=job,
                )
                if job is None:
                    result = ModerationResult(it.request.comment_id, it.decision, elapsed, True)
                    doc = result.to_dict() | {
                        "status": CommentStatus.SCORED.value,
                        "site": it.request.site,
                        "article_id": it.request.article_id,
                    }
                    docs.append(doc)
                    callbacks.append((it.request.callback_url, doc))
        out.done.extend(it.message for it in items)
        out.documents.extend(docs)
        out.callbacks.extend(callbacks)
