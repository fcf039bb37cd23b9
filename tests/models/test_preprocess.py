"""The model input (models.preprocess): what the encoder reads, and the trace back to the original text."""

from __future__ import annotations

import pytest

from models.preprocess import model_text, prepare


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The author 🤡🤡 and 🖕", "The author clown face clown face and middle finger"),
        ("👍🏽 agreed", "thumbs up agreed"),  # skin tones dropped
        ("іdіоt", "idiot"),  # Cyrillic look-alikes inside a Latin word
        ("Привет, мир", "Привет, мир"),  # a Russian word stays Russian
        ("you id10t, h3ll0", "you idiot, hello"),
        ("in 2020 we had 4 cars", "in 2020 we had 4 cars"),  # numbers stay
        ("@user @john_doe said", "@user @john_doe said"),  # mentions are not l33t
        ("you are s t u p i d", "you are stupid"),
        ("sooooo goooood", "soo good"),
        ("Ｆｕｌｌｗｉｄｔｈ ﬁne", "Fullwidth fine"),
        ("zero\u200bwidth", "zerowidth"),
        ("  spaced   out  ", "spaced out"),
    ],
)
def test_model_text(text: str, expected: str) -> None:
    assert model_text(text) == expected


def test_every_character_traces_back_to_the_original() -> None:
    text = "Caf\u00e9 re\u0301port 🤡🤡 by іdіоt 👨\u200d👩\u200d👧!"
    prepared = prepare(text)
    assert len(prepared.begins) == len(prepared.ends) == len(prepared.text)
    for word, original in (
        ("clown", "🤡"),
        ("r\u00e9port", "re\u0301port"),
        ("idiot", "іdіоt"),
        ("family", "👨\u200d👩\u200d👧"),
    ):
        i = prepared.text.index(word)
        begin, end = prepared.source_span(i, i + len(word))
        assert text[begin:end] == original
    assert all(0 <= b < e <= len(text) for b, e in zip(prepared.begins, prepared.ends, strict=True))


def test_preparing_twice_changes_nothing() -> None:
    for text in ("You are a m0r0n 🤡", "Das ist eine Frechheit!!!!", "ok"):
        once = model_text(text)
        assert model_text(once) == once
