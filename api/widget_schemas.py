"""API shapes of the comment-form widget: publishable keys (admin), comment rules and the pre-check."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from api.schemas import Identifier, RequiredText, Site, Strict


class WidgetKeyIn(Strict):
    site: Site
    origins: Annotated[list[Annotated[str, Field(max_length=300)]], Field(min_length=1, max_length=20)] = (
        Field(
            description="browser origins allowed to use the key: scheme://host[:port], e.g. https://news.example"
        )
    )
    name: Annotated[RequiredText, Field(max_length=200)] = "widget"


class WidgetKeyOut(BaseModel):
    id: int
    name: str
    site: str
    origins: list[str]
    prefix: str
    created_at: str
    revoked_at: str | None
    key: str | None = Field(default=None, description="the publishable key; shown only when it is created")


class WidgetKeysOut(BaseModel):
    keys: list[WidgetKeyOut]


class RulesOut(BaseModel):
    """``GET /v1/widget/rules``: what the form shows before the author types."""

    site: str
    article_id: str | None
    min_chars: int = Field(description="grapheme clusters, whitespace trimmed and collapsed")
    max_chars: int
    guidelines: str | None = Field(description="the site's or article's comment guidelines (plain text)")
    policy_version: str
    messages: dict[str, str] = Field(
        description="TOO_SHORT / TOO_LONG templates over {characters} {min_chars} {max_chars} {needed} {over}"
    )


class CheckIn(Strict):
    text: Annotated[RequiredText, Field(max_length=100_000)]
    article_id: Identifier | None = None


class CheckReasonOut(BaseModel):
    code: str
    action: str = Field(description="approve, review or reject")
    message: str = Field(description="for the comment's author")


class MarkOut(BaseModel):
    begin: int = Field(description="offset into the text sent, in code points (not UTF-16 units)")
    end: int
    kind: str = Field(description="word, sentence or link")
    code: str = Field(description="the reason it supports")


class CheckOut(BaseModel):
    """``POST /v1/widget/check``: advice for the author; nothing is stored."""

    decision: str = Field(description="approve, review or reject")
    reasons: list[CheckReasonOut]
    characters: int
    min_chars: int
    max_chars: int
    marks: list[MarkOut]
    policy_version: str
