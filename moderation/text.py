"""Text checks and sentence segmentation that keeps offsets into the original text.

``normalize`` is the light form (NFKC, invisible controls removed). The model input itself (emoji to words,
homoglyphs, l33t, spaced letters, letter runs, each character traced back to the original) is
``models.preprocess.prepare``: the runtime applies it, so training and serving read the same text.
The original text is stored and returned, and every span refers to it.
"""

from __future__ import annotations

import re
import unicodedata

import sentencex

# Zero-width characters, bidi embeddings/overrides/isolates, soft hyphen, word joiner, BOM, selectors
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f"
    "\u3164\ufe00-\ufe0f\ufeff\uffa0]"
)
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


def sentences(text: str, language: str = "en") -> list[tuple[int, int, str]]:
    """Sentences of the ORIGINAL text as ``(begin, end, sentence)``; offsets index into ``text`` (code
    points).

    Segmentation: Wikimedia's ``sentencex`` (MIT; rules for ~300 languages, abbreviations included; a Rust
    core, about 0.2 ms for 1,000 characters), in the comment's language (ISO 639-1; English rules when
    unknown)."""
    out: list[tuple[int, int, str]] = []
    for bound in sentencex.get_sentence_boundaries(language, text):
        begin, end = int(bound["start_index"]), int(bound["end_index"])
        chunk = text[begin:end]
        stripped = chunk.strip()
        if not stripped:
            continue
        lead = len(chunk) - len(chunk.lstrip())
        start = begin + lead
        out.append((start, start + len(stripped), stripped))
    return out


def estimate_tokens(texts: list[str]) -> list[int]:
    """About four characters an encoder token plus a window's special tokens: a token count for budgets
    where no tokenizer is at hand."""
    return [len(t) // 4 + 4 for t in texts]
