"""A scoring worker in a thread of the API process: what ``moderation serve`` runs beside the API when no
``MODERATION_REDIS_URL`` is set (embedded Valkey, one box). With a real Redis, run ``moderation worker``
processes instead."""

from __future__ import annotations

import logging
import threading

from moderation.queue.worker import Worker

log = logging.getLogger(__name__)


class BackgroundWorker:
    def __init__(self, worker: Worker) -> None:
        self.worker = worker
        self.thread = threading.Thread(target=self._run, name="scoring-worker", daemon=True)

    def _run(self) -> None:
        try:
            self.worker.run()
        except Exception:
            log.exception("background scoring worker crashed")

    def start(self) -> BackgroundWorker:
        self.thread.start()
        return self

    def stop(self, timeout: float = 30.0) -> None:
        """Finish the batch in hand, acknowledge it, then return."""
        self.worker.stop()
        self.thread.join(timeout=timeout)
