"""Rescoring after a model or policy change: jobs over a frozen selection of comments, the runner that works
them chunk by chunk (resumable), and the report of what changed."""
