"""Point 4: the length classifier counts grapheme clusters and measures padding; the policy judges the limits
(``judge_length``), so each case here is measured and then judged under the limits it names."""

from __future__ import annotations

import pytest

from moderation.classifiers.length import LengthClassifier
from moderation.domain import LengthScore
from moderation.policy import judge_length


def classify(text: str, *, min_chars: int, max_chars: int) -> LengthScore:
    return judge_length(LengthClassifier().measure(text), min_chars=min_chars, max_chars=max_chars)


def test_graphemes_not_code_points() -> None:
    text = "👍🏽👨‍👩‍👧🇫🇷é"  # 4 user-perceived characters, 11 code points
    assert len(text) > 4
    assert classify(text, min_chars=1, max_chars=10).characters == 4


def test_whitespace_is_trimmed_and_collapsed() -> None:
    assert classify("   a  \n\n b\t\tc   ", min_chars=1, max_chars=10).characters == 5


def test_minimum_and_maximum() -> None:
    short = classify("x" * 10 + " short one", min_chars=50, max_chars=100)
    assert short.too_short and not short.too_long
    long = classify("word " * 30, min_chars=1, max_chars=100)
    assert long.too_long and long.characters == 149


@pytest.mark.parametrize(
    "padded",
    [
        "Good point." + "a" * 45,
        "I agree!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
        "good " * 12,
        "I like it. " + "lol " * 12,
        "Nice article. lolololololololololololololololololololol",
        "The talks matter. The talks matter. The talks matter. The talks matter.",
        "........................................................ ok",
    ],
)
def test_padding_is_flagged(padded: str) -> None:
    result = classify(padded, min_chars=50, max_chars=5000)
    assert not result.too_short
    assert result.padding_detected, result
    assert 0.0 < result.padding <= 1.0


@pytest.mark.parametrize(
    "genuine",
    [
        "I think reopening the embassy is a sensible step for both countries, honestly.",
        "Very very good article about the talks; I had not heard about the travel warning.",
        "hahaha that is a funny take on the whole embassy story, but I mostly agree with it.",
        "Wow!!! This is really, really important news for everyone living in Caracas today.",
    ],
)
def test_genuine_comments_are_not_padding(genuine: str) -> None:
    result = classify(genuine, min_chars=50, max_chars=5000)
    assert not result.padding_detected, result


def test_a_little_filler_that_reaches_the_minimum_is_flagged() -> None:
    text = "This is my honest opinion on it" + "!" * 22  # 31 real characters + filler to pass 50
    result = classify(text, min_chars=50, max_chars=5000)
    assert result.characters >= 50 and result.padding < 0.5
    assert result.padding_detected
