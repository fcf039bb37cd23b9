"""Fixtures shared by the API tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from moderation.config import Settings
from moderation.services import Services, build_services


@pytest.fixture
def light(settings: Settings) -> Iterator[Services]:
    """The services without a model runtime (nothing scores); a module may override it with other settings."""
    built = build_services(settings)
    yield built
    built.close()
