"""python -m models.bench_speed [--weights-dir DIR] [--data artifacts/eval/civility_offensive.jsonl]

Comments/s at batch 1 and 64 for ~60-token comments, fp32 versus int8 dynamic quantization of the Linear
layers of the comment network (torch.ao.quantization.quantize_dynamic), and the accuracy delta (offensive
macro-F1 on the given validation file). int8 is worth shipping only if it costs < 1 point.
"""

from __future__ import annotations

import argparse
import copy
import time
from pathlib import Path

import torch

from models import WEIGHTS_DIR
from models.evaluate import evaluate, read_rows
from models.runtime import CommentInput, ModelRuntime

SENTENCE = (
    "The council's decision to close the library on weekends makes no sense to me, and I think the "
    "residents who rely on it deserve a better explanation than the one given in this article."
)


def comments(n: int, tokens: int = 60, rt: ModelRuntime | None = None) -> list[CommentInput]:
    words = SENTENCE.split()
    out = []
    for i in range(n):
        text = " ".join(words[(i + j) % len(words)] for j in range(46))
        out.append(CommentInput(text=text))
    if rt is not None:
        length = len(rt.encoder.tokenizer(out[0].text)["input_ids"])
        print(f"comment length: {length} tokens")
    return out


def throughput(rt: ModelRuntime, batch: int, total: int) -> float:
    items = comments(total)
    rt.predict(items[:batch], [None] * batch)  # warm-up
    began = time.perf_counter()
    for start in range(0, total, batch):
        chunk = items[start : start + batch]
        rt.predict(chunk, [None] * len(chunk))
    return total / (time.perf_counter() - began)


def quantized(rt: ModelRuntime) -> ModelRuntime:
    assert rt.tuned is not None
    q = copy.copy(rt)
    q.tuned = copy.copy(rt.tuned)
    q.tuned.network = torch.ao.quantization.quantize_dynamic(
        rt.tuned.network, {torch.nn.Linear}, dtype=torch.qint8
    )
    return q


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m models.bench_speed")
    parser.add_argument("--weights-dir", type=Path, default=WEIGHTS_DIR)
    parser.add_argument("--data", type=Path, default=Path("artifacts/eval/civility_offensive.jsonl"))
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    rt = ModelRuntime.load(weights_dir=args.weights_dir, threads=args.threads)
    comments(1, rt=rt)
    rows = read_rows(args.data) if args.data.exists() else []
    print(f"{'variant':<8} {'batch 1 /s':>11} {'batch 64 /s':>12} {'offensive macro-F1':>19}")
    results = {}
    for name, variant in (("fp32", rt), ("int8", quantized(rt))):
        b1, b64 = throughput(variant, 1, 48), throughput(variant, 64, 256)
        f1 = evaluate("civility", rows, variant, None)["macro_f1"] if rows else float("nan")
        results[name] = f1
        print(f"{name:<8} {b1:>11.1f} {b64:>12.1f} {f1:>19.4f}")
    delta = 100 * (results["int8"] - results["fp32"])
    print(f"int8 - fp32 macro-F1: {delta:+.2f} points -> {'keep int8' if delta > -1 else 'keep fp32'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
