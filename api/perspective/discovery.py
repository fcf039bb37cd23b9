"""A Google API discovery document for our Perspective endpoint.

Google's client libraries build the Perspective client from ``<root>/$discovery/rest?version=v1alpha1``; the
Python one, for instance, with ``discovery.build("commentanalyzer", "v1alpha1", developerKey=KEY,
discoveryServiceUrl=URL, static_discovery=False)``. Serving this document at that path lets such code move to
us by changing ``URL`` only.

The ``schemas`` are generated from the very Pydantic models that validate the requests (``schemas.py``):
every property typed (``string``, ``boolean``, ``number``/``float``, ``integer``/``int32``, enums with their
values, ``$ref`` to other messages, arrays, maps as ``additionalProperties``) with Google's descriptions, so
generated clients are typed. The global ``parameters`` are Google's standard set, ``fields`` included (the
Python client refuses a keyword the document does not declare); ``batchPath`` is ``batch``, as Google's.
"""

from __future__ import annotations

import typing
from enum import Enum
from typing import Any

from pydantic import BaseModel

from api.perspective.proto_json import unwrap
from api.perspective.schemas import MESSAGES, ScoreType, TextType
from moderation import __version__

API_VERSION = "v1alpha1"

ENUM_DESCRIPTIONS: dict[type[Enum], list[str]] = {
    TextType: [
        "The content type is not specified. Text will be interpreted as plain text by default.",
        "Plain text.",
        "HTML.",
    ],
    ScoreType: [
        "Unspecified. Defaults to PROBABILITY scores if available, and otherwise RAW. Every model "
        "has a RAW score.",
        "Probability scores are in the range [0, 1] and indicate level of confidence in the attribute label.",
        "Standard deviation scores are in the range (-inf, +inf).",
        "Percentile scores are in the range [0, 1] and indicate the percentile of the raw "
        "score, normalized with a test dataset. This is not generally recommended, as the "
        "normalization is dependent on the dataset used, which may not match other usecases.",
        "Raw scores are the raw values from the model, and may take any value. This is primarily "
        "for debugging/testing, and not generally recommended.",
    ],
}


def _param(kind: str, description: str, **more: Any) -> dict[str, Any]:
    return {"type": kind, "location": "query", "description": description, **more}


# Google's standard query parameters (every discovery document of commentanalyzer has them)
PARAMETERS: dict[str, Any] = {
    "$.xgafv": _param(
        "string", "V1 error format.", enum=["1", "2"], enumDescriptions=["v1 error format", "v2 error format"]
    ),
    "access_token": _param("string", "OAuth access token."),
    "alt": _param(
        "string",
        "Data format for response.",
        default="json",
        enum=["json", "media", "proto"],
        enumDescriptions=[
            "Responses with Content-Type of application/json",
            "Media download with context-dependent Content-Type",
            "Responses with Content-Type of application/x-protobuf",
        ],
    ),
    "callback": _param("string", "JSONP"),
    "fields": _param("string", "Selector specifying which fields to include in a partial response."),
    "key": _param(
        "string",
        "API key. Your API key identifies your project and provides you with API access, "
        "quota, and reports. Required unless you provide an OAuth 2.0 token.",
    ),
    "oauth_token": _param("string", "OAuth 2.0 token for the current user."),
    "prettyPrint": _param("boolean", "Returns response with indentations and line breaks.", default="true"),
    "quotaUser": _param(
        "string",
        "Available to use for quota purposes for server-side applications. Can be "
        "any arbitrary string assigned to a user, but should not exceed 40 characters.",
    ),
    "uploadType": _param("string", 'Legacy upload protocol for media (e.g. "media", "multipart").'),
    "upload_protocol": _param("string", 'Upload protocol for media (e.g. "raw", "multipart").'),
}


def property_schema(annotation: Any) -> dict[str, Any]:
    """One field's type in the discovery format."""
    kind = unwrap(annotation)
    origin = typing.get_origin(kind)
    if origin is list:
        return {"type": "array", "items": property_schema(typing.get_args(kind)[0])}
    if origin is dict:
        return {"type": "object", "additionalProperties": property_schema(typing.get_args(kind)[1])}
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        return {"$ref": kind.__name__}
    if isinstance(kind, type) and issubclass(kind, Enum):
        values = [str(member.value) for member in kind]
        out: dict[str, Any] = {"type": "string", "enum": values}
        if kind in ENUM_DESCRIPTIONS:
            out["enumDescriptions"] = ENUM_DESCRIPTIONS[kind]
        return out
    if kind is bool:
        return {"type": "boolean"}
    if kind is int:
        return {"type": "integer", "format": "int32"}
    if kind is float:
        return {"type": "number", "format": "float"}
    if kind is str:
        return {"type": "string"}
    raise TypeError(f"no discovery type for {annotation!r}")


def message_schema(model: type[BaseModel]) -> dict[str, Any]:
    properties = {}
    for name, field in model.model_fields.items():
        schema = property_schema(field.annotation)
        if field.description:
            schema["description"] = field.description
        properties[field.alias or name] = schema
    description = " ".join((model.__doc__ or "").split())
    return {"id": model.__name__, "type": "object", "description": description, "properties": properties}


def _method(name: str, request: str, response: str, description: str) -> dict[str, Any]:
    return {
        "id": f"commentanalyzer.comments.{name}",
        "path": f"{API_VERSION}/comments:{name}",
        "flatPath": f"{API_VERSION}/comments:{name}",
        "httpMethod": "POST",
        "parameters": {},
        "parameterOrder": [],
        "request": {"$ref": request},
        "response": {"$ref": response},
        "description": description,
    }


def discovery_document(root_url: str) -> dict[str, Any]:
    """The REST discovery document, with ``rootUrl`` pointing at this server (``root_url`` ends in ``/``)."""
    return {
        "kind": "discovery#restDescription",
        "discoveryVersion": "v1",
        "id": f"commentanalyzer:{API_VERSION}",
        "name": "commentanalyzer",
        "canonicalName": "Comment Analyzer",
        "version": API_VERSION,
        "revision": __version__,
        "title": "Perspective Comment Analyzer API (self-hosted, compatible)",
        "description": "The Perspective Comment Analyzer API provides information about the potential impact "
        'of a comment on a conversation (e.g. it can provide a score for the "toxicity" of a comment). '
        "Self-hosted and compatible: scores come from this server's models.",
        "protocol": "rest",
        "rootUrl": root_url,
        "servicePath": "",
        "baseUrl": root_url,
        "batchPath": "batch",
        "parameters": PARAMETERS,
        "schemas": {model.__name__: message_schema(model) for model in MESSAGES},
        "resources": {
            "comments": {
                "methods": {
                    "analyze": _method(
                        "analyze",
                        "AnalyzeCommentRequest",
                        "AnalyzeCommentResponse",
                        "Analyzes the provided text and returns scores for requested attributes.",
                    ),
                    "suggestscore": _method(
                        "suggestscore",
                        "SuggestCommentScoreRequest",
                        "SuggestCommentScoreResponse",
                        "Suggest comment scores as training data.",
                    ),
                }
            }
        },
    }
