"""Moderator web UI routes: sign-in, the queue (with live updates), history and article dashboards."""

from __future__ import annotations

from fastapi import APIRouter

from api.ui import auth_pages, live, people_pages, queue_pages

router = APIRouter(include_in_schema=False)
router.include_router(auth_pages.router)
router.include_router(live.router)  # /moderate/events before the pages' path parameters
router.include_router(queue_pages.router)
router.include_router(people_pages.router)
