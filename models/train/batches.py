"""Index the task examples against the text and article tables, split off dev, and draw batches."""

from __future__ import annotations

import random
from dataclasses import dataclass

import torch

from models.splits import is_dev
from models.train.sources import Tasks


@dataclass
class TaskData:
    text: torch.Tensor  # index into the text cache
    y: torch.Tensor
    mask: torch.Tensor | None = None  # civility label mask
    article: torch.Tensor | None = None  # index into the article vectors

    def __len__(self) -> int:
        return len(self.text)

    def take(self, idx: list[int]) -> TaskData:
        pick = torch.tensor(idx, dtype=torch.long)
        return TaskData(
            text=self.text[pick],
            y=self.y[pick],
            mask=None if self.mask is None else self.mask[pick],
            article=None if self.article is None else self.article[pick],
        )


@dataclass
class Indexed:
    texts: list[str]
    articles: list[str]
    train: dict[str, TaskData]
    dev: dict[str, TaskData]


def index_tasks(
    tasks: Tasks, *, small_stance_repeat: int = 2, civility_repeat: dict[str, int] | None = None
) -> Indexed:
    """``civility_repeat``: source -> times its training rows appear per civility epoch (default once)."""
    texts: dict[str, int] = {}
    articles: dict[str, int] = {}

    def t(x: str) -> int:
        return texts.setdefault(x, len(texts))

    def a(x: str) -> int:
        return articles.setdefault(x, len(articles))

    data: dict[str, TaskData] = {}
    dev_flags: dict[str, list[bool]] = {}
    civ = tasks.civility
    data["civility"] = TaskData(
        text=torch.tensor([t(x[0]) for x in civ]),
        y=torch.tensor([x[1] for x in civ]),
        mask=torch.tensor([x[2] for x in civ]),
    )
    dev_flags["civility"] = [is_dev(x[0], "civility") for x in civ]
    data["sentiment"] = TaskData(
        text=torch.tensor([t(x[0]) for x in tasks.sentiment]), y=torch.tensor([x[1] for x in tasks.sentiment])
    )
    dev_flags["sentiment"] = [is_dev(x[0], "sentiment") for x in tasks.sentiment]
    for name, rows in (("stance", tasks.stance), ("on_topic", tasks.on_topic)):
        data[name] = TaskData(
            text=torch.tensor([t(x[0]) for x in rows]),
            y=torch.tensor([x[2] for x in rows]),
            article=torch.tensor([a(x[1]) for x in rows]),
        )
        # FNC pairs: dev by body (no body shared with train); tweets: dev by tweet
        dev_flags[name] = [is_dev(x[1] if x[3].startswith("fnc") else x[0], name) for x in rows]
    train, dev = {}, {}
    for name, td in data.items():
        flags = dev_flags[name]
        tr_idx = [i for i, f in enumerate(flags) if not f]
        if name == "stance":  # tweets and comment templates are small next to FNC: twice per epoch
            small = [i for i in tr_idx if tasks.stance[i][3] in ("tweet", "comment")]
            tr_idx += small * (small_stance_repeat - 1)
        if name == "civility":
            for source, times in (civility_repeat or {}).items():
                tr_idx += [i for i in tr_idx if civ[i][3] == source] * (int(times) - 1)
        train[name] = td.take(tr_idx)
        dev[name] = td.take([i for i, f in enumerate(flags) if f])
    return Indexed(texts=list(texts), articles=list(articles), train=train, dev=dev)


class Sampler:
    """Per step, pick a task with probability proportional to its weight. Each task walks shuffled epochs;
    within windows of 50 batches examples are grouped by length (less padding), then batches are shuffled."""

    def __init__(
        self,
        data: dict[str, TaskData],
        weights: dict[str, float],
        batch: int,
        seed: int,
        lengths: torch.Tensor | None = None,
    ) -> None:
        self.data, self.batch, self.lengths = data, batch, lengths
        self.names = [n for n in weights if n in data and len(data[n]) and weights[n] > 0]
        self.weights = [weights[n] for n in self.names]
        self.rng = random.Random(seed)
        self.queue: dict[str, list[list[int]]] = {n: [] for n in self.names}

    def _refill(self, name: str) -> None:
        order = list(range(len(self.data[name])))
        self.rng.shuffle(order)
        texts = self.data[name].text
        window = self.batch * 50
        batches: list[list[int]] = []
        lengths = self.lengths
        for start in range(0, len(order), window):
            chunk = order[start : start + window]
            if lengths is not None:
                chunk.sort(key=lambda i: int(lengths[texts[i]]))
            batches += [chunk[j : j + self.batch] for j in range(0, len(chunk), self.batch)]
        self.rng.shuffle(batches)
        self.queue[name] += batches

    def next(self) -> tuple[str, TaskData]:
        name = self.rng.choices(self.names, self.weights)[0]
        if not self.queue[name]:
            self._refill(name)
        return name, self.data[name].take(self.queue[name].pop(0))
