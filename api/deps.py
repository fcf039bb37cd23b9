"""FastAPI dependencies as ``Annotated`` aliases; tests swap them with ``app.dependency_overrides``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from api.auth import require, resolve_principal
from api.principal import Principal
from moderation.config import Settings
from moderation.domain import Role
from moderation.keyring import Keyring
from moderation.moderate import Moderation
from moderation.services import Services


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


def get_moderation(services: ServicesDep) -> Moderation:
    """The moderation use case (``moderation/moderate.py``) of this app's services."""
    return services.moderation


ModerationDep = Annotated[Moderation, Depends(get_moderation)]


def get_settings_dep(services: ServicesDep) -> Settings:
    return services.settings


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]


def get_keyring(services: ServicesDep) -> Keyring:
    return services.keyring


KeyringDep = Annotated[Keyring, Depends(get_keyring)]


def get_session(services: ServicesDep) -> Iterator[Session]:
    """A session per request; routes commit what they change, anything uncommitted is rolled back."""
    with services.sessions() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


def get_principal(request: Request, session: SessionDep) -> Principal | None:
    return resolve_principal(request, session)


OptionalPrincipalDep = Annotated[Principal | None, Depends(get_principal)]


def require_client(principal: OptionalPrincipalDep) -> Principal:
    return require(principal, Role.CLIENT)


def require_moderator(principal: OptionalPrincipalDep) -> Principal:
    return require(principal, Role.MODERATOR)


def require_admin(principal: OptionalPrincipalDep) -> Principal:
    return require(principal, Role.ADMIN)


ClientDep = Annotated[Principal, Depends(require_client)]
ModeratorDep = Annotated[Principal, Depends(require_moderator)]
AdminDep = Annotated[Principal, Depends(require_admin)]
