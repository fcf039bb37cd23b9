"""The training corpus: every task's examples from the shared datasets and our own data, prepared once.

``build(cfg)`` reads the datasets under ``models.splits.DATASETS`` (``../shared/datasets``) plus the data we
wrote ourselves (``models.train.augment``, ``models/eval_data/reader_comments.jsonl`` train split, templated
threats and stance comments), maps every label once (see the model card's *Training data*), passes each text
through ``models.preprocess.model_text`` (what the runtime does to a comment) and writes ONE gzip'd JSON file:
``{"articles": [text, ...], "rows": [{task, text, lang, source, dev, ...}], "meta": {...}}``.

Row fields per task:
- ``civility``: ``y`` = 6 numbers or null (null = not supervised by this source), order ``CIVILITY_LABELS``;
- ``sentiment``: ``label`` 0 negative / 1 neutral / 2 positive;
- ``stance``: ``label`` 0 against / 1 neutral / 2 favor, ``article`` (index into ``articles``);
- ``topic``: ``article`` (a passage the text is about: a positive pair for the contrastive loss), and on dev
  rows also ``negatives`` (articles it is NOT about, to calibrate on-topic).
``dev`` marks the ~8 % carved from training data (``models.splits.is_dev``) for checkpoint choice,
calibration and thresholds. Validation splits are never read here.

The file is the whole input of ``models.train.loop``: training on another machine (a GPU) needs only it and
the encoder.
"""

from __future__ import annotations

import csv
import gzip
import json
import random
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from models.outputs import CIVILITY_LABELS
from models.preprocess import model_text
from models.splits import DATASETS, fnc_is_val_body, hatexplain_is_val, heldout_is_val, is_dev, split_key
from models.train.augment import civility_examples, threat_examples
from models.train.comment_stance import comment_stance_examples
from models.train.identity_negatives import identity_negatives
from models.train.profanity import has_profanity
from models.train.threats import threat_examples as templated_threats

TOX, SEV, INS, THR, PRO, IDA = range(6)
FNC_STANCE = {"agree": 2, "disagree": 0, "discuss": 1}
TWEET_STANCE = {"against": 0, "none": 1, "favor": 2}
SENTIMENT = {"negative": 0, "neutral": 1, "positive": 2}
SENTIMENT_LANGS = ("ar", "de", "es", "fr", "hi", "it", "pt")
READER_COMMENTS = Path(__file__).resolve().parents[1] / "eval_data" / "reader_comments.jsonl"
_HANDLE = re.compile(r"@\w{1,30}")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def tweet(text: str) -> str:
    """Source clean-up for tweets: every @handle as ``@user`` (TweetEval's convention), whitespace
    collapsed."""
    return " ".join(_HANDLE.sub("@user", text.replace("@USER", "@user")).split())


@dataclass
class Corpus:
    """``limit``: at most this many rows per source file (tests build a small corpus from the real data)."""

    articles: list[str] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    limit: int | None = None
    _article_index: dict[str, int] = field(default_factory=dict)

    def read(self, path: Path) -> Iterator[dict[str, Any]]:
        return islice(read_jsonl(path), self.limit)

    def article(self, text: str) -> int:
        if text not in self._article_index:
            self._article_index[text] = len(self.articles)
            self.articles.append(text)
        return self._article_index[text]

    def add(self, task: str, text: str, source: str, lang: str = "en", **fields: Any) -> None:
        prepared = model_text(text)
        if not prepared:
            return
        dev_key = fields.pop("dev_key", prepared)
        self.rows.append(
            {
                "task": task,
                "text": prepared,
                "lang": lang,
                "source": source,
                "dev": is_dev(str(dev_key), f"{task}:{source}"),
                **fields,
            }
        )

    def civility(self, text: str, labels: Mapping[int, float | None], source: str, lang: str = "en") -> None:
        y: list[float | None] = [None] * 6
        for i, value in labels.items():
            y[i] = value
        if lang == "en" and y[PRO] is None and has_profanity(text):
            y[PRO] = 1.0  # weak label from the word list, only where the source says nothing
        self.add("civility", text, source, lang, y=y)


# -- civility ------------------------------------------------------------------------------------------------

CLEAN = {TOX: 0.0, SEV: 0.0, INS: 0.0, THR: 0.0, PRO: 0.0, IDA: 0.0}


def add_olid(corpus: Corpus, repeat: int = 1) -> None:
    held = {tweet(r["text"]).lower() for r in read_jsonl(DATASETS / "tweeteval/offensive/val.jsonl")}
    for r in corpus.read(DATASETS / "olid/train.jsonl"):
        text = tweet(r["text"])
        if text.lower() in held:  # OLID train = TweetEval offensive train + val: keep val out
            continue
        if r["label"] == "NOT":
            labels: dict[int, float | None] = dict(CLEAN)
        elif r["targeted"] == "UNT":
            labels = {TOX: 1, INS: 0, IDA: 0, PRO: 1}
        else:
            ida = {"GRP": 1.0, "IND": 0.0}.get(r["target_type"] or "")
            labels = {TOX: 1, INS: 1, IDA: ida}
        for _ in range(repeat):
            corpus.civility(text, labels, "olid")


def add_hate(corpus: Corpus) -> None:
    for r in corpus.read(DATASETS / "tweeteval/hate/train.jsonl"):
        labels = {TOX: 1.0, IDA: 1.0} if r["label"] == "hate" else {IDA: 0.0}
        corpus.civility(tweet(r["text"]), labels, "hate")


def add_hatexplain(corpus: Corpus) -> None:
    for r in corpus.read(DATASETS / "hatexplain/all.jsonl"):
        text = tweet(r["text"])
        if hatexplain_is_val(split_key(r["text"])):
            continue
        if r["label"] == "normal":
            labels: dict[int, float | None] = dict(CLEAN)
        elif r["label"] == "offensive":
            labels = {TOX: 1, SEV: 0}
        else:
            labels = {TOX: 1, SEV: 1, IDA: 1.0 if r["targets"] else None}
        corpus.civility(text, labels, "hatexplain")


def add_ours(corpus: Corpus, seed: int) -> None:
    """Reader comments we wrote (models/train/augment), templated threats, neutral identity sentences."""
    for ex in [
        *civility_examples("train", seed=seed)[: corpus.limit],
        *threat_examples("train", seed=seed)[: corpus.limit],
    ]:
        labels = {CIVILITY_LABELS.index(k): v for k, v in ex.labels.items()}
        corpus.civility(ex.text, labels, f"ours-{ex.family}")
    for text, is_threat in templated_threats("train", seed=seed):
        labels = {THR: float(is_threat), TOX: float(is_threat)}
        if not is_threat:
            labels.update({SEV: 0, INS: 0, PRO: 0, IDA: 0})
        corpus.civility(text, labels, "threat-templates")
    for text in identity_negatives():
        corpus.civility(text, dict(CLEAN), "identity-negatives")


def add_germeval(corpus: Corpus) -> None:
    """GermEval 2018 (de): OFFENSE -> toxicity; INSULT -> insult; PROFANITY -> profanity (not insult);
    ABUSE -> toxicity only (a group-directed degradation; not mapped to identity_attack, which needs a
    protected group the label does not say); OTHER -> every attribute 0."""
    for r in corpus.read(DATASETS / "multilingual/civility/de-germeval2018.train.jsonl"):
        if heldout_is_val("de", r["text"]):
            continue
        fine = r["fine"]
        labels: Mapping[int, float | None] = {
            "OTHER": dict(CLEAN),
            "INSULT": {TOX: 1.0, INS: 1.0, THR: 0.0},
            "PROFANITY": {TOX: 1.0, PRO: 1.0, INS: 0.0, IDA: 0.0, THR: 0.0},
            "ABUSE": {TOX: 1.0, THR: 0.0},
        }[fine]
        corpus.civility(tweet(r["text"]), labels, "germeval", "de")


def add_toldbr(corpus: Corpus) -> None:
    """ToLD-Br (pt): offensive -> toxicity; each category with 2+ of 3 votes -> its attribute (insult ->
    insult, obscene -> profanity, homophobia/racism/misogyny/xenophobia -> identity_attack); 0 votes -> 0;
    one vote -> unknown."""
    groups = ("homophobia", "racism", "misogyny", "xenophobia")
    for r in corpus.read(DATASETS / "multilingual/civility/pt-toldbr.train.jsonl"):

        def vote(n: int) -> float | None:
            return 1.0 if n >= 2 else 0.0 if n == 0 else None

        labels: dict[int, float | None] = {
            TOX: 1.0 if r["label"] == "offensive" else 0.0,
            INS: vote(r["insult"]),
            PRO: vote(r["obscene"]),
            IDA: vote(max(r[g] for g in groups)),
        }
        if r["label"] != "offensive":
            labels.update({SEV: 0.0, THR: 0.0})
        corpus.civility(tweet(r["text"]), labels, "toldbr", "pt")


def add_dkhate(corpus: Corpus) -> None:
    """DKHATE / OffensEval 2020 Danish: offensive -> toxicity 1; not-offensive -> every attribute 0."""
    for r in corpus.read(DATASETS / "multilingual/civility/da-offenseval2020.train.jsonl"):
        if heldout_is_val("da", r["text"]):
            continue
        labels = {TOX: 1.0} if r["label"] == "offensive" else dict(CLEAN)
        corpus.civility(tweet(r["text"]), labels, "dkhate", "da")


def news_sentences(bodies: dict[str, str], limit: int, rng: random.Random) -> list[str]:
    """Sentences of FNC-1 training bodies (news prose: war, crime and court vocabulary, civil by design)."""
    out = []
    for body_id, body in sorted(bodies.items()):
        if fnc_is_val_body(body_id):
            continue
        out += [s.strip() for s in _SENTENCE.split(" ".join(body.split())) if 60 <= len(s.strip()) <= 400]
    rng.shuffle(out)
    return out[:limit]


# -- sentiment, stance, topic ------------------------------------------------------------------------------


def add_sentiment(corpus: Corpus) -> None:
    for r in corpus.read(DATASETS / "tweeteval/sentiment/train.jsonl"):
        corpus.add("sentiment", tweet(r["text"]), "tweeteval", "en", label=SENTIMENT[r["label"]])
    for lang in SENTIMENT_LANGS:
        for r in corpus.read(DATASETS / f"multilingual/sentiment/{lang}.train.jsonl"):
            corpus.add("sentiment", tweet(r["text"]), f"umsab-{lang}", lang, label=SENTIMENT[r["label"]])


def fnc_rows(val: bool) -> tuple[list[dict[str, str]], dict[str, str]]:
    with (DATASETS / "fnc1/train_bodies.csv").open(encoding="utf-8") as handle:
        bodies = {r["Body ID"]: r["articleBody"] for r in csv.DictReader(handle)}
    with (DATASETS / "fnc1/train_stances.csv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if fnc_is_val_body(r["Body ID"]) == val]
    return rows, bodies


def stance_targets() -> dict[str, Path]:
    return {p.name: p for p in sorted((DATASETS / "tweeteval/stance").iterdir()) if p.is_dir()}


def add_pairs(corpus: Corpus, rng: random.Random, cfg: dict[str, Any]) -> dict[str, str]:
    """Stance (FNC-1 related pairs, SemEval tweets, templated reader comments) and on-topic positives
    (FNC-1 headlines, reader comments we wrote, sentences of an article against another part of it).
    Returns the FNC bodies by id (for the news sentences)."""
    targets: dict[str, str] = {}
    for name, folder in stance_targets().items():
        for r in corpus.read(folder / "train.jsonl"):
            targets[name] = r["target"]
            art = corpus.article(model_text(r["target"]))
            corpus.add("stance", tweet(r["text"]), "tweet", label=TWEET_STANCE[r["label"]], article=art)
    rows, bodies = fnc_rows(val=False)
    train_bodies = [bid for bid in bodies if not fnc_is_val_body(bid)]
    if corpus.limit:  # a small corpus: the first bodies that have related headlines
        linked = {r["Body ID"] for r in rows if r["Stance"] != "unrelated"}
        train_bodies = [bid for bid in train_bodies if bid in linked][: corpus.limit]
    body_index = {bid: corpus.article(model_text(bodies[bid])) for bid in train_bodies}
    related = [r for r in rows if r["Stance"] != "unrelated" and r["Body ID"] in body_index]
    for r in related:
        art = body_index[r["Body ID"]]
        corpus.add(
            "stance", r["Headline"], "fnc", label=FNC_STANCE[r["Stance"]], article=art, dev_key=r["Body ID"]
        )
    seen: set[tuple[str, int]] = set()
    for r in related:
        art = body_index[r["Body ID"]]
        if (r["Headline"], art) not in seen:
            seen.add((r["Headline"], art))
            corpus.add("topic", r["Headline"], "fnc", article=art, dev_key=r["Body ID"])
    if cfg.get("comment_stance", True):
        ids = sorted(body_index)
        for text, side in comment_stance_examples("train")[: corpus.limit]:
            art = body_index[rng.choice(ids)]
            corpus.add("stance", text, "comment-templates", label=side, article=art)
    for r in read_jsonl(READER_COMMENTS) if READER_COMMENTS.exists() else ():
        if r["split"] != "train" or r["label"] != "on_topic" or r["body_id"] not in body_index:
            continue
        corpus.add(
            "topic",
            r["text"],
            f"reader-{r['kind']}",
            r["lang"],
            article=body_index[r["body_id"]],
            dev_key=r["body_id"],
        )
    # a sentence of an article against ANOTHER part of the same article: a comment about a side aspect
    for bid in sorted(body_index)[: int(cfg.get("sentence_pairs", 600))]:
        sents = [s for s in _SENTENCE.split(" ".join(bodies[bid].split())) if 50 <= len(s) <= 300]
        if len(sents) < 6:
            continue
        pick = rng.randrange(len(sents))
        rest = sents[: pick - 2] + sents[pick + 3 :] if pick >= 2 else sents[pick + 3 :]
        corpus.add(
            "topic",
            sents[pick],
            "article-sentence",
            article=corpus.article(model_text(" ".join(rest))),
            dev_key=bid,
        )
    return bodies


def add_topic_negatives(corpus: Corpus, rng: random.Random, per_row: int = 3) -> None:
    """Dev topic rows get articles they are NOT about (random ones), for the on-topic calibration; the
    nearest-neighbour negatives are added by the loop, which has the encoder."""
    topic_articles = sorted({r["article"] for r in corpus.rows if r["task"] == "topic"})
    for row in corpus.rows:
        if row["task"] == "topic" and row["dev"]:
            row["negatives"] = [a for a in rng.sample(topic_articles, per_row + 1) if a != row["article"]][
                :per_row
            ]


def build(cfg: dict[str, Any], limit: int | None = None) -> Corpus:
    """Every task's rows (see the module docstring); ``cfg`` is the config's ``[data]`` table; ``limit`` caps
    the rows read per source (small corpora for tests)."""
    seed = int(cfg.get("seed", 13))
    rng = random.Random(seed)
    corpus = Corpus(limit=limit)
    add_olid(corpus, int(cfg.get("olid_repeat", 1)))
    add_hate(corpus)
    add_hatexplain(corpus)
    add_ours(corpus, seed)
    add_germeval(corpus)
    add_toldbr(corpus)
    add_dkhate(corpus)
    add_sentiment(corpus)
    bodies = add_pairs(corpus, rng, cfg)
    for text in news_sentences(bodies, int(cfg.get("news_sentences", 6000)), rng):
        corpus.civility(text, dict(CLEAN), "news-sentences")
    add_topic_negatives(corpus, rng)
    return corpus


def save(corpus: Corpus, path: Path, meta: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    counts = Counter(f"{r['task']}/{r['source']}/{'dev' if r['dev'] else 'train'}" for r in corpus.rows)
    payload = {
        "meta": {**meta, "counts": dict(sorted(counts.items()))},
        "articles": corpus.articles,
        "rows": corpus.rows,
    }
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as handle:
        json.dump(payload, handle, ensure_ascii=False, separators=(",", ":"))


def load(path: Path) -> tuple[list[str], list[dict[str, Any]], dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        payload = json.load(handle)
    return payload["articles"], payload["rows"], payload["meta"]
