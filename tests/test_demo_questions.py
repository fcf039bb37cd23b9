"""The five questions a new user asks first, through ``POST /v1/moderate`` with the shipped models, on the
packaged demo article and (where the checkout has it) the shared one ``make run`` serves."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from moderation.policy import DEFAULT_POLICY

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = [ROOT / "moderation/demo/article.json", ROOT.parent / "shared/demo/article.json"]

# article file name -> the comments (all >= 50 characters, the demo articles' minimum)
QUESTIONS: dict[str, dict[str, str]] = {
    "demo-city-bike-lanes": {
        "civil": "Good to see the council finally decide after a year of debate. I hope the loading zones "
        "help the shops on Main Street.",
        "insult": "Only a brain-dead idiot would vote for this. The council members are pathetic morons.",
        "threat": "If they rip out the parking on my street I will find the councillors and kill them.",
        "spam": "Earn 5000 dollars a week working from home! Click my profile for the secret crypto method.",
        "favor": "I fully support the protected bike lanes, the safety figures speak for themselves. "
        "Well done to the council.",
        "against": "Removing sixty parking spaces is a terrible decision. This plan will hurt every shop "
        "on Main Street and it should be scrapped.",
    },
    "venezuela-us-embassy-talks": {
        "civil": "Interesting report. It will take time before the embassies reopen, given the travel "
        "warning still in place.",
        "insult": "Anyone who believes a word from these diplomats is a complete idiot. Pathetic clowns, all "
        "of them.",
        "threat": "If those diplomats show up in Caracas again I will shoot them myself, mark my words.",
        "spam": "Lose ten kilos in a week with this one weird trick! Visit my page for the miracle pills "
        "doctors hate.",
        "favor": "I support these talks. Restoring the embassies is the right move, and dialogue is better "
        "than years of silence.",
        "against": "Reopening an embassy in Caracas is a terrible idea. Washington should not reward the "
        "regime with talks.",
    },
}


# Known misses of the shipped on-topic rule (see models/cards/multitask.md, *Known limits*), strict: the day
# one passes, its mark must go. None today (the previous model missed the bike-lane "civil" and the embassy
# "favor" comments).
ON_TOPIC_MISSES: set[tuple[str, str]] = set()

# Known misses of the shipped model (models/cards/multitask.md, *Known limits*). Not strict: a score near a
# threshold may cross it on another CPU, and a pass then must not fail the suite; the card is where they are
# counted. Spam: e5's cosines keep a sales pitch at ~0.3 on-topic, over the 0.2 the
# policy holds (chosen so that <= 5 % of our on-topic training comments are held).
MODEL_MISSES = {
    "spam": "spam without a link scores ~0.3 on-topic, over the policy's 0.2 (card: Known limits)",
}


def articles() -> list[dict[str, Any]]:
    found = [json.loads(p.read_text(encoding="utf-8")) for p in ARTICLES if p.exists()]
    return [a for a in found if a["id"] in QUESTIONS]


def cases(kinds: tuple[str, ...], *, approval: bool = False) -> list[Any]:
    out = []
    for article in articles():
        for kind in kinds:
            key = (article["id"], kind)
            marks = (
                [pytest.mark.xfail(strict=True, reason="on-topic miss: flagged OFF_TOPIC")]
                if approval and key in ON_TOPIC_MISSES
                else []
            )
            if kind in MODEL_MISSES and not approval:
                marks.append(pytest.mark.xfail(strict=False, reason=MODEL_MISSES[kind]))
            out.append(pytest.param(*key, marks=marks, id=f"{article['id']}-{kind}"))
    return out


def register(client: Any, auth: Any, article_id: str) -> None:
    document = next(a for a in articles() if a["id"] == article_id)
    fields = {k: document[k] for k in ("title", "body", "summary", "key_points") if document.get(k)}
    assert client.put(f"/v1/articles/{article_id}", json=fields, headers=auth()).status_code in (200, 201)


def moderate(client: Any, auth: Any, article_id: str, kind: str) -> dict[str, Any]:
    text = QUESTIONS[article_id][kind]
    assert len(text) >= 50
    register(client, auth, article_id)
    answer = client.post("/v1/moderate", json={"text": text, "article_id": article_id}, headers=auth())
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def codes(body: dict[str, Any]) -> set[str]:
    return {r["code"] for r in body["reasons"]}


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(("article_id", "kind"), cases(("civil", "favor", "against"), approval=True))
def test_civil_comments_are_approved(client: Any, auth: Any, article_id: str, kind: str) -> None:
    body = moderate(client, auth, article_id, kind)
    assert body["decision"] == "approve", body["reasons"]
    assert body["scores"]["on_topic"] >= DEFAULT_POLICY.thresholds["on_topic"]


STANCE_MISSES = {
    (
        "demo-city-bike-lanes",
        "against",
    ): "stance head: favor 0.54 vs against 0.38 (card: stance below target)",
}


def stance_cases() -> list[Any]:
    out = []
    for case in cases(("favor", "against")):
        reason = STANCE_MISSES.get(tuple(case.values))
        marks = [pytest.mark.xfail(strict=False, reason=reason)] if reason else []
        out.append(pytest.param(*case.values, marks=marks, id=case.id))
    return out


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(("article_id", "kind"), stance_cases())
def test_stance_reads_agreement_and_disagreement(client: Any, auth: Any, article_id: str, kind: str) -> None:
    body = moderate(client, auth, article_id, kind)
    stance = body["scores"]["stance"]
    assert max(stance, key=stance.get) == kind, stance
    assert not codes(body) - {"OFF_TOPIC"}, body["reasons"]  # nothing uncivil about disagreeing


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(("article_id", "kind"), cases(("insult", "threat", "spam")))
def test_insult_threat_and_spam_are_held(client: Any, auth: Any, article_id: str, kind: str) -> None:
    body = moderate(client, auth, article_id, kind)
    assert body["decision"] != "approve", body["reasons"]
    expected = {
        "insult": {"TOXICITY", "INSULT", "SEVERE_TOXICITY"},
        "threat": {"THREAT"},
        "spam": {"OFF_TOPIC"},
    }
    assert codes(body) & expected[kind], body["reasons"]
    if kind == "spam":
        assert body["decision"] == "review" and body["scores"]["on_topic"] < 0.05
