"""python -m models.make_eval_data [--out DIR]: write the validation files ``models.evaluate`` reads.

Sources are the shared validation splits (never used in training): TweetEval offensive/hate/sentiment/stance
val, the HateXplain rows held out by ``models.splits``, the FNC-1 pairs of the held-out Body IDs (same split
as training), and the held-out families of templated threats and of reader comments that take a side.
Written under DIR (default artifacts/eval, not committed): the datasets themselves are never copied into the
repo.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path
from typing import Any

from models.splits import DATASETS, hatexplain_is_val
from models.train.comment_stance import comment_stance_examples
from models.train.sources import fnc_rows, norm, read_jsonl, stance_targets
from models.train.threats import threat_examples

SEED = 7


def write(path: Path, rows: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{path}: {len(rows)} rows")


def tweeteval(name: str) -> list[dict[str, Any]]:
    return [
        {"text": r["text"], "label": r["label"]} for r in read_jsonl(DATASETS / f"tweeteval/{name}/val.jsonl")
    ]


def make(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)
    write(out / "civility_offensive.jsonl", tweeteval("offensive"))
    write(out / "civility_hate.jsonl", tweeteval("hate"))
    hx = [r for r in read_jsonl(DATASETS / "hatexplain/all.jsonl") if hatexplain_is_val(norm(r["text"]))]
    write(
        out / "civility_hatexplain.jsonl",
        [
            {"text": r["text"], "label": "not-offensive" if r["label"] == "normal" else "offensive"}
            for r in hx
        ],
    )
    write(
        out / "civility_hatexplain_hate.jsonl",
        [{"text": r["text"], "label": "hate" if r["label"] == "hatespeech" else "not-hate"} for r in hx],
    )
    write(
        out / "civility_threat.jsonl",
        [
            {"text": t, "label": "threat" if y else "not-threat"}
            for t, y in threat_examples("heldout", seed=SEED)
        ],
    )
    write(out / "sentiment.jsonl", tweeteval("sentiment"))
    stance, topic_tweets = [], []
    targets = {}
    for name, folder in stance_targets().items():
        for r in read_jsonl(folder / "val.jsonl"):
            targets[name] = r["target"]
            stance.append({"text": r["text"], "target": r["target"], "label": r["label"], "_name": name})
    for r in stance:
        if r["label"] != "none":
            topic_tweets.append({"text": r["text"], "article": r["target"], "label": "related"})
        other = rng.choice([t for n, t in targets.items() if n != r["_name"]])
        topic_tweets.append({"text": r["text"], "article": other, "label": "unrelated"})
    write(out / "stance.jsonl", [{k: v for k, v in r.items() if k != "_name"} for r in stance])
    rows, bodies = fnc_rows(val=True)
    fnc = [{"text": r["Headline"], "article": bodies[r["Body ID"]], "label": r["Stance"]} for r in rows]
    write(out / "fnc.jsonl", fnc)
    body_texts = sorted({f["article"] for f in fnc})
    names = ("against", "neutral", "favor")
    write(
        out / "stance_comments.jsonl",
        [
            {"text": t, "article": rng.choice(body_texts), "label": names[y]}
            for t, y in comment_stance_examples("heldout", seed=SEED)
        ],
    )
    generic = [r["text"] for r in tweeteval("sentiment")]
    rng.shuffle(generic)
    topic_tweets += [
        {"text": t, "article": rng.choice(body_texts), "label": "unrelated"} for t in generic[:500]
    ]
    write(out / "on_topic_tweets.jsonl", topic_tweets)
    fnc_topic = [
        {
            "text": f["text"],
            "article": f["article"],
            "label": "unrelated" if f["label"] == "unrelated" else "related",
        }
        for f in fnc
    ]
    write(out / "on_topic.jsonl", fnc_topic + topic_tweets)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m models.make_eval_data")
    parser.add_argument("--out", type=Path, default=Path("artifacts/eval"))
    make(parser.parse_args(argv).out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
