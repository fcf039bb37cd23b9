"""Identity-term false-positive check (see ``models.fairness.check``)."""

from models.fairness.check import FPR_CEILING, IDENTITIES_PATH, false_positive_rate, load_sentences

__all__ = ["FPR_CEILING", "IDENTITIES_PATH", "false_positive_rate", "load_sentences"]
