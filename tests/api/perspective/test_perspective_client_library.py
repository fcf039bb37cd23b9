"""Google's own Python client library, pointed at our discovery document, talks to a live server unchanged
(only ``discoveryServiceUrl`` differs from the Perspective quickstart)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn
from googleapiclient import discovery
from googleapiclient.errors import HttpError
from perspective_helpers import Harness, keyword_civility

TEXT = "What kind of idiot name is foo? Sorry, I like your name."


@pytest.fixture
def base_url(harness: Harness) -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(harness.app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def client(base_url: str, key: str) -> Any:
    return discovery.build(
        "commentanalyzer",
        "v1alpha1",
        developerKey=key,
        discoveryServiceUrl=f"{base_url}/$discovery/rest?version=v1alpha1",
        static_discovery=False,
        cache_discovery=False,
    )


def test_python_client_library_analyze_suggest_and_errors(harness: Harness, base_url: str) -> None:
    with client(base_url, harness.key) as service:
        use_the_client(service)
    with pytest.raises(HttpError) as bad_key, client(base_url, "wrong-key") as stranger:
        stranger.comments().analyze(body=REQUEST).execute()
    assert bad_key.value.resp.status == 400
    assert bad_key.value.reason == "API key not valid. Please pass a valid API key."


REQUEST = {"comment": {"text": TEXT}, "requestedAttributes": {"TOXICITY": {}}, "spanAnnotations": True}


def use_the_client(service: Any) -> None:
    response = service.comments().analyze(body=REQUEST).execute()
    expected = keyword_civility(TEXT)["toxicity"]
    assert response["attributeScores"]["TOXICITY"]["summaryScore"] == {
        "value": expected,
        "type": "PROBABILITY",
    }
    assert [s["begin"] for s in response["attributeScores"]["TOXICITY"]["spanScores"]] == [0, 32]

    suggestion = {
        "comment": {"text": TEXT},
        "attributeScores": {"TOXICITY": {"summaryScore": {"value": 0}}},
        "clientToken": "comment-53922",
    }
    assert service.comments().suggestscore(body=suggestion).execute() == {
        "detectedLanguages": ["en"],
        "clientToken": "comment-53922",
    }

    with pytest.raises(HttpError) as info:
        service.comments().analyze(
            body={"comment": {"text": ""}, "requestedAttributes": {"TOXICITY": {}}}
        ).execute()
    assert info.value.resp.status == 400 and info.value.reason == "Comment must be non-empty."


BATCH_TEXTS = [
    "What kind of idiot name is foo? Sorry, I like your name.",
    "Thanks for the careful reporting 🙏 — the council vote was closer than I thought.",
    "",  # an empty comment: this one part fails, the others do not
    "You are a moron and so is everyone who agrees with you.",
]


def test_google_client_batch(harness: Harness, base_url: str) -> None:
    """``new_batch_http_request()`` posts to rootUrl + batchPath (``/batch``) and parses our multipart
    answer."""
    results: dict[str, tuple[Any, Any]] = {}
    with client(base_url, harness.key) as service:
        batch = service.new_batch_http_request(
            callback=lambda rid, resp, exc: results.__setitem__(rid, (resp, exc))
        )
        for i, text in enumerate(BATCH_TEXTS):
            body = {
                "comment": {"text": text},
                "requestedAttributes": {"TOXICITY": {}},
                "clientToken": f"t{i}",
            }
            batch.add(service.comments().analyze(body=body), request_id=f"c{i}")
        suggestion = {
            "comment": {"text": BATCH_TEXTS[0]},
            "attributeScores": {"TOXICITY": {"summaryScore": {"value": 1}}},
        }
        batch.add(
            service.comments().suggestscore(body=suggestion, fields="detectedLanguages"), request_id="s"
        )
        batch.execute()
    assert set(results) == {"c0", "c1", "c2", "c3", "s"}
    for i in (0, 1, 3):
        response, error = results[f"c{i}"]
        assert error is None and response["clientToken"] == f"t{i}"
        expected = keyword_civility(BATCH_TEXTS[i])["toxicity"]
        assert response["attributeScores"]["TOXICITY"]["summaryScore"]["value"] == expected
    response, error = results["c2"]
    assert response is None and isinstance(error, HttpError) and error.resp.status == 400
    assert error.reason == "Comment must be non-empty."
    assert results["s"] == ({"detectedLanguages": ["en"]}, None)


def test_google_client_typed_discovery_and_fields(harness: Harness, base_url: str) -> None:
    """The document's schemas are typed (the client renders them into each method's docstring) and declares
    ``fields``, which the client otherwise refuses as an unexpected keyword."""
    with client(base_url, harness.key) as service:
        analyze = service.comments().analyze
        doc = analyze.__doc__ or ""
        for line in (
            '"spanAnnotations": True or False',
            '"dropUnsupportedAttributes": True or False',
            '"scoreThreshold": 3.14',
            '"type": "A String", # Type of the text field.',
            '"articleAndParentComment": {',
            '"detectedLanguages": [',
        ):
            assert line in doc, line
        with pytest.raises(TypeError, match="unexpected keyword argument"):
            analyze(body=REQUEST, colour="blue")  # what `fields` got before the document declared it
        partial = analyze(body=REQUEST, fields="attributeScores/TOXICITY/summaryScore/value").execute()
        expected = keyword_civility(TEXT)["toxicity"]
        assert partial == {"attributeScores": {"TOXICITY": {"summaryScore": {"value": expected}}}}


def test_pyperspective_constructor_probe(harness: Harness, base_url: str) -> None:
    """PyPerspective 1.0.4's constructor: ``requests.post(url, params={"key": key}).json()`` with NO body,
    then ``r["error"]["details"][0]["reason"] == "API_KEY_INVALID"`` means a bad key."""
    import requests

    url = f"{base_url}/v1alpha1/comments:analyze"

    def probe(key: str) -> bool:  # PyPerspective's logic: True when it raises InvalidAuthKey
        r = requests.post(url, params={"key": key}, timeout=10).json()
        return (
            "error" in r
            and "reason" in r["error"]["details"][0]
            and r["error"]["details"][0]["reason"] == "API_KEY_INVALID"
        )

    assert probe(harness.key) is False  # a good key: the empty body reads as {} -> COMMENT_EMPTY
    good = requests.post(url, params={"key": harness.key}, timeout=10).json()["error"]
    assert (
        good["message"] == "Comment must be non-empty." and good["details"][0]["errorType"] == "COMMENT_EMPTY"
    )
    assert probe("mk_c_wrong") is True
