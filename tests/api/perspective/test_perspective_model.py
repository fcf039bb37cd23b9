"""The endpoint on the real encoder: OFF_TOPIC from an article in ``context``, civility when its head is
loaded (503 UNAVAILABLE, Google-shaped, while it is not), and ``doNotStore`` leaving no trace anywhere."""

from __future__ import annotations

import logging
import uuid
from pathlib import Path
from typing import Any

import pytest
import redis
from perspective_helpers import Harness
from sqlalchemy import select

from moderation.store.tables import Base

ARTICLE = (
    "The city council approved a network of protected bicycle lanes downtown, paid for by raising "
    "parking fees. Shop owners worry about losing customers who drive."
)
ON_TOPIC = "Protected bike lanes downtown are overdue, but higher parking fees will hurt the shops."
OFF_TOPIC = "My favourite pizza topping is pineapple and I refuse to apologise for it."


def off_topic_score(h: Harness, text: str) -> float:
    body = {
        "comment": {"text": text},
        "context": {"entries": [{"text": ARTICLE}]},
        "requestedAttributes": {"OFF_TOPIC": {}},
        "languages": ["en"],
        "doNotStore": True,
    }
    response = h.analyze(body)
    assert response.status_code == 200, response.text
    score = response.json()["attributeScores"]["OFF_TOPIC"]
    assert score["summaryScore"]["type"] == "PROBABILITY"
    assert score["spanScores"] == [{"begin": 0, "end": len(text), "score": score["summaryScore"]}]
    value: float = score["summaryScore"]["value"]
    assert 0.0 <= value <= 1.0
    return value


def test_off_topic_ranks_with_the_real_encoder(real_harness: Harness) -> None:
    assert off_topic_score(real_harness, ON_TOPIC) < off_topic_score(real_harness, OFF_TOPIC) - 0.05


def test_a_comment_over_the_budget_says_how_much_was_not_read(real_harness: Harness, runtime: Any) -> None:
    flood = "Bike lanes again? " + "🤡🚲💩🙄" * 1200  # 19,218 UTF-8 bytes: within Google's 20,480
    body = {"comment": {"text": flood}, "requestedAttributes": {"TOXICITY": {}}, "languages": ["en"]}
    answer = real_harness.analyze(body | {"doNotStore": True})
    assert answer.status_code == 200, answer.text
    assert int(answer.headers["x-moderation-unread-tokens"]) > 5000
    assert 0.0 <= answer.json()["attributeScores"]["TOXICITY"]["summaryScore"]["value"] <= 1.0
    short = real_harness.analyze({"comment": {"text": ON_TOPIC}, "requestedAttributes": {"TOXICITY": {}}})
    assert short.status_code == 200 and "x-moderation-unread-tokens" not in short.headers


def test_civility_attributes_with_the_real_model(real_harness: Harness, runtime: Any) -> None:
    def toxicity(text: str) -> Any:
        return real_harness.analyze({"comment": {"text": text}, "requestedAttributes": {"TOXICITY": {}}})

    toxic = toxicity("You are a pathetic idiot and everyone hates you.")
    benign = toxicity("Thanks, good point!")
    if "civility" in runtime.heads:
        values = [r.json()["attributeScores"]["TOXICITY"]["summaryScore"]["value"] for r in (toxic, benign)]
        assert values[0] > values[1] + 0.3
    else:  # no trained civility head yet: an honest 503, never an invented score
        assert toxic.status_code == 503
        assert toxic.json()["error"]["status"] == "UNAVAILABLE"
        assert "civility model is not loaded" in toxic.json()["error"]["message"]


def _redis_values(client: Any, prefix: str) -> list[bytes]:
    found: list[bytes] = []
    for key in client.scan_iter(match=f"{prefix}*", count=1000):
        kind = client.type(key)
        found.append(key)
        if kind == b"string":
            found.append(client.get(key) or b"")
        elif kind == b"hash":
            found.extend(b"%s=%s" % kv for kv in client.hgetall(key).items())
        elif kind == b"list":
            found.extend(client.lrange(key, 0, -1))
        elif kind in (b"set", b"zset"):
            found.extend(client.zrange(key, 0, -1) if kind == b"zset" else client.smembers(key))
        elif kind == b"stream":
            found.extend(repr(entry).encode() for entry in client.xrange(key))
    return found


def traces(h: Harness, marker: str, records: list[logging.LogRecord]) -> list[str]:
    """Everywhere the marker shows up: SQLite files, any table row, log records, Redis keys and values."""
    where = []
    db_file = Path(h.services.settings.sqlalchemy_url.split("///", 1)[1])
    for path in db_file.parent.glob(db_file.name + "*"):  # the database, its -wal and -shm
        if marker.encode() in path.read_bytes():
            where.append(f"file {path.name}")
    with h.services.sessions() as session:
        for table in Base.metadata.sorted_tables:
            if any(marker in repr(tuple(row)) for row in session.execute(select(table))):
                where.append(f"table {table.name}")
    if any(marker in record.getMessage() or marker in repr(record.__dict__) for record in records):
        where.append("logs")
    client = redis.Redis.from_url(h.services.settings.redis_url or "")
    try:
        if any(marker.encode() in value for value in _redis_values(client, h.services.settings.redis_prefix)):
            where.append("redis")
        if any(marker.encode() in key for key in client.scan_iter(match=f"*{marker}*", count=1000)):
            where.append("redis keys")
    finally:
        client.close()
    return where


@pytest.mark.parametrize("do_not_store", [True, False])
def test_do_not_store_leaves_no_trace(
    real_harness: Harness, caplog: pytest.LogCaptureFixture, do_not_store: bool
) -> None:
    marker = f"zebra{uuid.uuid4().hex}"
    body = {
        "comment": {"text": f"Bike lanes are fine by me, says {marker}."},
        "context": {"entries": [{"text": f"{ARTICLE} Reported by {marker}."}]},
        "requestedAttributes": {"OFF_TOPIC": {}, "TOXICITY": {}, "INSULT": {}},
        "doNotStore": do_not_store,
        "clientToken": marker,
    }
    if "civility" not in real_harness.services.pipeline.runtime.heads:
        body["requestedAttributes"] = {"OFF_TOPIC": {}}
    with caplog.at_level(logging.DEBUG):
        response = real_harness.analyze(body)
    assert response.status_code == 200, response.text
    assert response.json()["clientToken"] == marker
    found = traces(real_harness, marker, caplog.records)
    if do_not_store:
        assert found == []
    else:  # the control: the same scan does find a stored comment
        assert "table comments" in found and any(w.startswith("file") for w in found)
        assert "logs" not in found  # text is never logged, stored or not


PARENT_ON_TOPIC = (
    "Raising parking fees to pay for bike lanes will drive customers away from the shops downtown."
)
PARENT_OFF_TOPIC = "Does anyone know a good pizza place near the station? I'm new in town."


def reply_off_topic(h: Harness, reply: str, parent: str | None) -> float:
    pair: dict[str, Any] = {"article": {"text": ARTICLE}}
    if parent is not None:
        pair["parentComment"] = {"text": parent}
    body = {
        "comment": {"text": reply},
        "context": {"articleAndParentComment": pair},
        "requestedAttributes": {"OFF_TOPIC": {}},
        "doNotStore": True,
    }
    response = h.analyze(body)
    assert response.status_code == 200, response.text
    value: float = response.json()["attributeScores"]["OFF_TOPIC"]["summaryScore"]["value"]
    return value


def test_a_reply_is_judged_in_its_thread(real_harness: Harness) -> None:
    """A reply that answers an on-topic parent reads as less off topic with its parent than alone; a reply
    that follows an off-topic parent stays off topic."""
    reply = "I doubt it. Most of their customers walk there anyway."
    alone, in_thread = (
        reply_off_topic(real_harness, reply, None),
        reply_off_topic(real_harness, reply, PARENT_ON_TOPIC),
    )
    assert in_thread < alone - 0.02  # e5's cosines move less than MiniLM's did (0.41 -> 0.38 here)
    drift = "Try Luigi's on 5th, best margherita in the city."
    # more off topic than the on-topic reply in its thread (the e5 model's calibration is softer than
    # MiniLM's: ~0.5 here where MiniLM said > 0.9; card: Known limits)
    assert reply_off_topic(real_harness, drift, PARENT_OFF_TOPIC) > in_thread + 0.1
