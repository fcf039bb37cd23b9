"""The model input: one normalised text per comment, with every character traced back to the original.

``prepare(text)`` applies, in order:

1. Unicode NFKC per grapheme cluster (fullwidth and mathematical letters, ligatures), so every output
   character keeps the span of the cluster it came from;
2. emoji to words with the ``emoji`` library (``🤡`` -> `` clown face ``; skin tones and the ``:``
   delimiters dropped), so the encoder reads an insult written in emoji as the words it stands for;
3. invisible and bidi control characters removed (zero-width joiners inside emoji are gone with step 2);
4. Cyrillic and Greek look-alikes folded to Latin, only inside words that also hold Latin letters
   (``іdіоt`` -> ``idiot``; a Russian or Greek word stays as it is);
5. l33t inside words (``h3ll0`` -> ``hello``; numbers such as ``2020`` stay), spaced letters joined
   (``s t u p i d`` -> ``stupid``), runs of one letter cut to two (``sooooo`` -> ``soo``).

The same function prepares training texts and served comments, so the model sees one distribution.
``Prepared.source_span(begin, end)`` maps a character range of the prepared text (e.g. a token's offsets) to
the range of the ORIGINAL text it came from, so span scores index into what the author wrote.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import emoji
import regex

# Zero-width characters, bidi embeddings/overrides/isolates, soft hyphen, word joiner, BOM, selectors
INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f"
    "\u3164\ufe00-\ufe0f\ufeff\uffa0]"
)
_HOMOGLYPHS = str.maketrans(
    "авеёкмнорстухѕіїјԁɡոАВЕКМНОРСТХЅІЈαορτυνικχΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
    "abeekmhopctyxsiijdgnABEKMHOPCTXSIJaoptuvikxABEZHIKMNOPTYX",
)
_LATIN = re.compile(r"[A-Za-z]")
_LOOKALIKE = re.compile("[" + "".join(chr(c) for c in _HOMOGLYPHS) + "]")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a", "$": "s", "!": "i"}
# A "word" that mixes letters with l33t characters; pure numbers ("2020", "4") never match.
_LEET_WORD = re.compile(r"(?<![\w@$!])[\w@$!]*[^\W\d_][\w@$!]*(?<![!])")
# Single letters separated by single spaces/dots/dashes, at least 3 of them: "s p a c e d", "i.d.i.o.t".
_SPACED = re.compile(r"(?<!\w)(?:[^\W\d_][ .\-_*]){2,}[^\W\d_](?!\w)")
_LETTER_RUN = re.compile(r"([^\W\d_])\1{2,}")
_GRAPHEME = regex.compile(r"\X")
_SKIN_TONE = re.compile(r"_(?:light|medium_light|medium|medium_dark|dark)_skin_tone")


@dataclass(frozen=True)
class Prepared:
    """The model input ``text``; ``begins[i]``/``ends[i]`` are the original span of ``text[i]``."""

    text: str
    begins: tuple[int, ...]
    ends: tuple[int, ...]

    def source_span(self, begin: int, end: int) -> tuple[int, int]:
        """Original ``[begin, end)`` covered by prepared characters ``[begin, end)`` (end > begin)."""
        if not self.text:
            return 0, 0
        begin = min(max(begin, 0), len(self.text) - 1)
        end = min(max(end, begin + 1), len(self.text))
        return self.begins[begin], max(self.ends[begin:end])


_Chars = list[tuple[str, int, int]]


def emoji_words(char: str) -> str:
    """``🤡`` -> ``clown face``; ``👍🏽`` -> ``thumbs up``; flags -> the country's name."""
    name = emoji.demojize(char, delimiters=("", ""))
    return _SKIN_TONE.sub("", name).replace("_", " ").strip()


def _sub(chars: _Chars, pattern: re.Pattern[str], replace: object) -> _Chars:
    """Regex substitution on traced characters: a same-length replacement keeps each character's span,
    any other gives every new character the span of the whole match."""
    text = "".join(c for c, _, _ in chars)
    out: _Chars = []
    last = 0
    for match in pattern.finditer(text):
        out.extend(chars[last : match.start()])
        new = replace(match) if callable(replace) else match.expand(str(replace))
        old = chars[match.start() : match.end()]
        if len(new) == len(old):
            out.extend((ch, b, e) for ch, (_, b, e) in zip(new, old, strict=True))
        elif old:
            out.extend((ch, old[0][1], old[-1][2]) for ch in new)
        last = match.end()
    out.extend(chars[last:])
    return out


def _clusters(text: str) -> _Chars:
    """NFKC per grapheme cluster, emoji to words; each output character keeps its cluster's span."""
    emoji_at = {m["match_start"]: m for m in emoji.emoji_list(text)} if not text.isascii() else {}
    if not emoji_at and text.isascii():
        return [(ch, i, i + 1) for i, ch in enumerate(text)]
    out: _Chars = []
    skip_until = 0
    for cluster in _GRAPHEME.finditer(text):
        begin, end = cluster.span()
        if begin < skip_until:
            continue
        found = emoji_at.get(begin)
        if found is not None:
            stop = max(end, int(found["match_end"]))
            words = emoji_words(found["emoji"])
            out.extend((ch, begin, stop) for ch in f" {words} ")
            skip_until = stop
            continue
        out.extend((ch, begin, end) for ch in unicodedata.normalize("NFKC", text[begin:end]))
    return out


def _fold_homoglyphs(match: re.Match[str]) -> str:
    word = match.group()
    if _LATIN.search(word) and _LOOKALIKE.search(word):
        return word.translate(_HOMOGLYPHS)
    return word


def _unleet(match: re.Match[str]) -> str:
    word = match.group()
    if not any(ch.isalpha() for ch in word) or word.isalpha():
        return word
    if word.startswith("@") and (word[1:].isalpha() or word[1:].isidentifier()):
        return word  # a mention (@user, @john_doe), not l33t
    return "".join(_LEET.get(ch, ch) for ch in word)


def _join_spaced(match: re.Match[str]) -> str:
    return "".join(ch for ch in match.group() if ch.isalpha())


_SPACES = re.compile(r"[ \t]{2,}")


def prepare(text: str) -> Prepared:
    """The model input for ``text`` with its trace back to ``text`` (see the module docstring)."""
    chars = [c for c in _clusters(text) if not INVISIBLE.fullmatch(c[0])]
    chars = _sub(chars, _WORD, _fold_homoglyphs)
    chars = _sub(chars, _LEET_WORD, _unleet)
    chars = _sub(chars, _SPACED, _join_spaced)
    chars = _sub(chars, _WORD, _fold_homoglyphs)  # again: joined letters can make a mixed-script word
    chars = _sub(chars, _LETTER_RUN, r"\1\1")
    chars = _sub(chars, _SPACES, " ")
    while chars and chars[0][0].isspace():
        chars.pop(0)
    while chars and chars[-1][0].isspace():
        chars.pop()
    return Prepared(
        text="".join(c for c, _, _ in chars),
        begins=tuple(b for _, b, _ in chars),
        ends=tuple(e for _, _, e in chars),
    )


def model_text(text: str) -> str:
    """``prepare(text).text``: the form training texts are stored in."""
    return prepare(text).text
