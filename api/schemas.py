"""API shapes, one per direction, for every route (the Perspective protocol's are in ``api/perspective``).

Requests (``...In``): unknown fields are refused (``extra="forbid"``); text fields refuse NUL and control
characters with a message naming the field. Responses (``...Out``): what each route answers, so OpenAPI shows
it; tables never leak through them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import Path
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
)

from moderation.domain import Action, Article, CommentRequest
from moderation.review.decisions import MAX_BULK, MAX_NOTE_CHARS, DecisionInput
from moderation.text import find_control_character

# ids (comments, articles, parents) name path segments (/v1/comments/{id}, the moderator UI's links): no '/',
# '?', '#', '%' or '\\', which a path would split, cut or decode (an id with '/' could never be addressed, and
# a link built from one pointed at another same-origin path)
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:@-]{0,199}$"
PATH_SIGNIFICANT = "/?#%\\"


def path_safe(value: Any) -> Any:
    """Refuse the characters that are significant in a URL path, with a message that says why."""
    if isinstance(value, str):
        found = sorted({c for c in value if c in PATH_SIGNIFICANT})
        if found:
            shown = " ".join(repr(c) for c in found)
            raise ValueError(f"must not contain {shown}: ids are used in URL paths")
    return value


def _no_controls(value: str) -> str:
    problem = find_control_character(value)
    if problem:
        raise ValueError(f"contains a {problem}")
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("is empty or only whitespace")
    return value


CleanText = Annotated[str, AfterValidator(_no_controls)]
RequiredText = Annotated[str, AfterValidator(_no_controls), AfterValidator(_not_blank)]
Identifier = Annotated[str, BeforeValidator(path_safe), StringConstraints(pattern=ID_PATTERN)]
# an author id: free text (a user id, a name), but it names a path segment too (/v1/sites/S/authors/A)
AuthorId = Annotated[CleanText, AfterValidator(path_safe), Field(max_length=200)]
Site = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")]
# a row id in a path: the store's ids are 32-bit on PostgreSQL; a larger number (or one past SQLite's 64 bits)
# reached the driver and was a 500
MAX_ROW_ID = 2**31 - 1
RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


class ArticleIn(Strict):
    title: Annotated[RequiredText, Field(max_length=1000)]
    body: Annotated[RequiredText, Field(max_length=60_000)]
    summary: Annotated[CleanText, Field(max_length=10_000)] | None = None
    key_points: Annotated[list[Annotated[CleanText, Field(max_length=1000)]], Field(max_length=50)] = []
    url: Annotated[CleanText, Field(max_length=2000)] | None = None
    language: Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$")] = "en"
    site: Site | None = None

    def to_domain(self, article_id: str, *, default_site: str) -> Article:
        return Article(
            id=article_id,
            title=self.title,
            body=self.body,
            site=self.site or default_site,
            summary=self.summary,
            key_points=tuple(self.key_points),
            url=self.url,
            language=self.language,
        )


class InlineArticle(ArticleIn):
    id: Identifier | None = None


class ArticleOut(BaseModel):
    id: str
    site: str
    title: str
    body: str
    summary: str | None
    key_points: list[str]
    url: str | None
    language: str
    content_hash: str
    encoder_version: str | None = None


class ModerateIn(Strict):
    text: Annotated[RequiredText, Field(max_length=100_000)]
    article_id: Identifier | None = None
    article: InlineArticle | None = None
    comment_id: Identifier | None = None
    author_id: AuthorId | None = None
    site: Site | None = None
    do_not_store: StrictBool = False  # true or false only: "no" or 0 must not quietly mean false
    parent_id: Identifier | None = Field(
        default=None, description="the comment this one replies to (shown as 'in reply to' to moderators)"
    )

    def to_domain(self) -> CommentRequest:
        """``site`` left empty is filled by the service: the article's site, else the default site."""
        site = self.site or (self.article.site if self.article and self.article.site else "")
        article = None
        if self.article is not None:
            article = self.article.to_domain(self.article.id or "inline", default_site=site or "default")
        return CommentRequest(
            text=self.text,
            site=site,
            article_id=self.article_id,
            article=article,
            comment_id=self.comment_id,
            author_id=self.author_id,
            do_not_store=self.do_not_store,
            parent_id=self.parent_id,
        )


class CommentIn(ModerateIn):
    """``POST /v1/comments`` (one, or a list): the /v1/moderate body plus where to call back."""

    callback_url: Annotated[str, Field(max_length=2000, pattern=r"^https?://[^\s]+$")] | None = None


class PolicyDocumentOut(BaseModel):
    thresholds: dict[str, float]
    actions: dict[str, Action]
    min_chars: int
    max_chars: int
    guidelines: str | None = None
    messages: dict[str, dict[str, str]] = Field(
        default_factory=dict, description="author-facing message overrides: reason code -> action -> text"
    )
    trust: dict[str, int] = Field(
        default_factory=dict,
        description="premod_first_comments, history_rejections, history_days, repeat_window_s (0: off)",
    )
    words: dict[str, list[str]] = Field(default_factory=dict, description="banned, suspect, allow")
    links: dict[str, Any] = Field(default_factory=dict, description="action, allow_domains, spam_links")


class PolicyOut(BaseModel):
    site: str
    article_id: str | None
    version: str
    policy: PolicyDocumentOut


class KeyIn(Strict):
    name: Annotated[RequiredText, Field(max_length=200)]
    role: str
    sites: Annotated[list[Annotated[str, Field(max_length=200)]], Field(max_length=100)] | None = Field(
        default=None, description="the sites the key may read and act on (or all_sites)"
    )
    all_sites: StrictBool = Field(
        default=False, description="the key may use every site (admin keys, mostly)"
    )


class KeyOut(BaseModel):
    id: int
    name: str
    role: str
    prefix: str
    created_at: str
    revoked_at: str | None
    last_used_at: str | None
    kind: str = "secret"
    sites: list[str] = Field(default_factory=list)
    all_sites: bool = False
    key: str | None = Field(default=None, description="the plaintext key; shown only when it is created")


class RescoreJobIn(Strict):
    site: Annotated[str, Field(max_length=200)] | None = None
    article_id: Annotated[str, Field(max_length=200)] | None = None
    since: datetime | None = None
    until: datetime | None = None
    decision: Action | None = None
    all: StrictBool = False
    policy_only: StrictBool = False
    dry_run: StrictBool = False
    chunk_size: Annotated[int, Field(ge=1, le=5000)] = 200


class DecisionIn(BaseModel):
    action: str = Field(description="approve or reject")
    reason: str | None = Field(default=None, description="rejection reason code (required to reject)")
    note: str | None = Field(default=None, max_length=MAX_NOTE_CHARS)

    def domain(self) -> DecisionInput:
        return DecisionInput(action=self.action, reason=self.reason, note=self.note)


class BulkIn(DecisionIn):
    ids: list[str] = Field(min_length=1, max_length=MAX_BULK)


# --- decisions


class ReasonOut(BaseModel):
    """One reason of a decision; moderators' and undo entries carry ``batch`` / ``undoes`` as well."""

    model_config = ConfigDict(extra="allow")

    code: str = Field(description="TOXICITY, TOO_SHORT, OFF_TOPIC, MODERATOR_REJECT ...")
    classifier: str = Field(description="length, civility, on_topic, stance, sentiment, moderator")
    action: str = Field(description="approve, review or reject")
    message: str = Field(description="safe to show to the comment's author")
    score: float | None = None
    threshold: float | None = None
    spans: list[list[int]] | None = Field(
        default=None, description="word and link reasons: [begin, end) of the original text, code points"
    )
    terms: list[str] | None = Field(default=None, description="the listed terms or link hosts found")


class LengthOut(BaseModel):
    characters: int = Field(description="grapheme clusters, whitespace trimmed and collapsed")
    min_chars: int | None
    max_chars: int | None
    too_short: bool
    too_long: bool
    padding: float = Field(description="0..1, share of the text that is repetition used as filler")
    padding_detected: bool
    unpadded_characters: int | None = Field(default=None, description="characters without the filler")


class SpanOut(BaseModel):
    begin: int = Field(description="offset into the original text (Python string index: code points)")
    end: int
    scores: dict[str, float] = Field(description="civility label -> probability for this sentence or word")


class LanguageOut(BaseModel):
    code: str | None = Field(description="ISO 639-1 as detected; null when unsure (scored as English)")
    confidence: float
    zero_shot: list[str] = Field(description="heads scored without training data in this language")
    unsupported: list[str] = Field(description="heads withheld for this language (LANGUAGE_UNSUPPORTED)")


class ScoresOut(BaseModel):
    length: LengthOut
    civility: dict[str, float] | None
    spans: list[SpanOut]
    on_topic: float | None
    stance: dict[str, float] | None
    sentiment: dict[str, float] | None
    model_version: str
    unavailable: list[str] = Field(description="heads not loaded: their scores are absent, never invented")
    words: list[SpanOut] = Field(
        default_factory=list, description="words with civility evidence (from the same forward pass)"
    )
    language: LanguageOut | None = None
    unread_tokens: int = Field(
        default=0,
        description="tokens of a very long comment the model did not read (over 16 windows of 256 tokens: "
        "its head and tail are scored, the middle is not; PARTLY_SCORED)",
    )


class ModerationOut(BaseModel):
    """``POST /v1/moderate``: the decision, its reasons and every score behind them."""

    comment_id: str | None
    decision: Action
    reasons: list[ReasonOut]
    scores: ScoresOut
    model_version: str
    policy_version: str
    decided_by: str
    elapsed_ms: float
    stored: bool


# --- asynchronous scoring


class SubmittedOut(BaseModel):
    comment_id: str
    status: str = Field(description="queued, scored or failed")
    enqueued: bool = Field(description="false when the same comment was already queued or scored")
    url: str


class SubmissionOut(BaseModel):
    comments: list[SubmittedOut]


class CommentOut(BaseModel):
    """``GET /v1/comments/{id}``: the status; once scored, the same decision fields as /v1/moderate."""

    comment_id: str
    status: str = Field(description="queued, scored or failed")
    site: str
    error: str | None = Field(default=None, description="only when failed")
    decision: str | None = None
    reasons: list[ReasonOut] | None = None
    scores: ScoresOut | None = None
    model_version: str | None = None
    policy_version: str | None = None
    decided_by: str | None = None
    stored: bool | None = None


class WorkerHealthOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    name: str
    pid: int
    at: float = Field(description="unix time of the worker's last beat")
    batches: int = 0  # the worker's counters (a worker of another version may count fewer)
    scored: int = 0
    acked: int = 0
    failed: int = 0
    dead: int = 0
    forward_passes: int = 0
    reconnects: int = 0
    requeued: int = 0


class QueueStatusOut(BaseModel):
    depth: int
    max_depth: int
    dead_letters: int
    workers: list[WorkerHealthOut]


class DeadLetterOut(BaseModel):
    dead_id: str
    comment_id: str
    job_id: str | None
    original_id: str
    deliveries: int
    error: str
    failed_at: int


class DeadLettersOut(BaseModel):
    dead_letters: list[DeadLetterOut]


class RetriedOut(BaseModel):
    retried: list[str]


class DroppedOut(BaseModel):
    dropped: list[str]


# --- rescoring


class RescoreFiltersOut(BaseModel):
    site: str | None
    article_id: str | None
    since: str | None
    until: str | None
    decision: str | None
    all: bool


class RescoreJobOut(BaseModel):
    id: str
    status: str = Field(description="pending, running, paused, done or failed")
    filters: RescoreFiltersOut
    policy_only: bool
    dry_run: bool
    total: int
    processed: int
    changed: int
    cursor: str | None
    report: dict[str, Any] = Field(
        description="when done: transitions, changed, unchanged, disagreements (a dry run: by_decision); "
        "when failed: error"
    )
    created_by: str
    created_at: str | None
    finished_at: str | None


# --- review


class QueueItemOut(BaseModel):
    id: str
    text: str
    site: str
    article_id: str | None
    article_title: str | None
    author_id: str | None
    decision: str | None
    decided_by: str | None
    top_score: float | None
    reasons: list[ReasonOut]
    civility: dict[str, float] | None
    spans: list[SpanOut]
    on_topic: float | None
    stance: dict[str, float] | None
    sentiment: dict[str, float] | None
    model_version: str | None
    policy_version: str | None
    claimed_by: str | None
    claimed_until: str | None
    created_at: str
    parent_id: str | None = None
    report_count: int = 0
    reports: dict[str, int] = Field(default_factory=dict, description="readers' report reason -> count")


class ReviewPageOut(BaseModel):
    items: list[QueueItemOut]
    total: int
    page: int
    per_page: int
    pages: int


class RejectionReasonOut(BaseModel):
    code: str
    label: str


class RejectionReasonsOut(BaseModel):
    reasons: list[RejectionReasonOut]


class ClaimOut(BaseModel):
    comment_id: str
    claimed_by: str
    claimed_until: str


class ReleaseOut(BaseModel):
    comment_id: str
    released: bool


class DecidedOut(BaseModel):
    comment_id: str
    decision: str
    previous: str | None
    decided_by: str
    batch: str


class RefusedOut(BaseModel):
    comment_id: str
    message: str


class BulkOut(BaseModel):
    batch: str
    decided: list[DecidedOut]
    refused: list[RefusedOut]


class UndoOut(BaseModel):
    restored: list[DecidedOut]


class HistoryEventOut(BaseModel):
    at: str
    kind: str
    actor: str
    summary: str
    decision: str | None
    model_version: str | None
    policy_version: str | None
    reason: str | None
    note: str | None
    details: dict[str, Any]


class HistoryOut(BaseModel):
    comment_id: str
    decision: str | None
    decided_by: str | None
    events: list[HistoryEventOut]


# --- operations


class IndexOut(BaseModel):
    """What ``GET /`` answers: where to go next (paths on this server)."""

    service: str = Field(description="what this server is")
    docs: str = Field(description="the OpenAPI document, browsable")
    openapi: str
    moderator_ui: str = Field(description="the moderators' queue (sign in with a moderator key)")
    demo: str = Field(
        description="the demo article with the comment widget (when MODERATION_DEMO is on; not in production)"
    )
    health: str
    ready: str


class HealthOut(BaseModel):
    status: str


class ReadyChecksOut(BaseModel):
    store: str
    redis: str
    model: str


class ReadyOut(BaseModel):
    status: str = Field(description="ready or not ready")
    checks: ReadyChecksOut
    missing_heads: list[str]
    model_version: str | None
