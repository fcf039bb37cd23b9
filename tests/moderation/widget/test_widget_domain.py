"""Issue 16, the widget's pure parts: which words a nudge marks, origins as browsers send them, messages."""

from __future__ import annotations

import pytest

from moderation.domain import Action, LengthScore, Reason, Scores, SentenceSpan, WordSpan
from moderation.errors import InvalidInput, InvalidPolicy
from moderation.messages import author_message
from moderation.policy import Policy
from moderation.widget.keys import normalize_origin
from moderation.widget.precheck import marks

TEXT = "Nice story. You are a pathetic idiot and a moron."


def word(text: str, needle: str, **scores: float) -> WordSpan:
    begin = text.index(needle)
    return WordSpan(begin, begin + len(needle), scores)


def test_toxicity_marks_the_specific_words_not_the_context() -> None:
    scores = Scores(
        length=LengthScore(characters=len(TEXT)),
        words=(
            word(TEXT, "are", toxicity=0.8, insult=0.4),
            word(TEXT, "idiot", toxicity=0.76, insult=0.52),
            word(TEXT, "moron", toxicity=0.77, profanity=0.6),
        ),
        spans=(SentenceSpan(12, len(TEXT), {"toxicity": 0.9}),),
    )
    reason = Reason("TOXICITY", "civility", Action.REVIEW, "m", 0.9, 0.8)
    assert [TEXT[m.begin : m.end] for m in marks(scores, (reason,))] == ["idiot", "moron"]
    insult = Reason("INSULT", "civility", Action.REVIEW, "m", 0.85, 0.8)
    assert [(m.kind, m.code) for m in marks(scores, (insult,))] == [("word", "INSULT")]
    no_words = Scores(length=scores.length, spans=scores.spans)
    [sentence] = marks(no_words, (reason,))
    assert (sentence.kind, TEXT[sentence.begin : sentence.end]) == ("sentence", TEXT[12:])
    length_only = Reason("TOO_SHORT", "length", Action.REJECT, "m", 3.0, 50.0)
    assert marks(scores, (length_only,)) == ()


def test_banned_words_and_links_are_marked_but_suspect_words_are_not() -> None:
    text = "Buy at https://spam.example now, you absolute wanker, says the gobshite."
    at = {w: (text.index(w), text.index(w) + len(w)) for w in ("https://spam.example", "wanker", "gobshite")}
    scores = Scores(length=LengthScore(characters=len(text)))
    banned = Reason("BANNED_WORD", "words", Action.REJECT, "m", spans=(at["wanker"],), terms=("wanker",))
    suspect = Reason("SUSPECT_WORD", "words", Action.REVIEW, "m", spans=(at["gobshite"],), terms=("git",))
    link = Reason("LINKS", "links", Action.REVIEW, "m", spans=(at["https://spam.example"],))
    got = marks(scores, (suspect, banned, link))
    assert [(text[m.begin : m.end], m.kind, m.code) for m in got] == [
        ("https://spam.example", "link", "LINKS"),
        ("wanker", "word", "BANNED_WORD"),
    ]


@pytest.mark.parametrize(
    ("given", "origin"),
    [
        ("HTTPS://News.Example:443/", "https://news.example"),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("http://[::1]:80", "http://[::1]"),
    ],
)
def test_origins_are_what_browsers_send(given: str, origin: str) -> None:
    assert normalize_origin(given) == origin


@pytest.mark.parametrize(
    "bad",
    [
        "news.example",
        "ftp://a.example",
        "https://a.example/path",
        "https://*.example",
        "null",
        "https://u@a.b",
    ],
)
def test_anything_but_an_origin_is_refused(bad: str) -> None:
    with pytest.raises(InvalidInput):
        normalize_origin(bad)


def test_messages_live_in_one_place_and_sites_override_them() -> None:
    assert author_message("INSULT", Action.REJECT).endswith("cannot be published. Please rephrase it.")
    assert "moderator will review" in author_message("INSULT", Action.REVIEW)
    site = Policy.from_document({"messages": {"INSULT": {"review": "Easy there: {characters} characters."}}})
    article = Policy.from_document({"messages": {"INSULT": {"reject": "No."}}}, base=site)
    assert author_message("INSULT", Action.REVIEW, overrides=article.messages, characters=3) == (
        "Easy there: 3 characters."
    )
    assert author_message("INSULT", Action.REJECT, overrides=article.messages) == "No."
    for bad in ({"NOPE": "x"}, {"INSULT": {"maybe": "x"}}, {"INSULT": "{oops"}, {"INSULT": ""}):
        with pytest.raises(InvalidPolicy):
            Policy.from_document({"messages": bad})
