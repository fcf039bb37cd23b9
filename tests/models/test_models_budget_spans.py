"""Token budget and span offsets of the shipped runtime: every window within 256 tokens, every pass within the
pass budget, and every span indexing the ORIGINAL text without splitting an emoji or a combining sequence."""

from __future__ import annotations

import itertools
import unicodedata

import pytest

from models.runtime import MAX_WINDOWS, CommentInput, ModelRuntime
from models.tokens import budget_batches, token_counts, windows
from moderation.pipeline import model_inputs

LONG = (
    'Jürgen said the bridge was "never over budget" 🙄 but the report (https://www.gov.example/report.pdf) '
    "says otherwise. Les habitants n'étaient pas consultés. 👏🏽 The café owners on the quay agree! "
) * 52  # ~10,000 characters, several languages, emoji, links, quotes
TRICKY = (
    "Thanks Zoë for the re\u0301port on the cafe\u0301 closures. "  # e + COMBINING ACUTE
    "Ti\u1ebfng Vi\u0323\u0302t and \u0928\u092e\u0938\u094d\u0924\u0947 are fine. "  # Vietnamese, Devanagari
    # ZWJ sequences, flags
    "But you are a pathetic moron 🤦\u200d♂️🤦\u200d♂️ and your family 👨\u200d👩\u200d👧 too 🇩🇪. "
    "Skin tones 👍🏽👎🏿 and keycaps 1\ufe0f\u20e3 stay whole."
)


@pytest.fixture(scope="module")
def rt(runtime: ModelRuntime) -> ModelRuntime:
    assert runtime.tuned is not None
    return runtime


def test_token_counts_match_the_windows(rt: ModelRuntime) -> None:
    texts = ["", "ok", TRICKY, LONG]
    tok, prefix = rt.encoder.tokenizer, rt.encoder.query_prefix
    per_text = windows(tok, texts, prefix, 256)
    assert token_counts(tok, texts, prefix, 256) == [sum(len(w.ids) for w in ws) for ws in per_text]
    long_windows = per_text[3]
    assert len(long_windows) >= 8 and all(len(w.ids) <= 256 for w in long_windows)


def test_budget_batches_cover_every_window_once_within_the_budget() -> None:
    lengths = [256] * 11 + [17, 40, 256, 3, 120, 255, 9] * 5
    batches = budget_batches(lengths, 1024)
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    assert all(len(b) * max(lengths[i] for i in b) <= 1024 for b in batches)
    assert all(lengths[b[-1]] <= lengths[c[0]] for b, c in itertools.pairwise(batches))
    assert budget_batches([5000, 10], 1024) == [[1], [0]]  # longer than the budget: a pass of its own


def test_a_10000_character_comment_runs_in_windows_within_the_pass_budget(rt: ModelRuntime) -> None:
    assert rt.tuned is not None and len(LONG) >= 9_900
    passes: list[tuple[int, int]] = []

    def hook(_module: object, _args: object, kwargs: dict, _out: object) -> None:
        passes.append(tuple(kwargs["attention_mask"].shape))

    handle = rt.encoder.model.register_forward_hook(hook, with_kwargs=True)
    old = rt.tuned.max_pass_tokens
    rt.tuned.max_pass_tokens = 1024
    try:
        comments = [CommentInput(LONG), CommentInput("Short one."), CommentInput(TRICKY)]
        preds = rt.predict(comments, [None] * 3)
    finally:
        rt.tuned.max_pass_tokens = old
        handle.remove()
    assert all(rows * width <= 1024 for rows, width in passes)
    assert max(width for _, width in passes) <= 256 and len(passes) >= 3
    assert [p.tokens for p in preds] == rt.token_counts([c.text for c in comments])
    assert preds[0].tokens > 2000  # all of it, not its first window


def grapheme_safe(text: str, begin: int, end: int) -> bool:
    """No combining mark, ZWJ, variation selector or skin-tone modifier cut off at either edge."""

    def joins(ch: str) -> bool:
        return (
            unicodedata.combining(ch) > 0
            or unicodedata.category(ch) == "Mn"
            or ch in "\u200d\ufe0f\u20e3"
            or 0x1F3FB <= ord(ch) <= 0x1F3FF
        )

    if not 0 <= begin < end <= len(text):
        return False
    if joins(text[begin]) or (end < len(text) and joins(text[end])):
        return False
    if begin > 0 and text[begin - 1] == "\u200d":
        return False
    regional = [0x1F1E6 <= ord(c) <= 0x1F1FF for c in text]  # a flag is two regional indicators
    if regional[begin] and begin > 0 and regional[begin - 1]:
        run = begin
        while run > 0 and regional[run - 1]:
            run -= 1
        if (begin - run) % 2:
            return False
    return True


def test_span_offsets_index_the_original_text(rt: ModelRuntime) -> None:
    (comment,) = model_inputs([TRICKY])
    assert len(comment.segments) >= 3
    (pred,) = rt.predict([comment], [None])
    sentences = [s for s in pred.spans if s.kind == "sentence"]
    words = [s for s in pred.spans if s.kind == "word"]
    assert [(s.begin, s.end) for s in sentences] == [(s.begin, s.end) for s in comment.segments]
    assert words, "the insult gets word evidence"
    for span in pred.spans:
        piece = TRICKY[span.begin : span.end]
        assert piece == piece.strip() and grapheme_safe(TRICKY, span.begin, span.end), (span, piece)
    insulting = max(sentences, key=lambda s: s.civility["toxicity"])
    assert "moron" in TRICKY[insulting.begin : insulting.end]
    assert any("moron" in TRICKY[w.begin : w.end] for w in words)


def test_one_sentence_comments_get_word_spans_on_emoji_and_marks(rt: ModelRuntime) -> None:
    text = "You are a disgusting idiot 🤡🤦\u200d♂️ and a fraud, Mr. Zoe\u0308 🇩🇪"
    (pred,) = rt.predict(model_inputs([text]), [None])
    assert not [s for s in pred.spans if s.kind == "sentence"]
    words = [s for s in pred.spans if s.kind == "word"]
    assert words
    for w in words:
        assert grapheme_safe(text, w.begin, w.end), (w, text[w.begin : w.end])


def test_windows_over_the_budget_keep_the_head_and_the_tail(rt: ModelRuntime) -> None:
    tok, prefix = rt.encoder.tokenizer, rt.encoder.query_prefix
    text = " ".join(f"word{i}" for i in range(3000))
    full = windows(tok, [text], prefix, 64)[0]
    kept = windows(tok, [text], prefix, 64, max_windows=5)[0]
    assert len(full) > 5 and len(kept) == 5
    assert kept[:3] == full[:3] and [w.ids for w in kept[3:]] == [w.ids for w in full[-2:]]
    overhead = len(windows(tok, [""], prefix, 64)[0][0].ids)  # [CLS], the prefix, [SEP]
    assert sum(w.skipped_before for w in kept) == sum(len(w.ids) - overhead for w in full[3:-2])
    assert [w.skipped_before > 0 for w in kept] == [False, False, False, True, False]
    assert token_counts(tok, [text], prefix, 64, max_windows=5) == [sum(len(w.ids) for w in kept)]
    assert windows(tok, ["short"], prefix, 64, max_windows=5)[0][0].skipped_before == 0


def test_an_emoji_flood_is_read_within_the_per_comment_budget(rt: ModelRuntime) -> None:
    flood = "The minister lied again " + "🤡😡💩🖕" * 1000  # 4,024 characters, ~12,000 tokens as words
    preds = rt.predict([CommentInput(flood), CommentInput(LONG)], [None, None])
    assert preds[0].tokens <= MAX_WINDOWS * 256 and preds[0].unread_tokens > 5000
    assert preds[0].tokens == rt.token_counts([flood])[0]
    assert preds[1].unread_tokens == 0  # 10,000 characters of prose are read in full
    assert preds[0].civility is not None and max(preds[0].civility.values()) > 0.5
