"""One batch of stream messages: load the comments, the use case scores them, claim, store, say what to ack.

The scoring is ``moderation/moderate.py`` (resolve, score one batch, decide, record); this module does what is
particular to a queue. It loads the comments the messages name and skips those already done, isolates a poison
comment when the batch's forward pass fails (each comment is then scored alone), and stores the batch in ONE
transaction whose conditional claim makes it idempotent by comment id: a comment already scored (or, for a
rescoring message, already scored by that job) is skipped, so a redelivered or doubly-claimed message never
stores a second system decision.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from moderation import outbox
from moderation.domain import CommentStatus, Decision, DecisionSource, ModerationResult
from moderation.moderate import Item, Moderation, Resolved
from moderation.queue.streams import Message
from moderation.store import queue_repo, repo


@dataclass(frozen=True)
class Pending:
    message: Message
    item: Item


@dataclass
class BatchOutcome:
    done: list[Message] = field(default_factory=list)  # acknowledge these
    failed: list[tuple[Message, str]] = field(default_factory=list)  # leave pending, count a failure
    documents: list[dict[str, Any]] = field(default_factory=list)  # newly stored decisions (in the outbox)
    forward_passes: int = 0


class BatchProcessor:
    def __init__(
        self,
        *,
        sessions: sessionmaker[Session],
        moderation: Moderation,
        site_callback_urls: dict[str, str] | None = None,
    ) -> None:
        self.sessions = sessions
        self.moderation = moderation
        self.site_callback_urls = site_callback_urls or {}

    def process(self, messages: list[Message]) -> BatchOutcome:
        started = time.perf_counter()
        out = BatchOutcome()
        scored = self._score(self._load(messages, out), out)
        if scored:
            try:
                self._store(scored, out, started)
            except Exception as exc:  # the whole transaction rolled back: every message is retried
                out.documents.clear()
                messages_in = {p.message for p, _ in scored}
                out.done = [m for m in out.done if m not in messages_in]
                out.failed.extend((p.message, f"store: {exc!r}") for p, _ in scored)
        return out

    def _load(self, messages: list[Message], out: BatchOutcome) -> list[Pending]:
        """The comments still to score, resolved (article + policy); done ones are acknowledged."""
        pending: list[Pending] = []
        with self.sessions() as session:
            rows = queue_repo.load_comments(session=session, comment_ids=[m.comment_id for m in messages])
            done_by_job: dict[str, set[str]] = {}
            for job in {m.job_id for m in messages if m.job_id}:
                ids = [m.comment_id for m in messages if m.job_id == job]
                done_by_job[job] = queue_repo.job_scored_ids(session=session, comment_ids=ids, job_id=job)
            cache: Resolved = {}
            for msg in messages:
                row = rows.get(msg.comment_id)
                if not msg.comment_id or row is None:
                    out.failed.append((msg, f"comment {msg.comment_id!r} not found in the store"))
                elif (msg.job_id is None and row.status == CommentStatus.SCORED) or (
                    msg.job_id is not None and msg.comment_id in done_by_job[msg.job_id]
                ):
                    out.done.append(msg)
                else:
                    try:
                        item = self.moderation.resolve(session, repo.request_from_row(row), cache=cache)
                    except Exception as exc:
                        out.failed.append((msg, f"resolve: {exc!r}"))
                        continue
                    pending.append(Pending(msg, item))
        return pending

    def _score(self, pending: list[Pending], out: BatchOutcome) -> list[tuple[Pending, Decision]]:
        """ONE forward pass for the batch; if it fails, each comment alone (a poison fails only itself)."""
        if not pending:
            return []
        pending.sort(key=lambda p: len(p.item.request.text))  # similar lengths together: less padding
        try:
            out.forward_passes += 1
            return list(zip(pending, self.moderation.score([p.item for p in pending]), strict=True))
        except Exception:
            scored: list[tuple[Pending, Decision]] = []
            for p in pending:  # find the poison: the others still get scored
                try:
                    out.forward_passes += 1
                    [decision] = self.moderation.score([p.item])
                    scored.append((p, decision))
                except Exception as exc:
                    out.failed.append((p.message, f"score: {exc!r}"))
            return scored

    def _store(self, scored: list[tuple[Pending, Decision]], out: BatchOutcome, started: float) -> None:
        """ONE transaction: claim each comment (rescoring needs no claim), record, and write each new
        decision's announcement to the outbox (feed + callback), so a committed decision is announced."""
        elapsed = (time.perf_counter() - started) * 1000
        docs: list[dict[str, Any]] = []
        with self.sessions() as session, session.begin():
            for p, decision in scored:
                request, job = p.item.request, p.message.job_id
                if job is None and not queue_repo.claim_for_scoring(
                    session=session, comment_id=request.comment_id or ""
                ):
                    continue  # another worker stored it first
                source = DecisionSource.WORKER if job is None else DecisionSource.RESCORE
                self.moderation.record(session, p.item, decision, source=source, rescore_job_id=job)
                if job is None:
                    result = ModerationResult(request.comment_id, decision, elapsed, True)
                    doc = result.to_dict() | {
                        "status": CommentStatus.SCORED.value,
                        "site": request.site,
                        "article_id": request.article_id,
                    }
                    docs.append(doc)
                    url = request.callback_url or self.site_callback_urls.get(request.site) or None
                    outbox.write(session, document=doc, callback_url=url)
        out.done.extend(p.message for p, _ in scored)
        out.documents.extend(docs)
