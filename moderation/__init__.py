"""Domain layer of the comment moderation service: pipeline, policy, store, queue, review, rescoring, CLI.

Never imports fastapi or ``api`` (see DESIGN.md). Importing this package does not load torch.
"""

__version__ = "0.1.0"
