"""The Perspective protocol layer on its own: request validation and the response built from ``Scores``."""

from __future__ import annotations

from typing import Any

import pytest

from api.perspective.analyze import MAX_TEXT_BYTES, analyze_response, parse_analyze
from api.perspective.errors import PerspectiveError
from api.perspective.languages import LanguageTable
from moderation.domain import LengthScore, Scores, SentenceSpan

# what the domain answers today (Pipeline.languages()): every head trained on English only
ENGLISH: LanguageTable = {"en": {h: "trained" for h in ("civility", "on_topic", "stance", "sentiment")}}

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


def parse(doc: dict[str, Any], table: LanguageTable = ENGLISH, **options: Any) -> Any:
    return parse_analyze(doc, table=table, **options)


def analyze(doc: dict[str, Any], s: Scores | None = None) -> dict[str, Any]:
    return analyze_response(parse(doc), s or scores())


def error_of(doc: dict[str, Any], table: LanguageTable = ENGLISH, **options: Any) -> dict[str, Any]:
    with pytest.raises(PerspectiveError) as info:
        parse(doc, table, **options)
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
    req = parse(
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
    assert req.article_text == "Body" and req.parent_comment == "parent" and req.needs_article


def test_html_comment_keeps_offsets() -> None:
    html = "<p>You are <b>awful</b></p>"
    req = parse({"comment": {"text": html, "type": "HTML"}, "requestedAttributes": {"TOXICITY": {}}})
    assert len(req.text) == len(html) and "<" not in req.text and req.text.split() == ["You", "are", "awful"]


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({"requestedAttributes": {"TOXICITY": {}}}, "Comment must be non-empty."),
        (
            {"comment": {"text": "  \n"}, "requestedAttributes": {"TOXICITY": {}}},
            "Comment must be non-empty.",
        ),
        ({"comment": {"text": "x"}}, "Missing requested_attributes"),
        ({"comment": {"text": "x"}, "requestedAttributes": {}}, "Missing requested_attributes"),
        (
            {"comment": {"text": "x"}, "requestedAttributes": {"NOPE": {}}},
            "Unknown requested attribute: NOPE.",
        ),
        (
            {"comment": {"text": "x"}, "requestedAttributes": {"TOXICITY": {"scoreType": "RAW"}}},
            "Requested score type RAW is not supported by attribute TOXICITY",
        ),
        (
            {"comment": {"text": "x"}, "requestedAttributes": {"TOXICITY": {"scoreType": "BOGUS"}}},
            "Invalid value at 'requested_attributes[TOXICITY].score_type' "
            '(type.googleapis.com/google.commentanalyzer.v1alpha1.ScoreType), "BOGUS"',
        ),
        (
            {"comment": {"text": "x"}, "requestedAttributes": {"TOXICITY": {"scoreThreshold": "half"}}},
            "Invalid value at 'requested_attributes[TOXICITY].score_threshold' (TYPE_FLOAT), \"half\"",
        ),
        (
            {"comment": {"text": "x"}, "requestedAttributes": {"TOXICITY": {}}, "clientToken": 7},
            "Invalid value at 'client_token' (TYPE_STRING), 7",
        ),
        (
            {"comment": "x", "requestedAttributes": {"TOXICITY": {}}},
            "Invalid value at 'comment': expected an object",
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
            {"comment": {"text": "x"}, "requestedAttributes": {"TOXICITY": {"bogus": 1}}},
            "Unknown name \"bogus\" at 'requested_attributes[TOXICITY]': Cannot find field.",
        ),
        (
            {"comment": {"text": "x", "type": "MARKDOWN"}, "requestedAttributes": {"TOXICITY": {}}},
            "Invalid value at 'comment.type' (type.googleapis.com/google.commentanalyzer.v1alpha1.TextType)",
        ),
        (
            {
                "comment": {"text": "x"},
                "requestedAttributes": {"TOXICITY": {}},
                "context": {
                    "entries": [{"text": "a"}],
                    "articleAndParentComment": {"article": {"text": "b"}},
                },
            },
            "Context can have either entries or article_and_parent_comment, but both fields were populated.",
        ),
        (
            {"comment": {"text": "x"}, "requestedAttributes": {"OFF_TOPIC": {}}},
            "Attribute OFF_TOPIC needs an article",
        ),
        (
            {"comment": {"text": "x"}, "requestedAttributes": {"TOXICITY": {}}, "languages": ["de"]},
            "Attribute TOXICITY does not support request languages: de",
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
    parse({"comment": {"text": ok}, "requestedAttributes": {"TOXICITY": {}}})
    error = error_of({"comment": {"text": ok + "a"}, "requestedAttributes": {"TOXICITY": {}}})
    assert (
        error["message"] == f"Comment text was too many bytes. Value ({MAX_TEXT_BYTES + 1}) exceeded limit "
        f"({MAX_TEXT_BYTES})."
    )


def test_detected_language_refused_when_none_requested() -> None:
    text = "Das ist nicht gut, und ich finde die Idee auch nicht sinnvoll, aber wir werden sehen."
    error = error_of({"comment": {"text": text}, "requestedAttributes": {"INSULT": {}}})
    assert error["message"] == "Attribute INSULT does not support request languages: de"
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
        analyze(
            {"comment": {"text": TEXT}, "requestedAttributes": {"TOXICITY": {}}},
            scores(civility=None, unavailable=("civility",)),
        )
    assert info.value.http_code == 503 and info.value.status == "UNAVAILABLE"
    assert "civility model is not loaded" in info.value.message


def test_an_attribute_the_language_gate_did_not_score_is_refused_or_dropped() -> None:
    """The domain's gate (the models issue) leaves civility out for a language it does not support: the
    endpoint answers as Google does, never with a made-up number or a 503."""
    doc = {"comment": {"text": TEXT}, "requestedAttributes": {"TOXICITY": {}, "SENTIMENT_NEGATIVE": {}}}
    with pytest.raises(PerspectiveError) as info:
        analyze(doc, scores(civility=None))
    assert info.value.http_code == 400 and info.value.error_type == "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE"
    out = analyze(doc | {"dropUnsupportedAttributes": True}, scores(civility=None))
    assert list(out["attributeScores"]) == ["SENTIMENT_NEGATIVE"]


EMOJI_TEXT = "Great article 😀😀 but the mayor is an idiot. Honestly 🙄 what a joke."


def emoji_scores() -> Scores:
    first_end = EMOJI_TEXT.index(".") + 1  # code points
    second = EMOJI_TEXT.index("Honestly")
    return scores(
        length=LengthScore(len(EMOJI_TEXT), 1, 5000, False, False, 0.0, False),
        spans=(
            SentenceSpan(0, first_end, {**CIVILITY, "toxicity": 0.9}),
            SentenceSpan(second, len(EMOJI_TEXT), {**CIVILITY, "toxicity": 0.2}),
        ),
    )


def utf16_slice(text: str, begin: int, end: int) -> str:
    """What JavaScript's ``text.slice(begin, end)`` gives."""
    return text.encode("utf-16-le")[2 * begin : 2 * end].decode("utf-16-le")


def test_span_offsets_are_utf16_code_units() -> None:
    doc = {"comment": {"text": EMOJI_TEXT}, "spanAnnotations": True, "requestedAttributes": {"TOXICITY": {}}}
    spans = analyze_response(parse(doc), emoji_scores())["attributeScores"]["TOXICITY"]["spanScores"]
    pieces = [utf16_slice(EMOJI_TEXT, s["begin"], s["end"]) for s in spans]
    assert pieces == ["Great article 😀😀 but the mayor is an idiot.", "Honestly 🙄 what a joke."]
    assert spans[1]["begin"] == EMOJI_TEXT.index("Honestly") + 2  # two astral emoji before it
    assert spans[1]["end"] == len(EMOJI_TEXT.encode("utf-16-le")) // 2 == len(EMOJI_TEXT) + 3
    whole = analyze(
        {"comment": {"text": EMOJI_TEXT}, "requestedAttributes": {"TOXICITY": {}}}, emoji_scores()
    )
    assert whole["attributeScores"]["TOXICITY"]["spanScores"][0]["end"] == len(EMOJI_TEXT) + 3


@pytest.mark.parametrize("name", ["SEXUALLY_EXPLICIT", "FLIRTATION", "FLIRTATION@2"])
def test_attributes_without_honest_data_are_refused_as_google_refuses_them(name: str) -> None:
    doc = {"comment": {"text": TEXT}, "languages": ["en"], "requestedAttributes": {"TOXICITY": {}, name: {}}}
    error = error_of(doc)
    assert error["code"] == 400 and error["status"] == "INVALID_ARGUMENT"
    assert error["message"] == f"Attribute {name} does not support request languages: en"
    assert error["details"] == [
        {
            "@type": "type.googleapis.com/google.commentanalyzer.v1alpha1.Error",
            "errorType": "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE",
            "languageNotSupportedByAttributeError": {"requestedLanguages": ["en"], "attribute": name},
        }
    ]
    # the operator's "score through the language gate" choice does not invent a model for them either
    assert error_of(doc, score_unsupported_languages=True)["message"] == error["message"]
    out = analyze(doc | {"dropUnsupportedAttributes": True})
    assert list(out["attributeScores"]) == ["TOXICITY"]


def test_drop_unsupported_attributes_keeps_what_can_be_scored() -> None:
    french = (
        "Cet article est vraiment nul, et les élus de la ville ne savent pas ce qu'ils font avec les vélos."
    )
    doc = {
        "comment": {"text": french},
        "requestedAttributes": {"TOXICITY": {}, "PADDING": {}, "SEXUALLY_EXPLICIT": {}},
        "dropUnsupportedAttributes": True,
    }
    request = parse(doc)
    assert [a.name for a in request.attributes] == ["PADDING"]  # measured without a model: any language
    assert request.languages == ("fr",) and request.detected_languages == ("fr",)
    everything_dropped = parse(doc | {"requestedAttributes": {"TOXICITY": {}}})
    assert everything_dropped.attributes == ()
    out = analyze_response(everything_dropped, None)
    assert out == {"attributeScores": {}, "languages": ["fr"], "detectedLanguages": ["fr"]}
    without = error_of({k: v for k, v in doc.items() if k != "dropUnsupportedAttributes"})
    assert without["message"] == "Attribute TOXICITY does not support request languages: fr"
    assert without["details"][0]["languageNotSupportedByAttributeError"] == {
        "detectedLanguages": ["fr"],
        "attribute": "TOXICITY",
    }


GERMAN = "Der Artikel ist nicht gut, und die Autorin hat auch keine Ahnung von den Radwegen in der Stadt."


def test_the_domains_language_table_decides() -> None:
    """Languages come from the domain's table: a zero-shot language is scored and marked, a trained one is
    plain, and the operator's 'score' choice scores an unsupported one and marks it."""
    multilingual: LanguageTable = dict(ENGLISH) | {
        "de": {"civility": "trained", "sentiment": "zero_shot"},
    }
    doc = {"comment": {"text": GERMAN}, "requestedAttributes": {"INSULT": {}, "SENTIMENT_NEGATIVE": {}}}
    request = parse(doc, multilingual)
    assert request.language_support == {"SENTIMENT_NEGATIVE": "zero_shot"}
    assert error_of(doc)["message"] == "Attribute INSULT does not support request languages: de"
    gated = parse(doc, score_unsupported_languages=True)
    assert gated.language_support == {"INSULT": "unsupported", "SENTIMENT_NEGATIVE": "unsupported"}
    assert gated.languages == ("de",) and gated.detected_languages == ("de",)


def test_proto3_json_numbers_and_enums_as_strings_and_numbers() -> None:
    request = parse(
        {
            "comment": {"text": TEXT, "type": 1},  # PLAIN_TEXT by number
            "requestedAttributes": {"TOXICITY": {"scoreThreshold": "0.5", "scoreType": "PROBABILITY"}},
        }
    )
    assert request.attributes[0].threshold == 0.5


def test_context_entries_are_the_article_and_json_metadata_is_left_out() -> None:
    request = parse(
        {
            "comment": {"text": TEXT},
            "requestedAttributes": {"OFF_TOPIC": {}},
            "context": {
                "entries": [
                    {"text": "The council approved new bike lanes."},
                    {"text": '{"url": "https://news.example/a?commentID=c1", "Coral_comment_id": "c1"}'},
                    {"text": "<p>Shops <b>worry</b>.</p>", "type": "HTML"},
                ]
            },
        }
    )
    assert request.article_text is not None and "Coral_comment_id" not in request.article_text
    assert request.article_text.split() == [
        "The",
        "council",
        "approved",
        "new",
        "bike",
        "lanes.",
        "Shops",
        "worry",
        ".",
    ]
    only_metadata = {"comment": {"text": TEXT}, "requestedAttributes": {"OFF_TOPIC": {}}}
    only_metadata["context"] = {"entries": [{"text": '{"Coral_comment_id": "c1"}'}]}
    assert "needs an article" in error_of(only_metadata)["message"]


def test_every_error_has_details() -> None:
    for doc in (
        {},
        {"comment": {"text": "x"}, "requestedAttributes": {"NOPE": {}}},
        {"comment": {"text": "x"}, "requestedAttributes": {"TOXICITY": {}}, "bogus": 1},
    ):
        assert (
            error_of(doc)["details"][0]["@type"]
            == "type.googleapis.com/google.commentanalyzer.v1alpha1.Error"
        )
    assert error_of({})["details"][0]["errorType"] == "COMMENT_EMPTY"  # an empty body reads as {}
    assert error_of({"comment": {"text": "x"}})["details"][0]["errorType"] == "NO_REQUESTED_ATTRIBUTES"
