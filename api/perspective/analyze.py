"""Perspective API (v1alpha1) protocol: requests into domain values, ``Scores`` into Perspective's answer.

``parse_analyze`` validates a ``comments:analyze`` body exactly as far as Perspective does (required
``comment.text`` within 20 KB, at least one known requested attribute, PROBABILITY score type, thresholds in
[0, 1], supported languages) and raises ``PerspectiveError`` with Google's codes and wording otherwise.
``analyze_response`` builds ``attributeScores`` (summary + span scores, attributes under their requested
``scoreThreshold`` left out), ``languages``, ``detectedLanguages`` and the echoed ``clientToken``.
The ``comments:suggestscore`` side lives in ``suggest.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from api.perspective import attributes as attrs
from api.perspective import languages as lang
from api.perspective.errors import PerspectiveError, invalid
from api.perspective.proto_json import boolean, context_text, fields, number, string, strings, text_entry
from moderation.domain import Scores

MAX_TEXT_BYTES = 20480  # Perspective's documented limit for comment.text
SCORE_TYPES_KNOWN = frozenset({"SCORE_TYPE_UNSPECIFIED", "PROBABILITY", "STD_DEV_SCORE", "PERCENTILE", "RAW"})
ANALYZE_FIELDS = frozenset(
    {
        "comment",
        "context",
        "requestedAttributes",
        "languages",
        "doNotStore",
        "clientToken",
        "sessionId",
        "spanAnnotations",
        "communityId",
        "articleId",  # articleId: our extension (an article stored here)
    }
)


@dataclass(frozen=True)
class RequestedAttribute:
    name: str  # exactly as requested: the response key
    spec: attrs.AttributeSpec
    threshold: float | None = None
    score_type: str = "PROBABILITY"


@dataclass(frozen=True)
class AnalyzeRequest:
    text: str
    attributes: tuple[RequestedAttribute, ...]
    languages: tuple[str, ...] = ()  # as the client sent them (mirrored in the response)
    detected_languages: tuple[str, ...] = ("en",)
    span_annotations: bool = False
    do_not_store: bool = False
    client_token: str | None = None
    session_id: str | None = None
    community_id: str | None = None
    context_text: str | None = None
    article_id: str | None = None

    @property
    def needs_article(self) -> bool:
        return any(a.spec.needs_article for a in self.attributes)


def comment_text(value: Any, *, max_bytes: int = MAX_TEXT_BYTES) -> str:
    text = text_entry(value, where="comment")
    if text is None or not text.strip():
        raise invalid("Comment must be non-empty.", error_type="COMMENT_EMPTY")
    size = len(text.encode("utf-8"))
    if size > max_bytes:
        raise invalid(
            f"Comment text was too many bytes. Value ({size}) exceeded limit ({max_bytes}).",
            error_type="COMMENT_TOO_LONG",
        )
    return text


def _attribute(name: str, params: Any) -> RequestedAttribute:
    spec = attrs.lookup(name)
    if spec is None:
        if attrs.is_perspective_only(name):
            raise invalid(
                f"Attribute {name} is a Perspective attribute this server has no model for. "
                f"Supported attributes: {attrs.supported_list()}."
            )
        raise invalid(attrs.unknown_message(name))
    where = f"requested_attributes[{name}]"
    doc = fields(params, where=where, allowed=frozenset({"scoreType", "scoreThreshold"}))
    score_type = string(doc.get("scoreType"), where=f"{where}.score_type") or "PROBABILITY"
    if score_type not in SCORE_TYPES_KNOWN:
        raise invalid(
            f"Invalid value at '{where}.score_type' "
            f'(type.googleapis.com/google.commentanalyzer.v1alpha1.ScoreType), "{score_type}"'
        )
    if score_type not in ("PROBABILITY", "SCORE_TYPE_UNSPECIFIED"):
        raise invalid(
            f"Attribute {name} does not support score type {score_type}; only PROBABILITY is supported."
        )
    threshold = number(doc.get("scoreThreshold"), where=f"{where}.score_threshold")
    if threshold is not None and not 0.0 <= threshold <= 1.0:
        raise invalid(f"Attribute {name}: scoreThreshold must be between 0 and 1, got {threshold}.")
    return RequestedAttribute(name=name, spec=spec, threshold=threshold)


def requested_attributes(value: Any) -> tuple[RequestedAttribute, ...]:
    if value is not None and not isinstance(value, dict):
        raise invalid("Invalid value at 'requested_attributes': expected a map of attribute name to options.")
    if not value:
        raise invalid('requestedAttributes must contain at least one attribute, e.g. {"TOXICITY": {}}.')
    return tuple(_attribute(str(name), params) for name, params in value.items())


def resolve_languages(
    raw: list[str], text: str, *, attribute: str
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(languages to mirror, detected languages); refuses languages our models do not support."""
    codes = []
    for code in raw:
        normal = lang.normalize_code(code)
        if normal is None:
            raise invalid(f"Unable to parse language code: {code!r}.")
        codes.append(normal)
    detected = tuple(lang.detect(text))
    effective = codes or list(detected)
    bad = lang.unsupported(effective)
    if bad:
        raise invalid(
            f"Attribute {attribute} does not support request languages: {', '.join(dict.fromkeys(bad))}. "
            f"Supported languages: {', '.join(lang.SUPPORTED)}.",
            error_type="LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE",
            languageNotSupportedByAttributeError={
                "detectedLanguages": list(detected),
                "attribute": attribute,
            },
        )
    return (tuple(raw) if raw else detected), detected


def parse_analyze(doc: dict[str, Any], *, max_bytes: int = MAX_TEXT_BYTES) -> AnalyzeRequest:
    body = fields(doc, where="", allowed=ANALYZE_FIELDS)
    text = comment_text(body.get("comment"), max_bytes=max_bytes)
    attributes = requested_attributes(body.get("requestedAttributes"))
    languages, detected = resolve_languages(
        strings(body.get("languages"), where="languages"), text, attribute=attributes[0].name
    )
    request = AnalyzeRequest(
        text=text,
        attributes=attributes,
        languages=languages,
        detected_languages=detected,
        span_annotations=boolean(body.get("spanAnnotations"), where="span_annotations"),
        do_not_store=boolean(body.get("doNotStore"), where="do_not_store"),
        client_token=string(body.get("clientToken"), where="client_token"),
        session_id=string(body.get("sessionId"), where="session_id"),
        community_id=string(body.get("communityId"), where="community_id"),
        context_text=context_text(body.get("context")),
        article_id=string(body.get("articleId"), where="article_id"),
    )
    if request.needs_article and not (request.context_text or request.article_id):
        needing = next(a.name for a in attributes if a.spec.needs_article)
        raise invalid(
            f"Attribute {needing} needs an article: send its text in context.entries (or "
            "context.articleAndParentComment.article), or the id of a stored article as articleId."
        )
    return request


def _score(value: float, score_type: str) -> dict[str, Any]:
    return {"value": round(float(value), 6), "type": score_type}


def _spans(
    request: AnalyzeRequest, attr: RequestedAttribute, scores: Scores, value: float
) -> list[dict[str, Any]]:
    """Per-sentence spans when asked for and available, else one span over the whole text (as Perspective)."""
    spans: list[tuple[int, int, float]] = []
    if request.span_annotations:
        for span in scores.spans:
            span_value = attr.spec.span_value(span.scores)
            if span_value is not None:
                spans.append((span.begin, span.end, span_value))
    if not spans:
        spans = [(0, len(request.text), value)]
    return [
        {"begin": begin, "end": end, "score": _score(v, attr.score_type)}
        for begin, end, v in spans
        if attr.threshold is None or v >= attr.threshold
    ]


def analyze_response(request: AnalyzeRequest, scores: Scores) -> dict[str, Any]:
    """Perspective's ``AnalyzeCommentResponse``; 503 UNAVAILABLE if an attribute's model is not loaded."""
    attribute_scores: dict[str, Any] = {}
    for attr in request.attributes:
        value = attr.spec.value(scores)
        if value is None:
            raise PerspectiveError(
                f"Attribute {attr.name} is temporarily unavailable: the {attr.spec.classifier} model is not "
                "loaded on this server.",
                http_code=503,
            )
        if attr.threshold is not None and value < attr.threshold:
            continue
        attribute_scores[attr.name] = {
            "spanScores": _spans(request, attr, scores, value),
            "summaryScore": _score(value, attr.score_type),
        }
    response: dict[str, Any] = {
        "attributeScores": attribute_scores,
        "languages": list(request.languages),
        "detectedLanguages": list(request.detected_languages),
    }
    if request.client_token is not None:
        response["clientToken"] = request.client_token
    return response
