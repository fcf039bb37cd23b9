"""ONE markdown table of speed on realistic comments (``bench/realistic_comments.py``), every figure measured
in the same run so the ratios beside each other are fair on a shared, noisy machine.

Rows (per model variant: fp32 and int8 dynamic quantization of the encoder's Linear layers):
- raw encoder comments/s: every window of every comment through the encoder alone, in token-budget passes
  (the limit: nothing else is computed), in-process;
- ``predict`` without spans, ``predict`` with sentence + word spans, and the whole ``Pipeline.score``
  (language detection, sentence segmentation, spans), all on the same texts, in-process;
- ``POST /v1/moderate`` p50/p95/p99 at concurrency 1/8/32 on a real uvicorn server (``moderation serve``,
  SQLite in a temporary directory, Redis 127.0.0.1:6379 under a fresh prefix), beside one bare encoder pass
  (batch 1) of the same comments; short comments alone and beside 4 clients sending 10,000-character ones;
- queue end to end (``POST /v1/comments`` to the stored decision) with 1 and 2 ``moderation worker``
  processes (the model threads split between them);
- RSS of the API and of the worker after ``--rss-n`` comments went through them.

    .venv/bin/python bench/speed_table.py --quick   # ~10 min on 2 busy cores: small counts, fp32 + int8
    .venv/bin/python bench/speed_table.py           # the full run, ~25 min there (see --help)

The keys of the prefix are deleted at the end; the temporary directory is removed.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import redis

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from realistic_comments import Comment, describe, realistic_comments  # noqa: E402

VARIANT_NAMES = {"none": "fp32", "int8": "int8"}
ERRORS: dict[str, int] = {}  # kind (HTTP status or exception) -> count, over the whole run
SHORT = "Thanks for the clear write-up, the new bus routes will help my commute a lot."


@dataclass
class Results:
    """measure -> variant -> shown value; ``notes`` per measure (ratios, targets)."""

    rows: dict[str, dict[str, str]] = field(default_factory=dict)
    notes: dict[str, dict[str, str]] = field(default_factory=dict)
    raw: dict[tuple[str, str], float] = field(default_factory=dict)

    def put(self, measure: str, variant: str, shown: str, value: float | None = None) -> None:
        self.rows.setdefault(measure, {})[variant] = shown
        if value is not None:
            self.raw[(measure, variant)] = value
        print(f"  {measure} [{variant}]: {shown}", flush=True)

    def note(self, measure: str, variant: str, text: str) -> None:
        self.notes.setdefault(measure, {})[variant] = text


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


def lat(values: list[float]) -> str:
    return f"{pct(values, 50):.2f} / {pct(values, 95):.2f} / {pct(values, 99):.2f}"


def timed(fn: Callable[[], Any], rounds: int) -> float:
    """Median seconds of ``rounds`` calls of ``fn``."""
    spent = []
    for _ in range(rounds):
        began = time.perf_counter()
        fn()
        spent.append(time.perf_counter() - began)
    return statistics.median(spent)


# --- in-process: encoder, predict, pipeline ---------------------------------------------------------------


MEASURES = (
    ("raw", "raw encoder, comments/s (tokens/s)"),
    ("plain", "predict without spans, comments/s"),
    ("spans", "predict with sentence + word spans, comments/s"),
    ("pipeline", "Pipeline.score (language, sentences, spans), comments/s"),
)


def in_process(
    runtimes: dict[str, Any], comments: list[Comment], chunks: int, rounds: int, res: Results
) -> None:
    """Every (variant, measure) on every chunk of the comments, the order rotated chunk by chunk, so that
    the machine's load swings hit every cell alike; seconds are summed over the chunks."""
    import torch

    from models.outputs import MAX_TOKENS
    from models.preprocess import prepare
    from models.tokens import windows
    from moderation.config import Settings
    from moderation.domain import CommentRequest
    from moderation.pipeline import Pipeline, model_inputs

    texts = [c.text for c in comments]
    langs = [c.lang for c in comments]
    n = len(texts)
    size = -(-n // chunks)
    parts = [slice(lo, lo + size) for lo in range(0, n, size)]
    settings = Settings(_env_file=None, environment="test")  # type: ignore[call-arg]

    def jobs(rt: Any, part: slice) -> dict[str, Callable[[], Any]]:
        sub = texts[part]
        inputs = model_inputs(sub, langs[part])
        bare = [type(i)(i.text) for i in inputs]  # no segments
        pipeline = Pipeline(settings=settings, runtime=rt)
        requests = [CommentRequest(text=t) for t in sub]

        @torch.inference_mode()
        def raw() -> None:
            per = windows(
                rt.encoder.tokenizer, [prepare(t).text for t in sub], rt.encoder.query_prefix, MAX_TOKENS
            )
            rt.tuned._encode([w for ws in per for w in ws])

        return {
            "raw": raw,
            "plain": lambda: rt.predict(bare, [None] * len(bare), spans=False),
            "spans": lambda: rt.predict(inputs, [None] * len(inputs)),
            "pipeline": lambda: pipeline.score(requests, [None] * len(requests)),
        }

    spent = {(v, m): 0.0 for v in runtimes for m, _ in MEASURES}
    for rt in runtimes.values():
        rt.predict(model_inputs(texts[:4]), [None] * 4)  # warm-up
    cells = [(v, m) for v in runtimes for m, _ in MEASURES]
    for k, part in enumerate(parts):
        work = {v: jobs(rt, part) for v, rt in runtimes.items()}
        for j in range(len(cells)):
            v, m = cells[(j + k) % len(cells)]
            spent[(v, m)] += timed(work[v][m], rounds)
        print(f"  chunk {k + 1}/{len(parts)} done", flush=True)
    for v, rt in runtimes.items():
        tokens = sum(rt.token_counts(texts))
        raw_s, plain_s, spans_s, pipe_s = (spent[(v, m)] for m, _ in MEASURES)
        res.put(MEASURES[0][1], v, f"{n / raw_s:.1f} ({tokens / raw_s:,.0f})", n / raw_s)
        res.put(MEASURES[1][1], v, f"{n / plain_s:.1f}", n / plain_s)
        res.put(MEASURES[2][1], v, f"{n / spans_s:.1f}", n / spans_s)
        res.note(MEASURES[2][1], v, f"spans cost {spans_s / plain_s:.2f}×")
        res.put(MEASURES[3][1], v, f"{n / pipe_s:.1f}", n / pipe_s)
        res.note(MEASURES[3][1], v, f"{raw_s / pipe_s:.2f}× raw")


def bare_pass(runtime: Any, text: str) -> float:
    """Seconds of one bare encoder pass (batch 1, every window, tokenisation included) of ``text``."""
    import torch

    from models.outputs import MAX_TOKENS
    from models.preprocess import prepare
    from models.tokens import windows

    with torch.inference_mode():
        began = time.perf_counter()
        per = windows(
            runtime.encoder.tokenizer, [prepare(text).text], runtime.encoder.query_prefix, MAX_TOKENS
        )
        runtime.tuned._encode(per[0])
        return time.perf_counter() - began


def alternate(dep: Deployment, runtime: Any, texts: list[str]) -> tuple[list[float], list[float], int]:
    """Concurrency 1, each comment sent to ``/v1/moderate`` and then passed bare through the in-process
    encoder, alternately (load swings hit both alike): (API seconds, bare seconds, errors)."""
    api: list[float] = []
    bare: list[float] = []
    errors = 0
    for text in texts[:3]:
        bare_pass(runtime, text)  # warm-up
    for text in texts:
        lat, err = moderate_latencies(dep, [text], 1)
        api += lat
        errors += err
        bare.append(bare_pass(runtime, text))
    return api, bare, errors


# --- a real server and real workers ------------------------------------------------------------------------


@dataclass
class Deployment:
    tmp: Path
    env: dict[str, str]
    base_url: str
    key: str
    db_url: str
    prefix: str
    redis_url: str
    args: argparse.Namespace
    server: subprocess.Popen[bytes] | None = None
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)


def sink(args: argparse.Namespace, name: str) -> Any:
    """Where a subprocess's output goes: ``--logs DIR/NAME.log``, else nowhere."""
    if not getattr(args, "logs", None):
        return subprocess.DEVNULL
    Path(args.logs).mkdir(parents=True, exist_ok=True)
    return (Path(args.logs) / f"{name}.log").open("ab")


def deploy(args: argparse.Namespace, quantize: str) -> Deployment:
    from moderation import api_keys
    from moderation.domain import Role
    from moderation.store.db import make_engine, make_sessionmaker, transaction
    from moderation.store.migrations import upgrade

    tmp = Path(tempfile.mkdtemp(prefix="speed-table-"))
    db_url = f"sqlite:///{tmp / 'bench.db'}"
    upgrade(db_url)
    engine = make_engine(db_url)
    with transaction(make_sessionmaker(engine)) as session:
        _row, key = api_keys.create_key(session=session, name="bench", role=Role.CLIENT, all_sites=True)
    engine.dispose()
    prefix = f"speed-{uuid.uuid4().hex[:8]}"
    port = args.port
    env = dict(os.environ) | {
        "MODERATION_ENVIRONMENT": "test", "MODERATION_DATA_DIR": str(tmp), "MODERATION_DATABASE_URL": db_url,
        "MODERATION_REDIS_URL": args.redis_url, "MODERATION_REDIS_PREFIX": prefix,
        "MODERATION_LOG_JSON": "false",
        "MODERATION_LOG_LEVEL": "WARNING", "MODERATION_MODEL_THREADS": str(args.threads),
        "MODERATION_MODEL_QUANTIZE": quantize, "MODERATION_QUEUE_MAX_DEPTH": "1000000",
        "MODERATION_MAX_BODY_BYTES": str(4 * 1024 * 1024), "MODERATION_MODEL_CACHE": args.model_cache,
        "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": str(args.threads),
    }  # fmt: skip
    if args.malloc_arena_max:
        env["MALLOC_ARENA_MAX"] = str(args.malloc_arena_max)
    dep = Deployment(tmp, env, f"http://127.0.0.1:{port}", key, db_url, prefix, args.redis_url, args)
    dep.server = subprocess.Popen(
        [sys.executable, "-m", "moderation.cli", "serve", "--no-migrate", "--port", str(port)],
        cwd=ROOT, env=env, stdout=sink(args, "api"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{dep.base_url}/readyz", timeout=2).status_code == 200:
                return dep
        except httpx.HTTPError:
            pass
        if dep.server.poll() is not None:
            raise RuntimeError("the API server exited at start")
        time.sleep(0.5)
    raise RuntimeError("the API server did not become ready")


def start_workers(dep: Deployment, n: int, threads: int) -> None:
    from moderation.queue.keys import RedisKeys

    env = dep.env | {
        "MODERATION_MODEL_THREADS": str(max(1, threads // n)),
        "OMP_NUM_THREADS": str(max(1, threads // n)),
    }
    names = [f"speed-{uuid.uuid4().hex[:6]}" for _ in range(n)]
    dep.workers = [
        subprocess.Popen(
            [sys.executable, "-m", "moderation.cli", "worker", "--name", name],
            cwd=ROOT, env=env, stdout=sink(dep.args, name), stderr=subprocess.STDOUT,
        )
        for name in names
    ]  # fmt: skip
    client = redis.Redis.from_url(dep.redis_url)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if all(client.exists(RedisKeys(dep.prefix).worker_health(name)) for name in names):
            return
        time.sleep(0.2)
    raise RuntimeError("workers did not start")


def stop(procs: list[subprocess.Popen[bytes]]) -> None:
    for p in procs:
        p.send_signal(signal.SIGTERM)
    for p in procs:
        try:
            p.wait(timeout=60)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def teardown(dep: Deployment) -> None:
    stop(dep.workers + ([dep.server] if dep.server else []))
    client = redis.Redis.from_url(dep.redis_url)
    for k in client.scan_iter(match=f"\\{{{dep.prefix}\\}}:*", count=1000):
        client.delete(k)
    shutil.rmtree(dep.tmp, ignore_errors=True)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def moderate_latencies(dep: Deployment, texts: list[str], concurrency: int) -> tuple[list[float], int]:
    """(seconds per request, errors) for ``texts`` sent by ``concurrency`` clients."""
    headers = {"Authorization": f"Bearer {dep.key}"}
    lock = threading.Lock()
    todo = list(enumerate(texts))
    out: list[float] = []
    errors = [0]

    def client() -> None:
        with httpx.Client(base_url=dep.base_url, headers=headers, timeout=600) as http:
            while True:
                with lock:
                    if not todo:
                        return
                    _i, text = todo.pop(0)
                began = time.perf_counter()
                try:
                    status = str(http.post("/v1/moderate", json={"text": text}).status_code)
                except httpx.HTTPError as exc:  # a dropped connection counts as an error, the client goes on
                    status = type(exc).__name__
                ok = status == "200"
                if not ok:
                    with lock:
                        ERRORS[status] = ERRORS.get(status, 0) + 1
                spent = time.perf_counter() - began
                with lock:
                    out.append(spent)
                    errors[0] += not ok

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out, errors[0]


def beside_long(dep: Deployment, long_text: str, shorts: int, long_clients: int) -> list[float]:
    """Latencies of ``shorts`` short comments sent one after another while ``long_clients`` clients keep
    sending 10,000-character comments."""
    stop_flag = threading.Event()
    headers = {"Authorization": f"Bearer {dep.key}"}

    def hammer() -> None:
        with httpx.Client(base_url=dep.base_url, headers=headers, timeout=600) as http:
            while not stop_flag.is_set():
                with contextlib.suppress(httpx.HTTPError):
                    http.post("/v1/moderate", json={"text": long_text})

    threads = [threading.Thread(target=hammer) for _ in range(long_clients)]
    for t in threads:
        t.start()
    time.sleep(1.0)
    try:
        lats, _ = moderate_latencies(dep, [SHORT] * shorts, 1)
    finally:
        stop_flag.set()
        for t in threads:
            t.join()
    return lats


def queue_rate(dep: Deployment, texts: list[str], max_seconds: float) -> tuple[float | None, int]:
    """(comments/s from the first POST /v1/comments to the last stored decision, comments scored)."""
    from sqlalchemy import func, select

    from moderation.store.db import make_engine, make_sessionmaker
    from moderation.store.tables import CommentRow

    tag = uuid.uuid4().hex[:8]
    headers = {"Authorization": f"Bearer {dep.key}"}
    engine = make_engine(dep.db_url)
    sessions = make_sessionmaker(engine)
    stmt = select(func.count()).where(CommentRow.id.like(f"q{tag}-%"), CommentRow.status == "scored")
    began = time.perf_counter()
    scored = 0
    try:
        with httpx.Client(base_url=dep.base_url, headers=headers, timeout=600) as http:
            for lo in range(0, len(texts), 100):
                body = [
                    {"text": t, "comment_id": f"q{tag}-{lo + i}"} for i, t in enumerate(texts[lo : lo + 100])
                ]
                r = http.post("/v1/comments", json=body)
                if r.status_code != 202:
                    raise RuntimeError(f"POST /v1/comments: {r.status_code} {r.text[:300]}")
        while time.perf_counter() - began < max_seconds:
            with sessions() as session:
                scored = int(session.scalar(stmt) or 0)
            if scored == len(texts):
                return len(texts) / (time.perf_counter() - began), scored
            time.sleep(0.1)
        return None, scored
    finally:
        engine.dispose()


def service(
    args: argparse.Namespace, comments: list[Comment], runtime: Any, variant: str, res: Results
) -> None:
    quantize = "int8" if variant == "int8" else "none"
    normal = [c.text for c in comments if c.kind != "long"]
    long_text = next((c.text for c in comments if c.kind == "long"), comments[0].text * 20)[:10_000]
    dep = deploy(args, quantize)
    try:
        assert dep.server is not None
        moderate_latencies(dep, normal[:3], 1)  # warm-up
        for c in args.concurrency:
            count = max(args.api_requests, 2 * c)
            sample = [normal[i % len(normal)] for i in range(count)]
            measure = f"/v1/moderate p50 / p95 / p99 s, concurrency {c}"
            if c == 1:
                lats, bare, errors = alternate(dep, runtime, sample)
                res.put(
                    "one bare encoder pass (batch 1) of the same comments, p50 / p95 / p99 s",
                    variant,
                    lat(bare),
                )
                res.note(measure, variant, f"p99 {pct(lats, 99) / pct(bare, 99):.2f}× bare p99")
            else:
                began = time.perf_counter()
                lats, errors = moderate_latencies(dep, sample, c)
                res.note(measure, variant, f"{len(lats) / (time.perf_counter() - began):.1f} req/s")
            res.put(measure, variant, lat(lats) + (f" ({errors} errors)" if errors else ""), pct(lats, 99))
        if args.long_clients:
            alone, _ = moderate_latencies(dep, [SHORT] * args.short_probes, 1)
            beside = beside_long(dep, long_text, args.short_probes, args.long_clients)
            measure = (
                f"a short comment's p50 / p95 s: alone → beside {args.long_clients} clients of 10,000 chars"
            )
            res.put(
                measure, variant,
                f"{pct(alone, 50):.2f} / {pct(alone, 95):.2f} → "
                f"{pct(beside, 50):.2f} / {pct(beside, 95):.2f}",
            )  # fmt: skip
        raw = res.raw.get(("raw encoder, comments/s (tokens/s)", variant))
        texts = [c.text for c in comments]
        for n in args.workers:
            start_workers(dep, n, args.threads)
            sample = [texts[i % len(texts)] for i in range(args.queue_n)]
            rate, scored = queue_rate(dep, sample, args.max_seconds)
            measure = f"queue end to end, comments/s, {n} worker{'s' if n > 1 else ''}"
            shown = (
                f"timeout ({scored}/{len(sample)} in {args.max_seconds:.0f} s)"
                if rate is None
                else f"{rate:.1f}"
            )
            res.put(measure, variant, shown, rate)
            if rate is not None and raw:
                res.note(measure, variant, f"{rate / raw:.2f}× raw encoder")
            if n == 1 and args.rss_n > args.queue_n:
                rest = [texts[i % len(texts)] for i in range(args.rss_n - args.queue_n)]
                queue_rate(dep, rest, args.max_seconds * 10)
            if n == 1:
                through = max(args.rss_n, args.queue_n)
                api_mb, worker_mb = rss_mb(dep.server.pid), rss_mb(dep.workers[0].pid)
                res.put(
                    f"RSS MB: api + worker after {through:,} queued comments", variant,
                    f"{api_mb:.0f} + {worker_mb:.0f} = {api_mb + worker_mb:.0f}", api_mb + worker_mb,
                )  # fmt: skip
            stop(dep.workers)
            dep.workers = []
    finally:
        teardown(dep)


def markdown(res: Results, variants: list[str]) -> str:
    head = ["measure", *variants]
    both = "fp32" in variants and "int8" in variants
    if both:
        head.append("int8 ÷ fp32")
    head.append("ratios")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for measure, cells in res.rows.items():
        row = [measure, *(cells.get(v, "–") for v in variants)]
        if both:
            a, b = res.raw.get((measure, "int8")), res.raw.get((measure, "fp32"))
            row.append(f"{a / b:.2f}" if a and b else "–")
        notes = res.notes.get(measure, {})
        row.append("; ".join(f"{v}: {notes[v]}" for v in variants if v in notes) or "")
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small counts: a couple of minutes")
    parser.add_argument("--n", type=int, help="realistic comments in-process (100; quick 60)")
    parser.add_argument("--long-share", type=float, default=0.02, help="share of 10,000-character comments")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--rounds", type=int, help="in-process repetitions, median (1)")
    parser.add_argument("--chunks", type=int, default=5, help="in-process: interleave over this many chunks")
    parser.add_argument("--variants", default="none,int8", help="quantizations: none (fp32), int8")
    parser.add_argument("--service-variants", help="variants also measured as a service (all; quick: first)")
    parser.add_argument(
        "--api-requests", type=int, help="requests per concurrency, at least 2c (32; quick 16)"
    )
    parser.add_argument("--concurrency", default="1,8,32")
    parser.add_argument("--long-clients", type=int, default=4, help="clients sending 10,000 chars (0: skip)")
    parser.add_argument("--short-probes", type=int, help="short comments timed alone and beside (8; quick 6)")
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--queue-n", type=int, help="comments per queue cell (100; quick 60)")
    parser.add_argument("--rss-n", type=int, help="comments through the queue before RSS (300; quick 0)")
    parser.add_argument("--max-seconds", type=float, default=600, help="give up on a queue cell after this")
    parser.add_argument("--threads", type=int, default=2, help="torch threads (split between workers)")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--port", type=int, default=18765)
    parser.add_argument("--model-cache", default=str(Path.home() / ".cache" / "comment-moderation"))
    parser.add_argument("--malloc-arena-max", type=int, default=0, help="glibc arenas of server and workers")
    parser.add_argument("--logs", help="write the API's and workers' output to DIR/<name>.log")
    parser.add_argument("--skip-service", action="store_true", help="in-process rows only")
    args = parser.parse_args(argv)
    quick = args.quick
    args.n = args.n or (60 if quick else 100)
    args.rounds = args.rounds or 1
    args.api_requests = args.api_requests or (16 if quick else 32)
    args.short_probes = args.short_probes or (6 if quick else 8)
    args.queue_n = args.queue_n or (60 if quick else 100)
    args.rss_n = args.rss_n if args.rss_n is not None else (0 if quick else 300)
    args.concurrency = [int(c) for c in args.concurrency.split(",")]
    args.workers = [int(w) for w in args.workers.split(",") if w]
    quantizations = args.variants.split(",")
    serviced = (args.service_variants or (quantizations[0] if quick else args.variants)).split(",")
    os.environ["MODERATION_MODEL_CACHE"] = args.model_cache

    import torch

    from models.runtime import ModelRuntime

    torch.set_num_threads(args.threads)
    comments = realistic_comments(args.n, seed=args.seed, long_share=args.long_share)
    print(describe(comments), flush=True)
    res = Results()
    began = time.perf_counter()
    runtimes = {
        VARIANT_NAMES[q]: ModelRuntime.load(
            threads=args.threads, quantize=q, cache_dir=Path(args.model_cache)
        )
        for q in quantizations
    }
    variants = list(runtimes)
    print(f"in-process: {', '.join(variants)} interleaved over {args.chunks} chunks", flush=True)
    in_process(runtimes, comments, args.chunks, args.rounds, res)
    for q in quantizations:
        variant = VARIANT_NAMES[q]
        if not args.skip_service and q in serviced:
            print(f"[{variant}] service", flush=True)
            service(args, comments, runtimes[variant], variant, res)
    print()
    print(
        f"{describe(comments)}; torch threads {args.threads}, {os.cpu_count()} CPU cores (shared); "
        f"{time.perf_counter() - began:.0f} s"
    )
    print()
    print(markdown(res, variants))
    if ERRORS:
        print(
            "\nfailed /v1/moderate requests by kind: "
            + ", ".join(f"{k} {n}" for k, n in sorted(ERRORS.items()))
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
