"""python3 models/eval_data/check_zero_shot.py [PATH]: validate ``zero_shot_civility.jsonl``; print counts.

Standard library only. Checks:

- every line is a JSON object with exactly the string fields ``text, lang, label, kind``; ``lang`` is one of
  es/fr/it/nl/pl, ``label`` is ``offensive`` or ``not-offensive`` and ``kind`` belongs to that label;
- text is non-empty, one line, without surrounding whitespace, at most 500 characters;
- counts: es/fr/it have 80 rows each and nl/pl 30, half of each offensive; every kind occurs in every
  language;
- no duplicate text (compared casefolded, without punctuation) and no near-duplicate: two texts whose word
  sets have a Jaccard similarity of 0.5 or more;
- no two texts of one language start with the same two words more than twice;
- no reserved topic (Venezuela, Caracas, embassies: reserved for other tests), and neither the reserved
  sentence "Cállate, vendido, no sabes nada de mi país y solo escribes basura." nor a close variant or
  translation of it (word-set Jaccard 0.3 or more, or three of its four key words).

Exit status 0 when every check passes, 1 otherwise (each failure is printed).
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections import Counter
from itertools import combinations
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
FIELDS = ("text", "lang", "label", "kind")
KINDS = {
    "offensive": ("insult", "profanity", "identity_attack", "threat"),
    "not-offensive": ("civil_critical", "civil", "tricky"),
}
ROWS_PER_LANG = {"es": 80, "fr": 80, "it": 80, "nl": 30, "pl": 30}
MAX_CHARS = 500
LONG_CHARS = 200  # texts this long or longer are counted as "long" in the table
NEAR_DUPLICATE = 0.5  # word-set Jaccard at which two texts count as near-duplicates
SAME_OPENING_MAX = 2  # texts of one language allowed to share their first two words
RESERVED = re.compile(
    r"venezuel|caracas|embass|embaj|embaix|ambassad|ambasciat|ambasad|botschaft", re.IGNORECASE
)
# The reserved sentence, its translations into the other languages here, and the four key words of each
# (as regular expressions); a text matching three of the four keys is a close variant.
RESERVED_SENTENCE = {
    "es": (
        "Cállate, vendido, no sabes nada de mi país y solo escribes basura.",
        (r"c[aá]llate", r"vendid[oa]", r"pa[ií]s", r"basura"),
    ),
    "fr": (
        "Tais-toi, vendu, tu ne sais rien de mon pays et tu n'écris que des ordures.",
        (r"tais[- ]toi", r"vendue?", r"pays", r"ordures?|torchons?|conneries"),
    ),
    "it": (
        "Stai zitto, venduto, non sai niente del mio paese e scrivi solo spazzatura.",
        (r"zitt[oa]", r"vendut[oa]", r"paese", r"spazzatura|schifezze"),
    ),
    "nl": (
        "Hou je mond, omgekochte, je weet niets van mijn land en je schrijft alleen onzin.",
        (r"hou je (?:mond|bek)", r"omgekocht\w*", r"land", r"onzin|rommel|troep"),
    ),
    "pl": (
        "Zamknij się, sprzedawczyku, nic nie wiesz o moim kraju i piszesz same śmieci.",
        (r"zamknij si[eę]", r"sprzedawczyk\w*|sprzedan\w*", r"kraj\w*", r"śmieci|bzdury"),
    ),
}


def words(text: str) -> list[str]:
    """Lowercased words of ``text`` (letters and digits; accents kept)."""
    return re.findall(r"\w+", text.casefold())


def normalized(text: str) -> str:
    """``text`` casefolded, accents and punctuation dropped, whitespace collapsed (for duplicate checks)."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))
    return " ".join(re.findall(r"\w+", plain))


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def check_row(n: int, row: Any) -> list[str]:
    where = f"line {n}"
    if not isinstance(row, dict) or sorted(row) != sorted(FIELDS):
        return [f"{where}: expected an object with exactly the fields {list(FIELDS)}"]
    if not all(isinstance(row[f], str) for f in FIELDS):
        return [f"{where}: every field must be a string"]
    errors: list[str] = []
    text, lang, label, kind = row["text"], row["lang"], row["label"], row["kind"]
    if lang not in ROWS_PER_LANG:
        errors.append(f"{where}: lang {lang!r}")
    if label not in KINDS:
        errors.append(f"{where}: label {label!r}")
    elif kind not in KINDS[label]:
        errors.append(f"{where}: kind {kind!r} is not a {label} kind")
    if not text.strip() or text != text.strip() or "\n" in text:
        errors.append(f"{where}: empty text, surrounding whitespace or a line break")
    if len(text) > MAX_CHARS:
        errors.append(f"{where}: {len(text)} characters (at most {MAX_CHARS})")
    if RESERVED.search(text):
        errors.append(f"{where}: mentions a topic reserved for other tests")
    return errors


def check_reserved_sentence(rows: list[dict[str, str]]) -> list[str]:
    errors: list[str] = []
    for n, row in enumerate(rows, 1):
        text_words = set(words(row["text"]))
        low = row["text"].casefold()
        for lang, (sentence, keys) in RESERVED_SENTENCE.items():
            similarity = jaccard(text_words, set(words(sentence)))
            hits = sum(bool(re.search(rf"\b(?:{key})\b", low)) for key in keys)
            if similarity >= 0.3 or hits >= 3:
                errors.append(f"line {n}: close to the reserved sentence ({lang}, Jaccard {similarity:.2f})")
    return errors


def similar_pairs(rows: list[dict[str, str]]) -> list[tuple[int, int, float]]:
    """Every pair of lines (1-based) with the word-set Jaccard of their texts, most similar first."""
    sets = [set(words(r["text"])) for r in rows]
    pairs = [(i + 1, j + 1, jaccard(a, b)) for (i, a), (j, b) in combinations(enumerate(sets), 2)]
    return sorted(pairs, key=lambda pair: -pair[2])


def check_set(rows: list[dict[str, str]]) -> list[str]:
    """Counts, duplicates, near-duplicates and repeated openings over the whole file."""
    errors: list[str] = []
    per_lang = Counter(r["lang"] for r in rows)
    per_label = Counter((r["lang"], r["label"]) for r in rows)
    per_kind = Counter((r["lang"], r["kind"]) for r in rows)
    for lang, expected in ROWS_PER_LANG.items():
        if per_lang[lang] != expected:
            errors.append(f"{lang}: {per_lang[lang]} rows, expected {expected}")
        for label, kinds in KINDS.items():
            if per_label[(lang, label)] != expected // 2:
                errors.append(f"{lang}: {per_label[(lang, label)]} {label} rows, expected {expected // 2}")
            errors += [f"{lang}: no {kind} row" for kind in kinds if not per_kind[(lang, kind)]]

    first_line: dict[str, int] = {}
    for n, row in enumerate(rows, 1):
        key = normalized(row["text"])
        if key in first_line:
            errors.append(f"line {n}: duplicates line {first_line[key]}")
        first_line.setdefault(key, n)

    for i, j, similarity in similar_pairs(rows):
        if similarity >= NEAR_DUPLICATE:
            errors.append(f"lines {i} and {j}: near-duplicates (word Jaccard {similarity:.2f})")

    openings = Counter((r["lang"], " ".join(normalized(r["text"]).split()[:2])) for r in rows)
    errors += [
        f"{lang}: {count} texts open with {opening!r}"
        for (lang, opening), count in openings.items()
        if count > SAME_OPENING_MAX
    ]
    return errors


def table(rows: list[dict[str, str]]) -> str:
    langs = list(ROWS_PER_LANG)
    counts = Counter((r["lang"], r["kind"]) for r in rows)

    def line(name: str, cells: list[int]) -> str:
        return f"{name:<20}" + "".join(f"{c:>6}" for c in cells) + f"{sum(cells):>7}"

    head = f"{'kind':<20}" + "".join(f"{lang:>6}" for lang in langs) + f"{'all':>7}"
    out = [head, "-" * len(head)]
    for label, kinds in KINDS.items():
        out += [line(kind, [counts[(lang, kind)] for lang in langs]) for kind in kinds]
        out.append(line("= " + label, [sum(counts[(lang, k)] for k in kinds) for lang in langs]))
    out.append(line("= all", [sum(r["lang"] == lang for r in rows) for lang in langs]))
    out.append("")
    lengths = {lang: [len(r["text"]) for r in rows if r["lang"] == lang] for lang in langs}
    out.append(line(f"{LONG_CHARS}+ characters", [sum(n >= LONG_CHARS for n in v) for v in lengths.values()]))
    out.append(f"{'max characters':<20}" + "".join(f"{max(lengths[lang], default=0):>6}" for lang in langs))
    out.append(
        f"{'median characters':<20}"
        + "".join(f"{sorted(v)[len(v) // 2] if v else 0:>6}" for v in lengths.values())
    )
    i, j, similarity = similar_pairs(rows)[0] if len(rows) > 1 else (0, 0, 0.0)
    out.append(f"most similar pair: lines {i} and {j}, word Jaccard {similarity:.2f}")
    return "\n".join(out)


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else HERE / "zero_shot_civility.jsonl"
    raw: list[Any] = []
    errors: list[str] = []
    with path.open(encoding="utf-8") as handle:
        for n, line in enumerate(handle, 1):
            try:
                raw.append(json.loads(line))
            except json.JSONDecodeError as exc:
                errors.append(f"line {n}: not JSON ({exc})")
                raw.append(None)
    for n, row in enumerate(raw, 1):
        if row is not None:
            errors += check_row(n, row)
    if not errors:
        rows: list[dict[str, str]] = raw
        errors += check_reserved_sentence(rows)
        errors += check_set(rows)
        print(table(rows))
    for error in errors:
        print("FAIL", error)
    print(f"{path.name}: {len(raw)} rows, {len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
