"""Value types shared by the pipeline, policy, store, queue and API. Plain dataclasses; no I/O here."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class Action(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    REVIEW = "review"


class CommentStatus(StrEnum):
    QUEUED = "queued"
    SCORED = "scored"
    FAILED = "failed"


class Role(StrEnum):
    CLIENT = "client"
    MODERATOR = "moderator"
    ADMIN = "admin"


ROLE_RANK = {Role.CLIENT: 0, Role.MODERATOR: 1, Role.ADMIN: 2}


@dataclass(frozen=True)
class Article:
    id: str
    title: str
    body: str
    site: str = "default"
    summary: str | None = None
    key_points: tuple[str, ...] = ()
    url: str | None = None
    language: str = "en"

    @property
    def model_text(self) -> str:
        """What the encoder sees for the article: title, summary, key points, then the body."""
        parts = [self.title, self.summary or "", " ".join(self.key_points), self.body]
        return "\n".join(p for p in parts if p)


@dataclass(frozen=True)
class CommentRequest:
    """One comment to moderate. Exactly one of ``article_id`` / ``article`` may be set (or neither)."""

    text: str
    site: str = "default"
    article_id: str | None = None
    article: Article | None = None
    comment_id: str | None = None
    author_id: str | None = None
    do_not_store: bool = False
    callback_url: str | None = None


@dataclass(frozen=True)
class LengthScore:
    characters: int
    min_chars: int
    max_chars: int
    too_short: bool
    too_long: bool
    padding: float  # 0..1, share of the text that is repetition used as filler
    padding_detected: bool


@dataclass(frozen=True)
class SpanScore:
    begin: int
    end: int
    scores: dict[str, float]


@dataclass(frozen=True)
class Scores:
    """Everything the classifiers said about one comment. A classifier that is unavailable is ``None``."""

    length: LengthScore
    civility: dict[str, float] | None = None
    spans: tuple[SpanScore, ...] = ()
    on_topic: float | None = None
    stance: dict[str, float] | None = None
    sentiment: dict[str, float] | None = None
    model_version: str = ""
    unavailable: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Reason:
    code: str  # e.g. TOXICITY, TOO_SHORT, OFF_TOPIC, CLASSIFIER_UNAVAILABLE
    classifier: str  # length, civility, on_topic, stance, sentiment
    action: Action
    message: str  # human-readable, safe to show to the comment's author
    score: float | None = None
    threshold: float | None = None


@dataclass(frozen=True)
class Decision:
    action: Action
    reasons: tuple[Reason, ...]
    policy_version: str
    scores: Scores
    decided_by: str = "system"

    def to_dict(self) -> dict[str, Any]:
        return {
            "decision": self.action.value,
            "reasons": [asdict(r) | {"action": r.action.value} for r in self.reasons],
            "scores": self.scores.to_dict(),
            "model_version": self.scores.model_version,
            "policy_version": self.policy_version,
            "decided_by": self.decided_by,
        }


@dataclass
class ModerationResult:
    """What /v1/moderate (and GET /v1/comments/{id} once scored) answer."""

    comment_id: str | None
    decision: Decision
    elapsed_ms: float
    stored: bool
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "comment_id": self.comment_id,
            **self.decision.to_dict(),
            "elapsed_ms": round(self.elapsed_ms, 2),
            "stored": self.stored,
            **self.extra,
        }
