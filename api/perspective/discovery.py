"""A Google API discovery document for our Perspective endpoint.

Google's client libraries build the Perspective client from ``<root>/$discovery/rest?version=v1alpha1``; the
Python one, for instance, with ``discovery.build("commentanalyzer", "v1alpha1", developerKey=KEY,
discoveryServiceUrl=URL, static_discovery=False)``. Serving this document at that path lets such code move to
us by changing ``URL`` only. It describes the two methods we answer and the shapes they take.
"""

from __future__ import annotations

from typing import Any

from moderation import __version__

API_VERSION = "v1alpha1"


def _schema(name: str, description: str) -> dict[str, Any]:
    return {"id": name, "type": "object", "description": description}


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
        "description": "Scores comments for toxicity and related attributes; Perspective-compatible.",
        "protocol": "rest",
        "rootUrl": root_url,
        "servicePath": "",
        "baseUrl": root_url,
        "batchPath": "batch",
        "parameters": {
            "key": {"type": "string", "location": "query", "description": "API key."},
            "alt": {
                "type": "string",
                "location": "query",
                "default": "json",
                "enum": ["json"],
                "enumDescriptions": ["Responses with Content-Type of application/json"],
            },
        },
        "schemas": {
            "AnalyzeCommentRequest": _schema(
                "AnalyzeCommentRequest", "The comment analysis request message."
            ),
            "AnalyzeCommentResponse": _schema(
                "AnalyzeCommentResponse", "The comment analysis response message."
            ),
            "SuggestCommentScoreRequest": _schema(
                "SuggestCommentScoreRequest", "Suggested scores for a comment."
            ),
            "SuggestCommentScoreResponse": _schema("SuggestCommentScoreResponse", "Echoes the clientToken."),
        },
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
