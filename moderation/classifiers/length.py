"""Length classifier: user-perceived characters (grapheme clusters) and padding detection.

Whitespace around the text is ignored and runs of whitespace count as one space. Padding is repetition used as
filler: a character run ("aaaaaaa", "!!!!!!!"), a word or short phrase repeated ("good good good"), or a word
that is one short unit repeated ("lololololol"). ``padding`` is the share of characters that are such filler;
the classifier flags it when filler is most of the text; the policy also flags it when without the filler
the comment would be under the policy's minimum (``unpadded_characters``, see ``policy.judge_length``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import regex

from moderation.domain import LengthScore

_WS = re.compile(r"\s+")
_TOKEN = re.compile(r"\w+|[^\w\s]+")
_CHAR_RUN = re.compile(r"(.)\1{3,}", re.DOTALL)
_UNIT_WORD = re.compile(r"^(.{1,3}?)\1{2,}.{0,2}$", re.DOTALL)


def collapse(text: str) -> str:
    return _WS.sub(" ", text).strip()


_GRAPHEME = regex.compile(r"\X")


def count_graphemes(text: str) -> int:
    """User-perceived characters: extended grapheme clusters (Unicode UAX #29, the ``regex`` module's ``\\X``;
    an emoji with skin tone or a family emoji is one)."""
    return sum(1 for _ in _GRAPHEME.finditer(text))


def _repeated_tokens(tokens: list[str]) -> set[int]:
    """Indices of tokens that repeat the n-gram just before them, in runs of >= 3 copies (n = 1..4)."""
    lowered = [t.casefold() for t in tokens]
    marked: set[int] = set()
    for n in range(1, 5):
        i = 0
        while i + n <= len(lowered):
            unit = lowered[i : i + n]
            copies = 1
            while lowered[i + copies * n : i + (copies + 1) * n] == unit:
                copies += 1
            if copies >= 3:
                marked.update(range(i + n, i + copies * n))
                i += copies * n
            else:
                i += 1
    return marked


def padding_characters(text: str) -> int:
    """How many characters of the (collapsed) text are filler."""
    filler = sum(len(m.group()) - 2 for m in _CHAR_RUN.finditer(text))
    tokens = [(m.group(), m.start()) for m in _TOKEN.finditer(text)]
    marked = _repeated_tokens([t for t, _ in tokens])
    for index, (token, _) in enumerate(tokens):
        if index in marked:
            filler += len(token) + 1  # the token and the space before it
        elif len(token) >= 6 and _UNIT_WORD.match(token.casefold()) and not _CHAR_RUN.search(token):
            filler += len(token) - 3
    return min(filler, len(text))


@dataclass(frozen=True)
class LengthClassifier:
    name: str = "length"
    flag_share: float = 0.5

    def measure(self, text: str) -> LengthScore:
        """Characters, the filler's share, and whether filler is most of the text; no limits here."""
        collapsed = collapse(text)
        characters = count_graphemes(collapsed)
        filler = padding_characters(collapsed)
        share = filler / len(collapsed) if collapsed else 0.0
        return LengthScore(
            characters=characters,
            padding=round(share, 4),
            padding_detected=filler > 0 and share >= self.flag_share,
            unpadded_characters=characters - filler,
        )
