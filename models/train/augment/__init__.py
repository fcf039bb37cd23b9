"""Hand-written training and held-out data in the register of news reader comments (no dataset text copied).

``civility_examples(split)`` (civility.py) and ``threat_examples(split)`` (threats.py) return ``Example``
rows with Perspective-named labels; ``split="heldout"`` uses different fragments, templates, names and topics
and is for measuring generalisation only. See README.md in this folder.
"""

from models.train.augment.civility import ATTRIBUTES, SPLITS, Example, Labels, civility_examples
from models.train.augment.threats import threat_examples

__all__ = ["ATTRIBUTES", "SPLITS", "Example", "Labels", "civility_examples", "threat_examples"]
