"""The moderators' side: the review queue, claims and decisions, undo, a comment's history, per-article
dashboards, and the labels their decisions leave for retraining."""
