"""Fixtures for the Perspective endpoint tests (helpers in ``perspective_helpers``); built on the shared
``settings`` (real SQLite or PostgreSQL, real Redis with a per-test prefix) and ``runtime`` fixtures."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from perspective_helpers import Harness, KeywordRuntime

from moderation.config import Settings


@pytest.fixture
def harness(settings: Settings) -> Iterator[Harness]:
    """The app with the keyword runtime (exact civility numbers and sentence spans)."""
    h = Harness(settings, KeywordRuntime())
    yield h
    h.close()


@pytest.fixture
def real_harness(settings: Settings, runtime: Any) -> Iterator[Harness]:
    """The app with the real encoder (and whatever trained heads exist)."""
    h = Harness(settings, runtime)
    yield h
    h.close()
