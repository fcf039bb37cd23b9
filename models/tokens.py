"""Token windows and token-budget batches, shared by training and the runtime.

A text becomes one or more windows ``[CLS] prefix-tokens chunk [SEP]`` of at most ``size`` tokens (the prefix
is the encoder's instruction, e.g. e5's ``query: ``). Tokenising the prefix and the text separately gives the
same pieces as tokenising them joined (SentencePiece's word-start marker and WordPiece both start afresh after
a space), so windows can carry each token's character offsets in the text without the prefix.

``budget_batches`` groups sequences into forward passes: sorted by length, each pass holds at most
``max_tokens`` tokens INCLUDING padding (a pass costs ``rows x longest``), so a 10,000-character comment is
cut into windows that share passes with windows of similar length instead of padding everyone to its size.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from transformers import PreTrainedTokenizerBase

Offsets = list[tuple[int, int]]


@dataclass(frozen=True)
class Window:
    """``ids`` of one encoder window; ``offsets[i]`` are the text's character offsets of token i (``None``
    for special and prefix tokens); ``words[i]`` the text's word index of token i (``None`` likewise)."""

    ids: list[int]
    offsets: list[tuple[int, int] | None]
    words: list[int | None]
    skipped_before: int = 0  # text tokens left unread between the previous window and this one (budget)


def prefix_ids(tokenizer: PreTrainedTokenizerBase, prefix: str) -> list[int]:
    if not prefix.strip():
        return []
    return list(tokenizer(prefix.strip(), add_special_tokens=False)["input_ids"])


def windows(
    tokenizer: PreTrainedTokenizerBase,
    texts: Sequence[str],
    prefix: str,
    size: int,
    *,
    first_only: bool = False,
    max_windows: int | None = None,
) -> list[list[Window]]:
    """Each text's windows (at least one, empty texts included). ``max_windows``: a text that needs more
    keeps its first ``ceil(max_windows / 2)`` and last ``floor(max_windows / 2)`` windows; the first window
    after the gap says how many text tokens were skipped (``Window.skipped_before``)."""
    head = prefix_ids(tokenizer, prefix)
    cls, sep = tokenizer.cls_token_id, tokenizer.sep_token_id
    room = size - 2 - len(head)
    if room < 8:
        raise ValueError(f"window of {size} tokens leaves no room after the prefix")
    enc = tokenizer(list(texts), add_special_tokens=False, return_offsets_mapping=True, verbose=False)
    out = []
    for i in range(len(texts)):
        ids = list(enc["input_ids"][i])
        offsets = [tuple(o) for o in enc["offset_mapping"][i]]
        words = enc.word_ids(i)
        starts = list(range(0, max(1, len(ids)), room))
        if first_only:
            starts = [0]
        starts, skipped = _within(starts, max_windows, room)
        text_windows = []
        for start in starts:
            chunk = slice(start, start + room)
            none = [None] * (1 + len(head))
            text_windows.append(
                Window(
                    ids=[cls, *head, *ids[chunk], sep],
                    offsets=[*none, *offsets[chunk], None],
                    words=[*none, *words[chunk], None],
                    skipped_before=skipped.get(start, 0),
                )
            )
        out.append(text_windows)
    return out


def _within(starts: list[int], max_windows: int | None, room: int) -> tuple[list[int], dict[int, int]]:
    """The window starts kept under ``max_windows`` (head and tail) and, for the first start after the gap,
    the number of text tokens skipped before it."""
    if max_windows is not None and max_windows < 2:
        raise ValueError("max_windows keeps a head and a tail window: at least 2")
    if max_windows is None or len(starts) <= max_windows:
        return starts, {}
    head, tail = starts[: -(-max_windows // 2)], starts[len(starts) - max_windows // 2 :]
    return head + tail, {tail[0]: tail[0] - (head[-1] + room)}


def token_counts(
    tokenizer: PreTrainedTokenizerBase,
    texts: Sequence[str],
    prefix: str,
    size: int,
    *,
    max_windows: int | None = None,
) -> list[int]:
    """Tokens each text takes through the encoder: the sum over its ``windows`` with the same
    ``max_windows`` (special and prefix tokens of every window included), without building the windows."""
    head = prefix_ids(tokenizer, prefix)
    room = size - 2 - len(head)
    if room < 8:
        raise ValueError(f"window of {size} tokens leaves no room after the prefix")
    lengths = [
        len(ids) for ids in tokenizer(list(texts), add_special_tokens=False, verbose=False)["input_ids"]
    ]
    out = []
    for n in lengths:
        kept, skipped = _within(list(range(0, max(1, n), room)), max_windows, room)
        out.append(n - sum(skipped.values()) + len(kept) * (2 + len(head)))
    return out


def budget_batches(lengths: Sequence[int], max_tokens: int, max_rows: int = 256) -> list[list[int]]:
    """Indices grouped into passes of at most ``max_tokens`` padded tokens (``rows x longest``) and
    ``max_rows`` rows; shortest first. A sequence longer than the budget gets a pass of its own."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    batches: list[list[int]] = []
    current: list[int] = []
    for i in order:
        longest = max(lengths[i], lengths[current[-1]] if current else 0)
        if current and (longest * (len(current) + 1) > max_tokens or len(current) >= max_rows):
            batches.append(current)
            current = []
        current.append(i)
    if current:
        batches.append(current)
    return batches
