"""``python -m moderation.store.migrations revision "message"``: autogenerate a migration from tables.py."""

import sys

from moderation.store.migrations import revision

if len(sys.argv) != 3 or sys.argv[1] != "revision":
    raise SystemExit('usage: python -m moderation.store.migrations revision "message"')
revision(sys.argv[2])
