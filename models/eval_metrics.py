"""Metrics and plots for ``models.evaluate`` (scikit-learn, matplotlib with the Agg backend)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, recall_score, roc_auc_score

FNC_LABELS = ("unrelated", "discuss", "agree", "disagree")


def classification(y: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> dict[str, float]:
    return {
        "n": float(len(y)),
        "accuracy": float(accuracy_score(y, pred)),
        "macro_f1": float(f1_score(y, pred, labels=list(labels), average="macro", zero_division=0)),
        "macro_recall": float(recall_score(y, pred, labels=list(labels), average="macro", zero_division=0)),
        **{
            f"f1_{lab}": float(f1_score(y, pred, labels=[lab], average="macro", zero_division=0))
            for lab in labels
        },
    }


def roc_auc(y_true: np.ndarray, scores: np.ndarray) -> float:
    if len(set(y_true.tolist())) < 2:
        return float("nan")
    return float(roc_auc_score(y_true, scores))


def fnc_score(y: Sequence[str], pred: Sequence[str]) -> dict[str, float]:
    """FNC-1 weighted score as a fraction of the maximum, plus related-vs-unrelated accuracy."""
    score = best = 0.0
    rel_ok = 0
    for gold, guess in zip(y, pred, strict=True):
        gold_rel, guess_rel = gold != "unrelated", guess != "unrelated"
        best += 0.25 + (0.75 if gold_rel else 0.0)
        if gold_rel == guess_rel:
            score += 0.25
            rel_ok += 1
        if gold_rel and gold == guess:
            score += 0.75
    return {
        "fnc_weighted": score / best if best else float("nan"),
        "related_accuracy": rel_ok / max(1, len(y)),
    }


def save_confusion(
    path: Path, y: Sequence[str], pred: Sequence[str], labels: Sequence[str], title: str
) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cm = confusion_matrix(y, pred, labels=list(labels))
    fig, ax = plt.subplots(figsize=(4 + 0.4 * len(labels), 3.5 + 0.4 * len(labels)))
    ax.imshow(cm, cmap="Blues")
    ax.set_xticks(range(len(labels)), labels, rotation=30, ha="right")
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    for i in range(len(labels)):
        for j in range(len(labels)):
            ax.text(j, i, str(cm[i, j]), ha="center", va="center", color="black")
    ax.set_title(title)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def save_pr_curves(path: Path, curves: dict[str, tuple[np.ndarray, np.ndarray]], title: str) -> None:
    """One precision-recall curve per (binary gold, score) pair."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import average_precision_score, precision_recall_curve

    fig, ax = plt.subplots(figsize=(5, 4))
    for name, (gold, score) in curves.items():
        if gold.min() == gold.max():
            continue
        precision, recall, _ = precision_recall_curve(gold, score)
        ax.plot(recall, precision, label=f"{name} (AP {average_precision_score(gold, score):.2f})")
    ax.set_xlabel("recall")
    ax.set_ylabel("precision")
    ax.set_title(title)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
