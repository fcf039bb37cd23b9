"""python -m models.make_eval_data [--out DIR]: write the validation files ``models.evaluate`` reads.

Never used in training or selection. Sources:
- English: TweetEval offensive / hate / sentiment / stance validation splits, the HateXplain rows held out by
  ``models.splits``, FNC-1 pairs of the held-out Body IDs, the held-out families of our templated threats and
  reader-comment stance templates, and the held-out families of our own reader comments
  (``models.train.augment``: civil criticism, quotes, negation, names, identities, emoji insults, threats);
- other languages: GermEval 2018 (de) and DKHATE (da) rows carved out of their training files
  (``models.splits.heldout_is_val``), ToLD-Br's dev file (pt), the UMSAB sentiment validation files
  (ar, de, es, fr, hi, it, pt);
- zero-shot civility: comments we wrote in es, fr, it, nl, pl (``models/eval_data/zero_shot_civility.jsonl``),
  languages without civility training data;
- on-topic: our held-out reader comments (``models/eval_data/reader_comments.jsonl``) against their own
  article and against 3 articles of OTHER stories (bodies that share an FNC-1 headline count as one story).
Every row carries ``lang``. Written under DIR (default artifacts/eval, not committed): dataset text is never
copied into the repository.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path
from typing import Any

from models.splits import DATASETS, hatexplain_is_val, heldout_is_val, split_key
from models.train.augment import civility_examples, threat_examples
from models.train.comment_stance import comment_stance_examples
from models.train.corpus import READER_COMMENTS, SENTIMENT_LANGS, fnc_rows, read_jsonl, stance_targets
from models.train.threats import threat_examples as templated_threats

SEED = 7
OUR_LABELS = ("toxicity", "insult", "threat", "profanity", "identity_attack")


def write(path: Path, rows: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{path}: {len(rows)} rows")


def tweeteval(name: str) -> list[dict[str, Any]]:
    return [
        {"text": r["text"], "label": r["label"], "lang": "en"}
        for r in read_jsonl(DATASETS / f"tweeteval/{name}/val.jsonl")
    ]


def stories(rows: list[dict[str, str]]) -> dict[str, str]:
    """Body id -> story id: bodies linked by a related FNC-1 headline are one story (union-find)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    by_headline: dict[str, list[str]] = {}
    for r in rows:
        find(r["Body ID"])
        if r["Stance"] != "unrelated":
            by_headline.setdefault(r["Headline"], []).append(r["Body ID"])
    for bodies in by_headline.values():
        for b in bodies[1:]:
            parent[find(b)] = find(bodies[0])
    return {b: find(b) for b in parent}


def reader_comment_pairs(rng: random.Random) -> list[dict[str, Any]]:
    """Held-out reader comments with their own article (label on_topic/off_topic as written) and 3 articles of
    other stories (label unrelated)."""
    rows, bodies = fnc_rows(val=True)
    story = stories(rows + fnc_rows(val=False)[0])
    comments = [r for r in read_jsonl(READER_COMMENTS) if r["split"] == "heldout"]
    pool = sorted({c["body_id"] for c in comments})
    out = []
    for c in comments:
        own = c["body_id"]
        out.append(
            {
                "text": c["text"],
                "article": bodies[own],
                "label": c["label"],
                "kind": c["kind"],
                "lang": c["lang"],
                "pair": "own",
            }
        )
        others = [b for b in pool if story.get(b, b) != story.get(own, own)]
        for b in rng.sample(others, 3):
            out.append(
                {
                    "text": c["text"],
                    "article": bodies[b],
                    "label": "unrelated",
                    "kind": c["kind"],
                    "lang": c["lang"],
                    "pair": "other",
                }
            )
    return out


def ours(split: str) -> dict[str, list[dict[str, Any]]]:
    """Our held-out reader comments, one file per attribute (rows where the attribute is labelled)."""
    examples = civility_examples(split, seed=SEED) + threat_examples(split, seed=SEED)
    files: dict[str, list[dict[str, Any]]] = {}
    for attr in OUR_LABELS:
        files[attr] = [
            {"text": e.text, "label": f"{attr}:{int(e.labels[attr] or 0)}", "family": e.family, "lang": "en"}
            for e in examples
            if e.labels.get(attr) is not None
        ]
    return files


def make(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)
    write(out / "civility_offensive.jsonl", tweeteval("offensive"))
    write(out / "civility_hate.jsonl", tweeteval("hate"))
    hx = [r for r in read_jsonl(DATASETS / "hatexplain/all.jsonl") if hatexplain_is_val(split_key(r["text"]))]
    write(
        out / "civility_hatexplain.jsonl",
        [
            {
                "text": r["text"],
                "label": "not-offensive" if r["label"] == "normal" else "offensive",
                "lang": "en",
            }
            for r in hx
        ],
    )
    write(
        out / "civility_hatexplain_hate.jsonl",
        [
            {"text": r["text"], "label": "hate" if r["label"] == "hatespeech" else "not-hate", "lang": "en"}
            for r in hx
        ],
    )
    write(
        out / "civility_threat.jsonl",
        [
            {"text": t, "label": "threat" if y else "not-threat", "lang": "en"}
            for t, y in templated_threats("heldout", seed=SEED)
        ],
    )
    for attr, rows in ours("heldout").items():
        write(out / f"civility_ours_{attr}.jsonl", rows)
    germeval = DATASETS / "multilingual/civility/de-germeval2018.train.jsonl"
    write(
        out / "civility_de.jsonl",
        [
            {"text": r["text"], "label": r["label"], "lang": "de"}
            for r in read_jsonl(germeval)
            if heldout_is_val("de", r["text"])
        ],
    )
    dkhate = DATASETS / "multilingual/civility/da-offenseval2020.train.jsonl"
    write(
        out / "civility_da.jsonl",
        [
            {"text": r["text"], "label": r["label"], "lang": "da"}
            for r in read_jsonl(dkhate)
            if heldout_is_val("da", r["text"])
        ],
    )
    zero_shot = Path(__file__).resolve().parent / "eval_data" / "zero_shot_civility.jsonl"
    for lang in ("es", "fr", "it", "nl", "pl"):
        write(
            out / f"civility_zero_shot_{lang}.jsonl",
            [
                {"text": r["text"], "label": r["label"], "lang": lang, "kind": r["kind"]}
                for r in read_jsonl(zero_shot)
                if r["lang"] == lang
            ],
        )
    write(
        out / "civility_pt.jsonl",
        [
            {"text": r["text"], "label": r["label"], "lang": "pt"}
            for r in read_jsonl(DATASETS / "multilingual/civility/pt-toldbr.dev.jsonl")
        ],
    )
    write(out / "sentiment.jsonl", tweeteval("sentiment"))
    for lang in SENTIMENT_LANGS:
        write(
            out / f"sentiment_{lang}.jsonl",
            [
                {"text": r["text"], "label": r["label"], "lang": lang}
                for r in read_jsonl(DATASETS / f"multilingual/sentiment/{lang}.val.jsonl")
            ],
        )
    stance, topic_tweets = [], []
    targets = {}
    for name, folder in stance_targets().items():
        for r in read_jsonl(folder / "val.jsonl"):
            targets[name] = r["target"]
            stance.append(
                {"text": r["text"], "target": r["target"], "label": r["label"], "_name": name, "lang": "en"}
            )
    for r in stance:
        if r["label"] != "none":
            topic_tweets.append({"text": r["text"], "article": r["target"], "label": "related", "lang": "en"})
        other = rng.choice([t for n, t in targets.items() if n != r["_name"]])
        topic_tweets.append({"text": r["text"], "article": other, "label": "unrelated", "lang": "en"})
    write(out / "stance.jsonl", [{k: v for k, v in r.items() if k != "_name"} for r in stance])
    rows, bodies = fnc_rows(val=True)
    fnc = [
        {"text": r["Headline"], "article": bodies[r["Body ID"]], "label": r["Stance"], "lang": "en"}
        for r in rows
    ]
    write(out / "fnc.jsonl", fnc)
    body_texts = sorted({f["article"] for f in fnc})
    names = ("against", "neutral", "favor")
    write(
        out / "stance_comments.jsonl",
        [
            {"text": t, "article": rng.choice(body_texts), "label": names[y], "lang": "en"}
            for t, y in comment_stance_examples("heldout", seed=SEED)
        ],
    )
    write(out / "on_topic_tweets.jsonl", topic_tweets)
    pairs = reader_comment_pairs(rng)
    write(out / "on_topic_comments.jsonl", [p for p in pairs if p["lang"] == "en"])
    write(out / "on_topic_comments_other_languages.jsonl", [p for p in pairs if p["lang"] != "en"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m models.make_eval_data")
    parser.add_argument("--out", type=Path, default=Path("artifacts/eval"))
    make(parser.parse_args(argv).out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
