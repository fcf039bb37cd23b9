"""ML layer: encoder loading, the multi-task network, training, evaluation and trained weights.

Never imports ``moderation`` (see DESIGN.md layering). Importing this package does not import torch;
the heavy modules (``models.encoder``, ``models.runtime``) do.
"""

from pathlib import Path

MODELS_DIR = Path(__file__).resolve().parent
WEIGHTS_DIR = MODELS_DIR / "weights"
MANIFEST_PATH = MODELS_DIR / "manifest.json"
