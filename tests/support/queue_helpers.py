"""Helpers shared by the queue tests (imported by name: pytest puts this folder on sys.path)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from moderation.services import Services


class CountingScorer:
    """The real pipeline, counting forward passes (the seam the worker offers)."""

    def __init__(self, pipeline: Any) -> None:
        self.pipeline = pipeline
        self.calls: list[int] = []

    @property
    def model_version(self) -> str:
        return str(self.pipeline.model_version)

    def score(self, requests: list[Any], articles: list[Any]) -> list[Any]:
        self.calls.append(len(requests))
        return list(self.pipeline.score(requests, articles))


def submit(services: Services, texts: list[str], **fields: Any) -> list[str]:
    from moderation.domain import CommentRequest
    from moderation.queue.submit import submit_comments

    reqs = [CommentRequest(text=t, **fields) for t in texts]
    return [
        s.comment_id
        for s in submit_comments(
            moderation=services.moderation,
            stream=services.score_stream(),
            requests=reqs,
            max_batch=services.settings.queue_max_batch_submit,
            allow=services.callback_allow,
        )
    ]
