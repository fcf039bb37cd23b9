"""Value types shared by the pipeline, policy, store, queue and API. Plain dataclasses; no I/O here."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from moderation.errors import InvalidInput


class Action(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    REVIEW = "review"


class CommentStatus(StrEnum):
    QUEUED = "queued"
    SCORED = "scored"
    FAILED = "failed"


class DecisionSource(StrEnum):
    """Who or what wrote a decision record (``decision_records.source``)."""

    SYNC = "sync"  # POST /v1/moderate
    PERSPECTIVE = "perspective"  # the Perspective-compatible endpoint
    CORAL = "coral"  # Coral Talk's external moderation phase
    CLI = "cli"  # moderation moderate --store
    WORKER = "worker"  # the queue's workers
    RESCORE = "rescore"  # a rescoring job (model or policy-only)
    MODERATOR = "moderator"  # a moderator's decision
    UNDO = "undo"  # a moderator took their decision back


class LabelSource(StrEnum):
    """Where a training label came from (``labels.source``)."""

    MODERATOR = "moderator"  # a moderator's decision
    SUGGESTSCORE = "suggestscore"  # a Perspective client's comments:suggestscore


class JobStatus(StrEnum):
    """A rescoring job's state (``rescore_jobs.status``)."""

    PENDING = "pending"
    RUNNING = "running"
    PAUSED = "paused"
    DONE = "done"
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
    parent_text: str | None = None  # the comment this one replies to (used for on-topic, never stored)
    parent_id: str | None = None  # the stored comment this one replies to (threads in the moderator UI)


@dataclass(frozen=True)
class LengthScore:
    """The length classifier measures ``characters``, ``padding``, ``unpadded_characters`` and whether filler
    is most of the text (``padding_detected``); the policy judges the rest (``policy.judge_length``): its
    limits, ``too_short``, ``too_long``, and padding that only brings the comment up to the minimum."""

    characters: int  # grapheme clusters, whitespace trimmed and collapsed
    min_chars: int | None = None  # the judging policy's limits (None until a policy judged)
    max_chars: int | None = None
    too_short: bool = False
    too_long: bool = False
    padding: float = 0.0  # 0..1, share of the text that is repetition used as filler
    padding_detected: bool = False
    unpadded_characters: int | None = None  # characters without the filler (None in scores stored before)


@dataclass(frozen=True)
class SentenceSpan:
    """One sentence of the comment and its civility scores; ``begin``/``end`` index the ORIGINAL text.
    (The model's own per-segment output is ``models.runtime.SpanScore``; ``classifiers/heads.py`` reads it
    into this.)"""

    begin: int
    end: int
    scores: dict[str, float]


@dataclass(frozen=True)
class WordSpan:
    """One word of the comment and its civility scores (the words with some evidence only);
    ``begin``/``end`` index the ORIGINAL text."""

    begin: int
    end: int
    scores: dict[str, float]


@dataclass(frozen=True)
class LanguageScore:
    """The comment's language and what the model says about it.

    ``code``: ISO 639-1 as detected (None: the detector was unsure; scored as English); ``confidence`` 0..1;
    ``zero_shot``: heads scored without training data in this language (flagged, see the model card);
    ``unsupported``: heads whose scores are withheld for this language (``LANGUAGE_UNSUPPORTED``)."""

    code: str | None
    confidence: float
    zero_shot: tuple[str, ...] = ()
    unsupported: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scores:
    """Everything the classifiers said about one comment. A classifier that is unavailable is ``None``."""

    length: LengthScore
    civility: dict[str, float] | None = None
    spans: tuple[SentenceSpan, ...] = ()
    on_topic: float | None = None
    stance: dict[str, float] | None = None
    sentiment: dict[str, float] | None = None
    model_version: str = ""
    unavailable: tuple[str, ...] = ()
    words: tuple[WordSpan, ...] = ()
    language: LanguageScore | None = None
    unread_tokens: int = 0  # tokens of a long comment the model did not read (``models.outputs.MAX_WINDOWS``)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Scores:
        """Inverse of ``to_dict()`` (what a ScoreRecord stores)."""
        return cls(
            length=LengthScore(**data["length"]),
            civility=data.get("civility"),
            spans=tuple(SentenceSpan(**s) for s in data.get("spans") or ()),
            on_topic=data.get("on_topic"),
            stance=data.get("stance"),
            sentiment=data.get("sentiment"),
            model_version=data.get("model_version", ""),
            unavailable=tuple(data.get("unavailable") or ()),
            words=tuple(WordSpan(**w) for w in data.get("words") or ()),
            language=_language(data.get("language")),
            unread_tokens=int(data.get("unread_tokens") or 0),
        )


def _language(data: dict[str, Any] | None) -> LanguageScore | None:
    if not data:
        return None
    return LanguageScore(
        code=data.get("code"),
        confidence=float(data.get("confidence") or 0.0),
        zero_shot=tuple(data.get("zero_shot") or ()),
        unsupported=tuple(data.get("unsupported") or ()),
    )


@dataclass(frozen=True)
class Reason:
    code: str  # e.g. TOXICITY, TOO_SHORT, OFF_TOPIC, CLASSIFIER_UNAVAILABLE, BANNED_WORD
    classifier: str  # length, civility, on_topic, stance, sentiment, author, words, links
    action: Action
    message: str  # human-readable, safe to show to the comment's author
    score: float | None = None
    threshold: float | None = None
    # word and link reasons: ``[begin, end)`` spans of the ORIGINAL text and the listed terms / hosts found
    spans: tuple[tuple[int, int], ...] = ()
    terms: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The stored and answered shape; ``spans``/``terms`` only when there are some."""
        out = asdict(self) | {"action": self.action.value}
        for key in ("spans", "terms"):
            if not out[key]:
                del out[key]
            else:
                out[key] = [list(v) if isinstance(v, tuple) else v for v in out[key]]
        return out


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
            "reasons": [r.to_dict() for r in self.reasons],
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

    def to_dict(self) -> dict[str, Any]:
        return {
            "comment_id": self.comment_id,
            **self.decision.to_dict(),
            "elapsed_ms": round(self.elapsed_ms, 2),
            "stored": self.stored,
        }


@dataclass(frozen=True)
class RescoreFilters:
    """Which scored comments a rescoring job takes (``all`` or at least one filter); times are UTC."""

    site: str | None = None
    article_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    decision: str | None = None
    all: bool = False

    def validate(self) -> None:
        chosen = (self.site, self.article_id, self.since, self.until, self.decision)
        if not self.all and all(v is None for v in chosen):
            raise InvalidInput("choose comments with a filter (site, article, since, until, decision) or all")
        if self.decision is not None and self.decision not in {a.value for a in Action}:
            raise InvalidInput(
                f"decision must be approve, review or reject, got {self.decision!r}", field="decision"
            )
        if self.since and self.until and as_utc(self.since) > as_utc(self.until):
            raise InvalidInput("since is after until", field="since")

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        for key in ("since", "until"):
            out[key] = None if out[key] is None else as_utc(out[key]).isoformat()
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RescoreFilters:
        data = dict(data)
        for key in ("since", "until"):
            data[key] = None if data.get(key) is None else datetime.fromisoformat(data[key])
        return cls(**data)


def as_utc(value: datetime) -> datetime:
    """A naive datetime (SQLite hands those back; everything here is UTC) as an aware UTC one."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)
