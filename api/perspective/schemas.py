"""Perspective's response shapes (``AnalyzeCommentResponse``, ``SuggestCommentScoreResponse``, the discovery
document), in Google's lowerCamelCase, so OpenAPI shows them. Requests are read field by field as Google's
front end reads them (``analyze.py``, ``suggest.py``), not through a model."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Score(BaseModel):
    value: float = Field(description="a probability in [0, 1]")
    type: str = Field(description="PROBABILITY")


class ScoredSpan(BaseModel):
    begin: int
    end: int
    score: Score


class AttributeScores(BaseModel):
    spanScores: list[ScoredSpan]
    summaryScore: Score


class AnalyzeCommentResponse(BaseModel):
    attributeScores: dict[str, AttributeScores] = Field(
        description="per requested attribute, named exactly as requested"
    )
    languages: list[str]
    detectedLanguages: list[str]
    clientToken: str | None = Field(default=None, description="echoed when the request had one")


class SuggestCommentScoreResponse(BaseModel):
    clientToken: str | None = Field(default=None, description="echoed when the request had one")


class DiscoveryDocument(BaseModel):
    """Google's REST discovery document (the main fields; the rest as Google's format has them)."""

    model_config = ConfigDict(extra="allow")

    kind: str
    discoveryVersion: str
    id: str
    name: str
    version: str
    rootUrl: str
    baseUrl: str
    resources: dict[str, Any]
