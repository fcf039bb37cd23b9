"""python3 models/eval_data/check.py [PATH]: validate ``reader_comments.jsonl`` and print its counts.

Standard library only (plus ``models.splits``, which is standard library only too). Checks:

- every line is a JSON object with exactly the fields ``body_id, text, label, kind, lang, split``,
  allowed values, a kind that belongs to its label, and no empty or duplicated text;
- ``long`` comments hold 500-1,200 characters and 4-8 sentences;
- ``split`` equals ``models.splits.fnc_is_val_body(body_id)`` ("heldout" when True) and no body is in
  both splits;
- the recipe: per body, the English comments are one of each on-topic kind plus 1-2 off-topic; a body with
  comments in other languages has exactly 4 on-topic ones (de, es, fr, pt, one each) and 1 off-topic one;
- when the FNC-1 files are present (``models.splits.DATASETS``; skipped with a note otherwise): every body
  exists, no comment repeats 7 or more consecutive words of its own article, and no heldout body shares a
  related FNC-1 headline (agree/disagree/discuss) with a train body, i.e. the same story is never in both.

Exit status 0 when every check passes, 1 otherwise (each failure is printed).
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
FIELDS = ("body_id", "text", "label", "kind", "lang", "split")
ON_TOPIC = ("reaction", "side_aspect", "question", "critique_of_article", "personal", "long")
OFF_TOPIC = ("spam", "other_story", "chatter", "rant_elsewhere")
LANGS = ("en", "de", "es", "fr", "pt", "it")
SPLITS = ("heldout", "train")
OTHER_LANGS = {"de", "es", "fr", "pt"}  # the zero-shot set: one on-topic comment in each per body
RESERVED = re.compile(r"venezuel|caracas|embass|embajada|embaixada|ambassade|botschaft", re.IGNORECASE)
COPY_RUN = 7  # words in a row shared with the article that count as pasted article text


def load_split_rule() -> tuple[Callable[[str], bool], Path]:
    """``fnc_is_val_body`` and ``DATASETS`` from the checkout this file sits in."""
    sys.path.insert(0, str(HERE.parents[1]))
    from models.splits import DATASETS, fnc_is_val_body

    return fnc_is_val_body, DATASETS


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


def sentences(text: str) -> int:
    return len(re.findall(r"[.!?…]+(?=\s|$)", text))


def check_rows(rows: list[dict[str, Any]], is_val: Callable[[str], bool]) -> list[str]:
    errors: list[str] = []
    seen: Counter[str] = Counter()
    for n, row in enumerate(rows, 1):
        where = f"line {n}"
        if tuple(sorted(row)) != tuple(sorted(FIELDS)):
            errors.append(f"{where}: fields {sorted(row)} != {sorted(FIELDS)}")
            continue
        if not all(isinstance(row[f], str) for f in FIELDS):
            errors.append(f"{where}: every field must be a string")
            continue
        text, kind, label = row["text"], row["kind"], row["label"]
        if not text.strip() or text != text.strip():
            errors.append(f"{where}: empty text or surrounding whitespace")
        seen[text] += 1
        if label not in ("on_topic", "off_topic"):
            errors.append(f"{where}: label {label!r}")
        elif kind not in (ON_TOPIC if label == "on_topic" else OFF_TOPIC):
            errors.append(f"{where}: kind {kind!r} is not a {label} kind")
        if row["lang"] not in LANGS:
            errors.append(f"{where}: lang {row['lang']!r}")
        if row["split"] not in SPLITS:
            errors.append(f"{where}: split {row['split']!r}")
        elif row["split"] != ("heldout" if is_val(row["body_id"]) else "train"):
            errors.append(f"{where}: body {row['body_id']} is in {row['split']!r}; fnc_is_val_body disagrees")
        if kind == "long" and not (500 <= len(text) <= 1200 and 4 <= sentences(text) <= 8):
            errors.append(f"{where}: long comment has {len(text)} chars / {sentences(text)} sentences")
        if RESERVED.search(text):
            errors.append(f"{where}: mentions a topic reserved for other tests")
    errors += [f"duplicate text: {t[:60]!r}" for t, c in seen.items() if c > 1]

    splits_of: dict[str, set[str]] = defaultdict(set)
    by_body: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        splits_of[row["body_id"]].add(row["split"])
        by_body[row["body_id"]].append(row)
    errors += [f"body {b} is in both splits" for b, s in splits_of.items() if len(s) > 1]
    for body, body_rows in by_body.items():
        english = Counter(r["kind"] for r in body_rows if r["lang"] == "en")
        if any(english[k] != 1 for k in ON_TOPIC) or not 1 <= sum(english[k] for k in OFF_TOPIC) <= 2:
            errors.append(f"body {body}: English comments {dict(english)} do not follow the recipe")
        other = [r for r in body_rows if r["lang"] != "en"]
        if other:
            on_langs = sorted(r["lang"] for r in other if r["label"] == "on_topic")
            n_off = sum(r["label"] == "off_topic" for r in other)
            if on_langs != sorted(OTHER_LANGS) or n_off != 1:
                errors.append(f"body {body}: other-language comments {on_langs} + {n_off} off-topic")
    return errors


def check_against_fnc(rows: list[dict[str, Any]], datasets: Path) -> list[str]:
    bodies_csv, stances_csv = datasets / "fnc1/train_bodies.csv", datasets / "fnc1/train_stances.csv"
    if not (bodies_csv.exists() and stances_csv.exists()):
        print(f"note: {bodies_csv.parent} not found, article checks skipped")
        return []
    with bodies_csv.open(encoding="utf-8") as handle:
        bodies = {r["Body ID"]: r["articleBody"] for r in csv.DictReader(handle)}
    headlines: dict[str, set[str]] = defaultdict(set)
    with stances_csv.open(encoding="utf-8") as handle:
        for r in csv.DictReader(handle):
            if r["Stance"] != "unrelated":
                headlines[r["Body ID"]].add(r["Headline"])
    errors: list[str] = []
    runs: dict[str, set[tuple[str, ...]]] = {}
    for n, row in enumerate(rows, 1):
        body = row["body_id"]
        if body not in bodies:
            errors.append(f"line {n}: body {body} is not in {bodies_csv.name}")
            continue
        if body not in runs:
            w = words(bodies[body])
            runs[body] = {tuple(w[i : i + COPY_RUN]) for i in range(len(w) - COPY_RUN + 1)}
        w = words(row["text"])
        spans = [tuple(w[i : i + COPY_RUN]) for i in range(len(w) - COPY_RUN + 1)]
        copied = [span for span in spans if span in runs[body]]
        if copied:
            errors.append(f"line {n}: repeats article text {' '.join(copied[0])!r}")
    heldout = {r["body_id"] for r in rows if r["split"] == "heldout"}
    train = {r["body_id"] for r in rows if r["split"] == "train"}
    heldout_headlines = set().union(*(headlines[b] for b in heldout)) if heldout else set()
    for body in sorted(train, key=int):
        shared = headlines[body] & heldout_headlines
        if shared:
            errors.append(f"train body {body} shares a story with heldout: {sorted(shared)[0]!r}")
    return errors


def table_line(split: str, name: str, cells: list[int]) -> str:
    return f"{split:<8} {name:<20}" + "".join(f"{c:>6}" for c in cells) + f"{sum(cells):>7}"


def table(rows: list[dict[str, Any]]) -> str:
    langs = [lang for lang in LANGS if any(r["lang"] == lang for r in rows)]
    counts = Counter((r["split"], r["kind"], r["lang"]) for r in rows)
    head = f"{'split':<8} {'kind':<20}" + "".join(f"{lang:>6}" for lang in langs) + f"{'all':>7}"
    lines = [head, "-" * len(head)]
    for split in SPLITS:
        for label, kinds in (("on_topic", ON_TOPIC), ("off_topic", OFF_TOPIC)):
            for kind in kinds:
                lines.append(table_line(split, kind, [counts[(split, kind, lang)] for lang in langs]))
            cells = [sum(counts[(split, k, lang)] for k in kinds) for lang in langs]
            lines.append(table_line(split, "= " + label, cells))
        cells = [sum(counts[(split, k, lang)] for k in ON_TOPIC + OFF_TOPIC) for lang in langs]
        lines.append(table_line(split, "= all", cells))
        lines.append("")
    for split in SPLITS:
        ids = sorted({r["body_id"] for r in rows if r["split"] == split}, key=int)
        multi = sorted({r["body_id"] for r in rows if r["split"] == split and r["lang"] != "en"}, key=int)
        lines.append(f"{split}: {len(ids)} bodies ({len(multi)} of them with other-language comments)")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else HERE / "reader_comments.jsonl"
    rows: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as handle:
        for n, line in enumerate(handle, 1):
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                print(f"line {n}: not JSON ({exc})")
                return 1
            if not isinstance(obj, dict):
                print(f"line {n}: not a JSON object")
                return 1
            rows.append(obj)
    is_val, datasets = load_split_rule()
    errors = check_rows(rows, is_val)
    if not errors:
        errors = check_against_fnc(rows, datasets)
        print(table(rows))
    for error in errors:
        print("FAIL", error)
    print(f"{path.name}: {len(rows)} rows, {len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
