"""Text normalization before the models, and sentence segmentation that keeps offsets into the original.

``normalize`` is the light form (NFKC, invisible controls removed); ``fold`` adds the de-obfuscation the
civility input needs (homoglyphs, l33t inside words, s p a c e d letters, letter runs). The folded text is the
model input for every head (one encoder pass); the original text is stored and returned, and spans
refer to it.
"""

from __future__ import annotations

import itertools
import re
import unicodedata

from uniseg.sentencebreak import sentence_boundaries

# Zero-width characters, bidi embeddings/overrides/isolates, soft hyphen, word joiner, BOM, selectors
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f"
    "\u3164\ufe00-\ufe0f\ufeff\uffa0]"
)
# Cyrillic and Greek look-alikes of Latin letters (NFKC already folds fullwidth and math letters)
_HOMOGLYPHS = str.maketrans(
    {
        "а": "a",
        "в": "b",
        "е": "e",
        "ё": "e",
        "к": "k",
        "м": "m",
        "н": "h",
        "о": "o",
        "р": "p",
        "с": "c",
        "т": "t",
        "у": "y",
        "х": "x",
        "ѕ": "s",
        "і": "i",
        "ї": "i",
        "ј": "j",
        "ԁ": "d",
        "ɡ": "g",
        "ո": "n",
        "А": "A",
        "В": "B",
        "Е": "E",
        "К": "K",
        "М": "M",
        "Н": "H",
        "О": "O",
        "Р": "P",
        "С": "C",
        "Т": "T",
        "Х": "X",
        "Ѕ": "S",
        "І": "I",
        "Ј": "J",
        "α": "a",
        "ο": "o",
        "ρ": "p",
        "τ": "t",
        "υ": "u",
        "ν": "v",
        "ι": "i",
        "κ": "k",
        "χ": "x",
        "Α": "A",
        "Β": "B",
        "Ε": "E",
        "Ζ": "Z",
        "Η": "H",
        "Ι": "I",
        "Κ": "K",
        "Μ": "M",
        "Ν": "N",
        "Ο": "O",
        "Ρ": "P",
        "Τ": "T",
        "Υ": "Y",
        "Χ": "X",
    }
)
_LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a", "$": "s", "!": "i"}
# A "word" that mixes letters with l33t characters; pure numbers ("2020", "4") never match.
_LEET_WORD = re.compile(r"(?<![\w@$!])[\w@$!]*[^\W\d_][\w@$!]*(?<![!])")
# Single letters separated by single spaces/dots/dashes, at least 3 of them: "s p a c e d", "i.d.i.o.t".
_SPACED = re.compile(r"(?<!\w)(?:[^\W\d_][ .\-_*]){2,}[^\W\d_](?!\w)")
_LETTER_RUN = re.compile(r"([^\W\d_])\1{2,}")
# Characters a client may not send: C0/C1 controls other than tab, newline and carriage return.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def find_control_character(text: str) -> str | None:
    """Describe the first forbidden control character (``"NUL (U+0000) at position 3"``), or None."""
    match = _CONTROL.search(text)
    if match is None:
        return None
    char = match.group()
    label = "NUL " if char == "\x00" else "control character "
    if "\ud800" <= char <= "\udfff":
        label = "lone surrogate "
    return f"{label}(U+{ord(char):04X}) at position {match.start()}"


def normalize(text: str) -> str:
    """NFKC, then invisible and bidi control characters removed."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))


def _unleet(match: re.Match[str]) -> str:
    word = match.group()
    if not any(ch.isalpha() for ch in word) or word.isalpha():
        return word
    return "".join(_LEET.get(ch, ch) for ch in word)


def _join_spaced(match: re.Match[str]) -> str:
    return "".join(ch for ch in match.group() if ch.isalpha())


def fold(text: str) -> str:
    """The model input: normalized, homoglyphs and l33t folded, spaced letters joined, runs cut to 2."""
    folded = normalize(text).translate(_HOMOGLYPHS)
    folded = _LEET_WORD.sub(_unleet, folded)
    folded = _SPACED.sub(_join_spaced, folded)
    return _LETTER_RUN.sub(r"\1\1", folded)


def sentences(text: str) -> list[tuple[int, int, str]]:
    """Sentences of the ORIGINAL text as ``(begin, end, folded sentence)``; offsets index into ``text``."""
    out: list[tuple[int, int, str]] = []
    bounds = list(sentence_boundaries(text))
    for begin, end in itertools.pairwise(bounds):
        chunk = text[begin:end]
        stripped = chunk.strip()
        if not stripped:
            continue
        lead = len(chunk) - len(chunk.lstrip())
        start = begin + lead
        out.append((start, start + len(stripped), fold(stripped)))
    return out
