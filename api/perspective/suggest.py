"""Perspective's ``comments:suggestscore``: parse a client's suggested scores, format the answer (the domain
stores them as a training label: ``moderation.review.labels.save_suggestion``).

Perspective's rules, kept: ``comment.text`` is required, ``attributeScores`` must not be empty and no entry
in it may be empty, every score is a probability (type PROBABILITY assumed when absent), every span score has
``begin`` and ``end`` (UTF-16 code units, as in ``analyze``; stored in code points, the domain's unit).
Suggestions may name any attribute Perspective or this server knows (they are feedback, not requests), and
the comment statuses older Coral Talk sends as attribute names (``{"APPROVED": {"summaryScore": {"value":
1}}}``, ``DELETED``) are kept as the moderator's decision they are. The answer has the echoed ``clientToken``,
``detectedLanguages`` and ``requestedLanguages`` (each left out when empty, as proto3 JSON does).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from api.perspective import attributes as attrs
from api.perspective import languages as lang
from api.perspective.analyze import MAX_TEXT_BYTES, comment_text
from api.perspective.context import read_context
from api.perspective.errors import invalid
from api.perspective.proto_json import validate
from api.perspective.schemas import Score, ScoreType, SpanScore, SuggestCommentScoreRequest
from api.perspective.utf16 import Utf16Offsets
from moderation.language import LanguageDetector

STATUS_DECISIONS = {"APPROVED": "approve", "DELETED": "reject", "REJECTED": "reject"}


@dataclass(frozen=True)
class SuggestedSpan:
    begin: int  # code points of the comment text
    end: int
    value: float


@dataclass(frozen=True)
class Suggestion:
    text: str
    summary: dict[str, float]  # attribute (base name) -> suggested summary score
    spans: dict[str, tuple[SuggestedSpan, ...]] = field(default_factory=dict)
    decision: str | None = None  # approve / reject, from older Coral Talk's status "attributes"
    languages: tuple[str, ...] = ()
    detected_languages: tuple[str, ...] = ("en",)
    community_id: str | None = None
    client_token: str | None = None
    session_id: str | None = None
    context_text: str | None = None
    context_metadata: tuple[dict[str, Any], ...] = ()

    def label(self) -> dict[str, Any]:
        """The ``labels.label`` document (the text goes in ``labels.text``)."""
        doc = {
            "attributes": dict(self.summary),
            "spans": {k: [vars(s) for s in v] for k, v in self.spans.items()},
            "languages": list(self.languages or self.detected_languages),
            "community_id": self.community_id,
            "client_token": self.client_token,
            "session_id": self.session_id,
            "context": self.context_text,
            "context_metadata": list(self.context_metadata),
        }
        if self.decision is not None:
            doc["decision"] = self.decision
        return doc


def _probability(score: Score | None, *, where: str) -> float:
    score = score or Score.model_validate({})
    if score.type not in (None, ScoreType.PROBABILITY, ScoreType.SCORE_TYPE_UNSPECIFIED):
        raise invalid(f"{where}: only PROBABILITY scores can be suggested, got {score.type.value}.")
    if score.value is None or not 0.0 <= score.value <= 1.0:
        raise invalid(f"{where}.value must be a probability between 0 and 1.")
    return score.value


def _span(span: SpanScore, *, where: str, units: Utf16Offsets) -> SuggestedSpan:
    if span.begin is None or span.end is None:
        raise invalid(f"{where}: every span score must have begin and end set.")
    begin, end = units.code_point(span.begin), units.code_point(span.end)
    if begin is None or end is None or not begin < end:
        raise invalid(
            f"{where}: span [{span.begin}, {span.end}) is not a range of the comment (length {units.length} "
            "UTF-16 code units)."
        )
    return SuggestedSpan(begin, end, _probability(span.score, where=f"{where}.score"))


def _known(name: str) -> str:
    if name.upper() in STATUS_DECISIONS:
        return name.upper()
    if attrs.lookup(name) is None and not attrs.is_perspective_only(name):
        raise invalid(attrs.unknown_message(name))
    return attrs.base_name(name)


def parse_suggest(
    doc: dict[str, Any], *, max_bytes: int = MAX_TEXT_BYTES, detector: LanguageDetector | None = None
) -> Suggestion:
    body = validate(SuggestCommentScoreRequest, doc)
    text = comment_text(body.comment, max_bytes=max_bytes)
    if not body.attribute_scores:
        raise invalid("attributeScores must not be empty.")
    units = Utf16Offsets(text)
    summary: dict[str, float] = {}
    spans: dict[str, tuple[SuggestedSpan, ...]] = {}
    decision = None
    for raw_name, entry in body.attribute_scores.items():
        name, where = _known(raw_name), f"attribute_scores[{raw_name}]"
        if entry.summary_score is None and not entry.span_scores:
            raise invalid(f"{where} must not be empty: give a summaryScore, spanScores or both.")
        if name in STATUS_DECISIONS:
            value = _probability(entry.summary_score, where=f"{where}.summary_score")
            decision = STATUS_DECISIONS[name] if value >= 0.5 else decision
            continue
        if entry.summary_score is not None:
            summary[name] = _probability(entry.summary_score, where=f"{where}.summary_score")
        if entry.span_scores:
            spans[name] = tuple(
                _span(s, where=f"{where}.span_scores[{i}]", units=units)
                for i, s in enumerate(entry.span_scores)
            )
    context = read_context(body.context)
    codes = list(body.languages or [])
    for code in codes:
        if lang.normalize_code(code) is None:
            raise invalid(f"Unable to parse language code: {code!r}.")
    return Suggestion(
        text=text,
        summary=summary,
        spans=spans,
        decision=decision,
        languages=tuple(codes),
        detected_languages=tuple(lang.detect(text, detector)),
        community_id=body.community_id,
        client_token=body.client_token,
        session_id=body.session_id,
        context_text=context.article,
        context_metadata=context.metadata,
    )


def suggest_response(suggestion: Suggestion) -> dict[str, Any]:
    """``SuggestCommentScoreResponse``: empty lists and an absent token left out (proto3 JSON)."""
    out: dict[str, Any] = {}
    if suggestion.detected_languages:
        out["detectedLanguages"] = list(suggestion.detected_languages)
    if suggestion.languages:
        out["requestedLanguages"] = list(suggestion.languages)
    if suggestion.client_token is not None:
        out["clientToken"] = suggestion.client_token
    return out
