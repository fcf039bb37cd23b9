"""``fields`` partial responses: the mask grammar, its check against the response message, and the masked
answers over HTTP (``?fields=`` and ``X-Goog-FieldMask``)."""

from __future__ import annotations

from typing import Any

import pytest
from perspective_helpers import Harness

from api.perspective.errors import PerspectiveError
from api.perspective.fields import apply_mask, check_mask, parse_mask
from api.perspective.schemas import AnalyzeCommentResponse

RESPONSE: dict[str, Any] = {
    "attributeScores": {
        "TOXICITY": {
            "spanScores": [{"begin": 0, "end": 9, "score": {"value": 0.9, "type": "PROBABILITY"}}],
            "summaryScore": {"value": 0.9, "type": "PROBABILITY"},
        },
        "INSULT": {
            "spanScores": [{"begin": 0, "end": 9, "score": {"value": 0.7, "type": "PROBABILITY"}}],
            "summaryScore": {"value": 0.7, "type": "PROBABILITY"},
        },
    },
    "languages": ["en"],
    "detectedLanguages": ["en"],
    "clientToken": "t1",
}


def masked(spec: str) -> Any:
    mask = parse_mask(spec)
    check_mask(mask, AnalyzeCommentResponse, spec)
    return apply_mask(RESPONSE, mask, AnalyzeCommentResponse)


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("languages", {"languages": ["en"]}),
        ("languages,clientToken", {"languages": ["en"], "clientToken": "t1"}),
        ("client_token", {"clientToken": "t1"}),  # the proto's name works too
        (
            "attributeScores/TOXICITY/summaryScore/value",
            {"attributeScores": {"TOXICITY": {"summaryScore": {"value": 0.9}}}},
        ),
        (
            "attributeScores.INSULT.summaryScore.value",
            {"attributeScores": {"INSULT": {"summaryScore": {"value": 0.7}}}},
        ),
        (
            "attributeScores(TOXICITY/summaryScore,INSULT/summaryScore/value)",
            {
                "attributeScores": {
                    "TOXICITY": {"summaryScore": {"value": 0.9, "type": "PROBABILITY"}},
                    "INSULT": {"summaryScore": {"value": 0.7}},
                }
            },
        ),
        (
            "attributeScores/*/summaryScore/value",
            {
                "attributeScores": {
                    "TOXICITY": {"summaryScore": {"value": 0.9}},
                    "INSULT": {"summaryScore": {"value": 0.7}},
                }
            },
        ),
        (
            "attributeScores/TOXICITY/spanScores(begin,score/value)",
            {"attributeScores": {"TOXICITY": {"spanScores": [{"begin": 0, "score": {"value": 0.9}}]}}},
        ),
        ("attributeScores/SEVERE_TOXICITY", {"attributeScores": {}}),  # a key not in the map: nothing
        ("*", RESPONSE),
    ],
)
def test_masks_select_what_they_name(spec: str, expected: Any) -> None:
    assert masked(spec) == expected


@pytest.mark.parametrize(
    ("spec", "why"),
    [
        ("bogus", "unknown field bogus"),
        (
            "attributeScores/TOXICITY/summaryScore/colour",
            "unknown field attributeScores/TOXICITY/summaryScore/colour",
        ),
        ("languages/x", "languages has no sub-fields"),
        ("attributeScores(TOXICITY", "a ')' is missing"),
        ("languages,,clientToken", "a field name is missing"),
        ("languages!", "unexpected character '!'"),
    ],
)
def test_bad_masks_are_400(spec: str, why: str) -> None:
    with pytest.raises(PerspectiveError) as info:
        masked(spec)
    assert info.value.http_code == 400 and info.value.message == f"Invalid field selection {spec}: {why}"


TEXT = "What kind of idiot name is foo? Sorry, I like your name."
BODY = {"comment": {"text": TEXT}, "requestedAttributes": {"TOXICITY": {}, "INSULT": {}}, "clientToken": "c"}


def test_fields_over_http(harness: Harness) -> None:
    url = f"/v1alpha1/comments:analyze?key={harness.key}"
    full = harness.client.post(url, json=BODY).json()
    response = harness.client.post(
        url + "&fields=attributeScores(TOXICITY/summaryScore/value),languages", json=BODY
    )
    assert response.status_code == 200
    assert response.json() == {
        "attributeScores": {
            "TOXICITY": {
                "summaryScore": {"value": full["attributeScores"]["TOXICITY"]["summaryScore"]["value"]}
            }
        },
        "languages": ["en"],
    }
    header = harness.client.post(url, json=BODY, headers={"X-Goog-FieldMask": "clientToken"})
    assert header.json() == {"clientToken": "c"}
    suggest = harness.client.post(
        f"/v1alpha1/comments:suggestscore?key={harness.key}&fields=clientToken",
        json={
            "comment": {"text": TEXT},
            "attributeScores": {"TOXICITY": {"summaryScore": {"value": 1}}},
            "clientToken": "s",
        },
    )
    assert suggest.json() == {"clientToken": "s"}


def test_errors_are_never_masked_and_bad_masks_score_nothing(harness: Harness) -> None:
    url = f"/v1alpha1/comments:analyze?key={harness.key}"
    error = harness.client.post(
        url + "&fields=languages", json={"comment": {"text": ""}, "requestedAttributes": {"TOXICITY": {}}}
    )
    assert error.status_code == 400 and error.json()["error"]["message"] == "Comment must be non-empty."
    bad = harness.client.post(url + "&fields=nothing", json=BODY)
    assert bad.status_code == 400 and bad.json()["error"]["message"].startswith(
        "Invalid field selection nothing"
    )
    proto = harness.client.post(url + "&alt=proto", json=BODY)
    assert proto.status_code == 400 and "alt=json only" in proto.json()["error"]["message"]
    assert harness.client.post(url + "&alt=json&prettyPrint=false", json=BODY).status_code == 200
