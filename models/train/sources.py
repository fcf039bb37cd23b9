"""Turn the shared datasets into the four training tasks (labels mapped once, here; see the model card).

Civility targets are (6 labels, 6 mask bits): each source supervises only the labels it backs.
Order: toxicity, severe_toxicity, insult, threat, profanity, identity_attack (``runtime.CIVILITY_LABELS``).
"""

from __future__ import annotations

import csv
import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from models.splits import DATASETS, fnc_is_val_body, hatexplain_is_val
from models.train.comment_stance import comment_stance_examples
from models.train.profanity import has_profanity
from models.train.threats import threat_examples

TOX, SEV, INS, THR, PRO, IDA = range(6)
FNC_STANCE = {"agree": 2, "disagree": 0, "discuss": 1}  # favor / against / neutral
TWEET_STANCE = {"against": 0, "none": 1, "favor": 2}
SENTIMENT = {"negative": 0, "neutral": 1, "positive": 2}
MINED_THREAT = re.compile(
    r"\b(i|we|i'll|we'll|gonna|going to|will)\b.{0,20}\b(kill|shoot|stab|hang|murder|lynch)\b"
    r"|\bshould (be|get) (killed|shot|hanged|hung|executed|lynched|murdered)\b"
)


def read_jsonl(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def norm(text: str) -> str:
    return " ".join(text.replace("@USER", "@user").split())


@dataclass
class Tasks:
    """Examples per task; texts and articles are strings (indexed later by the cache)."""

    civility: list[tuple[str, list[float], list[float], str]] = field(default_factory=list)  # text,y,mask,src
    sentiment: list[tuple[str, int]] = field(default_factory=list)
    stance: list[tuple[str, str, int, str]] = field(default_factory=list)  # text, article, label, source
    on_topic: list[tuple[str, str, int, str]] = field(default_factory=list)


def _civ(tasks: Tasks, text: str, labels: dict[int, float], src: str) -> None:
    y, m = [0.0] * 6, [0.0] * 6
    for i, val in labels.items():
        y[i], m[i] = val, 1.0
    if has_profanity(text):
        y[PRO], m[PRO] = 1.0, 1.0
    if MINED_THREAT.search(text.lower()) and labels.get(TOX) == 1.0:
        y[THR], m[THR] = 1.0, 1.0
    tasks.civility.append((text, y, m, src))


def add_olid(tasks: Tasks) -> None:
    held = {norm(r["text"]).lower() for r in read_jsonl(DATASETS / "tweeteval/offensive/val.jsonl")}
    for r in read_jsonl(DATASETS / "olid/train.jsonl"):
        text = norm(r["text"])
        if text.lower() in held:  # OLID train = TweetEval offensive train + val: keep val out
            continue
        if r["label"] == "NOT":
            _civ(tasks, text, {TOX: 0, SEV: 0, INS: 0, THR: 0, PRO: 0, IDA: 0}, "olid")
        elif r["targeted"] == "UNT":
            _civ(tasks, text, {TOX: 1, INS: 0, IDA: 0, PRO: 1}, "olid")
        else:
            ida = {"GRP": 1.0, "IND": 0.0}.get(r["target_type"] or "")
            _civ(tasks, text, {TOX: 1, INS: 1, **({IDA: ida} if ida is not None else {})}, "olid")


CIVILITY_SOURCES = ("olid", "hate", "hatexplain", "threats")


def add_civility(tasks: Tasks, sources: tuple[str, ...] = CIVILITY_SOURCES) -> None:
    unknown = set(sources) - set(CIVILITY_SOURCES)
    if unknown:
        raise ValueError(f"unknown civility sources {sorted(unknown)}; known: {CIVILITY_SOURCES}")
    if "olid" in sources:
        add_olid(tasks)
    for r in read_jsonl(DATASETS / "tweeteval/hate/train.jsonl") if "hate" in sources else ():
        if r["label"] == "hate":
            _civ(tasks, norm(r["text"]), {TOX: 1, IDA: 1}, "hate")
        else:
            _civ(tasks, norm(r["text"]), {IDA: 0}, "hate")
    for r in read_jsonl(DATASETS / "hatexplain/all.jsonl") if "hatexplain" in sources else ():
        text = norm(r["text"])
        if hatexplain_is_val(text):
            continue
        if r["label"] == "normal":
            _civ(tasks, text, {TOX: 0, SEV: 0, INS: 0, THR: 0, PRO: 0, IDA: 0}, "hatexplain")
        elif r["label"] == "offensive":
            _civ(tasks, text, {TOX: 1, SEV: 0}, "hatexplain")
        else:
            _civ(tasks, text, {TOX: 1, SEV: 1, **({IDA: 1} if r["targets"] else {})}, "hatexplain")
    for text, is_threat in threat_examples("train") if "threats" in sources else ():
        labels = {THR: float(is_threat), TOX: float(is_threat)}
        if not is_threat:
            labels.update({SEV: 0, INS: 0, PRO: 0, IDA: 0})
        _civ(tasks, text, labels, "threats")


def add_sentiment(tasks: Tasks, limit: int | None, rng: random.Random) -> None:
    rows = [
        (norm(r["text"]), SENTIMENT[r["label"]])
        for r in read_jsonl(DATASETS / "tweeteval/sentiment/train.jsonl")
    ]
    rng.shuffle(rows)
    tasks.sentiment.extend(rows[:limit] if limit else rows)


def stance_targets() -> dict[str, Path]:
    return {p.name: p for p in sorted((DATASETS / "tweeteval/stance").iterdir()) if p.is_dir()}


def fnc_rows(val: bool) -> tuple[list[dict[str, str]], dict[str, str]]:
    with (DATASETS / "fnc1/train_bodies.csv").open(encoding="utf-8") as handle:
        bodies = {r["Body ID"]: r["articleBody"] for r in csv.DictReader(handle)}
    with (DATASETS / "fnc1/train_stances.csv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if fnc_is_val_body(r["Body ID"]) == val]
    return rows, bodies


def add_pairs(
    tasks: Tasks, rng: random.Random, unrelated_limit: int, generic_limit: int, comment_stance: bool = False
) -> None:
    targets: dict[str, str] = {}
    tweets: list[tuple[str, str, str]] = []
    for name, folder in stance_targets().items():
        for r in read_jsonl(folder / "train.jsonl"):
            targets[name] = r["target"]
            tweets.append((norm(r["text"]), name, r["label"]))
    for text, name, label in tweets:
        tasks.stance.append((text, targets[name], TWEET_STANCE[label], "tweet"))
        if label != "none":  # "none" mixes neutral and unrelated tweets: not a clean on-topic positive
            tasks.on_topic.append((text, targets[name], 1, "tweet"))
        other = rng.choice([t for n, t in targets.items() if n != name])
        tasks.on_topic.append((text, other, 0, "tweet-other-target"))
    rows, bodies = fnc_rows(val=False)
    unrelated = [r for r in rows if r["Stance"] == "unrelated"]
    rng.shuffle(unrelated)
    for r in rows:
        if r["Stance"] != "unrelated":
            tasks.stance.append((norm(r["Headline"]), bodies[r["Body ID"]], FNC_STANCE[r["Stance"]], "fnc"))
            tasks.on_topic.append((norm(r["Headline"]), bodies[r["Body ID"]], 1, "fnc"))
    for r in unrelated[:unrelated_limit]:
        tasks.on_topic.append((norm(r["Headline"]), bodies[r["Body ID"]], 0, "fnc-unrelated"))
    body_texts = sorted({bodies[r["Body ID"]] for r in rows})
    if comment_stance:  # reader-comment register (models/train/comment_stance.py), on real article bodies
        for text, side in comment_stance_examples("train"):
            tasks.stance.append((text, rng.choice(body_texts), side, "comment"))
    generic = [t for t, _ in tasks.sentiment] + [t for t, _, _, s in tasks.civility if s == "olid"]
    rng.shuffle(generic)
    for text in generic[:generic_limit]:
        tasks.on_topic.append((text, rng.choice(body_texts), 0, "generic-random-body"))
        tasks.on_topic.append((text, rng.choice(list(targets.values())), 0, "generic-stance-target"))


def build_tasks(
    *,
    seed: int,
    sentiment_limit: int | None,
    unrelated_limit: int,
    generic_limit: int,
    comment_stance: bool = False,
    civility_sources: tuple[str, ...] = CIVILITY_SOURCES,
) -> Tasks:
    rng = random.Random(seed)
    tasks = Tasks()
    add_civility(tasks, civility_sources)
    add_sentiment(tasks, sentiment_limit, rng)
    add_pairs(tasks, rng, unrelated_limit, generic_limit, comment_stance)
    return tasks


def tasks_from_config(cfg: dict[str, Any]) -> Tasks:
    """The training mix a config's ``[data]`` table describes (the same for training and for refits)."""
    data = cfg["data"]
    return build_tasks(
        seed=int(data["seed"]),
        sentiment_limit=data["sentiment_limit"],
        unrelated_limit=data["unrelated_limit"],
        generic_limit=data["generic_limit"],
        comment_stance=bool(data.get("comment_stance", False)),
        civility_sources=tuple(data.get("civility_sources", CIVILITY_SOURCES)),
    )
