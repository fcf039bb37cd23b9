"""Which of our articles a Coral story is (moderation/coral.py): by id, else by URL written any usual way;
never another site's article (real SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from moderation import coral
from moderation.domain import Article
from moderation.services import Services
from moderation.store import repo
from moderation.store.db import transaction

STORY = Article(
    id="story-1",
    site="news",
    title="Tram line approved",
    body="The council voted for the tram line through the old town.",
    url="https://news.example/2026/11/tram-line/",
)
OTHER_SITE = Article(
    id="story-2", site="sports", title="Derby", body="The derby ended 2-2.", url="https://news.example/derby/"
)


def test_url_variants() -> None:
    variants = coral.url_variants("http://News.Example/2026/11/tram-line?commentID=abc#c1")
    assert "https://news.example/2026/11/tram-line/" in variants
    assert "http://news.example/2026/11/tram-line" in variants
    assert variants[0] == "http://News.Example/2026/11/tram-line?commentID=abc#c1"
    assert coral.url_variants("not a url") == ["not a url"]


@pytest.mark.parametrize("database_url", ["sqlite", "postgres"], indirect=True)
def test_story_article_by_id_then_url_within_the_site(services: Services) -> None:
    with transaction(services.sessions) as session:
        repo.upsert_article(session=session, article=STORY)
        repo.upsert_article(session=session, article=OTHER_SITE)
    with services.sessions() as session:

        def find(site: str, story_id: str, url: str | None) -> str | None:
            found = coral.story_article(session=session, site=site, story_id=story_id, story_url=url)
            return None if found is None else found.id

        assert find("news", "story-1", None) == "story-1"
        assert find("news", "coral-uuid", "http://NEWS.example/2026/11/tram-line?commentID=x") == "story-1"
        assert find("news", "coral-uuid", "https://news.example/elsewhere/") is None
        assert find("news", "story-2", "https://news.example/derby/") is None  # another site's article
        assert find("sports", "coral-uuid", "https://news.example/derby") == "story-2"
