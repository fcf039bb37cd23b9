"""The discovery document is generated from the Pydantic models that validate the requests: every field of
every message is there, typed; Google's standard parameters (``fields``) are declared; the batch path is
Google's."""

from __future__ import annotations

from perspective_helpers import Harness, KeywordRuntime

from api.perspective.discovery import discovery_document
from api.perspective.schemas import MESSAGES
from moderation.config import Settings


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


def test_root_url_comes_from_the_public_url_or_varies_by_host(harness: Harness, settings: Settings) -> None:
    """rootUrl copied the request's Host with no Cache-Control or Vary: a shared cache could hand one Host's
    rootUrl (an attacker's) to every client. Without MODERATION_PUBLIC_URL the answer is private and varies
    by Host; with it, rootUrl is that URL whatever the Host, and the document is cacheable."""
    spoofed = harness.client.get("/$discovery/rest", headers={"Host": "evil.example"})
    assert spoofed.status_code == 200 and spoofed.json()["rootUrl"] == "http://evil.example/"
    assert spoofed.headers["vary"] == "Host" and spoofed.headers["cache-control"] == "private, max-age=300"

    configured = Harness(settings, KeywordRuntime(), public_url="https://mod.example.org/api")
    try:
        answer = configured.client.get("/$discovery/rest", headers={"Host": "evil.example"})
        assert answer.status_code == 200
        assert answer.json()["rootUrl"] == answer.json()["baseUrl"] == "https://mod.example.org/api/"
        assert answer.headers["cache-control"] == "public, max-age=3600" and "vary" not in answer.headers
    finally:
        configured.close()


def test_the_public_url_setting_is_a_base_url(settings: Settings) -> None:
    for bad in ("mod.example.org", "ftp://mod.example.org", "https://mod.example.org/?x=1", "https://a b/"):
        try:
            Settings(_env_file=None, public_url=bad)  # type: ignore[call-arg]
        except ValueError:
            continue
        raise AssertionError(f"accepted {bad!r}")
    assert (
        Settings(_env_file=None, public_url="https://m.example:8443").public_root == "https://m.example:8443/"
    )  # type: ignore[call-arg]
