"""One batch of stream messages: load the comments, the use case scores them, claim, store, say what to ack.

A batch is scored in CHUNKS of at most ``batch_tokens`` encoder tokens (shortest comments first; a comment
larger than the budget is a chunk of its own), each chunk stored in its own transaction and handed back to
the worker, which acknowledges it before the next one is scored: a 10,000-character comment read with 63
short ones delays none of them, and a worker killed mid-batch loses at most one chunk's work. Inside a chunk
the model runtime packs the windows into token-budget passes (``models.tokens.budget_batches``).

The scoring is ``moderation/moderate.py`` (resolve, score one batch, decide, record); this module does what is
particular to a queue. It loads the comments the messages name and skips those already done, isolates a poison
comment when the batch's forward pass fails (each comment is then scored alone), and stores the batch in ONE
transaction whose conditional claim makes it idempotent by comment id: a comment already scored (or, for a
rescoring message, already scored by that job) is skipped, so a redelivered or doubly-claimed message never
stores a second system decision.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from moderation import outbox
from moderation.domain import CommentStatus, Decision, DecisionSource, ModerationResult
from moderation.moderate import Item, Moderation, Resolved
from moderation.queue.streams import Message
from moderation.store import queue_repo, repo
from moderation.text import estimate_tokens


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


DEFAULT_BATCH_TOKENS = 8192


def token_chunks(tokens: list[int], budget: int) -> list[list[int]]:
    """Indices grouped shortest first into chunks whose token sum is at most ``budget`` (a single item over
    the budget is a chunk of its own)."""
    order = sorted(range(len(tokens)), key=lambda i: tokens[i])
    chunks: list[list[int]] = []
    current: list[int] = []
    total = 0
    for i in order:
        if current and total + tokens[i] > budget:
            chunks.append(current)
            current, total = [], 0
        current.append(i)
        total += tokens[i]
    if current:
        chunks.append(current)
    return chunks


class BatchProcessor:
    """``count_tokens(texts)`` -> encoder tokens per text (the pipeline's tokenizer; an estimate if absent);
    ``batch_tokens`` caps the tokens of one scoring call and one transaction."""

    def __init__(
        self,
        *,
        sessions: sessionmaker[Session],
        moderation: Moderation,
        batch_tokens: int = DEFAULT_BATCH_TOKENS,
        count_tokens: Callable[[list[str]], list[int]] | None = None,
        site_callback_urls: dict[str, str] | None = None,
    ) -> None:
        self.sessions = sessions
        self.moderation = moderation
        self.batch_tokens = batch_tokens
        self.count_tokens = count_tokens or estimate_tokens
        self.site_callback_urls = site_callback_urls or {}

    def process(self, messages: list[Message]) -> BatchOutcome:
        """Every chunk of the batch, merged into one outcome (see :meth:`chunks`)."""
        merged = BatchOutcome()
        for out in self.chunks(messages):
            merged.done += out.done
            merged.failed += out.failed
            merged.documents += out.documents
            merged.forward_passes += out.forward_passes
        return merged

    def chunks(self, messages: list[Message]) -> Iterator[BatchOutcome]:
        """Load the batch (the first outcome: what needs no scoring), then score and store it chunk by chunk
        of at most ``batch_tokens`` tokens, one outcome per chunk, to acknowledge as soon as it is yielded."""
        started = time.perf_counter()
        head = BatchOutcome()
        pending = self._load(messages, head)
        yield head
        if not pending:
            return
        tokens = self.count_tokens([p.item.request.text for p in pending])
        for idx in token_chunks(tokens, self.batch_tokens):
            out = BatchOutcome()
            scored = self._score([pending[i] for i in idx], out)
            if scored:
                self._store_or_retry(scored, out, started)
            yield out

    def _store_or_retry(
        self, scored: list[tuple[Pending, Decision]], out: BatchOutcome, started: float
    ) -> None:
        try:
            self._store(scored, out, started)
        except Exception as exc:  # the whole transaction rolled back: every message is retried
            out.documents.clear()
            messages_in = {p.message for p, _ in scored}
            out.done = [m for m in out.done if m not in messages_in]
            out.failed.extend((p.message, f"store: {exc!r}") for p, _ in scored)

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
        """ONE scoring call for the chunk; if it fails, each comment alone (a poison fails only itself)."""
        if not pending:
            return []
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
