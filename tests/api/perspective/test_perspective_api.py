"""Replay the requests real Perspective clients send and compare the answers field by field with the
documented protocol (through HTTP, real SQLite and Redis; keyword runtime for exact civility numbers)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from perspective_helpers import Harness, KeywordRuntime, keyword_civility
from sqlalchemy import select

from moderation.config import Settings
from moderation.store.tables import CommentRow, DecisionRecord, Label

TEXT = "What kind of idiot name is foo? Sorry, I like your name."
PROBABILITY = "PROBABILITY"


def google_error(response: Any, code: int, status: str) -> str:
    assert response.status_code == code, response.text
    body = response.json()
    assert set(body) == {"error"} and {"code", "message", "status", "details"} <= set(body["error"])
    assert isinstance(body["error"]["details"][0], dict)  # PyPerspective reads details[0] of every error
    assert body["error"]["code"] == code and body["error"]["status"] == status
    message: str = body["error"]["message"]
    return message


def test_coral_talk_analyze_request(harness: Harness) -> None:
    # exactly what Coral Talk's perspective service posts to <endpoint>/comments:analyze?key=...
    body = {
        "comment": {"text": TEXT},
        "doNotStore": True,
        "requestedAttributes": {"SEVERE_TOXICITY": {}},
        "languages": ["en"],
    }
    response = harness.analyze(body)
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    out = response.json()
    assert set(out) == {"attributeScores", "languages", "detectedLanguages"}  # no clientToken: none was sent
    expected = round(keyword_civility(TEXT)["severe_toxicity"], 6)
    assert out["attributeScores"] == {
        "SEVERE_TOXICITY": {
            "spanScores": [{"begin": 0, "end": len(TEXT), "score": {"value": expected, "type": PROBABILITY}}],
            "summaryScore": {"value": expected, "type": PROBABILITY},
        }
    }
    assert out["languages"] == ["en"] and out["detectedLanguages"] == ["en"]


def test_common_client_request_with_all_options(harness: Harness) -> None:
    body = {
        "comment": {"text": TEXT, "type": "PLAIN_TEXT"},
        "requestedAttributes": {
            "TOXICITY": {"scoreType": PROBABILITY, "scoreThreshold": 0.5},
            "THREAT": {"scoreThreshold": 0.5},
            "INSULT@2": {},
        },
        "spanAnnotations": True,
        "clientToken": "req-17",
        "sessionId": "abc",
        "communityId": "forum/movies",
    }
    out = harness.analyze(body).json()
    assert out["clientToken"] == "req-17"
    assert set(out["attributeScores"]) == {"TOXICITY", "INSULT@2"}  # THREAT 0.01 < 0.5 left out
    assert out["languages"] == ["en"]  # none requested: the detected language is mirrored
    spans = out["attributeScores"]["TOXICITY"]["spanScores"]
    assert [(s["begin"], s["end"]) for s in spans] == [(0, 31)]  # second sentence 0.02 < threshold
    assert TEXT[0:31] == "What kind of idiot name is foo?"
    insult_spans = out["attributeScores"]["INSULT@2"]["spanScores"]
    assert [(s["begin"], s["end"]) for s in insult_spans] == [(0, 31), (32, len(TEXT))]
    assert all(s["score"]["type"] == PROBABILITY for s in insult_spans)


def test_key_in_headers_too(harness: Harness) -> None:
    body = {"comment": {"text": "hello there"}, "requestedAttributes": {"TOXICITY": {}}}
    url = "/v1alpha1/comments:analyze"
    assert harness.client.post(url, json=body, headers={"X-API-Key": harness.key}).status_code == 200
    assert (
        harness.client.post(url, json=body, headers={"Authorization": f"Bearer {harness.key}"}).status_code
        == 200
    )


def test_key_errors(harness: Harness) -> None:
    body = {"comment": {"text": "hello"}, "requestedAttributes": {"TOXICITY": {}}}
    missing = harness.client.post("/v1alpha1/comments:analyze", json=body)
    assert google_error(missing, 403, "PERMISSION_DENIED") == "The request is missing a valid API key."
    bad = harness.analyze(body, key="not-a-key")
    assert google_error(bad, 400, "INVALID_ARGUMENT") == "API key not valid. Please pass a valid API key."


def test_protocol_errors_over_http(harness: Harness) -> None:
    cases = [
        ({"comment": {"text": ""}, "requestedAttributes": {"TOXICITY": {}}}, "Comment must be non-empty."),
        (
            {"comment": {"text": "hi"}, "requestedAttributes": {"NOT_A_THING": {}}},
            "Unknown requested attribute: NOT_A_THING.",
        ),
        (
            {"comment": {"text": "x" * 20481}, "requestedAttributes": {"TOXICITY": {}}},
            "Comment text was too many bytes. Value (20481) exceeded limit (20480).",
        ),
        (
            {"comment": {"text": "hi"}, "requestedAttributes": {"TOXICITY": {}}, "languages": ["ru"]},
            "Attribute TOXICITY does not support request languages: ru",
        ),
        ({"comment": {"text": "hi"}, "requestedAttributes": {}}, "Missing requested_attributes"),
    ]
    for body, message in cases:
        assert google_error(harness.analyze(body), 400, "INVALID_ARGUMENT").startswith(message)
    raw = harness.client.post(
        f"/v1alpha1/comments:analyze?key={harness.key}",
        content=b"{not json",
        headers={"content-type": "application/json"},
    )
    assert google_error(raw, 400, "INVALID_ARGUMENT").startswith("Invalid JSON payload received.")


def test_errors_outside_the_route_are_google_shaped(harness: Harness) -> None:
    limit = harness.services.settings.perspective_max_body_bytes
    big = {"comment": {"text": "a" * (limit + 1)}, "requestedAttributes": {"TOXICITY": {}}}
    too_big = harness.analyze(big)
    assert google_error(too_big, 413, "INVALID_ARGUMENT")
    assert "over the limit" in too_big.json()["error"]["message"]
    unknown = harness.client.post(f"/v1alpha1/comments:nothing?key={harness.key}", json={})
    assert google_error(unknown, 404, "NOT_FOUND")


def test_unknown_article_id_extension_is_404(harness: Harness) -> None:
    body = {"comment": {"text": "hi"}, "requestedAttributes": {"OFF_TOPIC": {}}, "articleId": "nope"}
    assert "unknown article 'nope'" in google_error(harness.analyze(body), 404, "NOT_FOUND")


@pytest.mark.parametrize("database_url", ["sqlite", "postgres"], indirect=True)
def test_stored_like_moderate(harness: Harness) -> None:
    stored = {"comment": {"text": "You are a moron."}, "requestedAttributes": {"TOXICITY": {}}}
    assert harness.analyze(stored).status_code == 200
    with harness.services.sessions() as session:
        rows = list(session.scalars(select(CommentRow)))
        assert [r.text for r in rows] == ["You are a moron."] and rows[0].decision is not None
        records = list(session.scalars(select(DecisionRecord)))
        assert [r.source for r in records] == ["perspective"]


@pytest.mark.parametrize(
    "context",
    [
        {"entries": [{"text": "The city will build a new bridge.", "type": "PLAIN_TEXT"}]},
        {
            "articleAndParentComment": {
                "article": {"text": "<p>The city will build a <b>new bridge</b>.</p>", "type": "HTML"},
                "parentComment": {"text": "About time, the old one is falling apart."},
            }
        },
    ],
)
def test_own_attributes_with_context_article(harness: Harness, context: dict[str, Any]) -> None:
    body = {
        "comment": {"text": "I disagree with this plan."},
        "context": context,
        "requestedAttributes": {"OFF_TOPIC": {}, "STANCE_AGAINST": {}, "SENTIMENT_NEGATIVE": {}},
    }
    values = {
        k: v["summaryScore"]["value"] for k, v in harness.analyze(body).json()["attributeScores"].items()
    }
    assert values == {"OFF_TOPIC": 0.75, "STANCE_AGAINST": 0.6, "SENTIMENT_NEGATIVE": 0.7}


def test_coral_talk_suggestscore_becomes_a_label(harness: Harness) -> None:
    body = {
        "comment": {"text": "You are wrong, idiot."},
        "context": {
            "entries": [{"text": '{"url":"https://news.example/story?commentID=c1","Coral_comment_id":"c1"}'}]
        },
        "attributeScores": {"SEVERE_TOXICITY": {"summaryScore": {"value": 1}}},
        "languages": ["en"],
        "communityId": "Coral:https://news.example",
        "clientToken": "comment:c1",
    }
    response = harness.client.post(f"/v1alpha1/comments:suggestscore?key={harness.key}", json=body)
    assert response.status_code == 200
    assert response.json() == {
        "detectedLanguages": ["en"],
        "requestedLanguages": ["en"],
        "clientToken": "comment:c1",
    }
    with harness.services.sessions() as session:
        labels = list(session.scalars(select(Label)))
    assert (
        len(labels) == 1 and labels[0].source == "suggestscore" and labels[0].text == "You are wrong, idiot."
    )
    assert labels[0].actor == "perspective:coral"
    assert labels[0].label["attributes"] == {"SEVERE_TOXICITY": 1.0}
    assert labels[0].label["community_id"] == "Coral:https://news.example"
    bad = harness.client.post(
        f"/v1alpha1/comments:suggestscore?key={harness.key}",
        json={"comment": {"text": "x"}, "attributeScores": {}},
    )
    assert google_error(bad, 400, "INVALID_ARGUMENT") == "attributeScores must not be empty."


def test_quota_answers_429_resource_exhausted(settings: Settings) -> None:
    h = Harness(settings, KeywordRuntime(), perspective_quota=2, perspective_quota_window_s=60)
    try:
        body = {"comment": {"text": "hello"}, "requestedAttributes": {"TOXICITY": {}}}
        assert [h.analyze(body).status_code for _ in range(2)] == [200, 200]
        third = h.analyze(body)
        assert "Quota exceeded" in google_error(third, 429, "RESOURCE_EXHAUSTED")
        assert 1 <= int(third.headers["retry-after"]) <= 60
    finally:
        h.close()


def test_lone_surrogate_is_400_not_500(harness: Harness) -> None:
    raw = b'{"comment": {"text": "hi \\ud800"}, "requestedAttributes": {"TOXICITY": {}}}'
    response = harness.client.post(
        f"/v1alpha1/comments:analyze?key={harness.key}",
        content=raw,
        headers={"content-type": "application/json"},
    )
    assert "lone surrogate" in google_error(response, 400, "INVALID_ARGUMENT")


def test_community_id_is_the_site_when_it_is_a_site_name(harness: Harness) -> None:
    for community, text in (("forum.movies", "first comment"), ("/forum/movies", "second comment")):
        body = {"comment": {"text": text}, "requestedAttributes": {"TOXICITY": {}}, "communityId": community}
        assert harness.analyze(body).status_code == 200
    with harness.services.sessions() as session:
        sites = {row.text: row.site for row in session.scalars(select(CommentRow))}
    assert sites == {
        "first comment": "forum.movies",
        "second comment": harness.services.settings.default_site,
    }


def long_comment(size: int) -> str:
    """A reader's long comment (sentences, a quote, a link), repeated up to ``size`` bytes of ASCII."""
    paragraph = (
        'I read the whole council report, and the "protected lanes" on Main Street are only protected on '
        "paper: the plan (https://city.example/plan.pdf) leaves the bus stops unchanged, so cyclists will "
        "still weave into traffic twice per block. Ask the shop owners; they were never consulted. "
    )
    return (paragraph * (size // len(paragraph) + 1))[:size]


def test_texts_up_to_20480_bytes_are_scored(harness: Harness) -> None:
    """Perspective's limit is 20,480 bytes of UTF-8, not our policy's 10,000 code points."""
    text = long_comment(20480)
    response = harness.analyze(
        {"comment": {"text": text}, "requestedAttributes": {"TOXICITY": {}}, "doNotStore": True}
    )
    assert response.status_code == 200, response.text
    assert response.json()["attributeScores"]["TOXICITY"]["spanScores"][0]["end"] == 20480
    stored = harness.analyze({"comment": {"text": text}, "requestedAttributes": {"TOXICITY": {}}})
    assert stored.status_code == 200  # stored too, decided TOO_LONG by the policy like any long comment


RUSSIAN = "Статья плохая, и автор совсем не разбирается в велосипедных дорожках нашего города."


def test_unsupported_language_over_http_refused_dropped_or_scored(settings: Settings) -> None:
    """Russian: no civility data and no zero-shot measurement (models/languages.py), so unsupported."""
    body = {"comment": {"text": RUSSIAN}, "requestedAttributes": {"TOXICITY": {}}, "languages": ["ru"]}
    refusing = Harness(settings, KeywordRuntime())
    try:
        message = google_error(refusing.analyze(body), 400, "INVALID_ARGUMENT")
        assert message == "Attribute TOXICITY does not support request languages: ru"
        dropped = refusing.analyze(body | {"dropUnsupportedAttributes": True})
        assert dropped.status_code == 200
        assert dropped.json() == {"attributeScores": {}, "languages": ["ru"], "detectedLanguages": ["ru"]}
    finally:
        refusing.close()
    scoring = Harness(settings, KeywordRuntime(), perspective_unsupported_languages="score")
    try:
        # the request's language is not the text's: scored (the domain's gate reads the text, English here)
        response = scoring.analyze(body | {"comment": {"text": TEXT}})
        assert response.status_code == 200, response.text
        assert (
            response.json()["attributeScores"]["TOXICITY"]["summaryScore"]["value"]
            == keyword_civility(TEXT)["toxicity"]
        )
        assert response.headers["x-moderation-language-support"] == "TOXICITY=unsupported"
        # a Russian text: the domain never presents civility in a language it does not support
        assert google_error(scoring.analyze(body), 400, "INVALID_ARGUMENT").startswith("Attribute TOXICITY")
        english = scoring.analyze({"comment": {"text": TEXT}, "requestedAttributes": {"TOXICITY": {}}})
        assert "x-moderation-language-support" not in english.headers
        sexually_explicit = scoring.analyze(body | {"requestedAttributes": {"SEXUALLY_EXPLICIT": {}}})
        assert google_error(sexually_explicit, 400, "INVALID_ARGUMENT").startswith(
            "Attribute SEXUALLY_EXPLICIT"
        )
    finally:
        scoring.close()


def test_coral_talk_on_a_spanish_site(harness: Harness) -> None:
    """Coral sends languages ["es"] for a Spanish site. Spanish civility is zero-shot (models/languages.py):
    scored, and the answer says so in a header (Google's body has no place for it); a language without
    support keeps Google's error, which Coral logs and lets pass."""
    body = {
        "comment": {"text": "Este artículo es una vergüenza y el periodista no sabe nada de la ciudad."},
        "doNotStore": True,
        "requestedAttributes": {"TOXICITY": {}},
        "languages": ["es"],
    }
    scored = harness.analyze(body)
    assert scored.status_code == 200, scored.text
    assert "summaryScore" in scored.json()["attributeScores"]["TOXICITY"]
    assert scored.headers["x-moderation-language-support"] == "TOXICITY=zero_shot"
    error = harness.analyze(body | {"languages": ["ru"]}).json()["error"]
    assert error["details"][0]["errorType"] == "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE"
    assert error["details"][0]["languageNotSupportedByAttributeError"] == {
        "requestedLanguages": ["ru"],
        "attribute": "TOXICITY",
    }


def test_empty_body_and_no_content_type(harness: Harness) -> None:
    """An absent body reads as {} (Google's answer: COMMENT_EMPTY); the key is checked first."""
    url = "/v1alpha1/comments:analyze"
    empty = harness.client.post(f"{url}?key={harness.key}")
    assert google_error(empty, 400, "INVALID_ARGUMENT") == "Comment must be non-empty."
    bad_key = harness.client.post(f"{url}?key=mk_c_nope")
    assert google_error(bad_key, 400, "INVALID_ARGUMENT") == "API key not valid. Please pass a valid API key."
    assert bad_key.json()["error"]["details"][0]["reason"] == "API_KEY_INVALID"
    octet = harness.client.post(
        f"{url}?key={harness.key}",
        content=json.dumps({"comment": {"text": TEXT}, "requestedAttributes": {"TOXICITY": {}}}).encode(),
        headers={"content-type": "application/octet-stream"},  # an older perspectiveapi release
    )
    assert octet.status_code == 200


def test_hostile_json_is_400(harness: Harness) -> None:
    url = f"/v1alpha1/comments:analyze?key={harness.key}"
    for raw in (b"[" * 100_000 + b"]" * 100_000, b'{"comment": {"text": "x"}, "n": ' + b"9" * 5000 + b"}"):
        response = harness.client.post(url, content=raw, headers={"content-type": "application/json"})
        assert google_error(response, 400, "INVALID_ARGUMENT").startswith("Invalid JSON payload received.")
