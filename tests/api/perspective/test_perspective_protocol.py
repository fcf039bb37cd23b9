"""The Perspective protocol layer on its own: request validation and the response built from ``Scores``."""

from __future__ import annotations

from typing import Any

import pytest

from api.perspective.analyze import MAX_TEXT_BYTES, analyze_response, parse_analyze
from api.perspective.errors import PerspectiveError
from moderation.domain import LengthScore, Scores, SentenceSpan

TEXT = "What kind of idiot name is foo? Sorry, I like your name."
CIVILITY = {
    "toxicity": 0.86,
    "severe_toxicity": 0.1,
    "insult": 0.7,
    "threat": 0.01,
    "profanity": 0.2,
    "identity_attack": 0.03,
}


def scores(**overrides: Any) -> Scores:
    values: dict[str, Any] = {
        "length": LengthScore(len(TEXT), 1, 5000, False, False, 0.0, False),
        "civility": CIVILITY,
        "spans": (
            SentenceSpan(0, 31, {**CIVILITY, "toxicity": 0.93}),
            SentenceSpan(32, 56, {**CIVILITY, "toxicity": 0.04}),
        ),
        "sentiment": {"negative": 0.6, "neutral": 0.3, "positive": 0.1},
        "model_version": "test",
    }
    return Scores(**(values | overrides))


def analyze(doc: dict[str, Any], s: Scores | None = None) -> dict[str, Any]:
    return analyze_response(parse_analyze(doc), s or scores())


def error_of(doc: dict[str, Any]) -> dict[str, Any]:
    with pytest.raises(PerspectiveError) as info:
        parse_analyze(doc)
    return info.value.to_dict()["error"]


def test_documented_example_shape() -> None:
    out = analyze({"comment": {"text": TEXT}, "languages": ["en"], "requestedAttributes": {"TOXICITY": {}}})
    assert out == {
        "attributeScores": {
            "TOXICITY": {
                "spanScores": [
                    {"begin": 0, "end": len(TEXT), "score": {"value": 0.86, "type": "PROBABILITY"}}
                ],
                "summaryScore": {"value": 0.86, "type": "PROBABILITY"},
            }
        },
        "languages": ["en"],
        "detectedLanguages": ["en"],
    }


def test_span_annotations_give_per_sentence_spans() -> None:
    out = analyze(
        {"comment": {"text": TEXT}, "spanAnnotations": True, "requestedAttributes": {"TOXICITY": {}}}
    )
    spans = out["attributeScores"]["TOXICITY"]["spanScores"]
    assert [(s["begin"], s["end"], s["score"]["value"]) for s in spans] == [(0, 31, 0.93), (32, 56, 0.04)]
    assert TEXT[spans[0]["begin"] : spans[0]["end"]] == "What kind of idiot name is foo?"


def test_threshold_leaves_out_low_attributes_and_spans() -> None:
    doc = {
        "comment": {"text": TEXT},
        "spanAnnotations": True,
        "requestedAttributes": {
            "TOXICITY": {"scoreThreshold": 0.5},
            "THREAT": {"scoreThreshold": 0.5},
            "INSULT": {"scoreThreshold": 0.7},
        },
    }
    out = analyze(doc)
    assert set(out["attributeScores"]) == {"TOXICITY", "INSULT"}  # 0.01 < 0.5 left out; 0.7 == 0.7 kept
    assert [s["begin"] for s in out["attributeScores"]["TOXICITY"]["spanScores"]] == [0]


def test_version_and_experimental_suffixes_map_and_names_mirror_the_request() -> None:
    out = analyze(
        {
            "comment": {"text": TEXT},
            "requestedAttributes": {"TOXICITY@6": {}, "INSULT_EXPERIMENTAL": {}, "severe_toxicity": {}},
        }
    )
    assert out["attributeScores"]["TOXICITY@6"]["summaryScore"]["value"] == 0.86
    assert out["attributeScores"]["INSULT_EXPERIMENTAL"]["summaryScore"]["value"] == 0.7
    assert out["attributeScores"]["severe_toxicity"]["summaryScore"]["value"] == 0.1


def test_snake_case_fields_and_client_token_echo() -> None:
    out = analyze(
        {
            "comment": {"text": TEXT},
            "requested_attributes": {"TOXICITY": {"score_type": "PROBABILITY"}},
            "client_token": "tok-1",
            "do_not_store": True,
            "session_id": "s",
        }
    )
    assert out["clientToken"] == "tok-1"


def test_own_attributes_read_other_heads() -> None:
    s = scores(on_topic=0.8, stance={"against": 0.7, "neutral": 0.2, "favor": 0.1})
    out = analyze(
        {
            "comment": {"text": TEXT},
            "context": {"entries": [{"text": "An article about names."}]},
            "requestedAttributes": {"OFF_TOPIC": {}, "STANCE_AGAINST": {}, "SENTIMENT_NEGATIVE": {}},
        },
        s,
    )
    values = {k: v["summaryScore"]["value"] for k, v in out["attributeScores"].items()}
    assert values == {"OFF_TOPIC": 0.2, "STANCE_AGAINST": 0.7, "SENTIMENT_NEGATIVE": 0.6}


def test_context_article_text_is_parsed() -> None:
    req = parse_analyze(
        {
            "comment": {"text": TEXT},
            "requestedAttributes": {"OFF_TOPIC": {}},
            "context": {
                "articleAndParentComment": {
                    "article": {"text": "Body", "type": "PLAIN_TEXT"},
                    "parentComment": {"text": "parent"},
                }
            },
        }
    )
    assert req.context_text == "Body" and req.needs_article


def test_html_comment_keeps_offsets() -> None:
    html = "<p>You are <b>awful</b></p>"
    req = parse_analyze({"comment": {"text": html, "type": "HTML"}, "requestedAttributes": {"TOXICITY": {}}})
    assert len(req.text) == len(html) and "<" not in req.text and req.text.split() == ["You", "are", "awful"]


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({"requestedAttributes": {"TOXICITY": {}}}, "Comment must be non-empty."),
        (
            {"comment": {"text": "  \n"}, "requestedAttributes": {"TOXICITY": {}}},
            "Comment must be non-empty.",
        ),
        ({"comment": {"text": "x"}}, "requestedAttributes must contain at least one attribute"),
        ({"comment": {"text": "x"}, "requestedAttributes": {}}, "requestedAttributes must contain"),
        ({"comment": {"text": "x"}, "requestedAttributes": {"NOPE": {}}}, "Attribute NOPE does not exist."),
        (
            {"comment": {"text": "x"}, "requestedAttributes": {"SPAM": {}}},
            "Attribute SPAM is a Perspective attr",
        ),
        (
            {"comment": {"text": "x"}, "requestedAttributes": {"TOXICITY": {"scoreType": "RAW"}}},
            "does not support score type RAW",
        ),
        (
            {"comment": {"text": "x"}, "requestedAttributes": {"TOXICITY": {"scoreType": "BOGUS"}}},
            "Invalid value at 'requested_attributes[TOXICITY].score_type'",
        ),
        (
            {"comment": {"text": "x"}, "requestedAttributes": {"TOXICITY": {"scoreThreshold": 1.5}}},
            "scoreThreshold must be between 0 and 1",
        ),
        (
            {"comment": {"text": "x"}, "requestedAttributes": {"TOXICITY": {}}, "doNotStore": "yes"},
            "Invalid value at 'do_not_store' (TYPE_BOOL), \"yes\"",
        ),
        (
            {"comment": {"text": "x"}, "requestedAttributes": {"TOXICITY": {}}, "bogus": 1},
            'Invalid JSON payload received. Unknown name "bogus": Cannot find field.',
        ),
        (
            {"comment": {"text": "x", "lang": "en"}, "requestedAttributes": {"TOXICITY": {}}},
            "Unknown name \"lang\" at 'comment'",
        ),
        (
            {"comment": {"text": "x", "type": "MARKDOWN"}, "requestedAttributes": {"TOXICITY": {}}},
            "Invalid value at 'comment.type'",
        ),
        (
            {"comment": {"text": "x"}, "requestedAttributes": {"OFF_TOPIC": {}}},
            "Attribute OFF_TOPIC needs an article",
        ),
        (
            {"comment": {"text": "x"}, "requestedAttributes": {"TOXICITY": {}}, "languages": ["de"]},
            "Attribute TOXICITY does not support request languages: de. Supported languages: en.",
        ),
        (
            {"comment": {"text": "x"}, "requestedAttributes": {"TOXICITY": {}}, "languages": ["!!"]},
            "Unable to parse language code",
        ),
    ],
)
def test_invalid_requests_are_400_invalid_argument(doc: dict[str, Any], message: str) -> None:
    error = error_of(doc)
    assert error["code"] == 400 and error["status"] == "INVALID_ARGUMENT"
    assert message in error["message"]


def test_empty_comment_carries_perspectives_error_detail() -> None:
    error = error_of({"comment": {"text": ""}, "requestedAttributes": {"TOXICITY": {}}})
    assert error["details"] == [
        {"@type": "type.googleapis.com/google.commentanalyzer.v1alpha1.Error", "errorType": "COMMENT_EMPTY"}
    ]


def test_byte_limit_counts_utf8_bytes() -> None:
    ok = "é" * (MAX_TEXT_BYTES // 2)  # 2 bytes each: exactly at the limit
    parse_analyze({"comment": {"text": ok}, "requestedAttributes": {"TOXICITY": {}}})
    error = error_of({"comment": {"text": ok + "a"}, "requestedAttributes": {"TOXICITY": {}}})
    assert (
        error["message"] == f"Comment text was too many bytes. Value ({MAX_TEXT_BYTES + 1}) exceeded limit "
        f"({MAX_TEXT_BYTES})."
    )


def test_detected_language_refused_when_none_requested() -> None:
    text = "Das ist nicht gut, und ich finde die Idee auch nicht sinnvoll, aber wir werden sehen."
    error = error_of({"comment": {"text": text}, "requestedAttributes": {"INSULT": {}}})
    assert error["message"].startswith("Attribute INSULT does not support request languages: de.")
    detail = error["details"][0]
    assert detail["errorType"] == "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE"
    assert detail["languageNotSupportedByAttributeError"] == {
        "detectedLanguages": ["de"],
        "attribute": "INSULT",
    }


def test_requested_language_wins_and_is_mirrored() -> None:
    out = analyze(
        {"comment": {"text": TEXT}, "languages": ["en-US"], "requestedAttributes": {"TOXICITY": {}}}
    )
    assert out["languages"] == ["en-US"] and out["detectedLanguages"] == ["en"]


def test_missing_head_is_503_unavailable() -> None:
    with pytest.raises(PerspectiveError) as info:
        analyze({"comment": {"text": TEXT}, "requestedAttributes": {"TOXICITY": {}}}, scores(civility=None))
    assert info.value.http_code == 503 and info.value.status == "UNAVAILABLE"
    assert "civility model is not loaded" in info.value.message
