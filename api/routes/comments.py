"""comments routes (placeholder until its owner fills it)."""

from fastapi import APIRouter

router = APIRouter()
