"""Point 5: normalization before the models; the original text is kept and spans refer to it."""

from __future__ import annotations

import pytest

from moderation.text import find_control_character, fold, normalize, sentences


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("ｙｏｕ ａｒｅ ｗｒｏｎｇ", "you are wrong"),  # NFKC: fullwidth
        ("id\u200bi\u200dot\u202e", "idiot"),  # zero-width and bidi controls removed
        ("уоu аrе stuріd", "you are stupid"),  # Cyrillic look-alikes
        ("h3ll0 w0rld", "hello world"),  # l33t inside words
        ("in 2020 I was 4 years older", "in 2020 I was 4 years older"),  # numbers are not l33t
        ("you are an i d i o t", "you are an idiot"),  # spaced letters joined
        ("i.d.i.o.t", "idiot"),
        ("stuuuuuupid", "stuupid"),  # letter runs cut to 2
        ("$h1t", "shit"),
        ("good", "good"),
    ],
)
def test_fold(raw: str, folded: str) -> None:
    assert fold(raw) == folded


def test_normalize_keeps_ordinary_text_and_other_scripts() -> None:
    for text in ("Hello, world!", "مرحبا بالعالم", "日本語のコメント", "Ünïcödé façade"):
        assert normalize(text) == text


def test_sentences_offsets_point_into_the_original() -> None:
    original = "  Y0u are an і d і о t.  Th1s is fine!\nOK"
    spans = sentences(original)
    assert [s[2] for s in spans] == ["You are an idiot.", "This is fine!", "OK"]
    for begin, end, _ in spans:
        assert original[begin:end] == original[begin:end].strip()
    assert original[spans[0][0] : spans[0][1]] == "Y0u are an і d і о t."
    assert original[spans[1][0] : spans[1][1]] == "Th1s is fine!"


def test_control_characters_are_named() -> None:
    assert find_control_character("fine\ttext\nwith breaks\r") is None
    assert find_control_character("a\x00b") == "NUL (U+0000) at position 1"
    assert find_control_character("ab\x07") == "control character (U+0007) at position 2"
