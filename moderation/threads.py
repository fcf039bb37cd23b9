"""A reply measured in its thread: the parent comment's text helps judge whether a reply is on topic.

A short reply ("Exactly, and nobody asked the shop owners.") often shares few words with the article while
answering an on-topic parent; measured against the article alone it reads as off topic. When a request
carries its parent's text (Perspective's ``context.articleAndParentComment.parentComment``) and there is an
article, the same forward pass also measures the reply against the parent and the parent against the article,
and the reply's ``on_topic`` becomes::

    max(on_topic(reply, article), on_topic(reply, parent) * on_topic(parent, article))

(on topic itself, or answering a parent that is on topic; the product keeps a reply to an off-topic parent
off topic). Stance, civility and sentiment are the reply's own. Nothing about the parent is stored.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace

from moderation.domain import Article, CommentRequest, Scores


@dataclass(frozen=True)
class ThreadCheck:
    """The two extra measurements for the reply at ``index``: (reply, parent as article) and (parent,
    article)."""

    index: int
    reply: tuple[CommentRequest, Article]
    parent: tuple[CommentRequest, Article]


def thread_checks(requests: list[CommentRequest], articles: list[Article | None]) -> list[ThreadCheck]:
    checks = []
    for index, (request, article) in enumerate(zip(requests, articles, strict=True)):
        parent = (request.parent_text or "").strip()
        if not parent or article is None:
            continue
        digest = hashlib.sha256(parent.encode("utf-8")).hexdigest()[:32]
        as_article = Article(id=f"parent:{digest}", title="", body=parent, site=request.site)
        parent_request = CommentRequest(text=parent, site=request.site, do_not_store=True)
        checks.append(ThreadCheck(index, (request, as_article), (parent_request, article)))
    return checks


def in_thread(scores: Scores, *, to_parent: Scores, parent: Scores) -> Scores:
    """The reply's scores with its thread's on-topic (unchanged when a measurement is missing)."""
    direct, answers, parent_on_topic = scores.on_topic, to_parent.on_topic, parent.on_topic
    if direct is None or answers is None or parent_on_topic is None:
        return scores
    return replace(scores, on_topic=max(direct, answers * parent_on_topic))
