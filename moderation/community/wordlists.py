"""Site word lists: banned (BANNED_WORD), suspect (SUSPECT_WORD) and an allow-list that wins over both.

A term is a word or a phrase; ``*`` stands for any letters inside a word (``idiot*`` matches ``idiots``
and ``idiotic``, ``*hole`` matches ``asshole``). Matching is whole-word and case-insensitive, on the text
as the model reads it: ``models.preprocess.prepare`` (NFKC, emoji to words, homoglyphs, l33t, spaced
letters, letter runs), so ``1d10t``, ``і d і о t`` (Cyrillic) and ``ｉｄｉｏｔ`` match ``idiot``. Terms are
prepared the same way. Every match is mapped back through ``prepare``'s trace to the span of the ORIGINAL
text it came from.

Whole words keep the Scunthorpe problem away for words inside words (``Scunthorpe``, ``Essex``,
``Penistone`` do not match ``cunt``, ``sex``, ``penis``); a name that IS a listed word, or a wildcard that
reaches into a place name (``shit*`` and ``Shitterton``), is what the allow-list is for: an allowed term
that overlaps a match cancels it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from models.preprocess import Prepared, prepare

MAX_TERMS = 2000  # per list
MAX_TERM_CHARS = 100
_WORD_CHAR = r"[^\W_]"
_TERM_CHARS = re.compile(r"^[^\x00-\x1f\x7f]+$")


@dataclass(frozen=True)
class WordLists:
    """A site's lists as written by its editors (validated by ``policy_document``)."""

    banned: tuple[str, ...] = ()
    suspect: tuple[str, ...] = ()
    allow: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.banned or self.suspect)


@dataclass(frozen=True)
class WordMatch:
    """One listed term found in a comment: ``begin``/``end`` index the ORIGINAL text (code points)."""

    term: str
    kind: str  # "banned" or "suspect"
    begin: int
    end: int


def term_problem(term: str) -> str | None:
    """Why a list entry is unusable (empty, too long, control characters, only wildcards), or None."""
    if not isinstance(term, str) or not term.strip():
        return "a term must be a non-empty string"
    if len(term) > MAX_TERM_CHARS:
        return f"a term must be at most {MAX_TERM_CHARS} characters"
    if not _TERM_CHARS.match(term):
        return "a term may not contain control characters"
    if not _pattern_source(term):
        return "a term needs at least one letter or digit besides '*'"
    return None


def _lower(text: str) -> str:
    """Lower case, one character for one (a character whose lower case is longer stays as it is), so the
    prepared text's trace still holds."""
    return "".join(low if len(low := ch.lower()) == 1 else ch for ch in text)


def _pattern_source(term: str) -> str:
    """The term's regular expression over lower-cased prepared text ('' when it has no letters)."""
    pieces = []
    for piece in term.split("*"):
        words = _lower(prepare(piece).text).split() if piece.strip() else []
        pieces.append(r"\s+".join(re.escape(w) for w in words))
    if not any(pieces):
        return ""
    # a piece that ended in a space (``"bad *"``) cannot glue to the wildcard; keep it simple: wildcard =
    # letters inside the same word. A wildcard before a middle piece finds that piece's FIRST occurrence and
    # commits to it (an atomic group): a glob loses no match that way (the letters skipped are word letters
    # either way), and matching stays linear. Plain ``\w*`` between pieces backtracked through every split of
    # a long word: ``x*x*x*x*x*x*x*x*x*x`` on one 5,000-letter word never finished, holding the GIL.
    wild = f"{_WORD_CHAR}*"
    source = f"(?<!{_WORD_CHAR})" + pieces[0]
    for piece in pieces[1:-1]:
        source += f"(?>{wild}?{piece})" if piece else ""  # an empty piece (``**``): its neighbours' wildcards
    if len(pieces) > 1:
        source += f"{wild}{pieces[-1]}" if pieces[-1] else f"{wild}+"
    return source + f"(?!{_WORD_CHAR})"


@lru_cache(maxsize=256)
def _compiled(terms: tuple[str, ...]) -> tuple[tuple[str, re.Pattern[str]], ...]:
    out = []
    for term in terms:
        source = _pattern_source(term)
        if source:
            out.append((term, re.compile(source)))
    return tuple(out)


def _find(prepared: str, terms: tuple[str, ...]) -> list[tuple[str, int, int]]:
    return [(term, m.start(), m.end()) for term, rx in _compiled(terms) for m in rx.finditer(prepared)]


def find_words(text: str, lists: WordLists, *, prepared: Prepared | None = None) -> list[WordMatch]:
    """Banned and suspect terms found in ``text`` (allowed overlaps removed), in text order; spans index
    ``text``. ``prepared`` saves a second ``prepare(text)`` when the caller has one."""
    if not lists:
        return []
    prep = prepared if prepared is not None else prepare(text)
    folded = _lower(prep.text)
    allowed = _find(folded, lists.allow)
    found: list[WordMatch] = []
    for kind, terms in (("banned", lists.banned), ("suspect", lists.suspect)):
        for term, begin, end in _find(folded, terms):
            if any(a_begin < end and begin < a_end for _, a_begin, a_end in allowed):
                continue
            source_begin, source_end = prep.source_span(begin, end)
            found.append(WordMatch(term, kind, source_begin, source_end))
    return sorted(found, key=lambda m: (m.begin, m.kind))
