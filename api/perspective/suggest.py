"""Perspective's ``comments:suggestscore``: parse a client's suggested scores, format the answer (the domain
stores them as a training label: ``moderation.review.labels.save_suggestion``).

Perspective's rules, kept: ``comment.text`` is required, ``attributeScores`` must not be empty and no entry
in it may be empty, every score is a probability (type PROBABILITY assumed when absent), every span score has
``begin`` and ``end``. The answer is ``{"clientToken": ...}`` (the token echoed; ``{}`` without one).
Suggestions may name any attribute Perspective or this server knows (they are feedback, not requests).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from api.perspective import attributes as attrs
from api.perspective import languages as lang
from api.perspective.analyze import MAX_TEXT_BYTES, comment_text
from api.perspective.errors import invalid
from api.perspective.proto_json import context_text, fields, integer, number, string, strings

SUGGEST_FIELDS = frozenset(
    {
        "comment",
        "context",
        "attributeScores",
        "languages",
        "communityId",
        "clientToken",
        "sessionId",
    }
)


@dataclass(frozen=True)
class SuggestedSpan:
    begin: int
    end: int
    value: float


@dataclass(frozen=True)
class Suggestion:
    text: str
    summary: dict[str, float]  # attribute (base name) -> suggested summary score
    spans: dict[str, tuple[SuggestedSpan, ...]] = field(default_factory=dict)
    languages: tuple[str, ...] = ()
    detected_languages: tuple[str, ...] = ("en",)
    community_id: str | None = None
    client_token: str | None = None
    session_id: str | None = None
    context_text: str | None = None

    def label(self) -> dict[str, Any]:
        """The ``labels.label`` document (the text goes in ``labels.text``)."""
        return {
            "attributes": dict(self.summary),
            "spans": {k: [vars(s) for s in v] for k, v in self.spans.items()},
            "languages": list(self.languages or self.detected_languages),
            "community_id": self.community_id,
            "client_token": self.client_token,
            "session_id": self.session_id,
            "context": self.context_text,
        }


def _probability(value: Any, *, where: str) -> float:
    score = fields(value, where=where, allowed=frozenset({"value", "type"}))
    kind = string(score.get("type"), where=f"{where}.type") or "PROBABILITY"
    if kind not in ("PROBABILITY", "SCORE_TYPE_UNSPECIFIED"):
        raise invalid(f"{where}: only PROBABILITY scores can be suggested, got {kind}.")
    number_value = number(score.get("value"), where=f"{where}.value")
    if number_value is None or not 0.0 <= number_value <= 1.0:
        raise invalid(f"{where}.value must be a probability between 0 and 1.")
    return number_value


def _span(value: Any, *, where: str, text_length: int) -> SuggestedSpan:
    doc = fields(value, where=where, allowed=frozenset({"begin", "end", "score"}))
    begin = integer(doc.get("begin"), where=f"{where}.begin")
    end = integer(doc.get("end"), where=f"{where}.end")
    if begin is None or end is None:
        raise invalid(f"{where}: every span score must have begin and end set.")
    if not 0 <= begin < end <= text_length:
        raise invalid(f"{where}: span [{begin}, {end}) is outside the comment (length {text_length}).")
    return SuggestedSpan(begin, end, _probability(doc.get("score"), where=f"{where}.score"))


def _known(name: str) -> str:
    if attrs.lookup(name) is None and not attrs.is_perspective_only(name):
        raise invalid(attrs.unknown_message(name))
    return attrs.base_name(name)


def parse_suggest(doc: dict[str, Any], *, max_bytes: int = MAX_TEXT_BYTES) -> Suggestion:
    body = fields(doc, where="", allowed=SUGGEST_FIELDS)
    text = comment_text(body.get("comment"), max_bytes=max_bytes)
    scores = body.get("attributeScores")
    if not isinstance(scores, dict) or not scores:
        raise invalid("attributeScores must not be empty.")
    summary: dict[str, float] = {}
    spans: dict[str, tuple[SuggestedSpan, ...]] = {}
    for raw_name, value in scores.items():
        name, where = _known(str(raw_name)), f"attribute_scores[{raw_name}]"
        entry = fields(value, where=where, allowed=frozenset({"summaryScore", "spanScores"}))
        if entry.get("summaryScore") is None and not entry.get("spanScores"):
            raise invalid(f"{where} must not be empty: give a summaryScore, spanScores or both.")
        if entry.get("summaryScore") is not None:
            summary[name] = _probability(entry["summaryScore"], where=f"{where}.summary_score")
        raw_spans = entry.get("spanScores") or []
        if not isinstance(raw_spans, list):
            raise invalid(f"Invalid value at '{where}.span_scores': expected a list of span scores.")
        if raw_spans:
            spans[name] = tuple(
                _span(s, where=f"{where}.span_scores[{i}]", text_length=len(text))
                for i, s in enumerate(raw_spans)
            )
    codes = strings(body.get("languages"), where="languages")
    for code in codes:
        if lang.normalize_code(code) is None:
            raise invalid(f"Unable to parse language code: {code!r}.")
    return Suggestion(
        text=text,
        summary=summary,
        spans=spans,
        languages=tuple(codes),
        detected_languages=tuple(lang.detect(text)),
        community_id=string(body.get("communityId"), where="community_id"),
        client_token=string(body.get("clientToken"), where="client_token"),
        session_id=string(body.get("sessionId"), where="session_id"),
        context_text=context_text(body.get("context")),
    )


def suggest_response(suggestion: Suggestion) -> dict[str, Any]:
    return {} if suggestion.client_token is None else {"clientToken": suggestion.client_token}
