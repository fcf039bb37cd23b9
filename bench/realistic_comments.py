"""A deterministic set of realistic reader comments, built from the TRAINING splits in ``../shared/datasets``.

News comments are not one-sentence tweets: the median is ~110 tokens over 3-8 sentences, some run past 1,000
characters, and a few are walls of text. This module stitches such comments together from real texts:

- sentences of tweets (TweetEval offensive / sentiment / hate / stance, HateXplain) with ``@user`` replaced by
  names and ``URL``/``http`` placeholders by links;
- sentences of FNC-1 article bodies (news prose: what readers quote and paraphrase), some put in quotes;
- about 8% of the comments wholly in another language (German, Portuguese, Danish, French, Spanish, Italian,
  Arabic, romanised Hindi: the multilingual training files);
- emoji, a greeting to a named reader, a link, a quoted sentence of the article, now and then.

Shape: 1-12 sentences and 50-3,000 characters (log-normal around 520 characters, median ~400 after the
sentence cap), plus a tail of 10,000-character comments (``long_share``, default 2%). Only ``train`` files are
read (never a test split; the validation splits are left to ``models.evaluate``). The same
``(n, seed, long_share)`` always gives the same comments.

    .venv/bin/python bench/realistic_comments.py [--n 400] [--seed 12] [--show 3]   # prints the set's shape
"""

from __future__ import annotations

import argparse
import csv
import html
import json
import math
import random
import re
import statistics
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATASETS = Path(__file__).resolve().parents[2] / "shared" / "datasets"
MIN_CHARS, MAX_CHARS, LONG_CHARS = 50, 3000, 10_000
MAX_SENTENCES = 12

NAMES = (
    "Maria", "Jürgen", "Aoife", "Siobhán", "José", "Chloé", "Mohammed", "Zoë", "Björn", "Priya", "Tomasz",
    "Ngozi", "Mr. Okafor", "Dr. Lindqvist", "the mayor", "Councillor Brennan", "Ms. Nakamura", "Renée",
)  # fmt: skip
EMOJI = (
    "😂", "🤣", "👍", "👎", "🙄", "😡", "🤦‍♂️", "👏🏽", "❤️", "💯", "🤔", "😢", "🇩🇪", "🇧🇷", "🔥", "🤡",
    "🙏🏻", "😬", "👌", "🤷‍♀️",
)  # fmt: skip
LINKS = (
    "https://www.example-news.com/politics/2024/03/budget-vote?utm_source=comments",
    "https://en.wikipedia.org/wiki/Public_transport",
    "http://bit.ly/3xQz9Lm",
    "https://www.gov.example/report.pdf",
    "www.citycouncil.example/minutes",
)
GREETINGS = ("@{last} ", "{name}, ", "Dear {name}: ", "Replying to {name}: ", "")
OTHER_LANGUAGES = (
    "multilingual/civility/de-germeval2018.train.jsonl",
    "multilingual/civility/pt-toldbr.train.jsonl",
    "multilingual/civility/da-offenseval2020.train.jsonl",
    "multilingual/sentiment/fr.train.jsonl",
    "multilingual/sentiment/es.train.jsonl",
    "multilingual/sentiment/it.train.jsonl",
    "multilingual/sentiment/ar.train.jsonl",
    "multilingual/sentiment/hi.train.jsonl",
)
ENGLISH = (
    "tweeteval/offensive/train.jsonl",
    "tweeteval/sentiment/train.jsonl",
    "tweeteval/hate/train.jsonl",
    "tweeteval/stance/abortion/train.jsonl",
    "tweeteval/stance/climate/train.jsonl",
    "tweeteval/stance/feminist/train.jsonl",
    "tweeteval/stance/hillary/train.jsonl",
    "tweeteval/stance/atheism/train.jsonl",
)
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[\"“'A-ZÀ-ÖØ-Þ0-9@#])")
_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")  # what the API refuses


@dataclass(frozen=True)
class Comment:
    """One realistic comment: ``kind`` is ``en`` (English), ``other`` (another language) or ``long``."""

    id: str
    text: str
    lang: str
    kind: str
    sentences: int


def _clean(text: str, rng: random.Random) -> str:
    text = html.unescape(html.unescape(_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)))
    text = _CONTROL.sub("", text.replace("#SemST", ""))
    text = re.sub(r"<user>|@user\b|@USER\b|@\w+", lambda _: "@" + rng.choice(NAMES).split()[-1], text)
    text = re.sub(r"\bURL\b|\bhttp\b(?!s?://)", lambda _: rng.choice(LINKS), text)
    return re.sub(r"\s+", " ", text).strip()


def _split(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if len(s.strip()) >= 3]


def _read_jsonl(relative: str, limit: int) -> list[tuple[str, str]]:
    path = DATASETS / relative
    out = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            out.append((str(row["text"]), str(row.get("lang", "en"))))
            if len(out) >= limit:
                break
    return out


@cache
def _pools(seed: int) -> tuple[list[str], list[str], dict[str, list[str]]]:
    """(English comment sentences, article sentences, language -> sentences), all from training files."""
    rng = random.Random(seed)
    english: list[str] = []
    for rel in ENGLISH:
        for text, _ in _read_jsonl(rel, 4000):
            english.extend(_split(_clean(text, rng)))
    hatexplain = DATASETS / "hatexplain/all.jsonl"  # no official split; its text has no punctuation
    with hatexplain.open(encoding="utf-8") as handle:
        for k, line in zip(range(2000), handle, strict=False):
            if k % 4 == 0:
                text = _clean(json.loads(line)["text"], rng)
                english.append(text[:1].upper() + text[1:] + ".")
    articles: list[str] = []
    with (DATASETS / "fnc1/train_bodies.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            articles.extend(s for s in _split(re.sub(r"\s+", " ", row["articleBody"])) if len(s) < 400)
    other: dict[str, list[str]] = {}
    for rel in OTHER_LANGUAGES:
        for text, lang in _read_jsonl(rel, 3000):
            other.setdefault(lang, []).extend(_split(_clean(text, rng)))
    return english, articles, other


def _decorate(sentence: str, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.12:
        return f"{sentence} {rng.choice(EMOJI)}"
    if roll < 0.16:
        return f"{sentence} {rng.choice(EMOJI)}{rng.choice(EMOJI)}"
    if roll < 0.19:
        return f"{sentence} See {rng.choice(LINKS)}"
    return sentence


def _target_chars(rng: random.Random) -> int:
    return int(min(MAX_CHARS, max(MIN_CHARS, rng.lognormvariate(math.log(520), 0.8))))


def _english(rng: random.Random, english: list[str], articles: list[str]) -> list[str]:
    target, want = _target_chars(rng), rng.randint(1, MAX_SENTENCES)
    parts: list[str] = []
    name = rng.choice(NAMES)
    greeting = rng.choice(GREETINGS).format(name=name, last=name.split()[-1])
    while len(parts) < want and sum(len(p) + 1 for p in parts) < target:
        roll = rng.random()
        if roll < 0.12:
            quoted = rng.choice(articles)
            parts.append(rng.choice(('"{}"', "“{}”", "'{}'", "> {}")).format(quoted.rstrip(".")) + ".")
        elif roll < 0.3:
            parts.append(rng.choice(articles))
        else:
            parts.append(_decorate(rng.choice(english), rng))
    if parts:
        parts[0] = greeting + parts[0]
    return parts


def _fit(parts: list[str], rng: random.Random, pool: list[str]) -> str:
    """Join, then trim or grow to MIN_CHARS..MAX_CHARS at a sentence boundary (1..MAX_SENTENCES kept)."""
    while len(" ".join(parts)) < MIN_CHARS and len(parts) < MAX_SENTENCES:
        parts.append(rng.choice(pool))
    while len(parts) > 1 and len(" ".join(parts)) > MAX_CHARS:
        parts.pop()
    text = " ".join(parts)
    if len(text) > MAX_CHARS:
        text = text[: MAX_CHARS - 1].rsplit(" ", 1)[0] + "…"
    if len(text) < MIN_CHARS:
        text = (text + " " + rng.choice(pool))[:MAX_CHARS]
    return text


def _long(rng: random.Random, english: list[str], articles: list[str]) -> str:
    """A ~10,000-character wall of text: quoted article passages and the reader's own sentences."""
    parts: list[str] = []
    while sum(len(p) + 1 for p in parts) < LONG_CHARS + 200:
        parts.append(rng.choice(articles) if rng.random() < 0.5 else _decorate(rng.choice(english), rng))
        if rng.random() < 0.1:
            parts.append("\n\n")
    text = " ".join(parts).replace(" \n\n ", "\n\n")
    return text[:LONG_CHARS].rsplit(" ", 1)[0]


def realistic_comments(n: int = 400, *, seed: int = 12, long_share: float = 0.02) -> list[Comment]:
    """``n`` comments (``round(n * long_share)`` of them ~10,000 characters, spread through the list)."""
    english, articles, other = _pools(seed)
    rng = random.Random(seed)
    n_long = round(n * long_share)
    long_at = set(rng.sample(range(n), n_long)) if n_long else set()
    langs = sorted(other)
    out: list[Comment] = []
    for i in range(n):
        if i in long_at:
            text = _long(rng, english, articles)
            out.append(Comment(f"rc{i}", text, "en", "long", len(_split(text))))
        elif rng.random() < 0.08:
            lang = rng.choice(langs)
            pool = other[lang]
            parts = [_decorate(rng.choice(pool), rng) for _ in range(rng.randint(1, 6))]
            text = _fit(parts, rng, pool)
            out.append(Comment(f"rc{i}", text, lang, "other", len(parts)))
        else:
            parts = _english(rng, english, articles)
            text = _fit(parts, rng, english)
            out.append(Comment(f"rc{i}", text, "en", "en", len(_split(text))))
    return out


def describe(comments: list[Comment]) -> str:
    """One line: count, characters (p50 / p90 / max), kinds."""
    chars = sorted(len(c.text) for c in comments)
    kinds = {k: sum(c.kind == k for c in comments) for k in ("en", "other", "long")}
    p90 = chars[int(0.9 * (len(chars) - 1))]
    return (
        f"{len(comments)} comments: characters p50 {statistics.median(chars):.0f}, p90 {p90}, "
        f"max {chars[-1]}; {kinds['en']} English, {kinds['other']} other languages, "
        f"{kinds['long']} of ~{LONG_CHARS:,} characters"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=400)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--long-share", type=float, default=0.02)
    parser.add_argument("--show", type=int, default=3, help="print this many comments")
    args = parser.parse_args(argv)
    comments = realistic_comments(args.n, seed=args.seed, long_share=args.long_share)
    print(describe(comments))
    for c in comments[: args.show]:
        print(f"--- {c.id} ({c.kind}, {c.lang}, {len(c.text)} chars)\n{c.text}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
