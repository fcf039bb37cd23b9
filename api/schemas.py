"""API shapes, one per direction. Unknown fields are refused (``extra="forbid"``); text fields refuse NUL and
control characters with a message naming the field."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from moderation.domain import Article, CommentRequest
from moderation.text import find_control_character

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,199}$"


def _no_controls(value: str) -> str:
    problem = find_control_character(value)
    if problem:
        raise ValueError(f"contains a {problem}")
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("is empty or only whitespace")
    return value


CleanText = Annotated[str, AfterValidator(_no_controls)]
RequiredText = Annotated[str, AfterValidator(_no_controls), AfterValidator(_not_blank)]
Identifier = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Site = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


class ArticleIn(Strict):
    title: Annotated[RequiredText, Field(max_length=1000)]
    body: Annotated[RequiredText, Field(max_length=60_000)]
    summary: Annotated[CleanText, Field(max_length=10_000)] | None = None
    key_points: Annotated[list[Annotated[CleanText, Field(max_length=1000)]], Field(max_length=50)] = []
    url: Annotated[CleanText, Field(max_length=2000)] | None = None
    language: Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$")] = "en"
    site: Site | None = None

    def to_domain(self, article_id: str, *, default_site: str) -> Article:
        return Article(
            id=article_id,
            title=self.title,
            body=self.body,
            site=self.site or default_site,
            summary=self.summary,
            key_points=tuple(self.key_points),
            url=self.url,
            language=self.language,
        )


class InlineArticle(ArticleIn):
    id: Identifier | None = None


class ArticleOut(BaseModel):
    id: str
    site: str
    title: str
    body: str
    summary: str | None
    key_points: list[str]
    url: str | None
    language: str
    content_hash: str
    encoder_version: str | None = None


class ModerateIn(Strict):
    text: Annotated[RequiredText, Field(max_length=100_000)]
    article_id: Identifier | None = None
    article: InlineArticle | None = None
    comment_id: Identifier | None = None
    author_id: Annotated[CleanText, Field(max_length=200)] | None = None
    site: Site | None = None
    do_not_store: bool = False

    def to_domain(self) -> CommentRequest:
        """``site`` left empty is filled by the service: the article's site, else the default site."""
        site = self.site or (self.article.site if self.article and self.article.site else "")
        article = None
        if self.article is not None:
            article = self.article.to_domain(self.article.id or "inline", default_site=site or "default")
        return CommentRequest(
            text=self.text,
            site=site,
            article_id=self.article_id,
            article=article,
            comment_id=self.comment_id,
            author_id=self.author_id,
            do_not_store=self.do_not_store,
        )


class PolicyOut(BaseModel):
    site: str
    article_id: str | None
    version: str
    policy: dict[str, Any]


class KeyIn(Strict):
    name: Annotated[RequiredText, Field(max_length=200)]
    role: str


class KeyOut(BaseModel):
    id: int
    name: str
    role: str
    prefix: str
    created_at: str
    revoked_at: str | None
    last_used_at: str | None
    key: str | None = Field(default=None, description="the plaintext key; shown only when it is created")
