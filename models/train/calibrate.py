"""Temperature scaling and decision thresholds, fitted on the dev split carved from train
(never on validation)."""

from __future__ import annotations

import numpy as np
import torch
from torch import nn


def fit_temperature(logits: torch.Tensor, y: torch.Tensor, *, binary: bool) -> float:
    """One temperature minimising NLL on dev (LBFGS on log T)."""
    if len(logits) == 0:
        return 1.0
    log_t = torch.zeros(1, requires_grad=True)
    opt = torch.optim.LBFGS([log_t], lr=0.1, max_iter=100)
    logits, y = logits.detach().float(), y.detach()

    def closure() -> torch.Tensor:
        opt.zero_grad()
        scaled = logits / log_t.exp()
        if binary:
            loss = nn.functional.binary_cross_entropy_with_logits(scaled, y.float())
        else:
            loss = nn.functional.cross_entropy(scaled, y)
        loss.backward()
        return loss

    opt.step(closure)
    return float(log_t.detach().exp().clamp(0.05, 20.0))


PROBABILITY_GRID = np.linspace(0.05, 0.95, 91)
# even in logit space, 0.01 .. 0.99 (steps of 0.05 logits: ~0.0005 near 0.01, ~0.0125 near 0.5): for a scale
# that puts thresholds near its ends, as the toxicity scale of ``models.train.refit`` does in German (~0.09)
LOGIT_GRID = 1.0 / (1.0 + np.exp(-np.linspace(-4.6, 4.6, 185)))


def best_macro_f1_threshold(probs: np.ndarray, y: np.ndarray, grid: np.ndarray = PROBABILITY_GRID) -> float:
    """The threshold of ``grid`` maximising macro-F1 (mean of the positive and negative classes' F1, the
    metric the model card reports) on dev; 0.5 when dev holds one class only. Positive-class F1 alone
    favours low thresholds that flood the negative class with false positives."""
    if y.sum() == 0 or y.sum() == len(y):
        return 0.5
    best, best_t = -1.0, 0.5
    pos, neg = y == 1, y == 0
    for t in grid:
        pred = probs >= t
        tp, tn = float((pred & pos).sum()), float((~pred & neg).sum())
        f1_pos = 2 * tp / max(1.0, float(pred.sum()) + float(pos.sum()))
        f1_neg = 2 * tn / max(1.0, float((~pred).sum()) + float(neg.sum()))
        if (f1_pos + f1_neg) / 2 > best:
            best, best_t = (f1_pos + f1_neg) / 2, float(t)
    return round(best_t, 4)


def fit_platt(z: torch.Tensor, y: torch.Tensor) -> tuple[float, float]:
    """Platt scaling (Platt 1999): ``p = sigmoid(a z + b)`` minimising NLL on dev logits ``z`` (shape
    ``(n,)``) and 0/1 labels ``y``, with Platt's smoothed targets ``(N+ + 1) / (N+ + 2)`` and ``1 / (N- + 2)``
    (finite on separable rows). Unlike a temperature, the bias moves the scale: fitted on rows with a
    reader-comment mix of labels, a civil comment lands low and an insult high, as Perspective's scores do.
    ValueError when ``y`` holds one class only."""
    z, y = z.detach().float(), y.detach().float()
    positives = float(y.sum())
    negatives = float(len(y)) - positives
    if positives == 0 or negatives == 0:
        raise ValueError("Platt scaling needs both classes")
    target = torch.where(y > 0.5, (positives + 1) / (positives + 2), 1 / (negatives + 2))
    params = torch.tensor([1.0, 0.0], requires_grad=True)
    opt = torch.optim.LBFGS([params], lr=1.0, max_iter=500, line_search_fn="strong_wolfe")

    def closure() -> torch.Tensor:
        opt.zero_grad()
        loss = nn.functional.binary_cross_entropy_with_logits(params[0] * z + params[1], target)
        loss.backward()
        return loss

    opt.step(closure)
    a, b = params.detach().tolist()
    return float(a), float(b)


def fit_logistic(x: torch.Tensor, y: torch.Tensor, weight: torch.Tensor) -> tuple[float, float, float]:
    """Weighted logistic regression on two features by L-BFGS: ``p = sigmoid(a x0 + b x1 + c)``."""
    params = torch.tensor([5.0, 5.0, -4.0], requires_grad=True)
    opt = torch.optim.LBFGS([params], lr=1.0, max_iter=500, line_search_fn="strong_wolfe")

    def closure() -> torch.Tensor:
        opt.zero_grad()
        z = params[0] * x[:, 0] + params[1] * x[:, 1] + params[2]
        loss = nn.functional.binary_cross_entropy_with_logits(z, y, weight=weight)
        loss = loss + 1e-3 * (params[:2] ** 2).sum()  # a little ridge: separable dev data stays finite
        loss.backward()
        return loss

    opt.step(closure)
    a, b, c = params.detach().tolist()
    return float(a), float(b), float(c)
