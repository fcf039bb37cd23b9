"""Perspective API (v1alpha1) ``comments:analyze``: a validated request into domain values, ``Scores`` into
Perspective's answer.

``parse_analyze`` validates the body with ``schemas.AnalyzeCommentRequest`` and then Perspective's rules:
``comment.text`` non-empty and at most 20,480 bytes of UTF-8 (Perspective's limit and message), at least one
requested attribute, known attribute names, PROBABILITY scores, thresholds in [0, 1], the context, and every
attribute supported in the request's languages (requested, else detected) by the domain's language table.
An attribute that is not is refused with Google's ``LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE`` error, dropped
under ``dropUnsupportedAttributes``, or, when the operator chose to score through the language gate
(``MODERATION_PERSPECTIVE_UNSUPPORTED_LANGUAGES=score``), scored and marked.

``analyze_response`` builds ``attributeScores`` (summary + span scores in UTF-16 code units, attributes under
their requested ``scoreThreshold`` left out), ``languages``, ``detectedLanguages`` and the echoed
``clientToken``. The ``comments:suggestscore`` side lives in ``suggest.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from api.perspective import attributes as attrs
from api.perspective import languages as lang
from api.perspective.context import read_context
from api.perspective.errors import PerspectiveError, invalid
from api.perspective.proto_json import text_of, validate
from api.perspective.schemas import AnalyzeCommentRequest, AttributeParameters, ScoreType, TextEntry
from api.perspective.utf16 import Utf16Offsets
from moderation.domain import Scores
from moderation.language import LanguageDetector

MAX_TEXT_BYTES = 20480  # Perspective's documented limit for comment.text, in bytes of UTF-8
PROBABILITY = ScoreType.PROBABILITY.value


@dataclass(frozen=True)
class RequestedAttribute:
    name: str  # exactly as requested: the response key
    spec: attrs.AttributeSpec
    threshold: float | None = None
    support: str = lang.TRAINED  # trained | zero_shot | unsupported (scored by the operator's choice)


@dataclass(frozen=True)
class AnalyzeRequest:
    text: str
    attributes: tuple[RequestedAttribute, ...]  # those to score (empty when every one was dropped)
    languages: tuple[str, ...] = ()  # effective languages, as the client sent them (mirrored)
    detected_languages: tuple[str, ...] = ("en",)
    requested_languages: tuple[str, ...] = ()
    span_annotations: bool = False
    do_not_store: bool = False
    drop_unsupported: bool = False
    client_token: str | None = None
    session_id: str | None = None
    community_id: str | None = None
    article_text: str | None = None
    parent_comment: str | None = None
    article_id: str | None = None
    author_id: str | None = None

    @property
    def needs_article(self) -> bool:
        return any(a.spec.needs_article for a in self.attributes)

    @property
    def language_support(self) -> dict[str, str]:
        """Requested name -> support, for the attributes not plainly trained (said in a response header)."""
        return {a.name: a.support for a in self.attributes if a.support != lang.TRAINED}


def comment_text(entry: TextEntry | None, *, max_bytes: int = MAX_TEXT_BYTES) -> str:
    text = text_of(entry)
    if text is None or not text.strip():
        raise invalid("Comment must be non-empty.", error_type="COMMENT_EMPTY")
    size = len(text.encode("utf-8"))
    if size > max_bytes:
        raise invalid(
            f"Comment text was too many bytes. Value ({size}) exceeded limit ({max_bytes}).",
            error_type="COMMENT_TOO_LONG",
        )
    return text


@dataclass(frozen=True)
class _Wanted:
    name: str
    spec: attrs.AttributeSpec | None  # None: a Perspective attribute no model here serves
    threshold: float | None


def _attribute(name: str, params: AttributeParameters | None) -> _Wanted:
    spec = attrs.lookup(name)
    if spec is None and not attrs.is_perspective_only(name):
        raise invalid(attrs.unknown_message(name))
    params = params or AttributeParameters.model_validate({})
    score_type = params.score_type or ScoreType.PROBABILITY
    if score_type not in (ScoreType.PROBABILITY, ScoreType.SCORE_TYPE_UNSPECIFIED):
        raise invalid(f"Requested score type {score_type.value} is not supported by attribute {name}")
    threshold = params.score_threshold
    if threshold is not None and not 0.0 <= threshold <= 1.0:
        raise invalid(f"Attribute {name}: scoreThreshold must be between 0 and 1, got {threshold}.")
    return _Wanted(name=name, spec=spec, threshold=threshold)


def effective_languages(
    requested: list[str], text: str, detector: LanguageDetector | None = None
) -> tuple[list[str], tuple[str, ...]]:
    """(normalised effective languages, detected languages): the requested ones, else the detected first."""
    codes = []
    for code in requested:
        normal = lang.normalize_code(code)
        if normal is None:
            raise invalid(f"Unable to parse language code: {code!r}.")
        codes.append(normal)
    detected = tuple(lang.detect(text, detector))
    return (list(dict.fromkeys(codes)) or [detected[0]]), detected


def unsupported_language(
    name: str, languages: list[str], requested: list[str], detected: tuple[str, ...]
) -> PerspectiveError:
    """Google's refusal of an attribute for the request's languages (message and detail as Perspective's)."""
    which = {"requestedLanguages": requested} if requested else {"detectedLanguages": list(detected)}
    return invalid(
        f"Attribute {name} does not support request languages: {', '.join(languages)}",
        error_type="LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE",
        languageNotSupportedByAttributeError=which | {"attribute": name},
    )


def parse_analyze(
    doc: dict[str, Any],
    *,
    table: lang.LanguageTable,
    score_unsupported_languages: bool = False,
    max_bytes: int = MAX_TEXT_BYTES,
    detector: LanguageDetector | None = None,
) -> AnalyzeRequest:
    """A validated ``AnalyzeRequest``; ``PerspectiveError`` (400) with Google's wording otherwise."""
    body = validate(AnalyzeCommentRequest, doc)
    text = comment_text(body.comment, max_bytes=max_bytes)
    if not body.requested_attributes:
        raise invalid("Missing requested_attributes", error_type="NO_REQUESTED_ATTRIBUTES")
    wanted = [_attribute(name, params) for name, params in body.requested_attributes.items()]
    context = read_context(body.context)
    requested = list(body.languages or [])
    languages, detected = effective_languages(requested, text, detector)
    kept: list[RequestedAttribute] = []
    for want in wanted:
        support = lang.support(want.spec.classifier if want.spec else None, languages, table)
        if support is None and want.spec is not None and score_unsupported_languages:
            support = lang.UNSUPPORTED
        if support is None or want.spec is None:
            if body.drop_unsupported_attributes:
                continue
            raise unsupported_language(want.name, languages, requested, detected)
        kept.append(RequestedAttribute(want.name, want.spec, want.threshold, support))
    request = AnalyzeRequest(
        text=text,
        attributes=tuple(kept),
        languages=tuple(requested) if requested else (languages[0],),
        detected_languages=detected,
        requested_languages=tuple(requested),
        span_annotations=bool(body.span_annotations),
        do_not_store=bool(body.do_not_store),
        drop_unsupported=bool(body.drop_unsupported_attributes),
        client_token=body.client_token,
        session_id=body.session_id,
        community_id=body.community_id,
        article_text=context.article,
        parent_comment=context.parent_comment,
        article_id=body.article_id,
        author_id=body.author_id or None,
    )
    if request.needs_article and not (request.article_text or request.article_id):
        needing = next(a.name for a in request.attributes if a.spec.needs_article)
        raise invalid(
            f"Attribute {needing} needs an article: send its text in context.articleAndParentComment.article "
            "(or context.entries), or the id of a stored article as articleId."
        )
    return request


def _score(value: float) -> dict[str, Any]:
    return {"value": round(float(value), 6), "type": PROBABILITY}


def _spans(
    request: AnalyzeRequest, attr: RequestedAttribute, scores: Scores, value: float, units: Utf16Offsets
) -> list[dict[str, Any]]:
    """Per-sentence spans when asked for and available, else one span over the whole text (as Perspective);
    offsets in UTF-16 code units, end exclusive."""
    spans: list[tuple[int, int, float]] = []
    if request.span_annotations:
        for span in scores.spans:
            span_value = attr.spec.span_value(span.scores)
            if span_value is not None:
                spans.append((units.units(span.begin), units.units(span.end), span_value))
    if not spans:
        spans = [(0, units.length, value)]
    return [
        {"begin": begin, "end": end, "score": _score(v)}
        for begin, end, v in spans
        if attr.threshold is None or v >= attr.threshold
    ]


def analyze_response(request: AnalyzeRequest, scores: Scores | None) -> dict[str, Any]:
    """Perspective's ``AnalyzeCommentResponse``. An attribute whose model is not loaded is a 503 UNAVAILABLE;
    one the domain's language gate would not score is refused (or dropped) as Google does."""
    attribute_scores: dict[str, Any] = {}
    units = Utf16Offsets(request.text)
    for attr in request.attributes:
        value = None if scores is None else attr.spec.value(scores)
        if value is None and scores is not None and attr.spec.classifier in scores.unavailable:
            raise PerspectiveError(
                f"Attribute {attr.name} is temporarily unavailable: the {attr.spec.classifier} model is not "
                "loaded on this server.",
                http_code=503,
                retry_after=30,
            )
        if value is None or scores is None:  # not scored for this text's language
            if request.drop_unsupported:
                continue
            raise unsupported_language(
                attr.name,
                [lang.normalize_code(code) or code for code in request.languages],
                list(request.requested_languages),
                request.detected_languages,
            )
        if attr.threshold is not None and value < attr.threshold:
            continue
        attribute_scores[attr.name] = {
            "spanScores": _spans(request, attr, scores, value, units),
            "summaryScore": _score(value),
        }
    response: dict[str, Any] = {
        "attributeScores": attribute_scores,
        "languages": list(request.languages),
        "detectedLanguages": list(request.detected_languages),
    }
    if request.client_token is not None:
        response["clientToken"] = request.client_token
    return response
