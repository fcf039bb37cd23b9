"""The original text is kept and sentence spans refer to it (what the model reads is models/preprocess.py,
tested in tests/models/test_preprocess.py)."""

from __future__ import annotations

from moderation.text import find_control_character, normalize, sentences


def test_normalize_keeps_ordinary_text_and_other_scripts() -> None:
    for text in ("Hello, world!", "مرحبا بالعالم", "日本語のコメント", "Ünïcödé façade"):
        assert normalize(text) == text


def test_sentences_offsets_point_into_the_original() -> None:
    original = "  Y0u are an і d і о t!  Th1s is fine!\nOK"
    spans = sentences(original)
    assert [s[2] for s in spans] == ["Y0u are an і d і о t!", "Th1s is fine!", "OK"]
    for begin, end, _ in spans:
        assert original[begin:end] == original[begin:end].strip()
    assert original[spans[0][0] : spans[0][1]] == "Y0u are an і d і о t!"
    assert original[spans[1][0] : spans[1][1]] == "Th1s is fine!"


def test_control_characters_are_named() -> None:
    assert find_control_character("fine\ttext\nwith breaks\r") is None
    assert find_control_character("a\x00b") == "NUL (U+0000) at position 1"
    assert find_control_character("ab\x07") == "control character (U+0007) at position 2"
