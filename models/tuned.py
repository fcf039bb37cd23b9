"""The fine-tuned network at inference: LoRA factors merged into the base encoder once, heads on top, ONE
encoder pass per comment (all its windows) whatever is asked of it.

Per ``predict`` call: every comment is prepared (``models.preprocess``), cut into windows of at most
``MAX_TOKENS`` tokens (at most ``MAX_WINDOWS`` per comment: its head and tail), and all windows of all
comments run through the encoder in token-budget passes (``models.tokens.budget_batches``: sorted by length,
``max_tokens`` padded tokens per pass). The token states
are then pooled per comment (civility, sentiment, stance, the mean vector for on-topic), per sentence and
per word (civility evidence), without encoding anything again.

Articles (``encode_articles``): windows of the article text, each mean-pooled and normalised; stored as one
float32 array ``[1 + n_passages, H]`` whose row 0 is the normalised mean of its ``MAX_TOKENS`` windows (the
article vector) and the other rows its passages, windows of ``passage_tokens`` (the on-topic fit's, e.g. 128),
for the best-matching-passage cosine.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from safetensors.torch import load_file
from torch import nn

from models.encoder import Encoder
from models.lora import merge
from models.manifest import WEIGHTS_FILE, ManifestError, verify_files
from models.network import CommentNetwork, group_mean
from models.outputs import (
    CIVILITY_LABELS,
    MAX_TOKENS,
    MAX_WINDOWS,
    MAX_WORDS,
    SENTIMENT_LABELS,
    STANCE_LABELS,
    WORD_FLOOR,
    CommentInput,
    Prediction,
    SpanScore,
)
from models.preprocess import Prepared, prepare
from models.tokens import Window, budget_batches, windows

MAX_PASS_TOKENS = 8192  # padded tokens per encoder pass (memory and latency bound of one pass)


def load_tuned(
    base: Encoder, manifest: dict[str, Any], weights_dir: Path, *, check_encoder: bool = True
) -> TunedModel:
    """Merge the shipped LoRA factors into ``base`` and load the heads; sha256 of every file is checked."""
    verify_files(manifest, weights_dir)
    expected = manifest.get("encoder", {}).get("sha256")
    if check_encoder and expected and base.sha256 and expected != base.sha256:
        raise ManifestError(f"weights were trained on encoder sha256 {expected}; {base.source} differs")
    wanted = {
        "civility": list(CIVILITY_LABELS),
        "sentiment": list(SENTIMENT_LABELS),
        "stance": list(STANCE_LABELS),
    }
    if manifest.get("labels") != wanted:
        raise ManifestError(f"manifest labels {manifest.get('labels')} differ from the runtime's {wanted}")
    platt = manifest["calibration"].get("civility_platt", {})
    if set(platt) - set(CIVILITY_LABELS) or any(set(fit) != {"a", "b"} for fit in platt.values()):
        raise ManifestError(
            f"calibration.civility_platt {platt} is not {{label: {{a, b}}}} of {CIVILITY_LABELS}"
        )
    state = {k: v.float() for k, v in load_file(str(weights_dir / WEIGHTS_FILE)).items()}
    network = CommentNetwork(base.model)
    factors = {k: v for k, v in state.items() if ".lora_" in k}
    lora = manifest["lora"]
    merge(network.encoder, factors, float(lora["alpha"]) / float(lora["rank"]))
    heads = {k: v for k, v in state.items() if ".lora_" not in k}
    missing = network.load_state_dict(heads, strict=False)
    if missing.unexpected_keys or any(not k.startswith("encoder.") for k in missing.missing_keys):
        raise ManifestError(f"weights do not fit the network: {missing}")
    return TunedModel(encoder=base, network=network.eval(), calibration=manifest["calibration"])


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


@dataclass
class _Comment:
    prepared: Prepared
    windows: list[Window]
    first: int  # index of its first token in the flat token tensor
    count: int


@dataclass
class TunedModel:
    encoder: Encoder
    network: CommentNetwork
    calibration: dict[str, Any]
    max_pass_tokens: int = MAX_PASS_TOKENS

    @property
    def device(self) -> torch.device:
        return next(self.network.parameters()).device

    def _encode(self, wins: Sequence[Window]) -> list[torch.Tensor]:
        """Token states ``[len, H]`` per window, in token-budget passes."""
        out: list[torch.Tensor] = [torch.empty(0)] * len(wins)
        lengths = [len(w.ids) for w in wins]
        for idx in budget_batches(lengths, self.max_pass_tokens):
            width = max(lengths[i] for i in idx)
            ids = torch.full(
                (len(idx), width), int(self.encoder.tokenizer.pad_token_id or 0), dtype=torch.long
            )
            mask = torch.zeros((len(idx), width), dtype=torch.long)
            for row, i in enumerate(idx):
                ids[row, : lengths[i]] = torch.tensor(wins[i].ids)
                mask[row, : lengths[i]] = 1
            states = self.network.token_states(ids.to(self.device), mask.to(self.device)).float()
            for row, i in enumerate(idx):
                out[i] = states[row, : lengths[i]]
        return out

    @property
    def passage_tokens(self) -> int:
        """Tokens per article passage of the on-topic fit (``MAX_TOKENS`` when the fit names none)."""
        return int(self.calibration.get("on_topic", {}).get("passage_tokens", MAX_TOKENS))

    @torch.inference_mode()
    def encode_articles(self, texts: Sequence[str], *, passage_tokens: int | None = None) -> list[np.ndarray]:
        """``[1 + n_passages, H]`` float32 per article (see the module docstring); ``passage_tokens``
        overrides the fit's (calibration fits a new one)."""
        size = passage_tokens or self.passage_tokens
        prepared = [prepare(t).text for t in texts]
        full = self._window_vectors(prepared, MAX_TOKENS)
        passages = full if size == MAX_TOKENS else self._window_vectors(prepared, size)
        out = []
        for windows_, rows in zip(full, passages, strict=True):
            mean = nn.functional.normalize(windows_.mean(0, keepdim=True), dim=-1)
            out.append(torch.cat([mean, rows]).cpu().numpy().astype(np.float32))
        return out

    def _window_vectors(self, prepared: Sequence[str], size: int) -> list[torch.Tensor]:
        """Per text ``[n_windows, H]``: its ``size``-token windows, each mean-pooled and normalised."""
        per_text = windows(self.encoder.tokenizer, prepared, self.encoder.passage_prefix, size)
        states = self._encode([w for ws in per_text for w in ws])
        vectors = nn.functional.normalize(torch.stack([s.mean(0) for s in states]), dim=-1)
        out, start = [], 0
        for ws in per_text:
            out.append(vectors[start : start + len(ws)])
            start += len(ws)
        return out

    def _comment_windows(self, prepared: Sequence[str]) -> list[list[Window]]:
        """A comment's windows as the heads read them: ``MAX_TOKENS`` each, at most ``MAX_WINDOWS``."""
        return windows(
            self.encoder.tokenizer, prepared, self.encoder.query_prefix, MAX_TOKENS, max_windows=MAX_WINDOWS
        )

    def _comment_tokens(
        self, prepared: Sequence[str]
    ) -> tuple[list[list[Window]], torch.Tensor, torch.Tensor]:
        """Each comment's windows, the token states of all of them ``[N, H]`` (comment by comment, window by
        window) and each token's comment index ``[N]``: what every comment head pools."""
        per_text = self._comment_windows(prepared)
        tokens = torch.cat(self._encode([w for ws in per_text for w in ws]))
        counts = [sum(len(w.ids) for w in ws) for ws in per_text]
        groups = torch.cat([torch.full((c,), i, dtype=torch.long) for i, c in enumerate(counts)])
        return per_text, tokens, groups.to(tokens.device)

    @torch.inference_mode()
    def mean_vectors(self, texts: Sequence[str]) -> torch.Tensor:
        """``[G, H]`` mean-pooled comment vectors over all windows (what on-topic compares), unnormalised."""
        _, tokens, groups = self._comment_tokens([prepare(t).text for t in texts])
        return group_mean(tokens, groups, len(texts))

    @torch.inference_mode()
    def civility_logits(self, texts: Sequence[str]) -> torch.Tensor:
        """Raw civility logits, shape ``(len(texts), 6)`` float32 on the CPU, of texts read as ``predict``
        reads them (prepared, windowed): what the calibration fits (``models.train.refit``)."""
        if not texts:
            return torch.zeros(0, len(CIVILITY_LABELS))
        _, tokens, groups = self._comment_tokens([prepare(t).text for t in texts])
        return self.network.civility_logits(tokens, groups, len(texts)).float().cpu()

    def civility_probs(self, logits: torch.Tensor) -> torch.Tensor:
        """Calibrated civility probabilities, shape ``(n, 6)`` in ``CIVILITY_LABELS`` order, from raw logits
        of the same shape: ``sigmoid(a z + b)`` for a label with a fit in ``calibration["civility_platt"]``
        (TOXICITY, fitted on comment-like dev rows: ``models.train.refit``), else ``sigmoid(z / T)`` with the
        label's dev temperature."""
        temps = self.calibration["temperatures"]["civility"]
        platt = self.calibration.get("civility_platt", {})
        scale = [float(platt[k]["a"]) if k in platt else 1.0 / float(temps[k]) for k in CIVILITY_LABELS]
        bias = [float(platt[k]["b"]) if k in platt else 0.0 for k in CIVILITY_LABELS]
        a = torch.tensor(scale, device=logits.device)
        b = torch.tensor(bias, device=logits.device)
        return torch.sigmoid(logits.float() * a + b)

    def on_topic_prob(self, comment: torch.Tensor, article: np.ndarray) -> float:
        """P(on topic) from the cosines of the comment's mean vector with the article vector and with its
        best-matching passage (``calibration["on_topic"]``: ``p = sigmoid(a cos_mean + b cos_max + c)``)."""
        art = torch.from_numpy(np.asarray(article, dtype=np.float32).reshape(-1, comment.shape[-1]))
        u = nn.functional.normalize(comment.float().cpu(), dim=-1)
        cos_mean = float(art[0] @ u)
        cos_max = float((art[1:] @ u).max()) if len(art) > 1 else cos_mean
        fit = self.calibration["on_topic"]
        return _sigmoid(fit["a"] * cos_mean + fit["b"] * cos_max + fit["c"])

    @torch.inference_mode()
    def predict(
        self, comments: Sequence[CommentInput], articles: Sequence[np.ndarray | None], *, spans: bool = True
    ) -> list[Prediction]:
        """``spans=False`` skips the sentence and word spans (benchmarks compare the spans' cost with it)."""
        if not comments:
            return []
        prepared = [prepare(c.text) for c in comments]
        per_text, tokens, comment_groups = self._comment_tokens([p.text for p in prepared])
        items, first = [], 0
        for p, ws in zip(prepared, per_text, strict=True):
            count = sum(len(w.ids) for w in ws)
            items.append(_Comment(p, ws, first, count))
            first += count
        dev = tokens.device
        net = self.network
        n = len(items)
        civ = self.civility_probs(net.civility_logits(tokens, comment_groups, n))
        temps = self.calibration["temperatures"]
        sent = torch.softmax(net.sentiment_logits(tokens, comment_groups, n) / float(temps["sentiment"]), -1)
        means = group_mean(tokens, comment_groups, n)
        stance_u = net.stance_vector(tokens, comment_groups, n)
        span_lists = self._spans(comments, items, tokens) if spans else [[] for _ in items]
        out = []
        for i, article in enumerate(articles):
            stance = on_topic = None
            if article is not None:
                art = np.asarray(article, dtype=np.float32).reshape(-1, tokens.shape[-1])
                v = torch.from_numpy(art[:1]).to(dev)
                logits = net.stance_logits(stance_u[i : i + 1], v)[0] / float(temps["stance"])
                stance = dict(zip(STANCE_LABELS, torch.softmax(logits, -1).tolist(), strict=True))
                on_topic = self.on_topic_prob(means[i], art)
            out.append(
                Prediction(
                    civility=dict(zip(CIVILITY_LABELS, civ[i].tolist(), strict=True)),
                    spans=span_lists[i],
                    sentiment=dict(zip(SENTIMENT_LABELS, sent[i].tolist(), strict=True)),
                    stance=stance,
                    on_topic=on_topic,
                    tokens=items[i].count,
                    unread_tokens=sum(w.skipped_before for w in items[i].windows),
                )
            )
        return out

    def _spans(
        self, comments: Sequence[CommentInput], items: list[_Comment], tokens: torch.Tensor
    ) -> list[list[SpanScore]]:
        """Sentence spans (comments of 2+ segments) and word spans, pooled from the comments' token states.

        Only content tokens count: punctuation tokens are where the encoder gathers the WHOLE comment (the
        attention heads look there first), so a sentence or a word pooled with its full stop would read like
        the comment. Words are keyed by their span in the original text, so the two words an emoji became
        (``🤡`` -> "clown face") are one highlight."""
        group_of: dict[tuple[int, str, int, int], int] = {}  # (comment, kind, begin, end) -> group
        token_idx: list[int] = []
        group_idx: list[int] = []
        for ci, (comment, item) in enumerate(zip(comments, items, strict=True)):
            segs = comment.segments if len(comment.segments) >= 2 else ()
            starts = [s.begin for s in segs]
            words = self._word_spans(item)
            pos = item.first
            for w in item.windows:
                for off, word in zip(w.offsets, w.words, strict=True):
                    if off is not None and _is_content(item.prepared.text[off[0] : off[1]]):
                        begin = item.prepared.source_span(*off)[0]
                        keys = []
                        k = bisect.bisect_right(starts, begin) - 1
                        if segs and k >= 0 and begin < segs[k].end:
                            keys.append((ci, "sentence", segs[k].begin, segs[k].end))
                        if word is not None:
                            keys.append((ci, "word", *words[word]))
                        for key in keys:
                            token_idx.append(pos)
                            group_idx.append(group_of.setdefault(key, len(group_of)))
                    pos += 1
        out: list[list[SpanScore]] = [[] for _ in comments]
        if not group_of:
            return out
        index = torch.tensor(token_idx, device=tokens.device)
        groups = torch.tensor(group_idx, device=tokens.device)
        probs = self.civility_probs(
            self.network.civility_logits(tokens[index], groups, len(group_of))
        ).tolist()
        words_of: list[list[SpanScore]] = [[] for _ in comments]
        for (ci, kind, begin, end), g in group_of.items():
            civility = dict(zip(CIVILITY_LABELS, probs[g], strict=True))
            if kind == "sentence":
                out[ci].append(SpanScore(begin, end, civility, "sentence"))
            elif max(civility.values()) >= WORD_FLOOR:
                words_of[ci].append(SpanScore(begin, end, civility, "word"))
        for ci in range(len(comments)):
            top = sorted(words_of[ci], key=lambda s: -max(s.civility.values()))[:MAX_WORDS]
            out[ci] = sorted(out[ci], key=lambda s: s.begin) + sorted(top, key=lambda s: s.begin)
        return out

    @staticmethod
    def _word_spans(item: _Comment) -> dict[int, tuple[int, int]]:
        """Word index -> the word's original ``[begin, end)``, from its content tokens."""
        spans: dict[int, tuple[int, int]] = {}
        for w in item.windows:
            for off, word in zip(w.offsets, w.words, strict=True):
                if off is None or word is None or not _is_content(item.prepared.text[off[0] : off[1]]):
                    continue
                begin, end = item.prepared.source_span(*off)
                old = spans.get(word)
                spans[word] = (begin, end) if old is None else (min(old[0], begin), max(old[1], end))
        return spans


def _is_content(piece: str) -> bool:
    """A token that carries a word (a letter or digit), not only punctuation, symbols or space."""
    return any(ch.isalnum() for ch in piece)
