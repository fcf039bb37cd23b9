"""Learning from moderators: export their labels for retraining, and measure how the system agrees with them.

The report treats a moderator's final ``reject`` as the positive class, compared with the system's decision
in force when the moderator decided (a rescore before the moderator's decision counts, one after it does
not); agreement counts only comments the system decided itself (approve or reject, not review). For every
reason code the system gave, it counts how often the moderator agreed (rejected a comment the system
flagged); for every score with a threshold (``civility.<label>``, ``on_topic``) it gives precision and recall
of the configured threshold against the moderators' decisions, and suggests the threshold with the best F1
on a 0.05 grid (none when no threshold beats flagging everything: then the score carries no signal about the
verdicts).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import IO, Any

from sqlalchemy.orm import Session

from moderation.domain import Action, LabelSource
from moderation.store import label_repo
from moderation.store import review_repo as repo
from moderation.store.tables import Label

GRID = tuple(round(0.05 * i, 2) for i in range(1, 20))
BELOW = {"on_topic"}  # scores that flag when LOW


def iter_labels(
    *, session: Session, include_undone: bool = False, batch: int = 500
) -> Iterator[dict[str, Any]]:
    """Every label (moderator and suggestscore) with the comment's newest scores, oldest first."""
    last_id = 0
    while True:
        rows = label_repo.labels_after(session=session, last_id=last_id, limit=batch)
        if not rows:
            return
        last_id = rows[-1].id
        ids = [r.comment_id for r in rows if r.comment_id]
        scores = repo.latest_scores(session=session, comment_ids=ids)
        for row in rows:
            if row.label.get("undone") and not include_undone:
                continue
            score = scores.get(row.comment_id or "")
            yield {
                "id": row.id,
                "comment_id": row.comment_id,
                "text": row.text,
                "source": row.source,
                "actor": row.actor,
                "label": row.label,
                "created_at": row.created_at.isoformat(),
                "model_version": score.model_version if score else None,
                "scores": score.scores if score else None,
            }


def save_suggestion(*, session: Session, text: str, label: dict[str, Any], actor: str) -> Label:
    """Store a Perspective client's suggested scores as a ``suggestscore`` label, beside moderators' ones."""
    return label_repo.add_label(
        session=session, source=LabelSource.SUGGESTSCORE, actor=actor, label=label, text=text
    )


def export_jsonl(*, session: Session, out: IO[str], include_undone: bool = False) -> int:
    count = 0
    for doc in iter_labels(session=session, include_undone=include_undone):
        out.write(json.dumps(doc, ensure_ascii=False, default=str) + "\n")
        count += 1
    return count


@dataclass(frozen=True)
class ThresholdStats:
    threshold: float
    precision: float | None
    recall: float | None
    f1: float | None


@dataclass
class ScoreReport:
    score: str  # civility.toxicity, on_topic, ...
    direction: str  # above / below
    n: int
    positives: int
    current: ThresholdStats | None
    suggested: ThresholdStats | None
    grid: list[ThresholdStats] = field(default_factory=list)


@dataclass
class ReasonReport:
    code: str
    classifier: str
    flagged: int
    agreed: int

    @property
    def agreement(self) -> float | None:
        return self.agreed / self.flagged if self.flagged else None


@dataclass
class LabelsReport:
    labeled: int = 0
    system_agreement: float | None = None  # among comments the system approved or rejected itself
    by_decision: dict[str, dict[str, int]] = field(
        default_factory=dict
    )  # system decision -> moderator counts
    reasons: list[ReasonReport] = field(default_factory=list)
    scores: list[ScoreReport] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        doc = asdict(self)
        for r, d in zip(self.reasons, doc["reasons"], strict=True):
            d["agreement"] = r.agreement
        return doc


def _stats(pairs: list[tuple[float, bool]], threshold: float, below: bool) -> ThresholdStats:
    tp = fp = fn = 0
    for score, positive in pairs:
        flagged = score < threshold if below else score >= threshold
        tp += flagged and positive
        fp += flagged and not positive
        fn += (not flagged) and positive
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    f1 = 2 * precision * recall / (precision + recall) if precision and recall else (0.0 if tp + fn else None)
    return ThresholdStats(threshold=threshold, precision=precision, recall=recall, f1=f1)


def _flag_all_f1(pairs: list[tuple[float, bool]]) -> float:
    """F1 of flagging everything: a suggestion must beat it, or the score carries no signal."""
    rate = sum(p for _, p in pairs) / len(pairs) if pairs else 0.0
    return 2 * rate / (1 + rate) if rate else 0.0


def _score_values(doc: dict[str, Any]) -> dict[str, float]:
    values = {f"civility.{k}": float(v) for k, v in (doc.get("civility") or {}).items()}
    if isinstance(doc.get("on_topic"), int | float):
        values["on_topic"] = float(doc["on_topic"])
    return values


def _reason_score_key(reason: dict[str, Any]) -> str:
    classifier = str(reason.get("classifier", ""))
    return f"civility.{str(reason.get('code', '')).lower()}" if classifier == "civility" else classifier


def report(*, session: Session) -> LabelsReport:
    """Agreement of the system with the moderators' final (not undone) decisions."""
    final: dict[str, str] = {}
    for doc in iter_labels(session=session):
        if doc["source"] == LabelSource.MODERATOR and doc["comment_id"]:
            final[doc["comment_id"]] = str(doc["label"].get("decision"))
    ids = list(final)
    system = repo.system_decisions_in_force(session=session, comment_ids=ids)
    scores = repo.latest_scores(session=session, comment_ids=ids)
    out = LabelsReport(labeled=len(final))
    reasons: dict[tuple[str, str], ReasonReport] = {}
    thresholds: dict[str, Counter[float]] = {}
    pairs: dict[str, list[tuple[float, bool]]] = {}
    agree = decided = 0
    for cid, verdict in final.items():
        positive = verdict == Action.REJECT
        dec = system.get(cid)
        sys_action = dec.decision if dec else "unknown"
        out.by_decision.setdefault(sys_action, {}).setdefault(verdict, 0)
        out.by_decision[sys_action][verdict] += 1
        if sys_action in (Action.APPROVE, Action.REJECT):
            decided += 1
            agree += sys_action == verdict
        for reason in dec.reasons if dec else []:
            key = (str(reason.get("code")), str(reason.get("classifier")))
            rep = reasons.setdefault(key, ReasonReport(code=key[0], classifier=key[1], flagged=0, agreed=0))
            rep.flagged += 1
            rep.agreed += positive
            if reason.get("threshold") is not None:
                thresholds.setdefault(_reason_score_key(reason), Counter())[float(reason["threshold"])] += 1
        for name, value in _score_values(scores[cid].scores if cid in scores else {}).items():
            pairs.setdefault(name, []).append((value, positive))
    out.system_agreement = agree / decided if decided else None
    out.reasons = sorted(reasons.values(), key=lambda r: (-r.flagged, r.code))
    for name in sorted(pairs):
        below = name in BELOW
        grid = [_stats(pairs[name], t, below) for t in GRID]
        current_t = thresholds[name].most_common(1)[0][0] if name in thresholds else None
        scored = [g for g in grid if g.f1 is not None]
        best = max(scored, key=lambda g: (g.f1 or 0.0, g.precision or 0.0)) if scored else None
        out.scores.append(
            ScoreReport(
                score=name,
                direction="below" if below else "above",
                n=len(pairs[name]),
                positives=sum(p for _, p in pairs[name]),
                current=_stats(pairs[name], current_t, below) if current_t is not None else None,
                suggested=best if best and (best.f1 or 0.0) > _flag_all_f1(pairs[name]) + 1e-9 else None,
                grid=grid,
            )
        )
    return out
