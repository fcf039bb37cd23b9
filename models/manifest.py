"""models/manifest.json: what the shipped weights are, and the check that they are what it says."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from models.encoder import sha256_file

WEIGHTS_FILE = "multitask.safetensors"


class ManifestError(RuntimeError):
    """The manifest is missing, malformed, or a weights file does not match its recorded sha256."""


def config_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def read_manifest(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise ManifestError(f"cannot read manifest {path}: {exc}") from exc


def verify_files(manifest: dict[str, Any], weights_dir: Path) -> None:
    files = manifest.get("files") or {}
    if WEIGHTS_FILE not in files:
        raise ManifestError(f"manifest lists no {WEIGHTS_FILE}")
    for name, expected in files.items():
        path = weights_dir / name
        if not path.is_file():
            raise ManifestError(f"{path} is missing")
        actual = sha256_file(path)
        if actual != expected:
            raise ManifestError(f"{path} has sha256 {actual}, manifest says {expected}: refusing to load")


def write_manifest(path: Path, manifest: dict[str, Any], weights_dir: Path) -> None:
    manifest = dict(manifest)
    manifest["files"] = {p.name: sha256_file(p) for p in sorted(weights_dir.glob("*.safetensors"))}
    path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
