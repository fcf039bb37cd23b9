"""What the per-comment token budget (``models.outputs.MAX_WINDOWS``) saves: ``predict`` time of comments
under the hard length limit (10,000 characters), read in full and read within the budget, in ONE run.

Rows: a 10,000-character comment of prose (read in full either way: the budget must not touch it), and
emoji floods of 2,000 and 4,500 emoji with a sentence in front (each emoji becomes two or three word tokens,
so a few thousand characters become 6,000-14,000 tokens). Columns: tokens read, tokens left unread,
milliseconds per comment (median of ``--repeat``) for both, and the ratio.

    .venv/bin/python bench/comment_budget.py [--repeat 3] [--threads 2]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager

import models.tuned
from models.runtime import MAX_WINDOWS, CommentInput, ModelRuntime

PROSE = (
    'Jürgen said the bridge was "never over budget" 🙄 but the report (https://www.gov.example/report.pdf) '
    "says otherwise. The café owners on the quay agree, and so does Maria, who ran the numbers herself! "
) * 50
COMMENTS = {
    "prose, 10,000 characters": PROSE[:10_000],
    "2,000 emoji after a sentence": "Read this, editors: " + "🤡😡💩🖕" * 500,
    "4,500 emoji after a sentence": "Read this, editors: " + "🤡🎉🔥💯🙄😂🖕💩🤬" * 500,
}


@contextmanager
def unlimited() -> Iterator[None]:
    """Every window read (the behaviour before the budget)."""
    old = models.tuned.MAX_WINDOWS
    models.tuned.MAX_WINDOWS = 1_000_000
    try:
        yield
    finally:
        models.tuned.MAX_WINDOWS = old


def timed(rt: ModelRuntime, text: str, repeat: int) -> tuple[float, int, int]:
    """Median milliseconds of one ``predict`` (spans included), tokens read, tokens unread."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        [pred] = rt.predict([CommentInput(text)], [None])
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), pred.tokens, pred.unread_tokens


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    rt = ModelRuntime.load(threads=args.threads)
    print(f"model {rt.version}; budget {MAX_WINDOWS} windows per comment; median of {args.repeat}\n")
    print("| comment | characters | tokens read (all / budget) | unread | ms all | ms budget | ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, text in COMMENTS.items():
        with unlimited():
            all_ms, all_tokens, _ = timed(rt, text, args.repeat)
        ms, tokens, unread = timed(rt, text, args.repeat)
        print(
            f"| {name} | {len(text):,} | {all_tokens:,} / {tokens:,} | {unread:,} | {all_ms:,.0f} "
            f"| {ms:,.0f} | {all_ms / ms:.2f}x |"
        )


if __name__ == "__main__":
    main()
