"""Reader comments on the page the product is built for (``../shared/demo/article.json``), through
``POST /v1/moderate`` with the shipped model: each input stands for a whole kind of comment (negated insults,
insults in emoji, other languages, civil criticism) that the decisions must get right."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from moderation.policy import DEFAULT_POLICY

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT.parent / "shared/demo/article.json"
pytestmark = [
    pytest.mark.parametrize("database_url", ["sqlite"], indirect=True),
    pytest.mark.skipif(not DEMO.exists(), reason="the shared demo article is not beside this checkout"),
]

# Five civil comments in the spirit of the demo page (ours): critical, hopeful, worried, economic, and one
# that criticises the article itself.
CIVIL = {
    "critical": "Talks are fine, but Washington should not forget the political prisoners still held in "
    "Venezuela. Any deal that reopens the embassy without their release would be a mistake in my view.",
    "hopeful": "After six years without an embassy, families on both sides have suffered. I really hope "
    "these exploratory talks lead somewhere and that consular services come back soon.",
    "worried": "The travel warning is still at the highest level, so I doubt the staff sent to Caracas will "
    "be safe. Who protects them if the security situation turns again?",
    "economic": "Restoring diplomatic missions could reopen trade and maybe oil investment. Flights have "
    "been suspended for years, and businesses in Miami and in Caracas would both benefit.",
    "about_the_article": "This article repeats the government's statement at length but barely explains what "
    "the US actually wants from these talks. I would have liked more context on the sanctions.",
}
NEGATED = (
    "I would never call the negotiators in Caracas idiots or fools; both governments finally talking is "
    "good news."
)
EMOJI_INSULT = "The author of this piece 🤡🤡 and every fan of these talks 🖕🖕 💩"
EMOJI_INSULT_ON_TOPIC = (
    EMOJI_INSULT + " The embassy in Caracas should stay closed until they learn some manners."
)
SPANISH_INSULT = "Cállate, vendido, no sabes nada de mi país y solo escribes basura."
CIVILITY_CODES = {"TOXICITY", "SEVERE_TOXICITY", "INSULT", "PROFANITY", "IDENTITY_ATTACK", "THREAT"}


@pytest.fixture
def article_id(client: Any, auth: Any) -> str:
    document = json.loads(DEMO.read_text(encoding="utf-8"))
    fields = {k: document[k] for k in ("title", "body", "summary", "key_points") if document.get(k)}
    assert client.put(f"/v1/articles/{document['id']}", json=fields, headers=auth()).status_code in (200, 201)
    return str(document["id"])


def moderate(client: Any, auth: Any, article_id: str, text: str) -> dict[str, Any]:
    answer = client.post("/v1/moderate", json={"text": text, "article_id": article_id}, headers=auth())
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def codes(body: dict[str, Any]) -> set[str]:
    return {r["code"] for r in body["reasons"]}


@pytest.mark.parametrize("kind", list(CIVIL))
def test_civil_reader_comments_are_approved(client: Any, auth: Any, article_id: str, kind: str) -> None:
    body = moderate(client, auth, article_id, CIVIL[kind])
    assert body["decision"] == "approve", body["reasons"]
    assert body["scores"]["civility"]["toxicity"] <= 0.3
    assert body["scores"]["on_topic"] >= DEFAULT_POLICY.thresholds["on_topic"]
    assert body["scores"]["language"]["code"] == "en"


def test_an_insult_under_negation_is_not_an_insult(client: Any, auth: Any, article_id: str) -> None:
    body = moderate(client, auth, article_id, NEGATED)
    assert body["decision"] == "approve", body["reasons"]
    civility = body["scores"]["civility"]
    assert civility["insult"] < DEFAULT_POLICY.thresholds["insult"]
    assert civility["toxicity"] < DEFAULT_POLICY.thresholds["toxicity"]


def test_an_insult_in_emoji_is_held_for_civility(client: Any, auth: Any, article_id: str) -> None:
    body = moderate(client, auth, article_id, EMOJI_INSULT)
    assert body["decision"] == "review", body["reasons"]
    assert codes(body) & CIVILITY_CODES, body["reasons"]
    assert any(EMOJI_INSULT[w["begin"] : w["end"]] in ("🤡", "🖕", "💩") for w in body["scores"]["words"])
    on_topic = moderate(client, auth, article_id, EMOJI_INSULT_ON_TOPIC)
    assert on_topic["decision"] != "approve", on_topic["reasons"]
    assert codes(on_topic) & CIVILITY_CODES, on_topic["reasons"]


def test_a_spanish_insult_is_not_approved(client: Any, auth: Any, article_id: str) -> None:
    body = moderate(client, auth, article_id, SPANISH_INSULT)
    assert body["decision"] != "approve", body["reasons"]
    language = body["scores"]["language"]
    assert language["code"] == "es"
    # Spanish civility is zero-shot (no Spanish training data): scored, flagged, and held from the policy's
    # zero-shot line (the English thresholds would pass it: transfer compresses the scale)
    assert "civility" in language["zero_shot"], body
    held = [r for r in body["reasons"] if r["code"] in CIVILITY_CODES]
    assert held and all(r["action"] == "review" for r in held), body["reasons"]
    assert any(r["threshold"] == DEFAULT_POLICY.thresholds["zero_shot_civility"] for r in held), held


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (
            "Du bist ein erbärmlicher Vollidiot und solltest endlich die Klappe halten, niemand will "
            "deinen Müll lesen.",
            "de",
        ),
        (
            "Cala a boca, seu idiota imbecil, ninguém aguenta mais as tuas besteiras nesta porcaria de "
            "jornal.",
            "pt",
        ),
    ],
)
def test_german_and_portuguese_insults_are_held(
    client: Any, auth: Any, article_id: str, text: str, lang: str
) -> None:
    body = moderate(client, auth, article_id, text)
    assert body["scores"]["language"]["code"] == lang
    assert "civility" not in body["scores"]["language"]["zero_shot"]  # trained languages
    assert body["decision"] != "approve", body["reasons"]
    assert codes(body) & CIVILITY_CODES, body["reasons"]


@pytest.mark.parametrize(
    "text",
    [
        "Only a complete imbecile would think these talks will work. The people cheering them on are "
        "gullible fools.",
        "You commenters defending Caracas are spineless cowards and useful idiots, every last one of you.",
        "What a moronic take from a writer who clearly can't think for himself. Embarrassing garbage.",
        pytest.param(
            "The author of this article is a clueless hack and a liar. Pathetic excuse for a journalist, "
            "honestly.",
            marks=pytest.mark.xfail(
                strict=True,
                reason="an insult of the author without a swear word: insult ~0.52 (card: limits)",
            ),
        ),
    ],
)
def test_insults_of_readers_and_the_author_are_held_for_civility(
    client: Any, auth: Any, article_id: str, text: str
) -> None:
    """Insults in plain words (no swear word), aimed at other readers or at the writer, held for a civility
    reason, not only as off-topic."""
    body = moderate(client, auth, article_id, text)
    assert body["decision"] != "approve", body["reasons"]
    assert codes(body) & CIVILITY_CODES, body["reasons"]


def test_a_civil_spanish_comment_is_approved_and_flagged_zero_shot(
    client: Any, auth: Any, article_id: str
) -> None:
    text = (
        "Ojalá estas conversaciones sirvan para reabrir los consulados. Muchas familias llevan años sin "
        "poder hacer trámites y viajar se ha vuelto carísimo."
    )
    body = moderate(client, auth, article_id, text)
    assert body["decision"] == "approve", body["reasons"]
    assert (
        body["scores"]["language"]["code"] == "es" and "civility" in body["scores"]["language"]["zero_shot"]
    )


def test_an_unsupported_language_says_so(client: Any, auth: Any, article_id: str) -> None:
    text = "Переговоры между странами — это хорошая новость, но посольство откроют ещё не скоро, я думаю."
    body = moderate(client, auth, article_id, text)
    assert body["decision"] == "review"
    assert "LANGUAGE_UNSUPPORTED" in codes(body)
    assert body["scores"]["civility"] is None  # never presented as if they were English scores
