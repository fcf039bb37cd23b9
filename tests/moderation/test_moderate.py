"""The one use case (moderation/moderate.py): the synchronous path, the queue's worker and a policy-only
rescoring decide a comment the same way, because all three go through it; validation comes first."""

from __future__ import annotations

from typing import Any

import pytest
from queue_helpers import CountingScorer, submit

from moderation.domain import Article, CommentRequest, DecisionSource, RescoreFilters
from moderation.errors import InvalidInput, NotFound, TextTooLong
from moderation.moderate import Moderation
from moderation.rescore.jobs import create_job
from moderation.services import Services
from moderation.store import queue_repo, repo
from moderation.store.db import transaction

ARTICLE = Article(
    id="tram-1",
    site="city",
    title="Council approves the tram line through the old town",
    body="After two years of debate the council voted 31 to 12 for the tram line from the station to the "
    "university. Construction starts in March; the route closes Mill Street to cars for eighteen months.",
)
COMMENTS = [
    "Finally! I've taken the 14 bus to the university for six years and it's always late. "
    "Eighteen months of roadworks on Mill Street is a price worth paying 🚋",
    "31 to 12, and not one of them asked the shop owners on Mill Street. My bakery will not survive "
    "a year and a half without cars. Shameful.",
    "Who cares",
    "You people on the council are idiots and thieves, every single one of you.",
    "Was hat das mit der Straßenbahn zu tun? https://example.org/mehr",
]


class Refusing:
    """A scorer that must not be reached: validation refuses first."""

    model_version = "never"

    def score(self, requests: list[Any], articles: list[Any]) -> list[Any]:
        raise AssertionError("validation should have refused before scoring")


def outcome(doc: dict[str, Any]) -> tuple[str, list[str]]:
    return str(doc["decision"]), sorted(str(r["code"]) for r in doc["reasons"])


def test_sync_worker_and_rescoring_decide_alike(services: Services) -> None:
    with transaction(services.sessions) as session:
        repo.upsert_article(session=session, article=ARTICLE)
        repo.save_policy(
            session=session, site="city", article_id=None, document={"min_chars": 20}, created_by="t"
        )
    sync = services.moderation.moderate_many(
        [
            CommentRequest(text=t, site="city", article_id=ARTICLE.id, comment_id=f"s{i}")
            for i, t in enumerate(COMMENTS)
        ],
        source=DecisionSource.SYNC,
    )
    queued = submit(services, COMMENTS, site="city", article_id=ARTICLE.id)
    scorer = CountingScorer(services.pipeline)
    services.build_worker(burst=True, scorer=scorer).run()
    assert scorer.calls == [len(COMMENTS)]  # the worker scored the batch in one pass, through the use case
    with services.sessions() as session:
        by_worker = [queue_repo.comment_document(session=session, comment_id=cid) for cid in queued]
    assert all(doc is not None and doc["status"] == "scored" for doc in by_worker)
    assert [outcome(r.to_dict()) for r in sync] == [outcome(doc) for doc in by_worker if doc is not None]
    assert {r.decision.policy_version for r in sync} == {"city@1"}
    decision, codes = outcome(sync[2].to_dict())  # "Who cares": judged by the site's minimum
    assert decision == "reject" and "TOO_SHORT" in codes

    with transaction(services.sessions) as session:  # decide again from the stored scores, same policy
        job = create_job(
            session=session,
            filters=RescoreFilters(site="city"),
            policy_only=True,
            dry_run=False,
            created_by="t",
        )
    done = services.rescore_runner().run(job.id)
    assert done.status == "done" and done.processed == 2 * len(COMMENTS)
    assert done.report["changed"] == 0 and done.report["transitions"] == {}


def test_validation_refuses_before_anything_is_read(services: Services) -> None:
    moderation = Moderation(
        sessions=services.sessions, scorer=Refusing(), max_comment_chars=100, default_site="default"
    )
    for request, error, field in [
        (CommentRequest(text="   \n "), InvalidInput, "text"),
        (CommentRequest(text="a NUL \x00 inside"), InvalidInput, "text"),
        (CommentRequest(text="long " * 41), TextTooLong, "text"),  # over twice the maximum
        (CommentRequest(text="fine", article_id="a", article=ARTICLE), InvalidInput, "article"),
    ]:
        with pytest.raises(error) as refused:
            moderation.moderate(request)
        assert refused.value.field == field


def test_resolve_fills_the_site_and_refuses_unknown_articles(services: Services) -> None:
    moderation = services.moderation
    with transaction(services.sessions) as session:
        repo.upsert_article(session=session, article=ARTICLE)
    with services.sessions() as session:
        cache: dict[Any, Any] = {}
        stored = moderation.resolve(
            session, CommentRequest(text="x", site="", article_id="tram-1"), cache=cache
        )
        inline = moderation.resolve(session, CommentRequest(text="x", site="", article=ARTICLE))
        none = moderation.resolve(session, CommentRequest(text="x", site=""))
        assert (stored.request.site, inline.request.site, none.request.site) == ("city", "city", "default")
        assert stored.article == ARTICLE and none.article is None
        assert list(cache) == [("", "tram-1")]  # a batch looks each (site, article) up once
        with pytest.raises(NotFound) as unknown:
            moderation.resolve(session, CommentRequest(text="x", article_id="no-such-article"))
        assert unknown.value.field == "article_id"
