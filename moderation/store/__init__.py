"""SQL store: SQLAlchemy 2 tables, engine/session handling, keyword-only data functions."""
