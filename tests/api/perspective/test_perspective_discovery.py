"""The discovery document is generated from the Pydantic models that validate the requests: every field of
every message is there, typed; Google's standard parameters (``fields``) are declared; the batch path is
Google's."""

from __future__ import annotations

from perspective_helpers import Harness

from api.perspective.discovery import discovery_document
from api.perspective.schemas import MESSAGES


def test_schemas_come_from_the_validating_models() -> None:
    doc = discovery_document("https://mod.example.org/")
    schemas = doc["schemas"]
    assert set(schemas) == {m.__name__ for m in MESSAGES}
    for model in MESSAGES:
        aliases = {field.alias for field in model.model_fields.values()}
        assert set(schemas[model.__name__]["properties"]) == aliases, model.__name__
    request = schemas["AnalyzeCommentRequest"]["properties"]
    assert request["comment"] == {"$ref": "TextEntry", "description": "The comment to analyze."}
    assert request["requestedAttributes"]["additionalProperties"] == {"$ref": "AttributeParameters"}
    assert request["languages"]["type"] == "array" and request["languages"]["items"] == {"type": "string"}
    assert request["dropUnsupportedAttributes"]["type"] == "boolean"
    assert schemas["SpanScore"]["properties"]["begin"]["type"] == "integer"
    assert schemas["SpanScore"]["properties"]["begin"]["format"] == "int32"
    assert "UTF-16" in schemas["SpanScore"]["properties"]["begin"]["description"]
    assert schemas["Score"]["properties"]["value"] == {
        "type": "number",
        "format": "float",
        "description": "Score value. Semantics described by type below.",
    }
    assert schemas["TextEntry"]["properties"]["type"]["enum"] == [
        "TEXT_TYPE_UNSPECIFIED",
        "PLAIN_TEXT",
        "HTML",
    ]
    assert schemas["SuggestCommentScoreResponse"]["properties"]["requestedLanguages"]["type"] == "array"
    assert {"fields", "key", "alt", "prettyPrint", "quotaUser", "$.xgafv"} <= set(doc["parameters"])
    assert doc["batchPath"] == "batch" and doc["rootUrl"] == "https://mod.example.org/"


def test_served_document(harness: Harness) -> None:
    served = harness.client.get("/$discovery/rest?version=v1alpha1")
    assert served.status_code == 200
    assert served.json() == discovery_document(str(harness.client.base_url) + "/")
    missing = harness.client.get("/$discovery/rest?version=v9")
    assert missing.status_code == 404 and missing.json()["error"]["details"][0]["reason"] == "NOT_FOUND"
