"""Coral Talk's external moderation phase."""
