"""Perspective's messages (``google.commentanalyzer.v1alpha1``) as Pydantic models: the requests are validated
with them (``proto_json.validate``), the responses are checked against them, and the discovery document's
``schemas`` are generated from them (``discovery.py``), so what we validate and what generated clients see is
one thing.

Field names are the proto's snake_case; on the wire they are lowerCamelCase (``alias``) and, as Google's
front end allows, snake_case too. Types follow proto3 JSON: a string field takes only a string, a bool only
``true``/``false``, a float or an int32 a number or a numeric string, an enum its name (or number). Unknown
fields are refused. Descriptions are Google's (discovery document revision 20200405), ours where marked.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, StrictStr
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError

from api.schemas import path_safe


class TextType(StrEnum):
    TEXT_TYPE_UNSPECIFIED = "TEXT_TYPE_UNSPECIFIED"
    PLAIN_TEXT = "PLAIN_TEXT"
    HTML = "HTML"


class ScoreType(StrEnum):
    SCORE_TYPE_UNSPECIFIED = "SCORE_TYPE_UNSPECIFIED"
    PROBABILITY = "PROBABILITY"
    STD_DEV_SCORE = "STD_DEV_SCORE"
    PERCENTILE = "PERCENTILE"
    RAW = "RAW"


def _number(value: Any, kind: str) -> Any:
    if isinstance(value, bool):
        raise PydanticCustomError(f"{kind}_type", "not a number")
    if isinstance(value, str):  # proto3 JSON: numbers may come as strings ("0.5", "NaN", "Infinity")
        try:
            return float(value) if kind == "float" else int(value)
        except ValueError:
            raise PydanticCustomError(f"{kind}_type", "not a number") from None
    if kind == "int" and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _enum_number(members: type[StrEnum]) -> Any:
    def by_number(value: Any) -> Any:  # proto3 JSON: an enum may come as its number
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < len(members):
            return list(members)[value]
        return value

    return BeforeValidator(by_number)


ProtoFloat = Annotated[float, BeforeValidator(lambda v: _number(v, "float"))]
ProtoInt = Annotated[int, BeforeValidator(lambda v: _number(v, "int"))]
ProtoTextType = Annotated[TextType, _enum_number(TextType)]
ProtoScoreType = Annotated[ScoreType, _enum_number(ScoreType)]


class ProtoMessage(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")

    def to_json(self) -> dict[str, Any]:
        """proto3 JSON: lowerCamelCase names, unset fields left out."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


# ---- shared messages


class TextEntry(ProtoMessage):
    """Represents a body of text."""

    text: StrictStr | None = Field(None, description="UTF-8 encoded text.")
    type: ProtoTextType | None = Field(None, description="Type of the text field.")


class ArticleAndParentComment(ProtoMessage):
    """A type of context specific to a comment left on a single-threaded comment message board, where
    comments are either a top level comment or the child of a top level comment."""

    article: TextEntry | None = Field(
        None,
        description="The source content about which the comment was made (article text, article summary, "
        "video transcript, etc). Here: the article OFF_TOPIC and STANCE_* are measured against.",
    )
    parent_comment: TextEntry | None = Field(
        None,
        description="Refers to text that is a direct parent of the source comment, such as in a one-deep "
        "threaded message board. This field will only be present for comments that are replies to other "
        "comments and will not be populated for direct comments on the article_text. Here: a reply that "
        "answers an on-topic parent counts as on topic (OFF_TOPIC).",
    )


class Context(ProtoMessage):
    """Context is typically something that a Comment is referencing or replying to (such as an article, or
    previous comment). Note: Populate only ONE OF the following fields. The oneof syntax cannot be used
    because that would require nesting entries inside another message and breaking backwards
    compatibility. The server will return an error if more than one of the following fields is present."""

    article_and_parent_comment: ArticleAndParentComment | None = Field(
        None,
        description="Information about the source for which the original comment was made, and any "
        "parent comment info.",
    )
    entries: list[TextEntry] | None = Field(
        None,
        description="A list of messages. For example, a linear comments section or forum thread. Here: "
        "their text (JSON metadata entries, such as Coral Talk's, left out) is the article.",
    )


class AttributeParameters(ProtoMessage):
    """Configurable parameters for attribute scoring."""

    score_threshold: ProtoFloat | None = Field(
        None,
        description="Don't return scores for this attribute that are below this threshold. If unset, "
        "a default threshold will be applied. A FloatValue wrapper is used to distinguish between 0 vs. "
        "default/unset.",
    )
    score_type: ProtoScoreType | None = Field(
        None, description="What type of scores to return. If unset, defaults to probability scores."
    )


class Score(ProtoMessage):
    """Analysis scores are described by a value and a ScoreType."""

    value: ProtoFloat | None = Field(None, description="Score value. Semantics described by type below.")
    type: ProtoScoreType | None = Field(None, description="The type of the above value.")


class SpanScore(ProtoMessage):
    """This is a single score for a given span of text."""

    begin: ProtoInt | None = Field(
        None,
        description='"begin" and "end" describe the span of the original text that the attribute score '
        'applies to. The values are the UTF-16 codepoint range. "end" is exclusive. For example, with the '
        'text "Hi there", the begin/end pair (0,2) describes the text "Hi". If "begin" and "end" are '
        "unset, the score applies to the full text.",
    )
    end: ProtoInt | None = None
    score: Score | None = Field(None, description="The score value.")


class AttributeScores(ProtoMessage):
    """This holds score values for a single attribute. It contains both per-span scores as well as an
    overall summary score.."""

    span_scores: list[SpanScore] | None = Field(None, description="Per-span scores.")
    summary_score: Score | None = Field(None, description="Merged summary score.")


# ---- comments.analyze


class AnalyzeCommentRequest(ProtoMessage):
    """The comment analysis request message."""

    comment: TextEntry | None = Field(None, description="The comment to analyze.")
    context: Context | None = Field(None, description="The context of the comment.")
    requested_attributes: dict[str, AttributeParameters | None] | None = Field(
        None,
        description="Specification of requested attributes. The AttributeParameters serve as configuration "
        "for each associated attribute. The map keys are attribute names. The available attributes may be "
        "different on each RFE installation, and can be seen by calling ListAttributes (see above). For the "
        "prod installation, known as Perspective API, at blog.perspectiveapi.com/specs/.",
    )
    languages: list[StrictStr] | None = Field(
        None,
        description="The language(s) of the comment and context. If none are specified, we attempt to "
        "automatically detect the language. Specifying multiple languages means the text contains multiple "
        "lanugages. Both ISO and BCP-47 language codes are accepted. The server returns an error if no "
        "language was specified and language detection fails. The server also returns an error if the "
        "languages (either specified by the caller, or auto-detected) are not *all* supported by the "
        "service.",
    )
    do_not_store: StrictBool | None = Field(
        None,
        description="Do not store the comment or context sent in this request. By default, the service "
        "may store comments/context for debugging purposes.",
    )
    client_token: StrictStr | None = Field(
        None, description="Opaque token that is echoed from the request to the response."
    )
    session_id: StrictStr | None = Field(
        None,
        description="Session ID. Used to join related RPCs into a single session. For example, an "
        "interactive tool that calls both the AnalyzeComment and SuggestCommentScore RPCs should set all "
        "invocations of both RPCs to the same Session ID, typically a random 64-bit integer.",
    )
    community_id: StrictStr | None = Field(
        None,
        description="Optional identifier associating this AnalyzeCommentRequest with a particular "
        "client's community. Different communities may have different norms and rules. Specifying this "
        "value enables us to explore building community-specific models for clients. Here: the site, when "
        "it is a valid site name.",
    )
    span_annotations: StrictBool | None = Field(
        None,
        description="An advisory parameter that will return span annotations if the model is capable "
        "of providing scores with sub-comment resolution. This will likely increase the size of the "
        "returned message.",
    )
    drop_unsupported_attributes: StrictBool | None = Field(
        None,
        description="If specified, any requested attribute that is requested but not supported for "
        "the language detected will be dropped from the returned scores instead of returning an error.",
    )
    article_id: StrictStr | None = Field(
        None,
        description="Extension of this server: the id of an article stored here (PUT "
        "/v1/articles/{id}) that OFF_TOPIC and STANCE_* are measured against.",
    )
    author_id: Annotated[StrictStr, AfterValidator(path_safe)] | None = Field(
        None,
        max_length=200,
        description="Extension of this server: the commenter's id on the site (communityId). A stored "
        "comment joins the author's history; bans, suspensions and trust rules judge it (the stored "
        "decision, seen by moderators). The scores answered are the model's, whatever the author.",
    )


class AnalyzeCommentResponse(ProtoMessage):
    """The comment analysis response message."""

    attribute_scores: dict[str, AttributeScores] | None = Field(
        None,
        description="Scores for the requested attributes. The map keys are attribute names (same as "
        'the requested_attribute field in AnalyzeCommentRequest, for example "ATTACK_ON_AUTHOR", '
        '"INFLAMMATORY", etc).',
    )
    languages: list[str] | None = Field(
        None,
        description="The language(s) used by CommentAnalyzer service to choose which Model to use when "
        'analyzing the comment. Might better be called "effective_languages". The logic used to make the '
        "choice is as follows: if !Request.languages.empty() effective_languages = Request.languages else "
        "effective_languages = detected_languages[0]",
    )
    detected_languages: list[str] | None = Field(
        None,
        description="Contains the languages detected from the text content, sorted in order of likelihood.",
    )
    client_token: str | None = Field(None, description="Same token from the original AnalyzeCommentRequest.")


# ---- comments.suggestscore


class SuggestCommentScoreRequest(ProtoMessage):
    """The comment score suggestion request message."""

    comment: TextEntry | None = Field(None, description="The comment being scored.")
    context: Context | None = Field(None, description="The context of the comment.")
    attribute_scores: dict[str, AttributeScores] | None = Field(
        None,
        description="Attribute scores for the comment. The map keys are attribute names, same as the "
        "requested_attribute field in AnalyzeCommentRequest. The AttributeScores message is used to "
        "represent both the summary score and the scores for each span. All SpanScore objects must have "
        "begin and end fields set. All Score objects must be explicitly set (for binary classification, use "
        "the score values 0 and 1). If Score objects don't include a ScoreType, `PROBABILITY` is assumed. "
        "`attribute_scores` must not be empty. The mapped AttributeScores objects also must not be empty. "
        "An `INVALID_ARGUMENT` error is returned for all malformed requests.",
    )
    languages: list[StrictStr] | None = Field(
        None,
        description="The language(s) of the comment and context. If none are specified, we attempt to "
        "automatically detect the language. Both ISO and BCP-47 language codes are accepted.",
    )
    community_id: StrictStr | None = Field(
        None,
        description="Optional identifier associating this comment score suggestion with a particular "
        "sub-community. Different communities may have different norms and rules. Specifying this value "
        "enables training of community-specific models.",
    )
    client_token: StrictStr | None = Field(
        None, description="Opaque token that is echoed from the request to the response."
    )
    session_id: StrictStr | None = Field(
        None,
        description="Session ID. Used to join related RPCs into a single session. For example, an "
        "interactive tool that calls both the AnalyzeComment and SuggestCommentScore RPCs should set all "
        "invocations of both RPCs to the same Session ID, typically a random 64-bit integer.",
    )


class SuggestCommentScoreResponse(ProtoMessage):
    """The comment score suggestion response message."""

    detected_languages: list[str] | None = Field(
        None, description="The list of languages detected from the comment text."
    )
    requested_languages: list[str] | None = Field(
        None, description="The list of languages provided in the request."
    )
    client_token: str | None = Field(
        None, description="Same token from the original SuggestCommentScoreRequest."
    )


REQUESTS: dict[str, type[ProtoMessage]] = {
    "analyze": AnalyzeCommentRequest,
    "suggestscore": SuggestCommentScoreRequest,
}
RESPONSES: dict[str, type[ProtoMessage]] = {
    "analyze": AnalyzeCommentResponse,
    "suggestscore": SuggestCommentScoreResponse,
}
# Every message, in the order the discovery document lists them.
MESSAGES: tuple[type[ProtoMessage], ...] = (
    AnalyzeCommentRequest,
    AnalyzeCommentResponse,
    ArticleAndParentComment,
    AttributeParameters,
    AttributeScores,
    Context,
    Score,
    SpanScore,
    SuggestCommentScoreRequest,
    SuggestCommentScoreResponse,
    TextEntry,
)


class DiscoveryDocument(BaseModel):
    """Google's REST discovery document (the main fields; the rest as Google's format has them)."""

    model_config = ConfigDict(extra="allow")

    kind: str
    discoveryVersion: str
    id: str
    name: str
    version: str
    rootUrl: str
    baseUrl: str
    batchPath: str
    parameters: dict[str, Any]
    schemas: dict[str, Any]
    resources: dict[str, Any]
