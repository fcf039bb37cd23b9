"""Every Redis key name the service uses, in one place (the queue's, the decisions feed's, the Perspective
quota's, the Coral phase's answers).

All keys of one deployment share the prefix and a Redis-Cluster hash tag (``{<prefix>}``), so a stream, its
consumer group, its dead-letter stream and the worker health keys live in one slot: multi-key commands and
MULTI/EXEC blocks that touch several of them work on a cluster too. Several deployments can share one server
by using different prefixes (``MODERATION_REDIS_PREFIX``).
"""

from __future__ import annotations

from dataclasses import dataclass

GROUP = "scorers"  # the consumer group every worker joins


@dataclass(frozen=True)
class RedisKeys:
    prefix: str = "moderation"

    @property
    def tag(self) -> str:
        return "{" + self.prefix + "}"

    @property
    def score_stream(self) -> str:
        """Comments waiting to be scored (one message per comment id)."""
        return f"{self.tag}:stream:score"

    @property
    def dead_stream(self) -> str:
        """Messages that failed ``max_deliveries`` times, with their last error."""
        return f"{self.tag}:stream:dead"

    @property
    def decisions_stream(self) -> str:
        """Every new decision (capped), read by the SSE feed of any API process with XREAD."""
        return f"{self.tag}:stream:decisions"

    @property
    def errors_hash(self) -> str:
        """Last processing error per pending message id (moved into the dead-letter entry)."""
        return f"{self.tag}:errors"

    def worker_health(self, name: str) -> str:
        return f"{self.tag}:worker:{name}:health"

    @property
    def worker_health_pattern(self) -> str:
        return f"{self.tag}:worker:*:health"

    def perspective_quota(self, principal: str, window: int) -> str:
        """Requests of one API key in one quota window of the Perspective endpoint (INCR + EXPIRE)."""
        return f"{self.tag}:perspective:quota:{principal}:{window}"

    def coral_reply(self, site: str, digest: str) -> str:
        """The answer given to one Coral external-phase request body (sha256), kept for the replay window."""
        return f"{self.tag}:coral:reply:{site}:{digest}"

    def rescore_job(self, job_id: str) -> str:
        """Live counters of a rescoring job (the authoritative state is the ``rescore_jobs`` row)."""
        return f"{self.tag}:rescore:{job_id}"
