"""Language detection, quota, suggestscore parsing and the error translation, each on its own."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
import redis

from api.perspective.errors import PerspectiveError, from_moderation_error
from api.perspective.languages import detect, normalize_code
from api.perspective.quota import Quota
from api.perspective.suggest import parse_suggest, suggest_response
from models.splits import DATASETS
from models.train.corpus import READER_COMMENTS
from moderation.errors import AuthError, Forbidden, NotFound, QueueFull, TextTooLong, Unavailable
from moderation.queue.keys import RedisKeys


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("You are an idiot and nobody wants to read this.", ["en"]),
        ("lol", ["en"]),
        ("Ceci est une idée stupide, mais nous avons dans la vie des choses plus importantes.", ["fr"]),
        ("Это очень плохой комментарий", ["ru"]),
        ("Der Artikel ist nicht gut, und die Autorin hat auch keine Ahnung.", ["de"]),
    ],
)
def test_detect(text: str, expected: list[str]) -> None:
    assert detect(text) == expected


def test_normalize_code() -> None:
    assert (
        normalize_code("en-US") == "en" and normalize_code("PT_br") == "pt" and normalize_code("e n") is None
    )


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(params=["memory", "redis"])
def quota_backend(request: pytest.FixtureRequest) -> Any:
    if request.param == "memory":
        yield None
        return
    client = redis.Redis.from_url("redis://127.0.0.1:6379/0")
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    yield client
    client.close()


def test_quota_window(quota_backend: Any) -> None:
    clock = Clock()
    keys = RedisKeys(prefix=f"t{uuid.uuid4().hex}")
    quota = Quota(limit=2, window_s=60, redis=quota_backend, keys=keys, clock=clock)
    quota.check("k1")
    quota.check("k1")
    quota.check("k2")  # another key has its own count
    with pytest.raises(PerspectiveError) as info:
        quota.check("k1")
    assert info.value.http_code == 429 and info.value.status == "RESOURCE_EXHAUSTED"
    assert info.value.retry_after is not None and 1 <= info.value.retry_after <= 60
    clock.now += 60
    quota.check("k1")  # next window
    if quota_backend is not None:  # the counters are the deployment's keys, with its cluster hash tag
        counters = {k.decode() for k in quota_backend.scan_iter(match="\\" + keys.tag[:-1] + "\\}:*")}
        first = 1_000_000 // 60
        assert {keys.perspective_quota("k1", first + 1), keys.perspective_quota("k2", first)} <= counters
        assert all(k.startswith(keys.tag + ":perspective:quota:") for k in counters)


def test_quota_off_when_limit_zero() -> None:
    quota = Quota(limit=0, window_s=1)
    for _ in range(100):
        quota.check("k")


def test_suggest_parses_coral_request() -> None:
    doc = {
        "comment": {"text": "You are wrong and rude."},
        "context": {"entries": [{"text": '{"url":"https://example.com/story#c1","Coral_comment_id":"c1"}'}]},
        "attributeScores": {"SEVERE_TOXICITY": {"summaryScore": {"value": 1}}},
        "languages": ["en"],
        "communityId": "Coral:https://example.com",
        "clientToken": "comment:c1",
    }
    suggestion = parse_suggest(doc)
    assert suggestion.summary == {"SEVERE_TOXICITY": 1.0}
    assert suggest_response(suggestion) == {
        "detectedLanguages": ["en"],
        "requestedLanguages": ["en"],
        "clientToken": "comment:c1",
    }
    label = suggestion.label()
    assert label["community_id"] == "Coral:https://example.com" and label["attributes"] == {
        "SEVERE_TOXICITY": 1.0
    }
    assert label["context"] is None  # Coral's JSON entry is metadata, not an article
    assert label["context_metadata"] == [{"url": "https://example.com/story#c1", "Coral_comment_id": "c1"}]


@pytest.mark.parametrize(("status", "decision"), [("APPROVED", "approve"), ("DELETED", "reject")])
def test_suggest_takes_older_coral_talks_status_attributes(status: str, decision: str) -> None:
    """Older Coral Talk sends the moderator's status as the attribute name, value 1."""
    doc = {
        "comment": {"text": "Thanks for the thoughtful reply, I had not considered the parking fees."},
        "attributeScores": {status: {"summaryScore": {"value": 1}}},
        "languages": ["en"],
        "communityId": "Coral:https://news.example",
        "clientToken": "comment:c7",
    }
    suggestion = parse_suggest(doc)
    assert suggestion.decision == decision and suggestion.summary == {}
    assert suggestion.label()["decision"] == decision


def test_suggested_spans_are_utf16_and_stored_in_code_points() -> None:
    text = "Love it 😍😍. You are an idiot."
    begin16 = text.index("You") + 2  # two emoji before: one extra unit each
    doc = {
        "comment": {"text": text},
        "attributeScores": {
            "INSULT": {"spanScores": [{"begin": begin16, "end": len(text) + 2, "score": {"value": 0.9}}]}
        },
    }
    span = parse_suggest(doc).spans["INSULT"][0]
    assert text[span.begin : span.end] == "You are an idiot."
    inside_pair = {
        "INSULT": {"spanScores": [{"begin": 9, "end": 12, "score": {"value": 1}}]}
    }  # 😍 = units 8, 9
    with pytest.raises(PerspectiveError, match="is not a range of the comment"):
        parse_suggest({"comment": {"text": text}, "attributeScores": inside_pair})


def test_suggest_spans_and_errors() -> None:
    base: dict[str, Any] = {"comment": {"text": "Bad. Good."}}
    ok = parse_suggest(
        base
        | {"attributeScores": {"TOXICITY": {"spanScores": [{"begin": 0, "end": 4, "score": {"value": 0.9}}]}}}
    )
    assert ok.spans["TOXICITY"][0].value == 0.9 and ok.summary == {}
    for scores, message in [
        ({}, "attributeScores must not be empty"),
        ({"TOXICITY": {}}, "must not be empty"),
        ({"TOXICITY": {"summaryScore": {"value": 2}}}, "between 0 and 1"),
        ({"TOXICITY": {"spanScores": [{"end": 3, "score": {"value": 1}}]}}, "must have begin and end"),
        (
            {"TOXICITY": {"spanScores": [{"begin": 0, "end": 99, "score": {"value": 1}}]}},
            "is not a range of the comment",
        ),
        ({"WHAT": {"summaryScore": {"value": 1}}}, "Unknown requested attribute: WHAT"),
    ]:
        with pytest.raises(PerspectiveError, match=message):
            parse_suggest(base | {"attributeScores": scores})


@pytest.mark.parametrize(
    ("exc", "had_credentials", "code", "status", "message", "first_detail"),
    [
        (
            AuthError("unknown key"),
            True,
            400,
            "INVALID_ARGUMENT",
            "API key not valid. Please pass a valid API key.",
            {"reason": "API_KEY_INVALID", "domain": "googleapis.com"},
        ),
        (
            AuthError("no key"),
            False,
            403,
            "PERMISSION_DENIED",
            "The request is missing a valid API key.",
            {"reason": "CREDENTIALS_MISSING", "domain": "googleapis.com"},
        ),
        (Forbidden("role"), True, 403, "PERMISSION_DENIED", "role", {"reason": "PERMISSION_DENIED"}),
        (
            TextTooLong("too long"),
            True,
            400,
            "INVALID_ARGUMENT",
            "too long",
            {"errorType": "INVALID_REQUEST"},
        ),
        (
            NotFound("unknown article 'a'"),
            True,
            404,
            "NOT_FOUND",
            "unknown article 'a'",
            {"reason": "NOT_FOUND"},
        ),
        (QueueFull("full"), True, 429, "RESOURCE_EXHAUSTED", "full", {"reason": "RESOURCE_EXHAUSTED"}),
        (Unavailable("model"), True, 503, "UNAVAILABLE", "model", {"reason": "UNAVAILABLE"}),
    ],
)
def test_error_translation(
    exc: Any, had_credentials: bool, code: int, status: str, message: str, first_detail: dict[str, str]
) -> None:
    error = from_moderation_error(exc, had_credentials=had_credentials).to_dict()["error"]
    assert {k: error[k] for k in ("code", "message", "status")} == {
        "code": code,
        "message": message,
        "status": status,
    }
    assert first_detail.items() <= error["details"][0].items()  # PyPerspective reads details[0]


def test_key_errors_carry_google_error_info_first() -> None:
    error = from_moderation_error(AuthError("unknown key"), had_credentials=True).to_dict()["error"]
    assert error["details"] == [
        {
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            "reason": "API_KEY_INVALID",
            "domain": "googleapis.com",
            "metadata": {"service": "commentanalyzer.googleapis.com"},
        }
    ]
    retry = from_moderation_error(QueueFull("full", retry_after=7)).to_dict()["error"]["details"]
    assert retry[1] == {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "7s"}


@pytest.mark.parametrize(
    ("source", "minimum"),
    [
        # the repo's English reader comments (half sentences, typos, emoji, links): every checkout has them
        pytest.param(READER_COMMENTS, 700, id="reader_comments"),
        # real tweets, short and misspelt (@user, hashtags): the public datasets beside the checkout
        pytest.param(
            DATASETS / "tweeteval" / "offensive" / "val.jsonl",
            1000,
            id="tweeteval",
            marks=pytest.mark.needs_shared_datasets,
        ),
    ],
)
def test_detector_keeps_real_english_comments_english(source: Path, minimum: int) -> None:
    """Perspective's detector refused short misspelt English (atom/biohazard-alert#11); ours must not."""
    rows = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = [row["text"] for row in rows if row.get("lang", "en") == "en"]
    english = sum(detect(text) == ["en"] for text in texts)
    assert len(texts) > minimum and english / len(texts) >= 0.995
