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
    assert service.comments().suggestscore(body=suggestion).execute() == {"clientToken": "comment-53922"}

    with pytest.raises(HttpError) as info:
        service.comments().analyze(
            body={"comment": {"text": ""}, "requestedAttributes": {"TOXICITY": {}}}
        ).execute()
    assert info.value.resp.status == 400 and info.value.reason == "Comment must be non-empty."
